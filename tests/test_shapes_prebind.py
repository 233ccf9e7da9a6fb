"""Pre-binding in SHACL-SPARQL constraints (kg.shapes.prebind), and what the shapes may not use.

kg writes the focus node into a constraint's query in place of ``$this`` (SHACL 1.0, 5.3.1),
keeping the variable only where SPARQL needs one. These tests pin the reading of the query:
what is rewritten, what is left alone (strings, IRIs, comments, escaped prefixed names), what
SHACL forbids (the shapes are invalid: a usage error, never a report) and what kg hands to
pySHACL (KG402). The answers themselves are compared with pySHACL in
tests/test_shapes_differential.py and on the W3C suites in tests/test_shapes_w3c.py.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

import kg
from kg.errors import UsageError
from kg.locations import ontology_dir
from kg.shapes.engine import compile_shapes
from kg.shapes.issues import compiled_or_reason, pyshacl_graph_results
from kg.shapes.prebind import prebind, sparql_term, tokens
from kg.shapes.terms import InvalidShapes, Unsupported

X = "<http://example.org/x>"
LEFT_ALONE = ('SELECT $this WHERE { ?x ex:p "$this ?this" , \'\'\'$this\'\'\' , <urn:this> . # $this\n'
              " ?thisToo ex:a\\$this ?x }")


def written(query: str, path: str | None = None) -> str:
    """The query as kg runs it with $this = X and $currentShape = <urn:S>."""
    return prebind(query, path).fill({"this": X, "currentShape": "<urn:S>"})


@pytest.mark.parametrize("query, expected", [
    # Everywhere a value may stand, the focus node is written.
    ("SELECT $this WHERE { FILTER ($this = ex:a) }", f"SELECT $this WHERE {{ FILTER ({X} = ex:a) }}"),
    ("SELECT $this WHERE { BIND ($this AS ?that) }", f"SELECT $this WHERE {{ BIND ({X} AS ?that) }}"),
    ("SELECT ?v WHERE { ?this ex:p ?v . ?v ex:q+ $this }", f"SELECT ?v WHERE {{ {X} ex:p ?v . ?v ex:q+ {X} }}"),
    ("SELECT $this WHERE { FILTER NOT EXISTS { $this a ex:C } }",
     f"SELECT $this WHERE {{ FILTER NOT EXISTS {{ {X} a ex:C }} }}"),
    ("SELECT $this WHERE { { SELECT $this WHERE { $this ex:p ?o } } }",
     f"SELECT $this WHERE {{ {{ SELECT $this WHERE {{ {X} ex:p ?o }} }} }}"),
    # bound($this) is true (a BuiltInCall becomes a bracketed expression: FILTER needs one).
    ("SELECT $this WHERE { { FILTER bound($this) } FILTER (BOUND ( ?this ) && true) }",
     "SELECT $this WHERE { { FILTER (true) } FILTER ((true) && true) }"),
    # A bare variable where SPARQL needs a variable stays: projections, GROUP BY, ORDER BY.
    ("SELECT $this (COUNT(*) AS ?n) WHERE { $this ex:p ?o } GROUP BY $this ORDER BY $this DESC(?this)",
     f"SELECT $this (COUNT(*) AS ?n) WHERE {{ {X} ex:p ?o }} GROUP BY $this ORDER BY $this DESC({X})"),
    ("SELECT (STR($this) AS ?s) $currentShape WHERE { ?s ex:p $currentShape }",
     f"SELECT (STR({X}) AS ?s) $currentShape WHERE {{ ?s ex:p <urn:S> }}"),
    # Left alone: strings, IRIs, comments, prefixed names, other variables.
    (LEFT_ALONE, LEFT_ALONE),
    # $PATH (either sigil) is the shape's path.
    ("SELECT $this ?value WHERE { $this $PATH ?value . ?value ?PATH ?z }",
     f"SELECT $this ?value WHERE {{ {X} (ex:p/ex:q) ?value . ?value (ex:p/ex:q) ?z }}"),
])
def test_the_focus_node_is_written_where_this_is_used(query, expected):
    assert written(query, "(ex:p/ex:q)") == expected


def test_projected_prebound_variables_are_named():
    assert prebind("SELECT $this ?value WHERE { ?value ex:p ?o }", None).projected == {"this"}
    assert prebind("SELECT * WHERE { $this ex:p ?o }", None).projected == {"this"}
    assert prebind("SELECT * WHERE { ?s ex:p $currentShape }", None).projected == {"this", "currentShape"}
    assert prebind("SELECT ?value WHERE { $this ex:p ?value }", None).projected == frozenset()
    assert prebind("SELECT $currentShape ?value WHERE { $this ex:p ?value }", None).projected == {"currentShape"}


@pytest.mark.parametrize("query, problem", [
    ('SELECT $this WHERE { $this ?x ?any . MINUS { $this ?x "Value" } }', "MINUS"),
    ("SELECT $this WHERE { $this ?x ?any . minus { ?any ?x $this } }", "MINUS"),
    ("SELECT $this WHERE { VALUES ?any { true } }", "VALUES"),
    ("SELECT $this WHERE { $this ex:p ?any } VALUES ?any { 1 }", "VALUES"),
    ("SELECT $this WHERE { SERVICE <http://example.org/sparql> { ?a ?b ?c } }", "SERVICE"),
    ("SELECT $this WHERE { BIND (true AS $this) }", "AS ?this"),
    ("SELECT ($this AS ?currentShape) WHERE { }", "AS ?currentShape"),
    ("SELECT $this WHERE { $this ex:p ?o } GROUP BY (?o AS ?shapesGraph)", "AS ?shapesGraph"),
    ("SELECT $this WHERE { { SELECT ?o WHERE { ?s ex:p ?o } } }", "does not return $this"),
    ("SELECT $this WHERE { { SELECT * WHERE { FILTER ($this = ex:a) } } }", "SELECT * in a subquery"),
    ("SELECT $this WHERE { FILTER EXISTS { SELECT ?o WHERE { ?s ex:p ?o } } }", "does not return $this"),
])
def test_what_shacl_forbids_where_this_is_prebound_makes_the_shapes_invalid(query, problem):
    with pytest.raises(InvalidShapes) as info:
        prebind(query, None)
    assert problem in str(info.value)


@pytest.mark.parametrize("query", [
    'SELECT $this WHERE { $this ex:p "MINUS VALUES SERVICE" . # MINUS { }\n }',
    "SELECT $this WHERE { $this ex:minus ?values . ?values ex:SERVICE <urn:VALUES> }",
    "SELECT $this ?value WHERE { $this ex:p ?value . BIND (?value AS ?x) }",
    "SELECT $this WHERE { { SELECT $this (COUNT(*) AS ?n) WHERE { $this ex:p ?o } GROUP BY $this } }",
])
def test_look_alikes_are_not_forbidden(query):
    prebind(query, None)


@pytest.mark.parametrize("query, construct", [
    ("SELECT $this WHERE { GRAPH $shapesGraph { $currentShape ex:p 42 } }", "$shapesGraph"),
    ("SELECT $this FROM <http://example.org/g> WHERE { $this ex:p ?o }", "FROM"),
    ("SELECT $this WHERE { $this ex:p \\u0024this }", "\\u escapes"),
    ("SELECT $this WHERE { $this $PATH ?o }", "$PATH in a SPARQL constraint of a node shape"),
    ("SELECT $this WHERE { FILTER (?a<$this&&?b>?c) }", "an IRI that contains a pre-bound variable's name"),
])
def test_what_kg_does_not_prebind_goes_to_pyshacl(query, construct):
    with pytest.raises(Unsupported) as info:
        prebind(query, None)
    assert construct in str(info.value)


def test_a_blank_node_cannot_be_written_into_a_query():
    template = prebind("SELECT $this WHERE { $this ex:p ?o }", None)
    with pytest.raises(Unsupported, match="blank node"):
        template.fill({"this": sparql_term("_:b0")})
    unused = prebind("SELECT $this WHERE { ?s ex:p ?o }", None)
    assert unused.fill({"this": None}) == "SELECT $this WHERE { ?s ex:p ?o }"


@pytest.mark.parametrize("term, constant", [
    ("<http://example.org/a>", "<http://example.org/a>"),
    ('"a \\"quoted\\"\\n text"@en', '"a \\"quoted\\"\\n text"@en'),
    ('"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ("_:b0", None),
    ('"bell \\u0007"', None),  # SPARQL reads \u before it parses
])
def test_terms_as_sparql_constants(term, constant):
    assert sparql_term(term) == constant


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("$?this{}()<>\"'#\\:._- \nSELECTWHREab\u00e9")), max_size=60))
def test_tokens_give_the_text_back(text):
    assert "".join(value for _, value in tokens(text)) == text
    try:
        template = prebind(text, "<urn:p>")
    except (InvalidShapes, Unsupported):
        return
    assert template.original == "".join(value if kind != "var" or value[1:] != "PATH" else "<urn:p>"
                                        for kind, value in tokens(text))


# -- through kg's API ------------------------------------------------------------------------
SHAPES = """
@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _shapes(text: str) -> Graph:
    return Graph().parse(data=SHAPES + text, format="turtle")


def test_invalid_shapes_are_a_usage_error_naming_the_constraint():
    shapes = _shapes('ex:S sh:targetNode ex:a ; sh:sparql ex:C . '
                     'ex:C sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this ex:q ?o } }" .')
    with pytest.raises(InvalidShapes):
        compile_shapes(shapes)
    with pytest.raises(UsageError, match=r"invalid SHACL shapes: sh:sparql <http://example.org/C>: MINUS"):
        compiled_or_reason(shapes)


def test_a_failure_pyshacl_returns_is_a_usage_error():
    # pySHACL returns (does not raise) its ValidationFailure for shapes SHACL forbids.
    shapes = _shapes('ex:S sh:targetNode ex:a ; sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .')
    with pytest.raises(UsageError, match="pySHACL reports a failure for these SHACL shapes"):
        pyshacl_graph_results(Graph().parse(data='<http://example.org/a> <http://example.org/p> "1" .', format="nt"),
                              shapes)


COMPONENT = """
ex:Validator rdfs:subClassOf sh:SPARQLAskValidator .
ex:TestComponent a ex:MyComponentClass ;
    sh:parameter [ sh:path ex:test ] ;
    sh:validator [ a ex:Validator ; sh:ask "ASK { FILTER (?value != $test) }" ] .
ex:S a sh:NodeShape ; sh:targetNode ex:a ; ex:test ex:a .
"""


@pytest.mark.parametrize("declaration", [
    "ex:MyComponentClass rdfs:subClassOf sh:ConstraintComponent .",
    "ex:MyComponentClass rdfs:subClassOf ex:Middle . ex:Middle rdfs:subClassOf sh:ConstraintComponent .",
    "",  # untyped: found by its sh:parameter and sh:validator
])
def test_custom_components_are_found_however_they_are_typed(declaration):
    with pytest.raises(Unsupported) as info:
        compile_shapes(_shapes(COMPONENT + declaration))
    assert any(c.startswith("custom constraint components (<http://example.org/TestComponent>")
               for c in info.value.constructs), info.value.constructs


def test_shacl_functions_go_to_pyshacl():
    shapes = _shapes('ex:f a sh:SPARQLFunction ; sh:select "SELECT ?r WHERE { BIND (1 AS ?r) }" . '
                     'ex:S sh:targetNode ex:a ; sh:sparql [ sh:select "SELECT $this WHERE { FILTER (ex:f() = 1) }" ] .')
    with pytest.raises(Unsupported, match="SHACL functions"):
        compile_shapes(shapes)


def test_prefixes_follow_owl_imports():
    shapes = _shapes("""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:base sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
        ex:mine owl:imports ex:base ; sh:declare [ sh:prefix "t" ; sh:namespace "http://t.org/"^^xsd:anyURI ] .
        ex:S sh:targetNode ex:a ;
            sh:sparql [ sh:prefixes ex:mine ; sh:select "SELECT $this WHERE { $this ex:p t:v }" ] .
    """)
    compiled = compile_shapes(shapes)
    (constraint,) = [c for s in compiled.shapes.values() for comp in s.constraints for c in comp.constraints]
    assert constraint.query.startswith("PREFIX ex: <http://example.org/>\nPREFIX t: <http://t.org/>\n")


def _ontology_with(tmp_path, text: str):
    onto = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), onto)
    with open(onto / "shapes.ttl", "a", encoding="utf-8") as handle:
        handle.write(text)
    return onto


def test_kg_validate_stops_at_invalid_shapes(make_dataset, tmp_path):
    onto = _ontology_with(tmp_path, 'kgsh:M a sh:NodeShape ; sh:targetClass kg:Event ; sh:sparql [ sh:select '
                                    '"SELECT $this WHERE { $this ?p ?o . VALUES ?o { 1 } }" ] .\n')
    project = dataclasses.replace(kg.open_project(make_dataset()), ontology_dir=onto)
    with pytest.raises(UsageError) as info:
        kg.validate(kg.load(project))
    assert str(info.value).startswith("ontology/shapes.ttl: invalid SHACL shapes: a sh:sparql of ")
    assert "VALUES in a SPARQL constraint" in str(info.value)


def test_kg_validate_hands_custom_components_to_pyshacl_and_says_so(make_dataset, tmp_path):
    onto = _ontology_with(tmp_path, """
        kgsh:Kind rdfs:subClassOf sh:ConstraintComponent .
        kgsh:Never a kgsh:Kind ; sh:parameter [ sh:path kgsh:never ] ;
            sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK { FILTER (?value = <urn:nothing>) }" ] .
        kgsh:N a sh:NodeShape ; sh:targetClass kg:Event ; kgsh:never true .
    """)
    project = dataclasses.replace(kg.open_project(make_dataset()), ontology_dir=onto)
    issues = kg.validate(kg.load(project)).sorted()
    notices = [i for i in issues if i.code == "KG402"]
    assert notices and "custom constraint components" in notices[0].message
    assert any(i.code == "KG401" for i in issues), "pySHACL ran the custom component: every event violates it"

"""SPARQL-based constraints answered cheaply, with the same answers (kg.shapes.sparql).

Two shortcuts keep sh:sparql from costing a store of every validated triple:

- :func:`predicates_read` bounds the predicates a query can match, and the store holds only
  those triples. A pruned store must answer every query exactly as the full store does, and a
  query it cannot bound (a variable predicate, a negated property set, a zero-length path)
  must get every triple: checked over generated data against a store of everything.
- :func:`native_plan` recognises one-pattern queries (``$this ex:p+ $this``) and the engine
  answers them from its own index: checked against the same constraints run on the store.

The provenance graph (the claims, most of kg's triples) is validated too: a constraint whose
query reads it sees it, through the pruned store and through the native path.

A store is refused (the shapes go to pySHACL) when it would hold a typed literal pyoxigraph does
not keep as written (kg:killed's xsd:nonNegativeInteger becomes xsd:integer there).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

import kg
from kg.build import from_resolved
from kg.build.quads import QuadsBuilder
from kg.check.resolve import resolve
from kg.ontology import load_ontology
from kg.shapes.components import SparqlComponent
from kg.shapes.engine import Unsupported, Validator, compile_shapes, validate_quads
from kg.shapes.issues import pyshacl_graph_results
from kg.shapes.sparql import native_plan, predicates_read
from kg.vocab import KG, RDF, RDFS

from conftest import MINI

EX = "http://example.org/"
PREFIX = f"PREFIX ex: <{EX}>\n"
NODES = [f"<{EX}{n}>" for n in "abcde"]
PREDICATES = [f"<{EX}p>", f"<{EX}q>", f"<{EX}r>"]
CLASSES = [f"<{EX}C>", f"<{EX}D>"]
LITERALS = ['"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '"abc"', '"abc"@en']
TYPE = f"<{RDF.type}>"

triples = st.one_of(
    st.tuples(st.sampled_from(NODES), st.sampled_from(PREDICATES), st.sampled_from(NODES + LITERALS)),
    st.tuples(st.sampled_from(NODES), st.just(TYPE), st.sampled_from(CLASSES)),
)
data_graphs = st.lists(triples, max_size=16).map(lambda ts: sorted(set(ts)))

#: Queries the store answers, each with what predicates_read must find (None: every triple).
QUERIES = {
    "SELECT $this ?value WHERE { $this ex:p ?value . ?value ex:q ?x }": {"p", "q"},
    "SELECT $this ?value WHERE { $this ex:p/ex:q ?value }": {"p", "q"},
    "SELECT $this ?value WHERE { $this (ex:p|^ex:q)+ ?value }": {"p", "q"},
    "SELECT $this WHERE { FILTER NOT EXISTS { $this a ex:C } }": {"type"},
    "SELECT $this ?value WHERE { $this ex:p ?value . FILTER EXISTS { ?value ex:q ?y } }": {"p", "q"},
    "SELECT $this ?value WHERE { $this ex:p ?value . FILTER (!EXISTS { ?value ex:r/ex:q ?y }) }": {"p", "q", "r"},
    "SELECT $this ?value WHERE { { SELECT ?value WHERE { ?value a ex:D } } $this ex:q ?value }": {"q", "type"},
    "SELECT $this (COUNT(?o) AS ?value) WHERE { $this ex:p ?o } GROUP BY $this": {"p"},
    "SELECT $this ?value WHERE { $this ex:p ?value MINUS { ?value a ex:C } }": {"p", "type"},
    "SELECT $this ?value WHERE { OPTIONAL { $this ex:q ?value } }": {"q"},
    "SELECT ?this ?value WHERE { ?this ex:p ?value . VALUES ?value { ex:a ex:b } }": {"p"},
    "SELECT $this ?value WHERE { $this ex:p ?value . FILTER (?value IN (ex:a, ex:b)) }": {"p"},
    "SELECT $this ?value WHERE { $this ex:p [ ex:q ?value ] }": {"p", "q"},
    "SELECT $this ?value WHERE { { $this ex:p ?value } UNION { ?value ex:r $this } }": {"p", "r"},
    "SELECT $this ?value WHERE { $this ex:p ?value . BIND (ex:q AS ?pp) }": {"p"},
    "SELECT DISTINCT $this ?value WHERE { $this ex:p ?v . ?v ex:p ?value } ORDER BY ?value LIMIT 2": {"p"},
    # Every triple: a variable predicate, a zero-length path, a negated property set.
    "SELECT $this ?value WHERE { $this ?p ?value }": None,
    "SELECT $this ?value WHERE { $this ex:p ?value . ?value ?pp ?z }": None,
    "SELECT $this ?value WHERE { $this ex:p* ?value }": None,
    "SELECT $this ?value WHERE { ?value ex:q? $this }": None,
    "SELECT $this ?value WHERE { $this !ex:p ?value }": None,
    "SELECT $this ?value WHERE { $this (ex:p|!ex:q) ?value }": None,
    "SELECT $this ?value WHERE { $this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?value }": None,
    "SELECT $this WHERE { FILTER NOT EXISTS { $this ?p ex:a } }": None,
}


def _iri(short: str) -> str:
    return TYPE if short == "type" else f"<{EX}{short}>"


def solutions(triple_list, query: str, focus: str, keep: frozenset[str] | None) -> list[tuple[str, ...]]:
    """Every solution (a bag, sorted) of ``query`` with $this bound to ``focus``, on a store of
    the triples whose predicate is in ``keep`` (all of them for None)."""
    store = ox.Store()
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in triple_list if keep is None or p in keep)
    store.bulk_load(text.encode(), format=ox.RdfFormat.N_TRIPLES)
    answer = store.query(query, substitutions={ox.Variable("this"): ox.NamedNode(focus[1:-1])})
    names = [v.value for v in answer.variables]
    return sorted(tuple(str(s[n]) if s[n] is not None else "-" for n in names) for s in answer)


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_predicates_read_finds_each_triple_pattern_or_says_every_triple(query):
    expected = QUERIES[query]
    found = predicates_read(PREFIX + query)
    assert found == (None if expected is None else frozenset(_iri(p) for p in expected))


@pytest.mark.parametrize("query", [
    "SELECT $this WHERE { SERVICE <http://example.org/sparql> { $this ex:p ?o } }",
    "SELECT $this FROM <http://example.org/g> WHERE { $this ex:p ?o }",
    "SELECT $this WHERE { $this ex:\\u0070 ?o }",
    "BASE <http://example.org/> SELECT $this WHERE { $this <p> ?o }",
    "this is not SPARQL",
])
def test_predicates_read_refuses_what_it_cannot_bound(query):
    assert predicates_read(PREFIX + query) is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data_graphs, st.sampled_from(sorted(QUERIES)), st.sampled_from(NODES))
def test_a_pruned_store_answers_as_the_full_store(triple_list, query, focus):
    keep = predicates_read(PREFIX + query)
    assert solutions(triple_list, PREFIX + query, focus, keep) == solutions(triple_list, PREFIX + query, focus, None)


# -- answered without SPARQL ----------------------------------------------------------------
DECLARE = [f"PREFIX ex: <{EX}>"]
NATIVE = [
    "SELECT $this ?value WHERE { $this ex:p ?value }",
    "SELECT $this WHERE { $this ex:p+ $this . }",
    "select distinct $this ?value where { ?value ^ex:q $this }",
    "SELECT $this ?value { ?value ex:p+ $this }",
    "SELECT $this WHERE { $this a ex:C }",
    f"SELECT $this WHERE {{ $this ex:p <{EX}a> }}",
    "SELECT ?value $this WHERE { $this ^ex:p+ ?value }",
    f"SELECT $this ?value WHERE {{ ?value <{EX}r> $this }}",
]
NOT_NATIVE = [
    "SELECT $this ?value WHERE { $this ex:p ?value . ?value ex:q ?x }",
    "SELECT $this ?value WHERE { $this ex:p ?value FILTER (isIRI(?value)) }",
    "SELECT $this ?value WHERE { $this ex:p* ?value }",
    "SELECT $this ?value WHERE { $this ex:p? ?value }",
    "SELECT $this ?value WHERE { $this ex:p ?value } # a comment",
    "PREFIX ex: <http://example.org/other#> SELECT $this ?value WHERE { $this ex:p ?value }",
    "SELECT $this ?value WHERE { $this ?p ?value }",
    "SELECT $this ?value WHERE { ?value ex:p ?value }",
    "SELECT $this ?value WHERE { ex:a ex:p ?value }",
    "SELECT $this ?value WHERE { $this other:p ?value }",
    "SELECT $this ?value WHERE { $this <p> ?value }",
    "SELECT $this ?x WHERE { $this ex:p ?x }",
    "SELECT * WHERE { $this ex:p ?value }",
    "SELECT $this ?value WHERE { $this ex:p ?value } LIMIT 1",
    "SELECT $this ?value WHERE { $this ex:p/ex:q ?value }",
    "SELECT $this ?value WHERE { $this A ?value }",
    "SELECT $this ?value WHERE { $THIS ex:p ?value }",
]


@pytest.mark.parametrize("query", NATIVE)
def test_one_pattern_queries_are_answered_natively(query):
    assert native_plan(query, DECLARE, ["this"]) is not None


@pytest.mark.parametrize("query", NOT_NATIVE)
def test_other_queries_run_on_the_store(query):
    assert native_plan(query, DECLARE, ["this"]) is None


def test_a_prefix_declared_twice_differently_is_not_answered_natively():
    query = NATIVE[0]
    assert native_plan(query, DECLARE + [f"PREFIX ex: <{EX}other#>"], ["this"]) is None
    assert native_plan(query, DECLARE, []) is None  # $this not pre-bound


def _shapes(queries: list[str], message: str = "") -> Graph:
    constraints = " , ".join(
        f'[ sh:prefixes ex:decl ; {message} sh:select """{q}""" ]' for q in queries)
    return Graph().parse(format="turtle", data=f"""
        @prefix ex: <{EX}> . @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "{EX}"^^xsd:anyURI ] .
        ex:S a sh:NodeShape ; sh:targetNode {" , ".join(NODES)} ; sh:sparql {constraints} .
        ex:PS a sh:PropertyShape ; sh:targetNode {" , ".join(NODES)} ; sh:path ex:q ; sh:sparql {constraints} .
    """)


def _results(quads, shapes: Graph, *, native: bool) -> list:
    compiled = compile_shapes(shapes)
    for shape in compiled.shapes.values():
        for component in shape.constraints:
            if isinstance(component, SparqlComponent):
                for constraint in component.constraints:
                    assert constraint.native is not None
                    if not native:
                        constraint.native = None
    results = validate_quads(quads, compiled, [""], Graph().namespace_manager)
    return sorted((str(r.focus), str(r.path), str(r.value), r.messages, str(r.shape), str(r.constraint))
                  for r in results)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data_graphs)
def test_native_answers_are_the_store_answers(triple_list):
    builder = QuadsBuilder()
    for s, p, o in triple_list:
        builder.add(s, p, o)
    quads = builder.finish()
    shapes = _shapes(NATIVE, 'sh:message "{$this} {?value}" ;')
    assert _results(quads, shapes, native=True) == _results(quads, shapes, native=False)


def test_kg_own_sparql_constraint_is_answered_natively():
    shapes = load_ontology().shapes
    compiled = compile_shapes(shapes)
    constraints = [c for shape in compiled.shapes.values() for component in shape.constraints
                   if isinstance(component, SparqlComponent) for c in component.constraints]
    assert constraints and all(c.native is not None for c in constraints)


# -- the provenance graph -------------------------------------------------------------------
def _mini():
    project = kg.open_project(MINI)
    resolved = resolve(kg.load(project))
    quads = from_resolved(resolved, project.prefixes).quads
    return quads, quads.names(inferred=False)  # facts, ontology, provenance (what kg validates)


def _provenance_shapes(query: str) -> Graph:
    return Graph().parse(format="turtle", data=f"""
        @prefix ex: <{EX}> . @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix kg: <{KG}> .
        ex:decl sh:declare [ sh:prefix "kg" ; sh:namespace "{KG}"^^xsd:anyURI ] .
        ex:CitedSource a sh:NodeShape ; sh:targetClass kg:Source ;
            sh:sparql [ sh:prefixes ex:decl ; sh:message "cited by {{?value}}" ; sh:select \"\"\"{query}\"\"\" ] .
    """)


def _compare_with_pyshacl(quads, names, shapes: Graph) -> list:
    ours = validate_quads(quads, compile_shapes(shapes), names, Graph().namespace_manager)
    data = Graph().parse(data="".join(f"{s} {p} {o} .\n" for s, p, o in quads.triples(names)), format="nt")
    theirs = pyshacl_graph_results(data, shapes)

    def key(results):
        return sorted((str(r.focus), str(r.value), r.messages) for r in results)

    assert key(ours) == key(theirs)
    return ours


def _kept_by_pyoxigraph(quads, names):
    """The quads without the typed literals pyoxigraph's store would change (kg:killed's
    xsd:nonNegativeInteger becomes xsd:integer there), in one graph."""
    store = ox.Store()
    literals = {o for _, _, o in quads.triples(names) if o[0] == '"'}
    store.bulk_load("".join(f"<urn:s> <urn:p> {o} .\n" for o in literals).encode(), format=ox.RdfFormat.N_TRIPLES)
    kept = {str(q.object) for q in store}
    builder = QuadsBuilder()
    for s, p, o in quads.triples(names):
        if o[0] != '"' or o in kept:
            builder.add(s, p, o)
    return builder.finish(), [""]


@pytest.mark.parametrize("query, read", [
    # kg:source and kg:quote are only in the provenance graph.
    ("SELECT $this ?value WHERE { ?value kg:source $this . ?value kg:quote ?q . FILTER (STRLEN(?q) > 20) }",
     {KG.source, KG.quote}),
    # A variable predicate: the store holds every validated triple (but kg:killed's, see below).
    ("SELECT $this ?value WHERE { ?value ?p $this . ?value a kg:Claim }", None),
])
def test_a_query_over_the_provenance_graph_sees_it_through_the_store(query, read):
    quads, names = _mini()
    if read is None:
        quads, names = _kept_by_pyoxigraph(quads, names)
    shapes = _provenance_shapes(query)
    results = _compare_with_pyshacl(quads, names, shapes)
    assert results, "the claims citing each source are in the provenance graph"
    validator = Validator(quads, names, compile_shapes(shapes), Graph().namespace_manager)
    wanted = validator.store_predicates()
    assert wanted == (None if read is None else frozenset(f"<{p}>" for p in read))
    held = len(validator.store())
    assert held == (len(list(quads.triples(names))) if read is None else
                    sum(1 for _, p, _ in quads.triples(names) if p in wanted))


def test_literals_pyoxigraph_would_change_send_the_shapes_to_pyshacl():
    # "3"^^xsd:nonNegativeInteger (kg:killed) is "3"^^xsd:integer in pyoxigraph's store, where
    # datatype() and joins would then answer wrongly: the store is refused, the shapes go to pySHACL.
    quads, names = _mini()
    shapes = _provenance_shapes("SELECT $this ?value WHERE { ?value ?p $this . ?value a kg:Claim }")
    with pytest.raises(Unsupported, match="typed literals pyoxigraph does not keep as written"):
        validate_quads(quads, compile_shapes(shapes), names, Graph().namespace_manager)
    kept, graphs = _kept_by_pyoxigraph(quads, names)
    assert validate_quads(kept, compile_shapes(shapes), graphs, Graph().namespace_manager)


@pytest.mark.parametrize("target, kept", [('"1"^^xsd:integer', True), ('"12"^^xsd:byte', False),
                                          ('"1"^^xsd:nonNegativeInteger', False), ('"a"@en', True)])
def test_a_literal_focus_node_pyoxigraph_would_change_goes_to_pyshacl(target, kept):
    shapes = Graph().parse(format="turtle", data=f"""
        @prefix ex: <{EX}> . @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:S sh:targetNode {target} ; sh:sparql [ sh:select "SELECT $this WHERE {{ FILTER (isLiteral($this)) }}" ] .
    """)
    compiled = compile_shapes(shapes)
    if kept:
        assert len(validate_quads(QuadsBuilder().finish(), compiled, [""], Graph().namespace_manager)) == 1
    else:
        with pytest.raises(Unsupported, match="typed literal pyoxigraph does not keep as written"):
            validate_quads(QuadsBuilder().finish(), compiled, [""], Graph().namespace_manager)


def test_a_query_over_the_provenance_graph_sees_it_natively():
    quads, names = _mini()
    shapes = _provenance_shapes("SELECT $this ?value WHERE { ?value kg:source $this }")
    compiled = compile_shapes(shapes)
    (constraint,) = [c for shape in compiled.shapes.values() for component in shape.constraints
                     if isinstance(component, SparqlComponent) for c in component.constraints]
    assert constraint.native is not None
    results = _compare_with_pyshacl(quads, names, shapes)
    assert len(results) == sum(1 for _, p, _ in quads.triples(names) if p == f"<{KG.source}>")


def test_subclass_triples_reach_the_store_when_a_query_reads_them():
    assert predicates_read(PREFIX + "SELECT $this WHERE { $this a/rdfs:subClassOf+ ex:C }".replace(
        "rdfs:subClassOf", f"<{RDFS.subClassOf}>")) == frozenset({TYPE, f"<{RDFS.subClassOf}>"})

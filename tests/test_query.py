"""The query library: the engine, parameters, result formats and errors (not the saved
questions' answers: tests/test_query_named.py)."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

import kg
import kg.query
from kg.errors import UsageError
from kg.query import QueryError, QueryResult, ResultTooLarge, UpdateRefused, dump_result
from kg.vocab import KG, RDFS, XSD

from conftest import MINI

BASE = "https://w3id.org/osint-kg/data/cartel-drones-ukraine/"
CARTELS = "SELECT ?a ?label WHERE { ?a a kg:Cartel ; rdfs:label ?label } ORDER BY ?label"


@pytest.fixture(scope="module")
def engine(bundled_project):
    return kg.query.open_engine(bundled_project)


def test_union_of_graphs_facts_provenance_and_ontology_in_one_query(engine):
    # A fact (default graph), its claim (provenance graph) and a class label (ontology graph).
    result = engine.query("""
        SELECT ?quote ?classLabel WHERE {
          data:emc kg:dissidentFactionOf data:farc .
          ?claim rdf:subject data:emc ; rdf:object data:farc ; kg:quote ?quote .
          data:emc a ?class . ?class rdfs:label ?classLabel .
        }""")
    assert len(result) == 1
    assert "the work of EMC" in str(result.rows[0]["quote"])
    assert str(result.rows[0]["classLabel"]) == "Dissident faction"
    # An allegation is in no graph: the union does not make it pass for a fact.
    assert engine.query("ASK { data:medellin-helicopter-downing kg:perpetrator data:emc }").boolean is False


def test_rows_are_dicts_of_rdflib_terms_and_a_dataframe(engine):
    result = engine.query(CARTELS)
    assert result.kind == "select" and result.variables == ["a", "label"]
    assert {"a": URIRef(BASE + "cjng"), "label": Literal("CJNG")} in result.rows
    frame = result.to_dataframe()
    assert list(frame.columns) == ["a", "label"]
    assert len(frame) == len(result.rows)
    assert BASE + "cjng" in set(frame["a"])


def test_dataframe_has_python_values_and_none_for_unbound(engine):
    result = engine.query("SELECT ?e ?killed WHERE { ?e a kg:Event OPTIONAL { ?e kg:killed/kg:value ?killed } }")
    frame = result.to_dataframe()
    values = dict(zip(frame["e"], frame["killed"], strict=True))
    # The downing's toll is disputed (several rows); the ambush's one ("a colonel was killed").
    assert values[BASE + "chihuahua-ambush"] == 1
    assert pd.isna(values[BASE + "chihuahua-drone-display"])  # unbound: missing in pandas
    assert result.to_python()[0].keys() == {"e", "killed"}


def test_run_accepts_a_project_a_dataset_a_directory_and_an_engine(bundled_project, bundled_dataset, engine):
    expected = engine.query(CARTELS).rows
    assert kg.query.run(bundled_project, CARTELS).rows == expected
    assert kg.query.run(bundled_dataset, CARTELS).rows == expected
    assert kg.query.run(None, CARTELS).rows == expected  # the bundled dataset by default
    assert kg.query.run(engine, CARTELS).rows == expected


def test_another_dataset_by_directory():
    result = kg.query.run(MINI, "SELECT ?label WHERE { ?a a kg:Cartel ; rdfs:label ?label }")
    assert result.values("label") == {"Example Cartel"}


def test_relative_iris_resolve_against_the_dataset_base(engine):
    assert engine.query("ASK { <chihuahua> kg:locatedIn+ <mexico> }").boolean is True


def test_ask_and_construct(engine):
    assert engine.query("ASK { data:cjng a kg:Cartel }").boolean is True
    assert engine.query("ASK { data:cjng a kg:Person }").boolean is False
    graph = engine.query("CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a kg:Cartel ; rdfs:label ?l }")
    assert graph.kind == "graph"
    assert (URIRef(BASE + "cjng"), RDFS.label, Literal("CJNG")) in graph.graph
    described = engine.query("DESCRIBE data:emc")
    assert (URIRef(BASE + "emc"), KG.dissidentFactionOf, URIRef(BASE + "farc")) in described.graph


def test_params_are_bound_values_not_query_text(engine):
    result = kg.query.run(engine, "SELECT ?place ?e WHERE { ?e kg:place ?place }",
                          params={"place": "data:medellin"})
    assert result.values("e") == {BASE + "medellin-helicopter-downing"}
    # A value that would change the query if it were pasted in matches nothing, harmlessly.
    hostile = '" } ?s ?p ?o . { "'
    found = kg.query.run(engine, "find-by-name", params={"name": hostile})
    assert found.rows == []
    # An IRI parameter refuses characters that cannot be in an IRI.
    with pytest.raises(UsageError, match="not an IRI"):
        kg.query.run(engine, "events-in-place", params={"place": "<x> } <y"})
    with pytest.raises(UsageError, match="not a valid IRI"):
        kg.query.run(engine, "events-in-place", params={"place": "<http://x/a> } ?s ?p ?o . { <b>"})
    with pytest.raises(UsageError, match="no parameter"):
        kg.query.run(engine, "events-in-place", params={"country": "data:colombia"})


def test_param_values_take_every_iri_spelling(engine):
    for spelling in ("data:colombia", f"<{BASE}colombia>", "colombia", f"{BASE}colombia"):
        result = kg.query.run(engine, "events-in-place", params={"place": spelling})
        assert BASE + "medellin-helicopter-downing" in result.values("event"), spelling


def test_parameter_missing_from_select_is_explained(engine):
    with pytest.raises(QueryError, match="must be in the SELECT clause"):
        engine.query("SELECT ?e WHERE { ?e kg:place ?place }", {"place": URIRef(BASE + "colombia")})


def test_syntax_error_has_line_column_and_expectation(engine):
    with pytest.raises(QueryError) as info:
        engine.query("SELECT ?x\nWHERE {\n  ?x a kg:Cartel\n")
    err = info.value
    assert (err.line, err.column) == (4, 1) or err.line == 3
    assert "expected" in err.message
    assert err.format().splitlines()[0].startswith(f"query:{err.line}:{err.column}: syntax error")
    assert "^" in err.format()
    assert err.exit_code == 2


def test_unknown_prefix_is_named_and_located(engine):
    with pytest.raises(QueryError) as info:
        engine.query("SELECT ?x WHERE {\n  ?x ex:p ?y }")
    assert "unknown prefix ex:" in info.value.message
    assert (info.value.line, info.value.column) == (2, 6)


@pytest.mark.parametrize("update", [
    "INSERT DATA { <a> <b> <c> }",
    "PREFIX x: <http://x/>\n# a comment\nDELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "LOAD <http://example.org/x.ttl>",
])
def test_updates_are_refused(engine, update):
    with pytest.raises(UpdateRefused, match="read-only"):
        engine.query(update)


def test_result_cap_stops_the_query(engine):
    with pytest.raises(ResultTooLarge, match="more than 10 rows"):
        engine.query("SELECT * WHERE { ?s ?p ?o }", max_rows=10)
    assert len(engine.query(CARTELS, max_rows=100)) > 0


def test_select_formats_are_standard_and_parse_back(engine):
    result = engine.query(CARTELS)
    js = json.loads(dump_result(result, "json"))
    assert js["head"]["vars"] == ["a", "label"]
    assert {"type": "uri", "value": BASE + "cjng"} in [b["a"] for b in js["results"]["bindings"]]
    xml = Result.parse(io.BytesIO(dump_result(result, "xml")), format="xml")
    assert len(list(xml)) == len(result)
    rows = list(csv.reader(io.StringIO(dump_result(result, "csv").decode("utf-8"))))
    assert rows[0] == ["a", "label"] and [BASE + "cjng", "CJNG"] in rows
    tsv = dump_result(result, "tsv").decode("utf-8").splitlines()
    assert tsv[0] == "?a\t?label" and f'<{BASE}cjng>\t"CJNG"' in tsv
    assert "data:cjng" in dump_result(result, "table").decode("utf-8")


def test_tsv_escapes_and_types_terms():
    result = QueryResult("select", ["v"], [{"v": Literal('a\tb\n"c"')}, {"v": Literal(3)},
                                          {"v": Literal("x", lang="es")}, {"v": Literal("2024", datatype=XSD.gYear)},
                                          {"v": None}])
    lines = dump_result(result, "tsv").decode("utf-8").split("\n")
    assert lines[1:6] == ['"a\\tb\\n\\"c\\""', "3", '"x"@es', f'"2024"^^<{XSD.gYear}>', ""]


def test_ask_formats(engine):
    yes = engine.query("ASK { data:cjng a kg:Cartel }")
    assert json.loads(dump_result(yes, "json")) == {"head": {}, "boolean": True}
    assert b"<boolean>true</boolean>" in dump_result(yes, "xml")
    assert dump_result(yes, "table") == b"yes\n"


def test_construct_formats_round_trip(engine):
    result = engine.query("CONSTRUCT { ?a ?p ?o } WHERE { ?a a kg:Cartel ; ?p ?o }")
    for name, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")):
        graph = Graph().parse(data=dump_result(result, name), format=parser)
        assert isomorphic(graph, result.graph), name
    with pytest.raises(UsageError, match="cannot hold"):
        dump_result(result, "csv")
    with pytest.raises(UsageError, match="cannot hold"):
        dump_result(engine.query(CARTELS), "ttl")


def test_outputs_are_deterministic(bundled_project):
    first = kg.query.run(bundled_project, "who-attributed-what")
    second = kg.query.run(bundled_project, "who-attributed-what")
    for name in ("json", "csv", "tsv", "xml", "table"):
        assert dump_result(first, name) == dump_result(second, name)
    graph = "CONSTRUCT { ?a ?p ?o } WHERE { ?a a kg:Cartel ; ?p ?o }"
    a, b = kg.query.run(bundled_project, graph), kg.query.run(bundled_project, graph)
    for name in ("ttl", "nt", "jsonld", "rdf"):
        assert dump_result(a, name) == dump_result(b, name)


def test_table_makes_control_and_bidi_characters_visible():
    result = QueryResult("select", ["v"], [{"v": Literal("\x1b[31mred\u202egnp.exe\nnext")}])
    table = dump_result(result, "table").decode("utf-8")
    assert "\x1b" not in table and "\u202e" not in table
    assert "\\u001b[31mred\\u202egnp.exe\\nnext" in table


def test_content_negotiation():
    from kg.query import negotiate

    assert negotiate("application/sparql-results+json,application/json", "select").name == "json"
    assert negotiate("text/csv", "select").name == "csv"
    assert negotiate("application/sparql-results+xml;q=0.5, text/tab-separated-values", "select").name == "tsv"
    assert negotiate("*/*", "select").name == "json"
    assert negotiate(None, "graph").name == "ttl"
    assert negotiate("application/n-triples", "graph").name == "nt"
    assert negotiate("application/ld+json", "graph").name == "jsonld"
    assert negotiate("application/rdf+xml,application/xml", "graph").name == "rdf"
    assert negotiate("text/csv", "graph").name == "ttl"  # nothing usable: the default for graphs

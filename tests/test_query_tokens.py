"""How the engine hands results over: as the SPARQL TSV Oxigraph writes (kg/query/tokens.py), made
into rdflib terms on first use and written by Oxigraph's result writers. Checked against an
independent path (pyoxigraph's own term objects, converted one by one) and against rdflib's own
constructors."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef

import kg.query
from kg.query import QueryError, QueryResult, ResultTooLarge, dump_result
from kg.query.named import find_named
from kg.query.terms import from_ox, string_literal, uriref
from kg.query.tokens import from_rdflib, parse_token, to_rdflib
from kg.vocab import XSD

S, P = URIRef("http://example.org/s"), URIRef("http://example.org/p")
FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

# Text with everything TSV has to escape or keep: tabs, line breaks, quotes, backslashes, control
# and bidi characters, characters outside the BMP. (No surrogates: they are not text.)
text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
language = st.from_regex(r"[a-zA-Z]{2,3}(-[a-zA-Z]{2})?(-[a-zA-Z0-9]{5,8})?", fullmatch=True)
typed = st.one_of(
    st.integers(-10**30, 10**30).map(lambda n: Literal(str(n), datatype=XSD.integer)),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: Literal(str(d), datatype=XSD.decimal)),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: Literal(repr(f), datatype=XSD.double)),
    st.booleans().map(lambda b: Literal("true" if b else "false", datatype=XSD.boolean)),
    st.dates().map(lambda d: Literal(d.isoformat(), datatype=XSD.date)),
    text.map(lambda t: Literal(t, datatype=XSD.gYear)),  # ill-typed lexical forms stay as they are
    text.map(lambda t: Literal(t, datatype=URIRef("http://example.org/dt"))),
)
terms = st.one_of(
    text.map(Literal),
    st.tuples(text, language).map(lambda x: Literal(x[0], lang=x[1])),
    typed,
    st.from_regex(r"[a-z]{1,8}", fullmatch=True).map(lambda t: URIRef(f"http://example.org/{t}")),
    st.lists(st.sampled_from(["a", "z", "é", "日本", "%20", "-", "_", "~", ".", "?q=1"]), min_size=1,
             max_size=8).map(lambda parts: URIRef("http://example.org/x/" + "".join(parts))),
)


def _engine_for(term) -> kg.query.Engine:
    graph = Graph()
    graph.add((S, P, term))
    return kg.query.open_engine(graph)


@FUZZ
@given(terms)
@example(Literal('a\tb\n"c"\\d\r\x1b[31m\u202e\U0001F600'))
@example(Literal("", lang="en"))
@example(Literal("007", datatype=XSD.integer))
@example(Literal("1.50", datatype=XSD.decimal))
@example(Literal("1e3", datatype=XSD.double))
@example(Literal("not a number", datatype=XSD.integer))
def test_rows_agree_with_pyoxigraph_terms_converted_one_by_one(term):
    engine = _engine_for(term)
    query = f"SELECT ?o WHERE {{ <{S}> <{P}> ?o }}"
    expected = [from_ox(solution["o"]) for solution in engine.store.query(query)]
    got = engine.query(query).rows
    assert [row["o"] for row in got] == expected
    for mine, theirs in zip([row["o"] for row in got], expected, strict=True):
        assert type(mine) is type(theirs)
        assert repr(mine) == repr(theirs)
        if isinstance(mine, Literal):
            assert (mine.value, mine.language, mine.datatype) == (theirs.value, theirs.language, theirs.datatype)


@FUZZ
@given(terms)
def test_tsv_terms_round_trip_and_match_what_oxigraph_writes(term):
    token = from_rdflib(term)
    assert "\t" not in token and "\n" not in token
    assert to_rdflib(token) == term
    if not (isinstance(term, Literal) and term.datatype):  # Oxigraph canonicalizes typed values
        engine = _engine_for(term)
        tsv = engine.store.query(f"SELECT ?o WHERE {{ <{S}> <{P}> ?o }}").serialize(format=ox.QueryResultsFormat.TSV)
        if isinstance(term, Literal) and term.language:  # Oxigraph writes language tags in lower case
            token = from_rdflib(Literal(str(term), lang=term.language.lower()))
        assert tsv.decode("utf-8").split("\n")[1] == token


@FUZZ
@given(st.lists(st.one_of(terms, st.none()), min_size=1, max_size=5))
def test_every_format_reads_back_the_same_rows(values):
    rows = [{"v": value} for value in values]
    result = QueryResult("select", ["v"], rows)
    expected = list(values)
    back = json.loads(dump_result(result, "json"))["results"]["bindings"]
    assert len(back) == len(values)
    for binding, value in zip(back, expected, strict=True):
        if value is None:
            assert binding == {}
            continue
        assert binding["v"]["value"] == str(value)
    lines = dump_result(result, "tsv").decode("utf-8").split("\n")
    assert [to_rdflib(t) for t in lines[1:-1]] == [to_rdflib(from_rdflib(v)) for v in values]
    table = list(csv.reader(io.StringIO(dump_result(result, "csv").decode("utf-8"), newline="")))
    assert table[0] == ["v"] and [r[0] if r else "" for r in table[1:]] == ["" if v is None else str(v) for v in values]
    ET.fromstring(dump_result(result, "xml"))  # well-formed XML 1.0, whatever the text held


def test_fast_constructors_build_what_rdflib_builds():
    for made, built in ((uriref("http://example.org/a%20b"), URIRef("http://example.org/a%20b")),
                        (string_literal("x\ty", None), Literal("x\ty")),
                        (string_literal("hola", "es"), Literal("hola", lang="es"))):
        assert type(made) is type(built) and made == built and hash(made) == hash(built)
        assert repr(made) == repr(built) and made.n3() == built.n3()
        if isinstance(built, Literal):
            assert made.value == built.value and made.toPython() == built.toPython()
            assert made.eq(built) and (made.language, made.datatype) == (built.language, built.datatype)


def test_the_result_cap_counts_rows_exactly():
    graph = Graph()
    for i in range(10):
        graph.add((URIRef(f"http://example.org/s{i}"), P, Literal(f"line\n{i}")))  # escaped: one line a row
    engine = kg.query.open_engine(graph)
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    assert len(engine.query(query, max_rows=10)) == 10
    with pytest.raises(ResultTooLarge, match="more than 9 rows"):
        engine.query(query, max_rows=9)
    with pytest.raises(ResultTooLarge):
        engine.query(query, max_rows=0)


def test_a_big_result_is_stopped_at_the_cap_not_read_whole():
    graph = Graph()
    for i in range(30_000):
        graph.add((URIRef(f"http://example.org/s{i}"), P, Literal(i)))
    engine = kg.query.open_engine(graph)
    with pytest.raises(ResultTooLarge):
        engine.query("SELECT * WHERE { ?s ?p ?o . ?s2 ?p2 ?o2 }", max_rows=100)  # 9e8 rows if read whole


def test_zero_variables_and_empty_results():
    engine = kg.query.open_engine(Graph())
    nothing = engine.query("SELECT * WHERE {}")
    assert len(nothing) == 1 and nothing.rows == [{}] and nothing.variables == []
    assert json.loads(dump_result(nothing, "json"))["results"]["bindings"] == [{}]
    empty = engine.query("SELECT ?x WHERE { ?x ?p ?o }")
    assert len(empty) == 0 and empty.rows == [] and dump_result(empty, "tsv") == b"?x\n"


def test_json_is_one_row_a_line_and_xml_has_no_control_characters():
    rows = [{"v": Literal('}},{"x": 1}'), "w": URIRef("http://example.org/a")},
            {"v": Literal("bell\x07"), "w": None}]
    result = QueryResult("select", ["v", "w"], rows)
    data = dump_result(result, "json")
    assert json.loads(data)["results"]["bindings"][0]["v"]["value"] == '}},{"x": 1}'
    assert len(data.splitlines()) == 2  # the head and first row, then the second row
    xml = dump_result(result, "xml")
    assert b"\x07" not in xml and "bell\ufffd".encode() in xml
    ET.fromstring(xml)


def test_triple_terms_are_a_clear_query_error():
    engine = kg.query.open_engine(Graph())
    with pytest.raises(QueryError, match="triple term"):
        engine.query("SELECT ?t WHERE { BIND(TRIPLE(<http://a>, <http://b>, <http://c>) AS ?t) }")
    with pytest.raises(ValueError, match="triple term"):
        parse_token("<<( <http://a> <http://b> <http://c> )>>")
    literal = engine.query('SELECT ?t WHERE { BIND("\t<<( not a triple" AS ?t) }')
    assert str(literal.rows[0]["t"]) == "\t<<( not a triple"


def test_blank_nodes_come_back_as_blank_nodes():
    graph = Graph()
    graph.add((S, P, BNode("b1")))
    row = kg.query.open_engine(graph).query(f"SELECT ?o WHERE {{ <{S}> <{P}> ?o }}").rows[0]
    assert isinstance(row["o"], BNode)


def test_a_changed_question_file_is_read_again(tmp_path):
    queries = tmp_path / "queries"
    queries.mkdir()
    path = queries / "probe.rq"
    path.write_text("# First version.\nSELECT (1 AS ?n) WHERE {}\n", encoding="utf-8")
    assert "1 AS" in find_named("probe", tmp_path).text
    path.write_text("# Second version, longer.\nSELECT (2 AS ?n) WHERE {}\n", encoding="utf-8")
    assert "2 AS" in find_named("probe", tmp_path).text
    path.unlink()
    assert find_named("probe", tmp_path) is None  # gone, and no shipped question has that name


# --- query_bytes: SELECT results written by Oxigraph straight in the endpoint's formats -------


@pytest.fixture(scope="module")
def bundled_engine(bundled_project):
    return kg.query.open_engine(bundled_project)


def _same_document(written: bytes, dumped: bytes, fmt: str) -> bool:
    """The endpoint's bytes and the file's say the same: JSON files put one row a line, and
    files end with a line break."""
    if fmt == "json":
        return json.loads(written) == json.loads(dumped) and written.count(b"\n") == 0
    return written.rstrip(b"\n") == dumped.rstrip(b"\n")


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_written_results_say_what_dump_result_writes(bundled_engine, fmt):
    from kg.query.named import named_queries

    for name, question in named_queries().items():
        params = question.bind({}, bundled_engine.prefixes, bundled_engine.base)
        written = bundled_engine.query_bytes(question.text, params, select_format=fmt, source=name)
        assert _same_document(written, dump_result(bundled_engine.query(question.text, params), fmt), fmt), name


def _rows_graph(values: list[str]) -> Graph:
    graph = Graph()
    for i, value in enumerate(values):
        graph.add((URIRef(f"http://example.org/s{i:05d}"), P, Literal(value)))
    return graph


# Text that looks like the row marks (escaped in the output, so never counted) and long values
# (so that marks straddle Oxigraph's 8 KB writes).
TRICKY = ['line\nbreak', '"bindings":[{"a', "<result>x</result>", "tab\there", '}}{"}', "x" * 3000]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_the_cap_counts_rows_exactly_in_every_written_format(fmt):
    values = [TRICKY[i % len(TRICKY)] + str(i) for i in range(600)]
    engine = kg.query.open_engine(_rows_graph(values))
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    whole = engine.query_bytes(query, select_format=fmt, max_rows=600)
    assert len(whole) > 200_000
    assert _same_document(whole, dump_result(engine.query(query), fmt), fmt)
    with pytest.raises(ResultTooLarge):
        engine.query_bytes(query, select_format=fmt, max_rows=599)
    with pytest.raises(ResultTooLarge):
        engine.query_bytes(query, select_format=fmt, max_rows=0)
    empty = engine.query_bytes("SELECT ?s WHERE { ?s <http://example.org/none> ?o }", select_format=fmt,
                               max_rows=0)
    assert _same_document(empty, dump_result(engine.query("SELECT ?s WHERE { ?s <http://example.org/none> ?o }"),
                                             fmt), fmt)


def test_json_values_holding_the_row_mark_can_only_bring_the_cap_closer():
    values = ["a,{b" if i % 10 == 0 else str(i) for i in range(100)]  # ",{" inside 10 values
    engine = kg.query.open_engine(_rows_graph(values))
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    assert engine.query_bytes(query, select_format="json", max_rows=110)  # 100 rows, counted as 110
    with pytest.raises(ResultTooLarge):
        engine.query_bytes(query, select_format="json", max_rows=109)
    for fmt in ("xml", "tsv"):  # exact
        assert engine.query_bytes(query, select_format=fmt, max_rows=100)


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_rows_with_nothing_bound_are_counted_too(fmt):
    engine = kg.query.open_engine(_rows_graph([str(i) for i in range(50)]))
    query = "SELECT ?x WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/none> ?x } }"  # 50 empty rows
    assert engine.query_bytes(query, select_format=fmt, max_rows=50)
    with pytest.raises(ResultTooLarge):
        engine.query_bytes(query, select_format=fmt, max_rows=49)


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_written_triple_terms_are_a_clear_query_error(fmt):
    engine = kg.query.open_engine(Graph())
    with pytest.raises(QueryError, match="triple term"):
        engine.query_bytes("SELECT ?t WHERE { BIND(TRIPLE(<http://a>, <http://b>, <http://c>) AS ?t) }",
                           select_format=fmt)


def test_non_select_results_come_back_as_results(bundled_engine):
    ask = bundled_engine.query_bytes("ASK { ?s ?p ?o }", select_format="json")
    assert isinstance(ask, QueryResult) and ask.boolean is True
    graph = bundled_engine.query_bytes("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3", select_format="json")
    assert isinstance(graph, QueryResult) and graph.kind == "graph" and len(graph) == 3
    with pytest.raises(ValueError, match="select_format"):
        bundled_engine.query_bytes("ASK {}", select_format="csv")


def test_written_xml_holds_no_character_xml_cannot_carry():
    engine = kg.query.open_engine(_rows_graph(["bell\x07", "nul\x00byte"]))
    xml = engine.query_bytes("SELECT ?o WHERE { ?s ?p ?o }", select_format="xml")
    assert b"\x07" not in xml and b"\x00" not in xml
    assert {e.text for e in ET.fromstring(xml).iter("{http://www.w3.org/2005/sparql-results#}literal")} == {
        "bell\ufffd", "nul\ufffdbyte"}


def test_a_graph_with_a_term_that_is_not_rdf_is_a_clear_error():
    graph = Graph()
    graph.add((URIRef("http://example.org/a b"), P, Literal("x")))  # rdflib only warns
    with pytest.raises(ValueError, match="not valid RDF.*IRI"):
        kg.query.open_engine(graph)

"""No injection: strings from data are escaped for every target they are written to. The fixture
``tests/fixtures/hostile`` carries Cypher breakouts (``x'}) DETACH DELETE n //``, a double-quoted
one with a second statement, backticks, backslashes and ``\\u0027``), XML breakouts
(``</data><node id="evil"/>``, ``&``, ``]]>``) and control characters in labels, aliases,
descriptions, quotes, notes and the source's label.

Where each target is covered:

* Cypher (``neo4j`` export: load.cypher and the neo4j-admin CSV files): here, loaded into LadybugDB
  (``ladybug``, Kùzu's maintained successor).
* GraphML and GEXF: here, read back by networkx.
* RDF formats: here, read back by rdflib.
* CSV (formula injection): tests/test_export.py::test_formula_injection_from_data_is_neutralised;
  here, the hostile strings read back verbatim.
* HTML (the explorer): tests/test_viz_browser.py::test_xss_probes_render_as_text_and_never_run
  (tests/fixtures/xss in headless Chromium); the query UI writes data with textContent only
  (tests/test_serve.py).
* SPARQL parameters: tests/test_hostile_query.py (bound values, never spliced).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import ladybug
import networkx as nx
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from test_export_neo4j import copy_csv, create_schema, query, run_script

import kg
from kg.export import EXPORTS, dump_export, write_export
from kg.export.flat import flat_graph
from kg.export.network import xml_text
from kg.export.tables import unescape_cell
from kg.output.rdf import single_graph
from kg.vocab import KG, RDF

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
CYPHER = "x'}) DETACH DELETE n //"
XML_BREAKOUT = '</data><node id="evil"/><data key="x">'
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _rows(name: str) -> list[dict[str, str]]:
    with open(HOSTILE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ENTITIES = {row["id"]: row for row in _rows("entities.csv")}
STATEMENTS = _rows("statements.csv")
ALIASES = {s: sorted(r["object"] for r in STATEMENTS if r["subject"] == s and r["predicate"] == "skos:altLabel")
           for s in ENTITIES}


@pytest.fixture(scope="module")
def project() -> kg.Project:
    return kg.open_project(HOSTILE)


@pytest.fixture(scope="module")
def dataset(project):
    records = kg.load(project)
    assert kg.validate(records).ok  # hostile text is valid data: it must get through, escaped
    return kg.build(records)


@pytest.fixture(scope="module")
def quotes(dataset, project) -> set[str]:
    """The quotes as the graph holds them (kg normalises their white space when loading)."""
    provenance = dataset.graph(URIRef(f"{project.base}graph/provenance"))
    found = {str(q) for q in provenance.objects(None, KG.quote)}
    assert any(CONTROL.search(q) for q in found) and any(CYPHER in q for q in found)
    return found


def test_the_fixture_is_hostile():
    labels = {row["label"] for row in ENTITIES.values()}
    assert CYPHER in labels and XML_BREAKOUT in labels
    assert any("\\" in label and "`" in label for label in labels)
    assert any(CONTROL.search(label) for label in labels)
    assert any('"' in alias and ";" in alias for aliases in ALIASES.values() for alias in aliases)


# --- Cypher ------------------------------------------------------------------------------------

def _check_cypher_db(conn, dataset, project, quotes) -> None:
    flat = flat_graph(dataset)
    # Nothing deleted: every node, claim and link is there.
    assert query(conn, "MATCH (n:Entity) RETURN count(*)") == [(len(flat.nodes),)]
    assert query(conn, "MATCH (a:Entity)-[r]->(b:Entity) RETURN count(r)") == [(len(flat.edges),)]
    claims = query(conn, "MATCH (c:Claim) RETURN count(*)")[0][0]
    assert claims == len(set(dataset.graph(URIRef(f"{project.base}graph/provenance")).subjects(RDF.type, KG.Claim)))
    # The hostile text, verbatim.
    got = {i: (label, sorted(aliases or []), description)
           for i, label, aliases, description in query(conn, "MATCH (n:Entity) RETURN n.id, n.label, n.aliases, "
                                                              "n.description")}
    for entity, row in ENTITIES.items():
        assert got[entity] == (row["label"], ALIASES[entity], row["description"] or None), entity
    assert {q for (q,) in query(conn, "MATCH (c:Claim) WHERE c.quote IS NOT NULL RETURN c.quote")} == quotes
    notes = {n for (n,) in query(conn, "MATCH (c:Claim) WHERE c.note IS NOT NULL RETURN c.note")}
    assert notes == {r["note"] for r in STATEMENTS if r["note"]}


def test_cypher_script_keeps_hostile_text_verbatim_and_deletes_nothing(dataset, project, quotes, tmp_path):
    out = tmp_path / "neo4j"
    write_export(dataset, "neo4j", out)
    script = (out / "load.cypher").read_text(encoding="utf-8")
    assert "DETACH DELETE" in script  # the text is there, inside string literals only:
    for line in script.splitlines():
        if line.startswith(("MERGE", "MATCH")):
            code = re.sub(r'"(?:[^"\\]|\\.)*"|`(?:[^`]|``)*`', "", line)  # strip literals and names
            assert "DELETE" not in code and "//" not in code and "'" not in code, line
            assert not CONTROL.search(line), "control characters are escaped (\\uXXXX)"
    db = ladybug.Database(str(tmp_path / "script.lbdb"))
    conn = ladybug.Connection(db)
    try:
        create_schema(conn, out)
        run_script(conn, out / "load.cypher")
        _check_cypher_db(conn, dataset, project, quotes)
        run_script(conn, out / "load.cypher")  # twice: still nothing deleted, nothing doubled
        _check_cypher_db(conn, dataset, project, quotes)
    finally:
        conn.close()
        db.close()


def test_neo4j_admin_csv_keeps_hostile_text_verbatim(dataset, project, quotes, tmp_path):
    out = tmp_path / "neo4j"
    write_export(dataset, "neo4j", out)
    delimiter = re.search(r"--array-delimiter='(.)'", (out / "import.sh").read_text(encoding="utf-8")).group(1)
    assert all(delimiter not in alias for aliases in ALIASES.values() for alias in aliases)
    db = ladybug.Database(str(tmp_path / "csv.lbdb"))
    conn = ladybug.Connection(db)
    try:
        create_schema(conn, out)
        copy_csv(conn, out, delimiter)
        _check_cypher_db(conn, dataset, project, quotes)
    finally:
        conn.close()
        db.close()


# --- GraphML and GEXF --------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_escape_markup_and_control_characters(dataset, project, quotes, fmt):
    data = dump_export(dataset, fmt)
    assert b'<node id="evil"' not in data
    G = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
    flat = flat_graph(dataset)
    assert G.number_of_nodes() == len(flat.nodes) and "evil" not in G
    assert G.number_of_edges() == len(flat.edges)
    for entity, row in ENTITIES.items():
        attrs = G.nodes[entity]
        # Verbatim, but for the characters XML 1.0 cannot hold at all (U+FFFD in their place).
        assert attrs["label"] == xml_text(row["label"]), entity
        if row["description"]:
            assert attrs["description"] == xml_text(row["description"])
        if ALIASES[entity]:
            assert sorted(attrs["aliases"].split(" | ")) == [xml_text(a) for a in ALIASES[entity]]
    assert "\ufffd" in G.nodes["ctrl"]["label"] and "\t" in G.nodes["ctrl"]["label"]
    # The full evidence is JSON inside XML: both escapes undone, the quotes are verbatim.
    evidence = {e["quote"] for _, attrs in G.nodes(data=True) for e in json.loads(attrs.get("evidence", "[]"))}
    evidence |= {e["quote"] for _, _, attrs in G.edges(data=True) for e in json.loads(attrs.get("evidence", "[]"))}
    assert evidence and evidence <= quotes
    assert any(CONTROL.search(q) for q in evidence) and any(CYPHER in q for q in evidence)
    for _, _, attrs in G.edges(data=True):  # the readable quote column: the same quotes, XML-safe
        listed = [e["quote"] for e in json.loads(attrs.get("evidence", "[]")) if e["quote"]]
        assert attrs.get("quote", "") == xml_text("\n".join(listed))


# --- RDF ---------------------------------------------------------------------------------------

RDF_FORMATS = [name for name, e in EXPORTS.items() if e.rdf]


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_formats_read_hostile_text_back(dataset, project, fmt):
    data = dump_export(dataset, fmt)
    spec = kg.FORMATS[fmt]
    if spec.dataset:
        back = Dataset()
        back.parse(data=data, format=spec.rdflib_name)
        assert sorted(map(str, back.quads())) and len(list(back.quads())) == len(dataset)
        back_graph = Graph()
        for s, p, o, _ in back.quads():
            back_graph.add((s, p, o))
    else:
        back_graph = Graph().parse(data=data, format=spec.rdflib_name)
    expected = single_graph(dataset)
    if fmt == "rdf":  # XML 1.0 cannot hold C0 controls: RDF/XML carries U+FFFD in their place
        expected = _xml_replaced(expected)
        assert any("\ufffd" in str(o) for o in back_graph.objects())
    assert isomorphic(back_graph, expected)


def _xml_replaced(graph: Graph) -> Graph:
    out = Graph()
    bad = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
    for s, p, o in graph:
        if isinstance(o, Literal):
            o = Literal(bad.sub("\ufffd", str(o)), lang=o.language, datatype=o.datatype)
        out.add((s, p, o))
    return out


# --- CSV tables --------------------------------------------------------------------------------

def test_csv_tables_read_hostile_text_back_verbatim(dataset, project, quotes):
    files = dump_export(dataset, "csv")
    cells = set()
    for name, data in files.items():
        if name.endswith(".csv"):
            for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
                cells.update(unescape_cell(c) for c in row)
    assert {row["label"] for row in ENTITIES.values()} <= cells
    assert quotes <= cells

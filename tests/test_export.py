"""Exports: every registered format is deterministic; everything that can be read back is read
back and compared ("nothing lost"): isomorphic RDF, equal nodes/edges/attributes for GraphML and
GEXF, equal rows for the CSV tables, every provenance quote present; STIX validated by stix2."""

from __future__ import annotations

import csv
import io
import json
import uuid
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
import stix2
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import kg
from kg.cli import main
from kg.export import EXPORTS, dump_export, write_export
from kg.export.flat import flat_graph
from kg.export.network import edge_attributes, node_attributes
from kg.export.stix import CONFIDENCE, NAMESPACE
from kg.export.tables import escape_cell, unescape_cell
from kg.output.rdf import single_graph
from kg.vocab import KG, RDF, XSD

RDF_FORMATS = [name for name, e in EXPORTS.items() if e.rdf]


def _quotes(ds: Dataset, base: str) -> set[str]:
    prov = ds.graph(URIRef(f"{base}graph/provenance"))
    return {str(q) for q in prov.objects(None, KG.quote)}


def _canonical(triples) -> Graph:
    """A graph whose xsd:decimal literals have one lexical form per value: rdflib's Turtle writer
    turns "400"^^xsd:decimal into 400.0 (the same value, another lexical form)."""
    g = Graph()
    for s, p, o in triples:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        g.add((s, p, o))
    return g


def _named(ds: Dataset | kg.Built) -> dict[str, set]:
    ds = ds.to_rdflib() if isinstance(ds, kg.Built) else ds
    default = ds.default_graph if hasattr(ds, "default_graph") else ds.default_context
    out = {"default": set(default)}
    for g in ds.graphs():
        if g.identifier != default.identifier and len(g):
            out[str(g.identifier)] = set(g)
    return out


def test_registry_wraps_the_rdf_formats_of_kg_serialize() -> None:
    assert set(kg.FORMATS) <= set(EXPORTS)
    assert {"graphml", "gexf", "neo4j", "stix", "csv"} <= set(EXPORTS)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_formats_read_back_isomorphic(fmt, bundled_dataset, bundled_project) -> None:
    data = dump_export(bundled_dataset, fmt)
    rdflib_name = kg.FORMATS[fmt].rdflib_name
    if kg.FORMATS[fmt].dataset:
        back = Dataset()
        back.parse(data=data, format=rdflib_name)
        expected = _named(bundled_dataset)
        got = _named(back)
        assert set(got) == set(expected)
        for name, triples in expected.items():
            assert isomorphic(_canonical(triples), _canonical(got[name])), f"{fmt}: graph {name} differs"
    else:
        back = Graph().parse(data=data, format=rdflib_name)
        assert len(back) == len(single_graph(bundled_dataset))
        assert isomorphic(_canonical(back), _canonical(single_graph(bundled_dataset))), f"{fmt} is not isomorphic"


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_every_export_is_deterministic(fmt, bundled_project, bundled_dataset) -> None:
    again = kg.build(kg.load(bundled_project))  # an independent build of the same data
    assert again is not bundled_dataset
    assert dump_export(bundled_dataset, fmt) == dump_export(again, fmt)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_formats_read_back_with_every_attribute(fmt, bundled_dataset, tmp_path) -> None:
    path = tmp_path / f"graph.{fmt}"
    write_export(bundled_dataset, fmt, path)
    G = nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)
    flat = flat_graph(bundled_dataset)
    assert G.number_of_nodes() == len(flat.nodes)
    assert G.number_of_edges() == len(flat.edges)
    for iri in flat.nodes:
        expected = node_attributes(flat, iri)
        got = dict(G.nodes[flat.node_id(iri)])
        assert got == expected, iri
    edges = {}
    for u, v, data in G.edges(data=True):
        edges[(u, v, data["predicate"])] = {k: val for k, val in data.items() if k not in ("id", "key")}
    for i, edge in enumerate(flat.edges):
        key = (flat.node_id(edge.source), flat.node_id(edge.target), edge.predicate)
        assert edges[key] == edge_attributes(flat, i), key
    text = path.read_text(encoding="utf-8")
    quotes_on_edges = {e.quote for edge in flat.edges for e in edge.evidence if e.quote}
    got_quotes = {q for _, _, d in G.edges(data=True) for q in d.get("quote", "").split("\n")}
    assert quotes_on_edges <= got_quotes
    assert all(json.loads(d["evidence"]) for _, _, d in G.edges(data=True) if "evidence" in d)
    assert text.count("<node ") == len(flat.nodes)


def test_gexf_has_a_timeline_for_dated_events(bundled_dataset, bundled_project) -> None:
    data = dump_export(bundled_dataset, "gexf").decode()
    assert 'mode="dynamic"' in data and 'timeformat="date"' in data
    assert 'start="2024-01-01"' in data and 'end="2024-12-31"' in data


def _read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return [{k: unescape_cell(v) for k, v in row.items()} for row in rows]


def test_csv_tables_read_back(bundled_dataset, bundled_project) -> None:
    base = bundled_project.base
    files = dump_export(bundled_dataset, "csv")
    assert sorted(files) == ["claims.csv", "entities.csv", "events.csv", "relationships.csv"]
    flat = flat_graph(bundled_dataset)
    entities = _read_csv(files["entities.csv"])
    assert [r["id"] for r in entities] == [n.id for n in flat.nodes.values()]
    prop_cells = sum(1 for r in entities for key in flat.properties if r[key] != "")
    assert prop_cells == sum(len(flat.typed_properties(n)) for n in flat.nodes.values())
    for row, node in zip(entities, flat.nodes.values(), strict=True):
        assert row["label"] == node.label and row["kind"] == node.kind
        for key, value in flat.typed_properties(node).items():
            assert row[key] == (" | ".join(map(str, value)) if isinstance(value, list) else str(value))
    rels = _read_csv(files["relationships.csv"])
    assert [(r["source"], r["predicate"], r["target"]) for r in rels] == \
        [(flat.node_id(e.source), e.predicate, flat.node_id(e.target)) for e in flat.edges]
    claims = _read_csv(files["claims.csv"])
    prov = bundled_dataset.graph(URIRef(f"{base}graph/provenance"))
    assert len(claims) == len(set(prov.subjects(RDF.type, KG.Claim)))
    assert {r["quote"] for r in claims if r["quote"]} == _quotes(bundled_dataset, base)
    events = _read_csv(files["events.csv"])
    assert len(events) == sum(1 for n in flat.nodes.values() if n.kind == "event")
    by_id = {r["event_id"]: r for r in events}
    downing = by_id["medellin-helicopter-downing"]
    # The toll is disputed (BNO: "At least 10"; the report and Local News Wave: 12; The City Paper:
    # "Thirteen"): no number is picked, every figure stated as fact is listed, the versions in disputes.
    assert (downing["fatalities"], downing["fatalities_qualifier"], downing["fatalities_text"]) == (
        "", "disputed", "at least 10 / exactly 12 / exactly 13")
    assert downing["disputes"].startswith("killed: ")
    # Medellín lies in Colombia only by the curator's reading, and the EMC is Petro's allegation:
    # neither is in a fact column, both are in "attributed" with who stands behind them.
    assert downing["country"] == "" and downing["actor1"] == ""
    assert "Medellín lies in Colombia (attributed: the source, curator inference)" in downing["attributed"]
    assert "perpetrator: EMC (attributed: Gustavo Petro, allegation, paraphrase)" in downing["attributed"]
    attacks = by_id["colombia-attacks-last-week"]
    # "At least 18" (the report) and "at least 19" (BNO News) can both hold: several figures, no dispute.
    assert (attacks["fatalities"], attacks["fatalities_qualifier"], attacks["fatalities_text"]) == (
        "", "several", "at least 18 / at least 19")
    assert (attacks["wounded"], attacks["wounded_qualifier"], attacks["wounded_text"]) == (
        "", "several", "at least 70 / dozens")
    assert by_id["colombia-drone-attacks-2024"]["event_date"] == "2024"
    assert by_id["colombia-drone-attacks-2024"]["time_precision"] == "year"
    assert by_id["chihuahua-ambush"]["admin1"] == "Chihuahua"


@pytest.mark.parametrize("cell,escaped", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1+2", "'+1+2"), ("-A1", "'-A1"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("-12.5", "-12.5"), ("plain", "plain"), ("'quoted", "'quoted"),
])
def test_formula_cells_are_escaped(cell, escaped) -> None:
    assert escape_cell(cell) == escaped
    assert unescape_cell(escaped) == cell


def test_formula_injection_from_data_is_neutralised(make_dataset) -> None:
    data = make_dataset(append={"statements.csv": 'ecx,skos:altLabel,"=HYPERLINK(""http://evil.example"")",cur,,,,,,,'})
    project = kg.open_project(data)
    ds = kg.build(kg.load(project))
    files = dump_export(ds, "csv")
    raw = files["claims.csv"].decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(raw)) for c in row]
    assert "'=HYPERLINK(\"http://evil.example\")" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert not any(c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit() for c in cells)


def test_stix_bundle_is_valid_and_keeps_provenance(bundled_dataset, bundled_project) -> None:
    base = bundled_project.base
    data = dump_export(bundled_dataset, "stix")
    bundle = stix2.parse(data.decode("utf-8"), allow_custom=False)
    objects = json.loads(data)["objects"]
    types = {o["type"] for o in objects}
    assert {"threat-actor", "intrusion-set", "identity", "location", "relationship", "report"} <= types
    by_id = {o["id"]: o for o in objects}
    assert len(by_id) == len(objects) == len(bundle.objects)
    for o in objects:
        kind, _, uid = o["id"].partition("--")
        assert uuid.UUID(uid).version == 5
        assert o.get("confidence", 90) in CONFIDENCE.values()
        for ref in ("source_ref", "target_ref"):
            if ref in o:
                assert o[ref] in by_id
    report = next(o for o in objects if o["type"] == "report")
    assert all(ref in by_id for ref in report["object_refs"])
    quotes = {r.get("description") for o in objects for r in o.get("external_references", [])}
    flat = flat_graph(bundled_dataset)
    mapped = {e.quote for edge in flat.edges for e in edge.evidence
              if e.quote and flat.nodes[edge.source].kind not in ("time", "source", "activity")
              and flat.nodes[edge.target].kind not in ("time", "source", "activity")}
    assert mapped <= quotes
    dated = [o for o in objects if o["type"] == "relationship" and "start_time" in o]
    assert dated and all(o["stop_time"] > o["start_time"] for o in dated)
    cjng = next(o for o in objects if o.get("name") == "CJNG")
    assert cjng["type"] == "threat-actor" and cjng["threat_actor_types"] == ["crime-syndicate"]
    assert cjng["id"] == f"threat-actor--{uuid.uuid5(NAMESPACE, base + 'cjng')}"


def test_cli_export_default_dataset_and_directory_formats(tmp_path, shared_sources) -> None:
    runner = CliRunner()
    out = tmp_path / "g.graphml"
    result = runner.invoke(main, ["export", "--format", "graphml", "--out", str(out),
                                  "--sources", str(shared_sources)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).number_of_nodes() > 100
    result = runner.invoke(main, ["export", "--format", "neo4j", "--out", str(tmp_path / "neo"),
                                  "--sources", str(shared_sources), "-q"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "neo").iterdir()} >= {"nodes.csv", "load.cypher", "import.sh"}


def test_cli_export_errors(tmp_path, make_dataset) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--format", "nope"])
    assert result.exit_code == 2
    (tmp_path / "file").write_text("x")
    result = runner.invoke(main, ["export", "--format", "csv", "--data", str(make_dataset()),
                                  "--out", str(tmp_path / "file")])
    assert result.exit_code == 2 and "directory" in result.output
    bad = make_dataset(append={"statements.csv": "ecx,kg:killed,notanumber,rep,x,,,,,,"})
    result = runner.invoke(main, ["export", "--format", "ttl", "--data", str(bad), "--out", str(tmp_path / "x.ttl")])
    assert result.exit_code == 1 and not (tmp_path / "x.ttl").exists()


def test_mini_fixture_exports_every_format(make_dataset, tmp_path) -> None:
    project = kg.open_project(make_dataset())
    ds = kg.build(kg.load(project))
    for fmt, exporter in EXPORTS.items():
        target = tmp_path / exporter.default_name
        written = write_export(ds, fmt, target)
        assert written and all(Path(p).stat().st_size > 0 for p in written), fmt

"""Corroboration counted by independent origin (issue 14, item 2): copies, digests and retellings
of one original count once, quotes relayed through an outlet count as that outlet's; the count is
queryable in SPARQL, carried by every export and listed in the build report, which suggests (never
applies) a higher credibility where independent sources agree."""

from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest
from rdflib import URIRef

import kg
import kg.query
from kg.build.reporting import corroboration
from kg.export import write_export
from kg.property_graph import graph_view
from kg.vocab import KG

BASE = "https://example.org/body/"
D = lambda local: URIRef(BASE + local)  # noqa: E731


@pytest.fixture(scope="module")
def counts(body_project):
    return corroboration(kg.resolve(kg.load(body_project)))


def test_three_reports_of_two_origins_count_two(counts):
    # news-pravda retells Intelligence Online; Defense News (read in a syndicated copy) retells it
    # too; The Telegraph enlisted him on its own reporting: 3 sources, 2 independent origins.
    assert counts.origins[(D("aguila-7"), KG.memberOf, D("intl-legion"))] == {D("intelligence-online"),
                                                                              D("the-telegraph")}
    # Both accounts of the training in Lviv go back to Intelligence Online: one origin.
    assert counts.count((D("aguila-training"), KG.participant, D("aguila-7"))) == 1
    assert counts.count((D("aguila-training"), KG.place, D("lviv"))) == 1
    # Two outlets of their own give the place: two.
    assert counts.count((D("amalfi-downing"), KG.place, D("amalfi"))) == 2


def test_a_quote_relayed_through_an_outlet_counts_as_that_outlets(counts):
    # "a security official in Kyiv told Intelligence Online", in The Telegraph.
    agent = (D("kyiv-official-warning"), KG.agent, D("kyiv-security-official"))
    assert counts.origins[agent] == {D("intelligence-online")}


def test_curator_notes_count_as_no_source(counts):
    assert counts.count((D("clan-del-golfo"), KG.sameAs, D("gulf-clan"))) == 0


def test_the_view_counts_independent_sources_on_every_edge(body_built):
    edges = {e.key: e for e in graph_view(body_built).edges}
    legion = edges[f"{BASE}aguila-7|kg:memberOf|{BASE}intl-legion"]
    assert len(legion.evidence) == 3 and legion.independent_sources == 2
    assert legion.origins == ["Intelligence Online", "The Telegraph"]
    assert edges[f"{BASE}aguila-training|kg:place|{BASE}lviv"].independent_sources == 1


SPARQL = """
PREFIX kg: <https://w3id.org/osint-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?s ?p ?o (COUNT(DISTINCT ?origin) AS ?independent) WHERE {
  ?claim a kg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:source ?source .
  ?source kg:origin ?sourceOrigin .
  OPTIONAL { ?claim kg:reportedVia ?via }
  BIND (COALESCE(?via, ?sourceOrigin) AS ?origin)
} GROUP BY ?s ?p ?o
"""


def test_the_readme_sparql_pattern_gives_the_same_counts(body_project, counts):
    engine = kg.query.open_engine(body_project)
    rows = kg.query.run(engine, SPARQL).rows
    # Compared as text: Oxigraph gives xsd:nonNegativeInteger back as xsd:integer.
    from_sparql = {(str(r["s"]), str(r["p"]), str(r["o"])): int(r["independent"]) for r in rows}
    from_python = {tuple(map(str, t)): n for t, n in ((t, counts.count(t)) for t in counts.origins) if n}
    assert from_sparql == from_python
    readme = (kg.locations.repo_dir() / "README.md").read_text(encoding="utf-8")
    assert "BIND (COALESCE(?via, ?sourceOrigin) AS ?origin)" in readme


def test_graphml_and_gexf_carry_the_count(body_built, tmp_path):
    for fmt in ("graphml", "gexf"):
        path = tmp_path / f"g.{fmt}"
        write_export(body_built, fmt, path)
        G = nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)
        found = [d for u, v, d in G.edges(data=True) if (u, v) == ("aguila-7", "intl-legion")]
        assert len(found) == 1 and int(found[0]["independent_sources"]) == 2, fmt
        assert found[0]["origins"] == "Intelligence Online | The Telegraph"
        disputes = json.loads(G.nodes["amalfi-downing"]["disputes"])
        assert [v["value"] for v in disputes["killed"]] == ["at least 8", "exactly 8", "exactly 12", "exactly 13"]


def test_csv_tables_carry_the_count(body_built, tmp_path):
    write_export(body_built, "csv", tmp_path / "csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "relationships.csv").read_text(encoding="utf-8-sig"))))
    legion = [r for r in rows
              if (r["source"], r["predicate"], r["target"]) == ("aguila-7", "kg:memberOf", "intl-legion")]
    assert legion[0]["independent_sources"] == "2"
    claims = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "claims.csv").read_text(encoding="utf-8-sig"))))
    twelve = [r for r in claims if r["quote"] == "confirmó el jueves por la tarde que 12 policías murieron"]
    assert twelve[0]["quote_language"] == "es" and twelve[0]["published"] == "2025-08-21"
    assert twelve[0]["origin"] == "Meganoticias" and twelve[0]["independent_sources"] == "1"
    events = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "events.csv").read_text(encoding="utf-8-sig"))))
    amalfi = next(r for r in events if r["event_id"] == "amalfi-downing")
    assert amalfi["disputes"].startswith("killed: at least 8 (Uruguay al Día, 2025-08-21) / exactly 8 (Meganoticias, "
                                         "2025-08-21) / exactly 12 (Meganoticias, 2025-08-21) / exactly 13")


def test_stix_carries_the_count_in_a_property_extension(body_built, tmp_path):
    import stix2

    from kg.export.stix import EXTENSION

    write_export(body_built, "stix", tmp_path / "b.json")
    text = (tmp_path / "b.json").read_text(encoding="utf-8")
    bundle = stix2.parse(text, allow_custom=False)  # valid STIX 2.1, no custom properties
    definitions = [o for o in bundle.objects if o.type == "extension-definition"]
    assert [d.id for d in definitions] == [EXTENSION]
    counts = sorted(o.extensions[EXTENSION]["independent_sources"] for o in bundle.objects
                    if o.type == "relationship" and EXTENSION in o.get("extensions", {}))
    assert counts and counts[-1] == 2 and counts.count(2) == 3  # member-of, perpetrator, place


def test_neo4j_carries_the_count(body_built, tmp_path):
    import ladybug
    from test_export_neo4j import copy_csv, create_schema

    out = tmp_path / "neo4j"
    write_export(body_built, "neo4j", out)
    delim = re.search(r"--array-delimiter='(.)'", (out / "import.sh").read_text(encoding="utf-8")).group(1)
    db = ladybug.Database(str(tmp_path / "body.lbdb"))
    conn = ladybug.Connection(db)
    create_schema(conn, out)
    copy_csv(conn, out, delim)
    result = conn.execute("MATCH (a:Entity {id: 'aguila-7'})-[r:MEMBER_OF]->(b:Entity {id: 'intl-legion'}) "
                          "RETURN r.independent_sources, r.origins")
    assert result.get_next() == [2, ["Intelligence Online", "The Telegraph"]]
    result = conn.execute("MATCH (c:Claim) WHERE c.quote = 'Thirteen police officers on board died.' "
                          "AND c.predicate = 'kg:killed' RETURN c.origin, c.published")
    assert result.get_next() == [BASE + "city-paper", "2025-08"]
    conn.close()
    db.close()


def test_the_build_report_counts_and_suggests_never_applies(body_project, tmp_path):
    result = kg.run_build(body_project, tmp_path / "out", html=False, formats=["nt"])
    c = result.summary["corroboration"]
    assert c["by_independent_sources"]["2"] == len(c["corroborated"]["listed"]) == c["corroborated"]["count"]
    suggestions = c["credibility_suggestions"]["listed"]
    # Only the Legion membership: reported as fact by two independent origins, undisputed. Not
    # Petro's 8 dead (two outlets relaying one man), not the 36th Front (an allegation), not the
    # place (disputed).
    assert [(s["subject"], s["predicate"], s["object"]) for s in suggestions] == [
        ("aguila-7", "kg:memberOf", "intl-legion")]
    assert suggestions[0]["current"] == ["3"] and suggestions[0]["suggested"] == "1"
    claims = kg.build(kg.load(body_project)).quads.graphs
    graded = [pairs for pairs in claims[f"<{BASE}graph/provenance>"].values()
              if (f"<{KG.informationCredibility}>", f"<{KG.Credibility1}>") in pairs]
    assert graded == []  # nothing was changed
    text = (tmp_path / "out" / "build-report.md").read_text(encoding="utf-8")
    assert "### Suggested credibility (never applied)" in text and "consider 1" in text

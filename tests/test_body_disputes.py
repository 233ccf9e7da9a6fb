"""Disputes found, not hidden (issue 14, item 3): a warning from kg validate with the rows of every
version, dispute nodes in the computed graph, each version with its sources in the view (in the
order of publication), and values that refine each other kept out of disputes."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDF

import kg
from kg.check.disputes import single_valued
from kg.property_graph import graph_view
from kg.vocab import KG

BASE = "https://example.org/body/"
D = lambda local: URIRef(BASE + local)  # noqa: E731


def test_the_ontology_says_which_properties_take_one_value(body_project):
    resolved = kg.resolve(kg.load(body_project))
    single = single_valued(resolved)
    assert {KG.killed, KG.wounded, KG.place, KG.hasTime, KG.perpetrator, KG.equipmentType} <= single
    assert KG.memberOf not in single and KG.usedEquipment not in single


def test_kg_validate_reports_each_dispute_with_the_rows_of_every_version(body_project):
    warnings = [i for i in kg.validate(kg.load(body_project)).warnings if i.code == "KG906"]
    by_property = {i.message.split(" of ")[0].split()[-1]: i for i in warnings}
    assert set(by_property) == {"kg:killed", "kg:place", "kg:perpetrator"}
    killed = by_property["kg:killed"]
    # At least 8 (Petro, in Uruguay al Día), 8 (Meganoticias: Petro's first message), 12 (Petro,
    # confirmed), 13 (The City Paper): in the order of publication, each with its bound and rows.
    assert killed.message.index("at least 8 (uruguayaldia") < killed.message.index("exactly 8 (meganoticias") \
        < killed.message.index("exactly 12 (meganoticias") < killed.message.index("exactly 13 (citypaper")
    for line in (12, 13, 14, 15):
        assert f"statements.csv:{line}" in killed.message
    assert killed.position.line == 13  # the first row of the second version
    # The perpetrators: Petro's 36th Front and the FARC dissidents it belongs to refine each other;
    # Sánchez's Gulf Clan is the dispute.
    assert "gulf-clan" in by_property["kg:perpetrator"].message


def test_one_voice_naming_two_places_is_no_dispute(make_dataset):
    data = make_dataset(append={
        "entities.csv": "shelbyville,kg:City,Shelbyville,,rep,in Springfield,,,F,3,",
        "statements.csv": "attack,kg:place,shelbyville,rep,in Springfield,,,F,3,,"})
    assert not [i for i in kg.validate(kg.load(kg.open_project(data))).issues if i.code == "KG906"]


def test_a_place_inside_another_refines_it(make_body):
    statements = (make_body().data_dir / "statements.csv").read_text(encoding="utf-8")
    statements = "".join(line for line in statements.splitlines(keepends=True)
                         if not line.startswith("amalfi-downing,kg:place,amalfi-anori-area"))
    statements += "amalfi-downing,kg:place,antioquia,meganoticias,en el departamento de Antioquia,,,,,,F,3,,,\n"
    warnings = kg.validate(kg.load(make_body({"statements.csv": statements}))).warnings
    # Amalfi lies in Antioquia: the town refines the department, no dispute.
    assert not [i for i in warnings if i.code == "KG906" and "kg:place" in i.message]
    assert [i for i in warnings if i.code == "KG906" and "kg:killed" in i.message]


def test_dispute_nodes_in_the_computed_graph(body_built):
    computed = body_built.quads.graphs[body_built.computed]
    disputes = [s for s, pairs in computed.items() if (f"<{RDF.type}>", f"<{KG.Dispute}>") in pairs]
    assert len(disputes) == 3
    killed = next(s for s in disputes if (f"<{KG.disputedProperty}>", f"<{KG.killed}>") in computed[s])
    assert (f"<{KG.disputedSubject}>", f"<{BASE}amalfi-downing>") in computed[killed]
    versions = [o for p, o in computed[killed] if p == f"<{KG.version}>"]
    assert len(versions) == 4  # four claims: 8, 8, 12, 13
    # Nothing of it is in the default graph or the claims.
    assert killed not in body_built.quads.graphs[body_built.facts]


def test_the_view_carries_every_version_with_its_sources_in_order(body_built):
    node = graph_view(body_built).nodes[BASE + "amalfi-downing"]
    killed = node.disputes["killed"]
    assert [value for value, _ in killed] == ["at least 8", "exactly 8", "exactly 12", "exactly 13"]
    assert [(e.origin_label, e.published, e.claimant_label) for e in killed[0][1]] == [
        ("Uruguay al Día", "2025-08-21", "Gustavo Petro")]
    assert [(e.origin_label, e.published, e.claimant_label) for e in killed[1][1]] == [
        ("Meganoticias", "2025-08-21", "Gustavo Petro")]
    assert killed[3][1][0].published == "2025-08"  # known to the month: after the dated days
    assert [value for value, _ in node.disputes["place"]] == ["Amalfi", "rural area between Amalfi and Anorí"]
    assert {value for value, _ in node.disputes["perpetrator"]} == {"36th Front", "Gulf Clan", "FARC dissidents"}
    assert "role" not in node.disputes
    edges = {e.key: e for e in graph_view(body_built).edges}
    gulf = edges[f"{BASE}amalfi-downing|kg:perpetrator|{BASE}gulf-clan"]
    assert [value for value, _ in gulf.versions] == ["36th Front", "Gulf Clan", "FARC dissidents"]
    assert edges[f"{BASE}aguila-7|kg:memberOf|{BASE}intl-legion"].versions == []  # not single-valued


def test_the_build_report_lists_the_disputes(body_project, tmp_path):
    result = kg.run_build(body_project, tmp_path / "out", html=False, formats=["nt"])
    disputes = result.summary["disputes"]
    assert disputes["count"] == 3
    killed = next(d for d in disputes["listed"] if d["property"] == "kg:killed")
    assert [v["value"] for v in killed["versions"]] == ["at least 8", "exactly 8", "exactly 12", "exactly 13"]
    assert killed["versions"][0]["claims"][0]["row"].endswith("statements.csv:12")
    text = (tmp_path / "out" / "build-report.md").read_text(encoding="utf-8")
    assert "## Disputes" in text and "**exactly 13** (2025-08)" in text

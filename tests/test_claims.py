"""The provenance model of issue 13: only a source's own voice stating a reported fact is a fact.

What is asserted (the default graph) and what exists only as a claim; the record checks for how
a claim was made (attribution, curator inference, curator notes) and for bounds (KG304, KG306);
quantities that carry their bound; and every export and the analysis, checked so that none
presents a statement only a claim makes as a fact.
"""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from rdflib import Literal, URIRef

import kg
from kg.analyze import analyze
from kg.build.from_records import always_asserted
from kg.check.bounds import exactness_problem
from kg.export import dump_export
from kg.export.flat import flat_graph
from kg.ntriples import parse_term
from kg.property_graph import claims, graph_view
from kg.vocab import KG, RDF

from conftest import MINI

BASE = "https://w3id.org/osint-kg/data/cartel-drones-ukraine/"


def d(local: str) -> str:
    return BASE + local


def issues(data, code: str | None = None) -> list[kg.Issue]:
    found = kg.validate(kg.load(kg.open_project(data)), shacl=False).sorted()
    return [i for i in found if code is None or i.code == code]


# --- what is asserted -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def split(bundled_dataset, bundled_records):
    """The bundled data's claimed triples, as facts and as statements only claims make."""
    naming = {f"<{p}>" for p in always_asserted(kg.resolve(bundled_records).ontology)}
    facts = bundled_dataset.quads.graphs[""]
    fact, claimed = set(), set()
    for c in claims(bundled_dataset):
        if c.predicate in naming:
            continue
        triple = (c.subject, c.predicate, c.object)
        (fact if (c.predicate, c.object) in facts.get(c.subject, ()) else claimed).add(triple)
    return fact, claimed


def test_a_statement_is_asserted_only_when_a_claim_is_the_sources_own_voice_as_fact(bundled_dataset,
                                                                                   bundled_records):
    resolved = kg.resolve(bundled_records)
    naming = always_asserted(resolved.ontology)
    facts = bundled_dataset.quads.graphs[""]
    by_triple: dict[tuple, list] = {}
    for claim in resolved.claims:
        by_triple.setdefault((claim.s, claim.p, claim.o), []).append(claim)
    for (s, p, o), group in by_triple.items():
        asserted = (f"<{p}>", o.n3()) in facts.get(f"<{s}>", ())
        expected = p in naming or any(c.claimant is None and c.modality == KG.ReportedFact and not c.inference
                                      and not c.external for c in group)
        assert asserted == expected, (s, p, o, [c.position for c in group])
    # Both kinds are there in numbers.
    assert sum(1 for g in by_triple.values() if not any(c.asserted for c in g)) > 100


def test_an_attributed_statement_is_in_no_graph(bundled_dataset, split):
    _, claimed = split
    assert len(claimed) > 100
    for name, graph in bundled_dataset.quads.graphs.items():
        for s, p, o in claimed:
            assert (p, o) not in graph.get(s, ()), (name, s, p, o)


def test_every_claim_says_whether_it_is_asserted_and_how_it_was_made(bundled_dataset):
    every = claims(bundled_dataset)
    prov = bundled_dataset.quads.graphs[bundled_dataset.provenance]
    for c in every:
        pairs = dict(prov[f"<{c.evidence.claim}>"])
        assert pairs[f"<{KG.asserted}>"] == Literal(c.evidence.asserted).n3()
        if c.evidence.claimant:
            assert c.evidence.attribution in ("direct-quote", "reported-speech", "paraphrase"), c.evidence
        else:
            assert c.evidence.attribution == "", c.evidence


def test_collective_and_unnamed_voices_are_claimants_not_the_narrator(bundled_dataset):
    """"Reports of ... have increased", "Authorities say", "Analysts say", "according to ...
    security services": the voice is the claimant; what increased is the reports."""
    view = graph_view(bundled_dataset)
    for claimant, subject, predicate in (("colombia-transit-reports", "colombians-transit-ukraine", None),
                                         ("authorities", "us-border-drone-trafficking", None),
                                         ("analysts", "latam-ukraine-convergence-risk", None),
                                         ("latam-security-services", "intl-legion", KG.attracts),
                                         ("intelligence-analysts", "cartel-fighters-to-ukraine", None)):
        node = view.nodes[d(claimant)]
        assert node.unnamed or node.collective, claimant
        said = [c.evidence for c in claims(bundled_dataset) if c.subject == f"<{d(subject)}>"
                and c.predicate != f"<{RDF.type}>" and (predicate is None or c.predicate == f"<{predicate}>")]
        assert said and all(e.claimant in (d(claimant), d("european-security-services")) and not e.asserted
                            for e in said), subject
    # The report's own voice: the reports increased over the past year.
    rise = view.nodes[d("colombia-transit-reports-rise")]
    assert rise.properties["status"] == ["have increased"]
    assert any(e.target == d("colombians-transit-ukraine") and e.predicate == "kg:concerns" and not e.attributed
               for e in view.edges if e.source == rise.iri)


def test_curator_inferences_and_outside_knowledge_are_flagged_never_the_reports_voice(bundled_records):
    resolved = kg.resolve(bundled_records)
    inferred = {(c.s, c.p, c.o) for c in resolved.claims if c.inference}
    assert (URIRef(d("medellin")), KG.locatedIn, URIRef(d("colombia"))) in inferred
    assert (URIRef(d("petro")), KG.leaderOf, URIRef(d("colombia-government"))) in inferred
    for c in resolved.claims:
        if c.inference:
            assert c.quote and c.note and not c.asserted and not c.external, c.position
        if c.external:
            assert not c.quote and not c.asserted, c.position
    outside = {(c.s, c.p, c.o) for c in resolved.claims if c.external and c.p == KG.locatedIn}
    assert (URIRef(d("colombia")), KG.locatedIn, URIRef(d("latin-america"))) in outside


def test_events_keep_the_links_the_text_draws(bundled_dataset):
    view = graph_view(bundled_dataset)
    links = {(e.source[len(BASE):], e.predicate, e.target[len(BASE):]): e for e in view.edges}
    assert not links[("colombia-attacks-last-week", "kg:aggravates", "colombia-security-crisis")].attributed
    assert not links[("analysts-warning", "kg:occursAmid", "mexico-colombia-drone-violence")].attributed
    purpose = links[("cartel-fighters-to-ukraine", "kg:hasPurpose", "cartel-fighters-gain-experience")]
    assert purpose.attributed and {e.claimant_label for e in purpose.evidence} == {"intelligence analysts"}
    assert links[("cartel-fighters-return-home", "kg:after", "cartel-fighters-gain-experience")].attributed
    assert links[("cartel-fighters-return-home", "kg:hasPurpose", "cartel-tactics-at-home")].attributed
    for event in ("colombia-peace-talks", "cocaine-production-rise", "groups-new-methods"):
        (place,) = [e for e in view.edges if e.source == d(event) and e.predicate == "kg:place"]
        assert place.target == d("colombia") and all(e.inference for e in place.evidence)


def test_every_claim_of_a_person_says_how_it_was_reported(bundled_dataset):
    how = {(e.claimant_label, e.attribution) for c in claims(bundled_dataset) for e in [c.evidence]
           if e.claimant and c.predicate != f"<{RDF.type}>"}
    assert ("Gustavo Petro", "paraphrase") in how  # "describing the strike as the work of EMC"
    assert ("Gustavo Petro", "reported-speech") in how  # "Petro said the aircraft had been ..."
    assert ("Alexander Marciniak", "direct-quote") in how  # "The CJNG ... has its own drone operators"
    assert ("Luis Aguirre", "direct-quote") in how


# --- quantities and their bounds ---------------------------------------------------------------


def test_a_figure_carries_its_bound(bundled_dataset):
    view = graph_view(bundled_dataset)
    attacks = view.nodes[d("colombia-attacks-last-week")].quantities
    # The report's "At least 18 ... and dozens wounded"; The City Paper Bogotá's "at least 19 people
    # dead and more than 70 injured" (kept as at least 70, a curator's note says why).
    assert [(q.value, q.bound, q.label) for q in attacks["killed"]] == [(18, "at-least", "at least 18"),
                                                                        (19, "at-least", "at least 19")]
    assert [(q.value, q.bound, q.words) for q in attacks["wounded"]] == [(70, "at-least", ""),
                                                                         (None, "vague", "dozens")]
    assert [(q.value, q.bound) for q in attacks["count"]] == [(2, "exact")]
    ambush = view.nodes[d("chihuahua-ambush")].quantities
    assert [(q.value, q.bound) for q in ambush["killed"]] == [(1, "at-least")]  # "a colonel was killed"
    # "115 drone attacks ..., most carried out by armed groups": the groups never get the 115.
    most = view.nodes[d("colombia-drone-attacks-2024-most")].attributed
    assert [v.value for v in most["count"]] == ["most"]
    edges = {(e.source, e.predicate, e.target) for e in view.edges}
    assert (d("colombia-drone-attacks-2024-most"), "kg:perpetrator", d("cocaine-armed-groups")) in edges
    assert (d("colombia-drone-attacks-2024-most"), "kg:partOf", d("colombia-drone-attacks-2024")) in edges
    assert not any(s == d("colombia-drone-attacks-2024") and p == "kg:perpetrator" for s, p, _ in edges)
    pair = view.nodes[d("chihuahua-drone-incidents")].attributed["count"]
    assert [v.value for v in pair] == ["about 2"]  # "a pair of incidents"


def test_one_figure_is_one_quantity_whoever_gives_it(make_dataset):
    text = (MINI / "sources" / "mini-report.txt").read_text(encoding="utf-8") + "Police said 2 officers died.\n"
    data = make_dataset({"sources/mini-report.txt": text},
                        append={"statements.csv": "attack,kg:killed,2,rep,Police said 2 officers died,police,,C,3,,"})
    built = kg.build(kg.load(kg.open_project(data)))
    killed = {c.object for c in claims(built) if c.predicate == f"<{KG.killed}>"}
    assert killed == {"<https://example.org/mini/quantity/exact-2>"}


@pytest.mark.parametrize("value,quote,problem", [
    ("18", "At least 18 people were killed", "'At least 18'"),
    ("20", "about 20 people", "'about 20'"),
    ("12", "12 or 13 people died", "'12 or 13'"),
    ("100", "more than 100 drones", "'more than 100'"),
    ("2", "a pair of incidents", "'a pair'"),
    ("30", "dozens wounded", "'dozens'"),
    ("1", "a National Guard colonel was killed", "does not give the number 1"),
    ("2", "At least 18 people were killed and dozens wounded in two separate attacks", None),
    ("115", "115 drone attacks were recorded in 2024, most carried out by armed groups", None),
    ("12", "Casualties included 12 people killed", None),
    ("1200", "1,200 troops", None),
])
def test_exactness_lint(value, quote, problem):
    found = exactness_problem(value, quote)
    assert (found is None) if problem is None else (problem in found), found


def test_every_exact_figure_of_the_bundled_data_is_exact_in_its_quote(bundled_records):
    resolved = kg.resolve(bundled_records)
    exact = [(c, resolved.quantities[c.o]) for c in resolved.claims
             if c.o in resolved.quantities and resolved.quantities[c.o].bound == KG.Exact]
    assert len(exact) >= 3
    for claim, quantity in exact:
        assert exactness_problem(str(quantity.value), claim.quote) is None, claim.position


# --- the record checks ---------------------------------------------------------------------------

HEADER = ("subject,predicate,object,source,quote,claimant,modality,attribution,inference,bound,reliability,"
          "credibility,via,note\n")


def _statements(make_dataset, *rows: str, text: str = ""):
    base = (MINI / "statements.csv").read_text(encoding="utf-8").splitlines()[1:]
    widened = [",".join(r.split(",")[:7] + ["", "", ""] + r.split(",")[7:]) if r.count(",") == 10 else r
               for r in base]
    files = {"statements.csv": HEADER + "\n".join(widened + list(rows)) + "\n"}
    if text:
        files["sources/mini-report.txt"] = (MINI / "sources" / "mini-report.txt").read_text(encoding="utf-8") + text
    return make_dataset(files)


def test_the_mini_fixture_widened_to_every_column_is_valid(make_dataset):
    assert issues(_statements(make_dataset)) == []


@pytest.mark.parametrize("row,message", [
    ("attack,kg:status,done,rep,last week,,,direct-quote,,,F,3,,", "attribution 'direct-quote' without a claimant"),
    ("attack,kg:status,done,rep,last week,roe,,gossip,,,F,3,,", "bad attribution 'gossip'"),
    ("attack,kg:status,done,rep,last week,,,,perhaps,,F,3,,", "bad inference 'perhaps'"),
    ("attack,kg:status,done,rep,last week,,,,true,,F,3,,", "a curator inference without a note"),
    ("attack,kg:status,done,cur,last week,,,,,,,,,", "a curator note's row quotes words"),
    ("attack,kg:status,done,cur,,,,,true,,,,,why", "inference on a curator note's row"),
    ("attack,kg:killed,2,rep,killing 2 officers,,,,,roughly,F,3,,", "bad bound 'roughly'"),
    ("attack,kg:status,done,rep,last week,,,,,at-least,F,3,,", "bound 'at-least' on kg:status, which is not a count"),
])
def test_kg304_how_a_claim_was_made(make_dataset, row, message):
    data = _statements(make_dataset, row)
    found = issues(data, "KG304")
    assert [i.message for i in found] == [message] or (message in found[0].message), [i.format() for i in found]
    assert found[0].position.line == 16 and found[0].fix


def test_kg203_a_vague_count_takes_words_and_a_bounded_one_a_number(make_dataset):
    data = _statements(make_dataset, "attack,kg:wounded,12,rep,killing 2 officers,,,,,vague,F,3,,",
                       "attack,kg:wounded,many,rep,killing 2 officers,,,,,at-least,F,3,,")
    found = issues(data, "KG203")
    assert [i.position.line for i in found] == [16, 17]
    assert "takes the source's words" in found[0].message and "xsd:nonNegativeInteger" in found[1].message


def test_kg306_and_the_bound_that_fixes_it(make_dataset):
    text = "At least 5 people were wounded.\n"
    bad = _statements(make_dataset, "attack,kg:wounded,5,rep,At least 5 people were wounded,,,,,,F,3,,", text=text)
    (issue,) = issues(bad, "KG306")
    assert issue.position.line == 16 and "'At least 5'" in issue.message
    good = _statements(make_dataset, "attack,kg:wounded,5,rep,At least 5 people were wounded,,,,,at-least,F,3,,",
                       text=text)
    assert issues(good) == []


def test_an_inference_with_its_quote_and_note_is_valid_and_never_a_fact(make_dataset):
    data = _statements(make_dataset, "attack,kg:status,deadly,rep,killing 2 officers,,,,true,,F,3,,"
                                     "\"'killing 2 officers': the curator's word for it\"")
    records = kg.load(kg.open_project(data))
    assert kg.validate(records).ok
    built = kg.build(records)
    assert (f"<{KG.status}>", '"deadly"') not in built.pairs("<https://example.org/mini/attack>")


def test_shapes_check_what_the_sources_say_whoever_says_it(make_dataset):
    """An attributed statement is in no graph, yet the shapes still see it: a place that is a
    person is caught even when only Roe says it."""
    data = make_dataset(append={"statements.csv": "attack,kg:place,roe,rep,Governor Jane Roe,roe,allegation,C,3,,"})
    report = kg.validate(kg.load(kg.open_project(data)))
    (issue,) = [i for i in report.errors if i.code == "KG401"]
    assert issue.position.line == 16 and "kg:place" in issue.message


# --- nothing downstream presents an attributed statement as a fact -----------------------------


@pytest.fixture(scope="module")
def facts_and_claims(bundled_dataset, split):
    """(fact pairs, attributed pairs) of node ids: the links between two entities."""
    fact, claimed = split

    def node_id(term: str) -> str:
        iri = str(parse_term(term))
        return iri[len(BASE):] if iri.startswith(BASE) else "kg:" + iri[len(str(KG)):]

    nodes = {n.id for n in graph_view(bundled_dataset).nodes.values()}  # links, not properties

    # An identity (kg:sameAs) is no link: the two ids are one node in every view and export.
    same_as = f"<{KG.sameAs}>"

    def pairs(triples):
        return {(node_id(s), str(parse_term(p)), node_id(o)) for s, p, o in triples
                if (o.startswith(f"<{BASE}") or o.startswith(f"<{KG}")) and node_id(o) in nodes and p != same_as}
    return pairs(fact), pairs(claimed)


def _full(curie: str) -> str:
    return str(KG) + curie.split(":", 1)[1] if curie.startswith("kg:") else curie


def test_network_exports_mark_every_attributed_link(bundled_dataset, facts_and_claims, tmp_path):
    facts, claimed = facts_and_claims
    for fmt in ("graphml", "gexf"):
        path = tmp_path / f"g.{fmt}"
        path.write_bytes(dump_export(bundled_dataset, fmt))
        G = nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)
        seen = 0
        for u, v, data in G.edges(data=True):
            triple = (u, _full(data["predicate"]), v)
            if triple in claimed:
                assert data["attributed"] in (True, "true"), triple
                assert data["standing"], triple
                seen += 1
            elif triple in facts:
                assert data["attributed"] in (False, "false"), triple
        assert seen == len(claimed), fmt
        for node, data in G.nodes(data=True):  # properties: facts only; claims apart, with who says them
            assert all("(attributed:" not in str(v) for k, v in data.items() if k.startswith("p_")), node
        assert "(attributed: Gustavo Petro, reported fact, reported speech)" in \
            G.nodes["medellin-police-helicopter"]["attributed_values"]


def test_csv_tables_keep_claims_out_of_the_fact_columns(bundled_dataset, facts_and_claims):
    facts, claimed = facts_and_claims
    files = dump_export(bundled_dataset, "csv")

    def rows(name):
        return list(csv.DictReader(io.StringIO(files[name].decode("utf-8-sig"))))
    for r in rows("relationships.csv"):
        triple = (r["source"], _full(r["predicate"]), r["target"])
        assert r["attributed"] == ("true" if triple in claimed else "false"), triple
    flat = flat_graph(bundled_dataset)
    labels = {n.label: n.id for n in flat.nodes.values()}
    roles = {"actor1": ("kg:perpetrator", "kg:agent"), "actor2": ("kg:target",), "assoc_actors": ("kg:participant",),
             "location": ("kg:place",)}
    for r in rows("events.csv"):
        for column, predicates in roles.items():
            for label in filter(None, r[column].split(" | ")):
                assert any((r["event_id"], _full(p), labels[label]) in facts for p in predicates), (column, r)
    emc = next(r for r in rows("events.csv") if r["event_id"] == "medellin-helicopter-downing")
    assert "EMC" not in emc["actor1"] and "perpetrator: EMC (attributed: Gustavo Petro" in emc["attributed"]
    entities = {r["id"]: r for r in rows("entities.csv")}
    # The report's mission is Petro's word; the digests state one in their own voices.
    assert entities["medellin-police-helicopter"]["mission"] == (
        "an anti-narcotics operation | llevaba personal para erradicar cultivos de hoja de coca | moving personnel "
        "to support the eradication of coca crops | operaciones contra el narcotráfico")
    assert "to eradicate coca crops (attributed: Gustavo Petro" in entities["medellin-police-helicopter"]["attributed"]
    claims_csv = rows("claims.csv")
    assert {r["asserted"] for r in claims_csv} == {"true", "false"}
    assert all(r["attribution"] for r in claims_csv if r["claimant"])


def test_neo4j_relationships_and_nodes_keep_claims_apart(bundled_dataset, facts_and_claims):
    facts, claimed = facts_and_claims
    files = dump_export(bundled_dataset, "neo4j")
    rels = list(csv.reader(io.StringIO(files["relationships.csv"].decode("utf-8"))))
    header = rels[0]
    col = {name.split(":")[0] or name: i for i, name in enumerate(header)}
    assert header[col["attributed"]] == "attributed:boolean" and header[col["standing"]] == "standing:string"
    for row in rels[1:]:
        triple = (row[0], _full(row[col["predicate"]]), row[1])
        assert row[col["attributed"]] == ("true" if triple in claimed else "false"), triple
        assert bool(row[col["standing"]]) == (triple in claimed), triple
    assert "attributed:string[]" in files["nodes.csv"].decode("utf-8").splitlines()[0]


def test_stix_labels_every_attributed_relationship(bundled_dataset, facts_and_claims):
    facts, claimed = facts_and_claims
    bundle = json.loads(dump_export(bundled_dataset, "stix"))
    flat = flat_graph(bundled_dataset)
    by_stix = {}
    for o in bundle["objects"]:
        for ref in o.get("external_references", []):
            if ref.get("source_name") == "kg":
                by_stix[o["id"]] = ref["url"][len(BASE):] if ref["url"].startswith(BASE) else ref["url"]
    attributed = 0
    for o in bundle["objects"]:
        if o["type"] != "relationship" or o["source_ref"] not in by_stix or o["target_ref"] not in by_stix:
            continue
        predicate = _full(o["description"].split(" ", 1)[0])
        triple = (by_stix[o["source_ref"]], predicate, by_stix[o["target_ref"]])
        if triple in claimed:
            assert "attributed" in o.get("labels", []) and "not stated as fact by the source" in o["description"]
            attributed += 1
        elif triple in facts:
            assert "attributed" not in o.get("labels", []), triple
    assert attributed > 50
    downing = next(o for o in bundle["objects"] if o.get("name") == flat.nodes[d("medellin-helicopter-downing")].label)
    assert "lies in" not in downing.get("description", "") or "attributed" in downing["description"]


def test_explorer_data_marks_attributed_links_and_values(bundled_dataset, facts_and_claims):
    from kg.viz.data import explorer_data

    facts, claimed = facts_and_claims
    data = explorer_data(bundled_dataset)
    ids = {n["id"]: n for n in data["nodes"]}
    for edge in data["edges"]:
        triple = (edge["from"], _full(edge["predicate"]), edge["to"])
        if triple in claimed:
            assert edge["attributed"] and edge["style"] == "attributed", triple
        elif triple in facts:
            assert not edge["attributed"] and edge["style"] == "reported-fact", triple
    helicopter = ids["medellin-police-helicopter"]["properties"]
    # Facts first (BNO News, Meganoticias, Uruguay al Día, Local News Wave), then the claims with their claimants.
    assert helicopter["mission"] == [
        "an anti-narcotics operation", "llevaba personal para erradicar cultivos de hoja de coca",
        "moving personnel to support the eradication of coca crops", "operaciones contra el narcotráfico",
        "giving air support to teams eradicating coca by hand (attributed: National Police, reported fact, reported "
        "speech)",
        "to eradicate coca crops (attributed: Gustavo Petro, reported fact, reported speech)"]
    # An event only a claimant tells of keeps its time on the timeline.
    assert ids["drone-attack-wave"]["time"]["text"] == "the last three or four months"


def test_analysis_never_counts_or_dates_a_claim_as_a_fact(bundled_dataset):
    figures = analyze(bundled_dataset, source="petro", target="emc").figures()
    for actor in figures["timeline"]["actors"]:
        for entry in actor["events"]:
            for role in entry["roles"]:
                if role == "makes a claim about":
                    continue
                event, other = entry["event"][len(BASE):], actor["id"]
                assert "(attributed:" in role or entry["attributed"] is False, (other, event, role)
    emc = next(a for a in figures["timeline"]["actors"] if a["id"] == "emc")
    assert emc["events"][0]["roles"] == ["perpetrator (attributed: Gustavo Petro, allegation, paraphrase)"]
    assert emc["events"][0]["attributed"] is True
    for hop in figures["paths"]["paths"][0]["hops"]:
        for link in hop["links"]:
            assert all(not e["asserted"] for e in link["evidence"])  # Petro's claim, Petro's allegation
    markdown = kg.analyze.analysis_markdown(figures)
    assert "—perpetrator→ EMC (attributed, not a fact)" in markdown


def test_ftm_links_in_the_sources_voice_are_facts_and_no_others(bundled_dataset, split):
    pytest.importorskip("followthemoney")
    from kg.export.ftm import ENTITIES, FACT_STATUS

    files = dump_export(bundled_dataset, "ftm")
    entities = [json.loads(line) for line in files[ENTITIES].decode("utf-8").splitlines()]
    evidence = {c.evidence.claim: c for c in claims(bundled_dataset)}
    fact, claimed = split
    statuses = {}
    for e in entities:
        for record in e["properties"].get("recordId", []):
            c = evidence.get(record)
            if c is None or "status" not in e["properties"]:
                continue
            (status,) = e["properties"]["status"]
            triple = (c.subject, c.predicate, c.object)
            assert (status == FACT_STATUS) == (triple in fact and c.evidence.asserted), (triple, status)
            statuses[(c.subject, c.predicate)] = status
    # A curator inference and a collective voice are not facts, whoever else might state them.
    inferred = next(c for c in evidence.values()
                    if c.subject == f"<{d('medellin')}>" and c.predicate == f"<{KG}locatedIn>")
    assert inferred.evidence.inference and (inferred.subject, inferred.predicate) in statuses
    assert statuses[(inferred.subject, inferred.predicate)] != FACT_STATUS

"""The bundled dataset: it validates, its quotes are verbatim in the report, and SPARQL over the
built graph answers analyst questions with the answers the report gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import kg
from kg.vocab import KG

BASE = "https://w3id.org/osint-kg/data/cartel-drones-ukraine/"
NS = {"kg": KG, "d": BASE}


def d(local: str) -> URIRef:
    return URIRef(BASE + local)


def select(graph, query: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(query, initNs=NS)]


def local(term) -> str:
    return str(term)[len(BASE):] if str(term).startswith(BASE) else str(term)


def test_bundled_dataset_is_valid_with_no_warnings_but_its_disputes(bundled_records):
    report = kg.validate(bundled_records)
    assert report.ok, report.format()
    # The only warnings are the three real disputes on the helicopter downing (the first report's
    # Medellín downing, the Amalfi downing of the digests): its place (Amalfi, between Amalfi and
    # Anorí, Medellín), its dead (8, at least 8, 12, at least 10, 13) and who did it (36th Front,
    # Calarcá's group, Gulf Clan, FARC dissidents, EMC).
    assert [w.code for w in report.warnings] == ["KG906"] * 3, report.format()
    assert all("medellin-helicopter-downing" in w.message for w in report.warnings)


def test_every_quote_is_verbatim_in_the_report(bundled_records, shared_sources):
    text = " ".join((shared_sources / "cartel-drones-ukraine.txt").read_text(encoding="utf-8").split())
    resolved = kg.resolve(bundled_records)
    report = URIRef(BASE + "report")
    quoted = [c for c in resolved.claims if c.quote and c.source == report]
    assert len(quoted) > 300
    assert resolved.quotes_checked >= len(quoted)
    for claim in quoted:
        assert claim.quote in text, claim.position
    # Every claim from the report has a quote; only curator rows have none, and they are external.
    for claim in resolved.claims:
        assert claim.quote or claim.external, claim.position


def test_external_knowledge_is_only_aliases_and_region_containment(bundled_records):
    from kg.vocab import RDF, SKOS

    external = [c for c in kg.resolve(bundled_records).claims if c.external]
    assert external, "the curator's name expansions are present"
    # And the digests' outlets as media organisations, "known from the masthead".
    assert {c.p for c in external} == {SKOS.altLabel, KG.locatedIn, RDF.type}
    assert {local(c.s) for c in external if c.p == RDF.type} == {
        "bno-news", "city-paper-bogota", "defense-news", "local-news-wave", "meganoticias-mx", "news-pravda",
        "the-telegraph", "uruguay-al-dia"}
    # The region a country lies in is outside knowledge: never quoted, never asserted.
    located = [c for c in external if c.p == KG.locatedIn]
    assert {(local(c.s), local(c.o)) for c in located} == {("colombia", "latin-america"), ("mexico", "latin-america")}
    assert all(not c.quote and not c.asserted for c in located)


def test_the_full_text_is_not_copied_into_the_repo(shared_sources):
    text = (shared_sources / "cartel-drones-ukraine.txt").read_text(encoding="utf-8")
    paragraph = text.splitlines()[0]
    repo = Path(__file__).resolve().parent.parent
    for path in (repo / "data").rglob("*"):
        if path.is_file():
            assert paragraph not in path.read_text(encoding="utf-8", errors="ignore"), path


# --- analyst questions ----------------------------------------------------------------------

def test_q1_who_attributed_the_medellin_downing_and_to_whom(bundled_graph):
    rows = select(bundled_graph, """
        SELECT ?claimantName ?perpName ?modality ?quote WHERE {
          ?c rdf:subject d:medellin-helicopter-downing ; rdf:predicate kg:perpetrator ; rdf:object ?perp ;
             kg:claimant ?claimant ; kg:modality ?modality ; kg:quote ?quote ; kg:source d:report .
          ?claimant rdfs:label ?claimantName . ?perp rdfs:label ?perpName . }""")
    assert [(str(a), str(b), m) for a, b, m, _ in rows] == [("Gustavo Petro", "EMC", KG.Allegation)]
    assert "describing the strike as the work of EMC" in str(rows[0][3])


def test_q2_events_in_colombia_and_how_many_were_killed(bundled_graph):
    # Facts only: the text states the attacks "in Colombia"; Medellín lying in Colombia is the
    # curator's inference, so the downing is not in Colombia by facts alone.
    rows = select(bundled_graph, """
        SELECT ?event ?killed ?bound WHERE {
          ?event a kg:Event ; kg:place ?place ; kg:killed ?q . ?q kg:value ?killed ; kg:bound ?bound .
          ?place kg:locatedIn* d:colombia . }""")
    assert {(local(e), int(k), b) for e, k, b in rows} == {
        ("colombia-attacks-last-week", 18, KG.AtLeast),
        ("colombia-attacks-last-week", 19, KG.AtLeast),  # "at least 19 people dead" (The City Paper Bogotá)
        ("colombia-second-attack", 8, KG.AtLeast)}  # "al menos ocho muertos" (Local News Wave)
    # Through the claims, with how each step is known.
    rows = select(bundled_graph, """
        SELECT ?event ?killed ?bound ?inferred WHERE {
          ?c rdf:subject ?place ; rdf:predicate kg:locatedIn ; rdf:object d:colombia .
          BIND (EXISTS { ?c kg:curatorInference true } AS ?inferred)
          ?event kg:place ?place ; kg:killed ?q . ?q kg:value ?killed ; kg:bound ?bound . }""")
    # The downing's tolls in the sources' own voices: 12 (the report, Local News Wave), 13
    # ("Thirteen police officers on board died", The City Paper Bogotá), at least 10 (BNO News);
    # Medellín and Antioquia lie in Colombia by the curator's reading.
    assert {(local(e), int(k), b, i.toPython()) for e, k, b, i in rows} == {
        ("medellin-helicopter-downing", 12, KG.Exact, True), ("medellin-helicopter-downing", 13, KG.Exact, True),
        ("medellin-helicopter-downing", 10, KG.AtLeast, True)}
    places = {local(e) for (e,) in select(bundled_graph, """
        SELECT DISTINCT ?event WHERE { ?c rdf:subject ?event ; rdf:predicate kg:place ; rdf:object d:colombia }""")}
    assert {"colombia-second-attack", "colombia-drone-attacks-2024", "colombia-peace-talks"} <= places
    assert "chihuahua-ambush" not in places and "farc-operative-helicopter-strike" not in places


def test_q3_claims_resting_on_unnamed_sources(bundled_graph):
    rows = select(bundled_graph, """
        SELECT DISTINCT ?claimant WHERE {
          ?c a kg:Claim ; kg:claimant ?claimant .
          { ?claimant a kg:UnnamedActor } UNION { ?claimant a kg:CollectiveActor } }""")
    claimants = {local(c) for (c,) in rows}
    assert {"ukrainian-security-official", "intelligence-analysts", "analysts", "authorities",
            "latam-security-services", "european-security-services"} <= claimants
    assert not {"marciniak", "petro", "aguirre", "colombia-defence-ministry"} & claimants


def test_q4_groups_using_drones_against_security_forces(bundled_graph):
    # No such attack is a fact in the report's own voice: each rests on someone's claim.
    assert not select(bundled_graph, """
        SELECT ?perp WHERE { ?event kg:perpetrator ?perp ; kg:usedEquipment/skos:broader* kg:Drone . }""")
    rows = select(bundled_graph, """
        SELECT DISTINCT ?perp ?modality ?who WHERE {
          ?c rdf:subject ?event ; rdf:predicate kg:perpetrator ; rdf:object ?perp ; kg:modality ?modality ;
             kg:claimant ?who .
          ?e rdf:subject ?event ; rdf:predicate kg:usedEquipment ; rdf:object ?d . ?d skos:broader* kg:Drone .
          { ?t1 rdf:subject ?event ; rdf:predicate kg:target ; rdf:object ?t . ?t a/rdfs:subClassOf* kg:SecurityForce }
          UNION
          { ?t1 rdf:subject ?event ; rdf:predicate kg:target ; rdf:object ?asset .
            ?o1 rdf:subject ?asset ; rdf:predicate kg:operatedBy ; rdf:object ?op .
            ?op a/rdfs:subClassOf* kg:SecurityForce } }""")
    found = {(local(p), m, local(w)) for p, m, w in rows}
    assert ("cjng", KG.ReportedFact, "marciniak") in found
    assert ("organised-crime-members", KG.ReportedFact, "aguirre") in found
    assert ("emc", KG.Allegation, "petro") in found
    assert ("farc-operative", KG.Allegation, "marciniak") in found


def test_q5_what_is_known_of_the_international_legion(bundled_graph):
    facts = {(p, local(o)) for p, o in select(bundled_graph, """
        SELECT ?p ?o WHERE { d:intl-legion ?p ?o . FILTER(?p NOT IN (rdf:type, rdfs:label, rdfs:comment)) }""")}
    # The magnet is the security services' word, no fact; "Ukraine's International Legion" (The
    # Telegraph; "the country's International Legion", Defense News).
    assert facts == {(KG.fightsAlongside, "kyiv"), (KG.basedIn, "ukraine")}
    rows = select(bundled_graph, """
        SELECT ?p ?o ?claimant WHERE {
          ?c rdf:subject d:intl-legion ; rdf:predicate ?p ; rdf:object ?o . FILTER(?p NOT IN (rdf:type))
          OPTIONAL { ?c kg:claimant ?claimant } }""")
    facts = {(p, local(o), local(c) if c else None) for p, o, c in rows}
    assert (KG.fightsAlongside, "kyiv", None) in facts
    assert (KG.attracts, "organised-crime-operatives", "latam-security-services") in facts
    assert (KG.attracts, "organised-crime-operatives", "european-security-services") in facts
    assert (KG.attracts, "genuine-volunteers", "european-security-services") in facts
    types = {t for (t,) in select(bundled_graph, "SELECT ?t WHERE { d:intl-legion a/rdfs:subClassOf* ?t }")}
    assert {KG.ForeignLegion, KG.MilitaryUnit, KG.Actor} <= types


def test_q6_relative_dates_stay_relative(bundled_graph):
    rows = select(bundled_graph, """
        SELECT ?event ?text ?unit WHERE {
          ?event kg:hasTime ?t . ?t a kg:RelativeTime ; kg:expressionText ?text ; kg:relativeTo d:report ;
             time:unitType ?unit . FILTER NOT EXISTS { ?t kg:year ?y } FILTER NOT EXISTS { ?t kg:date ?x } }""")
    last_week = {local(e) for e, text, _ in rows if str(text) == "last week"}
    assert last_week == {"colombia-attacks-last-week", "medellin-helicopter-downing", "colombia-second-attack"}
    # The report has no publication date, and nothing in the graph pins "last week" to a date.
    assert not select(bundled_graph, "SELECT ?d WHERE { d:report kg:publicationDate ?d }")


def test_q7_drone_attacks_recorded_in_2024(bundled_graph):
    rows = select(bundled_graph, """
        SELECT ?count ?who WHERE {
          ?c rdf:subject ?stat ; rdf:predicate kg:count ; rdf:object ?q ; kg:claimant ?w . ?w rdfs:label ?who .
          ?q kg:value ?count ; kg:bound kg:Exact .
          ?t rdf:subject ?stat ; rdf:predicate kg:hasTime ; rdf:object/kg:year "2024"^^xsd:gYear .
          ?p rdf:subject ?stat ; rdf:predicate kg:place ; rdf:object d:colombia . }""")
    assert [(int(c), str(w)) for c, w in rows] == [(115, "Colombian defence ministry")]


def test_q8_aliases_with_their_audit_trail(bundled_graph):
    rows = select(bundled_graph, """
        SELECT ?alias ?external WHERE {
          d:cjng skos:altLabel ?alias .
          ?c rdf:subject d:cjng ; rdf:predicate skos:altLabel ; rdf:object ?alias .
          BIND(EXISTS { ?c kg:external true } AS ?external) }""")
    aliases = {(str(a), bool(e.toPython())) for a, e in rows}
    assert ("Jalisco New Generation Cartel", False) in aliases
    assert any(external for _, external in aliases), "the Spanish name is an external alias"


def test_q9_the_two_attacks_and_what_is_kept_apart(bundled_graph):
    query = "SELECT ?e WHERE { ?e kg:partOf d:colombia-attacks-last-week }"
    parts = {local(e) for (e,) in select(bundled_graph, query)}
    assert parts == {"medellin-helicopter-downing", "colombia-second-attack"}
    # The FARC operative's alleged strike is part of Marciniak's wave, never linked to Medellín.
    assert bundled_graph.query("""ASK { ?c rdf:subject d:farc-operative-helicopter-strike ; rdf:predicate kg:partOf ;
                                             rdf:object d:drone-attack-wave ; kg:claimant d:marciniak }""",
                               initNs=NS).askAnswer
    assert not bundled_graph.query("""ASK { { ?c rdf:subject d:farc-operative-helicopter-strike ;
                                                rdf:object d:medellin-helicopter-downing }
              UNION { ?c rdf:subject d:medellin-helicopter-downing ; rdf:object d:farc-operative-helicopter-strike }
              UNION { ?c rdf:subject d:farc-operative-helicopter-strike ;
                      rdf:object d:medellin-police-helicopter } }""",
                                   initNs=NS).askAnswer
    # The Chihuahua events stay apart: the ambush is not a drone attack, and Aguirre's pair of
    # incidents is not the Golden Triangle attacks.
    assert not bundled_graph.query("ASK { ?c rdf:subject d:chihuahua-ambush ; rdf:predicate kg:usedEquipment }",
                                   initNs=NS).askAnswer
    assert not bundled_graph.query("""ASK { { ?c rdf:subject d:chihuahua-drone-incidents ;
                                                rdf:object d:golden-triangle-drone-attacks }
              UNION { ?c rdf:subject d:golden-triangle-drone-attacks ; rdf:object d:chihuahua-drone-incidents } }""",
                                   initNs=NS).askAnswer


def test_q10_what_aguirre_says_of_chihuahua(bundled_graph):
    rows = select(bundled_graph, """
        SELECT ?count ?bound ?targetName ?role WHERE {
          ?c rdf:subject ?event ; rdf:predicate kg:count ; rdf:object ?q ; kg:claimant d:aguirre .
          ?q kg:value ?count ; kg:bound ?bound .
          ?t rdf:subject ?event ; rdf:predicate kg:target ; rdf:object ?target ; kg:claimant d:aguirre .
          ?target rdfs:label ?targetName .
          d:aguirre kg:role ?role }""")
    # "a pair of incidents": about two, as worded, never exactly two.
    assert [(int(c), b, str(t)) for c, b, t, _ in rows] == [(2, KG.Approximately, "Chihuahua police")]
    assert "police chief of staff" in str(rows[0][3])


def test_q11_forecasts_and_who_makes_them(bundled_graph):
    rows = select(bundled_graph, """
        SELECT DISTINCT ?name ?quote WHERE { ?c kg:modality kg:Forecast ; kg:claimant/rdfs:label ?name ;
                                                kg:quote ?quote }""")
    assert {str(n) for n, _ in rows} == {"Alexander Marciniak"}
    assert any("I wouldn't be surprised if drones become central to their tactics" in str(q) for _, q in rows)


def test_q12_place_hierarchy_walks_transitively(bundled_graph):
    # Only what the text states: Chihuahua, Mexico. Medellín in Colombia, Sinaloa and the Golden
    # Triangle in Mexico are curator inferences; the countries in Latin America outside knowledge.
    assert not select(bundled_graph, "SELECT ?up WHERE { d:medellin kg:locatedIn+ ?up }")
    rows = select(bundled_graph, "SELECT ?place WHERE { ?place kg:locatedIn+ d:mexico }")
    assert {local(p) for (p,) in rows} == {"chihuahua"}
    claimed = {(local(s), local(o), e.toPython(), i.toPython()) for s, o, e, i in select(bundled_graph, """
        SELECT ?s ?o ?external ?inferred WHERE { ?c rdf:subject ?s ; rdf:predicate kg:locatedIn ; rdf:object ?o ;
          kg:asserted false .
          BIND (EXISTS { ?c kg:external true } AS ?external)
          BIND (EXISTS { ?c kg:curatorInference true } AS ?inferred) }""")}
    assert claimed == {("medellin", "colombia", False, True), ("sinaloa", "mexico", False, True),
                       ("golden-triangle", "mexico", False, True), ("colombia", "latin-america", True, False),
                       ("mexico", "latin-america", True, False),
                       # The digests': Antioquia ("in north-western Colombia", Uruguay al Día), Valle
                       # del Cauca and Anorí (The City Paper Bogotá), Lviv (Defense News).
                       ("antioquia", "colombia", False, True), ("valle-del-cauca", "colombia", False, True),
                       ("anori", "antioquia", False, True), ("lviv", "ukraine", False, True)}


def test_q13_people_roles_and_affiliations(bundled_graph):
    rows = select(bundled_graph, """
        SELECT ?name ?org WHERE { ?p a kg:Person ; rdfs:label ?name ; kg:affiliatedWith/rdfs:label ?org }""")
    assert ("Alexander Marciniak", "Sibylline") in {(str(n), str(o)) for n, o in rows}
    assert ("Luis Aguirre", "Chihuahua police") in {(str(n), str(o)) for n, o in rows}


def test_q14_the_official_spoke_through_a_journal(bundled_graph):
    rows = select(bundled_graph, """
        SELECT DISTINCT ?outlet WHERE { ?c kg:claimant d:ukrainian-security-official ;
                                           kg:reportedVia/rdfs:label ?outlet } ORDER BY ?outlet""")
    # The report's "European defence journal"; the digests' Kyiv official (the same, by the
    # curator's kg:sameAs) "told Intelligence Online".
    assert [str(o) for (o,) in rows] == ["Intelligence Online", "a European defence journal"]


def test_q15_evidence_for_a_link(bundled_graph):
    rows = select(bundled_graph, """
        SELECT ?quote ?rel ?cred WHERE {
          ?c rdf:subject d:medellin-helicopter-downing ; rdf:predicate kg:killed ; rdf:object ?n ; kg:source d:report ;
             kg:quote ?quote ; kg:sourceReliability/skos:notation ?rel ;
             kg:informationCredibility/skos:notation ?cred }""")
    assert len(rows) == 1
    quote, rel, cred = rows[0]
    assert "12 people killed when a police helicopter was brought down by a drone" in str(quote)
    assert (str(rel), str(cred)) == ("F", "3")


@pytest.mark.parametrize("entity", ["cjng", "emc", "farc", "intl-legion", "medellin", "petro", "marciniak"])
def test_key_entities_exist_with_labels(bundled_graph, entity):
    assert bundled_graph.value(d(entity), URIRef("http://www.w3.org/2000/01/rdf-schema#label")) is not None


def test_alias_lookup_finds_cjng_by_jalisco(bundled_graph):
    rows = select(bundled_graph, """
        SELECT DISTINCT ?e WHERE { { ?e rdfs:label ?n } UNION { ?e skos:altLabel ?n }
                                   FILTER(CONTAINS(LCASE(STR(?n)), "jalisco")) }""")
    assert [local(e) for (e,) in rows] == ["cjng"]
    assert Literal("CJNG") == bundled_graph.value(d("cjng"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))

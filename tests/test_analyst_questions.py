"""Thirty questions an analyst asks of the first report, with the answers written from its text
(../shared/sources/cartel-drones-ukraine.txt), asked in SPARQL of the bundled dataset. The bundled
data also holds digests of other reporting: a question about what the report says keeps to its
claims (``kg:source data:report``); where the digests change a plain answer, the new answer is
written from their texts.

Who alleges what and how; what rests on unnamed or collective voices; the casualty figures with
their bounds; what happened in Colombia, in Chihuahua and in Sinaloa, stated or only implied; and
what the text does not say (no named cartel is linked to the International Legion), which must
come back empty. A plain triple pattern sees facts only (README, "Provenance model"); a question
about claims goes through ``kg:Claim``.
"""

from __future__ import annotations

import pytest

import kg.query

BASE = "https://w3id.org/osint-kg/data/cartel-drones-ukraine/"
KG = "https://w3id.org/osint-kg/ontology#"


def d(local: str) -> str:
    return BASE + local


def local(term) -> str:
    text = str(term)
    return text[len(BASE):] if text.startswith(BASE) else text[len(KG):] if text.startswith(KG) else text


@pytest.fixture(scope="module")
def ask(bundled_project):
    engine = kg.query.open_engine(bundled_project)

    def run(query: str) -> list[dict]:
        return engine.query(query).rows
    return run


@pytest.fixture(scope="module")
def asks(bundled_project):
    engine = kg.query.open_engine(bundled_project)
    return lambda query: engine.query(query).boolean


# --- who alleges what, and how -----------------------------------------------------------------


def test_q01_who_blames_the_emc_for_the_medellin_downing_and_how(ask):
    rows = ask("""SELECT ?who ?modality ?how ?quote WHERE {
        ?c rdf:subject data:medellin-helicopter-downing ; rdf:predicate kg:perpetrator ; rdf:object data:emc ;
           kg:claimant/rdfs:label ?who ; kg:modality ?modality ;
           kg:attribution/skos:notation ?how ; kg:quote ?quote }""")
    assert [(str(r["who"]), local(r["modality"]), str(r["how"])) for r in rows] == [
        ("Gustavo Petro", "Allegation", "paraphrase")]
    assert str(rows[0]["quote"]) == ("describing the strike as the work of EMC, the largest dissident faction of "
                                     "the Farc guerrillas")


def test_q02_who_alleges_the_farc_operatives_strike(ask):
    rows = ask("""SELECT DISTINCT ?who ?how WHERE {
        ?c rdf:subject data:farc-operative-helicopter-strike ; rdf:predicate kg:perpetrator ;
           rdf:object data:farc-operative ; kg:modality kg:Allegation ;
           kg:claimant/rdfs:label ?who ; kg:attribution/skos:notation ?how }""")
    assert [(str(r["who"]), str(r["how"])) for r in rows] == [("Alexander Marciniak", "direct-quote")]


def test_q03_no_drone_attack_has_a_perpetrator_as_a_reported_fact(ask):
    # The report names no perpetrator of a drone attack in its own voice: every one is someone's word.
    assert ask("""SELECT ?event ?actor WHERE {
        ?event kg:perpetrator ?actor ; kg:usedEquipment/skos:broader* kg:Drone }""") == []


def test_q04_what_rests_on_unnamed_or_collective_voices(ask):
    rows = ask("""SELECT DISTINCT ?claimant WHERE {
        ?c kg:claimant ?claimant ; rdf:predicate ?p ; kg:source data:report . FILTER (?p != rdf:type)
        { ?claimant a kg:UnnamedActor } UNION { ?claimant a kg:CollectiveActor } }""")
    assert {local(r["claimant"]) for r in rows} == {
        "ukrainian-security-official", "intelligence-analysts", "analysts", "authorities",
        "latam-security-services", "european-security-services", "colombia-transit-reports"}


def test_q05_what_the_security_services_say_of_the_international_legion(ask):
    rows = ask("""SELECT ?who ?whom ?asserted ?how WHERE {
        ?c rdf:subject data:intl-legion ; rdf:predicate kg:attracts ; rdf:object ?whom ; kg:claimant ?who ;
           kg:asserted ?asserted ; kg:attribution/skos:notation ?how }""")
    assert {(local(r["who"]), local(r["whom"]), r["asserted"].toPython(), str(r["how"])) for r in rows} == {
        (services, whom, False, "paraphrase")
        for services in ("latam-security-services", "european-security-services")
        for whom in ("genuine-volunteers", "organised-crime-operatives")}


def test_q06_no_named_cartel_is_linked_to_the_international_legion(ask):
    """The text ties "operatives tied to organised crime" to the Legion, and names no cartel."""
    query = """SELECT DISTINCT ?cartel WHERE {
        ?cartel a/rdfs:subClassOf* kg:CriminalOrganization . FILTER NOT EXISTS { ?cartel a kg:CollectiveActor }
        FILTER NOT EXISTS { ?cartel a kg:UnnamedActor }
        { ?c rdf:subject ?cartel ; rdf:object data:intl-legion }
        UNION { ?c rdf:subject data:intl-legion ; rdf:object ?cartel }
        UNION { ?c rdf:subject ?x ; rdf:object ?cartel . ?c2 rdf:subject data:intl-legion ; rdf:object ?x }
        UNION { ?c rdf:subject ?cartel ; rdf:object ?x . ?c2 rdf:subject data:intl-legion ; rdf:object ?x }
        UNION { ?c rdf:subject ?x ; rdf:object ?cartel . ?c2 rdf:subject ?x ; rdf:object data:intl-legion }
        SOURCES }"""
    assert ask(query.replace("SOURCES", "?c kg:source data:report . OPTIONAL { ?c2 kg:source ?s2 }"
                                        " FILTER (!BOUND(?s2) || ?s2 = data:report)")) == []
    # The digests do name one: the Águila-7 recruit who joined the Legion was, "According to
    # reports, ... in fact a foot soldier of Mexico's Los Zetas cartel" (The Telegraph).
    assert [local(r["cartel"]) for r in ask(query.replace("SOURCES", ""))] == ["los-zetas"]


def test_q07_forecasts_and_who_makes_them(ask):
    rows = ask("""SELECT DISTINCT ?who ?quote ?cred WHERE { ?c kg:modality kg:Forecast ; kg:claimant/rdfs:label ?who ;
        kg:quote ?quote ; kg:informationCredibility/skos:notation ?cred }""")
    assert {(str(r["who"]), str(r["quote"]), str(r["cred"])) for r in rows} == {
        ("Alexander Marciniak", "I wouldn't be surprised if drones become central to their tactics", "6")}


def test_q08_marciniaks_own_words_and_what_the_report_says_he_said(ask):
    rows = ask("""SELECT DISTINCT ?event ?how WHERE { ?c kg:claimant data:marciniak ; rdf:subject ?event ;
        rdf:predicate kg:eventType ; kg:attribution/skos:notation ?how }""")
    how = {local(r["event"]): str(r["how"]) for r in rows}
    assert how["drone-use-uptick"] == "reported-speech"  # said there has been "a very large uptick"
    assert how["cjng-drone-strikes"] == "direct-quote"  # "The CJNG [...] has its own drone operators"
    assert how["cartel-drones-central-forecast"] == "direct-quote"


def test_q09_who_says_the_cjng_uses_drones(ask):
    rows = ask("""SELECT ?who ?asserted WHERE { ?c rdf:subject data:cjng ; rdf:predicate kg:usesEquipment ;
        rdf:object kg:Drone ; kg:claimant/rdfs:label ?who ; kg:asserted ?asserted }""")
    assert [(str(r["who"]), r["asserted"].toPython()) for r in rows] == [("Alexander Marciniak", False)]
    assert ask("SELECT ?x WHERE { data:cjng kg:usesEquipment ?x }") == []


def test_q10_what_the_ukrainian_official_says_and_through_whom(ask):
    rows = ask("""SELECT DISTINCT ?event ?modality ?outlet WHERE { ?c kg:claimant data:ukrainian-security-official ;
        rdf:subject ?event ; rdf:predicate kg:eventType ; kg:modality ?modality ;
        kg:reportedVia/rdfs:label ?outlet ; kg:source data:report }""")
    said = {local(r["event"]): local(r["modality"]) for r in rows}
    assert said == {"ukraine-fpv-dissemination": "Assessment", "ukraine-drone-killing-course": "ReportedFact",
                    "drone-knowledge-sale": "ReportedFact"}
    assert {str(r["outlet"]) for r in rows} == {"a European defence journal"}
    # That he spoke is the report's own statement.
    assert ask("SELECT ?t WHERE { data:official-statement kg:eventType ?t ;"
               " kg:agent data:ukrainian-security-official }")


# --- figures with their bounds -----------------------------------------------------------------


def test_q11_casualty_figures_with_their_bounds(ask):
    rows = ask("""SELECT ?event ?measure ?label ?bound ?asserted WHERE {
        VALUES ?measure { kg:killed kg:wounded }
        ?c rdf:subject ?event ; rdf:predicate ?measure ; rdf:object ?q ; kg:asserted ?asserted ; kg:source data:report .
        ?q rdfs:label ?label ; kg:bound/skos:notation ?bound }""")
    assert {(local(r["event"]), local(r["measure"]), str(r["label"]), str(r["bound"]), r["asserted"].toPython())
            for r in rows} == {
        ("colombia-attacks-last-week", "killed", "at least 18", "at-least", True),
        ("colombia-attacks-last-week", "wounded", "dozens", "vague", True),
        ("medellin-helicopter-downing", "killed", "exactly 12", "exact", True),
        ("chihuahua-ambush", "killed", "at least 1", "at-least", True),  # "a colonel was killed"
    }


def test_q12_no_figure_is_exact_unless_the_text_makes_it_exact(ask):
    rows = ask("""SELECT ?event ?p ?value WHERE { ?c rdf:subject ?event ; rdf:predicate ?p ; rdf:object ?q ;
        kg:source data:report . ?q kg:bound kg:Exact ; kg:value ?value }""")
    assert {(local(r["event"]), local(r["p"]), r["value"].toPython()) for r in rows} == {
        ("colombia-attacks-last-week", "count", 2),  # "two separate attacks"
        ("medellin-helicopter-downing", "killed", 12),  # "12 people killed"
        ("colombia-drone-attacks-2024", "count", 115),  # "115 drone attacks were recorded"
    }


def test_q13_the_ministrys_115_attacks_and_the_most_of_them(ask):
    rows = ask("""SELECT ?stat ?label ?who ?part WHERE {
        ?c rdf:subject ?stat ; rdf:predicate kg:count ; rdf:object/rdfs:label ?label ; kg:claimant/rdfs:label ?who .
        OPTIONAL { ?p rdf:subject ?stat ; rdf:predicate kg:partOf ; rdf:object ?part } }""")
    figures = {local(r["stat"]): (str(r["label"]), str(r["who"]), local(r["part"]) if r["part"] else None)
               for r in rows if local(r["stat"]).startswith("colombia-drone-attacks-2024")}
    assert figures == {
        "colombia-drone-attacks-2024": ("exactly 115", "Colombian defence ministry", None),
        "colombia-drone-attacks-2024-most": ("most", "Colombian defence ministry", "colombia-drone-attacks-2024")}
    # The armed groups carried out "most" of them: never the 115.
    perpetrated = ask("""SELECT ?event WHERE { ?c rdf:subject ?event ; rdf:predicate kg:perpetrator ;
        rdf:object data:cocaine-armed-groups }""")
    assert [local(r["event"]) for r in perpetrated] == ["colombia-drone-attacks-2024-most"]


def test_q14_aguirres_pair_of_incidents(ask):
    rows = ask("""SELECT ?label ?how ?who ?target WHERE {
        ?c rdf:subject data:chihuahua-drone-incidents ; rdf:predicate kg:count ; rdf:object/rdfs:label ?label ;
           kg:attribution/skos:notation ?how ; kg:claimant/rdfs:label ?who .
        ?t rdf:subject data:chihuahua-drone-incidents ; rdf:predicate kg:target ; rdf:object/rdfs:label ?target }""")
    assert [(str(r["label"]), str(r["how"]), str(r["who"]), str(r["target"])) for r in rows] == [
        ("about 2", "direct-quote", "Luis Aguirre", "Chihuahua police")]


def test_q15_what_increased_over_the_past_year_is_the_reports(ask):
    rows = ask("""SELECT ?event ?status ?when ?about WHERE {
        ?event kg:status ?status ; kg:hasTime/kg:expressionText ?when ;
        kg:concerns ?about }""")
    assert [(local(r["event"]), str(r["status"]), str(r["when"]), local(r["about"])) for r in rows] == [
        ("colombia-transit-reports-rise", "have increased", "over the past year", "colombians-transit-ukraine")]
    # The movements themselves are what the reports say, not what the report states.
    assert ask("SELECT ?p WHERE { data:colombians-transit-ukraine kg:place ?p }") == []
    rows = ask("""SELECT DISTINCT ?who WHERE { ?c rdf:subject data:colombians-transit-ukraine ; rdf:predicate kg:place ;
        kg:claimant/rdfs:label ?who }""")
    assert [str(r["who"]) for r in rows] == ["reports of Colombians moving through Ukraine"]


# --- places and events ---------------------------------------------------------------------------


def test_q16_what_happened_in_colombia_as_reported_fact(ask):
    rows = ask("SELECT DISTINCT ?event WHERE { ?event kg:place/kg:locatedIn* data:colombia }")
    assert {local(r["event"]) for r in rows} == {
        "colombia-attacks-last-week", "colombia-second-attack", "colombia-security-crisis",
        "mexico-colombia-drone-violence",
        # Meganoticias: "Los drones cargados con explosivos se usan cada vez más en Colombia".
        "colombia-explosive-drone-trend"}


def test_q17_what_happened_in_colombia_by_claim_or_inference(ask):
    rows = ask("""SELECT DISTINCT ?event ?inferred ?who WHERE {
        { ?c rdf:subject ?event ; rdf:predicate kg:place ; rdf:object data:colombia }
        UNION { ?c rdf:subject ?place ; rdf:predicate kg:locatedIn ; rdf:object data:colombia . ?event kg:place ?place }
        FILTER NOT EXISTS { ?event kg:place/kg:locatedIn* data:colombia }
        BIND (EXISTS { ?c kg:curatorInference true } AS ?inferred)
        OPTIONAL { ?c kg:claimant ?who } }""")
    found = {local(r["event"]): (r["inferred"].toPython(), local(r["who"]) if r["who"] else None) for r in rows}
    assert found == {
        "medellin-helicopter-downing": (True, None),  # Medellín in Colombia: the curator's reading
        "colombia-drone-attacks-2024": (True, "colombia-defence-ministry"),
        "colombia-peace-talks": (True, None), "cocaine-production-rise": (True, None),
        "groups-new-methods": (True, None), "cartel-tactics-at-home": (True, "intelligence-analysts")}


def test_q18_what_happened_in_chihuahua(ask):
    stated = ask("SELECT DISTINCT ?event WHERE { ?event kg:place/kg:locatedIn* data:chihuahua }")
    assert [local(r["event"]) for r in stated] == ["chihuahua-ambush"]
    implied = ask("""SELECT DISTINCT ?event ?who WHERE { ?c rdf:subject ?event ; rdf:predicate kg:place ;
        rdf:object data:chihuahua ; kg:curatorInference true . OPTIONAL { ?c kg:claimant ?who } }""")
    assert {(local(r["event"]), local(r["who"]) if r["who"] else None) for r in implied} == {
        ("chihuahua-drone-display", None), ("chihuahua-drone-incidents", "aguirre")}
    # The Golden Triangle attacks are placed in the zone; the text does not say which state it is in.
    assert ask("SELECT ?x WHERE { ?c rdf:subject data:golden-triangle ; rdf:predicate kg:locatedIn ; "
               "rdf:object data:chihuahua }") == []


def test_q19_what_happened_in_sinaloa(ask):
    rows = ask("SELECT ?event ?type WHERE { ?event kg:place data:sinaloa ; kg:eventType ?type }")
    assert {(local(r["event"]), local(r["type"])) for r in rows} == {
        ("sinaloa-violence-spiral", "Trend"), ("sinaloa-civil-war", "ArmedClash")}
    rows = ask("""SELECT ?who WHERE { ?c rdf:subject data:sinaloa-civil-war ; rdf:predicate kg:usedEquipment ;
        rdf:object kg:Drone ; kg:claimant/rdfs:label ?who }""")
    assert [str(r["who"]) for r in rows] == ["Authorities"]  # "Authorities say drones are increasingly being used"


def test_q20_where_medellin_lies(ask, asks):
    assert not asks("ASK { data:medellin kg:locatedIn ?x }")  # the text never writes "Medellín, Colombia"
    rows = ask("""SELECT ?to ?note WHERE { ?c rdf:subject data:medellin ; rdf:predicate kg:locatedIn ; rdf:object ?to ;
        kg:curatorInference true ; kg:note ?note }""")
    assert [local(r["to"]) for r in rows] == ["colombia"] and "Implied, not stated" in str(rows[0]["note"])


def test_q21_when_the_colombian_attacks_happened(ask):
    rows = ask("""SELECT ?event ?when ?anchor ?date WHERE { ?event kg:place data:colombia ; kg:hasTime ?t .
        ?t kg:expressionText ?when ; kg:relativeTo ?anchor . OPTIONAL { ?t kg:date ?date } }""")
    assert {(local(r["event"]), str(r["when"]), local(r["anchor"]), r["date"]) for r in rows} == {
        ("colombia-attacks-last-week", "last week", "report", None),
        ("colombia-second-attack", "last week", "report", None)}


def test_q22_the_state_police_displayed_the_drones_after_the_ambush(asks):
    assert asks("ASK { data:chihuahua-drone-display kg:after data:chihuahua-ambush ;"
                " kg:hasTime/kg:expressionText 'later' }")
    assert asks("ASK { data:golden-triangle-drone-attacks kg:usedAsset data:chihuahua-seized-drones . "
                "data:chihuahua-drone-display kg:seizedAsset data:chihuahua-seized-drones }")


def test_q23_what_deepened_colombias_crisis_and_what_the_warnings_came_amid(ask):
    rows = ask("SELECT ?event ?crisis WHERE { ?event kg:aggravates ?crisis }")
    assert [(local(r["event"]), local(r["crisis"])) for r in rows] == [
        ("colombia-attacks-last-week", "colombia-security-crisis")]
    rows = ask("SELECT ?warning ?who ?amid WHERE { ?warning kg:occursAmid ?amid ; kg:agent ?who }")
    assert [(local(r["warning"]), local(r["who"]), local(r["amid"])) for r in rows] == [
        ("analysts-warning", "intelligence-analysts", "mexico-colombia-drone-violence")]


def test_q24_what_the_analysts_warned_of(ask):
    rows = ask("""SELECT ?event ?p ?o WHERE { ?c kg:claimant data:intelligence-analysts ; kg:modality kg:Assessment ;
        rdf:subject ?event ; rdf:predicate ?p ; rdf:object ?o . FILTER (?p IN (kg:hasPurpose, kg:after)) }""")
    assert {(local(r["event"]), local(r["p"]), local(r["o"])) for r in rows} == {
        ("cartel-fighters-to-ukraine", "hasPurpose", "cartel-fighters-gain-experience"),  # "to gain ... experience"
        ("cartel-fighters-return-home", "after", "cartel-fighters-gain-experience"),  # "before returning home"
        ("cartel-fighters-return-home", "hasPurpose", "cartel-tactics-at-home")}  # "to deploy the same tactics"
    assert ask("SELECT ?p WHERE { data:cartel-fighters-to-ukraine ?p ?o . FILTER (?p != rdf:type && "
               "?p != rdfs:label && ?p != rdfs:comment) }") == []  # none of it is a reported fact


# --- what is kept apart ---------------------------------------------------------------------------


def test_q25_the_farc_operatives_strike_is_not_the_medellin_downing(ask):
    assert ask("""SELECT ?c WHERE { { ?c rdf:subject data:farc-operative-helicopter-strike ; rdf:object ?x }
        UNION { ?c rdf:subject ?x ; rdf:object data:farc-operative-helicopter-strike }
        FILTER (?x IN (data:medellin-helicopter-downing, data:medellin-police-helicopter,
                       data:medellin-helicopter-police)) }""") == []


def test_q26_aguirres_incidents_are_not_the_golden_triangle_attacks(ask):
    assert ask("""SELECT ?c WHERE {
        { ?c rdf:subject data:chihuahua-drone-incidents ; rdf:object data:golden-triangle-drone-attacks }
        UNION
        { ?c rdf:subject data:golden-triangle-drone-attacks ; rdf:object data:chihuahua-drone-incidents } }""") == []
    # Nor are the "State police" said to be Aguirre's "Chihuahua police".
    assert ask("""SELECT ?c WHERE { { ?c rdf:subject data:chihuahua-state-police ; rdf:object data:chihuahua-police }
        UNION { ?c rdf:subject data:chihuahua-police ; rdf:object data:chihuahua-state-police } }""") == []


# --- what the text only implies, and what is not in it -------------------------------------------


def test_q27_what_the_text_only_implies(ask):
    rows = ask("""SELECT ?s ?p ?o ?asserted ?note WHERE { ?c kg:curatorInference true ; rdf:subject ?s ;
        rdf:predicate ?p ; rdf:object ?o ; kg:asserted ?asserted ; kg:note ?note }""")
    found = {(local(r["s"]), local(r["p"]), local(r["o"])) for r in rows}
    assert {("medellin", "locatedIn", "colombia"), ("sinaloa", "locatedIn", "mexico"),
            ("golden-triangle", "locatedIn", "mexico"), ("petro", "leaderOf", "colombia-government"),
            ("colombia-defence-ministry", "basedIn", "colombia"), ("mexico-national-guard", "basedIn", "mexico"),
            ("chihuahua-state-police", "basedIn", "chihuahua"),
            ("cjng-drone-operators", "usesEquipment", "GrenadeDrone")} <= found
    assert all(not r["asserted"].toPython() and str(r["note"]) for r in rows)


def test_q28_knowledge_from_outside_the_text(ask):
    rows = ask("""SELECT ?s ?p ?o ?quote WHERE {
        ?c kg:external true ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
        OPTIONAL { ?c kg:quote ?quote } FILTER (?p != skos:altLabel) }""")
    assert {(local(r["s"]), local(r["p"]), local(r["o"])) for r in rows} == {
        ("colombia", "locatedIn", "latin-america"), ("mexico", "locatedIn", "latin-america")} | {
        # The digests' outlets are media organisations, known from their mastheads.
        (outlet, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "MediaOrganization")
        for outlet in ("bno-news", "city-paper-bogota", "defense-news", "local-news-wave", "meganoticias-mx",
                       "news-pravda", "the-telegraph", "uruguay-al-dia")}
    assert all(r["quote"] is None for r in rows)


def test_q29_who_luis_aguirre_is(ask):
    rows = ask("SELECT ?role ?org WHERE { data:aguirre kg:role ?role ; kg:affiliatedWith/rdfs:label ?org }")
    assert [(str(r["role"]), str(r["org"])) for r in rows] == [("police chief of staff", "Chihuahua police")]


def test_q30_who_is_said_to_belong_to_the_farc(ask):
    assert ask("SELECT ?x WHERE { ?x kg:memberOf data:farc }") == []  # no fact
    rows = ask("""SELECT ?x ?who WHERE { ?c rdf:predicate kg:memberOf ; rdf:object data:farc ; rdf:subject ?x ;
        kg:claimant/rdfs:label ?who }""")
    assert [(local(r["x"]), str(r["who"])) for r in rows] == [("farc-operative", "Alexander Marciniak")]
    # The EMC is the Farc's largest dissident faction, in the report's own gloss; Meganoticias's
    # "disidentes de las antiguas FARC" are dissidents of it too.
    assert {local(r["x"]) for r in ask("SELECT ?x WHERE { ?x kg:dissidentFactionOf data:farc }")} == {
        "emc", "farc-dissidents"}

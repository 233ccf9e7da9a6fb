"""The saved questions of a body of reporting (issue 14, item 7), asked of the multi-source fixture
(rows of six digests of ../shared/sources) with answers written from the texts; and casualties,
one row per event whatever the disputes."""

from __future__ import annotations

import pytest

import kg.query

BASE = "https://example.org/body/"
KGNS = "https://w3id.org/osint-kg/ontology#"


@pytest.fixture(scope="module")
def ask(body_project):
    engine = kg.query.open_engine(body_project)

    def run(question: str, /, **params: str):
        return kg.query.run(engine, question, params=params).rows
    return run


def test_disputes_every_version_in_the_order_of_publication(ask):
    rows = ask("disputes", subject="data:amalfi-downing")
    killed = [r for r in rows if str(r["property"]) == KGNS + "killed"]
    # Uruguay al Día (the day of the attacks): Petro's "at least eight"; Meganoticias the same
    # afternoon: Petro's first eight, then his confirmed 12; The City Paper (August, day not given): 13.
    assert [(str(r["valueLabel"]), int(r["number"]), str(r["countsAs"]), str(r["claimantLabel"] or ""))
            for r in killed] == [
        ("at least 8", 8, "Uruguay al Día", "Gustavo Petro"), ("exactly 8", 8, "Meganoticias", "Gustavo Petro"),
        ("exactly 12", 12, "Meganoticias", "Gustavo Petro"), ("exactly 13", 13, "The City Paper Bogotá", "")]
    assert [r["asserted"].toPython() for r in killed] == [False, False, False, True]  # Petro's, Petro's, the paper's
    assert [str(r["published"]) for r in killed] == ["2025-08-21", "2025-08-21", "2025-08-21", "2025-08"]
    assert str(killed[3]["quote"]) == "Thirteen police officers on board died."
    perpetrators = {(str(r["valueLabel"]), str(r["claimantLabel"])) for r in rows
                    if str(r["property"]) == KGNS + "perpetrator"}
    assert ("Gulf Clan", "Pedro Sánchez") in perpetrators and ("36th Front", "Gustavo Petro") in perpetrators
    places = [str(r["valueLabel"]) for r in rows if str(r["property"]) == KGNS + "place"]
    assert places == ["Amalfi", "Amalfi", "rural area between Amalfi and Anorí"]
    assert len(ask("disputes")) == len(rows)  # every dispute of the fixture is about the downing


def test_corroborated_counts_independent_origins_not_reports(ask):
    rows = ask("corroborated")
    by = {(r["subject"].split("/")[-1], r["predicate"].split("#")[-1], str(r["object"]).split("/")[-1]): r
          for r in rows}
    legion = by[("aguila-7", "memberOf", "intl-legion")]
    assert int(legion["independentSources"]) == 2 and int(legion["claims"]) == 3
    assert str(legion["origins"]).split(" | ") in (["Intelligence Online", "The Telegraph"],
                                                   ["The Telegraph", "Intelligence Online"])
    # Retold by two outlets, the training in Lviv rests on Intelligence Online alone.
    assert ("aguila-training", "place", "lviv") not in by
    # The 36th Front: an allegation in both (Petro; early intelligence reports).
    assert str(by[("amalfi-downing", "perpetrator", "front-36")]["modalities"]) == "allegation"
    assert all(int(r["independentSources"]) >= 2 for r in rows)
    assert len(ask("corroborated", min="3")) == 0


def test_single_source_what_rests_on_intelligence_online(ask):
    rows = ask("single-source", origin="data:intelligence-online")
    statements = {(r["subject"].split("/")[-1], r["predicate"].split("#")[-1], str(r["object"]).split("/")[-1])
                  for r in rows}
    assert ("aguila-training", "place", "lviv") in statements
    assert ("aguila-7", "memberOf", "gafe") in statements
    # The Kyiv official's words, relayed by The Telegraph from Intelligence Online.
    assert ("kyiv-official-warning", "agent", "kyiv-security-official") in statements
    assert ("aguila-7", "memberOf", "intl-legion") not in statements  # The Telegraph too
    lviv = next(r for r in rows if str(r["object"]).endswith("lviv") and r["predicate"].endswith("place"))
    assert set(str(lviv["sources"]).split(" | ")) == {"Digest of news-pravda.com's retelling",
                                                      "Digest of the syndicated copy of Defense News"}


def test_outlet_exclusive_what_the_city_paper_alone_reported(ask):
    rows = ask("outlet-exclusive", outlet="data:city-paper")
    by = {(r["predicate"].split("#")[-1], str(r["object"]).split("/")[-1]): r for r in rows
          if r["subject"].endswith("amalfi-downing")}
    thirteen = by[("killed", "exact-13")]
    assert set(str(thirteen["othersSay"]).split(" | ")) == {
        "at least 8 (Uruguay al Día)", "exactly 8 (Meganoticias)", "exactly 12 (Meganoticias)"}
    assert thirteen["asserted"].toPython() is True and not thirteen["claimants"]  # the paper's own voice
    assert "Amalfi (Uruguay al Día)" in str(by[("place", "amalfi-anori-area")]["othersSay"])
    assert by[("target", "national-police")]["othersSay"] is None  # nobody else names the target
    telegraph = ask("outlet-exclusive", outlet="data:the-telegraph")
    assert any(r["predicate"].endswith("memberOf") and str(r["object"]).endswith("los-zetas") for r in telegraph)


def test_figure_evolution_of_the_death_toll(ask):
    rows = ask("figure-evolution", event="data:amalfi-downing")
    assert [(int(r["value"]), str(r["bound"])) for r in rows] == [
        (8, "at-least"), (8, "exact"), (12, "exact"), (13, "exact")]
    assert [str(r["figureText"]) for r in rows] == ["at least 8", "exactly 8", "exactly 12", "exactly 13"]
    assert str(rows[2]["translation"]) == "confirmed on Thursday afternoon that 12 police officers died"
    assert rows[2]["quote"].language == "es"
    wounded = ask("figure-evolution", event="data:amalfi-downing", figure="kg:wounded")
    assert [int(r["value"]) for r in wounded] == [8, 8]


def test_derivation_chain_of_a_claim(ask):
    rows = ask("derivation", subject="data:aguila-7", predicate="kg:affiliatedWith")
    gafe = [r for r in rows if str(r["object"]).endswith("gafe")]
    # Our digest -> a syndicated copy -> Defense News's article -> Intelligence Online's report.
    assert [(int(r["depth"]), str(r["kind"])) for r in gafe] == [
        (0, "digest"), (1, "syndicated-copy"), (2, "retelling"), (3, "original")]
    assert [str(r["outletLabel"] or "") for r in gafe] == ["", "", "Defense News", "Intelligence Online"]
    assert {str(r["countsAs"]) for r in gafe} == {"Intelligence Online"}
    relayed = ask("derivation", subject="data:kyiv-official-warning", predicate="kg:agent")
    assert {str(r["relayedVia"]) for r in relayed} == {"Intelligence Online"}
    assert {str(r["countsAs"]) for r in relayed} == {"Intelligence Online"}


def test_reporting_timeline(ask):
    rows = ask("reporting-timeline")
    order = [r["source"].split("/")[-1] for r in rows]
    # July (news-pravda on the 29th, then Defense News known only to July), August 21 (Meganoticias,
    # Uruguay al Día), August (The City Paper), 2025 (The Telegraph), then Intelligence Online's
    # undated report. Curator notes are no reporting.
    assert order.index("newspravda-article") < order.index("defensenews-article") < order.index(
        "meganoticias-article") < order.index("citypaper-article") < order.index("telegraph-article") < order.index(
        "io-article")
    assert order[-1] == "io-article" and "curator" not in order
    digest = next(r for r in rows if r["source"].endswith("/meganoticias"))
    assert digest["published"] is None and str(digest["contentDate"]) == "2025-08-21"
    assert str(digest["kind"]) == "digest" and str(digest["language"]) == "es" and int(digest["claims"]) > 10


def test_casualties_one_row_per_event_with_the_versions(ask):
    rows = ask("casualties")
    assert [r["event"].split("/")[-1] for r in rows] == ["amalfi-downing"]
    row = rows[0]
    assert row["killed"] is None and row["killedFigure"] is None  # disputed: no single number
    assert str(row["killedVersions"]) == (
        "at least 8 (Uruguay al Día, 2025-08-21; Gustavo Petro, reported fact) | "
        "exactly 8 (Meganoticias, 2025-08-21; Gustavo Petro, reported fact) | "
        "exactly 12 (Meganoticias, 2025-08-21; Gustavo Petro, reported fact) | "
        "exactly 13 (The City Paper Bogotá, 2025-08; reported fact)")
    # Petro's eight, twice: agreed, and only his word (not the source's own voice).
    assert int(row["wounded"]) == 8 and str(row["woundedFigure"]) == "exactly 8" and str(row["woundedBound"]) == "exact"
    assert row["woundedAsserted"].toPython() is False and str(row["woundedClaimants"]) == "Gustavo Petro"
    assert str(row["woundedVersions"]).count("exactly 8") == 2
    assert set(str(row["placeLabel"]).split(" | ")) == {"Amalfi", "rural area between Amalfi and Anorí"}
    assert str(row["countryLabel"]) == "Colombia"

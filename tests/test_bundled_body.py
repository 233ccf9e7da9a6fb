"""The saved questions of a body of reporting (issue 14, item 7), asked of the bundled dataset: the
first report and the eight digests of ../shared/sources, with answers written from the texts.

The first report's helicopter downing "in the north-western city of Medellín" and its "two
separate attacks in Colombia last week" are, by flagged curator inference (kg:sameAs rows with
inference = true), the Amalfi downing and the two attacks of Thursday 21 August 2025 of the
digests; their ids are the report's (medellin-helicopter-downing, colombia-attacks-last-week,
colombia-second-attack), so every version below is kept on one event."""

from __future__ import annotations

import pytest

import kg.query

BASE = "https://w3id.org/osint-kg/data/cartel-drones-ukraine/"
KGNS = "https://w3id.org/osint-kg/ontology#"
REPORT = "News report: Mexican and Colombian cartels, Ukraine and FPV drones"


def local(value) -> str:
    return str(value).replace(BASE, "").replace(KGNS, "kg:")


@pytest.fixture(scope="module")
def ask(bundled_project):
    engine = kg.query.open_engine(bundled_project)

    def run(question: str, /, **params: str):
        return kg.query.run(engine, question, params=params).rows
    return run


def test_disputes_the_downing_every_version_in_the_order_of_publication(ask):
    rows = ask("disputes", subject="data:medellin-helicopter-downing")
    killed = [(str(r["valueLabel"]), str(r["countsAs"]), str(r["claimantLabel"] or "")) for r in rows
              if str(r["property"]) == KGNS + "killed"]
    assert killed == [
        # "President Gustavo Petro said that at least eight police officers were killed"
        ("at least 8", "Uruguay al Día", "Gustavo Petro"),
        # "En un primer mensaje, Petro había hablado de ocho policías muertos"
        ("exactly 8", "Meganoticias", "Gustavo Petro"),
        ("exactly 12", "Meganoticias", "Gustavo Petro"),    # "confirmó el jueves por la tarde que 12 policías murieron"
        ("exactly 12", "Local News Wave", ""),              # "y murieron 12 uniformados"
        # "Casualties included 12 people killed" (one version with 12)
        ("exactly 12", REPORT, ""),
        ("at least 10", "BNO News", ""),                    # "At least 10 officers were killed" (August, day not given)
        ("exactly 13", "The City Paper Bogotá", ""),        # "Thirteen police officers on board died."
    ]
    perpetrators = {(str(r["valueLabel"]), str(r["claimantLabel"]), str(r["countsAs"])) for r in rows
                    if str(r["property"]) == KGNS + "perpetrator"}
    assert perpetrators == {
        # "Petro attributed the drone to the 36th Front of the Estado Mayor Central (EMC)."
        ("36th Front", "Gustavo Petro", "Uruguay al Día"),
        ("36th Front", "early intelligence reports", "The City Paper Bogotá"),
        ("group led by Calarcá Córdoba", "Andrés Julián Rendón", "Uruguay al Día"),  # the governor
        # "disidentes del llamado cartel de alias Calarcá"
        ("group led by Calarcá Córdoba", "Pedro Sánchez", "Local News Wave"),
        # "Defence Minister Pedro Sánchez instead blamed the Gulf Clan"
        ("Gulf Clan", "Pedro Sánchez", "Uruguay al Día"),
        ("FARC dissidents", "Gustavo Petro", "Meganoticias"),  # "un ataque de disidentes de las antiguas FARC"
        # "the authorities attributed that attack to FARC dissidents"
        ("FARC dissidents", "the authorities", "BNO News"),
        ("EMC", "Gustavo Petro", REPORT),                      # "describing the strike as the work of EMC"
    }
    assert all(str(r["modality"]) == KGNS + "Allegation" or str(r["modality"]).endswith("allegation")
               for r in rows if str(r["property"]) == KGNS + "perpetrator")
    places = [(str(r["valueLabel"]), str(r["countsAs"])) for r in rows if str(r["property"]) == KGNS + "place"]
    assert places == [("Amalfi", "Uruguay al Día"), ("Amalfi", "Meganoticias"), ("Amalfi", "Local News Wave"),
                      ("Amalfi", "BNO News"), ("rural area between Amalfi and Anorí", "The City Paper Bogotá"),
                      ("Medellín", REPORT)]
    # Only the downing is disputed: the Cali bomb's "al menos ocho" and BNO's "At least six" can both
    # hold, as can the City Paper's "at least 19" and the report's "At least 18".
    assert {local(r["subject"]) for r in ask("disputes")} == {"medellin-helicopter-downing"}


def test_corroborated_counts_outlets_not_digests(ask):
    rows = ask("corroborated")
    by = {(local(r["subject"]), local(r["predicate"]), local(r["object"])): r for r in rows}
    # Retold by news-pravda.com and Defense News, and told by The Telegraph: two independent origins.
    legion = by[("aguila-7", "kg:memberOf", "intl-legion")]
    assert int(legion["independentSources"]) == 2 and int(legion["claims"]) == 3
    assert sorted(str(legion["origins"]).split(" | ")) == ["Intelligence Online", "The Telegraph"]
    # Amalfi: Uruguay al Día, Meganoticias, Local News Wave and BNO News (the City Paper says
    # "between the municipalities of Amalfi and Anorí").
    amalfi = by[("medellin-helicopter-downing", "kg:place", "amalfi")]
    assert int(amalfi["independentSources"]) == 4
    # 12 dead: Meganoticias (Petro), Local News Wave and the first report.
    twelve = by[("medellin-helicopter-downing", "kg:killed", "quantity/exact-12")]
    assert sorted(str(twelve["origins"]).split(" | ")) == ["Local News Wave", "Meganoticias", REPORT]
    # The Lviv course: two retellings of one Intelligence Online article count once.
    assert ("aguila-7-training", "kg:place", "lviv") not in by
    assert all(int(r["independentSources"]) >= 2 for r in rows)
    assert len(rows) == 38


def test_single_source_what_rests_on_intelligence_online(ask):
    rows = ask("single-source", origin="data:intelligence-online")
    statements = {(local(r["subject"]), local(r["predicate"]), local(r["object"])) for r in rows}
    # "completed the full drone course in Lviv" (news-pravda.com) and "completed full drone
    # training in Lviv" (Defense News): both retell Intelligence Online.
    assert ("aguila-7-training", "kg:place", "lviv") in statements
    assert ("aguila-7", "kg:memberOf", "gafe") in statements  # "He turned out to have been a member of GAFE"
    assert ("aguila-7", "kg:affiliatedWith", "gafe") in statements  # "probable links with Mexico's elite GAFE"
    assert ("ethos", "kg:operatesIn", "donetsk") in statements
    # Told by The Telegraph too: not single-source.
    assert ("aguila-7", "kg:memberOf", "intl-legion") not in statements
    lviv = next(r for r in rows if local(r["subject"]) == "aguila-7-training" and local(r["predicate"]) == "kg:place")
    assert sorted(str(lviv["sources"]).split(" | ")) == [
        "Digest of news-pravda.com's retelling of Intelligence Online",
        "Digest of the syndicated copy of Defense News's article"]


def test_figure_evolution_of_the_cali_bomb_and_of_the_downing(ask):
    rows = ask("figure-evolution", event="data:colombia-second-attack")
    # Local News Wave (2025-08-21): "La explosión dejó al menos ocho muertos"; BNO News (August):
    # "At least six people were killed ..., local officials said".
    assert [(local(r["quantity"]), str(r["countsAs"]), str(r["claimantLabel"] or "")) for r in rows] == [
        ("quantity/at-least-8", "Local News Wave", ""), ("quantity/at-least-6", "BNO News", "local officials")]
    downing = ask("figure-evolution", event="data:medellin-helicopter-downing")
    # Uruguay al Día, Meganoticias (8, then 12) and Local News Wave on 2025-08-21; BNO News and The
    # City Paper in August; the undated first report last.
    assert [local(r["quantity"]).split("/")[-1] for r in downing] == [
        "at-least-8", "exact-8", "exact-12", "exact-12", "at-least-10", "exact-13", "exact-12"]
    wounded = ask("figure-evolution", event="data:colombia-attacks-last-week", figure="kg:wounded")
    # The City Paper: "more than 70 injured"; the report: "dozens wounded".
    assert [local(r["quantity"]).split("/")[-1] for r in wounded] == ["at-least-70", "vague-dozens"]


def test_derivation_of_aguila_7_in_the_legion(ask):
    rows = ask("derivation", subject="data:aguila-7", predicate="kg:memberOf")
    chains: dict[str, list[str]] = {}
    for r in rows:
        chains.setdefault((local(r["object"]), str(r["claim"])), []).append(local(r["step"]))
    legion = sorted(steps for (obj, _), steps in chains.items() if obj == "intl-legion")
    # A digest of a syndicated copy of Defense News, which retells Intelligence Online ("The French
    # outlet Intelligence Online first reported the story on Tuesday"); a digest of news-pravda.com's
    # retelling; a digest of The Telegraph's own article.
    assert legion == [["defensenews", "defensenews-copy", "defensenews-article", "io-article"],
                      ["newspravda", "newspravda-article", "io-article"],
                      ["telegraph", "telegraph-article"]]
    counts = {str(r["countsAs"]) for r in rows if r["countsAs"] is not None}
    assert counts == {"Intelligence Online", "The Telegraph"}
    zetas = [steps for (obj, _), steps in chains.items() if obj == "los-zetas"]
    # "According to reports, he was in fact a foot soldier of Mexico's Los Zetas cartel"
    assert zetas == [["telegraph", "telegraph-article"]]


def test_outlet_exclusive_what_the_telegraph_alone_reported(ask):
    rows = ask("outlet-exclusive", outlet="data:the-telegraph")
    by = {(local(r["subject"]), local(r["predicate"]), local(r["object"])): r for r in rows}
    zetas = by[("aguila-7", "kg:memberOf", "los-zetas")]
    # The others: GAFE (news-pravda.com) and the Legion; never Los Zetas.
    assert "GAFE (Intelligence Online)" in str(zetas["othersSay"])
    july = by[("cni-warning", "kg:hasTime", "telegraph-july")]  # "warned their Ukrainian counterparts in July"
    assert str(july["othersSay"]) == "in early summer (Intelligence Online)"  # Defense News: "warned in early summer"
    assert ("kill-house-training", "kg:place", "western-ukraine") in by  # "In a disused factory in western Ukraine"
    assert ("sinaloa-cartel-gunmen", "kg:usesEquipment", "kg:FPVDrone") in by  # "holding a fibre-optic FPV drone"
    assert len(rows) == 26


def test_reporting_timeline_in_order_of_publication(ask):
    rows = ask("reporting-timeline")
    order = [local(r["source"]) for r in rows]
    # news-pravda.com 2025-07-29, then Defense News (July, day not given), then the three outlets
    # of 21 August 2025, then BNO News and The City Paper (August), The Telegraph (2025), and the
    # undated: Intelligence Online's article (known only through its retellings) and the report.
    assert order.index("newspravda-article") < order.index("defensenews-article") < order.index("meganoticias-article")
    assert order.index("meganoticias-article") < order.index("bno-article") < order.index("telegraph-article")
    assert order[-2:] == ["io-article", "report"]
    by = {local(r["source"]): r for r in rows}
    assert str(by["defensenews"]["countsAs"]) == "Intelligence Online"
    assert str(by["meganoticias"]["language"]) == "es" and str(by["meganoticias"]["kind"]).endswith("digest")
    assert str(by["bno-article"]["precision"]) == "month" and str(by["telegraph-article"]["precision"]) == "year"
    assert len(rows) == 19  # the report, 8 digests, 9 articles and one syndicated copy; no curator notes


def test_casualties_one_row_per_event_with_the_versions(ask):
    rows = ask("casualties")
    assert [local(r["event"]) for r in rows] == [
        "colombia-attacks-last-week", "medellin-helicopter-downing", "colombia-second-attack", "chihuahua-ambush"]
    downing = next(r for r in rows if local(r["event"]) == "medellin-helicopter-downing")
    assert downing["killed"] is None  # disputed: the versions say who gives what
    versions = str(downing["killedVersions"]).split(" | ")
    assert versions[0] == "at least 8 (Uruguay al Día, 2025-08-21; Gustavo Petro, reported fact)"
    assert len(versions) == 7
    # Both Uruguay al Día and Meganoticias give Petro's eight wounded: one figure, a claim only.
    assert int(downing["wounded"]) == 8 and str(downing["woundedAsserted"]) == "false"
    cali = next(r for r in rows if local(r["event"]) == "colombia-second-attack")
    assert str(cali["killedVersions"]).split(" | ")[0] == "at least 8 (Local News Wave, 2025-08-21; reported fact)"

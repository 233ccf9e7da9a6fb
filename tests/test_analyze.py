"""Network analysis: the measures on graphs with known answers, the projection on the mini
fixture, and the bundled data (paths, counts by place)."""

from __future__ import annotations

import networkx as nx
import pytest

import kg
from kg.analyze import (
    ProjectionOptions,
    analyze,
    betweenness,
    communities,
    counts_by_place,
    degree,
    eigenvector,
    project,
    resolve_entity,
    shortest_paths,
    timelines,
)
from kg.analyze.centrality import top
from kg.analyze.report import escape_markdown
from kg.errors import UsageError
from kg.property_graph import graph_view

from conftest import MINI


def two_cliques() -> nx.Graph:
    """Two 5-cliques (a0..a4, b0..b4) joined by one bridge edge a0-b0."""
    G = nx.Graph()
    for side in "ab":
        members = [f"{side}{i}" for i in range(5)]
        G.add_edges_from((u, v) for i, u in enumerate(members) for v in members[i + 1:])
    G.add_edge("a0", "b0")
    return G


# --- measures on graphs with known answers ------------------------------------------------


@pytest.mark.parametrize("measure", [degree, betweenness, eigenvector])
def test_star_centre_has_the_highest_centrality(measure):
    G = nx.star_graph(6)
    scores = measure(G).values
    assert max(scores, key=scores.get) == 0
    assert all(scores[0] > scores[leaf] for leaf in range(1, 7))


def test_two_cliques_give_two_communities_and_the_bridge_the_top_betweenness():
    G = two_cliques()
    result = communities(G)
    assert result.groups == [[f"a{i}" for i in range(5)], [f"b{i}" for i in range(5)]]
    assert result.modularity > 0.3
    scores = betweenness(G)
    ranked = [n for n, _ in top(scores, G, 2)]
    assert sorted(ranked) == ["a0", "b0"]
    assert all(scores.values["a0"] > scores.values[n] for n in G if n not in ("a0", "b0"))


def test_communities_are_the_same_every_run_and_whatever_the_insertion_order():
    G = nx.karate_club_graph()
    first = communities(G).groups
    assert all(communities(G).groups == first for _ in range(3))
    greedy = communities(G, method="greedy").groups
    assert communities(G, method="greedy").groups == greedy
    with pytest.raises(UsageError):
        communities(G, method="nope")


def test_betweenness_is_sampled_past_the_threshold_with_a_fixed_seed_and_engines_agree():
    G = nx.gnm_random_graph(400, 1200, seed=7)
    exact_nx = betweenness(G, engine="networkx")
    exact_ig = betweenness(G, engine="igraph")
    assert exact_nx.method == exact_ig.method == "exact"
    assert max(abs(exact_nx.values[n] - exact_ig.values[n]) for n in G) < 1e-9
    sampled_nx = betweenness(G, engine="networkx", exact_max=100, k=50)
    sampled_ig = betweenness(G, engine="igraph", exact_max=100, k=50)
    assert sampled_nx.method == "sampled k=50 seed=42"
    assert max(abs(sampled_nx.values[n] - sampled_ig.values[n]) for n in G) < 1e-9
    assert betweenness(G, engine="networkx", exact_max=100, k=50).values == sampled_nx.values
    assert betweenness(G, exact_max=100, k=50).engine == "igraph"  # auto: igraph past the threshold
    with pytest.raises(UsageError):
        betweenness(G, engine="nope")


def test_eigenvector_falls_back_when_power_iteration_does_not_converge():
    G = nx.star_graph(5)
    scores = eigenvector(G, max_iter=1)
    assert scores.method.startswith("dense eigen-decomposition")
    assert max(scores.values, key=scores.values.get) == 0
    assert eigenvector(G, engine="igraph").method == "arpack"


# --- the projection on the mini fixture -----------------------------------------------------


@pytest.fixture(scope="module")
def mini():
    project_ = kg.open_project(MINI)
    ds = kg.build(kg.load(project_))
    return project_.base, graph_view(ds)


def _ids(G: nx.Graph, base: str) -> set[tuple[str, str]]:
    return {tuple(sorted((u[len(base):], v[len(base):]))) for u, v in G.edges()}


def test_projection_keeps_actors_places_events_and_links_claimants(mini):
    base, view = mini
    G = project(view)
    assert sorted(G.nodes[n]["id"] for n in G) == ["attack", "ecx", "police", "roe", "springfield"]
    assert _ids(G, base) == {("attack", "ecx"), ("attack", "police"), ("attack", "springfield"),
                             ("attack", "roe")}
    edge = G.edges[base + "roe", base + "attack"]
    assert edge["predicates"] == ["kg:claimant"]
    (link,) = edge["links"]
    assert link.evidence[0].quote == "the attack was the work of ECX" and link.evidence[0].modality == "allegation"
    assert not G.is_directed()


def test_projection_filters_claims_by_modality(mini):
    base, view = mini
    G = project(view, ProjectionOptions(exclude_modalities=frozenset({"allegation"})))
    assert _ids(G, base) == {("attack", "police"), ("attack", "springfield")}
    with pytest.raises(UsageError):
        ProjectionOptions(exclude_modalities=frozenset({"rumour"}))


def test_projection_can_fold_events_into_edges_and_be_directed(mini):
    base, view = mini
    G = project(view, ProjectionOptions(events="edges"))
    assert "attack" not in {G.nodes[n]["id"] for n in G}
    assert ("ecx", "roe") in _ids(G, base)
    (link,) = G.edges[base + "ecx", base + "roe"]["links"]
    assert link.event == base + "attack" and link.predicate == "kg:event"
    D = project(view, ProjectionOptions(directed=True))
    assert D.has_edge(base + "attack", base + "ecx") and not D.has_edge(base + "ecx", base + "attack")
    assert D.has_edge(base + "roe", base + "attack")


def test_timeline_and_counts_on_the_mini_fixture(mini):
    base, view = mini
    lines = timelines(view)
    assert [e.roles for e in lines[base + "roe"]] == [["makes a claim about"]]
    assert lines[base + "ecx"][0].time == "last week"
    (place,) = [c for c in counts_by_place(view) if c.key == base + "springfield"]
    assert place.events == [base + "attack"] and place.killed == 2


# --- the bundled data -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(bundled_dataset, bundled_project):
    return analyze(bundled_dataset, source="Gustavo Petro", target="emc")


def test_path_from_petro_to_emc_goes_through_the_medellin_downing(bundled):
    base = bundled.base
    assert len(bundled.paths) == 1
    path = bundled.paths[0]
    assert path.nodes == [base + "petro", base + "medellin-helicopter-downing", base + "emc"]
    claim_hop, perpetrator_hop = path.hops
    assert [link.predicate for link in claim_hop.links] == ["kg:claimant"]
    assert [link.predicate for link in perpetrator_hop.links] == ["kg:perpetrator"]
    (evidence,) = perpetrator_hop.links[0].evidence
    assert "describing the strike as the work of EMC" in evidence.quote
    assert evidence.claimant == base + "petro" and evidence.modality == "allegation"


def test_path_disappears_when_allegations_are_excluded(bundled_dataset, bundled_project):
    options = ProjectionOptions(exclude_modalities=frozenset({"allegation", "forecast"}))
    result = analyze(bundled_dataset, options=options, source="petro", target="emc")
    assert all(bundled_project.base + "medellin-helicopter-downing" not in p.nodes for p in result.paths)


def test_counts_by_place_walk_located_in(make_dataset):
    text = (MINI / "sources" / "mini-report.txt").read_text(encoding="utf-8") + \
        "In all, 5 people died in attacks across the Shire, the Springfield attack among them.\n"
    data = make_dataset({"sources/mini-report.txt": text}, append={
        "entities.csv": "shire,kg:AdminRegion,Shire,,rep,across the Shire,,,F,3,\n"
                        "wave,kg:Event,Attacks across the Shire,,rep,attacks across the Shire,,,F,3,",
        "statements.csv": "springfield,kg:locatedIn,shire,rep,across the Shire,,,F,3,,\n"
                          "wave,kg:eventType,kg:Attack,rep,attacks across the Shire,,,F,3,,\n"
                          "wave,kg:place,shire,rep,attacks across the Shire,,,F,3,,\n"
                          "wave,kg:killed,5,rep,\"In all, 5 people died in attacks across the Shire\",,,F,3,,\n"
                          "attack,kg:partOf,wave,rep,the Springfield attack among them,,,F,3,,"})
    project_ = kg.open_project(data)
    view = graph_view(kg.build(kg.load(project_)))
    base = project_.base
    places = {c.key: c for c in counts_by_place(view)}
    shire, springfield = places[base + "shire"], places[base + "springfield"]
    assert shire.events == [base + "attack", base + "wave"] and springfield.events == [base + "attack"]
    assert springfield.killed == 2 and not springfield.killed_at_least
    # The attack's 2 are counted under the Shire inside the wave's 5, never added again.
    assert shire.included_in == {base + "attack": base + "wave"} and shire.killed == 5


def test_counts_by_place_count_facts_and_list_what_only_claims_place(bundled):
    base = bundled.base
    places = {c.key: c for c in bundled.by_place}
    colombia, medellin, latam = places[base + "colombia"], places[base + "medellin"], places[base + "latin-america"]
    downing = base + "medellin-helicopter-downing"
    # The downing's toll is disputed (KG906): the first report and Local News Wave "12 people killed" /
    # "murieron 12", BNO "At least 10 officers", The City Paper "Thirteen", Petro's first "ocho" (his
    # word). No version is counted as the fact: the lowest reported-fact figure, as "at least 10", with
    # every version and its sources listed.
    assert downing in medellin.events and medellin.killed == 10 and medellin.killed_at_least
    versions = medellin.versions[downing]["killed"]
    assert versions[0] == "disputed" and [v.split(" (", 1)[0] for v in versions[1:]] == [
        "at least 8", "exactly 8", "exactly 12", "at least 10", "exactly 13"]  # in publication order
    assert "attributed: Gustavo Petro" in versions[1] and "The City Paper" in versions[5]
    assert "News report: Mexican and Colombian cartels" in versions[3]
    assert medellin.wounded == 0 and "wounded" not in medellin.versions[downing]  # only Petro's "ocho heridos"
    # Medellín lies in Colombia only by the curator's reading: listed under Colombia, not counted.
    assert downing not in colombia.events and downing in colombia.attributed_events
    # The two attacks: "At least 18" (the report) and "at least 19" (The City Paper): not a dispute, but
    # two versions; the lowest is counted, and both listed. Their "dozens" / "more than 70" wounded too.
    attacks = base + "colombia-attacks-last-week"
    assert colombia.killed == 18 and colombia.killed_at_least
    assert colombia.versions[attacks] == {"killed": ["at least 18", "at least 19"],
                                          "wounded": ["at least 70", "dozens"]}
    assert colombia.wounded == 70 and colombia.wounded_at_least
    assert colombia.included_in[base + "colombia-second-attack"] == attacks
    assert base + "colombia-drone-attacks-2024" in colombia.attributed_events  # the ministry's word
    # No country is stated to lie in Latin America: nothing is counted there as a fact.
    assert latam.events == [] and latam.killed == 0 and downing in latam.attributed_events
    types = {c.key: c for c in bundled.by_type}
    downings = types["aircraft-downing"]
    assert downing in downings.events and downings.killed == 10 and downings.killed_at_least
    assert downings.versions[downing]["killed"] == versions
    assert base + "cjng-drone-strikes" in types["drone-attack"].attributed_events  # Marciniak's word


def test_timelines_on_the_bundled_data(bundled):
    base = bundled.base
    petro = bundled.timelines[base + "petro"]
    # The report's Petro blames EMC for the downing; the digests add his blame for the Cali bomb ("blamed
    # factions led by Iván Mordisco", BNO), his confirming 12 dead "el jueves por la tarde" and his
    # announcing the terrorist designation (Meganoticias, no time given). An event with several times
    # sits in the first column in reading order (week before day) and lists every time.
    assert [(e.label, e.time, e.roles) for e in petro] == [
        ("Police helicopter brought down by a drone", "last week", ["makes a claim about"]),
        ("The second of the two attacks in Colombia last week", "last week", ["makes a claim about"]),
        ("Petro confirms 12 police dead", "el jueves por la tarde", ["agent"]),
        ("Petro announces FARC dissidents and the Clan del Golfo will be deemed terrorist organisations",
         "undated", ["agent"])]
    assert petro[0].times == ["el jueves 21 de agosto", "last week", "on Thursday"]
    assert petro[1].times == ["el jueves 21 de agosto", "last week",
                              "on Thursday (attributed: Colombian Air Force, reported fact, reported speech)"]
    assert [e.attributed for e in petro] == [True, True, False, False]
    columns = bundled.figures()["timeline"]["columns"]
    assert columns[0] == "2024" and columns[-1] == "undated"


def test_resolve_entity_errors(bundled, bundled_dataset):
    view, G = bundled.view, bundled.G
    assert resolve_entity(view, G, "Estado Mayor Central") == bundled.base + "emc"  # an alias
    for name, message in (("nobody", "no entity"), ("police", "names 2 entities"), ("last-week", "leaves out")):
        with pytest.raises(UsageError, match=message):
            resolve_entity(view, G, name)
    with pytest.raises(UsageError, match="both"):
        analyze(bundled_dataset, source="petro")


def test_unconnected_entities_have_no_path():
    G = nx.Graph([("a", "b")])
    G.add_node("c")
    assert shortest_paths(G, "a", "c") == []


def test_markdown_escaping_of_data_text():
    assert escape_markdown("x | [link](javascript:1) <b>\n*") == "x \\| \\[link\\](javascript:1) \\<b\\> \\*"


def test_public_api_is_sorted_and_complete():
    import kg.analyze as analyze_pkg

    assert analyze_pkg.__all__ == sorted(analyze_pkg.__all__)
    assert all(hasattr(analyze_pkg, name) for name in analyze_pkg.__all__)

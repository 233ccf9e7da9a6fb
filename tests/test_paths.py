"""kg.paths: the one meaning of "path" (steps, claimants' links, which of several shortest paths),
on tiny views, and ``kg analyze --through``. The explorer's script is checked against it on every
pair of the bundled data in test_viz_browser.py."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.errors import UsageError
from kg.paths import PathRule, claimant_links, neighbourhood, path_links, shortest_path
from kg.property_graph import Edge, Evidence, GraphView, Node


def _ev(claim: str, claimant: str = "", modality: str = "reported-fact") -> Evidence:
    return Evidence(claim=claim, source="src", source_label="Source", quote="q", modality=modality,
                    claimant=claimant, claimant_label=claimant)


def _view() -> GraphView:
    kinds = {"a": "cartel", "b": "event", "c": "armed-group", "d": "equipment", "e": "event",
             "p": "person", "t": "time", "z": "event"}
    nodes = {i: Node(iri=i, id=i, label=i.upper(), kind=k) for i, k in sorted(kinds.items())}
    edges = [
        Edge("b", "a", "kg:perpetrator", "perpetrator", [_ev("c1")]),
        Edge("b", "d", "kg:usedEquipment", "used", [_ev("c2")]),
        Edge("e", "d", "kg:usedEquipment", "used", [_ev("c3")]),
        Edge("e", "c", "kg:perpetrator", "perpetrator", [_ev("c4", claimant="p", modality="allegation")]),
        Edge("b", "t", "kg:hasTime", "has time", [_ev("c5")]),
        Edge("z", "t", "kg:hasTime", "has time", [_ev("c6")]),
        Edge("z", "a", "kg:target", "target", [_ev("c7")]),
        Edge("z", "c", "kg:perpetrator", "perpetrator", [_ev("c8")]),
    ]
    return GraphView(nodes, sorted(edges, key=lambda e: e.key))


def test_concepts_and_times_are_not_steps_unless_asked_for():
    view = _view()
    links = path_links(view)
    # a - b - d(Drone) - e - c would be 4 links; a - z - c is the path (z is an event, a step).
    assert shortest_path(view, links, "a", "c").nodes == ["a", "z", "c"]
    # Without z, no path: not through the drone concept, not through the shared time.
    no_z = [x for x in links if "z" not in (x.source, x.target)]
    assert shortest_path(view, no_z, "a", "c") is None
    through = PathRule(through=frozenset({"equipment"}))
    assert shortest_path(view, no_z, "a", "c", through).nodes == ["a", "b", "d", "e", "c"]
    # A concept can still be an end of a path.
    assert shortest_path(view, links, "d", "a").nodes == ["d", "b", "a"]


def test_claimants_are_linked_to_what_they_claim_about():
    view = _view()
    (link,) = claimant_links(view)
    assert (link.source, link.target, link.predicate, link.claimant) == ("p", "e", "kg:claimant", True)
    assert [e.claim for e in link.evidence] == ["c4"]
    assert shortest_path(view, path_links(view), "p", "c").nodes == ["p", "e", "c"]
    assert shortest_path(view, path_links(view, PathRule(claimants=False)), "p", "c") is None
    # Leaving allegations out removes the claim, so its claimant's link and the link itself go.
    links = path_links(view, PathRule(exclude_modalities=frozenset({"allegation"})))
    assert not any(x.claimant for x in links) and not any(x.source == "e" and x.target == "c" for x in links)


def test_of_several_shortest_paths_the_first_in_iri_order_is_chosen():
    nodes = {i: Node(iri=i, id=i, label=i, kind="person") for i in ("s", "m2", "m1", "t")}
    edges = [Edge("s", "m2", "kg:knows", "knows"), Edge("m2", "t", "kg:knows", "knows"),
             Edge("s", "m1", "kg:knows", "knows"), Edge("m1", "t", "kg:knows", "knows")]
    view = GraphView(dict(sorted(nodes.items())), edges)
    assert shortest_path(view, path_links(view), "s", "t").nodes == ["s", "m1", "t"]
    assert shortest_path(view, path_links(view), "t", "s").nodes == ["t", "m1", "s"]


def test_neighbourhood_reaches_hubs_as_leaves_only():
    view = _view()
    near = neighbourhood(view, path_links(view), "a", 2)
    assert "d" in near and "t" in near  # reached ...
    assert "e" not in near  # ... but not walked through (e is reached from a only via the drone)
    assert near["z"] == 1 and near["c"] == 2


def test_a_bad_rule_is_a_usage_error():
    with pytest.raises(UsageError, match="cannot pass through"):
        PathRule(through=frozenset({"event"}))
    with pytest.raises(UsageError, match="unknown modality"):
        PathRule(exclude_modalities=frozenset({"rumour"}))


def test_kg_analyze_through_lets_paths_pass_through_concepts(tmp_path, shared_sources):
    from kg.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["analyze", "--sources", str(shared_sources), "--from", "cjng", "--to", "emc",
                                  "--out", str(tmp_path / "a"), "-q"])
    assert result.exit_code == 0, result.output
    plain = json.loads((tmp_path / "a" / "analysis.json").read_text())["paths"]["paths"][0]["labels"]
    assert "Drone" not in plain
    result = runner.invoke(main, ["analyze", "--sources", str(shared_sources), "--from", "cjng", "--to", "emc",
                                  "--through", "equipment", "--out", str(tmp_path / "b"), "-q"])
    assert result.exit_code == 0, result.output
    through = json.loads((tmp_path / "b" / "analysis.json").read_text())["paths"]["paths"][0]["labels"]
    assert "Drone" in through and len(through) < len(plain)
    result = runner.invoke(main, ["analyze", "--through", "event"])
    assert result.exit_code == 2


@pytest.mark.parametrize("module", ["kg.paths", "kg.viz.data"])
def test_docstring_examples(module):
    import doctest
    import importlib

    failures, _ = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert failures == 0

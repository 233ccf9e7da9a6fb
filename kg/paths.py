"""One meaning of "path", shared by the explorer (its shortest path and its focus), ``kg view
--focus`` and ``kg analyze``: the same two entities give the same path everywhere.

**Steps.** A path runs from one node to another through *steps*: actors, places, events and
assets (:data:`STEP_KINDS`). Equipment, tactic and activity concepts (``kg:Drone``), time
expressions and sources are never steps unless asked for (``PathRule(through={"equipment"})``):
they are hubs that would tie everything to everything, and "both used drones" is not a tie
between two groups. They can still be a path's first or last node, and a focus still shows
them, as leaves it does not walk through.

**Links.** Every link of :func:`kg.property_graph.graph_view` (read both ways), each with the
claims behind it; a link whose claims are all of an excluded modality is not a link; inferred
links only when asked for. With ``claimants=True`` (the default) whoever makes a claim is also
linked to what the claim is about (:func:`claimant_links`: predicate ``kg:claimant``, labelled
"makes a claim about"): Gustavo Petro, who describes the Medellín helicopter downing "as the work
of EMC", is linked to the downing. Such a link is labelled as a claimant's link wherever it is
shown, never as a fact.

**Which shortest path.** Of all the shortest paths, the one whose nodes, read from the start,
come first in IRI order (the order of :attr:`GraphView.nodes`): a deterministic choice that the
explorer's script makes the same way, by each node's index in the sorted node list.

Examples
--------
>>> from kg.property_graph import Edge, GraphView, Node
>>> n = {i: Node(iri=i, id=i, label=i, kind=k) for i, k in
...      [("a", "cartel"), ("b", "event"), ("c", "armed-group"), ("d", "equipment")]}
>>> view = GraphView(n, [Edge("b", "a", "kg:perpetrator", "perpetrator"),
...                      Edge("b", "d", "kg:usesEquipment", "uses"),
...                      Edge("c", "d", "kg:usesEquipment", "uses")])
>>> shortest_path(view, path_links(view), "a", "c") is None   # not through the drone concept
True
>>> rule = PathRule(through=frozenset({"equipment"}))
>>> shortest_path(view, path_links(view, rule), "a", "c", rule).nodes
['a', 'b', 'd', 'c']
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.errors import UsageError
from kg.ontology.terms import MODALITIES

if TYPE_CHECKING:  # annotations only: `kg --help` imports this module and stays light
    from kg.property_graph import Evidence, GraphView

__all__ = [
    "ACTOR_KINDS",
    "CLAIMANT",
    "CLAIMANT_LABEL",
    "MODALITIES",
    "OPTIONAL_STEP_KINDS",
    "STEP_KINDS",
    "PathLink",
    "PathRule",
    "RulePath",
    "claimant_links",
    "neighbourhood",
    "path_links",
    "shortest_path",
]

#: Node kinds that are actors (see :data:`kg.property_graph.KINDS`).
ACTOR_KINDS: frozenset[str] = frozenset({
    "person", "cartel", "criminal-group", "armed-group", "military-unit", "security-force",
    "security-service", "state-body", "media", "consultancy", "organization", "collective", "actor",
})
#: Node kinds a path may pass through.
STEP_KINDS: frozenset[str] = ACTOR_KINDS | {"place", "event", "asset"}
#: Kinds that are steps only when a rule asks for them.
OPTIONAL_STEP_KINDS: tuple[str, ...] = ("equipment", "tactic", "activity", "time", "source")
#: The predicate and label of a claimant's link to what its claim is about.
CLAIMANT = "kg:claimant"
CLAIMANT_LABEL = "makes a claim about"


@dataclass(frozen=True)
class PathRule:
    """What a path may pass through and which links it may use (see the module docstring)."""

    through: frozenset[str] = frozenset()  # extra step kinds, from OPTIONAL_STEP_KINDS
    claimants: bool = True
    exclude_modalities: frozenset[str] = frozenset()
    inferred: bool = False

    def __post_init__(self) -> None:
        unknown = sorted(set(self.through) - set(OPTIONAL_STEP_KINDS))
        if unknown:
            raise UsageError(f"cannot pass through {', '.join(unknown)}; choose from {', '.join(OPTIONAL_STEP_KINDS)}")
        unknown = sorted(set(self.exclude_modalities) - set(MODALITIES))
        if unknown:
            raise UsageError(f"unknown modality {', '.join(unknown)}; choose from {', '.join(MODALITIES)}")

    @property
    def steps(self) -> frozenset[str]:
        """The node kinds a path may pass through under this rule."""
        return STEP_KINDS | self.through


@dataclass(frozen=True)
class PathLink:
    """A link a path may use: a link of the view, or a claimant's link (``claimant=True``)."""

    source: str  # IRI
    target: str  # IRI
    predicate: str  # CURIE
    label: str
    evidence: tuple[Evidence, ...] = ()
    inferred: bool = False
    claimant: bool = False


@dataclass(frozen=True)
class RulePath:
    """A shortest path: its nodes in order, and between each two the links that join them."""

    nodes: list[str]
    hops: list[tuple[PathLink, ...]] = field(default_factory=list)


def _kept(evidence: Iterable[Evidence], exclude: frozenset[str]) -> tuple[Evidence, ...]:
    evidence = tuple(evidence)
    if len(evidence) < 2 and not exclude:
        return evidence
    unique = {e.claim: e for e in evidence if e.modality not in exclude}
    return tuple(unique[k] for k in sorted(unique))


def claimant_links(view: GraphView, exclude_modalities: frozenset[str] = frozenset(), *,
                   inferred: bool = False) -> list[PathLink]:
    """A link from each claimant to each node one of its claims is about (the claim's subject:
    claims behind a link, or behind a node's type), with those claims as evidence; sorted."""
    gathered: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for edge in view.edges:
        if edge.inferred and not inferred:
            continue
        for e in _kept(edge.evidence, exclude_modalities):
            if e.claimant:
                gathered[(e.claimant, edge.source)].append(e)
    for iri, node in view.nodes.items():
        for e in _kept(node.evidence, exclude_modalities):
            if e.claimant:
                gathered[(e.claimant, iri)].append(e)
    return [PathLink(claimant, subject, CLAIMANT, CLAIMANT_LABEL, _kept(evidence, frozenset()), claimant=True)
            for (claimant, subject), evidence in sorted(gathered.items())
            if claimant != subject and claimant in view.nodes and subject in view.nodes]


def path_links(view: GraphView, rule: PathRule | None = None) -> list[PathLink]:
    """Every link a path may use under ``rule``: the view's links that keep a claim after the
    modality filter (or that have none), then the claimants' links when the rule wants them."""
    rule = rule or PathRule()
    links = []
    for edge in view.edges:
        if edge.inferred and not rule.inferred:
            continue
        evidence = _kept(edge.evidence, rule.exclude_modalities)
        if edge.evidence and not evidence:
            continue
        links.append(PathLink(edge.source, edge.target, edge.predicate, edge.label, evidence, edge.inferred))
    if rule.claimants:
        links += claimant_links(view, rule.exclude_modalities, inferred=rule.inferred)
    return links


def _adjacency(links: Iterable[PathLink]) -> dict[str, set[str]]:
    around: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if link.source != link.target:
            around[link.source].add(link.target)
            around[link.target].add(link.source)
    return around


def _walk(view: GraphView, around: dict[str, set[str]], start: str, steps: frozenset[str],
          hops: int | None = None) -> dict[str, int]:
    """Breadth-first distances from ``start``, walking on only from ``start`` and step nodes."""
    seen = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if hops is not None and seen[current] >= hops:
            continue
        if current != start and view.nodes[current].kind not in steps:
            continue  # a leaf: reached, never walked through
        for other in around.get(current, ()):
            if other not in seen and other in view.nodes:
                seen[other] = seen[current] + 1
                queue.append(other)
    return seen


def shortest_path(view: GraphView, links: list[PathLink], source: str, target: str,
                  rule: PathRule | None = None) -> RulePath | None:
    """The shortest path from ``source`` to ``target`` (IRIs) over ``links`` (from
    :func:`path_links`) whose inner nodes are steps of ``rule``, chosen as the module docstring
    says; None when there is none."""
    steps = (rule or PathRule()).steps
    for iri in (source, target):
        if iri not in view.nodes:
            raise UsageError(f"{iri}: not a node of the graph")
    if source == target:
        return RulePath([source], [])
    around = _adjacency(links)
    distance = _walk(view, around, target, steps)
    if source not in distance:
        return None
    rank = {iri: i for i, iri in enumerate(view.nodes)}
    nodes = [source]
    current = source
    while current != target:
        wanted = distance[current] - 1
        current = min((n for n in around[current] if distance.get(n) == wanted
                       and (n == target or view.nodes[n].kind in steps)), key=rank.__getitem__)
        nodes.append(current)
    between: dict[frozenset[str], list[PathLink]] = defaultdict(list)
    for link in links:
        between[frozenset((link.source, link.target))].append(link)
    hops = [tuple(sorted(between[frozenset((a, b))], key=lambda x: (x.claimant, x.predicate, x.source)))
            for a, b in itertools.pairwise(nodes)]
    return RulePath(nodes, hops)


def neighbourhood(view: GraphView, links: list[PathLink], centre: str, hops: int,
                  rule: PathRule | None = None) -> dict[str, int]:
    """``{IRI: distance}`` of the nodes within ``hops`` links of ``centre``, walking on only
    through steps of ``rule`` (other nodes are reached as leaves)."""
    return _walk(view, _adjacency(links), centre, (rule or PathRule()).steps, hops)

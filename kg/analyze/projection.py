"""The networkx projection that the network analysis measures.

The dataset is first read through :func:`kg.property_graph.graph_view` (nodes with kinds, edges with the
claims behind them); the projection then keeps what link analysis is about and turns it into a
simple networkx graph:

**Nodes kept** (by :attr:`kg.property_graph.Node.kind`): the steps of a path as :mod:`kg.paths`
defines them, the one meaning of "path" the explorer and ``kg view --focus`` share: actors
(people, cartels, armed groups, security forces, state bodies, media, consultancies,
organisations, collectives), places, events and assets (a helicopter brought down, seized
drones). Dropped: time expressions, sources, and the ontology concepts entities link to
(``kg:Drone``, a tactic), because they are hubs that would link everything to everything: "both
used a drone" is not a tie between two groups. Pass ``kinds`` to keep other kinds (a path may
then pass through them, as ``PathRule(through=...)`` allows in :mod:`kg.paths`).

**Edges**: every object-property link of the view between two kept nodes (``kg:perpetrator``,
``kg:memberOf``, ``kg:locatedIn``, ``kg:partOf``...). Parallel links and both directions between
the same two nodes merge into one edge, which keeps every :class:`Link` it was made of, each with
its :class:`~kg.property_graph.Evidence` (the claims: source, verbatim quote, claimant, modality, grades).

**Claimants**: whoever makes a claim is linked to the entity the claim is about (its subject), with
the predicate ``kg:claimant`` (:func:`kg.paths.claimant_links`, the same links the explorer
draws): Gustavo Petro, who describes the Medellín helicopter downing "as the work of EMC", is
linked to the downing, and the downing to EMC. Only claims behind a kept link or an entity's type
count (a claim with a literal value, such as a mission, links nothing).
``claimants=False`` leaves these links out.

**Events**: with ``events="nodes"`` (the default) an n-ary event stays a node, linked to its
perpetrators, targets, participants, agents, place and assets, so a path between two actors says
which event joins them. With ``events="edges"`` each event is replaced by links between every
pair of its kept neighbours (predicate ``kg:event``, the event named on the link): the
co-involvement network of actors, places and assets; links between two events (``kg:partOf``,
``kg:after``) are then dropped.

**Facts and claims**: a link only claims give (an allegation, a claimant's word, a curator
inference) is kept, as the reporting draws it, and every :class:`Link` keeps its evidence, so a
report can say who stands behind it (``evidence_dict(e)["asserted"]`` is false for each of its
claims); ``exclude_modalities`` leaves out kinds of claims.

**Claims as weights and filters**: an edge's ``weight`` is the number of distinct claims behind it
(at least 1); ``exclude_modalities`` drops the claims of those modalities first (for example
``{"allegation", "forecast"}`` for a graph of what the sources report as fact or assess), and a
link left with no claim is dropped. Links only the inferred graph holds are left out unless
``inferred=True`` (weight 1, no evidence).

**Direction**: the graph is undirected (``nx.Graph``) by default: in an n-ary model the direction
of a link (event -> perpetrator) is an artefact of the modelling, not a flow. ``directed=True``
gives an ``nx.DiGraph`` whose edges follow the triples (subject -> object, claimant -> subject).

Node attributes: ``label``, ``kind``, ``id`` (the local name). Edge attributes: ``weight``,
``predicates`` (sorted CURIEs), ``links`` (a tuple of :class:`Link`). Nodes and edges are added in
sorted order, so the same dataset gives the same graph, and the same answers, every run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from kg.errors import UsageError
from kg.ontology.terms import MODALITIES as ONTOLOGY_MODALITIES
from kg.paths import ACTOR_KINDS, CLAIMANT, STEP_KINDS, claimant_links
from kg.property_graph import Evidence, GraphView

__all__ = [
    "ACTOR_KINDS",
    "DEFAULT_KINDS",
    "MODALITIES",
    "Link",
    "ProjectionOptions",
    "project",
]

#: Node kinds the projection keeps by default: the steps of a path (:data:`kg.paths.STEP_KINDS`).
DEFAULT_KINDS: frozenset[str] = STEP_KINDS
#: The modality notations (generated from the ontology).
MODALITIES = ONTOLOGY_MODALITIES
#: The predicate the projection adds when it folds events into links.
EVENT_LINK = "kg:event"


@dataclass(frozen=True)
class Link:
    """One link behind an edge of the projection: a triple of the view (or a claimant link, or an
    event's co-involvement link) and the claims behind it."""

    source: str  # IRI of the subject
    target: str  # IRI of the object
    predicate: str  # CURIE
    label: str
    evidence: tuple[Evidence, ...] = ()
    inferred: bool = False
    event: str = ""  # with events="edges": the event's IRI

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        return {
            "source": self.source, "target": self.target, "predicate": self.predicate,
            "label": self.label, "inferred": self.inferred, "event": self.event,
            "evidence": [evidence_dict(e) for e in self.evidence],
        }


def evidence_dict(e: Evidence) -> dict:
    """An :class:`~kg.property_graph.Evidence` as a JSON-ready dict."""
    return {
        "claim": e.claim, "source": e.source, "source_label": e.source_label, "quote": e.quote,
        "modality": e.modality, "claimant": e.claimant, "claimant_label": e.claimant_label,
        "reliability": e.reliability, "credibility": e.credibility, "via": e.via_label,
        "note": e.note, "external": e.external, "attribution": e.attribution, "inference": e.inference,
        "asserted": e.asserted,
    }


@dataclass(frozen=True)
class ProjectionOptions:
    """What the projection keeps (see the module docstring)."""

    kinds: frozenset[str] = DEFAULT_KINDS
    events: str = "nodes"  # "nodes" or "edges"
    claimants: bool = True
    exclude_modalities: frozenset[str] = field(default_factory=frozenset)
    inferred: bool = False
    directed: bool = False

    def __post_init__(self) -> None:
        if self.events not in ("nodes", "edges"):
            raise UsageError(f"events must be 'nodes' or 'edges', not {self.events!r}")
        unknown = sorted(set(self.exclude_modalities) - set(MODALITIES))
        if unknown:
            raise UsageError(f"unknown modality {', '.join(unknown)}; choose from {', '.join(MODALITIES)}")

    def to_dict(self) -> dict:
        """A JSON-ready form, for reports."""
        return {"kinds": sorted(self.kinds), "events": self.events, "claimants": self.claimants,
                "exclude_modalities": sorted(self.exclude_modalities), "inferred": self.inferred,
                "directed": self.directed}


def kept_evidence(evidence: Iterable[Evidence], exclude: frozenset[str]) -> tuple[Evidence, ...]:
    unique = {e.claim: e for e in evidence if e.modality not in exclude}
    return tuple(unique[k] for k in sorted(unique))


def _links(view: GraphView, options: ProjectionOptions) -> list[Link]:
    """The links between kept nodes, before events are (optionally) folded into edges."""
    kept = {iri for iri, node in view.nodes.items() if node.kind in options.kinds}
    links: list[Link] = []
    for edge in view.edges:
        if edge.inferred and not options.inferred:
            continue
        evidence = kept_evidence(edge.evidence, options.exclude_modalities)
        if edge.evidence and not evidence:
            continue  # every claim behind it was filtered out
        if edge.source in kept and edge.target in kept and edge.source != edge.target:
            links.append(Link(edge.source, edge.target, edge.predicate, edge.label, evidence, edge.inferred))
    if options.claimants:  # the same claimant links as every other path (kg.paths)
        for link in claimant_links(view, options.exclude_modalities, inferred=options.inferred):
            if link.source in kept and link.target in kept:
                links.append(Link(link.source, link.target, CLAIMANT, link.label, link.evidence))
    return links


def _fold_events(view: GraphView, links: list[Link]) -> list[Link]:
    """Replace each event node by links between every pair of its non-event neighbours."""
    events = {iri for iri, node in view.nodes.items() if node.kind == "event"}
    around: dict[str, dict[str, list[Link]]] = defaultdict(lambda: defaultdict(list))
    folded: list[Link] = []
    for link in links:
        s_event, t_event = link.source in events, link.target in events
        if s_event and t_event:
            continue  # partOf / after between two events
        if s_event:
            around[link.source][link.target].append(link)
        elif t_event:
            around[link.target][link.source].append(link)
        else:
            folded.append(link)
    for event in sorted(around):
        neighbours = around[event]
        for a, b in combinations(sorted(neighbours), 2):
            evidence = kept_evidence((e for link in (*neighbours[a], *neighbours[b]) for e in link.evidence),
                                      frozenset())
            inferred = all(link.inferred for link in (*neighbours[a], *neighbours[b]))
            folded.append(Link(a, b, EVENT_LINK, f"same event: {view.nodes[event].label}", evidence,
                               inferred, event=event))
    return folded


def project(view: GraphView, options: ProjectionOptions | None = None) -> nx.Graph:
    """The networkx graph the analysis measures (an ``nx.Graph``, or ``nx.DiGraph`` when
    ``options.directed``); see the module docstring for what it keeps.

    Examples
    --------
    >>> import kg
    >>> from kg.property_graph import graph_view
    >>> project_ = kg.open_project()
    >>> G = project(graph_view(kg.build(kg.load(project_))))
    >>> G.nodes[project_.base + "emc"]["label"]
    'EMC'
    """
    options = options or ProjectionOptions()
    links = _links(view, options)
    if options.events == "edges":
        links = _fold_events(view, links)
    G: nx.Graph = nx.DiGraph() if options.directed else nx.Graph()
    G.graph["options"] = options.to_dict()
    kept_kinds = options.kinds - ({"event"} if options.events == "edges" else set())
    for iri, node in view.nodes.items():  # sorted by IRI
        if node.kind in kept_kinds:
            G.add_node(iri, label=node.label, kind=node.kind, id=node.id)
    merged: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for link in links:
        u, v = (link.source, link.target) if options.directed else sorted((link.source, link.target))
        merged[(u, v)].append(link)
    for (u, v), group in sorted(merged.items()):
        group = sorted(group, key=lambda x: (x.predicate, x.source, x.target, x.event))
        claims = {e.claim for link in group for e in link.evidence}
        G.add_edge(u, v, weight=max(1, len(claims)), predicates=sorted({x.predicate for x in group}),
                   links=tuple(group))
    return G

"""Shortest paths between two entities, with the claims behind every hop.

Paths are counted in hops over the projection (unweighted): the fewest links that join two
entities. The projection keeps only the nodes a path may pass through (:mod:`kg.paths`), and
the paths come in the order :mod:`kg.paths` chooses its one path (by the IRIs along them), so
with the default options the first path here is the explorer's path and the one ``kg view
--focus`` walks. Each hop lists the links it is made of (``kg:perpetrator``, ``kg:claimant``...) with
their evidence: the source, the verbatim quote, who claims it and with what modality, so an
analyst can read why two entities are connected, and how firmly.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from itertools import islice

import networkx as nx

from kg.analyze.projection import Link
from kg.errors import UsageError
from kg.property_graph import GraphView

__all__ = ["Hop", "Path", "resolve_entity", "shortest_paths"]


@dataclass
class Hop:
    """One step of a path: from one node to the next, and the links that join them."""

    source: str
    target: str
    links: list[Link] = field(default_factory=list)

    def to_dict(self, G: nx.Graph) -> dict:
        """A JSON-ready form."""
        return {"from": self.source, "from_label": G.nodes[self.source]["label"],
                "to": self.target, "to_label": G.nodes[self.target]["label"],
                "links": [link.to_dict() for link in self.links]}


@dataclass
class Path:
    """A shortest path: its nodes in order and a hop between each two."""

    nodes: list[str]
    hops: list[Hop]

    def to_dict(self, G: nx.Graph) -> dict:
        """A JSON-ready form."""
        return {"nodes": self.nodes, "labels": [G.nodes[n]["label"] for n in self.nodes],
                "hops": [h.to_dict(G) for h in self.hops]}


def resolve_entity(view: GraphView, G: nx.Graph, name: str) -> str:
    """The IRI of the node ``name`` denotes: a full IRI, a local id (``petro``), a CURIE-like
    ``:petro``, or a label or alias (case-insensitive). Raises :class:`UsageError` when nothing,
    or more than one entity, matches, or when the entity is not in the projection."""
    text = name.strip()
    if not text:
        raise UsageError("an empty entity name; give an id such as 'petro' or a label")
    by_id = {node.id: iri for iri, node in view.nodes.items()}
    if text in view.nodes:
        iri = text
    elif text.lstrip(":") in by_id:
        iri = by_id[text.lstrip(":")]
    else:
        folded = text.casefold()
        matches = sorted(iri for iri, node in view.nodes.items()
                         if node.label.casefold() == folded or any(a.casefold() == folded for a in node.aliases))
        if not matches:
            raise UsageError(f"no entity is called {name!r}; use an id from entities.csv or a label")
        if len(matches) > 1:
            ids = ", ".join(view.nodes[m].id for m in matches)
            raise UsageError(f"{name!r} names {len(matches)} entities ({ids}); give an id instead")
        iri = matches[0]
    if iri not in G:
        node = view.nodes[iri]
        raise UsageError(f"{node.id} is a {node.kind} node, which the projection leaves out; "
                         "choose an actor, place, event or asset")
    return iri


def shortest_paths(G: nx.Graph, source: str, target: str, *, limit: int = 5) -> list[Path]:
    """Up to ``limit`` shortest paths from ``source`` to ``target`` (node IRIs), in a stable
    order (by the IRIs along the path, as :func:`kg.paths.shortest_path` chooses); empty when
    they are not connected.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> [p.nodes for p in shortest_paths(G, "a", "c")]
    [['a', 'b', 'c']]
    """
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    if source == target:
        return [Path([source], [])]
    try:
        found = list(islice(nx.all_shortest_paths(U, source, target), 1000))
    except nx.NetworkXNoPath:
        return []

    found.sort()
    paths = []
    for nodes in found[:limit]:
        hops = [Hop(u, v, list(U.edges[u, v].get("links", ()))) for u, v in itertools.pairwise(nodes)]
        paths.append(Path(nodes, hops))
    return paths

"""Communities: groups of nodes more densely linked to each other than to the rest.

Louvain modularity (networkx's ``louvain_communities``, weighted by the number of claims behind
each edge) with a fixed seed, so the same graph gives the same communities every run; greedy
modularity (deterministic, no seed) is the alternative. Communities are numbered largest first,
ties broken by their members' IRIs; members are sorted by IRI.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from kg.analyze.centrality import SEED
from kg.errors import UsageError

__all__ = ["METHODS", "Communities", "communities"]

METHODS = ("louvain", "greedy")


@dataclass
class Communities:
    """A partition of the graph's nodes and its modularity."""

    method: str
    groups: list[list[str]]  # node IRIs, largest group first
    modularity: float

    def membership(self) -> dict[str, int]:
        """Node -> its community's index."""
        return {node: i for i, group in enumerate(self.groups) for node in group}

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        return {"method": self.method, "modularity": round(self.modularity, 6), "groups": self.groups}


def communities(G: nx.Graph, *, method: str = "louvain", seed: int = SEED, resolution: float = 1.0,
                weight: str | None = "weight") -> Communities:
    """Partition ``G`` (made undirected) into communities.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(4, 0)  # two 4-cliques joined by one edge
    >>> communities(G).groups
    [[0, 1, 2, 3], [4, 5, 6, 7]]
    """
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    if method not in METHODS:
        raise UsageError(f"unknown community method {method!r}; choose from {', '.join(METHODS)}")
    if U.number_of_edges() == 0:
        parts = [{node} for node in U]
    elif method == "louvain":
        parts = nx.community.louvain_communities(U, weight=weight, resolution=resolution, seed=seed)
    else:
        parts = nx.community.greedy_modularity_communities(U, weight=weight, resolution=resolution)
    groups = sorted((sorted(p, key=str) for p in parts), key=lambda g: (-len(g), [str(x) for x in g]))
    quality = nx.community.modularity(U, [set(g) for g in groups], weight=weight, resolution=resolution) \
        if U.number_of_edges() else 0.0
    return Communities(f"{method} seed={seed}" if method == "louvain" else method, groups, quality)

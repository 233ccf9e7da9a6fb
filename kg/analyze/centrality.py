"""Centrality: who is linked to many (degree), who sits between others (betweenness), who is
linked to the well-linked (eigenvector).

Betweenness is exact up to :data:`EXACT_BETWEENNESS_MAX_NODES` nodes. Past that it is estimated
from :data:`BETWEENNESS_SAMPLES` source nodes drawn with a fixed seed (networkx's ``k``
sampling): the same graph gives the same estimate every run. Two engines compute the same
numbers behind one API: networkx (the reference) and igraph (about a hundred times faster per
source node; ``bench/analyze_bench.py`` measures both). ``engine="auto"`` uses networkx for
small graphs and igraph past the exact threshold. Both engines draw the same sample
(``random.Random(seed).sample(list(G), k)``, as networkx does) and rescale it the same way.

Eigenvector centrality uses power iteration; when it does not converge it falls back to a
dense eigen-decomposition (graphs up to :data:`DENSE_EIGEN_MAX_NODES` nodes), and past that to
PageRank; the method used is reported with the scores.

Every measure runs on an undirected graph (a directed projection is made undirected first).
"""

from __future__ import annotations

import random
import warnings
from dataclasses import dataclass

import networkx as nx

from kg.errors import UsageError

__all__ = [
    "BETWEENNESS_SAMPLES",
    "DENSE_EIGEN_MAX_NODES",
    "ENGINES",
    "EXACT_BETWEENNESS_MAX_NODES",
    "SEED",
    "Scores",
    "betweenness",
    "degree",
    "eigenvector",
    "top",
]

#: Exact betweenness up to this many nodes; sampled past it.
EXACT_BETWEENNESS_MAX_NODES = 2000
#: Source nodes sampled for betweenness past the exact threshold.
BETWEENNESS_SAMPLES = 500
#: The seed of every random choice in the analysis.
SEED = 42
#: Dense eigen-decomposition fallback up to this many nodes.
DENSE_EIGEN_MAX_NODES = 3000
ENGINES = ("auto", "networkx", "igraph")


@dataclass
class Scores:
    """A centrality measure's scores by node, and how they were computed."""

    name: str
    values: dict[str, float]
    method: str  # e.g. "exact", "sampled k=500 seed=42", "power iteration", "pagerank fallback"
    engine: str = "networkx"

    def to_dict(self) -> dict:
        """A JSON-ready form (scores rounded to 6 decimals, nodes sorted)."""
        return {"name": self.name, "method": self.method, "engine": self.engine,
                "values": {k: round(v, 6) for k, v in sorted(self.values.items())}}


def _undirected(G: nx.Graph) -> nx.Graph:
    return G.to_undirected(as_view=True) if G.is_directed() else G


def top(scores: Scores, G: nx.Graph, n: int = 10, kinds: frozenset[str] | None = None) -> list[tuple[str, float]]:
    """The ``n`` highest-scoring nodes (of ``kinds`` when given): ties broken by label, then IRI."""
    rows = [(iri, v) for iri, v in scores.values.items()
            if kinds is None or G.nodes[iri].get("kind") in kinds]
    rows.sort(key=lambda r: (-round(r[1], 12), G.nodes[r[0]].get("label", ""), r[0]))
    return rows[:n]


def degree(G: nx.Graph) -> Scores:
    """Degree centrality: the share of the other nodes a node is linked to.

    Examples
    --------
    >>> import networkx as nx
    >>> degree(nx.star_graph(3)).values[0]
    1.0
    """
    return Scores("degree", nx.degree_centrality(_undirected(G)), "exact")


def _pick_engine(engine: str, n: int, exact: bool) -> str:
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    if engine == "auto":
        return "networkx" if exact else "igraph"
    return engine


def _to_igraph(G: nx.Graph):  # -> igraph.Graph, list of node ids
    import igraph

    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()], directed=False)
    graph.es["weight"] = [d.get("weight", 1) for _, _, d in G.edges(data=True)]
    return graph, nodes


def _rescale_sampled(raw: list[float], nodes: list, sample: list, normalized: bool = True) -> dict:
    """igraph's subset betweenness (sources = sample) scaled as networkx scales its k-sample
    estimate (undirected, endpoints excluded)."""
    n, k = len(nodes), len(sample)
    big_n = n - 1
    in_sample = set(sample)
    # igraph counts each unordered pair once; networkx counts ordered pairs and halves them.
    if normalized:
        scale_source = 2 / ((k - 1) * (big_n - 1)) if k > 1 else float("nan")
        scale_other = 2 / (k * (big_n - 1))
    else:
        scale_source = big_n / (k - 1) if k > 1 else float("nan")
        scale_other = big_n / k
    return {node: raw[i] * (scale_source if node in in_sample else scale_other) for i, node in enumerate(nodes)}


def betweenness(G: nx.Graph, *, engine: str = "auto", exact_max: int = EXACT_BETWEENNESS_MAX_NODES,
                k: int = BETWEENNESS_SAMPLES, seed: int = SEED) -> Scores:
    """Betweenness centrality (normalised, unweighted shortest paths): the share of shortest paths
    between other nodes that pass through a node. Brokers between groups score high.

    Exact for graphs of at most ``exact_max`` nodes; otherwise estimated from ``k`` source nodes
    drawn with ``seed``.

    Examples
    --------
    >>> import networkx as nx
    >>> round(betweenness(nx.path_graph(3)).values[1], 3)
    1.0
    """
    U = _undirected(G)
    n = U.number_of_nodes()
    exact = n <= exact_max or k >= n
    chosen = _pick_engine(engine, n, exact)
    method = "exact" if exact else f"sampled k={k} seed={seed}"
    if n < 3:
        return Scores("betweenness", dict.fromkeys(U, 0.0), method, chosen)
    if chosen == "networkx":
        values = nx.betweenness_centrality(U, normalized=True) if exact else \
            nx.betweenness_centrality(U, k=k, normalized=True, seed=seed)
        return Scores("betweenness", values, method, chosen)
    graph, nodes = _to_igraph(U)
    if exact:
        raw = graph.betweenness(directed=False)
        scale = 2 / ((n - 1) * (n - 2))
        return Scores("betweenness", {node: raw[i] * scale for i, node in enumerate(nodes)}, method, chosen)
    sample = random.Random(seed).sample(nodes, k)
    index = {node: i for i, node in enumerate(nodes)}
    raw = graph.betweenness(directed=False, sources=[index[s] for s in sample])
    return Scores("betweenness", _rescale_sampled(raw, nodes, sample), method, chosen)


def eigenvector(G: nx.Graph, *, weight: str | None = "weight", engine: str = "auto",
                max_iter: int = 1000, tol: float = 1e-8) -> Scores:
    """Eigenvector centrality (weighted by the number of claims behind each edge): high for nodes
    linked to other well-linked nodes. Falls back when power iteration does not converge.

    Examples
    --------
    >>> import networkx as nx
    >>> s = eigenvector(nx.star_graph(4))
    >>> max(s.values, key=s.values.get), s.method
    (0, 'power iteration')
    """
    U = _undirected(G)
    n = U.number_of_nodes()
    if n == 0:
        return Scores("eigenvector", {}, "empty")
    chosen = _pick_engine(engine, n, n <= EXACT_BETWEENNESS_MAX_NODES)
    if chosen == "igraph":
        graph, nodes = _to_igraph(U)
        with warnings.catch_warnings():  # igraph warns on disconnected graphs, which are normal here
            warnings.simplefilter("ignore", RuntimeWarning)
            raw = graph.eigenvector_centrality(scale=True, weights="weight" if weight else None)
        norm = sum(x * x for x in raw) ** 0.5 or 1.0
        return Scores("eigenvector", {node: raw[i] / norm for i, node in enumerate(nodes)}, "arpack", chosen)
    try:
        values = nx.eigenvector_centrality(U, max_iter=max_iter, tol=tol, weight=weight)
        return Scores("eigenvector", values, "power iteration")
    except nx.PowerIterationFailedConvergence:
        pass
    if n <= DENSE_EIGEN_MAX_NODES:
        import numpy as np

        nodes = list(U)
        matrix = nx.to_numpy_array(U, nodelist=nodes, weight=weight)
        eigenvalues, eigenvectors = np.linalg.eigh(matrix)
        vector = np.abs(eigenvectors[:, int(np.argmax(eigenvalues))])
        vector = vector / (np.linalg.norm(vector) or 1.0)
        return Scores("eigenvector", {node: float(vector[i]) for i, node in enumerate(nodes)},
                      "dense eigen-decomposition (power iteration did not converge)")
    values = nx.pagerank(U, weight=weight)
    return Scores("eigenvector", values, "pagerank fallback (power iteration did not converge)")

"""One analysis of a dataset: the projection, every measure, and the figures behind the report.

``analyze(built)`` runs everything in memory and returns an :class:`Analysis`;
``Analysis.figures()`` is its JSON-ready content (the same numbers the report and the charts
show); :func:`write_analysis` writes the report, the JSON and the charts; :func:`run_analyze`
does the whole thing from a project, as ``kg analyze`` does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

import kg.analyze.centrality as measures
from kg.analyze.communities import Communities, communities
from kg.analyze.events import Count, TimelineEntry, counts_by_place, counts_by_type, event_infos, timelines
from kg.analyze.paths import Path as GraphPath
from kg.analyze.paths import resolve_entity, shortest_paths
from kg.analyze.projection import ACTOR_KINDS, ProjectionOptions, project
from kg.build import Built
from kg.errors import UsageError
from kg.property_graph import GraphView, graph_view

__all__ = ["NETWORK_CHART_MAX_NODES", "Analysis", "analyze"]

#: The network chart draws at most this many nodes (the highest-degree ones).
NETWORK_CHART_MAX_NODES = 300


@dataclass
class Analysis:
    """Everything one analysis computed."""

    base: str
    view: GraphView
    G: nx.Graph
    options: ProjectionOptions
    degree: measures.Scores
    betweenness: measures.Scores
    eigenvector: measures.Scores
    communities: Communities
    timelines: dict[str, list[TimelineEntry]]
    by_place: list[Count]
    by_type: list[Count]
    path_ends: tuple[str, str] | None = None
    paths: list[GraphPath] = field(default_factory=list)
    top_n: int = 10

    def label(self, iri: str) -> str:
        """A node's label."""
        node = self.view.nodes.get(iri)
        return node.label if node else iri

    def _node(self, iri: str) -> dict:
        node = self.view.nodes.get(iri)
        return {"id": node.id if node else iri, "label": self.label(iri), "kind": node.kind if node else ""}

    def _ranking(self, scores: measures.Scores, kinds: frozenset[str] | None, n: int) -> list[dict]:
        return [{**self._node(iri), "score": round(value, 6)}
                for iri, value in measures.top(scores, self.G, n, kinds)]

    def _columns(self) -> list[str]:
        infos = event_infos(self.view, self.options)
        order: dict[str, tuple] = {}
        for info in infos.values():
            order.setdefault(info.time_column, info.time_order)
        return sorted(order, key=lambda c: (order[c], c))

    def _network(self) -> dict:
        G = self.G.to_undirected(as_view=True) if self.G.is_directed() else self.G
        if G.number_of_nodes() > NETWORK_CHART_MAX_NODES:
            ranked = sorted(G.degree, key=lambda d: (-d[1], d[0]))[:NETWORK_CHART_MAX_NODES]
            G = G.subgraph(sorted(n for n, _ in ranked))
        pos = nx.spring_layout(G, seed=measures.SEED) if G.number_of_nodes() else {}
        membership = self.communities.membership()
        nodes = [{**self._node(n), "x": round(float(pos[n][0]), 4), "y": round(float(pos[n][1]), 4),
                  "community": membership.get(n, -1),
                  "betweenness": round(self.betweenness.values.get(n, 0.0), 6)} for n in G]
        ids = {n: self._node(n)["id"] for n in G}
        return {"nodes": nodes, "edges": sorted([ids[u], ids[v]] if ids[u] <= ids[v] else [ids[v], ids[u]]
                                                for u, v in G.edges())}

    def figures(self) -> dict:
        """The analysis as JSON-ready data: what the report says and the charts draw."""
        G = self.G
        explain = {
            "degree": "the share of the other nodes a node is linked to: who the reporting ties to the most "
                      "entities, events and places",
            "betweenness": "the share of shortest paths between two other nodes that pass through a node: the "
                           "brokers that join otherwise separate parts of the story",
            "eigenvector": "high for nodes linked to other well-linked nodes, weighted by the number of claims "
                           "behind each link: who sits at the centre of the densest reporting",
        }
        centrality = {}
        for scores in (self.degree, self.betweenness, self.eigenvector):
            centrality[scores.name] = {
                "method": scores.method, "engine": scores.engine, "meaning": explain[scores.name],
                "top_actors": self._ranking(scores, ACTOR_KINDS, self.top_n),
                "top_nodes": self._ranking(scores, None, self.top_n),
            }
        degrees = dict(G.degree())
        groups = []
        for i, group in enumerate(self.communities.groups):
            lead = sorted(group, key=lambda n: (-degrees.get(n, 0), self.label(n), n))[0]
            groups.append({"index": i, "size": len(group), "name": self.label(lead),
                           "members": [self._node(n) for n in sorted(group, key=lambda n: (self.label(n), n))]})
        paths = None
        if self.path_ends:
            s, t = self.path_ends
            paths = {"from": self._node(s), "to": self._node(t),
                     "length": len(self.paths[0].hops) if self.paths else None,
                     "paths": [p.to_dict(G) for p in self.paths]}
        actors = sorted(self.timelines, key=lambda a: (-len(self.timelines[a]), self.label(a), a))
        return {
            "dataset": {"base": self.base, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                        "kinds": dict(sorted(Counter(d["kind"] for _, d in G.nodes(data=True)).items())),
                        "components": nx.number_connected_components(G.to_undirected(as_view=True))
                        if G.number_of_nodes() else 0},
            "projection": self.options.to_dict(),
            "centrality": centrality,
            "communities": {"method": self.communities.method,
                            "modularity": round(self.communities.modularity, 6), "groups": groups},
            "paths": paths,
            "timeline": {"columns": self._columns(),
                         "actors": [{**self._node(a), "events": [e.to_dict() for e in self.timelines[a]]}
                                    for a in actors]},
            "counts_by_place": [c.to_dict() for c in self.by_place],
            "counts_by_type": [c.to_dict() for c in self.by_type],
            "network": self._network(),
        }


def analyze(built: Built, *, options: ProjectionOptions | None = None, source: str | None = None,
            target: str | None = None, engine: str = "auto", community_method: str = "louvain",
            top_n: int = 10, view: GraphView | None = None) -> Analysis:
    """Analyse a built dataset: the projection, centrality, communities, timelines, counts, and
    the shortest paths from ``source`` to ``target`` (ids, IRIs or labels) when both are given.

    Raises :class:`~kg.errors.UsageError` when only one end is given or an end is unknown.
    """
    options = options or ProjectionOptions()
    view = view or graph_view(built)
    G = project(view, options)
    if (source is None) != (target is None):
        raise UsageError("give both --from and --to, or neither")
    ends = None
    paths: list[GraphPath] = []
    if source is not None and target is not None:
        ends = (resolve_entity(view, G, source), resolve_entity(view, G, target))
        paths = shortest_paths(G, *ends)
    return Analysis(
        base=built.base, view=view, G=G, options=options,
        degree=measures.degree(G), betweenness=measures.betweenness(G, engine=engine),
        eigenvector=measures.eigenvector(G, engine=engine),
        communities=communities(G, method=community_method),
        timelines=timelines(view, options), by_place=counts_by_place(view, options),
        by_type=counts_by_type(view, options), path_ends=ends, paths=paths, top_n=top_n,
    )

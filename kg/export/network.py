"""The networkx graph behind the GraphML and GEXF exports: one node per view node, one edge per
view edge, every attribute typed and flat (lists joined with :data:`LIST_SEP`), the full
evidence of each edge kept as JSON next to readable ``source``/``quote``/``modality`` columns.
"""

from __future__ import annotations

import json

import networkx as nx

from kg.export.flat import FlatGraph, evidence_dict

__all__ = ["LIST_SEP", "edge_attributes", "network_graph", "node_attributes"]

#: How list values (classes, aliases, several claims) are joined in one GraphML/GEXF/CSV cell.
LIST_SEP = " | "


def _join(values: list[str]) -> str:
    return LIST_SEP.join(v for v in values if v)


def _nonempty(attrs: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in attrs.items() if v != "" and v is not None and v != []}


def node_attributes(flat: FlatGraph, iri: str) -> dict[str, object]:
    """A node's flat, typed attributes (empty values left out)."""
    node = flat.nodes[iri]
    attrs: dict[str, object] = {
        "iri": node.iri,
        "label": node.label,
        "kind": node.kind,
        "classes": _join(node.classes),
        "labels": _join(flat.labels[iri]),
        "aliases": _join(node.aliases),
        "description": node.description,
        "unnamed": node.unnamed,
        "collective": node.collective,
    }
    for key, value in flat.typed_properties(node).items():
        attrs[f"p_{key}"] = _join([str(v) for v in value]) if isinstance(value, list) else value
    time = flat.times.get(iri)
    if time:
        attrs.update(date=time.date, precision=time.precision, time_text=time.expression,
                     start=time.start, end=time.end)
    if node.evidence:
        attrs["quote"] = "\n".join(e.quote for e in node.evidence if e.quote)
        attrs["evidence"] = json.dumps([evidence_dict(e) for e in node.evidence], ensure_ascii=False,
                                       sort_keys=True)
    return _nonempty(attrs)


def edge_attributes(flat: FlatGraph, index: int) -> dict[str, object]:
    """An edge's flat, typed attributes: predicate, flags and provenance (empty values left out)."""
    edge = flat.edges[index]
    ev = edge.evidence
    attrs: dict[str, object] = {
        "predicate": edge.predicate,
        "label": edge.label,
        "inferred": edge.inferred,
        "attributed": edge.attributed,
        "claims": len(ev),
        "modality": _join(edge.modalities),
        "source": _join(sorted({e.source_label for e in ev})),
        "claimant": _join(sorted({e.claimant_label for e in ev if e.claimant_label})),
        "reliability": _join(sorted({e.reliability for e in ev if e.reliability})),
        "credibility": _join(sorted({e.credibility for e in ev if e.credibility})),
        "quote": "\n".join(e.quote for e in ev if e.quote),
        "evidence": json.dumps([evidence_dict(e) for e in ev], ensure_ascii=False, sort_keys=True) if ev else "",
    }
    return _nonempty(attrs)


def network_graph(flat: FlatGraph) -> nx.MultiDiGraph:
    """The view as a networkx MultiDiGraph keyed by node id, edge key = predicate CURIE."""
    G = nx.MultiDiGraph(name=flat.base)
    for iri in flat.nodes:
        G.add_node(flat.node_id(iri), **node_attributes(flat, iri))
    for index, edge in enumerate(flat.edges):
        G.add_edge(flat.node_id(edge.source), flat.node_id(edge.target), key=edge.predicate,
                   **edge_attributes(flat, index))
    return G

"""The networkx graph behind the GraphML and GEXF exports: one node per view node, one edge per
view edge, every attribute typed and flat (lists joined with :data:`LIST_SEP`), the full
evidence of each edge kept as JSON next to readable ``source``/``quote``/``modality`` columns, and
the number of independent sources behind it (``independent_sources``, with their ``origins``);
a node's disputed values as JSON (``disputes``).
"""

from __future__ import annotations

import json
import re

import networkx as nx

from kg.export.flat import FlatGraph, disputes_dict, evidence_dict

__all__ = ["LIST_SEP", "edge_attributes", "network_graph", "node_attributes", "xml_text"]

#: How list values (classes, aliases, several claims) are joined in one GraphML/GEXF/CSV cell.
LIST_SEP = " | "
#: Characters XML 1.0 cannot hold, even escaped (C0 controls but tab, newline and CR; U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: object) -> object:
    """A string with the characters XML 1.0 cannot hold replaced by U+FFFD (other values as they
    are): GraphML and GEXF are XML, and one control character in a quote would make the whole file
    unreadable. Markup characters need nothing here: the XML writer escapes them."""
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _xml_attrs(attrs: dict[str, object]) -> dict[str, object]:
    return {key: xml_text(value) for key, value in attrs.items()}


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
    # Values only a claim gives: never a p_ property (a fact), always with who gives them.
    attrs["attributed_values"] = _join(flat.attributed_texts(node))
    time = flat.times.get(iri)
    if time:
        attrs.update(date=time.date, precision=time.precision, time_text=time.expression,
                     start=time.start, end=time.end, time_computed=time.computed)
    if node.disputes:
        attrs["disputes"] = json.dumps(disputes_dict(node), ensure_ascii=False, sort_keys=True)
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
        "standing": " and ".join(sorted({e.standing for e in ev})) if edge.attributed else "",
        "claims": len(ev),
        "independent_sources": edge.independent_sources,
        "origins": _join(edge.origins),
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
    G = nx.MultiDiGraph(name=xml_text(flat.base))
    for iri in flat.nodes:
        G.add_node(xml_text(flat.node_id(iri)), **_xml_attrs(node_attributes(flat, iri)))
    for index, edge in enumerate(flat.edges):
        G.add_edge(xml_text(flat.node_id(edge.source)), xml_text(flat.node_id(edge.target)),
                   key=xml_text(edge.predicate), **_xml_attrs(edge_attributes(flat, index)))
    return G

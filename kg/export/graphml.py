"""GraphML for Gephi, Cytoscape, yEd and networkx: typed node and edge attributes, provenance
(source, quote, modality, grades, and the full evidence as JSON) on every edge."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.build import Built
from kg.export.flat import flat_graph
from kg.export.network import network_graph
from kg.output.files import write_atomic

__all__ = ["dump_graphml", "write_graphml"]


def dump_graphml(built: Built) -> bytes:
    """The dataset's property-graph view as GraphML (UTF-8, deterministic)."""
    G = network_graph(flat_graph(built))
    text = "\n".join(nx.generate_graphml(G, encoding="utf-8", prettyprint=True, named_key_ids=True))
    return (text + "\n").encode("utf-8")


def write_graphml(built: Built, path: Path) -> Path:
    """Write :func:`dump_graphml` to ``path`` atomically."""
    write_atomic(path, dump_graphml(built))
    return path

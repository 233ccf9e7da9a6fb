"""GraphML for Gephi, Cytoscape, yEd and networkx: typed node and edge attributes, provenance
(source, quote, modality, grades, and the full evidence as JSON) on every edge."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import Dataset

from kg.export.flat import flat_graph
from kg.export.network import network_graph
from kg.output.rdf import write_atomic

__all__ = ["dump_graphml", "write_graphml"]


def dump_graphml(ds: Dataset, base: str) -> bytes:
    """The dataset's property-graph view as GraphML (UTF-8, deterministic)."""
    G = network_graph(flat_graph(ds, base))
    text = "\n".join(nx.generate_graphml(G, encoding="utf-8", prettyprint=True, named_key_ids=True))
    return (text + "\n").encode("utf-8")


def write_graphml(ds: Dataset, base: str, path: Path) -> Path:
    """Write :func:`dump_graphml` to ``path`` atomically."""
    write_atomic(path, dump_graphml(ds, base))
    return path

"""GEXF 1.2 for Gephi: typed attributes, provenance on edges, and each dated event's interval
as its ``start``/``end`` so that Gephi's timeline can play the events."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx

from kg.build import Built
from kg.export.flat import flat_graph
from kg.export.network import network_graph
from kg.output.files import write_atomic

__all__ = ["dump_gexf", "write_gexf"]


def dump_gexf(built: Built) -> bytes:
    """The dataset's property-graph view as GEXF (UTF-8, deterministic)."""
    G = network_graph(flat_graph(built))
    buffer = io.BytesIO()
    nx.write_gexf(G, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def write_gexf(built: Built, path: Path) -> Path:
    """Write :func:`dump_gexf` to ``path`` atomically."""
    write_atomic(path, dump_gexf(built))
    return path

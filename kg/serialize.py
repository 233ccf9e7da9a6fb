"""Serialize: one registry of RDF formats (name = ``--format`` value = file suffix).

Writers come in pairs: :func:`dump` returns bytes, :func:`write` writes a file atomically (a
temporary file renamed into place, so a reader never sees half a file). Single-graph formats
(ttl, nt, jsonld, rdf) hold the asserted facts, the provenance and the ontology merged, never
inferred triples; dataset formats (trig, nq) keep each in its named graph, the inferred graph
(when there is one) included, so inferred triples always stay apart from asserted ones.
Line-based formats are sorted and the others come from rdflib's sorted serializers, so the same
data gives byte-identical files.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

__all__ = ["FORMATS", "Format", "dump", "single_graph", "write", "write_atomic"]


@dataclass(frozen=True)
class Format:
    """An RDF output format."""

    name: str
    rdflib_name: str
    media_type: str
    dataset: bool  # keeps named graphs
    description: str

    @property
    def suffix(self) -> str:
        """The file suffix, with its dot."""
        return f".{self.name}"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("ttl", "turtle", "text/turtle", False, "Turtle: facts, provenance and ontology in one graph"),
        Format("nt", "nt", "application/n-triples", False, "N-Triples, sorted: one triple a line"),
        Format("jsonld", "json-ld", "application/ld+json", False, "JSON-LD with a context of the prefixes"),
        Format("rdf", "xml", "application/rdf+xml", False, "RDF/XML"),
        Format("trig", "trig", "application/trig", True, "TriG: the default graph and named graphs"),
        Format("nq", "nquads", "application/n-quads", True, "N-Quads, sorted"),
    )
}


def _new_graph(ds: Dataset) -> Graph:
    # SimpleMemory iterates triples in insertion order (Memory iterates a set), so a graph filled
    # in sorted order serializes the same way every run.
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, ns in ds.namespaces():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def _graphs(ds: Dataset, inferred: bool) -> list[Graph]:
    """The dataset's graphs, default first, then named graphs by IRI."""
    default = ds.default_graph
    named = sorted((g for g in ds.graphs() if g.identifier != default.identifier and len(g)),
                   key=lambda g: str(g.identifier))
    if not inferred:
        named = [g for g in named if not str(g.identifier).endswith("graph/inferred")]
    return [default, *named]


def single_graph(ds: Dataset, *, inferred: bool = False) -> Graph:
    """The dataset's graphs merged into one (the inferred graph only when asked).

    Triples are added in sorted order: rdflib's in-memory store iterates in insertion order,
    which makes the RDF/XML and JSON-LD writers deterministic.
    """
    graph = _new_graph(ds)
    triples = set()
    for ctx in _graphs(ds, inferred):
        triples.update(ctx)
    for triple in sorted(triples):
        graph.add(triple)
    return graph


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted({line for line in data.splitlines() if line.strip()})
    return b"\n".join(lines) + b"\n" if lines else b""


def _sort_json(value: object, key: str = "") -> object:
    """Sort every JSON array (but @list, whose order is meaningful) for a stable document."""
    if isinstance(value, dict):
        return {k: _sort_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sort_json(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld(graph: Graph) -> bytes:
    context = {prefix: str(ns) for prefix, ns in sorted(graph.namespaces()) if prefix}
    doc = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    doc = _sort_json(doc)
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _trig(ds: Dataset, inferred: bool) -> bytes:
    """TriG assembled from one Turtle body per graph, in a fixed order (rdflib's TriG writer
    orders graphs by hash, which changes from run to run)."""
    prefixes = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(ds.namespaces()) if p]
    blocks: list[str] = []
    for ctx in _graphs(ds, inferred):
        graph = _new_graph(ds)
        for triple in sorted(ctx):
            graph.add(triple)
        body = [line for line in graph.serialize(format="turtle").splitlines() if not line.startswith("@prefix")]
        name = "" if ctx.identifier == ds.default_graph.identifier else f"<{ctx.identifier}> "
        inner = "\n".join(f"    {line}" if line else "" for line in body).strip("\n")
        blocks.append(f"{name}{{\n{inner}\n}}\n")
    return ("\n".join(prefixes) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def dump(ds: Dataset, fmt: str | Format) -> bytes:
    """Serialize the dataset in one format."""
    f = FORMATS[fmt] if isinstance(fmt, str) else fmt
    if f.name == "trig":
        return _trig(ds, True)
    if f.name == "nq":
        dataset = Dataset()
        for ctx in _graphs(ds, True):
            dest = dataset.default_graph if ctx.identifier == ds.default_graph.identifier \
                else dataset.graph(ctx.identifier)
            for triple in ctx:
                dest.add(triple)
        return _sorted_lines(dataset.serialize(format="nquads", encoding="utf-8"))
    graph = single_graph(ds)
    if f.name == "jsonld":
        return _jsonld(graph)
    data = graph.serialize(format=f.rdflib_name, encoding="utf-8")
    if f.name == "nt":
        data = _sorted_lines(data)
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(ds: Dataset, fmt: str | Format, path: Path) -> Path:
    """Serialize the dataset in one format to ``path`` (atomically)."""
    write_atomic(path, dump(ds, fmt))
    return path

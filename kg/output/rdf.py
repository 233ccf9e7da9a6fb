"""Serialize: one registry of RDF formats (name = ``--format`` value = file suffix).

Writers come in pairs: :func:`dump` returns bytes, :func:`write` writes a file atomically (a
temporary file renamed into place, so a reader never sees half a file). Single-graph formats
(ttl, nt, jsonld, rdf) hold the asserted facts, the provenance and the ontology merged, never
inferred triples; dataset formats (trig, nq) keep each in its named graph, the inferred graph
(when there is one) included, so inferred triples always stay apart from asserted ones.

Every format is written from a :class:`~kg.build.Built` (the dataset as sorted N-Triples terms):
N-Triples and N-Quads line by line (sorted; N-Quads graph by graph, the default graph first),
JSON-LD by :mod:`kg.output.jsonld`, Turtle, TriG and RDF/XML by pyoxigraph's streaming writers
fed the same sorted stream. Nothing is held twice in memory and the same data gives
byte-identical files.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rdflib import Graph

from kg.build import DEFAULT, Built
from kg.output.files import atomic_file

__all__ = ["FORMATS", "Format", "dump", "single_graph", "write", "write_to"]


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


def single_graph(built: Built, *, inferred: bool = False) -> Graph:
    """The dataset's graphs merged into one rdflib Graph: what the single-graph formats hold
    (the inferred graph only when asked). For tests and callers that want rdflib."""
    graph = Graph(bind_namespaces="none")
    for prefix, ns in built.prefixes.items():
        graph.bind(prefix, ns, override=True, replace=True)
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in built.quads.triples(built.quads.names(inferred=inferred)))
    if text:
        graph.parse(data=text, format="nt")
    return graph


class _LineStream(io.RawIOBase):
    """A readable binary stream over lines of text produced on demand."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:  # noqa: ANN001 - a writable buffer
        while len(self._buffer) < len(target):
            chunk = "".join(itertools.islice(self._lines, 2048))
            if not chunk:
                break
            self._buffer += chunk.encode("utf-8")
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def _nt_lines(built: Built) -> Iterator[str]:
    """The single graph (every graph but the inferred one, merged), sorted, a triple a line."""
    quads = built.quads
    for s, p, o in quads.triples(quads.names(inferred=False)):
        yield f"{s} {p} {o} .\n"


def _nq_lines(built: Built) -> Iterator[str]:
    """Every graph (the inferred one too), the default first, then by IRI; each sorted."""
    quads = built.quads
    for name in quads.names():
        suffix = " .\n" if name == DEFAULT else f" {name} .\n"
        for s, p, o in quads.triples([name]):
            yield f"{s} {p} {o}{suffix}"


def _write_lines(lines: Iterator[str], out: BinaryIO) -> None:
    while True:
        chunk = "".join(itertools.islice(lines, 8192))
        if not chunk:
            return
        out.write(chunk.encode("utf-8"))


class _SortedPrefixes:
    """A writer that sorts the ``@prefix`` lines a Turtle or TriG document starts with."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.head: bytes | None = b""

    def write(self, data: bytes) -> int:
        if self.head is None:
            return self.out.write(data)
        self.head += bytes(data)
        lines = self.head.split(b"\n")
        if any(not line.startswith(b"@prefix") for line in lines[:-1]):
            self.flush_head()
        return len(data)

    def flush_head(self) -> None:
        if self.head is None:
            return
        lines = self.head.split(b"\n")
        prefixes = [line for line in lines[:-1] if line.startswith(b"@prefix")]
        rest = lines[len(prefixes):]
        self.out.write(b"".join(line + b"\n" for line in sorted(prefixes)) + b"\n".join(rest))
        self.head = None

    def flush(self) -> None:
        self.out.flush()


# N-Triples escapes of the characters XML 1.0 cannot hold (C0 controls but tab, newline and
# carriage return; U+FFFE, U+FFFF), after an escaped backslash which must be kept as it is.
_XML_UNSAFE = re.compile(r"(\\\\)|\\(?:u000[0-8BbCcEeFf]|u001[0-9A-Fa-f]|b|f|u[Ff]{3}[EeFf]"
                         r"|U0000000[0-8BbCcEeFf]|U0000001[0-9A-Fa-f])")


def _xml_safe(line: str) -> str:
    """RDF/XML cannot carry some characters at all: they become U+FFFD (the replacement
    character), as in the GraphML and GEXF exports; every other format keeps them."""
    if "\\" not in line:
        return line
    return _XML_UNSAFE.sub(lambda m: m.group(1) or "\\uFFFD", line)


def write_to(built: Built, fmt: str | Format, out: BinaryIO) -> None:
    """Write the dataset in one format to an open binary stream (streaming; the caller makes the
    file atomic, as :func:`write` does)."""
    import pyoxigraph as ox

    f = FORMATS[fmt] if isinstance(fmt, str) else fmt
    if f.name == "nt":
        return _write_lines(_nt_lines(built), out)
    if f.name == "nq":
        return _write_lines(_nq_lines(built), out)
    if f.name == "jsonld":
        from kg.output.jsonld import write_jsonld

        return write_jsonld(built, out)
    if f.dataset:
        stream, syntax = _nq_lines(built), ox.RdfFormat.N_QUADS
    else:
        stream, syntax = _nt_lines(built), ox.RdfFormat.N_TRIPLES
    if f.name == "rdf":
        stream = (_xml_safe(line) for line in stream)
    parsed = ox.parse(io.BufferedReader(_LineStream(stream), 1 << 20), format=syntax)
    target = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "rdf": ox.RdfFormat.RDF_XML}[f.name]
    prefixes = dict(built.prefixes)
    items: Iterable[ox.Quad] | Iterable[ox.Triple] = parsed if f.dataset else (quad.triple for quad in parsed)
    if f.name in ("ttl", "trig"):
        sink = _SortedPrefixes(out)
        # pyoxigraph's stub asks for a typing.IO; it calls only write() and flush(), which sink has
        ox.serialize(items, sink, format=target, prefixes=prefixes)  # type: ignore[arg-type]
        sink.flush_head()
        return None
    ox.serialize(items, out, format=target, prefixes=prefixes)
    if f.name == "rdf":  # the Turtle and TriG writers end with a newline already
        out.write(b"\n")
    return None


def dump(built: Built, fmt: str | Format) -> bytes:
    """The dataset in one format, as bytes."""
    buffer = io.BytesIO()
    write_to(built, fmt, buffer)
    return buffer.getvalue()


def write(built: Built, fmt: str | Format, path: Path) -> Path:
    """Write the dataset in one format to ``path``, streaming, atomically."""
    with atomic_file(path) as handle:
        write_to(built, fmt, handle)
    return path

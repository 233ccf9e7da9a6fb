"""Read RDF data files (Turtle, N-Triples, JSON-LD, RDF/XML) into records with positions.

rdflib does not report where each triple came from, so a triple's position is the first line of
the file that mentions its subject: exact for N-Triples, close for the other syntaxes.
"""

from __future__ import annotations

import json
import re
import xml.sax
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import Issue, LoadError, Position
from kg.load.records import RdfTriple, Records, SourceRecord
from kg.load.tables import decode_utf8

__all__ = ["RDF_SUFFIXES", "read_rdf_file"]

#: File suffix -> rdflib parser name.
RDF_SUFFIXES: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}


def _error_line(exc: Exception, text: str) -> int:
    if isinstance(exc, BadSyntax):
        return int(exc.lines) + 1
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno
    if isinstance(exc, xml.sax.SAXParseException):
        return int(exc.getLineNumber() or 0)
    match = re.search(r"Invalid line: (.*)", str(exc))
    if match:
        needle = match.group(1).strip()[:40]
        for number, line in enumerate(text.splitlines(), 1):
            if needle and needle in line:
                return number
    return 0


def read_rdf_file(path: Path, records: Records, shown: str, source_id: str) -> None:
    """Parse one RDF file; its triples become records attributed to a kg:Dataset source."""
    text = decode_utf8(path.read_bytes(), shown)
    fmt = RDF_SUFFIXES[path.suffix.lower()]
    graph = Graph()
    try:
        graph.parse(data=text, format=fmt, publicID=path.as_uri())
    except (BadSyntax, ParserError, json.JSONDecodeError, xml.sax.SAXException, ValueError, TypeError) as exc:
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        if isinstance(exc, BadSyntax):
            detail = exc.message if hasattr(exc, "message") else detail
        raise LoadError(
            Issue("KG101", f"{fmt} syntax: {detail}"[:300], Position(shown, _error_line(exc, text)),
                  fix=f"correct the {fmt} syntax, or check the file's suffix matches its format")
        ) from exc
    first_line: dict[str, int] = {}
    lines = text.splitlines()

    def line_of(term: URIRef) -> int:
        key = str(term)
        if key not in first_line:
            local = re.split(r"[/#:]", key)[-1]
            first_line[key] = 0
            for number, line in enumerate(lines, 1):
                if key in line or (local and re.search(rf"[:<]{re.escape(local)}\b", line)):
                    first_line[key] = number
                    break
        return first_line[key]

    records.sources.append(
        SourceRecord(id=source_id, type="kg:Dataset", label=path.name, position=Position(shown, 1))
    )
    for s, p, o in sorted(graph):
        records.rdf_triples.append(RdfTriple(s, p, o, Position(shown, line_of(s)), source_id))

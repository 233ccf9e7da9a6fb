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


_DOCTYPE_RE = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _remote_context(value: object) -> bool:
    """True when a JSON-LD document refers to a context by URL (which a parser would fetch)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                contexts = item if isinstance(item, list) else [item]
                if any(isinstance(c, str) or (isinstance(c, dict) and "@import" in c) for c in contexts):
                    return True
            if _remote_context(item):
                return True
    elif isinstance(value, list):
        return any(_remote_context(item) for item in value)
    return False


def _refuse_unsafe(text: str, fmt: str, shown: str) -> None:
    """Refuse what would make a parser reach outside the file or blow up: kg reads offline.

    RDF/XML with a DOCTYPE (external entities, entity-expansion bombs) and JSON-LD that names a
    remote context (the parser would fetch it: an SSRF and an offline break) are refused.
    """
    if fmt == "xml":
        match = _DOCTYPE_RE.search(text)
        if match:
            line = text[: match.start()].count("\n") + 1
            raise LoadError(Issue("KG101", "RDF/XML with a DOCTYPE or entity declarations is refused "
                                           "(entities can read files or expand without bound)",
                                  Position(shown, line),
                                  fix="expand the entities and remove the DOCTYPE, or convert the file to Turtle"))
    elif fmt == "json-ld":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LoadError(Issue("KG101", f"json-ld syntax: {exc.msg}", Position(shown, exc.lineno),
                                  fix="correct the JSON syntax")) from exc
        except RecursionError as exc:
            raise LoadError(Issue("KG101", "json-ld nested too deeply", Position(shown, 1),
                                  fix="flatten the document")) from exc
        if _remote_context(doc):
            raise LoadError(Issue("KG101", "JSON-LD refers to a remote @context, which kg never fetches",
                                  Position(shown, 1),
                                  fix="inline the context object in the file instead of its URL"))


_TOKEN_RE = re.compile(r"<([^>\s]+)>|(?:[A-Za-z][\w.-]*)?:([A-Za-z_][\w.-]*)|\"@id\"\s*:\s*\"([^\"]+)\"|rdf:about=\"([^\"]+)\"")


def _first_lines(text: str) -> dict[str, int]:
    """The first line on which each full IRI or local name appears (one pass over the file)."""
    first: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        for match in _TOKEN_RE.finditer(line):
            for token in match.groups():
                if token:
                    first.setdefault(token, number)
                    first.setdefault(re.split(r"[/#:]", token)[-1], number)
    return first


def read_rdf_file(path: Path, records: Records, shown: str, source_id: str) -> None:
    """Parse one RDF file; its triples become records attributed to a kg:Dataset source."""
    text = decode_utf8(path.read_bytes(), shown)
    fmt = RDF_SUFFIXES[path.suffix.lower()]
    _refuse_unsafe(text, fmt, shown)
    graph = Graph()
    try:
        graph.parse(data=text, format=fmt, publicID=path.as_uri())
    # rdflib's parsers raise many exception types on malformed input (and RecursionError on deep
    # nesting); any failure to parse a data file is a KG101 at the parser's best position.
    except Exception as exc:  # noqa: BLE001 - see above
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        why = re.search(r"Bad syntax \((.*?)\) at", str(exc))
        if isinstance(exc, BadSyntax) and why:
            detail = why.group(1)
        raise LoadError(
            Issue("KG101", f"{fmt} syntax: {detail}"[:300], Position(shown, _error_line(exc, text)),
                  fix=f"correct the {fmt} syntax, or check the file's suffix matches its format")
        ) from exc
    first_line = _first_lines(text)

    def line_of(term: URIRef) -> int:
        key = str(term)
        return first_line.get(key) or first_line.get(re.split(r"[/#:]", key)[-1], 0)

    records.sources.append(
        SourceRecord(id=source_id, type="kg:Dataset", label=path.name, position=Position(shown, 1))
    )
    for s, p, o in sorted(graph):
        records.rdf_triples.append(RdfTriple(s, p, o, Position(shown, line_of(s)), source_id))

"""Read RDF data files (Turtle, N-Triples, JSON-LD, RDF/XML) into records with positions.

Turtle, N-Triples and RDF/XML are parsed by pyoxigraph, which follows the specifications to the
letter: an IRI with a space or a control character, an invalid escape, an escaped lone
surrogate, are syntax errors at their line and column, never a term that breaks a later stage.
JSON-LD is parsed by rdflib (pyoxigraph, like every JSON-LD processor, drops a node whose IRI is
invalid without a word), after kg has walked the document itself: an invalid IRI, a lone
surrogate, a remote context or nesting deeper than :data:`MAX_JSON_DEPTH` is an error at the
line that holds it. Every term is checked again once parsed (:func:`iri_problem`).

Parsers do not report where each triple came from, so a triple's position is the first line of
the file that mentions its subject: exact for N-Triples, close for the other syntaxes.
"""

from __future__ import annotations

import json
import re
import xml.sax
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import Issue, LoadError, Position
from kg.load.records import RdfTriple, Records, SourceRecord
from kg.load.tables import decode_utf8

__all__ = ["MAX_JSON_DEPTH", "RDF_SUFFIXES", "iri_problem", "read_rdf_file"]

#: File suffix -> the syntax's name in messages.
RDF_SUFFIXES: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML}
#: JSON-LD documents nested deeper than this are refused (parsers recurse once per level).
MAX_JSON_DEPTH = 64

# An absolute IRI (RFC 3987): a scheme, then no character IRIs forbid. Checked on every term.
_IRI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\\x7f-\x9f]*")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE_RE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_OX_POSITION_RE = re.compile(r"at line (\d+)|\(line (\d+)\)")
_DOCTYPE_RE = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
# Tokens a line mentions: a bracketed IRI (never spanning a '<'), or a run of name characters.
# Each alternative consumes a run that cannot restart inside itself: linear in the line's length.
_TOKEN_RE = re.compile(r"<[^<>\s\"]*>|[^\s<>\"'{}()\[\],;=]+")
_SEGMENT_RE = re.compile(r"[/#:]")


def iri_problem(iri: str) -> str | None:
    """What makes ``iri`` unusable as an absolute IRI, or None when it is fine.

    >>> iri_problem("https://example.org/a b")
    'it contains a space or a character IRIs forbid'
    >>> iri_problem("https://example.org/ok") is None
    True
    """
    if _SURROGATE_RE.search(iri):
        return "it contains a lone surrogate (an escape of half a UTF-16 pair)"
    if _IRI_RE.fullmatch(iri):
        return None
    if ":" not in iri or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
        return "it is not absolute (no scheme such as https:)"
    return "it contains a space or a character IRIs forbid"


def _line_of_text(text: str, needle: str) -> int:
    """The first line holding ``needle`` (0 when it is not in the text as written)."""
    at = text.find(needle) if needle else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else 0


def _refuse_unsafe_xml(text: str, shown: str) -> None:
    """RDF/XML with a DOCTYPE (external entities, entity-expansion bombs) is refused."""
    match = _DOCTYPE_RE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise LoadError(Issue("KG101", "RDF/XML with a DOCTYPE or entity declarations is refused "
                                       "(entities can read files or expand without bound)",
                              Position(shown, line),
                              fix="expand the entities and remove the DOCTYPE, or convert the file to Turtle"))


def _check_json_ld(text: str, shown: str) -> None:
    """Walk a JSON-LD document before any processor sees it (iteratively: no recursion limit)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(Issue("KG101", f"json-ld syntax: {exc.msg}", Position(shown, exc.lineno),
                              fix="correct the JSON syntax")) from exc
    except RecursionError as exc:
        raise LoadError(Issue("KG101", f"json-ld nested more than {MAX_JSON_DEPTH} levels deep",
                              Position(shown, 1), fix="flatten the document")) from exc
    todo: list[tuple[object, int]] = [(doc, 1)]
    while todo:
        value, depth = todo.pop()
        if depth > MAX_JSON_DEPTH:
            raise LoadError(Issue("KG101", f"json-ld nested more than {MAX_JSON_DEPTH} levels deep",
                                  Position(shown, 1), fix="flatten the document"))
        if isinstance(value, str):
            if _SURROGATE_RE.search(value):
                escape = _ESCAPED_SURROGATE_RE.search(text)
                line = text.count("\n", 0, escape.start()) + 1 if escape else 0
                raise LoadError(Issue("KG101", "json-ld holds an escaped lone surrogate (half a UTF-16 pair)",
                                      Position(shown, line), fix="write the whole character, or remove the escape"))
            continue
        if isinstance(value, list):
            todo.extend((item, depth + 1) for item in value)
            continue
        if not isinstance(value, dict):
            continue
        for key, item in value.items():
            if key == "@context":
                contexts = item if isinstance(item, list) else [item]
                if any(isinstance(c, str) or (isinstance(c, dict) and "@import" in c) for c in contexts):
                    raise LoadError(Issue("KG101", "JSON-LD refers to a remote @context, which kg never fetches",
                                          Position(shown, _line_of_text(text, '"@context"')),
                                          fix="inline the context object in the file instead of its URL"))
            ids = [item] if key == "@id" and isinstance(item, str) else []
            if key == "@type":
                ids = [t for t in (item if isinstance(item, list) else [item]) if isinstance(t, str)]
            for iri in [*ids, key]:
                if re.search(r"[\x00-\x20<>\"{}|^`\\]", iri) and not iri.startswith("@"):
                    raise LoadError(Issue("KG103", f"json-ld IRI {iri!r} contains a space or a character "
                                                   "IRIs forbid (a JSON-LD processor would drop it silently)",
                                          Position(shown, _line_of_text(text, json.dumps(iri)[1:-1])),
                                          fix="percent-encode the character (a space is %20), or fix the IRI"))
            todo.append((item, depth + 1))


def _from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # a simple literal, as rdflib and the tables make it
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError("RDF 1.2 triple terms are not supported in kg's input")


def _syntax_error(fmt: str, shown: str, detail: str, line: int) -> LoadError:
    return LoadError(Issue("KG101", f"{fmt} syntax: {detail}"[:300], Position(shown, line),
                           fix=f"correct the {fmt} syntax, or check the file's suffix matches its format"))


def _parse(text: str, raw: bytes, fmt: str, path: Path, shown: str) -> list[tuple[Node, Node, Node]]:
    """Parse the file into rdflib terms, or raise LoadError (KG101) at the parser's position."""
    if fmt == "json-ld":
        _check_json_ld(text, shown)
        graph = Graph()
        try:
            graph.parse(data=text, format="json-ld", publicID=path.as_uri())
        # rdflib's JSON-LD processor raises many exception types on malformed input.
        except Exception as exc:  # noqa: BLE001 - see above
            detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            raise _syntax_error(fmt, shown, detail, 0) from exc
        return list(graph)
    if fmt == "xml":
        _refuse_unsafe_xml(text, shown)
    try:
        quads = ox.parse(raw, format=_OX_FORMATS[fmt], base_iri=path.as_uri())
        return [(_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object)) for q in quads]
    except (SyntaxError, ValueError) as exc:
        message = str(exc)
        found = _OX_POSITION_RE.search(message)
        if found:
            line = int(found.group(1) or found.group(2))
        else:  # RDF/XML errors about a value carry no position: find the value, else ask an XML parser
            quoted = re.search(r"'([^']{1,200})'", message)
            line = (_line_of_text(text, quoted.group(1)) if quoted else 0) or (
                _xml_error_line(text) if fmt == "xml" else 0)
        detail = re.sub(r"^Parser error (at line \d+ (between columns \d+ and \d+|column \d+): )?", "", message)
        raise _syntax_error(fmt, shown, re.sub(r" \(line \d+\)$", "", detail), line) from None


def _xml_error_line(text: str) -> int:
    """Where an XML parser (with no network, no entities) stops on this document, or 0."""
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    try:
        xml.sax.parseString(text.encode("utf-8"), xml.sax.handler.ContentHandler())
    except xml.sax.SAXParseException as exc:
        return int(exc.getLineNumber() or 0)
    except Exception:  # noqa: BLE001 - only a position is wanted here
        return 0
    return 0


def _first_lines(text: str) -> dict[str, int]:
    """The first line on which each full IRI, name or local name appears (one linear pass)."""
    first: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        for match in _TOKEN_RE.finditer(line):
            token = match.group()
            if token.startswith("<"):
                token = token[1:-1]
            first.setdefault(token, number)
            first.setdefault(_SEGMENT_RE.split(token)[-1], number)
    return first


def read_rdf_file(path: Path, records: Records, shown: str, source_id: str) -> None:
    """Parse one RDF file; its triples become records attributed to a kg:Dataset source."""
    raw = path.read_bytes()
    text = decode_utf8(raw, shown)
    fmt = RDF_SUFFIXES[path.suffix.lower()]
    triples = _parse(text, raw, fmt, path, shown)
    first_line = _first_lines(text)

    def line_of(term: Node) -> int:
        key = str(term)
        return first_line.get(key) or first_line.get(_SEGMENT_RE.split(key)[-1], 0)

    problems = []
    for triple in triples:
        for term in triple:
            text_of = str(term)
            problem = iri_problem(text_of) if isinstance(term, URIRef) else (
                "it holds a lone surrogate (half a UTF-16 pair)" if _SURROGATE_RE.search(text_of) else None)
            if problem:
                shown_term = text_of.encode("utf-8", "backslashreplace").decode("utf-8")
                problems.append(Issue("KG103", f"{'IRI' if isinstance(term, URIRef) else 'literal'} "
                                               f"{shown_term!r} cannot be used: {problem}",
                                      Position(shown, line_of(triple[0])),
                                      fix="percent-encode the character (a space is %20), or fix the term"))
    if problems:
        raise LoadError(sorted(set(problems), key=lambda i: (i.position, i.message))[:50])
    records.sources.append(
        SourceRecord(id=source_id, type="kg:Dataset", label=path.name, position=Position(shown, 1))
    )
    for s, p, o in sorted(triples):
        records.rdf_triples.append(RdfTriple(s, p, o, Position(shown, line_of(s)), source_id))

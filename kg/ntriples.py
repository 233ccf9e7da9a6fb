"""RDF terms in N-Triples form: the one writer and the one reader of terms in kg.

Every term kg builds is held as its N-Triples text (``<iri>``, ``"text"@en``,
``"3"^^<http://www.w3.org/2001/XMLSchema#integer>``). Strings are cheap to sort, hash and write;
a term that occurs many times is one shared string. The escapes are exactly those of
pyoxigraph's canonical N-Triples writer, so kg's own lines equal the ones it writes.

>>> literal_n3('say "hi"', language="EN")
'"say \\\\"hi\\\\""@en'
>>> parse_term('"12"^^<http://www.w3.org/2001/XMLSchema#integer>').toPython()
12
"""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.vocab import XSD

__all__ = ["literal_n3", "parse_term", "term_n3", "unescape"]

_XSD_STRING = str(XSD.string)


def _escape_table() -> dict[int, str]:
    """How pyoxigraph's canonical N-Triples writer escapes each character that needs it."""
    import pyoxigraph as ox

    table = {}
    subject, predicate = ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p")
    for code in [*range(0x20), 0x22, 0x5C, 0x7F]:
        data = ox.serialize([ox.Triple(subject, predicate, ox.Literal(chr(code)))], format=ox.RdfFormat.N_TRIPLES)
        assert data is not None  # given no output, pyoxigraph returns the bytes
        line = data.decode("utf-8")
        escaped = line[line.index('"') + 1: line.rindex('"')]
        if escaped != chr(code):
            table[code] = escaped
    return table


_ESCAPES = _escape_table()
_NEEDS_ESCAPE = frozenset(chr(c) for c in _ESCAPES)
_UNESCAPE_RE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))', re.S)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _escape(text: str) -> str:
    if _NEEDS_ESCAPE.isdisjoint(text):
        return text
    return text.translate(_ESCAPES)


def _unescape_one(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _ECHARS[match.group(3)]


def unescape(text: str) -> str:
    """The characters of an escaped N-Triples string (the inside of a literal's quotes)."""
    return _UNESCAPE_RE.sub(_unescape_one, text) if "\\" in text else text


def literal_n3(lexical: str, datatype: str | None = None, language: str | None = None) -> str:
    """A literal in N-Triples form (language tags lower-cased, xsd:string left implicit)."""
    if language:
        return f'"{_escape(lexical)}"@{language.lower()}'
    if datatype and datatype != _XSD_STRING:
        return f'"{_escape(lexical)}"^^<{datatype}>'
    return f'"{_escape(lexical)}"'


def term_n3(node: Node) -> str:
    """An rdflib term in N-Triples form. (kg's own data has no blank nodes; an OWL-RL reasoner
    may add some, written with rdflib's labels.)"""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return literal_n3(str(node), node.datatype, node.language)
    if isinstance(node, BNode):
        return f"_:{node}"
    raise ValueError(f"cannot write {node!r} as an RDF term")


def parse_term(text: str) -> Node:
    """The rdflib term of an N-Triples term (the inverse of :func:`term_n3`)."""
    if text.startswith("<"):
        return URIRef(text[1:-1])
    if text.startswith("_:"):
        return BNode(text[2:])
    end = text.rindex('"')
    lexical = unescape(text[1:end])
    rest = text[end + 1:]
    if rest.startswith("@"):
        return Literal(lexical, lang=rest[1:])
    if rest.startswith("^^<"):
        return Literal(lexical, datatype=URIRef(rest[3:-1]))
    return Literal(lexical)

"""Result values as SPARQL TSV terms ("tokens"): how the engine hands SELECT results to Python.

Oxigraph writes a result as SPARQL TSV, in Rust, in about the time it takes to evaluate the query.
Reading the same result as pyoxigraph term objects and making an rdflib term of each took up to
1.6x the query time on results of thousands of rows (``bench/README.md``). So the engine keeps a
result as the TSV Oxigraph wrote: a row is a line, a value a token (``<iri>``, ``"text"@en``,
``"2024"^^<...#gYear>``, ``7``, ``_:b0``; an empty token is an unbound variable). The Python API
makes rdflib terms of the distinct tokens, once each, when ``QueryResult.rows`` is first read, and
the text table its cells; the SPARQL result formats (JSON, XML, CSV, TSV) are written by Oxigraph
from the same TSV (:mod:`kg.query.formats`).

No library parses a single TSV result term (pyoxigraph parses whole documents into its own term
objects, the cost avoided here), hence this small parser of the Turtle term forms that the TSV
format uses (SPARQL 1.1 Query Results CSV and TSV Formats, section 3).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.query.terms import string_literal, uriref
from kg.vocab import RDF, XSD

__all__ = ["Term", "from_rdflib", "parse_token", "to_rdflib"]

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_BOOLEAN, _INTEGER, _DECIMAL, _DOUBLE = (str(XSD.boolean), str(XSD.integer), str(XSD.decimal),
                                         str(XSD.double))
# What a bare (unquoted) TSV value is, as in Turtle: the forms Oxigraph writes without quotes.
_BARE = {_BOOLEAN: re.compile(r"true|false"), _INTEGER: re.compile(r"[+-]?[0-9]+"),
         _DECIMAL: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
         _DOUBLE: re.compile(r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+)")}
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_new_str = str.__new__
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


class Term(NamedTuple):
    """The parts of one RDF term: ``kind`` is ``uri``, ``literal`` or ``bnode``; ``value`` the
    IRI, lexical form or blank node label; ``language`` and ``datatype`` for literals only
    (``datatype`` is None for a plain or language-tagged string)."""

    kind: str
    value: str
    language: str | None = None
    datatype: str | None = None


def _unescape(match: re.Match[str]) -> str:
    if match.group(3) is not None:
        char = _ECHAR.get(match.group(3))
        if char is None:
            raise ValueError(f"unknown escape \\{match.group(3)} in a result term")
        return char
    return chr(int(match.group(1) or match.group(2), 16))


def parse_token(token: str) -> Term | None:
    """One TSV result term as its parts (None for the empty token: an unbound variable).

    Raises ValueError for what kg does not handle: RDF 1.2 triple terms (``<<( ... )>>``).
    """
    if not token:
        return None
    first = token[0]
    if first == '"':
        end = token.rindex('"')  # the tail (@lang, ^^<iri>) holds no quote
        lexical = token[1:end]
        if "\\" in lexical:
            lexical = _ESCAPE.sub(_unescape, lexical)
        tail = token[end + 1:]
        if not tail:
            return Term("literal", lexical)
        if tail[0] == "@":
            return Term("literal", lexical, tail[1:])
        datatype = tail[3:-1]
        return Term("literal", lexical, None, None if datatype in (_XSD_STRING, _LANG_STRING) else datatype)
    if first == "<":
        if token.startswith("<<"):
            raise ValueError("the result holds an RDF 1.2 triple term, which kg does not handle: "
                             "select the triple's subject, predicate and object instead")
        return Term("uri", token[1:-1])
    if token.startswith("_:"):
        return Term("bnode", token[2:])
    for datatype, form in _BARE.items():
        if form.fullmatch(token):
            return Term("literal", token, None, datatype)
    raise ValueError(f"cannot read the result term {token[:80]!r}")


def to_rdflib(token: str) -> Node | None:
    """One TSV result term as an rdflib term (None for an unbound variable)."""
    # The two commonest forms first, without building a Term: an IRI and a plain string. (The
    # constructors of uriref and string_literal, inlined: this runs once per distinct term.)
    last = token[-1:]
    if last == ">":
        if token[0] == "<" and token[1] != "<":
            return _new_str(URIRef, token[1:-1])
    elif last == '"' and "\\" not in token:
        literal = _new_str(Literal, token[1:-1])
        literal._language = literal._datatype = literal._ill_typed = None
        literal._value = str(literal)
        return literal
    term = parse_token(token)
    if term is None:
        return None
    kind, value, language, datatype = term
    if kind == "uri":
        return uriref(value)
    if kind == "bnode":
        return BNode(value)
    if datatype is None:
        return string_literal(value, language)
    return Literal(value, datatype=uriref(datatype))


def from_rdflib(term: Node | None) -> str:
    """An rdflib term as a TSV result term, written as Oxigraph writes it ("" for None)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if not isinstance(term, Literal):
        raise TypeError(f"unsupported term in a result: {term!r}")
    text = str(term)
    datatype = str(term.datatype) if term.datatype is not None else None
    if datatype is not None and (form := _BARE.get(datatype)) is not None and form.fullmatch(text):
        return text
    quoted = '"' + text.translate(_TSV_ESCAPES) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if datatype is not None and datatype not in (_XSD_STRING, _LANG_STRING):
        return f"{quoted}^^<{datatype}>"
    return quoted

"""Terms across the two RDF libraries: rdflib (what kg builds and returns) and pyoxigraph (the
query engine). Plain data conversions, no state, except the per-result caches (:class:`Memo`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.vocab import RDF, XSD

__all__ = ["Memo", "from_ox", "string_literal", "term_converter", "to_ox", "uriref"]

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
K = TypeVar("K")
V = TypeVar("V")
_new_str = str.__new__


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an RDF term")


# Why not URIRef(...) and Literal(...) for every term of a result: the terms come out of Oxigraph,
# which has already checked every IRI and language tag, and rdflib's constructors check them again
# (URIRef ~1.5 us, a plain Literal ~8 us with its normalization). On results of thousands of rows
# that cost more than the query itself. These two build the very objects the constructors build
# (same class, same slots; tests/test_query.py compares them) for the terms whose value needs no
# parsing: IRIs and plain or language-tagged strings. Typed literals (numbers, dates) go through
# Literal(), which computes their value.


def uriref(value: str) -> URIRef:
    """``URIRef(value)`` for an IRI that Oxigraph has checked."""
    return _new_str(URIRef, value)


def string_literal(value: str, language: str | None) -> Literal:
    """``Literal(value, lang=language)`` for a string (and language tag) Oxigraph has checked."""
    literal = _new_str(Literal, value)
    literal._language = language
    literal._datatype = None
    literal._value = value
    literal._ill_typed = None
    return literal


def from_ox(term: object) -> Node | None:
    """A pyoxigraph term as an rdflib term (None stays None: an unbound variable)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return uriref(term.value)  # type: ignore[attr-defined]
    if kind is ox.Literal:
        language = term.language  # type: ignore[attr-defined]
        if language:
            return string_literal(term.value, language)  # type: ignore[attr-defined]
        datatype = term.datatype.value  # type: ignore[attr-defined]
        if datatype in (_XSD_STRING, _LANG_STRING):
            return string_literal(term.value, None)  # type: ignore[attr-defined]
        return Literal(term.value, datatype=uriref(datatype))  # type: ignore[attr-defined]
    if term is None:
        return None
    if kind is ox.BlankNode:
        return BNode(term.value)  # type: ignore[attr-defined]
    raise TypeError(f"unsupported term in a result: {term!r}")


class Memo(dict, Generic[K, V]):
    """``key -> convert(key)``, each distinct key converted once, on its first lookup.

    Lookups after the first stay in C (``dict.__getitem__``): no Python call per value, which is
    what makes converting a result of thousands of rows cheap. Keep one per result: it holds every
    value it has converted.
    """

    def __init__(self, convert: Callable[[K], V]) -> None:
        super().__init__()
        self._convert = convert

    def __missing__(self, key: K) -> V:
        value = self[key] = self._convert(key)
        return value


def term_converter() -> Callable[[object], Node | None]:
    """A :func:`from_ox` for one result that converts each distinct term once."""
    memo: Memo[object, Node | None] = Memo(from_ox)
    memo[None] = None
    return memo.__getitem__

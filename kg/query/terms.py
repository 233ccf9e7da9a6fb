"""Terms across the two RDF libraries: rdflib (what kg builds and returns) and pyoxigraph (the
query engine). Plain data conversions, no state."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.vocab import RDF, XSD

__all__ = ["from_ox", "to_ox", "to_ox_graph"]

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_DEFAULT_GRAPH_IDS = {"urn:x-rdflib:default"}


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


def to_ox_graph(identifier: Node | None) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    """An rdflib graph identifier as a pyoxigraph graph name (rdflib's default graph -> default)."""
    if identifier is None or str(identifier) in _DEFAULT_GRAPH_IDS:
        return ox.DefaultGraph()
    if isinstance(identifier, BNode):
        return ox.BlankNode(str(identifier))
    return ox.NamedNode(str(identifier))


def from_ox(term: object) -> Node | None:
    """A pyoxigraph term as an rdflib term (None stays None: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported term in a result: {term!r}")

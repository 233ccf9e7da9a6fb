"""What the SHACL components and the SPARQL constraints share: the signals that the shapes go to
pySHACL or are invalid, a result found, and terms read back with their lexical form as written."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.ntriples import parse_term

__all__ = ["Hit", "InvalidShapes", "Unsupported", "literal", "to_term"]


class Unsupported(Exception):
    """The shapes use SHACL that kg's engine does not compile; ``constructs`` names each use."""

    def __init__(self, *constructs: str) -> None:
        self.constructs = tuple(sorted(set(constructs)))
        super().__init__("; ".join(self.constructs))


class InvalidShapes(Exception):
    """The shapes break a rule of SHACL that a processor must report as a failure (a SPARQL
    constraint using MINUS where ``$this`` is pre-bound, ...); ``problems`` names each. Not an
    :class:`Unsupported`: no validator may use these shapes, so they do not go to pySHACL either
    (:func:`kg.shapes.issues.compiled_or_reason` makes it a usage error)."""

    def __init__(self, *problems: str) -> None:
        self.problems = tuple(sorted(set(problems)))
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Hit:
    """One validation result a component found: its value node (None: no sh:value), and for
    SPARQL constraints the focus, path, source constraint and messages the query gave."""

    value: str | None
    focus: str | None = None
    path: Node | None = None
    constraint: Node | None = None
    messages: tuple[str, ...] | None = None


_QUIET = logging.getLogger("rdflib.term")


def to_term(text: str) -> Node:
    """The rdflib term of an N-Triples term, its lexical form kept as written: rdflib would make
    ``"2011-01-01"^^xsd:dateTime`` into ``"2011-01-01T00:00:00"``, and a result's value must be the
    data's own term. rdflib's warning about an ill-typed lexical form is silenced: being ill-typed
    is an answer here, not a fault."""
    if text[0] != '"':
        return parse_term(text)
    end = text.rindex('"')
    lexical = str(parse_term(text[:end + 1]))  # a plain literal: unescaped, never normalised
    rest = text[end + 1:]
    if rest.startswith("@"):
        return Literal(lexical, lang=rest[1:])
    if not rest.startswith("^^<"):
        return Literal(lexical)
    level = _QUIET.level
    _QUIET.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Literal(lexical, datatype=URIRef(rest[3:-1]), normalize=False)
    finally:
        _QUIET.setLevel(level)


def literal(term: str) -> Literal | None:
    """The rdflib literal of an N-Triples term (see :func:`to_term`), or None for an IRI or blank node."""
    return to_term(term) if term[0] == '"' else None  # type: ignore[return-value]

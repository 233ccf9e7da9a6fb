"""Records: what the loaders read, cell by cell, each with the position it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib.term import Node

from kg.errors import Issue, Position

if TYPE_CHECKING:
    from kg.project import Project

__all__ = ["EntityRecord", "RdfTriple", "Records", "SourceRecord", "StatementRecord"]


@dataclass(frozen=True)
class SourceRecord:
    """One row of a sources table."""

    id: str
    type: str
    label: str
    position: Position
    text_file: str = ""
    sha256: str = ""
    outlet: str = ""
    published: str = ""
    language: str = ""
    url: str = ""
    kind: str = ""
    derived_from: str = ""
    note: str = ""


@dataclass(frozen=True)
class EntityRecord:
    """One row of an entities table: an entity's id, classes and label, and the claim for its type."""

    id: str
    type: str
    label: str
    position: Position
    description: str = ""
    source: str = ""
    quote: str = ""
    claimant: str = ""
    modality: str = ""
    reliability: str = ""
    credibility: str = ""
    note: str = ""
    attribution: str = ""
    inference: str = ""
    translation: str = ""


@dataclass(frozen=True)
class StatementRecord:
    """One row of a statements table: a triple and the claim behind it."""

    subject: str
    predicate: str
    object: str
    position: Position
    source: str = ""
    quote: str = ""
    claimant: str = ""
    modality: str = ""
    reliability: str = ""
    credibility: str = ""
    via: str = ""
    note: str = ""
    attribution: str = ""  # direct-quote, reported-speech or paraphrase (with a claimant)
    inference: str = ""  # "true" when the text only implies the statement
    bound: str = ""  # for a quantity (kg:killed, kg:count ...): exact, at-least, ..., vague, most
    translation: str = ""


@dataclass(frozen=True)
class RdfTriple:
    """One triple read from an RDF data file, already in RDF terms."""

    s: Node
    p: Node
    o: Node
    position: Position
    source: str  # the id of the file's kg:Dataset source


@dataclass
class Records:
    """Everything read from a dataset directory, before any check."""

    project: Project
    sources: list[SourceRecord] = field(default_factory=list)
    entities: list[EntityRecord] = field(default_factory=list)
    statements: list[StatementRecord] = field(default_factory=list)
    rdf_triples: list[RdfTriple] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: Row-level problems found while reading (malformed rows); file-level ones raise LoadError.
    issues: list[Issue] = field(default_factory=list)

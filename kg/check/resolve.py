"""Record checks: resolve every cell against the ontology and the dataset, and check claims.

:func:`resolve` turns raw :class:`~kg.load.Records` into :class:`Resolved` data (IRIs, typed
literals, claims with their provenance) and collects an :class:`~kg.errors.Issue` for every
cell it cannot resolve: unknown prefixes and terms, literals that do not match a range,
undeclared entities, duplicate ids and statements, missing sources and quotes, quotes not found
in their source's text, bad modalities and Admiralty grades.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.check.bounds import exactness_problem
from kg.check.reporting import COMPUTED_TERMS, check_reporting
from kg.errors import Issue, Position, Severity, UsageError
from kg.load import EntityRecord, Records, StatementRecord, is_id
from kg.load.tables import decode_utf8
from kg.ontology import Ontology, load_ontology
from kg.suggest import hint
from kg.text import fold_name, normalise_quote
from kg.vocab import KG, RDF, RDFS, STANDARD_PREFIXES, XSD

__all__ = ["ClaimData", "EntityData", "QuantityData", "Resolved", "SourceData", "quantity_iri", "resolve"]

_NO_QUOTE_SOURCES = (KG.CuratorNote, KG.Dataset)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LANG_RE = re.compile(r"^(.*\S)@([a-zA-Z]{2,3}(?:-[A-Za-z0-9]{1,8})*)$", re.S)


@dataclass(frozen=True)
class SourceData:
    """A resolved source."""

    iri: URIRef
    type: URIRef
    label: str
    position: Position
    text_file: str = ""
    note: str = ""
    # First-class source metadata, filled in by kg.check.sources once entities are known.
    outlet: URIRef | None = None
    published: Literal | None = None  # xsd:date, xsd:gYearMonth or xsd:gYear
    precision: URIRef | None = None  # time:unitDay, unitMonth or unitYear
    language: str = ""
    url: str = ""
    kind: URIRef | None = None  # a concept of kg:SourceKindScheme
    derived_from: tuple[URIRef, ...] = ()
    sha256: str = ""
    origin: URIRef | None = None  # the independent origin its reporting counts as (None: a curator note)
    dated_by: URIRef | None = None  # the source whose publication date dates its content (itself, or an original)


@dataclass
class EntityData:
    """A resolved entity: its classes, label and where it was declared."""

    iri: URIRef
    types: tuple[URIRef, ...]
    label: str
    position: Position
    description: str = ""


@dataclass(frozen=True)
class ClaimData:
    """One triple and the claim that supports it."""

    iri: URIRef
    s: URIRef
    p: URIRef
    o: Node
    source: URIRef
    position: Position
    modality: URIRef = KG.ReportedFact
    quote: str = ""
    claimant: URIRef | None = None
    reliability: URIRef | None = None
    credibility: URIRef | None = None
    via: URIRef | None = None
    note: str = ""
    external: bool = False
    translation: Literal | None = None  # the curator's translation of the quote
    #: How the source reports the claimant's words (kg:DirectQuotation ...), None in its own voice.
    attribution: URIRef | None = None
    #: True when the text only implies the statement and the curator reads it (see the note).
    inference: bool = False

    @property
    def asserted(self) -> bool:
        """True when the claim is the source's own voice stating a reported fact: only then is its
        triple a fact (asserted in the default graph; README.md, "Provenance model")."""
        return (self.claimant is None and self.modality == _REPORTED_FACT and not self.inference
                and not self.external)


@dataclass(frozen=True)
class QuantityData:
    """A number as a source gives it, with its bound (a ``kg:Quantity``): ``value`` with the bound
    exact, at-least, at-most or approximately; ``words`` ("dozens", "most") with vague or most."""

    iri: URIRef
    bound: URIRef
    label: str
    value: int | None = None
    words: str = ""


@dataclass
class Resolved:
    """The dataset in RDF terms, ready to build, with the issues found on the way."""

    base: str
    ontology: Ontology
    sources: dict[URIRef, SourceData] = field(default_factory=dict)
    entities: dict[URIRef, EntityData] = field(default_factory=dict)
    claims: list[ClaimData] = field(default_factory=list)
    #: The quantities statements use (kg:killed, kg:wounded, kg:count values), by IRI.
    quantities: dict[URIRef, QuantityData] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    #: (subject, predicate) -> first row stating it; (node, None) -> the row declaring it.
    positions: dict[tuple[URIRef, URIRef | None], Position] = field(default_factory=dict)
    #: (subject, predicate, object) -> the first row stating that triple.
    triple_positions: dict[tuple[Node, Node, Node], Position] = field(default_factory=dict)
    quotes_checked: int = 0
    texts_missing: list[str] = field(default_factory=list)
    #: Identity across reports (kg.check.identity): merged entity -> the entity it was merged into.
    merged: dict[URIRef, URIRef] = field(default_factory=dict)
    #: Merged entity -> its label (it becomes an alias of the entity it was merged into).
    merged_labels: dict[URIRef, Literal] = field(default_factory=dict)
    #: Likely duplicate entities (kg.check.duplicates), and disputes (kg.check.disputes).
    duplicates: list = field(default_factory=list)
    disputes: list = field(default_factory=list)
    #: Relative times and what they were anchored to (kg.check.anchoring), by time IRI.
    anchored: dict = field(default_factory=dict)

    def position_of(self, node: Node, path: Node | None = None, value: Node | None = None) -> Position | None:
        """The row that best explains a SHACL result: the triple's row, else the first row
        with that subject and property, else the row declaring the node."""
        if not isinstance(node, URIRef):
            return None
        if path is not None and value is not None and (node, path, value) in self.triple_positions:
            return self.triple_positions[(node, path, value)]
        if isinstance(path, URIRef) and (node, path) in self.positions:
            return self.positions[(node, path)]
        return self.positions.get((node, None))


def _claim_iri(base: str, *parts: object) -> URIRef:
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{base}claim/{digest}")


def _normalise(text: str) -> str:
    """A text or quote as the quote check compares them: typographic quotes, dashes and spaces
    made plain, white space collapsed (the stored quote stays as written)."""
    return normalise_quote(text)


def _nearest_passage(quote: str, text: str) -> str:
    """The stretch of ``text`` most like ``quote`` (for KG303's fix line), or ""."""
    from rapidfuzz import fuzz

    if not quote or not text:
        return ""
    found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=50)
    if found is None:
        return ""
    start, end = found.dest_start, found.dest_end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


# Terms looked up on every row, bound once (attribute access on a namespace is slow).
_MODALITY_SCHEME = KG.ModalityScheme
_RELIABILITY_SCHEME = KG.ReliabilityScheme
_CREDIBILITY_SCHEME = KG.CredibilityScheme
_REPORTED_FACT = KG.ReportedFact
_RDF_TYPE = RDF.type
_XSD_STRING = XSD.string
_ACTOR = KG.Actor
_ATTRIBUTION_SCHEME = KG.AttributionScheme
_BOUND_SCHEME = KG.BoundScheme
_QUANTITY = KG.Quantity
_NUMERIC = frozenset({XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.decimal, XSD.double,
                      XSD.float, XSD.int, XSD.long})
#: Bounds whose quantity is a number; the others (vague, most) are words.
_NUMBER_BOUNDS = frozenset({KG.Exact, KG.AtLeast, KG.AtMost, KG.Approximately})
_BOUND_LABELS = {KG.Exact: "exactly {}", KG.AtLeast: "at least {}", KG.AtMost: "at most {}",
                 KG.Approximately: "about {}"}
_TRUE_CELLS = {"true", "yes", "1", "inference"}
_FALSE_CELLS = {"", "false", "no", "0"}


class _Resolver:
    def __init__(self, records: Records) -> None:
        self.records = records
        self.project = records.project
        self.onto = load_ontology(self.project.ontology_dir)
        self.out = Resolved(base=self.project.base, ontology=self.onto, issues=list(records.issues))
        self.base = self.project.base
        self.declared: dict[URIRef, Position] = {}
        self.texts: dict[URIRef, str | None] = {}
        self.sentences: dict[URIRef, frozenset[str]] = {}
        self.iris: dict[str, URIRef] = {}
        self.terms = self.onto.terms
        self.source_kinds: dict[URIRef, tuple[bool, bool]] = {}  # source -> (no quote, external)
        self.used: set[URIRef] = set()
        self.seen_claims: dict[tuple, Position] = {}
        self.bad_types: set[Position] = set()
        self.standard_ns = tuple(v for k, v in STANDARD_PREFIXES.items())

    # -- helpers -------------------------------------------------------------------------
    def error(self, code: str, message: str, position: Position, fix: str = "") -> None:
        self.out.issues.append(Issue(code, message, position, fix))

    def warn(self, code: str, message: str, position: Position, fix: str = "") -> None:
        self.out.issues.append(Issue(code, message, position, fix, Severity.WARNING))

    def expand(self, cell: str, position: Position, what: str) -> URIRef | None:
        """A cell as an IRI: <full-iri>, prefix:local or a local id. None after an error."""
        iri = self.iris.get(cell)  # cells repeat: one IRI object each (and no repeated checks)
        if iri is None:
            iri = self._expand(cell, position, what)
            if iri is not None:
                self.iris[cell] = iri
        return iri

    def _expand(self, cell: str, position: Position, what: str) -> URIRef | None:
        if cell.startswith("<") and cell.endswith(">"):
            iri = cell[1:-1]
            if not iri or re.search(r"[\s<>\"{}|\\^`\x00-\x1f]", iri) or ":" not in iri:
                self.error("KG103", f"{what} {cell!r} is not a valid IRI", position,
                           fix="write absolute IRIs without spaces, like <https://example.org/x>")
                return None
            return URIRef(iri)
        if ":" in cell:
            prefix, local = cell.split(":", 1)
            if prefix not in self.project.prefixes:
                known = ", ".join(sorted(self.project.prefixes))
                self.error("KG201", f"unknown prefix {prefix!r} in {what} {cell!r}", position,
                           fix=f"use one of the prefixes {known}, declare it under [prefixes] in "
                               f"kg.toml, or write a full IRI in <...>")
                return None
            if re.search(r"[\s<>\"{}|\\^`]", local):
                self.error("KG103", f"{what} {cell!r} contains characters not allowed in a CURIE", position,
                           fix="remove spaces and <>\"{}|\\^` from the name")
                return None
            return URIRef(self.project.prefixes[prefix] + local)
        if is_id(cell):
            return URIRef(self.base + cell)
        self.error("KG103", f"{what} {cell!r} is not an id", position,
                   fix="ids start with a letter and use only letters, digits, '_', '-' and '.'")
        return None

    def local(self, iri: URIRef) -> str:
        return str(iri)[len(self.base):] if str(iri).startswith(self.base) else str(iri)

    def about_ontology(self, iri: Node, position: Position) -> bool:
        """Data may say nothing about the ontology's own terms (nor anything in the standard
        vocabularies): a label, type or axiom there would change every dataset's meaning
        ("kg:perpetrator" relabelled "victim of", kg:Person made a kg:Cartel). Reports KG208."""
        if iri in self.terms or str(iri).startswith(self.standard_ns):
            self.error("KG208", f"a statement about the ontology term {self.curie(iri)}: data may not relabel, "
                                f"retype or add axioms to the ontology", position,
                       fix="make statements about the dataset's own entities; propose ontology changes in ontology/")
            return True
        return False

    def suggest_term(self, cell: str, terms) -> str:
        """' (did you mean ...?)' for a misspelt class or property, or ""."""
        if "curies" not in self.__dict__:
            self.curies: dict[int, list[str]] = {}
        key = id(terms)
        if key not in self.curies:
            self.curies[key] = sorted(self.curie(t) for t in terms)
        near = hint(cell, self.curies[key])
        return f" ({near})" if near else ""

    def suggest_id(self, cell: str) -> str:
        """How to fix an id that names nothing: the id whose label or alias it is, or near ids."""
        if "names" not in self.__dict__:
            self.names: dict[str, set[str]] = {}
            for rec in self.records.entities:
                self.names.setdefault(fold_name(rec.label), set()).add(rec.id)
            for st in self.records.statements:
                if st.predicate in ("skos:altLabel", "rdfs:label"):
                    match = _LANG_RE.match(st.object)
                    self.names.setdefault(fold_name(match.group(1) if match else st.object), set()).add(st.subject)
        named = sorted(self.names.get(fold_name(cell), ()))
        if named:
            return f"{cell!r} is the label or an alias of {' and '.join(repr(n) for n in named)}; write the id"
        near = hint(cell, [self.local(i) for i in self.declared if str(i).startswith(self.base)])
        return near

    def check_reference(self, iri: URIRef, position: Position, what: str) -> bool:
        """An IRI used as subject or object must be declared (data) or defined (ontology)."""
        text = str(iri)
        if text.startswith(self.base):
            if iri not in self.declared:
                suggestion = self.suggest_id(self.local(iri))
                self.error("KG205", f"{what} {self.local(iri)!r} is used but never declared", position,
                           fix=(suggestion + "; or " if suggestion else "")
                           + f"add a row for {self.local(iri)!r} to an entities table")
                return False
            self.used.add(iri)
            return True
        if text.startswith(self.standard_ns) and iri not in self.terms:
            self.error("KG202", f"unknown term {self.curie(iri)} ({what})", position,
                       fix="use a class, property or concept defined in ontology/ (see docs/ontology.md)")
            return False
        return True

    def curie(self, iri: Node) -> str:
        for prefix, ns in sorted(self.project.prefixes.items(), key=lambda kv: -len(kv[1])):
            if prefix != "data" and str(iri).startswith(ns):
                return f"{prefix}:{str(iri)[len(ns):]}"
        return f"<{iri}>"

    def is_actor(self, iri: URIRef) -> bool:
        entity = self.out.entities.get(iri)
        return entity is not None and any(self.onto.is_subclass(t, _ACTOR) for t in entity.types)

    # -- sources -------------------------------------------------------------------------
    def sources(self) -> None:
        for rec in self.records.sources:
            if not is_id(rec.id):
                self.error("KG103", f"source id {rec.id!r} is not a valid id", rec.position,
                           fix="ids start with a letter and use only letters, digits, '_', '-' and '.'")
                continue
            iri = URIRef(self.base + rec.id)
            if not self.declare(iri, rec.id, rec.position):
                continue
            rtype = self.expand(rec.type, rec.position, "source type")
            if rtype is None:
                continue
            if rtype not in self.onto.classes or not self.onto.is_subclass(rtype, KG.Source):
                self.error("KG202", f"source type {rec.type!r} is not a kind of kg:Source", rec.position,
                           fix="use kg:NewsReport, kg:Source, kg:Dataset or kg:CuratorNote")
                continue
            self.out.sources[iri] = SourceData(iri, rtype, rec.label, rec.position, rec.text_file, rec.note)
            self.out.positions[(iri, None)] = rec.position

    def computed_term(self, cell: str, position: Position) -> None:
        self.error("KG209", f"{cell} is computed by kg build, never written in a table", position,
                   fix="remove the row: independent origins, anchored times and disputes are computed from "
                       "the sources' metadata and the claims")

    def declare(self, iri: URIRef, ident: str, position: Position) -> bool:
        if iri in self.declared:
            self.error("KG206", f"duplicate id {ident!r}", position,
                       fix=f"give each entity and source its own id; the other is {self.declared[iri]}")
            return False
        self.declared[iri] = position
        return True

    def source_text(self, source: SourceData) -> str | None:
        if source.iri not in self.texts:
            text = None
            if source.text_file:
                try:
                    path = self.project.find_source_text(source.text_file)
                except UsageError as exc:
                    self.error("KG305", str(exc), source.position,
                               fix="copy the text into a directory of sources_path (kg add-source does) "
                                   "and give its file name")
                    self.texts[source.iri], self.sentences[source.iri] = None, frozenset()
                    return None
                if path is None:
                    self.out.texts_missing.append(source.text_file)
                    self.warn("KG901", f"text of source {self.local(source.iri)!r} ({source.text_file}) "
                                       f"not found; its quotes were not checked", source.position,
                              fix="pass --sources DIR naming the directory that holds it, or add it to "
                                  "sources_path in kg.toml")
                else:
                    text = _normalise(decode_utf8(path.read_bytes(), str(path)))
            self.texts[source.iri] = text
            # The text's sentences: a quote that is a whole sentence is found with one hash
            # lookup (others are searched for in the whole text, as before).
            self.sentences[source.iri] = frozenset(_SENTENCE_END.split(text)) if text else frozenset()
        return self.texts[source.iri]

    # -- entities ------------------------------------------------------------------------
    def entities(self) -> None:
        for rec in self.records.entities:
            if not is_id(rec.id):
                self.error("KG103", f"entity id {rec.id!r} is not a valid id", rec.position,
                           fix="ids start with a letter and use only letters, digits, '_', '-' and '.'")
                continue
            iri = URIRef(self.base + rec.id)
            if not self.declare(iri, rec.id, rec.position):
                continue
            types = []
            for cell in (t.strip() for t in rec.type.split("|")):
                cls = self.expand(cell, rec.position, "type") if cell else None
                if cls is None:
                    if not cell:
                        self.error("KG103", "empty class in type list", rec.position, fix="write types as kg:A|kg:B")
                    continue
                if cls not in self.onto.classes:
                    self.error("KG202", f"unknown class {cell!r}{self.suggest_term(cell, self.onto.classes)}",
                               rec.position, fix="use a class defined in ontology/kg.ttl (see docs/ontology.md)")
                    self.bad_types.add(rec.position)
                    continue
                if cls in COMPUTED_TERMS:
                    self.computed_term(cell, rec.position)
                    continue
                types.append(cls)
            self.out.entities[iri] = EntityData(iri, tuple(types), rec.label, rec.position, rec.description)
            self.out.positions[(iri, None)] = rec.position

    def entity_claims(self) -> None:
        for rec in self.records.entities:
            if not is_id(rec.id):
                continue
            iri = URIRef(self.base + rec.id)
            entity = self.out.entities.get(iri)
            if entity is None or entity.position != rec.position:
                continue
            if rec.position in self.bad_types:
                self.claim_attributes(rec, rec.position)  # every error of the row, not only the first
                continue
            for cls in entity.types:
                self.claim(rec, iri, _RDF_TYPE, cls, rec.position)

    # -- statements ----------------------------------------------------------------------
    def statements(self) -> None:
        for rec in self.records.statements:
            s = self.expand(rec.subject, rec.position, "subject")
            p = self.expand(rec.predicate, rec.position, "predicate")
            s_ok = s is not None and not self.about_ontology(s, rec.position) \
                and self.check_reference(s, rec.position, "subject")
            if p is None:
                self.claim_attributes(rec, rec.position)
                continue
            if p in COMPUTED_TERMS:
                self.computed_term(rec.predicate, rec.position)
                continue
            o: Node | None
            if p == _RDF_TYPE:
                o = self.expand(rec.object, rec.position, "class")
                if o is not None and o not in self.onto.classes:
                    suggestion = self.suggest_term(rec.object, self.onto.classes)
                    self.error("KG202", f"unknown class {rec.object!r}{suggestion}", rec.position,
                               fix="use a class defined in ontology/kg.ttl")
                    o = None
            elif p not in self.onto.properties:
                near = self.suggest_term(rec.predicate, self.onto.properties)
                self.error("KG202", f"unknown property {rec.predicate!r}{near}", rec.position,
                           fix="use a property defined in ontology/kg.ttl (see docs/ontology.md)")
                o = None
            else:
                o = self.object(rec, p)
            if s is None or not s_ok or o is None:
                self.claim_attributes(rec, rec.position)  # every error of the row, not only the first
                continue
            if rec.bound and o not in self.out.quantities:
                self.error("KG304", f"bound {rec.bound!r} on {self.curie(p)}, which is not a count", rec.position,
                           fix="give a bound only to kg:killed, kg:wounded and kg:count (quantities); leave it "
                               "empty here")
                continue
            self.out.positions.setdefault((s, p), rec.position)
            claim = self.claim(rec, s, p, o, rec.position)
            if claim is not None:
                self.check_exact(claim)

    def object(self, rec: StatementRecord, p: URIRef) -> Node | None:
        info = self.onto.properties[p]
        cell = rec.object
        if info.range == _QUANTITY:
            return self.quantity(rec, p)
        if info.kind == "object":
            if not cell.startswith("<") and (re.search(r"\s", cell) or cell[:1].isdigit()):
                named = self.suggest_id(cell)
                self.error("KG204", f"{self.curie(p)} links to an entity, but the object {cell!r} is text",
                           rec.position, fix=(named + "; " if named else "") + "give an entity id or a concept "
                                             "CURIE (kg:Drone); text belongs in a datatype property")
                return None
            o = self.expand(cell, rec.position, "object")
            if o is None or not self.check_reference(o, rec.position, "object"):
                return None
            return o
        if info.kind == "annotation":
            match = _LANG_RE.match(cell)
            return Literal(match.group(1), lang=match.group(2)) if match else Literal(cell)
        if cell.startswith("<") and cell.endswith(">") or (
            info.range not in (_XSD_STRING, None) and re.match(r"^[A-Za-z][\w.-]*$", cell)
            and URIRef(self.base + cell) in self.declared
        ):
            datatype = f" ({self.curie(info.range)})" if info.range is not None else ""
            self.error("KG204", f"{self.curie(p)} takes a literal{datatype}, "
                                f"but the object {cell!r} is an entity", rec.position,
                       fix="write the value itself, or use an object property to link entities")
            return None
        return self.typed_literal(cell, info.range, rec.position, self.curie(p))

    def typed_literal(self, cell: str, datatype: URIRef | None, position: Position, what: str) -> Literal | None:
        if datatype in (None, _XSD_STRING):
            return Literal(cell)
        check = _LEXICAL.get(datatype)
        if check is None:
            return Literal(cell, datatype=datatype)
        value, example = check
        normalised = value(cell)
        if normalised is None:
            shown = cell if len(cell) <= 60 else f"{cell[:40]}... ({len(cell)} characters)"
            self.error("KG203", f"{what} expects {self.curie(datatype)}, but {shown!r} is not one", position,
                       fix=f"write a value like {example}")
            return None
        return Literal(normalised, datatype=datatype)

    # -- claims --------------------------------------------------------------------------
    def claim_attributes(self, rec: EntityRecord | StatementRecord, position: Position):
        """Check a row's claim cells (source, quote, claimant, via, modality, grades), reporting
        every error of the row; returns (source, quote, claimant, via, modality, reliability,
        credibility, external) when all are good, else None."""
        ok = True
        source = None
        if not rec.source:
            self.error("KG301", "missing source", position,
                       fix="name the source (an id from the sources table) this row comes from")
            ok = False
        else:
            source_iri = URIRef(self.base + rec.source) if is_id(rec.source) else None
            source = self.out.sources.get(source_iri) if source_iri else None
            if source is None:
                ids = sorted(self.local(i) for i in self.out.sources)
                near = hint(rec.source, ids)
                self.error("KG301", f"unknown source {rec.source!r}" + (f" ({near})" if near else ""), position,
                           fix=f"use a source id from a sources table ({', '.join(ids) or 'none declared'})")
                ok = False
        quote = " ".join(rec.quote.split())
        external = False
        if source is not None:
            self.used.add(source.iri)
            kind = self.source_kinds.get(source.iri)
            if kind is None:
                kind = self.source_kinds[source.iri] = (
                    any(self.onto.is_subclass(source.type, t) for t in _NO_QUOTE_SOURCES),
                    self.onto.is_subclass(source.type, KG.CuratorNote))
            no_quote, external = kind
            if not quote and not no_quote:
                self.error("KG302", "missing quote", position,
                           fix="copy the words of the source that support this row into the quote column")
                ok = False
            if quote:
                text = self.source_text(source)
                if text is not None:
                    self.out.quotes_checked += 1
                    compared = _normalise(quote)
                    if compared not in self.sentences[source.iri] and compared not in text:
                        nearest = _nearest_passage(compared, text)
                        self.error("KG303", f"quote not found in the text of {rec.source!r}: {quote[:80]!r}",
                                   position, fix=(f"the nearest passage of the text is {nearest[:160]!r}; "
                                                  if nearest else "")
                                   + "copy the words exactly as the source has them (spelling, punctuation)")
                        ok = False
        claimant = self.actor_cell(rec.claimant, position, "claimant")
        via = self.actor_cell(getattr(rec, "via", ""), position, "via")
        modality = self.concept_cell(rec.modality or "reported-fact", _MODALITY_SCHEME, position, "modality")
        reliability = self.concept_cell(rec.reliability, _RELIABILITY_SCHEME, position, "reliability")
        credibility = self.concept_cell(rec.credibility, _CREDIBILITY_SCHEME, position, "credibility")
        if False in (claimant, via, modality, reliability, credibility) or not ok:
            return None
        return source, quote, claimant, via, modality, reliability, credibility, external

    def claim(self, rec: EntityRecord | StatementRecord, s: URIRef, p: URIRef, o: Node,
              position: Position) -> ClaimData | None:
        attributes = self.claim_attributes(rec, position)
        if attributes is None:
            return None
        source, quote, claimant, via, modality, reliability, credibility, external = attributes
        translation = self.translation(rec, quote, position)
        if isinstance(translation, bool):  # False: an error was reported
            return None
        manner = self.claim_manner(rec, claimant or None, external, bool(quote), position)
        if manner is None:
            return None
        attribution, inference = manner
        key = (s, p, o, source.iri, claimant, quote)
        if key in self.seen_claims:
            self.error("KG207", f"duplicate statement: {self.curie(s)} {self.curie(p)} "
                                f"{o if isinstance(o, Literal) else self.curie(o)}", position,
                       fix=f"keep one row; the other is {self.seen_claims[key]}")
            return None
        self.seen_claims[key] = position
        self.out.triple_positions.setdefault((s, p, o), position)
        iri = _claim_iri(self.base, s, p, o.n3(), source.iri, claimant or "", quote)
        self.out.positions[(iri, None)] = position
        claim = ClaimData(
            iri=iri, s=s, p=p, o=o, source=source.iri, position=position, modality=modality or _REPORTED_FACT,
            quote=quote, claimant=claimant or None, reliability=reliability or None,
            credibility=credibility or None, via=via or None, note=rec.note,
            external=external, translation=translation, attribution=attribution, inference=inference,
        )
        self.out.claims.append(claim)
        return claim

    # -- how a claim was made: attribution and curator inference (issue 13) -------------------
    def claim_manner(self, rec: EntityRecord | StatementRecord, claimant: URIRef | None, external: bool,
                     quoted: bool, position: Position) -> tuple[URIRef | None, bool] | None:
        """The row's attribution (with a claimant) and inference flag, or None after an error.

        An attribution says how the source reports a claimant's words, so it needs a claimant; an
        inference is the curator's reading of quoted words, so it needs a quote from the text and a
        note saying why; a curator note (knowledge from outside the text) carries no quote."""
        cell = self.concept_cell(rec.attribution, _ATTRIBUTION_SCHEME, position, "attribution")
        if cell is False:
            return None
        attribution = cell if isinstance(cell, URIRef) else None
        if attribution and claimant is None:
            self.error("KG304", f"attribution {rec.attribution!r} without a claimant", position,
                       fix="name the claimant whose words are reported, or leave attribution empty for the "
                           "source's own voice")
            return None
        inference_cell = rec.inference.strip().lower()
        if inference_cell not in _TRUE_CELLS | _FALSE_CELLS:
            self.error("KG304", f"bad inference {rec.inference!r}", position,
                       fix="write true when the text only implies the statement, else leave it empty")
            return None
        inference = inference_cell in _TRUE_CELLS
        if external and quoted:
            self.error("KG304", "a curator note's row quotes words", position,
                       fix="knowledge from outside the text carries no quote: leave the quote empty, or "
                           "take the row from the source whose words say it (with inference = true "
                           "when they only imply it)")
            return None
        if inference and external:
            self.error("KG304", "inference on a curator note's row", position,
                       fix="a curator note is already outside knowledge; inference = true is for what the "
                           "curator reads from a source's quoted words")
            return None
        if inference and not rec.note:
            self.error("KG304", "a curator inference without a note", position,
                       fix="say in the note what the text implies and why (\"'the country' is Colombia, "
                           "named in the sentence before\")")
            return None
        return attribution or None, inference

    # -- bounds: a count is exact only when the text makes it exact (issue 13) ---------------
    def quantity(self, rec: StatementRecord, p: URIRef) -> URIRef | None:
        """The ``kg:Quantity`` a count cell and its bound make (recorded in ``quantities``)."""
        bound = self.concept_cell(rec.bound or "exact", _BOUND_SCHEME, rec.position, "bound")
        if not isinstance(bound, URIRef):
            return None
        cell = " ".join(rec.object.split())
        if bound in _NUMBER_BOUNDS:
            value = _integer(cell, 0)
            if value is None:
                shown = cell if len(cell) <= 60 else f"{cell[:40]}... ({len(cell)} characters)"
                self.error("KG203", f"{self.curie(p)} expects xsd:nonNegativeInteger, but {shown!r} is not one",
                           rec.position,
                           fix="write a value like 12 (a whole number, 0 or more), with its bound in the bound "
                               "column (18 and at-least for 'at least 18'); for words without a number "
                               "('dozens') set bound to vague")
                return None
            quantity = QuantityData(quantity_iri(self.base, bound, value), bound,
                                    _BOUND_LABELS[bound].format(value), value=int(value))
        else:
            if not cell or _integer(cell) is not None or len(cell) > 100:
                shown = cell if len(cell) <= 60 else f"{cell[:40]}... ({len(cell)} characters)"
                self.error("KG203", f"{self.curie(p)} with bound {self.onto.label(bound).lower()!r} takes the "
                                    f"source's words, not {shown!r}", rec.position,
                           fix="write the few words the source counts with ('dozens', 'a wave', 'most'), or give "
                               "the number with the bound exact, at-least, at-most or approximately")
                return None
            quantity = QuantityData(quantity_iri(self.base, bound, cell), bound, cell, words=cell)
        self.out.quantities.setdefault(quantity.iri, quantity)
        return quantity.iri

    def check_exact(self, claim: ClaimData) -> None:
        """KG306 when a statement recorded as an exact number quotes words of bound or vagueness."""
        if not claim.quote:
            return
        if isinstance(claim.o, URIRef):
            quantity = self.out.quantities.get(claim.o)
            if quantity is None or quantity.bound != KG.Exact:
                return
            value, shown, stated = str(quantity.value), f"exactly {quantity.value}", True
        elif isinstance(claim.o, Literal) and claim.o.datatype in _NUMERIC:
            value, shown, stated = str(claim.o), str(claim.o), False  # a number, not a count: bounds only
        else:
            return
        problem = exactness_problem(value, claim.quote, stated=stated)
        if problem:
            self.error("KG306", f"{self.curie(claim.p)} is recorded as {shown}, but {problem}", claim.position,
                       fix="a count is exact only when the text makes it exact: set bound to at-least, "
                           "at-most, approximately, vague or most as the words say, or quote the words "
                           "that state the number")

    def translation(self, rec: EntityRecord | StatementRecord, quote: str, position: Position) -> Literal | None | bool:
        """The curator's translation of the quote (English unless tagged), None, or False after an error."""
        if not rec.translation:
            return None
        if not quote:
            self.error("KG302", "a translation, but no quote to translate", position,
                       fix="copy the source's words into the quote column, or empty the translation")
            return False
        match = _LANG_RE.match(rec.translation)
        return Literal(match.group(1), lang=match.group(2)) if match else Literal(rec.translation, lang="en")

    def actor_cell(self, cell: str, position: Position, what: str) -> URIRef | None | bool:
        if not cell:
            return None
        iri = self.expand(cell, position, what)
        if iri is None or not self.check_reference(iri, position, what):
            return False
        if not self.is_actor(iri):
            self.error("KG304", f"{what} {cell!r} is not an actor", position,
                       fix=f"the {what} must be an entity whose type is a kind of kg:Actor")
            return False
        return iri

    def concept_cell(self, cell: str, scheme: URIRef, position: Position, what: str) -> URIRef | None | bool:
        if not cell:
            return None
        concept = self.onto.concept(scheme, cell)
        if concept is None and ":" in cell:
            iri = self.expand(cell, position, what)
            concept = iri if iri is not None and self.onto.concepts.get(iri) == scheme else None
        if concept is None:
            allowed = self.onto.scheme_notations(scheme)
            near = hint(cell, allowed)
            self.error("KG304", f"bad {what} {cell!r}" + (f" ({near})" if near else ""), position,
                       fix=f"use one of: {', '.join(allowed)}")
            return False
        return concept

    # -- RDF input -----------------------------------------------------------------------
    def rdf_input(self) -> None:
        triples = self.records.rdf_triples
        for t in triples:
            if isinstance(t.s, BNode) or isinstance(t.o, BNode):
                self.error("KG103", "blank nodes are not supported in RDF input", t.position,
                           fix="give every node an IRI")
        triples = [t for t in triples if not isinstance(t.s, BNode) and not isinstance(t.o, BNode)
                   and not self.about_ontology(t.s, t.position)]
        labels = {t.s: str(t.o) for t in triples if t.p == RDFS.label}
        for t in triples:
            s, o = t.s, t.o
            if t.p != _RDF_TYPE or not isinstance(s, URIRef) or not isinstance(o, URIRef) or o not in self.onto.classes:
                continue
            if s not in self.declared:
                self.declared[s] = t.position
                self.out.entities[s] = EntityData(s, (o,), labels.get(s, ""), t.position)
                self.out.positions[(s, None)] = t.position
            elif s in self.out.entities:
                entity = self.out.entities[s]
                entity.types = tuple(sorted(set(entity.types) | {o}))
        for t in triples:
            self.rdf_triple(t)

    def rdf_triple(self, t) -> None:
        source = self.out.sources[URIRef(self.base + t.source)]
        if not self.check_reference(t.s, t.position, "subject"):
            return
        if t.p == _RDF_TYPE:
            if t.o not in self.onto.classes:
                self.error("KG202", f"unknown class {self.curie(t.o)}", t.position,
                           fix="use a class defined in ontology/kg.ttl")
                return
        elif t.p not in self.onto.properties:
            self.error("KG202", f"unknown property {self.curie(t.p)}", t.position,
                       fix="use a property defined in ontology/kg.ttl (see docs/ontology.md)")
            return
        else:
            info = self.onto.properties[t.p]
            if info.kind == "object":
                if not isinstance(t.o, URIRef):
                    self.error("KG204", f"{self.curie(t.p)} links to an entity, but the object is a literal",
                               t.position, fix="use an IRI as the object")
                    return
                if not self.check_reference(t.o, t.position, "object"):
                    return
            elif info.kind == "datatype":
                if not isinstance(t.o, Literal):
                    self.error("KG204", f"{self.curie(t.p)} takes a literal, but the object is an IRI",
                               t.position, fix="use a literal as the object")
                    return
                if info.range not in (None, _XSD_STRING):
                    checked = self.typed_literal(str(t.o), info.range, t.position, self.curie(t.p))
                    if checked is None:
                        return
                    t = type(t)(t.s, t.p, checked, t.position, t.source)
        self.used.add(source.iri)
        self.out.positions.setdefault((t.s, t.p), t.position)
        iri = _claim_iri(self.base, t.s, t.p, t.o.n3(), source.iri, "", "")
        self.out.positions[(iri, None)] = t.position
        self.out.claims.append(ClaimData(iri=iri, s=t.s, p=t.p, o=t.o, source=source.iri, position=t.position))

    # -- all -----------------------------------------------------------------------------
    def run(self) -> Resolved:
        if not self.records.files:
            self.warn("KG904", "the dataset has no tables and no RDF files: it builds an empty graph",
                      Position(self.project.display(self.project.data_dir / "kg.toml")),
                      fix="add sources.csv, entities.csv and statements.csv (kg init DIR writes them with "
                          "their headers), or check that --data names the right directory")
        self.sources()
        self.entities()
        self.rdf_input()
        self.entity_claims()
        self.statements()
        issues, used = check_reporting(self.out, self.records, self.curie)
        self.out.issues.extend(issues)
        self.used |= used
        described: set[URIRef] | None = None  # subjects of claims other than a class: found once
        for iri, entity in sorted(self.out.entities.items()):
            if iri not in self.used and str(iri).startswith(self.base) and entity.position.file.endswith(".csv"):
                if described is None:
                    described = {c.s for c in self.out.claims if c.p != _RDF_TYPE}
                if iri not in described:
                    self.warn("KG902", f"entity {self.local(iri)!r} is declared but never used", entity.position,
                              fix="link it with a statement, or remove the row")
        for iri, source in sorted(self.out.sources.items()):
            if source.text_file and iri in self.used:
                self.source_text(source)
        return self.out


def quantity_iri(base: str, bound: URIRef, value: object) -> URIRef:
    """The IRI of a quantity: its bound's notation and its number or words, under the dataset's
    base (``quantity/at-least-18``, ``quantity/vague-dozens``, ``quantity/most``). A quantity is a
    value: the same figure is the same node wherever it is given."""
    notation = {KG.Exact: "exact", KG.AtLeast: "at-least", KG.AtMost: "at-most", KG.Approximately: "approximately",
                KG.Vague: "vague", KG.Most: "most"}.get(bound, str(bound).rsplit("#", 1)[-1].lower())
    slug = re.sub(r"[\s_]+", "-", str(value).strip().lower())
    slug = urllib.parse.quote(slug, safe="-.")
    return URIRef(f"{base}quantity/{notation}" if slug == notation else f"{base}quantity/{notation}-{slug}")


#: Integers longer than this are refused: Python (and rdflib) cannot turn them into numbers.
_MAX_DIGITS = 4300


def _integer(cell: str, minimum: int | None = None) -> str | None:
    """The canonical xsd:integer form, without int(): Python refuses to convert more than 4,300
    digits, and a cell may hold any number of them."""
    if not re.fullmatch(r"[+-]?\d+", cell):
        return None
    negative = cell.startswith("-")
    digits = cell.lstrip("+-").lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        return None
    if digits == "0":
        negative = False
    if minimum is not None and negative:
        return None  # every minimum kg uses is 0
    return ("-" if negative else "") + digits


def _decimal(cell: str) -> str | None:
    """The canonical xsd:decimal form ("400" -> "400.0", "06.50" -> "6.5"), so that every
    RDF writer (Turtle abbreviates decimals) reads back to the same literal."""
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cell):
        return None
    sign = "-" if cell.startswith("-") else ""
    whole, _, fraction = cell.lstrip("+-").partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0") or "0"
    if whole == "0" and fraction == "0":
        sign = ""
    return f"{sign}{whole}.{fraction}"


def _date(cell: str) -> str | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
        return None
    try:
        return dt.date.fromisoformat(cell).isoformat()
    except ValueError:
        return None


def _boolean(cell: str) -> str | None:
    return {"true": "true", "false": "false", "1": "true", "0": "false"}.get(cell.lower())


_LEXICAL: dict[URIRef, tuple[Callable[[str], str | None], str]] = {
    XSD.integer: (lambda c: _integer(c), "12"),
    XSD.nonNegativeInteger: (lambda c: _integer(c, 0), "12 (a whole number, 0 or more)"),
    XSD.decimal: (_decimal, "6.25"),
    XSD.date: (_date, "2024-05-17"),
    XSD.gYear: (lambda c: c if re.fullmatch(r"-?\d{4}", c) else None, "2024"),
    XSD.gYearMonth: (lambda c: c if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", c) else None, "2024-05"),
    XSD.boolean: (_boolean, "true or false"),
}


def resolve(records: Records) -> Resolved:
    """Resolve and check every record (a new value each call; ``records`` is not changed)."""
    return _Resolver(records).run()


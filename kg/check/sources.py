"""Source metadata checks: outlet, publication date, language, address, kind, derivation and the
registered hash of the text; and each source's independent origin.

The columns are those of the sources table (``data/README.md``). Every source is checked once the
entities are known (an outlet is an entity):

* ``outlet`` must be a declared entity (KG205) of a kind of ``kg:Organization`` (KG307);
* ``published`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (its precision; KG203 otherwise),
  ``language`` a BCP 47 tag, ``url`` an absolute ``http(s)`` address, ``sha256`` 64 hex digits
  (KG307);
* ``kind`` is a notation of ``kg:SourceKindScheme``; a syndicated copy, digest, translation or
  retelling names what it derives from in ``derived_from``, other kinds do not; every id there is
  a declared source, never the source itself, and derivation never goes round in a circle (KG307);
* a text registered with a ``sha256`` that no longer matches it is reported (KG905, a warning).

A source's content is **dated by** its own publication date, or, for a copy, digest or
translation that has none, by its original's (``dated_by``): relative times count from it and
disputed figures are ordered by it.

The **origin** of a source is what its reporting counts as when corroboration is counted: follow
``derived_from`` to the first report (a source that derives from nothing); its outlet, or that
report itself when its outlet is unknown. A source deriving from several (a digest of two
reports) takes the first one listed. Curator notes have no origin: they are not reporting.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from kg.errors import Issue, Position, Severity, UsageError
from kg.load import Records, SourceRecord, is_id
from kg.vocab import KG, TIME, XSD

if TYPE_CHECKING:  # resolve.py calls this module: its types are for annotations only
    from kg.check.resolve import Resolved, SourceData

__all__ = ["DERIVED_KINDS", "DERIVATION_PROPERTIES", "check_sources", "parse_published", "published_order",
           "text_sha256"]

#: Kinds of source that derive from another, and the property that says so in the graph.
DERIVATION_PROPERTIES: dict[URIRef, URIRef] = {
    KG.SyndicatedCopy: KG.copyOf,
    KG.Digest: KG.digestOf,
    KG.Translation: KG.translationOf,
    KG.Retelling: KG.retellingOf,
}
DERIVED_KINDS = frozenset(DERIVATION_PROPERTIES)
#: Kinds that carry their original's content as it was published (so its date dates them).
_SAME_WORDS = frozenset({KG.SyndicatedCopy, KG.Digest, KG.Translation})
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def parse_published(cell: str) -> tuple[Literal, URIRef] | None:
    """A publication date cell as a typed literal and its precision, or None when malformed.

    >>> parse_published("2025-08")
    (rdflib.term.Literal('2025-08', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth')), rdflib.term.URIRef('http://www.w3.org/2006/time#unitMonth'))
    """
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
            return Literal(dt.date.fromisoformat(cell).isoformat(), datatype=XSD.date), TIME.unitDay
        if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", cell):
            return Literal(cell, datatype=XSD.gYearMonth), TIME.unitMonth
        if re.fullmatch(r"\d{4}", cell):
            return Literal(cell, datatype=XSD.gYear), TIME.unitYear
    except ValueError:
        return None
    return None


def published_order(text: str) -> tuple[int, str, str]:
    """A sort key for publication dates as given (``2025-08-21``, ``2025-08``, ``2025``, or
    ``""``): by the last day the date can be, so a report known only to the month comes after the
    dated reports of that month, and unknown dates come last.

    >>> sorted(["2025-08", "", "2025-08-21", "2025"], key=published_order)
    ['2025-08-21', '2025-08', '2025', '']
    """
    if not text:
        return (1, "", "")
    end = text if len(text) == 10 else f"{text}-31" if len(text) == 7 else f"{text}-12-31"
    return (0, end, text)


def text_sha256(path) -> str:
    """The hex SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class _SourceChecker:
    def __init__(self, out: Resolved, records: Records) -> None:
        self.out = out
        self.records = records
        self.project = records.project
        self.base = self.project.base
        self.onto = out.ontology
        self.issues: list[Issue] = []
        self.used: set[URIRef] = set()

    def error(self, code: str, message: str, position: Position, fix: str) -> None:
        self.issues.append(Issue(code, message, position, fix))

    def run(self) -> None:
        by_position = {s.position: s for s in self.out.sources.values()}
        for rec in self.records.sources:
            source = by_position.get(rec.position)
            if source is not None:
                self.out.sources[source.iri] = self.metadata(rec, source)
        self.derivation_cycles()
        for iri, source in self.out.sources.items():
            self.out.sources[iri] = dataclasses.replace(source, origin=self.origin(source),
                                                        dated_by=self.dated_by(source))

    def metadata(self, rec: SourceRecord, source: SourceData) -> SourceData:
        where = rec.position
        changes: dict[str, Any] = {}  # keyword arguments of dataclasses.replace: one type per field
        if rec.outlet:
            outlet = self.outlet(rec.outlet, where)
            if outlet is not None:
                changes["outlet"] = outlet
        if rec.published:
            parsed = parse_published(rec.published)
            if parsed is None:
                self.error("KG203", f"published {rec.published!r} is not a date", where,
                           "write YYYY-MM-DD, YYYY-MM or YYYY, as precisely as the source gives it "
                           "(leave it empty when unknown)")
            else:
                changes["published"], changes["precision"] = parsed
        if rec.language:
            if _LANGUAGE.match(rec.language):
                changes["language"] = rec.language.lower()
            else:
                self.error("KG307", f"language {rec.language!r} is not a BCP 47 tag", where,
                           "write a language tag such as en, es or pt-BR")
        if rec.url:
            if _URL.match(rec.url):
                changes["url"] = rec.url
            else:
                self.error("KG307", f"url {rec.url[:80]!r} is not an http(s) address", where,
                           "write the full address, starting with https:// (or leave it empty)")
        if rec.sha256:
            if _SHA256.match(rec.sha256):
                changes["sha256"] = rec.sha256.lower()
                self.check_hash(source, rec.sha256.lower(), where)
            else:
                self.error("KG307", "sha256 is not 64 hexadecimal digits", where,
                           "write the text's SHA-256 as kg add-source records it (sha256sum FILE), or leave it empty")
        kind = self.kind(rec.kind, where, source.type)
        changes["kind"] = kind
        derived = self.derived_from(rec, source, kind, where)
        changes["derived_from"] = derived
        return dataclasses.replace(source, **changes)

    def outlet(self, cell: str, where: Position) -> URIRef | None:
        if not is_id(cell):
            self.error("KG205", f"outlet {cell!r} is not an entity id", where,
                       "declare the outlet as an entity (kg:MediaOrganization, with the curator source "
                       "when it is known only from the masthead) and give its id here")
            return None
        iri = URIRef(self.base + cell)
        iri = self.out.merged.get(iri, iri)  # an outlet merged into another is that one
        entity = self.out.entities.get(iri)
        if entity is None:
            self.error("KG205", f"outlet {cell!r} is used but never declared", where,
                       f"add a row for {cell!r} (type kg:MediaOrganization) to an entities table")
            return None
        if not any(self.onto.is_subclass(t, KG.Organization) for t in entity.types):
            self.error("KG307", f"outlet {cell!r} is not an organisation", where,
                       "an outlet is an entity of a kind of kg:Organization (usually kg:MediaOrganization)")
            return None
        self.used.add(iri)
        return iri

    def kind(self, cell: str, where: Position, source_type: URIRef) -> URIRef | None:
        if not cell:  # the default, but a curator note or a dataset is no report
            return None if any(self.onto.is_subclass(source_type, t) for t in (KG.CuratorNote, KG.Dataset)) \
                else KG.OriginalReport
        concept = self.onto.concept(KG.SourceKindScheme, cell)
        if concept is None:
            self.error("KG307", f"unknown source kind {cell!r}", where,
                       "use one of: " + ", ".join(self.onto.scheme_notations(KG.SourceKindScheme)))
            return KG.OriginalReport
        return concept

    def derived_from(self, rec: SourceRecord, source: SourceData, kind: URIRef | None,
                     where: Position) -> tuple[URIRef, ...]:
        ids = [c.strip() for c in rec.derived_from.split("|") if c.strip()]
        notation = rec.kind or "original"
        if kind in DERIVED_KINDS and not ids:
            self.error("KG307", f"a {notation} source must say what it derives from", where,
                       "give the id of the source it copies, digests, translates or retells in derived_from "
                       "(a source row with an empty text_file will do for an article known only by its address)")
            return ()
        if ids and kind not in DERIVED_KINDS:
            self.error("KG307", f"derived_from is given, but the kind is {notation!r}", where,
                       "set kind to syndicated-copy, digest, translation or retelling, or empty derived_from")
            return ()
        out: list[URIRef] = []
        for ident in ids:
            iri = URIRef(self.base + ident) if is_id(ident) else None
            if iri is None or iri not in self.out.sources:
                known = ", ".join(sorted(str(i)[len(self.base):] for i in self.out.sources))
                self.error("KG307", f"derived_from {ident!r} is not a source", where,
                           f"use the id of a row of a sources table ({known})")
            elif iri == source.iri:
                self.error("KG307", f"source {rec.id!r} derives from itself", where,
                           "name the source it copies, digests, translates or retells")
            else:
                out.append(iri)
        return tuple(out)

    def check_hash(self, source: SourceData, expected: str, where: Position) -> None:
        if not source.text_file:
            return
        try:
            path = self.project.find_source_text(source.text_file)
        except UsageError:
            return  # a text_file leading out of the sources directories: KG305 says so
        if path is None:
            return  # KG901 says so when its quotes are checked
        actual = text_sha256(path)
        if actual != expected:
            self.issues.append(Issue(
                "KG905", f"source text changed since it was registered: {source.text_file} "
                         f"(sha256 {actual[:12]}..., registered {expected[:12]}...)", where,
                "check the quotes still hold (kg validate), then record the new sha256 (sha256sum FILE)",
                Severity.WARNING))

    def derivation_cycles(self) -> None:
        state: dict[URIRef, int] = {}  # 1: on the path, 2: done

        def visit(iri: URIRef, path: list[URIRef]) -> None:
            state[iri] = 1
            path.append(iri)
            for parent in self.out.sources[iri].derived_from:
                if state.get(parent) == 1:
                    cycle = path[path.index(parent):] + [parent]
                    names = " -> ".join(str(i)[len(self.base):] for i in cycle)
                    self.error("KG307", f"derivation goes round in a circle: {names}",
                               self.out.sources[iri].position,
                               "a copy, digest or retelling derives from an earlier report; fix derived_from")
                    source = self.out.sources[iri]
                    self.out.sources[iri] = dataclasses.replace(
                        source, derived_from=tuple(p for p in source.derived_from if p != parent))
                elif parent not in state:
                    visit(parent, path)
            path.pop()
            state[iri] = 2

        for iri in sorted(self.out.sources):
            if iri not in state:
                visit(iri, [])

    def dated_by(self, source: SourceData) -> URIRef | None:
        """The source whose publication date dates ``source``'s content: itself when dated, else
        along copies, digests and translations (which carry their original's words), never
        through a retelling (a retelling's date is its own, unknown)."""
        seen = {source.iri}
        while source.published is None:
            if source.kind not in _SAME_WORDS or not source.derived_from or source.derived_from[0] in seen:
                return None
            source = self.out.sources[source.derived_from[0]]
            seen.add(source.iri)
        return source.iri

    def origin(self, source: SourceData) -> URIRef | None:
        if self.onto.is_subclass(source.type, KG.CuratorNote):
            return None
        seen = {source.iri}
        while source.derived_from and source.derived_from[0] not in seen:
            source = self.out.sources[source.derived_from[0]]
            seen.add(source.iri)
        return source.outlet or source.iri


def check_sources(out: Resolved, records: Records) -> tuple[list[Issue], set[URIRef]]:
    """Fill in every source's metadata and origin in ``out.sources``; the issues found and the
    entities used as outlets."""
    checker = _SourceChecker(out, records)
    checker.run()
    return checker.issues, checker.used

"""Disputes: sources that give different values of a property with one value per subject.

The ontology types such properties ``kg:SingleValuedProperty`` (deaths, injuries, place, time,
perpetrator, aircraft type ...). When the claims for one subject give two values of one of them,
the sources disagree, and kg says so: a warning (KG906) naming every version with its rows, the
build report's disputes section, ``kg:Dispute`` nodes in the computed graph (the ``disputes``
saved question reads them), and each version with its sources in the property-graph view.

Not every difference is a dispute. One voice (a source, in its own voice or a claimant's) that
gives two places of one event says it happened in both: sources disagree only when different
voices give values that cannot both hold. A value that refines another is compatible with it: a town
inside the department another source names (``kg:locatedIn``), a faction of the group another
names (``kg:factionOf``, ``kg:dissidentFactionOf``, ``kg:memberOf``, ``kg:partOf``), a narrower
kind of equipment (``skos:broader``), and two times whose intervals overlap (an absolute date
inside an anchored "last week"). Numbers, dates and everything else differ when they differ.
Curator notes (external claims) take no part: they are not reporting.

Versions are in the order of their sources' publication (a source's content is dated by its own
date, or by its original's for a copy, digest or translation; a date known only to the month
comes after the days of that month; unknown dates last), so a figure that changed as the
reporting went on reads in the order it changed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.check.sources import published_order
from kg.errors import Issue, Severity
from kg.vocab import KG, RDF, SKOS

if TYPE_CHECKING:
    from kg.check.resolve import ClaimData, Resolved

__all__ = ["CONTAINMENT", "Dispute", "Version", "dispute_issues", "find_disputes", "single_valued"]

#: Properties along which one value refines another (the object contains the subject).
CONTAINMENT = frozenset({KG.locatedIn, KG.partOf, KG.factionOf, KG.dissidentFactionOf, KG.memberOf})
_DATES = frozenset({KG.date, KG.yearMonth, KG.year})
_HAS_TIME = KG.hasTime


@dataclass(frozen=True)
class Version:
    """One disputed value and the claims that give it, earliest published first."""

    value: Node
    claims: tuple  # ClaimData, earliest published first
    published: str  # the earliest publication date of its sources ("" when none is known)


@dataclass(frozen=True)
class Dispute:
    """A subject and a single-valued property with two or more versions."""

    subject: URIRef
    predicate: URIRef
    versions: tuple[Version, ...]


def single_valued(out: Resolved) -> frozenset[URIRef]:
    """The properties the ontology types kg:SingleValuedProperty."""
    return frozenset(p for p in out.ontology.graph.subjects(RDF.type, KG.SingleValuedProperty)
                     if isinstance(p, URIRef))


class _Refines:
    """Whether one value refines another, along containment links and the concept hierarchy."""

    def __init__(self, out: Resolved) -> None:
        self.out = out
        self._parents: dict[Node, set[Node]] | None = None
        self._intervals: dict[Node, tuple[str, str]] | None = None

    @property
    def parents(self) -> dict[Node, set[Node]]:
        if self._parents is None:
            parents: dict[Node, set[Node]] = defaultdict(set)
            for c in self.out.claims:
                if c.p in CONTAINMENT and isinstance(c.o, URIRef):
                    parents[c.s].add(c.o)
            for s, o in self.out.ontology.graph.subject_objects(SKOS.broader):
                parents[s].add(o)
            self._parents = parents
        return self._parents

    @property
    def intervals(self) -> dict[Node, tuple[str, str]]:
        """Time entity -> (first day, last day) as ISO text, where known."""
        if self._intervals is None:
            found: dict[Node, tuple[str, str]] = {}
            for c in self.out.claims:
                if c.p in _DATES and isinstance(c.o, Literal):
                    found.setdefault(c.s, _span(str(c.o)))
            for time, anchored in self.out.anchored.items():
                if anchored.interval is not None:
                    found.setdefault(time, (anchored.interval.start.isoformat(), anchored.interval.end.isoformat()))
            self._intervals = found
        return self._intervals

    def within(self, a: Node, b: Node) -> bool:
        seen, todo = {a}, [a]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent == b:
                    return True
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return False

    def compatible(self, p: URIRef, a: Node, b: Node) -> bool:
        if not isinstance(a, URIRef) or not isinstance(b, URIRef):
            return False
        qa, qb = self.out.quantities.get(a), self.out.quantities.get(b)
        if qa is not None and qb is not None:
            # "at least 8" and "exactly 12" can both be true; "exactly 8" and "exactly 12" cannot.
            # Words without a number ("dozens") bound nothing that can be compared.
            ra, rb = _range(qa), _range(qb)
            return ra is None or rb is None or not (ra[1] < rb[0] or rb[1] < ra[0])
        if p == _HAS_TIME:
            ia, ib = self.intervals.get(a), self.intervals.get(b)
            return ia is None or ib is None or not (ia[1] < ib[0] or ib[1] < ia[0])
        return self.within(a, b) or self.within(b, a)


def _range(q) -> tuple[float, float] | None:
    """The numbers a quantity allows, or None when it gives no number or only an estimate."""
    if q.value is None or q.bound == KG.Approximately:
        return None
    if q.bound == KG.AtLeast:
        return float(q.value), float("inf")
    if q.bound == KG.AtMost:
        return 0.0, float(q.value)
    return float(q.value), float(q.value)


def _span(value: str) -> tuple[str, str]:
    if len(value) == 10:
        return value, value
    if len(value) == 7:
        return f"{value}-01", f"{value}-31"
    return f"{value}-01-01", f"{value}-12-31"


def find_disputes(out: Resolved) -> list[Dispute]:
    """Every subject and single-valued property whose sources give incompatible values."""
    single = single_valued(out)
    groups: dict[tuple[URIRef, URIRef], dict[Node, list[ClaimData]]] = {}
    for c in out.claims:
        if c.p in single and not c.external:
            values = groups.get((c.s, c.p))
            if values is None:
                groups[(c.s, c.p)] = {c.o: [c]}
            elif c.o in values:
                values[c.o].append(c)
            else:
                values[c.o] = [c]
    refines = _Refines(out)
    published = {iri: str(out.sources[s.dated_by].published) if s.dated_by is not None else ""
                 for iri, s in out.sources.items()}

    def when(c: ClaimData) -> tuple[int, str, str]:
        return published_order(published.get(c.source, ""))

    disputes = []
    for (s, p), values in groups.items():
        if len(values) < 2:
            continue
        items = list(values)
        voices = {v: {(c.source, c.claimant) for c in claims} for v, claims in values.items()}
        if all(refines.compatible(p, a, b) or (len(voices[a]) == 1 and voices[a] == voices[b])
               for i, a in enumerate(items) for b in items[i + 1:]):
            continue
        versions = []
        for value, claims in values.items():
            ordered = tuple(sorted(claims, key=lambda c: (when(c), c.position)))
            versions.append(Version(value, ordered, published.get(ordered[0].source, "")))
        versions.sort(key=lambda v: (when(v.claims[0]), v.claims[0].position))
        disputes.append(Dispute(s, p, tuple(versions)))
    disputes.sort(key=lambda d: (d.versions[1].claims[0].position, str(d.subject), str(d.predicate)))
    return disputes


def dispute_issues(out: Resolved, disputes: list[Dispute], curie) -> list[Issue]:
    """One KG906 warning per dispute, at the first row of its second version, naming every row."""
    base = out.base

    def local(iri: Node) -> str:
        if isinstance(iri, Literal):
            return str(iri)
        if isinstance(iri, URIRef) and iri in out.quantities:
            return out.quantities[iri].label
        text = str(iri)
        return text[len(base):] if text.startswith(base) else curie(iri)

    issues = []
    for d in disputes:
        parts = []
        for v in d.versions:
            rows = "; ".join(f"{local(c.source)} at {c.position}" for c in v.claims)
            parts.append(f"{local(v.value)} ({rows})")
        issues.append(Issue(
            "KG906", f"sources disagree on {curie(d.predicate)} of {local(d.subject)}: " + " | ".join(parts),
            d.versions[1].claims[0].position,
            "nothing to fix when the sources really differ: every version is kept with its source "
            "(kg query disputes); if one row is a curation mistake, correct it",
            Severity.WARNING))
    return issues

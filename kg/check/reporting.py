"""The checks of a body of reporting, run by :func:`kg.check.resolve` once every row is resolved:

1. identity: the entities a curator says are one are merged (:mod:`kg.check.identity`);
2. sources: outlet, publication date, language, kind, derivation, text hash and each source's
   independent origin (:mod:`kg.check.sources`);
3. relative times anchored to their source's publication date (:mod:`kg.check.anchoring`);
4. likely duplicate entities (:mod:`kg.check.duplicates`);
5. disputes between sources (:mod:`kg.check.disputes`).

Terms that only the build computes (``kg:origin``, ``kg:anchoredStart``, ``kg:Dispute`` ...) are
refused in the tables (KG209): they are never typed in by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rdflib import URIRef

from kg.check.anchoring import anchor_times
from kg.check.disputes import dispute_issues, find_disputes
from kg.check.duplicates import duplicate_issues, find_duplicates
from kg.check.identity import apply_identity
from kg.check.sources import check_sources
from kg.errors import Issue
from kg.load import Records
from kg.vocab import KG

if TYPE_CHECKING:
    from kg.check.resolve import Resolved

__all__ = ["COMPUTED_TERMS", "check_reporting"]

#: Terms written only by the build, in the computed graph.
COMPUTED_TERMS = frozenset({
    KG.origin, KG.datedBy, KG.Dispute, KG.disputedSubject, KG.disputedProperty, KG.version, KG.versionRank,
    KG.anchorSource, KG.anchorDate, KG.anchoredStart, KG.anchoredEnd, KG.anchoredPrecision,
})


def check_reporting(out: Resolved, records: Records, curie: Callable[[URIRef], str]) -> tuple[list[Issue], set[URIRef]]:
    """Run the checks above on ``out`` (which they complete in place: merged entities, source
    metadata, anchored times, duplicates, disputes); the issues found and the entities used
    (as outlets)."""
    issues, distinct = apply_identity(out)
    found, used = check_sources(out, records)
    issues += found
    out.anchored = anchor_times(out)
    out.duplicates = find_duplicates(out, distinct)
    issues += duplicate_issues(out, out.duplicates)
    out.disputes = find_disputes(out)
    issues += dispute_issues(out, out.disputes, curie)
    return issues, used

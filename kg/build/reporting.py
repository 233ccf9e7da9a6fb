"""The build's part of a body of reporting: sources' metadata, and the computed graph.

* **Sources** (default graph): ``kg:outlet``, ``kg:published`` with ``kg:publishedPrecision``,
  ``dcterms:language``, ``schema:url``, ``kg:sourceKind``, ``kg:textSha256``, and what a source
  derives from as ``kg:copyOf`` / ``kg:digestOf`` / ``kg:translationOf`` / ``kg:retellingOf``
  (sub-properties of ``prov:wasDerivedFrom``), chosen by its kind.
* **The computed graph** (``<base>graph/computed``): what kg build computes from the data, kept
  apart from what any source says:

  - each source's independent origin (``kg:origin``: the outlet of the first report its
    derivation leads to, or that report), which corroboration counts;
  - the source whose publication date dates each source's content (``kg:datedBy``: itself, or
    the original of a copy, digest or translation), so ``?source kg:datedBy/kg:published ?date``;
  - each relative time anchored to its source's publication date (``kg:anchoredStart``,
    ``kg:anchoredEnd``, ``kg:anchoredPrecision``, ``kg:anchorSource``, ``kg:anchorDate``);
  - each dispute (``kg:Dispute`` with ``kg:disputedSubject``, ``kg:disputedProperty`` and one
    ``kg:version`` per claim giving a disputed value, each claim with its ``kg:versionRank`` in
    the order of the reports' publication).

In SPARQL, the number of independent sources behind each statement is::

    SELECT ?s ?p ?o (COUNT(DISTINCT ?origin) AS ?independent) WHERE {
      ?claim a kg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:source ?source .
      ?source kg:origin ?sourceOrigin .
      OPTIONAL { ?claim kg:reportedVia ?via }
      BIND (COALESCE(?via, ?sourceOrigin) AS ?origin)
    } GROUP BY ?s ?p ?o

(a quote a source relays, "told Intelligence Online", counts as that outlet's reporting).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import URIRef

from kg.check import Resolved, SourceData
from kg.check.anchoring import UNITS
from kg.check.sources import DERIVATION_PROPERTIES
from kg.ntriples import literal_n3, term_n3
from kg.vocab import DCTERMS, KG, RDF, SCHEMA, XSD

__all__ = ["Corroboration", "computed_triples", "corroboration", "dispute_iri", "source_pairs"]

Iri = Callable[[URIRef], str]


def source_pairs(source: SourceData, iri: Iri) -> list[tuple[str, str]]:
    """The (predicate, object) pairs of a source's metadata, N-Triples terms."""
    pairs: list[tuple[str, str]] = []
    if source.outlet is not None:
        pairs.append((iri(KG.outlet), iri(source.outlet)))
    if source.published is not None:
        pairs.append((iri(KG.published), term_n3(source.published)))
        if source.precision is not None:  # set with every publication date
            pairs.append((iri(KG.publishedPrecision), iri(source.precision)))
    if source.language:
        pairs.append((iri(DCTERMS.language), literal_n3(source.language, str(XSD.language))))
    if source.url:
        pairs.append((iri(SCHEMA.url), literal_n3(source.url, str(XSD.anyURI))))
    if source.kind is not None:
        pairs.append((iri(KG.sourceKind), iri(source.kind)))
    if source.sha256:
        pairs.append((iri(KG.textSha256), literal_n3(source.sha256)))
    derivation = DERIVATION_PROPERTIES.get(source.kind) if source.kind is not None else None
    if derivation is not None:
        pairs.extend((iri(derivation), iri(parent)) for parent in source.derived_from)
    return pairs


def dispute_iri(base: str, subject: URIRef, predicate: URIRef) -> URIRef:
    """The IRI of the dispute over ``subject``'s ``predicate`` (stable: a hash of the two)."""
    digest = hashlib.sha1(f"{subject}\x1f{predicate}".encode()).hexdigest()[:16]
    return URIRef(f"{base}dispute/{digest}")


def computed_triples(resolved: Resolved, iri: Iri) -> list[tuple[str, str, str]]:
    """The computed graph's triples: origins, anchored times and disputes."""
    out: list[tuple[str, str, str]] = []
    origin = iri(KG.origin)
    dated_by = iri(KG.datedBy)
    for source in resolved.sources.values():
        if source.origin is not None:
            out.append((iri(source.iri), origin, iri(source.origin)))
        if source.dated_by is not None:
            out.append((iri(source.iri), dated_by, iri(source.dated_by)))
    for time, anchored in resolved.anchored.items():
        if anchored.anchor is None:
            continue
        t = iri(time)
        out.append((t, iri(KG.anchorSource), iri(anchored.anchor)))
        out.append((t, iri(KG.anchorDate), term_n3(anchored.anchor_date)))
        if anchored.interval is not None:
            date = str(XSD.date)
            out.append((t, iri(KG.anchoredStart), literal_n3(anchored.interval.start.isoformat(), date)))
            out.append((t, iri(KG.anchoredEnd), literal_n3(anchored.interval.end.isoformat(), date)))
            out.append((t, iri(KG.anchoredPrecision), iri(UNITS[anchored.interval.unit])))
    a, dispute = iri(RDF.type), iri(KG.Dispute)
    for d in resolved.disputes:
        rank = 0
        node = iri(dispute_iri(resolved.base, d.subject, d.predicate))
        out.append((node, a, dispute))
        out.append((node, iri(KG.disputedSubject), iri(d.subject)))
        out.append((node, iri(KG.disputedProperty), iri(d.predicate)))
        for version in d.versions:
            for c in version.claims:
                rank += 1
                out.append((node, iri(KG.version), iri(c.iri)))
                out.append((iri(c.iri), iri(KG.versionRank), literal_n3(str(rank), str(XSD.integer))))
    return out


@dataclass(frozen=True)
class Corroboration:
    """Independent origins behind each statement (subject, predicate, object), and its claims."""

    origins: dict[tuple, set[URIRef]]
    claims: dict[tuple, list]

    def count(self, triple: tuple) -> int:
        """How many independent sources stand behind one statement (0: curator notes only)."""
        return len(self.origins.get(triple, ()))

    def histogram(self) -> dict[int, int]:
        """Number of independent sources -> how many statements have that many."""
        out: dict[int, int] = {}
        for origins in self.origins.values():
            out[len(origins)] = out.get(len(origins), 0) + 1
        return dict(sorted(out.items()))


def corroboration(resolved: Resolved) -> Corroboration:
    """Count, for every statement, the independent origins of the claims behind it: the origin of
    each claim's source, or the outlet it was relayed through (``kg:reportedVia``)."""
    origin_of = {iri: s.origin for iri, s in resolved.sources.items()}
    origins: dict[tuple, set[URIRef]] = {}
    claims: dict[tuple, list] = {}
    for c in resolved.claims:
        origin = c.via if c.via is not None else origin_of.get(c.source)
        key = (c.s, c.p, c.o)
        bucket = origins.get(key)
        if bucket is None:
            bucket = origins[key] = set()
            claims[key] = [c]
        else:
            claims[key].append(c)
        if origin is not None:
            bucket.add(origin)
    return Corroboration(origins, claims)

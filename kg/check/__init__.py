"""Check: resolve every record against the ontology and the dataset, collecting issues.

:func:`resolve` turns :class:`~kg.load.Records` into :class:`Resolved` data (IRIs, typed literals,
claims with their provenance, quantities with their bounds) and an :class:`~kg.errors.Issue` for
every cell it cannot resolve. :mod:`kg.check.bounds` is the lint that a count recorded as exact is
exact in its quote (KG306). No graph is needed: SHACL runs later, on the built dataset
(:mod:`kg.shapes`).

The checks of a body of reporting (:mod:`kg.check.reporting`) run at the end of :func:`resolve`:
identity merges (:mod:`kg.check.identity`), source metadata and origins (:mod:`kg.check.sources`),
relative times anchored to publication dates (:mod:`kg.check.anchoring`), likely duplicates
(:mod:`kg.check.duplicates`) and disputes (:mod:`kg.check.disputes`).
"""

from kg.check.resolve import ClaimData, EntityData, QuantityData, Resolved, SourceData, quantity_iri, resolve

__all__ = ["ClaimData", "EntityData", "QuantityData", "Resolved", "SourceData", "quantity_iri", "resolve"]

"""Check: resolve every record against the ontology and the dataset, collecting issues.

:func:`resolve` turns :class:`~kg.load.Records` into :class:`Resolved` data (IRIs, typed literals,
claims with their provenance) and an :class:`~kg.errors.Issue` for every cell it cannot resolve.
No graph is needed: SHACL runs later, on the built dataset (:mod:`kg.shapes`).

The checks of a body of reporting (:mod:`kg.check.reporting`) run at the end of :func:`resolve`:
identity merges (:mod:`kg.check.identity`), source metadata and origins (:mod:`kg.check.sources`),
relative times anchored to publication dates (:mod:`kg.check.anchoring`), likely duplicates
(:mod:`kg.check.duplicates`) and disputes (:mod:`kg.check.disputes`).
"""

from kg.check.resolve import ClaimData, EntityData, Resolved, SourceData, resolve

__all__ = ["ClaimData", "EntityData", "Resolved", "SourceData", "resolve"]

"""Check: resolve every record against the ontology and the dataset, collecting issues.

:func:`resolve` turns :class:`~kg.load.Records` into :class:`Resolved` data (IRIs, typed literals,
claims with their provenance) and an :class:`~kg.errors.Issue` for every cell it cannot resolve.
No graph is needed: SHACL runs later, on the built dataset (:mod:`kg.shapes`).
"""

from kg.check.resolve import ClaimData, EntityData, Resolved, SourceData, resolve

__all__ = ["ClaimData", "EntityData", "Resolved", "SourceData", "resolve"]

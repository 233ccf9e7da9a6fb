"""Validate: record checks, then SHACL, into one :class:`~kg.errors.Report`.

``validate(records)`` never raises on bad data: it returns the report; ``report.ok`` says
whether the data may be built.
"""

from __future__ import annotations

from kg.errors import Report
from kg.load import Records
from kg.validate.records import ClaimData, EntityData, Resolved, SourceData, resolve
from kg.validate.shacl import shacl_issues_quads

__all__ = ["ClaimData", "EntityData", "Resolved", "SourceData", "resolve", "validate"]


def validate(records: Records, *, shacl: bool = True) -> Report:
    """Run every record check and, when they pass, the SHACL shapes."""
    from kg.build import build_quads  # build depends on validate.records, not on this module

    resolved = resolve(records)
    report = Report(issues=list(resolved.issues), files=len(records.files))
    if report.ok and shacl:
        report.extend(shacl_issues_quads(build_quads(records), resolved))
    return report

"""Build: checked records -> one immutable :class:`Built` dataset.

:func:`build` is a pure function: the same records give an equal value, and nothing is kept on
the records. It runs the record checks (:func:`kg.check.resolve`) and raises
:class:`~kg.errors.ValidationFailed` when they fail, so invalid data never yields a dataset.
"""

from __future__ import annotations

from kg.build.built import Built, GraphNames, graph_names
from kg.build.from_records import from_resolved
from kg.build.quads import DEFAULT, Quads, QuadsBuilder
from kg.check import Resolved, resolve
from kg.errors import Report, ValidationFailed
from kg.load import Records

__all__ = ["DEFAULT", "Built", "GraphNames", "Quads", "QuadsBuilder", "build", "checked", "from_resolved",
           "graph_names"]


def checked(records: Records) -> Resolved:
    """The resolved records, or :class:`ValidationFailed` when a record check fails."""
    resolved = resolve(records)
    report = Report(issues=list(resolved.issues), files=len(records.files))
    if not report.ok:
        raise ValidationFailed(report)
    return resolved


def build(records: Records) -> Built:
    """Check the records (record checks only; SHACL is :func:`kg.validate`) and build them.

    Raises :class:`~kg.errors.ValidationFailed` when a record check fails.
    """
    return from_resolved(checked(records), records.project.prefixes)

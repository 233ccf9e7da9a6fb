"""Shapes: SHACL on a built dataset, each result mapped back to the row that caused it.

:mod:`kg.shapes.engine` is kg's compiled validator; :mod:`kg.shapes.issues` runs it (or pySHACL)
and turns results into :class:`~kg.errors.Issue` values with their file:line.
"""

from kg.shapes.issues import ENGINES, pyshacl_results, shacl_issues, shacl_issues_quads, shacl_results, shacl_run

__all__ = ["ENGINES", "pyshacl_results", "shacl_issues", "shacl_issues_quads", "shacl_results", "shacl_run"]

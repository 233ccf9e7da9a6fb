"""Load: read a dataset directory into :class:`Records`, each row keeping its file:line.

Every ``*.csv`` table (sources, entities, statements) and every RDF file (``.ttl``, ``.nt``,
``.jsonld``, ``.rdf``, ``.owl``) in the directory is read, in sorted order. Files that cannot be
parsed raise :class:`kg.errors.LoadError`; malformed rows are collected in ``Records.issues``.
"""

from __future__ import annotations

from kg.errors import Issue, LoadError
from kg.load.files import data_files, read_file
from kg.load.records import EntityRecord, RdfTriple, Records, SourceRecord, StatementRecord
from kg.load.tables import TABLE_KINDS, is_id
from kg.project import Project

__all__ = [
    "EntityRecord",
    "RdfTriple",
    "Records",
    "SourceRecord",
    "StatementRecord",
    "TABLE_KINDS",
    "data_files",
    "is_id",
    "load",
    "read_file",
]


def load(project: Project) -> Records:
    """Read every table and RDF file of the project's data directory."""
    records = Records(project=project)
    problems: list[Issue] = []
    for path in data_files(project):
        shown = project.display(path)
        records.files.append(shown)
        try:
            read_file(path, records, shown)
        except LoadError as exc:
            problems.extend(exc.issues)
    if problems:
        raise LoadError(problems)
    return records

"""Load: read a dataset directory into :class:`Records`, each row keeping its file:line.

Every ``*.csv`` table (sources, entities, statements) and every RDF file (``.ttl``, ``.nt``,
``.jsonld``, ``.rdf``, ``.owl``) in the directory is read, in sorted order. Files that cannot be
parsed raise :class:`kg.errors.LoadError`; malformed rows are collected in ``Records.issues``.
"""

from __future__ import annotations

import re

from kg.errors import Issue, LoadError
from kg.load.rdf_files import RDF_SUFFIXES, read_rdf_file
from kg.load.records import EntityRecord, RdfTriple, Records, SourceRecord, StatementRecord
from kg.load.tables import TABLE_KINDS, is_id, read_table
from kg.project import Project

__all__ = [
    "EntityRecord",
    "RdfTriple",
    "Records",
    "SourceRecord",
    "StatementRecord",
    "TABLE_KINDS",
    "is_id",
    "load",
]


def load(project: Project) -> Records:
    """Read every table and RDF file of the project's data directory."""
    records = Records(project=project)
    problems: list[Issue] = []
    paths = sorted(p for p in project.data_dir.iterdir() if p.is_file())
    for path in paths:
        suffix = path.suffix.lower()
        if suffix != ".csv" and suffix not in RDF_SUFFIXES:
            continue
        shown = project.display(path)
        records.files.append(shown)
        try:
            if suffix == ".csv":
                read_table(path, records, shown)
            else:
                source_id = "file-" + re.sub(r"[^A-Za-z0-9_.-]", "-", path.name)
                read_rdf_file(path, records, shown, source_id)
        except LoadError as exc:
            problems.extend(exc.issues)
    if problems:
        raise LoadError(problems)
    return records

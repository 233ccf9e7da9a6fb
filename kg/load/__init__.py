"""Load: read a dataset directory into :class:`Records`, each row keeping its file:line.

Every ``*.csv`` table (sources, entities, statements) and every RDF file (``.ttl``, ``.nt``,
``.jsonld``, ``.rdf``, ``.owl``) in the directory is read, in sorted order. Files that cannot be
parsed raise :class:`kg.errors.LoadError`; malformed rows are collected in ``Records.issues``.
"""

from __future__ import annotations

import re
from pathlib import Path

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
    "data_files",
    "is_id",
    "load",
    "read_file",
]


def data_files(project: Project) -> list[Path]:
    """The files of the data directory kg reads (tables and RDF files), sorted."""
    return sorted(p for p in project.data_dir.iterdir()
                  if p.is_file() and (p.suffix.lower() == ".csv" or p.suffix.lower() in RDF_SUFFIXES))


def read_file(path: Path, records: Records, shown: str) -> None:
    """Read one table or RDF file into ``records`` (raises LoadError when it cannot be parsed)."""
    if path.suffix.lower() == ".csv":
        read_table(path, records, shown)
    else:
        read_rdf_file(path, records, shown, "file-" + re.sub(r"[^A-Za-z0-9_.-]", "-", path.name))


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

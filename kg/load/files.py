"""Which files of a dataset directory kg reads, and the reader for each."""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import Issue, LoadError, Position
from kg.load.rdf_files import RDF_SUFFIXES, read_rdf_file
from kg.load.records import Records
from kg.load.tables import read_table
from kg.project import Project, is_inside

__all__ = ["data_files", "read_file"]


def data_files(project: Project) -> list[Path]:
    """The files of the data directory kg reads (tables and RDF files), sorted."""
    return sorted(p for p in project.data_dir.iterdir()
                  if p.is_file() and (p.suffix.lower() == ".csv" or p.suffix.lower() in RDF_SUFFIXES))


def read_file(path: Path, records: Records, shown: str) -> None:
    """Read one table or RDF file into ``records`` (raises LoadError when it cannot be parsed, or
    when it is a symbolic link leading out of the dataset directory: that is never read)."""
    if path.is_symlink() and not is_inside(path, path.parent):
        raise LoadError(Issue("KG101", "a symbolic link leading out of the dataset directory; kg reads only "
                                       "files inside the dataset", Position(shown),
                              fix="copy the file into the dataset directory instead of linking to it"))
    if path.suffix.lower() == ".csv":
        read_table(path, records, shown)
    else:
        read_rdf_file(path, records, shown, "file-" + re.sub(r"[^A-Za-z0-9_.-]", "-", path.name))

"""What a dataset already knows, as curation needs it: its entities with their names (label and
aliases), its sources, and every id in use.

Read from the CSV tables as they are written (no checks, and any sources columns: the old
``publisher``/``publication_date`` or first-class sources' ``outlet``/``published``), so it works
on a dataset that does not validate yet: that is when an analyst is curating it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.curate.tables import read_rows
from kg.errors import UsageError
from kg.project import Project
from kg.text import fold_name

__all__ = ["Known", "KnownEntity", "KnownSource", "known_of", "read_tables", "slug", "table_kind", "unique_id"]

_LANG_TAG = re.compile(r"^(.*\S)@([a-zA-Z]{2,3}(?:-[A-Za-z0-9]{1,8})*)$", re.S)
_NAME_PREDICATES = ("skos:altLabel", "rdfs:label")


@dataclass
class KnownEntity:
    """An entity of the dataset: its id, classes (CURIEs), label and aliases."""

    id: str
    types: tuple[str, ...]
    label: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""

    @property
    def names(self) -> list[str]:
        """The label, then the aliases (each once)."""
        out: list[str] = []
        for name in (self.label, *self.aliases):
            if name and name not in out:
                out.append(name)
        return out


@dataclass(frozen=True)
class KnownSource:
    """A source of the dataset, as its row gives it."""

    id: str
    type: str
    label: str
    text_file: str = ""
    published: str = ""
    language: str = ""
    outlet: str = ""


@dataclass
class Known:
    """A dataset's entities, sources and ids, with name look-up."""

    project: Project
    entities: dict[str, KnownEntity] = field(default_factory=dict)
    sources: dict[str, KnownSource] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)

    def by_name(self, name: str) -> list[KnownEntity]:
        """Entities whose id, label or an alias is ``name`` (ignoring case, accents, punctuation)."""
        if name in self.entities:
            return [self.entities[name]]
        folded = fold_name(name)
        if not folded:
            return []
        return [e for _, e in sorted(self.entities.items())
                if any(fold_name(n) == folded for n in e.names)]

    def curator_source(self) -> str | None:
        """The id of the dataset's first kg:CuratorNote source, if it has one."""
        for source_id, source in sorted(self.sources.items()):
            if source.type in ("kg:CuratorNote",):
                return source_id
        return None


def table_kind(path: Path, header: list[str]) -> str:
    """``sources``, ``entities``, ``statements`` or ``""``: what a CSV table holds, by its header."""
    columns = set(header)
    if {"subject", "predicate", "object"} <= columns:
        return "statements"
    if not {"id", "type", "label"} <= columns:
        return ""
    if columns & {"text_file", "sha256", "outlet", "published", "publisher", "publication_date", "url"}:
        return "sources"
    if columns & {"description", "source", "quote", "claimant"}:
        return "entities"
    return "sources" if path.name.lower().startswith("sources") else "entities"


def read_tables(data_dir: Path) -> dict[str, list[tuple[Path, int, dict[str, str]]]]:
    """Every row of the dataset's CSV tables by kind, with its file and line (files that cannot be
    read are skipped: ``kg validate`` reports them)."""
    out: dict[str, list[tuple[Path, int, dict[str, str]]]] = {"sources": [], "entities": [], "statements": []}
    for path in sorted(data_dir.glob("*.csv")):
        try:
            header, rows = read_rows(path, lines=True)
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
        kind = table_kind(path, header)
        if kind:
            out[kind].extend((path, line, {k: (v or "").strip() for k, v in row.items()}) for line, row in rows)
    return out


def known_of(project: Project, tables: dict[str, list[tuple[Path, int, dict[str, str]]]] | None = None) -> Known:
    """Index a dataset's tables (``tables``: rows as :func:`read_tables` gives them, to index only
    some of the tables; by default every table of the dataset)."""
    tables = read_tables(project.data_dir) if tables is None else tables
    known = Known(project=project)
    for _, _, row in tables["sources"]:
        ident = row.get("id", "")
        if not ident:
            continue
        known.ids.add(ident)
        known.sources.setdefault(ident, KnownSource(
            ident, row.get("type", ""), row.get("label", ""), row.get("text_file", ""),
            row.get("published", "") or row.get("publication_date", ""), row.get("language", ""),
            row.get("outlet", "") or row.get("publisher", ""),
        ))
    for _, _, row in tables["entities"]:
        ident = row.get("id", "")
        if not ident:
            continue
        known.ids.add(ident)
        if ident not in known.entities:
            types = tuple(t.strip() for t in row.get("type", "").split("|") if t.strip())
            known.entities[ident] = KnownEntity(ident, types, row.get("label", ""),
                                                description=row.get("description", ""))
    for _, _, row in tables["statements"]:
        if row.get("predicate") in _NAME_PREDICATES and row.get("subject") in known.entities:
            match = _LANG_TAG.match(row.get("object", ""))
            name = match.group(1) if match else row.get("object", "")
            entity = known.entities[row["subject"]]
            if name and name not in entity.aliases and name != entity.label:
                entity.aliases.append(name)
    return known


def slug(text: str, *, limit: int = 40) -> str:
    """A local id made from a name: folded to ASCII, lower case, words joined by ``-``
    ("Meganoticias (México)" -> ``meganoticias-mexico``); ``x`` when nothing is left."""
    words = fold_name(text).split()
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit and out:
            break
        out = candidate[:limit]
    if not out or not out[0].isalpha():
        out = "x-" + out if out else "x"
    return out


def unique_id(base: str, taken: set[str] | frozenset[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... the first not in ``taken``."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9_.-]*$", base):
        raise UsageError(f"{base!r} is not an id: ids start with a letter and use letters, digits, '_', '-', '.'")
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"

"""The record cache: each input file's parsed rows, kept as JSON data keyed by the file's content.

A rebuild after editing one table re-reads only that table (an unchanged RDF file of a million
triples is not parsed again). An entry is plain JSON (records as objects, RDF terms as
N-Triples text): reading one never runs code, and an entry that is corrupt, truncated or of
another shape is a miss (the file is read again), never an error. Entries are written only
after a successful build (:meth:`CacheUpdate.save`), and a failure to write them (a full disk)
is a warning, not a failed build.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, fields
from importlib.metadata import version
from pathlib import Path
from typing import Any

from kg.errors import Issue, LoadError, Position, Severity
from kg.load.files import data_files, read_file
from kg.load.records import EntityRecord, RdfTriple, Records, SourceRecord, StatementRecord
from kg.ntriples import parse_term, term_n3
from kg.project import Project

__all__ = ["CACHE_VERSION", "CacheUpdate", "load_cached"]

#: Bump when Records or the readers change, so old cache entries are ignored.
CACHE_VERSION = "4"
_SUFFIX = ".json"
_ROWS = (("sources", SourceRecord), ("entities", EntityRecord), ("statements", StatementRecord))


@dataclass
class CacheUpdate:
    """What :func:`load_cached` found missing or stale, to write after a successful build."""

    cache_dir: Path
    used: set[str] = field(default_factory=set)
    pending: list[tuple[Path, bytes]] = field(default_factory=list)

    def save(self) -> list[str]:
        """Write the missing entries and drop unused ones; returns warnings (never raises OSError)."""
        problems = []
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            for entry, data in self.pending:
                tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
                try:
                    tmp.write_bytes(data)
                    os.replace(tmp, entry)
                finally:
                    tmp.unlink(missing_ok=True)
            for stale in self.cache_dir.iterdir():
                if stale.name not in self.used:
                    stale.unlink(missing_ok=True)
        except OSError as exc:
            problems.append(f"the record cache in {self.cache_dir} was not updated ({exc.strerror or exc}); "
                            f"the next build reads every file again")
        return problems


def _position(value: Any) -> Position:
    file, line = value
    if not isinstance(file, str) or not isinstance(line, int):
        raise ValueError("bad position")
    return Position(file, line)


def _record(cls: type, data: dict[str, Any]) -> Any:
    values = {f.name: data[f.name] for f in fields(cls)}
    values["position"] = _position(values["position"])
    if not all(isinstance(v, str) for k, v in values.items() if k != "position"):
        raise ValueError("bad cell")
    return cls(**values)


def _encode(part: Records) -> bytes:
    def row(record: Any) -> dict[str, Any]:
        data = {f.name: getattr(record, f.name) for f in fields(record)}
        data["position"] = [record.position.file, record.position.line]
        return data

    doc: dict[str, list[Any]] = {name: [row(r) for r in getattr(part, name)] for name, _ in _ROWS}
    doc["rdf_triples"] = [[term_n3(t.s), term_n3(t.p), term_n3(t.o), t.position.file, t.position.line, t.source]
                          for t in part.rdf_triples]
    doc["issues"] = [[i.code, i.message, i.position.file, i.position.line, i.fix, i.severity.value]
                     for i in part.issues]
    return json.dumps(doc, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _decode(data: bytes, into: Records) -> None:
    """Add an entry's records to ``into``; ValueError (or KeyError/TypeError) when malformed."""
    doc = json.loads(data)
    part = Records(project=into.project)
    for name, cls in _ROWS:
        getattr(part, name).extend(_record(cls, d) for d in doc[name])
    for s, p, o, file, line, source in doc["rdf_triples"]:
        part.rdf_triples.append(RdfTriple(parse_term(s), parse_term(p), parse_term(o), Position(file, line), source))
    for code, message, file, line, fix, severity in doc["issues"]:
        part.issues.append(Issue(code, message, Position(file, line), fix, Severity(severity)))
    for name in ("sources", "entities", "statements", "rdf_triples", "issues"):
        getattr(into, name).extend(getattr(part, name))


def load_cached(project: Project, cache_dir: Path) -> tuple[Records, CacheUpdate]:
    """:func:`kg.load`, reusing each file's parsed rows from ``cache_dir`` when the file's bytes
    (and its name, and kg's version) are unchanged. Returns the records and the cache entries
    to write once the build has succeeded."""
    records = Records(project=project)
    update = CacheUpdate(cache_dir)
    problems: list[Issue] = []
    for path in data_files(project):
        shown = project.display(path)
        records.files.append(shown)
        digest = hashlib.sha256(f"{CACHE_VERSION}\0{version('kg')}\0{shown}\0".encode())
        with open(path, "rb") as handle:  # streamed: a large input is never held whole for its hash
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        entry = cache_dir / f"{digest.hexdigest()}{_SUFFIX}"
        update.used.add(entry.name)
        if entry.is_file() and not entry.is_symlink():
            try:
                _decode(entry.read_bytes(), records)
                continue
            except (OSError, ValueError, KeyError, TypeError, IndexError):
                pass  # a corrupt or foreign entry is a miss: read the file again
        part = Records(project=project)
        try:
            read_file(path, part, shown)
        except LoadError as exc:
            problems.extend(exc.issues)
            continue
        update.pending.append((entry, _encode(part)))
        for name in ("sources", "entities", "statements", "rdf_triples", "issues"):
            getattr(records, name).extend(getattr(part, name))
    if problems:
        raise LoadError(problems)
    return records, update

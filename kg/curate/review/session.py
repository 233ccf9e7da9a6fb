"""The review of one source's draft, without HTTP: what ``kg curate``'s page asks and changes.

Every change is saved at once: a row accepted is validated with the checks of ``kg validate``
(the same messages, each at the file:line the row will have) and, when it has no error,
appended to its table atomically (:mod:`kg.curate.tables`); a row edited, accepted or rejected
is saved in the drafts file at once (written atomically too). Each change is pushed on a history
kept in the drafts file, so the last change can be undone even after a restart: undoing an
accepted row removes exactly the lines it added, and only if the table still ends with them
(someone else's later edit is never thrown away).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
import tempfile
import threading
from pathlib import Path

from kg.build import from_resolved
from kg.check import resolve
from kg.curate.draft import draft_path, read_draft
from kg.curate.known import known_of, slug, unique_id
from kg.curate.tables import HEADERS, csv_text, dataset_lock, digest, table_path
from kg.errors import Issue, KgError, LoadError, UsageError
from kg.load import load
from kg.ontology import load_ontology
from kg.output.files import write_atomic
from kg.project import Project
from kg.shapes import shacl_issues_quads
from kg.text import normalise_quote
from kg.vocab import KG

__all__ = ["ReviewSession"]

_EDITABLE = {"entities": HEADERS["entities"], "statements": HEADERS["statements"]}
MAX_CELL = 10_000


def _curie(prefixes: dict[str, str], iri: str) -> str:
    for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if prefix != "data" and iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def _validate(records) -> list[Issue]:
    """What ``kg validate`` reports: the record checks, then (when they pass) the SHACL shapes.
    (The steps of :func:`kg.pipeline.validate`, which curation, a consumer, may not import.)"""
    resolved = resolve(records)
    issues = list(resolved.issues)
    if not any(i.severity.value == "error" for i in issues):
        built = from_resolved(resolved, records.project.prefixes)
        issues.extend(shacl_issues_quads(built.quads, resolved))
    return sorted(set(issues), key=lambda i: (i.position, i.code, i.message))


class ReviewSession:
    """One source under review: its text, its draft, and the dataset's tables."""

    def __init__(self, project: Project, source_id: str) -> None:
        self.project = project
        self.source_id = source_id
        self.path = draft_path(project, source_id)
        if not self.path.is_file():
            raise UsageError(f"no draft for {source_id!r} ({project.display(self.path)}); "
                             f"run kg draft {source_id} first")
        self.lock = threading.Lock()
        read_draft(self.path)
        known = known_of(project)
        source = known.sources.get(source_id)
        if source is None:
            raise UsageError(f"no source has the id {source_id!r}")
        text_path = project.find_source_text(source.text_file) if source.text_file else None
        if text_path is None:
            raise UsageError(f"the text of {source_id!r} is not on the sources path; pass --sources DIR")
        self.text = text_path.read_bytes().decode("utf-8-sig")

    # -- reading ------------------------------------------------------------------------
    def draft(self) -> dict:
        """The drafts file as data."""
        return read_draft(self.path)

    def state(self) -> dict:
        """Everything the page shows: the text, the draft, the entities and ontology terms to
        complete with, and what can be undone."""
        draft = self.draft()
        known = known_of(self.project)
        onto = load_ontology(self.project.ontology_dir)
        prefixes = self.project.prefixes
        entities = [{"id": e.id, "label": e.label, "types": list(e.types), "aliases": e.aliases}
                    for e in sorted(known.entities.values(), key=lambda e: e.id)]
        classes = sorted(_curie(prefixes, str(c)) for c in onto.classes)
        properties = sorted(_curie(prefixes, str(p)) for p in onto.properties)
        concepts = sorted(_curie(prefixes, str(c)) for c in onto.concepts)
        labels = {}
        for term in list(onto.classes) + list(onto.properties) + list(onto.concepts):
            labels[_curie(prefixes, str(term))] = onto.label(term)
        history = draft.get("history", [])
        return {
            "source": draft["source"], "text": self.text, "sentences": draft["sentences"],
            "mentions": draft["mentions"], "times": draft.get("times", []), "rows": draft["rows"],
            "entities": entities, "sources": sorted(known.sources), "classes": classes, "properties": properties,
            "concepts": concepts, "labels": labels,
            "modalities": onto.scheme_notations(KG.ModalityScheme),
            "reliabilities": onto.scheme_notations(KG.ReliabilityScheme),
            "credibilities": onto.scheme_notations(KG.CredibilityScheme),
            "columns": {k: list(v) for k, v in _EDITABLE.items()},
            "undo": history[-1]["what"] if history else "",
        }

    # -- checking -----------------------------------------------------------------------
    def check(self, table: str, cells: dict[str, str]) -> dict:
        """The issues ``kg validate`` would report with this row appended to its table, at the
        file:line it would have: ``{"errors": [...], "warnings": [...], "file": ..., "line": ...}``."""
        cells = self._clean(table, cells)
        path = table_path(self.project.data_dir, table)
        with tempfile.TemporaryDirectory(prefix="kg-curate-") as tmp:
            staged = Path(tmp)
            for csv_file in self.project.data_dir.glob("*.csv"):
                shutil.copyfile(csv_file, staged / csv_file.name)
            before = path.read_bytes() if path.is_file() else b""
            new = self._appended(before, table, cells)
            (staged / path.name).write_bytes(new)
            line = before.count(b"\n") + 1 if before else 2
            shown = self.project.display(path)
            trial = dataclasses.replace(self.project, data_dir=staged)
            try:
                records = load(trial)
                issues = _validate(records)
            except LoadError as exc:
                issues = exc.issues
            except KgError as exc:
                return {"errors": [f"{shown}:{line}: error: {exc}"], "warnings": [], "file": shown, "line": line}
        mine = [i for i in issues if Path(i.position.file).name == path.name and i.position.line == line]
        text = [self._format(i, staged, shown) for i in mine]
        # A shape that asks for more rows (an event's type, a time's precision) is met by the rows
        # still to come: it is shown, as kg validate words it, but does not stop this row.
        blocking = [i.severity.value == "error" and i.code != "KG401" for i in mine]
        return {"errors": [t for t, b in zip(text, blocking, strict=True) if b],
                "warnings": [t for t, b in zip(text, blocking, strict=True) if not b],
                "file": shown, "line": line}

    @staticmethod
    def _format(issue: Issue, staged: Path, shown: str) -> str:
        moved = dataclasses.replace(issue, position=dataclasses.replace(issue.position, file=shown))
        return moved.format().replace(str(staged), str(Path(shown).parent))

    # -- changing -----------------------------------------------------------------------
    def accept(self, row_id: str, cells: dict[str, str]) -> dict:
        """Validate a drafted row (as edited) and append it to its table; mark it accepted."""
        with self.lock, dataset_lock(self.project.data_dir):
            draft = self.draft()
            row = self._row(draft, row_id)
            if row["status"] == "accepted":
                raise UsageError(f"row {row_id} is already accepted")
            result = self._write_row(row["table"], cells)
            if result["errors"]:
                return {"ok": False, **result}
            previous = dict(row)
            row.update(status="accepted", cells=result.pop("cells"))
            self._push(draft, {"what": f"accept {row_id}", "row": previous, "table": result["change"]})
            self._save(draft)
            return {"ok": True, **result}

    def add(self, table: str, cells: dict[str, str]) -> dict:
        """Validate a row the analyst made (a quote selected in the text, a new entity) and append it."""
        if table not in _EDITABLE:
            raise UsageError(f"table must be one of {', '.join(_EDITABLE)}")
        with self.lock, dataset_lock(self.project.data_dir):
            draft = self.draft()
            result = self._write_row(table, cells)
            if result["errors"]:
                return {"ok": False, **result}
            ident = f"m{sum(1 for r in draft['rows'] if r['id'].startswith('m')) + 1:04d}"
            draft["rows"].append({"id": ident, "table": table, "status": "accepted", "kind": "manual",
                                  "why": "made by the analyst", "sentence": self._sentence_of(result["cells"]),
                                  "span": self._span_of(result["cells"]), "cells": result.pop("cells")})
            self._push(draft, {"what": f"add {ident}", "added": ident, "table": result["change"]})
            self._save(draft)
            return {"ok": True, "row": ident, **result}

    def save(self, row_id: str, cells: dict[str, str]) -> dict:
        """Keep an edit of a pending row in the draft (nothing goes to the tables)."""
        with self.lock, dataset_lock(self.project.data_dir):
            draft = self.draft()
            row = self._row(draft, row_id)
            if row["status"] == "accepted":
                raise UsageError(f"row {row_id} is already in the tables; undo first to change it")
            previous = dict(row)
            row["cells"] = self._clean(row["table"], cells)
            self._push(draft, {"what": f"edit {row_id}", "row": previous})
            self._save(draft)
            return {"ok": True}

    def reject(self, row_id: str) -> dict:
        """Mark a drafted row rejected (it stays in the draft, struck out)."""
        with self.lock, dataset_lock(self.project.data_dir):
            draft = self.draft()
            row = self._row(draft, row_id)
            if row["status"] == "accepted":
                raise UsageError(f"row {row_id} is already in the tables; undo first to reject it")
            previous = dict(row)
            row["status"] = "rejected"
            self._push(draft, {"what": f"reject {row_id}", "row": previous})
            self._save(draft)
            return {"ok": True}

    def undo(self) -> dict:
        """Undo the last change: restore the row in the draft and remove the lines it added."""
        with self.lock, dataset_lock(self.project.data_dir):
            draft = self.draft()
            history = draft.get("history", [])
            if not history:
                raise UsageError("nothing to undo")
            entry = history[-1]
            change = entry.get("table")
            if change:
                path = self.project.data_dir / change["file"]
                current = path.read_bytes() if path.is_file() else b""
                added = change["added"].encode("utf-8")
                if digest(current) != change["after"] or not current.endswith(added):
                    raise UsageError(f"{change['file']} changed since ({entry['what']}); undo that row by hand")
                write_atomic(path, current[:len(current) - len(added)])
            if "row" in entry:
                row = self._row(draft, entry["row"]["id"])
                row.clear()
                row.update(entry["row"])
            if "added" in entry:
                draft["rows"] = [r for r in draft["rows"] if r["id"] != entry["added"]]
            history.pop()
            self._save(draft)
            return {"ok": True, "undone": entry["what"]}

    def new_id(self, label: str) -> str:
        """A free id for a new entity named ``label``."""
        known = known_of(self.project)
        return unique_id(slug(label), known.ids)

    # -- helpers ------------------------------------------------------------------------
    def _clean(self, table: str, cells: dict) -> dict[str, str]:
        if table not in _EDITABLE:
            raise UsageError(f"table must be one of {', '.join(_EDITABLE)}")
        if not isinstance(cells, dict):
            raise UsageError("cells must be an object of column: text")
        out = {}
        for name in _EDITABLE[table]:
            value = cells.get(name, "")
            if not isinstance(value, str):
                raise UsageError(f"cell {name!r} must be text")
            if len(value) > MAX_CELL:
                raise UsageError(f"cell {name!r} is longer than {MAX_CELL} characters")
            out[name] = value.replace("\r\n", "\n").strip() if name != "quote" else value.strip()
        unknown = sorted(set(cells) - set(_EDITABLE[table]))
        if unknown:
            raise UsageError(f"{table} rows have no column {', '.join(unknown)}")
        if not out.get("source"):
            out["source"] = self.source_id
        return out

    def _appended(self, before: bytes, table: str, cells: dict[str, str]) -> bytes:
        path = table_path(self.project.data_dir, table)
        header = HEADERS[table]
        if before.strip():
            header = tuple(h.strip() for h in next(csv.reader([before.decode("utf-8-sig").split("\n", 1)[0]])))
        missing = [k for k, v in cells.items() if v and k not in header]
        if missing and not set(missing) <= set(HEADERS[table]):
            raise UsageError(f"{path.name} has no column {', '.join(missing)}")
        if missing:  # an older table without an optional column (bound, attribution ...): widen it
            return _widened(before, header, table, cells)
        prefix = before if not before or before.endswith(b"\n") else before + b"\n"
        if not prefix:
            prefix = csv_text([header]).encode("utf-8")
        return prefix + csv_text([[cells.get(h, "") for h in header]]).encode("utf-8")

    def _write_row(self, table: str, cells: dict[str, str]) -> dict:
        cells = self._clean(table, cells)
        checked = self.check(table, cells)
        if checked["errors"]:
            return {**checked, "cells": cells}
        path = table_path(self.project.data_dir, table)
        before = path.read_bytes() if path.is_file() else b""
        after = self._appended(before, table, cells)
        write_atomic(path, after)
        added = after[len(before):] if after.startswith(before) else after[after.rstrip(b"\n").rfind(b"\n") + 1:]
        change = {"file": path.name, "added": added.decode("utf-8"), "after": digest(after)}
        return {**checked, "cells": cells, "change": change}

    @staticmethod
    def _row(draft: dict, row_id: str) -> dict:
        for row in draft["rows"]:
            if row["id"] == row_id:
                return row
        raise UsageError(f"no drafted row {row_id!r}")

    @staticmethod
    def _push(draft: dict, entry: dict) -> None:
        draft.setdefault("history", []).append(entry)

    def _save(self, draft: dict) -> None:
        write_atomic(self.path, (json.dumps(draft, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))

    def _span_of(self, cells: dict[str, str]) -> list[int]:
        quote = cells.get("quote", "")
        index = self.text.find(quote) if quote else -1
        if index < 0 and quote:
            words = [re.escape(w) for w in normalise_quote(quote).split()]
            match = re.search(r"\s+".join(words), self.text) if words else None
            index = match.start() if match else -1
        return [index, index + len(quote)] if index >= 0 else [0, 0]

    def _sentence_of(self, cells: dict[str, str]) -> int:
        start = self._span_of(cells)[0]
        for sentence in self.draft()["sentences"]:
            if sentence["start"] <= start < sentence["end"]:
                return sentence["index"]
        return 0


def _widened(before: bytes, header: tuple[str, ...], table: str, cells: dict[str, str]) -> bytes:
    """The table with the optional columns a row needs added to its header (in the order of the
    table kind's columns, unknown ones kept at the end), its rows carried over, and the row
    appended: a new row may need a column an older table lacks (a count's bound)."""
    wanted = set(header) | {k for k, v in cells.items() if v}
    columns = tuple(h for h in HEADERS[table] if h in wanted) + tuple(h for h in header if h not in HEADERS[table])
    rows = list(csv.reader(io.StringIO(before.decode("utf-8-sig"), newline="")))[1:] if before.strip() else []
    out = [list(columns)]
    for row in rows:
        if any(c.strip() for c in row):
            by_name = dict(zip(header, row, strict=False))
            out.append([by_name.get(c, "") for c in columns])
    out.append([cells.get(c, "") for c in columns])
    return csv_text(out).encode("utf-8")

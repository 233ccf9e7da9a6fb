"""The curated tables as curation writes them: their headers, where each kind lives, and atomic
changes.

Every change to a table is a whole new file written under a temporary name, synced and renamed
over the old one (:func:`kg.output.files.write_atomic`), under a lock on the dataset directory, so a
reader (``kg validate``, a spreadsheet, another ``kg curate``) sees the table before or after a
change, never half of it. :func:`replace_table` also refuses to overwrite a table that changed
since it was read, so no one's edit is lost to a race.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import hashlib
import io
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from kg.errors import UsageError
from kg.load.tables import TABLE_KINDS
from kg.output.files import write_atomic

__all__ = [
    "ENTITIES_HEADER",
    "HEADERS",
    "SOURCES_HEADER",
    "STATEMENTS_HEADER",
    "TableChanged",
    "append_rows",
    "csv_text",
    "dataset_lock",
    "digest",
    "read_rows",
    "replace_table",
    "table_path",
]

#: The sources table's columns (issue 14's first-class sources, in this order).
SOURCES_HEADER: tuple[str, ...] = (
    "id", "type", "label", "text_file", "sha256", "outlet", "published", "language", "url", "kind",
    "derived_from", "note",
)
ENTITIES_HEADER: tuple[str, ...] = TABLE_KINDS["entities"][0] + TABLE_KINDS["entities"][1]
STATEMENTS_HEADER: tuple[str, ...] = TABLE_KINDS["statements"][0] + TABLE_KINDS["statements"][1]
HEADERS: dict[str, tuple[str, ...]] = {
    "sources": SOURCES_HEADER, "entities": ENTITIES_HEADER, "statements": STATEMENTS_HEADER,
}
LOCK_FILE = ".kg-curate.lock"


class TableChanged(UsageError):
    """A table changed on disk between reading it and writing it back."""


def csv_text(rows: Sequence[Sequence[str]]) -> str:
    """Rows as CSV text (RFC 4180 quoting, ``\\n`` line ends, as the bundled tables are written)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def digest(data: bytes) -> str:
    """The hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


@contextlib.contextmanager
def dataset_lock(data_dir: Path) -> Iterator[None]:
    """Hold the dataset's curation lock (an exclusive ``flock`` on ``.kg-curate.lock``)."""
    path = data_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _header_of(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [h.strip() for h in next(csv.reader(handle), [])]


def table_path(data_dir: Path, kind: str) -> Path:
    """The file new rows of ``kind`` go to: ``KIND.csv`` when it exists, else the first table of
    that kind (``entities-actors.csv``), else ``KIND.csv`` (created with its header)."""
    preferred = data_dir / f"{kind}.csv"
    if preferred.is_file():
        return preferred
    wanted = set(HEADERS[kind])
    required = set(TABLE_KINDS[kind][0])
    for path in sorted(data_dir.glob("*.csv")):
        try:
            header = set(_header_of(path))
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
        if required <= header <= wanted | set(TABLE_KINDS[kind][1]) and path.name.startswith(kind[:-1]):
            return path
    return preferred


def read_rows(path: Path, *, lines: bool = False) -> tuple[list[str], list]:
    """A table's header and its rows as dicts (an absent file: no header, no rows); with
    ``lines``, each row as ``(line, dict)`` where line is the row's first line in the file."""
    if not path.is_file():
        return [], []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        rows: list = []
        start = reader.line_num + 1
        for row in reader:
            if any(c.strip() for c in row):
                cells = dict(zip(header, row, strict=False))  # a short row leaves its last columns out
                rows.append((start, cells) if lines else cells)
            start = reader.line_num + 1
    return header, rows


def _row_cells(header: Sequence[str], row: Mapping[str, str], path: Path) -> list[str]:
    unknown = sorted(set(row) - set(header))
    if unknown:
        raise UsageError(f"{path}: the table has no column {', '.join(unknown)}; its header is {','.join(header)}")
    return [str(row.get(name, "") or "") for name in header]


def append_rows(path: Path, kind: str, rows: Sequence[Mapping[str, str]], *,
                locked: bool = False) -> tuple[bytes, bytes]:
    """Append rows to a table atomically (creating it with ``kind``'s header if absent).

    Rows are dicts by column name; columns the table lacks are an error (a cell is never dropped
    silently), columns the row lacks are left empty. Returns the table's bytes before and after.
    ``locked``: the caller already holds :func:`dataset_lock` (a second lock would wait for ever).
    """
    with contextlib.nullcontext() if locked else dataset_lock(path.parent):
        before = path.read_bytes() if path.is_file() else b""
        if before.strip():
            header = _header_of(path)
        else:
            header = list(HEADERS[kind])
            before = b""
        text = csv_text([_row_cells(header, row, path) for row in rows])
        prefix = before if not before or before.endswith(b"\n") else before + b"\n"
        if not prefix:
            prefix = csv_text([header]).encode("utf-8")
        after = prefix + text.encode("utf-8")
        write_atomic(path, after)
    return before, after


def replace_table(path: Path, expected: bytes, new: bytes, *, locked: bool = False) -> None:
    """Write ``new`` over a table only if it still holds ``expected`` (b"" for an absent file).

    Raises :class:`TableChanged` when someone else changed it meanwhile.
    """
    with contextlib.nullcontext() if locked else dataset_lock(path.parent):
        current = path.read_bytes() if path.is_file() else b""
        if current != expected:
            raise TableChanged(f"{path.name} changed on disk since it was read; nothing was written "
                               "(reload and try again)")
        if not new and path.is_file():
            path.unlink()
        else:
            write_atomic(path, new)

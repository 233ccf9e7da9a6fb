"""Read the curated CSV tables (sources, entities, statements), keeping each row's file:line."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from kg.errors import Issue, LoadError, Position
from kg.load.records import EntityRecord, Records, SourceRecord, StatementRecord

__all__ = ["TABLE_KINDS", "read_table"]

#: Table kind -> (required columns, optional columns), in the order the header lists them.
TABLE_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sources": (("id", "type", "label"), ("text_file", "publisher", "publication_date", "note")),
    "entities": (
        ("id", "type", "label"),
        ("description", "source", "quote", "claimant", "modality", "reliability", "credibility", "note"),
    ),
    "statements": (
        ("subject", "predicate", "object"),
        ("source", "quote", "claimant", "modality", "reliability", "credibility", "via", "note"),
    ),
}
_RECORD_TYPES = {"sources": SourceRecord, "entities": EntityRecord, "statements": StatementRecord}
_TARGETS = {"sources": "sources", "entities": "entities", "statements": "statements"}


def decode_utf8(raw: bytes, shown: str) -> str:
    """Decode UTF-8 (a byte-order mark is allowed), or raise KG104 at the offending line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError(
            Issue("KG104", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                  Position(shown, line),
                  fix="save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8')")
        ) from exc


def _kind(header: list[str], shown: str) -> str:
    """The kind of table a header declares. ``id,type,label`` alone fits both sources and
    entities: then a file name starting with ``sources`` makes it a sources table."""
    columns = set(header)
    if len(header) != len(columns):
        raise LoadError(Issue("KG102", "a column appears twice in the header", Position(shown, 1),
                              fix="name each column once"))
    fitting = [k for k, (req, opt) in TABLE_KINDS.items() if set(req) <= columns <= set(req) | set(opt)]
    if len(fitting) > 1:
        return "sources" if Path(shown).name.lower().startswith("sources") else "entities"
    if fitting:
        return fitting[0]
    for kind, (required, optional) in TABLE_KINDS.items():
        if set(required) <= columns:
            unknown = columns - set(required) - set(optional)
            raise LoadError(
                Issue("KG102", f"unknown column(s) {', '.join(sorted(unknown))} in a {kind} table",
                      Position(shown, 1),
                      fix=f"{kind} tables have the columns {', '.join(required + optional)}")
            )
    wanted = "; ".join(f"{k}: {','.join(r)},..." for k, (r, _) in TABLE_KINDS.items())
    raise LoadError(
        Issue("KG102", f"header {','.join(header)[:120]!r} is not a kg table", Position(shown, 1),
              fix=f"start the file with one of these headers ({wanted})")
    )


def read_table(path: Path, records: Records, shown: str) -> None:
    """Read one CSV table into ``records``; the header decides which kind of table it is."""
    text = decode_utf8(path.read_bytes(), shown)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise LoadError(Issue("KG101", "NUL byte in a CSV file", Position(shown, line),
                              fix="remove the NUL bytes; the file may not be a text file"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise LoadError(Issue("KG101", f"CSV syntax: {exc}", Position(shown, 1),
                              fix="check the quoting of the header row")) from exc
    if header is None:
        raise LoadError(Issue("KG102", "empty file: no header row", Position(shown, 1),
                              fix="add a header row, or delete the file"))
    header = [h.strip() for h in header]
    kind = _kind(header, shown)
    required, _ = TABLE_KINDS[kind]
    record_type = _RECORD_TYPES[kind]
    target: list = getattr(records, _TARGETS[kind])
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise LoadError(Issue("KG101", f"CSV syntax: {exc}", Position(shown, start),
                                  fix='quote cells that contain commas or quotes, and double inner quotes ("")'))
        position = Position(shown, start)
        start = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            records.issues.append(
                Issue("KG103", f"row has {len(row)} cells, the header has {len(header)}", position,
                      fix="quote cells that contain commas; give every row one cell per column")
            )
            continue
        cells = {name: cell.strip() for name, cell in zip(header, row)}
        missing = [name for name in required if not cells[name]]
        if missing:
            records.issues.append(
                Issue("KG103", f"empty required cell(s): {', '.join(missing)}", position,
                      fix=f"fill in {', '.join(missing)}")
            )
            continue
        target.append(record_type(position=position, **cells))


def is_id(text: str) -> bool:
    """True when ``text`` is a valid local id."""
    return bool(_ID_RE.match(text))


_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")

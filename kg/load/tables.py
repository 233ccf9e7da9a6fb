"""Read the curated CSV tables (sources, entities, statements), keeping each row's file:line."""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path

from kg.errors import Issue, LoadError, Position
from kg.load.records import EntityRecord, Records, SourceRecord, StatementRecord

__all__ = ["OLD_SOURCE_COLUMNS", "TABLE_KINDS", "read_table"]

#: How a claim was made (see data/README.md): how a claimant's words are reported, and whether the
#: row is the curator's reading of what the text only implies.
_CLAIM_COLUMNS = ("attribution", "inference")
#: Table kind -> (required columns, optional columns), in the order the header lists them.
TABLE_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sources": (("id", "type", "label"),
                ("text_file", "sha256", "outlet", "published", "language", "url", "kind", "derived_from", "note")),
    "entities": (
        ("id", "type", "label"),
        ("description", "source", "quote", "claimant", "modality", *_CLAIM_COLUMNS, "reliability", "credibility",
         "note", "translation"),
    ),
    "statements": (
        ("subject", "predicate", "object"),
        ("source", "quote", "claimant", "modality", *_CLAIM_COLUMNS, "bound", "reliability", "credibility", "via",
         "note", "translation"),
    ),
}
#: Columns of older sources tables, read as the first-class columns that replaced them.
OLD_SOURCE_COLUMNS = {"publisher": "outlet", "publication_date": "published"}
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
    if any(";" in h for h in header) and len(header) <= 2:
        raise LoadError(Issue("KG102", "the header is separated by semicolons: use commas", Position(shown, 1),
                              fix="save the table as CSV with commas (in a spreadsheet: 'CSV UTF-8 (comma "
                                  "delimited)'); kg tables are comma-separated"))
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


def _renamed(header: list[str], shown: str) -> list[str]:
    """A header with the old sources columns (``publisher``, ``publication_date``) renamed to the
    columns that replaced them, so that datasets made before sources were first-class still load."""
    if not any(h in OLD_SOURCE_COLUMNS for h in header):
        return header
    renamed = [OLD_SOURCE_COLUMNS.get(h, h) for h in header]
    both = sorted(old for old, new in OLD_SOURCE_COLUMNS.items() if old in header and new in header)
    if both:
        raise LoadError(Issue("KG102", f"the header has both {both[0]} and {OLD_SOURCE_COLUMNS[both[0]]}",
                              Position(shown, 1),
                              fix=f"keep only {OLD_SOURCE_COLUMNS[both[0]]} (the new name of {both[0]})"))
    return renamed


#: After this many malformed rows in one file, the rest is not read (like a compiler's error cap).
MAX_ROW_ISSUES = 200
#: The longest physical line a table may have. Lines are read one at a time (a table is never
#: held whole in memory), so this bounds what one read can take.
MAX_LINE_CHARS = 1 << 20


def _decode_error(path: Path, shown: str) -> LoadError:
    """KG104 at the exact line of the first byte that is not UTF-8, found by streaming the file."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, offset = 1, 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad = exc.start - len(exc.object) + len(chunk) if len(exc.object) > len(chunk) else exc.start
                bad = max(0, min(bad, len(chunk) - 1))
                line += chunk[:bad].count(b"\n")
                return LoadError(Issue("KG104", f"not valid UTF-8 (byte 0x{chunk[bad]:02x} at offset {offset + bad})",
                                       Position(shown, line),
                                       fix="save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8')"))
            line += chunk.count(b"\n")
            offset += len(chunk)
    return LoadError(Issue("KG104", "not valid UTF-8", Position(shown, line),
                           fix="save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8')"))


def _lines(handle, path: Path, shown: str):
    """The file's lines, one at a time, refusing NUL bytes and over-long lines (KG101)."""
    number = 0
    while True:
        try:
            line = handle.readline(MAX_LINE_CHARS + 1)
        except UnicodeDecodeError:
            raise _decode_error(path, shown) from None
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise LoadError(Issue("KG101", f"line longer than {MAX_LINE_CHARS:,} characters",
                                  Position(shown, number),
                                  fix="split the line; a table row this long is not curated data"))
        if "\x00" in line:
            raise LoadError(Issue("KG101", "NUL byte in a CSV file", Position(shown, number),
                                  fix="remove the NUL bytes; the file may not be a text file"))
        yield line


def read_table(path: Path, records: Records, shown: str) -> None:
    """Read one CSV table into ``records``, streaming; the header decides the kind of table."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        _read_rows(csv.reader(_lines(handle, path, shown), strict=True), records, shown)


def _read_rows(reader, records: Records, shown: str) -> None:
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise LoadError(Issue("KG101", f"CSV syntax: {exc}", Position(shown, 1),
                              fix="check the quoting of the header row")) from exc
    if header is None:
        raise LoadError(Issue("KG102", "empty file: no header row", Position(shown, 1),
                              fix="add a header row, or delete the file"))
    header = _renamed([h.strip() for h in header], shown)
    kind = _kind(header, shown)
    required, _ = TABLE_KINDS[kind]
    record_type = _RECORD_TYPES[kind]
    target: list = getattr(records, _TARGETS[kind])
    start = reader.line_num + 1
    issues_before = len(records.issues)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            fix = 'quote cells that contain commas or quotes, and double inner quotes ("")'
            raise LoadError(Issue("KG101", f"CSV syntax: {exc}", Position(shown, start), fix=fix)) from exc
        position = Position(shown, start)
        start = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(records.issues) - issues_before >= MAX_ROW_ISSUES:
            records.issues.append(Issue("KG103", f"more than {MAX_ROW_ISSUES} malformed rows: stopped reading",
                                        position, fix="is this a kg table? fix the rows above first"))
            return
        if len(row) != len(header):
            records.issues.append(
                Issue("KG103", f"row has {len(row)} cells, the header has {len(header)}", position,
                      fix="quote cells that contain commas; give every row one cell per column")
            )
            continue
        cells = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
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

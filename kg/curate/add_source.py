"""``kg add-source FILE``: register a text as a source of the dataset.

The text is copied into the dataset's ``sources/`` (so the dataset carries its texts), its
SHA-256 is recorded (a text changed after curation is then reported), and one row is appended to
the sources table with the columns of first-class sources: outlet, publication date with its
precision, language, address, kind and what it derives from. An outlet given by name is found
among the entities by id, label or alias; when none has that name it is added as a
kg:MediaOrganization entity attributed to the dataset's curator source (an outlet known from a
source's masthead needs no quote). Tables change atomically (:mod:`kg.curate.tables`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.curate.init import CURATOR_ID
from kg.curate.known import Known, known_of, slug, unique_id
from kg.curate.language import guess_language
from kg.curate.tables import SOURCES_HEADER, append_rows, csv_text, dataset_lock, digest, read_rows, table_path
from kg.errors import UsageError
from kg.output.files import write_atomic
from kg.project import Project
from kg.suggest import did_you_mean

__all__ = ["KINDS", "AddedSource", "add_source", "check_published"]

#: Kinds of source (concepts of kg:SourceKindScheme, by notation).
KINDS = ("original", "syndicated-copy", "digest", "translation", "retelling", "official-statement",
         "social-media-post")
DERIVED_KINDS = ("syndicated-copy", "digest", "translation", "retelling")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
#: Old sources-table columns and the new ones they are read as.
_OLD_COLUMNS = {"publisher": "outlet", "publication_date": "published"}
MAX_TEXT_BYTES = 10 << 20


@dataclass(frozen=True)
class AddedSource:
    """What :func:`add_source` did."""

    id: str
    text_path: Path
    sha256: str
    table: Path
    language: str
    language_guessed: bool
    outlet: str = ""
    outlet_created: bool = False
    outlet_table: Path | None = None
    table_upgraded: bool = False


def check_published(value: str) -> str:
    """A publication date as the sources table takes it: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            dt.date.fromisoformat(value)
            return value
        if re.fullmatch(r"\d{4}-\d{2}", value) and 1 <= int(value[5:]) <= 12:
            return value
        if re.fullmatch(r"\d{4}", value):
            return value
    except ValueError:
        pass
    raise UsageError(f"--published {value!r}: write the date as YYYY-MM-DD, YYYY-MM or YYYY "
                     "(as precise as the source says)")


def _read_text(file: Path) -> bytes:
    if not file.is_file():
        raise UsageError(f"{file}: no such file")
    if file.stat().st_size > MAX_TEXT_BYTES:
        raise UsageError(f"{file}: larger than {MAX_TEXT_BYTES >> 20} MiB; a source text is a report, not a corpus")
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{file}: not UTF-8 text (byte {exc.start}); save it as UTF-8 plain text") from None
    if "\x00" in text:
        raise UsageError(f"{file}: holds NUL bytes; a source must be plain text")
    if not text.strip():
        raise UsageError(f"{file}: empty; a source text holds the report's words")
    return raw


def _resolve_outlet(known: Known, outlet: str) -> tuple[str, bool]:
    """The outlet's entity id, and whether it must be created."""
    found = known.by_name(outlet)
    if len(found) == 1:
        return found[0].id, False
    if len(found) > 1:
        ids = ", ".join(e.id for e in found)
        raise UsageError(f"--outlet {outlet!r} names several entities ({ids}); give one of these ids")
    names = {n: e.id for e in known.entities.values() for n in (e.id, *e.names)}
    near = list(dict.fromkeys(names[n] for n in did_you_mean(outlet, names)))
    if near:
        ids = ", ".join(f"{i!r} ({known.entities[i].label})" for i in near)
        raise UsageError(f"--outlet {outlet!r} names no entity, but some are near: {ids}; give that id, "
                         "or --new-outlet to add it as a new one")
    return "", True


def _first_words(text: str, limit: int = 70) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + "…"


def _upgraded_sources(path: Path) -> bytes | None:
    """The sources table rewritten with the new header (old columns renamed), or None when it
    already has it."""
    header, rows = read_rows(path)
    if not header or tuple(header) == SOURCES_HEADER:
        return None
    extra = [h for h in header if _OLD_COLUMNS.get(h, h) not in SOURCES_HEADER]
    if extra:
        raise UsageError(f"{path}: column(s) {', '.join(extra)} are not sources columns; fix the header first")
    out = [list(SOURCES_HEADER)]
    for row in rows:
        cells = {_OLD_COLUMNS.get(k, k): v for k, v in row.items()}
        out.append([cells.get(name, "") for name in SOURCES_HEADER])
    return csv_text(out).encode("utf-8")


def add_source(project: Project, file: Path | str, *, source_id: str | None = None, label: str | None = None,
               type_: str = "kg:NewsReport", outlet: str | None = None, new_outlet: bool = False,
               published: str | None = None, url: str | None = None, language: str | None = None,
               kind: str = "original", derived_from: Sequence[str] = (), note: str = "") -> AddedSource:
    """Register ``file`` as a source of ``project``: copy it into ``sources/``, record its SHA-256
    and append its row (and a new outlet entity when needed) to the tables.

    Raises :class:`~kg.errors.UsageError` for a text that is not UTF-8, an id already in use, an
    unknown kind or derived-from id, a malformed date or language tag, or an outlet name that is
    ambiguous or only near an existing one (``new_outlet`` adds it anyway).
    """
    file = Path(file)
    raw = _read_text(file)
    text = raw.decode("utf-8-sig")
    known = known_of(project)
    source_id = source_id or slug(file.stem)
    if not re.match(r"^[A-Za-z][A-Za-z0-9_.-]*$", source_id):
        raise UsageError(f"--id {source_id!r}: ids start with a letter and use letters, digits, '_', '-', '.'")
    if source_id in known.ids:
        raise UsageError(f"id {source_id!r} is already used in the dataset; give another with --id")
    if kind not in KINDS:
        hint = did_you_mean(kind, KINDS)
        raise UsageError(f"--kind {kind!r}: use one of {', '.join(KINDS)}"
                         + (f" (did you mean {hint[0]!r}?)" if hint else ""))
    derived = [d.strip() for item in derived_from for d in item.replace(",", "|").split("|") if d.strip()]
    for ident in derived:
        if ident not in known.sources:
            hint = did_you_mean(ident, known.sources)
            raise UsageError(f"--derived-from {ident!r}: no source has this id"
                             + (f"; did you mean {hint[0]!r}?" if hint else "; add that source first"))
    if derived and kind == "original":
        raise UsageError("--derived-from needs --kind syndicated-copy, digest, translation or retelling")
    published = check_published(published) if published else ""
    guessed = False
    if language:
        if not _LANGUAGE.match(language):
            raise UsageError(f"--language {language!r}: give a BCP 47 tag such as en or es")
    else:
        language, guessed = guess_language(text), True
    if url and (not re.match(r"^https?://\S+$", url) or re.search(r"[\s<>\"{}|\\^`]", url)):
        raise UsageError(f"--url {url!r}: give the http(s) address of the published item")

    outlet_id, create = "", False
    if outlet:
        if new_outlet:
            create = True
        else:
            outlet_id, create = _resolve_outlet(known, outlet)
    outlet_rows = []
    if create and outlet:  # create: only with an outlet
        outlet_id = unique_id(slug(outlet), known.ids | {source_id})
        curator = known.curator_source()
        outlet_rows.append({
            "id": outlet_id, "type": "kg:MediaOrganization", "label": outlet,
            "description": f"Outlet of the source {source_id!r}.",
            "source": curator or CURATOR_ID,
            "note": "Known from the source's masthead (added by kg add-source).",
        })

    sources_dir = project.data_dir / "sources"
    target = sources_dir / file.name
    if target.resolve() != file.resolve() and target.exists() and target.read_bytes() != raw:
        raise UsageError(f"{target}: another text with this name is already there; rename the file")
    out_label = label or (f"{outlet}: {_first_words(text)}" if outlet else _first_words(text)) or source_id
    row = {
        "id": source_id, "type": type_, "label": out_label, "text_file": file.name, "sha256": digest(raw),
        "outlet": outlet_id, "published": published or "", "language": language or "", "url": url or "",
        "kind": kind if kind != "original" or derived else "", "derived_from": "|".join(derived), "note": note,
    }
    sources_table = table_path(project.data_dir, "sources")
    entities_table = table_path(project.data_dir, "entities")
    upgraded = False
    with dataset_lock(project.data_dir):
        if not target.exists():
            write_atomic(target, raw)
        if create and not known.curator_source():
            append_rows_unlocked(sources_table, "sources", [{
                "id": CURATOR_ID, "type": "kg:CuratorNote",
                "label": "Curator's notes (knowledge from outside the sources)"}])
        new_table = _upgraded_sources(sources_table) if sources_table.is_file() else None
        if new_table is not None:
            write_atomic(sources_table, new_table)
            upgraded = True
        if outlet_rows:
            append_rows_unlocked(entities_table, "entities", outlet_rows)
        append_rows_unlocked(sources_table, "sources", [row])
    return AddedSource(source_id, target, row["sha256"], sources_table, language, guessed, outlet_id, create,
                       entities_table if create else None, upgraded)


def append_rows_unlocked(path: Path, kind: str, rows: list[dict[str, str]]) -> None:
    """:func:`append_rows` for a caller that already holds the dataset lock."""
    append_rows(path, kind, rows, locked=True)

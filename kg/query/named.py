"""Named questions: saved ``.rq`` files an analyst runs by name (``kg query events-in-place``).

A named question is a SPARQL file whose leading ``#`` comment says what it answers; ``# param``
lines declare the values it takes, each bound to the variable of the same name::

    # Events in a place or anywhere inside it (kg:locatedIn*), with casualties and time.
    # param place: iri = data:colombia   The place: a CURIE, an <IRI> or a local id.
    SELECT ...

Types are ``iri``, ``string``, ``integer``, ``decimal`` and ``boolean``. A parameter without a
default is optional: left out, its variable stays free and the question is asked for every value.
An explicitly empty value (``--param place=`` or ``?place=``) frees a parameter that has a default
in the same way.
Questions are looked up in the dataset's own ``queries/`` directory first, then among the ones
that ship with kg (``queries/`` in the repository).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import UsageError
from kg.vocab import XSD

__all__ = ["NamedQuery", "Param", "find_named", "guess_value", "load_named", "named_queries", "parse_value",
           "queries_dir", "read_query_file"]

_PACKAGE = Path(__file__).resolve().parent.parent
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")  # short enough to be a file name
_PARAM = re.compile(r"^#\s*param\s+([A-Za-z_]\w*)\s*:\s*(\w+)\s*(?:=\s*(\S+))?\s*(.*)$")
_TYPES = ("iri", "string", "integer", "decimal", "boolean")
_BAD_IRI_CHARS = re.compile(r'[\s<>"{}|^`\\]')
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)?:(\S*)$")


@lru_cache(maxsize=1)
def queries_dir() -> Path:
    """The named questions shipped with kg (where the package lies does not change while it runs)."""
    packaged = _PACKAGE / "_queries"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "queries"


@dataclass(frozen=True)
class Param:
    """A value a named question takes, bound to the variable ``?name``."""

    name: str
    type: str = "iri"
    default: str | None = None
    description: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type, "default": self.default, "description": self.description}


@dataclass(frozen=True)
class NamedQuery:
    """A saved question: its name, what it answers, its parameters and its SPARQL text."""

    name: str
    description: str
    text: str
    path: Path
    params: tuple[Param, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        """The first sentence of the description."""
        return self.description.split(". ")[0].rstrip(".")

    def bind(self, values: Mapping[str, object] | None, prefixes: Mapping[str, str],
             base: str | None) -> dict[str, Node]:
        """Bound values for the query: given values parsed by their declared type, defaults for
        the rest. Unknown names are a :class:`UsageError`."""
        values = dict(values or {})
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            names = ", ".join(known) or "none"
            raise UsageError(f"{self.name} takes no parameter {', '.join(unknown)}; its parameters: {names}")
        bound: dict[str, Node] = {}
        for param in self.params:
            raw = values.get(param.name, param.default)
            if raw is None or raw == "":
                continue
            bound[param.name] = raw if isinstance(raw, Node) else parse_value(str(raw), param.type, prefixes,
                                                                                base, name=param.name)
        return bound

    def to_dict(self) -> dict[str, object]:
        """The question as plain data (the endpoint's listing)."""
        return {"name": self.name, "title": self.title, "description": self.description,
                "params": [p.to_dict() for p in self.params], "query": self.text}


def parse_value(raw: str, type_: str, prefixes: Mapping[str, str], base: str | None, *,
                name: str = "value") -> Node:
    """A parameter value from text: an IRI (``<...>``, a CURIE, or a local id under ``base``)
    or a literal of the declared type. Never query text: the result is bound, not spliced."""
    raw = raw.strip()
    if type_ == "iri":
        if raw.startswith("<") and raw.endswith(">"):
            iri = raw[1:-1]
        elif (m := _CURIE.match(raw)) and (m.group(1) or "") in prefixes:
            iri = prefixes[m.group(1) or ""] + m.group(2)
        elif re.match(r"^[a-z][a-z0-9+.-]*://", raw, re.IGNORECASE):
            iri = raw
        elif base and re.match(r"^[A-Za-z][A-Za-z0-9_.-]*$", raw):
            iri = base + raw
        else:
            raise UsageError(f"parameter {name}: {raw!r} is not an IRI, a CURIE with a known prefix "
                             f"({', '.join(sorted(p for p in prefixes if p))}) or a local id")
        if not iri or _BAD_IRI_CHARS.search(iri):
            raise UsageError(f"parameter {name}: {raw!r} is not a valid IRI")
        return URIRef(iri)
    if type_ == "string":
        return Literal(raw)
    if type_ == "integer":
        if not re.match(r"^[+-]?\d+$", raw):
            raise UsageError(f"parameter {name}: {raw!r} is not an integer")
        return Literal(int(raw), datatype=XSD.integer)
    if type_ == "decimal":
        try:
            return Literal(Decimal(raw), datatype=XSD.decimal)
        except InvalidOperation:
            raise UsageError(f"parameter {name}: {raw!r} is not a decimal number") from None
    if type_ == "boolean":
        if raw.lower() not in ("true", "false"):
            raise UsageError(f"parameter {name}: {raw!r} is not true or false")
        return Literal(raw.lower() == "true", datatype=XSD.boolean)
    raise UsageError(f"parameter {name}: unknown type {type_!r}; use one of {', '.join(_TYPES)}")


def guess_value(raw: str, prefixes: Mapping[str, str], base: str | None) -> Node:
    """A value for a parameter of an ad-hoc query (no declared type): ``<IRI>`` or a CURIE with a
    known prefix is an IRI, an integer is an integer, anything else a string."""
    raw = raw.strip()
    if (raw.startswith("<") and raw.endswith(">")) or ((m := _CURIE.match(raw)) and m.group(1) in prefixes):
        return parse_value(raw, "iri", prefixes, base)
    if re.match(r"^[+-]?\d+$", raw):
        return Literal(int(raw), datatype=XSD.integer)
    return Literal(raw)


def load_named(path: Path) -> NamedQuery:
    """Read one ``.rq`` file (raises UsageError when it cannot be read or lacks its leading comment)."""
    text = read_query_file(path)
    description: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM.match(line)
        if m:
            name, type_, default, desc = m.groups()
            if type_ not in _TYPES:
                raise UsageError(f"{path}: parameter {name} has unknown type {type_!r}; use one of {', '.join(_TYPES)}")
            params.append(Param(name, type_, default, desc.strip()))
        elif not params:
            description.append(line.lstrip("#").strip())
    desc = " ".join(d for d in description if d)
    if not desc:
        raise UsageError(f"{path}: a named question starts with a # comment saying what it answers")
    return NamedQuery(path.stem, desc, text, path, tuple(params))


def read_query_file(path: Path) -> str:
    """The text of a query file; a file that cannot be read or is not UTF-8 is a UsageError."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text (byte {exc.start}); save the query as UTF-8") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the query: {exc.strerror or exc}") from None


def _directories(data_dir: Path | None) -> list[Path]:
    dirs = []
    if data_dir is not None and (data_dir / "queries").is_dir():
        dirs.append(data_dir / "queries")
    dirs.append(queries_dir())
    return dirs


def named_queries(data_dir: Path | None = None) -> dict[str, NamedQuery]:
    """Every named question, by name (a dataset's own ``queries/`` override the shipped ones)."""
    found: dict[str, NamedQuery] = {}
    for directory in reversed(_directories(data_dir)):
        for path in sorted(directory.glob("*.rq")):
            if _NAME.match(path.stem):
                found[path.stem] = load_named(path)
    return dict(sorted(found.items()))


def find_named(name: str, data_dir: Path | None = None) -> NamedQuery | None:
    """The named question called ``name``, or None."""
    if not _NAME.match(name):
        return None
    for directory in _directories(data_dir):
        path = os.path.join(directory, name + ".rq")  # str, not Path: this runs for every question asked
        try:
            info = os.stat(path)
        except OSError:  # no such file, or a name the file system refuses: no saved question
            continue
        if stat.S_ISREG(info.st_mode):
            return _load_unchanged(path, info.st_mtime_ns, info.st_size, info.st_ino)
    return None


@lru_cache(maxsize=256)
def _load_unchanged(path: str, mtime_ns: int, size: int, inode: int) -> NamedQuery:
    """:func:`load_named`, read again only when the file has changed (a notebook or the endpoint
    asks the same questions many times; reading and parsing the file was a third of the time of
    a sub-millisecond question)."""
    return load_named(Path(path))

"""Errors and validation issues: the one exception tree of kg.

The library raises typed exceptions that carry their position (file:line, or line:column of a
query); only the CLI (:mod:`kg.cli.options`) turns them into text and exit codes. Every
exception kg raises on purpose is in this tree::

    KgError                          base of everything kg raises on purpose
    ├── UsageError                   bad arguments or configuration            (exit 2)
    │   ├── QueryError               a query that does not parse or run: line, column, what
    │   │   ├── UpdateRefused        SPARQL Update sent where only queries are allowed
    │   │   ├── ServiceRefused       SERVICE to an endpoint no allow-list names
    │   │   └── TooDeep              nested or chained deeper than the parser can take
    │   ├── ResultTooLarge           more rows (or bytes) than the cap
    │   ├── NotRepresentable         the asked format cannot hold the result (RDF/XML)
    │   ├── QueryTimeout             past the time limit; the work was stopped
    │   └── QueryMemory              past the memory limit; the work was stopped
    ├── LoadError                    a file cannot be read or parsed; carries Issues (exit 2)
    ├── ValidationFailed             the data is invalid; carries a Report     (exit 1)
    ├── PushError                    a store refused or failed an upload       (exit 2)
    │   └── AuthError                the store refused the credentials
    └── WorkerFailure                kg serve's query workers cannot be kept running (exit 2)

The query errors live in :mod:`kg.query.errors`, the push errors in :mod:`kg.export.push`,
``WorkerFailure`` in :mod:`kg.serve.workers`, beside the code that raises them; this drawing is
the only one. (The SHACL engine's ``Unsupported`` and ``InvalidShapes`` are internal signals: the
first hands the shapes to pySHACL, the second becomes a ``UsageError`` naming the constraint;
neither reaches a caller.)

Validation problems are data first: each is an :class:`Issue` (code, severity, where, what,
how to fix), collected in a :class:`Report`. The codes are listed in :data:`CODES`.

Text from data or from a request never reaches a terminal or a log with its control characters:
:func:`escape_controls` writes them as visible escapes (``\\x1b``), and :meth:`Issue.format`, the
command line's error handler and ``kg serve``'s request log all go through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "CODES",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "Issue",
    "KgError",
    "LoadError",
    "Position",
    "Report",
    "Severity",
    "UsageError",
    "ValidationFailed",
    "escape_controls",
]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

#: Every issue code kg emits, with a one-line meaning. Documented in README.md; each has a test.
CODES: dict[str, str] = {
    "KG101": "file cannot be parsed (CSV, Turtle, N-Triples, JSON-LD, RDF/XML, TOML)",
    "KG102": "table header is not one kg knows, or lacks a required column",
    "KG103": "malformed row: wrong number of cells, empty required cell, bad id",
    "KG104": "file is not valid UTF-8",
    "KG201": "unknown prefix in a CURIE",
    "KG202": "unknown term: not a class, property or concept of the ontology",
    "KG203": "literal does not match the predicate's range (a date that is not a date, ...)",
    "KG204": "entity where a literal is expected, or a literal where an entity is expected",
    "KG205": "entity used but never declared",
    "KG206": "duplicate id",
    "KG207": "duplicate statement",
    "KG208": "statement about an ontology term (data may not relabel, retype or extend the ontology)",
    "KG209": "a computed term (independent origin, anchored time, dispute) written in a table",
    "KG210": "bad identity claim (kg:sameAs, kg:distinctFrom): no evidence, incompatible classes, contradictory",
    "KG301": "missing or unknown source",
    "KG302": "missing quote",
    "KG303": "quote not found in the source's text",
    "KG304": "bad claim attribute: modality, Admiralty grade, claimant, attribution, inference or bound",
    "KG305": "source text_file outside the sources directories (absolute, climbing with '..', or a link leading out)",
    "KG306": "a count recorded as exact, but its quote words it with a bound or vaguely (at least, dozens, a pair)",
    "KG307": "bad source metadata: outlet, published, language, url, sha256, kind or derived_from",
    "KG401": "SHACL shape violated",
    "KG402": "warning: SHACL shapes use constructs kg's engine does not compile; pySHACL checked them instead",
    "KG901": "warning: source text not available, quotes not checked",
    "KG902": "warning: entity declared but never used",
    "KG903": "warning: the record cache could not be written (the build itself succeeded)",
    "KG904": "warning: the dataset has no tables and no RDF files",
    "KG905": "warning: source text changed since it was registered (its sha256 no longer matches)",
    "KG906": "warning: sources disagree on a property with one value (a dispute; every version is kept)",
    "KG907": "warning: likely duplicate entities (same or near-same name, compatible classes)",
}


#: What a terminal may act on: C0 controls but tab and line feed, DEL, C1 controls (CSI, OSC ...
#: have one-byte forms there), the bidirectional overrides and isolates that reorder what is shown
#: (CVE-2021-42574), and lone surrogates (bytes that were not UTF-8, which cannot even be printed).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                       "\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` safe to print on a terminal or write to a log: every control character written
    as a visible escape (ESC as ``\\x1b``, U+202E as ``\\u202e``), so that data cannot move the
    cursor, recolour or clear the screen, set the window title or write the clipboard (OSC 52).
    Tabs stay; line feeds too with ``keep_newlines`` (for messages whose lines kg itself made),
    else they become ``\\x0a``. Backslashes are left alone: the result is for reading, not parsing.

    >>> escape_controls("a\x1b]52;c;aGk=\x07b")
    'a\\\\x1b]52;c;aGk=\\\\x07b'
    """
    if not keep_newlines and "\n" in text:
        text = text.replace("\n", "\\x0a")
    return _CONTROLS.sub(_escape, text)


class Severity(StrEnum):
    """How bad an issue is: errors make data invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Position:
    """Where a record came from: a file and a 1-based line number (0 when unknown)."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Issue:
    """One problem found in the data, compiler style: where, what, how to fix."""

    code: str
    message: str
    position: Position
    fix: str = ""
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        if self.code not in CODES:  # a programming error, not a data error
            raise ValueError(f"unknown issue code {self.code}")

    def format(self) -> str:
        """The issue as one grep-able line, plus an indented ``fix:`` line when there is one."""
        text = escape_controls(f"{self.position}: {self.severity.value}[{self.code}] {self.message}")
        if self.fix:
            text += f"\n    fix: {escape_controls(self.fix)}"
        return text

    def to_dict(self) -> dict[str, object]:
        """The issue as plain data (for JSON reports)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.position.file,
            "line": self.position.line,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass
class Report:
    """All issues found by validation, in a stable order."""

    issues: list[Issue] = field(default_factory=list)
    files: int = 0

    def add(self, issue: Issue) -> None:
        """Record one issue."""
        self.issues.append(issue)

    def extend(self, issues: list[Issue]) -> None:
        """Record several issues."""
        self.issues.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        """The issues that make the data invalid."""
        return [i for i in self.sorted() if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """The issues that do not."""
        return [i for i in self.sorted() if i.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not any(i.severity is Severity.ERROR for i in self.issues)

    def sorted(self) -> list[Issue]:
        """Issues by file, line, code and message: a stable order for people and diffs."""
        return sorted(set(self.issues), key=lambda i: (i.position, i.code, i.message))

    def summary(self) -> str:
        """``N errors, M warnings in K files``."""
        e, w = len(self.errors), len(self.warnings)
        return (
            f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"
            f" in {self.files} file{'s' if self.files != 1 else ''}"
        )

    def format(self) -> str:
        """Every issue, then the summary line."""
        lines = [i.format() for i in self.sorted()]
        lines.append(self.summary())
        return "\n".join(lines)


class KgError(Exception):
    """Base class of the errors kg raises on purpose."""

    exit_code = EXIT_USAGE


class UsageError(KgError):
    """Bad arguments or configuration: exit code 2."""

    exit_code = EXIT_USAGE


class LoadError(KgError):
    """Files cannot be read or parsed: exit code 2. Carries the issues with their positions."""

    exit_code = EXIT_USAGE

    def __init__(self, issues: Issue | list[Issue]) -> None:
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        super().__init__("\n".join(i.format() for i in self.issues))


class ValidationFailed(KgError):
    """The data is invalid: exit code 1. Carries the full report."""

    exit_code = EXIT_INVALID

    def __init__(self, report: Report) -> None:
        super().__init__(report.format())
        self.report = report

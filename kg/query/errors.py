"""Errors of querying (their place in the one exception tree is drawn in :mod:`kg.errors`).

A bad query is a usage error (exit code 2), like a bad argument: the data is fine, the request
is not.
"""

from __future__ import annotations

from kg.errors import UsageError

__all__ = ["QueryError", "QueryTimeout", "ResultTooLarge", "UpdateRefused"]


class QueryError(UsageError):
    """A query that does not parse (or cannot be run). Carries the position of the problem."""

    def __init__(self, message: str, *, line: int = 0, column: int = 0, text: str = "",
                 source: str = "query") -> None:
        self.message = message
        self.line = line
        self.column = column
        self.text = text
        self.source = source
        super().__init__(self.format())

    def format(self) -> str:
        """``source:line:column: message``, then the offending line and a caret under the column."""
        where = f"{self.source}:{self.line}:{self.column}" if self.line else self.source
        out = f"{where}: {self.message}"
        lines = self.text.split("\n")
        if 0 < self.line <= len(lines):
            shown = lines[self.line - 1].replace("\t", " ")
            out += f"\n    {shown}\n    {' ' * max(self.column - 1, 0)}^"
        return out

    def to_dict(self) -> dict[str, object]:
        """The error as plain data (the endpoint sends it as JSON)."""
        return {"error": type(self).__name__, "message": self.message, "line": self.line,
                "column": self.column, "source": self.source}


class UpdateRefused(QueryError):
    """SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) sent where only queries are allowed."""


class ResultTooLarge(UsageError):
    """The result has more rows (or triples) than the configured cap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the result has more than {limit} rows (the cap); add a LIMIT or narrow the query")


class QueryTimeout(UsageError):
    """The query ran past the time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the query ran longer than {seconds:g} s (the time limit) and was stopped")

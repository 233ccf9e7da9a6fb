"""Errors of querying (their place in the one exception tree is drawn in :mod:`kg.errors`).

A bad query is a usage error (exit code 2), like a bad argument: the data is fine, the request
is not.
"""

from __future__ import annotations

from kg.errors import UsageError

__all__ = ["NotRepresentable", "QueryError", "QueryMemory", "QueryTimeout", "ResultTooLarge", "ServiceRefused",
           "TooDeep", "UpdateRefused"]


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


class ServiceRefused(QueryError):
    """``SERVICE`` in a query, to an endpoint that no allow-list names: kg does not make requests
    to other servers on a query's behalf (that would let any query reach any URL)."""


class TooDeep(QueryError):
    """Groups, parentheses or brackets nested deeper than :data:`kg.query.engine.MAX_NESTING`
    (the parser recurses once per level; thousands of levels overflow its stack)."""


class ResultTooLarge(UsageError):
    """The result has more rows (or triples), or more bytes, than the configured cap."""

    def __init__(self, limit: int, unit: str = "rows") -> None:
        self.limit = limit
        self.unit = unit
        what = f"{limit} rows" if unit == "rows" else f"{limit:,} bytes".replace(",", " ")
        super().__init__(f"the result has more than {what} (the cap); add a LIMIT or narrow the query")


class NotRepresentable(UsageError):
    """The asked format cannot write this result (RDF/XML needs an XML name for every predicate)."""


class QueryTimeout(UsageError):
    """The query ran past the time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the query ran longer than {seconds:g} s (the time limit) and was stopped")


class QueryMemory(UsageError):
    """The query needed more memory than its limit allows and was stopped."""

    def __init__(self, mib: int) -> None:
        self.mib = mib
        super().__init__(f"the query needed more than {mib} MiB of memory (the limit) and was stopped; "
                         "narrow the query, or raise --memory-limit")

"""What a query returns: :class:`QueryResult`, with rows as dicts and as a pandas DataFrame.

A result is one of three kinds, as in SPARQL: ``select`` (variables and rows), ``ask`` (a
boolean) and ``graph`` (the triples of a CONSTRUCT or DESCRIBE query, as an rdflib Graph).
Terms are rdflib terms (``URIRef``, ``Literal``, ``BNode``); an unbound variable is ``None``.
Serializing a result is :func:`kg.query.formats.dump_result`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal as KindLiteral

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

if TYPE_CHECKING:  # pandas is imported only when a DataFrame is asked for
    import pandas

__all__ = ["QueryResult", "ResultKind"]

ResultKind = KindLiteral["select", "ask", "graph"]


@dataclass
class QueryResult:
    """The answer to one query.

    Attributes
    ----------
    kind:
        ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT and DESCRIBE).
    variables:
        The projected variables of a SELECT, in order (``["s", "p", "o"]`` for a graph result).
    rows:
        One dict per solution, ``{variable: term or None}``; for a graph result, one dict per
        triple with the keys ``s``, ``p``, ``o``. Empty for ASK.
    boolean:
        The answer of an ASK query (None otherwise).
    graph:
        The triples of a CONSTRUCT or DESCRIBE query (None otherwise).
    prefixes:
        Prefixes used to shorten IRIs in the table format and bound in RDF outputs.
    """

    kind: ResultKind
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node | None]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    prefixes: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        """The number of rows (triples for a graph result; 1 for ASK)."""
        return 1 if self.kind == "ask" else len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Node | None]]:
        return iter(self.rows)

    def column(self, variable: str) -> list[Node | None]:
        """Every value of one variable, in row order."""
        if variable not in self.variables:
            raise KeyError(f"no variable {variable!r} in the result; it has {', '.join(self.variables)}")
        return [row.get(variable) for row in self.rows]

    def values(self, variable: str) -> set[str]:
        """The distinct values of one variable as strings (IRIs and literal text): handy in tests."""
        return {str(v) for v in self.column(variable) if v is not None}

    def to_python(self) -> list[dict[str, Any]]:
        """Rows with plain Python values: IRIs as str, literals as int/float/Decimal/date/str."""
        return [{k: _python(v) for k, v in row.items()} for row in self.rows]

    def to_dataframe(self) -> "pandas.DataFrame":
        """The rows as a pandas DataFrame, one column per variable (ASK: one ``ask`` column)."""
        import pandas as pd

        if self.kind == "ask":
            return pd.DataFrame({"ask": [bool(self.boolean)]})
        return pd.DataFrame(self.to_python(), columns=list(self.variables))


def _python(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    if isinstance(term, URIRef):
        return str(term)
    return str(term)

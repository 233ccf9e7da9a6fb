"""What a query returns: :class:`QueryResult`, with rows as dicts and as a pandas DataFrame.

A result is one of three kinds, as in SPARQL: ``select`` (variables and rows), ``ask`` (a
boolean) and ``graph`` (the triples of a CONSTRUCT or DESCRIBE query, as an rdflib Graph).
Terms are rdflib terms (``URIRef``, ``Literal``, ``BNode``); an unbound variable is ``None``.
Serializing a result is :func:`kg.query.formats.dump_result`; :meth:`QueryResult.to_dataframe`
gives pandas a typed table, with IRIs as they are, as CURIEs or as labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from typing import Literal as KindLiteral

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.query.terms import Memo
from kg.query.tokens import from_rdflib, to_rdflib

if TYPE_CHECKING:  # pandas is imported only when a DataFrame is asked for
    import pandas

__all__ = ["Labeler", "QueryResult", "ResultKind", "TermStyle"]

ResultKind = KindLiteral["select", "ask", "graph"]
#: How :meth:`QueryResult.to_dataframe` shows an IRI: as it is, as a CURIE, or by its label.
TermStyle = KindLiteral["iri", "curie", "label"]
#: Looks up labels: IRIs -> {IRI: label} for those that have one (:meth:`kg.query.Engine.labels`).
Labeler = Callable[[Iterable[str]], Mapping[str, str]]


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
        triple with the keys ``s``, ``p``, ``o``. Empty for ASK. The engine keeps a SELECT result
        as the SPARQL TSV Oxigraph wrote (:meth:`tsv`); ``rows`` makes the rdflib terms on first use.
    boolean:
        The answer of an ASK query (None otherwise).
    graph:
        The triples of a CONSTRUCT or DESCRIBE query (None otherwise).
    prefixes:
        Prefixes used to shorten IRIs in the table format and bound in RDF outputs.
    labeler:
        Looks up the labels of IRIs for ``to_dataframe(terms="label")``; the engine that ran the
        query sets it (None for a result made by hand).
    """

    def __init__(self, kind: ResultKind, variables: Sequence[str] = (),
                 rows: list[dict[str, Node | None]] | None = None, boolean: bool | None = None,
                 graph: Graph | None = None, prefixes: Mapping[str, str] | None = None,
                 labeler: Labeler | None = None) -> None:
        self.kind: ResultKind = kind
        self.variables: list[str] = list(variables)
        self.boolean = boolean
        self.graph = graph
        self.prefixes: dict[str, str] = dict(prefixes or {})
        self.labeler = labeler
        self._rows: list[dict[str, Node | None]] | None = rows if rows is not None else []
        self._tokens: list[list[str]] | None = None
        self._tsv: bytes | None = None

    @classmethod
    def from_tsv(cls, variables: Sequence[str], tsv: bytes,
                 prefixes: Mapping[str, str] | None = None) -> QueryResult:
        """A SELECT result from a SPARQL TSV document (a header line, then one line per row), as
        Oxigraph writes it; see :mod:`kg.query.tokens` for why the engine hands results over so."""
        result = cls("select", variables, prefixes=prefixes)
        result._rows, result._tsv = None, tsv
        return result

    @property
    def rows(self) -> list[dict[str, Node | None]]:
        """One dict per solution (see the class docstring), made on first use."""
        if self._rows is None:
            names = self.variables
            convert = Memo(to_rdflib).__getitem__
            # strict=False: with no variables, a row is one empty token
            self._rows = [dict(zip(names, map(convert, row), strict=False)) for row in self.tokens()]
        return self._rows

    def tokens(self) -> list[list[str]]:
        """Every row as SPARQL TSV terms, one per variable in order (``""`` when unbound)."""
        if self._tokens is None:
            if self._tsv is not None:
                lines = self._tsv.decode("utf-8").split("\n")
                self._tokens = [line.split("\t") for line in lines[1:-1]]  # no header, no "" after the last \n
            else:
                names = self.variables
                term: Memo[Node | None, str] = Memo(from_rdflib)
                self._tokens = [[term[row.get(v)] for v in names] for row in self.rows]
        return self._tokens

    def tsv(self) -> bytes:
        """The rows as a SPARQL TSV document (what the writers of :mod:`kg.query.formats` read)."""
        if self._tsv is None:
            lines = ["\t".join(f"?{v}" for v in self.variables), *("\t".join(row) for row in self.tokens())]
            self._tsv = ("\n".join(lines) + "\n").encode("utf-8")
        return self._tsv

    def __len__(self) -> int:
        """The number of rows (triples for a graph result; 1 for ASK)."""
        if self.kind == "ask":
            return 1
        if self._rows is None and self._tsv is not None:
            return self._tsv.count(b"\n") - 1
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Node | None]]:
        return iter(self.rows)

    def __repr__(self) -> str:
        return f"<QueryResult {self.kind} {len(self)} row(s) {self.variables}>"

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

    def to_dataframe(self, terms: TermStyle = "iri") -> pandas.DataFrame:
        """The rows as a pandas DataFrame, one column per variable (ASK: one ``ask`` column).

        Parameters
        ----------
        terms:
            How IRIs are shown: ``"iri"`` (in full, the default), ``"curie"`` (shortened with the
            result's prefixes: ``data:emc``, ``kg:Allegation``; an IRI no prefix covers stays
            whole) or ``"label"`` (the ``rdfs:label`` the data gives it: ``EMC``, ``Allegation``;
            a name with no language tag first, then English, then any; its CURIE when it has none).

        Each column has one type and one missing value, ``pd.NA``: whole numbers are ``Int64``
        (``12``, never ``12.0``), other numbers ``Float64``, booleans ``boolean``, text and IRIs
        ``string``; dates and anything mixed stay Python objects (missing: ``pd.NA`` too).

        Examples
        --------
        >>> from rdflib import Literal, URIRef
        >>> result = QueryResult("select", ["event", "killed"], rows=[
        ...     {"event": URIRef("https://example.org/d/downing"), "killed": Literal(12)},
        ...     {"event": URIRef("https://example.org/d/display"), "killed": None}],
        ...     prefixes={"d": "https://example.org/d/"})
        >>> frame = result.to_dataframe(terms="curie")
        >>> frame["event"].tolist(), frame["killed"].tolist(), str(frame["killed"].dtype)
        (['d:downing', 'd:display'], [12, <NA>], 'Int64')
        """
        import pandas as pd

        if terms not in ("iri", "curie", "label"):
            raise ValueError(f"terms is 'iri', 'curie' or 'label', not {terms!r}")
        if self.kind == "ask":
            return pd.DataFrame({"ask": pd.array([bool(self.boolean)], dtype="boolean")})
        rows = self.rows
        show = self._shower(terms, rows)
        columns = {v: _column(pd, [show(row.get(v)) for row in rows]) for v in self.variables}
        return pd.DataFrame(columns, columns=list(self.variables))

    def _shower(self, terms: TermStyle, rows: list[dict[str, Node | None]]) -> Callable[[Node | None], Any]:
        """How each term becomes a cell: literals as Python values, IRIs as ``terms`` says."""
        curie = self._curie
        labels: Mapping[str, str] = {}
        if terms == "label":
            if self.labeler is None:
                raise ValueError("labels come from the data: use a result of kg.query.run or Engine.query "
                                 "(this one was made without an engine), or terms='curie'")
            iris = sorted({str(v) for row in rows for v in row.values() if isinstance(v, URIRef)})
            labels = self.labeler(iris)

        def show(term: Node | None) -> Any:
            if isinstance(term, URIRef):
                if terms == "iri":
                    return str(term)
                return labels.get(str(term)) or curie(str(term))
            return _python(term)

        return show

    def _curie(self, iri: str) -> str:
        """``iri`` shortened with the longest namespace of the result's prefixes that covers it."""
        best, best_ns = "", ""
        for prefix, ns in sorted(self.prefixes.items()):
            if prefix and len(ns) > len(best_ns) and len(iri) > len(ns) and iri.startswith(ns):
                best, best_ns = prefix, ns
        return f"{best}:{iri[len(best_ns):]}" if best else iri


def _column(pd: Any, values: list[Any]) -> Any:
    """One typed pandas array for a column of Python values (``None`` for unbound)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pd.array(values, dtype="boolean")
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.array(values, dtype="Int64")
    if present and all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in present):
        return pd.array([None if v is None else float(v) for v in values], dtype="Float64")
    if all(isinstance(v, str) for v in present):
        return pd.array(values, dtype="string")
    return pd.array([pd.NA if v is None else v for v in values], dtype=object)


def _python(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    if isinstance(term, URIRef):
        return str(term)
    return str(term)

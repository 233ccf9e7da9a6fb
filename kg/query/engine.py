"""The query engine: a read-only SPARQL 1.1 engine over a built dataset.

Queries run on a pyoxigraph in-memory store loaded with the dataset's quads, in kg's sorted
order (:meth:`Engine.from_quads`). pyoxigraph (Rust) answered the issue's benchmark questions
20-500x faster than rdflib's own SPARQL engine on large graphs, and answers the same SPARQL. The
store is made once per :class:`Engine`; keep the engine to ask many questions.

The query's default graph is the **union of every graph** of the dataset (facts, provenance,
ontology, and inferred triples when present), so claims, labels and the class hierarchy can be
matched side by side; ``GRAPH <...> { }`` still selects one graph. The dataset's prefixes
(``kg:``, ``rdfs:``, ``data:`` ...) are predeclared and relative IRIs resolve against the
dataset's base (``<medellin>`` is ``data:medellin``).

Parameters are bound values (SEP-0007 substitution, like rdflib's ``initBindings``): the value
replaces the variable in the parsed query; it is never spliced into the query text.

Two checks run on the query text before Oxigraph sees it (:func:`check_query_text`):

* **SERVICE** is refused (:class:`~kg.query.errors.ServiceRefused`) unless the engine was given
  the endpoint in ``allow_service``: Oxigraph would otherwise send an HTTP request to any URL a
  query names, from the machine running kg (server-side request forgery);
* **depth**: Oxigraph's parser and planner recurse once per nested group, operator or list item,
  and a few thousand levels overflow the stack (a segmentation fault that kills the process: a
  10 KB query of nested braces). Groups may nest :data:`MAX_NESTING` deep, and a query may chain
  at most :data:`MAX_CHAIN` operators (``UNION``, ``||``, ``/`` ...) or list items in one
  parenthesis (:class:`~kg.query.errors.TooDeep`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.term import Node

from kg.query.errors import QueryError, ResultTooLarge, ServiceRefused, TooDeep, UpdateRefused
from kg.query.result import QueryResult
from kg.query.terms import term_converter, to_ox
from kg.vocab import RDFS

if TYPE_CHECKING:
    from kg.build import Built
    from kg.project import Project

__all__ = ["MAX_CHAIN", "MAX_NESTING", "Engine", "check_query_text"]

#: How deep groups ``{ }``, parentheses and brackets may nest. 3,000 nested braces overflowed the
#: parser's stack (8 MiB); 1,000 parsed. Real queries nest a handful of levels.
MAX_NESTING = 200
#: How many chaining operators (``UNION``, ``MINUS``, ``OPTIONAL``, ``||``, ``&&``, ``!``, ``+``,
#: ``-``, ``*``, ``/``, ``|``, ``^``) a query may hold, and how many items one parenthesis may
#: list. Each adds a level to the parsed query: 4,000 ``MINUS`` or 7,000 ``UNION`` overflowed the
#: stack, 2,000 of each did not.
MAX_CHAIN = 2000

_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*", re.IGNORECASE)
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_OX_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_SURROGATE = re.compile("[\ud800-\udfff]")  # bytes that were not UTF-8 (from argv, say)
_RDFS_LABEL = ox.NamedNode(str(RDFS.label))
# The query's lexemes, as far as the checks need them: what cannot hold structure (strings, IRIs,
# comments, variables, prefixed names, numbers) is one lexeme, so that a brace or a keyword inside
# it is not counted; brackets; operators; words. Anything else is skipped a character at a time.
# Where this reads the text differently from the parser (an unterminated string, say), it sees
# more structure, never less: a check can only refuse too much.
_SQ3, _DQ3 = "'" * 3, '"' * 3
_LEXEME = re.compile("|".join([
    "(?P<string>" + _SQ3 + r"(?:[^'\\]|\\.|'(?!''))*" + _SQ3 + "|" + _DQ3 + r'(?:[^"\\]|\\.|"(?!""))*' + _DQ3
    + r"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")""",
    r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
    r"(?P<comment>#[^\n\r]*)",
    r"""(?P<var>[?$][^\s{}()\[\],;.<>"'#|/^*+!=&-]+)""",
    r"""(?P<pname>[^\s{}()\[\],;<>"'#?$|/^*+!=&]*:(?:[^\s{}()\[\],;<>"'#|/^*+!=&\\]|\\.)*)""",
    r"(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)",
    r"(?P<open>[{(\[])", r"(?P<close>[})\]])",
    r"(?P<op>\|\||&&|[!+\-*/|^])",
    r"(?P<word>[^\W\d][\w-]*)",
]), re.DOTALL)
_CHAIN_WORDS = {"UNION", "MINUS", "OPTIONAL"}


class Engine:
    """A SPARQL engine holding one dataset. Thread-safe for queries (it never writes)."""

    def __init__(self, store: ox.Store, *, prefixes: Mapping[str, str] | None = None,
                 base: str | None = None, allow_service: Iterable[str] = ()) -> None:
        self.store = store
        self.prefixes = {p: str(ns) for p, ns in (prefixes or {}).items() if p}
        self.base = base
        #: The SPARQL endpoints a query may name in SERVICE (full IRIs); none by default.
        self.allow_service = frozenset(allow_service)

    # --- construction ------------------------------------------------------------------------

    @classmethod
    def from_built(cls, built: Built, *, prefixes: Mapping[str, str] | None = None,
                   base: str | None = None, allow_service: Iterable[str] = ()) -> Engine:
        """An engine over a :class:`kg.build.Built` (every graph), loaded in kg's sorted order.

        The order matters: Oxigraph answered the same aggregate question over the same 1M quads
        in 360 ms loaded sorted and in 700 ms loaded in rdflib's hash order (bench/README.md).
        """
        from kg.output.rdf import dump

        store = ox.Store()
        if len(built):
            try:
                store.bulk_load(input=dump(built, "nq"), format=ox.RdfFormat.N_QUADS)
            except SyntaxError as exc:  # a term added by hand to an rdflib graph, say an IRI with a space
                raise ValueError(f"the dataset holds a term that is not valid RDF: {exc}") from None
        return cls(store, prefixes=dict(built.prefixes) if prefixes is None else prefixes,
                   base=(built.base or None) if base is None else base, allow_service=allow_service)

    @classmethod
    def from_dataset(cls, ds: Dataset | Graph, *, prefixes: Mapping[str, str] | None = None,
                     base: str | None = None, allow_service: Iterable[str] = ()) -> Engine:
        """An engine over an rdflib Dataset (every graph) or Graph (as the default graph)."""
        from kg.build import Built, QuadsBuilder
        from kg.build.quads import from_dataset
        from kg.ntriples import term_n3

        if isinstance(ds, Dataset):
            quads = from_dataset(ds)
        else:
            builder = QuadsBuilder({p: str(ns) for p, ns in sorted(ds.namespaces()) if p})
            for s, p, o in ds:
                builder.add(term_n3(s), term_n3(p), term_n3(o))
            quads = builder.finish()
        return cls.from_built(Built(quads, base or ""), prefixes=prefixes, base=base, allow_service=allow_service)

    @classmethod
    def from_project(cls, project: Project, *, allow_service: Iterable[str] = ()) -> Engine:
        """Load and build a dataset directory (see :func:`kg.open_project`), then index it."""
        from kg.build import build
        from kg.load import load

        built = build(load(project))
        return cls.from_built(built, prefixes={**built.prefixes, **project.prefixes}, base=project.base,
                              allow_service=allow_service)

    @classmethod
    def from_nquads(cls, path: Path, *, prefixes: Mapping[str, str] | None = None,
                    base: str | None = None, allow_service: Iterable[str] = ()) -> Engine:
        """An engine over an N-Quads file (how the endpoint's worker processes get the data)."""
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        return cls(store, prefixes=prefixes, base=base, allow_service=allow_service)

    def write_nquads(self, path: Path) -> Path:
        """Write every quad to ``path`` as N-Quads."""
        self.store.dump(output=str(path), format=ox.RdfFormat.N_QUADS)
        return path

    def __len__(self) -> int:
        """The number of quads held."""
        return len(self.store)

    # --- querying ----------------------------------------------------------------------------

    def query(self, text: str, params: Mapping[str, Node] | None = None, *, max_rows: int | None = None,
              source: str = "query") -> QueryResult:
        """Run one SELECT, ASK, CONSTRUCT or DESCRIBE query.

        ``params`` binds variables (``{"place": URIRef(...)}``) before evaluation. ``max_rows``
        caps the rows (triples) read: beyond it :class:`ResultTooLarge` is raised and the
        evaluation stops. A query that does not parse raises :class:`QueryError` with the line
        and column; SPARQL Update raises :class:`UpdateRefused`.
        """
        answer = self._execute(text, params, source)
        try:
            result = self._result(answer, max_rows)
        except (OSError, ValueError, RuntimeError) as exc:  # an evaluation error inside the engine
            raise QueryError(f"the query failed while running: {exc}", text=text, source=source) from None
        result.labeler = self.labels  # for result.to_dataframe(terms="label")
        return result

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """The ``rdfs:label`` of each IRI that has one, in any graph: a name with no language tag
        first, then English, then any (the smallest, so the choice is stable)."""
        found: dict[str, str] = {}
        for iri in iris:
            names = [q.object for q in self.store.quads_for_pattern(ox.NamedNode(iri), _RDFS_LABEL, None, None)
                     if isinstance(q.object, ox.Literal)]
            if names:
                best = min(names, key=lambda n: (n.language is not None, n.language != "en", n.value))
                found[iri] = best.value
        return found

    def query_bytes(self, text: str, params: Mapping[str, Node] | None = None, *, select_format: str,
                    max_rows: int | None = None, max_bytes: int | None = None,
                    source: str = "query") -> QueryResult | bytes:
        """:meth:`query`, except that a SELECT result comes back already written by Oxigraph in
        ``select_format`` (``json``, ``xml`` or ``tsv``): what the endpoint sends, with no Python
        object made per row and the bytes as Oxigraph wrote them (compact JSON, where
        :func:`kg.query.dump_result` puts one row a line for files; XML with U+FFFD for the
        characters XML cannot hold, as there). ASK, CONSTRUCT and DESCRIBE results come back as a
        :class:`QueryResult`. ``max_bytes`` caps the written SELECT result: past it the writing
        (and so the evaluation) stops with :class:`ResultTooLarge`."""
        if select_format not in _ROW_MARKS:
            raise ValueError(f"select_format is one of {', '.join(_ROW_MARKS)}, not {select_format!r}")
        answer = self._execute(text, params, source)
        try:
            if isinstance(answer, ox.QuerySolutions):
                from kg.query.formats import xml_safe

                data = _written(answer, select_format, max_rows, max_bytes)
                return xml_safe(data) if select_format == "xml" else data
            return self._result(answer, max_rows)
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"the query failed while running: {exc}", text=text, source=source) from None

    def _execute(self, text: str, params: Mapping[str, Node] | None,
                 source: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Parse and start the query (Oxigraph evaluates as the answer is read); errors mapped."""
        bad = _SURROGATE.search(text)
        if bad:
            line, column = _position(text, bad.start())
            raise QueryError("the query holds bytes that are not UTF-8 text", line=line, column=column,
                             text=text, source=source)
        check_query_text(text, allow_service=self.allow_service, source=source)
        try:
            substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
                ox.Variable(k): to_ox(v) for k, v in (params or {}).items() if v is not None}
        except ValueError:
            bad_names = [k for k in params or {} if not re.fullmatch(r"[A-Za-z_][\w]*", k)]
            raise QueryError(f"parameter name {bad_names[0] if bad_names else '?'!r} is not a SPARQL variable "
                             "name (letters, digits and _)", text=text, source=source) from None
        try:
            return self.store.query(text, base_iri=self.base, prefixes=self.prefixes,
                                    use_default_graph_as_union=True, substitutions=substitutions or None)
        except SyntaxError as exc:
            raise self._syntax_error(text, str(exc), source) from None
        except RuntimeError as exc:
            if "SELECT projection" in str(exc):
                missing = re.search(r"\?(\w+)", str(exc))
                name = missing.group(1) if missing else "?"
                raise QueryError(f"parameter {name} is bound, so ?{name} must be in the SELECT clause",
                                 text=text, source=source) from None
            raise QueryError(f"the query failed: {exc}", text=text, source=source) from None
        except (OSError, ValueError, TypeError) as exc:
            raise QueryError(f"the query failed: {exc}", text=text, source=source) from None

    def _result(self, answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
                max_rows: int | None) -> QueryResult:
        prefixes = dict(self.prefixes)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer), prefixes=prefixes)
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            return QueryResult.from_tsv(names, _written(answer, "tsv", max_rows), prefixes)
        graph = Graph(bind_namespaces="none")
        for prefix, ns in sorted(prefixes.items()):
            graph.bind(prefix, ns, override=True, replace=True)
        convert = term_converter()
        triples = iter(answer)  # QueryTriples
        rows: list[dict[str, Node | None]] = []
        for triple in islice(triples, max_rows):
            s, p, o = convert(triple.subject), convert(triple.predicate), convert(triple.object)
            assert s is not None and p is not None and o is not None  # a triple's terms are all there
            graph.add((s, p, o))
            rows.append({"s": s, "p": p, "o": o})
        if max_rows is not None and next(triples, None) is not None:
            raise ResultTooLarge(max_rows)
        rows.sort(key=lambda r: (r["s"], r["p"], r["o"]))
        return QueryResult("graph", variables=["s", "p", "o"], rows=rows, graph=graph, prefixes=prefixes)

    def _syntax_error(self, text: str, ox_message: str, source: str) -> QueryError:
        """A QueryError with the best position and expectation we can find.

        pyoxigraph reports where its parser gave up; rdflib's pyparsing grammar usually names the
        token it expected at the first wrong token, so it is asked for a second opinion.
        """
        head = _PROLOGUE.match(text)
        if head and _UPDATE.match(text, head.end()):
            line, column = _position(text, head.end())
            return UpdateRefused("SPARQL Update is not allowed: this endpoint and kg query are read-only",
                                 line=line, column=column, text=text, source=source)
        match = _OX_ERROR.match(ox_message)
        line, column = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        message = match.group(3).strip() if match else ox_message
        message = f"syntax error: {message}"
        from pyparsing import ParseException
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        try:
            translateQuery(parseQuery(text), base=self.base, initNs=self.prefixes)
        except ParseException as exc:
            found = exc.pstr[exc.loc:exc.loc + 20].split("\n")[0].strip()
            message = f"syntax error: {exc.msg[:1].lower()}{exc.msg[1:]}"
            message += f", found {found!r}" if found else ", found the end of the query"
            line, column = exc.lineno, exc.col
        except Exception as exc:  # noqa: BLE001 - rdflib raises bare Exception for unknown prefixes
            unknown = re.match(r"Unknown namespace prefix : (\S*)", str(exc))
            if unknown:
                prefix = unknown.group(1)
                message = (f"unknown prefix {prefix}: declare it (PREFIX {prefix}: <...>) or use one of "
                           f"{', '.join(sorted(self.prefixes))}")
                at = re.search(rf"(?<![\w<\"'-]){re.escape(prefix)}:", text)
                if at:
                    line, column = _position(text, at.start())
        return QueryError(message, line=line, column=column, text=text, source=source)


#: How to count the rows of a SELECT result as Oxigraph writes it, by format: a mark that opens
#: every row (but the first, in JSON), one that opens the first row (JSON only), and how many
#: marks are not rows. Counting one short mark is what keeps the cap cheap (a pass over the bytes
#: as they come, about 0.7 ms a MB; three marks cost 5 ms on a 2.3 MB result).
_ROW_MARKS: dict[str, tuple[bytes, bytes | None, int]] = {
    # TSV: a line a row (line breaks inside values are escaped), after the header line: exact.
    "tsv": (b"\n", None, 1),
    # JSON: rows are objects in the "bindings" array: the first opens with "bindings":[{ and each
    # other one with ,{ . Structure has no other ",{"; a value can hold that text, which can only
    # count a row too many (a refusal a little before the cap), never too few.
    "json": (b",{", b'"bindings":[{', 0),
    # XML: markup inside a value is escaped, so <result> only ever opens a row: exact.
    "xml": (b"<result>", None, 0),
}
_TSV_TRIPLE_TERM = re.compile(rb"(?:^|\t)<<", re.MULTILINE)  # a value, not text inside a literal


def _has_triple_term(data: bytes, fmt: str) -> bool:
    """Whether a written result holds an RDF 1.2 triple term (which kg does not handle)."""
    if fmt == "tsv":
        return b"<<" in data and _TSV_TRIPLE_TERM.search(data) is not None
    return (b'"type":"triple"' if fmt == "json" else b"<triple>") in data  # never text in a value


class _RowCap:
    """Where Oxigraph writes a result: it keeps the bytes, counts the rows as they come, and
    stops the writing (so the evaluation too) once more than ``max_rows`` have come, or more
    than ``max_bytes`` bytes (one row can be huge: a 128 MiB string)."""

    def __init__(self, max_rows: int | None, fmt: str, max_bytes: int | None = None) -> None:
        self.chunks: list[bytes] = []
        self.mark, self.first, not_rows = _ROW_MARKS[fmt]
        self.limit = max_rows + not_rows if max_rows is not None else None
        self.max_bytes = max_bytes
        self.size = 0
        self.count = 0
        self.tail = b""  # the end of the last chunk: a mark may straddle two chunks
        self.over = False
        self.too_big = False

    def write(self, chunk: bytes) -> int:
        data = bytes(chunk)
        self.chunks.append(data)
        self.size += len(data)
        if self.max_bytes is not None and self.size > self.max_bytes:
            self.too_big = True
            raise OSError("the result has more bytes than allowed")
        if self.limit is None:
            return len(data)
        mark = self.mark
        self.count += data.count(mark)
        if len(mark) > 1:
            if self.tail:  # a mark across the joint, counted on neither side
                self.count += (self.tail + data[:len(mark) - 1]).count(mark)
            self.tail = data[1 - len(mark):]
        if self.first is not None and self.first in b"".join(self.chunks[:2]):
            self.count += 1  # the first row (its mark is in the first chunk or two)
            self.first = None
        if self.count > self.limit:
            self.over = True
            raise OSError("the result has more rows than allowed")
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the bytes stay in memory."""


def _written(answer: ox.QuerySolutions, fmt: str, max_rows: int | None, max_bytes: int | None = None) -> bytes:
    """Every solution written by Oxigraph in one results format (``tsv``, ``json``, ``xml``),
    stopped at ``max_rows`` or ``max_bytes`` (:class:`ResultTooLarge`). See :mod:`kg.query.tokens`
    for why TSV is how the Python API gets its rows."""
    writer = getattr(ox.QueryResultsFormat, fmt.upper())
    if max_rows is None and max_bytes is None:
        written = answer.serialize(format=writer)
        assert written is not None  # given no output, pyoxigraph returns the bytes
        data = written
    else:
        sink = _RowCap(max_rows, fmt, max_bytes)
        try:
            # pyoxigraph's stub asks for a typing.IO; it calls only write() and flush(), which sink has
            answer.serialize(sink, format=writer)  # type: ignore[arg-type]
        except OSError:
            if sink.too_big:
                raise ResultTooLarge(max_bytes or 0, "bytes") from None
            if sink.over:
                raise ResultTooLarge(max_rows or 0) from None
            raise
        data = b"".join(sink.chunks)
    if _has_triple_term(data, fmt):
        raise ValueError("the result holds an RDF 1.2 triple term, which kg does not handle: "
                         "select the triple's subject, predicate and object instead")
    return data


def check_query_text(text: str, *, allow_service: Iterable[str] = (), source: str = "query") -> None:
    """Refuse, before any parsing, a query that names a SERVICE endpoint not in ``allow_service``
    (:class:`~kg.query.errors.ServiceRefused`) or whose structure is deep enough to overflow the
    parser's stack (:class:`~kg.query.errors.TooDeep`). See the module docstring.

    >>> check_query_text("SELECT * { SERVICE <http://127.0.0.1:3030/ds> { ?s ?p ?o } }",
    ...                  allow_service=["http://127.0.0.1:3030/ds"])  # allowed: no error
    """
    allowed = frozenset(allow_service)
    depth, chain = 0, 0
    items: list[int] = []  # items listed in each open parenthesis (0 for braces and brackets)
    lexemes = [m for m in _LEXEME.finditer(text) if m.lastgroup != "comment"]

    def refuse(kind: type[QueryError], offset: int, message: str) -> QueryError:
        line, column = _position(text, offset)
        return kind(message, line=line, column=column, text=text, source=source)

    for index, match in enumerate(lexemes):
        kind = match.lastgroup
        if items and kind in ("string", "iri", "var", "pname", "number", "word"):
            items[-1] += 1
            if items[-1] > MAX_CHAIN:
                raise refuse(TooDeep, match.start(), f"more than {MAX_CHAIN} items in one parenthesis; "
                             "kg allows at most that many (use VALUES for long lists)")
        if kind == "open":
            depth += 1
            items.append(0 if match.group() == "(" else -MAX_CHAIN * len(text))  # a group is no list
            if depth > MAX_NESTING:
                raise refuse(TooDeep, match.start(), f"groups and parentheses nested more than {MAX_NESTING} "
                             "deep; kg allows at most that many levels")
        elif kind == "close":
            depth = max(depth - 1, 0)
            if items:
                items.pop()
        elif kind == "op" or (kind == "word" and match.group().upper() in _CHAIN_WORDS):
            chain += 1
            if chain > MAX_CHAIN:
                raise refuse(TooDeep, match.start(), f"more than {MAX_CHAIN} operators (UNION, MINUS, OPTIONAL, "
                             "||, &&, !, +, -, *, /, |, ^); kg allows at most that many in one query")
        elif kind == "word" and match.group().upper() == "SERVICE":
            following = lexemes[index + 1:index + 3]
            if following and following[0].lastgroup == "word" and following[0].group().upper() == "SILENT":
                following = following[1:]
            target = following[0] if following else None
            iri = target.group()[1:-1] if target is not None and target.lastgroup == "iri" else None
            if iri is not None and iri in allowed:
                continue
            named = target.group() if target is not None else "with no endpoint"
            if not allowed:
                why = ("kg makes no request to another server on a query's behalf; allow an endpoint with "
                       "--allow-service URL (kg query, kg serve) or allow_service=[...] (Python)")
            elif iri is None:
                why = "write the endpoint as a full IRI in angle brackets, one of " + \
                    ", ".join(f"<{a}>" for a in sorted(allowed))
            else:
                why = "the allowed endpoints are " + ", ".join(f"<{a}>" for a in sorted(allowed))
            raise refuse(ServiceRefused, match.start(), f"SERVICE {named} is not allowed: {why}")


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column

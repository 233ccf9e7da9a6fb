"""Result formats: one registry, name = ``--format`` value = ``?format=`` value on the endpoint.

SELECT and ASK results are written as the SPARQL 1.1 results formats (JSON, XML, CSV, TSV) or as
a readable text table; CONSTRUCT and DESCRIBE results as RDF (Turtle, N-Triples, JSON-LD,
RDF/XML) or as a table of triples. :func:`negotiate` picks a format from an HTTP Accept header.
Every string from the data is escaped for its target: JSON and XML by their writers, control and
bidi characters made visible in the text table (so data cannot drive the terminal).
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Graph

from kg.errors import UsageError
from kg.output.rdf import FORMATS as RDF_FORMATS
from kg.query.result import QueryResult
from kg.query.terms import Memo
from kg.query.tokens import parse_token

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["RESULT_FORMATS", "ResultFormat", "dump_result", "format_for", "negotiate", "text_table"]

_TABULAR = frozenset({"select", "ask"})
_GRAPH = frozenset({"graph"})
_ALL = _TABULAR | _GRAPH


@dataclass(frozen=True)
class ResultFormat:
    """A way to write a query result."""

    name: str
    media_type: str
    kinds: frozenset[str]
    description: str
    also_accepts: tuple[str, ...] = ()  # other media types that select this format

    @property
    def content_type(self) -> str:
        """The HTTP Content-Type to send (text types carry their charset)."""
        if self.media_type.startswith("text/") or self.media_type.endswith(("+json", "+xml", "/json")):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


RESULT_FORMATS: dict[str, ResultFormat] = {
    f.name: f
    for f in (
        ResultFormat("table", "text/plain", _ALL, "a readable text table (the default in a terminal)"),
        ResultFormat("json", "application/sparql-results+json", _TABULAR, "SPARQL 1.1 Query Results JSON",
                     ("application/json", "text/javascript", "application/javascript")),
        ResultFormat("xml", "application/sparql-results+xml", _TABULAR, "SPARQL Query Results XML",
                     ("application/xml", "text/xml")),
        ResultFormat("csv", "text/csv", _TABULAR, "SPARQL 1.1 Query Results CSV (values only)"),
        ResultFormat("tsv", "text/tab-separated-values", _TABULAR, "SPARQL 1.1 Query Results TSV (RDF terms)"),
        ResultFormat("ttl", RDF_FORMATS["ttl"].media_type, _GRAPH, "Turtle (CONSTRUCT/DESCRIBE)",
                     ("application/x-turtle", "application/turtle")),
        ResultFormat("nt", RDF_FORMATS["nt"].media_type, _GRAPH, "N-Triples, sorted (CONSTRUCT/DESCRIBE)"),
        ResultFormat("jsonld", RDF_FORMATS["jsonld"].media_type, _GRAPH, "JSON-LD (CONSTRUCT/DESCRIBE)",
                     ("application/json", "application/x-json+ld")),
        ResultFormat("rdf", RDF_FORMATS["rdf"].media_type, _GRAPH, "RDF/XML (CONSTRUCT/DESCRIBE)",
                     ("application/xml", "text/xml")),
    )
}

#: The format a client gets when it says nothing (or */*).
DEFAULT_FORMAT = {"select": "json", "ask": "json", "graph": "ttl"}


def format_for(name: str, kind: str) -> ResultFormat:
    """The format called ``name``, checked against the result kind (raises UsageError)."""
    fmt = RESULT_FORMATS.get(name)
    if fmt is None:
        raise UsageError(f"unknown result format {name!r}; choose from {', '.join(RESULT_FORMATS)}")
    if kind not in fmt.kinds:
        usable = ", ".join(n for n, f in RESULT_FORMATS.items() if kind in f.kinds)
        what = "CONSTRUCT/DESCRIBE" if kind == "graph" else kind.upper()
        raise UsageError(f"--format {name} cannot hold a {what} result; use one of {usable}")
    return fmt


def negotiate(accept: str | None, kind: str) -> ResultFormat:
    """The best format for an HTTP ``Accept`` header and a result kind.

    Media ranges are weighed by their ``q``; a header that names nothing usable gets the
    default for the kind (JSON results, Turtle graphs) rather than an error, as most endpoints do.
    """
    candidates = [f for f in RESULT_FORMATS.values() if kind in f.kinds and f.name != "table"]
    best: tuple[float, int, ResultFormat] | None = None
    for order, (media, q) in enumerate(_parse_accept(accept or "")):
        if q <= 0:
            continue
        for fmt in candidates:
            exact = media == fmt.media_type
            if exact or media in fmt.also_accepts or (media == "text/plain" and fmt.name == "nt"):
                score = (q + (0.001 if exact else 0.0), -order, fmt)
                if best is None or score[:2] > best[:2]:
                    best = score
    if best is not None:
        return best[2]
    return RESULT_FORMATS[DEFAULT_FORMAT[kind]]


def _parse_accept(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def dump_result(result: QueryResult, fmt: str | ResultFormat, *, max_width: int = 0) -> bytes:
    """Serialize a result in one format (``max_width`` truncates table cells; 0 = never)."""
    f = format_for(fmt, result.kind) if isinstance(fmt, str) else fmt
    if f.name == "table":
        return text_table(result, max_width=max_width).encode("utf-8")
    if result.kind == "graph":
        return _dump_graph(result, f.name)
    if result.kind == "ask":
        return _ask(result, f.name)
    return _select(result, f.name)


# SELECT results are written by Oxigraph's own result writers (JSON, XML, CSV, TSV), reading the
# SPARQL TSV the engine keeps (QueryResult.tsv(); see kg/query/tokens.py): no Python work per row
# or per term, 15-20 ms for 7,000 rows of 7 values where making the rdflib terms took 30-45 ms.
_OX_RESULTS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
#: Between two rows of Oxigraph's compact JSON: a row object ends with its last binding's "}}",
#: and the next begins with a quoted name. A quote inside a JSON string is escaped, so this text
#: never occurs inside a value.
_JSON_ROW_BREAK = (b'}},{"', b'}},\n{"')
#: What XML 1.0 cannot hold even escaped (C0 controls but tab, LF, CR; U+FFFE, U+FFFF), in UTF-8.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_REPLACEMENT = "\ufffd".encode("utf-8")


def _oxigraph_write(results: ox.QuerySolutions | ox.QueryBoolean, name: str) -> bytes:
    """Oxigraph's writer of results format ``name``, on parsed results."""
    import pyoxigraph as ox

    data = results.serialize(format=getattr(ox.QueryResultsFormat, _OX_RESULTS[name]))
    assert data is not None  # given no output, pyoxigraph returns the bytes
    return data


def _select(result: QueryResult, name: str) -> bytes:
    import pyoxigraph as ox

    solutions = ox.parse_query_results(result.tsv(), format=ox.QueryResultsFormat.TSV)
    return finish_select(_oxigraph_write(solutions, name), name)


def finish_select(data: bytes, name: str) -> bytes:
    """What kg adds to a SELECT result Oxigraph wrote in format ``name``: JSON gets one row a
    line (readable, and a changed row is a changed line in a diff); XML gets :func:`xml_safe`;
    every format ends with a line break."""
    if name == "json":
        data = data.replace(*_JSON_ROW_BREAK)
    elif name == "xml":
        data = xml_safe(data)
    return data if data.endswith(b"\n") else data + b"\n"


def xml_safe(data: bytes) -> bytes:
    """UTF-8 XML with U+FFFD for the characters XML 1.0 cannot hold, even escaped (C0 controls but
    tab, LF and CR; U+FFFE, U+FFFF): one of them in a value would make the whole document
    unreadable."""
    return _NOT_XML.sub(_REPLACEMENT, data)


def _ask(result: QueryResult, name: str) -> bytes:
    answer = "true" if result.boolean else "false"
    if name == "csv":
        return f"_askResult\r\n{answer}\r\n".encode()
    if name == "tsv":
        return f"?_askResult\n{answer}\n".encode()
    if name == "json":
        return f'{{"head": {{}}, "boolean": {answer}}}\n'.encode()
    import pyoxigraph as ox

    doc = ox.parse_query_results(f'{{"head":{{}},"boolean":{answer}}}', format=ox.QueryResultsFormat.JSON)
    return _oxigraph_write(doc, name) + b"\n"


def _dump_graph(result: QueryResult, name: str) -> bytes:
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, ns in sorted(result.prefixes.items()):
        graph.bind(prefix, ns, override=True, replace=True)
    for triple in sorted(result.graph or ()):
        graph.add(triple)
    if name == "jsonld":
        context = {p: ns for p, ns in sorted(result.prefixes.items()) if p}
        doc = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
        return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        data = graph.serialize(format=RDF_FORMATS[name].rdflib_name, encoding="utf-8")
    except ValueError as exc:  # RDF/XML: a predicate with no XML name (<http://example.org/1>)
        from kg.query.errors import NotRepresentable

        raise NotRepresentable(f"{RDF_FORMATS[name].media_type} cannot hold this result ({exc}); ask for "
                               "Turtle, N-Triples or JSON-LD") from None
    if name == "nt":
        lines = sorted({line for line in data.splitlines() if line.strip()})
        data = b"\n".join(lines) + b"\n" if lines else b""
    return data


# --- the text table ------------------------------------------------------------------------

_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


def _visible(text: str) -> str:
    """Control, format (bidi) and line-break characters made visible: data cannot drive a terminal."""
    out = io.StringIO()
    for ch in text:
        if ch == "\n":
            out.write("\\n")
        elif ch == "\t":
            out.write(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co"):
            out.write(f"\\u{ord(ch):04x}")
        else:
            out.write(ch)
    return out.getvalue()


def _cell(token: str, prefixes: list[tuple[str, str]]) -> str:
    """One term as a table cell: an IRI shortened with a prefix where one fits, a literal's text."""
    term = parse_token(token)
    if term is None:
        return ""
    if term.kind == "uri":
        iri = term.value
        for prefix, ns in prefixes:
            if iri.startswith(ns) and _LOCAL.match(iri[len(ns):]):
                return _visible(f"{prefix}:{iri[len(ns):]}")
        return _visible(f"<{iri}>")
    if term.kind == "bnode":
        return f"_:{term.value}"
    return _visible(term.value)


def text_table(result: QueryResult, *, max_width: int = 0) -> str:
    """The result as an aligned text table, IRIs shortened with the result's prefixes."""
    if result.kind == "ask":
        return ("yes" if result.boolean else "no") + "\n"
    # Longest namespace first, so data: wins over a shorter prefix of the same IRI.
    prefixes = sorted(((p, ns) for p, ns in result.prefixes.items() if p), key=lambda x: (-len(x[1]), x[0]))
    header = list(result.variables)
    cell = Memo(lambda token: _cell(token, prefixes)).__getitem__
    body = [list(map(cell, row)) for row in result.tokens()]
    if max_width > 1:
        body = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in r] for r in body]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    # strict=False: with no variables, a row is still one empty token (see QueryResult.tokens)
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in body]
    n = len(body)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines) + "\n"

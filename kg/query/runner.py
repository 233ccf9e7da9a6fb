"""Run a query: ``run(target, query, params)``, where the target is a dataset in any form and the
query is SPARQL text, a ``.rq`` file or the name of a saved question::

    import kg.query
    result = kg.query.run(kg.open_project(), "events-in-place", params={"place": "data:colombia"})
    result.rows             # [{"event": URIRef(...), "label": Literal(...), ...}, ...]
    result.to_dataframe()   # the same as a pandas DataFrame
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.term import Node

from kg.errors import UsageError
from kg.project import Project, open_project
from kg.query.engine import Engine
from kg.query.named import NamedQuery, find_named, guess_value, read_query_file
from kg.query.result import QueryResult

__all__ = ["PreparedQuery", "open_engine", "prepare", "run"]

Target = Engine | Dataset | Graph | Project | Path | str | None


def open_engine(target: Target = None, *, sources: tuple[Path, ...] = (),
                allow_service: Iterable[str] = ()) -> Engine:
    """An engine over a dataset given as an Engine, an rdflib Dataset/Graph, a Project, a dataset
    directory, or None (the bundled dataset). Reuse the engine for many queries.

    ``allow_service``: the SPARQL endpoints (full IRIs) that queries may name in ``SERVICE``;
    any other SERVICE is refused (:class:`~kg.query.errors.ServiceRefused`). An Engine given as
    the target keeps its own list."""
    if isinstance(target, Engine):
        return target
    if isinstance(target, (Dataset, Graph)):
        namespaces = {p: str(ns) for p, ns in target.namespaces() if p}
        return Engine.from_dataset(target, prefixes=namespaces, base=namespaces.get("data"),
                                   allow_service=allow_service)
    project = target if isinstance(target, Project) else open_project(target, sources=sources)
    return Engine.from_project(project, allow_service=allow_service)


@dataclass(frozen=True)
class PreparedQuery:
    """Query text with its bound values, and where it came from (for error messages)."""

    text: str
    params: dict[str, Node]
    source: str
    named: NamedQuery | None = None


def prepare(query: str | Path, params: Mapping[str, object] | None, engine: Engine, *,
            data_dir: Path | None = None) -> PreparedQuery:
    """Resolve a query given as a saved question's name, a ``.rq`` path or SPARQL text, and parse
    its parameter values (by the question's declared types; guessed for ad-hoc queries)."""
    named = find_named(str(query), data_dir) if isinstance(query, str) else None
    if named is not None:
        return PreparedQuery(named.text, named.bind(params, engine.prefixes, engine.base), named.name, named)
    path = Path(query) if isinstance(query, Path) or str(query).endswith(".rq") else None
    if path is not None:
        try:
            found = path.is_file()
        except OSError:  # a name too long for the file system, say
            found = False
        if not found:
            raise UsageError(f"{path}: no such query file")
        text, source = read_query_file(path), str(path)
    else:
        text, source = str(query), "query"
        if "\n" not in text and not any(k in text.upper() for k in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "{")):
            raise UsageError(f"{text!r} is neither a saved question (see kg query --list) nor SPARQL text")
    bound: dict[str, Node] = {}
    for key, value in (params or {}).items():
        bound[key] = value if isinstance(value, Node) else guess_value(str(value), engine.prefixes, engine.base)
    return PreparedQuery(text, bound, source)


def run(target: Target, query: str | Path, params: Mapping[str, object] | None = None, *,
        max_rows: int | None = None, allow_service: Iterable[str] = ()) -> QueryResult:
    """Run a query (text, ``.rq`` file or saved question's name) over a dataset.

    ``params`` binds variables: strings are parsed (``"data:colombia"``, ``"<https://...>"``,
    ``"colombia"`` for an IRI parameter), rdflib terms are used as they are. Raises
    :class:`~kg.query.errors.QueryError` (with line and column) for a query that does not parse,
    and :class:`~kg.query.errors.ServiceRefused` for ``SERVICE`` to an endpoint not in
    ``allow_service`` (see :func:`open_engine`).
    """
    engine = open_engine(target, allow_service=allow_service)
    data_dir = target.data_dir if isinstance(target, Project) else (
        Path(target) if isinstance(target, (str, Path)) else None)
    prepared = prepare(query, params, engine, data_dir=data_dir)
    return engine.query(prepared.text, prepared.params, max_rows=max_rows, source=prepared.source)

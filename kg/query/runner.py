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

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from kg.build import Built
from kg.errors import UsageError
from kg.project import Project, open_project
from kg.query.engine import Engine
from kg.query.named import NamedQuery, find_named, guess_value, named_queries, parse_value, read_query_file
from kg.query.result import QueryResult
from kg.suggest import hint
from kg.text import fold_name

__all__ = ["PreparedQuery", "open_engine", "prepare", "run"]

Target = Engine | Built | Dataset | Graph | Project | Path | str | None


def open_engine(target: Target = None, *, sources: tuple[Path, ...] = (),
                allow_service: Iterable[str] = ()) -> Engine:
    """An engine over a dataset given as an Engine, a Built, an rdflib Dataset/Graph, a Project, a
    dataset directory, or None (the bundled dataset). Reuse the engine for many queries.

    ``allow_service``: the SPARQL endpoints (full IRIs) that queries may name in ``SERVICE``;
    any other SERVICE is refused (:class:`~kg.query.errors.ServiceRefused`). An Engine given as
    the target keeps its own list."""
    if isinstance(target, Engine):
        return target
    if isinstance(target, Built):
        return Engine.from_built(target, allow_service=allow_service)
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
            data_dir: Path | None = None, check_values: bool = False) -> PreparedQuery:
    """Resolve a query given as a saved question's name, a ``.rq`` path or SPARQL text, and parse
    its parameter values (by the question's declared types; guessed for ad-hoc queries).

    With ``check_values`` (``kg query -p``), an IRI value must name something in the data: a label
    or alias given instead of an id is resolved to its entity, and a value that names nothing is a
    :class:`UsageError` with the nearest ids and names, never a silent empty result."""
    named = find_named(str(query), data_dir) if isinstance(query, str) else None
    if named is not None:
        values = dict(params or {})
        for param in named.params:
            raw = values.get(param.name)
            if check_values and param.type == "iri" and raw not in (None, "") and not isinstance(raw, Node):
                problem = None
                try:
                    iri = parse_value(str(raw), "iri", engine.prefixes, engine.base, name=param.name)
                except UsageError as exc:
                    if str(raw).strip().startswith("<") or "://" in str(raw):
                        raise
                    iri, problem = None, exc  # not an IRI's form: maybe a name ("Gustavo Petro")
                values[param.name] = _existing_iri(engine, param.name, str(raw), iri, problem)
        return PreparedQuery(named.text, named.bind(values, engine.prefixes, engine.base), named.name, named)
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
            near = hint(text, named_queries(data_dir)) if len(text) < 200 else ""
            raise UsageError(f"{text!r} is neither a saved question (see kg query --list) nor SPARQL text"
                             + (f"; {near}" if near else ""))
    bound: dict[str, Node] = {}
    for key, value in (params or {}).items():
        bound[key] = value if isinstance(value, Node) else guess_value(str(value), engine.prefixes, engine.base)
    return PreparedQuery(text, bound, source)


_NAMES = """SELECT ?x ?name WHERE { { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?name }
  UNION { ?x <http://www.w3.org/2004/02/skos/core#altLabel> ?name } }"""


def _existing_iri(engine: Engine, name: str, raw: str, iri: Node | None,
                  problem: UsageError | None = None) -> Node:
    """A ``-p`` IRI value as the data knows it: kept when the data mentions it; the entity whose
    label or alias it is when it is a name ("Gustavo Petro" for data:petro); else a usage error
    with the nearest ids and names, so a typo is never a silent 0 rows."""
    if iri is not None and _mentioned(engine, iri):
        return iri
    names: dict[str, set[str]] = {}
    ids: set[str] = set()
    for row in engine.query(_NAMES).rows:
        subject, label = row.get("x"), row.get("name")
        if isinstance(subject, URIRef) and label is not None:
            names.setdefault(fold_name(str(label)), set()).add(str(subject))
            if engine.base and str(subject).startswith(engine.base):
                ids.add(str(subject)[len(engine.base):])
    found = names.get(fold_name(raw), set())
    if len(found) == 1:
        return URIRef(next(iter(found)))
    if len(found) > 1:
        shown = ", ".join(sorted(_short(engine, i) for i in found))
        raise UsageError(f"parameter {name}: {raw!r} is the name of several entities ({shown}); give one id")
    near = hint(raw, sorted(ids) + sorted({str(lab) for lab in _labels(engine)}))
    what = str(problem) if problem is not None else f"parameter {name}: {raw!r} names nothing in the data"
    raise UsageError(what + (f" ({near})" if near else "; give an id, a CURIE or a name the data holds"))


def _mentioned(engine: Engine, iri: Node) -> bool:
    result = engine.query("SELECT ?iri WHERE { { ?iri ?p ?o } UNION { ?s ?p ?iri } } LIMIT 1", {"iri": iri})
    return len(result.rows) > 0


def _labels(engine: Engine) -> list[str]:
    return [str(r["name"]) for r in engine.query(_NAMES).rows if r.get("name") is not None]


def _short(engine: Engine, iri: str) -> str:
    return iri[len(engine.base):] if engine.base and iri.startswith(engine.base) else f"<{iri}>"


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

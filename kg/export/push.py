"""Push: upload a dataset to a triple store over the SPARQL 1.1 Graph Store HTTP Protocol, then
check that the store holds what was sent.

* each graph of the dataset goes to its own named graph (the default graph to the store's
  default graph, or to ``default_graph_iri`` for stores whose default graph is the union of all,
  such as Virtuoso); ``graph`` pushes one graph only;
* ``replace`` (default) ``PUT``\\ s the first chunk and ``POST``\\ s the rest; ``merge`` only
  ``POST``\\ s. Chunks are N-Triples of ``chunk_size`` triples, sent as ``text/turtle`` (which
  every store reads); a graph with blank nodes is sent whole, so that its blank nodes stay one;
* basic or digest authentication, with credentials from ``KG_PUSH_USER``/``KG_PUSH_PASSWORD``
  or a file (``USER:PASSWORD``), never from the command line; the password never appears in a
  message, a log or a ``repr``;
* transient failures (connection errors, timeouts, HTTP 408/429/502/503/504) are retried with
  exponential back-off; anything else stops the push with a :class:`PushError`;
* afterwards a ``COUNT`` per graph on the SPARQL query endpoint (given, or derived from the
  store URL) must match what was sent (``replace``), or lie between the count before and the
  count before plus what was sent (``merge``).

Errors::

    KgError
    └── PushError          the store refused or failed the upload, or the check   (exit 2)
        └── AuthError      the store refused the credentials (HTTP 401/403)
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from rdflib import BNode, Dataset, Graph

from kg.errors import KgError, UsageError

__all__ = [
    "AuthError",
    "Credentials",
    "GraphPush",
    "PushError",
    "PushResult",
    "credentials_from",
    "derive_query_url",
    "push_dataset",
    "run_push",
]

ENV_USER = "KG_PUSH_USER"
ENV_PASSWORD = "KG_PUSH_PASSWORD"
_TRANSIENT = {408, 429, 502, 503, 504}
_IRI_OK = re.compile(r'^[^\s<>"{}|^`\\]+$')


class PushError(KgError):
    """The store refused or failed the upload, or does not hold what was sent."""


class AuthError(PushError):
    """The store refused the credentials (or wants some)."""


@dataclass(frozen=True)
class Credentials:
    """A user name and password; the password is left out of ``repr``."""

    user: str
    password: str = field(repr=False)


@dataclass
class GraphPush:
    """One graph pushed: where from, where to, how many triples sent and held afterwards."""

    source: str  # the dataset graph's IRI, or "default"
    target: str  # the store graph's IRI, or "default"
    sent: int
    stored: int = -1
    before: int = -1


@dataclass
class PushResult:
    """What a push did."""

    url: str
    graphs: list[GraphPush]
    requests: int = 0
    seconds: float = 0.0

    @property
    def sent(self) -> int:
        """Triples sent, over all graphs."""
        return sum(g.sent for g in self.graphs)


def credentials_from(env: Mapping[str, str], path: Path | None = None) -> Credentials | None:
    """Credentials from a file (first line ``USER:PASSWORD``) when ``path`` is given, else from
    ``KG_PUSH_USER``/``KG_PUSH_PASSWORD`` in ``env``; None when neither is set."""
    if path is not None:
        try:
            line = path.read_text(encoding="utf-8").splitlines()[0] if path.stat().st_size else ""
        except OSError as exc:
            raise UsageError(f"{path}: cannot read the credentials file ({exc.strerror})") from None
        user, sep, password = line.partition(":")
        if not sep or not user:
            raise UsageError(f"{path}: the first line must be USER:PASSWORD")
        return Credentials(user, password)
    user = env.get(ENV_USER, "")
    if not user:
        return None
    return Credentials(user, env.get(ENV_PASSWORD, ""))


def derive_query_url(url: str) -> str:
    """The SPARQL query endpoint beside a Graph Store endpoint: Oxigraph ``/store`` -> ``/query``,
    Virtuoso ``/sparql-graph-crud[-auth]`` -> ``/sparql``, Fuseki ``/ds/data`` -> ``/ds/query``,
    GraphDB ``/repositories/R/rdf-graphs/service`` -> ``/repositories/R``."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    rules = ((r"/store$", "/query"), (r"/sparql-graph-crud(-auth)?$", "/sparql"), (r"/data$", "/query"),
             (r"/rdf-graphs/service$", ""))
    for pattern, replacement in rules:
        if re.search(pattern, path):
            return urlunsplit((parts.scheme, parts.netloc, re.sub(pattern, replacement, path), "", ""))
    raise UsageError(f"cannot tell the SPARQL query endpoint of {_safe(url)}; pass --query-url")


def _safe(url: str) -> str:
    """A URL without user info, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _check_iri(iri: str) -> str:
    if not _IRI_OK.match(iri) or ":" not in iri:
        raise UsageError(f"{iri!r} is not an absolute IRI")
    return iri


def _graphs(ds: Dataset) -> list[tuple[str, Graph]]:
    default = ds.default_graph if hasattr(ds, "default_graph") else ds.default_context
    named = sorted((g for g in ds.graphs() if g.identifier != default.identifier and len(g)),
                   key=lambda g: str(g.identifier))
    return [("default", default), *((str(g.identifier), g) for g in named)]


def _chunks(graph: Graph, size: int) -> Iterator[tuple[bytes, int]]:
    from rdflib.plugins.serializers.nt import _nt_row

    triples = sorted(graph)
    if any(isinstance(t, BNode) for triple in triples for t in triple):
        size = max(size, len(triples))
    for start in range(0, len(triples), size) if triples else [0]:
        part = triples[start:start + size]
        yield "".join(_nt_row(t) for t in part).encode("utf-8"), len(part)


class _Session:
    """An HTTP client with retries, and the errors a user can act on."""

    def __init__(self, auth: str, credentials: Credentials | None, timeout: float, retries: int) -> None:
        import httpx

        self.httpx = httpx
        self.retries = retries
        self.requests = 0
        auth_obj = None
        if auth == "basic":
            auth_obj = httpx.BasicAuth(credentials.user, credentials.password)
        elif auth == "digest":
            auth_obj = httpx.DigestAuth(credentials.user, credentials.password)
        self.auth_name = auth
        self.client = httpx.Client(auth=auth_obj, timeout=timeout, follow_redirects=True,
                                   headers={"User-Agent": "kg-push"})

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, url: str, **kwargs) -> object:
        delay = 0.5
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                self.requests += 1
                response = self.client.request(method, url, **kwargs)
            except self.httpx.TransportError as exc:
                if last:
                    raise PushError(f"{method} {_safe(url)}: {type(exc).__name__}: no answer after "
                                    f"{self.retries + 1} tries; is the store running?") from None
            else:
                if response.status_code in (401, 403):
                    hint = ("the store wants credentials: set KG_PUSH_USER and KG_PUSH_PASSWORD or use "
                            "--credentials-file" if self.auth_name == "none" else
                            "check the user and password (KG_PUSH_USER/KG_PUSH_PASSWORD or "
                            "--credentials-file) and --auth (Virtuoso wants digest)")
                    raise AuthError(f"{method} {_safe(url)}: HTTP {response.status_code}: "
                                    f"the store refused the request; {hint}")
                if response.status_code not in _TRANSIENT or last:
                    if response.status_code >= 400:
                        body = re.sub(r"\s+", " ", response.text[:300]).strip()
                        raise PushError(f"{method} {_safe(url)}: HTTP {response.status_code}: {body}")
                    return response
                retry_after = response.headers.get("Retry-After", "")
                if retry_after.isdigit():
                    delay = min(float(retry_after), 30.0)
            time.sleep(delay)
            delay = min(delay * 2, 8.0)
        raise AssertionError("unreachable")


def _gsp_url(url: str, target: str, param: str) -> tuple[str, dict[str, str]]:
    return url, ({"default": ""} if target == "default" else {param: target})


def _count(session: _Session, query_url: str, target: str) -> int:
    where = "{ ?s ?p ?o }" if target == "default" else f"{{ GRAPH <{target}> {{ ?s ?p ?o }} }}"
    response = session.request("POST", query_url, data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {where}"},
                               headers={"Accept": "application/sparql-results+json"})
    try:
        bindings = response.json()["results"]["bindings"]
        return int(bindings[0]["n"]["value"]) if bindings else 0
    except (ValueError, KeyError, IndexError) as exc:
        raise PushError(f"{_safe(query_url)}: unexpected answer to a COUNT query ({exc})") from None


def push_dataset(
    ds: Dataset,
    url: str,
    *,
    graph: str | None = None,
    default_graph_iri: str | None = None,
    replace: bool = True,
    auth: str | None = None,
    credentials: Credentials | None = None,
    query_url: str | None = None,
    graph_param: str | None = None,
    chunk_size: int = 50_000,
    retries: int = 3,
    timeout: float = 60.0,
    progress: bool | None = None,
    verify: bool = True,
) -> PushResult:
    """Upload ``ds`` (or its graph ``graph``: an IRI or ``"default"``) to the Graph Store at
    ``url`` and check the result; see the module docstring. ``progress=None`` shows a progress
    bar only when standard error is a terminal. ``graph_param`` is the query parameter naming
    the graph (default ``graph``; ``graph-uri`` for Virtuoso's endpoints)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url!r}: --to must be an http(s) URL of a Graph Store endpoint")
    if parts.username or parts.password:
        raise UsageError("credentials do not belong in the URL; set KG_PUSH_USER and KG_PUSH_PASSWORD, "
                         "or use --credentials-file")
    auth = auth or ("basic" if credentials else "none")
    if auth != "none" and credentials is None:
        raise UsageError(f"--auth {auth} needs credentials: set {ENV_USER} and {ENV_PASSWORD}, "
                         "or use --credentials-file")
    if chunk_size < 1:
        raise UsageError("chunk size must be at least 1")
    query_url = query_url or derive_query_url(url)
    param = graph_param or ("graph-uri" if "sparql-graph-crud" in parts.path else "graph")
    selected = _graphs(ds)
    if graph is not None:
        chosen = [(name, g) for name, g in selected if name == graph]
        if not chosen:
            raise UsageError(f"the dataset has no graph {graph!r}; choose from "
                             + ", ".join(name for name, _ in selected))
        selected = chosen
    if default_graph_iri:
        _check_iri(default_graph_iri)
    plan: list[tuple[GraphPush, Graph]] = []
    for name, g in selected:
        target = default_graph_iri if name == "default" and default_graph_iri else name
        if target != "default":
            _check_iri(target)
        plan.append((GraphPush(name, target, len(g)), g))

    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    started = time.monotonic()
    session = _Session(auth, credentials, timeout, retries)
    try:
        if verify and not replace:
            for item, _ in plan:
                item.before = _count(session, query_url, item.target)
        with tqdm(total=sum(item.sent for item, _ in plan), unit="triple", unit_scale=True,
                  disable=not show, file=sys.stderr, desc="push") as bar:
            for item, g in plan:
                target_url, params = _gsp_url(url, item.target, param)
                for index, (body, n) in enumerate(_chunks(g, chunk_size)):
                    method = "PUT" if replace and index == 0 else "POST"
                    session.request(method, target_url, params=params, content=body,
                                    headers={"Content-Type": "text/turtle"})
                    bar.update(n)
        if verify:
            for item, _ in plan:
                item.stored = _count(session, query_url, item.target)
                ok = item.stored == item.sent if replace else \
                    max(item.before, item.sent) <= item.stored <= item.before + item.sent
                if not ok:
                    hint = (" (a store whose default graph is the union of all graphs needs "
                            "--default-graph-iri)" if item.target == "default" else "")
                    raise PushError(f"{_safe(url)}: graph {item.target} holds {item.stored} triples after the "
                                    f"push, but {item.sent} were sent{hint}")
    finally:
        session.close()
    return PushResult(_safe(url), [item for item, _ in plan], session.requests, time.monotonic() - started)


def run_push(project, url: str, *, reasoner: str | None = None, shacl: bool = True, **kwargs) -> PushResult:
    """Load, validate and build ``project`` (a :class:`kg.Project`), then :func:`push_dataset`."""
    from kg.build import build
    from kg.errors import ValidationFailed
    from kg.infer import infer
    from kg.pipeline import run_validate

    records, report = run_validate(project, shacl=shacl)
    if not report.ok:
        raise ValidationFailed(report)
    ds = build(records)
    if reasoner:
        ds = infer(ds, project.base, reasoner)
    return push_dataset(ds, url, **kwargs)


"""Push: upload a dataset to a triple store over the SPARQL 1.1 Graph Store HTTP Protocol, then
check that the store holds what was sent. A push is atomic from the store's point of view: each
target graph ends up holding either what it held before or exactly what was pushed, never a mix.

* each graph of the dataset goes to its own named graph (the default graph to the store's
  default graph, or to ``default_graph_iri`` for stores whose default graph is the union of all,
  such as Virtuoso); ``graph`` pushes one graph only;
* **staging**: each graph is first uploaded into a fresh staging graph
  ``urn:kg:staging:<hash of the target>:<unix time>:<uuid>`` (the first chunk ``PUT``, the rest
  ``POST``). Chunks are N-Triples of ``chunk_size`` triples, sent as ``text/turtle`` (which every
  store reads); a graph with blank nodes is sent whole, so that its blank nodes stay one;
* **check, then switch**: once every staging graph holds exactly what was sent (a ``COUNT``
  each), ONE SPARQL 1.1 Update request to the store's update endpoint (given, or derived from
  the store URL) switches them all in: ``MOVE GRAPH <staging> TO GRAPH <target>`` (``replace``,
  the default) or ``ADD GRAPH <staging> TO GRAPH <target> ; DROP SILENT GRAPH <staging>``
  (``merge``). Oxigraph runs each update request in one transaction, so all the graphs of a push
  change together; Virtuoso runs each operation to its end once the request has arrived (but
  the operations of one request are not one transaction: graph by graph, old or new);
* on any failure before the switch (an HTTP error, a count mismatch, an interrupt, SIGTERM
  through ``kg push``) the staging graphs are dropped, best effort, and the targets are left
  untouched. A push killed outright (SIGKILL) leaves its staging graphs behind: they are never
  the target, and a later push to the same target drops those that started ``stale_after``
  seconds ago or more (a push still running is not disturbed);
* basic or digest authentication, with credentials from ``KG_PUSH_USER``/``KG_PUSH_PASSWORD``
  or a file (``USER:PASSWORD``, refused when its group or others may read it), never from the
  command line; the password never appears in a message, a log or a ``repr``, nor does an error
  answer that echoes it (or an Authorization header) back; basic authentication over plain
  ``http://`` to another machine gets an :class:`InsecureAuthWarning`;
* every request has a **whole-request deadline** (``timeout`` seconds; a store trickling its
  answer a byte at a time is cut off then), SIGTERM (``cancel``) cuts a request in flight too
  (but the switch), at most ``ERROR_BODY_BYTES`` of an error answer are read, and a redirect loop
  is an error;
* transient failures (connection errors, timeouts, HTTP 408/429/502/503/504) are retried with
  exponential back-off, except for the switch, which is retried only when it cannot have
  reached the store (connection refused, HTTP 429/503): a switch whose fate is unknown is
  reported as such, never sent twice (a ``MOVE`` from a graph that is gone clears the target
  on some stores);
* afterwards a ``COUNT`` per target graph on the SPARQL query endpoint (given, or derived from
  the store URL) must match what was sent (``replace``), or lie between the count before and
  the count before plus what was sent (``merge``).

Errors::

    KgError
    └── PushError          the store refused or failed the upload, or the check   (exit 2)
        └── AuthError      the store refused the credentials (HTTP 401/403)
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import socket
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from kg.build import DEFAULT, Built
from kg.errors import KgError, UsageError

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_STALE_AFTER",
    "STAGING_PREFIX",
    "AuthError",
    "Credentials",
    "GraphPush",
    "InsecureAuthWarning",
    "PushError",
    "PushResult",
    "chunk_lines",
    "credentials_from",
    "derive_query_url",
    "derive_update_url",
    "graphs_to_push",
    "insecure_auth_warning",
    "push_dataset",
    "staging_prefix",
]

ENV_USER = "KG_PUSH_USER"
ENV_PASSWORD = "KG_PUSH_PASSWORD"
_TRANSIENT = {408, 429, 502, 503, 504}
#: Statuses that say the request was not acted on: the only ones after which the switch is resent.
_NOT_PROCESSED = {429, 503}
_IRI_OK = re.compile(r'^[^\s<>"{}|^`\\]+$')
#: Triples per request (``kg push --chunk-size``). Oxigraph writes each request in one
#: transaction whose cost per triple grows with its size: 10k-triple chunks cost its server about
#: 30% less CPU than 50k ones and half as much as one request (bench/export_bench.py).
DEFAULT_CHUNK_SIZE = 10_000
#: Every staging graph's IRI starts with this.
STAGING_PREFIX = "urn:kg:staging:"
#: Seconds after which a staging graph of the same target counts as left behind by a killed push
#: (``kg push --stale-after``): longer than a push takes, so that a running push is not disturbed.
DEFAULT_STALE_AFTER = 3600.0


class PushError(KgError):
    """The store refused or failed the upload, or does not hold what was sent."""


class AuthError(PushError):
    """The store refused the credentials (or wants some)."""


class _OutcomeUnknown(PushError):
    """A request got no answer after it may have reached the store."""


class _Event(Protocol):
    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class Credentials:
    """A user name and password; the password is left out of ``repr``."""

    user: str
    password: str = field(repr=False)


@dataclass
class GraphPush:
    """One graph pushed: where from, where to, through which staging graph, how many triples
    sent and held afterwards."""

    source: str  # the dataset graph's IRI, or "default"
    target: str  # the store graph's IRI, or "default"
    sent: int
    stored: int = -1
    before: int = -1
    staging: str = ""


@dataclass
class PushResult:
    """What a push did."""

    url: str
    graphs: list[GraphPush]
    requests: int = 0
    seconds: float = 0.0
    upload_seconds: float = 0.0  # of which the uploads into the staging graphs (chunking included)
    verify_seconds: float = 0.0  # of which the COUNT checks (merge before, staging, targets after)
    switch_seconds: float = 0.0  # of which the one update request that switches the staging graphs in
    stale_dropped: list[str] = field(default_factory=list)  # staging graphs of killed pushes dropped

    @property
    def sent(self) -> int:
        """Triples sent, over all graphs."""
        return sum(g.sent for g in self.graphs)


def credentials_from(env: Mapping[str, str], path: Path | None = None) -> Credentials | None:
    """Credentials from a file (first line ``USER:PASSWORD``) when ``path`` is given, else from
    ``KG_PUSH_USER``/``KG_PUSH_PASSWORD`` in ``env``; None when neither is set. A file that its
    group or others may read is refused (:class:`~kg.errors.UsageError`), as ssh refuses such a key."""
    if path is not None:
        try:
            mode = path.stat().st_mode
            if mode & 0o077:  # as ssh does for a private key: a secret others can read is no secret
                raise UsageError(f"{path}: the credentials file can be read by others (permissions "
                                 f"{mode & 0o777:04o}); make it private: chmod 600 {path}")
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


def _derive(url: str, rules: tuple[tuple[str, str], ...], option: str, what: str) -> str:
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    for pattern, replacement in rules:
        if re.search(pattern, path):
            return urlunsplit((parts.scheme, parts.netloc, re.sub(pattern, replacement, path), "", ""))
    raise UsageError(f"cannot tell the SPARQL {what} endpoint of {_safe(url)}; pass {option}")


def derive_query_url(url: str) -> str:
    """The SPARQL query endpoint beside a Graph Store endpoint: Oxigraph ``/store`` -> ``/query``,
    Virtuoso ``/sparql-graph-crud[-auth]`` -> ``/sparql``, Fuseki ``/ds/data`` -> ``/ds/query``,
    GraphDB ``/repositories/R/rdf-graphs/service`` -> ``/repositories/R``."""
    rules = ((r"/store$", "/query"), (r"/sparql-graph-crud(-auth)?$", "/sparql"), (r"/data$", "/query"),
             (r"/rdf-graphs/service$", ""))
    return _derive(url, rules, "--query-url", "query")


def derive_update_url(url: str) -> str:
    """The SPARQL update endpoint beside a Graph Store endpoint: Oxigraph ``/store`` ->
    ``/update``, Virtuoso ``/sparql-graph-crud-auth`` -> ``/sparql-auth`` (the endpoint that
    takes digest authentication) and ``/sparql-graph-crud`` -> ``/sparql``, Fuseki ``/ds/data``
    -> ``/ds/update``, GraphDB ``/repositories/R/rdf-graphs/service`` -> ``/repositories/R/statements``."""
    rules = ((r"/store$", "/update"), (r"/sparql-graph-crud-auth$", "/sparql-auth"),
             (r"/sparql-graph-crud$", "/sparql"), (r"/data$", "/update"),
             (r"/rdf-graphs/service$", "/statements"))
    return _derive(url, rules, "--update-url", "update")


def staging_prefix(target: str) -> str:
    """The IRI prefix of the staging graphs of ``target`` (an IRI, or ``"default"``):
    ``urn:kg:staging:`` and the first 16 hex digits of the target's SHA-256, then ``:``."""
    return f"{STAGING_PREFIX}{hashlib.sha256(target.encode('utf-8')).hexdigest()[:16]}:"


def _new_staging(target: str, now: float) -> str:
    return f"{staging_prefix(target)}{int(now)}:{uuid.uuid4().hex}"


def _staging_started(iri: str) -> float | None:
    """When the push that made staging graph ``iri`` started (unix time), or None."""
    stamp = iri.rsplit(":", 2)[-2] if iri.count(":") >= 4 else ""
    return float(stamp) if stamp.isdigit() else None


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


def _graph_ref(target: str) -> str:
    """A graph in SPARQL Update's ADD/MOVE syntax (IRIs checked by :func:`_check_iri`)."""
    return "DEFAULT" if target == "default" else f"GRAPH <{target}>"


def graphs_to_push(built: Built) -> list[tuple[str, list[str]]]:
    """Each graph of ``built`` ("default", then named graphs by IRI) as its sorted N-Triples lines."""
    out = []
    for name in built.quads.names():
        lines = [f"{s} {p} {o} .\n" for s, p, o in built.quads.triples([name])]
        out.append(("default" if name == DEFAULT else name[1:-1], lines))
    return out


def chunk_lines(lines: list[str], size: int) -> Iterator[tuple[bytes, int]]:
    """Sorted N-Triples lines in chunks of ``size`` lines (the same graph always gives the same
    chunks), with their triple counts; one chunk when the graph has blank nodes."""
    if any(" _:" in line or line.startswith("_:") for line in lines):
        size = max(size, len(lines))
    for start in range(0, len(lines), size) if lines else [0]:
        part = lines[start:start + size]
        yield "".join(part).encode("utf-8"), len(part)


#: Bytes of an error answer read for its message; the rest is never read (a 300 MB error body
#: took 1 GB of memory when it was read whole).
ERROR_BODY_BYTES = 4096
#: Bytes of any other answer read (a COUNT or a list of staging graphs: a few KB).
BODY_BYTES = 16 * 2**20


class InsecureAuthWarning(UserWarning):
    """Basic authentication sent over plain HTTP to another machine: the password crosses the
    network readable by anyone on the way."""


def insecure_auth_warning(url: str, auth: str | None, credentials: Credentials | None) -> str | None:
    """The warning for basic authentication over plain ``http://`` to a host that is not this
    machine, or None (digest, https, loopback and no credentials are fine)."""
    parts = urlsplit(url)
    if (auth or ("basic" if credentials else "none")) != "basic" or parts.scheme != "http":
        return None
    host = parts.hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return None
    try:
        import ipaddress

        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return (f"basic authentication to {host} over plain http sends the password readable by anyone on the "
            "way; use https, or --auth digest")


class _Answer:
    """What the store answered: status, headers, and the body as far as it was read."""

    def __init__(self, status_code: int, headers: Mapping[str, str], content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:  # whatever the store sent: callers check its shape
        import json

        return json.loads(self.content)


#: Seconds a request in flight may go on once the push is cancelled (SIGTERM) before it is cut:
#: an upload that is going well ends first (cutting it could let the store commit it after its
#: staging graph was dropped), a store that trickles does not hold the push.
CANCEL_GRACE = 2.0


class _Watchdog:
    """Cuts the connection of a request that overruns its deadline, or that a cancel event stops,
    by shutting its socket down from another thread: the request then fails at once, however
    slowly the store trickles its answer (httpx's timeouts bound each read, not the request)."""

    def __init__(self, cancel: _Event | None) -> None:
        import threading

        self.cancel = cancel
        self.lock = threading.Lock()
        self.socket: socket.socket | None = None
        self.deadline = float("inf")
        self.started = 0.0
        self.stoppable = True
        self.cut = ""  # why the request was cut, once it was
        self.done = threading.Event()
        threading.Thread(target=self._watch, name="kg-push-watchdog", daemon=True).start()

    def trace(self, event: str, info: dict) -> None:
        """httpcore's trace hook: note the socket of each new connection."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            with self.lock:
                self.socket = sock
                if self.cut:  # cut before the socket was known
                    self._shutdown()

    def arm(self, seconds: float, stoppable: bool) -> None:
        with self.lock:
            self.socket = None
            self.cut = ""
            self.started = time.monotonic()
            self.deadline = self.started + seconds
            self.stoppable = stoppable

    def disarm(self) -> None:
        with self.lock:
            self.deadline = float("inf")
            self.socket = None

    def _shutdown(self) -> None:
        if self.socket is None:
            return
        with contextlib.suppress(OSError, AttributeError):  # already closed; a stream with no socket
            self.socket.shutdown(socket.SHUT_RDWR)

    def _watch(self) -> None:
        while not self.done.wait(0.05):
            with self.lock:
                if self.cut or self.deadline == float("inf"):
                    continue
                if time.monotonic() > self.deadline:
                    self.cut = "deadline"
                elif (self.stoppable and self.cancel is not None and self.cancel.is_set()
                      and time.monotonic() - self.started > CANCEL_GRACE):
                    self.cut = "cancel"
                else:
                    continue
                self._shutdown()

    def close(self) -> None:
        self.done.set()


class _Session:
    """An HTTP client with retries, a whole-request deadline, and the errors a user can act on."""

    def __init__(self, auth: str, credentials: Credentials | None, timeout: float, retries: int,
                 cancel: _Event | None = None) -> None:
        import httpx

        self.httpx = httpx
        self.retries = retries
        self.timeout = timeout
        self.cancel = cancel
        self.requests = 0
        self.secrets = _secrets(credentials)
        auth_obj: httpx.Auth | None = None
        if auth in ("basic", "digest"):
            if credentials is None:  # push_dataset refuses this first
                raise UsageError(f"--auth {auth} needs a user and a password")
            auth_class = httpx.BasicAuth if auth == "basic" else httpx.DigestAuth
            auth_obj = auth_class(credentials.user, credentials.password)
        self.auth_name = auth
        self.watchdog = _Watchdog(cancel)
        # No kept-alive connections: each request opens its own, so that the watchdog knows its socket.
        self.client = httpx.Client(auth=auth_obj, timeout=timeout, follow_redirects=True, max_redirects=10,
                                   limits=httpx.Limits(max_keepalive_connections=0),
                                   headers={"User-Agent": "kg-push"})

    def close(self) -> None:
        self.watchdog.close()
        self.client.close()

    def _send(self, method: str, url: str, deadline: float, stoppable: bool, **kwargs) -> _Answer:
        """One request, its answer read up to a bound, all of it within ``deadline`` seconds."""
        self.watchdog.arm(deadline, stoppable)
        try:
            extensions = {**kwargs.pop("extensions", {}), "trace": self.watchdog.trace}
            with self.client.stream(method, url, extensions=extensions, **kwargs) as response:
                limit = ERROR_BODY_BYTES if response.status_code >= 400 else BODY_BYTES
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= limit:
                        if response.status_code < 400:
                            raise PushError(f"{method} {_safe(url)}: the answer is larger than {limit} bytes; "
                                            "is this a SPARQL store?")
                        break
                content = b"".join(chunks)[:limit]
                return _Answer(response.status_code, response.headers, content)
        except self.httpx.TransportError as exc:
            why = self.watchdog.cut
            if why == "deadline":
                raise _Deadline(f"{method} {_safe(url)}: no complete answer within {deadline:g} s "
                                "(the time limit of a request)") from None
            if why == "cancel":
                raise PushError("push stopped before the switch (a signal); "
                                "the target graphs are as they were") from None
            raise exc
        finally:
            self.watchdog.disarm()

    def request(self, method: str, url: str, *, once: bool = False, retries: int | None = None,
                timeout: float | None = None, **kwargs) -> _Answer:
        """Send a request, retrying transient failures. ``once``: resend only when the store
        cannot have acted on it (no connection, HTTP 429/503); after any other failure that may
        have reached it, raise :class:`_OutcomeUnknown`. ``timeout`` bounds the whole request
        (default: the session's)."""
        retries = self.retries if retries is None else retries
        deadline = timeout if timeout is not None else self.timeout
        if timeout is not None:
            kwargs["timeout"] = timeout
        delay = 0.5
        for attempt in range(retries + 1):
            last = attempt == retries
            try:
                self.requests += 1
                response = self._send(method, url, deadline, not once, **kwargs)
            except self.httpx.TooManyRedirects:
                raise PushError(f"{method} {_safe(url)}: the store redirects in a loop (more than 10 redirects); "
                                "check --to") from None
            except (self.httpx.TransportError, _Deadline) as exc:
                if once and not isinstance(exc, self.httpx.ConnectError):
                    raise _OutcomeUnknown(f"{method} {_safe(url)}: {_describe(exc)} after the request "
                                          "was sent") from None
                if last:
                    raise PushError(f"{method} {_safe(url)}: {_describe(exc)}: no answer after "
                                    f"{retries + 1} tries; is the store running?") from None
            except self.httpx.HTTPError as exc:  # an invalid URL after a redirect, a decoding error ...
                raise PushError(f"{method} {_safe(url)}: {type(exc).__name__}: "
                                f"{_redact(str(exc), self.secrets)}") from None
            else:
                if response.status_code in (401, 403):
                    hint = ("the store wants credentials: set KG_PUSH_USER and KG_PUSH_PASSWORD or use "
                            "--credentials-file" if self.auth_name == "none" else
                            "check the user and password (KG_PUSH_USER/KG_PUSH_PASSWORD or "
                            "--credentials-file) and --auth (Virtuoso wants digest)")
                    raise AuthError(f"{method} {_safe(url)}: HTTP {response.status_code}: "
                                    f"the store refused the request; {hint}")
                retry = _NOT_PROCESSED if once else _TRANSIENT
                if response.status_code not in retry or last:
                    if response.status_code >= 400:
                        body = _redact(re.sub(r"\s+", " ", response.text[:300]).strip(), self.secrets)
                        error = _OutcomeUnknown if once and response.status_code in (502, 504) else PushError
                        raise error(f"{method} {_safe(url)}: HTTP {response.status_code}: {body}")
                    return response
                retry_after = response.headers.get("Retry-After", "")
                if retry_after.isdigit():
                    delay = min(float(retry_after), 30.0)
            self._pause(delay, stoppable=not once)
            delay = min(delay * 2, 8.0)
        raise AssertionError("unreachable")


    def _pause(self, seconds: float, *, stoppable: bool) -> None:
        """Wait before a retry; a cancel event (SIGTERM) ends the wait and the push."""
        wait = getattr(self.cancel, "wait", None)
        if stoppable and wait is not None:
            if wait(seconds):
                raise PushError("push stopped before the switch (a signal); the target graphs are as they were")
        else:
            time.sleep(seconds)


class _Deadline(Exception):
    """A request overran its whole-request deadline (internal: turned into a PushError)."""


def _describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, _Deadline) else type(exc).__name__


def _secrets(credentials: Credentials | None) -> list[str]:
    """What must never be shown: the password, and the forms a store or proxy may echo it in
    (``user:password`` and its base64, as in a Basic Authorization header)."""
    if credentials is None or not credentials.password:
        return []
    import base64

    pair = f"{credentials.user}:{credentials.password}"
    encoded = base64.b64encode(pair.encode("utf-8")).decode("ascii")
    return sorted({credentials.password, pair, encoded, encoded.rstrip("=")}, key=len, reverse=True)


_AUTH_HEADER = re.compile(r"(?i)\b(authorization|proxy-authorization)\s*[:=]\s*\S+(?:\s+[^\s,;\"']+)?")


def _redact(text: str, secrets: list[str]) -> str:
    """``text`` with every secret and any echoed Authorization header replaced by ``[redacted]``."""
    for secret in secrets:
        if len(secret) >= 3:
            text = text.replace(secret, "[redacted]")
    return _AUTH_HEADER.sub(lambda m: f"{m.group(1)}: [redacted]", text)


def _gsp_url(url: str, target: str, param: str) -> tuple[str, dict[str, str]]:
    return url, ({"default": ""} if target == "default" else {param: target})


def _select(session: _Session, query_url: str, query: str) -> list[dict[str, str]]:
    response = session.request("POST", query_url, data={"query": query},
                               headers={"Accept": "application/sparql-results+json"})
    try:
        return [{name: value["value"] for name, value in row.items()}
                for row in response.json()["results"]["bindings"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PushError(f"{_safe(query_url)}: unexpected answer to a SELECT query ({exc})") from None


def _count(session: _Session, query_url: str, target: str) -> int:
    where = "{ ?s ?p ?o }" if target == "default" else f"{{ GRAPH <{target}> {{ ?s ?p ?o }} }}"
    rows = _select(session, query_url, f"SELECT (COUNT(*) AS ?n) WHERE {where}")
    try:
        return int(rows[0]["n"]) if rows else 0
    except (KeyError, ValueError) as exc:
        raise PushError(f"{_safe(query_url)}: unexpected answer to a COUNT query ({exc})") from None


def _staging_graphs(session: _Session, query_url: str) -> list[str]:
    """Every staging graph in the store: those holding triples (a scan of the named graphs), and
    the empty ones a store lists under ``GRAPH ?g {}`` (Oxigraph; Virtuoso binds nothing there)."""
    found = set()
    for where in ("GRAPH ?g { }", f'GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING_PREFIX}"))'):
        found |= {row.get("g", "") for row in _select(session, query_url, f"SELECT DISTINCT ?g WHERE {{ {where} }}")}
    return sorted(g for g in found if g.startswith(STAGING_PREFIX))


def _update(session: _Session, update_url: str, operations: list[str], **kwargs) -> None:
    session.request("POST", update_url, data={"update": " ;\n".join(operations)}, **kwargs)


def _drop_quietly(session: _Session, update_url: str, graphs: list[str]) -> None:
    """Drop ``graphs``, best effort: one try, a short wait, no error."""
    with contextlib.suppress(KgError, OSError):
        _update(session, update_url, [f"DROP SILENT GRAPH <{g}>" for g in graphs], retries=0, once=True,
                timeout=min(session.timeout, 10.0))


def push_dataset(
    built: Built,
    url: str,
    *,
    graph: str | None = None,
    default_graph_iri: str | None = None,
    replace: bool = True,
    auth: str | None = None,
    credentials: Credentials | None = None,
    query_url: str | None = None,
    update_url: str | None = None,
    graph_param: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    retries: int = 3,
    timeout: float = 60.0,
    stale_after: float = DEFAULT_STALE_AFTER,
    progress: bool | None = None,
    verify: bool = True,
    cancel: _Event | None = None,
) -> PushResult:
    """Upload ``built`` (or its graph ``graph``: an IRI or ``"default"``) to the Graph Store at
    ``url``, atomically, and check the result; see the module docstring. ``progress=None``
    shows a progress bar only when standard error is a terminal. ``graph_param`` is the query
    parameter naming the graph (default ``graph``; ``graph-uri`` for Virtuoso's endpoints).
    ``stale_after``: staging graphs of the same targets made by pushes that started this many
    seconds ago or more are dropped first (0: all of them). ``verify=False`` skips the ``COUNT``
    of the targets (never the check of the staging graphs before the switch). ``cancel``: an
    event (``threading.Event``) looked at before each request up to the switch; once it is set,
    the push stops between two requests, drops its staging graphs and raises :class:`PushError`
    (``kg push`` sets it on SIGTERM)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url!r}: --to must be an http(s) URL of a Graph Store endpoint")
    if parts.username or parts.password:
        raise UsageError("credentials do not belong in the URL; set KG_PUSH_USER and KG_PUSH_PASSWORD, "
                         "or use --credentials-file")
    insecure = insecure_auth_warning(url, auth, credentials)
    if insecure:
        import warnings

        warnings.warn(insecure, InsecureAuthWarning, stacklevel=2)
    auth = auth or ("basic" if credentials else "none")
    if auth != "none" and credentials is None:
        raise UsageError(f"--auth {auth} needs credentials: set {ENV_USER} and {ENV_PASSWORD}, "
                         "or use --credentials-file")
    if chunk_size < 1:
        raise UsageError("chunk size must be at least 1")
    if stale_after < 0:
        raise UsageError("--stale-after must be 0 or more seconds")
    query_url = query_url or derive_query_url(url)
    update_url = update_url or derive_update_url(url)
    param = graph_param or ("graph-uri" if "sparql-graph-crud" in parts.path else "graph")
    selected = graphs_to_push(built)
    if graph is not None:
        chosen = [(name, g) for name, g in selected if name == graph]
        if not chosen:
            raise UsageError(f"the dataset has no graph {graph!r}; choose from "
                             + ", ".join(name for name, _ in selected))
        selected = chosen
    if default_graph_iri:
        _check_iri(default_graph_iri)
    started_at = time.time()
    plan: list[tuple[GraphPush, list[str]]] = []
    for name, g in selected:
        target = default_graph_iri if name == "default" and default_graph_iri else name
        if target != "default":
            _check_iri(target)
        plan.append((GraphPush(name, target, len(g), staging=_new_staging(target, started_at)), g))
    stagings = [item.staging for item, _ in plan]

    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    started = time.monotonic()
    session = _Session(auth, credentials, timeout, retries, cancel)
    result = PushResult(_safe(url), [item for item, _ in plan])
    staged = False  # the staging graphs may exist and the targets are untouched: drop them on failure

    def check_cancel() -> None:
        if cancel is not None and cancel.is_set():
            raise PushError("push stopped before the switch (a signal); the target graphs are as they were")

    try:
        verify_started = time.monotonic()
        if verify and not replace:
            for item, _ in plan:
                item.before = _count(session, query_url, item.target)
        # Staging graphs of the same targets left by killed pushes; dropping them, and the fresh
        # staging IRIs (a no-op), also checks the update endpoint and the credentials before any upload.
        prefixes = tuple(staging_prefix(item.target) for item, _ in plan)
        result.stale_dropped = [g for g in _staging_graphs(session, query_url) if g.startswith(prefixes)
                                and (_staging_started(g) or 0.0) <= started_at - stale_after]
        result.verify_seconds = time.monotonic() - verify_started
        check_cancel()
        _update(session, update_url, [f"DROP SILENT GRAPH <{g}>" for g in [*result.stale_dropped, *stagings]])
        staged = True

        upload_started = time.monotonic()
        chunks = 0
        with tqdm(total=sum(item.sent for item, _ in plan), unit="triple", unit_scale=True,
                  disable=not show, file=sys.stderr, desc="push") as bar:
            for item, g in plan:
                target_url, params = _gsp_url(url, item.staging, param)
                for index, (body, n) in enumerate(chunk_lines(g, chunk_size)):
                    check_cancel()
                    session.request("PUT" if index == 0 else "POST", target_url, params=params, content=body,
                                    headers={"Content-Type": "text/turtle"})
                    chunks += 1
                    bar.update(n)
        result.upload_seconds = time.monotonic() - upload_started

        verify_started = time.monotonic()
        for item, _ in plan:
            held = _count(session, query_url, item.staging)
            if held != item.sent:
                raise PushError(f"{_safe(url)}: staging graph {item.staging} holds {held} triples, but "
                                f"{item.sent} were sent; graph {item.target} is left as it was (is another "
                                "push to it running?)")
        result.verify_seconds += time.monotonic() - verify_started

        check_cancel()
        switch_started = time.monotonic()
        if replace:
            operations = [f"MOVE GRAPH <{item.staging}> TO {_graph_ref(item.target)}" for item, _ in plan]
        else:
            operations = [op for item, _ in plan for op in (
                f"ADD GRAPH <{item.staging}> TO {_graph_ref(item.target)}", f"DROP SILENT GRAPH <{item.staging}>")]
        try:
            # As long to wait for as the uploads were allowed: the switch writes every triple again.
            _update(session, update_url, operations, once=True, timeout=timeout * max(1, chunks))
        except _OutcomeUnknown as exc:
            staged = False  # the switch may be under way: leave the staging graphs to a later push
            raise PushError(f"{exc}: whether the switch happened is unknown; each target graph holds either "
                            "its old or its new content, never a mix; push again (the staging graphs left, if "
                            f"any: {', '.join(stagings)}; --stale-after 0 drops them)") from None
        staged = False
        result.switch_seconds = time.monotonic() - switch_started

        if verify:
            verify_started = time.monotonic()
            for item, _ in plan:
                item.stored = _count(session, query_url, item.target)
                ok = item.stored == item.sent if replace else \
                    max(item.before, item.sent) <= item.stored <= item.before + item.sent
                if not ok:
                    hint = (" (a store whose default graph is the union of all graphs needs "
                            "--default-graph-iri)" if item.target == "default" else "")
                    raise PushError(f"{_safe(url)}: graph {item.target} holds {item.stored} triples after the "
                                    f"push, but {item.sent} were sent{hint}")
            result.verify_seconds += time.monotonic() - verify_started
    except BaseException:
        if staged:
            _drop_quietly(session, update_url, stagings)
        raise
    finally:
        session.close()
        result.requests = session.requests
        result.seconds = time.monotonic() - started
    return result

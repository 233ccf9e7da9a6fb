"""The HTTP side of ``kg serve``: a SPARQL 1.1 Protocol endpoint and the pages around it.

Routes::

    GET  /                  the explorer (HTML)
    GET  /query             the query UI (HTML; its JS and CSS under /static/, nothing from a CDN)
    GET  /static/NAME       the UI's files: a fixed list, so no directory listing or path traversal
    GET  /sparql?query=...  SPARQL 1.1 Protocol query (also POST: form or application/sparql-query)
    GET  /queries           the saved questions as JSON
    GET  /queries/NAME      run one saved question; its parameters from the query string
    GET  /status            worker pids, limits, and why the data was not reloaded (JSON)
    GET  /prefixes          the predeclared prefixes and the base IRI (JSON, for the query UI)

Status codes: 200; 400 malformed query or request (the message says line, column and what was
expected; a SERVICE to an endpoint not allowed; a body framed two ways); 403 SPARQL Update (the
endpoint is read-only), a cross-site request, or a Host that is not a name of this server; 404;
405; 406 (the asked format cannot hold the result); 413 result larger than the cap (rows or
bytes), or request body too large; 415 unknown request body type; 503 time or memory limit
reached (the work is stopped), every worker busy, or too many connections.

**Who may ask.** A web page elsewhere must not be able to use a browser as a client of the
endpoint (its data is the analyst's), so a request is refused (403) when

* its ``Host`` is a name the server does not answer to: an IP address, ``localhost`` (and
  ``*.localhost``), the bound host name and ``--allow-host`` names are; any other name is what a
  DNS rebinding attack sends (Jupyter checks the same);
* it is cross-site, as the browser says in ``Sec-Fetch-Site`` (``cross-site`` or ``same-site``:
  another port of the same host is another site's page too), or, from a browser that does not
  send it, in an ``Origin`` that is not this server's: an ``<img>``, a form posted from another
  page, a ``no-cors`` fetch. A link from elsewhere to the explorer or the query page still opens
  them (a top-level navigation). With ``--cors``, cross-origin requests made in CORS mode (which
  the browser preflights where CORS requires it) are answered too.

Clients that are not browsers (SPARQLWrapper, curl, httpx) send none of these headers and are
answered as before.

**Framing.** A request with both ``Content-Length`` and ``Transfer-Encoding``, two
``Content-Length`` headers or a malformed one is refused (400) and its connection closed: the
endpoint does not read chunked bodies, and two readings of one request are how requests are
smuggled past a proxy. ``Server:`` names kg only (no Python version).

**Connections** (see :func:`make_server`): at most ``max_connections`` at once (past it, the
connection idle longest is closed to make room, or the newcomer gets 503); a client has
``request_timeout`` seconds to send a whole request once it has begun, and a kept-alive
connection is closed after ``IDLE_TIMEOUT`` seconds without one.
"""

from __future__ import annotations

import contextlib
import errno
import io
import ipaddress
import json
import re
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

from kg.errors import UsageError, escape_controls
from kg.query.formats import RESULT_FORMATS
from kg.query.named import NamedQuery
from kg.serve.workers import Reply, Task, WorkerPool

__all__ = ["IDLE_TIMEOUT", "MAX_CONNECTIONS", "REQUEST_TIMEOUT", "DataVersion", "Endpoint", "make_server"]

MAX_BODY = 1_000_000  # bytes of request body accepted (a query, not a dataset)
LISTEN_BACKLOG = 128  # connections waiting to be accepted (http.server's 5 resets clients under load)
IDLE_TIMEOUT = 30.0  # seconds a kept-alive connection may wait for its next request
REQUEST_TIMEOUT = 10.0  # seconds a client has to send a whole request (headers and body) once begun
SEND_TIMEOUT = 120.0  # seconds a client has to read a whole response
MAX_CONNECTIONS = 128  # connections open at once (each holds a thread)

_STATUS = {
    "ok": HTTPStatus.OK,
    "query-error": HTTPStatus.BAD_REQUEST,
    "bad-request": HTTPStatus.BAD_REQUEST,
    "update": HTTPStatus.FORBIDDEN,
    "too-large": HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    "not-acceptable": HTTPStatus.NOT_ACCEPTABLE,
    "timeout": HTTPStatus.SERVICE_UNAVAILABLE,
    "memory": HTTPStatus.SERVICE_UNAVAILABLE,
    "busy": HTTPStatus.SERVICE_UNAVAILABLE,
    "error": HTTPStatus.INTERNAL_SERVER_ERROR,
}
_STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml"}
_FORMAT_ALIASES = {"turtle": "ttl", "n-triples": "nt", "ntriples": "nt", "n3": "ttl", "json-ld": "jsonld",
                   "rdf+xml": "rdf", "rdfxml": "rdf", "rdf/xml": "rdf", "sparql-results+json": "json",
                   "sparql-results+xml": "xml", "text": "table", "txt": "table"}
_UI_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: The CSP of a page at / that carries none of its own (the placeholder pages: a stylesheet).
_PLACEHOLDER_CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'"
_META_CSP = re.compile(rb'<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"<>]*)"', re.IGNORECASE)
#: Pages a link from another site may open (a top-level navigation); nothing else is cross-site.
_PAGES = ("/", "/query", "/query/")
_CONTENT_LENGTH = re.compile(r"[0-9]{1,10}")


def _static_files() -> dict[str, bytes]:
    """The UI's files, read once: the only names /static/ serves."""
    files = {}
    for entry in resources.files("kg.serve").joinpath("static").iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in _STATIC_TYPES:
            files[entry.name] = entry.read_bytes()
    return files


def page_csp(page: bytes) -> str:
    """The Content-Security-Policy header for an HTML page: the policy of its own ``<meta>`` tag
    (the explorer's), or the placeholder's, with ``frame-ancestors 'none'`` (which a ``<meta>``
    cannot carry) so that no other site can frame it."""
    match = _META_CSP.search(page[:4096])
    policy = match.group(1).decode("ascii", "replace").strip().rstrip(";") if match else _PLACEHOLDER_CSP
    return f"{policy}; frame-ancestors 'none'"


def host_allowed(host_header: str, allowed: frozenset[str]) -> bool:
    """Whether a ``Host`` header names this server: an IP address (DNS rebinding needs a name),
    ``localhost`` or a ``*.localhost`` name (browsers resolve those to loopback themselves), or a
    name in ``allowed`` (lower case)."""
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:8000
        end = host.find("]")
        if end < 0:
            return False
        name = host[1:end]
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.rstrip(".")
    if not name:
        return False
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    return name == "localhost" or name.endswith(".localhost") or name in allowed


@dataclass(frozen=True)
class DataVersion:
    """One version of the data being served: its worker pool, saved questions, prefixes, base and
    explorer page. Swapped as a whole (``kg serve --watch``)."""

    pool: WorkerPool
    named: Mapping[str, NamedQuery]
    prefixes: Mapping[str, str]
    base: str | None
    explorer: Callable[[], bytes]


@dataclass
class Endpoint:
    """Everything a request handler needs: the data (pool, saved questions, pages), who may ask.

    The data is one :class:`DataVersion`, replaced at once by :meth:`swap`: a request takes the
    version current when it arrives and keeps it, so a query in flight finishes on the data it
    started on, and no request sees half of one version and half of another.
    """

    pool: WorkerPool
    named: Mapping[str, NamedQuery]
    prefixes: Mapping[str, str]
    base: str | None
    explorer: Callable[[], bytes]
    cors: bool = False
    static: dict[str, bytes] = field(default_factory=_static_files)
    log: bool = True
    allowed_hosts: frozenset[str] = frozenset()
    status_extra: Callable[[], Mapping[str, object]] | None = None

    def __post_init__(self) -> None:
        self.data = DataVersion(self.pool, self.named, self.prefixes, self.base, self.explorer)

    def swap(self, data: DataVersion) -> DataVersion:
        """Serve ``data`` from the next request on; return the version it replaces."""
        old, self.data = self.data, data
        self.pool, self.named, self.prefixes, self.base, self.explorer = (
            data.pool, data.named, data.prefixes, data.base, data.explorer)
        return old


class _Connections:
    """The open connections, what each is doing and until when it may: the server's own account,
    so that a cap holds and that a client too slow to send its request (or to read its answer)
    is cut off by a reaper thread, whatever the socket's per-read timeout lets through."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lock = threading.Lock()
        self.open: dict[socket.socket, list] = {}  # socket -> [phase, since, deadline]
        self.refused = 0
        self.evicted = 0
        self.reaped = 0
        self.stopped = threading.Event()

    def admit(self, sock: socket.socket) -> bool:
        """Count a new connection; make room by closing the one idle longest when at the cap.
        False when every connection is busy with a request (the newcomer is refused)."""
        now = time.monotonic()
        victim = None
        with self.lock:
            live = [s for s, st in self.open.items() if st[0] != "closing"]
            if len(live) >= self.limit:
                idle = [(st[1], id(s), s) for s, st in self.open.items() if st[0] in ("idle", "reading")]
                if not idle:
                    self.refused += 1
                    return False
                victim = min(idle)[2]
                self.open[victim][0] = "closing"
                self.evicted += 1
            self.open[sock] = ["idle", now, now + IDLE_TIMEOUT]
        if victim is not None:
            _cut(victim)
        return True

    def phase(self, sock: socket.socket, phase: str, seconds: float | None) -> None:
        """Say what a connection does now and for how long it may (None: no deadline)."""
        now = time.monotonic()
        with self.lock:
            state = self.open.get(sock)
            if state is not None and state[0] != "closing":
                state[:] = [phase, now, now + seconds if seconds is not None else None]

    def drop(self, sock: socket.socket) -> None:
        with self.lock:
            self.open.pop(sock, None)

    def reap(self) -> None:
        """Cut connections past their deadline, four times a second, until the server stops."""
        while not self.stopped.wait(0.25):
            now = time.monotonic()
            with self.lock:
                late = [s for s, st in self.open.items() if st[0] != "closing" and st[2] is not None and st[2] < now]
                for sock in late:
                    self.open[sock][0] = "closing"
                self.reaped += len(late)
            for sock in late:
                _cut(sock)

    def counts(self) -> dict[str, int]:
        with self.lock:
            return {"open": len(self.open), "limit": self.limit, "refused": self.refused,
                    "evicted": self.evicted, "timed_out": self.reaped}


def _cut(sock: socket.socket) -> None:
    """End a connection from another thread: its blocked read or write returns at once."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 5\r\n"
         b"Connection: close\r\nContent-Length: 47\r\n\r\ntoo many connections are open; try again later\n")


def make_server(endpoint: Endpoint, host: str = "127.0.0.1", port: int = 0, *,
                max_connections: int = MAX_CONNECTIONS,
                request_timeout: float = REQUEST_TIMEOUT) -> ThreadingHTTPServer:
    """An HTTP server (one thread per connection) bound to ``host:port`` (port 0: any free one).

    At most ``max_connections`` connections are open at once; a client has ``request_timeout``
    seconds to send a whole request (see the module docstring).
    """
    connections = _Connections(max_connections)

    class Handler(_Handler):
        ep = endpoint
        conns = connections
        read_limit = request_timeout

    class Server(ThreadingHTTPServer):
        request_queue_size = LISTEN_BACKLOG
        daemon_threads = True
        # An IPv6 host (``::1``) needs an IPv6 socket; everything else listens on IPv4.
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        conns = connections

        def get_request(self) -> tuple[socket.socket, object]:
            try:
                return super().get_request()
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    time.sleep(0.1)  # out of descriptors: wait for some to close rather than spin
                raise

        def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
            if not connections.admit(request):
                try:
                    request.setblocking(False)
                    request.send(_BUSY)
                except OSError:
                    pass
                self.shutdown_request(request)
                return
            try:
                super().process_request(request, client_address)
            except BaseException:
                connections.drop(request)
                raise

        def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
            connections.drop(request)
            super().shutdown_request(request)

        def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
            if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
                return  # the client went away, fell silent or was cut off: nothing to report
            super().handle_error(request, client_address)

        def server_close(self) -> None:
            connections.stopped.set()
            super().server_close()

    server = Server((host, port), Handler)
    threading.Thread(target=connections.reap, name="kg-serve-reaper", daemon=True).start()
    return server


class _Handler(BaseHTTPRequestHandler):
    ep: Endpoint
    data: DataVersion
    conns: _Connections
    read_limit: float
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave at once (no 40 ms delayed-ACK stall)
    server_version = "kg-serve"
    timeout = IDLE_TIMEOUT  # per read or write; the whole request's limit is the reaper's
    rfile: io.BufferedReader  # rbufsize is -1: socket.makefile gives a buffered reader, which can peek

    # --- plumbing ----------------------------------------------------------------------------

    def version_string(self) -> str:
        """``Server: kg-serve``: no Python version for a scanner to match against advisories."""
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        if self.ep.log:  # the request line only: no bodies, no headers; its control characters escaped
            sys.stderr.write(escape_controls(f"{self.address_string()} - {format % args}") + "\n")

    def handle_one_request(self) -> None:
        """Wait for a request (``IDLE_TIMEOUT``), then give the client ``request_timeout`` seconds
        to send all of it."""
        self.conns.phase(self.connection, "idle", IDLE_TIMEOUT)
        try:
            if not self.rfile.peek(1):
                self.close_connection = True
                return
        except (OSError, ValueError):
            self.close_connection = True
            return
        self.conns.phase(self.connection, "reading", self.read_limit)
        super().handle_one_request()

    def parse_request(self) -> bool:
        """http.server's parsing, then the checks every request passes before any route: framing,
        Host, and where it comes from (see the module docstring)."""
        if not super().parse_request():
            return False
        lengths = self.headers.get_all("Content-Length") or []
        if self.headers.get_all("Transfer-Encoding"):
            problem = ("Transfer-Encoding is not accepted (send a Content-Length)" if not lengths else
                       "a request may not carry both Content-Length and Transfer-Encoding")
        elif len(lengths) > 1:
            problem = "a request may carry one Content-Length header, not several"
        elif lengths and not _CONTENT_LENGTH.fullmatch(lengths[0].strip()):
            problem = "Content-Length must be a number of bytes"
        else:
            problem = None
        if problem:
            self.close_connection = True
            self._error(HTTPStatus.BAD_REQUEST, problem)
            return False
        if lengths and int(lengths[0]) and self.command != "POST":
            self.close_connection = True  # a body nobody reads must not be taken for the next request
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1 or (hosts and not host_allowed(hosts[0], self.ep.allowed_hosts)):
            self.close_connection = True
            self._error(HTTPStatus.FORBIDDEN,
                        f"Host {escape_controls(hosts[0]) if len(hosts) == 1 else '(several)'} is not a name of "
                        "this server: use its address, or start kg serve with --allow-host NAME")
            return False
        why = self._cross_site()
        if why:
            self._error(HTTPStatus.FORBIDDEN, why)
            return False
        self.data = self.ep.data  # the version this request is answered from, whatever happens meanwhile
        return True

    def _cross_site(self) -> str | None:
        """Why this request, sent by a browser for another site's page, is refused, or None."""
        site = (self.headers.get("Sec-Fetch-Site") or "").strip().lower()
        mode = (self.headers.get("Sec-Fetch-Mode") or "").strip().lower()
        origin = self.headers.get("Origin")
        host = (self.headers.get("Host") or "").strip().lower()
        own = origin is not None and urllib.parse.urlsplit(origin.strip().lower()).netloc == host and \
            origin.strip().lower().startswith(("http://", "https://"))
        foreign = site in ("cross-site", "same-site") or (site in ("", "same-origin") and origin is not None
                                                          and not own)
        if not foreign:
            return None
        path = urllib.parse.urlsplit(self.path).path
        if self.command in ("GET", "HEAD") and path in _PAGES and mode in ("", "navigate"):
            return None  # a link from elsewhere to a page
        if self.ep.cors and (mode == "cors" or (not mode and origin is not None)):
            return None  # CORS is on: the browser applied its rules (a preflight where CORS needs one)
        what = f"from {escape_controls(origin)}" if origin else f"({site})"
        return (f"cross-site request {what} refused: another site's page cannot query this endpoint "
                "through your browser; start kg serve with --cors to let web pages query it with CORS")

    def _send(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> None:
        self.conns.phase(self.connection, "sending", SEND_TIMEOUT)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        if self.ep.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        if self.close_connection:
            self.send_header("Connection", "close")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, detail: Mapping[str, object] | None = None) -> None:
        """Errors as plain text (what SPARQL clients show), or JSON when the client asks for it."""
        accept = self.headers.get("Accept", "")
        if "application/json" in accept and "sparql-results" not in accept:
            doc = {"status": int(status), "message": message, **(detail or {})}
            self._send(status, json.dumps(doc, ensure_ascii=False).encode("utf-8"), "application/json")
        else:
            self._send(status, (message.rstrip("\n") + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _reply(self, reply: Reply) -> None:
        status = _STATUS.get(reply.status, HTTPStatus.INTERNAL_SERVER_ERROR)
        if reply.status == "ok":
            # Server-Timing (W3C): how long the worker took to run the query and write the result;
            # the rest of a request's time is the endpoint's own (bench/query_bench.py reports both).
            self._send(status, reply.body, reply.content_type,
                       {"Server-Timing": f"query;dur={reply.seconds * 1000:.3f}"})
        else:
            headers = {"Retry-After": "5"} if status == HTTPStatus.SERVICE_UNAVAILABLE else None
            if headers:
                self._send(status, (reply.message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)
            else:
                self._error(status, reply.message, reply.detail)

    def _query_string(self) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)

    def _read_body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)  # its form was checked in parse_request
        if length > MAX_BODY:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                        f"request body must be a query of at most {MAX_BODY} bytes")
            return None
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client stopped sending (or was cut off at the time limit)
            self.close_connection = True
            return None
        self.conns.phase(self.connection, "working", None)
        return body

    # --- routes ------------------------------------------------------------------------------

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self.do_GET()

    def do_OPTIONS(self) -> None:  # noqa: N802
        if not self.ep.cors:
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, "OPTIONS: CORS is off (start kg serve with --cors)")
            return
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain", {
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept",
            "Access-Control-Max-Age": "600",
        })

    def do_GET(self) -> None:  # noqa: N802
        self.conns.phase(self.connection, "working", None)
        path = urllib.parse.urlsplit(self.path).path
        if path == "/":
            page = self.data.explorer()
            self._send(HTTPStatus.OK, page, "text/html; charset=utf-8",
                       {"Content-Security-Policy": page_csp(page), "X-Frame-Options": "DENY"})
        elif path in ("/query", "/query/"):
            self._send(HTTPStatus.OK, self.ep.static["query.html"], "text/html; charset=utf-8",
                       {"Content-Security-Policy": _UI_CSP, "X-Frame-Options": "DENY"})
        elif path.startswith("/static/"):
            self._static(path[len("/static/"):])
        elif path == "/sparql":
            self._sparql_get()
        elif path in ("/queries", "/queries/"):
            listing = [{**nq.to_dict(), "url": f"/queries/{name}"} for name, nq in self.data.named.items()]
            self._send(HTTPStatus.OK, json.dumps(listing, ensure_ascii=False, indent=1).encode("utf-8"),
                       "application/json")
        elif path.startswith("/queries/"):
            self._named(path[len("/queries/"):])
        elif path == "/status":
            status = {**self.data.pool.status(), "connections": self.conns.counts()}
            if self.ep.status_extra is not None:
                status.update(self.ep.status_extra())
            self._send(HTTPStatus.OK, json.dumps(status, ensure_ascii=False).encode("utf-8"), "application/json")
        elif path == "/prefixes":  # the query page completes and shortens IRIs with them
            self._send(HTTPStatus.OK, json.dumps({"prefixes": dict(self.data.prefixes), "base": self.data.base})
                       .encode("utf-8"), "application/json")
        else:
            self._error(HTTPStatus.NOT_FOUND, f"not found: {path}; try /sparql, /query or /queries")

    def do_POST(self) -> None:  # noqa: N802
        path = urllib.parse.urlsplit(self.path).path
        body = self._read_body()
        if body is None:
            return
        if path != "/sparql":
            self._error(HTTPStatus.METHOD_NOT_ALLOWED if path in ("/", "/query", "/queries", "/status")
                        else HTTPStatus.NOT_FOUND, f"POST {path}: only /sparql takes POST")
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = self._query_string()
        if ctype == "application/x-www-form-urlencoded":
            try:
                form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                self._error(HTTPStatus.BAD_REQUEST, "the form is not valid UTF-8")
                return
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            self._protocol(params)
        elif ctype == "application/sparql-query":
            try:
                params["query"] = [body.decode("utf-8")]
            except UnicodeDecodeError:
                self._error(HTTPStatus.BAD_REQUEST, "the query is not valid UTF-8")
                return
            self._protocol(params)
        elif ctype == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only")
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        "POST a query as application/x-www-form-urlencoded (query=...) or application/sparql-query")

    def _static(self, name: str) -> None:
        data = self.ep.static.get(name)  # exact names only: "../x", "", "a/b" are simply not there
        if data is None or name == "query.html":
            self._error(HTTPStatus.NOT_FOUND, "not found")
            return
        suffix = "." + name.rsplit(".", 1)[-1]
        self._send(HTTPStatus.OK, data, _STATIC_TYPES[suffix])

    def _sparql_get(self) -> None:
        params = self._query_string()
        if "query" not in params and "update" not in params:
            if "text/html" in self.headers.get("Accept", ""):
                self._send(HTTPStatus.SEE_OTHER, b"", "text/plain", {"Location": "/query"})
            else:
                self._error(HTTPStatus.BAD_REQUEST, "missing query parameter: /sparql?query=SELECT...")
            return
        self._protocol(params)

    def _protocol(self, params: dict[str, list[str]]) -> None:
        """The SPARQL 1.1 Protocol query operation, once the parameters are gathered."""
        if "update" in params:
            self._error(HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only")
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._error(HTTPStatus.BAD_REQUEST, "give exactly one non-empty query parameter")
            return
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._error(HTTPStatus.BAD_REQUEST, "default-graph-uri and named-graph-uri are not supported: the "
                        "default graph is the union of every graph; use GRAPH <...> { } in the query")
            return
        fmt = self._format_param(params)
        self._reply(self.data.pool.run(Task(queries[0], {}, fmt or None, self.headers.get("Accept"))))

    def _format_param(self, params: dict[str, list[str]]) -> str | None:
        """``?format=csv`` (kg's format names, common aliases such as ``turtle`` or a media type)
        overrides the Accept header; a value kg does not know is ignored, as SPARQL clients send
        their own (``format=``, ``output=``) alongside a proper Accept header."""
        value = (params.get("format") or [""])[0].strip().lower()
        if value in RESULT_FORMATS:
            return value
        for name, fmt in RESULT_FORMATS.items():
            if value == fmt.media_type:
                return name
        return _FORMAT_ALIASES.get(value)

    def _named(self, name: str) -> None:
        nq = self.data.named.get(name)
        if nq is None:
            self._error(HTTPStatus.NOT_FOUND, f"no saved question {name!r}; see /queries")
            return
        params = self._query_string()
        fmt = self._format_param(params)
        values = {k: v[-1] for k, v in params.items() if k not in ("format", "output", "results")}
        try:
            bound = nq.bind(values, self.data.prefixes, self.data.base)
        except UsageError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        self._reply(self.data.pool.run(Task(nq.text, bound, fmt or None, self.headers.get("Accept"), nq.name)))


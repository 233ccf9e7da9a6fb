"""The HTTP side of ``kg serve``: a SPARQL 1.1 Protocol endpoint and the pages around it.

Routes::

    GET  /                  the explorer (HTML)
    GET  /query             the query UI (HTML; its JS and CSS under /static/, nothing from a CDN)
    GET  /static/NAME       the UI's files: a fixed list, so no directory listing or path traversal
    GET  /sparql?query=...  SPARQL 1.1 Protocol query (also POST: form or application/sparql-query)
    GET  /queries           the saved questions as JSON
    GET  /queries/NAME      run one saved question; its parameters from the query string
    GET  /status            worker pids, time limit, result cap (JSON)
    GET  /prefixes          the predeclared prefixes and the base IRI (JSON, for the query UI)

Status codes: 200; 400 malformed query or request (the message says line, column and what was
expected); 403 SPARQL Update (the endpoint is read-only); 404; 405; 406 (no format can hold the
result); 413 result larger than the cap, or request body too large; 415 unknown request body
type; 503 time limit reached (the work is stopped) or every worker busy.
"""

from __future__ import annotations

import json
import socket
import sys
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

from kg.errors import UsageError
from kg.query.formats import RESULT_FORMATS
from kg.query.named import NamedQuery
from kg.serve.workers import Reply, Task, WorkerPool

__all__ = ["Endpoint", "make_server"]

MAX_BODY = 1_000_000  # bytes of request body accepted (a query, not a dataset)
LISTEN_BACKLOG = 128  # connections waiting to be accepted (http.server's 5 resets clients under load)
IDLE_TIMEOUT = 120.0  # seconds a connection may sit silent (keep-alive or half-sent request)

_STATUS = {
    "ok": HTTPStatus.OK,
    "query-error": HTTPStatus.BAD_REQUEST,
    "bad-request": HTTPStatus.BAD_REQUEST,
    "update": HTTPStatus.FORBIDDEN,
    "too-large": HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    "timeout": HTTPStatus.SERVICE_UNAVAILABLE,
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


def _static_files() -> dict[str, bytes]:
    """The UI's files, read once: the only names /static/ serves."""
    files = {}
    for entry in resources.files("kg.serve").joinpath("static").iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in _STATIC_TYPES:
            files[entry.name] = entry.read_bytes()
    return files


@dataclass
class Endpoint:
    """Everything a request handler needs: the pool, the saved questions, the pages."""

    pool: WorkerPool
    named: Mapping[str, NamedQuery]
    prefixes: Mapping[str, str]
    base: str | None
    explorer: Callable[[], bytes]
    cors: bool = False
    static: dict[str, bytes] = field(default_factory=_static_files)
    log: bool = True


def make_server(endpoint: Endpoint, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server (one thread per connection) bound to ``host:port`` (port 0: any free one)."""

    class Handler(_Handler):
        ep = endpoint

    class Server(ThreadingHTTPServer):
        request_queue_size = LISTEN_BACKLOG
        daemon_threads = True
        # An IPv6 host (``::1``) needs an IPv6 socket; everything else listens on IPv4.
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

        def handle_error(self, request: object, client_address: object) -> None:
            if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
                return  # the client went away or fell silent: nothing to report
            super().handle_error(request, client_address)

    return Server((host, port), Handler)


class _Handler(BaseHTTPRequestHandler):
    ep: Endpoint
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave at once (no 40 ms delayed-ACK stall)
    server_version = "kg-serve"
    timeout = IDLE_TIMEOUT  # a silent client does not hold its thread for ever

    # --- plumbing ----------------------------------------------------------------------------

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        if self.ep.log:  # the request line only: no bodies, no headers
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def _send(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        if self.ep.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
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
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE if length > MAX_BODY else HTTPStatus.BAD_REQUEST,
                        f"request body must be a query of at most {MAX_BODY} bytes")
            return None
        return self.rfile.read(length) if length else b""

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
        path = urllib.parse.urlsplit(self.path).path
        if path == "/":
            self._send(HTTPStatus.OK, self.ep.explorer(), "text/html; charset=utf-8")
        elif path in ("/query", "/query/"):
            self._send(HTTPStatus.OK, self.ep.static["query.html"], "text/html; charset=utf-8",
                       {"Content-Security-Policy": _UI_CSP})
        elif path.startswith("/static/"):
            self._static(path[len("/static/"):])
        elif path == "/sparql":
            self._sparql_get()
        elif path in ("/queries", "/queries/"):
            listing = [{**nq.to_dict(), "url": f"/queries/{name}"} for name, nq in self.ep.named.items()]
            self._send(HTTPStatus.OK, json.dumps(listing, ensure_ascii=False, indent=1).encode("utf-8"),
                       "application/json")
        elif path.startswith("/queries/"):
            self._named(path[len("/queries/"):])
        elif path == "/status":
            self._send(HTTPStatus.OK, json.dumps(self.ep.pool.status()).encode("utf-8"), "application/json")
        elif path == "/prefixes":  # the query page completes and shortens IRIs with them
            self._send(HTTPStatus.OK, json.dumps({"prefixes": dict(self.ep.prefixes), "base": self.ep.base}).encode("utf-8"), "application/json")
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
        self._reply(self.ep.pool.run(Task(queries[0], {}, fmt or None, self.headers.get("Accept"))))

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
        nq = self.ep.named.get(name)
        if nq is None:
            self._error(HTTPStatus.NOT_FOUND, f"no saved question {name!r}; see /queries")
            return
        params = self._query_string()
        fmt = self._format_param(params)
        values = {k: v[-1] for k, v in params.items() if k not in ("format", "output", "results")}
        try:
            bound = nq.bind(values, self.ep.prefixes, self.ep.base)
        except UsageError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        self._reply(self.ep.pool.run(Task(nq.text, bound, fmt or None, self.headers.get("Accept"), nq.name)))


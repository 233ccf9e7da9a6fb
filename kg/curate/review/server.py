"""The HTTP side of ``kg curate``: the review page and the JSON calls behind it.

Routes::

    GET  /                 the page (HTML); its script and style under /static/ (a fixed list)
    GET  /api/state        the text, the draft, the entities and ontology terms (JSON)
    POST /api/check        {"table", "cells"}: the issues kg validate would report for the row
    POST /api/accept       {"row", "cells"}: validate a drafted row and append it to its table
    POST /api/add          {"table", "cells"}: validate a row made on the page and append it
    POST /api/save         {"row", "cells"}: keep an edit of a drafted row in the draft
    POST /api/reject       {"row"}: mark a drafted row rejected
    POST /api/undo         {}: undo the last change
    POST /api/new-id       {"label"}: a free id for a new entity

A local tool that writes files must not be driven by other web pages: the server binds
127.0.0.1 unless told otherwise, answers only requests whose ``Host`` is a name it is bound to
(no DNS rebinding), and takes a POST only with a JSON body from its own origin (``Origin`` and
``Sec-Fetch-Site`` checked; a JSON content type cannot be sent across origins without a CORS
preflight, which it never grants). Pages carry a Content-Security-Policy that allows nothing
but its own files: no CDN, no inline script, no framing.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import urlsplit

from kg.curate.review.session import ReviewSession
from kg.errors import KgError

__all__ = ["ReviewServer", "open_review"]

MAX_BODY = 1_000_000
_STATIC = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _static(name: str) -> bytes:
    return resources.files("kg.curate.review").joinpath("static", name).read_bytes()


class ReviewServer:
    """A running review server (a thread); ``url`` to open it, ``close()`` to stop it."""

    def __init__(self, httpd: ThreadingHTTPServer, thread: threading.Thread | None) -> None:
        self.httpd = httpd
        self.thread = thread

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        if not isinstance(host, str):  # an AF_INET(6) server's host is text; the stub allows bytes
            host = host.decode()
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted."""
        self.httpd.serve_forever()

    def close(self) -> None:
        """Stop serving and release the port."""
        self.httpd.shutdown() if self.thread else None
        self.httpd.server_close()
        if self.thread:
            self.thread.join(timeout=10)


def _allowed_hosts(host: str, port: int) -> set[str]:
    names = {f"{host}:{port}", f"[{host}]:{port}"}
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback:
        names |= {f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"}
    return names


def open_review(session: ReviewSession, *, host: str = "127.0.0.1", port: int = 0,
                background: bool = True) -> ReviewServer:
    """Start the review server for ``session`` (port 0: any free one); in a background thread
    unless ``background`` is False (then call ``serve_forever``)."""

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

    httpd = Server((host, port), _handler(session))
    allowed = _allowed_hosts(host, httpd.server_address[1])
    httpd.allowed_hosts = allowed  # type: ignore[attr-defined]
    thread = None
    if background:
        thread = threading.Thread(target=httpd.serve_forever, name="kg-curate", daemon=True)
        thread.start()
    return ReviewServer(httpd, thread)


def _handler(session: ReviewSession):
    page = _static("index.html")

    class Handler(BaseHTTPRequestHandler):
        server_version = "kg-curate"
        sys_version = ""
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
            return  # quiet: the terminal shows only what kg curate prints

        # -- replies --------------------------------------------------------------------
        def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the page went away: nothing to tell
                    self.close_connection = True

        def _json(self, status: int, data: object) -> None:
            body = json.dumps(data, ensure_ascii=False).encode("utf-8")
            self._send(status, body, "application/json; charset=utf-8")

        def _refuse(self, status: int, message: str) -> None:
            self._json(status, {"ok": False, "errors": [message]})

        def _host_ok(self) -> bool:
            if self.headers.get("Host", "") not in self.server.allowed_hosts:  # type: ignore[attr-defined]
                self._refuse(HTTPStatus.FORBIDDEN, "unknown Host: open the address kg curate printed")
                return False
            return True

        # -- GET ------------------------------------------------------------------------
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if not self._host_ok():
                return
            path = urlsplit(self.path).path
            if path == "/":
                self._send(200, page, "text/html; charset=utf-8",
                           {"Content-Security-Policy": _CSP, "X-Frame-Options": "DENY"})
            elif path.startswith("/static/") and path[len("/static/"):] in _STATIC:
                name = path[len("/static/"):]
                self._send(200, _static(name), _STATIC[name])
            elif path == "/api/state":
                try:
                    self._json(200, session.state())
                except KgError as exc:
                    self._refuse(HTTPStatus.CONFLICT, str(exc))
            else:
                self._refuse(HTTPStatus.NOT_FOUND, "no such page")

        do_HEAD = do_GET  # noqa: N815

        # -- POST -----------------------------------------------------------------------
        def _same_origin(self) -> bool:
            origin = self.headers.get("Origin")
            host = self.headers.get("Host", "")
            if origin is not None and origin != f"http://{host}":
                self._refuse(HTTPStatus.FORBIDDEN, "cross-origin request refused")
                return False
            fetch_site = self.headers.get("Sec-Fetch-Site")
            if fetch_site is not None and fetch_site not in ("same-origin", "none"):
                self._refuse(HTTPStatus.FORBIDDEN, "cross-site request refused")
                return False
            content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_type != "application/json":
                self._refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON (Content-Type: application/json)")
                return False
            return True

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            if not self._host_ok() or not self._same_origin():
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY:
                self.close_connection = True
                self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a request body is at most {MAX_BODY} bytes")
                return
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
                if not isinstance(body, dict):
                    raise ValueError("not an object")
            except (ValueError, UnicodeDecodeError) as exc:
                self._refuse(HTTPStatus.BAD_REQUEST, f"the body is not a JSON object ({exc})")
                return
            action = urlsplit(self.path).path
            try:
                result = self._dispatch(action, body)
            except KgError as exc:
                self._refuse(HTTPStatus.CONFLICT, str(exc))
                return
            if result is None:
                self._refuse(HTTPStatus.NOT_FOUND, "no such action")
            else:
                self._json(200, result)

        @staticmethod
        def _dispatch(action: str, body: dict) -> dict | None:
            cells = body.get("cells") or {}
            if action == "/api/check":
                return {"ok": True, **session.check(str(body.get("table", "")), cells)}
            if action == "/api/accept":
                return session.accept(str(body.get("row", "")), cells)
            if action == "/api/add":
                return session.add(str(body.get("table", "")), cells)
            if action == "/api/save":
                return session.save(str(body.get("row", "")), cells)
            if action == "/api/reject":
                return session.reject(str(body.get("row", "")))
            if action == "/api/undo":
                return session.undo()
            if action == "/api/new-id":
                return {"ok": True, "id": session.new_id(str(body.get("label", "")))}
            return None

    return Handler

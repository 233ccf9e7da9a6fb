"""A second HTTP server on 127.0.0.1 for the tests that check kg contacts no other server: it
answers every request as a tiny SPARQL endpoint (one row, ``?x = "from-the-other-store"``) or
serves a fixed HTML page, and records each request it gets, so a test can assert that it was
(or was not) contacted."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from-the-other-store"}}]}}'
MARK = "from-the-other-store"


@dataclass
class Recorder:
    """A running recorder: its base URL and the request lines it got."""

    url: str
    requests: list[str] = field(default_factory=list)
    pages: dict[str, bytes] = field(default_factory=dict)

    @property
    def contacted(self) -> bool:
        return bool(self.requests)


@contextmanager
def recorder(host: str = "127.0.0.1") -> Iterator[Recorder]:
    """Start a recorder on ``host`` (any free port); stop it on leaving."""
    record = Recorder("")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            record.requests.append(f"{self.command} {self.path}")
            page = record.pages.get(self.path.split("?")[0])
            body, ctype = (page, "text/html; charset=utf-8") if page is not None else \
                (ANSWER, "application/sparql-results+json")
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer  # noqa: N815 - http.server's naming

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    record.url = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)

"""Start and stop the endpoint: build the dataset, start the worker pool, bind the socket."""

from __future__ import annotations

import ipaddress
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

from kg.project import Project
from kg.query.named import named_queries
from kg.serve.app import Endpoint, make_server
from kg.serve.explorer import explorer_page
from kg.serve.workers import WorkerPool

__all__ = ["EXPLORER_IN_BACKGROUND", "Server", "is_loopback", "open_server", "serve"]

#: Above this many triples the explorer page is drawn in the background (building the rdflib
#: Dataset and drawing took about a minute at 1M triples), so the endpoint answers at once.
EXPLORER_IN_BACKGROUND = 200_000


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Server:
    """A running endpoint: its HTTP server, worker pool and scratch directory."""

    httpd: ThreadingHTTPServer
    pool: WorkerPool
    scratch: Path

    @property
    def url(self) -> str:
        """The base URL, such as ``http://127.0.0.1:8000``."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        """Answer requests until :meth:`close` (or Ctrl-C)."""
        self.httpd.serve_forever(poll_interval=0.2)

    def start_background(self) -> threading.Thread:
        """Answer requests in a daemon thread (for notebooks and tests)."""
        thread = threading.Thread(target=self.serve_forever, name="kg-serve", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        """Stop answering, stop the workers, remove the scratch files."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.pool.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_server(project: Project, *, host: str = "127.0.0.1", port: int = 0, workers: int | None = None,
                timeout: float = 30.0, max_rows: int | None = 10_000, cors: bool = False,
                explorer: Callable[[], bytes] | None = None, log: bool = True) -> Server:
    """Build the dataset and bind the endpoint (not yet answering: call ``serve_forever``).

    ``workers`` query processes (default: the CPU count, at least 2) each hold the data;
    ``timeout`` seconds bounds each query; ``max_rows`` caps each result (None: no cap).
    """
    from kg.build import build
    from kg.load import load
    from kg.output.rdf import write

    built = build(load(project))
    triples = len(built)
    prefixes = {**built.prefixes, **project.prefixes}
    scratch = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    try:
        # Sorted N-Quads, as kg build writes them: the order the workers load in (see Engine.from_built)
        data = write(built, "nq", scratch / "data.nq")
        size = workers or max(2, os.cpu_count() or 2)
        pool = WorkerPool(data, prefixes=prefixes, base=project.base, size=size, timeout=timeout,
                          max_rows=max_rows).start()
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    try:
        endpoint = Endpoint(pool=pool, named=named_queries(project.data_dir), prefixes=prefixes,
                            base=project.base, cors=cors, log=log,
                            explorer=explorer or explorer_page(built, project,
                                                               background=triples > EXPLORER_IN_BACKGROUND))
        httpd = make_server(endpoint, host, port)
    except BaseException:
        pool.close()
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return Server(httpd, pool, scratch)


def serve(project: Project, **options: object) -> None:
    """Run the endpoint until interrupted (see :func:`open_server` for the options)."""
    server = open_server(project, **options)  # type: ignore[arg-type]
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()

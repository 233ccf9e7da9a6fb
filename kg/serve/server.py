"""Start and stop the endpoint: build the dataset, start the worker pool, bind the socket."""

from __future__ import annotations

import ipaddress
import os
import resource
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path

from kg.project import Project
from kg.query.limits import DEFAULT_MEMORY_MIB
from kg.query.named import named_queries
from kg.serve.app import MAX_CONNECTIONS, REQUEST_TIMEOUT, Endpoint, make_server
from kg.serve.explorer import explorer_page
from kg.serve.workers import WorkerFailure, WorkerPool

__all__ = ["DEFAULT_MAX_BYTES", "EXPLORER_IN_BACKGROUND", "Server", "is_loopback", "open_server", "serve"]

#: The largest result sent, in bytes (``kg serve --max-bytes``): one row can be huge, so rows are
#: not enough of a cap.
DEFAULT_MAX_BYTES = 64 * 2**20

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
    endpoint: Endpoint | None = None
    failure: list[str] = field(default_factory=list)  # why the server stopped by itself

    @property
    def url(self) -> str:
        """The base URL, such as ``http://127.0.0.1:8000``."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        """Answer requests until :meth:`close` (or Ctrl-C). Raises :class:`WorkerFailure` when the
        server stopped because its query workers could not be kept running."""
        self.httpd.serve_forever(poll_interval=0.2)
        if self.failure:
            raise WorkerFailure(self.failure[0])

    def fail(self, message: str) -> None:
        """Stop answering because of ``message`` (from any thread): :meth:`serve_forever` raises it."""
        self.failure.append(message)
        threading.Thread(target=self.httpd.shutdown, name="kg-serve-stop", daemon=True).start()

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


def _raise_file_limit() -> None:
    """Allow as many open files as the system lets this process have: each connection is one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))
        except (ValueError, OSError):
            pass


def _host_names(host: str, allow_hosts: Iterable[str]) -> frozenset[str]:
    """The names (lower case) a Host header may give besides IP addresses and localhost."""
    names = {h.strip().lower().rstrip(".") for h in allow_hosts if h.strip()}
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if host:
            names.add(host.lower().rstrip("."))
    return frozenset(names)


def open_server(project: Project, *, host: str = "127.0.0.1", port: int = 0, workers: int | None = None,
                timeout: float = 30.0, max_rows: int | None = 10_000, cors: bool = False,
                explorer: Callable[[], bytes] | None = None, log: bool = True,
                max_bytes: int | None = DEFAULT_MAX_BYTES, memory_mib: int | None = DEFAULT_MEMORY_MIB,
                allow_service: Iterable[str] = (), allow_hosts: Iterable[str] = (),
                max_connections: int = MAX_CONNECTIONS, request_timeout: float = REQUEST_TIMEOUT) -> Server:
    """Build the dataset and bind the endpoint (not yet answering: call ``serve_forever``).

    ``workers`` query processes (default: the CPU count, at least 2) each hold the data;
    ``timeout`` seconds bounds each query; ``max_rows`` and ``max_bytes`` cap each result (None:
    no cap); ``memory_mib`` is each worker's memory beyond its data (None: no limit);
    ``allow_service`` the endpoints queries may call with SERVICE (none by default);
    ``allow_hosts`` the names the server answers to besides its addresses and localhost (a Host
    header naming anything else is refused: DNS rebinding); ``max_connections`` and
    ``request_timeout`` bound the connections (see :mod:`kg.serve.app`).
    """
    from kg.build import build, build_quads
    from kg.load import load
    from kg.output.rdf import write_quads

    records = load(project)
    quads = build_quads(records)
    triples = len(quads)
    prefixes = {**quads.prefixes, **project.prefixes}
    scratch = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    try:
        # Sorted N-Quads, as kg build writes them: the order the workers load in (see Engine.from_quads)
        data = write_quads(quads, "nq", scratch / "data.nq")
        size = workers or max(2, os.cpu_count() or 2)
        holder: list[Server] = []
        pool = WorkerPool(data, prefixes=prefixes, base=project.base, size=size, timeout=timeout,
                          max_rows=max_rows, max_bytes=max_bytes, memory_mib=memory_mib,
                          allow_service=allow_service,
                          on_failure=lambda message: holder[0].fail(message) if holder else None).start()
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    try:
        endpoint = Endpoint(pool=pool, named=named_queries(project.data_dir), prefixes=prefixes,
                            base=project.base, cors=cors, log=log, allowed_hosts=_host_names(host, allow_hosts),
                            explorer=explorer or explorer_page(lambda: build(records), project,
                                                               background=triples > EXPLORER_IN_BACKGROUND))
        _raise_file_limit()
        httpd = make_server(endpoint, host, port, max_connections=max_connections, request_timeout=request_timeout)
    except BaseException:
        pool.close()
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    server = Server(httpd, pool, scratch, endpoint)
    holder.append(server)
    if pool.failure:  # a worker died and could not come back before the server existed
        server.fail(pool.failure)
    return server


def serve(project: Project, **options: object) -> None:
    """Run the endpoint until interrupted (see :func:`open_server` for the options)."""
    server = open_server(project, **options)  # type: ignore[arg-type]
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()

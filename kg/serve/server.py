"""Start and stop the endpoint: build the dataset, start the worker pool, bind the socket."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import resource
import shutil
import tempfile
import threading
import time
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
    """A running endpoint: its HTTP server, worker pool and scratch directory; with ``--watch``,
    how to rebuild the data (see :mod:`kg.serve.watch`)."""

    httpd: ThreadingHTTPServer
    pool: WorkerPool
    scratch: Path
    endpoint: Endpoint | None = None
    failure: list[str] = field(default_factory=list)  # why the server stopped by itself
    reopen: Callable[[], Project] | None = None  # the project, read again (kg.toml may have changed)
    make_pool: Callable[[Path, dict[str, str], str | None], WorkerPool] | None = None
    shacl: bool = True
    version: int = 1
    triples: int = 0
    reload_state: dict[str, object] = field(default_factory=dict)
    watcher: object | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _retiring: list[WorkerPool] = field(default_factory=list)

    def status(self) -> dict[str, object]:
        """What ``/status`` adds: the data version served, and how the last rebuild went."""
        out: dict[str, object] = {"data": {"version": self.version, "triples": self.triples}}
        if self.watcher is not None:
            out["watch"] = True
            out["reload"] = dict(self.reload_state) or {"state": "none yet"}
        return out

    def reload(self) -> bool:
        """Load, validate and build the data again, start workers on it, and swap it in; on any
        failure keep serving the old data and say why in :meth:`status`. True when swapped."""
        import sys

        from kg.build import from_resolved
        from kg.check import resolve
        from kg.errors import KgError, Report, ValidationFailed, escape_controls
        from kg.load import load
        from kg.output.rdf import write
        from kg.serve.app import DataVersion
        from kg.shapes import shacl_issues_quads

        if self.reopen is None or self.make_pool is None or self.endpoint is None:
            raise RuntimeError("this server was not opened with watch=True")
        with self._lock:
            started = time.time()
            version = self.version + 1
            path = self.scratch / f"data-{version}.nq"
            pool = None
            try:
                project = self.reopen()
                records = load(project)
                # Validated as kg validate does: the record checks, then (when they pass) the shapes.
                resolved = resolve(records)
                report = Report(issues=list(resolved.issues), files=len(records.files))
                built = from_resolved(resolved, project.prefixes) if report.ok else None
                if built is not None and self.shacl:
                    report.extend(shacl_issues_quads(built.quads, resolved))
                if not report.ok or built is None:
                    raise ValidationFailed(report)
                prefixes = {**built.prefixes, **project.prefixes}
                write(built, "nq", path)
                pool = self.make_pool(path, prefixes, project.base)
                data = DataVersion(pool, named_queries(project.data_dir), prefixes, project.base,
                                   explorer_page(built, project, background=len(built) > EXPLORER_IN_BACKGROUND))
                quads = built
            except (KgError, OSError, ValueError) as exc:
                if pool is not None:
                    pool.close()
                path.unlink(missing_ok=True)
                why = exc.report.format() if isinstance(exc, ValidationFailed) else str(exc)
                self.reload_state = {"state": "failed", "at": _iso(started), "serving_version": self.version,
                                     "message": why[:20_000]}
                sys.stderr.write(escape_controls(f"warning: the changed data was not loaded; still serving "
                                                 f"version {self.version}:\n{why}", keep_newlines=True) + "\n")
                return False
            old = self.endpoint.swap(data)
            self.pool, self.version, self.triples = pool, version, len(quads)
            self.reload_state = {"state": "ok", "at": _iso(started), "serving_version": version,
                                 "seconds": round(time.time() - started, 3)}
            self._retiring.append(old.pool)
        sys.stderr.write(f"reloaded: serving version {version} ({len(quads)} quads)\n")
        # Requests that took the old version get their answer within the time limit; then its
        # workers go.
        timer = threading.Timer(old.pool.timeout + 1.0, self._retire, args=(old.pool,))
        timer.daemon = True
        timer.start()
        return True

    def _retire(self, pool: WorkerPool) -> None:
        pool.close()
        with self._lock:
            if pool in self._retiring:
                self._retiring.remove(pool)
        for file in self.scratch.glob("data*.nq"):
            if str(file) not in (str(p) for p in self._nquads()):
                file.unlink(missing_ok=True)

    def _nquads(self) -> list[Path]:
        pools = [self.pool, *self._retiring]
        return [Path(p._args[0]) for p in pools]  # noqa: SLF001 - the pool's own data file

    @property
    def url(self) -> str:
        """The base URL, such as ``http://127.0.0.1:8000``."""
        host, port = self.httpd.server_address[:2]
        if not isinstance(host, str):  # an AF_INET(6) server's host is text; the stub allows bytes
            host = host.decode()
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
        if self.watcher is not None:
            self.watcher.stop()  # type: ignore[attr-defined]
        self.httpd.shutdown()
        self.httpd.server_close()
        with self._lock:
            pools = [self.pool, *self._retiring]
            self._retiring.clear()
        for pool in pools:
            pool.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _raise_file_limit() -> None:
    """Allow as many open files as the system lets this process have: each connection is one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))


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
                max_connections: int = MAX_CONNECTIONS, request_timeout: float = REQUEST_TIMEOUT,
                watch: bool = False, reopen: Callable[[], Project] | None = None, shacl: bool = True,
                watch_interval: float = 1.0) -> Server:
    """Build the dataset and bind the endpoint (not yet answering: call ``serve_forever``).

    ``workers`` query processes (default: the CPU count, at least 2) each hold the data;
    ``timeout`` seconds bounds each query; ``max_rows`` and ``max_bytes`` cap each result (None:
    no cap); ``memory_mib`` is each worker's memory beyond its data (None: no limit);
    ``allow_service`` the endpoints queries may call with SERVICE (none by default);
    ``allow_hosts`` the names the server answers to besides its addresses and localhost (a Host
    header naming anything else is refused: DNS rebinding); ``max_connections`` and
    ``request_timeout`` bound the connections (see :mod:`kg.serve.app`).

    ``watch``: rebuild and swap in the data when its files change (:mod:`kg.serve.watch`), the
    project read again with ``reopen`` (default: the same project), validated (SHACL too unless
    ``shacl`` is False); the first data is served as it is, as without ``watch``.
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
        holder: list[Server] = []

        def make_pool(nquads: Path, prefixes: dict[str, str], base: str | None) -> WorkerPool:
            return WorkerPool(nquads, prefixes=prefixes, base=base, size=size, timeout=timeout,
                              max_rows=max_rows, max_bytes=max_bytes, memory_mib=memory_mib,
                              allow_service=allow_service,
                              on_failure=lambda message: holder[0].fail(message) if holder else None).start()

        pool = make_pool(data, prefixes, project.base)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    try:
        endpoint = Endpoint(pool=pool, named=named_queries(project.data_dir), prefixes=prefixes,
                            base=project.base, cors=cors, log=log, allowed_hosts=_host_names(host, allow_hosts),
                            explorer=explorer or explorer_page(built, project,
                                                               background=triples > EXPLORER_IN_BACKGROUND))
        _raise_file_limit()
        httpd = make_server(endpoint, host, port, max_connections=max_connections, request_timeout=request_timeout)
    except BaseException:
        pool.close()
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    server = Server(httpd, pool, scratch, endpoint, reopen=reopen or (lambda: project), make_pool=make_pool,
                    shacl=shacl, triples=triples)
    endpoint.status_extra = server.status
    holder.append(server)
    if watch:
        from kg.serve.watch import Watcher

        def directories() -> list[Path]:
            from kg.errors import KgError

            try:
                current = server.reopen() if server.reopen else project
            except (KgError, OSError, ValueError):  # kg.toml being edited: the rebuild will say what is wrong
                current = project
            return [current.data_dir, *current.sources_path]

        server.watcher = Watcher(directories, server.reload, interval=watch_interval).start()
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

"""``kg serve``: the SPARQL endpoint, the explorer and the query UI over HTTP."""

from __future__ import annotations

import math
import signal
import sys
from pathlib import Path

import click

from kg.cli.options import data_options, handle_errors
from kg.errors import UsageError
from kg.project import open_project
from kg.query.limits import DEFAULT_MEMORY_MIB
from kg.serve.app import MAX_CONNECTIONS, REQUEST_TIMEOUT
from kg.serve.server import DEFAULT_MAX_BYTES, is_loopback, open_server
from kg.serve.workers import MAX_TIMEOUT, MAX_WORKERS

__all__ = ["serve"]


def _stop(signum: int, frame: object) -> None:
    """SIGTERM stops the server as Ctrl-C does: workers stopped, scratch files removed."""
    raise KeyboardInterrupt


@click.command("serve")
@data_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Anything but a loopback address exposes the data to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free port).")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=MAX_TIMEOUT), default=30.0, show_default=True,
              help="Seconds a query may run; past it the worker running it is killed and the client gets 503.")
@click.option("--max-rows", type=click.IntRange(min=0), default=10_000, show_default=True,
              help="Largest result (rows or triples) sent; past it the client gets 413 (0: no cap).")
@click.option("--max-bytes", type=click.IntRange(min=0), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Largest result sent, in bytes; past it the client gets 413 (0: no cap).")
@click.option("--memory-limit", "memory_mib", type=click.IntRange(min=0), default=DEFAULT_MEMORY_MIB,
              show_default=True, help="MiB each worker may use beyond the data it holds; a query that needs "
                                      "more is stopped and the client gets 503 (0: no limit).")
@click.option("--workers", type=click.IntRange(min=1, max=MAX_WORKERS), default=None,
              help="Query worker processes, each holding the data (default: CPU count, at least 2).")
@click.option("--max-connections", type=click.IntRange(min=1, max=10_000), default=MAX_CONNECTIONS,
              show_default=True, help="Connections open at once; past it the one idle longest is closed.")
@click.option("--request-timeout", type=click.FloatRange(min=0.1, max=3600), default=REQUEST_TIMEOUT,
              show_default=True, help="Seconds a client has to send a whole request once it has begun.")
@click.option("--cors", is_flag=True, help="Allow cross-origin requests from any web page (off by default).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="A host name the server answers to (repeatable); its IP addresses and localhost always "
                   "are. Requests naming any other host are refused (DNS rebinding).")
@click.option("--allow-service", "allow_service", multiple=True, metavar="URL",
              help="A SPARQL endpoint queries may call with SERVICE <URL> (repeatable); by default SERVICE "
                   "is refused and the server contacts no other server.")
@click.option("--watch", is_flag=True,
              help="Rebuild when the data changes and swap it in (queries in flight finish on the old data); "
                   "data that fails validation is not loaded, and /status says why.")
@click.option("--no-shacl", is_flag=True, help="With --watch: validate rebuilt data without the SHACL shapes.")
@click.option("-q", "--quiet", is_flag=True, help="Do not log requests.")
@handle_errors
def serve(data: Path | None, sources: tuple[Path, ...], host: str, port: int, timeout: float, max_rows: int,
          max_bytes: int, memory_mib: int, workers: int | None, max_connections: int, request_timeout: float,
          cors: bool, allow_hosts: tuple[str, ...], allow_service: tuple[str, ...], watch: bool, no_shacl: bool,
          quiet: bool) -> None:
    """Serve the dataset: SPARQL endpoint at /sparql, explorer at /, query UI at /query.

    Read-only: SPARQL Update is refused (403). Saved questions are listed at /queries and run at
    /queries/NAME?param=value. Requests from other sites' pages (cross-site, or naming another
    host) are refused unless --cors / --allow-host say otherwise.
    """
    if math.isnan(timeout) or math.isnan(request_timeout):
        raise UsageError("--timeout and --request-timeout must be numbers of seconds")
    project = open_project(data, sources=sources)
    if not is_loopback(host):
        click.echo(f"warning: binding {host}: anyone who can reach this machine can query the data "
                   "(there is no authentication); use --host 127.0.0.1 to keep it local", err=True)
    try:
        server = open_server(project, host=host, port=port, workers=workers, timeout=timeout,
                             max_rows=max_rows or None, cors=cors, log=not quiet, max_bytes=max_bytes or None,
                             memory_mib=memory_mib or None, allow_service=allow_service, allow_hosts=allow_hosts,
                             max_connections=max_connections, request_timeout=request_timeout, watch=watch,
                             reopen=lambda: open_project(data, sources=sources), shacl=not no_shacl)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    signal.signal(signal.SIGTERM, _stop)
    click.echo(f"serving {project.name} at {server.url}/  (SPARQL endpoint {server.url}/sparql, "
               f"query UI {server.url}/query){'; watching the data for changes' if watch else ''}; Ctrl-C stops",
               err=True)
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()

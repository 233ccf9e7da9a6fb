"""The ``kg export`` and ``kg push`` commands: thin layers over :func:`kg.pipeline.run_export`
and :func:`kg.export.push.push_dataset`."""

from __future__ import annotations

import os
import signal
import sys
import threading
import warnings
from pathlib import Path

import click

from kg.cli.options import handle_errors
from kg.export.push import DEFAULT_CHUNK_SIZE, DEFAULT_STALE_AFTER
from kg.export.registry import EXPORTS
from kg.infer import REASONERS

__all__ = ["export", "push"]


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """A float option that is a number (click's FloatRange lets NaN through)."""
    if value != value:  # NaN
        raise click.BadParameter("not a number")
    return value


def _http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An http(s) URL whose host and port parse (a bad one is a usage error, not a traceback)."""
    if value is None:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"{value!r} is not an http(s) URL")
    return value


@click.command()
@click.option("--format", "fmt", required=True, type=click.Choice(list(EXPORTS)),
              help="Export format: " + ", ".join(EXPORTS) + ".")
@click.option("--data", "data", type=click.Path(path_type=Path), default=None,
              help="Dataset directory (default: the bundled dataset).")
@click.option("--sources", "sources", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory holding source texts (repeatable).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Output file, or directory for neo4j and csv (default: out/graph.FORMAT or out/FORMAT/).")
@click.option("--infer", "reasoner", is_flag=False, flag_value="rdfs", default=None,
              type=click.Choice(REASONERS), help="Add RDFS (default) or OWL-RL entailments first.")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (record checks still run).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def export(fmt: str, data: Path | None, sources: tuple[Path, ...], out: Path | None, reasoner: str | None,
           no_shacl: bool, quiet: bool) -> None:
    """Export the dataset for other tools: RDF, GraphML, GEXF, Neo4j, STIX 2.1 or CSV tables."""
    from kg.pipeline import run_export
    from kg.project import open_project

    @handle_errors
    def run() -> None:
        project = open_project(data, sources=sources)
        written = run_export(project, fmt, out, reasoner=reasoner, shacl=not no_shacl)
        if not quiet:
            click.echo(f"exported {project.name} as {fmt}:")
            for path in written:
                click.echo(f"  {path}")

    run()


@click.command()
@click.option("--to", "url", required=True, callback=_http_url, help="Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store.")
@click.option("--data", "data", type=click.Path(path_type=Path), default=None,
              help="Dataset directory (default: the bundled dataset).")
@click.option("--sources", "sources", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory holding source texts (repeatable).")
@click.option("--graph", "graph", default=None,
              help="Push only this graph of the dataset: a named graph's IRI, or 'default'.")
@click.option("--default-graph-iri", "default_iri", default=None,
              help="Store the dataset's default graph in this named graph instead of the store's default "
                   "graph (needed for stores whose default graph is the union of all, such as Virtuoso).")
@click.option("--replace/--merge", "replace", default=True,
              help="Replace each target graph (default) or add to what it holds.")
@click.option("--auth", "auth", type=click.Choice(["none", "basic", "digest"]), default=None,
              help="HTTP authentication (default: basic when credentials are set, else none). Credentials "
                   "come from KG_PUSH_USER and KG_PUSH_PASSWORD, or --credentials-file; never the command line.")
@click.option("--credentials-file", "cred_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File whose first line is USER:PASSWORD.")
@click.option("--query-url", "query_url", default=None, callback=_http_url,
              help="SPARQL query endpoint used to check the upload (default: derived from --to).")
@click.option("--update-url", "update_url", default=None, callback=_http_url,
              help="SPARQL update endpoint that switches the uploaded staging graphs in (default: derived "
                   "from --to: Oxigraph /update, Virtuoso /sparql-auth).")
@click.option("--stale-after", "stale_after", type=click.FloatRange(min=0, max=1e9), default=DEFAULT_STALE_AFTER,
              show_default=True, callback=_finite,
              help="Drop the staging graphs of the same targets left by pushes that started this many seconds "
                   "ago (killed ones); 0 drops them all.")
@click.option("--chunk-size", "chunk_size", type=click.IntRange(min=1), default=DEFAULT_CHUNK_SIZE,
              show_default=True,
              help="Triples per request.")
@click.option("--retries", type=click.IntRange(min=0, max=100), default=3, show_default=True,
              help="Retries of a request after a transient failure.")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=86_400), default=60.0, show_default=True,
              callback=_finite,
              help="Seconds each request may take, its whole answer included (a store that trickles is cut off).")
@click.option("--infer", "reasoner", is_flag=False, flag_value="rdfs", default=None,
              type=click.Choice(REASONERS), help="Add RDFS (default) or OWL-RL entailments first.")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (record checks still run).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def push(url: str, data: Path | None, sources: tuple[Path, ...], graph: str | None, default_iri: str | None,
         replace: bool, auth: str | None, cred_file: Path | None, query_url: str | None, update_url: str | None,
         stale_after: float, chunk_size: int, retries: int, timeout: float, reasoner: str | None, no_shacl: bool,
         quiet: bool) -> None:
    """Upload the dataset to a SPARQL 1.1 Graph Store, atomically (into staging graphs, then one
    update switches them in), and check the store holds what was sent."""
    from kg.export.push import InsecureAuthWarning, credentials_from, insecure_auth_warning
    from kg.pipeline import run_push
    from kg.project import open_project

    @handle_errors
    def run() -> None:
        project = open_project(data, sources=sources)
        creds = credentials_from(os.environ, cred_file)
        insecure = insecure_auth_warning(url, auth, creds)
        if insecure:
            click.echo(f"warning: {insecure}", err=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsecureAuthWarning)  # said above, once
            result = run_push(project, url, graph=graph, default_graph_iri=default_iri, replace=replace,
                              auth=auth, credentials=creds, query_url=query_url, update_url=update_url,
                              stale_after=stale_after, chunk_size=chunk_size, retries=retries, timeout=timeout,
                              reasoner=reasoner, shacl=not no_shacl, progress=False if quiet else None,
                              cancel=stop)
        if not quiet:
            if result.stale_dropped:
                click.echo(f"  dropped {len(result.stale_dropped)} staging graph(s) left by killed pushes")
            for g in result.graphs:
                click.echo(f"  {g.target}: sent {g.sent}, store holds {g.stored}")
            click.echo(f"pushed {result.sent} triples in {len(result.graphs)} graph(s) to {result.url} "
                       f"({result.requests} requests, {result.seconds:.1f} s)")

    # SIGTERM stops the push before the switch, cutting a request in flight, and drops its staging
    # graphs (exit 2); a second SIGTERM exits at once.
    stop = threading.Event()

    def on_sigterm(signum: int, frame: object) -> None:
        if stop.is_set():
            sys.exit(128 + signum)
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        run()
    finally:
        signal.signal(signal.SIGTERM, previous)
    sys.stdout.flush()

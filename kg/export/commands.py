"""The ``kg export`` and ``kg push`` commands: thin layers over :func:`kg.export.run_export`
and :func:`kg.export.push.push_dataset`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kg.cli_options import handle_errors
from kg.export.registry import EXPORTS
from kg.infer import REASONERS

__all__ = ["export", "push"]


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
    from kg.export import run_export
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
@click.option("--to", "url", required=True, help="Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store.")
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
@click.option("--query-url", "query_url", default=None,
              help="SPARQL query endpoint used to check the upload (default: derived from --to).")
@click.option("--chunk-size", "chunk_size", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Triples per request.")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="Retries of a request after a transient failure.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds to wait for each request.")
@click.option("--infer", "reasoner", is_flag=False, flag_value="rdfs", default=None,
              type=click.Choice(REASONERS), help="Add RDFS (default) or OWL-RL entailments first.")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (record checks still run).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def push(url: str, data: Path | None, sources: tuple[Path, ...], graph: str | None, default_iri: str | None,
         replace: bool, auth: str | None, cred_file: Path | None, query_url: str | None, chunk_size: int,
         retries: int, timeout: float, reasoner: str | None, no_shacl: bool, quiet: bool) -> None:
    """Upload the dataset to a SPARQL 1.1 Graph Store, then check the store holds what was sent."""
    from kg.export.push import credentials_from, run_push
    from kg.project import open_project

    @handle_errors
    def run() -> None:
        project = open_project(data, sources=sources)
        creds = credentials_from(os.environ, cred_file)
        result = run_push(project, url, graph=graph, default_graph_iri=default_iri, replace=replace,
                          auth=auth, credentials=creds, query_url=query_url, chunk_size=chunk_size,
                          retries=retries, timeout=timeout, reasoner=reasoner, shacl=not no_shacl,
                          progress=False if quiet else None)
        if not quiet:
            for g in result.graphs:
                click.echo(f"  {g.target}: sent {g.sent}, store holds {g.stored}")
            click.echo(f"pushed {result.sent} triples in {len(result.graphs)} graph(s) to {result.url} "
                       f"({result.requests} requests, {result.seconds:.1f} s)")

    run()
    sys.stdout.flush()

"""``kg query``: run SPARQL (inline, from a ``.rq`` file or a saved question) and print the result."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from kg.cli.options import data_options, handle_errors
from kg.errors import UsageError
from kg.project import open_project
from kg.query.engine import Engine
from kg.query.formats import RESULT_FORMATS
from kg.query.limits import DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT, run_limited
from kg.query.named import named_queries
from kg.query.runner import prepare

__all__ = ["query"]


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param {pair!r}: write it as NAME=VALUE (place=data:colombia)")
        params[name.strip()] = value
    return params


def _read_stdin() -> str:
    """The query from standard input, which must be UTF-8 (a byte-order mark is allowed)."""
    raw = click.get_binary_stream("stdin").read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"standard input is not UTF-8 text (byte {exc.start}); send the query as UTF-8") from None


def _listing(data_dir: Path) -> str:
    lines = []
    for name, nq in named_queries(data_dir).items():
        lines.append(f"{name}\n    {nq.description}")
        for p in nq.params:
            default = f" (default {p.default})" if p.default else " (optional)"
            lines.append(f"    --param {p.name}=<{p.type}>{default}  {p.description}")
    return "\n".join(lines) + "\n"


@click.command("query")
@click.argument("query_arg", metavar="QUERY", required=False)
@data_options
@click.option("--format", "fmt", type=click.Choice(list(RESULT_FORMATS)), default="table", show_default=True,
              help="Result format: SPARQL results (json, xml, csv, tsv) for SELECT/ASK, RDF (ttl, nt, "
                   "jsonld, rdf) for CONSTRUCT/DESCRIBE, or a text table for any.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a variable (repeatable): an IRI as data:x, <https://...>, a local id or an entity's "
                   "name; a value that names nothing in the data is an error. Values are bound, never pasted "
                   "into the query.")
@click.option("--list", "list_", is_flag=True, help="List the saved questions and their parameters.")
@click.option("--show", is_flag=True, help="Print the query text instead of running it.")
@click.option("--max-rows", type=click.IntRange(min=1), default=None, help="Fail when the result has more rows.")
@click.option("--width", type=click.IntRange(min=0), default=60, show_default=True,
              help="Truncate table cells to this many characters (0: never).")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the result to this file instead of standard output.")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=86_400), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds the query may run (loading the data not counted); past it, it is stopped.")
@click.option("--memory-limit", "memory_mib", type=click.IntRange(min=0), default=DEFAULT_MEMORY_MIB,
              show_default=True, help="MiB of memory the query may use beyond the loaded data (0: no limit).")
@click.option("--allow-service", "allow_service", multiple=True, metavar="URL",
              help="A SPARQL endpoint the query may call with SERVICE <URL> (repeatable); by default "
                   "SERVICE is refused and kg contacts no other server.")
@handle_errors
def query(query_arg: str | None, data: Path | None, sources: tuple[Path, ...], fmt: str,
          params: tuple[str, ...], list_: bool, show: bool, max_rows: int | None, width: int,
          out: Path | None, timeout: float, memory_mib: int, allow_service: tuple[str, ...]) -> None:
    """Run a SPARQL query over the dataset and print its result.

    QUERY is the name of a saved question (see --list), a .rq file, SPARQL text, or - to read the
    query from standard input. The query sees every graph at once (facts, provenance, ontology);
    the dataset's prefixes (kg:, rdfs:, data: ...) need no PREFIX line. The query runs in a
    process of its own, stopped past --timeout or --memory-limit.

    \b
    Examples:
      kg query --list
      kg query events-in-place --param place=data:mexico
      kg query 'SELECT ?a ?l WHERE { ?a a kg:Cartel ; rdfs:label ?l }' --format csv
    """
    project = open_project(data, sources=sources)
    if list_:
        click.echo(_listing(project.data_dir), nl=False)
        return
    if not query_arg:
        raise UsageError("give a query: a saved question's name (kg query --list), a .rq file, SPARQL text or -")
    text_or_name: str | Path = _read_stdin() if query_arg == "-" else query_arg
    if show:
        engine = Engine(None, prefixes=project.prefixes, base=project.base)  # type: ignore[arg-type]
        prepared = prepare(text_or_name, {}, engine, data_dir=project.data_dir)
        click.echo(prepared.text, nl=not prepared.text.endswith("\n"))
        return
    if timeout != timeout:  # NaN
        raise UsageError("--timeout must be a number of seconds")
    bound = _parse_params(params)
    # SIGTERM unwinds like an error would, so that the query's process is killed on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    body = run_limited(project.data_dir if data is not None else None, str(text_or_name), sources=sources,
                       params=bound, fmt=fmt, width=width, max_rows=max_rows, timeout=timeout,
                       memory_mib=memory_mib or None, allow_service=allow_service)
    if out is not None:
        from kg.output.files import write_atomic

        write_atomic(out, body)
    else:
        stream = click.get_binary_stream("stdout")
        stream.write(body)
        stream.flush()

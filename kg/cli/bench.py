"""``kg bench``: generate a dataset and time every stage against rdflib and pyoxigraph."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.cli.options import handle_errors

__all__ = ["bench"]


@click.command("bench")
@click.option("--size", "size", default="1M", show_default=True, metavar="10k|100k|1M|10M",
              help="About how many triples to generate (any number: 250k, 2M...).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the results as JSON to this file.")
@click.option("--stage", "stages", multiple=True, metavar="NAME",
              help="Run only these stages (repeatable; kg-build always runs).")
@click.option("--repeats", type=click.IntRange(min=1), default=None,
              help="Runs per stage, the median kept (default: 5 up to 20k triples, 3 up to 200k, then 1).")
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the generated data.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to put the generated data and outputs (default: the system's temp dir).")
@click.option("-q", "--quiet", is_flag=True, help="Print only the table.")
@handle_errors
def bench(size: str, json_path: Path | None, stages: tuple[str, ...], repeats: int | None, seed: int,
          workdir: Path | None, quiet: bool) -> None:
    """Benchmark kg on generated data: load, validate, build, every format, SPARQL, networkx,
    HTML, beside plain rdflib and pyoxigraph (ratios and peak memory per stage)."""
    from kg.bench.run import ORDER, format_table, run_bench
    from kg.output.files import write_atomic

    log = None if quiet else (lambda text: click.echo(text, err=True))
    report = run_bench(size, workdir=workdir, seed=seed, stages=stages or ORDER, repeats=repeats, log=log)
    click.echo(format_table(report), nl=False)
    if json_path:
        write_atomic(json_path, (json.dumps(report, indent=2) + "\n").encode("utf-8"))

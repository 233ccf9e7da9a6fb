"""``kg build``: load, validate, build and write every output."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.options import data_options, handle_errors
from kg.infer import REASONERS
from kg.output.rdf import FORMATS

__all__ = ["build"]


@click.command()
@data_options
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output directory (default: out/ in the repository).")
@click.option("--format", "formats", multiple=True, type=click.Choice(sorted(FORMATS)),
              help="RDF format to write (repeatable; default: all).")
@click.option("--infer", "reasoner", is_flag=False, flag_value="rdfs", default=None,
              type=click.Choice(REASONERS),
              help="Add RDFS (default) or OWL-RL entailments in their own graph.")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (record checks still run).")
@click.option("--no-html", is_flag=True,
              help="Skip the explorer page (graph.html; an earlier one is removed): the slowest output "
                   "on large datasets.")
@click.option("--no-cache", is_flag=True,
              help="Read every input file again, and keep no record cache in --out/.cache.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def build(data: Path | None, sources: tuple[Path, ...], out: Path | None, formats: tuple[str, ...],
          reasoner: str | None, no_shacl: bool, no_html: bool, no_cache: bool, quiet: bool) -> None:
    """Load, validate and build the dataset; write every output into --out."""
    from kg.locations import repo_dir
    from kg.pipeline import run_build
    from kg.project import open_project

    project = open_project(data, sources=sources)
    out_dir = out or repo_dir() / "out"
    result = run_build(project, out_dir, formats=formats or tuple(FORMATS), reasoner=reasoner,
                       shacl=not no_shacl, html=not no_html, cache=not no_cache,
                       progress=not quiet and sys.stderr.isatty())
    if not quiet:
        for issue in result.report.warnings:
            click.echo(issue.format(), err=True)
        s = result.summary
        click.echo(f"built {project.name}: {s['entities']} entities, {s['claims']} claims, "
                   f"{sum(s['triples'].values())} triples ({result.report.summary()})")
        for path in result.outputs:
            click.echo(f"  {path}")

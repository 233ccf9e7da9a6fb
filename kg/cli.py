"""The ``kg`` command: a thin layer over the Python API. Each command parses its options, calls
one API function, and turns :class:`~kg.errors.KgError` into a message and an exit code
(0 ok, 1 invalid data, 2 usage or load error)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg._paths import repo_dir
from kg.cli_options import data_options, handle_errors
from kg.errors import EXIT_INVALID
from kg.infer import REASONERS
from kg.pipeline import run_build, run_validate
from kg.project import open_project
from kg.serialize import FORMATS

__all__ = ["main"]


_data_options = data_options  # kept for command modules written against the old names
_handle_errors = handle_errors


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """kg: knowledge graphs from open-source reporting, with provenance on every link."""


@main.command()
@_data_options
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
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@_handle_errors
def build(data: Path | None, sources: tuple[Path, ...], out: Path | None, formats: tuple[str, ...],
          reasoner: str | None, no_shacl: bool, no_html: bool, quiet: bool) -> None:
    """Load, validate and build the dataset; write every output into --out."""
    project = open_project(data, sources=sources)
    out_dir = out or repo_dir() / "out"
    result = run_build(project, out_dir, formats=formats or tuple(FORMATS), reasoner=reasoner,
                       shacl=not no_shacl, html=not no_html, progress=not quiet and sys.stderr.isatty())
    if not quiet:
        for issue in result.report.warnings:
            click.echo(issue.format(), err=True)
        s = result.summary
        click.echo(f"built {project.name}: {s['entities']} entities, {s['claims']} claims, "
                   f"{sum(s['triples'].values())} triples ({result.report.summary()})")
        for path in result.outputs:
            click.echo(f"  {path}")


@main.command()
@_data_options
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes.")
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
@_handle_errors
def validate(data: Path | None, sources: tuple[Path, ...], no_shacl: bool, as_json: bool) -> None:
    """Check the dataset: record checks, quotes against source texts, SHACL shapes."""
    project = open_project(data, sources=sources)
    _, report = run_validate(project, shacl=not no_shacl)
    if as_json:
        click.echo(json.dumps({"ok": report.ok, "issues": [i.to_dict() for i in report.sorted()]}, indent=2))
    else:
        click.echo(report.format(), err=not report.ok)
    if not report.ok:
        sys.exit(EXIT_INVALID)


@main.command("ontology-doc")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the reference here instead of standard output.")
@_handle_errors
def ontology_doc(out: Path | None) -> None:
    """Print the ontology reference (Markdown): every class, property and concept."""
    from kg.docs import ontology_markdown
    from kg.serialize import write_atomic

    text = ontology_markdown()
    if out:
        write_atomic(out, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


# Commands that live in their own modules register here, one line each (keep sorted).
# --- command registry ---
from kg.analyze.cli import analyze as _analyze  # noqa: E402
from kg.bench.cli import bench as _bench  # noqa: E402
from kg.export.commands import export as _export  # noqa: E402
from kg.export.commands import push as _push  # noqa: E402
from kg.query.cli import query as _query  # noqa: E402
from kg.serve.cli import serve as _serve  # noqa: E402
from kg.viz.cli import view as _view  # noqa: E402

main.add_command(_analyze)
main.add_command(_bench)
main.add_command(_export)
main.add_command(_push)
main.add_command(_query)
main.add_command(_serve)
main.add_command(_view)
# --- end command registry ---

"""``kg validate``: run the checks alone and print every issue."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli.options import data_options, handle_errors
from kg.errors import EXIT_INVALID

__all__ = ["validate"]


@click.command()
@data_options
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes.")
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
@handle_errors
def validate(data: Path | None, sources: tuple[Path, ...], no_shacl: bool, as_json: bool) -> None:
    """Check the dataset: record checks, quotes against source texts, SHACL shapes."""
    from kg.pipeline import run_validate
    from kg.project import open_project

    project = open_project(data, sources=sources)
    _, report = run_validate(project, shacl=not no_shacl)
    if as_json:
        click.echo(json.dumps({"ok": report.ok, "issues": [i.to_dict() for i in report.sorted()]}, indent=2))
    else:
        click.echo(report.format(), err=not report.ok)
    if not report.ok:
        sys.exit(EXIT_INVALID)

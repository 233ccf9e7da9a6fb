"""``kg draft SOURCE``: candidate rows for review, never written into the tables."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from kg.cli.options import data_options, handle_errors

__all__ = ["draft"]


@click.command("draft")
@click.argument("source")
@data_options
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Drafts file to write (default: drafts/SOURCE.json in the dataset).")
@click.option("--replace", is_flag=True, help="Draft again even if the drafts file holds reviewed rows.")
@click.option("--spacy", "spacy_model", default=None, metavar="PIPELINE",
              help="Also take names from a spaCy pipeline you installed (e.g. en_core_web_sm); optional.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def draft(source: str, data: Path | None, sources: tuple[Path, ...], out: Path | None, replace: bool,
          spacy_model: str | None, quiet: bool) -> None:
    """Draft candidate rows from the text of SOURCE (a source id) into drafts/SOURCE.json:
    new entities, events with their places, times, casualties and who is blamed, each with its
    claimant, modality and a verbatim quote checked against the text. Review them with kg curate.
    """
    from kg.curate.draft import draft_source, write_draft
    from kg.project import open_project

    project = open_project(data, sources=sources)
    result = draft_source(project, source, spacy_model=spacy_model)
    path = write_draft(project, result, out, replace=replace)
    if quiet:
        return
    kinds = Counter(r.kind for r in result.rows if r.status == "pending")
    known = sum(1 for m in result.mentions if m.known and m.entity)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    click.echo(f"drafted {sum(kinds.values())} rows for {source!r} ({summary or 'none'}); "
               f"{len(result.sentences)} sentences, {known} mentions of known entities")
    already = sum(1 for r in result.rows if r.status == "in-tables")
    if already:
        click.echo(f"  {already} drafted statements are already in the tables")
    click.echo(f"wrote {project.display(path)}; review it with: kg curate {source} --data "
               f"{project.display(project.data_dir)}")

"""``kg add-source FILE``: register a source text in a dataset."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import data_options, handle_errors

__all__ = ["add_source"]

_KINDS = ("original", "syndicated-copy", "digest", "translation", "retelling", "official-statement",
          "social-media-post")


@click.command("add-source")
@click.argument("file", type=click.Path(path_type=Path))
@data_options
@click.option("--id", "source_id", default=None, help="The source's id (default: made from the file name).")
@click.option("--label", default=None, help="A title a person recognises (default: outlet and first words).")
@click.option("--type", "type_", default="kg:NewsReport", show_default=True,
              help="kg:NewsReport, kg:Source or kg:Dataset.")
@click.option("--outlet", default=None, metavar="NAME|ID",
              help="The outlet or publisher: an entity's id, label or alias; a new name becomes a "
                   "kg:MediaOrganization entity.")
@click.option("--new-outlet", is_flag=True, help="Add --outlet as a new entity even if a similar name exists.")
@click.option("--published", default=None, metavar="DATE",
              help="Publication date as precise as known: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--url", default=None, help="The address of the published item.")
@click.option("--language", default=None, help="BCP 47 tag of the text (en, es); guessed when not given.")
@click.option("--kind", default="original", show_default=True, type=click.Choice(_KINDS),
              help="What the source is.")
@click.option("--derived-from", "derived_from", multiple=True, metavar="ID",
              help="The source(s) a copy, digest, translation or retelling derives from (repeatable).")
@click.option("--note", default="", help="The curator's note on the source.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def add_source(file: Path, data: Path | None, sources: tuple[Path, ...], source_id: str | None,
               label: str | None, type_: str, outlet: str | None, new_outlet: bool, published: str | None,
               url: str | None, language: str | None, kind: str, derived_from: tuple[str, ...], note: str,
               quiet: bool) -> None:
    """Register FILE (a UTF-8 text) as a source: copy it into the dataset's sources/, record its
    SHA-256, and append its row to the sources table.

    \b
    Example:
      kg add-source meganoticias.txt --data my-data --outlet Meganoticias --published 2025-08-21 \\
          --url https://www.meganoticias.mx/... --language es
    """
    from kg.curate.add_source import add_source as add
    from kg.project import open_project

    project = open_project(data, sources=sources)
    added = add(project, file, source_id=source_id, label=label, type_=type_, outlet=outlet,
                new_outlet=new_outlet, published=published, url=url, language=language, kind=kind,
                derived_from=derived_from, note=note)
    if quiet:
        return
    click.echo(f"added the source {added.id!r} to {project.display(added.table)}; its text is "
               f"{project.display(added.text_path)} (sha256 {added.sha256[:12]}…)")
    if added.table_upgraded:
        click.echo(f"  {project.display(added.table)} now has the columns of first-class sources "
                   "(publisher -> outlet, publication_date -> published)")
    if added.outlet:
        table = added.outlet_table  # set when the outlet was created
        how = (f"a new kg:MediaOrganization in {project.display(table)}"
               if added.outlet_created and table is not None else "an existing entity")
        click.echo(f"  outlet: {added.outlet!r} ({how})")
    if added.language_guessed:
        click.echo(f"  language: {added.language or 'unknown'} (guessed; --language to set it)")
    click.echo(f"next: kg draft {added.id} --data {project.display(project.data_dir)}")

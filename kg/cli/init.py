"""``kg init DIR``: a new, empty dataset."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import handle_errors

__all__ = ["init"]


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The dataset's name, an id (default: the directory's name).")
@click.option("--title", default=None, help="A title a person recognises (default: the name).")
@click.option("--base", default=None, metavar="IRI",
              help="The IRI entity ids are local names under (default: https://w3id.org/osint-kg/data/NAME/).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def init(directory: Path, name: str | None, title: str | None, base: str | None, quiet: bool) -> None:
    """Make a new, empty dataset in DIRECTORY: kg.toml, the three tables with their headers, a
    curator source, sources/ for the texts and a README. It validates and builds as it is.

    \b
    Example:
      kg init my-data && kg add-source report.txt --data my-data
    """
    from kg.curate.init import init_dataset

    path = init_dataset(directory, name=name, title=title, base=base)
    if not quiet:
        click.echo(f"made the dataset {path}: kg.toml, sources.csv, entities.csv, statements.csv, sources/")
        click.echo(f"next: kg add-source FILE --data {path}")

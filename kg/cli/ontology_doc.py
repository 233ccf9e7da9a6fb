"""``kg ontology-doc``: the ontology reference as Markdown."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import handle_errors

__all__ = ["ontology_doc"]


@click.command("ontology-doc")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the reference here instead of standard output.")
@handle_errors
def ontology_doc(out: Path | None) -> None:
    """Print the ontology reference (Markdown): every class, property and concept."""
    from kg.ontology.reference import ontology_markdown
    from kg.output.files import write_atomic

    text = ontology_markdown()
    if out:
        write_atomic(out, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)

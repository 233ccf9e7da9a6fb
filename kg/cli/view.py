"""``kg view``: write the explorer page for a dataset, or for one entity's neighbourhood."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import data_options, handle_errors
from kg.infer import REASONERS

__all__ = ["view"]


@click.command("view")
@data_options
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write (default: out/graph.html in the repository).")
@click.option("--focus", "focus", default=None, metavar="ENTITY",
              help="Show only this entity's neighbourhood: an id, a label or an alias (\"CJNG\").")
@click.option("--hops", "hops", type=click.IntRange(min=0), default=None,
              help="How many links away from --focus to go (default 1).")
@click.option("--infer", "reasoner", is_flag=False, flag_value="rdfs", default=None,
              type=click.Choice(REASONERS), help="Also draw inferred links (RDFS by default).")
@click.option("--max-nodes", "max_nodes", type=click.IntRange(min=1), default=None,
              help="Draw at most this many nodes, the best connected first (default 50000).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def view(data: Path | None, sources: tuple[Path, ...], out: Path | None, focus: str | None,
         hops: int | None, reasoner: str | None, max_nodes: int | None, quiet: bool) -> None:
    """Write the interactive explorer: one offline HTML file (open it in any browser)."""
    from kg.locations import repo_dir
    from kg.pipeline import run_view
    from kg.project import open_project
    from kg.viz.data import DEFAULT_MAX_NODES

    project = open_project(data, sources=sources)
    if out is None:
        out = repo_dir() / "out" / "graph.html"
    path = run_view(project, out, focus=focus, hops=hops, reasoner=reasoner,
                      max_nodes=max_nodes or DEFAULT_MAX_NODES)
    if not quiet:
        click.echo(f"wrote {path}")

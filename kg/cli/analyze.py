"""``kg analyze``: a thin command over :func:`kg.pipeline.run_analyze`."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import handle_errors
from kg.ontology.terms import MODALITIES
from kg.paths import OPTIONAL_STEP_KINDS

__all__ = ["analyze"]


@click.command("analyze")
@click.option("--data", "data", type=click.Path(path_type=Path), default=None,
              help="Dataset directory (default: the bundled dataset).")
@click.option("--sources", "sources", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory holding source texts, searched before the dataset's sources_path (repeatable).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output directory (default: out/analysis in the repository).")
@click.option("--from", "source", default=None, help="Entity id or label: start of the shortest paths.")
@click.option("--to", "target", default=None, help="Entity id or label: end of the shortest paths.")
@click.option("--exclude-modality", "exclude", multiple=True, type=click.Choice(MODALITIES),
              help="Leave out claims of this modality, e.g. allegation, forecast (repeatable).")
@click.option("--events", type=click.Choice(["nodes", "edges"]), default="nodes", show_default=True,
              help="Keep events as nodes, or fold each into links between the entities it involves.")
@click.option("--no-claimants", is_flag=True, help="Do not link claimants to what their claims are about.")
@click.option("--through", "through", multiple=True, type=click.Choice(OPTIONAL_STEP_KINDS),
              help="Also keep this kind of node, so paths may pass through it (repeatable; by default "
                   "concepts such as kg:Drone, times and sources are left out).")
@click.option("--engine", type=click.Choice(["auto", "networkx", "igraph"]), default="auto", show_default=True,
              help="Engine for betweenness and eigenvector centrality (auto: igraph past 2000 nodes).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def analyze(data: Path | None, sources: tuple[Path, ...], out: Path | None, source: str | None,
            target: str | None, exclude: tuple[str, ...], events: str, no_claimants: bool,
            through: tuple[str, ...], engine: str, quiet: bool) -> None:
    """Network analysis: centrality, communities, paths, timelines, counts by place and type.

    Writes analysis.md, analysis.json and charts/*.png|svg into --out.
    """
    from kg.analyze.projection import DEFAULT_KINDS, ProjectionOptions
    from kg.locations import repo_dir
    from kg.pipeline import run_analyze
    from kg.project import open_project

    project = open_project(data, sources=sources)
    options = ProjectionOptions(kinds=DEFAULT_KINDS | frozenset(through), events=events, claimants=not no_claimants,
                                exclude_modalities=frozenset(exclude))
    result, written = run_analyze(project, out or repo_dir() / "out" / "analysis", source=source,
                                  target=target, options=options, engine=engine)
    if not quiet:
        d = result.G
        click.echo(f"analysed {project.name}: {d.number_of_nodes()} nodes, {d.number_of_edges()} edges, "
                   f"{len(result.communities.groups)} communities")
        if result.path_ends:
            ends = " and ".join(result.label(e) for e in result.path_ends)
            if result.paths:
                click.echo(f"  {len(result.paths)} shortest path(s) of {len(result.paths[0].hops)} hop(s) "
                           f"between {ends}")
            else:
                click.echo(f"  no path between {ends}")
        for path in written:
            click.echo(f"  {path}")

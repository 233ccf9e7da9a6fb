"""Network analysis: the graph as an analyst's workbench.

The same steps read the same in a notebook, a test and behind ``kg analyze``::

    import kg
    from kg.analyze import analyze, write_analysis
    project = kg.open_project()
    ds = kg.build(kg.load(project))
    result = analyze(ds, project.base, source="petro", target="emc")
    result.betweenness.values          # node IRI -> score
    result.figures()                   # everything, JSON-ready
    write_analysis(result, Path("out/analysis"))

Modules, one job each: :mod:`~kg.analyze.projection` (which nodes and edges the networkx graph
keeps: read its docstring first), :mod:`~kg.analyze.centrality`,
:mod:`~kg.analyze.communities`, :mod:`~kg.analyze.paths`, :mod:`~kg.analyze.events`
(timelines, counts by place and type), :mod:`~kg.analyze.charts`, :mod:`~kg.analyze.report`.
"""

from __future__ import annotations

from kg.analyze.analysis import Analysis, analyze
from kg.analyze.centrality import Scores, betweenness, degree, eigenvector
from kg.analyze.communities import Communities, communities
from kg.analyze.events import counts_by_place, counts_by_type, timelines
from kg.analyze.paths import resolve_entity, shortest_paths
from kg.analyze.projection import ProjectionOptions, project
from kg.analyze.report import analysis_markdown, write_analysis

__all__ = [
    "Analysis",
    "Communities",
    "ProjectionOptions",
    "Scores",
    "analysis_markdown",
    "analyze",
    "betweenness",
    "communities",
    "counts_by_place",
    "counts_by_type",
    "degree",
    "eigenvector",
    "project",
    "resolve_entity",
    "shortest_paths",
    "timelines",
    "write_analysis",
]

"""The interactive graph explorer: one self-contained, offline HTML file built with pyvis.

>>> import kg, kg.viz
>>> built = kg.build(kg.load(kg.open_project()))
>>> page = kg.viz.render_html(built)                                 # the whole graph, as text
>>> kg.viz.write_html(built, "cjng.html", focus="CJNG", hops=2)      # doctest: +SKIP
>>> kg.viz.show(built)                                               # inline in Jupyter  # doctest: +SKIP

The page draws the :func:`kg.property_graph.graph_view` of a dataset with vis-network (the global
``network``), with its own labels (by importance, never overlapping), and offers search by name
or alias, filters by kind, modality, source and time, selection that dims all but the
neighbourhood, an N-hop focus and expand/collapse, the shortest path between two entities with
its evidence (one meaning of "path": :mod:`kg.paths`), the evidence (source, verbatim quote,
claimant, modality, Admiralty grades) behind every link with the quote readable in its source
text, a timeline, a map of located places and events, PNG and SVG export, and the view's state
in the URL.
"""

from kg.viz.data import DEFAULT_MAX_NODES, event_times, explorer_data, find_entity, view_data
from kg.viz.html import Explorer, embed_json, notebook_html, render_data, render_html, render_view, show, write_html

__all__ = [
    "DEFAULT_MAX_NODES",
    "Explorer",
    "embed_json",
    "event_times",
    "explorer_data",
    "find_entity",
    "notebook_html",
    "render_data",
    "render_html",
    "render_view",
    "show",
    "view_data",
    "write_html",
]

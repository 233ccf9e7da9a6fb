"""The interactive graph explorer: one self-contained, offline HTML file built with pyvis.

>>> import kg, kg.viz
>>> built = kg.build(kg.load(kg.open_project()))
>>> page = kg.viz.render_html(built)                                 # the whole graph, as text
>>> kg.viz.write_html(built, "cjng.html", focus="CJNG", hops=2)      # doctest: +SKIP
>>> kg.viz.show(built)                                               # inline in Jupyter  # doctest: +SKIP

The page draws the :func:`kg.property_graph.graph_view` of a dataset with vis-network (the global
``network``), and offers search by name or alias, filters by kind, modality, source and time,
an N-hop focus, the shortest path between two entities with its evidence, a timeline, and the
evidence (source, verbatim quote, claimant, modality, Admiralty grades) behind every link.
"""

from kg.viz.data import DEFAULT_MAX_NODES, event_times, explorer_data, find_entity, view_data
from kg.viz.html import (Explorer, embed_json, notebook_html, render_data, render_html, render_view, show,
                         write_html)

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

"""Node positions computed once in Python, so the page draws at once with physics off and the
same data always gives the same picture (and the same file).

igraph's Fruchterman-Reingold layout (grid variant for big graphs) with a fixed seed: ~0.6 s at
10k nodes and ~3 s at 50k, where networkx's spring layout needs scipy and takes ~28 s at 10k.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

__all__ = ["EDGE_LENGTH", "SEED", "layout_positions"]

#: The seed of every layout.
SEED = 20240501
#: The median drawn length of a link, in pixels.
EDGE_LENGTH = 130.0
#: Above this many nodes the grid variant of the layout is used (much faster, a little coarser).
_GRID_FROM = 300
#: How strongly a link to a hub that is not a step (kg:Drone, a time, a source) pulls, and a link
#: between two communities, compared with a link inside one.
_HUB_PULL = 0.2
_BETWEEN_PULL = 0.4


def layout_positions(node_ids: Sequence[str], links: Sequence[tuple[str, str]],
                     kinds: Sequence[str] | None = None) -> dict[str, tuple[float, float]]:
    """Positions ``{node id: (x, y)}`` in pixels for an undirected reading of ``links``.

    ``kinds`` (one per node) lets hubs that are not steps of a path (equipment and tactic
    concepts, times, sources: :mod:`kg.paths`) pull weakly, so that "both used drones" does not
    draw every drone user into one knot, and groups of densely linked nodes (communities, found
    with igraph's multilevel method) pull apart from each other.

    Deterministic: a fixed seed, inputs taken in the order given (pass them sorted), and
    coordinates rounded to a tenth of a pixel.
    """
    import igraph

    from kg.paths import STEP_KINDS

    if not node_ids:
        return {}
    index = {node_id: i for i, node_id in enumerate(node_ids)}
    pairs = sorted({(min(index[a], index[b]), max(index[a], index[b]))
                    for a, b in links if a in index and b in index and a != b})
    graph = igraph.Graph(n=len(node_ids), edges=pairs, directed=False)
    rng = random.Random(SEED)
    igraph.set_random_number_generator(rng)
    try:
        weights = None
        if kinds is not None and len(node_ids) <= _GRID_FROM:
            hub = [kind not in STEP_KINDS for kind in kinds]
            community = graph.community_multilevel().membership
            weights = [_HUB_PULL if hub[a] or hub[b] else 1.0 if community[a] == community[b] else _BETWEEN_PULL
                       for a, b in pairs]
        layout = graph.layout_fruchterman_reingold(niter=500, grid=len(node_ids) > _GRID_FROM, weights=weights)
    finally:
        igraph.set_random_number_generator(random)
    coords = layout.coords
    lengths = sorted(((coords[a][0] - coords[b][0]) ** 2 + (coords[a][1] - coords[b][1]) ** 2) ** 0.5
                     for a, b in pairs)
    median = lengths[len(lengths) // 2] if lengths else 1.0
    scale = EDGE_LENGTH / median if median > 0 else 1.0
    cx = sum(c[0] for c in coords) / len(coords)
    cy = sum(c[1] for c in coords) / len(coords)
    return {node_id: (round((coords[i][0] - cx) * scale, 1), round((coords[i][1] - cy) * scale, 1))
            for node_id, i in index.items()}

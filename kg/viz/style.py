"""How the explorer draws things: a colour, a shape and a legend label for every node kind, and a
line style for every kind of link. Our constants, never data."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EDGE_STYLES", "KIND_STYLES", "KindStyle", "kind_style"]


@dataclass(frozen=True)
class KindStyle:
    """The look of one node kind (a vis.js shape whose label sits below it)."""

    label: str
    color: str
    shape: str


#: Node kinds (see :data:`kg.property_graph.KINDS`) in legend order: actors, then the rest.
KIND_STYLES: dict[str, KindStyle] = {
    "person": KindStyle("Person", "#f28e2b", "triangle"),
    "cartel": KindStyle("Cartel", "#d62728", "dot"),
    "criminal-group": KindStyle("Criminal group", "#ff7f7f", "dot"),
    "armed-group": KindStyle("Armed group", "#8c564b", "dot"),
    "military-unit": KindStyle("Military unit", "#2f4b7c", "dot"),
    "security-force": KindStyle("Security force", "#1f77b4", "dot"),
    "security-service": KindStyle("Security service", "#17becf", "dot"),
    "state-body": KindStyle("State body", "#6b8fb8", "dot"),
    "media": KindStyle("Media", "#bcbd22", "dot"),
    "consultancy": KindStyle("Consultancy", "#9467bd", "dot"),
    "organization": KindStyle("Organisation", "#7f7f7f", "dot"),
    "collective": KindStyle("Collective actor", "#e377c2", "dot"),
    "actor": KindStyle("Other actor", "#c49c94", "dot"),
    "event": KindStyle("Event", "#f1c232", "diamond"),
    "place": KindStyle("Place", "#59a14f", "square"),
    "time": KindStyle("Time", "#a5a5a5", "triangleDown"),
    "asset": KindStyle("Asset", "#76b7b2", "hexagon"),
    "equipment": KindStyle("Equipment", "#3f8f8a", "hexagon"),
    "tactic": KindStyle("Tactic", "#b07aa1", "hexagon"),
    "activity": KindStyle("Illicit activity", "#d37295", "hexagon"),
    "source": KindStyle("Source", "#4d4d4d", "star"),
    "other": KindStyle("Other", "#cccccc", "dot"),
}

#: Link styles, keyed by what the evidence says about the link. ``dashes`` is vis.js's option.
EDGE_STYLES: dict[str, dict] = {
    "reported-fact": {"label": "Reported fact (source's own voice)", "color": "#555555", "dashes": False},
    "attributed": {"label": "Attributed claim, assessment, allegation or forecast", "color": "#c0392b",
                   "dashes": [8, 5]},
    "claimant": {"label": "Claimant to what its claim is about (who says it, not a fact)", "color": "#8e44ad",
                 "dashes": [2, 3]},
    "inferred": {"label": "Inferred (reasoner), no claim behind it", "color": "#8e9fb3", "dashes": [2, 4]},
}


def kind_style(kind: str) -> KindStyle:
    """The style of a node kind (``other`` for a kind the palette does not know)."""
    return KIND_STYLES.get(kind, KIND_STYLES["other"])

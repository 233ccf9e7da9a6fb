"""Charts of an analysis, drawn with matplotlib's Agg renderer (no pyplot, no global backend).

Each chart is a function of the analysis's JSON-ready figures (``Analysis.figures()``), so the
chart and the JSON beside it show the same numbers. :func:`render` turns a figure into PNG or SVG
bytes that are the same every run: fixed sizes and DPI, no date or software version in the
metadata, and a fixed ``svg.hashsalt`` for the SVG element ids. Text from the data is escaped
for matplotlib (a ``$`` would otherwise start mathematical text).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = ["CHARTS", "FORMATS", "centrality_figure", "network_figure", "places_figure", "render",
           "timeline_figure", "types_figure"]

FORMATS = ("png", "svg")
_RC: dict[RcKeyType, Any] = {"svg.hashsalt": "kg-analyze", "svg.fonttype": "path", "font.family": "DejaVu Sans",
                              "font.size": 9, "axes.titlesize": 10, "path.simplify": True}
_DPI = 100
_BAR = "#4c72b0"
_KILLED = "#c44e52"


def _text(value: str, width: int = 45) -> str:
    """Data text made safe for matplotlib: no mathtext, one line, at most ``width`` characters."""
    text = " ".join(str(value).split()).replace("$", r"\$")
    return text if len(text) <= width else text[: width - 1] + "…"


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
        FigureCanvasAgg(fig)
    return fig


def render(fig: Figure, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes, identical for identical figures."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; choose from {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format=fmt, dpi=_DPI, metadata=metadata)
    return buffer.getvalue()


def _hbar(ax, labels: list[str], values: list[float], title: str, color: str = _BAR) -> None:
    y = list(range(len(labels)))
    ax.barh(y, values, color=color)
    ax.set_yticks(y, [_text(label, 32) for label in labels])
    ax.invert_yaxis()
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)


def centrality_figure(figures: dict) -> Figure:
    """Top actors by degree, betweenness and eigenvector centrality, side by side."""
    with matplotlib.rc_context(_RC):
        fig = _figure(13, 4.8)
        axes = fig.subplots(1, 3)
        for ax, name in zip(axes, ("degree", "betweenness", "eigenvector"), strict=True):
            rows = figures["centrality"][name]["top_actors"]
            _hbar(ax, [r["label"] for r in rows], [r["score"] for r in rows], f"{name} centrality (top actors)")
        fig.suptitle(_text(f"Centrality: {figures['centrality']['betweenness']['method']} betweenness", 90))
    return fig


def places_figure(figures: dict) -> Figure:
    """Events and killed by place (places walked through kg:locatedIn)."""
    rows = [r for r in figures["counts_by_place"] if r["event_count"]][:20]
    with matplotlib.rc_context(_RC):
        fig = _figure(11, max(3.0, 0.32 * len(rows) + 1.2))
        left, right = fig.subplots(1, 2, sharey=True)
        labels = [r["label"] for r in rows]
        _hbar(left, labels, [r["event_count"] for r in rows], "events (incl. places within)")
        _hbar(right, labels, [r["killed"] for r in rows], "killed (no death counted twice)", _KILLED)
        for i, r in enumerate(rows):
            if r["killed"]:
                right.annotate(("≥" if r["killed_at_least"] else "") + str(r["killed"]), (r["killed"], i),
                               xytext=(3, 0), textcoords="offset points", va="center")
    return fig


def types_figure(figures: dict) -> Figure:
    """Events and killed by event type."""
    rows = figures["counts_by_type"]
    with matplotlib.rc_context(_RC):
        fig = _figure(11, max(3.0, 0.32 * len(rows) + 1.2))
        left, right = fig.subplots(1, 2, sharey=True)
        labels = [r["label"] for r in rows]
        _hbar(left, labels, [r["event_count"] for r in rows], "events by type")
        _hbar(right, labels, [r["killed"] for r in rows], "killed by type", _KILLED)
    return fig


def timeline_figure(figures: dict, max_actors: int = 25) -> Figure:
    """Actors (rows) against time columns: a marker per event, sized by its count there."""
    timeline = figures["timeline"]
    columns = timeline["columns"]
    actors = timeline["actors"][:max_actors]
    with matplotlib.rc_context(_RC):
        fig = _figure(12, max(3.0, 0.3 * len(actors) + 1.8))
        ax = fig.subplots()
        for row, actor in enumerate(actors):
            per_column: dict[int, int] = {}
            for entry in actor["events"]:
                col = columns.index(entry["time"])
                per_column[col] = per_column.get(col, 0) + 1
            cols = sorted(per_column)
            ax.scatter(cols, [row] * len(cols), s=[40 * per_column[c] for c in cols], color=_BAR, zorder=3)
            for c in cols:
                if per_column[c] > 1:
                    ax.annotate(str(per_column[c]), (c, row), xytext=(6, 3), textcoords="offset points")
        ax.set_yticks(range(len(actors)), [_text(a["label"], 40) for a in actors])
        ax.set_xticks(range(len(columns)), [_text(c, 22) for c in columns], rotation=30, ha="right")
        ax.set_xlim(-0.5, max(len(columns), 1) - 0.5)
        ax.set_ylim(max(len(actors), 1) - 0.5, -0.5)
        ax.grid(alpha=0.3)
        ax.set_title("Events per actor by time (columns: years, then relative times coarsest first; not a chronology)")
    return fig


def network_figure(figures: dict, max_labels: int = 20) -> Figure:
    """The projection drawn with a seeded spring layout, coloured by community; the most central
    nodes labelled."""
    net = figures["network"]
    with matplotlib.rc_context(_RC):
        fig = _figure(11, 9)
        ax = fig.subplots()
        pos = {n["id"]: (n["x"], n["y"]) for n in net["nodes"]}
        for u, v in net["edges"]:
            ax.plot([pos[u][0], pos[v][0]], [pos[u][1], pos[v][1]], color="#999999", lw=0.6, zorder=1)
        cmap = matplotlib.colormaps["tab20"]
        xs = [n["x"] for n in net["nodes"]]
        ys = [n["y"] for n in net["nodes"]]
        colors = [cmap(n["community"] % 20) if n["community"] >= 0 else "#cccccc" for n in net["nodes"]]
        sizes = [30 + 400 * n["betweenness"] for n in net["nodes"]]
        ax.scatter(xs, ys, s=sizes, c=colors, zorder=2, edgecolors="white", linewidths=0.5)
        ranked = sorted(net["nodes"], key=lambda n: (-n["betweenness"], n["label"], n["id"]))[:max_labels]
        for n in ranked:
            ax.annotate(_text(n["label"], 30), (n["x"], n["y"]), xytext=(4, 4), textcoords="offset points",
                        fontsize=7)
        ax.set_axis_off()
        ax.set_title("The projection, coloured by community, sized by betweenness")
    return fig


#: Chart name (file stem) -> drawing function.
CHARTS: dict[str, Callable[[dict], Figure]] = {
    "centrality": centrality_figure,
    "network": network_figure,
    "places": places_figure,
    "timeline": timeline_figure,
    "types": types_figure,
}

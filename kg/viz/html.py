"""The explorer page: one self-contained HTML file (see :mod:`kg.viz`).

Our own Jinja2 template with autoescape: pyvis's template pulls Bootstrap from a CDN, and its
"local" mode writes ``lib/`` into the working directory. vis-network's script and style come from
the copy bundled in the pyvis package and are inlined, as are our own script and style, so the
page makes no request at all (its Content-Security-Policy forbids every fetch, too). The data is
embedded as JSON in a ``<script type="application/json">`` element, with ``<``, ``>``, ``&`` and
U+2028/U+2029 written as ``\\uXXXX`` escapes so no string from the data can end the element.
"""

from __future__ import annotations

import html as html_lib
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from kg.build import Built
from kg.output.files import write_atomic
from kg.property_graph import GraphView
from kg.viz.data import DEFAULT_MAX_NODES, explorer_data, view_data

__all__ = [
    "Explorer",
    "VIS_VERSION",
    "embed_json",
    "notebook_html",
    "render_data",
    "render_html",
    "render_view",
    "show",
    "write_html",
]

#: The vis-network build bundled in pyvis that the page inlines.
VIS_VERSION = "9.1.2"
_ASSETS = Path(__file__).resolve().parent / "assets"


def embed_json(value: object) -> Markup:
    """``value`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&``, U+2028
    and U+2029 are escaped, so ``</script>`` or ``<!--`` in the data cannot end or alter it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)


def _inline(text: str, element: str, name: str) -> Markup:
    """A script or style to inline, refused if it could end its own element early."""
    if f"</{element}" in text.lower() or "<!--" in text:
        raise ValueError(f"{name} contains '</{element}' or '<!--' and cannot be inlined")
    return Markup(text)


@lru_cache(maxsize=1)
def _static() -> dict[str, Markup]:
    import pyvis

    vis_dir = Path(pyvis.__file__).resolve().parent / "lib" / f"vis-{VIS_VERSION}"
    return {
        "vis_js": _inline((vis_dir / "vis-network.min.js").read_text(encoding="utf-8"), "script",
                          "vis-network.min.js"),
        "vis_css": _inline((vis_dir / "vis-network.css").read_text(encoding="utf-8"), "style", "vis-network.css"),
        "app_js": _inline((_ASSETS / "explorer.js").read_text(encoding="utf-8"), "script", "explorer.js"),
        "app_css": _inline((_ASSETS / "explorer.css").read_text(encoding="utf-8"), "style", "explorer.css"),
    }


@lru_cache(maxsize=1)
def _world() -> tuple[Markup, str]:
    """The map's country outlines (``assets/world.json``, built by ``js/build.mjs`` from Natural
    Earth) as embeddable JSON, and the sentence that says where they come from."""
    world = json.loads((_ASSETS / "world.json").read_text(encoding="utf-8"))
    return embed_json(world), world["source"]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("kg.viz", "templates"), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=True)


def render_html(built: Built, *, focus: str | None = None, hops: int | None = None,
                title: str = "", max_nodes: int = DEFAULT_MAX_NODES, sources_path: Sequence[Path] = (),
                query_url: str = "") -> str:
    """The explorer page for a built dataset, as text.

    ``focus`` (an entity's id, IRI, label or alias) and ``hops`` limit the page to that entity's
    neighbourhood; ``max_nodes`` caps the page at the best-connected nodes (the page says so).
    The texts of the sources found on ``sources_path`` (a project's ``sources_path``) travel in
    the page, so every quote opens in its context; ``query_url`` links to a query page.
    The same dataset and arguments always give the same text.

    Raises :class:`kg.errors.UsageError` for an unknown or ambiguous focus or bad numbers.
    """
    return render_data(explorer_data(built, focus=focus, hops=hops, title=title, max_nodes=max_nodes,
                                     sources_path=sources_path, query_url=query_url))


def render_view(view: GraphView, *, times: dict[str, dict] | None = None, focus: str | None = None,
                hops: int | None = None, title: str = "", max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """The explorer page for a :class:`kg.property_graph.GraphView` (no dataset needed: benchmarks and
    other graph sources); ``times`` as :func:`kg.viz.data.event_times` gives them."""
    return render_data(view_data(view, times=times, focus=focus, hops=hops, title=title, max_nodes=max_nodes))


def render_data(data: dict) -> str:
    """The page for explorer data (:func:`kg.viz.data.view_data`)."""
    title = data["title"]
    template = _environment().get_template("explorer.html.j2")
    world_json, world_source = _world()
    located = any("coords" in n for n in data["nodes"])  # the outlines travel only when needed
    return template.render(
        world_json=world_json if located else "",
        world_source=world_source,
        title=title or "Knowledge graph explorer",
        data_json=embed_json(data),
        node_count=len(data["nodes"]),
        edge_count=len(data["edges"]),
        total_nodes=data["totalNodes"],
        capped=data["capped"],
        focus_label=next((n["label"] for n in data["nodes"] if n["id"] == data["focus"]), ""),
        hops=data["hops"],
        vis_version=VIS_VERSION,
        **_static(),
    )


def write_html(built: Built, path: Path | str, **kwargs: Any) -> Path:
    """Write :func:`render_html` to ``path`` atomically, as UTF-8. Returns the path."""
    path = Path(path)
    write_atomic(path, render_html(built, **kwargs).encode("utf-8"))
    return path


def notebook_html(page: str, *, height: int = 860) -> str:
    """An ``<iframe srcdoc>`` that shows ``page`` inline (in Jupyter, or any HTML page): the page
    runs in its own sandboxed document, exactly as when opened from disk."""
    return (f'<iframe srcdoc="{html_lib.escape(page, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
            f'title="Knowledge graph explorer"></iframe>')


class Explorer:
    """The explorer page as an object that Jupyter displays inline (``_repr_html_``).

    >>> Explorer("<!doctype html><p>hi</p>")._repr_html_()[:15]
    '<iframe srcdoc='
    """

    def __init__(self, page: str, *, height: int = 860) -> None:
        self.html = page
        self.height = height

    def _repr_html_(self) -> str:
        return notebook_html(self.html, height=self.height)

    def save(self, path: Path | str) -> Path:
        """Write the page to ``path`` (atomically, UTF-8)."""
        path = Path(path)
        write_atomic(path, self.html.encode("utf-8"))
        return path


def show(built: Built, *, height: int = 860, **kwargs: Any) -> Explorer:
    """The explorer for a notebook cell: ``kg.viz.show(built, focus="cjng", hops=2)``."""
    return Explorer(render_html(built, **kwargs), height=height)

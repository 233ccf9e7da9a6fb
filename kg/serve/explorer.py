"""The page at ``/``: the graph explorer.

The explorer itself is drawn by :func:`kg.viz.render_html`. :func:`explorer_page` is the one
place that asks it for the HTML; when it fails, a small page links to the query UI and the saved
questions instead. To serve other HTML, pass any
``Callable[[], bytes]`` as ``explorer`` to :func:`kg.serve.serve`.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable

from kg.build import Built
from kg.project import Project

__all__ = ["drawing_page", "explorer_page", "placeholder_page"]


def placeholder_page(title: str) -> bytes:
    """A plain page pointing at the query UI, the saved questions and the endpoint."""
    safe = html.escape(title or "kg")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{safe}</title>
<link rel="stylesheet" href="/static/query.css"></head>
<body><main class="placeholder">
<h1>{safe}</h1>
<p>The graph explorer is not available in this build.</p>
<ul>
<li><a href="/query">Query UI</a>: SPARQL, with the saved questions one click away</li>
<li><a href="/queries">Saved questions</a> (JSON)</li>
<li>SPARQL endpoint: <code>/sparql</code> (SPARQL 1.1 Protocol, read-only)</li>
</ul>
</main></body></html>
""".encode()


def drawing_page(title: str) -> bytes:
    """The page at ``/`` while the explorer is being drawn: it reloads itself every few seconds,
    and links to what already works."""
    page = placeholder_page(title).decode("utf-8")
    page = page.replace("<head>", '<head><meta http-equiv="refresh" content="5">', 1)
    page = page.replace("The graph explorer is not available in this build.",
                        "The graph explorer is being drawn; this page reloads itself until it is ready. "
                        "The endpoint and the query UI already answer.", 1)
    return page.encode("utf-8")


def _draw(built: Built | Callable[[], Built], project: Project) -> bytes:
    try:
        from kg.viz import render_html

        out = render_html(built() if callable(built) else built, title=project.title or project.name,
                          sources_path=project.sources_path, query_url="/query")
        return out.encode("utf-8") if isinstance(out, str) else bytes(out)
    except Exception as exc:  # noqa: BLE001 - the endpoint must start even when the explorer cannot
        import sys

        sys.stderr.write(f"warning: the explorer could not be drawn ({type(exc).__name__}: {exc}); "
                         "serving a placeholder at /\n")
        return placeholder_page(project.title or project.name)


def explorer_page(built: Built | Callable[[], Built], project: Project, *,
                  background: bool = False) -> Callable[[], bytes]:
    """A function returning the explorer's HTML for ``built`` (or what a function returns), drawn
    once (kg.viz when present).

    With ``background``, the page is drawn in a thread (on a large dataset drawing takes a minute), and
    until it is ready ``/`` serves :func:`drawing_page`; the endpoint answers meanwhile.
    """
    if not background:
        page = _draw(built, project)
        return lambda: page
    drawn: list[bytes] = []
    waiting = drawing_page(project.title or project.name)

    def run() -> None:
        drawn.append(_draw(built, project))

    threading.Thread(target=run, name="kg-serve-explorer", daemon=True).start()
    return lambda: drawn[0] if drawn else waiting

"""The page at ``/``: the graph explorer.

The explorer itself is drawn by :func:`kg.viz.render_html`. :func:`explorer_page` is the one
place that asks it for the HTML; when it fails, a small page links to the query UI and the saved
questions instead. To serve other HTML, pass any
``Callable[[], bytes]`` as ``explorer`` to :func:`kg.serve.serve`.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from rdflib import Dataset

from kg.project import Project

__all__ = ["explorer_page", "placeholder_page"]


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
""".encode("utf-8")


def explorer_page(ds: Dataset, project: Project) -> Callable[[], bytes]:
    """A function returning the explorer's HTML, rendered once (kg.viz when present)."""
    page: bytes | None = None
    try:
        from kg.viz import render_html

        out = render_html(ds, project.base)
        page = out.encode("utf-8") if isinstance(out, str) else bytes(out)
    except Exception as exc:  # noqa: BLE001 - the endpoint must start even when the explorer cannot
        import sys

        sys.stderr.write(f"warning: the explorer could not be drawn ({type(exc).__name__}: {exc}); "
                         "serving a placeholder at /\n")
        page = None
    if page is None:
        page = placeholder_page(project.title or project.name)
    return lambda: page

"""Explorer benchmark: generation time, file size and time until the page is usable in headless
Chromium, for synthetic graphs of 1k, 10k and 50k nodes (not a test; numbers go in the README).

    python -m kg.bench.viz                 # 1000 10000 50000
    python -m kg.bench.viz 2000 --runs 3   # other sizes

"Usable" is the time from navigation until vis-network has drawn the graph once (the page's
``data-kg-drawn`` marker), with every non-file request blocked. A redraw (what every pan or zoom
costs) and one filter change are timed too.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from kg.property_graph import Edge, Evidence, GraphView, Node

__all__ = ["measure", "synthetic_view"]

_KINDS = ["cartel", "armed-group", "person", "person", "place", "event", "event", "security-force", "equipment"]
_MODALITIES = ["reported-fact", "reported-fact", "reported-fact", "assessment", "allegation", "forecast"]


def synthetic_view(n: int, *, seed: int = 7, links_per_node: float = 1.5) -> tuple[GraphView, dict[str, dict]]:
    """A graph view of ``n`` nodes and about ``links_per_node * n`` links, each with one claim,
    and the time records of its events (a third dated, a third relative, a third undated)."""
    rng = random.Random(seed)
    base = "https://example.org/bench/"
    nodes = {}
    for i in range(n):
        iri = f"{base}n{i:06d}"
        kind = _KINDS[rng.randrange(len(_KINDS))]
        nodes[iri] = Node(iri=iri, id=f"n{i:06d}", label=f"{kind} {i}", kind=kind, classes=[f"kg:{kind}"],
                          class_labels=[kind], aliases=[f"alias {i}"] if i % 5 == 0 else [])
    iris = list(nodes)
    edges: dict[tuple[str, str, str], Edge] = {}
    # A preferential-attachment-like shape: hubs, like real actor networks.
    for i in range(1, n):
        for _ in range(int(links_per_node) + (1 if rng.random() < links_per_node % 1 else 0)):
            j = int(rng.random() ** 2 * i)
            key = (iris[i], "kg:linkedTo", iris[j])
            if key in edges:
                continue
            ev = Evidence(claim=f"{base}claim/{len(edges)}", source=f"{base}src{len(edges) % 50}",
                          source_label=f"Source {len(edges) % 50}",
                          quote="a verbatim quote from the source that supports this link, as reported",
                          modality=_MODALITIES[rng.randrange(len(_MODALITIES))], reliability="C", credibility="3")
            edges[key] = Edge(iris[i], iris[j], "kg:linkedTo", "linked to", [ev])
    times = {}
    for k, (iri, node) in enumerate(nodes.items()):
        if node.kind != "event":
            continue
        if k % 3 == 0:
            y = 2015 + k % 10
            times[iri] = {"text": str(y), "shown": str(y), "precision": "year", "status": "absolute",
                          "start": f"{y}-01-01", "end": f"{y}-12-31", "anchor": ""}
        elif k % 3 == 1:
            times[iri] = {"text": "last week", "shown": "last week (relative to the news report)",
                          "precision": "week", "status": "relative", "start": "", "end": "",
                          "anchor": "the news report"}
    return GraphView(nodes, [edges[k] for k in sorted(edges)]), times


def measure(n: int, *, browser=None, directory: Path) -> dict:
    """Generate the page for ``n`` nodes and, given a Playwright browser, time it there."""
    from kg.viz.html import render_view

    view, times = synthetic_view(n)
    start = time.perf_counter()
    page_text = render_view(view, times=times, title=f"bench {n}")
    generated = time.perf_counter() - start
    path = directory / f"bench-{n}.html"
    path.write_text(page_text, encoding="utf-8")
    result: dict[str, Any] = {"nodes": n, "edges": len(view.edges), "generate_s": round(generated, 2),
              "size_mb": round(path.stat().st_size / 1e6, 1)}
    if browser is None:
        return result
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_selector("body[data-kg-drawn=true]", state="attached", timeout=600_000)
    result["usable_s"] = round(time.perf_counter() - start, 2)
    result["phases_ms"] = page.evaluate("""() => Object.fromEntries(performance.getEntriesByType('mark')
        .filter(m => m.name.startsWith('kg:')).map(m => [m.name.slice(3), Math.round(m.startTime)]))""")
    result["redraw_ms"] = page.evaluate("""() => { const t = performance.now(); network.renderer._redraw();
        return Math.round(performance.now() - t); }""")
    start = time.perf_counter()
    page.uncheck('#kg-kinds input[data-key="event"]')
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    result["filter_s"] = round(time.perf_counter() - start, 2)
    result["errors"] = errors
    context.close()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000, 50_000])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--no-browser", action="store_true", help="Only generate the pages.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.no_browser:
            for n in args.sizes:
                print(measure(n, directory=Path(tmp)), flush=True)
            return
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                "--disable-component-update", "--disable-sync"])
            for n in args.sizes:
                print(measure(n, browser=browser, directory=Path(tmp)), flush=True)
            browser.close()


if __name__ == "__main__":
    main()

"""The explorer page in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Every page is opened from disk with every request that is not a file blocked and recorded, and
console errors, page errors and dialogs collected: an offline page makes no request, and an XSS
probe that runs fires a dialog. Chromium missing is a failure in CI (CI=true), a skip with the
reason elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest

import kg
import kg.viz
from kg.property_graph import graph_view
from kg.viz.data import select

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
XSS = Path(__file__).resolve().parent / "fixtures" / "xss"
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
               "--disable-component-update", "--disable-sync"]
HELICOPTER_QUOTE = "describing the strike as the work of EMC"


def _unavailable(reason: str) -> None:
    message = (f"{reason}: the explorer tests need Playwright (pip) and Debian's chromium at {CHROMIUM} "
               "(make test installs both when run as root)")
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable("chromium is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@dataclass
class Opened:
    """A page and what it did: requests that left the file, console errors, dialogs."""

    page: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)


@pytest.fixture
def open_page(browser):
    contexts = []

    def opener(path: Path | None = None, *, html: str | None = None, wait: bool = True) -> Opened:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)

        def route(r):
            if r.request.url.startswith(("file:", "about:", "data:")):
                r.continue_()
            else:
                opened.blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))

        def on_dialog(dialog):
            opened.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        if html is not None:
            page.set_content(html)
        else:
            page.goto(path.resolve().as_uri())
        if wait:
            page.wait_for_selector("body[data-kg-ready=true]", state="attached", timeout=20_000)
        return opened

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def pages(tmp_path_factory, bundled_project, bundled_dataset):
    """The bundled dataset's explorer, a focus view, and the XSS probe, written to disk once."""
    out = tmp_path_factory.mktemp("explorer")
    xss = kg.open_project(XSS)
    xss_ds = kg.build(kg.load(xss))
    return {
        "full": kg.viz.write_html(bundled_dataset, out / "graph.html",
                                  title=bundled_project.title),
        "focus": kg.viz.write_html(bundled_dataset, out / "cjng.html", focus="CJNG", hops=2),
        "xss": kg.viz.write_html(xss_ds, out / "xss.html", title=xss.title),
        "xss_ds": xss_ds,
        "xss_base": xss.base,
    }


@pytest.fixture(scope="session")
def view(bundled_project, bundled_dataset):
    return graph_view(bundled_dataset)


def _click_node(opened: Opened, node_id: str) -> None:
    """Centre the camera on a node and click it with the mouse."""
    opened.js("id => network.focus(id, {scale: 1.6, animation: false})", node_id)
    point = opened.js("id => network.canvasToDOM(network.getPosition(id))", node_id)
    box = opened.page.locator("#mynetwork").bounding_box()
    opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def _click_edge(opened: Opened, edge_id: str) -> None:
    """Zoom onto a link and click it with the mouse at a point where it is not under a node."""
    point = opened.js("""id => {
        const edge = network.body.edges[id].edgeType;
        network.moveTo({position: edge.getPoint(0.5), scale: 2.2, animation: false});
        for (const t of [0.5, 0.42, 0.58, 0.35, 0.65, 0.28, 0.72]) {
            const p = network.canvasToDOM(edge.getPoint(t));
            if (network.getNodeAt(p) === undefined && network.getEdgeAt(p) === id) return p;
        }
        return null;
    }""", edge_id)
    assert point is not None, f"no free point on link {edge_id}"
    box = opened.page.locator("#mynetwork").bounding_box()
    opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def _helicopter_edge(opened: Opened) -> str:
    return opened.js("""() => kgData.edges.find(e => e.from === 'medellin-helicopter-downing'
                         && e.to === 'emc' && e.predicate === 'kg:perpetrator').id""")


def test_page_is_offline_error_free_and_draws_the_whole_view(open_page, pages, view):
    opened = open_page(pages["full"])
    counts = opened.js("""() => ({nodes: nodes.length, edges: edges.length,
        drawnNodes: network.body.nodeIndices.length, drawnEdges: network.body.edgeIndices.length,
        canvases: document.querySelectorAll('#mynetwork canvas').length,
        physics: network.physics.physicsEnabled})""")
    assert counts == {"nodes": len(view.nodes), "edges": len(view.edges), "drawnNodes": len(view.nodes),
                      "drawnEdges": len(view.edges), "canvases": 1, "physics": False}
    # The drawn ids are the view's.
    ids = opened.js("() => nodes.getIds().sort()")
    assert ids == sorted(n.id for n in view.nodes.values())
    # Labels are the names; links carry their relation.
    assert opened.js("() => nodes.get('cjng').label") == "CJNG"
    helicopter = _helicopter_edge(opened)
    assert opened.js("id => edges.get(id).label", helicopter) == "perpetrator"
    assert opened.js("id => edges.get(id).dashes", helicopter)  # an allegation: dashed
    opened.page.wait_for_timeout(200)
    assert opened.blocked == []
    assert opened.errors == []
    assert opened.dialogs == []
    # The page says how many it shows, and the legend lists the kinds present.
    assert f"Showing {len(view.nodes)} of {len(view.nodes)} nodes" in opened.page.inner_text("#kg-status")
    legend = opened.page.inner_text("#kg-kinds")
    for kind in ("Cartel", "Person", "Event", "Place", "Equipment", "Source"):
        assert kind in legend


def test_clicking_a_node_shows_its_type_aliases_properties_and_links(open_page, pages):
    opened = open_page(pages["full"])
    _click_node(opened, "cjng")
    assert opened.js("() => network.getSelectedNodes()") == ["cjng"]
    text = opened.page.inner_text("#kg-details")
    assert "CJNG" in text
    assert "Cartel" in text
    assert "Jalisco New Generation Cartel" in text  # an alias
    assert "Links (" in text
    # An event shows its properties and its time, relative as the source gives it.
    _click_node(opened, "medellin-helicopter-downing")
    text = opened.page.inner_text("#kg-details")
    assert "killed" in text and "12" in text
    assert "last week (relative to the news report)" in text
    assert opened.errors == [] and opened.dialogs == []


def test_clicking_an_edge_shows_its_evidence(open_page, pages):
    opened = open_page(pages["full"])
    helicopter = _helicopter_edge(opened)
    _click_edge(opened, helicopter)
    assert opened.js("() => network.getSelectedEdges()") == [helicopter]
    assert opened.page.get_attribute("#kg-details", "data-showing") == f"edge:{helicopter}"
    text = opened.page.inner_text("#kg-details")
    assert HELICOPTER_QUOTE in text
    assert "Gustavo Petro" in text  # the claimant
    assert "Allegation" in text  # the modality
    assert "C: fairly reliable" in text and "3: possibly true" in text  # Admiralty grades
    assert "News report: Mexican and Colombian cartels" in text  # the source
    assert opened.errors == [] and opened.dialogs == []


def test_search_finds_an_entity_by_an_alias(open_page, pages):
    opened = open_page(pages["full"])
    opened.page.fill("#kg-search", "Jalisco")
    hit = opened.page.locator('#kg-search-results button[data-id="cjng"]')
    assert hit.count() == 1
    assert "Jalisco New Generation Cartel" in hit.inner_text()
    hit.click()
    assert opened.js("() => network.getSelectedNodes()") == ["cjng"]
    assert "Jalisco New Generation Cartel" in opened.page.inner_text("#kg-details")
    # Accents do not matter: "medellin" finds Medellín.
    opened.page.fill("#kg-search", "medellin")
    assert opened.page.locator('#kg-search-results button[data-id="medellin"]').count() == 1


def test_kind_filter_hides_exactly_that_kind_and_its_links(open_page, pages, view):
    opened = open_page(pages["full"])
    events = {n.id for n in view.nodes.values() if n.kind == "event"}
    event_links = [e for e in view.edges
                   if view.nodes[e.source].kind == "event" or view.nodes[e.target].kind == "event"]
    assert events and event_links
    opened.page.uncheck('#kg-kinds input[data-key="event"]')
    hidden = set(opened.js("() => nodes.get({filter: n => n.hidden}).map(n => n.id)"))
    assert hidden == events
    drawn = opened.js("() => [network.body.nodeIndices.length, network.body.edgeIndices.length]")
    assert drawn == [len(view.nodes) - len(events), len(view.edges) - len(event_links)]
    # The timeline hides them too; ticking the box brings everything back.
    assert opened.page.locator('#kg-timeline [data-id="medellin-helicopter-downing"]').is_hidden()
    opened.page.check('#kg-kinds input[data-key="event"]')
    assert opened.js("() => network.body.nodeIndices.length") == len(view.nodes)


def test_modality_and_time_filters(open_page, pages, view):
    opened = open_page(pages["full"])
    helicopter = _helicopter_edge(opened)
    opened.page.uncheck('#kg-modalities input[data-key="allegation"]')
    assert opened.js("id => edges.get(id).hidden", helicopter)
    opened.page.check('#kg-modalities input[data-key="allegation"]')
    assert not opened.js("id => edges.get(id).hidden", helicopter)
    # "2024" (known to the year) may fall in 2024-06..2024-07 but is not certainly in it.
    opened.page.fill("#kg-time-from", "2024-06")
    opened.page.fill("#kg-time-to", "2024-07")
    assert not opened.js("() => nodes.get('colombia-drone-attacks-2024').hidden")
    opened.page.select_option("#kg-time-mode", "within")
    assert opened.js("() => nodes.get('colombia-drone-attacks-2024').hidden")
    opened.page.fill("#kg-time-from", "2025")
    opened.page.fill("#kg-time-to", "")
    opened.page.select_option("#kg-time-mode", "overlaps")
    assert opened.js("() => nodes.get('colombia-drone-attacks-2024').hidden")
    # Relative and undated events are kept (and said to be so) until their boxes are unticked.
    assert not opened.js("() => nodes.get('medellin-helicopter-downing').hidden")
    assert not opened.js("() => nodes.get('cjng-drone-strikes').hidden")
    opened.page.uncheck("#kg-time-relative")
    assert opened.js("() => nodes.get('medellin-helicopter-downing').hidden")
    opened.page.uncheck("#kg-time-undated")
    assert opened.js("() => nodes.get('cjng-drone-strikes').hidden")
    assert not opened.js("() => nodes.get('cjng').hidden")  # the filter is about events only
    timeline = opened.page.inner_text("#kg-timeline")
    assert "Relative dates" in timeline and "Undated" in timeline
    assert opened.errors == []


def test_timeline_shows_relative_dates_as_relative(open_page, pages):
    opened = open_page(pages["full"])
    row = opened.page.locator('#kg-timeline tr[data-id="medellin-helicopter-downing"]')
    assert "last week (relative to the news report)" in row.inner_text()
    assert "2024" in opened.page.locator('#kg-timeline tr[data-id="colombia-drone-attacks-2024"]').inner_text()
    assert opened.page.locator('#kg-timeline li[data-id="cjng-drone-strikes"]').count() == 1  # undated


def test_focus_shows_the_n_hop_neighbourhood(open_page, pages, view):
    opened = open_page(pages["full"])
    expected = {view.nodes[iri].id for iri in select(view, focus="cjng", hops=2).nodes}
    opened.js("() => kgExplorer.focusOn('cjng', 2)")
    assert set(opened.js("() => kgExplorer.visibleNodes()")) == expected
    opened.js("() => kgExplorer.clearFocus()")
    assert len(opened.js("() => kgExplorer.visibleNodes()")) == len(view.nodes)
    # kg view --focus: the page holds only the neighbourhood.
    focused = open_page(pages["focus"])
    assert set(focused.js("() => nodes.getIds()")) == expected
    assert "2-hop neighbourhood of CJNG" in focused.page.inner_text("#kg-summary")
    assert focused.errors == []


def test_shortest_path_is_highlighted_with_its_evidence(open_page, pages, view):
    opened = open_page(pages["full"])
    G = nx.Graph()
    G.add_nodes_from(n.id for n in view.nodes.values())
    G.add_edges_from((view.nodes[e.source].id, view.nodes[e.target].id) for e in view.edges)
    # Claimants are not linked to what they claim: Petro has no path to CJNG, and the page says so.
    assert not nx.has_path(G, "petro", "cjng")
    assert opened.js("() => kgExplorer.findPath('Gustavo Petro', 'Jalisco')") is None
    assert "No path" in opened.page.inner_text("#kg-details")
    path = opened.js("() => kgExplorer.findPath('EMC', 'Jalisco')")
    assert path["nodes"][0] == "emc" and path["nodes"][-1] == "cjng"
    assert len(path["edges"]) == nx.shortest_path_length(G, "emc", "cjng")
    assert opened.js("id => edges.get(id).width", path["edges"][0]) == 5
    assert opened.js("id => network.body.edges[id].options.width", path["edges"][0]) == 5
    opened.page.click("#kg-path-clear")  # back to the normal look
    assert opened.js("id => network.body.edges[id].options.width", path["edges"][0]) == 1.2
    colour = opened.js("""id => kgData.edgeStyles.find(
        s => s.key === kgData.edges.find(e => e.id === id).style).color""", path["edges"][0])
    assert opened.js("id => network.body.edges[id].options.color.color", path["edges"][0]) == colour
    opened.js("() => kgExplorer.findPath('EMC', 'Jalisco')")
    text = opened.page.inner_text("#kg-details")
    assert "Shortest path" in text
    for edge_id in path["edges"]:  # every step's evidence is shown
        quotes = opened.js("id => kgData.edges.find(e => e.id === id).evidence.map(i => kgData.evidence[i].quote)",
                           edge_id)
        for quote in quotes:
            assert quote.split("\n")[0][:40] in text


def test_xss_probes_render_as_text_and_never_run(open_page, pages):
    opened = open_page(pages["xss"])
    probes = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "href"]
    labels = opened.js("() => nodes.get().map(n => n.label)")
    for probe in probes:
        assert probe in labels
    # Show every node and every link, search for the probes, and hover every node.
    for node_id in opened.js("() => nodes.getIds()"):
        opened.js("id => kgExplorer.selectNode(id, true)", node_id)
        text = opened.page.inner_text("#kg-details")
        label = opened.js("id => nodes.get(id).label", node_id)
        assert label in text
    for edge_id in opened.js("() => edges.getIds()"):
        opened.js("id => kgExplorer.selectEdge(id, true)", edge_id)
    opened.js("() => kgExplorer.selectEdge(kgData.edges.find(e => e.predicate === 'kg:perpetrator').id, true)")
    details = opened.page.inner_text("#kg-details")
    assert "</script><script>alert('edge quote')</script>" in details
    assert "<img src=x onerror=alert('note')>" in details
    _click_node(opened, "img")
    opened.page.mouse.move(5, 5)
    opened.page.fill("#kg-search", "<script")
    assert "<script>alert('alias')</script>" in opened.page.inner_text("#kg-search-results")
    opened.page.fill("#kg-search", "img")
    opened.js("() => kgExplorer.findPath('href', 'img')")
    timeline = opened.page.inner_text("#kg-timeline")
    assert "last week <img src=x onerror=alert('when')> (relative to the news report)" in timeline
    assert "<img src=x onerror=alert('title')>" in opened.page.inner_text("#kg-header")
    assert opened.page.title().startswith("XSS probe <img")
    opened.page.wait_for_timeout(300)
    assert opened.dialogs == []
    assert opened.errors == []
    assert opened.blocked == []
    # No element came from the data: no <img>, <svg>, <b> or extra <script> in the document.
    assert opened.js("() => document.querySelectorAll('img, svg, b, a, iframe').length") == 0
    assert opened.js("() => document.scripts.length") == 3  # vis-network, the data, ours


def test_page_shows_inline_in_a_notebook_iframe(open_page, pages):
    cell = kg.viz.Explorer(pages["full"].read_text(encoding="utf-8"))._repr_html_()
    assert cell.startswith("<iframe srcdoc=")
    opened = open_page(html=f"<!DOCTYPE html><html><body>{cell}</body></html>", wait=False)
    frame = opened.page.frames[1]
    frame.wait_for_selector("body[data-kg-ready=true]", state="attached", timeout=20_000)
    assert frame.evaluate("() => nodes.length") > 100
    assert frame.evaluate("() => typeof network.getSelectedNodes") == "function"
    assert opened.blocked == [] and opened.errors == [] and opened.dialogs == []


def test_screenshot_is_saved(open_page, pages):
    opened = open_page(pages["full"])
    helicopter = _helicopter_edge(opened)
    opened.js("id => kgExplorer.selectEdge(id, false)", helicopter)
    opened.js("() => network.fit({animation: false})")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "explorer.png"
    opened.page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 20_000
    assert re.search(HELICOPTER_QUOTE, opened.page.inner_text("#kg-details"))

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
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest

import kg
import kg.viz
from kg.paths import PathRule, path_links
from kg.property_graph import graph_view
from kg.viz.data import select

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
XSS = Path(__file__).resolve().parent / "fixtures" / "xss"
BODY = Path(__file__).resolve().parent / "fixtures" / "body"
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


@pytest.fixture(scope="module")  # one Playwright at a time: other modules start their own
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
                                  title=bundled_project.title, sources_path=bundled_project.sources_path),
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
    links = len(path_links(view, PathRule(claimants=True, inferred=True)))  # with the claimants' links
    assert counts == {"nodes": len(view.nodes), "edges": links, "drawnNodes": len(view.nodes),
                      "drawnEdges": links, "canvases": 1, "physics": False}
    # The drawn ids are the view's.
    ids = opened.js("() => nodes.getIds().sort()")
    assert ids == sorted(n.id for n in view.nodes.values())
    # Labels are the names (drawn by the page); links carry their relation.
    assert "CJNG" in [label["text"] for label in opened.js("() => kgExplorer.labels()")]
    helicopter = _helicopter_edge(opened)
    # The perpetrator is disputed (EMC, the 36th Front, the Gulf Clan ...): the link says so.
    assert opened.js("id => edges.get(id).label", helicopter) == "perpetrator \u26a0"
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
    _click_node(opened, "colombia-attacks-last-week")
    text = opened.page.inner_text("#kg-details")
    assert "killed" in text and "at least 18" in text
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
    links = path_links(view, PathRule(claimants=True, inferred=True))
    event_links = [e for e in links
                   if view.nodes[e.source].kind == "event" or view.nodes[e.target].kind == "event"]
    assert events and event_links
    opened.page.uncheck('#kg-kinds input[data-key="event"]')
    hidden = set(opened.js("() => nodes.get({filter: n => n.hidden}).map(n => n.id)"))
    assert hidden == events
    drawn = opened.js("() => [network.body.nodeIndices.length, network.body.edgeIndices.length]")
    assert drawn == [len(view.nodes) - len(events), len(links) - len(event_links)]
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
    assert "Relative, not placed in time" in timeline and "Undated" in timeline
    assert opened.errors == []


def test_timeline_shows_relative_dates_as_relative(open_page, pages):
    opened = open_page(pages["full"])
    row = opened.page.locator('#kg-timeline tr[data-id="colombia-attacks-last-week"]')
    assert "last week (relative to the news report)" in row.inner_text()
    assert "Not placed: the publication date of the news report is unknown." in row.inner_text()
    dated = opened.page.locator('#kg-timeline .kg-gantt .kg-grow[data-id="colombia-drone-attacks-2024"]')
    assert "2024" in dated.inner_text() and dated.locator(".kg-bar.kg-dated").count() == 1
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
    opened.page.fill("#kg-path-from", "EMC")
    opened.page.fill("#kg-path-to", "Jalisco")
    opened.page.click("#kg-path-find")
    path = opened.js("() => kgExplorer.findPath('EMC', 'Jalisco')")
    assert path["nodes"][0] == "emc" and path["nodes"][-1] == "cjng"
    assert "drone" not in path["nodes"]  # "both used drones" is not a tie (kg.paths)
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
    # Two nodes no visible link joins: the page says so, and a name that is no node is said to be one.
    opened.page.uncheck('#kg-modalities input[data-key="__claimants"]')
    opened.page.uncheck('#kg-kinds input[data-key="event"]')
    assert opened.js("() => kgExplorer.findPath('Gustavo Petro', 'Jalisco')") is None
    assert "No path" in opened.page.inner_text("#kg-details")
    opened.page.fill("#kg-path-from", "Nobody at all")
    opened.page.click("#kg-path-find")
    assert "No node is called \u201cNobody at all\u201d" in opened.page.inner_text("#kg-path-error")
    assert opened.errors == []


def test_xss_probes_render_as_text_and_never_run(open_page, pages):
    opened = open_page(pages["xss"])
    probes = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "href"]
    labels = opened.js("() => kgData.nodes.map(n => n.label)")
    for probe in probes:
        assert probe in labels
    drawn = [label["text"] for label in opened.js("() => kgExplorer.labels()")]
    assert any(text.startswith("<img src=x onerror=") for text in drawn)  # drawn on the canvas as text
    # Show every node and every link, search for the probes, and hover every node.
    for node_id in opened.js("() => nodes.getIds()"):
        opened.js("id => kgExplorer.selectNode(id, true)", node_id)
        text = opened.page.inner_text("#kg-details")
        label = opened.js("id => kgData.nodes.find(n => n.id === id).label", node_id)
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


# ---- the chart as an analyst's chart (issue 16) -----------------------------------------------

def _screenshot(opened: Opened, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    opened.page.screenshot(path=str(target))
    assert target.stat().st_size > 20_000
    return target


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_first_view_labels_are_legible_and_never_overlap(open_page, pages):
    opened = open_page(pages["full"])
    opened.page.wait_for_timeout(200)
    labels = opened.js("() => kgExplorer.labels()")
    texts = [label["text"] for label in labels]
    assert len(labels) >= 40, texts  # most of the 124 nodes are named at the first zoom
    for important in ("CJNG", "EMC", "Colombia", "Mexico", "Ukraine", "Drone"):
        assert important in texts
    assert all(label["size"] >= 12 for label in labels)  # 13 px whatever the zoom
    box = opened.page.locator("#mynetwork").bounding_box()
    for i, a in enumerate(labels):
        assert a["left"] >= 0 and a["right"] <= box["width"] and a["top"] >= 0 and a["bottom"] <= box["height"]
        for b in labels[i + 1:]:
            assert not _overlap(a, b), (a, b)
    # Sentence-long event names are shortened on the chart; the whole name is in the panel.
    short = next(label for label in labels if label["text"].endswith("\u2026"))
    opened.js("id => kgExplorer.selectNode(id, false)", short["id"])
    full = opened.js("id => kgData.nodes.find(n => n.id === id).label", short["id"])
    assert full in opened.page.inner_text("#kg-details")
    opened.js("() => kgExplorer.unselect()")
    _screenshot(opened, "explorer-first-view.png")


def test_selection_highlights_the_neighbourhood_and_dims_the_rest(open_page, pages, view):
    opened = open_page(pages["full"])
    _click_node(opened, "emc")
    neighbours = set(opened.js("""() => { const keep = new Set(['emc']);
        kgData.edges.forEach(e => { if (e.from === 'emc' || e.to === 'emc') { keep.add(e.from); keep.add(e.to); } });
        return Array.from(keep); }"""))
    dimmed = set(opened.js("() => kgExplorer.dimmedNodes()"))
    assert dimmed == {n.id for n in view.nodes.values()} - neighbours
    assert opened.js("() => network.body.nodes['cjng'].options.opacity") < 0.5
    assert opened.js("() => network.body.nodes['emc'].options.opacity") in (None, 1)
    # The neighbours' labels come first, the dimmed ones are drawn only where there is room.
    texts = [label["text"] for label in opened.js("() => kgExplorer.labels()")]
    assert "EMC" in texts
    _screenshot(opened, "explorer-selection.png")
    # A click on the empty canvas clears the selection and the dimming.
    box = opened.page.locator("#mynetwork").bounding_box()
    spot = opened.js("""() => { for (let x = 5; x < 600; x += 7) for (let y = 5; y < 400; y += 7)
        if (network.getNodeAt({x, y}) === undefined && network.getEdgeAt({x, y}) === undefined) return {x, y}; }""")
    opened.page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    assert opened.js("() => kgExplorer.dimmedNodes()") == []
    assert opened.errors == []


def test_start_from_one_entity_and_grow_the_chart(open_page, pages, view):
    opened = open_page(pages["full"])
    opened.js("() => kgExplorer.selectNode('cjng', true)")
    opened.page.click("#kg-details button.kg-start")
    assert opened.js("() => kgExplorer.visibleNodes()") == ["cjng"]
    # Double-click expands (the chart re-fits to what is visible) ...
    point = opened.js("() => network.canvasToDOM(network.getPosition('cjng'))")
    box = opened.page.locator("#mynetwork").bounding_box()
    opened.page.mouse.dblclick(box["x"] + point["x"], box["y"] + point["y"])
    links = path_links(view, PathRule(claimants=True, inferred=True))
    cjng = next(iri for iri, n in view.nodes.items() if n.id == "cjng")
    one_hop = {view.nodes[x.target].id for x in links if x.source == cjng} | \
        {view.nodes[x.source].id for x in links if x.target == cjng} | {"cjng"}
    assert set(opened.js("() => kgExplorer.visibleNodes()")) == one_hop
    for node_id in one_hop:  # re-fitted: every visible node is in the window
        p = opened.js("id => network.canvasToDOM(network.getPosition(id))", node_id)
        assert 0 <= p["x"] <= box["width"] and 0 <= p["y"] <= box["height"]
    # ... an event's Expand button adds its own links ...
    kinds = {n.id: n.kind for n in view.nodes.values()}
    event = sorted(n for n in one_hop if kinds[n] == "event")[0]
    opened.js("id => kgExplorer.selectNode(id, false)", event)
    before = len(opened.js("() => kgExplorer.visibleNodes()"))
    opened.page.click("#kg-details button.kg-expand")
    grown = set(opened.js("() => kgExplorer.visibleNodes()"))
    assert len(grown) > before
    # ... and Collapse takes back what hangs off it alone.
    opened.page.click("#kg-details button.kg-collapse")
    assert len(opened.js("() => kgExplorer.visibleNodes()")) < len(grown)
    assert "cjng" in opened.js("() => kgExplorer.visibleNodes()")
    opened.page.click("#kg-focus-clear")
    assert len(opened.js("() => kgExplorer.visibleNodes()")) == len(view.nodes)
    assert opened.errors == []


def test_a_filter_refits_and_relayout_rearranges_what_is_visible(open_page, pages):
    opened = open_page(pages["full"])
    before = opened.js("() => network.getScale()")
    opened.js("() => kgExplorer.focusOn('emc', 1)")
    assert opened.js("() => network.getScale()") > before  # fitted to the few nodes left
    old = opened.js("() => network.getPositions(kgExplorer.visibleNodes())")
    opened.page.click("#kg-relayout")
    opened.page.wait_for_selector("body[data-kg-laid-out]", state="attached", timeout=20_000)
    new = opened.js("() => network.getPositions(kgExplorer.visibleNodes())")
    assert set(new) == set(old) and any(abs(new[k]["x"] - old[k]["x"]) > 5 for k in new)
    assert opened.js("() => network.physics.physicsEnabled") is False  # frozen again
    assert "pos=" in opened.js("() => location.hash")  # the layout is part of the link
    assert opened.errors == []


def test_paths_are_the_same_in_the_explorer_kg_paths_kg_analyze_and_kg_view(open_page, pages, view,
                                                                             bundled_project, bundled_dataset):
    from kg.analyze import ProjectionOptions, project, shortest_paths
    from kg.paths import STEP_KINDS, shortest_path

    opened = open_page(pages["full"])
    links = path_links(view, PathRule(claimants=True, inferred=True))
    ids = {iri: n.id for iri, n in view.nodes.items()}
    pairs = [(a, b) for a in view.nodes for b in view.nodes if a < b]
    expected = {}
    for a, b in pairs:
        found = shortest_path(view, links, a, b)
        expected[(ids[a], ids[b])] = [ids[n] for n in found.nodes] if found else None
    got = opened.js("""pairs => pairs.map(([a, b]) => { const p = kgExplorer.shortestPath(a, b);
                                                       return p ? p.nodes : null; })""",
                    [[ids[a], ids[b]] for a, b in pairs])
    assert dict(zip(expected, got, strict=True)) == expected
    # kg analyze: the projection's first path is the same one, between any two of its nodes.
    G = project(view, ProjectionOptions())
    compared = 0
    for a, b in pairs:
        if view.nodes[a].kind in STEP_KINDS and view.nodes[b].kind in STEP_KINDS:
            paths = shortest_paths(G, a, b, limit=1)
            assert ([ids[n] for n in paths[0].nodes] if paths else None) == expected[(ids[a], ids[b])]
            compared += 1
    assert compared > 3000
    # kg view --focus A --hops N: the neighbourhood holds the whole path to B.
    for (a, _b), nodes in list(expected.items())[::97]:
        if nodes:
            kept = {view.nodes[i].id for i in select(view, focus=a, hops=len(nodes) - 1).nodes}
            assert set(nodes) <= kept
    # The cases: CJNG -> EMC not through the Drone concept; Petro -> EMC through his claim.
    assert "drone" not in expected[("cjng", "emc")]
    assert expected[("emc", "petro")] == ["emc", "medellin-helicopter-downing", "petro"]
    # Asking to pass through concepts is an option, and the page and kg.paths agree on it too.
    opened.page.check('#kg-path-through input[data-key="equipment"]')
    rule = PathRule(through=frozenset({"equipment", "tactic", "activity"}), claimants=True, inferred=True)
    for a, b in pairs[::41]:
        found = shortest_path(view, links, a, b, rule)
        assert opened.js("([a, b]) => { const p = kgExplorer.shortestPath(a, b); return p ? p.nodes : null; }",
                         [ids[a], ids[b]]) == ([ids[n] for n in found.nodes] if found else None)


def test_a_quote_opens_highlighted_in_its_source_text(open_page, pages):
    opened = open_page(pages["full"])
    helicopter = _helicopter_edge(opened)
    _click_edge(opened, helicopter)
    # The evidence card (the same quote also sits, folded, under the disputed perpetrator's versions).
    card = opened.page.locator("#kg-details .kg-evidence:visible", has_text=HELICOPTER_QUOTE).first
    card.locator("button.kg-in-source").click()
    assert opened.page.locator("#kg-source-view").is_visible()
    mark = opened.page.locator("#kg-source-text mark")
    assert HELICOPTER_QUOTE in " ".join(mark.inner_text().split())
    text = opened.page.inner_text("#kg-source-text")
    assert "Medellín" in text and len(text) > 3000  # the whole report, not just the quote
    # The highlighted quote is scrolled into view.
    inside = opened.js("""() => { const box = document.getElementById('kg-source-text').getBoundingClientRect();
        const m = document.querySelector('#kg-source-text mark').getBoundingClientRect();
        return m.top >= box.top && m.bottom <= box.bottom; }""")
    assert inside
    _screenshot(opened, "explorer-source-text.png")
    opened.page.keyboard.press("Escape")
    assert not opened.page.locator("#kg-source-view").is_visible()
    assert opened.errors == [] and opened.blocked == []


@pytest.fixture(scope="session")
def located_page(tmp_path_factory):
    """The mini dataset with coordinates for Springfield (test data, not curated data)."""
    import shutil

    directory = tmp_path_factory.mktemp("located") / "data"
    shutil.copytree(REPO / "tests" / "fixtures" / "mini", directory)
    with open(directory / "statements.csv", "a", encoding="utf-8") as handle:
        handle.write("springfield,kg:latitude,39.8,rep,in Springfield,,,F,3,,\n"
                     "springfield,kg:longitude,-89.6,rep,in Springfield,,,F,3,,\n")
    project = kg.open_project(directory)
    return kg.viz.write_html(kg.build(kg.load(project)), directory / "graph.html",
                             title="Located", sources_path=project.sources_path)


def test_the_map_places_located_nodes_and_follows_the_chart(open_page, located_page, pages):
    opened = open_page(located_page)
    opened.page.click("#kg-tab-map")
    assert opened.page.locator("#kg-map-svg").is_visible()
    assert opened.page.locator("#kg-map-svg .kg-land path").count() > 200  # the outlines, offline
    marks = opened.page.locator("#kg-map-svg .kg-mark")
    assert sorted(marks.evaluate_all("ms => ms.map(m => m.getAttribute('data-id'))")) == ["attack", "springfield"]
    # Map -> chart: a click on a mark selects the node.
    opened.page.locator('#kg-map-svg .kg-mark[data-id="springfield"] rect').click()
    assert opened.js("() => network.getSelectedNodes()") == ["springfield"]
    assert "selected" in opened.page.get_attribute('#kg-map-svg .kg-mark[data-id="springfield"]', "class")
    # Chart -> map: selecting and filtering on the chart show on the map.
    _click_node(opened, "attack")
    assert "selected" in opened.page.get_attribute('#kg-map-svg .kg-mark[data-id="attack"]', "class")
    opened.page.uncheck('#kg-kinds input[data-key="event"]')
    assert opened.page.locator('#kg-map-svg .kg-mark[data-id="attack"]').is_hidden()
    opened.page.check('#kg-kinds input[data-key="event"]')
    opened.page.locator("#kg-map").scroll_into_view_if_needed()
    _screenshot(opened, "explorer-map.png")
    assert opened.errors == [] and opened.blocked == []
    # The bundled data has no coordinates: its places are listed, not placed.
    bundled = open_page(pages["full"])
    bundled.page.click("#kg-tab-map")
    listed = bundled.page.inner_text("#kg-map-unlocated")
    assert "Not on the map: no coordinates in the data" in listed and "Medellín" in listed
    assert bundled.page.locator("#kg-map-svg").count() == 0
    assert "No place in this view has coordinates" in bundled.page.inner_text("#kg-map-body")


def test_the_chart_exports_as_png_and_svg(open_page, pages):
    import xml.etree.ElementTree as ET

    for name in ("full", "xss"):
        opened = open_page(pages[name])
        with opened.page.expect_download() as png:
            opened.page.click("#kg-export-png")
        data = Path(png.value.path()).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
        with opened.page.expect_download() as svg:
            opened.page.click("#kg-export-svg")
        assert svg.value.suggested_filename.endswith(".svg")
        text = Path(svg.value.path()).read_text(encoding="utf-8")
        root = ET.fromstring(text)  # well-formed, whatever the labels hold
        ns = "{http://www.w3.org/2000/svg}"
        drawn = [label["text"] for label in opened.js("() => kgExplorer.labels()")]
        assert [t.text for t in root.iter(ns + "text")] == drawn
        shapes = [e for e in root.iter() if e.get("data-node")]
        lines = [e for e in root.iter() if e.get("data-edge")]
        assert len(shapes) == len(opened.js("() => kgExplorer.visibleNodes()"))  # the fitted view shows all
        assert len(lines) == len(opened.js("() => kgExplorer.visibleEdges()"))
        assert opened.errors == [] and opened.dialogs == [] and opened.blocked == []
    assert any(t.startswith("<img src=x") for t in drawn)  # the XSS page's labels, as text
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "explorer-export.svg").write_text(text, encoding="utf-8")


def test_a_link_restores_the_view(open_page, pages, browser):
    opened = open_page(pages["full"])
    opened.page.uncheck('#kg-kinds input[data-key="time"]')
    opened.page.uncheck('#kg-modalities input[data-key="forecast"]')
    opened.js("() => kgExplorer.focusOn('emc', 2)")
    opened.js("() => kgExplorer.findPath('EMC', 'Gustavo Petro')")
    opened.js("() => kgExplorer.selectNode('medellin-helicopter-downing', false)")
    opened.js("() => network.moveTo({scale: 1.3, animation: false})")
    opened.page.click("#kg-copy-link")
    url = opened.page.input_value("#kg-link-text")
    assert "#" in url and "focus=emc" in url and "hide=time" in url
    state = opened.js("""() => ({visible: kgExplorer.visibleNodes().sort(), edges: kgExplorer.visibleEdges().sort(),
        selected: network.getSelectedNodes(), scale: network.getScale().toFixed(2),
        panel: document.getElementById('kg-details').getAttribute('data-showing')})""")
    again = open_page(Path(url.split("#")[0].replace("file://", "")))
    again.page.goto(url)
    again.page.reload()
    again.page.wait_for_selector("body[data-kg-ready=true]", state="attached")
    restored = again.js("""() => ({visible: kgExplorer.visibleNodes().sort(), edges: kgExplorer.visibleEdges().sort(),
        selected: network.getSelectedNodes(), scale: network.getScale().toFixed(2),
        panel: document.getElementById('kg-details').getAttribute('data-showing')})""")
    assert restored == state
    assert not again.page.is_checked('#kg-kinds input[data-key="time"]')
    assert not again.page.is_checked('#kg-modalities input[data-key="forecast"]')
    assert again.js("() => network.body.edges[kgExplorer.shortestPath('emc', 'petro').edges[0]].options.width") == 5
    # A link naming an entity by its IRI (the query page's links) selects it.
    iri = again.js("() => kgData.nodes.find(n => n.id === 'cjng').iri")
    fresh = open_page(Path(url.split("#")[0].replace("file://", "")))
    fresh.page.goto(url.split("#")[0] + "#sel=" + iri.replace(":", "%3A").replace("/", "%2F"))
    fresh.page.reload()
    fresh.page.wait_for_selector("body[data-kg-ready=true]", state="attached")
    assert fresh.js("() => network.getSelectedNodes()") == ["cjng"]
    assert again.errors == [] and fresh.errors == []


def test_a_bad_date_says_what_is_wrong(open_page, pages):
    opened = open_page(pages["full"])
    opened.page.fill("#kg-time-from", "2024-13")
    assert opened.page.get_attribute("#kg-time-from", "aria-invalid") == "true"
    message = opened.page.inner_text("#kg-time-error")
    assert "2024-13" in message and "YYYY" not in message and "a month (2025-08)" in message
    opened.page.fill("#kg-time-from", "2024-06")
    assert opened.page.inner_text("#kg-time-error").strip() == ""


def test_the_link_panel_names_the_modality_once(open_page, pages):
    opened = open_page(pages["full"])
    opened.js("id => kgExplorer.selectEdge(id, true)", _helicopter_edge(opened))
    card = opened.page.locator("#kg-details .kg-evidence:visible", has_text=HELICOPTER_QUOTE).first
    assert card.inner_text().count("Allegation") == 1
    assert card.inner_text().lower().count("allegation") == 1


def test_many_sources_are_drawn_when_the_view_gives_them(open_page, tmp_path):
    # Prepared for a body of reporting (issue 14): when the property-graph view counts a link's
    # independent sources and gives disputed versions, the chart shows them.
    from kg.property_graph import Edge, Evidence, GraphView, Node

    def ev(claim, source, quote):
        return Evidence(claim=claim, source=source, source_label=source.upper(), quote=quote, modality="reported-fact")

    nodes = {i: Node(iri=i, id=i, label=label, kind=kind) for i, label, kind in
             [("downing", "Helicopter downing", "event"), ("emc", "EMC", "armed-group"),
              ("farc", "FARC", "armed-group")]}
    perpetrator = Edge("downing", "emc", "kg:perpetrator", "perpetrator",
                       [ev("c1", "a", "the work of EMC"), ev("c2", "b", "EMC dissidents"), ev("c3", "c", "by EMC")])
    other = Edge("downing", "farc", "kg:perpetrator", "perpetrator", [ev("c4", "d", "FARC dissidents")])
    perpetrator.independent_sources = 2  # c's report copies a's
    perpetrator.versions = [("EMC", [perpetrator.evidence[0], perpetrator.evidence[1]]), ("FARC", other.evidence)]
    nodes["downing"].disputes = {"killed": [("12", [ev("c5", "a", "12 people killed")]),
                                            ("13", [ev("c6", "b", "13 police officers died")])]}
    page = tmp_path / "sources.html"
    page.write_text(kg.viz.render_view(GraphView(nodes, [perpetrator, other]), title="Many sources"), encoding="utf-8")
    opened = open_page(page)
    wide = opened.js("() => kgData.edges.find(e => e.to === 'emc').id")
    thin = opened.js("() => kgData.edges.find(e => e.to === 'farc').id")
    assert opened.js("id => network.body.edges[id].options.width", wide) > \
        opened.js("id => network.body.edges[id].options.width", thin)
    opened.js("id => kgExplorer.selectEdge(id, true)", wide)
    text = opened.page.inner_text("#kg-details")
    assert "2 independent sources" in text and "Disputed: 2 versions" in text
    assert "FARC dissidents" not in text  # the other version's quote is folded until asked for
    for summary in opened.page.locator("#kg-details summary").all():
        summary.click()
    text = opened.page.inner_text("#kg-details")
    assert "FARC dissidents" in text and "the work of EMC" in text
    opened.js("() => kgExplorer.selectNode('downing', false)")
    for summary in opened.page.locator("#kg-details summary").all():
        summary.click()
    text = opened.page.inner_text("#kg-details")
    assert "Disputed values" in text and "12 people killed" in text and "13 police officers died" in text
    assert opened.page.locator("#kg-details .kg-badge.disputed").count() >= 2
    assert opened.errors == []


def test_the_timeline_shows_when_each_report_was_published(open_page, tmp_path):
    import shutil

    directory = tmp_path / "data"
    shutil.copytree(REPO / "tests" / "fixtures" / "mini", directory)
    sources = (directory / "sources.csv").read_text(encoding="utf-8")
    (directory / "sources.csv").write_text(sources.replace("mini-report.txt,,,", "mini-report.txt,,2025-08-21,"),
                                           encoding="utf-8")
    project = kg.open_project(directory)
    page = kg.viz.write_html(kg.build(kg.load(project)), tmp_path / "published.html")
    opened = open_page(page)
    text = opened.page.inner_text("#kg-timeline")
    assert "Reports, by publication date (1)" in text and "2025-08-21" in text and "Mini report" in text
    pin = opened.page.locator('#kg-timeline .kg-pub[data-id="rep"]')
    assert pin.count() == 1
    pin.click()
    assert opened.js("() => network.getSelectedNodes()") == ["rep"]
    assert opened.errors == []


# ---- many sources on the chart: a body of reporting (issues 14 and 16) ------------------------

@pytest.fixture(scope="session")
def body_page(tmp_path_factory, body_project, body_built):
    """The multi-source fixture's explorer, with the digests' texts in the page."""
    out = tmp_path_factory.mktemp("body")
    return kg.viz.write_html(body_built, out / "body.html", title=body_project.title,
                             sources_path=body_project.sources_path)


@pytest.fixture(scope="session")
def body_view(body_built):
    return graph_view(body_built)


def _edge_id(opened: Opened, source: str, predicate: str, target: str) -> str:
    return opened.js("([s, p, t]) => kgData.edges.find(e => e.from === s && e.predicate === p && e.to === t).id",
                     [source, predicate, target])


def test_link_width_grows_with_independent_sources(open_page, body_page, body_view):
    opened = open_page(body_page)
    rows = opened.js("() => kgData.edges.map(e => [e.from, e.predicate, e.to, e.claimant, e.sources, e.origins,"
                     " network.body.edges[e.id].options.width])")
    node_id = {iri: node.id for iri, node in body_view.nodes.items()}
    counted = {(node_id[e.source], e.predicate, node_id[e.target]): e for e in body_view.edges}
    widths: dict[int, set[float]] = defaultdict(set)
    for source, predicate, target, claimant, sources, origins, width in rows:
        if not claimant:  # the page's count is the view's: copies and retellings of one report count once
            edge = counted[(source, predicate, target)]
            assert (sources, origins) == (edge.independent_sources, edge.origins)
        widths[sources].add(width)
    assert {1, 2} <= set(widths)
    assert min(widths[2]) > max(widths[1]) and len(widths[1]) == 1
    # Aguila-7 in the International Legion: news-pravda.com and Defense News both retell
    # Intelligence Online (one origin), The Telegraph is another: two independent sources.
    legion = _edge_id(opened, "aguila-7", "kg:memberOf", "intl-legion")
    _click_edge(opened, legion)
    assert opened.js("() => kgExplorer.stateHash()").find("link=") >= 0
    text = opened.page.inner_text("#kg-details")
    assert "2 independent sources" in text and "Intelligence Online; The Telegraph" in text
    one = _edge_id(opened, "aguila-7", "kg:memberOf", "gafe")
    opened.js("id => kgExplorer.selectEdge(id, true)", one)
    assert "1 independent source" in opened.page.inner_text("#kg-details")
    assert opened.js("() => [...document.querySelectorAll('#kg-edge-legend li')].map(li => li.textContent).join('|')") \
        .count("Width: number of independent sources") == 1
    assert opened.errors == [] and opened.blocked == []


def test_the_dispute_badge_lists_each_version_with_its_sources(open_page, body_page, body_view):
    opened = open_page(body_page)
    downing = body_view.nodes["https://example.org/body/amalfi-downing"]
    _click_node(opened, "amalfi-downing")
    assert opened.js("() => network.getSelectedNodes()") == ["amalfi-downing"]
    panel = opened.page.locator("#kg-details")
    assert panel.locator(".kg-badge.disputed").count() >= 1 + len(downing.disputes)
    text = panel.inner_text()
    assert f"Disputed values ({len(downing.disputes)})" in text
    killed = panel.locator(".kg-disputes", has_text="killed: 4 versions")
    versions = killed.locator("ol.kg-versions > li")
    # Every version, in the order of the reports' publication, each with its sources: outlet,
    # date, and who stands behind it.
    assert [versions.nth(i).locator(".kg-version").inner_text() for i in range(versions.count())] == \
        [value for value, _ in downing.disputes["killed"]] == ["at least 8", "exactly 8", "exactly 12", "exactly 13"]
    lines = [versions.nth(i).locator(".kg-vsources").inner_text() for i in range(4)]
    assert "Uruguay al Día, 2025-08-21" in lines[0] and "Gustavo Petro" in lines[0]
    assert "Meganoticias, 2025-08-21" in lines[2] and "Gustavo Petro" in lines[2]
    assert "The City Paper Bogotá, 2025-08" in lines[3] and "in the source's own voice" in lines[3]
    # The quotes fold out on a click, in the source's language with the curator's translation.
    versions.nth(2).locator("summary").click()
    quote = versions.nth(2).locator(".kg-quote")
    assert quote.inner_text() == "confirmó el jueves por la tarde que 12 policías murieron"
    assert quote.get_attribute("lang") == "es"
    assert "Curator's translation: confirmed on Thursday afternoon" in versions.nth(2).inner_text()
    # A disputed link: the perpetrator's versions, with the one this link stands for marked.
    gulf = _edge_id(opened, "amalfi-downing", "kg:perpetrator", "gulf-clan")
    opened.js("id => kgExplorer.selectEdge(id, true)", gulf)
    box = panel.locator(".kg-disputes")
    assert "Disputed: 3 versions of perpetrator" in box.inner_text()
    items = box.locator("ol.kg-versions > li")
    assert [items.nth(i).locator(".kg-version").inner_text().split("this link")[0].strip()
            for i in range(3)] == ["36th Front", "Gulf Clan", "FARC dissidents"]
    assert "this link" in items.nth(1).inner_text() and "Pedro Sánchez, allegation" in items.nth(1).inner_text()
    assert "early intelligence reports, allegation" in items.nth(0).inner_text()
    # On the chart: the disputed node's name and the disputed links carry the sign.
    assert any(label["text"].endswith("\u26a0") and label["id"] == "amalfi-downing"
               for label in opened.js("() => kgExplorer.labels()"))
    assert opened.js("id => edges.get(id).label", gulf) == "perpetrator \u26a0"
    _screenshot(opened, "explorer-dispute.png")
    assert opened.errors == [] and opened.dialogs == []


def test_the_timeline_places_anchored_times_and_lists_the_others_apart(open_page, make_body, tmp_path):
    # The Telegraph's article dated to the day: its "Last week" becomes the week before it.
    sources = (BODY / "sources.csv").read_text(encoding="utf-8")
    assert "the-telegraph,2025," in sources
    project = make_body({"sources.csv": sources.replace("the-telegraph,2025,", "the-telegraph,2025-08-21,")})
    page = kg.viz.write_html(kg.build(kg.load(project)), tmp_path / "anchored.html",
                             sources_path=project.sources_path)
    opened = open_page(page)
    chart = opened.page.locator("#kg-timeline .kg-gantt")
    week = chart.locator('.kg-grow[data-id="sinaloa-footage"]')
    assert "Last week, counted from The Telegraph, 2025-08-21" in week.inner_text() and "week" in week.inner_text()
    interval = week.locator(".kg-bar.kg-anchored")
    assert interval.count() == 1 and "kg-point" not in interval.get_attribute("class")
    anchor = week.locator(".kg-anchor")
    assert anchor.get_attribute("title") == "Counted from The Telegraph, published 2025-08-21"
    # The week 2025-08-11..17 is drawn as an interval seven days long, ending before the anchor.
    axis = opened.page.locator("#kg-timeline .kg-gaxis").bounding_box()
    span = opened.js("() => { const t = [...document.querySelectorAll('.kg-gantt .kg-bar')]; return t.length; }")
    bar, pin = interval.bounding_box(), anchor.bounding_box()
    assert span >= 2 and bar["x"] + bar["width"] < pin["x"] + pin["width"] / 2 < axis["x"] + axis["width"]
    day = opened.page.locator('#kg-timeline .kg-pub[data-id="meganoticias-article"]').bounding_box()
    assert bar["width"] > 3 * day["width"] / 2  # seven days, not one
    day_bar = chart.locator('.kg-grow[data-id="petro-confirms-12"] .kg-bar')
    assert "kg-point" in day_bar.get_attribute("class")  # "el jueves": one day, a point
    # "on Tuesday" of a report known only to the month cannot be placed: listed apart, no date.
    apart = opened.page.locator('#kg-timeline table.kg-events tr[data-id="io-first-report"]')
    assert "on Tuesday (relative to Defense News)" in apart.inner_text()
    assert "relative" in apart.inner_text() and "dated only to 2025-07" in apart.inner_text()
    assert chart.locator('[data-id="io-first-report"]').count() == 0
    assert not re.search(r"\d{4}-\d{2}-\d{2}", apart.inner_text())
    # Clicking the interval selects its event.
    interval.click()
    assert opened.js("() => network.getSelectedNodes()") == ["sinaloa-footage"]
    assert "kg-current" in week.get_attribute("class")
    # And the time filter treats the anchored week as a date.
    opened.page.fill("#kg-time-from", "2025-08-18")
    opened.page.locator("#kg-time-from").press("Enter")
    opened.page.locator("#kg-time-to").focus()
    assert "sinaloa-footage" not in opened.js("() => kgExplorer.visibleNodes()")
    assert opened.errors == []


def test_the_timeline_shows_each_reports_publication(open_page, body_page, body_view):
    opened = open_page(body_page)
    reports = opened.page.locator("#kg-timeline .kg-grow.kg-report")
    ids = [reports.nth(i).get_attribute("data-id") for i in range(reports.count())]
    dated = sorted((node.properties["publication date"][0], node.label, node.id) for node in body_view.nodes.values()
                   if node.kind == "source" and node.properties.get("publication date"))
    assert ids == [i for _, _, i in dated]  # every report with a date of its own, earliest first
    assert "Reports, by publication date (6)" in opened.page.inner_text("#kg-timeline")
    widths = {i: opened.page.locator(f'#kg-timeline .kg-pub[data-id="{i}"]').bounding_box()["width"] for i in ids}
    # Drawn at their precision: a year wider than a month, a month wider than a day.
    assert widths["telegraph-article"] > widths["citypaper-article"] > widths["meganoticias-article"]
    row = opened.page.locator('#kg-timeline .kg-grow[data-id="citypaper-article"]').inner_text()
    assert "The City Paper Bogotá" in row and "2025-08" in row and "month" in row
    opened.page.locator('#kg-timeline .kg-pub[data-id="newspravda-article"]').click()
    assert opened.js("() => network.getSelectedNodes()") == ["newspravda-article"]
    opened.page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    _screenshot(opened, "explorer-timeline.png")
    assert opened.errors == []


def test_many_sources_strings_stay_text(open_page, make_body, tmp_path):
    hostile = "<img src=x onerror=alert('outlet')>"
    entities = (BODY / "entities.csv").read_text(encoding="utf-8")
    statements = (BODY / "statements.csv").read_text(encoding="utf-8")
    project = make_body({
        "entities.csv": entities.replace("meganoticias-mx,kg:MediaOrganization,Meganoticias,",
                                         f'meganoticias-mx,kg:MediaOrganization,"{hostile}",')
        .replace("front-36,kg:DissidentFaction,36th Front,", "front-36,kg:DissidentFaction,</script><b>36</b>,"),
        "statements.csv": statements.replace("megan-thursday,kg:expressionText,el jueves por la tarde,",
                                             "megan-thursday,kg:expressionText,el jueves <svg onload=alert('when')>,"),
    })
    page = kg.viz.write_html(kg.build(kg.load(project)), tmp_path / "hostile.html")
    opened = open_page(page)
    opened.js("() => kgExplorer.selectNode('amalfi-downing', true)")
    opened.page.locator("#kg-details details summary").first.click()
    text = opened.page.inner_text("#kg-details")
    assert f"{hostile}, 2025-08-21" in text and "</script><b>36</b>" in text
    opened.js("id => kgExplorer.selectEdge(id, true)", _edge_id(opened, "amalfi-downing", "kg:perpetrator", "front-36"))
    assert "</script><b>36</b>" in opened.page.inner_text("#kg-details")
    timeline = opened.page.inner_text("#kg-timeline")
    # Words kg cannot read stay relative (listed apart), their anchor named as text.
    assert f"el jueves <svg onload=alert('when')> (relative to {hostile})" in timeline
    assert f"counted from {hostile}, 2025-08-21, its wording does not say when" in timeline
    assert hostile in opened.page.inner_text('#kg-timeline .kg-grow[data-id="meganoticias-article"]')
    opened.page.wait_for_timeout(200)
    assert opened.dialogs == [] and opened.errors == [] and opened.blocked == []
    assert opened.js("() => document.querySelectorAll('img, svg, b, a, iframe').length") == 0


def test_a_big_page_lays_out_the_first_timeline_rows_and_the_rest_on_request(open_page, tmp_path):
    # Above 2,000 nodes the time axis lays out its first 1,000 rows at once (thousands of rows
    # held the 50k page's first paint back by seconds); the others come, in order, on a click.
    from kg.bench.viz import synthetic_view
    from kg.viz.html import render_view

    view, times = synthetic_view(16000)
    path = tmp_path / "big.html"
    path.write_text(render_view(view, times=times, title="big"), encoding="utf-8")
    opened = open_page(path)
    placed = opened.js("""() => document.querySelectorAll('#kg-timeline .kg-gantt .kg-grow.kg-event').length""")
    total = sum(1 for iri, t in times.items() if t["status"] in ("absolute", "anchored") and iri in view.nodes)
    assert total > 1000 and placed == 1000
    more = opened.page.locator("#kg-timeline .kg-more button")
    assert more.inner_text() == f"Show the other {total - 1000} events placed in time"
    more.click()
    assert opened.js("""() => document.querySelectorAll('#kg-timeline .kg-gantt .kg-grow.kg-event').length""") == total
    assert opened.page.locator("#kg-timeline .kg-more").count() == 0
    assert opened.errors == [] and opened.dialogs == []

"""The query page (/query of ``kg serve``) in real headless Chromium: the bundled CodeMirror
editor (highlighting, completion of prefixes, classes, properties and known entities), results
as labels or CURIEs that open the entity in the explorer, downloads in every format, the history,
and the links between / and /query. Chromium missing is a failure in CI, a skip elsewhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib

from _kg_serve import free_port, stop, wait_until_serving

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
               "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(shared_sources, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "w") as handle:
        proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port), "--sources",
                                 str(shared_sources), "-q"], stdout=handle, stderr=handle, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(url, proc, lambda: log.read_text())
    yield url
    stop(proc)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed") if os.environ.get("CI") else pytest.skip("no playwright")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        message = f"chromium is not installed at {CHROMIUM}"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.problems = []
    outside = []

    def route(r):  # only this server: nothing from a CDN or anywhere else
        if r.request.url.startswith(server):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and "favicon" not in m.text and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and page.problems.append(f"{r.status} {r.url}"))
    yield page
    assert outside == []
    context.close()


def _open(page, server):
    page.goto(f"{server}/query")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=20_000)
    assert int(page.get_attribute("body", "data-terms")) > 100  # classes, properties and concepts


def _type_at_end(page, text):
    page.click("#editor .cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def _completions(page):
    page.wait_for_selector(".cm-tooltip-autocomplete li", timeout=5_000)
    return page.locator(".cm-tooltip-autocomplete li").all_inner_texts()


def _set_query(page, text):
    page.click("#editor .cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def test_editor_highlights_and_completes_prefixes_terms_and_entities(page, server):
    _open(page, server)
    # Highlighting: keywords and variables are styled spans, not plain text.
    assert page.locator("#editor .cm-content span").count() > 5
    colours = set(page.locator("#editor .cm-line span").evaluate_all(
        "spans => spans.map(s => getComputedStyle(s).color)"))
    assert len(colours) >= 2
    _type_at_end(page, "\n# kg:Car")
    options = _completions(page)
    assert any(o.startswith("kg:Cartel") for o in options)
    page.keyboard.press("Escape")
    _type_at_end(page, "\n# kg:memberO")
    assert any(o.startswith("kg:memberOf") for o in _completions(page))
    page.keyboard.press("Enter")
    assert "kg:memberOf" in page.locator("#editor .cm-content").inner_text()
    _type_at_end(page, "\n# data:cj")
    assert any(o.startswith("data:cjng") for o in _completions(page))  # a known entity
    page.keyboard.press("Escape")
    _type_at_end(page, "\n# sk")
    assert any(o.startswith("skos:") for o in _completions(page))  # a prefix
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "query-completion.png"))
    assert page.problems == []


def test_results_show_labels_or_curies_and_open_the_explorer(page, server):
    _open(page, server)
    page.click("#run")
    page.wait_for_selector("#results table")
    links = page.locator("#results a.entity")
    assert "CJNG" in links.all_inner_texts()
    page.select_option("#show", "curie")
    assert "data:cjng" in page.locator("#results a.entity").all_inner_texts()
    page.select_option("#show", "iri")
    shown = page.locator("#results a.entity").all_inner_texts()
    assert any(t.endswith("/cjng") and t.startswith("https://") for t in shown)
    page.select_option("#show", "label")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "query-results.png"))
    # A result opens the entity in the explorer, selected.
    page.locator("#results a.entity", has_text="CJNG").first.click()
    page.wait_for_selector("body[data-kg-ready=true]", state="attached", timeout=30_000)
    assert page.evaluate("() => network.getSelectedNodes()") == ["cjng"]
    assert "CJNG" in page.inner_text("#kg-details")
    # ... and the explorer links back to the query page.
    page.click("#kg-query-link")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    assert page.url.endswith("/query")
    assert page.problems == []


def test_every_result_format_downloads(page, server):
    _open(page, server)
    assert page.locator("#downloads").is_hidden()  # nothing to download before a run
    page.click("#run")
    page.wait_for_selector("#results table")
    got = {}
    for fmt in ("json", "xml", "csv", "tsv"):
        with page.expect_download() as download:
            page.click(f'#downloads button[data-format="{fmt}"]')
        got[fmt] = Path(download.value.path()).read_text(encoding="utf-8")
        assert download.value.suggested_filename == f"result.{fmt}"
    # The six cartels of the first report, Los Zetas (The Telegraph) and the Gulf Clan (Uruguay al Día).
    assert len(json.loads(got["json"])["results"]["bindings"]) == 8
    assert ET.fromstring(got["xml"]).tag.endswith("sparql")
    assert got["csv"].splitlines()[0].strip() == "actor,label" and len(got["csv"].splitlines()) == 9
    assert got["tsv"].splitlines()[0].strip() == "?actor\t?label"
    _set_query(page, "CONSTRUCT { ?s a kg:Cartel } WHERE { ?s a kg:Cartel }")
    page.click("#run")
    page.wait_for_selector("#results pre")
    assert page.locator("#download-table").is_hidden() and page.locator("#download-graph").is_visible()
    for fmt, rdf in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")):
        with page.expect_download() as download:
            page.click(f'#downloads button[data-format="{fmt}"]')
        graph = rdflib.Graph().parse(data=Path(download.value.path()).read_text(encoding="utf-8"), format=rdf)
        assert len(graph) == 8, fmt  # the eight cartels, as above
    assert page.problems == []


def test_history_keeps_queries_across_visits(page, server):
    _open(page, server)
    _set_query(page, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    page.keyboard.press("Control+Enter")  # runs from the editor
    page.wait_for_selector("#results table")
    page.reload()
    page.wait_for_selector("body[data-ready=true]", state="attached")
    first = page.locator("#history .history-item").first
    assert "COUNT(*)" in first.inner_text()
    _set_query(page, "ASK { }")
    first.click()
    assert "COUNT(*) AS ?n" in page.locator("#editor .cm-content").inner_text()
    page.click("#history-clear")
    assert page.locator("#history .history-item").count() == 0
    assert page.problems == []


def test_hostile_values_in_results_stay_text(page, server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open(page, server)
    _set_query(page, 'SELECT ?x ?y WHERE { VALUES (?x ?y) { ("<img src=x onerror=alert(1)>" <javascript:alert(2)>) } }')
    page.click("#run")
    page.wait_for_selector("#results table")
    assert "<img src=x onerror=alert(1)>" in page.inner_text("#results")
    assert page.locator("#results img").count() == 0
    href = page.get_attribute("#results a.entity", "href")
    assert href.startswith("/#sel=") and "javascript:" not in href
    page.click("#results a.entity")
    page.wait_for_selector("body[data-kg-ready=true]", state="attached", timeout=30_000)
    assert dialogs == []
    assert page.evaluate("() => network.getSelectedNodes()") == []  # no such entity: nothing selected

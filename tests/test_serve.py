"""`kg serve` over real HTTP: SPARQLWrapper and httpx against a server started as a subprocess,
the SPARQL 1.1 Protocol details, the time limit (the worker is really killed), the result cap,
concurrent clients, refused updates, static files and CORS."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.serve.server import is_loopback

from _kg_serve import free_port, stop, wait_until_serving

BASE = "https://w3id.org/osint-kg/data/cartel-drones-ukraine/"
TIMEOUT = 2.0  # the server's query time limit in these tests
CAP = 300  # the server's result cap in these tests
CARTELS = "SELECT ?a ?label WHERE { ?a a kg:Cartel ; rdfs:label ?label } ORDER BY ?label"
#: 894^3 combinations of the ontology graph's triples: minutes of work for any engine.
SLOW = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}graph/ontology> "
        "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER (?c != ?i) } }")


def _start(*extra: str) -> Iterator[str]:
    port = free_port()
    cmd = [sys.executable, "-m", "kg", "serve", "--port", str(port), "--workers", "2", "--timeout", str(TIMEOUT),
           "--max-rows", str(CAP), "-q", *extra]
    with tempfile.TemporaryFile() as log:  # a file, not a pipe nobody reads
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(url, proc, lambda: (log.seek(0), log.read().decode(errors="replace"))[1])
        try:
            yield url
        finally:
            stop(proc)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    yield from _start()


@pytest.fixture(scope="module")
def cors_server() -> Iterator[str]:
    yield from _start("--cors", "--workers", "1")


def sparql(url: str, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setTimeout(10)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    elif method:
        client.setMethod(method)
    return client


# --- SPARQLWrapper: SELECT, ASK, CONSTRUCT in each format ------------------------------------------

@pytest.mark.parametrize("method", [None, POST, POSTDIRECTLY])
def test_sparqlwrapper_select_json_by_get_form_post_and_direct_post(server, method):
    result = sparql(server, CARTELS, JSON, method).query().convert()
    labels = [b["label"]["value"] for b in result["results"]["bindings"]]
    assert "CJNG" in labels and result["head"]["vars"] == ["a", "label"]


def test_sparqlwrapper_select_xml_csv_tsv(server):
    doc = sparql(server, CARTELS, XML).query().convert()
    assert "CJNG" in [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    csv_text = sparql(server, CARTELS, CSV).query().convert().decode("utf-8")
    assert csv_text.splitlines()[0] == "a,label" and f"{BASE}cjng,CJNG" in csv_text.splitlines()
    tsv_text = sparql(server, CARTELS, TSV).query().convert().decode("utf-8")
    assert tsv_text.splitlines()[0] == "?a\t?label" and f'<{BASE}cjng>\t"CJNG"' in tsv_text.splitlines()


def test_sparqlwrapper_ask(server):
    ask = "ASK { data:medellin kg:locatedIn+ data:colombia }"
    assert sparql(server, ask, JSON).query().convert()["boolean"] is True
    doc = sparql(server, "ASK { data:cjng a kg:Person }", XML).query().convert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "false"


CONSTRUCT = "CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a kg:Cartel ; rdfs:label ?l }"


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
def test_sparqlwrapper_construct(server, fmt):
    converted = sparql(server, CONSTRUCT, fmt).query().convert()
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="turtle")
    assert graph.value(URIRef(f"{BASE}cjng"), URIRef("http://www.w3.org/2000/01/rdf-schema#label")).eq("CJNG")


def test_sparqlwrapper_malformed_query(server):
    with pytest.raises(QueryBadFormed) as info:
        sparql(server, "SELECT ?x WHERE { ?x a kg:Cartel", JSON).query()
    assert "expected" in str(info.value)


# --- the protocol over plain HTTP ---------------------------------------------------------------

def test_content_types_by_accept_and_format(server):
    cases = {
        ("select", "application/sparql-results+json"): "application/sparql-results+json",
        ("select", "application/sparql-results+xml"): "application/sparql-results+xml",
        ("select", "text/csv"): "text/csv",
        ("select", "text/tab-separated-values"): "text/tab-separated-values",
        ("graph", "text/turtle"): "text/turtle",
        ("graph", "application/n-triples"): "application/n-triples",
        ("graph", "application/ld+json"): "application/ld+json",
        ("graph", "application/rdf+xml"): "application/rdf+xml",
    }
    for (kind, accept), expected in cases.items():
        query = CARTELS if kind == "select" else CONSTRUCT
        response = httpx.get(f"{server}/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == expected, accept
    nt = httpx.get(f"{server}/sparql", params={"query": CONSTRUCT, "format": "nt"})
    assert nt.headers["content-type"] == "application/n-triples"
    assert f'<{BASE}cjng> <http://www.w3.org/2000/01/rdf-schema#label> "CJNG" .' in nt.text.splitlines()
    default = httpx.get(f"{server}/sparql", params={"query": CARTELS})
    assert default.headers["content-type"].startswith("application/sparql-results+json")


def test_malformed_query_is_400_with_line_and_column(server):
    response = httpx.post(f"{server}/sparql", data={"query": "SELECT ?x WHERE {\n  ?x a kg:Cartel ."})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "query:3:1: syntax error: expected" in response.text or "query:2:" in response.text
    as_json = httpx.post(f"{server}/sparql", data={"query": "ASK { ?x ex:p ?y }"}, headers={"Accept": "application/json"})
    doc = as_json.json()
    assert as_json.status_code == 400 and (doc["line"], doc["column"]) == (1, 10)
    assert "unknown prefix ex:" in doc["message"]


@pytest.mark.parametrize("how", ["form", "direct", "query-param", "form-query"])
def test_updates_are_refused_with_403(server, how):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if how == "form":
        response = httpx.post(f"{server}/sparql", data={"update": update})
    elif how == "direct":
        response = httpx.post(f"{server}/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    elif how == "query-param":
        response = httpx.get(f"{server}/sparql", params={"query": update})
    else:
        response = httpx.post(f"{server}/sparql", data={"query": update})
    assert response.status_code == 403
    assert "read-only" in response.text
    still = httpx.get(f"{server}/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"})
    assert still.json()["boolean"] is False


def test_result_cap_is_413(server):
    response = httpx.get(f"{server}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 413
    assert f"more than {CAP} rows" in response.text


def test_protocol_errors(server):
    assert httpx.get(f"{server}/sparql").status_code == 400
    assert httpx.get(f"{server}/sparql", headers={"Accept": "text/html"}).status_code == 303
    assert httpx.post(f"{server}/sparql", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    two = httpx.get(f"{server}/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert two.status_code == 400
    graphs = httpx.get(f"{server}/sparql", params={"query": "ASK {}", "default-graph-uri": "urn:x"})
    assert graphs.status_code == 400
    assert httpx.get(f"{server}/nowhere").status_code == 404
    # An unknown ?format= is ignored (clients send their own names beside Accept).
    yaml = httpx.get(f"{server}/sparql", params={"query": "ASK {}", "format": "yaml"}, headers={"Accept": "text/csv"})
    assert yaml.status_code == 200 and yaml.headers["content-type"].startswith("text/csv")
    big = httpx.post(f"{server}/sparql", content=b"A" * 1_100_000, headers={"Content-Type": "application/sparql-query"})
    assert big.status_code == 413


def test_saved_questions_listing_and_one_click_runs(server):
    listing = httpx.get(f"{server}/queries").json()
    names = {q["name"] for q in listing}
    assert len(names) >= 15 and "events-in-place" in names
    place = next(q for q in listing if q["name"] == "events-in-place")
    assert place["params"][0]["name"] == "place" and place["url"] == "/queries/events-in-place"
    run = httpx.get(f"{server}/queries/events-in-place", params={"place": "data:colombia"})
    assert run.status_code == 200
    events = {b["event"]["value"] for b in run.json()["results"]["bindings"]}
    assert f"{BASE}medellin-helicopter-downing" in events
    csv_run = httpx.get(f"{server}/queries/casualties", params={"format": "csv"})
    assert csv_run.headers["content-type"].startswith("text/csv") and "At least" in csv_run.text
    assert httpx.get(f"{server}/queries/events-in-place", params={"nope": "1"}).status_code == 400
    assert httpx.get(f"{server}/queries/events-in-place", params={"place": "<a b>"}).status_code == 400
    assert httpx.get(f"{server}/queries/no-such").status_code == 404


def test_pages_are_offline_and_static_files_cannot_escape(server):
    home = httpx.get(f"{server}/")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert "Medellín" in home.text  # the explorer (kg.viz) with the bundled data in it
    assert not re.search(r'(?:src|href)="https?://', home.text)  # offline
    ui = httpx.get(f"{server}/query")
    assert ui.status_code == 200 and "/static/query.js" in ui.text
    assert "http://" not in ui.text and "https://" not in ui.text  # nothing from a CDN
    assert "script-src 'self'" in ui.headers["content-security-policy"]
    js = httpx.get(f"{server}/static/query.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert ".innerHTML" not in js.text  # data is written with textContent only
    assert "http://" not in js.text and "https://" not in js.text
    conn = http.client.HTTPConnection(server.removeprefix("http://"))
    for path in ("/static/", "/static/../kg/cli.py", "/static/..%2f..%2fpyproject.toml", "/static//etc/passwd",
                 "/static/%2e%2e/app.py", "/static/app.py"):
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        assert response.status == 404, path
    conn.close()


def test_cors_is_off_by_default_and_on_when_asked(server, cors_server):
    plain = httpx.get(f"{server}/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in plain.headers
    assert httpx.options(f"{server}/sparql").status_code == 405
    open_ = httpx.get(f"{cors_server}/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://x.example"})
    assert open_.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(f"{cors_server}/sparql", headers={"Origin": "http://x.example",
                                                               "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204 and "POST" in preflight.headers["access-control-allow-methods"]


def test_binds_loopback_by_default():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


# --- time limit and concurrency -----------------------------------------------------------------

def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks of 1/100 s


def test_slow_query_times_out_kills_its_worker_and_does_not_block_others(server):
    before = httpx.get(f"{server}/status").json()
    assert len(before["workers"]) == 2
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        response = httpx.get(f"{server}/sparql", params={"query": SLOW}, timeout=30)
        outcome.update(status=response.status_code, text=response.text, seconds=time.monotonic() - started)

    thread = threading.Thread(target=slow)
    thread.start()
    busy: list[int] = []
    for _ in range(50):  # find the worker running the slow query
        busy = [w["pid"] for w in httpx.get(f"{server}/status").json()["workers"] if w["busy"]]
        if busy:
            break
        time.sleep(0.02)
    assert len(busy) == 1
    pid = busy[0]
    # Meanwhile a cheap query is answered at once by the other worker.
    started = time.monotonic()
    cheap = httpx.get(f"{server}/sparql", params={"query": CARTELS})
    assert cheap.status_code == 200 and time.monotonic() - started < 1.0
    time.sleep(0.5)
    assert _cpu_seconds(pid) > 0.2  # the slow query is really working
    thread.join(15)
    assert outcome["status"] == 503
    assert "time limit" in str(outcome["text"])
    assert TIMEOUT <= float(outcome["seconds"]) < TIMEOUT + 2
    # The worker was killed: its process is gone, so its CPU is free; a fresh one replaces it.
    assert not Path(f"/proc/{pid}").exists()
    for _ in range(100):
        workers = httpx.get(f"{server}/status").json()["workers"]
        if len(workers) == 2:
            break
        time.sleep(0.1)
    assert len(workers) == 2 and pid not in {w["pid"] for w in workers}
    assert httpx.get(f"{server}/status").json()["killed"] >= 1
    again = httpx.get(f"{server}/sparql", params={"query": CARTELS})
    assert again.status_code == 200


def test_many_concurrent_clients(server):
    results: list[int] = []

    def client() -> None:
        for _ in range(5):
            results.append(httpx.get(f"{server}/queries/casualties").status_code)

    threads = [threading.Thread(target=client) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [200] * 30


def test_status_is_json(server):
    status = json.loads(httpx.get(f"{server}/status").text)
    assert status["timeout"] == TIMEOUT and status["max_rows"] == CAP


# --- exposure: no traversal or listing in any encoding; a warning off loopback -----------------

TRAVERSALS = [
    "/../pyproject.toml", "/static/../../pyproject.toml", "/static/../app.py", "/static/%2e%2e/app.py",
    "/static/%2e%2e%2fapp.py", "/static/%2E%2E%2F%2E%2E%2Fpyproject.toml", "/static/..%2fapp.py",
    "/static/.%2e/app.py", "/static/%252e%252e%252fapp.py", "/static/..%252fapp.py",  # double-encoded
    "/static/..\\app.py", "/static/..%5capp.py", "/static/%2e%2e%5capp.py", "/static/..%255capp.py",
    "/static/%c0%ae%c0%ae/app.py", "/static/%c0%af..%c0%afapp.py",  # overlong UTF-8
    "/static/query.js/../app.py", "/static/./query.js/../../pyproject.toml", "/static/%00../app.py",
    "/%2e%2e/%2e%2e/etc/passwd", "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/C:\\Windows\\win.ini",
    "http://127.0.0.1/static/../app.py",  # absolute-form request target
]
LISTINGS = ["/static", "/static/", "/static/.", "/static/%2e", "/static/./", "/queries/..", "/queries/%2e%2e",
            "/..", "/%2e%2e/", "/./", "/kg/", "/kg/serve/static/", "/.git/", "/tests/", "///static/"]


def test_no_path_traversal_or_directory_listing_in_any_encoding(server):
    secrets = ("[project]", "import ", "root:", "def ", "[extensions]", "Index of", "Directory listing")
    conn = http.client.HTTPConnection(server.removeprefix("http://"))
    try:
        for path in TRAVERSALS + LISTINGS:
            for method in ("GET", "HEAD"):
                conn.request(method, path)
                response = conn.getresponse()
                body = response.read().decode("utf-8", "replace")
                assert response.status == 404, (method, path, response.status)
                assert not any(s in body for s in secrets), (path, body[:200])
    finally:
        conn.close()
    # What /static/ does serve is the fixed list of the UI's files, and nothing else; "//" is "/"
    # (http.server folds leading slashes), the explorer.
    assert httpx.get(f"{server}/static/query.js").status_code == 200
    conn = http.client.HTTPConnection(server.removeprefix("http://"))
    conn.request("GET", "//")
    assert conn.getresponse().read() == httpx.get(f"{server}/").content
    conn.close()


def test_a_non_loopback_address_prints_a_warning(tmp_path):
    """192.0.2.1 (TEST-NET-1) is no address of this machine: the warning comes first, then binding
    fails cleanly, so nothing is ever exposed by this test."""
    mini = Path(__file__).resolve().parent / "fixtures" / "mini"
    proc = subprocess.run([sys.executable, "-m", "kg", "serve", "--data", str(mini), "--host", "192.0.2.1",
                           "--port", "0", "--workers", "1", "-q"], capture_output=True, timeout=120, cwd=tmp_path)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert stderr.startswith("warning: binding 192.0.2.1: anyone who can reach this machine can query the data")
    assert "--host 127.0.0.1" in stderr
    assert proc.returncode == 2 and "cannot listen on 192.0.2.1:0" in stderr and "Traceback" not in stderr


def test_answers_say_how_long_the_worker_took(server):
    started = time.perf_counter()
    r = httpx.get(f"{server}/queries/casualties", headers={"Accept": "application/sparql-results+json"})
    wall_ms = (time.perf_counter() - started) * 1000
    assert r.status_code == 200
    match = re.fullmatch(r"query;dur=([0-9.]+)", r.headers["Server-Timing"])
    assert match and 0 < float(match.group(1)) < wall_ms
    for query, accept in (("SELECT ?a WHERE { ?a a kg:Cartel }", "text/csv"),  # written from rows
                          ("CONSTRUCT { ?a a kg:Cartel } WHERE { ?a a kg:Cartel }", "text/turtle")):
        other = httpx.get(f"{server}/sparql", params={"query": query}, headers={"Accept": accept})
        assert other.status_code == 200 and re.fullmatch(r"query;dur=[0-9.]+", other.headers["Server-Timing"])


def test_a_large_dataset_s_explorer_is_drawn_in_the_background(bundled_project):
    """Above EXPLORER_IN_BACKGROUND triples the endpoint answers at once: `/` says the explorer is
    being drawn (and reloads itself) until the real page is ready."""
    from kg.build import build
    from kg.load import load
    from kg.serve import explorer_page

    ready = threading.Event()

    def dataset():
        ready.wait(30)  # a slow build
        return build(load(bundled_project))

    page = explorer_page(dataset, bundled_project, background=True)
    waiting = page().decode("utf-8")
    assert 'http-equiv="refresh"' in waiting and "being drawn" in waiting and "/query" in waiting
    ready.set()
    deadline = time.monotonic() + 60
    while b"being drawn" in page() and time.monotonic() < deadline:
        time.sleep(0.05)
    drawn = page().decode("utf-8")
    assert "being drawn" not in drawn and "CJNG" in drawn  # the explorer, with the data in it
    assert page() is page()  # drawn once


def test_open_server_draws_the_explorer_in_the_background_above_the_threshold(bundled_project, monkeypatch):
    from kg.serve import explorer, server as serving

    monkeypatch.setattr(serving, "EXPLORER_IN_BACKGROUND", 0)  # the bundled data counts as large
    ready, draw = threading.Event(), explorer._draw
    monkeypatch.setattr(explorer, "_draw", lambda *args: (ready.wait(30), draw(*args))[1])  # a slow drawing
    srv = serving.open_server(bundled_project, port=0, workers=1, log=False)
    try:
        srv.start_background()
        first = httpx.get(f"{srv.url}/", timeout=10)
        assert first.status_code == 200 and "being drawn" in first.text  # the server did not wait for it
        assert httpx.get(f"{srv.url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10).json()["boolean"]
        ready.set()
        deadline = time.monotonic() + 60
        page = first.text
        while "being drawn" in page and time.monotonic() < deadline:
            time.sleep(0.1)
            page = httpx.get(f"{srv.url}/", timeout=10).text
        assert "being drawn" not in page and "CJNG" in page
    finally:
        srv.close()

"""kg push is atomic against a real Oxigraph server (started here on 127.0.0.1): a push killed
(SIGKILL) at any point leaves every target graph exactly as it was or exactly as pushed, a push
stopped by SIGTERM or failed by the store part-way (a fault-injecting proxy in front of the
store) leaves the targets as they were and no staging graph, and a later push drops the staging
graphs that killed pushes left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import kg
from kg.bench.generate import generate
from kg.export.push import PushError, graphs_to_push, push_dataset, staging_prefix

from _push_servers import FaultProxy, graph_lines, staging_graphs, start_oxigraph, stop

BASE = "https://example.org/gen/"
FACTS = BASE + "graph/facts"
TARGETS = (FACTS, BASE + "graph/computed", BASE + "graph/ontology", BASE + "graph/provenance")
CHUNK = 2000


def _versions(root: Path, old_size: int, new_size: int) -> dict[str, tuple[Path, object]]:
    """An older and a newer version of one dataset (the same graph IRIs), as directories and
    built datasets."""
    out = {}
    for name, size, seed in (("old", old_size, 3), ("new", new_size, 7)):
        generate(root / name, size, seed)
        out[name] = (root / name, kg.build(kg.load(kg.open_project(root / name))))
    return out


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    """~20k triples, then ~50k."""
    return _versions(tmp_path_factory.mktemp("versions"), 20_000, 50_000)


@pytest.fixture(scope="module")
def small_versions(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    """~6k triples, then ~10k: still several chunks."""
    return _versions(tmp_path_factory.mktemp("small"), 6_000, 10_000)


@pytest.fixture
def oxigraph(tmp_path):
    store = start_oxigraph(tmp_path / "db")
    yield store
    stop(store.proc)


def _push(ds, url: str, **kwargs):
    return push_dataset(ds, url, default_graph_iri=FACTS, chunk_size=CHUNK, progress=False, **kwargs)


def _snapshot(store) -> dict[str, frozenset[bytes]]:
    """The N-Triples lines of each target graph, read in ONE request (the whole store as N-Quads:
    one read snapshot), so that a switch committing meanwhile cannot split the reading."""
    answer = httpx.get(store.store_url, headers={"Accept": "application/n-quads"}, timeout=120)
    answer.raise_for_status()
    ends = {t: f" <{t}> .".encode() for t in TARGETS}
    found: dict[str, set[bytes]] = {t: set() for t in TARGETS}
    for line in answer.content.splitlines():
        for t, end in ends.items():
            if line.endswith(end):
                found[t].add(line[:-len(end)] + b" .")
    return {t: frozenset(lines) for t, lines in found.items()}


def _expected(ds) -> dict[str, set]:
    graphs = dict(graphs_to_push(ds))
    return {FACTS: set(graphs["default"]), **{t: set(graphs[t]) for t in TARGETS[1:]}}


def _setup(store, versions) -> tuple[dict, dict]:
    """Push new then old; the store's text of both versions (as many triples as the local graphs)."""
    snaps = {}
    for name in ("new", "old"):
        _push(versions[name][1], store.store_url)
        snaps[name] = _snapshot(store)
        assert {t: len(lines) for t, lines in snaps[name].items()} == \
            {t: len(g) for t, g in _expected(versions[name][1]).items()}, name
    assert snaps["old"] != snaps["new"]
    return snaps["old"], snaps["new"]


def _named_graphs(store) -> set[str]:
    answer = httpx.post(store.query_url, data={"query": "SELECT ?g WHERE { GRAPH ?g { } }"},
                        headers={"Accept": "application/sparql-results+json"}, timeout=30)
    return {b["g"]["value"] for b in answer.json()["results"]["bindings"]}


def _staged(store, graphs: set[str]) -> int:
    if not graphs:
        return 0
    values = " ".join(f"<{g}>" for g in sorted(graphs))
    answer = httpx.post(store.query_url, data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                                                        "GRAPH ?g { ?s ?p ?o } }"},
                        headers={"Accept": "application/sparql-results+json"}, timeout=30)
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def _kg_push(store, data: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", "push", "--to", store.store_url, "--data", str(data),
                             "--default-graph-iri", FACTS, "--chunk-size", str(CHUNK), "--no-shacl", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "KG_PUSH_USER": "", "KG_PUSH_PASSWORD": ""})


def _signal_when(store, proc: subprocess.Popen, known: set[str], fraction: float | None, delay: float,
                 sig: int, total: int) -> float:
    """Send ``sig`` to ``proc`` once its staging graphs hold ``fraction`` of ``total`` triples (None:
    at once), ``delay`` seconds later; return the fraction staged just before the signal."""
    deadline = time.monotonic() + 120
    staged = 0
    while fraction is not None:
        assert proc.poll() is None, proc.communicate()[1].decode()[-2000:]
        assert time.monotonic() < deadline, "the push never staged enough"
        staged = _staged(store, {g for g in _named_graphs(store) - known if g.startswith("urn:kg:staging:")})
        if staged >= fraction * total:
            break
        time.sleep(0.01)
    time.sleep(delay)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    return staged / total


def test_a_killed_push_leaves_the_old_or_the_new_graphs_never_a_mix(oxigraph, versions) -> None:
    old, new = _setup(oxigraph, versions)
    total = sum(len(v) for v in _expected(versions["new"][1]).values())
    outcomes = []
    # None: while it loads and builds; 0.5: half the triples staged; 1.0 + 0.2 s: in the switch
    for fraction, delay in ((None, 0.8), (0.5, 0.0), (1.0, 0.2)):
        if _snapshot(oxigraph) != old:
            _push(versions["old"][1], oxigraph.store_url)
        known = _named_graphs(oxigraph)
        proc = _kg_push(oxigraph, versions["new"][0])
        staged = _signal_when(oxigraph, proc, known, fraction, delay, signal.SIGKILL, total)
        assert proc.returncode == -signal.SIGKILL, (fraction, proc.returncode, proc.stderr.read()[-2000:])
        # A switch sent before the kill goes on in the store: read the targets while it runs, until
        # the staging graphs are gone (it committed) or 8 s have passed (none was sent).
        mine = {g for g in _named_graphs(oxigraph) - known if g.startswith("urn:kg:staging:")}
        deadline = time.monotonic() + (8 if fraction == 1.0 else 0)
        while True:
            state = _snapshot(oxigraph)
            assert state in (old, new), f"killed at {fraction} ({staged:.0%} staged): a mix of old and new"
            if time.monotonic() >= deadline or not mine & _named_graphs(oxigraph):
                break
            time.sleep(0.2)
        state = _snapshot(oxigraph)
        assert state in (old, new), f"killed at {fraction} ({staged:.0%} staged): a mix of old and new"
        left = sorted(g for g in _named_graphs(oxigraph) - known if g.startswith("urn:kg:staging:"))
        outcomes.append((fraction, staged, "old" if state == old else "new", len(left)))
        assert not set(left) & set(TARGETS)
    print("kill outcomes (point, share staged, targets, staging graphs left):", outcomes)
    # the interesting case happened: killed mid-upload, staging graphs left behind, targets old
    assert any(0 < staged < 1 and result == "old" and left for _, staged, result, left in outcomes), outcomes

    # SIGTERM mid-upload: kg push stops between two requests and drops its staging graphs
    _push(versions["old"][1], oxigraph.store_url)
    known = _named_graphs(oxigraph)
    proc = _kg_push(oxigraph, versions["new"][0])
    staged = _signal_when(oxigraph, proc, known, 0.3, 0.0, signal.SIGTERM, total)
    stderr = proc.stderr.read().decode()
    assert 0 < staged < 1 and proc.returncode == 2 and "stopped before the switch" in stderr, (staged, stderr)
    assert _snapshot(oxigraph) == old
    assert {g for g in _named_graphs(oxigraph) - known if g.startswith("urn:kg:staging:")} == set()

    # a later push drops the staging graphs of the same targets left by the killed pushes
    stale = staging_graphs(oxigraph.query_url)
    assert stale and all(g.startswith(tuple(staging_prefix(t) for t in TARGETS)) for g in stale)
    kept = _push(versions["new"][1], oxigraph.store_url, graph=TARGETS[1])  # by default, only those an hour old
    assert kept.stale_dropped == [] and staging_graphs(oxigraph.query_url) == stale
    result = _push(versions["new"][1], oxigraph.store_url, stale_after=0)
    assert sorted(result.stale_dropped) == stale
    assert staging_graphs(oxigraph.query_url) == [] and _snapshot(oxigraph) == new


@pytest.mark.parametrize("status", [500, 503])
def test_a_store_failing_mid_upload_leaves_the_graphs_as_they_were(oxigraph, small_versions, status) -> None:
    versions = small_versions
    old, _ = _setup(oxigraph, versions)
    base = oxigraph.store_url.rsplit("/", 1)[0]
    # the proxy answers `status` to the 3rd chunk, and to every retry of it
    with FaultProxy(base, lambda r: status if r.upload >= 3 else None) as proxy:
        with pytest.raises(PushError, match=f"HTTP {status}"):
            _push(versions["new"][1], proxy.base + "/store", retries=1)
        assert proxy.uploads == (3 if status == 500 else 4)
    assert _snapshot(oxigraph) == old
    assert staging_graphs(oxigraph.query_url) == []


def test_a_failed_switch_leaves_the_graphs_as_they_were(oxigraph, small_versions) -> None:
    versions = small_versions
    old, _ = _setup(oxigraph, versions)
    base = oxigraph.store_url.rsplit("/", 1)[0]
    with FaultProxy(base, lambda r: 500 if b"MOVE" in r.body else None) as proxy:
        with pytest.raises(PushError, match="HTTP 500"):
            _push(versions["new"][1], proxy.base + "/store")
        assert [c for c in proxy.calls if c[2] == 500] == [("POST", "/update", 500)]  # never resent
    assert _snapshot(oxigraph) == old
    assert staging_graphs(oxigraph.query_url) == []


def test_a_switch_without_answer_is_reported_not_resent(oxigraph, make_dataset) -> None:
    ds = kg.build(kg.load(kg.open_project(make_dataset())))
    target = "https://example.org/test/unanswered"
    base = oxigraph.store_url.rsplit("/", 1)[0]
    # the store gets the MOVE and does it, but its answer comes after the client stopped waiting
    with FaultProxy(base, lambda r: 2.0 if b"MOVE" in r.body else None) as proxy:
        with pytest.raises(PushError, match="whether the switch happened is unknown"):
            push_dataset(ds, proxy.base + "/store", graph="default", default_graph_iri=target, timeout=0.5,
                         progress=False)
        time.sleep(0.5)
        moves = [c for c in proxy.calls if c[1] == "/update"]
    assert len(moves) == 1  # the preflight DROP; the MOVE is still held by the proxy, and never resent
    time.sleep(2.0)
    # whole: the new graph
    assert len(graph_lines(oxigraph.store_url, target)) == len(dict(graphs_to_push(ds))["default"])

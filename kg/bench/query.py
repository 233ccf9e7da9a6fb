"""Benchmark of the named questions (queries/*.rq) on generated data of 100k and 1M triples.

    .venv/bin/python python -m kg.bench.query                          # 100k and 1M triples
    .venv/bin/python python -m kg.bench.query --sizes 100k --repeat 3 --json out.json

For each size, a dataset is generated with ``kg.bench.generate.generate`` (deterministic) and built
once through the Python API (``kg.query.open_engine``). Every named question is then timed five
ways on the same data in the same run:

- **kg**: ``kg.query.run(engine, name, params=...).rows`` on the prepared engine (every row read as
  rdflib terms);
- **endpoint**: ``kg serve`` started as a subprocess on 127.0.0.1 (free port, one worker, a result
  cap of 10M rows: the cap is counted as in every real use, and no question reaches it), the
  question asked at ``/queries/NAME?param=...`` over one keep-alive HTTP connection, SPARQL JSON
  results read in full. Two differences are reported: endpoint - kg (the API), and what the
  endpoint adds (endpoint - its worker's own time on the query, from the ``Server-Timing`` header
  the endpoint sends: HTTP, dispatch, moving the bytes). The first also holds the worker
  process's own speed on the query, which varies by about 10% from one process to another;
- **pyoxigraph**: a ``pyoxigraph.Store`` bulk-loaded with the same N-Quads, default graph as the
  union, every solution read;
- **oxrdflib**: rdflib's API over an Oxigraph store (``Dataset(store="Oxigraph",
  default_union=True)``, loaded with oxrdflib's ``ox-nquads`` parser), ``ds.query(text,
  initBindings=...)``, every row read: the third store the issue names;
- **rdflib**: an in-memory ``rdflib.Dataset(default_union=True)`` parsed from the same N-Quads,
  ``ds.query(text, initBindings=...)``, every row read. It runs in a separate process that
  forks one child per question; a child still running after ``--cap`` seconds (60) is killed and
  the time is reported as "> 60 s".

Times are medians of ``--repeat`` runs after one warm-up run, the kg, endpoint, pyoxigraph and
oxrdflib runs interleaved round by round (rdflib: when its first run takes more than 2 s, that single run is
the figure). Targets (from issue 4): kg within 1.5x of
pyoxigraph, at least 10x faster than rdflib at 1M triples, the endpoint adding at most 10 ms.
Not run by the test suite, except as a small smoke run (tests/test_kg.bench.query).
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset
from rdflib.term import Identifier, Node

import kg
import kg.query
from kg.bench.generate import generate, parse_size
from kg.output.files import write_atomic
from kg.query.named import NamedQuery, named_queries
from kg.query.terms import to_ox

SEED = 7
KG_OX_TARGET = 1.5  # kg time / pyoxigraph time, at most
RDFLIB_KG_TARGET = 10.0  # rdflib time / kg time, at least (judged at 1M triples)
OVERHEAD_TARGET_MS = 10.0  # endpoint time - kg time, at most
RDFLIB_SINGLE_RUN_S = 2.0  # an rdflib first run slower than this is not repeated

#: Parameters for the questions whose defaults name entities of the bundled dataset. Values in
#: angle brackets are looked up in the generated data (see :func:`_lookups`).
PARAMS: dict[str, dict[str, str]] = {
    "actor-relations": {"actor": "data:org0"},
    "entity": {"entity": "data:org0"},
    "events-in-place": {"place": "data:country0"},
    "evidence": {"subject": "data:event0", "object": "<perpetrator of event0>"},
    "find-by-name": {"name": "<label of org0>"},
    "paths-between": {"from": "data:person0", "to": "<group of person0>"},
    "source-claims": {"source": "data:src0"},
    "timeline": {"actor": "data:org0"},
    "who-attributed-what": {"claimant": "data:person0"},
}
_LOOKUPS = {
    # Through the claims: a perpetrator only a claimant names is no fact (README, "Provenance model").
    "<perpetrator of event0>": ("SELECT ?v WHERE { ?c rdf:subject data:event0 ; rdf:predicate kg:perpetrator ; "
                                "rdf:object ?v } ORDER BY ?v LIMIT 1"),
    "<label of org0>": "SELECT ?v WHERE { data:org0 rdfs:label ?v } LIMIT 1",
    "<group of person0>": ("SELECT ?v WHERE { data:person0 kg:memberOf|kg:affiliatedWith ?v } "
                           "ORDER BY ?v LIMIT 1"),
}


# --- results --------------------------------------------------------------------------------


@dataclass
class Timing:
    """One way of answering one question: the median seconds, the rows read, how it went."""

    seconds: float | None = None
    rows: int | None = None
    runs: int = 0
    status: str = "ok"  # ok, timeout, error
    message: str = ""
    worker_ms: float | None = None  # endpoint only: its worker's time on the query (Server-Timing)


@dataclass
class Row:
    """One question at one size, every way."""

    question: str
    size: str
    triples: int
    params: dict[str, str]
    kg: Timing
    endpoint: Timing
    pyoxigraph: Timing
    oxrdflib: Timing = field(default_factory=Timing)
    rdflib: Timing = field(default_factory=Timing)

    @property
    def overhead_ms(self) -> float | None:
        """Endpoint time - kg API time: the endpoint against the API (the query runs in another
        process, so this also holds that process's own speed on the query)."""
        if self.endpoint.seconds is None or self.kg.seconds is None:
            return None
        return (self.endpoint.seconds - self.kg.seconds) * 1000

    @property
    def endpoint_adds_ms(self) -> float | None:
        """Endpoint time - its worker's own time on the query (Server-Timing): what the endpoint
        adds to running the query and writing the result (HTTP, dispatch, moving the bytes)."""
        if self.endpoint.seconds is None or self.endpoint.worker_ms is None:
            return None
        return self.endpoint.seconds * 1000 - self.endpoint.worker_ms

    @property
    def kg_vs_pyoxigraph(self) -> float | None:
        if self.kg.seconds is None or not self.pyoxigraph.seconds:
            return None
        return self.kg.seconds / self.pyoxigraph.seconds

    @property
    def rdflib_vs_kg(self) -> float | None:
        """rdflib / kg; for an rdflib timeout, the cap / kg (a lower bound)."""
        if self.rdflib.seconds is None or not self.kg.seconds:
            return None
        return self.rdflib.seconds / self.kg.seconds

    @property
    def rows_agree(self) -> bool:
        counts = {t.rows for t in (self.kg, self.endpoint, self.pyoxigraph, self.oxrdflib, self.rdflib)
                  if t.status == "ok" and t.rows is not None}
        return len(counts) <= 1

    def to_dict(self) -> dict[str, Any]:
        doc = asdict(self)
        doc.update(overhead_ms=self.overhead_ms, endpoint_adds_ms=self.endpoint_adds_ms,
                   kg_vs_pyoxigraph=self.kg_vs_pyoxigraph,
                   rdflib_vs_kg=self.rdflib_vs_kg, rdflib_vs_kg_is_lower_bound=self.rdflib.status == "timeout",
                   rows_agree=self.rows_agree)
        return doc


def _measure_together(runs: Mapping[str, Callable[[], int]], repeat: int) -> dict[str, Timing]:
    """The median of ``repeat`` timed runs of each way of answering one question, after one
    warm-up run each; each run returns the rows it read. The runs are interleaved (one run of each
    way per round), so that a change in the machine's load does not show up as a difference
    between two ways."""
    timings: dict[str, Timing] = {}
    times: dict[str, list[float]] = {name: [] for name in runs}
    rows: dict[str, int] = {}
    for name, run in runs.items():  # warm-up
        try:
            rows[name] = run()
        except Exception as exc:  # noqa: BLE001 - a failing way is reported in its cell, the rest goes on
            timings[name] = Timing(status="error", message=f"{type(exc).__name__}: {exc}"[:300])
    for _ in range(max(1, repeat)):
        for name, run in runs.items():
            if name in timings:
                continue
            start = time.perf_counter()
            try:
                rows[name] = run()
            except Exception as exc:  # noqa: BLE001
                timings[name] = Timing(status="error", message=f"{type(exc).__name__}: {exc}"[:300])
                continue
            times[name].append(time.perf_counter() - start)
    for name in runs:
        if name not in timings:
            timings[name] = Timing(statistics.median(times[name]), rows[name], len(times[name]))
    return timings


# --- the four ways --------------------------------------------------------------------------


def _ox_rows(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> int:
    """Read every solution (or triple) of a pyoxigraph answer, as a client would."""
    if isinstance(answer, ox.QueryBoolean):
        return 1
    n = 0
    if isinstance(answer, ox.QuerySolutions):
        for solution in answer:
            tuple(solution)
            n += 1
        return n
    for _triple in answer:  # QueryTriples
        n += 1
    return n


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _ServeProcess:
    """``kg serve`` over a dataset directory, in a subprocess on 127.0.0.1."""

    def __init__(self, data_dir: Path, timeout: float) -> None:
        self.port = _free_port()
        cmd = [sys.executable, "-m", "kg", "serve", "--data", str(data_dir), "--host", "127.0.0.1",
               "--port", str(self.port), "--workers", "1", "--max-rows", "10000000", "--timeout", str(timeout), "-q"]
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - kept open for the process's life, closed in close()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log)
        self.conn: http.client.HTTPConnection | None = None
        self.worker_ms: float | None = None  # the last answer's Server-Timing: the worker's own time

    def wait_ready(self, limit: float = 900.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                status, _ = self.get("/status")
                if status == 200:
                    return
            except OSError:
                self.conn = None
            time.sleep(0.2)
        self.log.seek(0)
        raise RuntimeError(f"kg serve did not start: {self.log.read().decode(errors='replace')[-2000:]}")

    def get(self, path: str) -> tuple[int, bytes]:
        """One GET on the kept-alive connection (reconnecting if the server closed it)."""
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            conn = self.conn
            try:
                conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                body = response.read()
                timing = re.search(r"query;dur=([0-9.]+)", response.getheader("Server-Timing", ""))
                self.worker_ms = float(timing.group(1)) if timing else None
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    self.conn = None
                return response.status, body
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def _endpoint_runner(serve: _ServeProcess, name: str, params: Mapping[str, str]) -> _Getter:
    path = f"/queries/{urllib.parse.quote(name)}"
    if params:
        path += "?" + urllib.parse.urlencode(params)
    return _Getter(serve, path)


class _Getter:
    """One timed GET of ``path`` per call; the last body and the worker's times are kept, so that
    rows are counted outside the timed runs."""

    def __init__(self, serve: _ServeProcess, path: str) -> None:
        self.serve = serve
        self.path = path
        self.body = b""
        self.worker_ms: list[float | None] = []

    def __call__(self) -> int:
        status, body = self.serve.get(self.path)
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {body[:200].decode(errors='replace')}")
        self.body = body
        self.worker_ms.append(self.serve.worker_ms)
        return -1


def _endpoint_rows(run: _Getter, timing: Timing) -> Timing:
    """Count the rows of the endpoint's last answer (outside the timed runs), and note the median
    of its worker's own times (Server-Timing) over the timed runs."""
    worker = [ms for ms in run.worker_ms[1:] if ms is not None]
    timing.worker_ms = statistics.median(worker) if worker else None
    if timing.status == "ok":
        doc = json.loads(run.body)
        timing.rows = len(doc["results"]["bindings"]) if "results" in doc else 1
    return timing


def _rdflib_child(ds: Any, text: str, bindings: dict[str, Node], repeat: int, conn: Any) -> None:
    """In a forked child of the rdflib process: time one question, sending each run's time."""
    try:
        start = time.perf_counter()
        rows = sum(1 for _ in ds.query(text, initBindings=bindings))
        first = time.perf_counter() - start
        conn.send(("first", first, rows))
        if first <= RDFLIB_SINGLE_RUN_S:
            for _ in range(max(1, repeat)):
                start = time.perf_counter()
                rows = sum(1 for _ in ds.query(text, initBindings=bindings))
                conn.send(("run", time.perf_counter() - start, rows))
        conn.send(("done", 0.0, rows))
    except Exception as exc:  # noqa: BLE001 - reported in the table
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:300], 0))
    conn.close()


def _rdflib_process(conn: Any, nquads: str, cap: float) -> None:
    """The rdflib side: parse the N-Quads once, then fork a child per question (killed at ``cap``)."""
    from rdflib import Dataset

    start = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(nquads, format="nquads")
    conn.send({"load_seconds": time.perf_counter() - start, "quads": len(ds)})
    gc.collect()
    fork = multiprocessing.get_context("fork")
    while True:
        task = conn.recv()
        if task is None:
            return
        text, bindings, repeat = task
        receiver, sender = fork.Pipe(duplex=False)
        child = fork.Process(target=_rdflib_child, args=(ds, text, bindings, repeat, sender), daemon=True)
        child.start()
        sender.close()
        first: float | None = None
        times: list[float] = []
        rows: int | None = None
        status, message = "ok", ""
        while True:
            if not receiver.poll(cap):
                status, message = "timeout", f"> {cap:g} s"
                child.kill()
                break
            try:
                kind, value, count = receiver.recv()
            except EOFError:
                status, message = "error", "the rdflib process died"
                break
            if kind == "first":
                first, rows = value, count
            elif kind == "run":
                times.append(value)
                rows = count
            elif kind == "error":
                status, message = "error", value
                break
            else:
                break
        child.join(10)
        receiver.close()
        if status == "timeout":
            conn.send(asdict(Timing(cap, None, 1 if first is None else 1 + len(times), status, message)))
        elif status == "error":
            conn.send(asdict(Timing(None, None, 0, status, message)))
        else:
            seconds = statistics.median(times) if times else first
            conn.send(asdict(Timing(seconds, rows, len(times) or 1)))


# --- the run --------------------------------------------------------------------------------


def _lookups(engine: kg.query.Engine, wanted: Mapping[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Replace ``<...>`` placeholders with values found in the generated data."""
    resolved: dict[str, dict[str, str]] = {}
    for name, params in wanted.items():
        resolved[name] = {}
        for key, value in params.items():
            if value in _LOOKUPS:
                rows = engine.query(_LOOKUPS[value]).rows
                if not rows:
                    raise RuntimeError(f"{name}: nothing in the generated data for {value}")
                term = rows[0]["v"]
                value = f"<{term}>" if not hasattr(term, "language") else str(term)
            resolved[name][key] = value
    return resolved


@dataclass
class _InMemory:
    """What :func:`_time_in_memory` measured: the rows, and what the rdflib run needs after."""

    rows: list[Row]
    fixed: Row
    bound: dict[str, dict[str, Node]]
    nquads: Path
    build_seconds: float
    ox_load_seconds: float
    oxrdflib_load_seconds: float


def bench_size(size: str, *, workdir: Path, repeat: int, cap: float, questions: list[str] | None = None,
               log: Callable[[str], None] = print) -> dict[str, Any]:
    """Generate, build and time every named question at one size; the JSON-ready result."""
    triples = parse_size(size)
    data_dir = workdir / f"gen-{triples}"
    if not (data_dir / "kg.toml").is_file():
        generate(data_dir, triples, SEED)
    named = named_queries()
    names = [n for n in named if questions is None or n in questions]
    log(f"[{size}] starting kg serve (it builds the dataset itself)")
    serve = _ServeProcess(data_dir, timeout=max(cap, 120.0))
    try:
        measured = _time_in_memory(serve, data_dir, workdir / f"gen-{triples}.nq", size, named, names, repeat, log)
    finally:
        serve.close()
    gc.collect()  # the engine and the two stores are gone with _time_in_memory's frame: free them first
    rows = measured.rows
    rdflib_load = _run_rdflib(rows, measured.bound, named, measured.nquads, repeat, cap, size, log)
    measured.nquads.unlink()
    return {"size": size, "triples": rows[0].triples if rows else 0, "build_seconds": measured.build_seconds,
            "pyoxigraph_load_seconds": measured.ox_load_seconds,
            "oxrdflib_load_seconds": measured.oxrdflib_load_seconds,
            "rdflib_load_seconds": rdflib_load,
            "fixed_cost": measured.fixed.to_dict(), "questions": [r.to_dict() for r in rows]}


def _time_in_memory(serve: _ServeProcess, data_dir: Path, nquads_path: Path, size: str,
                    named: Mapping[str, NamedQuery], names: list[str], repeat: int,
                    log: Callable[[str], None]) -> _InMemory:
    """Build the engine and load the two Oxigraph stores, then time every question the kg,
    pyoxigraph, endpoint and oxrdflib ways. The engine and stores live only in this call."""
    start = time.perf_counter()
    engine = kg.query.open_engine(kg.open_project(data_dir))
    build_seconds = time.perf_counter() - start
    gc.collect()
    nquads = engine.write_nquads(nquads_path)
    start = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    ox_load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    oxrdf = Dataset(store="Oxigraph", default_union=True)  # oxrdflib: rdflib's API, Oxigraph inside
    oxrdf.parse(str(nquads), format="ox-nquads")
    oxrdflib_load_seconds = time.perf_counter() - start
    log(f"[{size}] {len(engine)} quads; load+build+index {build_seconds:.1f} s, "
        f"pyoxigraph bulk load {ox_load_seconds:.1f} s, oxrdflib load {oxrdflib_load_seconds:.1f} s")
    params = _lookups(engine, {n: PARAMS.get(n, {}) for n in names})
    serve.wait_ready()
    ask = "ASK {}"
    fixed_ask = _fixed_endpoint(serve, ask)
    fixed_t = _measure_together({"kg": lambda: len(engine.query(ask)),
                                 "pyoxigraph": lambda: _ox_rows(store.query(ask)),
                                 "endpoint": fixed_ask}, repeat)
    fixed = Row("(ASK {}: fixed cost)", size, len(engine), {}, fixed_t["kg"],
                _endpoint_rows(fixed_ask, fixed_t["endpoint"]), fixed_t["pyoxigraph"])
    rows: list[Row] = []
    bound: dict[str, dict[str, Node]] = {}
    for name in names:
        nq: NamedQuery = named[name]
        bound[name] = nq.bind(params[name], engine.prefixes, engine.base)
        endpoint = _endpoint_runner(serve, name, params[name])
        timings = _measure_together(
            _question_runs(engine, store, oxrdf, nq, params[name], bound[name], endpoint), repeat)
        kg_t, ox_t = timings["kg"], timings["pyoxigraph"]
        ep_t = _endpoint_rows(endpoint, timings["endpoint"])
        rows.append(Row(name, size, len(engine), params[name], kg_t, ep_t, ox_t, timings["oxrdflib"]))
        log(f"[{size}] {name}: kg {_ms(kg_t)}, endpoint {_ms(ep_t)}, pyoxigraph {_ms(ox_t)}, "
            f"oxrdflib {_ms(timings['oxrdflib'])} ms")
    return _InMemory(rows, fixed, bound, nquads, build_seconds, ox_load_seconds, oxrdflib_load_seconds)


def _question_runs(engine: kg.query.Engine, store: ox.Store, oxrdf: Dataset, nq: NamedQuery,
                   params: dict[str, str], bound: dict[str, Node], endpoint: _Getter) -> dict[str, Callable[[], int]]:
    """The four in-process ways of answering one question, each returning the rows it read."""
    subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(k): to_ox(v) for k, v in bound.items()}
    bindings = _identifiers(bound)
    return {
        # .rows: every row read as rdflib terms (a result converts its rows on first use)
        "kg": lambda: len(kg.query.run(engine, nq.name, params=params).rows),
        "pyoxigraph": lambda: _ox_rows(store.query(nq.text, use_default_graph_as_union=True,
                                                   substitutions=subs or None)),
        "endpoint": endpoint,
        "oxrdflib": lambda: _count(oxrdf.query(nq.text, initBindings=bindings)),
    }


def _count(rows: Iterable[object]) -> int:
    """Read every row (or triple) of an rdflib result, as a client would; how many."""
    return sum(1 for _ in rows)


def _identifiers(bound: Mapping[str, Node]) -> dict[str, Identifier]:
    """Bound parameters as rdflib's ``initBindings`` takes them (each is an IRI or a literal)."""
    out: dict[str, Identifier] = {}
    for name, value in bound.items():
        if not isinstance(value, Identifier):
            raise TypeError(f"parameter {name}: {value!r} is not an IRI or a literal")
        out[name] = value
    return out


def _fixed_endpoint(serve: _ServeProcess, query: str) -> _Getter:
    return _Getter(serve, "/sparql?" + urllib.parse.urlencode({"query": query}))


def _run_rdflib(rows: list[Row], bound: Mapping[str, dict[str, Node]], named: Mapping[str, NamedQuery],
                nquads: Path, repeat: int, cap: float, size: str, log: Callable[[str], None]) -> float:
    """Time every question with rdflib, in its own process; returns rdflib's parse time."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    # Not a daemon: it forks a child per question. Joined (or killed) below.
    proc = ctx.Process(target=_rdflib_process, args=(child, str(nquads), cap))
    proc.start()
    child.close()
    try:
        loaded = parent.recv()
        log(f"[{size}] rdflib parsed {loaded['quads']} quads in {loaded['load_seconds']:.1f} s")
        for row in rows:
            parent.send((named[row.question].text, bound[row.question], repeat))
            row.rdflib = Timing(**parent.recv())
            log(f"[{size}] {row.question}: rdflib {_ms(row.rdflib)} ms")
        parent.send(None)
    except (EOFError, OSError) as exc:
        for row in rows:
            if not row.rdflib.runs and row.rdflib.status == "ok":
                row.rdflib = Timing(status="error", message=f"the rdflib process failed: {exc!r}")
        loaded = {"load_seconds": float("nan")} if "loaded" not in locals() else loaded
    finally:
        proc.join(30)
        if proc.is_alive():
            proc.kill()
            proc.join()
    return float(loaded["load_seconds"])


# --- output ---------------------------------------------------------------------------------


def _ms(t: Timing) -> str:
    if t.status == "timeout":
        return f"> {t.seconds:g} s" if t.seconds is not None else "timeout"
    if t.status != "ok" or t.seconds is None:
        return "error"
    ms = t.seconds * 1000
    return f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def _ratio(value: float | None, lower_bound: bool = False) -> str:
    if value is None:
        return "-"
    text = f"{value:.2f}" if value < 10 else f"{value:.0f}"
    return f"> {text}" if lower_bound else text


def table(results: list[dict[str, Any]]) -> str:
    """A Markdown table of every question at every size (times in ms, medians)."""
    head = ("| question | triples | rows | kg ms | endpoint ms | endpoint - kg ms | endpoint adds ms "
            "| pyoxigraph ms | oxrdflib ms | rdflib ms | kg/pyoxigraph | rdflib/kg | misses |")
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for result in results:
        for doc in [*result["questions"], result["fixed_cost"]]:
            row = _row_from(doc)
            misses = []
            named = doc is not result["fixed_cost"]  # the targets are for the named questions
            if named and row.kg_vs_pyoxigraph is not None and row.kg_vs_pyoxigraph > KG_OX_TARGET:
                misses.append("kg/ox")
            if row.endpoint_adds_ms is not None and row.endpoint_adds_ms > OVERHEAD_TARGET_MS:
                misses.append("endpoint adds")
            if (row.rdflib.status == "ok" and row.rdflib_vs_kg is not None and row.rdflib_vs_kg < RDFLIB_KG_TARGET
                    and row.triples >= 900_000):
                misses.append("rdflib/kg")
            if not row.rows_agree:
                misses.append("rows differ")
            rdflib_ms = _ms(row.rdflib) if row.rdflib.runs or row.rdflib.status != "ok" else "-"
            overhead = f"{row.overhead_ms:.1f}" if row.overhead_ms is not None else "-"
            adds = f"{row.endpoint_adds_ms:.1f}" if row.endpoint_adds_ms is not None else "-"
            oxrdflib_ms = _ms(row.oxrdflib) if row.oxrdflib.runs else "-"
            lines.append(f"| {row.question} | {result['size']} | {row.kg.rows if row.kg.rows is not None else '-'} "
                         f"| {_ms(row.kg)} | {_ms(row.endpoint)} | {overhead} | {adds} | {_ms(row.pyoxigraph)} "
                         f"| {oxrdflib_ms} | {rdflib_ms} | {_ratio(row.kg_vs_pyoxigraph)} "
                         f"| {_ratio(row.rdflib_vs_kg, row.rdflib.status == 'timeout')} | {', '.join(misses)} |")
    return "\n".join(lines)


def _row_from(doc: Mapping[str, Any]) -> Row:
    return Row(doc["question"], doc["size"], doc["triples"], doc["params"], Timing(**doc["kg"]),
               Timing(**doc["endpoint"]), Timing(**doc["pyoxigraph"]), Timing(**doc.get("oxrdflib", {})),
               Timing(**doc["rdflib"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100k,1M", help="comma-separated sizes in triples (100k,1M)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per question after a warm-up (5)")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds an rdflib run may take (60)")
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    parser.add_argument("--workdir", type=Path, help="where generated datasets go (default: a temporary directory)")
    parser.add_argument("--questions", help="comma-separated question names (default: every named question)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    questions = [q.strip() for q in args.questions.split(",")] if args.questions else None
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-query-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results = []
    try:
        for size in sizes:
            results.append(bench_size(size, workdir=workdir, repeat=args.repeat, cap=args.cap,
                                      questions=questions, log=log))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(results))
    for r in results:
        print(f"\n{r['size']} ({r['triples']} quads): load+build+index {r['build_seconds']:.1f} s, "
              f"pyoxigraph bulk load {r['pyoxigraph_load_seconds']:.1f} s, "
              f"oxrdflib load {r['oxrdflib_load_seconds']:.1f} s, rdflib parse {r['rdflib_load_seconds']:.1f} s")
    if args.json:
        doc = {"repeat": args.repeat, "rdflib_cap_seconds": args.cap, "seed": SEED,
               "targets": {"kg_vs_pyoxigraph_max": KG_OX_TARGET, "rdflib_vs_kg_min_at_1M": RDFLIB_KG_TARGET,
                           "endpoint_overhead_ms_max": OVERHEAD_TARGET_MS},
               "cpus": os.cpu_count(), "python": sys.version.split()[0], "pyoxigraph": ox.__version__,
               "rdflib": __import__("rdflib").__version__, "results": results}
        write_atomic(args.json, (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the exports (kg.export) and of the push to a real Oxigraph server.

    .venv/bin/python python -m kg.bench.export                              # 100k and 1M triples
    .venv/bin/python python -m kg.bench.export --sizes 100k --repeat 5 --json out.json

For each size, a dataset is generated with ``kg.bench.generate.generate`` (deterministic, seed 7)
and built once through the Python API (``kg.open_project``, ``kg.load``, ``kg.build``). Then, in
the same run, on the same rdflib Dataset:

- **exports**: every format of :data:`kg.export.EXPORTS` written with
  :func:`kg.export.write_export` (dump and atomic write, fsync included); the median time of the
  repeats and the size of the output (all files of a directory format);
- **push**: :func:`kg.export.push.push_dataset` (what ``kg push`` does: every graph into a
  staging graph, in chunks, a ``COUNT`` of each, one update that moves them all (``MOVE``) to their
  named graphs, and the ``COUNT`` check afterwards) to an ``oxigraph serve`` started on
  127.0.0.1 (a free port) with a fresh temporary ``--location`` for each timed run; the upload,
  the switch and the checks are also reported apart, and so is the client-side chunking alone;
- **oxigraph load**: ``oxigraph load --location DIR --file graph.nt`` of the N-Triples export
  into a fresh directory (no server holding it): Oxigraph's bulk loader, the fastest way in;
- **plain PUT**: the whole N-Triples file in one ``PUT /store?graph=...`` with httpx to a fresh
  server (one transaction, no chunking, no check); and the same with Oxigraph's own
  ``no_transaction`` parameter, which puts its bulk loader behind HTTP (not part of the Graph
  Store Protocol, not atomic: shown to tell the HTTP path apart from the transactional write).

Throughput is triples per second, each method counting the triples it loads (the push sends each
graph apart; the N-Triples file merges them, so it can be a few triples shorter). Beside the wall
time, the CPU seconds the work took (the server's from /proc, the client's own; for ``oxigraph
load``, the child's) are reported: on a busy machine they are the steadier figure. Times are
medians of ``--repeat`` runs (default 3) at sizes up to 200k triples and of a third as many
(at least one) above. Not run by the test suite, except as a small smoke run
(tests/test_kg.bench.export). The ``oxigraph`` binary comes from the PyPI package ``oxigraph``
(the ``test`` extra), found beside the running Python or on PATH.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

import kg
from kg.bench.generate import generate, parse_size
from kg.build import Built
from kg.export import EXPORTS, write_export
from kg.export.push import DEFAULT_CHUNK_SIZE, chunk_lines, graphs_to_push, push_dataset
from kg.output.files import write_atomic

T = TypeVar("T")

__all__ = ["OxigraphServer", "bench_size", "find_oxigraph", "main", "repeats_for", "table"]

SEED = 7
LARGE = 200_000  # above this many triples, a third of the repeats
GRAPH = "https://example.org/bench/plain-put"


def find_oxigraph() -> str | None:
    """The ``oxigraph`` binary: beside the running Python (the venv's bin/), else on PATH."""
    return shutil.which("oxigraph", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                          os.environ.get("PATH", "")]))


def repeats_for(triples: int, repeat: int) -> int:
    """Timed runs at this size: ``repeat`` up to 200k triples, a third (at least one) above."""
    return repeat if triples <= LARGE else max(1, repeat // 3)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve`` on 127.0.0.1 (a free port) over a fresh directory; a context manager
    that stops the server (and only it) on exit."""

    def __init__(self, binary: str, location: Path) -> None:
        self.binary = binary
        self.location = location
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.store_url = self.base + "/store"
        self.query_url = self.base + "/query"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> OxigraphServer:
        log = self.location.parent / f"{self.location.name}.log"
        with open(log, "wb") as handle:
            self.proc = subprocess.Popen([self.binary, "serve", "--location", str(self.location),
                                          "--bind", f"127.0.0.1:{self.port}", "--timeout-s", "600"],
                                         stdout=handle, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.proc.returncode}: "
                                   + log.read_text(errors="replace")[-2000:])
            try:
                httpx.get(self.base + "/", timeout=1.0)
                return self
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    raise RuntimeError(f"oxigraph serve did not answer {self.base} within 30 s") from None
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def cpu(self) -> float:
        """CPU seconds (user + system) the server has used so far (Linux /proc)."""
        if self.proc is None:
            raise RuntimeError("oxigraph serve is not running (use OxigraphServer in a with block)")
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def count(self, graph: str) -> int:
        """Triples in one named graph."""
        response = httpx.post(self.query_url, timeout=600, headers={"Accept": "application/sparql-results+json"},
                              data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"})
        response.raise_for_status()
        return int(response.json()["results"]["bindings"][0]["n"]["value"])


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _timed(func: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def _chunk_all(ds: Built, chunk: int) -> list[int]:
    """Cut every graph to push into chunks, as ``kg push`` does; the triples per graph."""
    return [sum(n for _, n in chunk_lines(g, chunk)) for _, g in graphs_to_push(ds)]


def _size(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths)


def bench_size(size: str, *, workdir: Path, repeat: int, binary: str, chunk_sizes: list[int],
               formats: list[str] | None = None, log: Callable[[str], None] = lambda m: None) -> dict[str, Any]:
    """Generate, build once, then time every export, the push and the two baselines at one size."""
    target = parse_size(size)
    here = workdir / size
    shutil.rmtree(here, ignore_errors=True)
    here.mkdir(parents=True)
    log(f"[{size}] generating")
    gen_s, generated = _timed(lambda: generate(here / "data", target, SEED))
    log(f"[{size}] building through the Python API")
    project = kg.open_project(here / "data")
    build_s, ds = _timed(lambda: kg.build(kg.load(project)))
    graphs = {name: len(g) for name, g in graphs_to_push(ds)}
    triples = sum(graphs.values())
    runs = repeats_for(triples, repeat)
    result: dict[str, Any] = {"size": size, "target_triples": target, "rows": generated.rows,
                              "triples": triples, "graphs": graphs, "repeat": runs,
                              "generate_seconds": gen_s, "build_seconds": build_s}

    exports: dict[str, dict[str, Any]] = {}
    for fmt in formats or list(EXPORTS):
        exporter = EXPORTS[fmt]
        out = here / "exports" / exporter.default_name
        times: list[float] = []
        files: list[Path] = []
        for _ in range(runs):
            if out.is_dir():
                shutil.rmtree(out)
            seconds, files = _timed(functools.partial(write_export, ds, fmt, out))
            times.append(seconds)
        exports[fmt] = {"seconds": _median(times), "runs": times, "bytes": _size(files), "files": len(files)}
        log(f"[{size}] export {fmt}: {exports[fmt]['seconds']:.2f} s, {exports[fmt]['bytes'] / 1e6:.1f} MB")
    result["exports"] = exports

    nt = here / "exports" / "graph.nt"
    if "nt" not in exports:
        write_export(ds, "nt", nt)
    nt_bytes = nt.read_bytes()
    nt_triples = nt_bytes.count(b"\n")
    result["nt_triples"] = nt_triples

    def location(tag: str) -> Path:
        path = Path(tempfile.mkdtemp(prefix=f"{tag}-", dir=here))
        path.rmdir()  # oxigraph creates it
        return path

    loads: dict[str, dict[str, Any]] = {}

    def record(name: str, count: int, runs_: list[dict[str, float]], **extra: Any) -> None:
        loads[name] = {"triples": count, **{k: _median([r[k] for r in runs_]) for k in runs_[0]},
                       "runs": [r["seconds"] for r in runs_], **extra}
        log(f"[{size}] {name}: {loads[name]['seconds']:.2f} s")

    # kg push, as `kg push` does it (chunks, then the COUNT check), to a fresh server each run.
    for chunk in chunk_sizes:
        runs_, requests = [], 0
        for _ in range(runs):
            with OxigraphServer(binary, location("push")) as server:
                server_cpu, client_cpu = server.cpu(), time.process_time()
                seconds, pushed = _timed(functools.partial(push_dataset, ds, server.store_url, chunk_size=chunk,
                                                           progress=False))
                server_cpu, client_cpu = server.cpu() - server_cpu, time.process_time() - client_cpu
            if any(g.stored != g.sent for g in pushed.graphs):
                raise RuntimeError(f"push at {size}: the store does not hold what was sent")
            runs_.append({"seconds": seconds, "cpu_seconds": server_cpu + client_cpu, "server_cpu_seconds": server_cpu,
                          "client_cpu_seconds": client_cpu, "upload_seconds": pushed.upload_seconds,
                          "verify_seconds": pushed.verify_seconds, "switch_seconds": pushed.switch_seconds})
            requests = pushed.requests
        chunking = _median([_timed(functools.partial(_chunk_all, ds, chunk))[0] for _ in range(runs)])
        record(f"kg push (chunk {chunk})", triples, runs_, requests=requests, chunk_size=chunk,
               chunking_seconds=chunking)

    # oxigraph load: the bulk loader, into a fresh directory no server holds.
    runs_ = []
    for _ in range(runs):
        where = location("load")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, proc = _timed(functools.partial(subprocess.run,
                                                 [binary, "load", "--location", str(where), "--file", str(nt)],
                                                 capture_output=True, text=True))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise RuntimeError(f"oxigraph load failed: {proc.stderr[-2000:]}")
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        runs_.append({"seconds": seconds, "cpu_seconds": cpu, "server_cpu_seconds": cpu})
        shutil.rmtree(where, ignore_errors=True)
    record("oxigraph load", nt_triples, runs_)

    # A plain PUT of the whole N-Triples file, one request, to a fresh server each run; then the
    # same with Oxigraph's own `no_transaction` parameter (its bulk loader behind HTTP).
    for name, params in (("plain PUT", {"graph": GRAPH}),
                         ("plain PUT ?no_transaction", {"graph": GRAPH, "no_transaction": ""})):
        runs_ = []
        for _ in range(runs):
            with OxigraphServer(binary, location("put")) as server, httpx.Client(timeout=3600) as client:
                def put(client: httpx.Client = client, url: str = server.store_url,
                        params: dict[str, str] = params) -> None:
                    client.put(url, params=params, content=nt_bytes,
                               headers={"Content-Type": "application/n-triples"}).raise_for_status()
                server_cpu, client_cpu = server.cpu(), time.process_time()
                seconds, _ = _timed(put)
                server_cpu, client_cpu = server.cpu() - server_cpu, time.process_time() - client_cpu
                if server.count(GRAPH) != nt_triples:
                    raise RuntimeError(f"{name} at {size}: the store does not hold the file's triples")
            runs_.append({"seconds": seconds, "cpu_seconds": server_cpu + client_cpu,
                          "server_cpu_seconds": server_cpu, "client_cpu_seconds": client_cpu})
        record(name, nt_triples, runs_)

    for entry in loads.values():
        entry["triples_per_second"] = entry["triples"] / entry["seconds"]
    reference = loads["oxigraph load"]
    for entry in loads.values():
        entry["vs_oxigraph_load"] = entry["triples_per_second"] / reference["triples_per_second"]
        # CPU per triple, as a multiple of oxigraph load's: steadier than wall time on a busy machine
        entry["cpu_vs_oxigraph_load"] = ((entry["cpu_seconds"] / entry["triples"])
                                         / (reference["cpu_seconds"] / reference["triples"]))
    result["loads"] = loads
    shutil.rmtree(here, ignore_errors=True)
    return result


def table(results: list[dict[str, Any]]) -> str:
    """The results as Markdown tables: exports, then loads."""
    lines = ["| size | format | median s | size MB |", "|---|---|---:|---:|"]
    for r in results:
        for fmt, e in r["exports"].items():
            lines.append(f"| {r['size']} | {fmt} | {e['seconds']:.2f} | {e['bytes'] / 1e6:.1f} |")
    lines += ["", "| size | load into Oxigraph | triples | median s | triples/s | vs oxigraph load "
              "| CPU s (server+client) | CPU vs oxigraph load |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        for name, e in r["loads"].items():
            lines.append(f"| {r['size']} | {name} | {e['triples']} | {e['seconds']:.2f} | "
                         f"{e['triples_per_second']:,.0f} | {e['vs_oxigraph_load']:.2f}x | "
                         f"{e['cpu_seconds']:.2f} | {e['cpu_vs_oxigraph_load']:.1f}x |")
    notes = []
    for r in results:
        for name, e in r["loads"].items():
            if "upload_seconds" in e:
                notes.append(f"{r['size']} {name}: {e['requests']} requests; upload {e['upload_seconds']:.2f} s "
                             f"(client-side chunking alone {e['chunking_seconds']:.2f} s), "
                             f"switch (one MOVE per graph, one update) {e.get('switch_seconds', 0.0):.2f} s, "
                             f"COUNT checks {e['verify_seconds']:.2f} s; CPU: server "
                             f"{e['server_cpu_seconds']:.2f} s, client {e['client_cpu_seconds']:.2f} s")
        notes.append(f"{r['size']}: {r['triples']} triples ({r['nt_triples']} in graph.nt), built in "
                     f"{r['build_seconds']:.1f} s; medians of {r['repeat']} run(s)")
    return "\n".join(lines + [""] + notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100k,1M", help="comma-separated sizes in triples (100k,1M)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs per measurement up to 200k triples; a third as many above (3)")
    parser.add_argument("--chunk-sizes", default=str(DEFAULT_CHUNK_SIZE),
                        help=f"comma-separated push chunk sizes to time ({DEFAULT_CHUNK_SIZE}, the default)")
    parser.add_argument("--formats", help="comma-separated export formats (default: all)")
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    parser.add_argument("--workdir", type=Path, help="where datasets and stores go (default: a temporary directory)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    try:
        sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
        [parse_size(s) for s in sizes]
        chunk_sizes = [int(parse_size(c)) for c in args.chunk_sizes.split(",") if c.strip()]
    except ValueError as exc:
        parser.error(f"bad size: {exc}")
    if not sizes or not chunk_sizes or min(chunk_sizes) < 1:
        parser.error("give at least one size and chunk sizes of at least 1")
    formats = [f.strip() for f in args.formats.split(",")] if args.formats else None
    for fmt in formats or []:
        if fmt not in EXPORTS:
            parser.error(f"unknown format {fmt!r}; choose from {', '.join(EXPORTS)}")
    binary = find_oxigraph()
    if binary is None:
        print("error: the oxigraph binary is not installed (pip install oxigraph==0.5.13)", file=sys.stderr)
        return 2
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-export-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results = []
    load_before = os.getloadavg()
    try:
        for size in sizes:
            results.append(bench_size(size, workdir=workdir, repeat=args.repeat, binary=binary,
                                      chunk_sizes=chunk_sizes, formats=formats, log=log))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(results))
    if args.json:
        doc = {"seed": SEED, "repeat": args.repeat, "oxigraph": version, "cpus": os.cpu_count(),
               "python": sys.version.split()[0], "rdflib": __import__("rdflib").__version__,
               "loadavg_before": load_before, "loadavg_after": os.getloadavg(), "results": results}
        write_atomic(args.json, (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The bench's stages, each run in a fresh child process (``python -m kg.bench.stages NAME DATA
WORK``) so that its peak memory is its own. Each prints one JSON object: seconds per step."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["STAGES", "run_stage"]

KG_FORMATS = ("ttl", "nt", "jsonld", "rdf", "trig", "nq")


class _Clock:
    def __init__(self) -> None:
        self.steps: dict[str, float] = {}
        self.extra: dict[str, object] = {}

    def __call__(self, name: str, func: Callable, *args, **kwargs):
        start = time.perf_counter()
        value = func(*args, **kwargs)
        self.steps[name] = self.steps.get(name, 0.0) + time.perf_counter() - start
        return value


def _project(data: Path):
    import kg

    return kg.open_project(data)


def stage_kg_steps(data: Path, work: Path, clock: _Clock) -> None:
    """kg's build, step by step: load, record checks, quads, SHACL, each format (to files)."""
    import kg
    from kg.build import from_resolved
    from kg.check import resolve
    from kg.output.rdf import write
    from kg.shapes import shacl_issues_quads

    project = _project(data)
    records = clock("load", kg.load, project)
    resolved = clock("record checks", resolve, records)
    built = clock("build", from_resolved, resolved, project.prefixes)
    issues = clock("shacl", shacl_issues_quads, built.quads, resolved)
    out = work / "kg-steps"
    for fmt in KG_FORMATS:
        clock(f"write {fmt}", write, built, fmt, out / f"graph.{fmt}")
    clock.extra.update(triples=len(built), shacl_results=len(issues), claims=len(resolved.claims))


def stage_kg_build(data: Path, work: Path, clock: _Clock) -> None:
    """``kg build`` end to end (every RDF format and the report; the explorer page apart)."""
    import kg

    result = clock("kg build", kg.run_build, _project(data), work / "out", html=False)
    clock.extra.update(triples=sum(result.summary["triples"].values()))


def stage_kg_build_no_shacl(data: Path, work: Path, clock: _Clock) -> None:
    """``kg build --no-shacl`` end to end."""
    import kg

    clock("kg build --no-shacl", kg.run_build, _project(data), work / "out-noshacl", html=False, shacl=False)


def stage_pyshacl(data: Path, work: Path, clock: _Clock) -> None:
    """The SHACL shapes with pySHACL (the reference), on the same quads."""
    import kg
    from kg.build import from_resolved
    from kg.check import resolve
    from kg.shapes import shacl_issues_quads

    project = _project(data)
    resolved = resolve(kg.load(project))
    built = from_resolved(resolved, project.prefixes)
    clock("shacl (pySHACL)", shacl_issues_quads, built.quads, resolved, engine="pyshacl")


def stage_rdflib(data: Path, work: Path, clock: _Clock) -> None:
    """Plain rdflib: parse kg's N-Triples (one graph) and N-Quads (the dataset) into its in-memory
    store, serialize every format with rdflib's writers."""
    from rdflib import Dataset, Graph

    out = work / "out"
    graph = Graph()
    clock("parse nt", graph.parse, out / "graph.nt", format="nt")
    for fmt, name in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")):
        clock(f"write {fmt}", graph.serialize, work / f"rdflib.{fmt}", format=name, encoding="utf-8")
    del graph
    ds = Dataset()
    clock("parse nq", ds.parse, out / "graph.nq", format="nquads")
    for fmt, name in (("trig", "trig"), ("nq", "nquads")):
        clock(f"write {fmt}", ds.serialize, work / f"rdflib.{fmt}", format=name, encoding="utf-8")


def stage_pyoxigraph(data: Path, work: Path, clock: _Clock) -> None:
    """pyoxigraph: bulk-load kg's N-Triples and N-Quads into in-memory stores, dump every format."""
    import pyoxigraph as ox

    out = work / "out"
    store = ox.Store()
    clock("load nt", store.bulk_load, path=out / "graph.nt", format=ox.RdfFormat.N_TRIPLES)
    for fmt, f in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                   ("jsonld", ox.RdfFormat.JSON_LD), ("rdf", ox.RdfFormat.RDF_XML)):
        clock(f"write {fmt}", store.dump, work / f"ox.{fmt}", format=f, from_graph=ox.DefaultGraph())
    del store
    store = ox.Store()
    clock("load nq", store.bulk_load, path=out / "graph.nq", format=ox.RdfFormat.N_QUADS)
    for fmt, f in (("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS)):
        clock(f"write {fmt}", store.dump, work / f"ox.{fmt}", format=f)


def stage_dataset(data: Path, work: Path, clock: _Clock) -> None:
    """What an rdflib Dataset costs beside kg's own built value: ``kg.build`` (the Built every
    stage reads) and ``Built.to_rdflib()`` (made only when a caller asks for one)."""
    import kg

    records = kg.load(_project(data))
    built = clock("kg.build (Built)", kg.build, records)
    clock("Built.to_rdflib() (rdflib Dataset)", built.to_rdflib)


def stage_sparql(data: Path, work: Path, clock: _Clock) -> None:
    """Every saved SPARQL question (with its default parameters) on the built graph.nq."""
    from kg.query import named_queries, run
    from kg.query.engine import Engine

    project = _project(data)
    engine = clock("sparql: load graph.nq", Engine.from_nquads, work / "out" / "graph.nq",
                   prefixes=project.prefixes, base=project.base)
    ran = failed = 0
    for name in sorted(named_queries()):
        try:
            clock("sparql: named questions", run, engine, name)
            ran += 1
        except Exception:  # noqa: BLE001 - a question needing a parameter: counted, not timed
            failed += 1
    clock.extra.update(questions=ran, questions_not_run=failed)


def stage_networkx(data: Path, work: Path, clock: _Clock) -> None:
    """The property-graph view and its networkx projection (from the Built)."""
    import kg
    from kg.property_graph import graph_view

    project = _project(data)
    built = clock("kg.build (Built)", kg.build, kg.load(project))
    view = clock("graph view", graph_view, built)
    graph = clock("networkx projection", view.to_networkx)
    clock.extra.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())


def stage_html(data: Path, work: Path, clock: _Clock) -> None:
    """The explorer page (graph.html) from the Built."""
    import kg
    from kg.viz import render_html

    project = _project(data)
    built = clock("kg.build (Built)", kg.build, kg.load(project))
    page = clock("html", render_html, built, title=project.name)
    clock.extra.update(html_bytes=len(page.encode("utf-8")))


def stage_idle(data: Path, work: Path, clock: _Clock) -> None:
    """Nothing but the interpreter with kg, rdflib and pyoxigraph imported: the memory floor."""
    import pyoxigraph  # noqa: F401
    import rdflib  # noqa: F401

    import kg  # noqa: F401

    clock("import", lambda: None)


def stage_startup(data: Path, work: Path, clock: _Clock) -> None:
    """How long ``kg --help`` takes to answer, beside the interpreter alone and the interpreter
    importing rdflib (which every kg command needs): the median of seven runs of each."""
    import statistics
    import subprocess

    commands = {"python (nothing imported)": [sys.executable, "-c", "pass"],
                "python -c 'import rdflib'": [sys.executable, "-c", "import rdflib"],
                "kg --help": [sys.executable, "-m", "kg", "--help"]}
    for name, command in commands.items():
        times = []
        for _ in range(7):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        clock.steps[name] = statistics.median(times)


STAGES: dict[str, Callable[[Path, Path, _Clock], None]] = {
    "idle": stage_idle,
    "startup": stage_startup,
    "kg-steps": stage_kg_steps,
    "kg-build": stage_kg_build,
    "kg-build-no-shacl": stage_kg_build_no_shacl,
    "pyshacl": stage_pyshacl,
    "rdflib": stage_rdflib,
    "pyoxigraph": stage_pyoxigraph,
    "dataset": stage_dataset,
    "sparql": stage_sparql,
    "networkx": stage_networkx,
    "html": stage_html,
}


def run_stage(name: str, data: Path, work: Path) -> dict:
    """Run one stage in this process; its timings."""
    clock = _Clock()
    start = time.perf_counter()
    STAGES[name](data, work, clock)
    return {"stage": name, "seconds": time.perf_counter() - start, "steps": clock.steps, "extra": clock.extra,
            "peak_rss_bytes": _peak_rss()}


def _peak_rss() -> int | None:
    """This process's own peak resident memory (VmHWM). ``ru_maxrss`` of a child is no good
    here: a child started with vfork inherits its parent's high-water mark."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


if __name__ == "__main__":
    print(json.dumps(run_stage(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))))

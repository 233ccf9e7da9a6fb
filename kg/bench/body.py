"""What a body of reporting costs `kg build`: identity merges, source metadata and origins, anchored
times, likely duplicates, disputes, the computed graph and the report's corroboration sections.

    .venv/bin/python -m kg.bench.body                    # 100k and 1M triples, generated
    .venv/bin/python -m kg.bench.body --triples 1000000 --repeats 3

For each size, the generator (`kg/bench/generate.py`) writes a multi-source dataset (sources from
outlets, a third of them copies, digests or retellings; statements reported again; disputed
tolls; organisations declared twice with a typo). `kg build` (every RDF format and the report, no
explorer page) then runs in fresh child processes, alternately **on** (as shipped) and **off**
(the body-of-reporting steps replaced by no-ops: no metadata checks, no merges, no anchoring, no
duplicates, no disputes, no computed graph, no corroboration in the report). Each child reports
its CPU seconds, wall seconds and peak memory (VmHWM), and, when on, the CPU seconds of each step.
The target (issue 14): the steps add at most 15% to `kg build`, and memory stays linear.
Not run by the test suite, except as a tiny smoke run (tests/test_body_scale.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType


def _peak_rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def child(mode: str, data: Path, out: Path) -> dict:
    """One `kg build` in this process, with the body steps on (timed) or off."""
    import importlib

    import kg

    # By module (kg.build is also the name of a function on the kg package, kg.check.resolve on
    # kg.check). The steps are swapped on the modules that call them.
    from_records = importlib.import_module("kg.build.from_records")
    resolve = importlib.import_module("kg.check.resolve")
    build_report = importlib.import_module("kg.output.build_report")

    steps: dict[str, float] = {}

    def timed(name, func):
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                steps[name] = steps.get(name, 0.0) + time.process_time() - start
        return wrapper

    if mode == "on":
        timed_steps = {
            (resolve, "check_reporting"): "record checks: identity, sources, times, duplicates, disputes",
            (from_records, "computed_triples"): "build: computed graph",
            (from_records, "source_pairs"): "build: source metadata",
            (build_report, "reporting_sections"): "report: sources, corroboration, disputes ...",
        }
        for (module, name), step in timed_steps.items():
            setattr(module, name, timed(step, getattr(module, name)))
    else:
        skipped: dict[tuple[ModuleType, str], Callable[..., object]] = {
            (resolve, "check_reporting"): lambda out, records, curie: ([], set()),
            (from_records, "computed_triples"): lambda resolved, iri: [],
            (from_records, "source_pairs"): lambda source, iri: [],
            (build_report, "reporting_sections"): lambda resolved, built: {},
            (build_report, "reporting_markdown"): lambda data: [],
        }
        for (module, name), stand_in in skipped.items():
            setattr(module, name, stand_in)
    project = kg.open_project(data)
    cpu, wall = time.process_time(), time.perf_counter()
    result = kg.run_build(project, out, html=False, cache=False)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    summary = result.summary
    return {"mode": mode, "cpu": cpu, "wall": wall, "peak_rss": _peak_rss(), "steps": steps,
            "triples": sum(summary["triples"].values()),
            "disputes": summary.get("disputes", {}).get("count", 0),
            "duplicates": summary.get("likely_duplicates", {}).get("count", 0),
            "corroborated": summary.get("corroboration", {}).get("corroborated", {}).get("count", 0)}


def run(triples: int, repeats: int, seed: int, work: Path) -> dict:
    from kg.bench.generate import generate

    data = work / f"data-{triples}"
    start = time.perf_counter()
    info = generate(data, triples, seed)
    print(f"{triples:,}: generated {info.rows:,} rows in {time.perf_counter() - start:.1f}s", flush=True)
    runs: dict[str, list[dict]] = {"on": [], "off": []}
    for i in range(repeats):
        for mode in ("on", "off") if i % 2 == 0 else ("off", "on"):
            proc = subprocess.run([sys.executable, "-m", "kg.bench.body", "--child", mode, str(data),
                                   str(work / f"out-{mode}")],
                                  capture_output=True, text=True, check=True)
            runs[mode].append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(f"  {mode}: cpu {runs[mode][-1]['cpu']:.2f}s wall {runs[mode][-1]['wall']:.2f}s "
                  f"peak {runs[mode][-1]['peak_rss'] / 2**20:.0f} MiB", flush=True)

    def median(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[mode])

    on, off = median("on", "cpu"), median("off", "cpu")
    steps = {name: statistics.median(r["steps"][name] for r in runs["on"]) for name in runs["on"][0]["steps"]}
    last = runs["on"][-1]
    return {
        "triples": last["triples"], "rows": info.rows, "cpu_on": on, "cpu_off": off,
        "wall_on": median("on", "wall"), "wall_off": median("off", "wall"),
        "added_cpu": on / off - 1, "steps_cpu": steps, "steps_share_of_build": sum(steps.values()) / on,
        "peak_rss_on": median("on", "peak_rss"), "peak_rss_off": median("off", "peak_rss"),
        "bytes_per_triple_on": median("on", "peak_rss") / last["triples"],
        "disputes": last["disputes"], "duplicates": last["duplicates"], "corroborated": last["corroborated"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, action="append")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "DATA", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, data, out = args.child
        print(json.dumps(child(mode, Path(data), Path(out))))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="kg-body-bench-") as tmp:
        for triples in args.triples or [100_000, 1_000_000]:
            results.append(run(triples, args.repeats, args.seed, Path(tmp)))
    for r in results:
        print(f"\n{r['triples']:,} triples ({r['rows']:,} rows; {r['disputes']} disputes, {r['duplicates']} likely "
              f"duplicates, {r['corroborated']} statements with 2+ independent sources)")
        print(f"  kg build CPU: {r['cpu_off']:.2f}s without the body steps, {r['cpu_on']:.2f}s with them: "
              f"+{100 * r['added_cpu']:.1f}% "
              f"(the steps themselves: {100 * r['steps_share_of_build']:.1f}% of the build)")
        for name, seconds in r["steps_cpu"].items():
            print(f"    {name}: {seconds:.3f}s")
        print(f"  peak memory: {r['peak_rss_off'] / 2**20:.0f} MiB without, {r['peak_rss_on'] / 2**20:.0f} MiB with "
              f"({r['bytes_per_triple_on']:.0f} bytes/triple)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

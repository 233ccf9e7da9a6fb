"""The benchmark: generate a dataset, run every stage in its own process, compare with the
baselines measured in the same run on the same data, and report medians, ratios and peak memory.

Each stage runs in a fresh ``python -m kg.bench.stages`` child, so its peak resident memory
(``VmHWM`` from ``/proc``; ``ru_maxrss`` elsewhere) is its own and includes the interpreter. Small sizes repeat each
stage and keep the median.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.bench.generate import generate, parse_size
from kg.errors import UsageError

__all__ = ["SIZES", "format_table", "run_bench"]

SIZES = ("10k", "100k", "1M", "10M")
#: Stages in the order they run (later stages read the outputs of ``kg-build``).
ORDER = ("idle", "startup", "kg-build", "kg-steps", "kg-build-no-shacl", "pyoxigraph", "rdflib", "pyshacl", "dataset",
         "sparql", "networkx", "html")
#: Stages that are skipped above this many triples (they would take many minutes).
LIMITS = {"pyshacl": 200_000, "rdflib": 2_000_000, "dataset": 2_000_000, "networkx": 2_000_000,
          "html": 2_000_000}


def _repeats(triples: int) -> int:
    return 5 if triples <= 20_000 else 3 if triples <= 200_000 else 1


def _child(stage: str, data: Path, work: Path) -> dict:
    """Run one stage in a child process: its timings and peak RSS."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.Popen([sys.executable, "-m", "kg.bench.stages", stage, str(data), str(work)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None  # both are pipes
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"bench stage {stage} failed:\n{err.decode('utf-8', 'replace')[-3000:]}")
    result = json.loads(out.decode("utf-8").strip().splitlines()[-1])
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime  # the whole child, imports included
    if not result.get("peak_rss_bytes"):  # no /proc: the child's rusage (may include ours)
        result["peak_rss_bytes"] = usage.ru_maxrss * 1024
    return result


def _median_run(stage: str, data: Path, work: Path, repeats: int) -> dict:
    runs = [_child(stage, data, work) for _ in range(repeats)]
    steps = {name: statistics.median(r["steps"][name] for r in runs) for name in runs[0]["steps"]}
    return {
        "seconds": statistics.median(sum(r["steps"].values()) for r in runs),
        "steps": steps,
        "peak_rss_bytes": int(statistics.median(r["peak_rss_bytes"] for r in runs)),
        "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
        "extra": runs[0]["extra"],
        "repeats": repeats,
    }


def run_bench(size: str = "1M", *, workdir: Path | None = None, seed: int = 7,
              stages: tuple[str, ...] = ORDER, repeats: int | None = None, log=None) -> dict:
    """Generate a dataset of ``size`` triples and run the stages; the results as plain data."""
    try:
        target = parse_size(size)
    except ValueError as exc:
        raise UsageError(f"--size {size!r}: give a number of triples like 10k, 100k, 1M or 10M") from exc
    if target < 1_000:
        raise UsageError(f"--size {size!r}: at least 1k triples")
    unknown = [s for s in stages if s not in ORDER]
    if unknown:
        raise UsageError(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(ORDER)}")
    say = log or (lambda text: None)
    with tempfile.TemporaryDirectory(prefix="kg-bench-", dir=workdir) as tmp:
        work = Path(tmp)
        data = work / "data"
        start = time.perf_counter()
        info = generate(data, target, seed)
        generated = time.perf_counter() - start
        say(f"generated {info.rows} rows in {generated:.1f}s")
        results: dict[str, dict] = {}
        for stage in [s for s in ORDER if s in stages or s in ("idle", "kg-build")]:
            if target > LIMITS.get(stage, 10**12):
                say(f"{stage}: skipped above {LIMITS[stage]} triples")
                continue
            n = repeats or _repeats(target)
            say(f"{stage}: running ({n}x)")
            results[stage] = _median_run(stage, data, work, n)
            say(f"{stage}: {results[stage]['seconds']:.2f}s, "
                f"peak {results[stage]['peak_rss_bytes'] / 2**20:.0f} MiB")
    triples = results["kg-build"]["extra"]["triples"]
    return {
        "size": size,
        "seed": seed,
        "triples": triples,
        "rows": info.rows,
        "generate_seconds": generated,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "stages": results,
        "summary": _summary(results, triples),
    }


def _summary(results: dict, triples: int) -> dict:
    """The headline ratios."""
    out: dict[str, object] = {}
    kg_build = results["kg-build"]["seconds"]
    out["kg_build_seconds"] = kg_build
    out["kg_build_triples_per_second"] = triples / kg_build if kg_build else None
    out["kg_build_bytes_per_triple"] = results["kg-build"]["peak_rss_bytes"] / triples
    floor = results["idle"]["peak_rss_bytes"] if "idle" in results else 0
    out["idle_rss_bytes"] = floor
    out["kg_build_bytes_per_triple_above_idle"] = (results["kg-build"]["peak_rss_bytes"] - floor) / triples
    if "kg-build-no-shacl" in results:
        out["kg_build_no_shacl_seconds"] = results["kg-build-no-shacl"]["seconds"]
    if "kg-steps" in results:
        out["shacl_seconds"] = results["kg-steps"]["steps"].get("shacl")
    for base in ("rdflib", "pyoxigraph"):
        if base in results:
            out[f"{base}_seconds"] = results[base]["seconds"]
            out[f"{base}_bytes_per_triple"] = results[base]["peak_rss_bytes"] / triples
            no_shacl = out.get("kg_build_no_shacl_seconds", kg_build)
            out[f"kg_build_vs_{base}"] = kg_build / results[base]["seconds"]
            out[f"kg_build_no_shacl_vs_{base}"] = no_shacl / results[base]["seconds"]
    if "pyshacl" in results:
        out["pyshacl_seconds"] = results["pyshacl"]["seconds"]
    if "startup" in results:
        steps = results["startup"]["steps"]
        out["kg_help_seconds"] = steps["kg --help"]
        out["kg_help_vs_rdflib_import"] = steps["kg --help"] / steps["python -c 'import rdflib'"]
    return out


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f}"


def format_table(report: dict) -> str:
    """The results as a Markdown table: every step with its median time, and each stage's peak memory."""
    triples = report["triples"]
    lines = [
        f"kg bench --size {report['size']}: {triples:,} triples ({report['rows']:,} rows), "
        f"{report['machine']['cpus']} CPUs, Python {report['machine']['python']}",
        "",
        "| stage | step | seconds (median) | triples/s | peak RSS MiB | bytes/triple | CPU s (process) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for stage, r in report["stages"].items():
        rss = r["peak_rss_bytes"]
        for i, (step, seconds) in enumerate(r["steps"].items()):
            rate = f"{triples / seconds:,.0f}" if seconds > 0.005 else ""
            mem = (_mib(rss), f"{rss / triples:,.0f}", f"{r['cpu_seconds']:.1f}") if i == 0 else ("", "", "")
            lines.append(f"| {stage if i == 0 else ''} | {step} | {seconds:.3f} | {rate} | {mem[0]} | {mem[1]} "
                         f"| {mem[2]} |")
        if len(r["steps"]) > 1:
            lines.append(f"| | **total** | **{r['seconds']:.3f}** | {triples / r['seconds']:,.0f} | | | |")
    s = report["summary"]
    lines += ["", "Ratios (same run, same data):", ""]
    for base in ("rdflib", "pyoxigraph"):
        if f"kg_build_vs_{base}" in s:
            lines.append(f"- kg build / {base} (load + every format): {s[f'kg_build_vs_{base}']:.2f}x the time "
                         f"({s[f'kg_build_no_shacl_vs_{base}']:.2f}x without SHACL)")
    lines.append(f"- kg build peak memory: {s['kg_build_bytes_per_triple']:,.0f} bytes/triple "
                 f"({s['kg_build_bytes_per_triple_above_idle']:,.0f} above the {_mib(s['idle_rss_bytes'])} MiB "
                 f"of an idle interpreter with kg imported)")
    if "kg_help_seconds" in s:
        lines.append(f"- kg --help: {s['kg_help_seconds']:.2f}s ({s['kg_help_vs_rdflib_import']:.2f}x "
                     f"the time of python -c 'import rdflib'; target: under 0.5 s)")
    if s.get("shacl_seconds") is not None:
        lines.append(f"- SHACL (kg's validator): {s['shacl_seconds']:.2f}s"
                     + (f"; pySHACL: {s['pyshacl_seconds']:.2f}s" if "pyshacl_seconds" in s else ""))
    return "\n".join(lines) + "\n"

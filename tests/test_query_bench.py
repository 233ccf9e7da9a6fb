"""kg/bench/query.py (python -m kg.bench.query) as a smoke run: 10k generated triples, one timed run per way, every
named question timed through the API, `kg serve` (a real subprocess on 127.0.0.1), pyoxigraph,
oxrdflib and rdflib, with a row each in the table and the JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kg.query import named_queries

REPO = Path(__file__).resolve().parent.parent


def test_query_bench_smoke_run(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "kg.bench.query", "--sizes", "10k", "--repeat", "1", "--cap", "30", "--json", str(out),
         "--workdir", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=240, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    names = sorted(named_queries())
    table_rows = [line for line in proc.stdout.splitlines() if line.startswith("| ") and "10k" in line]
    assert sorted(line.split(" | ")[0][2:] for line in table_rows if not line.startswith("| (")) == names

    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["repeat"] == 1 and doc["targets"]["kg_vs_pyoxigraph_max"] == 1.5
    [result] = doc["results"]
    assert result["size"] == "10k" and result["triples"] > 9_000
    assert [q["question"] for q in result["questions"]] == names
    rdflib_ok = 0
    for q in result["questions"]:
        for way in ("kg", "endpoint", "pyoxigraph", "oxrdflib"):
            assert q[way]["status"] == "ok", (q["question"], way, q[way])
            assert q[way]["seconds"] > 0 and q[way]["runs"] == 1
        # The same answer every way (rdflib too, where it can answer the question at all).
        assert q["kg"]["rows"] == q["endpoint"]["rows"] == q["pyoxigraph"]["rows"] == q["oxrdflib"]["rows"], q
        assert q["rows_agree"], q
        assert q["kg_vs_pyoxigraph"] > 0 and q["overhead_ms"] is not None
        # The worker's own time comes back in Server-Timing; the endpoint adds the rest.
        assert 0 < q["endpoint"]["worker_ms"] < q["endpoint"]["seconds"] * 1000
        assert q["endpoint_adds_ms"] > 0
        assert q["rdflib"]["status"] in ("ok", "error", "timeout")
        rdflib_ok += q["rdflib"]["status"] == "ok"
        if q["rdflib"]["status"] == "error":
            # Only rdflib 7.6's own defects (bench/README.md, "rdflib"): a DISTINCT aggregate over a
            # value some rows leave unbound raises NotBoundError (its Accumulator.use_row evaluates
            # without the check its update makes), and ORDER BY compares an unbound value with None.
            message = q["rdflib"]["message"]
            assert message.startswith("NotBoundError: Variable") or "'<' not supported" in message, q["rdflib"]
    assert rdflib_ok >= len(names) // 2, [q["rdflib"] for q in result["questions"]]
    # Parameters naming the bundled dataset's entities are replaced by generated ones.
    evidence = next(q for q in result["questions"] if q["question"] == "evidence")
    assert evidence["params"]["subject"] == "data:event0" and evidence["kg"]["rows"] >= 1
    assert result["fixed_cost"]["endpoint"]["status"] == "ok"

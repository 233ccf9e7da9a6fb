"""A smoke run of the export bench (python -m kg.bench.export) at 10k triples, one repeat: every export format is timed
and sized, kg push lands every triple in a real Oxigraph server (started and stopped by the
bench on 127.0.0.1), the baselines (oxigraph load, plain PUTs) run, the JSON is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kg.bench.export as export_bench
from kg.export import EXPORTS

from _push_servers import require_binary

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def smoke(tmp_path_factory) -> tuple[dict, str]:
    require_binary("oxigraph", Path(sys.executable).parent)  # fails under CI=true when missing
    out = tmp_path_factory.mktemp("export-bench") / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "kg.bench.export", "--sizes", "10k",
                           "--repeat", "1", "--json", str(out)],
                          capture_output=True, text=True, timeout=240, cwd=ROOT,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), proc.stdout


def test_every_format_is_timed_and_sized(smoke) -> None:
    doc, _ = smoke
    (result,) = doc["results"]
    assert result["size"] == "10k" and result["repeat"] == 1
    assert 9_000 <= result["triples"] <= 13_000
    assert set(result["exports"]) == set(EXPORTS)
    for fmt, e in result["exports"].items():
        assert e["seconds"] > 0 and e["bytes"] > 0, fmt
    assert result["exports"]["neo4j"]["files"] > 1 and result["exports"]["csv"]["files"] > 1


def test_push_and_baselines_load_everything(smoke) -> None:
    doc, stdout = smoke
    (result,) = doc["results"]
    loads = result["loads"]
    push = loads[f"kg push (chunk {export_bench.DEFAULT_CHUNK_SIZE})"]
    assert push["triples"] == result["triples"] and push["requests"] >= len(result["graphs"]) + 1
    assert set(loads) >= {"oxigraph load", "plain PUT", "plain PUT ?no_transaction"}
    for name, e in loads.items():
        assert e["triples_per_second"] > 0 and e["cpu_seconds"] >= 0, name
    assert loads["oxigraph load"]["vs_oxigraph_load"] == 1.0
    assert loads["plain PUT"]["triples"] == result["nt_triples"]
    assert doc["oxigraph"].startswith("oxigraph ")
    assert "| 10k | kg push (chunk" in stdout and "| 10k | stix |" in stdout


def test_sizes_and_repeats() -> None:
    assert export_bench.repeats_for(100_000, 3) == 3
    assert export_bench.repeats_for(1_000_000, 3) == 1
    assert export_bench.repeats_for(1_000_000, 6) == 2
    with pytest.raises(SystemExit):
        export_bench.main(["--repeat", "0"])


def test_push_chunks_are_sorted_lines_and_keep_blank_nodes_together() -> None:
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.plugins.serializers.nt import _nt_row

    from kg.export.push import chunk_lines

    g = Graph()
    for i in range(25):
        g.add((URIRef(f"https://example.org/s{i}"), URIRef("https://example.org/p"), Literal(f"v {i}\n\"q\"")))
    sorted_lines = sorted(_nt_row(t) for t in g)
    chunks = list(chunk_lines(sorted_lines, 10))
    assert [n for _, n in chunks] == [10, 10, 5]
    lines = b"".join(body for body, _ in chunks).decode("utf-8").splitlines(keepends=True)
    assert lines == sorted_lines
    assert list(chunk_lines(sorted_lines, 10)) == chunks  # deterministic
    g.add((BNode("b1"), URIRef("https://example.org/p"), Literal("x")))
    assert [n for _, n in chunk_lines(sorted(_nt_row(t) for t in g), 10)] == [26]
    assert list(chunk_lines([], 10)) == [(b"", 0)]  # an empty graph: one empty PUT (replace clears it)

"""The benchmark never rots: a 10k smoke run of every stage through ``kg bench``, the generator's
determinism, and the incremental rebuild cache."""

from __future__ import annotations

import json
import subprocess
import sys

import kg
from kg.bench.generate import generate, parse_size
from kg.bench.run import ORDER


def test_parse_size():
    assert parse_size("10k") == 10_000 and parse_size("1M") == 1_000_000 and parse_size("250000") == 250_000


def test_generator_is_deterministic_and_valid(tmp_path):
    a, b = generate(tmp_path / "a", 5_000, seed=11), generate(tmp_path / "b", 5_000, seed=11)
    for name in ("entities.csv", "statements.csv", "sources.csv", "kg.toml", "sources/src0.txt"):
        assert (a.directory / name).read_bytes() == (b.directory / name).read_bytes(), name
    records = kg.load(kg.open_project(a.directory))
    report = kg.validate(records)
    assert report.ok, report.format()
    triples = len(kg.build(records))
    assert 4_000 < triples - 894 < 6_500  # about the size asked for (the ontology not counted)


def test_kg_bench_smoke_10k(tmp_path):
    """Every stage but pySHACL (tests/test_shapes.py runs it) once on 10k triples."""
    out = tmp_path / "bench.json"
    stages = [arg for s in ORDER if s != "pyshacl" for arg in ("--stage", s)]
    proc = subprocess.run([sys.executable, "-m", "kg", "bench", "--size", "10k", "--repeats", "1",
                           "--json", str(out), "--workdir", str(tmp_path), *stages],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "| kg-build | kg build |" in proc.stdout and "kg build / pyoxigraph" in proc.stdout
    report = json.loads(out.read_text())
    assert set(report["stages"]) == set(ORDER) - {"pyshacl"}
    assert 9_000 < report["triples"] < 13_000
    for stage in report["stages"].values():
        assert stage["peak_rss_bytes"] > 10 * 2**20 and stage["seconds"] > 0
    steps = report["stages"]["kg-steps"]["steps"]
    assert {"load", "record checks", "build", "shacl", "write ttl", "write nq"} <= set(steps)
    assert report["stages"]["sparql"]["extra"]["questions"] > 0
    assert report["summary"]["kg_build_vs_rdflib"] > 0
    assert not list(tmp_path.glob("kg-bench-*")), "the bench's temporary directory is removed"


def test_rebuild_reuses_the_parsed_rows_of_unchanged_files(tmp_path):
    data = generate(tmp_path / "data", 3_000, seed=5).directory
    out = tmp_path / "out"
    first = kg.run_build(kg.open_project(data), out, html=False)
    cache = out / ".cache" / "records"
    entries = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.json")}
    assert len(entries) == 3  # sources, entities, statements
    before = {p.name: p.read_bytes() for p in out.glob("graph.*")}
    quote = (data / "sources" / "src0.txt").read_text(encoding="utf-8").split(". ")[0] + "."
    with open(data / "statements.csv", "a", encoding="utf-8") as handle:
        # subject,predicate,object,source,quote,claimant,modality,attribution,bound,reliability,...
        handle.write(f"event0,kg:wounded,3,src0,{quote},,,,approximately,F,3,,\n"
                     f"event0,kg:status,rising,src0,{quote},,,,,F,3,,\n")
    second = kg.run_build(kg.open_project(data), out, html=False)
    after = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.json")}
    assert len(after) == 3 and len(set(after) & set(entries)) == 2  # two reused, one replaced
    assert all(after[name] == entries[name] for name in set(after) & set(entries))
    assert second.summary["claims"] == first.summary["claims"] + 2
    # The same data without the cache gives the same bytes.
    fresh = tmp_path / "fresh"
    kg.run_build(kg.open_project(data), fresh, html=False, cache=False)
    for path in out.glob("graph.*"):
        assert path.read_bytes() == (fresh / path.name).read_bytes(), path.name
    assert before["graph.nt"] != (out / "graph.nt").read_bytes()

"""It scales (issue 14, item 8): kg bench's generator makes a body of reporting (many sources from
outlets, copies, digests and retellings, statements reported again, disputed tolls, organisations
declared twice), and ``python -m kg.bench.body`` measures what its checks add to kg build (the figures are
in bench/README.md; this is a smoke run)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import kg
from kg.bench.generate import generate
from kg.build.reporting import corroboration


def test_the_generator_makes_a_body_of_reporting(tmp_path):
    data = generate(tmp_path / "data", 150_000, seed=7).directory
    records = kg.load(kg.open_project(data))
    report = kg.validate(records)
    assert report.ok, report.format()
    codes = Counter(i.code for i in report.warnings)
    assert codes["KG906"] > 10 and codes["KG907"] >= 1  # disputed tolls; organisations named twice
    resolved = kg.resolve(records)
    kinds = Counter(str(s.kind).rsplit("#", 1)[-1] for s in resolved.sources.values() if s.kind)
    assert {"OriginalReport", "SyndicatedCopy", "Digest", "Retelling"} <= set(kinds)
    precisions = Counter(str(s.precision).rsplit("#", 1)[-1] for s in resolved.sources.values())
    assert {"unitDay", "unitMonth", "unitYear", "None"} <= set(precisions)
    assert resolved.merged  # some twins merged by a curator's kg:sameAs
    counts = corroboration(resolved)
    claims = Counter((c.s, c.p, c.o) for c in resolved.claims)
    assert any(counts.count(t) >= 2 for t in counts.origins)  # independent outlets agree
    assert any(n >= 2 and counts.count(t) == 1 for t, n in claims.items())  # a copy adds no origin
    assert any(a.interval is not None for a in resolved.anchored.values())  # "last week" anchored


def test_body_bench_smoke(tmp_path):
    out = tmp_path / "body.json"
    proc = subprocess.run([sys.executable, "-m", "kg.bench.body", "--triples", "8000",
                           "--repeats", "1", "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())[0]
    assert result["cpu_on"] > 0 and result["cpu_off"] > 0 and result["peak_rss_on"] > 10 * 2**20
    assert set(result["steps_cpu"]) == {
        "record checks: identity, sources, times, duplicates, disputes", "build: source metadata",
        "build: computed graph", "report: sources, corroboration, disputes ..."}
    assert result["disputes"] > 0 and "kg build CPU" in proc.stdout

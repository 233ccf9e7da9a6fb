"""``kg analyze``: the command, its files, their determinism, and the docstring examples."""

from __future__ import annotations

import doctest
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

MODULES = ["kg.analyze.centrality", "kg.analyze.communities", "kg.analyze.paths", "kg.analyze.projection",
           "kg.analyze.report"]


def _run(tmp: Path, *args: str, shared_sources: Path):
    return CliRunner().invoke(main, ["analyze", "--sources", str(shared_sources), "--out", str(tmp), *args])


def test_analyze_writes_report_json_and_charts_byte_identical_twice(tmp_path, shared_sources):
    outs = []
    for name in ("one", "two"):
        result = _run(tmp_path / name, "--from", "petro", "--to", "emc", shared_sources=shared_sources)
        assert result.exit_code == 0, result.output
        assert "1 shortest path(s) of 2 hop(s) between Gustavo Petro and EMC" in result.output
        outs.append(tmp_path / name)
    files = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file())
    assert [str(f) for f in files] == [
        "analysis.json", "analysis.md",
        *[f"charts/{c}.{x}" for c in ("centrality", "network", "places", "timeline", "types") for x in ("png", "svg")]]
    for f in files:
        assert (outs[0] / f).read_bytes() == (outs[1] / f).read_bytes(), f
    figures = json.loads((outs[0] / "analysis.json").read_text())
    assert figures["paths"]["paths"][0]["labels"] == [
        "Gustavo Petro", "Police helicopter brought down by a drone", "EMC"]
    md = (outs[0] / "analysis.md").read_text()
    assert "### Path 1: Gustavo Petro → Police helicopter brought down by a drone → EMC" in md
    assert "describing the strike as the work of EMC" in md
    svg = (outs[0] / "charts" / "types.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert (outs[0] / "charts" / "types.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_analyze_options_and_errors(tmp_path, shared_sources):
    result = _run(tmp_path / "x", "--exclude-modality", "allegation", "--events", "edges", "-q",
                  shared_sources=shared_sources)
    assert result.exit_code == 0 and result.output == ""
    figures = json.loads((tmp_path / "x" / "analysis.json").read_text())
    assert figures["projection"]["exclude_modalities"] == ["allegation"] and figures["paths"] is None
    result = _run(tmp_path / "y", "--from", "nobody", "--to", "emc", shared_sources=shared_sources)
    assert result.exit_code == 2 and "no entity is called 'nobody'" in result.output
    result = _run(tmp_path / "y", "--from", "petro", shared_sources=shared_sources)
    assert result.exit_code == 2 and "both --from and --to" in result.output


def test_analyze_help():
    result = CliRunner().invoke(main, ["analyze", "--help"])
    assert result.exit_code == 0 and "--from" in result.output and "--exclude-modality" in result.output


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module):
    failures, _ = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_bench_smoke(tmp_path):
    """A tiny run of kg/bench/analyze.py (python -m kg.bench.analyze), so the bench keeps working
    (the full bench is not run here)."""
    proc = subprocess.run([sys.executable, "-m", "kg.bench.analyze", "--triples", "4000",
                           "--k", "20"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "betweenness" in proc.stdout and "igraph/networkx" in proc.stdout


def test_analyze_a_dataset_with_no_events(tmp_path, make_dataset):
    data = make_dataset({
        "statements.csv": "subject,predicate,object,source,quote,claimant,modality,reliability,credibility,via,note\n",
        "entities.csv": "id,type,label,description,source,quote,claimant,modality,reliability,credibility,note\n"
                        'ecx,kg:Cartel,Example Cartel,A cartel.,rep,"The Example Cartel, known as ECX",,,F,3,\n'})
    result = CliRunner().invoke(main, ["analyze", "--data", str(data), "--out", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0, result.output
    figures = json.loads((tmp_path / "o" / "analysis.json").read_text())
    assert figures["dataset"]["nodes"] == 1 and figures["counts_by_place"] == []

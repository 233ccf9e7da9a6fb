"""Faults: a build killed at any point of its publish phase leaves the old outputs or the new
ones, whole, never a mixture; what a killed build left behind is removed by the next one.

The kills are deterministic: ``KG_FAULT_POINT`` (read only by :func:`kg.output.files.fault_point`)
makes the build SIGKILL itself at a named point, so every point is exercised on every machine,
however fast or slow.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.output.files import FAULT_POINTS

from conftest import MINI

#: Points after which the new set is what a reader sees; before them, the old one.
NEW_FROM = "switched"


def digest(directory: Path) -> dict[str, str]:
    """What a reader of the output directory sees: each visible output's name and content."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.iterdir()) if p.is_file() and not p.name.startswith(".")}


def build(data: Path, out: Path, point: str | None = None, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KG_FAULT_POINT"}
    if point:
        env["KG_FAULT_POINT"] = point
    return subprocess.run([sys.executable, "-m", "kg", "build", "-q", "--no-html", "--data", str(data),
                           "--out", str(out), *extra],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> dict[str, tuple[Path, dict[str, str]]]:
    """Two datasets with different outputs, and what a complete build of each publishes."""
    root = tmp_path_factory.mktemp("versions")
    new = root / "new-data"
    shutil.copytree(MINI, new)
    with open(new / "entities.csv", "a", encoding="utf-8") as handle:
        handle.write("lonely,kg:City,Lonely,,rep,in Springfield,,,F,3,\n")
    out = {}
    for name, data in (("old", MINI), ("new", new)):
        target = root / f"{name}-out"
        assert build(data, target).returncode == 0
        out[name] = (data, digest(target))
    assert out["old"][1] != out["new"][1] and set(out["old"][1]) == set(out["new"][1])
    return out


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_a_build_killed_at_each_point_leaves_all_old_or_all_new(tmp_path, versions, point):
    (old, old_seen), (new, new_seen) = versions["old"], versions["new"]
    out = tmp_path / "out"
    assert build(old, out).returncode == 0 and digest(out) == old_seen
    killed = build(new, out, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    expected = new_seen if FAULT_POINTS.index(point) >= FAULT_POINTS.index(NEW_FROM) else old_seen
    assert digest(out) == expected, f"killed at {point}: a mixture of old and new outputs"
    # The next build cleans up what the killed one left (its staged set, or the set it replaced).
    assert build(new, out).returncode == 0 and digest(out) == new_seen
    assert len(list((out / ".kg" / "builds").iterdir())) == 1
    assert not list(out.glob("*.tmp"))


def test_a_killed_first_build_over_plain_files_keeps_them(tmp_path, versions):
    """Outputs an older kg wrote as plain files are adopted as the current set, atomically."""
    (old, old_seen), (new, new_seen) = versions["old"], versions["new"]
    plain = tmp_path / "plain"
    assert build(old, plain).returncode == 0
    out = tmp_path / "out"
    out.mkdir()
    for name in old_seen:
        shutil.copyfile(plain / name, out / name)  # as plain files, the way kg 0.1 wrote them
    assert build(new, out, "staged-one").returncode == -signal.SIGKILL
    assert digest(out) == old_seen
    assert build(new, out).returncode == 0 and digest(out) == new_seen


def test_outputs_not_written_this_time_are_removed(tmp_path, versions):
    """A build with fewer formats (or no page) removes the earlier build's other outputs, which
    would no longer match the data."""
    old, _ = versions["old"]
    out = tmp_path / "out"
    assert build(old, out).returncode == 0
    assert build(old, out, None, "--format", "ttl").returncode == 0
    assert sorted(digest(out)) == ["build-report.json", "build-report.md", "graph.ttl"]
    assert not [p for p in out.iterdir() if p.is_symlink() and not p.exists()]  # no dangling link


def test_a_failed_build_changes_nothing(tmp_path, versions):
    old, old_seen = versions["old"]
    out = tmp_path / "out"
    assert build(old, out).returncode == 0
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    with open(broken / "statements.csv", "a", encoding="utf-8") as handle:
        handle.write("attack,kg:killed,twelve,rep,killing 2 officers,,,F,3,,\n")
    assert build(broken, out).returncode == 1
    assert digest(out) == old_seen
    assert len(list((out / ".kg" / "builds").iterdir())) == 1


def test_the_api_publishes_the_same_way(tmp_path):
    result = kg.run_build(kg.open_project(MINI), tmp_path / "out")
    assert all(p.is_symlink() and p.is_file() for p in result.outputs)
    assert {p.name for p in result.outputs} == set(digest(tmp_path / "out"))


def test_a_planted_or_broken_cache_entry_is_a_miss_never_code(tmp_path, versions):
    """The record cache is JSON data: a pickle planted under an entry's name is never unpickled,
    and a corrupt or truncated entry is read again from its file (issue 18 item 3)."""
    import pickle

    old, old_seen = versions["old"]
    out = tmp_path / "out"
    assert build(old, out).returncode == 0
    entries = sorted((out / ".cache" / "records").glob("*.json"))
    assert len(entries) == 3
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    entries[0].write_bytes(pickle.dumps(Payload()))
    entries[1].write_bytes(entries[1].read_bytes()[:40])  # truncated
    entries[2].write_text('{"sources": [{"id": 1}]}')  # JSON of the wrong shape
    rebuilt = build(old, out)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert not marker.exists() and digest(out) == old_seen
    assert all(e.read_bytes().startswith(b'{"sources":[') for e in entries)  # rewritten whole

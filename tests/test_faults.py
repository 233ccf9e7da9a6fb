"""Faults: a build killed mid-way leaves the last good outputs whole."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import kg
from kg.bench.generate import generate

from conftest import MINI


def digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.iterdir()) if p.is_file() and not p.name.startswith(".")}


def test_killed_build_leaves_previous_outputs_intact(tmp_path):
    out = tmp_path / "out"
    kg.run_build(kg.open_project(MINI), out)
    before = digest(out)
    big = generate(tmp_path / "big", 60_000).directory
    for delay in (0.5, 1.5, 3.0):
        proc = subprocess.Popen([sys.executable, "-m", "kg", "build", "-q", "--data", str(big), "--out", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        after = digest(out)
        if proc.returncode == 0:
            break  # the build finished: its outputs replaced the old ones, each file whole
        assert after == before, f"a build killed after {delay}s changed the outputs"
    for name in after:
        assert (out / name).stat().st_size > 0

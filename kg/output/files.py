"""Files that appear whole or not at all: one file (:func:`atomic_file`), or a set of files
published at once (:func:`publish`).

A build's outputs are published as a set. ``OUT/.kg/builds/<n>/`` holds one build's files;
``OUT/.kg/current`` is a symbolic link to the newest complete one, switched by a single rename;
and each output name in ``OUT`` (``OUT/graph.ttl``) is a link through ``.kg/current``. A reader
therefore sees the old set or the new one, never a mixture, whenever a build is killed; builds
left half-written by a killed process, and sets no longer current, are removed by the next
build. An exclusive lock refuses two builds into one directory.

Tests (only) may set ``KG_FAULT_POINT`` to a point name of :data:`FAULT_POINTS`: the process then
kills itself there with SIGKILL, so that each point of the publish phase is tested deterministically.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from kg.errors import UsageError

__all__ = ["FAULT_POINTS", "Writer", "atomic_file", "fault_point", "publish", "write_atomic"]

#: A file's content: bytes, or a function writing it to an open binary file.
Writer = bytes | Callable[[BinaryIO], None]

#: The named points of :func:`publish` where a test may kill the process (``KG_FAULT_POINT``).
FAULT_POINTS = ("staged-one", "staged-all", "switched")

_STATE = ".kg"
_LOCK = ".kg-build.lock"


def fault_point(name: str) -> None:
    """Kill this process with SIGKILL when the tests asked for a fault at ``name``."""
    if os.environ.get("KG_FAULT_POINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` whole, or not at all: written under a temporary
    name in the same directory, synced, then renamed over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; outputs get the usual permissions
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename."""
    with atomic_file(path) as handle:
        handle.write(data)


def _replace_link(link: Path, target: str) -> None:
    """Point the symbolic link ``link`` at ``target`` with one rename (atomic)."""
    tmp = link.with_name(f"{link.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(out_dir: Path, files: Mapping[str, Writer], *, progress: Callable[[str], None] = lambda name: None,
            names: Sequence[str] = ()) -> list[Path]:
    """Write ``files`` as one new set in ``out_dir`` and switch to it at once.

    ``names`` are output names an earlier build may have published that this one replaces: the
    ones not in ``files`` are removed (a page or format of other data must not stay behind).
    Returns the published paths, sorted.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / _LOCK, "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise UsageError(f"{out_dir}: another kg build is writing here; wait for it, or use --out") from exc
        state = out_dir / _STATE
        builds = state / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        current = state / "current"
        _adopt_plain_files(out_dir, builds, current, [*files, *names])
        _remove_stale(builds, current)
        staging = Path(tempfile.mkdtemp(prefix="build-", dir=builds))
        try:
            for i, (name, data) in enumerate(sorted(files.items())):
                with open(staging / name, "wb") as handle:
                    if callable(data):
                        progress(name)
                        data(handle)
                    else:
                        handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                if i == 0:
                    fault_point("staged-one")
            _sync_dir(staging)
            # Every output name is a link through .kg/current: a name new in this build points
            # at nothing until the switch (the old set has no such file), then at the new file.
            for name in sorted(files):
                link, target = out_dir / name, f"{_STATE}/current/{name}"
                if not (link.is_symlink() and os.readlink(link) == target):
                    _replace_link(link, target)
            fault_point("staged-all")
            previous = os.readlink(current) if current.is_symlink() else None
            _replace_link(current, f"builds/{staging.name}")  # the switch: one rename
            _sync_dir(state)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        fault_point("switched")
        for name in names:
            if name not in files and (out_dir / name).is_symlink():
                (out_dir / name).unlink()
        if previous is not None:
            shutil.rmtree(state / previous, ignore_errors=True)
        return [out_dir / name for name in sorted(files)]


def _adopt_plain_files(out_dir: Path, builds: Path, current: Path, names: Sequence[str]) -> None:
    """Outputs written as plain files (by an older kg) become the current set, so that the first
    publish here is as atomic as every later one."""
    plain = [n for n in dict.fromkeys(names) if (out_dir / n).is_file() and not (out_dir / n).is_symlink()]
    if not plain or current.is_symlink():
        return
    adopted = Path(tempfile.mkdtemp(prefix="build-", dir=builds))
    for name in plain:
        os.link(out_dir / name, adopted / name)
    _replace_link(current, f"builds/{adopted.name}")
    for name in plain:
        _replace_link(out_dir / name, f"{_STATE}/current/{name}")


def _remove_stale(builds: Path, current: Path) -> None:
    """Remove every set in ``builds`` but the current one: sets of killed builds, old sets."""
    keep = Path(os.readlink(current)).name if current.is_symlink() else None
    for entry in builds.iterdir():
        if entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)

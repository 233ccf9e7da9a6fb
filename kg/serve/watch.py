"""``kg serve --watch``: serve the data as it changes.

A thread looks at the dataset's files (the dataset directory, its ``kg.toml`` and its source
texts) once a second. When they change, and have stayed unchanged for a moment (an editor saving
several files), :meth:`kg.serve.server.Server.reload` loads, validates and builds the data again,
starts a fresh worker pool on it, and swaps it in at once (:meth:`kg.serve.app.Endpoint.swap`):

* a query in flight finishes on the data it started on (its request keeps the old version; the
  old pool is closed only once every query it may still run has had its time limit);
* a rebuild that fails (a file that does not parse, data that does not validate, workers that do
  not start) leaves the old data served, and ``/status`` says why (``reload``) until a later
  change rebuilds it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["SETTLE", "Watcher", "fingerprint"]

#: Seconds the files must stay unchanged before a rebuild starts.
SETTLE = 0.5
_SKIP_DIRS = {"out", "__pycache__", "node_modules"}


def fingerprint(directories: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Every file under ``directories`` (hidden folders and ``out/`` skipped) with its size and
    modification time: what changes when the data does."""
    found: list[tuple[str, int, int]] = []
    for root in directories:
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
            for name in files:
                if name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                found.append((path, st.st_size, st.st_mtime_ns))
    return tuple(sorted(found))


class Watcher:
    """Calls ``reload()`` when the files under ``directories()`` change (see the module docstring)."""

    def __init__(self, directories: Callable[[], list[Path]], reload: Callable[[], object], *,
                 interval: float = 1.0) -> None:
        self.directories = directories
        self.reload = reload
        self.interval = interval
        self.stopped = threading.Event()
        self.seen = fingerprint(directories())
        self.thread = threading.Thread(target=self._run, name="kg-serve-watch", daemon=True)

    def start(self) -> Watcher:
        self.thread.start()
        return self

    def _run(self) -> None:
        while not self.stopped.wait(self.interval):
            now = fingerprint(self.directories())
            if now == self.seen:
                continue
            while not self.stopped.wait(SETTLE):  # until the writing has settled
                later = fingerprint(self.directories())
                if later == now:
                    break
                now = later
            if self.stopped.is_set():
                return
            self.seen = now  # files changed during the rebuild are seen on the next look
            self.reload()

    def stop(self) -> None:
        self.stopped.set()

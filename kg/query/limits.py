"""Time and memory limits for queries, enforced where the work can really be stopped.

pyoxigraph cannot be interrupted in-process, and a query can ask for unbounded memory (a 1 KB
query grew a process to 5.2 GB in 14 s). So a limited query runs in a process of its own:

* :func:`limit_memory` caps the process's data segment (``RLIMIT_DATA``: heap and private
  mappings, which is where the engine allocates) at what it holds now plus a budget; past it an
  allocation fails and the process ends (a Rust allocation failure aborts), never the machine;
* :func:`run_limited` is ``kg query``'s way of running one query: a child process loads the
  dataset, takes its memory limit, says it is ready, runs the query and sends the written result
  back; the parent kills it when it overruns ``timeout`` seconds (the time of loading the data
  is not counted), and turns its death by the memory limit into :class:`QueryMemory`. The
  endpoint's worker processes (:mod:`kg.serve.workers`) take the same limits.

Children come from a ``forkserver``: a clean single-threaded process that forks each child
(no fork of a process with threads, and no new interpreter per query after the first).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError, UsageError
from kg.query.errors import QueryMemory, QueryTimeout

__all__ = ["DEFAULT_MEMORY_MIB", "DEFAULT_TIMEOUT", "LimitedQuery", "data_bytes", "died_of_memory", "limit_memory",
           "quiet_aborts", "run_limited"]

#: Memory a query may take beyond the data its process holds, in MiB (``--memory-limit``).
DEFAULT_MEMORY_MIB = 2048
#: Seconds a query may run (``--timeout``): the same for ``kg query`` and ``kg serve``.
DEFAULT_TIMEOUT = 30.0


def data_bytes() -> int:
    """This process's data segment now (``VmData``: heap and private mappings), in bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # a fallback: KiB on Linux
    return usage * 1024


def limit_memory(mib: int | None) -> int | None:
    """Cap this process's data segment at what it holds now plus ``mib`` MiB (None: no cap).
    Returns the limit in bytes. Call it in a child process only: the cap cannot be raised again."""
    if not mib:
        return None
    limit = data_bytes() + mib * 2**20
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    return limit


def quiet_aborts() -> None:
    """An allocation that fails past the limit aborts the process with one line on standard error
    ("memory allocation of N bytes failed"); no Rust backtrace after it (``RUST_BACKTRACE``)."""
    os.environ["RUST_BACKTRACE"] = "0"
    os.environ.pop("RUST_LIB_BACKTRACE", None)


def died_of_memory(exitcode: int | None) -> bool:
    """Whether a child's exit code says an allocation failed: Rust aborts (SIGABRT), Python exits
    on a MemoryError it cannot report, and glibc may raise SIGSEGV when a thread stack cannot grow."""
    return exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS)


@dataclass(frozen=True)
class LimitedQuery:
    """What the child of :func:`run_limited` needs: where the dataset is and what to run."""

    data: str | None
    sources: tuple[str, ...]
    query: str
    params: Mapping[str, str]
    fmt: str
    width: int
    max_rows: int | None
    allow_service: tuple[str, ...]
    memory_mib: int | None
    cwd: str


def _child(conn: multiprocessing.connection.Connection, job: LimitedQuery) -> None:
    """Load, take the memory limit, say so, run the query, send ("ok", body) or ("error", text)."""
    try:
        _die_with_parent()
        os.chdir(job.cwd)  # the forkserver's directory is the one it started in
        from kg.project import open_project
        from kg.query.engine import Engine
        from kg.query.formats import dump_result, format_for
        from kg.query.runner import prepare

        project = open_project(Path(job.data) if job.data else None, sources=tuple(Path(s) for s in job.sources))
        engine = Engine.from_project(project, allow_service=job.allow_service)
        quiet_aborts()
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # the engine's own abort message: kg says it better
        limit_memory(job.memory_mib)
        conn.send(("ready", None))
        prepared = prepare(job.query, dict(job.params), engine, data_dir=project.data_dir, check_values=True)
        result = engine.query(prepared.text, prepared.params, max_rows=job.max_rows, source=prepared.source)
        body = dump_result(result, format_for(job.fmt, result.kind), max_width=job.width)
        conn.send(("ok", None))
        conn.send_bytes(body)
    except KgError as exc:
        conn.send(("error", (exc.exit_code, str(exc))))
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # noqa: BLE001 - a bug in kg: say what, not a traceback
        conn.send(("error", (2, f"the query failed inside kg ({type(exc).__name__}: {exc})")))
    conn.close()


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent goes: its parent is the forkserver, which
    exits when the last holder of its "alive" pipe does, so this process lets go of its copy and
    the forkserver then lives exactly as long as ``kg query`` (even one killed by SIGKILL). A query
    never outlives the command that ran it."""
    from multiprocessing import forkserver

    # multiprocessing hands every forkserver child the write end of that pipe, so that it may start
    # children of its own; this one starts none. (The attribute is the stdlib's, not kg's.)
    server = getattr(forkserver, "_forkserver", None)
    alive = getattr(server, "_forkserver_alive_fd", None)
    if alive is not None:
        os.close(alive)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent went before the request was made
        os._exit(1)


_CONTEXT: multiprocessing.context.ForkServerContext | None = None


def _context() -> multiprocessing.context.ForkServerContext:
    global _CONTEXT  # noqa: PLW0603 - one forkserver per process, made on first use
    if _CONTEXT is None:
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(["kg.query.limits", "kg.query.engine", "kg.load", "kg.build"])
    return _CONTEXT


class _ChildFailed(KgError):
    """The child's own error, with its exit code, as text."""

    def __init__(self, exit_code: int, message: str) -> None:
        self.exit_code = exit_code
        super().__init__(message)


def run_limited(data: Path | None, query: str, *, sources: Iterable[Path] = (),
                params: Mapping[str, str] | None = None, fmt: str = "table", width: int = 60,
                max_rows: int | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                memory_mib: int | None = DEFAULT_MEMORY_MIB, allow_service: Iterable[str] = (),
                load_timeout: float = 3600.0) -> bytes:
    """Run one query (a saved question's name, a ``.rq`` path or SPARQL text) over the dataset in
    ``data`` in a child process with a time and a memory limit, and return the written result.

    Raises the child's kg error (same message and exit code), :class:`QueryTimeout` when the query
    ran past ``timeout`` seconds (the child is killed), :class:`QueryMemory` when it needed more
    than ``memory_mib`` MiB beyond the loaded data.
    """
    job = LimitedQuery(str(data) if data is not None else None, tuple(str(s) for s in sources), query,
                       dict(params or {}), fmt, width, max_rows, tuple(allow_service), memory_mib, os.getcwd())
    ctx = _context()
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_child, args=(child, job), name="kg-query", daemon=True)
    process.start()
    child.close()
    try:
        deadline = time.monotonic() + load_timeout
        stage = "loading"
        while True:
            wait = deadline - time.monotonic()
            if wait <= 0 or not parent.poll(wait):
                if stage == "loading":
                    raise UsageError(f"loading the dataset took longer than {load_timeout:g} s")
                raise QueryTimeout(timeout or 0)
            try:
                kind, value = parent.recv()
            except (EOFError, OSError):
                process.join(5)
                if died_of_memory(process.exitcode) and stage == "running" and memory_mib:
                    raise QueryMemory(memory_mib) from None
                raise UsageError(f"the query process stopped (exit code {process.exitcode}) "
                                 f"while {stage}") from None
            if kind == "ready":
                stage = "running"
                deadline = time.monotonic() + (timeout if timeout else 10.0**9)
            elif kind == "ok":
                return parent.recv_bytes()
            elif kind == "memory":
                raise QueryMemory(memory_mib or 0)
            else:
                code, message = value
                raise _ChildFailed(code, message)
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()

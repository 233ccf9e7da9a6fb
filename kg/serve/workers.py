"""A pool of worker processes that run queries, each holding its own copy of the dataset.

A SPARQL engine cannot be interrupted from inside, so the time limit is enforced where the work
can really be stopped: each query runs in a worker process, and a worker that overruns the limit
is killed (SIGKILL) and replaced by a fresh one in the background. Several workers serve several
clients at once, so one slow query never blocks the others. Workers start with the ``spawn``
method (no fork of a threaded server) and load the dataset from an N-Quads file.

Each worker also has a memory limit (``memory_mib`` beyond the data it holds, see
:func:`kg.query.limits.limit_memory`): a query that needs more ends its worker, which is replaced,
and its client gets a 503 that says so. Results are capped in rows and in bytes, in the worker.

**Supervision.** A worker that dies or is killed is replaced in the background; a replacement that
fails to start is retried (``RESPAWN_TRIES`` times, waiting 0.5, 1, 2, 4 ... s between tries).
When a worker cannot be brought back, the pool says so loudly (standard error, ``/status``) and
calls ``on_failure``: ``kg serve`` then stops with exit code 2 rather than answer 503 for ever.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib.term import Node

from kg.errors import KgError

if TYPE_CHECKING:
    from kg.query.formats import ResultFormat

__all__ = ["MAX_TIMEOUT", "MAX_WORKERS", "RESPAWN_TRIES", "Reply", "Task", "WorkerFailure", "WorkerPool"]

_CTX = multiprocessing.get_context("spawn")
MAX_WORKERS = 64  # each worker holds a copy of the data
MAX_TIMEOUT = 86_400.0  # seconds: a day
RESPAWN_TRIES = 5  # starts of a replacement worker before the pool gives up
RESPAWN_FIRST_WAIT = 0.5  # seconds before the second try; doubled after each failed try


class WorkerFailure(KgError):
    """The query workers could not be started, or a dead one could not be brought back."""


@dataclass(frozen=True)
class Task:
    """One query for a worker: text, bound values, the wanted format (a name, or an Accept header)."""

    text: str
    params: Mapping[str, Node]
    format_name: str | None = None
    accept: str | None = None
    source: str = "query"


@dataclass(frozen=True)
class Reply:
    """What a worker answered: ``status`` is ``ok``, ``query-error``, ``update``, ``too-large``,
    ``bad-request``, ``error``, ``timeout`` or ``busy``."""

    status: str
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    message: str = ""
    detail: Mapping[str, Any] | None = None
    seconds: float = 0.0  # the worker's time on the query: running it and writing the result


def _worker_main(conn: Connection, nquads: str, prefixes: dict[str, str], base: str | None,
                 max_rows: int | None, max_bytes: int | None = None, memory_mib: int | None = None,
                 allow_service: tuple[str, ...] = ()) -> None:
    """The loop of one worker process: receive a Task, send a Reply, until the pipe closes."""
    import sys
    import traceback

    from kg.errors import UsageError, escape_controls
    from kg.query.engine import Engine
    from kg.query.errors import NotRepresentable, QueryError, ResultTooLarge, UpdateRefused
    from kg.query.formats import dump_result
    from kg.query.limits import limit_memory, quiet_aborts

    try:
        engine = Engine.from_nquads(Path(nquads), prefixes=prefixes, base=base, allow_service=allow_service)
    except (OSError, ValueError, SyntaxError) as exc:  # its data file gone or unreadable: say so, once
        sys.stderr.write(escape_controls(f"error: a query worker could not load the data ({exc})") + "\n")
        sys.stderr.flush()
        os._exit(1)
    quiet_aborts()
    limit_memory(memory_mib)
    conn.send(Reply("ready", message=str(os.getpid())))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        started = time.perf_counter()
        try:
            # The format a SELECT result would get: Oxigraph writes such a result straight in it
            # (JSON, XML or TSV), with no Python object per row; CSV goes through the rows.
            select = _chosen_format(task, "select")
            if select.name in ("json", "xml", "tsv"):
                result = engine.query_bytes(task.text, task.params, select_format=select.name,
                                            max_rows=max_rows, max_bytes=max_bytes, source=task.source)
            else:
                result = engine.query(task.text, task.params, max_rows=max_rows, source=task.source)
            if isinstance(result, bytes):
                reply = Reply("ok", result, select.content_type)
            else:
                fmt = _chosen_format(task, result.kind)
                reply = Reply("ok", dump_result(result, fmt), fmt.content_type)
            if max_bytes is not None and len(reply.body) > max_bytes:
                raise ResultTooLarge(max_bytes, "bytes")
        except UpdateRefused as exc:
            reply = Reply("update", message=str(exc), detail=exc.to_dict())
        except QueryError as exc:
            reply = Reply("query-error", message=str(exc), detail=exc.to_dict())
        except ResultTooLarge as exc:
            reply = Reply("too-large", message=str(exc))
        except NotRepresentable as exc:
            reply = Reply("not-acceptable", message=str(exc))
        except UsageError as exc:
            reply = Reply("bad-request", message=str(exc))
        except MemoryError:
            reply = Reply("memory", message=f"the query needed more than {memory_mib} MiB of memory (the limit) "
                                            "and was stopped; narrow the query")
        except Exception:  # noqa: BLE001 - a worker must answer, whatever went wrong
            # The details go to the server's log, not to the client (they are the server's business).
            sys.stderr.write(escape_controls(traceback.format_exc(), keep_newlines=True))
            reply = Reply("error", message="the query failed inside the endpoint (an error in kg: the server's "
                                           "log has the details)")
        _send_reply(conn, replace(reply, seconds=time.perf_counter() - started))


def _send_reply(conn: Connection, reply: Reply) -> None:
    """A reply goes as two messages: the reply without its body, then the body as raw bytes (a
    result of megabytes is not copied into and out of a pickle on its way: about 1 ms a MB)."""
    conn.send(replace(reply, body=b""))
    conn.send_bytes(reply.body)


def _recv_reply(conn: Connection, max_bytes: int | None = None) -> Reply:
    """The other end of :func:`_send_reply`. A body over ``max_bytes`` (and a margin: the worker
    applies the cap itself) is refused without being read (OSError)."""
    reply = conn.recv()
    return replace(reply, body=conn.recv_bytes(max_bytes + 2**20 if max_bytes else None))


def _chosen_format(task: Task, kind: str) -> ResultFormat:
    """The format of a result of this kind: ``?format=`` when it fits the kind, else by Accept."""
    from kg.query.formats import RESULT_FORMATS, format_for, negotiate

    if task.format_name and kind in RESULT_FORMATS[task.format_name].kinds:
        return format_for(task.format_name, kind)
    return negotiate(task.accept, kind)


class _Worker:
    def __init__(self, args: tuple) -> None:
        parent, child = _CTX.Pipe()
        self.conn = parent
        self.process = _CTX.Process(target=_worker_main, args=(child, *args), daemon=True,
                                    name="kg-serve-worker")
        self.process.start()
        child.close()
        self.busy = False
        self.dead = False  # found dead and replaced: dropped when it comes out of the idle queue

    @property
    def pid(self) -> int:
        return self.process.pid or 0

    def wait_ready(self, timeout: float) -> bool:
        if self.conn.poll(timeout):
            try:
                return self.conn.recv().status == "ready"
            except (EOFError, OSError):
                return False
        return False

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes over one N-Quads file; :meth:`run` answers a Task or times out.

    ``timeout`` (seconds) bounds each query, waiting for a free worker included; ``max_rows`` and
    ``max_bytes`` cap each result; ``memory_mib`` is each worker's memory beyond its data (None:
    no limit); ``allow_service`` the endpoints a query may call with SERVICE. ``on_failure`` is
    called with a message when a dead worker cannot be replaced (see the module docstring).
    """

    def __init__(self, nquads: Path, *, prefixes: Mapping[str, str], base: str | None, size: int = 2,
                 timeout: float = 30.0, max_rows: int | None = 10_000, start_timeout: float = 60.0,
                 max_bytes: int | None = None, memory_mib: int | None = None,
                 allow_service: Iterable[str] = (), on_failure: Callable[[str], None] | None = None,
                 respawn_tries: int = RESPAWN_TRIES) -> None:
        if not 1 <= size <= MAX_WORKERS:
            raise ValueError(f"a pool has 1 to {MAX_WORKERS} workers, not {size}")
        if not 0 < timeout <= MAX_TIMEOUT:  # NaN too
            raise ValueError(f"the time limit is a number of seconds up to {MAX_TIMEOUT:g}, not {timeout}")
        self.size = size
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.memory_mib = memory_mib
        self.start_timeout = start_timeout
        self.on_failure = on_failure
        self.respawn_tries = respawn_tries
        self._args = (str(nquads), dict(prefixes), base, max_rows, max_bytes, memory_mib, tuple(allow_service))
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.killed = 0
        self.respawn_failures = 0  # failed starts of replacement workers (each retried)
        self.failure: str | None = None  # why the pool gave up, once it has

    def start(self) -> WorkerPool:
        """Start every worker and wait until each has loaded the data."""
        workers = [_Worker(self._args) for _ in range(self.size)]
        for worker in workers:
            if not worker.wait_ready(self.start_timeout):
                for w in workers:
                    w.kill()
                raise WorkerFailure("a query worker failed to start (see its error above)")
            with self._lock:
                self._all.add(worker)
            self._idle.put(worker)
        threading.Thread(target=self._monitor, name="kg-serve-monitor", daemon=True).start()
        return self

    def _monitor(self) -> None:
        """Find workers that died while idle (killed from outside, out of memory) and replace them."""
        while not self._closed:
            time.sleep(0.5)
            with self._lock:
                gone = [w for w in self._all if not w.busy and not w.dead and not w.process.is_alive()]
                for worker in gone:
                    worker.dead = True
            for worker in gone:
                if not self._closed:
                    self._replace(worker)

    def status(self) -> dict[str, object]:
        """Worker pids and which are busy, the limits, and how the workers fared (the endpoint's /status)."""
        with self._lock:
            workers = sorted(({"pid": w.pid, "busy": w.busy} for w in self._all), key=lambda w: w["pid"])
        return {"workers": workers, "timeout": self.timeout, "max_rows": self.max_rows, "max_bytes": self.max_bytes,
                "memory_limit_mib": self.memory_mib, "killed": self.killed,
                "respawn_failures": self.respawn_failures, "failure": self.failure}

    def run(self, task: Task) -> Reply:
        """Run one task on a free worker within the time limit.

        The client's answer comes within ``timeout`` seconds, waiting for a worker included. A
        worker is killed only when the query itself has run for ``timeout`` seconds: a query that
        spent most of its time waiting for a worker gets the 503 at the deadline, but its worker is
        left to finish (its answer dropped) and stays in the pool, so that a queue of clients does
        not turn into a stream of killed and respawned workers.
        """
        if self.failure is not None:
            return Reply("busy", message=f"the endpoint is stopping: {self.failure}")
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                worker = self._idle.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                return Reply("busy", message=f"every query worker stayed busy for {self.timeout:g} s; "
                                             "try again later")
            if worker.dead:
                continue  # replaced already
            if not worker.process.is_alive():
                worker.dead = True
                self._replace(worker)
                continue
            break
        worker.busy = True
        started = time.monotonic()
        try:
            worker.conn.send(task)
            if worker.conn.poll(max(deadline - time.monotonic(), 0.0)):
                reply = _recv_reply(worker.conn, self.max_bytes)
                worker.busy = False
                self._idle.put(worker)
                return reply
        except (EOFError, OSError, ValueError):
            worker.process.join(1)
            code = worker.process.exitcode
            self._replace(worker)
            from kg.query.limits import died_of_memory

            if self.memory_mib and died_of_memory(code):
                return Reply("memory", message=f"the query needed more than {self.memory_mib} MiB of memory (the "
                                               "memory limit) and was stopped; narrow the query")
            return Reply("error", message="the query worker died; it has been replaced")
        left = self.timeout - (time.monotonic() - started)
        if left > 0:
            threading.Thread(target=self._finish, args=(worker, left), name="kg-serve-finish", daemon=True).start()
            return Reply("timeout", message=f"no answer within {self.timeout:g} s (the time limit): the query "
                                            "waited for a busy worker; try again later")
        self._replace(worker)
        return Reply("timeout", message=f"the query ran longer than {self.timeout:g} s (the time limit) "
                                        "and was stopped")

    def _finish(self, worker: _Worker, left: float) -> None:
        """Let a worker finish a query whose client has had its 503: its answer is dropped and it
        goes back to the pool, or it is killed when the query reaches the time limit."""
        try:
            if worker.conn.poll(left):
                _recv_reply(worker.conn, self.max_bytes)
                worker.busy = False
                self._idle.put(worker)
                return
        except (EOFError, OSError, ValueError):
            pass
        self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker now; start its replacement in the background, with retries."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.killed += 1
        if self._closed:
            return
        threading.Thread(target=self._respawn, name="kg-serve-respawn", daemon=True).start()

    def _respawn(self) -> None:
        """Start a replacement worker; retry with back-off; give up loudly."""
        import sys

        wait = RESPAWN_FIRST_WAIT
        for attempt in range(1, self.respawn_tries + 1):
            if self._closed:
                return
            fresh = _Worker(self._args)
            if fresh.wait_ready(self.start_timeout) and not self._closed:
                with self._lock:
                    self._all.add(fresh)
                self._idle.put(fresh)
                return
            fresh.kill()
            if self._closed:
                return
            with self._lock:
                self.respawn_failures += 1
            sys.stderr.write(f"warning: a replacement query worker failed to start (try {attempt} of "
                             f"{self.respawn_tries})\n")
            if attempt < self.respawn_tries:
                time.sleep(wait)
                wait *= 2
        with self._lock:
            alive = len(self._all)
        self.failure = (f"a query worker died and could not be restarted in {self.respawn_tries} tries "
                        f"({alive} of {self.size} workers left); see the errors above")
        sys.stderr.write(f"error: {self.failure}\n")
        sys.stderr.flush()
        if self.on_failure is not None:
            self.on_failure(self.failure)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()

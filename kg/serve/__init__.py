"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a built dataset, the explorer
and a query UI that works offline.

::

    import kg.serve
    kg.serve.serve(kg.open_project(), host="127.0.0.1", port=8000)   # blocks; Ctrl-C stops it

Each query runs in a worker process holding its own copy of the data, killed when it overruns
the time limit (so the CPU is freed, not just the client), and results above the row cap are
refused: both are settings. See :mod:`kg.serve.app` for the routes and status codes.

Workers are started with multiprocessing's ``spawn`` method, so a script that calls
:func:`serve` or :func:`open_server` must do so under ``if __name__ == "__main__":``.
"""

from kg.serve.app import Endpoint, make_server
from kg.serve.explorer import explorer_page, placeholder_page
from kg.serve.server import Server, open_server, serve
from kg.serve.workers import Reply, Task, WorkerPool

__all__ = [
    "Endpoint",
    "Reply",
    "Server",
    "Task",
    "WorkerPool",
    "explorer_page",
    "make_server",
    "open_server",
    "placeholder_page",
    "serve",
]

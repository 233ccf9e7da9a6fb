"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a built dataset, the explorer
and a query UI that works offline.

::

    import kg.serve
    kg.serve.serve(kg.open_project(), host="127.0.0.1", port=8000)   # blocks; Ctrl-C stops it

Each query runs in a worker process holding its own copy of the data, killed when it overruns
the time limit (so the CPU is freed, not just the client) or its memory limit, and results above
the row or byte cap are refused: all are settings. Requests from other sites' pages and for other
host names are refused, connections are capped and timed (:mod:`kg.serve.app` has the routes,
status codes and checks); dead workers are replaced under supervision (:mod:`kg.serve.workers`);
``watch=True`` swaps in the data when it changes (:mod:`kg.serve.watch`).

Workers are started with multiprocessing's ``spawn`` method, so a script that calls
:func:`serve` or :func:`open_server` must do so under ``if __name__ == "__main__":``.
"""

from kg.serve.app import DataVersion, Endpoint, make_server
from kg.serve.explorer import explorer_page, placeholder_page
from kg.serve.server import Server, open_server, serve
from kg.serve.workers import Reply, Task, WorkerFailure, WorkerPool

__all__ = [
    "DataVersion",
    "Endpoint",
    "Reply",
    "Server",
    "Task",
    "WorkerFailure",
    "WorkerPool",
    "explorer_page",
    "make_server",
    "open_server",
    "placeholder_page",
    "serve",
]

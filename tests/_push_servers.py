"""Real triple stores for the push tests, started on 127.0.0.1 (a free port) and stopped by the
fixtures that use them. Start-up is bounded: each waits for HTTP with a deadline."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


def require_binary(name: str, *extra_dirs: Path) -> str:
    """The path of a binary; a failure under CI=true, else a visible skip, when it is missing."""
    path = shutil.which(name, path=os.pathsep.join([*map(str, extra_dirs), os.environ.get("PATH", "")]))
    if path:
        return path
    message = f"{name} is not installed (make test installs it: see README, 'Export and push')"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
    raise AssertionError  # unreachable


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float, log: Path | None = None) -> None:
    """Poll ``url`` until it answers, the process dies, or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            text = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}\n{text}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer {url} within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@dataclass
class Store:
    """A running store: its Graph Store endpoint and SPARQL query endpoint."""

    store_url: str
    query_url: str
    proc: subprocess.Popen


def start_oxigraph(location: Path) -> Store:
    binary = require_binary("oxigraph", Path(sys.executable).parent)
    port = free_port()
    log = location.parent / f"{location.name}.log"
    with open(log, "wb") as handle:
        proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                 "--timeout-s", "30"], stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/", proc, timeout=20, log=log)
    except BaseException:
        stop(proc)
        raise
    return Store(base + "/store", base + "/query", proc)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {vsp}
ServerThreads = 10
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
DefaultQuery = select distinct ?Concept where {{[] a ?Concept}} LIMIT 100
"""


def start_virtuoso(directory: Path) -> Store:
    binary = require_binary("virtuoso-t")
    directory.mkdir(parents=True, exist_ok=True)
    isql, http = free_port(), free_port()
    (directory / "virtuoso.ini").write_text(VIRTUOSO_INI.format(
        d=directory, isql=isql, http=http, vsp=VIRTUOSO_VSP), encoding="utf-8")
    log = directory / "virtuoso.log"
    with open(directory / "stdout.log", "wb") as handle:
        proc = subprocess.Popen([binary, "+foreground", "+configfile", str(directory / "virtuoso.ini")],
                                cwd=directory, stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http}"
    try:
        wait_http(base + "/sparql", proc, timeout=60, log=log)
    except BaseException:
        stop(proc)
        raise
    return Store(base + "/sparql-graph-crud-auth", base + "/sparql", proc)


#: Analyst questions asked of the local graph and of every store after a push.
QUESTIONS = {
    "events in Mexico": """SELECT DISTINCT ?e WHERE {{ ?e a kg:Event ; kg:place ?p .
        ?p kg:locatedIn* <{base}mexico> }}""",
    # Through the claims: every perpetrator of the bundled data is someone's claim, never a fact.
    "who is said to have perpetrated attacks with equipment, and how": """SELECT DISTINCT ?a ?quote ?m WHERE {{
        ?c rdf:subject ?e ; rdf:predicate kg:perpetrator ; rdf:object ?a ; kg:quote ?quote ; kg:modality ?m .
        ?c2 rdf:subject ?e ; rdf:predicate kg:usedEquipment }}""",
    "claims by modality": """SELECT ?m (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a kg:Claim ; kg:modality ?m }}
        GROUP BY ?m""",
    "people killed by event": "SELECT DISTINCT ?e ?k WHERE {{ ?e kg:killed ?k }}",
}
PREFIXES = ("PREFIX kg: <https://w3id.org/osint-kg/ontology#>\n"
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n")


def local_answers(graph, base: str) -> dict[str, list[tuple[str, ...]]]:
    return {name: sorted(tuple(str(v) for v in row) for row in graph.query(PREFIXES + q.format(base=base)))
            for name, q in QUESTIONS.items()}


def remote_answers(query_url: str, base: str, union: bool = False) -> dict[str, list[tuple[str, ...]]]:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    out = {}
    for name, q in QUESTIONS.items():
        sparql = SPARQLWrapper(query_url)
        sparql.setMethod(POST)
        sparql.setReturnFormat(JSON)
        if union:
            sparql.addParameter("union-default-graph", "true")
        sparql.setQuery(PREFIXES + q.format(base=base))
        result = sparql.queryAndConvert()
        names = result["head"]["vars"]
        out[name] = sorted(tuple(b[v]["value"] for v in names) for b in result["results"]["bindings"])
    return out


def remote_count(query_url: str, graph: str | None) -> int:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    sparql = SPARQLWrapper(query_url)
    sparql.setMethod(POST)
    sparql.setReturnFormat(JSON)
    sparql.setQuery(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(sparql.queryAndConvert()["results"]["bindings"][0]["n"]["value"])


class FaultProxy:
    """A tiny HTTP proxy on 127.0.0.1 in front of a store, for fault injection: each request is
    shown to ``fault(request)``, which answers None (forward it), an HTTP status (answer that
    status without forwarding) or a float (forward it, then wait that many seconds before
    answering). ``calls`` records (method, path, status) and ``uploads`` counts the Graph Store
    writes (PUT/POST to /store)."""

    def __init__(self, upstream: str, fault) -> None:
        import http.server
        import threading

        self.upstream = upstream.rstrip("/")
        self.fault = fault
        self.calls: list[tuple[str, str, int]] = []
        self.uploads = 0
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                with proxy.lock:
                    upload = self.command in ("PUT", "POST") and self.path.startswith("/store")
                    if upload:
                        proxy.uploads += 1
                    request = ProxiedRequest(self.command, self.path, body, dict(self.headers),
                                             proxy.uploads if upload else 0)
                    action = proxy.fault(request)
                if isinstance(action, int):
                    status, headers, content = action, {}, b"injected fault"
                else:
                    headers = {k: v for k, v in self.headers.items()
                               if k.lower() not in ("host", "content-length", "connection")}
                    answer = httpx.request(self.command, proxy.upstream + self.path, headers=headers,
                                           content=body, timeout=120)
                    status, content = answer.status_code, answer.content
                    headers = {k: v for k, v in answer.headers.items()
                               if k.lower() in ("content-type", "www-authenticate")}
                    if isinstance(action, float):
                        time.sleep(action)
                with proxy.lock:
                    proxy.calls.append((self.command, self.path, status))
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                except (BrokenPipeError, ConnectionResetError):  # the client stopped waiting
                    self.close_connection = True

            do_GET = do_PUT = do_POST = do_DELETE = _handle

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class ProxiedRequest:
    """A request seen by :class:`FaultProxy`: ``upload`` is its rank among the Graph Store
    writes (1 for the first), 0 for any other request."""

    method: str
    path: str
    body: bytes
    headers: dict[str, str]
    upload: int


def staging_graphs(query_url: str) -> list[str]:
    """The staging graphs (urn:kg:staging:...) in a store, asked directly: the named graphs
    (``GRAPH ?g {}``, empty ones included, on Oxigraph) and those holding triples."""
    found = set()
    for where in ("GRAPH ?g { }", "GRAPH ?g { ?s ?p ?o }"):
        answer = httpx.post(query_url, data={"query": f"SELECT DISTINCT ?g WHERE {{ {where} }}"},
                            headers={"Accept": "application/sparql-results+json"}, timeout=60)
        answer.raise_for_status()
        found |= {b["g"]["value"] for b in answer.json()["results"]["bindings"] if "g" in b}
    return sorted(g for g in found if g.startswith("urn:kg:staging:"))


def graph_lines(store_url: str, graph: str) -> frozenset[bytes]:
    """The N-Triples lines of one graph of an Oxigraph store (Graph Store GET)."""
    answer = httpx.get(store_url, params={"graph": graph}, headers={"Accept": "application/n-triples"},
                       timeout=60)
    if answer.status_code == 404:
        return frozenset()
    answer.raise_for_status()
    return frozenset(line for line in answer.content.splitlines() if line.strip())

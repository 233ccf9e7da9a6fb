"""kg push against a real Oxigraph server on 127.0.0.1 (started and stopped here): per-graph
counts match, the analyst questions get the same answers as over the local graph, merge and
replace behave, credentials stay out of argv and output, transient failures are retried."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.errors import UsageError
from kg.export.push import (
    AuthError,
    Credentials,
    PushError,
    credentials_from,
    derive_query_url,
    derive_update_url,
    push_dataset,
)
from kg.output.rdf import single_graph

from _push_servers import FaultProxy, local_answers, remote_answers, remote_count, start_oxigraph, stop


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    store = start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db")
    yield store
    stop(store.proc)


def test_push_then_counts_and_answers_match(oxigraph, bundled_dataset, bundled_project) -> None:
    result = push_dataset(bundled_dataset, oxigraph.store_url, chunk_size=1000, progress=False)
    assert [g.source for g in result.graphs][0] == "default"
    assert result.requests > len(result.graphs) * 2  # several chunks per big graph, plus the checks
    for g in result.graphs:
        assert g.stored == g.sent
        assert remote_count(oxigraph.query_url, None if g.target == "default" else g.target) == g.sent
    base = bundled_project.base
    expected = local_answers(single_graph(bundled_dataset), base)
    assert all(expected.values())
    assert remote_answers(oxigraph.query_url, base, union=True) == expected


def test_merge_adds_and_replace_replaces(oxigraph, make_dataset, bundled_dataset, bundled_project) -> None:
    project = kg.open_project(make_dataset())
    mini = kg.build(kg.load(project))
    target = "https://example.org/test/merge"
    first = push_dataset(mini, oxigraph.store_url, graph="default", default_graph_iri=target, progress=False)
    n_mini = first.graphs[0].sent
    assert remote_count(oxigraph.query_url, target) == n_mini
    # merging the same graph again changes nothing (triples are a set)
    again = push_dataset(mini, oxigraph.store_url, graph="default", default_graph_iri=target,
                         replace=False, progress=False)
    assert again.graphs[0].before == again.graphs[0].stored == n_mini
    # merging another graph adds to it
    merged = push_dataset(bundled_dataset, oxigraph.store_url, graph="default", default_graph_iri=target,
                          replace=False, progress=False, chunk_size=100)
    n_both = merged.graphs[0].stored
    assert n_both == n_mini + merged.graphs[0].sent  # the two datasets share no triple
    # replacing drops what was there
    push_dataset(mini, oxigraph.store_url, graph="default", default_graph_iri=target, progress=False)
    assert remote_count(oxigraph.query_url, target) == n_mini


def test_cli_push_reads_credentials_from_env_and_never_prints_them(oxigraph, make_dataset, tmp_path) -> None:
    secret = "s3cret-Pa55word"
    runner = CliRunner()
    result = runner.invoke(main, ["push", "--to", oxigraph.store_url, "--data", str(make_dataset()),
                                  "--default-graph-iri", "https://example.org/test/cli", "--auth", "basic"],
                           env={"KG_PUSH_USER": "alice", "KG_PUSH_PASSWORD": secret})
    assert result.exit_code == 0, result.output
    assert secret not in result.output and "pushed" in result.output
    assert remote_count(oxigraph.query_url, "https://example.org/test/cli") > 0
    creds = tmp_path / "creds"
    creds.write_text(f"alice:{secret}\n")
    creds.chmod(0o644)  # readable by others: refused, as ssh refuses such a key
    with pytest.raises(UsageError, match="chmod 600"):
        credentials_from({}, creds)
    creds.chmod(0o600)
    assert credentials_from({}, creds) == Credentials("alice", secret)
    assert secret not in repr(credentials_from({}, creds))
    result = runner.invoke(main, ["push", "--to", oxigraph.store_url, "--data", str(make_dataset()),
                                  "--auth", "digest"], env={"KG_PUSH_USER": "", "KG_PUSH_PASSWORD": ""})
    assert result.exit_code == 2 and "KG_PUSH_USER" in result.output


def test_usage_errors(bundled_dataset) -> None:
    with pytest.raises(UsageError, match="credentials do not belong in the URL"):
        push_dataset(bundled_dataset, "http://bob:pw@127.0.0.1:1/store")
    with pytest.raises(UsageError, match="no graph"):
        push_dataset(bundled_dataset, "http://127.0.0.1:1/store", graph="https://example.org/none")
    with pytest.raises(UsageError, match="--query-url"):
        push_dataset(bundled_dataset, "http://127.0.0.1:1/somewhere")
    assert derive_query_url("http://h:7878/store") == "http://h:7878/query"
    assert derive_query_url("http://h/sparql-graph-crud-auth") == "http://h/sparql"
    assert derive_query_url("http://h/ds/data") == "http://h/ds/query"
    assert derive_query_url("http://h/repositories/r/rdf-graphs/service") == "http://h/repositories/r"
    assert derive_update_url("http://h:7878/store") == "http://h:7878/update"
    assert derive_update_url("http://h/sparql-graph-crud-auth") == "http://h/sparql-auth"
    assert derive_update_url("http://h/sparql-graph-crud") == "http://h/sparql"
    assert derive_update_url("http://h/ds/data") == "http://h/ds/update"
    assert derive_update_url("http://h/repositories/r/rdf-graphs/service") == "http://h/repositories/r/statements"
    with pytest.raises(UsageError, match="--update-url"):
        push_dataset(bundled_dataset, "http://127.0.0.1:1/somewhere", query_url="http://127.0.0.1:1/q")


def test_unreachable_store_fails_after_bounded_retries(make_dataset) -> None:
    from _push_servers import free_port

    ds = kg.build(kg.load(kg.open_project(make_dataset())))
    with pytest.raises(PushError, match="no answer after 2 tries"):
        push_dataset(ds, f"http://127.0.0.1:{free_port()}/store", retries=1, timeout=2, progress=False)


def test_transient_failures_are_retried_and_auth_failures_are_not(oxigraph, make_dataset) -> None:
    ds = kg.build(kg.load(kg.open_project(make_dataset())))
    target = "https://example.org/test/flaky"
    # a proxy in front of the real store answers 503 to the first upload only
    with FaultProxy(oxigraph.store_url.rsplit("/", 1)[0], lambda r: 503 if r.upload == 1 else None) as proxy:
        result = push_dataset(ds, proxy.base + "/store", graph="default", default_graph_iri=target,
                              progress=False)
        uploads = [(m, s) for m, path, s in proxy.calls if path.startswith("/store")]
        assert uploads == [("PUT", 503), ("PUT", 201)]
        assert result.graphs[0].stored == result.graphs[0].sent == remote_count(oxigraph.query_url, target)
    # 401 (user mallory) is never retried, and the password is never shown
    with FaultProxy(oxigraph.store_url.rsplit("/", 1)[0],
                    lambda r: 401 if "bWFsbG9yeT" in r.headers.get("Authorization", "") else None) as proxy:
        with pytest.raises(AuthError, match="HTTP 401") as info:
            push_dataset(ds, proxy.base + "/store", graph="default", default_graph_iri=target, progress=False,
                         auth="basic", credentials=Credentials("mallory", "hunter2"))
        assert "hunter2" not in str(info.value)
        assert len(proxy.calls) == 1  # never retried


# --- hostile stores (issue 18 item 13): trickle, huge error bodies, echoed secrets, redirect loops -----

import base64  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402

from kg.export.push import InsecureAuthWarning, insecure_auth_warning  # noqa: E402

SECRET = "s3cret-Pa55word"
ECHO = f"Authorization: Basic {base64.b64encode(f'alice:{SECRET}'.encode()).decode()} password={SECRET}"


@contextmanager
def hostile_store(behaviour: str):
    """A 'store' on 127.0.0.1 that misbehaves: ``trickle`` (its answer one byte every 0.5 s, for a
    minute at most), ``huge`` (HTTP 500 with a 300 MB body), ``echo`` (HTTP 500 echoing the
    credentials) or ``loop`` (a redirect to itself)."""
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            try:
                if behaviour == "trickle":
                    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}" * 10:
                        if stop.wait(0.5):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                elif behaviour == "huge":
                    size = 300 * 2**20
                    self.wfile.write(f"HTTP/1.1 500 Oops\r\nContent-Length: {size}\r\n\r\n".encode())
                    block = b"E" * 2**20
                    for _ in range(300):
                        self.wfile.write(block)
                elif behaviour == "echo":
                    body = f"internal error; request was: {ECHO}".encode()
                    self.send_response(500)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self.send_response(302)
                    self.send_header("Location", self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
            except OSError:
                pass  # the client hung up, as it should

        do_GET = do_POST = do_PUT = _any  # noqa: N815

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def mini_ds():
    from pathlib import Path

    return kg.build(kg.load(kg.open_project(Path(__file__).resolve().parent / "fixtures" / "mini")))


def test_a_trickling_store_is_cut_off_at_the_request_deadline(mini_ds) -> None:
    with hostile_store("trickle") as url:
        started = time.monotonic()
        with pytest.raises(PushError, match="no complete answer within 2 s"):
            push_dataset(mini_ds, url, timeout=2, retries=1, progress=False)
        assert time.monotonic() - started < 10  # two tries of 2 s and a pause; 104 s before


def test_sigterm_stops_a_push_to_a_trickling_store(tmp_path) -> None:
    from pathlib import Path

    mini = Path(__file__).resolve().parent / "fixtures" / "mini"
    with hostile_store("trickle") as url:
        proc = subprocess.Popen([sys.executable, "-m", "kg", "push", "--to", url, "--data", str(mini), "-q",
                                 "--timeout", "600", "--no-shacl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "KG_PUSH_USER": ""})
        time.sleep(4)  # loaded, built, and waiting on the store
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
        assert time.monotonic() - started < 8
        assert proc.returncode == 2 and b"stopped before the switch" in stderr and b"Traceback" not in stderr


def _push_process(behaviour: str) -> tuple[int, bytes, int]:
    """``kg push`` of the mini dataset to a hostile store: exit code, standard error, and the
    process's peak memory in bytes (its own rusage)."""
    from pathlib import Path

    mini = Path(__file__).resolve().parent / "fixtures" / "mini"
    with hostile_store(behaviour) as url:
        proc = subprocess.Popen([sys.executable, "-m", "kg", "push", "--to", url, "--data", str(mini), "-q",
                                 "--retries", "0", "--no-shacl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "KG_PUSH_USER": ""})
        stderr = proc.stderr.read()
        proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, stderr, usage.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux


def test_a_huge_error_body_is_not_read() -> None:
    code, stderr, peak = _push_process("huge")
    assert code == 2 and b"HTTP 500" in stderr and b"Traceback" not in stderr, stderr[-500:]
    assert len(stderr) < 2000
    _, _, baseline = _push_process("echo")  # the same push, answered by a small error
    assert peak < baseline + 64 * 2**20, (peak, baseline)  # far below the 300 MB body


def test_credentials_echoed_by_a_store_are_never_shown(mini_ds) -> None:
    with hostile_store("echo") as url, pytest.raises(PushError) as info:
        push_dataset(mini_ds, url, retries=0, progress=False, auth="basic",
                     credentials=Credentials("alice", SECRET))
    message = str(info.value)
    assert "HTTP 500" in message and "[redacted]" in message
    assert SECRET not in message and base64.b64encode(f"alice:{SECRET}".encode()).decode() not in message


def test_a_redirect_loop_is_an_error_not_a_traceback(mini_ds, tmp_path) -> None:
    from pathlib import Path

    with hostile_store("loop") as url:
        with pytest.raises(PushError, match="redirects in a loop"):
            push_dataset(mini_ds, url, retries=0, progress=False)
        mini = Path(__file__).resolve().parent / "fixtures" / "mini"
        proc = subprocess.run([sys.executable, "-m", "kg", "push", "--to", url, "--data", str(mini), "-q",
                               "--no-shacl"], capture_output=True, timeout=120, env={**os.environ, "KG_PUSH_USER": ""})
    assert proc.returncode == 2 and b"redirects in a loop" in proc.stderr and b"Traceback" not in proc.stderr


def test_basic_auth_over_plain_http_to_another_machine_is_warned_about(mini_ds) -> None:
    alice = Credentials("alice", SECRET)
    assert insecure_auth_warning("http://store.example.org/store", None, alice)
    assert insecure_auth_warning("http://10.1.2.3:7878/store", "basic", alice)
    for url, auth in (("https://store.example.org/store", "basic"), ("http://127.0.0.1:7878/store", "basic"),
                      ("http://localhost/store", "basic"), ("http://[::1]/store", "basic"),
                      ("http://store.example.org/store", "digest")):
        assert insecure_auth_warning(url, auth, alice) is None, url
    assert insecure_auth_warning("http://store.example.org/store", None, None) is None
    # Said before any request: this push stops at a usage error before it reaches the network.
    with pytest.warns(InsecureAuthWarning, match="over plain http"), pytest.raises(UsageError, match="no graph"):
        push_dataset(mini_ds, "http://192.0.2.1:7878/store", graph="nope", credentials=alice, progress=False)

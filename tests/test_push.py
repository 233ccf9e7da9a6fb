"""kg push against a real Oxigraph server on 127.0.0.1 (started and stopped here): per-graph
counts match, the analyst questions get the same answers as over the local graph, merge and
replace behave, credentials stay out of argv and output, transient failures are retried."""

from __future__ import annotations

import http.server
import threading

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.errors import UsageError
from kg.export.push import (AuthError, Credentials, PushError, credentials_from, derive_query_url,
                            push_dataset)
from kg.serialize import single_graph

from _push_servers import local_answers, remote_answers, remote_count, start_oxigraph, stop


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


def test_unreachable_store_fails_after_bounded_retries(make_dataset) -> None:
    from _push_servers import free_port

    ds = kg.build(kg.load(kg.open_project(make_dataset())))
    with pytest.raises(PushError, match="no answer after 2 tries"):
        push_dataset(ds, f"http://127.0.0.1:{free_port()}/store", retries=1, timeout=2, progress=False)


class _Flaky(http.server.BaseHTTPRequestHandler):
    """A Graph Store that answers 503 to the first write, then 204; 401 for user 'mallory'."""

    calls: list[tuple[str, int]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        status = 503 if not any(c[0] in ("PUT", "POST") for c in self.calls) else 204
        if "Authorization" in self.headers and "bWFsbG9yeT" in self.headers["Authorization"]:
            status = 401
        self.calls.append((self.command, status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PUT = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


def test_transient_failures_are_retried_and_auth_failures_are_not(make_dataset) -> None:
    ds = kg.build(kg.load(kg.open_project(make_dataset())))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/store"
        result = push_dataset(ds, url, graph="default", verify=False, progress=False)
        assert _Flaky.calls[:2] == [("PUT", 503), ("PUT", 204)] and result.requests == 2
        _Flaky.calls.clear()
        with pytest.raises(AuthError, match="HTTP 401") as info:
            push_dataset(ds, url, graph="default", verify=False, progress=False, auth="basic",
                         credentials=Credentials("mallory", "hunter2"))
        assert "hunter2" not in str(info.value)
        assert len(_Flaky.calls) == 1  # never retried
    finally:
        server.shutdown()
        server.server_close()

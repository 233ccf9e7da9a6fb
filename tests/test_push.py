"""kg push against a real Oxigraph server on 127.0.0.1 (started and stopped here): per-graph
counts match, the analyst questions get the same answers as over the local graph, merge and
replace behave, credentials stay out of argv and output, transient failures are retried."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.errors import UsageError
from kg.export.push import (AuthError, Credentials, PushError, credentials_from, derive_query_url,
                            derive_update_url, push_dataset)
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

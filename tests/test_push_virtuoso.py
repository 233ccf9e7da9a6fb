"""kg push against a real Virtuoso (one instance for the session, on 127.0.0.1): digest
authentication (Graph Store uploads into staging graphs, the switch over /sparql-auth), a wrong
password is a clear error that leaves the store unchanged, per-graph counts match, no staging
graph is left, and the analyst questions get the same answers as over the local graph."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export.push import AuthError, Credentials, push_dataset
from kg.output.rdf import single_graph

from _push_servers import local_answers, remote_answers, remote_count, staging_graphs, start_virtuoso, stop


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    store = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield store
    stop(store.proc)


def test_wrong_password_is_refused_and_changes_nothing(virtuoso, bundled_dataset, bundled_project) -> None:
    facts = f"{bundled_project.base}graph/facts"
    before = {g: remote_count(virtuoso.query_url, g) for g in (facts, f"{bundled_project.base}graph/provenance")}
    with pytest.raises(AuthError, match="HTTP 401.*digest") as info:
        push_dataset(bundled_dataset, virtuoso.store_url, auth="digest", default_graph_iri=facts,
                     credentials=Credentials("dba", "not-the-password"), progress=False)
    assert "not-the-password" not in str(info.value)
    assert {g: remote_count(virtuoso.query_url, g) for g in before} == before


def test_digest_push_counts_and_answers(virtuoso, bundled_dataset, bundled_project, shared_sources) -> None:
    base = bundled_project.base
    runner = CliRunner()
    result = runner.invoke(main, ["push", "--to", virtuoso.store_url, "--auth", "digest",
                                  "--default-graph-iri", f"{base}graph/facts", "--chunk-size", "2000",
                                  "--sources", str(shared_sources)],
                           env={"KG_PUSH_USER": "dba", "KG_PUSH_PASSWORD": "dba"})
    assert result.exit_code == 0, result.output
    graphs = {f"{base}graph/facts": bundled_dataset.quads.count(),
              f"{base}graph/provenance": len(bundled_dataset.graph(f"{base}graph/provenance")),
              f"{base}graph/ontology": len(bundled_dataset.graph(f"{base}graph/ontology"))}
    for graph, n in graphs.items():
        assert remote_count(virtuoso.query_url, graph) == n, graph
    assert remote_answers(virtuoso.query_url, base) == local_answers(single_graph(bundled_dataset), base)
    assert staging_graphs(virtuoso.query_url) == []  # switched in by MOVE over /sparql-auth (digest)
    # wrong password through the CLI: exit 2, a clear message, no password echoed
    result = runner.invoke(main, ["push", "--to", virtuoso.store_url, "--auth", "digest",
                                  "--default-graph-iri", f"{base}graph/facts", "--sources", str(shared_sources)],
                           env={"KG_PUSH_USER": "dba", "KG_PUSH_PASSWORD": "wrong-pw"})
    assert result.exit_code == 2 and "HTTP 401" in result.output and "wrong-pw" not in result.output
    for graph, n in graphs.items():
        assert remote_count(virtuoso.query_url, graph) == n, graph
    assert staging_graphs(virtuoso.query_url) == []

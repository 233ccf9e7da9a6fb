"""JSON-LD never changes meaning: the compact document kg writes reads back, with two independent
processors (pyld and rdflib), to exactly the graph that was built, whatever the prefixes, IRIs
and literals (property-based, with adversarial prefixes: namespaces without a delimiter at the
end, prefixes named like IRI schemes, namespaces that are prefixes of each other)."""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import kg
from kg.build import Built, QuadsBuilder
from kg.ntriples import term_n3
from kg.output.jsonld import write_jsonld

from conftest import MINI

# IRI characters both parsers accept (no space, no <>"{}|\^`, no controls).
_IRI_CHARS = st.sampled_from(list("abcxyzAZ09-._~:/?#[]@!$&'()*+,;=%") + ["é", "ñ", "中"])
_LOCAL = st.text(_IRI_CHARS, min_size=0, max_size=8)
_NAMESPACES = st.sampled_from([
    "https://example.org/mini/e",      # no delimiter at the end: must not compact (the case)
    "https://example.org/mini/",
    "https://example.org/mini/ent#",
    "https://example.org/",
    "urn:x:",
    "data:text/plain,",
    "http://ex.org/a?b=",
    "tag:example.org,2024:",
])
_PREFIX_NAMES = st.sampled_from(["ent", "data", "urn", "http", "https", "tag", "ex", "e", "a-b", "kg"])
_PREFIXES = st.dictionaries(_PREFIX_NAMES, _NAMESPACES, max_size=5)
_IRIS = st.builds(lambda ns, local: URIRef(ns + local), _NAMESPACES, _LOCAL).filter(
    lambda iri: ":" in iri and not str(iri).endswith(":"))
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_LITERALS = st.one_of(
    st.builds(Literal, _TEXT),
    st.builds(lambda t, lang: Literal(t, lang=lang), _TEXT, st.sampled_from(["en", "es", "en-gb", "zh-hant"])),
    st.builds(lambda n: Literal(str(n), datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")),
              st.integers(-10**6, 10**6)),
    st.builds(lambda t, dt: Literal(t, datatype=dt), _TEXT, _IRIS),
)
_TRIPLES = st.lists(st.tuples(_IRIS, _IRIS, st.one_of(_IRIS, _LITERALS)), min_size=1, max_size=12)


def _built(prefixes: dict[str, str], triples: list[tuple]) -> Built:
    builder = QuadsBuilder(prefixes)
    for s, p, o in triples:
        builder.add(term_n3(s), term_n3(p), term_n3(o))
    return Built(builder.finish(), "https://example.org/mini/")


def _expected(triples: list[tuple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _write(built: Built) -> bytes:
    buffer = io.BytesIO()
    write_jsonld(built, buffer)
    return buffer.getvalue()


def _with_pyld(data: bytes) -> Graph:
    """Read with pyld (offline: no document loader), through N-Quads."""
    nquads = jsonld.to_rdf(json.loads(data), {"format": "application/n-quads",
                                             "documentLoader": _no_remote_documents})
    return Graph().parse(data=nquads, format="nquads")


def _no_remote_documents(url: str, options: dict | None = None) -> dict:
    raise AssertionError(f"the document asked for a remote context: {url}")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PREFIXES, _TRIPLES)
def test_jsonld_reads_back_to_the_same_graph_with_pyld_and_rdflib(prefixes, triples):
    data = _write(_built(prefixes, triples))
    expected = _expected(triples)
    assert isomorphic(Graph().parse(data=data, format="json-ld"), expected)
    assert isomorphic(_with_pyld(data), expected)


def test_a_prefix_without_a_delimiter_does_not_change_iris(make_dataset):
    """The reported bug: ``ent = "https://example.org/mini/e"`` made data:ecx read back as ent:cx."""
    text = (MINI / "kg.toml").read_text(encoding="utf-8") + '\n[prefixes]\nent = "https://example.org/mini/e"\n'
    data = make_dataset({"kg.toml": text})
    built = kg.build(kg.load(kg.open_project(data)))
    document = _write(built)
    expected = kg.output.rdf.single_graph(built)
    assert isomorphic(Graph().parse(data=document, format="json-ld"), expected)
    assert isomorphic(_with_pyld(document), expected)
    assert '"ent"' not in json.loads(document)["@context"]

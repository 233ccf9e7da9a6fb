"""Built: one built dataset, the single value every later stage reads.

A :class:`Built` holds the dataset's :class:`~kg.build.quads.Quads` (the default graph of facts,
the provenance graph of claims, the ontology graph, and the inferred graph after
:func:`kg.infer`), its base IRI, prefixes and graph names. It is immutable: SHACL, inference,
every writer, export, push, view, analysis, query and serve take it and never change it
(:func:`kg.infer` returns a new one). An rdflib ``Dataset`` is made only when a caller asks for
one (:meth:`Built.to_rdflib`), a new one each time.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from kg.build.quads import DEFAULT, Quads
from kg.ntriples import parse_term

__all__ = ["Built", "GraphNames", "graph_names"]


@dataclass(frozen=True)
class GraphNames:
    """The IRIs of a dataset's named graphs."""

    provenance: URIRef
    ontology: URIRef
    inferred: URIRef

    @classmethod
    def of(cls, base: str) -> GraphNames:
        """The named graphs of a dataset whose base IRI is ``base``."""
        return cls(URIRef(f"{base}graph/provenance"), URIRef(f"{base}graph/ontology"),
                   URIRef(f"{base}graph/inferred"))


def graph_names(base: str) -> GraphNames:
    """The named graphs of a dataset whose base IRI is ``base``."""
    return GraphNames.of(base)


@dataclass(frozen=True)
class Built:
    """One built dataset: its quads, base IRI and prefixes. Immutable.

    Graph keys in :attr:`quads` are N-Triples IRIs (``<...graph/provenance>``) or ``""`` for
    the default graph; the properties :attr:`facts`, :attr:`provenance`, :attr:`ontology` and
    :attr:`inferred` name them.
    """

    quads: Quads
    base: str

    @property
    def prefixes(self) -> Mapping[str, str]:
        """The prefixes the outputs bind (``kg``, ``data``, ``claim``, ...), sorted."""
        return self.quads.prefixes

    @property
    def names(self) -> GraphNames:
        """The named graphs' IRIs."""
        return GraphNames.of(self.base)

    # Graph keys of :attr:`quads`.
    facts = DEFAULT

    @property
    def provenance(self) -> str:
        """The key of the provenance graph (claims)."""
        return f"<{self.names.provenance}>"

    @property
    def ontology(self) -> str:
        """The key of the ontology graph."""
        return f"<{self.names.ontology}>"

    @property
    def inferred(self) -> str:
        """The key of the inferred graph (present only after :func:`kg.infer`)."""
        return f"<{self.names.inferred}>"

    def __len__(self) -> int:
        return len(self.quads)

    # --- reading, for consumers that ask a few questions (the property-graph view, exports) ---

    def pairs(self, subject: Node | str, graph: str = DEFAULT) -> tuple[tuple[str, str], ...]:
        """The sorted ``(predicate, object)`` pairs of a subject in one graph (N-Triples terms)."""
        key = subject if isinstance(subject, str) and subject[:1] in "<_" else f"<{subject}>"
        return self.quads.graphs.get(graph, MappingProxyType({})).get(key, ())

    def objects(self, subject: Node | str, predicate: URIRef, graph: str = DEFAULT) -> list[Node]:
        """The objects of ``subject predicate ?o`` in one graph, as rdflib terms, sorted."""
        pairs = self.pairs(subject, graph)
        p = f"<{predicate}>"
        i = bisect.bisect_left(pairs, (p, ""))
        out = []
        while i < len(pairs) and pairs[i][0] == p:
            out.append(parse_term(pairs[i][1]))
            i += 1
        return out

    def value(self, subject: Node | str, predicate: URIRef, graph: str = DEFAULT) -> Node | None:
        """The first object of ``subject predicate ?o`` in one graph, or None."""
        found = self.objects(subject, predicate, graph)
        return found[0] if found else None

    def subjects(self, graph: str = DEFAULT) -> Iterator[str]:
        """The subjects of one graph, sorted (N-Triples terms)."""
        return iter(sorted(self.quads.graphs.get(graph, {})))

    def namespace_manager(self) -> NamespaceManager:
        """An rdflib namespace manager with the prefixes (for CURIEs in messages and exports)."""
        manager = NamespaceManager(Graph(), bind_namespaces="none")
        for prefix, ns in self.prefixes.items():
            manager.bind(prefix, ns, override=True, replace=True)
        return manager

    def curie(self, iri: Node) -> str:
        """``prefix:local`` for an IRI a prefix covers (the longest), else the IRI itself."""
        text = str(iri)
        best = ""
        for prefix, ns in self.prefixes.items():
            if text.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")) and len(text) > len(ns):
                best = prefix
        return f"{best}:{text[len(self.prefixes[best]):]}" if best else text

    # --- conversions, on request ---

    def graph(self, name: str = DEFAULT) -> Graph:
        """One graph as a new rdflib Graph (for small graphs: the ontology, the inferred graph).
        ``name`` is a key of :attr:`quads` (``built.ontology``) or the graph's IRI."""
        if name and not name.startswith("<"):
            name = f"<{name}>"
        graph = Graph(bind_namespaces="none")
        for prefix, ns in self.prefixes.items():
            graph.bind(prefix, ns, override=True, replace=True)
        self._fill(graph, name)
        return graph

    def _fill(self, graph: Graph, name: str) -> None:
        """Add one graph's triples to an rdflib graph (each distinct term parsed once: faster
        than rdflib's own N-Triples parser)."""
        terms: dict[str, Node] = {}
        for s, p, o in self.quads.triples([name]):
            graph.add((terms.get(s) or terms.setdefault(s, parse_term(s)),
                       terms.get(p) or terms.setdefault(p, parse_term(p)),
                       terms.get(o) or terms.setdefault(o, parse_term(o))))

    def to_rdflib(self) -> Dataset:
        """A new rdflib Dataset holding every graph (with the prefixes bound)."""
        ds = Dataset(default_union=False)
        ds.namespace_manager = NamespaceManager(ds, bind_namespaces="none")
        for prefix, ns in self.prefixes.items():
            ds.bind(prefix, ns, override=True, replace=True)
        for name in self.quads.names():
            self._fill(ds.default_graph if name == DEFAULT else ds.graph(URIRef(name[1:-1])), name)
        return ds

    @classmethod
    def from_rdflib(cls, ds: Dataset, base: str) -> Built:
        """The value of an rdflib Dataset (every graph)."""
        from kg.build.quads import from_dataset

        return cls(from_dataset(ds), base)

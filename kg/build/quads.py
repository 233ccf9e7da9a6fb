"""Quads: a dataset's graphs as sorted N-Triples terms, frozen once built.

:class:`Quads` holds, for each graph, each subject's sorted and de-duplicated
``(predicate, object)`` pairs, every term in its N-Triples form (:mod:`kg.ntriples`). It is
what the writers, the SHACL engine and the query store read. It is made by a
:class:`QuadsBuilder` and never changes afterwards: its mappings are read-only views and its
pair lists are tuples.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

from rdflib import Dataset
from rdflib.term import Node

from kg.ntriples import term_n3

__all__ = ["DEFAULT", "Pairs", "Quads", "QuadsBuilder", "from_dataset"]

#: The key of the default graph in :attr:`Quads.graphs`.
DEFAULT = ""

#: A subject's sorted, unique ``(predicate, object)`` pairs.
Pairs = tuple[tuple[str, str], ...]


class Quads:
    """Graphs of N-Triples terms: graph (``<iri>``, or :data:`DEFAULT`) -> subject -> sorted
    unique ``(predicate, object)`` pairs. Immutable: build one with :class:`QuadsBuilder`."""

    __slots__ = ("_graphs", "_prefixes")

    def __init__(self, graphs: Mapping[str, Mapping[str, Pairs]], prefixes: Mapping[str, str]) -> None:
        # A dict handed over (by QuadsBuilder.finish) is wrapped, not copied: at a million triples a
        # copy would double the peak memory. Nothing else keeps a reference to it.
        self._graphs: Mapping[str, Mapping[str, Pairs]] = MappingProxyType({
            g: subjects if isinstance(subjects, MappingProxyType)
            else MappingProxyType(subjects if isinstance(subjects, dict) else dict(subjects))
            for g, subjects in graphs.items()})
        self._prefixes: Mapping[str, str] = MappingProxyType(dict(sorted(prefixes.items())))

    @property
    def graphs(self) -> Mapping[str, Mapping[str, Pairs]]:
        """Graph -> subject -> pairs (read-only)."""
        return self._graphs

    @property
    def prefixes(self) -> Mapping[str, str]:
        """The prefixes the writers bind, sorted (read-only)."""
        return self._prefixes

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quads):
            return NotImplemented
        return dict(self._prefixes) == dict(other._prefixes) and self._graphs.keys() == other._graphs.keys() and all(
            dict(g) == dict(other._graphs[n]) for n, g in self._graphs.items())

    __hash__ = None  # type: ignore[assignment]  # equal values need not be cheap to hash

    def __repr__(self) -> str:
        return f"Quads({len(self)} quads in {len(self._graphs)} graphs)"

    def names(self, *, inferred: bool = True) -> list[str]:
        """The graphs, the default first, then named graphs by IRI."""
        named = sorted(n for n in self._graphs if n != DEFAULT)
        if not inferred:
            named = [n for n in named if not n.endswith("graph/inferred>")]
        return ([DEFAULT] if DEFAULT in self._graphs else []) + named

    def count(self, name: str = DEFAULT) -> int:
        """How many triples one graph holds."""
        return sum(len(pairs) for pairs in self._graphs.get(name, {}).values())

    def __len__(self) -> int:
        return sum(self.count(name) for name in self._graphs)

    def triples(self, names: Iterable[str]) -> Iterator[tuple[str, str, str]]:
        """The union of some graphs, sorted, each triple once."""
        graphs = [self._graphs[n] for n in names if n in self._graphs]
        subjects = sorted(graphs[0]) if len(graphs) == 1 else sorted(set().union(*graphs))
        for s in subjects:
            found = [g[s] for g in graphs if s in g]
            pairs = found[0] if len(found) == 1 else sorted(set().union(*found))
            for p, o in pairs:
                yield s, p, o

    def values(self, s: str, p: str, names: Iterable[str]) -> list[str]:
        """The objects of ``s p ?o`` in some graphs."""
        out: list[str] = []
        for n in names:
            pairs = self._graphs.get(n, {}).get(s)
            if pairs:
                out.extend(o for q, o in pairs if q == p)
        return out

    def with_graph(self, name: str, subjects: Mapping[str, Pairs]) -> Quads:
        """A new value with graph ``name`` replaced (or added, or removed when empty)."""
        graphs = dict(self._graphs)
        if subjects:
            graphs[name] = subjects
        else:
            graphs.pop(name, None)
        return Quads(graphs, self._prefixes)


class QuadsBuilder:
    """Collects quads, then :meth:`finish` sorts and freezes them into :class:`Quads`."""

    def __init__(self, prefixes: Mapping[str, str] | None = None) -> None:
        self.prefixes: dict[str, str] = dict(prefixes or {})
        self._graphs: dict[str, dict[str, list[tuple[str, str]]]] = {}

    def graph(self, name: str = DEFAULT) -> dict[str, list[tuple[str, str]]]:
        """The subjects of one graph (created empty when new), to add pairs to directly."""
        graph = self._graphs.get(name)
        if graph is None:
            graph = self._graphs[name] = {}
        return graph

    def add(self, s: str, p: str, o: str, g: str = DEFAULT) -> None:
        """Add one quad (terms in N-Triples form)."""
        subjects = self.graph(g)
        pairs = subjects.get(s)
        if pairs is None:
            subjects[s] = [(p, o)]
        else:
            pairs.append((p, o))

    def finish(self) -> Quads:
        """Sort and de-duplicate every subject's pairs, drop empty graphs, freeze."""
        graphs: dict[str, dict[str, Pairs]] = {}
        for name, subjects in self._graphs.items():
            if subjects:
                graphs[name] = {s: tuple(sorted(set(pairs))) if len(pairs) > 1 else tuple(pairs)
                                for s, pairs in subjects.items()}
        self._graphs = {}
        return Quads(graphs, self.prefixes)


def from_dataset(ds: Dataset) -> Quads:
    """Any rdflib Dataset (every non-empty graph) as :class:`Quads`."""
    builder = QuadsBuilder({p: str(ns) for p, ns in sorted(ds.namespaces()) if p})
    iris: dict[Node, str] = {}
    default = ds.default_graph.identifier
    for ctx in ds.graphs():
        if not len(ctx):
            continue
        name = DEFAULT if ctx.identifier == default else f"<{ctx.identifier}>"
        graph = builder.graph(name)
        for s, p, o in ctx:
            key = (term_n3(s), iris.setdefault(p, f"<{p}>"), term_n3(o))
            pairs = graph.get(key[0])
            if pairs is None:
                graph[key[0]] = [key[1:]]
            else:
                pairs.append(key[1:])
    return builder.finish()

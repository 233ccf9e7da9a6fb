"""The dataset as text: every quad as N-Triples terms, the form the fast writers and the SHACL
checks read.

:class:`Quads` holds, for each graph, each subject's sorted and de-duplicated
``(predicate, object)`` pairs, every term in its N-Triples form (``<iri>``, ``"text"@en``,
``"3"^^<...#integer>``). Strings are cheap to sort, hash and write, and a term that occurs many
times (a predicate, a class, a source) is one shared string, so the structure stays small: it is
what lets ``kg build`` skip the rdflib Dataset (built only when a caller asks for one, see
:func:`kg.build.build`).

Two producers give the same quads: :func:`from_resolved` (straight from the checked records,
fast) and :func:`from_dataset` (from any rdflib Dataset, e.g. after inference). A test checks
they agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from kg.vocab import GEO, KG, RDF, RDFS, XSD

__all__ = ["DEFAULT", "Quads", "from_dataset", "from_resolved", "literal_n3", "parse_term", "term_n3"]

#: The key of the default graph in :attr:`Quads.graphs`.
DEFAULT = ""
_XSD_STRING = str(XSD.string)


def _escape_table() -> dict[int, str]:
    """How pyoxigraph's canonical N-Triples writer escapes each character that needs it: our own
    lines then equal the ones it writes."""
    import pyoxigraph as ox

    table = {}
    subject, predicate = ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p")
    for code in [*range(0x20), 0x22, 0x5C, 0x7F]:
        line = ox.serialize([ox.Triple(subject, predicate, ox.Literal(chr(code)))],
                            format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        escaped = line[line.index('"') + 1: line.rindex('"')]
        if escaped != chr(code):
            table[code] = escaped
    return table


_ESCAPES = _escape_table()
_NEEDS_ESCAPE = frozenset(chr(c) for c in _ESCAPES)


def _escape(text: str) -> str:
    if _NEEDS_ESCAPE.isdisjoint(text):
        return text
    return text.translate(_ESCAPES)


def literal_n3(lexical: str, datatype: str | None = None, language: str | None = None) -> str:
    """A literal in N-Triples form (language tags lower-cased, xsd:string left implicit)."""
    if language:
        return f'"{_escape(lexical)}"@{language.lower()}'
    if datatype and datatype != _XSD_STRING:
        return f'"{_escape(lexical)}"^^<{datatype}>'
    return f'"{_escape(lexical)}"'


def term_n3(node: Node) -> str:
    """An rdflib term in N-Triples form. (kg's own data has no blank nodes; an OWL-RL reasoner
    may add some, written with rdflib's labels.)"""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return literal_n3(str(node), node.datatype, node.language)
    if isinstance(node, BNode):
        return f"_:{node}"
    raise ValueError(f"cannot write {node!r} as an RDF term")


_UNESCAPE_RE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))', re.S)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _ECHARS[match.group(3)]


def parse_term(text: str) -> Node:
    """The rdflib term of an N-Triples term (the inverse of :func:`term_n3`)."""
    if text.startswith("<"):
        return URIRef(text[1:-1])
    if text.startswith("_:"):
        return BNode(text[2:])
    end = text.rindex('"')
    lexical = _UNESCAPE_RE.sub(_unescape, text[1:end])
    rest = text[end + 1:]
    if rest.startswith("@"):
        return Literal(lexical, lang=rest[1:])
    if rest.startswith("^^<"):
        return Literal(lexical, datatype=URIRef(rest[3:-1]))
    return Literal(lexical)


@dataclass
class Quads:
    """Graphs of N-Triples terms: graph IRI (``<...>``, or :data:`DEFAULT`) -> subject -> sorted
    unique (predicate, object) pairs. Call :meth:`finish` after the last :meth:`add`."""

    prefixes: dict[str, str] = field(default_factory=dict)
    graphs: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=dict)

    def graph(self, name: str = DEFAULT) -> dict[str, list[tuple[str, str]]]:
        """The subjects of one graph (created empty when new)."""
        graph = self.graphs.get(name)
        if graph is None:
            graph = self.graphs[name] = {}
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
        """Sort and de-duplicate every subject's pairs; drop empty graphs."""
        for name in list(self.graphs):
            graph = self.graphs[name]
            if not graph:
                del self.graphs[name]
                continue
            for s, pairs in graph.items():
                if len(pairs) > 1:
                    graph[s] = sorted(set(pairs))
        return self

    def names(self, *, inferred: bool = True) -> list[str]:
        """The graphs, the default first, then named graphs by IRI."""
        named = sorted(n for n in self.graphs if n != DEFAULT)
        if not inferred:
            named = [n for n in named if not n.endswith("graph/inferred>")]
        return ([DEFAULT] if DEFAULT in self.graphs else []) + named

    def count(self, name: str = DEFAULT) -> int:
        """How many triples one graph holds."""
        return sum(len(pairs) for pairs in self.graphs.get(name, {}).values())

    def __len__(self) -> int:
        return sum(self.count(name) for name in self.graphs)

    def triples(self, names: Iterable[str]) -> Iterator[tuple[str, str, str]]:
        """The union of some graphs, sorted, each triple once."""
        graphs = [self.graphs[n] for n in names if n in self.graphs]
        if len(graphs) == 1:
            subjects = sorted(graphs[0])
        else:
            subjects = sorted(set().union(*graphs))
        for s in subjects:
            found = [g[s] for g in graphs if s in g]
            pairs = found[0] if len(found) == 1 else sorted(set().union(*found))
            for p, o in pairs:
                yield s, p, o

    def values(self, s: str, p: str, names: Iterable[str]) -> list[str]:
        """The objects of ``s p ?o`` in some graphs."""
        out = []
        for n in names:
            pairs = self.graphs.get(n, {}).get(s)
            if pairs:
                out.extend(o for q, o in pairs if q == p)
        return out


class _Terms:
    """N-Triples forms of rdflib terms, cached for the terms that repeat (IRIs)."""

    def __init__(self) -> None:
        self.iris: dict[str, str] = {}

    def iri(self, node: str) -> str:
        text = self.iris.get(node)
        if text is None:
            text = self.iris[node] = f"<{node}>"
        return text

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.iri(node)
        return term_n3(node)


def from_resolved(resolved, prefixes: dict[str, str]) -> Quads:  # resolved: kg.check.resolve.Resolved
    """The dataset :func:`kg.build.build_dataset` builds, as :class:`Quads`, without rdflib."""
    from kg.build import graph_names

    names = graph_names(resolved.base)
    quads = Quads(prefixes=_prefixes(prefixes, resolved.base))
    t = _Terms()
    iri = t.iri
    facts = quads.graph(DEFAULT)
    prov = quads.graph(iri(names.provenance))
    onto = quads.graph(iri(names.ontology))

    def add(graph: dict, s: str, p: str, o: str) -> None:
        pairs = graph.get(s)
        if pairs is None:
            graph[s] = [(p, o)]
        else:
            pairs.append((p, o))

    a, label, comment = iri(RDF.type), iri(RDFS.label), iri(RDFS.comment)
    for source in resolved.sources.values():
        s = iri(source.iri)
        add(facts, s, a, iri(source.type))
        add(facts, s, label, literal_n3(source.label))
        if source.text_file:
            add(facts, s, iri(KG.textFile), literal_n3(source.text_file))
        if source.publisher:
            add(facts, s, iri(KG.publisher), literal_n3(source.publisher))
        if source.publication_date is not None:
            add(facts, s, iri(KG.publicationDate), term_n3(source.publication_date))
        if source.note:
            add(facts, s, iri(KG.note), literal_n3(source.note))

    for entity in resolved.entities.values():
        if entity.label:
            add(facts, iri(entity.iri), label, literal_n3(entity.label))
        if entity.description:
            add(facts, iri(entity.iri), comment, literal_n3(entity.description))

    c_subject, c_predicate, c_object = iri(RDF.subject), iri(RDF.predicate), iri(RDF.object)
    c_claim, c_source, c_modality, c_quote = iri(KG.Claim), iri(KG.source), iri(KG.modality), iri(KG.quote)
    c_claimant, c_reliability = iri(KG.claimant), iri(KG.sourceReliability)
    c_credibility, c_via, c_note = iri(KG.informationCredibility), iri(KG.reportedVia), iri(KG.note)
    c_external, true = iri(KG.external), term_n3(Literal(True))
    lat, lon = {}, {}
    for claim in resolved.claims:
        s, p = iri(claim.s), iri(claim.p)
        o = iri(claim.o) if isinstance(claim.o, URIRef) else term_n3(claim.o)
        add(facts, s, p, o)
        if claim.p == KG.latitude:
            lat.setdefault(claim.s, []).append(claim.o)
        elif claim.p == KG.longitude:
            lon.setdefault(claim.s, []).append(claim.o)
        pairs = [(a, c_claim), (c_subject, s), (c_predicate, p), (c_object, o),
                 (c_source, iri(claim.source)), (c_modality, iri(claim.modality))]
        if claim.quote:
            pairs.append((c_quote, literal_n3(claim.quote)))
        if claim.claimant is not None:
            pairs.append((c_claimant, iri(claim.claimant)))
        if claim.reliability is not None:
            pairs.append((c_reliability, iri(claim.reliability)))
        if claim.credibility is not None:
            pairs.append((c_credibility, iri(claim.credibility)))
        if claim.via is not None:
            pairs.append((c_via, iri(claim.via)))
        if claim.note:
            pairs.append((c_note, literal_n3(claim.note)))
        if claim.external:
            pairs.append((c_external, true))
        c = iri(claim.iri)
        if c in prov:
            prov[c].extend(pairs)
        else:
            prov[c] = pairs

    # Places with kg:latitude and kg:longitude get a GeoSPARQL geometry (as build_dataset does).
    for place in sorted(set(lat) & set(lon)):
        longitude = sorted(lon[place])[0]
        for latitude in lat[place]:
            geometry = URIRef(f"{place}/geometry")
            add(facts, iri(place), iri(GEO.hasGeometry), iri(geometry))
            add(facts, iri(geometry), a, iri(GEO.Geometry))
            add(facts, iri(geometry), iri(GEO.asWKT),
                literal_n3(f"POINT({longitude} {latitude})", str(GEO.wktLiteral)))

    for s, p, o in _ontology_terms(resolved.ontology):
        add(onto, s, p, o)
    return quads.finish()


def _ontology_terms(ontology) -> list[tuple[str, str, str]]:
    """The ontology graph's triples as N-Triples terms (computed once per ontology)."""
    cached = getattr(ontology, "_quads_terms", None)
    if cached is None:
        cached = [(term_n3(s), term_n3(p), term_n3(o)) for s, p, o in ontology.graph
                  if not isinstance(s, BNode) and not isinstance(o, BNode)]
        ontology._quads_terms = cached
    return cached


def _prefixes(prefixes: dict[str, str], base: str) -> dict[str, str]:
    out = {p: str(ns) for p, ns in prefixes.items() if p}
    out["claim"] = f"{base}claim/"
    return dict(sorted(out.items()))


def from_dataset(ds: Dataset) -> Quads:
    """Any rdflib Dataset (every graph, the inferred one included) as :class:`Quads`."""
    quads = Quads(prefixes={p: str(ns) for p, ns in sorted(ds.namespaces()) if p})
    t = _Terms()
    default = ds.default_graph.identifier
    for ctx in ds.graphs():
        if not len(ctx):
            continue
        name = DEFAULT if ctx.identifier == default else t.iri(ctx.identifier)
        graph = quads.graph(name)
        for s, p, o in ctx:
            s_, p_, o_ = t.term(s), t.iri(p), t.term(o)
            pairs = graph.get(s_)
            if pairs is None:
                graph[s_] = [(p_, o_)]
            else:
                pairs.append((p_, o_))
    return quads.finish()

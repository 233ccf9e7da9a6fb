"""Infer: RDFS or OWL-RL entailments (owlrl) into their own named graph. Never changes its input.

Only new triples about the dataset's own nodes are kept (no axiomatic noise such as
``x rdf:type rdfs:Resource``), so the inferred graph reads as what the ontology adds:
superclasses (the CJNG is a kg:CriminalOrganization), super-properties (a perpetrator is a
kg:hasActor), inverses and transitive place containment.
"""

from __future__ import annotations

from rdflib import Graph, Literal

from kg.build import Built, QuadsBuilder
from kg.ntriples import term_n3
from kg.vocab import OWL, RDF, RDFS

__all__ = ["REASONERS", "infer"]

REASONERS = ("rdfs", "owl-rl")
_NOISE_TYPES = {RDFS.Resource, OWL.Thing, RDFS.Class, OWL.Class, RDF.Property, OWL.NamedIndividual}


def infer(built: Built, reasoner: str = "rdfs") -> Built:
    """A new :class:`Built` whose ``<base>graph/inferred`` graph holds the entailed triples
    (an earlier inferred graph is replaced, never merged)."""
    import owlrl  # heavy import, only when inferring

    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner {reasoner!r}; use one of {', '.join(REASONERS)}")
    base = built.base
    asserted = Graph()
    names = built.quads.names(inferred=False)
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in built.quads.triples(names))
    if text:
        asserted.parse(data=text, format="nt")
    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    semantics = owlrl.RDFS_Semantics if reasoner == "rdfs" else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)

    inferred = QuadsBuilder()
    for s, p, o in closure:
        if (s, p, o) in asserted or not str(s).startswith(base) or str(s).startswith(f"{base}claim/"):
            continue
        if isinstance(s, Literal) or (p == RDF.type and o in _NOISE_TYPES):
            continue
        if p == OWL.sameAs and s == o:
            continue
        inferred.add(term_n3(s), term_n3(p), term_n3(o))
    graph = inferred.finish().graphs.get("", {})
    return Built(built.quads.with_graph(built.inferred, graph), base)

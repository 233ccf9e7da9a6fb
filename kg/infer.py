"""Infer: RDFS or OWL-RL entailments (owlrl) into their own named graph. Never changes its input.

Only new triples about the dataset's own nodes are kept (no axiomatic noise such as
``x rdf:type rdfs:Resource``), so the inferred graph reads as what the ontology adds:
superclasses (the CJNG is a kg:CriminalOrganization), super-properties (a perpetrator is a
kg:hasActor), inverses and transitive place containment.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef

from kg.vocab import OWL, RDF, RDFS

__all__ = ["REASONERS", "infer"]

REASONERS = ("rdfs", "owl-rl")
_NOISE_TYPES = {RDFS.Resource, OWL.Thing, RDFS.Class, OWL.Class, RDF.Property, OWL.NamedIndividual}


def infer(ds: Dataset, base: str, reasoner: str = "rdfs") -> Dataset:
    """A copy of ``ds`` with a ``<base>graph/inferred`` graph holding the entailed triples."""
    import owlrl  # heavy import, only when inferring

    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner {reasoner!r}; use one of {', '.join(REASONERS)}")
    asserted = Graph()
    for ctx in ds.graphs():
        if not str(ctx.identifier).endswith("graph/inferred"):
            for triple in ctx:
                asserted.add(triple)
    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    semantics = owlrl.RDFS_Semantics if reasoner == "rdfs" else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)

    out = Dataset()
    for prefix, ns in ds.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    for ctx in ds.graphs():
        dest = out.default_graph if ctx.identifier == ds.default_graph.identifier else out.graph(ctx.identifier)
        for triple in ctx:
            dest.add(triple)
    inferred = out.graph(URIRef(f"{base}graph/inferred"))
    for s, p, o in closure:
        if (s, p, o) in asserted or not str(s).startswith(base) or str(s).startswith(f"{base}claim/"):
            continue
        if isinstance(s, Literal) or (p == RDF.type and o in _NOISE_TYPES):
            continue
        if p in (OWL.sameAs,) and s == o:
            continue
        inferred.add((s, p, o))
    return out

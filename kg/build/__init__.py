"""Build: resolved records -> an RDF dataset with provenance. A pure function of its input.

The dataset has these graphs (see README.md, "Provenance model"):

* the **default graph**: every asserted triple (the facts as the sources state them, whatever
  their modality), entity labels and descriptions, and the sources;
* ``<base>graph/provenance``: one ``kg:Claim`` per row, reifying its triple (``rdf:subject``,
  ``rdf:predicate``, ``rdf:object``) with its source, verbatim quote, claimant, modality and
  Admiralty grades;
* ``<base>graph/ontology``: the ontology and concept schemes, so the graph is self-describing;
* ``<base>graph/inferred`` (only after :func:`kg.infer.infer`): entailed triples, kept apart.

No blank nodes are created, so outputs are deterministic.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager

from kg.errors import Report, ValidationFailed
from kg.load import Records
from kg.check.resolve import Resolved, resolve
from kg.vocab import GEO, KG, RDF, RDFS

__all__ = ["GraphNames", "build", "build_dataset", "build_quads", "graph_names"]


class GraphNames:
    """The IRIs of a dataset's named graphs."""

    def __init__(self, base: str) -> None:
        self.provenance = URIRef(f"{base}graph/provenance")
        self.ontology = URIRef(f"{base}graph/ontology")
        self.inferred = URIRef(f"{base}graph/inferred")


def graph_names(base: str) -> GraphNames:
    """The named graphs of a dataset whose base IRI is ``base``."""
    return GraphNames(base)


def build_dataset(resolved: Resolved, prefixes: dict[str, str]) -> Dataset:
    """Turn resolved records into a dataset (does not check them: see :func:`build`)."""
    names = graph_names(resolved.base)
    ds = Dataset(default_union=False)
    # Only our prefixes: not rdflib's default bindings (brick:, csvw:, ...).
    ds.namespace_manager = NamespaceManager(ds, bind_namespaces="none")
    for prefix, ns in sorted(prefixes.items()):
        ds.bind(prefix, ns, override=True, replace=True)
    ds.bind("claim", f"{resolved.base}claim/", override=True, replace=True)
    facts = ds.default_graph
    prov = ds.graph(names.provenance)
    onto = ds.graph(names.ontology)

    for source in resolved.sources.values():
        facts.add((source.iri, RDF.type, source.type))
        facts.add((source.iri, RDFS.label, Literal(source.label)))
        if source.text_file:
            facts.add((source.iri, KG.textFile, Literal(source.text_file)))
        if source.publisher:
            facts.add((source.iri, KG.publisher, Literal(source.publisher)))
        if source.publication_date is not None:
            facts.add((source.iri, KG.publicationDate, source.publication_date))
        if source.note:
            facts.add((source.iri, KG.note, Literal(source.note)))

    for entity in resolved.entities.values():
        if entity.label:
            facts.add((entity.iri, RDFS.label, Literal(entity.label)))
        if entity.description:
            facts.add((entity.iri, RDFS.comment, Literal(entity.description)))

    for claim in resolved.claims:
        facts.add((claim.s, claim.p, claim.o))
        c = claim.iri
        prov.add((c, RDF.type, KG.Claim))
        prov.add((c, RDF.subject, claim.s))
        prov.add((c, RDF.predicate, claim.p))
        prov.add((c, RDF.object, claim.o))
        prov.add((c, KG.source, claim.source))
        prov.add((c, KG.modality, claim.modality))
        if claim.quote:
            prov.add((c, KG.quote, Literal(claim.quote)))
        for prop, value in ((KG.claimant, claim.claimant), (KG.sourceReliability, claim.reliability),
                            (KG.informationCredibility, claim.credibility), (KG.reportedVia, claim.via)):
            if value is not None:
                prov.add((c, prop, value))
        if claim.note:
            prov.add((c, KG.note, Literal(claim.note)))
        if claim.external:
            prov.add((c, KG.external, Literal(True)))

    _add_geometries(facts)
    for triple in resolved.ontology.graph:
        onto.add(triple)
    return ds


def _add_geometries(facts: Graph) -> None:
    """Places with kg:latitude and kg:longitude get a GeoSPARQL geometry with a WKT point."""
    for place, lat in sorted(facts.subject_objects(KG.latitude)):
        lon = facts.value(place, KG.longitude)
        if lon is None:
            continue
        geometry = URIRef(f"{place}/geometry")
        facts.add((place, GEO.hasGeometry, geometry))
        facts.add((geometry, RDF.type, GEO.Geometry))
        facts.add((geometry, GEO.asWKT, Literal(f"POINT({lon} {lat})", datatype=GEO.wktLiteral)))


def _checked(records: Records) -> Resolved:
    """The resolved records, or :class:`ValidationFailed` when a record check fails."""
    resolved = resolve(records)
    report = Report(issues=list(resolved.issues), files=len(records.files))
    if not report.ok:
        raise ValidationFailed(report)
    return resolved


def build_quads(records: Records):  # -> kg.build.quads.Quads
    """The dataset :func:`build` returns, as :class:`kg.build.quads.Quads` (fast, and small: no rdflib
    Dataset). Raises :class:`~kg.errors.ValidationFailed` when a record check fails; cached on
    ``records``."""
    from kg.build.quads import from_resolved

    if "quads" not in records._cache:
        records._cache["quads"] = from_resolved(_checked(records), records.project.prefixes)
    return records._cache["quads"]


def build(records: Records) -> Dataset:
    """Check the records (record checks only; SHACL is :func:`kg.validate`) and build.

    Raises :class:`~kg.errors.ValidationFailed` when a record check fails, so invalid data
    never yields a graph. The dataset is cached on ``records``.
    """
    if "dataset" not in records._cache:
        records._cache["dataset"] = build_dataset(_checked(records), records.project.prefixes)
    return records._cache["dataset"]

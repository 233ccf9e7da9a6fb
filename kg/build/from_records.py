"""Checked records -> :class:`~kg.build.built.Built`: the one builder.

The dataset has these graphs (see README.md, "Provenance model"):

* the **default graph**: the facts, and only they: a statement is asserted here only when at least
  one of its claims is a source's own voice stating a reported fact (:attr:`ClaimData.asserted
  <kg.check.ClaimData.asserted>`: no claimant, modality reported fact, not a curator inference,
  not external knowledge). Entity types, labels, aliases and descriptions, the quantities
  (``kg:Quantity`` values with their bounds) and the sources are asserted too: they name and
  describe what is mentioned, and say nothing of what happened;
* ``<base>graph/provenance``: one ``kg:Claim`` per row, reifying its triple (``rdf:subject``,
  ``rdf:predicate``, ``rdf:object``) with its source, verbatim quote, claimant, modality, how the
  claimant's words are reported (``kg:attribution``), whether it is a curator inference, whether
  it is asserted (``kg:asserted``) and Admiralty grades. An allegation, an assessment, a forecast,
  anything a claimant says and every curator inference exists **only** here: kg's SPARQL engine
  (and most stores) query the union of all graphs, so its triple is in no graph at all;
* ``<base>graph/ontology``: the ontology and concept schemes, so the graph is self-describing;
* ``<base>graph/computed``: what the build computes from the data (independent origins,
  anchored relative times, disputes: :mod:`kg.build.reporting`), apart from what sources say;
* ``<base>graph/inferred`` (only after :func:`kg.infer.infer`): entailed triples, kept apart.

No blank nodes are created, so outputs are deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode, Literal, URIRef

from kg.build.built import Built, graph_names
from kg.build.quads import DEFAULT, QuadsBuilder
from kg.build.reporting import computed_triples, source_pairs
from kg.check import Resolved
from kg.ntriples import literal_n3, term_n3
from kg.ontology import Ontology
from kg.vocab import GEO, KG, RDF, RDFS, SKOS, XSD

__all__ = ["always_asserted", "from_resolved"]


class _Iris:
    """N-Triples forms of IRIs, one shared string per IRI."""

    def __init__(self) -> None:
        self.forms: dict[str, str] = {}

    def __call__(self, node: str) -> str:
        text = self.forms.get(node)
        if text is None:
            text = self.forms[node] = f"<{node}>"
        return text


def from_resolved(resolved: Resolved, prefixes: Mapping[str, str]) -> Built:
    """The built dataset of checked records (does not check them: :func:`kg.build.build` does)."""
    names = graph_names(resolved.base)
    builder = QuadsBuilder(_prefixes(prefixes, resolved.base))
    iri = _Iris()
    facts = builder.graph(DEFAULT)
    prov = builder.graph(iri(names.provenance))
    onto = builder.graph(iri(names.ontology))

    def add(graph: dict[str, list[tuple[str, str]]], s: str, p: str, o: str) -> None:
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
        for p_, o_ in source_pairs(source, iri):
            add(facts, s, p_, o_)
        if source.note:
            add(facts, s, iri(KG.note), literal_n3(source.note))

    for entity in resolved.entities.values():
        if entity.label:
            add(facts, iri(entity.iri), label, literal_n3(entity.label))
        if entity.description:
            add(facts, iri(entity.iri), comment, literal_n3(entity.description))
    # An entity merged into another (kg:sameAs) lends it its label as an alias.
    if resolved.merged_labels:
        alias = iri(SKOS.altLabel)
        known = {(c.s, str(c.o)) for c in resolved.claims if c.p == SKOS.altLabel}
        for merged, name in resolved.merged_labels.items():
            into = resolved.entities[resolved.merged[merged]]
            if str(name) != into.label and (into.iri, str(name)) not in known:
                known.add((into.iri, str(name)))
                add(facts, iri(into.iri), alias, term_n3(name))

    c_subject, c_predicate, c_object = iri(RDF.subject), iri(RDF.predicate), iri(RDF.object)
    c_claim, c_source, c_modality, c_quote = iri(KG.Claim), iri(KG.source), iri(KG.modality), iri(KG.quote)
    c_claimant, c_reliability = iri(KG.claimant), iri(KG.sourceReliability)
    c_credibility, c_via, c_note = iri(KG.informationCredibility), iri(KG.reportedVia), iri(KG.note)
    c_external, true, false = iri(KG.external), term_n3(Literal(True)), term_n3(Literal(False))
    c_asserted, c_attribution, c_inference = iri(KG.asserted), iri(KG.attribution), iri(KG.curatorInference)
    naming = always_asserted(resolved.ontology)
    c_translation = iri(KG.quoteTranslation)
    # Quotes are tagged with their source's language: they stay verbatim, in the source's words.
    language = {s.iri: s.language for s in resolved.sources.values() if s.language}
    lat: dict[URIRef, list[Literal]] = {}
    lon: dict[URIRef, list[Literal]] = {}
    for claim in resolved.claims:
        s, p = iri(claim.s), iri(claim.p)
        o = iri(claim.o) if isinstance(claim.o, URIRef) else term_n3(claim.o)
        asserted = claim.asserted
        if asserted or claim.p in naming:
            add(facts, s, p, o)
        if claim.p == KG.latitude and isinstance(claim.o, Literal):
            lat.setdefault(claim.s, []).append(claim.o)
        elif claim.p == KG.longitude and isinstance(claim.o, Literal):
            lon.setdefault(claim.s, []).append(claim.o)
        pairs = [(a, c_claim), (c_subject, s), (c_predicate, p), (c_object, o),
                 (c_source, iri(claim.source)), (c_modality, iri(claim.modality)),
                 (c_asserted, true if asserted else false)]
        if claim.quote:
            pairs.append((c_quote, literal_n3(claim.quote, language=language.get(claim.source))))
        if claim.translation is not None:
            pairs.append((c_translation, term_n3(claim.translation)))
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
        if claim.attribution is not None:
            pairs.append((c_attribution, iri(claim.attribution)))
        if claim.inference:
            pairs.append((c_inference, true))
        c = iri(claim.iri)
        if c in prov:
            prov[c].extend(pairs)
        else:
            prov[c] = pairs

    # Quantities are values: a number with its bound, or words; asserted wherever they are used.
    c_value, c_bound, c_words = iri(KG.value), iri(KG.bound), iri(KG.asWorded)
    for quantity in resolved.quantities.values():
        q = iri(quantity.iri)
        add(facts, q, a, iri(KG.Quantity))
        add(facts, q, label, literal_n3(quantity.label))
        add(facts, q, c_bound, iri(quantity.bound))
        if quantity.value is not None:
            add(facts, q, c_value, literal_n3(str(quantity.value), str(XSD.nonNegativeInteger)))
        if quantity.words:
            add(facts, q, c_words, literal_n3(quantity.words))

    # Places with kg:latitude and kg:longitude get a GeoSPARQL geometry with a WKT point.
    for place in sorted(set(lat) & set(lon)):
        longitude = sorted(lon[place])[0]
        for latitude in lat[place]:
            geometry = URIRef(f"{place}/geometry")
            add(facts, iri(place), iri(GEO.hasGeometry), iri(geometry))
            add(facts, iri(geometry), a, iri(GEO.Geometry))
            add(facts, iri(geometry), iri(GEO.asWKT),
                literal_n3(f"POINT({longitude} {latitude})", str(GEO.wktLiteral)))

    for s_, p_, o_ in ontology_terms(resolved.ontology):
        add(onto, s_, p_, o_)
    computed = builder.graph(iri(names.computed))
    for s_, p_, o_ in computed_triples(resolved, iri):
        add(computed, s_, p_, o_)
    return Built(builder.finish(), resolved.base)


def always_asserted(ontology: Ontology) -> frozenset[URIRef]:
    """The predicates asserted whoever states them: ``rdf:type``, the annotation properties
    (label, aliases, description) and a place's coordinates (usually the curator's geocoding of a
    named place). They name, classify and locate what a source mentions; what it says happened
    follows the claims (README.md, "Provenance model")."""
    return frozenset({RDF.type, KG.latitude, KG.longitude,
                      *(p for p, info in ontology.properties.items() if info.kind == "annotation")})


def ontology_terms(ontology: Ontology) -> list[tuple[str, str, str]]:
    """The ontology graph's triples (no blank nodes) as N-Triples terms, sorted."""
    return sorted((term_n3(s), term_n3(p), term_n3(o)) for s, p, o in ontology.graph
                  if not isinstance(s, BNode) and not isinstance(o, BNode))


def _prefixes(prefixes: Mapping[str, str], base: str) -> dict[str, str]:
    out = {p: str(ns) for p, ns in prefixes.items() if p}
    out["claim"] = f"{base}claim/"
    out["quantity"] = f"{base}quantity/"
    return dict(sorted(out.items()))

"""The ontology reference for people: every class, property and concept, with its definition.

``kg ontology-doc --out docs/ontology.md`` regenerates ``docs/ontology.md``; a test checks the
committed file is up to date.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.ontology import Ontology, load_ontology

__all__ = ["ontology_markdown"]


def _curie(onto: Ontology, iri: object) -> str:
    if not isinstance(iri, URIRef):
        return ""
    prefixes = {
        "https://w3id.org/osint-kg/ontology#": "kg",
        "http://www.w3.org/2001/XMLSchema#": "xsd",
        "http://www.w3.org/2004/02/skos/core#": "skos",
        "http://www.w3.org/ns/prov#": "prov",
        "http://semanticweb.cs.vu.nl/2009/11/sem/": "sem",
        "https://schema.org/": "schema",
        "http://www.w3.org/2006/time#": "time",
        "http://www.opengis.net/ont/geosparql#": "geo",
        "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
        "http://www.w3.org/2002/07/owl#": "owl",
    }
    for ns, prefix in prefixes.items():
        if str(iri).startswith(ns):
            return f"{prefix}:{str(iri)[len(ns):]}"
    return f"<{iri}>"


_SINGLE_VALUED = URIRef("https://w3id.org/osint-kg/ontology#SingleValuedProperty")


def _text(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ") if value is not None else ""


def ontology_markdown(onto: Ontology | None = None) -> str:
    """The reference as Markdown, in a stable order."""
    onto = onto or load_ontology()
    g = onto.graph
    out = [
        "# kg ontology reference",
        "",
        "Generated from `ontology/kg.ttl` and `ontology/concepts.ttl` by `kg ontology-doc`; do not edit.",
        "Namespace `kg:` = `https://w3id.org/osint-kg/ontology#`. SHACL shapes: `ontology/shapes.ttl`.",
        "",
        "## Classes",
        "",
        "| class | label | subclass of | definition |",
        "|---|---|---|---|",
    ]
    for cls in sorted(onto.classes, key=str):
        parents = ", ".join(sorted(_curie(onto, p) for p in g.objects(cls, RDFS.subClassOf)))
        out.append(f"| `{_curie(onto, cls)}` | {_text(g.value(cls, RDFS.label))} | {parents} | "
                   f"{_text(g.value(cls, SKOS.definition))} |")
    out += ["", "## Properties", "",
            "| property | kind | label | domain | range | also | definition |",
            "|---|---|---|---|---|---|---|"]
    for prop, info in sorted(onto.properties.items(), key=lambda kv: str(kv[0])):
        also = ", ".join(sorted(_curie(onto, p) for p in g.objects(prop, RDFS.subPropertyOf)))
        extra = [_curie(onto, t).split(":")[1] for t in g.objects(prop, RDF.type)
                 if t in (OWL.TransitiveProperty, OWL.SymmetricProperty, _SINGLE_VALUED)]
        if extra:
            also = ", ".join(filter(None, [also, *sorted(extra)]))
        out.append(
            f"| `{_curie(onto, prop)}` | {info.kind} | {_text(g.value(prop, RDFS.label))} | "
            f"{_curie(onto, g.value(prop, RDFS.domain))} | {_curie(onto, info.range)} | {also} | "
            f"{_text(g.value(prop, SKOS.definition))} |"
        )
    schemes = sorted(set(g.subjects(RDF.type, SKOS.ConceptScheme)), key=str)
    out += ["", "## Concept schemes", ""]
    for scheme in schemes:
        out += [f"### {_text(g.value(scheme, RDFS.label))} (`{_curie(onto, scheme)}`)", "",
                _text(g.value(scheme, SKOS.definition)), "",
                "| concept | notation (use in tables) | label | broader | definition |",
                "|---|---|---|---|---|"]
        concepts = sorted((c for c, s in onto.concepts.items() if s == scheme), key=str)
        for c in concepts:
            out.append(f"| `{_curie(onto, c)}` | `{_text(g.value(c, SKOS.notation))}` | "
                       f"{_text(g.value(c, RDFS.label))} | {_curie(onto, g.value(c, SKOS.broader))} | "
                       f"{_text(g.value(c, SKOS.definition))} |")
        out.append("")
    time_unit = URIRef("http://www.w3.org/2006/time#TemporalUnit")
    out += ["### Time precisions (`time:TemporalUnit`)", "",
            "| unit | notation | definition |", "|---|---|---|"]
    for unit in sorted((c for c, s in onto.concepts.items() if s == time_unit), key=str):
        out.append(f"| `{_curie(onto, unit)}` | `{_text(g.value(unit, SKOS.notation))}` | "
                   f"{_text(g.value(unit, SKOS.definition))} |")
    out.append("")
    return "\n".join(out)

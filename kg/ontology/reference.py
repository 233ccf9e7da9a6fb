"""The ontology reference for people: every class, property and concept, with its definition.

``kg ontology-doc --out docs/ontology.md`` regenerates ``docs/ontology.md``; a test checks the
committed file is up to date.
"""

from __future__ import annotations

import re

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


def _text(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ") if value is not None else ""


#: What goes in each cell of each table, column by column (the loader's columns, in order).
TABLE_CELLS: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = (
    ("sources", "One row per source: a report, a statement, a dataset, the curator's notes.", (
        ("id", "yes", "a local id, `[A-Za-z][A-Za-z0-9_.-]*`, unique across all tables: `report`, `meganoticias-0821`"),
        ("type", "yes", "`kg:NewsReport`, `kg:Source`, `kg:Dataset` or `kg:CuratorNote` (knowledge from "
                        "outside the sources: its rows need no quote and are flagged external)"),
        ("label", "yes", "a title a person recognises"),
        ("text_file", "no", "the file name of the full text, looked up on `sources_path` (a dataset made by "
                            "`kg init` keeps its texts in `sources/`); every quote is checked against it"),
        ("sha256", "no", "the hex SHA-256 of the text file's bytes when it was registered (`kg add-source` "
                         "writes it); a text changed since is reported"),
        ("outlet", "no", "the entity id of the outlet or publisher (a kg:Organization, usually "
                         "kg:MediaOrganization, declared in an entities table)"),
        ("published", "no", "the publication date as precise as known: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; "
                            "empty when unknown (relative times then stay relative)"),
        ("language", "no", "the BCP 47 tag of the text: `en`, `es`"),
        ("url", "no", "the address of the published item"),
        ("kind", "no", "`original` (default), `syndicated-copy`, `digest`, `translation`, `retelling`, "
                       "`official-statement`, `social-media-post`"),
        ("derived_from", "no", "for a copy, digest, translation or retelling: the id(s) of the source(s) it "
                               "derives from, `|`-separated"),
        ("note", "no", "the curator's note"),
    )),
    ("entities", "One row per entity: an actor, a place, an event, a time expression, an asset.", (
        ("id", "yes", "a local id, unique across all tables: `petro`, `medellin-helicopter-downing`"),
        ("type", "yes", "one or more classes (the Classes table below), `|`-separated: `kg:Cartel`, "
                        "`kg:Person|kg:UnnamedActor`"),
        ("label", "yes", "the name the source uses"),
        ("description", "no", "a short description in the curator's words"),
        ("source", "yes", "the id of the source that mentions the entity"),
        ("quote", "yes*", "the source's words that mention it, verbatim (typographic quotes, dashes and "
                          "spaces may differ); *not for a kg:CuratorNote or kg:Dataset source"),
        ("claimant", "no", "the entity id of whoever says it, when not the source in its own voice"),
        ("modality", "no", "a notation of kg:ModalityScheme: `reported-fact` (default), `assessment`, "
                           "`allegation`, `forecast`"),
        ("reliability", "no", "Admiralty source reliability `A`..`F` (kg:ReliabilityScheme)"),
        ("credibility", "no", "Admiralty information credibility `1`..`6` (kg:CredibilityScheme)"),
        ("note", "no", "the curator's note on this claim"),
    )),
    ("statements", "One row per triple, with the claim behind it.", (
        ("subject", "yes", "an entity id"),
        ("predicate", "yes", "a property as a CURIE (the Properties table below): `kg:perpetrator`"),
        ("object", "yes", "what the property's *object cell* column below says: an entity id, a concept "
                          "CURIE, a literal of the property's range, or text (`Cártel de Sinaloa@es` for a "
                          "label in a language)"),
        ("source", "yes", "the id of the source the row comes from"),
        ("quote", "yes*", "the source's words that support the row, verbatim; *not for a kg:CuratorNote or "
                          "kg:Dataset source"),
        ("claimant", "no", "the entity id (a kg:Actor) of whoever makes the claim; empty: the source's own voice"),
        ("modality", "no", "`reported-fact` (default), `assessment`, `allegation`, `forecast`"),
        ("reliability", "no", "Admiralty source reliability `A`..`F`"),
        ("credibility", "no", "Admiralty information credibility `1`..`6`"),
        ("via", "no", "the entity id of the outlet the claimant spoke through (`kg:reportedVia`)"),
        ("note", "no", "the curator's note on this claim"),
    )),
)

#: What to write in a statement's object cell for a literal of each datatype.
_LITERALS = {
    "xsd:nonNegativeInteger": "a whole number, 0 or more: `12`",
    "xsd:integer": "a whole number: `-3`, `12`",
    "xsd:decimal": "a decimal number: `6.25`, `400`",
    "xsd:date": "a day, `YYYY-MM-DD`: `2025-08-21`",
    "xsd:gYear": "a year, `YYYY`: `2024`",
    "xsd:gYearMonth": "a month, `YYYY-MM`: `2024-03`",
    "xsd:boolean": "`true` or `false`",
    "xsd:string": "text",
    "": "text",
}


def _object_cell(onto: Ontology, prop: URIRef, kind: str, rng: object) -> str:
    """What a statement's object cell holds for ``prop``."""
    g = onto.graph
    if kind == "annotation":
        return "text, optionally with a language tag: `Cártel de Sinaloa@es`"
    if _curie(onto, prop) == "skos:broader":
        return "a concept CURIE of the same scheme"
    if kind == "datatype":
        return _LITERALS.get(_curie(onto, rng), f"a literal of {_curie(onto, rng)}")
    definition = str(g.value(prop, SKOS.definition) or "")
    scheme = re.search(r"kg:\w+Scheme", definition)
    if scheme or _curie(onto, rng) in ("skos:Concept", "time:TemporalUnit"):
        name = scheme.group(0) if scheme else ("time:TemporalUnit" if "TemporalUnit" in _curie(onto, rng) else "")
        examples = sorted(_curie(onto, c) for c, sc in onto.concepts.items() if _curie(onto, sc) == name)[:2]
        return f"a concept CURIE of {name}: " + ", ".join(f"`{e}`" for e in examples) if name else "a concept CURIE"
    return f"an entity id (a {_curie(onto, rng)})" if isinstance(rng, URIRef) else "an entity id"


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
        "## What goes in each table cell",
        "",
        "A dataset's tables are CSV files (UTF-8, comma-separated, a header row first). Each column, and",
        "what to write in it; a statement's object cell depends on its property (see the Properties table).",
        "",
    ]
    for table, what, columns in TABLE_CELLS:
        out += [f"### {table}", "", what, "", "| column | required | what to write |", "|---|---|---|"]
        out += [f"| `{name}` | {required} | {_text(text)} |" for name, required, text in columns]
        out.append("")
    out += [
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
            "| property | kind | label | domain | range | object cell (what to write) | also | definition |",
            "|---|---|---|---|---|---|---|---|"]
    for prop, info in sorted(onto.properties.items(), key=lambda kv: str(kv[0])):
        also = ", ".join(sorted(_curie(onto, p) for p in g.objects(prop, RDFS.subPropertyOf)))
        extra = [_curie(onto, t).split(":")[1] for t in g.objects(prop, RDF.type)
                 if t in (OWL.TransitiveProperty, OWL.SymmetricProperty)]
        if extra:
            also = ", ".join(filter(None, [also, *sorted(extra)]))
        out.append(
            f"| `{_curie(onto, prop)}` | {info.kind} | {_text(g.value(prop, RDFS.label))} | "
            f"{_curie(onto, g.value(prop, RDFS.domain))} | {_curie(onto, info.range)} | "
            f"{_text(_object_cell(onto, prop, info.kind, info.range))} | {also} | "
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

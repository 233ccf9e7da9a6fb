"""Namespaces and terms, defined once.

``KG`` is a closed :class:`rdflib.namespace.DefinedNamespace` generated from
``ontology/*.ttl`` into ``kg/ontology/terms.py`` (``python -m kg.ontology`` regenerates it; a test
checks it is up to date), so a typo in a term is an ``AttributeError``, not a silent new IRI.
The other vocabularies kg reuses are here too.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, GEO, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, XSD

from kg.ontology.terms import KG

__all__ = [
    "DCTERMS",
    "GEO",
    "KG",
    "KG_NS",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SEM",
    "SH",
    "SKOS",
    "STANDARD_PREFIXES",
    "TIME",
    "XSD",
]

#: The ontology namespace as a plain string.
KG_NS = str(KG._NS)
#: Simple Event Model.
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
#: schema.org (https form, as schema.org itself now uses).
SCHEMA = Namespace("https://schema.org/")

#: Prefixes every dataset can use in CURIEs, and that outputs bind. A dataset's kg.toml may add more.
STANDARD_PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "sem": str(SEM),
    "schema": str(SCHEMA),
    "time": str(TIME),
    "geo": str(GEO),
    "dcterms": str(DCTERMS),
}

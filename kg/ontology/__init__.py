"""The ontology as kg uses it: the graphs in ``ontology/`` and indexes over them.

:func:`load_ontology` parses ``kg.ttl`` (classes and properties), ``concepts.ttl`` (SKOS
schemes) and ``shapes.ttl`` (SHACL) once per process. :class:`Ontology` answers what the loader
and validator ask: is this a class, what is this property's range, which concept has this
notation in that scheme.

Run ``python -m kg.ontology`` to regenerate ``kg/ontology/terms.py`` after editing the ontology.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.locations import ontology_dir

__all__ = ["Ontology", "PropertyInfo", "generate_terms_module", "load_ontology"]

ONTOLOGY_FILES = ("kg.ttl", "concepts.ttl")
SHAPES_FILE = "shapes.ttl"
KG_NS = "https://w3id.org/osint-kg/ontology#"
TERMS_LINE_LENGTH = 120  # the longest line generate_terms_module writes: [tool.ruff] line-length


@dataclass(frozen=True)
class PropertyInfo:
    """What kind of property a term is and what its values must be."""

    iri: URIRef
    kind: str  # "object", "datatype" or "annotation"
    range: URIRef | None


@dataclass
class Ontology:
    """The ontology graphs and the indexes the loader and validator need."""

    graph: Graph
    shapes: Graph
    classes: set[URIRef] = field(default_factory=set)
    properties: dict[URIRef, PropertyInfo] = field(default_factory=dict)
    concepts: dict[URIRef, URIRef] = field(default_factory=dict)  # concept -> scheme
    notations: dict[tuple[URIRef, str], URIRef] = field(default_factory=dict)
    superclasses: dict[URIRef, set[URIRef]] = field(default_factory=dict)

    @property
    def terms(self) -> set[URIRef]:
        """Every class, property and concept the ontology defines or declares."""
        return self.classes | set(self.properties) | set(self.concepts)

    def is_subclass(self, cls: URIRef, ancestor: URIRef) -> bool:
        """True when ``cls`` is ``ancestor`` or one of its (transitive) subclasses."""
        return cls == ancestor or ancestor in self.superclasses.get(cls, set())

    def concept(self, scheme: URIRef, notation: str) -> URIRef | None:
        """The concept of ``scheme`` whose ``skos:notation`` is ``notation``, if any."""
        return self.notations.get((scheme, notation))

    def scheme_notations(self, scheme: URIRef) -> list[str]:
        """The notations of a scheme's concepts, sorted (for error messages)."""
        return sorted(n for (s, n) in self.notations if s == scheme)

    def label(self, term: URIRef) -> str:
        """The term's English label, or its local name."""
        for lab in self.graph.objects(term, RDFS.label):
            return str(lab)
        return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _index(graph: Graph, shapes: Graph) -> Ontology:
    onto = Ontology(graph=graph, shapes=shapes)
    onto.classes = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    kinds = {
        OWL.ObjectProperty: "object",
        OWL.DatatypeProperty: "datatype",
        OWL.AnnotationProperty: "annotation",
    }
    # Only IRIs are indexed: a blank node is nothing a data file can name.
    for rdf_type, kind in kinds.items():
        for prop in graph.subjects(RDF.type, rdf_type):
            if isinstance(prop, URIRef):
                rng = graph.value(prop, RDFS.range)
                onto.properties[prop] = PropertyInfo(prop, kind, rng if isinstance(rng, URIRef) else None)
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        scheme = graph.value(concept, SKOS.inScheme)
        if not isinstance(concept, URIRef) or not isinstance(scheme, URIRef):
            continue  # a concept in no scheme: no notation cell can name it
        onto.concepts[concept] = scheme
        for notation in graph.objects(concept, SKOS.notation):
            onto.notations[(scheme, str(notation))] = concept
    time_unit = URIRef("http://www.w3.org/2006/time#TemporalUnit")
    for unit in graph.subjects(RDF.type, time_unit):
        if isinstance(unit, URIRef):
            onto.concepts[unit] = time_unit
            for notation in graph.objects(unit, SKOS.notation):
                onto.notations[(time_unit, str(notation))] = unit
    for cls in onto.classes:
        onto.superclasses[cls] = {
            s for s in graph.transitive_objects(cls, RDFS.subClassOf) if s != cls and isinstance(s, URIRef)
        }
    return onto


@functools.lru_cache(maxsize=4)
def load_ontology(directory: Path | None = None) -> Ontology:
    """Parse the ontology and shapes in ``directory`` (default: the bundled ones), once."""
    directory = directory or ontology_dir()
    graph = Graph(bind_namespaces="core")
    for name in ONTOLOGY_FILES:
        graph.parse(directory / name, format="turtle")
    shapes = Graph(bind_namespaces="core")
    shapes.parse(directory / SHAPES_FILE, format="turtle")
    return _index(graph, shapes)


def generate_terms_module(directory: Path | None = None) -> str:
    """The text of ``kg/ontology/terms.py``: a closed DefinedNamespace of every ``kg:`` term."""
    directory = directory or ontology_dir()
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(directory / name, format="turtle")
    names = sorted(
        {str(s)[len(KG_NS):] for s in graph.subjects() if str(s).startswith(KG_NS) and str(s) != KG_NS}
    )
    lines = [
        '"""The kg ontology\'s terms. Generated from ontology/*.ttl by `python -m kg.ontology`: do not edit."""',
        "",
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "from rdflib.term import URIRef",
        "",
        "",
        "class KG(DefinedNamespace):",
        '    """kg ontology: actors, places, events, equipment, time, sources and claims."""',
        "",
        "    _fail = True",
        f'    _NS = Namespace("{KG_NS}")',
        "",
    ]
    for name in names:
        line = f"    {name}: URIRef"
        comment = graph.value(URIRef(KG_NS + name), SKOS.definition)
        if isinstance(comment, Literal):
            # The definition's start, cut to keep the line within pyproject's line-length (ruff E501).
            width = min(90, TERMS_LINE_LENGTH - len(line) - len("  # "))
            line += f"  # {str(comment)[:width].rstrip()}"
        lines.append(line)
    modality_scheme = URIRef(KG_NS + "ModalityScheme")
    notations = sorted(str(n) for c in graph.subjects(SKOS.inScheme, modality_scheme)
                       for n in graph.objects(c, SKOS.notation))
    lines += [
        "",
        "",
        "#: The notations of kg:ModalityScheme's concepts (what a claim's modality cell may say), sorted.",
        f"MODALITIES: tuple[str, ...] = {tuple(notations)!r}",
    ]
    return "\n".join(lines) + "\n"


"""A property-graph view of a built dataset: nodes with labels, kinds and properties, and edges
that carry the evidence (claims) behind them.

The explorer, the graph-database and spreadsheet exports and the network analysis all read the
RDF dataset through this one view, so they agree on what a node and an edge are:

* **nodes** are the dataset's own entities and sources, plus the ontology concepts that entities
  link to as equipment, tactics and activities (``kg:Drone``); event types, modalities, grades,
  precisions and count qualifiers are *properties*, not nodes;
* **edges** are object-property triples between two nodes (never ``rdf:type``), each with the
  :class:`Evidence` of every claim that states it, and ``inferred=True`` when only the
  inferred graph holds it (inferred links between two nodes already linked, such as the
  ``kg:hasActor`` implied by a ``kg:perpetrator``, are left out);
* literal-valued triples (``kg:killed``, ``kg:role``, ``kg:year``...) are node properties.

Everything is sorted, so the same dataset gives the same view.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Dataset, URIRef
from rdflib.term import Node as RdfNode

from kg.vocab import KG, RDF, RDFS, SKOS, TIME

__all__ = ["KINDS", "Edge", "Evidence", "GraphView", "Node", "graph_view"]

#: Node kinds, most specific first: the first class an entity has (or inherits) decides its kind.
KINDS: tuple[tuple[URIRef, str], ...] = (
    (KG.Person, "person"),
    (KG.Cartel, "cartel"),
    (KG.CartelFaction, "cartel"),
    (KG.CriminalOrganization, "criminal-group"),
    (KG.GuerrillaGroup, "armed-group"),
    (KG.DissidentFaction, "armed-group"),
    (KG.ArmedGroup, "armed-group"),
    (KG.MilitaryUnit, "military-unit"),
    (KG.SecurityForce, "security-force"),
    (KG.SecurityService, "security-service"),
    (KG.StateBody, "state-body"),
    (KG.MediaOrganization, "media"),
    (KG.RiskConsultancy, "consultancy"),
    (KG.Organization, "organization"),
    (KG.CollectiveActor, "collective"),
    (KG.Actor, "actor"),
    (KG.Place, "place"),
    (KG.Event, "event"),
    (KG.TimeExpression, "time"),
    (KG.Asset, "asset"),
    (KG.Source, "source"),
)
_SCHEME_KINDS = {KG.EquipmentScheme: "equipment", KG.TacticScheme: "tactic", KG.ActivityScheme: "activity"}


@dataclass(frozen=True)
class Evidence:
    """One claim behind an edge or a property: where it comes from and how it is graded."""

    claim: str
    source: str
    source_label: str
    quote: str
    modality: str  # notation: reported-fact, assessment, allegation, forecast
    claimant: str = ""
    claimant_label: str = ""
    reliability: str = ""  # A..F
    credibility: str = ""  # 1..6
    via_label: str = ""
    note: str = ""
    external: bool = False

    @property
    def attributed(self) -> bool:
        """True when someone other than the source's own voice makes the claim, or it is not a
        plain reported fact."""
        return bool(self.claimant) or self.modality != "reported-fact"


@dataclass
class Node:
    """An entity, a source or a concept, as a node."""

    iri: str
    id: str
    label: str
    kind: str
    classes: list[str] = field(default_factory=list)  # CURIEs of the asserted classes
    class_labels: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    #: Literal and concept-valued properties: label of the property -> values (as text).
    properties: dict[str, list[str]] = field(default_factory=dict)
    #: Flags for unnamed or collective actors.
    unnamed: bool = False
    collective: bool = False
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Edge:
    """A link between two nodes, with the evidence behind it."""

    source: str
    target: str
    predicate: str  # CURIE
    label: str
    evidence: list[Evidence] = field(default_factory=list)
    inferred: bool = False

    @property
    def key(self) -> str:
        """A stable id for the edge."""
        return f"{self.source}|{self.predicate}|{self.target}"

    @property
    def attributed(self) -> bool:
        """True when every claim behind the edge is attributed or not a reported fact."""
        return bool(self.evidence) and all(e.attributed for e in self.evidence)

    @property
    def modalities(self) -> list[str]:
        """The distinct modalities of the claims behind the edge, sorted."""
        return sorted({e.modality for e in self.evidence})


@dataclass
class GraphView:
    """Nodes by IRI and edges, both sorted."""

    nodes: dict[str, Node]
    edges: list[Edge]

    def to_networkx(self):  # -> networkx.MultiDiGraph
        """A networkx MultiDiGraph: node attributes label/kind, edge key = predicate CURIE."""
        import networkx as nx

        G = nx.MultiDiGraph()
        for iri, node in self.nodes.items():
            G.add_node(iri, label=node.label, kind=node.kind)
        for edge in self.edges:
            G.add_edge(edge.source, edge.target, key=edge.predicate, label=edge.label,
                       inferred=edge.inferred, attributed=edge.attributed)
        return G


def _curie(ds: Dataset, iri: RdfNode) -> str:
    try:
        return ds.namespace_manager.normalizeUri(iri) if isinstance(iri, URIRef) else str(iri)
    except Exception:  # noqa: BLE001 - rdflib raises several types for unbindable IRIs
        return str(iri)


def graph_view(ds: Dataset, base: str) -> GraphView:
    """The property-graph view of a built (and possibly inferred) dataset."""
    facts = ds.default_graph
    prov = ds.graph(URIRef(f"{base}graph/provenance"))
    onto = ds.graph(URIRef(f"{base}graph/ontology"))
    inferred_graph = ds.graph(URIRef(f"{base}graph/inferred"))

    def label(iri: RdfNode) -> str:
        for graph in (facts, onto):
            value = graph.value(iri, RDFS.label)
            if value is not None:
                return str(value)
        return _curie(ds, iri).split(":")[-1]

    def notation(iri: RdfNode | None) -> str:
        if iri is None:
            return ""
        value = onto.value(iri, SKOS.notation)
        return str(value) if value is not None else label(iri)

    superclasses: dict[RdfNode, set[RdfNode]] = {}

    def ancestors(cls: RdfNode) -> set[RdfNode]:
        if cls not in superclasses:
            superclasses[cls] = set(onto.transitive_objects(cls, RDFS.subClassOf))
        return superclasses[cls]

    # Evidence for every asserted triple.
    evidence: dict[tuple, list[Evidence]] = defaultdict(list)
    for claim in sorted(prov.subjects(RDF.type, KG.Claim)):
        s, p, o = (prov.value(claim, RDF.subject), prov.value(claim, RDF.predicate),
                   prov.value(claim, RDF.object))
        source = prov.value(claim, KG.source)
        claimant = prov.value(claim, KG.claimant)
        via = prov.value(claim, KG.reportedVia)
        evidence[(s, p, o)].append(Evidence(
            claim=str(claim),
            source=str(source),
            source_label=label(source) if source is not None else "",
            quote=str(prov.value(claim, KG.quote) or ""),
            modality=notation(prov.value(claim, KG.modality)),
            claimant=str(claimant or ""),
            claimant_label=label(claimant) if claimant is not None else "",
            reliability=notation(prov.value(claim, KG.sourceReliability)),
            credibility=notation(prov.value(claim, KG.informationCredibility)),
            via_label=label(via) if via is not None else "",
            note=str(prov.value(claim, KG.note) or ""),
            external=bool(prov.value(claim, KG.external)),
        ))

    concept_scheme = {c: s for c, s in onto.subject_objects(SKOS.inScheme)}
    nodes: dict[str, Node] = {}

    def kind_of(types: list[RdfNode]) -> str:
        every = set(types)
        for t in types:
            every |= ancestors(t)
        for cls, kind in KINDS:
            if cls in every:
                return kind
        return "other"

    subjects = {s for s in facts.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(base)}
    for iri in sorted(subjects):
        types = sorted(facts.objects(iri, RDF.type))
        node = Node(
            iri=str(iri), id=str(iri)[len(base):], label=label(iri), kind=kind_of(types),
            classes=[_curie(ds, t) for t in types], class_labels=[label(t) for t in types],
            aliases=sorted(str(a) for a in facts.objects(iri, SKOS.altLabel)),
            description=str(facts.value(iri, RDFS.comment) or ""),
            unnamed=KG.UnnamedActor in types, collective=KG.CollectiveActor in types,
            evidence=[e for t in types for e in evidence.get((iri, RDF.type, t), [])],
        )
        nodes[str(iri)] = node

    edges: dict[tuple[str, str, str], Edge] = {}
    linked: dict[tuple[RdfNode, RdfNode], bool] = {}
    skip = {RDF.type, RDFS.label, RDFS.comment, SKOS.altLabel}
    own = str(KG)

    def ordered(graph):  # kg: properties first, so an inferred kg:locatedIn wins over geo:sfWithin
        return sorted(graph, key=lambda t: (not str(t[1]).startswith(own), t))

    for graph, is_inferred in ((facts, False), (inferred_graph, True)):
        for s, p, o in ordered(graph):
            if p in skip or str(s) not in nodes:
                continue
            if isinstance(o, URIRef) and o in concept_scheme and concept_scheme[o] in _SCHEME_KINDS:
                if str(o) not in nodes:
                    nodes[str(o)] = Node(iri=str(o), id=_curie(ds, o), label=label(o),
                                         kind=_SCHEME_KINDS[concept_scheme[o]], classes=["skos:Concept"],
                                         class_labels=[label(concept_scheme[o])],
                                         description=str(onto.value(o, SKOS.definition) or ""))
            if isinstance(o, URIRef) and str(o) in nodes:
                key = (str(s), _curie(ds, p), str(o))
                if key in edges:
                    continue
                # An inferred super-property or inverse of a link already drawn adds nothing to see.
                if is_inferred and (linked.get((s, o)) or linked.get((o, s))):
                    continue
                linked[(s, o)] = True
                edges[key] = Edge(str(s), str(o), key[1], label(p), evidence.get((s, p, o), []),
                                  inferred=is_inferred)
            elif not is_inferred:
                value = notation(o) if isinstance(o, URIRef) and (o in concept_scheme or p == TIME.unitType) \
                    else (label(o) if isinstance(o, URIRef) else str(o))
                nodes[str(s)].properties.setdefault(label(p), []).append(value)
    for node in nodes.values():
        node.properties = {k: sorted(set(v)) for k, v in sorted(node.properties.items())}
    ordered_nodes = dict(sorted(nodes.items()))
    return GraphView(ordered_nodes, [edges[k] for k in sorted(edges)])

"""A property-graph view of a built dataset: nodes with labels, kinds and properties, and edges
that carry the evidence (claims) behind them.

The explorer, the graph-database and spreadsheet exports and the network analysis all read the
RDF dataset through this one view, so they agree on what a node and an edge are, and on what is a
fact (README.md, "Provenance model"):

* **nodes** are the dataset's own entities and sources, plus the ontology concepts that entities
  link to as equipment, tactics and activities (``kg:Drone``); event types, modalities, grades,
  precisions and quantities (``kg:killed`` "at least 18") are *properties*, not nodes;
* **edges** are the object-property statements between two nodes (never ``rdf:type``), taken
  from the claims: every statement a source makes, whoever makes it, each with the
  :class:`Evidence` of every claim that states it. An edge whose claims are all attributed (a
  claimant's, an allegation, an assessment, a forecast, a curator inference) is still drawn, and
  is ``attributed``: its triple is not a fact, and every consumer says so. ``inferred=True`` when
  only the inferred graph holds it (inferred links between two nodes already linked, such as the
  ``kg:hasActor`` implied by a ``kg:perpetrator``, are left out);
* literal-valued statements (``kg:role``, ``kg:year``, ``kg:killed`` ...) are node properties:
  :attr:`Node.properties` holds the facts only, :attr:`Node.attributed` the values only a claim
  gives (each with its evidence), and :attr:`Node.quantities` the facts' quantities with their
  bounds.

A body of reporting adds (from the computed graph, :mod:`kg.build.reporting`): each claim's
independent origin and its source's publication date on its :class:`Evidence`; on every
:class:`Edge` the number of independent sources behind it (``independent_sources``: copies,
digests and retellings of one original count once), and on the edges of a disputed link every
version (``versions``); on every :class:`Node` the disputed values of its single-valued
properties (``disputes``: each version with its evidence, in the order of the reports'
publication); and a relative time's anchored interval as node properties.

Everything is sorted, so the same dataset gives the same view.
"""

from __future__ import annotations

import bisect
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.build import Built
from kg.build.quads import Pairs
from kg.ntriples import parse_term
from kg.vocab import DCTERMS, GEO, KG, KG_NS, RDF, RDFS, SKOS, TIME

__all__ = ["KINDS", "Claimed", "ClaimedValue", "Edge", "Evidence", "GraphView", "Node", "Quantity", "claims",
           "graph_view"]

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
    attribution: str = ""  # notation: direct-quote, reported-speech, paraphrase ("" in the source's voice)
    inference: bool = False  # a curator inference: the text only implies it
    #: The independent origin the claim counts as (an outlet, or a first report), empty for curator
    #: notes; and its label.
    origin: str = ""
    origin_label: str = ""
    #: The publication date that dates the claim's source as given (2025-08-21, 2025-08, 2025): its
    #: own, or its original's for a copy, digest or translation; empty when unknown.
    published: str = ""
    #: The language of the quote (its source's), and the curator's translation beside it.
    quote_language: str = ""
    translation: str = ""

    @property
    def asserted(self) -> bool:
        """True when the claim is the source's own voice stating a reported fact (no claimant, not
        a curator inference, not outside knowledge): only such claims make a statement a fact."""
        return not self.claimant and self.modality == "reported-fact" and not self.inference and not self.external

    @property
    def attributed(self) -> bool:
        """True when the claim is not the source's own voice stating a reported fact: a claimant's
        claim, an assessment, allegation or forecast, a curator inference or outside knowledge."""
        return not self.asserted

    @property
    def standing(self) -> str:
        """Why the claim is not a fact, in words ("Gustavo Petro, allegation, paraphrase";
        "curator inference"); empty when it is one."""
        if self.asserted:
            return ""
        parts = [self.claimant_label or ("the curator's note" if self.external else "the source")]
        if self.modality != "reported-fact" or self.claimant:
            parts.append(self.modality.replace("-", " "))
        if self.attribution:
            parts.append(self.attribution.replace("-", " "))
        if self.inference:
            parts.append("curator inference")
        if self.external:
            parts.append("outside knowledge")
        return ", ".join(parts)


@dataclass(frozen=True)
class Quantity:
    """A number with its bound, as a source gives it (a ``kg:Quantity``)."""

    iri: str
    label: str  # "at least 18", "exactly 12", "dozens", "most"
    bound: str  # notation: exact, at-least, at-most, approximately, vague, most
    value: int | None = None
    words: str = ""


@dataclass(frozen=True)
class ClaimedValue:
    """A property value only claims give (never a fact), with the evidence behind it."""

    value: str
    evidence: tuple[Evidence, ...]

    @property
    def text(self) -> str:
        """The value and who stands behind it: "to eradicate coca crops (attributed: Gustavo Petro,
        reported fact, reported speech)"."""
        return f"{self.value} (attributed: {' and '.join(sorted({e.standing for e in self.evidence}))})"


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
    #: Disputed single-valued properties: property label -> versions, each (value as text, the
    #: evidence giving it), in the order of their sources' publication (unknown dates last).
    disputes: dict[str, list[tuple[str, list[Evidence]]]] = field(default_factory=dict)
    #: Values only claims give (an attributed or inferred statement): label of the property -> values.
    attributed: dict[str, list[ClaimedValue]] = field(default_factory=dict)
    #: The facts' quantities (kg:killed, kg:wounded, kg:count): label of the property -> quantities.
    quantities: dict[str, list[Quantity]] = field(default_factory=dict)

    def property_texts(self) -> dict[str, list[str]]:
        """Every property as text a person reads: the facts as they are, and each attributed value
        with who stands behind it (:attr:`ClaimedValue.text`), so none passes for a fact."""
        out = {k: list(v) for k, v in self.properties.items()}
        for key, values in self.attributed.items():
            out.setdefault(key, []).extend(v.text for v in values)
        return dict(sorted(out.items()))


@dataclass
class Edge:
    """A link between two nodes, with the evidence behind it."""

    source: str
    target: str
    predicate: str  # CURIE
    label: str
    evidence: list[Evidence] = field(default_factory=list)
    inferred: bool = False
    #: How many independent sources stand behind the edge: the distinct origins of its claims
    #: (copies, digests and retellings of one original, and quotes relayed through one outlet,
    #: count once; curator notes not at all). Counted from the evidence when the edge is made.
    independent_sources: int = -1
    #: When the sources dispute the edge's single-valued property (the perpetrator, the place): every
    #: version of it, each (value as text, the evidence giving it), in the order of publication.
    versions: list[tuple[str, list[Evidence]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.independent_sources < 0:
            self.independent_sources = len({e.origin for e in self.evidence if e.origin})

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

    @property
    def origins(self) -> list[str]:
        """The labels of the independent origins behind the edge, sorted."""
        return sorted({e.origin_label for e in self.evidence if e.origin})


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


def graph_view(built: Built) -> GraphView:
    """The property-graph view of a built (and possibly inferred) dataset."""
    return _ViewMaker(built).make()


@dataclass(frozen=True)
class Claimed:
    """One claim of the provenance graph: the triple it states (N-Triples terms) and its evidence."""

    subject: str
    predicate: str
    object: str
    evidence: Evidence


def claims(built: Built) -> list[Claimed]:
    """Every claim of the dataset (on links, properties, labels and aliases alike), by claim IRI."""
    return _ViewMaker(built).claims()


def _iri(term: str) -> str:
    """The IRI of an N-Triples IRI term (``<x>`` -> ``x``)."""
    return term[1:-1]


class _ViewMaker:
    """Reads the quads of one :class:`Built` into a :class:`GraphView`."""

    def __init__(self, built: Built) -> None:
        graphs = built.quads.graphs
        self.base = built.base
        self.facts = graphs.get(built.facts, {})
        self.prov = graphs.get(built.provenance, {})
        self.onto = graphs.get(built.ontology, {})
        self.inferred = graphs.get(built.inferred, {})
        self.computed = graphs.get(built.computed, {})
        self.manager = built.namespace_manager()
        self.curies: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.superclasses: dict[str, set[str]] = {}

    # --- lookups over the N-Triples terms ----------------------------------------------------

    @staticmethod
    def first(pairs: Pairs, p: str) -> str | None:
        i = bisect.bisect_left(pairs, (p, ""))
        return pairs[i][1] if i < len(pairs) and pairs[i][0] == p else None

    @staticmethod
    def every(pairs: Pairs, p: str) -> list[str]:
        i = bisect.bisect_left(pairs, (p, ""))
        out = []
        while i < len(pairs) and pairs[i][0] == p:
            out.append(pairs[i][1])
            i += 1
        return out

    def curie(self, term: str) -> str:
        found = self.curies.get(term)
        if found is None:
            try:
                found = self.manager.normalizeUri(URIRef(_iri(term)))
            except Exception:  # noqa: BLE001 - rdflib raises several types for unbindable IRIs
                found = _iri(term)
            self.curies[term] = found
        return found

    def label(self, term: str) -> str:
        found = self.labels.get(term)
        if found is None:
            values = self.every(self.facts.get(term, ()), _LABEL) or self.every(self.onto.get(term, ()), _LABEL)
            # A name in no particular language first (the main label), then English, then any.
            value = min(values, key=lambda v: (not v.endswith('"'), not v.endswith('"@en'), v)) if values else None
            found = str(parse_term(value)) if value is not None else self.curie(term).split(":")[-1]
            self.labels[term] = found
        return found

    def notation(self, term: str | None) -> str:
        if term is None:
            return ""
        value = self.first(self.onto.get(term, ()), _NOTATION)
        return str(parse_term(value)) if value is not None else self.label(term)

    def ancestors(self, cls: str) -> set[str]:
        found = self.superclasses.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for parent in self.every(self.onto.get(todo.pop(), ()), _SUBCLASS):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            self.superclasses[cls] = found
        return found

    def text(self, term: str | None) -> str:
        return str(parse_term(term)) if term is not None else ""

    # --- the view ----------------------------------------------------------------------------

    def origin_of(self, source: str | None) -> str | None:
        """The independent origin of a source (the computed graph's kg:origin)."""
        return self.first(self.computed.get(source, ()), _ORIGIN) if source else None

    def claims(self) -> list[Claimed]:
        """Every claim, in claim-IRI order."""
        out = []
        published: dict[str, str] = {}
        languages: dict[str, str] = {}
        for claim in sorted(self.prov, key=_iri):
            pairs = self.prov[claim]
            if (_TYPE, _CLAIM) not in pairs:
                continue
            get = functools.partial(self.first, pairs)
            s, p, o = get(_SUBJECT), get(_PREDICATE), get(_OBJECT)
            if s is None or p is None or o is None:
                continue
            source, claimant, via = get(_SOURCE), get(_CLAIMANT), get(_VIA)
            origin = via or self.origin_of(source)
            if source and source not in published:
                dated_by = self.first(self.computed.get(source, ()), _DATED_BY)
                published[source] = self.text(self.first(self.facts.get(dated_by, ()), _PUBLISHED)) if dated_by else ""
                languages[source] = self.text(self.first(self.facts.get(source, ()), _LANGUAGE))
            out.append(Claimed(s, p, o, Evidence(
                claim=_iri(claim),
                source=_iri(source) if source else "",
                source_label=self.label(source) if source else "",
                quote=self.text(get(_QUOTE)),
                modality=self.notation(get(_MODALITY)),
                claimant=_iri(claimant) if claimant else "",
                claimant_label=self.label(claimant) if claimant else "",
                reliability=self.notation(get(_RELIABILITY)),
                credibility=self.notation(get(_CREDIBILITY)),
                via_label=self.label(via) if via else "",
                note=self.text(get(_NOTE)),
                external=get(_EXTERNAL) == _TRUE,
                origin=_iri(origin) if origin else "",
                origin_label=self.label(origin) if origin else "",
                published=published.get(source, "") if source else "",
                quote_language=languages.get(source, "") if source else "",
                translation=self.text(get(_TRANSLATION)),
                attribution=self.notation(get(_ATTRIBUTION)) if get(_ATTRIBUTION) else "",
                inference=get(_INFERENCE) == _TRUE,
            )))
        return out

    def evidence_by_triple(self) -> dict[tuple[str, str, str], list[Evidence]]:
        """Evidence for every claimed triple (subject, predicate, object terms), claims in IRI order."""
        out: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
        for c in self.claims():
            out[(c.subject, c.predicate, c.object)].append(c.evidence)
        return out

    def kind_of(self, types: list[str]) -> str:
        every: set[str] = set()
        for t in types:
            every |= self.ancestors(t)
        for cls, kind in _KIND_TERMS:
            if cls in every:
                return kind
        return "other"

    def quantity(self, term: str) -> Quantity | None:
        """The kg:Quantity ``term`` names, or None when it is not one."""
        pairs = self.facts.get(term)
        if not pairs or (_TYPE, _QUANTITY) not in pairs:
            return None
        value, words = self.first(pairs, _VALUE), self.first(pairs, _AS_WORDED)
        return Quantity(_iri(term), self.label(term), self.notation(self.first(pairs, _BOUND)),
                        int(str(parse_term(value))) if value is not None else None,
                        self.text(words) if words is not None else "")

    def statements(self) -> list[tuple[str, str, str]]:
        """Every statement the sources make: the facts and every claim's triple, each once."""
        triples = {(s, p, o) for s, pairs in self.facts.items() for p, o in pairs}
        for claim in self.prov.values():
            if (_TYPE, _CLAIM) in claim:
                s, p, o = self.first(claim, _SUBJECT), self.first(claim, _PREDICATE), self.first(claim, _OBJECT)
                if s is not None and p is not None and o is not None:
                    triples.add((s, p, o))
        return list(triples)

    def make(self) -> GraphView:
        evidence = self.evidence_by_triple()
        concept_scheme = {c: o for c, pairs in self.onto.items() for o in self.every(pairs, _IN_SCHEME)}
        nodes: dict[str, Node] = {}
        prefix = f"<{self.base}"
        # A place's GeoSPARQL geometry is not a node: the place carries its latitude and longitude;
        # nor is a quantity: it is the value of a property (killed "at least 18").
        for term in sorted((s for s, pairs in self.facts.items() if s.startswith(prefix) and self.first(pairs, _TYPE)
                            and (_TYPE, _GEOMETRY) not in pairs and (_TYPE, _QUANTITY) not in pairs),
                           key=_iri):
            pairs = self.facts[term]
            types = sorted((t for t in self.every(pairs, _TYPE) if t.startswith("<")), key=_iri)
            iri = _iri(term)
            nodes[iri] = Node(
                iri=iri, id=iri[len(self.base):], label=self.label(term), kind=self.kind_of(types),
                classes=[self.curie(t) for t in types], class_labels=[self.label(t) for t in types],
                aliases=sorted(self.text(a) for a in self.every(pairs, _ALT_LABEL)),
                description=self.text(self.first(pairs, _COMMENT)),
                unnamed=_UNNAMED in types, collective=_COLLECTIVE in types,
                evidence=[e for t in types for e in evidence.get((term, _TYPE, t), [])],
            )

        edges: dict[tuple[str, str, str], Edge] = {}
        linked: set[tuple[str, str]] = set()
        attributed: dict[str, dict[str, list[ClaimedValue]]] = defaultdict(dict)
        for triples, is_inferred in ((self.statements(), False),
                                     ([(s, p, o) for s, pairs in self.inferred.items() for p, o in pairs], True)):
            # kg: properties first, so an inferred kg:locatedIn wins over geo:sfWithin.
            triples = sorted(triples, key=lambda t: (not t[1].startswith(_OWN), _iri(t[0]), _iri(t[1]), t[2]))
            for s, p, o in triples:
                if p in _SKIP or _iri(s) not in nodes:
                    continue
                is_iri = o.startswith("<")
                scheme = concept_scheme.get(o) if is_iri else None
                if scheme in _SCHEME_TERMS and _iri(o) not in nodes:
                    nodes[_iri(o)] = Node(iri=_iri(o), id=self.curie(o), label=self.label(o),
                                          kind=_SCHEME_TERMS[scheme], classes=["skos:Concept"],
                                          class_labels=[self.label(scheme)],
                                          description=self.text(self.first(self.onto.get(o, ()), _DEFINITION)))
                if is_iri and _iri(o) in nodes:
                    key = (_iri(s), self.curie(p), _iri(o))
                    if key in edges:
                        continue
                    # An inferred super-property or inverse of a link already drawn adds nothing to see.
                    if is_inferred and ((s, o) in linked or (o, s) in linked):
                        continue
                    linked.add((s, o))
                    edges[key] = Edge(key[0], key[2], key[1], self.label(p), evidence.get((s, p, o), []),
                                      inferred=is_inferred)
                elif not is_inferred:
                    quantity = self.quantity(o) if is_iri else None
                    if quantity is not None:
                        value = quantity.label
                    elif is_iri and (scheme is not None or p == _UNIT_TYPE):
                        value = self.notation(o)
                    else:
                        value = self.label(o) if is_iri else self.text(o)
                    node, name = nodes[_iri(s)], self.label(p)
                    if o in self.facts_objects(s, p):
                        node.properties.setdefault(name, []).append(value)
                        if quantity is not None:
                            node.quantities.setdefault(name, []).append(quantity)
                    else:
                        attributed[_iri(s)].setdefault(name, []).append(
                            ClaimedValue(value, tuple(evidence.get((s, p, o), []))))
        self.computed_properties(nodes)
        self.disputes(nodes, evidence, edges)
        for iri, node in nodes.items():
            node.properties = {k: sorted(set(v)) for k, v in sorted(node.properties.items())}
            node.quantities = {k: sorted(set(v), key=lambda q: q.iri) for k, v in sorted(node.quantities.items())}
            node.attributed = {k: sorted(v, key=lambda c: (c.value, [e.claim for e in c.evidence]))
                               for k, v in sorted(attributed.get(iri, {}).items())}
        return GraphView(dict(sorted(nodes.items())), [edges[k] for k in sorted(edges)])

    def computed_properties(self, nodes: dict[str, Node]) -> None:
        """A relative time's anchored interval, and a source's origin, as node properties."""
        for s, pairs in self.computed.items():
            node = nodes.get(_iri(s))
            if node is None:
                continue
            for p, o in pairs:
                if p == _TYPE:
                    continue
                value = (self.notation(o) if p == _ANCHORED_PRECISION else self.label(o)) if o.startswith("<") \
                    else self.text(o)
                node.properties.setdefault(self.label(p), []).append(value)

    def disputes(self, nodes: dict[str, Node], evidence: dict[tuple[str, str, str], list[Evidence]],
                 edges: dict[tuple[str, str, str], Edge]) -> None:
        """Each dispute's versions on its subject's node, earliest published first, and on the edges
        of a disputed link (each perpetrator named)."""
        by_link: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        for edge in edges.values():
            if not edge.inferred:
                by_link[(edge.source, edge.predicate)].append(edge)
        by_claim = {f"<{e.claim}>": (triple, e) for triple, found in evidence.items() for e in found}
        for _dispute, pairs in sorted(self.computed.items()):
            if (_TYPE, _DISPUTE) not in pairs:
                continue
            subject, prop = self.first(pairs, _DISPUTED_SUBJECT), self.first(pairs, _DISPUTED_PROPERTY)
            node = nodes.get(_iri(subject)) if subject else None
            if node is None or prop is None:
                continue
            versions: dict[str, list[Evidence]] = {}
            rank: dict[str, int] = {}
            for claim in self.every(pairs, _VERSION):
                found = by_claim.get(claim)
                if found is not None:
                    (_s, _p, o), e = found
                    versions.setdefault(o, []).append(e)
                    value = self.first(self.computed.get(claim, ()), _VERSION_RANK)
                    rank[e.claim] = int(self.text(value)) if value else 0
            ordered = sorted(versions.items(), key=lambda kv: min(rank[e.claim] for e in kv[1]))
            node.disputes[self.label(prop)] = [
                (self.label(o) if o.startswith("<") else self.text(o), sorted(found, key=lambda e: rank[e.claim]))
                for o, found in ordered]
            for edge in by_link.get((node.iri, self.curie(prop)), ()):
                edge.versions = node.disputes[self.label(prop)]

    def facts_objects(self, s: str, p: str) -> list[str]:
        """The objects of ``s p ?o`` in the default graph (the facts)."""
        return self.every(self.facts.get(s, ()), p)


def _n3(iri: URIRef) -> str:
    return f"<{iri}>"


_TYPE, _LABEL, _COMMENT, _ALT_LABEL = _n3(RDF.type), _n3(RDFS.label), _n3(RDFS.comment), _n3(SKOS.altLabel)
_NOTATION, _SUBCLASS, _IN_SCHEME, _DEFINITION = (_n3(SKOS.notation), _n3(RDFS.subClassOf), _n3(SKOS.inScheme),
                                                 _n3(SKOS.definition))
_SUBJECT, _PREDICATE, _OBJECT, _CLAIM = _n3(RDF.subject), _n3(RDF.predicate), _n3(RDF.object), _n3(KG.Claim)
_SOURCE, _CLAIMANT, _VIA, _QUOTE = _n3(KG.source), _n3(KG.claimant), _n3(KG.reportedVia), _n3(KG.quote)
_MODALITY, _RELIABILITY, _CREDIBILITY = _n3(KG.modality), _n3(KG.sourceReliability), _n3(KG.informationCredibility)
_NOTE, _EXTERNAL, _TRUE = _n3(KG.note), _n3(KG.external), '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
_UNNAMED, _COLLECTIVE, _UNIT_TYPE = _n3(KG.UnnamedActor), _n3(KG.CollectiveActor), _n3(TIME.unitType)
_ORIGIN, _PUBLISHED, _LANGUAGE, _TRANSLATION = (_n3(KG.origin), _n3(KG.published), _n3(DCTERMS.language),
                                                _n3(KG.quoteTranslation))
_DISPUTE, _DISPUTED_SUBJECT, _DISPUTED_PROPERTY, _VERSION = (_n3(KG.Dispute), _n3(KG.disputedSubject),
                                                             _n3(KG.disputedProperty), _n3(KG.version))
_ANCHORED_PRECISION, _DATED_BY, _VERSION_RANK = _n3(KG.anchoredPrecision), _n3(KG.datedBy), _n3(KG.versionRank)
_ATTRIBUTION, _INFERENCE = _n3(KG.attribution), _n3(KG.curatorInference)
_QUANTITY, _VALUE, _BOUND, _AS_WORDED = _n3(KG.Quantity), _n3(KG.value), _n3(KG.bound), _n3(KG.asWorded)
_GEOMETRY, _HAS_GEOMETRY = _n3(GEO.Geometry), _n3(GEO.hasGeometry)
_SKIP = {_TYPE, _LABEL, _COMMENT, _ALT_LABEL, _HAS_GEOMETRY}
_OWN = f"<{KG_NS}"
_KIND_TERMS = tuple((_n3(cls), kind) for cls, kind in KINDS)
_SCHEME_TERMS = {_n3(scheme): kind for scheme, kind in _SCHEME_KINDS.items()}

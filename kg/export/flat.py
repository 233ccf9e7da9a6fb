"""Flat records of the property-graph view, shared by the GraphML, GEXF, Neo4j, CSV and STIX
writers so that every export agrees on what a node, an edge and a property are.

* a node's properties are the **facts** only, keyed by the local name of their predicate
  (``killed``, ``eventType``) and typed from the predicate's ``rdfs:range`` in the ontology
  (``xsd:nonNegativeInteger`` -> int, ``xsd:decimal`` -> float, ``xsd:date`` -> date; a quantity
  is its text, "at least 18"); a value only a claim gives is never among them: it is in
  :meth:`FlatGraph.attributed_texts` ("mission: to eradicate coca crops (attributed: Gustavo
  Petro, reported fact, reported speech)"), which every writer carries in a column of its own;
* a property that holds more than one value on some node is a list property everywhere;
* an edge carries its claims: every :class:`~kg.property_graph.Evidence` (source, quote, claimant,
  modality, attribution, Admiralty grades, independent origin, publication date) in a fixed order,
  the number of independent sources behind it, and is ``attributed`` when no claim behind it is the
  source's own voice stating a fact;
* a node carries its disputed values, each version with its sources in publication order;
* places nest by the facts' ``kg:locatedIn`` (:attr:`FlatGraph.located_in`); a containment only a
  claim or a curator inference gives is in :attr:`FlatGraph.located_in_attributed`;
* an event's time (``kg:hasTime``) is resolved to its date, precision and interval, so that
  spreadsheets get a date column and Gephi a timeline; a relative time's interval is the one
  kg build anchored to its source's publication date, flagged ``computed``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from rdflib import URIRef
from rdflib.term import Node as RDFNode  # kg.property_graph.Node is a node of the view

from kg.build import Built
from kg.ntriples import parse_term
from kg.property_graph import Edge, Evidence, GraphView, Node, claims, graph_view
from kg.vocab import KG, KG_NS, RDFS, XSD

__all__ = [
    "ClaimRow",
    "FlatGraph",
    "PropertySpec",
    "TimeInfo",
    "claim_rows",
    "disputes_dict",
    "disputes_text",
    "evidence_dict",
    "flat_graph",
    "local_name",
    "rel_type",
    "statement_origins",
]

_INT = {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int, XSD.long}
_FLOAT = {XSD.decimal, XSD.double, XSD.float}


@dataclass(frozen=True)
class PropertySpec:
    """A node property: its key, the predicate it comes from, its type and whether it is a list."""

    key: str
    predicate: str  # CURIE
    type: str  # "string" | "int" | "float" | "date" | "boolean"
    is_list: bool


@dataclass(frozen=True)
class TimeInfo:
    """When an event happened, as far as the data says."""

    date: str = ""  # as given: 2024-05-01, 2024-05, 2024; empty when only relative
    precision: str = ""  # day, week, month, year, unspecified (from time:unitType or the value)
    start: str = ""  # ISO date of the first day of the interval, when absolute
    end: str = ""  # ISO date of the last day
    expression: str = ""  # the source's words ("last week")
    relative_to: str = ""  # label of what a relative time counts from
    #: True when start and end were computed by kg build from a relative time and its source's
    #: publication date ("last week" of a report published on 2025-08-21), not given by the text.
    computed: bool = False


@dataclass
class FlatGraph:
    """The view plus what every flat writer needs: typed property specs, labels, times."""

    view: GraphView
    base: str
    properties: dict[str, PropertySpec]  # key -> spec, sorted
    labels: dict[str, list[str]]  # node IRI -> ontology-derived labels (most specific first)
    key_by_label: dict[str, str]  # the view's property label -> property key
    times: dict[str, TimeInfo] = field(default_factory=dict)  # event IRI -> time
    located_in: dict[str, list[str]] = field(default_factory=dict)  # place IRI -> ancestors, nearest first
    #: The view's property label -> key, for the values only claims give (see attributed_texts).
    attributed_keys: dict[str, str] = field(default_factory=dict)
    #: Place IRI -> the containments only claims give (curator inferences, outside knowledge): the
    #: ancestors reached through at least one such link, each with the evidence of that link.
    located_in_attributed: dict[str, list[tuple[str, tuple[Evidence, ...]]]] = field(default_factory=dict)

    @property
    def nodes(self) -> dict[str, Node]:
        """The view's nodes by IRI."""
        return self.view.nodes

    @property
    def edges(self) -> list[Edge]:
        """The view's edges, sorted."""
        return self.view.edges

    def typed_properties(self, node: Node) -> dict[str, object]:
        """A node's properties, keyed by local name, as typed Python values (lists for list
        properties)."""
        out: dict[str, object] = {}
        for name, values in node.properties.items():
            spec = self.properties[self.key_by_label[name]]
            typed = [_convert(v, spec.type) for v in values]
            out[spec.key] = typed if spec.is_list else typed[0]
        # A quantity's number and bound in columns of their own (killed_value 18, killed_bound
        # at-least), beside its text (killed "at least 18"): the number never stands alone.
        for name, quantities in node.quantities.items():
            key = self.key_by_label[name]
            numbers: list[object] = [q.value for q in quantities if q.value is not None]
            bounds: list[object] = [q.bound for q in quantities]
            for suffix, figures in (("_value", numbers), ("_bound", bounds)):
                spec = self.properties[key + suffix]
                if figures:
                    out[spec.key] = figures if spec.is_list else figures[0]
        return dict(sorted(out.items()))

    def attributed_texts(self, node: Node) -> list[str]:
        """The values only claims give a node, one line each ("mission: to eradicate coca crops
        (attributed: Gustavo Petro, reported fact, reported speech)"), sorted."""
        out: list[str] = []
        for name, values in node.attributed.items():
            key = self.attributed_keys.get(name) or local_name(name)
            out.extend(f"{key}: {v.text}" for v in values)
        return sorted(out)

    def node_id(self, iri: str) -> str:
        """The short, stable id of a node (its local id, or the CURIE of a concept)."""
        return self.nodes[iri].id


def local_name(curie_or_iri: str) -> str:
    """``kg:usedEquipment`` -> ``usedEquipment``; an IRI -> its last segment."""
    text = str(curie_or_iri)
    for sep in ("#", "/", ":"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def rel_type(predicate: str) -> str:
    """A Neo4j-style relationship type from a predicate: ``kg:usedEquipment`` -> ``USED_EQUIPMENT``."""
    name = local_name(predicate)
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"[^A-Za-z0-9_]", "_", snake).upper() or "RELATED"


def label_name(curie: str) -> str:
    """A node label from a class CURIE: ``kg:CriminalOrganization`` -> ``CriminalOrganization``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", local_name(curie)) or "Thing"


def evidence_dict(e: Evidence) -> dict[str, object]:
    """One claim as plain data (the same keys in every export)."""
    return {
        "claim": e.claim,
        "source": e.source,
        "source_label": e.source_label,
        "quote": e.quote,
        "claimant": e.claimant,
        "claimant_label": e.claimant_label,
        "modality": e.modality,
        "reliability": e.reliability,
        "credibility": e.credibility,
        "via": e.via_label,
        "note": e.note,
        "external": e.external,
        "attribution": e.attribution,
        "inference": e.inference,
        "asserted": e.asserted,
        "origin": e.origin,
        "origin_label": e.origin_label,
        "published": e.published,
        "quote_language": e.quote_language,
        "translation": e.translation,
    }


def disputes_dict(node: Node) -> dict[str, list[dict[str, object]]]:
    """A node's disputed properties as plain data: property label -> versions in the order of the
    reports' publication, each with its value and the sources giving it."""
    return {prop: [{"value": value, "sources": [
        {"source": e.source_label, "published": e.published, "claimant": e.claimant_label, "quote": e.quote}
        for e in evidence]} for value, evidence in versions] for prop, versions in node.disputes.items()}


def disputes_text(node: Node) -> str:
    """A node's disputes in one line: ``killed: 8 (Uruguay al Día, 2025-08-21) / 12 (...)``."""
    parts = []
    for prop, versions in node.disputes.items():
        shown = []
        for value, evidence in versions:
            who = "; ".join(dict.fromkeys(f"{e.origin_label or e.source_label}, {e.published or 'date unknown'}"
                                          for e in evidence))
            shown.append(f"{value} ({who})")
        parts.append(f"{prop}: " + " / ".join(shown))
    return " | ".join(parts)


def statement_origins(rows: list[ClaimRow]) -> dict[tuple[str, str, str], set[str]]:
    """The independent origins behind each statement (subject, predicate, object) of ``rows``."""
    out: dict[tuple[str, str, str], set[str]] = {}
    for row in rows:
        found = out.setdefault((row.subject, row.predicate, row.object), set())
        if row.evidence.origin:
            found.add(row.evidence.origin)
    return out


def _convert(value: str, kind: str) -> object:
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
    except ValueError:
        return value
    return value


def _spec_type(range_: RDFNode | None) -> str:
    if range_ in _INT:
        return "int"
    if range_ in _FLOAT:
        return "float"
    if range_ == XSD.date:
        return "date"
    if range_ == XSD.boolean:
        return "boolean"
    return "string"


def _interval(value: str) -> tuple[str, str, str]:
    """(precision, start, end) of an absolute date, month or year; empty when unparsable."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return "day", value, value
        if re.fullmatch(r"\d{4}-\d{2}", value):
            y, m = int(value[:4]), int(value[5:7])
            return "month", date(y, m, 1).isoformat(), date(y, m, calendar.monthrange(y, m)[1]).isoformat()
        if re.fullmatch(r"\d{4}", value):
            return "year", f"{value}-01-01", f"{value}-12-31"
    except ValueError:
        pass
    return "", "", ""


def flat_graph(built: Built, view: GraphView | None = None) -> FlatGraph:
    """The view of ``built`` with typed properties, ontology labels, event times and place nesting."""
    base = built.base
    view = view or graph_view(built)
    onto = built.graph(built.ontology)  # small: rdflib is fine here
    nm = built.namespace_manager()

    # Property label -> predicate, from the ontology (the view keys properties by label).
    by_label: dict[str, URIRef] = {}
    for p, label in onto.subject_objects(RDFS.label):
        if isinstance(p, URIRef) and (onto.value(p, RDFS.range) is not None or onto.value(p, RDFS.domain) is not None):
            by_label.setdefault(str(label), p)
    multi: dict[str, bool] = {}
    for node in view.nodes.values():
        for name, values in node.properties.items():
            multi[name] = multi.get(name, False) or len(values) > 1
    attributed_names = {name for node in view.nodes.values() for name in node.attributed}
    specs: dict[str, PropertySpec] = {}
    key_by_label: dict[str, str] = {}
    for name in sorted(multi):
        pred = by_label.get(name)
        key = local_name(nm.normalizeUri(pred)) if pred is not None else re.sub(r"\W+", "_", name)
        curie = nm.normalizeUri(pred) if pred is not None else name
        kind = _spec_type(onto.value(pred, RDFS.range)) if pred is not None else "string"
        if kind in ("int", "float") and not all(
            _is_number(v, kind) for n in view.nodes.values() for v in n.properties.get(name, [])
        ):
            kind = "string"
        while key in specs:  # two labels with one local name: keep both
            key += "_"
        specs[key] = PropertySpec(key, curie, kind, multi[name])
        key_by_label[name] = key
    quantity_multi: dict[str, bool] = {}
    for node in view.nodes.values():
        for name, quantities in node.quantities.items():
            quantity_multi[name] = quantity_multi.get(name, False) or len(quantities) > 1
    for name, is_list in sorted(quantity_multi.items()):
        key = key_by_label[name]
        specs[key + "_value"] = PropertySpec(key + "_value", f"{specs[key].predicate}/kg:value", "int", is_list)
        specs[key + "_bound"] = PropertySpec(key + "_bound", f"{specs[key].predicate}/kg:bound", "string", is_list)
    specs = dict(sorted(specs.items()))
    attributed_keys = {}  # keys for values only claims give (no column of facts of their own)
    for name in sorted(attributed_names):
        pred = by_label.get(name)
        attributed_keys[name] = key_by_label.get(name) or (
            local_name(nm.normalizeUri(pred)) if pred is not None else re.sub(r"\W+", "_", name))

    superclasses: dict[URIRef, list[URIRef]] = {}

    def ancestors(cls: URIRef) -> list[URIRef]:
        if cls not in superclasses:
            superclasses[cls] = [c for c in onto.transitive_objects(cls, RDFS.subClassOf)
                                 if isinstance(c, URIRef) and c != cls]
        return superclasses[cls]

    labels: dict[str, list[str]] = {}
    for iri, node in view.nodes.items():
        names: list[str] = []
        for curie in node.classes:
            names.append(label_name(curie))
        for curie in node.classes:
            if curie.startswith("skos:"):
                continue
            class_iri = nm.expand_curie(curie) if ":" in curie and not curie.startswith("http") else URIRef(curie)
            for cls in ancestors(class_iri):
                if str(cls).startswith(KG_NS):
                    names.append(label_name(nm.normalizeUri(cls)))
        if node.kind in ("equipment", "tactic", "activity"):
            names.append(node.kind.capitalize())
        labels[iri] = list(dict.fromkeys(names))

    flat = FlatGraph(view, base, specs, labels, key_by_label, attributed_keys=attributed_keys)

    # Places: the chain of kg:locatedIn, nearest first.
    parents: dict[str, list[str]] = {}
    claimed_parents: dict[str, list[tuple[str, tuple[Evidence, ...]]]] = {}
    times_of: dict[str, list[str]] = {}
    relative_to: dict[str, str] = {}
    for edge in view.edges:
        if edge.inferred:
            continue
        if edge.predicate == nm.normalizeUri(KG.locatedIn):
            if edge.attributed:
                claimed_parents.setdefault(edge.source, []).append((edge.target, tuple(edge.evidence)))
            else:
                parents.setdefault(edge.source, []).append(edge.target)
        elif edge.predicate == nm.normalizeUri(KG.hasTime):
            times_of.setdefault(edge.source, []).append(edge.target)
        elif edge.predicate == nm.normalizeUri(KG.relativeTo):
            relative_to[edge.source] = view.nodes[edge.target].label
    for iri, node in view.nodes.items():
        if node.kind != "place":
            continue
        chain: list[str] = []
        todo = list(parents.get(iri, []))
        while todo:
            nxt = todo.pop(0)
            if nxt not in chain and nxt != iri:
                chain.append(nxt)
                todo.extend(parents.get(nxt, []))
        flat.located_in[iri] = chain
        # Containments through a claimed link (Medellín in Colombia, a curator inference): the
        # claimed parent and everything it lies in, each with the evidence of the claimed link.
        claimed: list[tuple[str, tuple[Evidence, ...]]] = []
        seen = {iri}
        walk: list[tuple[str, tuple[Evidence, ...]]] = [(iri, ())]
        while walk:
            place, behind = walk.pop(0)
            steps = [(parent, behind) for parent in parents.get(place, [])]
            steps += [(parent, behind + evidence) for parent, evidence in claimed_parents.get(place, [])]
            for parent, evidence in steps:
                if parent in seen:
                    continue
                seen.add(parent)
                walk.append((parent, evidence))
                if evidence and parent not in chain:
                    claimed.append((parent, evidence))
        if claimed:
            flat.located_in_attributed[iri] = claimed

    for event, time_nodes in times_of.items():
        t = view.nodes[sorted(time_nodes)[0]]
        props = t.properties
        value = next((props[k][0] for k in ("date", "year and month", "year") if props.get(k)), "")
        precision, start, end = _interval(value) if value else ("", "", "")
        unit = (props.get("precision") or [""])[0]
        computed = not value and bool(props.get("anchored start")) and bool(props.get("anchored end"))
        if computed:
            start, end = props["anchored start"][0], props["anchored end"][0]
        flat.times[event] = TimeInfo(
            date=value, precision=unit or precision, start=start, end=end,
            expression=(props.get("expression text") or [""])[0],
            relative_to=relative_to.get(t.iri, ""), computed=computed,
        )
    return flat


def _is_number(value: str, kind: str) -> bool:
    try:
        int(value) if kind == "int" else float(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ClaimRow:
    """One ``kg:Claim`` of the provenance graph, flat: the triple it states and its evidence."""

    id: str  # short id (the claim IRI without the base)
    subject: str  # node id
    predicate: str  # CURIE
    object: str  # node id when ``object_is_node``, else the literal's text (or a concept CURIE)
    object_is_node: bool
    evidence: Evidence


def claim_rows(built: Built, flat: FlatGraph) -> list[ClaimRow]:
    """Every claim of the provenance graph (on links, properties, labels and aliases alike),
    sorted by id."""
    nm = built.namespace_manager()
    by_claim = {e.claim: e for e in _all_evidence(flat)}
    rows: list[ClaimRow] = []
    for c in claims(built):
        evidence = by_claim.get(c.evidence.claim) or c.evidence
        s, p, o = (parse_term(c.subject), parse_term(c.predicate), parse_term(c.object))
        is_node = isinstance(o, URIRef) and str(o) in flat.nodes
        if is_node:
            obj = flat.node_id(str(o))
        elif isinstance(o, URIRef):
            obj = nm.normalizeUri(o)
        else:
            obj = str(o)
        subject = flat.node_id(str(s)) if str(s) in flat.nodes else str(s)
        rows.append(ClaimRow(_short(evidence.claim, flat.base), subject, nm.normalizeUri(str(p)), obj, is_node,
                             evidence))
    return rows


def _short(iri: str, base: str) -> str:
    return iri[len(base):] if iri.startswith(base) else iri


def _all_evidence(flat: FlatGraph) -> list[Evidence]:
    out = [e for edge in flat.edges for e in edge.evidence]
    out += [e for node in flat.nodes.values() for e in node.evidence]
    return out

"""FollowTheMoney (FtM): the dataset as the entities of Aleph, OpenAleph and OpenSanctions, valid
per the ``followthemoney`` library, with every value's provenance in FtM's statement form.

The directory holds::

    entities.ftm.json  one entity a line (``id``, ``schema``, ``properties``, ``datasets``,
                       ``origin``, ``first_seen``), as ``ftm`` and ``alephclient write-entities`` read
    statements.csv     every property value as an FtM statement (``canonical_id``, ``entity_id``,
                       ``prop``, ``schema``, ``value``, ``dataset``, ``origin``, ``lang``,
                       ``original_value``, ``first_seen`` ...), as ``ftm aggregate-statements`` reads
    catalog.json       the FtM datasets: one collection for the kg dataset, one dataset per source

Mapping (node kind of :mod:`kg.property_graph` -> FtM schema):

======================================================  =========================================
persons                                                  ``Person`` (collective: ``LegalEntity``)
cartels, criminal and armed groups, media, consultancies ``Organization``
state bodies, security forces and services, units        ``PublicBody``
other and collective actors                              ``LegalEntity``
places                                                   ``Address`` (``full``, ``city``, ``state``,
                                                         ``region``, ``country`` along kg:locatedIn)
events                                                   ``Event`` (``date``, ``startDate``,
                                                         ``endDate``; ``location``, ``country``,
                                                         ``addressEntity`` from its place)
assets                                                   ``Asset``
sources                                                  ``Article`` (news reports), else ``Document``
a link between two of these                              an interval entity: ``Membership``,
                                                         ``Employment`` where the ends fit, else
                                                         ``UnknownLink``; ``role`` = the relation
every other claim (a type, a name, a figure, a time,     a ``Note`` on its entity: the quote in
equipment, a tactic)                                     ``description``, the claim in ``summary``
======================================================  =========================================

**Facts and allegations.** A claim is *attributed* when a claimant makes it or its modality is not
a reported fact (:attr:`kg.property_graph.Evidence.attributed`). The claims of one link in the
sources' own voice make one link entity with ``status`` ``reported fact``; every attributed claim
of a link is a link entity of its own, whose ``status`` is its modality (``allegation``,
``assessment``, ``forecast``) and whose ``summary`` names the claimant: an allegation never merges
into a fact. Only reported facts give an entity its properties (aliases, keywords, notes,
dates, place); an attributed value appears only in the claim's own ``Note``.

**Provenance.** Every value is an FtM statement: ``dataset`` is the source it was read from
(``<dataset>_<source id>``; values kg states itself, such as an address's country or a curator's
description, belong to the collection), ``origin`` the IRI of the kg claim, ``first_seen`` the
publication date of the claim's source as precisely as it is given (``2025-08-21``, ``2025-08``,
``2025``: its own, or its original's for a copy, digest or translation) when known, and a quote's
``lang`` its source's language (ISO 639-3) when the source gives one. Entity ids are
:func:`followthemoney.util.make_entity_id` of kg IRIs (a link in the sources' voice: of its subject,
predicate and object; an attributed link or a note: of its claim), so the same data always gives
the same ids, and the files are sorted: the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from kg.build import Built
from kg.export.flat import FlatGraph, flat_graph
from kg.ntriples import parse_term
from kg.output.files import write_atomic
from kg.property_graph import Claimed, Evidence, Node, claims
from kg.vocab import KG, RDF, RDFS, SKOS

if TYPE_CHECKING:  # followthemoney is imported when the export runs, not when kg starts
    from followthemoney.statement import Statement, StatementEntity

__all__ = [
    "ATTRIBUTED_STATUS",
    "CATALOG",
    "ENTITIES",
    "FACT_STATUS",
    "NOT_A_FACT",
    "SCHEMATA",
    "STATEMENTS",
    "collection_name",
    "dump_ftm",
    "ftm_entities",
    "write_ftm",
]

ENTITIES = "entities.ftm.json"
STATEMENTS = "statements.csv"
CATALOG = "catalog.json"
#: The ``status`` of a link stated in the sources' own voice (an attributed link's is its modality).
FACT_STATUS = "reported fact"
#: How an entity known only from attributed claims begins its ``summary``.
NOT_A_FACT = "Not a reported fact"
#: The ``status`` of a link a claimant states as fact (attributed, so not a fact of the sources).
ATTRIBUTED_STATUS = "attributed claim"

#: Node kind -> FtM schema.
SCHEMATA: dict[str, str] = {
    "person": "Person",
    "cartel": "Organization",
    "criminal-group": "Organization",
    "armed-group": "Organization",
    "media": "Organization",
    "consultancy": "Organization",
    "organization": "Organization",
    "military-unit": "PublicBody",
    "security-force": "PublicBody",
    "security-service": "PublicBody",
    "state-body": "PublicBody",
    "collective": "LegalEntity",
    "actor": "LegalEntity",
    "place": "Address",
    "event": "Event",
    "asset": "Asset",
    "source": "Document",
}

#: Predicate -> (FtM interval schema, subject property, object property), used when the ends fit.
_LINKS: dict[str, tuple[str, str, str]] = {
    "kg:memberOf": ("Membership", "member", "organization"),
    "kg:leaderOf": ("Membership", "member", "organization"),
    "kg:formerLeaderOf": ("Membership", "member", "organization"),
}
_UNKNOWN_LINK = ("UnknownLink", "subject", "object")
#: Properties of kg mapped onto an FtM property of the entity's schema (else a line of ``notes``).
_PROPERTIES: dict[tuple[str, str], str] = {
    ("Person", "kg:role"): "position",
    ("Asset", "kg:unitCostUSD"): "amountUsd",
    ("Address", "kg:latitude"): "latitude",
    ("Address", "kg:longitude"): "longitude",
    ("Document", "kg:publisher"): "publisher",
    ("Document", "kg:publicationDate"): "publishedAt",
    ("Document", "kg:published"): "publishedAt",
    ("Document", "kg:textFile"): "fileName",
    ("Document", "dcterms:language"): "language",
    ("Document", "schema:url"): "sourceUrl",
}
#: Where a source's publication date and address are (the first found counts).
_PUBLISHED = ("kg:published", "kg:publicationDate")
_URL = ("schema:url",)
#: Properties that say what an entity is or is called: read from the node itself, not as notes.
_NAMING = {str(RDF.type), str(RDFS.label), str(SKOS.altLabel), str(RDFS.comment)}


@dataclass
class _Claim:
    """A claim with its terms parsed."""

    s: str  # subject IRI
    p: str  # predicate IRI
    o: str  # object: an IRI, or the literal's text
    o_is_iri: bool
    lang: str | None  # the object literal's language tag
    evidence: Evidence

    @property
    def triple(self) -> tuple[str, str, str]:
        return (self.s, self.p, self.o)


def collection_name(built: Built) -> str:
    """The FtM dataset name of the whole kg dataset: the last segment of its base IRI, as a slug
    (``https://w3id.org/osint-kg/data/cartel-drones-ukraine/`` -> ``cartel_drones_ukraine``)."""
    last = [part for part in re.split(r"[/#]", built.base) if part][-1:] or ["kg"]
    return _slug(last[0]) or "kg"


def _import_followthemoney() -> None:
    """Import the followthemoney modules this export uses, keeping the ``csv`` module's field
    size limit: ``followthemoney.statement`` raises it for every reader of the process when it is
    imported, and kg's table loader relies on the default to refuse an enormous cell."""
    limit = csv.field_size_limit()
    try:
        import followthemoney.statement  # noqa: F401
    finally:
        csv.field_size_limit(limit)


def _slug(text: str) -> str:
    from normality import slugify_text

    return slugify_text(text, sep="_") or ""


def _ftm_id(*parts: str) -> str:
    from followthemoney.util import make_entity_id

    made = make_entity_id(*parts)
    if made is None:  # only when every part is empty; kg's IRIs never are
        raise ValueError("an FtM id needs a non-empty IRI")
    return made


class _Mapper:
    """Reads one :class:`Built` into FtM entities (every lookup indexed: linear in the data)."""

    def __init__(self, built: Built) -> None:
        _import_followthemoney()
        from followthemoney import model
        from followthemoney.dataset import Dataset

        self.model = model
        self.flat: FlatGraph = flat_graph(built)
        self.nodes = self.flat.nodes
        self.onto = built.graph(built.ontology)
        self.nm = built.namespace_manager()
        self.collection = collection_name(built)
        self.dataset = Dataset.make({"name": self.collection, "title": self.collection})
        self.schema_of = {iri: self.node_schema(node) for iri, node in self.nodes.items()}
        self.exported = {iri for iri, schema in self.schema_of.items() if schema}
        self.source_datasets = self.name_sources()
        self.labels: dict[str, str] = {}
        self.grades = {(str(scheme), str(self.onto.value(c, SKOS.notation))): str(self.onto.value(c, RDFS.label))
                       for scheme in (KG.ReliabilityScheme, KG.CredibilityScheme)
                       for c in self.onto.subjects(SKOS.inScheme, scheme)}
        self.claims = [self.read(c) for c in claims(built)]
        self.about: dict[str, list[_Claim]] = defaultdict(list)  # subject IRI -> its claims
        self.linking: dict[str, set[str]] = defaultdict(set)  # object IRI -> exported subjects
        self.claimed: set[tuple[str, str, str]] = set()
        self.fact: set[tuple[str, str, str]] = set()
        for claim in self.claims:
            self.about[claim.s].append(claim)
            self.claimed.add(claim.triple)
            if not claim.evidence.attributed:
                self.fact.add(claim.triple)
            if claim.s in self.exported:
                self.linking[claim.o].add(claim.s)
        self.edges_from: dict[str, list[tuple[str, str]]] = defaultdict(list)  # IRI -> (predicate CURIE, IRI)
        for edge in self.flat.edges:
            if not edge.inferred:
                self.edges_from[edge.source].append((edge.predicate, edge.target))
        self.published = self.source_values(_PUBLISHED)
        self.urls = self.source_values(_URL)
        self.entities: dict[str, StatementEntity] = {}

    def source_values(self, predicates: tuple[str, ...]) -> dict[str, str]:
        """Source IRI -> its first value of the first of ``predicates`` (CURIEs) it has."""
        labels = [label for label, key in self.flat.key_by_label.items()
                  if self.flat.properties[key].predicate in predicates]
        labels.sort(key=lambda label: predicates.index(self.flat.properties[self.flat.key_by_label[label]].predicate))
        found = {}
        for iri, node in self.nodes.items():
            value = next((node.properties[label][0] for label in labels if node.properties.get(label)), None)
            if node.kind == "source" and value:
                found[iri] = value
        return found

    # --- names and labels ---------------------------------------------------------------------

    def node_schema(self, node: Node) -> str:
        if node.kind == "person" and node.collective:
            return "LegalEntity"
        if node.kind == "source" and "kg:NewsReport" in node.classes:
            return "Article"
        return SCHEMATA.get(node.kind, "")

    def name_sources(self) -> dict[str, str]:
        """Source IRI -> its FtM dataset name (unique: a clash gets a trailing ``_``)."""
        names: dict[str, str] = {}
        for iri, node in self.nodes.items():
            if node.kind == "source":
                name = _slug(f"{self.collection}_{node.id}") or self.collection
                while name in names.values() or name == self.collection:
                    name += "_"
                names[iri] = name
        return names

    def curie(self, iri: str) -> str:
        try:
            return self.nm.normalizeUri(URIRef(iri))
        except Exception:  # noqa: BLE001 - rdflib raises several types for unbindable IRIs
            return iri

    def expand(self, curie: str) -> str:
        try:
            return str(self.nm.expand_curie(curie))
        except ValueError:
            return curie

    def label(self, iri: str) -> str:
        found = self.labels.get(iri)
        if found is None:
            node = self.nodes.get(iri)
            if node is not None:
                found = node.label
            else:
                labels = sorted(self.onto.objects(URIRef(iri), RDFS.label),
                                key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v)))
                found = str(labels[0]) if labels else self.curie(iri).split(":")[-1]
            self.labels[iri] = found
        return found

    def notation(self, iri: str) -> str:
        value = self.onto.value(URIRef(iri), SKOS.notation)
        return str(value) if value is not None else ""

    def display(self, claim: _Claim) -> str:
        return self.label(claim.o) if claim.o_is_iri else claim.o

    def sentence(self, claim: _Claim) -> str:
        return f"{self.label(claim.s)} — {self.label(claim.p)} — {self.display(claim)}"

    def read(self, c: Claimed) -> _Claim:
        s, p, o = parse_term(c.subject), parse_term(c.predicate), parse_term(c.object)
        lang = o.language if isinstance(o, Literal) else None
        return _Claim(str(s), str(p), str(o), isinstance(o, URIRef), lang, c.evidence)

    def allowed(self, s: str, p: str, o: str) -> bool:
        """A triple in the sources' own voice, or one kg states without a claim."""
        return (s, p, o) in self.fact or (s, p, o) not in self.claimed

    def first_fact(self, s: str, p: str, o: str) -> Evidence | None:
        return next((c.evidence for c in self.about.get(s, ())
                     if c.triple == (s, p, o) and not c.evidence.attributed), None)

    # --- provenance ---------------------------------------------------------------------------

    def add(self, entity: StatementEntity, prop: str, value: object, evidence: Evidence | None = None,
            lang: str | None = None) -> None:
        """Add one value with the provenance of ``evidence`` (none: the collection's own)."""
        if value is None or value == "":
            return
        ftm_prop = entity.schema.get(prop)
        if ftm_prop is None:
            raise KeyError(f"FtM schema {entity.schema.name} has no property {prop!r}")
        if evidence is None or not evidence.source:
            entity.unsafe_add(ftm_prop, str(value), dataset=self.collection, lang=lang)
        else:
            # First seen: when the claim's source was published, as precisely as it is known (its
            # own date, or its original's for a copy, digest or translation).
            seen = evidence.published or self.published.get(evidence.source)
            entity.unsafe_add(ftm_prop, str(value), dataset=self.source_datasets.get(evidence.source, self.collection),
                              seen=seen or None, lang=lang, origin=evidence.claim)

    def add_quote(self, entity: StatementEntity, prop: str, e: Evidence, fallback: str = "") -> None:
        """A claim's verbatim quote, in its source's language (``lang``, when the source gives
        one); ``fallback`` (kg's own words, no language) when the claim has no quote."""
        if e.quote:
            self.add(entity, prop, e.quote, e, lang=self.language(e.quote_language))
        else:
            self.add(entity, prop, fallback, e)

    def new(self, schema: str, *parts: str) -> StatementEntity:
        from followthemoney.statement import StatementEntity

        entity_id = _ftm_id(*parts)
        entity = self.entities[entity_id] = StatementEntity(self.dataset, {"schema": schema, "id": entity_id})
        return entity

    def provenance(self, entity: StatementEntity, e: Evidence) -> None:
        """The source of a claim, as the ``proof`` document, the ``publisher`` (its title) and the
        ``sourceUrl`` (its address, when known)."""
        if e.source in self.exported:
            self.add(entity, "proof", _ftm_id(e.source), e)
        if e.source_label:
            self.add(entity, "publisher", e.source_label, e)
        self.add(entity, "sourceUrl", self.urls.get(e.source), e)

    def voice(self, e: Evidence) -> str:
        """Who puts a claim and how, in words: ``Allegation by Gustavo Petro, attributed: not a
        fact in the source's own voice; source: ...; Admiralty C: fairly reliable, 3: possibly true``."""
        modality = (e.modality or "reported-fact").replace("-", " ")
        if e.external:
            text = "Curator's note (knowledge from outside the sources)"
        elif not e.attributed:
            text = "Reported fact, in the source's own voice"
        elif e.claimant_label:
            stated = "Stated as fact" if modality == "reported fact" else modality.capitalize()
            text = f"{stated} by {e.claimant_label}, attributed: not a fact in the source's own voice"
        else:
            text = f"{modality.capitalize()} in the source's own voice, not a reported fact"
        if e.via_label:
            text += f"; reported via {e.via_label}"
        if e.source_label:
            text += f"; source: {e.source_label}"
        grades = [self.grades.get((str(KG.ReliabilityScheme), e.reliability), e.reliability),
                  self.grades.get((str(KG.CredibilityScheme), e.credibility), e.credibility)]
        grades = [g for g in grades if g]
        return text + (f"; Admiralty {', '.join(grades)}" if grades else "")

    @staticmethod
    def status(e: Evidence) -> str:
        """A link's ``status``: ``reported fact`` only in the sources' own voice; else the
        modality (``allegation``, ``assessment``, ``forecast``), or ``attributed claim`` for what
        a claimant states as fact."""
        if not e.attributed:
            return FACT_STATUS
        modality = (e.modality or "reported-fact").replace("-", " ")
        return ATTRIBUTED_STATUS if modality == FACT_STATUS else modality

    # --- the mapping --------------------------------------------------------------------------

    def make(self) -> list[StatementEntity]:
        for iri in sorted(self.exported):
            self.node(iri)
        fact_links: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
        for claim in self.claims:
            if not self.is_link(claim):
                self.note(claim)
            elif claim.evidence.attributed:
                self.attributed_link(claim)
            else:
                fact_links[claim.triple].append(claim.evidence)
        for source, pairs in self.edges_from.items():  # links kg states without a claim
            for predicate, target in pairs:
                triple = (source, self.expand(predicate), target)
                if triple not in self.claimed and source in self.exported and target in self.exported:
                    fact_links[triple] = []
        for triple in sorted(fact_links):
            self.fact_link(triple, fact_links[triple])
        return [entity for _, entity in sorted(self.entities.items())]

    def is_link(self, claim: _Claim) -> bool:
        return (claim.p not in _NAMING and claim.o_is_iri and claim.s in self.exported
                and claim.o in self.exported)

    def node(self, iri: str) -> None:
        """An entity, with its name, aliases, keywords, values in the sources' own voice."""
        node = self.nodes[iri]
        entity = self.new(self.schema_of[iri], iri)
        about = self.about.get(iri, [])
        type_claims = [c for c in about if c.p == _TYPE]
        # The name is how the sources call the entity: it comes with every claim of its type.
        name = "title" if node.kind == "source" else "name"
        if not type_claims:
            self.add(entity, name, node.label)
        for claim in type_claims:
            self.add(entity, name, node.label, claim.evidence)
            if claim.evidence.source != iri:
                self.provenance(entity, claim.evidence)
        self.add(entity, "description", node.description)
        if all(c.evidence.attributed for c in about) and type_claims:
            # An entity only claims speak of (an event analysts assess): it says so up front. One
            # a source states anything of in its own voice (its kind of event, its place) is not.
            voices = "; ".join(dict.fromkeys(self.voice(c.evidence) for c in type_claims))
            for claim in type_claims:
                self.add(entity, "keywords", self.status(claim.evidence), claim.evidence)
            if entity.schema.get("summary"):
                self.add(entity, "summary", f"{NOT_A_FACT}: known only from attributed claims ({voices})")
        alias = "alias" if entity.schema.get("alias") else "keywords"
        claimed_aliases = set()
        for claim in about:
            if claim.p == _ALT_LABEL:
                claimed_aliases.add(claim.o)
            # Names stay asserted whoever gives them (README, Provenance model): an alias from a
            # curator's note or a claimant is still a name, with its claim as the origin.
            if (claim.evidence.attributed and claim.p != _ALT_LABEL) or self.is_link(claim):
                continue
            if claim.p == _TYPE:
                self.add(entity, "keywords", self.label(claim.o), claim.evidence)
            elif claim.p == _ALT_LABEL:
                self.add(entity, alias, claim.o, claim.evidence, lang=self.language(claim.lang))
            elif claim.p not in _NAMING:
                self.value(entity, claim.p, claim.o, claim.o_is_iri, claim.evidence)
        for name in node.aliases:
            if name not in claimed_aliases:
                self.add(entity, alias, name)
        # Values kg states without a claim (none in curated data; RDF input may have some).
        claimed_predicates = {c.p for c in about}
        for label, values in node.properties.items():
            predicate = self.expand(self.flat.properties[self.flat.key_by_label[label]].predicate)
            if predicate not in claimed_predicates:
                for value in values:
                    self.value(entity, predicate, value, False, None)
        if node.kind == "source" and entity.schema.name == "Document" and not entity.get("fileName"):
            self.add(entity, "fileName", node.id)  # FtM requires one: the source's kg id
        if node.kind == "place":
            self.address(entity, iri)
        elif node.kind == "event":
            self.event(entity, iri)

    @staticmethod
    def language(tag: str | None) -> str | None:
        from followthemoney.types import registry

        return registry.language.clean_text(tag.split("-")[0]) if tag else None

    def value(self, entity: StatementEntity, p: str, o: str, o_is_iri: bool, e: Evidence | None) -> None:
        """A value in the sources' own voice (``e``; None: kg's own), on the property FtM has for
        it, else as a line of ``notes`` (``killed: 12``)."""
        curie = self.curie(p)
        if curie == "kg:hasTime":
            return  # the event's dates: see event()
        text = self.label(o) if o_is_iri else o
        if o_is_iri and o in self.nodes and self.nodes[o].kind == "time":
            text = self.time_text(o)
        elif o_is_iri and o not in self.nodes and self.notation(o):
            text = self.notation(o)
        target = next((prop for (schema, pred), prop in _PROPERTIES.items()
                       if pred == curie and entity.schema.is_a(schema)), None)
        if target is not None:
            self.add(entity, target, text, e)
            return
        if curie == "kg:eventType" and o_is_iri:
            self.add(entity, "keywords", self.label(o), e)
        self.add(entity, "notes", f"{self.label(p)}: {text}", e)

    def time_text(self, iri: str) -> str:
        """A time expression as the source words it, with what a relative one counts from."""
        relative = [t for p, t in self.edges_from.get(iri, ()) if p == "kg:relativeTo"]
        label = self.nodes[iri].label
        return f"{label} (relative to {self.label(relative[0])})" if relative else label

    @functools.cache  # noqa: B019 - one mapper per export
    def chain(self, iri: str) -> list[str]:
        """The places ``iri`` lies in, nearest first, through links in the sources' own voice."""
        found: list[str] = []
        todo = [iri]
        while todo:
            here = todo.pop(0)
            for predicate, target in self.edges_from.get(here, ()):
                if predicate == "kg:locatedIn" and target not in found and target != iri \
                        and self.allowed(here, _LOCATED_IN, target):
                    found.append(target)
                    todo.append(target)
        return found

    @functools.cache  # noqa: B019 - one mapper per export
    def country(self, iri: str) -> str | None:
        """The ISO code of a kg:Country, by its name (FtM's own country names)."""
        from followthemoney.types import registry

        node = self.nodes[iri]
        if "kg:Country" in node.classes:
            for name in (node.label, *node.aliases):
                code = registry.country.clean_text(name)
                if code:
                    return code
        return None

    def address(self, entity: StatementEntity, iri: str) -> None:
        """An address's parts, read along kg:locatedIn (kg states them: the collection's)."""
        places = [iri, *self.chain(iri)]
        self.add(entity, "full", ", ".join(self.nodes[p].label for p in places))
        done: set[str] = set()
        for place in places:
            code = self.country(place)
            if code and "country" not in done:
                self.add(entity, "country", code)
                done.add("country")
            for cls, prop in _ADDRESS_PARTS.items():
                if cls in self.nodes[place].classes and prop not in done:
                    self.add(entity, prop, self.nodes[place].label)
                    done.add(prop)

    def event(self, entity: StatementEntity, iri: str) -> None:
        """An event's dates (from its time in the sources' own voice) and its place's address."""
        targets = self.edges_from.get(iri, ())
        times = sorted(t for p, t in targets if p == "kg:hasTime" and self.allowed(iri, _HAS_TIME, t))
        time = self.flat.times.get(iri)
        if times:
            e = self.first_fact(iri, _HAS_TIME, times[0])
            if time is not None and time.date and time.date == self.absolute(times[0]):
                self.add(entity, "date", time.date, e)
                self.add(entity, "startDate", time.start, e)
                self.add(entity, "endDate", time.end, e)
            for t in times:
                self.add(entity, "notes", f"{self.label(_HAS_TIME)}: {self.time_text(t)}",
                         self.first_fact(iri, _HAS_TIME, t))
        for predicate, place in targets:
            if predicate != "kg:place" or place not in self.exported or not self.allowed(iri, _PLACE, place):
                continue
            e = self.first_fact(iri, _PLACE, place)
            places = [place, *self.chain(place)]
            self.add(entity, "addressEntity", _ftm_id(place), e)
            self.add(entity, "location", ", ".join(self.nodes[p].label for p in places), e)
            self.add(entity, "country", next((c for c in map(self.country, places) if c), None), e)

    def absolute(self, time_iri: str) -> str:
        props = self.nodes[time_iri].properties
        return next((props[k][0] for k in ("date", "year and month", "year") if props.get(k)), "")

    def note(self, claim: _Claim) -> None:
        """A claim about one entity (not a link): a ``Note`` on it, with the quote."""
        e = claim.evidence
        about = [claim.s] if claim.s in self.exported else self.holders(claim)
        if not about:
            return
        entity = self.new("Note", e.claim)
        for iri in about:
            self.add(entity, "entity", _ftm_id(iri), e)
        sentence = self.sentence(claim)
        self.add(entity, "name", sentence, e)
        self.add(entity, "summary", f"{sentence} ({self.voice(e)})", e)
        self.add_quote(entity, "description", e, f"{sentence} ({self.voice(e)})")
        self.add(entity, "keywords", self.status(e), e)
        self.add(entity, "notes", e.note, e)
        self.provenance(entity, e)

    def holders(self, claim: _Claim) -> list[str]:
        """What a claim about something FtM has no entity for (a time) is about: the entities
        linking to it; else the claim's source."""
        found = sorted(self.linking.get(claim.s, ()))
        return found or ([claim.evidence.source] if claim.evidence.source in self.exported else [])

    def link_schema(self, p: str, s: str, o: str) -> tuple[str, str, str]:
        """The interval schema for a link, with its two ends' properties; UnknownLink unless the
        ends fit a more specific one."""
        curie = self.curie(p)
        schemata = self.model.schemata
        subject, obj = schemata[self.schema_of[s]], schemata[self.schema_of[o]]
        schema = _LINKS.get(curie, _UNKNOWN_LINK)
        if curie == "kg:memberOf" and subject.is_a("Person") and obj.is_a("PublicBody"):
            schema = ("Employment", "employee", "employer")
        link = schemata[schema[0]]
        subject_range, object_range = link.properties[schema[1]].range, link.properties[schema[2]].range
        if subject_range is None or object_range is None or not (subject.is_a(subject_range)
                                                                  and obj.is_a(object_range)):
            schema = _UNKNOWN_LINK
        return schema

    def dates(self, entity: StatementEntity, s: str, o: str, e: Evidence | None) -> None:
        """A link to or from an event is dated with the event, when its date is known."""
        for iri in (s, o):
            time = self.flat.times.get(iri)
            if time is not None and time.date and self.nodes[iri].kind == "event":
                self.add(entity, "date", time.date, e)
                return

    def fact_link(self, triple: tuple[str, str, str], found: list[Evidence]) -> None:
        """The claims of one link in the sources' own voice: one link entity."""
        s, p, o = triple
        schema, subject_prop, object_prop = self.link_schema(p, s, o)
        entity = self.new(schema, s, p, o)
        voices: list[Evidence | None] = list(found) or [None]  # None: a link kg states without a claim
        for e in voices:
            self.add(entity, subject_prop, _ftm_id(s), e)
            self.add(entity, object_prop, _ftm_id(o), e)
            self.add(entity, "role", self.label(p), e)
            self.add(entity, "status", FACT_STATUS, e)
            self.dates(entity, s, o, e)
        for claim in found:
            self.add_quote(entity, "description", claim)
            self.add(entity, "recordId", claim.claim, claim)
            self.provenance(entity, claim)
        sources = len({e.source for e in found if e.source})
        count = f"{len(found)} claim{'s' * (len(found) != 1)} from {sources} source{'s' * (sources != 1)}"
        sentence = f"{self.label(s)} — {self.label(p)} — {self.label(o)}"
        voice = f"reported fact, in the sources' own voice; {count}" if found else \
            "recorded in the dataset without a claim"
        notes = "; ".join(dict.fromkeys(e.note for e in found if e.note))
        self.add(entity, "summary", f"{sentence} ({voice})" + (f". Curator's note: {notes}" if notes else ""))

    def attributed_link(self, claim: _Claim) -> None:
        """One attributed claim of a link: a link entity of its own, its modality as status."""
        e = claim.evidence
        schema, subject_prop, object_prop = self.link_schema(claim.p, claim.s, claim.o)
        entity = self.new(schema, e.claim)
        self.add(entity, subject_prop, _ftm_id(claim.s), e)
        self.add(entity, object_prop, _ftm_id(claim.o), e)
        self.add(entity, "role", self.label(claim.p), e)
        self.add(entity, "status", self.status(e), e)
        note = f". Curator's note: {e.note}" if e.note else ""  # an interval entity has no notes
        self.add(entity, "summary", f"{self.sentence(claim)} ({self.voice(e)}){note}", e)
        self.add_quote(entity, "description", e)
        self.add(entity, "recordId", e.claim, e)
        self.provenance(entity, e)
        self.dates(entity, claim.s, claim.o, e)

    def catalog(self) -> dict[str, object]:
        """The FtM datasets: the collection, and one dataset per source."""
        from followthemoney.dataset import DataCatalog, Dataset

        catalog: DataCatalog[Dataset] = DataCatalog(Dataset, {})
        for iri, name in sorted(self.source_datasets.items(), key=lambda kv: kv[1]):
            node = self.nodes[iri]
            data: dict[str, object] = {"name": name, "title": node.label}
            if node.description:
                data["summary"] = node.description
            catalog.make_dataset(data)
        catalog.make_dataset({"name": self.collection, "title": self.collection,
                              "children": sorted(self.source_datasets.values()),
                              "summary": "kg export --format ftm: each source is a dataset of this collection"})
        out = catalog.to_dict()
        out.pop("updated_at", None)
        out["datasets"] = sorted(out["datasets"], key=lambda d: d["name"])
        for d in out["datasets"]:
            d["children"] = sorted(d.get("children", []))
        return out


_TYPE, _ALT_LABEL = str(RDF.type), str(SKOS.altLabel)
_LOCATED_IN, _HAS_TIME, _PLACE = str(KG.locatedIn), str(KG.hasTime), str(KG.place)
_ADDRESS_PARTS = {"kg:City": "city", "kg:AdminRegion": "state", "kg:Region": "region"}


def ftm_entities(built: Built) -> list[StatementEntity]:
    """The dataset as FtM entities (``followthemoney.statement.StatementEntity``), sorted by id."""
    return _Mapper(built).make()


def _entity_line(entity: StatementEntity) -> bytes:
    data = entity.to_dict()
    data["properties"] = {k: sorted(v) for k, v in sorted(data["properties"].items())}
    for key in ("datasets", "origin", "referents"):
        if key in data:
            data[key] = sorted(data[key])
    ordered = {"id": data.pop("id"), **dict(sorted(data.items()))}
    return (json.dumps(ordered, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def _statements(entities: Iterable[StatementEntity]) -> list[Statement]:
    found = [stmt for entity in entities for stmt in entity.statements]
    return sorted(found, key=lambda s: (s.canonical_id, s.prop != "id", s.prop, s.dataset, s.value,
                                        s.lang or "", s.id or ""))


def dump_ftm(built: Built) -> dict[str, bytes]:
    """The FtM directory as ``{file name: content}`` (deterministic)."""
    _import_followthemoney()
    from followthemoney.statement.serialize import CSVStatementWriter

    mapper = _Mapper(built)
    entities = mapper.make()
    buffer = io.StringIO(newline="")
    writer = CSVStatementWriter(buffer)  # FtM's own statement CSV (what `ftm` reads with -f csv)
    for statement in _statements(entities):
        writer.write(statement)
    writer.close()
    catalog = json.dumps(mapper.catalog(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return {
        CATALOG: catalog.encode("utf-8"),
        ENTITIES: b"".join(_entity_line(e) for e in entities),
        STATEMENTS: buffer.getvalue().encode("utf-8"),
    }


def write_ftm(built: Built, path: Path) -> Path:
    """Write :func:`dump_ftm` into the directory ``path`` (each file atomically)."""
    for name, data in dump_ftm(built).items():
        write_atomic(path / name, data)
    return path

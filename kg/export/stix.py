"""STIX 2.1: a bundle for threat-intelligence platforms (OpenCTI, MISP), valid per ``stix2``.

Mapping (node kind -> STIX object):

=============================================  ==============================================
cartels, criminal groups, armed groups         ``threat-actor`` (cartels and criminal groups:
                                               ``threat_actor_types = ["crime-syndicate"]``)
the same, when collective ("Mexican cartels")  ``intrusion-set`` (an unspecified set of groups)
persons, state bodies, forces, media, others   ``identity`` (individual, organization or group)
places                                         ``location`` (ISO country code via pycountry,
                                               ``administrative_area``/``city`` from kg:locatedIn)
events                                         ``incident`` (labelled with the event type)
assets / equipment / tactics                   ``infrastructure`` / ``tool`` / ``attack-pattern``
sources                                        ``report``: the container of every object and
                                               relationship its claims support
links between mapped nodes                     ``relationship`` (``located-at``, ``targets``,
                                               ``uses``, ``attributed-to`` where STIX has a name,
                                               else the predicate in kebab case), with
                                               ``start_time``/``stop_time`` from a dated event
=============================================  ==============================================

Time expressions become relationship times; illicit-activity concepts have no STIX object, and
links to them are left out. Only facts are stated as STIX facts: a relationship no claim in the
source's own voice states (an allegation, an assessment, a claimant's word, a curator inference)
carries the label ``attributed`` and a description that says who stands behind it ("attributed:
Gustavo Petro, allegation, paraphrase; not stated as fact by the source"); the values only claims
give an object (an event type an analyst gives, a containment the curator infers) are in its
description, each with who gives it, never in its typed properties. Every claim is an
``external_reference`` (source name, verbatim quote, claim IRI). ``confidence`` comes from the
Admiralty information credibility: 1..5 -> 90/70/50/30/10, 6 (cannot be judged) -> no confidence;
with several claims, the highest. Each relationship with claims carries kg's property extension
(STIX 2.1 extension definition :data:`EXTENSION`, in the bundle): ``independent_sources``, how
many independent sources stand behind it, and their ``origins``.

Output is byte-identical for the same data: ids are UUIDv5 of our IRIs, ``created`` and
``modified`` a constant (:data:`TIMESTAMP`), a report's ``published`` its source's publication
date, or its original's for a copy or digest (the first day of a month or year given alone; else
the constant), objects sorted by id.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

from kg.build import Built
from kg.export.flat import FlatGraph, flat_graph, local_name
from kg.output.files import write_atomic
from kg.property_graph import Edge, Evidence

__all__ = ["CONFIDENCE", "EXTENSION", "KG_IDENTITY", "NAMESPACE", "TIMESTAMP", "dump_stix", "stix_bundle",
           "write_stix"]

#: The UUIDv5 namespace of every id kg gives a STIX object.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/osint-kg/stix")
#: ``created``/``modified`` of every object: a constant, so the output never changes by itself.
TIMESTAMP = "1970-01-01T00:00:00.000Z"
#: kg's STIX property extension (an ``extension-definition`` in the bundle): on each relationship,
#: how many independent sources stand behind it (copies, digests and retellings of one original
#: count once) and which.
EXTENSION = "extension-definition--" + str(uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/osint-kg/stix/corroboration"))
#: The identity that defines the extension.
KG_IDENTITY = "identity--" + str(uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/osint-kg/stix/kg"))
#: Admiralty information credibility -> STIX confidence (6, cannot be judged: none).
CONFIDENCE = {"1": 90, "2": 70, "3": 50, "4": 30, "5": 10}

_THREAT = {"cartel": ["crime-syndicate"], "criminal-group": ["crime-syndicate"], "armed-group": []}
_SECTORS = {"state-body": ["government"], "security-force": ["defense"], "security-service": ["defense"],
            "military-unit": ["defense"], "media": ["communications"]}
_REL = {"kg:place": "located-at", "kg:basedIn": "located-at", "kg:locatedIn": "located-at",
        "kg:operatesIn": "located-at", "kg:target": "targets", "kg:perpetrator": "attributed-to",
        "kg:usedEquipment": "uses", "kg:usesEquipment": "uses", "kg:usedTactic": "uses",
        "kg:usesTactic": "uses", "kg:usedAsset": "uses"}
_REGIONS = ("africa", "eastern-africa", "middle-africa", "northern-africa", "southern-africa",
            "western-africa", "americas", "latin-america-caribbean", "south-america", "caribbean",
            "central-america", "northern-america", "asia", "central-asia", "eastern-asia",
            "southern-asia", "south-eastern-asia", "western-asia", "europe", "eastern-europe",
            "northern-europe", "southern-europe", "western-europe", "oceania", "antarctica",
            "australia-new-zealand", "melanesia", "micronesia", "polynesia")


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unknown"


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def _confidence(evidence: list[Evidence]) -> int | None:
    values = [CONFIDENCE[e.credibility] for e in evidence if e.credibility in CONFIDENCE]
    return max(values) if values else None


def _refs(evidence: list[Evidence]) -> list[dict[str, str]]:
    refs = []
    for e in evidence:
        ref = {"source_name": e.source_label or e.source, "external_id": e.claim}
        if e.quote:
            ref["description"] = e.quote
        refs.append(ref)
    return sorted(refs, key=lambda r: (r["external_id"], r["source_name"]))


def _country_code(label: str, aliases: list[str]) -> str:
    import pycountry

    for name in (label, *aliases):
        try:
            return pycountry.countries.lookup(name).alpha_2
        except LookupError:
            continue
    return ""


def _location(flat: FlatGraph, iri: str, obj: dict) -> None:
    node = flat.nodes[iri]
    chain = [iri, *flat.located_in.get(iri, [])]
    for place in chain:
        p = flat.nodes[place]
        cls = {c.split(":")[-1] for c in p.classes}
        if "Country" in cls and "country" not in obj:
            code = _country_code(p.label, p.aliases)
            if code:
                obj["country"] = code
        elif "AdminRegion" in cls and "administrative_area" not in obj:
            obj["administrative_area"] = p.label
        elif "City" in cls and "city" not in obj:
            obj["city"] = p.label
        elif "Region" in cls and "region" not in obj:
            slug = _slug(p.label)
            obj["region"] = next((r for r in _REGIONS if r == slug), None) or \
                next((r for r in _REGIONS if r.startswith(slug + "-")), slug)
    props = flat.typed_properties(node)
    lat, lon = props.get("latitude"), props.get("longitude")
    if isinstance(lat, float) and isinstance(lon, float):
        obj["latitude"], obj["longitude"] = lat, lon
    if not any(k in obj for k in ("country", "region", "latitude")):
        obj["region"] = _slug(node.label)


def _sdo(flat: FlatGraph, iri: str) -> dict | None:
    node = flat.nodes[iri]
    kind = node.kind
    description = node.description
    if node.aliases and kind not in _THREAT:
        description = (description + "\n" if description else "") + "Also known as: " + "; ".join(node.aliases)
    obj: dict = {"name": node.label}
    if kind in _THREAT and node.collective:
        obj["type"] = "intrusion-set"
    elif kind in _THREAT:
        obj["type"] = "threat-actor"
        if _THREAT[kind]:
            obj["threat_actor_types"] = _THREAT[kind]
    elif kind == "person":
        obj.update(type="identity", identity_class="individual")
        roles = flat.typed_properties(node).get("role")
        if roles:
            obj["roles"] = roles if isinstance(roles, list) else [roles]
    elif kind in ("security-force", "security-service", "military-unit", "state-body", "media",
                  "consultancy", "organization", "collective", "actor"):
        obj.update(type="identity", identity_class="group" if node.collective else
                   ("individual" if node.unnamed and kind == "actor" else "organization"))
        if kind in _SECTORS:
            obj["sectors"] = _SECTORS[kind]
    elif kind == "place":
        obj["type"] = "location"
        _location(flat, iri, obj)
    elif kind == "event":
        obj["type"] = "incident"
        event_type = flat.typed_properties(node).get("eventType")
        if event_type:
            obj["labels"] = list(event_type) if isinstance(event_type, list) else [event_type]
    elif kind == "asset":
        obj.update(type="infrastructure", infrastructure_types=["unknown"])
    elif kind == "equipment":
        obj.update(type="tool", tool_types=["unknown"])
    elif kind == "tactic":
        obj["type"] = "attack-pattern"
    else:
        return None  # time expressions, sources (reports), activities
    if obj["type"] in ("threat-actor", "intrusion-set") and node.aliases:
        obj["aliases"] = list(node.aliases)
    claimed = flat.attributed_texts(node) + [
        f"lies in {flat.nodes[up].label} (attributed: {' and '.join(sorted({e.standing for e in ev}))})"
        for up, ev in flat.located_in_attributed.get(iri, [])]
    if claimed:
        description = (description + "\n" if description else "") + "Not stated as fact by the source: " + \
            "; ".join(claimed)
    if description:
        obj["description"] = description
    obj.update(id=_id(obj["type"], node.iri), spec_version="2.1", created=TIMESTAMP, modified=TIMESTAMP)
    confidence = _confidence(node.evidence)
    if confidence is not None:
        obj["confidence"] = confidence
    refs = [{"source_name": "kg", "url": node.iri}, *_refs(node.evidence)]
    obj["external_references"] = refs
    return obj


def _times(flat: FlatGraph, edge: Edge) -> dict[str, str]:
    for iri in (edge.source, edge.target):
        time = flat.times.get(iri)
        if time and time.start and time.end:
            from datetime import date, timedelta

            stop = date.fromisoformat(time.end) + timedelta(days=1)
            return {"start_time": f"{time.start}T00:00:00Z", "stop_time": f"{stop.isoformat()}T00:00:00Z"}
    return {}


def stix_bundle(built: Built) -> dict:
    """The dataset as a STIX 2.1 bundle (a plain dict), validated by ``stix2``."""
    flat = flat_graph(built)
    objects: dict[str, dict] = {}
    stix_of: dict[str, str] = {}
    supported: dict[str, set[str]] = {}  # source IRI -> STIX ids its claims support

    published_of: dict[str, str] = {}  # source IRI -> the publication date that dates it

    def support(evidence: list[Evidence], sid: str) -> None:
        for e in evidence:
            supported.setdefault(e.source, set()).add(sid)
            if e.published:
                published_of[e.source] = e.published

    for iri in flat.nodes:
        obj = _sdo(flat, iri)
        if obj is not None:
            objects[obj["id"]] = obj
            stix_of[iri] = obj["id"]
            support(flat.nodes[iri].evidence, obj["id"])
    for edge in flat.edges:
        if edge.source not in stix_of or edge.target not in stix_of:
            continue
        rtype = _REL.get(edge.predicate) or _kebab(local_name(edge.predicate))
        rel: dict[str, object] = {
            "type": "relationship", "spec_version": "2.1", "id": _id("relationship", edge.key),
            "created": TIMESTAMP, "modified": TIMESTAMP, "relationship_type": rtype,
            "source_ref": stix_of[edge.source], "target_ref": stix_of[edge.target],
            "description": f"{edge.predicate} ({edge.label})" + (" [inferred]" if edge.inferred else "")
            + (f"; modality: {', '.join(edge.modalities)}" if edge.modalities else "")
            + (f"; attributed: {' and '.join(sorted({e.standing for e in edge.evidence}))}; not stated as fact by "
               "the source" if edge.attributed else ""),
            **_times(flat, edge),
        }
        if edge.attributed:
            rel["labels"] = ["attributed", *edge.modalities]
        confidence = _confidence(edge.evidence)
        if confidence is not None:
            rel["confidence"] = confidence
        if edge.evidence:
            rel["external_references"] = _refs(edge.evidence)
            rel["extensions"] = {EXTENSION: {"extension_type": "property-extension",
                                             "independent_sources": edge.independent_sources,
                                             "origins": edge.origins}}
        rel_id = str(rel["id"])
        objects[rel_id] = rel
        support(edge.evidence, rel_id)
    for iri, node in flat.nodes.items():
        if node.kind != "source" or not supported.get(iri):
            continue
        published = _first_day(published_of.get(iri, ""))
        report: dict[str, Any] = {
            "type": "report", "spec_version": "2.1", "id": _id("report", iri), "created": TIMESTAMP,
            "modified": TIMESTAMP, "name": node.label, "report_types": ["threat-report"],
            "published": f"{published}T00:00:00.000Z" if published else TIMESTAMP,
            "object_refs": sorted(supported[iri]),
            "external_references": [{"source_name": node.label, "external_id": iri}],
        }
        note = flat.typed_properties(node).get("note")
        if note:
            report["description"] = "\n".join(map(str, note)) if isinstance(note, list) else str(note)
        objects[report["id"]] = report
    if any("extensions" in o for o in objects.values()):
        for obj in _extension_objects():
            objects[obj["id"]] = obj
    bundle = {"type": "bundle", "id": _id("bundle", built.base), "objects": [objects[k] for k in sorted(objects)]}
    import stix2

    stix2.parse(json.dumps(bundle), allow_custom=False)  # raises on anything invalid
    return bundle


def _extension_objects() -> list[dict]:
    """kg's identity and the definition of its property extension (corroboration)."""
    common = {"spec_version": "2.1", "created": TIMESTAMP, "modified": TIMESTAMP}
    return [
        {"type": "identity", "id": KG_IDENTITY, "name": "kg", "identity_class": "system", **common},
        {"type": "extension-definition", "id": EXTENSION, "name": "kg corroboration",
         "description": "independent_sources: how many independent sources stand behind a relationship "
                        "(copies, digests and retellings of one original count once); origins: which.",
         "schema": "https://w3id.org/osint-kg/ontology#origin", "version": "1.0",
         "extension_types": ["property-extension"], "created_by_ref": KG_IDENTITY, **common},
    ]


def _first_day(published: str) -> str:
    """A publication date as STIX needs it: a day (the first of a month or year known alone)."""
    if len(published) == 7:
        return f"{published}-01"
    if len(published) == 4:
        return f"{published}-01-01"
    return published


def dump_stix(built: Built) -> bytes:
    """The STIX 2.1 bundle as JSON (sorted keys, deterministic)."""
    text = json.dumps(stix_bundle(built), indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def write_stix(built: Built, path: Path) -> Path:
    """Write :func:`dump_stix` to ``path`` atomically."""
    write_atomic(path, dump_stix(built))
    return path

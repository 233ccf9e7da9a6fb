"""Identity across reports: the curator says two ids are one entity, or two entities.

Two reports name one group; a curator who reads them both says so in a statement row::

    subject,predicate,object,source,quote,...,note
    emc-2,kg:sameAs,emc,uruguayaldia,"the 36th Front of the Estado Mayor Central (EMC)",,,,,,
    police-2,kg:distinctFrom,colombian-police,curator,,,,,,,"Two different operations"

``X kg:sameAs Y`` merges X into Y: every claim about or pointing to X (as subject, object,
claimant or outlet) is about Y, Y takes X's classes, X's label becomes an alias of Y, and every
query, view and export sees one entity. The identity claim itself stays as written, with its
source, quote and note, so the merge is never silent. Chains merge (X same as Y, Y same as Z: all
Z); a group of ids said to be one keeps the id no row merges away, the first declared when
there are several. ``kg:distinctFrom`` records that alike names are two entities, and silences
the likely-duplicate warning (:mod:`kg.check.duplicates`).

Errors (KG210): an identity row from a curator note with no note (the evidence is the note); an
entity said to be the same as itself; a pair said to be both the same and distinct; a merge of
incompatible classes (a person and a place).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from kg.check.duplicates import compatible
from kg.errors import Issue
from kg.vocab import KG

if TYPE_CHECKING:
    from kg.check.resolve import ClaimData, Resolved

__all__ = ["IDENTITY_PREDICATES", "apply_identity"]

IDENTITY_PREDICATES = frozenset({KG.sameAs, KG.distinctFrom})


def apply_identity(out: Resolved) -> tuple[list[Issue], set[frozenset[URIRef]]]:
    """Merge the entities the curator says are one (in place, on ``out``); the issues found and
    the pairs said to be distinct."""
    identity = [c for c in out.claims if c.p in IDENTITY_PREDICATES]
    if not identity:
        return [], set()
    issues: list[Issue] = []
    base = out.base

    def local(iri: URIRef) -> str:
        return str(iri)[len(base):] if str(iri).startswith(base) else str(iri)

    same: list[tuple[ClaimData, URIRef]] = []  # each claim with its object, an entity
    distinct: dict[frozenset[URIRef], ClaimData] = {}
    for c in identity:
        o = c.o
        if not isinstance(o, URIRef) or o not in out.entities or c.s not in out.entities:
            continue  # KG204/KG205 already said so, or it names a source
        if c.s == o:
            relation = "the same as" if c.p == KG.sameAs else "distinct from"
            issues.append(Issue("KG210", f"{local(c.s)} is said to be {relation} itself", c.position,
                                "name two different entities"))
            continue
        if c.external and not c.note:
            issues.append(Issue("KG210", f"identity of {local(c.s)} and {local(o)} from a curator note with no "
                                         f"reason", c.position,
                                "say in the note why (the names, roles and places the reports share), or give a "
                                "source and its quote"))
            continue
        if c.p == KG.distinctFrom:
            distinct[frozenset((c.s, o))] = c
        else:
            same.append((c, o))
    merges = []
    for c, o in same:
        key = frozenset((c.s, o))
        if key in distinct:
            issues.append(Issue("KG210", f"{local(c.s)} is said to be both the same as and distinct from "
                                         f"{local(o)}", c.position,
                                f"keep one of the two rows; the other is {distinct[key].position}"))
            continue
        a, b = out.entities[c.s], out.entities[o]
        if not compatible(a.types, b.types, out.ontology):
            issues.append(Issue("KG210", f"{local(c.s)} and {local(o)} cannot be one entity: their classes "
                                         f"do not go together", c.position,
                                "an entity is one kind of thing (a person, an organisation, a place, an event); "
                                "fix the classes or the identity row"))
            continue
        merges.append((c.s, o))
    if merges:
        _merge(out, merges)
    return issues, set(distinct)


def _merge(out: Resolved, merges: list[tuple[URIRef, URIRef]]) -> None:
    parent: dict[URIRef, URIRef] = {}

    def find(x: URIRef) -> URIRef:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for x, y in merges:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[rx] = ry
    components: dict[URIRef, list[URIRef]] = {}
    for x in {e for pair in merges for e in pair}:
        components.setdefault(find(x), []).append(x)
    merged_away = {x for x, _ in merges}
    target: dict[URIRef, URIRef] = {}
    for members in components.values():
        kept = [m for m in members if m not in merged_away] or members
        canonical = min(kept, key=lambda m: (out.entities[m].position, m))
        for m in members:
            if m != canonical:
                target[m] = canonical

    for x, y in sorted(target.items()):
        entity, into = out.entities.pop(x), out.entities[y]
        into.types = tuple(sorted(set(into.types) | set(entity.types)))
        if not into.description and entity.description:
            into.description = entity.description
        if entity.label:
            out.merged_labels[x] = Literal(entity.label)
    out.merged.update(target)

    def to(node):
        return target.get(node, node) if isinstance(node, URIRef) else node

    claims = []
    for c in out.claims:
        if c.p in IDENTITY_PREDICATES:
            claims.append(c)
            continue
        s, o, claimant, via = to(c.s), to(c.o), to(c.claimant), to(c.via)
        if (s, o, claimant, via) != (c.s, c.o, c.claimant, c.via):
            c = dataclasses.replace(c, s=s, o=o, claimant=claimant, via=via)
            out.triple_positions.setdefault((c.s, c.p, c.o), c.position)
            out.positions.setdefault((c.s, c.p), c.position)
        claims.append(c)
    out.claims = claims

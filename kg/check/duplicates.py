"""Likely duplicate entities: one group or place declared twice, by two reports.

Two entities are likely the same when one of their names (label or alias) is the same after
folding case, accents and punctuation ("Águila-7", "Aguila 7"), leading articles ("Los Zetas",
"Zetas") and word order, or differs by a small typo ("Marciniak", "Marcinak": one edit in a name
of 6 to 11 letters, two from 12), and their classes are compatible (both organisations, both
people, both places of one kind...). Each pair is a warning (KG907) naming both ids; a curator
answers it with a ``kg:sameAs`` row (the entities merge: :mod:`kg.check.identity`) or a
``kg:distinctFrom`` row (the warning goes away), each with its evidence.

Unnamed and collective actors ("police", "analysts"), time expressions and sources are left out:
their labels describe, they do not name, and two alike descriptions are no evidence of one entity.

Not quadratic: names are blocked by their words and by their first and last four letters, and
only names sharing a block are compared (rapidfuzz's Levenshtein distance with a cut-off). A
block with more than :data:`MAX_BLOCK` names (a word like "cartel" or "police") is dropped as
a key; the other keys of its names still pair them. What this misses: a typo in both the first
and last four letters of a one-word name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein
from rdflib import Literal, URIRef

from kg.errors import Issue, Severity
from kg.text import fold_name
from kg.vocab import KG, RDFS, SKOS

if TYPE_CHECKING:
    from kg.check.resolve import EntityData, Resolved
    from kg.ontology import Ontology

__all__ = ["Duplicate", "MAX_BLOCK", "compatible", "duplicate_issues", "find_duplicates", "name_key"]

#: A blocking key shared by more names than this is not used to pair them.
MAX_BLOCK = 64
_ARTICLES = frozenset({"the", "el", "la", "los", "las", "le", "les", "il", "lo", "gli", "der", "die", "das"})
#: Kinds of entity whose two members may be one entity, most specific first.
_FAMILIES = (KG.Person, KG.Organization, KG.Place, KG.Event, KG.Asset, KG.Actor)
_PLACE_KINDS = (KG.City, KG.AdminRegion, KG.Country, KG.Region, KG.Zone)
_SKIPPED = (KG.UnnamedActor, KG.CollectiveActor, KG.TimeExpression, KG.Source)
_ACTOR, _PLACE = KG.Actor, KG.Place
_ACTORS = frozenset({KG.Actor, KG.Person, KG.Organization})


@dataclass(frozen=True)
class Duplicate:
    """Two entities that are likely one: their ids, the names that matched and how."""

    first: URIRef
    second: URIRef
    first_name: str
    second_name: str
    how: str  # "same name" or "near-same name"


def name_key(name: str) -> str:
    """A name folded for matching: case, accents, punctuation and leading articles removed, words
    sorted.

    >>> name_key("Los Zetas") == name_key("zetas")
    True
    >>> name_key("Águila-7") == name_key("Aguila 7")
    True
    """
    words = fold_name(name).split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(sorted(words))


def _family(types: Iterable[URIRef], onto: Ontology) -> URIRef | None:
    for family in _FAMILIES:
        if any(onto.is_subclass(t, family) for t in types):
            return family
    return None


def compatible(a: Iterable[URIRef], b: Iterable[URIRef], onto: Ontology) -> bool:
    """Whether entities of classes ``a`` and of classes ``b`` may be one entity: of one family
    (person, organisation, place, event, asset; a bare actor goes with a person or an
    organisation), and for places of one kind when both say (a city is not a department)."""
    a, b = tuple(a), tuple(b)
    fa, fb = _family(a, onto), _family(b, onto)
    if fa is None or fb is None:
        return fa == fb
    if fa != fb and not ({fa, fb} <= _ACTORS and _ACTOR in (fa, fb)):
        return False
    if fa == _PLACE:
        ka = {k for k in _PLACE_KINDS if any(onto.is_subclass(t, k) for t in a)}
        kb = {k for k in _PLACE_KINDS if any(onto.is_subclass(t, k) for t in b)}
        if ka and kb and not ka & kb:
            return False
    return True


def _near(a: str, b: str) -> bool:
    shorter = min(len(a), len(b))
    if shorter < 6:
        return False
    allowed = 1 if shorter < 12 else 2
    return Levenshtein.distance(a, b, score_cutoff=allowed) <= allowed


def _keys(key: str) -> set[str]:
    keys = {f"w:{w}" for w in key.split() if len(w) >= 3}
    flat = key.replace(" ", "")
    if len(flat) >= 6:
        keys |= {f"p:{flat[:4]}", f"s:{flat[-4:]}"}
    return keys


def find_duplicates(out: Resolved, distinct: set[frozenset[URIRef]]) -> list[Duplicate]:
    """Pairs of entities of ``out`` that are likely one (not merged, not said to be distinct)."""
    onto = out.ontology
    skipped: dict[tuple[URIRef, ...], bool] = {}

    def named(entity: EntityData) -> bool:
        if entity.types not in skipped:
            skipped[entity.types] = not entity.types or any(
                onto.is_subclass(t, s) for t in entity.types for s in _SKIPPED)
        return not skipped[entity.types]

    candidates = {iri: e for iri, e in out.entities.items() if iri not in out.merged and named(e)}
    names: dict[URIRef, dict[str, str]] = defaultdict(dict)  # entity -> key -> a name it has
    for iri, entity in candidates.items():
        if entity.label:
            names[iri].setdefault(name_key(entity.label), entity.label)
    for c in out.claims:
        if c.p in _NAMES and c.s in candidates and isinstance(c.o, Literal):
            names[c.s].setdefault(name_key(str(c.o)), str(c.o))

    exact: dict[str, list[URIRef]] = defaultdict(list)
    blocks: dict[str, list[tuple[str, URIRef]]] = defaultdict(list)
    for iri in sorted(names):
        for key in names[iri]:
            if not key:
                continue
            exact[key].append(iri)
            for block in _keys(key):
                blocks[block].append((key, iri))

    found: dict[frozenset[URIRef], Duplicate] = {}

    def pair(a: URIRef, b: URIRef, ka: str, kb: str, how: str) -> None:
        key = frozenset((a, b))
        if a == b or key in found or key in distinct:
            return
        if not compatible(candidates[a].types, candidates[b].types, onto):
            return
        first, second = sorted((a, b), key=lambda i: (candidates[i].position, i))
        na, nb = (names[a][ka], names[b][kb]) if first == a else (names[b][kb], names[a][ka])
        found[key] = Duplicate(first, second, na, nb, how)

    for key, iris in exact.items():
        if len(iris) > 1 and len(iris) <= MAX_BLOCK:
            for i, a in enumerate(iris):
                for b in iris[i + 1:]:
                    pair(a, b, key, key, "same name")
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for i, (ka, a) in enumerate(members):
            for kb, b in members[i + 1:]:
                if a != b and ka != kb and frozenset((a, b)) not in found and _near(ka, kb):
                    pair(a, b, ka, kb, "near-same name")
    return sorted(found.values(), key=lambda d: (candidates[d.second].position, d.first, d.second))


def duplicate_issues(out: Resolved, duplicates: list[Duplicate]) -> list[Issue]:
    """One KG907 warning per pair, at the row declaring the later of the two."""
    base = out.base
    issues = []
    for d in duplicates:
        first, second = out.entities[d.first], out.entities[d.second]
        a, b = str(d.first)[len(base):], str(d.second)[len(base):]
        names = f"{d.second_name!r}" if d.how == "same name" and d.first_name == d.second_name else \
            f"{d.second_name!r} and {d.first_name!r}"
        issues.append(Issue(
            "KG907", f"likely duplicate: {b} and {a} ({d.how}: {names}; declared at {first.position})",
            second.position,
            f"if they are one entity add a statement row '{b},kg:sameAs,{a},SOURCE,QUOTE' (their evidence "
            f"merges); if they are two, '{b},kg:distinctFrom,{a},SOURCE,QUOTE' (the warning goes away)",
            Severity.WARNING))
    return issues


_NAMES = (SKOS.altLabel, RDFS.label)

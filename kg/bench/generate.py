"""A deterministic generator of OSINT-like datasets in kg's curated-triples format.

``generate(directory, triples=100_000, seed=7)`` writes a dataset of roughly that many output
triples (facts + provenance, the ontology not counted): sources with their full texts (so every
quote is checked), places in a city -> state -> country -> region hierarchy, actors of every
kind with aliases, roles and affiliations, people, events with roles (perpetrator, target, place,
time with varying precision, equipment, casualties with their bounds, aggregates with parts), and
claims attributed to named and unnamed claimants with modalities and Admiralty grades.

It is a body of reporting: many sources (one per ~400 rows) from a set of outlets, published on a
day, in a month, a year or at an unknown date, in English or Spanish, with their registered
SHA-256; a third of them syndicated copies, digests or retellings of earlier ones. About one
statement in ten is reported again by another source (half of them a copy of the first, which
adds no independent origin), about one event in ten with casualties gets a second, different
death toll from another outlet (a dispute), one organisation in fifty is declared a second time
with a one-letter typo in its name (a likely duplicate; every other one merged by a curator's
kg:sameAs), and relative times count from dated sources.

The same (size, seed) always gives byte-identical files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GeneratedDataset", "generate", "parse_size"]

#: About how many output triples one statement row yields (1 fact + ~9 claim triples).
TRIPLES_PER_ROW = 10.2

_ORG_CLASSES = [
    "kg:Cartel", "kg:CartelFaction", "kg:GuerrillaGroup", "kg:DissidentFaction", "kg:ArmedGroup",
    "kg:PoliceForce", "kg:ArmedForces", "kg:NationalGuard", "kg:MilitaryUnit", "kg:Government",
    "kg:Ministry", "kg:SecurityService", "kg:MediaOrganization", "kg:RiskConsultancy",
]
_EVENT_TYPES = ["kg:DroneAttack", "kg:Ambush", "kg:AircraftDowning", "kg:Killing", "kg:ArmedClash",
                "kg:SeizureDisplay", "kg:Training", "kg:RecruitmentTravel", "kg:Trafficking"]
_EQUIPMENT = ["kg:Drone", "kg:FPVDrone", "kg:Quadcopter", "kg:GrenadeDrone", "kg:ExplosiveDrone",
              "kg:Explosive", "kg:Grenade", "kg:Helicopter"]
_MODALITIES = ["reported-fact"] * 6 + ["assessment", "allegation", "allegation", "forecast"]
_SYLLABLES = ["ka", "lo", "mi", "ra", "to", "ve", "san", "del", "ori", "ner", "qua", "zu", "bel", "cor", "tan"]


#: The largest dataset the generator makes (100M triples would not fit a 24 GiB machine's build).
MAX_TRIPLES = 50_000_000


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000, ``250000`` -> 250000.

    Raises :class:`kg.errors.UsageError` for anything else, or a size outside 1..MAX_TRIPLES.
    """
    from kg.errors import UsageError

    t = text.strip().lower().replace("_", "")
    factor = 1
    if t.endswith("k"):
        factor, t = 1_000, t[:-1]
    elif t.endswith("m"):
        factor, t = 1_000_000, t[:-1]
    try:
        value = float(t) * factor
    except ValueError:
        raise UsageError(f"size {text!r}: write a number of triples such as 10k, 100k, 1M or 250000") from None
    if not 1 <= value <= MAX_TRIPLES:  # also refuses nan and inf
        raise UsageError(f"size {text!r}: choose between 1 and {MAX_TRIPLES:,} triples")
    return int(value)


@dataclass(frozen=True)
class GeneratedDataset:
    """Where a generated dataset is and how big it is."""

    directory: Path
    rows: int
    entities: int
    statements: int


class _Writer:
    """Rows into CSV text, with every row's quote appended to its source's text."""

    def __init__(self, rng: random.Random, n_sources: int) -> None:
        self.rng = rng
        self.entities = io.StringIO()
        self.statements = io.StringIO()
        self.ent = csv.writer(self.entities, lineterminator="\n")
        self.st = csv.writer(self.statements, lineterminator="\n")
        self.ent.writerow(["id", "type", "label", "description", "source", "quote", "claimant",
                           "modality", "reliability", "credibility", "note"])
        self.st.writerow(["subject", "predicate", "object", "source", "quote", "claimant", "modality",
                          "attribution", "bound", "reliability", "credibility", "via", "note"])
        self.texts: list[list[str]] = [[] for _ in range(n_sources)]
        self.counter = 0
        self.n_entities = 0
        self.n_statements = 0
        self.sources = _sources(rng, n_sources)
        #: Sources that copy or digest each source (repeating a claim there adds no origin).
        self.copies: dict[int, list[int]] = {}
        for k, source in enumerate(self.sources):
            if source.kind in ("syndicated-copy", "digest"):
                self.copies.setdefault(source.parent, []).append(k)

    def quote(self, source: int, words: str) -> str:
        self.counter += 1
        sentence = f"({self.counter}) {words}."
        self.texts[source].append(sentence)
        return sentence

    def grades(self, claimant: str) -> tuple[str, str]:
        return ("C" if claimant else "F"), str(self.rng.choice("123345"))

    def entity(self, ident: str, types: str, label: str, words: str, claimant: str = "") -> None:
        source = self.rng.randrange(len(self.texts))
        reliability, credibility = self.grades(claimant)
        self.ent.writerow([ident, types, label, "", f"src{source}", self.quote(source, words), claimant,
                           "reported-fact", reliability, credibility, ""])
        self.n_entities += 1

    def curated(self, ident: str, types: str, label: str) -> None:
        """An entity known from outside the texts (an outlet's masthead): the curator's."""
        self.ent.writerow([ident, types, label, "", "curator", "", "", "", "", "", ""])
        self.n_entities += 1

    def statement(self, s: str, p: str, o: str, words: str, claimant: str = "", modality: str = "",
                  bound: str = "", source: int | None = None) -> int:
        source = self.rng.randrange(len(self.texts)) if source is None else source
        reliability, credibility = self.grades(claimant)
        if modality == "forecast":
            credibility = "6"
        sentence = self.quote(source, words)
        self.st.writerow([s, p, o, f"src{source}", sentence, claimant,
                          modality or "reported-fact", "reported-speech" if claimant else "", bound,
                          reliability, credibility, "", ""])
        self.n_statements += 1
        if self.rng.random() < 0.1:  # reported again: by a copy of the source, or another outlet
            copies = self.copies.get(source)
            again = (self.rng.choice(copies) if copies and self.rng.random() < 0.5
                     else self.rng.randrange(len(self.texts)))
            if again != source:
                self.texts[again].append(sentence)
                self.st.writerow([s, p, o, f"src{again}", sentence, claimant, modality or "reported-fact",
                                  "reported-speech" if claimant else "", bound, reliability, credibility, "", ""])
                self.n_statements += 1
        return source

    def curator_statement(self, s: str, p: str, o: str, note: str) -> None:
        self.st.writerow([s, p, o, "curator", "", "", "", "", "", "", "", "", note])
        self.n_statements += 1


@dataclass(frozen=True)
class _Source:
    outlet: int
    published: str
    language: str
    kind: str
    parent: int = -1


def _sources(rng: random.Random, n: int) -> list[_Source]:
    """Sources from a set of outlets, published on a day, in a month or a year, or at an unknown
    date; after the first few, a third derive from an earlier one."""
    outlets = max(2, n // 3)
    out = []
    derived = 0
    for k in range(n):
        day = 1 + k % 28
        month = 1 + (k // 28) % 12
        roll = rng.random()
        published = (f"2024-{month:02d}-{day:02d}" if roll < 0.6 else f"2024-{month:02d}" if roll < 0.85
                     else "2024" if roll < 0.95 else "")
        kind, parent = "original", -1
        if k >= 3 and rng.random() < 0.33:
            kind = _DERIVED[derived % len(_DERIVED)]
            derived += 1
            parent = rng.randrange(k)
        out.append(_Source(rng.randrange(outlets), published, rng.choice(["en", "es"]), kind, parent))
    return out


_DERIVED = ("syndicated-copy", "digest", "retelling")


def _typo(label: str, rng: random.Random) -> str:
    """The label with one letter changed (a near-same name)."""
    letters = [i for i, c in enumerate(label) if c.isalpha()]
    i = letters[len(letters) // 2]
    return label[:i] + ("x" if label[i].lower() != "x" else "z") + label[i + 1:]


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def generate(directory: Path | str, triples: int = 100_000, seed: int = 7) -> GeneratedDataset:
    """Write a dataset of about ``triples`` output triples into ``directory``."""
    directory = Path(directory)
    (directory / "sources").mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    rows = max(60, int(triples / TRIPLES_PER_ROW))
    n_sources = max(4, rows // 400)
    w = _Writer(rng, n_sources)

    outlets = sorted({s.outlet for s in w.sources})
    for n in outlets:
        w.curated(f"outlet{n}", "kg:MediaOrganization", f"{_name(rng)} News {n}")

    # Places: ~4% of rows.
    regions = [f"region{i}" for i in range(max(1, rows // 20000) + 1)]
    for r in regions:
        w.entity(r, "kg:Region", f"{_name(rng)} Region", f"the region {r}")
    countries = [f"country{i}" for i in range(max(2, rows // 2000))]
    for c in countries:
        w.entity(c, "kg:Country", f"{_name(rng, 3)}ia", f"the country {c}")
        w.statement(c, "kg:locatedIn", rng.choice(regions), f"{c} lies in its region")
    states = [f"state{i}" for i in range(max(3, rows // 400))]
    for s in states:
        w.entity(s, "kg:AdminRegion", f"{_name(rng, 4)} State", f"the state {s}")
        w.statement(s, "kg:locatedIn", rng.choice(countries), f"{s} is in its country")
    cities = [f"city{i}" for i in range(max(4, rows // 100))]
    for c in cities:
        w.entity(c, "kg:City", f"{_name(rng, 4)}", f"the city {c}")
        w.statement(c, "kg:locatedIn", rng.choice(states), f"{c} is in its state")
    places = cities + states + countries

    # Actors: ~12% of rows. Names of four syllables, so that apart from the twins below few are alike.
    orgs = [f"org{i}" for i in range(max(5, rows // 150))]
    twins: list[str] = []
    for i, o in enumerate(orgs):
        cls = rng.choice(_ORG_CLASSES)
        if rng.random() < 0.1:
            cls += "|kg:CollectiveActor"
        label = f"{_name(rng, 4)} {cls.split(':')[1].split('|')[0]}"
        w.entity(o, cls, label, f"the group {o}")
        w.statement(o, "skos:altLabel", f"{_name(rng, 1).upper()}{rng.randrange(99)}", f"{o} also known by an alias")
        if rng.random() < 0.5:
            w.statement(o, "kg:operatesIn", rng.choice(places), f"{o} operates in the area")
        if i % 50 == 5 and "Collective" not in cls:  # declared again by another report (~2%)
            twin = f"{o}-bis"
            w.entity(twin, cls, _typo(label, rng), f"the group {twin}")
            twins.append(twin)
            if len(twins) % 2 == 0:
                w.curator_statement(twin, "kg:sameAs", o, "The same group, named with a typo in another report.")
    people = [f"person{i}" for i in range(max(5, rows // 100))]
    for p in people:
        unnamed = rng.random() < 0.15
        w.entity(p, "kg:Person|kg:UnnamedActor" if unnamed else "kg:Person",
                 "an official" if unnamed else f"{_name(rng)} {_name(rng, 3)}", f"the person {p}")
        w.statement(p, "kg:role", rng.choice(["analyst", "commander", "official", "spokesperson"]),
                    f"{p} holds a role")
        w.statement(p, rng.choice(["kg:memberOf", "kg:affiliatedWith"]), rng.choice(orgs), f"{p} belongs to a group")
    claimants = people[: max(5, len(people) // 3)]

    # Time expressions: relative ones count from a dated source.
    dated = [k for k, source in enumerate(w.sources) if len(source.published) == 10] or [0]
    times = []
    for i in range(max(10, rows // 500)):
        t = f"time{i}"
        times.append(t)
        kind = i % 3
        if kind == 0:
            w.entity(t, "kg:AbsoluteTime", f"{2015 + i % 10}", f"in {2015 + i % 10}")
            w.statement(t, "kg:year", str(2015 + i % 10), f"{t} is a year")
            w.statement(t, "time:unitType", "time:unitYear", f"{t} is precise to the year")
        elif kind == 1:
            day = f"20{15 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            w.entity(t, "kg:AbsoluteTime", day, f"on {day}")
            w.statement(t, "kg:date", day, f"{t} is a date")
            w.statement(t, "time:unitType", "time:unitDay", f"{t} is precise to the day")
        else:
            dated_source = rng.choice(dated)
            w.entity(t, "kg:RelativeTime", "last week", f"last week ({t})")
            w.statement(t, "kg:expressionText", "last week", f"{t} said last week", source=dated_source)
            w.statement(t, "kg:relativeTo", f"src{dated_source}", f"{t} relative to the report", source=dated_source)
            w.statement(t, "time:unitType", "time:unitWeek", f"{t} is precise to the week", source=dated_source)

    # Events fill the rest: each about 8 rows.
    targets = orgs + people
    events = []
    i = 0
    while w.n_entities + w.n_statements < rows:
        e = f"event{i}"
        events.append(e)
        i += 1
        claimant = rng.choice(claimants) if rng.random() < 0.5 else ""
        w.entity(e, "kg:Event", f"Event {i}", f"incident {e} happened")
        w.statement(e, "kg:eventType", rng.choice(_EVENT_TYPES), f"{e} was an attack")
        w.statement(e, "kg:place", rng.choice(places), f"{e} took place there")
        w.statement(e, "kg:hasTime", rng.choice(times), f"{e} happened then")
        perpetrator = rng.choice(twins) if twins and rng.random() < 0.02 else rng.choice(orgs)
        w.statement(e, "kg:perpetrator", perpetrator, f"{e} was the work of a group",
                    claimant, rng.choice(_MODALITIES) if claimant else "")
        w.statement(e, "kg:target", rng.choice(targets), f"{e} targeted them")
        w.statement(e, "kg:usedEquipment", rng.choice(_EQUIPMENT), f"{e} involved equipment")
        if rng.random() < 0.6:
            killed, (bound, words) = rng.randrange(0, 40), rng.choice(
                [("exact", ""), ("at-least", "at least "), ("approximately", "about ")])
            w.statement(e, "kg:killed", str(killed), f"{e} killed {words}{killed} people", bound=bound)
            if rng.random() < 0.1:  # another outlet gives another toll
                other = killed + 1 + rng.randrange(5)
                w.statement(e, "kg:killed", str(other), f"{e} killed {other} people", rng.choice(claimants))
        if len(events) > 3 and rng.random() < 0.1:
            w.statement(e, "kg:partOf", events[rng.randrange(len(events) - 1)], f"{e} was part of a series")

    (directory / "kg.toml").write_text(
        f'[dataset]\nname = "generated-{triples}"\nbase = "https://example.org/gen/"\n'
        'sources_path = ["sources"]\n', encoding="utf-8")
    hashes = []
    for k, sentences in enumerate(w.texts):
        data = (" ".join(sentences) + "\n").encode("utf-8")
        (directory / "sources" / f"src{k}.txt").write_bytes(data)
        hashes.append(hashlib.sha256(data).hexdigest())
    with open(directory / "sources.csv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["id", "type", "label", "text_file", "sha256", "outlet", "published", "language", "url",
                      "kind", "derived_from", "note"])
        out.writerow(["curator", "kg:CuratorNote", "Curator's notes", "", "", "", "", "", "", "", "", ""])
        for k, source in enumerate(w.sources):
            out.writerow([f"src{k}", "kg:NewsReport", f"Generated report {k}", f"src{k}.txt", hashes[k],
                          f"outlet{source.outlet}", source.published, source.language,
                          f"https://example.org/news/{k}", source.kind,
                          f"src{source.parent}" if source.parent >= 0 else "", ""])
    (directory / "entities.csv").write_text(w.entities.getvalue(), encoding="utf-8")
    (directory / "statements.csv").write_text(w.statements.getvalue(), encoding="utf-8")
    return GeneratedDataset(directory, w.n_entities + w.n_statements, w.n_entities, w.n_statements)

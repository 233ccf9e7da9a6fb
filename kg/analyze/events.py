"""Events over time and space: per-actor timelines, and counts of events and casualties by place
and by event type.

**Timelines.** An actor's events are those it is linked to (as perpetrator, target, participant,
agent..., in either direction) and those it makes a claim about (role ``makes a claim about``).
Reporting seldom gives dates: most times are relative ("last week", "in recent months"), so the
timeline orders *time columns*, not dates: absolute years first (ascending), then expressions
relative to the report from the coarsest precision to the finest (year, month, week, day,
unspecified), then undated events. It is a reading order, not a chronology.

**Counts by place.** An event counts under the place it is linked to by ``kg:place`` and under
every place that place lies in, walking ``kg:locatedIn`` transitively: an event in Medellín
counts under Medellín, Colombia and Latin America. Casualties (``kg:killed``, ``kg:wounded``)
are summed per place without counting a death twice: an event that is ``kg:partOf`` another
counted event which itself gives a figure is *included in* that figure (the Medellín downing's
12 killed are part of the "at least 18" of the two Colombian attacks, so Colombia counts 18,
Medellín 12). A sum containing an "at least" figure is itself "at least". Events with no place
count under ``(no place)``.

**Counts by type** follow the same rules, grouping by ``kg:eventType``.

**Facts and claims.** Places, containments, types and casualty figures are counted from the facts
only (README.md, "Provenance model"): an event whose place, type or figure only a claimant gives
(the ministry's "115 drone attacks ... in 2024"), or that lies in a place only through a curator
inference (Medellín in Colombia), is listed under ``attributed_events`` of that place or type,
never counted as a fact. In timelines, a role only a claim gives is marked with who gives it
("perpetrator (attributed: Gustavo Petro, allegation, paraphrase)").

The same claim filter as the projection applies: links whose claims are all of an excluded
modality are ignored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.analyze.projection import ACTOR_KINDS, ProjectionOptions, kept_evidence
from kg.ontology import load_ontology
from kg.property_graph import Edge, GraphView
from kg.vocab import KG, RDFS, TIME

__all__ = [
    "NO_PLACE",
    "Count",
    "EventInfo",
    "TimelineEntry",
    "counts_by_place",
    "counts_by_type",
    "event_infos",
    "timelines",
]

NO_PLACE = "(no place)"
_PRECISION_ORDER = ("year", "month", "week", "day", "hour", "minute", "second")


def _key(term) -> str:
    """The view's property key for an ontology property (its label)."""
    value = load_ontology().graph.value(term, RDFS.label)
    return str(value) if value is not None else str(term).rsplit("#", 1)[-1]


def _int(values: list[str]) -> int | None:
    for v in values:
        try:
            return int(v)
        except ValueError:
            continue
    return None


@dataclass
class EventInfo:
    """What the analysis needs to know about an event."""

    iri: str
    label: str
    types: list[str]
    places: list[str]  # place IRIs (direct)
    parents: list[str]  # events it is kg:partOf (direct)
    time_label: str = ""
    year: int | None = None
    precision: str = ""
    killed: int | None = None
    killed_qualifier: str = ""
    wounded: int | None = None
    wounded_qualifier: str = ""
    wounded_text: str = ""
    #: Places and types only claims give (never counted as facts).
    claimed_places: list[str] = field(default_factory=list)
    claimed_types: list[str] = field(default_factory=list)

    @property
    def time_order(self) -> tuple:
        """Sort key of the event's time column (see the module docstring)."""
        if self.year is not None:
            return (0, self.year, "")
        if self.time_label:
            rank = _PRECISION_ORDER.index(self.precision) if self.precision in _PRECISION_ORDER else 99
            return (1, rank, self.time_label)
        return (2, 0, "")

    @property
    def time_column(self) -> str:
        """The time column the event falls in."""
        return self.time_label or "undated"


def _kept_edges(view: GraphView, options: ProjectionOptions) -> list[Edge]:
    kept = []
    for edge in view.edges:
        if edge.inferred and not options.inferred:
            continue
        if edge.evidence and not kept_evidence(edge.evidence, options.exclude_modalities):
            continue
        kept.append(edge)
    return kept


def event_infos(view: GraphView, options: ProjectionOptions | None = None) -> dict[str, EventInfo]:
    """Every event of the view, with its types, places, parents, time and casualty figures."""
    options = options or ProjectionOptions()
    keys = {name: _key(term) for name, term in (
        ("type", KG.eventType), ("killed", KG.killed), ("wounded", KG.wounded),
        ("year", KG.year), ("text", KG.expressionText), ("precision", TIME.unitType))}
    infos: dict[str, EventInfo] = {}
    for iri, node in view.nodes.items():
        if node.kind != "event":
            continue
        p = node.properties  # facts only; the figures with their bounds are in node.quantities
        killed = next(iter(node.quantities.get(keys["killed"], ())), None)
        wounded = next(iter(node.quantities.get(keys["wounded"], ())), None)
        infos[iri] = EventInfo(
            iri=iri, label=node.label, types=list(p.get(keys["type"], [])), places=[], parents=[],
            killed=killed.value if killed else None, killed_qualifier=killed.bound if killed else "",
            wounded=wounded.value if wounded else None, wounded_qualifier=wounded.bound if wounded else "",
            wounded_text=wounded.words if wounded else "",
            claimed_types=sorted({v.value for v in node.attributed.get(keys["type"], [])}),
        )
    for edge in _kept_edges(view, options):
        info = infos.get(edge.source)
        if info is None:
            continue
        target = view.nodes.get(edge.target)
        if edge.predicate == "kg:place" and target is not None:
            (info.claimed_places if edge.attributed else info.places).append(edge.target)
        elif edge.predicate == "kg:partOf" and edge.target in infos:
            info.parents.append(edge.target)
        elif edge.predicate == "kg:hasTime" and target is not None and not info.time_label:
            tp = target.properties
            info.time_label = (tp.get(keys["text"]) or [target.label])[0]
            info.year = _int(tp.get(keys["year"], []))
            info.precision = (tp.get(keys["precision"]) or [""])[0]
    return infos


@dataclass
class TimelineEntry:
    """One event in an actor's timeline."""

    event: str
    label: str
    roles: list[str]
    time: str
    types: list[str]
    killed: int | None = None
    #: True when every role the actor has in the event only a claim gives.
    attributed: bool = False

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        return {"event": self.event, "label": self.label, "roles": self.roles, "time": self.time,
                "types": self.types, "killed": self.killed, "attributed": self.attributed}


def timelines(view: GraphView, options: ProjectionOptions | None = None) -> dict[str, list[TimelineEntry]]:
    """Per actor (IRI, sorted), the events it is linked to or makes claims about, in time-column
    order (see the module docstring). Actors with no event are left out."""
    options = options or ProjectionOptions()
    infos = event_infos(view, options)
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for edge in _kept_edges(view, options):
        # A role only a claim gives says who gives it: "perpetrator (attributed: Gustavo Petro, ...)".
        role = edge.label
        if edge.attributed:
            role += f" (attributed: {' and '.join(sorted({e.standing for e in edge.evidence}))})"
        for event, other in ((edge.source, edge.target), (edge.target, edge.source)):
            if event in infos and other in view.nodes and view.nodes[other].kind in ACTOR_KINDS:
                roles[other][event].add(role)
        if edge.source in infos and options.claimants:  # claims about the event
            event = edge.source
            for e in kept_evidence(edge.evidence, options.exclude_modalities):
                if e.claimant in view.nodes and view.nodes[e.claimant].kind in ACTOR_KINDS:
                    roles[e.claimant][event].add("makes a claim about")
    result: dict[str, list[TimelineEntry]] = {}
    for actor in sorted(roles):
        entries = [TimelineEntry(ev, infos[ev].label, sorted(r), infos[ev].time_column, infos[ev].types,
                                 infos[ev].killed,
                                 attributed=all("(attributed: " in x or x == "makes a claim about" for x in r))
                   for ev, r in roles[actor].items()]
        entries.sort(key=lambda t: (infos[t.event].time_order, t.label, t.event))
        result[actor] = entries
    return result


@dataclass
class Count:
    """Events and casualties under one place or type."""

    key: str  # place IRI, event type notation, or NO_PLACE
    label: str
    events: list[str] = field(default_factory=list)  # event IRIs, sorted
    killed: int = 0
    killed_at_least: bool = False
    wounded: int = 0
    wounded_at_least: bool = False
    #: Casualty figures only worded ("dozens"), with no number: event IRI -> the words.
    wounded_as_worded: dict[str, str] = field(default_factory=dict)
    #: Event -> the counted event whose figure includes its casualties (not added again).
    included_in: dict[str, str] = field(default_factory=dict)
    #: Events under this key only through a claim (a claimant's place or type, a curator inference):
    #: listed, never counted, and their figures never summed.
    attributed_events: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        return {"key": self.key, "label": self.label, "events": self.events, "event_count": len(self.events),
                "killed": self.killed, "killed_at_least": self.killed_at_least, "wounded": self.wounded,
                "wounded_at_least": self.wounded_at_least,
                "wounded_as_worded": dict(sorted(self.wounded_as_worded.items())),
                "included_in": dict(sorted(self.included_in.items())),
                "attributed_events": self.attributed_events}


def _ancestors(event: str, infos: dict[str, EventInfo]) -> list[str]:
    seen: list[str] = []
    stack = list(infos[event].parents)
    while stack:
        parent = stack.pop()
        if parent not in seen:
            seen.append(parent)
            stack.extend(infos[parent].parents)
    return seen


def _count(key: str, label: str, events: set[str], infos: dict[str, EventInfo]) -> Count:
    count = Count(key, label, sorted(events))
    for event in count.events:
        info = infos[event]
        if info.wounded is None and info.wounded_text:
            count.wounded_as_worded[event] = info.wounded_text
        for figure, qualifier, attr in ((info.killed, info.killed_qualifier, "killed"),
                                        (info.wounded, info.wounded_qualifier, "wounded")):
            if figure is None:
                continue
            holder = next((a for a in _ancestors(event, infos)
                           if a in events and getattr(infos[a], attr) is not None), None)
            if holder is not None:
                count.included_in[event] = holder
                continue
            setattr(count, attr, getattr(count, attr) + figure)
            if qualifier not in ("", "exact"):
                setattr(count, f"{attr}_at_least", True)
    return count


def counts_by_place(view: GraphView, options: ProjectionOptions | None = None) -> list[Count]:
    """Events and casualties under every place (walking ``kg:locatedIn``), most events first."""
    options = options or ProjectionOptions()
    infos = event_infos(view, options)
    parents: dict[str, set[str]] = defaultdict(set)
    claimed_parents: dict[str, set[str]] = defaultdict(set)
    for edge in _kept_edges(view, options):
        if edge.predicate == "kg:locatedIn":
            (claimed_parents if edge.attributed else parents)[edge.source].add(edge.target)

    def within(place: str, links: list[dict[str, set[str]]]) -> set[str]:  # the place and what it lies in
        seen, stack = set(), [place]
        while stack:
            p = stack.pop()
            if p not in seen:
                seen.add(p)
                for link in links:
                    stack.extend(link.get(p, ()))
        return seen

    under: dict[str, set[str]] = defaultdict(set)
    claimed: dict[str, set[str]] = defaultdict(set)
    for event, info in infos.items():
        if not info.places:
            under[NO_PLACE].add(event)
        for place in info.places:
            for p in within(place, [parents]):
                under[p].add(event)
        for place in info.places + info.claimed_places:
            for p in within(place, [parents, claimed_parents]):
                claimed[p].add(event)
    counts = []
    for key in sorted(set(under) | set(claimed)):
        count = _count(key, view.nodes[key].label if key in view.nodes else key, under.get(key, set()), infos)
        count.attributed_events = sorted(claimed.get(key, set()) - under.get(key, set()))
        counts.append(count)
    counts.sort(key=lambda c: (c.key == NO_PLACE, -len(c.events), -len(c.attributed_events), c.label, c.key))
    return counts


def counts_by_type(view: GraphView, options: ProjectionOptions | None = None) -> list[Count]:
    """Events and casualties by event type (an event of two types counts under both)."""
    infos = event_infos(view, options)
    under: dict[str, set[str]] = defaultdict(set)
    claimed: dict[str, set[str]] = defaultdict(set)
    for event, info in infos.items():
        for t in info.types or ([] if info.claimed_types else ["(no type)"]):
            under[t].add(event)
        for t in info.claimed_types:
            if t not in info.types:
                claimed[t].add(event)
    counts = []
    for key in sorted(set(under) | set(claimed)):
        count = _count(key, key, under.get(key, set()), infos)
        count.attributed_events = sorted(claimed.get(key, set()))
        counts.append(count)
    counts.sort(key=lambda c: (-len(c.events), -len(c.attributed_events), c.key))
    return counts


"""Events over time and space: per-actor timelines, and counts of events and casualties by place
and by event type.

**Timelines.** An actor's events are those it is linked to (as perpetrator, target, participant,
agent..., in either direction) and those it makes a claim about (role ``makes a claim about``).
Reporting seldom gives dates: most times are relative ("last week", "in recent months"), so the
timeline orders *time columns*, not dates: absolute years first (ascending), then expressions
relative to the report from the coarsest precision to the finest (year, month, week, day,
unspecified), then undated events. It is a reading order, not a chronology. An event the sources
give several times ("last week" in one report, "on Thursday" in another) sits in the first of
their columns, and its entry lists every time (``times``), so none is dropped.

**Counts by place.** An event counts under the place it is linked to by ``kg:place`` and under
every place that place lies in, walking ``kg:locatedIn`` transitively: an event in Medellín
counts under Medellín, Colombia and Latin America. Casualties (``kg:killed``, ``kg:wounded``)
are summed per place without counting a death twice: an event that is ``kg:partOf`` another
counted event which itself gives a figure is *included in* that figure (the Medellín downing's
dead are part of the "at least 18" of the two Colombian attacks, so Colombia counts at least 18,
Medellín the downing's own figure). A sum containing an "at least" figure is itself "at least". Events with no place
count under ``(no place)``.

**Figures in several versions.** When the sources give an event's toll in more than one version
(the Medellín downing: "at least 10", 12 and 13 as reported fact, and Petro's first 8 as his
word: a dispute, KG906), the analysis never picks one as the fact: it counts the lowest number
the reported-fact versions give, as "at least" (the Medellín downing counts "at least 10", which
"at least 10", 12 and 13 all allow), and lists the event under ``versions`` of every place and
type it counts under, with each version and the sources giving it, claims included ("disputed"
first when the sources disagree rather than bound the figure differently: "at least 18" and "at
least 19"). A figure only claims give is never counted.

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
from kg.property_graph import Edge, GraphView, Node, Quantity
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
    #: Every time expression the sources give the event (sorted; one only a claim gives says who
    #: gives it); the time column is the first of them in reading order.
    times: list[str] = field(default_factory=list)
    #: Figures the sources give in more than one version: property ("killed", "wounded") -> every
    #: version as text, with its sources (see the module docstring).
    versions: dict[str, list[str]] = field(default_factory=dict)
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


def _figure(quantities: list[Quantity]) -> tuple[int | None, str, str]:
    """The counted figure of an event's reported-fact quantities: (number, bound, words). One
    quantity counts as it is; several count as the lowest number any gives, as "at least"."""
    if not quantities:
        return None, "", ""
    if len(quantities) == 1:
        q = quantities[0]
        return q.value, q.bound, q.words
    numbers = [q.value for q in quantities if q.value is not None]
    words = next((q.words for q in quantities if q.words), "")
    return (min(numbers), "at-least", words) if numbers else (None, "vague", words)


def _versions(node: Node, key: str) -> list[str]:
    """Every version of a figure the sources give in more than one, as text with its sources;
    [] when there is one."""
    if key in node.disputes:
        shown = []
        for value, evidence in node.disputes[key]:
            who = "; ".join(dict.fromkeys(
                e.source_label + (f" (attributed: {e.standing})" if e.standing else "") for e in evidence))
            shown.append(f"{value} ({who})")
        return ["disputed", *shown]
    facts = node.quantities.get(key, [])
    if len(facts) + len(node.attributed.get(key, [])) < 2:
        return []
    return [q.label for q in facts] + [c.text for c in node.attributed.get(key, [])]


def event_infos(view: GraphView, options: ProjectionOptions | None = None) -> dict[str, EventInfo]:
    """Every event of the view, with its types, places, parents, time and casualty figures (a
    figure in several versions as the lowest, "at least", with its versions: module docstring)."""
    options = options or ProjectionOptions()
    keys = {name: _key(term) for name, term in (
        ("type", KG.eventType), ("killed", KG.killed), ("wounded", KG.wounded),
        ("year", KG.year), ("text", KG.expressionText), ("precision", TIME.unitType))}
    infos: dict[str, EventInfo] = {}
    for iri, node in view.nodes.items():
        if node.kind != "event":
            continue
        p = node.properties  # facts only; the figures with their bounds are in node.quantities
        killed, killed_bound, _ = _figure(node.quantities.get(keys["killed"], []))
        wounded, wounded_bound, wounded_words = _figure(node.quantities.get(keys["wounded"], []))
        versions = {name: found for name in ("killed", "wounded") if (found := _versions(node, keys[name]))}
        infos[iri] = EventInfo(
            iri=iri, label=node.label, types=list(p.get(keys["type"], [])), places=[], parents=[],
            killed=killed, killed_qualifier=killed_bound, wounded=wounded, wounded_qualifier=wounded_bound,
            wounded_text=wounded_words, versions=versions,
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
        elif edge.predicate == "kg:hasTime" and target is not None:
            tp = target.properties
            time = EventInfo(iri, "", [], [], [], time_label=(tp.get(keys["text"]) or [target.label])[0],
                             year=_int(tp.get(keys["year"], [])), precision=(tp.get(keys["precision"]) or [""])[0])
            who = " and ".join(sorted({e.standing for e in edge.evidence}))
            info.times.append(time.time_label + (f" (attributed: {who})" if edge.attributed else ""))
            if not info.time_label or time.time_order < info.time_order:
                info.time_label, info.year, info.precision = time.time_label, time.year, time.precision
    for info in infos.values():
        info.times = sorted(set(info.times))
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
    #: Every time expression the sources give the event (``time`` is the first in reading order).
    times: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        return {"event": self.event, "label": self.label, "roles": self.roles, "time": self.time,
                "times": self.times, "types": self.types, "killed": self.killed, "attributed": self.attributed}


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
                                 infos[ev].killed, times=infos[ev].times,
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
    #: Counted events whose figure the sources give in more than one version: event IRI ->
    #: property -> every version with its sources ("disputed" first when they disagree); the
    #: lowest is counted, as "at least" (see the module docstring).
    versions: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        return {"key": self.key, "label": self.label, "events": self.events, "event_count": len(self.events),
                "killed": self.killed, "killed_at_least": self.killed_at_least, "wounded": self.wounded,
                "wounded_at_least": self.wounded_at_least,
                "wounded_as_worded": dict(sorted(self.wounded_as_worded.items())),
                "included_in": dict(sorted(self.included_in.items())),
                "attributed_events": self.attributed_events,
                "versions": {k: dict(sorted(v.items())) for k, v in sorted(self.versions.items())}}


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
        if info.versions:
            count.versions[event] = dict(info.versions)
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


"""``kg draft SOURCE``: candidate rows for review, written into ``drafts/SOURCE.json``.

Drafts never go into the curated tables: an analyst accepts, edits or rejects each one
(``kg curate``). From the source's text (:mod:`~kg.curate.sentences`), the dataset's known
entities (:mod:`~kg.curate.mentions`), numbers (:mod:`~kg.curate.numbers`), times
(:mod:`~kg.curate.times`) and who speaks (:mod:`~kg.curate.speech`), a draft proposes:

- an entities row for each new name (with its aliases), each collective or unnamed claimant,
  each time expression (with its words, precision, anchor and, where it resolves, its date), and
  each event a sentence reports (an attack, a downing, an ambush ...);
- statements rows for each event: its type, places, time, casualties with their bounds and
  wording, counts, the equipment used, and who is blamed; and a person's title as kg:role;
- on every statements row, the claimant and modality of the clause it comes from, and a quote:
  the clause's words, verbatim, checked against the text before the draft is written.

Rules and gazetteers only: deterministic (the same text and dataset give the same bytes) and
offline. A spaCy pipeline the user installed may add names (``spacy_model``); it is never needed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from kg.curate.known import Known, known_of, read_tables, slug, unique_id
from kg.curate.language import guess_language
from kg.curate.mentions import Gazetteer, Mention, find_mentions
from kg.curate.numbers import find_numbers
from kg.curate.sentences import Sentence, split_sentences
from kg.curate.speech import Attribution, attribute, claim_at
from kg.curate.tables import digest
from kg.curate.times import TimeMention, find_times
from kg.errors import UsageError
from kg.ontology import load_ontology
from kg.output.files import write_atomic
from kg.project import Project
from kg.suggest import did_you_mean
from kg.text import fold_name, normalise_quote
from kg.vocab import KG

__all__ = ["DRAFT_VERSION", "Draft", "DraftRow", "draft_path", "draft_source", "draft_text", "dump_draft",
           "read_draft", "write_draft"]

DRAFT_VERSION = 1

#: Words that report an event, and its type (a concept of kg:EventTypeScheme); the first found wins.
_TRIGGERS: tuple[tuple[str, str], ...] = (
    (r"brought down|shot down|downed|came down|(?:helicopter|aircraft) fell|crashed|derribad[oa]|derribo|"
     r"se estrelló", "kg:AircraftDowning"),
    (r"ambush(?:ed)?|emboscada", "kg:Ambush"),
    (r"drone attacks?|drone strikes?|ataques? con drones?", "kg:DroneAttack"),
    (r"car bomb|truck bomb|carro bomba|coche bomba|camión bomba|bombing|blast|explosion|exploded|went off|"
     r"estalló|explosión", "kg:Attack"),
    (r"attacks?|atentados?|ataques?|strikes?", "kg:Attack"),
    (r"clashes|civil war|enfrentamientos|combates", "kg:ArmedClash"),
    (r"peace talks|diálogos de paz|negociaciones de paz", "kg:PeaceTalks"),
    (r"displayed|seized|incautad[oa]s?|decomisad[oa]s?", "kg:SeizureDisplay"),
    (r"training|trains|entrenamiento|learn to|aprender a", "kg:Training"),
    (r"joined|enlisted|signed up|sending fighters|se unieron|se alistó", "kg:RecruitmentTravel"),
    (r"killed|murdered|died|dead|murieron|muertos|asesinad[oa]s?", "kg:Killing"),
)
_TRIGGER_RES = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), t) for p, t in _TRIGGERS]
#: Words that name equipment, and its concept (kg:EquipmentScheme).
_EQUIPMENT: tuple[tuple[str, str], ...] = (
    (r"fpv(?: kamikaze)? drones?|first-person[- ]view \(fpv\)(?: kamikaze)? drones?|drones? fpv", "kg:FPVDrone"),
    (r"drones? (?:loaded|fitted|armed|cargados?) with explosives|drones? cargados? con explosivos|"
     r"explosive drones?", "kg:ExplosiveDrone"),
    (r"quadcopters?|cuadricópteros?", "kg:Quadcopter"),
    (r"drones?|drón|dron|uavs?", "kg:Drone"),
    (r"car bomb|truck bomb|carro bomba|coche bomba|explosives|explosivos|mortars|morteros", "kg:Explosive"),
    (r"grenades?|granadas?", "kg:Grenade"),
)
_EQUIPMENT_RES = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), c) for p, c in _EQUIPMENT]
#: Words that put the blame: the actor named after them is the perpetrator.
_BLAME = re.compile(r"\b(?:blamed|blames|attributed (?:the \w+ |that \w+ |it )?to|tied the \w+ to|the work of|"
                    r"carried out by|responsibility of|atribuyó (?:el \w+ |la \w+ )?a|culpó a|"
                    r"los responsables fueron|responsables fueron|fue obra de)\b", re.IGNORECASE)
_TITLES = re.compile(r"\b((?:Defen[cs]e |Interior |Foreign |Security |Justice )?(?:President|Vice President|"
                     r"Governor|Minister|Prime Minister|Director|Commander|General|Colonel|Mayor|Senator|"
                     r"Attorney General|Presidente|Gobernador|Ministro|Ministra|Director|Directora|Comandante|"
                     r"Alcalde|Fiscal General)(?: de (?:Defensa|Colombia|México))?)(?:,)?\s+$")
_PLACE_TYPES = ("kg:Place", "kg:City", "kg:AdminRegion", "kg:Country", "kg:Region", "kg:Zone")


@dataclass
class DraftRow:
    """One candidate row: the table it would go to, its cells, and why it was drafted."""

    id: str
    table: str  # "entities" or "statements"
    cells: dict[str, str]
    kind: str  # new-entity, alias, time, event, event-detail, number, role, claimant
    why: str
    sentence: int
    span: tuple[int, int]  # the evidence in the text
    status: str = "pending"  # pending, accepted, rejected, in-tables

    def to_dict(self) -> dict[str, object]:
        """The row as JSON-ready data."""
        return {"id": self.id, "table": self.table, "status": self.status, "kind": self.kind, "why": self.why,
                "sentence": self.sentence, "span": list(self.span), "cells": self.cells}


@dataclass
class Draft:
    """A source's text cut into sentences, the mentions found in it, and the candidate rows."""

    source: dict[str, str]
    text: str
    sentences: list[Sentence]
    mentions: list[Mention]
    times: list[TimeMention]
    attributions: list[Attribution]
    rows: list[DraftRow] = field(default_factory=list)
    dropped: int = 0  # rows whose quote was not found in the text (none, unless a rule is wrong)

    def to_dict(self) -> dict[str, object]:
        """The draft as JSON-ready data (what ``drafts/SOURCE.json`` holds)."""
        return {
            "kg_draft": DRAFT_VERSION,
            "source": self.source,
            "sentences": [{"index": s.index, "start": s.start, "end": s.end} for s in self.sentences],
            "mentions": [{"start": m.start, "end": m.end, "text": m.text, "entity": m.entity,
                          "candidates": list(m.candidates), "known": m.known, "how": m.how,
                          "score": round(m.score, 1), "sentence": m.sentence} for m in self.mentions],
            "times": [{"start": t.start, "end": t.end, "text": t.text, "kind": t.kind, "unit": t.unit,
                       "value": t.value, "interval": list(t.interval) if t.interval else None} for t in self.times],
            "speakers": [{"sentence": a.sentence, "claimant": a.claimant, "claimant_text": a.claimant_text,
                          "cue": a.cue, "inherited": a.inherited,
                          "clauses": [{"start": c.start, "end": c.end, "modality": c.modality, "cue": c.cue}
                                      for c in a.clauses]} for a in self.attributions],
            "rows": [r.to_dict() for r in self.rows],
        }


def draft_path(project: Project, source_id: str) -> Path:
    """Where the draft of a source is kept: ``DATA/drafts/SOURCE.json`` (``source_id`` must be an
    id, so the path never leaves ``drafts/``)."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", source_id) or ".." in source_id:
        raise UsageError(f"{source_id[:80]!r} is not a source id (ids start with a letter and use letters, "
                         "digits, '_', '-', '.')")
    return project.data_dir / "drafts" / f"{source_id}.json"


def _curie_to_iri(project: Project, curie: str) -> URIRef | None:
    prefix, _, local = curie.partition(":")
    ns = project.prefixes.get(prefix)
    return URIRef(ns + local) if ns else None


class _Builder:
    """Collects rows with stable ids, refusing any whose quote is not in the text."""

    def __init__(self, text: str, source_id: str, taken: set[str], existing: set[tuple[str, ...]]) -> None:
        self.text = text
        self.norm_text = normalise_quote(text)
        self.source_id = source_id
        self.taken = taken
        self.existing = existing
        self.rows: list[DraftRow] = []
        self.dropped = 0
        self.seen: set[tuple[str, ...]] = set()

    def new_id(self, base: str) -> str:
        ident = unique_id(slug(base) if not re.match(r"^[a-z][a-z0-9-]*$", base) else base, self.taken)
        self.taken.add(ident)
        return ident

    def add(self, table: str, cells: dict[str, str], kind: str, why: str, sentence: int, span: tuple[int, int]) -> None:
        quote = cells.get("quote", "")
        if quote and normalise_quote(quote) not in self.norm_text:
            self.dropped += 1
            return
        cells = {"source": self.source_id, **cells}
        key = (table, *(cells.get(k, "") for k in ("id", "subject", "predicate", "object", "claimant")))
        if key in self.seen:
            return
        self.seen.add(key)
        status = "pending"
        if table == "statements" and (cells.get("subject"), cells.get("predicate"), cells.get("object"),
                                      self.source_id) in self.existing:
            status = "in-tables"
        row = DraftRow(f"r{len(self.rows) + 1:04d}", table, cells, kind, why, sentence, span, status)
        self.rows.append(row)


def _clause_span(attribution: Attribution, start: int, end: int, sentence: Sentence) -> tuple[int, int]:
    """The clauses of a sentence that hold ``start:end``."""
    parts = [c for c in attribution.clauses if c.start < end and start < c.end] or [
        type("C", (), {"start": sentence.start, "end": sentence.end})()]
    return min(c.start for c in parts), max(c.end for c in parts)


def _quote(text: str, start: int, end: int) -> str:
    """The words of ``text[start:end]`` without the punctuation and spaces around them."""
    while start < end and (text[start].isspace() or text[start] in "\"“”«»'‘’([,;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\"“”«»'‘’)],;:.!?"):
        end -= 1
    return text[start:end]


def draft_text(project: Project, known: Known, source_id: str, text: str, *, language: str = "",
               published: str = "", spacy_model: str | None = None) -> Draft:
    """Draft candidate rows for ``text``, a source of ``project`` with the id ``source_id``."""
    language = language.split("-")[0].lower() if language else guess_language(text) or "en"
    onto = load_ontology(project.ontology_dir)
    sentences = split_sentences(text, language)
    gazetteer = Gazetteer.from_known(known)
    mentions, new_entities = find_mentions(text, sentences, gazetteer, taken_ids=known.ids | {source_id})
    if spacy_model:
        from kg.curate.spacy_names import spacy_candidates

        extra = spacy_candidates(text, sentences, spacy_model, mentions, known.ids | {n.id for n in new_entities})
        for candidate, mention in extra:
            new_entities.append(candidate)
            mentions.append(mention)
        mentions.sort(key=lambda m: (m.start, -m.end))
    new_types = {n.id: tuple(n.type.split("|")) for n in new_entities}

    def types_of(ident: str) -> tuple[str, ...]:
        if ident in known.entities:
            return known.entities[ident].types
        return new_types.get(ident, tuple(next((n.type.split("|") for n in new_entities if n.id == ident), ())))

    def is_class(curie: str, ancestor: URIRef) -> bool:
        iri = _curie_to_iri(project, curie)
        return iri is not None and onto.is_subclass(iri, ancestor)

    def is_actor(curie: str) -> bool:
        return is_class(curie, KG.Actor)

    taken = set(known.ids) | {source_id} | {n.id for n in new_entities}
    attributions = attribute(text, sentences, mentions, types_of=types_of, is_actor=is_actor,
                             new_entities=new_entities, taken_ids=taken)
    new_types = {n.id: tuple(n.type.split("|")) for n in new_entities}
    times = find_times(text, language, published=published)
    existing = _existing_statements(project)
    builder = _Builder(text, source_id, taken | {n.id for n in new_entities}, existing)

    # 1. new entities and their aliases
    for entity in sorted(new_entities, key=lambda n: (n.start, n.id)):
        builder.add("entities", {"id": entity.id, "type": entity.type, "label": entity.label,
                                 "quote": text[entity.start:entity.end]},
                    "new-entity", f"a name no entity has ({entity.why})", entity.sentence, (entity.start, entity.end))
        for alias, a_start, a_end in entity.aliases:
            builder.add("statements", {"subject": entity.id, "predicate": "skos:altLabel", "object": alias,
                                       "quote": _quote(text, entity.start, a_end)},
                        "alias", "another name given right after it", entity.sentence, (a_start, a_end))
    # 2. time expressions
    time_ids = _time_rows(builder, known, source_id, text, times, sentences)
    # 3. per sentence: titles, events and their details
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    last_event = ""
    for sentence in sentences:
        attribution = attributions[sentence.index]
        in_sentence = by_sentence.get(sentence.index, [])
        _role_rows(builder, text, sentence, in_sentence, types_of, attribution)
        last_event = _event_rows(builder, text, sentence, in_sentence, types_of, is_class, attribution, times,
                                 time_ids, language, last_event)
    builder.rows.sort(key=lambda r: (r.sentence, r.span[0], r.id))
    for index, row in enumerate(builder.rows):
        row.id = f"r{index + 1:04d}"
    source = {"id": source_id, "language": language, "published": published, "sha256": digest(text.encode("utf-8"))}
    return Draft(source, text, sentences, mentions, times, attributions, builder.rows, builder.dropped)


def _existing_statements(project: Project) -> set[tuple[str, ...]]:
    tables = read_tables(project.data_dir)
    return {(r.get("subject", ""), r.get("predicate", ""), r.get("object", ""), r.get("source", ""))
            for _, _, r in tables["statements"]}


def _time_rows(builder: _Builder, known: Known, source_id: str, text: str, times: list[TimeMention],
               sentences: list[Sentence]) -> dict[int, str]:
    """Entities and statements rows for every time expression; returns start offset -> id."""
    ids: dict[int, str] = {}
    known_times = {fold_name(e.label): e.id for e in known.entities.values()
                   if any(t in ("kg:RelativeTime", "kg:AbsoluteTime") for t in e.types)}
    for t in times:
        sentence = next((s.index for s in sentences if s.start <= t.start < s.end), 0)
        words = t.words
        existing = known_times.get(fold_name(words)) or known_times.get(fold_name(t.text))
        ident = existing or builder.new_id(slug("time " + words if t.kind == "absolute" else words))
        ids[t.start] = ident
        if existing:
            continue
        quote = text[t.start:t.end]
        cls = "kg:AbsoluteTime" if t.kind == "absolute" and t.value else "kg:RelativeTime"
        builder.add("entities", {"id": ident, "type": cls, "label": words, "quote": quote}, "time",
                    f"a {t.kind} time expression, precise to the {t.unit}", sentence, (t.start, t.end))
        details = [("kg:expressionText", words), ("time:unitType", t.unit_curie)]
        if cls == "kg:RelativeTime":
            details.append(("kg:relativeTo", source_id))
        if t.value:
            prop = {10: "kg:date", 7: "kg:yearMonth", 4: "kg:year"}.get(len(t.value))
            if prop:
                details.append((prop, t.value))
        note = ""
        if t.kind == "relative" and t.interval:
            note = f"anchored to the publication date: {t.interval[0]} to {t.interval[1]}"
        for prop, value in details:
            builder.add("statements", {"subject": ident, "predicate": prop, "object": value, "quote": quote,
                                       "note": note if prop == "kg:relativeTo" else ""},
                        "time", "what the time expression says", sentence, (t.start, t.end))
    return ids


def _role_rows(builder: _Builder, text: str, sentence: Sentence, mentions: list[Mention],
               types_of: Callable[[str], tuple[str, ...]], attribution: Attribution) -> None:
    for m in mentions:
        if not m.entity or "kg:Person" not in types_of(m.entity):
            continue
        before = text[max(sentence.start, m.start - 40):m.start]
        title = _TITLES.search(before)
        if title:
            start = m.start - len(before) + title.start(1)
            builder.add("statements", {"subject": m.entity, "predicate": "kg:role", "object": title.group(1),
                                       "quote": _quote(text, start, m.end)},
                        "role", "a title before a person's name", sentence.index, (start, m.end))


#: kg:BoundScheme concepts (as find_numbers gives them) -> the bound column's notation.
_BOUND_NOTATIONS = {"kg:Exact": "exact", "kg:AtLeast": "at-least", "kg:AtMost": "at-most",
                    "kg:Approximately": "approximately", "kg:Vague": "vague"}


def _claim(attribution: Attribution, sentence: Sentence, start: int, end: int, subject: str) -> dict[str, str]:
    del sentence
    claimant, modality = claim_at(attribution, start, end)
    cells = {"modality": modality}
    if claimant and claimant != subject:
        cells["claimant"] = claimant
        # How the source reports the claimant's words: in quotation marks, or retold.
        cells["attribution"] = "direct-quote" if attribution.direct_quote else "reported-speech"
    return cells


def _event_rows(builder: _Builder, text: str, sentence: Sentence, mentions: list[Mention],
                types_of: Callable[[str], tuple[str, ...]], is_class: Callable[[str, URIRef], bool],
                attribution: Attribution, times: list[TimeMention], time_ids: dict[int, str], language: str,
                last_event: str) -> str:
    """Rows for the event a sentence reports (or refers back to: "the attack", "He blamed ...");
    returns the id of the event the next sentence may refer to."""
    trigger = None
    for pattern, event_type in _TRIGGER_RES:
        match = pattern.search(text, sentence.start, sentence.end)
        if match:
            trigger = (match, event_type)
            break
    numbers = [n for n in find_numbers(text, language, start=sentence.start, end=sentence.end) if n.prop]
    blames = list(_BLAME.finditer(text, sentence.start, sentence.end))
    if trigger is None and not numbers and not (blames and last_event):
        return last_event
    match, event_type = trigger if trigger else (None, "kg:Attack")
    if match:
        t_start, t_end = match.start(), match.end()
    elif numbers:
        t_start, t_end = numbers[0].start, numbers[0].end
    else:
        t_start, t_end = blames[0].start(), blames[0].end()
    places = [m for m in mentions if m.entity and any(is_class(t, KG.Place) for t in types_of(m.entity))]
    refers_back = last_event and (match is None and not numbers or match is not None and re.search(
        r"\b(?:the|that|this|el|la|este|esta|ese|esa|dicho|dicha)\s+(?:\w+\s+)?$",
        text[max(sentence.start, t_start - 20):t_start], re.IGNORECASE))
    if refers_back:
        event_id = last_event
    else:
        type_label = event_type.split(":")[1]
        words = re.sub(r"(?<!^)(?=[A-Z])", " ", type_label).lower()
        place = places[0].text if places else ""
        label = f"{words.capitalize()} in {place}" if place else f"{words.capitalize()}: {text[t_start:t_end]}"
        event_id = builder.new_id(slug(f"{words} {place}".strip()))
        span = _clause_span(attribution, t_start, t_end, sentence)
        builder.add("entities", {"id": event_id, "type": "kg:Event", "label": label, "quote": _quote(text, *span)},
                    "event", f"'{text[t_start:t_end]}' reports an event", sentence.index, (t_start, t_end))

    def detail(prop: str, obj: str, e_start: int, e_end: int, why: str, note: str = "", bound: str = "") -> None:
        s, e = _clause_span(attribution, min(e_start, t_start), max(e_end, t_end), sentence)
        cells = {"subject": event_id, "predicate": prop, "object": obj, "quote": _quote(text, s, e), "note": note}
        if bound:
            cells["bound"] = bound
        cells.update(_claim(attribution, sentence, e_start, e_end, event_id))
        builder.add("statements", cells, "event-detail", why, sentence.index, (e_start, e_end))

    if not refers_back:
        detail("kg:eventType", event_type, t_start, t_end,
               f"'{text[t_start:t_end]}'" if match else "no word names the event: its type is a guess")
    for p in places:
        detail("kg:place", p.entity, p.start, p.end, f"the place '{p.text}' in the sentence")
    for t in times:
        if sentence.start <= t.start < sentence.end and t.start in time_ids:
            detail("kg:hasTime", time_ids[t.start], t.start, t.end, f"the time '{t.text}' in the sentence")
    for n in numbers:
        # One row per figure: the number (or the words of a vague one) with its bound in the same
        # row, so the bound travels with the value (a kg:Quantity once built).
        bound = _BOUND_NOTATIONS[n.qualifier]
        figure = str(n.value) if n.value is not None else n.text
        detail(n.prop, figure, n.start, n.end, f"'{n.phrase}' ({bound})", bound="" if bound == "exact" else bound)
        if n.prop == "kg:count":
            detail("kg:countOf", n.count_of, n.start, n.end, f"'{n.phrase}'")
    for pattern, concept in _EQUIPMENT_RES:
        m = pattern.search(text, sentence.start, sentence.end)
        if m:
            detail("kg:usedEquipment", concept, m.start(), m.end(), f"'{m.group(0)}'")
            break
    for blame in _BLAME.finditer(text, sentence.start, sentence.end):
        after = [m for m in mentions if blame.end() <= m.start <= blame.end() + 60 and m.entity
                 and any(is_class(t, KG.Actor) for t in types_of(m.entity))
                 and re.fullmatch(r"[\s\w'’.-]{0,40}", text[blame.end():m.start])]
        if after:
            who = after[0]
            detail("kg:perpetrator", who.entity, blame.start(), who.end, f"'{blame.group(0)}' names who is blamed")
    return event_id


def _read_source_text(project: Project, known: Known, source_id: str) -> tuple[str, str, str]:
    source = known.sources.get(source_id)
    if source is None:
        hint = did_you_mean(source_id, known.sources)
        raise UsageError(f"no source has the id {source_id!r}"
                         + (f"; did you mean {hint[0]!r}?" if hint else "; add it with kg add-source FILE"))
    if not source.text_file:
        raise UsageError(f"source {source_id!r} has no text_file; drafting needs its text")
    path = project.find_source_text(source.text_file)
    if path is None:
        raise UsageError(f"the text of {source_id!r} ({source.text_file}) is not on the sources path; "
                         "pass --sources DIR")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return text, source.language, source.published


def draft_source(project: Project, source_id: str, *, spacy_model: str | None = None) -> Draft:
    """Draft candidate rows for one source of ``project`` (its text found on the sources path)."""
    known = known_of(project)
    text, language, published = _read_source_text(project, known, source_id)
    return draft_text(project, known, source_id, text, language=language, published=published,
                      spacy_model=spacy_model)


def dump_draft(draft: Draft) -> bytes:
    """The draft as the bytes of its JSON file (stable: the same draft gives the same bytes)."""
    return (json.dumps(draft.to_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_draft(project: Project, draft: Draft, path: Path | None = None, *, replace: bool = False) -> Path:
    """Write a draft to ``path`` (default ``drafts/SOURCE.json``), atomically. An existing draft
    with reviewed rows is kept unless ``replace``: reviewing is never lost to a re-draft."""
    path = path or draft_path(project, draft.source["id"])
    if path.is_file() and not replace:
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            reviewed = sum(1 for r in old.get("rows", []) if r.get("status") in ("accepted", "rejected", "edited"))
        except (OSError, ValueError):
            reviewed = 0
        if reviewed:
            raise UsageError(f"{path} holds {reviewed} reviewed row(s); pass --replace to draft again from scratch")
    write_atomic(path, dump_draft(draft))
    return path


def read_draft(path: Path) -> dict:
    """A drafts file as data (raises UsageError when it is not one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{path}: not a kg draft ({exc})") from None
    if not isinstance(data, dict) or data.get("kg_draft") != DRAFT_VERSION:
        raise UsageError(f"{path}: not a kg draft of version {DRAFT_VERSION}; run kg draft again")
    return data


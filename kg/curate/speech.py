"""Who speaks, and how surely: the claimant and the modality of each part of a text.

**Claimant.** Speech verbs and attribution phrases ("said", "told", "warned", "blamed",
"according to", "dijo", "confirmó", "atribuyó", "según") give the claimant: the actor named
next to the cue (before a verb: "Analysts say", "Alexander Marciniak, a ... analyst, said"; after
an inverted verb or a phrase: '," said Luis Aguirre', "according to security services", "Según el
ministro de Defensa, Pedro Sánchez"). "He said" is the last person who spoke. A sentence inside a
quotation that a speaker opened earlier (the next sentence of a quote, or a paragraph that
continues it with an opening quote mark) keeps that speaker. A claimant named by a common noun
("Police said", "local officials said") becomes a new collective actor.

**Modality** (a concept of kg:ModalityScheme), per clause: hedges and blame ("allegedly",
"reportedly", "presuntamente", "blamed", "the work of", "may have") make an allegation; warnings
and judgements ("warned", "poses a risk", "than ever") an assessment; "I wouldn't be surprised
if", "will", "could become" a forecast; anything else is a reported fact. A cue in a clause of
its own ("..., describing the strike as the work of EMC") changes only that clause; a speech verb
that frames the whole sentence ("..., intelligence analysts have warned") the whole sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kg.curate.known import slug, unique_id
from kg.curate.mentions import Mention, NewEntity
from kg.curate.sentences import Sentence
from kg.text import fold_name

__all__ = ["Attribution", "Clause", "attribute", "claim_at"]

_SPEECH_EN = (r"said|says|say|told|tells|added|adds|warned|warn|warns|stated|states|confirmed|confirms|"
              r"announced|announces|reported|reports|wrote|writes|claimed|claims|blamed|blames|accused|"
              r"accuses|alleged|alleges|attributed|attributes|tied|ties|condemned|described|describing|"
              r"insisted|argued|noted|explained|estimated|recorded|suspect|suspects|believe|believes|"
              r"spoke|speaks|told|testified|acknowledged|admitted|denied|promised")
_SPEECH_ES = (r"dijo|dice|dicen|afirmó|afirma|aseguró|asegura|confirmó|confirma|anunció|anuncia|informó|"
              r"informa|señaló|señala|declaró|declara|explicó|indicó|advirtió|advierte|atribuyó|atribuye|"
              r"acusó|acusa|culpó|culpa|denunció|sostuvo|reportó|escribió|había hablado|habló|"
              r"prometió|condenó|calificó|vinculó")
_PHRASES = r"according to|in the words of|según|de acuerdo con|citing|citando a"
_AUX = r"(?:(?:have|has|had|also|later|then|previously|again|ha|han|había|habían|también)\s+)*"
_SPEECH = re.compile(rf"\b(?:{_AUX})(?P<verb>{_SPEECH_EN}|{_SPEECH_ES})\b", re.IGNORECASE)
_PHRASE = re.compile(rf"\b(?P<phrase>{_PHRASES})\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|they|él|ella|ellos)\s+$", re.IGNORECASE)
_QUOTES = "\"“”«»"

#: Common nouns that name a collective claimant, with the classes of the new actor.
_COLLECTIVE = (
    (r"(?:local |state |national |federal )?police", "kg:PoliceForce|kg:CollectiveActor"),
    (r"(?:local |government |security |senior |us |u\.s\. )?officials", "kg:Person|kg:CollectiveActor"),
    (r"(?:the )?authorities|las autoridades|autoridades", "kg:StateBody|kg:CollectiveActor"),
    (r"(?:intelligence |security )?analysts|analistas", "kg:Person|kg:CollectiveActor"),
    (r"(?:local |national )?media|medios(?: locales)?", "kg:MediaOrganization|kg:CollectiveActor"),
    (r"investigators|investigadores", "kg:Person|kg:CollectiveActor"),
    (r"witnesses|testigos|residents|vecinos", "kg:Person|kg:CollectiveActor"),
    (r"(?:early |first |initial )?(?:intelligence )?reports", "kg:CollectiveActor"),
    (r"(?:a |one )?(?:european |ukrainian |us )?security source", "kg:Person|kg:UnnamedActor"),
)

_FORECAST = re.compile(
    r"wouldn'?t be surprised|would not be surprised|\bwill\b|\bis expected to\b|\bare expected to\b|"
    r"\b(?:is|are) likely to\b|\b(?:could|may|might) (?:soon )?become\b|\bse espera\b|\bpodría convertirse\b|"
    r"\bpredict|\bforecast|\bpronostic", re.IGNORECASE)
_ALLEGATION = re.compile(
    r"\ballegedly\b|\breportedly\b|\balleged\b|\bpurportedly\b|\bsupposedly\b|\bpresuntamente\b|"
    r"\bsupuestamente\b|\bpresunt[oa]s?\b|\bblamed\b|\bblames\b|\baccused\b|\bthe work of\b|"
    r"\battributed\b|\battributes\b|\btied the\b|\bresponsible\b|\bresponsables\b|\batribuy[óe]\b|"
    r"\bculp[óa]\b|\bacus[óa]\b|\b(?:may|might|could) have\b|\bsuspected?\b|\bsuspects\b|\bsospech",
    re.IGNORECASE)
_ASSESSMENT = re.compile(
    r"\bwarn(?:ed|s|ing)?\b|\badvirti[óe]\b|\bposes? (?:an? )?[\w ]{0,30}risk\b|\bthan ever\b|\bas big as ever\b|"
    r"\bassess|\bestimate[sd]?\b|\bbelieves?\b|\bprobable\b|\blikely\b|"
    r"\b(?:may|might|could)\b|\bpodría\b|\bconsidera", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r",\s+(?=(?:\w+ing|describing|blaming|adding|saying|accusing|which|who|while|but|"
                           r"and then|then|whereas|mientras|pero|aunque|y luego|tras)\b)|;\s+|\s+but\s+|\s+pero\s+",
                           re.IGNORECASE)
_PRIORITY = {"forecast": 3, "allegation": 2, "assessment": 1, "reported-fact": 0}


@dataclass(frozen=True)
class Clause:
    """A stretch of a sentence with one modality, and the words that gave it."""

    start: int
    end: int
    modality: str  # reported-fact, assessment, allegation, forecast
    cue: str = ""


@dataclass
class Attribution:
    """Who speaks in a sentence, through which cue, and the modality of each of its clauses."""

    sentence: int
    claimant: str = ""  # an entity id (known, or a new candidate's), "" for the source's own voice
    claimant_text: str = ""
    cue: str = ""
    inherited: bool = False
    direct_quote: bool = False
    clauses: list[Clause] = field(default_factory=list)


def _quote_marks(text: str) -> int:
    return sum(text.count(q) for q in _QUOTES)


def _is_actor(mention: Mention, types_of: Callable[[str], tuple[str, ...]], is_actor: Callable[[str], bool]) -> bool:
    ids = [mention.entity] if mention.entity else list(mention.candidates)
    return bool(ids) and all(any(is_actor(t) for t in types_of(i)) for i in ids)


def _clauses(text: str, sentence: Sentence, frame: str) -> list[Clause]:
    """The sentence's clauses with their modalities; ``frame`` is the modality a framing speech
    verb gives the whole sentence."""
    cuts = [sentence.start] + [sentence.start + m.end() for m in _CLAUSE_BREAK.finditer(sentence.text)] \
        + [sentence.end]
    out = []
    for s, e in itertools.pairwise(cuts):
        part = text[s:e]
        modality, cue = frame, ""
        for name, pattern in (("forecast", _FORECAST), ("allegation", _ALLEGATION), ("assessment", _ASSESSMENT)):
            m = pattern.search(part)
            if m and _PRIORITY[name] > _PRIORITY[modality]:
                modality, cue = name, m.group(0)
        out.append(Clause(s, e, modality, cue))
    return out


def attribute(text: str, sentences: list[Sentence], mentions: list[Mention], *,
              types_of: Callable[[str], tuple[str, ...]], is_actor: Callable[[str], bool],
              new_entities: list[NewEntity] | None = None, taken_ids: set[str] | None = None) -> list[Attribution]:
    """One :class:`Attribution` per sentence. ``types_of`` gives an entity id's classes and
    ``is_actor`` says whether a class is a kind of kg:Actor. Common-noun claimants are added to
    ``new_entities`` (with ids not in ``taken_ids``)."""
    new_entities = new_entities if new_entities is not None else []
    taken = set(taken_ids or ()) | {n.id for n in new_entities}
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out: list[Attribution] = []
    last_person = ("", "")
    open_quote = False
    quote_speaker: tuple[str, str] | None = None
    previous_end = -1
    for sentence in sentences:
        paragraph_start = previous_end < 0 or "\n" in text[previous_end:sentence.start]
        previous_end = sentence.end
        words = sentence.text
        starts_quoted = words[:1] in _QUOTES
        continues = paragraph_start and starts_quoted and open_quote  # a quote carried on a new paragraph
        if paragraph_start and not starts_quoted:
            open_quote = False
        inside = open_quote or starts_quoted
        marks = _quote_marks(words)
        actors = [m for m in by_sentence.get(sentence.index, []) if _is_actor(m, types_of, is_actor)]
        found = _find_claimant(text, sentence, actors, last_person, new_entities, taken, types_of)
        attribution = Attribution(sentence.index)
        if found is not None:
            claimant, claimant_text, cue, frame = found
            attribution.claimant, attribution.claimant_text, attribution.cue = claimant, claimant_text, cue
            attribution.direct_quote = marks > 0
            types = types_of(claimant) if claimant else ()
            if "kg:Person" in types and "kg:CollectiveActor" not in types:
                last_person = (claimant, claimant_text)
            if marks:
                quote_speaker = (claimant, claimant_text)
        else:
            frame = "reported-fact"
            if inside and quote_speaker is not None:
                attribution.claimant, attribution.claimant_text = quote_speaker
                attribution.cue, attribution.inherited, attribution.direct_quote = "(quotation)", True, True
        attribution.clauses = _clauses(text, sentence, frame)
        out.append(attribution)
        if (marks - (1 if continues else 0)) % 2 == 1:
            open_quote = not open_quote
    return out


def _find_claimant(text: str, sentence: Sentence, actors: list[Mention], last_person: tuple[str, str],
                   new_entities: list[NewEntity], taken: set[str], types_of: Callable[[str], tuple[str, ...]]):
    """(claimant id, its words, the cue, the framing modality) for a sentence, or None."""
    words = sentence.text
    for m in _PHRASE.finditer(words):
        after = sentence.start + m.end()
        collective = _collective(text, after, min(sentence.end, after + 60), new_entities, taken, sentence, gap=6)
        window = [a for a in actors if after <= a.start <= after + 70
                  and re.fullmatch(r"[\s\w'’]{0,30}", text[after:a.start])]
        if window and not (collective and _starts_before(text, after, window[0].start, collective[1])):
            person = next((a for a in actors if a.start > window[0].end and text[window[0].end:a.start].strip() == ","
                           and "kg:Person" in types_of(a.entity)), None)
            chosen = person or window[0]
            return chosen.entity or "", chosen.text, m.group("phrase"), "reported-fact"
        if collective:
            return (*collective, m.group("phrase"), "reported-fact")
    for m in _SPEECH.finditer(words):
        verb = m.group("verb")
        cue_start = sentence.start + m.start()
        cue_end = sentence.start + m.end()
        frame = "assessment" if re.match(r"warn|advirt", verb, re.IGNORECASE) else "reported-fact"
        before = text[sentence.start:cue_start]
        if _PRONOUN.search(before) and last_person[0]:
            return last_person[0], last_person[1], verb, frame
        # the subject before the verb, the nearest first; an appositive between them is skipped
        # ("Alexander Marciniak, a ... analyst for the Sibylline group, said")
        for subject in reversed([a for a in actors if a.end <= cue_start]):
            between = text[subject.end:cue_start]
            holder = text[sentence.start:subject.start]
            if re.search(r"\s(?:in|of|from|at|en|de)\s+$", holder):  # "a security official in Kyiv told"
                unnamed = _unnamed_before(text, sentence.start, subject.start - len(holder) + len(holder.rstrip()) - 3,
                                          new_entities, taken, sentence, slack=6)
                if unnamed:
                    return (*unnamed, verb, frame)
            if re.fullmatch(r"[\s,]*(?:(?:also|instead|later|then|too|again|today|recently|"
                            r"también|luego|después)[\s,]*)?", between) \
                    or re.fullmatch(r"[\s\w'’]{0,25}", between) and not re.search(r"\b(?:that|que)\b", between) \
                    or re.fullmatch(r"\s*,[^,\"“”]{1,120},\s*(?:also\s+|instead\s+)?", between):
                return subject.entity or "", subject.text, verb, frame
            break_here = re.search(r"[\"“”;.]", between)
            if break_here:
                break
        collective = _collective_before(text, sentence.start, cue_start, new_entities, taken, sentence)
        if collective:
            return (*collective, verb, frame)
        unnamed = _unnamed_before(text, sentence.start, cue_start, new_entities, taken, sentence)
        if unnamed:
            return (*unnamed, verb, frame)
        # an inverted verb after a quotation: '," said Chihuahua police chief of staff Luis Aguirre'
        if re.search(r"[\"“”],?\s*$", before):
            named_after = [a for a in actors if cue_end <= a.start <= cue_end + 80
                           and re.fullmatch(r"[\s\w'’.-]{0,60}", text[cue_end:a.start])]
            if named_after:
                chosen = next((a for a in named_after if a.entity and "kg:Person" in types_of(a.entity)),
                              named_after[0])
                return chosen.entity or "", chosen.text, verb, frame
            collective = _collective(text, cue_end, min(sentence.end, cue_end + 50), new_entities, taken, sentence)
            if collective:
                return (*collective, verb, frame)
    return None


def _collective_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<c{i}>\\b(?:{p})\\b)" for i, (p, _) in enumerate(_COLLECTIVE)), re.IGNORECASE)


_COLLECTIVE_RE = _collective_pattern()


def _collective_before(text, start, cue_start, new_entities, taken, sentence):
    match = None
    for m in _COLLECTIVE_RE.finditer(text, start, cue_start):
        match = m
    if match is None or not re.fullmatch(r"[\s\w'’]{0,20}", text[match.end():cue_start]):
        return None
    return _new_collective(match, new_entities, taken, sentence)


def _collective(text, start, end, new_entities, taken, sentence, gap: int = 25):
    m = _COLLECTIVE_RE.search(text, start, end)
    if m is None or not re.fullmatch(rf"[\s\w'’,]{{0,{gap}}}", text[start:m.start()]):
        return None
    return _new_collective(m, new_entities, taken, sentence)


def _starts_before(text: str, start: int, position: int, words: str) -> bool:
    """True when ``words`` occur between ``start`` and ``position``."""
    return words in text[start:position + len(words)] and text.find(words, start) < position


_UNNAMED_RE = re.compile(r"\b(?:a|an|one|un|una)\s+((?:[A-Z]\w+\s+|[a-z]+\s+){0,3}?"
                         r"(?:official|source|spokesman|spokeswoman|spokesperson|officer|diplomat|analyst|"
                         r"expert|commander|investigator|funcionario|fuente|portavoz|vocero|analista))\b")


def _unnamed_before(text, start, cue_start, new_entities, taken, sentence, slack: int = 20):
    match = None
    for m in _UNNAMED_RE.finditer(text, start, cue_start):
        match = m
    if match is None or not re.fullmatch(rf"[\s\w'’]{{0,{slack}}}", text[match.end():cue_start]):
        return None
    label = match.group(0)
    existing = next((n for n in new_entities if fold_name(n.label) == fold_name(label)), None)
    if existing is None:
        ident = unique_id(slug(match.group(1)), taken)
        taken.add(ident)
        existing = NewEntity(ident, label, "kg:Person|kg:UnnamedActor", match.start(), match.end(), sentence.index,
                             "an unnamed claimant")
        new_entities.append(existing)
    return existing.id, label



def _new_collective(match: re.Match[str], new_entities: list[NewEntity], taken: set[str], sentence: Sentence):
    label = match.group(0)
    index = next(int(k[1:]) for k, v in match.groupdict().items() if v)
    types = _COLLECTIVE[index][1]
    existing = next((n for n in new_entities if fold_name(n.label) == fold_name(label)), None)
    if existing is None:
        ident = unique_id(slug(label), taken)
        taken.add(ident)
        existing = NewEntity(ident, label, types, match.start(), match.end(), sentence.index,
                             "a collective claimant named by a common noun")
        new_entities.append(existing)
    return existing.id, label


def claim_at(attribution: Attribution, start: int, end: int) -> tuple[str, str]:
    """The claimant (an id, "" for the source's own voice) and modality of the words
    ``start:end`` of an attributed sentence: the strongest modality of the clauses they overlap."""
    modality = "reported-fact"
    for clause in attribution.clauses:
        if clause.start < end and start < clause.end and _PRIORITY[clause.modality] > _PRIORITY[modality]:
            modality = clause.modality
    return attribution.claimant, modality

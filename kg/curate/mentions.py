"""Mentions of entities in a text: known ones matched through their names, and new candidates.

**Known entities.** Every entity's label and aliases (and, for a person, the surname and a quoted
nickname: "Marciniak", "El Chapo") are folded for case, accents and punctuation
(:func:`kg.text.fold_name`) into a gazetteer of token sequences. The text is scanned left to
right, longest name first; a capitalised word run that matches no name exactly is compared with
the names of about its length by rapidfuzz (a small typo: "Marcinak", "Sheinbuam"). A name two
entities share ("police") is reported with both candidates and linked to neither.

**New entities.** Runs of capitalised words that name nothing known ("Clan del Golfo",
"Pedro Sánchez", "Marco Fidel Suárez Air Base") become candidates with a suggested id and a class
guessed from cue words inside or before them (``cartel``/``Clan`` -> kg:Cartel, ``President`` ->
kg:Person, ``in`` + a country name -> kg:Country ...). A name in brackets or after "known as" /
"alias" becomes an alias of the candidate before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from kg.curate.known import Known, KnownEntity, slug, unique_id
from kg.curate.sentences import Sentence
from kg.text import fold_name

__all__ = ["Gazetteer", "Mention", "NewEntity", "find_mentions"]

_TOKEN = re.compile(r"\w+", re.UNICODE)
_FUZZY_MIN = 88.0
_NON_NAME_TYPES = ("kg:RelativeTime", "kg:AbsoluteTime", "kg:TimeExpression", "kg:Event")

#: Capitalised words that start sentences or name months and days: never a new entity alone.
_COMMON = frozenset(fold_name(w) for w in [
    "The", "A", "An", "In", "On", "At", "As", "By", "For", "From", "Of", "To", "And", "But", "Or", "If", "When",
    "While", "After", "Before", "Since", "During", "Once", "Meanwhile", "This", "That", "These", "Those", "There",
    "Their", "They", "Them", "He", "She", "It", "We", "I", "You", "His", "Her", "Its", "Our", "Your", "Some", "One",
    "Two", "Three", "Among", "Early", "Later", "Last", "Next", "Local", "Background", "Investigators", "Reports",
    "According", "Police", "Authorities", "Analysts", "Casualties", "Thirteen", "Horas", "Hacia", "Por", "Para",
    "Según", "Con", "Sin", "Entre", "Desde", "Durante", "Tras", "Ante", "El", "La", "Los", "Las", "Un", "Una", "Unos",
    "Unas", "Al", "Del", "Este", "Esta", "Estos", "Estas", "Ese", "Esa", "Su", "Sus", "Lo", "Le", "Les", "Se", "Como",
    "Pero", "Y", "O", "Ya", "Más", "Muy", "También", "Colombia", "Mexico", "Mexican", "Mexicans", "Colombian",
    "Colombians", "Ukrainian", "Ukrainians", "Salvadoran", "Panamanian", "Venezuelan", "European", "Europeans",
    "American", "Latin", "Chinese", "French", "Spanish", "Russian", "Spanish-speaking", "Mexicano", "Mexicanos",
    "Colombiano", "Colombianos", "Ucraniano", "Ucranianos", "Francés", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado",
    "Domingo", "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre", "Setiembre",
    "Octubre", "Noviembre", "Diciembre", "Mr", "Mrs", "Ms", "Dr", "President", "Presidente", "Governor", "Gobernador",
    "Minister", "Ministro", "Director", "Commander", "Defence", "Defense",
])
#: Small words that may sit inside a proper name ("Clan del Golfo", "Security Service of Ukraine").
_ARTICLES = frozenset(["a", "an", "the", "one", "el", "la", "los", "las", "un", "una"])
_CONNECTORS = frozenset(["de", "del", "la", "las", "los", "of", "the", "for"])
#: Capitalised tokens that are not names (technical acronyms, a platform named by one letter).
_NOT_NAMES = frozenset(["fpv", "uav", "uh", "gps", "tnt", "x", "ii", "iii", "ok", "tv", "usd"])
_DEMONYMS = frozenset(fold_name(w) for w in [
    "Mexican", "Mexicans", "Colombian", "Colombians", "Ukrainian", "Ukrainians", "Salvadoran", "Panamanian",
    "Venezuelan", "European", "American", "Latin", "Chinese", "French", "Spanish", "Russian", "Mexicano", "Mexicana",
    "Colombiano", "Colombiana", "Ucraniano", "Ucraniana",
])

#: Cue words inside a name -> class.
_INSIDE_CUES: tuple[tuple[str, str], ...] = (
    ("news", "kg:MediaOrganization"), ("times", "kg:MediaOrganization"), ("post", "kg:MediaOrganization"),
    ("telegraph", "kg:MediaOrganization"), ("online", "kg:MediaOrganization"), ("journal", "kg:MediaOrganization"),
    ("noticias", "kg:MediaOrganization"), ("paper", "kg:MediaOrganization"), ("press", "kg:MediaOrganization"),
    ("cartel", "kg:Cartel"), ("cártel", "kg:Cartel"), ("clan", "kg:Cartel"), ("zetas", "kg:Cartel"),
    ("front", "kg:ArmedGroup"), ("frente", "kg:ArmedGroup"), ("dissidents", "kg:DissidentFaction"),
    ("legion", "kg:ForeignLegion"), ("legión", "kg:ForeignLegion"),
    ("police", "kg:PoliceForce"), ("policía", "kg:PoliceForce"), ("policia", "kg:PoliceForce"),
    ("guard", "kg:NationalGuard"), ("guardia", "kg:NationalGuard"),
    ("army", "kg:ArmedForces"), ("ejército", "kg:ArmedForces"), ("air force", "kg:ArmedForces"),
    ("fuerza aérea", "kg:ArmedForces"), ("navy", "kg:ArmedForces"), ("armada", "kg:ArmedForces"),
    ("special forces", "kg:ArmedForces"), ("tactical group", "kg:MilitaryUnit"), ("unit", "kg:MilitaryUnit"),
    ("ministry", "kg:Ministry"), ("ministerio", "kg:Ministry"),
    ("intelligence", "kg:SecurityService"), ("inteligencia", "kg:SecurityService"),
    ("security service", "kg:SecurityService"), ("counterintelligence", "kg:SecurityService"),
    ("government", "kg:Government"), ("gobierno", "kg:Government"),
    ("academy", "kg:Organization"), ("academia", "kg:Organization"), ("group", "kg:Organization"),
    ("base", "kg:Place"), ("valle", "kg:AdminRegion"), ("department", "kg:AdminRegion"),
    ("departamento", "kg:AdminRegion"), ("region", "kg:Region"), ("región", "kg:Region"),
)
#: Words just before a name -> class.
_BEFORE_CUES: tuple[tuple[str, str], ...] = (
    ("president", "kg:Person"), ("presidente", "kg:Person"), ("governor", "kg:Person"),
    ("gobernador", "kg:Person"), ("minister", "kg:Person"), ("ministro", "kg:Person"),
    ("director", "kg:Person"), ("directora", "kg:Person"), ("commander", "kg:Person"),
    ("comandante", "kg:Person"), ("alias", "kg:Person"), ("callsign", "kg:Person"), ("aliases", "kg:Person"),
    ("chief", "kg:Person"), ("jefe", "kg:Person"), ("general", "kg:Person"), ("colonel", "kg:Person"),
    ("coronel", "kg:Person"), ("called", "kg:Person"), ("llamado", "kg:Person"), ("sr", "kg:Person"),
    ("mr", "kg:Person"), ("ms", "kg:Person"), ("mrs", "kg:Person"), ("dr", "kg:Person"),
    ("outlet", "kg:MediaOrganization"), ("newspaper", "kg:MediaOrganization"), ("diario", "kg:MediaOrganization"),
    ("in", "kg:Place"), ("en", "kg:Place"), ("near", "kg:Place"), ("cerca de", "kg:Place"), ("of", "kg:Place"),
)
_ALIAS_AFTER = re.compile(r'^\s*(?:,\s*)?(?:known as|alias|aka|conocido como|apodado|called|llamado)\s+["“«]?',
                          re.IGNORECASE)


def _countries() -> frozenset[str]:
    import pycountry

    names = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(fold_name(value))
    names |= {fold_name(n) for n in ("México", "Perú", "España", "Estados Unidos", "Panamá", "Ucrania",
                                     "Rusia", "Brasil", "Venezuela", "Ecuador", "US", "USA", "UK")}
    return frozenset(names)


_COUNTRIES: frozenset[str] | None = None


@dataclass(frozen=True)
class Mention:
    """A stretch of the text that names an entity (or could)."""

    start: int
    end: int
    text: str
    entity: str = ""  # the id linked: a known entity or a new candidate; "" when ambiguous
    candidates: tuple[str, ...] = ()  # the ids it may name
    known: bool = True
    how: str = "label"  # label, alias, surname, fuzzy, new
    score: float = 100.0
    sentence: int = 0


@dataclass
class NewEntity:
    """A name that no known entity has: a candidate for a new entities row."""

    id: str
    label: str
    type: str
    start: int
    end: int
    sentence: int
    why: str
    aliases: list[tuple[str, int, int]] = field(default_factory=list)  # (alias, start, end)


@dataclass
class Gazetteer:
    """Folded names -> entity ids, and the names by length for typo matching."""

    entries: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict)  # tokens -> {id: how}
    longest: int = 1
    entities: dict[str, KnownEntity] = field(default_factory=dict)

    @classmethod
    def from_known(cls, known: Known) -> Gazetteer:
        """Every name of every nameable entity (times and events are described, not named)."""
        gaz = cls(entities=dict(known.entities))
        for entity in known.entities.values():
            if any(t in _NON_NAME_TYPES for t in entity.types):
                continue
            for name in entity.names:
                gaz.add(name, entity.id, "label" if name == entity.label else "alias")
            if "kg:Person" in entity.types and "kg:UnnamedActor" not in entity.types \
                    and "kg:CollectiveActor" not in entity.types:
                for name in person_variants(entity.label):
                    gaz.add(name, entity.id, "surname")
        return gaz

    def add(self, name: str, entity_id: str, how: str) -> None:
        """Add one name of an entity (a name's first source wins: a label beats a surname)."""
        tokens = tuple(_TOKEN.findall(fold_name(name)))
        if not tokens:
            return
        slot = self.entries.setdefault(tokens, {})
        slot.setdefault(entity_id, how)
        self.longest = max(self.longest, len(tokens))
        if len(tokens) > 2 and tokens[0] in _ARTICLES:  # "a Ukrainian security official" is also "one ..."
            self.entries.setdefault(tokens[1:], {}).setdefault(entity_id, how)

    def names_of_length(self, n: int) -> list[tuple[tuple[str, ...], dict[str, str]]]:
        """The names of ``n`` tokens (for typo matching)."""
        return [(k, v) for k, v in self.entries.items() if len(k) == n]


def person_variants(label: str) -> list[str]:
    """Shorter names a person goes by in running text: the surname, and a quoted nickname
    ("Joaquín "El Chapo" Guzmán" -> "El Chapo", "Joaquín Guzmán", "Guzmán")."""
    out = []
    nickname = re.search(r'["“«]([^"”»]+)["”»]', label)
    if nickname:
        out.append(nickname.group(1))
        label = (label[:nickname.start()] + label[nickname.end():]).strip()
        out.append(" ".join(label.split()))
    words = label.split()
    if len(words) >= 2:
        out.append(words[-1])
    return out


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start() + start, m.end() + start, m.group(0)) for m in _TOKEN.finditer(text[start:end])]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _sentence_of(sentences: list[Sentence], offset: int) -> int:
    for s in sentences:
        if s.start <= offset < s.end:
            return s.index
    return sentences[-1].index if sentences else 0


def find_mentions(text: str, sentences: list[Sentence], gazetteer: Gazetteer, *,
                  taken_ids: Iterable[str] = ()) -> tuple[list[Mention], list[NewEntity]]:
    """Every mention of a known entity, and every new-entity candidate, in reading order."""
    mentions: list[Mention] = []
    candidates: dict[str, NewEntity] = {}  # folded name -> candidate
    taken = set(taken_ids)
    for sentence in sentences:
        tokens = _tokens(text, sentence.start, sentence.end)
        i = 0
        pending_caps: list[tuple[int, int, str]] = []
        while i < len(tokens):
            if pending_caps and not _joined(text, pending_caps[-1], tokens[i]):
                _flush_caps(text, sentence, pending_caps, mentions, candidates, taken, gazetteer)
                pending_caps = []
            in_name = len(pending_caps) >= 2 and fold_name(pending_caps[-1][2]) in _CONNECTORS
            found = None if in_name else _match_known(tokens, i, gazetteer, i == 0)
            if found is None and not in_name:
                found = _match_fuzzy(tokens, i, gazetteer)
            if found is not None:
                length, ids, how, score = found
                _flush_caps(text, sentence, pending_caps, mentions, candidates, taken, gazetteer)
                pending_caps = []
                start, end = tokens[i][0], tokens[i + length - 1][1]
                entity = next(iter(ids)) if len(ids) == 1 else ""
                mentions.append(Mention(start, end, text[start:end], entity, tuple(sorted(ids)), True, how,
                                        score, sentence.index))
                i += length
                continue
            word = tokens[i][2]
            if _is_capitalised(word) or (pending_caps and fold_name(word) in _CONNECTORS
                                         and i + 1 < len(tokens) and _is_capitalised(tokens[i + 1][2])):
                pending_caps.append(tokens[i])
            else:
                _flush_caps(text, sentence, pending_caps, mentions, candidates, taken, gazetteer)
                pending_caps = []
            i += 1
        _flush_caps(text, sentence, pending_caps, mentions, candidates, taken, gazetteer)
    mentions.sort(key=lambda m: (m.start, -m.end))
    return mentions, sorted(candidates.values(), key=lambda c: c.start)


def _joined(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    """True when two tokens may belong to one name: only a space or a hyphen between them."""
    gap = text[left[1]:right[0]]
    return gap in (" ", "-")


def _match_known(tokens, i, gazetteer: Gazetteer, sentence_start: bool):
    folded = [fold_name(t[2]) for t in tokens[i:i + gazetteer.longest]]
    for length in range(min(gazetteer.longest, len(folded)), 0, -1):
        key = tuple(w for f in folded[:length] for w in f.split())
        ids = gazetteer.entries.get(key)
        if ids:
            # A common-noun name ("police") written with a capital inside a sentence is part of
            # a proper name the gazetteer does not know ("National Police"): not a mention of it.
            if length == 1 and not sentence_start and _is_capitalised(tokens[i][2]) \
                    and all(not gazetteer.entities[e].label[:1].isupper() for e in ids if e in gazetteer.entities):
                continue
            labels = dict(ids)
            best_how = "label" if "label" in labels.values() else next(iter(sorted(labels.values())))
            return length, set(ids), best_how, 100.0
    return None


def _match_fuzzy(tokens, i, gazetteer: Gazetteer):
    """A capitalised run of 1-4 words within a small typo of a known proper name."""
    if not _is_capitalised(tokens[i][2]):
        return None
    best = None
    for length in range(min(4, len(tokens) - i), 0, -1):
        words = [t[2] for t in tokens[i:i + length]]
        if not all(_is_capitalised(w) or fold_name(w) in _CONNECTORS for w in words) or not _is_capitalised(words[-1]):
            continue
        folded = " ".join(fold_name(w) for w in words)
        if len(folded) < 5:
            continue
        for key, ids in gazetteer.names_of_length(length):
            name = " ".join(key)
            if abs(len(name) - len(folded)) > 2 or name[0] != folded[0]:
                continue
            if name.startswith(folded) or folded.startswith(name):
                continue  # another form of the word ("Colombian", "Latin American"), not a typo
            if not any(gazetteer.entities[e].label[:1].isupper() for e in ids if e in gazetteer.entities):
                continue
            score = fuzz.ratio(folded, name)
            if score >= _FUZZY_MIN and score < 100 and (best is None or score > best[3]):
                best = (length, set(ids), "fuzzy", score)
        if best is not None:
            return best
    return None


def _flush_caps(text, sentence: Sentence, caps, mentions, candidates, taken, gazetteer) -> None:
    """Turn a run of capitalised words into a new-entity candidate, if it names something."""
    while caps and fold_name(caps[-1][2]) in _CONNECTORS:
        caps = caps[:-1]
    while caps and (fold_name(caps[0][2]) in _COMMON or fold_name(caps[0][2]) in _CONNECTORS):
        # a sentence-initial or common word ("The", "Según") is not part of the name, unless the
        # run is a known name's beginning ("The Telegraph" is handled by the gazetteer)
        caps = caps[1:]
    if not caps:
        return
    if len(caps) == 1 and caps[0][2].lower() == caps[0][2]:
        return
    start, end = caps[0][0], caps[-1][1]
    label = text[start:end]
    folded = fold_name(label)
    if not folded or (len(caps) == 1 and len(label) < 3 and not label.isupper()):
        return
    if len(caps) == 1 and (folded in _DEMONYMS or folded in _NOT_NAMES):
        return
    existing = candidates.get(folded) or next((c for c in candidates.values()
                                               if any(fold_name(a) == folded for a, _, _ in c.aliases)), None)
    if existing is None:
        type_, why = _guess_class(text, start, label)
        ident = unique_id(slug(label), taken | {c.id for c in candidates.values()})
        existing = candidates[folded] = NewEntity(ident, label, type_, start, end, sentence.index, why)
        alias = _alias_after(text, end, sentence.end)
        if alias:
            existing.aliases.append(alias)
    mentions.append(Mention(start, end, label, existing.id, (existing.id,), False, "new", 100.0, sentence.index))


def _alias_after(text: str, end: int, limit: int) -> tuple[str, int, int] | None:
    """A name given right after another: "(SBU)", ", known as "Calarcá Córdoba"", "alias Calarcá"."""
    rest = text[end:limit]
    bracket = re.match(r"^\s*\(([A-ZÁÉÍÓÚÑ][\w.\- ]{0,40})\)", rest)
    if bracket:
        return bracket.group(1), end + bracket.start(1), end + bracket.end(1)
    lead = _ALIAS_AFTER.match(rest)
    if lead:
        name = re.match(r"([A-ZÁÉÍÓÚÑ][\w\-]*(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][\w\-]*)*)", rest[lead.end():])
        if name:
            s = end + lead.end() + name.start(1)
            return name.group(1), s, s + len(name.group(1))
    return None


def _guess_class(text: str, start: int, label: str) -> tuple[str, str]:
    """A class for a new name, and why: a cue word in it, a word before it, or its shape."""
    global _COUNTRIES
    if _COUNTRIES is None:
        _COUNTRIES = _countries()
    folded = fold_name(label)
    if folded in _COUNTRIES:
        return "kg:Country", "a country's name"
    padded = f" {folded} "
    for cue, cls in _INSIDE_CUES:
        if f" {fold_name(cue)} " in padded:
            return cls, f"'{cue}' in the name"
    before = fold_name(text[max(0, start - 40):start]).split()
    for cue, cls in _BEFORE_CUES:
        cue_words = fold_name(cue).split()
        if before[-len(cue_words):] == cue_words:
            if cls == "kg:Place" and len(label.split()) > 1 and not label.split()[-1][:1].isupper():
                continue
            return cls, f"'{cue}' before the name"
    words = label.split()
    if len(words) == 1 and label.isupper() and len(label) >= 2:
        return "kg:Organization", "an acronym"
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return "kg:Person", "two to four capitalised words"
    return "kg:Organization", "a capitalised name"

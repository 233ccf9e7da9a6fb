"""Numbers with their bounds, and what they count: "at least 18 people were killed", "al menos
ocho muertos", "dozens wounded", "115 drone attacks", "a pair of incidents".

A number is digits or number words (English and Spanish, up to the hundreds), or a vague
quantity ("dozens", "decenas", "hundreds"). The words before it give the bound, a concept of
kg:BoundScheme: ``at least``/``more than``/``al menos``/``más de`` -> kg:AtLeast,
``up to``/``at most``/``hasta`` -> kg:AtMost, ``about``/``nearly``/``unos``/``cerca de`` ->
kg:Approximately, a vague word -> kg:Vague, none -> kg:Exact. A count is exact only when the text
makes it exact: "a pair of"/"a couple of"/"un par de" are about 2, and "a colonel was killed" is at
least 1 (one death is stated, not that it was the only one). The words after it (or a verb a
little further: "Thirteen police officers on board died") say what it counts: the dead
(kg:killed), the wounded (kg:wounded) or events (kg:count, with kg:countOf). Years, clock
times, ordinals and numbers inside names ("UH-60", "Aguila 7") are not counts.

>>> [(n.value, n.qualifier, n.prop, n.text) for n in find_numbers("At least 18 people were killed and dozens wounded.")]
[(18, 'kg:AtLeast', 'kg:killed', 'At least 18'), (None, 'kg:Vague', 'kg:wounded', 'dozens')]
>>> [(n.value, n.qualifier, n.prop) for n in find_numbers("dejó al menos ocho muertos y decenas de heridos", "es")]
[(8, 'kg:AtLeast', 'kg:killed'), (None, 'kg:Vague', 'kg:wounded')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NumberMention", "find_numbers"]

_UNITS = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
           "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
           "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
           "a dozen": 12, "a pair of": 2, "a couple of": 2, "a hundred": 100, "a single": 1},
    "es": {"uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
           "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
           "dieciséis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "treinta": 30,
           "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
           "cien": 100, "ciento": 100, "una docena de": 12, "un par de": 2},
}
#: Number words that count loosely: exact only in name ("a pair of incidents" is about two).
_LOOSE = frozenset({"a pair of", "a couple of", "un par de"})
_VAGUE = {
    "en": ("dozens", "scores", "hundreds", "thousands", "several", "a handful of", "many", "numerous"),
    "es": ("decenas", "docenas", "cientos", "centenares", "miles", "varios", "varias", "numerosos", "numerosas"),
}
_BOUNDS = (
    ("kg:AtLeast", ("at least", "no fewer than", "no less than", "more than", "over", "upwards of",
                    "al menos", "por lo menos", "más de", "mas de", "como mínimo")),
    ("kg:AtMost", ("up to", "at most", "no more than", "fewer than", "less than", "under",
                   "hasta", "como máximo", "menos de")),
    ("kg:Approximately", ("about", "around", "nearly", "almost", "some", "roughly", "approximately",
                          "an estimated", "unos", "unas", "alrededor de", "cerca de", "casi",
                          "aproximadamente")),
)
_KILLED = re.compile(r"^(?:people |persons |civilians |officers |police(?: officers)? |soldiers |"
                     r"troops |policías |personas |civiles |uniformados |militares |soldados )?"
                     r"(?:\w+ ){0,5}?(killed|dead|died|deaths|lost their lives|were killed|muertos|muertas|"
                     r"murieron|fallecidos|fallecieron|asesinados|perdieron la vida)\b", re.IGNORECASE)
_WOUNDED = re.compile(r"^(?:\w+ ){0,5}?(?:de )?(wounded|injured|hurt|heridos|heridas|lesionados)\b", re.IGNORECASE)
_EVENTS = re.compile(r"^(?:\w+ ){0,2}?(drone attacks|attacks|incidents|strikes|bombings|atentados|ataques|"
                     r"incidentes)\b", re.IGNORECASE)
_KILLING_BEFORE = re.compile(r"\b(killing|killed|died|matando|mató|murieron|fallecieron|dejó|left)\s+$",
                             re.IGNORECASE)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|enero|"
           "febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre")
_DATE_AFTER = re.compile(rf"^(?:\s+de)?\s+(?:{_MONTHS})\b", re.IGNORECASE)
_DATE_BEFORE = re.compile(rf"\b(?:{_MONTHS})\s+$", re.IGNORECASE)
_SINGLE_KILLED = re.compile(r"\b(an?|one|un|una)\s+((?:[A-Z]\w+\s+){0,3}[a-z]\w+)\s+(was|fue)\s+"
                            r"(killed|murdered|asesinad[oa]|muert[oa])\b")


@dataclass(frozen=True)
class NumberMention:
    """A quantity in the text: its value (None when vague), bound, what it counts and its words."""

    start: int
    end: int
    text: str  # the bound and the number, verbatim ("At least 18", "dozens")
    value: int | None
    qualifier: str  # a CURIE of kg:BoundScheme
    prop: str  # kg:killed, kg:wounded, kg:count, or "" when it counts something else
    count_of: str = ""  # for kg:count: the event type counted
    phrase: str = ""  # the number with what it counts ("At least 18 people were killed")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _number_pattern(language: str) -> re.Pattern[str]:
    langs = ("en", "es") if language not in _UNITS else (language,)
    words = [w for lang in langs for w in _UNITS[lang]]
    vague = [w for lang in langs for w in _VAGUE[lang]]
    bounds = [b for _, group in _BOUNDS for b in group]
    return re.compile(
        rf"(?<![\w$€£#:.-])(?:(?P<bound>{_alternation(bounds)})\s+)?"
        rf"(?:(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+)(?![\w:.,]\d|-\w|\w)"
        rf"|(?P<words>(?:{_alternation(words)})(?:[ -](?:{_alternation(words)}))?)\b"
        rf"|(?P<vague>{_alternation(vague)})\b)",
        re.IGNORECASE)


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _value(match: re.Match[str], language: str) -> int | None:
    if match.group("digits"):
        return int(match.group("digits").replace(",", ""))
    if match.group("words"):
        total = 0
        for lang in (language, "en", "es"):
            table = _UNITS.get(lang, {})
            text = match.group("words").lower()
            if text in table:
                return table[text]
            parts = re.split(r"[ -]", text)
            if all(p in table for p in parts):
                for p in parts:
                    total = total * table[p] if table[p] == 100 and total else total + table[p]
                return total
    return None


def _is_not_a_count(text: str, match: re.Match[str]) -> bool:
    digits = match.group("digits")
    before = text[max(0, match.start() - 12):match.start()]
    after = text[match.end():match.end() + 3]
    if digits and len(digits) == 4 and 1900 <= int(digits) <= 2100:
        return True  # a year
    if digits and re.match(r"^(st|nd|rd|th|º|ª|°|%)", after):
        return True
    if digits and (_DATE_AFTER.match(text[match.end():match.end() + 16]) or _DATE_BEFORE.search(before)):
        return True  # a day of a date: 21 de agosto, August 21
    if re.search(r"(\$|€|£|US\$)\s*$", before):
        return True
    # inside a name: UH-60, Aguila 7, Eagle 7
    return bool(re.search(r"[A-Za-z]-$|[A-Z]\w*\s$", before) and digits and not match.group("bound"))


def _past_spaces(text: str, pos: int) -> int:
    """The position in ``text`` of the first character at or after ``pos`` that is not a space."""
    return pos + (len(text[pos:]) - len(text[pos:].lstrip()))


def find_numbers(text: str, language: str = "en", *, start: int = 0, end: int | None = None) -> list[NumberMention]:
    """The quantities in ``text[start:end]`` with their bounds and what they count."""
    end = len(text) if end is None else end
    pattern = _PATTERNS.setdefault(language, _number_pattern(language))
    out: list[NumberMention] = []
    for match in pattern.finditer(text, start, end):
        if _is_not_a_count(text, match):
            continue
        words = match.group("words") or ""
        if words.lower() in ("un", "una", "uno", "one", "a single") and not match.group("bound"):
            continue  # "un helicóptero", "one case": an article, not a count
        value = _value(match, language)
        bound = (match.group("bound") or "").lower()
        qualifier = "kg:Vague" if match.group("vague") else "kg:Exact"
        for concept, phrases in _BOUNDS:
            if bound in phrases:
                qualifier = concept if not match.group("vague") else "kg:Vague"
        if qualifier == "kg:Exact" and words.lower() in _LOOSE:
            qualifier = "kg:Approximately"  # "a pair of incidents": about two, as worded
        after = text[match.end():min(end, match.end() + 80)].lstrip()
        before = text[max(start, match.start() - 14):match.start()]
        prop, count_of, phrase_end = "", "", match.end()
        if (m := _KILLED.match(after)) and not _WOUNDED.match(after[:m.start(1)]):
            prop, phrase_end = "kg:killed", _past_spaces(text, match.end()) + m.end()
        elif m := _WOUNDED.match(after):
            prop, phrase_end = "kg:wounded", _past_spaces(text, match.end()) + m.end()
        elif m := _EVENTS.match(after):
            prop = "kg:count"
            kind = m.group(1).lower()
            count_of = "kg:DroneAttack" if "drone" in kind else "kg:Attack"
            phrase_end = match.end() + (len(text[match.end():]) - len(text[match.end():].lstrip())) + m.end()
        elif _KILLING_BEFORE.search(before) and value is not None:
            prop = "kg:killed"
        out.append(NumberMention(match.start(), match.end(), text[match.start():match.end()], value, qualifier,
                                 prop, count_of, text[match.start():phrase_end]))
    for m in _SINGLE_KILLED.finditer(text, start, end):
        if not any(n.start <= m.start() < n.end for n in out):
            out.append(NumberMention(m.start(), m.end(), text[m.start():m.end()], 1, "kg:AtLeast", "kg:killed",
                                     "", text[m.start():m.end()]))
    return sorted(out, key=lambda n: n.start)


def money(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str, str]]:
    """Prices in US dollars: ``(start, end, words, amount)`` for "$400", "US$ 1,200"."""
    end = len(text) if end is None else end
    found = []
    for m in re.finditer(r"(?:US)?\$\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)", text[start:end]):
        found.append((start + m.start(), start + m.end(), m.group(0), m.group(1).replace(",", "")))
    return found

"""Dates and relative time expressions in English and Spanish, anchored to a publication date.

Expressions are found by rules ("last week", "over the past year", "in the last three or four
months", "on Thursday", "el jueves 21 de agosto", "la semana pasada", "hace dos días", "in March
2024", "en 2016", "recently", "later") and each gets its precision (an OWL-Time unit: day, week,
month, year, or kg:unitUnspecified) and whether it is absolute or relative. Calendar words are
read by dateparser (pinned), configured to be offline and deterministic: the language is given,
never detected; ``RELATIVE_BASE`` is the source's publication date, or a fixed date when it is
unknown (then relative expressions stay unresolved and a date without its year is not completed);
the time zone is UTC, so the machine's locale and clock never matter.

Anchoring follows the news convention: a weekday is the latest such day on or before the
publication date ("on Thursday" in a Thursday paper is that day), "last week" the calendar week
before the publication's week.

>>> [(t.text, t.kind, t.unit, t.value) for t in find_times("Two attacks last week and one on 21 August 2025.", "en")]
[('last week', 'relative', 'week', ''), ('on 21 August 2025', 'absolute', 'day', '2025-08-21')]
>>> t = find_times("Colombia sufrió el jueves 21 de agosto dos atentados.", "es", published="2025-08-22")[0]
>>> (t.text, t.unit, t.value)
('el jueves 21 de agosto', 'day', '2025-08-21')
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

__all__ = ["TimeMention", "anchor_date", "find_times", "strip_lead"]

_FIXED_BASE = dt.datetime(2000, 1, 1)
_EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_ES_MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
_EN_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_ES_DAYS = "lunes|martes|miércoles|jueves|viernes|sábado|domingo"
_EN_NUM = r"(?:\w+(?: or \w+)?)"
_UNIT_WORDS = {
    "day": "day", "days": "day", "días": "day", "dia": "day", "día": "day", "night": "day", "noche": "day",
    "week": "week", "weeks": "week", "semana": "week", "semanas": "week", "weekend": "week",
    "month": "month", "months": "month", "mes": "month", "meses": "month",
    "year": "year", "years": "year", "año": "year", "años": "year", "decade": "year", "decades": "year",
    "hour": "unspecified", "hours": "unspecified", "horas": "unspecified",
}
_WEEKDAYS = {name: i for i, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_WEEKDAYS.update({name: i for i, name in
                  enumerate(["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"])})

#: (pattern, kind, unit or None to take it from the unit word) in order of preference.
_RULES: dict[str, list[tuple[str, str, str | None]]] = {
    "en": [
        (rf"\b(?:on |last |this |next )?(?:{_EN_DAYS}),? (?:\d{{1,2}} (?:{_EN_MONTHS})|(?:{_EN_MONTHS}) \d{{1,2}})"
         rf"(?:,? \d{{4}})?", "absolute", "day"),
        (rf"\b(?:on )?\d{{1,2}} (?:{_EN_MONTHS})(?:,? \d{{4}})?\b", "absolute", "day"),
        (rf"\b(?:on )?(?:{_EN_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?\b", "absolute", "day"),
        (rf"\b(?:in |since |by )?(?:early |late |mid-)?(?:{_EN_MONTHS}),? \d{{4}}\b", "absolute", "month"),
        (rf"\b(?:in |since |by )?(?:early |late |mid-)?(?:{_EN_MONTHS})\b(?! \d)", "absolute", "month"),
        (r"\b(?:in |since |by |during )?(?:19|20)\d{2}\b", "absolute", "year"),
        (rf"\b(?:on |last |this |next )?(?:{_EN_DAYS})\b", "relative", "day"),
        (rf"\b(?:in |over |during |for )?the (?:last|past) (?:{_EN_NUM} )?(?:few |several |\d+ )?"
         r"(?:days|weeks|months|years|decades|hours)\b", "relative", None),
        (r"\b(?:in |over |during )?the (?:last|past) (?:day|week|month|year|decade)\b", "relative", None),
        (r"\b(?:last|this|next) (?:night|week|weekend|month|year)\b", "relative", None),
        (r"\bin recent (?:days|weeks|months|years)\b", "relative", None),
        (rf"\b(?:{_EN_NUM}|a few|several) (?:days|weeks|months|years|hours) (?:ago|later|earlier|before|after)\b",
         "relative", None),
        (r"\b(?:yesterday|today|tonight)\b", "relative", "day"),
        (r"\b(?:on )?the same day\b", "relative", "unspecified"),
        (r"\b(?:recently|later|earlier|previously)\b", "relative", "unspecified"),
        (r"\b(?:in )?(?:early |late )?(?:summer|winter|spring|autumn)\b", "relative", "unspecified"),
    ],
    "es": [
        (rf"\b(?:el )?(?:{_ES_DAYS}) \d{{1,2}} de (?:{_ES_MONTHS})(?: de \d{{4}})?", "absolute", "day"),
        (rf"\b(?:el )?\d{{1,2}} de (?:{_ES_MONTHS})(?: de \d{{4}})?", "absolute", "day"),
        (rf"\b(?:en |desde )?(?:{_ES_MONTHS}) de \d{{4}}", "absolute", "month"),
        (rf"\b(?:en |desde |a principios de |a finales de )(?:{_ES_MONTHS})\b", "absolute", "month"),
        (r"\b(?:en |desde |durante )?(?:el año )?(?:19|20)\d{2}\b", "absolute", "year"),
        (rf"\b(?:el )?(?:{_ES_DAYS})(?: pasado)?\b", "relative", "day"),
        (r"\b(?:la semana|el mes|el año|el fin de semana) (?:pasad[oa]|próxim[oa]|anterior)\b", "relative", None),
        (r"\b(?:esta semana|este mes|este año)\b", "relative", None),
        (r"\b(?:en |durante )?(?:los|las) últim[oa]s (?:\w+ )?(?:días|semanas|meses|años|horas)\b", "relative", None),
        (r"\bhace (?:\w+ )?(?:días|semanas|meses|años|horas)\b", "relative", None),
        (r"\b(?:\w+ )?(?:horas|días|semanas|meses) (?:después|más tarde|antes)\b", "relative", None),
        (r"\b(?:ayer|hoy|anoche|anteayer)\b", "relative", "day"),
        (r"\bel mismo día\b", "relative", "unspecified"),
        (r"\b(?:recientemente|más tarde|posteriormente)\b", "relative", "unspecified"),
    ],
}


@dataclass(frozen=True)
class TimeMention:
    """A time expression: its words, whether absolute or relative, its precision and, when it
    could be resolved, its value (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) or interval."""

    start: int
    end: int
    text: str
    kind: str  # "absolute" or "relative"
    unit: str  # day, week, month, year, unspecified
    value: str = ""  # resolved value at the unit's precision, "" when it cannot be
    interval: tuple[str, str] | None = None  # first and last day, when anchored

    @property
    def words(self) -> str:
        """The expression without a leading preposition or article ("in 2024" -> "2024")."""
        return strip_lead(self.text)

    @property
    def unit_curie(self) -> str:
        """The precision as the tables write it (``time:unitWeek``, ``kg:unitUnspecified``)."""
        return "kg:unitUnspecified" if self.unit == "unspecified" else f"time:unit{self.unit.capitalize()}"


@functools.lru_cache(maxsize=8)
def _compiled(language: str) -> list[tuple[re.Pattern[str], str, str | None]]:
    return [(re.compile(p, re.IGNORECASE), kind, unit) for p, kind, unit in _RULES.get(language, _RULES["en"])]


@functools.lru_cache(maxsize=16)
def _parser(language: str, base: dt.datetime):
    """dateparser, offline and deterministic: one language, a fixed base, UTC, no detection."""
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_LOCALE_DATE_ORDER": False,
        "STRICT_PARSING": False,
    }
    return DateDataParser(languages=[language if language in ("en", "es") else "en"], settings=settings,
                          try_previous_locales=False, use_given_order=True)


def anchor_date(published: str) -> dt.date | None:
    """The day a publication date pins down, or None (a month or a year alone anchors nothing
    to the day)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published or ""):
        try:
            return dt.date.fromisoformat(published)
        except ValueError:
            return None
    return None


def strip_lead(text: str) -> str:
    """``text`` without a leading preposition or article (\"on Thursday\" -> \"Thursday\")."""
    lead = re.compile(r"^(?:on|in|since|by|during|el|la|en|desde|durante|the|a principios de|a finales de)\s+",
                      re.IGNORECASE)
    while (shorter := lead.sub("", text, count=1)) != text:
        text = shorter
    return text


def _resolve(text: str, kind: str, unit: str, language: str, base: dt.date | None,
             year_known: bool) -> tuple[str, tuple[str, str] | None]:
    """The expression's value and interval, where the rules and the anchor allow."""
    words = strip_lead(text).lower()
    if kind == "relative":
        if base is None:
            return "", None
        weekday = next((w for w in words.split() if w in _WEEKDAYS), None)
        if unit == "day" and weekday is not None:
            delta = (base.weekday() - _WEEKDAYS[weekday]) % 7
            if re.search(r"\b(last|pasado)\b", words) and delta == 0:
                delta = 7
            day = base - dt.timedelta(days=delta)
            return day.isoformat(), (day.isoformat(), day.isoformat())
        if words in ("yesterday", "ayer", "anoche"):
            day = base - dt.timedelta(days=1)
            return day.isoformat(), (day.isoformat(), day.isoformat())
        if words in ("today", "hoy", "tonight"):
            return base.isoformat(), (base.isoformat(), base.isoformat())
        if words in ("anteayer",):
            day = base - dt.timedelta(days=2)
            return day.isoformat(), (day.isoformat(), day.isoformat())
        if re.fullmatch(r"(last week|la semana pasada|la semana anterior)", words):
            monday = base - dt.timedelta(days=base.weekday() + 7)
            return "", (monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat())
        if re.fullmatch(r"(last month|el mes pasado|el mes anterior)", words):
            first = (base.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
            last = base.replace(day=1) - dt.timedelta(days=1)
            return first.strftime("%Y-%m"), (first.isoformat(), last.isoformat())
        if re.fullmatch(r"(last year|el año pasado|el año anterior)", words):
            year = base.year - 1
            return str(year), (f"{year}-01-01", f"{year}-12-31")
        if re.fullmatch(r"(this week|esta semana)", words):
            monday = base - dt.timedelta(days=base.weekday())
            return "", (monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat())
        return "", None
    # absolute: dateparser reads the calendar words
    if not year_known and base is None and unit != "year":
        return "", None
    reference = dt.datetime.combine(base, dt.time()) if base is not None else _FIXED_BASE
    data = _parser(language, reference).get_date_data(strip_lead(text))
    if data.date_obj is None:
        return "", None
    day = data.date_obj.date()
    if unit == "year":
        return str(day.year), (f"{day.year}-01-01", f"{day.year}-12-31")
    if unit == "month":
        nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return day.strftime("%Y-%m"), (day.replace(day=1).isoformat(), (nxt - dt.timedelta(days=1)).isoformat())
    return day.isoformat(), (day.isoformat(), day.isoformat())


def find_times(text: str, language: str = "en", *, published: str = "", start: int = 0,
               end: int | None = None) -> list[TimeMention]:
    """The time expressions of ``text[start:end]``, longest first where they overlap."""
    end = len(text) if end is None else end
    base = anchor_date(published)
    found: list[TimeMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind, unit in _compiled(language):
        for match in pattern.finditer(text, start, end):
            s, e = match.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            words = match.group(0)
            if kind == "absolute" and unit == "month" and re.fullmatch(r"(?i)may", strip_lead(words)):
                continue  # "may" is far more often a verb than the month
            if (words.lower().strip() in ("later", "earlier", "previously")
                    and re.match(r"^\s*(?:than|on)\b", text[e:e + 6])):
                continue
            the_unit = unit or next((_UNIT_WORDS[w] for w in reversed(re.findall(r"\w+", words.lower()))
                                     if w in _UNIT_WORDS), "unspecified")
            year_known = bool(re.search(r"\b(19|20)\d{2}\b", words))
            value, interval = _resolve(words, kind, the_unit, language, base, year_known)
            found.append(TimeMention(s, e, words, kind, the_unit, value, interval))
            taken.append((s, e))
    return sorted(found, key=lambda t: t.start)

"""Relative times anchored to their source's publication date.

A relative time (``kg:RelativeTime``) counts from what ``kg:relativeTo`` names. When that is a
source whose publication date is known precisely enough, its wording (``kg:expressionText``, else
its label) gives an interval: "last week" of a report published on Thursday 2025-08-21 is the
week of Monday 2025-08-11 to Sunday 2025-08-17; "on Thursday" is the Thursday on or before the
publication day (the day itself when the report is a Thursday's); "in July" is the last July on
or before the publication month. A copy, digest or translation carries its original's words, so
its relative times count from the original's date when it has none of its own.

The interval is computed, never typed in: the build writes it in the computed graph
(``kg:anchoredStart``, ``kg:anchoredEnd``, ``kg:anchoredPrecision``, ``kg:anchorSource``,
``kg:anchorDate``), apart from what the text says. A time stays relative, with the reason, when
the date is unknown, too coarse for the wording ("on Thursday" of a report known only to the
month), or the wording is vague ("recently", "in recent months").

Why not ``dateparser``: it reads a weekday as the one strictly before the base date ("Thursday"
in a Thursday's report becomes the week before), does not read "el jueves", and returns a
point, not an interval at a precision; the wordings news reports use for time are few, and a
table of them in English and Spanish is explicit and testable.

>>> import datetime as dt
>>> anchor_interval("last week", dt.date(2025, 8, 21), "day")
Interval(start=datetime.date(2025, 8, 11), end=datetime.date(2025, 8, 17), unit='week')
>>> anchor_interval("el jueves por la tarde", dt.date(2025, 8, 21), "day")
Interval(start=datetime.date(2025, 8, 21), end=datetime.date(2025, 8, 21), unit='day')
>>> anchor_interval("on Tuesday", dt.date(2025, 7, 1), "month") is None  # the day is unknown
True
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.text import fold_name
from kg.vocab import KG, TIME

if TYPE_CHECKING:
    from kg.check.resolve import Resolved

__all__ = ["Anchored", "Interval", "UNITS", "anchor_interval", "anchor_times", "widen"]

#: Precision names and their OWL-Time units, finest first.
UNITS: dict[str, URIRef] = {"day": TIME.unitDay, "week": TIME.unitWeek, "month": TIME.unitMonth,
                            "year": TIME.unitYear}
_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_UNIT_NAMES = {v: k for k, v in UNITS.items()}
# Terms compared on every claim, bound once (a DefinedNamespace attribute is a slow lookup).
_RELATIVE_TIME, _RELATIVE_TO, _EXPRESSION_TEXT, _UNIT_TYPE = (KG.RelativeTime, KG.relativeTo, KG.expressionText,
                                                              TIME.unitType)


@dataclass(frozen=True)
class Interval:
    """A closed interval of days, and the precision it stands for."""

    start: dt.date
    end: dt.date
    unit: str  # day, week, month, year


@dataclass(frozen=True)
class Anchored:
    """What a relative time counts from, and the interval computed from it (if any)."""

    time: URIRef
    relative_to: URIRef  # the source kg:relativeTo names
    words: str
    anchor: URIRef | None = None  # the source whose publication date was used
    anchor_date: Literal | None = None
    interval: Interval | None = None
    reason: str = ""  # why no interval was computed


# --- the wordings --------------------------------------------------------------------------------

_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6,
}
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
}
_SPAN_UNITS = {"day": "day", "days": "day", "dia": "day", "dias": "day", "week": "week", "weeks": "week",
               "semana": "week", "semanas": "week", "month": "month", "months": "month", "mes": "month",
               "meses": "month", "year": "year", "years": "year", "ano": "year", "anos": "year"}
_PART_OF_DAY = r"(?: (?:morning|afternoon|evening|night|por la (?:manana|tarde|noche)|en la (?:manana|tarde|noche)))?"
_NUMBER = r"(\d{1,2}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_UNIT = "(" + "|".join(sorted(_SPAN_UNITS, key=len, reverse=True)) + ")"
_WEEKDAY = "(" + "|".join(_WEEKDAYS) + ")"
_MONTH = "(" + "|".join(_MONTHS) + ")"

# (pattern on the folded words, precision the publication date needs, rule name)
_RULES: list[tuple[re.Pattern[str], str, str]] = [(re.compile(p), need, name) for p, need, name in [
    (r"^(?:today|hoy|this (?:morning|afternoon|evening)|tonight|esta (?:manana|tarde|noche))$", "day", "today"),
    (r"^(?:the day before yesterday|anteayer|antier)$", "day", "day-before-yesterday"),
    (r"^(?:yesterday|ayer)" + _PART_OF_DAY + "$", "day", "yesterday"),
    (r"^(?:last|el|the)? ?" + _WEEKDAY + r" (?:pasado|last)$", "day", "last-weekday"),
    (r"^last " + _WEEKDAY + _PART_OF_DAY + "$", "day", "last-weekday"),
    (r"^(?:on |el |this |this past |este |on the )?" + _WEEKDAY + _PART_OF_DAY + "$", "day", "weekday"),
    (r"^(?:last week|the week before|la semana pasada|la semana anterior)$", "day", "last-week"),
    (r"^(?:this week|earlier this week|esta semana|a principios de esta semana)$", "day", "this-week"),
    (r"^(?:last month|el mes pasado|el mes anterior)$", "month", "last-month"),
    (r"^(?:this month|earlier this month|este mes|a principios de este mes)$", "month", "this-month"),
    (r"^(?:in |en |during |durante |early |late |in early |in late |a principios de |a finales de |"
     r"at the start of |at the end of )?" + _MONTH + "$", "month", "month-name"),
    (r"^(?:last year|el ano pasado|el ano anterior)$", "year", "last-year"),
    (r"^(?:this year|earlier this year|este ano|en lo que va del ano|a principios de este ano)$", "year",
     "this-year"),
    (r"^" + _NUMBER + " " + _UNIT + r" ago$", "", "ago"),
    (r"^hace " + _NUMBER + " " + _UNIT + "$", "", "ago"),
    (r"^(?:(?:in|over|during|for) )?(?:the )?(?:past|last) (?:(?:" + _NUMBER + " or )?" + _NUMBER + " )?"
     + _UNIT + "$", "", "span"),
    (r"^(?:en |durante )?(?:el |la |los |las )?(?:ultim[oa]s?|pasad[oa]s?) (?:(?:" + _NUMBER + " o )?"
     + _NUMBER + " )?" + _UNIT + "$", "", "span"),
]]


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _unit_interval(day: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    """The day, ISO week (Monday to Sunday), month or year containing ``day``."""
    if unit == "day":
        return day, day
    if unit == "week":
        return _monday(day), _monday(day) + dt.timedelta(days=6)
    if unit == "month":
        return _month(day.year, day.month)
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


def _back(day: dt.date, n: int, unit: str) -> dt.date:
    if unit == "day":
        return day - dt.timedelta(days=n)
    if unit == "week":
        return day - dt.timedelta(weeks=n)
    months = n * (12 if unit == "year" else 1)
    year, month = _add_months(day.year, day.month, -months)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else _NUMBERS.get(text)


def anchor_interval(words: str, published: dt.date, precision: str) -> Interval | None:
    """The interval a relative time's words stand for, counted from a publication date known to
    ``precision`` (``day``, ``month`` or ``year``; ``published`` is then the first day of that
    month or year). None when the words are not understood or the date is too coarse for them.
    Intervals never end after the publication date."""
    text = fold_name(words)
    pub_start, pub_end = _unit_interval(published, precision)
    for pattern, need, rule in _RULES:
        match = pattern.match(text)
        if match is None:
            continue
        groups = list(match.groups())
        if rule in ("ago", "span"):
            numbers = [g for g in groups if g is not None and g not in _SPAN_UNITS]
            unit = _SPAN_UNITS[next(g for g in groups if g in _SPAN_UNITS)]
            n = _number(numbers[-1]) if numbers else 1
            need = "day" if unit in ("day", "week") else unit
            if n is None or _RANK[precision] > _RANK[need]:
                return None
            if rule == "ago":
                start, end = _unit_interval(_back(pub_start, n, unit), unit)
                return Interval(start, min(end, pub_end), unit)
            return Interval(_back(pub_start, n, unit), pub_end, unit)
        if _RANK[precision] > _RANK[need]:
            return None
        return _rule(rule, groups, pub_start, pub_end)
    return None


def _rule(rule: str, groups: list[str | None], pub: dt.date, pub_end: dt.date) -> Interval:
    if rule == "today":
        return Interval(pub, pub, "day")
    if rule == "yesterday":
        day = pub - dt.timedelta(days=1)
        return Interval(day, day, "day")
    if rule == "day-before-yesterday":
        day = pub - dt.timedelta(days=2)
        return Interval(day, day, "day")
    if rule in ("weekday", "last-weekday"):
        wanted = _WEEKDAYS[next(g for g in groups if g in _WEEKDAYS)]
        back = (pub.weekday() - wanted) % 7
        if rule == "last-weekday" and back == 0:
            back = 7
        day = pub - dt.timedelta(days=back)
        return Interval(day, day, "day")
    if rule == "last-week":
        start = _monday(pub) - dt.timedelta(days=7)
        return Interval(start, start + dt.timedelta(days=6), "week")
    if rule == "this-week":
        return Interval(_monday(pub), pub, "week")
    if rule == "last-month":
        start, end = _month(*_add_months(pub.year, pub.month, -1))
        return Interval(start, end, "month")
    if rule == "this-month":
        start, end = _month(pub.year, pub.month)
        return Interval(start, min(end, pub_end), "month")
    if rule == "month-name":
        wanted = _MONTHS[next(g for g in groups if g in _MONTHS)]
        year = pub.year if wanted <= pub.month else pub.year - 1
        start, end = _month(year, wanted)
        return Interval(start, end, "month")
    if rule == "last-year":
        return Interval(dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31), "year")
    return Interval(dt.date(pub.year, 1, 1), min(dt.date(pub.year, 12, 31), pub_end), "year")  # this-year


def widen(interval: Interval, unit: str) -> Interval:
    """The interval widened to a coarser stated precision (a day stated as "week" is its week)."""
    if _RANK[unit] <= _RANK[interval.unit]:
        return interval
    start, _ = _unit_interval(interval.start, unit)
    _, end = _unit_interval(interval.end, unit)
    return Interval(start, end, unit)


def _published_date(literal: Literal) -> tuple[dt.date, str]:
    text = str(literal)
    if len(text) == 10:
        return dt.date.fromisoformat(text), "day"
    if len(text) == 7:
        return dt.date(int(text[:4]), int(text[5:7]), 1), "month"
    return dt.date(int(text[:4]), 1, 1), "year"


def anchor_times(out: Resolved) -> dict[URIRef, Anchored]:
    """Every relative time that counts from a source, anchored when it can be (by time IRI)."""
    relative = {iri for iri, e in out.entities.items() if _RELATIVE_TIME in e.types}
    if not relative:
        return {}
    relative_to: dict[URIRef, list[URIRef]] = {}
    words: dict[URIRef, str] = {}
    stated: dict[URIRef, Node] = {}
    for c in out.claims:
        if c.s not in relative or c.external:
            continue
        if c.p == _RELATIVE_TO and isinstance(c.o, URIRef) and c.o in out.sources:
            relative_to.setdefault(c.s, []).append(c.o)
        elif c.p == _EXPRESSION_TEXT and c.s not in words:
            words[c.s] = str(c.o)
        elif c.p == _UNIT_TYPE and c.s not in stated:
            stated[c.s] = c.o
    found: dict[URIRef, Anchored] = {}
    for time in sorted(relative_to):
        source = out.sources[sorted(relative_to[time])[0]]
        text = words.get(time) or out.entities[time].label
        anchor = out.sources[source.dated_by] if source.dated_by is not None else None
        if anchor is None or anchor.published is None:  # dated_by names a source with a date
            found[time] = Anchored(time, source.iri, text, reason="the publication date is unknown")
            continue
        published, precision = _published_date(anchor.published)
        interval = anchor_interval(text, published, precision)
        if interval is None:
            reason = ("the wording is not one kg can anchor" if anchor_interval(text, published, "day") is None
                      else f"the publication date is known only to the {precision}")
            found[time] = Anchored(time, source.iri, text, anchor.iri, anchor.published, reason=reason)
            continue
        unit = _UNIT_NAMES.get(stated_unit) if isinstance(stated_unit := stated.get(time), URIRef) else None
        if unit is not None:
            interval = widen(interval, unit)
        found[time] = Anchored(time, source.iri, text, anchor.iri, anchor.published, interval)
    return found

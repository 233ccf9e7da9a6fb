"""Bounds: a number is exact only when the text makes it exact.

:func:`exactness_problem` reads the quote of a statement recorded as an exact number (a
:class:`~kg` quantity with bound ``exact``, or a numeric literal such as a price) and says what is
wrong when the words do not state that number exactly:

* the number is worded with a bound ("At least 18", "about 20", "more than 100", "12 or more",
  "between 10 and 12");
* the number is not in the quote at all, and the quote counts with vague words instead ("a pair
  of incidents", "dozens wounded", "a wave of attacks", "most carried out by ...") or says
  nothing of it ("a National Guard colonel was killed": one death is stated, not that it was the
  only one).

The number is looked for as digits (``1,200`` and ``1200`` alike) and as an English or Spanish
number word ("two separate attacks", "ocho heridos"); the bound and vague words are English and
Spanish too ("al menos ocho", "decenas de heridos"), the languages of the bundled reporting. One
occurrence without a bound is enough: a quote may give several numbers, and the words around
another one ("At least 18 ... in two separate attacks") say nothing of this one.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["BOUND_WORDS", "VAGUE_WORDS", "exactness_problem"]

#: Words just before a number that make it a bound, not an exact count.
BOUND_WORDS: tuple[str, ...] = (
    "at least", "at most", "up to", "more than", "less than", "fewer than", "no fewer than", "no more than",
    "over", "under", "nearly", "almost", "about", "around", "roughly", "approximately", "some", "an estimated",
    "estimated", "close to", "as many as", "as few as", "upwards of", "in excess of", "between", "perhaps",
    "possibly", "maybe", "reportedly", "approx.", "c.", "~",
    # Spanish
    "al menos", "por lo menos", "como mínimo", "como máximo", "hasta", "más de", "menos de", "casi",
    "cerca de", "alrededor de", "unos", "unas", "aproximadamente", "aprox.", "entre", "poco más de",
    "poco menos de", "no menos de", "no más de", "presuntamente", "posiblemente",
)
#: Words just after a number that make it a bound.
_AFTER = re.compile(r"^\s*(?:or more|or so|or fewer|or less|plus\b|-plus\b|\+|odd\b|or\s+\w+|to\s+\d|-\s*\d|–\s*\d)",
                    re.I)
#: Words that count without a number: a quote using them in place of the number is vague.
VAGUE_WORDS: tuple[str, ...] = (
    "dozens", "scores", "hundreds", "thousands", "several", "a few", "few", "many", "numerous", "a pair",
    "a couple", "a handful", "a wave", "a series", "a spate", "a string", "most", "the majority", "some",
    "a number of", "multiple", "countless", "a dozen",
    # Spanish
    "decenas", "docenas", "cientos", "centenares", "miles", "varios", "varias", "algunos", "algunas",
    "muchos", "muchas", "numerosos", "numerosas", "la mayoría", "una ola", "un par", "una docena",
)
_NUMBER_WORDS = {
    0: ("zero", "no"), 1: ("one", "single"), 2: ("two", "both"), 3: ("three",), 4: ("four",), 5: ("five",),
    6: ("six",), 7: ("seven",), 8: ("eight",), 9: ("nine",), 10: ("ten",), 11: ("eleven",), 12: ("twelve",),
    13: ("thirteen",), 14: ("fourteen",), 15: ("fifteen",), 16: ("sixteen",), 17: ("seventeen",),
    18: ("eighteen",), 19: ("nineteen",), 20: ("twenty",), 30: ("thirty",), 40: ("forty",), 50: ("fifty",),
    100: ("a hundred", "one hundred"), 1000: ("a thousand", "one thousand"),
}
_SPANISH_NUMBER_WORDS = {
    0: ("cero", "ningún", "ninguna"), 1: ("uno", "una", "un"), 2: ("dos", "ambos", "ambas"), 3: ("tres",),
    4: ("cuatro",), 5: ("cinco",), 6: ("seis",), 7: ("siete",), 8: ("ocho",), 9: ("nueve",), 10: ("diez",),
    11: ("once",), 12: ("doce",), 13: ("trece",), 14: ("catorce",), 15: ("quince",), 16: ("dieciséis",),
    17: ("diecisiete",), 18: ("dieciocho",), 19: ("diecinueve",), 20: ("veinte",), 30: ("treinta",),
    40: ("cuarenta",), 50: ("cincuenta",), 100: ("cien", "ciento"), 1000: ("mil",),
}


def _number(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _occurrences(number: Decimal, quote: str) -> list[tuple[int, int]]:
    """Where the number appears in the quote, as (start, end) spans."""
    spans: list[tuple[int, int]] = []
    if number == number.to_integral_value():
        whole = int(number)
        forms = {str(whole), f"{whole:,}"}
        for form in forms:
            for m in re.finditer(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)", quote):
                spans.append(m.span())
        for word in _NUMBER_WORDS.get(whole, ()) + _SPANISH_NUMBER_WORDS.get(whole, ()):
            for m in re.finditer(rf"\b{re.escape(word)}\b", quote, re.I):
                spans.append(m.span())
    else:
        text = format(number.normalize(), "f")
        for m in re.finditer(rf"(?<![\d.]){re.escape(text)}(?!\d)", quote):
            spans.append(m.span())
    return sorted(set(spans))


def _bound_before(quote: str, start: int) -> str | None:
    before = quote[max(0, start - 40):start].lower()
    before = re.sub(r"[$€£]\s*$", "", before).rstrip()
    for word in sorted(BOUND_WORDS, key=len, reverse=True):
        if before.endswith(word) and (len(before) == len(word) or not before[-len(word) - 1].isalnum()
                                      or word in ("~",)):
            return word
    return None


def _vague_words(quote: str) -> list[str]:
    lowered = quote.lower()
    return [w for w in VAGUE_WORDS if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", lowered)]


def exactness_problem(value: str, quote: str, *, stated: bool = True) -> str | None:
    """Why ``quote`` does not make ``value`` exact, or None when it does (or there is no quote).

    With ``stated`` (counts), a quote that does not give the number at all is a problem too; a
    number the quote need not give (a coordinate, a price the curator converted) is checked only
    for the bound words around it when the quote gives it.

    Examples
    --------
    >>> exactness_problem("18", "At least 18 people were killed")
    "the quote words it as 'At least 18'"
    >>> exactness_problem("2", "two separate attacks") is None
    True
    >>> exactness_problem("2", "a pair of incidents")
    "the quote does not give the number 2; it counts with 'a pair'"
    >>> exactness_problem("8", "ocho heridos") is None
    True
    >>> exactness_problem("8", "al menos ocho policías murieron")
    "the quote words it as 'al menos ocho'"
    """
    number = _number(value)
    if number is None or not quote:
        return None
    spans = _occurrences(number, quote)
    if not spans and not stated:
        return None
    if not spans:
        vague = _vague_words(quote)
        shown = format(number.normalize(), "f") if number != number.to_integral_value() else str(int(number))
        if vague:
            return f"the quote does not give the number {shown}; it counts with {', '.join(repr(w) for w in vague)}"
        return f"the quote does not give the number {shown}"
    bounded = []
    for start, end in spans:
        word = _bound_before(quote, start)
        after = _AFTER.match(quote[end:])
        if word is not None:
            bounded.append(_words_at(quote, start, end, word))
        elif after is not None:
            bounded.append(quote[start:end + after.end()].strip())
        else:
            return None  # one plain occurrence states the number
    return "the quote words it as " + ", ".join(repr(b) for b in bounded)


def _words_at(quote: str, start: int, end: int, word: str) -> str:
    """The bound word and the number as the quote writes them ("At least 18")."""
    head = quote[:start]
    index = head.lower().rfind(word)
    return quote[index:end] if index >= 0 else quote[start:end]

"""Text normalisation shared by the checks, the name look-ups and curation.

Two foldings, for two jobs:

- :func:`normalise_quote` makes a quote comparable with its source's text while keeping what a
  quote is: its words, case and punctuation. Typographic quotes, apostrophes, dashes and the many
  kinds of space become their plain forms, runs of white space become one space. The stored quote
  stays verbatim; only the comparison uses this form.
- :func:`fold_name` makes names comparable whatever their case, accents and punctuation
  ("Calarcá Córdoba" and "calarca-cordoba" fold the same), for matching labels and aliases.

>>> normalise_quote("“We’ve seen”  a wave – of attacks")
'"We\\'ve seen" a wave - of attacks'
>>> fold_name("Cártel de Jalisco Nueva Generación (CJNG)")
'cartel de jalisco nueva generacion cjng'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_name", "normalise_quote", "strip_accents"]

#: Typographic characters and their plain forms, for the quote check.
_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "\u0060": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": "...",
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
})
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w]+")


def normalise_quote(text: str) -> str:
    """``text`` with typographic quotes, dashes and spaces made plain and white space collapsed.

    Used on both sides of the quote check, so a quote copied from a web page with curly quotes
    matches a text saved with straight ones (and the other way round).
    """
    return " ".join(_SPACES.split(text.translate(_PLAIN))).strip()


def strip_accents(text: str) -> str:
    """``text`` without combining accents ("Medellín" -> "Medellin"); other letters are kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_name(text: str) -> str:
    """A name folded for matching: case, accents and punctuation removed, spaces collapsed."""
    folded = strip_accents(text.translate(_PLAIN)).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).replace("_", " ").split())

"""Sentences of English and Spanish news text, with their offsets in the text.

Rules, not a model: a line break ends a sentence (news texts keep one paragraph a line); inside a
line a sentence ends at ``.``, ``!`` or ``?`` (and any closing quote or bracket after it) followed
by white space and a capital, a digit, an opening quote or ``¿``/``¡`` -- unless the word before
the stop is an abbreviation (``Mr.``, ``Gen.``, ``p.m.``, ``Sra.``, ``EE.UU.``) or an initial
(``J. Smith``). Offsets are into the text as given, so a sentence's words are always a verbatim
slice of it.

>>> [s.text for s in split_sentences('He said: "It is over." Then he left. Dr. Roe came at 2:50 p.m. on Monday.')]
['He said: "It is over."', 'Then he left.', 'Dr. Roe came at 2:50 p.m. on Monday.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]

_ABBREVIATIONS = frozenset([
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "maj", "adm", "gov", "sen", "rep", "st",
    "jr", "sr", "sra", "srta", "dra", "lic", "ing", "gral", "cnel", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n",
    "p.m", "a.m", "no", "nos", "núm", "approx", "dept", "est", "fig", "inc", "ltd", "co", "corp", "av", "avda", "ee.uu",
    "uu", "eeuu", "pág", "tel", "ud", "uds",
])
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(¿¡]?[\w])", re.UNICODE)


@dataclass(frozen=True)
class Sentence:
    """One sentence: its number (from 0), its offsets in the text and its words."""

    index: int
    start: int
    end: int
    text: str


def _is_abbreviation(line: str, stop: int) -> bool:
    """True when the ``.`` at ``stop`` closes an abbreviation or an initial, not a sentence."""
    if line[stop] != ".":
        return False
    word = re.search(r"([\w.]+)$", line[:stop])
    if not word:
        return False
    token = word.group(1).lower().strip(".")
    if token in _ABBREVIATIONS:
        return True
    return len(token) == 1 and token.isalpha()  # an initial, as in J. Smith


def split_sentences(text: str, language: str = "") -> list[Sentence]:
    """The sentences of ``text`` in order; ``language`` (``en``, ``es``) is accepted for the rules
    that differ (today both languages share them)."""
    del language  # the same rules serve both languages today
    sentences: list[Sentence] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        start = 0
        for match in _END.finditer(body):
            stop = match.start()
            if _is_abbreviation(body, stop) and not match.group(0).endswith(("\"", "”", "'", "’", "»")):
                continue
            _add(sentences, text, offset + start, offset + match.end())
            start = match.end()
        _add(sentences, text, offset + start, offset + len(body))
        offset += len(line)
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(len(sentences), start, end, text[start:end]))

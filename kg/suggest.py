"""Did you mean: the nearest known names to a misspelt one, for error messages.

Used wherever kg reports an unknown name (an id, a class, a property, a saved question, a
``--focus`` or ``-p`` value). Matching is rapidfuzz's normalised Levenshtein similarity over
names folded for case, accents and punctuation (:func:`kg.text.fold_name`), with ties broken by
the name itself so the same input always gives the same suggestions.

>>> did_you_mean("kg:perpetrater", ["kg:perpetrator", "kg:place", "kg:target"])
['kg:perpetrator']
>>> hint("cjgn", ["cjng", "emc"])
"did you mean 'cjng'?"
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from kg.text import fold_name

__all__ = ["did_you_mean", "hint"]

#: Below this similarity (0-100) a known name is not worth suggesting.
CUTOFF = 72.0


def _score(a: str, b: str, **_: object) -> float:
    """Similarity of two folded names: edit distance, with a bonus for one being inside the other
    (``perp`` for ``kg:perpetrator``)."""
    if not a or not b:
        return 0.0
    score = Levenshtein.normalized_similarity(a, b) * 100
    if min(len(a), len(b)) >= 3 and (a in b or b in a):
        score = max(score, 75.0 + 25.0 * min(len(a), len(b)) / max(len(a), len(b)))
    if min(len(a), len(b)) >= 3 and OSA.distance(a, b) <= (1 if len(a) < 8 else 2):
        score = max(score, 85.0)  # one slip of the fingers: a swap, a missing or extra letter
    return max(score, fuzz.ratio(a, b))


def did_you_mean(name: str, choices: Iterable[str], *, limit: int = 3, cutoff: float = CUTOFF) -> list[str]:
    """The known names nearest to ``name``, best first (at most ``limit``; none below ``cutoff``).

    An exact match after folding (case, accents, punctuation) comes first. Names are compared
    without a CURIE prefix too, so ``perpetrator`` finds ``kg:perpetrator``.
    """
    wanted = fold_name(name)
    if not wanted:
        return []
    folded: dict[str, list[str]] = {}
    for choice in sorted(set(choices)):
        key = fold_name(choice)
        folded.setdefault(key, []).append(choice)
        local = fold_name(choice.split(":", 1)[1]) if ":" in choice and not choice.startswith("<") else ""
        if local and local != key:
            folded.setdefault(local, []).append(choice)
    matches = process.extract(wanted, list(folded), scorer=_score, limit=None, score_cutoff=cutoff)
    ranked = sorted(matches, key=lambda m: (-m[1], m[0]))
    out: list[str] = []
    seen: set[str] = set()
    for key, _score_value, _index in ranked:
        for choice in folded[key]:
            if choice != name and fold_name(choice) not in seen:  # "Colombia" and "colombia": once
                seen.add(fold_name(choice))
                out.append(choice)
    return out[:limit]


def hint(name: str, choices: Iterable[str], *, limit: int = 3) -> str:
    """``did you mean 'x'?`` (or ``'x' or 'y'``) for an unknown name, or ``""`` when nothing is near."""
    near = did_you_mean(name, choices, limit=limit)
    if not near:
        return ""
    return "did you mean " + " or ".join(repr(n) for n in near) + "?"

"""Names from a spaCy pipeline the user installed: an optional extra for ``kg draft --spacy``.

spaCy is not a dependency of kg and no pipeline is ever downloaded: ``spacy.load(name)`` loads a
pipeline already installed as a package or a directory. Its PERSON, ORG, NORP, GPE, LOC and FAC
entities that the rules did not find become new-entity candidates, typed from the label.
"""

from __future__ import annotations

from kg.curate.known import slug, unique_id
from kg.curate.mentions import Mention, NewEntity
from kg.curate.sentences import Sentence
from kg.errors import UsageError

__all__ = ["spacy_candidates"]

_CLASSES = {"PERSON": "kg:Person", "PER": "kg:Person", "ORG": "kg:Organization", "GPE": "kg:Place",
            "LOC": "kg:Place", "FAC": "kg:Place"}


def spacy_candidates(text: str, sentences: list[Sentence], model: str, mentions: list[Mention],
                     taken: set[str]) -> list[tuple[NewEntity, Mention]]:
    """New-entity candidates for the names the pipeline finds outside every mention already found."""
    try:
        import spacy  # noqa: PLC0415 - optional, never a dependency
    except ImportError:
        raise UsageError("--spacy needs spaCy and a pipeline you installed yourself "
                         "(pip install spacy, then the pipeline's package); kg drafts without it") from None
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise UsageError(f"--spacy {model!r}: no such installed pipeline ({exc})") from None
    covered = [(m.start, m.end) for m in mentions]
    out: list[tuple[NewEntity, Mention]] = []
    for ent in nlp(text).ents:
        cls = _CLASSES.get(ent.label_)
        if cls is None or any(s < ent.end_char and ent.start_char < e for s, e in covered):
            continue
        sentence = next((s.index for s in sentences if s.start <= ent.start_char < s.end), 0)
        ident = unique_id(slug(ent.text), taken)
        taken.add(ident)
        candidate = NewEntity(ident, ent.text, cls, ent.start_char, ent.end_char, sentence,
                              f"spaCy {model} labels it {ent.label_}")
        out.append((candidate, Mention(ent.start_char, ent.end_char, ent.text, ident, (ident,), False, "new",
                                       100.0, sentence)))
        covered.append((ent.start_char, ent.end_char))
    return out

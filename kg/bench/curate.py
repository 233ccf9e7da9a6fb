"""How close ``kg draft`` comes to what a curator wrote, and how fast it drafts.

    .venv/bin/python -m kg.bench.curate                   # the first report, against its own tables
    .venv/bin/python -m kg.bench.curate --all             # every source of the bundled dataset
    .venv/bin/python -m kg.bench.curate --json out.json --repeat 5

By default the bench measures what its published figures are about: the first report drafted
against the first report's own tables (``entities.csv``, ``statements.csv`` and ``sources.csv``
without the digests' ``*-digests.csv`` tables, which also hold rows citing the report: the
curator's identity inferences). ``--all`` drafts every source of the bundled dataset that has
curated rows and a text against all its tables. Each source is drafted
(``kg.curate.draft.draft_text``, the tables' entities as the gazetteer) and compared with its
curated rows:

- **entity links**: pairs (entity, sentence). Gold: an entity that a curated row of the source
  refers to (declared, subject, object, claimant or via; events and time expressions excluded:
  they are described, not named) in a sentence holding the row's quote, where the sentence names
  it (one of its names, folded for case, accents and punctuation). Drafted: the known entities
  the draft links in each sentence (a name two entities share is linked to neither). Recall and
  precision over the pairs;
- **claimant and modality**: for each curated statement row with a quote, the draft's claimant
  and modality of the clause(s) the quote lies in, against the row's (an empty claimant is the
  source's own voice on both sides);
- **numbers**: each curated figure (kg:killed, kg:wounded, kg:count: its value, or the words of
  a vague one, with the bound column of the same row) found among the drafted ones with the same
  property, value and bound;
- **time expressions**: each curated time expression (kg:expressionText and time:unitType) found
  among the drafted ones with the same words (a leading preposition aside) and precision;
- **speed**: every text in the shared sources drafted ``--repeat`` times: sources per second.

The gazetteer is the tables themselves, so entity links measure matching and disambiguation in
the text, not recall of entities no table knows.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

import kg
from kg.curate.draft import draft_text
from kg.curate.known import known_of, read_tables
from kg.curate.mentions import person_variants
from kg.curate.speech import claim_at
from kg.curate.times import strip_lead
from kg.locations import repo_dir
from kg.text import fold_name, normalise_quote

REPO = repo_dir()
SHARED = REPO.parent / "shared" / "sources"
_NOT_NAMED = ("kg:RelativeTime", "kg:AbsoluteTime", "kg:Event", "kg:Asset")


def _locate(text: str, quote: str) -> tuple[int, int] | None:
    """Where a quote lies in the text (white space and typography aside)."""
    index = text.find(quote)
    if index >= 0:
        return index, index + len(quote)
    words = [re.escape(w) for w in normalise_quote(quote).split()]
    match = re.search(r"\s+".join(words), normalise_quote(text)) if words else None
    if match is None:
        return None
    # map offsets back through a text normalised the same way (a rare path: typographic quotes)
    return match.start(), match.end()


def _names(entity) -> list[str]:
    names = list(entity.names)
    if "kg:Person" in entity.types:
        names += person_variants(entity.label)
    return names


def _named_in(sentence_text: str, names: list[str]) -> bool:
    folded = f" {fold_name(sentence_text)} "
    return any(f" {fold_name(n)} " in folded for n in names if fold_name(n))


def compare(project: kg.Project, source_id: str, text: str, rows: dict, known, published: str = "",
            language: str = "") -> dict:
    """The figures for one source."""
    draft = draft_text(project, known, source_id, text, language=language, published=published)
    sentences = draft.sentences

    def sentence_at(offset: int) -> int | None:
        return next((s.index for s in sentences if s.start <= offset < s.end), None)

    statements = [r for _, _, r in rows["statements"] if r.get("source") == source_id]
    entities = [r for _, _, r in rows["entities"] if r.get("source") == source_id]
    # entity links
    gold: set[tuple[str, int]] = set()
    for row in entities + statements:
        span = _locate(text, row.get("quote", "")) if row.get("quote") else None
        if span is None:
            continue
        index = sentence_at(span[0])
        if index is None:
            continue
        refs = [row.get(k, "") for k in ("id", "subject", "object", "claimant", "via")]
        for ref in refs:
            entity = known.entities.get(ref)
            if entity is None or any(t in _NOT_NAMED for t in entity.types):
                continue
            if _named_in(sentences[index].text, _names(entity)):
                gold.add((ref, index))
    drafted = {(m.entity, m.sentence) for m in draft.mentions if m.known and m.entity}
    hits = gold & drafted
    # claimant and modality
    claimant_ok = modality_ok = total = 0
    misses = []
    for row in statements:
        if not row.get("quote"):
            continue
        span = _locate(text, row["quote"])
        if span is None:
            continue
        index = sentence_at(span[0])
        if index is None:
            continue
        claimant, modality = claim_at(draft.attributions[index], *span)
        if claimant == row["subject"]:
            claimant = ""  # as a draft writes it: a speaker's words about themselves are the source's
        total += 1
        claimant_ok += claimant == row.get("claimant", "")
        modality_ok += modality == (row.get("modality") or "reported-fact")
        if claimant != row.get("claimant", "") or modality != (row.get("modality") or "reported-fact"):
            misses.append((row["subject"], row["predicate"], row.get("claimant", ""), claimant,
                           row.get("modality") or "reported-fact", modality))
    # numbers
    def figures(rows_: list[dict]) -> set[tuple]:
        # One row per figure: the value (a number or the words of a vague one) with its bound
        # in the same row (the bound column's notation; empty = exact).
        out = set()
        for r in rows_:
            base = r.get("predicate", "").removeprefix("kg:")
            if base in ("killed", "wounded", "count"):
                out.add((base, r.get("object", ""), r.get("bound") or "exact"))
        return out

    gold_numbers = figures(statements)
    drafted_numbers = figures([r.cells for r in draft.rows if r.table == "statements"])
    number_hits = gold_numbers & drafted_numbers
    # time expressions
    by_time: dict[str, dict[str, str]] = {}
    for r in statements:
        if r["predicate"] in ("kg:expressionText", "time:unitType"):
            by_time.setdefault(r["subject"], {})[r["predicate"]] = r["object"]
    gold_times = {(fold_name(strip_lead(v.get("kg:expressionText", ""))), v.get("time:unitType", ""))
                  for v in by_time.values() if v.get("kg:expressionText")}
    drafted_times = {(fold_name(t.words), t.unit_curie) for t in draft.times}
    time_hits = gold_times & drafted_times
    return {
        "source": source_id,
        "sentences": len(sentences),
        "drafted_rows": len(draft.rows),
        "entity_links": {"gold": len(gold), "drafted": len(drafted), "correct": len(hits),
                         "recall": _ratio(len(hits), len(gold)), "precision": _ratio(len(hits), len(drafted)),
                         "missed": sorted(gold - drafted), "wrong": sorted(drafted - gold)},
        "claims": {"rows": total, "claimant_agreement": _ratio(claimant_ok, total),
                   "modality_agreement": _ratio(modality_ok, total), "disagreements": misses},
        "numbers": {"gold": len(gold_numbers), "agreed": len(number_hits),
                    "agreement": _ratio(len(number_hits), len(gold_numbers)),
                    "missed": sorted(gold_numbers - drafted_numbers)},
        "times": {"gold": len(gold_times), "agreed": len(time_hits),
                  "agreement": _ratio(len(time_hits), len(gold_times)), "missed": sorted(gold_times - drafted_times)},
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def speed(project: kg.Project, known, repeat: int) -> dict:
    """Drafting speed over every text in the shared sources."""
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SHARED.glob("*.txt"))]
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for name, text in texts:
            draft_text(project, known, re.sub(r"[^a-z0-9-]", "-", name.lower()), text)
        runs.append(time.perf_counter() - started)
    seconds = statistics.median(runs)
    words = sum(len(t.split()) for _, t in texts)
    return {"sources": len(texts), "words": words, "seconds": round(seconds, 3),
            "sources_per_second": round(len(texts) / seconds, 1), "words_per_second": round(words / seconds)}


#: The first report's source id and the suffix of the tables the digests added (issue 14).
FIRST_REPORT = "report"
DIGEST_TABLES = "-digests.csv"


def run(repeat: int = 3, every_source: bool = False) -> dict:
    """Every figure: for the first report against its own tables, or (``every_source``) for every
    source of the bundled dataset with curated rows, against all its tables."""
    project = kg.open_project(sources=[SHARED])
    rows = read_tables(project.data_dir)
    if not every_source:
        rows = {kind: [r for r in found if not r[0].name.endswith(DIGEST_TABLES)] for kind, found in rows.items()}
    known = known_of(project, rows)
    draft_text(project, known, "warm-up", "A warm-up sentence in Colombia last week.")  # imports, dateparser
    per_source = []
    for source_id, source in sorted(known.sources.items()):
        if not every_source and source_id != FIRST_REPORT:
            continue
        curated = any(r.get("source") == source_id for _, _, r in rows["statements"] + rows["entities"])
        path = project.find_source_text(source.text_file) if source.text_file else None
        if curated and path is not None:
            per_source.append(compare(project, source_id, path.read_text(encoding="utf-8"), rows, known,
                                      source.published, source.language))
    return {"per_source": per_source, "totals": _totals(per_source), "speed": speed(project, known, repeat)}


def _totals(per_source: list[dict]) -> dict:
    def total(section: str, key: str) -> int:
        return sum(p[section][key] for p in per_source)

    gold, drafted, correct = total("entity_links", "gold"), total("entity_links", "drafted"), \
        total("entity_links", "correct")
    rows = total("claims", "rows")
    claimant = sum(round((p["claims"]["claimant_agreement"] or 0) * p["claims"]["rows"]) for p in per_source)
    modality = sum(round((p["claims"]["modality_agreement"] or 0) * p["claims"]["rows"]) for p in per_source)
    return {
        "sources": len(per_source),
        "entity_link_recall": _ratio(correct, gold), "entity_link_precision": _ratio(correct, drafted),
        "claimant_agreement": _ratio(claimant, rows), "modality_agreement": _ratio(modality, rows),
        "number_agreement": _ratio(total("numbers", "agreed"), total("numbers", "gold")),
        "time_agreement": _ratio(total("times", "agreed"), total("times", "gold")),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="drafting runs for the speed figure (median)")
    parser.add_argument("--json", type=Path, default=None, help="write every figure here")
    parser.add_argument("--all", action="store_true", dest="every_source",
                        help="every source with curated rows, against every table (default: the first report)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    args = parser.parse_args(argv)
    figures = run(args.repeat, args.every_source)
    t = figures["totals"]
    pct = lambda v: "n/a" if v is None else f"{100 * v:.0f}%"  # noqa: E731
    print(f"sources with curated rows: {t['sources']}")
    print(f"entity links: recall {pct(t['entity_link_recall'])} (target 85%), "
          f"precision {pct(t['entity_link_precision'])} (target 90%)")
    print(f"claimant agreement {pct(t['claimant_agreement'])}, modality agreement {pct(t['modality_agreement'])} "
          "(targets 80%)")
    print(f"numbers and bounds {pct(t['number_agreement'])}, time expressions {pct(t['time_agreement'])}")
    s = figures["speed"]
    print(f"speed: {s['sources']} sources ({s['words']} words) in {s['seconds']} s: "
          f"{s['sources_per_second']} sources/s, {s['words_per_second']} words/s")
    if args.verbose:
        for p in figures["per_source"]:
            print(json.dumps(p, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The build report's sections on a body of reporting: sources, corroboration (with suggested
Admiralty credibility grades), disputes, likely duplicates, identity merges and relative times.

Lists are capped at :data:`MAX_LISTED` entries in the JSON (with the full count beside them) and
at :data:`MAX_SHOWN` in the Markdown, so a build of a million triples keeps a readable report.

**Credibility suggestions.** Admiralty credibility 1 means "confirmed by other independent
sources". Where two or more independent origins (copies, digests and retellings of one original
count once: :mod:`kg.build.reporting`) state the same statement as a reported fact, no source
gives another value of it (no dispute), and they do not all relay one claimant's word (outlets
repeating one person confirm that the person said it, not what was said), the report suggests
grade 1 for the claims graded lower (not for an entity's class, nor for a count's qualifier when
the count itself is disputed). It never changes a grade: the curator decides.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.build import Built
from kg.build.reporting import corroboration
from kg.check import Resolved
from kg.vocab import KG, RDF, SKOS

__all__ = ["MAX_LISTED", "MAX_SHOWN", "reporting_markdown", "reporting_sections"]

#: At most this many entries of each list in build-report.json.
MAX_LISTED = 1000
#: At most this many entries of each list in build-report.md.
MAX_SHOWN = 50
_GRADE = {KG[f"Credibility{n}"]: str(n) for n in range(1, 7)}
_TYPE, _REPORTED_FACT = RDF.type, KG.ReportedFact


def reporting_sections(resolved: Resolved, built: Built) -> dict[str, object]:
    """The sections, as plain data in a stable order."""
    base = resolved.base

    def name(node: Node) -> str:
        if isinstance(node, Literal):
            return str(node)
        text = str(node)
        return text[len(base):] if text.startswith(base) else built.curie(node)

    def label(node: Node) -> str:
        if isinstance(node, URIRef) and node in resolved.quantities:  # a count with its bound: "at least 8"
            return resolved.quantities[node].label
        entity = resolved.entities.get(node) if isinstance(node, URIRef) else None
        source = resolved.sources.get(node) if isinstance(node, URIRef) else None
        return (entity.label if entity else source.label if source else name(node)) or name(node)

    graph = resolved.ontology.graph
    sources = [{
        "id": name(s.iri), "label": s.label, "kind": str(graph.value(s.kind, SKOS.notation) or "") if s.kind else "",
        "outlet": label(s.outlet) if s.outlet else "", "published": str(s.published or ""),
        "language": s.language, "derived_from": [name(d) for d in s.derived_from],
        "origin": label(s.origin) if s.origin else "",
    } for s in sorted(resolved.sources.values(), key=lambda s: s.position)]

    counts = corroboration(resolved)
    disputed = {(d.subject, d.predicate) for d in resolved.disputes}
    corroborated, suggestions = [], []
    several = [(triple, origins) for triple, origins in counts.origins.items() if len(origins) >= 2]
    for triple, origins in sorted(several, key=lambda kv: (-len(kv[1]), [str(t) for t in kv[0]])):
        s, p, o = triple
        row = {"subject": name(s), "predicate": built.curie(p), "object": name(o),
               "independent_sources": len(origins), "origins": sorted(label(x) for x in origins)}
        corroborated.append(row)
        claims = counts.claims[triple]
        claimants = {c.claimant for c in claims}
        if (p == _TYPE or (s, p) in disputed
                or any(c.modality != _REPORTED_FACT for c in claims)
                or (len(claimants) == 1 and None not in claimants)):
            continue
        lower = [c for c in claims if _GRADE.get(c.credibility, "6") != "1"]
        if lower:
            suggestions.append(dict(row, current=sorted({_GRADE.get(c.credibility, "") for c in lower}),
                                    suggested="1", rows=[str(c.position) for c in lower]))

    disputes = [{
        "subject": name(d.subject), "subject_label": label(d.subject), "property": built.curie(d.predicate),
        "versions": [{"value": label(v.value), "published": v.published,
                      "claims": [{"source": name(c.source), "claimant": label(c.claimant) if c.claimant else "",
                                  "row": str(c.position)} for c in v.claims]} for v in d.versions],
    } for d in resolved.disputes]
    duplicates = [{"first": name(d.first), "second": name(d.second), "first_name": d.first_name,
                   "second_name": d.second_name, "how": d.how} for d in resolved.duplicates]
    identities = [{"merged": name(x), "into": name(y)} for x, y in sorted(resolved.merged.items())]
    times = []
    for time, a in sorted(resolved.anchored.items()):
        entry = {"time": name(time), "words": a.words, "relative_to": name(a.relative_to),
                 "anchor": name(a.anchor) if a.anchor else "", "anchor_date": str(a.anchor_date or "")}
        if a.interval is not None:
            entry.update(start=a.interval.start.isoformat(), end=a.interval.end.isoformat(),
                         precision=a.interval.unit)
        else:
            entry["stays_relative"] = a.reason
        times.append(entry)
    return {
        "sources_detail": _capped(sources),
        "corroboration": {
            "statements": len(counts.origins),
            "by_independent_sources": {str(k): v for k, v in counts.histogram().items()},
            "corroborated": _capped(corroborated),
            "credibility_suggestions": _capped(suggestions),
        },
        "disputes": _capped(disputes),
        "likely_duplicates": _capped(duplicates),
        "identities": _capped(identities),
        "relative_times": _capped(times),
    }


def _capped(items: list) -> dict[str, object]:
    return {"count": len(items), "listed": items[:MAX_LISTED]}


def _more(section: dict) -> list[str]:
    extra = section["count"] - min(section["count"], MAX_SHOWN)
    return [f"- ... and {extra} more (build-report.json lists {min(section['count'], MAX_LISTED)})"] if extra else []


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def reporting_markdown(data: dict) -> list[str]:
    """The sections as Markdown lines."""
    lines = ["## Sources", ""]
    sources = data["sources_detail"]
    if sources["count"]:
        lines += ["| source | kind | outlet | published | language | derived from | counts as |",
                  "|---|---|---|---|---|---|---|"]
        lines += [f"| `{_cell(s['id'])}` {_cell(s['label'])} | {_cell(s['kind'])} | {_cell(s['outlet'])} | "
                  f"{_cell(s['published']) or 'unknown'} | {_cell(s['language'])} | "
                  f"{_cell(', '.join(s['derived_from']))} | {_cell(s['origin'])} |"
                  for s in sources["listed"][:MAX_SHOWN]]
        lines += _more(sources)
    else:
        lines.append("None.")
    c = data["corroboration"]
    lines += ["", "## Corroboration", "",
              "Independent sources behind each statement (copies, digests and retellings of one original "
              "count once; a quote relayed through an outlet counts as that outlet's; curator notes count "
              "as none).", "",
              "| independent sources | statements |", "|---:|---:|",
              *[f"| {k} | {v} |" for k, v in c["by_independent_sources"].items()], ""]
    if c["corroborated"]["count"]:
        lines += ["Statements with two or more independent sources:", ""]
        lines += [f"- `{_cell(r['subject'])}` {r['predicate']} `{_cell(r['object'])}`: "
                  f"{r['independent_sources']} ({_cell(', '.join(r['origins']))})"
                  for r in c["corroborated"]["listed"][:MAX_SHOWN]]
        lines += _more(c["corroborated"])
    lines += ["", "### Suggested credibility (never applied)", ""]
    if c["credibility_suggestions"]["count"]:
        lines += [f"- `{_cell(r['subject'])}` {r['predicate']} `{_cell(r['object'])}`: "
                  f"{r['independent_sources']} independent sources agree; graded "
                  f"{', '.join(g or 'ungraded' for g in r['current'])}: consider 1 (confirmed by other "
                  f"independent sources) at {', '.join(r['rows'][:5])}"
                  for r in c["credibility_suggestions"]["listed"][:MAX_SHOWN]]
        lines += _more(c["credibility_suggestions"])
    else:
        lines.append("None.")
    lines += ["", "## Disputes", ""]
    if data["disputes"]["count"]:
        for d in data["disputes"]["listed"][:MAX_SHOWN]:
            lines.append(f"- {d['property']} of `{_cell(d['subject'])}` ({_cell(d['subject_label'])}), "
                         "in the order of publication:")
            for v in d["versions"]:
                who = "; ".join(f"{_cell(x['source'])}" + (f" ({_cell(x['claimant'])})" if x["claimant"] else "")
                                + f" `{x['row']}`" for x in v["claims"])
                lines.append(f"  - **{_cell(v['value'])}** ({v['published'] or 'date unknown'}): {who}")
        lines += _more(data["disputes"])
    else:
        lines.append("None.")
    lines += ["", "## Likely duplicates", ""]
    if data["likely_duplicates"]["count"]:
        lines += [f"- `{_cell(d['second'])}` and `{_cell(d['first'])}` ({d['how']}: {_cell(d['second_name'])!s}"
                  f" / {_cell(d['first_name'])})" for d in data["likely_duplicates"]["listed"][:MAX_SHOWN]]
        lines += _more(data["likely_duplicates"])
    else:
        lines.append("None.")
    lines += ["", "## Identity (kg:sameAs)", ""]
    if data["identities"]["count"]:
        lines += [f"- `{_cell(i['merged'])}` merged into `{_cell(i['into'])}`"
                  for i in data["identities"]["listed"][:MAX_SHOWN]]
        lines += _more(data["identities"])
    else:
        lines.append("None.")
    lines += ["", "## Relative times", ""]
    if data["relative_times"]["count"]:
        for t in data["relative_times"]["listed"][:MAX_SHOWN]:
            anchor = f"relative to `{_cell(t['relative_to'])}`"
            if t["anchor"]:
                anchor += f", published {t['anchor_date']}" + (
                    f" (`{_cell(t['anchor'])}`)" if t["anchor"] != t["relative_to"] else "")
            if "start" in t:
                lines.append(f"- `{_cell(t['time'])}` \"{_cell(t['words'])}\" ({anchor}): "
                             f"{t['start']} to {t['end']} ({t['precision']}, computed)")
            else:
                lines.append(f"- `{_cell(t['time'])}` \"{_cell(t['words'])}\" ({anchor}): stays relative "
                             f"({_cell(t['stays_relative'])})")
        lines += _more(data["relative_times"])
    else:
        lines.append("None.")
    return lines

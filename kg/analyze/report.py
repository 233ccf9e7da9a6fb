"""The analysis report: Markdown for people, JSON for programs, charts beside them.

``write_analysis(analysis, out_dir)`` writes ``analysis.md``, ``analysis.json`` and
``charts/<name>.png`` / ``.svg`` (one per :data:`kg.analyze.charts.CHARTS` entry), each
atomically; the same analysis gives byte-identical files. Text from the data is escaped for
Markdown, so a label or a quote cannot inject links, HTML or table cells.
"""

from __future__ import annotations

import json
from pathlib import Path

from kg.analyze.analysis import Analysis
from kg.analyze.charts import CHARTS, FORMATS, render
from kg.output.files import write_atomic

__all__ = ["REPORT_JSON", "REPORT_MD", "analysis_json", "analysis_markdown", "escape_markdown",
           "write_analysis"]

REPORT_MD = "analysis.md"
REPORT_JSON = "analysis.json"
CHART_DIR = "charts"

_MD_SPECIAL = set("\\`*_[]<>|#~!{}")


def escape_markdown(value: object) -> str:
    """Data text as inline Markdown: one line, Markdown punctuation backslash-escaped, ``&`` as an
    entity (so no link, image, HTML tag or table cell can be injected).

    Examples
    --------
    >>> escape_markdown("a | b <script>")
    'a \\\\| b \\\\<script\\\\>'
    """
    text = " ".join(str(value).split()).replace("&", "&amp;")
    return "".join(f"\\{c}" if c in _MD_SPECIAL else c for c in text)


def analysis_json(figures: dict) -> bytes:
    """The figures as sorted, indented JSON."""
    return (json.dumps(figures, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(escape_markdown(c) for c in row) + " |" for row in rows]
    return lines


def _figure_text(killed: int, at_least: bool, worded: dict | None = None) -> str:
    text = f"{'at least ' if at_least else ''}{killed}" if killed or at_least else "0"
    if worded:
        text += " (and " + ", ".join(sorted(set(worded.values()))) + " as worded)"
    return text


def _evidence_line(e: dict) -> str:
    who = f"claimed by {e['claimant_label']}" if e["claimant_label"] else "in the source's own voice"
    grade = f"{e['reliability']}{e['credibility']}" if e["reliability"] or e["credibility"] else "ungraded"
    quote = f"“{e['quote']}”" if e["quote"] else "(no quote)"
    return escape_markdown(f"{quote} ({e['source_label']}; {who}; {e['modality']}; {grade})")


def analysis_markdown(figures: dict, charts: list[str] | None = None) -> str:
    """The report as Markdown; ``charts`` are the chart file stems to embed."""
    md = escape_markdown
    d = figures["dataset"]
    p = figures["projection"]
    lines = [
        "# Network analysis", "",
        f"Dataset `{md(d['base'])}`: the projection has {d['nodes']} nodes and {d['edges']} edges "
        f"in {d['components']} connected component(s).", "",
        "## The projection", "",
        f"- Nodes kept: {md(', '.join(p['kinds']))} "
        f"({md(', '.join(f'{k} {v}' for k, v in d['kinds'].items()))}).",
        "- Events are " + ("nodes linked to their actors, places and assets" if p["events"] == "nodes"
                           else "folded into links between the entities they involve") + ".",
        f"- Claimants {'are linked to what their claims are about' if p['claimants'] else 'are left out'}.",
        f"- Claims excluded by modality: {md(', '.join(p['exclude_modalities']) or 'none')}; "
        f"inferred links: {'kept' if p['inferred'] else 'left out'}; "
        f"{'directed' if p['directed'] else 'undirected'}. Edge weight = number of claims behind the edge.",
        "",
        "## Centrality", "",
    ]
    for name, c in figures["centrality"].items():
        lines += [f"### {name.capitalize()}", "", f"{md(c['meaning']).capitalize()}. Method: {md(c['method'])} "
                  f"({md(c['engine'])}).", ""]
        lines += _table(["rank", "actor", "kind", "score"],
                        [[i + 1, r["label"], r["kind"], f"{r['score']:.4f}"] for i, r in enumerate(c["top_actors"])])
        lines += ["", "Top nodes of any kind: " + md("; ".join(
            f"{r['label']} ({r['kind']}, {r['score']:.4f})" for r in c["top_nodes"][:5])) + ".", ""]
    com = figures["communities"]
    lines += ["## Communities", "", f"{len(com['groups'])} communities ({md(com['method'])}, modularity "
              f"{com['modularity']:.3f}), largest first, each named after its best-linked member.", ""]
    for g in com["groups"]:
        members = ", ".join(m["label"] for m in g["members"][:25])
        more = f" and {g['size'] - 25} more" if g["size"] > 25 else ""
        lines.append(f"{g['index'] + 1}. **{md(g['name'])}** ({g['size']}): {md(members)}{more}")
    lines += ["", "## Shortest paths", ""]
    paths = figures["paths"]
    if paths is None:
        lines += ["No pair of entities chosen: run `kg analyze --from ID --to ID`.", ""]
    elif not paths["paths"]:
        lines += [f"**{md(paths['from']['label'])}** and **{md(paths['to']['label'])}** are not connected "
                  "in this projection.", ""]
    else:
        lines += [f"From **{md(paths['from']['label'])}** to **{md(paths['to']['label'])}**: "
                  f"{len(paths['paths'])} shortest path(s) of {paths['length']} hop(s).", ""]
        for i, path in enumerate(paths["paths"], 1):
            lines += [f"### Path {i}: " + " → ".join(md(label) for label in path["labels"]), ""]
            for hop in path["hops"]:
                for link in hop["links"]:
                    source, target = md(_label_of(link, hop, "source")), md(_label_of(link, hop, "target"))
                    arrow = f"{source} —{md(link['label'])}→ {target}"
                    attributed = link["evidence"] and not any(e.get("asserted") for e in link["evidence"])
                    lines.append(f"- {arrow}" + (" (inferred)" if link["inferred"] else "")
                                 + (" (attributed, not a fact)" if attributed else ""))
                    lines += [f"  - {_evidence_line(e)}" for e in link["evidence"]]
            lines.append("")
    lines += ["## Timelines", "",
              "Per actor, the events it is linked to or makes claims about. Columns: "
              + md(" · ".join(figures["timeline"]["columns"])) + " (years, then relative times from the "
              "coarsest to the finest: a reading order, not a chronology).", ""]
    for actor in figures["timeline"]["actors"]:
        entries = "; ".join(f"{e['time']}: {e['label']} ({', '.join(e['roles'])})"
                            + (f" [times given: {' / '.join(e['times'])}]" if len(e["times"]) > 1 else "")
                            for e in actor["events"])
        lines.append(f"- **{md(actor['label'])}**: {md(entries)}")
    lines += ["", "## Events and casualties by place", "",
              "Each place counts the events in it and in every place within it (`kg:locatedIn`); a "
              "death is never counted twice (an event's figure that a larger event's figure includes "
              "is not added again). Only facts are counted: events a place has only through a claim "
              "(a claimant's word, a curator inference such as Medellín lying in Colombia) are listed "
              "apart, uncounted.", ""]
    lines += _table(["place", "events", "killed", "wounded", "figures included in a larger event",
                     "only through a claim (not counted)"],
                    [[c["label"], c["event_count"], _figure_text(c["killed"], c["killed_at_least"]),
                      _figure_text(c["wounded"], c["wounded_at_least"], c["wounded_as_worded"]),
                      "; ".join(f"{k.rsplit('/', 1)[-1]} in {v.rsplit('/', 1)[-1]}"
                                for k, v in c["included_in"].items()),
                      ", ".join(e.rsplit("/", 1)[-1] for e in c["attributed_events"])]
                     for c in figures["counts_by_place"]])
    lines += ["", "## Events and casualties by type", ""]
    lines += _table(["event type", "events", "killed", "wounded", "only through a claim (not counted)"],
                    [[c["label"], c["event_count"], _figure_text(c["killed"], c["killed_at_least"]),
                      _figure_text(c["wounded"], c["wounded_at_least"], c["wounded_as_worded"]),
                      ", ".join(e.rsplit("/", 1)[-1] for e in c["attributed_events"])]
                     for c in figures["counts_by_type"]])
    versions = {event: found for c in figures["counts_by_place"] + figures["counts_by_type"]
                for event, found in c["versions"].items()}
    if versions:
        lines += ["", "## Figures in several versions", "",
                  "The sources give these figures in more than one version (\"disputed\" when they disagree). "
                  "No version is counted as the fact: the tables above count the lowest figure the "
                  "reported-fact versions give, as \"at least\"; a figure only a claim gives is never counted.",
                  ""]
        for event, found in sorted(versions.items()):
            for prop, texts in found.items():
                shown = " / ".join(t for t in texts if t != "disputed")
                if texts[0] == "disputed":
                    shown = f"disputed: {shown}"
                lines.append(f"- **{md(event.rsplit('/', 1)[-1])}**, {md(prop)}: {md(shown)}")
    if charts:
        lines += ["", "## Charts", ""]
        lines += [f"![{name}]({CHART_DIR}/{name}.svg)" for name in charts]
    lines.append("")
    return "\n".join(lines)


def _label_of(link: dict, hop: dict, end: str) -> str:
    iri = link[end]
    if iri == hop["from"]:
        return hop["from_label"]
    if iri == hop["to"]:
        return hop["to_label"]
    return iri.rsplit("/", 1)[-1]


def write_analysis(analysis: Analysis, out_dir: Path) -> list[Path]:
    """Write the report, the JSON and the charts into ``out_dir``; return the paths written."""
    figures = analysis.figures()
    written = []
    for name, draw in sorted(CHARTS.items()):
        fig = draw(figures)
        for fmt in FORMATS:
            path = out_dir / CHART_DIR / f"{name}.{fmt}"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, render(fig, fmt))
            written.append(path)
    for name, data in ((REPORT_JSON, analysis_json(figures)),
                       (REPORT_MD, analysis_markdown(figures, sorted(CHARTS)).encode("utf-8"))):
        write_atomic(out_dir / name, data)
        written.append(out_dir / name)
    return sorted(written)

"""The build report: counts by class and modality, quote checks and warnings, and the body of
reporting's sources, corroboration, disputes, duplicates, identities and relative times
(:mod:`kg.output.reporting`), as JSON and Markdown."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from kg.build import Built
from kg.check import Resolved
from kg.errors import Report
from kg.load import Records
from kg.ontology import Ontology
from kg.output.reporting import reporting_markdown, reporting_sections
from kg.vocab import KG, RDF

__all__ = ["build_report", "report_json", "report_markdown"]


def build_report(records: Records, resolved: Resolved, report: Report, built: Built,
                 outputs: list[str]) -> dict[str, object]:
    """The facts about one build, as plain data with a stable order."""
    onto: Ontology = resolved.ontology
    by_class: Counter[str] = Counter()
    for entity in resolved.entities.values():
        for cls in entity.types:
            by_class[f"{built.curie(cls)} ({onto.label(cls)})"] += 1
    by_modality = Counter(onto.label(c.modality) for c in resolved.claims)
    graphs = {"inferred": 0}  # listed even before inference
    for name in built.quads.names():
        graphs["default" if not name else name[1:-1].rsplit("/", 1)[-1]] = built.quads.count(name)
    event = (f"<{RDF.type}>", f"<{KG.Event}>")
    events = sum(1 for pairs in built.quads.graphs.get(built.facts, {}).values() if event in pairs)
    claims_total = len(resolved.claims)
    return {
        "dataset": records.project.name,
        "base": records.project.base,
        "files": sorted(Path(f).name for f in records.files),
        "triples": dict(sorted(graphs.items())),
        "entities": len(resolved.entities),
        "entities_by_class": dict(sorted(by_class.items())),
        "sources": len(resolved.sources),
        "claims": claims_total,
        "claims_by_modality": dict(sorted(by_modality.items())),
        "claims_attributed": sum(1 for c in resolved.claims if c.claimant is not None),
        "claims_asserted": sum(1 for c in resolved.claims if c.asserted),
        "claims_inferred": sum(1 for c in resolved.claims if c.inference),
        "claims_external": sum(1 for c in resolved.claims if c.external),
        "events": events,
        "quotes_checked": resolved.quotes_checked,
        "source_texts_missing": sorted(set(resolved.texts_missing)),
        **reporting_sections(resolved, built),
        "warnings": [
            dict(i.to_dict(), file=Path(i.position.file).name) for i in report.warnings
        ],
        "outputs": sorted(outputs),
    }


def report_markdown(data: dict) -> str:
    """The build report as Markdown for people."""
    lines = [
        f"# Build report: {data['dataset']}",
        "",
        f"- base IRI: `{data['base']}`",
        f"- input files: {', '.join(data['files'])}",
        f"- entities: {data['entities']}, events: {data['events']}, sources: {data['sources']}",
        f"- claims: {data['claims']} ({data['claims_asserted']} asserted as facts in a source's own voice, "
        f"{data['claims_attributed']} attributed to a claimant, {data['claims_inferred']} curator inferences, "
        f"{data['claims_external']} external)",
        f"- quotes checked against source texts: {data['quotes_checked']}"
        + (f" (texts not found: {', '.join(data['source_texts_missing'])})" if data["source_texts_missing"] else ""),
        "",
        "## Triples by graph",
        "",
        "| graph | triples |",
        "|---|---:|",
        *[f"| {g} | {n} |" for g, n in data["triples"].items()],
        "",
        "## Entities by class",
        "",
        "| class | entities |",
        "|---|---:|",
        *[f"| {c} | {n} |" for c, n in data["entities_by_class"].items()],
        "",
        "## Claims by modality",
        "",
        "| modality | claims |",
        "|---|---:|",
        *[f"| {m} | {n} |" for m, n in data["claims_by_modality"].items()],
        "",
        *reporting_markdown(data),
        "",
        "## Warnings",
        "",
    ]
    if data["warnings"]:
        lines += [f"- `{w['file']}:{w['line']}` {w['code']}: {w['message']}" for w in data["warnings"]]
    else:
        lines.append("None.")
    lines += ["", "## Outputs", "", *[f"- `{o}`" for o in data["outputs"]], ""]
    return "\n".join(lines)


def report_json(data: dict) -> bytes:
    """The build report as JSON bytes."""
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")

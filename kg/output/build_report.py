"""The build report: counts by class and modality, quote checks and warnings (JSON and Markdown)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from rdflib import Dataset

from kg.errors import Report
from kg.load import Records
from kg.ontology import Ontology
from kg.check.resolve import Resolved
from kg.vocab import KG, RDF

__all__ = ["build_report", "report_markdown"]


def _curie(ds: Dataset, iri) -> str:
    try:
        return ds.namespace_manager.normalizeUri(iri)
    except Exception:  # noqa: BLE001 - rdflib raises several types for unbindable IRIs
        return str(iri)


class _Namespaces:
    """The prefixes of a build, with the ``namespace_manager`` a Dataset has (for CURIEs)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        from rdflib import Graph
        from rdflib.namespace import NamespaceManager

        self.namespace_manager = NamespaceManager(Graph(), bind_namespaces="none")
        for prefix, ns in prefixes.items():
            self.namespace_manager.bind(prefix, ns, override=True, replace=True)


def build_report(records: Records, resolved: Resolved, report: Report, ds,
                 outputs: list[str]) -> dict:
    """The facts about one build, as plain data with a stable order. ``ds`` is the built
    Dataset, or the :class:`kg.build.quads.Quads` of a fast build."""
    from kg.build.quads import Quads  # the fast build passes its quads instead of a Dataset

    quads = None
    if isinstance(ds, Quads):
        quads, ds = ds, _Namespaces(ds.prefixes)
    onto: Ontology = resolved.ontology
    by_class: Counter[str] = Counter()
    for entity in resolved.entities.values():
        for cls in entity.types:
            by_class[f"{_curie(ds, cls)} ({onto.label(cls)})"] += 1
    by_modality = Counter(onto.label(c.modality) for c in resolved.claims)
    graphs = {}
    if quads is not None:
        for name in quads.names():
            graphs["default" if not name else name[1:-1].rsplit("/", 1)[-1]] = quads.count(name)
        graphs.setdefault("inferred", 0)  # as an rdflib Dataset lists it, empty until inference
        events = sum(1 for pairs in quads.graphs.get("", {}).values()
                     if (f"<{RDF.type}>", f"<{KG.Event}>") in pairs)
    else:
        for ctx in ds.graphs():
            name = "default" if ctx.identifier == ds.default_graph.identifier else str(ctx.identifier).rsplit("/", 1)[-1]
            graphs[name] = len(ctx)
        events = sum(1 for _ in ds.default_graph.subjects(RDF.type, KG.Event))
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
        "claims_external": sum(1 for c in resolved.claims if c.external),
        "events": events,
        "quotes_checked": resolved.quotes_checked,
        "source_texts_missing": sorted(set(resolved.texts_missing)),
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
        f"- claims: {data['claims']} ({data['claims_attributed']} attributed to a claimant, "
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

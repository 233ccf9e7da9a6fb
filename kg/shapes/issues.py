"""SHACL: run the shapes in ``ontology/shapes.ttl``, and map results to rows.

The shapes run on :class:`kg.build.quads.Quads` with kg's own validator (:mod:`kg.shapes.engine`,
seconds on a million triples, where pySHACL takes minutes); pySHACL stays the reference: it runs
when the shapes use a feature the fast validator does not implement, on request
(``engine="pyshacl"``), and a test checks both give the same results.

Each result's focus node and path are looked up in the positions the record checks kept, so a
violation points at the file:line of the row that caused it, not at an IRI.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from kg.errors import Issue, Position, Severity
from kg.build.quads import Quads, from_dataset
from kg.check.resolve import Resolved
from kg.shapes.engine import Result, Unsupported, compile_shapes, validate_quads
from kg.vocab import SH

__all__ = ["ENGINES", "pyshacl_results", "shacl_issues", "shacl_issues_quads", "shacl_results"]

#: The validators: "fast" (kg.shapes.engine, falling back to pySHACL) and "pyshacl".
ENGINES = ("fast", "pyshacl")


def _curie(ns: NamespaceManager, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return ns.normalizeUri(node)
        except Exception:  # noqa: BLE001 - rdflib raises several types for unbindable IRIs
            return f"<{node}>"
    return str(node)


def _namespaces(prefixes: dict[str, str]) -> NamespaceManager:
    graph = Graph()  # rdflib's default bindings, then ours, as the pySHACL data graph had
    for prefix, ns in prefixes.items():
        graph.bind(prefix, ns, override=True)
    return graph.namespace_manager


def _graph_names(quads: Quads, base: str) -> list[str]:
    """The asserted facts, the provenance and the ontology: never inferred triples."""
    return [n for n in quads.names(inferred=False)
            if n == "" or n in (f"<{base}graph/provenance>", f"<{base}graph/ontology>")]


def shacl_results(quads: Quads, resolved: Resolved, *, engine: str = "fast") -> list[Result]:
    """The raw SHACL results for the quads (facts, provenance and ontology merged)."""
    if engine == "fast":
        try:
            shapes = compile_shapes(resolved.ontology.shapes)
        except Unsupported:
            engine = "pyshacl"
        else:
            return validate_quads(quads, shapes, _graph_names(quads, resolved.base), _namespaces(quads.prefixes))
    return pyshacl_results(quads, resolved)


def pyshacl_results(quads: Quads, resolved: Resolved) -> list[Result]:
    """The SHACL results as pySHACL computes them (slow: the reference implementation)."""
    import pyshacl  # heavy import, only when validating this way

    data = Graph()
    for prefix, ns in quads.prefixes.items():
        data.bind(prefix, ns, override=True)
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in quads.triples(_graph_names(quads, resolved.base)))
    data.parse(data=text, format="nt")
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=resolved.ontology.shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return []
    out = []
    for result in results.subjects(SH.focusNode, None):
        message = results.value(result, SH.resultMessage)
        out.append(Result(
            results.value(result, SH.focusNode), results.value(result, SH.resultPath),
            results.value(result, SH.value), str(message) if isinstance(message, Literal) else "",
            results.value(result, SH.resultSeverity) or SH.Violation,
        ))
    return out


def _issues(results: list[Result], resolved: Resolved, ns: NamespaceManager) -> list[Issue]:
    issues = []
    for r in results:
        position = resolved.position_of(r.focus, r.path, r.value) or Position("(graph)")
        where = _curie(ns, r.focus) + (f" {_curie(ns, r.path)}" if isinstance(r.path, URIRef) else "")
        text = r.message or "violates a shape"
        if r.value is not None and r.value != r.focus:
            text += f" (value: {_curie(ns, r.value)})"
        issues.append(Issue(
            "KG401", f"{where}: {text}", position,
            fix="correct the row so that it satisfies the shape (ontology/shapes.ttl)",
            severity=Severity.ERROR if r.severity == SH.Violation else Severity.WARNING,
        ))
    return issues


def shacl_issues_quads(quads: Quads, resolved: Resolved, *, engine: str = "fast") -> list[Issue]:
    """Validate the quads against the shapes; one issue per result."""
    return _issues(shacl_results(quads, resolved, engine=engine), resolved, _namespaces(quads.prefixes))


def shacl_issues(ds: Dataset, resolved: Resolved, *, engine: str = "fast") -> list[Issue]:
    """Validate the asserted and provenance graphs of ``ds`` against the shapes; one issue per result."""
    return shacl_issues_quads(from_dataset(ds), resolved, engine=engine)

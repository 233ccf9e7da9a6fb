"""SHACL: run the shapes in ``ontology/shapes.ttl`` with pySHACL, and map results to rows.

Each result's focus node and path are looked up in the positions the record checks kept, so a
violation points at the file:line of the row that caused it, not at an IRI.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import Issue, Position, Severity
from kg.validate.records import Resolved
from kg.vocab import SH

__all__ = ["shacl_issues"]


def _curie(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 - rdflib raises several types for unbindable IRIs
            return f"<{node}>"
    return str(node)


def shacl_issues(ds: Dataset, resolved: Resolved) -> list[Issue]:
    """Validate the asserted and provenance graphs against the shapes; one issue per result."""
    import pyshacl  # heavy import, only when validating

    data = Graph()
    for prefix, ns in ds.namespaces():
        data.bind(prefix, ns, override=True)
    names = {URIRef(f"{resolved.base}graph/provenance"), ds.default_graph.identifier}
    for graph in ds.graphs():
        if graph.identifier in names:
            for triple in graph:
                data.add(triple)
    # The ontology goes into the data graph itself (pySHACL mixes ont_graph in only when it
    # infers), so that sh:class sees subclasses and concept shapes see skos:inScheme.
    for triple in resolved.ontology.graph:
        data.add(triple)
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=resolved.ontology.shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return []
    issues = []
    for result in results.subjects(SH.focusNode, None):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        position = resolved.position_of(focus, path, value) or Position("(graph)")
        where = _curie(data, focus) + (f" {_curie(data, path)}" if isinstance(path, URIRef) else "")
        text = str(message) if isinstance(message, Literal) else "violates a shape"
        if value is not None and value != focus:
            text += f" (value: {_curie(data, value)})"
        issues.append(Issue(
            "KG401", f"{where}: {text}", position,
            fix="correct the row so that it satisfies the shape (ontology/shapes.ttl)",
            severity=Severity.ERROR if severity == SH.Violation else Severity.WARNING,
        ))
    return issues

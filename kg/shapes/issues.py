"""SHACL: run the shapes in ``ontology/shapes.ttl``, and map results to rows.

The shapes run on :class:`kg.build.quads.Quads` with kg's own validator (:mod:`kg.shapes.engine`,
seconds on a million triples, where pySHACL takes minutes); pySHACL stays the reference: it runs
when the shapes use a feature the fast validator does not implement, on request
(``engine="pyshacl"``), and a test checks both give the same results.

Each result's focus node and path are looked up in the positions the record checks kept, so a
violation points at the file:line of the row that caused it, not at an IRI.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from kg.build.claimed import claimed_graph_name, with_claimed
from kg.build.quads import Quads, from_dataset
from kg.check.resolve import Resolved
from kg.errors import Issue, Position, Severity, UsageError
from kg.ontology import SHAPES_FILE
from kg.shapes.engine import InvalidShapes, Result, ShapeSet, Unsupported, compile_shapes, validate_quads
from kg.vocab import RDF, SH

__all__ = ["ENGINES", "SHAPES_SHOWN", "compiled_or_reason", "fallback_issue", "pyshacl_graph_results",
           "pyshacl_results", "shacl_issues", "shacl_issues_quads", "shacl_results", "shacl_run"]

#: Where issues about the shapes themselves point.
SHAPES_SHOWN = f"ontology/{SHAPES_FILE}"

#: The validators: "fast" (kg.shapes.engine, falling back to pySHACL) and "pyshacl".
ENGINES = ("fast", "pyshacl")


def _curie(ns: NamespaceManager, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return ns.normalizeUri(node)
        except Exception:  # noqa: BLE001 - rdflib raises several types for unbindable IRIs
            return f"<{node}>"
    return str(node)


def _namespaces(prefixes: Mapping[str, str]) -> NamespaceManager:
    graph = Graph()  # rdflib's default bindings, then ours, as the pySHACL data graph had
    for prefix, ns in prefixes.items():
        graph.bind(prefix, ns, override=True)
    return graph.namespace_manager


def _graph_names(quads: Quads, base: str) -> list[str]:
    """The asserted facts, the provenance, the ontology and every claim's triple (whoever makes
    it: :mod:`kg.build.claimed`): never inferred triples."""
    return [n for n in quads.names(inferred=False)
            if n == "" or n in (f"<{base}graph/provenance>", f"<{base}graph/ontology>", claimed_graph_name(base))]


def compiled_or_reason(shapes: Graph) -> ShapeSet | Unsupported:
    """The compiled shapes, or the :class:`Unsupported` naming what kg's engine cannot compile.
    Shapes SHACL itself forbids (see :class:`~kg.shapes.terms.InvalidShapes`) raise
    :class:`~kg.errors.UsageError`: no validator may use them, so they do not go to pySHACL."""
    try:
        return compile_shapes(shapes)
    except Unsupported as exc:
        return exc
    except InvalidShapes as exc:
        raise UsageError(f"{SHAPES_SHOWN}: invalid SHACL shapes: {_plain('; '.join(exc.problems))}; fix: "
                         "rewrite these SPARQL queries without what SHACL forbids there") from None


def shacl_run(quads: Quads, resolved: Resolved, *, engine: str = "fast") -> tuple[list[Result], tuple[str, ...]]:
    """The SHACL results for the quads (facts, provenance, ontology and the triple of every claim
    merged: the shapes check what the sources say, whoever says it; :mod:`kg.build.claimed`), and
    the constructs that sent the shapes to pySHACL (empty when kg's engine checked them, or pySHACL
    was asked for)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}; choose from {', '.join(ENGINES)}")
    quads = with_claimed(quads, resolved.base)
    if engine == "fast":
        compiled = compiled_or_reason(resolved.ontology.shapes)
        if isinstance(compiled, ShapeSet):
            try:
                return validate_quads(quads, compiled, _graph_names(quads, resolved.base),
                                      _namespaces(quads.prefixes)), ()
            except Unsupported as exc:  # found on the data (see Validator.store)
                compiled = exc
        return pyshacl_results(quads, resolved), compiled.constructs
    return pyshacl_results(quads, resolved), ()


def shacl_results(quads: Quads, resolved: Resolved, *, engine: str = "fast") -> list[Result]:
    """The raw SHACL results for the quads (facts, provenance and ontology merged)."""
    return shacl_run(quads, resolved, engine=engine)[0]


def pyshacl_results(quads: Quads, resolved: Resolved) -> list[Result]:
    """The SHACL results as pySHACL computes them (slow: the reference implementation)."""
    quads = with_claimed(quads, resolved.base)  # the same graphs as kg's engine checks
    data = Graph()
    for prefix, ns in quads.prefixes.items():
        data.bind(prefix, ns, override=True)
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in quads.triples(_graph_names(quads, resolved.base)))
    data.parse(data=text, format="nt")
    return pyshacl_graph_results(data, resolved.ontology.shapes)


def pyshacl_graph_results(data: Graph, shapes: Graph) -> list[Result]:
    """pySHACL's results (the report's top-level ``sh:result``s, not their ``sh:detail``) for an
    rdflib data graph. A shapes graph pySHACL refuses raises :class:`~kg.errors.UsageError`."""
    import pyshacl  # heavy import, only when validating this way
    from pyshacl.errors import ReportableRuntimeError, ValidationFailure

    try:
        conforms, report, _ = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
        )
    except (ReportableRuntimeError, RecursionError, NotImplementedError) as exc:
        raise UsageError(f"{SHAPES_SHOWN}: pySHACL cannot use these SHACL shapes: {_plain(exc)}") from None
    if isinstance(report, ValidationFailure):  # returned, not raised: SHACL's "failure" (shapes it forbids)
        raise UsageError(f"{SHAPES_SHOWN}: pySHACL reports a failure for these SHACL shapes: "
                         f"{_plain(report.message)}")
    del conforms  # with allow_warnings, a report of warnings only "conforms": read it all the same
    out = []
    for root in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(root, SH.result):
            messages = tuple(sorted((m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)),
                                    key=lambda m: (str(m), m.language or "")))
            out.append(Result(
                report.value(result, SH.focusNode), report.value(result, SH.resultPath),
                report.value(result, SH.value), str(messages[0]) if messages else "",
                report.value(result, SH.resultSeverity) or SH.Violation,
                report.value(result, SH.sourceShape), report.value(result, SH.sourceConstraintComponent),
                report.value(result, SH.sourceConstraint), messages,
            ))
    return out


def _plain(exc: BaseException | str) -> str:
    """An exception's (or a message's) text on one line, without control characters (it may quote
    the shapes)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return "".join(c if c.isprintable() else "?" for c in text)[:300]


def fallback_issue(constructs: tuple[str, ...]) -> Issue:
    """The KG402 warning: the shapes went to pySHACL, and why."""
    return Issue(
        "KG402",
        "SHACL shapes use constructs kg's engine does not compile; pySHACL checked them instead "
        f"(slower on large data): {'; '.join(constructs)}",
        Position(SHAPES_SHOWN),
        fix="nothing is wrong with the data; to validate faster, express these shapes with the constraint "
            "components kg compiles (README, SHACL)",
        severity=Severity.WARNING,
    )


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
    """Validate the quads against the shapes; one issue per result, and a KG402 warning when
    the shapes went to pySHACL because kg's engine does not compile all of them."""
    results, constructs = shacl_run(quads, resolved, engine=engine)
    issues = _issues(results, resolved, _namespaces(quads.prefixes))
    if constructs:
        issues.append(fallback_issue(constructs))
    return issues


def shacl_issues(ds: Dataset, resolved: Resolved, *, engine: str = "fast") -> list[Issue]:
    """Validate the asserted and provenance graphs of ``ds`` against the shapes; one issue per result."""
    return shacl_issues_quads(from_dataset(ds), resolved, engine=engine)

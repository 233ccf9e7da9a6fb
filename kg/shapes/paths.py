"""SHACL property paths: compiled from the shapes graph, evaluated over N-Triples terms.

A path is a small tuple tree: ``("pred", "<iri>")``, ``("inv", path)``, ``("seq", (p, ...))``,
``("alt", (p, ...))``, ``("star", path)`` (sh:zeroOrMorePath), ``("plus", path)``
(sh:oneOrMorePath) and ``("opt", path)`` (sh:zeroOrOnePath), as in SHACL 1.0 section 2.3.1.
A node that is none of these is not a well-formed path: :func:`compile_path` raises
:class:`ValueError` and the caller hands the shapes to pySHACL.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from kg.ntriples import term_n3
from kg.vocab import RDF, SH

__all__ = ["Path", "compile_path", "evaluate_path", "invert_path", "sparql_path"]

Path = tuple
_SPARQL_MODIFIERS = {"star": "*", "plus": "+", "opt": "?"}
_UNARY = {SH.inversePath: "inv", SH.zeroOrMorePath: "star", SH.oneOrMorePath: "plus", SH.zeroOrOnePath: "opt"}


def _list_items(graph: Graph, node: Node) -> list[Node] | None:
    """The members of a well-formed RDF list, or None."""
    items, seen = [], set()
    while node != RDF.nil:
        if node in seen or not isinstance(node, BNode):
            return None
        seen.add(node)
        firsts, rests = list(graph.objects(node, RDF.first)), list(graph.objects(node, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1:
            return None
        items.append(firsts[0])
        node = rests[0]
    return items


def compile_path(graph: Graph, node: Node, depth: int = 0) -> Path:
    """The path at ``node`` of the shapes graph; :class:`ValueError` when it is not well formed."""
    if depth > 50:
        raise ValueError("path nested too deeply")
    if isinstance(node, URIRef):
        return ("pred", term_n3(node))
    if not isinstance(node, BNode):
        raise ValueError(f"a literal is not a path: {node!r}")
    if next(graph.objects(node, RDF.first), None) is not None:
        items = _list_items(graph, node)
        if items is None or len(items) < 2:
            raise ValueError("a sequence path is a well-formed list of two or more paths")
        return ("seq", tuple(compile_path(graph, i, depth + 1) for i in items))
    predicates = set(graph.predicates(node, None))
    if predicates == {SH.alternativePath}:
        lists = list(graph.objects(node, SH.alternativePath))
        items = _list_items(graph, lists[0]) if len(lists) == 1 else None
        if items is None or len(items) < 2:
            raise ValueError("sh:alternativePath takes a well-formed list of two or more paths")
        return ("alt", tuple(compile_path(graph, i, depth + 1) for i in items))
    if len(predicates) == 1 and next(iter(predicates)) in _UNARY:
        (predicate,) = predicates
        assert isinstance(predicate, URIRef)  # a key of _UNARY
        inner = list(graph.objects(node, predicate))
        if len(inner) != 1:
            raise ValueError(f"{predicate} takes one path")
        return (_UNARY[predicate], compile_path(graph, inner[0], depth + 1))
    raise ValueError("not a SHACL path")


def evaluate_path(path: Path, node: str, forward: Callable[[str, str], list[str]],
                  backward: Callable[[str, str], list[str]]) -> set[str]:
    """The value nodes of ``path`` from ``node``: ``forward(s, p)`` gives the objects of ``s p ?o``
    and ``backward(o, p)`` the subjects of ``?s p o`` (every term in N-Triples form)."""
    kind = path[0]
    if kind == "pred":
        return set(forward(node, path[1]))
    if kind == "inv":
        inner = path[1]
        if inner[0] == "pred":
            return set(backward(node, inner[1]))
        return evaluate_path(invert_path(inner), node, forward, backward)
    if kind == "seq":
        current = {node}
        for step in path[1]:
            current = {v for n in current for v in evaluate_path(step, n, forward, backward)}
        return current
    if kind == "alt":
        return {v for step in path[1] for v in evaluate_path(step, node, forward, backward)}
    if kind == "opt":
        return {node} | evaluate_path(path[1], node, forward, backward)
    # "star" and "plus": the closure
    seen: set[str] = set()
    todo = [node]
    while todo:
        for v in evaluate_path(path[1], todo.pop(), forward, backward):
            if v not in seen:
                seen.add(v)
                todo.append(v)
    return seen | {node} if kind == "star" else seen


def invert_path(path: Path) -> Path:
    """The path read backwards: its values from ``y`` are the nodes whose values include ``y``."""
    kind = path[0]
    if kind == "pred":
        return ("inv", path)
    if kind == "inv":
        return path[1]
    if kind == "seq":
        return ("seq", tuple(invert_path(p) for p in reversed(path[1])))
    if kind == "alt":
        return ("alt", tuple(invert_path(p) for p in path[1]))
    return (kind, invert_path(path[1]))


def sparql_path(path: Path) -> str:
    """The path in SPARQL 1.1 property-path syntax (for ``$PATH`` in SPARQL constraints)."""
    kind = path[0]
    if kind == "pred":
        return path[1]
    if kind == "inv":
        return f"^({sparql_path(path[1])})"
    if kind == "seq":
        return "(" + "/".join(sparql_path(p) for p in path[1]) + ")"
    if kind == "alt":
        return "(" + "|".join(sparql_path(p) for p in path[1]) + ")"
    return f"({sparql_path(path[1])}){_SPARQL_MODIFIERS[kind]}"

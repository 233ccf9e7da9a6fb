"""A fast SHACL validator for the shapes kg uses, over :class:`kg.build.quads.Quads`.

pySHACL walks an rdflib graph and takes minutes on a million triples. This module compiles the
shapes graph once into small Python objects and checks them against the quads' sorted
``(predicate, object)`` lists, which answer "the values of this property on this node" with a
binary search. It implements the SHACL Core constraints our shapes use (targets by class, with
subclasses, and by subject-of; property shapes with a predicate path; ``sh:class``,
``sh:datatype``, ``sh:minCount``, ``sh:maxCount``, ``sh:minInclusive``, ``sh:maxInclusive``,
``sh:hasValue``, ``sh:in``, ``sh:node``, ``sh:or``, ``sh:and``, ``sh:not``) and SPARQL-based
constraints (``sh:sparql`` with ``sh:select``), which run on a pyoxigraph store holding the
asserted facts and the ontology (not the claims, which are most of the triples). Results carry
the same focus node, path, value, message and severity as pySHACL's; a test checks both agree.

A shapes graph using anything else raises :class:`Unsupported`, and
:func:`kg.shapes.issues.shacl_issues` then falls back to pySHACL.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from kg.build.quads import Quads
from kg.ntriples import parse_term, term_n3
from kg.vocab import RDF, RDFS, SH, XSD

__all__ = ["Result", "ShapeSet", "Unsupported", "compile_shapes", "validate_quads"]

_A = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"
_LANG_STRING = str(RDF.langString)
#: Shape parameters understood here (anything else under sh: is refused).
_KNOWN = {SH.path, SH.targetClass, SH.targetSubjectsOf, SH.property, SH.message, SH.severity,
          SH.deactivated, SH["class"], SH.datatype, SH.minCount, SH.maxCount, SH.minInclusive,
          SH.maxInclusive, SH.hasValue, SH["in"], SH.node, SH["or"], SH["and"], SH["not"], SH.sparql,
          SH.name, SH.description, SH.order, SH.group}


class Unsupported(Exception):
    """The shapes use a SHACL feature this validator does not implement."""


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL would report it."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    severity: URIRef


@dataclass
class Shape:
    """A compiled node or property shape."""

    node: Node
    path: str | None = None  # N-Triples form of a predicate path
    path_iri: URIRef | None = None
    messages: list[str] = field(default_factory=list)
    severity: URIRef = SH.Violation
    target_classes: list[str] = field(default_factory=list)
    target_subjects_of: list[str] = field(default_factory=list)
    constraints: list[tuple[str, object]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    deactivated: bool = False


@dataclass
class ShapeSet:
    """Every shape of a shapes graph, and the graph's prefixes for messages."""

    shapes: dict[Node, Shape]
    graph: Graph

    def curie(self, node: Node) -> str:
        try:
            return node.n3(namespace_manager=self.graph.namespace_manager)
        except Exception:  # noqa: BLE001 - rdflib raises several types for unbindable IRIs
            return str(node)


def compile_shapes(graph: Graph) -> ShapeSet:
    """Compile a shapes graph; raises :class:`Unsupported` for features not implemented here."""
    shapes: dict[Node, Shape] = {}

    def compile_one(node: Node) -> Shape:
        if node in shapes:
            return shapes[node]
        shape = shapes[node] = Shape(node)
        for p in set(graph.predicates(node, None)):
            if str(p).startswith(str(SH)) and p not in _KNOWN:
                raise Unsupported(f"{p} on shape {node}")
        path = graph.value(node, SH.path)
        if path is not None:
            if not isinstance(path, URIRef):
                raise Unsupported(f"complex path on shape {node}")
            shape.path, shape.path_iri = f"<{path}>", path
        shape.messages = sorted(str(m) for m in graph.objects(node, SH.message))
        shape.severity = graph.value(node, SH.severity) or SH.Violation
        shape.deactivated = bool(graph.value(node, SH.deactivated))
        shape.target_classes = sorted(term_n3(c) for c in graph.objects(node, SH.targetClass))
        shape.target_subjects_of = sorted(term_n3(c) for c in graph.objects(node, SH.targetSubjectsOf))
        for cls in sorted(graph.objects(node, SH["class"])):
            shape.constraints.append(("class", cls))
        for datatype in graph.objects(node, SH.datatype):
            shape.constraints.append(("datatype", datatype))
        for name, param in (("minCount", SH.minCount), ("maxCount", SH.maxCount)):
            for value in graph.objects(node, param):
                shape.constraints.append((name, int(value)))
        for name, param in (("minInclusive", SH.minInclusive), ("maxInclusive", SH.maxInclusive)):
            for value in graph.objects(node, param):
                shape.constraints.append((name, value))
        for value in graph.objects(node, SH.hasValue):
            shape.constraints.append(("hasValue", value))
        for lst in graph.objects(node, SH["in"]):
            shape.constraints.append(("in", [term_n3(v) for v in Collection(graph, lst)]))
        for other in graph.objects(node, SH.node):
            shape.constraints.append(("node", compile_one(other)))
        for name in ("or", "and"):
            for lst in graph.objects(node, SH[name]):
                members = [compile_one(m) for m in Collection(graph, lst)]
                shape.constraints.append((name, (lst, members)))
        for other in graph.objects(node, SH["not"]):
            shape.constraints.append(("not", compile_one(other)))
        for sparql in graph.objects(node, SH.sparql):
            shape.constraints.append(("sparql", _sparql(graph, sparql)))
        shape.properties = [compile_one(p) for p in sorted(graph.objects(node, SH.property), key=str)]
        return shape

    roots = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(SH.targetClass, None)) \
        | set(graph.subjects(SH.targetSubjectsOf, None))
    for p in (SH.targetNode, SH.targetObjectsOf, SH.target):
        if next(graph.subjects(p, None), None) is not None:
            raise Unsupported(str(p))
    for root in sorted(roots, key=str):
        compile_one(root)
    return ShapeSet(shapes, graph)


@dataclass(frozen=True)
class _Sparql:
    query: str
    messages: tuple[str, ...]


def _sparql(graph: Graph, node: Node) -> _Sparql:
    select = graph.value(node, SH.select)
    if select is None:
        raise Unsupported("sh:sparql without sh:select")
    lines = []
    for prefixes in graph.objects(node, SH.prefixes):
        for decl in graph.objects(prefixes, SH.declare):
            lines.append(f"PREFIX {graph.value(decl, SH.prefix)}: <{graph.value(decl, SH.namespace)}>")
    return _Sparql("\n".join(sorted(lines)) + "\n" + str(select).replace("$this", "?this"),
                   tuple(sorted(str(m) for m in graph.objects(node, SH.message))))


def _number(node: str) -> Decimal | None:
    term = parse_term(node)
    if not isinstance(term, Literal):
        return None
    try:
        return Decimal(str(term))
    except InvalidOperation:
        return None


class _Validator:
    def __init__(self, quads: Quads, names: list[str], shapes: ShapeSet, data_ns: NamespaceManager) -> None:
        self.graphs = [quads.graphs[n] for n in names if n in quads.graphs]
        self.quads, self.names = quads, names
        self.shapes = shapes
        self.data_ns = data_ns
        self.memo: dict[tuple[int, str], bool] = {}
        self.sparql_cache: dict[str, dict[str, str | None]] = {}
        self.datatype_ok: dict[tuple[Node, str], bool] = {}
        # Each subject's pairs in the merged graphs (shared lists; merged where graphs overlap).
        self.pairs: dict[str, list[tuple[str, str]]] = {}
        for graph in self.graphs:
            for s, pairs in graph.items():
                if s in self.pairs:
                    self.pairs[s] = sorted(set(self.pairs[s]) | set(pairs))
                else:
                    self.pairs[s] = pairs
        self._store = None
        # rdfs:subClassOf closure, from the data (the ontology is in it).
        parents: dict[str, set[str]] = {}
        for graph in self.graphs:
            for s, pairs in graph.items():
                for o in self._objects(pairs, _SUBCLASS):
                    parents.setdefault(s, set()).add(o)
        self.supers: dict[str, set[str]] = {}
        for cls in parents:
            seen, todo = set(), [cls]
            while todo:
                for parent in parents.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            self.supers[cls] = seen

    @staticmethod
    def _objects(pairs: list[tuple[str, str]], p: str) -> list[str]:
        i = bisect.bisect_left(pairs, (p,))
        out = []
        while i < len(pairs) and pairs[i][0] == p:
            out.append(pairs[i][1])
            i += 1
        return out

    def values(self, s: str, p: str) -> list[str]:
        pairs = self.pairs.get(s)
        return self._objects(pairs, p) if pairs else []

    def instance_of(self, node: str, cls: str) -> bool:
        for t in self.values(node, _A):
            if t == cls or cls in self.supers.get(t, ()):
                return True
        return False

    # -- focus nodes ---------------------------------------------------------------------
    def targets(self) -> dict[int, list[str]]:
        active = [s for s in self.shapes.shapes.values()
                  if not s.deactivated and (s.target_classes or s.target_subjects_of)]
        by_class: dict[str, list[Shape]] = {}
        by_pred: dict[str, list[Shape]] = {}
        for shape in active:
            for cls in shape.target_classes:
                by_class.setdefault(cls, []).append(shape)
            for p in shape.target_subjects_of:
                by_pred.setdefault(p, []).append(shape)
        focus: dict[int, set[str]] = {id(s): set() for s in active}
        subjects = self.pairs.keys()
        for s in subjects:
            for t in self.values(s, _A):
                for cls in (t, *self.supers.get(t, ())):
                    for shape in by_class.get(cls, ()):
                        focus[id(shape)].add(s)
            for p, shapes in by_pred.items():
                if self.values(s, p):
                    for shape in shapes:
                        focus[id(shape)].add(s)
        return {k: sorted(v) for k, v in focus.items()}

    # -- checking ------------------------------------------------------------------------
    def conforms(self, shape: Shape, node: str) -> bool:
        key = (id(shape), node)
        if key not in self.memo:
            self.memo[key] = not any(True for _ in self.check(shape, node, first_only=True))
        return self.memo[key]

    def check(self, shape: Shape, focus: str, first_only: bool = False):
        """Yield (shape, constraint name, constraint, focus, value) for every violation."""
        if shape.deactivated:
            return
        nodes = self.values(focus, shape.path) if shape.path else [focus]
        for name, arg in shape.constraints:
            for value in self._violations(name, arg, focus, nodes):
                yield shape, name, arg, focus, value
                if first_only:
                    return
        for prop in shape.properties:
            for violation in self.check(prop, focus, first_only):
                yield violation
                if first_only:
                    return

    def _violations(self, name: str, arg, focus: str, nodes: list[str]):
        if name == "minCount":
            if len(nodes) < arg:
                yield None
        elif name == "maxCount":
            if len(nodes) > arg:
                yield None
        elif name == "class":
            cls = term_n3(arg)
            for v in nodes:
                if v[0] != "<" or not self.instance_of(v, cls):
                    yield v
        elif name == "datatype":
            for v in nodes:
                ok = self.datatype_ok.get((arg, v))
                if ok is None:
                    term = parse_term(v)
                    ok = isinstance(term, Literal) and _has_datatype(term, arg)
                    if len(v) < 48:  # short values (counts, dates) repeat; quotes do not
                        self.datatype_ok[(arg, v)] = ok
                if not ok:
                    yield v
        elif name in ("minInclusive", "maxInclusive"):
            bound = Decimal(str(arg))
            for v in nodes:
                number = _number(v)
                if number is None or (number < bound if name == "minInclusive" else number > bound):
                    yield v
        elif name == "hasValue":
            if term_n3(arg) not in nodes:
                yield None
        elif name == "in":
            for v in nodes:
                if v not in arg:
                    yield v
        elif name == "node":
            for v in nodes:
                if not self.conforms(arg, v):
                    yield v
        elif name == "or":
            for v in nodes:
                if not any(self.conforms(member, v) for member in arg[1]):
                    yield v
        elif name == "and":
            for v in nodes:
                if not all(self.conforms(member, v) for member in arg[1]):
                    yield v
        elif name == "not":
            for v in nodes:
                if self.conforms(arg, v):
                    yield v
        elif name == "sparql":
            yield from self._sparql(arg, nodes)

    def _sparql(self, sparql: _Sparql, nodes: list[str]):
        hits = self.sparql_hits(sparql)
        for v in nodes:
            if v in hits:
                yield hits[v] or v

    def sparql_hits(self, sparql: _Sparql) -> dict[str, str | None]:
        """Focus node -> the ?value bound for it (None when unbound), for every row of the query."""
        if sparql.query not in self.sparql_cache:
            solutions = self.store().query(sparql.query)
            variables = {v.value for v in solutions.variables}
            found: dict[str, str | None] = {}
            for row in solutions:
                value = row["value"] if "value" in variables else None
                found.setdefault(str(row["this"]), str(value) if value is not None else None)
            self.sparql_cache[sparql.query] = found
        return self.sparql_cache[sparql.query]

    def store(self):
        """A pyoxigraph store with every graph validated but the provenance graph."""
        if self._store is None:
            import pyoxigraph as ox

            lines = []
            for name in self.names:
                if name.endswith("graph/provenance>"):
                    continue
                for s, p, o in self.quads.triples([name]):
                    lines.append(f"{s} {p} {o} .\n")
            self._store = ox.Store()
            self._store.load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return self._store

    # -- results -------------------------------------------------------------------------
    def results(self) -> list[Result]:
        out = []
        targets = self.targets()
        for shape in sorted(self.shapes.shapes.values(), key=lambda s: str(s.node)):
            for focus in targets.get(id(shape), ()):
                self.collect(shape, focus, out)
        return out

    def collect(self, shape: Shape, focus: str, out: list[Result]) -> None:
        """Every violation of ``shape`` at ``focus``; a failed sh:node also adds the nested
        violations, as pySHACL reports them (sh:detail)."""
        for owner, name, arg, f, value in self.check(shape, focus):
            out.append(self.result(owner, name, arg, f, value))
            if name == "node":
                self.collect(arg, value, out)

    def result(self, shape: Shape, name: str, arg, focus: str, value: str | None) -> Result:
        focus_term = parse_term(focus)
        if name == "sparql":
            messages = list(arg.messages) or list(shape.messages)
        else:
            messages = shape.messages
        if shape.path is None and value is None:
            value = focus
        message = messages[0] if messages else self.generic(shape, name, arg, focus_term, value)
        return Result(focus_term, shape.path_iri, parse_term(value) if value is not None else None,
                      message, shape.severity)

    def generic(self, shape: Shape, name: str, arg, focus: Node, value: str | None) -> str:
        """pySHACL's default message for a constraint without sh:message."""
        sg = self.shapes.curie
        focus_text = focus.n3(namespace_manager=self.data_ns) if isinstance(focus, URIRef) else str(focus)
        path = f"{focus_text}->{sg(shape.path_iri)}" if shape.path_iri is not None else focus_text
        if name == "class":
            return f"Value does not have class {sg(arg)}"
        if name == "datatype":
            return f"Value is not Literal with datatype {sg(arg)}"
        if name == "minCount":
            return f"Less than {arg} values on {path}"
        if name == "maxCount":
            return f"More than {arg} values on {path}"
        if name == "minInclusive":
            return f"Value is not >= {arg.n3(namespace_manager=self.shapes.graph.namespace_manager)}"
        if name == "maxInclusive":
            return f"Value is not <= {arg.n3(namespace_manager=self.shapes.graph.namespace_manager)}"
        if name == "hasValue":
            return f"Node {path} does not contain a value in the set: ['{sg(arg)}']"
        if name == "node":
            return f"Value does not conform to Shape {sg(arg.node)}. See details for more information."
        if name == "not":
            value_text = parse_term(value).n3(namespace_manager=self.data_ns) if value else ""
            return f"Node {value_text} must not conform to shape {sg(arg.node)}"
        return f"Value violates {name}"


def _has_datatype(term: Literal, datatype: Node) -> bool:
    actual = term.datatype or (RDF.langString if term.language else XSD.string)
    if actual != datatype:
        return False
    return not getattr(term, "ill_typed", False)


def validate_quads(quads: Quads, shapes: ShapeSet, names: list[str], data_ns: NamespaceManager) -> list[Result]:
    """Validate the graphs ``names`` of ``quads`` (merged) against the compiled shapes."""
    return _Validator(quads, names, shapes, data_ns).results()


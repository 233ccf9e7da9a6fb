"""kg's SHACL validator over :class:`kg.build.quads.Quads`: exact for what it compiles.

pySHACL walks an rdflib graph and takes minutes on a million triples. This module compiles the
shapes graph once into small Python objects and checks them against the quads' sorted
``(predicate, object)`` lists, which answer "the values of this property on this node" with a
binary search. What it compiles is listed by :data:`kg.shapes.components.COMPONENTS` (every
constraint component with ``compiled = True``), plus every SHACL target (class, implicit class,
node, subjects-of, objects-of) and every SHACL property path. Results carry the focus node, path,
value, source shape, constraint component, message and severity that pySHACL reports.

A shapes graph using anything else (a component listed with ``compiled = False``, sh:target,
custom constraint components or SHACL functions however their classes are declared, recursive
shapes, a term of the SHACL namespace this module does not know, an ill-formed shape) makes
:func:`compile_shapes` raise :class:`Unsupported`, naming every such construct; the caller
(:func:`kg.shapes.issues.shacl_results`) then validates with pySHACL and says so. Shapes that
SHACL itself forbids (see :mod:`kg.shapes.prebind`) raise :class:`InvalidShapes` instead, which
the caller makes a usage error.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

if TYPE_CHECKING:
    import pyoxigraph as ox

from kg.build.quads import Pairs, Quads
from kg.ntriples import term_n3
from kg.shapes.components import Component, PropertyComponent, component_for, to_term
from kg.shapes.paths import Path, compile_path, evaluate_path
from kg.shapes.terms import InvalidShapes, Unsupported
from kg.vocab import RDF, RDFS, SH

__all__ = ["CompiledShape", "InvalidShapes", "Result", "ShapeCompiler", "ShapeSet", "Unsupported", "Validator",
           "compile_shapes", "validate_quads"]

_A = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"
#: Terms of the SHACL namespace a shape may carry besides constraint parameters.
_SHAPE_TERMS = frozenset({SH.path, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                          SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order,
                          SH.group, SH.defaultValue})
#: Terms of a SPARQL constraint, allowed on a shape that is also its own sh:sparql constraint.
_CONSTRAINT_TERMS = frozenset({SH.select, SH.prefixes})
#: Classes whose instances extend SHACL in ways kg does not compile (with their SHACL subclasses,
#: the shapes graph's own subclasses of them are found too), and the terms that declare them.
_EXTENSIONS = {
    SH.ConstraintComponent: "custom constraint components",
    SH.Function: "SHACL functions", SH.SPARQLFunction: "SHACL functions", SH.JSFunction: "SHACL functions",
    SH.SPARQLAskValidator: "custom constraint components", SH.SPARQLSelectValidator: "custom constraint components",
    SH.JSValidator: "custom constraint components",
}
_EXTENSION_TERMS = {SH.parameter: "custom constraint components", SH.validator: "custom constraint components",
                    SH.nodeValidator: "custom constraint components",
                    SH.propertyValidator: "custom constraint components"}
#: Parameters whose values are shapes, and those whose values are lists of shapes.
_SHAPE_VALUED = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
#: Every literal of a store, as pyoxigraph gives it back.
_LITERALS = "SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER (isLiteral(?o)) }"


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL reports it (``message``: the first of ``messages``)."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    severity: URIRef
    shape: Node | None = None
    component: URIRef | None = None
    constraint: Node | None = None
    messages: tuple[Literal, ...] = ()


@dataclass(eq=False)
class CompiledShape:
    """A node or property shape, compiled."""

    node: Node
    path: Path | None = None
    path_node: Node | None = None
    messages: tuple[Literal, ...] = ()
    severity: URIRef = SH.Violation
    deactivated: bool = False
    target_classes: list[str] = field(default_factory=list)
    target_nodes: list[str] = field(default_factory=list)
    target_subjects_of: list[str] = field(default_factory=list)
    target_objects_of: list[str] = field(default_factory=list)
    constraints: list[Component] = field(default_factory=list)
    #: The path's predicate when the path is one IRI (the value nodes are then one lookup).
    pred: str | None = None
    #: The constraints that can find something at a focus node without value nodes.
    on_empty: list[Component] = field(default_factory=list)

    @property
    def is_property(self) -> bool:
        """True for a property shape (one with sh:path)."""
        return self.path is not None

    @property
    def targeted(self) -> bool:
        """True when the shape has targets of its own."""
        return bool(self.target_classes or self.target_nodes or self.target_subjects_of or self.target_objects_of)


class ShapeCompiler:
    """Compiles the shapes of one shapes graph, collecting what it cannot compile."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.shapes: dict[Node, CompiledShape] = {}
        self.unsupported: list[str] = []
        self._open: set[Node] = set()
        classes = {RDFS.Class, *graph.subjects(RDFS.subClassOf, RDFS.Class)}
        self._class_types = classes

    def list_items(self, node: Node) -> list[Node] | None:
        """The members of a well-formed RDF list in the shapes graph, or None."""
        items, seen = [], set()
        while node != RDF.nil:
            if node in seen or not isinstance(node, BNode):
                return None
            seen.add(node)
            firsts, rests = list(self.graph.objects(node, RDF.first)), list(self.graph.objects(node, RDF.rest))
            if len(firsts) != 1 or len(rests) != 1:
                return None
            items.append(firsts[0])
            node = rests[0]
        return items

    def compile(self, node: Node) -> CompiledShape:
        """The compiled shape at ``node`` (each node compiled once; a cycle is unsupported)."""
        if node in self._open:
            raise Unsupported("recursive shapes (a shape that refers back to itself)")
        if node in self.shapes:
            return self.shapes[node]
        if isinstance(node, Literal):
            raise Unsupported("a literal where a shape is expected")
        self._open.add(node)
        try:
            shape = self._compile(node)
        finally:
            self._open.discard(node)
        self.shapes[node] = shape
        return shape

    def _compile(self, node: Node) -> CompiledShape:
        g = self.graph
        shape = CompiledShape(node)
        types = set(g.objects(node, RDF.type))
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1 or (paths and SH.NodeShape in types) or (not paths and SH.PropertyShape in types):
            raise Unsupported("an ill-formed shape (sh:path missing, repeated, or on a sh:NodeShape)")
        if paths:
            try:
                shape.path = compile_path(g, paths[0])
            except ValueError as exc:
                raise Unsupported(f"an ill-formed sh:path ({exc})") from None
            shape.path_node = paths[0]
            if shape.path[0] == "pred":
                shape.pred = shape.path[1]
        messages = [m for m in g.objects(node, SH.message) if isinstance(m, Literal)]
        if len(messages) != len(list(g.objects(node, SH.message))):
            raise Unsupported("sh:message that is not a literal")
        shape.messages = tuple(sorted(messages, key=lambda m: (str(m), m.language or "")))
        severities = [s for s in g.objects(node, SH.severity) if isinstance(s, URIRef)]
        if len(severities) > 1 or len(severities) != len(list(g.objects(node, SH.severity))):
            raise Unsupported("sh:severity that is not one IRI")
        shape.severity = severities[0] if severities else SH.Violation
        for flag in g.objects(node, SH.deactivated):
            if not isinstance(flag, Literal) or not isinstance(flag.value, bool):
                raise Unsupported("sh:deactivated that is not a boolean")
            shape.deactivated = shape.deactivated or flag.value
        shape.target_classes = sorted(term_n3(c) for c in g.objects(node, SH.targetClass) if not isinstance(c, Literal))
        if types & self._class_types:
            shape.target_classes = sorted({*shape.target_classes, term_n3(node)})
        shape.target_nodes = sorted(term_n3(n) for n in g.objects(node, SH.targetNode))
        shape.target_subjects_of = sorted(term_n3(p) for p in g.objects(node, SH.targetSubjectsOf)
                                          if isinstance(p, URIRef))
        shape.target_objects_of = sorted(term_n3(p) for p in g.objects(node, SH.targetObjectsOf)
                                         if isinstance(p, URIRef))
        # Constraint parameters, grouped by component.
        args: dict[type[Component], dict[URIRef, list[Node]]] = {}
        problems = []
        for p, o in sorted(g.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
            component = component_for(p)
            if component is not None:
                args.setdefault(component, {}).setdefault(p, []).append(o)  # type: ignore[arg-type]
            elif str(p).startswith(str(SH)) and p not in _SHAPE_TERMS \
                    and not (p in _CONSTRAINT_TERMS and (None, SH.sparql, node) in g):
                problems.append(f"{_short(p)} (not compiled by kg)")
        for component, values in args.items():
            if component.property_only and shape.path is None:
                name = _short(component.parameters[0])
                problems.append(f"{name} on a node shape (SHACL allows it on property shapes)")
            elif not component.compiled:
                problems.append(f"{_short(component.parameters[0])} ({_short(component.iri)}, not compiled by kg)")
            elif not any(p in values for p in component.parameters):
                problems.append(f"{_short(next(iter(values)))} without {_short(component.parameters[0])}")
            else:
                try:
                    shape.constraints.append(component(self, shape, values))
                except Unsupported as exc:
                    problems.extend(exc.constructs)
        if problems:
            raise Unsupported(*problems)
        shape.on_empty = [c for c in shape.constraints if not c.needs_values]
        return shape


def _short(iri: Node) -> str:
    text = str(iri)
    return "sh:" + text[len(str(SH)):] if text.startswith(str(SH)) else f"<{text}>"


@dataclass
class ShapeSet:
    """The compiled shapes of a shapes graph: ``roots`` are the shapes pySHACL would validate."""

    shapes: dict[Node, CompiledShape]
    roots: list[CompiledShape]
    graph: Graph


def _shape_nodes(graph: Graph) -> set[Node]:
    """The nodes pySHACL takes for shapes: typed as shapes, with targets, with sh:property or
    sh:node, or values of shape-valued parameters."""
    found: set[Node] = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.node):
        found.update(graph.subjects(p, None))
    for p in _SHAPE_VALUED:
        found.update(graph.objects(None, p))
    for p in _SHAPE_LISTS:
        for lst in graph.objects(None, p):
            found.update(graph.items(lst))
    return {n for n in found if not isinstance(n, Literal)}


def _extensions(graph: Graph) -> list[str]:
    """What in the shapes graph declares custom constraint components or SHACL functions, however
    it is typed: an instance of one of :data:`_EXTENSIONS` or of a subclass the graph declares
    (``rdfs:subClassOf*``), or a node with ``sh:parameter``, ``sh:validator``, ... SHACL's own
    terms (``sh:...``) are not counted: kg knows those."""
    found: dict[str, set[Node]] = {}
    for cls, what in _EXTENSIONS.items():
        classes: set[Node] = {cls}
        todo: list[Node] = [cls]
        while todo:
            for sub in graph.subjects(RDFS.subClassOf, todo.pop()):
                if sub not in classes:
                    classes.add(sub)
                    todo.append(sub)
        for c in classes:
            found.setdefault(what, set()).update(graph.subjects(RDF.type, c))
    for p, what in _EXTENSION_TERMS.items():
        found.setdefault(what, set()).update(graph.subjects(p, None))
    out = []
    for what, nodes in sorted(found.items()):
        names = sorted(_short(n) if isinstance(n, URIRef) else "a blank node" for n in nodes
                       if not str(n).startswith(str(SH)))
        if names:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            out.append(f"{what} ({shown}), not compiled by kg")
    return out


def compile_shapes(graph: Graph) -> ShapeSet:
    """Compile a shapes graph; raises :class:`Unsupported` naming every construct kg cannot
    compile, or :class:`InvalidShapes` naming what makes the shapes invalid (which wins)."""
    problems: list[str] = []
    invalid: list[str] = []
    for p in (SH.target, SH.entailment, SH.rule, SH.shapesGraph):
        if next(graph.subject_objects(p), None) is not None:
            problems.append(f"{_short(p)} (not compiled by kg)")
    problems.extend(_extensions(graph))
    compiler = ShapeCompiler(graph)
    roots = []
    for node in sorted(_shape_nodes(graph), key=lambda n: (isinstance(n, BNode), str(n))):
        try:
            roots.append(compiler.compile(node))
        except Unsupported as exc:
            problems.extend(exc.constructs)
        except InvalidShapes as exc:
            invalid.extend(exc.problems)
        except RecursionError:
            problems.append("shapes nested too deeply")
    if invalid:
        raise InvalidShapes(*invalid)
    if problems:
        raise Unsupported(*problems)
    return ShapeSet(compiler.shapes, roots, graph)


class Validator:
    """One validation run: the merged data graphs, indexes built on first use, memoised answers."""

    def __init__(self, quads: Quads, names: list[str], shapes: ShapeSet, data_ns: NamespaceManager) -> None:
        self.quads, self.names = quads, [n for n in names if n in quads.graphs]
        self.shapes = shapes
        self.data_ns = data_ns
        self.memo: dict[tuple[int, str], bool] = {}
        self.sparql_cache: dict[tuple[int, str], list] = {}
        graphs = [quads.graphs[n] for n in self.names]
        # Each subject's pairs in the merged graphs (shared lists; merged where graphs overlap).
        self.pairs: dict[str, Pairs] = {}
        for graph in graphs:
            for s, pairs in graph.items():
                if s in self.pairs:
                    self.pairs[s] = tuple(sorted(set(self.pairs[s]) | set(pairs)))
                else:
                    self.pairs[s] = pairs
        self._reverse: dict[str, list[tuple[str, str]]] | None = None
        self._store: ox.Store | None = None
        self.literals: set[str] = set()
        self._literals_everywhere: set[str] | None = None
        self._kept: dict[str, bool] = {}
        self._stringify: tuple[Callable[..., str], Graph] | None = None
        parents: dict[str, set[str]] = {}
        for s, pairs in self.pairs.items():
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
    def _objects(pairs: Sequence[tuple[str, str]], p: str) -> list[str]:
        i = bisect.bisect_left(pairs, (p,))
        out = []
        while i < len(pairs) and pairs[i][0] == p:
            out.append(pairs[i][1])
            i += 1
        return out

    def values(self, s: str, p: str) -> list[str]:
        """The objects of ``s p ?o``."""
        pairs = self.pairs.get(s)
        return self._objects(pairs, p) if pairs else []

    def subjects(self, o: str, p: str) -> list[str]:
        """The subjects of ``?s p o`` (a reverse index, built on first use)."""
        if self._reverse is None:
            reverse: dict[str, list[tuple[str, str]]] = {}
            for s, pairs in self.pairs.items():
                for q, obj in pairs:
                    reverse.setdefault(obj, []).append((q, s))
            for incoming in reverse.values():
                incoming.sort()
            self._reverse = reverse
        found = self._reverse.get(o)
        return self._objects(found, p) if found else []

    def value_nodes(self, shape: CompiledShape, focus: str) -> list[str]:
        """The value nodes of a shape at a focus node: the path's values, or the focus node."""
        if shape.pred is not None:
            pairs = self.pairs.get(focus)
            return self._objects(pairs, shape.pred) if pairs else []
        if shape.path is None:
            return [focus]
        return sorted(evaluate_path(shape.path, focus, self.values, self.subjects))

    def instance_of(self, node: str, cls: str) -> bool:
        """Whether ``node`` is a SHACL instance of ``cls`` (rdf:type/rdfs:subClassOf*)."""
        return any(t == cls or cls in self.supers.get(t, ()) for t in self.values(node, _A))

    # -- focus nodes ---------------------------------------------------------------------
    def targets(self) -> dict[int, list[str]]:
        """Each targeted root shape's focus nodes (by ``id`` of the shape)."""
        active = [s for s in self.shapes.roots if not s.deactivated and s.targeted]
        focus: dict[int, set[str]] = {id(s): set(s.target_nodes) for s in active}
        by_class: dict[str, list[CompiledShape]] = {}
        by_subject: dict[str, list[CompiledShape]] = {}
        by_object: dict[str, list[CompiledShape]] = {}
        for shape in active:
            for cls in shape.target_classes:
                by_class.setdefault(cls, []).append(shape)
            for p in shape.target_subjects_of:
                by_subject.setdefault(p, []).append(shape)
            for p in shape.target_objects_of:
                by_object.setdefault(p, []).append(shape)
        for s, pairs in self.pairs.items():
            if by_class:
                for t in self._objects(pairs, _A):
                    for cls in (t, *self.supers.get(t, ())):
                        for shape in by_class.get(cls, ()):
                            focus[id(shape)].add(s)
            for p, shapes in by_subject.items():
                if self._objects(pairs, p):
                    for shape in shapes:
                        focus[id(shape)].add(s)
            for p, shapes in by_object.items():
                for o in self._objects(pairs, p):
                    for shape in shapes:
                        focus[id(shape)].add(o)
        return {k: sorted(v) for k, v in focus.items()}

    # -- checking ------------------------------------------------------------------------
    def conforms(self, shape: CompiledShape, node: str) -> bool:
        """Whether validating ``node`` against ``shape`` gives no result (memoised)."""
        key = (id(shape), node)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = not self._violated(shape, node)
        return found

    def _violated(self, shape: CompiledShape, focus: str) -> bool:
        if shape.deactivated:
            return False
        values = self.value_nodes(shape, focus)
        for component in shape.constraints if values else shape.on_empty:
            if isinstance(component, PropertyComponent):
                if any(self._violated(prop, v) for prop in component.shapes for v in values):
                    return True
            elif next(iter(component.hits(self, focus, values)), None) is not None:
                return True
        return False

    def validate(self, shape: CompiledShape, focus: str, out: list[Result]) -> None:
        """Append every result of validating ``focus`` against ``shape`` to ``out``."""
        if shape.deactivated:
            return
        pred = shape.pred
        if pred is not None:  # value_nodes(), inlined: this runs once per property shape and node
            values = []
            pairs = self.pairs.get(focus)
            if pairs:
                i, n = bisect.bisect_left(pairs, (pred,)), len(pairs)
                while i < n and pairs[i][0] == pred:
                    values.append(pairs[i][1])
                    i += 1
        else:
            values = self.value_nodes(shape, focus)
        for component in shape.constraints if values else shape.on_empty:
            if isinstance(component, PropertyComponent):
                for prop in component.shapes:
                    for v in values:
                        self.validate(prop, v, out)
                continue
            for hit in component.hits(self, focus, values):
                where = hit.focus or focus
                if hit.messages is not None:
                    messages = tuple(Literal(m) for m in hit.messages)
                else:
                    messages = shape.messages or tuple(Literal(m) for m in component.messages(self, where, hit.value))
                out.append(Result(
                    to_term(where), hit.path if hit.path is not None else shape.path_node,
                    to_term(hit.value) if hit.value is not None else None,
                    str(messages[0]) if messages else "", shape.severity, shape.node, component.iri,
                    hit.constraint, messages,
                ))

    def results(self) -> list[Result]:
        """Every result of every targeted shape at each of its focus nodes."""
        out: list[Result] = []
        targets = self.targets()
        for shape in self.shapes.roots:
            for focus in targets.get(id(shape), ()):
                self.validate(shape, focus, out)
        return out

    # -- SPARQL --------------------------------------------------------------------------
    def select(self, constraint, focus: str) -> list[tuple[str | None, str | None, str | None, tuple]]:
        """The distinct solutions of a SPARQL constraint's query at ``focus``: (this, path,
        value, the other bindings), every term in N-Triples form."""
        from kg.shapes.sparql import native_rows

        if constraint.native is not None:
            return native_rows(constraint.native, focus, self)
        key = (id(constraint), focus)
        if key not in self.sparql_cache:
            self.sparql_cache[key] = self._run(constraint, focus)
        return self.sparql_cache[key]

    def _run(self, constraint, focus: str) -> list[tuple[str | None, str | None, str | None, tuple]]:
        if focus[0] == '"' and "this" in constraint.template.slots and not self.kept_as_written(focus):
            raise Unsupported("a SPARQL constraint with $this bound to a typed literal pyoxigraph does not keep as "
                              f"written ({focus[:80]})")
        text = constraint.text(focus)
        try:
            solutions = self.store().query(text)
        except SyntaxError:  # a literal focus node where the query needs an IRI (?s $this ?o)
            raise Unsupported("a SPARQL constraint whose query is not SPARQL with $this written out as a "
                              "literal or IRI (kg pre-binds by substitution)") from None
        names = [v.value for v in solutions.variables]
        projected = constraint.template.projected
        rows, seen = [], set()
        for solution in solutions:
            bound = {n: str(solution[n]) for n in names if solution[n] is not None}
            for term in bound.values():
                # pyoxigraph keeps literals by value ("12"^^xsd:byte comes back as xsd:integer):
                # a result must carry the data's own term, so such an answer goes to pySHACL.
                if term[0] == '"' and term not in self.literals and term not in self._all_literals():
                    raise Unsupported(f"a SPARQL result literal pyoxigraph does not give as written ({term[:80]})")
            if "currentShape" in projected:  # pre-bound: left unbound in the query, its value is known
                bound["currentShape"] = term_n3(constraint.shape.node)
            this, path, value = bound.pop("this", None), bound.pop("path", None), bound.pop("value", None)
            if "this" in projected:
                this = focus
            if this is None and path is None and value is None:
                continue
            row = (this, path, value, tuple(sorted(bound.items())))
            if row not in seen:
                seen.add(row)
                rows.append(row)
        return rows

    def store_predicates(self) -> frozenset[str] | None:
        """The predicates of the triples the store must hold for every SPARQL constraint that
        runs on it (those :func:`kg.shapes.sparql.native_plan` cannot answer); None: every triple."""
        from kg.shapes.components import SparqlComponent
        from kg.shapes.sparql import predicates_read

        needed: set[str] = set()
        for shape in self.shapes.shapes.values():
            for component in shape.constraints:
                if not isinstance(component, SparqlComponent):
                    continue
                for constraint in component.constraints:
                    if constraint.native is None:
                        read = predicates_read(constraint.query)
                        if read is None:
                            return None
                        needed |= read
        return frozenset(needed)

    def store(self):
        """A pyoxigraph store holding the validated graphs merged into its default graph: the
        triples whose predicates the SPARQL constraints can match (:meth:`store_predicates`),
        built once per validation."""
        if self._store is None:
            import pyoxigraph as ox

            wanted = self.store_predicates()
            literals, lines = set(), []
            chosen: Sequence[tuple[str, str]]
            for s, pairs in self.pairs.items():
                if wanted is None:
                    chosen = pairs
                elif len(wanted) < 4:  # a few binary searches beat a scan
                    chosen = [(p, o) for p in wanted for o in self._objects(pairs, p)]
                else:
                    chosen = [(p, o) for p, o in pairs if p in wanted]
                for p, o in chosen:
                    lines.append(f"{s} {p} {o} .\n")
                    if o[0] == '"':
                        literals.add(o)
            store = ox.Store()
            store.bulk_load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            # pyoxigraph stores typed literals by value: "12"^^xsd:nonNegativeInteger becomes
            # "12"^^xsd:integer, "01"^^xsd:integer "1". Then datatype(), sameTerm and joins see one
            # term where RDF has two, and no check of the answers can tell: such data goes to pySHACL.
            kept = {str(row[0]) for row in store.query(_LITERALS)}  # type: ignore[union-attr]
            changed = literals - kept
            if changed:
                raise Unsupported("SPARQL over typed literals pyoxigraph does not keep as written (derived or "
                                  f"non-canonical, such as {min(changed)[:80]})")
            self.literals = literals
            self._store = store
        return self._store

    def kept_as_written(self, term: str) -> bool:
        """Whether pyoxigraph keeps the literal ``term`` as written in a query (see :meth:`store`)."""
        found = self._kept.get(term)
        if found is None:
            import pyoxigraph as ox

            from kg.shapes.prebind import sparql_term

            constant = sparql_term(term)
            answer = ox.Store().query(f"SELECT ?x WHERE {{ BIND ({constant} AS ?x) }}") if constant else None
            rows = [str(row[0]) for row in answer] if isinstance(answer, ox.QuerySolutions) else []
            found = self._kept[term] = rows == [term]
        return found

    def _all_literals(self) -> set[str]:
        """Every literal of the validated graphs (built on first use: the store may hold only some)."""
        if self._literals_everywhere is None:
            self._literals_everywhere = {o for pairs in self.pairs.values() for _, o in pairs if o[0] == '"'}
        return self._literals_everywhere

    # -- messages ------------------------------------------------------------------------
    def _stringifier(self):
        if self._stringify is None:
            from pyshacl.rdfutil import stringify_node  # pySHACL's own rendering of terms in messages

            data = Graph()
            data.namespace_manager = self.data_ns
            self._stringify = (stringify_node, data)
        return self._stringify

    def sg(self, node: Node) -> str:
        """A shapes-graph node as pySHACL writes it in messages."""
        stringify, _ = self._stringifier()
        return stringify(self.shapes.graph, node)

    def data(self, term: str | None) -> str:
        """A data term (N-Triples form) as pySHACL writes it in messages."""
        if term is None:
            return "None"
        stringify, data = self._stringifier()
        return stringify(data, to_term(term))


def validate_quads(quads: Quads, shapes: ShapeSet, names: list[str], data_ns: NamespaceManager) -> list[Result]:
    """Validate the graphs ``names`` of ``quads`` (merged) against the compiled shapes."""
    return Validator(quads, names, shapes, data_ns).results()




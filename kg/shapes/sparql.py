"""SHACL-SPARQL constraints (``sh:sparql`` with ``sh:select``) on a pyoxigraph store.

Pre-binding (SHACL 1.0 section 5.3.1) writes the focus node into the query in place of ``$this``
(and the shape in place of ``$currentShape``): :mod:`kg.shapes.prebind` says how and why, and
rejects what SHACL forbids there (MINUS, VALUES, SERVICE, ``AS ?this``, a subquery not returning
``$this``: the shapes are invalid). ``$PATH`` is replaced by the shape's path in SPARQL syntax.
The prefixes are the ``sh:declare`` of ``sh:prefixes/owl:imports*``. A query kg cannot pre-bind
(``$shapesGraph``, ``FROM``, ``\\u`` escapes; at validation, a blank-node focus node where
``$this`` is used), one using ``?failure``, ``sh:ask``, or projecting none of ``?this``, ``?path``
and ``?value`` is not compiled: the shapes go to pySHACL.

pyoxigraph's store keeps typed literals by value (``"12"^^xsd:nonNegativeInteger`` becomes
``"12"^^xsd:integer``, ``"01"^^xsd:integer`` becomes ``"1"``), so ``datatype()``, ``sameTerm`` and
joins could see one term where RDF has two: data holding such literals in the store, a literal
focus node of that kind, and an answer carrying a literal not in the data all go to pySHACL
(:meth:`kg.shapes.engine.Validator.store`).

Each solution is a result, as pySHACL reports them: ``?this`` (or the focus node) is the focus,
``?path`` (or the shape's path) the path, ``?value`` (or, in a node shape, the focus node) the value;
identical solutions are reported once, and ``{?var}`` / ``{$var}`` in ``sh:message`` are replaced by
the solution's values.

Two things keep this cheap on large data, neither changing an answer:

- A query that is one triple pattern from ``$this`` (``SELECT $this WHERE { $this ex:p+ $this }``,
  ``SELECT $this ?value WHERE { $this ex:p ?value }``; the exact forms are :data:`NATIVE`) is
  answered from the engine's own index (:func:`native_rows`): no store, no SPARQL.
- The store for the other queries holds only the triples they can match: :func:`predicates_read`
  reads each query's algebra (rdflib's parser; pyoxigraph exposes none) for the predicates of its
  triple patterns and paths. A query it cannot bound (a variable or blank node as predicate, a
  negated property set, a zero-length path ``*`` or ``?``, which matches every node of the graph,
  SERVICE, FROM, BASE, an algebra node it does not know, a query rdflib cannot parse) gets every
  triple. The validated graphs are merged into the store's default graph, as SHACL sees them, so
  any query sees all of them (provenance included): the pruning is by predicate, not by graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Graph, Literal
from rdflib.term import Node

from kg.ntriples import term_n3
from kg.shapes.paths import Path, evaluate_path, invert_path, sparql_path
from kg.shapes.prebind import Template, prebind, sparql_term
from kg.shapes.terms import Hit, Unsupported, to_term
from kg.vocab import OWL, RDF, SH

if TYPE_CHECKING:
    from kg.shapes.engine import CompiledShape, Validator

__all__ = ["NATIVE", "NativePlan", "SelectConstraint", "compile_select", "native_plan", "native_rows", "ox_term",
           "predicates_read"]

def ox_term(term: str):
    """The pyoxigraph term of an N-Triples term."""
    import pyoxigraph as ox

    if term[0] == "<":
        return ox.NamedNode(term[1:-1])
    if term[0] == "_":
        return ox.BlankNode(term[2:])
    (triple,) = ox.parse(f"<urn:s> <urn:p> {term} .\n".encode(), format=ox.RdfFormat.N_TRIPLES)
    return triple.object


@dataclass
class SelectConstraint:
    """One compiled ``sh:sparql`` constraint of a shape: its query as written (``query``, with the
    prefixes declared), and as kg runs it (``template``: $this written out, see :mod:`kg.shapes.prebind`)."""

    node: Node
    query: str
    template: Template
    messages: tuple[str, ...]
    shape: CompiledShape
    deactivated: bool = False
    native: NativePlan | None = None  # set when the query is answered without SPARQL

    def text(self, focus: str) -> str:
        """The query to run for ``focus`` (:class:`Unsupported` for a blank node where $this is used)."""
        return self.template.fill({"this": sparql_term(focus),
                                   "currentShape": sparql_term(term_n3(self.shape.node))})

    def hits(self, v: Validator, focus: str) -> Iterator[Hit]:
        """The results of the query with ``$this`` bound to ``focus``."""
        if self.deactivated:
            return
        rows = v.select(self, focus)
        shape_messages = [str(m) for m in self.shape.messages]
        for this, path, value, others in rows:
            if value is None and not self.shape.is_property:
                value = focus
            bound = dict(others)
            for name, term in (("this", this), ("path", path), ("value", value)):
                if term is not None:
                    bound[name] = term
            texts = [m for m in self.messages if m not in shape_messages] + shape_messages
            yield Hit(value, focus=this or focus,
                      path=to_term(path) if path is not None else self.shape.path_node,
                      constraint=self.node, messages=tuple(_format(m, bound) for m in texts))


def _format(message: str, bound: dict[str, str]) -> str:
    for name, term in bound.items():
        text = str(to_term(term))
        message = re.sub("{[?$]" + re.escape(name) + "}", lambda _m, t=text: t, message)  # type: ignore[misc]
    return message


def _prefixes(graph: Graph, node: Node) -> list[str]:
    """The PREFIX lines of a constraint: every sh:declare of ``sh:prefixes/owl:imports*`` (SHACL
    1.0, 5.2.1); :class:`Unsupported` for an ill-formed declaration or a prefix declared twice."""
    seen, todo = set(), list(graph.objects(node, SH.prefixes))
    namespaces: dict[str, str] = {}
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(graph.objects(current, OWL.imports))
        for decl in graph.objects(current, SH.declare):
            prefix, namespace = graph.value(decl, SH.prefix), graph.value(decl, SH.namespace)
            if not isinstance(prefix, Literal) or not isinstance(namespace, Literal) \
                    or not re.fullmatch(r"[A-Za-z][\w.-]*|", str(prefix)) or not str(namespace) \
                    or re.search(r'[<>"{}|^`\\\s]', str(namespace)):
                raise Unsupported("sh:declare without one sh:prefix and one sh:namespace")
            if namespaces.setdefault(str(prefix), str(namespace)) != str(namespace):
                raise Unsupported(f"the prefix {str(prefix)[:40]!r} declared twice for one SPARQL constraint")
    return [f"PREFIX {prefix}: <{namespace}>" for prefix, namespace in sorted(namespaces.items())]


def compile_select(graph: Graph, node: Node, shape: CompiledShape) -> SelectConstraint:
    """Compile the ``sh:sparql`` value ``node`` of ``shape``; :class:`Unsupported` for what kg does
    not compile, :class:`InvalidShapes` for a query SHACL forbids."""
    import pyoxigraph as ox

    if set(graph.objects(node, SH.ask)):
        raise Unsupported("sh:sparql with sh:ask")
    selects = list(graph.objects(node, SH.select))
    if len(selects) != 1 or not isinstance(selects[0], Literal) or not isinstance(selects[0].value, str):
        raise Unsupported("sh:sparql without exactly one sh:select string")
    deactivated = False
    for flag in graph.objects(node, SH.deactivated):
        if not isinstance(flag, Literal) or not isinstance(flag.value, bool):
            raise Unsupported("sh:deactivated that is not a boolean")
        deactivated = deactivated or flag.value
    messages = []
    for message in graph.objects(node, SH.message):
        if not isinstance(message, Literal) or not isinstance(message.value, str):
            raise Unsupported("sh:message on sh:sparql that is not a string")
        messages.append(str(message))
    declarations = _prefixes(graph, node)
    template = prebind(str(selects[0]), sparql_path(shape.path) if shape.path is not None else None)
    if ("currentShape" in template.slots or "currentShape" in template.projected) \
            and sparql_term(term_n3(shape.node)) is None:
        raise Unsupported("$currentShape in a SPARQL constraint of a blank-node shape")
    head = "".join(f"{d}\n" for d in declarations)
    template = Template(head + template.original, (head + template.parts[0], *template.parts[1:]),
                        template.slots, template.projected)
    probe = ox.Store()  # empty: checks the query parses as written and as kg runs it, and what it projects
    variables: set[str] = set()
    for text in (template.original, template.fill({"this": "<urn:kg:probe>", "currentShape": "<urn:kg:probe>"})):
        try:
            answer = probe.query(text)
        except (SyntaxError, RuntimeError, ValueError, OSError) as exc:
            raise Unsupported(f"sh:select that pyoxigraph cannot run ({str(exc)[:120]})") from None
        if not isinstance(answer, ox.QuerySolutions):
            raise Unsupported("sh:select that is not a SELECT query")
        variables = variables or {var.value for var in answer.variables} | set(template.projected)
    if "failure" in variables:
        raise Unsupported("?failure in a SPARQL constraint")
    if not variables & {"this", "path", "value"}:
        raise Unsupported("a SPARQL constraint projecting none of ?this, ?path, ?value")
    native = native_plan(template.original[len(head):], declarations, ["this"])
    return SelectConstraint(node, template.original, template, tuple(sorted(messages)), shape, deactivated, native)


# -- answered without SPARQL ---------------------------------------------------------------
_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
_PNAME = r"(?:[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?:(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?"
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_TERM = rf"[?$](?:this|value)(?![A-Za-z0-9_])|{_IRI}|{_PNAME}"
#: The queries :func:`native_rows` answers: one triple pattern between ``$this`` and ``?value``,
#: ``$this`` or an IRI, whose predicate is an IRI (or ``a``), optionally inverse (``^``) and
#: optionally one-or-more (``+``); projecting ``$this`` and/or ``?value``. Keywords in any case,
#: nothing else (no comment, no PREFIX of its own: the sh:declare prefixes only). Anything else
#: runs on the store.
NATIVE = re.compile(
    rf"\s*(?i:SELECT)\s+(?:(?i:DISTINCT)\s+)?(?P<vars>[?$][A-Za-z0-9_]+(?:\s+[?$][A-Za-z0-9_]+)*)"
    rf"(?:\s+(?i:WHERE))?\s*\{{\s*(?P<s>{_TERM})\s+(?P<inverse>\^?)(?P<p>{_IRI}|{_PNAME}|a)(?P<plus>\+?)"
    rf"\s+(?P<o>{_TERM})\s*\.?\s*\}}\s*", re.ASCII)

THIS, VALUE = "?this", "?value"


@dataclass(frozen=True)
class NativePlan:
    """A query answered from the engine's index: from the focus node along ``path`` to ``end``
    (:data:`VALUE`: each node reached is a solution; :data:`THIS` or an IRI: one solution when it
    is reached), projecting ``this`` and ``value`` as flagged."""

    path: Path
    end: str
    this: bool
    value: bool


def _iri(token: str, prefixes: dict[str, str]) -> str | None:
    """A query's IRI token (``<...>`` or a prefixed name) in N-Triples form; None when it is not
    an absolute IRI or its prefix is not declared once."""
    if token.startswith("<"):
        return token if _ABSOLUTE.match(token[1:]) else None
    prefix, _, local = token.partition(":")
    namespace = prefixes.get(prefix)
    return f"<{namespace}{local}>" if namespace and _ABSOLUTE.match(namespace) else None


def native_plan(text: str, declarations: list[str], bind: list[str]) -> NativePlan | None:
    """How to answer ``text`` without SPARQL, when it has one of the forms :data:`NATIVE` accepts
    (with ``$this`` pre-bound and at least one end of the pattern); None otherwise."""
    match = NATIVE.fullmatch(text)
    if match is None or "this" not in bind:
        return None
    prefixes: dict[str, str] = {}
    for declaration in declarations:  # "PREFIX p: <ns>", as compile_select writes them
        prefix, namespace = declaration[len("PREFIX "):].split(": ", 1)
        if prefixes.setdefault(prefix, namespace[1:-1]) != namespace[1:-1]:
            return None  # declared twice, differently
    names = {v[1:] for v in match.group("vars").split()}
    if not names <= {"this", "value"}:
        return None
    predicate = f"<{RDF.type}>" if match.group("p") == "a" else _iri(match.group("p"), prefixes)
    ends = []
    for token in (match.group("s"), match.group("o")):
        ends.append(THIS if token[1:] == "this" else VALUE if token[1:] == "value" else _iri(token, prefixes))
    if predicate is None or None in ends:
        return None
    path: Path = ("pred", predicate)
    if match.group("inverse"):
        path = ("inv", path)
    if match.group("plus"):
        path = ("plus", path)
    start, end = ends
    if start != THIS:  # walk from the focus node: the path read backwards
        if end != THIS:
            return None
        start, end, path = end, start, invert_path(path)
    assert end is not None  # checked above
    return NativePlan(path, end, "this" in names, "value" in names)


def native_rows(plan: NativePlan, focus: str, v: Validator) -> list[tuple[str | None, str | None, str | None, tuple]]:
    """The distinct solutions of a natively planned query at ``focus``, as
    :meth:`kg.shapes.engine.Validator.select` gives them."""
    reached = evaluate_path(plan.path, focus, v.values, v.subjects)
    this = focus if plan.this else None
    if plan.end == VALUE:
        rows = [(this, None, value if plan.value else None, ()) for value in sorted(reached)]
    else:
        rows = [(this, None, None, ())] if (focus if plan.end == THIS else plan.end) in reached else []
    return [row for row in dict.fromkeys(rows) if row[0] is not None or row[2] is not None]


# -- what a query reads --------------------------------------------------------------------
class _Everything(Exception):
    """The query may match any triple."""


#: rdflib algebra and parse-tree nodes whose parts :func:`predicates_read` understands (every
#: triple pattern they hold is under a "triples" key; any other node means "every triple").
_KNOWN = frozenset({
    "SelectQuery", "Project", "Distinct", "Reduced", "Slice", "OrderBy", "OrderCondition", "Filter", "Extend",
    "BGP", "Join", "LeftJoin", "Union", "Minus", "Graph", "Group", "AggregateJoin", "ToMultiSet", "values",
    "TrueFilter", "vars", "Function", "RelationalExpression", "ConditionalAndExpression",
    "ConditionalOrExpression", "AdditiveExpression", "MultiplicativeExpression", "UnaryNot", "UnaryMinus",
    "UnaryPlus", "GroupGraphPatternSub", "TriplesBlock", "OptionalGraphPattern", "GroupOrUnionGraphPattern",
    "MinusGraphPattern", "GraphGraphPattern", "Bind", "InlineData", "InlineDataOneVar", "InlineDataFull",
    "SubSelect",
})


_BASE = re.compile(r"\bBASE\b", re.IGNORECASE)


def predicates_read(query: str) -> frozenset[str] | None:
    """The predicates (N-Triples terms) of the triples ``query`` can match: every triple with
    another predicate can be left out of the store without changing its answers. None when the
    query may match any triple (see the module's docstring)."""
    if "\\u" in query or "\\U" in query:  # escapes SPARQL decodes before parsing; rdflib may not
        return None
    if _BASE.search(query):  # relative IRIs: rdflib and pyoxigraph might resolve a corner case apart
        return None
    try:
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        algebra = translateQuery(parseQuery(query)).algebra
    except Exception:  # noqa: BLE001 - rdflib's parser raises many types; unread means "everything"
        return None
    found: set[str] = set()
    try:
        if algebra.get("datasetClause"):
            raise _Everything
        _walk(algebra, found)
    except (_Everything, RecursionError):
        return None
    return frozenset(found)


def _walk(node: object, found: set[str]) -> None:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Identifier

    if isinstance(node, CompValue):
        if node.name not in _KNOWN and not node.name.startswith(("Builtin_", "Aggregate_")):
            raise _Everything
        for key, value in dict.items(node):
            if key == "triples":
                _triples(value, found)
            elif key == "datasetClause" and value:
                raise _Everything
            else:
                _walk(value, found)
    elif isinstance(node, (list, tuple, set, frozenset, ParseResults)):
        for item in node:
            _walk(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            _walk(key, found)
            _walk(value, found)
    elif not isinstance(node, (Identifier, str, int, float, bool, type(None))):
        raise _Everything  # a path outside a triple pattern, or anything unforeseen


def _triples(value: object, found: set[str]) -> None:
    from pyparsing import ParseResults
    from rdflib.term import BNode, Literal, URIRef, Variable

    if not isinstance(value, (list, tuple, ParseResults)):
        raise _Everything
    for item in value:
        if not isinstance(item, (list, tuple, ParseResults)):
            raise _Everything
        terms = list(item)  # a pattern, or (in a parse tree) several patterns one after another
        if not terms or len(terms) % 3:
            raise _Everything
        for i in range(0, len(terms), 3):
            s, p, o = terms[i:i + 3]
            if not all(isinstance(t, (URIRef, BNode, Literal, Variable)) for t in (s, o)):
                raise _Everything
            _path(p, found)


def _path(p: object, found: set[str]) -> None:
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.term import URIRef

    if isinstance(p, URIRef):
        if not _ABSOLUTE.match(str(p)):
            raise _Everything
        found.add(f"<{p}>")
    elif isinstance(p, InvPath):
        _path(p.arg, found)
    elif isinstance(p, (SequencePath, AlternativePath)):
        for arg in p.args:
            _path(arg, found)
    elif isinstance(p, MulPath) and p.mod == "+":
        _path(p.path, found)
    else:  # a variable or blank node predicate, a negated property set, a zero-length path
        raise _Everything

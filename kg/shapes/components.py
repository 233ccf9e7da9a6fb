"""SHACL's constraint components, one class each, in a registry.

Each class names its component (``iri``), the parameters that make a shape use it
(``parameters``) and those that only qualify it (``optional``), as pySHACL's
``pyshacl/constraints/__init__.py`` does. A class with ``compiled = True`` also checks value
nodes itself (:meth:`Component.hits`); one with ``compiled = False`` is listed so that a shapes
graph using it is recognised and handed to pySHACL whole. :func:`component_for` finds the class of
a parameter; what kg cannot compile is therefore derived from this table, never kept by hand.

A compiled component may still refuse one use of itself (a bound that is not a number, two
values where SHACL allows one, a regular expression Python cannot read): its constructor raises
:class:`Unsupported`, and the shapes go to pySHACL for that reason.

Value nodes, focus nodes and paths' values are N-Triples terms (``<iri>``, ``_:b``,
``"3"^^<...#integer>``), as :class:`kg.build.quads.Quads` holds them. The semantics follow
SHACL 1.0 and agree with pySHACL 0.40 (the reference kg's tests compare with).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.ntriples import term_n3
from kg.shapes.terms import Hit, InvalidShapes, Unsupported, literal, to_term
from kg.vocab import RDF, RDFS, SH, XSD

if TYPE_CHECKING:  # only for annotations: the engine imports this module
    from kg.shapes.engine import CompiledShape, ShapeCompiler, Validator

__all__ = ["COMPONENTS", "Component", "Hit", "Unsupported", "component_for", "literal", "to_term"]


class Component:
    """One SHACL constraint component: its IRI and parameters; compiled ones check value nodes."""

    iri: ClassVar[URIRef]
    parameters: ClassVar[tuple[URIRef, ...]]
    optional: ClassVar[tuple[URIRef, ...]] = ()
    compiled: ClassVar[bool] = True
    #: SHACL allows the component on property shapes only (on a node shape the shapes are ill-formed).
    property_only: ClassVar[bool] = False
    #: True when :meth:`hits` finds nothing where there are no value nodes (the engine then skips it);
    #: set only where the method shows it (sh:minCount, sh:hasValue, sh:equals, sh:sparql do find).
    needs_values: ClassVar[bool] = False

    def __init__(self, compiler: ShapeCompiler, shape: CompiledShape, args: dict[URIRef, list[Node]]) -> None:
        self.shape = shape

    def hits(self, v: Validator, focus: str, values: list[str]) -> Iterator[Hit]:
        """Every validation result of this component at ``focus`` with these value nodes."""
        raise NotImplementedError

    def messages(self, v: Validator, focus: str, value: str | None) -> list[str]:
        """pySHACL's default message for a result without sh:message."""
        return []

    @staticmethod
    def one(args: dict[URIRef, list[Node]], parameter: URIRef) -> Node:
        values = args.get(parameter, [])
        if len(values) != 1:
            raise Unsupported(f"{len(values)} values of {_short(parameter)} on one shape (SHACL allows one)")
        return values[0]


def _short(iri: Node) -> str:
    text = str(iri)
    return "sh:" + text[len(str(SH)):] if text.startswith(str(SH)) else f"<{text}>"


def _name(node: Node) -> str:
    """A shapes-graph node in a message: its IRI, or "a blank node"."""
    return node.n3() if isinstance(node, URIRef) else "a blank-node shape"


def _count(node: Node, parameter: URIRef) -> int:
    if not isinstance(node, Literal) or node.datatype != XSD.integer or getattr(node, "ill_typed", False) \
            or not isinstance(node.value, int) or node.value < 0:
        raise Unsupported(f"{_short(parameter)} {node.n3()} (not a non-negative xsd:integer)")
    return node.value


# -- value type ----------------------------------------------------------------------------
class ClassComponent(Component):
    needs_values = True
    iri = SH.ClassConstraintComponent
    parameters = (SH["class"],)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.classes = sorted(args[SH["class"]], key=str)
        if not all(isinstance(c, (URIRef, BNode)) for c in self.classes):
            raise Unsupported("sh:class with a literal value")
        self.terms = [term_n3(c) for c in self.classes]

    def hits(self, v, focus, values):
        for cls in self.terms:
            for value in values:
                if value[0] == '"' or not v.instance_of(value, cls):
                    yield Hit(value)

    def messages(self, v, focus, value):
        if len(self.classes) < 2:
            return [f"Value does not have class {v.sg(self.classes[0])}"]
        return [f"Value class is not in classes ({', '.join(v.sg(c) for c in self.classes)})"]


_XSD_STRING, _RDFS_LITERAL, _RDFS_DATATYPE, _RDF_LANGSTRING = XSD.string, RDFS.Literal, RDFS.Datatype, RDF.langString
_ACTUAL_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float, XSD.decimal: Decimal,
    XSD.boolean: bool, XSD.date: datetime.date, XSD.time: datetime.time, XSD.dateTime: datetime.datetime}


class DatatypeComponent(Component):
    needs_values = True
    iri = SH.DatatypeConstraintComponent
    parameters = (SH.datatype,)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        datatype = self.one(args, SH.datatype)
        if not isinstance(datatype, URIRef):
            raise Unsupported("sh:datatype that is not an IRI")
        self.datatype: URIRef = datatype
        self.cache: dict[str, bool] = {}
        # What matches() answers for every plain literal ("..." without datatype or language):
        # rdflib gives it no datatype and its lexical form, a str, as value; so it matches
        # xsd:string and rdfs:Literal only. Quotes and names are such literals, and long.
        self.plain = self.datatype in (_XSD_STRING, _RDFS_LITERAL)

    def matches(self, value: str) -> bool:
        term = literal(value)
        if term is None:
            return False
        rule = self.datatype
        if term.datatype == rule:
            ok = not getattr(term, "ill_typed", False)
        elif rule == _RDFS_LITERAL or (rule == _RDFS_DATATYPE and term.datatype):
            return True
        else:
            ok = (term.datatype is None and term.language is None and rule == _XSD_STRING) \
                or (rule == _RDF_LANGSTRING and bool(term.language))
        if ok and rule in _ACTUAL_TYPES:
            ok = isinstance(term.value, _ACTUAL_TYPES[rule])
        return ok

    def hits(self, v, focus, values):
        for value in values:
            if value[0] == '"' and value[-1] == '"':  # a plain literal
                if not self.plain:
                    yield Hit(value)
                continue
            ok = self.cache.get(value)
            if ok is None:
                ok = self.matches(value)
                if len(value) < 64:  # short values (counts, dates) repeat; quotes do not
                    self.cache[value] = ok
            if not ok:
                yield Hit(value)

    def messages(self, v, focus, value):
        return [f"Value is not Literal with datatype {v.sg(self.datatype)}"]


_KINDS = {SH.BlankNode: "b", SH.IRI: "i", SH.Literal: "l", SH.BlankNodeOrIRI: "bi", SH.BlankNodeOrLiteral: "bl",
          SH.IRIOrLiteral: "il"}


class NodeKindComponent(Component):
    needs_values = True
    iri = SH.NodeKindConstraintComponent
    parameters = (SH.nodeKind,)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.kind = self.one(args, SH.nodeKind)
        if not isinstance(self.kind, URIRef) or self.kind not in _KINDS:
            raise Unsupported(f"sh:nodeKind {self.kind.n3()} (not one of SHACL's six node kinds)")
        self.allowed = _KINDS[self.kind]

    def hits(self, v, focus, values):
        for value in values:
            kind = "l" if value[0] == '"' else "b" if value[0] == "_" else "i"
            if kind not in self.allowed:
                yield Hit(value)

    def messages(self, v, focus, value):
        return [f"Value is not of Node Kind {v.sg(self.kind)}"]


# -- cardinality ---------------------------------------------------------------------------
class MinCountComponent(Component):
    iri = SH.MinCountConstraintComponent
    parameters = (SH.minCount,)
    property_only = True

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.count = _count(self.one(args, SH.minCount), SH.minCount)

    def hits(self, v, focus, values):
        if len(values) < self.count:
            yield Hit(None)

    def messages(self, v, focus, value):
        if self.shape.path_node is not None:
            return [f"Less than {self.count} values on {v.data(focus)}->{v.sg(self.shape.path_node)}"]
        return [f"Less than {self.count} values on {v.data(focus)}"]


class MaxCountComponent(Component):
    needs_values = True
    iri = SH.MaxCountConstraintComponent
    parameters = (SH.maxCount,)
    property_only = True

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.count = _count(self.one(args, SH.maxCount), SH.maxCount)

    def hits(self, v, focus, values):
        if len(values) > self.count:
            yield Hit(None)

    def messages(self, v, focus, value):
        if self.shape.path_node is not None:
            return [f"More than {self.count} values on {v.data(focus)}->{v.sg(self.shape.path_node)}"]
        return [f"More than {self.count} values on {v.data(focus)}"]


# -- value range ---------------------------------------------------------------------------
#: The datatypes whose values compare as numbers (rdflib's numeric literal types).
NUMERIC = frozenset(XSD[t] for t in (
    "integer", "decimal", "double", "float", "byte", "int", "long", "short", "negativeInteger",
    "nonNegativeInteger", "nonPositiveInteger", "positiveInteger", "unsignedByte", "unsignedInt",
    "unsignedLong", "unsignedShort"))


def _number(value: str) -> int | float | Decimal | None:
    term = literal(value)
    if term is None or term.datatype not in NUMERIC or getattr(term, "ill_typed", False):
        return None
    number = term.value
    return number if isinstance(number, (int, float, Decimal)) and not isinstance(number, bool) else None


class _Range(Component):
    """A numeric bound. Bounds of other datatypes (dates, strings) and NaN are not compiled:
    rdflib's and SPARQL's orderings of those differ in corner cases kg does not reproduce."""

    needs_values = True
    parameter: ClassVar[URIRef]
    symbol: ClassVar[str]

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.bound_node = self.one(args, self.parameter)
        bound = _number(term_n3(self.bound_node)) if isinstance(self.bound_node, Literal) else None
        if bound is None or bound != bound:  # not a number, or NaN
            raise Unsupported(f"{_short(self.parameter)} {self.bound_node.n3()} (only numeric bounds are compiled)")
        self.bound = bound
        self.cache: dict[str, bool] = {}

    def ok(self, number) -> bool:
        raise NotImplementedError

    def hits(self, v, focus, values):
        for value in values:
            ok = self.cache.get(value)
            if ok is None:
                number = _number(value)
                ok = number is not None and self.ok(number)
                if len(value) < 64:
                    self.cache[value] = ok
            if not ok:
                yield Hit(value)

    def messages(self, v, focus, value):
        return [f"Value is not {self.symbol} {v.sg(self.bound_node)}"]


class MinExclusiveComponent(_Range):
    iri = SH.MinExclusiveConstraintComponent
    parameters = (SH.minExclusive,)
    parameter, symbol = SH.minExclusive, ">"

    def ok(self, number):
        return number > self.bound


class MinInclusiveComponent(_Range):
    iri = SH.MinInclusiveConstraintComponent
    parameters = (SH.minInclusive,)
    parameter, symbol = SH.minInclusive, ">="

    def ok(self, number):
        return number >= self.bound


class MaxExclusiveComponent(_Range):
    iri = SH.MaxExclusiveConstraintComponent
    parameters = (SH.maxExclusive,)
    parameter, symbol = SH.maxExclusive, "<"

    def ok(self, number):
        return number < self.bound


class MaxInclusiveComponent(_Range):
    iri = SH.MaxInclusiveConstraintComponent
    parameters = (SH.maxInclusive,)
    parameter, symbol = SH.maxInclusive, "<="

    def ok(self, number):
        return number <= self.bound


# -- string based --------------------------------------------------------------------------
def _string(value: str) -> str | None:
    """The string SHACL's length and pattern constraints see: an IRI's text, a literal's lexical
    form; None for a blank node."""
    if value[0] == "<":
        return value[1:-1]
    if value[0] == "_":
        return None
    return str(literal(value))


class _Length(Component):
    needs_values = True
    parameter: ClassVar[URIRef]

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.node = self.one(args, self.parameter)
        self.length = _count(self.node, self.parameter)

    def ok(self, text: str) -> bool:
        raise NotImplementedError

    def hits(self, v, focus, values):
        for value in values:
            text = _string(value)
            if text is None or not self.ok(text):
                yield Hit(value)


class MinLengthComponent(_Length):
    iri = SH.MinLengthConstraintComponent
    parameters = (SH.minLength,)
    parameter = SH.minLength

    def ok(self, text):
        return len(text) >= self.length

    def hits(self, v, focus, values):
        if self.length == 0:
            return
        yield from super().hits(v, focus, values)

    def messages(self, v, focus, value):
        return [f"String length not >= {v.sg(self.node)}"]


class MaxLengthComponent(_Length):
    iri = SH.MaxLengthConstraintComponent
    parameters = (SH.maxLength,)
    parameter = SH.maxLength

    def ok(self, text):
        return len(text) <= self.length

    def messages(self, v, focus, value):
        return [f"String length not <= {v.sg(self.node)}"]


class PatternComponent(Component):
    """sh:pattern with Python's ``re`` (as pySHACL); only the flags ``i`` and ``m`` are compiled,
    and only patterns without XPath-only syntax (``\\p{..}``, class subtraction)."""

    needs_values = True
    iri = SH.PatternConstraintComponent
    parameters = (SH.pattern,)
    optional = (SH.flags,)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.pattern = self.one(args, SH.pattern)
        flags = args.get(SH.flags, [])
        if len(flags) > 1 or not isinstance(self.pattern, Literal) or self.pattern.datatype not in (None, XSD.string):
            raise Unsupported("sh:pattern that is not one string with at most one sh:flags")
        text, flag_text = str(self.pattern), str(flags[0]) if flags else ""
        if set(flag_text) - set("im") or re.search(r"\\[pPiIcC]|-\[", text):
            raise Unsupported(f"sh:pattern {self.pattern.n3()} with flags {flag_text!r} (XPath syntax Python lacks)")
        try:
            self.regex = re.compile(text, (re.I if "i" in flag_text else 0) | (re.M if "m" in flag_text else 0))
        except (re.error, RecursionError, OverflowError, ValueError) as exc:
            raise Unsupported(f"sh:pattern {self.pattern.n3()} ({exc})") from None

    def hits(self, v, focus, values):
        for value in values:
            text = _string(value)
            if text is None or not self.regex.search(text):
                yield Hit(value)

    def messages(self, v, focus, value):
        return [f"Value does not match pattern '{self.pattern}'"]


class LanguageInComponent(Component):
    needs_values = True
    iri = SH.LanguageInConstraintComponent
    parameters = (SH.languageIn,)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.node = self.one(args, SH.languageIn)
        items = compiler.list_items(self.node)
        if items is None or not all(isinstance(i, Literal) and isinstance(i.value, str) for i in items):
            raise Unsupported("sh:languageIn that is not a list of strings")
        self.languages = {str(i).lower() for i in items}

    def hits(self, v, focus, values):
        for value in values:
            term = literal(value)
            lang = (term.language or "").lower() if term is not None else ""
            ok = bool(lang) and ("*" in self.languages or lang in self.languages
                                 or lang.split("-")[0] in self.languages)
            if not ok:
                yield Hit(value)

    def messages(self, v, focus, value):
        return [f"String language is not in {v.sg(self.node)}"]


class UniqueLangComponent(Component):
    needs_values = True
    iri = SH.UniqueLangConstraintComponent
    parameters = (SH.uniqueLang,)
    property_only = True

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        flag = self.one(args, SH.uniqueLang)
        if not isinstance(flag, Literal) or not isinstance(flag.value, bool) or shape.path is None:
            raise Unsupported("sh:uniqueLang that is not a boolean, or on a node shape")
        self.on = str(flag) == "true"  # only true activates it: "1"^^xsd:boolean does not (W3C uniqueLang-002)

    def hits(self, v, focus, values):
        if not self.on:
            return
        seen: set[str] = set()
        duplicated: set[str] = set()
        for value in values:
            term = literal(value)
            if term is not None and term.language:
                lang = term.language.lower()
                (duplicated if lang in seen else seen).add(lang)
        for _ in sorted(duplicated):
            yield Hit(None)

    def messages(self, v, focus, value):
        return ["More than one String shares the same Language"]


# -- property pairs ------------------------------------------------------------------------
class _Pair(Component):
    parameter: ClassVar[URIRef]

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.property = self.one(args, self.parameter)
        if not isinstance(self.property, URIRef):
            raise Unsupported(f"{_short(self.parameter)} that is not an IRI")
        self.term = term_n3(self.property)


class EqualsComponent(_Pair):
    iri = SH.EqualsConstraintComponent
    parameters = (SH.equals,)
    parameter = SH.equals

    def hits(self, v, focus, values):
        mine, other = set(values), set(v.values(focus, self.term))
        for value in sorted(mine - other):
            yield Hit(value)
        for value in sorted(other - mine):
            yield Hit(value)

    def messages(self, v, focus, value):
        return [f"Value of {v.data(focus)}->{v.sg(self.property)} != {v.data(value)}"]


class DisjointComponent(_Pair):
    needs_values = True
    iri = SH.DisjointConstraintComponent
    parameters = (SH.disjoint,)
    parameter = SH.disjoint

    def hits(self, v, focus, values):
        other = set(v.values(focus, self.term))
        for value in values:
            if value in other:
                yield Hit(value)

    def messages(self, v, focus, value):
        return [f"Value of {v.data(focus)}->{v.sg(self.property)} == {v.data(value)}"]


class LessThanComponent(Component):
    iri = SH.LessThanConstraintComponent
    parameters = (SH.lessThan,)
    compiled = False


class LessThanOrEqualsComponent(Component):
    iri = SH.LessThanOrEqualsConstraintComponent
    parameters = (SH.lessThanOrEquals,)
    compiled = False


# -- logical -------------------------------------------------------------------------------
class NotComponent(Component):
    needs_values = True
    iri = SH.NotConstraintComponent
    parameters = (SH["not"],)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.nodes = sorted(args[SH["not"]], key=str)
        self.shapes = [compiler.compile(n) for n in self.nodes]

    def hits(self, v, focus, values):
        for other in self.shapes:
            for value in values:
                if v.conforms(other, value):
                    yield Hit(value)

    def messages(self, v, focus, value):
        if len(self.nodes) == 1:
            return [f"Node {v.data(value)} must not conform to shape {v.sg(self.nodes[0])}"]
        return [f"Node {v.data(value)} must not conform to any shapes in {' , '.join(v.sg(n) for n in self.nodes)}"]


class _ListOfShapes(Component):
    needs_values = True
    parameter: ClassVar[URIRef]
    word: ClassVar[str]

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.lists = sorted(args[self.parameter], key=str)
        self.members = []
        for node in self.lists:
            items = compiler.list_items(node)
            if items is None:
                raise Unsupported(f"{_short(self.parameter)} that is not a well-formed list")
            self.members.append((items, [compiler.compile(i) for i in items]))

    def ok(self, v: Validator, shapes: list[CompiledShape], value: str) -> bool:
        raise NotImplementedError

    def hits(self, v, focus, values):
        for _, shapes in self.members:
            for value in values:
                if not self.ok(v, shapes, value):
                    yield Hit(value)

    def messages(self, v, focus, value):
        if len(self.members) < 2:
            text = " , ".join(v.sg(i) for i in self.members[0][0])
        else:
            text = " and ".join("(" + " , ".join(v.sg(i) for i in items) + ")" for items, _ in self.members)
        return [f"Node {v.data(value)} must conform to {self.word} {text}"]


class AndComponent(_ListOfShapes):
    iri = SH.AndConstraintComponent
    parameters = (SH["and"],)
    parameter, word = SH["and"], "all shapes in"

    def ok(self, v, shapes, value):
        return all(v.conforms(s, value) for s in shapes)


class OrComponent(_ListOfShapes):
    iri = SH.OrConstraintComponent
    parameters = (SH["or"],)
    parameter, word = SH["or"], "one or more shapes in"

    def ok(self, v, shapes, value):
        return any(v.conforms(s, value) for s in shapes)


class XoneComponent(_ListOfShapes):
    iri = SH.XoneConstraintComponent
    parameters = (SH.xone,)
    parameter, word = SH.xone, "exactly one shape in"

    def ok(self, v, shapes, value):
        return sum(1 for s in shapes if v.conforms(s, value)) == 1


# -- shape based ---------------------------------------------------------------------------
class NodeComponent(Component):
    needs_values = True
    iri = SH.NodeConstraintComponent
    parameters = (SH.node,)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.nodes = sorted(args[SH.node], key=str)
        self.shapes = [compiler.compile(n) for n in self.nodes]

    def hits(self, v, focus, values):
        for other in self.shapes:
            for value in values:
                if not v.conforms(other, value):
                    yield Hit(value)

    def messages(self, v, focus, value):
        if len(self.nodes) < 2:
            text = f"Value does not conform to Shape {v.sg(self.nodes[0])}."
        else:
            text = "Value must conform to every Shape in ('{}').".format("', '".join(v.sg(n) for n in self.nodes))
        return [text + " See details for more information."]


class PropertyComponent(Component):
    """sh:property: each value node is validated as a focus node of the property shape, whose own
    results are the results (their source shape is the property shape)."""

    needs_values = True
    iri = SH.PropertyConstraintComponent
    parameters = (SH.property,)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.shapes = [compiler.compile(n) for n in sorted(args[SH.property], key=str)]
        for other in self.shapes:
            if other.path is None:
                raise Unsupported("sh:property whose value has no sh:path")


class QualifiedValueShapeComponent(Component):
    iri = SH.QualifiedMinCountConstraintComponent
    parameters = (SH.qualifiedValueShape,)
    optional = (SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint)
    compiled = False


# -- other ---------------------------------------------------------------------------------
class ClosedComponent(Component):
    needs_values = True
    iri = SH.ClosedConstraintComponent
    parameters = (SH.closed,)
    optional = (SH.ignoredProperties,)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        flag = self.one(args, SH.closed)
        if not isinstance(flag, Literal) or not isinstance(flag.value, bool):
            raise Unsupported("sh:closed that is not a boolean")
        self.on = flag.value
        allowed: set[str] = set()
        for node in args.get(SH.ignoredProperties, []):
            items = compiler.list_items(node)
            if items is None:
                raise Unsupported("sh:ignoredProperties that is not a well-formed list")
            allowed.update(term_n3(i) for i in items if not isinstance(i, Literal))
        for prop in compiler.graph.objects(shape.node, SH.property):
            for path in compiler.graph.objects(prop, SH.path):
                if isinstance(path, URIRef):
                    allowed.add(term_n3(path))
        self.allowed = allowed

    def hits(self, v, focus, values):
        if not self.on:
            return
        for value in values:
            for p, o in v.pairs.get(value, ()):
                if p not in self.allowed:
                    yield Hit(o, path=URIRef(p[1:-1]))

    def messages(self, v, focus, value):
        return [f"Node {v.data(focus)} is closed. It cannot have value: {v.data(value)}"]


class HasValueComponent(Component):
    iri = SH.HasValueConstraintComponent
    parameters = (SH.hasValue,)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        self.nodes = sorted(args[SH.hasValue], key=str)
        self.terms = [term_n3(n) for n in self.nodes]

    def hits(self, v, focus, values):
        for term in self.terms:
            if term not in values:
                yield Hit(None)

    def messages(self, v, focus, value):
        the_set = [v.sg(n) for n in self.nodes]
        if self.shape.path_node is not None:
            where = f"{v.data(focus)}->{v.sg(self.shape.path_node)}"
            return [f"Node {where} does not contain a value in the set: {the_set}"]
        return [f"Node {v.data(focus)} value is not a in the set of values: {the_set}"]


class InComponent(Component):
    needs_values = True
    iri = SH.InConstraintComponent
    parameters = (SH["in"],)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        items = compiler.list_items(self.one(args, SH["in"]))
        if items is None:
            raise Unsupported("sh:in that is not a well-formed list")
        self.items = list(dict.fromkeys(items))  # once each, as pySHACL lists them
        self.terms = {term_n3(i) for i in items}

    def hits(self, v, focus, values):
        for value in values:
            if value not in self.terms:
                yield Hit(value)

    def messages(self, v, focus, value):
        return [f"Value {v.data(value)} not in list {[v.sg(i) for i in self.items]}"]


class SparqlComponent(Component):
    """SHACL-SPARQL constraints (sh:sparql with sh:select), run on a pyoxigraph store of the data
    with ``$this`` (and ``$currentShape``) pre-bound by substitution, ``$PATH`` replaced by the
    shape's path; see :mod:`kg.shapes.sparql`."""

    iri = SH.SPARQLConstraintComponent
    parameters = (SH.sparql,)

    def __init__(self, compiler, shape, args):
        super().__init__(compiler, shape, args)
        from kg.shapes.sparql import compile_select

        self.constraints = []
        unsupported: list[str] = []
        invalid: list[str] = []
        for node in sorted(args[SH.sparql], key=str):
            try:
                self.constraints.append(compile_select(compiler.graph, node, shape))
            except Unsupported as exc:
                unsupported.extend(exc.constructs)
            except InvalidShapes as exc:
                where = f"sh:sparql {node.n3()}" if isinstance(node, URIRef) else f"a sh:sparql of {_name(shape.node)}"
                invalid.extend(f"{where}: {problem}" for problem in exc.problems)
        if invalid:
            raise InvalidShapes(*invalid)
        if unsupported:
            raise Unsupported(*unsupported)

    def hits(self, v, focus, values):
        for constraint in self.constraints:
            yield from constraint.hits(v, focus)


#: Every SHACL Core and SHACL-SPARQL constraint component, as pySHACL lists them.
COMPONENTS: tuple[type[Component], ...] = (
    ClassComponent, DatatypeComponent, NodeKindComponent, MinCountComponent, MaxCountComponent,
    MinExclusiveComponent, MinInclusiveComponent, MaxExclusiveComponent, MaxInclusiveComponent,
    NotComponent, AndComponent, OrComponent, XoneComponent, MinLengthComponent, MaxLengthComponent,
    PatternComponent, LanguageInComponent, UniqueLangComponent, EqualsComponent, DisjointComponent,
    LessThanComponent, LessThanOrEqualsComponent, NodeComponent, PropertyComponent,
    QualifiedValueShapeComponent, ClosedComponent, HasValueComponent, InComponent, SparqlComponent,
)

_BY_PARAMETER: dict[URIRef, type[Component]] = {p: c for c in COMPONENTS for p in c.parameters + c.optional}


def component_for(parameter: Node) -> type[Component] | None:
    """The component a parameter belongs to (None for a term that is no constraint parameter)."""
    return _BY_PARAMETER.get(parameter) if isinstance(parameter, URIRef) else None

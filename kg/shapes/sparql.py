"""SHACL-SPARQL constraints (``sh:sparql`` with ``sh:select``) on a pyoxigraph store.

Pre-binding (SHACL 1.0 section 5.3.1) is done by pyoxigraph's ``substitutions`` (SEP-0007), which
replace the variable in the parsed query, so ``$this`` inside a string literal stays text and
``$this`` in a nested group or a FILTER is bound as the specification says. ``$PATH`` is replaced by
the shape's path in SPARQL syntax. A query that pyoxigraph cannot pre-bind (``$this`` used but not
projected), one using ``$shapesGraph``, ``?failure``, or projecting none of ``?this``, ``?path`` and
``?value`` is not compiled: the shapes go to pySHACL.

Each solution is a result, as pySHACL reports them: ``?this`` (or the focus node) is the focus,
``?path`` (or the shape's path) the path, ``?value`` (or, in a node shape, the focus node) the value;
identical solutions are reported once, and ``{?var}`` / ``{$var}`` in ``sh:message`` are replaced by
the solution's values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Graph, Literal
from rdflib.term import Node

from kg.shapes.components import Hit, Unsupported, to_term
from kg.shapes.paths import sparql_path
from kg.vocab import SH

if TYPE_CHECKING:
    from kg.shapes.engine import CompiledShape, Validator

__all__ = ["SelectConstraint", "compile_select", "ox_term"]

_PATH_VAR = re.compile(r"\$PATH\b")


def _uses(variable: str, text: str) -> bool:
    return re.search(r"[?$]" + variable + r"\b", text) is not None


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
    """One compiled ``sh:sparql`` constraint of a shape."""

    node: Node
    query: str
    bind: tuple[str, ...]  # the variables pre-bound: "this", "currentShape"
    messages: tuple[str, ...]
    shape: CompiledShape
    deactivated: bool = False

    def hits(self, v: Validator, focus: str) -> Iterator[Hit]:
        """The results of the query with ``$this`` bound to ``focus``."""
        if self.deactivated:
            return
        rows = v.select(self, focus)
        shape_messages = list(self.shape.messages)
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
        message = re.sub("{[?$]" + re.escape(name) + "}", lambda _m, t=text: t, message)
    return message


def compile_select(graph: Graph, node: Node, shape: CompiledShape) -> SelectConstraint:
    """Compile the ``sh:sparql`` value ``node`` of ``shape``; :class:`Unsupported` otherwise."""
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
    declarations = []
    for prefixes in graph.objects(node, SH.prefixes):
        for decl in graph.objects(prefixes, SH.declare):
            prefix, namespace = graph.value(decl, SH.prefix), graph.value(decl, SH.namespace)
            if not isinstance(prefix, Literal) or not isinstance(namespace, Literal) \
                    or not re.fullmatch(r"[A-Za-z][\w.-]*|", str(prefix)) or not str(namespace) \
                    or re.search(r'[<>"{}|^`\\\s]', str(namespace)):
                raise Unsupported("sh:declare without one sh:prefix and one sh:namespace")
            declarations.append(f"PREFIX {prefix}: <{namespace}>")
    text = str(selects[0])
    if _uses("shapesGraph", text):
        raise Unsupported("$shapesGraph in a SPARQL constraint")
    if _PATH_VAR.search(text):
        if shape.path is None:
            raise Unsupported("$PATH in a SPARQL constraint of a node shape")
        path = sparql_path(shape.path)
        text = _PATH_VAR.sub(lambda _m: path, text)
    query = "\n".join(sorted(set(declarations)) + [text])
    bind = [name for name in ("this", "currentShape")]
    probe = ox.Store()
    while True:
        substitutions = {ox.Variable(name): ox.NamedNode("urn:kg:probe") for name in bind}
        try:
            variables = {var.value for var in probe.query(query, substitutions=substitutions).variables}
        except AttributeError:
            raise Unsupported("sh:select that is not a SELECT query") from None
        except (SyntaxError, RuntimeError, ValueError, OSError) as exc:
            missing = re.search(r"variable \?(\w+) in its SELECT projection", str(exc))
            if missing and missing.group(1) in bind and not _uses(missing.group(1), text):
                bind.remove(missing.group(1))
                continue
            raise Unsupported(f"sh:select that pyoxigraph cannot run with $this pre-bound ({str(exc)[:120]})") from None
        break
    if "failure" in variables:
        raise Unsupported("?failure in a SPARQL constraint")
    if not variables & {"this", "path", "value"}:
        raise Unsupported("a SPARQL constraint projecting none of ?this, ?path, ?value")
    return SelectConstraint(node, query, tuple(bind), tuple(sorted(messages)), shape, deactivated)

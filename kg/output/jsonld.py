"""JSON-LD with a context: the single-graph output, written straight from a :class:`~kg.build.Built`.

pyoxigraph's JSON-LD writer produces expanded JSON-LD (full IRIs everywhere, no ``@context``),
which is valid but unreadable, and rdflib's compacting writer is slow at scale. This writer emits
one node object per subject, in sorted order, with a ``@context`` that declares the dataset's
prefixes, and every IRI that a prefix covers written as a compact IRI (``kg:perpetrator``,
``data:emc``): keys, ``@id``, ``@type`` and datatype IRIs alike.

A compact IRI must expand back to the same IRI in every JSON-LD 1.1 processor, so:

* only prefixes whose namespace ends with a URI gen-delim character (``:/?#[]@``) compact IRIs
  (JSON-LD 1.1 uses a simple term as a prefix only then; ``ent = "https://example.org/e"``
  would make ``ent:cx`` read as an absolute IRI);
* a prefix named like the scheme of an IRI in the data (``data`` beside ``data:text/plain,x``)
  is left out of the context, or that IRI would be read as a compact one;
* a suffix that would itself look like an authority (``//...``), be empty, or start with a
  character JSON-LD treats specially is never compacted.

Tests read the file back with pyld and rdflib over adversarial prefixes, IRIs and literals.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from kg.build import Built
from kg.ntriples import unescape

__all__ = ["jsonld_context", "write_jsonld"]

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_GEN_DELIMS = tuple(":/?#[]@")


def jsonld_context(prefixes: Mapping[str, str], schemes: set[str]) -> dict[str, str]:
    """The prefixes a JSON-LD context may declare for data whose IRIs use ``schemes``.

    A prefix named like a scheme, of the data or of a namespace in the context itself, would
    turn full IRIs into compact ones (``tag = "tag:example.org,2024:"`` even defines itself), so
    it is left out."""
    taken = schemes | {ns[:ns.find(":")].lower() for ns in prefixes.values() if ":" in ns}
    return {p: ns for p, ns in sorted(prefixes.items())
            if p and ns and ns.endswith(_GEN_DELIMS) and p.lower() not in taken}


class _Compactor:
    """IRI -> compact IRI through the longest matching prefix, cached."""

    def __init__(self, context: Mapping[str, str]) -> None:
        self.prefixes = sorted(((ns, p) for p, ns in context.items()), key=lambda t: -len(t[0]))
        self.cache: dict[str, str] = {}

    def __call__(self, term: str) -> str:
        """A ``<iri>`` or ``_:b`` term in N-Triples form, compacted where a prefix covers it."""
        found = self.cache.get(term)
        if found is None:
            if term.startswith("_:"):
                found = term
            else:
                found = term[1:-1]
                for ns, prefix in self.prefixes:
                    suffix = found[len(ns):]
                    if found.startswith(ns) and suffix and not suffix.startswith("//") and suffix[0] != "@":
                        found = f"{prefix}:{suffix}"
                        break
            self.cache[term] = found
        return found

    def value(self, term: str) -> object:
        """An object term as a JSON-LD value."""
        if term.startswith("<") or term.startswith("_:"):
            return {"@id": self(term)}
        end = term.rindex('"')
        lexical = unescape(term[1:end])
        rest = term[end + 1:]
        if rest.startswith("@"):
            return {"@value": lexical, "@language": rest[1:]}
        if rest.startswith("^^<"):
            return {"@value": lexical, "@type": self(rest[2:])}
        return lexical


def _schemes(built: Built, names: list[str]) -> set[str]:
    """The schemes (lower-cased) of every IRI in some graphs: ``https``, ``urn``, ``data`` ..."""
    schemes: set[str] = set()
    seen: set[str] = set()
    for s, p, o in built.quads.triples(names):
        for term in (s, p, o):
            if term.startswith("<") and term not in seen:
                seen.add(term)
                schemes.add(term[1:term.find(":")].lower())
            elif term.startswith('"') and "^^<" in term:
                datatype = term[term.rindex("^^<") + 3:]
                schemes.add(datatype[:datatype.find(":")].lower())
    return schemes


def _nodes(built: Built, names: list[str], compact: _Compactor) -> Iterator[dict[str, object]]:
    subject: str | None = None
    node: dict[str, Any] | None = None  # JSON: "@id" a string, every other key a list of values
    for s, p, o in built.quads.triples(names):
        if s != subject:
            if node is not None:
                yield node
            subject, node = s, {"@id": compact(s)}
        assert node is not None
        if p == _RDF_TYPE and o.startswith("<"):
            node.setdefault("@type", []).append(compact(o))
        else:
            node.setdefault(compact(p), []).append(compact.value(o))
    if node is not None:
        yield node


def write_jsonld(built: Built, out: BinaryIO, *, inferred: bool = False) -> None:
    """Write the merged graphs of ``built`` (the inferred one only when asked) as one compact
    JSON-LD document."""
    names = built.quads.names(inferred=inferred)
    context = jsonld_context(built.prefixes, _schemes(built, names))
    compact = _Compactor(context)
    head = json.dumps({"@context": context}, ensure_ascii=False, indent=1, sort_keys=True)
    out.write((head[:-2] + ',\n "@graph": [').encode("utf-8"))
    first = True
    buffer: list[str] = []
    for node in _nodes(built, names, compact):
        buffer.append(("\n  " if first else ",\n  ") + json.dumps(node, ensure_ascii=False, sort_keys=True))
        first = False
        if len(buffer) >= 2048:
            out.write("".join(buffer).encode("utf-8"))
            buffer.clear()
    out.write(("".join(buffer) + "\n ]\n}\n").encode("utf-8"))

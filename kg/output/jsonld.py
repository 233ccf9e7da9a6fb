"""JSON-LD with a context: the single-graph output written straight from :class:`~kg.build.quads.Quads`.

pyoxigraph's JSON-LD writer produces expanded JSON-LD (full IRIs everywhere, no ``@context``),
which is valid but unreadable, and rdflib's compacting writer is slow at scale. This writer emits
one node object per subject, in sorted order, with a ``@context`` that declares the dataset's
prefixes, and every IRI that a prefix covers written as a compact IRI (``kg:perpetrator``,
``data:emc``) — keys, ``@id``, ``@type`` and datatype IRIs alike. A JSON-LD processor expands
them back to the same triples (tests read the file back with rdflib and compare).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from kg.build.quads import Quads

__all__ = ["write_jsonld"]

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_UNESCAPE_RE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))', re.S)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _ECHARS[match.group(3)]


class _Compactor:
    """IRI -> compact IRI through the longest matching prefix, cached."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = sorted(((ns, p) for p, ns in prefixes.items() if p and ns), key=lambda t: -len(t[0]))
        self.cache: dict[str, str] = {}

    def __call__(self, term: str) -> str:
        """A ``<iri>`` or ``_:b`` term in N-Triples form, compacted where a prefix covers it."""
        found = self.cache.get(term)
        if found is None:
            found = term[2:] if term.startswith("_:") else term[1:-1]
            if not term.startswith("_:"):
                for ns, prefix in self.prefixes:
                    # A suffix starting with "//" would read as an absolute IRI: keep those whole.
                    if found.startswith(ns) and len(found) > len(ns) and not found[len(ns):].startswith("//"):
                        found = f"{prefix}:{found[len(ns):]}"
                        break
            else:
                found = "_:" + found
            self.cache[term] = found
        return found

    def value(self, term: str) -> object:
        """An object term as a JSON-LD value."""
        if term.startswith("<") or term.startswith("_:"):
            return {"@id": self(term)}
        end = term.rindex('"')
        lexical = _UNESCAPE_RE.sub(_unescape, term[1:end]) if "\\" in term else term[1:end]
        rest = term[end + 1:]
        if rest.startswith("@"):
            return {"@value": lexical, "@language": rest[1:]}
        if rest.startswith("^^<"):
            return {"@value": lexical, "@type": self(rest[2:])}
        return lexical


def _nodes(quads: Quads, names: list[str], compact: _Compactor) -> Iterator[dict]:
    subject, node = None, None
    for s, p, o in quads.triples(names):
        if s != subject:
            if node is not None:
                yield node
            subject, node = s, {"@id": compact(s)}
        if p == _RDF_TYPE and o.startswith("<"):
            node.setdefault("@type", []).append(compact(o))
        else:
            node.setdefault(compact(p), []).append(compact.value(o))
    if node is not None:
        yield node


def write_jsonld(quads: Quads, out: BinaryIO, *, names: list[str]) -> None:
    """Write the merged graphs ``names`` of ``quads`` as one compact JSON-LD document."""
    compact = _Compactor(quads.prefixes)
    context = {prefix: ns for prefix, ns in sorted(quads.prefixes.items()) if prefix and ns}
    head = json.dumps({"@context": context}, ensure_ascii=False, indent=1, sort_keys=True)
    out.write((head[:-2] + ',\n "@graph": [').encode("utf-8"))
    first = True
    buffer: list[str] = []
    for node in _nodes(quads, names, compact):
        buffer.append(("\n  " if first else ",\n  ") + json.dumps(node, ensure_ascii=False, sort_keys=True))
        first = False
        if len(buffer) >= 2048:
            out.write("".join(buffer).encode("utf-8"))
            buffer.clear()
    out.write(("".join(buffer) + "\n ]\n}\n").encode("utf-8"))

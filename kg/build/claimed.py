"""The statements every claim makes, whoever makes it: for checks that ask what the sources say.

The default graph holds only facts (README.md, "Provenance model"): an allegation, an assessment or
anything a claimant says exists only as its reified ``kg:Claim``. The SHACL shapes check the
well-formedness of what the sources say, whoever says it (an event whose type only an analyst
gives still has a type), so they run over the facts plus the triple of every claim:
:func:`with_claimed` adds those triples as one more graph, :data:`CLAIMED`, to a copy of the quads.
That graph is made for checking and never written, queried or exported.
"""

from __future__ import annotations

from kg.build.quads import Quads
from kg.vocab import KG, RDF

__all__ = ["claimed_graph_name", "claimed_triples", "with_claimed"]

_TYPE, _CLAIM = f"<{RDF.type}>", f"<{KG.Claim}>"
_SUBJECT, _PREDICATE, _OBJECT = f"<{RDF.subject}>", f"<{RDF.predicate}>", f"<{RDF.object}>"


def claimed_graph_name(base: str) -> str:
    """The key of the checking-only graph of claimed triples."""
    return f"<{base}graph/claimed>"


def claimed_triples(quads: Quads, base: str) -> dict[str, list[tuple[str, str]]]:
    """Subject -> (predicate, object) pairs of every claim's triple in the provenance graph."""
    out: dict[str, list[tuple[str, str]]] = {}
    for pairs in quads.graphs.get(f"<{base}graph/provenance>", {}).values():
        if (_TYPE, _CLAIM) not in pairs:
            continue
        s = p = o = None
        for q, v in pairs:
            if q == _SUBJECT:
                s = v
            elif q == _PREDICATE:
                p = v
            elif q == _OBJECT:
                o = v
        if s is not None and p is not None and o is not None:
            out.setdefault(s, []).append((p, o))
    return out


def with_claimed(quads: Quads, base: str) -> Quads:
    """The quads plus a graph (:func:`claimed_graph_name`) holding every claim's triple."""
    claimed = claimed_triples(quads, base)
    return quads.with_graph(claimed_graph_name(base),
                            {s: tuple(sorted(set(pairs))) for s, pairs in claimed.items()})

"""Flat CSV tables for spreadsheets (the ``csv`` export): one directory of

* ``entities.csv`` - every node: id, kind, label, classes, aliases, description, one column per
  property (``killed``, ``eventType``...: the facts only), and ``attributed``: the values only a
  claim gives, each with who gives it;
* ``relationships.csv`` - every link, ``attributed`` when no claim behind it is the source's own
  voice stating a fact, with its modalities, the ids of its claims and the number of independent
  sources behind it (and which);
* ``events.csv`` - one row per event in ACLED-like columns: date and its precision (and the
  interval, ``time_computed`` when kg build anchored a relative time to its source's date), type, actors
  (``actor1`` perpetrators/agents, ``actor2`` targets, ``assoc_actors`` participants), place with
  its ``admin1`` and ``country`` (walking kg:locatedIn), fatalities with their bound, source and
  notes, and the disputed values with their sources in publication order (``disputes``). These
  columns hold **facts** only; what a claimant says of the event (Petro's "the work of EMC"), and
  what the curator infers (Medellín lies in Colombia), is in ``attributed``, one line per statement
  with who stands behind it;
* ``claims.csv`` - every claim with its verbatim quote (and its language, and the curator's
  translation), claimant, modality, attribution, whether it is a curator inference and whether it
  is asserted, Admiralty grades, its source's publication date, its independent origin and the
  number of independent sources behind its statement.

Files are UTF-8 with a byte-order mark (so that Excel reads them as UTF-8), RFC 4180 quoting.
Several values in one cell are joined with ``" | "``.

**Formula injection.** A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is written with a leading apostrophe (``'=HYPERLINK(...)``), so that a spreadsheet shows
it as text instead of running it; plain numbers (``-12.5``) are left alone.
:func:`unescape_cell` undoes it when reading the files back.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from kg.build import Built
from kg.export.flat import FlatGraph, claim_rows, disputes_text, flat_graph, local_name, statement_origins
from kg.export.network import LIST_SEP
from kg.output.files import write_atomic

__all__ = ["FORMULA_PREFIXES", "dump_tables", "escape_cell", "unescape_cell", "write_tables"]

#: Cells starting with one of these get a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


def escape_cell(value: object) -> str:
    """A cell's text, with a leading ``'`` when a spreadsheet would read it as a formula."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = LIST_SEP.join(str(v) for v in value if str(v))
    else:
        text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER.match(text):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """The inverse of :func:`escape_cell` (for a single value)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _table(header: list[str], rows: list[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell(row.get(col, "")) for col in header])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _entities(flat: FlatGraph) -> bytes:
    header = ["id", "iri", "kind", "label", "classes", "labels", "aliases", "description",
              "unnamed", "collective", *flat.properties, "attributed"]
    rows = []
    for iri, node in flat.nodes.items():
        row: dict[str, object] = {
            "id": node.id, "iri": node.iri, "kind": node.kind, "label": node.label,
            "classes": node.classes, "labels": flat.labels[iri], "aliases": node.aliases,
            "description": node.description, "unnamed": node.unnamed, "collective": node.collective,
        }
        row.update(flat.typed_properties(node))
        row["attributed"] = flat.attributed_texts(node)
        rows.append(row)
    return _table(header, rows)


def _relationships(flat: FlatGraph, claim_id: dict[str, str]) -> bytes:
    header = ["source", "source_label", "predicate", "predicate_label", "target", "target_label",
              "inferred", "attributed", "modalities", "claims", "independent_sources", "origins"]
    rows = [{
        "source": flat.node_id(e.source), "source_label": flat.nodes[e.source].label,
        "predicate": e.predicate, "predicate_label": e.label,
        "target": flat.node_id(e.target), "target_label": flat.nodes[e.target].label,
        "inferred": e.inferred, "attributed": e.attributed, "modalities": e.modalities,
        "claims": sorted(claim_id[ev.claim] for ev in e.evidence),
        "independent_sources": e.independent_sources, "origins": e.origins,
    } for e in flat.edges]
    return _table(header, rows)


_EVENT_HEADER = ["event_id", "event_label", "event_date", "time_precision", "time_text", "relative_to",
                 "time_start", "time_end", "time_computed",
                 "event_type", "actor1", "actor2", "assoc_actors", "location", "admin1", "country",
                 "region", "fatalities", "fatalities_qualifier", "fatalities_text", "wounded",
                 "wounded_qualifier", "wounded_text", "count", "status", "modality", "source", "notes",
                 "disputes", "attributed"]


def _figure(node, name: str) -> tuple[object, str, str]:
    """(number, bound, words) of a fact's quantity: ``(18, "at-least", "at least 18")``.

    When the sources state several figures as fact, none is picked: the number is left empty, the
    bound says ``disputed`` when they cannot all hold ("exactly 12", "exactly 13": each version's
    sources are in the ``disputes`` column) and ``several`` when they can ("at least 18", "at least
    19"), and the words list every figure."""
    quantities = node.quantities.get(name) or []
    if not quantities:
        return "", "", ""
    if len(quantities) > 1:
        return "", "disputed" if name in node.disputes else "several", " / ".join(q.label for q in quantities)
    q = quantities[0]
    return (q.value if q.value is not None else ""), q.bound, q.label


def _events(flat: FlatGraph) -> bytes:
    out: dict[str, dict[str, list[str]]] = {}
    claimed: dict[str, list[str]] = {}
    for edge in flat.edges:
        if flat.nodes[edge.source].kind != "event" or edge.inferred:
            continue
        if edge.attributed:  # never in the fact columns: a line of its own, with who says it
            standing = " and ".join(sorted({e.standing for e in edge.evidence}))
            claimed.setdefault(edge.source, []).append(
                f"{local_name(edge.predicate)}: {flat.nodes[edge.target].label} (attributed: {standing})")
            continue
        roles = out.setdefault(edge.source, {})
        roles.setdefault(edge.predicate, []).append(edge.target)
    rows = []
    for iri, node in flat.nodes.items():
        if node.kind != "event":
            continue
        roles = out.get(iri, {})
        props = flat.typed_properties(node)

        def labels(*predicates: str, roles: dict[str, list[str]] = roles) -> list[str]:
            return sorted({flat.nodes[t].label for p in predicates for t in roles.get(p, [])})

        places = roles.get("kg:place", [])
        admin1, country, region = set(), set(), set()
        attributed = list(claimed.get(iri, [])) + flat.attributed_texts(node)
        for place in places:
            for p in [place, *flat.located_in.get(place, [])]:
                classes = {c.split(":")[-1] for c in flat.nodes[p].classes}
                if "AdminRegion" in classes:
                    admin1.add(flat.nodes[p].label)
                if "Country" in classes:
                    country.add(flat.nodes[p].label)
                if "Region" in classes:
                    region.add(flat.nodes[p].label)
            for up, behind in flat.located_in_attributed.get(place, []):
                standing = " and ".join(sorted({e.standing for e in behind}))
                attributed.append(f"{flat.nodes[place].label} lies in {flat.nodes[up].label} (attributed: {standing})")
        time = flat.times.get(iri)
        killed, wounded = _figure(node, "killed"), _figure(node, "wounded")
        evidence = [e for edge in flat.edges if edge.source == iri for e in edge.evidence] + node.evidence
        rows.append({
            "event_id": node.id, "event_label": node.label,
            "event_date": time.date if time else "", "time_precision": time.precision if time else "",
            "time_text": time.expression if time else "", "relative_to": time.relative_to if time else "",
            "time_start": time.start if time else "", "time_end": time.end if time else "",
            "time_computed": time.computed if time else "",
            "event_type": props.get("eventType", ""),
            "actor1": labels("kg:perpetrator", "kg:agent"), "actor2": labels("kg:target"),
            "assoc_actors": labels("kg:participant"),
            "location": sorted(flat.nodes[p].label for p in places), "admin1": sorted(admin1),
            "country": sorted(country), "region": sorted(region),
            "fatalities": killed[0], "fatalities_qualifier": killed[1], "fatalities_text": killed[2],
            "wounded": wounded[0], "wounded_qualifier": wounded[1], "wounded_text": wounded[2],
            "count": props.get("count", ""), "status": props.get("status", ""),
            "modality": sorted({e.modality for e in evidence}),
            "source": sorted({e.source_label for e in evidence}), "notes": node.description,
            "disputes": disputes_text(node),
            "attributed": sorted(attributed),
        })
    return _table(_EVENT_HEADER, rows)


_CLAIM_HEADER = ["claim_id", "subject", "subject_label", "predicate", "object", "object_label", "quote",
                 "quote_language", "translation", "source", "source_label", "published", "origin",
                 "independent_sources", "claimant", "claimant_label", "modality", "attribution", "inference",
                 "asserted", "reliability", "credibility", "via", "note", "external"]


def _claims(built: Built, flat: FlatGraph) -> tuple[bytes, dict[str, str]]:
    by_id = {n.id: n for n in flat.nodes.values()}
    rows = []
    ids: dict[str, str] = {}
    found = claim_rows(built, flat)
    origins = statement_origins(found)
    for row in found:
        e = row.evidence
        ids[e.claim] = row.id
        rows.append({
            "claim_id": row.id, "subject": row.subject,
            "subject_label": by_id[row.subject].label if row.subject in by_id else "",
            "predicate": row.predicate, "object": row.object,
            "object_label": by_id[row.object].label if row.object_is_node else "",
            "quote": e.quote, "quote_language": e.quote_language, "translation": e.translation,
            "source": _sid(flat, e.source), "source_label": e.source_label, "published": e.published,
            "origin": e.origin_label, "independent_sources": len(origins[(row.subject, row.predicate, row.object)]),
            "claimant": _sid(flat, e.claimant),
            "claimant_label": e.claimant_label, "modality": e.modality, "attribution": e.attribution,
            "inference": e.inference, "asserted": e.asserted, "reliability": e.reliability,
            "credibility": e.credibility, "via": e.via_label, "note": e.note, "external": e.external,
        })
    return _table(_CLAIM_HEADER, rows), ids


def _sid(flat: FlatGraph, iri: str) -> str:
    node = flat.nodes.get(iri)
    return node.id if node is not None else iri


def dump_tables(built: Built) -> dict[str, bytes]:
    """The spreadsheet tables as ``{file name: content}`` (deterministic)."""
    flat = flat_graph(built)
    claims, claim_id = _claims(built, flat)
    return {
        "claims.csv": claims,
        "entities.csv": _entities(flat),
        "events.csv": _events(flat),
        "relationships.csv": _relationships(flat, claim_id),
    }


def write_tables(built: Built, path: Path) -> Path:
    """Write :func:`dump_tables` into the directory ``path`` (each file atomically)."""
    for name, data in dump_tables(built).items():
        write_atomic(path / name, data)
    return path

"""Neo4j: the CSV files ``neo4j-admin database import`` reads, and a Cypher script that loads the
same graph with ``MERGE`` (idempotent: running it twice changes nothing).

The directory holds::

    nodes.csv          every entity, source and linked concept   (:ID, :LABEL, typed properties)
    claims.csv         one :Claim node per claim, with its verbatim quote and Admiralty grades
    relationships.csv  the links between nodes                   (:START_ID, :END_ID, :TYPE)
    claim_links.csv    claim -> SUBJECT / OBJECT / SOURCE / CLAIMANT / REPORTED_VIA nodes
    load.cypher        the same graph as MERGE statements, one per line
    import.sh          the neo4j-admin command line (with the array delimiter these files use)

The CSV files follow RFC 4180 (CRLF line ends; a value holding a comma, quote, CR or LF is
quoted), so no character of a value can end its row. Labels come from the ontology: a node's
classes and their ``kg:`` superclasses (``:Entity:Cartel:CriminalOrganization:Organization:Actor``);
relationship types from the
predicate (``kg:usedEquipment`` -> ``USED_EQUIPMENT``). Every relationship keeps its predicate,
the modalities of its claims, the ids of those claims and the number of independent sources
behind it (``independent_sources``, with their ``origins``); the claims themselves are nodes, each
with its independent origin and the count of its statement. A node's disputed values are JSON
in ``disputes``. A relationship no claim in the source's own voice states as fact is
``attributed: true`` with its ``standing`` ("Gustavo Petro, allegation, paraphrase"); a node's
properties are facts, and the values only a claim gives are in its ``attributed`` list, each with
who gives it.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from pathlib import Path

from kg.build import Built
from kg.errors import KgError
from kg.export.flat import ClaimRow, FlatGraph, claim_rows, disputes_dict, flat_graph, rel_type, statement_origins
from kg.output.files import write_atomic

__all__ = ["ARRAY_DELIMITERS", "CLAIM_LABEL", "ENTITY_LABEL", "cypher_value", "dump_neo4j", "write_neo4j"]

ENTITY_LABEL = "Entity"
CLAIM_LABEL = "Claim"
#: Array delimiters tried in turn: the first that occurs in no array value is used.
ARRAY_DELIMITERS = (";", "|", "¦")
_NEO4J_TYPES = {"string": "string", "int": "long", "float": "double", "date": "date", "boolean": "boolean"}
_FIXED_NODE = [("iri", "string"), ("label", "string"), ("kind", "string"), ("classes", "string[]"),
               ("aliases", "string[]"), ("description", "string"), ("unnamed", "boolean"),
               ("collective", "boolean"), ("time_date", "string"), ("time_precision", "string"),
               ("time_text", "string"), ("time_start", "date"), ("time_end", "date"), ("time_computed", "boolean"),
               ("disputes", "string"), ("attributed", "string[]")]
_CLAIM = [("iri", "string"), ("subject", "string"), ("predicate", "string"), ("object", "string"),
          ("source", "string"), ("source_label", "string"), ("quote", "string"), ("claimant", "string"),
          ("claimant_label", "string"), ("modality", "string"), ("attribution", "string"),
          ("inference", "boolean"), ("asserted", "boolean"), ("reliability", "string"),
          ("credibility", "string"), ("via", "string"), ("note", "string"), ("external", "boolean"),
          ("origin", "string"), ("published", "string"), ("quote_language", "string"), ("translation", "string"),
          ("independent_sources", "long")]
_REL = [("predicate", "string"), ("label", "string"), ("inferred", "boolean"), ("attributed", "boolean"),
        ("standing", "string"), ("modalities", "string[]"), ("claims", "string[]"), ("independent_sources", "long"),
        ("origins", "string[]")]


class _Table:
    """Rows of typed values with a neo4j-admin header."""

    def __init__(self, id_cols: list[str], columns: list[tuple[str, str]]) -> None:
        self.id_cols = id_cols
        self.columns = columns
        self.rows: list[tuple[list[str | list[str]], dict[str, object]]] = []

    def add(self, ids: list[str | list[str]], values: dict[str, object]) -> None:
        """One row: its id columns (an id, or a node's labels) and its values by column."""
        self.rows.append((ids, values))


def _node_values(flat: FlatGraph, iri: str) -> dict[str, object]:
    node = flat.nodes[iri]
    values: dict[str, object] = {
        "iri": node.iri, "label": node.label, "kind": node.kind, "classes": list(node.classes),
        "aliases": list(node.aliases), "description": node.description, "unnamed": node.unnamed,
        "collective": node.collective,
    }
    time = flat.times.get(iri)
    if time:
        values.update(time_date=time.date, time_precision=time.precision, time_text=time.expression,
                      time_start=time.start, time_end=time.end, time_computed=time.computed)
    if node.disputes:
        values["disputes"] = json.dumps(disputes_dict(node), ensure_ascii=False, sort_keys=True)
    values.update(flat.typed_properties(node))
    values["attributed"] = flat.attributed_texts(node)  # values only a claim gives, with who gives them
    return values


def _claim_values(row: ClaimRow, independent: int) -> dict[str, object]:
    e = row.evidence
    return {
        "iri": e.claim, "subject": row.subject, "predicate": row.predicate, "object": row.object,
        "source": e.source, "source_label": e.source_label, "quote": e.quote, "claimant": e.claimant,
        "claimant_label": e.claimant_label, "modality": e.modality, "attribution": e.attribution,
        "inference": e.inference, "asserted": e.asserted, "reliability": e.reliability,
        "credibility": e.credibility, "via": e.via_label, "note": e.note, "external": e.external,
        "origin": e.origin, "published": e.published, "quote_language": e.quote_language,
        "translation": e.translation, "independent_sources": independent,
    }


def _tables(built: Built) -> dict[str, _Table]:
    flat = flat_graph(built)
    prop_cols = [(spec.key, _NEO4J_TYPES[spec.type] + ("[]" if spec.is_list else ""))
                 for spec in flat.properties.values()]
    fixed = {name for name, _ in _FIXED_NODE}
    clash = [name for name, _ in prop_cols if name in fixed or name == "id"]
    if clash:
        raise KgError(f"neo4j export: property names {clash} clash with fixed columns")
    nodes = _Table(["id:ID", ":LABEL"], _FIXED_NODE + prop_cols)
    for iri in flat.nodes:
        nodes.add([flat.node_id(iri), [ENTITY_LABEL, *flat.labels[iri]]], _node_values(flat, iri))

    rows = claim_rows(built, flat)
    claims = _Table(["id:ID", ":LABEL"], _CLAIM)
    links = _Table([":START_ID", ":END_ID", ":TYPE"], [])
    node_ids = {flat.node_id(iri) for iri in flat.nodes}
    id_of = {n.iri: n.id for n in flat.nodes.values()}
    origins = statement_origins(rows)
    for row in rows:
        claims.add([row.id, [CLAIM_LABEL]], _claim_values(row, len(origins[(row.subject, row.predicate, row.object)])))
        e = row.evidence
        targets = [("SUBJECT", row.subject), ("OBJECT", row.object if row.object_is_node else ""),
                   ("SOURCE", id_of.get(e.source, "")), ("CLAIMANT", id_of.get(e.claimant, ""))]
        for rtype, target in targets:
            if target and target in node_ids:
                links.add([row.id, target, rtype], {})
    claim_id = {row.evidence.claim: row.id for row in rows}

    rels = _Table([":START_ID", ":END_ID", ":TYPE"], _REL)
    for edge in flat.edges:
        rels.add([flat.node_id(edge.source), flat.node_id(edge.target), rel_type(edge.predicate)], {
            "predicate": edge.predicate, "label": edge.label, "inferred": edge.inferred,
            "attributed": edge.attributed, "modalities": edge.modalities,
            "standing": " and ".join(sorted({e.standing for e in edge.evidence})) if edge.attributed else "",
            "claims": sorted(claim_id[e.claim] for e in edge.evidence),
            "independent_sources": edge.independent_sources, "origins": edge.origins,
        })
    order = sorted(range(len(links.rows)), key=lambda i: links.rows[i][0])
    links.rows = [links.rows[i] for i in order]
    return {"nodes.csv": nodes, "claims.csv": claims, "relationships.csv": rels, "claim_links.csv": links}


def _delimiter(tables: Iterable[_Table]) -> str:
    values: list[str] = []
    for table in tables:
        for ids, row in table.rows:
            for item in ids:
                if isinstance(item, list):
                    values.extend(item)
            for value in row.values():
                if isinstance(value, list):
                    values.extend(str(v) for v in value)
    for candidate in ARRAY_DELIMITERS:
        if not any(candidate in v for v in values):
            return candidate
    raise KgError("neo4j export: every array delimiter (; | ¦) occurs in some list value")


def _cell(value: object, delim: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return delim.join(_cell(v, delim) for v in value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return "" if value is None else str(value)


def _csv(table: _Table, delim: str) -> bytes:
    buffer = io.StringIO()
    # RFC 4180: rows end in CRLF, so that a CR or LF inside a value is quoted (with "\n" as the line
    # end, Python's writer left a bare CR unquoted: a row of the data's choosing for neo4j-admin).
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*table.id_cols, *(f"{name}:{kind}" for name, kind in table.columns)])
    for ids, values in table.rows:
        writer.writerow([*(_cell(i, delim) for i in ids), *(_cell(values.get(name, ""), delim)
                                                              for name, _ in table.columns)])
    return buffer.getvalue().encode("utf-8")


def cypher_value(value: object, kind: str) -> str:
    """A Cypher literal: strings JSON-escaped (``\\"``, ``\\n``, ``\\uXXXX``), dates as ``date(...)``."""
    if isinstance(value, list):
        return "[" + ", ".join(cypher_value(v, kind.rstrip("[]")) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == "date":
        return f"date({json.dumps(str(value))})"
    if isinstance(value, (int, float)) and kind in ("long", "double"):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _name(text: str) -> str:
    return "`" + text.replace("`", "``") + "`"


def _sets(var: str, table: _Table, values: dict[str, object]) -> str:
    parts = []
    for name, kind in table.columns:
        value = values.get(name)
        if value is None or value == "" or value == []:
            continue
        parts.append(f"{var}.{_name(name)} = {cypher_value(value, kind)}")
    return (" SET " + ", ".join(parts)) if parts else ""


def _cypher(tables: dict[str, _Table]) -> bytes:
    lines = [
        "// kg export --format neo4j: the same graph as the CSV files, as idempotent MERGE statements.",
        "// Run with cypher-shell -f load.cypher; running it twice changes nothing.",
        f"CREATE CONSTRAINT kg_entity_id IF NOT EXISTS FOR (n:{ENTITY_LABEL}) REQUIRE n.id IS UNIQUE;",
        f"CREATE CONSTRAINT kg_claim_id IF NOT EXISTS FOR (n:{CLAIM_LABEL}) REQUIRE n.id IS UNIQUE;",
    ]
    for file, base_label in (("nodes.csv", ENTITY_LABEL), ("claims.csv", CLAIM_LABEL)):
        table = tables[file]
        for (node_id, labels), values in table.rows:
            extra = [lab for lab in labels if lab != base_label]
            add_labels = (" SET n:" + ":".join(_name(lab) for lab in extra)) if extra else ""
            lines.append(f"MERGE (n:{base_label} {{id: {cypher_value(node_id, 'string')}}})"
                         f"{_sets('n', table, values)}{add_labels};")
    for file, start_label in (("relationships.csv", ENTITY_LABEL), ("claim_links.csv", CLAIM_LABEL)):
        table = tables[file]
        for (start, end, rtype), values in table.rows:
            assert isinstance(rtype, str)  # a relationship's id columns are three strings, no labels
            lines.append(f"MATCH (a:{start_label} {{id: {cypher_value(start, 'string')}}}), "
                         f"(b:{ENTITY_LABEL} {{id: {cypher_value(end, 'string')}}}) "
                         f"MERGE (a)-[r:{_name(rtype)}]->(b){_sets('r', table, values)};")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _import_sh(delim: str) -> bytes:
    text = f"""#!/bin/sh
# Load these files into an empty Neo4j 5 database (stop the database first), then start it.
# Arrays in the CSV files are separated by {delim!r}; fields may span lines.
set -eu
cd "$(dirname "$0")"
neo4j-admin database import full --overwrite-destination \\
  --array-delimiter='{delim}' --multiline-fields=true \\
  --nodes=nodes.csv --nodes=claims.csv \\
  --relationships=relationships.csv --relationships=claim_links.csv \\
  "${{1:-neo4j}}"
"""
    return text.encode("utf-8")


def dump_neo4j(built: Built) -> dict[str, bytes]:
    """The Neo4j import directory as ``{file name: content}`` (deterministic)."""
    tables = _tables(built)
    delim = _delimiter(tables.values())
    files = {name: _csv(table, delim) for name, table in tables.items()}
    files["load.cypher"] = _cypher(tables)
    files["import.sh"] = _import_sh(delim)
    return dict(sorted(files.items()))


def write_neo4j(built: Built, path: Path) -> Path:
    """Write :func:`dump_neo4j` into the directory ``path`` (each file atomically)."""
    for name, data in dump_neo4j(built).items():
        write_atomic(path / name, data)
    return path

"""The Neo4j export, loaded into LadybugDB (``ladybug``: an embedded Cypher database, the
maintained successor of the archived Kùzu; no Neo4j server can be had here): the neo4j-admin CSVs
through COPY FROM (their typed headers read as Neo4j reads them), and the MERGE script
(translated where LadybugDB's dialect differs: it needs its tables created first, keeps labels
as a list property, and takes strings raw rather than JSON-escaped). Both give the same graph,
running the script twice changes nothing, and Cypher answers the analyst questions as SPARQL does.

The export itself is Neo4j's format; only this loader knows LadybugDB. Kùzu is never imported:
the two libraries in one process crash it."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

import ladybug
import pytest

from kg.export import write_export
from kg.export.flat import flat_graph
from kg.output.rdf import single_graph

_LADYBUG_TYPES = {"string": "STRING", "long": "INT64", "double": "DOUBLE", "date": "DATE", "boolean": "BOOLEAN"}


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def _column(name: str) -> tuple[str, str, bool]:
    """A neo4j-admin header field -> (property name, neo4j type, is array)."""
    if name in (":LABEL",):
        return "labels", "string", True
    prop, _, kind = name.partition(":")
    if kind in ("ID", "START_ID", "END_ID", "TYPE"):
        return prop or "id", "string", False
    kind = kind or "string"
    return prop, kind.rstrip("[]"), kind.endswith("[]")


def _ladybug_type(kind: str, array: bool) -> str:
    return _LADYBUG_TYPES[kind] + ("[]" if array else "")


def _convert(col: str, kind: str, array: bool, delim: str) -> str:
    empty = f"{col} IS NULL OR {col} = ''"
    if array:
        return f"CASE WHEN {empty} THEN NULL ELSE string_split({col}, '{delim}') END"
    if kind == "string":
        return f"CASE WHEN {empty} THEN NULL ELSE {col} END"
    if kind == "boolean":
        return f"CASE WHEN {empty} THEN NULL ELSE {col} = 'true' END"
    if kind == "date":
        return f"CASE WHEN {empty} THEN NULL ELSE date({col}) END"
    return f"CASE WHEN {empty} THEN NULL ELSE CAST({col} AS {_LADYBUG_TYPES[kind]}) END"


def _types(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return sorted({row[2] for row in list(csv.reader(handle))[1:]})


def create_schema(conn, directory: Path) -> None:
    """Node tables Entity and Claim, one rel table per :TYPE, columns from the typed headers."""
    for file, table in (("nodes.csv", "Entity"), ("claims.csv", "Claim")):
        cols = [_column(h) for h in _header(directory / file)]
        fields = ", ".join(f"`{n}` {_ladybug_type(k, a)}" for n, k, a in cols)
        conn.execute(f"CREATE NODE TABLE {table}({fields}, PRIMARY KEY(id))")
    for file, start in (("relationships.csv", "Entity"), ("claim_links.csv", "Claim")):
        cols = [_column(h) for h in _header(directory / file)[3:]]
        fields = "".join(f", `{n}` {_ladybug_type(k, a)}" for n, k, a in cols)
        for rtype in _types(directory / file):
            conn.execute(f"CREATE REL TABLE `{rtype}`(FROM {start} TO Entity{fields})")


def copy_csv(conn, directory: Path, delim: str) -> None:
    """COPY FROM every CSV file, reading each column as its neo4j-admin header says."""
    def load(file: str) -> tuple[str, list[str]]:
        header = _header(directory / file)
        names = [f"c{i}" for i in range(len(header))]
        source = (f"LOAD WITH HEADERS ({', '.join(f'{n} STRING' for n in names)}) "
                  f"FROM '{directory / file}' (header=true, parallel=false)")
        exprs = [_convert(n, *_column(h)[1:], delim) for n, h in zip(names, header, strict=True)]
        return source, exprs

    for file, table in (("nodes.csv", "Entity"), ("claims.csv", "Claim")):
        source, exprs = load(file)
        conn.execute(f"COPY {table} FROM ({source} RETURN {', '.join(exprs)})")
    for file in ("relationships.csv", "claim_links.csv"):
        source, exprs = load(file)
        props = exprs[3:]
        for rtype in _types(directory / file):
            returns = ", ".join(["c0", "c1", *props])
            conn.execute(f"COPY `{rtype}` FROM ({source} WITH * WHERE c2 = '{rtype}' RETURN {returns})")


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def ladybug_statement(line: str) -> str | None:
    """One line of load.cypher in LadybugDB's dialect: constraints dropped (the primary key is one),
    ``SET n:A:B`` stored as a ``labels`` list, JSON-escaped strings as raw text."""
    if not line.strip() or line.startswith("//") or line.startswith("CREATE CONSTRAINT"):
        return None
    line = line.rstrip().rstrip(";")
    merge = re.match(r"MERGE \(n:(\w+) ", line)
    if merge:
        labels = [merge.group(1)]
        extra = re.search(r" SET n:((?:`[^`]+`:?)+)$", line)
        if extra:
            labels += re.findall(r"`([^`]+)`", extra.group(1))
            line = line[: extra.start()]
        line += (", " if " SET " in line else " SET ") + "n.labels = " + json.dumps(labels)

    def raw(match: re.Match) -> str:
        text = json.loads(match.group(0))
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return _STRING.sub(raw, line)


def run_script(conn, script: Path) -> int:
    count = 0
    conn.execute("BEGIN TRANSACTION")
    for line in script.read_text(encoding="utf-8").splitlines():
        statement = ladybug_statement(line)
        if statement:
            conn.execute(statement)
            count += 1
    conn.execute("COMMIT")
    return count


def snapshot(conn) -> tuple:
    """Every node with its properties and every relationship with its properties, sorted."""
    def rows(query: str) -> list:
        result = conn.execute(query)
        out = []
        while result.has_next():
            out.append(result.get_next())
        return out

    def clean(value: dict) -> tuple:
        return tuple(sorted((k, json.dumps(v, default=str, sort_keys=True)) for k, v in value.items()
                            if not k.startswith("_") and v not in (None, "", [])))

    nodes = sorted(clean(r[0]) for r in rows("MATCH (n) RETURN n"))
    rels = sorted((r[0], r[1], r[2], clean(r[3])) for r in rows(
        "MATCH (a)-[r]->(b) RETURN a.id, label(r), b.id, r"))
    return nodes, rels


def query(conn, text: str) -> list:
    result = conn.execute(text)
    out = []
    while result.has_next():
        out.append(tuple(result.get_next()))
    return out


@pytest.fixture(scope="module")
def neo4j_dir(tmp_path_factory, bundled_dataset, bundled_project) -> Path:
    out = tmp_path_factory.mktemp("neo4j")
    write_export(bundled_dataset, "neo4j", out)
    return out


@pytest.fixture(scope="module")
def delimiter(neo4j_dir) -> str:
    match = re.search(r"--array-delimiter='(.)'", (neo4j_dir / "import.sh").read_text(encoding="utf-8"))
    assert match
    return match.group(1)


@pytest.fixture(scope="module")
def csv_db(neo4j_dir, delimiter, tmp_path_factory):
    db = ladybug.Database(str(tmp_path_factory.mktemp("ladybug") / "csv.lbdb"))
    conn = ladybug.Connection(db)
    create_schema(conn, neo4j_dir)
    copy_csv(conn, neo4j_dir, delimiter)
    yield conn
    conn.close()
    db.close()


def test_kuzu_is_never_loaded_beside_ladybug() -> None:
    assert "kuzu" not in sys.modules and "ladybug" in sys.modules


def test_headers_are_typed_for_neo4j_admin(neo4j_dir) -> None:
    nodes = _header(neo4j_dir / "nodes.csv")
    assert nodes[:2] == ["id:ID", ":LABEL"]
    # Some events carry several figures stated as fact (a disputed toll): the columns are lists.
    assert "killed_value:long[]" in nodes and "killed:string[]" in nodes and "killed_bound:string[]" in nodes
    assert "count_value:long" in nodes  # one figure everywhere: a single value
    assert "time_start:date" in nodes and "aliases:string[]" in nodes and "attributed:string[]" in nodes
    assert _header(neo4j_dir / "relationships.csv")[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert _header(neo4j_dir / "claims.csv")[:2] == ["id:ID", ":LABEL"]


def test_csv_load_into_ladybug_keeps_everything(csv_db, bundled_dataset, bundled_project) -> None:
    flat = flat_graph(bundled_dataset)
    assert query(csv_db, "MATCH (n:Entity) RETURN count(*)") == [(len(flat.nodes),)]
    edge_count = query(csv_db, "MATCH (a:Entity)-[r]->(b:Entity) RETURN count(r)")[0][0]
    assert edge_count == len(flat.edges)
    quotes = {q for (q,) in query(csv_db, "MATCH (c:Claim) WHERE c.quote IS NOT NULL RETURN c.quote")}
    prov_quotes = {str(q) for (q,) in bundled_dataset.to_rdflib().query(
        "SELECT ?q WHERE { GRAPH ?g { ?c <https://w3id.org/osint-kg/ontology#quote> ?q } }")}
    assert quotes == prov_quotes
    props = sum(len(flat.typed_properties(n)) for n in flat.nodes.values())
    keys = list(flat.properties)
    got = sum(1 for row in query(csv_db, "MATCH (n:Entity) RETURN " + ", ".join(f"n.`{k}`" for k in keys))
              for v in row if v is not None)
    assert got == props
    assert query(csv_db, "MATCH (n:Entity {id: 'medellin-helicopter-downing'}) "
                         "RETURN n.killed, n.killed_value, n.killed_bound") == [
        (["at least 10", "exactly 12", "exactly 13"], [10, 12, 13], ["at-least", "exact", "exact"])]
    assert query(csv_db, "MATCH (n:Entity {id: 'colombia-attacks-last-week'}) "
                         "RETURN n.killed, n.killed_value, n.killed_bound") == [
        (["at least 18", "at least 19"], [18, 19], ["at-least", "at-least"])]


def test_cypher_script_matches_csv_and_is_idempotent(neo4j_dir, csv_db, tmp_path) -> None:
    db = ladybug.Database(str(tmp_path / "script.lbdb"))
    conn = ladybug.Connection(db)
    try:
        create_schema(conn, neo4j_dir)
        n = run_script(conn, neo4j_dir / "load.cypher")
        assert n > 1000
        first = snapshot(conn)
        assert first == snapshot(csv_db)
        run_script(conn, neo4j_dir / "load.cypher")
        assert snapshot(conn) == first
    finally:
        conn.close()
        db.close()


PREFIXES = """PREFIX kg: <https://w3id.org/osint-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def test_cypher_agrees_with_sparql(csv_db, bundled_dataset, bundled_project) -> None:
    g = single_graph(bundled_dataset)
    base = bundled_project.base
    # counts by label
    cypher_counts = Counter(dict(query(csv_db, "MATCH (n:Entity) UNWIND n.labels AS l RETURN l, count(*)")))
    for label in ("Actor", "Event", "Place", "Person", "Organization", "Cartel", "Source"):
        (row,) = g.query(PREFIXES + f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ ?n a/rdfs:subClassOf* kg:{label} }}")
        assert cypher_counts[label] == int(row[0]), label
    # the actors linked to each event: the facts as relationships that are not attributed, and the
    # statements only a claim makes as relationships marked attributed (never the other way round)
    for attributed, where in ((False, "?e ?p ?a ."),
                              (True, "?c rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?a ; kg:asserted false . "
                                     "FILTER NOT EXISTS { ?e ?p ?a }")):
        sparql = {}
        for e, a in g.query(PREFIXES + "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
                            f"SELECT ?e ?a WHERE {{ ?e a kg:Event . {where} ?a a/rdfs:subClassOf* kg:Actor }}"):
            sparql.setdefault(str(e)[len(base):], set()).add(str(a)[len(base):])
        cypher = {}
        for e, a in query(csv_db, "MATCH (e:Entity)-[r]->(a:Entity) WHERE list_contains(e.labels, 'Event') "
                                  f"AND list_contains(a.labels, 'Actor') AND r.attributed = {str(attributed).lower()} "
                                  "RETURN e.id, a.id"):
            cypher.setdefault(e, set()).add(a)
        assert cypher == sparql and len(cypher) >= 10, attributed
    # a 2-hop path of facts: events whose place lies in Mexico
    two_hop = {r[0] for r in query(csv_db, "MATCH (e:Entity)-[r1:PLACE]->(:Entity)-[r2:LOCATED_IN]->"
                                           "(:Entity {id: 'mexico'}) WHERE NOT r1.attributed AND NOT r2.attributed "
                                           "RETURN DISTINCT e.id")}
    expected = {str(r[0])[len(base):] for r in g.query(
        PREFIXES + f"SELECT DISTINCT ?e WHERE {{ ?e kg:place ?p . ?p kg:locatedIn <{base}mexico> }}")}
    assert two_hop == expected and two_hop


# --- every control character, and a carriage return that would start a row of its own --------

#: A bare CR, left unquoted, ends the row for neo4j-admin (and for every RFC 4180 reader): the rest
#: of the value would be a node whose id:ID and :LABEL the data chose.
INJECTION = "x\rinjected,Entity;Evil,https://evil.example/,Evil"
CONTROLS = [chr(c) for c in [*range(1, 32), 127]]


def test_every_control_character_is_quoted_and_loads_back(make_dataset, tmp_path) -> None:
    import io

    import kg

    rows = [["ecx", "skos:altLabel", f"alias{c}x", "cur", "", "", "", "", "", "", f"note {c} end"] for c in CONTROLS]
    rows.append(["roe", "skos:altLabel", INJECTION, "cur", "", "", "", "", "", "", "n\rinjected,Claim"])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    data = make_dataset(append={"statements.csv": buffer.getvalue()})
    project = kg.open_project(data)
    out = tmp_path / "neo4j"
    write_export(kg.build(kg.load(project)), "neo4j", out)

    delim = re.search(r"--array-delimiter='(.)'", (out / "import.sh").read_text(encoding="utf-8")).group(1)

    def table(name: str) -> list[list[str]]:
        """Read back as RFC 4180 says (Python's reader ends a row at a bare CR, as neo4j-admin does)."""
        with open(out / name, encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))

    nodes, claims = table("nodes.csv"), table("claims.csv")
    for table in (nodes, claims):
        assert all(len(row) == len(table[0]) for row in table), [row for row in table if len(row) != len(table[0])]
        assert not any(row[0].startswith("injected") for row in table)
    header = nodes[0]
    aliases = {row[0]: row[header.index("aliases:string[]")] for row in nodes[1:]}
    assert INJECTION in aliases["roe"].split(delim)
    notes = {row[header_index] for row in claims[1:] for header_index in [claims[0].index("note:string")]}
    assert {f"note {c} end" for c in CONTROLS} <= notes and "n\rinjected,Claim" in notes

    # And loaded into an embedded Cypher database as neo4j-admin would: one node per entity, the
    # values verbatim.
    db = ladybug.Database(str(tmp_path / "controls.kz"))
    conn = ladybug.Connection(db)
    try:
        create_schema(conn, out)
        copy_csv(conn, out, delim)
        ids = {i for (i,) in query(conn, "MATCH (n:Entity) RETURN n.id")}
        assert ids == {row[0] for row in nodes[1:]} and not any("injected" in i for i in ids)
        (ecx,) = query(conn, "MATCH (n:Entity) WHERE n.id = 'ecx' RETURN n.aliases")[0]
        assert {f"alias{c}x" for c in CONTROLS if c != delim} <= set(ecx)
        (roe,) = query(conn, "MATCH (n:Entity) WHERE n.id = 'roe' RETURN n.aliases")[0]
        assert INJECTION in roe
        got_notes = {n for (n,) in query(conn, "MATCH (c:Claim) WHERE c.note IS NOT NULL RETURN c.note")}
        assert {f"note {c} end" for c in CONTROLS} <= got_notes
    finally:
        conn.close()
        db.close()

"""The FollowTheMoney export (``kg export --format ftm``), read back with the ``followthemoney``
library itself: every entity valid for its schema, every reference resolved, the statements
aggregated back into the same entities, every claim present once with its quote, and no
attributed statement passing for a fact."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.export import EXPORTS, dump_export, write_export
from kg.export.ftm import ATTRIBUTED_STATUS, CATALOG, ENTITIES, FACT_STATUS, NOT_A_FACT, STATEMENTS, collection_name
from kg.property_graph import claims

_LIMIT = csv.field_size_limit()
from followthemoney import model  # noqa: E402
from followthemoney.dataset import DataCatalog, Dataset  # noqa: E402
from followthemoney.statement import CSV, StatementEntity, read_statements  # noqa: E402
from followthemoney.util import make_entity_id  # noqa: E402

# followthemoney.statement raises the csv module's field size limit for the whole process when it
# is imported; kg's table loader (tested elsewhere in this session) relies on the default.
csv.field_size_limit(_LIMIT)

LINKS = ("UnknownLink", "Membership", "Employment")


def read_ftm(files: dict[str, bytes]) -> tuple[list[dict], list, dict]:
    """The three files as FtM reads them: entity dicts, Statement objects, the catalog."""
    entities = [json.loads(line) for line in files[ENTITIES].decode("utf-8").splitlines()]
    statements = list(read_statements(io.BytesIO(files[STATEMENTS]), CSV))
    return entities, statements, json.loads(files[CATALOG])


@pytest.fixture(scope="module")
def files(bundled_dataset) -> dict[str, bytes]:
    return dump_export(bundled_dataset, "ftm")


@pytest.fixture(scope="module")
def ftm(files):
    return read_ftm(files)


@pytest.fixture(scope="module")
def by_id(ftm) -> dict[str, dict]:
    return {e["id"]: e for e in ftm[0]}


def _links(entities: list[dict]) -> list[dict]:
    return [e for e in entities if e["schema"] in LINKS]


def _ends(link: dict) -> tuple[str, str]:
    schema = model.get(link["schema"])
    props = link["properties"]
    return props[schema.edge_source][0], props[schema.edge_target][0]


def assert_valid(entities: list[dict]) -> None:
    """What ``ftm validate`` checks, and more: a concrete schema, known properties, values that
    FtM's cleaning leaves as they are, required properties present, and every entity reference
    resolved to an entity of the property's range."""
    ids = {e["id"]: e["schema"] for e in entities}
    assert len(ids) == len(entities), "ids are unique"
    for data in entities:
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract, data["schema"]
        proxy = model.get_proxy({"id": data["id"], "schema": data["schema"], "properties": data["properties"]},
                                cleaned=False)  # raises on an unknown property
        assert proxy.id == data["id"]
        schema.validate(data)  # required properties, values valid for their type
        for name, values in data["properties"].items():
            prop = schema.get(name)
            assert prop is not None and not prop.stub, (data["schema"], name)
            for value in values:
                assert prop.type.clean_text(value, proxy=proxy) == value, (data["schema"], name, value)
                if prop.type.name == "entity":
                    assert value in ids, f"{data['schema']}.{name} -> {value} does not exist"
                    assert model.get(ids[value]).is_a(prop.range), (data["schema"], name, ids[value])
        for required in schema.required:
            assert data["properties"].get(required), (data["schema"], required)


def test_ftm_is_registered_as_a_directory_format() -> None:
    exporter = EXPORTS["ftm"]
    assert exporter.directory and exporter.default_name == "ftm"
    assert exporter.writer == "kg.export.ftm:dump_ftm"


def test_files_and_catalog(files, ftm, bundled_dataset, bundled_project) -> None:
    assert set(files) == {CATALOG, ENTITIES, STATEMENTS}
    _, statements, catalog = ftm
    parsed = DataCatalog(Dataset, catalog)  # FtM's own dataset model validates every name
    collection = parsed.require(collection_name(bundled_dataset))
    assert collection.name == "cartel_drones_ukraine"
    # One dataset per source row: the reports read, the articles they derive from, the curator's notes.
    source_ids = {row["id"] for row in csv.DictReader(io.StringIO(
        (bundled_project.data_dir / "sources.csv").read_text(encoding="utf-8")))}
    assert "io-article" in source_ids and "meganoticias" in source_ids
    assert collection.model.children == {"cartel_drones_ukraine_" + i.replace("-", "_") for i in source_ids}
    assert {s.dataset for s in statements} <= parsed.names
    assert parsed.require("cartel_drones_ukraine_report").model.title.startswith("News report")


def test_entities_are_valid_per_followthemoney(ftm) -> None:
    entities, _, _ = ftm
    assert_valid(entities)
    schemata = {e["schema"] for e in entities}
    assert {"Person", "Organization", "PublicBody", "Event", "Address", "Article", "Note", "UnknownLink",
            "Membership", "Employment", "LegalEntity"} <= schemata


def test_statements_aggregate_back_into_the_entities(ftm, bundled_dataset) -> None:
    entities, statements, _ = ftm
    groups: dict[str, list] = defaultdict(list)
    for stmt in statements:
        groups[stmt.canonical_id].append(stmt)
    assert list(groups) == sorted(groups), "statements are grouped by entity, as ftm aggregate-statements needs"
    dataset = Dataset.make({"name": collection_name(bundled_dataset)})
    assert set(groups) == {e["id"] for e in entities}
    for data in entities:
        back = StatementEntity.from_statements(dataset, groups[data["id"]])
        assert back.schema.name == data["schema"]
        assert {k: sorted(v) for k, v in back.properties.items()} == data["properties"], data["id"]
        context = back.to_context_dict()
        assert sorted(context.get("origin", [])) == data.get("origin", [])
        assert sorted(context["datasets"]) == data["datasets"]
        # And the entity line itself reads back into FtM's statement entity, unchanged.
        again = StatementEntity.from_dict(data)
        assert {k: sorted(v) for k, v in again.properties.items()} == data["properties"]


def test_the_ftm_command_line_reads_the_files_back(files, tmp_path: Path) -> None:
    """``ftm validate`` re-cleans every value and changes none; ``ftm aggregate-statements`` rolls
    the statements up into exactly the entities of entities.ftm.json."""
    ftm = Path(sys.executable).parent / "ftm"
    assert ftm.is_file(), "the followthemoney package installs the ftm command"
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    def entities(path: Path) -> dict[str, tuple[str, dict]]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return {d["id"]: (d["schema"], {k: sorted(v) for k, v in d["properties"].items()})
                for d in map(json.loads, lines)}

    expected = entities(tmp_path / ENTITIES)
    for args, out in ((["validate", "-i", ENTITIES, "-o", "validated.json"], "validated.json"),
                      (["aggregate-statements", "-f", "csv", "-i", STATEMENTS, "-o", "aggregated.json"],
                       "aggregated.json")):
        proc = subprocess.run([str(ftm), *args], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert entities(tmp_path / out) == expected, args[0]


def test_ids_are_made_from_kg_iris(by_id, bundled_dataset) -> None:
    base = bundled_dataset.base
    emc = by_id[make_entity_id(f"{base}emc")]
    assert emc["schema"] == "Organization" and emc["caption"] == "EMC"
    assert "Estado Mayor Central" in emc["properties"]["alias"]
    petro = by_id[make_entity_id(f"{base}petro")]
    assert petro["schema"] == "Person" and petro["properties"]["name"] == ["Gustavo Petro"]
    # The text never says Medellín is in Colombia (a curator inference): no country, no chain.
    medellin = by_id[make_entity_id(f"{base}medellin")]
    assert medellin["schema"] == "Address" and "country" not in medellin["properties"]
    assert medellin["properties"]["city"] == ["Medellín"]
    assert medellin["properties"]["full"] == ["Medellín"]
    chihuahua = by_id[make_entity_id(f"{base}chihuahua")]  # "In Chihuahua, Mexico": stated
    assert chihuahua["schema"] == "Address" and chihuahua["properties"]["country"] == ["mx"]
    report = by_id[make_entity_id(f"{base}report")]
    assert report["schema"] == "Article"


def test_every_claim_is_one_link_or_one_note_with_its_quote(ftm, bundled_dataset) -> None:
    entities, statements, _ = ftm
    all_claims = claims(bundled_dataset)
    in_links: dict[str, list[str]] = defaultdict(list)
    for link in _links(entities):
        for claim in link["properties"].get("recordId", []):
            in_links[claim].append(link["id"])
    notes = {e["id"] for e in entities if e["schema"] == "Note"}
    described: dict[str, set[str]] = defaultdict(set)  # claim IRI -> description values it gives
    for stmt in statements:
        if stmt.prop == "description" and stmt.origin:
            described[stmt.origin].add(stmt.value)
    by_id = {e["id"]: e["properties"] for e in entities}
    for c in all_claims:
        iri = c.evidence.claim
        as_note = make_entity_id(iri) in notes
        assert len(in_links[iri]) + as_note == 1, f"claim {iri} appears {len(in_links[iri]) + as_note} times"
        if c.evidence.quote:
            assert c.evidence.quote in described[iri], f"the quote of {iri} is kept verbatim"
        if c.evidence.note:  # the curator's note: a note's notes, or the end of a link's summary
            held = by_id[make_entity_id(iri)].get("notes", []) if as_note else by_id[in_links[iri][0]]["summary"]
            assert any(c.evidence.note in text for text in held), iri
    assert len(notes) + len(set(in_links)) >= len(all_claims)


def test_an_allegation_never_passes_for_a_fact(ftm, by_id, bundled_dataset) -> None:
    entities, statements, _ = ftm
    base = bundled_dataset.base
    downing, emc = make_entity_id(f"{base}medellin-helicopter-downing"), make_entity_id(f"{base}emc")
    between = [link for link in _links(entities) if set(_ends(link)) == {downing, emc}]
    (alleged,) = between
    props = alleged["properties"]
    assert props["status"] == ["allegation"] and props["role"] == ["perpetrator"]
    assert "Allegation by Gustavo Petro" in props["summary"][0] and "not a fact" in props["summary"][0]
    assert props["description"] == ["describing the strike as the work of EMC, the largest dissident faction of "
                                    "the Farc guerrillas"]
    # The event itself names no perpetrator.
    assert emc not in json.dumps(by_id[downing]["properties"])
    # Mechanically: a link says "reported fact" only when every claim behind it is in the sources'
    # own voice; each attributed claim is a link of its own with its modality (or "attributed claim").
    evidence = {c.evidence.claim: c.evidence for c in claims(bundled_dataset)}
    statuses = set()
    for link in _links(entities):
        (status,) = link["properties"]["status"]
        statuses.add(status)
        behind = [evidence[c] for c in link["properties"].get("recordId", [])]
        if status == FACT_STATUS:
            assert not any(e.attributed for e in behind), link["properties"]["summary"]
        else:
            (e,) = behind
            assert e.attributed and status in (e.modality.replace("-", " "), ATTRIBUTED_STATUS)
            if e.claimant_label:
                assert e.claimant_label in link["properties"]["summary"][0]
    assert {FACT_STATUS, ATTRIBUTED_STATUS, "allegation", "assessment", "forecast"} <= statuses
    # Only claims in the sources' own voice give the actors, places and events their values; an
    # entity known only from attributed claims takes its name from them, and says so first.
    kinds = {e["id"]: e for e in entities if e["schema"] not in (*LINKS, "Note")}
    voices: dict[str, set[bool]] = {}  # entity -> whether its statements are attributed
    for stmt in statements:
        if stmt.canonical_id not in kinds or not stmt.origin or stmt.origin not in evidence:
            continue
        attributed = evidence[stmt.origin].attributed
        voices.setdefault(stmt.canonical_id, set()).add(attributed)
        if attributed and stmt.prop != "alias":  # names stay asserted whoever gives them
            assert stmt.prop in ("name", "title", "keywords", "proof", "publisher"), (stmt.prop, stmt.value)
    only_claimed = set()
    for entity_id, seen in voices.items():
        props = kinds[entity_id]["properties"]
        marked = props.get("summary", [""])[0].startswith(NOT_A_FACT + ": known only from attributed claims")
        assert marked == (seen == {True}), (props["name"], seen)
        if marked:
            only_claimed.add(props["name"][0])
    assert "Cartel fighters deploy the same tactics at home" in only_claimed
    # Named by a fact and, after a curator's identification, also by Sánchez's claim: not marked.
    assert "group led by Calarcá Córdoba" not in only_claimed


def test_statements_carry_dataset_origin_language_and_first_seen(make_dataset) -> None:
    data = make_dataset()
    row = "rep,kg:NewsReport,Mini report,mini-report.txt,,"
    sources = (data / "sources.csv").read_text(encoding="utf-8").replace(row + ",", row + "2024-05-02,")
    (data / "sources.csv").write_text(sources, encoding="utf-8")
    built = kg.build(kg.load(kg.open_project(data)))
    entities, statements, catalog = read_ftm(dump_export(built, "ftm"))
    assert_valid(entities)
    from_report = [s for s in statements if s.dataset.endswith("_rep") and s.prop != "id"]
    assert from_report and all(s.first_seen == "2024-05-02" and s.origin for s in from_report)
    claim_iris = {c.evidence.claim for c in claims(built)}
    assert {s.origin for s in statements if s.origin} <= claim_iris
    # Values kg states itself (a description in the curator's words) belong to the collection.
    collection = collection_name(built)
    assert all(s.dataset == collection and s.origin is None for s in statements if s.prop == "description"
               and s.schema not in (*LINKS, "Note"))
    tagged = [s for s in statements if s.prop == "alias" and s.lang]
    assert all(len(s.lang) == 3 for s in tagged)  # ISO 639-3, as FtM wants


def test_bytes_are_stable_and_sorted(files, bundled_project) -> None:
    again = dump_export(kg.build(kg.load(bundled_project)), "ftm")
    assert again == files
    ids = [json.loads(line)["id"] for line in files[ENTITIES].decode("utf-8").splitlines()]
    assert ids == sorted(ids)
    rows = list(csv.DictReader(io.StringIO(files[STATEMENTS].decode("utf-8"), newline="")))
    assert [r["canonical_id"] for r in rows] == sorted(r["canonical_id"] for r in rows)


def test_kg_export_ftm_writes_the_directory(make_dataset, tmp_path: Path) -> None:
    out = tmp_path / "ftm"
    result = CliRunner().invoke(main, ["export", "--format", "ftm", "--data", str(make_dataset()),
                                       "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([CATALOG, ENTITIES, STATEMENTS])
    entities, statements, _ = read_ftm({p.name: p.read_bytes() for p in out.iterdir()})
    assert_valid(entities) or statements


def test_hostile_text_stays_valid_ftm(tmp_path: Path) -> None:
    hostile = Path(__file__).resolve().parent / "fixtures" / "hostile"
    built = kg.build(kg.load(kg.open_project(hostile)))
    write_export(built, "ftm", tmp_path / "ftm")
    entities, statements, _ = read_ftm({p.name: p.read_bytes() for p in (tmp_path / "ftm").iterdir()})
    assert_valid(entities)
    quotes = {c.evidence.quote for c in claims(built) if c.evidence.quote}
    kept = {s.original_value or s.value for s in statements if s.prop == "description"}
    assert quotes <= kept  # verbatim: as FtM's value, or as its original_value where FtM cleaned it


# ---- a body of reporting: when each claim was first seen, and in which language ---------------

@pytest.fixture(scope="module")
def body_ftm(body_built):
    return read_ftm(dump_export(body_built, "ftm"))


def test_first_seen_is_the_claims_source_publication_date_at_its_precision(body_ftm, body_built) -> None:
    entities, statements, _ = body_ftm
    assert_valid(entities)
    published = {c.evidence.claim: c.evidence.published for c in claims(body_built)}
    by_origin = defaultdict(set)
    for s in statements:
        if s.origin:
            by_origin[s.origin].add(s.first_seen)
    # Every statement read from a claim is first seen when that claim's source (a digest: the
    # article it digests) was published, as precisely as the date is given; none when unknown.
    assert by_origin and all(seen == {published[origin] or None} for origin, seen in by_origin.items())
    seen = {s.first_seen for s in statements if s.origin}
    assert {"2025-08-21", "2025-08", "2025-07-29", "2025-07", "2025"} <= seen
    # The City Paper's "Thirteen police officers on board died." (its article dated to the month).
    thirteen = [s for s in statements if s.value == "Thirteen police officers on board died."]
    assert thirteen and {s.first_seen for s in thirteen} == {"2025-08"}
    # The Telegraph's article is known only to the year; Intelligence Online's not at all: a claim
    # relayed through it keeps its own source's date.
    assert {s.first_seen for s in statements if s.value.startswith("One of its promising recent students")} == {"2025"}


def test_quotes_carry_their_sources_language(body_ftm, body_built) -> None:
    _, statements, _ = body_ftm
    quotes = {c.evidence.quote: c.evidence.quote_language for c in claims(body_built) if c.evidence.quote}
    quoted = [s for s in statements if s.prop == "description" and s.value in quotes]
    assert quoted
    for s in quoted:
        assert s.lang == {"es": "spa", "en": "eng"}[quotes[s.value]], (s.value, s.lang)
    spanish = [s for s in quoted if s.value == "confirmó el jueves por la tarde que 12 policías murieron"]
    assert spanish and {s.lang for s in spanish} == {"spa"}
    # kg's own words (a sentence standing in for a missing quote) have no language.
    assert all(s.lang is None for s in statements if s.prop == "description" and s.value not in quotes
               and s.value.endswith(")"))


def test_the_body_of_reporting_round_trips_through_statements(body_ftm, body_built) -> None:
    entities, statements, _ = body_ftm
    groups: dict[str, list] = defaultdict(list)
    for stmt in statements:
        groups[stmt.canonical_id].append(stmt)
    dataset = Dataset.make({"name": collection_name(body_built)})
    for data in entities:
        back = StatementEntity.from_statements(dataset, groups[data["id"]])
        assert {k: sorted(v) for k, v in back.properties.items()} == data["properties"], data["id"]

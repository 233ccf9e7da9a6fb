"""kg init and kg add-source: a new dataset, texts registered with their outlet, date and sha256,
tables changed atomically."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.curate import add_source, init_dataset
from kg.curate.tables import ENTITIES_HEADER, SOURCES_HEADER, STATEMENTS_HEADER, append_rows, read_rows
from kg.errors import UsageError

SPEC_HEADER = "id,type,label,text_file,sha256,outlet,published,language,url,kind,derived_from,note"


def _header(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0]


def test_init_writes_a_dataset_with_the_agreed_headers(tmp_path):
    target = init_dataset(tmp_path / "my-data")
    assert (target / "kg.toml").read_text(encoding="utf-8").count('sources_path = ["sources"]') == 1
    assert _header(target / "sources.csv") == SPEC_HEADER == ",".join(SOURCES_HEADER)
    assert _header(target / "entities.csv") == ",".join(ENTITIES_HEADER)
    assert _header(target / "statements.csv") == ",".join(STATEMENTS_HEADER)
    _, rows = read_rows(target / "sources.csv")
    assert [(r["id"], r["type"]) for r in rows] == [("curator", "kg:CuratorNote")]
    assert (target / "sources").is_dir() and (target / "README.md").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_init_refuses_a_directory_that_holds_anything(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "full")])
    assert result.exit_code == 2 and "not empty" in result.stderr
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["notes.txt"]


def test_an_empty_dataset_validates_and_builds(tmp_path):
    """The loader reads first-class sources columns (issue 14)."""
    target = init_dataset(tmp_path / "empty")
    runner = CliRunner()
    result = runner.invoke(main, ["validate", "--data", str(target)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["build", "--data", str(target), "--out", str(tmp_path / "out"), "-q", "--no-html"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "graph.ttl").is_file()


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "meganoticias.txt"
    path.write_text("El presidente de Colombia, Gustavo Petro, confirmó el jueves que 12 policías murieron.\n",
                    encoding="utf-8")
    return path


def test_add_source_copies_the_text_and_records_every_column(tmp_path, report):
    target = init_dataset(tmp_path / "d")
    project = kg.open_project(target)
    added = add_source(project, report, source_id="mega", outlet="Meganoticias", published="2025-08-21",
                       url="https://www.meganoticias.mx/x", language="es")
    copied = target / "sources" / "meganoticias.txt"
    assert copied.read_bytes() == report.read_bytes()
    _, sources = read_rows(target / "sources.csv")
    row = sources[-1]
    assert row["id"] == "mega" and row["text_file"] == "meganoticias.txt"
    assert row["sha256"] == hashlib.sha256(report.read_bytes()).hexdigest() == added.sha256
    assert (row["published"], row["language"], row["url"]) == ("2025-08-21", "es", "https://www.meganoticias.mx/x")
    assert row["outlet"] == added.outlet == "meganoticias" and added.outlet_created
    _, entities = read_rows(target / "entities.csv")
    assert entities == [{**dict.fromkeys(ENTITIES_HEADER, ""), "id": "meganoticias", "type": "kg:MediaOrganization",
                         "label": "Meganoticias", "description": "Outlet of the source 'mega'.", "source": "curator",
                         "note": "Known from the source's masthead (added by kg add-source)."}]
    # the same outlet named again, by label in another case, is the same entity
    other = tmp_path / "second.txt"
    other.write_text("Otro texto sobre el ataque con 12 policías muertos.\n", encoding="utf-8")
    second = add_source(project, other, outlet="MEGANOTICIAS", kind="digest", derived_from=["mega"])
    assert second.outlet == "meganoticias" and not second.outlet_created
    _, sources = read_rows(target / "sources.csv")
    assert (sources[-1]["kind"], sources[-1]["derived_from"], sources[-1]["language"]) == ("digest", "mega", "es")


@pytest.mark.parametrize("kwargs, message", [
    ({"published": "21/08/2025"}, "YYYY-MM-DD"),
    ({"published": "2025-02-30"}, "YYYY-MM-DD"),
    ({"language": "spanish please"}, "BCP 47"),
    ({"kind": "digets"}, "did you mean 'digest'"),
    ({"kind": "digest", "derived_from": ["megga"]}, "did you mean 'mega'"),
    ({"source_id": "mega"}, "already used"),
    ({"outlet": "Meganoticia"}, "near"),
])
def test_add_source_refuses_bad_values_and_writes_nothing(tmp_path, report, kwargs, message):
    target = init_dataset(tmp_path / "d")
    project = kg.open_project(target)
    add_source(project, report, source_id="mega", outlet="Meganoticias")
    before = {p.name: p.read_bytes() for p in target.glob("*.csv")}
    other = tmp_path / "other.txt"
    other.write_text("Some words about the attack.\n", encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        add_source(project, other, **kwargs)
    assert {p.name: p.read_bytes() for p in target.glob("*.csv")} == before
    assert not (target / "sources" / "other.txt").exists()


def test_add_source_refuses_text_that_is_not_utf8(tmp_path):
    target = init_dataset(tmp_path / "d")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Bogotá".encode("latin-1"))
    result = CliRunner().invoke(main, ["add-source", str(bad), "--data", str(target)])
    assert result.exit_code == 2 and "not UTF-8" in result.stderr


def test_add_source_upgrades_an_old_sources_table(make_dataset, tmp_path):
    data = make_dataset()
    text = tmp_path / "new.txt"
    text.write_text("The Example Cartel struck again in Springfield.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["add-source", str(text), "--data", str(data), "--id", "second"])
    assert result.exit_code == 0, result.output
    header, rows = read_rows(data / "sources.csv")
    assert tuple(header) == SOURCES_HEADER
    assert [r["id"] for r in rows] == ["rep", "cur", "second"]
    assert rows[0]["text_file"] == "mini-report.txt"


def test_append_is_atomic_and_keeps_every_cell(tmp_path):
    path = tmp_path / "statements.csv"
    append_rows(path, "statements", [{"subject": "a", "predicate": "kg:role", "object": 'says "hi", twice\nnow',
                                      "source": "s", "quote": "q"}])
    append_rows(path, "statements", [{"subject": "b", "predicate": "kg:role", "object": "x", "source": "s"}])
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["object"] for r in rows] == ['says "hi", twice\nnow', "x"]
    with pytest.raises(UsageError, match="no column"):
        append_rows(path, "statements", [{"subject": "c", "wrong": "x"}])
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

"""QueryResult.to_dataframe: IRIs in full, as CURIEs or as labels; one type per column (whole
numbers as Int64, never floats); one missing value, pd.NA."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

import kg.query
from kg.query import QueryResult
from kg.query.engine import Engine

BASE = "https://w3id.org/osint-kg/data/cartel-drones-ukraine/"
KG_NS = "https://w3id.org/osint-kg/ontology#"


@pytest.fixture(scope="module")
def engine(bundled_project):
    return kg.query.open_engine(bundled_project)


def _missing_cells_are_na(frame: pd.DataFrame) -> None:
    for column in frame.columns:
        for value in frame[column]:
            if pd.isna(value):
                assert value is pd.NA, (column, repr(value))


def test_iris_in_full_as_curies_or_as_labels(engine) -> None:
    result = kg.query.run(engine, "who-attributed-what", {"claimant": "petro"})
    full, curie, label = (result.to_dataframe(terms=t) for t in ("iri", "curie", "label"))
    # Petro's allegation of the report: the downing was the EMC's work (one row of several).
    i = next(i for i in range(len(curie)) if curie["object"][i] == "data:emc"
             and curie["predicate"][i] == "kg:perpetrator")
    row = {k: v[i] for k, v in full.to_dict("list").items()}
    assert row["claimant"] == BASE + "petro" and row["modality"] == KG_NS + "Allegation"
    assert curie["claimant"][i] == "data:petro" and curie["modality"][i] == "kg:Allegation"
    assert label["claimant"][i] == "Gustavo Petro" and label["modality"][i] == "Allegation"
    assert label["object"][i] == "EMC" and label["predicate"][i] == "perpetrator"
    # A claim has no label: its CURIE stands in.
    assert label["claim"][i].startswith("claim:") and label["claim"][i] == curie["claim"][i]
    assert list(label.columns) == result.variables and len(label) == len(result)
    assert result.to_dataframe().equals(full)  # "iri" is the default


def test_whole_numbers_are_integers_and_missing_is_na(engine) -> None:
    frame = kg.query.run(engine, "casualties").to_dataframe(terms="label")
    assert str(frame["killed"].dtype) == "Int64" and str(frame["wounded"].dtype) == "Int64"
    killed = dict(zip(frame["label"], frame["killed"], strict=True))
    wounded = dict(zip(frame["label"], frame["wounded"], strict=True))
    assert killed["Cartel ambush kills a National Guard colonel in Chihuahua"] == 1  # "at least 1"
    # A disputed toll (at least 10, 12, 13 ...) has no single number.
    assert killed["Police helicopter brought down by a drone"] is pd.NA
    assert wounded["Police helicopter brought down by a drone"] == 8  # Petro's eight, agreed
    assert frame["label"].dtype == "string" and frame["killedBound"].dtype == "string"
    assert str(frame["killedAsserted"].dtype) == "boolean"
    _missing_cells_are_na(frame)
    assert "8.0" not in frame.to_string() and "NaN" not in frame.to_string() and "None" not in frame.to_string()


def test_each_kind_of_literal_gets_one_column_type() -> None:
    iri = URIRef("https://example.org/d/x")
    rows = [
        {"i": Literal(3), "f": Literal(Decimal("2.5")), "b": Literal(True), "d": Literal(date(2024, 5, 1)),
         "s": Literal("drone", lang="en"), "m": Literal(1), "u": iri},
        {"i": None, "f": Literal(4), "b": None, "d": None, "s": None, "m": Literal("one"), "u": None},
    ]
    frame = QueryResult("select", list(rows[0]), rows=rows, prefixes={"d": "https://example.org/d/"}) \
        .to_dataframe(terms="curie")
    assert str(frame["i"].dtype) == "Int64" and frame["i"].tolist() == [3, pd.NA]
    assert str(frame["f"].dtype) == "Float64" and frame["f"].tolist() == [2.5, 4.0]
    assert str(frame["b"].dtype) == "boolean" and frame["b"].tolist() == [True, pd.NA]
    assert frame["d"].tolist() == [date(2024, 5, 1), pd.NA]
    assert frame["s"].dtype == "string" and frame["s"].tolist() == ["drone", pd.NA]
    assert frame["m"].tolist() == [1, "one"]  # mixed: Python objects
    assert frame["u"].tolist() == ["d:x", pd.NA]
    _missing_cells_are_na(frame)


def test_labels_prefer_no_language_then_english() -> None:
    g = Graph()
    a, b, c = (URIRef(f"https://example.org/d/{n}") for n in "abc")
    g.add((a, RDFS.label, Literal("Cártel", lang="es")))
    g.add((a, RDFS.label, Literal("Cartel", lang="en")))
    g.add((b, RDFS.label, Literal("Bee", lang="en")))
    g.add((b, RDFS.label, Literal("B")))
    g.add((c, RDFS.label, Literal("3", datatype=XSD.string)))
    engine = Engine.from_dataset(g, prefixes={"d": "https://example.org/d/"})
    assert engine.labels([str(a), str(b), "https://example.org/d/none"]) == {str(a): "Cartel", str(b): "B"}
    frame = engine.query("SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x").to_dataframe(terms="label")
    assert sorted(set(frame["x"])) == ["3", "B", "Cartel"]


def test_ask_and_bad_requests() -> None:
    assert QueryResult("ask", boolean=True).to_dataframe()["ask"].tolist() == [True]
    by_hand = QueryResult("select", ["x"], rows=[{"x": URIRef("https://example.org/x")}])
    with pytest.raises(ValueError, match="labels come from the data"):
        by_hand.to_dataframe(terms="label")
    with pytest.raises(ValueError, match="'iri', 'curie' or 'label'"):
        by_hand.to_dataframe(terms="name")  # type: ignore[arg-type]
    assert by_hand.to_dataframe(terms="curie")["x"].tolist() == ["https://example.org/x"]  # no prefix: whole

"""The build: golden outputs for the mini fixture, round trips of every RDF format,
byte-identical rebuilds, inference kept apart, RDF input, and atomic outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import kg
from kg.output.rdf import FORMATS, dump, single_graph
from kg.vocab import KG, RDF, RDFS, SEM, SKOS

from conftest import MINI

GOLDEN = Path(__file__).parent / "golden" / "mini"
GOLDEN_FILES = ("graph.ttl", "graph.nt", "graph.trig", "graph.jsonld", "build-report.json")


@pytest.fixture(scope="module")
def mini_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("mini-out")
    result = kg.run_build(kg.open_project(MINI), out)
    return result


def test_outputs_match_golden_files(mini_build, request):
    for name in GOLDEN_FILES:
        produced = (mini_build.out_dir / name).read_bytes()
        golden = GOLDEN / name
        if request.config.getoption("--regen-golden"):
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(produced)
        assert golden.is_file(), f"no golden file {golden}; run pytest --regen-golden"
        assert produced == golden.read_bytes(), f"{name} differs from {golden} (pytest --regen-golden to accept)"


def test_build_writes_every_format_and_the_report(mini_build):
    names = {p.name for p in mini_build.outputs}
    assert {f"graph.{f}" for f in FORMATS} <= names
    assert {"build-report.json", "build-report.md"} <= names
    report = json.loads((mini_build.out_dir / "build-report.json").read_text())
    assert report["entities_by_class"]["kg:Cartel (Cartel)"] == 1
    assert report["claims_by_modality"] == {"Allegation": 1, "Reported fact": 20}
    assert report["quotes_checked"] == 20 and report["warnings"] == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_round_trips_to_an_isomorphic_graph(mini_build, fmt):
    info = FORMATS[fmt]
    data = (mini_build.out_dir / f"graph.{fmt}").read_bytes()
    if info.dataset:
        back = Dataset()
        back.parse(data=data, format=info.rdflib_name)
        ds = mini_build.built.to_rdflib()
        original = {str(g.identifier): g for g in ds.graphs() if len(g)}
        parsed = {str(g.identifier): g for g in back.graphs() if len(g)}
        default = str(ds.default_graph.identifier)
        parsed_default = str(back.default_graph.identifier)
        assert isomorphic(parsed.pop(parsed_default), original.pop(default))
        assert sorted(parsed) == sorted(original)
        for name, graph in original.items():
            assert isomorphic(parsed[name], graph), name
    else:
        back = Graph()
        back.parse(data=data, format=info.rdflib_name)
        assert isomorphic(back, single_graph(mini_build.built))


def test_two_builds_are_byte_identical_across_hash_seeds(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "kg", "build", "-q", "--data", str(MINI), "--out", str(out)],
                       check=True, env=env, timeout=120)
        outs.append(out)
    names = sorted(p.name for p in outs[0].iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in outs[1].iterdir() if not p.name.startswith("."))
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_no_blank_nodes_in_outputs(mini_build):
    assert "_:" not in (mini_build.out_dir / "graph.nt").read_text()


def test_provenance_reifies_every_asserted_data_triple(mini_build):
    ds = mini_build.built.to_rdflib()
    prov = ds.graph(URIRef("https://example.org/mini/graph/provenance"))
    claimed = {(prov.value(c, RDF.subject), prov.value(c, RDF.predicate), prov.value(c, RDF.object))
               for c in prov.subjects(RDF.type, KG.Claim)}
    for s, p, o in ds.default_graph:
        if p in (RDFS.label, RDFS.comment) or (s, RDF.type, KG.NewsReport) in ds.default_graph \
                or (s, RDF.type, KG.CuratorNote) in ds.default_graph \
                or (s, RDF.type, KG.Quantity) in ds.default_graph:  # a quantity is a value, not a claim
            continue
        assert (s, p, o) in claimed, (s, p, o)


def test_allegation_keeps_its_claimant_and_quote(mini_build):
    g = single_graph(mini_build.built)
    rows = list(g.query("""
        SELECT ?who ?quote WHERE {
          ?c a kg:Claim ; rdf:subject data:attack ; rdf:predicate kg:perpetrator ; rdf:object data:ecx ;
             kg:modality kg:Allegation ; kg:claimant ?w ; kg:quote ?quote .
          ?w rdfs:label ?who }""", initNs={"kg": KG, "data": "https://example.org/mini/"}))
    assert [(str(w), str(q)) for w, q in rows] == [("Jane Roe", "the attack was the work of ECX")]


def test_external_alias_is_flagged(mini_build):
    g = single_graph(mini_build.built)
    ask = g.query("""ASK { ?c rdf:subject data:ecx ; rdf:predicate skos:altLabel ;
                          rdf:object "Cartel de Ejemplo"@es ; kg:external true }""",
                  initNs={"kg": KG, "skos": SKOS, "data": "https://example.org/mini/"})
    assert ask.askAnswer


def test_infer_adds_its_own_graph_and_never_changes_the_input(mini_build):
    built = mini_build.built
    before = {name: dict(subjects) for name, subjects in built.quads.graphs.items()}
    inferred = kg.infer(built)
    assert {name: dict(subjects) for name, subjects in built.quads.graphs.items()} == before
    assert built.inferred not in built.quads.graphs
    ds = inferred.to_rdflib()
    graph = ds.graph(URIRef("https://example.org/mini/graph/inferred"))
    ecx = URIRef("https://example.org/mini/ecx")
    assert (ecx, RDF.type, KG.CriminalOrganization) in graph
    assert (ecx, RDF.type, KG.CriminalOrganization) not in ds.default_graph
    attack = URIRef("https://example.org/mini/attack")
    assert (attack, SEM.hasPlace, URIRef("https://example.org/mini/springfield")) in graph
    # Nothing is inferred from an allegation: Roe's "the work of ECX" is no fact, so no kg:hasActor.
    assert (attack, KG.hasActor, ecx) not in graph
    # Contains its input, and idempotent: inferring again gives the same value.
    for name, subjects in built.quads.graphs.items():
        assert dict(inferred.quads.graphs[name]) == dict(subjects)
    assert kg.infer(inferred) == inferred


def test_owl_rl_walks_the_place_hierarchy(make_dataset):
    data = make_dataset(append={
        "entities.csv": "shire,kg:AdminRegion,Shire,,rep,in Springfield,,,F,3,\n"
                        "land,kg:Country,Land,,rep,in Springfield,,,F,3,",
        "statements.csv": "springfield,kg:locatedIn,shire,rep,in Springfield,,,F,3,,\n"
                          "shire,kg:locatedIn,land,rep,in Springfield,,,F,3,,",
    })
    records = kg.load(kg.open_project(data))
    ds = kg.infer(kg.build(records), "owl-rl").to_rdflib()
    inferred = ds.graph(URIRef("https://example.org/mini/graph/inferred"))
    mini = "https://example.org/mini/"
    assert (URIRef(mini + "springfield"), KG.locatedIn, URIRef(mini + "land")) in inferred


def test_build_with_infer_writes_inferred_graph_apart(tmp_path):
    out = tmp_path / "out"
    result = kg.run_build(kg.open_project(MINI), out, reasoner="rdfs")
    assert (out / "inferred.ttl").is_file()
    trig = Dataset()
    trig.parse(out / "graph.trig", format="trig")
    names = {str(g.identifier) for g in trig.graphs() if len(g)}
    assert "https://example.org/mini/graph/inferred" in names
    ttl = Graph().parse(out / "graph.ttl")
    ecx = URIRef("https://example.org/mini/ecx")
    assert (ecx, RDF.type, KG.CriminalOrganization) not in ttl, "single-graph files hold asserted triples only"
    assert result.summary["triples"]["inferred"] > 0


def test_rdf_input_files_are_read_and_validated(make_dataset):
    turtle = """@prefix kg: <https://w3id.org/osint-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix data: <https://example.org/mini/> .

data:gulf a kg:Region ;
    rdfs:label "Gulf" .
data:springfield kg:locatedIn data:gulf .
"""
    data = make_dataset({"places.ttl": turtle})
    records = kg.load(kg.open_project(data))
    assert kg.validate(records).ok
    ds = kg.build(records).to_rdflib()
    gulf = URIRef("https://example.org/mini/gulf")
    assert (URIRef("https://example.org/mini/springfield"), KG.locatedIn, gulf) in ds.default_graph
    assert (gulf, RDF.type, KG.Region) in ds.default_graph
    # The same checks apply: a bad term in RDF input is reported at its line.
    bad = make_dataset({"places.ttl": turtle + "data:gulf kg:nonsense data:springfield .\n"})
    report = kg.validate(kg.load(kg.open_project(bad)))
    issue = [i for i in report.errors if i.code == "KG202"][0]
    assert issue.position.file.endswith("places.ttl") and issue.position.line == 5


def test_ntriples_input_with_a_bad_literal(make_dataset):
    nt = ('<https://example.org/mini/springfield> <https://w3id.org/osint-kg/ontology#latitude> "north" .\n')
    report = kg.validate(kg.load(kg.open_project(make_dataset({"more.nt": nt}))))
    issue = [i for i in report.errors if i.code == "KG203"][0]
    assert issue.position.line == 1


def test_invalid_data_leaves_previous_outputs_whole(make_dataset, tmp_path):
    out = tmp_path / "out"
    kg.run_build(kg.open_project(MINI), out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    bad = make_dataset(append={"statements.csv": "attack,kg:killed,twelve,rep,killing 2 officers,,,F,3,,"})
    with pytest.raises(kg.ValidationFailed):
        kg.run_build(kg.open_project(bad), out)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_a_second_build_into_the_same_directory_is_refused_while_one_runs(tmp_path):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".kg-build.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(kg.UsageError, match="another kg build"):
            kg.run_build(kg.open_project(MINI), out)


def test_dump_matches_written_file(mini_build):
    assert dump(mini_build.built, "ttl") == (mini_build.out_dir / "graph.ttl").read_bytes()


def test_language_tagged_alias(mini_build):
    assert (URIRef("https://example.org/mini/ecx"), SKOS.altLabel, Literal("Cartel de Ejemplo", lang="es")) \
        in mini_build.built.to_rdflib().default_graph


def test_coordinates_become_a_geosparql_point(make_dataset):
    from kg.vocab import GEO

    data = make_dataset(append={"statements.csv": "springfield,kg:latitude,39.78,cur,,,,,,,\n"
                                                  "springfield,kg:longitude,-89.65,cur,,,,,,,"})
    ds = kg.build(kg.load(kg.open_project(data))).to_rdflib()
    springfield = URIRef("https://example.org/mini/springfield")
    geometry = ds.default_graph.value(springfield, GEO.hasGeometry)
    assert ds.default_graph.value(geometry, GEO.asWKT) == Literal("POINT(-89.65 39.78)", datatype=GEO.wktLiteral)


def test_rdfxml_input_is_read(make_dataset):
    xml = ('<?xml version="1.0"?>\n'
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
           '         xmlns:kg="https://w3id.org/osint-kg/ontology#">\n'
           '  <rdf:Description rdf:about="https://example.org/mini/attack">\n'
           '    <kg:status>two officers killed</kg:status>\n'
           '  </rdf:Description>\n'
           '</rdf:RDF>\n')
    ds = kg.build(kg.load(kg.open_project(make_dataset({"more.rdf": xml})))).to_rdflib()
    assert (URIRef("https://example.org/mini/attack"), KG.status, Literal("two officers killed")) in ds.default_graph


def test_no_html_skips_the_explorer_page_and_removes_an_old_one(tmp_path):
    out = tmp_path / "out"

    def build(*extra: str) -> list[str]:
        proc = subprocess.run([sys.executable, "-m", "kg", "build", "--data", str(MINI), "--out", str(out), *extra],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        return [line.strip() for line in proc.stdout.splitlines() if line.startswith("  ")]

    assert str(out / "graph.html") in build()
    listed = build("--no-html")
    assert str(out / "graph.html") not in listed and str(out / "graph.ttl") in listed
    assert not (out / "graph.html").exists()  # a page of an earlier build would not match the data
    assert {p.name for p in out.glob("graph.*")} == {f"graph.{name}" for name in FORMATS}


def test_nothing_is_cached_on_the_records_and_the_built_value_is_immutable():
    """validate and build are pure: a record appended after a first call is seen by the next one;
    each build is a new, equal, read-only value."""
    import dataclasses

    records = kg.load(kg.open_project(MINI))
    assert kg.validate(records).ok
    first, second = kg.build(records), kg.build(records)
    assert first == second and first is not second
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.base = "https://example.org/other/"  # type: ignore[misc]
    with pytest.raises(TypeError):
        first.quads.graphs[""] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        first.quads.graphs[""]["<https://example.org/mini/ecx>"] = ()  # type: ignore[index]
    bad = dataclasses.replace(records.statements[0], object="twelve", predicate="kg:killed")
    records.statements.append(bad)
    assert not kg.validate(records).ok
    with pytest.raises(kg.ValidationFailed):
        kg.build(records)
    assert first == second  # the values built before are unchanged

"""One test per issue code: bad input gives `file:line: error[CODE] ...`, a fix, and the
documented exit code, and never an output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.errors import CODES, Severity

from conftest import MINI

ROW = "{},,,F,3,,"  # claimant,modality,reliability,credibility,via,note after source,quote


def issues_of(data: Path, shacl: bool = True) -> list[kg.Issue]:
    project = kg.open_project(data)
    records = kg.load(project)
    return kg.validate(records, shacl=shacl).sorted()


def only(issues: list[kg.Issue], code: str) -> kg.Issue:
    found = [i for i in issues if i.code == code]
    assert found, f"no {code} in {[i.format() for i in issues]}"
    return found[0]


def load_error(data: Path) -> kg.Issue:
    with pytest.raises(kg.LoadError) as info:
        kg.load(kg.open_project(data))
    return info.value.issues[0]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=120)


def test_mini_fixture_is_valid(make_dataset):
    assert issues_of(make_dataset()) == []


def test_kg101_turtle_syntax_error_points_at_line(make_dataset):
    data = make_dataset({"extra.ttl": "@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b ;; .\n"})
    issue = load_error(data)
    assert issue.code == "KG101" and issue.position.line == 3
    assert issue.position.file.endswith("extra.ttl")
    assert "turtle syntax" in issue.message and issue.fix


def test_kg101_csv_syntax_error(make_dataset):
    data = make_dataset(append={"statements.csv": 'attack,kg:killed,"2"x,rep,q,,,,,,'})
    issue = load_error(data)
    assert issue.code == "KG101" and issue.position.line == 16


def test_kg102_unknown_column(make_dataset):
    text = (Path(make_dataset()) / "statements.csv").read_text()
    data = make_dataset({"statements.csv": text.replace("note", "nots", 1)})
    issue = load_error(data)
    assert issue.code == "KG102" and issue.position.line == 1 and "nots" in issue.message


def test_kg102_not_a_kg_table(make_dataset):
    issue = load_error(make_dataset({"people.csv": "name,age\nann,3\n"}))
    assert issue.code == "KG102" and "not a kg table" in issue.message


def test_kg103_wrong_cell_count(make_dataset):
    issue = only(issues_of(make_dataset(append={"statements.csv": "attack,kg:killed,2,rep"})), "KG103")
    assert issue.position.line == 16 and "4 cells" in issue.message


def test_kg103_bad_id(make_dataset):
    row = 'bad id,kg:City,Bad,,rep,in Springfield,,,F,3,'
    issue = only(issues_of(make_dataset(append={"entities.csv": row})), "KG103")
    assert issue.position.file.endswith("entities.csv") and issue.position.line == 8


def test_kg104_not_utf8(make_dataset):
    data = make_dataset()
    path = data / "statements.csv"
    path.write_bytes(path.read_bytes().replace(b"Governor", b"Gov\xe9rnor", 1))
    issue = load_error(data)
    assert issue.code == "KG104" and issue.position.line == 12


def test_kg201_unknown_prefix(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,foaf:knows,roe,rep,last week," + ROW[3:]})
    issue = only(issues_of(data), "KG201")
    assert issue.position.line == 16 and "'foaf'" in issue.message and "kg.toml" in issue.fix


def test_kg202_unknown_property_and_class(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:perpetrater,ecx,rep,last week,,,F,3,,",
                                "entities.csv": "x1,kg:Cartell,X,,rep,last week,,,F,3,"})
    issues = [i for i in issues_of(data) if i.code == "KG202"]
    assert {(Path(i.position.file).name, i.position.line) for i in issues} == {("statements.csv", 16),
                                                                               ("entities.csv", 8)}


def test_kg203_literal_not_of_range(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:killed,twelve,rep,killing 2 officers,,,F,3,,"})
    issue = only(issues_of(data), "KG203")
    assert issue.position.line == 16 and "xsd:nonNegativeInteger" in issue.message and "12" in issue.fix


def test_kg203_date_that_is_not_a_date(make_dataset):
    text = (make_dataset() / "sources.csv").read_text().replace("mini-report.txt,,,", "mini-report.txt,,2024-02-30,")
    issue = only(issues_of(make_dataset({"sources.csv": text})), "KG203")
    assert issue.position.file.endswith("sources.csv") and issue.position.line == 2


def test_kg204_text_where_an_entity_is_expected(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:place,New York City,rep,in Springfield,,,F,3,,"})
    issue = only(issues_of(data), "KG204")
    assert issue.position.line == 16


def test_kg204_entity_where_a_literal_of_no_declared_datatype_is_expected(make_dataset):
    # kg:quote is a datatype property with no rdfs:range: the message names no datatype (it said "(<None>)")
    data = make_dataset(append={"statements.csv": "attack,kg:quote,<https://example.org/x>,rep,in Springfield,,,F,3,,"})
    issue = only(issues_of(data), "KG204")
    assert issue.position.line == 16
    assert issue.message == "kg:quote takes a literal, but the object '<https://example.org/x>' is an entity"


def test_kg205_undeclared_entity(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:perpetrator,nobody,rep,the attack,,,F,3,,"})
    issue = only(issues_of(data), "KG205")
    assert issue.position.line == 16 and "'nobody'" in issue.message


def test_kg206_duplicate_id_names_the_other_row(make_dataset):
    data = make_dataset(append={"entities.csv": "ecx,kg:Cartel,Other,,rep,ECX,,,F,3,"})
    issue = only(issues_of(data), "KG206")
    assert issue.position.line == 8 and "entities.csv:2" in issue.fix


def test_kg207_duplicate_statement(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:killed,2,rep,killing 2 officers,,,F,3,,"})
    issue = only(issues_of(data), "KG207")
    assert issue.position.line == 16 and "statements.csv:9" in issue.fix


def test_kg301_missing_and_unknown_source(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:killed,3,,killing 2 officers,,,F,3,,\n"
                                                  "attack,kg:killed,4,nosuch,killing 2 officers,,,F,3,,"})
    issues = [i for i in issues_of(data) if i.code == "KG301"]
    assert [i.position.line for i in issues] == [16, 17]
    assert "missing source" in issues[0].message and "'nosuch'" in issues[1].message


def test_kg302_missing_quote(make_dataset):
    issue = only(issues_of(make_dataset(append={"statements.csv": "attack,kg:killed,3,rep,,,,F,3,,"})), "KG302")
    assert issue.position.line == 16


def test_kg303_quote_not_in_source(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:wounded,5,rep,wounding 5 officers,,,F,3,,"})
    issue = only(issues_of(data), "KG303")
    assert issue.position.line == 16 and "wounding 5 officers" in issue.message


def test_kg304_bad_modality_and_grade(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:killed,3,rep,killing 2 officers,,rumour,F,3,,\n"
                                                  "attack,kg:killed,4,rep,killing 2 officers,,,F,7,,"})
    issues = [i for i in issues_of(data) if i.code == "KG304"]
    assert [i.position.line for i in issues] == [16, 17]
    assert "allegation" in issues[0].fix and "6" in issues[1].fix


def test_kg304_claimant_must_be_an_actor(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:killed,3,rep,killing 2 officers,springfield,,F,3,,"})
    issue = only(issues_of(data), "KG304")
    assert "not an actor" in issue.message


def test_kg306_count_recorded_as_exact_but_worded_with_a_bound(make_dataset):
    text = (MINI / "sources" / "mini-report.txt").read_text(encoding="utf-8") + "At least 5 people were wounded.\n"
    data = make_dataset({"sources/mini-report.txt": text},
                        append={"statements.csv": "attack,kg:wounded,5,rep,At least 5 people were wounded,,,F,3,,"})
    issue = only(issues_of(data, shacl=False), "KG306")
    assert issue.position.file.endswith("statements.csv") and issue.position.line == 16
    assert "recorded as exactly 5" in issue.message and "'At least 5'" in issue.message
    assert "at-least" in issue.fix


def test_kg401_shacl_violation_maps_to_row(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:place,roe,rep,Governor Jane Roe,,,F,3,,"})
    issue = only(issues_of(data), "KG401")
    assert issue.position.file.endswith("statements.csv") and issue.position.line == 16
    assert "kg:place" in issue.message


def test_kg401_place_and_person_at_once(make_dataset):
    data = make_dataset(append={"entities.csv": "x1,kg:Person|kg:City,Janus,,rep,Governor Jane Roe,,,F,3,"})
    issue = only(issues_of(data), "KG401")
    assert issue.position.line == 8 and "actor and a place" in issue.message


def test_kg401_cyclic_place_hierarchy(make_dataset):
    data = make_dataset(append={
        "entities.csv": "shire,kg:AdminRegion,Shire,,rep,in Springfield,,,F,3,",
        "statements.csv": "springfield,kg:locatedIn,shire,rep,in Springfield,,,F,3,,\n"
                          "shire,kg:locatedIn,springfield,rep,in Springfield,,,F,3,,",
    })
    issues = [i for i in issues_of(data) if i.code == "KG401"]
    assert any("cycle" in i.message for i in issues)


def test_kg901_missing_source_text_is_a_warning(make_dataset):
    data = make_dataset()
    (data / "sources" / "mini-report.txt").unlink()
    issues = issues_of(data)
    issue = only(issues, "KG901")
    assert issue.severity is Severity.WARNING and issue.position.line == 2 and "--sources" in issue.fix
    assert not [i for i in issues if i.severity is Severity.ERROR]


def test_kg902_unused_entity_is_a_warning(make_dataset):
    data = make_dataset(append={"entities.csv": "lonely,kg:City,Lonely,,rep,in Springfield,,,F,3,"})
    issue = only(issues_of(data), "KG902")
    assert issue.severity is Severity.WARNING and issue.position.line == 8


def test_kg903_a_cache_that_cannot_be_written_is_a_warning_not_a_failed_build(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cache").write_text("a file where the cache directory goes: writing the cache fails")
    result = run_cli("build", "--data", str(MINI), "--out", str(out), "--no-html")
    assert result.returncode == 0, result.stderr
    assert "warning[KG903] the record cache" in result.stderr
    assert (out / "graph.ttl").read_bytes() and (out / "build-report.json").is_file()
    assert run_cli("build", "--data", str(MINI), "--out", str(out), "--no-html", "--no-cache").returncode == 0


def test_kg208_a_statement_about_an_ontology_term(make_dataset):
    data = make_dataset(append={"statements.csv": "kg:perpetrator,rdfs:label,victim of,rep,in Springfield,,,F,3,,"})
    issue = only(issues_of(data, shacl=False), "KG208")
    assert issue.position.line == 16 and "kg:perpetrator" in issue.message


def test_kg305_a_text_file_outside_the_sources(make_dataset):
    data = make_dataset()
    table = (data / "sources.csv").read_text(encoding="utf-8").replace("mini-report.txt", "../kg.toml")
    (data / "sources.csv").write_text(table, encoding="utf-8")
    issue = only(issues_of(data, shacl=False), "KG305")
    assert issue.position.line == 2 and "'..'" in issue.message


def test_kg904_a_dataset_with_no_tables_is_a_warning(tmp_path):
    (tmp_path / "kg.toml").write_text('[dataset]\nname = "empty"\n')
    issue = only(issues_of(tmp_path), "KG904")
    assert issue.severity is Severity.WARNING and issue.position.file.endswith("kg.toml")
    assert kg.build(kg.load(kg.open_project(tmp_path))).quads.count() == 0


def test_kg209_a_computed_term_written_in_a_table(make_dataset):
    data = make_dataset(append={"statements.csv": "lastweek,kg:anchoredStart,2024-01-01,rep,last week,,,F,3,,"})
    issue = only(issues_of(data), "KG209")
    assert issue.position.file.endswith("statements.csv") and issue.position.line == 16
    assert "computed by kg build" in issue.message and issue.fix


def test_kg210_identity_of_a_person_and_a_city(make_dataset):
    data = make_dataset(append={"statements.csv": "roe,kg:sameAs,springfield,cur,,,,,,,one name"})
    issue = only(issues_of(data), "KG210")
    assert issue.position.line == 16 and "cannot be one entity" in issue.message


def test_kg210_identity_from_a_curator_note_needs_a_reason(make_dataset):
    police = "police2,kg:PoliceForce,Springfield police,,rep,a police station,,,F,3,"
    data = make_dataset(append={"entities.csv": police,
                                "statements.csv": "police2,kg:sameAs,police,cur,,,,,,,"})
    issue = only(issues_of(data), "KG210")
    assert issue.position.line == 16 and "no reason" in issue.message


SOURCES = ("id,type,label,text_file,sha256,outlet,published,language,url,kind,derived_from,note\n"
           "rep,kg:NewsReport,Mini report,mini-report.txt,{sha},,2024-05,en,,{kind},{derived},\n"
           "cur,kg:CuratorNote,Curator notes,,,,,,,,,\n")


def test_kg307_a_digest_that_derives_from_nothing(make_dataset):
    data = make_dataset({"sources.csv": SOURCES.format(sha="", kind="digest", derived="")})
    issue = only(issues_of(data), "KG307")
    assert issue.position.file.endswith("sources.csv") and issue.position.line == 2
    assert "must say what it derives from" in issue.message


def test_kg905_a_source_text_changed_since_it_was_registered(make_dataset):
    data = make_dataset({"sources.csv": SOURCES.format(sha="0" * 64, kind="original", derived="")})
    issues = issues_of(data)
    issue = only(issues, "KG905")
    assert issue.severity is Severity.WARNING and issue.position.line == 2 and "mini-report.txt" in issue.message
    assert not [i for i in issues if i.severity is Severity.ERROR]


def test_kg906_two_voices_disagree_on_the_dead(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:killed,3,rep,killing 2 officers,roe,,C,3,,"})
    issue = only(issues_of(data), "KG906")
    assert issue.severity is Severity.WARNING and issue.position.line == 16
    assert "statements.csv:9" in issue.message and "statements.csv:16" in issue.message


def test_kg907_a_likely_duplicate_names_both_ids(make_dataset):
    twin = 'ecx2,kg:Cartel,Example Cartell,,rep,"The Example Cartel, known as ECX",,,F,3,'
    issue = only(issues_of(make_dataset(append={"entities.csv": twin})), "KG907")
    assert issue.severity is Severity.WARNING and issue.position.line == 8
    assert "ecx2" in issue.message and "ecx" in issue.message and "entities.csv:2" in issue.message
    assert "kg:sameAs" in issue.fix and "kg:distinctFrom" in issue.fix


def test_every_code_has_a_test():
    text = Path(__file__).read_text()
    missing = [code for code in CODES if f"test_{code.lower()}" not in text]
    assert not missing, f"codes without a test: {missing}"


def test_cli_exit_codes_and_message_format(make_dataset, tmp_path):
    good = run_cli("validate", "--data", str(make_dataset()))
    assert good.returncode == 0, good.stderr
    bad = make_dataset(append={"statements.csv": "attack,kg:killed,twelve,rep,killing 2 officers,,,F,3,,"})
    out = tmp_path / "out"
    result = run_cli("build", "--data", str(bad), "--out", str(out))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.endswith("statements.csv:16: error[KG203] kg:killed expects xsd:nonNegativeInteger, "
                          "but 'twelve' is not one")
    assert "    fix: write a value like 12" in result.stderr
    assert result.stderr.strip().endswith("1 error, 0 warnings in 3 files")
    assert not out.exists() or not any(out.iterdir()), "invalid data must not produce outputs"
    broken = make_dataset({"bad.ttl": "this is not turtle"})
    assert run_cli("validate", "--data", str(broken)).returncode == 2
    assert run_cli("validate", "--data", str(tmp_path / "missing")).returncode == 2
    assert run_cli("build", "--format", "nope").returncode == 2


def test_kg402_shapes_kg_does_not_compile_go_to_pyshacl_and_it_says_so(make_dataset, tmp_path):
    import dataclasses
    import shutil

    from kg.locations import ontology_dir

    onto = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), onto)
    with open(onto / "shapes.ttl", "a", encoding="utf-8") as handle:
        handle.write("kgsh:Q a sh:NodeShape ; sh:targetClass kg:Event ; sh:property [ sh:path kg:killed ;"
                     " sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMaxCount 0 ] .\n")
    project = dataclasses.replace(kg.open_project(make_dataset()), ontology_dir=onto)
    issues = kg.validate(kg.load(project)).sorted()
    issue = only(issues, "KG402")
    assert issue.severity is Severity.WARNING and str(issue.position) == "ontology/shapes.ttl"
    assert "sh:qualifiedValueShape" in issue.message and "pySHACL checked them instead" in issue.message

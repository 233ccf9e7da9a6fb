"""The fast SHACL validator (kg.shapes.engine) gives the same results as pySHACL: on the mini
fixture, the bundled dataset, a generated dataset, and a dataset breaking many shapes at once."""

from __future__ import annotations

import shutil

import pytest

import kg
from kg.bench.generate import generate
from kg.build import from_resolved
from kg.build.quads import from_dataset
from kg.check.resolve import resolve
from kg.shapes.issues import shacl_issues, shacl_issues_quads, shacl_results

from conftest import MINI

BROKEN_ENTITIES = """\
x1,kg:Person|kg:City,Janus,,rep,Governor Jane Roe,,,F,3,
x2,kg:Person|kg:Cartel,Bifrons,,rep,Governor Jane Roe,,,F,3,
shire,kg:AdminRegion,Shire,,rep,in Springfield,,,F,3,
land,kg:Country,Land,,rep,in Springfield,,,F,3,
ev2,kg:Event,Second attack,,rep,flew a drone,,,F,3,
t2,kg:RelativeTime,last month,,rep,last week,,,F,3,
t3,kg:AbsoluteTime,sometime,,rep,last week,,,F,3,
"""
BROKEN_STATEMENTS = """\
springfield,kg:locatedIn,shire,rep,in Springfield,,,F,3,,
shire,kg:locatedIn,springfield,rep,in Springfield,,,F,3,,
land,kg:locatedIn,shire,rep,in Springfield,,,F,3,,
attack,kg:place,roe,rep,Governor Jane Roe,,,F,3,,
attack,kg:target,springfield,rep,in Springfield,,,F,3,,
ev2,kg:killed,2,rep,killing 2 officers,,,F,3,,
ev2,kg:usedEquipment,kg:Ambush,rep,flew a drone,,,F,3,,
ev2,kg:hasTime,springfield,rep,in Springfield,,,F,3,,
ev2,kg:partOf,police,rep,a police station,,,F,3,,
springfield,kg:latitude,95.5,rep,in Springfield,,,F,3,,
springfield,kg:latitude,12.5,rep,in Springfield,,,F,3,,
springfield,kg:longitude,-200,rep,in Springfield,,,F,3,,
roe,kg:memberOf,springfield,rep,Governor Jane Roe,,,F,3,,
ecx,kg:operatesIn,roe,rep,known as ECX,,,F,3,,
t2,time:unitType,time:unitWeek,rep,last week,,,F,3,,
t2,time:unitType,time:unitDay,rep,last week,,,F,3,,
"""


def _key(results):
    return sorted((str(r.focus), str(r.path), str(r.value), r.message, str(r.severity)) for r in results)


def _both(project: kg.Project):
    records = kg.load(project)
    resolved = resolve(records)
    assert not [i for i in resolved.issues if i.severity.value == "error"], resolved.issues
    quads = from_resolved(resolved, project.prefixes).quads
    return _key(shacl_results(quads, resolved)), _key(shacl_results(quads, resolved, engine="pyshacl"))


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    target = tmp_path_factory.mktemp("broken") / "data"
    shutil.copytree(MINI, target)
    for name, text in (("entities.csv", BROKEN_ENTITIES), ("statements.csv", BROKEN_STATEMENTS)):
        with open(target / name, "a", encoding="utf-8") as handle:
            handle.write(text)
    return kg.open_project(target)


def test_same_results_as_pyshacl_on_a_dataset_breaking_many_shapes(broken):
    fast, reference = _both(broken)
    assert len(reference) >= 15
    assert fast == reference


def test_same_results_as_pyshacl_on_the_mini_fixture():
    fast, reference = _both(kg.open_project(MINI))
    assert fast == reference == []


def test_same_results_as_pyshacl_on_the_bundled_dataset(bundled_project):
    fast, reference = _both(bundled_project)
    assert fast == reference


def test_same_results_as_pyshacl_on_generated_data(tmp_path):
    generate(tmp_path / "gen", 3_000, seed=3)
    fast, reference = _both(kg.open_project(tmp_path / "gen"))
    assert fast == reference == []


def test_issues_from_a_dataset_and_from_quads_agree(broken):
    records = kg.load(broken)
    resolved = resolve(records)
    built = from_resolved(resolved, broken.prefixes)
    quads = built.quads
    ds = built.to_rdflib()
    assert from_dataset(ds) == quads
    a = sorted(i.format() for i in shacl_issues_quads(quads, resolved))
    b = sorted(i.format() for i in shacl_issues(ds, resolved, engine="pyshacl"))
    assert a == b and len(a) >= 15

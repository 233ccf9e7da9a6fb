"""Contracts: the public API, generated files up to date, every command documented, every
ontology term labelled and defined."""

from __future__ import annotations

import re
from pathlib import Path

import click
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import kg
from kg.cli import main
from kg.errors import CODES
from kg.ontology import generate_terms_module, load_ontology
from kg.ontology.reference import ontology_markdown

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_all_is_sorted_and_complete():
    assert list(kg.__all__) == sorted(kg.__all__)
    for name in kg.__all__:
        assert hasattr(kg, name), name


def test_generated_terms_module_is_up_to_date():
    assert (REPO / "kg" / "ontology" / "terms.py").read_text(encoding="utf-8") == generate_terms_module(), \
        "run: python -m kg.ontology"


def test_ontology_reference_is_up_to_date():
    assert (REPO / "docs" / "ontology.md").read_text(encoding="utf-8") == ontology_markdown(), \
        "run: kg ontology-doc --out docs/ontology.md"


def test_every_term_has_a_label_and_a_definition():
    onto = load_ontology()
    g = onto.graph
    kg_ns = "https://w3id.org/osint-kg/ontology#"
    terms = [t for t in set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, OWL.ObjectProperty))
             | set(g.subjects(RDF.type, OWL.DatatypeProperty)) | set(g.subjects(RDF.type, SKOS.Concept))
             if str(t).startswith(kg_ns)]
    assert len(terms) > 100
    for term in terms:
        assert g.value(term, RDFS.label) is not None, term
        assert g.value(term, SKOS.definition) is not None, term


def test_every_command_has_help_and_is_in_the_readme():
    for name, command in main.commands.items():
        assert command.help, f"kg {name} has no help"
        assert f"kg {name}" in README, f"kg {name} is not documented in README.md"
        ctx = click.Context(command, info_name=name)
        assert command.get_help(ctx)


def test_every_issue_code_is_documented():
    for code in CODES:
        assert re.search(rf"\| {code} \|", README), code


def test_readme_opens_with_the_two_commands():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^(make \w+)", quick, flags=re.M)
    assert commands == ["make build", "make test"]
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci

"""Every saved question, checked mechanically on the bundled data: no row presents a statement
only a claim makes (an allegation, an assessment, a claimant's word, a curator inference, outside
knowledge) as a fact.

A row "presents" a statement when both its ends are in the row (as IRIs, or as the labels the
question shows for them). For every such statement that is not a fact, the row must carry its
standing: one of its claims, the claimant (IRI or label), a modality other than a reported fact,
or a false ``asserted`` column (``asserted``, ``placeAsserted``, ``fact`` ...). A row that
carries a predicate (its IRI, or the label of a predicate between the two ends) is held to the
statements with that predicate; a row that carries none may be showing a fact between the same
ends, and is held to the claims only when no fact links them. And each question's description
says which kind of answer it gives.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Literal

import kg.query
from kg.build.from_records import always_asserted
from kg.check import resolve
from kg.ntriples import parse_term
from kg.property_graph import claims
from kg.query import named_queries
from kg.vocab import KG, RDFS

#: What a description says of its answer: the claims with their standing, or facts only.
EVERY_CLAIM = "Every claim, with its modality and claimant"
FACTS_ONLY = "Reported facts only"
#: Questions that return no relation between two entities (counts, names, classes), and say so.
NO_RELATIONS = {"actors-by-type": "No relations", "claims-by-grade": "Counts only", "claims-by-modality": "Counts only",
                "event-types": "Reported facts counted apart from claims", "find-by-name": "Names only",
                "places": "Reported facts apart from claims", "reporting-timeline": "No relations",
                "source-summary": "Counts only"}


@pytest.fixture(scope="module")
def engine(bundled_project):
    return kg.query.open_engine(bundled_project)


@pytest.fixture(scope="module")
def standing(bundled_dataset, bundled_records):
    """(subject, predicate, object) -> the tokens that say a non-fact statement is not a fact, for
    every statement of the bundled data that only claims make."""
    naming = {f"<{p}>" for p in always_asserted(resolve(bundled_records).ontology)}
    facts = bundled_dataset.quads.graphs[""]
    tokens: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for c in claims(bundled_dataset):
        if c.predicate in naming or (c.predicate, c.object) in facts.get(c.subject, ()):
            continue
        e = c.evidence
        key = (str(parse_term(c.subject)), str(parse_term(c.predicate)), str(parse_term(c.object)))
        tokens[key] |= {e.claim, e.claimant, e.claimant_label} - {""}
        if e.modality != "reported-fact":
            tokens[key] |= {e.modality, str(KG[_concept(e.modality)])}
    return dict(tokens)


@pytest.fixture(scope="module")
def links(bundled_dataset, standing):
    """What the check needs of the graph besides the standing: the pairs a fact links (subject,
    object), the predicates between each pair of ends (facts and claims), and each predicate's
    names (its IRI and its labels), by which a row may say which statement it shows."""
    fact_pairs: set[tuple[str, str]] = set()
    between: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s, pairs in bundled_dataset.quads.graphs[""].items():
        for p, o in pairs:
            ends = (str(parse_term(s)), str(parse_term(o)))
            fact_pairs.add(ends)
            between[ends].add(str(parse_term(p)))
    for s, p, o in standing:
        between[(s, o)].add(p)
    predicates = {p for ps in between.values() for p in ps}
    label = f"<{RDFS.label}>"
    predicate_names: dict[str, set[str]] = {p: {p} for p in predicates}
    for graph in bundled_dataset.quads.graphs.values():
        for s, pairs in graph.items():
            iri = str(parse_term(s))
            if iri in predicate_names:
                predicate_names[iri] |= {str(parse_term(o)) for p, o in pairs if p == label}
    return fact_pairs, dict(between), predicate_names


def _concept(notation: str) -> str:
    return "".join(part.capitalize() for part in notation.split("-"))


@pytest.fixture(scope="module")
def names(bundled_dataset):
    """A label -> the IRIs it names (entities and quantities), from the facts."""
    out: dict[str, set[str]] = defaultdict(set)
    label = f"<{RDFS.label}>"
    for s, pairs in bundled_dataset.quads.graphs[""].items():
        for p, o in pairs:
            if p == label:
                out[str(parse_term(o))].add(str(parse_term(s)))
    return out


def _row_terms(row: dict, names: dict[str, set[str]]) -> set[str]:
    terms = set()
    for value in row.values():
        if value is None:
            continue
        terms.add(str(value))
        if isinstance(value, Literal):
            terms |= names.get(str(value), set())
    return terms


def _says_not_a_fact(row: dict) -> bool:
    return any(isinstance(v, Literal) and v.toPython() is False and (k.endswith("sserted") or k == "fact")
               for k, v in row.items())


def _violations(result, standing, names, links) -> list[str]:
    """A row shows a non-fact statement as a fact when both its ends are in the row, the row does
    not carry the statement's standing, and either the row carries the statement's predicate or
    it carries no predicate and no fact links the same ends (a row naming no predicate may be
    showing that fact). A row carries a predicate when it holds the predicate's IRI, or the label
    of a predicate between the two ends."""
    fact_pairs, between, predicate_names = links
    found = []
    for row in result.rows:
        terms = _row_terms(row, names)
        values = {str(v) for v in row.values() if v is not None}
        iris = values & predicate_names.keys()
        for (s, p, o), marks in standing.items():
            if not (s in terms and o in terms) or marks & values or _says_not_a_fact(row):
                continue
            shown = iris | {q for q in between[(s, o)] if predicate_names[q] & values}
            if p in shown or (not shown and (s, o) not in fact_pairs):
                found.append(f"{s} {p} {o} shown as a fact in { {k: str(v) for k, v in row.items() if v} }")
    return found


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_saved_question_says_what_kind_of_answer_it_gives(name):
    description = named_queries()[name].description
    if name in NO_RELATIONS:
        assert NO_RELATIONS[name] in description, name
    else:
        assert EVERY_CLAIM in description or FACTS_ONLY in description, f"{name}: {description[:120]}"


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_no_row_presents_an_attributed_statement_as_a_fact(engine, standing, names, links, name):
    nq = named_queries()[name]
    runs = [kg.query.run(engine, name)]
    if nq.params:  # and with every parameter left free: the question asked of everything
        runs.append(kg.query.run(engine, name, params={p.name: "" for p in nq.params}))
    assert len(runs[0]) > 0
    for result in runs:
        assert not _violations(result, standing, names, links), (name, _violations(result, standing, names, links)[:3])


def test_the_check_finds_an_attributed_statement_passed_off_as_a_fact(engine, standing, names, links):
    """The check itself: the pre-issue drone-users question (perpetrators of drone events with no
    claimant or modality), asked through the claims, presents Petro's allegation as a fact."""
    naive = kg.query.run(engine, """
        SELECT ?actor ?event WHERE {
          ?c rdf:subject ?event ; rdf:predicate kg:perpetrator ; rdf:object ?actor .
          ?e rdf:subject ?event ; rdf:predicate kg:usedEquipment ; rdf:object ?d . ?d skos:broader* kg:Drone }""")
    problems = _violations(naive, standing, names, links)
    assert any("emc" in p and "medellin-helicopter-downing" in p for p in problems)
    # The same, with the claim's standing: no longer a violation.
    honest = kg.query.run(engine, """
        SELECT ?actor ?event ?claimant WHERE {
          ?c rdf:subject ?event ; rdf:predicate kg:perpetrator ; rdf:object ?actor .
          OPTIONAL { ?c kg:claimant ?claimant }
          ?e rdf:subject ?event ; rdf:predicate kg:usedEquipment ; rdf:object ?d . ?d skos:broader* kg:Drone }""")
    assert not _violations(honest, standing, names, links)
    # Ends linked both by a fact and by a claim only: aguila-7 memberOf GAFE is News Pravda's fact,
    # affiliatedWith GAFE the background checks' assessment (Defense News). A row naming the
    # predicate is held to that statement; a row naming none may be showing the fact.
    pair = kg.query.run(engine, """
        SELECT ?p ?s ?o WHERE { VALUES (?s ?o) { (data:aguila-7 data:gafe) }
          ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }""")
    problems = _violations(pair, standing, names, links)
    assert len(problems) == 1 and "#affiliatedWith" in problems[0]
    assert not _violations(kg.query.run(engine, "SELECT ?s ?o WHERE { ?s kg:memberOf ?o }"), standing, names, links)


def test_a_plain_pattern_sees_only_facts(engine):
    """kg's engine queries the union of all graphs: an attributed statement is in none of them."""
    assert engine.query("ASK { data:medellin-helicopter-downing kg:perpetrator data:emc }").boolean is False
    assert engine.query("ASK { data:medellin-helicopter-downing kg:place data:medellin }").boolean is True
    assert engine.query("ASK { GRAPH ?g { data:medellin-helicopter-downing kg:perpetrator data:emc } }").boolean \
        is False

"""The same entity recognised across reports (issue 14, item 4): likely duplicates are warned of
(KG907) naming both ids; a curator's kg:sameAs merges them (with its evidence, never silently)
and kg:distinctFrom silences the warning; duplicate detection is not quadratic."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

import kg
from kg.check.duplicates import MAX_BLOCK, name_key
from kg.property_graph import graph_view
from kg.vocab import KG

BASE = "https://example.org/body/"
D = lambda local: URIRef(BASE + local)  # noqa: E731
_IDENTITY_ROWS = ("gustavo-petro,kg:sameAs", "aguila-7-dn,kg:sameAs", "aguila-7-tg,kg:sameAs",
                  "clan-del-golfo,kg:sameAs")


def _without_identity(project: kg.Project) -> str:
    lines = (project.data_dir / "statements.csv").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith(_IDENTITY_ROWS)) + "\n"


def test_names_fold_case_accents_punctuation_articles_and_word_order():
    assert name_key("Águila-7") == name_key("Aguila 7") == name_key("AGUILA_7")
    assert name_key("Los Zetas") == name_key("Zetas")
    assert name_key("Petro Gustavo") == name_key("Gustavo Petro")
    assert name_key("The") == "the"  # an article alone is a name


def test_without_identity_rows_the_reports_own_duplicates_are_warned_of(make_body):
    base = make_body()
    project = make_body({"statements.csv": _without_identity(base)})
    issues = [i for i in kg.validate(kg.load(project), shacl=False).issues if i.code == "KG907"]
    pairs = {tuple(sorted(i.message.split(":")[1].split(" (")[0].strip().split(" and "))) for i in issues}
    # Three reports name the recruit Aguila-7 (Águila-7, Aguila 7), two the president: same names
    # once accents and punctuation are folded. Meganoticias's Clan del Golfo is the Spanish alias of
    # Uruguay al Día's Gulf Clan.
    assert pairs == {("aguila-7", "aguila-7-dn"), ("aguila-7", "aguila-7-tg"), ("aguila-7-dn", "aguila-7-tg"),
                     ("gustavo-petro", "petro"), ("clan-del-golfo", "gulf-clan")}, pairs
    petro = next(i for i in issues if "gustavo-petro" in i.message)
    assert petro.position.line == 15 and petro.position.file.endswith("entities.csv")  # the later row
    assert "entities.csv:14" in petro.message  # and where the other is declared
    assert "gustavo-petro,kg:sameAs,petro" in petro.fix and "kg:distinctFrom" in petro.fix


def test_unnamed_collective_and_incompatible_entities_are_not_duplicates(make_body):
    rows = ("police-a,kg:PoliceForce|kg:UnnamedActor,police,,citypaper,the National Police's anti-narcotics "
            "directorate,,,F,3,\n"
            "police-b,kg:PoliceForce|kg:UnnamedActor,police,,citypaper,the National Police's anti-narcotics "
            "directorate,,,F,3,\n"
            "amalfi-person,kg:Person,Amalfi,,uruguayaldia,The helicopter fell in the area of Amalfi,,,F,3,\n"
            "antioquia-city,kg:City,Antioquia,,uruguayaldia,in the department of Antioquia,,,F,3,")
    issues = kg.validate(kg.load(make_body(append={"entities.csv": rows})), shacl=False).issues
    named = [i.message for i in issues if i.code == "KG907"]
    assert named == [], named  # unnamed "police"; a person and a city named Amalfi; a department and a city


def test_distinct_from_silences_the_warning(make_body):
    base = make_body()
    statements = _without_identity(base) + (
        "gustavo-petro,kg:distinctFrom,petro,curator,,,,,,,,,,\"Deliberately kept apart, for this test\",\n")
    issues = kg.validate(kg.load(make_body({"statements.csv": statements})), shacl=False).issues
    assert not [i for i in issues if i.code == "KG907" and "gustavo-petro" in i.message]
    assert [i for i in issues if i.code == "KG907" and "aguila" in i.message]  # the others remain


def test_same_as_merges_evidence_and_every_view_sees_one_entity(body_built):
    facts = body_built.quads.graphs[body_built.facts]
    # The merged ids are no entities any more: no class, no label of their own.
    for merged in ("aguila-7-dn", "aguila-7-tg", "gustavo-petro", "clan-del-golfo"):
        assert body_built.value(D(merged), RDF.type) is None
        typed = {s for s, pairs in facts.items() if any(p == f"<{RDF.type}>" for p, _ in pairs)}
        assert f"<{BASE}{merged}>" not in typed
    # Their claims are about the entity they were merged into: three reports' memberships of the Legion.
    assert (f"<{KG.memberOf}>", f"<{BASE}intl-legion>") in facts[f"<{BASE}aguila-7>"]
    view = graph_view(body_built)
    assert BASE + "aguila-7-dn" not in view.nodes
    legion = next(e for e in view.edges if e.key == f"{BASE}aguila-7|kg:memberOf|{BASE}intl-legion")
    assert sorted(e.source_label for e in legion.evidence) == [
        "Digest of The Telegraph's report", "Digest of news-pravda.com's retelling",
        "Digest of the syndicated copy of Defense News"]
    # The Spanish name of the Gulf Clan, from Meganoticias's merged entity, is an alias.
    assert Literal("Clan del Golfo", lang="es") in body_built.objects(D("gulf-clan"), SKOS.altLabel)


def test_the_identity_claim_stays_with_its_evidence(body_built):
    assert body_built.value(D("gustavo-petro"), KG.sameAs) == D("petro")
    from kg.property_graph import claims

    identity = [c.evidence for c in claims(body_built) if c.predicate == f"<{KG.sameAs}>"
                and c.subject == f"<{BASE}gustavo-petro>"]
    assert len(identity) == 1
    assert identity[0].quote == "El presidente de Colombia, Gustavo Petro"
    assert identity[0].note == "Both digests name Colombia's president, Gustavo Petro."


def test_queries_see_one_entity(body_project):
    import kg.query

    engine = kg.query.open_engine(body_project)
    found = kg.query.run(engine, "find-by-name", params={"name": "aguila-7"}).values("entity")
    assert found == {BASE + "aguila-7", BASE + "aguila-training"}  # "Aguila-7's drone training in Lviv"
    found = kg.query.run(engine, "find-by-name", params={"name": "Águila 7"}).values("entity")
    assert found == {BASE + "aguila-7"}  # accents ignored; the merged "Aguila 7" is an alias
    both = kg.query.run(engine, "find-by-name", params={"name": "clan del golfo"}).values("entity")
    assert both == {BASE + "gulf-clan"}


def test_identity_contradicted_is_an_error(make_body):
    rows = "gustavo-petro,kg:distinctFrom,petro,curator,,,,,,,,,,\"They differ\","
    issues = kg.validate(kg.load(make_body(append={"statements.csv": rows})), shacl=False).issues
    found = [i for i in issues if i.code == "KG210"]
    assert found and "both the same as and distinct from" in found[0].message


def test_duplicate_detection_is_not_quadratic(monkeypatch):
    """20,000 names of one family sharing common words: blocking keeps the number of name
    comparisons near linear (a quadratic pass would make 200 million)."""
    from dataclasses import dataclass, field

    import kg.check.duplicates as duplicates
    from kg.errors import Position
    from kg.ontology import load_ontology

    @dataclass
    class Entity:
        iri: URIRef
        types: tuple
        label: str
        position: Position
        description: str = ""

    @dataclass
    class Out:
        base: str
        ontology: object
        entities: dict
        claims: list = field(default_factory=list)
        merged: dict = field(default_factory=dict)

    compared = []
    near = duplicates._near
    monkeypatch.setattr(duplicates, "_near", lambda a, b: compared.append(1) or near(a, b))
    syllables = ["ka", "lo", "mi", "ra", "to", "ve", "san", "del", "ori", "ner", "qua", "zu", "bel", "cor", "tan"]
    entities = {}
    n = 20_000
    for i in range(n):
        a, b, c = syllables[i % 15], syllables[(i // 15) % 15], syllables[(i // 225) % 15]
        iri = URIRef(f"https://example.org/e{i}")
        entities[iri] = Entity(iri, (KG.Cartel,), f"{a}{b}{c}{i} Cartel Police Front", Position("e.csv", i + 2))
    twin = URIRef("https://example.org/twin")
    entities[twin] = Entity(twin, (KG.Cartel,), "kakaka0 cartel police front.", Position("e.csv", n + 2))
    typo = URIRef("https://example.org/typo")
    entities[typo] = Entity(typo, (KG.Cartel,), "lokaka1 Cartel Police Frnt", Position("e.csv", n + 3))
    found = duplicates.find_duplicates(Out("https://example.org/", load_ontology(), entities), set())
    assert [(str(d.first).rsplit("/", 1)[1], str(d.second).rsplit("/", 1)[1], d.how) for d in found] == [
        ("e0", "twin", "same name"), ("e1", "typo", "near-same name")]
    assert len(compared) < MAX_BLOCK * (n + 2), len(compared)

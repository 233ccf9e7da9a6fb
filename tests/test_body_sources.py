"""Sources are first-class (issue 14, item 1): outlet, publication date with its precision,
language, address, kind and derivation, the registered hash of the text; and relative times
anchored to their source's publication date, computed by the build and kept apart."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from rdflib import Literal, URIRef

import kg
from kg.check.anchoring import anchor_interval
from kg.errors import Severity
from kg.vocab import DCTERMS, KG, SCHEMA, TIME, XSD

from conftest import MINI

BASE = "https://example.org/body/"
D = lambda local: URIRef(BASE + local)  # noqa: E731


def test_the_fixture_validates_with_its_disputes_as_the_only_warnings(body_project):
    report = kg.validate(kg.load(body_project))
    assert report.ok, report.format()
    assert {i.code for i in report.warnings} == {"KG906"}


def test_source_metadata_is_in_the_default_graph(body_built):
    article = D("meganoticias-article")
    assert body_built.value(article, KG.outlet) == D("meganoticias-mx")
    assert body_built.value(article, KG.published) == Literal("2025-08-21", datatype=XSD.date)
    assert body_built.value(article, KG.publishedPrecision) == TIME.unitDay
    assert body_built.value(article, DCTERMS.language) == Literal("es", datatype=XSD.language)
    assert str(body_built.value(article, SCHEMA.url)).startswith("https://www.meganoticias.mx/")
    assert body_built.value(article, KG.sourceKind) == KG.OriginalReport
    month = body_built.value(D("citypaper-article"), KG.published)
    assert month == Literal("2025-08", datatype=XSD.gYearMonth)
    assert body_built.value(D("citypaper-article"), KG.publishedPrecision) == TIME.unitMonth
    assert body_built.value(D("telegraph-article"), KG.published) == Literal("2025", datatype=XSD.gYear)


def test_each_kind_of_derivation_has_its_property(body_built):
    assert body_built.value(D("meganoticias"), KG.digestOf) == D("meganoticias-article")
    assert body_built.value(D("defensenews-copy"), KG.copyOf) == D("defensenews-article")
    assert body_built.value(D("defensenews-article"), KG.retellingOf) == D("io-article")
    assert body_built.value(D("newspravda-article"), KG.retellingOf) == D("io-article")
    assert body_built.value(D("meganoticias"), KG.sourceKind) == KG.Digest
    # The ontology makes each a kind of prov:wasDerivedFrom.
    onto = body_built.graph(body_built.ontology)
    from rdflib.namespace import PROV, RDFS
    for p in (KG.copyOf, KG.digestOf, KG.translationOf, KG.retellingOf):
        assert (p, RDFS.subPropertyOf, PROV.wasDerivedFrom) in onto


def test_origins_follow_the_derivation_chain(body_built):
    """The digest of a syndicated copy of Defense News, which retells Intelligence Online, counts
    as Intelligence Online; an original counts as its outlet; a curator note as nothing."""
    computed = body_built.computed
    assert body_built.value(D("defensenews"), KG.origin, computed) == D("intelligence-online")
    assert body_built.value(D("newspravda"), KG.origin, computed) == D("intelligence-online")
    assert body_built.value(D("telegraph"), KG.origin, computed) == D("the-telegraph")
    assert body_built.value(D("io-article"), KG.origin, computed) == D("intelligence-online")
    assert body_built.value(D("curator"), KG.origin, computed) is None
    # Computed values are apart from what the sources say: not in the default graph.
    assert body_built.value(D("defensenews"), KG.origin) is None


def test_a_digest_is_dated_by_its_original_and_a_retelling_by_itself(body_built):
    computed = body_built.computed
    assert body_built.value(D("meganoticias"), KG.datedBy, computed) == D("meganoticias-article")
    assert body_built.value(D("defensenews"), KG.datedBy, computed) == D("defensenews-article")
    assert body_built.value(D("io-article"), KG.datedBy, computed) is None  # its date is unknown


def test_quotes_carry_their_source_language_and_a_translation_is_the_curators(body_built):
    from kg.property_graph import claims

    found = [c.evidence for c in claims(body_built) if "12 policías murieron" in c.evidence.quote
             and c.predicate == f"<{KG.killed}>"]
    assert len(found) == 1
    evidence = found[0]
    assert evidence.quote_language == "es"
    assert evidence.translation == "confirmed on Thursday afternoon that 12 police officers died"
    claim = URIRef(evidence.claim)
    quote = body_built.value(claim, KG.quote, body_built.provenance)
    assert quote == Literal("confirmó el jueves por la tarde que 12 policías murieron", lang="es")
    translation = body_built.value(claim, KG.quoteTranslation, body_built.provenance)
    assert translation.language == "en"
    onto = body_built.graph(body_built.ontology)
    from rdflib.namespace import SKOS
    assert "never the source's" in str(onto.value(KG.quoteTranslation, SKOS.definition))


# --- relative times ----------------------------------------------------------------------------

@pytest.mark.parametrize("words, published, precision, expected", [
    ("last week", "2025-08-21", "day", ("2025-08-11", "2025-08-17", "week")),
    ("la semana pasada", "2025-08-21", "day", ("2025-08-11", "2025-08-17", "week")),
    ("on Thursday", "2025-08-21", "day", ("2025-08-21", "2025-08-21", "day")),  # the day itself
    ("el jueves por la tarde", "2025-08-21", "day", ("2025-08-21", "2025-08-21", "day")),
    ("on Tuesday", "2025-07-29", "day", ("2025-07-29", "2025-07-29", "day")),
    ("last Thursday", "2025-08-21", "day", ("2025-08-14", "2025-08-14", "day")),
    ("yesterday", "2025-08-21", "day", ("2025-08-20", "2025-08-20", "day")),
    ("in July", "2025-08-01", "month", ("2025-07-01", "2025-07-31", "month")),
    ("in September", "2025-08-01", "month", ("2024-09-01", "2024-09-30", "month")),  # the last one before
    ("last month", "2025-08-01", "month", ("2025-07-01", "2025-07-31", "month")),
    ("last year", "2025-01-01", "year", ("2024-01-01", "2024-12-31", "year")),
    ("over the past year", "2025-08-21", "day", ("2024-08-21", "2025-08-21", "year")),
    ("the last three or four months", "2025-08-21", "day", ("2025-04-21", "2025-08-21", "month")),
    ("hace dos semanas", "2025-08-21", "day", ("2025-08-04", "2025-08-10", "week")),
    ("this year", "2025-08-21", "day", ("2025-01-01", "2025-08-21", "year")),  # never after publication
])
def test_relative_wordings_become_intervals(words, published, precision, expected):
    got = anchor_interval(words, dt.date.fromisoformat(published), precision)
    assert (got.start.isoformat(), got.end.isoformat(), got.unit) == expected


@pytest.mark.parametrize("words, published, precision", [
    ("on Thursday", "2025-08-01", "month"),  # which Thursday of August?
    ("last week", "2025-01-01", "year"),
    ("in July", "2025-01-01", "year"),  # July 2025 or 2024?
    ("recently", "2025-08-21", "day"),
    ("in recent months", "2025-08-21", "day"),
])
def test_wordings_too_vague_or_dates_too_coarse_stay_relative(words, published, precision):
    assert anchor_interval(words, dt.date.fromisoformat(published), precision) is None


def test_relative_times_are_anchored_by_the_build_and_show_their_anchor(body_built):
    computed = body_built.computed
    thursday = D("megan-thursday")  # "el jueves por la tarde" in the digest of Meganoticias (2025-08-21)
    assert body_built.value(thursday, KG.anchoredStart, computed) == Literal("2025-08-21", datatype=XSD.date)
    assert body_built.value(thursday, KG.anchoredEnd, computed) == Literal("2025-08-21", datatype=XSD.date)
    assert body_built.value(thursday, KG.anchoredPrecision, computed) == TIME.unitDay
    assert body_built.value(thursday, KG.anchorSource, computed) == D("meganoticias-article")
    assert body_built.value(thursday, KG.anchorDate, computed) == Literal("2025-08-21", datatype=XSD.date)
    # The City Paper is known only to the month: "on Thursday" stays relative, its anchor shown.
    city = D("citypaper-thursday")
    assert body_built.value(city, KG.anchoredStart, computed) is None
    assert body_built.value(city, KG.anchorSource, computed) == D("citypaper-article")
    assert body_built.value(city, KG.anchorDate, computed) == Literal("2025-08", datatype=XSD.gYearMonth)
    # Nothing computed is in the default graph, where the text's words are.
    assert body_built.value(thursday, KG.anchoredStart) is None
    assert body_built.value(thursday, KG.expressionText) == Literal("el jueves por la tarde")


def test_the_view_shows_the_anchor_and_the_interval(body_built):
    from kg.property_graph import graph_view

    nodes = graph_view(body_built).nodes
    thursday = nodes[BASE + "megan-thursday"].properties
    assert thursday["anchored start"] == ["2025-08-21"] and thursday["anchored end"] == ["2025-08-21"]
    assert thursday["anchored to"] == ["Meganoticias: attack on a helicopter in Antioquia leaves 12 police dead"]
    last_week = nodes[BASE + "telegraph-last-week"].properties
    assert "anchored start" not in last_week and last_week["anchor date"] == ["2025"]


def test_last_week_of_a_report_published_on_a_day_is_that_week(make_dataset):
    sources = ("id,type,label,text_file,sha256,outlet,published,language,url,kind,derived_from,note\n"
               "rep,kg:NewsReport,Mini report,mini-report.txt,,,2024-05-16,en,,,,\n"
               "cur,kg:CuratorNote,Curator notes,,,,,,,,,\n")
    built = kg.build(kg.load(kg.open_project(make_dataset({"sources.csv": sources}))))
    week = URIRef("https://example.org/mini/lastweek")
    assert built.value(week, KG.anchoredStart, built.computed) == Literal("2024-05-06", datatype=XSD.date)
    assert built.value(week, KG.anchoredEnd, built.computed) == Literal("2024-05-12", datatype=XSD.date)
    assert built.value(week, KG.anchoredPrecision, built.computed) == TIME.unitWeek


def test_the_mini_report_has_no_date_so_last_week_stays_relative(make_dataset):
    built = kg.build(kg.load(kg.open_project(MINI)))
    week = URIRef("https://example.org/mini/lastweek")
    assert built.value(week, KG.anchoredStart, built.computed) is None
    assert built.value(week, KG.relativeTo) == URIRef("https://example.org/mini/rep")


# --- the loader and the checks ------------------------------------------------------------------

def test_old_sources_columns_are_read_as_the_new_ones(make_dataset):
    sources = ("id,type,label,text_file,publisher,publication_date,note\n"
               "rep,kg:NewsReport,Mini report,mini-report.txt,ecx,2024-05-16,\n"
               "cur,kg:CuratorNote,Curator notes,,,,\n")
    records = kg.load(kg.open_project(make_dataset({"sources.csv": sources})))
    assert records.sources[0].outlet == "ecx" and records.sources[0].published == "2024-05-16"
    report = kg.validate(records)
    # The old publisher column names an entity now; a cartel is a kind of organisation.
    assert report.ok, report.format()


def test_an_outlet_given_as_text_is_an_undeclared_entity(make_dataset):
    sources = ("id,type,label,text_file,publisher,publication_date,note\n"
               "rep,kg:NewsReport,Mini report,mini-report.txt,Daily Express,,\n"
               "cur,kg:CuratorNote,Curator notes,,,,\n")
    issues = kg.validate(kg.load(kg.open_project(make_dataset({"sources.csv": sources})))).issues
    found = [i for i in issues if i.code == "KG205"]
    assert found and found[0].position.line == 2 and "Daily Express" in found[0].message


def test_an_outlet_must_be_an_organisation(make_dataset):
    sources = ("id,type,label,text_file,sha256,outlet,published,language,url,kind,derived_from,note\n"
               "rep,kg:NewsReport,Mini report,mini-report.txt,,roe,,,,,,\n"
               "cur,kg:CuratorNote,Curator notes,,,,,,,,,\n")
    issues = kg.validate(kg.load(kg.open_project(make_dataset({"sources.csv": sources})))).issues
    assert any(i.code == "KG307" and "not an organisation" in i.message and i.position.line == 2 for i in issues)


@pytest.mark.parametrize("cells, message", [
    ({"language": "english language"}, "BCP 47"),
    ({"url": "www.example.org/x"}, "http(s) address"),
    ({"sha256": "abc"}, "64 hexadecimal"),
    ({"kind": "blog"}, "unknown source kind"),
    ({"derived_from": "cur"}, "but the kind is"),
    ({"kind": "retelling", "derived_from": "nowhere"}, "'nowhere' is not a source"),
    ({"kind": "syndicated-copy", "derived_from": "rep"}, "derives from itself"),
])
def test_bad_source_metadata_is_kg306_at_its_row(make_dataset, cells, message):
    row = {"sha256": "", "outlet": "", "published": "", "language": "", "url": "", "kind": "", "derived_from": ""}
    row.update(cells)
    sources = ("id,type,label,text_file,sha256,outlet,published,language,url,kind,derived_from,note\n"
               f"rep,kg:NewsReport,Mini report,mini-report.txt,{row['sha256']},{row['outlet']},{row['published']},"
               f"{row['language']},{row['url']},{row['kind']},{row['derived_from']},\n"
               "cur,kg:CuratorNote,Curator notes,,,,,,,,,\n")
    issues = kg.validate(kg.load(kg.open_project(make_dataset({"sources.csv": sources}))), shacl=False).issues
    found = [i for i in issues if i.code == "KG307"]
    assert found and found[0].position.line == 2 and message in found[0].message, [i.format() for i in issues]


def test_a_derivation_circle_is_refused(make_body):
    text = (make_body().data_dir / "sources.csv").read_text(encoding="utf-8")
    text = text.replace("io-article,kg:NewsReport,Intelligence Online's report on cartel members in the "
                        "International Legion,,,intelligence-online,,en,,original,,",
                        "io-article,kg:NewsReport,Intelligence Online's report on cartel members in the "
                        "International Legion,,,intelligence-online,,en,,retelling,newspravda,")
    issues = kg.validate(kg.load(make_body({"sources.csv": text})), shacl=False).issues
    assert any(i.code == "KG307" and "circle" in i.message for i in issues), [i.format() for i in issues]


def test_a_registered_hash_that_matches_gives_no_warning_and_a_changed_text_does(make_dataset):
    data = make_dataset()
    digest = hashlib.sha256((data / "sources" / "mini-report.txt").read_bytes()).hexdigest()
    sources = ("id,type,label,text_file,sha256,outlet,published,language,url,kind,derived_from,note\n"
               f"rep,kg:NewsReport,Mini report,mini-report.txt,{digest},,,en,,,,\n"
               "cur,kg:CuratorNote,Curator notes,,,,,,,,,\n")
    (data / "sources.csv").write_text(sources, encoding="utf-8")
    assert not [i for i in kg.validate(kg.load(kg.open_project(data))).issues if i.code == "KG905"]
    with open(data / "sources" / "mini-report.txt", "a", encoding="utf-8") as handle:
        handle.write("A sentence added later.\n")
    changed = [i for i in kg.validate(kg.load(kg.open_project(data))).issues if i.code == "KG905"]
    assert changed and changed[0].severity is Severity.WARNING and changed[0].position.line == 2
    assert kg.build(kg.load(kg.open_project(data))).value(
        URIRef("https://example.org/mini/rep"), KG.textSha256) == Literal(digest)


def test_exports_give_an_anchored_time_flagged_computed(body_built, tmp_path):
    import csv
    import io

    from kg.export import write_export

    write_export(body_built, "csv", tmp_path / "csv")
    events = {r["event_id"]: r for r in csv.DictReader(io.StringIO(
        (tmp_path / "csv" / "events.csv").read_text(encoding="utf-8-sig")))}
    confirmation = events["petro-confirms-12"]  # "el jueves por la tarde", Meganoticias of 2025-08-21
    assert (confirmation["time_start"], confirmation["time_end"], confirmation["time_computed"]) == (
        "2025-08-21", "2025-08-21", "true")
    assert confirmation["event_date"] == "" and confirmation["time_text"] == "el jueves por la tarde"
    assert events["io-first-report"]["time_start"] == "" and events["io-first-report"]["time_computed"] == "false"

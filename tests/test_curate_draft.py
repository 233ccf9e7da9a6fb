"""kg draft: sentences, mentions, numbers, times, speakers and the candidate rows, on English and
Spanish reporting of the same events (../shared/sources) and on small texts made for one rule."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.curate.draft import draft_source, draft_text, dump_draft
from kg.curate.known import known_of
from kg.curate.mentions import Gazetteer, find_mentions
from kg.curate.numbers import find_numbers
from kg.curate.sentences import split_sentences
from kg.curate.times import find_times
from kg.text import normalise_quote


@pytest.fixture(scope="module")
def project(shared_sources) -> kg.Project:
    return kg.open_project(sources=[shared_sources])


@pytest.fixture(scope="module")
def known(project):
    return known_of(project)


@pytest.fixture(scope="module")
def first_report(tmp_path_factory, shared_sources) -> kg.Project:
    """The bundled dataset as it was before the digests were curated: a copy of data/ without the
    digests' entity and statement tables, so the names only the digests give are new to it."""
    copy = tmp_path_factory.mktemp("first-report") / "data"
    shutil.copytree(kg.open_project().data_dir, copy)
    for table in ("entities-digests.csv", "statements-digests.csv"):
        (copy / table).unlink()
    return kg.open_project(copy, sources=[shared_sources])


@pytest.fixture(scope="module")
def first_known(first_report):
    return known_of(first_report)


def test_sentences_split_english_and_spanish_at_stops_not_abbreviations():
    text = ('At about 2:50 p.m. on Thursday the Colombian Air Force said "it was terror." Dr. Roe agreed.\n'
            "Según el ministro de Defensa, Pedro Sánchez, los responsables fueron disidentes. Horas después estalló.")
    assert [s.text for s in split_sentences(text)] == [
        'At about 2:50 p.m. on Thursday the Colombian Air Force said "it was terror."', "Dr. Roe agreed.",
        "Según el ministro de Defensa, Pedro Sánchez, los responsables fueron disidentes.", "Horas después estalló."]
    assert all(text[s.start:s.end] == s.text for s in split_sentences(text))


@pytest.mark.parametrize("written, entity", [
    ("Gustavo Petro", "petro"), ("GUSTAVO PETRO", "petro"), ("gustavo petro", "petro"),
    ("Medellin", "medellin"), ("Medellín", "medellin"), ("Marcinak", "marciniak"), ("Marciniak", "marciniak"),
    ("Claudia Sheinbuam", "sheinbaum"), ("Cartel de Jalisco Nueva Generacion", "cjng"), ("El Chapo", "el-chapo"),
    ("Estado Mayor Central", "emc"),
])
def test_known_entities_are_found_whatever_the_case_accents_and_small_typos(known, written, entity):
    text = f"Yesterday {written} spoke in public."
    mentions, _ = find_mentions(text, split_sentences(text), Gazetteer.from_known(known), taken_ids=known.ids)
    assert [(m.text, m.entity) for m in mentions if m.known] == [(written, entity)]


def test_a_shared_name_is_reported_with_its_candidates_and_linked_to_neither(known):
    text = "Then the police arrived."
    mentions, _ = find_mentions(text, split_sentences(text), Gazetteer.from_known(known), taken_ids=known.ids)
    police = [m for m in mentions if m.text == "police"]
    assert police and police[0].entity == ""
    assert set(police[0].candidates) == {"medellin-helicopter-police", "farc-strike-police"}


def test_new_names_become_candidates_with_an_id_a_class_and_their_aliases(first_known, known):
    text = ("Defence Minister Pedro Sánchez instead blamed the Gulf Clan. The group was led by Alexander Díaz "
            'Mendoza, known as "Calarcá Córdoba", near Amalfi.')
    # Against the first report alone, the digest's names are new: candidates with an id, a class, aliases.
    _, new = find_mentions(text, split_sentences(text), Gazetteer.from_known(first_known), taken_ids=first_known.ids)
    found = {n.label: (n.id, n.type) for n in new}
    assert found["Pedro Sánchez"] == ("pedro-sanchez", "kg:Person")
    assert found["Gulf Clan"] == ("gulf-clan", "kg:Cartel")
    assert found["Amalfi"][1] == "kg:Place"
    mendoza = next(n for n in new if n.label == "Alexander Díaz Mendoza")
    assert [a for a, _, _ in mendoza.aliases] == ["Calarcá Córdoba"]
    # Once the digests are curated, the same names are the known entities, never proposed again.
    mentions, new = find_mentions(text, split_sentences(text), Gazetteer.from_known(known), taken_ids=known.ids)
    linked = {m.text: m.entity for m in mentions if m.known}
    assert {linked.get(name) for name in ("Pedro Sánchez", "Gulf Clan", "Amalfi", "Alexander Díaz Mendoza")} \
        == {"sanchez", "gulf-clan", "amalfi", "calarca"}
    assert not {n.label for n in new} & {"Pedro Sánchez", "Gulf Clan", "Amalfi", "Alexander Díaz Mendoza"}


@pytest.mark.parametrize("text, language, expected", [
    ("At least 18 people were killed and dozens wounded in two separate attacks",
     "en", [(18, "kg:AtLeast", "kg:killed"), (None, "kg:Vague", "kg:wounded"), (2, "kg:Exact", "kg:count")]),
    ("La explosión dejó al menos ocho muertos y decenas de heridos", "es",
     [(8, "kg:AtLeast", "kg:killed"), (None, "kg:Vague", "kg:wounded")]),
    ("Thirteen police officers on board died.", "en", [(13, "kg:Exact", "kg:killed")]),
    ("more than 70 injured, up to 5 dead and about 20 missing", "en",
     [(70, "kg:AtLeast", "kg:wounded"), (5, "kg:AtMost", "kg:killed"), (20, "kg:Approximately", "")]),
    ("a UH-60 Black Hawk of the 36th Front fell on 21 August 2025 at 2:50, in 2024, costing $400", "en", []),
    ("y murieron 12 uniformados el jueves 21 de agosto", "es", [(12, "kg:Exact", "kg:killed")]),
])
def test_numbers_with_their_bounds_and_what_they_count(text, language, expected):
    assert [(n.value, n.qualifier, n.prop) for n in find_numbers(text, language)] == expected


def test_times_are_anchored_to_the_publication_date_only_when_it_is_known():
    text = "Two attacks last week, one on Thursday and one in March 2024; more later."
    unanchored = {t.text: (t.kind, t.unit, t.value, t.interval) for t in find_times(text, "en")}
    assert unanchored == {"last week": ("relative", "week", "", None), "on Thursday": ("relative", "day", "", None),
                          "in March 2024": ("absolute", "month", "2024-03", ("2024-03-01", "2024-03-31")),
                          "later": ("relative", "unspecified", "", None)}
    anchored = {t.text: (t.value, t.interval) for t in find_times(text, "en", published="2025-08-21")}
    assert anchored["last week"] == ("", ("2025-08-11", "2025-08-17"))
    assert anchored["on Thursday"] == ("2025-08-21", ("2025-08-21", "2025-08-21"))  # a Thursday paper: that day
    es = {t.text: (t.unit, t.value) for t in find_times("sufrió el jueves 21 de agosto dos atentados; la semana "
                                                        "pasada, ayer y hace dos días", "es", published="2025-08-22")}
    assert es == {"el jueves 21 de agosto": ("day", "2025-08-21"), "la semana pasada": ("week", ""),
                  "ayer": ("day", "2025-08-21"), "hace dos días": ("day", "")}


def test_times_do_not_depend_on_the_machine_clock_or_locale(monkeypatch):
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    found = [(t.text, t.value) for t in find_times("el jueves 21 de agosto", "es", published="2025-08-21")]
    assert found == [("el jueves 21 de agosto", "2025-08-21")]
    assert [t.value for t in find_times("on 21 August", "en")] == [""]  # no year, no anchor: not completed


def _rows(draft, table="statements"):
    return [r.cells for r in draft.rows if r.table == table]


def test_a_spanish_digest_is_drafted_with_speakers_blame_and_anchored_dates(first_report, first_known, project,
                                                                            known, shared_sources):
    # Drafted as it was first curated: against the first report alone, where its speaker is a new name.
    text = (shared_sources / "amalfi-cali-localnewswave-es.txt").read_text(encoding="utf-8")
    draft = draft_text(first_report, first_known, "lnw", text, language="es", published="2025-08-21")
    entities = {r["id"]: r for r in _rows(draft, "entities")}
    assert entities["pedro-sanchez"]["type"] == "kg:Person"
    statements = _rows(draft)
    blame = [r for r in statements if r["predicate"] == "kg:perpetrator"]
    assert blame and all(r["claimant"] == "pedro-sanchez" and r["modality"] == "allegation" for r in blame)
    # One row per figure, its bound in the same row ("al menos ocho muertos": at least 8).
    killed = {(r["object"], r.get("bound", "")) for r in statements if r["predicate"] == "kg:killed"}
    assert {("12", ""), ("8", "at-least")} <= killed
    dates = {(r["predicate"], r["object"]) for r in statements if r["predicate"] in ("kg:date", "time:unitType")}
    assert ("kg:date", "2025-08-21") in dates and ("time:unitType", "time:unitDay") in dates
    # Against the bundled dataset, which holds the digests, the speaker and the blamed group are matched.
    curated = draft_text(project, known, "lnw", text, language="es", published="2025-08-21")
    blame = [r.cells for r in curated.rows if r.cells.get("predicate") == "kg:perpetrator"]
    assert [(r["claimant"], r["object"], r["modality"]) for r in blame] == [("sanchez", "calarca-cartel", "allegation")]


def test_claimants_and_hedges_in_the_report(project, known, shared_sources):
    text = (shared_sources / "cartel-drones-ukraine.txt").read_text(encoding="utf-8")
    draft = draft_text(project, known, "report", text)
    speakers = {a.sentence: (a.claimant, a.inherited) for a in draft.attributions}
    assert speakers[4] == ("marciniak", False)  # "Alexander Marciniak, a ... analyst for ..., said"
    assert speakers[6] == ("marciniak", True)   # the next sentence of his quotation
    assert speakers[16] == ("aguirre", False)   # '," said Chihuahua police chief of staff Luis Aguirre'
    assert speakers[23] == ("marciniak", True)  # a quotation carried on into a new paragraph
    modalities = {c.modality for c in draft.attributions[24].clauses}
    assert modalities == {"forecast"}  # "I wouldn't be surprised if"
    petro = draft.attributions[11].clauses
    assert [c.modality for c in petro] == ["reported-fact", "allegation"]  # "..., describing ... the work of EMC"


def test_every_drafted_quote_is_verbatim_in_the_text(project, known, shared_sources):
    for path in sorted(shared_sources.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        draft = draft_text(project, known, "src", text)
        assert draft.dropped == 0
        for row in draft.rows:
            quote = row.cells.get("quote", "")
            assert quote and normalise_quote(quote) in normalise_quote(text), (path.name, row)
            assert text[row.span[0]:row.span[1]]


def test_drafts_go_to_drafts_never_to_the_tables_and_are_deterministic(tmp_path, shared_sources):
    data = tmp_path / "data"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(data), "-q"]).exit_code == 0
    shutil.copy(shared_sources / "cali-bno-en.txt", tmp_path / "bno.txt")
    result = runner.invoke(main, ["add-source", str(tmp_path / "bno.txt"), "--data", str(data), "--id", "bno",
                                  "--published", "2025-08", "-q"])
    assert result.exit_code == 0, result.output
    tables = {p.name: p.read_bytes() for p in data.glob("*.csv")}
    result = runner.invoke(main, ["draft", "bno", "--data", str(data)])
    assert result.exit_code == 0, result.output
    first = (data / "drafts" / "bno.json").read_bytes()
    assert {p.name: p.read_bytes() for p in data.glob("*.csv")} == tables
    draft = json.loads(first)
    assert draft["source"]["id"] == "bno" and draft["rows"]
    assert {r["status"] for r in draft["rows"]} == {"pending"}
    assert runner.invoke(main, ["draft", "bno", "--data", str(data), "-q"]).exit_code == 0
    assert (data / "drafts" / "bno.json").read_bytes() == first
    assert dump_draft(draft_source(kg.open_project(data), "bno")) == first


def test_reviewed_drafts_are_not_overwritten(tmp_path, make_dataset):
    data = make_dataset()
    runner = CliRunner()
    assert runner.invoke(main, ["draft", "rep", "--data", str(data), "-q"]).exit_code == 0
    path = data / "drafts" / "rep.json"
    draft = json.loads(path.read_text(encoding="utf-8"))
    draft["rows"][0]["status"] = "accepted"
    path.write_text(json.dumps(draft), encoding="utf-8")
    result = runner.invoke(main, ["draft", "rep", "--data", str(data)])
    assert result.exit_code == 2 and "--replace" in result.stderr
    assert json.loads(path.read_text(encoding="utf-8"))["rows"][0]["status"] == "accepted"
    assert runner.invoke(main, ["draft", "rep", "--data", str(data), "--replace", "-q"]).exit_code == 0


def test_an_unknown_source_gets_a_suggestion(make_dataset):
    result = CliRunner().invoke(main, ["draft", "repp", "--data", str(make_dataset())])
    assert result.exit_code == 2 and "did you mean 'rep'?" in result.stderr


def test_a_spacy_pipeline_is_optional(make_dataset):
    import importlib.util

    if importlib.util.find_spec("spacy") is not None:
        pytest.skip("spaCy is installed here: the message for its absence cannot be shown")
    result = CliRunner().invoke(main, ["draft", "rep", "--data", str(make_dataset()), "--spacy", "en_core_web_sm"])
    assert result.exit_code == 2 and "spaCy" in result.stderr

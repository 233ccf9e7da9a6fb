"""Validation that helps (issue 15, item 5): did-you-mean, every error of a row, KG303's nearest
passage, typographic quotes, semicolons, and -p / --focus values that name nothing."""

from __future__ import annotations

from click.testing import CliRunner

import kg
from kg.cli import main

STATEMENTS = "subject,predicate,object,source,quote,claimant,modality,reliability,credibility,via,note\n"


def _validate(data):
    return CliRunner().invoke(main, ["validate", "--data", str(data), "--no-shacl"])


def test_a_misspelt_property_class_and_source_get_suggestions(make_dataset):
    data = make_dataset(append={
        "statements.csv": "attack,kg:perpetrater,ecx,rep,the attack was the work of ECX,roe,allegation,C,3,,",
        "entities.csv": "ambush,kg:Evnt,An ambush,,rep,last week,,,F,3,",
    })
    result = _validate(data)
    assert result.exit_code == 1
    assert "unknown property 'kg:perpetrater' (did you mean 'kg:perpetrator'?)" in result.output
    assert "unknown class 'kg:Evnt' (did you mean 'kg:Event'?)" in result.output


def test_every_error_of_a_row_is_reported_on_its_line(make_dataset):
    data = make_dataset(append={"statements.csv": "Jane Roe,kg:rol,Governor,repp,no such words,,alegation,Z,3,,"})
    result = _validate(data)
    line = len((data / "statements.csv").read_text(encoding="utf-8").splitlines())
    mine = [ln for ln in result.output.splitlines() if ln.startswith(f"{data}/statements.csv:{line}:")
            or f"statements.csv:{line}:" in ln]
    codes = sorted(ln.split("error[", 1)[1][:5] for ln in mine)
    assert codes == ["KG103", "KG202", "KG301", "KG304", "KG304"], result.output
    assert "did you mean 'kg:role'?" in result.output
    assert "unknown source 'repp' (did you mean 'rep'?)" in result.output
    assert "bad modality 'alegation' (did you mean 'allegation'?)" in result.output


def test_a_label_given_where_an_id_is_expected_is_named(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:perpetrator,Example Cartel,rep,the work of ECX,,,F,3,,"})
    result = _validate(data)
    assert "fix: 'Example Cartel' is the label or an alias of 'ecx'; write the id" in result.output
    data = make_dataset(append={"statements.csv": "attack,kg:perpetrator,ECX,rep,the work of ECX,,,F,3,,"})
    result = _validate(data)
    assert "'ECX' is the label or an alias of 'ecx'; write the id" in result.output
    data = make_dataset(append={"statements.csv": "attack,kg:perpetrator,exc,rep,the work of ECX,,,F,3,,"})
    assert "did you mean 'ecx'?" in _validate(data).output


def test_kg303_shows_the_nearest_passage(make_dataset):
    data = make_dataset(append={"statements.csv": "attack,kg:killed,2,rep,killing two officers,,,F,3,,"})
    result = _validate(data)
    assert "error[KG303]" in result.output
    fix = next(ln for ln in result.output.splitlines() if "fix: the nearest passage of the text is" in ln)
    assert "killing 2 officers" in fix


def test_typographic_quotes_dashes_and_spaces_match_while_the_quote_stays_verbatim(make_dataset, tmp_path):
    text = ("The Example Cartel, known as ECX, flew a drone into a police station in Springfield last week, "
            "killing 2 officers.\nGovernor Jane Roe said the attack was the work of ECX.\n"
            "She said: \"we won't stop\" - twice.\n")
    quote = "She said: \u201cwe won\u2019t stop\u201d\u00a0\u2014 twice"
    data = make_dataset(files={"sources/mini-report.txt": text},
                        append={"statements.csv": f"roe,kg:role,speaker,rep,{quote},,,F,3,,"})
    assert _validate(data).exit_code == 0, _validate(data).output
    claims = kg.resolve(kg.load(kg.open_project(data))).claims
    assert [c.quote for c in claims if str(c.o) == "speaker"] == [
        "She said: \u201cwe won\u2019t stop\u201d \u2014 twice"]
    wrong = make_dataset(files={"sources/mini-report.txt": text},
                         append={"statements.csv": "roe,kg:role,speaker,rep,"
                                                   "She said: \u201cwe will stop\u201d,,,F,3,,"})
    assert "error[KG303]" in _validate(wrong).output


def test_a_semicolon_separated_table_is_told_to_use_commas(make_dataset):
    data = make_dataset(files={"statements.csv": STATEMENTS.replace(",", ";")})
    result = _validate(data)
    assert result.exit_code == 2 and "separated by semicolons: use commas" in result.output


def test_query_values_and_saved_questions_get_suggestions(make_dataset):
    data = make_dataset()
    runner = CliRunner()
    typo = runner.invoke(main, ["query", "event-in-place", "--data", str(data)])
    assert typo.exit_code == 2 and "did you mean 'events-in-place'?" in typo.output
    nothing = runner.invoke(main, ["query", "events-in-place", "--data", str(data), "-p", "place=Springfeld"])
    assert nothing.exit_code == 2 and "names nothing in the data (did you mean" in nothing.output
    assert "Springfield" in nothing.output or "springfield" in nothing.output
    by_name = runner.invoke(main, ["query", "events-in-place", "--data", str(data), "-p", "place=Springfield",
                                   "--format", "csv"])
    assert by_name.exit_code == 0 and "attack" in by_name.output


def test_focus_gets_suggestions(make_dataset, tmp_path):
    result = CliRunner().invoke(main, ["view", "--data", str(make_dataset()), "--focus", "Exampel Cartel",
                                       "--out", str(tmp_path / "v.html")])
    assert result.exit_code == 2 and "did you mean 'Example Cartel'?" in result.output

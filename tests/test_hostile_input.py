"""Hostile input: whatever bytes a data file holds, kg answers with a clean kg error carrying
file:line, or succeeds; it never crashes with another exception, never hangs, never reaches
the network, and never expands XML entities."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg

from conftest import MINI

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def outcome(data) -> str:
    """'ok', 'invalid' or 'load-error'; anything else raises and fails the test.

    The data goes through the whole pipeline: the record checks, SHACL, the build, every RDF
    writer (each output read back), the property-graph view and every export."""
    start = time.monotonic()
    try:
        records = kg.load(kg.open_project(data))
        report = kg.validate(records)
        for issue in report.issues:
            assert issue.position.file and issue.code in kg.errors.CODES
        if report.ok:
            _through_every_writer(kg.build(records))
        return "ok" if report.ok else "invalid"
    except kg.LoadError as exc:
        for issue in exc.issues:
            assert issue.code in ("KG101", "KG102", "KG103", "KG104") and issue.position.file
        return "load-error"
    finally:
        assert time.monotonic() - start < 60, "a loader must not hang"


def _through_every_writer(built: kg.Built) -> None:
    from rdflib import Dataset, Graph

    from kg.export import EXPORTS, dump_export
    from kg.property_graph import graph_view

    for name, fmt in kg.FORMATS.items():
        data = kg.dump(built, name)
        (Dataset() if fmt.dataset else Graph()).parse(data=data, format=fmt.rdflib_name)
    for name in EXPORTS:
        dump_export(built, name)
    graph_view(built)


@FAST
@given(raw=st.binary(max_size=2000))
def test_any_bytes_as_a_statements_table(make_dataset, raw):
    data = make_dataset()
    (data / "statements.csv").write_bytes(raw)
    outcome(data)


@FAST
@given(cells=st.lists(st.text(max_size=40), min_size=1, max_size=14))
def test_any_row_appended_to_a_table(make_dataset, cells):
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    data = make_dataset(append={"statements.csv": buffer.getvalue()})
    result = outcome(data)
    if result == "invalid":
        report = kg.validate(kg.load(kg.open_project(data)), shacl=False)
        assert all(i.position.line >= 16 for i in report.errors), report.format()


@FAST
@given(raw=st.binary(max_size=1500), suffix=st.sampled_from([".ttl", ".nt", ".jsonld", ".rdf"]))
def test_any_bytes_as_an_rdf_file(make_dataset, raw, suffix):
    data = make_dataset()
    (data / f"input{suffix}").write_bytes(raw)
    outcome(data)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_in_a_turtle_literal(make_dataset, text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    turtle = ('@prefix kg: <https://w3id.org/osint-kg/ontology#> .\n'
              f'<https://example.org/mini/attack> kg:status "{escaped}" .\n')
    data = make_dataset({"more.ttl": turtle})
    assert outcome(data) in ("ok", "load-error")


def test_byte_order_mark_is_accepted(make_dataset):
    data = make_dataset()
    path = data / "statements.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert outcome(data) == "ok"


def test_nul_byte_is_a_clean_error(make_dataset):
    data = make_dataset()
    path = data / "entities.csv"
    path.write_bytes(path.read_bytes().replace(b"Springfield", b"Spring\x00field", 1))
    with pytest.raises(kg.LoadError) as info:
        kg.load(kg.open_project(data))
    assert info.value.issues[0].code == "KG101" and info.value.issues[0].position.line == 3


def test_enormous_cell_is_a_clean_error(make_dataset):
    data = make_dataset(append={"statements.csv": f'attack,kg:note,"{"x" * 300_000}",rep,q,,,,,,'})
    with pytest.raises(kg.LoadError) as info:
        kg.load(kg.open_project(data))
    assert info.value.issues[0].position.line == 16


def test_deeply_nested_jsonld_is_a_clean_error(make_dataset):
    data = make_dataset({"deep.jsonld": "[" * 50_000 + "]" * 50_000})
    assert outcome(data) == "load-error"


def test_xml_external_entity_is_refused(make_dataset):
    xml = ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n'
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:kg="https://w3id.org/osint-kg/ontology#">'
           '<rdf:Description rdf:about="https://example.org/mini/attack"><kg:status>&ext;</kg:status>'
           '</rdf:Description></rdf:RDF>\n')
    with pytest.raises(kg.LoadError) as info:
        kg.load(kg.open_project(make_dataset({"x.rdf": xml})))
    issue = info.value.issues[0]
    assert issue.code == "KG101" and issue.position.line == 2 and "DOCTYPE" in issue.message


def test_xml_entity_expansion_bomb_is_refused(make_dataset):
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    xml = (f'<?xml version="1.0"?>\n<!DOCTYPE r [{entities}]>\n'
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://a">'
           '<rdf:value>&l9;</rdf:value></rdf:Description></rdf:RDF>\n')
    start = time.monotonic()
    with pytest.raises(kg.LoadError):
        kg.load(kg.open_project(make_dataset({"bomb.rdf": xml})))
    assert time.monotonic() - start < 5


def test_jsonld_remote_context_is_never_fetched(make_dataset):
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(3)
    port = server.getsockname()[1]
    hits = []

    def accept():
        try:
            conn, _ = server.accept()
            hits.append(conn)
            conn.close()
        except OSError:
            pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    doc = {"@context": f"http://127.0.0.1:{port}/context.jsonld",
           "@id": "https://example.org/mini/attack", "status": "x"}
    with pytest.raises(kg.LoadError) as info:
        kg.load(kg.open_project(make_dataset({"remote.jsonld": json.dumps(doc)})))
    assert "remote @context" in info.value.issues[0].message
    for nested in ({"@context": [{"@import": f"http://127.0.0.1:{port}/c"}]},
                   {"@graph": [{"@context": f"http://127.0.0.1:{port}/c", "@id": "http://a"}]}):
        with pytest.raises(kg.LoadError):
            kg.load(kg.open_project(make_dataset({"remote.jsonld": json.dumps(nested)})))
    server.close()
    thread.join(timeout=5)
    assert hits == [], "kg must not connect to a JSON-LD context URL"


def test_inline_jsonld_context_is_read(make_dataset):
    doc = {"@context": {"kg": "https://w3id.org/osint-kg/ontology#"},
           "@id": "https://example.org/mini/attack", "kg:status": "two officers killed"}
    assert outcome(make_dataset({"inline.jsonld": json.dumps(doc)})) == "ok"


def test_literal_not_of_its_datatype_in_turtle(make_dataset):
    turtle = ('@prefix kg: <https://w3id.org/osint-kg/ontology#> .\n'
              '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n'
              '<https://example.org/mini/springfield> kg:latitude "lots"^^xsd:decimal .\n')
    report = kg.validate(kg.load(kg.open_project(make_dataset({"bad.ttl": turtle}))), shacl=False)
    issue = [i for i in report.errors if i.code == "KG203"][0]
    assert issue.position.line == 4


def test_curie_with_a_space_or_control_character(make_dataset):
    data = make_dataset(append={"statements.csv": (
        'attack,"kg:place\tx",springfield,rep,in Springfield,,,F,3,,\n'
        'attack,kg:target,"<http://exa mple.org/x>",rep,in Springfield,,,F,3,,')})
    report = kg.validate(kg.load(kg.open_project(data)), shacl=False)
    assert sorted(i.position.line for i in report.errors if i.code == "KG103") == [16, 17]


def test_conflicting_casualty_counts_are_kept_side_by_side(make_dataset):
    text = (MINI / "sources" / "mini-report.txt").read_text(encoding="utf-8") + "Police said 3 officers died.\n"
    data = make_dataset({"sources/mini-report.txt": text},
                        append={"statements.csv": "attack,kg:killed,3,rep,Police said 3 officers died,police,,C,3,,"})
    records = kg.load(kg.open_project(data))
    assert kg.validate(records).ok
    built = kg.build(records)
    from kg.property_graph import claims
    from kg.vocab import KG

    attack = "<https://example.org/mini/attack>"
    killed = [c for c in claims(built) if c.subject == attack and c.predicate == f"<{KG.killed}>"]
    figures = {(c.object, c.evidence.claimant_label) for c in killed}
    assert figures == {("<https://example.org/mini/quantity/exact-2>", ""),
                       ("<https://example.org/mini/quantity/exact-3>", "police")}
    # Only the report's own figure is a fact; the police's stays their claim, side by side.
    facts = [o for p, o in built.pairs(attack) if p == f"<{KG.killed}>"]
    assert facts == ["<https://example.org/mini/quantity/exact-2>"]


def _peak_rss_mib(code: str) -> tuple[int, float]:
    """Run ``code`` in a fresh interpreter; its exit code and its own peak resident memory (MiB),
    which the child reports itself (RUSAGE_CHILDREN would be the largest of all children so far)."""
    import subprocess
    import sys

    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child forked from a large
    # pytest process would report the parent's size.
    code += ("\nimport re\nprint('peak-kib', re.search(r'VmHWM:\\s+(\\d+)', "
             "open('/proc/self/status').read()).group(1))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    peak = [line for line in proc.stdout.splitlines() if line.startswith("peak-kib ")]
    assert peak, proc.stdout
    return proc.returncode, int(peak[-1].split()[1]) / 1024


LOAD_AND_REPORT = """
import sys, kg
try:
    records = kg.load(kg.open_project(sys.argv[1] if len(sys.argv) > 1 else {data!r}))
    print(len(records.issues), records.issues[-1].message if records.issues else "")
except kg.LoadError as exc:
    print("load-error", exc.issues[0].code, exc.issues[0].position.line, exc.issues[0].message)
"""


def test_very_large_table_is_streamed_with_bounded_memory(make_dataset):
    data = make_dataset()
    with open(data / "statements.csv", "a", encoding="utf-8") as handle:
        chunk = "not,a,kg,row\n" * 100_000
        for _ in range(120):  # ~156 MB of malformed rows
            handle.write(chunk)
    code, peak = _peak_rss_mib(LOAD_AND_REPORT.format(data=str(data)))
    assert code == 0 and peak < 250, f"peak {peak:.0f} MiB"


def test_enormous_line_is_refused_with_bounded_memory(make_dataset):
    data = make_dataset()
    with open(data / "entities.csv", "a", encoding="utf-8") as handle:
        for _ in range(200):  # one line of 200 MB
            handle.write("x" * 1_000_000)
    code, peak = _peak_rss_mib(LOAD_AND_REPORT.format(data=str(data)))
    assert code == 0 and peak < 250, f"peak {peak:.0f} MiB"
    with pytest.raises(kg.LoadError) as info:
        kg.load(kg.open_project(data))
    assert info.value.issues[0].code == "KG101" and info.value.issues[0].position.line == 8


# --- every input format refuses what is not RDF, at its line (issue 12 item 5, issue 18 items 9-10) ---

BAD_RDF = {
    "space in a Turtle IRI": ("bad.ttl", '@prefix kg: <https://w3id.org/osint-kg/ontology#> .\n\n'
                                         '<https://example.org/mini/at tack> kg:status "x" .\n', 3),
    "control character in a Turtle IRI": ("bad.ttl", '<https://example.org/mini/\u0007x> '
                                                     '<https://w3id.org/osint-kg/ontology#status> "x" .\n', 1),
    "space in an RDF/XML IRI": ("bad.rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
                                           '22-rdf-syntax-ns#" xmlns:kg="https://w3id.org/osint-kg/ontology#">\n'
                                           '<rdf:Description rdf:about="https://example.org/mini/at tack">\n'
                                           '<kg:status>x</kg:status></rdf:Description></rdf:RDF>\n', 3),
    "invalid N-Triples escape": ("bad.nt", '<https://example.org/mini/attack> '
                                           '<https://w3id.org/osint-kg/ontology#status> "a\\qb" .\n', 1),
    "lone surrogate in N-Triples": ("bad.nt", '<https://example.org/mini/attack> '
                                              '<https://w3id.org/osint-kg/ontology#status> "\\uD800" .\n', 1),
    "lone surrogate in Turtle": ("bad.ttl", '\n<https://example.org/mini/attack> '
                                            '<https://w3id.org/osint-kg/ontology#status> "\\uDC00x" .\n', 2),
    "lone surrogate in JSON-LD": ("bad.jsonld", '{\n "@id": "https://example.org/mini/attack",\n'
                                                ' "https://w3id.org/osint-kg/ontology#status": "\\ud800"\n}\n', 3),
    "space in a JSON-LD @id": ("bad.jsonld", '{\n "@id": "https://example.org/mini/at tack",\n'
                                             ' "https://w3id.org/osint-kg/ontology#status": "x"\n}\n', 2),
}


@pytest.mark.parametrize("case", sorted(BAD_RDF))
def test_bad_rdf_is_a_kg_error_at_its_line_in_every_command(make_dataset, case, tmp_path):
    import subprocess
    import sys

    name, text, line = BAD_RDF[case]
    data = make_dataset({name: text})
    with pytest.raises(kg.LoadError) as info:
        kg.load(kg.open_project(data))
    issue = info.value.issues[0]
    assert issue.code in ("KG101", "KG103") and issue.position.file.endswith(name) and issue.position.line == line
    for command in (["validate", "--no-shacl"], ["build", "--no-shacl", "--out", str(tmp_path / "out")]):
        proc = subprocess.run([sys.executable, "-m", "kg", *command, "--data", str(data)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert f"{name}:{line}: error[{issue.code}]" in proc.stderr


def test_jsonld_nested_hundreds_deep_is_a_clean_error(make_dataset):
    doc = '{"@id": "https://example.org/mini/attack", "https://w3id.org/osint-kg/ontology#note": ' \
          + '{"@list": [' * 700 + '"x"' + ']}' * 700 + '}'
    assert outcome(make_dataset({"deep.jsonld": doc})) == "load-error"


def test_deeply_nested_turtle_is_reported_at_its_line(make_dataset):
    turtle = "\n\n<https://example.org/mini/attack> <https://w3id.org/osint-kg/ontology#note> " + "(" * 20_000
    with pytest.raises(kg.LoadError) as info:
        kg.load(kg.open_project(make_dataset({"deep.ttl": turtle})))
    assert info.value.issues[0].code == "KG101" and info.value.issues[0].position.line == 3


@pytest.mark.parametrize("suffix", [".ttl", ".rdf", ".jsonld", ".nt"])
def test_a_megabyte_word_is_read_in_linear_time(make_dataset, suffix):
    """The position scan was quadratic (one 64 KB word: 20 s; 1 MB: over 10 minutes). The load
    runs in a child process with a timeout far above the linear time (about a second)."""
    import subprocess
    import sys

    data = make_dataset({f"word{suffix}": "a" * 1_000_000 + "\n"})
    code = (f"import kg\ntry:\n    kg.load(kg.open_project({str(data)!r}))\n"
            "except kg.LoadError as e:\n    print(e.issues[0].code)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "KG101", proc.stderr


@FAST
@given(iri=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
       form=st.sampled_from(["ttl", "nt", "rdf", "jsonld"]))
def test_any_iri_in_any_rdf_syntax(make_dataset, iri, form):
    """Whatever an IRI holds, in whatever syntax, kg answers with a kg error or a valid graph
    that every writer can write and every reader can read back."""
    full = "https://example.org/mini/" + iri
    p = "https://w3id.org/osint-kg/ontology#status"
    text = {
        "ttl": f'<{full}> <{p}> "x" .\n',
        "nt": f'<{full}> <{p}> "x" .\n',
        "rdf": ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                f'<rdf:Description rdf:about="{_xml_attr(full)}"><kg:status xmlns:kg="https://w3id.org/'
                'osint-kg/ontology#">x</kg:status></rdf:Description></rdf:RDF>\n'),
        "jsonld": json.dumps({"@id": full, p: "x"}),
    }[form]
    outcome(make_dataset({f"input.{form}": text}))


def _xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def test_an_integer_of_any_length_is_a_clean_value_or_error(make_dataset, capfd):
    """Python refuses int() on more than 4,300 digits: that was a traceback."""
    for digits in ("9" * 4300, "9" * 5000, "-" + "9" * 5000):
        data = make_dataset(append={"statements.csv": f"attack,kg:count,{digits},rep,killing 2 officers,,,F,3,,"})
        result = outcome(data)
        assert "Traceback" not in capfd.readouterr().err
        if len(digits) > 4300:
            assert result == "invalid"
            report = kg.validate(kg.load(kg.open_project(data)), shacl=False)
            issue = [i for i in report.errors if i.code == "KG203"][0]
            assert issue.position.line == 16 and "characters)" in issue.message and len(issue.message) < 200


@pytest.mark.parametrize("line,problem", [
    ('base = "https://example.org/mini /"', "base"),
    ("sources_path = 42", "sources_path"),
    ('sources_path = ["sources", 7]', "sources_path"),
    ("name = 3", "name"),
])
def test_bad_settings_in_kg_toml_are_kg_errors_at_their_line(make_dataset, line, problem):
    data = make_dataset({"kg.toml": '[dataset]\nname = "mini"\nbase = "https://example.org/mini/"\n'
                                    'sources_path = ["sources"]\n'.replace(f"{problem} = ", f"old_{problem} = ")
                                    + line + "\n"})
    with pytest.raises(kg.LoadError) as info:
        kg.open_project(data)
    issue = info.value.issues[0]
    assert issue.code == "KG101" and problem in issue.message and issue.position.line == 5


def test_a_directory_without_kg_toml_is_a_usage_error(tmp_path):
    import subprocess
    import sys

    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    for command in ("validate", "build"):
        proc = subprocess.run([sys.executable, "-m", "kg", command, "--data", str(tmp_path),
                               *(["--out", str(tmp_path / "out")] if command == "build" else [])],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2 and "not a dataset directory" in proc.stderr and "kg.toml" in proc.stderr
    assert not (tmp_path / "out").exists()


# --- a dataset reads nothing outside itself (issue 18 item 4) ---

@pytest.mark.parametrize("text_file", ["/etc/passwd", "../../../../../../etc/passwd", "/proc/self/environ",
                                       "sub/../../kg.toml"])
def test_text_file_outside_the_sources_is_refused_unread(make_dataset, text_file):
    data = make_dataset()
    sources = (data / "sources.csv").read_text(encoding="utf-8").replace("mini-report.txt", text_file)
    (data / "sources.csv").write_text(sources, encoding="utf-8")
    report = kg.validate(kg.load(kg.open_project(data)), shacl=False)
    issues = [i for i in report.errors if i.code == "KG305"]
    assert issues and issues[0].position.line == 2
    assert not [i for i in report.issues if i.code == "KG303"], "no quote may be checked against that file"


def test_a_source_text_linked_out_of_the_sources_is_refused(make_dataset, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Governor Jane Roe said the attack was the work of ECX. killing 2 officers in Springfield")
    data = make_dataset()
    link = data / "sources" / "mini-report.txt"
    link.unlink()
    link.symlink_to(secret)
    report = kg.validate(kg.load(kg.open_project(data)), shacl=False)
    assert [i for i in report.errors if i.code == "KG305"]


def test_a_table_linked_out_of_the_dataset_is_refused_unread(make_dataset, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("TOP-SECRET-FIRST-LINE\n")
    data = make_dataset()
    (data / "stolen.csv").symlink_to(secret)
    with pytest.raises(kg.LoadError) as info:
        kg.load(kg.open_project(data))
    assert info.value.issues[0].code == "KG101" and "symbolic link" in info.value.issues[0].message
    assert "TOP-SECRET" not in str(info.value)


# --- data may not change the ontology (issue 18 item 6) ---

@pytest.mark.parametrize("row", [
    'kg:perpetrator,rdfs:label,victim of,rep,in Springfield,,,F,3,,',
    'kg:Person,rdfs:subClassOf,kg:Cartel,rep,in Springfield,,,F,3,,',
])
def test_a_table_row_about_an_ontology_term_is_refused(make_dataset, row):
    report = kg.validate(kg.load(kg.open_project(make_dataset(append={"statements.csv": row}))), shacl=False)
    assert [i.position.line for i in report.errors if i.code == "KG208"] == [16]


def test_rdf_input_about_an_ontology_term_is_refused(make_dataset):
    turtle = ("@prefix kg: <https://w3id.org/osint-kg/ontology#> .\n"
              "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
              "kg:Person a kg:Cartel .\n"
              'kg:perpetrator rdfs:label "victim of" .\n')
    report = kg.validate(kg.load(kg.open_project(make_dataset({"relabel.ttl": turtle}))), shacl=False)
    assert sorted(i.position.line for i in report.errors if i.code == "KG208") == [3, 4]

"""Hostile queries and parameters: whatever text a user sends as a query, ``kg.query.run`` and
``kg query`` answer with a result or a clean kg error (exit code 2; line and column for a syntax
error), never a traceback, within a time bound. Values given to saved questions are bound, never
spliced into the query text: SPARQL syntax in a value gives the same answer as any unknown value
(or a clean error for a malformed IRI), and nothing else runs.

The explorer's search runs in the browser over data already in the page (no query is built from
it): nothing to test here. The SPARQL endpoint binds /queries/NAME values with the same code
(``NamedQuery.bind``); tests/test_serve.py runs it over HTTP.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

import kg
import kg.query
from kg.cli import main
from kg.query import QueryError, QueryResult
from kg.query.named import named_queries, parse_value

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
BOUND = 20.0  # seconds any one query may take on the mini dataset (they take milliseconds)
MAX_ROWS = 1000  # a cross product made by a mutation stops here instead of running on
FUZZ = settings(max_examples=50, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NAMED = named_queries()
TOKENS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", ".", ";", ",", "*", "?x",
          "?y", "$z", "a", "kg:Cartel", "rdfs:label", "data:ecx", "<urn:x>", "<", ">", '"s"', "'t'", '"""',
          "@en", "^^xsd:integer", "42", "-1.5e9", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "VALUES",
          "BIND", "AS", "PREFIX", "ex:", "BASE", "LIMIT", "OFFSET", "SERVICE", "INSERT", "DELETE", "DROP",
          "LOAD", "ALL", "#", "\n", "\\", "_:b", "[]", "|", "/", "+", "^", "!", "=", "&&", "REGEX", "STR",
          "LANG", "\u00e9", "\x00", "\ufeff", "\u202e"]


@pytest.fixture(scope="module")
def mini_engine() -> kg.query.Engine:
    return kg.query.open_engine(MINI)


@pytest.fixture(scope="module")
def engine(bundled_project) -> kg.query.Engine:
    return kg.query.open_engine(bundled_project)


def run_bounded(engine: kg.query.Engine, text: str, params: dict | None = None) -> QueryResult | kg.KgError:
    """The result, or the kg error raised; any other exception fails the test."""
    started = time.monotonic()
    try:
        return kg.query.run(engine, text, params, max_rows=MAX_ROWS)
    except kg.KgError as exc:
        assert str(exc).strip(), "a kg error says what went wrong"
        if isinstance(exc, QueryError) and exc.message.startswith("syntax error"):
            assert exc.line >= 1 and exc.column >= 1, f"no position for {exc.message!r}"
            assert f"{exc.source}:{exc.line}:{exc.column}:" in str(exc)
        return exc
    finally:
        assert time.monotonic() - started < BOUND, f"{text!r} ran too long"


# --- random text and mutated real queries ------------------------------------------------------

@FUZZ
@given(text=st.text(max_size=300))
@example("SELECT ?x WHERE {")
@example("SELECT ?x WHERE { ?x ?p ?o } } }")
@example("{" * 5000)
@example("(" * 3000 + ")" * 3000)
@example("SELECT * WHERE { " + "?s ?p ?o . " * 50 + "}")  # 200 take pyoxigraph's planner ~9 s (see the note)
@example('SELECT ?x WHERE { ?x rdfs:label "unterminated }')
@example("SELECT ?x WHERE { ?x ?p ?o } LIMIT 99999999999999999999999999")
@example("a" * 300 + ".rq")
@example("x\x00y.rq")
@example("\ufeffSELECT ?x WHERE { ?x a kg:Cartel }")
def test_random_text_as_a_query(mini_engine, text):
    run_bounded(mini_engine, text)


@FUZZ
@given(tokens=st.lists(st.sampled_from(TOKENS), max_size=40),
       seps=st.lists(st.sampled_from([" ", "\n", "\t", ""]), min_size=40, max_size=40))
def test_token_soup_as_a_query(mini_engine, tokens, seps):
    run_bounded(mini_engine, "".join(t + s for t, s in zip(tokens, seps, strict=False)))


@st.composite
def mutated_query(draw) -> str:
    """A saved question's text with a few characters deleted, inserted or replaced, or cut short."""
    text = NAMED[draw(st.sampled_from(sorted(NAMED)))].text
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "duplicate"]))
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        piece = draw(st.sampled_from(["{", "}", "(", ")", ".", ";", "?", "<", ">", '"', "'", "#", "\\", "\n",
                                      "FILTER", "UNION", "x", "\x00", "é"]))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 10)):]
        elif kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "replace":
            text = text[:at] + piece + text[at + 1:]
        elif kind == "truncate":
            text = text[:at]
        else:
            text = text[:at] + text[at:at + 20] + text[at:]
    return text


@FUZZ
@given(text=mutated_query())
def test_mutated_saved_questions(mini_engine, text):
    run_bounded(mini_engine, text)


def test_syntax_errors_say_line_and_column(mini_engine):
    error = run_bounded(mini_engine, "SELECT ?x\nWHERE {\n  ?x a kg:Cartel\n  FILTER (?x = }")
    assert isinstance(error, QueryError) and error.line == 4 and error.column >= 1, error
    assert f"query:4:{error.column}: syntax error" in str(error)


# --- the CLI -----------------------------------------------------------------------------------

def invoke(*args: str, stdin: str | bytes | None = None):
    started = time.monotonic()
    result = CliRunner().invoke(main, ["query", "--data", str(MINI), *args], input=stdin)
    assert time.monotonic() - started < BOUND
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"kg query {args!r} raised {result.exception!r}")
    assert result.exit_code in (0, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exit_code == 2:  # kg's "error: ..." or click's usage message ending in "Error: ..."
        assert result.stderr.startswith("error: ") or "\nError: " in result.stderr, result.stderr
    return result


@FUZZ
@given(text=st.one_of(st.text(max_size=200), mutated_query()))
def test_cli_query_text(text):
    if "\x00" in text:  # argv cannot hold a NUL byte; standard input can
        invoke("-", "--max-rows", str(MAX_ROWS), stdin=text)
    else:
        invoke(text, "--max-rows", str(MAX_ROWS))


@FUZZ
@given(raw=st.binary(max_size=200))
def test_cli_query_from_any_bytes_on_stdin(raw):
    invoke("-", "--max-rows", str(MAX_ROWS), stdin=raw)


def test_cli_syntax_error_exits_2_with_line_and_column():
    result = invoke("SELECT ?x WHERE {\n  ?x a kg:Cartel .")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: query:3:1: syntax error") or "query:2:" in result.stderr


def test_cli_as_a_real_process_never_shows_a_traceback(tmp_path):
    bad_file = tmp_path / "bad.rq"
    bad_file.write_bytes(b"\xff\xfe SELECT")
    cases = [
        (["SELECT ?x WHERE { ?x ?p"], None),
        (["a" * 300], None),  # a saved question's name too long for the file system
        (["a" * 300 + ".rq"], None),
        ([str(bad_file)], None),
        ([str(tmp_path)], None),
        (["-"], b"\xff\xfe\x00SELECT"),
        (["find-by-name", "--param", 'name="> } ; DROP ALL #'], None),
    ]
    for args, stdin in cases:
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "kg", "query", "--data", str(MINI), *args], input=stdin,
                              capture_output=True, timeout=60, cwd=tmp_path)
        assert time.monotonic() - started < 60
        stderr = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode in (0, 2), (args, proc.returncode, stderr)
        assert "Traceback" not in stderr, stderr
        if proc.returncode == 2:
            assert stderr.startswith("error: "), stderr


# --- parameters are bound values ---------------------------------------------------------------

HOSTILE_VALUES = [
    '"> } ; DROP ALL #',
    "\" } UNION { ?s ?p ?o } #",
    "' } ; DELETE WHERE { ?s ?p ?o } #",
    "x\" . ?entity ?p ?o . FILTER(\"1\"=\"1",
    "<https://example.org/x> } UNION { ?s ?p ?o",
    "data:x> } ; DROP ALL ; SELECT * WHERE { <y",
    "data:nope#frag",
    "<https://example.org/evil#> ?p ?o",
    "line one\nline two } #",
    "\\\" \\u0022 } #",
    "${place}",
    "?place",
    "kg:Cartel ; ?p ?o",
]
UNKNOWN = {"iri": "data:no-such-thing-here", "string": "no such name here, zzqx", "integer": "987654321",
           "decimal": "98765.4321", "boolean": "false"}
PARAMS = [(name, p.name, p.type) for name, nq in NAMED.items() for p in nq.params]


def _normalised(result: QueryResult | kg.KgError, bound) -> object:
    """A result with the bound value itself replaced by a placeholder (it may be selected)."""
    if isinstance(result, kg.KgError):
        return type(result).__name__
    if result.kind == "ask":
        return result.boolean
    return sorted(tuple(sorted((k, "<PARAM>" if v is not None and v == bound else repr(v))
                               for k, v in row.items())) for row in result.rows)


@pytest.mark.parametrize(("question", "param", "type_"), PARAMS, ids=[f"{q}-{p}" for q, p, _ in PARAMS])
def test_hostile_parameter_values_are_bound_values(engine, question, param, type_):
    size = len(engine)
    unknown = run_bounded(engine, question, {param: UNKNOWN[type_]})
    assert isinstance(unknown, QueryResult), unknown
    baseline = _normalised(unknown, parse_value(UNKNOWN[type_], type_, engine.prefixes, engine.base))
    for value in HOSTILE_VALUES:
        result = run_bounded(engine, question, {param: value})
        if isinstance(result, kg.KgError):
            # Refused before anything ran: only a value that is not of the declared type.
            assert type(result) is kg.UsageError and f"parameter {param}" in str(result), result
            assert type_ != "string", f"a string parameter took {value!r} as anything but text"
            continue
        bound = parse_value(value, type_, engine.prefixes, engine.base)
        assert _normalised(result, bound) == baseline, f"{question} --param {param}={value!r}"
    assert len(engine) == size  # nothing was inserted or dropped


@FUZZ
@given(value=st.text(max_size=80))
def test_any_text_as_a_string_parameter(engine, value):
    result = run_bounded(engine, "find-by-name", {"name": value})
    assert isinstance(result, QueryResult)
    needle = _fold(value.strip())
    for row in result.rows:  # every row really matched the text (bound, not spliced), accents aside
        assert needle in _fold(str(row["matched"]))


def _fold(text: str) -> str:
    """What find-by-name compares: lower case, with the accents it folds (queries/find-by-name.rq)."""
    lowered = text.lower()
    for plain, accented in (("a", "áàâäãå"), ("e", "éèêë"), ("i", "íìîï"), ("o", "óòôöõ"), ("u", "úùûü"),
                            ("n", "ñ"), ("c", "ç")):
        lowered = lowered.translate({ord(ch): plain for ch in accented})
    return lowered


@FUZZ
@given(value=st.text(max_size=80))
def test_any_text_as_an_iri_parameter(engine, value):
    result = run_bounded(engine, "events-in-place", {"place": value})
    if isinstance(result, QueryResult):
        assert all(isinstance(row["event"], URIRef) for row in result.rows)


def test_ad_hoc_query_parameters_are_bound(engine):
    query = "SELECT ?e ?name WHERE { ?e rdfs:label ?name }"
    for value in HOSTILE_VALUES[:6]:
        result = run_bounded(engine, query, {"name": value})
        assert isinstance(result, QueryResult) and result.rows == [], value
    assert len(run_bounded(engine, query, {"name": "CJNG"}).rows) == 1


def test_cli_parameter_with_sparql_syntax_is_bound():
    hostile = invoke("find-by-name", "--param", 'name="> } ; DROP ALL #', "--format", "csv")
    unknown = invoke("find-by-name", "--param", "name=no such name", "--format", "csv")
    assert hostile.exit_code == unknown.exit_code == 0
    assert hostile.stdout == unknown.stdout == "name,entity,label,matched,nameKind\n"
    found = invoke("find-by-name", "--param", "name=Example", "--format", "csv")
    assert "Example Cartel" in found.stdout
    iri = invoke("events-in-place", "--param", "place=data:x> } ; DROP ALL #")
    assert iri.exit_code == 2 and "parameter place" in iri.stderr


# --- issue 18: SERVICE, depth, and the command line's time and memory limits ---------------------

from kg.query import ServiceRefused, TooDeep  # noqa: E402

from _recorder import MARK, recorder  # noqa: E402


def _kg_query(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", "query", *args], capture_output=True, timeout=timeout)


def test_service_is_refused_everywhere_unless_allowed(mini_engine, make_dataset):
    with recorder() as other:
        query = f"SELECT ?x WHERE {{ SERVICE <{other.url}/sparql> {{ ?x ?p ?o }} }}"
        variants = [query, query.replace("SERVICE", "service SILENT"), query.replace(" <", "<"),
                    f"SELECT * {{ BIND(<{other.url}/sparql> AS ?u) SERVICE ?u {{ ?x ?p ?o }} }}",
                    f"PREFIX o: <{other.url}/> SELECT * {{ SERVICE o:sparql {{ ?x ?p ?o }} }}"]
        for text in variants:  # the Python API
            with pytest.raises(ServiceRefused) as info:
                kg.query.run(mini_engine, text)
            assert info.value.line == 1 and "--allow-service" in str(info.value)
        data = make_dataset()
        (data / "queries").mkdir()
        (data / "queries" / "elsewhere.rq").write_text(f"# Another store.\n{query}\n", encoding="utf-8")
        with pytest.raises(ServiceRefused):  # a dataset's own saved question
            kg.query.run(data, "elsewhere")
        for args in ([query], ["elsewhere"]):  # the command line, a real process
            proc = _kg_query("--data", str(data), *args)
            stderr = proc.stderr.decode()
            assert proc.returncode == 2 and stderr.startswith("error: ") and "SERVICE" in stderr, stderr
            assert "Traceback" not in stderr
        time.sleep(0.3)
        assert not other.contacted, other.requests
        # Allowed by name: the other store is asked, and answers.
        result = kg.query.run(data, query, allow_service=[f"{other.url}/sparql"])
        assert [str(r["x"]) for r in result.rows] == [MARK]
        proc = _kg_query("--data", str(data), "--allow-service", f"{other.url}/sparql", "--format", "csv", query)
        assert proc.returncode == 0 and MARK in proc.stdout.decode(), proc.stderr
        assert other.contacted
        # Strings, comments, IRIs and names that merely contain the word are not SERVICE.
        innocent = 'SELECT ?service WHERE { ?service <urn:SERVICE> "SERVICE" } # SERVICE <http://x/>'
        assert kg.query.run(mini_engine, innocent).rows == []


NESTED = "SELECT * WHERE " + "{" * 5000 + "}" * 5000  # 10 KB: overflowed the parser's stack (exit 139)


@pytest.mark.parametrize("text", [
    NESTED,
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 7000 + "1" + ")" * 7000 + ") }",
    "ASK { " + " UNION ".join(["{ ?s ?p ?o }"] * 10000) + " }",
    "ASK { ?s ?p ?o " + " MINUS { ?s ?p ?o }" * 5000 + " }",
    "ASK { ?s ?p ?o FILTER(" + "!" * 20000 + "?o) }",
    "ASK { ?s ?p ?o FILTER(" + "||".join(["?o"] * 20000) + ") }",
    "ASK { ?s " + "/".join(["rdfs:label"] * 20000) + " ?o }",
    "ASK { ?s ?p (" + " 1" * 20000 + ") }",
    "ASK { ?s ?p " + "[ rdfs:label " * 3000 + "1" + " ]" * 3000 + " }",
], ids=["braces", "parens", "union", "minus", "not", "or", "path", "collection", "bnodes"])
def test_deep_queries_are_refused_before_parsing(mini_engine, text):
    with pytest.raises(TooDeep) as info:
        kg.query.run(mini_engine, text)
    assert info.value.line == 1 and info.value.column > 1 and "kg allows" in str(info.value)


def test_deep_query_on_the_command_line_is_an_error_not_a_crash(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg", "query", "--data", str(MINI), "-"], input=NESTED.encode(),
                          capture_output=True, timeout=120)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2, (proc.returncode, stderr[:300])
    assert stderr.startswith("error: query:1:") and "nested more than" in stderr


def test_legitimate_nesting_and_long_values_still_run(mini_engine):
    nested = "SELECT * WHERE " + "{" * 150 + "?s ?p ?o" + "}" * 150 + " LIMIT 1"
    assert len(kg.query.run(mini_engine, nested).rows) == 1
    values = "SELECT ?x WHERE { VALUES ?x { " + " ".join(f"<urn:x:{i}>" for i in range(20000)) + " } }"
    assert len(kg.query.run(mini_engine, values).rows) == 20000


#: A 1 KB query that doubles a string 28 times: 2 GiB in one value.
GREEDY = ('SELECT (STRLEN(?a28) AS ?n) WHERE { BIND("xxxxxxxx" AS ?a0) '
          + " ".join(f"BIND(CONCAT(?a{i - 1}, ?a{i - 1}) AS ?a{i})" for i in range(1, 29)) + " }")
#: Minutes of work for any engine on the mini dataset's ontology graph.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l FILTER (?c != ?l) }"


def test_the_command_line_stops_a_query_at_its_memory_limit():
    started = time.monotonic()
    proc = _kg_query("--data", str(MINI), "--memory-limit", "256", "--timeout", "60", GREEDY)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2, stderr
    assert stderr.startswith("error: the query needed more than 256 MiB of memory"), stderr
    assert "memory allocation" not in stderr and "Traceback" not in stderr
    assert time.monotonic() - started < 30


def test_the_command_line_stops_a_query_at_its_time_limit():
    started = time.monotonic()
    proc = _kg_query("--data", str(MINI), "--timeout", "2", ENDLESS)
    elapsed = time.monotonic() - started
    stderr = proc.stderr.decode()
    assert proc.returncode == 2 and "ran longer than 2 s (the time limit)" in stderr, stderr
    assert elapsed < 20, elapsed


def test_sigterm_stops_kg_query_and_its_child():
    proc = subprocess.Popen([sys.executable, "-m", "kg", "query", "--data", str(MINI), "--timeout", "600", ENDLESS],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(5)  # loaded, and the query running in its own process

    def descendants(pid: int) -> list[int]:
        try:
            kids = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []
        return kids + [d for k in kids for d in descendants(k)]

    children = descendants(proc.pid)
    assert len(children) >= 3, children  # the forkserver, the query's process, the resource tracker
    proc.terminate()
    proc.wait(20)
    assert proc.returncode != 0
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{c}").exists() for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(Path(f"/proc/{c}/cmdline").exists() and Path(f"/proc/{c}/cmdline").read_bytes()
                   for c in children), "a query process outlived kg query"

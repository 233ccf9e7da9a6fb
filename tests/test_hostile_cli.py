"""Hostile command lines: whatever options and values are given to any ``kg`` command (paths with
spaces or control characters, paths that do not exist, directories where files are expected,
huge or non-numeric numbers, unknown options), the run ends with exit code 0, 1 or 2 and a
message, never a Python traceback, within a time bound.

The fuzz walks each command's own click options (so a new option is fuzzed too) through click's
CliRunner, in a temporary working directory, with the mini dataset unless the fuzz names
another. ``kg serve`` (which blocks when it starts) and a few other cases run as real processes.
No run reaches the network: push URLs are refused ones or 127.0.0.1 on a closed port, hosts are
IP literals.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main

from _kg_serve import wait_until_serving

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
BOUND = 30.0  # seconds any one run may take (they take well under one)
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
#: ``kg serve`` and ``kg curate`` block once they have started: they run as real processes below.
SERVERS = {"serve", "curate"}
FUZZED = sorted(name for name in main.commands if name not in SERVERS)
#: Commands that write into the dataset: they get a copy of the mini dataset, never the fixture.
WRITERS = {"add-source", "draft", "init"}

NUMBERS = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["0", "-1", "65536", "99999999999999999999999", "1e308", "-1e308", "inf", "-inf", "nan",
                     "0x10", "1_000", "", " ", "٣", "１２", "1.5", "abc", "10k", "--"]),
)
#: No NUL: a real process cannot receive one in its arguments (CliRunner could).
TEXT = st.one_of(st.text(st.characters(blacklist_characters="\x00"), max_size=40),
                 st.sampled_from(["", "-", "--", "ecx", "Example Cartel", "x" * 5000, "\x1b[31mred", "line\nbreak",
                                  "\udcff", "\u202e"]))
#: Never the network: refused URLs, or a closed port on 127.0.0.1.
URLS = st.sampled_from(["", "not a url", "ftp://127.0.0.1/x", "http://[::1", "http://127.0.0.1:99999/store",
                        "http:///store", "http://127.0.0.1:{closed}/store", "https://127.0.0.1:{closed}/x y",
                        "http://user:pw@127.0.0.1:{closed}/store", "javascript:alert(1)", "file:///etc/passwd"])


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nobody listens there once the socket is closed


@pytest.fixture
def playground(tmp_path, monkeypatch) -> Path:
    """A working directory holding a file, a directory and a copy of nothing else."""
    (tmp_path / "afile.txt").write_text("not a dataset\n", encoding="utf-8")
    (tmp_path / "adir").mkdir()
    (tmp_path / "adir" / "inside.txt").write_text("x\n", encoding="utf-8")
    shutil.copytree(MINI, tmp_path / "mini-copy")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def paths(base: Path) -> st.SearchStrategy[str]:
    """Paths a careless or hostile user might give, all inside ``base`` (or relative to it)."""
    return st.sampled_from([
        str(base / "with space" / "out dir"), str(base / "ctrl\x01\x1b[31mred"), str(base / "new\nline"),
        str(base / "missing" / "deeper" / "x.out"), str(base / "afile.txt"), str(base / "adir"),
        str(base / ("a" * 300)), str(base / "é ü 漢字.out"), str(base / "surrogate\udcff"), "", "-",
        "rel dir/x", ".", "..", str(base / "afile.txt" / "under-a-file"), str(MINI), str(MINI / "kg.toml"),
        str(base / "adir") + "/",
    ])


def values(param: click.Parameter, base: Path) -> st.SearchStrategy[str]:
    """Hostile values for one click parameter, by its type."""
    kind = param.type
    if param.name in ("url", "query_url"):
        return URLS.map(lambda u: u.replace("{closed}", str(_closed_port())))
    if isinstance(kind, (click.IntRange, click.FloatRange)) or kind in (click.INT, click.FLOAT):
        return NUMBERS
    if isinstance(kind, click.Path) or param.name in ("data", "out", "sources", "workdir", "json"):
        return st.one_of(paths(base), TEXT)
    if isinstance(kind, click.Choice):
        return st.one_of(st.sampled_from(list(kind.choices)), TEXT)
    return TEXT


@st.composite
def command_line(draw, name: str, base: Path) -> list[str]:
    """``kg NAME`` with a few of its options (hostile values) and maybe some junk tokens."""
    command = main.commands[name]
    options = [p for p in command.params if isinstance(p, click.Option) and "--help" not in p.opts]
    args = [name]
    if any(p.name == "data" for p in options):
        data = base / "mini-copy" if name in WRITERS else MINI
        args += ["--data", str(data)]  # the fuzz may name another; the last one counts
    if any(p.name == "out" for p in options):
        args += ["--out", str(base / "out" / name)]  # never the repository's out/
    if name == "bench":
        args += ["--workdir", str(base / "bench")]
    for param in draw(st.lists(st.sampled_from(options), max_size=4)) if options else []:
        flag = draw(st.sampled_from(param.opts + param.secondary_opts))
        if param.is_flag:
            args.append(flag)
        else:
            args += [flag, draw(values(param, base))]
    if name == "bench":  # a valid size would run a real benchmark: only refused sizes here
        args += ["--size", draw(st.sampled_from(["0", "-1k", "abc", "", "nan", "999999999999999999999G", "1.5.2M"]))]
    for _argument in (p for p in command.params if isinstance(p, click.Argument)):
        args.append(draw(st.one_of(TEXT, paths(base))))
    junk = st.sampled_from(["--nope", "-Z", "--port=abc", "--=", "---", "--data=", "extra", "\x7f", "-h"])
    args += draw(st.lists(junk, max_size=2))
    if name in WRITERS:  # never the fixture itself, whatever path the fuzz drew
        args = [a.replace(str(MINI), str(base / "mini-copy")) for a in args]
    return args


def check(args: list[str]) -> None:
    started = time.monotonic()
    result = CliRunner().invoke(main, args)
    seconds = time.monotonic() - started
    where = f"kg {' '.join(map(repr, args))}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{where} raised {result.exception!r}\n{result.output}")
    assert result.exit_code in (0, 1, 2), f"{where} exited {result.exit_code}: {result.output}"
    assert "Traceback" not in result.output, f"{where}:\n{result.output}"
    if result.exit_code != 0:
        assert result.stderr.strip(), f"{where} failed without a message"
    assert seconds < BOUND, f"{where} took {seconds:.0f} s"


@pytest.mark.parametrize("name", FUZZED)
def test_fuzzed_options_never_crash(playground, name):
    @FUZZ
    @given(args=command_line(name, playground))
    def run(args: list[str]) -> None:
        check(args)

    run()


def test_every_command_has_been_fuzzed():
    assert set(FUZZED) | SERVERS == set(main.commands)
    assert {"build", "validate", "query", "export", "push", "view", "analyze", "bench", "ontology-doc"} <= set(FUZZED)


@pytest.mark.parametrize("args", [
    ["build", "--out", "afile.txt"],                          # a file where a directory is expected
    ["ontology-doc", "--out", "adir"],                        # a directory where a file is expected
    ["export", "--format", "ttl", "--out", "adir"],
    ["export", "--format", "neo4j", "--out", "afile.txt"],
    ["validate", "--data", "afile.txt"],
    ["validate", "--data", "no such dir"],
    ["view", "--out", "adir", "--hops", "99999999999999999999"],
    ["view", "--out", "v.html", "--focus", "ecx", "--hops", "1000000000000000000"],
    ["query", "--out", "adir", "SELECT ?x WHERE { ?x a kg:Cartel }"],
    ["push", "--to", "http://[::1"],
    ["push", "--to", "http://127.0.0.1:99999/store"],
    ["push", "--to", "http://127.0.0.1:1/store", "--retries", "99999999999999999999"],
    ["push", "--to", "http://127.0.0.1:1/store", "--timeout", "nan"],
])
def test_named_hostile_arguments(playground, args):
    if "--data" not in args and args[0] != "ontology-doc":
        args = [args[0], "--data", str(MINI), *args[1:]]
    check(args)


@pytest.mark.parametrize("size", ["1e400", "inf", "nan", "-5", "0", "lots"])
def test_bench_size_beyond_float(playground, size):
    result = CliRunner().invoke(main, ["bench", "--workdir", str(playground), "--size", size])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 2


# --- real processes ----------------------------------------------------------------------------

def run_process(args: list[str], cwd: Path, seconds: float = 60) -> subprocess.CompletedProcess:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, cwd=cwd, timeout=seconds)
    assert time.monotonic() - started < seconds
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode in (0, 1, 2), (args, proc.returncode, stderr)
    assert "Traceback" not in stderr, f"kg {args}:\n{stderr}"
    if proc.returncode:
        assert stderr.strip()
    return proc


@pytest.mark.parametrize("extra", [
    ["--port", "99999999999999999999"],
    ["--port", "-1"],
    ["--port", "abc"],
    ["--workers", "100000000000000000000"],  # would spawn a process per worker
    ["--workers", "0"],
    ["--timeout", "nan"],
    ["--timeout", "inf"],
    ["--timeout", "1e308"],
    ["--max-rows", "-5"],
    ["--data", "afile.txt"],
    ["--data", "no such dir"],
    ["--host", "192.0.2.1"],  # TEST-NET: not an address of this machine, so nothing is bound
    ["--sources", "afile.txt"],
])
def test_serve_refuses_hostile_options_as_a_real_process(playground, extra):
    proc = run_process(["serve", "--data", str(MINI), "--port", "0", "-q", *extra], playground)
    assert proc.returncode == 2


def test_serve_with_huge_but_valid_numbers_starts_and_stops(playground):
    """Valid extremes (a day of time limit, no row cap, the most workers we allow would be too many
    processes for a test: 3) start the endpoint, which then answers and stops on SIGTERM."""
    import httpx

    port = _closed_port()
    cmd = [sys.executable, "-m", "kg", "serve", "--data", str(MINI), "--port", str(port), "--timeout", "86400",
           "--max-rows", "0", "--workers", "3", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=playground)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", proc, lambda: proc.stderr.read().decode())
        answer = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
        assert answer.status_code == 200 and answer.json()["boolean"] is True
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode in (0, -15), proc.returncode
    assert b"Traceback" not in stderr


def test_a_few_real_runs_of_other_commands(playground):
    run_process(["build", "--data", str(MINI), "--out", str(playground / "out dir\twith tab"), "-q"], playground)
    assert (playground / "out dir\twith tab").is_dir()
    assert run_process(["build", "--data", str(MINI), "--out", "afile.txt"], playground).returncode == 2
    assert run_process(["view", "--data", "afile.txt", "--out", "v.html"], playground).returncode == 2
    assert run_process(["query", "--data", "x" * 5000, "--list"], playground).returncode == 2
    assert run_process(["export", "--data", str(MINI), "--format", "gexf", "--out", "adir"], playground).returncode == 2
    assert run_process(["nonsense-command"], playground).returncode == 2


@pytest.mark.parametrize("extra", [
    ["--port", "99999999999999999999"],
    ["--port", "-1"],
    ["--port", "abc"],
    ["--data", "afile.txt"],
    ["--data", "no such dir"],
    ["--host", "192.0.2.1"],  # TEST-NET: not an address of this machine, so nothing is bound
    ["--sources", "afile.txt"],
])
def test_curate_refuses_hostile_options_as_a_real_process(playground, extra):
    subprocess.run([sys.executable, "-m", "kg", "draft", "rep", "--data", str(playground / "mini-copy"), "-q"],
                   check=True, cwd=playground, timeout=60)
    proc = run_process(["curate", "rep", "--data", str(playground / "mini-copy"), "--port", "0", *extra], playground)
    assert proc.returncode == 2


@pytest.mark.parametrize("source", ["", "no-such-source", "\x1b[31mred", "x" * 5000, "../../etc/passwd"])
def test_curate_refuses_hostile_sources(playground, source):
    proc = run_process(["curate", source, "--data", str(playground / "mini-copy"), "--port", "0"], playground)
    assert proc.returncode == 2


# --- terminal injection: what data or a query holds never drives the terminal (issue 18) --------

OSC52 = "\x1b]52;c;aGVsbG8=\x07"  # writes "hello" to the clipboard of a terminal that obeys it
TERMINAL_CONTROLS = (b"\x1b", b"\x07", b"\x9b", b"\r", "\u202e".encode())


def test_error_messages_escape_control_characters(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    # A file whose name and content carry escapes, and rows whose values do.
    (data / f"evil{OSC52}\u202e.ttl").write_text(f"@prefix x: <urn:x> .\nx:a x:b {OSC52} \x1b[2J .\n",
                                                 encoding="utf-8")
    runs = [
        ["validate", "--data", str(data)],  # KG101 at a file whose name holds OSC 52
        ["query", "--data", str(MINI), f"SELECT ?x WHERE {{ ?x {OSC52}\u009b31m\r }}"],  # a syntax error shows the line
        ["query", "--data", str(MINI), "--param", "x\x1b[2J=1", "SELECT ?x WHERE { ?x ?p ?o }"],
        ["query", "--data", str(MINI), f"events-in-place{OSC52}"],
    ]
    for args in runs:
        proc = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, timeout=120, cwd=tmp_path)
        assert proc.returncode in (1, 2), (args, proc.stderr)
        assert proc.stderr, args
        for control in TERMINAL_CONTROLS:
            assert control not in proc.stderr, (args, control, proc.stderr[:400])
        text = proc.stderr.decode("utf-8")
        assert "\\x1b" in text, text[:400]  # shown, escaped, where it was


def test_valid_data_with_control_characters_in_errors_is_escaped(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    with open(data / "statements.csv", "a", encoding="utf-8", newline="") as handle:
        handle.write(f'ecx,skos:altLabel,"a\x1b]0;title\x07",rep,"not in the text {OSC52}",,,F,3,,\n')
    proc = subprocess.run([sys.executable, "-m", "kg", "validate", "--data", str(data)], capture_output=True,
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == 1 and b"KG303" in proc.stderr
    assert not any(control in proc.stderr for control in TERMINAL_CONTROLS), proc.stderr

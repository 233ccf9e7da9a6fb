"""Shared fixtures: the bundled dataset (with the report's text), the mini fixture, and a
factory for small datasets written into a temporary directory."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import kg

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
#: A small body of reporting: rows from six digests of ../shared/sources (issue 14).
BODY = FIXTURES / "body"
#: The directory holding the bundled report's text: ../shared/sources beside the repository.
SHARED_SOURCES = REPO.parent / "shared" / "sources"


@pytest.fixture(scope="session")
def shared_sources() -> Path:
    """The report texts, in ``../shared/sources`` beside the repository.

    A clone with nothing beside it (what a code host gives) skips the tests that need them, with
    the reason; under ``CI=true`` their absence is a failure, never a skip."""
    if not (SHARED_SOURCES / "cartel-drones-ukraine.txt").is_file():
        reason = (f"{SHARED_SOURCES} does not hold the bundled reports' texts (../shared/sources beside the "
                  "repository): the tests that read them need it")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return SHARED_SOURCES


@pytest.fixture(scope="session")
def bundled_project(shared_sources: Path) -> kg.Project:
    return kg.open_project(sources=[shared_sources])


@pytest.fixture(scope="session")
def bundled_records(bundled_project: kg.Project) -> kg.Records:
    return kg.load(bundled_project)


@pytest.fixture(scope="session")
def bundled_dataset(bundled_records: kg.Records):
    return kg.build(bundled_records)


@pytest.fixture(scope="session")
def bundled_graph(bundled_dataset):
    """The bundled dataset's graphs merged (facts, provenance, ontology), for SPARQL."""
    return kg.output.rdf.single_graph(bundled_dataset)


@pytest.fixture(scope="session")
def body_project(shared_sources: Path) -> kg.Project:
    """The multi-source fixture, its texts looked up in ../shared/sources."""
    return kg.open_project(BODY, sources=[shared_sources])


@pytest.fixture(scope="session")
def body_built(body_project: kg.Project) -> kg.Built:
    return kg.build(kg.load(body_project))


@pytest.fixture
def make_body(tmp_path: Path, shared_sources: Path):
    """Copy the multi-source fixture into a temp dir, with rows replaced (``{"file": text}``) or
    appended (``append={"file": "row"}``); returns its project."""

    def factory(files: dict[str, str] | None = None, append: dict[str, str] | None = None) -> kg.Project:
        target = tmp_path / "body"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(BODY, target)
        for name, text in (files or {}).items():
            (target / name).write_text(text, encoding="utf-8")
        for name, text in (append or {}).items():
            with open(target / name, "a", encoding="utf-8") as handle:
                handle.write(text if text.endswith("\n") else text + "\n")
        return kg.open_project(target, sources=[shared_sources])

    return factory


@pytest.fixture
def make_dataset(tmp_path: Path):
    """Copy the mini fixture into a temp dir, replace or add files, return its directory.

    ``make_dataset(**{"statements.csv": text})`` replaces a file; ``append={"statements.csv":
    "row"}`` appends lines.
    """

    def factory(files: dict[str, str] | None = None, append: dict[str, str] | None = None) -> Path:
        target = tmp_path / "data"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(MINI, target)
        for name, text in (files or {}).items():
            (target / name).write_text(text, encoding="utf-8")
        for name, text in (append or {}).items():
            with open(target / name, "a", encoding="utf-8") as handle:
                handle.write(text if text.endswith("\n") else text + "\n")
        return target

    return factory


#: Test modules that start real servers or browsers, run benchmarks, kill processes or generate
#: hundreds of examples: `make test-fast` leaves them out (`-m "not slow"`), `make test` runs all.
SLOW_MODULES = frozenset({
    "test_analyze_cli", "test_bench", "test_curate_review", "test_export_bench", "test_export_neo4j",
    "test_faults", "test_hostile_cli", "test_hostile_input", "test_hostile_query", "test_injection", "test_jsonld",
    "test_load", "test_notebooks", "test_push", "test_push_atomic", "test_push_virtuoso", "test_query_bench",
    "test_serve", "test_shapes_differential", "test_shapes_w3c", "test_viz_browser",
})


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: left out of `make test-fast` (servers, browsers, benchmarks, fuzzing)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true",
                     help="Rewrite the golden files under tests/golden from the current outputs.")

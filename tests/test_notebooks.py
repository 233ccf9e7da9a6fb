"""Every notebook in notebooks/ runs top to bottom, is stored clean (cell ids, no outputs), names
only kg commands that exist, and reads well: its tables show names rather than IRIs, whole
numbers as integers and one kind of missing value.

The kernel is this test run's own Python (the project venv, where ``ipykernel`` comes with the
test extra): a kernel spec named ``python3`` pointing at ``sys.executable`` is written to a
temporary directory put first on ``JUPYTER_PATH``, so a ``python3`` kernel installed elsewhere on
the machine is never picked instead.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from kg.cli import main

from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS if p.name == "explore.ipynb"] == ["explore.ipynb"]


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory):
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (kg venv)", "language": "python"}))
    saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "JUPYTER_RUNTIME_DIR", "JUPYTER_PLATFORM_DIRS")}
    os.environ["JUPYTER_PATH"] = str(root)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(root / "runtime")
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    yield root
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stored_clean(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) >= (4, 5)
    ids = [cell.id for cell in nb.cells]
    assert all(ids) and len(set(ids)) == len(ids)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: cell {cell.id} has outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_names_only_commands_that_exist(path: Path):
    nb = nbformat.read(path, as_version=4)
    named = {m.group(1) for cell in nb.cells for m in re.finditer(r"`kg ([a-z][a-z-]*)", cell.source)}
    assert named, "a notebook says which command does what it shows"
    assert named <= set(main.commands), f"{path.name} names commands kg does not have: {named - set(main.commands)}"


def _tables(nb) -> list[str]:
    """The HTML of every DataFrame a notebook shows."""
    return [o["data"]["text/html"] for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
            if "<table" in o.get("data", {}).get("text/html", "")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path: Path, kernel_path: Path, tmp_path: Path, request):
    nb = nbformat.read(path, as_version=4)
    if any(".txt" in cell.source and "find_source_text" in cell.source for cell in nb.cells):
        request.getfixturevalue("shared_sources")  # a notebook reading a report's text needs ../shared
    client = NotebookClient(nb, kernel_name="python3", timeout=300, allow_errors=False,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError, naming the cell, when one fails
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = json.dumps([o.get("data", {}) for o in outputs])
    assert "Police helicopter brought down by a drone" in text  # the Petro -> EMC path
    assert "image/svg+xml" in text  # the timeline chart
    tables = _tables(nb)
    assert tables
    for table in tables:
        # Names, not IRIs; integers, not floats; <NA> as the one missing value.
        assert "https://w3id.org/osint-kg/" not in table and ">NaN<" not in table and ">None<" not in table
        assert not re.search(r">\d+\.0<", table), "a count shown as a float"
    if path.name == "explore.ipynb":
        shown = "\n".join(tables)
        assert ">Gustavo Petro<" in shown and ">Allegation<" in shown and ">EMC<" in shown
        assert ">allegation<" in shown  # the FollowTheMoney export's status of an attributed link
        printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
        assert "candidate rows in my-data/drafts/amalfi-meganoticias.json" in printed  # kg draft

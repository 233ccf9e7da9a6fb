"""The whole pipeline, as the CLI, the tests and the notebooks run it.

``load -> validate -> build -> infer -> write``. :func:`run_build` writes every output into
one directory: files are staged and then renamed into place, so an invalid dataset or a failed
build leaves the previous outputs untouched, and a lock stops two builds writing one directory.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from kg.build import build, graph_names
from kg.errors import Report, UsageError, ValidationFailed
from kg.infer import infer as infer_dataset
from kg.load import Records, load
from kg.project import Project
from kg.report import build_report, report_json, report_markdown
from kg.serialize import FORMATS, dump
from kg.validate import resolve, validate

__all__ = ["BuildResult", "run_build", "run_validate"]

REPORT_JSON = "build-report.json"
REPORT_MD = "build-report.md"


@dataclass
class BuildResult:
    """What a build produced."""

    dataset: Dataset
    report: Report
    out_dir: Path
    outputs: list[Path] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def run_validate(project: Project, *, shacl: bool = True) -> tuple[Records, Report]:
    """Load and validate; never raises on invalid data (see ``report.ok``)."""
    records = load(project)
    return records, validate(records, shacl=shacl)


def run_build(
    project: Project,
    out_dir: Path,
    *,
    formats: Sequence[str] = tuple(FORMATS),
    reasoner: str | None = None,
    shacl: bool = True,
) -> BuildResult:
    """Load, validate, build, optionally infer, and write every output into ``out_dir``.

    Raises :class:`ValidationFailed` (and writes nothing) when the data is invalid.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    records, report = run_validate(project, shacl=shacl)
    if not report.ok:
        raise ValidationFailed(report)
    ds = build(records)
    if reasoner:
        ds = infer_dataset(ds, project.base, reasoner)
    files: dict[str, bytes] = {f"graph.{name}": dump(ds, name) for name in formats}
    if reasoner:
        inferred = Graph()
        for prefix, ns in ds.namespaces():
            inferred.bind(prefix, ns, override=True, replace=True)
        for triple in ds.graph(graph_names(project.base).inferred):
            inferred.add(triple)
        files["inferred.ttl"] = inferred.serialize(format="turtle", encoding="utf-8")
    # --- other outputs (the explorer's graph.html, ...) are added to `files` here ---
    from kg.viz import render_html  # pyvis and igraph only when building

    files["graph.html"] = render_html(ds, project.base, title=project.title or project.name).encode("utf-8")
    names = sorted([*files, REPORT_JSON, REPORT_MD])
    summary = build_report(records, resolve(records), report, ds, names)
    files[REPORT_JSON] = report_json(summary)
    files[REPORT_MD] = report_markdown(summary).encode("utf-8")
    written = _publish(out_dir, files)
    return BuildResult(ds, report, out_dir, written, summary)


def _publish(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Stage every file, then rename them into ``out_dir`` under an exclusive lock."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir / ".kg-build.lock"
    with open(lock_path, "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise UsageError(f"{out_dir}: another kg build is writing here; wait for it, or use --out") from exc
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
        try:
            for name, data in files.items():
                with open(staging / name, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            written = []
            for name in sorted(files):
                os.replace(staging / name, out_dir / name)
                written.append(out_dir / name)
            return written
        finally:
            shutil.rmtree(staging, ignore_errors=True)

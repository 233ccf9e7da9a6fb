"""The whole pipeline, as the CLI, the tests and the notebooks run it.

``load -> check -> build -> shapes -> infer -> write``, each step a function of the one before::

    records = load(project)          # kg.load
    report = validate(records)       # record checks, then SHACL on the built value
    built = build(records)           # kg.build: one immutable Built
    built = infer(built, "rdfs")     # kg.infer: a new Built with an inferred graph
    write(built, "ttl", path)        # kg.output.rdf

:func:`run_build` writes every output into one directory as one set (:func:`kg.output.files.publish`):
an invalid dataset or a failed build leaves the previous outputs untouched, and a lock stops two
builds writing one directory.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.build import DEFAULT, Built, Quads, from_resolved
from kg.check import resolve
from kg.errors import Issue, Position, Report, Severity, UsageError, ValidationFailed
from kg.infer import infer
from kg.load import Records, load
from kg.load.cache import load_cached
from kg.output.build_report import build_report, report_json, report_markdown
from kg.output.files import Writer, publish
from kg.output.rdf import FORMATS, write_to
from kg.project import Project
from kg.shapes import shacl_issues_quads

if TYPE_CHECKING:
    from kg.analyze import Analysis, ProjectionOptions
    from kg.export.push import PushResult

__all__ = ["BuildResult", "REPORT_JSON", "REPORT_MD", "run_analyze", "run_build", "run_export", "run_push",
           "run_validate", "run_view", "validate", "validated_built"]

REPORT_JSON = "build-report.json"
REPORT_MD = "build-report.md"
#: Every name a build may publish: the ones it does not write this time are removed.
_OUTPUT_NAMES = (*(f"graph.{n}" for n in FORMATS), "inferred.ttl", "graph.html", REPORT_JSON, REPORT_MD)


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the built value, the validation report, the files written and the
    build report's data."""

    built: Built
    report: Report
    out_dir: Path
    outputs: list[Path] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)  # the build report: JSON data, as build-report.json


def validate(records: Records, *, shacl: bool = True) -> Report:
    """Run every record check and, when they pass, the SHACL shapes. Never raises on bad data:
    ``report.ok`` says whether the data may be built."""
    resolved = resolve(records)
    report = Report(issues=list(resolved.issues), files=len(records.files))
    if report.ok and shacl:
        built = from_resolved(resolved, records.project.prefixes)
        report.extend(shacl_issues_quads(built.quads, resolved))
    return report


def run_validate(project: Project, *, shacl: bool = True) -> tuple[Records, Report]:
    """Load and validate; never raises on invalid data (see ``report.ok``)."""
    records = load(project)
    return records, validate(records, shacl=shacl)


def validated_built(project: Project, *, reasoner: str | None = None, shacl: bool = True) -> Built:
    """Load, check and build ``project`` (then infer with ``reasoner`` if given): the value every
    command that reads a project works on. Raises :class:`ValidationFailed` on invalid data."""
    records = load(project)
    resolved = resolve(records)
    report = Report(issues=list(resolved.issues), files=len(records.files))
    if not report.ok:
        raise ValidationFailed(report)
    built = from_resolved(resolved, project.prefixes)
    if shacl:
        report.extend(shacl_issues_quads(built.quads, resolved))
        if not report.ok:
            raise ValidationFailed(report)
    return infer(built, reasoner) if reasoner else built


class _Stages:
    """A progress bar over the build's stages (tqdm on standard error), or nothing."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="stage", leave=False, dynamic_ncols=True)

    def __call__(self, name: str) -> None:
        if self.bar is not None:
            if self.bar.n or name != "load":
                self.bar.update(1)
            self.bar.set_description(name)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_build(
    project: Project,
    out_dir: Path,
    *,
    formats: Sequence[str] = tuple(FORMATS),
    reasoner: str | None = None,
    shacl: bool = True,
    html: bool = True,
    progress: bool = False,
    cache: bool = True,
) -> BuildResult:
    """Load, validate, build, optionally infer, and write every output into ``out_dir``.

    Raises :class:`ValidationFailed` (and writes nothing) when the data is invalid. The outputs
    are published as one set (:func:`kg.output.files.publish`); outputs of an earlier build that
    this one does not write (another ``--format``, ``html=False``) are removed. ``progress``
    shows a progress bar on standard error. ``cache`` keeps each input file's parsed rows in
    ``out_dir/.cache`` for the next build (:mod:`kg.load.cache`).
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    stage = _Stages(progress, 4 + len(formats) + bool(reasoner) + html)
    try:
        stage("load")
        update = None
        if cache:
            records, update = load_cached(project, out_dir / ".cache" / "records")
        else:
            records = load(project)
        stage("record checks")
        resolved = resolve(records)
        report = Report(issues=list(resolved.issues), files=len(records.files))
        if not report.ok:
            raise ValidationFailed(report)
        stage("build")
        built = from_resolved(resolved, project.prefixes)
        if shacl:
            stage("shacl")
            report.extend(shacl_issues_quads(built.quads, resolved))
            if not report.ok:
                raise ValidationFailed(report)
        files: dict[str, Writer] = {}
        if reasoner:
            stage("inference")
            built = infer(built, reasoner)
            alone = Quads({DEFAULT: built.quads.graphs.get(built.inferred, {})}, built.prefixes)
            files["inferred.ttl"] = functools.partial(write_to, Built(alone, built.base), FORMATS["ttl"])
        for name in formats:
            files[f"graph.{name}"] = functools.partial(write_to, built, FORMATS[name])
        if html:
            from kg.viz import render_html  # pyvis and igraph only when building
            files["graph.html"] = render_html(built, title=project.title or project.name,
                                              sources_path=project.sources_path).encode("utf-8")
        names = sorted([*files, REPORT_JSON, REPORT_MD])
        summary = build_report(records, resolved, report, built, names)
        files[REPORT_JSON] = report_json(summary)
        files[REPORT_MD] = report_markdown(summary).encode("utf-8")
        written = publish(out_dir, files, progress=stage, names=_OUTPUT_NAMES)
        if update is not None:
            for problem in update.save():
                report.add(Issue("KG903", problem, Position(str(out_dir / ".cache")),
                                 fix="free some disk space, or build with --no-cache",
                                 severity=Severity.WARNING))
    finally:
        stage.close()
    return BuildResult(built, report, out_dir, written, summary)


# --- the consumers, each over the value of validated_built (imported when called) ---------------

def run_export(project: Project, fmt: str, out: Path | None = None, *, reasoner: str | None = None,
               shacl: bool = True) -> list[Path]:
    """Load, validate and build ``project``, then export it in ``fmt`` (:mod:`kg.export`) to ``out``
    (default: ``out/graph.<fmt>``, or ``out/<fmt>/`` for directory formats). Raises
    :class:`~kg.errors.ValidationFailed` (writing nothing) when the data is invalid."""
    from kg.export import get_exporter, write_export
    from kg.locations import repo_dir

    exporter = get_exporter(fmt)
    built = validated_built(project, reasoner=reasoner, shacl=shacl)
    return write_export(built, fmt, out or repo_dir() / "out" / exporter.default_name)


def run_push(project: Project, url: str, *, reasoner: str | None = None, shacl: bool = True,
             **kwargs: Any) -> PushResult:
    """Load, validate and build ``project``, then push it (:func:`kg.export.push.push_dataset`)."""
    from kg.export.push import push_dataset

    return push_dataset(validated_built(project, reasoner=reasoner, shacl=shacl), url, **kwargs)


def run_analyze(project: Project, out_dir: Path, *, source: str | None = None, target: str | None = None,
                options: ProjectionOptions | None = None, engine: str = "auto",
                shacl: bool = True) -> tuple[Analysis, list[Path]]:
    """Load, validate and build ``project``, analyse it (:mod:`kg.analyze`) and write the report
    into ``out_dir``. Raises :class:`~kg.errors.ValidationFailed` on invalid data."""
    from kg.analyze import analyze, write_analysis

    result = analyze(validated_built(project, shacl=shacl), options=options, source=source, target=target,
                     engine=engine)
    return result, write_analysis(result, out_dir)


def run_view(project: Project, path: Path, *, focus: str | None = None, hops: int | None = None,
             reasoner: str | None = None, max_nodes: int | None = None) -> Path:
    """Load, validate and build ``project`` (optionally with inferred links) and write its explorer
    page (:mod:`kg.viz`) to ``path``. Raises :class:`~kg.errors.ValidationFailed` on invalid data and
    :class:`~kg.errors.UsageError` for an unknown ``focus``."""
    from kg.viz import DEFAULT_MAX_NODES, write_html

    built = validated_built(project, reasoner=reasoner)
    return write_html(built, path, focus=focus, hops=hops, max_nodes=max_nodes or DEFAULT_MAX_NODES,
                      title=project.title or project.name, sources_path=project.sources_path)

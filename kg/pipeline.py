"""The whole pipeline, as the CLI, the tests and the notebooks run it.

``load -> validate -> build -> infer -> write``. :func:`run_build` writes every output into
one directory: files are staged and then renamed into place, so an invalid dataset or a failed
build leaves the previous outputs untouched, and a lock stops two builds writing one directory.
"""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from rdflib import Dataset, Graph

from kg.build import build, build_quads, graph_names
from kg.errors import Report, UsageError, ValidationFailed
from kg.infer import infer as infer_dataset
from kg.load import Records, load
from kg.project import Project
from kg.output.build_report import build_report, report_json, report_markdown
from kg.build.quads import from_dataset
from kg.output.rdf import FORMATS, write_format
from kg.check import resolve
from kg.shapes import shacl_issues_quads

__all__ = ["BuildResult", "load_cached", "run_build", "run_validate", "validate", "validated_dataset"]

REPORT_JSON = "build-report.json"
REPORT_MD = "build-report.md"


class BuildResult:
    """What a build produced. ``dataset`` (an rdflib Dataset) is built on first use: ``kg
    build`` itself writes every output from :class:`kg.build.quads.Quads`."""

    def __init__(self, dataset: Dataset | None, report: Report, out_dir: Path,
                 outputs: list[Path] | None = None, summary: dict | None = None,
                 records: Records | None = None) -> None:
        self._dataset = dataset
        self.report = report
        self.out_dir = out_dir
        self.outputs = outputs if outputs is not None else []
        self.summary = summary if summary is not None else {}
        self.records = records

    @property
    def dataset(self) -> Dataset:
        """The built dataset (rdflib), built now if the build did not need it."""
        if self._dataset is None:
            self._dataset = build(self.records)
        return self._dataset


#: Bump when Records or the readers change, so old cache entries are ignored.
CACHE_VERSION = "2"


def load_cached(project: Project, cache_dir: Path) -> Records:
    """:func:`kg.load`, reusing each file's parsed rows from ``cache_dir`` when the file's bytes
    (and its name, and kg's version) are unchanged: a rebuild after editing one table re-reads
    only that table (an unchanged RDF file of a million triples is not parsed again). The
    checks and the build still run on everything, since rows refer to each other across files.
    """
    import hashlib
    import pickle
    from importlib.metadata import version

    from kg.errors import LoadError
    from kg.load import data_files, read_file

    records = Records(project=project)
    problems = []
    used = set()
    pending: list[tuple[Path, tuple]] = []
    for path in data_files(project):
        shown = project.display(path)
        records.files.append(shown)
        digest = hashlib.sha256(f"{CACHE_VERSION}\0{version('kg')}\0{shown}\0".encode())
        with open(path, "rb") as handle:  # streamed: a large input is never held whole for its hash
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        key = digest.hexdigest()
        entry = cache_dir / f"{key}.pickle"
        used.add(entry.name)
        part = Records(project=project)
        if entry.is_file():
            with open(entry, "rb") as handle:
                lists = pickle.load(handle)  # noqa: S301 - written by kg itself, in the output directory
        else:
            try:
                read_file(path, part, shown)
            except LoadError as exc:
                problems.extend(exc.issues)
                continue
            lists = (part.sources, part.entities, part.statements, part.rdf_triples, part.issues)
            pending.append((entry, lists))
        for target, items in zip((records.sources, records.entities, records.statements,
                                  records.rdf_triples, records.issues), lists):
            target.extend(items)
    if problems:
        raise LoadError(problems)
    records._cache["cache_writes"] = (cache_dir, used, pending)
    return records


def _save_cache(records: Records) -> None:
    """Write the cache entries :func:`load_cached` found missing, and drop stale ones (only after
    a successful build, so an invalid dataset leaves the output directory as it was)."""
    import pickle

    if "cache_writes" not in records._cache:
        return
    cache_dir, used, pending = records._cache.pop("cache_writes")
    cache_dir.mkdir(parents=True, exist_ok=True)
    for entry, lists in pending:
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(lists, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
    for stale in cache_dir.glob("*.pickle"):
        if stale.name not in used:
            stale.unlink(missing_ok=True)


def validate(records: Records, *, shacl: bool = True) -> Report:
    """Run every record check and, when they pass, the SHACL shapes. Never raises on bad data:
    ``report.ok`` says whether the data may be built."""
    resolved = resolve(records)
    report = Report(issues=list(resolved.issues), files=len(records.files))
    if report.ok and shacl:
        report.extend(shacl_issues_quads(build_quads(records), resolved))
    return report


def run_validate(project: Project, *, shacl: bool = True) -> tuple[Records, Report]:
    """Load and validate; never raises on invalid data (see ``report.ok``)."""
    records = load(project)
    return records, validate(records, shacl=shacl)


def validated_dataset(project: Project, *, reasoner: str | None = None, shacl: bool = True) -> Dataset:
    """Load, validate and build ``project`` (then infer with ``reasoner`` if given): the dataset
    every command that reads a project works on. Raises :class:`ValidationFailed` on invalid data."""
    records, report = run_validate(project, shacl=shacl)
    if not report.ok:
        raise ValidationFailed(report)
    ds = build(records)
    return infer_dataset(ds, project.base, reasoner) if reasoner else ds


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

    Raises :class:`ValidationFailed` (and writes nothing) when the data is invalid. The RDF
    outputs are written from :class:`kg.build.quads.Quads` without an rdflib Dataset; one is built
    only for inference and the explorer page (``html=False`` skips that page). ``progress``
    shows a progress bar on standard error. ``cache`` keeps each input file's parsed rows in
    ``out_dir/.cache`` for the next build (see :func:`load_cached`).
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    stage = _Stages(progress, 4 + len(formats) + bool(reasoner) + html)
    try:
        stage("load")
        records = load_cached(project, out_dir / ".cache" / "records") if cache else load(project)
        stage("record checks")
        resolved = resolve(records)
        report = Report(issues=list(resolved.issues), files=len(records.files))
        if not report.ok:
            raise ValidationFailed(report)
        stage("build")
        quads = build_quads(records)
        if shacl:
            stage("shacl")
            report.extend(shacl_issues_quads(quads, resolved))
            if not report.ok:
                raise ValidationFailed(report)
        ds = None
        files: dict[str, bytes | Callable[[BinaryIO], None]] = {}
        if reasoner:
            stage("inference")
            ds = infer_dataset(build(records), project.base, reasoner)
            quads = from_dataset(ds)
            inferred = Graph()
            for prefix, ns in ds.namespaces():
                inferred.bind(prefix, ns, override=True, replace=True)
            for triple in ds.graph(graph_names(project.base).inferred):
                inferred.add(triple)
            files["inferred.ttl"] = inferred.serialize(format="turtle", encoding="utf-8")
        for name in formats:
            files[f"graph.{name}"] = functools.partial(write_format, quads, FORMATS[name])
        # --- other outputs (the explorer's graph.html, ...) are added to `files` here ---
        if html:
            from kg.viz import render_html  # pyvis and igraph only when building
            if ds is None:
                ds = build(records)
            files["graph.html"] = render_html(ds, project.base, title=project.title or project.name,
                                              sources_path=project.sources_path).encode("utf-8")
        names = sorted([*files, REPORT_JSON, REPORT_MD])
        summary = build_report(records, resolved, report, quads, names)
        files[REPORT_JSON] = report_json(summary)
        files[REPORT_MD] = report_markdown(summary).encode("utf-8")
        written = _publish(out_dir, files, stage, remove=() if html else ("graph.html",))
        _save_cache(records)
    finally:
        stage.close()
    return BuildResult(ds, report, out_dir, written, summary, records)


def _publish(out_dir: Path, files: dict[str, bytes | Callable[[BinaryIO], None]],
             stage: Callable[[str], None] = lambda name: None, *, remove: Sequence[str] = ()) -> list[Path]:
    """Stage every file (bytes, or a function writing to a file), then rename them into
    ``out_dir`` under an exclusive lock, and remove the outputs named in ``remove`` (an earlier
    build's file that this build does not write and that would no longer match its data)."""
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
                    if callable(data):
                        stage(name)
                        data(handle)
                    else:
                        handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            written = []
            for name in sorted(files):
                os.replace(staging / name, out_dir / name)
                written.append(out_dir / name)
            for name in remove:
                (out_dir / name).unlink(missing_ok=True)
            return written
        finally:
            shutil.rmtree(staging, ignore_errors=True)

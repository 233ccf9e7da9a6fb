"""Exports: the dataset in the formats other tools read, from one registry.

``kg.export.write_export(ds, base, "graphml", Path("out/graph.graphml"))``, or
:func:`run_export` for the whole pipeline (load, validate, build, write). Formats:
:data:`EXPORTS` (the RDF formats of :mod:`kg.output.rdf`, graphml, gexf, neo4j, stix, csv).
"""

from __future__ import annotations

from pathlib import Path

from kg.export.registry import EXPORTS, Exporter, dump_export, get_exporter, write_export

__all__ = ["EXPORTS", "Exporter", "dump_export", "get_exporter", "run_export", "write_export"]


def run_export(project, fmt: str, out: Path | None = None, *, reasoner: str | None = None,
               shacl: bool = True) -> list[Path]:
    """Load, validate and build ``project`` (a :class:`kg.Project`), then export it in ``fmt``
    to ``out`` (default: ``out/graph.<fmt>``, or ``out/<fmt>/`` for directory formats).

    Raises :class:`~kg.errors.ValidationFailed` (writing nothing) when the data is invalid.
    """
    from kg.locations import repo_dir
    from kg.pipeline import validated_dataset

    exporter = get_exporter(fmt)
    ds = validated_dataset(project, reasoner=reasoner, shacl=shacl)
    target = out or repo_dir() / "out" / exporter.default_name
    return write_export(ds, project.base, fmt, target)

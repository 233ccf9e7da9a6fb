"""One registry of export formats: name (= ``--format`` value = file suffix) -> writer.

The RDF formats are :data:`kg.output.rdf.FORMATS` (the ones ``kg build`` writes), wrapped, not
copied; the property-graph formats read the dataset through :mod:`kg.property_graph`'s view. Each format
has a ``dump`` (bytes, or ``{file name: bytes}`` for a directory format) and ``write``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from kg.build import Built
from kg.errors import UsageError
from kg.output import rdf as serialize
from kg.output.files import write_atomic

__all__ = ["EXPORTS", "Exporter", "dump_export", "get_exporter", "write_export"]

Dump = Callable[[Built], "bytes | dict[str, bytes]"]


@dataclass(frozen=True)
class Exporter:
    """An export format. ``writer`` names its dump function as ``"module:function"``, imported
    when the format is used (as rdflib's plugin registry does), so that naming the formats (for
    ``kg export --help``) loads none of their libraries."""

    name: str
    description: str
    writer: str | Dump
    directory: bool = False  # writes a directory of files
    rdf: bool = False  # one of kg.output.rdf.FORMATS (can be parsed back by rdflib)

    def dump(self, built: Built) -> bytes | dict[str, bytes]:
        """The dataset in this format: bytes, or ``{file name: bytes}`` for a directory format."""
        writer = self.writer
        if isinstance(writer, str):
            module, _, function = writer.partition(":")
            writer = getattr(import_module(module), function)
        return writer(built)

    @property
    def default_name(self) -> str:
        """The default output name: ``graph.<name>``, or ``<name>/`` for a directory format."""
        return self.name if self.directory else f"graph.{self.name}"


def _rdf(fmt: serialize.Format) -> Exporter:
    return Exporter(fmt.name, fmt.description, lambda built: serialize.dump(built, fmt.name), rdf=True)


EXPORTS: dict[str, Exporter] = {
    **{name: _rdf(fmt) for name, fmt in serialize.FORMATS.items()},
    "graphml": Exporter("graphml", "GraphML for Gephi/Cytoscape/yEd: typed attributes, provenance on edges",
                        "kg.export.graphml:dump_graphml"),
    "gexf": Exporter("gexf", "GEXF for Gephi: typed attributes, provenance, event dates on the timeline",
                     "kg.export.gexf:dump_gexf"),
    "neo4j": Exporter("neo4j", "Neo4j: neo4j-admin import CSVs and an idempotent MERGE Cypher script",
                      "kg.export.neo4j:dump_neo4j", directory=True),
    "stix": Exporter("stix", "STIX 2.1 bundle (JSON) for OpenCTI/MISP", "kg.export.stix:dump_stix"),
    "ftm": Exporter("ftm", "FollowTheMoney entities and statements for Aleph/OpenAleph/OpenSanctions tools",
                    "kg.export.ftm:dump_ftm", directory=True),
    "csv": Exporter("csv", "Spreadsheet tables: entities, relationships, events (ACLED-like), claims",
                    "kg.export.tables:dump_tables", directory=True),
}


def get_exporter(name: str) -> Exporter:
    """The exporter called ``name``; :class:`UsageError` naming the choices when there is none."""
    try:
        return EXPORTS[name]
    except KeyError:
        raise UsageError(f"unknown export format {name!r}; choose from {', '.join(EXPORTS)}") from None


def dump_export(built: Built, fmt: str) -> bytes | dict[str, bytes]:
    """The dataset in format ``fmt``: bytes, or ``{file name: bytes}`` for a directory format."""
    return get_exporter(fmt).dump(built)


def write_export(built: Built, fmt: str, path: Path) -> list[Path]:
    """Write the dataset in format ``fmt`` to ``path`` (a file, or a directory for a directory
    format); every file is written atomically. Returns the files written."""
    exporter = get_exporter(fmt)
    data = exporter.dump(built)
    if isinstance(data, dict):
        if path.exists() and not path.is_dir():
            raise UsageError(f"{path}: the {fmt} export is a directory; --out must name a directory")
        written = []
        for name, content in data.items():
            write_atomic(path / name, content)
            written.append(path / name)
        return written
    if path.is_dir():
        raise UsageError(f"{path} is a directory; --out must name a file for the {fmt} export")
    write_atomic(path, data)
    return [path]

"""Exports: the dataset in the formats other tools read, from one registry.

``kg.export.write_export(built, "graphml", Path("out/graph.graphml"))``, or
:func:`kg.pipeline.run_export` for the whole pipeline (load, validate, build, write). Formats:
:data:`EXPORTS` (the RDF formats of :mod:`kg.output.rdf`, graphml, gexf, neo4j, stix, ftm, csv).
"""

from __future__ import annotations

from kg.export.registry import EXPORTS, Exporter, dump_export, get_exporter, write_export

__all__ = ["EXPORTS", "Exporter", "dump_export", "get_exporter", "write_export"]

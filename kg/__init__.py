"""kg: knowledge graphs from open-source reporting, with provenance on every link.

The same steps read the same in a notebook, a test and behind the CLI::

    import kg
    project = kg.open_project()                 # the bundled dataset, or open_project("my-data")
    records = kg.load(project)                  # every row, with its file:line
    report = kg.validate(records)               # record checks + SHACL; report.ok
    built = kg.build(records)                   # one immutable built dataset (kg.Built)
    built = kg.infer(built)                     # optional: entailments in their own graph
    kg.write(built, "ttl", Path("out/graph.ttl"))  # or kg.run_build(project, Path("out"))

The exceptions kg raises are drawn as a tree in :mod:`kg.errors`.
"""

from kg.build import Built, GraphNames, build, graph_names
from kg.check import resolve
from kg.errors import Issue, KgError, LoadError, Position, Report, UsageError, ValidationFailed
from kg.infer import infer
from kg.load import Records, load
from kg.output.rdf import FORMATS, dump, write
from kg.pipeline import BuildResult, run_build, run_validate, validate, validated_built
from kg.project import Project, open_project

__all__ = [
    "BuildResult",
    "Built",
    "FORMATS",
    "GraphNames",
    "Issue",
    "KgError",
    "LoadError",
    "Position",
    "Project",
    "Records",
    "Report",
    "UsageError",
    "ValidationFailed",
    "build",
    "dump",
    "graph_names",
    "infer",
    "load",
    "open_project",
    "resolve",
    "run_build",
    "run_validate",
    "validate",
    "validated_built",
    "write",
]

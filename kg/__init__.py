"""kg: knowledge graphs from open-source reporting, with provenance on every link.

The same steps read the same in a notebook, a test and behind the CLI::

    import kg
    project = kg.open_project()                 # the bundled dataset, or open_project("my-data")
    records = kg.load(project)                  # every row, with its file:line
    report = kg.validate(records)               # record checks + SHACL; report.ok
    ds = kg.build(records)                      # an rdflib Dataset with provenance
    ds = kg.infer(ds, project.base)             # optional: entailments in their own graph
    kg.write(ds, "ttl", Path("out/graph.ttl"))  # or kg.run_build(project, Path("out"))
"""

from kg.build import build, graph_names
from kg.errors import Issue, KgError, LoadError, Position, Report, UsageError, ValidationFailed
from kg.infer import infer
from kg.load import Records, load
from kg.pipeline import BuildResult, run_build, run_validate, validate
from kg.project import Project, open_project
from kg.output.rdf import FORMATS, dump, write
from kg.check import resolve

__all__ = [
    "BuildResult",
    "FORMATS",
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
    "write",
]

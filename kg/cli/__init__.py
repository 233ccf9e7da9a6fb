"""The ``kg`` command: a thin layer over the Python API.

Each command lives in its own module here, parses its options, calls one API function (imported
inside the command, so ``kg --help`` loads no heavy library), and turns
:class:`~kg.errors.KgError` into a message and an exit code (0 ok, 1 invalid data, 2 usage or
load error; see :mod:`kg.cli.options`).
"""

from __future__ import annotations

import click

from kg.cli.add_source import add_source
from kg.cli.analyze import analyze
from kg.cli.bench import bench
from kg.cli.build import build
from kg.cli.curate import curate
from kg.cli.draft import draft
from kg.cli.export import export, push
from kg.cli.init import init
from kg.cli.ontology_doc import ontology_doc
from kg.cli.query import query
from kg.cli.serve import serve
from kg.cli.validate import validate
from kg.cli.view import view

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """kg: knowledge graphs from open-source reporting, with provenance on every link."""


# One line per command (keep sorted).
for _command in (add_source, analyze, bench, build, curate, draft, export, init, ontology_doc, push, query,
                 serve, validate, view):
    main.add_command(_command)

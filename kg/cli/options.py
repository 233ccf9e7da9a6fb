"""What every ``kg`` command shares: the dataset options and the error handling that turns
:class:`~kg.errors.KgError` into a message and an exit code (0 ok, 1 invalid data, 2 usage or
load error). Command modules import these from here, never from :mod:`kg.cli` (which imports
them all)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.errors import EXIT_USAGE, KgError, LoadError, ValidationFailed, escape_controls

__all__ = ["data_options", "handle_errors"]


def data_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--data and --sources, shared by every command that reads a dataset."""
    func = click.option(
        "--sources", "sources", multiple=True, type=click.Path(file_okay=False, path_type=Path),
        help="Directory holding source texts, searched before the dataset's sources_path (repeatable).",
    )(func)
    func = click.option(
        "--data", "data", type=click.Path(path_type=Path), default=None,
        help="Dataset directory (default: the bundled dataset).",
    )(func)
    return func


def _say(text: str) -> None:
    """One message on standard error, its control characters escaped: messages quote data and
    requests, which must not drive the terminal (see :func:`kg.errors.escape_controls`)."""
    click.echo(escape_controls(text, keep_newlines=True), err=True)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Print kg errors the way a person can act on them, and exit with their code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            _say(exc.report.format())
            sys.exit(exc.exit_code)
        except LoadError as exc:
            for issue in exc.issues:
                _say(issue.format())
            sys.exit(exc.exit_code)
        except KgError as exc:
            _say(f"error: {exc}")
            sys.exit(exc.exit_code)
        except OSError as exc:  # a path the system refuses: too long, busy, not allowed, disk full ...
            where = f"{exc.filename}: " if exc.filename is not None else ""
            _say(f"error: {where}{exc.strerror or exc}")
            sys.exit(EXIT_USAGE)

    return wrapper

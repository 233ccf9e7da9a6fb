"""``kg curate SOURCE``: the review page for a source's draft, served on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import data_options, handle_errors

__all__ = ["curate"]


@click.command("curate")
@click.argument("source")
@data_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Anything but a loopback address lets others change the tables.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free one).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but the address and errors.")
@handle_errors
def curate(source: str, data: Path | None, sources: tuple[Path, ...], host: str, port: int, quiet: bool) -> None:
    """Review the draft of SOURCE in the browser: the text beside the drafted rows. Select words
    to quote them, complete ids and terms, accept, edit or reject rows, add entities; each row is
    validated as kg validate would and written to the tables at once; Undo takes back the last change.

    \b
    Example:
      kg draft report && kg curate report    # then open http://127.0.0.1:8765/
    """
    from kg.curate.review.server import open_review
    from kg.curate.review.session import ReviewSession
    from kg.errors import UsageError
    from kg.project import open_project
    from kg.serve.server import is_loopback

    project = open_project(data, sources=sources)
    session = ReviewSession(project, source)
    if not is_loopback(host):
        click.echo(f"warning: binding {host}: anyone who can reach this machine can change the tables "
                   "(there is no authentication)", err=True)
    try:
        server = open_review(session, host=host, port=port, background=False)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    click.echo(f"reviewing {source!r} at {server.url}  (Ctrl-C stops)")
    if not quiet:
        click.echo(f"  drafts: {project.display(session.path)}; tables: {project.display(project.data_dir)}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()

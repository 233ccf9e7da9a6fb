"""A dataset on disk and its settings, as one frozen value passed to every step (never global)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.locations import bundled_data_dir, ontology_dir
from kg.errors import Issue, LoadError, Position, UsageError
from kg.vocab import STANDARD_PREFIXES

__all__ = ["CONFIG_FILE", "Project", "open_project"]

CONFIG_FILE = "kg.toml"
_PREFIX_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Project:
    """A dataset directory and its settings (read from its ``kg.toml``)."""

    data_dir: Path
    name: str
    base: str
    title: str = ""
    prefixes: dict[str, str] = field(default_factory=dict)
    sources_path: tuple[Path, ...] = ()
    ontology_dir: Path = field(default_factory=ontology_dir)

    def display(self, path: Path) -> str:
        """A path as shown in messages: relative to the current directory when possible."""
        try:
            return str(path.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return str(path)

    def find_source_text(self, file_name: str) -> Path | None:
        """The first file named ``file_name`` on the sources path, or None."""
        for directory in self.sources_path:
            candidate = directory / file_name
            if candidate.is_file():
                return candidate
        return None


def open_project(
    data_dir: Path | str | None = None,
    *,
    sources: Sequence[Path | str] = (),
) -> Project:
    """Read a dataset directory's ``kg.toml`` (default: the bundled dataset).

    ``sources`` are extra directories searched for source texts before the ones the
    configuration names.
    """
    data = Path(data_dir) if data_dir is not None else bundled_data_dir()
    if not data.is_dir():
        raise UsageError(f"{data}: not a directory; --data must name a dataset directory")
    data = data.resolve()
    config: dict = {}
    config_path = data / CONFIG_FILE
    if config_path.is_file():
        try:
            config = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            line = _toml_error_line(exc)
            raise LoadError(
                Issue("KG101", f"TOML syntax: {exc}", Position(str(config_path), line),
                      fix="correct the syntax of kg.toml (https://toml.io)")
            ) from exc
    section = config.get("dataset", {})
    name = str(section.get("name") or data.name)
    base = str(section.get("base") or f"https://w3id.org/osint-kg/data/{name}/")
    if not base.endswith(("/", "#")):
        base += "/"
    prefixes = dict(STANDARD_PREFIXES)
    for prefix, iri in (config.get("prefixes") or {}).items():
        if not _PREFIX_RE.match(prefix) or not isinstance(iri, str):
            raise LoadError(
                Issue("KG101", f"bad prefix entry {prefix!r} = {iri!r}", Position(str(config_path)),
                      fix='write prefixes as  name = "http://example.org/ns#"')
            )
        prefixes[prefix] = iri
    prefixes["data"] = base
    search = [Path(s) for s in sources]
    search += [data / p for p in section.get("sources_path", ["sources"])]
    return Project(
        data_dir=data,
        name=name,
        base=base,
        title=str(section.get("title", "")),
        prefixes=prefixes,
        sources_path=tuple(search),
    )


def _toml_error_line(exc: Exception) -> int:
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else 0

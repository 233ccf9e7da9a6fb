"""A dataset on disk and its settings, as one frozen value passed to every step (never global)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import Issue, LoadError, Position, UsageError
from kg.locations import bundled_data_dir, ontology_dir
from kg.vocab import STANDARD_PREFIXES

__all__ = ["CONFIG_FILE", "Project", "is_inside", "open_project", "unsafe_relative_path"]

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
        """The first file named ``file_name`` on the sources path, or None.

        Reads are confined: ``file_name`` must be a relative path that stays inside a directory
        of the sources path once every symbolic link is resolved (``/etc/passwd``,
        ``../../secret`` and a link leading out are :class:`UsageError`, never read)."""
        problem = unsafe_relative_path(file_name)
        if problem:
            raise UsageError(f"text_file {file_name!r} {problem}; name a file inside the sources directories")
        for directory in self.sources_path:
            candidate = directory / file_name
            if candidate.is_file():
                if not is_inside(candidate, directory):
                    raise UsageError(f"text_file {file_name!r} leads out of {directory} through a symbolic link; "
                                     f"kg reads source texts only inside the sources directories")
                return candidate
        return None


def unsafe_relative_path(name: str) -> str | None:
    """Why ``name`` may not name a file inside a directory (absolute, climbing with ``..``,
    empty, or holding a NUL or a control character), or None when it is a plain relative path."""
    if not name or name.strip() != name:
        return "is empty or starts or ends with white space"
    if any(ord(c) < 0x20 or c == "\x7f" for c in name):
        return "holds a control character"
    path = Path(name)
    if path.is_absolute() or name.startswith("~"):
        return "is an absolute path"
    if ".." in path.parts:
        return "climbs out of its directory with '..'"
    return None


def is_inside(path: Path, directory: Path) -> bool:
    """True when ``path``, every link resolved, lies inside ``directory`` (resolved too)."""
    try:
        path.resolve(strict=True).relative_to(directory.resolve(strict=True))
    except (OSError, ValueError):
        return False
    return True


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
    config_path = data / CONFIG_FILE
    if not config_path.is_file():
        raise UsageError(f"{data} is not a dataset directory: it has no {CONFIG_FILE}. A dataset directory holds "
                         f"a {CONFIG_FILE} and its tables (sources, entities, statements); `kg init DIR` makes one")
    text = config_path.read_bytes().decode("utf-8", "replace")
    try:
        config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        line = _toml_error_line(exc)
        raise LoadError(
            Issue("KG101", f"TOML syntax: {exc}", Position(str(config_path), line),
                  fix="correct the syntax of kg.toml (https://toml.io)")
        ) from exc

    def bad(key: str, what: str, fix: str) -> LoadError:
        line = next((n for n, row in enumerate(text.splitlines(), 1) if row.strip().startswith(f"{key} ")
                     or row.strip().startswith(f"{key}=")), 0)
        return LoadError(Issue("KG101", f"kg.toml: {key} {what}", Position(str(config_path), line), fix=fix))

    section = config.get("dataset", {})
    if not isinstance(section, dict):
        raise bad("dataset", "must be a table ([dataset])", "write [dataset] with name, base, ...")
    for key in ("name", "base", "title"):
        if key in section and not isinstance(section[key], str):
            raise bad(key, f"must be a string, not {section[key]!r}", f'write {key} = "..."')
    name = str(section.get("name") or data.name)
    base = str(section.get("base") or f"https://w3id.org/osint-kg/data/{name}/")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]+", base):
        raise bad("base", f"{base!r} is not an absolute IRI (no spaces or characters IRIs forbid)",
                  'write base = "https://example.org/my-dataset/"')
    if not base.endswith(("/", "#")):
        base += "/"
    paths = section.get("sources_path", ["sources"])
    if not isinstance(paths, list) or not all(isinstance(s, str) and s for s in paths):
        raise bad("sources_path", f"must be a list of directory names, not {paths!r}",
                  'write sources_path = ["sources"]')
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
    search += [data / p for p in paths]
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

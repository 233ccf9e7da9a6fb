"""``kg init DIR``: a new, empty dataset that validates and builds as it is.

It holds a ``kg.toml`` (whose ``sources_path`` is the dataset's own ``sources/``, so a copied
dataset keeps its texts), the three tables with their headers, one ``curator`` source
(kg:CuratorNote: the curator's knowledge from outside the sources, which needs no quote), an
empty ``sources/`` and a short README. The directory appears whole or not at all: it is written
under a temporary name beside the target and renamed into place.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from kg.curate.known import slug
from kg.curate.tables import ENTITIES_HEADER, SOURCES_HEADER, STATEMENTS_HEADER, csv_text
from kg.errors import UsageError

__all__ = ["CURATOR_ID", "init_dataset"]

CURATOR_ID = "curator"

_README = """\
# {title}

A kg dataset (https://w3id.org/osint-kg). Its tables are CSV files an analyst edits in a
spreadsheet or with kg's curation commands:

| file | what |
|---|---|
| `kg.toml` | the dataset's name, base IRI and where source texts are (`sources/`) |
| `sources.csv` | one row per source: a report, a statement, a dataset, the curator's notes |
| `entities.csv` | one row per entity: actors, places, events, times, assets |
| `statements.csv` | one row per triple, with the source's verbatim quote that supports it |
| `sources/` | the full texts, so every quote can be checked |

Adding a report:

```sh
kg add-source report.txt --data {dirname} --outlet "Outlet name" --published 2025-08-21 --language en
kg draft report --data {dirname}        # candidate rows in drafts/, never in the tables
kg curate --data {dirname}              # review them beside the text, in the browser
kg validate --data {dirname} && kg build --data {dirname}
```

The format of every table and cell: the `data/README.md` of kg and its ontology reference,
`docs/ontology.md` (`kg ontology-doc`).
"""


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def init_dataset(directory: Path | str, *, name: str | None = None, title: str | None = None,
                 base: str | None = None) -> Path:
    """Create a new, empty dataset in ``directory`` (which must not exist or be empty).

    ``name`` defaults to the directory's name (as an id), ``base`` to
    ``https://w3id.org/osint-kg/data/NAME/``. Returns the dataset's directory.
    Raises :class:`~kg.errors.UsageError` when the directory holds anything.
    """
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        what = "a file" if not target.is_dir() else "a directory that is not empty"
        raise UsageError(f"{target}: {what}; kg init makes a new dataset in a new or empty directory")
    name = name or slug(target.resolve().name) or "dataset"
    if not re.match(r"^[A-Za-z][A-Za-z0-9_.-]*$", name):
        raise UsageError(f"--name {name!r}: a dataset name is an id (letters, digits, '_', '-', '.')")
    base = base or f"https://w3id.org/osint-kg/data/{name}/"
    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+[/#]$", base):
        raise UsageError(f"--base {base!r}: give an http(s) IRI ending in / or # (https://example.org/my-data/)")
    title = title or name
    files = {
        "kg.toml": (
            "# A kg dataset, made by `kg init`.\n"
            "[dataset]\n"
            f"name = {_toml_string(name)}\n"
            f"title = {_toml_string(title)}\n"
            "# Entity ids in the tables are local names under this IRI.\n"
            f"base = {_toml_string(base)}\n"
            "# Directories searched, in order, for each source's text_file (relative to this file).\n"
            'sources_path = ["sources"]\n'
            "\n"
            "[prefixes]\n"
            "# Extra CURIE prefixes for this dataset, e.g. wd = \"http://www.wikidata.org/entity/\".\n"
        ),
        "sources.csv": csv_text([
            SOURCES_HEADER,
            [CURATOR_ID, "kg:CuratorNote", "Curator's notes (knowledge from outside the sources)",
             "", "", "", "", "", "", "", "",
             "Name expansions, translations and outlets known from a source's masthead; flagged external."],
        ]),
        "entities.csv": csv_text([ENTITIES_HEADER]),
        "statements.csv": csv_text([STATEMENTS_HEADER]),
        "README.md": _README.format(title=title, dirname=target.name or "."),
    }
    parent = target.resolve().parent
    if not parent.is_dir():
        raise UsageError(f"{parent}: no such directory; create it first")
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".init", dir=parent))
    try:
        for file_name, text in files.items():
            (staging / file_name).write_text(text, encoding="utf-8")
        (staging / "sources").mkdir()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        if target.exists():
            target.rmdir()  # empty: checked above
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target

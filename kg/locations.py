"""Where the bundled ontology and dataset live: packaged copies first, then the source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent


def ontology_dir() -> Path:
    """The directory holding kg.ttl, concepts.ttl and shapes.ttl."""
    packaged = _PACKAGE / "_ontology"
    return packaged if packaged.is_dir() else _REPO / "ontology"


def bundled_data_dir() -> Path:
    """The bundled dataset (the cartel-drones report)."""
    packaged = _PACKAGE / "_data"
    return packaged if packaged.is_dir() else _REPO / "data"


def repo_dir() -> Path:
    """The source tree's root (where out/ goes by default)."""
    return _REPO

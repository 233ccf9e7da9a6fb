"""``python -m kg.ontology``: regenerate ``kg/ontology/terms.py`` after editing ``ontology/*.ttl``."""

from __future__ import annotations

import sys
from pathlib import Path

from kg.ontology import generate_terms_module


def main() -> int:
    """Write the generated terms module next to this file."""
    target = Path(__file__).with_name("terms.py")
    target.write_text(generate_terms_module(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

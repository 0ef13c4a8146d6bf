"""Regenerate the shipped catalog (src/tutela/data/catalog.yaml) from the policy markdown.

    python scripts/regenerate_catalog.py [POLICY.md]

Without an argument it reads ../shared/policy/ENG-POL-003.md beside the repository,
else the copy in tests/catalog/data/. The test suite fails when the shipped file and
the importer's output differ, so run this after changing the policy or the importer.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tutela.catalog.importer import import_policy
from tutela.catalog.loader import dump_catalog

REPO = Path(__file__).resolve().parents[1]
CANDIDATES = (
    REPO.parent / "shared" / "policy" / "ENG-POL-003.md",
    REPO / "tests" / "catalog" / "data" / "ENG-POL-003.md",
)
TARGET = REPO / "src" / "tutela" / "data" / "catalog.yaml"


def main(argv: list[str]) -> int:
    if argv:
        policy = Path(argv[0])
    else:
        policy = next((path for path in CANDIDATES if path.exists()), CANDIDATES[0])
    catalog = import_policy(policy)
    TARGET.write_text(dump_catalog(catalog), encoding="utf-8")
    sys.stderr.write(
        f"{TARGET.relative_to(REPO)}: {len(catalog.requirements)} requirements from {policy}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

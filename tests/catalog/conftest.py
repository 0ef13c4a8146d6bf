"""Shared fixtures of the catalog tests: the policy text, the imported catalog, edited copies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tutela.catalog.importer import import_policy
from tutela.catalog.model import Catalog

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED_POLICY = REPO.parent / "shared" / "policy" / "ENG-POL-003.md"
COPIED_POLICY = HERE / "data" / "ENG-POL-003.md"


@pytest.fixture(scope="session")
def policy_path() -> Path:
    """The shared policy when it is there, else the copy kept with the tests."""
    return SHARED_POLICY if SHARED_POLICY.exists() else COPIED_POLICY


@pytest.fixture(scope="session")
def policy_text(policy_path: Path) -> str:
    return policy_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def catalog(policy_path: Path) -> Catalog:
    return import_policy(policy_path)


@pytest.fixture
def edited_policy(
    tmp_path: Path, policy_text: str
) -> Callable[[Callable[[list[str]], None]], Path]:
    """Write an edited copy of the policy: `edit` changes its list of lines in place."""

    def make(edit: Callable[[list[str]], None], name: str = "ENG-POL-003.md") -> Path:
        lines = policy_text.splitlines()
        edit(lines)
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return make


def line_index(lines: list[str], startswith: str) -> int:
    """0-based index of the first line that starts with `startswith` (after indentation)."""
    for index, line in enumerate(lines):
        if line.strip().startswith(startswith):
            return index
    raise AssertionError(f"no line starts with {startswith!r}")


@pytest.fixture
def find_line() -> Callable[[list[str], str], int]:
    return line_index

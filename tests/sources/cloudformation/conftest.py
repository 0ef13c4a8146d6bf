"""Helpers for the CloudFormation source tests: load a fixture or an inline template."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tutela.sources.cloudformation import load_cloudformation
from tutela.sources.raw import RawParseResult

FIXTURES = Path(__file__).parent / "fixtures"

Loader = Callable[..., RawParseResult]


@pytest.fixture
def fixture_template() -> Loader:
    def load(name: str, parameters: Mapping[str, str] | None = None) -> RawParseResult:
        return load_cloudformation(FIXTURES / name, root=FIXTURES, parameters=parameters)

    return load


@pytest.fixture
def template(tmp_path: Path) -> Loader:
    """Write `text` (str or bytes) as a template file under tmp_path and load it."""

    def load(
        text: str | bytes,
        name: str = "template.yaml",
        parameters: Mapping[str, str] | None = None,
    ) -> RawParseResult:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return load_cloudformation(path, root=tmp_path, parameters=parameters)

    return load

"""The shipped catalog, YAML round trips, load speed and errors on bad files."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

import pytest
import yaml

from tutela.catalog import loader
from tutela.catalog.loader import dump_catalog, load_catalog, load_catalog_text
from tutela.catalog.model import Catalog
from tutela.errors import CatalogError


def shipped_text() -> str:
    return resources.files("tutela").joinpath("data/catalog.yaml").read_text(encoding="utf-8")


def test_shipped_catalog_equals_the_importers_output(catalog: Catalog) -> None:
    assert load_catalog(None) == catalog
    # byte for byte: regenerating gives the same file (run scripts/regenerate_catalog.py if not)
    assert dump_catalog(catalog) == shipped_text()


def test_round_trip(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(dump_catalog(catalog), encoding="utf-8")
    again = load_catalog(path)
    assert again == catalog
    assert again.get("3.6.2.a.4").references == catalog.get("3.6.2.a.4").references


def test_references_are_written_once_and_aliased() -> None:
    text = shipped_text()
    assert text.count("&ref-hitrust-06-a-l269") == 1
    assert text.count("*ref-hitrust-06-a-l269") == 134
    assert "*id0" not in text


def test_loading_is_fast() -> None:
    text = shipped_text()
    if yaml.__with_libyaml__:
        assert loader._Loader is yaml.CSafeLoader
    best = min(_timed(lambda: load_catalog_text(text)) for _ in range(3))
    assert best < 0.15, f"loading the shipped catalog took {best:.3f}s"


def _timed(action: object) -> float:
    assert callable(action)
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="not found") as caught:
        load_catalog(tmp_path / "missing.yaml")
    assert caught.value.path == str(tmp_path / "missing.yaml")


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("policy_id: X\nrequirements: [\n  - a\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid YAML") as caught:
        load_catalog(path)
    assert caught.value.line is not None and caught.value.line >= 2


def test_not_a_catalog(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="not a tutela catalog"):
        load_catalog(path)


def test_wrong_field_names_the_field_and_line(tmp_path: Path) -> None:
    text = shipped_text().replace("kind: annual", "kind: fortnightly", 1)
    lines = text.splitlines()
    expected = next(n for n, line in enumerate(lines, 1) if "kind: fortnightly" in line)
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert ".cadence.kind" in caught.value.message
    assert caught.value.line == expected
    assert str(caught.value).startswith(f"{path}:{expected}: invalid catalog: requirements[")


def test_unknown_key_is_rejected(tmp_path: Path) -> None:
    text = shipped_text().replace(
        "policy_id: ENG-POL-003", "policy_id: ENG-POL-003\npolicy_owner: me", 1
    )
    with pytest.raises(CatalogError, match="policy_owner"):
        load_catalog_text(text, source="x.yaml")


def test_unsupported_format() -> None:
    text = shipped_text().replace("format: tutela-catalog/1", "format: tutela-catalog/9", 1)
    with pytest.raises(
        CatalogError, match="unsupported catalog format 'tutela-catalog/9'"
    ) as caught:
        load_catalog_text(text, source="x.yaml")
    assert caught.value.line == 3


def test_duplicate_requirement_ids(catalog: Catalog) -> None:
    data = catalog.model_dump(mode="json")
    data["requirements"].append(data["requirements"][0])
    with pytest.raises(CatalogError, match=r"3\.1\.1\.a\.1 appears twice"):
        load_catalog_text(yaml.safe_dump(data), source="x.yaml")


def test_inconsistent_id() -> None:
    text = shipped_text().replace("- id: 3.1.1.a.1\n", "- id: 3.1.1.a.9\n", 1)
    with pytest.raises(
        CatalogError, match=r"3\.1\.1\.a\.9 has section/group/item of 3\.1\.1\.a\.1"
    ):
        load_catalog_text(text, source="x.yaml")

"""OSCAL export: valid against NIST's catalog schema and OSCAL 1.1 models, deterministic."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import regex
from jsonschema import Draft7Validator, FormatChecker, ValidationError, validators

from tutela.catalog.importer import import_policy
from tutela.catalog.model import Catalog
from tutela.catalog.oscal import OSCAL_VERSION, TUTELA_NS, catalog_to_oscal, control_id, dump_oscal

SCHEMA_PATH = Path(__file__).parent / "schemas" / "oscal_catalog_schema.json"


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """`pattern` with the `regex` engine, which knows the schema's \\p{L} and \\p{N} classes."""
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


OscalValidator = validators.extend(Draft7Validator, {"pattern": _pattern})

FORMATS = FormatChecker()
"""Draft-07 formats, with `regex` (the schema's own patterns) compiled by the `regex` engine."""


@FORMATS.checks("regex", raises=regex.error)
def _is_regex(instance: object) -> bool:
    if isinstance(instance, str):
        regex.compile(instance)
    return True


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$id"].startswith("http://csrc.nist.gov/ns/oscal/")
    Draft7Validator.check_schema(schema, format_checker=FORMATS)
    return OscalValidator(schema, format_checker=FORMATS)


@pytest.fixture(scope="module")
def document(catalog: Catalog) -> dict[str, Any]:
    return catalog_to_oscal(catalog)


def errors(validator: Any, document: dict[str, Any]) -> list[str]:
    """Every error, including those nested in anyOf/oneOf branches (`context`)."""
    found: list[str] = []

    def walk(error: ValidationError) -> None:
        found.append(f"{'/'.join(map(str, error.absolute_path))}: {error.message}")
        for sub in error.context or ():
            walk(sub)

    for error in validator.iter_errors(document):
        walk(error)
    return found


def first_control(document: dict[str, Any]) -> dict[str, Any]:
    control: dict[str, Any] = document["catalog"]["groups"][0]["groups"][0]["groups"][0][
        "controls"
    ][0]
    return control


def test_export_validates_against_the_nist_schema(validator: Any, document: dict[str, Any]) -> None:
    assert errors(validator, document) == []


def test_python_re_cannot_read_the_schema_patterns() -> None:
    # the reason for the regex engine: a plain validator would crash, not validate
    with pytest.raises(re.error):
        re.compile(r"^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: first_control(d).pop("id"), "'id' is a required property"),
        (lambda d: first_control(d).update(id="3.1.1.a.1"), "does not match"),
        (lambda d: first_control(d).update(bogus=True), "Additional properties"),
        (
            lambda d: d["catalog"]["metadata"].pop("last-modified"),
            "'last-modified' is a required property",
        ),
        (lambda d: d["catalog"].update(uuid="not-a-uuid"), "does not match"),
        (lambda d: first_control(d)["props"][0].update(value=" padded "), "does not match"),
    ],
)
def test_the_validation_can_fail(
    validator: Any,
    document: dict[str, Any],
    mutate: Callable[[dict[str, Any]], object],
    expected: str,
) -> None:
    broken = copy.deepcopy(document)
    mutate(broken)
    found = errors(validator, broken)
    assert found and any(expected in message for message in found), found


def test_export_parses_as_an_oscal_11_catalog(document: dict[str, Any]) -> None:
    from pydantic.v1 import ValidationError as V1ValidationError
    from trestle.oscal import OSCAL_VERSION_REGEX
    from trestle.oscal.catalog import Catalog as TrestleCatalog

    assert re.match(OSCAL_VERSION_REGEX, OSCAL_VERSION)
    parsed = TrestleCatalog.parse_obj(document["catalog"])
    assert parsed.metadata.oscal_version.__root__ == "1.1.2"
    assert len(parsed.groups or []) == 7
    broken = copy.deepcopy(document)
    first_control(broken).pop("id")
    with pytest.raises(V1ValidationError, match="id"):
        TrestleCatalog.parse_obj(broken["catalog"])


def test_structure(catalog: Catalog, document: dict[str, Any]) -> None:
    body = document["catalog"]
    assert body["metadata"]["oscal-version"] == "1.1.2"
    assert body["metadata"]["title"] == catalog.title
    assert [g["id"] for g in body["groups"]] == [f"eng-pol-003-3.{n}" for n in range(1, 8)]
    controls = {
        c["id"]: c
        for area in body["groups"]
        for section in area["groups"]
        for group in section["groups"]
        for c in group["controls"]
    }
    assert len(controls) == 135
    control = controls["eng-pol-003-3.3.1.a.3"]
    assert control_id(catalog, "3.3.1.a.3") == "eng-pol-003-3.3.1.a.3"
    assert control["parts"][0]["name"] == "statement"
    assert control["parts"][0]["prose"] == catalog.get("3.3.1.a.3").text
    assert control["title"] == "File system encryption"
    props = {(p["name"], p["value"]) for p in control["props"]}
    assert ("label", "3.3.1.a.3") in props
    assert ("verification", "automated") in props
    assert ("cadence", "continuous") in props
    assert ("framework-reference", "09.a") in props
    assert ("responsible-role", "cloud-engineers") in props
    assert all(p.get("ns") == TUTELA_NS for p in control["props"] if p["name"] != "label")
    dr = controls["eng-pol-003-3.6.2.a.4"]
    refs = [p for p in dr["props"] if p["name"] == "framework-reference"]
    assert {(p["class"], p["value"]) for p in refs} >= {("hitrust", "16.c"), ("soc2", "A1.1")}
    assert ("cadence-interval-days", "365") in {(p["name"], p["value"]) for p in dr["props"]}
    role_ids = {r["id"] for r in body["metadata"]["roles"]}
    owners = {
        p["value"] for c in controls.values() for p in c["props"] if p["name"] == "responsible-role"
    }
    assert owners <= role_ids


def test_deterministic(catalog: Catalog, edited_policy: Callable[..., Path]) -> None:
    first, second = dump_oscal(catalog), dump_oscal(catalog)
    assert first == second
    assert json.loads(first)["catalog"]["metadata"]["last-modified"] == "1970-01-01T00:00:00Z"
    uuid_of = json.loads(first)["catalog"]["uuid"]
    assert uuid_of[14] == "5"  # uuid5
    later = json.loads(dump_oscal(catalog, last_modified="2025-06-30T12:00:00Z"))["catalog"]
    assert later["metadata"]["last-modified"] == "2025-06-30T12:00:00Z"
    assert later["uuid"] != uuid_of

    def edit(lines: list[str]) -> None:
        at = next(n for n, line in enumerate(lines) if "- Log integrity protection" in line)
        lines[at] = "    - Log integrity protection shall be implemented."

    edited = import_policy(edited_policy(edit))
    assert json.loads(dump_oscal(edited))["catalog"]["uuid"] != uuid_of

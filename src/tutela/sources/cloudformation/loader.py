"""Read a CloudFormation template (YAML or JSON) into plain values with line marks.

Short-form intrinsic tags become their long forms (`!Ref X` -> `{"Ref": "X"}`,
`!GetAtt A.B` -> `{"Fn::GetAtt": ["A", "B"]}`), so the evaluator handles one
shape. An unknown tag becomes an `Unknown` value rather than an error.
"""

from __future__ import annotations

import codecs
from typing import Any

from tutela.model.values import Unknown
from tutela.sources.yamlmarks import (
    MarkedDocument,
    YamlMarksError,
    load_json_marked,
    load_yaml_marked,
)

__all__ = ["TemplateLoadError", "decode_template", "parse_template", "read_template"]

_FUNCTION_TAGS: dict[str, str] = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!Sub": "Fn::Sub",
    "!GetAtt": "Fn::GetAtt",
    "!If": "Fn::If",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!FindInMap": "Fn::FindInMap",
    "!Equals": "Fn::Equals",
    "!Not": "Fn::Not",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!Base64": "Fn::Base64",
    "!GetAZs": "Fn::GetAZs",
    "!ImportValue": "Fn::ImportValue",
    "!Cidr": "Fn::Cidr",
    "!Transform": "Fn::Transform",
    "!Length": "Fn::Length",
    "!ToJsonString": "Fn::ToJsonString",
}


class TemplateLoadError(Exception):
    """The file is not a readable template; line and column are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def cloudformation_tag(tag: str, value: Any) -> Any:
    """Turn a short-form tag into its long form; unknown tags give an Unknown value."""
    name = _FUNCTION_TAGS.get(tag)
    if name is None:
        return Unknown(f"unsupported YAML tag {tag}")
    if name == "Fn::GetAtt" and isinstance(value, str):
        resource, dot, attribute = value.partition(".")
        return {name: [resource, attribute] if dot else [resource]}
    return {name: value}


def decode_template(data: bytes) -> str:
    """Decode UTF-8 (or BOM-marked UTF-16) text; reject binary and invalid UTF-8 with a line."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TemplateLoadError(f"invalid UTF-16: {exc.reason}") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(data, nul)
        raise TemplateLoadError("binary file (contains NUL bytes), not a template", line, column)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        raise TemplateLoadError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", line, column
        ) from None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def parse_template(text: str, *, json_hint: bool = False) -> MarkedDocument:
    """Parse template text: JSON when it looks like JSON, otherwise YAML (first document).

    A `.json` file (`json_hint`) that starts with "{" must be strict JSON. Other text
    that starts with "{" may be a YAML flow mapping, so YAML is tried before bad JSON
    is reported.
    """
    starts_like_json = text.lstrip()[:1] == "{"
    if json_hint or starts_like_json:
        try:
            return load_json_marked(text)
        except YamlMarksError as exc:
            json_error = TemplateLoadError(f"invalid JSON: {exc.message}", exc.line, exc.column)
        if json_hint and starts_like_json:
            raise json_error
        try:
            return _first_document(load_yaml_marked(text, on_tag=cloudformation_tag))
        except YamlMarksError:
            raise json_error from None
    try:
        documents = load_yaml_marked(text, on_tag=cloudformation_tag)
    except YamlMarksError as exc:
        raise TemplateLoadError(f"invalid YAML: {exc.message}", exc.line, exc.column) from None
    return _first_document(documents)


def _first_document(documents: list[MarkedDocument]) -> MarkedDocument:
    for document in documents:
        if document.value is not None:
            return document
    return MarkedDocument(None, {})


def read_template(data: bytes, *, json_hint: bool = False) -> MarkedDocument:
    """Decode and parse; raises `TemplateLoadError`."""
    return parse_template(decode_template(data), json_hint=json_hint)

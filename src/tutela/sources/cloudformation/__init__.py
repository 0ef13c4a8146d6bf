"""CloudFormation (and SAM) templates -> `RawResource`s.

`looks_like_cloudformation` decides by content, cheaply; `load_cloudformation`
reads, evaluates and locates one template and never raises for bad input:
unreadable or malformed files come back as `ParseError`s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from tutela.sources.raw import ParseError, RawParseResult

__all__ = ["SOURCE", "load_cloudformation", "looks_like_cloudformation"]

SOURCE = "cloudformation"

_TEMPLATE_SUFFIXES = frozenset({"", ".yaml", ".yml", ".json", ".template", ".tmpl", ".cfn"})
_Q = "[\"']?"
# YAML: top-level keys start at column 0. JSON: any "Key": (nesting is not checked).
_FORMAT_VERSION = re.compile(rf"^{_Q}AWSTemplateFormatVersion{_Q}[ \t]*:", re.MULTILINE)
_JSON_FORMAT_VERSION = re.compile(r'"AWSTemplateFormatVersion"\s*:')
_RESOURCES = re.compile(rf"^{_Q}Resources{_Q}[ \t]*:", re.MULTILINE)
_JSON_RESOURCES = re.compile(r'"Resources"\s*:\s*\{')
_RESOURCE_TYPE = re.compile(rf"{_Q}Type{_Q}\s*:\s*{_Q}(?:AWS|Alexa|Custom)::")
_TRANSFORM = re.compile(rf"^{_Q}Transform{_Q}[ \t]*:", re.MULTILINE)
_JSON_TRANSFORM = re.compile(r'"Transform"\s*:')
_SAM = "AWS::Serverless-2016-10-31"


def looks_like_cloudformation(text: str, suffix: str) -> bool:
    """True when `text` is a CloudFormation or SAM template, judged by content."""
    if suffix.lower() not in _TEMPLATE_SUFFIXES:
        return False
    if text.lstrip()[:1] == "{":
        format_version, resources, transform = (
            _JSON_FORMAT_VERSION,
            _JSON_RESOURCES,
            _JSON_TRANSFORM,
        )
    else:
        format_version, resources, transform = _FORMAT_VERSION, _RESOURCES, _TRANSFORM
    if format_version.search(text):
        return True
    if _SAM in text and transform.search(text):
        return True
    return bool(resources.search(text) and _RESOURCE_TYPE.search(text))


def load_cloudformation(
    path: Path,
    *,
    root: Path,
    parameters: Mapping[str, str] | None = None,
) -> RawParseResult:
    """Read one template; `parameters` override parameter defaults by name."""
    from tutela.sources.cloudformation.evaluate import evaluate_template
    from tutela.sources.cloudformation.loader import TemplateLoadError, read_template

    file = _relative(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        message = f"cannot read file: {exc.strerror or exc}"
        return RawParseResult((), (ParseError(file, None, None, message, SOURCE),))
    try:
        document = read_template(data, json_hint=path.suffix.lower() == ".json")
    except TemplateLoadError as exc:
        return RawParseResult((), (ParseError(file, exc.line, exc.column, exc.message, SOURCE),))
    try:
        return evaluate_template(document, file=file, parameters=parameters)
    except Exception as exc:  # a template we cannot evaluate must not stop a scan
        message = f"cannot evaluate template: {type(exc).__name__}: {exc}"
        return RawParseResult((), (ParseError(file, None, None, message, SOURCE),))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()

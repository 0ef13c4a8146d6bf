"""Load YAML (and JSON) into plain Python values plus a side table of line marks.

Sources want two things from a YAML file: ordinary values (dict, list, str,
int, float, bool, None) to evaluate, and the lines each value came from, to
put `file:line` on findings. Wrapping every value in a located object makes
everything downstream slower and clumsier, so this module returns plain
values and, per document, a mapping from the *path* of each value (a tuple of
mapping keys and sequence indexes, `()` for the root) to its `Span`.

Speed: libyaml's parser (PyYAML's C extension) produces events and values are
built here, iteratively, straight from those events, without an intermediate
node graph: roughly 2.5-3x faster than `yaml.load(..., Loader=yaml.CSafeLoader)`
(about 4 MB/s of CloudFormation-like YAML, spans included) and ~20x faster than
ruamel.yaml's round-trip loader. PyYAML's C composer overflows the C stack on
~100,000 nested brackets; here absurd nesting is an error (`MAX_DEPTH`).

YAML 1.1 scalar resolution (PyYAML's) applies, except that timestamps stay
strings (`AWSTemplateFormatVersion: 2010-09-09` is a string to CloudFormation)
and `!!binary` stays the base64 text. Application tags (`!Ref x`) are handed
to an `on_tag` callback; without one the tag is dropped and the value kept.

JSON is read by `load_json_marked`, a small scanner that keeps positions
(tabs, escapes and surrogate pairs handled as JSON defines them).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPANDED_NODES",
    "MarkedDocument",
    "Path",
    "Span",
    "TagHandler",
    "YamlMarksError",
    "load_json_marked",
    "load_yaml_marked",
]

Path = tuple[str | int, ...]
"""Keys and indexes leading to a value; `()` is the document root."""

TagHandler = Callable[[str, Any], Any]
"""`(tag, value) -> replacement` for application tags such as `!Ref`."""

MAX_EXPANDED_NODES = 5_000_000
"""Aliases may not expand a document beyond this many values (billion laughs)."""

MAX_DEPTH = 512
"""Deeper nesting is rejected: no real file needs it, and paths grow with depth."""


class Span(NamedTuple):
    """Where a value sits: 1-based inclusive lines; `key_line` is its mapping key's line."""

    start_line: int
    end_line: int
    key_line: int | None = None

    @property
    def first_line(self) -> int:
        """The key's line for a mapping entry, else the value's first line."""
        return self.key_line if self.key_line is not None else self.start_line


@dataclass(slots=True)
class MarkedDocument:
    """One document's plain value and the spans of every value in it, by path."""

    value: Any
    spans: dict[Path, Span]

    def span(self, *path: str | int) -> Span | None:
        return self.spans.get(path)


class YamlMarksError(Exception):
    """A syntax error, with 1-based line and column where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}: {self.message}"


# --------------------------------------------------------------------------- YAML

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_CORE_PREFIX = "tag:yaml.org,2002:"
_TRUE_WORDS = frozenset({"yes", "true", "on"})


class _Frame:
    """An open mapping or sequence while building from events."""

    __slots__ = (
        "anchor",
        "container",
        "end_line",
        "flow",
        "key",
        "key_line",
        "merges",
        "path",
        "size",
        "start_line",
        "tag",
    )

    def __init__(
        self,
        container: dict[Any, Any] | list[Any],
        path: Path,
        start_line: int,
        key_line: int | None,
        tag: str | None,
        anchor: str | None,
        flow: bool,
    ) -> None:
        self.container = container
        self.path = path
        self.start_line = start_line
        self.end_line = start_line
        self.key_line = key_line
        self.tag = tag
        self.anchor = anchor
        self.flow = flow
        self.key: Any = _NO_KEY
        self.merges: list[Any] | None = None
        self.size = 1


class _NoKey:
    __slots__ = ()


_NO_KEY: Any = _NoKey()


def _scalar_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    import yaml.resolver

    resolvers = yaml.resolver.Resolver
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = resolvers.yaml_implicit_resolvers
    return table


def load_yaml_marked(text: str, *, on_tag: TagHandler | None = None) -> list[MarkedDocument]:
    """Parse every document of a YAML stream; raise `YamlMarksError` on bad input."""
    import yaml

    try:
        return _Builder(text, on_tag).run()
    except yaml.MarkedYAMLError as exc:
        raise _convert_marked_error(exc, text) from None
    except yaml.YAMLError as exc:  # ReaderError and friends
        raise _convert_other_error(exc, text) from None


class _Builder:
    def __init__(self, text: str, on_tag: TagHandler | None) -> None:
        self.text = text
        self.on_tag = on_tag
        self.resolvers = _scalar_resolvers()
        self._lines: list[str] | None = None

    def run(self) -> list[MarkedDocument]:
        import yaml

        loader: Any = yaml.CSafeLoader(self.text)
        try:
            return self._build(loader)
        finally:
            loader.dispose()

    # The event loop is deliberately one long function: it runs once per value.
    def _build(self, loader: Any) -> list[MarkedDocument]:
        import yaml

        documents: list[MarkedDocument] = []
        stack: list[_Frame] = []
        spans: dict[Path, Span] = {}
        anchors: dict[str, tuple[Any, int]] = {}
        root: Any = None
        total = 0
        next_event: Callable[[], Any] = loader.get_event
        scalar_event = yaml.ScalarEvent
        mapping_start = yaml.MappingStartEvent
        sequence_start = yaml.SequenceStartEvent
        mapping_end = yaml.MappingEndEvent
        sequence_end = yaml.SequenceEndEvent
        alias_event = yaml.AliasEvent
        document_start = yaml.DocumentStartEvent
        document_end = yaml.DocumentEndEvent
        resolve = self._resolve_scalar

        stream_end = yaml.StreamEndEvent
        while True:
            event = next_event()
            cls = type(event)
            if cls is stream_end:
                break
            value: Any
            size = 1
            if cls is scalar_event:
                mark = event.start_mark
                start = mark.line + 1
                end_mark = event.end_mark
                end = end_mark.line + 1 if end_mark.column else end_mark.line
                if end < start:
                    end = start
                style = event.style
                if style == "|" or style == ">":
                    end = self._trim_blank_tail(start, end)
                parent = stack[-1] if stack else None
                if parent is not None and parent.key is _NO_KEY and type(parent.container) is dict:
                    # A mapping key.
                    key_tag = event.tag
                    if key_tag is None and event.implicit[0] and event.value == "<<":
                        parent.key = _MERGE
                    else:
                        key = resolve(event)
                        try:
                            hash(key)
                        except TypeError:
                            raise YamlMarksError(
                                "mapping key is not a plain value", start, mark.column + 1
                            ) from None
                        parent.key = key
                    self._pending_key_line = start
                    if event.anchor is not None:
                        anchors[event.anchor] = (parent.key, 1)
                    continue
                value = resolve(event)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
            elif cls is mapping_start or cls is sequence_start:
                parent = stack[-1] if stack else None
                start = event.start_mark.line + 1
                if len(stack) >= MAX_DEPTH:
                    raise YamlMarksError(
                        f"nested too deeply (more than {MAX_DEPTH} levels)",
                        start,
                        event.start_mark.column + 1,
                    )
                if parent is None:
                    path: Path = ()
                    key_line = None
                elif type(parent.container) is dict:
                    if parent.key is _NO_KEY:
                        raise YamlMarksError(
                            "mapping key is not a plain value",
                            start,
                            event.start_mark.column + 1,
                        )
                    key_line = self._pending_key_line
                    key = parent.key
                    path = (*parent.path, "<<" if key is _MERGE else key)
                else:
                    key_line = None
                    path = (*parent.path, len(parent.container))
                container: dict[Any, Any] | list[Any] = {} if cls is mapping_start else []
                stack.append(
                    _Frame(
                        container,
                        path,
                        start,
                        key_line,
                        event.tag,
                        event.anchor,
                        bool(event.flow_style),
                    )
                )
                continue
            elif cls is mapping_end or cls is sequence_end:
                frame = stack.pop()
                if frame.flow:
                    end_mark = event.end_mark
                    frame.end_line = end_mark.line + 1 if end_mark.column else end_mark.line
                container = frame.container
                if frame.merges is not None and type(container) is dict:
                    for source in frame.merges:
                        for mkey, mvalue in source.items():
                            if mkey not in container:
                                container[mkey] = mvalue
                value = container
                tag = frame.tag
                if tag is not None and tag != "!" and tag != _MAP and tag != _SEQ:
                    value = self._apply_tag(tag, value)
                size = frame.size
                if frame.anchor is not None:
                    anchors[frame.anchor] = (value, size)
                span = Span(frame.start_line, max(frame.end_line, frame.start_line), frame.key_line)
                spans[frame.path] = span
                start, end = span.start_line, span.end_line
                parent = stack[-1] if stack else None
                if parent is None:
                    root = value
                    continue
                self._attach(parent, value, start, end, size, spans, with_span=False)
                continue
            elif cls is alias_event:
                found = anchors.get(event.anchor)
                if found is None:
                    line = event.start_mark.line + 1
                    raise YamlMarksError(
                        f"found undefined or recursive alias *{event.anchor}",
                        line,
                        event.start_mark.column + 1,
                    )
                value, size = found
                total += size
                if total > MAX_EXPANDED_NODES:
                    raise YamlMarksError(
                        f"aliases expand the document beyond {MAX_EXPANDED_NODES} values",
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
                start = event.start_mark.line + 1
                end_mark = event.end_mark
                end = end_mark.line + 1 if end_mark.column else end_mark.line
                if end < start:
                    end = start
                parent = stack[-1] if stack else None
                if parent is not None and parent.key is _NO_KEY and type(parent.container) is dict:
                    try:
                        hash(value)
                    except TypeError:
                        raise YamlMarksError(
                            "mapping key is not a plain value", start, event.start_mark.column + 1
                        ) from None
                    parent.key = value
                    self._pending_key_line = start
                    continue
            elif cls is document_start:
                spans = {}
                root = None
                anchors = {}
                total = 0
                continue
            elif cls is document_end:
                documents.append(MarkedDocument(root, spans))
                continue
            else:  # stream start/end
                continue

            # A finished scalar or alias value.
            total += 1
            parent = stack[-1] if stack else None
            if parent is None:
                root = value
                spans[()] = Span(start, end, None)
                continue
            self._attach(parent, value, start, end, size, spans, with_span=True)
        return documents

    _pending_key_line: int = 0

    def _attach(
        self,
        parent: _Frame,
        value: Any,
        start: int,
        end: int,
        size: int,
        spans: dict[Path, Span],
        *,
        with_span: bool,
    ) -> None:
        parent.size += size
        if end > parent.end_line:
            parent.end_line = end
        container = parent.container
        if type(container) is dict:
            key = parent.key
            parent.key = _NO_KEY
            if key is _MERGE:
                if parent.merges is None:
                    parent.merges = []
                if isinstance(value, dict):
                    parent.merges.append(value)
                elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
                    parent.merges.extend(value)
                else:
                    raise YamlMarksError(
                        "merge key '<<' needs a mapping or a list of mappings", start
                    )
                return
            container[key] = value
            if with_span:
                spans[(*parent.path, key)] = Span(start, end, self._pending_key_line)
        else:
            assert type(container) is list
            if with_span:
                spans[(*parent.path, len(container))] = Span(start, end, None)
            container.append(value)

    def _resolve_scalar(self, event: Any) -> Any:
        value: str = event.value
        tag: str | None = event.tag
        if tag is None or tag == "!":
            if tag is None and event.implicit[0]:
                for resolved, pattern in self.resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return self._construct(resolved, value)
            return value
        if tag.startswith(_CORE_PREFIX):
            return self._construct(tag, value)
        return self._apply_tag(tag, value)

    def _construct(self, tag: str, value: str) -> Any:
        if tag == _STR:
            return value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value.lower() in _TRUE_WORDS
        if tag == _INT:
            return _yaml11_int(value)
        if tag == _FLOAT:
            return _yaml11_float(value)
        # timestamps, binary, merge/value markers and unknown core tags stay text
        return value

    def _apply_tag(self, tag: str, value: Any) -> Any:
        if self.on_tag is None or tag.startswith(_CORE_PREFIX):
            return value
        return self.on_tag(tag, value)

    def _trim_blank_tail(self, start: int, end: int) -> int:
        """Block scalars swallow trailing blank lines; end at the last non-blank one."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        lines = self._lines
        while end > start and end - 1 < len(lines) and not lines[end - 1].strip():
            end -= 1
        return end


def _sexagesimal(digits: str) -> float:
    total = 0.0
    for part in digits.split(":"):
        total = total * 60 + float(part)
    return total


def _yaml11_int(value: str) -> Any:
    """YAML 1.1 integers (as PyYAML reads them); the text itself if it is not one."""
    text = value.replace("_", "")
    sign = 1
    if text[:1] in "+-":
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    try:
        if text == "0":
            return 0
        if text.startswith("0b"):
            return sign * int(text[2:], 2)
        if text.startswith("0x"):
            return sign * int(text[2:], 16)
        if text.startswith("0"):
            return sign * int(text, 8)
        if ":" in text:
            return sign * int(_sexagesimal(text))
        return sign * int(text)
    except ValueError:
        return value


def _yaml11_float(value: str) -> Any:
    """YAML 1.1 floats (as PyYAML reads them); the text itself if it is not one."""
    text = value.replace("_", "").lower()
    sign = -1.0 if text[:1] == "-" else 1.0
    if text[:1] in "+-":
        text = text[1:]
    try:
        if text == ".inf":
            return sign * float("inf")
        if text == ".nan":
            return float("nan")
        if ":" in text:
            return sign * _sexagesimal(text)
        return sign * float(text)
    except ValueError:
        return value


def _line_text(text: str, line0: int) -> str:
    start = 0
    for _ in range(line0):
        nl = text.find("\n", start)
        if nl < 0:
            return ""
        start = nl + 1
    nl = text.find("\n", start)
    return text[start:] if nl < 0 else text[start:nl]


def _convert_marked_error(exc: Any, text: str) -> YamlMarksError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    message = problem
    if exc.context and exc.problem:
        message = f"{exc.context}: {exc.problem}"
    if mark is None:
        return YamlMarksError(message)
    line_text = _line_text(text, mark.line)
    at_tab = mark.column < len(line_text) and line_text[mark.column] == "\t"
    indent = line_text[: mark.column + 1]
    if at_tab or ("\t" in indent and not indent.strip(" \t")):
        message = "tab character where YAML requires spaces (indentation must use spaces)"
    return YamlMarksError(message, mark.line + 1, mark.column + 1)


def _convert_other_error(exc: Any, text: str) -> YamlMarksError:
    position = getattr(exc, "position", None)
    message = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
    reason = getattr(exc, "reason", None)
    if reason:
        message = str(reason)
    if isinstance(position, int) and 0 <= position <= len(text):
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        return YamlMarksError(message, line, column)
    return YamlMarksError(message)


# --------------------------------------------------------------------------- JSON

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_CONSTANTS = (("true", True), ("false", False), ("null", None))


class _JsonScanner:
    """A position-keeping JSON reader (values as `json.loads` would give them)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.spans: dict[Path, Span] = {}
        self.scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]

    def line(self, pos: int) -> int:
        return bisect_right(self.newlines, pos - 1) + 1

    def error(self, message: str, pos: int) -> YamlMarksError:
        line = self.line(pos)
        column = pos - (self.newlines[line - 2] + 1 if line > 1 else 0) + 1
        return YamlMarksError(message, line, column)

    def skip(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        assert match is not None
        return match.end()

    def run(self) -> MarkedDocument:
        text = self.text
        pos = self.skip(0)
        if pos >= len(text):
            raise self.error("empty JSON document", pos)
        value, end = self.value(pos, (), None)
        end = self.skip(end)
        if end != len(text):
            raise self.error("extra data after the JSON value", end)
        return MarkedDocument(value, self.spans)

    def value(self, pos: int, path: Path, key_line: int | None) -> tuple[Any, int]:
        text = self.text
        char = text[pos : pos + 1]
        start_line = self.line(pos)
        value: Any
        if char == '"':
            try:
                value, end = self.scanstring(text, pos + 1, True)
            except json.JSONDecodeError as exc:
                raise self.error(exc.msg, exc.pos) from None
        elif (char == "{" or char == "[") and len(path) >= MAX_DEPTH:
            raise self.error(f"nested too deeply (more than {MAX_DEPTH} levels)", pos)
        elif char == "{":
            value, end = self.object(pos + 1, path)
        elif char == "[":
            value, end = self.array(pos + 1, path)
        else:
            match = _NUMBER.match(text, pos)
            if match is not None and match.end() > pos:
                number = match.group()
                value = float(number) if match.group(1) or match.group(2) else int(number)
                end = match.end()
            else:
                for word, constant in _CONSTANTS:
                    if text.startswith(word, pos):
                        value, end = constant, pos + len(word)
                        break
                else:
                    raise self.error("expected a JSON value", pos)
        self.spans[path] = Span(start_line, self.line(end - 1), key_line)
        return value, end

    def object(self, pos: int, path: Path) -> tuple[dict[str, Any], int]:
        text = self.text
        result: dict[str, Any] = {}
        pos = self.skip(pos)
        if text[pos : pos + 1] == "}":
            return result, pos + 1
        while True:
            if text[pos : pos + 1] != '"':
                raise self.error("expected a property name in double quotes", pos)
            key_line = self.line(pos)
            try:
                key, pos = self.scanstring(text, pos + 1, True)
            except json.JSONDecodeError as exc:
                raise self.error(exc.msg, exc.pos) from None
            pos = self.skip(pos)
            if text[pos : pos + 1] != ":":
                raise self.error("expected ':' after a property name", pos)
            pos = self.skip(pos + 1)
            value, pos = self.value(pos, (*path, key), key_line)
            result[key] = value
            pos = self.skip(pos)
            char = text[pos : pos + 1]
            if char == "}":
                return result, pos + 1
            if char != ",":
                raise self.error("expected ',' or '}' in an object", pos)
            pos = self.skip(pos + 1)

    def array(self, pos: int, path: Path) -> tuple[list[Any], int]:
        text = self.text
        result: list[Any] = []
        pos = self.skip(pos)
        if text[pos : pos + 1] == "]":
            return result, pos + 1
        while True:
            value, pos = self.value(pos, (*path, len(result)), None)
            result.append(value)
            pos = self.skip(pos)
            char = text[pos : pos + 1]
            if char == "]":
                return result, pos + 1
            if char != ",":
                raise self.error("expected ',' or ']' in an array", pos)
            pos = self.skip(pos + 1)


def load_json_marked(text: str) -> MarkedDocument:
    """Parse one JSON document; raise `YamlMarksError` (1-based line/column) on bad input."""
    scanner = _JsonScanner(text)
    try:
        return scanner.run()
    except RecursionError:
        raise YamlMarksError("JSON nested too deeply") from None

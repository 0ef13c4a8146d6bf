"""Value helpers shared by the evaluator and the built-in functions.

Terraform values are plain Python values: `str`, `int`/`float`, `bool`, `None`,
`list` (lists, tuples and sets) and `dict` (maps and objects), whose leaves may be
`Unknown` or `Reference`. Helpers that need a concrete value raise `Unresolved`
(carrying the Unknown to return) and Terraform errors raise `EvalError`.
Values are shared, never mutated.
"""

from __future__ import annotations

import json
import math
from typing import Any

from tutela.model.values import Reference, Unknown, UnknownValueError

__all__ = [
    "EvalError",
    "Lazy",
    "PartialJSON",
    "Unresolved",
    "equal",
    "find_unresolved",
    "is_unresolved",
    "json_encode",
    "materialize",
    "need",
    "normalize_number",
    "to_bool",
    "to_int",
    "to_list",
    "to_map",
    "to_number",
    "to_set",
    "to_str",
    "type_name",
    "unknown_from",
]


class EvalError(Exception):
    """A Terraform evaluation error (`terraform plan` would fail on it)."""


class Unresolved(Exception):
    """A value needed to compute a result is unknown; `unknown` is the result."""

    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


class PartialJSON(Unknown):
    """The JSON string of a value with unknown leaves (e.g. a policy whose `Resource`
    references a bucket ARN): unknown as a string, but `value` keeps the decoded
    structure, with `Unknown`/`Reference` leaves, for consumers that can use it."""

    __slots__ = ("value",)

    def __init__(self, reason: str, value: Any) -> None:
        super().__init__(reason)
        self.value = value

    def __repr__(self) -> str:
        return f"PartialJSON({self.reason!r})"


class Lazy:
    """An object value computed on demand (a resource instance, a module instance)."""

    __slots__ = ()

    def get_attr(self, name: str) -> Any:
        raise NotImplementedError

    def get_index(self, key: Any) -> Any:
        raise EvalError(f"{self.describe()} cannot be indexed")

    def describe(self) -> str:
        raise NotImplementedError

    def materialize(self) -> Any:
        """The JSON-like value that stands for this object in output attributes."""
        raise NotImplementedError


def is_unresolved(value: Any) -> bool:
    return isinstance(value, Unknown | Reference)


def unknown_from(value: Any) -> Unknown:
    """The Unknown that stands for an unresolved value (an Unknown, or a Reference)."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Reference):
        return Unknown(f"{value} is known only after apply")
    if isinstance(value, Lazy):
        return Unknown(f"{value.describe()} is known only after apply")
    return Unknown("value is not known")


def need(value: Any) -> Any:
    """`value` itself, or raise Unresolved when it is unknown."""
    if isinstance(value, Unknown | Reference):
        raise Unresolved(unknown_from(value))
    return value


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, Lazy):
        return "object"
    return type(value).__name__


def normalize_number(value: float | int) -> float | int:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


def format_number(value: float | int) -> str:
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**63:
            return str(int(value))
        if math.isinf(value) or math.isnan(value):
            raise EvalError("number is not finite")
        return repr(value)
    return str(value)


def to_str(value: Any) -> str:
    cls = value.__class__
    if cls is str:
        return value  # type: ignore[no-any-return]
    if cls is bool:
        return "true" if value else "false"
    if cls is int or cls is float:
        return format_number(value)
    if isinstance(value, Unknown | Reference | Lazy):
        raise Unresolved(unknown_from(value))
    if value is None:
        raise EvalError("a null value cannot be used as a string")
    raise EvalError(f"a {type_name(value)} value cannot be used as a string")


def to_number(value: Any) -> int | float:
    cls = value.__class__
    if cls is int or cls is float:
        return value  # type: ignore[no-any-return]
    if cls is str:
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            raise EvalError(f"{value!r} is not a number") from None
        if math.isinf(number) or math.isnan(number):
            raise EvalError(f"{value!r} is not a number")
        return normalize_number(number)
    need(value)
    raise EvalError(f"a {type_name(value)} value cannot be used as a number")


def to_int(value: Any) -> int:
    n = to_number(value)
    if isinstance(n, float):
        if not n.is_integer():
            raise EvalError(f"{n} is not a whole number")
        return int(n)
    return n


def to_bool(value: Any) -> bool:
    if value is True or value is False:
        return value
    if value.__class__ is str:
        if value == "true":
            return True
        if value == "false":
            return False
    need(value)
    raise EvalError(f"a {type_name(value)} value cannot be used as a bool")


def to_list(value: Any) -> list[Any]:
    if value.__class__ is list:
        return value
    need(value)
    raise EvalError(f"a {type_name(value)} value cannot be used as a list")


def to_map(value: Any) -> dict[str, Any]:
    if value.__class__ is dict:
        return value
    need(value)
    raise EvalError(f"a {type_name(value)} value cannot be used as a map")


def to_set(values: list[Any]) -> list[Any]:
    """Terraform set semantics on a list: distinct elements, strings/numbers sorted."""
    out: list[Any] = []
    seen: set[Any] = set()
    for v in values:
        if isinstance(v, str | int | float) and not isinstance(v, bool):
            if (type_name(v), v) in seen:
                continue
            seen.add((type_name(v), v))
            out.append(v)
        elif isinstance(v, Unknown | Reference):
            raise Unresolved(unknown_from(v))
        elif not any(equal(v, o) for o in out):
            out.append(v)
    if (out and all(isinstance(v, str) for v in out)) or (
        out and all(isinstance(v, int | float) and not isinstance(v, bool) for v in out)
    ):
        out.sort()
    return out


def equal(a: Any, b: Any) -> bool:
    """Terraform `==`: same type and value. Raises Unresolved when either side is unknown."""
    if isinstance(a, Unknown | Reference):
        raise Unresolved(unknown_from(a))
    if isinstance(b, Unknown | Reference):
        raise Unresolved(unknown_from(b))
    ta, tb = type_name(a), type_name(b)
    if ta != tb:
        return False
    if ta == "list":
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if ta == "object":
        if isinstance(a, Lazy) or isinstance(b, Lazy):
            return a is b
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return bool(a == b)


def safe_equal(a: Any, b: Any) -> bool:
    """Equality that treats anything not fully known as not equal (never raises)."""
    try:
        return equal(a, b)
    except (Unresolved, UnknownValueError):
        return False


def find_unresolved(value: Any) -> Unknown | None:
    """The first unknown leaf of `value` (as an Unknown), or None when fully known."""
    if isinstance(value, Unknown | Reference | Lazy):
        return unknown_from(value)
    if value.__class__ is list:
        for v in value:
            u = find_unresolved(v)
            if u is not None:
                return u
    elif value.__class__ is dict:
        for v in value.values():
            u = find_unresolved(v)
            if u is not None:
                return u
    return None


def materialize(value: Any) -> Any:
    """Replace lazy objects (resource or module instances) by their JSON-like stand-ins."""
    cls = value.__class__
    if cls is str or cls is int or cls is bool or value is None or cls is float:
        return value
    if cls is list:
        if any(not _is_scalar(v) for v in value):
            return [materialize(v) for v in value]
        return value
    if cls is dict:
        if any(not _is_scalar(v) for v in value.values()):
            return {k: materialize(v) for k, v in value.items()}
        return value
    if isinstance(value, Lazy):
        return materialize(value.materialize())
    return value


def _is_scalar(value: Any) -> bool:
    cls = value.__class__
    return cls is str or cls is int or cls is bool or value is None or cls is float


_GO_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _go_escape(text: str) -> str:
    if any(c in text for c in _GO_ESCAPES):
        for c, esc in _GO_ESCAPES.items():
            text = text.replace(c, esc)
    return text


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if value.__class__ is list:
        return [_jsonable(v) for v in value]
    if value.__class__ is dict:
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def json_encode(value: Any) -> str | PartialJSON:
    """`jsonencode`: compact JSON with sorted keys, as Terraform writes it."""
    value = materialize(value)
    unknown = find_unresolved(value)
    if unknown is not None:
        return PartialJSON(f"JSON of a value that is not fully known: {unknown.reason}", value)
    try:
        text = json.dumps(
            _jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    except (TypeError, ValueError) as exc:
        raise EvalError(f"cannot encode as JSON: {exc}") from None
    return _go_escape(text)

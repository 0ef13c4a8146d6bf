"""Terraform built-in functions over plain values.

Each function takes already evaluated arguments. Unless it is listed in
`RAW_ARGS`, the caller returns the first unresolved top-level argument instead
of calling it; deeper unknowns make the helpers of `ops` raise `Unresolved`,
which the caller turns into the result. `try`, `can` and the file functions
live in the evaluator because they need the expressions or the module path.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from tutela.model.values import Reference, Unknown, UnknownValueError

from .ops import (
    EvalError,
    PartialJSON,
    Unresolved,
    equal,
    format_number,
    json_encode,
    materialize,
    normalize_number,
    to_bool,
    to_int,
    to_list,
    to_map,
    to_number,
    to_set,
    to_str,
    type_name,
    unknown_from,
)

__all__ = ["APPLY_TIME", "FUNCTIONS", "RAW_ARGS"]

Function = Callable[..., Any]


def _str_list(value: Any) -> list[str]:
    return [to_str(v) for v in to_list(value)]


# --------------------------------------------------------------------------- collections


def _length(value: Any) -> int:
    if isinstance(value, str | list | dict):
        return len(value)
    raise EvalError(f"length() of a {type_name(value)} value")


def _concat(*lists: Any) -> list[Any]:
    out: list[Any] = []
    for item in lists:
        out.extend(to_list(item))
    return out


def _merge(*maps: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in maps:
        if item is None:
            continue
        out.update(to_map(item))
    return out


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if len(default) > 1:
        raise EvalError("lookup() takes 2 or 3 arguments")
    m = to_map(mapping)
    k = to_str(key)
    if k in m:
        return m[k]
    if default:
        return default[0]
    raise EvalError(f"lookup(): the map has no key {k!r} and no default was given")


def _element(lst: Any, index: Any) -> Any:
    items = to_list(lst)
    if not items:
        raise EvalError("element() of an empty list")
    i = to_int(index)
    if i < 0:
        raise EvalError("element() index must not be negative")
    return items[i % len(items)]


def _keys(mapping: Any) -> list[str]:
    return sorted(to_map(mapping))


def _values(mapping: Any) -> list[Any]:
    m = to_map(mapping)
    return [m[k] for k in sorted(m)]


def _contains(lst: Any, value: Any) -> bool:
    pending: Unknown | None = None
    for item in to_list(lst):
        try:
            if equal(item, value):
                return True
        except Unresolved as u:
            pending = pending or u.unknown
    if pending is not None:
        raise Unresolved(pending)
    return False


def _flatten(lst: Any) -> list[Any]:
    out: list[Any] = []
    for item in to_list(lst):
        if isinstance(item, list):
            out.extend(_flatten(item))
        elif isinstance(item, Unknown):
            raise Unresolved(item)
        else:
            out.append(item)
    return out


def _distinct(lst: Any) -> list[Any]:
    out: list[Any] = []
    for item in to_list(lst):
        if not any(equal(item, o) for o in out):
            out.append(item)
    return out


def _zipmap(keys: Any, values: Any) -> dict[str, Any]:
    k = _str_list(keys)
    v = to_list(values)
    if len(k) != len(v):
        raise EvalError("zipmap() needs lists of the same length")
    return dict(zip(k, v, strict=True))


def _range(*args: Any) -> list[Any]:
    nums = [to_number(a) for a in args]
    start: int | float
    stop: int | float
    step: int | float
    if len(nums) == 1:
        start, stop, step = 0, nums[0], 1
    elif len(nums) == 2:
        start, stop, step = nums[0], nums[1], 1 if nums[1] >= nums[0] else -1
    elif len(nums) == 3:
        start, stop, step = nums
    else:
        raise EvalError("range() takes 1 to 3 arguments")
    if step == 0:
        raise EvalError("range() step must not be zero")
    if (stop - start) / step > 1024:
        raise EvalError("range() would produce more than 1024 elements")
    out: list[Any] = []
    value = start
    while (step > 0 and value < stop) or (step < 0 and value > stop):
        out.append(normalize_number(value))
        value += step
    return out


def _compact(lst: Any) -> list[Any]:
    out: list[Any] = []
    for item in to_list(lst):
        if item is None:
            continue
        if to_str(item) == "":
            continue
        out.append(item)
    return out


def _coalesce(*args: Any) -> Any:
    for arg in args:
        if isinstance(arg, Unknown):
            raise Unresolved(arg)
        if arg is None or (isinstance(arg, str) and arg == ""):
            continue
        return arg
    raise EvalError("coalesce(): no non-null, non-empty argument")


def _coalescelist(*args: Any) -> Any:
    for arg in args:
        if to_list(arg):
            return arg
    return []


def _chunklist(lst: Any, size: Any) -> list[Any]:
    items = to_list(lst)
    n = to_int(size)
    if n < 0:
        raise EvalError("chunklist() size must not be negative")
    if n == 0:
        return [items]
    return [items[i : i + n] for i in range(0, len(items), n)]


def _index(lst: Any, value: Any) -> int:
    for i, item in enumerate(to_list(lst)):
        if equal(item, value):
            return i
    raise EvalError("index(): the value is not in the list")


def _slice(lst: Any, start: Any, end: Any) -> list[Any]:
    items = to_list(lst)
    s, e = to_int(start), to_int(end)
    if s < 0 or e > len(items) or s > e:
        raise EvalError("slice() indexes are out of range")
    return items[s:e]


def _sort(lst: Any) -> list[str]:
    return sorted(_str_list(lst))


def _reverse(lst: Any) -> list[Any]:
    return list(reversed(to_list(lst)))


def _one(lst: Any) -> Any:
    items = to_list(lst)
    if not items:
        return None
    if len(items) > 1:
        raise EvalError("one() of a list with more than one element")
    return items[0]


def _sum(lst: Any) -> Any:
    items = to_list(lst)
    if not items:
        raise EvalError("sum() of an empty list")
    total: int | float = 0
    for item in items:
        total += to_number(item)
    return normalize_number(total)


def _setunion(*sets: Any) -> list[Any]:
    out: list[Any] = []
    for s in sets:
        out.extend(to_list(s))
    return to_set(out)


def _setintersection(first: Any, *others: Any) -> list[Any]:
    result = to_set(to_list(first))
    for other in others:
        o = to_list(other)
        result = [v for v in result if any(equal(v, x) for x in o)]
    return result


def _setsubtract(a: Any, b: Any) -> list[Any]:
    o = to_list(b)
    return [v for v in to_set(to_list(a)) if not any(equal(v, x) for x in o)]


def _setproduct(*sets: Any) -> list[Any]:
    result: list[list[Any]] = [[]]
    for s in sets:
        result = [[*prefix, v] for prefix in result for v in to_list(s)]
    return result


def _transpose(mapping: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, values in to_map(mapping).items():
        for v in _str_list(values):
            out.setdefault(v, []).append(key)
    return {k: sorted(v) for k, v in sorted(out.items())}


def _matchkeys(values: Any, keys: Any, searchset: Any) -> list[Any]:
    vals, ks, search = to_list(values), to_list(keys), to_list(searchset)
    if len(vals) != len(ks):
        raise EvalError("matchkeys() needs values and keys of the same length")
    return [v for v, k in zip(vals, ks, strict=True) if any(equal(k, s) for s in search)]


def _alltrue(lst: Any) -> bool:
    return all([to_bool(v) for v in to_list(lst)])


def _anytrue(lst: Any) -> bool:
    return any([to_bool(v) for v in to_list(lst)])


def _tolist(value: Any) -> list[Any]:
    return list(to_list(value))


def _toset(value: Any) -> list[Any]:
    return to_set(to_list(value))


def _tomap(value: Any) -> dict[str, Any]:
    return to_map(value)


def _tostring(value: Any) -> Any:
    if value is None:
        return None
    return to_str(value)


def _tonumber(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        raise EvalError("a bool cannot be converted to a number")
    return to_number(value)


def _tobool(value: Any) -> Any:
    if value is None:
        return None
    return to_bool(value)


# --------------------------------------------------------------------------- numbers


def _numbers(args: tuple[Any, ...]) -> list[int | float]:
    if not args:
        raise EvalError("at least one number is required")
    return [to_number(a) for a in args]


def _min(*args: Any) -> Any:
    return min(_numbers(args))


def _max(*args: Any) -> Any:
    return max(_numbers(args))


def _abs(n: Any) -> Any:
    return abs(to_number(n))


def _ceil(n: Any) -> int:
    return math.ceil(to_number(n))


def _floor(n: Any) -> int:
    return math.floor(to_number(n))


def _log(n: Any, base: Any) -> Any:
    return normalize_number(math.log(to_number(n), to_number(base)))


def _pow(n: Any, e: Any) -> Any:
    return normalize_number(float(to_number(n)) ** to_number(e))


def _signum(n: Any) -> int:
    v = to_number(n)
    return (v > 0) - (v < 0)


def _parseint(s: Any, base: Any) -> int:
    try:
        return int(to_str(s), to_int(base))
    except ValueError:
        raise EvalError(f"parseint(): {s!r} is not a number in base {base}") from None


# --------------------------------------------------------------------------- strings

_VERB = re.compile(r"%(?:\[(\d+)\])?([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


def _format_value(verb: str, flags: str, width: str | None, prec: str | None, value: Any) -> str:
    if verb in "sv":
        if isinstance(value, list | dict):
            text = json.dumps(materialize(value), separators=(",", ":"), sort_keys=True)
        else:
            text = to_str(value)
        if prec is not None:
            text = text[: int(prec)]
    elif verb == "q":
        text = json.dumps(to_str(value), ensure_ascii=False)
    elif verb == "t":
        text = "true" if to_bool(value) else "false"
    elif verb in "dxXob":
        if verb in "xX" and isinstance(value, str):
            text = value.encode().hex()
            text = text.upper() if verb == "X" else text
        else:
            n = to_int(value)
            text = format(n, {"d": "d", "x": "x", "X": "X", "o": "o", "b": "b"}[verb])
    elif verb in "feEgG":
        f = float(to_number(value))
        spec = f".{prec}{verb}" if prec is not None else ("f" if verb == "f" else verb)
        if verb in "gG" and prec is None:
            text = format_number(normalize_number(f))
        else:
            text = format(f, spec if verb != "f" or prec is not None else ".6f")
    else:
        raise EvalError(f"format(): unsupported verb %{verb}")
    if "+" in flags and verb in "dfeEgG" and not text.startswith("-"):
        text = "+" + text
    if width is not None:
        w = int(width)
        if "-" in flags:
            text = text.ljust(w)
        elif "0" in flags and verb in "dfeEgGxXob":
            sign = text[0] if text[:1] in "+-" else ""
            text = sign + text[len(sign) :].rjust(w - len(sign), "0")
        else:
            text = text.rjust(w)
    return text


def _format(spec: Any, *args: Any) -> str:
    fmt = to_str(spec)
    out: list[str] = []
    pos = 0
    argi = 0
    for m in _VERB.finditer(fmt):
        out.append(fmt[pos : m.start()])
        pos = m.end()
        explicit, flags, width, prec, verb = m.groups()
        if verb == "%":
            out.append("%")
            continue
        if explicit is not None:
            argi = int(explicit) - 1
        if argi >= len(args):
            raise EvalError("format(): not enough arguments")
        value = args[argi]
        argi += 1
        if isinstance(value, Unknown | Reference):
            raise Unresolved(unknown_from(value))
        out.append(_format_value(verb, flags, width, prec, value))
    out.append(fmt[pos:])
    return "".join(out)


def _formatlist(spec: Any, *args: Any) -> list[str]:
    length: int | None = None
    for a in args:
        if isinstance(a, list):
            if length is not None and len(a) != length:
                raise EvalError("formatlist(): lists must have the same length")
            length = len(a)
    if length is None:
        return [_format(spec, *args)]
    return [
        _format(spec, *[a[i] if isinstance(a, list) else a for a in args]) for i in range(length)
    ]


def _join(sep: Any, *lists: Any) -> str:
    s = to_str(sep)
    items: list[str] = []
    for lst in lists:
        items.extend(_str_list(lst))
    return s.join(items)


def _split(sep: Any, s: Any) -> list[str]:
    text = to_str(s)
    separator = to_str(sep)
    if separator == "":
        return list(text)
    return text.split(separator)


_GO_GROUP = re.compile(r"\$(\d+|\{(\w+)\})")


def _go_replacement(repl: str) -> str:
    repl = repl.replace("\\", "\\\\")
    return _GO_GROUP.sub(lambda m: f"\\g<{m.group(2) or m.group(1)}>", repl)


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise EvalError(f"invalid regular expression {pattern!r}: {exc}") from None


def _replace(s: Any, substr: Any, repl: Any) -> str:
    text, sub, rep = to_str(s), to_str(substr), to_str(repl)
    if len(sub) > 1 and sub.startswith("/") and sub.endswith("/"):
        try:
            return _compile(sub[1:-1]).sub(_go_replacement(rep), text)
        except (re.error, IndexError) as exc:
            raise EvalError(f"replace(): {exc}") from None
    return text.replace(sub, rep)


def _match_result(m: re.Match[str]) -> Any:
    if m.re.groupindex:
        return {name: m.group(name) for name in m.re.groupindex}
    if m.re.groups:
        return list(m.groups())
    return m.group()


def _regex(pattern: Any, s: Any) -> Any:
    m = _compile(to_str(pattern)).search(to_str(s))
    if m is None:
        raise EvalError("regex(): the pattern does not match")
    return _match_result(m)


def _regexall(pattern: Any, s: Any) -> list[Any]:
    return [_match_result(m) for m in _compile(to_str(pattern)).finditer(to_str(s))]


def _substr(s: Any, offset: Any, length: Any) -> str:
    text = to_str(s)
    off, n = to_int(offset), to_int(length)
    if off < 0:
        off = max(len(text) + off, 0)
    if off > len(text):
        raise EvalError("substr(): offset is beyond the end of the string")
    return text[off:] if n < 0 else text[off : off + n]


def _trim(s: Any, chars: Any) -> str:
    return to_str(s).strip(to_str(chars))


def _trimprefix(s: Any, prefix: Any) -> str:
    return to_str(s).removeprefix(to_str(prefix))


def _trimsuffix(s: Any, suffix: Any) -> str:
    return to_str(s).removesuffix(to_str(suffix))


def _chomp(s: Any) -> str:
    return to_str(s).rstrip("\r\n")


def _indent(n: Any, s: Any) -> str:
    pad = " " * to_int(n)
    lines = to_str(s).split("\n")
    return "\n".join([lines[0]] + [pad + line if line else line for line in lines[1:]])


def _title(s: Any) -> str:
    return re.sub(r"\b[a-z]", lambda m: m.group().upper(), to_str(s))


def _jsondecode(s: Any) -> Any:
    if isinstance(s, PartialJSON):
        return s.value
    try:
        return json.loads(to_str(s))
    except ValueError as exc:
        raise EvalError(f"jsondecode(): {exc}") from None


def _yamldecode(s: Any) -> Any:
    import yaml

    try:
        return yaml.safe_load(to_str(s))
    except yaml.YAMLError as exc:
        raise EvalError(f"yamldecode(): {exc}") from None


def _yamlencode(value: Any) -> str:
    import yaml

    v = materialize(value)
    from .ops import find_unresolved

    unknown = find_unresolved(v)
    if unknown is not None:
        raise Unresolved(unknown)
    return str(yaml.safe_dump(v, default_flow_style=False, sort_keys=True))


def _base64encode(s: Any) -> str:
    return base64.b64encode(to_str(s).encode()).decode()


def _base64decode(s: Any) -> str:
    try:
        return base64.b64decode(to_str(s), validate=True).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise EvalError(f"base64decode(): {exc}") from None


def _hash(algorithm: str) -> Function:
    def digest(s: Any) -> str:
        return hashlib.new(algorithm, to_str(s).encode()).hexdigest()

    return digest


def _urlencode(s: Any) -> str:
    return urllib.parse.quote(to_str(s), safe="-_.~")


def _dirname(s: Any) -> str:
    text = to_str(s)
    head = text.rsplit("/", 1)[0] if "/" in text else "."
    return head or "/"


def _basename(s: Any) -> str:
    return to_str(s).rstrip("/").rsplit("/", 1)[-1]


def _startswith(s: Any, prefix: Any) -> bool:
    return to_str(s).startswith(to_str(prefix))


def _endswith(s: Any, suffix: Any) -> bool:
    return to_str(s).endswith(to_str(suffix))


def _strcontains(s: Any, sub: Any) -> bool:
    return to_str(sub) in to_str(s)


# --------------------------------------------------------------------------- networks


def _network(prefix: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(to_str(prefix), strict=False)
    except ValueError as exc:
        raise EvalError(f"invalid CIDR prefix: {exc}") from None


def _cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> str:
    net = _network(prefix)
    new_len = net.prefixlen + to_int(newbits)
    if new_len > net.max_prefixlen:
        raise EvalError("cidrsubnet(): not enough address bits")
    num = to_int(netnum)
    if num < 0 or num >= 2 ** to_int(newbits):
        raise EvalError("cidrsubnet(): netnum does not fit in newbits")
    base = int(net.network_address) + (num << (net.max_prefixlen - new_len))
    address = ipaddress.IPv4Address(base) if net.version == 4 else ipaddress.IPv6Address(base)
    return f"{address}/{new_len}"


def _cidrhost(prefix: Any, hostnum: Any) -> str:
    net = _network(prefix)
    n = to_int(hostnum)
    if n < 0:
        n += net.num_addresses
    if n < 0 or n >= net.num_addresses:
        raise EvalError("cidrhost(): host number is out of range")
    return str(net.network_address + n)


def _cidrnetmask(prefix: Any) -> str:
    net = _network(prefix)
    if net.version != 4:
        raise EvalError("cidrnetmask() only supports IPv4")
    return str(net.netmask)


def _identity(value: Any) -> Any:
    return value


FUNCTIONS: dict[str, Function] = {
    # collections
    "length": _length,
    "concat": _concat,
    "merge": _merge,
    "lookup": _lookup,
    "element": _element,
    "keys": _keys,
    "values": _values,
    "contains": _contains,
    "flatten": _flatten,
    "distinct": _distinct,
    "zipmap": _zipmap,
    "range": _range,
    "compact": _compact,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "chunklist": _chunklist,
    "index": _index,
    "slice": _slice,
    "sort": _sort,
    "reverse": _reverse,
    "one": _one,
    "sum": _sum,
    "setunion": _setunion,
    "setintersection": _setintersection,
    "setsubtract": _setsubtract,
    "setproduct": _setproduct,
    "transpose": _transpose,
    "matchkeys": _matchkeys,
    "alltrue": _alltrue,
    "anytrue": _anytrue,
    # conversions
    "tolist": _tolist,
    "toset": _toset,
    "tomap": _tomap,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "tobool": _tobool,
    "sensitive": _identity,
    "nonsensitive": _identity,
    # numbers
    "min": _min,
    "max": _max,
    "abs": _abs,
    "ceil": _ceil,
    "floor": _floor,
    "log": _log,
    "pow": _pow,
    "signum": _signum,
    "parseint": _parseint,
    # strings
    "format": _format,
    "formatlist": _formatlist,
    "join": _join,
    "split": _split,
    "replace": _replace,
    "regex": _regex,
    "regexall": _regexall,
    "lower": lambda s: to_str(s).lower(),
    "upper": lambda s: to_str(s).upper(),
    "title": _title,
    "trimspace": lambda s: to_str(s).strip(),
    "trim": _trim,
    "trimprefix": _trimprefix,
    "trimsuffix": _trimsuffix,
    "chomp": _chomp,
    "indent": _indent,
    "strrev": lambda s: to_str(s)[::-1],
    "substr": _substr,
    "startswith": _startswith,
    "endswith": _endswith,
    "strcontains": _strcontains,
    # encodings
    "jsonencode": json_encode,
    "jsondecode": _jsondecode,
    "yamlencode": _yamlencode,
    "yamldecode": _yamldecode,
    "base64encode": _base64encode,
    "base64decode": _base64decode,
    "urlencode": _urlencode,
    "md5": _hash("md5"),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "sha512": _hash("sha512"),
    "dirname": _dirname,
    "basename": _basename,
    # networks
    "cidrsubnet": _cidrsubnet,
    "cidrhost": _cidrhost,
    "cidrnetmask": _cidrnetmask,
}

# Functions that receive unknown or reference arguments as they are: they keep them in
# their result (`coalesce(aws_kms_key.k.arn, ...)`) or check them through the `ops` helpers.
RAW_ARGS = frozenset(
    {"coalesce", "lookup", "jsonencode", "sensitive", "nonsensitive", "concat", "merge"}
)

# Functions whose result is only known at apply time.
APPLY_TIME = frozenset({"timestamp", "uuid", "bcrypt", "plantimestamp"})


def call_function(name: str, args: list[Any]) -> Any:
    """Call a built-in function; Unresolved and EvalError propagate to the caller."""
    fn = FUNCTIONS.get(name)
    if fn is None:
        if name in APPLY_TIME:
            return Unknown(f"{name}() is known only after apply")
        return Unknown(f"function {name} is not evaluated")
    if name not in RAW_ARGS:
        for arg in args:
            if isinstance(arg, Unknown | Reference):
                return unknown_from(arg)
    try:
        return fn(*args)
    except (Unresolved, EvalError):
        raise
    except UnknownValueError as exc:
        return exc.unknown
    except TypeError as exc:
        raise EvalError(f"{name}(): wrong arguments ({exc})") from None
    except (ValueError, ArithmeticError, OverflowError, RecursionError) as exc:
        raise EvalError(f"{name}(): {exc}") from None

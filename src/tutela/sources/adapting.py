"""Helpers shared by the adapters from raw IaC resources to the normalized model.

Both adapters (Terraform HCL/plan and CloudFormation) do the same few things:

- read attributes by dotted path, where a nested block is a list of mappings
  (Terraform) or a mapping (CloudFormation) and is read as its first item
  (`dig`, `View`);
- coerce what they find to the model's value types without ever guessing:
  an `Unknown` stays unknown, a `Reference` in a key field stays a reference
  (the key *is* set), a `Reference` where a literal is needed becomes an
  `Unknown` naming it, `"true"`/`"false"` become booleans, and anything of an
  unexpected shape becomes an `Unknown` with a reason — adapters never crash
  on odd input (`as_flag`, `as_int`, `as_str`, `as_key`, `as_strs`...);
- read simple fields from a table of `F(path, coercer, default)` entries, and
  record each field's location keyed by the model field name (`read`,
  `Locations`);
- fold settings declared on *other* resources (S3 companions, security group
  rules, IAM attachments) into their targets, joined by reference or by name
  through dict indexes (`Targets`, `Fold`). A companion whose target cannot be
  known makes the affected field of every possible target `Unknown` instead of
  leaving the default, so rules report "not evaluated" rather than a false fail.

Everything here is linear in the number of raw resources.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from tutela.model.aws import Encryption, PublicAccessBlock
from tutela.model.base import EMPTY, SOURCE_TERRAFORM_PLAN
from tutela.model.policy import PolicyDocument, PolicyParseError, parse_policy
from tutela.model.values import Location, PartialString, Reference, Unknown, UnknownValueError
from tutela.sources.raw import RawResource

__all__ = [
    "FILL",
    "LB_DEFAULT_PROTOCOL",
    "PROTOCOLS",
    "UNNAMED",
    "Companion",
    "F",
    "Fold",
    "Locations",
    "Targets",
    "View",
    "acl_from_grants",
    "after_apply",
    "as_flag",
    "as_int",
    "as_key",
    "as_mapping",
    "as_name",
    "as_policy",
    "as_str",
    "as_strs",
    "as_upper",
    "blocks",
    "coalesce",
    "common",
    "database_requires_tls",
    "dig",
    "event_flags",
    "first_block",
    "fold_companion",
    "inherited",
    "kms_encryption",
    "listener_protocol",
    "on_off",
    "plain",
    "policy",
    "present",
    "protocol",
    "public_by_tag",
    "read",
    "redirects_to_https",
    "ref_text",
    "s3_prefix",
    "schedule_interval_days",
    "split_index",
    "tags",
    "texts",
    "unblock",
]

# --------------------------------------------------------------------------- coercion

Text = str | Unknown | None
Number = int | Unknown | None
KeyRef = str | Reference | Unknown | None


def _describe(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"{type(value).__name__} {value!r}"[:80]


def _bad(what: str, expected: str, value: Any) -> Unknown:
    return Unknown(f"{what or 'value'}: expected {expected}, got {_describe(value)}")


def after_apply(ref: Reference, what: str = "") -> Unknown:
    """The Unknown for a literal that comes from another resource's computed attribute."""
    prefix = f"{what} " if what else ""
    return Unknown(f"{prefix}comes from {ref}, known only after apply")


def as_flag(value: Any, default: bool | Unknown = False, what: str = "") -> bool | Unknown:
    """A boolean: bools, `"true"`/`"false"` (any case), 0/1; None gives `default`."""
    if value is None:
        return default
    if isinstance(value, bool | Unknown):
        return value
    if isinstance(value, Reference):
        return after_apply(value, what)
    if isinstance(value, str):
        low = value.strip().lower()
        if low == "true":
            return True
        if low == "false":
            return False
    elif isinstance(value, int) and value in (0, 1):
        return bool(value)
    return _bad(what, "a boolean", value)


_INT = re.compile(r"^\s*[-+]?\d+\s*$")


def as_int(value: Any, default: Number = None, what: str = "") -> Number:
    """An integer: ints, integral floats, numeric strings (CloudFormation writes `"7"`)."""
    if value is None:
        return default
    if isinstance(value, bool):
        return _bad(what, "a number", value)
    if isinstance(value, int | Unknown):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT.match(value):
        return int(value)
    if isinstance(value, Reference):
        return after_apply(value, what)
    return _bad(what, "a number", value)


def as_str(value: Any, default: Text = None, what: str = "") -> Text:
    """Text: strings, and numbers or booleans written where text is expected."""
    if value is None:
        return default
    if isinstance(value, str | Unknown):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Reference):
        return after_apply(value, what)
    return _bad(what, "text", value)


def as_upper(value: Any, default: Text = None, what: str = "") -> Text:
    """Text normalized to upper case (`http` -> `HTTP`)."""
    out = as_str(value, default, what)
    return out.upper() if isinstance(out, str) else out


def as_key(value: Any, default: KeyRef = None, what: str = "") -> KeyRef:
    """A key/ARN/id field: a Reference stays a Reference (the key is known to be set)."""
    if value is None or (isinstance(value, str) and not value):
        return default
    if isinstance(value, PartialString) and not value.could_be(""):
        return value.template  # e.g. "${aws_cloudwatch_log_group.x.arn}:*": set, partly known
    if isinstance(value, str | Reference | Unknown):
        return value
    return _bad(what, "an identifier", value)


def as_name(value: Any, default: Text = None, what: str = "") -> Text:
    """Text where a reference is best shown by the referenced address (a role, a bucket)."""
    if isinstance(value, Reference):
        return value.target
    return as_str(value, default, what)


def as_strs(
    value: Any, default: tuple[str, ...] = (), what: str = "", *, refs_as_names: bool = False
) -> tuple[str, ...] | Unknown:
    """A list of strings. Any Unknown item makes the whole list Unknown.

    A Reference item is Unknown too (a CIDR computed at apply could be anything),
    unless `refs_as_names`: then it is written as the referenced address
    (security group ids, policy ARNs, where the identity is what matters).
    """
    if value is None:
        return default
    if isinstance(value, Unknown):
        return value
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Reference):
        return (str(value),) if refs_as_names else after_apply(value, what)
    if not isinstance(value, list | tuple):
        return _bad(what, "a list", value)
    out: list[str] = []
    for item in value:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Unknown):
            return item
        elif isinstance(item, Reference):
            if not refs_as_names:
                return after_apply(item, what)
            out.append(str(item))
        elif isinstance(item, int | float) and not isinstance(item, bool):
            out.append(str(item))
        else:
            return _bad(what, "a list of text", value)
    return tuple(out)


def ref_text(value: Any) -> str | None:
    """A pointer as text: a literal, or the referenced address (`aws_kms_key.k.arn`)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Reference):
        return str(value)
    if isinstance(value, PartialString):
        return value.template
    return None


def texts(value: Any, what: str) -> tuple[str, ...] | Unknown:
    """A list of pointers (ARNs or references) as text."""
    if value is None:
        return ()
    if isinstance(value, Unknown) and not isinstance(value, PartialString):
        return value
    items = value if isinstance(value, list | tuple) else [value]
    out: list[str] = []
    for item in items:
        text = ref_text(item)
        if text is None:
            return item if isinstance(item, Unknown) else Unknown(f"{what}: not a list of ARNs")
        out.append(text)
    return tuple(out)


def as_mapping(value: Any, what: str = "") -> Mapping[str, Any] | Unknown | None:
    if value is None:
        return None
    if isinstance(value, Mapping | Unknown):
        return value
    if isinstance(value, Reference):
        return after_apply(value, what)
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], Mapping):
        return value[0]  # a Terraform block holding a map
    return _bad(what, "a mapping", value)


def tags(value: Any) -> Mapping[str, str] | Unknown:
    """Tags from a Terraform map or a CloudFormation `[{Key, Value}]` list.

    A tag whose key or value is not known makes the whole mapping Unknown: a
    rule that requires a tag must not pass or fail on a guess.
    """
    if value is None:
        return EMPTY
    if isinstance(value, Unknown):
        return value
    pairs: Iterable[tuple[Any, Any]]
    if isinstance(value, Mapping):
        pairs = value.items()
    elif isinstance(value, list):
        items = []
        for item in value:
            if isinstance(item, Unknown):
                return item
            if not isinstance(item, Mapping):
                return _bad("Tags", "Key/Value items", item)
            items.append((item.get("Key"), item.get("Value")))
        pairs = items
    else:
        return _bad("tags", "a mapping", value)
    out: dict[str, str] = {}
    for k, v in pairs:
        if isinstance(k, Unknown) or isinstance(v, Unknown):
            return Unknown(f"tag {k!s} is not known before apply")
        if isinstance(k, Reference) or isinstance(v, Reference):
            return Unknown(f"tag {k!s} comes from another resource, known only after apply")
        if k is None:
            continue
        text = as_str(v, "")
        out[str(k)] = text if isinstance(text, str) else str(v)
    return MappingProxyType(out)


_PUBLIC_TAG_KEYS = ("public", "exposure", "Public", "Exposure")


def public_by_tag(tag_value: Any) -> bool | Unknown:
    """Tagged as public (`public`/`exposure` set to `true`, `public` or `internet`)."""
    found = tags(tag_value)
    if isinstance(found, Unknown):
        return found
    return any(str(found.get(k, "")).lower() in ("true", "public", "internet")
               for k in _PUBLIC_TAG_KEYS)


_POLICY_KEYS = ("Effect", "effect", "Action", "actions", "NotAction", "not_actions",
                "Principal", "principals", "NotPrincipal", "not_principals")


def policy(value: Any) -> PolicyDocument | Unknown | None:
    """A policy document, or Unknown when it cannot be read (never raises).

    Before parsing a mapping document, an Unknown in a statement's effect,
    actions or principals makes the whole document Unknown (`parse_policy` would
    drop the item, and the statement could look narrower than it is). Other
    References and Unknowns (typically a `Resource` built from a bucket ARN) are
    written as text that names them, which no wildcard test mistakes for `*`.
    A JSON string whose leaves are not all known (the Terraform loader's
    `PartialJSON`: an Unknown that keeps the decoded structure in `.value`) is
    read from that structure in the same way.
    """
    if isinstance(value, Unknown):
        structure = getattr(value, "value", None)
        if not isinstance(structure, Mapping):
            return value
        value = structure
    if isinstance(value, Mapping):
        prepared = _prepare_policy(value)
        if isinstance(prepared, Unknown):
            return prepared
        value = prepared
    try:
        return parse_policy(value)
    except PolicyParseError as exc:
        text = str(exc)
        if not text.startswith("policy is not valid JSON"):
            text = f"policy is not valid JSON: {text}"
        return Unknown(text)
    except (TypeError, ValueError, AttributeError, UnknownValueError) as exc:  # odd shapes
        return Unknown(f"policy is not valid JSON: {exc}")


def as_policy(value: Any, default: Any = None, what: str = "") -> Any:
    """`policy` as a coercer for `F` tables (`default` and `what` are not used)."""
    return policy(value)


def _prepare_policy(doc: Mapping[str, Any]) -> Mapping[str, Any] | Unknown:
    statements = doc.get("Statement", doc.get("statement"))
    if isinstance(statements, Mapping):
        statements = [statements]
    if isinstance(statements, list):
        statements = [_settle_principals(st) for st in statements]
        doc = {**doc, "Statement": statements}
        for i, st in enumerate(statements):
            if isinstance(st, Mapping):
                for key in _POLICY_KEYS:
                    if key in st and _contains_unknown(st[key]):
                        return Unknown(f"policy statement {i} {key} is not known before apply")
    return _refs_to_names(doc)  # type: ignore[no-any-return]


_PRINCIPAL_KEYS = ("Principal", "NotPrincipal", "principals", "not_principals")


def _settle_principals(statement: Any) -> Any:
    """A principal ARN whose known text rules out `*` (`arn:aws:iam::${account}:root`)
    is a specific principal: keep its text so the statement can be judged."""
    if not isinstance(statement, Mapping):
        return statement
    if not any(k in statement for k in _PRINCIPAL_KEYS):
        return statement
    return {k: (_settle(v) if k in _PRINCIPAL_KEYS else v) for k, v in statement.items()}


def _settle(value: Any) -> Any:
    if isinstance(value, PartialString):
        return value.template if not value.could_be("*") else value
    if isinstance(value, Mapping):
        return {k: _settle(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_settle(v) for v in value]
    return value


def _contains_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, Mapping):
        return any(_contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_contains_unknown(v) for v in value)
    return False


def _refs_to_names(value: Any) -> Any:
    if isinstance(value, Reference | Unknown):
        return str(value)
    if isinstance(value, Mapping):
        return {k: _refs_to_names(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_refs_to_names(v) for v in value]
    return value


def plain(value: Any) -> Any:
    """A JSON-ready copy: mapping keys as text, References and Unknowns as their text."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Reference | Unknown):
        return str(value)
    return value


# --------------------------------------------------------------------------- reading


def present(value: Any) -> bool:
    """Set to something: not None and not an empty list of blocks (Unknown is present)."""
    if value is None:
        return False
    return not (isinstance(value, list | tuple) and not value)


def coalesce(*values: Any) -> Any:
    """The first value that is set (an Unknown counts as set); never tests truth."""
    for value in values:
        if value is not None:
            return value
    return None


def unblock(value: Any) -> Any:
    """A nested block written as a list of one mapping reads as that mapping."""
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value


def dig(value: Any, path: str, computed: frozenset[str] = frozenset()) -> Any:
    """The value at dotted `path` (None when absent); lists along the way read as their first item.

    An Unknown met on the way is returned, except under a path listed in
    `computed` (see `View`), which reads as absent.
    """
    cur = value
    walked = ""
    for key in path.split("."):
        cur = unblock(cur)
        if cur is None:
            return None
        if isinstance(cur, Unknown):
            return None if walked in computed else cur
        if isinstance(cur, Reference):
            return after_apply(cur, walked)
        if not isinstance(cur, Mapping):
            return _bad(walked, "a block", cur)
        cur = cur.get(key)
        walked = f"{walked}.{key}" if walked else key
    if isinstance(cur, Unknown) and walked in computed:
        return None
    return cur


def blocks(value: Any, what: str = "") -> list[Mapping[str, Any]] | Unknown:
    """Repeated blocks (Terraform) or a list of mappings (CloudFormation).

    A single mapping is one block.
    """
    if value is None:
        return []
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Reference):
        return after_apply(value, what)
    if isinstance(value, Mapping):
        return [value]
    if not isinstance(value, list | tuple):
        return _bad(what, "blocks", value)
    out: list[Mapping[str, Any]] = []
    for item in value:
        if isinstance(item, Unknown):
            return item
        if not isinstance(item, Mapping):
            return _bad(what, "blocks", item)
        out.append(item)
    return out


def first_block(attrs: Mapping[str, Any], name: str) -> Mapping[str, Any] | Unknown | None:
    """The first `name` block of `attrs` (None when absent)."""
    found = blocks(attrs.get(name), name)
    if isinstance(found, Unknown):
        return found
    return found[0] if found else None


class View:
    """Dotted-path access to one raw resource's attributes.

    `computed` lists attribute paths that the provider marks Optional+Computed.
    In Terraform plan JSON such an attribute that the configuration leaves unset
    is "known after apply" (Unknown) for every new resource, although nothing
    unknown was written; reading it as absent gives the plan the same result as
    the HCL it came from. Elsewhere (HCL, CloudFormation) the list is ignored.

    When all of a resource's properties are one Unknown (a CloudFormation
    `Properties: !If [...]` that cannot be decided arrives as `__Properties`),
    every path reads as that Unknown.
    """

    __slots__ = ("_attrs", "_computed", "_whole", "raw")

    def __init__(self, raw: RawResource, computed: frozenset[str] = frozenset()) -> None:
        self.raw = raw
        attrs: Any = raw.attributes if isinstance(raw.attributes, Mapping) else {}
        whole = attrs.get("__Properties")
        self._whole: Unknown | None = whole if isinstance(whole, Unknown) else None
        self._attrs = attrs
        self._computed = computed if raw.source == SOURCE_TERRAFORM_PLAN else frozenset()

    def get(self, path: str) -> Any:
        if self._whole is not None:
            return self._whole
        return dig(self._attrs, path, self._computed)

    def blocks(self, path: str) -> list[Mapping[str, Any]] | Unknown:
        if self._whole is not None:
            return self._whole
        head, _, last = path.rpartition(".")
        parent = self.get(head) if head else self._attrs
        parent = unblock(parent)
        if parent is None:
            return []
        if isinstance(parent, Unknown):
            return parent
        if not isinstance(parent, Mapping):
            return _bad(head, "a block", parent)
        value = parent.get(last)
        if isinstance(value, Unknown) and path in self._computed:
            return []
        return blocks(value, path)


class Locations:
    """`field_locations` of one model resource, keyed by model field path."""

    __slots__ = ("_out", "_raw")

    def __init__(self, raw: RawResource) -> None:
        self._raw = raw
        self._out: dict[str, Location] = {}

    def attr(self, field: str, *paths: str) -> bool:
        """Point `field` at the first raw attribute of `paths` that has a location.

        A dotted path is tried from most to least specific (`a.b.c`, `a.b`, `a`).
        """
        known = self._raw.attribute_locations
        for path in paths:
            probe = path
            while probe:
                loc = known.get(probe)
                if loc is not None:
                    self._out[field] = loc
                    return True
                probe = probe.rpartition(".")[0]
        return False

    def indexed(self, field: str, name: str, index: int) -> None:
        """Point `field` at the `index`-th `name` block (else at `name` itself)."""
        known = self._raw.attribute_locations
        loc = known.get(f"{name}[{index}]") or known.get(f"{name}.{index}") or known.get(name)
        if loc is not None:
            self._out[field] = loc

    def set(self, field: str, loc: Location | None) -> None:
        if loc is not None:
            self._out[field] = loc

    def freeze(self) -> Mapping[str, Location]:
        return MappingProxyType(self._out) if self._out else EMPTY


Coercer = Callable[[Any, Any, str], Any]


@dataclass(frozen=True, slots=True)
class F:
    """One model field read from a raw attribute path (then from `alt` when absent)."""

    path: str
    coerce: Coercer
    default: Any = None
    alt: str | None = None


def read(view: View, locs: Locations, table: Mapping[str, F]) -> dict[str, Any]:
    """Model fields from a table of `F`s; locations recorded for the attributes present."""
    out: dict[str, Any] = {}
    for name, spec in table.items():
        path = spec.path
        value = view.get(path)
        if value is None and spec.alt is not None:
            path = spec.alt
            value = view.get(path)
        out[name] = spec.coerce(value, spec.default, path)
        if value is not None:
            locs.attr(name, path)
    return out


def common(raw: RawResource, tag_value: Any) -> dict[str, Any]:
    """The fields every model resource takes from its raw resource."""
    return {
        "address": raw.address,
        "native_type": raw.type,
        "source": raw.source,
        "location": raw.location,
        "name": raw.name or None,
        "tags": tags(tag_value),
    }


# --------------------------------------------------------------------------- joining


_INDEX = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]$')


def split_index(address: str) -> tuple[str, str]:
    """`aws_s3_bucket.b["x"]` -> (`aws_s3_bucket.b`, `["x"]`); no index -> (address, "")."""
    m = _INDEX.search(address)
    return (address[: m.start()], m.group(0)) if m else (address, "")


class Targets:
    """Resources that others point at, by address and by literal name.

    `resolve` gives the target's address, an `Unknown` when the pointer itself is
    unknown, or None when it points outside the scan (an existing bucket, a data
    source). Names that are not known before apply are remembered per module, so
    that a literal name matching nothing may still belong to one of them.
    """

    __slots__ = ("bases", "by_address", "by_name", "unnamed_modules")

    def __init__(self) -> None:
        self.by_address: dict[str, RawResource] = {}
        self.by_name: dict[str, str] = {}
        self.unnamed_modules: set[str] = set()
        self.bases: set[str] = set()

    def add(self, raw: RawResource, name: Any = None) -> None:
        self.by_address[raw.address] = raw
        base, index = split_index(raw.address)
        if index:
            self.bases.add(base)
        if isinstance(name, str) and name:
            self.by_name.setdefault(name, raw.address)
        elif isinstance(name, Unknown):
            self.unnamed_modules.add(raw.module)

    def resolve(self, value: Any, by: RawResource | None = None) -> str | Unknown | None:
        """The address `value` points at; `by` is the resource holding the pointer.

        A reference to `x.b[each.key]` (or to `x.b` when `b` has instances), as a
        plan's configuration records it, means the instance with `by`'s own key
        when there is one; otherwise it is one of several instances: Unknown.
        """
        if isinstance(value, list | tuple) and len(value) == 1:
            value = value[0]
        if isinstance(value, Reference):
            return self._follow(value.target, by)
        if isinstance(value, str):
            return self.by_name.get(value)
        if isinstance(value, Unknown):
            return value
        return None

    def _follow(self, target: str, by: RawResource | None) -> str | Unknown | None:
        module = by.module if by is not None else ""
        candidates = [target]
        if module and not target.startswith("module."):
            candidates.append(f"{module}.{target}")
        for candidate in candidates:
            if candidate in self.by_address:
                return candidate
        own_index = split_index(by.address)[1] if by is not None else ""
        for candidate in candidates:
            base, index = split_index(candidate)
            if index and index[1:2] in ('"', *"0123456789"):
                continue  # a literal key that is not in the scan
            if own_index and base + own_index in self.by_address:
                return base + own_index
            if base in self.bases:
                return Unknown(f"{target} is one of several instances of {base}")
        return None

    def get(self, address: str | Unknown | None) -> RawResource | None:
        return self.by_address.get(address) if isinstance(address, str) else None


UNNAMED = "\x00unnamed"  # scope suffix: targets of a module whose name is not known


@dataclass(frozen=True, slots=True)
class _Unknown:
    reason: str
    location: Location | None


class Fold:
    """Settings declared on companion resources, waiting to be folded into their targets.

    - `set(target, field, value, loc)`: the companion decides the field (last one wins);
    - `add(target, field, item, loc)`: the companion contributes an item (rules, policies);
    - `unknown(family, module, field, reason, loc)`: a companion's target is not
      known, so the field of every target of that family (buckets, users...) in
      that module that has no other setting for it becomes Unknown.
    """

    __slots__ = ("_added", "_set", "_unknown")

    def __init__(self) -> None:
        self._set: dict[str, dict[str, tuple[Any, Location | None]]] = defaultdict(dict)
        self._added: dict[str, dict[str, list[tuple[Any, Location | None]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self._unknown: dict[str, dict[str, _Unknown]] = defaultdict(dict)

    def set(self, target: str, field: str, value: Any, loc: Location | None) -> None:
        self._set[target][field] = (value, loc)

    def add(self, target: str, field: str, item: Any, loc: Location | None) -> None:
        self._added[target][field].append((item, loc))

    def unknown(self, family: str, module: str, field: str, reason: str,
                loc: Location | None, *, unnamed: bool = False) -> None:
        scope = f"{family}\x00{module}" + (UNNAMED if unnamed else "")
        self._unknown[scope].setdefault(field, _Unknown(reason, loc))

    def added(self, target: str, field: str) -> Sequence[tuple[Any, Location | None]]:
        by_field = self._added.get(target)
        return by_field.get(field, ()) if by_field else ()

    def apply(
        self,
        raw: RawResource,
        fields: dict[str, Any],
        locs: Locations,
        explicit: Iterable[str] = (),
        *,
        family: str,
        unnamed: bool = False,
        fill: Mapping[str, Callable[[Unknown], Any]] = EMPTY,
    ) -> None:
        """Fold companions' settings into `fields` of `raw`'s model resource.

        Companion settings override the resource's own (`explicit`) ones; unknown
        companions only affect fields nobody set. `fill` builds the Unknown form of
        structured fields (an `Encryption` whose `enabled` is Unknown...).
        """
        decided = set(explicit)
        for name, (value, loc) in self._set.get(raw.address, {}).items():
            fields[name] = value
            locs.set(name, loc)
            decided.add(name)
        scope = f"{family}\x00{raw.module}"
        scopes = [scope, scope + UNNAMED] if unnamed else [scope]
        for scope in scopes:
            for name, unk in self._unknown.get(scope, {}).items():
                if name in decided:
                    continue
                value = Unknown(unk.reason)
                fields[name] = fill[name](value) if name in fill else value
                locs.set(name, unk.location)
                decided.add(name)


@dataclass(frozen=True, slots=True)
class Companion:
    """A resource type that configures another resource (`aws_s3_bucket_versioning`).

    `key` names the attribute pointing at the target; `fields` are the model fields
    it decides; `values` reads them from the companion; `loc` is the companion
    attribute a finding about those fields should point at (default: the companion).
    """

    family: str
    key: str
    fields: tuple[str, ...]
    values: Callable[[View], Mapping[str, Any]]
    loc: str | None = None


def fold_companion(
    spec: Companion,
    view: View,
    targets: Targets,
    fold: Fold,
    *,
    what: str,
) -> None:
    """Fold one companion resource into its target (or into every possible target's Unknowns)."""
    raw = view.raw
    pointer = view.get(spec.key)
    target = targets.resolve(pointer, raw)
    loc = raw.location
    if spec.loc is not None:
        loc = raw.attribute_locations.get(spec.loc, raw.location)
    if isinstance(target, str):
        for name, value in spec.values(view).items():
            fold.set(target, name, value, loc)
        return
    if isinstance(target, Unknown):
        reason = (f"{raw.address} sets it on a {what} not known before apply"
                  f" ({target.reason})")
        for name in spec.fields:
            fold.unknown(spec.family, raw.module, name, reason, raw.location)
        return
    if isinstance(pointer, str) and raw.module in targets.unnamed_modules:
        reason = (f"{raw.address} sets it on {what} {pointer!r}, which may be one whose "
                  "name is not known before apply")
        for name in spec.fields:
            fold.unknown(spec.family, raw.module, name, reason, raw.location, unnamed=True)


# --------------------------------------------------------------------------- AWS shapes


def _unknown_pab(u: Unknown) -> PublicAccessBlock:
    return PublicAccessBlock(u, u, u, u)


FILL: Mapping[str, Callable[[Unknown], Any]] = MappingProxyType(
    {
        "encryption": lambda u: Encryption(enabled=u),
        "storage_encryption": lambda u: Encryption(enabled=u),
        "public_access_block": _unknown_pab,
    }
)
"""How to make a structured model field Unknown (an `Encryption` whose `enabled` is Unknown...)."""


def kms_encryption(enabled: bool | Unknown, key: KeyRef = None) -> Encryption:
    """Encryption that is always KMS when on (EBS, RDS)."""
    algorithm = "aws:kms" if enabled is True else None
    return Encryption(enabled=enabled, algorithm=algorithm, kms_key=key)


def inherited(view: View, decided_by: str, sources: Sequence[str]) -> Unknown | None:
    """Unknown when `decided_by` is unset and the resource is built from a snapshot/source.

    A volume or database restored from a snapshot (or replicating a source)
    inherits that snapshot's encryption; without the snapshot we cannot know it.
    """
    if view.get(decided_by) is not None:
        return None
    for attr in sources:
        value = view.get(attr)
        if present(value) and value is not False:
            return Unknown(f"encryption is inherited from {attr} {_short(value)}")
    return None


def _short(value: Any) -> str:
    if isinstance(value, Unknown):
        return "(not known before apply)"
    return str(value) if isinstance(value, str | Reference) else "(a block)"


def on_off(value: Any, default: bool | Unknown = False, what: str = "") -> bool | Unknown:
    """`Enabled`/`Disabled`/`Suspended` status words (and booleans) as a flag."""
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("enabled", "active"):
            return True
        if low in ("disabled", "suspended", "inactive", "passthrough"):
            return False
    return as_flag(value, default, what)


PROTOCOLS = MappingProxyType(
    {"-1": "-1", "all": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}
)


def protocol(value: Any, what: str = "protocol") -> str | Unknown:
    """An IP protocol normalized: `-1` for all, names for tcp/udp/icmp."""
    text = as_str(value, None, what)
    if text is None:
        return Unknown(f"{what} is not set")
    if isinstance(text, Unknown):
        return text
    low = text.strip().lower()
    return PROTOCOLS.get(low, low)


def event_flags(
    selectors: list[Mapping[str, Any]] | Unknown,
    advanced: list[Mapping[str, Any]] | Unknown,
    keys: Mapping[str, str],
) -> tuple[bool | Unknown, bool | Unknown]:
    """(management_events, data_events) of a trail from its (advanced) event selectors.

    `keys` names the source's attributes: `mgmt`, `data`, `fields`, `field`, `equals`.
    Without selectors a trail logs management events only.
    """
    if isinstance(advanced, Unknown):
        return advanced, advanced
    if advanced:
        mgmt: bool | Unknown = False
        data: bool | Unknown = False
        for selector in advanced:
            found = blocks(selector.get(keys["fields"]), keys["fields"])
            if isinstance(found, Unknown):
                return found, found
            for fs in found:
                if as_str(fs.get(keys["field"])) != "eventCategory":
                    continue
                values = as_strs(fs.get(keys["equals"]), (), keys["equals"])
                if isinstance(values, Unknown):
                    return values, values
                mgmt = mgmt or "Management" in values
                data = data or "Data" in values
        return mgmt, data
    if isinstance(selectors, Unknown):
        return selectors, selectors
    if not selectors:
        return True, False
    mgmt_any: bool | Unknown = False
    data_any: bool | Unknown = False
    for selector in selectors:
        flag = as_flag(selector.get(keys["mgmt"]), True, keys["mgmt"])
        if isinstance(flag, Unknown):
            return flag, flag
        mgmt_any = mgmt_any or flag
        resources = blocks(selector.get(keys["data"]), keys["data"])
        if isinstance(resources, Unknown):
            data_any = resources if data_any is False else data_any
        elif resources:
            data_any = True
    return mgmt_any, data_any


def redirects_to_https(
    actions: list[Mapping[str, Any]] | Unknown, type_key: str, proto_path: str
) -> bool | Unknown:
    """A listener's default actions redirect to HTTPS."""
    if isinstance(actions, Unknown):
        return actions
    for action in actions:
        kind = as_str(action.get(type_key), None, type_key)
        if isinstance(kind, Unknown):
            return kind
        if kind is None or kind.lower() != "redirect":
            continue
        proto = as_str(dig(action, proto_path), None, proto_path)
        if isinstance(proto, Unknown):
            return proto
        if proto is not None and proto.upper() == "HTTPS":
            return True
    return False


LB_DEFAULT_PROTOCOL = MappingProxyType(
    {"application": "HTTP", "network": "TCP", "gateway": "GENEVE"}
)


def listener_protocol(value: Any, lb: RawResource | None, type_key: str) -> str | Unknown | None:
    """The listener protocol; when unset, AWS's default for the load balancer's type."""
    if value is not None:
        return as_upper(value, None, "protocol")
    if lb is None:
        return Unknown("protocol is unset and defaults by load balancer type, not in this scan")
    kind = as_str(View(lb).get(type_key), "application", type_key)
    if isinstance(kind, Unknown):
        return kind
    return LB_DEFAULT_PROTOCOL.get(kind.lower() if kind else "application")


def acl_from_grants(grants: list[Mapping[str, Any]] | Unknown, uri_path: str,
                    permission_key: str) -> str | Unknown:
    """A canned-ACL-like summary of explicit grants.

    One of public-read-write, public-read, authenticated-read or private.
    """
    if isinstance(grants, Unknown):
        return grants
    public: set[str] = set()
    authenticated = False
    for grant in grants:
        uri = as_str(dig(grant, uri_path))
        perms = as_strs(grant.get(permission_key), (), permission_key)  # one, or a set
        if isinstance(uri, Unknown):
            return uri
        if isinstance(perms, Unknown):
            return perms
        if uri and uri.endswith("/AllUsers"):
            public.update(p.upper() for p in perms)
        elif uri and uri.endswith("/AuthenticatedUsers"):
            authenticated = True
    if public & {"WRITE", "WRITE_ACP", "FULL_CONTROL"}:
        return "public-read-write"
    if public:
        return "public-read"
    return "authenticated-read" if authenticated else "private"


def s3_prefix(text: str) -> str:
    """`arn:aws:s3` / `arn:aws:s3:::` mean every bucket."""
    return "*" if text.rstrip(":/") in ("arn:aws:s3", "arn:aws-us-gov:s3", "arn:aws-cn:s3") \
        else text



# --------------------------------------------------------------------------- AWS rule pack


_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$", re.I)
_CRON = re.compile(r"^cron\((.*)\)$", re.I)
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}


def schedule_interval_days(value: Any, what: str = "schedule") -> int | Unknown | None:
    """The longest time, in whole days, between two runs of an EventBridge-style schedule.

    `rate(7 days)` -> 7, `rate(12 hours)` -> 1; `cron(m h dom month dow year)`: daily
    or weekly -> 1 or 7, monthly -> 31, restricted months -> the longest gap between
    them (`cron(0 3 1 1,4,7,10 ? *)` -> 92). None when unset; Unknown when not known or
    not understood.
    """
    text = as_str(value, None, what)
    if text is None or isinstance(text, Unknown):
        return text
    text = text.strip()
    m = _RATE.match(text)
    if m:
        n, unit = int(m.group(1)), m.group(2).lower()
        if unit.startswith("day"):
            return n
        return max(1, -(-n // (24 if unit.startswith("hour") else 1440)))
    m = _CRON.match(text)
    fields = m.group(1).split() if m else []
    if len(fields) != 6:
        return Unknown(f"{what} {text!r} is not a rate() or cron() expression tutela reads")
    _, _, dom, month, dow, _ = fields
    months = _cron_months(month)
    if months is None:
        return Unknown(f"{what}: month field {month!r} not understood")
    if len(months) < 12:
        ordered = sorted(months)
        gaps = [b - a for a, b in itertools.pairwise(ordered)]
        gaps.append(12 - ordered[-1] + ordered[0])
        return -(-max(gaps) * 61 // 2)  # months of 30.5 days, rounded up
    if dom not in ("*", "?"):
        return 31
    if dow not in ("*", "?"):
        return 35 if ("#" in dow or "L" in dow.upper()) else 7
    return 1


def _cron_months(field: str) -> set[int] | None:
    out: set[int] = set()
    for part in field.lower().split(","):
        step = 1
        if "/" in part:
            part, _, step_text = part.partition("/")
            if not step_text.isdigit() or int(step_text) < 1:
                return None
            step = int(step_text)
        if part in ("*", "?", ""):
            lo, hi = 1, 12
        elif "-" in part:
            a, _, b = part.partition("-")
            lo_v, hi_v = _month(a), _month(b)
            if lo_v is None or hi_v is None:
                return None
            lo, hi = lo_v, hi_v
        else:
            single = _month(part)
            if single is None:
                return None
            lo = single
            hi = 12 if step > 1 else single
        out.update(range(lo, hi + 1, step))
    return out or None


def _month(text: str) -> int | None:
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _MONTHS.get(text[:3]) if len(text) >= 3 else None


# Engines whose TLS requirement is a parameter: (parameter, default when the parameter
# group does not set it). RDS for PostgreSQL 15 and later defaults rds.force_ssl to 1.
_TLS_PARAMETERS: Mapping[str, str] = MappingProxyType({
    "postgres": "rds.force_ssl",
    "aurora-postgresql": "rds.force_ssl",
    "mysql": "require_secure_transport",
    "mariadb": "require_secure_transport",
    "aurora-mysql": "require_secure_transport",
    "aurora": "require_secure_transport",
    "sqlserver": "rds.force_ssl",
})
_TRUE_WORDS = frozenset({"1", "on", "true", "yes"})
_FALSE_WORDS = frozenset({"0", "off", "false", "no"})


def database_requires_tls(
    engine: Any,
    version: Any,
    parameters: Mapping[str, Any] | Unknown | None,
) -> bool | Unknown | None:
    """Whether an RDS/Aurora database refuses unencrypted connections.

    `parameters` are the parameter group's values by name (None: the default parameter
    group; Unknown: a group that is not in the scan). None for engines whose TLS is not a
    parameter (Oracle uses option groups, Db2...).
    """
    name = as_str(engine, None, "engine")
    if name is None:
        return Unknown("engine is not set")
    if isinstance(name, Unknown):
        return name
    family = "sqlserver" if name.startswith("sqlserver") else name
    parameter = _TLS_PARAMETERS.get(family)
    if parameter is None:
        return None
    if isinstance(parameters, Unknown):
        return parameters
    value = None if parameters is None else parameters.get(parameter)
    if value is None:
        return _tls_default(family, version)
    text = as_str(value, None, parameter)
    if isinstance(text, Unknown):
        return text
    low = (text or "").strip().lower()
    if low in _TRUE_WORDS:
        return True
    if low in _FALSE_WORDS:
        return False
    return Unknown(f"{parameter} = {text!r} is not a boolean")


def _tls_default(family: str, version: Any) -> bool | Unknown:
    if family != "postgres":
        return False
    text = as_str(version, None, "engine_version")
    if text is None:
        return True  # unset: the current default major version (15 or later)
    if isinstance(text, Unknown):
        return Unknown(f"engine_version is not known, and rds.force_ssl defaults to 1 only "
                       f"from PostgreSQL 15 ({text.reason})")
    major = text.split(".")[0]
    if not major.isdigit():
        return Unknown(f"engine_version {text!r} not understood")
    return int(major) >= 15

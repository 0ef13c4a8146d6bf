"""Terraform plan JSON (`terraform show -json plan.out`) -> `RawResource`s.

Values come from `planned_values` (or `values` for a state file); a leaf marked
true in `resource_changes[].change.after_unknown` becomes `Unknown("known after
apply")`, or a `Reference` when the configuration says which resource the
expression reads (`expressions.bucket.references = ["aws_s3_bucket.b.id", ...]`).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from tutela.model.values import Location, Reference, Unknown
from tutela.sources.raw import ParseError, RawParseResult, RawResource

__all__ = ["is_plan_json", "load_plan"]

SOURCE = "terraform-plan"
_ADDRESS = re.compile(r'"address"\s*:\s*"((?:[^"\\]|\\.)*)"')
_INDEX = re.compile(r"\[[^\]]*\]")
_NOT_RESOURCES = ("var.", "local.", "each.", "count.", "path.", "terraform.", "self.")
_MAX_OUTPUT_HOPS = 8
_AFTER_APPLY = "known after apply"


def is_plan_json(text: str) -> bool:
    """True when `text` looks like `terraform show -json` output (plan or state)."""
    if text.lstrip()[:1] != "{":
        return False
    if '"planned_values"' in text or '"resource_changes"' in text:
        return True
    return '"format_version"' in text and '"terraform_version"' in text and '"values"' in text


def _address_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    line = 1
    last = 0
    for m in _ADDRESS.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        raw = m.group(1)
        try:
            address = json.loads(f'"{raw}"') if "\\" in raw else raw
        except ValueError:
            continue
        lines.setdefault(address, line)
    return lines


def _ref_parts(ref: str) -> list[str] | None:
    """`module.m["a"].out` -> [`module`, `m["a"]`, `out`] (indexes stay on their name)."""
    parts: list[str] = []
    i = 0
    n = len(ref)
    while i < n:
        if ref[i] == "[":
            j = ref.find("]", i)
            if j < 0 or not parts:
                return None
            parts[-1] += ref[i : j + 1]
            i = j + 1
            if i < n and ref[i] == ".":
                i += 1
            continue
        j = i
        while j < n and ref[j] not in ".[":
            j += 1
        parts.append(ref[i:j])
        i = j + 1 if j < n and ref[j] == "." else j
    return parts


def _split_ref(ref: str) -> tuple[str, str | None] | None:
    """`aws_s3_bucket.b["a"].id` -> (`aws_s3_bucket.b["a"]`, `id`); None for non-resources."""
    if ref.startswith(_NOT_RESOURCES) or ref.startswith("module."):
        return None
    parts = _ref_parts(ref)
    if parts is None:
        return None
    size = 3 if parts and parts[0] == "data" else 2
    if len(parts) < size:
        return None
    target = ".".join(parts[:size])
    attribute = ".".join(parts[size:]) or None
    return target, attribute


class _Plan:
    def __init__(self, doc: dict[str, Any], rel: str, text: str) -> None:
        self.rel = rel
        self.lines = _address_lines(text)
        self.changes: dict[str, Any] = {}
        for rc in doc.get("resource_changes") or []:
            if isinstance(rc, dict) and isinstance(rc.get("address"), str):
                self.changes[rc["address"]] = rc
        self.config: dict[tuple[str, str], Any] = {}
        self.outputs: dict[tuple[str, str], Any] = {}
        configuration = doc.get("configuration")
        if isinstance(configuration, dict):
            self._index_config(configuration.get("root_module"), "")
        self.addresses: set[str] = set()

    def _index_config(self, module: Any, path: str) -> None:
        if not isinstance(module, dict):
            return
        for res in module.get("resources") or []:
            if isinstance(res, dict) and isinstance(res.get("address"), str):
                self.config[(path, res["address"])] = res.get("expressions") or {}
        for name, output in (module.get("outputs") or {}).items():
            if isinstance(output, dict):
                self.outputs[(path, name)] = output.get("expression")
        for name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, dict):
                child = f"{path}.module.{name}" if path else f"module.{name}"
                self._index_config(call.get("module"), child)

    def resources(self, module: Any, out: list[RawResource], seen: set[str]) -> None:
        if not isinstance(module, dict):
            return
        for res in module.get("resources") or []:
            if not isinstance(res, dict):
                continue
            address = res.get("address")
            if not isinstance(address, str) or address in seen:
                continue
            seen.add(address)
            out.append(self._resource(res, address))
        for child in module.get("child_modules") or []:
            self.resources(child, out, seen)

    def _resource(self, res: dict[str, Any], address: str) -> RawResource:
        type_ = str(res.get("type", ""))
        name = str(res.get("name", ""))
        mode = str(res.get("mode", "managed"))
        local = f"data.{type_}.{name}" if mode == "data" else f"{type_}.{name}"
        module = _module_of(address, local)
        values = res.get("values")
        attributes: dict[str, Any] = values if isinstance(values, dict) else {}
        change = self.changes.get(address)
        if isinstance(change, dict):
            after_unknown = (change.get("change") or {}).get("after_unknown")
            if isinstance(after_unknown, dict) and after_unknown:
                exprs = self.config.get((_INDEX.sub("", module), local)) or {}
                resolved = _overlay(attributes, after_unknown, exprs, module, self._reference)
                attributes = resolved if isinstance(resolved, dict) else attributes
        line = self.lines.get(address, 1)
        return RawResource(
            address=address,
            type=type_,
            mode=mode,
            attributes=attributes,
            location=Location(self.rel, line, line),
            source=SOURCE,
            module=module,
            name=name,
        )

    def _reference(self, expr: Any, module: str, hops: int = 0) -> Reference | None:
        """The resource an unknown value comes from, per the configuration's references
        (following module outputs into the module that declares them)."""
        if not isinstance(expr, dict):
            return None
        refs = expr.get("references")
        if not isinstance(refs, list):
            return None
        bare: tuple[str, str | None] | None = None
        for ref in refs:
            if not isinstance(ref, str):
                continue
            if ref.startswith("module.") and hops < _MAX_OUTPUT_HOPS:
                found = self._output_reference(ref, module, hops)
                if found is not None:
                    return found
                continue
            split = _split_ref(ref)
            if split is None:
                continue
            if split[1] is not None:
                target, attribute = split
                return Reference(f"{module}.{target}" if module else target, attribute)
            bare = bare or split
        if bare is not None:
            target = f"{module}.{bare[0]}" if module else bare[0]
            return Reference(target, None)
        return None

    def _output_reference(self, ref: str, module: str, hops: int) -> Reference | None:
        parts = _ref_parts(ref)
        if parts is None or len(parts) < 3:
            return None
        call = parts[1]
        child = f"{module}.module.{call}" if module else f"module.{call}"
        expr = self.outputs.get((_INDEX.sub("", child), parts[2]))
        return self._reference(expr, child, hops + 1)


def _module_of(address: str, local: str) -> str:
    """`module.a["x"].aws_s3_bucket.b[0]` -> `module.a["x"]`."""
    if not address.startswith("module."):
        return ""
    i = address.rfind("." + local)
    return address[:i] if i > 0 else ""


def _overlay(value: Any, unknown: Any, exprs: Any, module: str, resolve: Any) -> Any:
    if unknown is True:
        ref = resolve(exprs, module)
        return ref if ref is not None else Unknown(_AFTER_APPLY)
    if isinstance(unknown, dict):
        out = dict(value) if isinstance(value, dict) else {}
        changed = False
        for key, sub in unknown.items():
            if sub is False or sub is None or sub == {} or sub == []:
                continue
            sub_exprs = exprs.get(key) if isinstance(exprs, dict) else None
            out[key] = _overlay(out.get(key), sub, sub_exprs, module, resolve)
            changed = True
        return out if changed or not isinstance(value, dict) else value
    if isinstance(unknown, list):
        out_list = list(value) if isinstance(value, list) else []
        for i, sub in enumerate(unknown):
            if sub is False or sub is None or sub == {} or sub == []:
                continue
            sub_exprs = None
            if isinstance(exprs, list) and exprs:
                sub_exprs = exprs[i] if i < len(exprs) else exprs[-1]
            if i < len(out_list):
                out_list[i] = _overlay(out_list[i], sub, sub_exprs, module, resolve)
            else:
                out_list.append(_overlay(None, sub, sub_exprs, module, resolve))
        return out_list
    return value


def _rel(path: Path, root: Path) -> str:
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return rel.replace(os.sep, "/")


def load_plan(path: Path, *, root: Path) -> RawParseResult:
    """Read a plan (or state) JSON file; errors are returned, never raised."""
    rel = _rel(path, root)
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        return RawParseResult(
            (), (ParseError(rel, None, None, f"cannot read file: {exc.strerror or exc}", SOURCE),)
        )
    except UnicodeDecodeError as exc:
        return RawParseResult(
            (), (ParseError(rel, None, None, f"invalid UTF-8: {exc.reason}", SOURCE),)
        )
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return RawParseResult((), (ParseError(rel, exc.lineno, exc.colno, exc.msg, SOURCE),))
    except RecursionError:
        return RawParseResult((), (ParseError(rel, None, None, "JSON nested too deeply", SOURCE),))
    if not isinstance(doc, dict):
        return RawParseResult(
            (), (ParseError(rel, 1, 1, "a plan JSON file must hold an object", SOURCE),)
        )
    plan = _Plan(doc, rel, text)
    out: list[RawResource] = []
    seen: set[str] = set()
    values = doc.get("planned_values")
    if not isinstance(values, dict):
        values = doc.get("values")
    if isinstance(values, dict):
        plan.resources(values.get("root_module"), out, seen)
    prior = doc.get("prior_state")
    if isinstance(prior, dict) and isinstance(prior.get("values"), dict):
        data_only: list[RawResource] = []
        plan.resources(prior["values"].get("root_module"), data_only, seen)
        out.extend(r for r in data_only if r.mode == "data")
    return RawParseResult(tuple(out))

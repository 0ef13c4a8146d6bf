"""Evaluate Terraform configurations (directory trees of `.tf` files) into `RawResource`s.

Everything is lazy and evaluated once: a module instance computes a variable,
local, output or resource attribute the first time something asks for it and
caches it (a marker in the cache turns cycles into `Unknown`). References to
resources evaluate to the configured value when the attribute is set in the
referenced block, else to a `Reference` to the referenced instance's address.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from tutela.model.values import Location, PartialString, Reference, Unknown, UnknownValueError
from tutela.sources.raw import ParseError, RawResource

from . import hcl
from .functions import call_function
from .hcl import (
    Attribute,
    Binary,
    Block,
    Body,
    Call,
    Conditional,
    Expr,
    ForExpr,
    Literal,
    ObjectExpr,
    RelTraversal,
    Splat,
    Template,
    TemplateFor,
    TemplateIf,
    Traversal,
    TupleExpr,
    Unary,
)
from .ops import (
    EvalError,
    Lazy,
    PartialJSON,
    Unresolved,
    equal,
    find_unresolved,
    materialize,
    normalize_number,
    safe_equal,
    to_bool,
    to_int,
    to_list,
    to_number,
    to_set,
    to_str,
    unknown_from,
)

__all__ = ["Loader", "evaluate_roots"]

SOURCE = "terraform"
_MISSING: Any = object()
_IN_PROGRESS: Any = object()
_EMPTY: dict[str, Any] = {}
_RESOURCE_META = frozenset({"count", "for_each", "provider", "depends_on"})
_RESOURCE_META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
_MODULE_META = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
_MAX_MODULE_DEPTH = 32
_POLICY_DOC = "aws_iam_policy_document"


# --------------------------------------------------------------------------- declarations


class Decl:
    """A `resource` or `data` block of a module."""

    __slots__ = (
        "attr_locations",
        "block",
        "block_names",
        "file",
        "location",
        "mode",
        "name",
        "type",
    )

    def __init__(self, mode: str, type_: str, name: str, block: Block, file: str) -> None:
        self.mode = mode
        self.type = type_
        self.name = name
        self.block = block
        self.file = file
        self.location = Location(file, block.line, block.end_line)
        names: set[str] = set()
        locs: dict[str, Location] = {}
        for attr in block.body.attributes.values():
            if attr.name not in _RESOURCE_META:
                locs[attr.name] = Location(file, attr.line, attr.end_line)
        for blk in block.body.blocks:
            if blk.type in _RESOURCE_META_BLOCKS:
                continue
            name_ = blk.labels[0] if blk.type == "dynamic" and blk.labels else blk.type
            names.add(name_)
            prev = locs.get(name_)
            start = prev.start_line if prev is not None else blk.line
            locs[name_] = Location(file, start, blk.end_line)
        self.block_names = frozenset(names)
        self.attr_locations = locs


class ModuleCall:
    """A `module` block: `directory` is set for local sources that exist."""

    __slots__ = ("block", "directory", "file", "name", "source")

    def __init__(
        self, name: str, block: Block, file: str, source: str | None, directory: str | None
    ) -> None:
        self.name = name
        self.block = block
        self.file = file
        self.source = source
        self.directory = directory


class ModuleSource:
    """The parsed files of one module directory."""

    __slots__ = (
        "calls",
        "decl_index",
        "decls",
        "directory",
        "locals",
        "outputs",
        "providers",
        "variables",
    )

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.providers: list[tuple[Block, str]] = []  # `provider` blocks and their files
        self.variables: dict[str, Block] = {}
        self.locals: dict[str, Attribute] = {}
        self.outputs: dict[str, Block] = {}
        self.decls: list[Decl] = []
        self.decl_index: dict[tuple[str, str, str], Decl] = {}
        self.calls: dict[str, ModuleCall] = {}

    def add(self, body: Body, file: str, loader: Loader) -> None:
        for blk in body.blocks:
            kind = blk.type
            labels = blk.labels
            if kind in ("resource", "data") and len(labels) == 2:
                mode = "managed" if kind == "resource" else "data"
                decl = Decl(mode, labels[0], labels[1], blk, file)
                key = (mode, labels[0], labels[1])
                if key not in self.decl_index:
                    self.decl_index[key] = decl
                    self.decls.append(decl)
            elif kind == "variable" and len(labels) == 1:
                self.variables.setdefault(labels[0], blk)
            elif kind == "locals":
                for name, attr in blk.body.attributes.items():
                    self.locals.setdefault(name, attr)
            elif kind == "output" and len(labels) == 1:
                self.outputs.setdefault(labels[0], blk)
            elif kind == "module" and len(labels) == 1:
                self.calls.setdefault(labels[0], loader.module_call(self, labels[0], blk, file))
            elif kind == "provider" and len(labels) == 1:
                self.providers.append((blk, file))

    def override(self, body: Body, file: str, loader: Loader) -> None:
        """Merge an override file (`override.tf`, `*_override.tf`) as Terraform does: its
        attributes replace the original's, its nested block types replace those types."""
        for blk in body.blocks:
            kind = blk.type
            labels = blk.labels
            if kind in ("resource", "data") and len(labels) == 2:
                mode = "managed" if kind == "resource" else "data"
                key = (mode, labels[0], labels[1])
                decl = self.decl_index.get(key)
                if decl is None:
                    continue
                merged = Decl(mode, labels[0], labels[1], _merge_block(decl.block, blk), decl.file)
                self.decl_index[key] = merged
                self.decls[self.decls.index(decl)] = merged
            elif kind == "variable" and len(labels) == 1 and labels[0] in self.variables:
                self.variables[labels[0]] = _merge_block(self.variables[labels[0]], blk)
            elif kind == "output" and len(labels) == 1 and labels[0] in self.outputs:
                self.outputs[labels[0]] = _merge_block(self.outputs[labels[0]], blk)
            elif kind == "locals":
                self.locals.update(blk.body.attributes)
            elif kind == "module" and len(labels) == 1 and labels[0] in self.calls:
                call = self.calls[labels[0]]
                merged_block = _merge_block(call.block, blk)
                self.calls[labels[0]] = loader.module_call(self, labels[0], merged_block, call.file)


def _merge_block(original: Block, override: Block) -> Block:
    replaced = {b.type for b in override.body.blocks}
    body = Body(
        {**original.body.attributes, **override.body.attributes},
        [b for b in original.body.blocks if b.type not in replaced] + override.body.blocks,
    )
    return Block(original.type, original.labels, body, original.line, original.end_line)


def _is_override(path: str) -> bool:
    name = os.path.basename(path)
    stem = name[: -len(".json")] if name.endswith(".json") else name
    return stem == "override.tf" or stem.endswith("_override.tf")


# --------------------------------------------------------------------------- loading files


def _posix_rel(path: str, root: str) -> str:
    rel = os.path.relpath(path, root)
    return rel.replace(os.sep, "/") if os.sep != "/" else rel


def _line_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


class Loader:
    """Reads and parses files once, records ParseErrors, caches module directories."""

    def __init__(self, root: Path) -> None:
        self.root = os.path.abspath(root)
        self.errors: list[ParseError] = []
        self.sources: dict[str, ModuleSource] = {}
        self.templates: dict[str, Expr | EvalError] = {}
        # Paths outside the parsed .tf files that file functions looked at (file, templatefile,
        # fileset...): what an incremental cache must also check to reuse a result.
        self.touched: set[str] = set()

    def rel(self, path: str) -> str:
        return _posix_rel(path, self.root)

    def read_text(self, path: str) -> str | None:
        rel = self.rel(path)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self.errors.append(
                ParseError(rel, None, None, f"cannot read file: {exc.strerror or exc}", SOURCE)
            )
            return None
        nul = data.find(b"\x00")
        if nul >= 0:
            line, column = _line_of_offset(data, nul)
            self.errors.append(
                ParseError(rel, line, column, "binary file (contains NUL bytes), not HCL", SOURCE)
            )
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, column = _line_of_offset(data, exc.start)
            self.errors.append(
                ParseError(rel, line, column, f"invalid UTF-8: {exc.reason}", SOURCE)
            )
            return None

    def parse_file(self, path: str) -> Body | None:
        text = self.read_text(path)
        if text is None:
            return None
        rel = self.rel(path)
        if path.endswith(".json"):
            return self._parse_json(text, rel)
        try:
            return hcl.parse_hcl(text, rel)
        except hcl.HclSyntaxError as exc:
            self.errors.append(ParseError(rel, exc.line, exc.column, exc.message, SOURCE))
            return None
        except RecursionError:
            self.errors.append(ParseError(rel, None, None, "expression nested too deeply", SOURCE))
            return None

    def _parse_json(self, text: str, rel: str) -> Body | None:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            self.errors.append(ParseError(rel, exc.lineno, exc.colno, exc.msg, SOURCE))
            return None
        if not isinstance(doc, dict):
            self.errors.append(
                ParseError(rel, 1, 1, "a Terraform JSON file must hold an object", SOURCE)
            )
            return None
        try:
            return _json_body(doc, text, rel.endswith(".tfvars.json"))
        except hcl.HclSyntaxError as exc:
            self.errors.append(
                ParseError(rel, None, None, f"in a ${{...}} template: {exc.message}", SOURCE)
            )
            return None

    def module_source(self, directory: str, files: Iterable[str] | None = None) -> ModuleSource:
        cached = self.sources.get(directory)
        if cached is not None:
            return cached
        src = ModuleSource(directory)
        self.sources[directory] = src
        if files is None:
            files = _module_files(directory)
        ordered = sorted(files)
        for path in ordered:
            if not _is_override(path):
                body = self.parse_file(path)
                if body is not None:
                    src.add(body, self.rel(path), self)
        for path in ordered:
            if _is_override(path):
                body = self.parse_file(path)
                if body is not None:
                    src.override(body, self.rel(path), self)
        return src

    def module_call(self, parent: ModuleSource, name: str, block: Block, file: str) -> ModuleCall:
        attr = block.body.attributes.get("source")
        source = attr.expr.value if attr is not None and isinstance(attr.expr, Literal) else None
        if not isinstance(source, str):
            self.errors.append(
                ParseError(file, block.line, None, f'module "{name}" has no literal source', SOURCE)
            )
            return ModuleCall(name, block, file, None, None)
        directory = None
        if source.startswith(("./", "../")) or source in (".", ".."):
            directory = os.path.normpath(os.path.join(parent.directory, source))
            if not _module_files(directory):
                self.errors.append(
                    ParseError(
                        file,
                        attr.line if attr is not None else block.line,
                        None,
                        f'module "{name}": no Terraform files in {source}',
                        SOURCE,
                    )
                )
                directory = None
        return ModuleCall(name, block, file, source, directory)

    def template(self, path: str) -> Expr | EvalError:
        cached = self.templates.get(path)
        if cached is None:
            try:
                text = Path(path).read_text(encoding="utf-8")
                cached = hcl.parse_template(text)
            except (OSError, UnicodeDecodeError) as exc:
                cached = EvalError(f"cannot read template {self.rel(path)}: {exc}")
            except hcl.HclSyntaxError as exc:
                cached = EvalError(f"template {self.rel(path)}:{exc.line}: {exc.message}")
            self.templates[path] = cached
        return cached


def _module_files(directory: str) -> list[str]:
    try:
        with os.scandir(directory) as entries:
            return [entry.path for entry in entries if _is_module_file(entry)]
    except OSError:
        return []


def _is_module_file(entry: os.DirEntry[str]) -> bool:
    """Whether a directory entry is one of the files a module is made of (the scan cache
    lists directories itself with this test, to reuse the entries' stat and names)."""
    name = entry.name
    if not name.endswith((".tf", ".tf.json")) or name.startswith("."):
        return False
    try:
        return entry.is_file()  # as `os.path.isfile`, which never raises
    except OSError:
        return False


def _json_line(text: str, *keys: str) -> int:
    """Best-effort line of a nested key: each key is searched after the previous one."""
    pos = 0
    for key in keys:
        i = text.find(json.dumps(key), pos)
        if i < 0:
            break
        pos = i
    return text.count("\n", 0, pos) + 1


def _json_expr(value: Any) -> Expr:
    if isinstance(value, str):
        if "${" in value or "%{" in value:
            return hcl.parse_template(value)
        return Literal(value)
    if isinstance(value, list):
        return TupleExpr(tuple(_json_expr(v) for v in value))
    if isinstance(value, dict):
        return ObjectExpr(tuple((Literal(k), _json_expr(v)) for k, v in value.items()))
    return Literal(value)


def _json_attrs(obj: Any, line: int, literal: bool = False) -> Body:
    attrs: dict[str, Attribute] = {}
    if isinstance(obj, dict):
        for key, value in obj.items():
            expr = Literal(value) if literal else _json_expr(value)
            attrs[key] = Attribute(key, expr, line, line)
    return Body(attrs, [])


def _json_body(doc: dict[str, Any], text: str, tfvars: bool) -> Body:
    """Terraform JSON syntax -> Body (nested blocks inside resources stay object attributes)."""
    if tfvars:
        return _json_attrs(doc, 1, literal=True)
    blocks: list[Block] = []

    def items(value: Any) -> list[Any]:
        return value if isinstance(value, list) else [value]

    for kind, content in doc.items():
        for group in items(content):
            if not isinstance(group, dict):
                continue
            if kind in ("resource", "data"):
                for type_, named in group.items():
                    for named_group in items(named):
                        if not isinstance(named_group, dict):
                            continue
                        for name, body in named_group.items():
                            for one in items(body):
                                line = _json_line(text, kind, type_, name)
                                blocks.append(
                                    Block(kind, (type_, name), _json_attrs(one, line), line, line)
                                )
            elif kind in ("variable", "output", "module"):
                for name, body in group.items():
                    line = _json_line(text, kind, name)
                    literal = kind == "variable"
                    blocks.append(
                        Block(kind, (name,), _json_attrs(body, line, literal), line, line)
                    )
            elif kind == "locals":
                line = _json_line(text, "locals")
                blocks.append(Block("locals", (), _json_attrs(group, line), line, line))
            elif kind == "provider":
                for name, body in group.items():
                    for one in items(body):
                        if isinstance(one, dict):
                            line = _json_line(text, kind, name)
                            blocks.append(Block(kind, (name,), _json_attrs(one, line), line, line))
    return Body({}, blocks)


# --------------------------------------------------------------------------- evaluation core


class Ctx:
    """Where an expression is evaluated: a module instance plus local names
    (count, each, for-expression variables, dynamic-block iterators)."""

    __slots__ = ("b", "mod")

    def __init__(self, mod: ModuleInstance, bindings: dict[str, Any]) -> None:
        self.mod = mod
        self.b = bindings


def ev(node: Expr, ctx: Ctx) -> Any:
    return _EV[node.__class__](node, ctx)


def ev_safe(node: Expr, ctx: Ctx) -> Any:
    """Evaluate a whole attribute: Terraform errors become Unknown (with the error as reason)."""
    try:
        return _EV[node.__class__](node, ctx)
    except EvalError as exc:
        return Unknown(f"not evaluated: {exc}")
    except Unresolved as exc:
        return exc.unknown
    except UnknownValueError as exc:
        return exc.unknown
    except RecursionError:
        return Unknown("not evaluated: expression nested too deeply")


def _ev_literal(node: Literal, ctx: Ctx) -> Any:
    return node.value


def _ev_template(node: Template, ctx: Ctx) -> Any:
    out: list[str] = []
    pending: list[str | Unknown | Reference] | None = None  # set once a part is unknown
    first: Unknown | None = None
    try:
        for part in node.parts:
            if part.__class__ is str:
                text = part
            else:
                value = _EV[part.__class__](part, ctx)
                if isinstance(value, Unknown | Reference) and not isinstance(value, PartialString):
                    if pending is None:
                        pending = list(out)
                    pending.append(value)
                    if first is None:
                        first = value if isinstance(value, Unknown) else Unknown(
                            f"{value} is known only after apply")
                    continue
                if isinstance(value, PartialString):
                    if pending is None:
                        pending = list(out)
                    pending.extend(value.parts)
                    first = first or value
                    continue
                text = value if value.__class__ is str else to_str(value)
            out.append(text)
            if pending is not None:
                pending.append(text)
    except Unresolved as exc:
        return exc.unknown
    if pending is not None:
        assert first is not None
        # Keep what is known around the unknown parts (an ARN prefix is never "*").
        if any(isinstance(p, str) and p for p in pending):
            return PartialString(tuple(pending), first.reason)
        return first
    return "".join(out)


def _ev_template_if(node: TemplateIf, ctx: Ctx) -> Any:
    cond = ev(node.cond, ctx)
    if cond is not True and cond is not False:
        cond = to_bool(cond)
    return _ev_template(node.then if cond else node.else_, ctx)


def _ev_template_for(node: TemplateFor, ctx: Ctx) -> Any:
    coll = ev(node.coll, ctx)
    bindings = dict(ctx.b)
    inner = Ctx(ctx.mod, bindings)
    out: list[str] = []
    for key, value in _iterate(coll):
        bindings[node.value_var] = value
        if node.key_var is not None:
            bindings[node.key_var] = key
        text = _ev_template(node.body, inner)
        out.append(text if text.__class__ is str else to_str(text))
    return "".join(out)


def _ev_tuple(node: TupleExpr, ctx: Ctx) -> Any:
    return [_EV[item.__class__](item, ctx) for item in node.items]


def _ev_object(node: ObjectExpr, ctx: Ctx) -> Any:
    out: dict[str, Any] = {}
    for key_node, value_node in node.items:
        key = key_node.value if key_node.__class__ is Literal else ev(key_node, ctx)
        if key.__class__ is not str:
            try:
                key = to_str(key)
            except Unresolved as exc:
                return exc.unknown
        out[key] = _EV[value_node.__class__](value_node, ctx)
    return out


def _iterate(coll: Any) -> list[tuple[Any, Any]]:
    if coll.__class__ is list:
        return list(enumerate(coll))
    if coll.__class__ is dict:
        return [(k, coll[k]) for k in sorted(coll)]
    if coll is None:
        raise EvalError("cannot iterate over a null value")
    if isinstance(coll, Unknown | Reference):
        raise Unresolved(unknown_from(coll))
    if isinstance(coll, Lazy):
        raise Unresolved(Unknown(f"{coll.describe()} cannot be iterated before apply"))
    raise EvalError(f"cannot iterate over a {type(coll).__name__} value")


def _ev_for(node: ForExpr, ctx: Ctx) -> Any:
    try:
        pairs = _iterate(ev(node.coll, ctx))
        bindings = dict(ctx.b)
        inner = Ctx(ctx.mod, bindings)
        key_var, value_var = node.key_var, node.value_var
        cond, key_node, value_node = node.cond, node.key, node.value
        if key_node is None:
            items: list[Any] = []
            for k, v in pairs:
                bindings[value_var] = v
                if key_var is not None:
                    bindings[key_var] = k
                if cond is not None and not to_bool(ev(cond, inner)):
                    continue
                items.append(ev(value_node, inner))
            return items
        obj: dict[str, Any] = {}
        for k, v in pairs:
            bindings[value_var] = v
            if key_var is not None:
                bindings[key_var] = k
            if cond is not None and not to_bool(ev(cond, inner)):
                continue
            key = to_str(ev(key_node, inner))
            value = ev(value_node, inner)
            if node.group:
                obj.setdefault(key, []).append(value)
            elif key in obj:
                raise EvalError(f"duplicate key {key!r} in for expression (use ... to group)")
            else:
                obj[key] = value
        return obj
    except Unresolved as exc:
        return exc.unknown


def _ev_conditional(node: Conditional, ctx: Ctx) -> Any:
    cond = ev(node.cond, ctx)
    if cond is True:
        return ev(node.true, ctx)
    if cond is False:
        return ev(node.false, ctx)
    if isinstance(cond, Unknown | Reference | Lazy):
        true = ev(node.true, ctx)
        false = ev(node.false, ctx)
        if safe_equal(true, false):
            return true
        return unknown_from(cond)
    return ev(node.true if to_bool(cond) else node.false, ctx)


def _arith(op: str, a: Any, b: Any) -> Any:
    x = to_number(a)
    y = to_number(b)
    if op == "+":
        return normalize_number(x + y)
    if op == "-":
        return normalize_number(x - y)
    if op == "*":
        return normalize_number(x * y)
    if y == 0:
        raise EvalError("division by zero")
    if op == "/":
        return normalize_number(x / y)
    import math

    return normalize_number(math.fmod(x, y))


def _ev_binary(node: Binary, ctx: Ctx) -> Any:
    op = node.op
    a = ev(node.left, ctx)
    b = ev(node.right, ctx)
    try:
        if op == "==":
            return equal(a, b)
        if op == "!=":
            return not equal(a, b)
        if op == "&&" or op == "||":
            known = [v for v in (a, b) if not isinstance(v, Unknown | Reference)]
            values = [to_bool(v) for v in known]
            if op == "&&":
                if False in values:
                    return False
                if len(values) == 2:
                    return True
            else:
                if True in values:
                    return True
                if len(values) == 2:
                    return False
            first = a if isinstance(a, Unknown | Reference) else b
            raise Unresolved(unknown_from(first))
        if op in ("+", "-", "*", "/", "%"):
            return _arith(op, a, b)
        x = to_number(a)
        y = to_number(b)
        if op == "<":
            return x < y
        if op == ">":
            return x > y
        if op == "<=":
            return x <= y
        return x >= y
    except Unresolved as exc:
        return exc.unknown


def _ev_unary(node: Unary, ctx: Ctx) -> Any:
    value = ev(node.operand, ctx)
    try:
        if node.op == "!":
            return not to_bool(value)
        return normalize_number(-to_number(value))
    except Unresolved as exc:
        return exc.unknown


def _ev_call(node: Call, ctx: Ctx) -> Any:
    name = node.name
    if name == "try":
        last: EvalError | None = None
        for arg in node.args:
            try:
                return ev(arg, ctx)
            except EvalError as exc:
                last = exc
        raise EvalError(f"no argument of try() succeeded ({last})")
    if name == "can":
        if len(node.args) != 1:
            raise EvalError("can() takes one argument")
        try:
            value = ev(node.args[0], ctx)
        except EvalError:
            return False
        if isinstance(value, Unknown):
            return value
        return True
    args = [ev(arg, ctx) for arg in node.args]
    if node.expand and args:
        tail = args.pop()
        try:
            args.extend(to_list(tail))
        except Unresolved as exc:
            return exc.unknown
    file_fn = _FILE_FUNCTIONS.get(name)
    try:
        if file_fn is not None:
            for arg in args:
                if isinstance(arg, Unknown | Reference):
                    return unknown_from(arg)
            return file_fn(ctx, *args)
        return call_function(name, args)
    except Unresolved as exc:
        return exc.unknown
    except TypeError as exc:
        raise EvalError(f"{name}(): wrong arguments ({exc})") from None


# ---- traversals


def _ref_step(attribute: str | None, step: str | Any) -> str:
    if isinstance(step, str):
        return f"{attribute}.{step}" if attribute else step
    return f"{attribute or ''}[{json.dumps(step) if isinstance(step, str) else step}]"


def get_attr(value: Any, name: str) -> Any:
    cls = value.__class__
    if cls is dict:
        try:
            return value[name]
        except KeyError:
            raise EvalError(f"object has no attribute {name!r}") from None
    if isinstance(value, Lazy):
        return value.get_attr(name)
    if isinstance(value, Unknown):
        return value
    if cls is Reference:
        return Reference(value.target, _ref_step(value.attribute, name))
    if value is None:
        raise EvalError(f"cannot read attribute {name!r} of a null value")
    raise EvalError(f"cannot read attribute {name!r} of a {type(value).__name__} value")


def get_index(value: Any, key: Any) -> Any:
    cls = value.__class__
    if isinstance(value, Lazy):
        return value.get_index(key)
    if isinstance(value, Unknown):
        return value
    if isinstance(key, Unknown | Reference):
        return unknown_from(key)
    if cls is list:
        i = to_int(key)
        if 0 <= i < len(value):
            return value[i]
        raise EvalError(f"index {i} is out of range (length {len(value)})")
    if cls is dict:
        k = key if key.__class__ is str else to_str(key)
        try:
            return value[k]
        except KeyError:
            raise EvalError(f"map has no key {k!r}") from None
    if cls is Reference:
        return Reference(
            value.target, _ref_step(value.attribute, key if isinstance(key, int) else to_str(key))
        )
    if value is None:
        raise EvalError("cannot index a null value")
    raise EvalError(f"cannot index a {type(value).__name__} value")


def _apply(value: Any, steps: tuple[hcl.Step, ...], start: int, ctx: Ctx) -> Any:
    for i in range(start, len(steps)):
        step = steps[i]
        if step.__class__ is str:
            value = get_attr(value, step)
        elif step.__class__ is Literal:
            value = get_index(value, step.value)
        else:
            try:
                value = get_index(value, ev(step, ctx))  # type: ignore[arg-type]
            except Unresolved as exc:
                return exc.unknown
    return value


def _name_step(steps: tuple[hcl.Step, ...], i: int, root: str) -> str:
    if len(steps) <= i:
        raise EvalError(f"incomplete reference {root!r}")
    step = steps[i]
    if isinstance(step, str):
        return step
    if isinstance(step, Literal) and isinstance(step.value, str):
        return step.value
    raise EvalError(f"invalid reference after {root!r}")


def _ev_traversal(node: Traversal, ctx: Ctx) -> Any:
    root = node.root
    steps = node.steps
    bound = ctx.b.get(root, _MISSING)
    if bound is not _MISSING:
        return _apply(bound, steps, 0, ctx)
    mod = ctx.mod
    if root == "var":
        return _apply(mod.var(_name_step(steps, 0, root)), steps, 1, ctx)
    if root == "local":
        return _apply(mod.local(_name_step(steps, 0, root)), steps, 1, ctx)
    if root == "module":
        return _apply(mod.module_value(_name_step(steps, 0, root)), steps, 1, ctx)
    if root == "data":
        type_ = _name_step(steps, 0, root)
        name = _name_step(steps, 1, f"data.{type_}")
        return _apply(mod.resource_value("data", type_, name), steps, 2, ctx)
    if root == "path":
        what = _name_step(steps, 0, root)
        if what == "module":
            return _apply(mod.path_module, steps, 1, ctx)
        if what == "root":
            return _apply(".", steps, 1, ctx)
        if what == "cwd":
            return _apply(mod.root_dir, steps, 1, ctx)
        raise EvalError(f"unknown path.{what}")
    if root == "terraform":
        if _name_step(steps, 0, root) == "workspace":
            return _apply("default", steps, 1, ctx)
        return Unknown(f"terraform.{_name_step(steps, 0, root)} is not evaluated")
    if root in ("count", "each"):
        raise EvalError(
            f"{root} is only available in blocks with {root if root == 'count' else 'for_each'}"
        )
    if root == "self":
        return Unknown("self is not evaluated")
    if not steps:
        raise EvalError(f"unknown variable {root!r}")
    return _apply(mod.resource_value("managed", root, _name_step(steps, 0, root)), steps, 1, ctx)


def _ev_rel_traversal(node: RelTraversal, ctx: Ctx) -> Any:
    return _apply(ev(node.source, ctx), node.steps, 0, ctx)


def _ev_splat(node: Splat, ctx: Ctx) -> Any:
    source = ev(node.source, ctx)
    if source is None:
        return []
    if source.__class__ is list:
        return [_apply(item, node.steps, 0, ctx) for item in source]
    if source.__class__ is dict and source and all(isinstance(v, Lazy) for v in source.values()):
        return [_apply(source[k], node.steps, 0, ctx) for k in sorted(source)]
    if isinstance(source, Unknown | Reference):
        return unknown_from(source)
    if isinstance(source, UnexpandedGroup):
        return Unknown(source.reason)
    return [_apply(source, node.steps, 0, ctx)]


_EV: dict[type, Callable[[Any, Ctx], Any]] = {
    Literal: _ev_literal,
    Template: _ev_template,
    TemplateIf: _ev_template_if,
    TemplateFor: _ev_template_for,
    TupleExpr: _ev_tuple,
    ObjectExpr: _ev_object,
    Traversal: _ev_traversal,
    RelTraversal: _ev_rel_traversal,
    Splat: _ev_splat,
    Call: _ev_call,
    Conditional: _ev_conditional,
    Binary: _ev_binary,
    Unary: _ev_unary,
    ForExpr: _ev_for,
}


# ---- file functions (paths relative to the root module directory, then to the module's own)


def _resolve_file(ctx: Ctx, path: Any) -> str:
    p = to_str(path)
    touched = ctx.mod.loader.touched
    if os.path.isabs(p):
        touched.add(p)
        return p
    first = os.path.normpath(os.path.join(ctx.mod.root_dir, p))
    touched.add(first)
    if os.path.exists(first):
        return first
    second = os.path.normpath(os.path.join(ctx.mod.src.directory, p))
    touched.add(second)
    return second


def _fn_file(ctx: Ctx, path: Any) -> Any:
    full = _resolve_file(ctx, path)
    try:
        return Path(full).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return Unknown(f"file {to_str(path)!r} could not be read")


def _fn_fileexists(ctx: Ctx, path: Any) -> Any:
    return os.path.isfile(_resolve_file(ctx, path))


def _fn_filebase64(ctx: Ctx, path: Any) -> Any:
    import base64

    try:
        return base64.b64encode(Path(_resolve_file(ctx, path)).read_bytes()).decode()
    except OSError:
        return Unknown(f"file {to_str(path)!r} could not be read")


def _fn_templatefile(ctx: Ctx, path: Any, variables: Any = None) -> Any:
    full = _resolve_file(ctx, path)
    if not os.path.isfile(full):
        return Unknown(f"template file {to_str(path)!r} could not be read")
    template = ctx.mod.loader.template(full)
    if isinstance(template, EvalError):
        raise template
    bindings = dict(variables) if isinstance(variables, dict) else {}
    return ev(template, Ctx(ctx.mod, bindings))


def _fn_fileset(ctx: Ctx, path: Any, pattern: Any) -> Any:
    import glob

    base = _resolve_file(ctx, path)
    found = glob.glob(to_str(pattern), root_dir=base, recursive=True)
    return sorted(f.replace(os.sep, "/") for f in found if os.path.isfile(os.path.join(base, f)))


def _fn_abspath(ctx: Ctx, path: Any) -> Any:
    return os.path.abspath(os.path.join(ctx.mod.root_dir, to_str(path))).replace(os.sep, "/")


_FILE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "file": _fn_file,
    "fileexists": _fn_fileexists,
    "filebase64": _fn_filebase64,
    "templatefile": _fn_templatefile,
    "fileset": _fn_fileset,
    "abspath": _fn_abspath,
}


# --------------------------------------------------------------------------- variables' types


def _convert_object(value: dict[str, Any], spec: ObjectExpr, ctx: Ctx) -> dict[str, Any]:
    out = dict(value)
    for key_node, attr_type in spec.items:
        if not isinstance(key_node, Literal):
            continue
        key = str(key_node.value)
        if isinstance(attr_type, Call) and attr_type.name == "optional" and attr_type.args:
            args = attr_type.args
            if key in out and out[key] is not None:
                out[key] = _convert(out[key], args[0], ctx)
            elif len(args) > 1:
                out[key] = _convert(ev(args[1], ctx), args[0], ctx)
            else:
                out[key] = None
        elif key in out:
            out[key] = _convert(out[key], attr_type, ctx)
    return out


def _convert(value: Any, type_expr: Expr, ctx: Ctx) -> Any:
    """Apply a variable's type constraint where it changes the value (primitive
    conversions, sets, optional object attributes with defaults)."""
    if value is None or isinstance(value, Unknown | Reference | Lazy):
        return value
    try:
        if isinstance(type_expr, Traversal) and not type_expr.steps:
            kind = type_expr.root
            if kind == "string" and isinstance(value, bool | int | float):
                return to_str(value)
            if kind == "number" and isinstance(value, str):
                return to_number(value)
            if kind == "bool" and isinstance(value, str):
                return to_bool(value)
            return value
        if isinstance(type_expr, Call) and type_expr.args:
            kind = type_expr.name
            inner = type_expr.args[0]
            if kind in ("list", "set") and isinstance(value, list):
                items = [_convert(v, inner, ctx) for v in value]
                return to_set(items) if kind == "set" else items
            if kind == "map" and isinstance(value, dict):
                return {k: _convert(v, inner, ctx) for k, v in value.items()}
            if kind == "object" and isinstance(value, dict) and isinstance(inner, ObjectExpr):
                return _convert_object(value, inner, ctx)
    except (EvalError, Unresolved, UnknownValueError):
        return value
    return value


# --------------------------------------------------------------------------- instances


def _index_suffix(key: Any) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return f"[{json.dumps(key, ensure_ascii=False)}]"


class _Unexpanded:
    """Key of the single instance of a block whose count/for_each is unknown."""


UNEXPANDED = _Unexpanded()


def _expansion(
    body: Body, ctx: Ctx, what: str
) -> tuple[str, list[tuple[Any, dict[str, Any]]], str]:
    """(kind, [(key, bindings)], reason) for count / for_each; kind is single, count,
    for_each or unknown (one instance, count.index / each.* unknown)."""
    count_attr = body.attributes.get("count")
    each_attr = body.attributes.get("for_each")
    if count_attr is not None:
        value = ev_safe(count_attr.expr, ctx)
        reason = ""
        if isinstance(value, Unknown | Reference | Lazy):
            reason = f"count of {what} is not known: {unknown_from(value).reason}"
        else:
            try:
                n = to_int(value)
                return "count", [(i, {"count": {"index": i}}) for i in range(max(n, 0))], ""
            except (EvalError, Unresolved) as exc:
                reason = f"count of {what} is invalid: {exc}"
        unknown = Unknown(reason)
        return "unknown", [(UNEXPANDED, {"count": {"index": unknown}})], reason
    if each_attr is not None:
        value = ev_safe(each_attr.expr, ctx)
        reason = ""
        if isinstance(value, Unknown | Reference | Lazy):
            reason = f"for_each of {what} is not known: {unknown_from(value).reason}"
        elif isinstance(value, dict):
            return (
                "for_each",
                [(k, {"each": {"key": k, "value": value[k]}}) for k in sorted(value)],
                "",
            )
        elif isinstance(value, list):
            if all(isinstance(v, str) for v in value):
                keys = sorted(set(value))
                return "for_each", [(k, {"each": {"key": k, "value": k}}) for k in keys], ""
            bad = find_unresolved(value)
            reason = (
                f"for_each of {what} is not known: {bad.reason}"
                if bad is not None
                else f"for_each of {what} must be a map or a set of strings"
            )
        else:
            reason = f"for_each of {what} must be a map or a set of strings, not {value!r}"
        unknown = Unknown(reason)
        return "unknown", [(UNEXPANDED, {"each": {"key": unknown, "value": unknown}})], reason
    return "single", [(None, _EMPTY)], ""


class ResourceInstance(Lazy):
    """One instance of a resource or data block; attributes evaluated on demand, once."""

    __slots__ = ("_attrs", "_blocks", "_cache", "_doc", "address", "ctx", "decl", "key")

    def __init__(self, decl: Decl, address: str, key: Any, ctx: Ctx) -> None:
        self.decl = decl
        self.address = address
        self.key = key
        self.ctx = ctx
        self._cache: dict[str, Any] = {}
        self._blocks: dict[str, Any] | None = None
        self._attrs: dict[str, Any] | None = None
        self._doc: Any = _MISSING

    def describe(self) -> str:
        return self.address

    def materialize(self) -> Any:
        return Reference(self.address)

    def attr(self, name: str) -> Any:
        cached = self._cache.get(name, _MISSING)
        if cached is _IN_PROGRESS:
            return Unknown(f"{self.address}.{name} refers to itself")
        if cached is not _MISSING:
            return cached
        self._cache[name] = _IN_PROGRESS
        try:
            value = ev_safe(self.decl.block.body.attributes[name].expr, self.ctx)
        except BaseException:
            del self._cache[name]
            raise
        self._cache[name] = value
        return value

    def blocks(self) -> dict[str, Any]:
        if self._blocks is None:
            self._blocks = _IN_PROGRESS
            try:
                self._blocks = eval_blocks(self.decl.block.body.blocks, self.ctx, top=True)
            except BaseException:
                self._blocks = None
                raise
        if self._blocks is _IN_PROGRESS:
            return {
                name: Unknown(f"{self.address}.{name} refers to itself")
                for name in self.decl.block_names
            }
        return self._blocks

    def get_attr(self, name: str) -> Any:
        decl = self.decl
        if name in decl.block.body.attributes and name not in _RESOURCE_META:
            return self.attr(name)
        if name in decl.block_names:
            return self.blocks()[name]
        if decl.mode == "data" and decl.type == _POLICY_DOC and name in ("json", "minified_json"):
            return self.policy_json(minified=name == "minified_json")
        return Reference(self.address, name)

    def attributes(self) -> dict[str, Any]:
        if self._attrs is None:
            out: dict[str, Any] = {}
            for name in self.decl.block.body.attributes:
                if name not in _RESOURCE_META:
                    out[name] = materialize(self.attr(name))
            for name, value in self.blocks().items():
                out[name] = materialize(value)
            provider = self.decl.block.body.attributes.get("provider")
            if provider is not None:  # `provider = aws.west`: the configuration's name
                out["provider"] = provider_name(provider.expr)
            if self.decl.mode == "data" and self.decl.type == _POLICY_DOC:
                out["json"] = self.policy_json(minified=False)
            self._attrs = out
        return self._attrs

    def policy_document(self) -> Any:
        if self._doc is _IN_PROGRESS:
            return Unknown(f"{self.address} refers to itself")
        if self._doc is _MISSING:
            self._doc = _IN_PROGRESS
            try:
                attrs = {
                    n: self.attr(n)
                    for n in self.decl.block.body.attributes
                    if n not in _RESOURCE_META
                }
                attrs.update(self.blocks())
                self._doc = materialize(policy_document(attrs))
            except BaseException:
                self._doc = _MISSING
                raise
        return self._doc

    def policy_json(self, minified: bool) -> Any:
        doc = self.policy_document()
        if isinstance(doc, Unknown):
            return doc
        unknown = find_unresolved(doc)
        if unknown is not None:
            return PartialJSON(
                f"policy document {self.address} is not fully known: {unknown.reason}", doc
            )
        if minified:
            return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
        return json.dumps(doc, indent=2, ensure_ascii=False)


class UnexpandedGroup(Lazy):
    """A counted / for_each block whose expansion is unknown: any index gives its one instance."""

    __slots__ = ("instance", "reason")

    def __init__(self, instance: Lazy, reason: str) -> None:
        self.instance = instance
        self.reason = reason

    def describe(self) -> str:
        return self.instance.describe()

    def materialize(self) -> Any:
        return Unknown(self.reason)

    def get_attr(self, name: str) -> Any:
        return Unknown(self.reason)

    def get_index(self, key: Any) -> Any:
        return self.instance


class PhantomResource(Lazy):
    """A resource that is not declared in the module (e.g. its file failed to parse)."""

    __slots__ = ("address",)

    def __init__(self, address: str) -> None:
        self.address = address

    def describe(self) -> str:
        return self.address

    def materialize(self) -> Any:
        return Reference(self.address)

    def get_attr(self, name: str) -> Any:
        return Reference(self.address, name)

    def get_index(self, key: Any) -> Any:
        if isinstance(key, Unknown | Reference):
            return self
        return PhantomResource(
            self.address + _index_suffix(key if isinstance(key, int) else to_str(key))
        )


class ResourceGroup:
    """One resource/data block in one module instance: its expanded instances."""

    __slots__ = ("_instances", "_value", "decl", "kind", "mod", "reason")

    def __init__(self, mod: ModuleInstance, decl: Decl) -> None:
        self.mod = mod
        self.decl = decl
        self._instances: list[ResourceInstance] | None = None
        self._value: Any = _MISSING
        self.kind = ""
        self.reason = ""

    def base_address(self) -> str:
        d = self.decl
        local = f"{d.type}.{d.name}" if d.mode == "managed" else f"data.{d.type}.{d.name}"
        return f"{self.mod.path}.{local}" if self.mod.path else local

    def instances(self) -> list[ResourceInstance]:
        if self._instances is None:
            self._instances = []
            base = self.base_address()
            mod = self.mod
            kind, keys, reason = _expansion(self.decl.block.body, mod.ctx, base)
            self.kind = kind
            self.reason = reason
            instances = []
            for key, bindings in keys:
                suffix = "" if key is UNEXPANDED else _index_suffix(key)
                ctx = mod.ctx if not bindings else Ctx(mod, bindings)
                instances.append(ResourceInstance(self.decl, base + suffix, key, ctx))
            self._instances = instances
        return self._instances

    def value(self) -> Any:
        if self._value is _MISSING:
            instances = self.instances()
            if self.kind == "single":
                self._value = instances[0]
            elif self.kind == "count":
                self._value = list(instances)
            elif self.kind == "for_each":
                self._value = {inst.key: inst for inst in instances}
            else:
                self._value = UnexpandedGroup(instances[0], self.reason)
        return self._value


class ModuleInstance(Lazy):
    """One instance of a module (the root module, or one `module` block instance)."""

    __slots__ = (
        "_calls",
        "_groups",
        "_lcache",
        "_ocache",
        "_vcache",
        "ctx",
        "depth",
        "input_ctx",
        "inputs",
        "loader",
        "path",
        "path_module",
        "root_dir",
        "src",
        "var_values",
    )

    def __init__(
        self,
        loader: Loader,
        src: ModuleSource,
        path: str,
        root_dir: str,
        *,
        inputs: Body | None = None,
        input_ctx: Ctx | None = None,
        var_values: dict[str, Any] | None = None,
        depth: int = 0,
    ) -> None:
        self.loader = loader
        self.src = src
        self.path = path
        self.root_dir = root_dir
        self.inputs = inputs
        self.input_ctx = input_ctx
        self.var_values = var_values
        self.depth = depth
        rel = _posix_rel(src.directory, root_dir)
        self.path_module = rel
        self._vcache: dict[str, Any] = {}
        self._lcache: dict[str, Any] = {}
        self._ocache: dict[str, Any] = {}
        self._groups: dict[tuple[str, str, str], ResourceGroup] = {}
        self._calls: dict[str, CallGroup] = {}
        self.ctx = Ctx(self, _EMPTY)

    # ---- Lazy (a module instance as a value: its outputs)

    def describe(self) -> str:
        return self.path or "the root module"

    def materialize(self) -> Any:
        return {name: materialize(self.output(name)) for name in self.src.outputs}

    def get_attr(self, name: str) -> Any:
        if name not in self.src.outputs:
            raise EvalError(f"{self.path} has no output {name!r}")
        return self.output(name)

    # ---- named values

    def _cached(
        self, cache: dict[str, Any], name: str, what: str, compute: Callable[[], Any]
    ) -> Any:
        cached = cache.get(name, _MISSING)
        if cached is _IN_PROGRESS:
            return Unknown(f"{what} refers to itself")
        if cached is not _MISSING:
            return cached
        cache[name] = _IN_PROGRESS
        try:
            value = compute()
        except BaseException:
            del cache[name]
            raise
        cache[name] = value
        return value

    def var(self, name: str) -> Any:
        cached = self._vcache.get(name, _MISSING)
        if cached is not _MISSING and cached is not _IN_PROGRESS:
            return cached
        decl = self.src.variables.get(name)
        if decl is None:
            raise EvalError(f"variable var.{name} is not declared")
        return self._cached(self._vcache, name, f"var.{name}", lambda: self._var_value(name, decl))

    def _var_value(self, name: str, decl: Block) -> Any:
        attrs = decl.body.attributes
        value: Any = _MISSING
        if self.inputs is not None:
            given = self.inputs.attributes.get(name)
            if given is not None and self.input_ctx is not None:
                value = ev_safe(given.expr, self.input_ctx)
                nullable = attrs.get("nullable")
                if (
                    value is None
                    and nullable is not None
                    and ev_safe(nullable.expr, self.ctx) is False
                ):
                    value = _MISSING
        elif self.var_values is not None and name in self.var_values:
            value = self.var_values[name]
        if value is _MISSING:
            default = attrs.get("default")
            if default is None:
                return Unknown(f"var.{name} has no value")
            value = ev_safe(default.expr, self.ctx)
        type_attr = attrs.get("type")
        if type_attr is not None:
            value = _convert(value, type_attr.expr, self.ctx)
        return value

    def local(self, name: str) -> Any:
        cached = self._lcache.get(name, _MISSING)
        if cached is not _MISSING and cached is not _IN_PROGRESS:
            return cached
        attr = self.src.locals.get(name)
        if attr is None:
            raise EvalError(f"local.{name} is not declared")
        return self._cached(
            self._lcache, name, f"local.{name}", lambda: ev_safe(attr.expr, self.ctx)
        )

    def output(self, name: str) -> Any:
        cached = self._ocache.get(name, _MISSING)
        if cached is not _MISSING and cached is not _IN_PROGRESS:
            return cached
        block = self.src.outputs[name]
        attr = block.body.attributes.get("value")
        if attr is None:
            return None
        what = f"{self.path}.{name}" if self.path else f"output {name}"
        return self._cached(self._ocache, name, what, lambda: ev_safe(attr.expr, self.ctx))

    def group(self, decl: Decl) -> ResourceGroup:
        key = (decl.mode, decl.type, decl.name)
        group = self._groups.get(key)
        if group is None:
            group = ResourceGroup(self, decl)
            self._groups[key] = group
        return group

    def resource_value(self, mode: str, type_: str, name: str) -> Any:
        decl = self.src.decl_index.get((mode, type_, name))
        if decl is None:
            local = f"{type_}.{name}" if mode == "managed" else f"data.{type_}.{name}"
            return PhantomResource(f"{self.path}.{local}" if self.path else local)
        return self.group(decl).value()

    def call_group(self, name: str) -> CallGroup | None:
        group = self._calls.get(name)
        if group is None:
            call = self.src.calls.get(name)
            if call is None:
                return None
            group = CallGroup(self, call)
            self._calls[name] = group
        return group

    def module_value(self, name: str) -> Any:
        group = self.call_group(name)
        if group is None:
            raise EvalError(f"module.{name} is not declared")
        return group.value()

    # ---- emission

    def emit(
        self, out: list[RawResource], errors: list[ParseError], files: set[str] | None = None
    ) -> None:
        for blk, file in self.src.providers:
            if files is None or file in files:
                self._emit_provider(blk, file, out, errors)
        for decl in self.src.decls:
            if files is not None and decl.file not in files:
                continue
            try:
                instances = self.group(decl).instances()
                for inst in instances:
                    out.append(
                        RawResource(
                            address=inst.address,
                            type=decl.type,
                            mode=decl.mode,
                            attributes=inst.attributes(),
                            location=decl.location,
                            source=SOURCE,
                            attribute_locations=decl.attr_locations,
                            module=self.path,
                            name=decl.name,
                        )
                    )
            except Exception as exc:  # a bug must not lose the rest of the scan
                errors.append(
                    ParseError(
                        decl.file,
                        decl.block.line,
                        None,
                        f"internal error evaluating {decl.type}.{decl.name}: {exc!r}",
                        SOURCE,
                    )
                )
        for call in self.src.calls.values():
            if files is not None and call.file not in files:
                continue
            group = self.call_group(call.name)
            if group is None:
                continue
            try:
                children = group.children()
            except Exception as exc:
                errors.append(
                    ParseError(
                        call.file,
                        call.block.line,
                        None,
                        f"internal error evaluating module.{call.name}: {exc!r}",
                        SOURCE,
                    )
                )
                continue
            passed = passed_providers(call.block)
            for child in children:
                for name, given in passed:  # `providers = { aws = aws.west }`
                    out.append(
                        RawResource(
                            address=provider_address(child.path, name),
                            type=name.partition(".")[0],
                            mode="provider",
                            attributes={"passed_from": provider_address(self.path, given)},
                            location=Location(call.file, call.block.line, call.block.end_line),
                            source=SOURCE,
                            module=child.path,
                            name=name,
                        )
                    )
                child.emit(out, errors)

    def _emit_provider(
        self, blk: Block, file: str, out: list[RawResource], errors: list[ParseError]
    ) -> None:
        """A `provider` block as a RawResource: mode "provider", address `provider.aws` or
        `provider.aws.<alias>` (prefixed by the module path), evaluated attributes."""
        try:
            attrs = {k: materialize(v) for k, v in eval_body(blk.body, self.ctx).items()}
            alias = attrs.get("alias")
            name = blk.labels[0] + (f".{alias}" if isinstance(alias, str) and alias else "")
            locs = {a.name: Location(file, a.line, a.end_line)
                    for a in blk.body.attributes.values()}
            for sub in blk.body.blocks:
                locs.setdefault(sub.type, Location(file, sub.line, sub.end_line))
            out.append(
                RawResource(
                    address=provider_address(self.path, name),
                    type=blk.labels[0],
                    mode="provider",
                    attributes=attrs,
                    location=Location(file, blk.line, blk.end_line),
                    source=SOURCE,
                    attribute_locations=locs,
                    module=self.path,
                    name=name,
                )
            )
        except Exception as exc:  # a bug must not lose the rest of the scan
            errors.append(
                ParseError(file, blk.line, None,
                           f"internal error evaluating provider {blk.labels[0]}: {exc!r}", SOURCE)
            )


def provider_address(module_path: str, name: str) -> str:
    """`provider.aws.west`, or `module.m.provider.aws` inside a module instance."""
    return f"{module_path}.provider.{name}" if module_path else f"provider.{name}"


def provider_name(expr: Expr) -> str | None:
    """The configuration a `provider = aws.west` meta-argument (or a `providers` map key or
    value) names, read from the syntax: `aws` or `aws.west`; None for anything else."""
    if isinstance(expr, Traversal) and all(isinstance(step, str) for step in expr.steps):
        return ".".join((expr.root, *(str(step) for step in expr.steps)))
    if isinstance(expr, Literal) and isinstance(expr.value, str) and expr.value:
        return expr.value
    if isinstance(expr, Template) and len(expr.parts) == 1 and isinstance(expr.parts[0], str):
        return expr.parts[0]
    return None


def passed_providers(call: Block) -> list[tuple[str, str]]:
    """A module call's `providers = { aws = aws.west }`: (name in the module, caller's name)."""
    attr = call.body.attributes.get("providers")
    if attr is None or not isinstance(attr.expr, ObjectExpr):
        return []
    out: list[tuple[str, str]] = []
    for key, value in attr.expr.items:
        inner, given = provider_name(key), provider_name(value)
        if inner is not None and given is not None:
            out.append((inner, given))
    return out


class CallGroup:
    """One `module` block in one module instance: its expanded child instances."""

    __slots__ = ("_children", "_value", "call", "kind", "parent", "reason")

    def __init__(self, parent: ModuleInstance, call: ModuleCall) -> None:
        self.parent = parent
        self.call = call
        self._children: list[tuple[Any, ModuleInstance]] | None = None
        self._value: Any = _MISSING
        self.kind = ""
        self.reason = ""

    def children(self) -> list[ModuleInstance]:
        return [child for _, child in self._expand()]

    def _expand(self) -> list[tuple[Any, ModuleInstance]]:
        if self._children is not None:
            return self._children
        self._children = []
        parent = self.parent
        call = self.call
        base = f"{parent.path}.module.{call.name}" if parent.path else f"module.{call.name}"
        if call.directory is None:
            self.kind = "remote"
            self.reason = (
                f"module.{call.name} comes from {call.source!r}, which is not evaluated"
                if call.source
                else f"module.{call.name} has no usable source"
            )
            return self._children
        if parent.depth >= _MAX_MODULE_DEPTH:
            self.kind = "remote"
            self.reason = f"module.{call.name}: modules nested too deeply (recursive module?)"
            return self._children
        kind, keys, reason = _expansion(call.block.body, parent.ctx, base)
        self.kind = kind
        self.reason = reason
        src = parent.loader.module_source(call.directory)
        children = []
        for key, bindings in keys:
            suffix = "" if key is UNEXPANDED else _index_suffix(key)
            input_ctx = parent.ctx if not bindings else Ctx(parent, bindings)
            child = ModuleInstance(
                parent.loader,
                src,
                base + suffix,
                parent.root_dir,
                inputs=_module_inputs(call.block.body),
                input_ctx=input_ctx,
                depth=parent.depth + 1,
            )
            children.append((key, child))
        self._children = children
        return children

    def value(self) -> Any:
        if self._value is _MISSING:
            children = self._expand()
            if self.kind == "remote":
                self._value = Unknown(self.reason)
            elif self.kind == "single":
                self._value = children[0][1]
            elif self.kind == "count":
                self._value = [child for _, child in children]
            elif self.kind == "for_each":
                self._value = {key: child for key, child in children}
            else:
                self._value = UnexpandedGroup(children[0][1], self.reason)
        return self._value


def _module_inputs(body: Body) -> Body:
    return Body({k: v for k, v in body.attributes.items() if k not in _MODULE_META}, [])


# --------------------------------------------------------------------------- blocks


def eval_body(body: Body, ctx: Ctx) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, attr in body.attributes.items():
        out[name] = ev_safe(attr.expr, ctx)
    if body.blocks:
        out.update(eval_blocks(body.blocks, ctx, top=False))
    return out


def eval_blocks(blocks: list[Block], ctx: Ctx, top: bool) -> dict[str, Any]:
    """Nested blocks as lists of dicts by block type; `dynamic` blocks expanded in place."""
    out: dict[str, Any] = {}
    for blk in blocks:
        kind = blk.type
        if top and kind in _RESOURCE_META_BLOCKS:
            continue
        if kind == "dynamic" and blk.labels:
            name = blk.labels[0]
            existing = out.get(name)
            if isinstance(existing, Unknown):
                continue
            entries = _expand_dynamic(blk, name, ctx)
            if isinstance(entries, Unknown) or existing is None:
                out[name] = entries
            else:
                existing.extend(entries)
            continue
        existing = out.get(kind)
        if isinstance(existing, Unknown):
            continue
        entry = eval_body(blk.body, ctx)
        if existing is None:
            out[kind] = [entry]
        else:
            existing.append(entry)
    return out


def _expand_dynamic(blk: Block, name: str, ctx: Ctx) -> list[dict[str, Any]] | Unknown:
    body = blk.body
    each = body.attributes.get("for_each")
    content = next((b for b in body.blocks if b.type == "content"), None)
    if each is None or content is None:
        return Unknown(f'dynamic "{name}" needs for_each and a content block')
    coll = ev_safe(each.expr, ctx)
    if isinstance(coll, Unknown | Reference | Lazy):
        return Unknown(f'for_each of dynamic "{name}" is not known: {unknown_from(coll).reason}')
    iterator = name
    it_attr = body.attributes.get("iterator")
    if it_attr is not None and isinstance(it_attr.expr, Traversal) and not it_attr.expr.steps:
        iterator = it_attr.expr.root
    try:
        pairs = _iterate(coll)
    except (EvalError, Unresolved) as exc:
        return Unknown(f'for_each of dynamic "{name}" is not usable: {exc}')
    entries: list[dict[str, Any]] = []
    for key, value in pairs:
        bindings = dict(ctx.b)
        bindings[iterator] = {"key": key, "value": value}
        entries.append(eval_body(content.body, Ctx(ctx.mod, bindings)))
    return entries


# --------------------------------------------------------------------------- IAM policy documents

_STATEMENT_LISTS = (
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)


def _principals(blocks: Any) -> Any:
    if isinstance(blocks, Unknown):
        return blocks
    out: dict[str, Any] = {}
    for p in blocks:
        ptype = p.get("type")
        ids = p.get("identifiers")
        if isinstance(ptype, Unknown | Reference):
            return unknown_from(ptype)
        if isinstance(ids, Unknown | Reference):
            out[str(ptype)] = unknown_from(ids)
            continue
        ids_list = ids if isinstance(ids, list) else [ids]
        prev = out.get(str(ptype))
        out[str(ptype)] = (prev if isinstance(prev, list) else []) + ids_list
    if list(out) == ["*"] and out["*"] == ["*"]:
        return "*"
    return out


def _conditions(blocks: Any) -> Any:
    if isinstance(blocks, Unknown):
        return blocks
    out: dict[str, Any] = {}
    for c in blocks:
        test, variable, values = c.get("test"), c.get("variable"), c.get("values")
        if isinstance(test, Unknown | Reference) or isinstance(variable, Unknown | Reference):
            return unknown_from(test if isinstance(test, Unknown | Reference) else variable)
        out.setdefault(str(test), {})[str(variable)] = values
    return out


def _statement(s: dict[str, Any]) -> dict[str, Any]:
    st: dict[str, Any] = {}
    sid = s.get("sid")
    if sid is not None and not (isinstance(sid, str) and sid == ""):
        st["Sid"] = sid
    effect = s.get("effect")
    st["Effect"] = "Allow" if effect is None else effect
    for key, out_key in _STATEMENT_LISTS:
        value = s.get(key)
        if value is not None:
            st[out_key] = value
    if s.get("principals") is not None:
        st["Principal"] = _principals(s["principals"])
    if s.get("not_principals") is not None:
        st["NotPrincipal"] = _principals(s["not_principals"])
    if s.get("condition") is not None:
        st["Condition"] = _conditions(s["condition"])
    return st


def _source_statements(docs: Any) -> list[Any] | Unknown:
    if docs is None:
        return []
    if isinstance(docs, Unknown | Reference):
        return unknown_from(docs)
    statements: list[Any] = []
    for doc in docs if isinstance(docs, list) else [docs]:
        if isinstance(doc, PartialJSON):
            parsed = doc.value
        elif isinstance(doc, Unknown | Reference):
            return unknown_from(doc)
        elif isinstance(doc, str):
            try:
                parsed = json.loads(doc)
            except ValueError:
                return Unknown("a source policy document is not valid JSON")
        elif isinstance(doc, dict):
            parsed = doc
        else:
            continue
        stmts = parsed.get("Statement", []) if isinstance(parsed, dict) else []
        statements.extend(stmts if isinstance(stmts, list) else [stmts])
    return statements


def _merge_by_sid(base: list[Any], extra: list[Any]) -> list[Any]:
    out = list(base)
    for st in extra:
        sid = st.get("Sid") if isinstance(st, dict) else None
        if isinstance(sid, str) and sid:
            for i, existing in enumerate(out):
                if isinstance(existing, dict) and existing.get("Sid") == sid:
                    out[i] = st
                    break
            else:
                out.append(st)
        else:
            out.append(st)
    return out


def policy_document(attrs: dict[str, Any]) -> Any:
    """The document of an `aws_iam_policy_document` data source from its evaluated config."""
    statements_cfg = attrs.get("statement") or []
    if isinstance(statements_cfg, Unknown):
        return statements_cfg
    own = [_statement(s) for s in statements_cfg if isinstance(s, dict)]
    sources = _source_statements(attrs.get("source_policy_documents"))
    if isinstance(sources, Unknown):
        return sources
    overrides = _source_statements(attrs.get("override_policy_documents"))
    if isinstance(overrides, Unknown):
        return overrides
    statements = _merge_by_sid(_merge_by_sid(sources, own), overrides)
    version = attrs.get("version")
    doc: dict[str, Any] = {"Version": "2012-10-17" if version is None else version}
    if attrs.get("policy_id") is not None:
        doc["Id"] = attrs["policy_id"]
    doc["Statement"] = statements
    return doc


# --------------------------------------------------------------------------- entry point


def _walk(path: str) -> list[str]:
    """Directories under `path` holding .tf files, skipping hidden dirs and .terraform."""
    found = []
    for directory, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if any(f.endswith((".tf", ".tf.json")) and not f.startswith(".") for f in filenames):
            found.append(directory)
    return found


def _tfvars_files(directory: str) -> list[str]:
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    first = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    auto = sorted(n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json")))
    return [os.path.join(directory, n) for n in first + auto]


def _read_var_file(loader: Loader, path: str, dummy: ModuleInstance) -> dict[str, Any]:
    body = loader.parse_file(path)
    if body is None:
        return {}
    return {
        name: materialize(ev_safe(attr.expr, dummy.ctx)) for name, attr in body.attributes.items()
    }


def find_roots(
    scanned: Sequence[str], edges: dict[str, set[str]], rel: Callable[[str], str]
) -> list[str]:
    """Root modules among the `scanned` directories, given every reachable directory's local
    module calls (`edges`): those not called by another, in path order, then directories only
    reachable through a cycle of module calls."""
    called = set().union(*edges.values()) if edges else set()
    order = sorted(scanned, key=rel)
    roots = [d for d in order if d not in called]
    reached: set[str] = set()

    def reach(start: str) -> None:
        stack = [start]
        while stack:
            d = stack.pop()
            if d in reached:
                continue
            reached.add(d)
            stack.extend(edges.get(d, ()))

    for d in roots:
        reach(d)
    for d in order:  # directories only reachable through a cycle of module calls
        if d not in reached:
            roots.append(d)
            reach(d)
    return roots


def local_calls(src: ModuleSource) -> set[str]:
    """Directories of the local modules `src` calls (sources that exist), itself excluded."""
    return {
        c.directory
        for c in src.calls.values()
        if c.directory is not None and c.directory != src.directory
    }


def read_var_files(loader: Loader, root: Path, var_files: Sequence[Path]) -> dict[str, Any]:
    """The values of `--var-file`s, applied to every root module after its tfvars files."""
    dummy = ModuleInstance(loader, ModuleSource(str(root)), "", os.path.abspath(root))
    extra: dict[str, Any] = {}
    for var_file in var_files:
        extra.update(_read_var_file(loader, os.path.abspath(var_file), dummy))
    return extra


def evaluate_root(
    loader: Loader,
    directory: str,
    files: set[str] | None,
    extra: dict[str, Any],
    out: list[RawResource],
) -> None:
    """Evaluate the root module in `directory` (only the declarations of `files` when given)
    into `out`; errors go to `loader.errors`."""
    dummy = ModuleInstance(loader, ModuleSource(str(loader.root)), "", loader.root)
    values: dict[str, Any] = {}
    for vf in _tfvars_files(directory):
        values.update(_read_var_file(loader, vf, dummy))
    values.update(extra)
    instance = ModuleInstance(
        loader, loader.module_source(directory), "", directory, var_values=values
    )
    try:
        instance.emit(out, loader.errors, files)
    except Exception as exc:  # never lose the other root modules to a bug
        loader.errors.append(
            ParseError(loader.rel(directory), None, None, f"internal error: {exc!r}", SOURCE)
        )


def evaluate_roots(
    paths: Sequence[Path], root: Path, var_files: Sequence[Path]
) -> tuple[list[RawResource], list[ParseError]]:
    loader = Loader(root)
    scanned: dict[str, set[str] | None] = {}
    for p in paths:
        path = os.path.abspath(p)
        if os.path.isdir(path):
            for directory in _walk(path):
                scanned[directory] = None
        elif os.path.isfile(path):
            if not path.endswith((".tf", ".tf.json")):
                continue
            directory = os.path.dirname(path)
            if directory in scanned and scanned[directory] is None:
                continue
            files = scanned.setdefault(directory, set())
            assert files is not None
            files.add(loader.rel(path))
        else:
            loader.errors.append(
                ParseError(loader.rel(path), None, None, "no such file or directory", SOURCE)
            )

    for directory in scanned:
        loader.module_source(directory)

    # A directory only reached as a local module is not a root module.
    edges: dict[str, set[str]] = {}
    pending = list(scanned)
    while pending:
        directory = pending.pop()
        if directory in edges:
            continue
        targets = local_calls(loader.module_source(directory))
        edges[directory] = targets
        pending.extend(t for t in targets if t not in edges)
    roots = find_roots(list(scanned), edges, loader.rel)

    extra = read_var_files(loader, root, var_files)
    out: list[RawResource] = []
    for directory in roots:
        evaluate_root(loader, directory, scanned.get(directory), extra, out)
    return out, loader.errors

"""HCL native syntax -> a small syntax tree (`Body`, `Block`, `Attribute`, `Expr` nodes).

`parse_hcl(text, filename)` is the only entry point the evaluator uses, so the
parser can be swapped. This one is a hand-written, regex-driven recursive
descent parser: it is 3-4x faster than a Lark LALR parse of the same files (see
`bench/parsers.py`), applies operator precedence, parses templates (`${}`,
`%{ if }`/`%{ for }`, heredocs) into nodes instead of leaving `${...}` strings,
and reports exact line/column positions in `HclSyntaxError`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

__all__ = [
    "Attribute",
    "Binary",
    "Block",
    "Body",
    "Call",
    "Conditional",
    "Expr",
    "ForExpr",
    "HclSyntaxError",
    "Literal",
    "ObjectExpr",
    "RelTraversal",
    "Splat",
    "Template",
    "TemplateFor",
    "TemplateIf",
    "Traversal",
    "TupleExpr",
    "Unary",
    "parse_hcl",
    "parse_template",
]


class HclSyntaxError(Exception):
    """A syntax error with a 1-based line and column."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{line}:{column}: {message}")
        self.message = message
        self.line = line
        self.column = column


# --------------------------------------------------------------------------- syntax tree


class Expr:
    """Base class of expression nodes."""

    __slots__ = ()


class Literal(Expr):
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Literal({self.value!r})"


class Template(Expr):
    """A string template: literal `str` parts, expressions and directives, concatenated."""

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[str | Expr, ...]) -> None:
        self.parts = parts


class TemplateIf(Expr):
    __slots__ = ("cond", "else_", "then")

    def __init__(self, cond: Expr, then: Template, else_: Template) -> None:
        self.cond = cond
        self.then = then
        self.else_ = else_


class TemplateFor(Expr):
    __slots__ = ("body", "coll", "key_var", "value_var")

    def __init__(self, key_var: str | None, value_var: str, coll: Expr, body: Template) -> None:
        self.key_var = key_var
        self.value_var = value_var
        self.coll = coll
        self.body = body


class TupleExpr(Expr):
    __slots__ = ("items",)

    def __init__(self, items: tuple[Expr, ...]) -> None:
        self.items = items


class ObjectExpr(Expr):
    __slots__ = ("items",)

    def __init__(self, items: tuple[tuple[Expr, Expr], ...]) -> None:
        self.items = items


# A traversal step: `str` is an attribute access (`.name`), an `Expr` is an index (`[expr]`).
Step = str | Expr


class Traversal(Expr):
    """A variable reference: `root` then steps (`var.a`, `aws_s3_bucket.b[0].id`)."""

    __slots__ = ("root", "steps")

    def __init__(self, root: str, steps: tuple[Step, ...]) -> None:
        self.root = root
        self.steps = steps

    def __repr__(self) -> str:
        return f"Traversal({self.root!r}, {self.steps!r})"


class RelTraversal(Expr):
    """Attribute/index steps applied to the result of any other expression."""

    __slots__ = ("source", "steps")

    def __init__(self, source: Expr, steps: tuple[Step, ...]) -> None:
        self.source = source
        self.steps = steps


class Splat(Expr):
    """`source[*].steps` (or `source.*.steps`): steps applied to each element."""

    __slots__ = ("source", "steps")

    def __init__(self, source: Expr, steps: tuple[Step, ...]) -> None:
        self.source = source
        self.steps = steps


class Call(Expr):
    __slots__ = ("args", "expand", "line", "name")

    def __init__(self, name: str, args: tuple[Expr, ...], expand: bool, line: int) -> None:
        self.name = name
        self.args = args
        self.expand = expand
        self.line = line


class Conditional(Expr):
    __slots__ = ("cond", "false", "true")

    def __init__(self, cond: Expr, true: Expr, false: Expr) -> None:
        self.cond = cond
        self.true = true
        self.false = false


class Binary(Expr):
    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left: Expr, right: Expr) -> None:
        self.op = op
        self.left = left
        self.right = right


class Unary(Expr):
    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: Expr) -> None:
        self.op = op
        self.operand = operand


class ForExpr(Expr):
    """`[for k, v in coll : value if cond]` (key is None) or `{for ... : key => value...}`."""

    __slots__ = ("coll", "cond", "group", "key", "key_var", "value", "value_var")

    def __init__(
        self,
        key_var: str | None,
        value_var: str,
        coll: Expr,
        key: Expr | None,
        value: Expr,
        cond: Expr | None,
        group: bool,
    ) -> None:
        self.key_var = key_var
        self.value_var = value_var
        self.coll = coll
        self.key = key
        self.value = value
        self.cond = cond
        self.group = group


class Attribute:
    __slots__ = ("end_line", "expr", "line", "name")

    def __init__(self, name: str, expr: Expr, line: int, end_line: int) -> None:
        self.name = name
        self.expr = expr
        self.line = line
        self.end_line = end_line


class Block:
    __slots__ = ("body", "end_line", "labels", "line", "type")

    def __init__(
        self, type_: str, labels: tuple[str, ...], body: Body, line: int, end_line: int
    ) -> None:
        self.type = type_
        self.labels = labels
        self.body = body
        self.line = line
        self.end_line = end_line


class Body:
    __slots__ = ("attributes", "blocks")

    def __init__(self, attributes: dict[str, Attribute], blocks: list[Block]) -> None:
        self.attributes = attributes
        self.blocks = blocks


# --------------------------------------------------------------------------- lexical helpers

_WS_INLINE = re.compile(r"(?:[ \t\r]+|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.S)
_WS_ALL = re.compile(r"(?:\s+|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.S)
_SPACE_STARTS = frozenset(" \t\r\n\f\v#/")
_ATTR_START = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?!=)[ \t]*")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_BINOP = re.compile(r"\|\||&&|==|!=|<=|>=|<|>|\+|-|\*|/|%")
_PREC = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}
_STR_FAST = re.compile(r'"([^"\\$%\n]*)"')
_STR_CHUNK = re.compile(r"(?:\$\$\{|%%\{|[^\"\\$%\n]+|\\.|\$(?!\{)|%(?!\{))*")
_HEREDOC_CHUNK = re.compile(r"(?:\$\$\{|%%\{|[^$%]+|\$(?!\{)|%(?!\{))*")
_ESCAPE = re.compile(r"\\(?:[nrt\"\\]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|\$\$\{|%%\{")
_HEREDOC_START = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_KEYWORD_FOR = re.compile(r"for\s+[A-Za-z_][A-Za-z0-9_-]*\s*(?:,|in\s)")
_KEYWORD_IN = re.compile(r"in\b")
_KEYWORD_IF = re.compile(r"if\b")
_DIRECTIVE = re.compile(r"(if|else|endif|for|endfor)\b")
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_KEYWORDS = {"true": True, "false": False, "null": None}


def _unescape_match(m: re.Match[str]) -> str:
    s = m.group()
    if s == "$${":
        return "${"
    if s == "%%{":
        return "%{"
    c = s[1]
    if c in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[c]
    return chr(int(s[2:], 16))


def _unescape(s: str) -> str:
    if "\\" not in s and "$${" not in s and "%%{" not in s:
        return s
    return _ESCAPE.sub(_unescape_match, s)


def _unescape_heredoc(s: str) -> str:
    if "$${" not in s and "%%{" not in s:
        return s
    return s.replace("$${", "${").replace("%%{", "%{")


def _dedent(lines: list[str]) -> list[str]:
    """Remove the smallest indentation of the non-blank lines (`<<-` heredocs)."""
    indent: int | None = None
    for line in lines:
        stripped = line.lstrip(" \t")
        if not stripped.strip():
            continue
        width = len(line) - len(stripped)
        if indent is None or width < indent:
            indent = width
    if not indent:
        return lines
    out: list[str] = []
    for line in lines:
        if line.strip(" \t\r\n"):
            out.append(line[indent:])
        else:
            out.append(line[len(line.rstrip("\r\n")) :])
    return out


# --------------------------------------------------------------------------- parser


class _Parser:
    __slots__ = ("line_offset", "n", "newlines", "pos", "skip_re", "text")

    def __init__(self, text: str, line_offset: int = 0) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.line_offset = line_offset
        self.newlines: list[int] | None = None
        self.skip_re = _WS_INLINE

    # ---- positions and errors

    def line_of(self, pos: int) -> int:
        if self.newlines is None:
            text = self.text
            nl: list[int] = []
            i = text.find("\n")
            while i >= 0:
                nl.append(i)
                i = text.find("\n", i + 1)
            self.newlines = nl
        return bisect_right(self.newlines, pos - 1) + 1 + self.line_offset

    def error(self, message: str, pos: int | None = None) -> HclSyntaxError:
        if pos is None:
            pos = self.pos
        pos = min(pos, self.n)
        line = self.line_of(pos)
        column = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return HclSyntaxError(message, line, column)

    def describe(self, pos: int) -> str:
        if pos >= self.n:
            return "end of file"
        c = self.text[pos]
        if c == "\n":
            return "newline"
        return repr(c)

    def skip(self) -> None:
        pos = self.pos
        if pos < self.n and self.text[pos] in _SPACE_STARTS:
            self.pos = self.skip_re.match(self.text, pos).end()  # type: ignore[union-attr]

    def skip_all(self) -> None:
        pos = self.pos
        if pos < self.n and self.text[pos] in _SPACE_STARTS:
            self.pos = _WS_ALL.match(self.text, pos).end()  # type: ignore[union-attr]

    def expect(self, char: str, what: str) -> None:
        if self.text.startswith(char, self.pos):
            self.pos += len(char)
            return
        raise self.error(f"expected {what}, found {self.describe(self.pos)}")

    # ---- bodies

    def parse_body(self, closing: bool) -> Body:
        text = self.text
        attrs: dict[str, Attribute] = {}
        blocks: list[Block] = []
        n = self.n
        ws_all = _WS_ALL.match
        attr_start = _ATTR_START.match
        while True:
            pos = ws_all(text, self.pos).end()  # type: ignore[union-attr]
            self.pos = pos
            if pos >= n:
                if closing:
                    raise self.error("missing '}' at end of block")
                break
            c = text[pos]
            if c == "}":
                if closing:
                    self.pos = pos + 1
                    break
                raise self.error("unexpected '}'")
            am = attr_start(text, pos)
            if am is not None:
                name = am.group(1)
                self.pos = am.end()
                self.skip_re = _WS_INLINE
                expr = self.parse_expr()
                end = self.pos
                self.skip()
                q = self.pos
                if q < self.n and text[q] not in "\n}":
                    raise self.error(
                        f"unexpected {self.describe(q)} after the value of {name!r}; "
                        "expected a newline"
                    )
                if name in attrs:
                    raise self.error(
                        f"attribute {name!r} is defined twice (first at line {attrs[name].line})",
                        pos,
                    )
                attrs[name] = Attribute(name, expr, self.line_of(pos), self.line_of(end))
                continue
            m = _IDENT.match(text, pos)
            if m is None:
                raise self.error(f"expected an attribute or a block, found {self.describe(pos)}")
            name = m.group()
            self.pos = m.end()
            self.skip()
            labels: list[str] = []
            while True:
                p = self.pos
                if p >= self.n:
                    raise self.error(f"expected '{{' to open block {name!r}")
                c = text[p]
                if c == "{":
                    self.pos = p + 1
                    break
                if c == '"':
                    fast = _STR_FAST.match(text, p)
                    if fast is not None:
                        labels.append(fast.group(1))
                        self.pos = fast.end()
                    else:
                        label = self.parse_quoted()
                        if not isinstance(label, Literal) or not isinstance(label.value, str):
                            raise self.error("block labels cannot contain interpolations", p)
                        labels.append(label.value)
                else:
                    lm = _IDENT.match(text, p)
                    if lm is None:
                        if c == "=":
                            raise self.error(f"expected '=' or a block after {name!r}", p)
                        raise self.error(
                            f"expected a block label or '{{' after {name!r}, "
                            f"found {self.describe(p)}"
                        )
                    labels.append(lm.group())
                    self.pos = lm.end()
                self.skip()
            body = self.parse_body(True)
            blocks.append(
                Block(name, tuple(labels), body, self.line_of(pos), self.line_of(self.pos))
            )
            self.skip()
            q = self.pos
            if q < self.n and text[q] not in "\n}":
                raise self.error(f"unexpected {self.describe(q)} after block {name!r}")
        return Body(attrs, blocks)

    # ---- expressions

    def parse_expr(self) -> Expr:
        cond = self.parse_binary(1)
        self.skip()
        if self.text.startswith("?", self.pos):
            self.pos += 1
            saved = self.skip_re
            self.skip_re = _WS_ALL
            self.skip_all()
            true = self.parse_expr()
            self.skip_all()
            self.expect(":", "':' in conditional expression")
            self.skip_all()
            self.skip_re = saved
            false = self.parse_expr()
            return Conditional(cond, true, false)
        return cond

    def parse_binary(self, min_prec: int) -> Expr:
        left = self.parse_unary()
        text = self.text
        while True:
            self.skip()
            m = _BINOP.match(text, self.pos)
            if m is None:
                return left
            op = m.group()
            prec = _PREC[op]
            if prec < min_prec:
                return left
            self.pos = m.end()
            self.skip_all()
            right = self.parse_binary(prec + 1)
            left = Binary(op, left, right)

    def parse_unary(self) -> Expr:
        self.skip()
        pos = self.pos
        if pos < self.n:
            c = self.text[pos]
            if c == "-" or c == "!":
                self.pos = pos + 1
                operand = self.parse_unary()
                if c == "-" and isinstance(operand, Literal) and _is_number(operand.value):
                    return Literal(-operand.value)
                return Unary(c, operand)
        return self.parse_postfix(self.parse_primary())

    def parse_postfix(self, node: Expr) -> Expr:
        text = self.text
        steps: list[Step] = []
        splat = False
        while True:
            self.skip()
            p = self.pos
            if p >= self.n:
                break
            c = text[p]
            if c == ".":
                q = p + 1
                if q >= self.n:
                    break
                d = text[q]
                if d == "*":
                    node = _with_steps(node, steps, splat)
                    steps = []
                    splat = True
                    self.pos = q + 1
                    continue
                if d.isdigit():
                    m = _NUMBER.match(text, q)
                    assert m is not None
                    digits = text[q : m.end()].split(".")[0]
                    steps.append(Literal(int(digits)))
                    self.pos = q + len(digits)
                    continue
                m = _IDENT.match(text, q)
                if m is None:
                    break
                steps.append(m.group())
                self.pos = m.end()
                continue
            if c == "[":
                saved = self.skip_re
                self.skip_re = _WS_ALL
                self.pos = p + 1
                self.skip_all()
                if text.startswith("*", self.pos):
                    self.pos += 1
                    self.skip_all()
                    self.expect("]", "']' after '[*'")
                    self.skip_re = saved
                    node = _with_steps(node, steps, splat)
                    steps = []
                    splat = True
                    continue
                index = self.parse_expr()
                self.skip_all()
                self.expect("]", "']' to close the index")
                self.skip_re = saved
                steps.append(index)
                continue
            break
        return _with_steps(node, steps, splat)

    def parse_primary(self) -> Expr:
        text = self.text
        pos = self.pos
        if pos >= self.n:
            raise self.error("expected an expression, found end of file")
        c = text[pos]
        if c == '"':
            fast = _STR_FAST.match(text, pos)
            if fast is not None:
                self.pos = fast.end()
                return Literal(fast.group(1))
            return self.parse_quoted()
        if c.isdigit():
            m = _NUMBER.match(text, pos)
            assert m is not None
            self.pos = m.end()
            s = m.group()
            if m.group(1) is None and m.group(2) is None:
                return Literal(int(s))
            f = float(s)
            return Literal(int(f) if f.is_integer() and abs(f) < 2**53 else f)
        if c == "[":
            return self.parse_tuple()
        if c == "{":
            return self.parse_object()
        if c == "(":
            saved = self.skip_re
            self.skip_re = _WS_ALL
            self.pos = pos + 1
            self.skip_all()
            inner = self.parse_expr()
            self.skip_all()
            self.expect(")", "')'")
            self.skip_re = saved
            return inner
        if c == "<" and text.startswith("<<", pos):
            return self.parse_heredoc()
        m = _IDENT.match(text, pos)
        if m is None:
            raise self.error(f"expected an expression, found {self.describe(pos)}")
        name = m.group()
        self.pos = m.end()
        if name in _KEYWORDS:
            return Literal(_KEYWORDS[name])
        p = _WS_INLINE.match(text, self.pos).end()  # type: ignore[union-attr]
        if text.startswith("::", p):
            full = name
            q = p
            while text.startswith("::", q):
                fm = _IDENT.match(text, q + 2)
                if fm is None:
                    raise self.error("expected a function name after '::'", q + 2)
                full += "::" + fm.group()
                q = fm.end()
            p = _WS_INLINE.match(text, q).end()  # type: ignore[union-attr]
            if not text.startswith("(", p):
                raise self.error(f"expected '(' after {full!r}", p)
            self.pos = p
            return self.parse_call(full, pos)
        if text.startswith("(", p):
            self.pos = p
            return self.parse_call(name, pos)
        return Traversal(name, ())

    def parse_call(self, name: str, start: int) -> Expr:
        saved = self.skip_re
        self.skip_re = _WS_ALL
        self.pos += 1
        args: list[Expr] = []
        expand = False
        while True:
            self.skip_all()
            if self.text.startswith(")", self.pos):
                self.pos += 1
                break
            args.append(self.parse_expr())
            self.skip_all()
            if self.text.startswith("...", self.pos):
                expand = True
                self.pos += 3
                self.skip_all()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            if self.text.startswith(")", self.pos):
                self.pos += 1
                break
            raise self.error(
                f"expected ',' or ')' in call to {name}(), found {self.describe(self.pos)}"
            )
        self.skip_re = saved
        return Call(name, tuple(args), expand, self.line_of(start))

    def parse_tuple(self) -> Expr:
        saved = self.skip_re
        self.skip_re = _WS_ALL
        self.pos += 1
        self.skip_all()
        if _KEYWORD_FOR.match(self.text, self.pos):
            node = self.parse_for(False)
            self.skip_re = saved
            return node
        items: list[Expr] = []
        while True:
            self.skip_all()
            if self.text.startswith("]", self.pos):
                self.pos += 1
                break
            items.append(self.parse_expr())
            self.skip_all()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            if self.text.startswith("]", self.pos):
                self.pos += 1
                break
            raise self.error(f"expected ',' or ']' in list, found {self.describe(self.pos)}")
        self.skip_re = saved
        if all(isinstance(i, Literal) for i in items):
            return Literal([i.value for i in items])  # type: ignore[attr-defined]
        return TupleExpr(tuple(items))

    def parse_object(self) -> Expr:
        saved = self.skip_re
        self.pos += 1
        self.skip_all()
        if _KEYWORD_FOR.match(self.text, self.pos):
            self.skip_re = _WS_ALL
            node = self.parse_for(True)
            self.skip_re = saved
            return node
        self.skip_re = _WS_INLINE
        text = self.text
        items: list[tuple[Expr, Expr]] = []
        while True:
            self.skip_all()
            if text.startswith("}", self.pos):
                self.pos += 1
                break
            key_pos = self.pos
            key = self.parse_expr()
            if isinstance(key, Traversal) and not key.steps:
                key = Literal(key.root)
            self.skip()
            p = self.pos
            if (text.startswith("=", p) and not text.startswith("==", p)) or text.startswith(
                ":", p
            ):
                self.pos = p + 1
            else:
                raise self.error(
                    f"expected '=' or ':' after an object key, found {self.describe(p)}", p
                )
            self.skip_all()
            value = self.parse_expr()
            self.skip()
            items.append((key, value))
            p = self.pos
            if text.startswith(",", p):
                self.pos = p + 1
                continue
            if p < self.n and text[p] in "\n}":
                continue
            raise self.error(
                f"expected ',', a newline or '}}' after object item, found {self.describe(p)}",
                p if p > key_pos else key_pos,
            )
        self.skip_re = saved
        if all(isinstance(k, Literal) and isinstance(v, Literal) for k, v in items):
            obj: dict[Any, Any] = {}
            for k, v in items:
                kv = k.value  # type: ignore[attr-defined]
                if not isinstance(kv, str | int | float | bool) or isinstance(kv, bool):
                    break
                obj[_key_str(kv)] = v.value  # type: ignore[attr-defined]
            else:
                return Literal(obj)
        return ObjectExpr(tuple(items))

    def parse_for(self, is_object: bool) -> Expr:
        text = self.text
        self.pos += 3
        self.skip_all()
        m = _IDENT.match(text, self.pos)
        if m is None:
            raise self.error("expected a variable name after 'for'")
        first = m.group()
        self.pos = m.end()
        self.skip_all()
        key_var: str | None = None
        value_var = first
        if text.startswith(",", self.pos):
            self.pos += 1
            self.skip_all()
            m = _IDENT.match(text, self.pos)
            if m is None:
                raise self.error("expected a second variable name in 'for'")
            key_var, value_var = first, m.group()
            self.pos = m.end()
            self.skip_all()
        if not _KEYWORD_IN.match(text, self.pos):
            raise self.error(f"expected 'in' in for expression, found {self.describe(self.pos)}")
        self.pos += 2
        self.skip_all()
        coll = self.parse_expr()
        self.skip_all()
        self.expect(":", "':' after the for collection")
        self.skip_all()
        key: Expr | None = None
        if is_object:
            key = self.parse_expr()
            self.skip_all()
            self.expect("=>", "'=>' in for expression")
            self.skip_all()
        value = self.parse_expr()
        self.skip_all()
        group = False
        if is_object and text.startswith("...", self.pos):
            group = True
            self.pos += 3
            self.skip_all()
        cond: Expr | None = None
        if _KEYWORD_IF.match(text, self.pos):
            self.pos += 2
            self.skip_all()
            cond = self.parse_expr()
            self.skip_all()
        self.expect("}" if is_object else "]", "'}'" if is_object else "']'")
        return ForExpr(key_var, value_var, coll, key, value, cond, group)

    # ---- templates

    def parse_quoted(self) -> Expr:
        start = self.pos
        self.pos += 1
        items = self.template_items(quoted=True)
        return _build_template(items, self, start)

    def parse_heredoc(self) -> Expr:
        text = self.text
        start = self.pos
        m = _HEREDOC_START.match(text, start)
        if m is None:
            raise self.error("invalid heredoc: expected <<ID or <<-ID followed by a newline")
        trim, tag = m.group(1), m.group(2)
        content_start = m.end()
        end = re.compile(r"^[ \t]*" + re.escape(tag) + r"[ \t]*\r?$", re.M).search(
            text, content_start
        )
        if end is None:
            raise self.error(f"heredoc {tag!r} is not terminated", start)
        content = text[content_start : end.start()]
        self.pos = end.end()
        if trim:
            content = "".join(_dedent(content.splitlines(keepends=True)))
        if "${" not in content and "%{" not in content:
            return Literal(_unescape_heredoc(content))
        sub = _Parser(content, self.line_of(content_start) - 1)
        items = sub.template_items(quoted=False)
        return _build_template(items, sub, 0)

    def template_items(self, quoted: bool) -> list[Any]:
        """Flat template items: str, Expr, or directive tuples; consumes the closing quote."""
        text = self.text
        chunk_re = _STR_CHUNK if quoted else _HEREDOC_CHUNK
        unescape = _unescape if quoted else _unescape_heredoc
        items: list[Any] = []
        strip_next = False
        while True:
            m = chunk_re.match(text, self.pos)
            assert m is not None
            chunk = m.group()
            self.pos = m.end()
            if chunk:
                s = unescape(chunk)
                if strip_next:
                    s = s.lstrip()
                items.append(s)
            strip_next = False
            p = self.pos
            if p >= self.n:
                if quoted:
                    raise self.error("unterminated string", p)
                return items
            c = text[p]
            if c == '"' and quoted:
                self.pos = p + 1
                return items
            if c == "\n" and quoted:
                raise self.error("unterminated string (strings cannot span lines)", p)
            # "${" or "%{"
            self.pos = p + 2
            if text.startswith("~", self.pos):
                self.pos += 1
                if items and isinstance(items[-1], str):
                    items[-1] = items[-1].rstrip()
            saved = self.skip_re
            self.skip_re = _WS_ALL
            self.skip_all()
            if c == "$":
                items.append(self.parse_expr())
            else:
                items.append(self.parse_directive())
            self.skip_all()
            if text.startswith("~", self.pos):
                self.pos += 1
                strip_next = True
            self.expect("}", "'}' to close the template sequence")
            self.skip_re = saved

    def parse_directive(self) -> tuple[Any, ...]:
        text = self.text
        m = _DIRECTIVE.match(text, self.pos)
        if m is None:
            raise self.error("expected if, else, endif, for or endfor in template directive")
        word = m.group(1)
        self.pos = m.end()
        self.skip_all()
        if word == "if":
            return ("if", self.parse_expr(), self.pos)
        if word == "for":
            im = _IDENT.match(text, self.pos)
            if im is None:
                raise self.error("expected a variable name after 'for'")
            first = im.group()
            self.pos = im.end()
            self.skip_all()
            key_var: str | None = None
            value_var = first
            if text.startswith(",", self.pos):
                self.pos += 1
                self.skip_all()
                im = _IDENT.match(text, self.pos)
                if im is None:
                    raise self.error("expected a second variable name in 'for'")
                key_var, value_var = first, im.group()
                self.pos = im.end()
                self.skip_all()
            if not _KEYWORD_IN.match(text, self.pos):
                raise self.error("expected 'in' in template for directive")
            self.pos += 2
            self.skip_all()
            return ("for", key_var, value_var, self.parse_expr(), self.pos)
        return (word, self.pos)


def _key_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _with_steps(node: Expr, steps: list[Step], splat: bool) -> Expr:
    if splat:
        return Splat(node, tuple(steps))
    if not steps:
        return node
    if isinstance(node, Traversal):
        return Traversal(node.root, node.steps + tuple(steps))
    if isinstance(node, RelTraversal):
        return RelTraversal(node.source, node.steps + tuple(steps))
    return RelTraversal(node, tuple(steps))


def _build_template(items: list[Any], parser: _Parser, start: int) -> Expr:
    pos = 0

    def seq(stop: tuple[str, ...]) -> tuple[list[str | Expr], str | None]:
        nonlocal pos
        parts: list[str | Expr] = []
        while pos < len(items):
            item = items[pos]
            pos += 1
            if isinstance(item, tuple):
                word = item[0]
                if word in stop:
                    return parts, word
                if word == "if":
                    then, ended = seq(("else", "endif"))
                    other: list[str | Expr] = []
                    if ended == "else":
                        other, ended = seq(("endif",))
                    if ended != "endif":
                        raise parser.error("missing %{ endif } for %{ if }", item[-1])
                    parts.append(TemplateIf(item[1], Template(tuple(then)), Template(tuple(other))))
                elif word == "for":
                    body, ended = seq(("endfor",))
                    if ended != "endfor":
                        raise parser.error("missing %{ endfor } for %{ for }", item[-1])
                    parts.append(TemplateFor(item[1], item[2], item[3], Template(tuple(body))))
                else:
                    raise parser.error(f"unexpected %{{ {word} }} in template", item[-1])
            else:
                parts.append(item)
        return parts, None

    parts, _ = seq(())
    merged: list[str | Expr] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif not (isinstance(part, str) and not part):
            merged.append(part)
    if not merged:
        return Literal("")
    if len(merged) == 1:
        only = merged[0]
        if isinstance(only, str):
            return Literal(only)
        if not isinstance(only, TemplateIf | TemplateFor):
            # "${expr}" alone yields the expression's own value (not converted to a string)
            return only
    return Template(tuple(merged))


# --------------------------------------------------------------------------- entry points


def parse_hcl(text: str, filename: str = "<string>") -> Body:
    """Parse a whole `.tf` / `.tfvars` file. Raises `HclSyntaxError`."""
    del filename  # kept in the signature so alternative parsers can report it
    if text.startswith("\ufeff"):
        text = text[1:]
    parser = _Parser(text)
    return parser.parse_body(False)


def parse_template(text: str) -> Expr:
    """Parse a standalone template (the contents of a `templatefile` file)."""
    if "${" not in text and "%{" not in text:
        return Literal(_unescape_heredoc(text))
    parser = _Parser(text)
    return _build_template(parser.template_items(quoted=False), parser, 0)


def parse_expression(text: str) -> Expr:
    """Parse one expression (used for `${...}` strings of `.tf.json` files)."""
    parser = _Parser(text)
    parser.skip_re = _WS_ALL
    parser.skip_all()
    expr = parser.parse_expr()
    parser.skip_all()
    if parser.pos < parser.n:
        raise parser.error(f"unexpected {parser.describe(parser.pos)} after expression")
    return expr

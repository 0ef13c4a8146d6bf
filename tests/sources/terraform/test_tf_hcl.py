"""The HCL parser on its own: tree shapes, precedence, templates and error positions."""

from __future__ import annotations

import pytest

from tutela.sources.terraform.hcl import (
    Binary,
    Conditional,
    HclSyntaxError,
    Literal,
    Splat,
    Template,
    Traversal,
    parse_hcl,
)


def attr(src: str, name: str = "a") -> object:
    return parse_hcl(src).attributes[name].expr


def test_blocks_labels_and_lines() -> None:
    body = parse_hcl(
        '# comment\nresource "aws_s3_bucket" "b" {\n  x = 1 // trailing\n'
        "  inner { y = true }\n  /* block\n comment */\n}\nlocals {\n}\n"
    )
    resource, local = body.blocks
    assert (resource.type, resource.labels, resource.line, resource.end_line) == (
        "resource",
        ("aws_s3_bucket", "b"),
        2,
        7,
    )
    assert resource.body.attributes["x"].line == 3
    (inner,) = resource.body.blocks
    assert inner.type == "inner" and inner.line == 4 and inner.end_line == 4
    assert (local.type, local.labels) == ("locals", ())


def test_operator_precedence() -> None:
    expr = attr("a = 1 + 2 * 3 == 7 || false\n")
    assert isinstance(expr, Binary) and expr.op == "||"
    left = expr.left
    assert isinstance(left, Binary) and left.op == "=="
    assert isinstance(left.left, Binary) and left.left.op == "+"
    assert isinstance(left.left.right, Binary) and left.left.right.op == "*"


def test_conditional_traversal_and_splat() -> None:
    cond = attr('a = var.x ? aws_s3_bucket.b["k"].arn : null\n')
    assert isinstance(cond, Conditional)
    true = cond.true
    assert isinstance(true, Traversal) and true.root == "aws_s3_bucket"
    assert true.steps[0] == "b" and isinstance(true.steps[1], Literal) and true.steps[2] == "arn"
    splat = attr("a = aws_instance.x[*].id\n")
    assert isinstance(splat, Splat) and splat.steps == ("id",)


def test_multiline_collections_and_objects() -> None:
    expr = attr('a = {\n  x = 1, y = [\n    2,\n    3,\n  ]\n  "z" = "s"\n}\nb = 2\n')
    assert isinstance(expr, Literal)
    assert expr.value == {"x": 1, "y": [2, 3], "z": "s"}


def test_templates() -> None:
    expr = attr('a = "x-${var.y}-$${z}"\n')
    assert isinstance(expr, Template) and expr.parts[0] == "x-" and expr.parts[2] == "-${z}"
    lone = attr('a = "${var.y}"\n')
    assert isinstance(lone, Traversal)  # "${expr}" alone is the expression itself
    heredoc = attr("a = <<-EOT\n    one\n      two\n    EOT\nb = 1\n")
    assert isinstance(heredoc, Literal) and heredoc.value == "one\n  two\n"
    assert attr('a = "tab\\tquote\\"u\\u00e9"\n').value == 'tab\tquote"u\u00e9'  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("src", "line", "column", "message"),
    [
        ('resource "a" "b" {\n  x = \n}\n', 2, 7, "expected an expression"),
        ('a = "unterminated\nb = 1\n', 1, 18, "unterminated string"),
        ("x {\n  a = 1\n", 3, 1, "missing '}'"),
        ("a = 1 2\n", 1, 7, "unexpected '2'"),
        ("a = [1, 2\nb = 3\n", 2, 1, "expected ',' or ']'"),
        ("a = f(1 2)\n", 1, 9, "expected ',' or ')'"),
        ('a = "${var.x"\n', 1, 13, "'}'"),
        ("= 1\n", 1, 1, "expected an attribute or a block"),
    ],
)
def test_syntax_errors_have_positions(src: str, line: int, column: int, message: str) -> None:
    with pytest.raises(HclSyntaxError) as info:
        parse_hcl(src)
    assert (info.value.line, info.value.column) == (line, column)
    assert message in info.value.message

"""Expression semantics, one attribute at a time, through the real parser and evaluator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tutela.model.values import Reference, Unknown, is_unknown
from tutela.sources.terraform import PartialJSON, load_terraform

PRELUDE = """
variable "env" {
  default = "prod"
}
variable "unset" {}
variable "names" {
  default = ["b", "a", "c"]
}
variable "tags" {
  default = { team = "core", env = "prod" }
}
locals {
  prefix  = "acme-${var.env}"
  full    = "${local.prefix}-data"
  ports   = [80, 443]
  objs    = [{ name = "x", port = 1 }, { name = "y", port = 2 }]
  a_cycle = local.b_cycle
  b_cycle = local.a_cycle
}
resource "aws_kms_key" "k" {
  description = "k"
}
resource "aws_s3_bucket" "b" {
  bucket = "configured-name"
}
"""


def evaluate(tmp_path: Path, expr: str, extra: str = "") -> Any:
    (tmp_path / "main.tf").write_text(
        PRELUDE + extra + f'\nresource "test_thing" "t" {{\n  value = {expr}\n}}\n'
    )
    result = load_terraform([tmp_path], root=tmp_path)
    assert result.errors == ()
    (thing,) = [r for r in result.resources if r.address == "test_thing.t"]
    return thing.attributes["value"]


KNOWN_CASES = [
    # literals, operators and precedence
    ('"plain"', "plain"),
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("10 / 4", 2.5),
    ("7 % 3", 1),
    ("-3 + 1", -2),
    ("1 < 2 && 2 <= 2", True),
    ("!true || false", False),
    ('"a" == "a"', True),
    ('1 == "1"', False),
    ("[1, 2] == [1, 2]", True),
    ('"5" + 1', 6),
    # variables, locals, templates
    ("var.env", "prod"),
    ("local.full", "acme-prod-data"),
    ('"${var.env}-x"', "prod-x"),
    ('"${local.ports}"', [80, 443]),
    ('"n=${length(var.names)}"', "n=3"),
    ('"%{ if var.env == "prod" }P%{ else }D%{ endif }"', "P"),
    ('"%{ for n in var.names }${n};%{ endfor }"', "b;a;c;"),
    ('"a$${b}"', "a${b}"),
    ("<<EOT\nline ${var.env}\nEOT", "line prod\n"),
    ("<<-EOT\n    indented\n      more\n    EOT", "indented\n  more\n"),
    # conditionals
    ('var.env == "prod" ? "yes" : "no"', "yes"),
    ('var.unset ? "same" : "same"', "same"),
    # for expressions and splat
    ("[for n in var.names : upper(n)]", ["B", "A", "C"]),
    ('[for n in var.names : n if n != "a"]', ["b", "c"]),
    ("{ for k, v in var.tags : v => k }", {"core": "team", "prod": "env"}),
    ('{ for o in local.objs : "all" => o.name... }', {"all": ["x", "y"]}),
    ("[for i, p in local.ports : i + p]", [80, 444]),
    ("local.objs[*].name", ["x", "y"]),
    ("local.objs.*.port", [1, 2]),
    ("local.objs[1].name", "y"),
    ('var.tags["team"]', "core"),
    # functions
    ('merge(var.tags, { env = "dev", extra = 1 })', {"team": "core", "env": "dev", "extra": 1}),
    ('lookup(var.tags, "team", "none")', "core"),
    ('lookup(var.tags, "missing", "none")', "none"),
    (
        'jsonencode({ b = 1, a = [true, null], c = "<x>" })',
        '{"a":[true,null],"b":1,"c":"\\u003cx\\u003e"}',
    ),
    ('jsondecode("{\\"a\\": [1, 2]}")', {"a": [1, 2]}),
    ('try(var.tags.missing, "fallback")', "fallback"),
    ("try(var.tags.team, 1)", "core"),
    ("can(var.tags.missing)", False),
    ('format("%s-%03d-%.1f-%t-%q", "a", 7, 1.25, true, "x")', 'a-007-1.2-true-"x"'),
    ('formatlist("%s=%s", ["a", "b"], "v")', ["a=v", "b=v"]),
    ("concat(local.ports, [8080])", [80, 443, 8080]),
    ("toset(var.names)", ["a", "b", "c"]),
    ("tolist(toset([3, 1, 3]))", [1, 3]),
    ("tostring(5)", "5"),
    ('tonumber("2.5")', 2.5),
    ('coalesce("", null, "x")', "x"),
    ("coalescelist([], [1])", [1]),
    ("length(var.tags)", 2),
    ("element(var.names, 4)", "a"),
    ("keys(var.tags)", ["env", "team"]),
    ("values(var.tags)", ["prod", "core"]),
    ('contains(var.names, "c")', True),
    ('join("-", var.names)', "b-a-c"),
    ('split(",", "a,b,,c")', ["a", "b", "", "c"]),
    ('replace("a-b-c", "-", "_")', "a_b_c"),
    ('replace("abc123", "/[0-9]+/", "#")', "abc#"),
    ('lower("ABC")', "abc"),
    ('upper("abc")', "ABC"),
    ('trimspace("  x \\n")', "x"),
    ('substr("hello", 1, 3)', "ell"),
    ("flatten([[1, [2]], [], [3]])", [1, 2, 3]),
    ("distinct([1, 2, 1])", [1, 2]),
    ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
    ("range(3)", [0, 1, 2]),
    ('compact(["a", "", null, "b"])', ["a", "b"]),
    ("min(3, 1, 2)", 1),
    ("max(local.ports...)", 443),
    ("abs(-4)", 4),
    ("ceil(1.2)", 2),
    ("floor(1.8)", 1),
    ('base64encode("hi")', "aGk="),
    ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
    ('startswith("arn:aws", "arn:")', True),
    ('endswith("file.json", ".yaml")', False),
    ('regex("^([a-z]+)-([0-9]+)$", "abc-12")', ["abc", "12"]),
    ('sort(["b", "a"])', ["a", "b"]),
    ("reverse([1, 2])", [2, 1]),
    ("slice([1, 2, 3], 1, 3)", [2, 3]),
    ("one([5])", 5),
    ("sum([1, 2, 3.5])", 6.5),
    ('setunion(["a"], ["b", "a"])', ["a", "b"]),
    ('setproduct(["a"], [1, 2])', [["a", 1], ["a", 2]]),
    ('templatefile("${path.module}/greeting.tpl", { name = "web" })', "hello web\n"),
    ('file("${path.module}/greeting.tpl")', "hello ${name}\n"),
    # references: the configured value when the attribute is set in config
    ("aws_s3_bucket.b.bucket", "configured-name"),
    ('"${aws_s3_bucket.b.bucket}/x"', "configured-name/x"),
]


@pytest.mark.parametrize(("expr", "expected"), KNOWN_CASES, ids=[c[0] for c in KNOWN_CASES])
def test_known_values(tmp_path: Path, expr: str, expected: Any) -> None:
    (tmp_path / "greeting.tpl").write_text("hello ${name}\n")
    value = evaluate(tmp_path, expr)
    assert not is_unknown(value), value
    assert value == expected
    assert type(value) is type(expected)


UNKNOWN_CASES = [
    ("var.unset", "var.unset has no value"),
    ('"${var.unset}-x"', "var.unset has no value"),
    ("var.unset == 1", "var.unset has no value"),
    ('var.unset ? "a" : "b"', "var.unset has no value"),
    ("upper(var.unset)", "var.unset has no value"),
    ("local.a_cycle", "refers to itself"),
    ("[for n in var.unset : n]", "var.unset has no value"),
    ("jsonencode({ a = var.unset })", "var.unset has no value"),
    ('"${aws_s3_bucket.b.arn}/*"', "aws_s3_bucket.b.arn"),
    ("some_new_function(1)", "function some_new_function is not evaluated"),
    ('provider::aws::arn_parse("x")', "function provider::aws::arn_parse is not evaluated"),
    ('file("${path.module}/missing.txt")', "could not be read"),
    ('var.tags["nope"]', "no key"),
    ("timestamp()", "known only after apply"),
]


@pytest.mark.parametrize(("expr", "reason"), UNKNOWN_CASES, ids=[c[0] for c in UNKNOWN_CASES])
def test_unknown_values(tmp_path: Path, expr: str, reason: str) -> None:
    value = evaluate(tmp_path, expr)
    assert isinstance(value, Unknown), value
    assert reason in value.reason


def test_unknown_stays_inside_structures(tmp_path: Path) -> None:
    value = evaluate(tmp_path, '{ a = var.unset, b = "x", c = [var.unset, 1] }')
    assert value["b"] == "x"
    assert is_unknown(value["a"])
    assert is_unknown(value["c"][0]) and value["c"][1] == 1


def test_whole_expression_references(tmp_path: Path) -> None:
    assert evaluate(tmp_path, "aws_kms_key.k.arn") == Reference("aws_kms_key.k", "arn")
    assert evaluate(tmp_path, "aws_s3_bucket.b.id") == Reference("aws_s3_bucket.b", "id")
    # legacy "${...}" quoting of a single reference keeps the Reference
    assert evaluate(tmp_path, '"${aws_kms_key.k.arn}"') == Reference("aws_kms_key.k", "arn")
    assert evaluate(tmp_path, "[aws_kms_key.k.arn]") == [Reference("aws_kms_key.k", "arn")]
    assert evaluate(tmp_path, 'coalesce(aws_kms_key.k.arn, "x")') == Reference(
        "aws_kms_key.k", "arn"
    )


def test_jsonencode_with_reference_keeps_structure(tmp_path: Path) -> None:
    value = evaluate(tmp_path, '{ p = jsonencode({ Resource = aws_kms_key.k.arn, Action = "*" }) }')
    policy = value["p"]
    assert is_unknown(policy)
    assert isinstance(policy, PartialJSON)
    assert policy.value == {"Resource": Reference("aws_kms_key.k", "arn"), "Action": "*"}


def test_jsonencode_matches_json_module(tmp_path: Path) -> None:
    value = evaluate(
        tmp_path, 'jsonencode({ Statement = [{ Effect = "Allow", Action = ["s3:*"] }] })'
    )
    assert json.loads(value) == {"Statement": [{"Effect": "Allow", "Action": ["s3:*"]}]}

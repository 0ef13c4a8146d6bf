"""The shared YAML/JSON loader with line marks (tutela.sources.yamlmarks)."""

from __future__ import annotations

from typing import Any

import pytest

from tutela.sources.yamlmarks import (
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    Span,
    YamlMarksError,
    load_json_marked,
    load_yaml_marked,
)

NESTED = """\
# leading comment
top:
  name: web
  ports:
    - 80
    - 443
  nested:
    deeper:
      leaf: "x"

    other: [a,
      b]
script: |
  echo one
  echo two


last: 1
"""


def test_values_are_plain_python() -> None:
    (document,) = load_yaml_marked(NESTED)
    assert document.value == {
        "top": {
            "name": "web",
            "ports": [80, 443],
            "nested": {"deeper": {"leaf": "x"}, "other": ["a", "b"]},
        },
        "script": "echo one\necho two\n",
        "last": 1,
    }
    assert type(document.value) is dict
    assert type(document.value["top"]["ports"]) is list


def test_lines_of_nested_values() -> None:
    (document,) = load_yaml_marked(NESTED)
    assert document.span() == Span(2, 18, None)
    assert document.span("top") == Span(3, 12, 2)
    assert document.span("top").first_line == 2  # type: ignore[union-attr]
    assert document.span("top", "name") == Span(3, 3, 3)
    assert document.span("top", "ports") == Span(5, 6, 4)
    assert document.span("top", "ports", 1) == Span(6, 6, None)
    assert document.span("top", "nested") == Span(8, 12, 7)
    assert document.span("top", "nested", "deeper", "leaf") == Span(9, 9, 9)
    assert document.span("top", "nested", "other") == Span(11, 12, 11)
    assert document.span("top", "nested", "other", 1) == Span(12, 12, None)
    # A block scalar ends at its last text line, not at the blank lines after it.
    assert document.span("script") == Span(13, 15, 13)
    assert document.span("last") == Span(18, 18, 18)
    assert document.span("missing") is None


def test_multiple_documents() -> None:
    text = "a: 1\n---\nkind: Service\nspec:\n  ports: [1]\n---\n# empty\n---\n- x\n"
    documents = load_yaml_marked(text)
    assert [d.value for d in documents] == [
        {"a": 1},
        {"kind": "Service", "spec": {"ports": [1]}},
        None,
        ["x"],
    ]
    assert documents[1].span("spec", "ports", 0) == Span(5, 5, None)
    assert documents[1].span("kind") == Span(3, 3, 3)
    assert documents[3].span(0) == Span(9, 9, None)
    assert load_yaml_marked("") == []


def test_tab_indentation_error_line() -> None:
    with pytest.raises(YamlMarksError) as caught:
        load_yaml_marked("a:\n  b: 1\n\tc: 2\n")
    assert (caught.value.line, caught.value.column) == (3, 1)
    assert "tab" in caught.value.message


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: [1, 2\nb: 3\n", 2, 2),
        ("a: 'open\n", 2, 1),
        ("a: b: c\n", 1, 5),
        ("a: *undefined\n", 1, 4),
        ("a: &x [*x]\n", 1, 8),
        ("? [complex]\n: key\n", 1, 3),
        ("a: 1\n  b: 2\n", 2, 4),
        ("a: \x07\n", 1, 4),
    ],
)
def test_syntax_errors_have_lines(text: str, line: int, column: int) -> None:
    with pytest.raises(YamlMarksError) as caught:
        load_yaml_marked(text)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_yaml_11_scalars() -> None:
    text = (
        "a: yes\nb: 'yes'\nc: 0x1F\nd: 1_000\ne: ~\nf: 1.5e+3\ng: .inf\n"
        'h: 2010-09-09\ni: 012\nj: !!str 10\nk: ""\nl:\nm: 1e3\n'
    )
    (document,) = load_yaml_marked(text)
    value = document.value
    assert value["a"] is True
    assert value["b"] == "yes"
    assert value["c"] == 31
    assert value["d"] == 1000
    assert value["e"] is None
    assert value["f"] == 1500.0
    assert value["g"] == float("inf")
    assert value["h"] == "2010-09-09"  # timestamps stay text
    assert value["i"] == 10  # YAML 1.1 octal
    assert value["j"] == "10"
    assert value["k"] == ""
    assert value["l"] is None
    assert value["m"] == "1e3"  # YAML 1.1 floats need a dot


def test_tags_go_to_the_callback() -> None:
    seen: list[tuple[str, Any]] = []

    def on_tag(tag: str, value: Any) -> Any:
        seen.append((tag, value))
        return {"tagged": tag}

    (document,) = load_yaml_marked("a: !Ref x\nb: !Join [-, [1]]\nc: !Obj {k: v}\n", on_tag=on_tag)
    assert seen == [("!Ref", "x"), ("!Join", ["-", [1]]), ("!Obj", {"k": "v"})]
    assert document.value == {
        "a": {"tagged": "!Ref"},
        "b": {"tagged": "!Join"},
        "c": {"tagged": "!Obj"},
    }
    assert document.span("b") == Span(2, 2, 2)
    # Without a callback, tags are dropped and the value kept.
    (plain,) = load_yaml_marked("a: !Ref x\n")
    assert plain.value == {"a": "x"}


def test_anchors_aliases_and_merge_keys() -> None:
    text = "base: &base\n  x: 1\n  y: 2\nchild:\n  <<: *base\n  y: 3\nlist: [*base, *base]\n"
    (document,) = load_yaml_marked(text)
    assert document.value["child"] == {"x": 1, "y": 3}
    assert document.value["list"] == [{"x": 1, "y": 2}, {"x": 1, "y": 2}]
    assert document.span("child", "y") == Span(6, 6, 6)
    assert document.span("list", 1) == Span(7, 7, None)


def test_alias_expansion_is_bounded() -> None:
    lines = ["a0: &a0 [" + ", ".join(["x"] * 10) + "]"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    assert MAX_EXPANDED_NODES < 10**9
    with pytest.raises(YamlMarksError, match="aliases"):
        load_yaml_marked("\n".join(lines))


def test_deep_nesting_is_an_error_with_a_line() -> None:
    # PyYAML's C composer would crash the interpreter on this; we report it.
    depth = 100_000
    with pytest.raises(YamlMarksError, match=r"nested too deeply|nesting depth") as caught:
        load_yaml_marked("a:\n  " + "[" * depth + "]" * depth)
    # ours stops at MAX_DEPTH; libyaml >= 0.2.6 (PyYAML 6.0.4 wheels) may stop first at 1000
    assert caught.value.line == 2
    assert caught.value.column in (MAX_DEPTH + 2, 1002)
    with pytest.raises(YamlMarksError, match=r"nested too deeply|nesting depth"):
        load_json_marked("[" * depth + "]" * depth)
    (document,) = load_yaml_marked("[" * 100 + "]" * 100)
    assert document.span(*([0] * 99)) == Span(1, 1, None)


def test_json_values_and_lines() -> None:
    text = (
        '{\n\t"a": {\n\t\t"b": [1, 2.5, true, null],\n'
        '\t\t"s": "x\\u00e9\\ud83d\\ude00"\n\t},\n\t"c": -0\n}\n'
    )
    document = load_json_marked(text)
    assert document.value == {"a": {"b": [1, 2.5, True, None], "s": "xé😀"}, "c": 0}
    assert document.span() == Span(1, 7, None)
    assert document.span("a") == Span(2, 5, 2)
    assert document.span("a", "b") == Span(3, 3, 3)
    assert document.span("a", "b", 3) == Span(3, 3, None)
    assert document.span("c") == Span(6, 6, 6)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{\n  "a": 1,\n}', 3, 1),
        ('{"a": 1}\n{}', 2, 1),
        ('{\n  "a": tru\n}', 2, 8),
        ("[1, 2", 1, 6),
        ('{\n  "a": "bad \\q"\n}', 2, 13),
        ("{'a': 1}", 1, 2),
    ],
)
def test_json_errors_have_lines(text: str, line: int, column: int) -> None:
    with pytest.raises(YamlMarksError) as caught:
        load_json_marked(text)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_json_matches_yaml_values_for_the_same_data() -> None:
    import json

    (document,) = load_yaml_marked(NESTED)
    again = load_json_marked(json.dumps(document.value, indent=2))
    assert again.value == document.value

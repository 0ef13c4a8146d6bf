"""`docs/rules/` is generated from the rules: this test fails when it is stale.

It renders the pages exactly as `tutela rules docs` does (rules, shipped catalog,
example files) and compares them with the committed folder. When it fails, run
`tutela rules docs` and commit the result.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutela.catalog.loader import load_catalog
from tutela.rules import default_rules
from tutela.rules.docs import (
    INDEX,
    example_names,
    index_markdown,
    is_generated_page,
    render_docs,
    rule_markdown,
)

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "rules"
HINT = "docs/rules is stale: run `tutela rules docs` and commit the result"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return dict(render_docs(default_rules(), load_catalog(None)))


def test_docs_folder_is_up_to_date(pages: dict[str, str]) -> None:
    assert DOCS.is_dir(), HINT
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    missing = sorted(set(pages) - set(on_disk))
    extra = sorted(set(on_disk) - set(pages))
    changed = sorted(n for n in set(pages) & set(on_disk) if pages[n] != on_disk[n])
    assert not (missing or extra or changed), (
        f"{HINT}\n  missing: {missing}\n  no longer generated: {extra}\n  changed: {changed}"
    )


def test_one_page_per_rule_and_an_index(pages: dict[str, str]) -> None:
    codes = {r.code for r in default_rules()}
    assert set(pages) == {f"{c}.md" for c in codes} | {INDEX}


def test_rendering_is_deterministic() -> None:
    catalog = load_catalog(None)
    first = render_docs(default_rules(), catalog)
    second = render_docs(list(reversed(default_rules())), catalog)
    assert first == second


def test_rule_page_content(pages: dict[str, str]) -> None:
    page = pages["CTR306.md"]
    assert page.startswith("# CTR306 `pod_mounts_no_sensitive_host_paths`\n")
    assert "- Severity: **high**" in page
    assert "`ENG-POL-003:3.5.1.b.3`: Resource limits and isolation" in page
    assert "HITRUST CSF 09.b (System Development Controls)" in page  # the 3.5 row
    assert "```yaml" in page  # the Kubernetes snippet
    assert "[fail.k8s.yaml](../../src/tutela/rules/examples/CTR306/fail.k8s.yaml)" in page
    # Fail examples come first: the mistake, then the fix.
    assert page.index("fail.k8s.yaml") < page.index("pass.k8s.yaml")


def test_example_links_resolve_from_the_docs_folder(pages: dict[str, str]) -> None:
    import re

    for name, page in pages.items():
        for target in re.findall(r"\]\((\.\./[^)]+)\)", page):
            assert (DOCS / target).resolve().is_file(), f"{name}: broken link {target}"


def test_index_lists_every_rule_and_the_rules_per_requirement(pages: dict[str, str]) -> None:
    index = pages[INDEX]
    rules = default_rules()
    assert f"{len(rules)} rules." in index
    for r in rules:
        assert f"| [{r.code}]({r.code}.md) | `{r.name}` |" in index
    assert "## Rules per requirement" in index
    row = next(line for line in index.splitlines() if line.startswith("| 3.5.1.b.2 |"))
    assert "[LOG302](LOG302.md)" in row


def test_rendering_without_catalog_or_examples() -> None:
    rule = next(r for r in default_rules() if r.code == "CTR301")
    page = rule_markdown(rule)
    assert "## Examples" not in page and "Framework references" not in page
    assert "## Rules per requirement" not in index_markdown([rule])


def test_generated_page_names() -> None:
    assert is_generated_page(Path("CTR301.md")) and is_generated_page(Path(INDEX))
    assert not is_generated_page(Path("writing-rules.md"))
    assert not is_generated_page(Path("CTR301.txt"))
    assert example_names("NO_SUCH_RULE") == []

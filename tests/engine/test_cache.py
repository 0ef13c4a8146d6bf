"""The incremental cache: same findings, only changed units re-parsed, never fatal."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutela.engine.cache import CACHE_DIR_NAME, LoadStats, load_cached
from tutela.engine.findings import ScanResult
from tutela.engine.ruleset import RuleSet
from tutela.engine.scan import discover, scan
from tutela.rules import default_rules

BUCKET = """\
resource "aws_s3_bucket" "{name}" {{
  bucket = "{name}-bucket"
}}
"""

SHARED_MODULE = """\
variable "name" {}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_kms_key" "this" {
  enable_key_rotation = false
}
"""

CALLER = """\
module "store" {{
  source = "../../modules/shared"
  name   = "{name}"
}}

resource "aws_security_group" "web" {{
  name = "{name}-web"
  ingress {{
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
"""

CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: false
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    # Give each write a distinct modification time, as an editor would.
    stamp = time.time_ns() + 1_000_000
    os.utime(path, ns=(stamp, stamp))


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """Two root modules calling one shared module, a standalone root, a CloudFormation file."""
    root = tmp_path / "repo"
    write(root / "modules/shared/main.tf", SHARED_MODULE)
    write(root / "stacks/a/main.tf", CALLER.format(name="a"))
    write(root / "stacks/a/terraform.tfvars", "")
    write(root / "stacks/b/main.tf", CALLER.format(name="b"))
    write(root / "stacks/c/main.tf", BUCKET.format(name="c"))
    write(root / "stacks/c/extra.tf", BUCKET.format(name="c2"))
    write(root / "cfn/keys.yaml", CFN)
    return root


def ruleset() -> RuleSet:
    return RuleSet.of(default_rules())


def run_scan(root: Path, cache: Path | None) -> ScanResult:
    return scan([root], ruleset(), cache_dir=cache, jobs=1)


def comparable(result: ScanResult) -> tuple[object, ...]:
    # The order of a result's findings is not part of it: every report sorts them.
    from tutela.reports import sorted_findings

    return (
        tuple(sorted_findings(result.findings)),
        result.parse_errors,
        result.resource_count,
        result.files_scanned,
    )


def load(root: Path, cache: Path | None) -> LoadStats:
    """Load through the cache and say what was parsed (the hook the tests count with)."""
    found = discover([root], root=root)
    others = [("cloudformation", p) for p in found.cloudformation]
    stats = LoadStats()
    load_cached(found.terraform, others, root=root, cache_dir=cache, jobs=1, stats=stats)
    return stats


def test_a_cached_rescan_gives_identical_findings(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = run_scan(repo, None)
    first = run_scan(repo, cache)
    second = run_scan(repo, cache)
    assert comparable(first) == comparable(cold)
    assert comparable(second) == comparable(cold)
    assert {f.rule_code for f in second.failures()} >= {"NET001", "KEY001"}
    stats = load(repo, cache)
    assert stats.hits == stats.units == 4  # stacks a, b, c and the CloudFormation file
    assert stats.loaded == []


def test_editing_a_root_module_reparses_only_it(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load(repo, cache)
    write(repo / "stacks/c/extra.tf", BUCKET.format(name="c3"))
    assert load(repo, cache).loaded == ["stacks/c"]
    assert load(repo, cache).loaded == []


def test_editing_a_module_reparses_every_root_that_calls_it(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load(repo, cache)
    write(repo / "modules/shared/main.tf", SHARED_MODULE.replace("false", "true"))
    assert load(repo, cache).loaded == ["stacks/a", "stacks/b"]
    # A new file in the module directory is a change of the module too.
    write(repo / "modules/shared/outputs.tf", 'output "id" {\n  value = aws_s3_bucket.this.id\n}\n')
    assert load(repo, cache).loaded == ["stacks/a", "stacks/b"]
    result = run_scan(repo, cache)
    assert comparable(result) == comparable(run_scan(repo, None))
    assert not [f for f in result.failures() if f.rule_code == "KEY001" and f.source == "terraform"]


def test_tfvars_and_other_files_are_their_own_dependencies(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load(repo, cache)
    write(repo / "stacks/a/terraform.tfvars", "# nothing yet\n")
    assert load(repo, cache).loaded == ["stacks/a"]
    write(repo / "cfn/keys.yaml", CFN.replace("false", "true"))
    assert load(repo, cache).loaded == ["cfn/keys.yaml"]


def test_a_new_module_call_is_followed(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load(repo, cache)
    write(repo / "stacks/c/calls.tf", 'module "more" {\n  source = "../../modules/shared"\n'
          '  name   = "more"\n}\n')
    assert load(repo, cache).loaded == ["stacks/c"]
    write(repo / "modules/shared/main.tf", SHARED_MODULE + "\n")
    assert load(repo, cache).loaded == ["stacks/a", "stacks/b", "stacks/c"]


def test_files_read_by_file_functions_are_checked(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root / "policy.json", '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",'
          ' "Resource": "*"}]}')
    write(root / "main.tf", 'resource "aws_iam_policy" "p" {\n'
          '  policy = file("${path.module}/policy.json")\n}\n')
    cache = tmp_path / "cache"
    assert not [f for f in run_scan(root, cache).failures() if f.rule_code == "IAM001"]
    write(root / "policy.json", '{"Statement": [{"Effect": "Allow", "Action": "*",'
          ' "Resource": "*"}]}')
    assert [f for f in run_scan(root, cache).failures() if f.rule_code == "IAM001"]
    assert load(root, cache).loaded == []


def test_a_corrupt_or_truncated_cache_is_ignored_and_rebuilt(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = comparable(run_scan(repo, None))
    run_scan(repo, cache)
    entries = sorted(p for p in cache.rglob("*") if p.is_file() and p.suffix in (".bin", ".pickle"))
    assert len(entries) >= 5  # four units and the index
    for n, path in enumerate(entries):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if n % 2 else b"\x00garbage" + data[9:])
    assert comparable(run_scan(repo, cache)) == expected
    stats = load(repo, cache)  # rebuilt: everything hits again
    assert stats.hits == stats.units and stats.loaded == []


def test_an_unusable_cache_directory_is_not_fatal(repo: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache should go")
    result = run_scan(repo, blocker / "cache")
    assert comparable(result) == comparable(run_scan(repo, None))


def test_a_call_the_pattern_mistakes_is_corrected(tmp_path: Path) -> None:
    """`source = "../b"` outside a module block is not a module call: b stays a root."""
    root = tmp_path / "repo"
    write(root / "a/main.tf", 'module "x" {\n  source = "./files"\n}\n'
          'resource "aws_s3_object" "o" {\n  bucket = "x"\n  key    = "k"\n'
          '  source = "../b"\n}\n')
    write(root / "a/files/main.tf", BUCKET.format(name="files"))
    write(root / "b/main.tf", BUCKET.format(name="b"))
    cache = tmp_path / "cache"
    stats = load(root, cache)
    assert stats.replans == 1
    assert set(stats.loaded) == {"a", "b"}  # a once more, planned without b this time
    result = run_scan(root, cache)
    assert comparable(result) == comparable(run_scan(root, None))
    assert {f.resource_address for f in result.findings} >= {
        "aws_s3_bucket.b",
        "module.x.aws_s3_bucket.files",
    }
    assert load(root, cache).replans == 0


def tutela(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutela", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_cli_caches_under_the_scan_root_and_no_cache_writes_nothing(repo: Path) -> None:
    (repo / ".git").mkdir()
    off = tutela("scan", ".", "-f", "json", "--no-cache", "--no-progress", cwd=repo)
    assert off.returncode == 1, off.stderr
    assert not (repo / CACHE_DIR_NAME).exists()
    on = tutela("scan", ".", "-f", "json", "--no-progress", cwd=repo)
    assert (repo / CACHE_DIR_NAME).is_dir()
    assert (repo / CACHE_DIR_NAME / ".gitignore").read_text() == "*\n"
    again = tutela("scan", ".", "-f", "json", "--no-progress", "--jobs", "2", cwd=repo)

    def body(text: str) -> str:
        return "\n".join(line for line in text.splitlines() if "duration_seconds" not in line)

    assert body(on.stdout) == body(off.stdout) == body(again.stdout)
    elsewhere = repo.parent / "elsewhere"
    tutela("scan", ".", "-f", "json", "--cache-dir", str(elsewhere), cwd=repo)
    assert any(elsewhere.rglob("*.bin"))


def age(root: Path) -> None:
    """Date every file a minute back: their stamps are not racy, directories get stamped."""
    stamp = time.time_ns() - 60 * 10**9
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(stamp, stamp))


def test_removing_a_file_of_a_module_directory_reparses_its_callers(
    repo: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    write(repo / "modules/shared/outputs.tf", 'output "id" {\n  value = aws_s3_bucket.this.id\n}\n')
    age(repo)
    load(repo, cache)
    assert load(repo, cache).loaded == []  # from the directories' stamps
    (repo / "modules/shared/outputs.tf").unlink()
    assert load(repo, cache).loaded == ["stacks/a", "stacks/b"]
    assert load(repo, cache).loaded == []


def test_an_edit_keeping_size_is_seen_in_a_stamped_directory(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    age(repo)
    load(repo, cache)
    assert load(repo, cache).loaded == []  # from the directories' stamps
    text = SHARED_MODULE.replace("false", "true ")  # the same size
    assert len(text) == len(SHARED_MODULE)
    write(repo / "modules/shared/main.tf", text)
    assert load(repo, cache).loaded == ["stacks/a", "stacks/b"]


def test_a_file_rewritten_right_after_a_scan_is_read_again(repo: Path, tmp_path: Path) -> None:
    """Racily clean: a file modified so close to its hashing that a later change could keep
    its size and time is read again rather than trusted by its stamp."""
    cache = tmp_path / "cache"
    path = repo / "stacks/c/extra.tf"
    mtime = time.time_ns()
    os.utime(path, ns=(mtime, mtime))  # modified "now": its stamp is racy
    load(repo, cache)
    path.write_text(BUCKET.format(name="c9"), encoding="utf-8")  # same size and time
    os.utime(path, ns=(mtime, mtime))
    assert load(repo, cache).loaded == ["stacks/c"]


def test_an_added_tfvars_file_reparses_its_root(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    age(repo)
    load(repo, cache)
    write(repo / "stacks/b/extra.auto.tfvars", 'name = "b2"\n')
    assert load(repo, cache).loaded == ["stacks/b"]
    write(repo / "stacks/b/extra.auto.tfvars", 'name = "b3"\n')
    assert load(repo, cache).loaded == ["stacks/b"]
    assert load(repo, cache).loaded == []


def test_a_changed_var_file_reparses_every_root(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    var_file = tmp_path / "extra.tfvars"
    write(var_file, 'name = "x"\n')
    found = discover([repo], root=repo)

    def loaded() -> list[str]:
        stats = LoadStats()
        load_cached(found.terraform, [], root=repo, var_files=[var_file], cache_dir=cache,
                    jobs=1, stats=stats)
        return stats.loaded

    assert loaded() == ["stacks/a", "stacks/b", "stacks/c"]
    assert loaded() == []
    write(var_file, 'name = "y"\n')
    assert loaded() == ["stacks/a", "stacks/b", "stacks/c"]


def test_the_cache_lists_directories_as_the_evaluator_does(tmp_path: Path) -> None:
    """The cache lists module directories itself (to reuse the entries' stat): it must see
    the files and tfvars files that the evaluator reads, no more, no fewer."""
    from tutela.engine.cache import _listing, _module_entries, _tfvars_entries
    from tutela.sources.terraform.evaluate import _module_files, _tfvars_files

    d = tmp_path / "m"
    for name in ("main.tf", "b.tf.json", ".hidden.tf", "notes.txt", "override.tf",
                 "terraform.tfvars", "terraform.tfvars.json", "z.auto.tfvars",
                 "a.auto.tfvars.json", "x.tfvars", "target.txt"):
        write(d / name, "")
    (d / "dir.tf").mkdir()
    (d / "terraform.tfvars.d").mkdir()
    (d / "link.tf").symlink_to(d / "target.txt")
    (d / "broken.tf").symlink_to(d / "gone.txt")
    listing = _listing(str(d))
    assert [e.path for e in _module_entries(listing)] == sorted(_module_files(str(d)))
    assert {os.path.basename(p) for p in _module_files(str(d))} == {
        "main.tf", "b.tf.json", "override.tf", "link.tf"
    }
    assert [e.path for e in _tfvars_entries(listing)] == _tfvars_files(str(d))
    assert _listing(str(tmp_path / "missing")) == [] == _module_files(str(tmp_path / "missing"))


def test_the_code_fingerprint_follows_contents_not_install_times(tmp_path: Path) -> None:
    """A CI job that reinstalls the same tutela (new file times) keeps its cache; a changed
    module starts a new one. The content digest is remembered by the files' stamps."""
    import os

    from tutela.engine.cache import _code_fingerprint

    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("A = 1\n")
    (package / "sub" / "b.py").write_text("B = 2\n")
    cache = tmp_path / "cache"
    cache.mkdir()
    first = _code_fingerprint(cache, str(package))
    assert _code_fingerprint(None, str(package)) == first  # the memo only saves time
    for f in (package / "a.py", package / "sub" / "b.py"):
        st = f.stat()
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # "reinstalled"
    assert _code_fingerprint(cache, str(package)) == first
    (package / "sub" / "b.py").write_text("B = 3\n")
    changed = _code_fingerprint(cache, str(package))
    assert changed != first
    # A damaged memo is not trusted.
    (cache / "code-fingerprints.pickle").write_bytes(b"garbage")
    assert _code_fingerprint(cache, str(package)) == changed

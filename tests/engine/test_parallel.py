"""Units load the same in a process pool as in this process, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutela.engine import parallel
from tutela.engine.cache import LoadStats, load_cached
from tutela.engine.parallel import Unit, batches, dumps, loads
from tutela.engine.ruleset import RuleSet
from tutela.engine.scan import discover, scan
from tutela.rules import default_rules

STACK = """\
variable "env" {{
  default = "dev"
}}

locals {{
  name = "svc{n}-${{var.env}}"
}}

resource "aws_s3_bucket" "data" {{
  bucket = "${{local.name}}-data"
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {{
  count  = {encrypted}
  bucket = aws_s3_bucket.data.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm = "aws:kms"
    }}
  }}
}}

resource "aws_kms_key" "k" {{
  for_each            = toset(["a", "b"])
  enable_key_rotation = {rotation}
}}

module "logs" {{
  source = "../../modules/logs"
  name   = local.name
}}
"""

LOGS = """\
variable "name" {}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/app/${var.name}"
  retention_in_days = 30
}
"""


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """Twelve root modules with the same resource addresses, a shared module, a broken file."""
    root = tmp_path / "repo"
    (root / "modules/logs").mkdir(parents=True)
    (root / "modules/logs/main.tf").write_text(LOGS)
    for n in range(12):
        stack = root / "stacks" / f"svc{n:02d}"
        stack.mkdir(parents=True)
        (stack / "main.tf").write_text(
            STACK.format(n=n, encrypted=n % 2, rotation="true" if n % 3 else "false")
        )
    (root / "stacks/svc05/broken.tf").write_text('resource "aws_s3_bucket" "x" {\n')
    (root / "k8s.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
        "  - name: c\n    image: nginx\n    securityContext:\n      privileged: true\n"
    )
    return root


def run(root: Path, jobs: int) -> tuple[object, ...]:
    result = scan([root], RuleSet.of(default_rules()), jobs=jobs)
    return (result.findings, result.parse_errors, result.resource_count)


def test_pool_and_in_process_give_identical_results(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_process = run(repo, jobs=1)
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 0)
    modes: list[str] = []
    real = parallel.load_units

    def spy(*args: object, **kwargs: object) -> str:
        mode = real(*args, **kwargs)  # type: ignore[arg-type]
        modes.append(mode)
        return mode

    monkeypatch.setattr("tutela.engine.cache.load_units", spy)
    pooled = run(repo, jobs=2)
    assert modes == ["pool:2"]
    assert pooled == in_process
    _, errors, _ = in_process
    assert [e.file for e in errors] == ["stacks/svc05/broken.tf"]  # type: ignore[attr-defined]


def test_root_modules_are_adapted_apart(repo: Path) -> None:
    """Twelve roots declare `aws_s3_bucket.data`; each one's encryption is its own."""
    findings, _, _ = run(repo, jobs=1)
    enc = {
        f.location.file.split("/")[1]: f.status.value  # type: ignore[union-attr]
        for f in findings  # type: ignore[attr-defined]
        if f.rule_code == "ENC001"
    }
    assert enc == {f"svc{n:02d}": "pass" if n % 2 else "fail" for n in range(12)}


def test_the_pool_falls_back_to_this_process(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = run(repo, jobs=1)
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 0)

    def no_pool(*args: object, **kwargs: object) -> None:
        raise OSError("no semaphores here")

    monkeypatch.setattr(parallel, "_run_pool", no_pool)
    found = discover([repo], root=repo)
    stats = LoadStats()
    load_cached(found.terraform, [], root=repo, jobs=2, stats=stats)
    assert stats.mode == "in-process"
    assert run(repo, jobs=2) == expected


def test_small_inputs_load_in_this_process(repo: Path) -> None:
    found = discover([repo], root=repo)
    stats = LoadStats()
    load_cached(found.terraform, [], root=repo, jobs=2, stats=stats)
    assert stats.mode == "in-process"  # a few kB: a pool would cost more than it saves
    assert stats.units == 12


def test_batches_balance_weight_and_keep_unit_order() -> None:
    units = [(i, Unit("terraform", f"/r/{i}", weight=w)) for i, w in enumerate([9, 1, 5, 5, 1])]
    parts = batches(units, 2)
    assert sorted(i for part in parts for i, _ in part) == [0, 1, 2, 3, 4]
    assert all(part == sorted(part) for part in parts)
    weights = sorted(sum(u.weight for _, u in part) for part in parts)
    assert weights == [10, 11]
    assert batches(units[:1], 4) == [units[:1]]


def test_model_values_survive_pickling(repo: Path) -> None:
    found = discover([repo], root=repo)
    resources, _ = load_cached(found.terraform, [], root=repo, jobs=1)
    again = loads(dumps(resources))
    assert again == resources
    assert [r.field_locations for r in again] == [r.field_locations for r in resources]


def test_model_values_pickle_through_the_compact_reducer() -> None:
    """Cache entries and worker results use `_build` for every slotted model class (3x
    faster to load than dataclasses' generic state); a class with its own pickled form
    (FindingBatch keeps its findings as bytes) keeps it."""
    import pickle

    import tutela.model.aws  # noqa: F401
    from tutela.engine.findings import FindingBatch
    from tutela.engine.parallel import _pickler_table, dumps
    from tutela.model.aws import S3Bucket

    table = _pickler_table()
    assert S3Bucket in table
    assert FindingBatch not in table
    bucket = S3Bucket(address="aws_s3_bucket.b", native_type="aws_s3_bucket", source="terraform")
    blob = dumps([bucket])
    assert b"_build" in blob and b"_dataclass_setstate" not in blob
    assert pickle.loads(blob) == [bucket]
    batch = pickle.loads(dumps(FindingBatch.of([])))
    assert batch.keys == [] and batch.findings() == ()


def test_unit_results_decode_whole_or_kind_by_kind() -> None:
    """Cached units keep their resources kind by kind: a rule rerun over a large repository
    unpickles only the kinds it reads, and the whole result comes back in its order."""
    from tutela.engine.parallel import (
        UnitResult,
        decode_kinds,
        decode_result,
        encode_result,
        kind_key,
    )
    from tutela.model.aws import KmsKey, S3Bucket

    def bucket(n: int) -> S3Bucket:
        return S3Bucket(address=f"aws_s3_bucket.b{n}", native_type="aws_s3_bucket",
                        source="terraform")

    key = KmsKey(address="aws_kms_key.k", native_type="aws_kms_key", source="terraform")
    result = UnitResult([bucket(1), key, bucket(2)], [], {"a": ("b",)}, ("f.json",))
    blob = encode_result(result)
    back = decode_result(blob)
    assert back.resources == result.resources
    assert (back.calls, back.touched) == (result.calls, result.touched)
    assert decode_kinds(blob, {kind_key(S3Bucket)}) == [bucket(1), bucket(2)]
    assert decode_kinds(blob, {kind_key(KmsKey)}) == [key]
    assert decode_kinds(blob, set()) == []

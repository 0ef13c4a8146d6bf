"""What `discover` finds under the scan targets, and in which order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutela.engine.scan import Discovered, ScanTargetError, discover

TF = 'resource "aws_s3_bucket" "b" {}\n'
DOCKERFILE = "FROM alpine:3.19\nRUN apk add --no-cache curl\nUSER app\n"
CFN_YAML = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
CFN_JSON = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}\n'
K8S_YAML = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"
PLAN_JSON = '{"format_version": "1.2", "planned_values": {}, "resource_changes": []}\n'
SNAPSHOT_JSON = '{"format": "tutela.aws-snapshot", "version": 1}\n'


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _rel(paths: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]


def _all(found: Discovered) -> list[Path]:
    return [
        *found.terraform,
        *found.plans,
        *found.cloudformation,
        *found.kubernetes,
        *found.dockerfiles,
        *found.snapshots,
    ]


def test_files_by_name_then_directories_depth_first_in_sorted_order(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "b.tf": TF,
            "a.tf": TF,
            "Z.tf": TF,
            "a/x.tf": TF,
            "a/c/y.tf": TF,
            "a/b.tf.json": "{}",
            "a-b/w.tf": TF,  # "a-b/" sorts before "a/" as a string, but after "a" as a name
            "b/z.tf": TF,
        },
    )
    found = discover([tmp_path], root=tmp_path)
    assert _rel(found.terraform, tmp_path) == [
        "Z.tf",
        "a.tf",
        "b.tf",
        "a/b.tf.json",
        "a/x.tf",
        "a/c/y.tf",
        "a-b/w.tf",
        "b/z.tf",
    ]
    assert found.count == 8


def test_paths_are_joined_onto_the_target_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {"envs/prod/main.tf": TF, "Dockerfile": DOCKERFILE})
    monkeypatch.chdir(tmp_path)
    found = discover([Path(".")], root=tmp_path)
    assert found.terraform == [Path("envs/prod/main.tf")]
    assert found.dockerfiles == [Path("Dockerfile")]
    assert all(type(p) is type(Path()) for p in _all(found))


def test_targets_keep_their_order(tmp_path: Path) -> None:
    _write(tmp_path, {"b/main.tf": TF, "a/main.tf": TF})
    found = discover([tmp_path / "b", tmp_path / "a"], root=tmp_path)
    assert _rel(found.terraform, tmp_path) == ["b/main.tf", "a/main.tf"]


def test_skip_dirs_and_dot_directories_are_not_entered(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": TF,
            ".hidden.tf": TF,  # a dot-file is scanned, only dot-directories are skipped
            ".git/x.tf": TF,
            ".terraform/modules/m/main.tf": TF,
            ".tutela-cache/c.tf": TF,
            ".github/workflows/Dockerfile": DOCKERFILE,
            "node_modules/pkg/main.tf": TF,
            "__pycache__/x.tf": TF,
            ".venv/lib/x.tf": TF,
            "app/venv/lib/x.tf": TF,
            "app/main.tf": TF,
        },
    )
    found = discover([tmp_path], root=tmp_path)
    assert _rel(found.terraform, tmp_path) == [".hidden.tf", "main.tf", "app/main.tf"]
    assert found.dockerfiles == []


def test_a_skipped_directory_given_as_target_is_scanned(tmp_path: Path) -> None:
    _write(tmp_path, {".infra/main.tf": TF, ".infra/.git/x.tf": TF})
    found = discover([tmp_path / ".infra"], root=tmp_path)
    assert _rel(found.terraform, tmp_path) == [".infra/main.tf"]


def test_exclude_globs_match_paths_relative_to_the_root(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": TF,
            "override.tf.json": "{}",
            "modules/vpc/main.tf": TF,
            "envs/prod/main.tf": TF,
            "envs/prod/Dockerfile": DOCKERFILE,
            "envs/dev/main.tf": TF,
        },
    )
    found = discover([tmp_path], root=tmp_path, exclude=["modules/*", "*.tf.json"])
    assert _rel(found.terraform, tmp_path) == ["main.tf", "envs/dev/main.tf", "envs/prod/main.tf"]

    # Relative to the root, not to the target; `*` crosses directories, as in fnmatch.
    found = discover([tmp_path / "envs"], root=tmp_path, exclude=["envs/prod/*"])
    assert _rel(found.terraform, tmp_path) == ["envs/dev/main.tf"]
    assert found.dockerfiles == []
    found = discover([tmp_path / "envs"], root=tmp_path, exclude=["prod/*"])
    assert _rel(found.terraform, tmp_path) == ["envs/dev/main.tf", "envs/prod/main.tf"]
    found = discover([tmp_path], root=tmp_path, exclude=["*/Dockerfile", "e?vs/d[e]v/*"])
    assert _rel(found.terraform, tmp_path) == [
        "main.tf",
        "override.tf.json",
        "envs/prod/main.tf",
        "modules/vpc/main.tf",
    ]
    assert found.dockerfiles == []


def test_exclude_with_a_relative_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, {"a/main.tf": TF, "b/main.tf": TF})
    monkeypatch.chdir(tmp_path)
    found = discover([Path(".")], root=tmp_path, exclude=["a/*"])
    assert found.terraform == [Path("b/main.tf")]


def test_a_file_target_yields_itself_even_when_excluded(tmp_path: Path) -> None:
    _write(tmp_path, {"infra/main.tf": TF, "infra/other.tf": TF})
    target = tmp_path / "infra" / "main.tf"
    found = discover([target], root=tmp_path, exclude=["infra/*"])
    assert found.terraform == [target]
    assert found.count == 1


def test_json_is_classified_by_content(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a-plan.json": PLAN_JSON,
            "b-stack.json": CFN_JSON,
            "c-inventory.json": SNAPSHOT_JSON,
            "d-package.json": '{"name": "app", "version": "1.0.0"}\n',
            "e-pod.json": '{"apiVersion": "v1", "kind": "Pod"}\n',  # JSON is never Kubernetes here
        },
    )
    found = discover([tmp_path], root=tmp_path)
    assert _rel(found.plans, tmp_path) == ["a-plan.json"]
    assert _rel(found.cloudformation, tmp_path) == ["b-stack.json"]
    assert _rel(found.snapshots, tmp_path) == ["c-inventory.json"]
    assert found.kubernetes == []
    assert found.count == 3


def test_yaml_is_classified_by_content(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "stack.yaml": CFN_YAML,
            "stack.template": CFN_YAML,
            "deploy/pod.yml": K8S_YAML,
            "deploy/SERVICE.YAML": K8S_YAML,
            ".github/workflows/ci.yaml": "on: push\njobs: {}\n",
            "config.yaml": "name: app\nreplicas: 2\n",
            "values.txt": K8S_YAML,  # not a YAML suffix: not sniffed as Kubernetes
        },
    )
    found = discover([tmp_path], root=tmp_path)
    assert _rel(found.cloudformation, tmp_path) == ["stack.template", "stack.yaml"]
    assert _rel(found.kubernetes, tmp_path) == ["deploy/SERVICE.YAML", "deploy/pod.yml"]
    assert found.count == 4


def test_dockerfiles_by_name_and_by_content(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Dockerfile": DOCKERFILE,
            "Dockerfile.api": DOCKERFILE,
            "api.Dockerfile": DOCKERFILE,
            "Containerfile": DOCKERFILE,
            "images/build": DOCKERFILE,  # no telling name, Dockerfile content
            "images/Dockerfile.sh": "#!/bin/sh\necho hi\n",
            "images/notes.txt": "just some notes\n",
            "README.md": DOCKERFILE,  # looks like one, but documentation is not scanned
        },
    )
    found = discover([tmp_path], root=tmp_path)
    assert _rel(found.dockerfiles, tmp_path) == [
        "Containerfile",
        "Dockerfile",
        "Dockerfile.api",
        "api.Dockerfile",
        "images/build",
    ]


def test_an_explicit_target_counts_as_a_dockerfile_whatever_its_suffix(tmp_path: Path) -> None:
    _write(tmp_path, {"docs/build.md": DOCKERFILE, "docs/Dockerfile": DOCKERFILE})
    explicit = tmp_path / "docs" / "build.md"
    assert discover([tmp_path / "docs"], root=tmp_path).dockerfiles == [
        tmp_path / "docs" / "Dockerfile"
    ]
    assert discover([explicit], root=tmp_path).dockerfiles == [explicit]


def test_a_missing_target_raises(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": TF})
    with pytest.raises(ScanTargetError, match="no such file or directory"):
        discover([tmp_path, tmp_path / "missing"], root=tmp_path)


def test_an_empty_directory_finds_nothing(tmp_path: Path) -> None:
    found = discover([tmp_path], root=tmp_path)
    assert found.count == 0
    assert found == Discovered()


def test_symlinked_directories_are_not_followed_symlinked_files_are(tmp_path: Path) -> None:
    _write(tmp_path, {"real/main.tf": TF, "repo/main.tf": TF})
    try:
        os.symlink(tmp_path / "real", tmp_path / "repo" / "linked", target_is_directory=True)
        os.symlink(tmp_path / "real" / "main.tf", tmp_path / "repo" / "shared.tf")
    except (OSError, NotImplementedError):
        pytest.skip("no symlinks here")
    repo = tmp_path / "repo"
    assert _rel(discover([repo], root=tmp_path).terraform, tmp_path) == [
        "repo/main.tf",
        "repo/shared.tf",
    ]
    # A symlink is excluded by where it points.
    found = discover([repo], root=tmp_path, exclude=["real/*"])
    assert _rel(found.terraform, tmp_path) == ["repo/main.tf"]
    # A symlinked directory given as the target is scanned.
    assert _rel(discover([repo / "linked"], root=tmp_path).terraform, tmp_path) == [
        "repo/linked/main.tf"
    ]

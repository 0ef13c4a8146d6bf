"""The scan pipeline: discover files, parse them into the model, evaluate rules.

    files ─► sources (terraform, plan, cloudformation, kubernetes, dockerfile)
          ─► adapters ─► normalized resources ─► rules ─► findings

Bad input never stops a scan: every file that cannot be read becomes a
ParseError in the result and the rest goes on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from tutela.collectors import ServiceCoverage
from tutela.engine.config import ScanConfig
from tutela.engine.evaluate import evaluate
from tutela.engine.findings import ScanResult
from tutela.engine.ruleset import RuleSelection, RuleSet
from tutela.engine.suppressions import InlineComment, SuppressionIndex, find_suppressions
from tutela.errors import TutelaError
from tutela.model.base import Resource
from tutela.model.governance import InlineSuppression
from tutela.sources.raw import ParseError

SKIP_DIRS = {".git", ".terraform", ".tutela-cache", "node_modules", "__pycache__", ".venv", "venv"}
YAML_SUFFIXES = {".yaml", ".yml", ".template"}
HEAD_BYTES = 4096

Progress = Callable[[str, int, int], None]


class ScanTargetError(TutelaError):
    """A path given to scan does not exist."""


@dataclass
class Discovered:
    """Files found under the targets, by the source that reads them."""

    terraform: list[Path] = field(default_factory=list)
    plans: list[Path] = field(default_factory=list)
    cloudformation: list[Path] = field(default_factory=list)
    kubernetes: list[Path] = field(default_factory=list)
    dockerfiles: list[Path] = field(default_factory=list)
    texts: dict[Path, str] = field(default_factory=dict)
    # Saved live inventories (`tutela aws --save-snapshot`), with what loading them said.
    snapshots: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    coverage: list[ServiceCoverage] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.terraform)
            + len(self.plans)
            + len(self.cloudformation)
            + len(self.kubernetes)
            + len(self.dockerfiles)
            + len(self.snapshots)
        )


def _walk(target: Path, exclude: Sequence[str], root: Path) -> Iterator[Path]:
    if target.is_file():
        yield target
        return
    for dirpath, dirnames, filenames in os.walk(target):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if exclude:
                rel = _relative(path, root)
                if any(fnmatch(rel, pattern) for pattern in exclude):
                    continue
            yield path


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _head(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            return fh.read(HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


def discover(targets: Sequence[Path], *, root: Path, exclude: Sequence[str] = ()) -> Discovered:
    """Classify files by name and content (a CloudFormation `stack.yaml`, a `Dockerfile.api`)."""
    found = Discovered()
    for target in targets:
        if not target.exists():
            raise ScanTargetError(f"{target}: no such file or directory")
        explicit = target.is_file()
        for path in _walk(target, exclude, root):
            name = path.name
            suffix = path.suffix.lower()
            if name.endswith((".tf", ".tf.json")):
                found.terraform.append(path)
                continue
            # The content sniffers import their sources: only once a file needs them.
            from tutela.collectors.aws.snapshot import looks_like_snapshot
            from tutela.sources.cloudformation import looks_like_cloudformation
            from tutela.sources.dockerfile import is_dockerfile
            from tutela.sources.kubernetes import looks_like_kubernetes
            from tutela.sources.terraform import is_plan_json

            if suffix == ".json":
                text = _read(path)
                if text is None:
                    continue
                if looks_like_snapshot(text):
                    found.snapshots.append(path)
                elif is_plan_json(text):
                    found.plans.append(path)
                elif looks_like_cloudformation(text, suffix):
                    found.cloudformation.append(path)
                continue
            if suffix in YAML_SUFFIXES:
                text = _read(path)
                if text is None:
                    continue
                if looks_like_cloudformation(text, suffix):
                    found.cloudformation.append(path)
                elif looks_like_kubernetes(text):
                    found.kubernetes.append(path)
                continue
            if is_dockerfile(path, _head(path)) and (explicit or suffix not in (".md", ".txt")):
                found.dockerfiles.append(path)
    return found


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def load_resources(
    found: Discovered,
    *,
    root: Path,
    config: ScanConfig,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    jobs: int | None = None,
) -> tuple[list[Resource], list[ParseError]]:
    """Parse every discovered file into model resources.

    Terraform loads per root module (with the local modules it calls), every other file
    on its own; with `cache_dir`, unchanged units come from the cache
    (`tutela.engine.cache`); large inputs load over `jobs` processes (default: the
    available cores; see `tutela.engine.parallel`).
    """
    if not found.count:
        return [], []
    from tutela.engine.cache import load_cached

    others = [
        *(("terraform-plan", p) for p in found.plans),
        *(("cloudformation", p) for p in found.cloudformation),
        *(("kubernetes", p) for p in found.kubernetes),
        *(("dockerfile", p) for p in found.dockerfiles),
    ]
    resources, errors = load_cached(
        found.terraform,
        others,
        root=root,
        var_files=config.var_files,
        cache_dir=cache_dir,
        jobs=jobs,
        progress=progress,
    )
    _load_snapshots(found, root, resources, errors)
    return resources, errors


def _load_snapshots(
    found: Discovered, root: Path, resources: list[Resource], errors: list[ParseError]
) -> None:
    """Saved live inventories: their resources, coverage and integrity warnings."""
    if not found.snapshots:
        return
    from tutela.collectors.aws.snapshot import SnapshotError, load_snapshot

    for path in found.snapshots:
        rel = _relative(path, root)
        try:
            loaded = load_snapshot(path, origin=rel)
        except SnapshotError as exc:
            errors.append(ParseError(rel, None, None, str(exc), "aws"))
            continue
        snap = loaded.snapshot
        resources.extend(snap.resources)
        found.coverage.extend(snap.coverage)
        found.notes.extend(f"warning: {w}" for w in loaded.warnings)
        found.notes.append(
            f"{rel}: AWS account {snap.account_id} collected {snap.collected_at.isoformat()}, "
            f"sha256 {loaded.sha256[:16]}..."
        )


def _suppression_comments(
    found: Discovered, root: Path
) -> tuple[list[InlineComment], dict[str, str]]:
    comments: list[InlineComment] = []
    texts: dict[str, str] = {}
    for path in (*found.terraform, *found.cloudformation, *found.kubernetes, *found.dockerfiles):
        text = found.texts.get(path)
        if text is None:
            text = _read(path)
        if text is None or "tutela:ignore" not in text:
            continue
        rel = _relative(path, root)
        texts[rel] = text
        comments.extend(find_suppressions(rel, text))
    return comments, texts


def _comment_resources(
    comments: Iterable[InlineComment], sources: dict[str, str]
) -> list[Resource]:
    return [
        InlineSuppression(
            address=f"{c.location.file}:{c.location.start_line}",
            native_type="tutela:ignore",
            source=sources.get(c.location.file, "iac"),
            location=c.location,
            codes=c.codes,
            reason=c.reason,
        )
        for c in comments
    ]


def scan_root(targets: Sequence[Path]) -> Path:
    """Paths in results are relative to the working directory when targets are under it."""
    cwd = Path.cwd().resolve()
    for t in targets:
        try:
            t.resolve().relative_to(cwd)
        except ValueError:
            first = targets[0].resolve()
            return first if first.is_dir() else first.parent
    return cwd


def scan(
    targets: Sequence[Path],
    rules: RuleSet | RuleSelection,
    *,
    config: ScanConfig | None = None,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    jobs: int | None = None,
) -> ScanResult:
    """Scan IaC files and directories with `rules` (a RuleSelection: the selected rules of
    the providers found, imported only once resources of theirs are).

    `cache_dir`: reuse (and record) unchanged files' results there; `jobs`: processes to
    load large inputs with (see `load_resources`)."""
    config = config or ScanConfig()
    started = time.perf_counter()
    root = scan_root(targets)
    found = discover(targets, root=root, exclude=config.exclude)
    resources, errors = load_resources(
        found, root=root, config=config, progress=progress, cache_dir=cache_dir, jobs=jobs
    )

    index = None
    notes: list[str] = list(found.notes)
    if config.inline_suppressions:
        comments, texts = _suppression_comments(found, root)
        file_sources = {r.location.file: r.source for r in resources if r.location}
        resources.extend(_comment_resources(comments, file_sources))
        index = SuppressionIndex(comments, texts)
    else:
        notes.append("inline suppressions ignored (--no-inline-suppressions)")

    def on_resource(n: int) -> None:
        if progress:
            progress("evaluating", n, len(resources))

    ruleset = (
        rules
        if isinstance(rules, RuleSet)
        else rules.ruleset({type(r).provider for r in resources})
    )
    findings = evaluate(
        resources, ruleset, settings=config.settings, suppressions=index, on_resource=on_resource
    )
    return ScanResult(
        findings=tuple(findings),
        parse_errors=tuple(sorted(errors, key=lambda e: (e.file, e.line or 0))),
        resource_count=sum(1 for r in resources if not isinstance(r, InlineSuppression)),
        files_scanned=found.count,
        rule_count=len(ruleset),
        duration_seconds=time.perf_counter() - started,
        targets=tuple(str(t) for t in targets),
        notes=tuple(notes),
        coverage=tuple(found.coverage),
    )

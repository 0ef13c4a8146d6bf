"""The scan pipeline: discover files, parse them into the model, evaluate rules.

    files ─► sources (terraform, plan, cloudformation, kubernetes, dockerfile)
          ─► adapters ─► normalized resources ─► rules ─► findings

Bad input never stops a scan: every file that cannot be read becomes a
ParseError in the result and the rest goes on.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import translate
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from tutela.engine.incremental import Evaluated

SKIP_DIRS = {".git", ".terraform", ".tutela-cache", "node_modules", "__pycache__", ".venv", "venv"}
_TERRAFORM_SUFFIXES = (".tf", ".tf.json")  # by name; everything else by content
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

    def other_units(self) -> list[tuple[str, Path]]:
        """Files other than Terraform's `.tf`, each a unit of its own, with its kind."""
        return [
            *(("terraform-plan", p) for p in self.plans),
            *(("cloudformation", p) for p in self.cloudformation),
            *(("kubernetes", p) for p in self.kubernetes),
            *(("dockerfile", p) for p in self.dockerfiles),
        ]

    def commented_files(self) -> list[Path]:
        """The files whose comments may hold `tutela:ignore` suppressions."""
        return [*self.terraform, *self.cloudformation, *self.kubernetes, *self.dockerfiles]

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


def _walk(top: str, links: bool) -> Iterator[tuple[str, list[str], set[str]]]:
    """Walk the directory `top` as `os.walk` does, on `str` paths: depth first, each
    directory's files before its subdirectories, symlinked directories not entered,
    unreadable ones passed over; SKIP_DIRS and dot-directories are not entered either.

    Yields each directory holding files (its path joined onto `top`), its file names
    sorted, and, when `links`, which of those names are (or may be) symlinks.
    Subdirectories come in sorted order.
    """
    join = os.path.join
    stack = [top]
    while stack:
        directory = stack.pop()
        files: list[str] = []
        subdirs: list[str] = []
        symlinks: set[str] = set()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    name = entry.name
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if not is_dir:
                        files.append(name)
                        if links and _is_symlink(entry, unknown=True):
                            symlinks.add(name)
                    elif (
                        name not in SKIP_DIRS
                        and not name.startswith(".")
                        and not _is_symlink(entry, unknown=False)
                    ):
                        subdirs.append(name)
        except OSError:
            continue  # like os.walk: a directory that cannot be listed is left out
        if files:
            files.sort()
            yield directory, files, symlinks
        subdirs.sort(reverse=True)
        stack.extend([join(directory, name) for name in subdirs])


def _is_symlink(entry: os.DirEntry[str], *, unknown: bool) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return unknown


def _dir_prefix(directory: Path, root: Path) -> str | None:
    """What `_relative` gives the files of `directory` start with, or None when they are
    outside `root`. A file that is not a symlink resolves to its resolved directory."""
    try:
        rel = directory.resolve().relative_to(root).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel + "/"


def _exclude_pattern(exclude: Sequence[str]) -> re.Pattern[str] | None:
    """The `exclude` globs as one regex: it matches where `fnmatch` matches any of them."""
    if not exclude:
        return None
    return re.compile("|".join(translate(os.path.normcase(glob)) for glob in exclude))


def _not_excluded(
    base: Path, names: list[str], links: set[str], root: Path, pattern: re.Pattern[str]
) -> list[str]:
    """The file names in `base` whose path relative to the root (as `_relative` gives it)
    the pattern does not match. The directory is resolved once; a symlink, or a file
    outside the root, goes through `_relative` on its own."""
    prefix = _dir_prefix(base, root)
    normcase = os.path.normcase
    kept = []
    for name in names:
        rel = _relative(base / name, root) if prefix is None or name in links else prefix + name
        if pattern.match(normcase(rel)) is None:
            kept.append(name)
    return kept


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
    pattern = _exclude_pattern(exclude)
    terraform = found.terraform
    for target in targets:
        if not target.exists():
            raise ScanTargetError(f"{target}: no such file or directory")
        if target.is_file():
            # A file target is taken as given, whatever `exclude` says.
            if target.name.endswith(_TERRAFORM_SUFFIXES):
                terraform.append(target)
            else:
                _classify(found, target, explicit=True)
            continue
        # Paths stay `str` until a file is kept; most files are Terraform, known by name.
        for directory, names, links in _walk(os.fspath(target), pattern is not None):
            base = Path(directory)
            if pattern is not None:
                names = _not_excluded(base, names, links, root, pattern)
            for name in names:
                if name.endswith(_TERRAFORM_SUFFIXES):
                    terraform.append(base / name)
                else:
                    _classify(found, base / name, explicit=False)
    return found


def _classify(found: Discovered, path: Path, *, explicit: bool) -> None:
    """File a path that is not Terraform by its content (explicit: given as a target)."""
    # The content sniffers import their sources: only once a file needs them.
    suffix = path.suffix.lower()
    if suffix == ".json":
        from tutela.collectors.aws.snapshot import looks_like_snapshot
        from tutela.sources.cloudformation import looks_like_cloudformation
        from tutela.sources.terraform import is_plan_json

        text = _read(path)
        if text is None:
            return
        if looks_like_snapshot(text):
            found.snapshots.append(path)
        elif is_plan_json(text):
            found.plans.append(path)
        elif looks_like_cloudformation(text, suffix):
            found.cloudformation.append(path)
        return
    if suffix in YAML_SUFFIXES:
        from tutela.sources.cloudformation import looks_like_cloudformation
        from tutela.sources.kubernetes import looks_like_kubernetes

        text = _read(path)
        if text is None:
            return
        if looks_like_cloudformation(text, suffix):
            found.cloudformation.append(path)
        elif looks_like_kubernetes(text):
            found.kubernetes.append(path)
        return
    if not explicit and suffix in (".md", ".txt"):
        return  # prose quoting a Dockerfile is not one (decided before reading it)
    from tutela.sources.dockerfile import is_dockerfile

    if is_dockerfile(path, _head(path)):
        found.dockerfiles.append(path)


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

    resources, errors = load_cached(
        found.terraform,
        found.other_units(),
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
    for path in found.commented_files():
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
    on_evaluated: Callable[[Evaluated], None] | None = None,
) -> ScanResult:
    """Scan IaC files and directories with `rules` (a RuleSelection: the selected rules of
    the providers found, imported only once resources of theirs are).

    `cache_dir`: reuse (and record) unchanged files' results and verdicts there
    (`tutela.engine.incremental`; `on_evaluated` hears what was reused); `jobs`:
    processes to load large inputs with (see `load_resources`)."""
    config = config or ScanConfig()
    started = time.perf_counter()
    root = scan_root(targets)
    found = discover(targets, root=root, exclude=config.exclude)
    if cache_dir is not None and found.count and not found.snapshots:
        return _scan_incrementally(
            targets, rules, found, root, config, progress, cache_dir, jobs, started, on_evaluated
        )
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


def _scan_incrementally(
    targets: Sequence[Path],
    rules: RuleSet | RuleSelection,
    found: Discovered,
    root: Path,
    config: ScanConfig,
    progress: Progress | None,
    cache_dir: Path,
    jobs: int | None,
    started: float,
    on_evaluated: Callable[[Evaluated], None] | None,
) -> ScanResult:
    """`scan` with the cache: unchanged units' verdicts are reused
    (`tutela.engine.incremental`)."""
    from tutela.engine.cache import load_lazily
    from tutela.engine.incremental import evaluate_incrementally

    loaded = load_lazily(
        found.terraform,
        found.other_units(),
        root=root,
        var_files=config.var_files,
        cache_dir=cache_dir,
        jobs=jobs,
        progress=progress,
    )
    if isinstance(rules, RuleSet):
        selection = "rules:" + ",".join(r.code for r in rules)

        def choose(providers: set[str]) -> RuleSet:
            return rules
    else:
        selection = repr((rules.include, rules.exclude, rules.min_severity))

        def choose(providers: set[str]) -> RuleSet:
            return rules.ruleset(providers)

    notes: list[str] = list(found.notes)
    if not config.inline_suppressions:
        notes.append("inline suppressions ignored (--no-inline-suppressions)")
    evaluated = evaluate_incrementally(
        loaded,
        choose,
        files=found.commented_files(),
        root=root,
        targets=[str(t) for t in targets],
        settings=config.settings,
        selection=selection,
        inline_suppressions=config.inline_suppressions,
        comment_resources=_comment_resources,
        progress=progress,
    )
    if on_evaluated is not None:
        on_evaluated(evaluated)
    return ScanResult(
        findings=evaluated.findings,
        parse_errors=tuple(sorted(evaluated.errors, key=lambda e: (e.file, e.line or 0))),
        resource_count=evaluated.resources,
        files_scanned=found.count,
        rule_count=len(evaluated.ruleset),
        duration_seconds=time.perf_counter() - started,
        targets=tuple(str(t) for t in targets),
        notes=tuple(notes),
        coverage=tuple(found.coverage),
    )

"""Incremental evaluation: a re-scan judges again only what changed.

The load cache (`tutela.engine.cache`) gives every unit (a Terraform root module with
the modules it calls, or one other IaC file) a key hashing everything its resources
depend on. This module keeps, next to it, the verdicts:

- rules over one resource are pure functions of it (and of the settings): a unit's
  findings are kept by its key, and an unchanged unit's come back without its resources
  being unpickled;
- cross-resource rules (those taking `inventory`) read other resources only through
  `Inventory.of(kind)`; each one's reads are recorded by kind while it runs, and its
  findings are kept until a unit holding resources of a kind it read, or of the kind it
  judges, appears or goes away. Then it runs again over an inventory that unpickles
  only the units holding the kinds asked for;
- `tutela:ignore` comments are read again only from files whose content changed, and
  the suppression rule (a rule over comments) always runs, as comments are few.

Findings are stored with their JSON text and sort key (`FindingBatch`), so the JSON
report of a re-scan writes them as they are. Verdicts live in `verdicts/` of the
versioned cache directory, keyed by the rule selection and settings; like the rest of
the cache, anything unreadable is ignored and recomputed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tutela.engine.cache import Loaded, LoadedUnit, _atomic_write, previous_result
from tutela.engine.evaluate import _finding, _verdicts
from tutela.engine.findings import Finding, FindingBatch, FindingList
from tutela.engine.parallel import dumps, loads
from tutela.engine.ruleset import RuleSet
from tutela.engine.suppressions import InlineComment, SuppressionIndex, find_suppressions
from tutela.model.base import Resource
from tutela.model.inventory import Inventory
from tutela.rules.api import Rule
from tutela.rules.settings import Settings
from tutela.sources.raw import ParseError

R = TypeVar("R", bound=Resource)
T = TypeVar("T")

STATE_FORMAT = 1


# --------------------------------------------------------------------------- stored state


@dataclass(slots=True)
class UnitVerdicts:
    """What the evaluation of one unit gave, by the unit's key."""

    kinds: tuple[type[Resource], ...]  # types of its resources, in order of appearance
    resources: int
    errors: tuple[ParseError, ...]
    sources: dict[str, str]  # file -> source (terraform, cloudformation...) of its resources
    findings: FindingBatch  # of the rules over one resource


@dataclass(slots=True)
class RuleVerdicts:
    """A cross-resource rule's findings and the kinds it read to reach them. The findings
    are kept in a file of their own (`batch`), written once, read when reused."""

    reads: frozenset[type[Resource]]
    batch: str  # file name under rules/


@dataclass(slots=True)
class ScanVerdicts:
    """The cross-resource verdicts of the last scan of a set of targets."""

    unit_kinds: dict[str, tuple[type[Resource], ...]]  # unit key -> its kinds
    unit_keys: dict[str, str]  # unit path -> its key
    rules: dict[str, RuleVerdicts]
    comments: dict[tuple[str, str], tuple[InlineComment, ...]]  # (file, content hash)


@dataclass(slots=True)
class Evaluated:
    """The incremental evaluation of a scan, as `tutela.engine.scan.scan` reports it."""

    findings: FindingList
    resources: int
    errors: list[ParseError]
    ruleset: RuleSet
    reused_units: int = 0
    judged_units: int = 0  # evaluated afresh
    reused_rules: int = 0
    recomputed_rules: list[str] = field(default_factory=list)


class VerdictStore:
    """Verdict files under `<cache dir>/verdicts/<selection>/`; never fails a scan."""

    def __init__(self, cache_dir: Path, selection: str, targets: Sequence[str]) -> None:
        self.dir = cache_dir / "verdicts" / selection[:16]
        self.scan_file = self.dir / f"scan-{_digest(*targets)[:16]}.bin"

    def _unit_file(self, key: str) -> Path:
        return self.dir / "units" / f"{key}.bin"

    def unit(self, key: str) -> UnitVerdicts | None:
        return _read(self._unit_file(key), UnitVerdicts)

    def put_unit(self, key: str, verdicts: UnitVerdicts) -> None:
        _write(self._unit_file(key), verdicts)

    def scan(self) -> ScanVerdicts | None:
        return _read(self.scan_file, ScanVerdicts)

    def rule_findings(self, name: str) -> FindingBatch | None:
        return _read(self.dir / "rules" / name, FindingBatch)

    def put_rule_findings(self, name: str, findings: FindingBatch) -> None:
        _write(self.dir / "rules" / name, findings)

    def put_scan(self, verdicts: ScanVerdicts) -> None:
        _write(self.scan_file, verdicts)

    def tidy(self, used: set[str], rules: set[str]) -> None:
        """Drop unit verdicts whose load-cache entry is gone (the load cache tidies those),
        and rule findings unused for a week."""
        import time

        entries = self.dir.parent.parent / "units"
        week_ago = time.time() - 7 * 24 * 3600
        with contextlib.suppress(OSError):
            for e in os.scandir(self.dir / "units"):
                key = e.name[: -len(".bin")]
                if key not in used and not (entries / e.name).exists():
                    os.unlink(e.path)
            for e in os.scandir(self.dir / "rules"):
                if e.name not in rules and e.stat().st_mtime < week_ago:
                    os.unlink(e.path)


def _read(path: Path, kind: type[T]) -> T | None:
    try:
        data = path.read_bytes()
        fmt, value = loads(data)
    except Exception:  # missing, unreadable, corrupt or from another format
        return None
    return value if fmt == STATE_FORMAT and isinstance(value, kind) else None


def _write(path: Path, value: Any) -> None:
    with contextlib.suppress(OSError):
        _atomic_write(path, dumps((STATE_FORMAT, value)))


def _digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogateescape")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def selection_key(salt: str, rules: str, settings: Settings, inline_suppressions: bool) -> str:
    """What every verdict depends on besides the resources: the load cache's salt (tutela's
    code, Python, the scan root), the rule selection, the settings, inline suppressions."""
    return _digest(salt, rules, repr(settings), str(inline_suppressions))


# --------------------------------------------------------------------------- inventories


class UnitInventory(Inventory):
    """The inventory of a scan whose units are still pickled: `of(kind)` unpickles only
    the units holding resources of that kind. Same results, in the same order, as an
    `Inventory` of every unit's resources in unit order, then `extra`."""

    def __init__(
        self,
        units: Sequence[tuple[tuple[type[Resource], ...], LoadedUnit]],
        extra: Sequence[Resource] = (),
    ) -> None:
        self._units = list(units)
        self._extra = list(extra)
        self._loaded: dict[int, list[Resource]] = {}
        order: dict[type[Resource], None] = {}
        for kinds, _ in self._units:
            order.update(dict.fromkeys(kinds))
        order.update(dict.fromkeys(type(r) for r in self._extra))
        self._types = list(order)
        self._of: dict[type[Resource], tuple[Resource, ...]] = {}
        self._memo: dict[Hashable, object] = {}
        self._whole: Inventory | None = None

    def _unit(self, index: int) -> list[Resource]:
        got = self._loaded.get(index)
        if got is None:
            got = self._loaded[index] = self._units[index][1].result().resources
        return got

    def of(self, kind: type[R]) -> tuple[R, ...]:
        hit = self._of.get(kind)
        if hit is None:
            wanted = [t for t in self._types if issubclass(t, kind)]
            chosen = set(wanted)
            by_type: dict[type[Resource], list[Resource]] = {t: [] for t in wanted}
            for index, (kinds, unit) in enumerate(self._units):
                present = chosen.intersection(kinds)
                if not present:
                    continue
                loaded = self._loaded.get(index)
                for r in loaded if loaded is not None else unit.resources_of(present):
                    if type(r) in chosen:
                        by_type[type(r)].append(r)
            for r in self._extra:
                if type(r) in chosen:
                    by_type[type(r)].append(r)
            hit = self._of[kind] = tuple(r for t in wanted for r in by_type[t])
        return hit  # type: ignore[return-value]

    def _whole_inventory(self) -> Inventory:
        if self._whole is None:
            resources: list[Resource] = []
            for index in range(len(self._units)):
                resources.extend(self._unit(index))
            self._whole = Inventory([*resources, *self._extra])
        return self._whole

    def __iter__(self) -> Iterator[Resource]:
        return iter(self._whole_inventory())

    def __len__(self) -> int:
        return len(self._whole_inventory())

    def get(self, address: str) -> Resource | None:
        return self._whole_inventory().get(address)


class TrackedInventory(Inventory):
    """An inventory that records the kinds a rule reads (a memo's reads count for every
    rule using it)."""

    def __init__(self, inner: Inventory, memo_reads: dict[Hashable, frozenset[type]]) -> None:
        self._inner = inner
        self._memo_reads = memo_reads
        self.reads: set[type[Resource]] = set()
        self.everything = False  # iterated or looked up by address: depends on all

    def of(self, kind: type[R]) -> tuple[R, ...]:
        self.reads.add(kind)
        return self._inner.of(kind)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        reads = self._memo_reads.get(key)
        if reads is None:
            outer = self.reads
            self.reads = set()
            value = self._inner.memo(key, compute)
            reads = self._memo_reads[key] = frozenset(self.reads)
            self.reads = outer
        else:
            value = self._inner.memo(key, compute)
        self.reads |= reads
        return value

    def __iter__(self) -> Iterator[Resource]:
        self.everything = True
        return iter(self._inner)

    def __len__(self) -> int:
        self.everything = True
        return len(self._inner)

    def get(self, address: str) -> Resource | None:
        self.everything = True
        return self._inner.get(address)


class _Everything(Resource):
    """Marks a rule that read the whole inventory (any change reruns it)."""


# --------------------------------------------------------------------------- evaluation


def evaluate_incrementally(
    loaded: Loaded,
    choose: Callable[[set[str]], RuleSet],
    *,
    files: Sequence[Path],
    root: Path,
    targets: Sequence[str],
    settings: Settings,
    selection: str,
    inline_suppressions: bool,
    comment_resources: Callable[
        [Sequence[InlineComment], dict[str, str]], list[Resource]
    ],
    progress: Callable[[str, int, int], None] | None = None,
) -> Evaluated:
    """Evaluate a scan reusing the verdicts of unchanged units and unaffected
    cross-resource rules (see the module's docstring).

    `choose(providers)` gives the rules for the providers found; `files` are the IaC files
    that may hold `tutela:ignore` comments; `comment_resources(comments, file_sources)`
    makes the comments' resources (`tutela.engine.scan`); `progress(phase, done, total)`
    hears about the units judged afresh."""
    assert loaded.cache_dir is not None, "incremental evaluation needs the load cache"
    store = VerdictStore(loaded.cache_dir, selection_key(
        loaded.salt, selection, settings, inline_suppressions
    ), targets)
    previous = store.scan()

    # 1. What each unit holds: from its stored verdicts, else from its resources.
    states: list[UnitVerdicts | None] = []
    for lu in loaded.units:
        # A unit parsed again under the same key had a file read by file() change.
        states.append(store.unit(lu.key) if lu.hit else None)
    providers: set[str] = set()
    for lu, state in zip(loaded.units, states, strict=True):
        kinds = state.kinds if state is not None else _kinds(lu.result().resources)
        providers.update(k.provider for k in kinds)

    # 2. Suppression comments, read again only from changed files.
    comments, texts, by_file = _comments(files, root, loaded.digests, previous)
    index = SuppressionIndex(comments, texts) if inline_suppressions else None
    # Comments are resources of their own (provider "tutela") only when they apply.
    ruleset = choose(providers | ({"tutela"} if comments and inline_suppressions else set()))
    local = RuleSet(tuple(r for r in ruleset if not r.wants_inventory))
    cross = [r for r in ruleset if r.wants_inventory]

    # 3. Rules over one resource, per unit.
    evaluated = Evaluated(FindingList(()), 0, list(loaded.errors), ruleset)
    batches: list[FindingBatch] = []
    unit_kinds: dict[str, tuple[type[Resource], ...]] = {}
    sources: dict[str, str] = {}
    seen_errors = set(evaluated.errors)
    to_judge = sum(1 for state in states if state is None)
    for i, (lu, state) in enumerate(zip(loaded.units, states, strict=True)):
        if state is None:
            state = _evaluate_unit(lu, local, settings, index)
            store.put_unit(lu.key, state)
            states[i] = state
            evaluated.judged_units += 1
            if progress is not None:
                progress("evaluating", evaluated.judged_units, to_judge)
        else:
            evaluated.reused_units += 1
        batches.append(state.findings)
        unit_kinds[lu.key] = state.kinds
        sources.update(state.sources)
        evaluated.resources += state.resources
        for e in state.errors:
            if e not in seen_errors:
                seen_errors.add(e)
                evaluated.errors.append(e)

    # 4. The comments' own rule, always (they are few).
    extra = comment_resources(comments, sources) if inline_suppressions else []
    if extra:
        batches.append(FindingBatch.of(_run(extra, local, settings, index)))

    # 5. Cross-resource rules: reuse those whose reads did not change.
    unit_keys = {lu.unit.path: lu.key for lu in loaded.units}
    changed = _changed_kinds(loaded, unit_kinds, unit_keys, previous)
    if previous is not None and set(comments) != {
        c for found in previous.comments.values() for c in found
    }:
        changed = None  # suppressions moved: every cross-resource verdict may change status
    inventory = UnitInventory(
        [(s.kinds, lu) for lu, s in zip(loaded.units, _known(states), strict=True)], extra
    )
    memo_reads: dict[Hashable, frozenset[type]] = {}
    rules_state: dict[str, RuleVerdicts] = {}
    run_id = _digest(*unit_keys.values(), *(c.location.file for c in comments))[:16]
    for rule in cross:
        kept = previous.rules.get(rule.code) if previous is not None else None
        batch = None
        if kept is not None and not _touches(changed, {rule.resource_type, *kept.reads}):
            batch = store.rule_findings(kept.batch)
        if kept is not None and batch is not None:
            rules_state[rule.code] = kept
            evaluated.reused_rules += 1
        else:
            reads, batch = _evaluate_cross(rule, inventory, memo_reads, settings, index)
            name = f"{rule.code}-{run_id}.bin"
            store.put_rule_findings(name, batch)
            rules_state[rule.code] = RuleVerdicts(reads, name)
            evaluated.recomputed_rules.append(rule.code)
        batches.append(batch)

    store.put_scan(ScanVerdicts(unit_kinds, unit_keys, rules_state, by_file))
    store.tidy(set(unit_kinds), {r.batch for r in rules_state.values()})
    evaluated.findings = FindingList(batches)
    return evaluated


def _known(states: Sequence[UnitVerdicts | None]) -> list[UnitVerdicts]:
    """Every unit's verdicts, once step 3 filled the gaps."""
    assert all(s is not None for s in states)
    return [s for s in states if s is not None]


def _kinds(resources: Sequence[Resource]) -> tuple[type[Resource], ...]:
    return tuple(dict.fromkeys(type(r) for r in resources))


def _run(
    resources: Sequence[Resource],
    ruleset: RuleSet,
    settings: Settings,
    index: SuppressionIndex | None,
) -> list[Finding]:
    """Rules over one resource (none takes an inventory) over `resources`."""
    findings: list[Finding] = []
    for resource in resources:
        for rule in ruleset.for_type(type(resource)):
            kwargs = {"settings": settings} if rule.wants_settings else {}
            for verdict in _verdicts(rule, resource, kwargs):
                findings.append(_finding(rule, resource, verdict, index))
    return findings


def _evaluate_unit(
    lu: LoadedUnit, local: RuleSet, settings: Settings, index: SuppressionIndex | None
) -> UnitVerdicts:
    result = lu.result()
    resources = result.resources
    return UnitVerdicts(
        kinds=_kinds(resources),
        resources=len(resources),
        errors=tuple(result.errors),
        sources={r.location.file: r.source for r in resources if r.location},
        findings=FindingBatch.of(_run(resources, local, settings, index)),
    )


def _evaluate_cross(
    rule: Rule,
    inventory: Inventory,
    memo_reads: dict[Hashable, frozenset[type]],
    settings: Settings,
    index: SuppressionIndex | None,
) -> tuple[frozenset[type[Resource]], FindingBatch]:
    tracked = TrackedInventory(inventory, memo_reads)
    kwargs: dict[str, Any] = {"inventory": tracked}
    if rule.wants_settings:
        kwargs["settings"] = settings
    findings: list[Finding] = []
    for resource in inventory.of(rule.resource_type):
        for verdict in _verdicts(rule, resource, kwargs):
            findings.append(_finding(rule, resource, verdict, index))
    reads = frozenset(tracked.reads | ({_Everything} if tracked.everything else set()))
    return reads, FindingBatch.of(findings)


def _changed_kinds(
    loaded: Loaded,
    unit_kinds: dict[str, tuple[type[Resource], ...]],
    unit_keys: dict[str, str],
    previous: ScanVerdicts | None,
) -> set[type[Resource]] | None:
    """Types whose resources differ from the last scan of these targets (None: no last
    scan, everything is new). A unit whose key changed (a file of it was edited) is
    compared with its previous version type by type: an edit that leaves the resources
    as they were (a comment, formatting) changes no type."""
    if previous is None:
        return None
    changed: set[type[Resource]] = set()
    compared: set[str] = set()
    for lu in loaded.units:
        known = lu.key in previous.unit_kinds
        if lu.hit and known:
            continue
        old_key = previous.unit_keys.get(lu.unit.path)
        compared.update((lu.key, old_key) if old_key is not None else (lu.key,))
        if known or old_key is None or old_key == lu.key:
            # New, or parsed again under the same key (a file read by file() changed).
            changed.update(unit_kinds[lu.key], previous.unit_kinds.get(lu.key, ()))
            changed.update(previous.unit_kinds.get(old_key or "", ()))
            continue
        old = previous_result(loaded.cache_dir, old_key) if loaded.cache_dir else None
        if old is None:
            changed.update(unit_kinds[lu.key], previous.unit_kinds.get(old_key, ()))
        else:
            changed.update(_differing_types(old.resources, lu.result().resources))
    for key in (unit_kinds.keys() ^ previous.unit_kinds.keys()) - compared:
        changed.update(unit_kinds.get(key) or previous.unit_kinds.get(key) or ())
    return changed


def _differing_types(old: Sequence[Resource], new: Sequence[Resource]) -> set[type[Resource]]:
    def by_type(resources: Sequence[Resource]) -> dict[type[Resource], list[Resource]]:
        out: dict[type[Resource], list[Resource]] = {}
        for r in resources:
            out.setdefault(type(r), []).append(r)
        return out

    before, after = by_type(old), by_type(new)
    differing = set()
    for t in before.keys() | after.keys():
        try:
            same = before.get(t) == after.get(t)
        except Exception:  # an Unknown compared with a value: it changed
            same = False
        if not same:
            differing.add(t)
    return differing


def _touches(changed: set[type[Resource]] | None, kinds: set[type[Resource]]) -> bool:
    if changed is None:
        return True
    if not changed:
        return False
    if _Everything in kinds:
        return True
    return any(issubclass(c, k) for c in changed for k in kinds)


def _comments(
    files: Sequence[Path],
    root: Path,
    digests: dict[str, str],
    previous: ScanVerdicts | None,
) -> tuple[list[InlineComment], dict[str, str], dict[tuple[str, str], tuple[InlineComment, ...]]]:
    """Every `tutela:ignore` comment of `files`, the texts of the files that have some,
    and the comments by (file, content hash) for the next scan."""
    from tutela.engine.scan import _relative

    known = previous.comments if previous is not None else {}
    comments: list[InlineComment] = []
    texts: dict[str, str] = {}
    by_file: dict[tuple[str, str], tuple[InlineComment, ...]] = {}
    root_s = os.path.abspath(root)
    here = root_s == os.getcwd()
    for path in files:
        p = str(path)
        if here and not os.path.isabs(p) and ".." not in p:
            rel = p  # already relative to the root, and normalized (pathlib made it)
        else:
            p = os.path.abspath(p)
            rel = p[len(root_s) + 1 :] if p.startswith(root_s + os.sep) else _relative(path, root)
        digest = digests.get(rel)
        found = known.get((rel, digest)) if digest is not None else None
        if found is None:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            found = tuple(find_suppressions(rel, text))
            if found:
                texts[rel] = text
        elif found:
            with contextlib.suppress(OSError):
                texts[rel] = path.read_text(encoding="utf-8", errors="replace")
        if digest is not None:
            by_file[(rel, digest)] = found
        comments.extend(found)
    return comments, texts, by_file

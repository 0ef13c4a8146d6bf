"""Loading units: the pieces of a scan that parse and adapt independently.

A unit is one Terraform root module (with the local modules it calls) or one
other IaC file (plan JSON, CloudFormation, Kubernetes, Dockerfile). Each unit
becomes model resources and parse errors without looking at any other unit,
so units can be cached one by one (`tutela.engine.cache`) and spread over a
process pool. Results always come back in unit order, whatever finished first,
so a pooled scan and an in-process scan give the same result.

The pool pays for itself only on large inputs (forking, and sending results
back pickled, cost about 60 ms); below `POOL_MIN_BYTES` of input to load, or
when a pool cannot start (no fork, no semaphores in a sandbox), units load in
this process.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutela.sources.raw import ParseError

if TYPE_CHECKING:
    from tutela.model.base import Resource
    from tutela.sources.terraform.evaluate import Loader, ModuleSource

# Input bytes below which units load in this process. Measured on the 2-core machine: the
# pool costs ~0.1 s (fork, pickled results), a unit loads at ~0.7 s per MB of Terraform
# in one process, so two processes start winning at about 0.3-0.4 MB (~1,200 resources
# of bench/generate.py's corpus).
POOL_MIN_BYTES = 400_000
# Units go to workers in batches (a batch shares parsed local modules); several batches per
# worker keep both busy until the end.
BATCHES_PER_WORKER = 4

TERRAFORM = "terraform"
PLAN = "terraform-plan"
CLOUDFORMATION = "cloudformation"
KUBERNETES = "kubernetes"
DOCKERFILE = "dockerfile"


@dataclass(frozen=True, slots=True)
class Unit:
    """What to load. Paths are absolute.

    - `path`: the root module directory (Terraform) or the file.
    - `files`: Terraform: the root directory's files to take declarations from (the
      discovered ones, rel. to the scan root); None for all.
    - `closure`: Terraform: the local module directories the root module calls, directly
      or not (parsed up front, as a whole-tree evaluation does).
    - `weight`: input bytes, to balance batches.
    """

    kind: str
    path: str
    files: frozenset[str] | None = None
    closure: tuple[str, ...] = ()
    weight: int = 0


@dataclass(slots=True)
class UnitResult:
    """What a unit loaded to.

    `calls` (Terraform): every parsed directory's local module sources, as directories
    (rel. to the scan root), whether or not they hold Terraform files; `touched`: other
    paths file functions looked at (rel. to the scan root when under it).
    """

    resources: list[Resource]
    errors: list[ParseError]
    calls: dict[str, tuple[str, ...]] = field(default_factory=dict)
    touched: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """What every unit needs besides itself: the scan root and `--var-file` values."""

    root: str
    var_values: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- loading one unit


def _terraform_loader(root: str) -> Loader:
    """A loader whose parsed module directories are shared by the units of one batch;
    each directory's own parse errors are kept apart, to be given to every unit using it."""
    from tutela.sources.terraform.evaluate import Loader

    class SharedLoader(Loader):
        def __init__(self, root: Path) -> None:
            super().__init__(root)
            self.dir_errors: dict[str, list[ParseError]] = {}
            self.used: list[str] = []

        def module_source(
            self, directory: str, files: Any = None
        ) -> ModuleSource:
            src = self.sources.get(directory)
            if src is None:
                mark = len(self.errors)
                src = super().module_source(directory, files)
                self.dir_errors[directory] = self.errors[mark:]
                del self.errors[mark:]
            if directory not in self.dir_errors:  # pragma: no cover - defensive
                self.dir_errors[directory] = []
            self.used.append(directory)
            return src

    return SharedLoader(Path(root))


def raw_calls(src: ModuleSource) -> tuple[str, ...]:
    """The directories of `src`'s local module sources (absolute), existing or not."""
    out = set()
    for call in src.calls.values():
        source = call.source
        if source is not None and (source.startswith(("./", "../")) or source in (".", "..")):
            target = os.path.normpath(os.path.join(src.directory, source))
            if target != src.directory:
                out.add(target)
    return tuple(sorted(out))


def rel_path(path: str, root: str) -> str:
    """`path` relative to `root` (both absolute and normalized), with `/` separators."""
    if path.startswith(root) and path[len(root) : len(root) + 1] == os.sep:
        rel = path[len(root) + 1 :]
    else:
        rel = os.path.relpath(path, root)
    return rel.replace(os.sep, "/") if os.sep != "/" else rel


_rel = rel_path


def adapt_raw(raw: Sequence[Any]) -> list[Resource]:
    """Model resources of raw Terraform resources (HCL or plan): AWS, then Google Cloud,
    then Azure. A cloud's adapter (and its model) is imported only when a resource of its
    provider is there: an AWS repository never pays for the other two."""
    from tutela.sources.terraform.aws import adapt_terraform

    resources = adapt_terraform(raw)
    if any(r.type.startswith("google_") for r in raw):
        from tutela.sources.terraform.gcp import adapt_gcp

        resources.extend(adapt_gcp(raw))
    if any(r.type.startswith("azurerm_") for r in raw):
        from tutela.sources.terraform.azure import adapt_azure

        resources.extend(adapt_azure(raw))
    return resources


def _load_terraform(unit: Unit, loader: Any, options: LoadOptions) -> UnitResult:
    from tutela.sources.terraform.evaluate import evaluate_root

    loader.used = []
    loader.touched = set()
    mark = len(loader.errors)
    for directory in (unit.path, *unit.closure):
        loader.module_source(directory)
    raw: list[Any] = []
    evaluate_root(
        loader,
        unit.path,
        set(unit.files) if unit.files is not None else None,
        options.var_values,
        raw,
    )
    own = loader.errors[mark:]
    del loader.errors[mark:]
    errors: list[ParseError] = []
    calls: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    for directory in loader.used:
        if directory in seen:
            continue
        seen.add(directory)
        errors.extend(loader.dir_errors[directory])
        calls[_rel(directory, options.root)] = tuple(
            _rel(t, options.root) for t in raw_calls(loader.sources[directory])
        )
    errors.extend(own)
    touched = tuple(sorted(_rel(p, options.root) for p in loader.touched))
    return UnitResult(adapt_raw(raw), errors, calls, touched)


def _load_file(unit: Unit, options: LoadOptions) -> UnitResult:
    root = Path(options.root)
    path = Path(unit.path)
    if unit.kind == PLAN:
        from tutela.sources.terraform import load_plan

        raw = load_plan(path, root=root)
        return UnitResult(adapt_raw(raw.resources), list(raw.errors))
    if unit.kind == CLOUDFORMATION:
        from tutela.sources.cloudformation import load_cloudformation
        from tutela.sources.cloudformation.aws import adapt_cloudformation

        cfn = load_cloudformation(path, root=root)
        return UnitResult(adapt_cloudformation(cfn.resources), list(cfn.errors))
    if unit.kind == KUBERNETES:
        from tutela.sources.kubernetes import load_kubernetes

        k8s, errs = load_kubernetes(path, root=root)
        return UnitResult(list(k8s), list(errs))
    if unit.kind == DOCKERFILE:
        from tutela.sources.dockerfile import load_dockerfile

        docker, errs = load_dockerfile(path, root=root)
        return UnitResult(list(docker), list(errs))
    raise ValueError(f"unknown unit kind {unit.kind!r}")


def load_batch(units: Sequence[Unit], options: LoadOptions) -> Iterator[UnitResult]:
    """Load `units` in order (Terraform units of one batch share parsed modules)."""
    loader = None
    paused = gc.isenabled()
    if paused:  # many small long-lived objects: see load_terraform
        gc.disable()
    try:
        for unit in units:
            if unit.kind == TERRAFORM:
                if loader is None:
                    loader = _terraform_loader(options.root)
                result = _load_terraform(unit, loader, options)
                # A root module is not called by others (but for cycles, re-parsed if so):
                # drop its syntax tree now, keep the shared modules'.
                loader.sources.pop(unit.path, None)
                yield result
            else:
                yield _load_file(unit, options)
    finally:
        if paused:
            gc.enable()


# --------------------------------------------------------------------------- pickling


def _proxy(items: dict[str, Any]) -> Any:
    from tutela.model.base import EMPTY

    if not items:
        return EMPTY
    from types import MappingProxyType

    return MappingProxyType(items)


_SETTERS: dict[type, list[Callable[[Any, Any], None]]] = {}


def _build(cls: type, values: tuple[Any, ...]) -> Any:
    """Rebuild a slotted dataclass from its field values, as unpickling does, without the
    per-object `fields()` walk of dataclasses' own `__setstate__` (3x faster)."""
    setters = _SETTERS.get(cls)
    if setters is None:
        import dataclasses

        setters = [getattr(cls, f.name).__set__ for f in dataclasses.fields(cls)]
        _SETTERS[cls] = setters
    obj: Any = object.__new__(cls)
    for setter, value in zip(setters, values, strict=True):
        setter(obj, value)
    return obj


def _dataclass_reducer(cls: type) -> Callable[[Any], Any] | None:
    import dataclasses

    names = [f.name for f in dataclasses.fields(cls)]
    slots = {s for c in cls.__mro__ for s in getattr(c, "__slots__", ())}
    if not set(names) <= slots:
        return None

    def reduce(obj: Any) -> Any:
        return _build, (cls, tuple([getattr(obj, n) for n in names]))

    return reduce


def _own_getstate(cls: type) -> bool:
    """Whether `cls` chose its own pickled form (frozen slotted dataclasses get a generic
    `__getstate__` from `dataclasses`, which `_build` replaces)."""
    getstate = vars(cls).get("__getstate__")
    return getstate is not None and getattr(getstate, "__module__", None) != "dataclasses"


def _pickler_table() -> dict[Any, Any]:
    """copyreg's table, plus read-only mappings and the slotted dataclasses of the model."""
    import copyreg
    import dataclasses
    from types import MappingProxyType

    table: dict[Any, Any] = dict(copyreg.dispatch_table)
    table[MappingProxyType] = lambda proxy: (_proxy, (dict(proxy),))
    for name, module in list(sys.modules.items()):
        if not (
            name.startswith(("tutela.model.", "tutela.sources."))
            or name in ("tutela.model", "tutela.engine.findings", "tutela.engine.suppressions")
        ):
            continue
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and value.__module__ == name
                and value not in table
                and not _own_getstate(value)
            ):
                reducer = _dataclass_reducer(value)
                if reducer is not None:
                    table[value] = reducer
    return table


_TABLE: dict[Any, Any] | None = None


def dumps(value: Any) -> bytes:
    """Pickle model values (read-only mappings included)."""
    import io

    global _TABLE
    if _TABLE is None:
        _TABLE = _pickler_table()
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _TABLE
    pickler.dump(value)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    return pickle.loads(data)


# --------------------------------------------------------------------------- the pool


def kind_key(cls: type) -> str:
    """A model type's name in an encoded unit result."""
    return f"{cls.__module__}:{cls.__qualname__}"


def encode_result(result: UnitResult) -> bytes:
    """A unit result for the cache and the pool: its resources pickled kind by kind, so that
    a cross-resource rule rerun over a large repository unpickles only the kinds it reads
    (`decode_kinds`); `decode_result` restores the whole result, in order."""
    groups: dict[str, list[Resource]] = {}
    order: list[str] = []
    for r in result.resources:
        key = kind_key(type(r))
        if key not in groups:
            groups[key] = []
        groups[key].append(r)
        order.append(key)
    keys = list(groups)
    index = {k: i for i, k in enumerate(keys)}
    head = (result.errors, result.calls, result.touched, [index[k] for k in order])
    return dumps((head, {k: dumps(v) for k, v in groups.items()}))


def decode_result(data: bytes) -> UnitResult:
    head, groups = loads(data)
    errors, calls, touched, order = head
    lists = [iter(loads(blob)) for blob in groups.values()]
    return UnitResult([next(lists[i]) for i in order], errors, calls, touched)


def decode_kinds(data: bytes, keys: set[str]) -> list[Resource]:
    """The resources of the kinds named by `keys` (see `kind_key`), in their order."""
    head, groups = loads(data)
    order = head[3]
    names = list(groups)
    wanted = {i for i, k in enumerate(names) if k in keys}
    lists = {i: iter(loads(groups[names[i]])) for i in wanted}
    return [next(lists[i]) for i in order if i in wanted]


def _worker(units: Sequence[Unit], options: LoadOptions) -> list[bytes]:
    return [encode_result(result) for result in load_batch(units, options)]


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def batches(units: Sequence[tuple[int, Unit]], count: int) -> list[list[tuple[int, Unit]]]:
    """Split units into `count` batches of similar weight (heaviest first, each to the
    lightest batch), keeping unit order inside a batch."""
    bins: list[list[tuple[int, Unit]]] = [[] for _ in range(max(1, count))]
    loads_: list[int] = [0] * len(bins)
    for index, unit in sorted(units, key=lambda iu: (-iu[1].weight, iu[0])):
        lightest = loads_.index(min(loads_))
        bins[lightest].append((index, unit))
        loads_[lightest] += max(1, unit.weight)
    return [sorted(b) for b in bins if b]


def _pool_context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork starts in milliseconds and inherits the modules already imported.
    if "fork" in methods and os.uname().sysname == "Linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def load_units(
    units: Sequence[Unit],
    options: LoadOptions,
    *,
    jobs: int | None = None,
    on_result: Callable[[int, UnitResult, bytes | None], None],
    want_bytes: bool = False,
) -> str:
    """Load every unit; `on_result(index, result, pickled)` is called once per unit (in any
    order; `pickled` is the result's `encode_result` when a worker made it or `want_bytes`).

    Returns how the units were loaded: "pool:N" or "in-process".
    """
    if not units:
        return "in-process"
    jobs = default_jobs() if jobs is None else max(1, jobs)
    total = sum(u.weight for u in units)
    indexed = list(enumerate(units))
    if jobs > 1 and len(units) > 1 and total >= POOL_MIN_BYTES:
        done: set[int] = set()
        try:
            _run_pool(indexed, options, min(jobs, len(units)), on_result, done)
            return f"pool:{min(jobs, len(units))}"
        except (OSError, ImportError, RuntimeError, pickle.PicklingError, EOFError):
            # No pool here (sandbox, no /dev/shm, a broken worker): finish in-process.
            indexed = [(i, u) for i, u in indexed if i not in done]
    for (index, _), result in zip(indexed, load_batch([u for _, u in indexed], options),
                                  strict=True):
        on_result(index, result, encode_result(result) if want_bytes else None)
    return "in-process"


def _run_pool(
    indexed: list[tuple[int, Unit]],
    options: LoadOptions,
    workers: int,
    on_result: Callable[[int, UnitResult, bytes | None], None],
    done: set[int],
) -> None:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # Import what workers need before forking, so that no child imports it again.
    from tutela.sources.cloudformation import aws as _cfn_aws  # noqa: F401
    from tutela.sources.terraform import aws as _tf_aws  # noqa: F401
    from tutela.sources.terraform import azure as _tf_azure  # noqa: F401
    from tutela.sources.terraform import evaluate as _tf_eval  # noqa: F401
    from tutela.sources.terraform import gcp as _tf_gcp  # noqa: F401

    parts = batches(indexed, workers * BATCHES_PER_WORKER)
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        futures = {
            pool.submit(_worker, [u for _, u in part], options): part for part in parts
        }
        for future in as_completed(futures):
            part = futures[future]
            blobs = future.result()
            for (index, _), blob in zip(part, blobs, strict=True):
                on_result(index, decode_result(blob), blob)
                done.add(index)

"""Terraform source: HCL directory trees and plan JSON -> evaluated `RawResource`s.

- `load_terraform(paths, root=..., var_files=...)`: `.tf` / `.tf.json` trees, each
  directory that is not only reached as a local module being a root module.
- `load_plan(path, root=...)`: `terraform show -json` output.
- `is_plan_json(text)`: tells plan JSON from other JSON cheaply.

Values not known before apply are `Unknown` (a jsonencoded value or a policy document
with unknown leaves is a `PartialJSON`, an `Unknown` that keeps the structure in
`.value`); references to other resources are `Reference`s.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tutela.sources.raw import RawParseResult

from .ops import PartialJSON
from .plan import is_plan_json, load_plan

__all__ = ["PartialJSON", "is_plan_json", "load_plan", "load_terraform"]


def load_terraform(
    paths: Sequence[Path], *, root: Path, var_files: Sequence[Path] = ()
) -> RawParseResult:
    """Evaluate the Terraform configurations under `paths`; bad files become ParseErrors."""
    import gc

    from .evaluate import evaluate_roots

    # The evaluation allocates many small long-lived objects; the cyclic collector's
    # full passes over them cost ~40% of the run, and nothing here needs them.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        resources, errors = evaluate_roots(paths, root, var_files)
    finally:
        if paused:
            gc.enable()
    return RawParseResult(tuple(resources), tuple(errors))

"""The policy's words that reports print, without loading the catalog model.

The terminal report names each requirement and section with its text; loading the
catalog for that (YAML, then pydantic validation) costs more than scanning a small
repository. With a cache directory, the shipped catalog's texts are kept there as JSON,
keyed by the catalog file's SHA-256: a changed catalog (a new tutela) is read afresh,
and a missing or unreadable file is rebuilt. Nothing here fails a scan.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from tutela.catalog import SHIPPED_CATALOG

if TYPE_CHECKING:
    from tutela.catalog.model import Catalog


@dataclass(frozen=True)
class CatalogTexts:
    requirements: dict[str, str]  # requirement id -> its text
    sections: dict[str, str]  # area or section id (`3.3`, `3.3.1`) -> its title


def shipped_texts(cache_dir: Path | None) -> CatalogTexts:
    """The shipped catalog's texts, through `cache_dir` when given."""
    path = cache_dir / f"catalog-texts-{_shipped_sha()[:16]}.json" if cache_dir else None
    if path is not None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return CatalogTexts(dict(data["requirements"]), dict(data["sections"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not there yet, or damaged: rebuilt below
    from tutela.catalog.loader import load_catalog

    catalog = load_catalog(None)
    texts = CatalogTexts(requirement_texts(catalog), section_titles(catalog))
    if path is not None:
        _write(path, {"catalog": SHIPPED_CATALOG, "requirements": texts.requirements,
                      "sections": texts.sections})
    return texts


def requirement_texts(catalog: Catalog) -> dict[str, str]:
    """Requirement id -> its text."""
    return {r.id: r.text for r in catalog.requirements}


def section_titles(catalog: Catalog) -> dict[str, str]:
    """Area and section id (`3.3`, `3.3.1`) -> title."""
    titles: dict[str, str] = {}
    for area in catalog.areas:
        titles[area.id] = area.title
        for section in area.sections:
            titles[section.id] = section.title
    return titles


def _shipped_sha() -> str:
    data = resources.files("tutela").joinpath(SHIPPED_CATALOG).read_bytes()
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: object) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

"""Catalog <-> YAML.

`load_catalog(None)` returns the catalog shipped in the package
(`tutela/data/catalog.yaml`, generated from ENG-POL-003 by the importer);
`load_catalog(path)` reads one made by `tutela catalog import`. Any problem
(missing file, YAML syntax, a field of the wrong shape) raises `CatalogError`
naming the file and, where it can, the line.

Each section-4 reference is written once with a YAML anchor and aliased from
every requirement it applies to, which keeps the file small and fast to load.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tutela.catalog import SHIPPED_CATALOG
from tutela.catalog.model import CATALOG_FORMAT, Catalog
from tutela.errors import CatalogError

__all__ = ["SHIPPED_CATALOG", "dump_catalog", "load_catalog", "load_catalog_text"]


_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_HEADER = (
    "# tutela catalog ({format}) generated from {source} by `tutela catalog import`.\n"
    "# Do not edit by hand: edit the policy and regenerate.\n"
)


def load_catalog(path: Path | None) -> Catalog:
    """The catalog in `path`, or the shipped ENG-POL-003 catalog when `path` is None."""
    if path is None:
        return _shipped()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError("catalog file not found", path=str(path)) from None
    except IsADirectoryError:
        raise CatalogError("catalog path is a directory, not a file", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"catalog file is not UTF-8 text ({exc.reason})", path=str(path)
        ) from None
    except OSError as exc:
        raise CatalogError(f"cannot read catalog file: {exc.strerror}", path=str(path)) from None
    return load_catalog_text(text, source=str(path))


@lru_cache(maxsize=1)
def _shipped() -> Catalog:
    resource = resources.files("tutela").joinpath(SHIPPED_CATALOG)
    try:
        text = resource.read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - a broken installation
        raise CatalogError(f"shipped catalog is missing: {exc}", path=str(resource)) from None
    return load_catalog_text(text, source=f"tutela/{SHIPPED_CATALOG}")


def load_catalog_text(text: str, *, source: str = "<catalog>") -> Catalog:
    """Parse catalog YAML; `source` names the file in errors."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = mark.line + 1 if mark is not None else None
        raise CatalogError(f"not valid YAML: {problem}", path=source, line=line) from None
    if not isinstance(data, dict):
        raise CatalogError(
            "not a tutela catalog: expected a mapping with policy_id, requirements, ... "
            "(make one with `tutela catalog import POLICY.md -o FILE`)",
            path=source,
            line=1,
        )
    found = data.get("format", CATALOG_FORMAT)
    if found != CATALOG_FORMAT:
        raise CatalogError(
            f"unsupported catalog format {found!r} (this tutela reads {CATALOG_FORMAT!r})",
            path=source,
            line=_line_of(text, ("format",)),
        )
    try:
        return Catalog.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        loc = tuple(first["loc"])
        described = [_describe(error["loc"], error["msg"]) for error in errors[:3]]
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise CatalogError(
            "invalid catalog: " + "; ".join(described) + more,
            path=source,
            line=_line_of(text, loc),
        ) from None


def _describe(loc: tuple[int | str, ...], message: str) -> str:
    where = ""
    for part in loc:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    return f"{where or 'catalog'}: {message}"


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best-effort line (1-based) of the node at `loc` in the YAML text."""
    try:
        node: Any = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:  # pragma: no cover - already parsed once
        return None
    line: int | None = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((value for key, value in node.value if key.value == part), None)
            if match is None:
                break
            node = match
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


# --------------------------------------------------------------------------- dumping


class _Dumper(yaml.SafeDumper):
    """Names anchors after what they hold (`ref-hitrust-06.a-l269`) instead of `id001`."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # indent sequences inside mappings ("key:\n  - item"), as most YAML is written
        super().increase_indent(flow, False)

    def generate_anchor(self, node: yaml.Node) -> str:
        fields: dict[str, str] = {}
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
                    fields[str(key.value)] = str(value.value)
        if "framework" in fields and "control" in fields and "line" in fields:
            name = f"ref-{fields['framework']}-{fields['control']}-l{fields['line']}".lower()
            name = re.sub(r"[^0-9a-z_]+", "-", name).strip("-")
            anchor = name
            serial = 2
            while anchor in self.anchors.values():
                anchor = f"{name}-{serial}"
                serial += 1
            return anchor
        return str(super().generate_anchor(node))


def dump_catalog(catalog: Catalog) -> str:
    """The catalog as YAML text (the shipped file's format)."""
    data = catalog.model_dump(mode="json")
    shared: dict[tuple[Any, ...], dict[str, Any]] = {}
    for requirement in data["requirements"]:
        requirement["references"] = [
            shared.setdefault(tuple(sorted(ref.items())), ref) for ref in requirement["references"]
        ]
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    header = _HEADER.format(format=CATALOG_FORMAT, source=catalog.source or "a policy")
    return header + body

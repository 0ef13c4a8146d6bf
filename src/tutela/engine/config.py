"""Scan configuration: `.tutela.toml` or `[tool.tutela]` in pyproject.toml, then the command line.

# .tutela.toml
rules = ["3.3", "NET*"]        # codes, names, requirement ids or sections; default all
skip_rules = ["FN002"]
severity = "medium"            # evaluate rules of this severity and above
fail_on = "high"               # exit 1 when a failure reaches this severity
var_files = ["env/prod.tfvars"]
exclude = ["legacy/**"]

[settings]
log_retention_days = 400
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tutela.errors import ConfigError
from tutela.rules.api import Severity
from tutela.rules.settings import Settings

CONFIG_NAMES = (".tutela.toml", "tutela.toml")
_KEYS = {
    "rules",
    "skip_rules",
    "severity",
    "fail_on",
    "var_files",
    "exclude",
    "settings",
    "inline_suppressions",
}


@dataclass(frozen=True)
class ScanConfig:
    rules: tuple[str, ...] = ()
    skip_rules: tuple[str, ...] = ()
    severity: Severity | None = None
    fail_on: Severity = Severity.LOW
    var_files: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    inline_suppressions: bool = True
    settings: Settings = field(default_factory=Settings)
    origin: Path | None = None

    def merged(self, **overrides: Any) -> ScanConfig:
        """Command-line values win over the file where given (None/empty = not given)."""
        given = {k: v for k, v in overrides.items() if v not in (None, (), [])}
        return replace(self, **given)


def find_config(start: Path) -> Path | None:
    """The nearest `.tutela.toml`, or a pyproject.toml with `[tool.tutela]`, upward from `start`."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.tutela" in pyproject.read_text(errors="replace"):
            return pyproject
        if (folder / ".git").exists():
            break
    return None


def load_config(path: Path | None) -> ScanConfig:
    if path is None:
        return ScanConfig()
    try:
        data = tomllib.loads(path.read_text())
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("tutela", {})
    return parse_config(data, origin=path)


def parse_config(data: dict[str, Any], *, origin: Path) -> ScanConfig:
    unknown = set(data) - _KEYS
    if unknown:
        raise ConfigError(
            f"{origin}: unknown key(s) {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(_KEYS))})"
        )

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{origin}: {key} must be a list of strings")
        return tuple(value)

    def severity(key: str) -> Severity | None:
        if key not in data:
            return None
        try:
            return Severity.parse(str(data[key]))
        except ValueError as exc:
            raise ConfigError(f"{origin}: {key}: {exc}") from exc

    settings_data = data.get("settings", {})
    if not isinstance(settings_data, dict):
        raise ConfigError(f"{origin}: [settings] must be a table")
    inline = data.get("inline_suppressions", True)
    if not isinstance(inline, bool):
        raise ConfigError(f"{origin}: inline_suppressions must be true or false")
    return ScanConfig(
        rules=strings("rules"),
        skip_rules=strings("skip_rules"),
        severity=severity("severity"),
        fail_on=severity("fail_on") or Severity.LOW,
        var_files=tuple(origin.parent / p for p in strings("var_files")),
        exclude=strings("exclude"),
        inline_suppressions=inline,
        settings=Settings.from_mapping(settings_data, origin=f"{origin} [settings]"),
        origin=origin,
    )

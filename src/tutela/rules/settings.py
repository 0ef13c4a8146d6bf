"""Thresholds an organisation may set, with documented defaults.

They live under `[settings]` in `.tutela.toml` (or `[tool.tutela.settings]`
in pyproject.toml) and reach rules that take a `settings` parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from tutela.errors import ConfigError

# AWS regions in the United States, where a US healthcare company's ePHI usually must stay.
DEFAULT_APPROVED_REGIONS = ("us-east-1", "us-east-2", "us-west-1", "us-west-2")


@dataclass(frozen=True, slots=True)
class Settings:
    """Organisation thresholds used by rules.

    - approved_regions: where resources may live (3.1.1 data residency).
    - log_retention_days: minimum log retention (3.7.1), default one year.
    - backup_retention_days: minimum automated backup retention (3.6.1).
    - function_timeout_max_seconds: a function timeout at or above this fails (3.5.2);
      900 is the platform maximum.
    - approved_registries: image registries workloads may pull from (3.5.1);
      empty = any private one.
    - ephi_tag_keys / ephi_tag_values: tags that mark a resource as holding ePHI (3.3.2).
    """

    approved_regions: tuple[str, ...] = DEFAULT_APPROVED_REGIONS
    log_retention_days: int = 365
    backup_retention_days: int = 7
    function_timeout_max_seconds: int = 900
    approved_registries: tuple[str, ...] = ()
    ephi_tag_keys: tuple[str, ...] = ("data_classification", "DataClassification", "ephi", "phi")
    ephi_tag_values: tuple[str, ...] = ("ephi", "phi", "sensitive", "restricted", "true")
    minimum_tls_version: str = "1.2"

    @classmethod
    def from_mapping(cls, data: dict[str, Any], *, origin: str = "settings") -> Settings:
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            name = key.replace("-", "_")
            if name not in known:
                raise ConfigError(f"{origin}: unknown setting {key!r} (known: {', '.join(known)})")
            default = getattr(cls(), name)
            if isinstance(default, tuple):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ConfigError(f"{origin}: setting {key!r} must be a list of strings")
                values[name] = tuple(value)
            elif isinstance(default, bool) or not isinstance(value, type(default)):
                raise ConfigError(
                    f"{origin}: setting {key!r} must be {type(default).__name__}, got {value!r}"
                )
            else:
                values[name] = value
        return cls(**values)

    def is_ephi(self, tags: object) -> bool:
        """True when `tags` mark the resource as holding ePHI."""
        if not isinstance(tags, dict) and not hasattr(tags, "items"):
            return False
        keys = {k.lower() for k in self.ephi_tag_keys}
        wanted = {v.lower() for v in self.ephi_tag_values}
        items = tags.items()
        return any(str(k).lower() in keys and str(v).lower() in wanted for k, v in items)


DEFAULT_SETTINGS = Settings()

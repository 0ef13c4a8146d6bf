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
# Azure regions in the United States (commercial cloud).
DEFAULT_APPROVED_AZURE_LOCATIONS = (
    "eastus", "eastus2", "centralus", "northcentralus", "southcentralus",
    "westus", "westus2", "westus3", "westcentralus",
)

# Google Cloud locations in the United States: regions, the US multi-region and the
# US-only predefined dual-region (nam4 = us-central1 + us-east1).
DEFAULT_APPROVED_GCP_LOCATIONS = (
    "us", "nam4", "us-central1", "us-east1", "us-east4", "us-east5", "us-south1",
    "us-west1", "us-west2", "us-west3", "us-west4",
)


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
    - kms_deletion_window_min_days: the shortest pending-deletion window a KMS key may have
      (3.3.2.b.5); default 14 days (AWS allows 7-30 and defaults to 30).
    - secret_rotation_max_days: the longest interval between automatic secret rotations
      (3.2.1.b.2); default 90 days.
    - admin_session_max_seconds: the longest session a human-assumable administrator role
      may grant (3.2.1.a.5, just-in-time access); default one hour.
    - allowed_capabilities: Linux capabilities Kubernetes containers may add even though
      tutela counts them as dangerous (e.g. NET_ADMIN for a CNI agent) (3.5.1).
    - min_run_as_user: the lowest UID a `runAsUser` may name (3.5.1); default 10000, above
      the range of users that exist on nodes.
    - minimal_base_images: glob patterns (`gcr.io/distroless/*`, `*/ubi9/ubi-minimal*`) of
      the approved minimal base images a Dockerfile's final stage may use (3.5.1.a.2,
      3.1.2.b.1); empty = tutela's built-in families (distroless, Chainguard, Alpine,
      slim, chiseled, UBI minimal/micro, scratch, busybox).
    - approved_azure_locations: Azure locations resources may live in (3.1.1 data
      residency), lower case without spaces (`eastus`); display names are normalized.
    - approved_gcp_locations: Google Cloud locations resources may live in (3.1.1 data
      residency): regions, multi-regions (`us`) and dual-regions (`nam4`), lower case;
      a zone counts as its region.
    - high_value_key_tags: `key=value` tags or labels that mark a key as high-value, to
      be protected by an HSM (3.3.2.a.5); keys are matched case-insensitively.
    - public_exposure_tags: `key=value` tags or labels that mark a service as public by
      design (a webhook, a public API): rules on unauthenticated access and ingress
      treat it as intended (3.5.2).
    """

    approved_regions: tuple[str, ...] = DEFAULT_APPROVED_REGIONS
    log_retention_days: int = 365
    backup_retention_days: int = 7
    function_timeout_max_seconds: int = 900
    approved_registries: tuple[str, ...] = ()
    ephi_tag_keys: tuple[str, ...] = ("data_classification", "DataClassification", "ephi", "phi")
    ephi_tag_values: tuple[str, ...] = ("ephi", "phi", "sensitive", "restricted", "true")
    minimum_tls_version: str = "1.2"
    kms_deletion_window_min_days: int = 14
    secret_rotation_max_days: int = 90
    admin_session_max_seconds: int = 3600
    allowed_capabilities: tuple[str, ...] = ()
    min_run_as_user: int = 10000
    minimal_base_images: tuple[str, ...] = ()
    approved_azure_locations: tuple[str, ...] = DEFAULT_APPROVED_AZURE_LOCATIONS
    approved_gcp_locations: tuple[str, ...] = DEFAULT_APPROVED_GCP_LOCATIONS
    high_value_key_tags: tuple[str, ...] = (
        "high_value=true", "high-value=true", "key_class=high_value", "key_class=high-value",
        "key_protection=hsm",
    )
    public_exposure_tags: tuple[str, ...] = (
        "public=true", "exposure=public", "access=public", "internet_facing=true",
        "internet-facing=true",
    )

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

    def has_tag(self, tags: object, pairs: tuple[str, ...]) -> bool:
        """True when `tags` hold one of the `key=value` `pairs` (case-insensitive)."""
        if not isinstance(tags, dict) and not hasattr(tags, "items"):
            return False
        wanted = {tuple(p.lower().split("=", 1)) for p in pairs if "=" in p}
        return any((str(k).lower(), str(v).lower()) in wanted for k, v in tags.items())


DEFAULT_SETTINGS = Settings()

"""The base of every normalized resource.

Resources are frozen dataclasses. Each one knows where it came from: an IaC
file and line range (`location`, plus `field_locations` for individual
fields) or, for live inventories, an ARN. Sources and collectors fill them;
rules read them; nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

from tutela.model.values import Location, Unknown

EMPTY: Mapping[str, Any] = MappingProxyType({})

# Where a resource came from.
SOURCE_TERRAFORM = "terraform"
SOURCE_TERRAFORM_PLAN = "terraform-plan"
SOURCE_CLOUDFORMATION = "cloudformation"
SOURCE_KUBERNETES = "kubernetes"
SOURCE_DOCKERFILE = "dockerfile"
SOURCE_AWS = "aws"
# Which sources can produce resources of a provider's model types.
SOURCES_BY_PROVIDER: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "aws": (SOURCE_TERRAFORM, SOURCE_TERRAFORM_PLAN, SOURCE_CLOUDFORMATION, SOURCE_AWS),
        "azure": (SOURCE_TERRAFORM, SOURCE_TERRAFORM_PLAN),
        "gcp": (SOURCE_TERRAFORM, SOURCE_TERRAFORM_PLAN),
        "kubernetes": (SOURCE_KUBERNETES,),
        "docker": (SOURCE_DOCKERFILE,),
        "tutela": (SOURCE_TERRAFORM, SOURCE_CLOUDFORMATION, SOURCE_KUBERNETES, SOURCE_DOCKERFILE),
    }
)
SOURCES = (
    SOURCE_TERRAFORM,
    SOURCE_TERRAFORM_PLAN,
    SOURCE_CLOUDFORMATION,
    SOURCE_KUBERNETES,
    SOURCE_DOCKERFILE,
    SOURCE_AWS,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    """A normalized resource.

    - `address`: the IaC address (`module.db.aws_db_instance.main`, a
      CloudFormation logical id, `Deployment/payments/api`) or, live, the ARN.
    - `native_type`: the source's own type name (`aws_s3_bucket`, `AWS::S3::Bucket`).
    - `source`: one of SOURCES.
    - `location`: file and line range of the declaration (None for live resources).
    - `field_locations`: location of individual fields, keyed by the field path
      that rules name in `at=` (`encryption`, `containers[1].security_context`).
    - `tags`: tags or labels; `region`: where it lives, when known.
    """

    kind: ClassVar[str] = "resource"
    provider: ClassVar[str] = ""

    address: str
    native_type: str
    source: str
    location: Location | None = None
    field_locations: Mapping[str, Location] = field(
        default_factory=lambda: EMPTY, compare=False, repr=False
    )
    arn: str | None = None
    region: str | Unknown | None = None
    tags: Mapping[str, str] | Unknown = field(default_factory=lambda: EMPTY)
    name: str | Unknown | None = None

    def location_of(self, path: str | None) -> Location | None:
        """The most precise known location of `path`: its own, its parents', or the resource's."""
        if path:
            probe = path
            while probe:
                loc = self.field_locations.get(probe)
                if loc is not None:
                    return loc
                cut = max(probe.rfind("."), probe.rfind("["))
                probe = probe[:cut] if cut > 0 else ""
        return self.location

    @property
    def display_name(self) -> str:
        return self.address

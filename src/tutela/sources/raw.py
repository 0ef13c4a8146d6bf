"""What a parser hands to the adapters: evaluated, located, format-specific objects.

Terraform HCL and Terraform plan JSON both produce `RawResource`s in the
provider schema's shape (attributes by name, nested blocks as lists of dicts),
so one adapter per resource type serves both. CloudFormation produces the same
structure with `Properties` as attributes. Adapters then fold raw resources
into the normalized model (`tutela.model`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tutela.model.values import Location


@dataclass(frozen=True, slots=True)
class RawResource:
    """One evaluated IaC object (one instance, after count/for_each expansion).

    - `address`: unique within its source, e.g. `module.net.aws_security_group.web["a"]`,
      `data.aws_iam_policy_document.p`, or a CloudFormation logical id.
    - `type`: the provider's type name (`aws_s3_bucket`, `AWS::S3::Bucket`).
    - `mode`: `managed` or `data` (Terraform); `resource` for CloudFormation.
    - `attributes`: JSON-like values whose leaves may be `Unknown` or `Reference`;
      nested blocks are lists of dicts, as in `terraform show -json`.
    - `location`: the block's file and line range.
    - `attribute_locations`: best-effort location per top-level attribute or block name.
    - `source`: `terraform`, `terraform-plan` or `cloudformation`.
    - `module`: the module path (`module.net`), empty at the root.
    """

    address: str
    type: str
    mode: str
    attributes: Mapping[str, Any]
    location: Location
    source: str
    attribute_locations: Mapping[str, Location] = field(default_factory=dict)
    module: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class ParseError:
    """A file that could not be read; reported in every output, never fatal to a scan."""

    file: str
    line: int | None
    column: int | None
    message: str
    source: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class RawParseResult:
    """Raw resources read from some files, and the errors of the files that failed."""

    resources: tuple[RawResource, ...]
    errors: tuple[ParseError, ...] = ()

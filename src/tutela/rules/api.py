"""The rule API: a rule is one decorated pure function over a model type.

    @rule(code="ENC001", controls=("3.3.1.a.3",), severity=Severity.HIGH,
          remediation="...")
    def bucket_encrypted_at_rest(bucket: S3Bucket) -> Verdict:
        '''Object storage is encrypted at rest.

        Why: ...
        '''

The resource kind comes from the first parameter's annotation; title and
rationale from the docstring. A rule may also take `settings: Settings` (the
organisation's thresholds) and `inventory: Inventory` (every resource of the
scan, for cross-resource checks). It returns one Verdict or an iterable of
Verdicts (e.g. one per container). The decorator registers nothing: it returns
a `Rule` value; rule sets are built from such values.

A per-part rule (one verdict per container, statement, ingress rule,
instruction...) yields a failure, or an unknown, for each offending part and a
single pass when no part gave one. `or_passed` adds that pass:

    def container_not_privileged(workload: Workload) -> Iterator[Verdict]:
        return or_passed(
            failed(f"container {c.name} is privileged", subject=c.name)
            for c in workload.pod.containers
            if c.security_context.privileged
        )

When the loop is longer (unknowns too, `continue`s), write it as a local
generator and pass that: `return or_passed(problems(), "every image is pinned")`.
A rule that also yields verdicts of its own (an early not-applicable or
unknown) is a generator, so it ends with `yield from or_passed(...)` instead.
"""

from __future__ import annotations

import enum
import inspect
import textwrap
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tutela.model.base import SOURCES_BY_PROVIDER, Resource

if TYPE_CHECKING:
    pass


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {names})") from None


class Status(enum.Enum):
    """The honest outcome of one (rule, resource) evaluation."""

    PASS = "pass"
    FAIL = "fail"
    NOT_EVALUATED = "not_evaluated"
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"
    SUPPRESSED = "suppressed"
    WAIVED = "waived"


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    message: str = ""
    at: str | None = None  # the offending field path, turned into file:line or ARN by the engine
    subject: str | None = None  # a part of the resource (a container, a rule) for per-part verdicts


def passed(message: str = "", *, at: str | None = None, subject: str | None = None) -> Verdict:
    return Verdict(Status.PASS, message, at, subject)


def failed(message: str, *, at: str | None = None, subject: str | None = None) -> Verdict:
    return Verdict(Status.FAIL, message, at, subject)


def unknown(message: str, *, at: str | None = None, subject: str | None = None) -> Verdict:
    """Not evaluated: the value the rule needs is not known (before apply, or not collected)."""
    return Verdict(Status.NOT_EVALUATED, message, at, subject)


def not_applicable(message: str, *, at: str | None = None, subject: str | None = None) -> Verdict:
    return Verdict(Status.NOT_APPLICABLE, message, at, subject)


def or_passed(verdicts: Iterable[Verdict], message: str = "") -> Iterator[Verdict]:
    """The verdicts of a per-part rule, in order, then one pass if there were none.

    Any verdict (a failure, an unknown...) means no pass is added: a part that could
    not be judged keeps the resource from passing. `message` is the pass's message.
    """
    given = False
    for verdict in verdicts:
        given = True
        yield verdict
    if not given:
        yield passed(message)


RuleResult = Verdict | Iterable[Verdict]


class RuleDefinitionError(TypeError):
    """A rule function whose signature or metadata is not usable."""


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """A rule: the function plus everything the docs, reports and catalog need."""

    code: str
    name: str
    title: str
    description: str
    controls: tuple[str, ...]
    severity: Severity
    remediation: str
    resource_type: type[Resource]
    function: Callable[..., RuleResult] = field(repr=False)
    wants_settings: bool = False
    wants_inventory: bool = False
    remediation_snippets: Mapping[str, str] = field(default_factory=dict, repr=False)
    references: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return "rule"

    @property
    def resource_kind(self) -> str:
        return self.resource_type.kind

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources whose resources this rule judges (terraform, cloudformation...)."""
        return SOURCES_BY_PROVIDER.get(self.resource_type.provider, ())

    def __call__(self, resource: Resource, **extra: Any) -> RuleResult:
        return self.function(resource, **extra)

    def __hash__(self) -> int:
        return hash(self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rule) and other.code == self.code


def _split_docstring(doc: str | None, name: str) -> tuple[str, str]:
    if not doc or not doc.strip():
        raise RuleDefinitionError(f"rule {name} needs a docstring (its title and rationale)")
    text = inspect.cleandoc(doc)
    title, _, rest = text.partition("\n")
    return title.strip().rstrip("."), textwrap.dedent(rest).strip()


def rule(
    *,
    code: str,
    controls: tuple[str, ...],
    severity: Severity,
    remediation: str,
    snippets: Mapping[str, str] | None = None,
    references: tuple[str, ...] = (),
) -> Callable[[Callable[..., RuleResult]], Rule]:
    """Turn a function over one model type into a `Rule`.

    `snippets` holds remediation examples keyed by format (`terraform`,
    `cloudformation`, `kubernetes`, `dockerfile`).
    """
    if not controls:
        raise RuleDefinitionError(f"rule {code} must verify at least one requirement")

    def wrap(fn: Callable[..., RuleResult]) -> Rule:
        hints = typing.get_type_hints(fn)
        params = list(inspect.signature(fn).parameters)
        if not params:
            raise RuleDefinitionError(f"rule {code} ({fn.__name__}) takes no resource parameter")
        resource_type = hints.get(params[0])
        if not (isinstance(resource_type, type) and issubclass(resource_type, Resource)):
            raise RuleDefinitionError(
                f"rule {code} ({fn.__name__}): first parameter must be annotated with a model type"
            )
        unknown_params = set(params[1:]) - {"settings", "inventory"}
        if unknown_params:
            raise RuleDefinitionError(
                f"rule {code}: unexpected parameters {sorted(unknown_params)} "
                "(only `settings` and `inventory` may follow the resource)"
            )
        title, description = _split_docstring(fn.__doc__, fn.__name__)
        return Rule(
            code=code,
            name=fn.__name__,
            title=title,
            description=description,
            controls=tuple(controls),
            severity=severity,
            remediation=inspect.cleandoc(remediation),
            resource_type=resource_type,
            function=fn,
            wants_settings="settings" in params,
            wants_inventory="inventory" in params,
            remediation_snippets={k: inspect.cleandoc(v) for k, v in (snippets or {}).items()},
            references=references,
        )

    return wrap

"""Rule sets are values: built from rules, selected, indexed by resource type."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase

from tutela.errors import ConfigError
from tutela.model.base import Resource
from tutela.rules.api import Rule, Severity


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        seen: dict[str, Rule] = {}
        for r in self.rules:
            if r.code in seen:
                raise ConfigError(f"duplicate rule code {r.code}: {seen[r.code].name} and {r.name}")
            seen[r.code] = r
        object.__setattr__(self, "_by_code", seen)
        object.__setattr__(self, "_dispatch", {})

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> RuleSet:
        return cls(tuple(sorted(rules, key=lambda r: r.code)))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, code: str) -> Rule | None:
        by_code: dict[str, Rule] = self._by_code  # type: ignore[attr-defined]
        return by_code.get(code.upper())

    def for_type(self, resource_type: type[Resource]) -> tuple[Rule, ...]:
        """Rules that apply to `resource_type` (cached: dispatch is by type, not by scan)."""
        cache: dict[type[Resource], tuple[Rule, ...]] = self._dispatch  # type: ignore[attr-defined]
        hit = cache.get(resource_type)
        if hit is None:
            hit = tuple(r for r in self.rules if issubclass(resource_type, r.resource_type))
            cache[resource_type] = hit
        return hit

    def select(
        self,
        *,
        include: Iterable[str] = (),
        exclude: Iterable[str] = (),
        min_severity: Severity | None = None,
        strict: bool = True,
    ) -> RuleSet:
        """Keep rules matching `include` (codes, names, requirement ids or section prefixes,
        with `*` wildcards), drop `exclude`, keep `min_severity` and above. `strict`: a
        pattern that matches no rule is a ConfigError (a typo must not select nothing)."""
        inc = [p.strip() for p in include if p.strip()]
        exc = [p.strip() for p in exclude if p.strip()]
        for pattern in (*inc, *exc) if strict else ():
            if not any(_matches(r, pattern) for r in self.rules):
                raise ConfigError(f"no rule matches {pattern!r}")
        kept = [
            r
            for r in self.rules
            if (not inc or any(_matches(r, p) for p in inc))
            and not any(_matches(r, p) for p in exc)
            and (min_severity is None or r.severity >= min_severity)
        ]
        return RuleSet(tuple(kept))


@dataclass(frozen=True)
class RuleSelection:
    """Which shipped rules to run (the command line and `.tutela.toml`), applied to the
    rules of the providers a scan finds: a Terraform-only scan never imports the Azure,
    GCP or Kubernetes rules."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_severity: Severity | None = None

    def check(self) -> None:
        """Raise ConfigError for a pattern no shipped rule matches (imports every rule,
        so only when there are patterns)."""
        if self.include or self.exclude:
            self.ruleset()

    def ruleset(self, providers: Collection[str] | None = None) -> RuleSet:
        """The selected rules, of `providers` only when given."""
        from tutela.rules import default_rules

        return RuleSet.of(default_rules(providers)).select(
            include=self.include,
            exclude=self.exclude,
            min_severity=self.min_severity,
            strict=providers is None,
        )


def _matches(rule: Rule, pattern: str) -> bool:
    p = pattern.lower()
    if fnmatchcase(rule.code.lower(), p) or fnmatchcase(rule.name.lower(), p):
        return True
    # A requirement id or section prefix: "3.3.1.a.3", "3.3", "3.3.1"
    return any(c == pattern or c.startswith(pattern + ".") for c in rule.controls)

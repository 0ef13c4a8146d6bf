"""Waivers: the policy's approved, expiring exceptions (ENG-POL-003 3.2.2 exception handling).

A waiver lives in a reviewable YAML file in the repository,
`.tutela-waivers.yaml`:

    version: 1
    max_days: 365            # longest allowed approval-to-expiry span (default 365)
    waivers:
      - id: W-0001
        rule: ENC001         # a rule code, or `requirement: 3.3.1.a.3`
        resource: "aws_s3_bucket.legacy_*"   # glob over the address or the ARN
        source: terraform    # optional: terraform, cloudformation, aws... (glob)
        account: "123456789012"              # optional: the account in the ARN
        reason: Legacy bucket, migrated in Q3
        requested_by: alice
        approved_by: [bob, carol]
        approved_on: 2025-01-10
        expires_on: 2025-07-10

Rules (after the policy's multi-person authorization):

- the requester never approves their own waiver;
- a waiver that covers a critical rule needs two distinct approvers, neither
  the requester;
- the expiry is mandatory and at most `max_days` after approval.

`apply_waivers` turns FAIL findings covered by a valid, current waiver into
WAIVED ones (they stay visible, with the waiver id); a waiver whose expiry
has passed stops applying and is reported; an invalid one never applies.
`lint_waivers` names every problem with file and line for CI.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from tutela.engine.findings import Finding
from tutela.errors import TutelaError
from tutela.rules.api import Severity, Status

WAIVER_FILE = ".tutela-waivers.yaml"
DEFAULT_MAX_DAYS = 365
FILE_VERSION = 1

_TOP_KEYS = {"version", "max_days", "waivers"}
_REQUIRED = ("id", "reason", "requested_by", "approved_by", "approved_on", "expires_on")
_OPTIONAL = ("rule", "requirement", "resource", "source", "account")
_KEYS = set(_REQUIRED) | set(_OPTIONAL)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


class WaiverError(TutelaError):
    """A waiver file that cannot be read, or a waiver that may not be added."""


class ProblemKind(enum.Enum):
    MALFORMED = "malformed"
    SELF_APPROVED = "self_approved"
    APPROVERS = "approvers"  # too few distinct approvers for the severity
    EXPIRED = "expired"
    OVER_LONG = "over_long"
    NOT_YET_APPROVED = "not_yet_approved"
    UNKNOWN_SCOPE = "unknown_scope"  # a rule or requirement that does not exist


@dataclass(frozen=True, slots=True)
class WaiverProblem:
    kind: ProblemKind
    message: str
    waiver_id: str | None = None
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line is not None else f"{self.file}: "
        who = f"{self.waiver_id}: " if self.waiver_id else ""
        return f"{where}{who}{self.message}"


@dataclass(frozen=True, slots=True)
class Waiver:
    id: str
    reason: str
    requested_by: str
    approved_by: tuple[str, ...]
    approved_on: date
    expires_on: date
    rule: str | None = None
    requirement: str | None = None
    resource: str = "*"
    source: str | None = None
    account: str | None = None
    line: int | None = field(default=None, compare=False)

    @property
    def scope(self) -> str:
        what = f"rule {self.rule}" if self.rule else f"requirement {self.requirement}"
        extra = "".join(
            f" {k} {v}" for k, v in (("source", self.source), ("account", self.account)) if v
        )
        return f"{what} on {self.resource}{extra}"

    def distinct_approvers(self) -> tuple[str, ...]:
        """Approvers other than the requester, each once (case-insensitive)."""
        seen: dict[str, str] = {}
        requester = _person(self.requested_by)
        for name in self.approved_by:
            key = _person(name)
            if key and key != requester:
                seen.setdefault(key, name.strip())
        return tuple(seen.values())

    def self_approved(self) -> bool:
        requester = _person(self.requested_by)
        return any(_person(a) == requester for a in self.approved_by)

    def is_expired(self, today: date) -> bool:
        """Valid through its expiry date; expired the day after."""
        return today > self.expires_on

    def is_current(self, today: date) -> bool:
        return self.approved_on <= today <= self.expires_on

    def covers(self, finding: Finding) -> bool:
        """Whether the finding is in the waiver's scope (validity aside)."""
        if self.rule is not None and finding.rule_code.upper() != self.rule.upper():
            return False
        if self.requirement is not None and self.requirement not in finding.controls:
            return False
        if not (
            fnmatchcase(finding.resource_address, self.resource)
            or (finding.arn is not None and fnmatchcase(finding.arn, self.resource))
        ):
            return False
        if self.source is not None and not fnmatchcase(finding.source, self.source):
            return False
        return self.account is None or _arn_account(finding.arn) == self.account

    def to_dict(self) -> dict[str, Any]:
        """The YAML entry (dates as ISO text), keys in file order, optional ones when set."""
        data: dict[str, Any] = {"id": self.id}
        if self.rule is not None:
            data["rule"] = self.rule
        if self.requirement is not None:
            data["requirement"] = self.requirement
        data["resource"] = self.resource
        if self.source is not None:
            data["source"] = self.source
        if self.account is not None:
            data["account"] = self.account
        data.update(
            reason=self.reason,
            requested_by=self.requested_by,
            approved_by=list(self.approved_by),
            approved_on=self.approved_on.isoformat(),
            expires_on=self.expires_on.isoformat(),
        )
        return data


def _person(name: str) -> str:
    return " ".join(name.split()).casefold()


def _arn_account(arn: str | None) -> str | None:
    if not arn or not arn.startswith("arn:"):
        return None
    parts = arn.split(":", 5)
    return parts[4] or None if len(parts) > 4 else None


@dataclass(frozen=True)
class WaiverFile:
    """A loaded waiver file: the well-formed waivers and the entries that were not."""

    path: Path | None
    waivers: tuple[Waiver, ...] = ()
    max_days: int = DEFAULT_MAX_DAYS
    problems: tuple[WaiverProblem, ...] = ()

    def get(self, waiver_id: str) -> Waiver | None:
        return next((w for w in self.waivers if w.id == waiver_id), None)


# --------------------------------------------------------------------------- reading


def find_waiver_file(start: Path) -> Path | None:
    """The nearest `.tutela-waivers.yaml` upward from `start` (stops at a git root)."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / WAIVER_FILE
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            break
    return None


def load_waivers(path: Path) -> WaiverFile:
    """Read a waiver file. A missing file has no waivers; a syntax error raises WaiverError;
    malformed entries are left out and listed in `problems`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return WaiverFile(path=path)
    except OSError as exc:
        raise WaiverError(f"{path}: cannot read: {exc.strerror}") from exc
    return parse_waivers(text, path=path)


def parse_waivers(text: str, *, path: Path | None = None) -> WaiverFile:
    from tutela.sources.yamlmarks import YamlMarksError, load_yaml_marked

    name = str(path) if path is not None else "<waivers>"
    try:
        docs = load_yaml_marked(text)
    except YamlMarksError as exc:
        raise WaiverError(f"{name}:{exc.line or 1}: invalid YAML: {exc.message}") from exc
    if not docs or docs[0].value is None:
        return WaiverFile(path=path)
    doc = docs[0]
    problems: list[WaiverProblem] = []

    def problem(message: str, line: int | None, waiver_id: str | None = None) -> None:
        problems.append(WaiverProblem(ProblemKind.MALFORMED, message, waiver_id, name, line))

    def line_of(*key: str | int) -> int | None:
        span = doc.span(*key)
        return span.first_line if span is not None else None

    root = doc.value
    if not isinstance(root, dict):
        raise WaiverError(f"{name}:1: a waiver file is a mapping with a `waivers` list")
    for key in root:
        if key not in _TOP_KEYS:
            problem(f"unknown key {key!r} (expected {', '.join(sorted(_TOP_KEYS))})", line_of(key))
    version = root.get("version", FILE_VERSION)
    if version != FILE_VERSION:
        problem(
            f"unsupported version {version!r} (this tutela reads version 1)", line_of("version")
        )
    max_days = root.get("max_days", DEFAULT_MAX_DAYS)
    if isinstance(max_days, bool) or not isinstance(max_days, int) or max_days < 1:
        problem(
            f"max_days must be a positive number of days, not {max_days!r}", line_of("max_days")
        )
        max_days = DEFAULT_MAX_DAYS
    entries = root.get("waivers") or []
    if not isinstance(entries, list):
        raise WaiverError(f"{name}:{line_of('waivers') or 1}: `waivers` must be a list")

    waivers: list[Waiver] = []
    seen: dict[str, int | None] = {}
    for index, entry in enumerate(entries):
        line = line_of("waivers", index)
        if not isinstance(entry, dict):
            problem("a waiver is a mapping of fields", line)
            continue
        wid = entry.get("id")
        wid = str(wid) if wid is not None else None
        errors: list[tuple[str, int | None]] = []
        for key in entry:
            if key not in _KEYS:
                errors.append((f"unknown field {key!r}", line_of("waivers", index, key)))
        for key in _REQUIRED:
            if entry.get(key) in (None, "", []):
                errors.append((f"missing {key}", line))
        if wid is not None and not _ID.match(wid):
            errors.append((f"invalid id {wid!r}", line_of("waivers", index, "id")))
        rule, requirement = entry.get("rule"), entry.get("requirement")
        if (rule is None) == (requirement is None):
            errors.append(("give exactly one of `rule` or `requirement` as its scope", line))
        values: dict[str, Any] = {}
        for key in (
            "reason",
            "requested_by",
            "rule",
            "requirement",
            "resource",
            "source",
            "account",
        ):
            value = entry.get(key)
            if value is None:
                continue
            if isinstance(value, bool | dict | list):
                errors.append((f"{key} must be text", line_of("waivers", index, key)))
                continue
            values[key] = str(value).strip()
        approvers = entry.get("approved_by")
        if isinstance(approvers, str):
            approvers = [approvers]
        if approvers is not None and (
            not isinstance(approvers, list)
            or not all(isinstance(a, str) and a.strip() for a in approvers)
        ):
            errors.append(
                (
                    "approved_by must be a name or a list of names",
                    line_of("waivers", index, "approved_by"),
                )
            )
            approvers = None
        dates: dict[str, date] = {}
        for key in ("approved_on", "expires_on"):
            raw = entry.get(key)
            if raw is None:
                continue
            try:
                dates[key] = date.fromisoformat(str(raw).strip())
            except ValueError:
                errors.append(
                    (
                        f"{key} must be a date (YYYY-MM-DD), not {raw!r}",
                        line_of("waivers", index, key),
                    )
                )
        if wid is not None and wid in seen:
            errors.append((f"duplicate id (also on line {seen[wid]})", line))
        if wid is not None:
            seen.setdefault(wid, line)
        if errors:
            for message, where in errors:
                problem(message, where or line, wid)
            continue
        assert wid is not None and approvers is not None
        waivers.append(
            Waiver(
                id=wid,
                reason=values["reason"],
                requested_by=values["requested_by"],
                approved_by=tuple(a.strip() for a in approvers),
                approved_on=dates["approved_on"],
                expires_on=dates["expires_on"],
                rule=values.get("rule"),
                requirement=values.get("requirement"),
                resource=values.get("resource") or "*",
                source=values.get("source"),
                account=values.get("account"),
                line=line,
            )
        )
    return WaiverFile(
        path=path, waivers=tuple(waivers), max_days=max_days, problems=tuple(problems)
    )


# --------------------------------------------------------------------------- rules


def waiver_severity(
    waiver: Waiver,
    rule_severity: Mapping[str, Severity],
    requirement_severity: Mapping[str, Severity],
) -> Severity | None:
    """The severity a waiver is judged at: its rule's, or the highest of its requirement's rules."""
    if waiver.rule is not None:
        return rule_severity.get(waiver.rule.upper())
    if waiver.requirement is not None:
        return requirement_severity.get(waiver.requirement)
    return None


@dataclass(frozen=True)
class WaiverRules:
    """What checking waivers needs to know: rule severities, known requirements, the max span."""

    rule_severity: Mapping[str, Severity] = field(default_factory=dict)
    requirement_severity: Mapping[str, Severity] = field(default_factory=dict)
    requirements: Collection[str] | None = None  # None: do not check requirement ids
    max_days: int = DEFAULT_MAX_DAYS

    @classmethod
    def from_rules(
        cls,
        rules: Iterable[Any],
        *,
        requirements: Collection[str] | None = None,
        max_days: int = DEFAULT_MAX_DAYS,
    ) -> WaiverRules:
        """From rule values (anything with `code`, `severity`, `controls`)."""
        by_code: dict[str, Severity] = {}
        by_req: dict[str, Severity] = {}
        for r in rules:
            by_code[r.code.upper()] = r.severity
            for c in r.controls:
                by_req[c] = max(by_req.get(c, Severity.INFO), r.severity)
        return cls(by_code, by_req, requirements, max_days)

    def severity(self, waiver: Waiver) -> Severity | None:
        return waiver_severity(waiver, self.rule_severity, self.requirement_severity)


def check_waiver(
    waiver: Waiver, rules: WaiverRules, *, today: date, file: str | None = None
) -> list[WaiverProblem]:
    """Every reason this waiver may not stand (empty when it is valid today)."""
    out: list[WaiverProblem] = []

    def add(kind: ProblemKind, message: str) -> None:
        out.append(WaiverProblem(kind, message, waiver.id, file, waiver.line))

    if waiver.self_approved():
        add(
            ProblemKind.SELF_APPROVED,
            f"self-approved: {waiver.requested_by} requested it and cannot approve it",
        )
    severity = rules.severity(waiver)
    if waiver.rule is not None and rules.rule_severity and severity is None:
        add(ProblemKind.UNKNOWN_SCOPE, f"unknown rule {waiver.rule}")
    if (
        waiver.requirement is not None
        and rules.requirements is not None
        and waiver.requirement not in rules.requirements
    ):
        add(ProblemKind.UNKNOWN_SCOPE, f"unknown requirement {waiver.requirement}")
    approvers = waiver.distinct_approvers()
    if not approvers:
        add(ProblemKind.APPROVERS, "needs an approver other than the requester")
    elif severity is Severity.CRITICAL and len(approvers) < 2:
        add(
            ProblemKind.APPROVERS,
            f"waives a critical rule: needs two distinct approvers, neither the requester "
            f"(has {', '.join(approvers)})",
        )
    if waiver.expires_on < waiver.approved_on:
        add(
            ProblemKind.MALFORMED,
            f"expires on {waiver.expires_on}, before its approval on {waiver.approved_on}",
        )
    limit = waiver.approved_on + timedelta(days=rules.max_days)
    if waiver.expires_on > limit:
        add(
            ProblemKind.OVER_LONG,
            f"over-long: expires on {waiver.expires_on}, more than {rules.max_days} days after "
            f"its approval on {waiver.approved_on} (at most {limit})",
        )
    if waiver.is_expired(today):
        add(
            ProblemKind.EXPIRED,
            f"expired on {waiver.expires_on} (remove it: tutela waiver expire {waiver.id})",
        )
    if waiver.approved_on > today:
        add(ProblemKind.NOT_YET_APPROVED, f"approved on {waiver.approved_on}, a date in the future")
    return out


def lint_waivers(loaded: WaiverFile, rules: WaiverRules, *, today: date) -> list[WaiverProblem]:
    """Malformed entries, then every rule broken by a well-formed one, in file order."""
    rules = replace(rules, max_days=loaded.max_days)
    name = str(loaded.path) if loaded.path is not None else None
    problems = list(loaded.problems)
    for waiver in loaded.waivers:
        problems.extend(check_waiver(waiver, rules, today=today, file=name))
    return sorted(problems, key=lambda p: p.line or 0)


# --------------------------------------------------------------------------- applying


@dataclass(frozen=True, slots=True)
class WaiverOutcome:
    findings: tuple[Finding, ...]
    applied: Mapping[str, int]  # waiver id -> findings waived
    expired: tuple[Waiver, ...]  # expired waivers (they no longer apply)
    notes: tuple[str, ...]  # one line per expired, refused or unusable waiver


_NOT_APPLICABLE_KINDS = {ProblemKind.EXPIRED, ProblemKind.UNKNOWN_SCOPE}


def apply_waivers(
    findings: Sequence[Finding],
    waivers: WaiverFile | Sequence[Waiver],
    *,
    today: date,
    rules: WaiverRules | None = None,
) -> WaiverOutcome:
    """Mark FAIL findings covered by a valid, current waiver as WAIVED.

    A waiver applies only when it is approved (by someone other than the
    requester), current (approved on or before `today`, expiring on or after
    it) and within the file's `max_days`; to a critical finding only with two
    distinct approvers. Expired waivers are reported with the findings that
    fail again.
    """
    if isinstance(waivers, WaiverFile):
        listed = waivers.waivers
        rules = replace(rules or WaiverRules(), max_days=waivers.max_days)
        malformed = waivers.problems
    else:
        listed = tuple(waivers)
        rules = rules or WaiverRules()
        malformed = ()
    notes: list[str] = [f"waiver not applied: {p}" for p in malformed]

    usable: list[Waiver] = []
    expired: list[Waiver] = []
    for w in listed:
        if w.is_expired(today):
            expired.append(w)
            continue
        blocking = [
            p
            for p in check_waiver(w, rules, today=today)
            if p.kind not in _NOT_APPLICABLE_KINDS and p.kind is not ProblemKind.APPROVERS
        ]
        if blocking:
            notes.append(f"waiver {w.id} not applied: {'; '.join(p.message for p in blocking)}")
            continue
        if not w.distinct_approvers():
            notes.append(f"waiver {w.id} not applied: it has no approver other than the requester")
            continue
        usable.append(w)

    applied: dict[str, int] = {}
    refused: dict[str, int] = {}
    fail_again: dict[str, list[Finding]] = {}
    out: list[Finding] = []
    for f in findings:
        if f.status is not Status.FAIL:
            out.append(f)
            continue
        chosen: Waiver | None = None
        for w in usable:
            if not w.covers(f):
                continue
            if f.severity >= Severity.CRITICAL and len(w.distinct_approvers()) < 2:
                refused[w.id] = refused.get(w.id, 0) + 1
                continue
            chosen = w
            break
        if chosen is None:
            for w in expired:
                if w.covers(f):
                    fail_again.setdefault(w.id, []).append(f)
                    break
            out.append(f)
            continue
        applied[chosen.id] = applied.get(chosen.id, 0) + 1
        out.append(
            replace(
                f,
                status=Status.WAIVED,
                waiver_id=chosen.id,
                message=f"{f.message} [waived by {chosen.id} until {chosen.expires_on}: "
                f"{chosen.reason}]",
            )
        )
    for wid, count in refused.items():
        notes.append(
            f"waiver {wid} not applied to {count} critical finding(s): a critical finding "
            "needs two distinct approvers, neither the requester"
        )
    for w in expired:
        again = fail_again.get(w.id, [])
        if again:
            which = ", ".join(sorted({f"{f.rule_code} on {f.resource_address}" for f in again}))
            notes.append(
                f"waiver {w.id} expired on {w.expires_on}: {len(again)} finding(s) fail again "
                f"({which})"
            )
        else:
            notes.append(f"waiver {w.id} expired on {w.expires_on} (it covers no failing finding)")
    return WaiverOutcome(tuple(out), applied, tuple(expired), tuple(notes))


# --------------------------------------------------------------------------- writing


def next_waiver_id(existing: Iterable[str]) -> str:
    """`W-0001`, `W-0002`...: one past the highest numbered id."""
    highest = 0
    for wid in existing:
        m = re.fullmatch(r"W-(\d+)", wid)
        if m:
            highest = max(highest, int(m.group(1)))
    return f"W-{highest + 1:04d}"


_HEADER = (
    "tutela waivers: approved, expiring exceptions to ENG-POL-003 (`tutela waiver --help`).\n"
    "Review changes to this file like code; `tutela waiver lint` checks it in CI."
)


def add_waiver(path: Path, waiver: Waiver) -> None:
    """Append `waiver` to the file (created when missing), keeping comments and layout."""
    yaml, data = _round_trip(path)
    entries = data.setdefault("waivers", [])
    if entries is None:
        entries = data["waivers"] = []
    if any(str(e.get("id")) == waiver.id for e in entries if isinstance(e, dict)):
        raise WaiverError(f"{path}: a waiver with id {waiver.id} already exists")
    entry = waiver.to_dict()
    entry["approved_on"] = waiver.approved_on
    entry["expires_on"] = waiver.expires_on
    entries.append(_commented(entry))
    _dump(yaml, data, path)


def remove_waiver(path: Path, waiver_id: str) -> None:
    yaml, data = _round_trip(path)
    entries = data.get("waivers") or []
    kept = [e for e in entries if not (isinstance(e, dict) and str(e.get("id")) == waiver_id)]
    if len(kept) == len(entries):
        raise WaiverError(f"{path}: no waiver with id {waiver_id}")
    del entries[:]
    entries.extend(kept)
    _dump(yaml, data, path)


def _round_trip(path: Path) -> tuple[Any, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    if path.is_file():
        try:
            data = yaml.load(path.read_text(encoding="utf-8"))
        except Exception as exc:  # ruamel raises many error types
            raise WaiverError(f"{path}: cannot read: {exc}") from exc
        if data is None:
            data = CommentedMap()
        if not isinstance(data, dict):
            raise WaiverError(f"{path}: a waiver file is a mapping with a `waivers` list")
        return yaml, data
    data = CommentedMap()
    data["version"] = FILE_VERSION
    data["max_days"] = DEFAULT_MAX_DAYS
    data["waivers"] = []
    data.yaml_set_start_comment(_HEADER)
    return yaml, data


def _commented(entry: Mapping[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    out = CommentedMap()
    for key, value in entry.items():
        if isinstance(value, list):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            out[key] = seq
        else:
            out[key] = value
    return out


def _dump(yaml: Any, data: Any, path: Path) -> None:
    import io
    import os

    buf = io.StringIO()
    yaml.dump(data, buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, path)

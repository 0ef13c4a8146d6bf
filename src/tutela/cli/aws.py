"""`tutela aws`: collect a live AWS account, judge it with the same rules, report coverage."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from tutela.cli.common import EXIT_FINDINGS, EXIT_OK, fail, load_catalog
from tutela.cli.scan import (
    ConfigOption,
    FailOnOption,
    FormatsOption,
    NoProgressOption,
    OutputsOption,
    RecordOption,
    RulesOption,
    SeverityOption,
    ShowPassedOption,
    SkipRulesOption,
    VerboseOption,
    _split,
    build_ruleset,
    plan_outputs,
    report_context,
    write_reports,
)
from tutela.cli.state import DbOption, scan_state

if TYPE_CHECKING:
    from tutela.collectors.aws.collect import Collection, CollectOptions
    from tutela.engine.findings import ScanResult
    from tutela.engine.ruleset import RuleSet
    from tutela.rules.settings import Settings


def aws_command(
    ctx: typer.Context,
    profile: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--profile", help="Named profile of the AWS config/credentials files."),
    ] = None,
    role_arn: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--role-arn", help="Assume this role (STS AssumeRole) before collecting."),
    ] = None,
    external_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--external-id", help="External id for --role-arn."),
    ] = None,
    regions: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--region",
            help="Region to collect (repeatable or comma-separated) "
            "[default: every enabled region].",
            show_default=False,
        ),
    ] = None,
    services: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--services", help="Only these services, comma-separated (e.g. s3,iam) [default: all]."
        ),
    ] = None,
    save_snapshot: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--save-snapshot",
            help="Write the inventory as a hashed JSON snapshot; `tutela scan FILE` "
            "re-evaluates it offline.",
            dir_okay=False,
        ),
    ] = None,
    record: RecordOption = False,
    db: DbOption = None,
    formats: FormatsOption = None,
    outputs: OutputsOption = None,
    rules: RulesOption = None,
    skip_rules: SkipRulesOption = None,
    severity: SeverityOption = None,
    fail_on: FailOnOption = None,
    config_file: ConfigOption = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Concurrent API jobs.")
    ] = 8,
    max_attempts: Annotated[
        int,
        typer.Option("--max-attempts", min=1, max=20, help="Attempts per call (adaptive retries)."),
    ] = 6,
    verbose: VerboseOption = False,
    show_passed: ShowPassedOption = False,
    no_progress: NoProgressOption = False,
) -> None:
    """Collect a live AWS account and judge it against ENG-POL-003.

    Credentials come from the standard chain (or --profile, or --role-arn with
    --external-id). Every enabled region is collected unless --region narrows it.
    Calls that fail (access denied, an API the endpoint does not implement, a
    disabled region, a timeout) are coverage gaps: the report lists them per service
    and region, and the rules over what they hide say "not evaluated".

    Exit codes: 0 no failure at or above --fail-on; 1 failures; 2 usage, configuration
    or credential error.

    Examples:

      tutela aws --region us-east-1 --region us-west-2
      tutela aws --role-arn arn:aws:iam::111122223333:role/audit --external-id x \\
          --save-snapshot evidence/2026-q4.json -f json -o aws.json
      tutela scan evidence/2026-q4.json        # the same findings, offline
    """
    from tutela.collectors.aws.collect import CollectError, CollectOptions
    from tutela.collectors.aws.session import SessionOptions
    from tutela.engine.config import find_config, load_config
    from tutela.errors import TutelaError
    from tutela.rules.api import Severity

    plan = plan_outputs(formats, outputs)

    try:
        config = load_config(config_file or find_config(Path.cwd()))
        config = config.merged(
            rules=_split(rules),
            skip_rules=_split(skip_rules),
            severity=Severity.parse(severity) if severity else None,
            fail_on=Severity.parse(fail_on) if fail_on else None,
        )
        ruleset = build_ruleset(
            config.rules, config.skip_rules, config.severity.label if config.severity else None
        )
        options = CollectOptions(
            session=SessionOptions(
                profile=profile,
                role_arn=role_arn,
                external_id=external_id,
                regions=_split(regions),
                max_attempts=max_attempts,
                max_pool_connections=max(10, workers * 2),
            ),
            services=_split(services),
            workers=workers,
        )
        collection = _collect(options, show_progress=not no_progress)
    except (CollectError, TutelaError, ValueError) as exc:
        fail(str(exc))

    notes: list[str] = []
    snapshot_ref: dict[str, str] | None = None
    if save_snapshot is not None:
        catalog = load_catalog(ctx)
        snapshot = collection.snapshot(
            tool=_tool(),
            catalog={
                "policy_id": catalog.policy_id,
                "format": catalog.format,
                "source_sha256": catalog.source_sha256,
            },
        )
        from tutela.collectors.aws.snapshot import write_snapshot

        try:
            digest = write_snapshot(snapshot, save_snapshot)
        except OSError as exc:
            fail(f"cannot write snapshot: {exc}")
        notes.append(f"snapshot written to {save_snapshot} (sha256 {digest})")
        snapshot_ref = {"path": str(save_snapshot), "sha256": digest}
    result = evaluate_collection(collection, ruleset, config.settings, notes=notes)
    # Waivers apply before any report is written; --record stores the scan (as `scan` does).
    result = scan_state(
        ctx, [Path.cwd()], result, record=record, db=db, kind="aws", snapshot=snapshot_ref
    )

    write_reports(
        plan, result, report_context(ctx, ruleset), verbose=verbose, show_passed=show_passed
    )
    raise typer.Exit(EXIT_FINDINGS if result.failure_count(config.fail_on) else EXIT_OK)


def _tool() -> dict[str, str]:
    from tutela import __version__

    return {"name": "tutela", "version": __version__}


def evaluate_collection(
    collection: Collection, ruleset: RuleSet, settings: Settings, *, notes: list[str] | None = None
) -> ScanResult:
    """Findings for a live collection (the same evaluation `tutela scan` gives a snapshot)."""
    import time

    from tutela.engine.evaluate import evaluate
    from tutela.engine.findings import ScanResult

    started = time.perf_counter()
    findings = evaluate(collection.resources, ruleset, settings=settings)
    incomplete = [c for c in collection.coverage if c.status != "complete"]
    summary = [
        f"AWS account {collection.account_id}: {len(collection.regions)} region(s), "
        f"{len(collection.services)} service(s), {collection.api_calls} API calls in "
        f"{collection.duration_seconds:.1f}s"
    ]
    if incomplete:
        summary.append(
            f"coverage: {len(incomplete)} of {len(collection.coverage)} service/region pairs "
            "incomplete; rules over what they hide say not evaluated"
        )
    if collection.regions_disabled:
        summary.append(f"regions not enabled: {', '.join(collection.regions_disabled)}")
    return ScanResult(
        findings=tuple(findings),
        parse_errors=(),
        resource_count=len(collection.resources),
        files_scanned=0,
        rule_count=len(ruleset),
        duration_seconds=collection.duration_seconds + (time.perf_counter() - started),
        targets=(f"aws:{collection.account_id}",),
        notes=(*summary, *(notes or ())),
        coverage=collection.coverage,
    )


def _collect(options: CollectOptions, *, show_progress: bool) -> Collection:
    from tutela.collectors.aws.collect import collect

    if not (show_progress and sys.stderr.isatty()):
        return collect(options)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("collecting {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("AWS", total=None)

        def progress(done: int, known: int, label: str) -> None:
            bar.update(task, completed=done, total=known, description=label)

        return collect(options, progress=progress)

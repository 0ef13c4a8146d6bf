"""`tutela scan`: IaC files in, findings out, exit code by severity."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from tutela.cli.common import EXIT_FINDINGS, EXIT_OK, fail, load_catalog
from tutela.cli.state import DbOption as StateDbOption
from tutela.cli.state import scan_state

if TYPE_CHECKING:
    from collections.abc import Callable

    from tutela.catalog.texts import CatalogTexts
    from tutela.engine.findings import ScanResult
    from tutela.engine.incremental import Evaluated
    from tutela.engine.ruleset import RuleSelection, RuleSet
    from tutela.reports.context import ReportContext

FORMAT_HELP = "Output format: terminal (default), json, sarif, junit or csv. Repeat for several."


# Options `tutela scan` and `tutela aws` share: one definition, one help text.
FormatsOption = Annotated[
    Optional[list[str]],  # noqa: UP045 - typer needs Optional on 3.11
    typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False),
]
OutputsOption = Annotated[
    Optional[list[Path]],  # noqa: UP045
    typer.Option(
        "--output",
        "-o",
        help="Write the matching --format here (in order). "
        "Without it, the format goes to standard output.",
        show_default=False,
    ),
]
RulesOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--rules",
        help="Only these rules: codes (ENC001), names, requirement ids "
        "(3.3.1.a.3) or sections (3.3); comma-separated, * wildcards.",
    ),
]
SkipRulesOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--skip-rules", help="Leave these rules out (same forms as --rules)."),
]
SeverityOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--severity",
        help="Only evaluate rules of this severity or higher "
        "(info, low, medium, high, critical).",
    ),
]
FailOnOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--fail-on", help="Exit 1 when a failure reaches this severity [default: low]."),
]
ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--config",
        help="Config file (default: nearest .tutela.toml or [tool.tutela] in pyproject.toml).",
    ),
]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Detail every non-passing finding.")
]
ShowPassedOption = Annotated[bool, typer.Option("--show-passed", help="List passing checks too.")]
NoProgressOption = Annotated[bool, typer.Option("--no-progress", help="No progress bar.")]
RecordOption = Annotated[
    bool, typer.Option("--record", help="Store the scan and its findings (see --db).")
]


def _split(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for v in values or []:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return tuple(out)


def build_ruleset(rules: tuple[str, ...], skip: tuple[str, ...], severity: str | None) -> RuleSet:
    from tutela.engine.ruleset import RuleSelection
    from tutela.rules.api import Severity

    min_sev = Severity.parse(severity) if severity else None
    return RuleSelection(rules, skip, min_sev).ruleset()


def report_context(
    ctx: typer.Context,
    ruleset: RuleSet | Callable[[], RuleSet],
    cache_dir: Path | None = None,
) -> ReportContext:
    """What reports need of the policy. The shipped catalog's texts load only when a
    report looks a requirement up (from `cache_dir` when they are there); a
    `--catalog FILE` loads now, so its errors come first."""
    from tutela import __version__
    from tutela.catalog.texts import requirement_texts, section_titles
    from tutela.cli.common import state
    from tutela.reports.context import LazyTexts, ReportContext

    if state(ctx).catalog_path is None:

        @functools.cache
        def shipped() -> CatalogTexts:
            from tutela.catalog.texts import shipped_texts

            return shipped_texts(cache_dir)

        # catalog=None: the auditor formats load the shipped catalog themselves.
        return ReportContext(
            ruleset=ruleset,
            tool_version=__version__,
            requirement_text=LazyTexts(lambda: shipped().requirements),
            section_titles=LazyTexts(lambda: shipped().sections),
        )
    catalog = load_catalog(ctx)
    return ReportContext(
        ruleset=ruleset,
        tool_version=__version__,
        policy_id=catalog.policy_id,
        requirement_text=requirement_texts(catalog),
        section_titles=section_titles(catalog),
        catalog=catalog,
    )


def scan_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help="Files or directories: Terraform, plan JSON, CloudFormation, "
            "Kubernetes YAML, Dockerfiles.",
            show_default=False,
        ),
    ],
    formats: FormatsOption = None,
    outputs: OutputsOption = None,
    rules: RulesOption = None,
    skip_rules: SkipRulesOption = None,
    severity: SeverityOption = None,
    fail_on: FailOnOption = None,
    var_files: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Option("--var-file", help="Terraform variable file(s), applied after tfvars files."),
    ] = None,
    config_file: ConfigOption = None,
    no_inline: Annotated[
        bool,
        typer.Option("--no-inline-suppressions", help="Audit mode: ignore tutela:ignore comments."),
    ] = False,
    verbose: VerboseOption = False,
    show_passed: ShowPassedOption = False,
    no_progress: NoProgressOption = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Parse and judge everything afresh and write no cache (default: reuse the "
            "resources and verdicts of unchanged files from .tutela-cache/ under the scan "
            "root; -v says what was reused).",
        ),
    ] = False,
    cache_dir: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--cache-dir",
            help="Keep the scan cache here instead of .tutela-cache/ under the scan root.",
            file_okay=False,
        ),
    ] = None,
    jobs: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Processes to parse large repositories with [default: the available cores; "
            "small inputs always load in one process].",
        ),
    ] = None,
    record: RecordOption = False,
    db: StateDbOption = None,
) -> None:
    """Scan Infrastructure-as-Code against ENG-POL-003.

    Reads Terraform (.tf, with variables, modules, count/for_each), Terraform plan JSON
    (`terraform show -json`), CloudFormation (YAML or JSON, recognised by content),
    Kubernetes manifests and Dockerfiles. Every finding names the policy requirements
    it verifies.

    Exit codes: 0 no failure at or above --fail-on; 1 failures; 2 usage or configuration
    error. Files that cannot be parsed are reported with their location and the scan
    goes on.

    Examples:

      tutela scan infra/                       # terminal report
      tutela scan . -f sarif -o tutela.sarif   # for GitHub code scanning
      tutela scan . -f json -o r.json -f junit -o r.xml --fail-on high
    """
    from tutela.engine.config import find_config, load_config
    from tutela.engine.ruleset import RuleSelection
    from tutela.errors import TutelaError
    from tutela.rules.api import Severity

    plan = plan_outputs(formats, outputs)

    try:
        config = load_config(config_file or find_config(paths[0]))
        config = config.merged(
            rules=_split(rules),
            skip_rules=_split(skip_rules),
            severity=Severity.parse(severity) if severity else None,
            fail_on=Severity.parse(fail_on) if fail_on else None,
            var_files=tuple(var_files or ()),
            inline_suppressions=False if no_inline else None,
        )
        selection = RuleSelection(config.rules, config.skip_rules, config.severity)
        selection.check()  # a --rules typo is a usage error before any parsing
        scan_cache = None if no_cache else cache_dir or _default_cache_dir(paths)
        result = _run_scan(
            paths,
            selection,
            config,
            show_progress=not no_progress,
            cache_dir=scan_cache,
            jobs=jobs,
            verbose=verbose,
        )
    except (TutelaError, ValueError) as exc:
        fail(str(exc))
    # Waivers of the nearest .tutela-waivers.yaml apply before any report; --record stores.
    result = scan_state(ctx, paths, result, record=record, db=db)

    # Reports that list rules (SARIF, HTML...) get the whole selection, imported then.
    write_reports(
        plan,
        result,
        report_context(ctx, selection.ruleset, scan_cache),
        verbose=verbose,
        show_passed=show_passed,
    )
    raise typer.Exit(EXIT_FINDINGS if result.failure_count(config.fail_on) else EXIT_OK)


@dataclass(frozen=True)
class OutputPlan:
    """Which format goes to which file, and which (at most one) to standard output."""

    to_files: tuple[tuple[str, Path], ...]
    to_stdout: str | None


def plan_outputs(formats: list[str] | None, outputs: list[Path] | None) -> OutputPlan:
    """Pair `--format` with `--output` in order; exit 2 on an impossible combination."""
    from tutela.reports import FORMATS

    fmts = [f.lower() for f in _split(formats)] or ["terminal"]
    for f in fmts:
        if f not in FORMATS:
            fail(f"unknown format {f!r} (choose from {', '.join(FORMATS)})")
    outs = list(outputs or [])
    if len(outs) > len(fmts):
        fail("more --output files than --format options: give one --format per --output")
    rest = fmts[len(outs) :]
    if len(rest) > 1:
        fail(f"only one format can go to standard output; give --output for {', '.join(rest[1:])}")
    return OutputPlan(tuple(zip(fmts, outs, strict=False)), rest[0] if rest else None)


def write_reports(
    plan: OutputPlan, result: ScanResult, rctx: ReportContext, *, verbose: bool, show_passed: bool
) -> None:
    """Write every planned report; the terminal report goes to stdout when nothing else does."""
    try:
        for fmt, out in plan.to_files:
            _write(fmt, result, rctx, out, verbose=verbose, show_passed=show_passed)
        _write(
            plan.to_stdout or "terminal",
            result,
            rctx,
            None,
            verbose=verbose,
            show_passed=show_passed,
        )
    except OSError as exc:
        fail(f"cannot write report: {exc}")


def _default_cache_dir(paths: list[Path]) -> Path:
    """`.tutela-cache` (tutela.engine.cache.CACHE_DIR_NAME) under the scan root; named here
    so that a scan with nothing to load does not import the cache."""
    from tutela.engine.scan import scan_root

    return scan_root(paths) / ".tutela-cache"


def _run_scan(
    paths: list[Path],
    ruleset: RuleSet | RuleSelection,
    config: object,
    *,
    show_progress: bool,
    cache_dir: Path | None = None,
    jobs: int | None = None,
    verbose: bool = False,
) -> ScanResult:
    from tutela.engine.config import ScanConfig
    from tutela.engine.scan import scan

    assert isinstance(config, ScanConfig)
    heard: list[Evaluated] = []
    on_evaluated = heard.append if verbose else None
    if not (show_progress and sys.stderr.isatty()):
        result = scan(
            paths, ruleset, config=config, cache_dir=cache_dir, jobs=jobs,
            on_evaluated=on_evaluated,
        )
        _say_reuse(heard)
        return result
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        tasks: dict[str, object] = {}

        def progress(phase: str, done: int, total: int) -> None:
            task = tasks.get(phase)
            if task is None:
                task = tasks[phase] = bar.add_task(phase, total=total)
            bar.update(task, completed=done, total=total)  # type: ignore[arg-type]

        result = scan(
            paths, ruleset, config=config, progress=progress, cache_dir=cache_dir, jobs=jobs,
            on_evaluated=on_evaluated,
        )
    _say_reuse(heard)
    return result


def _say_reuse(heard: list[Evaluated]) -> None:
    """With --verbose, what the cache saved (on stderr: reports stay the same bytes)."""
    for ev in heard:
        units = ev.reused_units + ev.judged_units
        cross = ev.reused_rules + len(ev.recomputed_rules)
        rerun = f" ({', '.join(ev.recomputed_rules)})" if ev.recomputed_rules else ""
        typer.secho(
            f"cache: verdicts of {ev.reused_units} of {units} root modules and files reused; "
            f"{len(ev.recomputed_rules)} of {cross} cross-resource rules run again{rerun}",
            err=True,
            dim=True,
        )


def _write(
    fmt: str,
    result: ScanResult,
    rctx: ReportContext,
    out: Path | None,
    *,
    verbose: bool,
    show_passed: bool,
) -> None:
    from tutela.reports import render, render_terminal

    if fmt == "terminal":
        from rich.console import Console

        if out is None:
            render_terminal(result, rctx, Console(), verbose=verbose, show_passed=show_passed)
        else:
            with out.open("w", encoding="utf-8") as fh:
                render_terminal(
                    result,
                    rctx,
                    Console(file=fh, width=120, no_color=True),
                    verbose=verbose,
                    show_passed=show_passed,
                )
        return
    if fmt == "json":  # streamed: a monorepo's report is tens of MB
        from tutela.reports.json_report import write_json

        if out is None:
            write_json(result, rctx, sys.stdout)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("w", encoding="utf-8") as fh:
                write_json(result, rctx, fh)
        return
    text = render(fmt, result, rctx)
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")

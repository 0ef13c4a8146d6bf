"""`tutela report html|ocsf|oscal|bundle`: reports for auditors and SIEMs.

The input is a recorded scan from the store (`--db`, `--scan ID`, default the
latest) with the store's evidence and history, or a JSON report written by
`tutela scan -f json` (`--from-json FILE`; the store's evidence is used too
when a store exists). Waivers come from the nearest `.tutela-waivers.yaml`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from tutela.cli.common import fail, load_catalog

if TYPE_CHECKING:
    from tutela.catalog.model import Catalog
    from tutela.reports.audit import AuditInputs
    from tutela.reports.bundle import EvidenceFile

report_app = typer.Typer(
    help="Reports for auditors and SIEMs: HTML, OCSF, OSCAL, and an evidence bundle.",
    no_args_is_help=True,
)

HISTORY_LIMIT = 50
"""Recorded scans shown in the trend (the most recent ones)."""

DbOption = Annotated[
    Optional[str],  # noqa: UP045 - typer needs Optional on 3.11
    typer.Option(
        "--db",
        envvar="TUTELA_DB",
        help="The store: a SQLite file or a database URL [default: .tutela/tutela.db].",
        show_default=False,
    ),
]
ScanOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--scan", help="Recorded scan id [default: the latest].", show_default=False),
]
FromJsonOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--from-json",
        help="Report on a `tutela scan -f json` result file instead of a recorded scan.",
        dir_okay=False,
        show_default=False,
    ),
]
AtOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--at",
        help="Report time (ISO 8601, e.g. 2025-06-30T12:00:00Z) for reproducible output "
        "[default: now, or SOURCE_DATE_EPOCH].",
        show_default=False,
    ),
]
OutOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--output", "-o", help="Write here [default: standard output].", dir_okay=False),
]


@dataclass
class Loaded:
    inputs: AuditInputs
    snapshots: list[tuple[str, bytes]] = field(default_factory=list)
    evidence_files: list[EvidenceFile] = field(default_factory=list)


def _parse_at(text: str | None) -> datetime:
    from tutela.reports.audit import report_time

    if not text:
        return report_time()
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        fail(f"--at: {text!r} is not an ISO 8601 time")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _waivers() -> tuple[Any, ...]:
    from tutela.engine.waivers import WaiverError, find_waiver_file, load_waivers

    path = find_waiver_file(Path.cwd())
    if path is None:
        return ()
    try:
        return tuple(load_waivers(path).waivers)
    except WaiverError as exc:
        fail(str(exc))


def _report_context(catalog: Catalog) -> Any:
    from tutela import __version__
    from tutela.catalog.texts import requirement_texts, section_titles
    from tutela.engine.ruleset import RuleSet
    from tutela.reports.context import ReportContext
    from tutela.rules import default_rules

    return ReportContext(
        ruleset=RuleSet.of(default_rules()),
        tool_version=__version__,
        policy_id=catalog.policy_id,
        requirement_text=requirement_texts(catalog),
        section_titles=section_titles(catalog),
        catalog=catalog,
    )


def _posture(
    catalog: Catalog, findings: Any, statuses: dict[str, Any], at: datetime, history: Any = ()
) -> Any:
    from tutela.engine.posture import compute_posture
    from tutela.engine.verifiers import default_verifiers

    return compute_posture(
        catalog, findings, statuses, default_verifiers(catalog), now=at, history=history
    )


def _evidence_files(store: Any, records: Any) -> list[EvidenceFile]:
    from tutela.reports.bundle import EvidenceFile

    return [
        EvidenceFile(rec.id, a.name, store.attachment_path(a), a.sha256)
        for rec in records
        for a in rec.attachments
    ]


def load_inputs(
    ctx: typer.Context, *, db: str | None, scan: int | None, from_json: Path | None, at: str | None
) -> Loaded:
    """The audit inputs of a recorded scan, or of a JSON scan report."""
    from tutela.cli.state import existing_store
    from tutela.engine.findings import ScanResult
    from tutela.evidence.cadence import evidence_statuses
    from tutela.reports.audit import AuditInputs, scan_result_from_json
    from tutela.store import StoreError

    catalog = load_catalog(ctx)
    rctx = _report_context(catalog)
    moment = _parse_at(at)
    store = existing_store(db)
    try:
        records = store.evidence_records() if store is not None else []
        statuses = evidence_statuses(catalog, records, today=moment.date())
        waivers = _waivers()
        if from_json is not None:
            if scan is not None:
                fail("give either --scan or --from-json, not both")
            try:
                document = json.loads(from_json.read_text(encoding="utf-8"))
                result = scan_result_from_json(document)
            except FileNotFoundError:
                fail(f"{from_json}: no such file")
            except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
                fail(f"{from_json}: {exc}")
            posture = _posture(catalog, result.findings, statuses, moment)
            inputs = AuditInputs(
                result=result,
                ctx=rctx,
                generated_at=moment,
                posture=posture,
                evidence=tuple(statuses.values()),
                waivers=waivers,
            )
            files = _evidence_files(store, records) if store is not None else []
            return Loaded(inputs, evidence_files=files)
        if store is None:
            fail(
                "no tutela store found: record a scan with `tutela scan --record` "
                "(or give --db), or report on a JSON result with --from-json FILE"
            )
        info = store.scan(scan) if scan is not None else store.latest_scan()
        if info is None:
            fail("the store has no recorded scan yet: run `tutela scan --record` first")
        findings = store.findings(info.id)
        history = _history(store, info.id)
        result = ScanResult(
            findings=tuple(findings),
            parse_errors=(),
            resource_count=info.resource_count,
            files_scanned=info.files_scanned,
            rule_count=info.rule_count,
            duration_seconds=max(0.0, (info.finished_at - info.started_at).total_seconds()),
            targets=tuple(info.targets),
            notes=tuple(info.notes),
        )
        posture = _posture(catalog, findings, statuses, moment, history)
        inputs = AuditInputs(
            result=result,
            ctx=rctx,
            generated_at=moment,
            posture=posture,
            evidence=tuple(statuses.values()),
            waivers=waivers,
            scan_id=str(info.id),
        )
        snapshots = []
        if info.snapshot is not None:
            data = json.dumps(info.snapshot, indent=2, sort_keys=True, ensure_ascii=False)
            snapshots.append((f"scan-{info.id}-snapshot.json", (data + "\n").encode()))
        return Loaded(inputs, snapshots=snapshots, evidence_files=_evidence_files(store, records))
    except StoreError as exc:
        fail(str(exc))
    finally:
        if store is not None:
            store.close()


def _history(store: Any, up_to: int) -> list[Any]:
    from tutela.engine.posture import ScanPoint

    points = []
    for info in store.scans(limit=None):
        if info.id > up_to:
            continue
        points.append(info)
    points = points[-HISTORY_LIMIT:]
    return [
        ScanPoint(scan_id=str(i.id), at=i.finished_at, findings=store.findings(i.id))
        for i in points
    ]


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    typer.secho(f"wrote {out}", err=True, fg=typer.colors.CYAN)


@report_app.command("html")
def html_command(
    ctx: typer.Context,
    output: OutOption = None,
    db: DbOption = None,
    scan: ScanOption = None,
    from_json: FromJsonOption = None,
    at: AtOption = None,
) -> None:
    """One self-contained HTML file for people and auditors.

    Posture per section and framework with charts, every requirement's state, findings
    with remediation, waivers, evidence status, and the trend over recorded scans.
    """
    from tutela.reports.html import render_html

    loaded = load_inputs(ctx, db=db, scan=scan, from_json=from_json, at=at)
    _emit(render_html(loaded.inputs), output)


@report_app.command("ocsf")
def ocsf_command(
    ctx: typer.Context,
    output: OutOption = None,
    db: DbOption = None,
    scan: ScanOption = None,
    from_json: FromJsonOption = None,
    at: AtOption = None,
) -> None:
    """OCSF 1.3 JSON lines for a SIEM.

    A Detection Finding (2004) per failing, suppressed or waived finding and a Compliance
    Finding (2003) per requirement.
    """
    from tutela.reports.ocsf import render_ocsf

    loaded = load_inputs(ctx, db=db, scan=scan, from_json=from_json, at=at)
    _emit(render_ocsf(loaded.inputs), output)


@report_app.command("oscal")
def oscal_command(
    ctx: typer.Context,
    output: OutOption = None,
    poam: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--poam",
            help="Write the POA&M here [default: beside --output, NAME-poam.json].",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    scan: ScanOption = None,
    from_json: FromJsonOption = None,
    at: AtOption = None,
) -> None:
    """OSCAL 1.1 assessment results and a plan of action and milestones (POA&M).

    The assessment results go to --output, the POA&M to --poam (default: beside --output).
    """
    from tutela.reports.oscal_ar import render_oscal_ar, render_poam

    loaded = load_inputs(ctx, db=db, scan=scan, from_json=from_json, at=at)
    _emit(render_oscal_ar(loaded.inputs), output)
    if poam is None and output is not None:
        poam = output.with_name(f"{output.stem}-poam{output.suffix or '.json'}")
    if poam is not None:
        _emit(render_poam(loaded.inputs), poam)


@report_app.command("bundle")
def bundle_command(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The ZIP file to write.", dir_okay=False),
    ],
    snapshot_files: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Option(
            "--snapshot", help="Also include this snapshot file (repeatable).", dir_okay=False
        ),
    ] = None,
    db: DbOption = None,
    scan: ScanOption = None,
    from_json: FromJsonOption = None,
    at: AtOption = None,
) -> None:
    """A ZIP for auditors: every report, snapshots, evidence files and a manifest.

    manifest.json lists the SHA-256 and size of each item, the tool and catalog versions
    and the time.
    """
    from tutela.reports.bundle import write_bundle

    loaded = load_inputs(ctx, db=db, scan=scan, from_json=from_json, at=at)
    snapshots = list(loaded.snapshots)
    for path in snapshot_files or ():
        try:
            snapshots.append((path.name, path.read_bytes()))
        except OSError as exc:
            fail(f"--snapshot {path}: {exc.strerror or exc}")
    try:
        document = write_bundle(
            output, loaded.inputs, snapshots=snapshots, evidence_files=loaded.evidence_files
        )
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    for problem in document["problems"]:
        typer.secho(
            f"warning: {problem['path']}: {problem['problem']}", err=True, fg=typer.colors.YELLOW
        )
    typer.secho(f"wrote {output} ({len(document['items'])} items)", err=True, fg=typer.colors.CYAN)

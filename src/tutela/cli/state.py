"""Shared plumbing of the compliance-state commands (history, evidence, waivers, posture,
audit) and of `tutela scan --record`.

Nothing here imports SQLAlchemy at module level: the store is imported inside
the functions, so `tutela --version` stays instant.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from tutela.cli.common import fail, load_catalog

if TYPE_CHECKING:
    from tutela.catalog.model import Catalog
    from tutela.engine.findings import Finding, ScanResult
    from tutela.engine.waivers import WaiverRules
    from tutela.store import Store

DbOption = Annotated[
    Optional[str],  # noqa: UP045 - typer needs Optional on 3.11
    typer.Option(
        "--db",
        envvar="TUTELA_DB",
        help="The store: a SQLite file or a database URL "
        "(postgresql+psycopg://...) [default: .tutela/tutela.db].",
        show_default=False,
    ),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="Output format: table or json.")]
AsOfOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--as-of", help="Judge as of this date (YYYY-MM-DD) instead of today.", show_default=False
    ),
]
FORMATS = ("table", "json")


def check_format(fmt: str) -> str:
    value = fmt.strip().lower()
    if value not in FORMATS:
        fail(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return value


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now().date()


def parse_date(text: str | None, option: str, *, default: date | None = None) -> date:
    if text is None or not text.strip():
        if default is None:
            fail(f"{option} is required (YYYY-MM-DD)")
        return default
    value = text.strip().lower()
    if value == "today":
        return today()
    if value == "yesterday":
        return today() - timedelta(days=1)
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {text!r} is not a date (YYYY-MM-DD)")


def open_store(db: str | None, *, create: bool = True) -> Store:
    """The store of `--db`; exits 2 with a message when it cannot be opened."""
    from tutela.store import Store, StoreError

    try:
        return Store.open(db, create=create)
    except StoreError as exc:
        fail(str(exc))


def existing_store(db: str | None) -> Store | None:
    """The store when one exists (read-only commands do not create one)."""
    from tutela.store import Store, StoreError, StoreNotFoundError

    try:
        return Store.open(db, create=False)
    except StoreNotFoundError:
        return None
    except StoreError as exc:
        fail(str(exc))


def actor() -> str:
    from tutela.store import default_actor

    return default_actor()


def jsonable(value: Any) -> Any:
    """Dataclasses, enums, dates and paths as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def echo_json(data: Any) -> None:
    typer.echo(json.dumps(jsonable(data), indent=2, ensure_ascii=False))


def console() -> Any:
    from rich.console import Console

    return Console()


def catalog_version(catalog: Catalog) -> str:
    digest = (catalog.source_sha256 or "")[:12]
    return f"{catalog.policy_id}@{digest}" if digest else catalog.policy_id


def waiver_rules(catalog: Catalog | None = None) -> WaiverRules:
    from tutela.engine.waivers import WaiverRules
    from tutela.rules import default_rules

    return WaiverRules.from_rules(
        default_rules(), requirements=set(catalog.ids) if catalog is not None else None
    )


def finding_row(f: Finding) -> dict[str, Any]:
    from tutela.reports.json_report import finding_record

    row = finding_record(f)
    row["waiver_id"] = f.waiver_id
    return row


# ---------------------------------------------------------------------- scan --record


def scan_state(
    ctx: typer.Context,
    paths: Sequence[Path],
    result: ScanResult,
    *,
    record: bool,
    db: str | None,
    kind: str = "iac",
    snapshot: Mapping[str, Any] | None = None,
) -> ScanResult:
    """What `tutela scan` (and `tutela aws`) do after evaluating, before writing reports:
    apply the waivers of the nearest `.tutela-waivers.yaml` (so waived findings show as
    waived in every output, and expired waivers are reported in the notes), then, with
    `--record`, store the scan."""
    from tutela.engine.waivers import WaiverError, apply_waivers, find_waiver_file, load_waivers

    waivers = None
    waiver_path = find_waiver_file(paths[0]) if paths else None
    if waiver_path is not None:
        try:
            loaded = load_waivers(waiver_path)
        except WaiverError as exc:
            fail(str(exc))
        outcome = apply_waivers(result.findings, loaded, today=today(), rules=waiver_rules())
        result = dataclasses.replace(
            result, findings=outcome.findings, notes=(*result.notes, *outcome.notes)
        )
        waivers = loaded.waivers
    if not record:
        return result

    from tutela import __version__
    from tutela.store import StoreError

    finished = now()
    started = finished - timedelta(seconds=result.duration_seconds)
    store = open_store(db)
    try:
        info = store.record_scan(
            result,
            started_at=started,
            finished_at=finished,
            tool_version=__version__,
            catalog_version=catalog_version(load_catalog(ctx)),
            actor=actor(),
            kind=kind,
            snapshot=snapshot,
            waivers=waivers,
        )
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()
    typer.secho(f"recorded scan {info.id} in {store.location}", err=True, fg=typer.colors.CYAN)
    return result

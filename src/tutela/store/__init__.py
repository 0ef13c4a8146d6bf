"""The store: history of scans and findings, evidence, waivers and the audit trail.

SQLite by default (`.tutela/tutela.db` under the working directory), any
SQLAlchemy URL otherwise (PostgreSQL for teams). Importing this package
imports SQLAlchemy: command-line modules import it inside their commands.
"""

from tutela.store.store import (
    DEFAULT_DB,
    ScanInfo,
    SeenRange,
    Store,
    StoreError,
    StoreNotFoundError,
    WaiverEvent,
    default_actor,
    findings_digest,
    resolve_target,
)

__all__ = [
    "DEFAULT_DB",
    "ScanInfo",
    "SeenRange",
    "Store",
    "StoreError",
    "StoreNotFoundError",
    "WaiverEvent",
    "default_actor",
    "findings_digest",
    "resolve_target",
]

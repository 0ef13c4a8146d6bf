"""CSV: a header row, one row per finding, then one row per parse error.

Columns are `COLUMNS`; requirement ids (plain, as in JSON) are joined by `;`;
empty cells stand for "none". A text cell that a spreadsheet would run as a
formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`
(IaC text is untrusted input). Parse-error rows have status `parse_error` and
use `file`, `start_line`, `column`, `message` and `source`. Quoting and line
endings (CRLF, RFC 4180) are the `csv` module's.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from tutela.engine.findings import ScanResult
from tutela.reports import sorted_findings, sorted_parse_errors
from tutela.reports.context import ReportContext
from tutela.reports.json_report import finding_record

PARSE_ERROR_STATUS = "parse_error"

COLUMNS: tuple[str, ...] = (
    "rule_code",
    "rule_name",
    "title",
    "requirements",
    "status",
    "severity",
    "message",
    "resource_address",
    "resource_kind",
    "native_type",
    "source",
    "file",
    "start_line",
    "end_line",
    "column",
    "arn",
    "subject",
    "suppression_reason",
    "suppression_file",
    "suppression_line",
    "fingerprint",
)


# Spreadsheets run cells that start with these as formulas; IaC text is untrusted input.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def render_csv(result: ScanResult, ctx: ReportContext) -> str:
    del ctx  # every column comes from the findings themselves
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for f in sorted_findings(result.findings):
        rec = finding_record(f)
        sup = rec.pop("suppression")
        row: dict[str, Any] = {
            **rec,
            "requirements": ";".join(rec["requirements"]),
            "column": None,
            "suppression_reason": sup["reason"] if sup else None,
            "suppression_file": sup["file"] if sup else None,
            "suppression_line": sup["start_line"] if sup else None,
        }
        writer.writerow([_cell(row.get(c)) for c in COLUMNS])
    for e in sorted_parse_errors(result.parse_errors):
        row = {
            "status": PARSE_ERROR_STATUS,
            "message": e.message,
            "source": e.source,
            "file": e.file,
            "start_line": e.line,
            "end_line": e.line,
            "column": e.column,
        }
        writer.writerow([_cell(row.get(c)) for c in COLUMNS])
    return out.getvalue()

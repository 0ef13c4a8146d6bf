"""The HTML report: one self-contained file for the compliance team and auditors.

Everything is inline (CSS, a few lines of JavaScript to filter the findings,
SVG charts), nothing is fetched, so the file opens offline, from a mail
attachment or an evidence bundle. A Content-Security-Policy allows exactly
the page's own style and script (by hash) and nothing else.

Contents: header (policy, tool and catalog versions, time, targets), summary
cards, posture per section (chart `#posture-chart`, one bar per section) and
per framework (`#framework-chart`), the trend over recorded scans
(`#trend-chart`) when there is history, every requirement with its state,
findings grouped by requirement with severity badges and file:line or ARN
(`#findings-table`), remediation per rule, waivers with approvers and expiry
(expired ones highlighted), evidence status with next due dates, and the
files that could not be read.

Every string that comes from a scan, a waiver or an evidence record is
escaped: findings can carry attacker-controlled text from the scanned files.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from datetime import timedelta
from html import escape

from tutela.catalog.model import Catalog, Requirement
from tutela.engine.findings import Finding
from tutela.engine.posture_model import RequirementPosture, RequirementState, Rollup, TrendPoint
from tutela.evidence.model import EvidenceState
from tutela.reports import finding_sort_key, requirement_sort_key
from tutela.reports.audit import (
    STATE_ORDER,
    AuditInputs,
    WaiverLike,
    catalog_version,
    framework_rollups,
    iso_utc,
    section_rollups,
    waiver_applies,
    waiver_expired,
)
from tutela.rules.api import Severity, Status

__all__ = ["LISTED_STATUSES", "render_html"]

LISTED_STATUSES = (
    Status.FAIL,
    Status.NOT_EVALUATED,
    Status.ERROR,
    Status.WAIVED,
    Status.SUPPRESSED,
)
"""Findings listed one by one; passes and not-applicable results are counted only."""

EXPIRY_WARNING_DAYS = 30

STATE_LABEL: dict[RequirementState, str] = {
    RequirementState.FAIL: "Fail",
    RequirementState.NOT_EVALUATED: "Not evaluated",
    RequirementState.WAIVED: "Waived",
    RequirementState.PASS: "Pass",
    RequirementState.ATTESTED: "Attested",
    RequirementState.NO_VERIFICATION: "No verification",
}

CHART_ORDER: tuple[RequirementState, ...] = (
    RequirementState.PASS,
    RequirementState.ATTESTED,
    RequirementState.WAIVED,
    RequirementState.NOT_EVALUATED,
    RequirementState.FAIL,
    RequirementState.NO_VERIFICATION,
)
"""Bar segments left to right: the good part first."""

EVIDENCE_LABEL: dict[EvidenceState, str] = {
    EvidenceState.ATTESTED: "Attested",
    EvidenceState.DUE_SOON: "Due soon",
    EvidenceState.OVERDUE: "Overdue",
    EvidenceState.MISSING: "Missing",
}

STATUS_LABEL: dict[Status, str] = {
    Status.FAIL: "Fail",
    Status.NOT_EVALUATED: "Not evaluated",
    Status.ERROR: "Error",
    Status.WAIVED: "Waived",
    Status.SUPPRESSED: "Suppressed",
    Status.PASS: "Pass",
    Status.NOT_APPLICABLE: "Not applicable",
}


def _e(value: object) -> str:
    """Escape for element content and double-quoted attribute values."""
    return escape(str(value), quote=True)


def _slug(value: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in value)


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _fmt(value: float) -> str:
    """SVG numbers: short and locale-free."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _percent(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0") + "%"


def _where(f: Finding) -> str:
    if f.location is not None:
        return str(f.location)
    return f.arn or f.resource_address


# --- style and script ----------------------------------------------------------------------

_CSS = """
:root{--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--bg:#f5f7fa;--card:#fff;--accent:#1d4e89;
--pass:#2f855a;--attested:#2c7a7b;--waived:#b7791f;--not_evaluated:#718096;--fail:#c53030;
--no_verification:#cbd2d9;--critical:#822727;--high:#c53030;--medium:#c05621;--low:#2b6cb0;
--info:#4a5568}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--ink);background:var(--bg);font-size:15px;line-height:1.45}
body{margin:0}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px}
header.top{background:#102a43;color:#f0f4f8;padding:24px 32px 20px}
header.top h1{margin:0 0 4px;font-size:1.6rem;font-weight:650}
header.top p.sub{margin:0 0 14px;color:#bcccdc}
header.top dl{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:6px 24px;
margin:0}
header.top dt{font-size:.72rem;text-transform:uppercase;letter-spacing:.06em;color:#9fb3c8}
header.top dd{margin:0;font-weight:550;word-break:break-word}
nav.toc{background:#fff;border-bottom:1px solid var(--line);padding:8px 32px;position:sticky;
top:0;z-index:2}
nav.toc ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px}
nav.toc a{text-decoration:none;font-size:.9rem}
main{padding:8px 32px 40px;max-width:1280px;margin:0 auto}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:18px 22px;
margin:18px 0}
h2{font-size:1.25rem;margin:0 0 12px;color:#102a43}
h3{font-size:1.02rem;margin:18px 0 8px}
p.note{color:var(--muted);margin:4px 0 12px;font-size:.9rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:#fbfcfe}
.card .v{font-size:1.7rem;font-weight:700}
.card .k{color:var(--muted);font-size:.82rem}
.card.bad .v{color:var(--fail)}
.card.good .v{color:var(--pass)}
.split{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:18px;align-items:start}
@media (max-width:900px){.split{grid-template-columns:1fr}}
svg.chart{width:100%;height:auto;display:block}
svg text{font-family:inherit;fill:var(--ink)}
svg .axis{stroke:var(--line);stroke-width:1}
svg .lbl{font-size:12px}
svg .pct{font-size:12px;font-weight:700}
svg .big{font-size:26px;font-weight:700}
svg .muted{fill:var(--muted);font-size:11px}
.seg-pass{fill:var(--pass)}.seg-attested{fill:var(--attested)}.seg-waived{fill:var(--waived)}
.seg-not_evaluated{fill:var(--not_evaluated)}.seg-fail{fill:var(--fail)}
.seg-no_verification{fill:var(--no_verification)}
.donut-bg{fill:none;stroke:var(--no_verification)}
.arc{fill:none}
.arc.seg-pass{stroke:var(--pass)}.arc.seg-attested{stroke:var(--attested)}
.arc.seg-waived{stroke:var(--waived)}.arc.seg-not_evaluated{stroke:var(--not_evaluated)}
.arc.seg-fail{stroke:var(--fail)}.arc.seg-no_verification{stroke:var(--no_verification)}
.trend-line{fill:none;stroke:var(--accent);stroke-width:2.5}
.trend-area{fill:#1d4e89;fill-opacity:.08}
.trend-dot{fill:#fff;stroke:var(--accent);stroke-width:2}
.grid{stroke:#edf1f5;stroke-width:1}
ul.legend{list-style:none;padding:0;margin:8px 0 0;display:flex;flex-wrap:wrap;gap:4px 14px;
font-size:.85rem}
ul.legend li::before{content:"";display:inline-block;width:11px;height:11px;border-radius:2px;
margin-right:6px;vertical-align:-1px;background:var(--c)}
.lg-pass{--c:var(--pass)}.lg-attested{--c:var(--attested)}.lg-waived{--c:var(--waived)}
.lg-not_evaluated{--c:var(--not_evaluated)}.lg-fail{--c:var(--fail)}
.lg-no_verification{--c:var(--no_verification)}
table{border-collapse:collapse;width:100%;font-size:.88rem}
caption{text-align:left;color:var(--muted);padding:0 0 6px;font-size:.85rem}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:#f0f4f8;font-weight:650;position:sticky;top:38px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.group-row th{background:#e9eef5;font-weight:600;padding-top:9px}
tr.group-row .req-text{font-weight:400;color:var(--muted)}
td.loc,td.res{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem;
word-break:break-all}
.badge{display:inline-block;border-radius:10px;padding:1px 8px;font-size:.74rem;font-weight:650;
white-space:nowrap;color:#fff;background:var(--info)}
.sev-critical{background:var(--critical)}.sev-high{background:var(--high)}
.sev-medium{background:var(--medium)}.sev-low{background:var(--low)}.sev-info{background:var(--info)}
.st-pass{background:var(--pass)}.st-attested{background:var(--attested)}
.st-waived,.st-suppressed{background:var(--waived)}.st-not_evaluated,.st-error{background:var(--not_evaluated)}
.st-fail{background:var(--fail)}.st-no_verification{background:#9aa5b1}
.st-due_soon{background:var(--waived)}.st-overdue{background:var(--fail)}.st-missing{background:#9aa5b1}
.st-active{background:var(--pass)}.st-expiring{background:var(--waived)}.st-expired{background:var(--fail)}
tr.expired td,tr.expired th{background:#fff5f5}
tr.expired td.exp{color:var(--fail);font-weight:700}
tr.overdue td,tr.overdue th{background:#fff5f5}
tr.overdue td.due{color:var(--fail);font-weight:700}
td.date{white-space:nowrap}
.donut{max-width:230px;margin:0 auto}
ul.legend{margin-bottom:14px}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:0 0 10px}
.filters input,.filters select{font:inherit;padding:4px 8px;border:1px solid var(--line);
border-radius:6px}
.filters input{min-width:260px}
article.fix{border-top:1px solid var(--line);padding-top:6px}
pre{background:#f0f4f8;border-radius:6px;padding:10px;overflow:auto;font-size:.8rem}
details summary{cursor:pointer;color:var(--accent)}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:.8rem;text-align:center;padding:0 0 30px}
@media print{nav.toc,.filters{display:none}section{break-inside:avoid-page;border:none}
thead th{position:static}body{background:#fff}}
"""

_JS = """
(function () {
  var table = document.getElementById("findings-table");
  var text = document.getElementById("finding-filter");
  var severity = document.getElementById("severity-filter");
  var counter = document.getElementById("finding-count");
  if (!table || !text || !severity) { return; }
  function apply() {
    var q = text.value.toLowerCase();
    var s = severity.value;
    var shown = 0;
    var total = table.querySelectorAll("tr.finding").length;
    for (var i = 0; i < table.tBodies.length; i++) {
      var body = table.tBodies[i];
      var rows = body.querySelectorAll("tr.finding");
      var inGroup = 0;
      for (var j = 0; j < rows.length; j++) {
        var row = rows[j];
        var ok = (!q || row.textContent.toLowerCase().indexOf(q) >= 0) &&
                 (!s || row.getAttribute("data-severity") === s);
        row.hidden = !ok;
        if (ok) { inGroup++; }
      }
      var head = body.querySelector("tr.group-row");
      if (head) { head.hidden = inGroup === 0; }
      shown += inGroup;
    }
    if (counter) { counter.textContent = shown + " of " + total + " rows shown"; }
  }
  text.addEventListener("input", apply);
  severity.addEventListener("change", apply);
  apply();
})();
"""


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


# --- charts --------------------------------------------------------------------------------


def _legend() -> str:
    items = "".join(f'<li class="lg-{s.value}">{_e(STATE_LABEL[s])}</li>' for s in CHART_ORDER)
    return f'<ul class="legend" aria-hidden="true">{items}</ul>'


def bar_chart(chart_id: str, title: str, rollups: Sequence[Rollup], *, keyed: bool = True) -> str:
    """Horizontal stacked bars, one per rollup, segments per requirement state.

    `keyed` labels a bar with its key and title (`3.3 Data Protection`), else the title only.
    """
    width, bar_x, bar_w, row_h, top = 840, 290, 420, 34, 8
    height = top * 2 + row_h * max(len(rollups), 1)

    def describe(r: Rollup) -> str:
        parts = ", ".join(f"{n} {STATE_LABEL[s].lower()}" for s, n in _counts(r) if n)
        return f"{r.key} {r.title}: {_percent(r.percent)} of verified requirements pass ({parts})"

    desc = "; ".join(describe(r) for r in rollups)
    out = [
        f'<svg id="{_e(chart_id)}" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>',
    ]
    for i, r in enumerate(rollups):
        y = top + i * row_h
        total = sum(n for _, n in _counts(r)) or 1
        label = _short(f"{r.key} {r.title}" if keyed else r.title, 40)
        out.append(f'<g class="bar" data-key="{_e(r.key)}">')
        out.append(f"<title>{_e(f'{r.key} {r.title}: {_percent(r.percent)}')}</title>")
        out.append(
            f'<text class="lbl" x="{bar_x - 10}" y="{y + row_h / 2 + 4:.0f}" '
            f'text-anchor="end">{_e(label)}</text>'
        )
        x = float(bar_x)
        for state, n in _counts(r):
            if not n:
                continue
            w = bar_w * n / total
            out.append(
                f'<rect class="seg-{state.value}" x="{_fmt(x)}" y="{y + 6}" width="{_fmt(w)}" '
                f'height="{row_h - 12}"><title>{_e(f"{STATE_LABEL[state]}: {n}")}</title></rect>'
            )
            x += w
        out.append(
            f'<text class="pct" x="{bar_x + bar_w + 10}" y="{y + row_h / 2 + 4:.0f}">'
            f"{_e(_percent(r.percent))}</text>"
        )
        out.append(
            f'<text class="muted" x="{bar_x + bar_w + 62}" y="{y + row_h / 2 + 4:.0f}">'
            f"{_e(f'{len(r.requirement_ids)} req.')}</text>"
        )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _counts(r: Rollup) -> list[tuple[RequirementState, int]]:
    return [(s, int(r.states.get(s.value, 0))) for s in CHART_ORDER]


def donut_chart(chart_id: str, overall: Rollup) -> str:
    """The overall posture as a donut: the percentage in the middle."""
    size, radius, stroke = 180, 66, 24
    circumference = 2 * 3.141592653589793 * radius
    total = sum(n for _, n in _counts(overall)) or 1
    out = [
        f'<svg id="{_e(chart_id)}" class="chart" role="img" viewBox="0 0 {size} {size}" '
        f'aria-labelledby="{_e(chart_id)}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_e(chart_id)}-title">'
        f"{_e(f'Overall posture: {_percent(overall.percent)} of verified requirements pass')}"
        "</title>",
        f'<circle class="donut-bg" cx="{size / 2}" cy="{size / 2}" r="{radius}" '
        f'stroke-width="{stroke}"/>',
    ]
    offset = 0.0
    for state, n in _counts(overall):
        if not n:
            continue
        length = circumference * n / total
        out.append(
            f'<circle class="arc seg-{state.value}" cx="{size / 2}" cy="{size / 2}" '
            f'r="{radius}" stroke-width="{stroke}" '
            f'stroke-dasharray="{_fmt(length)} {_fmt(circumference - length)}" '
            f'stroke-dashoffset="{_fmt(-offset)}" '
            f'transform="rotate(-90 {size / 2} {size / 2})">'
            f"<title>{_e(f'{STATE_LABEL[state]}: {n}')}</title></circle>"
        )
        offset += length
    out.append(
        f'<text x="{size / 2}" y="{size / 2 + 6}" text-anchor="middle" class="big">'
        f"{_e(_percent(overall.percent))}</text>"
        f'<text x="{size / 2}" y="{size / 2 + 24}" text-anchor="middle" class="muted">'
        "verified passing</text></svg>"
    )
    return "".join(out)


def trend_chart(chart_id: str, points: Sequence[TrendPoint]) -> str:
    """Posture percentage over recorded scans (a line with a dot per scan)."""
    width, height = 760, 240
    left, right, top, bottom = 48, 48, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    ordered = sorted(points, key=lambda p: p.at)
    n = len(ordered)

    def px(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def py(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(100.0, value)) / 100)

    desc = "; ".join(
        f"{p.at.date().isoformat()}: {_percent(p.percent)}, {p.failing} failing" for p in ordered
    )
    out = [
        f'<svg id="{_e(chart_id)}" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_e(chart_id)}-title">Posture over recorded scans</title>',
        f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>',
    ]
    for tick in (0, 25, 50, 75, 100):
        y = py(tick)
        out.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{_fmt(y)}" y2="{_fmt(y)}"/>'
            f'<text class="muted" x="{left - 8}" y="{_fmt(y + 4)}" text-anchor="end">{tick}%</text>'
        )
    coords = [(px(i), py(p.percent)) for i, p in enumerate(ordered)]
    if coords:
        line = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in coords)
        base = _fmt(py(0))
        out.append(
            f'<polygon class="trend-area" points="{_fmt(coords[0][0])},{base} {line} '
            f'{_fmt(coords[-1][0])},{base}"/>'
        )
        out.append(f'<polyline class="trend-line" points="{line}"/>')
    step = max(1, n // 8)
    for i, (p, (x, y)) in enumerate(zip(ordered, coords, strict=True)):
        tip = f"{p.scan_id} {iso_utc(p.at)}: {_percent(p.percent)}, {p.failing} failing"
        out.append(
            f'<circle class="trend-dot" cx="{_fmt(x)}" cy="{_fmt(y)}" r="4">'
            f"<title>{_e(tip)}</title></circle>"
        )
        if i % step == 0 or i == n - 1:
            out.append(
                f'<text class="muted" x="{_fmt(x)}" y="{height - bottom + 18}" '
                f'text-anchor="middle">{_e(p.at.date().isoformat())}</text>'
            )
    out.append("</svg>")
    return "".join(out)


# --- sections ------------------------------------------------------------------------------


def _badge(kind: str, value: str, label: str) -> str:
    return f'<span class="badge {kind}-{_e(value)}">{_e(label)}</span>'


def _state_badge(state: RequirementState) -> str:
    return _badge("st", state.value, STATE_LABEL[state])


def _rollup_table(table_id: str, caption: str, rollups: Sequence[Rollup], first: str) -> str:
    head = "".join(f'<th scope="col" class="num">{_e(STATE_LABEL[s])}</th>' for s in CHART_ORDER)
    rows = []
    for r in rollups:
        cells = "".join(f'<td class="num">{n}</td>' for _, n in _counts(r))
        rows.append(
            f'<tr><th scope="row">{_e(r.key)}</th><td>{_e(r.title)}</td>{cells}'
            f'<td class="num"><strong>{_e(_percent(r.percent))}</strong></td></tr>'
        )
    return (
        f'<table id="{_e(table_id)}"><caption>{_e(caption)}</caption><thead><tr>'
        f'<th scope="col">{_e(first)}</th><th scope="col">Title</th>{head}'
        '<th scope="col" class="num">Posture</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _overall(states: Iterable[RequirementPosture]) -> Rollup:
    members = list(states)
    counts = {s.value: 0 for s in STATE_ORDER}
    for rp in members:
        counts[rp.state.value] += 1
    return Rollup("all", "All requirements", counts, tuple(rp.requirement_id for rp in members))


def _requirement_rows(catalog: Catalog, states: dict[str, RequirementPosture]) -> str:
    rows = []
    for req in catalog.requirements:
        rp = states.get(req.id)
        state = rp.state if rp else RequirementState.NO_VERIFICATION
        reasons = "; ".join(rp.reasons) if rp else ""
        rows.append(
            f'<tr id="req-{_e(_slug(req.id))}" data-state="{_e(state.value)}">'
            f'<th scope="row">{_e(req.id)}</th><td>{_e(req.text)}</td>'
            f"<td>{_e(req.verification.kind.value)}</td>"
            f"<td>{_e(', '.join(o.role for o in req.owners))}</td>"
            f"<td>{_state_badge(state)}</td><td>{_e(reasons)}</td></tr>"
        )
    return "".join(rows)


def _group_heading(catalog: Catalog, rid: str, text_of: dict[str, str]) -> str:
    text = text_of.get(rid)
    if text is None:
        try:
            text = catalog.get(rid).text
        except Exception:  # an id the catalog does not know: show it as is
            text = ""
    return (
        f'<tr class="group-row"><th colspan="7" scope="colgroup" id="findings-{_e(_slug(rid))}">'
        f'<a href="#req-{_e(_slug(rid))}">{_e(catalog.qualified(rid))}</a> '
        f'<span class="req-text">{_e(_short(text, 160))}</span></th></tr>'
    )


def _finding_row(f: Finding) -> str:
    note = ""
    if f.suppression is not None:
        note = f" (suppressed at {f.suppression.location}: {f.suppression.reason})"
    return (
        f'<tr class="finding" data-severity="{_e(f.severity.label)}" '
        f'data-status="{_e(f.status.value)}" data-fingerprint="{_e(f.fingerprint)}">'
        f"<td>{_badge('sev', f.severity.label, f.severity.label.capitalize())}</td>"
        f"<td>{_badge('st', f.status.value, STATUS_LABEL[f.status])}</td>"
        f'<td><a href="#fix-{_e(_slug(f.rule_code))}">{_e(f.rule_code)}</a></td>'
        f'<td class="res">{_e(f.resource_address)}</td>'
        f'<td class="loc">{_e(_where(f))}</td>'
        f"<td>{_e(f.message or f.title)}{_e(note)}</td></tr>"
    )


def _findings_section(inputs: AuditInputs, catalog: Catalog) -> tuple[str, list[str]]:
    listed = [f for f in inputs.result.findings if f.status in LISTED_STATUSES]
    groups: dict[str, list[Finding]] = {}
    for f in listed:
        for c in f.controls or ("(none)",):
            groups.setdefault(c, []).append(f)
    text_of = dict(inputs.ctx.requirement_text)
    bodies = []
    for rid in sorted(groups, key=requirement_sort_key):
        members = sorted(groups[rid], key=lambda f: (-int(f.severity), finding_sort_key(f)))
        cells = "".join(_finding_row(f) for f in members)
        bodies.append(f"<tbody>{_group_heading(catalog, rid, text_of)}{cells}</tbody>")
    rows = sum(len(groups[rid]) for rid in groups)
    rules = sorted({f.rule_code for f in listed})
    counts = inputs.result.counts()
    passed = counts.get(Status.PASS, 0)
    na = counts.get(Status.NOT_APPLICABLE, 0)
    if not bodies:
        table = '<p class="empty">No failing, waived, suppressed or unevaluated findings.</p>'
    else:
        options = "".join(
            f'<option value="{_e(s.label)}">{_e(s.label.capitalize())}</option>'
            for s in sorted(Severity, reverse=True)
        )
        table = (
            '<div class="filters"><label for="finding-filter">Filter</label>'
            '<input id="finding-filter" type="search" placeholder="rule, resource, file, text">'
            '<label for="severity-filter">Severity</label>'
            f'<select id="severity-filter"><option value="">all</option>{options}</select>'
            f'<span id="finding-count" class="note">{rows} rows</span></div>'
            '<table id="findings-table"><caption>Findings that need attention, grouped by '
            "requirement (a finding that verifies several requirements appears under each)."
            '</caption><thead><tr><th scope="col">Severity</th><th scope="col">Status</th>'
            '<th scope="col">Rule</th><th scope="col">Resource</th>'
            '<th scope="col">Location (file:line or ARN)</th><th scope="col">Detail</th></tr>'
            f"</thead>{''.join(bodies)}</table>"
        )
    body = (
        '<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Findings</h2>'
        f'<p class="note">{len(listed)} finding(s) listed; {passed} passing and {na} '
        "not-applicable checks are counted only.</p>"
        f"{table}</section>"
    )
    return body, rules


def _remediation_section(inputs: AuditInputs, codes: Sequence[str]) -> str:
    articles = []
    for code in codes:
        rule = inputs.ctx.ruleset.get(code)
        if rule is None:
            articles.append(
                f'<article class="fix" id="fix-{_e(_slug(code))}"><h3>{_e(code)}</h3>'
                '<p class="empty">This rule is not in the current rule set.</p></article>'
            )
            continue
        snippets = "".join(
            f"<details><summary>{_e(fmt)}</summary><pre><code>{_e(text)}</code></pre></details>"
            for fmt, text in sorted(rule.remediation_snippets.items())
        )
        refs = "".join(f"<li>{_e(ref)}</li>" for ref in rule.references)
        articles.append(
            f'<article class="fix" id="fix-{_e(_slug(code))}">'
            f"<h3>{_e(code)} · {_e(rule.title)} "
            f"{_badge('sev', rule.severity.label, rule.severity.label.capitalize())}</h3>"
            f"<p>{_e(rule.description)}</p>"
            f"<p><strong>Remediation.</strong> {_e(rule.remediation)}</p>{snippets}"
            f"{f'<ul>{refs}</ul>' if refs else ''}"
            f'<p class="note">Verifies {_e(", ".join(rule.controls))}.</p></article>'
        )
    inner = "".join(articles) or '<p class="empty">Nothing to remediate.</p>'
    return (
        '<section id="remediation" aria-labelledby="remediation-h">'
        f'<h2 id="remediation-h">Remediation</h2>{inner}</section>'
    )


def _waiver_state(w: WaiverLike, inputs: AuditInputs) -> tuple[str, str]:
    if waiver_expired(w, inputs.today):
        return "expired", "Expired"
    if w.expires_on <= inputs.today + timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring", "Expires soon"
    return "active", "Active"


def _waivers_section(inputs: AuditInputs) -> str:
    waivers = sorted(inputs.waivers, key=lambda w: (w.expires_on, w.id))
    if not waivers:
        inner = '<p class="empty">No waivers.</p>'
    else:
        rows = []
        for w in waivers:
            key, label = _waiver_state(w, inputs)
            covered = sum(
                1
                for f in inputs.result.findings
                if f.status in (Status.WAIVED, Status.FAIL) and waiver_applies(w, f)
            )
            scope = ", ".join(
                part
                for part in (
                    f"rule {w.rule}" if w.rule else "",
                    f"requirement {w.requirement}" if w.requirement else "",
                    f"resources {w.resource or '*'}",
                )
                if part
            )
            requested = getattr(w, "requested_by", "") or ""
            approved_on = getattr(w, "approved_on", None)
            rows.append(
                f'<tr class="waiver {key}" data-waiver="{_e(w.id)}"><th scope="row">{_e(w.id)}</th>'
                f"<td>{_e(scope)}</td><td>{_e(w.reason)}</td><td>{_e(requested)}</td>"
                f"<td>{_e(', '.join(w.approved_by))}</td>"
                f'<td class="date">{_e(approved_on.isoformat() if approved_on else "")}</td>'
                f'<td class="exp date">{_e(w.expires_on.isoformat())}</td>'
                f'<td>{_badge("st", key, label)}</td><td class="num">{covered}</td></tr>'
            )
        inner = (
            '<table id="waivers-table"><caption>Policy exceptions (section 3.2.2): an expired '
            "waiver no longer applies and its findings count as failing.</caption><thead><tr>"
            '<th scope="col">Waiver</th><th scope="col">Scope</th><th scope="col">Reason</th>'
            '<th scope="col">Requested by</th><th scope="col">Approved by</th>'
            '<th scope="col">Approved on</th><th scope="col">Expires on</th>'
            '<th scope="col">State</th><th scope="col" class="num">Findings</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    return (
        '<section id="waivers" aria-labelledby="waivers-h"><h2 id="waivers-h">Waivers</h2>'
        f"{inner}</section>"
    )


def _evidence_section(inputs: AuditInputs, catalog: Catalog) -> str:
    evidence = sorted(inputs.evidence, key=lambda e: requirement_sort_key(e.requirement_id))
    if not evidence:
        inner = (
            '<p class="empty">No evidence status was given (procedural requirements are '
            "tracked with <code>tutela evidence</code>).</p>"
        )
    else:
        rows = []
        for e in evidence:
            record = e.record
            try:
                req: Requirement | None = catalog.get(e.requirement_id)
            except Exception:  # not in this catalog: still list it
                req = None
            files = ""
            if record is not None and record.attachments:
                files = "".join(
                    f'<li>{_e(a.name)} <span class="loc">sha256 {_e(a.sha256[:16])}…</span></li>'
                    for a in record.attachments
                )
                files = f"<ul>{files}</ul>"
            row_class = "overdue" if e.state is EvidenceState.OVERDUE else e.state.value
            last = e.last_performed.isoformat() if e.last_performed else "—"
            rows.append(
                f'<tr class="evidence {_e(row_class)}" data-state="{_e(e.state.value)}">'
                f'<th scope="row">{_e(e.requirement_id)}</th>'
                f"<td>{_e(_short(req.text, 140) if req else '')}</td>"
                f"<td>{_e(req.cadence.kind.value if req else '')}</td>"
                f"<td>{_badge('st', e.state.value, EVIDENCE_LABEL[e.state])}</td>"
                f'<td class="date">{_e(last)}</td>'
                f"<td>{_e(record.performed_by if record else '')}</td>"
                f'<td class="due date">{_e(e.next_due.isoformat() if e.next_due else "—")}</td>'
                f"<td>{files}</td></tr>"
            )
        inner = (
            '<table id="evidence-table"><caption>Procedural requirements: overdue evidence '
            "counts as failing.</caption><thead><tr>"
            '<th scope="col">Requirement</th><th scope="col">Text</th>'
            '<th scope="col">Cadence</th><th scope="col">State</th>'
            '<th scope="col">Last performed</th><th scope="col">By</th>'
            '<th scope="col">Next due</th><th scope="col">Files</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    return (
        '<section id="evidence" aria-labelledby="evidence-h"><h2 id="evidence-h">Evidence</h2>'
        f"{inner}</section>"
    )


def _coverage_section(inputs: AuditInputs) -> str:
    result = inputs.result
    items = [
        f'<li><span class="loc">{_e(str(e))}</span> ({_e(e.source)})</li>'
        for e in sorted(result.parse_errors, key=lambda e: (e.file, e.line or 0))
    ]
    notes = [f"<li>{_e(n)}</li>" for n in result.notes]
    inner = (
        f"<p>{result.files_scanned} file(s), {result.resource_count} resource(s), "
        f"{result.rule_count} rule(s).</p>"
    )
    if items:
        inner += f"<h3>Files that could not be read</h3><ul>{''.join(items)}</ul>"
    if notes:
        inner += f"<h3>Notes</h3><ul>{''.join(notes)}</ul>"
    return (
        '<section id="coverage" aria-labelledby="coverage-h"><h2 id="coverage-h">'
        f"Scan coverage</h2>{inner}</section>"
    )


def render_html(inputs: AuditInputs) -> str:
    """The report as one HTML document (UTF-8 text)."""
    catalog = inputs.catalog
    posture = inputs.effective_posture()
    states = inputs.requirement_states()
    sections = section_rollups(catalog, posture.requirements)
    frameworks = framework_rollups(catalog, posture.requirements)
    overall = _overall(posture.requirements)
    result = inputs.result

    failing_reqs = sum(1 for rp in posture.requirements if rp.state is RequirementState.FAIL)
    failing = [f for f in result.findings if f.status is Status.FAIL]
    by_sev = {s: sum(1 for f in failing if f.severity is s) for s in Severity}
    expired = sum(1 for w in inputs.waivers if waiver_expired(w, inputs.today))
    overdue = sum(1 for e in inputs.evidence if e.state is EvidenceState.OVERDUE)
    generated = iso_utc(inputs.generated_at)

    header = (
        '<header class="top"><h1>'
        f"{_e(catalog.policy_id)} compliance report</h1>"
        f'<p class="sub">{_e(catalog.title)}</p><dl>'
        f"<div><dt>Policy</dt><dd>{_e(catalog.policy_id)}</dd></div>"
        f"<div><dt>Catalog version</dt><dd>{_e(catalog_version(catalog))}</dd></div>"
        f"<div><dt>Tool</dt><dd>tutela {_e(inputs.ctx.tool_version)}</dd></div>"
        f'<div><dt>Generated at</dt><dd><time datetime="{_e(generated)}">{_e(generated)}'
        "</time></dd></div>"
        f"<div><dt>Scan</dt><dd>{_e(inputs.scan_id or 'not recorded')}</dd></div>"
        f"<div><dt>Targets</dt><dd>{_e(', '.join(result.targets) or '—')}</dd></div>"
        "</dl></header>"
    )
    toc_items = [
        ("summary", "Summary"),
        ("posture", "Posture"),
        ("frameworks", "Frameworks"),
        *([("trend", "Trend")] if posture.trend else []),
        ("requirements", "Requirements"),
        ("findings", "Findings"),
        ("remediation", "Remediation"),
        ("waivers", "Waivers"),
        ("evidence", "Evidence"),
        ("coverage", "Coverage"),
    ]
    toc = (
        '<nav class="toc" aria-label="Contents"><ul>'
        + "".join(f'<li><a href="#{k}">{_e(v)}</a></li>' for k, v in toc_items)
        + "</ul></nav>"
    )

    def card(value: str, label: str, tone: str = "") -> str:
        return (
            f'<div class="card {tone}"><div class="v">{_e(value)}</div>'
            f'<div class="k">{_e(label)}</div></div>'
        )

    sev_line = ", ".join(f"{n} {s.label}" for s, n in sorted(by_sev.items(), reverse=True) if n)
    summary = (
        '<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>'
        '<div class="split"><div class="cards">'
        + card(
            _percent(overall.percent),
            "of verified requirements pass",
            "good" if overall.percent >= 80 else "bad",
        )
        + card(
            str(failing_reqs),
            f"of {len(posture.requirements)} requirements failing",
            "bad" if failing_reqs else "good",
        )
        + card(
            str(len(failing)),
            f"failing findings{': ' + sev_line if sev_line else ''}",
            "bad" if failing else "good",
        )
        + card(
            f"{len(inputs.waivers) - expired} / {expired}",
            "waivers active / expired",
            "bad" if expired else "",
        )
        + card(str(overdue), "procedural requirements overdue", "bad" if overdue else "good")
        + card(
            str(len(result.parse_errors)),
            "files that could not be read",
            "bad" if result.parse_errors else "",
        )
        + '</div><div class="donut">'
        + donut_chart("overall-donut", overall)
        + "</div></div></section>"
    )
    posture_html = (
        '<section id="posture" aria-labelledby="posture-h"><h2 id="posture-h">'
        "Posture by policy section</h2>"
        '<p class="note">Posture = requirements that pass, are attested or waived, among '
        "those with a verification.</p>"
        + bar_chart("posture-chart", "Posture per policy section", sections)
        + _legend()
        + _rollup_table("sections-table", "Requirement states per section", sections, "Section")
        + "</section>"
    )
    frameworks_html = (
        '<section id="frameworks" aria-labelledby="frameworks-h"><h2 id="frameworks-h">'
        "Posture by framework</h2>"
        f'<p class="note">Through the mapping of {_e(catalog.policy_id)} section 4, as written '
        "(run <code>tutela catalog lint</code> for known problems).</p>"
        + bar_chart("framework-chart", "Posture per framework", frameworks, keyed=False)
        + _legend()
        + _rollup_table(
            "frameworks-table", "Requirement states per framework", frameworks, "Framework"
        )
        + _framework_controls(posture.frameworks)
        + "</section>"
    )
    trend_html = ""
    if posture.trend:
        trend_html = (
            '<section id="trend" aria-labelledby="trend-h"><h2 id="trend-h">Trend</h2>'
            + trend_chart("trend-chart", posture.trend)
            + "</section>"
        )
    requirements_html = (
        '<section id="requirements" aria-labelledby="requirements-h">'
        '<h2 id="requirements-h">Requirements</h2>'
        "<details open><summary>All requirements and their states</summary>"
        '<table id="requirements-table"><caption>Every requirement of the policy.</caption>'
        '<thead><tr><th scope="col">Id</th><th scope="col">Requirement</th>'
        '<th scope="col">Verification</th><th scope="col">Owner</th>'
        '<th scope="col">State</th><th scope="col">Why</th></tr></thead>'
        f"<tbody>{_requirement_rows(catalog, states)}</tbody></table></details></section>"
    )
    findings_html, codes = _findings_section(inputs, catalog)
    body = "".join(
        (
            header,
            toc,
            '<main id="main">',
            summary,
            posture_html,
            frameworks_html,
            trend_html,
            requirements_html,
            findings_html,
            _remediation_section(inputs, codes),
            _waivers_section(inputs),
            _evidence_section(inputs, catalog),
            _coverage_section(inputs),
            "</main>",
            f"<footer>Generated by tutela {_e(inputs.ctx.tool_version)} at {_e(generated)}. "
            "This file is self-contained and needs no network.</footer>",
        )
    )
    css, js = _CSS.strip(), _JS.strip()
    csp = (
        f"default-src 'none'; style-src '{_csp_hash(css)}'; script-src '{_csp_hash(js)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="tutela {_e(inputs.ctx.tool_version)}">'
        '<link rel="icon" href="data:,">'
        f"<title>{_e(catalog.policy_id)} compliance report · {_e(generated)}</title>"
        f"<style>{css}</style></head><body>"
        '<a class="skip" href="#main">Skip to content</a>'
        f"{body}<script>{js}</script></body></html>\n"
    )


def _framework_controls(controls: Sequence[Rollup]) -> str:
    """Per framework control (`HIPAA 45 CFR § 164.312(b)`), folded by default."""
    if not controls:
        return ""
    rows = []
    for r in controls:
        framework, _, control = r.key.partition(":")
        cells = "".join(f'<td class="num">{n}</td>' for _, n in _counts(r))
        rows.append(
            f'<tr><td>{_e(framework)}</td><th scope="row">{_e(control or r.key)}</th>'
            f"<td>{_e(r.title)}</td>{cells}"
            f'<td class="num">{_e(_percent(r.percent))}</td></tr>'
        )
    head = "".join(f'<th scope="col" class="num">{_e(STATE_LABEL[s])}</th>' for s in CHART_ORDER)
    return (
        "<details><summary>Per framework control</summary>"
        '<table id="controls-table"><caption>Requirement states per framework control'
        '</caption><thead><tr><th scope="col">Framework</th><th scope="col">Control</th>'
        f'<th scope="col">Title</th>{head}<th scope="col" class="num">Posture</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )

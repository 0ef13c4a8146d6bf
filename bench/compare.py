"""tutela vs Checkov, side by side, on the same generated Terraform corpora.

    python bench/compare.py --sizes 1000,5000,20000 [--runs 3] [--large-runs 2]

For an empty directory, a small corpus (`--small`, 133 resources) and each size:

- generates the corpus once with `bench/generate.py` (deterministic, under `--work`);
- runs `tutela scan DIR -f json --no-cache` and
  `checkov -d DIR --framework terraform -o json` alternately, `--runs` times each
  (`--large-runs` from `--large-from` resources on), and prints median wall time,
  peak memory and the ratios;
- prints the marginal cost per resource between consecutive sizes;
- times tutela's re-scan after editing one file (cache on, after a warm-up scan) against
  its cold scan, for two edits (a comment; a tag value every resource of a service
  carries), and checks that the cached scan's report is the cold one once restored;
- checks recall: for each tutela rule with a Checkov counterpart (table `MAPPING`), the
  bundles with an injected violation (the generator's manifest) that each tool flagged,
  and the bundles each flagged without one.

Checkov runs from its own virtual environment (`--checkov-venv`, created with
`checkov==3.3.30` from PyPI when missing); nothing is installed into the environment
running this script. tutela runs as `python -m tutela` with this interpreter; its
package is byte-compiled first (`compileall`), as `pip install` leaves it, so that a
checkout run with PYTHONDONTWRITEBYTECODE does not time the compiler on every run
(Checkov's venv was byte-compiled by pip).

Peak memory is `/usr/bin/time -v`'s maximum resident set size (the largest single
process); `tree` is the peak of the summed proportional set size (PSS) of the process
and all its children, sampled every 50 ms, which counts pool workers too (Linux only).
Wall times depend on the machine's load: the load average is printed with the results.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CHECKOV_VERSION = "3.3.30"

# tutela rule -> the Checkov checks that judge the same thing (Terraform, AWS).
MAPPING: dict[str, tuple[str, ...]] = {
    "ENC001": ("CKV_AWS_19", "CKV_AWS_145"),  # S3 default encryption (KMS in our corpus)
    "BAK002": ("CKV_AWS_21",),  # S3 versioning
    "LOG005": ("CKV_AWS_18",),  # S3 access logging
    "KEY001": ("CKV_AWS_7",),  # KMS rotation
    "NET001": ("CKV_AWS_24", "CKV_AWS_25"),  # SSH / RDP open to the internet
    "IAM001": ("CKV_AWS_1", "CKV_AWS_62"),  # "*" on "*" (policy document / policy)
    "ENC003": ("CKV_AWS_16",),  # RDS storage encryption
    "NET003": ("CKV_AWS_17",),  # RDS publicly accessible
    "DR001": ("CKV_AWS_157",),  # RDS multi-AZ
    "DR002": ("CKV_AWS_293",),  # RDS deletion protection
    "BAK001": ("CKV_AWS_133",),  # RDS backup retention
    "LOG001": ("CKV_AWS_67",),  # CloudTrail multi-region
    "LOG002": ("CKV_AWS_36",),  # CloudTrail log file validation
    "LOG003": ("CKV_AWS_35",),  # CloudTrail KMS
    "FN002": ("CKV_AWS_50",),  # Lambda X-Ray tracing
    "SEC001": ("CKV_AWS_45",),  # secrets in Lambda environment variables
    "LOG006": ("CKV_AWS_37",),  # EKS control-plane logging
    "NET005": ("CKV_AWS_38", "CKV_AWS_39"),  # EKS public endpoint
    "CTR011": ("CKV_AWS_163",),  # ECR scan on push
    "CTR012": ("CKV_AWS_51",),  # ECR immutable tags
    "LOG004": ("CKV_AWS_338",),  # log group retention >= 1 year
    "ENC004": ("CKV_AWS_2",),  # ALB listener HTTPS
    "ENC002": ("CKV_AWS_3",),  # EBS encryption
    "NET004": ("CKV_AWS_79",),  # IMDSv2
}


# --------------------------------------------------------------------------- running things


@dataclass
class Run:
    seconds: float
    peak_kib: int  # largest single process (/usr/bin/time or getrusage)
    tree_kib: int  # summed over the process tree, sampled
    returncode: int


def _children(pid: int) -> list[int]:
    """All descendants of `pid` (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, stack = [], [pid]
    while stack:
        for child in parents.get(stack.pop(), ()):
            out.append(child)
            stack.append(child)
    return out


def _rss_kib(pid: int) -> int:
    """Proportional set size (shared pages split between the processes sharing them, so
    forked workers are not counted twice), else resident set size."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError, IndexError):
        return 0


class TreeSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        if not os.path.isdir("/proc"):
            return
        while not self.done.wait(0.05):
            pids = [self.pid, *_children(self.pid)]
            self.peak = max(self.peak, sum(_rss_kib(p) for p in pids))


_WRAPPER = """
import resource, subprocess, sys, time
t = time.perf_counter()
with open(sys.argv[2], "wb") as out:
    rc = subprocess.run(sys.argv[3:], stdout=out, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(f"{wall} {peak} {rc}")
"""


def measure(cmd: Sequence[str], cwd: Path, stdout: Path, env: dict[str, str] | None = None) -> Run:
    """Run `cmd` (its stdout to a file) in a fresh process; wall time and peak memory."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt", delete=False) as tf:
        report = Path(tf.name)
    gnu_time = shutil.which("time", path="/usr/bin")
    try:
        if gnu_time:
            full = [gnu_time, "-f", "%e %M %x", "-o", str(report), *cmd]
            started = time.perf_counter()
            with stdout.open("wb") as out:
                proc = subprocess.Popen(full, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL,
                                        env=env)
                sampler = TreeSampler(proc.pid)
                sampler.start()
                proc.wait()
                sampler.done.set()
            wall = time.perf_counter() - started
            fields = report.read_text().split()[-3:]
            peak, rc = int(fields[1]), int(fields[2])
        else:
            full = [sys.executable, "-c", _WRAPPER, str(report), str(stdout), *cmd]
            proc = subprocess.Popen(full, cwd=cwd, stderr=subprocess.DEVNULL, env=env)
            sampler = TreeSampler(proc.pid)
            sampler.start()
            proc.wait()
            sampler.done.set()
            w, p, r = report.read_text().split()
            wall, peak, rc = float(w), int(p), int(r)
    finally:
        report.unlink(missing_ok=True)
    return Run(wall, peak, max(sampler.peak, peak), rc)


# --------------------------------------------------------------------------- the tools


def checkov_venv(venv: Path) -> Path:
    """The checkov executable of `venv`, creating the venv with checkov when missing."""
    exe = venv / ("Scripts/checkov.cmd" if os.name == "nt" else "bin/checkov")
    if exe.exists():
        return exe
    print(f"creating {venv} with checkov=={CHECKOV_VERSION} (once)...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = venv / ("Scripts/pip.exe" if os.name == "nt" else "bin/pip")
    subprocess.run([str(pip), "install", "-q", f"checkov=={CHECKOV_VERSION}"], check=True)
    return exe


def byte_compile_tutela() -> None:
    """Byte-compile the tutela package this interpreter imports, as an installation would."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("tutela")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("tutela is not importable by this interpreter: pip install -e . first")
    for folder in spec.submodule_search_locations:
        compileall.compile_dir(folder, quiet=1)


def tutela_cmd(*extra: str) -> list[str]:
    return [sys.executable, "-m", "tutela", "scan", ".", "-f", "json", "--no-progress", *extra]


def checkov_cmd(exe: Path) -> list[str]:
    # --skip-download: no network calls (guidelines from Prisma Cloud), which only slow it.
    return [str(exe), "-d", ".", "--framework", "terraform", "-o", "json", "--skip-download"]


# --------------------------------------------------------------------------- corpora


def corpus(work: Path, resources: int, seed: int) -> Path:
    """The generated corpus for `resources` (made once, reused while its manifest is there)."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    dest = work / f"tf-{resources}-s{seed}"
    if not (dest / "corpus-manifest.json").exists():
        shutil.rmtree(dest, ignore_errors=True)
        generate(dest, resources, seed=seed)
    return dest


def empty_corpus(work: Path) -> Path:
    dest = work / "empty"
    dest.mkdir(parents=True, exist_ok=True)
    return dest


# --------------------------------------------------------------------------- recall


def _bundle_index(manifest: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    index: dict[tuple[str, str, str], int] = {}
    for i, b in enumerate(manifest["bundles"]):
        for type_, name, _ in b["resources"]:
            index[(b["directory"], type_, name)] = i
        for type_, name in b["data"]:
            index[(b["directory"], "data." + type_, name)] = i
    return index


_INDEX = re.compile(r"\[[^\]]*\]")


def _bundle(index: dict[tuple[str, str, str], int], file: str, address: str) -> int | None:
    """The bundle of a resource named by file and address (None: a shared module's)."""
    address = _INDEX.sub("", address)
    if address.startswith("module."):
        return None
    parts = address.split(".")
    if len(parts) < 2:
        return None
    type_ = ".".join(parts[:-1]) if parts[0] == "data" else parts[-2]
    directory = file.strip("/").rsplit("/", 1)[0]
    found = index.get((directory, type_, parts[-1]))
    if found is None and parts[0] != "data":  # Checkov names data sources without "data."
        found = index.get((directory, "data." + type_, parts[-1]))
    return found


def tutela_flags(report: Path, index: dict[tuple[str, str, str], int]) -> dict[str, set[int]]:
    data = json.loads(report.read_text())
    out: dict[str, set[int]] = {}
    for f in data["findings"]:
        if f["status"] != "fail" or f["rule_code"] not in MAPPING or not f["file"]:
            continue
        b = _bundle(index, f["file"], f["resource_address"])
        if b is not None:
            out.setdefault(f["rule_code"], set()).add(b)
    return out


def checkov_flags(report: Path, index: dict[tuple[str, str, str], int]) -> dict[str, set[int]]:
    text = report.read_text()
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    data: Any = json.loads(text[min(starts):]) if starts else {}
    reports = data if isinstance(data, list) else [data]
    by_check: dict[str, str] = {c: code for code, checks in MAPPING.items() for c in checks}
    out: dict[str, set[int]] = {}
    for rep in reports:
        for f in rep.get("results", {}).get("failed_checks", []):
            code = by_check.get(f.get("check_id", ""))
            if code is None:
                continue
            b = _bundle(index, f.get("file_path", ""), f.get("resource", ""))
            if b is not None:
                out.setdefault(code, set()).add(b)
    return out


def recall_table(corpus_dir: Path, tutela_json: Path, checkov_json: Path | None) -> list[str]:
    manifest = json.loads((corpus_dir / "corpus-manifest.json").read_text())
    index = _bundle_index(manifest)
    expected: dict[str, set[int]] = {}
    for i, b in enumerate(manifest["bundles"]):
        for v in b["violations"]:
            expected.setdefault(manifest["violation_rules"][v], set()).add(i)
    tut = tutela_flags(tutela_json, index)
    chk = checkov_flags(checkov_json, index) if checkov_json is not None else {}
    lines = [
        "| tutela rule | Checkov checks | injected | tutela found | Checkov found "
        "| found by both | tutela extra | Checkov extra |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for code in sorted(MAPPING):
        exp = expected.get(code, set())
        t, c = tut.get(code, set()), chk.get(code, set())
        lines.append(
            f"| {code} | {', '.join(MAPPING[code])} | {len(exp)} | {len(t & exp)} | "
            f"{len(c & exp) if checkov_json else '-'} | {len(t & c & exp)} | {len(t - exp)} | "
            f"{len(c - exp) if checkov_json else '-'} |"
        )
    return lines


# --------------------------------------------------------------------------- the comparison


@dataclass
class Row:
    label: str
    resources: int
    files: int
    tutela: list[Run] = field(default_factory=list)
    checkov: list[Run] = field(default_factory=list)
    rescan: list[Run] = field(default_factory=list)  # a comment appended to one file
    rescan_value: list[Run] = field(default_factory=list)  # a value edit changing resources


def _median(runs: Sequence[Run], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in runs) if runs else float("nan")


def _edit_targets(corpus_dir: Path, count: int) -> list[Path]:
    files = sorted(corpus_dir.glob("services/*/locals.tf"))
    step = max(1, len(files) // max(1, count))
    return files[::step][:count]


def _same_report(a: Path, b: Path) -> bool:
    def body(p: Path) -> list[str]:
        return [line for line in p.read_text().splitlines() if "duration_seconds" not in line]

    return body(a) == body(b)


def recall_only(args: argparse.Namespace) -> int:
    """The recall tables again, from the reports the last comparison left in --work."""
    out_dir = args.work / "reports"
    for n in ([args.small] if args.small else []) + [
        int(s) for s in args.sizes.split(",") if s.strip()
    ]:
        d = args.work / f"tf-{n}-s{args.seed}"
        manifest = json.loads((d / "corpus-manifest.json").read_text())
        count = manifest["resources"]
        tj, cj = out_dir / f"tutela-{count}.json", out_dir / f"checkov-{count}.json"
        print(f"\n### Recall on {count:,} resources: bundles with an injected violation that "
              "each tool flagged\n")
        print("\n".join(recall_table(d, tj, cj if cj.exists() else None)))
    return 0


def compare(args: argparse.Namespace) -> int:
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    out_dir = work / "reports"
    out_dir.mkdir(exist_ok=True)
    exe = None if args.skip_checkov else checkov_venv(args.checkov_venv)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    byte_compile_tutela()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    targets: list[tuple[str, Path, int, int]] = [("empty directory", empty_corpus(work), 0, 0)]
    for n in ([args.small] if args.small else []) + sizes:
        d = corpus(work, n, args.seed)
        m = json.loads((d / "corpus-manifest.json").read_text())
        targets.append((f"{m['resources']:,} resources", d, m["resources"], m["files"]))
    load_before = os.getloadavg()
    rows: list[Row] = []
    recalls: list[tuple[str, list[str]]] = []
    for label, d, n, files in targets:
        runs = args.large_runs if n >= args.large_from else args.runs
        row = Row(label, n, files)
        tj, cj = out_dir / f"tutela-{n}.json", out_dir / f"checkov-{n}.json"
        for r in range(runs):
            row.tutela.append(measure(tutela_cmd("--no-cache"), d, tj, env))
            if exe is not None:
                row.checkov.append(measure(checkov_cmd(exe), d, cj, env))
            print(f"  {label} run {r + 1}/{runs}: tutela {row.tutela[-1].seconds:.2f} s"
                  + (f", checkov {row.checkov[-1].seconds:.2f} s" if exe else ""),
                  file=sys.stderr)
        if n:
            cache = work / f"cache-{n}"
            shutil.rmtree(cache, ignore_errors=True)
            warm = out_dir / f"tutela-{n}-warm.json"
            measure(tutela_cmd("--cache-dir", str(cache)), d, warm, env)
            for target in _edit_targets(d, runs):
                original = target.read_bytes()
                # Two edits of one file: a comment (no resource changes), and a value every
                # resource of the service carries (its tags), as a real change would.
                edits = [
                    (row.rescan, original + b"# edited by bench/compare.py\n"),
                    (row.rescan_value, original.replace(
                        b'managed_by  = "terraform"', b'managed_by  = "terraform-edited"')),
                ]
                try:
                    for runs_of, edited in edits:
                        target.write_bytes(edited)
                        runs_of.append(
                            measure(tutela_cmd("--cache-dir", str(cache)), d, warm, env)
                        )
                        # Undo, and scan (untimed) so the next edit is the only change.
                        target.write_bytes(original)
                        measure(tutela_cmd("--cache-dir", str(cache)), d, warm, env)
                finally:
                    target.write_bytes(original)
            # Every edit restored: the cached scan must give the cold scan's report.
            check = out_dir / f"tutela-{n}-check.json"
            measure(tutela_cmd("--cache-dir", str(cache)), d, check, env)
            if not _same_report(check, tj):
                print(f"ERROR: the cached scan of {label} differs from the cold scan",
                      file=sys.stderr)
                return 1
            if not args.no_recall:
                recalls.append((label, recall_table(d, tj, cj if exe else None)))
        rows.append(row)
    load_after = os.getloadavg()
    print_report(rows, recalls, load_before, load_after, args)
    return 0


def print_report(
    rows: list[Row],
    recalls: list[tuple[str, list[str]]],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
    args: argparse.Namespace,
) -> None:
    cores = os.cpu_count()
    print(f"\n## tutela vs Checkov {CHECKOV_VERSION} ({cores} cores, load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after; medians of "
          f"{args.runs} runs, {args.large_runs} from {args.large_from:,} resources)\n")
    print("| corpus | files | tutela s | tutela MiB (tree) | Checkov s | Checkov MiB (tree) "
          "| speed-up | time tutela/Checkov | memory tutela/Checkov |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        ts, cs = _median(row.tutela, "seconds"), _median(row.checkov, "seconds")
        tm, cm = _median(row.tutela, "peak_kib") / 1024, _median(row.checkov, "peak_kib") / 1024
        tt = _median(row.tutela, "tree_kib") / 1024
        ct = _median(row.checkov, "tree_kib") / 1024
        has_c = bool(row.checkov)
        print(
            f"| {row.label} | {row.files:,} | {ts:.2f} | {tm:.0f} ({tt:.0f}) | "
            + (f"{cs:.2f} | {cm:.0f} ({ct:.0f}) | {cs / ts:.1f}x | {ts / cs:.3f} | "
               f"{tt / ct:.2f} |" if has_c else "- | - | - | - | - |")
        )
    print("\n### Re-scan after editing one file (cache on, warm), tutela\n")
    print("Comment: a comment appended to one service's locals.tf (no resource changes). "
          "Value: that file's `managed_by` tag changed, so every resource of the service "
          "changes and the cross-resource rules reading their kinds run again.\n")
    print("| corpus | cold s | re-scan, comment s | / cold | re-scan, value s | / cold |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        if row.rescan:
            cold = _median(row.tutela, "seconds")
            warm, value = _median(row.rescan, "seconds"), _median(row.rescan_value, "seconds")
            print(f"| {row.label} | {cold:.2f} | {warm:.2f} | {warm / cold:.0%} | "
                  f"{value:.2f} | {value / cold:.0%} |")
    sized = [r for r in rows if r.resources]
    if len(sized) > 1:
        print("\n### Marginal cost per resource between sizes\n")
        print("| between | tutela ms/res | tutela KiB/res | Checkov ms/res | Checkov KiB/res |")
        print("|---|---|---|---|---|")
        for a, b in itertools.pairwise(sized):
            if b.resources <= a.resources:
                continue

            def cost(x: Row, y: Row, runs: str, attr: str, scale: float) -> str:
                xs, ys = getattr(x, runs), getattr(y, runs)
                if not xs or not ys:
                    return "-"
                delta = _median(ys, attr) - _median(xs, attr)
                return f"{delta * scale / (y.resources - x.resources):.3f}"

            print(f"| {a.resources:,} → {b.resources:,} | "
                  f"{cost(a, b, 'tutela', 'seconds', 1000)} | "
                  f"{cost(a, b, 'tutela', 'tree_kib', 1)} | "
                  f"{cost(a, b, 'checkov', 'seconds', 1000)} | "
                  f"{cost(a, b, 'checkov', 'tree_kib', 1)} |")
    for label, lines in recalls:
        print(f"\n### Recall on {label}: bundles with an injected violation that each "
              "tool flagged\n")
        print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000", help="comma-separated resources")
    ap.add_argument("--small", type=int, default=133, help="a small corpus too (0: none)")
    ap.add_argument("--runs", type=int, default=3, help="runs per tool and corpus")
    ap.add_argument("--large-runs", type=int, default=2, help="runs from --large-from on")
    ap.add_argument("--large-from", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=HERE / ".work", help="corpora and reports")
    ap.add_argument("--checkov-venv", type=Path, default=HERE / ".venv-checkov")
    ap.add_argument("--skip-checkov", action="store_true", help="time tutela only")
    ap.add_argument("--no-recall", action="store_true")
    ap.add_argument(
        "--recall-only", action="store_true",
        help="only print the recall tables, from the reports of the last run in --work",
    )
    args = ap.parse_args(argv)
    return recall_only(args) if args.recall_only else compare(args)


if __name__ == "__main__":
    raise SystemExit(main())

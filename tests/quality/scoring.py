"""Running `validate` over many pages, and deciding which injections it caught.

The checker runs as a subprocess (`python -m validate FILES --format json --no-write -j 1`)
over batches of pages, a few batches at a time. Findings are read from the JSON by `file`,
`line`, `field`, `severity`, `code` and `message` only.

A finding catches an injection when it is NEW (the clean page had no finding of that code on
the same row, or header, and field) and it lands on one of the injection's targets:
- cell: same page and row, and the finding's field is the cell's or null (a row-level finding);
- row: same page and row, any field;
- column: same page, the finding's field is the column's (any line);
- header: the table's header line;
- mention: the finding's message names the text (a model), on either page of the pair.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from injector import Base, Injection, Target
from page_model import Page

WARN = ("warning", "error")


def validate_command() -> list[str]:
    return [sys.executable, "-m", "validate"]


def run_validate(files: dict[str, str], workdir: Path | None = None) -> dict[str, list[dict]]:
    """Write {name: text} into a fresh directory, check them in one process, and return
    {name: anomalies}."""
    own = workdir is None
    directory = Path(tempfile.mkdtemp(prefix="quality-")) if own else workdir
    directory.mkdir(parents=True, exist_ok=True)
    try:
        for name, text in files.items():
            (directory / name).write_text(text, encoding="utf-8")
        return _check(sorted(files), directory)
    finally:
        if own:
            shutil.rmtree(directory, ignore_errors=True)


INTERNAL = "internal-error"
# Seconds to wait before each new attempt of a batch the checker failed on.
RETRY_WAITS = (5, 20, 60)
_lasting = threading.Event()           # set once internal errors outlast the retries


def parse_report(proc) -> dict | None:
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        return None
    return report if isinstance(report, dict) and "anomalies" in report else None


def _check(names: list[str], cwd: Path) -> dict[str, list[dict]]:
    """Check the files in one process. The installed tool may be mid-edit (others improve the
    rules while this runs): a process that gives no report, or reports an internal error
    (exit 2 with a report), is tried again after a pause. Internal errors that outlast the
    pauses are accepted from then on without waiting (they are left out of the findings, see
    `findings`, and counted by the run)."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    command = validate_command() + names + ["--format", "json", "--no-write", "--fail-on", "never",
                                            "-j", "1"]
    for wait in (0,) + RETRY_WAITS:
        time.sleep(wait)
        proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
        report = parse_report(proc)
        if report is not None:
            if _lasting.is_set() or not any(a.get("name") == INTERNAL for a in report["anomalies"]):
                break
        print(f"\nvalidate failed in {cwd} (exit {proc.returncode}"
              f"{', internal error' if report else ', no report'}); trying again",
              file=sys.stderr)
    else:
        if report is not None:
            _lasting.set()
    if report is None:
        raise RuntimeError(f"validate exited {proc.returncode} in {cwd}:\n"
                           f"{proc.stderr[-2000:]}{proc.stdout[-500:]}")
    found: dict[str, list[dict]] = {name: [] for name in names}
    for item in report["anomalies"]:
        found.setdefault(item["file"], []).append(item)
    for entry in report.get("files", []):
        if entry.get("error"):
            raise RuntimeError(f"validate could not read {entry['path']}: {entry['error']}")
    return found


def run_batches(batches: list[dict[str, str]], workdir: Path, workers: int,
                progress=None) -> dict[str, list[dict]]:
    """Check each batch (names unique across batches) in its own process, `workers` at once."""
    def one(index_batch):
        index, batch = index_batch
        result = run_validate(batch, workdir / f"batch-{index:04d}")
        if progress:
            progress()
        return result

    found: dict[str, list[dict]] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for result in pool.map(one, enumerate(batches)):
            found.update(result)
    return found


def batch_up(units: list[dict[str, str]], size: int) -> list[dict[str, str]]:
    """Group units (a page, or a pair that must be checked together) into batches of about
    `size` files."""
    batches, current = [], {}
    for unit in units:
        if current and len(current) + len(unit) > size:
            batches.append(current)
            current = {}
        current.update(unit)
    if current:
        batches.append(current)
    return batches


# ---- names and anchors ------------------------------------------------------------------------

def file_names(stem: str, kind: str) -> dict[str, str]:
    """Role -> file name: a single page is `stem.md`; a pair is `stem.en.md` / `stem.ko.md`,
    which the checker pairs as language versions."""
    if kind == "pair":
        return {"en": f"{stem}.en.md", "ko": f"{stem}.ko.md"}
    return {"page": f"{stem}.md"}


def render(pages: dict[str, Page], names: dict[str, str]) -> dict[str, str]:
    return {names[role]: page.render() for role, page in pages.items()}


@dataclass(frozen=True)
class Finding:
    role: str
    anchor: tuple                   # ("row", id) | ("header",) | ("line", n)
    field: str | None
    code: str
    severity: str
    message: str

    @property
    def key(self) -> tuple:
        return (self.role, self.anchor, self.field, self.code)


def findings(pages: dict[str, Page], names: dict[str, str],
             found: dict[str, list[dict]]) -> list[Finding]:
    result = []
    for role, page in pages.items():
        rows = page.line_map()
        for item in found.get(names[role], []):
            if item.get("name") == INTERNAL:
                continue
            line = item.get("line")
            if line in rows:
                anchor = ("row", rows[line])
            elif line == page.header_line:
                anchor = ("header",)
            else:
                anchor = ("line", line)
            result.append(Finding(role, anchor, item.get("field"), item["code"],
                                  item["severity"], item.get("message") or ""))
    return result


def hits(target: Target, finding: Finding) -> bool:
    if target.kind == "mention":
        return bool(target.text) and target.text in finding.message
    if target.role is not None and target.role != finding.role:
        return False
    if target.kind == "cell":
        return finding.anchor == ("row", target.row) and finding.field in (None, target.field)
    if target.kind == "row":
        return finding.anchor == ("row", target.row)
    if target.kind == "column":
        return finding.field == target.field
    if target.kind == "header":
        return finding.anchor == ("header",)
    raise ValueError(target.kind)


@dataclass
class Verdict:
    caught_any: bool
    caught_warn: bool
    codes: list[str]                # codes of the catching findings


def judge(injection: Injection, injected: list[Finding], clean: list[Finding]) -> Verdict:
    before = {f.key for f in clean}
    new = [f for f in injected if f.key not in before]
    catching = [f for f in new if any(hits(t, f) for t in injection.targets)]
    return Verdict(bool(catching), any(f.severity in WARN for f in catching),
                   sorted({f.code for f in catching}))


def false_alarms(bases: list[Base], clean: dict[str, list[Finding]]) -> dict:
    rows = sum(b.rows for b in bases)
    severities = Counter(f.severity for b in bases for f in clean[b.key])
    codes = Counter(f.code for b in bases for f in clean[b.key] if f.severity in WARN)
    per100 = (lambda n: round(100 * n / rows, 2)) if rows else (lambda n: 0.0)
    return {"pages": sum(len(b.pages) for b in bases), "rows": rows,
            "warning_or_error": severities["warning"] + severities["error"],
            "info": severities["info"],
            "warning_or_error_per_100_rows": per100(severities["warning"] + severities["error"]),
            "info_per_100_rows": per100(severities["info"]),
            "codes": dict(sorted(codes.items()))}

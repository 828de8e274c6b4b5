"""Baselines: accepted debt recorded once, so only new findings are reported.

A finding is recorded by what it is about, not where: its file, rule, field, the cell's text
and the row's configuration (the key fields' text, or the whole row for tables without a
schema). Adding lines above a table, or editing another cell of the row, keeps it matched; a
changed value makes it new again. Identical fingerprints are matched by count.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from validate.errors import UserError

VERSION = 1


def _context(report, finding) -> str:
    if finding.table_index is None:
        return finding.message
    result = next(f for f in report.files if f.path == finding.file)
    table_result = result.tables[finding.table_index]
    table, match = table_result.table, table_result.match
    if finding.row_index is None:
        return " | ".join(table.header)
    cells = table.row_source(finding.row_index)
    if match.schema is not None and match.schema.key:
        picked = [cells[match.columns[name]] if match.columns.get(name, len(cells)) < len(cells) else ""
                  for name in match.schema.key]
        if any(picked):
            return " | ".join(picked)
    return " | ".join(cells)


def fingerprint(report, finding) -> tuple[str, str, str, str, str]:
    return (finding.file, finding.code, finding.field or "", finding.value or "",
            _context(report, finding))


def render_baseline(report) -> str:
    counts = Counter(fingerprint(report, f) for f in report.findings)
    entries = [{"file": f, "code": c, "field": fl or None, "value": v or None, "context": ctx,
                "count": n} for (f, c, fl, v, ctx), n in sorted(counts.items())]
    return json.dumps({"schema_version": VERSION, "tool": report.tool, "findings": entries},
                      ensure_ascii=False, indent=2) + "\n"


def load_baseline(path: str) -> Counter:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: not a baseline file: {exc}") from None
    if not isinstance(data, dict) or data.get("schema_version") != VERSION \
            or not isinstance(data.get("findings"), list):
        raise UserError(f"{path}: not a baseline file (expected schema_version {VERSION} and findings)")
    counts: Counter = Counter()
    for entry in data["findings"]:
        try:
            key = (entry["file"], entry["code"], entry["field"] or "", entry["value"] or "",
                   entry["context"])
            counts[key] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise UserError(f"{path}: malformed baseline entry {entry!r}") from None
    return counts


def apply_baseline(report, counts: Counter) -> None:
    """Move the findings the baseline accounts for from `report.findings` to `report.baselined`."""
    remaining = Counter(counts)
    kept = []
    for finding in report.findings:
        key = fingerprint(report, finding)
        if remaining[key] > 0:
            remaining[key] -= 1
            report.baselined.append(finding)
        else:
            kept.append(finding)
    report.findings = kept

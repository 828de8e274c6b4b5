"""Baselines: accepted debt recorded once, so only new findings are reported.

A finding is recorded by what it is about, not where: its file, rule, field, the cell's text
and the row's configuration (the key fields' text, or the whole row for tables without a
schema). Adding lines above a table, or editing another cell of the row, keeps it matched; a
changed value makes it new again. Identical fingerprints are matched by count.
"""

from __future__ import annotations

import json
from collections import Counter

from validate.errors import InputError, UserError

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


# A baseline of 100,000 findings is some 30 MB; anything far beyond is not one.
_MAX_BASELINE_BYTES = 256 * 1024 * 1024


def load_baseline(path: str) -> Counter:
    from validate.sources import read_bounded

    try:
        data = json.loads(read_bounded(path, limit=_MAX_BASELINE_BYTES).decode("utf-8"))
    except InputError as exc:
        if exc.reason == "no such file or directory":
            raise UserError(f"{path}: baseline file not found (create it with --write-baseline)") from None
        raise UserError(f"{path}: cannot read the baseline: {exc.reason}") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not a baseline file: not UTF-8 (byte at offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}: not a baseline file: {exc}") from None
    except RecursionError:
        raise UserError(f"{path}: not a baseline file: nested too deeply") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise UserError(f"{path}: not a baseline file: {str(exc).split(':')[0]}") from None
    if not isinstance(data, dict) or data.get("schema_version") != VERSION \
            or not isinstance(data.get("findings"), list):
        raise UserError(f"{path}: not a baseline file (expected schema_version {VERSION} and findings)")
    counts: Counter = Counter()
    for entry in data["findings"]:
        try:
            key = (entry["file"], entry["code"], entry["field"] or "", entry["value"] or "",
                   entry["context"])
            if not all(isinstance(part, str) for part in key):
                raise TypeError("fields must be text")
            count = entry.get("count", 1)
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise ValueError("count must be a positive whole number")
            counts[key] += count
        except (KeyError, TypeError, ValueError, AttributeError):
            shown = repr(entry)
            raise UserError(f"{path}: malformed baseline entry "
                            f"{shown if len(shown) <= 120 else shown[:120] + '...'}") from None
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

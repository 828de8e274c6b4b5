"""anomalies.json, as CONTRACT.md fixes it (plus the suppressed findings and table details)."""

from __future__ import annotations

import json

SCHEMA_VERSION = 1


def file_entry(result) -> dict:
    entry = {
        "path": result.path,
        "tables": len(result.tables),
        "rows": result.rows,
        "schemas": result.schemas,
        "error": result.error,
        "table_details": [
            {"index": t.table.index, "line": t.table.line, "columns": t.table.width,
             "rows": t.table.row_count,
             "schema": t.match.schema.name if t.match.schema else None,
             "match": t.match.reason}
            for t in result.tables
        ],
    }
    if result.changes is not None:
        # What the edit changed since the revision given to --since (absent: a new page).
        entry["since"] = {"ref": result.changes.ref, "absent": result.changes.absent}
        entry["changes"] = result.changes.as_list()
    return entry


def report_dict(report) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": dict(report.tool),
        "files": [file_entry(result) for result in report.files],
        "summary": report.summary(),
        "anomalies": [finding.as_dict() for finding in report.findings],
        "problems": [problem.as_dict() for problem in report.problems],
        "suppressed": [finding.as_dict() for finding in report.suppressed],
    }


# Lists of findings are written one finding per line: compact entries go through json's C
# encoder (an indented dump runs the pure-Python one, 20 times slower on 100,000 findings),
# and a line per finding still reads and diffs well.
_LINE_LISTS = ("anomalies", "problems", "suppressed")


def _dumps(value, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent)


def render_json(report) -> str:
    data = report_dict(report)
    parts = []
    for key, value in data.items():
        if key in _LINE_LISTS and value:
            body = ",\n".join(f"    {_dumps(entry)}" for entry in value)
            parts.append(f'  {_dumps(key)}: [\n{body}\n  ]')
        else:
            nested = _dumps(value, indent=2).replace("\n", "\n  ")
            parts.append(f"  {_dumps(key)}: {nested}")
    return "{\n" + ",\n".join(parts) + "\n}\n"

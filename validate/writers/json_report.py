"""anomalies.json, as CONTRACT.md fixes it (plus the suppressed findings and table details)."""

from __future__ import annotations

import json

SCHEMA_VERSION = 1


def file_entry(result) -> dict:
    return {
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


def report_dict(report) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": dict(report.tool),
        "files": [file_entry(result) for result in report.files],
        "summary": report.summary(),
        "anomalies": [finding.as_dict() for finding in report.findings],
        "suppressed": [finding.as_dict() for finding in report.suppressed],
    }


def render_json(report) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2, allow_nan=False) + "\n"

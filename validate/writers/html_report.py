"""anomalies.html: one self-contained page for reviewers (no network, every text escaped)."""

from __future__ import annotations

from pathlib import Path

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def page_model(report, timestamp: str | None, link: str | None) -> dict:
    """Everything the template shows, computed here so the template only lays it out."""
    by_cell: dict[tuple[str, int, int, int | None], list] = {}
    for finding in report.findings:
        if finding.table_index is None or finding.row_index is None:
            continue
        by_cell.setdefault((finding.file, finding.table_index, finding.row_index, finding.field),
                           []).append(finding)
    documents = []
    for result in report.files:
        tables = []
        for table_result in result.tables:
            table, match = table_result.table, table_result.match
            field_of = {column: name for name, column in match.columns.items()}
            rows = []
            for r, cells in enumerate(table.rows):
                row_findings = by_cell.get((result.path, table.index, r, None), [])
                shown = []
                for c, text in enumerate(cells):
                    found = by_cell.get((result.path, table.index, r, field_of.get(c)), []) \
                        if c in field_of else []
                    shown.append({"text": text, "findings": found,
                                  "severity": _worst(found)})
                line = table.row_lines[r]
                rows.append({"line": line, "cells": shown, "findings": row_findings,
                             "severity": _worst(row_findings),
                             "href": link.format(path=result.path, line=line) if link else None})
            tables.append({"index": table.index, "line": table.line, "header": table.header,
                           "rows": rows,
                           "schema": match.schema.name if match.schema else None,
                           "reason": match.reason})
        documents.append({"path": result.path, "error": result.error, "tables": tables})
    fired = sorted({f.code for f in report.findings})
    rules = [rule for rule in report.rules if rule.code in fired]
    by_category: dict[str, int] = {}
    for finding in report.findings:
        by_category[finding.category] = by_category.get(finding.category, 0) + 1
    return {
        "tool": report.tool,
        "timestamp": timestamp,
        "summary": report.summary(),
        "by_category": dict(sorted(by_category.items())),
        "files": report.files,
        "documents": documents,
        "findings": report.findings,
        "suppressed": len(report.suppressed),
        "rules": rules,
        "tables": sum(len(f.tables) for f in report.files),
        "rows": sum(f.rows for f in report.files),
    }


_ORDER = {"error": 3, "warning": 2, "info": 1}


def _worst(findings) -> str | None:
    if not findings:
        return None
    return max((f.severity for f in findings), key=_ORDER.get)


def render_html(report, timestamp: str | None = None, link: str | None = None) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(**page_model(report, timestamp, link))

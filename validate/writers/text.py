"""Terminal output: one line per anomaly, then a one-line summary."""

from __future__ import annotations


def finding_line(finding) -> str:
    return (f"{finding.file}:{finding.line}:{finding.column}: "
            f"{finding.severity} {finding.code} {finding.message}")


def summary_line(report) -> str:
    files = len(report.files)
    tables = sum(len(f.tables) for f in report.files)
    rows = sum(f.rows for f in report.files)
    counts = report.summary()
    scope = (f"{files} file{'s' if files != 1 else ''}, {tables} table{'s' if tables != 1 else ''}, "
             f"{rows} row{'s' if rows != 1 else ''}")
    unreadable = len(report.failed_files)
    if unreadable:
        scope += f" ({unreadable} unreadable)"
    total = sum(counts.values())
    if total:
        parts = [f"{counts['error']} error{'s' if counts['error'] != 1 else ''}",
                 f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}",
                 f"{counts['info']} info"]
        text = f"Found {total} anomal{'ies' if total != 1 else 'y'} in {scope}: {', '.join(parts)}"
    else:
        text = f"No anomalies in {scope}"
    if report.suppressed:
        text += f"; {len(report.suppressed)} suppressed"
    if report.baselined:
        text += f"; {len(report.baselined)} in the baseline"
    return text + "."


def render_text(report, minimum: str = "info") -> str:
    """Anomaly lines at or above `minimum` severity, then the summary (which counts them all)."""
    from validate.findings import at_or_above

    lines = [finding_line(f) for f in report.findings if at_or_above(f.severity, minimum)]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"

"""Terminal output: one line per anomaly, then a one-line summary."""

from __future__ import annotations

import re

# Control characters would split or garble a line: `\n`, `\r`, `\t`, else `\x1b`.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """`text` on one printable line: control characters escaped, and bytes of a file name
    that are not UTF-8 as `\\udcff` (as in the JSON, HTML and CSV reports)."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def finding_line(finding) -> str:
    return (f"{one_line(finding.file)}:{finding.line}:{finding.column}: "
            f"{finding.severity} {finding.code} {one_line(finding.message)}")


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

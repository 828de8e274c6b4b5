"""Terminal output: one line per problem (or, with `--cells`, per finding), then a summary."""

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


def summary_line(report, by_problem: bool = False) -> str:
    files = len(report.files)
    tables = sum(len(f.tables) for f in report.files)
    rows = sum(f.rows for f in report.files)
    scope = (f"{files} file{'s' if files != 1 else ''}, {tables} table{'s' if tables != 1 else ''}, "
             f"{rows} row{'s' if rows != 1 else ''}")
    unreadable = len(report.failed_files)
    if unreadable:
        scope += f" ({unreadable} unreadable)"
    counts = report.summary()
    total = sum(counts.values())
    if by_problem:
        counts = {"error": 0, "warning": 0, "info": 0}
        for problem in report.problems:
            counts[problem.severity] += 1
    parts = [f"{counts['error']} error{'s' if counts['error'] != 1 else ''}",
             f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}",
             f"{counts['info']} info"]
    if not total:
        text = f"No anomalies in {scope}"
    elif by_problem:
        count = len(report.problems)
        text = (f"Found {count} problem{'s' if count != 1 else ''} ({total} finding"
                f"{'s' if total != 1 else ''}) in {scope}: {', '.join(parts)}")
    else:
        text = f"Found {total} anomal{'ies' if total != 1 else 'y'} in {scope}: {', '.join(parts)}"
    if report.suppressed:
        text += f"; {len(report.suppressed)} suppressed"
    if report.baselined:
        text += f"; {len(report.baselined)} in the baseline"
    return text + "."


def problem_line(report, problem) -> str:
    primary = report.findings[problem.primary]
    cells = len(problem.anomalies)
    where = ""
    if cells > 1:
        lines = sorted({(report.findings[i].file, report.findings[i].line) for i in problem.anomalies})
        shown = ", ".join(str(line) for _, line in lines[:6]) + (
            f" and {len(lines) - 6} more" if len(lines) > 6 else "")
        files = len({file for file, _ in lines})
        where = (f" [{cells} cells: line{'s' if len(lines) > 1 else ''} {shown}"
                 + (f" in {files} files]" if files > 1 else "]"))
    return (f"{one_line(primary.file)}:{primary.line}:{primary.column}: "
            f"{problem.severity} {problem.code} {one_line(problem.summary)}{where}")


def render_text(report, minimum: str = "info", cells: bool = False) -> str:
    """Problem lines (finding lines with `cells`) at or above `minimum` severity, then the
    summary (which counts them all)."""
    from validate.findings import at_or_above

    if cells:
        lines = [finding_line(f) for f in report.findings if at_or_above(f.severity, minimum)]
    else:
        lines = [problem_line(report, p) for p in report.problems if at_or_above(p.severity, minimum)]
    lines.append(summary_line(report, by_problem=not cells))
    return "\n".join(lines) + "\n"

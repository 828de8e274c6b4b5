"""GitHub Actions workflow commands: one annotation per problem on the pull request."""

from __future__ import annotations

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report) -> str:
    """One annotation per problem, at its primary cell."""
    lines = []
    for problem in report.problems:
        f = report.findings[problem.primary]
        cells = len(problem.anomalies)
        title = _escape_property(f"{problem.id} {f.code} {f.name}"
                                 + (f" ({cells} cells)" if cells > 1 else ""))
        lines.append(f"::{_LEVEL[problem.severity]} file={_escape_property(f.file)},line={f.line},"
                     f"col={f.column},title={title}::{_escape_data(problem.summary)}")
    return "\n".join(lines) + ("\n" if lines else "")

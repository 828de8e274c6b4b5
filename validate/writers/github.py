"""GitHub Actions workflow commands: one annotation per anomaly on the pull request."""

from __future__ import annotations

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report) -> str:
    lines = []
    for f in report.findings:
        title = _escape_property(f"{f.code} {f.name}")
        lines.append(f"::{_LEVEL[f.severity]} file={_escape_property(f.file)},line={f.line},"
                     f"col={f.column},title={title}::{_escape_data(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")

"""anomalies.html: the reviewers' page, one self-contained file (no network, every text escaped).

This module builds the page model: what was checked, the counts, the rules that fired, the
findings with their evidence as text, each document's tables with every finding placed on
its cell and the language versions side by side (validate/writers/html_tables.py), and the
figures (validate/writers/plots.py). The template (validate/templates/report.html.j2) only
lays it out. Nothing here judges or drops a finding.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from validate.findings import CATEGORIES, SEVERITIES
from validate.writers.html_tables import (
    FindingView,
    TipIds,
    documents,
    source_link,
    translations,
    worst,
)

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_SCRIPT = "report.js"


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


# --- values as a reviewer reads them --------------------------------------------------------

def show(value: Any, key: str = "") -> str:
    """An evidence value as text: grouped digits, no `.0`, lists and mappings inline."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if "line" in key else f"{value:,}"
    if isinstance(value, float):
        if value != value:
            return "?"
        if value.is_integer() and abs(value) < 1e15:
            return show(int(value), key)
        if 1000 <= abs(value) < 1e15:
            return f"{value:,.1f}"
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')}: {show(v, k)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(show(v, key) for v in value) if value else "none"
    return str(value)


def evidence_items(evidence: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, text) per evidence key; a list of mappings becomes a list of texts."""
    items: list[tuple[str, Any]] = []
    for key, value in evidence.items():
        label = key.replace("_", " ")
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
            items.append((label, [show(v) for v in value]))
        else:
            items.append((label, show(value, key)))
    return items


# --- figures ------------------------------------------------------------------------------------

def _worst_per_row(marks: dict, key: tuple[str, int]) -> dict[int, str]:
    return {row: worst(severities) for row, severities in marks.get(key, {}).items()}


def figures(report) -> list[dict]:
    """Per schema-matched table: throughput per model, and C501's implied samples."""
    from validate.writers import plots

    c501 = next((rule for rule in report.rules if rule.code == "C501"), None)
    marks: dict[tuple[str, int], dict[int, list[str]]] = {}
    c501_marks: dict[tuple[str, int], dict[int, list[str]]] = {}
    for f in report.findings:
        if f.table_index is None or f.row_index is None:
            continue
        key = (f.file, f.table_index)
        if f.field in (None, "throughput"):
            marks.setdefault(key, {}).setdefault(f.row_index, []).append(f.severity)
        if f.code == "C501":
            c501_marks.setdefault(key, {}).setdefault(f.row_index, []).append(f.severity)
    shown = []
    for doc, result in enumerate(report.files):
        for table_result in result.tables:
            parsed = table_result.parsed
            if parsed is None:
                continue
            key = (result.path, table_result.table.index)
            prefix = f"fig{doc}t{key[1]}"
            models, left_out = plots.throughput_figures(parsed, _worst_per_row(marks, key), prefix)
            implied = None
            if c501 is not None and parsed.schema.name in report.options:
                implied = plots.implied_samples_figure(
                    parsed, report.options[parsed.schema.name]["C501"],
                    _worst_per_row(c501_marks, key), prefix + "c501")
            if models or implied:
                shown.append({"path": result.path, "table": key[1], "line": table_result.table.line,
                              "models": models, "left_out": left_out, "implied": implied})
    return shown


# --- the page -------------------------------------------------------------------------------

def _count(items, key) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[key(item)] = counts.get(key(item), 0) + 1
    return counts


def page_model(report, timestamp: str | None, link: str | None) -> dict:
    """Everything the template shows, computed here so the template only lays it out."""
    views = [FindingView(finding=f, where=f"{f.file}:{f.line}:{f.column}",
                         href=source_link(link, f.file, f.line),
                         evidence=evidence_items(f.evidence)) for f in report.findings]
    ids = TipIds()
    docs = documents(report, views, link, ids)
    pairs = translations(report, views, link, ids)
    by_code = _count(report.findings, lambda f: f.code)
    fired = [{"rule": rule, "count": by_code[rule.code],
              "severities": _count([f for f in report.findings if f.code == rule.code],
                                   lambda f: f.severity)}
             for rule in report.rules if rule.code in by_code]
    by_category = _count(report.findings, lambda f: f.category)
    by_file = _count(report.findings, lambda f: f.file)
    return {
        "tool": report.tool,
        "timestamp": timestamp,
        "summary": report.summary(),
        "suppressed": len(report.suppressed),
        "severities": SEVERITIES,
        "categories": [(c, by_category.get(c, 0)) for c in CATEGORIES],
        "files": report.files,
        "tables": sum(len(f.tables) for f in report.files),
        "rows": sum(f.rows for f in report.files),
        "fired": fired,
        "quiet": [rule.code for rule in report.rules if rule.code not in by_code],
        "findings": views,
        "filter_files": [(f.path, by_file[f.path]) for f in report.files if f.path in by_file],
        "documents": docs,
        "pairs": pairs,
        "figures": figures(report),
        "link": link,
    }


def _script() -> tuple[str, str]:
    """The page's one inline script and its CSP source expression (sha256, base64)."""
    text = (_TEMPLATES / _SCRIPT).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"sha256-{digest}"


def render_html(report, timestamp: str | None = None, link: str | None = None) -> str:
    from markupsafe import Markup

    script, script_hash = _script()
    if "</script" in script.lower():
        raise ValueError(f"{_SCRIPT} must not contain '</script'")
    template = _environment().get_template("report.html.j2")
    return template.render(**page_model(report, timestamp, link), script=Markup(script),
                           script_hash=script_hash)

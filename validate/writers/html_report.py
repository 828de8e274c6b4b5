"""anomalies.html: the reviewers' page, one self-contained file (no network, every text escaped).

This module builds the page model: "Start here" (the problems, validate/grouping.py, in rank
order, each with what to do and links to its cells where the tables highlight them), what was
checked, the counts, what an edit changed (when pages were compared with a revision:
validate/writers/html_changes.py), the rules that fired, the findings with their evidence as
text, each document's tables with every finding placed on its cell and the language versions
side by side (validate/writers/html_tables.py), and the figures the rules declare
(validate/writers/plots.py). The template (validate/templates/report.html.j2) only lays it
out. Nothing here judges or drops a finding,
and nothing knows a rule by its code: a rule's `view` says what can be drawn for it.

The page's size follows the findings: each finding's texts in the findings list share a
budget of FINDING_BYTES (long messages, values and evidence are clipped, evidence lists cut
to LIST_ITEMS entries), tooltips and notes repeat only a short message (the script copies
the full one from the list when a tooltip opens), and figures are bounded per table. A
problem adds one compact entry: its summary and what to do clipped, at most PROBLEM_CELLS
cell links and PROBLEM_EVIDENCE bytes of evidence; past PROBLEMS_SHOWN they are folded.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validate.findings import CATEGORIES, SEVERITIES
from validate.writers.html_changes import what_changed
from validate.writers.html_tables import (
    FindingView,
    TipIds,
    clip,
    clip_path,
    documents,
    escaped_size,
    source_link,
    translations,
    wrap_path,
)

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_SCRIPT = "report.js"
FINDING_BYTES = 1000       # a finding's where, value, message and evidence in the list, escaped
AGAIN_BYTES = 300          # ... less this for a finding also shown side by side (one more tooltip)
MESSAGE = (300, 400)       # characters, bytes of a message in the list
SHORT = (120, 160)         # ... in a tooltip or a note
VALUE = (160, 200)         # ... of a cell's source text in the list
LIST_ITEMS = 5             # entries of an evidence list shown
FIGURE_TABLES = 20         # tables drawn at most (those with findings) when a report has more
MAP_ITEMS = 8              # keys of an evidence mapping shown
PROBLEMS_SHOWN = 20        # problems listed open in "Start here"; the rest are folded
PROBLEM_CELLS = 6          # cells linked per problem (the rest are counted)
SUMMARY = (480, 560)       # characters, bytes of what a problem is
TODO = (160, 220)          # ... of what to do about it
PROBLEM_EVIDENCE = 280     # bytes of its primary finding's evidence shown with it
_TODO = "What to do:"      # how a problem's summary introduces what to do (validate.grouping)


def _bytecode_cache():
    """Jinja's cache of compiled templates in its private per-user directory (checked to be
    the user's own, mode 0700; keyed by the templates' checksums): compiling the page's
    templates costs more than rendering them. None when that directory cannot be had."""
    import jinja2

    class Cache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass            # a cache that cannot be written only costs the compile

    try:
        return Cache()
    except (OSError, RuntimeError):
        return None


def _environment():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    environment.filters["wbr"] = wrap_path
    environment.filters["clip_path"] = clip_path
    environment.filters["clip"] = clip
    return environment


# --- values as a reviewer reads them --------------------------------------------------------

def show(value: Any, key: str = "") -> str:
    """An evidence value as text: grouped digits, no `.0`, lists and mappings inline (cut)."""
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
        items = list(value.items())
        text = ", ".join(f"{clip(str(k), 60).replace('_', ' ')}: {show(v, str(k))}"
                         for k, v in items[:MAP_ITEMS])
        return text + (f", … {len(items) - MAP_ITEMS:,} more" if len(items) > MAP_ITEMS else "")
    if isinstance(value, (list, tuple)):
        if not value:
            return "none"
        text = ", ".join(show(v, key) for v in value[:LIST_ITEMS])
        return text + (f", … ({len(value):,} in all)" if len(value) > LIST_ITEMS else "")
    return clip(str(value))


def evidence_items(evidence: dict[str, Any], budget: int = FINDING_BYTES) -> list[tuple[str, Any]]:
    """(label, text) per evidence key, a list of mappings as a list of texts, in at most about
    `budget` bytes: a long value is clipped, and the items that do not fit are counted."""
    items: list[tuple[str, Any]] = []
    entries = list(evidence.items())
    for key, value in entries:
        label = clip(str(key), 60).replace("_", " ")
        room = budget - escaped_size(label) - 32        # 32: the item's markup
        if room < 40:
            break
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
            texts = []
            for entry in value[:LIST_ITEMS]:
                text = show(entry)
                if escaped_size(text) + 12 > room:
                    break
                texts.append(text)
                room -= escaped_size(text) + 12
            if not texts and room >= 60:
                texts.append(clip(show(value[0]), room - 12, room - 12))
                room = 0
            if not texts:
                break
            if len(texts) < len(value):
                texts.append(f"… {len(value) - len(texts):,} more")
            items.append((label, texts))
        else:
            text = show(value, str(key))
            if escaped_size(text) > room:
                text = clip(text, room, room)
            room -= escaped_size(text)
            items.append((label, text))
        budget = room
    if len(items) < len(entries):
        left = len(entries) - len(items)
        items.append(("more", f"{left} evidence item{'s' if left != 1 else ''} not shown"))
    return items


def finding_view(number: int, finding, link: str | None, file_keys: dict[str, str],
                 again: bool = False) -> FindingView:
    """A finding as the page shows it: where, message, value and evidence share the budget
    of one finding, in that order (less when it is `again` shown side by side)."""
    budget = FINDING_BYTES - (AGAIN_BYTES if again else 0)
    where = clip(f"{clip_path(finding.file)}:{finding.line}:{finding.column}", 140, 200)
    budget -= escaped_size(where)
    message = clip(finding.message, MESSAGE[0], min(MESSAGE[1], budget - 100))
    budget -= escaped_size(message)
    value = None
    if finding.value is not None:
        value = clip(str(finding.value), VALUE[0], max(40, min(VALUE[1], budget - 60)))
        budget -= escaped_size(value)
    return FindingView(finding=finding, where=where,
                       href=source_link(link, finding.file, finding.line),
                       evidence=evidence_items(finding.evidence, budget), number=number,
                       message=message, short=clip(finding.message, *SHORT), value=value,
                       file_key=file_keys.get(finding.file, ""))


# --- problems: where to start ------------------------------------------------------------------

@dataclass
class ProblemView:
    """A problem as "Start here" shows it: what is wrong, what to do, its cells and evidence."""

    problem: Any                       # validate.grouping.Problem
    primary: FindingView               # its primary finding
    what: str                          # clipped
    todo: str | None                   # clipped; None when the rule says nothing
    places: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    # ^ per file (shown, primary's file first): (anchor, label) of each cell, primary first
    more: int = 0                      # cells not linked (beyond PROBLEM_CELLS)
    evidence: list[tuple[str, Any]] = field(default_factory=list)   # the primary's, clipped


def _place(view: FindingView) -> str:
    """A cell's short label: `L47 vram`, `L47 row`, `L15`."""
    finding = view.finding
    detail = finding.field or ("row" if finding.row_index is not None else "")
    return clip(f"L{finding.line} {detail}".rstrip(), 40)


def problem_view(problem, views: list[FindingView]) -> ProblemView:
    """`problem`, its texts clipped, each cell linked to where the page highlights it."""
    what, _, todo = problem.summary.rpartition(_TODO)
    if not what:
        what, todo = todo, ""
    primary = views[problem.primary]
    order = [problem.primary] + [i for i in problem.anomalies if i != problem.primary]
    places: dict[str, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    linked = 0
    for index in order:
        view = views[index]
        anchor = view.anchor or f"f{view.number}"
        if anchor in seen:
            continue
        seen.add(anchor)
        if linked < PROBLEM_CELLS:
            places.setdefault(view.finding.file, []).append((anchor, _place(view)))
        linked += 1
    return ProblemView(
        problem=problem, primary=primary, what=clip(what.strip(), *SUMMARY),
        todo=clip(todo.strip(), *TODO) if todo.strip() else None,
        places=[(clip_path(path, 60), cells) for path, cells in places.items()],
        more=max(0, linked - PROBLEM_CELLS),
        evidence=evidence_items(primary.finding.evidence, PROBLEM_EVIDENCE))


# --- figures ------------------------------------------------------------------------------------

def figures(report) -> list[dict]:
    """Per schema-matched table, the figures the rules that ran declare (`Rule.view`)."""
    from validate.writers import plots

    declared = [rule for rule in report.rules if rule.view]
    if not declared:
        return []
    by_table: dict[tuple[str, int], list] = {}
    for f in report.findings:
        if f.table_index is not None and f.row_index is not None:
            by_table.setdefault((f.file, f.table_index), []).append(f)
    shown = []
    typed = sum(1 for result in report.files for t in result.tables
                if t.parsed is not None and t.inferred is None)
    for doc, result in enumerate(report.files):
        for table_result in result.tables:
            parsed = table_result.parsed
            if parsed is None or table_result.inferred is not None:
                continue
            options = report.options.get(parsed.schema.name, {})
            index = table_result.table.index
            findings = by_table.get((result.path, index), [])
            # Many tables (a page of 500): figures for the tables with findings only, and for
            # at most FIGURE_TABLES of them: a figure costs time and page, and shows a table's
            # shape, which its neighbours share.
            if typed > FIGURE_TABLES and (not findings or len(shown) >= FIGURE_TABLES):
                continue
            sets, seen = [], set()
            for number, rule in enumerate(declared):
                fields = set(parsed.values.columns)
                if (rule.code not in options or rule.code in parsed.schema.disabled
                        or not set(rule.needs) <= fields):
                    continue
                same = repr(sorted((k, v) for k, v in rule.view.items()
                                   if isinstance(v, (str, tuple))))
                if same in seen:
                    continue
                try:
                    drawn = plots.draw(rule, parsed, options[rule.code], findings,
                                       f"fig{doc}t{index}v{number}")
                except Exception as error:  # noqa: BLE001 - a figure's bug must not lose the page
                    drawn = plots.FigureSet(heading=f"{rule.code} {rule.name}", note=(
                        f"This figure could not be drawn ({type(error).__name__}: "
                        f"{clip(str(error), 200)}); please report it."))
                if drawn is not None and drawn.note and not drawn.figures:
                    sets.append(drawn)
                    continue
                if drawn is not None and drawn.figures:
                    seen.add(same)
                    sets.append(drawn)
            if sets:
                shown.append({"path": clip_path(result.path), "table": index,
                              "line": table_result.table.line, "sets": sets})
    return shown


# --- the page -------------------------------------------------------------------------------

def _count(items, key) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[key(item)] = counts.get(key(item), 0) + 1
    return counts


def page_model(report, timestamp: str | None, link: str | None) -> dict:
    """Everything the template shows, computed here so the template only lays it out."""
    file_keys = {f.path: str(number) for number, f in enumerate(report.files)}
    pair_rules = {rule.code for rule in report.rules if rule.scope == "pair"}
    views = [finding_view(number, f, link, file_keys, f.code in pair_rules)
             for number, f in enumerate(report.findings)]
    ids = TipIds()
    docs = documents(report, views, link, ids)
    pairs = translations(report, views, link, ids)
    by_code = _count(report.findings, lambda f: f.code)
    by_code_severity = _count(report.findings, lambda f: (f.code, f.severity))
    fired = [{"rule": rule, "count": by_code[rule.code],
              "severities": {level: by_code_severity[(rule.code, level)] for level in SEVERITIES
                             if (rule.code, level) in by_code_severity}}
             for rule in report.rules if rule.code in by_code]
    by_category = _count(report.findings, lambda f: f.category)
    by_file = _count(report.findings, lambda f: f.file)
    problems = [problem_view(problem, views) for problem in report.problems]
    by_problem = _count(report.problems, lambda p: p.severity)
    # Pages without a table (and nothing to say about them) fold into one line each list.
    tableless = [f.path for f in report.files if not f.error and not f.tables]
    quiet_docs = {d["path"] for d in docs if not d["error"] and not d["tables"] and not d["notes"]}
    return {
        "tool": report.tool,
        "timestamp": timestamp,
        "summary": report.summary(),
        "suppressed": len(report.suppressed),
        "severities": SEVERITIES,
        "categories": [(c, by_category.get(c, 0)) for c in CATEGORIES],
        "files": report.files,
        "checked": [f for f in report.files if f.error or f.tables],
        "checked_rows": sum(len(f.tables) or 1 for f in report.files if f.error or f.tables),
        "tableless": tableless,
        "tables": sum(len(f.tables) for f in report.files),
        "rows": sum(f.rows for f in report.files),
        "fired": fired,
        "quiet": [rule.code for rule in report.rules if rule.code not in by_code],
        "findings": views,
        "problems": problems[:PROBLEMS_SHOWN],
        "folded_problems": problems[PROBLEMS_SHOWN:],
        "problem_counts": [(level, by_problem.get(level, 0)) for level in SEVERITIES],
        "filter_files": [(file_keys[f.path], clip_path(f.path), by_file[f.path])
                         for f in report.files if f.path in by_file],
        "documents": [d for d in docs if d["path"] not in quiet_docs],
        "quiet_documents": [d for d in docs if d["path"] in quiet_docs],
        "pairs": pairs,
        "changes": what_changed(report, views, docs),
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
    # The style sheet goes in as it is, not through the template engine (which would parse it).
    style = (_TEMPLATES / "report.css").read_text(encoding="utf-8")
    if "</style" in style.lower():
        raise ValueError("report.css must not contain '</style'")
    template = _environment().get_template("report.html.j2")
    return template.render(**page_model(report, timestamp, link), script=Markup(script),
                           script_hash=script_hash, style=Markup(style.rstrip("\n")))

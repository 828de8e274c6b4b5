"""The page's tables as the site shows them, each finding placed on its cell.

A finding with a row and a field lands on that cell; with a row only, on the row; with a
field only, on the header cell; otherwise it is listed above the table (or the document).
The same placement serves the side-by-side view of two language versions. Nothing here
judges or drops a finding: it only decides where on the page each one is shown.

What a document supplied is shown clipped (`clip`): the page's size follows the number of
findings and rows shown, not how long a cell, a message or an evidence value is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from validate.findings import SEVERITY_RANK

# A table longer than this shows only its rows with findings and their neighbours: a page of
# 100,000 rows would be too heavy to open, and the clean rows tell a reviewer nothing.
MAX_ROWS_SHOWN = 1000
MAX_FLAGGED_ROWS_SHOWN = 2000   # rows with findings (and neighbours) shown of a longer table
CLIP = 300                 # characters of one cell, message or evidence value shown
LONG = 80                  # a cell longer than this wraps (and its height is capped)


def escaped_size(text: str) -> int:
    """Bytes of `text` in the page once escaped (UTF-8; `&<>"'` as entities)."""
    return (len(text.encode("utf-8", "surrogatepass")) + 3 * (text.count("<") + text.count(">"))
            + 4 * (text.count("&") + text.count('"') + text.count("'")))


def clip(text: str, chars: int = CLIP, size: int | None = None) -> str:
    """`text` as the page shows it: at most `chars` characters and `size` bytes once escaped
    (default twice `chars`); a longer text ends with an ellipsis and its full length."""
    size = 2 * chars if size is None else size
    if len(text) <= chars and (len(text) * 5 <= size or escaped_size(text) <= size):
        return text
    room = size - 32                       # the note of the full length
    low, high = 0, min(len(text), chars)   # the longest head that fits in `room`
    while low < high:
        middle = (low + high + 1) // 2
        if escaped_size(text[:middle]) <= room:
            low = middle
        else:
            high = middle - 1
    return f"{text[:low].rstrip()}… ({len(text):,} characters)"


def clip_path(path: str, chars: int = 120) -> str:
    """A path shown in full up to `chars` characters, else its last components after `…/`
    (a file name longer than that keeps its start and end)."""
    if len(path) <= chars:
        return path
    parts = path.split("/")
    kept = parts[-1]
    if len(kept) + 2 > chars:
        half = (chars - 3) // 2
        kept = f"{kept[:half]}…{kept[-half:]}"
    else:
        for part in reversed(parts[:-1]):
            if len(part) + len(kept) + 3 > chars:
                break
            kept = f"{part}/{kept}"
    return f"…/{kept}" if len(parts) > 1 else kept


def wrap_path(text: str) -> Markup:
    """Escaped text that may wrap after each `/` (long paths break at separators)."""
    return Markup("/<wbr>").join(escape(part) for part in text.split("/"))


@dataclass
class FindingView:
    finding: Any                       # validate.findings.Finding
    where: str                         # path:line:column (a long path clipped)
    href: str | None                   # the source, when a link template is configured
    evidence: list[tuple[str, Any]]    # (label, text or list of texts), clipped
    anchor: str | None = None          # id of the element on the page that shows it
    number: int = 0                    # its row in the findings list (id `f<number>`)
    message: str = ""                  # clipped for the list
    short: str = ""                    # clipped shorter for tooltips and notes
    value: str | None = None           # clipped
    file_key: str = ""                 # the filter's value for its file


@dataclass
class CellView:
    text: str                          # clipped
    findings: list[FindingView] = field(default_factory=list)
    anchor: str | None = None
    tip: str | None = None

    @property
    def long(self) -> bool:
        return len(self.text) > LONG

    @property
    def severity(self) -> str | None:
        return worst(v.finding.severity for v in self.findings)


@dataclass
class RowView:
    line: int
    label: str                         # path:line
    href: str | None
    cells: list[CellView]
    anchor: str
    findings: list[FindingView] = field(default_factory=list)   # row-level
    tip: str | None = None
    alone: bool = False                # no counterpart in the other language version

    @property
    def severity(self) -> str | None:
        return worst(v.finding.severity for v in self.findings)


@dataclass
class TableView:
    path: str
    index: int
    line: int
    schema: str | None
    reason: str
    header: list[CellView]
    rows: list[RowView]
    anchor: str
    notes: list[FindingView] = field(default_factory=list)      # table-level findings
    hidden_rows: int = 0               # clean rows left out of a very long table


def worst(severities) -> str | None:
    found = list(severities)
    return max(found, key=SEVERITY_RANK.get) if found else None


def source_link(link: str | None, path: str, line: int) -> str | None:
    """The source of `path:line` from a link template such as `https://.../{path}#L{line}`.

    Plain replacement of the two placeholders, never str.format (which would evaluate
    `{path.__class__}` or pad to any width); a template config.py would refuse gives no link.
    """
    from os import fsencode

    from validate.config import link_template_problem

    if not link or link_template_problem(link):
        return None
    # The path's bytes (a name need not be UTF-8), %-encoded: `:` too, so no scheme appears.
    return link.replace("{path}", quote(fsencode(path), safe="/")).replace("{line}", str(line))


class TipIds:
    """Deterministic element ids for tooltips."""

    def __init__(self) -> None:
        self.count = 0

    def tip(self) -> str:
        self.count += 1
        return f"tip{self.count}"


def table_view(doc: int, result, table_result, views: list[FindingView], link: str | None,
               ids: TipIds, prefix: str = "") -> TableView:
    """A table as written, each of `views` placed on its cell, row, header cell or the table.

    Rows are labelled `path:line`; in a side-by-side view (`prefix` set) the heading names
    the file and rows are labelled `line N`.
    """
    table, match = table_result.table, table_result.typed_match
    base = f"{prefix}d{doc}t{table.index}"
    header = [CellView(text=clip(text), anchor=f"{base}h{c}")
              for c, text in enumerate(table.header)]
    count = table.row_count
    shown = range(count)
    if count > MAX_ROWS_SHOWN:
        flagged = {v.finding.row_index for v in views if v.finding.row_index is not None}
        shown = sorted({r + d for r in flagged for d in (-1, 0, 1) if 0 <= r + d < count})
        # A table flagged on most of its rows (a hundred thousand repeated configurations)
        # shows its first rows with findings; the list of findings still names every one.
        shown = shown[:MAX_FLAGGED_ROWS_SHOWN]
    rows = []
    position: dict[int, int] = {}
    shown_path = clip_path(result.path)
    row_path = clip_path(result.path, 48)      # row labels stay on one line
    for r in shown:
        cells = table.row(r)
        line = table.row_lines[r]
        position[r] = len(rows)
        rows.append(RowView(
            line=line, label=f"line {line}" if prefix else f"{row_path}:{line}",
            href=source_link(link, result.path, line),
            cells=[CellView(text=clip(text), anchor=f"{base}r{r}c{c}")
                   for c, text in enumerate(cells)],
            anchor=f"{base}r{r}"))
    view = TableView(path=shown_path, index=table.index, line=table.line,
                     schema=table_result.match.schema.name if table_result.match.schema else None,
                     reason=table_result.match.reason, header=header, rows=rows, anchor=base,
                     hidden_rows=count - len(rows))
    for item in views:
        finding = item.finding
        column = match.columns.get(finding.field) if finding.field else None
        row = position.get(finding.row_index) if finding.row_index is not None else None
        if column is None and row is not None:
            # No canonical field (a table checked with an inferred schema): find the cell by
            # the column the finding points at.
            column = next((c for c in range(table.width)
                           if table.cell_column(finding.row_index, c) == finding.column), None)
        if row is not None and 0 <= row < len(rows):
            if column is not None and column < len(rows[row].cells):
                target = rows[row].cells[column]
                target.findings.append(item)
                item.anchor = item.anchor or target.anchor
            else:
                rows[row].findings.append(item)
                item.anchor = item.anchor or rows[row].anchor
        elif row is None and column is not None and column < len(header):
            header[column].findings.append(item)
            item.anchor = item.anchor or header[column].anchor
        else:
            view.notes.append(item)
            item.anchor = item.anchor or view.anchor
    for cell in header:
        cell.tip = ids.tip() if cell.findings else None
    for row_view in rows:
        row_view.tip = ids.tip() if row_view.findings else None
        for cell in row_view.cells:
            cell.tip = ids.tip() if cell.findings else None
    return view


def _by_table(views: list[FindingView]) -> dict[tuple[str, int | None], list[FindingView]]:
    grouped: dict[tuple[str, int | None], list[FindingView]] = {}
    for item in views:
        grouped.setdefault((item.finding.file, item.finding.table_index), []).append(item)
    return grouped


def documents(report, views: list[FindingView], link: str | None, ids: TipIds) -> list[dict]:
    grouped = _by_table(views)
    shown = []
    for doc, result in enumerate(report.files):
        tables = [table_view(doc, result, t, grouped.get((result.path, t.table.index), []),
                             link, ids) for t in result.tables]
        notes = grouped.get((result.path, None), [])
        for item in notes:
            item.anchor = item.anchor or f"d{doc}"
        shown.append({"path": result.path, "shown": clip_path(result.path), "anchor": f"d{doc}",
                      "error": clip(result.error) if result.error else None,
                      "tables": tables, "notes": notes})
    return shown


@dataclass(frozen=True)
class Sides:
    """The two tables an `unmatched-rows` view's `rows(sides)` compares (typed tables)."""

    left: Any
    right: Any


def translations(report, views: list[FindingView], link: str | None, ids: TipIds) -> list[dict]:
    """Pairs of language versions where a `pair` rule fired, their tables side by side.

    Rows with no counterpart are greyed: those that a rule with an `unmatched-rows` view
    flagged, and, where it fired on the pair, those its `rows(sides)` function (the rule's
    own matching: matched pairs, left-only rows, right-only rows) finds alone.
    """
    from validate.engine import paired_tables

    pair_rules = {rule.code for rule in report.rules if rule.scope == "pair"}
    unmatched = {rule.code: rule.view for rule in report.rules
                 if rule.view and rule.view.get("kind") == "unmatched-rows"}
    grouped = _by_table([v for v in views if v.finding.code in pair_rules])
    by_path = {result.path: (doc, result) for doc, result in enumerate(report.files)}
    pairs = []
    for left_path, right_path in report.pairs:
        if left_path not in by_path or right_path not in by_path:
            continue
        (left_doc, left), (right_doc, right) = by_path[left_path], by_path[right_path]
        sides = []
        for left_table, right_table in paired_tables(left, right):
            found = [grouped.get((left_path, left_table.table.index), []),
                     grouped.get((right_path, right_table.table.index), [])]
            if not (found[0] or found[1]):
                continue
            pair = [table_view(left_doc, left, left_table, found[0], link, ids, prefix="p"),
                    table_view(right_doc, right, right_table, found[1], link, ids, prefix="p")]
            alone: list[set[int]] = [set(), set()]
            for code in {item.finding.code for items in found for item in items} & set(unmatched):
                _, left_only, right_only = unmatched[code]["rows"](
                    Sides(left_table.parsed, right_table.parsed))
                alone[0].update(left_table.table.row_lines[r] for r in left_only)
                alone[1].update(right_table.table.row_lines[r] for r in right_only)
            for view, lines in zip(pair, alone):
                for row in view.rows:
                    row.alone = row.line in lines or any(
                        item.finding.code in unmatched for item in row.findings)
            sides.append(pair)
        if sides:
            pairs.append({"left": left_path, "right": right_path, "tables": sides})
    return pairs

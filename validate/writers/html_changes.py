"""The reviewers' page's "What changed": per page compared with a revision (`--since`), the edit.

Each changed cell before -> after (a rewrite that keeps the value, such as regrouped digits,
marked as the same value), each added row as it reads now, each removed row as it read at the
revision (it is no longer on the page), each relabelled row's configuration before -> after,
and beside each the findings on those cells, linked to the findings list. The data is
`FileResult.changes` (validate/changes.py); nothing here judges an edit or knows a rule.

A huge diff stays a bounded part of the page: at most CHANGES_SHOWN entries per page and
CHANGES_TOTAL in all are listed (the rest are counted; anomalies.json lists every change),
texts are clipped and each entry links at most ENTRY_FINDINGS findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from validate.findings import SEVERITY_RANK
from validate.writers.html_tables import FindingView, clip, clip_path

CHANGES_SHOWN = 200        # entries listed per page; the rest are counted
CHANGES_TOTAL = 1000       # ... and on the whole page
ENTRY_FINDINGS = 3         # findings linked per entry (the rest are counted)
CELL = (120, 160)          # characters, bytes of a cell's text before or after
ROW = (240, 320)           # ... of a row's text (added, removed) or configuration
LABEL = 40                 # characters of a column's header text


@dataclass
class ChangeView:
    """One entry: `kind` is changed, same (the same value written another way), added,
    removed or relabelled."""

    kind: str
    line: int                          # the line now; for a removed row, at the revision
    column: str                        # the column's header text ("" for a row)
    anchor: str | None                 # the cell or row in the tables below, when shown there
    before: str | None
    after: str | None
    findings: list[FindingView] = field(default_factory=list)
    more: int = 0                      # findings on it not linked


@dataclass
class PageChanges:
    path: str                          # clipped
    ref: str                           # clipped; "" for git's index
    anchor: str
    counts: str                        # "2 cells changed (…), 1 row added, …"
    notes: list[str] = field(default_factory=list)     # new pages, new tables, columns
    entries: list[ChangeView] = field(default_factory=list)
    more: int = 0                      # entries not listed


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _row_text(parsed, row: int) -> str:
    """A row's cells as written, ` | ` between them (clipped)."""
    if parsed.bounds is not None:                       # a stack: the row's own table
        part = int(parsed.segment_of()[row])
        table, row = parsed.tables[part], row - parsed.bounds[part]
    else:
        table = parsed.table
    return clip(" | ".join(table.row_source(row)), *ROW)


def _counts(tables) -> str:
    cells = sum(len(t.cells) for t in tables if t.old is not None)
    same = sum(not c.value_changed for t in tables if t.old is not None for c in t.cells)
    parts = []
    if cells:
        parts.append(_plural(cells, "cell") + " changed"
                     + (f" ({same:,} of them the same value written another way)" if same else ""))
    for what, count in (("added", sum(len(t.added) for t in tables if t.old is not None)),
                        ("removed", sum(len(t.removed) for t in tables)),
                        ("relabelled", sum(len(t.relabelled) for t in tables))):
        if count:
            parts.append(f"{_plural(count, 'row')} {what}")
    return ", ".join(parts)


def _on(views: list[FindingView], column: str | None = None) -> tuple[list[FindingView], int]:
    """The findings to link (worst first), and how many more there are."""
    chosen = [v for v in views if column is None or v.finding.field == column]
    chosen.sort(key=lambda v: (-SEVERITY_RANK.get(v.finding.severity, 0), v.number))
    return chosen[:ENTRY_FINDINGS], max(0, len(chosen) - ENTRY_FINDINGS)


def _cell(parsed, row: int, name: str, base: str, shown: set[str]) -> tuple[str, str | None]:
    """A column's header text on the page, and the id of the cell in the tables below."""
    column = parsed.match.columns.get(name)
    label = parsed.table.header[column] if column is not None else name
    here = column is not None and f"{base}r{row}" in shown
    return clip(label, LABEL), f"{base}r{row}c{column}" if here else None


def _table_entries(table, base: str, shown: set[str], by_row: dict, described) -> list[tuple]:
    """(sort key, entry) for each change in one table compared with its old version."""
    new, old = table.new, table.old
    index = new.table.index
    entries = []

    def row_anchor(row: int) -> str | None:
        return f"{base}r{row}" if f"{base}r{row}" in shown else None

    for change in table.cells:
        label, anchor = _cell(new, change.row, change.field, base, shown)
        linked, more = _on(by_row.get((index, change.row), []), change.field)
        line = new.line(change.row)
        entries.append(((index, line, 0, label), ChangeView(
            kind="changed" if change.value_changed else "same", line=line, column=label,
            anchor=anchor, before=clip(change.before, *CELL), after=clip(change.after, *CELL),
            findings=linked, more=more)))
    for row in table.added:
        linked, more = _on(by_row.get((index, row), []))
        entries.append(((index, new.line(row), 1, ""), ChangeView(
            kind="added", line=new.line(row), column="", anchor=row_anchor(row), before=None,
            after=_row_text(new, row), findings=linked, more=more)))
    for row in table.removed:
        entries.append(((index, old.line(row), 2, ""), ChangeView(
            kind="removed", line=old.line(row), column="", anchor=None,
            before=_row_text(old, row), after=None)))
    for old_row, row in table.relabelled:
        # The configurations as the JSON and the messages name them.
        entry = described().get((index, old.line(old_row), new.line(row)), {})
        linked, more = _on(by_row.get((index, row), []))
        entries.append(((index, new.line(row), 3, ""), ChangeView(
            kind="relabelled", line=new.line(row), column="", anchor=row_anchor(row),
            before=clip(entry.get("before") or _row_text(old, old_row), *ROW),
            after=clip(entry.get("after") or _row_text(new, row), *ROW),
            findings=linked, more=more)))
    return entries


def page_changes(doc: int, result, views: list[FindingView], shown: set[str],
                 room: int) -> PageChanges | None:
    """What changed in `result` (a FileResult compared with a revision), at most `room`
    entries listed; None when it was not compared or nothing in its tables changed.
    `shown`: the ids of the rows the tables below show (a long table shows only some)."""
    changes = result.changes
    if changes is None:
        return None
    tables = [t for t in changes.tables
              if t.old is None or t.cells or t.added or t.removed or t.relabelled
              or t.columns_added or t.columns_removed]
    if not tables:
        return None
    page = PageChanges(path=clip_path(result.path), ref=clip(changes.ref, 60), anchor=f"ch{doc}",
                       counts=_counts(tables))
    if changes.absent:
        rows = sum(len(t.new.values) for t in tables)
        page.notes.append(f"The page is new (it did not exist at the revision): all its "
                          f"{_plural(rows, 'row')} are added.")
    by_row: dict[tuple[int, int], list[FindingView]] = {}
    for view in views:
        finding = view.finding
        if finding.table_index is not None and finding.row_index is not None:
            by_row.setdefault((finding.table_index, finding.row_index), []).append(view)
    relabelled: dict = {}

    def described() -> dict:
        if not relabelled:
            relabelled.update({(e["table_index"], e["old_line"], e["line"]): e
                               for e in changes.as_list() if e["kind"] == "relabelled"})
        return relabelled

    entries: list[tuple] = []
    for table in tables:
        new = table.new
        where = f"Table {new.table.index} (line {new.table.line})"
        if table.old is None:
            if not changes.absent:
                page.notes.append(f"{where} is new: all its {_plural(len(new.values), 'row')} "
                                  "are added.")
            continue
        for what, names in (("added", table.columns_added), ("removed", table.columns_removed)):
            if names:
                page.notes.append(f"{where}: {'column' if len(names) == 1 else 'columns'} "
                                  f"{what}: " + clip(", ".join(names), *ROW))
        entries += _table_entries(table, f"d{doc}t{new.table.index}", shown, by_row, described)
    entries.sort(key=lambda item: item[0])
    listed = min(room, CHANGES_SHOWN)
    page.entries = [view for _, view in entries[:listed]]
    page.more = max(0, len(entries) - listed)
    return page


def what_changed(report, views: list[FindingView], docs: list[dict]) -> list[PageChanges]:
    """Per page compared with a revision where something changed, its changes (in page order)."""
    shown = {row.anchor for doc in docs for table in doc["tables"] for row in table.rows}
    by_file: dict[str, list[FindingView]] = {}
    for view in views:
        by_file.setdefault(view.finding.file, []).append(view)
    pages = []
    room = CHANGES_TOTAL
    for doc, result in enumerate(report.files):
        page = page_changes(doc, result, by_file.get(result.path, []), shown, room)
        if page is not None:
            room -= len(page.entries)
            pages.append(page)
    return pages

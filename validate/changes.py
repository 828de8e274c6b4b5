"""What an edit changed in a page's tables: cells before -> after, rows added, removed, relabelled.

The page now and the page at a git revision are both read and typed as usual; their tables
are paired by kind and position (the first guide table with the first), and their rows by the
schema's `key` (the configuration). A cell whose text changed is a change; whether its *value*
changed (`1,234` -> `1234` does not) is recorded beside it, for the change rules to judge. A
removed row and an added row with the very same measurements are a row *relabelled*: its
configuration edited, its numbers kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CellChange:
    table_index: int          # the table in the page now
    row: int                  # its row now
    old_row: int              # the row at the revision
    field: str
    before: str               # the cell's source text at the revision
    after: str                # and now
    value_changed: bool       # False: the same value written another way


@dataclass
class TableChanges:
    """One table now and its counterpart at the revision (None: the table is new)."""

    new: Any                  # ParsedTable now
    old: Any | None           # ParsedTable at the revision
    pairs: list[tuple[int, int]] = field(default_factory=list)        # (old row, new row)
    cells: list[CellChange] = field(default_factory=list)
    added: list[int] = field(default_factory=list)                    # new rows
    removed: list[int] = field(default_factory=list)                  # old rows
    relabelled: list[tuple[int, int]] = field(default_factory=list)   # (old row, new row)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def changed_rows(self) -> set[int]:
        """Rows now that the edit touched: changed cells, added or relabelled rows."""
        return ({c.row for c in self.cells} | set(self.added) | {new for _, new in self.relabelled})


@dataclass
class FileChanges:
    path: str
    ref: str
    absent: bool                      # the page did not exist at the revision
    tables: list[TableChanges] = field(default_factory=list)

    def table(self, index: int) -> TableChanges | None:
        for table in self.tables:
            if table.new.table.index == index:
                return table
        return None

    def as_list(self) -> list[dict[str, Any]]:
        """The changes as JSON data (the `changes` list of a file in anomalies.json)."""
        entries: list[dict[str, Any]] = []
        for table in self.tables:
            new, old = table.new, table.old
            index = new.table.index
            for change in table.cells:
                entries.append({"kind": "changed", "table_index": index, "line": new.line(change.row),
                                "old_line": old.line(change.old_row), "field": change.field,
                                "before": change.before, "after": change.after,
                                "value_changed": change.value_changed})
            for row in table.added:
                entries.append({"kind": "added", "table_index": index, "line": new.line(row)})
            for row in table.removed:
                entries.append({"kind": "removed", "table_index": index, "old_line": old.line(row),
                                "row": _describe(old, row)})
            for old_row, row in table.relabelled:
                entries.append({"kind": "relabelled", "table_index": index, "line": new.line(row),
                                "old_line": old.line(old_row), "before": _describe(old, old_row),
                                "after": _describe(new, row)})
            for name in table.columns_added:
                entries.append({"kind": "column added", "table_index": index, "line": new.table.line,
                                "field": name})
            for name in table.columns_removed:
                entries.append({"kind": "column removed", "table_index": index, "field": name})
        entries.sort(key=lambda e: (e.get("line") or 0, e.get("old_line") or 0, e["kind"],
                                    e.get("field") or ""))
        return entries


def _describe(parsed, row) -> str:
    from validate.rules.common import describe_row

    return describe_row(parsed, row)


def _typed_tables(result) -> dict[str, list]:
    """A page's typed tables of each schema, in page order (inferred ones left out)."""
    kinds: dict[str, list] = {}
    for table in result.tables:
        if table.parsed is not None and table.inferred is None:
            kinds.setdefault(table.parsed.schema.name, []).append(table.parsed)
    return kinds


def compare(path: str, ref: str, old_result, new_result) -> FileChanges:
    """The changes from the page at `ref` (`old_result`, None when absent) to the page now."""
    changes = FileChanges(path=path, ref=ref, absent=old_result is None)
    old_kinds = _typed_tables(old_result) if old_result is not None else {}
    for name, tables in _typed_tables(new_result).items():
        before = old_kinds.get(name, [])
        for position, new in enumerate(tables):
            old = before[position] if position < len(before) else None
            changes.tables.append(compare_tables(old, new))
    return changes


def _key(parsed, row: int) -> tuple:
    names = [k for k in parsed.schema.key if k in parsed.values.columns] or parsed.fields[:1]
    return tuple(" ".join(str(parsed.typed_cells(k)[row]).casefold().split()) for k in names)


def compare_tables(old, new) -> TableChanges:
    table = TableChanges(new=new, old=old)
    if old is None:
        table.added = list(range(len(new.values)))
        return table
    waiting: dict[tuple, list[int]] = {}
    for row in range(len(old.values)):
        waiting.setdefault(_key(old, row), []).append(row)
    for row in range(len(new.values)):
        rows = waiting.get(_key(new, row))
        if rows:
            table.pairs.append((rows.pop(0), row))
        else:
            table.added.append(row)
    table.removed = sorted(r for rows in waiting.values() for r in rows)
    shared = [f for f in new.fields if f in old.values.columns]
    table.columns_added = [f for f in new.fields if f not in old.values.columns]
    table.columns_removed = [f for f in old.fields if f not in new.values.columns]
    for old_row, row in table.pairs:
        for name in shared:
            before, after = old.source_cells(name)[old_row], new.source_cells(name)[row]
            if " ".join(before.split()) == " ".join(after.split()):
                continue
            changed = not _same(old.typed_cells(name)[old_row], new.typed_cells(name)[row])
            table.cells.append(CellChange(new.table.index, row, old_row, name, before, after, changed))
    # A removed row and an added row with the same measurements: the row was relabelled.
    measured = [f for f in new.schema.measurements if f in shared]
    if measured:
        removed = {}
        for old_row in table.removed:
            values = tuple(_plain(old.typed_cells(f)[old_row]) for f in measured)
            if sum(v is not None for v in values) >= min(2, len(measured)):
                removed.setdefault(values, old_row)
        for row in list(table.added):
            values = tuple(_plain(new.typed_cells(f)[row]) for f in measured)
            old_row = removed.pop(values, None)
            if old_row is not None:
                table.relabelled.append((old_row, row))
                table.added.remove(row)
                table.removed.remove(old_row)
    return table


def _plain(value):
    if value is None or str(value) == "<NA>" or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value) if isinstance(value, (int, float)) else str(value)


def _same(a, b) -> bool:
    a, b = _plain(a), _plain(b)
    if a is None or b is None:
        return a is b
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b

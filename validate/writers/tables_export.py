"""`--export-tables DIR`: every table of the checked files as CSV, with its source position.

One file per table, `DIR/<the page's path>.table<N>.csv`, holding what a reader sees in each
cell (markup removed) under the table's own header, after `source_file` and `source_line`.
Text cells a spreadsheet would run as formulas get a leading `'` (see csv_data).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from validate.writers.csv_data import defuse_cell, defuse_text, printable_path, render_csv


def export_path(directory: Path, source: str, index: int) -> Path:
    """Where a table's CSV goes: the page's path mirrored under `directory`, never above it.

    The mapping is one-to-one, so two pages never share a file: `%` is written `%25`, a `..`
    or `.` component `%2E%2E` or `%2E`, and an absolute path starts with a `%2F` directory
    (so `../p.md`, `_/p.md`, `%2E%2E/p.md` and `/p.md` all land in different places).
    """
    path = PurePosixPath(source.replace(os.sep, "/"))
    parts = []
    for part in path.parts:
        if part == "/":
            parts.append("%2F")
            continue
        part = part.replace("%", "%25")
        if part in (".", ".."):
            part = part.replace(".", "%2E")
        parts.append(part)
    parts[-1] = f"{parts[-1]}.table{index}.csv"
    return directory.joinpath(*parts)


def table_csv(source: str, table) -> str:
    header = ["source_file", "source_line", *(defuse_cell(cell) for cell in table.header)]
    shown = defuse_text(printable_path(source))
    rows = [[shown, str(line), *(defuse_cell(cell) for cell in cells)]
            for line, cells in zip(table.row_lines, table.rows)]
    return render_csv(header, rows)


def export_tables(report, directory: Path) -> list[Path]:
    from validate.writers import write_atomic

    written = []
    root = os.path.realpath(directory)
    for result in report.files:
        for table_result in result.tables:
            target = export_path(directory, result.path, table_result.table.index)
            # A directory under DIR may be a symbolic link leading out of it: never follow one
            # (checked before creating directories, and again before writing).
            for _ in range(2):
                if os.path.commonpath([root, os.path.realpath(target.parent)]) != root:
                    raise OSError(f"{printable_path(str(target.parent))} leads outside {directory}")
                target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, table_csv(result.path, table_result.table))
            written.append(target)
    return written

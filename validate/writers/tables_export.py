"""`--export-tables DIR`: every table of the checked files as CSV, with its source position.

One file per table, `DIR/<the page's path>.table<N>.csv`, holding what a reader sees in each
cell (markup removed) under the table's own header, after `source_file` and `source_line`.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from validate.writers.csv_data import render_csv


def export_path(directory: Path, source: str, index: int) -> Path:
    """Where a table's CSV goes: the page's path mirrored under `directory`, never above it."""
    parts = [part if part not in ("..", ".", "") else "_" for part in PurePosixPath(source).parts
             if part != "/"]
    parts[-1] = f"{parts[-1]}.table{index}.csv"
    return directory.joinpath(*parts)


def table_csv(source: str, table) -> str:
    header = ["source_file", "source_line", *table.header]
    rows = [[source, str(line), *cells] for line, cells in zip(table.row_lines, table.rows)]
    return render_csv(header, rows)


def export_tables(report, directory: Path) -> list[Path]:
    from validate.writers import write_atomic

    written = []
    for result in report.files:
        for table_result in result.tables:
            target = export_path(directory, result.path, table_result.table.index)
            write_atomic(target, table_csv(result.path, table_result.table))
            written.append(target)
    return written

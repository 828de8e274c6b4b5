"""Big tables take faster paths (source-line reading, Arrow cell store, rows shrunk for the
parser); they must read exactly as the ordinary path reads the same document."""

from __future__ import annotations

import pytest

from validate import reader
from validate.reader import read_tables

# Rows that need GFM's finer rules, spread through a big table.
_UNUSUAL_ROWS = [
    "| esc \\| aped | 2 | 3 |",
    "| **bold** | `code` | x&amp;y |",
    "| short row |",
    "| one | two | three | four |",
    "| a  b   c | 2 | 3 | <!-- validate: ignore D401 -->",
    "no | outer | pipes",
    "|  | empty first | 3 |",
    "| 1,138,546 MiB | 1403,2189 | 27B |",
]


def _document(rows: int) -> str:
    lines = ["# Big", "", "| model | vram | time |", "| --- | ---: | :-: |"]
    for r in range(rows):
        if r % 97 == 13:
            lines.append(_UNUSUAL_ROWS[(r // 97) % len(_UNUSUAL_ROWS)])
        else:
            lines.append(f"| model-{r} | {r * 7:,} MiB | {r % 60}m |")
    lines += ["", "After the table.", "", "| a | b |", "|---|---|", "| 1 | 2 |", ""]
    return "\n".join(lines)


def _ordinary_path(monkeypatch) -> None:
    for name in ("_BIG_TABLE_BYTES", "_BIG_TABLE_LINES", "_KEEP_ROWS_FOR_PARSER", "_ARROW_ROWS"):
        monkeypatch.setattr(reader, name, 10**9)


def _as_data(tables):
    return [
        (t.line, t.header, t.rows, t.row_sources, t.row_lines, t.row_comments, t.cell_counts(),
         [t.shown_column(j).tolist() for j in range(t.width)],
         [t.source_column(j).tolist() for j in range(t.width)],
         [t.cell_column(r, j) for r in range(0, t.row_count, 97) for j in range(t.width)])
        for t in tables
    ]


@pytest.mark.parametrize("rows", [1_500, 2_600])
def test_a_big_table_reads_as_the_ordinary_path_reads_it(rows, monkeypatch):
    text = _document(rows)
    fast = read_tables(text)
    assert len(fast) == 2 and fast[0].row_count == rows
    if rows > reader._ARROW_ROWS:
        assert isinstance(fast[0].store, reader.ArrowRows)
    _ordinary_path(monkeypatch)
    slow = read_tables(text)
    assert isinstance(slow[0].store, reader.ListRows)
    assert _as_data(fast) == _as_data(slow)


def test_one_row_of_a_big_table_is_built_on_demand():
    table = read_tables(_document(2_600))[0]
    assert table.row(13) == ["esc | aped", "2", "3"]
    assert table.row_source(13) == ["esc \\| aped", "2", "3"]
    assert table.row(13 + 97 * 2) == ["short row", "", ""]
    assert table.cell_count(13 + 97 * 3) == 4
    assert table.row(500) == ["model-500", "3,500 MiB", "20m"]


def test_a_long_run_of_pipe_lines_that_is_not_a_table_is_not_shrunk():
    # 1,200 paragraph lines that start with a pipe, then a table right after the paragraph:
    # shrinking the run would hide that table's header and delimiter rows from the parser.
    # (cmark-gfm renders this as a paragraph and then the table.)
    lines = [f"|note {i}" for i in range(1_200)] + ["| a | b |", "|---|---|", "| 1 | 2 |"]
    tables = read_tables("\n".join(lines) + "\n")
    assert [(t.line, t.header, t.rows) for t in tables] == [(1_201, ["a", "b"], [["1", "2"]])]

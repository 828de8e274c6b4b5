"""Big tables take faster paths (source-line reading, Arrow cell store, rows shrunk for the
parser); they must read exactly as the ordinary path reads the same document."""

from __future__ import annotations

import re

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


# --- budgets of padded cells ---------------------------------------------------------------

def _short_rows(columns: int, rows: int, after: str) -> str:
    return "|" + "a|" * columns + "\n|" + "-|" * columns + "\n" + "x\n" * rows + after


def test_padded_cells_past_the_parser_budget_are_read_as_cmark_gfm_reads_them():
    """pulldown-cmark ends a table once its padded cells pass 2**18, cmark-gfm once they have
    passed 2**19; the reader reads on from the source lines, and after cmark-gfm's budget the
    next line starts a paragraph (here with a table under it)."""
    from gfm_oracle import render_html

    text = _short_rows(1025, 600, "| q |\n|---|\n")
    # cmark-gfm's HTML has half a million cells: the rows' lines are read from it with a
    # regular expression (gfm_oracle's HTML parser takes seconds); as gfm_oracle does, the
    # header line is the first row's less 2, or the delimiter row's less 1 for a header alone.
    expected = []
    for end, rows in re.findall(r'<table data-sourcepos="\d+:\d+-(\d+):\d+">(.*?)</table>',
                                render_html(text), re.DOTALL):
        lines = [int(n) for n in re.findall(r'<tr data-sourcepos="(\d+):', rows)][1:]
        expected.append((lines[0] - 2 if lines else int(end) - 1, len(lines), lines))
    assert expected[0][1] == 513  # 513 rows of 1,024 padded cells: 2**19 and one row
    assert [(t.line, t.row_count, t.row_lines) for t in read_tables(text)] == expected


@pytest.mark.parametrize("after", ["\n| q |\n|---|\n", "| q |\n|---|\n"])
def test_padding_budgets_of_a_big_table(after):
    # A big table (source-line path): 9 padded cells a row; cmark-gfm lets rows in while the
    # padding so far is at most 2**19.
    tables = read_tables(_short_rows(10, 70_000, after))
    second = 70_003 + (after[0] == "\n")  # after the blank line, or right under the rows
    assert [(t.line, len(t.rows)) for t in tables] == [(1, 2**19 // 9 + 1), (second, 0)]
    assert tables[0].rows[-1] == ["x"] + [""] * 9


# --- hostile pages: read, and in time about linear in their size (figures printed) ---------

def _timed(label: str, text: str):
    import time

    start = time.perf_counter()
    tables = read_tables(text)
    print(f"\n{label}: {len(text) / 1e6:.2f} MB in {time.perf_counter() - start:.3f} s")
    return tables


def test_hostile_pages_are_read():
    assert _timed("5 MB single line", "x | " * 1_250_000) == []
    wide = _timed("10,000 columns x 5 rows", "|" + "|".join(f"c{i}" for i in range(10_000)) + "|\n|"
                  + "---|" * 10_000 + "\n" + ("|" + "v|" * 10_000 + "\n") * 5)
    assert len(wide[0].header) == 10_000 and wide[0].row_count == 5
    small = "| model | vram |\n|---|---|\n| Llama 1 | 1,403 MiB |\n| b | 2 |\n\ntext\n\n"
    assert len(_timed("500 small tables", small * 500)) == 500
    assert len(_timed("5,000 small tables", small * 5_000)) == 5_000
    (cell,) = _timed("a 5 MB cell", "| a | b |\n|---|---|\n| " + "x" * 5_000_000 + " | 2 |\n")
    assert len(cell.rows[0][0]) == 5_000_000
    # Runs that made regular expressions backtrack (quadratic or worse) before.
    (spaces,) = _timed("1 MB of spaces in a quoted row's last cell",
                       "> | a | b |\n> |---|---|\n> | 1 | x" + " " * 1_000_000 + "y\n")
    assert spaces.rows == [["1", "x y"]]
    comments = _timed("1 MB of `<!--` in a cell",
                      "| a | b |\n|---|---|\n| 1 | " + "<!--" * 250_000 + "\n")
    assert comments[0].row_count == 1
    assert _timed("a 1 MB delimiter-like line with a tab", "|-" + " " * 1_000_000 + "\tx\n") == []
    # Each of these once made the parser start again on the rest of the page.
    paragraphs = _timed("5,000 tables without pipes after paragraph lines",
                        "para\na | b\n--|--\n1 | 2\n\n" * 5_000)
    assert len(paragraphs) == 5_000 and paragraphs[-1].rows == [["1", "2"]]
    big = "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 8_000 + "\n"
    assert [t.row_count for t in _timed("20 tables of 72 KB", big * 20)] == [8_000] * 20

"""read_tables: what GitHub renders as tables, with exact source positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from validate import read_tables
from validate.reader import parse_markdown


def one(text: str):
    tables = read_tables(text)
    assert len(tables) == 1, [t.header for t in tables]
    return tables[0]


def test_header_rows_and_lines_of_a_plain_table():
    table = one("# Title\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |\n")
    assert table.header == ["a", "b"]
    assert table.rows == [["1", "2"], ["3", "4"]]
    assert table.line == 3
    assert table.row_lines == [5, 6]


def test_escaped_pipes_stay_inside_the_cell():
    table = one("| a | b |\n|---|---|\n| x \\| y | z |\n")
    assert table.rows == [["x | y", "z"]]
    assert table.row_sources == [["x \\| y", "z"]]


def test_pipes_inside_inline_code_split_cells_unless_escaped():
    # GFM splits rows before inline parsing: only an escaped pipe stays in a code span.
    table = one("| a | b |\n|---|---|\n| `x\\|y` | z |\n| `p|q` |\n")
    assert table.rows == [["x|y", "z"], ["`p", "q`"]]


def test_rows_without_outer_pipes():
    table = one("a | b\n--- | ---\n1 | 2\n| 3 | 4 |\n")
    assert table.header == ["a", "b"]
    assert table.rows == [["1", "2"], ["3", "4"]]
    assert table.cell_column(0, 1) == 5


def test_tables_inside_lists_and_block_quotes():
    text = ("- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n\n"
            "> | q | r |\n> |---|---|\n> | 3 | 4 |\n")
    first, second = read_tables(text)
    assert first.rows == [["1", "2"]] and first.line == 3 and first.row_lines == [5]
    assert first.cell_column(0, 0) == 5
    assert second.rows == [["3", "4"]] and second.line == 7
    assert second.cell_column(0, 1) == 9


@pytest.mark.parametrize("wrapper", [
    "```\n{table}```\n",
    "~~~markdown\n{table}~~~\n",
    "    | a | b |\n    |---|---|\n    | 1 | 2 |\n",
    "<!--\n{table}-->\n",
    "---\ntitle: x\n{table}---\n",
    "!!!primary\n{table}!!!\n",
])
def test_no_tables_from_code_comments_front_matter_or_admonitions(wrapper):
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert read_tables(wrapper.format(table=table)) == []


def test_a_table_after_an_admonition_keeps_its_line_numbers():
    text = "!!!primary\nnote\n!!!\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert one(text).line == 5


def test_crlf_line_endings():
    table = one("intro\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 22 |\r\n")
    assert table.rows == [["1", "22"]]
    assert table.row_lines == [5]
    assert table.cell_column(0, 1) == 7


def test_byte_order_mark_is_not_a_character(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeff| a | b |\n|---|---|\n| 1 | 2 |\n".encode("utf-8"))
    (table,) = read_tables(path)
    assert table.header == ["a", "b"]
    assert table.cell_column(None, 0) == 3


def test_cjk_text_columns_count_characters_not_bytes():
    table = one("| 모델명 | vram 사용량 |\n|---|---|\n| 라마 | 699,751 MiB |\n")
    assert table.header == ["모델명", "vram 사용량"]
    assert table.cell_column(0, 1) == 8
    assert table.cell_column(None, 1) == 9


def test_short_and_long_rows_are_fitted_but_their_real_length_is_kept():
    table = one("| a | b | c |\n|---|---|---|\n| 1 |\n| 1 | 2 | 3 | 4 |\n")
    assert table.rows == [["1", "", ""], ["1", "2", "3"]]
    assert [len(cells) for cells in table.row_sources] == [1, 4]
    assert table.cell_column(1, 3) == 15


def test_inline_markup_is_removed_as_github_renders_it():
    table = one("| a | b | c |\n|---|---|---|\n"
                "| **867,021** MiB | [Llama](https://x) 2 | AT&amp;T `x` |\n")
    assert table.rows == [["867,021 MiB", "Llama 2", "AT&T x"]]
    assert table.row_sources == [["**867,021** MiB", "[Llama](https://x) 2", "AT&amp;T `x`"]]


def test_a_table_right_after_a_paragraph_line():
    table = one("Some text\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert table.line == 2


def test_delimiter_row_must_match_the_header_width():
    assert read_tables("| a | b |\n|---|\n| 1 | 2 |\n") == []


def test_trailing_comment_on_a_row_is_not_a_cell():
    document = parse_markdown("| a | b |\n|---|---|\n| 1 | 2 | <!-- validate: ignore D401 -->\n")
    (table,) = document.tables
    assert table.row_sources == [["1", "2"]]
    assert table.row_comments == {0: "<!-- validate: ignore D401 -->"}


def test_comments_outside_tables_are_collected_with_lines():
    document = parse_markdown("text\n\n<!-- validate: ignore D401 -->\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert [(c.line, c.text.strip()) for c in document.comments] == [(3, "<!-- validate: ignore D401 -->")]
    assert document.tables[0].line == 4


def test_big_tables_are_read_from_source_lines_with_the_same_result():
    rows = "".join(f"| model {i} | {i:,} MiB |\n" for i in range(4000))
    text = ("- list\n\n| name | vram |\n|---|---|\n" + rows + "\nafter\n\n"
            "- item\n\n  | x | y |\n  |---|---|\n  | 1 | 2 |\n")
    big, nested = read_tables(text)
    assert len(text.encode()) > 64 * 1024
    assert big.line == 3 and len(big.rows) == 4000
    assert big.rows[1234] == ["model 1234", "1,234 MiB"]
    assert big.row_lines[0] == 5 and big.row_lines[-1] == 4004
    assert big.cell_column(3999, 1) == 16
    assert nested.rows == [["1", "2"]] and nested.line == 4010 and nested.cell_column(0, 1) == 9


def test_read_tables_takes_a_path_as_a_string_or_path(repo):
    path = repo / "raw" / "llm_param_guide.en.md"
    assert [t.rows for t in read_tables(str(path))] == [t.rows for t in read_tables(Path(path))]
    (table,) = read_tables(path)
    assert table.header[0] == "Model" and len(table.rows) == 18 and table.line == 18


# --- where cmark-gfm's blocks differ from pulldown-cmark's (see validate.reader._Mends) -----

@pytest.mark.parametrize("after", ["<br>", "<img src=\"a.png\" width=\"3\">", "</div>", "<x-y>"])
def test_an_html_tag_alone_after_the_rows_ends_the_table(after):
    # cmark-gfm starts an HTML block (type 7) there, which runs to the next blank line.
    text = f"| a | b |\n|---|---|\n| 1 | 2 |\n{after}\n| 3 | 4 |\n|---|---|\n\n| c |\n|---|\n"
    first, second = read_tables(text)
    assert first.rows == [["1", "2"]] and first.row_lines == [3]
    assert second.line == 8


def test_a_tag_with_text_after_it_is_a_row():
    assert one("| a | b |\n|---|---|\n<img src=x> text | 2\n").rows == [["text", "2"]]


def test_rows_indented_into_code_end_the_table_inside_its_container():
    # Indented 4 columns past the container's content (not past the header row) is code.
    assert one("  | a |\n  |---|\n    | 1 |\n").rows == []
    assert one("- x\n\n   | a |\n   |---|\n     | 1 |\n").rows == [["1"]]


def test_cells_of_header_rows_shown_otherwise_to_the_parser_keep_their_columns():
    # No leading pipe after a paragraph line: the parser is shown one, the columns are the
    # source's.
    table = one("Results:\nmodel | vram\n--- | ---\nLlama | 1 MiB\n")
    assert table.line == 2 and [table.cell_column(None, c) for c in (0, 1)] == [1, 9]
    assert [table.cell_column(0, c) for c in (0, 1)] == [1, 9]
    # A paragraph line indented 4 columns is a header row too.
    table = one("text\n| a |\n    | b | c |\n   |---|---|\n| 1 | 2 |\n")
    assert table.header == ["b", "c"] and table.cell_column(None, 1) == 11
    # A lazy line of a block quote's paragraph over a delimiter row inside the quote.
    table = one("> p\n| a |\n> |---|\n> | 1 |\n")
    assert (table.line, table.cell_column(None, 0), table.cell_column(0, 0)) == (2, 3, 5)


def test_a_lazy_indented_header_row_has_an_empty_first_cell():
    # cmark-gfm keeps the indentation of a lazy line: its first pipe is no leading pipe.
    table = read_tables("- |  |\n  |---|\n  - x\n   | a || |\n       |---|---|---|---|\n")[1]
    assert table.header == ["", "a", "", ""]
    assert [table.cell_column(None, c) for c in range(4)] == [3, 6, 9, 10]


def test_a_link_reference_definition_over_a_delimiter_row_is_a_header_row():
    assert one("[l]: /u\n:--\n").header == ["[l]: /u"]
    # ... and right above a header row it defines nothing.
    assert one("[l]: /u\n| a |\n|---|\n| [l] |\n").rows == [["[l]"]]
    assert one("[l]: /u\n\n| a |\n|---|\n| [l] |\n").rows == [["l"]]


def test_a_paragraph_is_tried_for_a_table_once():
    # After a delimiter row that does not fit its header, later ones in the paragraph are text.
    assert read_tables("| a | b |\n|---|\n| c |\n|---|\n") == []


def test_a_delimiter_row_that_is_a_list_item_makes_no_table():
    assert read_tables("| a | b |\n- | -\n") == []
    assert read_tables("| a |\n-\t|\n") == []

"""Markdown tables with source positions.

A real CommonMark + GFM parser (pulldown-cmark, through pyromark) decides what is a table:
it knows about code fences, HTML blocks, lists and block quotes. Cell positions and cell
counts are then read from the source lines the parser points at, because a parser pads or
cuts rows to the header's width and would hide the very structure errors we report.

Front matter and Retype admonitions (`!!!primary` ... `!!!`) are blanked before parsing
(line numbers are kept), so they never yield tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyromark

from validate.rowstore import ArrowRows, ListRows, split_plain_rows

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
_CONTAINERS = frozenset({"BlockQuote", "List", "Item", "FootnoteDefinition", "DefinitionList",
                         "DefinitionListTitle", "DefinitionListDefinition"})
# A top-level table larger than this is not walked event by event: the parser is restarted
# after it, and its rows are read straight from the source lines (much faster for big tables).
_BIG_TABLE_BYTES = 64 * 1024
_BIG_TABLE_LINES = 1000
# Rows of a long run of top-level row lines beyond these are shown to the parser as `||`.
_KEEP_ROWS_FOR_PARSER = 1000
# A big top-level table of more rows than this keeps its cells in Arrow arrays (rowstore.py).
_ARROW_ROWS = 2000
# Characters that may make GitHub's rendering of a cell differ from its trimmed source text.
_MARKUP = re.compile(r"[\\`*_<&\[~!]")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_COMMENT_ONLY = re.compile(r"^<!--.*-->$", re.S)
_TRAILING_COMMENT = re.compile(r"[ \t]*(<!--(?:(?!-->).)*-->)[ \t]*$", re.S)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ADMONITION = re.compile(r"^ {0,3}!!!")
_FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)[ \t]*$")
_WHITESPACE = " \t"
_DELIMITER_CELL = re.compile(r"^:?-+:?$")
_QUOTE_PREFIX = re.compile(r"^[ \t>]*")
_DELIMITER_WITH_TABS = re.compile(r"^[ \t>]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
# What HTML shows of white space outside code: runs of ASCII white space read as one space.
_WHITESPACE_RUN = re.compile(r"[ \t\n\r\f]+")
# A source line with no markup character, no tab, no NUL and no doubled space: its cells read
# exactly as written.
_SPECIAL_IN_LINE = re.compile(r"[\\`*_<&\[~!\t\x00]|  ")


@dataclass(frozen=True)
class Comment:
    """An HTML comment outside tables and code (where suppressions are written)."""

    line: int      # 1-based line of the comment's last line
    first_line: int
    text: str


@dataclass
class Table:
    """One markdown table: what GitHub renders, and where each cell sits in the source.

    `header`, `rows` and `row_lines` follow CONTRACT.md; `row_sources` keeps the trimmed
    source text of every cell actually written (so a row may be longer or shorter than the
    header), and `cell_column()` gives any cell's 1-based column in the file.
    """

    index: int
    line: int
    delimiter_line: int
    header: list[str]
    row_lines: list[int]
    header_sources: list[str]
    store: ListRows | ArrowRows = field(repr=False)
    # Source line text and the character offset where the row starts inside that line
    # (after block quote markers or list indentation). Index 0 is the header row.
    _row_text: list[str] = field(repr=False, default_factory=list)
    _row_offset: list[int] = field(repr=False, default_factory=list)
    row_comments: dict[int, str] = field(default_factory=dict)

    @property
    def rows(self) -> list[list[str]]:
        """Every row as GitHub shows it, fitted to the header's width."""
        return self.store.all_shown()

    @property
    def row_sources(self) -> list[list[str]]:
        """Every row's cells as written (trimmed), as many as the source has."""
        return self.store.all_sources()

    @property
    def row_count(self) -> int:
        return len(self.store)

    def row(self, row: int) -> list[str]:
        """One row as GitHub shows it (without building every row of a big table)."""
        return self.store.row(row)

    def row_source(self, row: int) -> list[str]:
        return self.store.source(row)

    def cell_counts(self) -> list[int]:
        """How many cells each row really has in the source."""
        return self.store.cell_counts()

    def shown_column(self, column: int):
        """Column `column` as shown, a pandas Series of text (one entry per row)."""
        return self.store.shown_column(column)

    def source_column(self, column: int):
        """Column `column` as written ("" where a row has fewer cells)."""
        return self.store.source_column(column)

    @property
    def width(self) -> int:
        return len(self.header)

    @property
    def end_line(self) -> int:
        return self.row_lines[-1] if self.row_lines else self.delimiter_line

    def cell_count(self, row: int) -> int:
        """How many cells row `row` (0-based data row) really has in the source."""
        return len(self.store.source(row))

    @cached_property
    def _header_columns(self) -> list[int]:
        return _cell_columns(self._row_text[0], self._row_offset[0], header=True)

    def cell_column(self, row: int | None, cell: int) -> int:
        """1-based column of cell `cell` of data row `row` (None: the header row).

        A cell the row does not have (a short row) points just past the row's text.
        """
        if row is None:
            columns = self._header_columns
            text, offset = self._row_text[0], self._row_offset[0]
        else:
            text, offset = self._row_text[row + 1], self._row_offset[row + 1]
            columns = _cell_columns(text, offset)
        if cell < len(columns):
            return columns[cell]
        return len(text.rstrip()) + 1

    def row_text(self, row: int | None) -> str:
        """The source line of a data row (None: the header row)."""
        return self._row_text[0 if row is None else row + 1]

    def row_column(self, row: int | None) -> int:
        """1-based column where a row (None: the header) starts."""
        index = 0 if row is None else row + 1
        text, offset = self._row_text[index], self._row_offset[index]
        return offset + len(text[offset:]) - len(text[offset:].lstrip(_WHITESPACE)) + 1


@dataclass
class MarkdownDocument:
    tables: list[Table]
    comments: list[Comment]
    lines: list[str]


def read_tables(text_or_path: str | Path) -> list[Table]:
    """The markdown tables of a document, in order (CONTRACT.md's Python interface).

    Accepts the document's text or a path (a `Path`, or a one-line string naming an
    existing file). Tables inside lists and block quotes are included; none come from
    code blocks, HTML comments, front matter or Retype admonitions.
    """
    if isinstance(text_or_path, Path) or _names_a_file(text_or_path):
        from validate.sources import decode_document

        path = Path(text_or_path)
        text = decode_document(path.read_bytes(), str(path))
    else:
        text = str(text_or_path)
    return parse_markdown(text).tables


def _names_a_file(text: object) -> bool:
    """Whether a string given to read_tables is a path rather than a document's text."""
    if not isinstance(text, str) or not text or "\n" in text or "\r" in text or len(text) > 4096:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # not a possible file name: it is text
        return False


def parse_markdown(text: str) -> MarkdownDocument:
    """Tables and HTML comments of a markdown document's text."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = _LINE_BREAK.split(text)
    masked_lines = _mask_non_table_blocks(lines)
    masked = "\n".join(masked_lines)
    data = masked.encode("utf-8")
    line_starts = _line_starts(data)

    tables: list[Table] = []
    comments: list[Comment] = []
    found: list[str] = []

    def definitions() -> str:
        """The page's link reference definitions, as written (read once, when first needed)."""
        if not found:
            spans = pyromark.reference_definitions(masked, options=_OPTIONS).values()
            found.append("\n".join(data[d["span"]["start"]:d["span"]["end"]].decode("utf-8")
                                   for d in spans) + "\n")
        return found[0]

    for span in _scan(masked, data):
        if isinstance(span, _CommentSpan):
            first = _line_of(line_starts, span.start)
            last = _line_of(line_starts, max(span.start, span.end - 1))
            comments.append(Comment(line=last + 1, first_line=first + 1, text=span.text))
            continue
        table = _build_table(len(tables), span, data, line_starts, lines, definitions)
        if table is not None:
            tables.append(table)
    return MarkdownDocument(tables=tables, comments=comments, lines=lines)


# --- masking -------------------------------------------------------------------------------

def _mask_non_table_blocks(lines: list[str]) -> list[str]:
    """Blank front matter and Retype admonitions, keeping the line count."""
    masked = list(lines)
    start = 0
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if _FRONT_MATTER_END.match(lines[i]):
                for j in range(0, i + 1):
                    masked[j] = ""
                start = i + 1
                break
    fence: str | None = None
    open_admonition: int | None = None
    run = 0  # consecutive top-level lines that start with a pipe
    run_is_table = False  # whether the run opens with a header row and its delimiter row
    for i in range(start, len(lines)):
        line = lines[i]
        if line[:1] == "|" and fence is None and open_admonition is None:
            run += 1
            if run == 2:
                run_is_table = _is_delimiter_row(line) and len(
                    _split_cells(lines[i - 1], 0, header=True)[0]) == len(
                    _split_cells(line, 0, header=True)[0])
            if run > _KEEP_ROWS_FOR_PARSER and run_is_table:
                # Every later line of the run is a row of that table.
                # The parser needs a big table's shape, not its cells (they are read from the
                # source lines): a minimal row keeps it a row, at a sliver of the cost.
                masked[i] = "||"
                continue
        else:
            run = 0
        match = _FENCE.match(line)
        if match and match.group(1)[0] == "`" and "`" in line[match.end():]:
            match = None  # ```inline``` code, not a fence: a backtick fence's info has no backtick
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line.strip()[len(match.group(1)):].strip():
                fence = None
            continue
        if match and open_admonition is None:
            fence = match.group(1)
            continue
        if "\t" in line and _DELIMITER_WITH_TABS.match(line):
            # pulldown-cmark rejects tabs around delimiter cells, GFM accepts them. A tab
            # after the first mark becomes a space: same length, so positions stay right.
            lead = len(line) - len(line.lstrip(" \t"))
            masked[i] = line[:lead] + line[lead:].replace("\t", " ")
        if _ADMONITION.match(line):
            if open_admonition is None:
                open_admonition = i
            else:
                for j in range(open_admonition, i + 1):
                    masked[j] = ""
                open_admonition = None
    return masked


# --- parser events -------------------------------------------------------------------------

@dataclass
class _TableSpan:
    start: int                        # byte offset of the header row's first character
    end: int                          # byte offset just past the table
    row_starts: list[int] | None      # byte offset where each row starts (header first)


@dataclass
class _CommentSpan:
    start: int
    end: int
    text: str


def _scan(masked: str, data: bytes):
    """Yield table spans and HTML comments, in document order."""
    base = 0
    text = masked
    while True:
        restart_at = None
        events = pyromark.events_with_range(text, options=_OPTIONS)
        depth = 0
        html: list[str] | None = None
        html_start = 0
        for event, span in events:
            if isinstance(event, dict):
                if "Start" in event:
                    kind = event["Start"]
                    name = kind if isinstance(kind, str) else next(iter(kind))
                    if name in _CONTAINERS:
                        depth += 1
                    elif name == "Table":
                        if depth == 0 and (span["end"] - span["start"] > _BIG_TABLE_BYTES or data.count(
                                b"\n", base + span["start"], base + span["end"]) > _BIG_TABLE_LINES):
                            yield _TableSpan(base + span["start"], base + span["end"], None)
                            restart_at = span["end"]
                            break
                        yield _TableSpan(base + span["start"], base + span["end"],
                                         _row_starts(events, base))
                    elif name == "HtmlBlock":
                        html, html_start = [], span["start"]
                    elif name == "Paragraph" and depth == 0:
                        # GFM lets a table interrupt a paragraph even when its header row has
                        # no leading pipe; pulldown-cmark does not. Parse again from the
                        # header row, which then starts a block, as GitHub sees it.
                        header = _table_inside_paragraph(data, base + span["start"], base + span["end"])
                        if header is not None:
                            restart_at = header - base
                            break
                elif "End" in event:
                    kind = event["End"]
                    name = kind if isinstance(kind, str) else next(iter(kind))
                    if name in _CONTAINERS:
                        depth -= 1
                    elif name == "HtmlBlock" and html is not None:
                        joined = "".join(html)
                        if "<!--" in joined:
                            yield _CommentSpan(base + html_start, base + span["end"], joined)
                        html = None
                elif "Html" in event and html is not None:
                    html.append(event["Html"])
                elif "InlineHtml" in event and event["InlineHtml"].startswith("<!--"):
                    yield _CommentSpan(base + span["start"], base + span["end"],
                                       event["InlineHtml"])
        if restart_at is None:
            return
        # A top-level block ends (or starts) here: nothing is open, so parsing the rest of
        # the document on its own gives the same blocks.
        base += restart_at
        text = data[base:].decode("utf-8")


def _is_delimiter_row(text: str) -> bool:
    cells, _ = _split_cells(text, 0, header=True)
    return bool(cells) and all(_DELIMITER_CELL.match(cell) for cell in cells)


def _table_inside_paragraph(data: bytes, start: int, end: int) -> int | None:
    """Byte offset of a table's header row inside a top-level paragraph, if one is there.

    A line of the paragraph (not its first) that is a delimiter row with a pipe, below a line
    with as many cells, makes that line a table header in GFM.
    """
    block = data[start:end]
    if b"-" not in block or b"|" not in block:
        return None
    lines = block.decode("utf-8").split("\n")
    offset = start
    offsets = []
    for line in lines:
        offsets.append(offset)
        offset += len(line.encode("utf-8")) + 1
    for index in range(2, len(lines)):
        line = lines[index]
        if "|" in line and "-" in line and _is_delimiter_row(line):
            header, _ = _split_cells(lines[index - 1], 0, header=True)
            cells, _ = _split_cells(line, 0, header=True)
            if len(header) == len(cells):
                return offsets[index - 1]
    return None


def _row_starts(events, base: int) -> list[int]:
    starts = []
    for event, span in events:
        if isinstance(event, dict):
            if "Start" in event and event["Start"] in ("TableHead", "TableRow"):
                starts.append(base + span["start"])
            elif "End" in event and event["End"] == "Table":
                break
    return starts


# --- building tables from source lines -------------------------------------------------------

def _line_starts(data: bytes) -> list[int]:
    starts = [0]
    find = data.find
    position = find(b"\n")
    while position != -1:
        starts.append(position + 1)
        position = find(b"\n", position + 1)
    return starts


def _line_of(line_starts: list[int], offset: int) -> int:
    """0-based line index holding byte `offset`."""
    from bisect import bisect_right

    return bisect_right(line_starts, offset) - 1


def _build_table(index: int, span: _TableSpan, data: bytes, line_starts: list[int],
                 lines: list[str], definitions) -> Table | None:
    if span.row_starts is None:
        first = _line_of(line_starts, span.start)
        last = _line_of(line_starts, span.end - 1)
        header_line = first
        row_line_indexes = [first] + list(range(first + 2, last + 1))
        offsets = [_char_offset(data, line_starts, first, span.start)] + [0] * (last - first - 1)
    else:
        header_line = _line_of(line_starts, span.row_starts[0])
        row_line_indexes = [_line_of(line_starts, s) for s in span.row_starts]
        offsets = [_char_offset(data, line_starts, i, s)
                   for i, s in zip(row_line_indexes, span.row_starts)]
    row_text = [lines[i] for i in row_line_indexes]

    header_sources, _ = _split_cells(row_text[0], offsets[0], header=True)
    width = len(header_sources)
    if width == 0:
        return None
    delimiter = lines[header_line + 1] if header_line + 1 < len(lines) else ""
    # Block quote markers and indentation come before a delimiter row; none is part of it.
    delimiter_cells, _ = _split_cells(_QUOTE_PREFIX.sub("", delimiter), 0, header=True)
    if not delimiter_cells or not all(_DELIMITER_CELL.match(c) for c in delimiter_cells):
        return None  # GFM takes `-- -`, `::-`, `--- :` for text, so there is no table
    header_column = _column_of_text(row_text[0], offsets[0])
    for number in range(1, len(row_text)):
        if _column_of_text(row_text[number], offsets[number]) - header_column >= 4:
            # A row indented 4 columns more than the header is indented code in GFM, which
            # ends the table.
            row_text, row_line_indexes, offsets = (
                row_text[:number], row_line_indexes[:number], offsets[:number])
            break
    comments: dict[int, str] = {}
    header = _render([header_sources], definitions=definitions)[0]
    if span.row_starts is None and len(row_text) > _ARROW_ROWS:
        store = _arrow_rows(row_text[1:], width, comments, definitions)
    else:
        row_sources: list[list[str]] = []
        for r, (text, offset) in enumerate(zip(row_text[1:], offsets[1:])):
            cells, comment = _split_cells(text, offset)
            row_sources.append(cells)
            if comment is not None:
                comments[r] = comment
        store = ListRows(_render(row_sources, width, definitions=definitions, lines=row_text[1:]),
                         row_sources)
    return Table(
        index=index,
        line=header_line + 1,
        delimiter_line=header_line + 2,
        header=header,
        row_lines=[i + 1 for i in row_line_indexes[1:]],
        header_sources=header_sources,
        store=store,
        _row_text=row_text,
        _row_offset=offsets,
        row_comments=comments,
    )


def _arrow_rows(lines: list[str], width: int, comments: dict[int, str], definitions) -> ArrowRows:
    """A big top-level table's rows: plain ones split at once, the others one by one."""
    cells, counts = split_plain_rows(lines)
    sources: dict[int, list[str]] = {}
    special = _SPECIAL_IN_LINE.search
    odd = [r for r, text in enumerate(lines) if "\\" in text or "<!--" in text]
    for r in odd:  # GFM's finer splitting rules: escaped pipes, trailing comments
        row_cells, comment = _split_cells(lines[r], 0)
        sources[r] = row_cells
        if comment is not None:
            comments[r] = comment
    store = ArrowRows(cells, counts, width, sources, {})
    # Rows shown otherwise than written: markup, white space runs, or another cell count.
    unusual = sorted(set(odd) | {r for r, text in enumerate(lines) if special(text)}
                     | set((store.counts != width).nonzero()[0].tolist()))
    if unusual:
        rendered = _render([store.source(r) for r in unusual], width, definitions=definitions)
        store.shown_overrides = dict(zip(unusual, rendered))
    return store


def _column_of_text(line: str, offset: int) -> int:
    """Visual column (tabs to the next multiple of 4) of the first non-blank at or after `offset`."""
    column = 0
    for position, char in enumerate(line):
        if position >= offset and char not in _WHITESPACE:
            return column
        column = column + 4 - column % 4 if char == "\t" else column + 1
    return column


def _char_offset(data: bytes, line_starts: list[int], line: int, offset: int) -> int:
    prefix = data[line_starts[line]:offset]
    return len(prefix) if prefix.isascii() else len(prefix.decode("utf-8", "replace"))


def _pipe_positions(text: str) -> list[int]:
    if "\\" in text:
        return [m.start() for m in _UNESCAPED_PIPE.finditer(text)]
    positions = []
    find = text.find
    position = find("|")
    while position != -1:
        positions.append(position)
        position = find("|", position + 1)
    return positions


def _segments(text: str, offset: int, header: bool = False) -> tuple[list[tuple[int, int]], str | None]:
    """(start, end) character ranges of a row's cells, and a trailing HTML comment if any.

    GFM: cells are separated by unescaped pipes; a leading and a trailing pipe are optional.
    A comment after a data row's last pipe is where a row's suppression is written: it is no
    cell. On the header row it stays a (blank) cell, as GitHub counts it.
    """
    body_end = len(text.rstrip(_WHITESPACE))
    pipes = [p for p in _pipe_positions(text) if p >= offset]
    bounds = [offset] + [p + 1 for p in pipes]
    ends = pipes + [body_end]
    ranges = list(zip(bounds, ends))
    comment = None
    if ranges and not text[ranges[0][0]:ranges[0][1]].strip(_WHITESPACE) and pipes:
        ranges = ranges[1:]  # leading pipe
    if ranges:
        last_start, last_end = ranges[-1]
        tail = text[last_start:last_end].strip(_WHITESPACE)
        if pipes and not tail:
            ranges = ranges[:-1]  # trailing pipe
        elif header:
            pass
        elif pipes and _COMMENT_ONLY.match(tail):
            # `| a | b | <!-- validate: ignore ... -->`: a reader sees no such cell.
            comment = tail
            ranges = ranges[:-1]
        elif pipes and (found := _TRAILING_COMMENT.search(text, last_start, last_end)):
            # `| a | b <!-- validate: ignore ... -->` (no closing pipe): the comment is not text.
            comment = found.group(1)
            ranges[-1] = (last_start, found.start())
    return ranges, comment


def _split_cells(text: str, offset: int, header: bool = False) -> tuple[list[str], str | None]:
    if offset == 0 and "\\" not in text and "<!--" not in text:
        # The common case, kept fast for big tables: no escapes, no comment, no container.
        body = text.strip(_WHITESPACE)
        cells = body.split("|")
        if len(cells) > 1:
            if not cells[0].strip(_WHITESPACE):
                cells = cells[1:]
            if not cells[-1].strip(_WHITESPACE):
                cells = cells[:-1]
        return [cell.strip(_WHITESPACE) for cell in cells], None
    ranges, comment = _segments(text, offset, header)
    return [text[a:b].strip(_WHITESPACE) for a, b in ranges], comment


def _cell_columns(text: str, offset: int, header: bool = False) -> list[int]:
    columns = []
    ranges, _ = _segments(text, offset, header)
    for a, b in ranges:
        cell = text[a:b]
        stripped = cell.lstrip(_WHITESPACE)
        if stripped.strip(_WHITESPACE):
            columns.append(a + len(cell) - len(stripped) + 1)
        else:
            columns.append(a + 1)
    return columns


def _shown(cell: str) -> str:
    """A markup-free cell as HTML shows it: white space runs as one space, NUL replaced."""
    if "  " in cell or "\t" in cell or "\n" in cell or "\r" in cell or "\f" in cell:
        cell = _WHITESPACE_RUN.sub(" ", cell)
    return cell.replace("\x00", "\ufffd") if "\x00" in cell else cell


def _render(rows: list[list[str]], width: int | None = None, definitions=None,
            lines: list[str] | None = None) -> list[list[str]]:
    """What GitHub shows in each cell: markup removed, escapes resolved, rows fitted to width.

    Cells without markup characters show their trimmed source text; the others are rendered
    by the parser, all of a table's at once, as rows of a one-column table (with the page's
    link reference definitions, which `definitions()` gives when a cell needs them). A row
    whose source line has nothing special (the common case in big tables) is shown as
    written: its list of source texts serves as its list of shown texts.
    """
    fitted = []
    pending: list[tuple[int, int, str]] = []
    search = _MARKUP.search
    special = _SPECIAL_IN_LINE.search
    for r, cells in enumerate(rows):
        if lines is not None and len(cells) == width and not special(lines[r]):
            fitted.append(cells)
            continue
        if width is not None and len(cells) != width:
            cells = cells[:width] + [""] * (width - len(cells))
        else:
            cells = list(cells)  # a copy: rendering must not touch the source texts
        fitted.append(cells)
        if search("".join(cells)):  # one search per row; most rows have no markup at all
            for c, cell in enumerate(cells):
                if search(cell):
                    pending.append((r, c, cell))
                else:
                    cells[c] = _shown(cell)
        else:
            for c, cell in enumerate(cells):
                if cell:
                    cells[c] = _shown(cell)
    if pending:
        links = definitions() if definitions is not None and any("[" in p[2] for p in pending) else ""
        rendered = _render_cells([cell for _, _, cell in pending], links)
        for (r, c, _), text in zip(pending, rendered):
            fitted[r][c] = text
    return fitted


def _render_cells(cells: list[str], definitions: str = "") -> list[str]:
    # A space before the closing pipe: a cell ending in a backslash must not escape it.
    document = "| |\n|-|\n" + "".join(f"|{cell} |\n" for cell in cells)
    if definitions:
        document += "\n" + definitions
    texts: list[str] = []
    current: list[tuple[str, bool]] | None = None
    in_body = False
    image_depth = 0
    for event in pyromark.events(document, options=_OPTIONS):
        if isinstance(event, dict):
            if "Start" in event:
                kind = event["Start"]
                if kind == "TableRow":
                    in_body = True
                elif kind == "TableCell" and in_body:
                    current = []
                elif isinstance(kind, dict) and "Image" in kind:
                    image_depth += 1
            elif "End" in event:
                kind = event["End"]
                if kind == "TableCell" and current is not None:
                    texts.append(_joined(current))
                    current = None
                elif kind == "Image":
                    image_depth -= 1
            elif current is not None and not image_depth:
                if "Text" in event:
                    current.append((event["Text"], False))
                elif "Code" in event:
                    current.append((event["Code"], True))
    if len(texts) != len(cells):  # never expected; keep the source text rather than misalign
        return [cell.replace("\\|", "|") for cell in cells]
    return texts


def _joined(pieces: list[tuple[str, bool]]) -> str:
    """A cell's text pieces joined as HTML shows them: white space runs collapse outside code."""
    out = ""
    for text, code in pieces:
        if not code:
            text = _WHITESPACE_RUN.sub(" ", text)
            if out.endswith(" ") and text.startswith(" "):
                text = text[1:]
        out += text
    return out.strip(_WHITESPACE).replace("\x00", "\ufffd")

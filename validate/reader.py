"""Markdown tables with source positions.

A real CommonMark + GFM parser (pulldown-cmark, through pyromark) decides what is a table:
it knows about code fences, HTML blocks, lists and block quotes. Cell positions and cell
counts are then read from the source lines the parser points at, because a parser pads or
cuts rows to the header's width and would hide the very structure errors we report.

Front matter and Retype admonitions (`!!!primary` ... `!!!`) are blanked before parsing
(line numbers are kept), so they never yield tables.

GitHub renders with cmark-gfm, whose blocks differ from pulldown-cmark's in a few shapes
(where a table ends, which paragraph lines are header rows, ...). Where they do, the lines
are shown to the parser otherwise and the page is parsed again (see _Mends); the cells are
always read from the source lines. tests/test_gfm_oracle.py and tests/test_reader_fuzz.py
compare the result with cmark-gfm itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right
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
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ADMONITION = re.compile(r"^ {0,3}!!!")
_FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)[ \t]*$")
_WHITESPACE = " \t"
_DELIMITER_CELL = re.compile(r"^:?-+:?$")
_QUOTE_PREFIX = re.compile(r"^[ \t>]*")
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
        text, offset = self._row_text[0], self._row_offset[0]
        columns = _cell_columns(text, offset, header=True)
        if len(columns) < len(self.header_sources) and text[offset:offset + 1] in (" ", "\t"):
            columns.insert(0, offset + 1)  # the empty cell before a lazy line's first pipe
        return columns

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
    moves: dict[int, list[tuple[int, int, int]]] = {}  # see _source_offset
    masked_lines = _mask_non_table_blocks(lines, moves)
    headed: set[int] = set()
    # Where pulldown-cmark's blocks differ from cmark-gfm's, a pass finds the lines to mend
    # (see _Mends) and the page is parsed again with them mended, as GitHub sees it. A pass
    # mends every such line it sees at once, so a second pass rarely finds more; the bound
    # keeps hostile pages linear.
    for _ in range(_PASSES):
        mends = _Mends(headed)
        document = _read(lines, masked_lines, moves, mends)
        if not mends.apply(masked_lines, moves):
            break
    return document


_PASSES = 4


class _Mends:
    """Source lines to show pulldown-cmark otherwise, so that its blocks are cmark-gfm's.

    A pass notes them; they are made after it (positions are the pass's own). Each keeps the
    line count; the cells are always read from the source lines, and where a mend moves
    characters, `moves` says where they were (see _source_offset):
    - a header row without a leading pipe gets one (`a | b` -> `|a | b`, same cells):
      pulldown-cmark takes a table only when its header row starts with a pipe (after a
      paragraph line, or as a block's first line), GFM whatever the header. An indented
      header row is shown from its container's content column, a lazy one with its
      container's markers (see _Mends.header);
    - a row line that is a complete HTML tag alone (`<br>`, `<img ...>`, `</x>`: an HTML block
      of type 7) starts an HTML block in cmark-gfm, which ends the table; pulldown-cmark takes
      it as a row. It is shown as `<p`, a type 6 start, which ends the table as well and runs
      to the same end (the next blank line);
    - a row indented 4 columns or more inside its container is indented code in cmark-gfm,
      which ends the table; pulldown-cmark takes it as a row. It is shown blank, which ends
      the table; the code's other lines read as code after a blank line too;
    - a delimiter row that starts with `- ` (`- | -`) is a list item in cmark-gfm, which
      interrupts the paragraph: there is no table. pulldown-cmark makes one; shown as `* | -`
      it reads the list item too;
    - a delimiter row that cmark-gfm takes as paragraph text (see _mend_paragraph) is shown
      with a letter for its first dash, which pulldown-cmark takes as text too; a header row
      that ends in a backslash is shown with a letter for it.
    """

    def __init__(self, headed: set[int]) -> None:
        # Each mend keeps the block it was found for (its first line): see apply.
        self.origin = 0
        self.headed = headed  # lines shown as header rows already (in an earlier pass)
        self.headers: dict[int, tuple[int, int, str, int]] = {}
        self.ends: dict[int, tuple[int, str, int]] = {}
        # Last line of each paragraph -> (whether cmark-gfm tried it for a table and failed,
        # (position, content, indentation) of that line, the paragraph's containers).
        self.paragraph_ends: dict[int, tuple[bool, tuple | None, tuple]] = {}

    def header(self, line: int, position: int, keep: int | None = None, prefix: str = "") -> None:
        """Show the row that starts at `position` with a leading pipe; the white space from
        `keep` on moved after it (pulldown-cmark takes no header row indented 4 columns or
        more, GFM any paragraph line); `prefix` (container markers) put in at `keep`
        (pulldown-cmark takes no lazy line for a header row, GFM does)."""
        self.headers.setdefault(line, (position, position if keep is None else keep, prefix,
                                       self.origin))

    def end_table(self, line: int, position: int, kind: str) -> None:
        """Show the line from `position` as `kind`: "html", "blank", "bullet" or "text"."""
        self.ends.setdefault(line, (position, kind, self.origin))

    def apply(self, masked_lines: list[str], moves: dict[int, list[tuple]]) -> bool:
        """Mend the lines; whether anything changed.

        A mend changes the blocks after it up to the next blank line, where mends found for
        other blocks may no longer hold: those wait for the next pass.
        """
        changed = False
        headed = self.headed
        region_end, region_origin = -1, None
        for line in sorted(self.ends.keys() | self.headers.keys()):
            origin = (self.ends.get(line) or self.headers[line])[-1]
            if line <= region_end and origin != region_origin:
                continue
            if line > region_end:
                region_end, region_origin = _next_blank(masked_lines, line), origin
            text = masked_lines[line]
            kind = None
            if line in self.ends:
                position, kind, _ = self.ends[line]
                rest = len(text) - position
                text = text[:position] + {
                    "html": "<p" + " " * (rest - 2), "blank": " " * rest,
                    "bullet": "*" + text[position + 1:], "text": "x" + text[position + 1:]}[kind]
                masked_lines[line] = text
                changed = True
            if line in self.headers and kind not in ("html", "blank") and line not in headed:
                position, keep, prefix, _ = self.headers[line]
                pipe = text[position:position + 1] != "|"
                if pipe or keep != position or prefix:
                    masked_lines[line] = (text[:keep] + prefix + "|" * pipe + text[position:]
                                          + text[keep:position])
                    moves.setdefault(line, []).append((keep, keep + len(prefix) + pipe, position))
                    headed.add(line)
                    changed = True
        return changed


_BLANK = re.compile(r"[ \t>]*$")


def _next_blank(lines: list[str], line: int) -> int:
    """The first blank line (but for block quote markers) after `line`."""
    for number in range(line + 1, len(lines)):
        if _BLANK.match(lines[number]):
            return number
    return len(lines)


def _read(lines: list[str], masked_lines: list[str], moves: dict[int, list[tuple]],
          mends: _Mends) -> MarkdownDocument:
    """One pass: the tables and comments pulldown-cmark finds in the masked lines."""
    masked = "\n".join(masked_lines)
    data = masked.encode("utf-8")
    line_starts = _line_starts(data)

    tables: list[Table] = []
    comments: list[Comment] = []
    found: list[str] = []

    def definitions() -> str:
        """The page's link reference definitions, as written (read once, when first needed)."""
        if not found:
            spans = [d["span"] for d in pyromark.reference_definitions(
                masked, options=_OPTIONS).values()]
            heads = _lines_before_headers(masked_lines, sorted(
                _line_of(line_starts, max(d["start"], d["end"] - 1)) for d in spans))
            found.append("\n".join(data[d["start"]:d["end"]].decode("utf-8") for d in spans
                                   if _line_of(line_starts, max(d["start"], d["end"] - 1))
                                   not in heads) + "\n")
        return found[0]

    _mend_definition_headers(masked, data, masked_lines, line_starts, mends)
    for span in _scan(masked, data, line_starts, masked_lines, mends):
        if isinstance(span, _CommentSpan):
            first = _line_of(line_starts, span.start)
            last = _line_of(line_starts, max(span.start, span.end - 1))
            comments.append(Comment(line=last + 1, first_line=first + 1, text=span.text))
            continue
        if tables and _line_of(line_starts, span.start) < tables[-1].end_line:
            continue  # inside the rows of an overflowing table (see _more_rows)
        table = _build_table(len(tables), span, data, line_starts, lines, masked_lines, moves,
                             mends, definitions)
        if table is not None:
            tables.append(table)
    return MarkdownDocument(tables=tables, comments=comments, lines=lines)


# --- masking -------------------------------------------------------------------------------

def _mask_non_table_blocks(lines: list[str], moves: dict | None = None) -> list[str]:
    """Blank front matter and Retype admonitions, keeping the line count; show pulldown-cmark
    delimiter rows as GFM reads them (lines whose offsets move go in `moves`)."""
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
        if "\t" in line and "-" in line:
            body = _QUOTE_PREFIX.sub("", line)
            # (`-<tab>|---|` is a list item, whose tab sets its content's column.)
            if _is_delimiter_row(body) and not _LIST_ITEM_DELIMITER.match(body):
                # pulldown-cmark rejects tabs around delimiter cells, GFM accepts them. A tab
                # after the first mark becomes a space: same length, so positions stay right
                # (tabs before it, in the indentation, are kept: they set its column). Inside
                # code too: this reader does not know where a fence in a list item ends, and
                # code is never read.
                lead = len(line) - len(body)
                prefix = line[:lead]
                if "\t" in prefix and moves is not None:
                    # pulldown-cmark misreads a tab in the indentation of a delimiter row
                    # in a block quote (`> \t:-|`); spaces to the same tab stops read the
                    # same in CommonMark. Offsets after them move (see _source_offset).
                    prefix = prefix.expandtabs(4)
                    moves[i] = [(0, len(prefix), lead)]
                masked[i] = prefix + body.replace("\t", " ")
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
    # The block quotes and list items the table sits in, outermost first (see _content_column).
    containers: tuple[tuple, ...] = ()
    # Past its budget of padded cells pulldown-cmark ends a table early (see _PADDING): set
    # when this one's rows go on in the source (for the walked table, by _scan; for a big
    # one, by _build_table, with the line where pulldown-cmark's paragraph starts).
    overflow: bool = False
    overflow_line: int | None = None


@dataclass
class _CommentSpan:
    start: int
    end: int
    text: str


def _scan(masked: str, data: bytes, line_starts: list[int], masked_lines: list[str],
          mends: _Mends):
    """Yield table spans and HTML comments, in document order; note the header rows
    pulldown-cmark misses in paragraphs (see _Mends)."""
    base = 0
    text = masked
    while True:
        restart_at = None
        events = pyromark.events_with_range(text, options=_OPTIONS)
        containers: list[list] = []  # see _container
        html: list[str] | None = None
        html_start = 0
        leaves = 0  # open paragraphs, headings, code and HTML blocks
        # A tight list item's text comes without paragraph events: its span, to look for
        # header rows in it as in a paragraph.
        tight: list[int] = []
        for event, span in events:
            if isinstance(event, str):  # SoftBreak, HardBreak, Rule
                if _in_item_text(leaves, containers) and event != "Rule":
                    tight = [tight[0] if tight else span["start"], span["end"]]
                continue
            if "Start" in event:
                kind = event["Start"]
                name = kind if isinstance(kind, str) else next(iter(kind))
                if name not in _BLOCKS:  # emphasis, links, ...: inline
                    if _in_item_text(leaves, containers):
                        tight = [tight[0] if tight else span["start"], span["end"]]
                    continue
                if tight:
                    _mend_paragraph(base + tight[0], base + tight[1], data, line_starts,
                                    masked_lines, containers, mends, tight=True)
                    tight = []
                if name in _LEAVES:
                    leaves += 1
                if name in _CONTAINERS:
                    containers.append(_container(name, base + span["start"], data,
                                                 line_starts, masked_lines, containers))
                elif name == "Table":
                    start, end = base + span["start"], base + span["end"]
                    if not containers and (end - start > _BIG_TABLE_BYTES or data.count(
                            b"\n", start, end) > _BIG_TABLE_LINES):
                        big = _TableSpan(start, end, None)
                        yield big
                        # Parsing the rest again costs its length; walking the table's
                        # events costs the table's. Parse again only when the rest is not
                        # much longer than the table, so that a page of many big tables
                        # is not parsed again after each of them.
                        if len(data) - end <= _RESTART_RATIO * (end - start):
                            restart_at = span["end"]
                            if big.overflow_line is not None:
                                restart_at = line_starts[big.overflow_line] - base
                            break
                        if _skip_table(events):
                            leaves += 1  # pulldown-cmark's paragraph inside the table
                        continue
                    starts, overflow = _row_starts(events, base)
                    if overflow:
                        leaves += 1
                    yield _TableSpan(start, end, starts, tuple(containers), overflow)
                elif name == "HtmlBlock":
                    html, html_start = [], span["start"]
                elif name in ("Paragraph", "Heading"):
                    _mend_paragraph(base + span["start"], base + span["end"], data,
                                    line_starts, masked_lines, containers, mends,
                                    paragraph=name == "Paragraph")
            elif "End" in event:
                kind = event["End"]
                name = kind if isinstance(kind, str) else next(iter(kind))
                if name in _LEAVES:
                    leaves -= 1
                    if name == "HtmlBlock" and html is not None:
                        joined = "".join(html)
                        if "<!--" in joined:
                            yield _CommentSpan(base + html_start, base + span["end"], joined)
                        html = None
                elif name in _CONTAINERS:
                    if tight:
                        _mend_paragraph(base + tight[0], base + tight[1], data, line_starts,
                                        masked_lines, containers, mends, tight=True)
                        tight = []
                    containers.pop()
            else:  # inline content: Text, Code, InlineHtml, Html (of an HTML block), ...
                if "Html" in event and html is not None:
                    html.append(event["Html"])
                elif "InlineHtml" in event and event["InlineHtml"].startswith("<!--"):
                    yield _CommentSpan(base + span["start"], base + span["end"],
                                       event["InlineHtml"])
                if _in_item_text(leaves, containers):
                    tight = [tight[0] if tight else span["start"], span["end"]]
        if restart_at is None:
            return
        # A top-level block ends here: nothing is open, so parsing the rest of the document
        # on its own gives the same blocks.
        base += restart_at
        text = data[base:].decode("utf-8")


_RESTART_RATIO = 4


def _in_item_text(leaves: int, containers: list[tuple]) -> bool:
    """Whether an event is a list item's own text (a tight item: no paragraph around it)."""
    return not leaves and bool(containers) and containers[-1][0] == "item"


_LEAVES = frozenset({"Paragraph", "Heading", "CodeBlock", "HtmlBlock", "MetadataBlock"})
_BLOCKS = _LEAVES | _CONTAINERS | {"Table", "List"}


def _skip_table(events) -> bool:
    """Consume a table's events up to its end, or up to the paragraph pulldown-cmark puts in
    it past its budget of padded cells (whether it did: what follows is read as usual)."""
    for event, _ in events:
        if isinstance(event, dict):
            if event.get("Start") == "Paragraph":
                return True
            if event.get("End") == "Table":
                return False
    return False


def _row_starts(events, base: int) -> tuple[list[int], bool]:
    """Where the header and each row start; whether the table overflows.

    Past its budget of padded cells (see _PADDING) pulldown-cmark gives one empty-spanned row
    and then a paragraph inside the table for the remaining lines: neither is a row, and what
    follows the paragraph's start is read as usual (_build_table reads the rows cmark-gfm
    takes from the source lines).
    """
    starts = []
    for event, span in events:
        if isinstance(event, dict):
            if "Start" in event:
                kind = event["Start"]
                if kind in ("TableHead", "TableRow"):
                    if span["end"] > span["start"]:
                        starts.append(base + span["start"])
                elif kind == "Paragraph":
                    return starts, True
            elif "End" in event and event["End"] == "Table":
                break
    return starts, False


def _is_delimiter_row(text: str) -> bool:
    cells, _ = _split_cells(text, 0, header=True)
    return bool(cells) and all(_DELIMITER_CELL.match(cell) for cell in cells)


# --- containers: where a line's content starts -------------------------------------------------

_LIST_MARKER = re.compile(r"[-+*]|[0-9]{1,9}[.)]")
# A delimiter row that is a list item (not empty, so it interrupts a paragraph): `- | -`.
_LIST_ITEM_DELIMITER = re.compile(r"-[ \t]+\S")


def _delimiter_like(content: str) -> bool:
    """Whether cmark-gfm tries a line's content (after its containers) as a delimiter row:
    a line of dashes alone is a setext underline, `- | -` a list item, before that."""
    return "-" in content and ("|" in content or ":" in content) \
        and _is_delimiter_row(content) and not _LIST_ITEM_DELIMITER.match(content)


def _delimiter_content(line: str, containers) -> int:
    """Position of the first character of a line's content inside its containers."""
    found = _content_column(line, containers) if containers else None
    position = found[1] if found else 0
    return position + len(line[position:]) - len(line[position:].lstrip(_WHITESPACE))


def _next_column(char: str, column: int) -> int:
    return column + 4 - column % 4 if char == "\t" else column + 1


def _visual_column(line: str, position: int) -> int:
    """Column of the character at `position` (tabs stop at multiples of 4)."""
    column = 0
    for char in line[:position]:
        column = _next_column(char, column)
    return column


def _content_column(line: str, containers, index: int = -1) -> tuple[int, int] | None:
    """(column where the innermost container's content starts on `line` (number `index`),
    position of the first character not yet consumed), or None when the line does not
    continue every container."""
    content, position, matched = _walk_containers(line, containers, index)
    return (content, position) if matched == len(containers) else None


def _lazy_prefix(line: str, containers) -> tuple[int, str]:
    """Where the containers a lazy line does not continue would begin, and their markers."""
    _, position, matched = _walk_containers(line, containers)
    prefix = ""
    for container in containers[matched:]:
        if container[0] == "item" and container[1] is None:
            _item_marker(container)
        prefix += "> " if container[0] == "quote" else " " * container[1]
    return position, prefix


_BLANKS = re.compile(r"[ \t]*")


class _Blanks:
    """The runs of spaces and tabs of one line, found once each: deep containers step
    through one run many times (a list nested 3,000 deep has 6,000 spaces before its text)."""

    def __init__(self, line: str):
        self.line = line
        self.start = self.end = -1
        self.tabbed = False

    def skip(self, position: int, column: int) -> tuple[int, int]:
        """The first character at or after `position` that is no space or tab, and its column."""
        if not self.start <= position <= self.end:
            self.start, self.end = position, _BLANKS.match(self.line, position).end()
            self.tabbed = self.line.find("\t", position, self.end) != -1
        if not self.tabbed:
            return self.end, column + self.end - position
        for char in self.line[position:self.end]:
            column = _next_column(char, column)
        return self.end, column

    def spaces_only(self, position: int) -> int:
        """The end of the run at `position` when it holds no tab, else -1."""
        self.skip(position, 0)
        return -1 if self.tabbed else self.end


def _walk_containers(line: str, containers, index: int = -1) -> tuple[int, int, int]:
    """(column where the content starts, position of the first character not yet consumed,
    how many of the containers the line continues), outermost first.

    As CommonMark reads container markers: a block quote's `>` after at most 3 columns of
    indentation, then one optional space (one column of a tab); a list item's content width,
    or its marker when the line (number `index`) is the item's first.
    """
    position = column = content = 0  # next character, its column; the content's column
    n = len(line)
    blanks = _Blanks(line)
    for matched, container in enumerate(containers):
        kind = container[0]
        if kind == "item":
            if container[1] is None:
                _item_marker(container)
            if container[3] == index:
                content, position, column = container[4:]
                continue
        width = container[1]
        if kind == "quote":
            p, c = blanks.skip(position, column)
            if p >= n or line[p] != ">" or c - content > 3:
                return content, position, matched
            position, column = p + 1, c + 1
            content = column
            if position < n and line[position] == " ":
                position, column = position + 1, column + 1
                content = column
            elif position < n and line[position] == "\t":
                content = column + 1
        elif kind == "item":
            target = content + width
            p, c = blanks.skip(position, column)
            if p < n and c < target:
                return content, position, matched
            content = target
            end = blanks.spaces_only(position)
            if end != -1:
                # Spaces only (the usual case): as many as reach the target, at once.
                step = max(0, min(end - position, target - column))
                position, column = position + step, column + step
            else:
                while position < n and line[position] in _WHITESPACE:
                    after = _next_column(line[position], column)
                    if after > target:
                        break
                    position, column = position + 1, after
    return content, position, len(containers)


def _inside(inner, outer, deeper: int = 1) -> bool:
    """Whether containers `inner` are `outer` and (with `deeper`) more: the same containers,
    told apart by where they start."""
    return len(inner) >= len(outer) + deeper and all(
        a[2] == b[2] for a, b in zip(inner, outer)) and (deeper or len(inner) == len(outer))


def _container(name: str, start: int, data: bytes, line_starts: list[int],
               masked_lines: list[str], outer: list) -> list:
    """A container as _walk_containers reads it: [kind, width, where it starts, ...]: a block
    quote, or a list item and the width of its marker and spaces, then its first line's
    number, content column, and the position and column after its marker (worked out when
    first needed: most list items hold no table); other containers (the list itself) add no
    marker."""
    if name == "BlockQuote":
        return ["quote", 0, start]
    if name != "Item":
        return ["other", 0, start]
    return ["item", None, start, (data, line_starts, masked_lines, tuple(outer))]


def _item_marker(item: list) -> None:
    """Work out a list item's width and first line (see _container)."""
    start = item[2]
    data, line_starts, masked_lines, outer = item[3]
    line = _line_of(line_starts, start)
    text = masked_lines[line]
    base, _, _ = _walk_containers(text, outer, line)
    marker = _char_offset(data, line_starts, line, start)
    marker += len(text[marker:]) - len(text[marker:].lstrip(_WHITESPACE))  # (its indentation)
    match = _LIST_MARKER.match(text, marker)
    marker_end = marker + (len(match.group()) if match else 1)
    end_column = _visual_column(text, marker_end)
    after, column = marker_end, end_column
    while after < len(text) and text[after] in _WHITESPACE:
        column = _next_column(text[after], column)
        after += 1
    spaces = column - end_column
    content = end_column + 1 if after >= len(text) or spaces > 4 or spaces == 0 else column
    item[1:] = [content - base, start, line, content, marker_end, end_column]


def _mend_paragraph(start: int, end: int, data: bytes, line_starts: list[int],
                    masked_lines: list[str], containers, mends: _Mends,
                    paragraph: bool = True, tight: bool = False) -> None:
    """Lines of a paragraph (or setext heading, or tight list item's text) that pulldown-cmark
    reads otherwise than cmark-gfm (see _Mends):
    - a header row: a line followed by a delimiter row with as many cells. GFM makes a table
      there; pulldown-cmark only when the header row starts with a pipe, and the delimiter
      row has one (`x` over `:--` is a one-column table in GFM);
    - a delimiter row after a delimiter row that did not match its header: cmark-gfm tries a
      paragraph for a table once (its TABLE_VISITED flag), and after a failure takes later
      delimiter rows of the paragraph as text; pulldown-cmark makes tables of them;
    - a lazy line (one that does not continue the paragraph's block quotes or list items)
      that is a complete HTML tag alone: cmark-gfm lets it start an HTML block (type 7) there,
      as it is not inside the paragraph's container; pulldown-cmark continues the paragraph.
    """
    first = _line_of(line_starts, start)
    last = _line_of(line_starts, max(start, end - 1))
    mends.origin = first
    above = mends.paragraph_ends.get(first - 1)
    if above is not None and _inside(above[2], containers):
        # The line right after a paragraph in a block quote or list item the paragraph is not
        # in: cmark-gfm continues that paragraph with it (a lazy line); pulldown-cmark does not
        # when it starts with a pipe and a delimiter row may follow. It is shown with the
        # container's markers, or as text when it is a delimiter row (a lazy line is none).
        text = masked_lines[first]
        position = _char_offset(data, line_starts, first, start)
        if text[position:position + 1] == "|":
            keep, prefix = _lazy_prefix(text, above[2])
            if _delimiter_like(text[position:]):
                mends.end_table(first, text.index("-", position), "text")
            elif keep == position:
                mends.header(first, position, keep, prefix)
            elif first + 1 < len(masked_lines):
                # Indented: a header row with an empty cell first (see _header_width), if
                # the next line is a delimiter row with that many cells.
                below = masked_lines[first + 1]
                found = _content_column(below, above[2])
                if found is not None:
                    at = _delimiter_content(below, above[2])
                    if _visual_column(below, at) - found[0] < 4 and _delimiter_like(below[at:]) \
                            and _header_width((keep, text[position:], keep, prefix, 1)) \
                            == len(_split_cells(below[at:], 0, header=True)[0]):
                        mends.header(first, keep, keep, prefix)
            return
    headers = data.find(b"-", start, end) != -1 and (
        data.find(b"|", start, end) != -1 or data.find(b":", start, end) != -1)
    lazy_html = bool(containers) and data.find(b"<", start, end) != -1
    if not (headers or lazy_html) and not any("|" in text for text in masked_lines[last + 1:last + 3]):
        # Nothing here or in the two lines below can make a table: what the paragraph's end
        # would record is never read (walking deep containers for it cost time per level).
        if paragraph:
            mends.paragraph_ends[last] = (False, None, tuple(containers))
        return
    # The line above: where its content starts, the content, and how to show it as a header
    # row (see _Mends.header). The last line's is kept for a table that pulldown-cmark lets
    # interrupt the paragraph (see _build_table).
    previous: tuple | None = None
    visited = False
    for line in range(first if headers or lazy_html else last, last + 1):
        text = masked_lines[line]
        found: tuple[int, int] | None = (0, 0)
        if line == first and tight:
            # Its first event may start past an escape (`\|` gives the text `|`).
            position = _walk_containers(text, containers, line)[1]
        elif line == first:
            position = _char_offset(data, line_starts, line, start)
        else:
            found = _content_column(text, containers) if containers else (0, 0)
            # A lazy line: after the containers it does continue.
            position = found[1] if found is not None else _walk_containers(text, containers)[1]
        position += len(text[position:]) - len(text[position:].lstrip(_WHITESPACE))
        if found is None and lazy_html and _HTML_BLOCK_7.match(text, position):
            mends.end_table(line, position, "html")
            return  # the paragraph ends there
        content = text[position:]
        # A lazy line or one indented 4 columns or more is no delimiter row (GFM).
        if headers and previous is not None and found is not None and _delimiter_like(content) \
                and _visual_column(text, position) - found[0] < 4:
            if visited:
                mends.end_table(line, position + content.index("-"), "text")
            elif _header_width(previous) == len(_split_cells(content, 0, header=True)[0]):
                _mend_header(mends, masked_lines, line - 1, previous)
                mends.header(line, position)
                # The rest of the paragraph is rows in cmark-gfm; a next pass reads them.
                return
            else:
                visited = True
        keep, prefix = None, ""
        if found is None:
            keep, prefix = _lazy_prefix(text, containers)
        elif line != first and _visual_column(text, position) - found[0] >= 4:
            # Shown from the container's content column (a tab may reach past it).
            keep = found[1]
            prefix = " " * (found[0] - _visual_column(text, keep))
        previous = (position, content, keep, prefix)
        if found is None and keep < position and content[:1] == "|":
            previous = (keep, content, keep, prefix, 1)  # see _header_width
    if paragraph:  # a heading has ended at its underline, or is one line
        mends.paragraph_ends[last] = (visited, previous, tuple(containers))


def _header_width(header: tuple) -> int:
    """How many cells cmark-gfm reads in a header row (see _mend_paragraph).

    cmark-gfm keeps a lazy line's indentation in the paragraph: the first pipe after it is
    no leading pipe, and an empty cell comes before it (such a header row is marked with a
    fifth item, and shown to pulldown-cmark with a pipe before its indentation).
    """
    return len(_split_cells(header[1], 0, header=True)[0]) + (header[4] if len(header) > 4 else 0)


def _mend_header(mends: _Mends, masked_lines: list[str], line: int, header: tuple) -> None:
    position, content, keep, prefix = header[:4]
    mends.header(line, position, keep, prefix)
    if _delimiter_like(content):
        # A header row that looks like a delimiter row (cmark-gfm did not try it as one: it
        # is indented, lazy or first): shown as text, lest pulldown-cmark pair it with the
        # line above. Its cells are read from the source line.
        mends.end_table(line, masked_lines[line].index("-", position), "text")
    end = len(masked_lines[line])
    if (len(content) - len(content.rstrip("\\"))) % 2:
        # A backslash at the end of the line escapes the line break for pulldown-cmark (no
        # table); GFM reads it in the cell.
        mends.end_table(line, end - 1, "text")


_DEFINITION_LINE = re.compile(rb"^[ \t>]*\[[^\n]*\]:", re.MULTILINE)


def _mend_definition_headers(masked: str, data: bytes, masked_lines: list[str],
                             line_starts: list[int], mends: _Mends) -> None:
    """A link reference definition right above a delimiter row with as many cells is a
    header row in cmark-gfm (it looks for a table before it reads definitions); pulldown-cmark
    reads a definition. It is shown with a leading pipe, and so is the delimiter row."""
    candidates = []
    for found in _DEFINITION_LINE.finditer(data):
        line = _line_of(line_starts, found.start())
        if line + 1 >= len(masked_lines):
            continue
        text, below = masked_lines[line], masked_lines[line + 1]
        at = len(_QUOTE_PREFIX.match(below).group())
        if _delimiter_like(below[at:]):
            head = len(_QUOTE_PREFIX.match(text).group())
            if len(_split_cells(text[head:], 0, header=True)[0]) == len(
                    _split_cells(below[at:], 0, header=True)[0]):
                candidates.append((line, head, at))
    if not candidates:
        return
    starts = {_line_of(line_starts, d["span"]["start"])
              for d in pyromark.reference_definitions(masked, options=_OPTIONS).values()}
    for line, head, at in candidates:
        if line in starts:
            mends.origin = line
            mends.header(line, head)
            mends.header(line + 1, at)


def _lines_before_headers(masked_lines: list[str], ends: list[int]) -> set[int]:
    """Of the last lines of link reference definitions, those followed (no blank line or
    other block between) by a table's header row.

    cmark-gfm reads definitions when it closes a paragraph; when a table header row turns up
    in it, the lines above the header are kept as a paragraph without reading them, so the
    definitions there define nothing (`[l]: /u` shows as text, `[l]` in a cell is no link).
    """
    heads: set[int] = set()
    walked = -1
    verdict = False
    for end in ends:
        if end <= walked:  # in the stretch already walked: same verdict
            if verdict:
                heads.add(end)
            continue
        verdict = False
        depth = _QUOTE_PREFIX.match(masked_lines[end]).group().count(">")
        line = end + 1
        while line + 1 < len(masked_lines):
            marks = _QUOTE_PREFIX.match(masked_lines[line]).group()
            text = masked_lines[line][len(marks):]
            if not text.strip() or _BLOCK_START.match(text) or marks.count(">") > depth:
                break
            below = _QUOTE_PREFIX.sub("", masked_lines[line + 1]).strip(_WHITESPACE)
            if _delimiter_like(below) and _header_width((0, text.strip(_WHITESPACE), None, "")) \
                    == len(_split_cells(below, 0, header=True)[0]):
                verdict = True
                break
            line += 1
        walked = line
        if verdict:
            heads.add(end)
    return heads


# A line that starts another block than a paragraph (roughly: enough to end the walk above).
_BLOCK_START = re.compile(
    r" {0,3}(#{1,6}(\s|$)|`{3}|~{3}|[-+*]\s|[0-9]{1,9}[.)]\s|<|\|?\s*:?-+:?\s*(\||$))")


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
    return bisect_right(line_starts, offset) - 1


def _build_table(index: int, span: _TableSpan, data: bytes, line_starts: list[int],
                 lines: list[str], masked_lines: list[str], moves: dict[int, list[tuple]],
                 mends: _Mends, definitions) -> Table | None:
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
    mends.origin = header_line
    masked_delimiter = masked_lines[header_line + 1] if header_line + 1 < len(lines) else ""
    # Block quote markers and indentation come before a delimiter row; none is part of it.
    bullet = _delimiter_content(masked_delimiter, span.containers)
    delimiter_cells, _ = _split_cells(masked_delimiter[bullet:], 0, header=True)
    if _LIST_ITEM_DELIMITER.match(masked_delimiter, bullet):
        mends.end_table(header_line + 1, bullet, "bullet")
        return None
    if not delimiter_cells or not all(_DELIMITER_CELL.match(c) for c in delimiter_cells):
        # GFM takes `-- -`, `::-`, `--- :` for text, so there is no table: the paragraph
        # goes on (pulldown-cmark takes these for delimiter rows).
        dash = masked_delimiter.find("-", bullet)
        if dash != -1:
            mends.end_table(header_line + 1, dash, "text")
        return None
    header_text = masked_lines[header_line]
    if span.containers and _content_column(header_text, span.containers, header_line) is None:
        lazy_at = _walk_containers(header_text, span.containers, header_line)[1]
        if header_text[lazy_at:lazy_at + 1] in (" ", "\t"):
            # A lazy header row with indentation: an empty cell before its first pipe in
            # cmark-gfm (see _header_width), so its cells are not the delimiter row's.
            mends.end_table(header_line + 1, masked_delimiter.index("-", bullet), "text")
            return None
    before = mends.paragraph_ends.get(header_line - 1)
    if before is not None and before[1] is not None and _inside(before[2], span.containers):
        # The paragraph above is in a block quote or list item the table is not in: cmark-gfm
        # takes the header row for a lazy line of it; the delimiter row makes a table in the
        # paragraph's container, with that header, if it continues the container, else it is
        # a lazy line too (pulldown-cmark puts the table outside).
        paragraph_containers = before[2]
        text = masked_lines[header_line]
        position = _delimiter_content(text, ())
        keep, prefix = _lazy_prefix(text, paragraph_containers)
        if not before[0] and _content_column(masked_delimiter, paragraph_containers) is not None \
                and not (keep < position and text[position] == "|"):  # see _header_width
            _mend_header(mends, masked_lines, header_line,
                         (position, text[position:], keep, prefix))
        else:
            mends.end_table(header_line + 1, masked_delimiter.index("-", bullet), "text")
        return None
    if before is not None and before[1] is not None and _inside(before[2], span.containers, 0):
        # In cmark-gfm the header row continues the paragraph above (pulldown-cmark lets a
        # table interrupt it): as a delimiter row for the paragraph's last line, or as text
        # when cmark-gfm has tried the paragraph for a table (see _mend_paragraph).
        visited, above_line, _ = before
        source = lines[header_line]
        found = _content_column(source, span.containers, header_line) if span.containers \
            else (0, 0)
        at = _delimiter_content(source, span.containers)
        header_text = source[at:]
        # (Indented 4 columns or more, cmark-gfm does not try it as a delimiter row.)
        if not visited and found is not None and _visual_column(source, at) - found[0] < 4 \
                and _delimiter_like(header_text):
            if _header_width(above_line) == len(_split_cells(header_text, 0, header=True)[0]):
                _mend_header(mends, masked_lines, header_line - 1, above_line)
                return None
            visited = True
        if visited:
            mends.end_table(header_line + 1, masked_delimiter.index("-", bullet), "text")
            return None
    header_offset = offsets[0]
    if header_line in moves:
        header_offset = _source_offset(header_offset, moves[header_line])
    header_sources, _ = _split_cells(lines[header_line], header_offset, header=True)
    if lines[header_line][header_offset:header_offset + 1] in (" ", "\t"):
        header_sources = [""] + header_sources  # an empty cell first (see _header_width)
    width = len(header_sources)
    if width == 0:
        return None
    overflow = span.overflow
    if span.row_starts is None and (width - 1) * (len(row_line_indexes) - 1) > _PADDING[0]:
        cut = _padding_cut(lines, moves, row_line_indexes, offsets, width, _PADDING[0], True)
        if cut < len(row_line_indexes):
            span.overflow_line = row_line_indexes[cut]
            del row_line_indexes[cut:], offsets[cut:]
            overflow = True
    if overflow:
        _more_rows(masked_lines, row_line_indexes, offsets, span.containers)
        cut = _padding_cut(lines, moves, row_line_indexes, offsets, width, _PADDING[1], False)
        del row_line_indexes[cut:], offsets[cut:]
    end = _table_end(row_line_indexes, offsets, masked_lines, span.containers, mends)
    del row_line_indexes[end:], offsets[end:]
    if moves:  # offsets in lines that _Mends changed, as they are in the source line
        offsets = [_source_offset(o, moves[i]) if i in moves else o
                   for i, o in zip(row_line_indexes, offsets)]
    row_text = [lines[i] for i in row_line_indexes]
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


# Budgets of padded cells (cells a short row lacks): pulldown-cmark takes no more rows once a
# row would bring a table's padding over 2**18 (that row starts a paragraph inside the table);
# cmark-gfm none once the padding so far is over 2**19 (the row starts a paragraph after it).
_PADDING = (1 << 18, 1 << 19)


def _padding_cut(lines: list[str], moves: dict, row_lines: list[int], offsets: list[int],
                 width: int, budget: int, counting_the_row: bool) -> int:
    """How many rows (header first) a budget of padded cells lets in (cells counted in the
    source lines: rows of a big table are `||` to the parser)."""
    padding = 0
    for number in range(1, len(row_lines)):
        if not counting_the_row and padding > budget:
            return number
        line, offset = row_lines[number], offsets[number]
        if line in moves:
            offset = _source_offset(offset, moves[line])
        cells = len(_split_cells(lines[line], offset, header=True)[0])
        padding += max(0, width - cells)
        if counting_the_row and padding > budget:
            return number
    return len(row_lines)


def _more_rows(masked_lines: list[str], row_lines: list[int], offsets: list[int],
               containers) -> None:
    """Add the rows cmark-gfm takes after the last one pulldown-cmark gave (it stopped at its
    budget of padded cells): lines up to a blank one, one not in the table's containers, or
    one that starts another block (cmark-gfm tries block starts before table rows)."""
    line = row_lines[-1] + 1 if len(row_lines) > 1 else row_lines[0] + 2
    while line < len(masked_lines):
        text = masked_lines[line]
        found = _content_column(text, containers) if containers else (0, 0)
        if found is None:
            return
        position = found[1] + len(text[found[1]:]) - len(text[found[1]:].lstrip(_WHITESPACE))
        if position >= len(text) or _visual_column(text, position) - found[0] >= 4 \
                or _TABLE_INTERRUPT.match(text, position) or _HTML_BLOCK_7.match(text, position):
            return
        row_lines.append(line)
        offsets.append(position)
        line += 1


# Block starts that end a table in cmark-gfm (besides indented code and HTML of type 7):
# ATX headings, fences, block quotes, thematic breaks, list items, HTML blocks of types 1-6.
_TABLE_INTERRUPT = re.compile(
    r"#{1,6}(?:[ \t]|$)|`{3,}|~{3,}|>|([-*_])(?:[ \t]*\1){2,}[ \t]*$"
    r"|(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$)|<(?:script|pre|style|textarea)(?:[ \t>]|$)"
    r"|<!--|<\?|<![A-Za-z]|<!\[CDATA\[|</?(?:address|article|aside|base|basefont|blockquote"
    r"|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption"
    r"|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link"
    r"|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary"
    r"|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[ \t>]|/>|$)", re.IGNORECASE)


def _source_offset(offset: int, moves: list[tuple[int, int, int]]) -> int:
    """Where a character of a line shown otherwise (by _mask_non_table_blocks, then by
    _Mends.apply) is in the source line. Each change, last first: the line is kept before
    `keep`; what was put in maps to the content's start; the content, shown from `start`,
    was at `position`."""
    for keep, start, position in reversed(moves):
        if offset >= keep:
            offset = position if offset < start else offset - start + position
    return offset


def _table_end(row_lines: list[int], offsets: list[int], masked_lines: list[str],
               containers, mends: _Mends) -> int:
    """How many of the rows pulldown-cmark gives (header first) are rows in cmark-gfm.

    cmark-gfm tries every block start on a line before taking it as a row: a line indented 4
    columns or more inside its container is indented code, a complete HTML tag alone on its
    line is an HTML block (type 7, which cannot interrupt a paragraph but ends a table).
    pulldown-cmark takes both as rows; such a line ends the table, and _Mends shows it to
    pulldown-cmark so that what follows is parsed as in cmark-gfm.
    """
    for number in range(1, len(row_lines)):
        text, offset = masked_lines[row_lines[number]], offsets[number]
        if offset == 0 and text[:1] not in _LINE_START_TO_CHECK:
            continue  # the common case, kept fast for big tables
        found = _content_column(text, containers) if containers else None
        if containers and found is None:
            return number  # not inside the table's block quote or list item: a lazy line
        if _column_of_text(text, offset) - (found[0] if found else 0) >= 4:
            mends.end_table(row_lines[number], offset, "blank")
            return number
        if _HTML_BLOCK_7.match(text, offset):
            mends.end_table(row_lines[number], offset, "html")
            return number
    return len(row_lines)


# cmark-gfm's scanners.re: a complete open or closing tag, then only white space (type 7).
_TAG_ATTRIBUTE = (r"""(?:[ \t\v\f]+[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \t\v\f]*=[ \t\v\f]*"""
                  r"""(?:[^ \t\v\f\r\n"'=<>`\x00]+|'[^'\x00]*'|"[^"\x00]*"))?)""")
_HTML_BLOCK_7 = re.compile(rf"<(?:[A-Za-z][A-Za-z0-9-]*{_TAG_ATTRIBUTE}*[ \t\v\f]*/?>"
                           rf"|/[A-Za-z][A-Za-z0-9-]*[ \t\v\f]*>)[ \t\f]*$")
_LINE_START_TO_CHECK = frozenset(" \t<>") | {""}


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
        elif pipes and (found := _trailing_comment(text, last_start, last_end)):
            # `| a | b <!-- validate: ignore ... -->` (no closing pipe): the comment is not text.
            ranges[-1], comment = (last_start, found[0]), found[1]
    return ranges, comment


def _trailing_comment(text: str, start: int, end: int) -> tuple[int, str] | None:
    """An HTML comment that ends `text[start:end]` (white space aside): where the white space
    before it starts, and the comment. What `[ \t]*(<!--(?:(?!-->).)*-->)[ \t]*$` finds, in
    time linear in the cell (that search goes quadratic on long runs of spaces or `<!--`).
    """
    body_end = start + len(text[start:end].rstrip(_WHITESPACE))
    close = body_end - 3
    if close < start + 4 or not text.startswith("-->", close):
        return None
    # The comment holds no `-->`: it opens after the last one before its closing one.
    inner = text.rfind("-->", start, close + 2)
    opening = text.find("<!--", start if inner == -1 else max(start, inner - 3), close)
    if opening == -1:
        return None
    return start + len(text[start:opening].rstrip(_WHITESPACE)), text[opening:body_end]


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

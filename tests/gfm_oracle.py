"""Test-only oracle: the tables GitHub's own renderer (cmark-gfm) makes of a markdown document.

`oracle_tables(text)` renders `text` with `cmarkgfm.github_flavored_markdown_to_html` (the
cmark-gfm library GitHub uses, with the extensions github.com enables: table, autolink,
tagfilter, strikethrough, tasklist) and reads every `<table>` back out of the HTML with the
standard library's `html.parser`. It is used only by tests, to check `validate.read_tables`.

Rendering options (deliberate):
- `CMARK_OPT_UNSAFE` is OFF (cmark-gfm's default, "safe" mode): raw HTML is replaced by
  `<!-- raw HTML omitted -->`. So a `<table>` written as raw HTML never shows up as a table
  here (it is not a markdown table, and `read_tables` does not read it either), and inline
  tags in cells (`<b>x</b>`, `<br>`) contribute no text, exactly as in a browser's
  `textContent`.
- `CMARK_OPT_SOURCEPOS` is ON: `<table>` and every `<tr>` carry
  `data-sourcepos="LINE:COL-LINE:COL"`, which gives each row's 1-based source line (it
  changes nothing else in the output). Workaround: when a table interrupts a paragraph
  (`text\n| a |\n|---|`), cmark-gfm 0.29.0.gfm.2 gives the header row (and the table) the
  paragraph's first line (and the paragraph `0:0-0:0`); body rows and the table's end line
  are right. So the header line is taken as (first body row's line - 2), or for a
  header-only table (table's end line - 1): the delimiter row always sits right between.
- Footnotes are OFF (`github_flavored_markdown_to_html` does not enable them). github.com
  does render `[^1]` as a footnote reference; neither this oracle nor the reader does.
- GitHub's post-processing after cmark-gfm (emoji shortcodes such as `:+1:`, @mentions,
  issue references, its HTML sanitizer) is not modelled: the oracle is cmark-gfm itself.

Cell text (what a reader sees in the rendered cell):
1. `textContent`: the text of every text node under the `<th>`/`<td>`, tags dropped, HTML
   comments dropped, character references resolved (by `html.parser`). Images contribute
   nothing (an `<img>` has no text node; its `alt` is not shown while the image loads fine).
2. Runs of ASCII white space (space, tab, LF, CR, FF: what CSS collapses under
   `white-space: normal`) are collapsed to one space, EXCEPT inside `<code>`: GitHub's
   stylesheet gives inline code `white-space: break-spaces`, so a reader sees every space of a
   code span. No-break spaces (U+00A0) and ideographic spaces (U+3000) are never collapsed.
3. ASCII white space around the whole cell text is stripped (also when it comes from a code
   span at the cell's edge); U+00A0 and U+3000 at the edges are kept (a browser shows them).
A `<br>` gives no text (it is omitted in safe mode, and `textContent` has none for it).
Pass `collapse=False` to get step 1 + 3 only (raw `textContent`, trimmed).

`<table>` elements inside `<pre>` are never counted (cmark-gfm never makes any: code blocks
are escaped text, and this is only a guard).

`blank_excluded(text)` blanks what the project deliberately never reads (front matter,
`!!!` admonitions): `read_tables(text)` must give `oracle_tables(blank_excluded(text))`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

OPTIONS = Options.CMARK_OPT_SOURCEPOS  # safe mode: CMARK_OPT_UNSAFE deliberately not set
_ASCII_WS = " \t\n\r\f"
_WS_RUN = re.compile(r"[ \t\n\r\f]+")
_SOURCEPOS = re.compile(r"^(\d+):(\d+)-(\d+):(\d+)$")


@dataclass
class OracleTable:
    """One `<table>` of cmark-gfm's HTML."""

    header: list[str]
    rows: list[list[str]]
    line: int | None = None                 # 1-based line of the header row (see above)
    row_lines: list[int | None] = field(default_factory=list)
    header_sourcepos_line: int | None = None  # what cmark-gfm says (wrong after a paragraph)
    end_line: int | None = None


def render_html(text: str) -> str:
    """cmark-gfm's HTML for `text` (GitHub's extensions, safe mode, source positions)."""
    return cmarkgfm.github_flavored_markdown_to_html(text, OPTIONS)


def oracle_tables(text: str, *, collapse: bool = True) -> list[OracleTable]:
    """The tables GitHub renders for markdown `text`, in document order."""
    return tables_from_html(render_html(text), collapse=collapse)


def tables_from_html(html: str, *, collapse: bool = True) -> list[OracleTable]:
    parser = _TableParser(collapse)
    parser.feed(html)
    parser.close()
    return parser.tables


def cell_text(segments: list[tuple[str, bool]], *, collapse: bool = True) -> str:
    """Visible text from (text, inside_code) pieces, per the module's rules."""
    if not collapse:
        return "".join(text for text, _ in segments).strip(_ASCII_WS)
    # Adjacent pieces outside code are one run of text for a browser (`a <!-- --> b`,
    # `a <em> b</em>`): join them before collapsing, so white space across them collapses too.
    merged: list[tuple[str, bool]] = []
    for text, in_code in segments:
        if merged and not in_code and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, False)
        else:
            merged.append((text, in_code))
    joined = "".join(text if in_code else _WS_RUN.sub(" ", text) for text, in_code in merged)
    return joined.strip(_ASCII_WS)


def _sourcepos(attrs: list[tuple[str, str | None]]) -> tuple[int, int] | None:
    """(first line, last line) of a `data-sourcepos` attribute."""
    for name, value in attrs:
        if name == "data-sourcepos" and value:
            match = _SOURCEPOS.match(value)
            if match:
                return int(match.group(1)), int(match.group(3))
    return None


class _TableParser(HTMLParser):
    def __init__(self, collapse: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.collapse = collapse
        self.tables: list[OracleTable] = []
        self._pre = 0
        self._code = 0
        self._table: OracleTable | None = None
        self._table_depth = 0               # nested <table> inside a cell (never from cmark-gfm)
        self._in_head = False
        self._row: list[str] | None = None
        self._row_line: int | None = None
        self._cell: list[tuple[str, bool]] | None = None

    # HTMLParser calls handle_startendtag for `<br />`, `<img ... />`; nothing to do for them.

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self._pre += 1
        elif tag == "code":
            self._code += 1
        elif tag == "table":
            if self._table is not None:
                self._table_depth += 1
            elif not self._pre:
                self._table = OracleTable(header=[], rows=[])
                pos = _sourcepos(attrs)
                self._table.end_line = pos[1] if pos else None
        elif self._table is None or self._table_depth:
            return
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            pos = _sourcepos(attrs)
            self._row, self._row_line = [], pos[0] if pos else None
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        elif tag == "code":
            self._code = max(0, self._code - 1)
        elif tag == "table":
            if self._table_depth:
                self._table_depth -= 1
            elif self._table is not None:
                table = self._table
                if table.row_lines and table.row_lines[0] is not None:
                    table.line = table.row_lines[0] - 2
                elif table.end_line is not None:
                    table.line = table.end_line - 1
                self.tables.append(table)
                self._table = None
        elif self._table is None or self._table_depth:
            return
        elif tag == "thead":
            self._in_head = False
        elif tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append(cell_text(self._cell, collapse=self.collapse))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in_head:
                self._table.header = self._row
                self._table.header_sourcepos_line = self._row_line
            else:
                self._table.rows.append(self._row)
                self._table.row_lines.append(self._row_line)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append((data, self._code > 0))

    # Comments (`<!-- raw HTML omitted -->`), declarations and processing instructions are
    # not text: HTMLParser's default handlers ignore them.


# --- what the project deliberately never reads --------------------------------------------

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def blank_excluded(text: str) -> str:
    """Blank front matter and closed `!!!` ... `!!!` blocks outside fenced code (line count kept).

    What the project deliberately never reads (validate.reader blanks them too): the oracle's
    tables of the page without them are what `read_tables` must give.

    Written independently of validate.reader, following CommonMark for fences: a backtick
    fence's info string may not contain a backtick (`` ```x``` `` opens no fence).
    """
    lines = text.split("\n")
    out = list(lines)
    start = 0
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                out[: i + 1] = [""] * (i + 1)
                start = i + 1
                break
    fence = None
    opened = None
    for i in range(start, len(lines)):
        line = lines[i]
        match = _FENCE_OPEN.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not match.group(2).strip():
                fence = None
            continue
        if match and opened is None and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            fence = match.group(1)
            continue
        if re.match(r"^ {0,3}!!!", line):
            if opened is None:
                opened = i
            else:
                out[opened: i + 1] = [""] * (i + 1 - opened)
                opened = None
    return "\n".join(out)

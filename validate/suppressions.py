"""Suppressions written in the page: `<!-- validate: ignore CODE ... -->`.

- On the line before a table (blank lines may separate them): the codes are ignored in
  that table.
- At the end of a row, after its last pipe: the codes are ignored on that row. (A comment
  on a line of its own between two rows would end the table in GitHub's rendering, so a
  row's suppression sits on the row itself.)
- `<!-- validate: ignore-file CODE ... -->` anywhere: ignored in the whole document.

Codes may be rule codes (`D401`), kebab names (`duplicate-measurement`) or `all`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(r"<!--\s*validate:\s*(?P<verb>[\w-]+)(?P<codes>[^>]*?)\s*-->", re.S)


@dataclass
class Suppression:
    line: int
    column: int
    verb: str                 # ignore | ignore-file
    codes: tuple[str, ...]    # as written
    table_index: int | None = None   # the table it covers (None: document or dangling)
    row: int | None = None           # the row it covers (None: the whole table)
    used: set[str] = field(default_factory=set)
    problem: str | None = None


def parse_directives(text: str, line: int, column: int = 1) -> list[Suppression]:
    found = []
    for match in _DIRECTIVE.finditer(text):
        verb = match.group("verb").lower()
        codes = tuple(c for c in re.split(r"[\s,]+", match.group("codes").strip()) if c)
        suppression = Suppression(line=line, column=column, verb=verb, codes=codes)
        if verb not in ("ignore", "ignore-file"):
            suppression.problem = f"has an unknown directive {verb!r} (use ignore or ignore-file)"
        elif not codes:
            suppression.problem = "names no rule (write e.g. `validate: ignore D401`)"
        found.append(suppression)
    return found


def collect(document, table_lines: list[tuple[int, int]]) -> list[Suppression]:
    """Every suppression in a parsed markdown document, attached to what it covers.

    `table_lines` holds (header line, table index) of the document's tables.
    """
    suppressions: list[Suppression] = []
    starts = sorted(table_lines)
    lines = document.lines
    for comment in document.comments:
        for suppression in parse_directives(comment.text, comment.first_line):
            if suppression.verb == "ignore":
                suppression.table_index = _next_table(comment.line, starts, lines)
                if suppression.table_index is None and suppression.problem is None:
                    suppression.problem = "is not followed by a table (use ignore-file for the whole page)"
            suppressions.append(suppression)
    for table in document.tables:
        for row, comment in table.row_comments.items():
            column = table.row_text(row).find(comment) + 1 or table.row_column(row)
            for suppression in parse_directives(comment, table.row_lines[row], column):
                suppression.table_index = table.index
                suppression.row = row
                suppressions.append(suppression)
    return suppressions


def _next_table(line: int, starts: list[tuple[int, int]], lines: list[str]) -> int | None:
    for header_line, index in starts:
        if header_line <= line:
            continue
        between = lines[line:header_line - 1]
        if all(not text.strip() for text in between):
            return index
        return None
    return None


def matches(suppression: Suppression, code: str, name: str) -> str | None:
    """The spelling in `suppression` that covers a finding of rule `code`, if any."""
    for written in suppression.codes:
        lowered = written.lower()
        if lowered == "all" or written.upper() == code or lowered == name:
            return written
    return None

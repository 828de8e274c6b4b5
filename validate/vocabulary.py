"""The words and shapes cells are read with, kept once for every layer (no pandas here).

The typed parse of schema columns (`cells.py`), schema inference (`infer.py`) and the rules
all read cells with these: what counts as "no value", as yes and no, as a version or a
flavor, and what kind of thing a cell holds when no schema says what its column means.
"""

from __future__ import annotations

import re
from enum import Enum

# Cells that say "no value" in words: treated as empty, as a reader would.
PLACEHOLDERS = frozenset({"-", "–", "—", "n/a", "na", "tbd", "?", "none", "null", "…", "..."})
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on", "o", "✓", "✔", "예", "네", "적용"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "off", "x", "✗", "✘", "아니오", "아니요", "미적용"})

VERSION = r"[vV]?\d+(?:\.\d+){1,3}(?:[-+._]?[0-9A-Za-z]+)*"
ACCELERATOR = re.compile(
    r"^(?P<name>small|medium|large|(?:\d+(?:\.\d+)?)?x+large)"
    r"(?:\.(?P<memory>\d+(?:\.\d+)?)\s*(?P<unit>[GT])i?B)?$",
    re.IGNORECASE)


def is_placeholder(text: str) -> bool:
    """Whether a cell says "no value": empty, or a word such as `-`, `N/A`, `TBD`."""
    stripped = text.strip()
    return not stripped or stripped.casefold() in PLACEHOLDERS


def squeeze(text: str) -> str:
    """A spelling reduced for lookup (units, flavor names): no case, no spaces."""
    return "".join(text.casefold().split())


# --- what a cell holds, when no schema says -----------------------------------------------------

class Kind(str, Enum):
    """What a cell of a table without a schema holds, judged from its text alone."""

    EMPTY = "empty"               # nothing, or a placeholder word
    NUMBER = "number"             # 1,234 / 12.5 / 560m / 93,291 TPS / 45% / 1.47x / 7B
    MISGROUPED = "misgrouped"     # digits with commas that are not thousands separators: 1403,2189
    SCIENTIFIC = "scientific"     # 7e-5, 1.2E+3
    RANGE = "range"               # 160-162, 1~13, 10 to 20
    CHANGE = "change"             # 1.8114 -> 0.5260
    PLUS_MINUS = "plus-minus"     # 85.3 ± 0.2
    LIST = "list"                 # 7B/16B/67B, 1,2,3, 64 / 128
    FORMULA = "formula"           # 4 + 16/d, 2 x 8
    DATE = "date"                 # 2024-02-01, 2024/02/01
    VERSION = "version"           # 1.2.1, v0.4, >=3.11, 3.11+
    ANNOTATED = "annotated"       # 44.53 (44.02), 180M (180M)
    BOOLEAN = "boolean"           # yes, ✓, O
    TEXT = "text"                 # anything else: words, prose, code


_DIGITS = r"\d+(?:\.\d+)?"
_PLAIN = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# A unit is one token after the number: letters of any script (MiB, m, TPS, 時間, 대),
# optionally per something (tokens/s, GB/s, TFLOPs/GPU), or a sign such as % or x.
_UNIT = r"(?:%|‰|[x×]|[^\W\d_]{1,12}(?:/[^\W\d_]{1,8})?)"
_NUMBER_CELL = re.compile(rf"^{_PLAIN}\s?(?P<unit>{_UNIT})?$")
_MISGROUPED = re.compile(r"^[+-]?\d+(?:,\d+)+(?:\.\d+)?(?:\s?" + _UNIT + r")?$")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")
_RANGE = re.compile(rf"^{_PLAIN}\s?{_UNIT}?\s*(?:-|–|—|~|〜|～|to|bis)\s*{_PLAIN}\s?{_UNIT}?$")
_CHANGE = re.compile(r"(?:->|→|=>|⇒|⟶)")
_PLUS_MINUS = re.compile(r"(?:±|\+/-|\+-)")
_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$")
# Version requirements (`>=3.11`, `~=2.1`, `^1.2`) and dotted versions; `~8.5x` is an
# approximate number and `V100` a GPU, neither a version.
_VERSION_CELL = re.compile(rf"^(?:(?:[<>!=]=?|~=|\^)\s*)?{VERSION}\+?$")
_DOTTED = re.compile(r"^(?:[<>!=^]|~=|[vV]\d)|\d+\.\d+\.\d+")
_ANNOTATED = re.compile(rf"^{_PLAIN}\s?(?:{_UNIT})?\s*[(\[].*[)\]]$")
_LIST_SEPARATOR = re.compile(r"\s*[/,;、|]\s*")
_OPERATOR = re.compile(r"[+*/^×÷=]")


def cell_kind(text: str) -> Kind:
    """The kind of one cell's shown text (markup already removed by the reader)."""
    cell = " ".join(text.split())
    if not cell or cell.casefold() in PLACEHOLDERS:
        return Kind.EMPTY
    if cell[0].isdigit() or cell[0] in "+-.<>=!~^vV":
        kind = _numeric_kind(cell)
        if kind is not None:
            return kind
    folded = cell.casefold()
    if folded in TRUE_WORDS or folded in FALSE_WORDS:
        return Kind.BOOLEAN
    return Kind.TEXT


def _numeric_kind(cell: str) -> Kind | None:
    if _NUMBER_CELL.match(cell):
        return Kind.NUMBER
    if _DATE.match(cell):
        return Kind.DATE
    if _VERSION_CELL.match(cell) and _DOTTED.search(cell):
        return Kind.VERSION
    if _SCIENTIFIC.match(cell):
        return Kind.SCIENTIFIC
    if _RANGE.match(cell):
        return Kind.RANGE
    if _CHANGE.search(cell):
        return Kind.CHANGE
    if _PLUS_MINUS.search(cell):
        return Kind.PLUS_MINUS
    if _ANNOTATED.match(cell):
        return Kind.ANNOTATED
    if _MISGROUPED.match(cell):
        # `1,2,3` and `32,64` are lists of small numbers; `1403,2189` and `154,12123` are
        # numbers whose separators slipped (a group of three or more digits in the wrong place).
        # A unit after it (`4,09 GiB`) makes it a number: lists are written bare.
        groups = cell.split(".")[0].lstrip("+-").split(",")
        last = re.match(r"\d+", groups[-1])
        has_unit = last.end() < len(groups[-1])
        groups[-1] = last.group(0)
        if all(len(group) <= 2 for group in groups) and not has_unit:
            return Kind.LIST
        return Kind.MISGROUPED
    parts = _LIST_SEPARATOR.split(cell)
    if len(parts) > 1 and all(p and (_NUMBER_CELL.match(p) or _SCIENTIFIC.match(p)) for p in parts):
        return Kind.LIST
    if _OPERATOR.search(cell) and not re.search(r"[^\W\d_]{4,}", cell):
        return Kind.FORMULA
    return None

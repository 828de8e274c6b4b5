"""Matching the rows of two language versions of a table by their configuration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from validate.rules.common import key_fields


@dataclass
class PairContext:
    """The same table kind in two language versions of a page."""

    left: Any          # ParsedTable of the default-language page
    right: Any         # ParsedTable of the translation
    left_language: str
    right_language: str

    def side(self, name: str):
        return self.left if name == "left" else self.right

    def other(self, name: str) -> str:
        return "right" if name == "left" else "left"


def _keys(parsed, fields: list[str]) -> dict[tuple, int]:
    """Configuration -> first row holding it (rows without a full key are left out)."""
    frame = parsed.values[fields]
    complete = frame.notna().all(axis=1)
    found: dict[tuple, int] = {}
    for row, values in zip(frame.index[complete], frame[complete].itertuples(index=False)):
        found.setdefault(tuple(str(v) for v in values), int(row))
    return found


def match_rows(ctx: PairContext) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """(matched (left row, right row) pairs, left-only rows, right-only rows)."""
    fields = [f for f in key_fields(ctx.left) if f in ctx.right.values.columns]
    if not fields:
        return [], [], []
    left, right = _keys(ctx.left, fields), _keys(ctx.right, fields)
    matched = sorted((row, right[key]) for key, row in left.items() if key in right)
    left_only = sorted(row for key, row in left.items() if key not in right)
    right_only = sorted(row for key, row in right.items() if key not in left)
    return matched, left_only, right_only


def where(parsed, row: int) -> str:
    return f"{parsed.path}:{parsed.line(row)}"

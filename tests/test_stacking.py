"""Many tables of one header in a page are checked as one stack: the findings must be exactly
those of each table checked on a page of its own (nothing leaks from one table to another)."""

from __future__ import annotations

from pathlib import Path

import pytest

from validate.config import Settings
from validate.engine import STACK_MIN_TABLES, Checker
from validate.sources import SourceFile

RAW = Path(__file__).resolve().parent.parent / "raw"


def _guide_tables() -> list[str]:
    """Tables of one header, each with other rows of the Korean page (and its defects)."""
    lines = (RAW / "llm_param_guide.ko.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| 모델명"))
    header, rows = lines[start:start + 2], [l for l in lines[start + 2:] if l.startswith("|")]
    cuts = [(0, 9), (9, 18), (18, 27), (27, 36), (36, 41), (0, 4), (4, 30)]
    return ["\n".join(header + rows[a:b]) + "\n" for a, b in cuts]


def _generic_tables() -> list[str]:
    header = "| name | memory | time | speed-up |\n| --- | --- | --- | --- |\n"
    bodies = ["| a | 1,024 GB | 5 min | 1.5x |\n| b | 2048 GB | 6 min | 2x |\n| c | 4,096 GB | 7 | 2.5x |\n",
              "| a | 1403,2189 | 5 min | 1.5x |\n| b | 2,048,000 | 6 min | 2x |\n| c | 4,096,000 | 7 min | 3x |\n",
              "| a | 12 GB | 5 min | 1.5x |\n| b | 24 GB | 6 min | 2x |\n| c | 48 GB | 7 min | 4x |\n",
              "| a | 1000 GB | 5 min | 1x |\n| b | 2,000 GB | 6 min | 2 |\n| c | 3,000 GB | 7 min | 3x |\n"]
    return [header + body for body in bodies]


def _findings(report, offset=0):
    return sorted((f.code, f.line + offset, f.column, f.field, f.message) for f in report.findings)


@pytest.mark.parametrize("tables", [_guide_tables(), _generic_tables()], ids=["guide", "generic"])
def test_a_stack_finds_what_each_table_finds_alone(tables):
    assert len(tables) >= STACK_MIN_TABLES
    checker = Checker(Settings())
    page, expected, line = "", [], 1
    for number, table in enumerate(tables):
        heading = f"## Table {number}\n\n"
        alone = checker.run([SourceFile("page.md", table)])
        assert not alone.internal_errors
        offset = line + heading.count("\n") - 1
        expected += _findings(alone, offset)
        page += heading + table + "\n"
        line += heading.count("\n") + table.count("\n") + 1
    together = checker.run([SourceFile("page.md", page)])
    assert not together.internal_errors
    # Messages that name other lines name them in the page: compare codes, cells and fields.
    assert [(c, l, col, f) for c, l, col, f, _ in _findings(together)] == \
        [(c, l, col, f) for c, l, col, f, _ in sorted(expected)]
    assert len(together.findings) >= 3, "the tables have findings to compare"
    assert all(t.parsed.table is t.table for t in together.files[0].tables if t.parsed is not None)

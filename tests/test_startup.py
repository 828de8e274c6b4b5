"""Start-up stays light: pandas and pandera load only when a table needs checking."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
from validate.cli import main
try:
    main({args!r}, standalone_mode=False)
except SystemExit:
    pass
heavy = sorted(m for m in ("pandas", "pandera", "numpy", "pyarrow", "matplotlib", "jinja2")
               if m in sys.modules)
print("HEAVY=" + ",".join(heavy))
"""


def loaded(args, cwd) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], cwd=cwd,
                            capture_output=True, text=True, timeout=120)
    line = [l for l in result.stdout.splitlines() if l.startswith("HEAVY=")][-1]
    return [m for m in line[len("HEAVY="):].split(",") if m]


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["--list-rules"], ["--explain", "C501"]])
def test_no_heavy_import_for_help_and_the_catalogue(args, tmp_path):
    assert loaded(args, tmp_path) == []


def test_no_heavy_import_for_pages_without_tables(tmp_path):
    (tmp_path / "prose.md").write_text("# Notes\n\n```\n| a | b |\n|---|---|\n```\n", encoding="utf-8")
    (tmp_path / "more.md").write_text("Just text, <!-- a comment --> and a list:\n\n- one\n",
                                      encoding="utf-8")
    assert loaded(["prose.md", "more.md", "--no-write"], tmp_path) == []


def test_a_table_loads_them(tmp_path):
    from conftest import GUIDE_HEADER, guide_row

    (tmp_path / "guide.md").write_text(GUIDE_HEADER + guide_row(), encoding="utf-8")
    assert {"pandas", "pandera"} <= set(loaded(["guide.md", "--no-write"], tmp_path))

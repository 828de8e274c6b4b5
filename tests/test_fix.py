"""`--fix`: safe rewrites only, on every published version of the page, LF, CRLF and BOM."""

from __future__ import annotations

import re
import shutil

import pytest

from validate.config import Settings
from validate.engine import Checker
from validate.fixer import edits_by_file, fix_file
from validate.writers.csv_data import matched_schemas, render_csv, schema_rows

from conftest import SHARED

VERSIONS = sorted((SHARED / "corpus" / "versions").glob("*.md"))
_PIPE = re.compile(r"(?<!\\)\|")


def check(path):
    checker = Checker(Settings())
    from validate.sources import read_source

    return checker.run([read_source(str(path))])


def cleaned(report) -> str:
    """The cleaned data as CSV text, without the anomalies column (findings change by design)."""
    texts = []
    for schema in matched_schemas(report):
        header, rows = schema_rows(report, schema)
        texts.append(render_csv(header[:-1], [row[:-1] for row in rows]))
    return "".join(texts)


def variants(tmp_path, source):
    data = source.read_bytes()
    lf = tmp_path / "lf" / source.name
    crlf = tmp_path / "crlf" / source.name
    bom = tmp_path / "bom" / source.name
    for target in (lf, crlf, bom):
        target.parent.mkdir(parents=True, exist_ok=True)
    lf.write_bytes(data)
    crlf.write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    bom.write_bytes(b"\xef\xbb\xbf" + data)
    return [lf, crlf, bom]


@pytest.mark.parametrize("source", VERSIONS, ids=lambda p: p.name[:40])
def test_fix_is_safe_and_idempotent_on_every_version(source, tmp_path):
    assert VERSIONS, "no corpus versions found"
    for page in variants(tmp_path, source):
        before_bytes = page.read_bytes()
        before = check(page)
        edits = edits_by_file(before.findings).get(str(page), [])
        result = fix_file(str(page), edits, write=True)
        after_bytes = page.read_bytes()
        after = check(page)

        # No value changes: the cleaned data is the same before and after.
        assert cleaned(after) == cleaned(before)
        # Idempotent: nothing left to fix, and fixing again changes nothing.
        again = edits_by_file(after.findings).get(str(page), [])
        assert fix_file(str(page), again, write=True).changed is False
        assert page.read_bytes() == after_bytes
        # Bytes outside the fixed cells are identical: BOM, line endings, every other line,
        # and within a fixed line every cell that had no edit.
        assert after_bytes.startswith(b"\xef\xbb\xbf") == before_bytes.startswith(b"\xef\xbb\xbf")
        old_lines = before_bytes.splitlines(keepends=True)
        new_lines = after_bytes.splitlines(keepends=True)
        assert len(old_lines) == len(new_lines)
        edited: dict[int, set[int]] = {}
        for edit in edits:
            text = old_lines[edit.line - 1].decode("utf-8-sig")
            # The cell an edit falls in: the number of unescaped pipes before its column.
            edited.setdefault(edit.line, set()).add(len(_PIPE.findall(text[:edit.column - 1])))
        for number, (old, new) in enumerate(zip(old_lines, new_lines), start=1):
            if old == new:
                continue
            assert number in edited, f"line {number} changed without an edit"
            assert old[len(old.rstrip(b"\r\n")):] == new[len(new.rstrip(b"\r\n")):]
            old_cells = _PIPE.split(old.decode("utf-8-sig").rstrip("\r\n"))
            new_cells = _PIPE.split(new.decode("utf-8-sig").rstrip("\r\n"))
            assert len(old_cells) == len(new_cells)
            changed = {i for i, (a, b) in enumerate(zip(old_cells, new_cells)) if a != b}
            assert changed <= edited[number], f"line {number}: cells {changed - edited[number]} changed"
        if source.name.startswith("moreh-2024docs-test__en__20240429"):
            assert result.applied > 0, "this version has number-style debt to fix"


def test_fix_through_the_cli_exits_1_when_it_changed_a_file(cli, tmp_path):
    page = tmp_path / "guide.md"
    shutil.copyfile(VERSIONS[0], page)  # the corpus files are read-only; the copy must not be
    first = cli(page, "--fix", "--no-write")
    assert first.exit_code == 1 and "Fixed " in first.stderr
    second = cli(page, "--fix", "--no-write", "--fail-on", "never")
    assert second.exit_code == 0 and "Fixed" not in second.stderr


def test_diff_shows_the_fix_and_changes_nothing(cli, tmp_path):
    page = tmp_path / "guide.md"
    shutil.copyfile(VERSIONS[0], page)  # the corpus files are read-only; the copy must not be
    before = page.read_bytes()
    result = cli(page, "--diff")
    assert result.exit_code == 1
    assert "-| Llama2 13B | 24.3.0 | 2xlarge | True | 32 | 1024 |  | 543816 MiB |" in result.stdout
    assert "+| Llama2 13B | 24.3.0 | 2xlarge | True | 32 | 1024 |  | 543,816 MiB |" in result.stdout
    assert page.read_bytes() == before


def test_fix_never_guesses_a_unit_or_a_grouping(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "| Model | MoAI Accelerator | batch size | sequence length | vram Usage | throughput |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| A 7B | 2xlarge | 32 | 1024 | 543,816 MiB | 93,291 TPS |\n"
        "| B 7B | 2xlarge | 64 | 1024 | 543817 | 95302 |\n"
        "| C 7B | 2xlarge | 128 | 1024 | 1403,2189 MiB | 96,001 TPS |\n", encoding="utf-8")
    report = check(page)
    fix_file(str(page), edits_by_file(report.findings).get(str(page), []), write=True)
    lines = page.read_text(encoding="utf-8").splitlines()
    # The bare VRAM keeps no unit (MiB would be a guess); the throughput gets the column's TPS
    # (tokens/s is what a bare throughput means) and its separators; 1403,2189 stays as it is.
    assert lines[3] == "| B 7B | 2xlarge | 64 | 1024 | 543817 | 95,302 TPS |"
    assert "1403,2189 MiB" in lines[4]

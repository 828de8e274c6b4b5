"""`validate --since REF`: what an edit changed, judged; on the corpus's history in a real git
repository, the changes reported are exactly the cells that differ between two commits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import GUIDE_HEADER, SHARED, guide_row
from validate.headers import match_table
from validate.reader import read_tables
from validate.schema import builtin_schema_dir, load_schemas

VERSIONS = SHARED / "corpus" / "versions"
needs_shared = pytest.mark.skipif(not VERSIONS.is_dir(), reason="../shared/corpus is not beside the repository")
ENV = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
           GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")


def _git(root, *args):
    return subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.fail("git is needed for the history tests")
    _git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _commit(root, name, text, message="edit"):
    (root / name).write_text(text, encoding="utf-8")
    _git(root, "add", name)
    _git(root, "commit", "-q", "-m", message)


def _cells(text: str):
    """{(key): (line, {field: shown text})} of the page's guide table, read independently of the
    tool's comparison: the reader's rows, the schema's aliases to name the columns."""
    schema = next(s for s in load_schemas([builtin_schema_dir()]) if s.name == "finetune_guide")
    table = read_tables(text)[0]
    columns = match_table(table.header, [schema]).columns
    keys = [k for k in schema.key if k in columns]
    rows = {}
    for line, row in zip(table.row_lines, table.rows):
        key = tuple(" ".join(row[columns[k]].casefold().split()) for k in keys)
        rows.setdefault(key, []).append((line, {f: " ".join(row[c].split()) for f, c in columns.items()}))
    return rows


def _independent_diff(old_text: str, new_text: str):
    old, new = _cells(old_text), _cells(new_text)
    changed, added, removed = set(), set(), set()
    for key, rows in new.items():
        before = list(old.get(key, []))
        for line, cells in rows:
            if not before:
                added.add(line)
                continue
            old_line, old_cells = before.pop(0)
            changed |= {(line, f) for f in cells if f in old_cells and cells[f] != old_cells[f]}
    for key, rows in old.items():
        removed |= {line for line, _ in rows[len(new.get(key, [])):]}
    return changed, added, removed


@needs_shared
def test_the_changes_between_each_pair_of_commits_are_exactly_the_cells_that_differ(repo, cli):
    versions = sorted((p for p in VERSIONS.glob("*.md") if "__en__" in p.name),
                      key=lambda p: p.name.split("__")[2])
    assert len(versions) >= 5
    steps = 0
    for number, version in enumerate(versions):
        text = version.read_text(encoding="utf-8")
        _commit(repo, "guide.md", text, f"version {number}")
        if number == 0:
            continue
        result = cli("guide.md", "--since", "HEAD~1", "--format", "json", "--no-write")
        assert result.exit_code in (0, 1), result.output
        report = json.loads(result.stdout)
        changes = report["files"][0]["changes"]
        changed, added, removed = _independent_diff(versions[number - 1].read_text(encoding="utf-8"), text)
        assert {(c["line"], c["field"]) for c in changes if c["kind"] == "changed"} == changed
        assert {c["line"] for c in changes if c["kind"] in ("added", "relabelled")} == added
        assert {c["old_line"] for c in changes if c["kind"] in ("removed", "relabelled")} == removed
        steps += 1
        # Every finding of a change rule sits on a changed or added row of the page now.
        lines = {c.get("line") for c in changes}
        assert all(a["line"] in lines for a in report["anomalies"] if a["code"].startswith("C60"))
    assert steps == len(versions) - 1


def test_an_edit_ten_times_off_is_an_error_naming_the_old_value(repo, cli):
    rows = [guide_row(), guide_row(accelerator="4xlarge", batch="256", vram="1,366,564 MiB",
                                   time="140m", throughput="190,949 TPS")]
    _commit(repo, "guide.md", "# Guide\n\n" + GUIDE_HEADER + "".join(rows))
    (repo / "guide.md").write_text("# Guide\n\n" + GUIDE_HEADER + rows[0].replace("93,291 TPS", "932,910 TPS")
                                   + rows[1], encoding="utf-8")
    result = cli("guide.md", "--since", "HEAD", "--no-write", "--only-changed", "--cells")
    assert result.exit_code == 1
    slip = [line for line in result.stdout.splitlines() if " C603 " in line]
    assert slip and slip[0].startswith("guide.md:5:") and "'93,291 TPS'" in slip[0]
    # Only findings on the edited row are shown.
    assert all(line.startswith("guide.md:5:") for line in result.stdout.splitlines()[:-1])


def test_an_edit_that_changes_no_value_passes(repo, cli):
    rows = guide_row() + guide_row(accelerator="4xlarge", batch="256", vram="1,366,564 MiB",
                                   time="140m", throughput="190,949 TPS")
    _commit(repo, "guide.md", "# Guide\n\n" + GUIDE_HEADER + rows)
    edited = rows.replace("1,366,564 MiB", "1366564 MiB").replace("140m", "140 min")
    (repo / "guide.md").write_text("# Guide\n\n" + GUIDE_HEADER + edited, encoding="utf-8")
    result = cli("guide.md", "--since", "HEAD", "--format", "json", "--no-write", "--only-changed")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.stdout
    changes = report["files"][0]["changes"]
    assert {(c["field"], c["value_changed"]) for c in changes} == {("vram", False), ("train_time", False)}
    assert not [a for a in report["anomalies"] if a["code"].startswith("C60")]


def test_a_page_absent_at_the_revision_has_every_row_added(repo, cli):
    _commit(repo, "other.md", "# Other\n")
    (repo / "guide.md").write_text(GUIDE_HEADER + guide_row(), encoding="utf-8")
    result = cli("guide.md", "--since", "HEAD", "--format", "json", "--no-write")
    report = json.loads(result.stdout)
    assert report["files"][0]["since"] == {"ref": "HEAD", "absent": True}
    assert [c["kind"] for c in report["files"][0]["changes"]] == ["added"]


def test_errors_are_one_line_with_status_2(repo, cli, tmp_path_factory):
    _commit(repo, "guide.md", GUIDE_HEADER + guide_row())
    unknown = cli("guide.md", "--since", "no-such-ref", "--no-write")
    assert unknown.exit_code == 2 and "no such revision" in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1
    outside = tmp_path_factory.mktemp("plain")
    (outside / "page.md").write_text(GUIDE_HEADER + guide_row(), encoding="utf-8")
    alone = cli(str(outside / "page.md"), "--since", "HEAD", "--no-write")
    assert alone.exit_code == 2 and "not in a git repository" in alone.stderr
    assert cli("guide.md", "--only-changed", "--no-write").exit_code == 2


def test_the_hook_compares_with_the_last_commit_by_itself(repo, cli):
    _commit(repo, "guide.md", GUIDE_HEADER + guide_row())
    (repo / "guide.md").write_text(GUIDE_HEADER + guide_row(vram="86,702 MiB"), encoding="utf-8")
    result = cli("--hook", "guide.md")
    assert result.exit_code == 1 and "C603" in result.stdout and "'867,021 MiB'" in result.stdout

"""The pre-commit hook, driven by the real `pre-commit` tool against this checkout.

`pre-commit try-repo CHECKOUT validate-doc-tables` installs the hook from this repository
(a real pip install, as a docs repository would get it) and runs it on the staged files of a
throwaway git repository, exactly what the git hook runs before each commit there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import GUIDE_HEADER, REPO, guide_row

ROWS = [
    dict(),
    dict(accelerator="4xlarge", batch="256", vram="1,366,564 MiB", time="140m", throughput="190,949 TPS"),
    dict(accelerator="8xlarge", batch="1024", vram="2,089,476 MiB", time="78m", throughput="394,605 TPS"),
]


def page(intro="Intro text.", **changes) -> str:
    rows = [dict(row) for row in ROWS]
    for key, value in changes.items():
        index, field = key.split("_", 1)
        rows[int(index[1:])][field] = value
    return f"# Fine-tuning guide\n\n{intro}\n\n" + GUIDE_HEADER + "".join(guide_row(**r) for r in rows)


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.fail("git is needed for the pre-commit tests")
    root = tmp_path_factory.mktemp("docs")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")

    def git(*args):
        return subprocess.run(["git", *args], cwd=root, env=env, check=True,
                              capture_output=True, text=True)

    def hook():
        """What the installed git hook does before a commit: run the hook on staged files."""
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO),
                               "validate-doc-tables", "--color", "never"],
                              cwd=root, env=env, capture_output=True, text=True, timeout=900)

    git("init", "-q")
    return root, git, hook


def test_commits_through_the_hook(docs):
    root, git, hook = docs
    target = root / "guide.md"

    # 1. A clean page passes, and the commit goes through.
    target.write_text(page(), encoding="utf-8")
    git("add", "guide.md")
    clean = hook()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
    git("commit", "-q", "-m", "clean page")

    # 2. A malformed VRAM cell fails the commit, naming the cell's line and column.
    target.write_text(page(r1_vram="1366,564 MiB"), encoding="utf-8")
    git("add", "guide.md")
    broken = hook()
    assert broken.returncode == 1
    line = page(r1_vram="1366,564 MiB").splitlines().index(
        next(l for l in page(r1_vram="1366,564 MiB").splitlines() if "1366,564" in l)) + 1
    column = page(r1_vram="1366,564 MiB").splitlines()[line - 1].index("1366,564") + 1
    assert f"guide.md:{line}:{column}: error F202" in broken.stdout
    assert target.read_text(encoding="utf-8") == page(r1_vram="1366,564 MiB")  # nothing "fixed"

    # 3. A change that only breaks number style is fixed by the hook: the first try fails
    #    (pre-commit sees the file modified), the second passes and the commit goes through.
    edited = "Measured on the MoAI Platform."
    target.write_text(page(intro=edited, r1_throughput="190949 TPS"), encoding="utf-8")
    git("add", "guide.md")
    first = hook()
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert target.read_text(encoding="utf-8") == page(intro=edited)
    git("add", "guide.md")
    second = hook()
    assert second.returncode == 0, second.stdout + second.stderr
    git("commit", "-q", "-m", "style fixed by the hook")
    assert git("status", "--porcelain").stdout == ""

    # 4. An edit ten times off: the hook compares the staged page with the last commit and
    #    fails the commit, naming the cell's old value.
    target.write_text(page(r1_throughput="1,909,490 TPS"), encoding="utf-8")
    git("add", "guide.md")
    slipped = hook()
    assert slipped.returncode == 1, slipped.stdout + slipped.stderr
    assert "error C603" in slipped.stdout and "'190,949 TPS'" in slipped.stdout
    assert target.read_text(encoding="utf-8") == page(r1_throughput="1,909,490 TPS")

    # 5. An edit that changes no value (a column's digits regrouped, its unit spelled out) passes.
    plain = {f"r{i}_vram": ROWS[i].get("vram", "867,021 MiB").replace(",", "") for i in range(3)}
    spelled = {f"r{i}_time": ROWS[i].get("time", "220m").replace("m", " min") for i in range(3)}
    target.write_text(page(**plain, **spelled), encoding="utf-8")
    git("add", "guide.md")
    same = hook()
    assert same.returncode == 0, same.stdout + same.stderr
    git("commit", "-q", "-m", "same values, written otherwise")

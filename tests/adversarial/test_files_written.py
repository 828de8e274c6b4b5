"""What the tool writes: reports, exported tables, baselines and fixed pages, under hostile
conditions (links, devices, read-only files, two runs at once, interrupts)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import GUIDE_HEADER, guide_row

from .support import (BAD_PAGE, GOOD_PAGE, HOSTILE, assert_no_injection, fifo_guard,
                      manifest_matches, page_with_models)

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# One cell `--fix` rewrites: 762652 MiB -> 762,652 MiB (the column groups its digits).
FIXABLE_PAGE = "# Guide\n\n" + GUIDE_HEADER + guide_row() + guide_row(
    accelerator="4xlarge", batch="256", vram="1,366,564 MiB", time="140m", throughput="190,949 TPS"
) + guide_row(accelerator="8xlarge", batch="512", vram="2,012,345 MiB", time="100m",
              throughput="290,949 TPS") + guide_row(model="Llama3 70B", batch="64", vram="762652 MiB",
                                                    time="300m", throughput="40,000 TPS")
FIXED = "762,652 MiB"

FLAVORS_SCHEMA = """\
name: flavors
description: Accelerator flavors and their memory
fields:
  flavor: {aliases: [Flavor], type: string, required: true}
  memory: {aliases: [Memory], type: number, unit: GiB, required: true}
key: [flavor]
"""
FLAVORS_PAGE = "| Flavor | Memory |\n| --- | --- |\n| Small | 64 GiB |\n| Large | 256 GiB |\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- --export-tables ----------------------------------------------------------------------------

def test_exported_tables_of_colliding_paths_stay_apart_and_inside(cli, in_tmp, monkeypatch):
    work = in_tmp / "work"
    write(in_tmp / "p.md", page_with_models("Parent"))
    write(work / "_" / "p.md", page_with_models("Underscore"))
    write(work / "%2E%2E" / "p.md", page_with_models("Encoded"))
    write(work / "p.md", page_with_models("Here"))
    monkeypatch.chdir(work)
    absolute = str(in_tmp / "p.md")
    result = cli("../p.md", "_/p.md", "%2E%2E/p.md", "./p.md", absolute, "--export-tables", "EXP",
                 "--no-write")
    assert result.exit_code in (0, 1), result.stderr
    exported = sorted(p for p in (work / "EXP").rglob("*.csv"))
    assert len(exported) == 5, exported
    for path in exported:
        assert (work / "EXP").resolve() in path.resolve().parents
    models = sorted(next(csv.DictReader(io.StringIO(p.read_text(encoding="utf-8"))))["Model"]
                    for p in exported)
    assert models == ["Encoded", "Here", "Parent", "Parent", "Underscore"]
    assert not any(p.name.endswith(".csv") for p in in_tmp.iterdir())


def test_exported_tables_never_follow_a_link_out_of_the_directory(cli, in_tmp):
    outside = in_tmp / "outside"
    outside.mkdir()
    (in_tmp / "EXP").mkdir()
    os.symlink(outside, in_tmp / "EXP" / "docs")
    write(in_tmp / "docs" / "p.md", GOOD_PAGE)
    result = cli("docs/p.md", "--export-tables", "EXP", "--no-write")
    assert result.exit_code == 2
    assert "leads outside EXP" in result.stderr and len(result.stderr.splitlines()) == 1
    assert list(outside.iterdir()) == []


# --- --write-baseline -------------------------------------------------------------------------------

def test_write_baseline_onto_a_directory_is_one_line(cli, in_tmp):
    write(in_tmp / "good.md", GOOD_PAGE)
    result = cli("good.md", "--write-baseline", ".")
    assert result.exit_code == 2
    assert result.stderr == "validate: error: .: cannot write the baseline: it is a directory\n"


def test_write_baseline_refuses_a_fifo_a_device_and_a_symlink(cli, in_tmp):
    write(in_tmp / "good.md", GOOD_PAGE)
    os.mkfifo(in_tmp / "fifo.json")
    target = write(in_tmp / "real.json", "keep me\n")
    os.symlink("real.json", in_tmp / "link.json")
    with fifo_guard(in_tmp / "fifo.json"):
        result = cli("good.md", "--write-baseline", "fifo.json")
    assert result.exit_code == 2 and "fifo.json: cannot write the baseline" in result.stderr
    assert stat.S_ISFIFO(os.lstat(in_tmp / "fifo.json").st_mode)
    result = cli("good.md", "--write-baseline", "link.json")
    assert result.exit_code == 2 and "is a symbolic link" in result.stderr
    assert os.path.islink(in_tmp / "link.json") and target.read_text() == "keep me\n"
    if ROOT:  # a device node of our own, so that a regression replaces a copy, not /dev/null
        os.mknod(in_tmp / "null.json", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        result = cli("good.md", "--write-baseline", "null.json")
        assert result.exit_code == 2 and "not a regular file" in result.stderr
        assert stat.S_ISCHR(os.lstat(in_tmp / "null.json").st_mode)


def test_write_baseline_onto_a_regular_file_still_works(cli, in_tmp):
    write(in_tmp / "bad.md", BAD_PAGE)
    write(in_tmp / "base.json", "old\n")
    result = cli("bad.md", "--write-baseline", "base.json")
    assert result.exit_code == 0, result.stderr
    assert json.loads((in_tmp / "base.json").read_text())["findings"]


# --- --fix ------------------------------------------------------------------------------------------

def test_fix_through_a_symlink_fixes_the_file_and_keeps_the_link(cli, in_tmp):
    real = write(in_tmp / "real" / "guide.md", FIXABLE_PAGE)
    os.symlink("real/guide.md", in_tmp / "guide.md")
    result = cli("guide.md", "--fix", "--no-write")
    assert result.exit_code == 1, result.stderr
    assert os.path.islink(in_tmp / "guide.md")
    assert FIXED in real.read_text(encoding="utf-8")


def test_fix_leaves_a_read_only_file_alone_and_fixes_the_others(cli, in_tmp):
    locked = write(in_tmp / "locked.md", FIXABLE_PAGE)
    locked.chmod(0o444)
    other = write(in_tmp / "other.md", FIXABLE_PAGE)
    result = cli("locked.md", "other.md", "--fix", "--no-write")
    assert result.exit_code == 2
    assert "locked.md: error: read-only, not fixed" in result.stderr.splitlines()
    assert locked.read_text(encoding="utf-8") == FIXABLE_PAGE
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert FIXED in other.read_text(encoding="utf-8")


def test_fix_does_not_split_hard_links(cli, in_tmp):
    page = write(in_tmp / "guide.md", FIXABLE_PAGE)
    os.link(page, in_tmp / "alias.md")
    result = cli("guide.md", "--fix", "--no-write")
    assert result.exit_code == 2
    assert "guide.md: error: has 2 hard links (replacing it would split them), not fixed" in result.stderr
    assert os.stat(page).st_ino == os.stat(in_tmp / "alias.md").st_ino
    assert page.read_text(encoding="utf-8") == FIXABLE_PAGE


def test_fix_on_an_immutable_file_is_one_line_and_leaves_no_temporary_file(cli, in_tmp):
    page = write(in_tmp / "guide.md", FIXABLE_PAGE)
    chattr = shutil.which("chattr")
    made = chattr and subprocess.run([chattr, "+i", str(page)], capture_output=True).returncode == 0
    if not made:
        pytest.skip("chattr +i is not available here (no chattr, no CAP_LINUX_IMMUTABLE or a "
                    "file system without the flag)")
    try:
        result = cli("guide.md", "--fix", "--no-write")
    finally:
        subprocess.run([chattr, "-i", str(page)], check=True)
    assert result.exit_code == 2
    assert "guide.md: error:" in result.stderr and "not fixed" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in in_tmp.iterdir()) == ["guide.md"]


@pytest.mark.skipif(ROOT, reason="root writes into read-only directories: chmod cannot stop it")
def test_fix_in_a_read_only_directory_is_one_line(cli, in_tmp):
    page = write(in_tmp / "docs" / "guide.md", FIXABLE_PAGE)
    (in_tmp / "docs").chmod(0o555)
    try:
        result = cli("docs/guide.md", "--fix", "--no-write")
    finally:
        (in_tmp / "docs").chmod(0o755)
    assert result.exit_code == 2
    assert "docs/guide.md: error: cannot be written (Permission denied), not fixed" in result.stderr
    assert page.read_text(encoding="utf-8") == FIXABLE_PAGE


def test_fix_when_no_temporary_file_can_be_made_is_one_line(cli, in_tmp, monkeypatch):
    """What a read-only directory does for a normal user, whoever runs the test."""
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    page = write(in_tmp / "guide.md", FIXABLE_PAGE)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = cli("guide.md", "--fix", "--no-write")
    assert result.exit_code == 2
    assert "guide.md: error: cannot be written (Permission denied), not fixed" in result.stderr
    assert page.read_text(encoding="utf-8") == FIXABLE_PAGE


@pytest.mark.parametrize("when, reason", [
    ("before", "no such file or directory, not fixed"),
    ("during", "deleted while it was being fixed, not fixed"),
])
def test_fix_on_a_file_deleted_mid_run_is_one_line(cli, in_tmp, monkeypatch, when, reason):
    import validate.fixer as fixer

    write(in_tmp / "gone.md", FIXABLE_PAGE)
    other = write(in_tmp / "other.md", FIXABLE_PAGE)
    original = fixer.fix_text if when == "during" else fixer.edits_by_file

    def delete_then(*args, **kwargs):
        if (in_tmp / "gone.md").exists():
            (in_tmp / "gone.md").unlink()
        return original(*args, **kwargs)

    monkeypatch.setattr(fixer, "fix_text" if when == "during" else "edits_by_file", delete_then)
    result = cli("gone.md", "other.md", "--fix", "--no-write")
    assert result.exit_code == 2
    assert f"gone.md: error: {reason}" in result.stderr.splitlines()
    assert not (in_tmp / "gone.md").exists(), "a deleted file is not brought back"
    assert sorted(p.name for p in in_tmp.iterdir()) == ["other.md"]
    if when == "during":
        assert FIXED in other.read_text(encoding="utf-8")


# --- the report set in --out ---------------------------------------------------------------------

def test_a_csv_of_a_kind_no_longer_seen_is_removed_but_never_a_file_of_the_user(cli, in_tmp):
    write(in_tmp / "kinds" / "flavors.yaml", FLAVORS_SCHEMA)
    write(in_tmp / "kinds" / "more.yaml", FLAVORS_SCHEMA.replace("name: flavors", "name: more")
          .replace("[Flavor]", "[Tier]"))
    write(in_tmp / "flavors.md", FLAVORS_PAGE)
    write(in_tmp / "more.md", FLAVORS_PAGE.replace("Flavor", "Tier"))
    write(in_tmp / "guide.md", GOOD_PAGE)
    first = cli("guide.md", "flavors.md", "more.md", "--schemas", "kinds", "--out", "out")
    assert first.exit_code == 0, first.stderr
    out = in_tmp / "out"
    assert set(manifest_matches(out)) == {"anomalies.json", "anomalies.html", "finetune_guide.csv",
                                          "flavors.csv", "more.csv"}
    write(out / "notes.csv", "the user's own file\n")
    write(out / "more.csv", "edited by the user since\n")
    second = cli("guide.md", "--schemas", "kinds", "--out", "out")
    assert second.exit_code == 0, second.stderr
    assert set(manifest_matches(out)) == {"anomalies.json", "anomalies.html", "finetune_guide.csv"}
    assert not (out / "flavors.csv").exists()
    assert (out / "notes.csv").read_text() == "the user's own file\n"
    assert (out / "more.csv").read_text() == "edited by the user since\n"
    assert not [p for p in out.iterdir() if p.name.startswith(".validate-staging-")]


def test_a_forged_manifest_cannot_make_the_tool_delete_anything_else(cli, in_tmp):
    out = in_tmp / "out"
    victim = write(in_tmp / "victim.md", "precious\n")
    import hashlib

    digest = "sha256:" + hashlib.sha256(b"precious\n").hexdigest()
    write(out / ".validate-manifest.json", json.dumps(
        {"files": {"../victim.md": digest, "/etc/passwd": digest, "victim.md": digest}}))
    write(out / "victim.md", "precious\n")
    write(in_tmp / "guide.md", GOOD_PAGE)
    result = cli("guide.md", "--out", "out")
    assert result.exit_code == 0, result.stderr
    assert victim.read_text() == "precious\n" and (out / "victim.md").exists()


# A child run that stops at a chosen point (a marker file says it is there) for the signal tests.
_DRIVER = textwrap.dedent("""
    import os, sys, time
    import {module} as target

    real = target.{function}
    marker = sys.argv[1]

    def stall(*args, **kwargs):
        result = real(*args, **kwargs)
        open(marker, "w").close()
        {action}
        return result

    target.{function} = stall
    from validate.cli import main
    sys.argv = ["validate", *sys.argv[2:]]
    main()
""")


def start_stalled_run(tmp_path, module, function, action, *args):
    marker = tmp_path / "stalled"
    script = _DRIVER.format(module=module, function=function, action=action)
    process = subprocess.Popen([sys.executable, "-c", script, str(marker), *map(str, args)],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        if (process.poll() is not None and not marker.exists()) or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the run never reached {function}: {process.communicate()[1][-2000:]}")
        time.sleep(0.05)
    return process


def first_run(cli, tmp_path):
    """An earlier, complete report set in out/ (with a flavors.csv the next run would drop)."""
    write(tmp_path / "kinds" / "flavors.yaml", FLAVORS_SCHEMA)
    write(tmp_path / "flavors.md", FLAVORS_PAGE)
    write(tmp_path / "guide.md", BAD_PAGE)
    result = cli("guide.md", "flavors.md", "--schemas", "kinds", "--out", "out", "--no-timestamp")
    assert result.exit_code == 1, result.stderr[-2000:]
    return manifest_matches(tmp_path / "out"), {p.name: p.read_bytes()
                                                for p in (tmp_path / "out").iterdir()}


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_run_interrupted_while_writing_leaves_the_earlier_set_whole(cli, in_tmp, number):
    tmp_path = in_tmp
    recorded, before = first_run(cli, tmp_path)
    write(tmp_path / "guide.md", GOOD_PAGE)  # the new run would write different reports
    process = start_stalled_run(tmp_path, "validate.writers.csv_data", "render_schema_csv",
                                "time.sleep(60)", "guide.md", "--out", "out")
    process.send_signal(number)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 2, stderr[-2000:]
    assert stderr.decode().splitlines()[-1] == "validate: interrupted"
    assert b"Traceback" not in stderr
    assert manifest_matches(tmp_path / "out") == recorded
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before


def test_sigint_while_checking_exits_2_not_1(tmp_path):
    write(tmp_path / "bad.md", BAD_PAGE)  # findings: 1 would be indistinguishable from them
    process = start_stalled_run(tmp_path, "validate.sources", "read_source", "time.sleep(60)",
                                "bad.md", "--no-write")
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert stderr.decode().strip().splitlines()[-1] == "validate: interrupted"
    assert b"Aborted" not in stderr and b"Traceback" not in stderr


def test_a_run_killed_outright_while_writing_leaves_the_earlier_set_whole(cli, in_tmp):
    tmp_path = in_tmp
    recorded, before = first_run(cli, tmp_path)
    write(tmp_path / "guide.md", GOOD_PAGE)
    process = start_stalled_run(tmp_path, "validate.writers.csv_data", "render_schema_csv",
                                "os.kill(os.getpid(), 9)", "guide.md", "--out", "out")
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert manifest_matches(tmp_path / "out") == recorded
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()
            if not p.name.startswith(".validate-staging-")} == before
    # The next run finds the dead run's staging directory and removes it.
    after = cli("guide.md", "--out", "out")
    assert after.exit_code == 0, after.stderr[-2000:]
    assert set(manifest_matches(tmp_path / "out")) == {"anomalies.json", "anomalies.html",
                                                       "finetune_guide.csv"}
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".validate-staging-")]


def test_two_runs_on_one_out_directory_leave_one_consistent_set(tmp_path):
    write(tmp_path / "kinds" / "flavors.yaml", FLAVORS_SCHEMA)
    write(tmp_path / "flavors.md", FLAVORS_PAGE)
    write(tmp_path / "guide.md", BAD_PAGE)
    runs = [subprocess.Popen([sys.executable, "-m", "validate", *pages, "--schemas", "kinds",
                              "--out", "out", "--no-timestamp"], cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for pages in (["guide.md"], ["flavors.md"])]
    for run in runs:
        assert run.wait(timeout=60) in (0, 1), run.stderr.read()[-2000:]
    out = tmp_path / "out"
    names = set(manifest_matches(out))
    report = json.loads((out / "anomalies.json").read_text(encoding="utf-8"))
    checked = [f["path"] for f in report["files"]]
    # Whichever run came last, every report file is from that run, and only its CSV is there.
    assert names == {"anomalies.json", "anomalies.html",
                     "finetune_guide.csv" if checked == ["guide.md"] else "flavors.csv"}
    assert {p.name for p in out.iterdir()} == names | {".validate-manifest.json"}


def test_an_interrupt_in_process_is_status_2(cli, in_tmp, monkeypatch):
    import validate.writers.json_report as json_report

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(json_report, "render_json", interrupt)
    write(in_tmp / "bad.md", BAD_PAGE)
    result = cli("bad.md", "--out", "out")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "validate: interrupted"
    # Reports are rendered before anything is written: nothing, or an empty directory, is left.
    assert not (in_tmp / "out").exists() or [p.name for p in (in_tmp / "out").iterdir()] == []


# --- what the reports hold ---------------------------------------------------------------------

def test_hostile_cells_and_headers_run_nothing_in_the_html(cli, in_tmp):
    header = GUIDE_HEADER.replace("| throughput |", "| throughput | <script>alert('h')</script> |") \
        .replace("| --- |\n", "| --- | --- |\n")
    rows = "".join(guide_row(model=payload.replace("|", "\\|"), batch=str(100 + i)).rstrip("\n")
                   + f" {payload.replace('|', '&#124;')} |\n" for i, payload in enumerate(HOSTILE))
    rows += guide_row(model="Llama3 8B", batch="999", vram="<img src=x onerror=alert(1)> MiB")
    write(in_tmp / "page.md", "# Guide\n\n" + header + rows)
    result = cli("page.md", "--out", "out", "--no-timestamp")
    assert result.exit_code in (0, 1), result.stderr
    html = (in_tmp / "out" / "anomalies.html").read_text(encoding="utf-8")
    assert_no_injection(html)
    assert "{{ 7*7 }}" in html  # Jinja syntax in a cell is shown, not evaluated


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted_but_numbers_stay_numbers(cli, in_tmp):
    formulas = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' -C calc'!A0", "-2+3", "@SUM(1)",
                "=1+2", "Plain"]
    rows = "".join(guide_row(model=m.replace("|", "\\|"), batch=str(128 + i))
                   for i, m in enumerate(formulas))
    rows += guide_row(model="Negative", batch="512", vram="-5 MiB", throughput="-1,000 TPS")
    write(in_tmp / "page.md", "# Guide\n\n" + GUIDE_HEADER + rows)
    result = cli("page.md", "--out", "out", "--export-tables", "tables")
    assert result.exit_code in (0, 1), result.stderr
    with open(in_tmp / "out" / "finetune_guide.csv", encoding="utf-8", newline="") as stream:
        cleaned = list(csv.DictReader(stream))
    models = [row["model"] for row in cleaned]
    assert models[:5] == ["'" + m for m in formulas[:5]] and models[5:] == ["Plain", "Negative"]
    negative = cleaned[-1]
    assert negative["vram"] in ("-5", "") and negative["throughput"] in ("-1000", "")
    assert negative["vram"] == "-5", "a negative number in a numeric column stays a number"
    with open(in_tmp / "tables" / "page.md.table0.csv", encoding="utf-8", newline="") as stream:
        exported = list(csv.DictReader(stream))
    assert [row["Model"] for row in exported][:5] == ["'" + m for m in formulas[:5]]
    assert exported[-1]["vram Usage"] == "'-5 MiB"  # text, not a number: quoted
    assert exported[0]["batch size"] == "128"

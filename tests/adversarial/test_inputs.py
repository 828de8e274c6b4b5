"""Hostile inputs: what the tool is asked to read.

Cases that could hang or exhaust memory run `validate` in a child process with a timeout.
"""

from __future__ import annotations

import json
import os
import socket

import pytest

from conftest import GUIDE_HEADER, guide_row

from .support import (BAD_PAGE, GOOD_PAGE, assert_good_page_checked, assert_no_injection,
                      assert_one_line_error, fifo_guard, run_validate, text_of)

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# --- devices, fifos, sockets ---------------------------------------------------------------

def test_endless_devices_and_a_fifo_given_as_paths_are_refused_without_reading(tmp_path):
    devices = [d for d in ("/dev/zero", "/dev/urandom") if os.path.exists(d)]
    if not devices:
        pytest.skip("no /dev/zero or /dev/urandom on this system")
    os.mkfifo(tmp_path / "pipe.md")
    write(tmp_path / "good.md", GOOD_PAGE)
    result = run_validate(*devices, "pipe.md", "good.md", "--no-write", cwd=tmp_path)
    stdout, stderr = text_of(result)
    assert result.returncode == 2
    for device in devices:
        assert_one_line_error(stderr, device, "not a regular file (a character device)")
    assert_one_line_error(stderr, "pipe.md", "not a regular file (a fifo)")
    assert_good_page_checked(stdout, files=len(devices) + 2)


@pytest.mark.parametrize("spelling", ["docs", "."])
def test_a_fifo_inside_a_walked_directory_is_reported_and_the_rest_checked(cli, in_tmp, monkeypatch,
                                                                           spelling):
    (in_tmp / "docs").mkdir()
    os.mkfifo(in_tmp / "docs" / "pipe.md")
    write(in_tmp / "docs" / "good.md", GOOD_PAGE)
    if spelling == ".":
        monkeypatch.chdir(in_tmp / "docs")
    with fifo_guard(in_tmp / "docs" / "pipe.md"):
        result = cli(spelling, "--no-write")
    assert result.exit_code == 2
    shown = "docs/pipe.md" if spelling == "docs" else "pipe.md"
    assert_one_line_error(result.stderr, shown, "not a regular file (a fifo)")
    assert_good_page_checked(result.stdout, files=2)


def test_a_fifo_given_to_infer_schema_is_refused(cli, in_tmp):
    os.mkfifo(in_tmp / "pipe.md")
    with fifo_guard(in_tmp / "pipe.md"):
        result = cli("--infer-schema", "pipe.md")
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "pipe.md", "not a regular file (a fifo)")


def test_a_socket_named_like_a_page_is_refused(cli, in_tmp):
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind("sock.md")
    except OSError as exc:  # pragma: no cover - a file system without sockets
        pytest.skip(f"cannot create a unix socket here: {exc}")
    try:
        write(in_tmp / "good.md", GOOD_PAGE)
        result = cli("sock.md", "good.md", "--no-write")
    finally:
        server.close()
    assert result.exit_code == 2
    assert "sock.md: error: not a regular file (a socket)" in result.stderr.splitlines()
    assert_good_page_checked(result.stdout, files=2)


# --- sizes and contents ----------------------------------------------------------------------

def test_a_file_above_the_size_limit_is_refused_before_it_is_read(cli, in_tmp):
    from validate.sources import MAX_BYTES

    with open(in_tmp / "huge.md", "wb") as stream:
        stream.truncate(MAX_BYTES + 1)  # sparse: costs no disk
    write(in_tmp / "good.md", GOOD_PAGE)
    result = cli("huge.md", "good.md", "--no-write")
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "huge.md", "larger than 256 MiB")
    assert_good_page_checked(result.stdout, files=2)


def test_a_nul_byte_after_the_first_8_kb_makes_a_binary_file(cli, in_tmp):
    (in_tmp / "late_nul.md").write_bytes(GOOD_PAGE.encode() + b"x" * 9000 + b"\x00tail\n")
    write(in_tmp / "good.md", GOOD_PAGE)
    result = cli("late_nul.md", "good.md", "--out", "out")
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "late_nul.md", "binary file")
    assert "\ufffd" not in (in_tmp / "out" / "finetune_guide.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, data, reason", [
    ("latin1.md", "| a | b |\n|---|---|\n| caf\xe9 | 1 |\n".encode("latin-1"), "not valid UTF-8"),
    ("utf16.md", "\ufeff| a | b |\n|---|---|\n| 1 | 2 |\n".encode("utf-16"), "binary file"),
    ("late_bad.md", GOOD_PAGE.encode() * 50 + b"| \xff\xfe | 1 |\n", "not valid UTF-8"),
    ("overlong.md", b"| a |\n|---|\n| \xc0\xaf |\n", "not valid UTF-8"),
    ("surrogate.md", b"| a |\n|---|\n| \xed\xa0\x80 |\n", "not valid UTF-8"),
    ("truncated.md", b"| a |\n|---|\n| \xe2\x82", "not valid UTF-8"),
], ids=lambda value: value if isinstance(value, str) and value.endswith(".md") else "")
def test_bad_encodings_give_one_line_naming_the_file(cli, in_tmp, name, data, reason):
    (in_tmp / name).write_bytes(data)
    write(in_tmp / "good.md", GOOD_PAGE)
    result = cli(name, "good.md", "--no-write")
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, name, reason)
    assert_good_page_checked(result.stdout, files=2)


def test_a_50_mb_line_is_read_and_the_page_still_checked(cli, in_tmp):
    with open(in_tmp / "long_line.md", "w", encoding="utf-8") as stream:
        stream.write("# Page\n\n" + "word " * (10 * 1024 * 1024) + "\n\n" + GOOD_PAGE)
    result = cli("long_line.md", "--no-write")
    assert result.exit_code in (0, 1), result.stderr[-2000:]
    assert "1 table, 2 rows" in result.stdout.splitlines()[-1]


def test_deep_nesting_of_lists_and_quotes_finishes(tmp_path):
    table = GUIDE_HEADER + guide_row()
    quotes = "> " * 5000 + "x\n\n" + "".join("> " * 50 + line + "\n" for line in table.splitlines())
    lists = "".join("  " * i + "- item\n" for i in range(3000)) + "\n" + table
    brackets = "[" * 20000 + "x" + "]" * 20000 + "\n\n" + "*" * 20000 + "\n\n" + table
    write(tmp_path / "quotes.md", quotes)
    write(tmp_path / "lists.md", lists)
    write(tmp_path / "brackets.md", brackets)
    result = run_validate("quotes.md", "lists.md", "brackets.md", "--no-write", cwd=tmp_path)
    stdout, stderr = text_of(result)
    assert result.returncode in (0, 1), stderr[-2000:]
    assert "Traceback" not in stderr
    assert "in 3 files" in stdout.splitlines()[-1]


# --- file names ------------------------------------------------------------------------------

def test_a_file_name_that_is_not_utf8_reaches_every_writer(cli, in_tmp):
    """CliRunner's stdout is strict UTF-8, like a terminal in most UTF-8 locales."""
    bad = b"bad\xffname.md"
    name = os.fsdecode(bad)
    write(in_tmp / name, BAD_PAGE)
    result = cli(name, "--out", "out", "--format", "json")
    assert result.exit_code == 1, result.stderr[-2000:]
    assert os.fsencode(json.loads(result.stdout)["files"][0]["path"]) == bad
    out = in_tmp / "out"
    report = json.loads((out / "anomalies.json").read_text(encoding="utf-8"))
    # The name's bytes survive in JSON: the lone surrogate os.fsdecode gives, \udcff escaped.
    assert os.fsencode(report["files"][0]["path"]) == bad
    assert "bad\\udcffname.md" in (out / "anomalies.html").read_text(encoding="utf-8")
    assert "bad\\udcffname.md" in (out / "finetune_guide.csv").read_text(encoding="utf-8")
    text = cli(name, "--no-write")
    assert text.stdout.startswith("bad\\udcffname.md:")


@pytest.mark.parametrize("output", ["sarif", "github"])
def test_a_file_name_that_is_not_utf8_in_the_other_formats(cli, in_tmp, output):
    name = os.fsdecode(b"bad\xffname.md")
    write(in_tmp / name, BAD_PAGE)
    result = cli(name, "--no-write", "--format", output)
    assert result.exit_code == 1, result.stderr
    assert "bad\\udcffname.md" in result.stdout


def test_a_file_name_with_a_newline_does_not_split_a_text_line(cli, in_tmp):
    write(in_tmp / "two\nlines.md", BAD_PAGE)
    result = cli("two\nlines.md", "--no-write")
    assert result.exit_code in (0, 1)
    lines = result.stdout.splitlines()
    assert lines[:-1], result.stdout
    assert all(line.startswith("two\\nlines.md:") for line in lines[:-1]), lines


def test_hostile_file_names_in_every_report(cli, in_tmp):
    names = ['"><img src=x onerror=alert(1)>.md', "=cmd|' -C calc'!A0.md", "javascript:alert(1).md"]
    for name in names:
        write(in_tmp / name, GOOD_PAGE)
    result = cli(*names, "--out", "out", "--no-timestamp")
    assert result.exit_code in (0, 1), result.stderr
    html = (in_tmp / "out" / "anomalies.html").read_text(encoding="utf-8")
    assert_no_injection(html)
    csv_lines = (in_tmp / "out" / "finetune_guide.csv").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("'=cmd") or line.startswith("\"'=cmd") for line in csv_lines)
    assert not any(line.startswith(("=", '"=')) for line in csv_lines)


# --- unreadable files, links, loops ----------------------------------------------------------

@pytest.mark.skipif(ROOT, reason="root reads any file: chmod 000 cannot make one unreadable")
def test_an_unreadable_file_next_to_a_good_one(cli, in_tmp):
    secret = write(in_tmp / "secret.md", GOOD_PAGE)
    secret.chmod(0)
    write(in_tmp / "good.md", GOOD_PAGE)
    try:
        result = cli("secret.md", "good.md", "--no-write")
    finally:
        secret.chmod(0o644)
    assert result.exit_code == 2
    assert "secret.md: error: permission denied" in result.stderr.splitlines()
    assert_good_page_checked(result.stdout, files=2)


def test_a_path_the_os_calls_unreadable_does_not_stop_the_run(cli, in_tmp, monkeypatch):
    """click's own `readable` check used to end the run with a usage error before any file
    was checked; here os.access says no (as it does for a normal user and a mode 000 file)."""
    write(in_tmp / "secret.md", GOOD_PAGE)
    write(in_tmp / "good.md", GOOD_PAGE)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False
                        if str(path).endswith("secret.md") else real_access(path, mode, *a, **k))
    result = cli("secret.md", "good.md", "--no-write")
    assert "is not readable" not in result.stderr
    assert result.exit_code in (0, 1)
    assert_good_page_checked(result.stdout, files=2)


def test_dangling_links_and_link_loops_are_one_line_errors_each(cli, in_tmp):
    (in_tmp / "docs").mkdir()
    os.symlink("nowhere.md", in_tmp / "docs" / "dangling.md")
    os.symlink("loop.md", in_tmp / "docs" / "loop.md")
    os.symlink(".", in_tmp / "docs" / "self")      # a directory loop: never followed
    os.symlink("..", in_tmp / "docs" / "parent")
    write(in_tmp / "docs" / "good.md", GOOD_PAGE)
    result = cli("docs", "--no-write")
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "docs/dangling.md", "no such file")
    assert_one_line_error(result.stderr, "docs/loop.md", "symbolic links")
    assert_good_page_checked(result.stdout, files=3)


def test_a_recursive_glob_does_not_follow_link_loops(tmp_path):
    (tmp_path / "docs" / "a").mkdir(parents=True)
    for name in ("x", "y"):  # two loops: 2**40 paths if each were followed to ELOOP
        os.symlink("..", tmp_path / "docs" / "a" / name)
    write(tmp_path / "docs" / "a" / "good.md", GOOD_PAGE)
    result = run_validate("docs/**/*.md", "--no-write", "--format", "json", cwd=tmp_path)
    stdout, stderr = text_of(result)
    assert result.returncode in (0, 1), stderr[-2000:]
    assert [f["path"] for f in json.loads(stdout)["files"]] == ["docs/a/good.md"]


# --- hidden directories, .git, .gitignore, exclude -------------------------------------------

def test_hidden_directories_are_walked_but_git_and_gitignored_files_are_not(cli, in_tmp):
    for directory in ("docs/.github", "docs/.git", "docs/build", "docs/sub"):
        (in_tmp / directory).mkdir(parents=True)
    for page in ("docs/.github/guide.md", "docs/.git/stale.md", "docs/build/out.md",
                 "docs/sub/a.draft.md", "docs/sub/b.draft.md", "docs/top.md"):
        write(in_tmp / page, GOOD_PAGE)
    write(in_tmp / "docs" / ".gitignore", "build/\n*.draft.md\n")
    write(in_tmp / "docs" / "sub" / ".gitignore", "!b.draft.md\n")  # deeper files win
    result = cli("docs", "--no-write", "--format", "json")
    assert result.exit_code == 0, result.stderr
    paths = sorted(f["path"] for f in json.loads(result.stdout)["files"])
    assert paths == ["docs/.github/guide.md", "docs/sub/b.draft.md", "docs/top.md"]


def test_a_bad_gitignore_line_is_skipped_as_git_skips_it(cli, in_tmp):
    (in_tmp / "docs").mkdir()
    write(in_tmp / "docs" / ".gitignore", "!\nignored.md\n")
    write(in_tmp / "docs" / "ignored.md", GOOD_PAGE)
    write(in_tmp / "docs" / "kept.md", GOOD_PAGE)
    result = cli("docs", "--no-write", "--format", "json")
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["docs/kept.md"]


def test_a_gitignore_that_is_a_fifo_does_not_block_the_walk(cli, in_tmp):
    (in_tmp / "docs").mkdir()
    os.mkfifo(in_tmp / "docs" / ".gitignore")
    write(in_tmp / "docs" / "good.md", GOOD_PAGE)
    with fifo_guard(in_tmp / "docs" / ".gitignore", seconds=5):
        result = cli("docs", "--no-write")
    assert result.exit_code == 0, result.stderr


def test_exclude_applies_inside_hidden_directories(cli, in_tmp):
    (in_tmp / "docs" / ".github").mkdir(parents=True)
    write(in_tmp / "docs" / ".github" / "template.md", GOOD_PAGE)
    write(in_tmp / "docs" / "page.md", GOOD_PAGE)
    write(in_tmp / "pyproject.toml", '[tool.validate]\nexclude = [".github/"]\n')
    result = cli("docs", "--no-write", "--format", "json")
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["docs/page.md"]


# --- cells and tables: the engine's side (another engineer's area) ---------------------------

@pytest.mark.parametrize("cell", ["**2000**", "[2000](https://example.com)", "`2000`", "95&#44;302",
                                  "<b>2000</b>", "~~2000~~", "2000 <!-- c -->", "*2,000 TPS*"])
def test_markup_around_a_number_is_checked_like_the_number(cli, in_tmp, cell):
    page = "# Guide\n\n" + GUIDE_HEADER + guide_row() + guide_row(
        accelerator="4xlarge", batch="256", throughput=cell)
    write(in_tmp / "page.md", page)
    write(in_tmp / "good.md", GOOD_PAGE)
    result = cli("page.md", "good.md", "--no-write")
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert "in 2 files, 2 tables, 4 rows" in result.stdout.splitlines()[-1]


def test_the_published_english_page_with_one_bold_number(cli, in_tmp, repo):
    text = (repo / "raw" / "llm_param_guide.en.md").read_text(encoding="utf-8")
    assert "95302 TPS" in text
    write(in_tmp / "page.md", text.replace("95302 TPS", "**95302**"))
    result = cli("page.md", "--no-write")
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr


def test_a_400_digit_throughput_is_a_finding_not_a_crash(cli, in_tmp):
    huge = "9" * 400
    write(in_tmp / "page.md", "# Guide\n\n" + GUIDE_HEADER + guide_row() + guide_row(
        accelerator="4xlarge", batch="256", throughput=f"{huge} TPS"))
    result = cli("page.md", "--out", "out", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr[-2000:]
    assert "internal error" not in result.stderr
    # The finding quotes the cell's beginning (a value is cut at 200 characters) and its length.
    findings = [a for a in json.loads(result.stdout)["anomalies"] if a["field"] == "throughput"
                and a["value"] and a["value"].startswith("9" * 100) and "characters)" in a["value"]]
    assert findings, "the infinite throughput gets no finding"
    assert {p.name for p in (in_tmp / "out").iterdir()} >= {"anomalies.json", "anomalies.html",
                                                            "finetune_guide.csv"}


def test_ten_thousand_columns_finish_quietly(tmp_path):
    width = 10_000
    header = "| " + " | ".join(f"c{i}" for i in range(width)) + " |\n"
    rows = "".join("| " + " | ".join(str(r * width + i) for i in range(width)) + " |\n" for r in range(5))
    write(tmp_path / "wide.md", header + "|" + "---|" * width + "\n" + rows)
    result = run_validate("wide.md", "--out", "out", cwd=tmp_path)
    stdout, stderr = text_of(result)
    assert result.returncode in (0, 1), stderr[-2000:]
    assert "PerformanceWarning" not in stderr
    assert "Traceback" not in stderr


def test_five_hundred_small_tables_in_one_page(tmp_path):
    table = GUIDE_HEADER + guide_row()
    write(tmp_path / "many.md", "".join(f"## T{i}\n\n{table}\n" for i in range(500)))
    # The issue asks for 5 s; the timeout adds start-up and a shared machine's slack.
    result = run_validate("many.md", "--no-write", cwd=tmp_path, timeout=20)
    stdout, stderr = text_of(result)
    assert result.returncode in (0, 1), stderr[-2000:]
    assert "500 tables" in stdout.splitlines()[-1]


def test_a_5_mb_cell_is_not_echoed_in_full(tmp_path):
    cell = "x" * (5 * 1024 * 1024)
    write(tmp_path / "big_cell.md", "# Guide\n\n" + GUIDE_HEADER + guide_row()
          + guide_row(accelerator="4xlarge", throughput=cell))
    result = run_validate("big_cell.md", "--out", "out", cwd=tmp_path)
    stdout, stderr = text_of(result)
    assert result.returncode in (0, 1), stderr[-2000:]
    assert "Traceback" not in stderr
    assert len(stdout) < 100_000 and len(stderr) < 100_000
    assert (tmp_path / "out" / "anomalies.json").stat().st_size < 1_000_000
    assert (tmp_path / "out" / "anomalies.html").stat().st_size < 2_000_000

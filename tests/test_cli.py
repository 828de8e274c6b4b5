"""The command line: exit statuses, outputs and bad input (CliRunner, in-process)."""

from __future__ import annotations

import json

import pytest

from conftest import GUIDE_HEADER, RAW, guide_row

CLEAN_PAGE = "# Guide\n\n" + GUIDE_HEADER + guide_row() + guide_row(
    accelerator="4xlarge", batch="256", vram="1,366,564 MiB", time="140m", throughput="190,949 TPS")


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_raw_pages_have_errors_so_the_exit_status_is_1(cli, tmp_path):
    result = cli(RAW / "llm_param_guide.ko.md", RAW / "llm_param_guide.en.md", "--out", tmp_path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("Found ") and "errors" in lines[-1]
    assert all(": error " in l or ": warning " in l or ": info " in l for l in lines[:-1])
    # Files starting with a dot are the tool's own bookkeeping (the manifest of a report set).
    assert {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")} == {"anomalies.json", "anomalies.html",
                                                    "finetune_guide.csv"}


def test_a_clean_page_exits_0_with_a_summary_only(cli, in_tmp):
    page = write(in_tmp / "clean.md", CLEAN_PAGE)
    result = cli(page, "--no-write")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "No anomalies in 1 file, 1 table, 2 rows.\n"
    assert not (in_tmp / "reports").exists()


def test_a_page_without_tables_exits_0_and_says_so(cli, in_tmp):
    page = write(in_tmp / "prose.md", "# Only prose\n\n```\n| a | b |\n|---|---|\n```\n")
    result = cli(page, "--no-write")
    assert result.exit_code == 0
    assert "prose.md: no table found" in result.stderr
    assert result.stdout == "No anomalies in 1 file, 0 tables, 0 rows.\n"


def test_a_missing_path_among_good_ones_exits_2_and_the_others_are_still_checked(cli, in_tmp):
    result = cli(RAW / "llm_param_guide.ko.md", "missing.md", "--no-write")
    assert result.exit_code == 2
    assert "missing.md: error: no such file or directory" in result.stderr
    assert "llm_param_guide.ko.md:47:60: error F202" in result.stdout
    assert "(1 unreadable)" in result.stdout.splitlines()[-1]


def test_bad_files_get_one_line_each_naming_the_file(cli, in_tmp):
    (in_tmp / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (in_tmp / "latin1.md").write_bytes("| a | b |\n|---|---|\n| caf\xe9 | 1 |\n".encode("latin-1"))
    (in_tmp / "folder.md").mkdir()
    good = write(in_tmp / "good.md", CLEAN_PAGE)
    result = cli("binary.md", "latin1.md", "folder.md", good, "--no-write")
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert any(l.startswith("binary.md: error: binary file") for l in errors)
    assert any(l.startswith("latin1.md: error: not valid UTF-8") for l in errors)
    assert "folder.md: error: is a directory without markdown files" in errors
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.endswith("in 4 files, 1 table, 2 rows (3 unreadable).\n")


def test_a_utf8_page_with_a_byte_order_mark_is_read(cli, in_tmp):
    (in_tmp / "bom.md").write_bytes(b"\xef\xbb\xbf" + CLEAN_PAGE.encode("utf-8"))
    result = cli("bom.md", "--no-write")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_a_directory_is_walked_for_markdown_files(cli, in_tmp):
    (in_tmp / "docs" / "sub").mkdir(parents=True)
    write(in_tmp / "docs" / "sub" / "page.md", CLEAN_PAGE)
    write(in_tmp / "docs" / "notes.txt", "not markdown")
    result = cli("docs", "--format", "json", "--no-write")
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["docs/sub/page.md"]


def test_globs_are_expanded_by_the_tool(cli, in_tmp):
    write(in_tmp / "a.md", CLEAN_PAGE)
    write(in_tmp / "b.md", CLEAN_PAGE)
    result = cli("*.md", "--format", "json", "--no-write")
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["a.md", "b.md"]


def test_fail_on_changes_what_counts(cli, in_tmp):
    page = write(in_tmp / "info.md", "# Guide\n\n" + GUIDE_HEADER + guide_row(vram="867,021  MiB"))
    assert cli(page, "--no-write").exit_code == 0
    assert cli(page, "--no-write", "--fail-on", "info").exit_code == 1
    ko = RAW / "llm_param_guide.ko.md"
    assert cli(ko, "--no-write", "--fail-on", "never").exit_code == 0


def test_select_and_ignore(cli):
    ko = RAW / "llm_param_guide.ko.md"
    selected = cli(ko, "--no-write", "--select", "F202,D401").stdout.splitlines()[:-1]
    assert {l.split()[2] for l in selected} == {"F202", "D401"}
    ignored = cli(ko, "--no-write", "--ignore", "format", "--ignore", "D").stdout.splitlines()[:-1]
    assert not any(l.split()[2][0] in "FD" for l in ignored)


def test_bad_options_and_unknown_rules_exit_2(cli, in_tmp):
    assert cli("--format", "xml").exit_code == 2
    result = cli(RAW / "llm_param_guide.en.md", "--select", "Z999", "--no-write")
    assert result.exit_code == 2 and "'Z999' names no rule" in result.stderr
    result = cli("--explain", "Q123")
    assert result.exit_code == 2 and "no rule 'Q123'" in result.stderr


def test_no_paths_and_no_config_is_a_usage_error(cli, in_tmp):
    result = cli()
    assert result.exit_code == 2 and "no files given" in result.stderr


def test_config_paths_are_used_when_none_are_given(cli, in_tmp):
    write(in_tmp / "pyproject.toml", '[tool.validate]\npaths = ["docs/*.md"]\nout = "out"\n')
    (in_tmp / "docs").mkdir()
    write(in_tmp / "docs" / "page.md", CLEAN_PAGE)
    result = cli()
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (in_tmp / "out" / "anomalies.json").is_file()
    assert json.loads((in_tmp / "out" / "anomalies.json").read_text())["files"][0]["path"] == "docs/page.md"


def test_a_bad_config_value_is_an_error_not_a_default(cli, in_tmp):
    write(in_tmp / "pyproject.toml", '[tool.validate]\nfail-on = "sometimes"\n')
    write(in_tmp / "page.md", CLEAN_PAGE)
    result = cli("page.md", "--no-write")
    assert result.exit_code == 2
    assert "fail-on: must be one of error, warning, info, never" in result.stderr
    write(in_tmp / "pyproject.toml", '[tool.validate]\nsellect = ["D"]\n')
    result = cli("page.md", "--no-write")
    assert result.exit_code == 2 and "sellect: unknown key" in result.stderr
    write(in_tmp / "pyproject.toml", '[tool.validate.rules.C502]\ngroup_by = ["modle", "accelerator"]\n')
    result = cli("page.md", "--no-write")
    assert result.exit_code == 2 and "option 'group_by' names unknown field 'modle'" in result.stderr
    write(in_tmp / "pyproject.toml", '[tool.validate.rules.C501]\ndeviations = "two"\n')
    result = cli("page.md", "--no-write")
    assert result.exit_code == 2 and "option 'deviations' must be a number" in result.stderr


def test_json_to_standard_output(cli, in_tmp):
    result = cli(RAW / "llm_param_guide.ko.md", "--format", "json", "--no-write")
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["summary"]["error"] >= 6


def test_list_rules_and_explain(cli):
    listing = cli("--list-rules")
    assert listing.exit_code == 0
    assert "D401  duplicate-measurement" in listing.stdout
    doc = cli("--explain", "duplicate-measurement")
    assert doc.exit_code == 0
    assert doc.stdout.startswith("D401 duplicate-measurement (duplicate, default severity warning)")
    assert "## Example that fires" in doc.stdout and "alpha = 0.01" in doc.stdout


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("validate, version ")


def test_exclude_patterns_apply_to_walked_files_and_to_hook_file_names(cli, in_tmp):
    write(in_tmp / "pyproject.toml", '[tool.validate]\nexclude = ["archive/", "*.draft.md"]\n')
    (in_tmp / "docs" / "archive").mkdir(parents=True)
    write(in_tmp / "docs" / "page.md", CLEAN_PAGE)
    write(in_tmp / "docs" / "notes.draft.md", CLEAN_PAGE)
    write(in_tmp / "docs" / "archive" / "old.md", CLEAN_PAGE)
    walked = json.loads(cli("docs", "--format", "json", "--no-write").stdout)
    assert [f["path"] for f in walked["files"]] == ["docs/page.md"]
    named = json.loads(cli("docs/notes.draft.md", "--format", "json", "--no-write").stdout)
    assert [f["path"] for f in named["files"]] == ["docs/notes.draft.md"]  # asked for by name
    hooked = cli("docs/notes.draft.md", "docs/page.md", "--hook")
    assert hooked.stdout == "No anomalies in 1 file, 1 table, 2 rows.\n"


def test_many_pages_without_tables_get_one_line(cli, in_tmp):
    for number in range(12):
        write(in_tmp / f"p{number:02d}.md", "# prose only\n")
    result = cli("*.md", "--no-write")
    assert result.exit_code == 0
    assert result.stderr == "12 of 12 files have no table\n"


def test_parallel_jobs_give_the_same_report(cli, in_tmp, monkeypatch):
    from validate import engine, parallel

    for number in range(6):
        write(in_tmp / f"p{number}.md", CLEAN_PAGE.replace("93,291", f"9{number},291"))
    used = []
    in_parallel = parallel.check_typed_in_parallel
    monkeypatch.setattr(parallel, "check_typed_in_parallel",
                        lambda *args: used.append(len(args[1])) or in_parallel(*args))
    one = cli("*.md", "--format", "json", "--no-write", "--jobs", "1")
    two = cli("*.md", "--format", "json", "--no-write", "--jobs", "2")
    assert used == [6]  # only the --jobs 2 run used worker processes
    assert one.stdout == two.stdout and one.exit_code == two.exit_code
    assert len(json.loads(two.stdout)["files"]) == 6 > engine.PARALLEL_MIN_FILES


def test_a_couple_of_pages_are_checked_without_worker_processes(cli, in_tmp, monkeypatch):
    from validate import parallel

    for number in range(2):
        write(in_tmp / f"p{number}.md", CLEAN_PAGE)
    monkeypatch.setattr(parallel, "check_typed_in_parallel",
                        lambda *args: pytest.fail("workers started for two pages"))
    assert cli("*.md", "--no-write", "--jobs", "2").exit_code == 0

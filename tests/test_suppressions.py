"""Suppressions written in the page, counted apart, and reported when unused."""

from __future__ import annotations

import json

from conftest import GUIDE_HEADER, guide_row

DUPLICATES = (guide_row(accelerator="8xlarge", batch="32", vram="2,645,347 MiB", time="22m",
                        throughput="172395")
              + guide_row(accelerator="8xlarge", batch="64", vram="2,801,133 MiB", time="20m",
                          throughput="172395"))


def run(cli, tmp_path, text, *args, select="D401,S107"):
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    result = cli(page, "--format", "json", "--no-write", "--select", select, *args)
    return json.loads(result.stdout)


def codes(report):
    return [(a["code"], a["line"]) for a in report["anomalies"]]


def test_without_suppression_both_rows_are_flagged(cli, in_tmp):
    report = run(cli, in_tmp, GUIDE_HEADER + DUPLICATES)
    assert codes(report) == [("D401", 3), ("D401", 4)]


def test_a_comment_before_the_table_covers_the_table(cli, in_tmp):
    report = run(cli, in_tmp, "<!-- validate: ignore D401 -->\n\n" + GUIDE_HEADER + DUPLICATES)
    assert codes(report) == []
    assert [(a["code"], a["line"]) for a in report["suppressed"]] == [("D401", 5), ("D401", 6)]


def test_a_comment_after_a_row_covers_that_row_only(cli, in_tmp):
    first, second = DUPLICATES.splitlines(keepends=True)
    text = GUIDE_HEADER + first.rstrip("\n") + " <!-- validate: ignore duplicate-measurement -->\n" + second
    report = run(cli, in_tmp, text)
    assert codes(report) == [("D401", 4)]
    assert [a["line"] for a in report["suppressed"]] == [3]


def test_ignore_file_covers_the_whole_page(cli, in_tmp):
    report = run(cli, in_tmp, GUIDE_HEADER + DUPLICATES + "\n<!-- validate: ignore-file D401 -->\n")
    assert codes(report) == [] and len(report["suppressed"]) == 2


def test_unused_misspelled_and_dangling_suppressions_are_reported(cli, in_tmp):
    text = ("<!-- validate: ignore D401 F202 -->\n" + GUIDE_HEADER + DUPLICATES
            + "\n<!-- validate: ignore D999 -->\n\n" + GUIDE_HEADER + guide_row()
            + "\n<!-- validate: ignroe D401 -->\n\nprose\n")
    report = run(cli, in_tmp, text, select="D401,F202,S107")
    messages = {a["line"]: a["message"] for a in report["anomalies"] if a["code"] == "S107"}
    assert messages[1] == "suppression of F202 is unused: nothing fires in the table below"
    assert messages[7] == "suppression names unknown rule D999"
    assert messages[13].startswith("suppression comment has an unknown directive 'ignroe'")



def test_a_suppression_of_a_rule_that_did_not_run_is_not_called_unused(cli, in_tmp):
    report = run(cli, in_tmp, "<!-- validate: ignore D401 F202 -->\n" + GUIDE_HEADER + DUPLICATES)
    assert [a["code"] for a in report["anomalies"]] == []


def test_a_comment_in_the_last_cell_without_a_closing_pipe_is_a_suppression(cli, in_tmp):
    first, second = DUPLICATES.splitlines(keepends=True)
    text = GUIDE_HEADER + first.rstrip("\n").rstrip("|").rstrip() + " <!-- validate: ignore D401 -->\n" + second
    report = run(cli, in_tmp, text)
    assert codes(report) == [("D401", 4)]
    assert report["suppressed"][0]["value"] == "172395"


def test_the_summary_line_counts_suppressed_findings(cli, in_tmp):
    page = in_tmp / "page.md"
    page.write_text("<!-- validate: ignore D401 -->\n" + GUIDE_HEADER + DUPLICATES, encoding="utf-8")
    result = cli(page, "--no-write")
    assert result.stdout.splitlines()[-1].endswith("; 2 suppressed.")

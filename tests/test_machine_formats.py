"""SARIF for code scanning, GitHub workflow annotations, and baselines of accepted debt."""

from __future__ import annotations

import json

import jsonschema

from conftest import FIXTURES, GUIDE_HEADER, RAW, guide_row

PAGES = [RAW / "llm_param_guide.ko.md", RAW / "llm_param_guide.en.md"]


def test_sarif_output_is_valid_sarif_2_1_0(cli):
    result = cli(*PAGES, "--format", "sarif", "--no-write")
    sarif = json.loads(result.stdout)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(sarif)
    run = sarif["runs"][0]
    rules = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run["results"]} <= rules
    grouping = [r for r in run["results"] if r["ruleId"] == "F202"]
    assert {(r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in grouping} == \
        {(47, 60), (48, 60), (49, 61)}
    assert grouping[0]["level"] == "error"


def test_github_annotations(cli):
    result = cli(PAGES[0], "--format", "github", "--no-write", "--select", "F202")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=raw/llm_param_guide.ko.md,line=47,col=60,"
                               "title=F202 bad-digit-grouping::vram '1403,2189'") or \
        lines[0].startswith(f"::error file={PAGES[0]},line=47,col=60,")
    assert len(lines) == 3


def page(extra_rows="", above=""):
    return (above + "# Guide\n\n" + GUIDE_HEADER
            + guide_row(accelerator="8xlarge", batch="32", vram="2,645,347 MiB", time="22m", throughput="172395")
            + guide_row(accelerator="8xlarge", batch="64", vram="2,801,133 MiB", time="20m", throughput="172395")
            + extra_rows)


def test_baseline_keeps_accepted_findings_quiet_when_lines_move(cli, in_tmp):
    target = in_tmp / "guide.md"
    target.write_text(page(), encoding="utf-8")
    recorded = cli(target, "--write-baseline", "baseline.json")
    assert recorded.exit_code == 0 and "Recorded 2 findings" in recorded.stdout
    # Unrelated lines added above the table: the same findings, on other lines.
    target.write_text(page(above="Intro.\n\nMore intro.\n\n"), encoding="utf-8")
    quiet = cli(target, "--baseline", "baseline.json", "--no-write", "--format", "json")
    report = json.loads(quiet.stdout)
    assert report["anomalies"] == [] and quiet.exit_code == 0
    # A new problem is still reported.
    target.write_text(page(above="Intro.\n\n", extra_rows=guide_row(
        accelerator="4xlarge", batch="16", vram="1403,2189 MiB", time="30m", throughput="50,111")),
        encoding="utf-8")
    new = cli(target, "--baseline", "baseline.json", "--no-write")
    assert new.exit_code == 1
    codes = [line.split()[2] for line in new.stdout.splitlines()[:-1]]
    assert "F202" in codes and "D401" not in codes  # the new row's problems, not the old ones
    assert new.stdout.splitlines()[-1].endswith("; 2 in the baseline.")


def test_a_broken_baseline_file_is_an_error(cli, in_tmp):
    (in_tmp / "guide.md").write_text(page(), encoding="utf-8")
    (in_tmp / "baseline.json").write_text("{not json", encoding="utf-8")
    result = cli("guide.md", "--baseline", "baseline.json", "--no-write")
    assert result.exit_code == 2 and "baseline.json: not a baseline file" in result.stderr
    result = cli("guide.md", "--baseline", "missing.json", "--no-write")
    assert result.exit_code == 2 and "missing.json: baseline file not found" in result.stderr

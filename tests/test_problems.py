"""Problems: findings that share a root cause, grouped, ranked, with what to do (grouping.py)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import FIXTURES, GUIDE_HEADER, RAW, guide_row
from validate.config import Settings
from validate.engine import Checker
from validate.findings import SEVERITY_RANK
from validate.grouping import group_problems
from validate.rules import BY_CODE
from validate.sources import SourceFile

PAGES = [RAW / "llm_param_guide.ko.md", RAW / "llm_param_guide.en.md"]


@pytest.fixture(scope="module")
def raw_json():
    from click.testing import CliRunner

    from validate.cli import main

    result = CliRunner().invoke(main, [*map(str, PAGES), "--format", "json", "--no-write"])
    return json.loads(result.stdout)


def _check(*pages, **files):
    named = {**{f"p{i}.md": text for i, text in enumerate(pages)}, **files}
    return Checker(Settings()).run(SourceFile(name, text) for name, text in sorted(named.items()))


def test_every_finding_is_in_exactly_one_problem_and_problems_are_ranked(raw_json):
    anomalies, problems = raw_json["anomalies"], raw_json["problems"]
    covered = sorted(i for p in problems for i in p["anomalies"])
    assert covered == list(range(len(anomalies)))
    assert all(p["primary"] in p["anomalies"] for p in problems)
    assert [p["id"] for p in problems] == [f"P{n}" for n in range(1, len(problems) + 1)]
    ranks = [SEVERITY_RANK[p["severity"]] for p in problems]
    assert ranks == sorted(ranks, reverse=True)
    assert all(p["severity"] == max((anomalies[i]["severity"] for i in p["anomalies"]),
                                    key=SEVERITY_RANK.get) for p in problems)
    assert all(p["code"] == anomalies[p["primary"]]["code"] for p in problems)
    assert len(problems) <= 30 < len(anomalies)


def _problem_of(raw_json, path, line, field):
    anomalies = raw_json["anomalies"]
    for problem in raw_json["problems"]:
        for i in problem["anomalies"]:
            if anomalies[i]["file"].endswith(path) and anomalies[i]["line"] == line \
                    and anomalies[i]["field"] == field:
                return problem, [anomalies[j] for j in problem["anomalies"]]
    raise AssertionError(f"no problem covers {path}:{line} {field}")


def test_the_defects_a_reviewer_lists_are_each_visible(raw_json):
    # The malformed VRAM cells: errors, ranked first, each one problem of its two findings.
    for rank, line in enumerate((47, 48, 49), 1):
        problem, members = _problem_of(raw_json, "ko.md", line, "vram")
        assert problem["id"] == f"P{rank}" and problem["severity"] == "error"
        assert {m["code"] for m in members} == {"F202", "F203"}
    # The throughput pasted on three rows: one problem naming all three.
    problem, members = _problem_of(raw_json, "ko.md", 50, "throughput")
    assert {m["line"] for m in members if m["code"] == "D401"} == {50, 51, 52}
    # A model in one language version only, named with its rows.
    problem, _ = _problem_of(raw_json, "en.md", 20, None)
    assert "Llama3 8B" in problem["summary"] and "20-22" in problem["summary"]
    # A configuration differing between the versions: every field, both sides, one problem,
    # and the side with the older platform version is named stale.
    problem, members = _problem_of(raw_json, "ko.md", 26, "vram")
    assert {m["file"][-5:] for m in members if m["code"] == "T702"} == {"ko.md", "en.md"}
    assert {m["field"] for m in members if m["code"] == "T702"} == {"vram", "train_time", "throughput"}
    assert problem["stale"]["file"].endswith("ko.md") and "24.2.0" in problem["stale"]["why"]
    # A column's inconsistent style is one problem, and style problems come last.
    problem, members = _problem_of(raw_json, "ko.md", 17, "vram")
    styles = [p for p in raw_json["problems"] if p["severity"] == "info"]
    assert problem in styles and len(members) == 9
    assert raw_json["problems"][-len(styles):] == styles
    # Every problem says what to do.
    assert all("What to do: " in p["summary"] for p in raw_json["problems"])


def test_text_output_is_one_line_per_problem_and_cells_on_request(cli):
    problems = cli(*PAGES, "--no-write").stdout.splitlines()
    cells = cli(*PAGES, "--no-write", "--cells").stdout.splitlines()
    assert problems[-1].startswith("Found 29 problems (99 findings) in 2 files") or \
        problems[-1].startswith("Found ") and " problems (" in problems[-1]
    count = int(problems[-1].split()[1])
    assert len(problems) == count + 1 and len(cells) > len(problems)
    assert cells[-1].startswith("Found ") and "anomalies" in cells[-1]
    assert problems[0].split(": ")[1].startswith("error F202")


def test_sarif_and_github_agree_with_the_json_problems(cli, raw_json):
    sarif = json.loads(cli(*PAGES, "--format", "sarif", "--no-write").stdout)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    problems = raw_json["problems"]
    assert [r["properties"]["problem"] for r in results] == [p["id"] for p in problems]
    for result, problem in zip(results, problems):
        primary = raw_json["anomalies"][problem["primary"]]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (primary["line"], primary["column"])
        assert len(result.get("relatedLocations", [])) == len(problem["anomalies"]) - 1
        assert result["message"]["text"] == problem["summary"]
    github = cli(*PAGES, "--format", "github", "--no-write").stdout.splitlines()
    assert len(github) == len(problems)
    for line, problem in zip(github, problems):
        primary = raw_json["anomalies"][problem["primary"]]
        assert f"line={primary['line']},col={primary['column']}," in line
        assert f"title={problem['id']} " in line


def test_cells_group_by_what_their_rules_declare():
    table = GUIDE_HEADER + guide_row(batch="32", throughput="172395") + guide_row(
        batch="64", throughput="172395") + guide_row(batch="128", vram="1403,2189") + guide_row(
        batch="256", vram="1,138,546 MiB", throughput="1,234 TPS")
    report = _check(table)
    problems = report.problems
    by_code = {}
    for problem in problems:
        by_code.setdefault(report.findings[problem.primary].code, []).append(
            sorted({report.findings[i].code for i in problem.anomalies}))
    # The pasted value (two rows, listed in each other's evidence) is one problem.
    pasted = [p for p in problems if report.findings[p.primary].code == "D401"]
    assert len(pasted) == 1 and len(pasted[0].anomalies) >= 2
    # The malformed cell (bad grouping and no unit: one cell) is one problem.
    assert ["F202", "F203"] in by_code["F202"]
    assert sorted(i for p in problems for i in p.anomalies) == list(range(len(report.findings)))


def test_a_rule_that_declares_no_grouping_keeps_each_finding_apart():
    findings = _check(GUIDE_HEADER + guide_row(batch="32", vram="1403,2189")
                      + guide_row(batch="64", vram="1489,3")).findings
    rules = {code: rule for code, rule in BY_CODE.items()}
    alone = {code: type(rule)(**{**rule.__dict__, "grouping": ()}) for code, rule in rules.items()}
    assert len(group_problems(findings, alone)) == len(findings)
    assert len(group_problems(findings, rules)) < len(findings)


def test_suppressions_baselines_and_fixes_work_per_finding_with_problems(cli, in_tmp):
    rows = (guide_row(batch="32", vram="612,208 MiB", time="310m", throughput="172395")
            + guide_row(batch="64", vram="703,551 MiB", time="260m", throughput="172395"))
    (in_tmp / "page.md").write_text(GUIDE_HEADER + rows + guide_row(batch="128", vram="938219 MiB")
                                    + guide_row(batch="256", vram="1,103,582 MiB", time="170m",
                                                throughput="131,004 TPS"), encoding="utf-8")
    before = json.loads(cli("page.md", "--format", "json", "--no-write").stdout)
    pasted = [p for p in before["problems"] if before["anomalies"][p["primary"]]["code"] == "D401"]
    assert pasted
    # A suppression on one row's line removes that row's finding; its problem keeps the other.
    text = (in_tmp / "page.md").read_text(encoding="utf-8").splitlines(keepends=True)
    text[2] = text[2].rstrip("\n") + " <!-- validate: ignore D401 -->\n"
    (in_tmp / "page.md").write_text("".join(text), encoding="utf-8")
    after = json.loads(cli("page.md", "--format", "json", "--no-write").stdout)
    assert [a["line"] for a in after["anomalies"] if a["code"] == "D401"] == [4]
    assert len(after["suppressed"]) == 1
    assert sorted(i for p in after["problems"] for i in p["anomalies"]) == list(range(len(after["anomalies"])))
    # A baseline accepts findings one by one; what remains is grouped again.
    cli("page.md", "--write-baseline", "base.json")
    again = json.loads(cli("page.md", "--format", "json", "--no-write", "--baseline", "base.json").stdout)
    assert again["anomalies"] == [] and again["problems"] == []
    # --fix rewrites the cells of the style problem; the report after it has no such problem.
    fixed = cli("page.md", "--fix", "--format", "json", "--no-write")
    assert fixed.exit_code == 1
    report = json.loads(fixed.stdout)
    assert "F210" not in {a["code"] for a in report["anomalies"]}
    assert "938,219 MiB" in (in_tmp / "page.md").read_text(encoding="utf-8")
    assert sorted(i for p in report["problems"] for i in p["anomalies"]) == list(range(len(report["anomalies"])))

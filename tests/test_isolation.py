"""A check that raises on one table is one internal-error finding (S100); the rest still runs.

Also the two crashes seen on other teams' docs trees, kept as regressions: same-shaped tables
typed differently, and number cells in markup.
"""

from __future__ import annotations

import json

import pytest

from validate.config import Settings
from validate.engine import Checker
from validate.rules import BY_CODE
from validate.sources import SourceFile

from conftest import GUIDE_HEADER, guide_row

GUIDE = GUIDE_HEADER + guide_row(batch="64", throughput="172395") + guide_row(batch="128", throughput="172395")


def _run(*pages: str):
    checker = Checker(Settings())
    return checker.run(SourceFile(f"p{i}.md", text) for i, text in enumerate(pages))


def _broken(monkeypatch, code: str, where: str):
    """Make rule `code` raise in its `check` or its `explain`."""
    rule = BY_CODE[code]

    def fail(*args, **kwargs):
        raise ZeroDivisionError("on purpose")

    import validate.rules as registry
    broken = type(rule)(**{**rule.__dict__, where: fail})
    monkeypatch.setattr(registry, "ALL_RULES", tuple(broken if r is rule else r for r in registry.ALL_RULES))
    import validate.engine as engine
    monkeypatch.setattr(engine, "ALL_RULES", registry.ALL_RULES)
    return broken


@pytest.mark.parametrize(("code", "where"), [("D401", "explain"), ("D401", "check"),
                                              ("S101", "check"), ("F210", "check")])
def test_a_failing_rule_is_one_internal_error_and_the_others_still_report(monkeypatch, code, where):
    _broken(monkeypatch, code, where)
    report = _run(GUIDE, "| a | b |\n| - | - |\n| 1 | 2 | 3 |\n")
    internal = [f for f in report.findings if f.code == "S100"]
    assert internal, [f.code for f in report.findings]
    assert {f.evidence["failed"] for f in internal} == {code}
    assert all(f.evidence["exception"] == "ZeroDivisionError" or "ZeroDivisionError" in f.evidence["detail"]
               for f in internal)
    assert all(f.severity == "error" and f.line >= 1 for f in internal)
    # One finding per table the rule failed on, at that table.
    assert len({(f.file, f.table_index) for f in internal}) == len(internal)
    others = {f.code for f in report.findings} - {"S100", code}
    assert others, "the other rules' findings are kept"
    assert report.internal_errors == internal


def test_an_internal_error_exits_2_and_every_report_is_written(monkeypatch, cli, in_tmp):
    _broken(monkeypatch, "D401", "explain")
    (in_tmp / "page.md").write_text(GUIDE, encoding="utf-8")
    result = cli("page.md", "--out", "out", "--no-timestamp")
    assert result.exit_code == 2, result.output
    assert "S100" in result.stdout and "internal error: D401 failed" in result.stdout
    report = json.loads((in_tmp / "out" / "anomalies.json").read_text(encoding="utf-8"))
    assert [a["code"] for a in report["anomalies"]].count("S100") == 1
    assert (in_tmp / "out" / "anomalies.html").is_file() and (in_tmp / "out" / "finetune_guide.csv").is_file()


def test_an_internal_error_cannot_be_suppressed(monkeypatch):
    _broken(monkeypatch, "D401", "explain")
    report = _run("<!-- validate: ignore S100 D401 -->\n" + GUIDE)
    assert [f.code for f in report.findings if f.code == "S100"] == ["S100"]


def test_same_shaped_tables_typed_differently_do_not_share_a_schema(cli, in_tmp):
    # Two one-column tables: the first types as text (a range among numbers), the second as
    # integers. A compiled schema shared between them failed the second table's dtype check.
    (in_tmp / "p.md").write_text("| GPUs |\n| - |\n| 64 |\n| 1024 |\n| 128-512 |\n\n"
                                 "| GPUs |\n| - |\n| 64 |\n| 256 |\n| 1024 |\n\n"
                                 "| GPUs |\n| - |\n| 6.5 |\n| 25.6 |\n| 1024 |\n", encoding="utf-8")
    result = cli("p.md", "--no-write")
    assert result.exit_code == 0, result.output
    assert "S100" not in result.stdout


@pytest.mark.parametrize("cells", [["`16`", "`2e-4`", "`10`"], ["**44** min", "**8.68** hr", "**33.22** hr"],
                                   ["**2000**", "[2100](x.md)", "<b>1900</b>", "~~2000~~", "95&#44;302"]])
def test_numbers_in_markup_are_read_as_shown(cli, in_tmp, cells):
    rows = "".join(f"| r{i} | {cell} |\n" for i, cell in enumerate(cells))
    (in_tmp / "p.md").write_text("| name | value |\n| --- | --- |\n" + rows, encoding="utf-8")
    result = cli("p.md", "--no-write")
    assert result.exit_code == 0, result.output
    assert "S100" not in result.stdout and "Traceback" not in result.output


def test_a_guide_number_in_bold_is_typed_and_checked(cli, in_tmp):
    page = GUIDE_HEADER + guide_row(throughput="**95302**") + guide_row(batch="256", throughput="190,949 TPS")
    (in_tmp / "p.md").write_text(page, encoding="utf-8")
    result = cli("p.md", "--no-write")
    assert result.exit_code == 0, result.output
    assert "S100" not in result.stdout
    assert "F211" in result.stdout  # the bold number has no unit while the other row writes TPS

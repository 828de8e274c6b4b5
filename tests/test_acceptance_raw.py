"""The published pages in raw/: what the page owners asked the tool to find."""

from __future__ import annotations

import csv
import json

import pytest

from conftest import RAW, SHARED

PAGES = [RAW / "llm_param_guide.ko.md", RAW / "llm_param_guide.en.md"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from click.testing import CliRunner

    from validate.cli import main

    out = tmp_path_factory.mktemp("reports")
    result = CliRunner().invoke(main, [*map(str, PAGES), "--out", str(out), "--no-timestamp"])
    return result, out, json.loads((out / "anomalies.json").read_text(encoding="utf-8"))


def test_raw_pages_are_the_published_seeds_byte_for_byte():
    for page in PAGES:
        assert page.read_bytes() == (SHARED / "seeds" / page.name).read_bytes()


def test_exit_status_is_1(run):
    result, _, _ = run
    assert result.exit_code == 1


def test_the_three_malformed_vram_cells_of_the_korean_page(run):
    _, _, report = run
    cells = {(a["line"], a["column"], a["value"]) for a in report["anomalies"]
             if a["file"].endswith("ko.md") and a["field"] == "vram" and a["severity"] == "error"
             and a["category"] == "format"}
    assert cells == {(47, 60, "1403,2189"), (48, 60, "1489,3"), (49, 61, "154,12123")}
    lines = (RAW / "llm_param_guide.ko.md").read_text(encoding="utf-8").splitlines()
    for line, column, value in cells:
        assert lines[line - 1][column - 1:].startswith(value)


def test_the_three_baichuan_rows_sharing_throughput_172395(run):
    _, _, report = run
    found = [a for a in report["anomalies"] if a["category"] == "duplicate"
             and a["field"] == "throughput" and a["value"] == "172395"]
    assert sorted(a["line"] for a in found) == [50, 51, 52]
    for finding in found:
        others = sorted(r["line"] for r in finding["evidence"]["other_rows"])
        assert others == sorted({50, 51, 52} - {finding["line"]})


def test_the_json_report_follows_the_contract(run):
    _, _, report = run
    assert report["schema_version"] == 1
    assert set(report["tool"]) == {"name", "version"}
    assert [f["path"] for f in report["files"]] == [str(p) for p in PAGES]
    assert [(f["tables"], f["rows"], f["schemas"], f["error"]) for f in report["files"]] == \
        [(1, 41, ["finetune_guide"], None), (1, 18, ["finetune_guide"], None)]
    counts = {"error": 0, "warning": 0, "info": 0}
    for anomaly in report["anomalies"]:
        counts[anomaly["severity"]] += 1
        assert list(anomaly) == ["code", "name", "category", "severity", "file", "line", "column",
                                 "table_index", "row_index", "field", "value", "message", "evidence"]
        assert anomaly["category"] in ("structure", "format", "missing", "duplicate",
                                       "consistency", "capacity", "translation")
        assert anomaly["line"] >= 1 and anomaly["column"] >= 1
    assert report["summary"] == counts
    keys = [(a["file"], a["line"], a["column"], a["code"]) for a in report["anomalies"]]
    assert keys == sorted(keys)


def test_the_json_report_is_byte_identical_across_runs(run, tmp_path):
    from click.testing import CliRunner

    from validate.cli import main

    _, out, _ = run
    CliRunner().invoke(main, [*map(str, PAGES), "--out", str(tmp_path), "--no-timestamp"])
    assert (tmp_path / "anomalies.json").read_bytes() == (out / "anomalies.json").read_bytes()
    assert (tmp_path / "finetune_guide.csv").read_bytes() == (out / "finetune_guide.csv").read_bytes()
    assert (tmp_path / "anomalies.html").read_bytes() == (out / "anomalies.html").read_bytes()


def test_the_cleaned_csv_has_59_typed_rows(run):
    _, out, _ = run
    with open(out / "finetune_guide.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 59
    assert list(rows[0])[:3] == ["source_file", "source_line", "table_index"]
    assert list(rows[0])[-1] == "anomalies"
    by_line = {(r["source_file"].split("/")[-1], int(r["source_line"])): r for r in rows}
    baichuan = by_line[("llm_param_guide.ko.md", 47)]
    assert baichuan["vram"] == ""  # "1403,2189" is never guessed
    assert "F202" in baichuan["anomalies"].split(";")
    mistral = by_line[("llm_param_guide.ko.md", 26)]
    assert (mistral["tokens"], mistral["vram"], mistral["train_time"], mistral["throughput"]) == \
        ("27000000000", "442982", "59", "15972")
    assert mistral["advanced_parallelism"] == "true" and mistral["batch_size"] == "256"
    llama = by_line[("llm_param_guide.en.md", 20)]
    assert (llama["model"], llama["accelerator"], llama["vram"], llama["throughput"]) == \
        ("Llama3 8B", "2xlarge", "867021", "93291")

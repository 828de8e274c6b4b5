"""A table kind the tool has never seen, declared in YAML only: typed data and findings."""

from __future__ import annotations

import csv
import json

FLAVORS_SCHEMA = """\
name: flavors
description: Accelerator flavors and their memory
fields:
  flavor: {aliases: {en: [Flavor], ko: [플레이버]}, type: string, required: true}
  memory: {aliases: [Memory, 메모리], type: number, unit: GiB, required: true, min: 1}
  gpus: {aliases: [GPUs, GPU 수], type: integer, min: 1}
key: [flavor]
rules:
  F210: off
"""

PAGE = """\
# Flavors

| 플레이버 | 메모리 | GPU 수 |
| --- | --- | --- |
| Small | 64 GiB | 1 |
| Large | 256GiB | 4 |
| xLarge | 0.5 TiB | 8 |
| 2xLarge | 1,024 GiB | 16 |
| 4xLarge | 2048 | 32 |
| 8xLarge | 4,09 GiB | 64 |
| 8xLarge | 4096 GiB | 2.5 |

| Model | Flavor |
| --- | --- |
| Llama2 13B | 2xLarge |
"""


def test_a_new_table_kind_from_a_schema_file_only(cli, in_tmp):
    (in_tmp / "kinds").mkdir()
    (in_tmp / "kinds" / "flavors.yaml").write_text(FLAVORS_SCHEMA, encoding="utf-8")
    (in_tmp / "flavors.md").write_text(PAGE, encoding="utf-8")
    result = cli("flavors.md", "--schemas", "kinds", "--out", "out", "--no-timestamp")
    assert result.exit_code == 1, result.stdout + result.stderr

    report = json.loads((in_tmp / "out" / "anomalies.json").read_text(encoding="utf-8"))
    assert report["files"][0]["schemas"] == ["flavors"]
    details = report["files"][0]["table_details"]
    assert details[0]["schema"] == "flavors" and "3 of 3 columns" in details[0]["match"]
    assert details[1]["schema"] is None  # the second table is no flavors table
    found = {(a["code"], a["line"], a["field"]) for a in report["anomalies"]}
    assert found == {
        ("F202", 10, "memory"),        # 4,09 GiB: digits not grouped in threes
        ("F205", 11, "gpus"),          # 2.5 GPUs
        ("D403", 10, None),            # 8xLarge listed twice
        ("D403", 11, None),
        ("F211", 7, "memory"),         # 0.5 TiB where the column writes GiB (information)
        ("F211", 9, "memory"),         # 2048 without the column's unit (information)
    }

    with open(in_tmp / "out" / "flavors.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["flavor"] for r in rows] == ["Small", "Large", "xLarge", "2xLarge", "4xLarge",
                                          "8xLarge", "8xLarge"]
    assert [r["memory"] for r in rows] == ["64", "256", "512", "1024", "2048", "", "4096"]
    assert [r["gpus"] for r in rows] == ["1", "4", "8", "16", "32", "64", ""]
    assert rows[5]["anomalies"] == "D403;F202"
    assert not (in_tmp / "out" / "finetune_guide.csv").exists()


def test_infer_schema_drafts_a_file_that_loads(cli, in_tmp):
    (in_tmp / "flavors.md").write_text(PAGE, encoding="utf-8")
    draft = cli("--infer-schema", "flavors.md")
    assert draft.exit_code == 0, draft.stderr
    documents = draft.stdout.split("---\n")
    assert len(documents) == 2
    (in_tmp / "drafts").mkdir()
    (in_tmp / "drafts" / "flavors.yaml").write_text(documents[0].split("\n", 1)[1], encoding="utf-8")
    assert "unit: GiB" in documents[0] and "gpu_수" in documents[0]
    result = cli("flavors.md", "--schemas", "drafts", "--format", "json", "--no-write")
    report = json.loads(result.stdout)
    assert report["files"][0]["table_details"][0]["schema"] == "flavors_0"


def test_export_tables_writes_every_table_with_positions(cli, in_tmp):
    (in_tmp / "docs").mkdir()
    (in_tmp / "docs" / "flavors.md").write_text(PAGE, encoding="utf-8")
    result = cli("docs", "--export-tables", "tables", "--no-write")
    assert result.exit_code in (0, 1)
    first = (in_tmp / "tables" / "docs" / "flavors.md.table0.csv").read_text(encoding="utf-8")
    assert first.splitlines()[:2] == ["source_file,source_line,플레이버,메모리,GPU 수",
                                      "docs/flavors.md,5,Small,64 GiB,1"]
    second = (in_tmp / "tables" / "docs" / "flavors.md.table1.csv").read_text(encoding="utf-8")
    assert second.splitlines()[1] == "docs/flavors.md,15,Llama2 13B,2xLarge"

"""Schema files: a mistake is reported with its file and line, never a traceback."""

from __future__ import annotations

import pytest

from conftest import GUIDE_HEADER, guide_row

GOOD = """name: flavors
description: Accelerator flavors and their memory
fields:
  flavor: {aliases: [Flavor, 플레이버], type: string, required: true}
  memory: {aliases: [Memory, 메모리], type: number, unit: GiB, required: true}
key: [flavor]
"""


@pytest.mark.parametrize(("text", "line", "message"), [
    (GOOD.replace("type: number", "type: float"), 5, "type must be one of string, integer, number, boolean"),
    (GOOD.replace("key: [flavor]", "key: [flavour]"), 6, "`key` names 'flavour', which is not a declared field"),
    (GOOD.replace("description:", "descripton:"), 2, "unknown schema key 'descripton'"),
    (GOOD.replace("{aliases: [Flavor, 플레이버],", "{aliases: [Flavor, 플레이버]"), 4, "not valid YAML"),
    (GOOD.replace("name: flavors", "name: Flavors!"), 1, "`name` must be a lower-case identifier"),
    (GOOD.replace("required: true}\nkey", "required: yes please}\nkey"), 5, "required must be true or false"),
])
def test_schema_mistakes_name_file_and_line(cli, in_tmp, text, line, message):
    (in_tmp / "schemas").mkdir()
    (in_tmp / "schemas" / "flavors.yaml").write_text(text, encoding="utf-8")
    (in_tmp / "page.md").write_text(GUIDE_HEADER + guide_row(), encoding="utf-8")
    result = cli("page.md", "--schemas", "schemas", "--no-write")
    assert result.exit_code == 2
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"validate: error: schemas/flavors.yaml:{line}: ")
    assert message in error
    assert "Traceback" not in result.stderr


def test_rule_options_in_a_schema_are_checked(cli, in_tmp):
    (in_tmp / "schemas").mkdir()
    (in_tmp / "schemas" / "flavors.yaml").write_text(GOOD + "rules:\n  C501: {factr: 3}\n", encoding="utf-8")
    (in_tmp / "page.md").write_text(GUIDE_HEADER + guide_row(), encoding="utf-8")
    result = cli("page.md", "--schemas", "schemas", "--no-write")
    assert result.exit_code == 2
    assert "schemas/flavors.yaml:8: rules.C501: C501 has no option 'factr'" in result.stderr


def test_a_missing_schema_directory_is_an_error(cli, in_tmp):
    (in_tmp / "page.md").write_text(GUIDE_HEADER + guide_row(), encoding="utf-8")
    result = cli("page.md", "--schemas", "nowhere", "--no-write")
    assert result.exit_code == 2 and "nowhere" in result.stderr

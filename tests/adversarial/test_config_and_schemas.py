"""Hostile settings: [tool.validate], schema and reference YAML files, baselines."""

from __future__ import annotations

import json
import os
import time

import pytest

from .support import (BAD_PAGE, GOOD_PAGE, assert_no_injection, assert_one_line_error, fifo_guard,
                      run_validate, text_of)

SCHEMA = """\
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


def config_error(result, key: str) -> str:
    """The one error line of a run refused for its configuration."""
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("validate: error: ") and f"[tool.validate] {key}" in lines[0], lines
    assert "Traceback" not in result.stderr
    return lines[0]


# --- the source link template --------------------------------------------------------------

@pytest.mark.parametrize("template, reason", [
    ("{nokey}", "only the placeholders"),
    ("{0}", "only the placeholders"),
    ("https://x/{path", "only the placeholders"),
    ("https://x/{line:>300000000}", "only the placeholders"),
    ("https://x/{path.__class__.__mro__}", "only the placeholders"),
    ("https://x/{path!r}", "only the placeholders"),
    ("javascript:alert(1)//{path}", "not a 'javascript' link"),
    ("JaVaScRiPt:alert(1)", "not a 'JaVaScRiPt' link"),
    ("data:text/html,<script>alert(1)</script>{path}", "not a 'data' link"),
    ("vbscript:msgbox(1)", "not a 'vbscript' link"),
    ("javascrip{path}:alert(1)", "link"),
    (" javascript:alert(1)", "spaces or control characters"),
    ("java\\tscript:alert(1)", "spaces or control characters"),
])
def test_a_link_template_is_checked_when_the_config_is_read(cli, in_tmp, template, reason):
    write(in_tmp / "pyproject.toml", f'[tool.validate]\nlink = "{template}"\n')
    write(in_tmp / "good.md", GOOD_PAGE)
    started = time.monotonic()
    result = cli("good.md", "--out", "out")
    assert reason in config_error(result, "link")
    assert time.monotonic() - started < 10
    assert not (in_tmp / "out").exists(), "nothing is written for a run refused at start"


def test_a_good_link_template_is_filled_by_plain_replacement(cli, in_tmp):
    write(in_tmp / "pyproject.toml",
          '[tool.validate]\nlink = "https://example.com/blob/main/{path}#L{line}"\n')
    write(in_tmp / "docs" / "a {line} b.md", BAD_PAGE)
    write(in_tmp / "javascript:alert(1).md", BAD_PAGE)
    result = cli("docs", "javascript:alert(1).md", "--out", "out", "--no-timestamp")
    assert result.exit_code == 1, result.stderr
    html = (in_tmp / "out" / "anomalies.html").read_text(encoding="utf-8")
    assert 'href="https://example.com/blob/main/docs/a%20%7Bline%7D%20b.md#L6"' in html
    assert 'href="https://example.com/blob/main/javascript%3Aalert%281%29.md#L6"' in html
    assert_no_injection(html)


def test_a_relative_link_never_turns_a_file_name_into_a_scheme(cli, in_tmp):
    write(in_tmp / "pyproject.toml", '[tool.validate]\nlink = "{path}#L{line}"\n')
    write(in_tmp / "javascript:alert(1).md", BAD_PAGE)
    result = cli("javascript:alert(1).md", "--out", "out", "--no-timestamp")
    assert result.exit_code == 1, result.stderr
    html = (in_tmp / "out" / "anomalies.html").read_text(encoding="utf-8")
    assert 'href="javascript%3Aalert%281%29.md#L6"' in html
    assert_no_injection(html)


def test_source_link_refuses_a_template_the_config_would_refuse():
    from validate.writers.html_tables import source_link

    assert source_link("{path.__class__}", "a.md", 3) is None
    assert source_link("javascript:alert(1)", "a.md", 3) is None
    assert source_link("https://x/{path}#L{line}", "a b.md", 3) == "https://x/a%20b.md#L3"
    assert source_link("https://x/{path}", os.fsdecode(b"bad\xff.md"), 3) == "https://x/bad%FF.md"


# --- other [tool.validate] keys ---------------------------------------------------------------

@pytest.mark.parametrize("table, key, reason", [
    ('exclude = ["!"]', "exclude", "not a gitignore-style pattern"),
    ('exclude = ["ok/", "!"]', "exclude", "'!'"),
    ("paths = " + "[" * 2000 + "]" * 2000, "", "nested too deeply"),
    ("out = " + "[" * 2000 + "]" * 2000, "", "nested too deeply"),
    ("fail-on = " + "9" * 5000, "", "not valid TOML"),
    ("paths = [1, 2]", "paths", "must be a list of strings"),
])
def test_hostile_values_in_tool_validate_are_config_errors(cli, in_tmp, table, key, reason):
    write(in_tmp / "pyproject.toml", f"[tool.validate]\n{table}\n")
    write(in_tmp / "good.md", GOOD_PAGE)
    result = cli("good.md", "--no-write")
    line = config_error(result, key) if key else result.stderr
    assert result.exit_code == 2
    assert reason in line and "pyproject.toml" in line, result.stderr
    assert len(result.stderr.splitlines()) == 1 and len(result.stderr) < 500


def number_option() -> tuple[str, str]:
    """A rule code and one of its number options (factor = nan once read as 'any factor')."""
    from validate.rules import ALL_RULES

    for rule in ALL_RULES:
        for option in rule.options:
            if option.kind == "number":
                return rule.code, option.name
    pytest.fail("no rule has a number option")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400"])
def test_a_rule_option_that_is_not_finite_is_a_config_error(cli, in_tmp, value):
    code, name = number_option()
    write(in_tmp / "pyproject.toml", f"[tool.validate.rules.{code}]\n{name} = {value}\n")
    write(in_tmp / "good.md", GOOD_PAGE)
    result = cli("good.md", "--no-write")
    assert result.exit_code == 2
    assert f"option {name!r} must be a finite number" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_config_file_that_is_a_fifo_is_refused_without_blocking(cli, in_tmp):
    os.mkfifo(in_tmp / "config.toml")
    write(in_tmp / "good.md", GOOD_PAGE)
    with fifo_guard(in_tmp / "config.toml"):
        result = cli("good.md", "--config", "config.toml", "--no-write")
    assert result.exit_code == 2
    assert "config.toml: cannot read: not a regular file (a fifo)" in result.stderr


# --- baselines ------------------------------------------------------------------------------

@pytest.mark.parametrize("content, reason", [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"schema_version": 1, "findings": [' + "[" * 50 + "]" * 50 + "]}", "malformed baseline entry"),
    ('{"schema_version": 1, "findings": [{"file": 1, "code": [], "field": null, "value": null, '
     '"context": ""}]}', "malformed baseline entry"),
    ('{"schema_version": 1, "findings": [{"file": "a", "code": "F", "field": null, "value": null, '
     '"context": "", "count": ' + "9" * 5000 + "}]}", "not a baseline file"),
    ("\xff\xfe", "not a baseline file"),
])
def test_a_hostile_baseline_is_one_line(cli, in_tmp, content, reason):
    write(in_tmp / "base.json", content)
    write(in_tmp / "good.md", GOOD_PAGE)
    result = cli("good.md", "--baseline", "base.json", "--no-write")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and len(result.stderr) < 500, result.stderr[:500]
    assert result.stderr.startswith("validate: error: base.json") and reason in result.stderr


def test_a_baseline_that_is_a_fifo_or_a_device_is_refused(cli, in_tmp):
    os.mkfifo(in_tmp / "base.json")
    write(in_tmp / "good.md", GOOD_PAGE)
    with fifo_guard(in_tmp / "base.json"):
        result = cli("good.md", "--baseline", "base.json", "--no-write")
    assert result.exit_code == 2
    assert "base.json: cannot read the baseline: not a regular file (a fifo)" in result.stderr
    if os.path.exists("/dev/zero"):
        result = cli("good.md", "--baseline", "/dev/zero", "--no-write")
        assert result.exit_code == 2 and "not a regular file" in result.stderr


# --- schema YAML: what the parser is given -----------------------------------------------------

def laughs(levels: int = 9, fanout: int = 10) -> str:
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        aliases = ", ".join(f"*a{level - 1}" for _ in range(fanout))
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "name: laughs\nfields: {x: {type: string}}\ndescription: x\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("text, reason", [
    ("name: loop\nfields: &a {x: *a}\n", "anchors and aliases"),
    ("name: loop\nfields: {x: {type: string}}\nkey: &a [*a]\n", "anchors and aliases"),
    ("base: &b {type: string}\nname: merge\nfields:\n  x:\n    <<: *b\n", "anchors and aliases"),
    ("name: merge\nfields:\n  x:\n    <<: {type: string}\n", "merge keys"),
    ("name: !!python/name:os.system\nfields: {x: {type: string}}\n", "cannot read this value"),
    ("name: x\nfields: !!python/object/apply:os.system [echo pwned]\n", "YAML tag"),
    ("name: x\nfields: !!python/object:os.system {}\n", "YAML tag"),
    ("name: x\nfields: {x: {type: number, min: " + "9" * 5000 + "}}\n", "too long to be a number"),
    ("name: x\nfields: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested more than"),
    ("name: x\nfields: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n", "nested more than"),
    ("name: x\nfields: {x: {type: string}}\nkey: !!set {x}\n", "YAML tag"),
    ("name: x\n\tfields: {}\n", "not valid YAML"),
], ids=["cycle", "self-alias", "merge-alias", "merge", "python-name", "python-apply", "python-object",
        "5000-digits", "deep-list", "deep-map", "set", "tab"])
def test_a_hostile_schema_file_is_one_line_quickly(cli, in_tmp, text, reason):
    write(in_tmp / "kinds" / "bad.yaml", text)
    write(in_tmp / "good.md", GOOD_PAGE)
    started = time.monotonic()
    result = cli("good.md", "--schemas", "kinds", "--no-write")
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and len(lines[0]) < 400, result.stderr[:1000]
    assert lines[0].startswith("validate: error: kinds/bad.yaml:") and reason in lines[0], lines


def test_billion_laughs_is_refused_at_once_and_in_little_memory(tmp_path):
    write(tmp_path / "kinds" / "laughs.yaml", laughs())
    write(tmp_path / "good.md", GOOD_PAGE)
    # A child process, so that a regression costs it, not the test session, the 4 GB.
    result = run_validate("good.md", "--schemas", "kinds", "--no-write", cwd=tmp_path, timeout=30)
    stdout, stderr = text_of(result)
    assert result.returncode == 2
    assert_one_line_error(stderr, "kinds/laughs.yaml", "anchors and aliases")


def test_a_schema_file_that_is_a_fifo_is_refused_without_blocking(cli, in_tmp):
    (in_tmp / "kinds").mkdir()
    os.mkfifo(in_tmp / "kinds" / "pipe.yaml")
    write(in_tmp / "good.md", GOOD_PAGE)
    with fifo_guard(in_tmp / "kinds" / "pipe.yaml"):
        result = cli("good.md", "--schemas", "kinds", "--no-write")
    assert result.exit_code == 2
    assert "kinds/pipe.yaml: cannot read: not a regular file (a fifo)" in result.stderr


# --- schema YAML: values that parse but mean nothing ------------------------------------------------

@pytest.mark.parametrize("memory, reason", [
    ("{type: number, unit: GiB, min: .nan}", "min must be a finite number"),
    ("{type: number, unit: GiB, min: .inf}", "min must be a finite number"),
    ("{type: number, unit: GiB, max: -.inf}", "max must be a finite number"),
    ("{type: number, unit: GiB, max: " + "9" * 400 + "}", "max must be a finite number"),
    ("{type: number, unit: GiB, min: 10, max: 1}", "max 1 is below min 10"),
    ("{type: number, unit: parsecs}", "unit 'parsecs' is not in the units reference"),
    ("{type: number, unit: GiB, min: true}", "min must be a finite number"),
])
def test_schema_values_that_mean_nothing_are_refused(cli, in_tmp, memory, reason):
    write(in_tmp / "kinds" / "flavors.yaml", SCHEMA.replace(
        "{aliases: [Memory], type: number, unit: GiB, required: true}", memory))
    write(in_tmp / "flavors.md", FLAVORS_PAGE)
    result = cli("flavors.md", "--schemas", "kinds", "--no-write")
    assert result.exit_code == 2
    assert result.stderr.startswith("validate: error: kinds/flavors.yaml:"), result.stderr
    assert reason in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_rule_option_in_a_schema_file_must_be_finite(cli, in_tmp, value):
    code, name = number_option()
    write(in_tmp / "kinds" / "flavors.yaml", SCHEMA + f"rules:\n  {code}: {{{name}: {value}}}\n")
    write(in_tmp / "flavors.md", FLAVORS_PAGE)
    result = cli("flavors.md", "--schemas", "kinds", "--no-write")
    assert result.exit_code == 2
    assert f"option {name!r} must be a finite number" in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("entry, reason", [
    ("{factor: .nan, spellings: [pc]}", "factor must be a positive finite number"),
    ("{factor: .inf, spellings: [pc]}", "factor must be a positive finite number"),
])
def test_a_units_reference_with_a_factor_that_is_not_finite(cli, in_tmp, entry, reason):
    write(in_tmp / "kinds" / "reference" / "units.yaml",
          f"dimensions:\n  distance:\n    canonical: m\n    units:\n      - {{factor: 1, spellings: [m]}}\n"
          f"      - {entry}\n")
    write(in_tmp / "good.md", GOOD_PAGE)
    result = cli("good.md", "--schemas", "kinds", "--no-write")
    assert result.exit_code == 2
    assert "kinds/reference/units.yaml" in result.stderr and reason in result.stderr


def test_an_accelerator_memory_that_is_not_a_number(cli, in_tmp):
    write(in_tmp / "kinds" / "reference" / "accelerators.yaml",
          "accelerators:\n  huge: {memory: 1.2.3 GiB, units: 1}\n")
    write(in_tmp / "good.md", GOOD_PAGE)
    result = cli("good.md", "--schemas", "kinds", "--no-write")
    assert result.exit_code == 2
    assert "memory must be like '1024 GiB'" in result.stderr and "Traceback" not in result.stderr


def test_two_schema_files_with_one_name_are_an_error_naming_both(cli, in_tmp):
    write(in_tmp / "kinds" / "a.yaml", SCHEMA)
    write(in_tmp / "kinds" / "b.yml", SCHEMA)
    write(in_tmp / "flavors.md", FLAVORS_PAGE)
    result = cli("flavors.md", "--schemas", "kinds", "--no-write")
    assert result.exit_code == 2
    assert "kinds/b.yml" in result.stderr and "kinds/a.yaml" in result.stderr
    assert "'flavors' is already declared" in result.stderr


def test_a_schema_file_may_not_take_a_built_in_name_silently(cli, in_tmp):
    write(in_tmp / "kinds" / "guide.yaml", SCHEMA.replace("name: flavors", "name: finetune_guide"))
    write(in_tmp / "good.md", GOOD_PAGE)
    result = cli("good.md", "--schemas", "kinds", "--no-write")
    assert result.exit_code == 2
    assert "kinds/guide.yaml" in result.stderr and "finetune_guide.yaml" in result.stderr


@pytest.mark.parametrize("name", ["../evil", "a/b", "/tmp/evil", "..", "anomalies.json", "Evil",
                                  "x\ny", "evil\n", "evil\u2024csv"])
def test_a_schema_name_cannot_leave_the_output_directory(cli, in_tmp, name):
    write(in_tmp / "kinds" / "evil.yaml", SCHEMA.replace("name: flavors", f"name: {json.dumps(name)}"))
    write(in_tmp / "flavors.md", FLAVORS_PAGE)
    result = cli("flavors.md", "--schemas", "kinds", "--out", "out/reports")
    assert result.exit_code == 2
    assert "kinds/evil.yaml:1: `name` must be a lower-case identifier" in result.stderr
    assert not (in_tmp / "out").exists() and not (in_tmp / "evil.csv").exists()

"""One runner for every rule's case file (tests/rules/cases/CODE.yaml).

A case holds a markdown document (or several files, for rules that compare pages), the
options to run the rule with, for the rules that judge an edit the page `before` it (as at
the last commit), and the findings expected from that rule: a list of
{line, column, field, file} (column, field and file optional). `expect: []` is a case that
must stay quiet. `pytest -k D401` runs one rule's cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from validate.config import Settings
from validate.engine import Checker
from validate.history import Previous
from validate.sources import read_source

CASES = Path(__file__).resolve().parent / "rules" / "cases"


def _load_cases():
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{data['rule']}-{case['name']}")


@pytest.mark.parametrize(("code", "case"), list(_load_cases()))
def test_rule_case(code, case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = case.get("files") or {"page.md": case["markdown"]}
    for name, content in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    settings = Settings(select=case.get("select", [code]),
                        rule_options={code: case["options"]} if case.get("options") else {},
                        pairing=case.get("pairing", {}))
    schema_dirs = []
    for name, content in (case.get("schemas") or {}).items():
        directory = tmp_path / "_schemas"
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(content, encoding="utf-8")
        schema_dirs = [str(directory)]
    # Change rules compare with the page at a revision: `before` holds it (a text for page.md,
    # or a mapping of file names to texts).
    before = case.get("before")
    if isinstance(before, str):
        before = {"page.md": before}
    previous = {name: Previous(ref="HEAD", text=text) for name, text in (before or {}).items()}
    report = Checker(settings, schema_dirs).run((read_source(name) for name in sorted(files)),
                                                previous=previous or None)
    assert not report.internal_errors, [f.message for f in report.internal_errors]
    found = [f for f in report.findings if f.code == code]
    expected = case["expect"]
    got = []
    for finding in found:
        entry = {"line": finding.line}
        for key in ("column", "field", "file"):
            if any(key in e for e in expected):
                entry[key] = getattr(finding, key)
        got.append(entry)
    want = [dict(e) for e in expected]
    key = lambda e: (e.get("file", ""), e["line"], e.get("column", 0), str(e.get("field")))  # noqa: E731
    assert sorted(got, key=key) == sorted(want, key=key), \
        "\n".join(f"{f.file}:{f.line}:{f.column} {f.code} {f.message}" for f in found)
    for finding in found:
        assert finding.message and "\n" not in finding.message

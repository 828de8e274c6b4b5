"""Meta-tests: every rule is documented, tested both ways, and listed in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from validate.catalogue import render_readme_table, update_readme
from validate.findings import CATEGORIES
from validate.rules import ALL_RULES
from validate.rules.base import DOC_HEADINGS

CASES = Path(__file__).resolve().parent / "rules" / "cases"
README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_doc_has_every_heading_in_order(rule):
    sections = rule.doc_sections()
    assert list(sections) == list(DOC_HEADINGS)
    assert all(sections[h] for h in DOC_HEADINGS), "a section is empty"
    assert "```markdown" in sections["Example that fires"]
    assert "```markdown" in sections["Example that does not"]
    for option in rule.options:
        assert f"`{option.name}`" in sections["Options"], f"option {option.name} undocumented"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_has_cases_that_fire_and_cases_that_do_not(rule):
    if rule.scope == "engine":
        # Reported by the engine when another check fails: no page makes it fire, so a test
        # breaks a rule on purpose instead.
        isolation = Path(__file__).resolve().parent / "test_isolation.py"
        assert rule.code in isolation.read_text(encoding="utf-8")
        return
    path = CASES / f"{rule.code}.yaml"
    assert path.is_file(), f"missing {path.name}"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["rule"] == rule.code
    assert any(case["expect"] for case in data["cases"]), "no case that fires"
    assert any(not case["expect"] for case in data["cases"]), "no case that stays quiet"


def test_codes_and_names_are_unique_and_categories_known():
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)
    assert {r.category for r in ALL_RULES} <= set(CATEGORIES)
    assert all(r.code[0] == {"structure": "S", "format": "F", "missing": "M", "duplicate": "D",
                             "consistency": "C", "capacity": "K", "translation": "T"}[r.category]
               for r in ALL_RULES)


def test_readme_rule_table_is_generated_from_the_rules():
    text = README.read_text(encoding="utf-8")
    assert update_readme(text) == text, "run `python -m validate.catalogue` to refresh README.md"
    assert render_readme_table() in text

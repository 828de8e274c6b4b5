"""Which pages are language versions of each other."""

from __future__ import annotations

import pytest

from validate.errors import ConfigError
from validate.pairing import PairingRules, find_pairs


def test_suffix_and_directory_conventions():
    rules = PairingRules()
    paths = ["raw/guide.en.md", "raw/guide.ko.md", "site/Docs/page.md", "site/ko/Docs/page.md",
             "site/Docs/alone.md"]
    assert find_pairs(paths, rules) == [("raw/guide.en.md", "raw/guide.ko.md"),
                                        ("site/Docs/page.md", "site/ko/Docs/page.md")]
    assert rules.language("site/ko/Docs/page.md") == "ko"
    assert rules.language("raw/guide.ko.md") == "ko"


def test_pairing_is_configurable():
    rules = PairingRules.from_config({"suffixes": ["en", "ja"], "directories": ["ja"]}, "cfg")
    assert find_pairs(["a.en.md", "a.ja.md", "a.ko.md"], rules) == [("a.en.md", "a.ja.md")]
    assert find_pairs(["a.en.md", "a.ko.md"], PairingRules.from_config({"enabled": False}, "cfg")) == []


@pytest.mark.parametrize("table", [{"suffix": ["en"]}, {"suffixes": "en"}, {"enabled": "yes"}])
def test_bad_pairing_config_is_an_error(table):
    with pytest.raises(ConfigError):
        PairingRules.from_config(table, "pyproject.toml")


def test_translation_findings_on_the_raw_pages(cli, repo):
    import json

    result = cli(repo / "raw" / "llm_param_guide.ko.md", repo / "raw" / "llm_param_guide.en.md",
                 "--format", "json", "--no-write", "--select", "T")
    found = json.loads(result.stdout)["anomalies"]
    versions = {(a["file"].split("/")[-1], a["line"]) for a in found if a["code"] == "T703"}
    # The same measurements, published as 24.3.0/24.2.0 in Korean and 24.5.0 in English.
    assert versions == {("llm_param_guide.ko.md", 46), ("llm_param_guide.ko.md", 53),
                        ("llm_param_guide.ko.md", 54), ("llm_param_guide.en.md", 32),
                        ("llm_param_guide.en.md", 35), ("llm_param_guide.en.md", 36)}
    llama = [a for a in found if a["code"] == "T702" and a["line"] == 19 and a["field"] == "vram"]
    assert llama[0]["evidence"]["other_value"] == "699,751 MiB"
    assert llama[0]["evidence"]["other_line"] == 23

"""SARIF 2.1.0 for code-scanning uploads; rule metadata comes from the rule docs."""

from __future__ import annotations

import json

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def sarif_dict(report) -> dict:
    rules = sorted(report.rules, key=lambda r: r.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    for f in report.findings:
        result = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": f.file},
                "region": {"startLine": f.line, "startColumn": f.column},
            }}],
            "properties": {"category": f.category, "field": f.field, "value": f.value,
                           "evidence": f.evidence},
        }
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": report.tool["name"],
                "version": report.tool["version"],
                "informationUri": "https://github.com/",
                "rules": [{
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary},
                    "fullDescription": {"text": rule.doc_sections().get("What it checks", rule.summary)},
                    "help": {"text": rule.doc, "markdown": rule.doc},
                    "defaultConfiguration": {"level": _LEVEL[rule.severity]},
                    "properties": {"category": rule.category},
                } for rule in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def render_sarif(report) -> str:
    return json.dumps(sarif_dict(report), ensure_ascii=False, indent=2) + "\n"

"""SARIF 2.1.0 for code-scanning uploads: a result per problem; rule metadata from the rule docs."""

from __future__ import annotations

import json

def _all_rules():
    from validate.rules import ALL_RULES

    return ALL_RULES


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _location(finding) -> dict:
    return {"artifactLocation": {"uri": finding.file},
            "region": {"startLine": finding.line, "startColumn": finding.column}}


def sarif_dict(report) -> dict:
    used = {report.findings[p.primary].code for p in report.problems}
    rules = sorted(set(report.rules) | {r for r in _all_rules() if r.code in used}, key=lambda r: r.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    # One result per problem, at its primary cell; the other cells it covers are related
    # locations (code scanning shows one alert per root cause, with every cell a click away).
    results = []
    for problem in report.problems:
        f = report.findings[problem.primary]
        related = [{
            "id": number,
            "physicalLocation": _location(other),
            "message": {"text": f"{other.code} {other.message}"},
        } for number, other in enumerate(
            (report.findings[i] for i in problem.anomalies if i != problem.primary), 1)]
        result = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL[problem.severity],
            "message": {"text": problem.summary},
            "locations": [{"physicalLocation": _location(f)}],
            "properties": {"problem": problem.id, "cells": len(problem.anomalies),
                           "codes": sorted({report.findings[i].code for i in problem.anomalies}),
                           "category": f.category, "field": f.field, "value": f.value,
                           "evidence": f.evidence},
        }
        if related:
            result["relatedLocations"] = related
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

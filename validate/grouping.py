"""Problems: the findings that share one root cause, grouped, ranked, with what to do.

A layer of its own, after the rules (and suppressions and baselines) and before the writers:
rules report cells; a reviewer fixes problems. One pasted value on three rows is three
findings and one problem; one configuration that differs between two language versions is
a finding per field and per side, and one problem.

How findings link is declared by each rule (`Rule.grouping`), never decided here by code:

- `cell`: findings on one cell (or one row, for row findings) belong together
  (`1403,2189` is badly grouped *and* lacks its unit);
- `row`: findings of one category on one row belong together (two consistency rules that
  blame one row for one reason; one configuration's fields differing between versions);
- `listed-rows`: a finding belongs with the findings of its rule on the rows its evidence
  lists (`other_rows`): the rows sharing a pasted value, a copied block;
- `adjacent-rows`: findings of one rule on neighbouring rows of one table belong together
  (a block of rows added before they were measured, a block measured apart from the rest);
- `counterpart`: a finding belongs with the finding of its rule at the other language
  version's line (`other_file`, `other_line`);
- `column`: the findings of one rule in one column are one problem (a column's style);
- `field-pair`: the findings of one rule on one field in two language versions;
- `model-pair`: the findings of one rule on one model (`evidence.model`) in two language
  versions: the rows of a model that one version lists and the other does not;
- `version-bump`: the findings of one rule between the same two files whose newer platform
  version (of `evidence.version` and `evidence.other_version`) is the same: rows relabelled
  to one new version without new measurements, in one edit;
- `same-evidence:KEY,KEY`: the findings of one rule, between the same two files, whose
  evidence has the same values under those keys (and they differ from each other: one
  platform version relabelled as another on several rows is one edit);
- nothing: each finding is a problem of its own.

Every finding belongs to exactly one problem. Problems are ranked: errors first; within a
severity, the stronger the evidence (chance, ratio to tolerance, cells touched) the higher;
problems of style only (the rule says `style=True`) come last.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from validate.findings import SEVERITY_RANK, Finding


@dataclass
class Problem:
    id: str
    severity: str
    code: str
    summary: str                      # one sentence: what is wrong, then what to do
    primary: int                      # index into the report's findings
    anomalies: list[int]              # indexes into the report's findings, primary included
    strength: float = 0.0
    style: bool = False
    stale: dict[str, Any] | None = field(default=None)   # translations: which side, and why

    def as_dict(self) -> dict[str, Any]:
        entry = {"id": self.id, "severity": self.severity, "code": self.code,
                 "summary": self.summary, "primary": self.primary, "anomalies": self.anomalies,
                 "cells": len(self.anomalies)}
        if self.stale:
            entry["stale"] = self.stale
        return entry


class _Sets:
    """Union-find over finding indexes."""

    def __init__(self, count: int):
        self.parent = list(range(count))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def group_problems(findings: list[Finding], rules: dict[str, Any]) -> list[Problem]:
    """The problems `findings` describe, in rank order (see the module's doc)."""
    sets = _Sets(len(findings))
    keys: dict[tuple, int] = {}

    def link(key: tuple, index: int) -> None:
        if key in keys:
            sets.join(keys[key], index)
        else:
            keys[key] = index

    at: dict[tuple, list[int]] = {}      # (file, line, code) -> findings, for row and line links
    by_row: dict[tuple, dict[int, int]] = {}   # (code, file, table) -> row -> a finding
    for index, finding in enumerate(findings):
        at.setdefault((finding.file, finding.line, finding.code), []).append(index)
    for index, finding in enumerate(findings):
        grouping = getattr(rules.get(finding.code), "grouping", ())
        place = (finding.file, finding.table_index)
        if "cell" in grouping:
            link(("cell", finding.file, finding.line, finding.column), index)
        if "row" in grouping and finding.row_index is not None:
            link(("row", *place, finding.row_index, finding.category), index)
        if "model-pair" in grouping and finding.evidence.get("model"):
            other = finding.evidence.get("other_file") or ""
            link(("model-pair", finding.code, finding.evidence["model"],
                  *sorted((finding.file, other))), index)
        if "version-bump" in grouping:
            versions = [finding.evidence.get("version"), finding.evidence.get("other_version")]
            if all(versions) and versions[0] != versions[1]:
                newer = max(versions, key=_version_parts)
                other = finding.evidence.get("other_file") or ""
                link(("version-bump", finding.code, newer, *sorted((finding.file, other))), index)
        for kind in grouping:
            if kind.startswith("same-evidence:"):
                names = kind.split(":", 1)[1].split(",")
                values = tuple(str(finding.evidence.get(n)) for n in names)
                if None not in (finding.evidence.get(n) for n in names) and len(set(values)) > 1:
                    other = finding.evidence.get("other_file") or ""
                    link((kind, finding.code, *sorted((finding.file, other)), *sorted(values)), index)
        if "column" in grouping:
            link(("column", finding.code, *place, finding.field or finding.column), index)
        if "field-pair" in grouping:
            other = finding.evidence.get("other_file") or ""
            link(("field-pair", finding.code, finding.field, *sorted((finding.file, other))), index)
        if "adjacent-rows" in grouping and finding.row_index is not None:
            by_row.setdefault((finding.code, *place), {})[finding.row_index] = index
        if "listed-rows" in grouping:
            for row in finding.evidence.get("other_rows") or ():
                line = row.get("line") if isinstance(row, dict) else None
                for other in at.get((finding.file, line, finding.code), ()):
                    sets.join(index, other)
        if "counterpart" in grouping:
            other_file, other_line = finding.evidence.get("other_file"), finding.evidence.get("other_line")
            for other in at.get((other_file, other_line, finding.code), ()):
                if findings[other].field == finding.field:
                    sets.join(index, other)
    for rows in by_row.values():
        for row, index in rows.items():
            if row + 1 in rows:
                sets.join(index, rows[row + 1])
    members: dict[int, list[int]] = {}
    for index in range(len(findings)):
        members.setdefault(sets.find(index), []).append(index)
    problems = [_problem(findings, indexes, rules) for indexes in members.values()]
    problems.sort(key=_rank)
    for number, problem in enumerate(problems, 1):
        problem.id = f"P{number}"
    return problems


def strength(finding: Finding) -> float:
    """How strong a finding's evidence is, read from the evidence its rule gives (0 to ~30)."""
    evidence = finding.evidence
    chance = evidence.get("expected_by_chance")
    if isinstance(chance, (int, float)) and chance > 0:
        return min(30.0, -math.log10(chance))
    ratio, allowed = evidence.get("ratio"), evidence.get("allowed")
    if isinstance(ratio, (int, float)) and ratio > 0 and isinstance(allowed, (int, float)) and allowed > 0:
        return abs(math.log(ratio)) / allowed
    factor = evidence.get("factor")
    if isinstance(ratio, (int, float)) and ratio > 0 and isinstance(factor, (int, float)) and factor > 1:
        return abs(math.log(ratio)) / math.log(factor)
    drop, tolerance = evidence.get("drop"), evidence.get("tolerance")
    if isinstance(drop, (int, float)) and isinstance(tolerance, (int, float)) and tolerance > 0:
        return drop / tolerance
    return 1.0


def _problem(findings: list[Finding], indexes: list[int], rules: dict[str, Any]) -> Problem:
    stale = _stale_side(findings, indexes)
    def order(index):
        finding = findings[index]
        on_stale = stale is not None and finding.file == stale["file"]
        return (-SEVERITY_RANK[finding.severity], not on_stale, -strength(finding),
                finding.sort_key())
    ranked = sorted(indexes, key=order)
    primary = findings[ranked[0]]
    rule = rules.get(primary.code)
    severity = max((findings[i].severity for i in indexes), key=lambda s: SEVERITY_RANK[s])
    style = all(getattr(rules.get(findings[i].code), "style", False) for i in indexes)
    cells = len(indexes)
    best = max(strength(findings[i]) for i in indexes)
    summary = primary.message
    if stale is not None:
        summary = f"{stale['file']} looks stale ({stale['why']}): {summary}"
    todo = _what_to_do(rule)
    if todo:
        summary += f". What to do: {todo}"
    return Problem(id="", severity=severity, code=primary.code, summary=summary,
                   primary=ranked[0], anomalies=sorted(indexes), strength=best + math.log2(cells),
                   style=style, stale=stale)


def _rank(problem: Problem) -> tuple:
    return (-SEVERITY_RANK[problem.severity], problem.style, -problem.strength,
            -len(problem.anomalies), problem.primary)


def _what_to_do(rule: Any) -> str:
    """The first sentence of the rule's `Fix` section."""
    if rule is None:
        return ""
    text = " ".join(rule.doc_sections().get("Fix", "").split())
    end = text.find(". ")
    sentence = text if end < 0 else text[:end + 1]
    return sentence.rstrip(".") + "." if sentence else ""


def _stale_side(findings: list[Finding], indexes: list[int]) -> dict[str, Any] | None:
    """For a problem between two language versions: the side that looks stale, and why.

    The side with the older platform version; otherwise the side whose cells its own page's
    rules also flag (its value disagrees with the other rows of its page)."""
    sides = {findings[i].file for i in indexes}
    pair = [findings[i] for i in indexes if findings[i].evidence.get("other_file") in sides]
    if len(sides) != 2 or not pair:
        return None
    for finding in pair:
        mine, theirs = finding.evidence.get("version"), finding.evidence.get("other_version")
        if mine and theirs and mine != theirs and _older(mine, theirs):
            return {"file": finding.file, "why": f"platform version {mine} against {theirs} in "
                                                 f"{finding.evidence['other_file']}"}
    doubted = sorted({(findings[i].file, findings[i].code) for i in indexes
                      if findings[i].category != "translation"})
    if len({file for file, _ in doubted}) == 1:
        file = doubted[0][0]
        codes = ", ".join(code for _, code in doubted)
        return {"file": file, "why": f"its own page's other rows disagree with it ({codes})"}
    return None


def _version_parts(version: str) -> list[int]:
    return [int(p) if p.isdigit() else 0 for p in version.lstrip("vV").split(".")]


def _older(a: str, b: str) -> bool:
    return _version_parts(a) < _version_parts(b)

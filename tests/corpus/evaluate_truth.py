"""How well the default rules predict the maintainers' later corrections.

Runs the checker over every published version in ../shared/corpus/versions/ (each page on
its own) and compares the findings with ../shared/corpus/truth.json:

- corrected cells (value_fix, format_fix, filled) the tool flagged before the correction,
  by kind and field; the one systematic relabel is left out, as truth.json advises;
- deleted rows the tool flagged (many anomalous rows were deleted rather than fixed);
- flagged cells that were never corrected and whose row stayed, by rule.

A correction is evidence that the earlier value was wrong, not proof; a value never corrected
may still be wrong. Run: python tests/corpus/evaluate_truth.py [--shared DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from validate.config import Settings
from validate.engine import Checker
from validate.sources import read_source

HERE = Path(__file__).resolve()


def _covers(finding, field: str) -> bool:
    """A finding flags a cell when it names its field (or lists it among a row's empty ones)."""
    return finding.field == field or field in finding.evidence.get("empty_fields", [])


def evaluate(shared: Path) -> dict:
    truth = json.loads((shared / "corpus" / "truth.json").read_text(encoding="utf-8"))
    versions = shared / "corpus" / "versions"
    checker = Checker(Settings())
    corrected = defaultdict(list)      # (version, line) -> [cell]
    for cell in truth["cells"]:
        if not cell.get("systematic"):
            corrected[(cell["version"], cell["line"])].append(cell)
    deleted = {(row["version"], row["line"]) for row in truth["deleted_rows"]}

    flagged_cells = Counter()
    missed_cells = Counter()
    rows_corrected = rows_flagged = 0
    deleted_flagged = 0
    uncorrected_by_rule = Counter()
    uncorrected_examples: dict[str, str] = {}
    rows_flagged_by_rule = Counter()
    for path in sorted(versions.glob("*.md")):
        report = checker.run([read_source(str(path))])
        by_line = defaultdict(list)
        for finding in report.findings:
            by_line[finding.line].append(finding)
        name = path.name
        for (version, line), cells in corrected.items():
            if version != name:
                continue
            rows_corrected += 1
            rows_flagged += bool(by_line.get(line))
            for cell in cells:
                hit = any(_covers(f, cell["field"]) for f in by_line.get(line, []))
                (flagged_cells if hit else missed_cells)[(cell["kind"], cell["field"])] += 1
        for version, line in deleted:
            if version == name and by_line.get(line):
                deleted_flagged += 1
                for code in {f.code for f in by_line[line]}:
                    rows_flagged_by_rule[code] += 1
        for finding in report.findings:
            key = (name, finding.line)
            if key in deleted:
                continue
            fields = {c["field"] for c in corrected.get(key, [])}
            if any(_covers(finding, field) for field in fields):
                continue
            if finding.field is None and fields:
                continue
            uncorrected_by_rule[finding.code] += 1
            uncorrected_examples.setdefault(finding.code, f"{name}:{finding.line}: {finding.message}")
    total_deleted = len(deleted)
    return {
        "corrected_cells": sum(flagged_cells.values()) + sum(missed_cells.values()),
        "corrected_cells_flagged": sum(flagged_cells.values()),
        "corrected_rows": rows_corrected,
        "corrected_rows_flagged": rows_flagged,
        "flagged_by_kind_field": {f"{k}/{f}": n for (k, f), n in sorted(flagged_cells.items())},
        "missed_by_kind_field": {f"{k}/{f}": n for (k, f), n in sorted(missed_cells.items())},
        "deleted_rows": total_deleted,
        "deleted_rows_flagged": deleted_flagged,
        "deleted_rows_flagged_by_rule": dict(sorted(rows_flagged_by_rule.items())),
        "flagged_never_corrected": sum(uncorrected_by_rule.values()),
        "flagged_never_corrected_by_rule": dict(sorted(uncorrected_by_rule.items())),
        "examples_never_corrected": dict(sorted(uncorrected_examples.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parents[3] / "shared")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = evaluate(args.shared)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print(f"corrected cells flagged before the correction: {result['corrected_cells_flagged']} "
          f"of {result['corrected_cells']}")
    print(f"rows with a correction that had a finding on them: {result['corrected_rows_flagged']} "
          f"of {result['corrected_rows']}")
    for key, count in result["flagged_by_kind_field"].items():
        print(f"  flagged {key}: {count}")
    for key, count in result["missed_by_kind_field"].items():
        print(f"  missed  {key}: {count}")
    print(f"deleted rows flagged: {result['deleted_rows_flagged']} of {result['deleted_rows']}")
    print(f"flagged cells never corrected (row kept): {result['flagged_never_corrected']}")
    for code, count in result["flagged_never_corrected_by_rule"].items():
        print(f"  {code}: {count}  e.g. {result['examples_never_corrected'][code][:150]}")


if __name__ == "__main__":
    main()

"""
## What it checks
Two language versions of a page (`NAME.en.md` / `NAME.ko.md`, or `ko/PATH` / `PATH`) list the
same configurations in each table of a kind. A model that the other version does not list at
all is one finding at its first row, naming the model and its rows. Other rows whose
configuration (the schema's `key`) the other version lacks are flagged one by one, in their
own file; when more than `max_rows` rows of one model lack a counterpart, one finding at the
model's first unmatched row lists them instead.

## Why it matters
A translated page drifts when rows are added, removed or re-keyed on one side only: readers
of the two languages then see different benchmark matrices and cannot both be right.

## Example that fires
`guide.en.md` lists Llama3 8B on 2xlarge; `guide.ko.md` has only Llama2 13B:
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 93,291 TPS |
```

## Example that does not
Both versions list the same configurations, whatever the header language:
```markdown
| 모델명 | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 93,291 TPS |
```

## Options
- `max_rows` (default 5): above this many unmatched rows of one model, one finding at the
  model's first unmatched row replaces the row findings.

## Fix
Add the missing rows to the other version, or remove the stale ones.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import describe_row
from validate.rules.translation.common import match_rows


def _model_of(parsed, row):
    return str(parsed.typed_cells("model")[row]) if "model" in parsed.values.columns else ""


def _lines(parsed, rows):
    lines = [parsed.line(r) for r in rows]
    if lines == list(range(lines[0], lines[0] + len(lines))) and len(lines) > 2:
        return f"lines {lines[0]}-{lines[-1]}"
    return "line" + ("s " if len(lines) > 1 else " ") + ", ".join(map(str, lines[:8])) + (
        f" and {len(lines) - 8} more" if len(lines) > 8 else "")


def check(ctx, options):
    matched, left_only, right_only = match_rows(ctx)
    for side, rows in (("left", left_only), ("right", right_only)):
        parsed, other = ctx.side(side), ctx.side(ctx.other(side))
        if not rows:
            continue
        other_models = ({str(m) for m in other.typed_cells("model")}
                        if "model" in other.values.columns else set())
        by_model: dict[str, list[int]] = {}
        for row in rows:
            by_model.setdefault(_model_of(parsed, row), []).append(row)
        for model, model_rows in by_model.items():
            evidence = {"other_file": other.path, "other_table_line": other.table.line,
                        "model": model or None, "lines": [parsed.line(r) for r in model_rows],
                        "rows": [describe_row(parsed, r) for r in model_rows[:5]],
                        "rows_total": len(model_rows)}
            if model and model not in other_models:
                yield side, Hit(
                    message=(f"{model} ({_lines(parsed, model_rows)}, {len(model_rows)} "
                             f"row{'s' if len(model_rows) > 1 else ''}) appears in this version "
                             f"only: {other.path} lists no row of it"),
                    row=model_rows[0], evidence=evidence)
            elif len(model_rows) > options.max_rows:
                yield side, Hit(
                    message=(f"{len(model_rows)} rows of {model or 'the table'} "
                             f"({_lines(parsed, model_rows)}) have no counterpart in {other.path} "
                             f"(table at line {other.table.line})"),
                    row=model_rows[0], evidence=evidence)
            else:
                for row in model_rows:
                    yield side, Hit(
                        message=(f"row {describe_row(parsed, row)} has no counterpart in "
                                 f"{other.path} (table at line {other.table.line})"),
                        row=row, evidence={"other_file": other.path,
                                           "other_table_line": other.table.line,
                                           "model": model or None})


RULE = Rule(grouping=("row", "model-pair"), code="T701", name="row-missing-in-translation", category="translation",
            severity="warning",
            summary="A configuration appears in one language version of a page only.",
            doc=rule_doc(__doc__), scope="pair", check=check,
            view={"kind": "unmatched-rows", "rows": match_rows},
            options=(Option("max_rows", 5, "unmatched rows reported one by one, at most",
                            kind="integer", minimum=0),))

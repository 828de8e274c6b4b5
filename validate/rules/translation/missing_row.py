"""
## What it checks
Two language versions of a page (`NAME.en.md` / `NAME.ko.md`, or `ko/PATH` / `PATH`) list the
same configurations in each table of a kind. A row whose configuration (the schema's `key`)
the other version lacks is flagged in its own file. When more than `max_rows` rows of a
table lack a counterpart, one finding at the table's header lists them all instead.

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
- `max_rows` (default 5): above this many unmatched rows in a table, one table-level finding
  replaces the row findings.

## Fix
Add the missing rows to the other version, or remove the stale ones.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import describe_row
from validate.rules.translation.common import match_rows


def check(ctx, options):
    matched, left_only, right_only = match_rows(ctx)
    for side, rows in (("left", left_only), ("right", right_only)):
        parsed, other = ctx.side(side), ctx.side(ctx.other(side))
        if not rows:
            continue
        if len(rows) <= options.max_rows:
            for row in rows:
                yield side, Hit(
                    message=(f"row {describe_row(parsed, row)} has no counterpart in "
                             f"{other.path} (table at line {other.table.line})"),
                    row=row, evidence={"other_file": other.path, "other_table_line": other.table.line})
        else:
            lines = [parsed.line(r) for r in rows]
            yield side, Hit(
                message=(f"{len(rows)} of {parsed.table.row_count} rows have no counterpart in "
                         f"{other.path} (table at line {other.table.line}); the versions share "
                         f"{len(matched)} configurations"),
                row=None,
                evidence={"other_file": other.path, "other_table_line": other.table.line,
                          "unmatched_lines": lines, "shared_configurations": len(matched),
                          "unmatched_rows": [describe_row(parsed, r) for r in rows]})


RULE = Rule(code="T701", name="row-missing-in-translation", category="translation",
            severity="warning",
            summary="A configuration appears in one language version of a page only.",
            doc=rule_doc(__doc__), scope="pair", check=check,
            options=(Option("max_rows", 5, "unmatched rows reported one by one, at most",
                            kind="integer", minimum=0),))

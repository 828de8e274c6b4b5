"""
## What it checks
The tables of a kind in two language versions of a page have the same columns (the same
schema fields, whatever each header's language). A field one version has and the other lacks
is flagged at its header cell.

## Why it matters
A column added to one version (token counts in Korean only) or dropped from one (throughput
hidden in English) means the two pages publish different data; one of them is behind.

## Example that fires
`guide.en.md` has no token column; `guide.ko.md`:
```markdown
| 모델명 | MoAI Accelerator | batch size | sequence length | token 갯수 |
| --- | --- | --- | --- | --- |
| Mistral 7B | 2xlarge | 256 | 1024 | 27B |
```

## Example that does not
Both versions have the same fields under headers in their own language.
```markdown
| 모델명 | MoAI Accelerator | batch size | sequence length |
| --- | --- | --- | --- |
| Mistral 7B | 2xlarge | 256 | 1024 |
```

## Options
None.

## Fix
Add the column to the other version, or remove it from this one.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc


def check(ctx, options):
    for side in ("left", "right"):
        here, there = ctx.side(side), ctx.side(ctx.other(side))
        for field in here.fields:
            if field not in there.values.columns:
                header = here.table.header[here.match.columns[field]]
                yield side, Hit(
                    message=(f"column {header!r} ({field}) is in this version only: "
                             f"{there.path} (table at line {there.table.line}) has no column for it"),
                    row=None, field=field,
                    evidence={"other_file": there.path, "other_table_line": there.table.line,
                              "other_fields": there.fields})


RULE = Rule(grouping=("field-pair",), code="T705", name="column-missing-in-translation", category="translation",
            severity="warning",
            summary="A column appears in one language version of a table only.",
            doc=rule_doc(__doc__), scope="pair", check=check)

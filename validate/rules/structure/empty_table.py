"""
## What it checks
A table matched to a schema has at least one data row below its delimiter row. Tables that
match no schema are left alone: a header-only table is a common layout for a row of logos
or images.

## Why it matters
A header without rows renders as an empty table: usually the rows were cut by a blank line
or an HTML comment between the delimiter row and the first row, which ends the table.

## Example that fires
```markdown
| model | vram |
| --- | --- |

| Llama2 13B | 699,751 MiB |
```

## Example that does not
```markdown
| model | vram |
| --- | --- |
| Llama2 13B | 699,751 MiB |
```

## Options
None.

## Fix
Remove the blank line (or whatever ends the table) before the rows, or delete the table.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc


def check(ctx):
    if ctx.match is None or ctx.match.schema is None:
        return
    if not ctx.table.row_count:
        yield Hit(message="table has a header but no rows", row=None,
                  evidence={"header": ctx.table.header})


RULE = Rule(code="S106", name="empty-table", category="structure", severity="warning",
            summary="A table has no data rows.",
            doc=rule_doc(__doc__), scope="table", check=check)

"""
## What it checks
Every header cell has a name.

## Why it matters
A column without a name cannot be matched to a field, so its values are never checked,
and readers cannot tell what the numbers in it mean.

## Example that fires
```markdown
| model |  | time |
| --- | --- | --- |
| Llama2 13B | 699,751 MiB | 560m |
```

## Example that does not
```markdown
| model | vram | time |
| --- | --- | --- |
| Llama2 13B | 699,751 MiB | 560m |
```

## Options
None.

## Fix
Name the column.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc


def check(ctx):
    for index, text in enumerate(ctx.table.header):
        if not text.strip():
            yield Hit(message=f"header cell {index + 1} of {ctx.table.width} is empty",
                      row=None, column_index=index,
                      evidence={"column": index + 1, "header": ctx.table.header})


RULE = Rule(code="S102", name="empty-header", category="structure", severity="error",
            summary="A header cell is empty.",
            doc=rule_doc(__doc__), scope="table", check=check)

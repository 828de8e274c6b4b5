"""
## What it checks
Every header cell of a table matched to a schema names its column, when the column holds
data. The empty corner cell of a matrix table (the first column's header, above row labels)
and spacer columns without data are conventional and not reported, and tables that match no
schema are left alone: there an empty header (a layout table of images, a key-value table
written `| | |`, a notes column) is the author's choice, not a slip.

## Why it matters
A column without a name cannot be matched to a field, so its values are never checked,
and readers cannot tell what the numbers in it mean.

## Example that fires
```markdown
| Model | MoAI Accelerator | | batch size |
| --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 699,751 MiB | 128 |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | vram Usage | batch size |
| --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 699,751 MiB | 128 |
```

## Options
None.

## Fix
Name the column.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc


def check(ctx):
    if ctx.match is None or ctx.match.schema is None:
        return
    table = ctx.table
    for index, text in enumerate(table.header):
        if index == 0 or text.strip():
            continue
        if not any(table.row(row)[index].strip() for row in range(table.row_count)):
            continue  # a spacer column
        yield Hit(message=f"header cell {index + 1} of {table.width} is empty, above a column "
                          f"with data: its values are checked as no field",
                  row=None, column_index=index,
                  evidence={"column": index + 1, "header": table.header})


RULE = Rule(code="S102", name="empty-header", category="structure", severity="error",
            summary="A header cell is empty.",
            doc=rule_doc(__doc__), scope="table", check=check)

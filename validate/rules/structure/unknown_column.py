"""
## What it checks
Every column of a table matched to a schema names one of the schema's fields (by any of
its aliases, in any language).

## Why it matters
A column no field claims is kept in the table but never checked, and it is missing from the
cleaned data. Usually it is a new measurement or a header spelled in a way the schema does
not know yet; either way someone should decide.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage | GPU temperature |
| --- | --- | --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 128 | 1024 | 699,751 MiB | 71 C |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage |
| --- | --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 128 | 1024 | 699,751 MiB |
```

## Options
None.

## Fix
Add the header as an alias of a field in the schema file, add a new field for it, or accept
the finding (it is information only).
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc


def check(ctx):
    match = ctx.match
    if match is None or match.schema is None:
        return
    for index in match.unknown:
        yield Hit(message=(f"column {ctx.table.header[index]!r} is not a field of "
                           f"{match.schema.name}; its values are kept but not checked"),
                  row=None, column_index=index,
                  evidence={"column": index + 1, "header": ctx.table.header[index],
                            "schema": match.schema.name,
                            "fields": sorted(match.schema.fields)})


RULE = Rule(code="S105", name="unknown-column", category="structure", severity="info",
            summary="A column is not a field of the table's schema.",
            doc=rule_doc(__doc__), scope="table", check=check)

"""
## What it checks
A table matched to a schema has a column for every field the schema marks `required`.

## Why it matters
Without the column, every row lacks the value, and the rules that need it (a configuration's
key, the throughput law) cannot run on the table at all.

## Example that fires
With the fine-tuning guide schema, where `accelerator` is required:
```markdown
| Model | batch size | sequence length | vram Usage | Training Time |
| --- | --- | --- | --- | --- |
| Llama2 13B | 128 | 1024 | 699,751 MiB | 560m |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage | Training Time |
| --- | --- | --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 128 | 1024 | 699,751 MiB | 560m |
```

## Options
None.

## Fix
Add the column (any of the field's aliases as its header), or mark the field not required
in the schema.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc


def check(ctx):
    match = ctx.match
    if match is None or match.schema is None:
        return
    for spec in match.schema.fields.values():
        if spec.required and spec.name not in match.columns:
            aliases = ", ".join(repr(a) for a in spec.aliases[:4])
            yield Hit(message=(f"required column {spec.name} is missing "
                               f"(write one of {aliases} as its header)"),
                      row=None,
                      evidence={"field": spec.name, "aliases": list(spec.aliases),
                                "schema": match.schema.name})


RULE = Rule(code="S104", name="missing-required-column", category="structure",
            severity="error", summary="A column the schema requires is missing.",
            doc=rule_doc(__doc__), scope="table", check=check)

"""
## What it checks
A row has a value in every field its schema marks `required` (for the fine-tuning guide:
model, accelerator, batch size, sequence length). A cell that renders empty (`<br>`) or only
says "no value" (`-`, `N/A`, `TBD`) counts as empty.

## Why it matters
Without its key fields, a row's measurements belong to no configuration: they cannot be
compared, deduplicated or paired with the other language version of the page.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage |
| --- | --- | --- | --- | --- |
| Llama2 13B | 2xlarge |  | 1024 | 699,751 MiB |
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
Fill in the value.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc


def check(texts, options, spec, parsed=None):
    from validate.cells import is_empty

    # What a reader sees: `<br>` renders as nothing, `-` or `N/A` say "no value".
    return ~is_empty(texts.fillna("").str.strip())


def explain(parsed, field, rows, options):
    for row in rows:
        yield Hit(message=f"required field {field} is empty", row=row, field=field,
                  evidence={"field": field})


RULE = Rule(grouping=("cell", "row"), code="M302", name="missing-required-value", category="missing", severity="error",
            summary="A required field is empty on a row.",
            doc=rule_doc(__doc__), scope="cells", aspect="rendered",
            applies_to=lambda spec: spec.required, check=check, explain=explain)

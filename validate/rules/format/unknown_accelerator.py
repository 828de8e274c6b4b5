"""
## What it checks
A flavor name that is well formed is also one of the flavors listed in
`schemas/reference/accelerators.yaml` (the platform's own list: small, large, xlarge,
1.5xlarge, 2xlarge, 3xlarge, 4xlarge, 6xlarge, 8xlarge, 12xlarge, 24xlarge, 48xlarge).

## Why it matters
A flavor the platform does not sell (`16xlarge`) is a typo or a flavor added since the list
was written; either way the capacity and per-unit checks cannot judge the row.

## Example that fires
```markdown
| Model | MoAI Accelerator |
| --- | --- |
| Llama2 13B | 16xlarge |
```

## Example that does not
```markdown
| Model | MoAI Accelerator |
| --- | --- |
| Llama2 13B | 8xlarge |
```

## Options
None.

## Fix
Correct the flavor, or add the new flavor to `schemas/reference/accelerators.yaml`.
"""

from validate.problems import UNKNOWN_ACCELERATOR
from validate.rules.common import problem_rule, source_text


def message(parsed, field, row):
    text = source_text(parsed, field, row)
    return (f"{field} {text!r} is not a known flavor (see schemas/reference/accelerators.yaml)",
            {"flavor": parsed.values[field].iat[row]})


RULE = problem_rule(code="F209", name="unknown-accelerator", problem=UNKNOWN_ACCELERATOR,
                    summary="An accelerator flavor is not in the reference list.",
                    severity="warning", doc=__doc__, message=message,
                    applies_to=lambda spec: spec.format == "accelerator")

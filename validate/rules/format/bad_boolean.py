"""
## What it checks
Cells of a boolean field say yes or no in a recognised way: True/False, yes/no, y/n, 1/0,
on/off, O/X, ✓/✗, 예/아니오, 적용/미적용 (any letter case).

## Why it matters
A flag written as `maybe` or `True (partial)` cannot be compared between rows or language
versions, and it leaves the cleaned value empty.

## Example that fires
```markdown
| Model | Advanced Parallelism is applied |
| --- | --- |
| Llama2 13B | partly |
```

## Example that does not
```markdown
| Model | Advanced Parallelism is applied |
| --- | --- |
| Llama2 13B | True |
```

## Options
None.

## Fix
Write True or False; put remarks in the surrounding text.
"""

from validate.problems import NOT_A_BOOLEAN
from validate.rules.common import problem_rule, source_text


def message(parsed, field, row):
    text = source_text(parsed, field, row)
    return (f"{field} {text!r} is not a yes/no value (expected True or False)",
            {"expected": ["True", "False"]})


RULE = problem_rule(code="F206", name="bad-boolean", problem=NOT_A_BOOLEAN,
                    summary="A boolean field holds something other than yes or no.",
                    doc=__doc__, message=message, applies_to=lambda spec: spec.type == "boolean")

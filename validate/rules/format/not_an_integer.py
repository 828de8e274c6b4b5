"""
## What it checks
Cells of an integer field (batch size, sequence length) hold whole numbers.

## Why it matters
A batch of 12.5 samples does not exist: a fractional value is a typo or a value from a
neighbouring column, and it would corrupt every computation that uses it.

## Example that fires
```markdown
| Model | batch size |
| --- | --- |
| Llama2 13B | 12.8 |
```

## Example that does not
```markdown
| Model | batch size |
| --- | --- |
| Llama2 13B | 128 |
```

## Options
None.

## Fix
Write the whole number.
"""

from validate.problems import NOT_AN_INTEGER
from validate.rules.common import problem_rule, source_text


def message(parsed, field, row):
    text = source_text(parsed, field, row)
    return (f"{field} {text!r} is not a whole number, which this column counts in: "
            f"a reader cannot trust it",
            {"expected": "integer"})


RULE = problem_rule(code="F205", name="not-an-integer", problem=NOT_AN_INTEGER,
                    summary="An integer field holds a fractional number.",
                    doc=__doc__, message=message, applies_to=lambda spec: spec.type == "integer")

"""
## What it checks
Every non-empty cell of a number column starts with a number (optionally followed by a
unit): `1,138,546 MiB`, `543816`, `1.5M`, `560m`, and one that a computer can hold (a number
of hundreds of digits is no measurement).

## Why it matters
A cell that is not a number gives the cleaned data an empty value and takes the row out of
every check that needs it, while the page still shows something that looks like data.
Words that mean "no value" (`-`, `N/A`, `TBD`) are treated as empty cells instead.

## Example that fires
```markdown
| Model | batch size | vram Usage |
| --- | --- | --- |
| Llama2 13B | 128 | about 700 GB |
```

## Example that does not
```markdown
| Model | batch size | vram Usage |
| --- | --- | --- |
| Llama2 13B | 128 | 699,751 MiB |
```

## Options
None.

## Fix
Write the number itself, with its unit; move remarks to the text around the table.
"""

from validate.problems import NOT_A_NUMBER, TOO_LARGE
from validate.rules.common import is_numeric, problem_rule, source_text


def message(parsed, field, row):
    text = source_text(parsed, field, row)
    spec = parsed.schema.fields[field]
    if TOO_LARGE in parsed.problems[field].iat[row].split(";"):
        digits = sum(c.isdigit() for c in text)
        return (f"{field} has a number of {digits:,} digits, too large for any measurement "
                f"(or any computation)", {"digits": digits})
    return (f"{field} {text!r} is not a number"
            f"{f' (expected a number in {spec.unit})' if spec.unit else ''}",
            {"expected": f"number{f' with unit {spec.unit}' if spec.unit else ''}"})


RULE = problem_rule(code="F201", name="not-a-number", problem=(NOT_A_NUMBER, TOO_LARGE),
                    summary="A cell of a number column is not a number.",
                    doc=__doc__, message=message, applies_to=is_numeric)

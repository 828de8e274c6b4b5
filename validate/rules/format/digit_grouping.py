"""
## What it checks
Thousands separators group digits in threes: `1,138,546` and `543816` are numbers;
`1403,2189`, `1489,3` and `154,12123` are not. The value of such a cell is left empty:
commas in the wrong place are never guessed away.

## Why it matters
A misplaced comma is the trace of a typo, a lost digit or a decimal comma from another
locale. `1489,3` could be 1,489.3 or 14,893 or a truncated 1,489,3xx: any reading the tool
picked would publish a number nobody measured.

## Example that fires
```markdown
| Model | vram Usage |
| --- | --- |
| Baichuan2 13B | 1403,2189 MiB |
```

## Example that does not
```markdown
| Model | vram Usage |
| --- | --- |
| Baichuan2 13B | 1,403,218 MiB |
```

## Options
None.

## Fix
Look the value up in the benchmark's source and write it with commas every three digits
(or none at all).
"""

import re

from validate.problems import BAD_GROUPING
from validate.rules.common import is_numeric, problem_rule, source_text


def message(parsed, field, row):
    text = source_text(parsed, field, row)
    number = re.match(r"[+-]?\d[\d,]*(?:\.\d+)?", text)
    groups = (number.group(0) if number else text).split(",")
    sizes = [len(g.split(".")[0]) for g in groups]
    return (f"{field} {text!r} groups its digits as {'|'.join(groups)}: thousands separators "
            f"must group digits in threes (e.g. 1,234,567): this cell is not a number a reader "
            f"can trust (a digit lost, or a decimal comma?)",
            {"groups": groups, "group_sizes": sizes, "expected_group_size": 3})


RULE = problem_rule(code="F202", name="bad-digit-grouping", problem=BAD_GROUPING,
                    summary="Thousands separators do not group digits in threes.",
                    doc=__doc__, message=message, applies_to=is_numeric)

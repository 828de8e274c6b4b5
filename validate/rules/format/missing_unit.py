"""
## What it checks
A number in a column whose schema field says `unit_required: true` carries its unit:
`699,751 MiB`, `560m`. A unit written in the header (`VRAM (GiB)`) counts for every cell.

## Why it matters
Memory is published in MiB on one row and GiB on another; training time in minutes or
hours. A bare number could be any of them (a factor of 1024 or 60), so it gets no value
in the cleaned data, and the page's reader cannot know which was meant either.

## Example that fires
```markdown
| Model | vram Usage |
| --- | --- |
| Baichuan2 13B | 1403218 |
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
Add the unit the other rows of the column use.
"""

from validate.problems import MISSING_UNIT
from validate.rules.common import problem_rule, source_text, units_seen


def message(parsed, field, row):
    text = source_text(parsed, field, row)
    spec = parsed.schema.fields[field]
    seen = {unit: count for unit, count in units_seen(parsed, field, row).items() if unit}
    usual = max(seen, key=seen.get) if seen else spec.unit
    others = (f"; {seen[usual]} other row{'s' if seen[usual] != 1 else ''} use {usual}"
              if seen else "")
    return (f"{field} {text!r} has no unit: the column needs one such as {spec.unit}"
            f"{others}; this cell is not a number a reader can trust (which unit is it?)",
            {"expected_unit": spec.unit, "units_in_column": seen})


RULE = problem_rule(code="F203", name="missing-unit", problem=MISSING_UNIT,
                    summary="A number lacks the unit its column requires.",
                    doc=__doc__, message=message,
                    applies_to=lambda spec: spec.unit is not None and spec.unit_required)

"""
## What it checks
The unit after a number is one the column's dimension knows (`schemas/reference/units.yaml`):
memory in B, KiB, MiB, GiB, TiB, KB, MB, GB, TB; time in s, m, min, h; throughput in TPS or
tokens/s; token counts with K, M, B, T. A schema may narrow a field to some spellings (`units:`).

## Why it matters
An unknown unit (`700 GiBs`, `560 mins.`, `93,291 TPs/GPU`) cannot be converted, so the value
is left empty; often it is a typo or a unit of another dimension pasted into the wrong column.

## Example that fires
```markdown
| Model | Training Time |
| --- | --- |
| Llama2 13B | 560 MiB |
```

## Example that does not
```markdown
| Model | Training Time |
| --- | --- |
| Llama2 13B | 560m |
```

## Options
None.

## Fix
Use a unit of the column's dimension, or add the spelling to `schemas/reference/units.yaml`.
"""

from validate.problems import UNKNOWN_UNIT, written_unit
from validate.rules.common import problem_rule, source_text


def message(parsed, field, row):
    text = source_text(parsed, field, row)
    spec = parsed.schema.fields[field]
    unit = written_unit(parsed.text[field].iat[row])
    expected = (f"cleaned values are in {spec.unit}" if spec.unit
                else "the column takes plain numbers")
    return (f"{field} {text!r}: {unit!r} is not a unit of the column ({expected}); "
            f"a reader cannot convert it, so the cell is no number to trust",
            {"unit": unit, "expected_unit": spec.unit, "accepted": list(spec.units) or None})


RULE = problem_rule(code="F204", name="unknown-unit", problem=UNKNOWN_UNIT,
                    summary="A number carries a unit its column does not know.",
                    doc=__doc__, message=message, applies_to=lambda spec: spec.type in ("integer", "number"))

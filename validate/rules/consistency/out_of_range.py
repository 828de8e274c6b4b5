"""
## What it checks
Every value lies within the `min` and `max` its schema field declares (for the fine-tuning
guide: batch size and sequence length at least 1, memory, time, throughput and token
counts not negative).

## Why it matters
A zero batch or a negative memory figure is no measurement at all: a sign slipped in, or a
value landed in the wrong column.

## Example that fires
```markdown
| Model | batch size |
| --- | --- |
| Llama2 13B | 0 |
```

## Example that does not
```markdown
| Model | batch size |
| --- | --- |
| Llama2 13B | 128 |
```

## Options
None. The bounds are the schema's (`min:` and `max:` on a field).

## Fix
Correct the value, or the bound in the schema if the value is right.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc, fmt_number
from validate.rules.common import source_text


def check(values, options, spec, parsed=None):
    passing = values.isna() | True
    if spec.min is not None:
        passing &= values.isna() | (values >= spec.min)
    if spec.max is not None:
        passing &= values.isna() | (values <= spec.max)
    return passing.fillna(True).astype(bool)


def explain(parsed, field, rows, options):
    spec = parsed.schema.fields[field]
    bounds = []
    if spec.min is not None:
        bounds.append(f"at least {fmt_number(spec.min)}")
    if spec.max is not None:
        bounds.append(f"at most {fmt_number(spec.max)}")
    for row in rows:
        found = float(parsed.values[field].iat[row])
        yield Hit(message=(f"{field} {source_text(parsed, field, row)!r} is out of range: "
                           f"expected {' and '.join(bounds)}"),
                  row=row, field=field,
                  evidence={"value": found, "min": spec.min, "max": spec.max})


RULE = Rule(grouping=("cell", "row"), code="C500", name="value-out-of-range", category="consistency", severity="error",
            summary="A value lies outside its field's declared range.",
            doc=rule_doc(__doc__), scope="cells", aspect="value",
            applies_to=lambda spec: spec.min is not None or spec.max is not None,
            check=check, explain=explain)

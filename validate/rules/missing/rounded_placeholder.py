"""
## What it checks
A measured value far rounder than the rest of its column: `2,800,000 MiB` among values
written to seven significant digits. A measurement carries noise down to its last written
digit, so when a column's values usually carry `d` significant digits, a value with only `s`
has its last `d - s` digits at zero, which happens by chance once in `10^(d - s)` cells. With
`n` cells in the column, a value is flagged when `n x 10^-(d - s)` is below `alpha`: in a
column of 40 seven-digit values, `2,800,000` (two digits) is flagged and `2,845,600` (five)
is not; a column of rounded values (`560m`, `720m`) has nothing rounder than itself.

## Why it matters
Round figures stand in for measurements not yet made ("about 2.8 TB, fill in later") and are
then published as if measured. They pass every format check and look plausible, which is why
nothing else catches them.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage |
| --- | --- | --- | --- | --- |
| Baichuan2 13B | 8xlarge | 32 | 4096 | 2,645,347 MiB |
| Baichuan2 13B | 8xlarge | 64 | 4096 | 2,800,000 MiB |
| Baichuan2 13B | 8xlarge | 128 | 4096 | 2,845,656 MiB |
| Baichuan2 13B | 4xlarge | 32 | 2048 | 1,403,218 MiB |
| Baichuan2 13B | 4xlarge | 64 | 2048 | 1,489,301 MiB |
| Baichuan2 13B | 4xlarge | 128 | 2048 | 1,541,212 MiB |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | Training Time |
| --- | --- | --- | --- | --- |
| Llama2 13B | 4xlarge | 32 | 2048 | 962m |
| Llama2 13B | 4xlarge | 64 | 2048 | 720m |
| Llama2 13B | 4xlarge | 128 | 2048 | 480m |
```

## Options
- `fields` (default `[throughput, vram, train_time]`): the measurement fields watched.
- `alpha` (default 0.01): flag a value when fewer than this many cells of the column would be
  as round by chance.

## Fix
Replace the round figure with the measured value, or leave the cell empty until it exists.
"""

from __future__ import annotations

import math

from validate.findings import Hit
from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import all_rows, per_table, significant_digits_of, source_text

# A column's usual precision is read from at least this many values.
MIN_VALUES = 5


@per_table
def rounded_cells(parsed, field, alpha):
    """{row: (digits, usual digits, values in the column)} for the cells of `field` too round
    to be measured."""
    import numpy as np

    values = parsed.numbers(field)
    found = {}
    for start, stop in parsed.segments():       # each table of a stack on its own
        present = start + np.flatnonzero(~np.isnan(values[start:stop]) & (values[start:stop] != 0))
        if len(present) < MIN_VALUES:
            continue
        digits = significant_digits_of(values[present])
        usual = float(np.median(digits))
        # n x 10^-(usual - s) < alpha  <=>  usual - s > log10(n / alpha)
        needed = math.log10(len(present) / alpha)
        found.update({int(row): (int(d), usual, len(present))
                      for row, d in zip(present, digits) if usual - d > needed})
    return found


def check(frame, options, parsed):
    failing = all_rows(frame, False)
    for field in options.fields:
        if field in frame.columns:
            failing.iloc[sorted(rounded_cells(parsed, field, options.alpha))] = True
    return ~failing


def explain(parsed, rows, options):
    import numpy as np

    wanted = set(rows)
    for field in options.fields:
        if field not in parsed.values.columns:
            continue
        found = rounded_cells(parsed, field, options.alpha)
        for row, (digits, usual, count) in sorted(found.items()):
            if row not in wanted:
                continue
            per_cell = 10 ** -(usual - digits)
            chance = count * per_cell
            yield Hit(
                message=(f"{field} {source_text(parsed, field, row)!r} has {digits} significant "
                         f"digit{'s' if digits != 1 else ''} where the column's values carry "
                         f"{usual:g}: a measured value comes out this round once in "
                         f"{1 / per_cell:,.0f} by chance; a placeholder or an estimate?"),
                row=row, field=field,
                evidence={"significant_digits": digits, "column_digits": usual,
                          "cells": count, "expected_by_chance": float(f"{chance:.3g}"),
                          "alpha": options.alpha})


RULE = Rule(code="M303", name="rounded-placeholder", category="missing", severity="warning",
            summary="A measured value is far rounder than the rest of its column.",
            doc=rule_doc(__doc__), scope="rows", check=check, explain=explain,
            options=(Option("fields", ("throughput", "vram", "train_time"),
                            "measurement fields watched", kind="fields"),
                     Option("alpha", 0.01, "flag when fewer cells than this would be as round by chance",
                            minimum=0)))

"""
## What it checks
A row that names a configuration (its key fields are filled in) has a value in every
measurement column the table has (for the fine-tuning guide: VRAM, training time and
throughput). A cell counts as missing when it is empty, when it only says "no value" (`-`,
`TBD`, `N/A`, `?`), or when it is zero: a run that used no memory, took no time or processed
no tokens was not measured, so `0` and `0 TPS` are placeholders too. A row missing every
measurement is one finding; otherwise each missing cell is. Cells that hold something
unparseable are left to the format rules.

## Why it matters
Placeholder rows get published "to be filled in later" and then stay empty for months; a
reader cannot tell a configuration that was never measured from one that failed.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage | Training Time | throughput |
| --- | --- | --- | --- | --- | --- | --- |
| Cerebras GPT 13B | 4xlarge | 16 | 2048 |  |  |  |
```

Also `| Cerebras GPT 13B | 4xlarge | 16 | 1024 | 1,764,955 MiB | 81m | 0 TPS |` and the same
row with `TBD` for the throughput.

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage | Training Time | throughput |
| --- | --- | --- | --- | --- | --- | --- |
| Cerebras GPT 13B | 4xlarge | 16 | 1024 | 1,764,955 MiB | 81m | 6,841 TPS |
```

## Options
None. The schema's `measurements` list says which fields are measurements.

## Fix
Fill in the measurements, or remove the row until they exist.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc
from validate.rules.common import all_rows, describe_row, per_table


def _measurements(frame, schema):
    return [name for name in schema.measurements if name in frame.columns]


@per_table
def _missing(parsed, name):
    """Empty cells, placeholders such as `-` and zeros, as opposed to cells that did not parse."""
    values = parsed.values[name]
    zero = (values == 0).fillna(False).astype(bool)
    return (values.isna() & (parsed.problems[name] == "")) | zero


def check(frame, options, parsed):
    names = _measurements(frame, parsed.schema)
    keys = [name for name in parsed.schema.key if name in frame.columns]
    if not names or not keys:
        return all_rows(frame, True)
    named = frame[keys].notna().all(axis=1)
    missing = all_rows(frame, False)
    for name in names:
        missing |= _missing(parsed, name)
    return ~(named & missing)


def _why(parsed, name, row) -> str:
    text = parsed.source_cells(name)[row]
    if not text:
        return f"{name} is empty"
    if parsed.numbers(name)[row] == 0:
        return f"{name} {text!r} is zero: no run measures zero, so it stands for a missing value"
    return f"{name} {text!r} is a placeholder, not a measurement"


def explain(parsed, rows, options):
    names = _measurements(parsed.values, parsed.schema)
    for row in rows:
        missing = [n for n in names if _missing(parsed, n).iat[row]]
        if not missing:
            continue
        if len(missing) == len(names):
            yield Hit(message=f"row {describe_row(parsed, row)} has no measurements",
                      row=row, field=missing[0],
                      evidence={"empty_fields": missing, "measurement_fields": names,
                                "cells": {n: parsed.source_cells(n)[row] for n in names}})
            continue
        measured = [n for n in names if n not in missing]
        for name in missing:
            yield Hit(message=(f"{_why(parsed, name, row)} on row {describe_row(parsed, row)}, "
                               f"which has {', '.join(measured)}"),
                      row=row, field=name,
                      evidence={"empty_fields": missing, "measurement_fields": names,
                                "cell": parsed.source_cells(name)[row]})


RULE = Rule(grouping=("cell", "row", "adjacent-rows"), code="M301", name="missing-measurements", category="missing", severity="warning",
            summary="A row leaves a measurement empty, or writes a placeholder or zero instead.",
            doc=rule_doc(__doc__), scope="rows", check=check, explain=explain)

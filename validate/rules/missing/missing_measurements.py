"""
## What it checks
A row that names a configuration (its key fields are filled in) has a value in every
measurement column the table has (for the fine-tuning guide: VRAM, training time and
throughput). Cells that hold something unparseable are left to the format rules.

## Why it matters
Placeholder rows get published "to be filled in later" and then stay empty for months; a
reader cannot tell a configuration that was never measured from one that failed.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage | Training Time | throughput |
| --- | --- | --- | --- | --- | --- | --- |
| Cerebras GPT 13B | 4xlarge | 16 | 2048 |  |  |  |
```

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
def _blank(parsed, name):
    """Empty cells (or placeholders such as `-`), as opposed to cells that did not parse."""
    return parsed.values[name].isna() & (parsed.problems[name] == "")


def check(frame, options, parsed):
    names = _measurements(frame, parsed.schema)
    keys = [name for name in parsed.schema.key if name in frame.columns]
    if not names or not keys:
        return all_rows(frame, True)
    named = frame[keys].notna().all(axis=1)
    empty = all_rows(frame, False)
    for name in names:
        empty |= _blank(parsed, name)
    return ~(named & empty)


def explain(parsed, rows, options):
    names = _measurements(parsed.values, parsed.schema)
    for row in rows:
        empty = [n for n in names if _blank(parsed, n).iat[row]]
        if not empty:
            continue
        every = len(empty) == len(names)
        what = "no measurements" if every else f"no {', '.join(empty)}"
        yield Hit(message=(f"row {describe_row(parsed, row)} has {what}"
                           f"{'' if every else f' ({len(names) - len(empty)} of {len(names)} measured)'}"),
                  row=row, field=empty[0],
                  evidence={"empty_fields": empty, "measurement_fields": names})


RULE = Rule(code="M301", name="missing-measurements", category="missing", severity="warning",
            summary="A row names a configuration but leaves measurements empty.",
            doc=rule_doc(__doc__), scope="rows", check=check, explain=explain)

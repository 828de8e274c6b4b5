"""
## What it checks
The same measured value (throughput, VRAM or training time by default) does not appear on
rows with different configurations of one table. Values too round to be telling (fewer
significant digits than `min_significant_digits`, such as `720m` or `2,800,000 MiB`) are
left alone: round numbers repeat by chance.

## Why it matters
Benchmarks of different configurations do not produce the same six-digit throughput: a
repeated value is almost always a row copied and only partly edited. Every row of such a
group is flagged, because the page does not say which one holds the real measurement.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Baichuan2 13B | 8xlarge | 32 | 4096 | 172395 |
| Baichuan2 13B | 8xlarge | 64 | 4096 | 172395 |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Baichuan2 13B | 8xlarge | 32 | 4096 | 172395 |
| Baichuan2 13B | 8xlarge | 64 | 4096 | 322107 |
```

## Options
- `fields` (default `[throughput, vram, train_time]`): the measurement fields watched.
- `min_significant_digits` (default 4): values with fewer significant digits are not compared.

## Fix
Look up each row's measurement; correct the copies.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import all_rows, describe_row, key_fields, row_ref, significant_digits, source_text


def duplicated_rows(frame, parsed, field, options):
    """Rows whose `field` value recurs on a row with another configuration, with a group id."""
    import pandas as pd

    values = frame[field]
    keys = key_fields(parsed)
    present = values.dropna()
    digits = {v: significant_digits(v) for v in present.unique()}
    eligible = present[present.map(digits) >= options.min_significant_digits]
    repeated = eligible[eligible.duplicated(keep=False)]
    if repeated.empty or not keys:
        return repeated
    configs = pd.util.hash_pandas_object(frame.loc[repeated.index, keys].astype(str), index=False)
    distinct = configs.groupby(repeated.values).transform("nunique")
    return repeated[distinct.values > 1]


def check(frame, options, parsed):
    failing = all_rows(frame, False)
    for field in options.fields:
        if field in frame.columns:
            failing[duplicated_rows(frame, parsed, field, options).index] = True
    return ~failing


def explain(parsed, rows, options):
    wanted = set(rows)
    for field in options.fields:
        if field not in parsed.values.columns:
            continue
        repeated = duplicated_rows(parsed.values, parsed, field, options)
        for value, group in repeated.groupby(repeated.values):
            members = list(group.index)
            for row in members:
                if row not in wanted:
                    continue
                others = [r for r in members if r != row]
                lines = ", ".join(str(parsed.line(r)) for r in others)
                yield Hit(
                    message=(f"{field} {source_text(parsed, field, row)!r} also appears on "
                             f"{len(others)} other row{'s' if len(others) > 1 else ''} with a "
                             f"different configuration (line{'s' if len(others) > 1 else ''} "
                             f"{lines})"),
                    row=row, field=field,
                    evidence={"value": float(value), "significant_digits": significant_digits(value),
                              "this_row": describe_row(parsed, row),
                              "other_rows": [row_ref(parsed, r, value=source_text(parsed, field, r))
                                             for r in others]})


RULE = Rule(code="D401", name="duplicate-measurement", category="duplicate", severity="warning",
            summary="The same measured value appears on rows with different configurations.",
            doc=rule_doc(__doc__), scope="rows", check=check, explain=explain,
            options=(Option("fields", ("throughput", "vram", "train_time"),
                            "measurement fields watched for repeated values", kind="fields"),
                     Option("min_significant_digits", 4,
                            "values with fewer significant digits are not compared",
                            kind="integer", minimum=1)))

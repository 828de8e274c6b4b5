"""
## What it checks
The same measured value (throughput, VRAM or training time by default) does not appear on
rows with different configurations of one model in one table. Values too round to be
telling (fewer significant digits than `min_significant_digits`, such as `720m` or
`2,800,000 MiB`) are left alone: round numbers repeat by chance. So do six-digit values
across a table of thousands of models, which is why rows are compared within `group_by`
(the model, by default): copies are made from the row above, not from another model.

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
- `group_by` (default `[model]`): rows are compared within these fields (`[]`: the whole table).

## Fix
Look up each row's measurement; correct the copies.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import (
    all_rows,
    describe_row,
    key_fields,
    line_list,
    per_table,
    row_ref,
    significant_digits,
    significant_digits_of,
    some_rows,
    source_text,
)


@per_table
def duplicated_rows(parsed, field, options):
    """Rows whose `field` value recurs on a row with another configuration, with a group id."""
    import pandas as pd

    frame = parsed.values
    values = frame[field]
    keys = key_fields(parsed)
    present = values.dropna()
    eligible = present[significant_digits_of(present.to_numpy(dtype="float64"))
                       >= options.min_significant_digits]
    within = [name for name in options.group_by if name in frame.columns]
    scope = (pd.util.hash_pandas_object(frame.loc[eligible.index, within].astype(str), index=False)
             if within else pd.Series(0, index=eligible.index, dtype="uint64"))
    pairs = pd.DataFrame({"scope": scope.to_numpy(), "value": eligible.to_numpy()}, index=eligible.index)
    repeated_mask = pairs.duplicated(keep=False)
    repeated = eligible[repeated_mask]
    if repeated.empty or not keys:
        return repeated
    # A group is one value within one scope (one model, by default).
    group = pd.util.hash_pandas_object(pairs[repeated_mask], index=False)
    configs = pd.util.hash_pandas_object(frame.loc[repeated.index, keys].astype(str), index=False)
    distinct = configs.groupby(group.to_numpy()).transform("nunique")
    kept = distinct.to_numpy() > 1
    return pd.Series(group.to_numpy()[kept], index=repeated.index[kept], name=field)


def check(frame, options, parsed):
    failing = all_rows(frame, False)
    for field in options.fields:
        if field in frame.columns:
            failing[duplicated_rows(parsed, field, options).index] = True
    return ~failing


def explain(parsed, rows, options):
    wanted = set(rows)
    for field in options.fields:
        if field not in parsed.values.columns:
            continue
        repeated = duplicated_rows(parsed, field, options)
        for _, group in repeated.groupby(repeated.values):
            members = list(group.index)
            value = parsed.values[field].iat[members[0]]
            for row in members:
                if row not in wanted:
                    continue
                others = [r for r in members if r != row]
                yield Hit(
                    message=(f"{field} {source_text(parsed, field, row)!r} also appears on "
                             f"{len(others)} other row{'s' if len(others) > 1 else ''} with a "
                             f"different configuration ({line_list(parsed, others)})"),
                    row=row, field=field,
                    evidence={"value": float(value), "significant_digits": significant_digits(value),
                              "this_row": describe_row(parsed, row),
                              "other_rows": [row_ref(parsed, r, value=source_text(parsed, field, r))
                                             for r in some_rows(others, row)],
                              "other_rows_total": len(others)})


RULE = Rule(code="D401", name="duplicate-measurement", category="duplicate", severity="warning",
            summary="The same measured value appears on rows with different configurations.",
            doc=rule_doc(__doc__), scope="rows", check=check, explain=explain,
            options=(Option("fields", ("throughput", "vram", "train_time"),
                            "measurement fields watched for repeated values", kind="fields"),
                     Option("min_significant_digits", 4,
                            "values with fewer significant digits are not compared",
                            kind="integer", minimum=1),
                     Option("group_by", ("model",), "rows are compared within these fields",
                            kind="fields")))

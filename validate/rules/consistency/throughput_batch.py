"""
## What it checks
On the same model, accelerator and sequence length, a larger batch does not give a lower
throughput than a smaller batch, beyond `tolerance`. Each row is compared with the best
throughput of the smaller batches of its group.

## Why it matters
A larger batch keeps the accelerator busier; throughput grows with it until the hardware
saturates, and then it stays flat. A clear drop is the trace of a value from another run, a
mistyped digit, or a batch size that was edited without its measurements.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Qwen1.5 7B | 2xlarge | 32 | 1024 | 24,156 |
| Qwen1.5 7B | 2xlarge | 64 | 1024 | 47,679 |
| Qwen1.5 7B | 2xlarge | 128 | 1024 | 15,890 |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Qwen1.5 7B | 2xlarge | 32 | 1024 | 24,156 |
| Qwen1.5 7B | 2xlarge | 64 | 1024 | 47,679 |
| Qwen1.5 7B | 2xlarge | 128 | 1024 | 95,302 |
```

## Options
- `tolerance` (default 0.1): the largest drop accepted, as a share of the smaller batch's throughput.
- `group_by` (default `[model, accelerator, seq_len]`): the rows compared with each other.

## Fix
Check the flagged row's throughput and batch size against the run's logs.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, fmt_number, rounded, rule_doc
from validate.rules.common import describe_row, per_table

NEEDS = ("throughput", "batch_size")


@per_table
def best_smaller(parsed, options):
    """Per row: the best throughput among the smaller batches of its group (`before`, NaN if
    none) and the row that has it (`before_row`)."""
    frame = parsed.values
    keys = [k for k in options.group_by if k in frame.columns]
    return best_before(frame, keys, frame["batch_size"].astype("float64"))


def best_before(frame, keys, order):
    """Per row: the best throughput among rows of the same `keys` with a smaller `order`
    (`before`, NaN if none), and the row that has it (`before_row`)."""
    import numpy as np
    import pandas as pd

    throughput = frame["throughput"].to_numpy(dtype="float64", na_value=np.nan)
    order = order.to_numpy(dtype="float64", na_value=np.nan)
    usable = ~np.isnan(throughput) & ~np.isnan(order)
    if keys:
        usable &= frame[keys].notna().all(axis=1).to_numpy()
        group = frame[keys].astype("object").groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    else:
        group = np.zeros(len(frame), dtype="int64")
    before = np.full(len(frame), np.nan)
    before_row = np.full(len(frame), np.nan)
    rows = np.flatnonzero(usable)
    # Walk the rows of each group in order; one pass, whatever the table's size.
    ranked = rows[np.lexsort((-throughput[rows], order[rows], group[rows]))]
    current_group, best, best_row, block_order, block_start = None, np.nan, np.nan, None, np.nan
    carried, carried_row = np.nan, np.nan
    for row in ranked:
        g, o = group[row], order[row]
        if g != current_group:
            current_group, block_order = g, None
            best = best_row = carried = carried_row = np.nan
        if o != block_order:
            # A new order value: the best so far is what the rows of this value are compared with.
            carried, carried_row = best, best_row
            block_order = o
        before[row], before_row[row] = carried, carried_row
        if not best >= throughput[row]:
            best, best_row = throughput[row], row
    return pd.DataFrame({"before": before, "before_row": before_row}, index=frame.index)


def check(frame, options, parsed):
    before = best_smaller(parsed, options)["before"]
    flagged = frame["throughput"].astype("float64") < (1 - options.tolerance) * before
    return ~flagged.fillna(False).astype(bool)


def explain(parsed, rows, options):
    frame = parsed.values
    table = best_smaller(parsed, options)
    keys = [k for k in options.group_by if k in frame.columns]
    for row in rows:
        best = table.at[row, "before"]
        other = int(table.at[row, "before_row"])
        here = float(frame.at[row, "throughput"])
        drop = 1 - here / best
        yield Hit(
            message=(f"throughput {fmt_number(here)} at batch {frame.at[row, 'batch_size']} is "
                     f"{drop:.0%} below the {fmt_number(best)} of batch "
                     f"{frame.at[other, 'batch_size']} (line {parsed.line(other)}); a larger "
                     f"batch should not be slower (tolerance {options.tolerance:.0%})"),
            row=row, field="throughput",
            evidence={"throughput": rounded(here), "batch_size": int(frame.at[row, "batch_size"]),
                      "smaller_batch": {"line": parsed.line(other), "row": describe_row(parsed, other),
                                        "batch_size": int(frame.at[other, "batch_size"]),
                                        "throughput": rounded(best)},
                      "drop": rounded(drop, 3), "tolerance": options.tolerance,
                      "group": {k: str(frame.at[row, k]) for k in keys}})


RULE = Rule(code="C502", name="throughput-drops-with-batch", category="consistency",
            severity="warning",
            summary="A larger batch shows lower throughput than a smaller one.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            options=(Option("tolerance", 0.1, "largest accepted drop, as a share", minimum=0),
                     Option("group_by", ("model", "accelerator", "seq_len"),
                            "rows compared with each other", kind="fields")))

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

    usable = frame["throughput"].notna() & order.notna()
    if keys:
        usable &= frame[keys].notna().all(axis=1)
    data = pd.DataFrame({"batch": order,
                         "throughput": frame["throughput"].astype("float64")})[usable]
    data["group"] = (frame.loc[usable, keys].astype("object").groupby(keys, sort=False).ngroup()
                     if keys else 0)
    result = pd.DataFrame({"before": np.nan, "before_row": np.nan}, index=frame.index)
    if data.empty:
        return result
    # The best row of each (group, batch), in batch order; then the running best of the
    # batches before each one, and which row holds it.
    ordered = data.rename_axis("row").reset_index().sort_values(
        ["group", "batch", "throughput", "row"], ascending=[True, True, False, True], kind="stable")
    best = ordered.drop_duplicates(["group", "batch"]).reset_index(drop=True)
    running = best.groupby("group")["throughput"].cummax()
    holder = best["row"].where(best["throughput"] == running).groupby(best["group"]).ffill()
    best["before"] = running.groupby(best["group"]).shift()
    best["before_row"] = holder.groupby(best["group"]).shift()
    joined = ordered.merge(best[["group", "batch", "before", "before_row"]], on=["group", "batch"])
    result.loc[joined["row"].to_numpy(), ["before", "before_row"]] = \
        joined[["before", "before_row"]].to_numpy()
    return result


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

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
from validate.rules.common import describe_row

NEEDS = ("throughput", "batch_size")


def best_smaller(frame, options):
    """Per row: the best throughput among smaller batches of its group (NaN if none)."""
    import numpy as np
    import pandas as pd

    keys = [k for k in options.group_by if k in frame.columns]
    usable = frame["throughput"].notna() & frame["batch_size"].notna()
    if keys:
        usable &= frame[keys].notna().all(axis=1)
    data = pd.DataFrame({k: frame[k].astype("object") for k in keys})
    data["batch"] = frame["batch_size"].astype("float64")
    data["throughput"] = frame["throughput"].astype("float64")
    data = data[usable].sort_values(keys + ["batch"], kind="stable")
    if data.empty:
        return pd.Series(np.nan, index=frame.index)
    # The best throughput of each (group, batch), then the running best of the batches before.
    per_batch = data.groupby(keys + ["batch"], sort=False)["throughput"].max()
    if keys:
        running = per_batch.groupby(level=list(range(len(keys))), sort=False).cummax()
        before = running.groupby(level=list(range(len(keys))), sort=False).shift()
    else:
        before = per_batch.cummax().shift()
    lookup = before.rename("before").reset_index()
    merged = data.reset_index().merge(lookup, on=keys + ["batch"], how="left").set_index("index")
    return merged["before"].reindex(frame.index)


def check(frame, options, parsed):
    before = best_smaller(frame, options)
    flagged = frame["throughput"].astype("float64") < (1 - options.tolerance) * before
    return ~flagged.fillna(False).astype(bool)


def explain(parsed, rows, options):
    frame = parsed.values
    before = best_smaller(frame, options)
    keys = [k for k in options.group_by if k in frame.columns]
    for row in rows:
        best = before.at[row]
        candidates = frame.index[(frame["throughput"].astype("float64") == best)
                                 & (frame["batch_size"] < frame.at[row, "batch_size"])
                                 & frame[keys].eq(frame.loc[row, keys]).all(axis=1)]
        other = int(candidates[0])
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

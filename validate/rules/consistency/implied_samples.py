"""
## What it checks
Throughput, training time and sequence length agree with each other. Throughput is tokens
per second of `batch_size x seq_len`-token steps, and the training time covers the whole
run, so `throughput x train_time_seconds / seq_len` is the number of samples the run
processed. Rows that train the same model on the same accelerator work through the same
data, so they must imply about the same number. A row whose figure is more than `factor`
away from its group's median is flagged. Groups of fewer than `min_group` rows fall back
to all rows of the model; smaller groups than that are not judged.

## Why it matters
Throughput and time are measured separately and edited separately. When one of them is
updated and the other is not (or a value lands in the wrong row), the two stop describing
the same run; this check finds the row where they part ways, with the numbers to prove it.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | Training Time | throughput |
| --- | --- | --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 32 | 1024 | 872m | 8,934 |
| Llama2 13B | 2xlarge | 64 | 1024 | 586m | 11,562 |
| Llama2 13B | 2xlarge | 128 | 1024 | 400m | 65,565 |
```
The last row implies 1,536,680 samples, 3.4 times the group's median of 456,470.

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | Training Time | throughput |
| --- | --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 220m | 93,291 TPS |
| Llama3 8B | 4xlarge | 256 | 1024 | 140m | 190,949 TPS |
| Llama3 8B | 8xlarge | 1024 | 1024 | 78m | 394,605 TPS |
```

## Options
- `factor` (default 2): how far from the group median (either way) a row may be.
- `group_by` (default `[model, accelerator]`): the rows that must agree.
- `fallback_group_by` (default `[model]`): used when the group is too small.
- `min_group` (default 3): the fewest rows a group needs to be judged.

## Fix
Check the row's throughput and training time against the run's logs; one of them (or the
sequence length) is from another run.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, fmt_number, fmt_ratio, rounded, rule_doc
from validate.rules.common import describe_row, per_table, some_rows
from validate.rules.consistency.analyses import group_medians, group_members

NEEDS = ("throughput", "train_time", "seq_len")


@per_table
def implied(parsed, options):
    """Per row: implied samples, the median it is compared with, the ratio and the group."""
    import numpy as np

    frame = parsed.values
    samples = (frame["throughput"] * frame["train_time"] * 60 / frame["seq_len"]).astype("float64")
    samples = samples.where(np.isfinite(samples) & (samples > 0))
    levels = []
    for level, keys in (("group", list(options.group_by)), ("fallback", list(options.fallback_group_by))):
        keys = [k for k in keys if k in frame.columns]
        if keys:
            levels.append((level, [frame[k].astype("object") for k in keys]))
    result = group_medians(samples, levels, options.min_group)
    result.insert(0, "samples", samples)
    result["ratio"] = result["samples"] / result["median"]
    return result


def check(frame, options, parsed):
    ratio = implied(parsed, options)["ratio"]
    flagged = (ratio > options.factor) | (ratio < 1 / options.factor)
    return ~flagged.fillna(False).astype(bool)


def explain(parsed, rows, options):
    frame = parsed.values
    table = implied(parsed, options)
    valid, groups = group_members(table, "samples")
    for row in rows:
        level = table.at[row, "level"]
        keys = [k for k in (options.group_by if level == "group" else options.fallback_group_by)
                if k in frame.columns]
        # Every row with implied samples in the same group (they all count toward its median).
        members = [int(valid.index[i]) for i in groups[level][valid.at[row, f"group:{level}"]]]
        samples, median, ratio = (table.at[row, c] for c in ("samples", "median", "ratio"))
        group = " on ".join(str(frame.at[row, k]) for k in keys)
        yield Hit(
            message=(f"throughput {fmt_number(frame.at[row, 'throughput'])} tokens/s over "
                     f"{fmt_number(frame.at[row, 'train_time'])} min at sequence length "
                     f"{fmt_number(frame.at[row, 'seq_len'])} implies {fmt_number(samples)} samples, "
                     f"{fmt_ratio(ratio)} the median {fmt_number(median)} of {group} "
                     f"({len(members)} rows); expected within {options.factor:g}x"),
            row=row, field="throughput",
            evidence={
                "formula": "throughput x train_time_seconds / seq_len",
                "implied_samples": rounded(samples), "group_median": rounded(median),
                "ratio": rounded(ratio, 3), "factor": options.factor,
                "group": {k: str(frame.at[row, k]) for k in keys},
                "group_level": "model and accelerator" if level == "group" else "model",
                "compared_rows": [
                    {"line": parsed.line(r), "row": describe_row(parsed, r),
                     "implied_samples": rounded(table.at[r, "samples"])}
                    for r in some_rows(members, row)],
                "compared_rows_total": len(members),
            })


RULE = Rule(code="C501", name="throughput-time-mismatch", category="consistency",
            severity="warning",
            summary="Throughput x time / sequence length is far from the group's other rows.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            options=(Option("factor", 2.0, "allowed distance from the group median, as a factor",
                            minimum=1),
                     Option("group_by", ("model", "accelerator"), "rows that must agree",
                            kind="fields"),
                     Option("fallback_group_by", ("model",), "used when a group is too small",
                            kind="fields"),
                     Option("min_group", 3, "fewest rows a group needs to be judged",
                            kind="integer", minimum=2)))

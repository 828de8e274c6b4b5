"""
## What it checks
On the same model, batch size and sequence length, a flavor with more accelerator units
(2xlarge = 2, 4xlarge = 4, ...) does not give a lower throughput than a smaller flavor,
beyond `tolerance`. Each row is compared with the best throughput of the smaller flavors.

## Why it matters
The same global batch spread over more units finishes each step at least as fast: a clear
drop on the bigger flavor is a digit lost or added, or a row whose flavor was edited without
its measurements. Rows with the same batch on different flavors give each unit different
work, so the per-unit rule (C503) does not compare them; this rule does.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 128 | 1024 | 78,274 TPS |
| Llama2 13B | 4xlarge | 128 | 1024 | 150,102 TPS |
| Llama2 13B | 8xlarge | 128 | 1024 | 29,011 TPS |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 128 | 1024 | 78,274 TPS |
| Llama2 13B | 4xlarge | 128 | 1024 | 150,102 TPS |
| Llama2 13B | 8xlarge | 128 | 1024 | 290,110 TPS |
```

## Options
- `tolerance` (default 0.1): the largest drop accepted, as a share of the smaller flavor's throughput.
- `group_by` (default `[model, batch_size, seq_len]`): the rows compared with each other.

## Fix
Check the flagged row's throughput and flavor against the run's logs.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, fmt_number, rounded, rule_doc
from validate.rules.common import describe_row, per_table
from validate.rules.consistency.throughput_batch import best_before

NEEDS = ("throughput", "accelerator")


@per_table
def best_smaller_flavor(parsed, options):
    frame = parsed.values
    units = frame["accelerator"].astype("object").map(
        {name: flavor.units for name, flavor in parsed.reference.accelerators.items()}).astype("float64")
    keys = [k for k in options.group_by if k in frame.columns]
    return best_before(frame, keys, units)


def check(frame, options, parsed):
    before = best_smaller_flavor(parsed, options)["before"]
    flagged = frame["throughput"].astype("float64") < (1 - options.tolerance) * before
    return ~flagged.fillna(False).astype(bool)


def explain(parsed, rows, options):
    frame = parsed.values
    table = best_smaller_flavor(parsed, options)
    keys = [k for k in options.group_by if k in frame.columns]
    for row in rows:
        best = table.at[row, "before"]
        other = int(table.at[row, "before_row"])
        here = float(frame.at[row, "throughput"])
        drop = 1 - here / best
        yield Hit(
            message=(f"throughput {fmt_number(here)} on {frame.at[row, 'accelerator']} is {drop:.0%} "
                     f"below the {fmt_number(best)} of {frame.at[other, 'accelerator']} "
                     f"(line {parsed.line(other)}) for the same batch; more units should not be "
                     f"slower (tolerance {options.tolerance:.0%})"),
            row=row, field="throughput",
            evidence={"throughput": rounded(here), "accelerator": str(frame.at[row, "accelerator"]),
                      "smaller_flavor": {"line": parsed.line(other), "row": describe_row(parsed, other),
                                         "accelerator": str(frame.at[other, "accelerator"]),
                                         "throughput": rounded(best)},
                      "drop": rounded(drop, 3), "tolerance": options.tolerance,
                      "group": {k: str(frame.at[row, k]) for k in keys}})


RULE = Rule(code="C505", name="throughput-drops-with-units", category="consistency",
            severity="warning",
            summary="A flavor with more units shows lower throughput for the same batch.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            options=(Option("tolerance", 0.1, "largest accepted drop, as a share", minimum=0),
                     Option("group_by", ("model", "batch_size", "seq_len"),
                            "rows compared with each other", kind="fields")))

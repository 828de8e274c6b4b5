"""
## What it checks
Throughput per accelerator unit (2xlarge = 2 units, 4xlarge = 4, ... from
`schemas/reference/accelerators.yaml`) is about the same on rows of a model that give each
unit the same work per step (`batch_size x seq_len / units` tokens). A row more than
`factor` away from the median of those rows is flagged. When fewer than `min_group` rows
share the row's work per unit, it is not judged: a unit given less work per step is rightly
slower, so rows with other work per unit are no yardstick. A table without batch size or
sequence length compares the rows of each model.

## Why it matters
Data-parallel training splits each step across the units: with the same tokens per unit,
each unit runs the same kernels, so per-unit throughput hardly changes with the flavor. A
row far off usually carries a value from another configuration.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Qwen1.5 7B | 2xlarge | 128 | 1024 | 15,890 |
| Qwen1.5 7B | 4xlarge | 128 | 2048 | 194,282 |
| Qwen1.5 7B | 8xlarge | 128 | 4096 | 376,493 |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Qwen1.5 7B | 2xlarge | 128 | 1024 | 95,302 |
| Qwen1.5 7B | 4xlarge | 256 | 1024 | 190,433 |
| Qwen1.5 7B | 8xlarge | 512 | 1024 | 381,714 |
```

## Options
- `factor` (default 2): how far from the median (either way) a row may be.
- `min_group` (default 3): the fewest rows a comparison needs.

## Fix
Check the row's throughput and accelerator against the run's logs.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, fmt_number, fmt_ratio, rounded, rule_doc
from validate.rules.common import describe_row, per_table, some_rows
from validate.rules.consistency.analyses import group_medians, group_members

NEEDS = ("throughput", "accelerator", "model")


@per_table
def per_unit(parsed, options, reference):

    frame = parsed.values
    units = frame["accelerator"].astype("object").map(
        {name: flavor.units for name, flavor in reference.accelerators.items()}).astype("float64")
    rate = frame["throughput"].astype("float64") / units
    model = frame["model"].astype("object")
    if "batch_size" in frame.columns and "seq_len" in frame.columns:
        work = (frame["batch_size"].astype("float64") * frame["seq_len"].astype("float64") / units)
        levels = [("work", [model, work])]
    else:
        levels = [("model", [model])]
    result = group_medians(rate.where(model.notna()), levels, options.min_group)
    result.insert(0, "per_unit", rate)
    result.insert(0, "units", units)
    result["ratio"] = result["per_unit"] / result["median"]
    return result


def check(frame, options, parsed):
    ratio = per_unit(parsed, options, options.reference)["ratio"]
    flagged = (ratio > options.factor) | (ratio < 1 / options.factor)
    return ~flagged.fillna(False).astype(bool)


def explain(parsed, rows, options):
    frame = parsed.values
    table = per_unit(parsed, options, options.reference)
    valid, groups = group_members(table, "per_unit")
    for row in rows:
        level = table.at[row, "level"]
        members = [int(valid.index[i]) for i in groups[level][valid.at[row, f"group:{level}"]]]
        ratio = table.at[row, "ratio"]
        basis = ("rows of the model with the same tokens per unit per step"
                 if level == "work" else "rows of the model")
        yield Hit(
            message=(f"throughput per accelerator unit {fmt_number(table.at[row, 'per_unit'])} "
                     f"({fmt_number(frame.at[row, 'throughput'])} on {frame.at[row, 'accelerator']} = "
                     f"{table.at[row, 'units']:g} units) is {fmt_ratio(ratio)} the median "
                     f"{fmt_number(table.at[row, 'median'])} of {len(members)} {basis}; "
                     f"expected within {options.factor:g}x"),
            row=row, field="throughput",
            evidence={"per_unit": rounded(table.at[row, "per_unit"]),
                      "units": rounded(table.at[row, "units"]),
                      "median": rounded(table.at[row, "median"]), "ratio": rounded(ratio, 3),
                      "factor": options.factor, "compared_with": basis,
                      "compared_rows": [{"line": parsed.line(r), "row": describe_row(parsed, r),
                                         "per_unit": rounded(table.at[r, "per_unit"])}
                                        for r in some_rows(members, row)],
                      "compared_rows_total": len(members)})


RULE = Rule(code="C503", name="throughput-per-unit-outlier", category="consistency",
            severity="warning",
            summary="Throughput per accelerator unit is far from the model's comparable rows.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            options=(Option("factor", 2.0, "allowed distance from the median, as a factor",
                            minimum=1),
                     Option("min_group", 3, "fewest rows a comparison needs", kind="integer",
                            minimum=2)))

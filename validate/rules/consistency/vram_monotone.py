"""
## What it checks
Memory use does not fall as the configuration grows. Of two rows of a model, one *larger*
than the other (at least as many accelerator units, as large a batch and as long a sequence,
and more of one of them) must not use less VRAM, beyond `tolerance`. The row blamed is the
one in more such pairs; a pair that is the only one blames both rows, since either value may
be the wrong one.

## Why it matters
Each step holds the batch's activations on the units; more units hold more weights and
optimizer state in all, a longer sequence more activations. Memory that falls as any of them
grows is a value swapped between rows, copied from a smaller configuration, or typed into
the wrong row, and it misleads a reader sizing a larger run.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage |
| --- | --- | --- | --- | --- |
| Qwen1.5 7B | 2xlarge | 32 | 1024 | 626,391 MiB |
| Qwen1.5 7B | 2xlarge | 64 | 1024 | 784,485 MiB |
| Qwen1.5 7B | 2xlarge | 128 | 1024 | 638,460 MiB |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage |
| --- | --- | --- | --- | --- |
| Llama2 13B | 8xlarge | 32 | 4096 | 3,181,616 MiB |
| Llama2 13B | 8xlarge | 64 | 4096 | 3,143,781 MiB |
| Llama2 13B | 8xlarge | 128 | 4096 | 3,013,826 MiB |
```
(a few percent less: allocators and caches make peak memory wander that much.)

## Options
- `tolerance` (default 0.1): the largest fall accepted, as a share of the smaller
  configuration's VRAM. Peak memory of one configuration varies by a few percent between
  runs (allocator caching, fragmentation); a tenth is well beyond that.
- `group_by` (default `[model]`): the rows compared with each other.

## Fix
Check both rows' memory figures against the runs' logs; one of them belongs to another row.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, fmt_number, rule_doc
from validate.rules.common import describe_row, group_ids, in_unit, per_table, repeated_configuration

NEEDS = ("vram",)


@per_table
def falls(parsed, options):
    """{row blamed: [(other row, share fallen, whether this row is the larger)]}."""
    import numpy as np

    from validate.rules.consistency.scaling import configuration_features

    vram = in_unit(parsed, "vram", "MiB").to_numpy(dtype="float64", na_value=np.nan)
    features = configuration_features(parsed)
    if not features:
        return {}
    matrix = np.column_stack(list(features.values()))
    groups = group_ids(parsed, tuple(options.group_by))
    usable = (groups >= 0) & ~np.isnan(vram) & ~np.isnan(matrix).any(axis=1) & (vram > 0)
    usable &= ~repeated_configuration(parsed).to_numpy()
    pairs = []
    order = np.flatnonzero(usable)
    for group in np.unique(groups[order]):
        rows = order[groups[order] == group]
        if len(rows) < 2:
            continue
        config = matrix[rows]
        # larger[i, j]: row i is at least row j in every feature and more in one.
        at_least = (config[:, None, :] >= config[None, :, :]).all(axis=2)
        larger = at_least & (config[:, None, :] > config[None, :, :]).any(axis=2)
        fallen = vram[rows][:, None] < (1 - options.tolerance) * vram[rows][None, :]
        for i, j in zip(*np.nonzero(larger & fallen)):
            pairs.append((int(rows[i]), int(rows[j]), 1 - vram[rows[i]] / vram[rows[j]]))
    count: dict[int, int] = {}
    for big, small, _ in pairs:
        count[big] = count.get(big, 0) + 1
        count[small] = count.get(small, 0) + 1
    blamed: dict[int, list] = {}
    for big, small, share in pairs:
        if count[big] >= count[small]:
            blamed.setdefault(big, []).append((small, share, True))
        if count[small] >= count[big]:
            blamed.setdefault(small, []).append((big, share, False))
    return blamed


def check(frame, options, parsed):
    import pandas as pd

    failing = pd.Series(False, index=frame.index)
    failing.iloc[sorted(falls(parsed, options))] = True
    return ~failing


def explain(parsed, rows, options):
    found = falls(parsed, options)
    vram = parsed.source_cells("vram")
    for row in rows:
        others = sorted(found.get(row, []), key=lambda item: -item[1])
        if not others:
            continue
        other, share, larger = others[0]
        if larger:
            said = (f"is {share:.0%} below the {vram[other]!r} of line {parsed.line(other)}, "
                    f"a smaller configuration")
        else:
            said = (f"is above the {vram[other]!r} of line {parsed.line(other)}, a larger "
                    f"configuration ({share:.0%} less there)")
        yield Hit(
            message=(f"vram {vram[row]!r} on {describe_row(parsed, row)} {said}: memory does not "
                     f"fall as units, batch or sequence grow (tolerance {options.tolerance:.0%})"),
            row=row, field="vram",
            evidence={"fall": round(share, 3), "tolerance": options.tolerance,
                      "other_rows": [{"line": parsed.line(o), "row": describe_row(parsed, o),
                                 "vram": vram[o], "this_row_larger": big, "fall": round(s, 3)}
                                for o, s, big in others[:5]],
                      "other_rows_total": len(others)})


RULE = Rule(grouping=("cell", "row", "listed-rows"), code="C508", name="vram-falls-as-configuration-grows",
            category="consistency", severity="warning",
            summary="A larger configuration of a model uses less memory than a smaller one.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            options=(Option("tolerance", 0.1, "largest fall accepted, as a share", minimum=0),
                     Option("group_by", ("model",), "rows compared with each other",
                            kind="fields")))

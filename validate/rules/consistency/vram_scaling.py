"""
## What it checks
A row's memory use (VRAM) follows the scaling of its model's other rows: memory is summed
over the accelerator's units and grows with the batch and the sequence each step holds, so
log VRAM is fitted robustly per model as a linear function of log units, log batch size and
log sequence length, and each row is compared with what the *other* rows predict for its
configuration (leave-one-out, as the throughput rule C503 does). A row is flagged when it is
more than `deviations` times the model's own scatter away (never less than `noise`) and at
least `min_factor` away. VRAM that falls or stays flat while the batch or the units grow
is what such a row usually shows; a value 1024x off is one written in GiB as MiB.

## Why it matters
Memory figures are seven-digit numbers typed by hand: a dropped digit, a value in the wrong
unit or a row pasted from another flavor leaves a number that no run could have used, and a
reader sizing an accelerator from it will be wrong by the same factor.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage |
| --- | --- | --- | --- | --- |
| Baichuan2 13B | 2xlarge | 32 | 1024 | 843,375 MiB |
| Baichuan2 13B | 2xlarge | 64 | 1024 | 858,128 MiB |
| Baichuan2 13B | 2xlarge | 128 | 1024 | 866,656 MiB |
| Baichuan2 13B | 4xlarge | 32 | 2048 | 1,503,218 MiB |
| Baichuan2 13B | 4xlarge | 64 | 2048 | 1,589,301 MiB |
| Baichuan2 13B | 4xlarge | 128 | 2048 | 1,541 MiB |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage |
| --- | --- | --- | --- | --- |
| Baichuan2 13B | 2xlarge | 32 | 1024 | 843,375 MiB |
| Baichuan2 13B | 2xlarge | 64 | 1024 | 858,128 MiB |
| Baichuan2 13B | 2xlarge | 128 | 1024 | 866,656 MiB |
| Baichuan2 13B | 4xlarge | 32 | 2048 | 1,503,218 MiB |
| Baichuan2 13B | 4xlarge | 64 | 2048 | 1,589,301 MiB |
| Baichuan2 13B | 4xlarge | 128 | 2048 | 1,641,212 MiB |
```

## Options
- `deviations` (default 4): how many times the model's scatter (robust, in log units) a row
  may be off.
- `noise` (default 0.1): the scatter assumed at least: allocators and caches make peak memory
  wander by a few percent between runs of one configuration.
- `min_factor` (default 1.5): the least deviation reported, as a factor.
- `group_by` (default `[model]`): the rows that share one scaling.
- `min_group` (default 3): the fewest rows a group needs to be judged: a row is judged by
  the others, and two others that disagree with each other judge nothing.

## Fix
Check the figure and its unit against the run's logs.
"""


from validate.rules.base import Rule, rule_doc
from validate.rules.common import fit_options, in_unit, per_table, repeated_configuration

NEEDS = ("vram", "model")


@per_table
def verdicts(parsed, options):
    import numpy as np

    from validate.rules.consistency.scaling import fit_measurement, judge

    values = in_unit(parsed, "vram", "MiB").to_numpy(dtype="float64", na_value=np.nan)
    fit = fit_measurement(parsed, "vram", values, tuple(options.group_by),
                          repeated_configuration(parsed).to_numpy(), min_rows=options.min_group)
    return judge(fit, values, np.full(len(values), options.noise), options.deviations,
                 options.min_factor, parsed.segment_of())


def check(frame, options, parsed):
    import pandas as pd

    return pd.Series(~verdicts(parsed, options).flagged, index=frame.index)


def explain(parsed, rows, options):
    from validate.rules.consistency.scaling import scaling_hits

    yield from scaling_hits(parsed, rows, verdicts(parsed, options), "vram", options, unit=" MiB")


RULE = Rule(grouping=("cell", "row", "adjacent-rows"), code="C507", name="vram-scaling-outlier", category="consistency", severity="warning",
            summary="A memory figure does not follow its model's scaling with units, batch and sequence.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            view={"kind": "fit-band", "values": verdicts, "groups": "group_by", "label": "memory used (MiB)"},
            options=fit_options(noise=0.1, min_factor=1.5))

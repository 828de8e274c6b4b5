"""
## What it checks
A row's throughput follows the scaling of its model's other rows. For each model, log
throughput is fitted robustly as a linear function of log accelerator units (2xlarge = 2,
from `schemas/reference/accelerators.yaml`), log batch size and log sequence length, i.e.
throughput ~ units^a x batch^b x seq^c. Each row is compared with what the *other* rows of its
model predict for its configuration (a leave-one-out fit), so the row that deviates is the
one named, not a sibling that agrees with the rest. A row is flagged when it is more than
`deviations` times the model's own scatter away (never less than `noise`, the scatter of
repeated benchmark runs) and at least `min_factor` away. With few rows, the exponents lean on physics (a = 1: data parallelism; b = 0.5;
c = 0) and the data take over as rows are added.

## Why it matters
Throughput is typed by hand for each configuration. A value pasted from another row, a digit
dropped or doubled, or a value from another flavor breaks the regularity that the model's
other rows share; a figure 2.8x off the model's scaling is either a typo or a result that
needs its own explanation.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Qwen1.5 7B | 2xlarge | 32 | 1024 | 24,156 |
| Qwen1.5 7B | 2xlarge | 64 | 1024 | 47,679 |
| Qwen1.5 7B | 2xlarge | 128 | 1024 | 15,890 |
| Qwen1.5 7B | 4xlarge | 32 | 2048 | 51,353 |
| Qwen1.5 7B | 4xlarge | 64 | 2048 | 93,165 |
| Qwen1.5 7B | 4xlarge | 128 | 2048 | 194,282 |
```
(15,890 is about a fifth of what the other rows predict for 2xlarge at batch 128.)

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Qwen1.5 7B | 2xlarge | 32 | 1024 | 24,156 |
| Qwen1.5 7B | 2xlarge | 64 | 1024 | 47,679 |
| Qwen1.5 7B | 2xlarge | 128 | 1024 | 95,302 |
| Qwen1.5 7B | 4xlarge | 32 | 2048 | 51,353 |
| Qwen1.5 7B | 4xlarge | 64 | 2048 | 93,165 |
| Qwen1.5 7B | 4xlarge | 128 | 2048 | 194,282 |
```

## Options
- `deviations` (default 4): how many times the model's scatter (robust, in log units) a row
  may be off. Four standard deviations leave about one clean row in 15,000 flagged by chance
  on normal noise.
- `noise` (default 0.1): the scatter assumed at least (10%: repeated runs of one benchmark
  differ by a few percent, and pages round), so a model whose rows fit too well does not make
  every small wobble an outlier.
- `min_factor` (default 1.5): the least deviation reported, as a factor.
- `group_by` (default `[model]`): the rows that share one scaling.
- `min_group` (default 3): the fewest rows a group needs to be judged: a row is judged by
  the others, and two others that disagree with each other judge nothing.

## Fix
Check the flagged row's throughput and configuration against the run's logs; a value about
10x or 1000x off is a slipped digit.
"""


from validate.rules.base import Rule, rule_doc
from validate.rules.common import fit_options, per_table, repeated_configuration

NEEDS = ("throughput", "model")


@per_table
def verdicts(parsed, options):
    import numpy as np

    from validate.rules.consistency.scaling import fit_measurement, judge

    values = parsed.numbers("throughput")
    fit = fit_measurement(parsed, "throughput", values, tuple(options.group_by),
                          repeated_configuration(parsed).to_numpy(), min_rows=options.min_group)
    return judge(fit, values, np.full(len(values), options.noise), options.deviations,
                 options.min_factor, parsed.segment_of())


def check(frame, options, parsed):
    import pandas as pd

    return pd.Series(~verdicts(parsed, options).flagged, index=frame.index)


def explain(parsed, rows, options):
    from validate.rules.consistency.scaling import scaling_hits

    found = verdicts(parsed, options)
    yield from scaling_hits(parsed, rows, found, "throughput", options, unit=" tokens/s")


RULE = Rule(grouping=("cell", "row", "adjacent-rows"), code="C503", name="throughput-per-unit-outlier", category="consistency",
            severity="warning",
            summary="A throughput does not follow its model's scaling with units, batch and sequence.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            view={"kind": "fit-band", "values": verdicts, "groups": "group_by", "label": "throughput (tokens/s)"},
            options=fit_options(noise=0.1, min_factor=1.5))

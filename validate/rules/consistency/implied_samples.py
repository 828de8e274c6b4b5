"""
## What it checks
Throughput, training time and sequence length agree with each other. Throughput is tokens
per second of `batch_size x seq_len`-token steps and the training time covers the whole run,
so `throughput x train_time_seconds / seq_len` is the number of samples the run processed:
the size of its dataset. Rows measured together (one model on one flavor, by default) work
through the same dataset, or one that changes smoothly with the configuration, so log
samples are fitted robustly per group as a linear function of log units, log batch and log
sequence length (priors: no change), and each row is compared with what the *other* rows of
its group predict (leave-one-out, as C503 does for throughput). A row is flagged when it is more than `deviations` times the model's scatter
away and at least `min_factor` away; the scatter is never taken below `noise`, widened on
short runs, whose time is rounded (`7m` is 6.5 to 7.5 minutes) and holds a fixed overhead
(start-up, checkpoints) that is a large share of a few minutes. The finding sits on the training time: a throughput that is itself off its model's
scaling is reported by C503 as well.

Two rows with the same short time but different work (`16m` on two flavors while the
throughput doubles) are the typical case: one time was copied from the other row.

## Why it matters
Throughput and time are measured separately and edited separately. When one of them is
updated and the other is not (or a value lands in the wrong row), the two stop describing
the same run; this check finds the row where they part ways, with the numbers to prove it.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | Training Time | throughput |
| --- | --- | --- | --- | --- | --- |
| Qwen1.5 7B | 2xlarge | 32 | 1024 | 12m | 24,156 |
| Qwen1.5 7B | 2xlarge | 64 | 1024 | 9m | 47,679 |
| Qwen1.5 7B | 4xlarge | 32 | 2048 | 12m | 51,353 |
| Qwen1.5 7B | 4xlarge | 64 | 2048 | 8m | 93,165 |
| Qwen1.5 7B | 8xlarge | 64 | 4096 | 8m | 186,353 |
| Qwen1.5 7B | 8xlarge | 128 | 4096 | 16m | 376,493 |
```
The last row implies twice the samples of its siblings: 16 minutes at that throughput.

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | Training Time | throughput |
| --- | --- | --- | --- | --- | --- |
| Qwen1.5 7B | 2xlarge | 32 | 1024 | 12m | 24,156 |
| Qwen1.5 7B | 2xlarge | 64 | 1024 | 9m | 47,679 |
| Qwen1.5 7B | 4xlarge | 32 | 2048 | 12m | 51,353 |
| Qwen1.5 7B | 4xlarge | 64 | 2048 | 8m | 93,165 |
| Qwen1.5 7B | 8xlarge | 64 | 4096 | 8m | 186,353 |
| Qwen1.5 7B | 8xlarge | 128 | 4096 | 7m | 376,493 |
```

## Options
- `deviations` (default 4): how many times the model's scatter a row may be off.
- `noise` (default 0.15): the scatter assumed at least, in log units: samples combine two
  measurements (throughput and time), each a few percent off between runs.
- `min_factor` (default 1.5): the least deviation reported, as a factor.
- `group_by` (default `[model, accelerator]`): the rows that share one dataset. Rows
  measured together on one flavor do: the guide's own pages show a model's datasets differing
  by 2-4x between flavors, and agreeing within one.
- `fallback_group_by` (default `[model]`): used for rows whose group is too small.
- `min_group` (default 3): the fewest rows a group needs: two rows cannot tell which of
  them is off.
- `overhead_minutes` (default 1): the part of a run's time that is no training (loading the
  model, writing checkpoints); it widens the noise of short runs by `overhead / time`.

## Fix
Check the row's throughput and training time against the run's logs; one of them (or the
sequence length) is from another run.
"""


from validate.rules.base import Option, Rule, fmt_number, rule_doc
from validate.rules.common import fit_options, per_table, repeated_configuration, significant_digits_of

NEEDS = ("throughput", "train_time", "seq_len", "model")


@per_table
def verdicts(parsed, options):
    """Implied samples per row, judged against the model's fit."""
    import numpy as np

    from validate.rules.consistency.scaling import fit_measurement, judge

    time = parsed.numbers("train_time")
    samples = parsed.numbers("throughput") * time * 60 / parsed.numbers("seq_len")
    # Rounding of the written time: `7m` stands for 6.5 to 7.5 minutes (a uniform error of
    # +-0.5/7, standard deviation 0.29/7), which adds to the noise of short runs.
    digits = significant_digits_of(np.nan_to_num(time, nan=1.0))
    with np.errstate(all="ignore"):
        resolution = 10.0 ** (np.floor(np.log10(np.abs(time))) - digits + 1)
        rounding = 0.29 * resolution / time
    # A run's time also holds a fixed overhead (start-up, checkpoints) that is no part of the
    # work: a large share of a 7-minute run, none of a 7-hour one.
    with np.errstate(all="ignore"):
        overhead = options.overhead_minutes / time
    noise = np.sqrt(options.noise ** 2 + np.nan_to_num(rounding) ** 2 + np.nan_to_num(overhead) ** 2)
    fit = fit_measurement(parsed, "samples", samples, tuple(options.group_by),
                          repeated_configuration(parsed).to_numpy(),
                          tuple(options.fallback_group_by), min_rows=options.min_group)
    return judge(fit, samples, noise, options.deviations, options.min_factor,
                 parsed.segment_of())


def check(frame, options, parsed):
    import pandas as pd

    return pd.Series(~verdicts(parsed, options).flagged, index=frame.index)


def explain(parsed, rows, options):
    import numpy as np

    from validate.rules.consistency.scaling import scaling_hits

    times = parsed.source_cells("train_time")
    model = parsed.typed_cells("model")
    segment = parsed.segment_of()
    by_time: dict = {}
    for r, (m, t) in enumerate(zip(model, times)):
        by_time.setdefault((int(segment[r]), str(m), t), []).append(r)

    def lead(row, samples):
        same = [r for r in by_time[(int(segment[row]), str(model[row]), times[row])] if r != row]
        also = (f" (the time {times[row]!r} is also that of line {parsed.line(same[0])})"
                if same else "")
        return (f"throughput {fmt_number(parsed.numbers('throughput')[row])} tokens/s over "
                f"{times[row]!r}{also} at sequence length {fmt_number(parsed.numbers('seq_len')[row])} "
                f"implies {fmt_number(samples)} samples, which")

    # The cell to blame: the throughput when it is itself off its model's scaling by most of
    # the samples' deviation (C503 says so too), otherwise the time, typed apart from it.
    throughput = throughput_fit(parsed, tuple(options.fallback_group_by) or ("model",))
    found = verdicts(parsed, options)
    for row in rows:
        own, total = throughput.residual[row], found.fit.residual[row]
        field = ("throughput" if not np.isnan(own) and own * total > 0 and abs(own) >= abs(total) / 2
                 else "train_time")
        yield from scaling_hits(parsed, [row], found, field, options, lead=lead)


@per_table
def throughput_fit(parsed, group_by):
    from validate.rules.consistency.scaling import fit_measurement

    return fit_measurement(parsed, "throughput", parsed.numbers("throughput"), group_by,
                           repeated_configuration(parsed).to_numpy())


RULE = Rule(grouping=("cell", "row", "adjacent-rows"), code="C501", name="throughput-time-mismatch", category="consistency",
            severity="warning",
            summary="Throughput x time / sequence length is off what the model's other rows imply.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            view={"kind": "fit-band", "values": verdicts, "groups": "fallback_group_by",
                  "label": "implied samples (throughput x train time / sequence length)"},
            options=fit_options(group_by=("model", "accelerator")) + (
                Option("fallback_group_by", ("model",), "used when a group is too small",
                       kind="fields"),
                Option("overhead_minutes", 1.0, "fixed time of a run that is no work (start-up)",
                       minimum=0)))

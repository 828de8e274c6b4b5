"""
## What it checks
On the same model, accelerator and sequence length, a larger batch does not give a lower
throughput than a smaller batch, beyond what the model's own noise allows (see the options). Each row is compared with the best
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
- `tolerance` (default 0.1): the least drop reported, as a share of the smaller batch's
  throughput.
- `deviations` (default 4) and `noise` (default 0.1): a drop must also exceed `deviations`
  times the table's typical scatter (its throughputs about their models' own scaling, as C503
  measures it, never below `noise`): two noisy values differ by that much by chance, and
  the best of several earlier rows lies high by chance.
- `group_by` (default `[model, accelerator, seq_len]`): the rows compared with each other.

## Fix
Check the flagged row's throughput and batch size against the run's logs.
"""

from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import per_table, repeated_configuration
from validate.rules.consistency.analyses import best_before, drop_hits, drop_options, drops

NEEDS = ("throughput", "batch_size")


@per_table
def best_smaller(parsed, options):
    """Per row: the best throughput among the smaller batches of its group, and its row."""
    frame = parsed.values
    keys = [k for k in options.group_by if k in frame.columns]
    return best_before(parsed, keys, frame["batch_size"].astype("float64"),
                       leave_out=repeated_configuration(parsed))


def check(frame, options, parsed):
    return ~drops(parsed, best_smaller(parsed, options), options)


def explain(parsed, rows, options):
    batch = parsed.typed_cells("batch_size")
    yield from drop_hits(parsed, rows, best_smaller(parsed, options), options,
                         label=lambda row: f"batch {batch[row]}",
                         reason="a larger batch should not be slower", evidence_key="smaller_batch")


RULE = Rule(grouping=("cell", "row"), code="C502", name="throughput-drops-with-batch", category="consistency",
            severity="warning",
            summary="A larger batch shows lower throughput than a smaller one.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            view={"kind": "lines", "x": "batch_size", "y": "throughput", "panel": "model",
                  "series": ("accelerator", "seq_len")},
            options=drop_options("batch") + (
                     Option("group_by", ("model", "accelerator", "seq_len"),
                            "rows compared with each other", kind="fields"),))

"""
## What it checks
On the same model, batch size and sequence length, a flavor with more accelerator units
(2xlarge = 2, 4xlarge = 4, ...) does not give a lower throughput than a smaller flavor,
beyond what the model's own noise allows (see the options). Each row is compared with the best throughput of the smaller flavors.

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
- `tolerance` (default 0.1): the least drop reported, as a share of the smaller flavor's
  throughput.
- `deviations` (default 4) and `noise` (default 0.1): a drop must also exceed `deviations`
  times the table's typical scatter (its throughputs about their models' own scaling, as C503
  measures it, never below `noise`): two noisy values differ by that much by chance, and
  the best of several earlier rows lies high by chance.
- `group_by` (default `[model, batch_size, seq_len]`): the rows compared with each other.

## Fix
Check the flagged row's throughput and flavor against the run's logs.
"""

from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import flavor_figures, per_table, repeated_configuration
from validate.rules.consistency.analyses import best_before, drop_hits, drop_options, drops

NEEDS = ("throughput", "accelerator")


@per_table
def best_smaller_flavor(parsed, options):
    """Per row: the best throughput among the smaller flavors of its group, and its row."""
    frame = parsed.values
    units = flavor_figures(frame["accelerator"], parsed.reference, "units")
    keys = [k for k in options.group_by if k in frame.columns]
    return best_before(parsed, keys, units, leave_out=repeated_configuration(parsed))


def check(frame, options, parsed):
    return ~drops(parsed, best_smaller_flavor(parsed, options), options)


def explain(parsed, rows, options):
    flavor = parsed.typed_cells("accelerator")
    yield from drop_hits(parsed, rows, best_smaller_flavor(parsed, options), options,
                         label=lambda row: str(flavor[row]),
                         reason="more units should not be slower for the same batch",
                         evidence_key="smaller_flavor")


RULE = Rule(grouping=("cell", "row"), code="C505", name="throughput-drops-with-units", category="consistency",
            severity="warning",
            summary="A flavor with more units shows lower throughput for the same batch.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            options=drop_options("flavor") + (
                     Option("group_by", ("model", "batch_size", "seq_len"),
                            "rows compared with each other", kind="fields"),))

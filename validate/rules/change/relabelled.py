"""
## What it checks
A row whose configuration an edit changed while its measurements stayed exactly the same
(compared with the revision given to `--since`): a row removed and a row added with the very
same VRAM, time and throughput.

## Why it matters
Copying a row and editing its configuration is how a page gains rows it never measured: the
new configuration now claims another run's numbers.

## Example that fires
At the revision `| Llama3 8B | 2xlarge | 128 | 1024 | 867,021 MiB | 220m | 93,291 TPS |`; now:
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage | Training Time | throughput |
| --- | --- | --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 256 | 1024 | 867,021 MiB | 220m | 93,291 TPS |
```

## Example that does not
A new row with its own measurements.
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage | Training Time | throughput |
| --- | --- | --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 256 | 1024 | 1,013,228 MiB | 131m | 171,022 TPS |
```

## Options
None.

## Fix
Measure the new configuration, or restore the old one.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc
from validate.rules.change import at_ref
from validate.rules.common import describe_row


def check(ctx, options):
    changes = ctx.changes
    for old_row, row in changes.relabelled:
        yield Hit(
            message=(f"row {describe_row(changes.new, row)} was {describe_row(changes.old, old_row)} "
                     f"at {at_ref(ctx.ref)} (line {changes.old.line(old_row)}) with the very same "
                     f"measurements: a configuration edited, its numbers kept"),
            row=row, field=None,
            evidence={"before": describe_row(changes.old, old_row), "after": describe_row(changes.new, row),
                      "ref": ctx.ref, "old_line": changes.old.line(old_row)})


RULE = Rule(grouping=("cell", "row"), code="C602", name="row-relabelled-in-edit", category="consistency",
            severity="warning",
            summary="An edit changed a row's configuration but kept its measurements.",
            doc=rule_doc(__doc__), scope="change", check=check)

"""
## What it checks
An edit that moved a number by about 10x, 100x or 1000x (a digit dropped or doubled), 1024x
(GiB and MiB confused) or 60x (hours and minutes): the new value is compared with the same
cell at the revision given to `--since` (the last commit, in the pre-commit hook), and
flagged when the ratio is within `tolerance` of one of those factors. Rows are paired by
their configuration, so a moved row is still compared with itself.

## Why it matters
A re-measurement moves a figure by percents, not by a power of ten. An edit that makes a
throughput ten times larger is a slip of the keyboard, caught best at the moment it is made,
while the old value is one `git show` away.

## Example that fires
At the last commit `| Llama3 8B | 2xlarge | 128 | 1024 | 93,291 TPS |`; now:
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 932,910 TPS |
```

## Example that does not
The same row re-measured (`95,302 TPS`), or written another way (`93291 TPS`).
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 95,302 TPS |
```

## Options
- `tolerance` (default 0.15): how near the ratio must be to a slip's factor (15%: a value
  re-typed with a digit doubled is off by 9-11x, a re-measurement rarely by more than 50%).

## Fix
Restore the digit: the old value is in the message.
"""

import math

from validate.findings import Hit
from validate.rules.base import Option, Rule, fmt_ratio, rule_doc
from validate.rules.change import at_ref

_SLIPS = ((1024, "GiB and MiB confused"), (1000, "three digits too many or too few"),
          (100, "two digits too many or too few"), (60, "hours and minutes confused"),
          (10, "a digit too many or too few"))


def check(ctx, options):
    changes = ctx.changes
    for change in changes.cells:
        if not change.value_changed or not changes.new.schema.fields[change.field].numeric:
            continue
        before = changes.old.numbers(change.field)[change.old_row]
        after = changes.new.numbers(change.field)[change.row]
        if not (before > 0 and after > 0):
            continue
        ratio = after / before
        folded = max(ratio, 1 / ratio)
        for factor, what in _SLIPS:
            if abs(math.log(folded / factor)) <= math.log(1 + options.tolerance):
                yield Hit(
                    message=(f"{change.field} {change.after!r} is {fmt_ratio(ratio)} its value at "
                             f"{at_ref(ctx.ref)}, {change.before!r}: {what}?"),
                    row=change.row, field=change.field,
                    evidence={"before": change.before, "after": change.after, "ref": ctx.ref,
                              "ratio": float(f"{ratio:.4g}"), "factor": factor,
                              "old_line": changes.old.line(change.old_row)})
                break


RULE = Rule(grouping=("cell", "row"), code="C603", name="edit-slipped-digits", category="consistency",
            severity="error",
            summary="An edit moved a number by about 10x, 1000x, 1024x or 60x.",
            doc=rule_doc(__doc__), scope="change", check=check,
            options=(Option("tolerance", 0.15, "how near a slip's factor the ratio must be",
                            minimum=0),))

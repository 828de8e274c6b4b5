"""
## What it checks
A measurement whose value an edit changed while its row's configuration and platform version
stayed the same (compared with the revision given to `--since`). Figures measured again come
with the platform version they were measured on; new figures under the old version are
either a correction (say so in the commit) or a value typed over by mistake.

## Why it matters
The page's numbers are read as "measured on version X". A figure changed without its version
changes what the page claims was measured on X, and nothing on the page shows it.

## Example that fires
At the revision `| Llama3 8B | 24.5.0 | 2xlarge | 128 | 1024 | 93,291 TPS |`; now:
```markdown
| Model | MoAI Platform version | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- | --- |
| Llama3 8B | 24.5.0 | 2xlarge | 128 | 1024 | 95,302 TPS |
```

## Example that does not
The same new figure with its new version, `| Llama3 8B | 24.6.0 | ... | 95,302 TPS |`.
```markdown
| Model | MoAI Platform version | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- | --- |
| Llama3 8B | 24.6.0 | 2xlarge | 128 | 1024 | 95,302 TPS |
```

## Options
None.

## Fix
Update the platform version with the figures, or explain the correction in the commit.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc
from validate.rules.change import at_ref, measured_changes, version_kept


def check(ctx, options):
    changes = ctx.changes
    for change in measured_changes(changes):
        if not version_kept(changes, change.old_row, change.row):
            continue
        yield Hit(
            message=(f"{change.field} was {change.before!r} at {at_ref(ctx.ref)} and is "
                     f"{change.after!r} now, with the same configuration and platform version: "
                     f"a new measurement comes with the version it was measured on"),
            row=change.row, field=change.field,
            evidence={"before": change.before, "after": change.after, "ref": ctx.ref,
                      "old_line": changes.old.line(change.old_row)})


RULE = Rule(grouping=("cell", "row", "adjacent-rows"), code="C601", name="measurement-edited-in-place",
            category="consistency", severity="warning",
            summary="An edit changed a measurement but kept its configuration and version.",
            doc=rule_doc(__doc__), scope="change", check=check)

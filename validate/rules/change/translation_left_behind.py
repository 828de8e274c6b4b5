"""
## What it checks
An edit that changed a measurement on one language version of a page while the other version
still shows the old value for the same configuration (compared with the revision given to
`--since`): the other version is now stale. Flagged where the edit was made, naming the cell
to update in the other version.

## Why it matters
Translations fall behind one edit at a time. The moment of the edit is when the author knows
both pages need the change; a week later nobody remembers which side is current.

## Example that fires
`guide.en.md` changed `93,291 TPS` to `95,302 TPS`; `guide.ko.md` still has:
```markdown
| 모델명 | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 93,291 |
```

## Example that does not
The Korean page updated in the same edit.
```markdown
| 모델명 | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 95,302 |
```

## Options
None.

## Fix
Make the same change in the other language version.
"""

from validate.changes import _key, _same
from validate.findings import Hit
from validate.rules.base import Rule, rule_doc
from validate.rules.change import at_ref, measured_changes


def check(ctx, options):
    changes = ctx.changes
    for partner in ctx.partners:
        rows = {}
        for row in range(len(partner.values)):
            rows.setdefault(_key(partner, row), row)
        for change in measured_changes(changes):
            other = rows.get(_key(changes.new, change.row))
            if other is None or change.field not in partner.values.columns:
                continue
            if _same(partner.typed_cells(change.field)[other], changes.old.typed_cells(change.field)[change.old_row]):
                shown = partner.source_cells(change.field)[other]
                yield Hit(
                    message=(f"{change.field} changed from {change.before!r} to {change.after!r} here, "
                             f"but {partner.path}:{partner.line(other)} still shows {shown!r}: update "
                             f"that version too"),
                    row=change.row, field=change.field,
                    evidence={"before": change.before, "after": change.after, "ref": ctx.ref,
                              "other_file": partner.path, "other_line": partner.line(other),
                              "other_value": shown})


RULE = Rule(grouping=("cell", "row"), code="C605", name="translation-left-behind", category="consistency",
            severity="warning",
            summary="An edit changed a number on one language version; the other still shows the old one.",
            doc=rule_doc(__doc__), scope="change", check=check)

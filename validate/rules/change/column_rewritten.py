"""
## What it checks
An edit that changed one measurement of every row of a model (at least `min_rows` rows) while
their platform version stayed the same (compared with the revision given to `--since`).

## Why it matters
A whole column of a model rewritten under an unchanged version is a new benchmark run
presented as the old one, or values pasted from another model's rows.

## Example that fires
At the revision the two Qwen rows read `93,165 TPS` and `186,353 TPS`; now:
```markdown
| Model | MoAI Platform version | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- | --- |
| Qwen1.5 7B | 24.5.0 | 4xlarge | 64 | 2048 | 101,223 TPS |
| Qwen1.5 7B | 24.5.0 | 8xlarge | 64 | 4096 | 199,870 TPS |
```

## Example that does not
The same new figures under a new platform version.
```markdown
| Model | MoAI Platform version | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- | --- |
| Qwen1.5 7B | 24.6.0 | 4xlarge | 64 | 2048 | 101,223 TPS |
| Qwen1.5 7B | 24.6.0 | 8xlarge | 64 | 4096 | 199,870 TPS |
```

## Options
- `min_rows` (default 2): the fewest rows of a model that make a column.

## Fix
Give the rows the platform version their new figures were measured on.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, rule_doc
from validate.rules.change import at_ref, measured_changes, version_kept


def check(ctx, options):
    changes = ctx.changes
    new = changes.new
    if "model" not in new.values.columns:
        return
    model = new.typed_cells("model")
    paired: dict[str, list[tuple[int, int]]] = {}
    for old_row, row in changes.pairs:
        paired.setdefault(str(model[row]), []).append((old_row, row))
    edited: dict[tuple[str, str], list] = {}
    for change in measured_changes(changes):
        if version_kept(changes, change.old_row, change.row):
            edited.setdefault((str(model[change.row]), change.field), []).append(change)
    for (name, field), cells in edited.items():
        rows = paired.get(name, [])
        if len(rows) < options.min_rows or len(cells) < len(rows):
            continue
        first = min(cells, key=lambda c: c.row)
        yield Hit(
            message=(f"every {field} of {name} ({len(cells)} rows) changed since {at_ref(ctx.ref)} "
                     f"while the platform version did not: a new run under the old version, or "
                     f"values from other rows?"),
            row=first.row, field=field,
            evidence={"model": name, "rows": len(cells), "ref": ctx.ref,
                      "changes": [{"line": new.line(c.row), "before": c.before, "after": c.after}
                                  for c in sorted(cells, key=lambda c: c.row)[:5]]})


RULE = Rule(grouping=("cell", "row"), code="C604", name="column-rewritten-in-edit", category="consistency",
            severity="warning",
            summary="An edit rewrote a measurement on every row of a model, version unchanged.",
            doc=rule_doc(__doc__), scope="change", check=check,
            options=(Option("min_rows", 2, "fewest rows of a model that make a column",
                            kind="integer", minimum=2),))

"""
## What it checks
When both language versions give a configuration the very same measurements, they also give
it the same platform version. Flagged in both files, at the version cell.

## Why it matters
The same numbers under two versions means one side relabelled the row without measuring
again (or forgot to relabel): readers of one language are told the figures hold for a
version they were never measured on.

## Example that fires
`guide.en.md`: `| Baichuan2 13B | 24.5.0 | 2xlarge | 128 | 1024 | 866,656 MiB | 30m | 99,873 TPS |`,
`guide.ko.md`:
```markdown
| 모델명 | MoAI Platform version | MoAI Accelerator | batch size | sequence length | vram 사용량 | 학습 시간 | throughput |
| --- | --- | --- | --- | --- | --- | --- | --- |
| Baichuan2 13B | 24.3.0 | 2xlarge | 128 | 1024 | 866,656 MiB | 30m | 99,873 |
```

## Example that does not
The same row with `24.5.0`, or with different (re-measured) numbers under `24.3.0`.

```markdown
| 모델명 | MoAI Platform version | MoAI Accelerator | batch size | sequence length | vram 사용량 | 학습 시간 | throughput |
| --- | --- | --- | --- | --- | --- | --- | --- |
| Baichuan2 13B | 24.5.0 | 2xlarge | 128 | 1024 | 866,656 MiB | 30m | 99,873 |
```

## Options
None.

## Fix
Give both versions the version the measurements were taken on.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc
from validate.rules.common import describe_row, source_text
from validate.rules.translation.common import match_rows, where

VERSION = "platform_version"


def check(ctx, options):
    if VERSION not in ctx.left.values.columns or VERSION not in ctx.right.values.columns:
        return
    matched, _, _ = match_rows(ctx)
    fields = [f for f in ctx.left.schema.measurements
              if f in ctx.left.values.columns and f in ctx.right.values.columns]
    for left_row, right_row in matched:
        a = ctx.left.values[VERSION].iat[left_row]
        b = ctx.right.values[VERSION].iat[right_row]
        if str(a) == "<NA>" or str(b) == "<NA>" or a == b:
            continue
        values = [(ctx.left.values[f].iat[left_row], ctx.right.values[f].iat[right_row]) for f in fields]
        if not values or any(str(x) == "<NA>" or str(y) == "<NA>" or x != y for x, y in values):
            continue
        for side, row, other_row in (("left", left_row, right_row), ("right", right_row, left_row)):
            here, there = ctx.side(side), ctx.side(ctx.other(side))
            yield side, Hit(
                message=(f"platform version {source_text(here, VERSION, row)!r} here but "
                         f"{source_text(there, VERSION, other_row)!r} in {where(there, other_row)} "
                         f"for the same measurements of {describe_row(here, row)}"),
                row=row, field=VERSION,
                evidence={"other_file": there.path, "other_line": there.line(other_row),
                          "version": source_text(here, VERSION, row),
                          "other_version": source_text(there, VERSION, other_row),
                          "measurements": {f: source_text(here, f, row) for f in fields}})


RULE = Rule(grouping=("cell", "counterpart", "version-bump"), code="T703", name="version-differs-in-translation", category="translation",
            severity="warning",
            summary="The same measurements carry different platform versions across languages.",
            doc=rule_doc(__doc__), scope="pair", check=check)

"""
## What it checks
A number column is written with the same unit in both language versions of a page: `TPS`
on both sides, or on neither. The unit compared is the one most cells of each column write
(`""` for none); when the two differ, each side's header cell is flagged.

## Why it matters
A unit written in one version only is the trace of one side edited apart from the other, and
it leaves one set of readers guessing: `95,302` could be tokens per second per device or in
all; `95,302 TPS` says it.

## Example that fires
`guide.en.md` writes `| Llama3 8B | 2xlarge | 128 | 1024 | 93,291 TPS |`; `guide.ko.md`:
```markdown
| 모델명 | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 93,291 |
```

## Example that does not
```markdown
| 모델명 | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 93,291 TPS |
```

## Options
None.

## Fix
Write the unit the same way in both versions.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc
from validate.rules.common import units_seen


def _usual(parsed, field):
    seen = units_seen(parsed, field)
    return max(sorted(seen), key=seen.get) if seen else None


def check(ctx, options):
    for field in ctx.left.fields:
        if field not in ctx.right.values.columns or not ctx.left.schema.fields[field].numeric:
            continue
        left, right = _usual(ctx.left, field), _usual(ctx.right, field)
        if left is None or right is None or left == right:
            continue
        for side, mine, theirs in (("left", left, right), ("right", right, left)):
            here, there = ctx.side(side), ctx.side(ctx.other(side))
            header = here.table.header[here.match.columns[field]]
            yield side, Hit(
                message=(f"column {header!r} writes {repr(mine) if mine else 'no unit'} here but "
                         f"{repr(theirs) if theirs else 'no unit'} in {there.path} "
                         f"(table at line {there.table.line})"),
                row=None, field=field,
                evidence={"unit": mine, "other_unit": theirs, "other_file": there.path,
                          "units_in_column": units_seen(here, field),
                          "units_in_other_column": units_seen(there, field)})


RULE = Rule(grouping=("field-pair",), style=True, code="T706", name="unit-differs-in-translation", category="translation",
            severity="info",
            summary="A column writes its unit in one language version only.",
            doc=rule_doc(__doc__), scope="pair", check=check)

"""
## What it checks
For every configuration both language versions list, the measurements agree (compared as
typed values, so `99,873` and `99,873 TPS` are equal, and so are `1 GiB` and `1,024 MiB`).
Each differing cell is flagged in both files, with the other version's value and line.

## Why it matters
Numbers are copied into the translation once and then updated on one side only: a reader of
the Korean page sees last quarter's throughput. The finding names both cells, so whoever fixes
one side sees the other.

## Example that fires
`guide.en.md` says `| Llama2 13B | 2xlarge | 128 | 1024 | 699,751 MiB |`, `guide.ko.md` says:
```markdown
| 모델명 | MoAI Accelerator | batch size | sequence length | vram 사용량 |
| --- | --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 128 | 1024 | 790454 MiB |
```

## Example that does not
```markdown
| 모델명 | MoAI Accelerator | batch size | sequence length | vram 사용량 |
| --- | --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 128 | 1024 | 699751 MiB |
```

## Options
- `fields` (default: the schema's `measurements`): the fields compared.
- `tolerance` (default 0): the relative difference accepted between two numbers.

## Fix
Copy the current measurement to the stale version (and its platform version with it).
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import describe_row, source_text
from validate.rules.translation.common import match_rows, where


def _differs(a, b, tolerance: float) -> bool:
    missing_a, missing_b = a is None or a != a, b is None or b != b
    if missing_a or missing_b:
        return missing_a != missing_b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        scale = max(abs(a), abs(b)) or 1.0
        return abs(a - b) / scale > max(tolerance, 1e-9)
    return str(a) != str(b)


def _value(parsed, field, row):
    value = parsed.values[field].iat[row]
    if str(value) == "<NA>":
        return None
    return float(value) if parsed.schema.fields[field].numeric else value


def check(ctx, options):
    matched, _, _ = match_rows(ctx)
    fields = list(options.fields) or list(ctx.left.schema.measurements)
    fields = [f for f in fields if f in ctx.left.values.columns and f in ctx.right.values.columns]
    version = "platform_version"
    for left_row, right_row in matched:
        for field in fields:
            a, b = _value(ctx.left, field, left_row), _value(ctx.right, field, right_row)
            if not _differs(a, b, options.tolerance):
                continue
            for side, row, other_row in (("left", left_row, right_row), ("right", right_row, left_row)):
                here, there = ctx.side(side), ctx.side(ctx.other(side))
                mine = repr(source_text(here, field, row) or "") if source_text(here, field, row) else "empty"
                theirs = (repr(source_text(there, field, other_row))
                          if source_text(there, field, other_row) else "empty")
                versions = ""
                evidence = {"other_file": there.path, "other_line": there.line(other_row),
                            "other_value": source_text(there, field, other_row),
                            "configuration": describe_row(here, row)}
                if version in here.values.columns and version in there.values.columns:
                    v_here = source_text(here, version, row)
                    v_there = source_text(there, version, other_row)
                    evidence.update(version=v_here, other_version=v_there)
                    if v_here != v_there:
                        versions = f"; versions {v_here or '?'} here, {v_there or '?'} there"
                yield side, Hit(
                    message=(f"{field} {mine} here but {theirs} in "
                             f"{where(there, other_row)} for {describe_row(here, row)}{versions}"),
                    row=row, field=field, evidence=evidence)


RULE = Rule(grouping=("cell", "counterpart", "row"), code="T702", name="value-differs-in-translation", category="translation",
            severity="warning",
            summary="Two language versions give different measurements for one configuration.",
            doc=rule_doc(__doc__), scope="pair", check=check,
            options=(Option("fields", (), "fields compared (empty: the schema's measurements)",
                            kind="fields"),
                     Option("tolerance", 0.0, "accepted relative difference", minimum=0)))

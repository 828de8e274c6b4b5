"""
## What it checks
No two columns of a table matched to a schema carry the same header, and no two columns
name the same field (for example `VRAM` and `vram 사용량` in one table). Tables that match no
schema may repeat a header under different groups (`COCO: TR / IR`, `Flickr30K: TR / IR`
written on a line above the header): nothing is merged there, so nothing is reported.

## Why it matters
With two columns for one field, only the first one's values reach the cleaned data and the
checks; the other is silently ignored, and a reader cannot tell which one is right.

## Example that fires
```markdown
| model | VRAM | vram 사용량 |
| --- | --- | --- |
| Llama2 13B | 699,751 MiB | 699,751 MiB |
```

## Example that does not
```markdown
| model | VRAM | time |
| --- | --- | --- |
| Llama2 13B | 699,751 MiB | 560m |
```

## Options
None.

## Fix
Remove or rename one of the columns.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc
from validate.schema import normalize_name


def check(ctx):
    table, match = ctx.table, ctx.match
    if match is None or match.schema is None:
        return
    flagged = set()
    first_by_text: dict[str, int] = {}
    for index, text in enumerate(table.header):
        name = normalize_name(text)
        if not name:
            continue
        if name in first_by_text:
            flagged.add(index)
            yield Hit(message=(f"header {text!r} repeats column {first_by_text[name] + 1}"),
                      row=None, column_index=index,
                      evidence={"column": index + 1, "first_column": first_by_text[name] + 1})
        else:
            first_by_text[name] = index
    if match is not None and match.schema is not None:
        for index, field, first in match.repeated:
            if index in flagged:
                continue
            yield Hit(message=(f"header {table.header[index]!r} names field {field}, already "
                               f"given by column {first + 1} ({table.header[first]!r}); "
                               "this column is ignored"),
                      row=None, column_index=index,
                      evidence={"column": index + 1, "field": field, "first_column": first + 1})


RULE = Rule(code="S103", name="repeated-header", category="structure", severity="error",
            summary="Two columns have the same header or name the same field.",
            doc=rule_doc(__doc__), scope="table", check=check)

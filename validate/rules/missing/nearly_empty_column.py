"""
## What it checks
A column of a table matched to a schema that holds a value on only a few of its rows: at most
`max_share` of them, in a table of at least `min_rows` rows (`token 갯수` filled on 1 of 41
rows). Reported once, at the column's first filled cell. An entirely empty column is not
reported: that is a column kept for later, not data left out.

## Why it matters
A column filled on one row reads as a measurement the other rows lack, or as a leftover of
an earlier table; either way readers compare rows on a figure most of them do not give.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | token 갯수 |
| --- | --- | --- | --- | --- |
| Mistral 7B | 2xlarge | 256 | 1024 | 27B |
| Mistral 7B | 2xlarge | 512 | 1024 |  |
| Mistral 7B | 2xlarge | 1024 | 1024 |  |
| Mistral 7B | 4xlarge | 256 | 2048 |  |
| Mistral 7B | 4xlarge | 512 | 2048 |  |
| Mistral 7B | 4xlarge | 1024 | 2048 |  |
| Mistral 7B | 8xlarge | 256 | 4096 |  |
| Mistral 7B | 8xlarge | 512 | 4096 |  |
| Mistral 7B | 8xlarge | 1024 | 4096 |  |
| Llama3 8B | 2xlarge | 128 | 1024 |  |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | token 갯수 |
| --- | --- | --- | --- | --- |
| Mistral 7B | 2xlarge | 256 | 1024 | 27B |
| Mistral 7B | 2xlarge | 512 | 1024 | 27B |
```

## Options
- `max_share` (default 0.1): the largest share of filled rows that still counts as nearly
  empty.
- `min_rows` (default 10): smaller tables are not judged (one of three rows is no pattern).

## Fix
Fill in the column on every row, or remove it and give the lone value in the text.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import all_rows, per_table


@per_table
def sparse_columns(parsed, max_share, min_rows):
    """{(field, first filled row): (rows with a value, rows)} for the columns (of each table of a
    stack) filled on a few rows only."""
    found = {}
    for start, stop in parsed.segments():
        rows = stop - start
        if rows < min_rows:
            continue
        for field in parsed.fields:
            cells = parsed.shown_cells(field)
            filled = [r for r in range(start, stop) if cells[r].strip()]
            if filled and len(filled) <= max_share * rows:
                found[(field, filled[0])] = (filled, rows)
    return found


def check(frame, options, parsed):
    failing = all_rows(frame, False)
    failing.iloc[sorted({row for _, row in sparse_columns(parsed, options.max_share, options.min_rows)})] = True
    return ~failing


def explain(parsed, rows, options):
    wanted = set(rows)
    found = sparse_columns(parsed, options.max_share, options.min_rows)
    for (field, first), (filled, count) in sorted(found.items(), key=lambda item: item[0][1]):
        if first not in wanted:
            continue
        header = parsed.table.header[parsed.match.columns[field]]
        lines = ", ".join(str(parsed.line(r)) for r in filled[:5])
        yield Hit(message=(f"column {header!r} has a value on {len(filled)} of {count} "
                           f"rows (line{'s' if len(filled) > 1 else ''} {lines}): fill it in or "
                           f"drop it"),
                  row=first, field=field,
                  evidence={"filled_rows": len(filled), "rows": count,
                            "filled_lines": [parsed.line(r) for r in filled[:5]]})


RULE = Rule(code="M304", name="nearly-empty-column", category="missing", severity="info",
            summary="A column holds a value on only a few of its rows.",
            doc=rule_doc(__doc__), scope="rows", check=check, explain=explain,
            options=(Option("max_share", 0.1, "largest share of filled rows that is nearly empty",
                            minimum=0),
                     Option("min_rows", 10, "smaller tables are not judged", kind="integer",
                            minimum=1)))

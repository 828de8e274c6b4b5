"""
## What it checks
Every data row has as many cells as the header. A row with more cells loses the extra
ones; a row with fewer shows its last columns empty.

Extra cells that are empty lose nothing and are not reported. A short row is reported only
in tables matched to a schema, where its empty columns are measurements left out; elsewhere
(`| RoBERTa | | 2.53 |` in a table of seven columns) leaving the trailing cells out is a
common way of writing them empty.

## Why it matters
GitHub pads short rows and drops extra cells without a word, so a value typed into the
wrong column or a forgotten pipe disappears from the rendered page while the source still
looks complete. Parsers do the same, which is why the cells are counted on the source line.

## Example that fires
```markdown
| model | vram |
| --- | --- |
| Llama2 13B | 699,751 MiB | 560m |
```

## Example that does not
```markdown
| model | vram | time |
| --- | --- | --- |
| Llama2 13B | 699,751 MiB | 560m |
```

## Options
None.

## Fix
Add the missing cells (empty cells are `| |`) or the missing header column, or remove the
stray pipe.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc


def check(ctx):
    table = ctx.table
    width = table.width
    for row, count in enumerate(table.cell_counts()):
        if count == width:
            continue
        cells = table.row_source(row)
        if count > width:
            extra = cells[width:]
            if not any(extra):
                continue  # `| a | b | | |`: nothing written is lost
            yield Hit(
                message=(f"row has {count} cells, the header has {width}: "
                         f"{', '.join(repr(c) for c in extra)} beyond the last column "
                         f"{'is' if len(extra) == 1 else 'are'} not shown"),
                row=row, column_index=width,
                evidence={"cells": count, "header_cells": width, "extra_cells": extra})
        elif count < width and ctx.match is not None and ctx.match.schema is not None:
            missing = table.header[count:]
            yield Hit(
                message=(f"row has {count} cell{'s' if count != 1 else ''}, the header has {width}: "
                         f"column{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(repr(h) for h in missing)} will show empty"),
                row=row, column_index=count,
                evidence={"cells": count, "header_cells": width, "missing_columns": missing})


RULE = Rule(code="S101", name="row-cell-count", category="structure", severity="error",
            summary="A row has more or fewer cells than the header.",
            doc=rule_doc(__doc__), scope="table", check=check)

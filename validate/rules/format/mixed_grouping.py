"""
## What it checks
A number column writes numbers of 1,000 and more one way: all with thousands separators
(`1,138,546`) or all without (`543816`). The cells written the other way are flagged.
Numbers below 1,000 look the same either way and are not counted.

## Why it matters
Mixed styles are the mark of values pasted from different sources or edited at different
times, and they make a column hard to scan: `1600235` next to `1,138,546` reads as a number
ten times larger at a glance.

## Example that fires
```markdown
| Model | vram Usage |
| --- | --- |
| Llama2 13B | 543816 MiB |
| Mistral 7B | 442,982 MiB |
| Qwen1.5 7B | 626,391 MiB |
```

## Example that does not
```markdown
| Model | vram Usage |
| --- | --- |
| Llama2 13B | 543,816 MiB |
| Mistral 7B | 442,982 MiB |
```

## Options
None. The column's majority style wins; on a tie, grouped digits win.

## Fix
Write the flagged cells like the rest of the column (`validate --fix` does this).
"""

import re

from validate.findings import Edit, Hit
from validate.rules.base import Rule, rule_doc
from validate.rules.common import is_numeric, segment_counts, segment_winner, source_text

_LEADING_NUMBER = re.compile(r"([+-]?)(\d[\d,]*)")


def _rank(style, count):
    return (count, style == "grouped")   # the majority; on a tie, grouped digits


def check(styles, options, spec, parsed=None):
    style = segment_winner(styles, parsed, _rank)
    return styles.isna() | style.isna() | (styles == style)


def restyled(text, style):
    """The edit that writes the cell's leading number in `style`, or None."""
    match = _LEADING_NUMBER.match(text)
    if not match:
        return None
    digits = match.group(2)
    plain = digits.replace(",", "")
    new = f"{int(plain):,}" if style == "grouped" else plain
    return Edit(match.start(2), digits, new) if new != digits else None


def explain(parsed, field, rows, options):
    winners = segment_winner(parsed.grouping[field], parsed, _rank)
    for row in rows:
        style = winners.iat[row]
        counts = segment_counts(parsed, "grouping", field, row)
        text = source_text(parsed, field, row)
        # Only well-formed numbers have a style (cells.py), and moving the separators of a
        # well-formed integer part cannot change its value: no need to parse again.
        edit = restyled(text, style)
        how = "has no thousands separators" if style == "grouped" else "uses thousands separators"
        yield Hit(message=(f"{field} {text!r} {how}, unlike {counts.get(style, 0)} of "
                           f"{sum(counts.values())} numbers in the column"),
                  row=row, field=field,
                  evidence={"column_style": style, "styles_in_column": counts},
                  edits=(edit,) if edit else ())


RULE = Rule(grouping=("column",), style=True, code="F210", name="mixed-digit-grouping", category="format", severity="info",
            summary="A column mixes numbers with and without thousands separators.",
            doc=rule_doc(__doc__), scope="cells", aspect="grouping", applies_to=is_numeric,
            check=check, explain=explain)

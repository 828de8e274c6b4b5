"""
## What it checks
The numbers of a column carry the same unit, spelled the same way: `TPS` on every row or
on none, `MiB` everywhere rather than `MiB` here and `GiB` there. The cells that differ
from the column's most common spelling are flagged. Cells already reported for a missing
or unknown unit are left to those rules.

## Why it matters
Units that come and go are a sign of rows edited at different times; a unit that changes
between rows (MiB and GiB, m and h) makes a column that looks comparable at a glance off by
a factor of 1024 or 60.

## Example that fires
```markdown
| Model | throughput |
| --- | --- |
| Llama3 8B | 93,291 TPS |
| Llama2 13B | 78,274 TPS |
| Mistral 7B | 197,489 |
```

## Example that does not
```markdown
| Model | throughput |
| --- | --- |
| Llama3 8B | 93,291 TPS |
| Mistral 7B | 197,489 TPS |
```

## Options
- `different_units` (default true): also flag cells that write another unit or spelling than
  the column's usual one; with false, only cells that write no unit among cells that do.
  Tables without a schema run with false: there `44 min` beside `8.68 hr` is written for
  readers, while a bare number among `GB` values is still a unit left out.

The most common spelling wins; on a tie, a written unit wins over none.

## Fix
Write the flagged cells with the column's unit (`validate --fix` does this when the value
does not change).
"""

from validate.findings import Edit, Hit
from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import is_numeric, segment_winner, source_text, unchanged_values, units_seen


def _rank(unit, count):
    return (count, unit != "")   # the most common spelling; on a tie, a written unit


def check(units, options, spec, parsed=None):
    unit = segment_winner(units, parsed, _rank)
    if not options.different_units:
        # Only a missing unit counts, and only where most cells write one.
        return units.isna() | unit.isna() | (units != "") | (unit == "")
    return units.isna() | unit.isna() | (units == unit)


def spaced(parsed, field, row):
    """Whether the column (of `row`'s table) writes a space between number and unit
    (`93,291 TPS`, not `560m`)."""
    start, stop = parsed.segments()[int(parsed.segment_of()[row])]
    units = parsed.units[field].iloc[start:stop]
    sources = parsed.sources[field].iloc[start:stop][units.fillna("") != ""]
    with_space = sources.str.contains(r"\d\s+\D", regex=True).sum()
    return bool(with_space * 2 >= len(sources)) if len(sources) else True


def respelled(text, written, unit, gap):
    """The edit that writes the cell's unit as `unit`, or None when it cannot be placed."""
    body = text.rstrip()
    if not unit:
        return None
    if not written:
        return Edit(len(body), "", f"{gap}{unit}")
    if body.endswith(written):
        return Edit(len(body) - len(written), written, unit)
    return None


def explain(parsed, field, rows, options):
    winners = segment_winner(parsed.units[field], parsed, _rank)
    texts = [source_text(parsed, field, row) for row in rows]
    edits = [respelled(text, parsed.units[field].iat[row], winners.iat[row],
                       " " if spaced(parsed, field, row) else "") for text, row in zip(texts, rows)]
    proposed = [text[:e.offset] + e.new + text[e.offset + len(e.old):] if e else text
                for text, e in zip(texts, edits)]
    # A unit is only added or respelled when the value stays the same: `95302` -> `95302 TPS`
    # in a tokens/s column, never `543816` -> `543816 MiB` (that would guess the unit).
    safe = unchanged_values(parsed, field, list(rows), proposed, options.reference)
    for row, text, edit, ok in zip(rows, texts, edits, safe):
        unit, seen = winners.iat[row], units_seen(parsed, field, row)
        written = parsed.units[field].iat[row]
        if not written:
            how = f"has no unit while {seen.get(unit, 0)} other cells write {unit!r}"
        elif not unit:
            how = f"writes {written!r} while {seen.get('', 0)} other cells write no unit"
        else:
            how = f"writes {written!r} while {seen.get(unit, 0)} other cells write {unit!r}"
        yield Hit(message=f"{field} {text!r} {how}", row=row, field=field,
                  evidence={"column_unit": unit, "units_in_column": seen, "unit": written},
                  edits=(edit,) if (edit and ok) else ())


RULE = Rule(grouping=("column",), style=True, code="F211", name="mixed-unit-style", category="format", severity="info",
            summary="A column writes its unit on some rows only, or in several spellings.",
            doc=rule_doc(__doc__), scope="cells", aspect="unit", applies_to=is_numeric,
            check=check, explain=explain,
            options=(Option("different_units", True,
                            "also flag cells that write another unit than the column's usual one",
                            kind="boolean"),))

"""
## What it checks
A configuration (the schema's `key` fields: for the fine-tuning guide model, accelerator,
batch size and sequence length) is listed once per table.

## Why it matters
Two rows for one configuration either repeat each other (noise) or contradict each other
(which one is right?). Either way a reader comparing configurations is misled.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | Training Time |
| --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 220m |
| Llama3 8B | 2xlarge | 128 | 1024 | 210m |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | Training Time |
| --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 220m |
| Llama3 8B | 2xlarge | 256 | 1024 | 140m |
```

## Options
None. The schema's `key` says which fields identify a configuration.

## Fix
Keep one row per configuration; if the rows differ, keep the measured one.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc
from validate.rules.common import (
    all_rows,
    describe_row,
    group_ids,
    key_fields,
    repeated_configuration,
    line_list as _lines,
    some_rows,
    source_text,
)


def repeated_rows(frame, parsed):
    return frame.index[repeated_configuration(parsed).to_numpy()]


def check(frame, options, parsed):
    failing = all_rows(frame, False)
    failing[repeated_rows(frame, parsed)] = True
    return ~failing


def explain(parsed, rows, options):
    import pandas as pd

    keys = key_fields(parsed)
    names = [n for n in parsed.schema.measurements if n in parsed.values.columns]
    repeated = repeated_rows(parsed.values, parsed)
    ids = group_ids(parsed, tuple(keys))
    wanted = set(rows)
    for members in (pd.Series(repeated).groupby(ids[repeated], sort=False)
                    .agg(list).tolist() if len(repeated) else []):
        # Every row of the group agrees with every other exactly when each field has one value
        # in the group (two empty cells agree): one look per group, not per pair of rows.
        measured = parsed.values.loc[members, names].astype("object")
        same = bool((measured.nunique(dropna=False) <= 1).all())
        verdict = "with the same measurements" if same else "with different measurements"
        # The rows a finding lists: the group's first ones, written out once per group.
        listed = {r: {"line": parsed.line(r), "values": {n: source_text(parsed, n, r) for n in names}}
                  for r in some_rows(members)}
        for row in members:
            if row not in wanted:
                continue
            shown = some_rows(members, row)
            yield Hit(
                message=(f"configuration {describe_row(parsed, row)} is listed again on "
                         f"{_lines(parsed, shown, len(members) - 1)} {verdict}"),
                row=row, field=None,
                evidence={"key": keys, "same_measurements": same, "group_size": len(members),
                          "values": {n: source_text(parsed, n, row) for n in names},
                          # The other rows share this row's configuration: their lines and
                          # measurements say all there is to say.
                          "other_rows": [listed[r] if r in listed else
                                         {"line": parsed.line(r),
                                          "values": {n: source_text(parsed, n, r) for n in names}}
                                         for r in shown],
                          "other_rows_total": len(members) - 1})


RULE = Rule(grouping=("cell", "listed-rows"), code="D403", name="duplicate-configuration", category="duplicate", severity="error",
            summary="The same configuration is listed twice in a table.",
            doc=rule_doc(__doc__), scope="rows", check=check, explain=explain)

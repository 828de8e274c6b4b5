"""
## What it checks
Two rows with different configurations do not carry the very same measurements (every
measurement field the table has, at least two of them, all equal).

## Why it matters
When every measured number of a row equals another row's, the row was copied and its
configuration edited without new measurements: the page then claims two results from one
run.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage | Training Time |
| --- | --- | --- | --- | --- | --- |
| Qwen1.5 7B | 4xlarge | 32 | 2048 | 1,403,047 MiB | 12m |
| Qwen1.5 7B | 4xlarge | 64 | 2048 | 1,403,047 MiB | 12m |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | vram Usage | Training Time |
| --- | --- | --- | --- | --- | --- |
| Qwen1.5 7B | 4xlarge | 32 | 2048 | 1,403,047 MiB | 12m |
| Qwen1.5 7B | 4xlarge | 64 | 2048 | 1,122,745 MiB | 8m |
```

## Options
None. The schema's `measurements` list says which fields are measurements.

## Fix
Measure the copied configuration, or remove the row.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc
from validate.rules.common import (
    MAX_EVIDENCE_ROWS,
    all_rows,
    describe_row,
    group_ids,
    key_fields,
    line_list,
    row_ref,
    source_text,
)


def copied_rows(frame, parsed):
    import pandas as pd

    names = [n for n in parsed.schema.measurements if n in frame.columns]
    keys = key_fields(parsed)
    if len(names) < 2 or not keys:
        return pd.Series(dtype="uint64")
    complete = frame[names].notna().all(axis=1)
    # The table a row belongs to is part of what it repeats: rows of two tables of a stack
    # are never compared.
    measured = frame.loc[complete, names].astype("object")
    measured.insert(0, "__table__", parsed.segment_of()[complete.to_numpy()])
    measured = pd.util.hash_pandas_object(measured, index=False)
    repeated = measured[measured.duplicated(keep=False)]
    if repeated.empty:
        return repeated
    configs = pd.Series(group_ids(parsed, tuple(keys))[repeated.index], index=repeated.index)
    distinct = configs.groupby(repeated.values).transform("nunique")
    return repeated[distinct.values > 1]


def check(frame, options, parsed):
    failing = all_rows(frame, False)
    failing[copied_rows(frame, parsed).index] = True
    return ~failing


def explain(parsed, rows, options):
    import pandas as pd

    repeated = copied_rows(parsed.values, parsed)
    names = [n for n in parsed.schema.measurements if n in parsed.values.columns]
    keys = key_fields(parsed)
    configs = pd.Series(group_ids(parsed, tuple(keys)))
    wanted = set(rows)
    for _, group in repeated.groupby(repeated.values):
        members = list(group.index)
        per_config = configs.iloc[members].value_counts()
        shown_for: dict = {}  # the rows shown for each configuration of the group, found once
        for row in members:
            if row not in wanted:
                continue
            # Rows of the same configuration are the duplicate-configuration rule's business.
            config = configs.iat[row]
            total = len(members) - int(per_config[config])
            if not total:
                continue
            if config not in shown_for:
                shown_for[config] = []
                for other in members:
                    if configs.iat[other] != config:
                        shown_for[config].append(other)
                        if len(shown_for[config]) == MAX_EVIDENCE_ROWS:
                            break
            shown = shown_for[config]
            yield Hit(
                message=(f"row {describe_row(parsed, row)} repeats every measurement "
                         f"({', '.join(names)}) of {line_list(parsed, shown, total)}, "
                         f"{'a different configuration' if total == 1 else 'other configurations'}"),
                row=row, field=None,
                evidence={"fields": names, "group_size": len(members),
                          "values": {n: source_text(parsed, n, row) for n in names},
                          "other_rows": [row_ref(parsed, r) for r in shown],
                          "other_rows_total": total})


RULE = Rule(grouping=("cell", "listed-rows"), code="D402", name="duplicate-measurement-row", category="duplicate",
            severity="warning",
            summary="Two configurations carry exactly the same measurements.",
            doc=rule_doc(__doc__), scope="rows", check=check, explain=explain)

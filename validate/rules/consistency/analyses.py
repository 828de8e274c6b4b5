"""Analyses several consistency rules share: group medians and "the best before" walks.

Each takes a table's typed frame and returns per-row figures; the rules decide what a
figure means and explain it.
"""

from __future__ import annotations

from validate.findings import Hit
from validate.rules.base import fmt_number, rounded
from validate.rules.common import describe_row


def group_medians(values, levels, min_group: int):
    """Per row: the median of `values` over its group, at the first level whose group holds at
    least `min_group` values (`median`, `size`, `level`), and each row's group at every level
    (`group:<level>`). `levels` is [(name, [grouping Series, ...]), ...], most specific first."""
    import numpy as np
    import pandas as pd

    result = pd.DataFrame({"median": np.nan, "size": 0, "level": None}, index=values.index)
    valid = values.notna()
    for level, grouping in levels:
        size = valid.groupby(grouping, dropna=True).transform("sum")
        median = values.where(valid).groupby(grouping, dropna=True).transform("median")
        usable = result["level"].isna() & valid & (size >= min_group)
        result.loc[usable, "median"] = median[usable]
        result.loc[usable, "size"] = size[usable]
        result.loc[usable, "level"] = level
        # Which group of this level each row belongs to, for listing a group's rows.
        result[f"group:{level}"] = pd.Series(0, index=values.index).groupby(grouping, dropna=True).ngroup()
    return result


def group_members(table, value_column: str) -> dict:
    """{level: {group: [positions]}} of the rows that have a value, for evidence lists."""
    valid = table[table[value_column].notna()]
    return valid, {level: valid.groupby(f"group:{level}").indices
                   for level in valid["level"].dropna().unique()}


def best_before(frame, keys, order, leave_out=None):
    """Per row: the best throughput among rows of the same `keys` with a smaller `order`
    (`before`, NaN if none), and the row that has it (`before_row`). Rows of `leave_out` (a
    mask) are neither judged nor compared with."""
    import numpy as np
    import pandas as pd

    throughput = frame["throughput"].to_numpy(dtype="float64", na_value=np.nan)
    order = order.to_numpy(dtype="float64", na_value=np.nan)
    usable = ~np.isnan(throughput) & ~np.isnan(order)
    if leave_out is not None:
        usable &= ~leave_out.to_numpy(dtype=bool)
    if keys:
        usable &= frame[keys].notna().all(axis=1).to_numpy()
        group = frame[keys].astype("object").groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    else:
        group = np.zeros(len(frame), dtype="int64")
    before = np.full(len(frame), np.nan)
    before_row = np.full(len(frame), np.nan)
    rows = np.flatnonzero(usable)
    # Walk the rows of each group in order; one pass, whatever the table's size.
    ranked = rows[np.lexsort((-throughput[rows], order[rows], group[rows]))]
    current_group, best, best_row, block_order = None, np.nan, np.nan, None
    carried, carried_row = np.nan, np.nan
    for row in ranked:
        g, o = group[row], order[row]
        if g != current_group:
            current_group, block_order = g, None
            best = best_row = carried = carried_row = np.nan
        if o != block_order:
            # A new order value: the best so far is what the rows of this value are compared with.
            carried, carried_row = best, best_row
            block_order = o
        before[row], before_row[row] = carried, carried_row
        if not best >= throughput[row]:
            best, best_row = throughput[row], row
    return pd.DataFrame({"before": before, "before_row": before_row}, index=frame.index)


def drops(frame, table, tolerance):
    """Rows whose throughput is below the best before them by more than `tolerance`."""
    flagged = frame["throughput"].astype("float64") < (1 - tolerance) * table["before"]
    return flagged.fillna(False).astype(bool)


def percent(share: float, beside: float) -> str:
    """A share as a percentage, with as many decimals as it takes not to read as `beside`
    (10.1% against a 10% tolerance, never a rounded "10%")."""
    for decimals in range(0, 4):
        text = f"{share:.{decimals}%}"
        if round(share, decimals + 2) != round(beside, decimals + 2) or decimals == 3:
            if f"{beside:.{decimals}%}" != text or decimals == 3:
                return text
    return f"{share:.3%}"


def drop_hits(parsed, rows, table, options, label, reason, evidence_key):
    """Hits for rows whose throughput fell below the best before them.

    `label(row)` names what changed (`batch 512`, `8xlarge`); `reason` says why it should not
    fall; `evidence_key` names the row compared with in the evidence.
    """
    frame = parsed.values
    keys = [k for k in options.group_by if k in frame.columns]
    before, before_row = table["before"].to_numpy(), table["before_row"].to_numpy()
    throughput = parsed.numbers("throughput")
    for row in rows:
        best = float(before[row])
        other = int(before_row[row])
        here = float(throughput[row])
        drop = 1 - here / best
        yield Hit(
            message=(f"throughput {fmt_number(here)} at {label(row)} is {percent(drop, options.tolerance)} below the "
                     f"{fmt_number(best)} at {label(other)} (line {parsed.line(other)}); {reason} "
                     f"(tolerance {options.tolerance:.0%})"),
            row=row, field="throughput",
            evidence={"throughput": rounded(here), "here": label(row),
                      evidence_key: {"line": parsed.line(other), "row": describe_row(parsed, other),
                                     "at": label(other), "throughput": rounded(best)},
                      "drop": rounded(drop, 3), "tolerance": options.tolerance,
                      "group": {k: str(parsed.typed_cells(k)[row]) for k in keys}})

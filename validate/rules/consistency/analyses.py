"""Analyses several consistency rules share: "the best before" walks and their hits.

Each takes a table's typed frame and returns per-row figures; the rules decide what a
figure means and explain it.
"""

from __future__ import annotations

from validate.findings import Hit
from validate.rules.base import fmt_number, rounded
from validate.rules.common import describe_row, per_table


def best_before(parsed, keys, order, leave_out=None):
    """Per row: the best throughput among rows of the same `keys` (and table) with a smaller
    `order` (`before`, NaN if none), and the row that has it (`before_row`). Rows of
    `leave_out` (a mask) are neither judged nor compared with."""
    import numpy as np
    import pandas as pd

    from validate.rules.common import group_ids

    frame = parsed.values
    throughput = frame["throughput"].to_numpy(dtype="float64", na_value=np.nan)
    order = order.to_numpy(dtype="float64", na_value=np.nan)
    usable = ~np.isnan(throughput) & ~np.isnan(order)
    if leave_out is not None:
        usable &= ~leave_out.to_numpy(dtype=bool)
    group = group_ids(parsed, tuple(keys))
    usable &= group >= 0
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


@per_table
def allowed_drop(parsed, options):
    """Per row, the drop accepted below the best before it, as a share: `tolerance`, or more
    where the page's throughputs scatter more about their models' scaling: `deviations` times
    the table's typical scatter (as C503 measures it, never below `noise`). The best of
    several earlier rows lies high by chance, so a fixed share flags noise, not edits."""
    import numpy as np

    from validate.rules.common import repeated_configuration
    from validate.rules.consistency.scaling import fit_measurement, pooled_scale

    fit = fit_measurement(parsed, "throughput", parsed.numbers("throughput"), ("model",),
                          repeated_configuration(parsed).to_numpy())
    typical = np.nan_to_num(pooled_scale(fit, parsed.segment_of()), nan=options.noise)
    spread = np.fmax(typical, options.noise)
    allowed = np.fmax(-np.log1p(-options.tolerance), options.deviations * spread)
    return -np.expm1(-allowed)


def drops(parsed, table, options):
    """Rows whose throughput is below the best before them by more than they may drop."""
    frame = parsed.values
    flagged = frame["throughput"].astype("float64") < (1 - allowed_drop(parsed, options)) * table["before"]
    return flagged.fillna(False).astype(bool)


def drop_options(what: str):
    """The options of the rules that judge a drop below the best before."""
    from validate.rules.base import Option

    return (Option("tolerance", 0.1, f"least drop reported, as a share of the smaller {what}'s "
                   "throughput", minimum=0),
            Option("deviations", 4.0, "how many times the model's scatter a drop may be", minimum=1),
            Option("noise", 0.1, "scatter assumed at least, in log units", minimum=0))


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
    allowed = allowed_drop(parsed, options)
    for row in rows:
        best = float(before[row])
        other = int(before_row[row])
        here = float(throughput[row])
        drop = 1 - here / best
        yield Hit(
            message=(f"throughput {fmt_number(here)} at {label(row)} is {percent(drop, allowed[row])} below the "
                     f"{fmt_number(best)} at {label(other)} (line {parsed.line(other)}); {reason} "
                     f"(beyond the {allowed[row]:.0%} the model's scatter allows)"),
            row=row, field="throughput",
            evidence={"throughput": rounded(here), "here": label(row),
                      evidence_key: {"line": parsed.line(other), "row": describe_row(parsed, other),
                                     "at": label(other), "throughput": rounded(best)},
                      "drop": rounded(drop, 3), "tolerance": rounded(float(allowed[row]), 3),
                      "group": {k: str(parsed.typed_cells(k)[row]) for k in keys}})

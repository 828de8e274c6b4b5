"""How a measurement scales within a model, and which row does not follow: robust fits.

For every model (rows grouped by `group_by`), a measurement's logarithm is fitted as a linear
function of the logarithms of the configuration (accelerator units, batch size, sequence
length): throughput ~ units^a * batch^b * seq^c. The fit is robust (Huber's M-estimator by
iteratively reweighted least squares, the weights statsmodels' `RLM` uses with `HuberT`), so a
wrong row pulls it little, and each row is then judged by its *leave-one-out* residual: how far
its value is from what the model's other rows predict for its configuration. A row that agrees
with its siblings has a small one even when one sibling is wrong, and the wrong row is named.

Small groups need help: three rows cannot pin down four coefficients. The fit is pulled
gently toward prior exponents (a ridge penalty on the slopes), so with few rows it falls back
on physics (throughput grows with units, time falls with it), and with many rows the data win.

Every group is solved at once with numpy (stacked small systems): a table of 100,000 rows has
thousands of models, and one library call per model would cost seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from validate.findings import Hit
from validate.rules.base import fmt_number, fmt_ratio, rounded
from validate.rules.common import describe_row, line_list, per_table, row_ref, some_rows

HUBER_C = 1.345           # Huber's tuning constant: 95% efficiency on normal noise
MAD_TO_SIGMA = 1.4826     # median absolute deviation -> standard deviation, for normal noise
ITERATIONS = 10            # IRLS rounds at most: Huber's weights settle in a handful


@dataclass
class Fit:
    """Per row: the leave-one-out prediction and residual (in log units), the group's robust
    noise scale, and the group's size (NaN / 0 where the row took no part)."""

    predicted: np.ndarray     # log of the value the other rows predict
    residual: np.ndarray      # log(value) - predicted
    scale: np.ndarray         # robust scale of the group's residuals (log units)
    size: np.ndarray          # rows in the row's group that took part in the fit
    # How much wider than the others' scatter the prediction's own uncertainty makes it:
    # sqrt(1 + x0' G^-1 x0), large where the row lies beyond the others (an extrapolation).
    inflation: np.ndarray | None = None
    group: np.ndarray | None = None   # the group each row was judged in (-1: none)


def robust_fit(target: np.ndarray, features: np.ndarray, groups: np.ndarray, prior: np.ndarray,
               strength: float, min_rows: int) -> Fit:
    """Fit `target` (log values, NaN = missing) on `features` (n x k, log configuration) per
    group (`groups`: an integer id per row, -1 = no group), slopes pulled toward `prior` (k)
    with ridge `strength`, and judge each row by the fit of the *other* rows of its group.

    For groups of up to EXACT_ROWS rows the other rows are refitted without the row (so their
    own scatter, which says whether they agree among themselves, is known); larger groups use
    the leave-one-out residual of the whole group's fit, r / (1 - h), and its scatter.
    Groups with fewer than `min_rows` usable rows are not judged."""
    n, k = features.shape
    result = Fit(np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, dtype=int),
                 np.ones(n), np.full(n, -1))
    usable = ~np.isnan(target) & ~np.isnan(features).any(axis=1) & (groups >= 0)
    if not usable.any():
        return result
    rows = np.flatnonzero(usable)
    _, inverse, counts = np.unique(groups[rows], return_inverse=True, return_counts=True)
    size = counts[inverse]
    judged = size >= min_rows
    exact = judged & (size <= EXACT_ROWS)
    if exact.any():
        _exact_leave_one_out(result, target, features, rows[exact], inverse[exact], prior, strength)
    big = judged & ~exact
    if big.any():
        _whole_group_fit(result, target, features, rows[big], inverse[big], prior, strength)
    result.size[rows[judged]] = size[judged]
    result.group = np.where(result.size > 0, groups, -1)
    return result


# Groups up to this size are refitted once per row (exact leave-one-out); beyond, the
# shortcut through the hat matrix keeps the work linear in the rows.
EXACT_ROWS = 40


def _pack(target, features, members: list[np.ndarray]):
    """Problems of several rows each, packed into (problems x width) blocks; 0 = no row."""
    count, width, k = len(members), max(len(m) for m in members), features.shape[1]
    X = np.zeros((count, width, k + 1))
    y = np.zeros((count, width))
    present = np.zeros((count, width))
    lengths = np.array([len(m) for m in members])
    problem = np.repeat(np.arange(count), lengths)
    slot = np.concatenate([np.arange(len(m)) for m in members])
    flat = np.concatenate(members)
    X[problem, slot, 0] = 1.0
    X[problem, slot, 1:] = features[flat]
    y[problem, slot] = target[flat]
    present[problem, slot] = 1.0
    return X, y, present


def _irls(X, y, present, prior, strength):
    """Huber IRLS on every packed problem at once: (coefficients, weights, scale, G^-1)."""
    k = X.shape[2] - 1
    # The intercept is free (no prior on a model's level); slopes are pulled toward `prior`.
    penalty = np.diag(np.concatenate(([0.0], np.full(k, strength))))
    anchor = np.concatenate(([0.0], prior)) @ penalty
    weights = present.copy()
    for iteration in range(ITERATIONS):
        coefficients, inverse_gram = _solve(X, y, weights, penalty, anchor)
        residuals = (y - (X @ coefficients[:, :, None])[:, :, 0]) * present
        scale = _robust_scale(residuals, present)
        ratio = np.abs(residuals) / (HUBER_C * np.maximum(scale, 1e-9))[:, None]
        updated = present * np.minimum(1.0, 1.0 / np.maximum(ratio, 1e-12))
        if np.max(np.abs(updated - weights), initial=0.0) < 1e-3:  # weights settled
            break
        weights = updated
    # The residuals of a fit are smaller than its noise by the parameters it spent on them:
    # scale by sqrt(n / (n - p)), p the fit's effective parameters (the trace of its hat
    # matrix, under the ridge). Two rows fitted with a slope leave residuals near zero and
    # say little about the noise; this says so.
    leverage = weights * ((X @ inverse_gram) * X).sum(axis=2)
    count = present.sum(axis=1)
    freedom = np.maximum(count - leverage.sum(axis=1), 0.5)
    scale = scale * np.sqrt(np.maximum(count, 1.0) / freedom)
    return coefficients, weights, residuals, scale, inverse_gram


def _exact_leave_one_out(result, target, features, rows, group, prior, strength):
    order = np.argsort(group, kind="stable")
    rows, group = rows[order], group[order]
    bounds = np.flatnonzero(np.r_[True, group[1:] != group[:-1], True])
    members, left_out = [], []
    for start, end in zip(bounds[:-1], bounds[1:]):
        block = rows[start:end]
        size = len(block)
        # Row i of `others` is the block without its i-th row.
        others = np.broadcast_to(block, (size, size))[~np.eye(size, dtype=bool)].reshape(size, size - 1)
        members.extend(others)
        left_out.append(block)
    left_out = np.concatenate(left_out)
    X, y, present = _pack(target, features, members)
    coefficients, _, _, scale, inverse_gram = _irls(X, y, present, prior, strength)
    point = np.concatenate((np.ones((len(left_out), 1)), features[left_out]), axis=1)
    predicted = (point * coefficients).sum(axis=1)
    result.inflation[left_out] = np.sqrt(1.0 + ((point[:, None, :] @ inverse_gram)[:, 0, :] * point).sum(axis=1))
    result.predicted[left_out] = predicted
    result.residual[left_out] = target[left_out] - predicted
    result.scale[left_out] = scale


def _whole_group_fit(result, target, features, rows, group, prior, strength):
    order = np.argsort(group, kind="stable")
    rows, group = rows[order], group[order]
    bounds = np.flatnonzero(np.r_[True, group[1:] != group[:-1], True])
    members = [rows[start:end] for start, end in zip(bounds[:-1], bounds[1:])]
    X, y, present = _pack(target, features, members)
    _, weights, residuals, scale, inverse_gram = _irls(X, y, present, prior, strength)
    # Leave-one-out residual of a weighted ridge fit: r_i / (1 - h_ii), h_ii = w_i x_i G^-1 x_i.
    leverage = weights * ((X @ inverse_gram) * X).sum(axis=2)
    loo = residuals / np.maximum(1.0 - leverage, 1e-6)
    problem = np.repeat(np.arange(len(members)), [len(m) for m in members])
    slot = np.concatenate([np.arange(len(m)) for m in members])
    flat = np.concatenate(members)
    result.residual[flat] = loo[problem, slot]
    result.predicted[flat] = target[flat] - result.residual[flat]
    result.scale[flat] = scale[problem]


def _solve(X, y, weights, penalty, anchor):
    weighted = X * weights[:, :, None]
    # A whisker on the diagonal keeps a problem with no weight left solvable; LU inverses of
    # thousands of 4x4 systems at once (an SVD each would cost ten times more).
    gram = weighted.transpose(0, 2, 1) @ X + penalty + 1e-9 * np.eye(X.shape[2])
    inverse_gram = np.linalg.inv(gram)
    rhs = (weighted.transpose(0, 2, 1) @ y[:, :, None])[:, :, 0] + anchor
    return (inverse_gram @ rhs[:, :, None])[:, :, 0], inverse_gram


def _robust_scale(residuals, present):
    """Per problem: MAD-based scale of its residuals (present slots only)."""
    magnitude = np.where(present > 0, np.abs(residuals), np.inf)
    magnitude.sort(axis=1)
    count = present.sum(axis=1).astype(int)
    rows = np.arange(len(count))
    low, high = np.maximum(count - 1, 0) // 2, count // 2
    middle = np.where(count > 0, (magnitude[rows, low] + magnitude[rows, np.minimum(high, magnitude.shape[1] - 1)]) / 2, 0.0)
    return MAD_TO_SIGMA * np.where(np.isfinite(middle), middle, 0.0)


# --- a table's measurements against their model's fit -----------------------------------------

# Exponents expected before any row is seen, per doubling of the configuration (log-log
# slopes): throughput grows in proportion to units (data parallelism) and somewhat with batch;
# implied samples (a run's dataset) do not depend on the configuration; memory is summed over
# units and grows with the batch and sequence each step holds.
PRIORS = {
    "throughput": {"units": 1.0, "batch_size": 0.5, "seq_len": 0.0},
    "samples": {"units": 0.0, "batch_size": 0.0, "seq_len": 0.0},
    "vram": {"units": 1.0, "batch_size": 0.2, "seq_len": 0.2},
}
FEATURES = ("units", "batch_size", "seq_len")
# How hard the slopes are pulled toward the priors: about the weight of one row whose
# configuration is a doubling away from the others (log 2 squared is about 0.5).
PRIOR_STRENGTH = 0.5
MIN_ROWS = 3


def configuration_features(parsed) -> dict:
    """log(units), log(batch), log(seq) per row, for the features the table has."""
    from validate.rules.common import flavor_figures

    frame = parsed.values
    found = {}
    if "accelerator" in frame.columns:
        found["units"] = flavor_figures(frame["accelerator"], parsed.reference, "units").to_numpy()
    for name in ("batch_size", "seq_len"):
        if name in frame.columns:
            found[name] = frame[name].to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(all="ignore"):
        return {name: np.log(np.where(values > 0, values, np.nan)) for name, values in found.items()}


def _group_ids(parsed, keys, leave_out):
    """An integer group per row (-1: no group: an empty key field, or left out)."""
    from validate.rules.common import group_ids

    return np.where(leave_out, -1, group_ids(parsed, tuple(keys)))


def fit_measurement(parsed, target: str, values: np.ndarray, group_by: tuple[str, ...],
                    leave_out: np.ndarray, fallback_group_by: tuple[str, ...] = (),
                    min_rows: int = MIN_ROWS) -> Fit:
    """The leave-one-out fit of log(`values`) (`target` names its priors) per group of rows;
    rows whose group has fewer than `min_rows` usable rows are judged within their
    `fallback_group_by` group instead (of at least MIN_ROWS rows), when one is given."""
    # The same fit serves several rules (C501 blames a cell with the throughput fit that C503
    # and the drop rules judge by): made once per table.
    memo_key = ("fit", target, tuple(group_by), tuple(fallback_group_by), min_rows,
                values.tobytes() if target == "samples" else None)
    if memo_key in parsed.memo:
        return parsed.memo[memo_key]
    parsed.memo[memo_key] = fit = _fit_measurement(parsed, target, values, group_by, leave_out,
                                                   fallback_group_by, min_rows)
    return fit


def _fit_measurement(parsed, target, values, group_by, leave_out, fallback_group_by, min_rows):
    frame = parsed.values
    features = configuration_features(parsed)
    names = [name for name in FEATURES if name in features]
    matrix = np.column_stack([features[name] for name in names]) if names else np.zeros((len(frame), 0))
    with np.errstate(all="ignore"):
        logged = np.log(np.where(values > 0, values, np.nan))
    prior = np.array([PRIORS[target][name] for name in names])
    keys = [k for k in group_by if k in frame.columns]
    fit = robust_fit(logged, matrix, _group_ids(parsed, keys, leave_out), prior, PRIOR_STRENGTH,
                     min_rows)
    fallback = [k for k in fallback_group_by if k in frame.columns]
    if fallback and fallback != keys:
        wider = robust_fit(logged, matrix, _group_ids(parsed, fallback, leave_out), prior,
                           PRIOR_STRENGTH, MIN_ROWS)
        missing = np.isnan(fit.residual) & ~np.isnan(wider.residual)
        wider.group = np.where(wider.group >= 0, wider.group + int(fit.group.max(initial=0)) + 1, -1)
        for part in ("predicted", "residual", "scale", "size", "inflation", "group"):
            getattr(fit, part)[missing] = getattr(wider, part)[missing]
    return fit


def slip(ratio: float) -> str:
    """What a ratio far from 1 looks like as a typing slip, if it looks like one."""
    folded = ratio if ratio >= 1 else 1 / ratio
    slips = ((1024, "a value in GiB written as MiB, or the reverse"),
             (1000, "three digits too many or too few"),
             (60, "hours written as minutes, or the reverse"),
             (100, "two digits too many or too few"),
             (10, "a digit too many or too few"))
    distance, what = min((abs(np.log(folded / factor)), what) for factor, what in slips)
    return what if distance < np.log(1.15) else ""


@dataclass
class Verdicts:
    """A fit judged: which rows deviate, and by how much they may."""

    fit: Fit
    values: np.ndarray
    tolerance: np.ndarray     # allowed |residual| per row (log units)
    flagged: np.ndarray       # bool per row


# A group's own scatter is trusted from this many other rows on; below, the table's pooled
# scatter stands in when it is larger (two rows that happen to agree closely are no
# evidence that the page measures that precisely).
RELIABLE_OTHERS = 5


def pooled_scale(fit: Fit, segment: np.ndarray | None = None) -> np.ndarray:
    """Per row, the scatter typical of its table (a page's measurements share one process of
    measuring: its noise shows across all its models): the median over the table's groups of
    more than RELIABLE_OTHERS + 1 rows of each group's cleanest scatter (its rows judged
    without the row that disturbs them most); NaN when the table has no such group."""
    import pandas as pd

    segment = np.zeros(len(fit.scale), dtype=int) if segment is None else segment
    # Only groups big enough to show their noise: a pair of other rows says little of it.
    judged = ~np.isnan(fit.scale) & (fit.group >= 0) & (fit.size > RELIABLE_OTHERS)
    if not judged.any():
        return np.full(len(fit.scale), np.nan)
    cleanest = pd.DataFrame({"segment": segment[judged], "group": fit.group[judged],
                             "scale": fit.scale[judged]}).groupby(["segment", "group"])["scale"].min()
    typical = cleanest.groupby(level="segment").median()
    return pd.Series(segment).map(typical).to_numpy(dtype=float)


def judge(fit: Fit, values: np.ndarray, noise: np.ndarray, deviations: float,
          min_factor: float, segment: np.ndarray | None = None) -> Verdicts:
    """Rows whose leave-one-out residual exceeds `deviations` times their noise and at least
    `min_factor`. The noise is the scatter of the row's group about the fit made without it,
    never below `noise` (the measurement's own, per row), and for a group of few rows never
    below the table's pooled scatter."""
    pooled = np.nan_to_num(pooled_scale(fit, segment))
    few = (fit.size - 1) < RELIABLE_OTHERS
    spread = np.fmax(np.fmax(fit.scale, noise), np.where(few, pooled, 0.0)) * fit.inflation
    tolerance = np.fmax(deviations * spread, np.log(min_factor))
    with np.errstate(invalid="ignore"):
        flagged = np.abs(fit.residual) > tolerance
    return Verdicts(fit=fit, values=values, tolerance=tolerance, flagged=np.nan_to_num(flagged).astype(bool))


def _within(parsed, row, keys) -> str:
    """The row's configuration without the fields its group already names."""
    labels = {"batch_size": "batch ", "seq_len": "seq "}
    parts = [f"{labels.get(k, '')}{parsed.shown_cells(k)[row]}" for k in parsed.schema.key
             if k in parsed.values.columns and k not in keys and parsed.shown_cells(k)[row]]
    return " / ".join(parts) or describe_row(parsed, row)


@per_table
def _groups(parsed, keys):
    """(group id per row, group id -> its rows) for `keys`, found once per table."""
    import pandas as pd

    from validate.rules.common import group_ids

    ids = group_ids(parsed, tuple(keys))
    return ids, pd.Series(ids).groupby(ids).indices


def scaling_hits(parsed, rows, found, field, options, unit="", lead=None):
    """Hits for rows off their model's fit: shared by the rules that judge one measurement.

    `lead(row, value)` words what is judged (default: the field and its value)."""
    fit = found.fit
    levels = [[k for k in level if k in parsed.values.columns]
              for level in (options.group_by, getattr(options, "fallback_group_by", ()))]
    levels = [level for level in levels if level]
    for row in rows:
        value = float(found.values[row])
        expected = float(np.exp(fit.predicted[row]))
        ratio = value / expected
        # The level the row was judged at: its group, or the fallback when that was too small.
        keys, siblings = [], []
        for level in levels:
            ids, members = _groups(parsed, tuple(level))
            siblings = [r for r in members[ids[row]] if r != row]
            keys = level
            if len(siblings) + 1 >= fit.size[row]:
                break
        siblings = [r for r in siblings if not np.isnan(found.values[r])]
        name = " ".join(str(parsed.typed_cells(k)[row]) for k in keys) or "the table"
        looks_like = slip(ratio)
        said = lead(row, value) if lead else f"{field} {fmt_number(value)}{unit}"
        yield Hit(
            message=(f"{said} is {fmt_ratio(ratio)} the {fmt_number(expected)} that the "
                     f"{int(fit.size[row]) - 1} other rows of {name} "
                     f"({line_list(parsed, some_rows(siblings, row), len(siblings))}) predict for "
                     f"{_within(parsed, row, keys)}; those rows scatter by "
                     f"{np.expm1(max(fit.scale[row], 0)):.0%} about their fit, so up to "
                     f"{np.exp(found.tolerance[row]):.2f}x either way is within tolerance"
                     + (f" (about {round(ratio if ratio > 1 else 1 / ratio):,}x: {looks_like}?)"
                        if looks_like else "")),
            row=row, field=field,
            evidence={"value": rounded(value), "expected": rounded(expected),
                      "ratio": rounded(ratio, 3), "scatter": rounded(float(fit.scale[row]), 3),
                      "allowed": rounded(float(found.tolerance[row]), 3),
                      "fit": "log value ~ log units + log batch + log seq per group, robust, "
                             "leave-one-out",
                      "group": {k: str(parsed.typed_cells(k)[row]) for k in keys},
                      "slip": looks_like or None,
                      "compared_rows": [row_ref(parsed, r, value=rounded(float(found.values[r])))
                                        for r in some_rows(siblings, row)],
                      "compared_rows_total": len(siblings)})



"""The robust per-group fit behind C501, C503 and C507, checked against statsmodels' RLM."""

from __future__ import annotations

import numpy as np
import pytest

from validate.rules.consistency.scaling import robust_fit, slip

sm = pytest.importorskip("statsmodels.api", reason="statsmodels is a test extra (pip install -e '.[test]')")


def _group(rng, rows, slopes, noise, outlier=None):
    features = rng.normal(size=(rows, len(slopes)))
    target = 2.0 + features @ np.array(slopes) + rng.normal(scale=noise, size=rows)
    if outlier is not None:
        target[outlier] += 2.0
    return features, target


@pytest.mark.parametrize("seed", range(5))
def test_the_fit_without_a_row_agrees_with_statsmodels_rlm_on_the_other_rows(seed):
    rng = np.random.default_rng(seed)
    features, target = _group(rng, 40, [0.8, 0.3], 0.1, outlier=7)
    # One big group: judged through the hat matrix; its prediction for row i must be close to
    # a Huber fit of the other rows (no prior: strength 0).
    fit = robust_fit(target, features, np.zeros(40, dtype=int), np.zeros(2), 0.0, 3)
    for row in (0, 7, 21):
        others = np.delete(np.arange(40), row)
        model = sm.RLM(target[others], sm.add_constant(features[others]), M=sm.robust.norms.HuberT()).fit()
        expected = model.params @ np.concatenate(([1.0], features[row]))
        assert fit.predicted[row] == pytest.approx(expected, abs=0.05)


def test_small_groups_are_refitted_without_each_row_and_the_odd_row_is_the_one_off():
    rng = np.random.default_rng(3)
    features, target = _group(rng, 8, [1.0, 0.5], 0.05, outlier=5)
    groups = np.zeros(8, dtype=int)
    fit = robust_fit(target, features, groups, np.array([1.0, 0.5]), 2.0, 3)
    residual = np.abs(fit.residual)
    assert residual.argmax() == 5 and residual[5] > 1.5
    assert np.all(np.delete(residual, 5) < 0.3)
    for row in (0, 5):
        others = np.delete(np.arange(8), row)
        model = sm.RLM(target[others], sm.add_constant(features[others]), M=sm.robust.norms.HuberT()).fit()
        expected = model.params @ np.concatenate(([1.0], features[row]))
        # The ridge pull toward the true slopes moves the prediction a little, not much.
        assert fit.predicted[row] == pytest.approx(expected, abs=0.15)


def test_groups_are_fitted_apart_and_groups_too_small_are_not_judged():
    rng = np.random.default_rng(4)
    a_features, a_target = _group(rng, 6, [1.0], 0.05)
    b_features, b_target = _group(rng, 6, [-1.0], 0.05)
    features = np.vstack([a_features, b_features, [[0.0]], [[0.0]]])
    target = np.concatenate([a_target + 5, b_target, [1.0, 9.0]])
    groups = np.array([0] * 6 + [1] * 6 + [2, 2])
    fit = robust_fit(target, features, groups, np.zeros(1), 0.1, 3)
    assert np.all(np.abs(fit.residual[:12]) < 0.3)
    assert np.isnan(fit.residual[12:]).all() and list(fit.size[12:]) == [0, 0]


def test_two_other_rows_that_disagree_give_a_wide_scatter():
    features = np.log([[2.0], [4.0], [8.0]])
    target = np.log([78_274.0, 650_102.0, 29_011.0])
    fit = robust_fit(target, features, np.zeros(3, dtype=int), np.array([1.0]), 2.0, 3)
    assert np.all(fit.scale > 0.5)


@pytest.mark.parametrize(("ratio", "said"), [(10.3, "a digit"), (0.098, "a digit"), (1/1020, "GiB"),
                                             (61, "hours"), (1000, "three digits"), (2.5, "")])
def test_slips_are_named_by_their_ratio(ratio, said):
    assert (said in slip(ratio)) if said else slip(ratio) == ""

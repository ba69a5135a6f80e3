"""Information measures against scipy, hand-worked values and their identities."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.spatial.distance
import scipy.stats
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import prefixcode as pc

REL = 1e-9


def weights(n_min: int = 1, n_max: int = 12, zeros: bool = True):
    """Non-negative weight vectors with a positive total."""
    elem = st.floats(0.0, 1e6, allow_nan=False, allow_infinity=False)
    if not zeros:
        elem = st.floats(1e-6, 1e6)
    return st.lists(elem, min_size=n_min, max_size=n_max).filter(lambda w: sum(w) > 0)


def pairs(zeros: bool = True):
    return st.integers(1, 12).flatmap(
        lambda n: st.tuples(weights(n, n, zeros), weights(n, n, zeros))
    )


def close(a, b, rel=REL, abs_=1e-12):
    return np.allclose(a, b, rtol=rel, atol=abs_)


# -- reference values from scipy on random inputs ---------------------------------------
@pytest.mark.parametrize("base", [2, math.e, 10, 3.5])
def test_entropy_matches_scipy_random(base):
    rng = np.random.default_rng(1)
    for _ in range(200):
        n = rng.integers(1, 40)
        p = rng.random(n) * (rng.random(n) > 0.2)
        if p.sum() == 0:
            continue
        ref = scipy.stats.entropy(p, base=base)
        assert pc.entropy(p, base=base) == pytest.approx(ref, rel=REL, abs=1e-15)


@pytest.mark.parametrize("base", [2, math.e, 10])
def test_kl_and_cross_entropy_match_scipy_random(base):
    rng = np.random.default_rng(2)
    for _ in range(200):
        n = rng.integers(1, 40)
        p = rng.random(n) * (rng.random(n) > 0.3)
        q = rng.random(n) + 1e-3
        if p.sum() == 0:
            continue
        kl = scipy.stats.entropy(p, q, base=base)
        assert pc.kl_divergence(p, q, base=base) == pytest.approx(kl, rel=REL, abs=1e-15)
        h = scipy.stats.entropy(p, base=base)
        assert pc.cross_entropy(p, q, base=base) == pytest.approx(h + kl, rel=REL, abs=1e-15)


@pytest.mark.parametrize("base", [2, math.e])
def test_js_matches_scipy_jensenshannon_squared(base):
    rng = np.random.default_rng(3)
    for _ in range(200):
        n = rng.integers(1, 30)
        p = rng.random(n) * (rng.random(n) > 0.3) + 1e-12 * (rng.random(n) > 2)
        q = rng.random(n) * (rng.random(n) > 0.3)
        if p.sum() == 0 or q.sum() == 0:
            continue
        ref = scipy.spatial.distance.jensenshannon(p, q, base=base) ** 2
        assert pc.js_divergence(p, q, base=base) == pytest.approx(ref, rel=1e-9, abs=1e-14)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_axis_matches_scipy(axis):
    rng = np.random.default_rng(4)
    p = rng.random((5, 7))
    q = rng.random((5, 7)) + 0.01
    assert close(pc.entropy(p, axis=axis), scipy.stats.entropy(p, axis=axis, base=2))
    assert close(pc.kl_divergence(p, q, axis=axis), scipy.stats.entropy(p, q, axis=axis, base=2))
    ref = scipy.spatial.distance.jensenshannon(p, q, axis=axis, base=2) ** 2
    assert close(pc.js_divergence(p, q, axis=axis), ref)
    assert pc.entropy(p, axis=axis).shape == scipy.stats.entropy(p, axis=axis).shape


def test_three_dimensional_arrays():
    rng = np.random.default_rng(5)
    p = rng.random((3, 4, 5))
    assert close(pc.entropy(p, axis=1, base=math.e), scipy.stats.entropy(p, axis=1))


def test_one_dimensional_results_are_floats():
    assert type(pc.entropy([1, 1])) is float
    assert type(pc.kl_divergence([1, 1], [1, 2])) is float
    assert isinstance(pc.entropy([[1, 1], [1, 3]]), np.ndarray)


# -- conventions ---------------------------------------------------------------------------
def test_zero_log_zero_is_zero():
    assert pc.entropy([1, 0, 0]) == 0.0
    assert pc.kl_divergence([1, 0], [1, 0]) == 0.0
    assert pc.cross_entropy([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == 1.0


def test_q_zero_where_p_positive_is_inf_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pc.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
        assert pc.cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
        out = pc.kl_divergence([[0.5, 0.5], [1, 0]], [[1, 0], [1, 0]])
        assert out[0] == math.inf and out[1] == 0.0
        assert not np.isnan(out).any()


def test_counts_are_normalized():
    assert pc.entropy([3, 1]) == pytest.approx(pc.entropy([0.75, 0.25]), rel=1e-15)
    assert pc.kl_divergence([2, 2], [30, 10]) == pytest.approx(pc.kl_divergence([0.5, 0.5], [0.75, 0.25]))


def test_normalize_false_takes_q_as_given():
    p = [0.5, 0.25, 0.25]
    lengths = np.array([1, 3, 3])  # incomplete code, Kraft sum 0.75
    q = 2.0 ** -lengths
    assert pc.cross_entropy(p, q, normalize=False) == pytest.approx(float(np.dot(p, lengths)), rel=1e-15)
    # normalized q costs less by exactly log2(1/K)
    diff = pc.cross_entropy(p, q, normalize=False) - pc.cross_entropy(p, q)
    assert diff == pytest.approx(math.log2(1 / 0.75), rel=1e-12)


def test_mappings_aligned_over_union_of_keys():
    p = {"a": 1, "b": 1}
    q = {"b": 1, "a": 3}
    assert pc.kl_divergence(p, q) == pytest.approx(pc.kl_divergence([0.5, 0.5], [0.75, 0.25]))
    assert pc.kl_divergence(p, {"a": 1}) == math.inf          # q misses 'b'
    assert pc.kl_divergence({"a": 1}, {"a": 1, "z": 1}) == 1.0  # p misses 'z': weight 0


def test_distribution_bytes_and_strings():
    d = pc.Distribution.from_samples("aab")
    assert pc.entropy(d) == pytest.approx(pc.entropy([2, 1]))
    assert pc.entropy(b"aab") == pytest.approx(pc.entropy([2, 1]))
    assert pc.entropy("aab") == pytest.approx(pc.entropy([2, 1]))
    assert pc.kl_divergence(d, {"a": 2, "b": 1}) == pytest.approx(0.0, abs=1e-15)


def test_units_nats_and_bits():
    p = [0.2, 0.3, 0.5]
    assert pc.entropy(p, base=math.e) == pytest.approx(pc.entropy(p) * math.log(2))


def test_binary_entropy_shape_of_curve():
    x = np.linspace(0, 1, 101)
    h = pc.binary_entropy(x)
    assert h[0] == 0 and h[-1] == 0 and h[50] == 1.0
    assert close(h, h[::-1])
    assert np.argmax(h) == 50
    assert close(h, [pc.entropy([a, 1 - a]) for a in x])


def test_surprisal_forms():
    assert pc.surprisal(1.0) == 0.0
    assert pc.surprisal(0.0) == math.inf
    assert close(pc.surprisal([0.5, 0.125]), [1.0, 3.0])
    assert pc.surprisal(math.exp(-1), base=math.e) == pytest.approx(1.0)


# -- joint tables ------------------------------------------------------------------------
def test_joint_measures_against_hand_computation():
    pxy = np.array([[1 / 8, 1 / 16, 1 / 32, 1 / 32],
                    [1 / 16, 1 / 8, 1 / 32, 1 / 32],
                    [1 / 16, 1 / 16, 1 / 16, 1 / 16],
                    [1 / 4, 0, 0, 0]]).T  # Cover & Thomas, Example 2.2.1 (X on rows here)
    # With X the rows of this transposed table: H(X) = 7/4, H(Y) = 2, H(X, Y) = 27/8
    assert pc.joint_entropy(pxy) == pytest.approx(27 / 8)
    assert pc.entropy(pxy.sum(axis=1)) == pytest.approx(7 / 4)
    assert pc.conditional_entropy(pxy) == pytest.approx(27 / 8 - 7 / 4)
    assert pc.conditional_entropy(pxy.T) == pytest.approx(27 / 8 - 2)
    assert pc.mutual_information(pxy) == pytest.approx(7 / 4 + 2 - 27 / 8)


def test_joint_mapping_form():
    pxy = {("sun", "dry"): 3, ("rain", "wet"): 1}
    assert pc.mutual_information(pxy) == pytest.approx(pc.entropy([3, 1]))
    assert pc.conditional_entropy(pxy) == 0.0


# -- identities (properties) -------------------------------------------------------------
@given(pairs())
def test_kl_nonnegative_and_cross_entropy_decomposition(pq):
    p, q = pq
    kl = pc.kl_divergence(p, q)
    assert kl >= 0
    h, hpq = pc.entropy(p), pc.cross_entropy(p, q)
    if math.isinf(kl):
        assert math.isinf(hpq)
    else:
        assert hpq == pytest.approx(h + kl, rel=1e-9, abs=1e-9)


@given(weights())
def test_kl_zero_iff_equal(p):
    assert pc.kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)
    assert pc.js_divergence(p, p) == pytest.approx(0.0, abs=1e-12)


@given(pairs(zeros=False))
def test_kl_positive_when_different(pq):
    p, q = pq
    pn, qn = np.array(p) / sum(p), np.array(q) / sum(q)
    assume(np.abs(pn - qn).max() > 1e-3)
    assert pc.kl_divergence(p, q) > 0


def test_kl_not_symmetric():
    p, q = [0.9, 0.1], [0.5, 0.5]
    assert pc.kl_divergence(p, q) != pytest.approx(pc.kl_divergence(q, p))


@given(pairs())
def test_js_symmetric_and_bounded(pq):
    p, q = pq
    js = pc.js_divergence(p, q)
    assert 0 <= js <= 1 + 1e-12
    assert js == pytest.approx(pc.js_divergence(q, p), abs=1e-12)
    assert pc.js_divergence(p, q, base=math.e) <= math.log(2) + 1e-12


@given(weights())
def test_entropy_bounds(p):
    h = pc.entropy(p)
    support = sum(1 for x in p if x > 0)
    assert -1e-12 <= h <= math.log2(len(p)) + 1e-9
    assert h <= math.log2(support) + 1e-9


@given(st.integers(1, 64))
def test_entropy_uniform_is_log_n(n):
    assert pc.entropy([1] * n) == pytest.approx(math.log2(n), abs=1e-12)


joint_tables = st.integers(1, 5).flatmap(
    lambda r: st.integers(1, 5).flatmap(
        lambda c: hnp.arrays(np.float64, (r, c), elements=st.floats(0, 100))
    )
).filter(lambda a: a.sum() > 0)


@given(joint_tables)
def test_mutual_information_identities(pxy):
    mi = pc.mutual_information(pxy)
    assert mi >= 0
    assert mi == pytest.approx(pc.mutual_information(pxy.T), abs=1e-9)
    hx, hy = pc.entropy(pxy.sum(axis=1)), pc.entropy(pxy.sum(axis=0))
    hxy = pc.joint_entropy(pxy)
    assert mi == pytest.approx(hx + hy - hxy, abs=1e-9)
    assert pc.conditional_entropy(pxy) == pytest.approx(hxy - hx, abs=1e-9)
    pn = pxy / pxy.sum()
    indep = np.outer(pn.sum(axis=1), pn.sum(axis=0))
    assume(np.all(indep[pn > 0] > 0))  # the reference's product must not underflow
    assert mi == pytest.approx(pc.kl_divergence(pn.ravel(), indep.ravel()), abs=1e-9)


@given(weights(1, 6), weights(1, 6))
def test_independent_variables_have_zero_mutual_information(px, py):
    pxy = np.outer(px, py)
    assume(pxy.sum() > 0)
    assert pc.mutual_information(pxy) == pytest.approx(0.0, abs=1e-9)


# -- bad input ----------------------------------------------------------------------------
BAD_P = [
    ([0.5, -0.5], "non-negative"),
    ([0.5, float("nan")], "NaN"),
    ([0.5, float("inf")], "finite"),
    ([], "non-empty"),
    (np.zeros((2, 0)), "non-empty"),
    ([0, 0, 0], "not all zero"),
    ([[1, 1], [0, 0]], "not all zero"),
    (None, "weights or samples"),
    ([[1, 2], [3]], "rectangular"),
    ([1 + 2j, 1], "real numbers"),
    (3.0, "not a scalar"),
    ({}, "non-empty"),
    ({"a": -1, "b": 2}, "non-negative"),
    ("", "non-empty"),
    (b"", "non-empty"),
    ({"a": "x"}, "real numbers.*got {.a.: .x.}"),
]


@pytest.mark.parametrize(("p", "words"), BAD_P)
@pytest.mark.parametrize(
    "func",
    [pc.entropy, lambda p: pc.cross_entropy(p, p), lambda p: pc.kl_divergence(p, p),
     lambda p: pc.js_divergence(p, p)],
    ids=["entropy", "cross_entropy", "kl_divergence", "js_divergence"],
)
def test_bad_distribution_raises_named_error(func, p, words):
    with pytest.raises(pc.PrefixCodeError, match=rf"argument 'p' must be .*{words}") as info:
        func(p)
    assert isinstance(info.value, ValueError)
    assert " got " in str(info.value)


@pytest.mark.parametrize("q", [[0.5, -0.5], [float("nan"), 1], [0, 0], None, ["x", 1]])
def test_bad_q_names_q(q):
    with pytest.raises(pc.PrefixCodeError, match="argument 'q'"):
        pc.kl_divergence([0.5, 0.5], q)


def test_mismatched_shapes():
    msg = r"'p' and 'q' must have the same shape, got \(2,\) and \(3,\)"
    with pytest.raises(pc.PrefixCodeError, match=msg):
        pc.kl_divergence([1, 1], [1, 1, 1])
    with pytest.raises(pc.PrefixCodeError, match="same shape"):
        pc.js_divergence(np.ones((2, 3)), np.ones((3, 2)))


@pytest.mark.parametrize("base", [1, 0.5, 0, -2, float("nan"), float("inf"), "2", None, True])
def test_bad_base(base):
    with pytest.raises(pc.PrefixCodeError, match="argument 'base' must be"):
        pc.entropy([1, 1], base=base)


@pytest.mark.parametrize("pxy", [[1, 2, 3], np.ones((2, 2, 2)), [[0, 0], [0, 0]], [[1, -1], [1, 1]],
                                 {("a",): 1}, {}, None])
def test_bad_joint_table(pxy):
    with pytest.raises(pc.PrefixCodeError, match="argument 'pxy'"):
        pc.mutual_information(pxy)


@pytest.mark.parametrize("x", [-0.1, 1.5, float("nan"), "a", None, []])
def test_bad_probability_for_binary_entropy_and_surprisal(x):
    with pytest.raises(pc.PrefixCodeError, match="argument 'x'"):
        pc.binary_entropy(x)
    with pytest.raises(pc.PrefixCodeError, match="argument 'p'"):
        pc.surprisal(x)


def test_inputs_are_not_mutated():
    p = np.array([3.0, 1.0])
    q = np.array([1.0, 1.0])
    pc.kl_divergence(p, q)
    pc.entropy(p)
    assert p.tolist() == [3.0, 1.0] and q.tolist() == [1.0, 1.0]


def test_js_stays_finite_with_subnormal_weights():
    # (p + q) / 2 underflows to 0 for the smallest subnormal; JS must stay finite and tiny
    js = pc.js_divergence([0.0, 1.0, 0.0], [0.0, 1.0, 5e-324])
    assert 0.0 <= js < 1e-300
    assert pc.js_divergence([5e-324, 1.0], [0.0, 1.0]) == pytest.approx(0.0, abs=1e-300)

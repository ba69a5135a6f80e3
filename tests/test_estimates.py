"""empirical_entropy (order k) and entropy_estimate (plug-in and bias-corrected)."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import prefixcode as pc
from prefixcode.measures import _grassberger_g


# -- H_k against an independent count ----------------------------------------------------
def counter_hk(message, k):
    """H_k by plain Python counting: sum over (c, x) of n_cx / n' * log2(n_c / n_cx)."""
    seq = list(message)
    grams = Counter(tuple(seq[i - k:i + 1]) for i in range(k, len(seq)))
    contexts = Counter()
    for gram, count in grams.items():
        contexts[gram[:-1]] += count
    total = len(seq) - k
    return sum(c / total * math.log2(contexts[g[:-1]] / c) for g, c in grams.items())


@given(st.lists(st.integers(0, 4), min_size=1, max_size=200), st.integers(0, 4))
def test_hk_matches_an_independent_count(message, k):
    if len(message) <= k:
        with pytest.raises(pc.PrefixCodeError, match="longer than order"):
            pc.empirical_entropy(message, order=k)
        return
    expected = counter_hk(message, k)
    assert pc.empirical_entropy(message, order=k) == pytest.approx(expected, abs=1e-12)
    # the same message as an integer array, as bytes and as text
    assert pc.empirical_entropy(np.array(message), order=k) == pytest.approx(expected, abs=1e-12)
    assert pc.empirical_entropy(bytes(message), order=k) == pytest.approx(expected, abs=1e-12)
    assert pc.empirical_entropy("".join("abcde"[x] for x in message), order=k) == pytest.approx(
        expected, abs=1e-12
    )


@given(st.text(alphabet="ab \u00e9x", min_size=1, max_size=100))
def test_h0_is_the_entropy_of_the_message(text):
    assert pc.empirical_entropy(text) == pytest.approx(pc.entropy(text), abs=1e-12)


def test_hand_worked_values():
    # abracadabra, order 1: 10 positions; after 'a' (4 times) b, c, d, b: 1.5 bits; others fixed
    assert pc.empirical_entropy("abracadabra", order=1) == pytest.approx(0.4 * 1.5)
    # order 2: 9 positions, every context (ab, br, ra, ac, ca, ad, da) has one successor
    assert pc.empirical_entropy("abracadabra", order=2) == 0.0
    # abcabd, order 2: abc, bca, cab, abd: ab -> c, d (1 bit) on 2 of the 4 positions
    assert pc.empirical_entropy("abcabd", order=2) == pytest.approx(0.5)
    assert pc.empirical_entropy("abab", order=1) == 0.0
    assert pc.empirical_entropy("aaaa", order=0) == 0.0
    assert pc.empirical_entropy(["x", ("t", 1), None, "x"], order=0) == pytest.approx(1.5)


def test_base_and_sequences_of_any_hashables():
    text = "the quick brown fox jumps over the lazy dog"
    bits = pc.empirical_entropy(text, order=1)
    assert pc.empirical_entropy(text, order=1, base=math.e) == pytest.approx(bits * math.log(2))
    words = text.split()
    assert pc.empirical_entropy(words, order=1) == pytest.approx(counter_hk(words, 1))
    assert pc.empirical_entropy(np.array([[1, 2], [1, 2]]), order=1) == pytest.approx(
        counter_hk([1, 2, 1, 2], 1)
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"message": "", "order": 0}, "'message' must be non-empty"),
        ({"message": b"", "order": 0}, "'message' must be non-empty"),
        ({"message": "abc", "order": -1}, "'order' must be a non-negative integer"),
        ({"message": "abc", "order": 1.5}, "'order' must be a non-negative integer"),
        ({"message": "abc", "order": True}, "'order' must be a non-negative integer"),
        ({"message": "abc", "order": 3}, "longer than order"),
        ({"message": 5, "order": 0}, "'message' must be"),
        ({"message": [[1], [2]], "order": 0}, "hashable"),
        ({"message": "abc", "order": 1, "base": 1}, "'base'"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(pc.PrefixCodeError, match=match):
        pc.empirical_entropy(**kwargs)


def test_hk_does_not_increase_with_k_on_real_text(corpus):
    text = next(p for p in corpus if p.name == "alice29.txt").read_bytes()
    hs = [pc.empirical_entropy(text, order=k) for k in range(6)]
    assert hs[0] == pytest.approx(pc.entropy(text))
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(hs)), hs
    assert 4.4 < hs[0] < 4.7 and hs[2] < 3 and hs[5] < 1  # English text, bytes


# -- the estimators ----------------------------------------------------------------------
SAMPLE = "aaabbc"  # n = 6, counts 3, 2, 1: m = 3 observed, one singleton
PLUGIN_BITS = -(0.5 * math.log2(0.5) + (1 / 3) * math.log2(1 / 3) + (1 / 6) * math.log2(1 / 6))


def test_plugin_is_the_entropy_of_the_sample():
    r = pc.entropy_estimate(SAMPLE)
    assert r.estimate == pytest.approx(PLUGIN_BITS) == pytest.approx(1.4591479170272448)
    assert (r.method, r.n, r.support, r.interval) == ("plugin", 6, 3, None)


def test_miller_madow_adds_m_minus_1_over_2n_ln2_bits():
    # Miller (1955): E[H_plugin] ~ H - (m - 1) / (2 n) nats; here (3 - 1) / (2 * 6 * ln 2) bits
    r = pc.entropy_estimate(SAMPLE, method="miller-madow")
    assert r.estimate - r.plugin == pytest.approx(2 / (12 * math.log(2)))
    assert r.estimate == pytest.approx(1.6995970)
    nats = pc.entropy_estimate(SAMPLE, method="miller-madow", base=math.e)
    assert nats.estimate == pytest.approx(PLUGIN_BITS * math.log(2) + 1 / 6)


def test_chao_shen_on_a_hand_worked_sample():
    # Chao and Shen (2003): coverage C = 1 - f1 / n = 1 - 1/6 = 5/6; p_a = C * n_i / n
    # = 5/12, 5/18, 5/36; H = -sum p_a log2 p_a / (1 - (1 - p_a)^6):
    #   5/12: 0.526264 / 0.960600 = 0.547850
    #   5/18: 0.513332 / 0.858086 = 0.598230
    #   5/36: 0.395555 / 0.592286 = 0.667844           total 1.813924
    terms = []
    for p in (5 / 12, 5 / 18, 5 / 36):
        terms.append(-p * math.log2(p) / (1 - (1 - p) ** 6))
    assert terms == pytest.approx([0.547850, 0.598230, 0.667844], abs=1e-6)
    r = pc.entropy_estimate(SAMPLE, method="chao-shen")
    assert r.estimate == pytest.approx(sum(terms), rel=1e-12)
    assert r.estimate == pytest.approx(1.8139238, abs=1e-6)


def test_chao_shen_when_every_symbol_is_a_singleton():
    # f1 = n would make the coverage 0; the estimator takes f1 = n - 1 (as Chao and Shen do)
    n = 6
    p = (1 - (n - 1) / n) / n
    expected = n * (-p * math.log2(p) / (1 - (1 - p) ** n))
    assert pc.entropy_estimate("abcdef", method="chao-shen").estimate == pytest.approx(expected)


def test_grassberger_g_against_digamma():
    special = pytest.importorskip("scipy.special")
    k = np.arange(1, 2001)
    g = special.digamma(k) + 0.5 * (-1.0) ** k * (special.digamma((k + 1) / 2) - special.digamma(k / 2))
    assert np.allclose(_grassberger_g(2000)[1:], g, rtol=0, atol=1e-11)
    # the first values of the recurrence, by hand: G1 = -gamma - ln 2, G2 = G3 = G1 + 2
    assert _grassberger_g(3)[1:].tolist() == pytest.approx(
        [-np.euler_gamma - math.log(2), 2 - np.euler_gamma - math.log(2), 2 - np.euler_gamma - math.log(2)]
    )


@pytest.mark.parametrize("counts", [(3, 2, 1), (1, 1, 1, 1), (10, 1), (7, 7, 3, 2, 2, 1, 1, 1, 9)])
def test_grassberger_against_scipy_digamma(counts):
    special = pytest.importorskip("scipy.special")
    n = sum(counts)
    # Grassberger (2003): H = ln n - (1/n) sum n_i G(n_i), G(k) = psi(k) + (-1)^k/2 (psi((k+1)/2) - psi(k/2))
    g = [special.digamma(c) + 0.5 * (-1) ** c * (special.digamma((c + 1) / 2) - special.digamma(c / 2))
         for c in counts]
    expected = (math.log(n) - sum(c * gc for c, gc in zip(counts, g)) / n) / math.log(2)
    sample = {f"s{i}": c for i, c in enumerate(counts)}
    assert pc.entropy_estimate(sample, method="grassberger").estimate == pytest.approx(expected, rel=1e-12)


def test_grassberger_hand_value():
    # counts 3, 2, 1: G3 = G2 = 2 - gamma - ln 2, G1 = -gamma - ln 2
    g1 = -np.euler_gamma - math.log(2)
    g2 = g1 + 2
    nats = math.log(6) - (3 * g2 + 2 * g2 + 1 * g1) / 6
    assert pc.entropy_estimate(SAMPLE, method="grassberger", base=math.e).estimate == pytest.approx(nats)
    assert nats / math.log(2) == pytest.approx(2.01322, abs=1e-5)


TRUE_P = np.array([0.3, 0.2, 0.15, 0.1, 0.08, 0.06, 0.05, 0.03, 0.02, 0.01])
TRUE_H = float(-(TRUE_P * np.log2(TRUE_P)).sum())


def _mean_estimates(n, seeds=400):
    rng = np.random.default_rng(20260)
    out = {m: [] for m in ("plugin", "miller-madow", "chao-shen", "grassberger")}
    for _ in range(seeds):
        sample = rng.choice(len(TRUE_P), size=n, p=TRUE_P)
        for m in out:
            out[m].append(pc.entropy_estimate(sample, method=m).estimate)
    return {m: float(np.mean(v)) for m, v in out.items()}


@pytest.mark.parametrize("n", [10, 20, 50])
def test_plugin_is_biased_low_and_the_corrections_are_closer(n):
    means = _mean_estimates(n)
    bias = {m: v - TRUE_H for m, v in means.items()}
    assert bias["plugin"] < -0.05, bias
    for m in ("miller-madow", "chao-shen", "grassberger"):
        assert abs(bias[m]) < abs(bias["plugin"]), (m, bias)


def test_plugin_bias_shrinks_with_the_sample():
    small, large = _mean_estimates(10, 200), _mean_estimates(200, 200)
    assert small["plugin"] < large["plugin"] < TRUE_H


def test_input_forms_agree():
    expected = pc.entropy_estimate(SAMPLE, method="chao-shen").estimate
    forms = [
        list(SAMPLE), b"aaabbc", np.array([7, 7, 7, 1, 1, 0]), {"a": 3, "b": 2, "c": 1, "z": 0},
        pc.Distribution.from_samples(SAMPLE), [0.5, 0.5, 0.5, 2.0, 2.0, -1.0],
    ]
    for form in forms:
        assert pc.entropy_estimate(form, method="chao-shen").estimate == pytest.approx(expected)


def test_bootstrap_interval():
    r = pc.entropy_estimate(SAMPLE * 5, method="miller-madow", bootstrap=500, seed=3)
    lo, hi = r.interval
    assert lo < r.plugin < hi and lo < r.estimate
    assert r == pc.entropy_estimate(SAMPLE * 5, method="miller-madow", bootstrap=500, seed=3)
    narrow = pc.entropy_estimate(SAMPLE * 5, method="miller-madow", bootstrap=500, seed=3, confidence=0.5)
    assert lo <= narrow.interval[0] <= narrow.interval[1] <= hi
    d = r.to_dict()
    assert d["interval"] == [lo, hi] and d["bootstrap"] == 500 and d["method"] == "miller-madow"
    assert all(type(v) in (int, float, str, list) for v in d.values())
    text = str(r)
    assert "miller-madow" in text and "95% bootstrap interval" in text and "bits" in text
    assert "<table>" in r._repr_html_()
    assert "interval" not in str(pc.entropy_estimate(SAMPLE))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"samples": SAMPLE, "method": "nsb"}, "'method' must be one of"),
        ({"samples": SAMPLE, "bootstrap": -1}, "'bootstrap'"),
        ({"samples": SAMPLE, "bootstrap": 2.5}, "'bootstrap'"),
        ({"samples": SAMPLE, "bootstrap": 10, "confidence": 1.0}, "'confidence'"),
        ({"samples": SAMPLE, "base": 0.5}, "'base'"),
        ({"samples": ""}, "'samples' must be non-empty"),
        ({"samples": {"a": 1.5}}, "integer counts"),
        ({"samples": {"a": -1}}, "integer counts"),
        ({"samples": {"a": 0}}, "positive total"),
        ({"samples": pc.Distribution(["a", "b"], [0.5, 0.5])}, "built from samples"),
        ({"samples": None}, "'samples' must be"),
    ],
)
def test_estimate_bad_arguments(kwargs, match):
    with pytest.raises(pc.PrefixCodeError, match=match):
        pc.entropy_estimate(**kwargs)


def test_a_short_message_may_break_monotonicity():
    # H_0 counts 3 positions, H_1 only the 2 that have a predecessor (stated in the docstring)
    assert pc.empirical_entropy("aab", order=0) == pytest.approx(0.9182958340544896)
    assert pc.empirical_entropy("aab", order=1) == 1.0

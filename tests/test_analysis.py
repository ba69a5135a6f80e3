"""The analyzer: the course's numbers, the exact waste split, reference values, properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from bitarray.util import huffman_code
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import entropy as scipy_entropy

import prefixcode as pc
from prefixcode.analysis import GALLAGER_SIGMA, CodeReport, Comparison, gallager_bound

CLIMATE = [0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]
REVERSED = CLIMATE[::-1]
COURSE = ["00", "01", "100", "101", "1100", "1101", "11100", "11101"]
FIXED = [format(i, "03b") for i in range(8)]


# -- the worked examples ------------------------------------------------------------------
def test_weather_course_code_numbers():
    r = pc.analyze(CLIMATE, COURSE)
    assert r.entropy == pytest.approx(2.228972, abs=5e-7)
    assert round(r.entropy, 2) == 2.23
    assert r.average_length == pytest.approx(2.42, abs=1e-12)
    assert r.cross_entropy == r.average_length
    assert r.kraft_sum == 0.9375
    assert not r.is_complete
    assert round(r.wasted, 3) == 0.191
    assert round(r.kl, 4) == 0.0979
    assert round(r.unused_space, 4) == 0.0931
    assert r.unused_space == pytest.approx(math.log2(1 / 0.9375), rel=1e-15)
    assert r.wasted == pytest.approx(r.kl + r.unused_space, abs=1e-12)
    assert r.within_bounds


def test_weather_fixed_and_reversed():
    fixed = pc.analyze(CLIMATE, FIXED)
    assert fixed.average_length == pytest.approx(3.0)
    assert fixed.kraft_sum == 1.0 and fixed.unused_space == 0.0
    assert fixed.kl == pytest.approx(3.0 - fixed.entropy, abs=1e-12)
    rev = pc.analyze(REVERSED, COURSE)
    assert round(rev.average_length, 2) == 4.58
    assert rev.wasted == pytest.approx(2.351028, abs=5e-7)          # "KL as taught"
    assert rev.wasted == pytest.approx(pc.kl_divergence(REVERSED, [2.0**-len(c) for c in COURSE],
                                                        normalize=False), abs=1e-12)
    assert rev.kl == pytest.approx(rev.wasted - math.log2(1 / 0.9375), abs=1e-12)
    assert not rev.within_bounds                                   # 4.58 >= 2.23 + 1


def test_implied_distribution_of_a_two_bit_codeword_is_a_quarter():
    r = pc.analyze(CLIMATE, COURSE)
    rows = {row.codeword: row for row in r.symbols}
    assert rows["00"].q == 0.25
    assert rows["11101"].q == 2.0**-5
    assert rows["00"].surprisal == pytest.approx(-math.log2(0.35))
    assert sum(row.waste for row in r.symbols) == pytest.approx(r.wasted, abs=1e-12)


def test_huffman_on_the_weather_climate():
    r = pc.analyze(CLIMATE, pc.huffman(CLIMATE))
    assert round(r.average_length, 2) == 2.33
    assert r.is_complete and r.unused_space == 0.0
    assert r.wasted == pytest.approx(r.kl, abs=1e-12)
    assert r.wasted <= r.gallager_bound
    assert r.gallager_bound == pytest.approx(0.35 + GALLAGER_SIGMA)


# -- reference values -------------------------------------------------------------------------
def test_gallager_constant_and_bound():
    assert GALLAGER_SIGMA == pytest.approx(0.0860713, abs=1e-7)    # Gallager 1978: sigma ~ 0.086
    assert gallager_bound(0.2) == pytest.approx(0.2 + 0.0860713, abs=1e-7)
    assert gallager_bound(0.75) == pytest.approx(2 - 0.75 - pc.binary_entropy(0.75))
    assert gallager_bound(1.0) == 1.0
    for bad in (0.0, 1.5, -0.1, float("nan"), "0.3", True):
        with pytest.raises(pc.PrefixCodeError, match="p_max"):
            gallager_bound(bad)


def test_entropy_agrees_with_scipy_and_length_with_bitarray():
    rng = np.random.default_rng(1)
    for n in (2, 3, 7, 30):
        w = rng.random(n) + 0.01
        p = w / w.sum()
        r = pc.analyze(p, pc.huffman(p))
        assert r.entropy == pytest.approx(scipy_entropy(p, base=2), rel=1e-9)
        ref = huffman_code(dict(enumerate(p)))                     # bitarray's own Huffman
        assert r.average_length == pytest.approx(sum(p[s] * len(c) for s, c in ref.items()), rel=1e-12)


def test_ternary_code_counts_digits_and_converts_to_bits():
    code = pc.PrefixCode.from_lengths([1, 1, 2, 2, 2], arity=3)
    p = [0.3, 0.3, 0.2, 0.1, 0.1]
    r = pc.analyze(p, code)
    assert r.arity == 3
    assert r.average_digits == pytest.approx(1.4)
    assert r.average_length == pytest.approx(1.4 * math.log2(3))
    assert r.kraft_sum == pytest.approx(2 / 3 + 3 / 9)
    assert r.upper_bound == pytest.approx(r.entropy + math.log2(3))
    assert r.gallager_bound is None
    assert r.wasted == pytest.approx(r.kl + r.unused_space, abs=1e-12)
    assert r.symbols[0].q == pytest.approx(1 / 3)
    assert "3-ary digits" in str(r)


def test_alignment_by_symbol_and_missing_symbols_cost_inf():
    code = pc.PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"})
    r = pc.analyze({"c": 1, "a": 2, "b": 1}, code)                 # by symbol, counts normalized
    assert r.average_length == pytest.approx(1.5)
    assert r.wasted == pytest.approx(0.0, abs=1e-12)
    r2 = pc.analyze({"a": 1, "b": 1}, code)                        # c unused: p = 0
    assert r2.average_length == pytest.approx(1.5)
    assert any(row.symbol == "c" and row.p == 0 for row in r2.symbols)
    r3 = pc.analyze({"a": 1, "z": 1}, code)                        # z has no codeword
    assert math.isinf(r3.average_length) and math.isinf(r3.wasted) and math.isinf(r3.kl)
    z = next(row for row in r3.symbols if row.symbol == "z")
    assert z.length is None and z.codeword is None and z.q == 0.0
    assert "inf" in str(r3)


def test_bad_input_names_the_argument():
    code = pc.PrefixCode.from_codewords({"a": "0", "b": "1"})
    with pytest.raises(pc.PrefixCodeError, match="'p'"):
        pc.analyze([0.5, 0.3, 0.2], code)
    with pytest.raises(pc.PrefixCodeError, match="'p'"):
        pc.analyze([0.5, -0.5], code)
    with pytest.raises(pc.PrefixCodeError, match="'code'"):
        pc.analyze([0.5, 0.5], 42)
    with pytest.raises(pc.PrefixCodeError):
        pc.analyze([0.5, 0.5], ["0", "01"])                        # not prefix-free
    with pytest.raises(pc.PrefixCodeError, match="'codes'"):
        pc.compare([0.5, 0.5], {})


# -- properties ---------------------------------------------------------------------------------
@st.composite
def source_and_code(draw):
    n = draw(st.integers(2, 12))
    w = draw(st.lists(st.floats(0.001, 1.0), min_size=n, max_size=n))
    arity = draw(st.sampled_from([2, 2, 3, 4]))
    lengths = draw(st.lists(st.integers(1, 8), min_size=n, max_size=n))
    # lengthen until Kraft holds (lengths with sum D^-l <= 1 always form a prefix code)
    while sum(arity ** -x for x in lengths) > 1:
        lengths = [x + 1 for x in lengths]
    return np.array(w) / sum(w), pc.PrefixCode.from_lengths(lengths, arity=arity)


@given(source_and_code())
def test_waste_splits_exactly_into_kl_and_unused_space(case):
    p, code = case
    r = pc.analyze(p, code)
    q = np.array([code.arity ** -code.lengths[s] for s in code.symbols], dtype=float)
    log2d = math.log2(code.arity)
    assert r.wasted == pytest.approx(r.kl + r.unused_space, abs=1e-9)
    assert r.wasted == pytest.approx(r.average_length - r.entropy, abs=1e-12)
    assert r.average_length == pytest.approx(pc.cross_entropy(p, q, normalize=False), rel=1e-9)
    assert r.average_length == pytest.approx(log2d * float(np.dot(p, code.length_array)), rel=1e-12)
    assert r.kl == pytest.approx(pc.kl_divergence(p, q), abs=1e-9)
    assert r.kl >= 0 and r.unused_space >= 0 and r.wasted >= -1e-12
    assert r.entropy <= r.average_length + 1e-12
    assert sum(row.waste for row in r.symbols) == pytest.approx(r.wasted, abs=1e-9)
    assert 0 < r.efficiency <= 1 + 1e-12


@given(st.lists(st.floats(0.001, 1.0), min_size=2, max_size=40))
def test_huffman_meets_both_bounds(w):
    r = pc.analyze(w, pc.huffman(w))
    assert r.within_bounds
    assert r.wasted <= r.gallager_bound + 1e-9
    assert r.unused_space == 0.0


# -- messages and mismatch --------------------------------------------------------------------
def test_analyze_message_counts_the_bits_the_codec_writes():
    msg = pc.datasets.load_bytes("asyoulik.txt")
    code = pc.huffman(msg)
    r = pc.analyze_message(msg, code)
    assert r.n_symbols == len(msg)
    assert r.byte_symbols
    assert r.total_bits == pytest.approx(len(pc.encode(msg, code)), abs=1e-6)
    assert r.entropy == pytest.approx(scipy_entropy(np.bincount(np.frombuffer(msg, np.uint8)), base=2))
    default = pc.analyze_message(msg)        # Huffman's code for the byte values that occur
    counts = np.bincount(np.frombuffer(msg, np.uint8))
    ref = huffman_code({b: int(c) for b, c in enumerate(counts) if c})
    assert default.average_length == pytest.approx(
        sum(counts[b] * len(cw) for b, cw in ref.items()) / len(msg), rel=1e-12)
    assert default.average_length <= r.average_length               # r codes all 256 values
    assert "'e'" in str(default)


def test_analyze_message_of_symbols():
    r = pc.analyze_message(["sun", "sun", "sun", "rain"])
    assert r.entropy == pytest.approx(0.811278, abs=1e-6)
    assert r.average_length == 1.0 and r.total_bits == 4.0


def test_mismatch_waste_and_kl():
    a = pc.datasets.load_bytes("alice.txt")
    b = pc.datasets.load_bytes("paradise_lost.txt")
    m = pc.analyze_mismatch(a, b, names=("alice", "milton"))
    assert m.report.average_length >= m.matched.average_length       # own Huffman code is optimal
    assert m.report.wasted == pytest.approx(m.report.kl + m.report.unused_space, abs=1e-9)
    # reference: KL(test || smoothed train) by scipy over the union of byte values
    ca = np.bincount(np.frombuffer(a, np.uint8), minlength=256).astype(float)
    cb = np.bincount(np.frombuffer(b, np.uint8), minlength=256).astype(float)
    used = (ca + cb) > 0
    ref = scipy_entropy(cb[used], ca[used] + 0.5, base=2)
    assert m.kl_test_train == pytest.approx(ref, rel=1e-9)
    d = m.to_dict()
    assert d["train"] == "alice" and isinstance(d["kl_test_train"], float)
    assert "milton" in str(m) and "<table>" in m._repr_html_()


def test_mismatch_with_itself_costs_nothing():
    m = pc.analyze_mismatch("abracadabra", "abracadabra", pseudocount=0)
    assert m.kl_test_train == pytest.approx(0.0, abs=1e-12)
    assert m.extra_bits == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(pc.PrefixCodeError, match="pseudocount"):
        pc.analyze_mismatch("ab", "ba", pseudocount=-1)


# -- the reports ---------------------------------------------------------------------------------
def test_reports_are_frozen_and_plain():
    r = pc.analyze(CLIMATE, COURSE, name="course")
    assert isinstance(r, CodeReport)
    with pytest.raises(AttributeError):
        r.entropy = 0.0
    d = r.to_dict()
    for key in ("entropy", "average_length", "kl", "unused_space", "wasted", "efficiency", "kraft_sum"):
        assert type(d[key]) is float
    assert type(d["is_complete"]) is bool and len(d["symbols"]) == 8
    text = str(r)
    assert "bits/symbol" in text and "0.9375" in text and "11101" in text
    assert "<table>" in r._repr_html_()


def test_compare_one_table_for_many_codes():
    t = pc.compare(CLIMATE, {"fixed": FIXED, "course": COURSE, "huffman": pc.huffman(CLIMATE)})
    assert isinstance(t, Comparison)
    assert t.names == ("fixed", "course", "huffman")
    assert [round(r.average_length, 2) for r in t] == [3.0, 2.42, 2.33]
    assert t["course"].kraft_sum == 0.9375
    with pytest.raises(pc.PrefixCodeError, match="nope"):
        t["nope"]
    d = t.to_dict()
    assert set(d["codes"]) == {"fixed", "course", "huffman"}
    assert "bits per symbol" in str(t) and "0.9375" in str(t)
    html = t._repr_html_()
    assert html.count("<tr>") == 4 and "course" in html


def test_table_shows_no_negative_zero():
    # ternary Huffman on (5, 2, 1, 1): c and d meet their ideal length up to rounding
    r = pc.analyze({"a": 5, "b": 2, "c": 1, "d": 1}, pc.huffman({"a": 5, "b": 2, "c": 1, "d": 1}, arity=3))
    assert "-0.0000" not in str(r) and "-0.0000" not in r._repr_html_()
    assert "-0.1300" in str(r)  # real negative shares keep their sign


def test_compare_names_the_bad_code():
    with pytest.raises(pc.PrefixCodeError, match=r"codes\['a'\].* must be a PrefixCode.*got 3"):
        pc.compare([1, 2], {"ok": ["0", "1"], "a": 3})

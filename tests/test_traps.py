"""The traps of issue 13, as a student types them: silently wrong answers, raw exceptions
from inside, and work that ran away. Each either gives the right answer or is refused at
once with a PrefixCodeError naming the argument."""

from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np
import pytest

import prefixcode as pc


def refused(func, *args, name: str, within: float = 2.0, **kwargs) -> str:
    """Call func; it must raise PrefixCodeError naming `name`, within `within` seconds."""
    start = time.perf_counter()
    with pytest.raises(pc.PrefixCodeError, match=rf"argument '{name}'") as info:
        func(*args, **kwargs)
    assert time.perf_counter() - start < within
    return str(info.value)


# -- silently wrong ---------------------------------------------------------------------
def test_huge_weights_do_not_overflow_the_normalization():
    assert pc.entropy([1e308, 1e308]) == 1.0                 # was 0.0: the sum overflowed
    assert pc.entropy([[1e308, 1e308, 1e308, 1e308], [1, 1, 1, 1]]).tolist() == [2.0, 2.0]
    assert pc.Distribution([0, 1], [1e308, 1e308]).probs.tolist() == [0.5, 0.5]
    assert pc.kl_divergence([1e308, 1e308], [1, 1]) == 0.0
    assert pc.shannon_fano_elias([1e308, 1e308]).length_array.tolist() == [2, 2]   # was max() of []
    assert pc.huffman([1e308, 1e308, 1e308]).length_array.tolist() == [1, 2, 2]


def test_a_masked_array_is_refused_or_honoured():
    masked = np.ma.array([0.5, 0.5, 3.0], mask=[False, False, True])
    message = refused(pc.entropy, masked, name="p")          # was -3.33 bits
    assert "p.filled(0)" in message and "p.compressed()" in message
    assert pc.entropy(masked.compressed()) == 1.0
    assert pc.entropy(np.ma.array([0.5, 0.5])) == 1.0          # nothing masked: its data


def test_normalize_false_needs_a_sub_probability():
    # was 0.415 bits, less than H(p) = 1
    message = refused(pc.cross_entropy, [0.5, 0.5], [0.75, 0.75], normalize=False, name="q")
    assert "at most 1" in message and "1.5" in message
    refused(pc.kl_divergence, [0.5, 0.5], {0: 1.0, 1: 0.5}, normalize=False, name="q")
    lengths = [2, 2, 3]
    average = pc.cross_entropy([0.5, 0.25, 0.25], [2.0**-n for n in lengths], normalize=False)
    assert average == pytest.approx(2.25)
    assert pc.cross_entropy([0.1] * 10, [0.1] * 10, normalize=False) == pytest.approx(math.log2(10))


def test_shannon_fano_elias_is_exact_for_exact_input():
    # p = 1/3 each: the middle symbol's midpoint is exactly 1/2, whose first 3 bits are 100;
    # from floats it came out 011 (1/3 in floating point is a little less than 1/3)
    for p in ([1, 1, 1], [Fraction(1, 3)] * 3, np.array([2, 2, 2]), {"a": 1, "b": 1, "c": 1}):
        assert list(pc.shannon_fano_elias(p).codewords.values()) == ["001", "100", "110"]
    # counts 8 5 1: F̄ = 4/14, 21/28, 27/28; lengths ceil(log2 1/p) + 1 = 2, 3, 5
    assert list(pc.shannon_fano_elias([8, 5, 1]).codewords.values()) == ["01", "110", "11110"]
    samples = pc.Distribution.from_samples("aaaaaaaabbbbbc")       # counts kept exact too
    assert list(pc.shannon_fano_elias(samples).codewords.values()) == ["01", "110", "11110"]


# -- raw exceptions from inside -------------------------------------------------------
def test_bad_axis_is_named():
    assert "from -2 to 1" in refused(pc.entropy, [[1, 2]], axis=5, name="axis")  # was AxisError
    refused(pc.entropy, [[1, 2]], axis=1.5, name="axis")
    refused(pc.kl_divergence, {"a": 1}, {"a": 1}, axis=2, name="axis")
    assert pc.entropy([[1, 1], [1, 1]], axis=None) == 2.0


def test_from_json_of_deeply_nested_text():
    deep = "[" * 100_000 + "]" * 100_000
    text = ('{"format": "prefixcode.code", "version": 1, "arity": 2, "symbols": [' + deep
            + '], "codewords": ["0"]}')
    with pytest.raises(pc.CodeError, match="argument 'text'"):      # was RecursionError
        pc.PrefixCode.from_json(text)


def test_integer_code_arguments_are_named():
    refused(pc.integer_code, "golomb", range(4), name="m")          # was TypeError
    refused(pc.integer_code, "elias_gamma", [1, 2], m=3, name="m")  # was TypeError
    refused(pc.integer_code, "golomb", None, m=2, name="values")    # was TypeError
    refused(pc.integer_code, "rice", [1.5], k=1, name="n")
    refused(pc.integer_code, lambda n: n, [1, 2], name="kind")       # not a codeword string
    assert pc.integer_code("rice", range(3), k=1) == pc.integer_code("golomb", range(3), m=2)


def test_unhashable_symbols_are_named():
    refused(pc.fixed_length, [[1], [2]], name="symbols_or_p")        # was TypeError
    refused(pc.Distribution, [[1], [2]], [1, 1], name="symbols")     # was TypeError


# -- nothing runs away: limits stated and refused at once --------------------------------
def test_runaway_requests_are_refused_at_once():
    assert "at most" in refused(pc.tunstall, [0.999, 0.001], 16, name="length")   # was > 20 s
    refused(pc.tunstall, [0.999, 0.001], 24, name="length")
    refused(pc.huffman, [1, 2], max_length=10**10, name="max_length")   # was arity**10**10
    refused(pc.PrefixCode.from_lengths, [10**9, 1], name="lengths")
    refused(pc.golomb, 10**10, 1, name="n")                          # a 10**10-digit codeword
    refused(pc.rice, 1, 10**10, name="k")
    refused(pc.elias_gamma, 2**40000, name="n")
    refused(pc.block_code, [1, 1], 10**10, name="n")
    refused(pc.fixed_length, 10**9, name="symbols_or_p")
    refused(pc.integer_code, "elias_gamma", range(1, 10**9), name="values")


def test_limits_that_do_not_bind_cost_nothing():
    p = [0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]
    start = time.perf_counter()
    assert pc.huffman(p, max_length=60_000) == pc.huffman(p)
    assert time.perf_counter() - start < 2
    assert len(pc.golomb(5000, 1)) == 5001
    assert pc.tunstall([0.999, 0.001], 8).length == 8
    assert math.isclose(pc.tunstall([0.5, 0.5], 12).bits_per_symbol, 1.0)

"""One validation layer: the scalar checkers, the byte-input check and the alignment rule
are each one function in prefixcode.distribution / prefixcode.code, and every public
function goes through them (one message template, the argument named)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import prefixcode as pc
from prefixcode import experiments
from prefixcode.analysis import gallager_bound
from prefixcode.distribution import (
    check_arity,
    check_bytes,
    check_int,
    check_max_length,
    check_positive_int,
    check_real,
    check_threads,
)

P = [0.5, 0.3, 0.2]


@pytest.mark.parametrize(("call", "name", "requirement"), [
    (lambda: pc.huffman(P, arity=1), "arity", "an integer from 2 to 36"),
    (lambda: pc.huffman(P, arity=2.0), "arity", "an integer from 2 to 36"),
    (lambda: pc.fixed_length(P, arity=37), "arity", "an integer from 2 to 36"),
    (lambda: pc.PrefixCode.from_lengths([1, 1], arity=True), "arity", "an integer from 2 to 36"),
    (lambda: pc.huffman(P, max_length=0), "max_length", "an integer from 1 to 65536 (or None)"),
    (lambda: pc.huffman(P, max_length=True), "max_length", "an integer from 1 to 65536 (or None)"),
    (lambda: pc.huffman(P, max_length=1), "max_length", "at least ceil(log_2 3) = 2 for 3 symbols"),
    (lambda: pc.block_code(P, 0), "n", "an integer from 1 to 22"),
    (lambda: pc.tunstall(P, 0), "length", "an integer from 1 to 18"),
    (lambda: pc.golomb(1, 0), "m", "an integer >= 1"),
    (lambda: pc.elias_delta(0), "n", "an integer >= 1"),
    (lambda: pc.rice(1, -1), "k", "an integer from 0 to 65536"),
    (lambda: experiments.extension_codes(k=0), "k", "an integer from 1 to 16"),
    (lambda: experiments.classification_loss(grid=0), "grid", "an integer from 1 to 1048576"),
    (lambda: gallager_bound(0), "p_max", "a finite number in (0, 1]"),
    (lambda: gallager_bound(float("nan")), "p_max", "a finite number in (0, 1]"),
    (lambda: pc.analyze_mismatch("ab", "ab", pseudocount=-1), "pseudocount", "a finite number >= 0"),
    (lambda: pc.entropy(P, base=1), "base", "a finite number > 1"),
])
def test_scalar_arguments_share_one_template(call, name, requirement):
    with pytest.raises(pc.PrefixCodeError) as info:
        call()
    assert str(info.value).startswith(f"argument {name!r} must be {requirement}, got ")


def test_the_scalar_checkers():
    assert check_int(np.int8(5), "n", 0, 9) == 5
    assert check_positive_int(1, "n") == 1
    assert check_arity(np.int64(3)) == 3
    assert check_max_length(None, 5, 2) is None
    assert check_max_length(10**4, 5, 2) == 5          # never binds: clamped to the alphabet
    assert check_threads(None) is None and check_threads(4) == 4
    assert check_real(0, "pseudocount", 0, math.inf) == 0.0
    for bad in (True, 1.0, "3", None, 0):
        with pytest.raises(pc.PrefixCodeError, match="argument 'threads' must be an integer from 1"):
            check_threads(bad) if bad is not None else check_threads(0)


@pytest.mark.parametrize("data", [
    b"abca", bytearray(b"abca"), memoryview(b"abca"), memoryview(b"aabbccaa")[::2],
    np.frombuffer(b"abca", dtype=np.uint8),
])
def test_one_byte_input_check(data):
    assert check_bytes(data).tolist() == [97, 98, 99, 97]
    if not isinstance(data, np.ndarray):            # a numeric array is weights, by the rule
        assert pc.entropy(data) == pytest.approx(1.5)
    assert pc.analyze_message(data).entropy == pytest.approx(1.5)
    assert int(pc.distribution.histogram(data)[97]) == 2


@pytest.mark.parametrize("data", ["abc", np.array([1, 2], dtype=np.int32), [97, 98], None])
def test_one_byte_input_check_refuses(data):
    with pytest.raises(pc.PrefixCodeError, match=r"argument 'data' must be (bytes|a bytes-like|a buffer of)"):
        check_bytes(data)


def test_one_alignment_rule_a_missing_symbol_costs_inf():
    code = pc.PrefixCode.from_codewords({"sun": "0", "rain": "1"})
    p = {"sun": 0.5, "rain": 0.25, "snow": 0.25}
    assert code.expected_length(p) == math.inf               # raised CodeError before
    report = pc.analyze(p, code)
    assert report.average_length == math.inf and report.wasted == math.inf
    assert [r.symbol for r in report.symbols] == ["sun", "rain", "snow"]
    assert code.expected_length({"sun": 1, "rain": 1, "snow": 0}) == 1.0   # zero weight: free
    assert pc.analyze({"sun": 1, "rain": 1, "snow": 0}, code).average_length == 1.0
    assert code.expected_length(["sun", "sun", "rain"]) == 1.0             # samples: by symbol
    with pytest.raises(pc.PrefixCodeError, match="one weight per code symbol"):
        code.expected_length([1, 1, 1])
    with pytest.raises(pc.PrefixCodeError, match="one weight per code symbol"):
        pc.analyze([1, 1, 1], code)


def test_trace_with_a_zero_weight_breaks_ties_like_huffman():
    from prefixcode.construct import _trace, huffman_lengths

    d = pc.Distribution(range(9), [0, 1, 11, 12, 12, 14, 26, 26, 47])
    assert _trace(d, 2, False)[1].tolist() == huffman_lengths(d).tolist()

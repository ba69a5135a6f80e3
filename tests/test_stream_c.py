"""The compiled arithmetic and rANS coders (_core/arith.c) against the Python ones.

stream.py's Python coders are the reference: ``code._run(list(message))`` is the Python
encoder, and ``decode`` with the C path switched off (``python_only``) the Python
decoder. The C path must write the same bits, decode the same symbols, and on damaged,
cut or lengthened streams end the same way: the same symbols, or a DecodeError with the
same message.
"""

from __future__ import annotations

from collections import Counter
from functools import partial

import numpy as np
import pytest
from bitarray import bitarray
from hypothesis import given
from hypothesis import strategies as st

import prefixcode as pc
import stream_helpers as helpers
from prefixcode import stream
from prefixcode._core import _ext
from prefixcode.errors import CodeError

CODERS = [pc.ArithmeticCode, pc.ANSCode]
C_PRECISIONS = {pc.ArithmeticCode: [8, 9, 12, 16, 31, 32, 40, 42], pc.ANSCode: [8, 9, 16, 32, 47, 62]}


@st.composite
def cases(draw, max_size=120):
    """(coder class, precision, weights with some zeros, a message of positive symbols)."""
    cls = draw(st.sampled_from(CODERS))
    precision = draw(st.sampled_from(C_PRECISIONS[cls]))
    size = draw(st.integers(1, 9))
    weights = draw(st.lists(st.integers(0, 10**6), min_size=size, max_size=size))
    if not any(weights):
        weights[draw(st.integers(0, size - 1))] = 1
    live = [i for i, w in enumerate(weights) if w]
    message = draw(st.lists(st.sampled_from(live), max_size=max_size))
    return cls, precision, weights, message


# the compiled path and the Python one, side by side (tests/stream_helpers.py)
python_decode = partial(helpers.python_decode, "_c_ready")
assert_same_decoding = partial(helpers.assert_same_decoding, "_c_ready")



@given(cases())
def test_c_writes_the_python_bits_and_reads_them_back(case):
    cls, precision, weights, message = case
    code = cls(weights, precision=precision)
    bits = code.encode(message)
    assert bits == code._run(list(message))
    assert code.decode(bits, len(message)) == message
    assert python_decode(code, bits, len(message)) == message


@pytest.mark.parametrize("cls", CODERS)
@pytest.mark.parametrize("precision", [8, 32])
def test_empty_and_one_symbol(cls, precision):
    for weights, message in [([1], []), ([1], [0] * 50), ([3, 0, 5], []), ([0, 7, 0], [1] * 9),
                             ([1, 1], [0]), ([1, 1], [1])]:
        code = cls(weights, precision=precision)
        bits = code.encode(message)
        assert bits == code._run(message)
        assert code.decode(bits, len(message)) == message
        assert_same_decoding(code, bits, len(message) + 1)
        assert_same_decoding(code, bits + bitarray("1"), len(message))


@pytest.mark.parametrize("cls", CODERS)
def test_every_message_form_takes_the_same_path(cls):
    text = "abracadabra, a cadaver"
    code = cls(Counter(text))
    assert code.encode(text) == code.encode(list(text)) == code._run(list(text))
    data = text.encode()
    code = cls(Counter(data))
    expected = code._run(list(data))
    for form in (data, bytearray(data), np.frombuffer(data, np.uint8), np.frombuffer(data, np.uint8)[::1],
                 np.array(list(data), np.int64).reshape(2, -1), np.array(list(data), np.int16), iter(data)):
        assert code.encode(form) == expected
    # any hashable symbols: tuples, mixed types
    symbols = [(1, 2), "x", 3.5, None]
    code = cls({s: w for s, w in zip(symbols, [5, 1, 2, 1])})
    message = [None, (1, 2), 3.5, "x", (1, 2)]
    bits = code.encode(message)
    assert bits == code._run(message)
    assert code.decode(bits, len(message)) == message


@pytest.mark.parametrize("cls", CODERS)
def test_errors_are_the_python_errors(cls):
    code = cls({"a": 2, "b": 1, "z": 0})

    def error(fn, message):
        with pytest.raises(CodeError) as info:
            fn(message)
        return str(info.value)

    for message in (["a", "q", "b", "q"], ["a", "z", "b", "z"], "abzaqb"):
        assert error(code.encode, message) == error(code._run, list(message))
    assert error(code.encode, ["a", ["unhashable"]]) == error(code._run, ["a", ["unhashable"]])
    code = cls({65: 1, 66: 1})
    for message in (b"ABCA", np.array([65, 66, 7, 65, 9]), np.array([65, 66, 7], np.uint8)):
        assert error(code.encode, message) == error(code._run, np.asarray(list(message)).tolist())


@pytest.mark.parametrize("cls", CODERS)
def test_precision_beyond_the_c_coder_takes_the_python_path(cls):
    code = cls({"a": 3, "b": 1}, precision=64 if cls is pc.ArithmeticCode else 63)
    message = list("aabababaaa")
    bits = code.encode(message)
    assert bits == code._run(message)
    assert code.decode(bits, len(message)) == message


@given(cases(max_size=60), st.data())
def test_damaged_streams_end_as_in_python(case, data):
    cls, precision, weights, message = case
    code = cls(weights, precision=precision)
    bits = code.encode(message)
    n = len(message)
    for stream_bits in helpers.damaged_variants(bits, data):
        for length in {n, max(n - 1, 0), n + 1, data.draw(st.integers(0, 3 * n + 3))}:
            assert_same_decoding(code, stream_bits, length)


@pytest.mark.parametrize("cls", CODERS)
def test_hostile_lengths_stay_bounded(cls):
    code = cls({"a": 1000, "b": 1})
    for bits in ("1" * 40, "", "10" * 30):  # n symbols out at most, then the checks
        result = helpers.outcome(code.decode, bitarray(bits), 10**6)
        assert result[0] == "error" or len(result[1]) == 10**6


def test_little_endian_bits():
    for cls in CODERS:
        code = cls({"a": 5, "b": 2, "c": 1})
        message = list("abcabcaabaa")
        bits = bitarray(code.encode(message), endian="little")
        assert code.decode(bits, len(message)) == message


def test_the_kernel_checks_its_model():
    freq = np.array([3, 5], np.uint32)
    cum = np.array([0, 3], np.uint32)
    live = np.array([0, 1], np.int32)
    idx = np.zeros(4, np.int32)
    with pytest.raises(ValueError):
        _ext.stream_encode(0, idx, freq, cum, live, 4, 8)  # 3 + 5 is not 16
    with pytest.raises(ValueError):
        _ext.stream_encode(0, idx, freq, cum, live, 16, 44)  # beyond the C precision
    with pytest.raises(ValueError):
        _ext.stream_decode(1, b"", 0, np.array([16], np.uint32), np.array([0], np.uint32),
                           np.array([0], np.int32), 4, 8, np.zeros(1, np.int32))  # no state


def test_corpus_slices(corpus):
    for path in corpus:
        data = path.read_bytes()
        model = Counter(data)
        for start in (0, len(data) // 2):
            piece = data[start:start + 1500]
            for cls in CODERS:
                code = cls(model)
                bits = code.encode(piece)
                assert bits == code._run(list(piece)), path.name
                assert bytes(code.decode(bits, len(piece))) == piece


def test_whole_files_round_trip(corpus):
    for path in corpus[:3]:
        data = path.read_bytes()
        for cls in CODERS:
            code = cls(Counter(data))
            assert bytes(code.decode(code.encode(data), len(data))) == data
    assert stream._C_MAX_PRECISION == {stream._C_ARITH: 42, stream._C_ANS: 62}

"""The compiled adaptive Huffman coder (_core/adaptive.c) against the Python one.

stream.py's Python coder is the reference: ``code._run(list(message), None)`` is the
Python encoder, and ``decode`` with the compiled path switched off (``python_only``) the
Python decoder. The C path must write the same bits for every message, with both update
rules (FGK, Vitter's Lambda), with and without an alphabet; decode the same symbols; and
on damaged, cut or lengthened streams end the same way: the same symbols, or a
DecodeError with the same message.
"""

from __future__ import annotations

from functools import partial
from unittest import mock

import numpy as np
import pytest
from bitarray import bitarray
from hypothesis import given, settings
from hypothesis import strategies as st

import prefixcode as pc
import stream_helpers as helpers
from prefixcode import stream
from prefixcode._core import _ext
from prefixcode.errors import CodeError, DecodeError

METHODS = ["vitter", "fgk"]
SIZES = [1, 2, 3, 5, 256, 1000]
# one-character strings of 1, 2, 3 and 4 UTF-8 bytes
CHARS = "az\n é\u00ff\u07ff\u0800€\ud7ff\ue000\uffff\U00010000𝄞\U0010ffff"


# the compiled path and the Python one, side by side (tests/stream_helpers.py)
python_decode = partial(helpers.python_decode, "_adaptive_c_ready")
assert_same_decoding = partial(helpers.assert_same_decoding, "_adaptive_c_ready")



no_alphabet_messages = st.one_of(
    st.text(alphabet="ab", max_size=80),
    st.text(alphabet=CHARS, max_size=120),
    st.text(max_size=40),  # any code point but surrogates
    st.binary(max_size=150),
    st.lists(st.one_of(st.integers(0, 255), st.sampled_from(CHARS)), max_size=100),
)


@st.composite
def alphabet_cases(draw, max_size=150):
    """(alphabet size, a message of indices drawn from a part of it)."""
    size = draw(st.sampled_from(SIZES))
    used = draw(st.integers(1, size))
    message = draw(st.lists(st.integers(0, used - 1), max_size=max_size))
    return size, message


@given(no_alphabet_messages, st.sampled_from(METHODS))
def test_c_writes_the_python_bits_without_an_alphabet(message, method):
    code = pc.AdaptiveHuffman(method=method)
    bits = code.encode(message)
    assert bits == code._run(list(message), None)
    assert code.decode(bits, len(message)) == list(message)
    assert code.decode(bits) == list(message)


@given(alphabet_cases(), st.sampled_from(METHODS))
def test_c_writes_the_python_bits_with_an_alphabet(case, method):
    size, message = case
    code = pc.AdaptiveHuffman(range(size), method=method)
    bits = code.encode(message)
    assert bits == code._run(message, None)
    assert code.decode(bits, len(message)) == message
    assert python_decode(code, bits, len(message)) == message
    # any hashable symbols: the same stream through the alphabet's dict
    symbols = [(i, "x") if i % 3 == 0 else str(i) if i % 3 == 1 else i for i in range(size)]
    other = pc.AdaptiveHuffman(symbols, method=method)
    mapped = [symbols[i] for i in message]
    assert other.encode(mapped) == bits
    assert other.decode(bits, len(message)) == mapped


@pytest.mark.parametrize("method", METHODS)
def test_every_message_form_takes_the_same_path(method):
    code = pc.AdaptiveHuffman(method=method)
    text = "abracadabra, é€𝄞 a cadavers"
    expected = code._run(list(text), None)
    assert code.encode(text) == code.encode(list(text)) == code.encode(iter(text)) == expected
    data = text.encode()
    expected = code._run(list(data), None)
    for form in (data, bytearray(data), np.frombuffer(data, np.uint8), list(data), tuple(data),
                 np.array(list(data), np.int64).reshape(3, -1), np.array(list(data), np.uint16), iter(data)):
        assert code.encode(form) == expected
    assert code.decode(expected, len(data)) == list(data)  # ints for bytes
    mixed = ["a", 97, "€", 255, "a", 97, 0]
    assert code.encode(mixed) == code._run(mixed, None)
    assert code.decode(code.encode(mixed)) == mixed
    # symbols that equal others are left to the Python path, which takes 1.0 as 1
    odd = [1, 1.0, True, np.int64(1), 2]
    assert code.encode(odd) == code._run(odd, None)
    # with an alphabet: str through code points, bytes and arrays through look-up tables
    code = pc.AdaptiveHuffman("abcdr", method=method)
    assert code.encode("abracadabra") == code._run(list("abracadabra"), None)
    code = pc.AdaptiveHuffman(b"abcdr", method=method)  # the ints 97, 98, ...
    for form in (b"abracadabra", np.frombuffer(b"abracadabra", np.uint8), list(b"abracadabra"),
                 np.array(list(b"abracadabra"), np.int32)):
        assert code.encode(form) == code._run(list(b"abracadabra"), None)


@pytest.mark.parametrize("method", METHODS)
def test_encoding_errors_are_the_python_errors(method):
    def error(fn, message):
        with pytest.raises(CodeError) as info:
            fn(message)
        return str(info.value)

    code = pc.AdaptiveHuffman(method=method)
    for message in (["a", 3.5], ["ab"], [256], [-1], "ab\ud800c", ["a", None], [b"a"],
                    np.array([5, 300, 7]), np.array([1, -1], np.int8), [True], ["a", ["x"]]):
        as_list = message.tolist() if isinstance(message, np.ndarray) else list(message)
        assert error(code.encode, message) == error(lambda m: code._run(m, None), as_list)
    code = pc.AdaptiveHuffman(["a", "b", 7], method=method)
    for message in ("abq", ["a", 8], b"ab", np.array([7, 7, 8]), ["a", ["unhashable"]], ["a", {}]):
        expected = list(message) if not isinstance(message, np.ndarray) else message.tolist()
        assert error(code.encode, message) == error(lambda m: code._run(m, None), expected)


@settings(max_examples=150)
@given(st.one_of(
    st.tuples(st.none(), no_alphabet_messages.filter(lambda m: len(m) < 60)),
    alphabet_cases(max_size=60),
), st.sampled_from(METHODS), st.data())
def test_damaged_streams_end_as_in_python(case, method, data):
    size, message = case
    code = pc.AdaptiveHuffman(None if size is None else range(size), method=method)
    bits = code.encode(message)
    n = len(message)
    for stream_bits in helpers.damaged_variants(bits, data):
        for length in {n, max(n - 1, 0), n + 1, data.draw(st.integers(0, 3 * n + 3)), None}:
            assert_same_decoding(code, stream_bits, length)


@pytest.mark.parametrize("method", METHODS)
def test_every_fixed_form_of_a_str_decodes_as_in_python(method):
    # '0' and a lead byte, then continuation bytes of every kind: Python's strict UTF-8
    # decoder decides (overlong forms, surrogates, beyond U+10FFFF, bad continuations)
    code = pc.AdaptiveHuffman(method=method)
    tails = [b"", b"\x80", b"\xbf\x80", b"\x9f\xbf\x80", b"\xa0\x80\x80", b"\x8f\xbf\xbf", b"\x90\x80\x80",
             b"\xc0\x80\x80", b"\x7f"]
    for lead in range(256):
        for tail in tails:
            bits = bitarray("0")
            bits.frombytes(bytes([lead]) + tail)
            for n in (1, None):
                assert_same_decoding(code, bits, n)
            assert_same_decoding(code, bits[:-3], 1)


@pytest.mark.parametrize("method", METHODS)
def test_a_symbol_sent_as_new_twice(method):
    code = pc.AdaptiveHuffman(method=method)
    bits = code.encode("ab")
    tree_after = code.trace("ab")[-1]
    nyt = next(prefix for prefix, _, symbol, _ in tree_after.nodes if symbol == "NYT")
    again = bits + bitarray(nyt) + bitarray("0") + bitarray("01100001")  # 'a' sent as new
    assert_same_decoding(code, again, 3)
    with pytest.raises(DecodeError, match="send 'a' as new, but it was seen before"):
        code.decode(again, 3)
    code = pc.AdaptiveHuffman(range(5), method=method)
    bits = code.encode([4, 0])
    nyt = next(p for p, _, s, _ in code.trace([4, 0])[-1].nodes if s == "NYT")
    again = bits + bitarray(nyt) + bitarray("11")  # index 4 (2**2 + 1: '11' is 3 + 1)
    assert_same_decoding(code, again, 3)
    with pytest.raises(DecodeError, match="send 4 as new"):
        code.decode(again, 3)


@pytest.mark.parametrize("method", METHODS)
def test_hostile_lengths_and_bits_stay_bounded(method):
    for code in (pc.AdaptiveHuffman(method=method), pc.AdaptiveHuffman(range(1), method=method),
                 pc.AdaptiveHuffman(range(2**20), method=method)):
        for bits in ("", "1" * 40, "10" * 30, "0" * 64):
            for n in (10**6, 10**18, 2**70):
                assert_same_decoding(code, bitarray(bits), n)
    # an alphabet of one symbol: 0 bits for the first, then one per symbol
    one = pc.AdaptiveHuffman(["x"], method=method)
    assert one.decode(bitarray("111"), 4) == ["x"] * 4
    assert one.decode(bitarray("111")) == ["x"] * 4
    assert_same_decoding(one, bitarray("111"), 5)
    assert one.decode(bitarray(), 1) == ["x"] and one.decode(bitarray()) == []


def test_little_endian_bits_and_strings():
    code = pc.AdaptiveHuffman()
    bits = code.encode("mississippi")
    assert code.decode(bitarray(bits, endian="little"), 11) == list("mississippi")
    assert code.decode(bits.to01(), 11) == list("mississippi")


def test_alphabets_beyond_the_c_coder_take_the_python_path():
    code = pc.AdaptiveHuffman(range(40), method="vitter")
    message = [3, 39, 3, 0, 17, 3]
    bits = code.encode(message)
    with mock.patch.object(stream, "_AH_MAX_ALPHABET", 32):
        assert not stream._adaptive_c_ready(code)
        with mock.patch.object(_ext, "adaptive_encode", side_effect=AssertionError("C path taken")), \
                mock.patch.object(_ext, "adaptive_decode", side_effect=AssertionError("C path taken")):
            assert code.encode(message) == bits
            assert code.decode(bits, len(message)) == message
        assert code.decode(bits, len(message)) == message


def test_the_bindings_check_their_arguments():
    keys = np.zeros(3, np.uint32)
    with pytest.raises(ValueError, match="alphabet size"):
        _ext.adaptive_encode(keys, 2**24 + 1, True)
    with pytest.raises(ValueError, match="alphabet size"):
        _ext.adaptive_encode(keys, -1, True)
    with pytest.raises(ValueError):
        _ext.adaptive_encode(b"abc", 0, True)  # not 4-byte items
    with pytest.raises(ValueError, match="fewer bytes than bits"):
        _ext.adaptive_decode(b"\x00", 9, 1, 0, True, np.zeros(2, np.uint32))
    # keys outside the alphabet come back as the position of the first
    assert _ext.adaptive_encode(np.array([0, 1, 5, 2], np.uint32), 3, True)[2] == 2
    assert _ext.adaptive_encode(np.array([0, 0xD800 + 256], np.uint32), 0, False)[2] == 1
    assert _ext.adaptive_encode(np.array([7, 256 + 0x110000], np.uint32), 0, False)[2] == 1
    # a decoder with too little room says so rather than write past it
    data, nbits, _ = _ext.adaptive_encode(np.array([1, 1, 1], np.uint32), 0, True)
    assert _ext.adaptive_decode(data, nbits, 3, 0, True, np.zeros(2, np.uint32))[:2] == (6, 2)


def test_corpus_slices(corpus):
    for path in corpus:
        data = path.read_bytes()
        for start in (0, len(data) // 2):
            piece = data[start:start + 1200]
            for method in METHODS:
                code = pc.AdaptiveHuffman(method=method)
                bits = code.encode(piece)
                assert bits == code._run(list(piece), None), (path.name, method)
                assert bytes(code.decode(bits, len(piece))) == piece
        text = data[:1200].decode("latin-1")  # code points up to 255: 1- and 2-byte UTF-8 forms
        code = pc.AdaptiveHuffman(method="vitter")
        bits = code.encode(text)
        assert bits == code._run(list(text), None), path.name
        assert "".join(code.decode(bits, len(text))) == text


def test_whole_files_round_trip(corpus):
    for path in corpus:
        data = path.read_bytes()
        for method in METHODS:
            code = pc.AdaptiveHuffman(method=method)
            bits = code.encode(data)
            assert bytes(code.decode(bits, len(data))) == data, (path.name, method)
            if path.name == "alice29.txt":  # bits the order-0 Huffman code would take, roughly
                assert len(bits) < 0.6 * 8 * len(data)

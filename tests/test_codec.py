"""encode / decode: bitarray as the reference, round trips, the fast paths, the errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from bitarray import bitarray
from bitarray.util import huffman_code
from hypothesis import given, settings
from hypothesis import strategies as st

import prefixcode as pc
from prefixcode.code import PrefixCode
from prefixcode.codec import decode, encode, iter_decode, iter_encode

ABC = PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"})
INCOMPLETE = PrefixCode.from_codewords({0: "0", 1: "10", 2: "110"})  # '111' leads nowhere
INCOMPLETE_STR = PrefixCode.from_codewords({"x": "0", "y": "10", "z": "110"})


def huffman_from_counts(counts: dict) -> PrefixCode:
    """A complete code from bitarray's own Huffman construction (an independent reference)."""
    if len(counts) == 1:
        return PrefixCode.from_codewords({next(iter(counts)): "0"})
    return PrefixCode.from_codewords({s: w.to01() for s, w in huffman_code(counts).items()})


def reference_encode(message, code: PrefixCode) -> bitarray:
    out = bitarray()
    out.encode(dict(code.bitarrays), list(message))
    return out


# --- hand-worked values -------------------------------------------------------------
def test_hand_worked_bits():
    assert encode("abcab", ABC) == bitarray("0" "10" "11" "0" "10")
    assert decode(bitarray("01011010"), ABC) == list("abcab")
    assert decode("01011010", ABC, into=str) == "abcab"
    code = PrefixCode.from_lengths([1, 2, 3, 3])  # 0, 10, 110, 111
    assert encode(bytes([0, 1, 2, 3, 3, 0]), code) == bitarray("0" "10" "110" "111" "111" "0")
    assert encode(np.array([3, 0], dtype=np.int16), code) == bitarray("1110")


def test_empty_message_and_empty_bits():
    assert encode("", ABC) == bitarray()
    assert encode(b"", PrefixCode.from_lengths([1, 1])) == bitarray()
    assert decode(bitarray(), ABC) == []
    assert decode(bitarray(), PrefixCode.from_lengths([1, 1]), into=bytes) == b""


def test_one_symbol_code_takes_one_bit_per_symbol():
    code = PrefixCode.from_codewords({7: "0"})
    assert encode([7, 7, 7], code) == bitarray("000")
    assert decode("000", code) == [7, 7, 7]
    with pytest.raises(pc.DecodeError, match=r"offsets 1\.\.1"):
        decode("01", code)


# --- bitarray as the reference; round trips -----------------------------------------
symbols = st.one_of(st.integers(-5, 300), st.text(max_size=2), st.tuples(st.booleans(), st.integers(0, 3)))


@given(st.lists(symbols, min_size=1, max_size=300))
def test_general_symbols_match_bitarray_and_round_trip(message):
    counts = {}
    for s in message:
        counts[s] = counts.get(s, 0) + 1
    code = huffman_from_counts(counts)
    bits = encode(message, code)
    assert bits == reference_encode(message, code)
    assert decode(bits, code) == message
    assert list(iter_decode(bits, code)) == message


@given(st.binary(min_size=1, max_size=2000))
def test_bytes_fast_path_matches_bitarray_and_returns_bytes(data):
    code = huffman_from_counts({b: data.count(b) for b in set(data)})
    bits = encode(data, code)
    assert bits == reference_encode(data, code)
    assert decode(bits, code, into=bytes) == data
    assert decode(bits, code, into=bytearray) == bytearray(data)
    assert encode(memoryview(data), code) == bits


@given(
    st.lists(st.integers(-1000, 1000), min_size=1, max_size=500),
    st.sampled_from([np.int16, np.int32, np.int64]),
)
def test_integer_array_fast_path_round_trips_with_its_dtype(values, dtype):
    arr = np.array(values, dtype=dtype)
    code = huffman_from_counts({int(v): values.count(v) for v in set(values)})
    bits = encode(arr, code)
    assert bits == reference_encode(values, code)
    out = decode(bits, code, into=dtype)
    assert out.dtype == dtype and np.array_equal(out, arr)
    assert decode(bits, code) == values
    small = decode(bits, code, into=np.ndarray)  # smallest integer type that holds them
    assert np.array_equal(small, arr) and small.dtype.itemsize <= 2


def test_codewords_longer_than_the_fast_path_take_the_general_path():
    # lengths 1, 2, ..., 69, 70, 70: a complete code with 70-bit codewords
    code = PrefixCode.from_lengths([*range(1, 71), 70])
    message = [0, 70, 69, 3, 70, 0]
    bits = encode(np.array(message), code)
    assert len(bits) == 1 + 70 + 70 + 4 + 70 + 1
    assert bits == reference_encode(message, code)
    assert decode(bits, code, into=np.int64).tolist() == message
    assert decode(bits, code) == message


def test_little_endian_bits_decode_the_same():
    code = huffman_from_counts({0: 5, 1: 3, 2: 1, 3: 1})
    bits = encode(bytes([0, 1, 2, 3, 0]), code)
    assert decode(bitarray(bits, endian="little"), code, into=bytes) == bytes([0, 1, 2, 3, 0])


def test_long_codes_in_the_table_decoder():
    # more than 12-bit codewords exercise the bit-by-bit part of the compiled decoder
    counts = {i: 2**i for i in range(20)}
    code = huffman_from_counts(counts)
    assert max(code.lengths.values()) == 19
    message = bytes(list(range(20)) * 3)
    bits = encode(message, code)
    assert bits == reference_encode(message, code)
    assert decode(bits, code, into=bytes) == message


# --- streaming ----------------------------------------------------------------------
@given(st.binary(min_size=1, max_size=400), st.integers(1, 50), st.lists(st.integers(0, 60), max_size=8))
def test_streaming_equals_whole(data, chunk, cuts):
    code = huffman_from_counts({b: data.count(b) for b in set(data)})
    whole = encode(data, code)
    pieces = list(iter_encode(data, code, chunk_size=chunk))
    assert sum(pieces, bitarray()) == whole
    assert sum(iter_encode(iter(data), code, chunk_size=chunk), bitarray()) == whole
    # decode from arbitrary cuts: codewords straddle the pieces
    bounds = sorted({0, len(whole), *(min(c * 7, len(whole)) for c in cuts)})
    split = [whole[a:b] for a, b in itertools.pairwise(bounds)]
    assert bytes(iter_decode(split, code)) == data


def test_streaming_errors_count_offsets_from_the_start_of_the_stream():
    pieces = [bitarray("0100"), bitarray("10"), bitarray("1")]  # a b a a b | '1' left
    with pytest.raises(pc.DecodeError, match="offset 6"):
        list(iter_decode(pieces, ABC))
    got = []
    with pytest.raises(pc.DecodeError, match=r"offsets 3\.\.5"):
        got.extend(iter_decode([bitarray("010"), bitarray("111"), bitarray("0")], INCOMPLETE_STR))
    assert got == ["x", "y"]
    with pytest.raises(pc.CodeError, match="got 'q' at index 4"):
        list(iter_encode(iter("abcaq"), ABC, chunk_size=2))
    with pytest.raises(pc.CodeError, match="got 9 at index 5"):
        list(iter_encode(bytes([0, 1, 0, 1, 0, 9]), PrefixCode.from_lengths([1, 1]), chunk_size=4))


# --- errors -------------------------------------------------------------------------
def test_unknown_symbol_is_named_with_its_index():
    with pytest.raises(pc.CodeError, match=r"got 'x' at index 2"):
        encode("abxc", ABC)
    with pytest.raises(pc.PrefixCodeError, match=r"got \[1\] at index 1"):
        encode(["a", [1]], ABC)  # unhashable
    with pytest.raises(pc.CodeError, match="got 'q' at index 0"):
        encode(iter("q"), ABC)
    code = PrefixCode.from_lengths([1, 2, 2])
    with pytest.raises(pc.CodeError, match="got 200 at index 3"):
        encode(bytes([0, 1, 2, 200]), code)
    with pytest.raises(pc.CodeError, match="got -1 at index 0"):
        encode(np.array([-1, 0]), code)


@pytest.mark.parametrize("code", [INCOMPLETE, INCOMPLETE_STR], ids=["fast", "general"])
def test_decode_errors_name_the_bit_offset(code):
    with pytest.raises(pc.DecodeError, match=r"1 bit\(s\) left over at offset 3 \('1'\)"):
        decode("0101", code)
    with pytest.raises(pc.DecodeError, match=r"offset 2 \('11'\)"):
        decode("1011", code)
    with pytest.raises(pc.DecodeError, match=r"offsets 1\.\.3 lead to no codeword .*'111'"):
        decode("01110", code)
    with pytest.raises(pc.DecodeError, match=r"offsets 3\.\.5"):
        decode(bitarray("010111"), code)


@given(st.text(alphabet="01", max_size=40))
def test_fast_and_general_decoders_agree_on_any_bits(text):
    def run(code):
        try:
            return "ok", [("xyz".index(s) if isinstance(s, str) else s) for s in decode(text, code)]
        except pc.DecodeError as e:
            return "error", str(e)

    assert run(INCOMPLETE) == run(INCOMPLETE_STR)


def test_bad_arguments():
    with pytest.raises(pc.PrefixCodeError, match="argument 'code' must be a PrefixCode"):
        encode("ab", {"a": "0"})
    with pytest.raises(pc.CodeError, match="binary"):
        encode("ab", PrefixCode.from_lengths({"a": 1, "b": 1, "c": 1}, arity=3))
    with pytest.raises(pc.PrefixCodeError, match="argument 'bits'"):
        decode(b"\x01", ABC)
    with pytest.raises(pc.PrefixCodeError, match="argument 'bits'"):
        decode("012", ABC)
    with pytest.raises(pc.PrefixCodeError, match="argument 'into'"):
        decode("0", ABC, into=bytes)
    with pytest.raises(pc.PrefixCodeError, match="argument 'into'"):
        decode("0", INCOMPLETE, into=str)
    with pytest.raises(pc.PrefixCodeError, match="argument 'into'"):
        decode("0", INCOMPLETE, into=None)
    with pytest.raises(pc.PrefixCodeError, match="argument 'chunk_size'"):
        list(iter_encode("ab", ABC, chunk_size=0))


# --- the C kernels against the plain references ----------------------------------------
def test_kernels_match_the_references():
    code = huffman_from_counts({i: (i * 7) % 11 + 1 for i in range(40)})
    msg = np.array([i % 40 for i in range(0, 3000, 7)], dtype=np.int64)
    bits = encode(msg, code)
    assert bits == reference_encode(msg.tolist(), code)
    assert decode(bits, code, into=np.ndarray).tolist() == msg.tolist()
    assert decode(bits, code) == msg.tolist()


def test_large_alphabet_round_trips():
    code = PrefixCode.from_lengths({i - 1000: 17 for i in range(70_000)})  # incomplete, 17-bit codes
    message = np.arange(-1000, 69_000, 13, dtype=np.int32)
    bits = encode(message, code)
    assert len(bits) == 17 * len(message)
    assert bits[:17] == bitarray("0" * 17) and bits[17:34] == bitarray(format(13, "017b"))
    out = decode(bits, code, into=np.ndarray)
    assert out.dtype == np.int32 and np.array_equal(out, message)


@pytest.mark.slow
@settings(max_examples=300)
@given(st.data())
def test_many_random_codes_round_trip_on_both_paths(data):
    n = data.draw(st.integers(1, 300))
    weights = data.draw(st.lists(st.integers(1, 10**6), min_size=n, max_size=n))
    code_int = huffman_from_counts(dict(enumerate(weights)))
    code_str = PrefixCode.from_codewords({f"s{i}": w for i, w in code_int.codewords.items()})
    message = data.draw(st.lists(st.integers(0, n - 1), max_size=5000))
    bits = encode(np.array(message, dtype=np.int64), code_int)
    assert bits == encode([f"s{i}" for i in message], code_str)
    assert decode(bits, code_int, into=np.int64).tolist() == message
    assert decode(bits, code_str) == [f"s{i}" for i in message]
    cut = data.draw(st.integers(0, len(bits)))
    assert list(iter_decode([bits[:cut], bits[cut:]], code_int)) == message


@pytest.mark.parametrize("codewords", [{0: "0", 1: "1"}, {-5: "0", 10**9: "1"}])
def test_integer_arrays_encode_alike_whole_and_in_pieces(codewords):
    # {0, 1} takes the compiled packer, {-5, 10**9} the general path: same bits, same errors
    code = pc.PrefixCode.from_codewords(codewords)
    a, b = code.symbols
    msg = np.array([a, b, b, a, b])
    whole = pc.encode(msg, code)
    assert whole.to01() == "01101"
    assert "".join(p.to01() for p in pc.iter_encode(msg, code, chunk_size=2)) == whole.to01()
    bad = np.array([a, a, 7])
    for run in (lambda m: pc.encode(m, code), lambda m: list(pc.iter_encode(m, code, chunk_size=2))):
        with pytest.raises(pc.CodeError, match="got 7 at index 2"):
            run(bad)

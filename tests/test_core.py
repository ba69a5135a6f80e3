"""The C kernels (prefixcode._core._ext) against plain references."""

from __future__ import annotations

import math
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prefixcode as pc
from prefixcode import container as C
from prefixcode._core import _ext
from prefixcode.construct import _tie_order

REPO = Path(__file__).resolve().parent.parent


def _kraft(lengths, bits: int = 11) -> int:  # (scaled by 2**bits)
    return int(sum(1 << (bits - int(x)) for x in lengths if x > 0))


def _lengths(counts, max_len: int = 11) -> np.ndarray:
    return np.frombuffer(_ext.code_lengths(list(counts), max_len), np.uint8).astype(np.int64)


def test_byte_histogram_matches_bincount():
    rng = np.random.default_rng(1)
    for n in (0, 1, 3, 4, 5, 7, 8, 9, 1001):
        data = rng.integers(0, 256, n, dtype=np.uint8)
        counts = np.zeros(256, np.int64)
        _ext.byte_histogram(data, counts)
        _ext.byte_histogram(data.tobytes(), counts)  # (it adds)
        assert np.array_equal(counts, 2 * np.bincount(data, minlength=256))


@given(st.binary(max_size=5000), st.integers(0, 2**32 - 1))
@settings(max_examples=150)
def test_crc32_is_zlibs_both_ways(data, start):
    assert _ext.crc32(data) == zlib.crc32(data)
    assert _ext.crc32(data, start) == zlib.crc32(data, start)
    assert _ext.crc32_portable(data, start) == zlib.crc32(data, start)


def test_crc32_of_long_and_unaligned_inputs():
    data = np.random.default_rng(2).integers(0, 256, 3 << 20, dtype=np.uint8).tobytes()
    for a, b in ((0, len(data)), (1, len(data)), (3, 1000), (7, 64), (5, 127), (11, 2_000_001)):
        assert _ext.crc32(memoryview(data)[a:b]) == zlib.crc32(data[a:b])


@given(st.binary(max_size=2000), st.binary(max_size=2000))
def test_crc32_of_a_concatenation_from_its_parts(a, b):
    assert _ext.crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def test_crc32_combine_over_long_lengths():
    # x^(8n) by squaring: a length of 2**40 zero bytes gives the CRC that continuing does
    a = b"prefix"
    zeros = bytes(1 << 20)
    crc = zlib.crc32(a)
    for _ in range(3):
        crc = zlib.crc32(zeros, crc)
    assert _ext.crc32_combine(zlib.crc32(a), zlib.crc32(bytes(3 << 20)), 3 << 20) == crc


# --- code lengths ----------------------------------------------------------------------
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=256))
@settings(max_examples=100)
def test_container_lengths_follow_the_one_tie_rule(counts):
    # below the limit, the container's lengths are construct.huffman's for the same counts
    lengths = _lengths(counts)
    hist = np.array(counts, dtype=np.int64)
    assert np.array_equal(lengths > 0, hist > 0)
    present = np.flatnonzero(hist)
    if len(present) == 0:
        return
    if len(present) == 1:
        assert lengths[present[0]] == 1
        return
    assert lengths.max() <= 11 and _kraft(lengths) == 1 << 11  # complete
    full = pc.construct.huffman_lengths(pc.Distribution(present.tolist(), hist[present]))
    if full.max() <= 11:
        assert lengths[present].tolist() == full.tolist()


def test_ties_favour_the_earlier_symbol():
    assert _lengths([1, 1, 1]).tolist() == [1, 2, 2]
    assert _lengths([5, 0, 5, 5]).tolist() == [1, 0, 2, 2]


@given(st.lists(st.integers(1, 10**6), min_size=2, max_size=256), st.integers(8, 11))
@settings(max_examples=100)
def test_length_limit_is_complete_and_close_to_optimal(counts, max_len):
    if len(counts) > 2**max_len:
        return
    fast = _lengths(counts, max_len)
    assert fast.max() <= max_len and _kraft(fast, max_len) == 1 << max_len
    order = _tie_order(np.array(counts, dtype=float))
    ws = np.array(counts, dtype=float)[order]
    best = np.empty(len(counts), np.int64)
    _ext.package_merge(np.ascontiguousarray(ws), max_len, 2, best)
    cost_best = int(np.dot(ws, best))
    cost_fast = int(np.dot(counts, fast))
    assert cost_best <= cost_fast <= cost_best * 1.05 + 16


def test_length_limit_cuts_long_codes():
    lengths = _lengths([2**i for i in range(30)])  # Huffman would need 29 bits
    assert lengths.max() == 11 and _kraft(lengths) == 1 << 11


def test_limiter_on_a_hand_worked_case():
    # weights 1, 1, 2, 4, 8: Huffman lengths 4, 4, 3, 2, 1. Cut to 3 bits by JPEG's rule:
    # the two 4s: one moves up to 3, the other joins the 2 (the longest length <= 2),
    # both at 3 -> counts: 3 bits x4, 1 bit x1 -> longest first to the lightest symbols
    assert _lengths([1, 1, 2, 4, 8], 4).tolist() == [4, 4, 3, 2, 1]
    assert _lengths([1, 1, 2, 4, 8], 3).tolist() == [3, 3, 3, 3, 1]


@given(st.lists(st.floats(0, 100), min_size=2, max_size=40).filter(lambda w: sum(w) > 0),
       st.sampled_from([2, 3, 4]), st.integers(0, 3))
def test_package_merge_without_a_binding_limit_is_huffman(w, arity, extra):
    ws = np.sort(np.asarray(w, dtype=float))
    huff = np.empty(len(ws), np.int64)
    _ext.huffman_lengths(ws, arity, False, huff)
    limit = int(huff.max()) + extra
    pm = np.empty(len(ws), np.int64)
    _ext.package_merge(ws, limit, arity, pm)
    assert math.isclose(float(np.dot(ws, pm)), float(np.dot(ws, huff)), rel_tol=1e-12, abs_tol=1e-9)
    assert pm.max() <= limit


def test_canonical_codes_are_deflates():
    # RFC 1951, 3.2.2: lengths (3, 3, 3, 3, 3, 2, 4, 4) give 010 011 100 101 110 00 1110 1111
    lengths = np.array([3, 3, 3, 3, 3, 2, 4, 4], dtype=np.int64)
    codes = np.empty(8, np.uint64)
    _ext.canonical_codes(lengths, codes)
    assert [format(int(c), f"0{int(n)}b") for c, n in zip(codes, lengths)] == [
        "010", "011", "100", "101", "110", "00", "1110", "1111"]


def test_decoding_table_of_a_small_code():
    # lengths a=1, b=2, c=2: codes 0, 10, 11; least significant bit first: a at even
    # indices, b (bits 1, 0 -> index 0b01) at 1 mod 4, c at 3 mod 4
    table = np.frombuffer(_ext.decoding_table(bytes([1, 2, 2]), 3), np.uint16)
    # each entry: length | symbol << 8
    assert [(int(e) >> 8, int(e) & 255) for e in table] == [
        (0, 1), (1, 2), (0, 1), (2, 2), (0, 1), (1, 2), (0, 1), (2, 2)]


@given(st.lists(st.integers(0, 11), min_size=256, max_size=256))
@settings(max_examples=200)
def test_length_tables_round_trip_or_are_refused(raw):
    table = _ext.encode_lengths(bytes(raw))
    assert 0 < len(table) <= C._format.MAX_TABLE
    back = _ext.decode_lengths(table)
    valid = sum(1 for x in raw if x) >= 2 and _kraft(raw) == 1 << 11
    assert isinstance(back, bytes) == valid
    if valid:
        assert list(back) == raw
    assert isinstance(_ext.decode_lengths(table + b"\x00"), int)  # exactly its bytes


def test_length_table_of_a_real_code_is_small():
    text = (REPO / "README.md").read_bytes()
    lengths = _lengths(np.bincount(np.frombuffer(text, np.uint8), minlength=256).tolist())
    table = _ext.encode_lengths(bytes(lengths.tolist()))
    assert len(table) <= 8 + 0.75 * int((lengths > 0).sum())  # under 6 bits per symbol
    assert len(_ext.encode_lengths(bytes([8] * 256))) <= 24


# --- block planning --------------------------------------------------------------------
def test_plan_log_hand_values():
    assert _ext.plan_log(1) == 0
    assert _ext.plan_log(2) == 1 << 32
    assert _ext.plan_log(4096) == 12 << 32
    assert _ext.plan_log(8192) == 13 << 32
    assert _ext.plan_log(1 << 20) == 20 << 32  # (through the interpolation)
    values = [_ext.plan_log(c) for c in range(1, 20000, 7)]
    assert values == sorted(values)
    for c in (3, 10, 1000, 8191, 8193, 12345, 999_999, 1 << 21):
        assert abs(_ext.plan_log(c) / 2**32 - math.log2(c)) < 3e-8  # (interpolated above 8192)


def _cuts(blob: bytes) -> list[int]:
    status = _ext.scan(blob, len(C._format.HEADER), 1)
    assert status[0] == _ext.OK
    return [out for _, out in status[4]]


def test_plan_follows_the_data():
    rng = np.random.default_rng(2)
    text = rng.choice(np.frombuffer(b"abcdefgh", np.uint8), 200_000)
    noise = rng.integers(0, 256, 200_000, dtype=np.uint8)
    data = np.concatenate([text, noise, text]).tobytes()
    cuts = np.array(_cuts(pc.compress(data)))
    assert cuts[0] == 0 and cuts[-1] == len(data) and np.all(np.diff(cuts) > 0)
    for change in (200_000, 400_000):  # a cut near each change of statistics
        assert np.min(np.abs(cuts - change)) <= 4096
    assert len(cuts) <= 7
    assert _cuts(pc.compress(text.tobytes())) == [0, len(text)]  # stationary: one block


# --- pc.encode / pc.decode kernels ------------------------------------------------------
@pytest.mark.parametrize("dtype", ["u1", "i1", "u2", "i2", "<u4", ">i4", "i8", "u8"])
def test_codec_kernels_take_every_integer_type(dtype):
    symbols = list(range(0, 100, 3))
    code = pc.huffman({s: (s % 7) + 1 for s in symbols})
    msg = np.array([symbols[i % len(symbols)] for i in range(0, 5000, 11)], dtype=dtype)
    bits = pc.encode(msg, code)
    ref = pc.encode([int(x) for x in msg], code)
    assert bits == ref
    assert np.array_equal(pc.decode(bits, code, into=np.ndarray), msg.astype(np.int64))

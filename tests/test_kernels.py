"""The coding kernels of _kernels.py against plain references, compiled and not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prefixcode import _kernels as K
from prefixcode import container as C

REPO = Path(__file__).resolve().parent.parent


def _kraft(lengths: np.ndarray, bits: int = 11) -> int:  # (scaled by 2**bits)
    return int(sum(1 << (bits - int(x)) for x in lengths if x > 0))


def test_byte_histogram_matches_bincount():
    rng = np.random.default_rng(1)
    for n in (0, 1, 3, 4, 5, 1001):
        data = rng.integers(0, 256, n, dtype=np.uint8)
        assert np.array_equal(K.byte_histogram(data), np.bincount(data, minlength=256))


@given(st.lists(st.integers(0, 10**6), min_size=256, max_size=256))
@settings(max_examples=60)
def test_limited_lengths_are_optimal_and_limited(counts):
    hist = np.array(counts, dtype=np.int64)
    present = int((hist > 0).sum())
    lengths = K.limited_lengths(hist, 11)
    assert np.array_equal(lengths > 0, hist > 0)
    if present == 0:
        return
    if present == 1:
        assert lengths.max() == 1
        return
    assert lengths.max() <= 11
    assert _kraft(lengths) == 1 << 11  # complete
    # optimal among codes limited to 11 bits: the same cost as package-merge itself
    w = np.sort(hist[hist > 0]).astype(np.float64)
    ref = K.package_merge_sorted(w, 11)
    assert int(np.dot(np.sort(hist[hist > 0]), ref)) == int(np.dot(hist, lengths))


@given(st.lists(st.integers(1, 10**6), min_size=2, max_size=256), st.integers(8, 11))
@settings(max_examples=100)
def test_fast_length_limit_is_complete_and_close_to_optimal(counts, max_len):
    hist = np.zeros(256, dtype=np.int64)
    hist[: len(counts)] = sorted(counts)[::-1]
    if len(counts) > 2**max_len:
        return
    fast = K.limited_lengths(hist, max_len, False)
    best = K.limited_lengths(hist, max_len, True)
    assert np.array_equal(fast > 0, hist > 0) and fast.max() <= max_len
    assert _kraft(fast, max_len) == 1 << max_len
    cost_fast, cost_best = int(np.dot(hist, fast)), int(np.dot(hist, best))
    assert cost_best <= cost_fast <= cost_best * 1.05 + 16


def test_limited_lengths_cut_long_codes():
    hist = np.zeros(256, dtype=np.int64)
    hist[:30] = [2**i for i in range(30)]  # Huffman would need 29 bits
    lengths = K.limited_lengths(hist, 11)
    assert lengths.max() == 11 and _kraft(lengths) == 1 << 11


def _reference_pack(data: bytes, lengths: np.ndarray) -> bytes:
    """The four streams by a plain reading of docs/format.md: canonical codes, LSB first."""
    codes = K.canonical_codes(lengths)
    n = len(data)
    out = bytearray()
    start = 0
    for k in range(4):
        cnt = n // 4 + (1 if k < n % 4 else 0)
        bits = []
        for s in data[start : start + cnt]:
            ln = int(lengths[s])
            bits += [(int(codes[s]) >> (ln - 1 - j)) & 1 for j in range(ln)]  # first bit first
        bits += [0] * (-len(bits) % 8)
        out += bytes(sum(bits[i + j] << j for j in range(8)) for i in range(0, len(bits), 8))
        start += cnt
    return bytes(out)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 19, 20, 21, 64, 1000, 4099])
def test_streams_match_the_reference_and_decode(n):
    rng = np.random.default_rng(n)
    data = rng.choice(np.arange(12, dtype=np.uint8), n, p=np.arange(1, 13) / 78)
    hist = np.bincount(np.append(data, np.arange(12, dtype=np.uint8)), minlength=256)
    lengths = K.limited_lengths(hist, 11)
    out = np.zeros(2 * n + 64, dtype=np.uint8)
    sizes = K.encode_streams(data, lengths, K.reversed_codes(lengths), out)
    packed = out[: int(sizes.sum())].tobytes()
    assert packed == _reference_pack(data.tobytes(), lengths)
    back = np.zeros(n, dtype=np.uint8)
    assert K.decode_streams(np.frombuffer(packed, np.uint8), sizes, lengths, 11, back)
    assert np.array_equal(back, data)
    if n >= 8:  # a stream one byte longer or shorter than declared is refused
        longer = np.append(np.frombuffer(packed, np.uint8), np.uint8(0))
        assert not K.decode_streams(longer, sizes + np.array([0, 0, 0, 1]), lengths, 11, back)
        assert not K.decode_streams(longer[:-2], sizes - np.array([0, 0, 0, 1]), lengths, 11, back)


@given(st.lists(st.integers(0, 11), min_size=256, max_size=256))
@settings(max_examples=200)
def test_length_tables_round_trip_or_are_refused(raw):
    lengths = np.array(raw, dtype=np.int64)
    buf = np.zeros(C.MAX_TABLE, dtype=np.uint8)
    end = K.encode_lengths(lengths, buf, 0)
    assert 0 < end <= C.MAX_TABLE
    back = np.zeros(256, dtype=np.int64)
    status = K.decode_lengths(buf[:end], 11, back)
    valid = int((lengths > 0).sum()) >= 2 and _kraft(lengths) == 1 << 11
    assert (status == 0) == valid
    if valid:
        assert np.array_equal(back, lengths)


def test_length_table_of_a_real_code_is_small():
    text = (REPO / "README.md").read_bytes()
    lengths = K.limited_lengths(np.bincount(np.frombuffer(text, np.uint8), minlength=256), 11)
    buf = np.zeros(C.MAX_TABLE, dtype=np.uint8)
    end = K.encode_lengths(lengths, buf, 0)
    assert end <= 8 + 0.75 * int((lengths > 0).sum())  # under 6 bits per symbol
    all8 = np.full(256, 8, dtype=np.int64)
    assert K.encode_lengths(all8, buf, 0) <= 24


def test_plan_blocks_follows_the_data():
    rng = np.random.default_rng(2)
    text = rng.choice(np.frombuffer(b"abcdefgh", np.uint8), 200_000)
    noise = rng.integers(0, 256, 200_000, dtype=np.uint8)
    data = np.concatenate([text, noise, text])
    ends, hists = K.plan_blocks(data, K.xlog2x_table(4096), 400.0)
    assert ends[-1] == data.shape[0] and np.all(np.diff(ends) > 0)
    assert np.array_equal(hists.sum(axis=0), np.bincount(data, minlength=256))
    # a cut near each change of statistics, and few cuts elsewhere
    for change in (200_000, 400_000):
        assert np.min(np.abs(ends - change)) <= 4096
    assert len(ends) <= 6
    # stationary data stays in one block
    ends, _ = K.plan_blocks(text, K.xlog2x_table(4096), 400.0)
    assert len(ends) == 1


_CHECK = r"""
import json, os, sys
import numpy as np
import prefixcode as pc
from prefixcode import _kernels as K
compiled = hasattr(K.encode_chunk, "signatures")
assert compiled == (os.environ["NUMBA_DISABLE_JIT"] == "0"), compiled
rng = np.random.default_rng(3)
inputs = [b"", b"q", b"abracadabra" * 40, rng.integers(0, 256, 3000, dtype=np.uint8).tobytes(),
          rng.geometric(0.2, 6000).clip(1, 255).astype(np.uint8).tobytes(), b"\x00" * 9000,
          # above K.SMALL: these run compiled when the JIT is on
          np.concatenate([rng.geometric(0.05, 50_000).clip(1, 255), rng.integers(0, 256, 20_000),
                          rng.integers(60, 70, 30_000)]).astype(np.uint8).tobytes()]
out = []
for data in inputs:
    blob = pc.compress(data)
    assert pc.decompress(blob) == data
    out.append(blob.hex())
if compiled:  # the large input did run the compiled kernels
    assert K.encode_chunk.signatures and K.decode_all.signatures
print(json.dumps(out))
"""


def test_python_and_compiled_kernels_agree():
    """The same kernels run as plain Python (NUMBA_DISABLE_JIT=1) give the same bytes."""
    results = []
    for jit_off in ("1", "0"):
        env = dict(os.environ, NUMBA_DISABLE_JIT=jit_off)
        proc = subprocess.run([sys.executable, "-c", _CHECK], env=env, capture_output=True, text=True,
                              timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr[-2000:]
        results.append(json.loads(proc.stdout))
    assert results[0] == results[1]

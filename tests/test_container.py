"""The container: round trips, streams and files, sizes, damaged input, golden bytes."""

from __future__ import annotations

import io
import os
import random
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prefixcode as pc
from prefixcode import container as C

DATA = Path(__file__).parent / "data"
GOLDEN_INPUT = b"abracadabra! " * 8 + bytes(range(16)) + b"\x00" * 40
GOLDEN_FILE = DATA / f"golden-v{C.VERSION}.pfx"


def _skewed(n: int, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    return rng.geometric(0.35, n).clip(1, 255).astype(np.uint8).tobytes()


def _mixed(n: int, seed: int = 2) -> bytes:
    """Text-like, random and constant stretches, so every block mode occurs."""
    rng = np.random.default_rng(seed)
    parts, size = [], 0
    while size < n:
        kind = rng.integers(3)
        m = int(rng.integers(1, 200_000))
        if kind == 0:
            part = rng.choice(np.frombuffer(b"etaoin shrdlu\n", np.uint8), m).tobytes()
        elif kind == 1:
            part = rng.integers(0, 256, m, dtype=np.uint8).tobytes()
        else:
            part = bytes([int(rng.integers(256))]) * m
        parts.append(part)
        size += m
    return b"".join(parts)[:n]


CASES = {
    "empty": b"",
    "one byte": b"\x07",
    "two bytes": b"ab",
    "all same": b"z" * 100_000,
    "random": np.random.default_rng(3).integers(0, 256, 70_000, dtype=np.uint8).tobytes(),
    "skewed": _skewed(150_000),
    "two symbols": bytes(np.random.default_rng(4).integers(0, 2, 9_999, dtype=np.uint8)),
    "all values": bytes(range(256)) * 30,
    "text": b"It was the best of times, it was the worst of times. " * 500,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_round_trip(name):
    data = CASES[name]
    blob = pc.compress(data)
    assert pc.decompress(blob) == data
    assert blob[:4] == C.MAGIC and blob[4] == C.VERSION


def test_small_sizes_round_trip():
    rng = np.random.default_rng(5)
    for n in range(0, 70):
        for alphabet in (1, 2, 3, 17):
            data = rng.integers(0, alphabet, n, dtype=np.uint8).tobytes()
            assert pc.decompress(pc.compress(data)) == data


def test_sizes_of_simple_inputs():
    overhead = len(C.MAGIC) + 2 + 1 + 12  # header, end marker, trailer
    assert len(pc.compress(b"")) == overhead
    assert len(pc.compress(b"z" * 100_000)) == overhead + 1 + 3 + 1  # one run block
    random_bytes = CASES["random"]
    assert len(pc.compress(random_bytes)) <= len(random_bytes) + overhead + 8  # stored raw
    # skewed data codes close to its order-0 bound
    data = CASES["skewed"]
    h = np.bincount(np.frombuffer(data, np.uint8), minlength=256)
    p = h[h > 0] / len(data)
    bound = -(p * np.log2(p)).sum() * len(data) / 8
    assert len(pc.compress(data)) <= bound * 1.015 + 1024


def test_large_mixed_input_threads_and_streams(tmp_path):
    data = _mixed(3 * C.MAX_BLOCK + 12345)
    one = pc.compress(data, threads=1)
    two = pc.compress(data, threads=2)
    assert one == two
    assert pc.decompress(one, threads=1) == data
    assert pc.decompress(one, threads=2) == data
    # the stream form gives the very same bytes, reading chunk by chunk
    out = io.BytesIO()
    seen = []
    assert pc.compress_stream(io.BytesIO(data), out, threads=2, progress=seen.append) == (len(data), len(one))
    assert out.getvalue() == one and sum(seen) == len(data)
    back = io.BytesIO()
    seen = []
    assert pc.decompress_stream(io.BytesIO(one), back, progress=seen.append) == (len(one), len(data))
    assert back.getvalue() == data and sum(seen) == len(one)
    # files
    src, packed, unpacked = tmp_path / "in", tmp_path / "in.pfx", tmp_path / "out"
    src.write_bytes(data)
    assert pc.compress_file(src, packed) == (len(data), len(one))
    assert pc.decompress_file(packed, unpacked) == (len(one), len(data))
    assert unpacked.read_bytes() == data
    # damage in the middle, found by the threads as by one
    bad = bytearray(one)
    bad[len(bad) // 2] ^= 0x10
    for threads in (1, 2):
        with pytest.raises(pc.FormatError):
            pc.decompress(bytes(bad), threads=threads)
        with pytest.raises(pc.FormatError):
            pc.decompress_stream(io.BytesIO(bytes(bad)), io.BytesIO(), threads=threads)


def test_stream_reads_short_chunks():
    """A pipe may return fewer bytes than asked for; the output must not change."""

    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes):
            self.data, self.pos = data, 0

        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            k = min(len(b), 1000, len(self.data) - self.pos)
            b[:k] = self.data[self.pos : self.pos + k]
            self.pos += k
            return k

    data = _mixed(C.MAX_BLOCK + 5000, seed=7)
    out = io.BytesIO()
    pc.compress_stream(Trickle(data), out)
    assert out.getvalue() == pc.compress(data)
    back = io.BytesIO()
    pc.decompress_stream(Trickle(out.getvalue()), back)
    assert back.getvalue() == data


def test_damaged_file_leaves_nothing_behind(tmp_path):
    blob = bytearray(pc.compress(b"hello world " * 1000))
    blob[-3] ^= 0xFF
    bad = tmp_path / "bad.pfx"
    bad.write_bytes(bytes(blob))
    with pytest.raises(pc.FormatError, match="CRC-32"):
        pc.decompress_file(bad, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.pfx"]


@given(st.binary(max_size=3000))
def test_round_trip_arbitrary_bytes(data):
    assert pc.decompress(pc.compress(data)) == data


@given(st.binary(max_size=3000))
@settings(max_examples=30)
def test_streams_agree_with_bytes(data):
    out = io.BytesIO()
    assert pc.compress_stream(io.BytesIO(data), out) == (len(data), len(out.getvalue()))
    assert out.getvalue() == pc.compress(data)
    back = io.BytesIO()
    pc.decompress_stream(io.BytesIO(out.getvalue()), back)
    assert back.getvalue() == data


def test_text_streams_are_refused():
    with pytest.raises(pc.PrefixCodeError, match="argument 'src' must be a binary stream"):
        pc.compress_stream(io.StringIO("text"), io.BytesIO())
    with pytest.raises(pc.PrefixCodeError, match="argument 'src' must be a binary stream"):
        pc.decompress_stream(io.StringIO("text"), io.BytesIO())


@given(st.lists(st.integers(0, 255), max_size=8), st.integers(0, 20_000), st.integers(0, 2**32 - 1))
@settings(max_examples=40)
def test_round_trip_small_alphabets(alphabet, n, seed):
    rng = np.random.default_rng(seed)
    choices = np.array(alphabet or [0], dtype=np.uint8)
    weights = rng.random(choices.shape[0]) ** 4 + 1e-3
    data = rng.choice(choices, n, p=weights / weights.sum()).tobytes()
    assert pc.decompress(pc.compress(data)) == data


@given(st.binary(max_size=2000), st.binary(max_size=2000))
def test_crc32_of_a_concatenation_from_its_parts(a, b):
    assert C._crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


@given(st.binary(max_size=5000), st.integers(0, 2**32 - 1), st.integers(0, 70_000))
@settings(max_examples=60)
def test_crc32_is_zlibs(data, start, n):
    # the container's CRC-32 (zlib-ng's when installed) gives zlib's values: on bytes,
    # continued from a previous value, and on numpy arrays past the short-input paths
    assert C._crc32(data) == zlib.crc32(data)
    assert C._crc32(data, start) == zlib.crc32(data, start)
    arr = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8)
    assert C._crc32(arr[1:]) == zlib.crc32(arr[1:].tobytes())


# ------------------------------------------------------------------------------------
# damaged input: FormatError or the exact original, never anything else
# ------------------------------------------------------------------------------------
def _outcome(blob: bytes, original: bytes) -> str:
    try:
        out = pc.decompress(blob)
    except pc.PrefixCodeError as e:
        assert isinstance(e, pc.FormatError), repr(e)
        return "error"
    assert out == original
    return "same"


def _small_container() -> tuple[bytes, bytes]:
    original = b"the quick brown fox jumps over the lazy dog " * 6 + b"\x00" * 30 + bytes(range(40))
    return original, pc.compress(original)


def test_every_truncation_fails():
    original, blob = _small_container()
    assert len(blob) > 100
    for k in range(len(blob)):
        assert _outcome(blob[:k], original) == "error", k


def test_trailing_bytes_and_junk_fail():
    original, blob = _small_container()
    for extra in (b"\x00", b"PFXC", blob):
        assert _outcome(blob + extra, original) == "error"
    rng = random.Random(8)
    for _ in range(300):
        junk = rng.randbytes(rng.randrange(0, 300))
        assert _outcome(junk, original) == "error"
        assert _outcome(C.MAGIC + bytes([C.VERSION, 0]) + junk, original) == "error"


def test_random_bit_flips_fail_or_give_the_original():
    original, blob = _small_container()
    rng = random.Random(9)
    for _ in range(3000):
        damaged = bytearray(blob)
        for _ in range(rng.choice((1, 1, 2, 5))):
            i = rng.randrange(len(damaged) * 8)
            damaged[i // 8] ^= 1 << (i % 8)
        assert _outcome(bytes(damaged), original) == "error"


def test_header_edits_fail():
    original, blob = _small_container()
    rng = random.Random(10)
    for i in range(min(len(blob), 40)):
        for value in {0, 1, 2, 3, 4, 0x7F, 0x80, 0xFF, rng.randrange(256)}:
            if value != blob[i]:
                damaged = blob[:i] + bytes([value]) + blob[i + 1 :]
                assert _outcome(damaged, original) == "error"
    with pytest.raises(pc.FormatError, match="unsupported container version 9"):
        pc.decompress(blob[:4] + b"\x09" + blob[5:])


def test_declared_sizes_are_checked_before_allocating():
    head = C.MAGIC + bytes([C.VERSION, 0])
    too_long = head + bytes([1]) + C._varint(C.MAX_BLOCK + 1)
    with pytest.raises(pc.FormatError, match="outside"):
        pc.decompress(too_long)
    # a raw block claiming 1 MiB with 3 bytes behind it
    with pytest.raises(pc.FormatError, match="truncated"):
        pc.decompress(head + bytes([1]) + C._varint(C.MAX_BLOCK) + b"abc")
    # a coded block whose streams would need more bytes than the container has
    _, blob = _small_container()
    assert blob[6] == 3
    with pytest.raises(pc.FormatError):
        pc.decompress(blob[:7] + C._varint(C.MAX_BLOCK) + blob[9:])
    # the trailer's length must match the blocks before it
    original = b"abcabcabd" * 50
    blob = pc.compress(original)
    n, crc = struct.unpack("<QI", blob[-12:])
    with pytest.raises(pc.FormatError, match="length mismatch"):
        pc.decompress(blob[:-12] + struct.pack("<QI", n + 1, crc))
    with pytest.raises(pc.FormatError, match="CRC-32 mismatch"):
        pc.decompress(blob[:-12] + struct.pack("<QI", n, crc ^ 1))


def test_run_blocks_cannot_make_decompress_allocate_beyond_the_stored_length():
    head = C.MAGIC + bytes([C.VERSION, 0])
    run = bytes([2]) + C._varint(C.MAX_BLOCK) + b"x"  # 6 bytes -> 1 MiB
    bomb = head + run * 2000 + bytes([0]) + struct.pack("<QI", 10, 0)
    with pytest.raises(pc.FormatError, match="length mismatch: stored 10 != 2097152000"):
        pc.decompress(bomb)


def test_many_bit_flips_on_a_larger_container():
    original = _mixed(300_000, seed=11)
    blob = pc.compress(original)
    rng = random.Random(12)
    for _ in range(3000):
        damaged = bytearray(blob)
        i = rng.randrange(len(damaged) * 8)
        damaged[i // 8] ^= 1 << (i % 8)
        assert _outcome(bytes(damaged), original) in ("error", "same")


# ------------------------------------------------------------------------------------
# bad arguments
# ------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["text", 12, [1, 2], None])
def test_bad_data_is_rejected(bad):
    with pytest.raises(pc.PrefixCodeError, match="argument 'data'"):
        pc.compress(bad)
    with pytest.raises(pc.PrefixCodeError, match="argument 'blob'"):
        pc.decompress(bad)


@pytest.mark.parametrize("threads", [0, -1, 1.5, "2", True])
def test_bad_threads_are_rejected(threads):
    with pytest.raises(pc.PrefixCodeError, match="argument 'threads'"):
        pc.compress(b"abc", threads=threads)


def test_other_buffers_are_accepted():
    data = b"memoryview and bytearray " * 20
    blob = pc.compress(data)
    assert pc.compress(bytearray(data)) == blob
    assert pc.compress(memoryview(data)) == blob
    assert pc.compress(np.frombuffer(data, np.uint8)) == blob
    assert pc.decompress(bytearray(blob)) == data
    assert pc.decompress(memoryview(blob)) == data


# ------------------------------------------------------------------------------------
# golden bytes: a format change must be deliberate (and bump VERSION)
# ------------------------------------------------------------------------------------
def test_golden_bytes():
    blob = pc.compress(GOLDEN_INPUT)
    if os.environ.get("PREFIXCODE_WRITE_GOLDEN"):
        GOLDEN_FILE.write_bytes(blob)
    assert blob == GOLDEN_FILE.read_bytes(), "the container format changed: bump VERSION"
    assert pc.decompress(GOLDEN_FILE.read_bytes()) == GOLDEN_INPUT


def test_golden_header_fields():
    blob = GOLDEN_FILE.read_bytes()
    assert blob[:6] == b"PFXC\x01\x00"
    n, crc = struct.unpack("<QI", blob[-12:])
    assert (n, crc) == (len(GOLDEN_INPUT), zlib.crc32(GOLDEN_INPUT))
    assert blob[-13] == 0


# ------------------------------------------------------------------------------------
# the corpus: exact round trips, and the sizes promised in docs/format.md
# ------------------------------------------------------------------------------------
def _zlib_huffman_only(data: bytes) -> int:
    c = zlib.compressobj(9, zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY)
    return len(c.compress(data) + c.flush())


def test_corpus_round_trip_and_sizes(corpus):
    ours = theirs = 0
    for path in corpus:
        data = path.read_bytes()
        blob = pc.compress(data)
        assert pc.decompress(blob) == data, path.name
        h = np.bincount(np.frombuffer(data, np.uint8), minlength=256)
        p = h[h > 0] / len(data)
        bound = -(p * np.log2(p)).sum() * len(data) / 8
        assert len(blob) <= bound * 1.015 + 1024, path.name
        ours += len(blob)
        theirs += _zlib_huffman_only(data)
    assert ours <= theirs


# ------------------------------------------------------------------------------------
# results written in place
# ------------------------------------------------------------------------------------
def test_output_buffer_gives_exactly_the_bytes_written():
    for n, size in ((0, 0), (1, 1), (10, 4), (C._IN_PLACE, 7), (1 << 20, 12345), (1 << 20, 1 << 20),
                    (C._HUGE + 5, C._HUGE)):  # (advised huge pages)
        out = C._Output(n)
        out.view[:] = np.arange(n) % 251
        assert out.result(size) == (np.arange(size) % 251).astype(np.uint8).tobytes()


def test_output_buffer_outlived_by_a_view_stays_valid():
    # a view kept past result() (as a traceback's frames may keep one) still reads the
    # buffer it was made on, and the result is the bytes written, unaffected by it
    n = C._IN_PLACE + 100  # (smaller results are plain numpy buffers)
    out = C._Output(n)
    out.view[:] = 7
    kept = out.view[10:20]
    blob = out.result(n - 50)
    kept[:] = 9
    assert blob == b"\x07" * (n - 50) and bytes(kept) == b"\x09" * 10
    assert out.copied == (C._BYTES_API is not None)
    out = C._Output(n)
    out.view[:] = 3
    kept = out.view[:]
    out.discard()
    assert bytes(kept) == b"\x03" * n


def test_compress_and_decompress_fail_cleanly_midway(monkeypatch):
    # a failure inside a worker stops every worker and leaves nothing half-made behind
    data = bytes(range(256)) * (5 * C.MAX_BLOCK // 256 + 7)
    calls = []

    def failing(chunk, out):
        calls.append(chunk.shape[0])
        if len(calls) == 3:
            raise MemoryError("simulated")
        return real(chunk, out)

    real = C._encode_into
    monkeypatch.setattr(C, "_encode_into", failing)
    with pytest.raises(MemoryError, match="simulated"):
        pc.compress(data, threads=2)
    monkeypatch.setattr(C, "_encode_into", real)
    assert pc.decompress(pc.compress(data, threads=2), threads=2) == data


@pytest.mark.skipif(C._BYTES_API is None, reason="results are copied on this Python")
def test_results_are_not_copied(monkeypatch):
    # compress and decompress hand back the buffer they wrote, without a copy at the end
    made = []

    class Recorded(C._Output):
        def __init__(self, n, funcs=None):
            super().__init__(n, funcs)
            made.append(self)

    monkeypatch.setattr(C, "_Output", Recorded)
    data = np.random.default_rng(5).integers(0, 40, 3 * C.MAX_BLOCK + 99, dtype=np.uint8).tobytes()
    for threads in (1, 2):
        blob = pc.compress(data, threads=threads)
        assert pc.decompress(blob, threads=threads) == data
    assert len(made) == 4 and not any(out.copied for out in made)


def test_results_without_the_in_place_calls(monkeypatch):
    # where CPython's calls are missing, results are numpy buffers copied at the end
    monkeypatch.setattr(C, "_BYTES_API", None)
    data = np.random.default_rng(6).integers(0, 30, 2 * C.MAX_BLOCK + 5, dtype=np.uint8).tobytes()
    for threads in (1, 2):
        blob = pc.compress(data, threads=threads)
        assert isinstance(blob, bytes) and pc.decompress(blob, threads=threads) == data
    assert pc.compress(b"") == pc.compress(b"", threads=2) and pc.decompress(pc.compress(b"")) == b""

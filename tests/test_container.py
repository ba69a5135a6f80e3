"""The container: round trips, streams and files, sizes, damaged input, golden bytes."""

from __future__ import annotations

import io
import os
import random
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prefixcode as pc
from prefixcode import container as C
from prefixcode._core import _ext

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


def _decoded(blob) -> tuple[str, object]:
    try:
        return "ok", pc.decompress(blob)
    except pc.FormatError as e:
        return "error", str(e)


@given(st.binary(max_size=2000), st.integers(1, 9), st.data())
@settings(max_examples=60)
def test_the_fast_path_of_small_calls_agrees_with_the_general_one(data, level, draw):
    # bytes with the default threads take one C call; a bytearray takes the general way
    blob = pc.compress(data, level=level)
    assert blob == pc.compress(bytearray(data), level=level) == pc.compress(data, level=level, threads=2)
    damaged = bytearray(blob + draw.draw(st.sampled_from([b"", blob, b"PFXC", b"\x00"])))
    for _ in range(draw.draw(st.integers(0, 2))):
        damaged[draw.draw(st.integers(0, len(damaged) - 1))] ^= 1 << draw.draw(st.integers(0, 7))
    assert _decoded(bytes(damaged)) == _decoded(damaged)


@given(st.integers(2, 256), st.floats(0.5, 12.0), st.integers(8_192, 40_000), st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_round_trip_of_many_code_shapes(m, skew, n, seed):
    # blocks large enough for the two-symbol decoder, with codes of every shape: few or
    # all 256 byte values, flat to steep (lengths 1 to 11, pairs that fit in a peek or not)
    rng = np.random.default_rng(seed)
    values = rng.permutation(256)[:m].astype(np.uint8)
    weights = np.exp(-skew * np.sort(rng.random(m)))
    data = rng.choice(values, n, p=weights / weights.sum()).tobytes()
    blob = pc.compress(data)
    assert pc.decompress(blob) == data
    out = bytearray(n)
    assert pc.decompress_into(blob, out) == n and out == data


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
    for extra in (b"\x00", b"PFXC", b"\x00" * 100, blob[:-1], blob[:6]):
        assert _outcome(blob + extra, original) == "error"
    for extra in (b"\x00", b"PFXC", b"\x00" * 100):  # not a member: named by its offset
        with pytest.raises(pc.FormatError, match=f"offset {len(blob)}"):
            pc.decompress(blob + extra)
    rng = random.Random(8)
    for _ in range(300):
        junk = rng.randbytes(rng.randrange(0, 300))
        assert _outcome(junk, original) == "error"
        assert _outcome(C.MAGIC + bytes([C.VERSION, 0]) + junk, original) == "error"
        assert _outcome(blob + junk[:1] + junk, original) == "error"


def test_members_decode_to_the_concatenation(tmp_path):
    """A file is a series of members, as in gzip (RFC 1952)."""
    original, blob = _small_container()
    big = _mixed(2 * C.MAX_BLOCK + 999, seed=11)
    parts = [original, b"", big, b"x", original]
    joined = b"".join(pc.compress(p) for p in parts)
    want = b"".join(parts)
    assert pc.decompress(blob + blob) == original + original
    for threads in (1, 2):
        assert pc.decompress(joined, threads=threads) == want
        out = io.BytesIO()
        assert pc.decompress_stream(io.BytesIO(joined), out, threads=threads) == (len(joined), len(want))
        assert out.getvalue() == want
    buf = bytearray(len(want) + 1)
    assert pc.decompress_into(joined, buf) == len(want) and buf[:-1] == want
    with pytest.raises(pc.FormatError, match="exceeds the limit"):
        pc.decompress_into(joined, bytearray(len(want) - 1))
    assert pc.decompress(joined, max_size=len(want)) == want
    with pytest.raises(pc.FormatError, match=f"limit of {len(want) - 1} bytes"):
        pc.decompress(joined, max_size=len(want) - 1)
    with pytest.raises(pc.FormatError, match=f"limit of {len(want) - 1} bytes"):
        pc.decompress_stream(io.BytesIO(joined), io.BytesIO(), max_size=len(want) - 1)
    src = tmp_path / "two.pfx"
    src.write_bytes(joined)
    assert pc.decompress_file(src, tmp_path / "two") == (len(joined), len(want))
    assert (tmp_path / "two").read_bytes() == want
    with pytest.raises(pc.FormatError, match="limit"):
        pc.decompress_file(src, tmp_path / "three", max_size=100)
    assert not (tmp_path / "three").exists()
    # a damaged second member, junk after the last one: refused, naming the offset
    second = len(pc.compress(original))
    for bad, where in ((joined[:second] + b"PFXD" + joined[second + 4 :], second),
                       (joined + b"\x00\x00", len(joined))):
        with pytest.raises(pc.FormatError, match=f"offset {where}"):
            pc.decompress(bad)
        with pytest.raises(pc.FormatError, match=f"offset {where}"):
            pc.decompress_stream(io.BytesIO(bad), io.BytesIO())
        with pytest.raises(pc.FormatError, match=f"offset {where}"):
            pc.decompress_into(bad, bytearray(len(want) + 2))


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
    too_long = head + bytes([1]) + C._format.varint(C.MAX_BLOCK + 1)
    with pytest.raises(pc.FormatError, match="outside"):
        pc.decompress(too_long)
    # a raw block claiming 1 MiB with 3 bytes behind it
    with pytest.raises(pc.FormatError, match="truncated"):
        pc.decompress(head + bytes([1]) + C._format.varint(C.MAX_BLOCK) + b"abc")
    # a coded block whose streams would need more bytes than the container has
    _, blob = _small_container()
    assert blob[6] == 3
    with pytest.raises(pc.FormatError):
        pc.decompress(blob[:7] + C._format.varint(C.MAX_BLOCK) + blob[9:])
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
    run = bytes([2]) + C._format.varint(C.MAX_BLOCK) + b"x"  # 6 bytes -> 1 MiB
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
# results, limits, threads
# ------------------------------------------------------------------------------------
def test_result_objects_are_bounded_and_hand_over_once():
    r = _ext.Result(10)
    r.write(0, b"abc")
    r.write(7, b"xyz")
    with pytest.raises(ValueError):
        r.write(8, b"xyz")  # past the end
    with pytest.raises(ValueError):
        r.write(-1, b"a")
    r.write(3, b"defg")
    assert r.finish(10) == b"abcdefgxyz"
    with pytest.raises(ValueError):
        r.finish(1)  # handed over already
    assert _ext.Result(5).finish(0) == b""
    with pytest.raises(ValueError):
        _ext.Result(5).finish(6)


def test_max_size_is_refused_before_allocating():
    blob = pc.compress(b"abc" * 1000)
    assert pc.decompress(blob, max_size=3000) == b"abc" * 1000
    with pytest.raises(pc.FormatError, match="exceeds the limit of 2999 bytes"):
        pc.decompress(blob, max_size=2999)
    # a small container declaring 2 GiB of runs: refused at once, nothing allocated
    head = C.MAGIC + bytes([C.VERSION, 0])
    run = bytes([2]) + C._format.varint(C.MAX_BLOCK) + b"x"
    bomb = head + run * 2048 + struct.pack("<BQI", 0, 2048 * C.MAX_BLOCK, 0)
    with pytest.raises(pc.FormatError, match="exceeds the limit"):
        pc.decompress(bomb, max_size=1 << 20)
    for bad in (-1, 1.5, "10", True):
        with pytest.raises(pc.PrefixCodeError, match="argument 'max_size'"):
            pc.decompress(blob, max_size=bad)


def test_decompress_into_a_buffer():
    data = _mixed(300_000, seed=3)
    blob = pc.compress(data)
    out = bytearray(len(data) + 10)
    assert pc.decompress_into(blob, out) == len(data)
    assert out[: len(data)] == data and out[len(data) :] == bytes(10)
    arr = np.zeros(len(data), np.uint8)
    assert pc.decompress_into(blob, arr) == len(data) and arr.tobytes() == data
    with pytest.raises(pc.FormatError, match="exceeds the limit"):
        pc.decompress_into(blob, bytearray(len(data) - 1))
    with pytest.raises(pc.PrefixCodeError, match="argument 'out'"):
        pc.decompress_into(blob, bytes(len(data)))
    with pytest.raises(pc.FormatError):
        pc.decompress_into(blob[:-1], bytearray(len(data)))


def test_results_are_fresh_immutable_bytes():
    data = _mixed(3 * C.MAX_BLOCK, seed=4)
    for threads in (1, 2):
        blob = pc.compress(data, threads=threads)
        back = pc.decompress(blob, threads=threads)
        assert type(blob) is bytes and type(back) is bytes and back == data
        with pytest.raises(TypeError):
            memoryview(back)[0] = 1  # (read-only: nothing can change it afterwards)


class _FailingExt:
    """The extension, with encode_chunk failing on its third call."""

    def __init__(self):
        self.calls = 0

    def __getattr__(self, name):
        return getattr(_ext, name)

    def encode_chunk(self, *args):
        self.calls += 1
        if self.calls == 3:
            raise MemoryError("simulated")
        return _ext.encode_chunk(*args)


def test_compress_fails_cleanly_midway(monkeypatch):
    # a failure inside a worker stops the pipeline and reaches the caller
    data = bytes(range(256)) * (5 * C.MAX_BLOCK // 256 + 7)
    monkeypatch.setattr(C, "_ext", _FailingExt())
    with pytest.raises(MemoryError, match="simulated"):
        pc.compress(data, threads=2)
    monkeypatch.undo()
    assert pc.decompress(pc.compress(data, threads=2), threads=2) == data


def test_threaded_compress_never_deadlocks():
    # the case that hung before: 100 MiB (many chunks) on 2 threads, many times over
    code = "import prefixcode as pc\nd = bytes(100 << 20)\nfor _ in range(30): pc.compress(d, threads=2)\n"
    subprocess.run([sys.executable, "-c", code], timeout=240, check=True)


def test_ordered_pipeline_keeps_order_and_stops_on_failure():
    from prefixcode.container._threads import ordered

    assert list(ordered(lambda x: x * 2, range(100), threads=3)) == list(range(0, 200, 2))

    def boom(x):
        if x == 5:
            raise KeyError(x)
        return x

    seen = []
    with pytest.raises(KeyError):
        for y in ordered(boom, range(50), threads=2):
            seen.append(y)
    assert seen == [0, 1, 2, 3, 4]


def test_levels_trade_speed_for_size_in_one_format():
    data = _mixed(1_500_000, seed=5) + (Path(__file__).parent.parent / "README.md").read_bytes() * 20
    blobs = {level: pc.compress(data, level=level) for level in range(1, 10)}
    for level, blob in blobs.items():
        assert pc.decompress(blob) == data, level
        assert pc.compress(data, level=level, threads=2) == blob
        out = io.BytesIO()
        pc.compress_stream(io.BytesIO(data), out, level=level)
        assert out.getvalue() == blob
    assert blobs[6] == pc.compress(data)  # the default
    assert len(blobs[9]) <= len(blobs[6]) <= len(blobs[1])
    for bad in (0, 10, 2.0, "9", True):
        with pytest.raises(pc.PrefixCodeError, match="argument 'level'"):
            pc.compress(b"x", level=bad)


def test_a_buffer_changed_during_compress_never_breaks_memory():
    # the GIL is released while coding: another thread may write to a bytearray being
    # compressed. The result may then not decode, but every write stays in bounds (the
    # sanitizer build of CI runs this test too)
    import threading

    buf = bytearray(b"ab" * (3 * C.MAX_BLOCK))
    stop = threading.Event()

    def scribble():
        rng = random.Random(13)
        while not stop.is_set():
            i = rng.randrange(len(buf) - 4096)
            buf[i : i + 4096] = rng.randbytes(4096)

    t = threading.Thread(target=scribble)
    t.start()
    try:
        for _ in range(5):
            blob = pc.compress(buf, threads=2)
            try:
                pc.decompress(blob)
            except pc.FormatError:
                pass
            pc.encode(buf[:10000], pc.huffman(dict.fromkeys(range(256), 1)))
    finally:
        stop.set()
        t.join()


def test_text_streams_are_refused_as_outputs():
    blob = pc.compress(b"abc")
    for fn, src in ((pc.compress_stream, io.BytesIO(b"abc")), (pc.decompress_stream, io.BytesIO(blob))):
        with pytest.raises(pc.PrefixCodeError, match="argument 'dst' must be a binary stream"):
            fn(src, io.StringIO())

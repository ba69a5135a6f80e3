"""Compressor, Decompressor, PfxFile and open(): held against bz2, lzma and gzip."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import random
import subprocess
import sys
import tracemalloc
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prefixcode as pc
from prefixcode import container as C


def _text(n: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    words = [bytes(rng.choice(b"etaoinshrdlu") for _ in range(rng.randrange(1, 9))) for _ in range(300)]
    lines, size = [], 0
    while size < n:
        line = b" ".join(rng.choice(words) for _ in range(rng.randrange(0, 15))) + b"\n"
        lines.append(line)
        size += len(line)
    return b"".join(lines)[:n]


def _mixed(n: int, seed: int = 2) -> bytes:
    """Text, random bytes and runs, so raw, run and coded blocks all occur."""
    rng = random.Random(seed)
    parts, size = [], 0
    while size < n:
        kind, m = rng.randrange(3), rng.randrange(1, 300_000)
        if kind == 0:
            parts.append(_text(m, rng.randrange(99)))
        else:
            parts.append(rng.randbytes(m) if kind == 1 else bytes([rng.randrange(256)]) * m)
        size += m
    return b"".join(parts)[:n]


DATA = _mixed(2 * C.MAX_BLOCK + 12_345)
BLOB = pc.compress(DATA)
SMALL = _text(3000) + bytes(range(256)) + b"z" * 500
SMALL_BLOB = pc.compress(SMALL)

# the stdlib's decompressors, and ours, each with a compress function for the same data
KINDS = {
    "pfx": (pc.Decompressor, pc.compress),
    "bz2": (bz2.BZ2Decompressor, bz2.compress),
    "lzma": (lzma.LZMADecompressor, lzma.compress),
}


# ------------------------------------------------------------------------------------
# Compressor
# ------------------------------------------------------------------------------------
def test_compressor_gives_the_bytes_of_compress():
    rng = random.Random(3)
    for level in (1, 6, 9):
        c = pc.Compressor(level)
        out, i = [], 0
        while i < len(DATA):  # pieces of all sizes, some across chunk boundaries
            k = rng.choice((1, 7, 4096, 65_537, C.MAX_BLOCK - 3, C.MAX_BLOCK + 5))
            out.append(c.compress(DATA[i : i + k]))
            i += k
        out.append(c.flush())
        assert b"".join(out) == pc.compress(DATA, level=level)
    c = pc.Compressor()
    assert c.compress(DATA) + c.flush() == BLOB  # whole chunks straight from the input
    assert pc.Compressor().flush() == pc.compress(b"")
    c = pc.Compressor()
    assert c.compress(b"") == b"" and c.compress(memoryview(b"abc")) == b""
    assert c.flush() == pc.compress(b"abc")


def test_compressor_after_flush_and_bad_arguments():
    for cls in (pc.Compressor, bz2.BZ2Compressor, lzma.LZMACompressor):
        c = cls()
        c.flush()
        with pytest.raises(ValueError, match="flushed"):
            c.compress(b"x")
        with pytest.raises(ValueError):
            c.flush()
    for bad in (0, 10, 1.5, True, "6"):
        with pytest.raises(pc.PrefixCodeError, match="argument 'level'"):
            pc.Compressor(bad)
    with pytest.raises(pc.PrefixCodeError, match="argument 'data'"):
        pc.Compressor().compress("text")


# ------------------------------------------------------------------------------------
# Decompressor: the same call sequences as bz2's and lzma's
# ------------------------------------------------------------------------------------
def _drive(d, stream: bytes, feed: list[int], max_length: int) -> list[bytes]:
    """Feed `stream` in pieces of the sizes `feed` (cycled), asking for at most
    `max_length` bytes a call, until eof; check the protocol on every call."""
    outs, i, k = [], 0, 0
    while not d.eof:
        if d.needs_input:
            assert i < len(stream), "needs input at the end of a whole stream"
            piece = stream[i : i + feed[k % len(feed)]]
            i, k = i + len(piece), k + 1
        else:
            piece = b""
        out = d.decompress(piece, max_length)
        assert max_length < 0 or len(out) <= max_length
        if not d.eof:
            assert d.unused_data == b""
            if 0 <= max_length and len(out) < max_length:
                assert d.needs_input  # short of what was asked: all input is used
        outs.append(out)
    assert not d.needs_input
    return outs


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize(("feed", "max_length"), [
    ([len(SMALL) * 4], -1), ([1], -1), ([3, 1, 7, 300], 1), ([5000], 333), ([64, 999], 4096),
    ([len(SMALL) * 4], 1000), ([17], 100_000),
])
def test_decompressor_call_sequences_match_the_stdlib(kind, feed, max_length):
    factory, compress = KINDS[kind]
    tail = b"after the end"
    stream = compress(SMALL) + tail
    d = factory()
    assert (d.eof, d.needs_input, d.unused_data) == (False, True, b"")
    outs = _drive(d, stream, feed, max_length)
    assert b"".join(outs) == SMALL
    # what was fed after the end is unused_data (the rest was never fed)
    assert tail.startswith(d.unused_data)
    if feed[0] >= len(stream):
        assert d.unused_data == tail
    with pytest.raises(EOFError):
        d.decompress(b"x")
    with pytest.raises(EOFError):
        d.decompress(b"")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_unused_data_after_one_member(kind):
    factory, compress = KINDS[kind]
    for extra in (b"", b"\x00", b"junk" * 100, compress(b"next member")):
        d = factory()
        assert d.decompress(compress(SMALL) + extra) == SMALL
        assert d.eof and d.unused_data == extra and not d.needs_input


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_max_length_zero_and_held_back_output(kind):
    factory, compress = KINDS[kind]
    d = factory()
    assert d.decompress(compress(SMALL), max_length=0) == b""
    got = d.decompress(b"", max_length=10)
    assert got == SMALL[:10] and not d.needs_input
    rest = []
    while not d.eof:
        rest.append(d.decompress(b"", max_length=1000))
    assert got + b"".join(rest) == SMALL


def test_decompressor_on_a_large_member_in_odd_pieces():
    d = pc.Decompressor()
    outs = _drive(d, BLOB, [65_537, 1, 4095, 700_001], 100_003)
    assert b"".join(outs) == DATA and d.unused_data == b""


def test_decompressor_refuses_damage_early_and_keeps_refusing():
    d = pc.Decompressor()
    with pytest.raises(pc.FormatError, match="magic b'PK'"):
        d.decompress(b"PK")  # two bytes are enough to know
    with pytest.raises(pc.FormatError, match="magic"):
        d.decompress(SMALL_BLOB)
    d = pc.Decompressor()
    with pytest.raises(pc.FormatError, match="version 9"):
        d.decompress(C.MAGIC + b"\x09")
    bad = bytearray(SMALL_BLOB)
    bad[-1] ^= 1
    d = pc.Decompressor()
    with pytest.raises(pc.FormatError, match="CRC-32 mismatch"):
        d.decompress(bytes(bad))
    for bad_length in (-1.0, "1", None):
        with pytest.raises(pc.PrefixCodeError, match="argument 'max_length'"):
            pc.Decompressor().decompress(b"", bad_length)


def _decoders(blob: bytes) -> dict:
    """Every way to decode `blob`; each returns the data or raises."""

    def pieces() -> bytes:
        d, outs = pc.Decompressor(), []
        for i in range(0, len(blob), 97):
            outs.append(d.decompress(blob[i : i + 97], 500))
            while not d.needs_input and not d.eof:
                outs.append(d.decompress(b"", 500))
        if not d.eof or d.unused_data:
            raise pc.FormatError("not one whole member")
        return b"".join(outs)

    def stream() -> bytes:
        out = io.BytesIO()
        pc.decompress_stream(io.BytesIO(blob), out)
        return out.getvalue()

    def pfxfile() -> bytes:
        with pc.open(io.BytesIO(blob)) as f:
            return b"".join(iter(lambda: f.read(333), b""))

    def into() -> bytes:
        out = bytearray(len(SMALL) + 100)
        return bytes(out[: pc.decompress_into(blob, out)])

    return {"decompress": lambda: pc.decompress(blob), "threads": lambda: pc.decompress(blob, threads=2),
            "into": into, "Decompressor": pieces, "stream": stream, "open": pfxfile}


def test_damaged_input_through_every_path_is_a_format_error():
    rng = random.Random(11)
    cases = [SMALL_BLOB[:k] for k in range(0, len(SMALL_BLOB), 7)]
    for _ in range(150):
        bad = bytearray(SMALL_BLOB)
        for _ in range(rng.randrange(1, 4)):
            bad[rng.randrange(len(bad))] ^= 1 << rng.randrange(8)
        cases.append(bytes(bad))
    cases += [SMALL_BLOB + b"\x00", SMALL_BLOB + SMALL_BLOB[:10], b"", b"PFXC"]
    for blob in cases:
        for name, decode in _decoders(blob).items():
            try:
                out = decode()
            except pc.PrefixCodeError as e:
                assert isinstance(e, pc.FormatError), (name, repr(e))
            else:
                assert out == SMALL, name


# ------------------------------------------------------------------------------------
# open() and PfxFile against gzip.open and GzipFile
# ------------------------------------------------------------------------------------
def _both(tmp_path, data_or_writes, mode="wb", **kw):
    """The same writes through gzip.open and pc.open; the two paths."""
    paths = tmp_path / "x.gz", tmp_path / "x.pfx"
    for opener, path in zip((gzip.open, pc.open), paths):
        with opener(path, mode, **kw) as f:
            for piece in data_or_writes:
                f.write(piece)
    return paths


def test_reads_in_small_and_odd_pieces_like_gzip(tmp_path):
    gz, pfx = _both(tmp_path, [DATA[:1000], DATA[1000:]])
    rng = random.Random(5)
    with gzip.open(gz) as g, pc.open(pfx) as f:
        for _ in range(400):
            op = rng.randrange(6)
            n = rng.choice((0, 1, 2, 3, 17, 4096, 8191, 100_000, -1 if rng.random() < 0.02 else 5))
            if op == 0:
                assert f.read(n) == g.read(n)
            elif op == 1:  # (how much read1 gives depends on the buffers)
                got = f.read1(n)
                assert got == g.read(len(got))
                assert got or n == 0 or f.tell() == len(DATA)
            elif op == 2:
                assert f.readline(n) == g.readline(n)
            elif op == 3:
                a, b = bytearray(max(n, 0)), bytearray(max(n, 0))
                assert f.readinto(a) == g.readinto(b) and a == b
            elif op == 4:
                where = rng.randrange(len(DATA) + 10)
                assert f.seek(where) == g.seek(where)
            else:
                assert f.peek(1)[:1] == g.peek(1)[:1]
            assert f.tell() == g.tell()


def test_iteration_seek_rewind_and_tell(tmp_path):
    gz, pfx = _both(tmp_path, [DATA])
    with gzip.open(gz) as g, pc.open(pfx) as f:
        assert list(f) == list(g)
        assert f.tell() == len(DATA) and f.read() == b""
        for offset, whence in ((10, 0), (5, 1), (-7, 1), (-100, 2), (0, 2), (3, 0), (C.MAX_BLOCK + 1, 0)):
            assert f.seek(offset, whence) == g.seek(offset, whence)
            assert f.read(50) == g.read(50)
        assert f.seekable() and f.readable() and not f.writable()
        with pytest.raises(ValueError):
            f.seek(-1)
    with pc.open(pfx) as f:
        assert f.readlines() == io.BytesIO(DATA).readlines()


def test_file_objects_names_modes_and_closing(tmp_path):
    path = tmp_path / "a.pfx"
    with pc.open(str(path), "w") as f:
        assert (f.name, f.mode) == (str(path), "wb")
        assert (f.writable(), f.readable(), f.seekable()) == (True, False, True)
        assert f.write(b"abc") == 3 and f.write(bytearray(b"def")) == 3 and f.tell() == 6
        assert f.fileno() == f._fp.fileno()
        with pytest.raises(io.UnsupportedOperation):
            f.read()
        assert f.seek(8) == 8 and f.seek(1, 1) == 9 and f.write(b"!") == 1  # forward: zeros, as gzip
        with pytest.raises(OSError, match="negative seek"):
            f.seek(0)
        with pytest.raises(ValueError):
            f.seek(0, 2)
        f.flush()
    assert f.closed and path.read_bytes() == pc.compress(b"abcdef\0\0\0!")
    with pytest.raises(ValueError, match="closed file"):
        f.write(b"x")
    f.close()  # (twice is fine)
    with pc.open(os.fsencode(path), "rb") as f:
        assert f.name == os.fsencode(path) and f.mode == "rb" and f.read() == b"abcdef\0\0\0!"
        with pytest.raises(io.UnsupportedOperation):
            f.write(b"x")
    raw = io.BytesIO()
    with pc.open(raw, "wb", level=1) as f:
        f.write(SMALL)
    assert not raw.closed and raw.getvalue() == pc.compress(SMALL, level=1)
    raw.seek(0)
    with pc.PfxFile(raw) as f:
        assert f.name == "" and f.peek(5)[:5] == SMALL[:5] and f.read() == SMALL
    assert not raw.closed
    with pytest.raises(FileExistsError):
        pc.open(path, "x")
    g = gzip.GzipFile(fileobj=io.BytesIO(), mode="wb")  # (gzip's forward seeks when writing)
    g.seek(8)  # (its return value differs between Python versions; the position does not)
    assert g.seekable() and g.tell() == 8
    g.close()
    with pc.open(tmp_path / "new.pfx", "xb") as f:
        f.write(b"new")
    assert pc.decompress((tmp_path / "new.pfx").read_bytes()) == b"new"


def test_bad_arguments_are_refused(tmp_path):
    path = tmp_path / "a.pfx"
    path.write_bytes(SMALL_BLOB)
    for mode in ("rw", "rbt", "br", "", "U", 1):
        with pytest.raises(pc.PrefixCodeError, match="argument 'mode'"):
            pc.open(path, mode)
    for name in ("encoding", "errors", "newline"):
        with pytest.raises(pc.PrefixCodeError, match=f"argument '{name}' must be None in binary mode"):
            pc.open(path, "rb", **{name: "x"})
        with pytest.raises(ValueError):
            gzip.open(path, "rb", **{name: "x"})
    with pytest.raises(pc.PrefixCodeError, match="argument 'file'"):
        pc.open(3.5)
    with pytest.raises(pc.PrefixCodeError, match="argument 'file'"):
        pc.open(io.StringIO("text"))
    with pytest.raises(pc.PrefixCodeError, match="argument 'max_size'"):
        pc.open(tmp_path / "b.pfx", "wb", max_size=10)
    with pytest.raises(pc.PrefixCodeError, match="argument 'level'"):
        pc.open(tmp_path / "b.pfx", "wb", level=0)
    assert not (tmp_path / "b.pfx").exists()


@pytest.mark.parametrize(("encoding", "newline"), [
    ("utf-8", None), ("utf-16", None), ("latin-1", ""), ("utf-8", "\r\n"), ("utf-8", "\r"), ("cp1252", "\n"),
])
def test_text_modes_like_gzip(tmp_path, encoding, newline):
    text = "première ligne\nsecond\r\nthird\rfourth — end"
    if encoding == "latin-1":
        text = "caf\xe9\nna\xefve\r\n"
    text = text * 50
    kw = {"encoding": encoding, "newline": newline}
    gz, pfx = _both(tmp_path, [text[:7], text[7:]], "wt", **kw)
    assert pc.decompress(pfx.read_bytes()) == gzip.decompress(gz.read_bytes())
    with gzip.open(gz, "rt", **kw) as g, pc.open(pfx, "rt", **kw) as f:
        assert isinstance(f, io.TextIOWrapper) and isinstance(f.buffer, pc.PfxFile)
        assert f.readline() == g.readline()
        assert f.read(5) == g.read(5)
        assert list(f) == list(g)
    with gzip.open(gz, "at", **kw) as g, pc.open(pfx, "at", **kw) as f:
        g.write("appended\n")
        f.write("appended\n")
    with gzip.open(gz, "rt", **kw) as g, pc.open(pfx, "rt", **kw) as f:
        assert f.read() == g.read()
    with pc.open(pfx, "rt", encoding="ascii", errors="replace") as f:
        assert f.read() == gzip.open(gz, "rt", encoding="ascii", errors="replace").read()


def test_append_makes_members_read_as_the_concatenation(tmp_path):
    path = tmp_path / "log.pfx"
    lines = [b"first line\n", b"second li", b"ne\nthird\n", b"", b"last"]
    for i, piece in enumerate(lines):
        with pc.open(path, "ab" if i else "wb") as f:
            f.write(piece)
    blob = path.read_bytes()
    assert blob == b"".join(pc.compress(p) for p in lines)
    want = b"".join(lines)
    with pc.open(path) as f:  # readline across member boundaries, empty members
        assert list(f) == io.BytesIO(want).readlines()
        assert f.seek(3) == 3 and f.read(20) == want[3:23]
    with pc.open(path) as f:
        assert b"".join(iter(lambda: f.read(1), b"")) == want
    assert pc.decompress(blob) == want
    # the Decompressor takes one member; unused_data starts the next
    d, outs, rest = pc.Decompressor(), [], blob
    while rest:
        d = pc.Decompressor()
        outs.append(d.decompress(rest))
        rest = d.unused_data
    assert b"".join(outs) == want
    # junk after the members: an error naming its offset, after the data before it
    path.write_bytes(blob + b"\x00\x00\x00")
    with pc.open(path) as f:
        assert f.read(len(want)) == want
        with pytest.raises(pc.FormatError, match=f"offset {len(blob)}"):
            f.read()


def test_max_size_of_files(tmp_path):
    path = tmp_path / "a.pfx"
    path.write_bytes(SMALL_BLOB + SMALL_BLOB)
    with pc.open(path, max_size=2 * len(SMALL)) as f:
        assert f.read() == SMALL * 2
    limit = len(SMALL) + 5
    with pc.open(path, max_size=limit) as f, pytest.raises(pc.FormatError, match=f"limit of {limit} bytes"):
        f.read()
    with pc.open(path, "rt", encoding="latin-1", max_size=100) as f:
        with pytest.raises(pc.FormatError, match="limit"):
            list(f)
    for bad in (-1, 2.0, "1"):
        with pytest.raises(pc.PrefixCodeError, match="argument 'max_size'"):
            pc.open(path, max_size=bad)
    # a container that declares 2 GiB of runs in a few KB is stopped at the limit
    head = C.MAGIC + bytes([C.VERSION, 0])
    bomb = head + (bytes([2]) + C._format.varint(C.MAX_BLOCK) + b"x") * 2048 + b"\x00" * 13
    with pc.open(io.BytesIO(bomb), max_size=3 << 20) as f, pytest.raises(pc.FormatError, match="limit"):
        while f.read(1 << 20):
            pass
    with pytest.raises(pc.FormatError, match="limit"):
        pc.decompress_stream(io.BytesIO(bomb), io.BytesIO(), max_size=3 << 20)


# ------------------------------------------------------------------------------------
# bounded memory, imports, properties
# ------------------------------------------------------------------------------------
def test_memory_stays_bounded_on_a_large_stream():
    piece = _text(C.MAX_BLOCK + 333, seed=9)
    doubled = memoryview(piece * 2)
    total = 50 * 2**20
    c, d = pc.Compressor(), pc.Decompressor()
    crc_in = crc_out = n_out = 0
    tracemalloc.start()
    try:
        for i in range(0, total, 65_536):
            chunk = doubled[i % len(piece) :][:65_536]
            crc_in = zlib.crc32(chunk, crc_in)
            out = d.decompress(c.compress(chunk), 100_000)
            while not d.needs_input:
                out += d.decompress(b"", 100_000)
            crc_out, n_out = zlib.crc32(out, crc_out), n_out + len(out)
        out = d.decompress(c.flush())
        crc_out, n_out = zlib.crc32(out, crc_out), n_out + len(out)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert d.eof and crc_out == crc_in and n_out == total
    assert peak < 6 * 2**20, peak


def test_files_stream_in_bounded_memory(tmp_path):
    piece = _text(C.MAX_BLOCK + 777, seed=10)
    path = tmp_path / "big.pfx"
    tracemalloc.start()
    try:
        with pc.open(path, "wb") as f:
            for _ in range(12):
                f.write(piece)
        with pc.open(path) as f:
            n = sum(len(line) for line in f)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert n == 12 * len(piece)
    assert peak < 6 * 2**20, peak


def test_streams_import_no_numpy():
    code = ("import io, sys, prefixcode as pc\n"
            "b = io.BytesIO()\n"
            "with pc.open(b, 'wb') as f: f.write(b'abc' * 1000)\n"
            "d = pc.Decompressor(); assert d.decompress(b.getvalue()) == b'abc' * 1000\n"
            "assert pc.open(io.BytesIO(b.getvalue()), 'rt', encoding='ascii').read() == 'abc' * 1000\n"
            "print('numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@given(st.binary(max_size=5000), st.lists(st.integers(1, 2000), min_size=1, max_size=8),
       st.integers(-1, 3000), st.sampled_from([1, 6, 9]))
@settings(max_examples=80)
def test_round_trips_with_random_split_points(data, cuts, max_length, level):
    c = pc.Compressor(level)
    parts, i, k = [], 0, 0
    while i < len(data):
        parts.append(c.compress(data[i : i + cuts[k % len(cuts)]]))
        i, k = i + cuts[k % len(cuts)], k + 1
    blob = b"".join(parts) + c.flush()
    assert blob == pc.compress(data, level=level)
    d = pc.Decompressor()
    outs = _drive(d, blob + b"tail", cuts[::-1], max_length if max_length else 1)
    assert b"".join(outs) == data and b"tail".startswith(d.unused_data)
    with pc.open(io.BytesIO(blob + blob)) as f:
        got = []
        while chunk := f.read(cuts[0]):
            got.append(chunk)
    assert b"".join(got) == data + data

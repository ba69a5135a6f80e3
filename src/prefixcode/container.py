"""Compress and decompress bytes and files in prefixcode's own container format.

The format (docs/format.md has the byte-level description) is a header, a sequence of
independent blocks and a trailer::

    header   magic b"PFXC", version 1, flags 0
    block*   type 1 raw | type 2 run of one byte | type 3 coded with its own canonical code
    end      type 0, original length (u64 LE), CRC-32 of the original (u32 LE)

A coded block carries its code lengths (at most 11 bits, run-length coded with a small
meta code) and its bytes split into 4 quarters packed as 4 separate streams, so the
decoder can follow four independent bit streams at once. Block boundaries are chosen by
cost: a new code is started only where the bits it saves pay for its table. The length
and CRC sit in a trailer, as in gzip (RFC 1952), so a stream of unknown length can be
compressed in one pass.

Every malformed input raises :class:`~prefixcode.errors.FormatError`; sizes declared in
the input are checked against what the input can hold before anything is allocated.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import numpy as np

from . import _kernels as K
from .errors import FormatError, bad_argument

__all__ = [
    "MAGIC",
    "MAX_BLOCK",
    "MAX_CODE_LENGTH",
    "VERSION",
    "compress",
    "compress_file",
    "compress_stream",
    "decompress",
    "decompress_file",
    "decompress_stream",
]

MAGIC = b"PFXC"
VERSION = 1
MAX_BLOCK = 1 << 20  # largest block, in original bytes; also the unit of parallel work
MAX_CODE_LENGTH = 11  # decoding table of 2**11 entries
MAX_TABLE = 512  # a code-length table never needs more bytes than this

_HEADER = MAGIC + bytes([VERSION, 0])
_TRAILER = struct.Struct("<QI")  # original length, CRC-32
_END, _RAW, _RUN, _CODED = 0, 1, 2, 3

# Block planning: units of _UNIT bytes are merged while one code for both costs less
# than two codes; _TABLE_BITS is the estimated price of one more code (its table and
# block header), in bits.
_UNIT = 4096
_TABLE_BITS = 8 * 48.0
_PARALLEL_MIN = 2 * MAX_BLOCK  # below this, threads do not pay


# ------------------------------------------------------------------------------------
# small helpers
# ------------------------------------------------------------------------------------
def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _threads(threads: int | None, size: int | None) -> int:
    if threads is None:
        if size is not None and size < _PARALLEL_MIN:
            return 1
        return max(1, os.cpu_count() or 1)
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise bad_argument("threads", "None or a positive integer", threads)
    return threads


def _byte_array(data: object, name: str) -> np.ndarray:
    if isinstance(data, (bytes, bytearray, memoryview)):
        mv = memoryview(data)
        if mv.ndim > 1 or not mv.contiguous:
            raise bad_argument(name, "a contiguous bytes-like object", data)
        return np.frombuffer(mv.cast("B") if mv.format != "B" else mv, dtype=np.uint8)
    if isinstance(data, np.ndarray) and data.dtype == np.uint8 and data.ndim == 1:
        return np.ascontiguousarray(data)
    raise bad_argument(name, "bytes, bytearray or memoryview", data)


def _map(threads: int, pool: ThreadPoolExecutor | None, fn: Callable, items: list) -> list:
    if pool is None or len(items) < 2:
        return [fn(x) for x in items]
    return list(pool.map(fn, items))


# ------------------------------------------------------------------------------------
# encoding
# ------------------------------------------------------------------------------------
def _encode_block(data: np.ndarray, hist: np.ndarray) -> bytes:
    """One block of `data` (1..MAX_BLOCK bytes) with its histogram, cheapest mode."""
    n = data.shape[0]
    head = _varint(n)
    present = np.flatnonzero(hist)
    if present.shape[0] == 1:
        return bytes([_RUN]) + head + bytes([int(present[0])])
    lengths = K.limited_lengths(hist, MAX_CODE_LENGTH)
    payload_bits = int(np.dot(hist, lengths))
    # a coded block costs its table (>= 7 bytes) and at least the payload
    if payload_bits // 8 + 7 + 4 >= n:
        return bytes([_RAW]) + head + data.tobytes()
    buf = np.empty(MAX_TABLE + payload_bits // 8 + 8, dtype=np.uint8)
    tsize = K.encode_lengths(lengths, buf, 0)
    table = buf[:tsize].tobytes()
    sizes = K.encode_streams(data, lengths, K.reversed_codes(lengths), buf)
    streams = buf[: int(sizes.sum())]
    parts = [bytes([_CODED]), head, _varint(tsize), table, *(_varint(int(s)) for s in sizes)]
    size = sum(len(x) for x in parts) + streams.shape[0]
    if size >= 1 + len(head) + n:
        return bytes([_RAW]) + head + data.tobytes()
    parts.append(streams.tobytes())
    return b"".join(parts)


def _encode_chunk(data: np.ndarray) -> bytes:
    """The blocks of one chunk (at most MAX_BLOCK bytes), cut where a new code pays."""
    if data.shape[0] == 0:
        return b""
    ends, hists = K.plan_blocks(data, _UNIT, _TABLE_BITS)
    parts = []
    start = 0
    for j in range(ends.shape[0]):
        end = int(ends[j])
        parts.append(_encode_block(data[start:end], hists[j]))
        start = end
    return b"".join(parts)


def _compressed_chunks(
    chunks: Iterator[np.ndarray], threads: int, progress: Callable[[int], None] | None
) -> Iterator[tuple[np.ndarray, bytes]]:
    """Encode chunks in order, `threads` at a time; yields (chunk, its blocks)."""
    pool = ThreadPoolExecutor(threads) if threads > 1 else None
    try:
        batch: list[np.ndarray] = []
        for chunk in chunks:
            batch.append(chunk)
            if len(batch) >= 2 * threads:
                for c, enc in zip(batch, _map(threads, pool, _encode_chunk, batch)):
                    if progress is not None:
                        progress(c.shape[0])
                    yield c, enc
                batch = []
        for c, enc in zip(batch, _map(threads, pool, _encode_chunk, batch)):
            if progress is not None:
                progress(c.shape[0])
            yield c, enc
    finally:
        if pool is not None:
            pool.shutdown()


def compress(data: bytes | bytearray | memoryview, *, threads: int | None = None) -> bytes:
    """Compress `data` into a self-describing container.

    Parameters
    ----------
    data : bytes, bytearray or memoryview
        The bytes to compress (any content, any length).
    threads : int, optional
        Worker threads; default all cores for inputs of 2 MiB or more, else 1. The
        output does not depend on it.

    Returns
    -------
    bytes
        The container; :func:`decompress` gives `data` back exactly.

    Examples
    --------
    >>> import prefixcode as pc
    >>> blob = pc.compress(b"abracadabra" * 100)
    >>> len(blob) < 1100, pc.decompress(blob) == b"abracadabra" * 100
    (True, True)
    """
    arr = _byte_array(data, "data")
    nthreads = _threads(threads, arr.shape[0])
    n = arr.shape[0]
    chunks = (arr[i : i + MAX_BLOCK] for i in range(0, n, MAX_BLOCK))
    parts = [_HEADER]
    crc = 0
    for chunk, enc in _compressed_chunks(chunks, nthreads, None):
        crc = zlib.crc32(chunk, crc)
        parts.append(enc)
    parts.append(bytes([_END]) + _TRAILER.pack(n, crc))
    return b"".join(parts)


def _read_full(src: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end of the stream."""
    data = src.read(size)
    if data is None:
        data = b""
    if len(data) == size or not data:
        return bytes(data)
    parts = [data]
    got = len(data)
    while got < size:
        more = src.read(size - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def compress_stream(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    threads: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Compress the binary stream `src` into `dst`, one chunk of 1 MiB at a time.

    Memory stays bounded (a few chunks per thread) whatever the input's length; the
    output is the same bytes :func:`compress` gives for the whole input.

    Parameters
    ----------
    src, dst : binary file objects
        Read from `src` until its end; written to `dst` (not closed).
    threads : int, optional
        Worker threads (default all cores).
    progress : callable, optional
        Called with the number of input bytes just processed.

    Returns
    -------
    tuple of int
        (bytes read, bytes written).

    Examples
    --------
    >>> import io, prefixcode as pc
    >>> out = io.BytesIO()
    >>> pc.compress_stream(io.BytesIO(b"x" * 1000), out)
    (1000, 23)
    >>> pc.decompress(out.getvalue()) == b"x" * 1000
    True
    """
    nthreads = _threads(threads, None)

    def chunks() -> Iterator[np.ndarray]:
        while True:
            block = _read_full(src, MAX_BLOCK)
            if not block:
                return
            yield np.frombuffer(block, dtype=np.uint8)

    dst.write(_HEADER)
    written = len(_HEADER)
    total = 0
    crc = 0
    for chunk, enc in _compressed_chunks(chunks(), nthreads, progress):
        crc = zlib.crc32(chunk, crc)
        total += chunk.shape[0]
        dst.write(enc)
        written += len(enc)
    tail = bytes([_END]) + _TRAILER.pack(total, crc)
    dst.write(tail)
    return total, written + len(tail)


# ------------------------------------------------------------------------------------
# decoding
# ------------------------------------------------------------------------------------
class _Reader:
    """Exact reads from a byte source, FormatError at a premature end."""

    def __init__(self, src: BinaryIO | memoryview):
        self._mem = src if isinstance(src, memoryview) else None
        self._src = src
        self.pos = 0

    def read(self, size: int, what: str) -> memoryview | bytes:
        if self._mem is not None:
            data = self._mem[self.pos : self.pos + size]
        else:
            data = _read_full(self._src, size)  # type: ignore[arg-type]
        if len(data) != size:
            raise FormatError(
                f"truncated container: {what} needs {size} bytes at offset {self.pos}, "
                f"only {len(data)} left"
            )
        self.pos += size
        return data

    def byte(self, what: str) -> int:
        return self.read(1, what)[0]

    def varint(self, what: str) -> int:
        start = self.pos
        value = 0
        for shift in range(0, 28, 7):
            b = self.byte(what)
            value |= (b & 0x7F) << shift
            if b < 0x80:
                if b == 0 and shift > 0:
                    raise FormatError(f"non-canonical {what} at offset {start}")
                return value
        raise FormatError(f"{what} at offset {start} is too long")

    def at_end(self) -> bool:
        if self._mem is not None:
            return self.pos >= len(self._mem)
        return not self._src.read(1)  # type: ignore[union-attr]


# A parsed block: (kind, n, payload, lengths, sizes)
_Block = tuple


def _read_header(r: _Reader) -> None:
    head = r.read(len(_HEADER), "header")
    if bytes(head[:4]) != MAGIC:
        raise FormatError(f"not a prefixcode container: magic {bytes(head[:4])!r} != {MAGIC!r}")
    if head[4] != VERSION:
        raise FormatError(f"unsupported container version {head[4]} (this reads version {VERSION})")
    if head[5] != 0:
        raise FormatError(f"unknown container flags {head[5]:#04x}")


def _read_block(r: _Reader) -> _Block | None:
    """The next block, parsed and checked, or None at the end marker."""
    at = r.pos
    kind = r.byte("block type")
    if kind == _END:
        return None
    if kind not in (_RAW, _RUN, _CODED):
        raise FormatError(f"unknown block type {kind} at offset {at}")
    n = r.varint("block length")
    if not 0 < n <= MAX_BLOCK:
        raise FormatError(f"block length {n} at offset {at} is outside 1..{MAX_BLOCK}")
    if kind == _RAW:
        return (_RAW, n, r.read(n, "raw block"), None, None)
    if kind == _RUN:
        return (_RUN, n, r.byte("run byte"), None, None)
    tsize = r.varint("table size")
    if not 0 < tsize <= MAX_TABLE:
        raise FormatError(f"code table size {tsize} at offset {at} is outside 1..{MAX_TABLE}")
    table = np.frombuffer(r.read(tsize, "code table"), dtype=np.uint8)
    lengths = np.zeros(256, dtype=np.int64)
    status = K.decode_lengths(table, MAX_CODE_LENGTH, lengths)
    if status != 0:
        raise FormatError(f"invalid code table in block at offset {at} (reason {-status})")
    sizes = np.array([r.varint("stream size") for _ in range(4)], dtype=np.int64)
    total = int(sizes.sum())
    # a coded block is smaller than its raw form, and every byte costs at least one bit
    if total >= n or n > 8 * total:
        raise FormatError(f"stream sizes {sizes.tolist()} do not fit a block of {n} bytes at offset {at}")
    payload = r.read(total, "coded block")
    return (_CODED, n, payload, lengths, sizes)


def _decode_block(block: _Block) -> np.ndarray | bytes | memoryview:
    kind, n, payload, lengths, sizes = block
    if kind == _RAW:
        return payload
    if kind == _RUN:
        return np.full(n, payload, dtype=np.uint8)
    out = np.empty(n, dtype=np.uint8)
    src = np.frombuffer(payload, dtype=np.uint8)
    if not K.decode_streams(src, sizes, lengths, MAX_CODE_LENGTH, out):
        raise FormatError("corrupt coded block: a stream does not end where its size says")
    return out


def _decoded_blocks(
    r: _Reader, threads: int, progress: Callable[[int], None] | None
) -> Iterator[np.ndarray | bytes | memoryview]:
    """Decode the blocks after the header in order, `threads` batches at a time."""
    pool = ThreadPoolExecutor(threads) if threads > 1 else None
    try:
        while True:
            batch: list[_Block] = []
            volume = 0
            done = False
            mark = r.pos
            while volume < 2 * threads * MAX_BLOCK:
                block = _read_block(r)
                if block is None:
                    done = True
                    break
                batch.append(block)
                volume += block[1]
            yield from _map(threads, pool, _decode_block, batch)
            if progress is not None:
                progress(r.pos - mark)
            if done:
                return
    finally:
        if pool is not None:
            pool.shutdown()


def _check_trailer(r: _Reader, total: int, crc: int) -> None:
    length, stored = _TRAILER.unpack(r.read(_TRAILER.size, "trailer"))
    if length != total:
        raise FormatError(f"length mismatch: stored {length} != decoded {total}")
    if stored != crc:
        raise FormatError(f"CRC-32 mismatch: stored {stored:#010x} != computed {crc:#010x}")
    if not r.at_end():
        raise FormatError(f"trailing bytes after the container at offset {r.pos}")


def decompress(blob: bytes | bytearray | memoryview, *, threads: int | None = None) -> bytes:
    """The original bytes of the container `blob`.

    Parameters
    ----------
    blob : bytes, bytearray or memoryview
        Exactly one container, as made by :func:`compress` or :func:`compress_stream`.
    threads : int, optional
        Worker threads; default all cores for large inputs.

    Returns
    -------
    bytes

    Raises
    ------
    FormatError
        If `blob` is not an intact container: bad magic or version, truncated, a
        corrupt block, a length or CRC-32 mismatch, or trailing bytes.

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.decompress(pc.compress(b"hello, hello, hello"))
    b'hello, hello, hello'
    >>> pc.decompress(b"not a container")
    Traceback (most recent call last):
    ...
    prefixcode.errors.FormatError: not a prefixcode container: magic b'not ' != b'PFXC'
    """
    arr = _byte_array(blob, "blob")
    nthreads = _threads(threads, 8 * arr.shape[0])
    r = _Reader(memoryview(arr))
    _read_header(r)
    parts = []
    crc = 0
    total = 0
    for out in _decoded_blocks(r, nthreads, None):
        crc = zlib.crc32(out, crc)
        total += len(out)
        parts.append(out)
    _check_trailer(r, total, crc)
    return b"".join(parts)


def decompress_stream(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    threads: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Decompress the container read from `src` into `dst`, block by block.

    The length and CRC-32 in the trailer are checked at the end, after the data has
    been written: on a :class:`FormatError` the caller should discard `dst`.

    Parameters
    ----------
    src, dst : binary file objects
    threads : int, optional
        Worker threads (default all cores).
    progress : callable, optional
        Called with the number of container bytes just processed.

    Returns
    -------
    tuple of int
        (container bytes read, bytes written).

    Examples
    --------
    >>> import io, prefixcode as pc
    >>> out = io.BytesIO()
    >>> pc.decompress_stream(io.BytesIO(pc.compress(b"y" * 5000)), out)
    (23, 5000)
    >>> out.getvalue() == b"y" * 5000
    True
    """
    nthreads = _threads(threads, None)
    r = _Reader(src)
    _read_header(r)
    crc = 0
    total = 0
    for out in _decoded_blocks(r, nthreads, progress):
        crc = zlib.crc32(out, crc)
        total += len(out)
        dst.write(out)
    _check_trailer(r, total, crc)
    return r.pos, total


def _atomic(src_path: str | os.PathLike, dst_path: str | os.PathLike, fn: Callable, threads: int | None):
    dst = Path(dst_path)
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    try:
        with open(src_path, "rb") as fin, open(tmp, "wb") as fout:
            result = fn(io.BufferedReader(fin) if not isinstance(fin, io.BufferedReader) else fin,
                        fout, threads=threads)
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result


def compress_file(
    src_path: str | os.PathLike, dst_path: str | os.PathLike, *, threads: int | None = None
) -> tuple[int, int]:
    """Compress the file `src_path` into `dst_path` (written atomically); (bytes in, bytes out).

    Examples
    --------
    >>> import os, tempfile, prefixcode as pc
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "a"), "wb").write(b"ab" * 100)
    >>> pc.compress_file(os.path.join(d, "a"), os.path.join(d, "a.pfx"))
    (200, 64)
    """
    return _atomic(src_path, dst_path, compress_stream, threads)


def decompress_file(
    src_path: str | os.PathLike, dst_path: str | os.PathLike, *, threads: int | None = None
) -> tuple[int, int]:
    """Decompress the container file `src_path` into `dst_path` (atomically); (bytes in, bytes out).

    Nothing is left at `dst_path` when the container is damaged.

    Examples
    --------
    >>> import os, tempfile, prefixcode as pc
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "a.pfx"), "wb").write(pc.compress(b"ab" * 100))
    >>> pc.decompress_file(os.path.join(d, "a.pfx"), os.path.join(d, "a"))
    (64, 200)
    """
    return _atomic(src_path, dst_path, decompress_stream, threads)


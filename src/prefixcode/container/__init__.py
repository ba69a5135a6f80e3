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

import contextlib
import functools
import itertools
import os
import struct
import sys
import threading
import types
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .. import _kernels as K
from ..errors import FormatError, bad_argument

try:  # zlib-ng's CRC-32 folds with carry-less multiplication: ~13x zlib's speed on x86-64
    from zlib_ng.zlib_ng import crc32 as _crc32
except ImportError:  # pragma: no cover - without the dependency: the same values, slower
    from zlib import crc32 as _crc32

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
MAX_CODE_LENGTH = K.CODE_BITS  # 11: decoding tables of 2**11 entries
MAX_TABLE = 512  # a code-length table never needs more bytes than this

_HEADER = MAGIC + bytes([VERSION, 0])
_TRAILER = struct.Struct("<QI")  # original length, CRC-32
_END = K.BLOCK_END

# Block planning: units of _UNIT bytes are merged while one code for both costs less
# than two codes; _TABLE_BITS is the estimated price of one more code (its table and
# block header), in bits.
_UNIT = 4096
_TABLE_BITS = 8 * 48.0
_PARALLEL_MIN = 2 * MAX_BLOCK  # below this, threads do not pay
_BATCH = 4 * MAX_BLOCK  # decoded bytes per thread and batch
_READ_SIZE = 4 * MAX_BLOCK  # container bytes read from a stream at a time


# ------------------------------------------------------------------------------------
# small helpers
# ------------------------------------------------------------------------------------
def _varint(value: int) -> bytes:
    """LEB128, the block headers' integers (the kernels write them; kept for tests)."""
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


class _Pool:
    """A thread pool started on first real use (small inputs never pay for one)."""

    def __init__(self, threads: int):
        self.threads = threads
        self.pool: ThreadPoolExecutor | None = None

    def submit(self, fn: Callable, *args: object) -> Future:
        if self.pool is None:
            self.pool = ThreadPoolExecutor(self.threads)
        return self.pool.submit(fn, *args)

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown()


# CRC-32 of a concatenation from the CRCs of its parts, so that threads can each check
# their own part: crc(A + B) = crc(A) * x^(8 len(B)) + crc(B) modulo the CRC polynomial
# (the method of zlib's crc32_combine, by Mark Adler), in the reflected bit order of
# zlib.crc32, where bit 31 holds x^0.
_CRC_POLY = 0xEDB88320


def _multmodp(a: int, b: int) -> int:
    """a * b modulo the CRC-32 polynomial (reflected)."""
    m = 1 << 31
    p = 0
    while m:
        if a & m:
            p ^= b
        m >>= 1
        b = (b >> 1) ^ _CRC_POLY if b & 1 else b >> 1
    return p


_X2K = [1 << 30]  # x^(2^k) modulo the polynomial
for _ in range(63):
    _X2K.append(_multmodp(_X2K[-1], _X2K[-1]))


@functools.lru_cache(maxsize=256)
def _x8n(n: int) -> int:
    """x^(8n) modulo the polynomial."""
    p = 1 << 31
    k = 3
    while n:
        if n & 1:
            p = _multmodp(_X2K[k], p)
        n >>= 1
        k += 1
    return p


def _crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """_crc32(a + b) from crc1 = _crc32(a), crc2 = _crc32(b), len2 = len(b)."""
    if crc1 == 0:  # (x * 0 = 0: the common case of the first part, without the arithmetic)
        return crc2
    return _multmodp(_x8n(len2), crc1) ^ crc2


# ------------------------------------------------------------------------------------
# encoding
# ------------------------------------------------------------------------------------
def _chunk_bound(n: int) -> int:
    """Bytes encode_chunk may need for a chunk of `n` bytes (raw blocks and headers)."""
    return n + 8 * (n // _UNIT + 1) + 16


_scratch = threading.local()


def _encode_into(data: np.ndarray, out: np.ndarray) -> int:
    """Write the blocks of one chunk (at most MAX_BLOCK bytes) to `out`; their size.

    Each thread keeps its own work buffers: memory touched once stays mapped, which
    spares page faults on every chunk.
    """
    work = getattr(_scratch, "buffers", None)
    if work is None:
        clog = K.for_size("xlog2x_table", data.shape[0])(_UNIT)
        work = _scratch.buffers = (
            clog,
            np.empty(MAX_BLOCK * MAX_CODE_LENGTH // 8 + 64, dtype=np.uint8),
            np.empty((MAX_BLOCK // _UNIT + 1, 256), dtype=np.int64),
        )
    clog, scratch, hists = work
    encode_chunk = K.for_size("encode_chunk", data.shape[0])
    return encode_chunk(data, clog, _TABLE_BITS, MAX_CODE_LENGTH, MAX_TABLE, out, scratch, hists)


def _encode_chunk(data: np.ndarray) -> tuple[np.ndarray, int]:
    """The blocks of one chunk (at most MAX_BLOCK bytes), cut where a new code pays,
    and the chunk's CRC-32."""
    out = np.empty(_chunk_bound(data.shape[0]), dtype=np.uint8)
    size = _encode_into(data, out)
    return out[:size], _crc32(data)


def _compressed_chunks(
    chunks: Iterator[np.ndarray], threads: int, progress: Callable[[int], None] | None
) -> Iterator[tuple[np.ndarray, np.ndarray, int]]:
    """Encode chunks in order; yields (chunk, its blocks, its CRC-32).

    With threads, up to 2 chunks per thread are in flight, so the caller's writes
    overlap the encoding of the chunks after.
    """
    it = iter(chunks)
    head = [c for c in (next(it, None), next(it, None)) if c is not None]
    if threads < 2 or len(head) < 2:
        for c in itertools.chain(head, it):
            enc, crc = _encode_chunk(c)
            if progress is not None:
                progress(c.shape[0])
            yield c, enc, crc
        return
    with ThreadPoolExecutor(threads) as pool:
        pending: deque = deque()
        for c in itertools.chain(head, it):
            pending.append((c, pool.submit(_encode_chunk, c)))
            if len(pending) > 2 * threads:
                c0, fut = pending.popleft()
                enc, crc = fut.result()
                if progress is not None:
                    progress(c0.shape[0])
                yield c0, enc, crc
        while pending:
            c0, fut = pending.popleft()
            enc, crc = fut.result()
            if progress is not None:
                progress(c0.shape[0])
            yield c0, enc, crc


_spare_lock = threading.Lock()
_spare: list[np.ndarray] = []  # chunk buffers kept for the next parallel compress
_SPARE_MAX = 8


def _encode_parallel(arr: np.ndarray, dest: np.ndarray, pos: int, threads: int) -> tuple[int, int]:
    """Encode the chunks of `arr` on `threads` threads into ``dest[pos:]``; return the
    end position and the CRC-32 of `arr`.

    A worker encodes a chunk into a buffer of its own and goes on to the next chunk. A
    chunk's place in `dest` is known once every chunk before it is encoded: whichever
    worker completes that run places the chunks and copies them there, so no worker
    waits for another, and the workers, not one thread, make the first writes to the
    fresh pages of `dest`. At most ``2 * threads + 1`` chunks are encoded and not yet
    placed. A failure anywhere stops every worker before this returns.
    """
    n = arr.shape[0]
    starts = range(0, n, MAX_BLOCK)
    limit = 2 * threads + 1
    cond = threading.Condition()
    done: dict[int, tuple[np.ndarray, int]] = {}  # encoded, not placed yet
    state = {"next": 0, "pos": pos, "held": 0, "stop": False}
    crcs = [0] * len(starts)
    with _spare_lock:
        spare = [_spare.pop() for _ in range(min(len(_spare), limit))]

    def work(k: int) -> None:
        with cond:
            cond.wait_for(lambda: state["stop"] or state["held"] < limit)
            if state["stop"]:
                return
            state["held"] += 1
            buf = spare.pop() if spare else None
        try:
            if buf is None:
                buf = np.empty(_chunk_bound(MAX_BLOCK), dtype=np.uint8)
            chunk = arr[starts[k] : starts[k] + MAX_BLOCK]
            size = _encode_into(chunk, buf)
            crcs[k] = _crc32(chunk)
            with cond:
                done[k] = (buf, size)
                ready = []
                while state["next"] in done:
                    b, sz = done.pop(state["next"])
                    ready.append((state["pos"], b, sz))
                    state["pos"] += sz
                    state["next"] += 1
            for o, b, sz in ready:
                dest[o : o + sz] = b[:sz]
            with cond:
                spare.extend(b for _, b, _ in ready)
                state["held"] -= len(ready)
                cond.notify_all()
        except BaseException:
            with cond:
                state["stop"] = True
                cond.notify_all()
            raise

    try:
        with ThreadPoolExecutor(threads) as pool:
            jobs = [pool.submit(work, k) for k in range(len(starts))]
            try:
                for job in jobs:
                    job.result()
            except BaseException:
                with cond:
                    state["stop"] = True
                    cond.notify_all()
                pool.shutdown(cancel_futures=True)  # (and the with waits for running jobs)
                raise
    finally:
        with _spare_lock:
            _spare.extend(spare[: max(0, _SPARE_MAX - len(_spare))])
    crc = 0
    for k, i in enumerate(starts):
        crc = _crc32_combine(crc, crcs[k], min(MAX_BLOCK, n - i))
    return state["pos"], crc


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
    starts = range(0, n, MAX_BLOCK)
    # the result is written in place, in a buffer large enough for the worst case
    bound = len(_HEADER) + sum(_chunk_bound(min(MAX_BLOCK, n - i)) for i in starts) + 1 + _TRAILER.size
    out = _Output(bound)
    try:
        dest = out.view
        dest[: len(_HEADER)] = np.frombuffer(_HEADER, dtype=np.uint8)
        pos = len(_HEADER)
        if nthreads >= 2 and len(starts) >= 2:
            pos, crc = _encode_parallel(arr, dest, pos, nthreads)
        else:
            for i in starts:
                pos += _encode_into(arr[i : i + MAX_BLOCK], dest[pos:])
            crc = _crc32(arr)
        tail = bytes([_END]) + _TRAILER.pack(n, crc)
        dest[pos : pos + len(tail)] = np.frombuffer(tail, dtype=np.uint8)
        del dest  # (a view left alive would make result() copy)
        return out.result(pos + len(tail))
    except BaseException:
        out.discard()
        raise


def _read_full(src: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end of the stream."""
    data = src.read(size)
    if data is None:
        data = b""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise bad_argument("src", "a binary stream (opened with 'rb')", src)
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
    for chunk, enc, ccrc in _compressed_chunks(chunks(), nthreads, progress):
        crc = _crc32_combine(crc, ccrc, chunk.shape[0])
        total += chunk.shape[0]
        dst.write(memoryview(enc))
        written += enc.shape[0]
    tail = bytes([_END]) + _TRAILER.pack(total, crc)
    dst.write(tail)
    return total, written + len(tail)


# ------------------------------------------------------------------------------------
# decoding
# ------------------------------------------------------------------------------------
class _Window:
    """The container bytes being decoded: all of them, or a sliding window on a stream."""

    def __init__(self, data: np.ndarray | None = None, src: BinaryIO | None = None):
        self.src = src
        self.buf = data if data is not None else np.zeros(0, dtype=np.uint8)
        self.eof = src is None
        self.pos = 0  # index into buf
        self.base = 0  # stream offset of buf[0]

    @property
    def offset(self) -> int:
        return self.base + self.pos

    def more(self) -> bool:
        """Read more of the stream behind what is left; False at its end."""
        if self.eof:
            return False
        new = _read_full(self.src, _READ_SIZE)  # type: ignore[arg-type]
        if not new:
            self.eof = True
            return False
        rest = self.buf[self.pos :]
        self.buf = np.concatenate([rest, np.frombuffer(new, dtype=np.uint8)])
        self.base += self.pos
        self.pos = 0
        return True

    def ensure(self, size: int, what: str) -> np.ndarray:
        while self.buf.shape[0] - self.pos < size:
            if not self.more():
                left = self.buf.shape[0] - self.pos
                raise FormatError(
                    f"truncated container: {what} needs {size} bytes at offset {self.offset}, "
                    f"only {left} left"
                )
        return self.buf[self.pos : self.pos + size]

    def at_end(self) -> bool:
        return self.pos == self.buf.shape[0] and not self.more()


def _read_header(w: _Window) -> None:
    head = bytes(w.ensure(len(_HEADER), "header"))
    if head[:4] != MAGIC:
        raise FormatError(f"not a prefixcode container: magic {head[:4]!r} != {MAGIC!r}")
    if head[4] != VERSION:
        raise FormatError(f"unsupported container version {head[4]} (this reads version {VERSION})")
    if head[5] != 0:
        raise FormatError(f"unknown container flags {head[5]:#04x}")
    w.pos += len(_HEADER)


def _split(ns: np.ndarray, parts: int) -> list[tuple[int, int]]:
    """Cut the blocks with sizes `ns` into at most `parts` runs of similar volume."""
    if parts <= 1 or ns.shape[0] < 2:
        return [(0, ns.shape[0])]
    cum = np.cumsum(ns)
    cuts = np.searchsorted(cum, cum[-1] * np.arange(1, parts) / parts)
    bounds = sorted({0, *(int(c) + 1 for c in cuts), ns.shape[0]})
    return [(a, b) for a, b in itertools.pairwise(bounds) if a < b]


class _Returned:
    """Hands the scan arrays back to this thread's cache when decoding ends."""

    def __init__(self, arrays: list):
        self.arrays = arrays

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        _scratch.scan = self.arrays


def _decoded_batches(
    w: _Window, threads: int, progress: Callable[[int], None] | None, into: np.ndarray | None = None
) -> Iterator[tuple[np.ndarray, int]]:
    """Decode the blocks after the header, a batch at a time, until the end marker.

    Yields each batch's output and its CRC-32 (computed by the threads that decoded it).

    The main thread scans block headers; a batch's blocks are decoded in `threads`
    parts, and the next batch is scanned and started before the previous one is handed
    on, so the caller's CRC and writes overlap decoding. With `into`, the batches are
    decoded into consecutive slices of it (and must fit) instead of new arrays.
    """
    max_blocks = 256
    # (the scan fills every entry the decoder reads, so no zero-filling)
    # scan arrays: kept per thread between calls (a nested call gets fresh ones)
    spare = getattr(_scratch, "scan", None)
    _scratch.scan = None
    arrays = spare or [
        (np.empty((max_blocks, 7), dtype=np.int64), np.empty((max_blocks, 256), dtype=np.int64))
        for _ in range(3)
    ]
    volume = threads * _BATCH
    pending: deque = deque()  # (out, futures or results, info, consumed bytes)

    def finish() -> np.ndarray:
        out, jobs, info, base, consumed = pending.popleft()
        results = [x.result() if isinstance(x, Future) else x for x in jobs]
        bad = [j for j, _, _ in results if j >= 0]
        if bad:
            raise FormatError(
                f"corrupt coded block at offset {base + int(info[min(bad), 2])}: "
                "a stream does not end where its size says"
            )
        if progress is not None:
            progress(consumed)
        crc = 0
        for _, part_crc, part_len in results:
            crc = _crc32_combine(crc, part_crc, part_len)
        return out, crc

    produced = 0
    with _Returned(arrays), _Pool(threads) as pool:
        k = 0
        while True:
            info, lengths = arrays[k % len(arrays)]
            k += 1
            start = w.offset
            scan = K.for_size("scan_blocks", w.buf.shape[0] - w.pos)
            count, pos, status = scan(
                w.buf, w.pos, w.buf.shape[0], max_blocks, volume, MAX_BLOCK, MAX_CODE_LENGTH,
                MAX_TABLE, info, lengths, True,  # (passed, so it shares _scan_total's compiled version)
            )
            if status < 0:
                while pending:
                    finish()
                raise _scan_error(status, w.base + pos)
            if count:
                ns = info[:count, 1]
                offsets = np.concatenate([[0], np.cumsum(ns)])
                size = int(offsets[-1])
                if into is None:
                    out = np.empty(size, dtype=np.uint8)
                elif produced + size <= into.shape[0]:
                    out = into[produced : produced + size]
                else:
                    raise FormatError(f"length mismatch: the blocks hold more than {into.shape[0]} bytes")
                produced += size

                def run(
                    r: tuple[int, int], buf=w.buf, out=out, offsets=offsets, info=info, lengths=lengths
                ) -> tuple[int, int, int]:
                    a, b = r
                    decode = K.for_size("decode_blocks", out.shape[0])
                    bad = decode(buf, info, lengths, a, b, MAX_CODE_LENGTH, out, offsets[a])
                    part = out[offsets[a] : offsets[b]]
                    return bad, (_crc32(part) if bad < 0 else 0), part.shape[0]

                parts = _split(ns, threads if out.shape[0] >= _PARALLEL_MIN else 1)
                if len(parts) > 1:
                    jobs = [pool.submit(run, r) for r in parts]
                else:
                    jobs = [run(r) for r in parts]
                w.pos = pos
                pending.append((out, jobs, info, w.base, w.offset - start))
                if len(pending) > 1:
                    yield finish()
            else:
                w.pos = pos
            if status == K.SCAN_END:
                while pending:
                    yield finish()
                return
            if status == K.SCAN_MORE and not count and not w.more():
                while pending:
                    finish()
                raise FormatError(f"truncated container: a block at offset {w.offset} is cut short")


def _check_trailer(w: _Window, total: int, crc: int) -> None:
    tail = bytes(w.ensure(1 + _TRAILER.size, "trailer"))
    length, stored = _TRAILER.unpack(tail[1:])
    w.pos += 1 + _TRAILER.size
    if length != total:
        raise FormatError(f"length mismatch: stored {length} != decoded {total}")
    if stored != crc:
        raise FormatError(f"CRC-32 mismatch: stored {stored:#010x} != computed {crc:#010x}")
    if not w.at_end():
        raise FormatError(f"trailing bytes after the container at offset {w.offset}")


def _scan_error(status: int, offset: int) -> FormatError:
    return FormatError(f"corrupt block at offset {offset}: {K.SCAN_ERRORS[status]}")


def _scan_total(arr: np.ndarray, pos: int) -> int:
    """The output size of the in-memory container `arr`, its block headers and the
    stored length checked (blocks from `pos` on; code tables are checked later, when
    decoding; nothing big is allocated)."""
    max_blocks = 1024
    info = np.empty((max_blocks, 7), dtype=np.int64)
    lengths = np.empty((1, 256), dtype=np.int64)  # (tables are checked by the decoding pass)
    total = 0
    while True:
        scan = K.for_size("scan_blocks", arr.shape[0] - pos)
        count, pos, status = scan(
            arr, pos, arr.shape[0], max_blocks, 1 << 62, MAX_BLOCK, MAX_CODE_LENGTH, MAX_TABLE,
            info, lengths, False,
        )
        if status < 0:
            raise _scan_error(status, pos)
        total += int(info[:count, 1].sum())
        if status == K.SCAN_END:
            break
        if status == K.SCAN_MORE and not count:
            raise FormatError(f"truncated container: a block at offset {pos} is cut short")
    end = pos + 1 + _TRAILER.size
    if end <= arr.shape[0]:
        stored = _TRAILER.unpack(arr[pos + 1 : end].tobytes())[0]
        if stored != total:
            raise FormatError(f"length mismatch: stored {stored} != {total} in the blocks")
    return total


def _decode_all(arr: np.ndarray, pos: int, dest: np.ndarray) -> int:
    """Decode the blocks of the in-memory container `arr` from `pos` into `dest`, in
    this thread, in one kernel call; return the position of the end marker. The caller
    has checked the block headers and their total (_scan_total) and sized `dest`."""
    decode = K.for_size("decode_all", dest.shape[0])
    status, pos, bad = decode(arr, pos, MAX_BLOCK, MAX_CODE_LENGTH, MAX_TABLE, dest)
    if status < 0:
        raise _scan_error(status, pos)
    if bad >= 0:
        raise FormatError(f"corrupt coded block at offset {bad}: a stream does not end where its size says")
    if status != K.SCAN_END:  # (ruled out by _scan_total)
        raise FormatError(f"truncated container: a block at offset {pos} is cut short")
    return pos


def _bytes_api() -> tuple | None:
    """CPython's calls for building a bytes object in place, or None where they are
    missing or the object layout is not the expected one (then results are copied).

    CPython builds bytes this way itself: PyBytes_FromStringAndSize(NULL, n) gives an
    object nobody else has seen yet, its buffer is written, and _PyBytes_Resize may
    shorten it while it still has that one reference. Here the one reference is a raw
    pointer, turned into a Python object only when the bytes are complete.
    """
    try:
        import ctypes

        # prototypes of our own: setting restype on ctypes.pythonapi's shared function
        # objects would change them for everyone else in the process
        api = ctypes.pythonapi
        ssize, ptr = ctypes.c_ssize_t, ctypes.c_void_p
        # (make returns the new reference as a raw pointer, ours to release)
        make = ctypes.PYFUNCTYPE(ptr, ptr, ssize)(("PyBytes_FromStringAndSize", api))
        resize = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.POINTER(ptr), ssize)(("_PyBytes_Resize", api))
        decref = ctypes.PYFUNCTYPE(None, ptr)(("Py_DecRef", api))
        offset = bytes.__basicsize__ - 1  # ob_sval, after the header and the hash
        funcs = (ctypes, make, resize, decref, offset, _madvise_hugepage(ctypes))
        out = _Output(_IN_PLACE + 2, funcs)
        out.view[:4] = (1, 2, 3, 4)
        if out.result(4) != b"\x01\x02\x03\x04":
            return None
        return funcs
    except Exception:  # pragma: no cover - not CPython
        return None


def _madvise_hugepage(ctypes: types.ModuleType) -> Callable[[int, int], object] | None:
    """madvise(addr, length, MADV_HUGEPAGE) on Linux, else None.

    numpy advises huge pages for its arrays of 4 MiB or more; the bytes objects written
    in place get the same, or their first writes fault page by page (4 KiB pages cost
    ~0.5 ns per byte written on the machine of bench/, 2 MiB pages ~0.1).
    """
    if not sys.platform.startswith("linux"):  # pragma: no cover
        return None
    try:
        fn = ctypes.CDLL(None).madvise
    except (OSError, AttributeError):  # pragma: no cover
        return None
    fn.restype = ctypes.c_int
    fn.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    return lambda addr, length: fn(addr, length, 14)  # MADV_HUGEPAGE (a hint: failure is harmless)


_HUGE = 1 << 22  # buffers from this size on are advised huge pages, as numpy's are
_IN_PLACE = 1 << 16  # smaller results are copied: cheaper than the calls that avoid it


class _Memory:
    """`n` writable bytes at `addr` for numpy (``np.asarray`` of it), kept valid by a
    reference to their owner: arrays made on it, and views of those, hold it (and no
    ctypes array type is made for each size)."""

    def __init__(self, addr: int, n: int, owner: object):
        self.__array_interface__ = {"version": 3, "shape": (n,), "typestr": "|u1", "data": (addr, False)}
        self.owner = owner


class _Output:
    """A result being written: `view` is a writable uint8 array of `n` bytes, of which
    :meth:`result` returns the first `size` as bytes.

    On CPython the bytes object itself is written (see _bytes_api) and shortened in
    place; elsewhere, and for results under 64 KiB, `view` is a numpy array, copied at
    the end. Every view of the
    buffer holds a reference to the bytes object, so a view that outlives the call (in
    a traceback's frames, say) never points to freed memory; while one does, the
    result is a copy instead of the object shortened in place.
    """

    def __init__(self, n: int, funcs: tuple | None = None):
        self.funcs = funcs if funcs is not None else _BYTES_API
        self.n = n
        self.raw = None
        self.copied = False  # (whether result() had to copy: a view was still alive)
        if self.funcs is None or n < _IN_PLACE:
            self.view = np.empty(n, dtype=np.uint8)
            return
        ctypes, make, _, _, offset, advise = self.funcs
        self.raw = ctypes.c_void_p(make(None, n))
        addr = self.raw.value + offset
        if n >= _HUGE and advise is not None:
            start = (addr + 4095) & ~4095
            advise(start, (addr + n - start) & ~4095)
        self.view = np.asarray(_Memory(addr, n, ctypes.cast(self.raw, ctypes.py_object).value))

    def result(self, size: int) -> bytes:
        if self.raw is None:
            view, self.view = self.view, None
            return view[:size].tobytes()
        self.view = None
        ctypes, _, resize, decref, _, _ = self.funcs
        raw, self.raw = self.raw, None
        try:
            obj = ctypes.cast(raw, ctypes.py_object).value
            self.copied = size != self.n and sys.getrefcount(obj) != 3  # raw, obj, argument
            if size != self.n and not self.copied:
                del obj
                resize(ctypes.byref(raw), size)  # (on failure it frees the object and raises)
                obj = ctypes.cast(raw, ctypes.py_object).value
        finally:
            if raw.value:
                decref(raw)
        return obj if len(obj) == size else obj[:size]

    def discard(self) -> None:
        """Give up the unfinished result (after a failure); views keep it alive."""
        self.view = None
        if self.raw is not None:
            raw, self.raw = self.raw, None
            self.funcs[3](raw)


_BYTES_API = _bytes_api()


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
    _threads(threads, 0)  # (checks the argument)
    w = _Window(data=arr)
    _read_header(w)
    # check every block header and the stored length before allocating the output
    size = _scan_total(arr, w.pos)
    nthreads = _threads(threads, size)
    out = _Output(size)
    try:
        if nthreads < 2:
            w.pos = _decode_all(arr, w.pos, out.view)
            total, crc = size, _crc32(out.view)
        else:
            crc = 0
            total = 0
            with contextlib.closing(_decoded_batches(w, nthreads, None, into=out.view)) as batches:
                for part, bcrc in batches:
                    crc = _crc32_combine(crc, bcrc, part.shape[0])
                    total += part.shape[0]
            # (closing: on any exception here the threads are done with out.view first)
        _check_trailer(w, total, crc)
        return out.result(size)
    except BaseException:
        out.discard()
        raise


def decompress_stream(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    threads: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Decompress the container read from `src` into `dst`, a few blocks at a time.

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
    w = _Window(src=src)
    _read_header(w)
    if progress is not None:
        progress(w.offset)
    crc = 0
    total = 0
    for out, bcrc in _decoded_batches(w, nthreads, progress):
        crc = _crc32_combine(crc, bcrc, out.shape[0])
        total += out.shape[0]
        dst.write(memoryview(out))
    _check_trailer(w, total, crc)
    if progress is not None:
        progress(1 + _TRAILER.size)
    return w.offset, total


def _atomic(
    src_path: str | os.PathLike, dst_path: str | os.PathLike, fn: Callable, threads: int | None
) -> tuple[int, int]:
    """Run the stream function `fn` from one file into a temporary file, then rename it."""
    dst = Path(dst_path)
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    try:
        with open(src_path, "rb") as fin, open(tmp, "wb") as fout:
            result = fn(fin, fout, threads=threads)
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


"""Compress and decompress bytes and files in prefixcode's own container format.

The format (docs/format.md has the byte-level description) is a header, a sequence of
independent blocks and a trailer::

    header   magic b"PFXC", version 1, flags 0
    block*   type 1 raw | type 2 run of one byte | type 3 coded with its own canonical code
    end      type 0, original length (u64 LE), CRC-32 of the original (u32 LE)

A coded block carries its code lengths (at most 11 bits, run-length coded with a small
meta code) and its bytes split into 4 quarters packed as 4 separate streams, so the
decoder can follow four independent bit streams at once. Block boundaries are chosen by
cost: a new code is started only where the bits it saves pay for its table. A file is a
series of such containers (members, as in gzip), which decode to the concatenation.

The work is done in C (the .c files beside this one, in the extension
``prefixcode._core._ext``): one call per compress or decompress on one thread; threads
take whole 1 MiB chunks (compress) or runs of blocks (decompress) through the ordered
pipeline of ``_threads.py``. ``_format.py`` holds the constants and error messages,
``_reference.py`` a slow, readable coder the tests hold the C against, ``_files.py`` the
atomic writer, ``_streams.py`` the incremental Compressor and Decompressor and the file
objects of :func:`open`. This package imports neither numpy nor any other third-party module.

Every malformed input raises :class:`~prefixcode.errors.FormatError`; sizes declared in
the input are checked against what the input can hold before anything is allocated.
"""

from __future__ import annotations

import builtins
import itertools
import os

from .._bytes import byte_view
from .._core import _ext
from ..errors import bad_argument
from . import _format as F
from ._threads import check_threads, ordered, resolve

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import BinaryIO

    from ._streams import Compressor, Decompressor, PfxFile, open

# Names imported on first use (PEP 562): the command compressing a file needs neither.
_LAZY = {"AtomicOutput": "_files", "Compressor": "_streams", "Decompressor": "_streams",
         "PfxFile": "_streams", "open": "_streams"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    __import__(f"{__name__}.{module}")
    value = getattr(globals()[module], name)
    globals()[name] = value
    return value

__all__ = [
    "MAGIC",
    "MAX_BLOCK",
    "MAX_CODE_LENGTH",
    "VERSION",
    "Compressor",
    "Decompressor",
    "PfxFile",
    "compress",
    "compress_file",
    "compress_stream",
    "decompress",
    "decompress_file",
    "decompress_into",
    "decompress_stream",
    "open",
]

MAGIC = F.MAGIC
VERSION = F.VERSION
MAX_BLOCK = F.MAX_BLOCK
MAX_CODE_LENGTH = F.MAX_CODE_LENGTH

_PARALLEL_MIN = 2 * MAX_BLOCK  # below this, threads do not pay
_BATCH = MAX_BLOCK  # decoded bytes of a stream per job (a few jobs per thread are in flight)
_READ_SIZE = 2 * MAX_BLOCK  # container bytes read from a stream at a time


DEFAULT_LEVEL = F.DEFAULT_LEVEL
_check_level = F.check_level
_check_max_size = F.check_max_size


# ------------------------------------------------------------------------------------
# compress
# ------------------------------------------------------------------------------------
def _one_thread(threads: object) -> bool:
    """`threads` is the default or 1: the fast paths of a small call may take it."""
    return threads is None or (type(threads) is int and threads == 1)


def _chunks(n: int) -> range:
    return range(0, n, MAX_BLOCK)


def compress(
    data: bytes | bytearray | memoryview, *, threads: int | None = None, level: int = DEFAULT_LEVEL
) -> bytes:
    """Compress `data` into a self-describing container.

    Parameters
    ----------
    data : bytes-like
        The bytes to compress (any content, any length): bytes, bytearray,
        memoryview, or any contiguous buffer of bytes such as a uint8 array.
    threads : int, optional
        Worker threads, 1 to 256; default all cores for inputs of 2 MiB or more, else
        1. The output does not depend on it.
    level : int, optional
        1 (fastest) to 9 (smallest), default 6: how finely blocks are planned and
        whether code lengths are the optimal limited ones (docs/format.md, "Levels").
        Every level writes the same format.

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
    if type(data) is bytes and len(data) <= MAX_BLOCK and _one_thread(threads) and type(level) is int:
        if 1 <= level <= 9:  # the usual call, too small for threads: one C call
            return _ext.compress(data, level)
    view = byte_view(data, "data")
    nthreads = resolve(check_threads(threads), len(view), _PARALLEL_MIN)
    level = _check_level(level)
    n = len(view)
    if nthreads < 2 or n <= MAX_BLOCK:
        return _ext.compress(view, level)
    # chunks are encoded by the threads, in order, and copied into place by this one
    result = _ext.Result(_ext.compress_bound(n))
    result.write(0, F.HEADER)
    pos = len(F.HEADER)
    crc = 0

    def encode(start: int) -> tuple[bytes, int]:
        return _ext.encode_chunk(view, start, min(start + MAX_BLOCK, n), level)

    for start, (blocks, chunk_crc) in zip(_chunks(n), ordered(encode, _chunks(n), nthreads)):
        result.write(pos, blocks)
        pos += len(blocks)
        crc = _ext.crc32_combine(crc, chunk_crc, min(MAX_BLOCK, n - start))
    tail = F.TRAILER.pack(F.BLOCK_END, n, crc)
    result.write(pos, tail)
    return result.finish(pos + len(tail))


def _check_binary_output(dst: object) -> None:
    """A text stream as `dst` is refused at once (before anything is read or written)."""
    import io

    if isinstance(dst, io.TextIOBase) or not callable(getattr(dst, "write", None)):
        raise bad_argument("dst", "a binary stream (opened with 'wb')", dst)


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
    level: int = DEFAULT_LEVEL,
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
    level : int, optional
        1 (fastest) to 9 (smallest), as for :func:`compress`.

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
    nthreads = resolve(check_threads(threads), None, _PARALLEL_MIN)
    level = _check_level(level)

    def chunks() -> Iterator[bytes]:
        while True:
            block = _read_full(src, MAX_BLOCK)
            if not block:
                return
            yield block

    def encode(chunk: bytes) -> tuple[int, bytes, int]:
        blocks, crc = _ext.encode_chunk(chunk, 0, len(chunk), level)
        return len(chunk), blocks, crc

    _check_binary_output(dst)
    dst.write(F.HEADER)
    written = len(F.HEADER)
    total = 0
    crc = 0
    for size, blocks, chunk_crc in ordered(encode, chunks(), nthreads):
        crc = _ext.crc32_combine(crc, chunk_crc, size)
        total += size
        dst.write(blocks)
        written += len(blocks)
        if progress is not None:
            progress(size)
    tail = F.TRAILER.pack(F.BLOCK_END, total, crc)
    dst.write(tail)
    return total, written + len(tail)


# ------------------------------------------------------------------------------------
# decompress
# ------------------------------------------------------------------------------------
def _raise(status: tuple, data: memoryview | bytes = b"") -> None:
    code, pos, stored, computed, _ = status
    raise F.error(code, pos, stored, computed, data)


def _decompress_parallel(view: memoryview, pos: int, total: int, result: object, out_pos: int,
                         nthreads: int) -> int:
    """Decode the member at `pos` of `view` (its size `total` checked) on threads into
    ``result[out_pos:]``; the offset after its trailer."""
    scan = _ext.scan(view, pos + len(F.HEADER), -(-total // nthreads))
    if scan[0] != _ext.OK:
        _raise(scan, view)
    splits = scan[4]  # (offset, output offset) at block boundaries, then the end marker's
    end = scan[1]
    runs = list(itertools.pairwise(splits))

    def decode(run: tuple) -> tuple:
        (a, out_a), (b, out_b) = run
        return _ext.decode_blocks(view, a, b, result, out_pos + out_a, out_b - out_a)

    crc = 0
    for status in ordered(decode, runs, nthreads):
        if status[0] != _ext.OK:
            _raise(status, view)
        written, part_crc = status[4]
        crc = _ext.crc32_combine(crc, part_crc, written)
    _, stored = F.read_trailer(bytes(view[end : end + F.TRAILER.size]))
    if stored != crc:
        raise F.error(_ext.E_CRC, end, stored, crc)
    return end + F.TRAILER.size


def _members(view: memoryview) -> list[tuple[int, int]]:
    """(offset, original size) of each member of `view`, checked up to its trailer;
    the members must fill `view` exactly (FormatError naming the offset otherwise)."""
    members = []
    pos = 0
    while True:
        status = _ext.member_size(view, pos)
        if status[0] != _ext.OK:
            _raise(status, view)
        members.append((pos, status[4]))
        pos = status[1]
        if pos == len(view):
            return members


def _check_total(members: list[tuple[int, int]], limit: int) -> int:
    total = sum(size for _, size in members)
    if 0 <= limit < total:
        raise F.error(_ext.E_LIMIT, 0, total, limit)
    return total


def decompress(
    blob: bytes | bytearray | memoryview, *, threads: int | None = None, max_size: int | None = None
) -> bytes:
    """The original bytes of the container `blob`.

    Parameters
    ----------
    blob : bytes-like
        One container, as made by :func:`compress` or :func:`compress_stream`, or
        several written one after another (members, as in gzip): they decode to the
        concatenation of their originals.
    threads : int, optional
        Worker threads, 1 to 256; default all cores for large inputs.
    max_size : int, optional
        Refuse (with FormatError, before allocating anything) input whose original
        (all members together) is longer than this many bytes.

    Returns
    -------
    bytes

    Raises
    ------
    FormatError
        If `blob` is not an intact container: bad magic or version, truncated, a
        corrupt block, a length or CRC-32 mismatch, or bytes after a member that do not
        start another one; or if the original exceeds `max_size`.

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.decompress(pc.compress(b"hello, hello, hello"))
    b'hello, hello, hello'
    >>> pc.decompress(pc.compress(b"one, ") + pc.compress(b"two"))
    b'one, two'
    >>> pc.decompress(b"not a container")
    Traceback (most recent call last):
    ...
    prefixcode.errors.FormatError: not a prefixcode container: magic b'not ' != b'PFXC'
    """
    if type(blob) is bytes and len(blob) < _PARALLEL_MIN // 8 and _one_thread(threads) and max_size is None:
        # the usual call (an output too small for threads, even at 8:1): one C call;
        # anything else (several members, an error to report) takes the general way
        # below, which says the same of one member
        status = _ext.decompress(blob, 0, -1)
        if status[0] == _ext.OK and status[1] == len(blob):
            return status[4]
    view = byte_view(blob, "blob")
    threads = check_threads(threads)
    limit = _check_max_size(max_size)
    members = _members(view)
    total = _check_total(members, limit)
    nthreads = resolve(threads, total, _PARALLEL_MIN)
    if nthreads >= 2 and total < _PARALLEL_MIN:  # (below that, threads cost more than they give)
        nthreads = 1
    if len(members) == 1 and nthreads < 2:
        status = _ext.decompress(view, 0, limit)
        if status[0] != _ext.OK:
            _raise(status, view)
        return status[4]
    # several members, or threads: all sizes are known, so the result is allocated once
    result = _ext.Result(total, populate=True)  # (every byte is written: pages made present at once)
    out_pos = 0
    for pos, size in members:
        if nthreads >= 2 and size >= _PARALLEL_MIN:
            _decompress_parallel(view, pos, size, result, out_pos, nthreads)
        else:
            status = _ext.decompress_into(view, pos, result, out_pos)
            if status[0] != _ext.OK:
                _raise(status, view)
        out_pos += size
    return result.finish(total)


def decompress_into(blob: bytes | bytearray | memoryview, out: object) -> int:
    """Decompress the container `blob` into the writable buffer `out`; its length.

    For callers that own their buffers (zero copies): `out` may be a bytearray, a
    writable memoryview, a numpy array or an mmap, at least as long as the original.
    Several members decode one after another, as in :func:`decompress`.

    Raises
    ------
    FormatError
        As :func:`decompress`; also when `out` is too small (nothing is written then).

    Examples
    --------
    >>> import prefixcode as pc
    >>> buf = bytearray(10)
    >>> pc.decompress_into(pc.compress(b"abcabc"), buf), bytes(buf[:7])
    (6, b'abcabc\\x00')
    >>> pc.decompress_into(pc.compress(b"ab") + pc.compress(b"cd"), buf), bytes(buf[:4])
    (4, b'abcd')
    """
    view = byte_view(blob, "blob")
    try:
        target = memoryview(out)  # type: ignore[arg-type]
    except TypeError:
        raise bad_argument("out", "a writable buffer (bytearray, memoryview, numpy array)", out) from None
    if target.readonly or not target.contiguous:
        raise bad_argument("out", "a writable, contiguous buffer", out)
    if target.format != "B" or target.ndim != 1:
        target = target.cast("B")
    members = _members(view)
    _check_total(members, len(target))
    out_pos = 0
    for pos, _ in members:
        status = _ext.decompress_into(view, pos, target, out_pos)
        if status[0] != _ext.OK:
            _raise(status, view)
        out_pos += status[4]
    return out_pos


class _Window:
    """The container bytes of a stream being decoded: what is read and not yet used."""

    def __init__(self, src: BinaryIO):
        self.src = src
        self.buf = b""
        self.pos = 0  # index into buf
        self.base = 0  # stream offset of buf[0]
        self.eof = False

    @property
    def offset(self) -> int:
        return self.base + self.pos

    def more(self) -> bool:
        """Read more of the stream behind what is left; False at its end."""
        if self.eof:
            return False
        new = _read_full(self.src, _READ_SIZE)
        if not new:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + new
        self.base += self.pos
        self.pos = 0
        return True

    def ensure(self, size: int) -> bytes:
        while len(self.buf) - self.pos < size and self.more():
            pass
        return self.buf[self.pos : self.pos + size]


def _stream_batches(w: _Window, step: int) -> Iterator[tuple[bytes, int, int, int, int]]:
    """The runs of whole blocks of the stream behind `w`, as (buffer, start, end, output
    size, stream offset of start), each of about `step` output bytes; stops at the end
    marker (w.pos is left there)."""
    while True:
        code, pos, stored, computed, splits = _ext.scan(w.buf, w.pos, step)
        for (a, out_a), (b, out_b) in itertools.pairwise(splits):
            yield w.buf, a, b, out_b - out_a, w.base + a
        w.pos = pos
        if code == _ext.OK:
            return
        if code != _ext.TRUNCATED:
            raise F.error(code, w.base + pos, stored, computed)
        if not w.more():
            raise F.error(code, w.base + w.pos, 0, 0)


def decompress_stream(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    threads: int | None = None,
    progress: Callable[[int], None] | None = None,
    max_size: int | None = None,
) -> tuple[int, int]:
    """Decompress the containers read from `src` into `dst`, a few blocks at a time.

    `src` holds one container or several written one after another (members, as in
    gzip): they decode to the concatenation of their originals. Each member's length
    and CRC-32 (in its trailer) are checked at its end, after its data has been
    written: on a :class:`FormatError` the caller should discard `dst`.

    Parameters
    ----------
    src, dst : binary file objects
    threads : int, optional
        Worker threads (1 to 256; default all cores): each decodes runs of blocks of
        about 1 MiB; memory stays at a few such runs per thread.
    progress : callable, optional
        Called with the number of container bytes just processed.
    max_size : int, optional
        Refuse (FormatError) to write more than this many bytes in all: the error is
        raised before the batch that would pass the limit is written.

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
    nthreads = resolve(check_threads(threads), None, _PARALLEL_MIN)
    limit = _check_max_size(max_size)
    _check_binary_output(dst)
    w = _Window(src)
    total = 0
    while True:
        total += _stream_member(w, dst, nthreads, progress, limit, total)
        if not w.ensure(1):  # (the end of the stream after a member: done)
            return w.offset, total


def _stream_member(w: _Window, dst: BinaryIO, nthreads: int, progress: Callable[[int], None] | None,
                   limit: int, before: int) -> int:
    """Decode the member at `w`'s position into `dst`; its original size. `before`
    bytes were written by the members before it (for the limit)."""
    start = w.offset
    F.check_header(w.ensure(len(F.HEADER)), start)
    w.pos += len(F.HEADER)
    consumed = [len(F.HEADER)]  # (stream bytes of this member reported to progress)
    if progress is not None:
        progress(len(F.HEADER))

    def decode(batch: tuple[bytes, int, int, int, int]) -> tuple[bytearray, tuple, int]:
        buf, a, b, size, offset = batch
        out = bytearray(size)
        return out, _ext.decode_blocks(buf, a, b, out, 0, size), offset - a

    crc = 0
    total = 0
    for out, (code, pos, stored, computed, (written, part_crc)), shift in ordered(
        decode, _stream_batches(w, _BATCH), nthreads
    ):
        if code != _ext.OK:
            raise F.error(code, shift + pos, stored, computed)
        if 0 <= limit < before + total + written:
            raise F.limit_error(limit)
        dst.write(out)
        crc = _ext.crc32_combine(crc, part_crc, written)
        total += written
        if progress is not None:
            progress(shift + pos - start - consumed[0])
            consumed[0] = shift + pos - start
    tail = w.ensure(F.TRAILER.size)
    if len(tail) < F.TRAILER.size:
        raise F.error(_ext.TRUNCATED, w.offset, 0, 0)
    length, stored_crc = F.read_trailer(tail)
    w.pos += F.TRAILER.size
    if length != total:
        raise F.error(_ext.E_LENGTH, w.offset, length, total)
    if stored_crc != crc:
        raise F.error(_ext.E_CRC, w.offset, stored_crc, crc)
    if progress is not None:
        progress(F.TRAILER.size)
    return total


def _atomic(src_path: str | os.PathLike, dst_path: str | os.PathLike, fn: Callable, **options: object
            ) -> tuple[int, int]:
    from ._files import AtomicOutput

    with builtins.open(src_path, "rb") as fin, AtomicOutput(dst_path) as fout:
        return fn(fin, fout, **options)


def compress_file(
    src_path: str | os.PathLike, dst_path: str | os.PathLike, *, threads: int | None = None,
    level: int = DEFAULT_LEVEL,
) -> tuple[int, int]:
    """Compress the file `src_path` into `dst_path` (written atomically); (bytes in, bytes out).

    Examples
    --------
    >>> import os, pathlib, tempfile, prefixcode as pc
    >>> d = tempfile.mkdtemp()
    >>> _ = pathlib.Path(d, "a").write_bytes(b"ab" * 100)
    >>> pc.compress_file(os.path.join(d, "a"), os.path.join(d, "a.pfx"))
    (200, 64)
    """
    return _atomic(src_path, dst_path, compress_stream, threads=threads, level=level)


def decompress_file(
    src_path: str | os.PathLike, dst_path: str | os.PathLike, *, threads: int | None = None,
    max_size: int | None = None,
) -> tuple[int, int]:
    """Decompress the container file `src_path` into `dst_path` (atomically); (bytes in, bytes out).

    Nothing is left at `dst_path` when the container is damaged, or when its original
    would exceed `max_size` bytes. A file of several members decodes to their
    concatenation, as in :func:`decompress_stream`.

    Examples
    --------
    >>> import os, pathlib, tempfile, prefixcode as pc
    >>> d = tempfile.mkdtemp()
    >>> _ = pathlib.Path(d, "a.pfx").write_bytes(pc.compress(b"ab" * 100))
    >>> pc.decompress_file(os.path.join(d, "a.pfx"), os.path.join(d, "a"))
    (64, 200)
    """
    return _atomic(src_path, dst_path, decompress_stream, threads=threads, max_size=max_size)

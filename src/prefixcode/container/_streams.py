"""Incremental compression and file objects, in the shapes of bz2, lzma and gzip.

:class:`Compressor` and :class:`Decompressor` follow ``bz2.BZ2Compressor`` /
``bz2.BZ2Decompressor`` (and their lzma twins): one member per object, ``max_length``,
``eof``, ``needs_input``, ``unused_data``. :func:`open` and :class:`PfxFile` follow
``gzip.open`` and ``gzip.GzipFile``: a binary file object, wrapped in an
``io.TextIOWrapper`` in text modes, reading any number of members.

Memory stays bounded whatever the length of the data: a Compressor holds at most one
1 MiB chunk of input (the chunks the format's encoder cuts, so the bytes are those of
:func:`~prefixcode.compress`); a Decompressor decodes whole blocks as they arrive
(``_ext.scan`` finds where the complete ones end, ``_ext.decode_blocks`` decodes them)
and keeps the input of at most one incomplete block and the output that ``max_length``
held back (at most one 1 MiB block beyond what was asked). The header, trailer length
and CRC-32 are checked here, in Python, with ``_format`` and ``_ext.crc32_combine``.
This module imports no numpy.
"""

from __future__ import annotations

import builtins
import io
import os
from _thread import allocate_lock

from .._bytes import byte_view
from .._core import _ext
from ..errors import FormatError, bad_argument
from . import _format as F

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

__all__ = ["Compressor", "Decompressor", "PfxFile", "open"]

_MAX_BLOCK = F.MAX_BLOCK
_READ_SIZE = 128 * 1024  # container bytes a PfxFile reads from its file at a time
_BUFFER_SIZE = 128 * 1024  # a PfxFile's read buffer
_READALL_STEP = 4 * _MAX_BLOCK  # output per step when reading to the end
_MODES = ("r", "rb", "w", "wb", "x", "xb", "a", "ab")
_TEXT_MODES = ("rt", "wt", "xt", "at")
_HEADER, _BLOCKS, _TRAILER = 0, 1, 2  # where a Decompressor stands in its member


# ------------------------------------------------------------------------------------
# Compressor
# ------------------------------------------------------------------------------------
class Compressor:
    """Compress data incrementally into one container (member), as bz2.BZ2Compressor.

    Feed the data to :meth:`compress` in pieces of any size, then call :meth:`flush`
    once; the concatenated outputs are the same bytes :func:`~prefixcode.compress`
    gives for the whole data. At most one chunk of 1 MiB of input is held back.

    Parameters
    ----------
    level : int, optional
        1 (fastest) to 9 (smallest), default 6, as for :func:`~prefixcode.compress`.

    Examples
    --------
    >>> import prefixcode as pc
    >>> c = pc.Compressor()
    >>> blob = c.compress(b"spam, ") + c.compress(b"spam and eggs") + c.flush()
    >>> blob == pc.compress(b"spam, spam and eggs")
    True
    >>> c.compress(b"more")
    Traceback (most recent call last):
    ...
    ValueError: Compressor has been flushed
    """

    def __init__(self, level: int = F.DEFAULT_LEVEL) -> None:
        self._level = F.check_level(level)
        self._buf = bytearray()  # input of the chunk being filled (< 1 MiB)
        self._started = False  # the header has been returned
        self._flushed = False
        self._size = 0
        self._crc = 0
        self._lock = allocate_lock()

    def _encode(self, data: Any, start: int, stop: int) -> bytes:
        blocks, crc = _ext.encode_chunk(data, start, stop, self._level)
        self._crc = _ext.crc32_combine(self._crc, crc, stop - start)
        self._size += stop - start
        return blocks

    def _emit(self, parts: list[bytes]) -> bytes:
        if parts and not self._started:
            parts.insert(0, F.HEADER)
            self._started = True
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def compress(self, data: bytes | bytearray | memoryview) -> bytes:
        """Feed `data`; the container bytes ready so far (often ``b""``).

        Examples
        --------
        >>> import prefixcode as pc
        >>> c = pc.Compressor()
        >>> c.compress(b"abc")      # held back until its chunk is full or flushed
        b''
        """
        view = byte_view(data, "data")
        with self._lock:
            if self._flushed:
                raise ValueError("Compressor has been flushed")
            parts = []
            n, i = len(view), 0
            if self._buf:  # complete the chunk being filled first
                i = min(_MAX_BLOCK - len(self._buf), n)
                self._buf += view[:i]
                if len(self._buf) == _MAX_BLOCK:
                    parts.append(self._encode(self._buf, 0, _MAX_BLOCK))
                    self._buf = bytearray()
            while n - i >= _MAX_BLOCK:  # whole chunks straight from the caller's buffer
                parts.append(self._encode(view, i, i + _MAX_BLOCK))
                i += _MAX_BLOCK
            if i < n:
                self._buf += view[i:]
            return self._emit(parts)

    def flush(self) -> bytes:
        """Finish the container: the rest of its bytes (blocks and trailer).

        The Compressor cannot be used after it.

        Examples
        --------
        >>> import prefixcode as pc
        >>> pc.Compressor().flush() == pc.compress(b"")
        True
        """
        with self._lock:
            if self._flushed:
                raise ValueError("Compressor has been flushed")
            self._flushed = True
            parts = []
            if not self._started:
                parts.append(F.HEADER)
                self._started = True
            if self._buf:
                parts.append(self._encode(self._buf, 0, len(self._buf)))
                self._buf = bytearray()
            parts.append(F.TRAILER.pack(F.BLOCK_END, self._size, self._crc))
            return b"".join(parts)


# ------------------------------------------------------------------------------------
# Decompressor
# ------------------------------------------------------------------------------------
def _check_max_length(max_length: object) -> int:
    if isinstance(max_length, bool) or not isinstance(max_length, int):
        raise bad_argument("max_length", "an integer (negative for no limit)", max_length)
    return max_length if max_length >= 0 else -1


class Decompressor:
    """Decompress one container (member) incrementally, as bz2.BZ2Decompressor.

    Feed the container in pieces of any size to :meth:`decompress`; each call returns
    the data that the input so far completes (whole blocks are decoded as they arrive).
    After the member's trailer, whose length and CRC-32 are checked, :attr:`eof` is
    True and any bytes that followed it are in :attr:`unused_data` (the next member of
    a file, for a new Decompressor). Damaged input raises FormatError as soon as it is
    seen.

    Memory stays bounded: the Decompressor keeps the input of at most one incomplete
    block (up to ~1 MiB) besides what one call was given, and the output held back by
    ``max_length`` (at most one 1 MiB block beyond what was asked).

    Examples
    --------
    >>> import prefixcode as pc
    >>> blob = pc.compress(b"hello, world")
    >>> d = pc.Decompressor()
    >>> d.decompress(blob[:10]), d.eof, d.needs_input
    (b'', False, True)
    >>> d.decompress(blob[10:] + b"rest"), d.eof, d.unused_data
    (b'hello, world', True, b'rest')
    """

    def __init__(self) -> None:
        self._buf = bytearray()  # container bytes received and not yet used up
        self._pos = 0  # index in _buf of the next byte to use
        self._base = 0  # stream offset of _buf[0] (for messages)
        self._state = _HEADER
        self._scan = 0  # index in _buf where the blocks scanned in full end
        self._ready = 0  # output of the complete blocks in _buf[_pos:_scan]
        self._ended = False  # the scan reached the end marker (at _scan)
        self._fresh = False  # input arrived since the last scan
        self._out = b""  # decoded output not yet returned: _out[_out_pos:]
        self._out_pos = 0
        self._size = 0  # output decoded so far, and its CRC-32
        self._crc = 0
        self._eof = False
        self._needs_input = True
        self._unused = b""
        self._failed: FormatError | None = None
        self._lock = allocate_lock()

    @property
    def eof(self) -> bool:
        """True once the member's trailer has been checked and all its data returned."""
        return self._eof

    @property
    def needs_input(self) -> bool:
        """False if :meth:`decompress` can return more data without more input."""
        return self._needs_input

    @property
    def unused_data(self) -> bytes:
        """The bytes after the end of the member (``b""`` until :attr:`eof`)."""
        return self._unused

    def decompress(self, data: bytes | bytearray | memoryview, max_length: int = -1) -> bytes:
        """Feed `data`; return the decompressed data it completes.

        Parameters
        ----------
        data : bytes-like
            The next bytes of the container (``b""`` to take output held back).
        max_length : int, optional
            If non-negative, return at most this many bytes; the rest is kept for the
            next calls (then :attr:`needs_input` is False and ``b""`` may be passed).

        Raises
        ------
        EOFError
            If called after the end of the member (:attr:`eof`).
        FormatError
            On damaged input (also on every later call).

        Examples
        --------
        >>> import prefixcode as pc
        >>> d = pc.Decompressor()
        >>> d.decompress(pc.compress(b"abcdef"), max_length=4), d.needs_input
        (b'abcd', False)
        >>> d.decompress(b"", max_length=4), d.eof
        (b'ef', True)
        """
        view = byte_view(data, "data")
        limit = _check_max_length(max_length)
        with self._lock:
            if self._eof:
                raise EOFError("End of stream already reached")
            if self._failed is not None:
                raise FormatError(str(self._failed))
            try:
                return self._decompress(view, limit)
            except FormatError as e:
                self._failed = e
                self._needs_input = False
                raise

    def _decompress(self, view: memoryview, limit: int) -> bytes:
        if len(view):
            self._buf += view
            self._fresh = True
        parts: list[Any] = []
        got = 0
        while True:
            room = -1 if limit < 0 else limit - got
            if self._out:  # output held back first
                got += self._take(parts, room)
                if self._out:
                    break
                continue
            if self._state == _BLOCKS:
                self._rescan()
                if self._ended and self._pos == self._scan:
                    self._state = _TRAILER
                elif self._ready and room:
                    self._decode(room)
                    continue
                else:
                    break
            if self._state == _HEADER:
                if not self._read_header():
                    break
                continue
            if self._state == _TRAILER:
                self._read_trailer()
                break
        if self._pos:  # (O(1): a bytearray drops its head by moving its start)
            del self._buf[: self._pos]
            self._base += self._pos
            self._scan -= self._pos
            self._pos = 0
        self._needs_input = not (self._eof or self._out or (self._state == _BLOCKS and self._ready))
        if len(parts) == 1 and isinstance(parts[0], bytes):
            return parts[0]
        return b"".join(parts)

    def _take(self, parts: list, room: int) -> int:
        out, start = self._out, self._out_pos
        n = len(out) - start if room < 0 else min(room, len(out) - start)
        if n == len(out):
            parts.append(out)
        elif n:
            parts.append(memoryview(out)[start : start + n])
        self._out_pos += n
        if self._out_pos == len(out):
            self._out, self._out_pos = b"", 0
        return n

    def _read_header(self) -> bool:
        head = bytes(self._buf[self._pos : self._pos + len(F.HEADER)])
        offset = self._base + self._pos
        if len(head) < len(F.HEADER):
            if head != F.HEADER[: len(head)]:  # wrong already: say so now
                F.check_header(head + b"\x00" if len(head) == 5 else head, offset)
            return False
        F.check_header(head, offset)
        self._pos += len(F.HEADER)
        self._scan = self._pos
        self._fresh = True
        self._state = _BLOCKS
        return True

    def _rescan(self) -> None:
        """Extend the run of complete blocks over the input that arrived."""
        if self._ended or not self._fresh:
            return
        self._fresh = False
        code, pos, stored, computed, splits = _ext.scan(self._buf, self._scan, 1 << 62)
        self._scan, out = splits[-1]
        self._ready += out
        if code == _ext.OK:
            self._ended = True
        elif code != _ext.TRUNCATED:
            raise F.error(code, self._base + pos, stored, computed)

    def _decode(self, room: int) -> None:
        """Decode complete blocks: all of them, or (room >= 0) about `room` bytes' worth
        (at most one block more, up to 1 MiB)."""
        cap = self._ready if room < 0 else min(self._ready, max(room, _MAX_BLOCK))
        result = _ext.Result(cap)
        code, pos, stored, computed, (written, crc) = _ext.decode_blocks(
            self._buf, self._pos, self._scan, result, 0, cap)
        if code != _ext.OK and not (code == _ext.E_LIMIT and written):
            raise F.error(code, self._base + pos, stored, computed)
        self._out, self._out_pos = result.finish(written), 0
        self._crc = _ext.crc32_combine(self._crc, crc, written)
        self._size += written
        self._ready -= written
        self._pos = pos

    def _read_trailer(self) -> None:
        tail = bytes(self._buf[self._pos : self._pos + F.TRAILER.size])
        if len(tail) < F.TRAILER.size:
            return
        offset = self._base + self._pos
        length, crc = F.read_trailer(tail)
        if length != self._size:
            raise F.error(_ext.E_LENGTH, offset, length, self._size)
        if crc != self._crc:
            raise F.error(_ext.E_CRC, offset, crc, self._crc)
        self._pos += F.TRAILER.size
        self._unused = bytes(self._buf[self._pos :])
        self._buf = bytearray()
        self._pos = self._scan = 0
        self._eof = True

    def _end_error(self) -> FormatError:
        """The error for input that ends here (before :attr:`eof`)."""
        if self._failed is not None:
            return FormatError(str(self._failed))
        if self._state == _HEADER:
            try:
                F.check_header(bytes(self._buf[self._pos :]), self._base + self._pos)
            except FormatError as e:
                return e
        where = self._scan if self._state == _BLOCKS else self._pos
        return F.error(_ext.TRUNCATED, self._base + where, 0, 0)


# ------------------------------------------------------------------------------------
# PfxFile and open()
# ------------------------------------------------------------------------------------
class _Reader(io.RawIOBase):
    """The decompressed bytes of the members in a binary file, as a raw stream (the
    part below PfxFile's io.BufferedReader)."""

    def __init__(self, fp: BinaryIO, limit: int) -> None:
        self._fp = fp
        self._limit = limit
        try:
            self._start = fp.tell() if fp.seekable() else 0
        except (AttributeError, OSError):
            self._start = 0
        self._rewind_state()

    def _rewind_state(self) -> None:
        self._d = Decompressor()
        self._read = 0  # container bytes read from the file
        self._pos = 0  # decompressed bytes returned
        self._size = -1  # the whole size, once known
        self._eof = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        seekable = getattr(self._fp, "seekable", None)
        return bool(seekable and seekable())

    def _fill(self) -> bytes:
        data = self._fp.read(_READ_SIZE)
        if data is None:
            data = b""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise bad_argument("file", "a binary file object (opened with 'rb')", self._fp)
        self._read += len(data)
        return data

    def readinto(self, b: Any) -> int:
        with memoryview(b) as view, view.cast("B") as out:
            data = self.read(len(out))
            out[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            return self.readall()
        if not size or self._eof:
            return b""
        while True:
            d = self._d
            if d.eof:  # next member, or the end of the file
                offset = self._read - len(d.unused_data)
                raw = d.unused_data or self._fill()
                if not raw:
                    self._eof = True
                    self._size = self._pos
                    return b""
                self._d = Decompressor()
                self._d._base = offset
                data = self._d.decompress(raw, size)
            else:
                raw = b""
                if d.needs_input:
                    raw = self._fill()
                    if not raw:
                        raise d._end_error()
                data = d.decompress(raw, size)
            if data:
                break
        if 0 <= self._limit < self._pos + len(data):
            raise F.limit_error(self._limit)
        self._pos += len(data)
        return data

    def readall(self) -> bytes:
        parts = []
        while True:
            data = self.read(_READALL_STEP)
            if not data:
                return b"".join(parts)
            parts.append(data)

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence == io.SEEK_END:
            if self._size < 0:
                while self.read(_READALL_STEP):
                    pass
            offset += self._size
        elif whence != io.SEEK_SET:
            raise ValueError(f"invalid whence ({whence!r}, should be 0, 1 or 2)")
        if offset < 0:
            raise ValueError(f"negative seek position {offset}")
        if offset < self._pos:  # rewind: decode again from the start
            self._fp.seek(self._start)
            self._rewind_state()
        offset -= self._pos
        while offset > 0:
            data = self.read(min(_READALL_STEP, offset))
            if not data:
                break
            offset -= len(data)
        return self._pos


class PfxFile(io.BufferedIOBase):
    """A container file opened for reading or writing, as gzip.GzipFile.

    Usually made by :func:`prefixcode.open`. Reading decodes any number of members one
    after another and offers ``read``, ``read1``, ``readinto``, ``readline``,
    iteration, ``peek``, ``tell`` and ``seek`` (forward by decoding, backward by
    decoding again from the start). Writing compresses into one new member, finished on
    :meth:`close`; mode ``"a"`` appends a new member to an existing file, which then
    reads back as the concatenation. ``flush()`` flushes the file, not the chunk of up
    to 1 MiB that the compressor holds until it is full or the file is closed.

    Parameters
    ----------
    file : str, bytes, path-like or binary file object
        A path (opened and closed here) or a file object (left open on close).
    mode : str
        ``"r"``/``"rb"`` (default), ``"w"``/``"wb"``, ``"x"``/``"xb"``, ``"a"``/``"ab"``.
    level : int
        1 to 9 when writing, as for :func:`prefixcode.compress`.
    max_size : int, optional
        When reading: raise FormatError before returning more than this many bytes.

    Examples
    --------
    >>> import io, prefixcode as pc
    >>> raw = io.BytesIO()
    >>> with pc.PfxFile(raw, "wb") as f:
    ...     _ = f.write(b"line one\\nline two\\n")
    >>> with pc.PfxFile(io.BytesIO(raw.getvalue())) as f:
    ...     f.readline(), f.read()
    (b'line one\\n', b'line two\\n')
    """

    def __init__(self, file: Any, mode: str = "rb", *, level: int = F.DEFAULT_LEVEL,
                 max_size: int | None = None) -> None:
        self._fp: Any = None
        self._own = False
        if not isinstance(mode, str) or mode not in _MODES:
            raise bad_argument("mode", "one of 'r', 'rb', 'w', 'wb', 'x', 'xb', 'a', 'ab'", mode)
        level = F.check_level(level)
        limit = F.check_max_size(max_size)
        kind = mode[0]
        if kind != "r" and limit >= 0:
            raise bad_argument("max_size", "None when writing", max_size)
        self._mode = kind + "b"
        if isinstance(file, (str, bytes, os.PathLike)):
            fp = builtins.open(file, self._mode)
            self._own = True
            name = os.fspath(file)
        elif hasattr(file, "read" if kind == "r" else "write") and not isinstance(file, io.TextIOBase):
            fp = file
            name = getattr(file, "name", "")
            if not isinstance(name, (str, bytes)):
                name = ""
        else:
            raise bad_argument("file", "a path or a binary file object", file)
        self._name = name
        self._reader: io.BufferedReader | None = None
        self._compressor: Compressor | None = None
        self._written = 0
        if kind == "r":
            self._reader = io.BufferedReader(_Reader(fp, limit), _BUFFER_SIZE)
        else:
            self._compressor = Compressor(level)
        self._fp = fp

    # -- state -----------------------------------------------------------------------
    @property
    def name(self) -> str | bytes:
        """The path, or the file object's ``name`` (``""`` if it has none)."""
        return self._name

    @property
    def mode(self) -> str:
        """``"rb"``, ``"wb"``, ``"xb"`` or ``"ab"``."""
        return self._mode

    @property
    def closed(self) -> bool:
        return self._fp is None

    def _check(self, reading: bool | None = None) -> None:
        if self._fp is None:
            raise ValueError("I/O operation on closed file")
        if reading is True and self._reader is None:
            raise io.UnsupportedOperation("File not open for reading")
        if reading is False and self._compressor is None:
            raise io.UnsupportedOperation("File not open for writing")

    def readable(self) -> bool:
        self._check()
        return self._reader is not None

    def writable(self) -> bool:
        self._check()
        return self._compressor is not None

    def seekable(self) -> bool:
        self._check()
        return self._reader.seekable() if self._reader is not None else True

    def fileno(self) -> int:
        """The file descriptor of the underlying file."""
        self._check()
        return self._fp.fileno()

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"mode={self._mode!r}"
        return f"<prefixcode.PfxFile name={self._name!r} {state}>"

    # -- reading ---------------------------------------------------------------------
    def read(self, size: int | None = -1) -> bytes:
        self._check(True)
        assert self._reader is not None
        return self._reader.read(size)

    def read1(self, size: int = -1) -> bytes:
        self._check(True)
        assert self._reader is not None
        return self._reader.read1(_BUFFER_SIZE if size is None or size < 0 else size)

    def readinto(self, b: Any) -> int:
        self._check(True)
        assert self._reader is not None
        return self._reader.readinto(b)

    def readinto1(self, b: Any) -> int:
        self._check(True)
        assert self._reader is not None
        return self._reader.readinto1(b)

    def readline(self, size: int | None = -1) -> bytes:
        self._check(True)
        assert self._reader is not None
        return self._reader.readline(size)

    def peek(self, n: int = 0) -> bytes:
        """Buffered bytes ahead, without moving (at least one unless at the end)."""
        self._check(True)
        assert self._reader is not None
        return self._reader.peek(n)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move to `offset` of the decompressed data: when reading, forward by decoding
        and backward by decoding again from the start (slow); when writing, forward only,
        by writing zero bytes (as gzip does)."""
        self._check()
        if self._reader is not None:
            return self._reader.seek(offset, whence)
        if whence == io.SEEK_CUR:
            offset += self._written
        elif whence != io.SEEK_SET:
            raise ValueError("seek from the end is not supported when writing")
        if offset < self._written:
            raise OSError("negative seek in write mode")
        zeros = bytes(min(offset - self._written, _MAX_BLOCK))
        while self._written < offset:
            self.write(zeros[: offset - self._written])
        return self._written

    def tell(self) -> int:
        """The position in the decompressed data (bytes written, when writing)."""
        self._check()
        return self._written if self._reader is None else self._reader.tell()

    # -- writing ---------------------------------------------------------------------
    def write(self, data: Any) -> int:
        self._check(False)
        assert self._compressor is not None
        view = byte_view(data, "data")
        out = self._compressor.compress(view)
        if out:
            self._fp.write(out)
        self._written += len(view)
        return len(view)

    def flush(self) -> None:
        self._check()
        if self._compressor is not None:
            self._fp.flush()

    def close(self) -> None:
        """Finish the member (writing) and close the file if it was opened here."""
        fp = self._fp
        if fp is None:
            return
        try:
            if self._compressor is not None:
                fp.write(self._compressor.flush())
            elif self._reader is not None:
                self._reader.close()
        finally:
            self._fp = None
            if self._own:
                fp.close()


def open(
    file: Any,
    mode: str = "rb",
    *,
    level: int = F.DEFAULT_LEVEL,
    encoding: str | None = None,
    errors: str | None = None,
    newline: str | None = None,
    max_size: int | None = None,
) -> PfxFile | io.TextIOWrapper:
    """Open a container file in binary or text mode, as gzip.open.

    Parameters
    ----------
    file : str, bytes, path-like or file object
        A path, or a binary file object to read from or write to.
    mode : str
        ``"r"``, ``"w"``, ``"x"`` or ``"a"`` (append a new member), with ``"b"``
        (binary, the default) or ``"t"`` (text). Default ``"rb"``.
    level : int
        1 to 9 when writing, as for :func:`prefixcode.compress`.
    encoding, errors, newline : str, optional
        For text modes only, as for ``io.TextIOWrapper``.
    max_size : int, optional
        When reading: raise FormatError before returning more than this many
        decompressed bytes.

    Returns
    -------
    PfxFile, or io.TextIOWrapper around one in text modes.

    Examples
    --------
    >>> import os, tempfile, prefixcode as pc
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.pfx")
    >>> with pc.open(path, "wt", encoding="utf-8") as f:
    ...     _ = f.write("première ligne\\n")
    >>> with pc.open(path, "at", encoding="utf-8") as f:   # a second member
    ...     _ = f.write("second line\\n")
    >>> with pc.open(path, "rt", encoding="utf-8") as f:
    ...     list(f)
    ['première ligne\\n', 'second line\\n']
    """
    if not isinstance(mode, str) or mode not in _MODES + _TEXT_MODES:
        raise bad_argument("mode", "r, w, x or a, with b (binary, the default) or t (text)", mode)
    if "t" not in mode:
        for name, value in (("encoding", encoding), ("errors", errors), ("newline", newline)):
            if value is not None:
                raise bad_argument(name, "None in binary mode", value)
    binary = PfxFile(file, mode.replace("t", ""), level=level, max_size=max_size)
    if "t" in mode:
        return io.TextIOWrapper(binary, io.text_encoding(encoding), errors, newline)
    return binary

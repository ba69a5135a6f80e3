"""The one check of byte input: any contiguous buffer of bytes, seen as a memoryview.

Used by the container (which must not import numpy), the codec and the distributions.
"""

from __future__ import annotations

from .errors import bad_argument

__all__ = ["byte_view"]


def byte_view(data: object, name: str) -> memoryview:
    """`data` as a flat, contiguous memoryview of unsigned bytes, or a PrefixCodeError.

    Accepts ``bytes``, ``bytearray``, ``memoryview`` and any object with the buffer
    protocol whose items are unsigned bytes (a numpy ``uint8`` array, ``array.array('B')``,
    ``mmap``); a strided view is copied in logical order. Strings are refused: they have
    no single byte form.

    Examples
    --------
    >>> from prefixcode._bytes import byte_view
    >>> byte_view(b"abc", "data").tobytes()
    b'abc'
    >>> byte_view("abc", "data")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    prefixcode.errors.PrefixCodeError: argument 'data' must be a bytes-like object (...), got 'abc'
    """
    if isinstance(data, bytes):
        return memoryview(data)
    try:
        mv = memoryview(data)  # type: ignore[arg-type]
    except TypeError:
        raise bad_argument(name, "a bytes-like object (bytes, bytearray, memoryview, a uint8 array)",
                           data) from None
    if mv.itemsize != 1 or mv.format not in ("B", "c", "<B", "=B", "@B"):
        raise bad_argument(name, "a buffer of single bytes (uint8), not of items of "
                           f"{mv.itemsize} bytes ({mv.format!r})", data)
    if not mv.contiguous:
        mv = memoryview(mv.tobytes())  # (a strided view: its bytes in logical order)
    if mv.ndim != 1 or mv.format != "B":
        mv = mv.cast("B")
    return mv

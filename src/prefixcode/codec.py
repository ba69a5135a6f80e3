"""Encode messages to bitstreams with a prefix code, and decode them back.

Any hashable symbols go through bitarray's C encoder and its decode tree; byte strings
and integer numpy arrays take a compiled fast path (the C kernels of ``_core``) and come back as
the type they were given (``decode(bits, code, into=bytes)``). Long iterables stream
through :func:`iter_encode` and :func:`iter_decode` in bounded memory.

Errors name what went wrong and where: an unknown symbol (with its index in the
message) raises :class:`~prefixcode.errors.CodeError`; bits that end inside a codeword
or a bit path that leads to no symbol raise :class:`~prefixcode.errors.DecodeError`
with the bit offset. Both are :class:`~prefixcode.errors.PrefixCodeError`.

The bitstream is the concatenation of the codewords, first digit first; bit ``i`` of
the stream is bit ``i`` of the returned bitarray (bitarray's default big-endian bit
order), so ``bits.tobytes()`` pads the last byte with zeros.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from bitarray import bitarray, decodetree

from ._bytes import byte_view
from ._core import _ext
from .code import PrefixCode
from .errors import CodeError, DecodeError, bad_argument, show

__all__ = [
    "decode",
    "encode",
    "iter_decode",
    "iter_encode",
]

# The compiled packer keeps up to 7 pending bits in a 64-bit accumulator, so codewords
# of up to 56 bits take the fast path; longer ones (very skewed codes) use bitarray.
_FAST_MAX_LENGTH = 56
# Integer symbols spanning at most this many values get a lookup table.
_FAST_MAX_SPAN = 1 << 20
_FAST_MAX_DECODE = 1 << 16
_CHUNK = 1 << 16


@dataclass(frozen=True)
class _Tables:
    """What coding with one code needs, built once per code (codes are immutable)."""

    words: dict  # symbol -> frozenbitarray
    tree: Any  # bitarray.decodetree
    lengths: dict  # symbol -> int
    max_length: int
    # Fast path (integer symbols only): lookup tables indexed by symbol - offset.
    offset: int | None = None
    codes: np.ndarray | None = None  # uint64 codeword values, most significant bit first
    lens: np.ndarray | None = None  # int64 codeword lengths, 0 where no symbol
    values: np.ndarray | None = None  # symbol values in code order, for decoding
    dtype: Any = None  # smallest integer dtype holding every symbol
    decoder: tuple | None = None  # (k, table, child, leaf) for _ext.codec_unpack
    min_length: int = 1


def _is_int_symbol(s: object) -> bool:
    return isinstance(s, (int, np.integer)) and not isinstance(s, (bool, np.bool_))


def _tables(code: PrefixCode) -> _Tables:
    """The codec's tables for `code`, built once and kept in the code's own cache of
    derived values (a PrefixCode never changes, so they live and die with it)."""
    cache = code._cache
    t = cache.get("codec_tables")
    if t is None:
        t = cache["codec_tables"] = _build_tables(code)
    return t


def _build_tables(code: PrefixCode) -> _Tables:
    words = dict(code.bitarrays)
    lengths = dict(code.lengths)
    max_length = max(lengths.values())
    tree = decodetree(words)
    symbols = code.symbols
    if not (all(_is_int_symbol(s) for s in symbols) and max_length <= _FAST_MAX_LENGTH):
        return _Tables(words, tree, lengths, max_length)
    lo, hi = int(min(symbols)), int(max(symbols))
    if hi - lo >= _FAST_MAX_SPAN:
        return _Tables(words, tree, lengths, max_length)
    index = np.array([int(s) - lo for s in symbols], dtype=np.int64)
    codes = np.zeros(hi - lo + 1, dtype=np.uint64)
    lens = np.zeros(hi - lo + 1, dtype=np.int64)
    codes[index] = code.codeword_ints
    lens[index] = code.length_array
    dtype = next(d for d in (np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32, np.int64)
                 if np.iinfo(d).min <= lo and hi <= np.iinfo(d).max)
    values = np.array([int(s) for s in symbols], dtype=dtype)
    # The decoder's trie is built in Python: large alphabets decode through bitarray.
    decoder = None
    if len(symbols) <= _FAST_MAX_DECODE:
        decoder = _decoder_tables(code.codeword_ints, code.length_array)
    return _Tables(words, tree, lengths, max_length, lo, codes, lens, values, dtype, decoder,
                   int(code.length_array.min()))


_TABLE_BITS = 12


def _decoder_tables(ints: np.ndarray, lengths: np.ndarray) -> tuple:
    """The look-up table and the trie behind it for the compiled decoder."""
    # The trie: node 0 is the root; child[2 * node + bit] is -1 where no codeword goes.
    child = [-1, -1]
    leaf = [-1]
    for i, (c, ln) in enumerate(zip(ints.tolist(), lengths.tolist())):
        node = 0
        for j in range(ln - 1, -1, -1):
            bit = (c >> j) & 1
            if child[2 * node + bit] < 0:
                child[2 * node + bit] = len(leaf)
                child += [-1, -1]
                leaf.append(-1)
            node = child[2 * node + bit]
        leaf[node] = i
    k = min(int(lengths.max()), _TABLE_BITS)
    # One int32 per k-bit pattern (see _core/codec.c): 64 * symbol index + length
    # for a codeword, -length for a path out of the code, -64 - node past k bits.
    table = np.zeros(1 << k, dtype=np.int32)
    stack = [(0, 0, 0)]  # (node, depth, bits so far)
    while stack:
        node, depth, prefix = stack.pop()
        lo, hi = prefix << (k - depth), (prefix + 1) << (k - depth)
        if leaf[node] >= 0:
            table[lo:hi] = 64 * leaf[node] + depth
        elif depth == k:
            table[lo] = -64 - node
        else:
            for bit in (0, 1):
                nxt = child[2 * node + bit]
                if nxt < 0:
                    half = (2 * prefix + bit) << (k - depth - 1)
                    table[half : half + (1 << (k - depth - 1))] = -(depth + 1)
                else:
                    stack.append((nxt, depth + 1, 2 * prefix + bit))
    return (k, table, np.array(child, dtype=np.int64), np.array(leaf, dtype=np.int64))


def _is_stream_code(code: Any) -> bool:
    """The coders of :mod:`prefixcode.stream` (arithmetic, ANS, adaptive Huffman) code a
    message as a whole; encode and decode hand them the work."""
    return getattr(type(code), "_is_stream_code", False) is True


def _check_code(code: Any) -> _Tables:
    if not isinstance(code, PrefixCode):
        raise bad_argument("code", "a PrefixCode", code)
    if code.arity != 2:
        raise bad_argument("code", "a binary code (arity 2) to make a bitstream", code, CodeError)
    return _tables(code)


def _unknown_symbol(symbol: object, index: int) -> CodeError:
    return CodeError(
        f"argument 'message' must hold only symbols of the code, got {show(symbol)} at index {index}"
    )


def _as_int_array(message: Any) -> np.ndarray | None:
    """A 1-d integer view of bytes-like or integer-array messages, else None."""
    if isinstance(message, (bytes, bytearray, memoryview)):
        return np.frombuffer(byte_view(message, "message"), dtype=np.uint8)
    if isinstance(message, np.ndarray) and message.dtype.kind in "iu":
        return np.ascontiguousarray(message.reshape(-1))
    return None


def _encode_fast(arr: np.ndarray, t: _Tables, start: int = 0) -> bitarray:
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    buf, nbits, bad = _ext.codec_pack(arr, t.codes, t.lens, t.offset)
    if bad >= 0:
        raise _unknown_symbol(arr[bad].item(), start + bad)
    out = bitarray()
    out.frombytes(buf)
    del out[nbits:]
    return out


def _encode_array(arr: np.ndarray, t: _Tables, start: int = 0) -> bitarray:
    """An integer array: the compiled packer when the code has integer tables, else bitarray."""
    if t.codes is not None:
        return _encode_fast(arr, t, start)
    out = bitarray()
    _encode_general(arr.tolist(), t, out, start)
    return out


def _encode_general(message: Any, t: _Tables, out: bitarray, start: int = 0) -> None:
    if not isinstance(message, (list, tuple, str)):
        message = list(message)
    try:
        out.encode(t.words, message)
    except (ValueError, TypeError):
        for i, s in enumerate(message):
            try:
                known = s in t.words
            except TypeError:  # unhashable
                known = False
            if not known:
                raise _unknown_symbol(s, start + i) from None
        raise  # pragma: no cover - bitarray failed for another reason


def encode(message: Iterable[Hashable] | bytes | np.ndarray, code: Any) -> bitarray:
    """Encode `message` with a binary prefix `code`: the concatenated codewords.

    `code` may also be one of the coders of :mod:`prefixcode.stream`
    (:class:`~prefixcode.stream.ArithmeticCode`, :class:`~prefixcode.stream.ANSCode`,
    :class:`~prefixcode.stream.AdaptiveHuffman`), which code the message as a whole.

    Parameters
    ----------
    message : iterable of symbols, str, bytes or integer numpy array
        The symbols to encode, each one a symbol of `code`. Bytes-like messages and
        integer arrays take a compiled fast path (the code's symbols must be integers);
        an array of several dimensions is read in C order.
    code : PrefixCode
        A binary prefix code.

    Returns
    -------
    bitarray
        The bitstream, ``sum(code.lengths[s] for s in message)`` bits long.

    Raises
    ------
    CodeError
        A symbol of `message` is not in `code` (the error names it and its index), or
        the code is not binary.

    Examples
    --------
    >>> import prefixcode as pc
    >>> code = pc.PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"})
    >>> pc.encode("abcab", code)
    bitarray('01011010')
    >>> pc.encode(b"\\x00\\x01", pc.PrefixCode.from_lengths([1, 1]))
    bitarray('01')
    """
    if _is_stream_code(code):
        return code.encode(message)
    t = _check_code(code)
    arr = _as_int_array(message)
    if arr is not None:
        return _encode_array(arr, t)
    out = bitarray()
    _encode_general(message, t, out)
    return out


def iter_encode(
    message: Iterable[Hashable], code: PrefixCode, *, chunk_size: int = _CHUNK
) -> Iterator[bitarray]:
    """Encode a long iterable piece by piece: yields bitarrays whose concatenation is
    ``encode(message, code)``.

    Parameters
    ----------
    message : iterable of symbols (or bytes / integer array)
        Read `chunk_size` symbols at a time; never held in memory as a whole.
    code : PrefixCode
        A binary prefix code.
    chunk_size : int, optional
        Symbols per yielded piece (default 65536).

    Examples
    --------
    >>> import prefixcode as pc
    >>> code = pc.PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"})
    >>> [str(b.to01()) for b in pc.iter_encode(iter("abcab"), code, chunk_size=2)]
    ['010', '110', '10']
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise bad_argument("chunk_size", "a positive integer", chunk_size)
    t = _check_code(code)
    arr = _as_int_array(message)
    if arr is not None:
        for start in range(0, arr.shape[0], chunk_size):
            yield _encode_array(arr[start : start + chunk_size], t, start)
        return
    it = iter(message)
    start = 0
    while True:
        piece = list(itertools.islice(it, chunk_size))
        if not piece:
            return
        out = bitarray()
        _encode_general(piece, t, out, start)
        start += len(piece)
        yield out


# bitarray's own messages carry the bit offsets; if a version words them differently the
# offsets are recomputed from the symbols decoded so far.
_INCOMPLETE = re.compile(r"incomplete prefix code at position (\d+)")
_UNRECOGNIZED = re.compile(r"unrecognized in bitarray at position (\d+) \.\. (\d+)")


def _iterdecode(bits: bitarray, tree: Any) -> Iterator:
    """bitarray's lazy decoder: ``decode`` from 3.0 on, ``iterdecode`` before (decode gave a list)."""
    lazy = getattr(bits, "iterdecode", None)
    return lazy(tree) if lazy is not None else bits.decode(tree)


def _as_bits(bits: Any, name: str = "bits") -> bitarray:
    if isinstance(bits, bitarray):
        return bits
    if isinstance(bits, str) and set(bits) <= {"0", "1"}:
        return bitarray(bits)
    raise bad_argument(name, "a bitarray or a string of 0s and 1s", bits)


def _consumed(symbols: list, t: _Tables) -> int:
    return sum(t.lengths[s] for s in symbols)


def _no_codeword(bits: bitarray, a: int, b: int, base: int) -> DecodeError:
    return DecodeError(
        f"the bits at offsets {base + a}..{base + b} lead to no codeword of the code"
        f" (bits {bits[a:b + 1].to01()!r})"
    )


def _inside_codeword(bits: bitarray, pos: int, base: int) -> DecodeError:
    return DecodeError(
        f"the bits end inside a codeword: {len(bits) - pos} bit(s) left over at offset"
        f" {base + pos} ({bits[pos:].to01()!r})"
    )


def _decode_into(bits: bitarray, t: _Tables, out: list, base: int, final: bool) -> int:
    """Decode `bits` appending symbols to `out`; return the offset where decoding stopped.

    A trailing partial codeword is an error when `final`, else its offset is returned
    so the caller can carry it over. `base` is the offset of `bits` in the whole stream.
    """
    n0 = len(out)
    try:
        out.extend(_iterdecode(bits, t.tree))
    except ValueError as e:
        text = str(e)
        m = _UNRECOGNIZED.search(text)
        if m:
            raise _no_codeword(bits, int(m.group(1)), int(m.group(2)), base) from None
        m = _INCOMPLETE.search(text)
        pos = int(m.group(1)) if m else _consumed(out[n0:], t)
        if final:
            raise _inside_codeword(bits, pos, base) from None
        return pos
    return len(bits)


def _decode_fast(bits: bitarray, t: _Tables) -> np.ndarray:
    """Decode integer symbols with the compiled table decoder into an array of t.dtype."""
    assert t.decoder is not None and t.values is not None
    k, table, child, leaf = t.decoder
    if bits.endian != "big":
        bits = bitarray(bits, endian="big")
    nbits = len(bits)
    buf = np.frombuffer(bits.tobytes() + bytes(8), dtype=np.uint8)
    out = np.empty(nbits // t.min_length + 1, dtype=t.dtype)
    n, status, a, b = _ext.codec_unpack(buf, nbits, k, table, child, leaf, t.values, out)
    if status == 1:
        raise _inside_codeword(bits, a, 0)
    if status == 2:
        raise _no_codeword(bits, a, b, 0)
    return out[:n].copy() if n < out.shape[0] // 2 else out[:n]


def _convert(symbols: list | np.ndarray, into: Any, t: _Tables) -> Any:
    if into is list:
        return symbols if isinstance(symbols, list) else symbols.tolist()
    if into is str:
        try:
            return "".join(symbols)
        except TypeError:
            raise bad_argument("into", "str only for a code of strings", into) from None
    if into in (bytes, bytearray):
        try:
            if isinstance(symbols, np.ndarray):
                if symbols.dtype != np.uint8:
                    raise ValueError
                return into(symbols.tobytes())
            return into(symbols)
        except (ValueError, TypeError):
            raise bad_argument("into", f"{into.__name__} only for a code of byte values 0..255",
                               into) from None
    dtype = (t.dtype if t.dtype is not None else np.int64) if into is np.ndarray else into
    try:
        if dtype is None:
            raise TypeError
        dtype = np.dtype(dtype)
    except TypeError:
        raise bad_argument("into", "list, str, bytes, bytearray, numpy.ndarray or a numpy dtype",
                           into) from None
    try:
        return np.asarray(symbols, dtype=dtype)
    except (ValueError, TypeError):
        raise bad_argument("into", "a numpy dtype that holds the code's symbols", into) from None


class _NoTables:
    dtype = None


def decode(bits: bitarray | str, code: Any, *, into: Any = list, length: int | None = None) -> Any:
    """Decode a bitstream made by :func:`encode`: the exact inverse.

    Parameters
    ----------
    bits : bitarray or str of 0s and 1s
        The concatenated codewords; every bit must belong to a codeword.
    code : PrefixCode
        The binary prefix code the bits were encoded with.
    into : type, optional
        What to return: ``list`` (default), ``str`` (joins one-character symbols),
        ``bytes`` or ``bytearray`` (symbols 0..255), ``numpy.ndarray`` (the smallest
        integer dtype holding the code's symbols) or a numpy dtype.
    length : int, optional
        The number of symbols. A prefix code's stream must then hold exactly that many;
        the coders of :mod:`prefixcode.stream` (``code.decode``) need it where the stream
        does not mark its end (arithmetic and ANS codes).

    Returns
    -------
    list, str, bytes, bytearray or numpy.ndarray
        The decoded symbols.

    Raises
    ------
    DecodeError
        The bits end inside a codeword, or a bit path leads to no symbol (possible for
        an incomplete code); the message names the bit offset. Or the stream holds another
        number of symbols than `length`.

    Examples
    --------
    >>> import prefixcode as pc
    >>> code = pc.PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"})
    >>> pc.decode(pc.encode("abcab", code), code, into=str)
    'abcab'
    >>> pc.decode("0101", code)
    Traceback (most recent call last):
    ...
    prefixcode.errors.DecodeError: the bits end inside a codeword: 1 bit(s) left over at offset 3 ('1')
    """
    if length is not None and (isinstance(length, bool) or not isinstance(length, int) or length < 0):
        raise bad_argument("length", "a non-negative integer", length)
    if _is_stream_code(code):
        return _convert(code.decode(bits, length), into, _NoTables)
    t = _check_code(code)
    bits = _as_bits(bits)
    if t.decoder is not None:
        symbols = _decode_fast(bits, t)
    else:
        symbols = []
        _decode_into(bits, t, symbols, 0, final=True)
    if length is not None and len(symbols) != length:
        raise DecodeError(f"the bits hold {len(symbols)} symbols, not length={length}")
    return _convert(symbols, into, t)


def iter_decode(bits: bitarray | Iterable[bitarray], code: PrefixCode) -> Iterator[Hashable]:
    """Decode a bitstream given whole or in pieces, yielding symbols as they complete.

    Parameters
    ----------
    bits : bitarray, str of 0s and 1s, or an iterable of these
        The stream, or consecutive pieces of it (for example from :func:`iter_encode`);
        a codeword may straddle two pieces.
    code : PrefixCode
        The binary prefix code the bits were encoded with.

    Raises
    ------
    DecodeError
        As :func:`decode`, with offsets counted from the start of the whole stream. The
        error comes when the bad bits are reached; symbols before them were yielded.

    Examples
    --------
    >>> import prefixcode as pc
    >>> code = pc.PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"})
    >>> list(pc.iter_decode(["01", "01", "1"], code))
    ['a', 'b', 'c']
    """
    t = _check_code(code)
    pieces = [bits] if isinstance(bits, (bitarray, str)) else bits
    carry = bitarray()
    base = 0  # stream offset of carry[0]
    for piece in pieces:
        piece = _as_bits(piece, "bits")
        buf = carry + piece if carry else piece
        out: list = []
        stop = _decode_into(buf, t, out, base, final=False)
        yield from out
        carry = buf[stop:]
        base += stop
    if carry:
        _decode_into(carry, t, [], base, final=True)

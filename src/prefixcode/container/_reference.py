"""A slow, plain reference coder of the .pfx container, written from docs/format.md.

This module is the oracle the fast coder is tested against. It follows the
specification section by section, in the same order, with the same names, and uses
nothing but the standard library. Read it next to docs/format.md:

- "Layout": :func:`write_varint` / :func:`read_varint`, :func:`write_header` /
  :func:`read_header`, :func:`write_trailer` / :func:`read_trailer`;
- "Coded blocks", **Code**: :func:`code_lengths` in the encoder's three steps
  (:func:`huffman_order`, :func:`two_queue_huffman`, :func:`adjust_bits`), and
  :func:`canonical_codewords`;
- **Bit order**: :class:`BitWriter` and :class:`BitReader`;
- **Table**: :func:`meta_symbols`, :func:`write_table` / :func:`read_table`;
- **Streams**: :func:`quarters`, :func:`write_streams` / :func:`decode_stream`;
- "How the encoder chooses blocks": :func:`LOG`, :func:`F`, :func:`cost`,
  :func:`plan`, and the block mode choice in :func:`encode_block`;
- "Damaged input": every reader raises :class:`~prefixcode.errors.FormatError` with the
  offset of the problem; :func:`decompress` walks all block headers before decoding.

Speed is not a goal here: a megabyte takes a few seconds each way.
"""

from __future__ import annotations

import zlib
from collections import Counter
from typing import NamedTuple

from ..errors import FormatError, bad_argument

__all__ = [
    "LOG",
    "F",
    "adjust_bits",
    "canonical_codewords",
    "code_lengths",
    "compress",
    "cost",
    "decode_block",
    "decompress",
    "encode_block",
    "huffman_order",
    "plan",
    "two_queue_huffman",
]

# ------------------------------------------------------------------------------------
# Constants ("Layout", "Coded blocks", "How the encoder chooses blocks")

MAGIC = b"PFXC"
VERSION = 1
FLAGS = 0
HEADER_SIZE = 6  # magic, version, flags
TRAILER_SIZE = 13  # end marker, u64 length, u32 CRC-32

END, RAW, RUN, CODED = 0, 1, 2, 3  # block types

MAX_BLOCK = 1 << 20  # largest block (and the size of a planning chunk), in bytes
MAX_VARINT_BYTES = 4
CODE_BITS = 11  # longest codeword of a block's code
META_SYMBOLS = 15  # the meta code's alphabet: 0..11 lengths, 12, 13, 14 repeats
META_BITS = 7  # longest codeword of the meta code
META_LENGTH_BITS = 3  # each meta code length is stored in 3 bits
MAX_TABLE = 512  # largest table, in bytes
REPEAT, ZEROS, MANY_ZEROS = 12, 13, 14  # the meta symbols that stand for runs

UNIT = 4096  # planning unit, in bytes
TABLE_PRICE = 384  # bits: the planner's price of one more block
ONE_BIT = 1 << 24  # costs are in units of 2**-24 bits


def _error(offset: int, message: str) -> FormatError:
    """The one message template of this module: where, then what."""
    return FormatError(f"at offset {offset}: {message}")


# ------------------------------------------------------------------------------------
# Layout: varints


def write_varint(value: int) -> bytes:
    """LEB128: 7 bits per byte, low group first, high bit set on all but the last byte.

    Examples
    --------
    >>> write_varint(300).hex()
    'ac02'
    """
    if not 0 <= value < 1 << (7 * MAX_VARINT_BYTES):
        raise ValueError(f"varint out of range: {value}")
    out = bytearray()
    while True:
        group = value & 0x7F
        value >>= 7
        if value:
            out.append(group | 0x80)
        else:
            out.append(group)
            return bytes(out)


def read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    """Read a varint at ``buf[pos]``; return it and the offset after it.

    At most 4 bytes; a last byte of 0 after others (a non-canonical encoding) is
    refused.

    Examples
    --------
    >>> read_varint(bytes([0xAC, 0x02]), 0)
    (300, 2)
    """
    value = 0
    for i in range(MAX_VARINT_BYTES):
        if pos + i >= len(buf):
            raise _error(pos + i, "truncated: the input ends inside a varint")
        byte = buf[pos + i]
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            if byte == 0 and i > 0:
                raise _error(pos, "non-canonical varint (a last byte of 0)")
            return value, pos + i + 1
    raise _error(pos, f"varint longer than {MAX_VARINT_BYTES} bytes")


# ------------------------------------------------------------------------------------
# Layout: header and trailer


def write_header() -> bytes:
    """The 6 header bytes: magic, version, flags."""
    return MAGIC + bytes([VERSION, FLAGS])


def read_header(buf: bytes, pos: int = 0) -> int:
    """Check the header at ``buf[pos]`` (magic, then version, then flags); return the
    offset after it."""
    for i, expected in enumerate(MAGIC):
        if pos + i >= len(buf):
            raise _error(pos + i, "truncated: the input ends inside the magic bytes")
        if buf[pos + i] != expected:
            raise _error(pos, f"not a prefixcode container (magic {bytes(buf[pos:pos + 4])!r})")
    if len(buf) < pos + 5:
        raise _error(pos + 4, "truncated: the input ends before the version byte")
    if buf[pos + 4] != VERSION:
        raise _error(pos + 4, f"unknown container version {buf[pos + 4]} (this reader knows {VERSION})")
    if len(buf) < pos + 6:
        raise _error(pos + 5, "truncated: the input ends before the flags byte")
    if buf[pos + 5] != FLAGS:
        raise _error(pos + 5, f"unknown flags {buf[pos + 5]:#04x}")
    return pos + HEADER_SIZE


def write_trailer(data: bytes) -> bytes:
    """The 13 trailer bytes: the end marker, the length (u64) and the CRC-32 (u32)."""
    crc = zlib.crc32(data)
    return bytes([END]) + len(data).to_bytes(8, "little") + crc.to_bytes(4, "little")


def read_trailer(buf: bytes, pos: int) -> tuple[int, int]:
    """Read the trailer whose end marker is at ``buf[pos]``; return (length, crc)."""
    if pos + TRAILER_SIZE > len(buf):
        raise _error(pos, "truncated: the input ends inside the trailer")
    length = int.from_bytes(buf[pos + 1 : pos + 9], "little")
    crc = int.from_bytes(buf[pos + 9 : pos + 13], "little")
    return length, crc


# ------------------------------------------------------------------------------------
# Coded blocks, Code: the encoder's three steps


def huffman_order(counts: list[int]) -> list[int]:
    """Step 1: the symbols present, by count ascending, equal counts by symbol descending.

    Examples
    --------
    >>> huffman_order([5, 0, 2, 2, 1])
    [4, 3, 2, 0]
    """
    present = [s for s, c in enumerate(counts) if c > 0]
    return sorted(present, key=lambda s: (counts[s], -s))


def two_queue_huffman(weights: list[int]) -> list[int]:
    """Step 2: Huffman's code lengths of ``weights`` (sorted ascending), by two queues.

    The leaves wait in one queue, in the given order; the merged nodes join a second
    queue, in the order they are made (their weights never decrease). Each step takes
    the two lightest fronts, the merged node first on equal weight, and merges them.
    Returns the leaves' lengths, in the given order (they never increase).

    Examples
    --------
    >>> two_queue_huffman([1, 1, 2, 4])
    [3, 3, 2, 1]
    """
    k = len(weights)
    if k == 0:
        return []
    if k == 1:
        return [1]
    # nodes 0..k-1 are the leaves; k, k+1, ... the merged nodes in the order made
    weight = list(weights)
    parent = [-1] * k
    next_leaf = 0
    next_merged = k

    def take_lightest() -> int:
        nonlocal next_leaf, next_merged
        merged_left = next_merged < len(weight)
        if merged_left and (next_leaf == k or weight[next_merged] <= weight[next_leaf]):
            node = next_merged
            next_merged += 1
        else:
            node = next_leaf
            next_leaf += 1
        return node

    for _ in range(k - 1):
        a = take_lightest()
        b = take_lightest()
        new = len(weight)
        weight.append(weight[a] + weight[b])
        parent.append(-1)
        parent[a] = new
        parent[b] = new
    # depths from the root (the last node made) down: parents are made after children
    depth = [0] * len(weight)
    for node in range(len(weight) - 2, -1, -1):
        depth[node] = depth[parent[node]] + 1
    return depth[:k]


def adjust_bits(lengths: list[int], max_len: int) -> list[int]:
    """Step 3: JPEG's Adjust_BITS (ITU T.81, K.3) cuts lengths to ``max_len``.

    ``lengths`` are in the order of step 1 (lightest first). The number of codes of each
    length is adjusted: for L from the longest length down to max_len + 1, while codes
    of length L remain, two of them go: one moves up to L - 1, the other becomes the
    sibling of a code of the longest length J <= L - 2 in use (both now J + 1). The new
    lengths go, longest first, to the symbols in the given order.

    Examples
    --------
    >>> adjust_bits([4, 4, 3, 2, 1], 3)
    [3, 3, 3, 3, 1]
    """
    longest = max(lengths, default=0)
    if longest <= max_len:
        return list(lengths)
    count = [0] * (longest + 1)  # count[L]: how many codes have length L
    for length in lengths:
        count[length] += 1
    for L in range(longest, max_len, -1):
        while count[L] > 0:
            J = L - 2
            while J > 0 and count[J] == 0:
                J -= 1
            if J == 0:
                raise ValueError(f"{len(lengths)} symbols do not fit in codes of {max_len} bits")
            count[L] -= 2
            count[L - 1] += 1
            count[J + 1] += 2
            count[J] -= 1
    new_lengths = []
    for length in range(max_len, 0, -1):  # longest first
        new_lengths += [length] * count[length]
    return new_lengths


def code_lengths(counts: list[int], max_len: int) -> list[int]:
    """The encoder's code lengths for a histogram, by the three steps of docs/format.md.

    Parameters
    ----------
    counts : list of int
        How often each symbol occurs (256 byte values for a block, 15 meta symbols for
        a table).
    max_len : int
        The longest length allowed (11 for a block, 7 for the meta code).

    Returns
    -------
    list of int
        One length per symbol, 0 for the symbols absent. A single symbol present gets
        length 1.

    Examples
    --------
    >>> code_lengths([10, 0, 1, 1, 3], 11)
    [1, 0, 3, 3, 2]
    >>> code_lengths([1, 1, 2, 4, 8], 3)
    [3, 3, 3, 3, 1]
    """
    order = huffman_order(counts)  # step 1
    if len(order) > 1 << max_len:
        raise ValueError(f"{len(order)} symbols do not fit in codes of {max_len} bits")
    lengths = two_queue_huffman([counts[s] for s in order])  # step 2
    lengths = adjust_bits(lengths, max_len)  # step 3
    result = [0] * len(counts)
    for symbol, length in zip(order, lengths):
        result[symbol] = length
    return result


def canonical_codewords(lengths: list[int]) -> list[int]:
    """Canonical codewords (RFC 1951, 3.2.2): shorter first, equal lengths by symbol.

    Returns the codeword of each symbol as an integer whose most significant of its
    ``lengths[s]`` bits is the codeword's first bit (0 for absent symbols).

    Examples
    --------
    >>> [format(c, "0{}b".format(n)) for c, n in zip(canonical_codewords([2, 1, 3, 3]), [2, 1, 3, 3])]
    ['10', '0', '110', '111']
    """
    longest = max(lengths, default=0)
    count = [0] * (longest + 1)
    for length in lengths:
        if length:
            count[length] += 1
    next_code = [0] * (longest + 1)  # the first codeword of each length
    code = 0
    for length in range(1, longest + 1):
        code = (code + count[length - 1]) << 1
        next_code[length] = code
    codewords = []
    for length in lengths:
        if length:
            codewords.append(next_code[length])
            next_code[length] += 1
        else:
            codewords.append(0)
    return codewords


def kraft_is_complete(lengths: list[int], max_len: int) -> bool:
    """Whether the non-zero lengths have a Kraft sum of exactly 1."""
    return sum(1 << (max_len - n) for n in lengths if n) == 1 << max_len


# ------------------------------------------------------------------------------------
# Coded blocks, Bit order: least significant bit first


class BitWriter:
    """Packs bits least significant bit first into bytes."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0  # bits not yet in a whole byte, the first one lowest
        self.nbits = 0

    def write_bits(self, value: int, nbits: int) -> None:
        """Append the ``nbits`` low bits of ``value``, its lowest bit first."""
        self.acc |= (value & ((1 << nbits) - 1)) << self.nbits
        self.nbits += nbits
        while self.nbits >= 8:
            self.out.append(self.acc & 0xFF)
            self.acc >>= 8
            self.nbits -= 8

    def write_codeword(self, codeword: int, length: int) -> None:
        """Append a codeword, its first (most significant) bit first."""
        reversed_bits = int(format(codeword, f"0{length}b")[::-1], 2)
        self.write_bits(reversed_bits, length)

    def finish(self) -> bytes:
        """Pad with zero bits to a whole byte and return the bytes."""
        if self.nbits:
            self.out.append(self.acc)
            self.acc = 0
            self.nbits = 0
        return bytes(self.out)


class BitReader:
    """Reads bits least significant bit first from ``buf[start:end]``.

    Reading beyond ``end`` is an error that names the offset; ``peek`` sees zero bits
    there, so a table look-up near the end is safe.
    """

    def __init__(self, buf: bytes, start: int, end: int) -> None:
        self.buf = buf
        self.start = start
        self.end = end
        self.pos = start  # next byte to load into acc
        self.acc = 0
        self.nbits = 0  # valid bits in acc (bytes loaded beyond end are not counted)
        self.bits_read = 0

    def _fill(self, nbits: int) -> None:
        while self.nbits < nbits and self.pos < self.end:
            self.acc |= self.buf[self.pos] << self.nbits
            self.pos += 1
            self.nbits += 8

    def peek(self, nbits: int) -> int:
        """The next ``nbits`` bits without consuming them (zeros past the end)."""
        self._fill(nbits)
        return self.acc & ((1 << nbits) - 1)

    def skip(self, nbits: int) -> None:
        """Consume ``nbits`` bits; an error if the range has fewer left."""
        self._fill(nbits)
        if nbits > self.nbits:
            raise _error(self.end, "truncated: a table or stream runs past its end")
        self.acc >>= nbits
        self.nbits -= nbits
        self.bits_read += nbits

    def read_bits(self, nbits: int) -> int:
        """Read ``nbits`` bits as a number, the first bit lowest."""
        value = self.peek(nbits)
        self.skip(nbits)
        return value

    def offset(self) -> int:
        """The offset of the byte that holds the next bit."""
        return self.start + self.bits_read // 8

    def bytes_used(self) -> int:
        """Whole bytes touched so far (the bits read, rounded up)."""
        return (self.bits_read + 7) // 8

    def padding_is_zero(self) -> bool:
        """Whether the rest of the current byte holds only zero bits."""
        return self.peek((-self.bits_read) % 8) == 0


def decoding_table(lengths: list[int], max_len: int) -> list[tuple[int, int] | None]:
    """The 2**max_len-entry table: low ``max_len`` bits -> (symbol, length), or None.

    A codeword's first bit is the lowest bit read, so its entry sits at its bit-reversed
    value, repeated for every value of the bits that follow it.
    """
    table: list[tuple[int, int] | None] = [None] * (1 << max_len)
    for symbol, (codeword, length) in enumerate(zip(canonical_codewords(lengths), lengths)):
        if not length:
            continue
        first_bits = int(format(codeword, f"0{length}b")[::-1], 2)
        for rest in range(1 << (max_len - length)):
            table[first_bits | (rest << length)] = (symbol, length)
    return table


def read_symbol(reader: BitReader, table: list[tuple[int, int] | None], max_len: int) -> int:
    """Decode one symbol with a decoding table."""
    entry = table[reader.peek(max_len)]
    if entry is None:
        raise _error(reader.offset(), "bits that are no codeword of the code")
    symbol, length = entry
    reader.skip(length)
    return symbol


# ------------------------------------------------------------------------------------
# Coded blocks, Table: the 256 lengths, run-length coded with the meta code


def meta_symbols(lengths: list[int]) -> list[tuple[int, int, int]]:
    """The encoder's meta symbols for 256 lengths, as (symbol, extra value, extra bits).

    The lengths are taken in maximal runs of one value. A run of r zeros: 14 while
    r >= 11 (covering min(r, 138)), then 13 if r >= 3 (covering the rest), then single
    0s. A run of r copies of a non-zero length: the length once, then 12 while 3 or more
    are left (covering min(left, 6)), then single copies.

    Examples
    --------
    >>> meta_symbols([0] * 20 + [3] * 9 + [2])
    [(14, 9, 7), (3, 0, 0), (12, 3, 2), (3, 0, 0), (3, 0, 0), (2, 0, 0)]
    """
    out: list[tuple[int, int, int]] = []
    i = 0
    while i < len(lengths):
        value = lengths[i]
        r = 1
        while i + r < len(lengths) and lengths[i + r] == value:
            r += 1
        i += r
        if value == 0:
            while r >= 11:
                covered = min(r, 138)
                out.append((MANY_ZEROS, covered - 11, 7))
                r -= covered
            if r >= 3:
                out.append((ZEROS, r - 3, 3))
                r = 0
            out += [(0, 0, 0)] * r
        else:
            out.append((value, 0, 0))
            left = r - 1
            while left >= 3:
                covered = min(left, 6)
                out.append((REPEAT, covered - 3, 2))
                left -= covered
            out += [(value, 0, 0)] * left
    return out


def write_table(lengths: list[int]) -> bytes:
    """The table of a block's 256 code lengths: meta code lengths, then meta symbols.

    Examples
    --------
    >>> lengths = [0] * 256
    >>> lengths[ord("a")] = lengths[ord("b")] = 1
    >>> read_table(write_table(lengths), 0, len(write_table(lengths))) == lengths
    True
    """
    symbols = meta_symbols(lengths)
    meta_counts = [0] * META_SYMBOLS
    for symbol, _, _ in symbols:
        meta_counts[symbol] += 1
    meta_lengths = code_lengths(meta_counts, META_BITS)
    meta_codewords = canonical_codewords(meta_lengths)
    writer = BitWriter()
    for length in meta_lengths:
        writer.write_bits(length, META_LENGTH_BITS)
    for symbol, extra, extra_bits in symbols:
        writer.write_codeword(meta_codewords[symbol], meta_lengths[symbol])
        writer.write_bits(extra, extra_bits)
    return writer.finish()


def read_table(buf: bytes, start: int, end: int) -> list[int]:
    """Read and check the table in ``buf[start:end]``; return the 256 code lengths.

    Checks: the meta code is complete or a single symbol of length 1; a repeat (12) has
    a non-zero length before it; the sequence covers exactly 256 lengths; the code is at
    most 11 bits, has at least two symbols and is complete; the padding bits are zero
    and the table ends in its last byte.
    """
    reader = BitReader(buf, start, end)
    meta_lengths = [reader.read_bits(META_LENGTH_BITS) for _ in range(META_SYMBOLS)]
    present = [n for n in meta_lengths if n]
    single = len(present) == 1 and present[0] == 1
    if not single and not kraft_is_complete(meta_lengths, META_BITS):
        raise _error(start, f"the meta code lengths {meta_lengths} are not a complete code")
    table = decoding_table(meta_lengths, META_BITS)

    lengths: list[int] = []
    while len(lengths) < 256:
        symbol = read_symbol(reader, table, META_BITS)
        if symbol <= CODE_BITS:
            lengths.append(symbol)
            continue
        if symbol == REPEAT:
            if not lengths or lengths[-1] == 0:
                raise _error(start, "a repeat (meta symbol 12) without a non-zero length before it")
            value, run = lengths[-1], 3 + reader.read_bits(2)
        elif symbol == ZEROS:
            value, run = 0, 3 + reader.read_bits(3)
        else:  # MANY_ZEROS
            value, run = 0, 11 + reader.read_bits(7)
        if len(lengths) + run > 256:
            raise _error(start, "the table's runs cover more than 256 lengths")
        lengths += [value] * run

    if not reader.padding_is_zero():
        raise _error(start + reader.bytes_used() - 1, "non-zero padding bits after the table")
    if start + reader.bytes_used() != end:
        raise _error(start, f"the table uses {reader.bytes_used()} bytes, its size says {end - start}")
    if sum(1 for n in lengths if n) < 2:
        raise _error(start, "a coded block's code needs at least two symbols")
    if not kraft_is_complete(lengths, CODE_BITS):
        raise _error(start, "the code lengths are not a complete code")
    return lengths


# ------------------------------------------------------------------------------------
# Coded blocks, Streams: 4 quarters, each its own bit stream


def quarters(n: int) -> list[tuple[int, int]]:
    """The (start, end) of the 4 consecutive quarters of n bytes.

    Quarter k holds ``n // 4`` bytes plus one if ``k < n % 4``.

    Examples
    --------
    >>> quarters(10)
    [(0, 3), (3, 6), (6, 8), (8, 10)]
    """
    out = []
    start = 0
    for k in range(4):
        size = n // 4 + (1 if k < n % 4 else 0)
        out.append((start, start + size))
        start += size
    return out


def write_streams(data: bytes, lengths: list[int]) -> list[bytes]:
    """Pack each quarter of ``data`` as its own LSB-first bit stream, padded to a byte."""
    codewords = canonical_codewords(lengths)
    streams = []
    for start, end in quarters(len(data)):
        writer = BitWriter()
        for byte in data[start:end]:
            writer.write_codeword(codewords[byte], lengths[byte])
        streams.append(writer.finish())
    return streams


def decode_stream(
    buf: bytes, start: int, end: int, table: list[tuple[int, int] | None], count: int
) -> bytes:
    """Decode exactly ``count`` bytes from the stream ``buf[start:end]``.

    The stream must end in its last byte, and its padding bits must be zero.
    """
    reader = BitReader(buf, start, end)
    out = bytearray(count)
    for i in range(count):
        out[i] = read_symbol(reader, table, CODE_BITS)
    if not reader.padding_is_zero():
        raise _error(start + reader.bytes_used() - 1, "non-zero padding bits after a stream")
    if start + reader.bytes_used() != end:
        raise _error(start, f"a stream of {end - start} bytes ends after {reader.bytes_used()}")
    return bytes(out)


# ------------------------------------------------------------------------------------
# How the encoder chooses blocks: integer costs


_log_small: dict[int, int] = {}


def LOG(c: int) -> int:  # the name of docs/format.md
    """An integer approximation of 2**32 * log2(c), the same on every machine.

    Examples
    --------
    >>> LOG(1), LOG(2) == 2**32, LOG(4096) == 12 * 2**32
    (0, True, True)
    >>> round(LOG(10) / 2**32, 6)
    3.321928
    """
    if c < 1:
        raise ValueError(f"LOG is defined for c >= 1, got {c}")
    if c <= 8192:
        if c not in _log_small:
            e = c.bit_length() - 1  # floor(log2 c)
            y = c << (31 - e)  # c / 2**e in [1, 2), with 31 fraction bits
            fraction = 0
            for _ in range(32):
                y = (y * y) >> 31
                fraction <<= 1
                if y >= 1 << 32:
                    fraction |= 1
                    y >>= 1
            _log_small[c] = (e << 32) + fraction
        return _log_small[c]
    s = c.bit_length() - 13
    m = c >> s
    r = c - (m << s)
    return (s << 32) + LOG(m) + (((LOG(m + 1) - LOG(m)) * r) >> s)


def F(c: int) -> int:  # the name of docs/format.md
    """c * log2(c) in units of 2**-24 bits (F(0) = 0).

    Examples
    --------
    >>> F(2) == 2 * 2**24
    True
    """
    return (c * LOG(c)) >> 8 if c else 0


def cost(h: list[int]) -> int:
    """The order-0 cost n * H0 of a histogram of n bytes, in units of 2**-24 bits.

    Examples
    --------
    >>> cost([2, 2] + [0] * 254) == 4 * 2**24
    True
    """
    return F(sum(h)) - sum(F(count) for count in h)


def histogram(data: bytes) -> list[int]:
    """The counts of the 256 byte values in ``data``."""
    counts = [0] * 256
    for value, count in Counter(data).items():
        counts[value] = count
    return counts


def plan(chunk: bytes) -> list[int]:
    """Cut a chunk (at most 1 MiB) into blocks; return the blocks' end offsets.

    The chunk is taken in units of 4096 bytes (the last one may be shorter), greedily
    from left to right: a unit u joins the current block B when
    cost(B + u) <= cost(B) + cost(u) + 384 * 2**24; otherwise it starts a new block.

    Examples
    --------
    >>> plan(b"")
    []
    >>> plan(bytes(5000))
    [5000]
    >>> plan(bytes(4096) + bytes(range(256)) * 16)
    [4096, 8192]
    """
    if len(chunk) > MAX_BLOCK:
        raise ValueError(f"a chunk holds at most {MAX_BLOCK} bytes, got {len(chunk)}")
    ends: list[int] = []
    block: list[int] | None = None
    block_cost = 0
    for start in range(0, len(chunk), UNIT):
        unit = histogram(chunk[start : start + UNIT])
        unit_cost = cost(unit)
        if block is not None:
            union = [a + b for a, b in zip(block, unit)]
            union_cost = cost(union)
            if union_cost <= block_cost + unit_cost + TABLE_PRICE * ONE_BIT:
                block, block_cost = union, union_cost
                continue
            ends.append(start)
        block, block_cost = unit, unit_cost
    if block is not None:
        ends.append(len(chunk))
    return ends


# ------------------------------------------------------------------------------------
# Blocks


def encode_block(data: bytes) -> bytes:
    """One block of 1..1 MiB bytes in the cheapest mode: run, coded or raw.

    A run if one byte value fills it; coded if ``bits / 8 + 11 < n`` (bits = the sum of
    count times length) and the coded block is smaller than the raw one by more than
    ``n / 64``; else raw.

    Examples
    --------
    >>> encode_block(b"aaaa").hex()
    '020461'
    >>> encode_block(b"ab").hex()
    '01026162'
    >>> decode_block(encode_block(b"abracadabra" * 10))[0] == b"abracadabra" * 10
    True
    """
    n = len(data)
    if not 1 <= n <= MAX_BLOCK:
        raise ValueError(f"a block holds 1..{MAX_BLOCK} bytes, got {n}")
    counts = histogram(data)
    if sum(1 for c in counts if c) == 1:
        return bytes([RUN]) + write_varint(n) + data[:1]
    raw = bytes([RAW]) + write_varint(n) + data
    lengths = code_lengths(counts, CODE_BITS)
    bits = sum(c * n_bits for c, n_bits in zip(counts, lengths))
    if bits / 8 + 11 < n:
        table = write_table(lengths)
        streams = write_streams(data, lengths)
        coded = bytes([CODED]) + write_varint(n) + write_varint(len(table)) + table
        coded += b"".join(write_varint(len(s)) for s in streams) + b"".join(streams)
        if 64 * (len(raw) - len(coded)) > n:  # (so also smaller than the raw block)
            return coded
    return raw


class Block(NamedTuple):
    """A block header as read and checked, without its streams decoded."""

    kind: int  # RAW, RUN or CODED
    n: int  # original bytes
    data_start: int  # raw: the bytes; run: the byte; coded: the first stream
    end: int  # offset after the block
    lengths: list[int] | None  # coded: the 256 code lengths
    stream_sizes: list[int] | None  # coded: the 4 stream sizes


def read_block(buf: bytes, pos: int) -> Block:
    """Read and check the block whose type byte is at ``buf[pos]`` (not END).

    In the order of "Damaged input": the type, n (1..MAX_BLOCK), the table size
    (1..512), the table, the stream sizes (their sum smaller than n and at least n / 8)
    and that every byte the block declares is present.
    """
    if pos >= len(buf):
        raise _error(pos, "truncated: the input ends before the trailer")
    kind = buf[pos]
    if kind not in (RAW, RUN, CODED):
        raise _error(pos, f"unknown block type {kind}")
    n, p = read_varint(buf, pos + 1)
    if not 1 <= n <= MAX_BLOCK:
        raise _error(pos + 1, f"block length {n} outside 1..{MAX_BLOCK}")
    if kind == RAW:
        if p + n > len(buf):
            raise _error(p, f"truncated: a raw block of {n} bytes, {len(buf) - p} left")
        return Block(RAW, n, p, p + n, None, None)
    if kind == RUN:
        if p + 1 > len(buf):
            raise _error(p, "truncated: the input ends before a run's byte")
        return Block(RUN, n, p, p + 1, None, None)
    tsize_pos = p
    tsize, p = read_varint(buf, p)
    if not 1 <= tsize <= MAX_TABLE:
        raise _error(tsize_pos, f"table size {tsize} outside 1..{MAX_TABLE}")
    if p + tsize > len(buf):
        raise _error(p, f"truncated: a table of {tsize} bytes, {len(buf) - p} left")
    lengths = read_table(buf, p, p + tsize)
    p += tsize
    sizes_pos = p
    sizes = []
    for _ in range(4):
        size, p = read_varint(buf, p)
        sizes.append(size)
    total = sum(sizes)
    if not total < n or not n <= 8 * total:
        raise _error(sizes_pos, f"stream sizes {sizes} do not fit a block of {n} bytes")
    if p + total > len(buf):
        raise _error(p, f"truncated: streams of {total} bytes, {len(buf) - p} left")
    return Block(CODED, n, p, p + total, lengths, sizes)


def decode_block(buf: bytes, pos: int = 0) -> tuple[bytes, int]:
    """Decode the block whose type byte is at ``buf[pos]``; return its bytes and its end.

    Examples
    --------
    >>> decode_block(bytes([2, 3, 0x7A]))
    (b'zzz', 3)
    """
    block = read_block(buf, pos)
    if block.kind == RAW:
        return bytes(buf[block.data_start : block.end]), block.end
    if block.kind == RUN:
        return bytes([buf[block.data_start]]) * block.n, block.end
    assert block.lengths is not None and block.stream_sizes is not None
    table = decoding_table(block.lengths, CODE_BITS)
    parts = []
    stream_start = block.data_start
    for (start, end), size in zip(quarters(block.n), block.stream_sizes):
        parts.append(decode_stream(buf, stream_start, stream_start + size, table, end - start))
        stream_start += size
    return b"".join(parts), block.end


# ------------------------------------------------------------------------------------
# Whole containers


def compress(data: bytes) -> bytes:
    """Compress ``data`` into a container, by the encoder rules of docs/format.md.

    The input is cut into chunks of 1 MiB, each planned on its own; each planned block
    is written in its cheapest mode.

    Parameters
    ----------
    data : bytes-like
        The bytes to compress.

    Returns
    -------
    bytes
        The container: header, blocks, trailer.

    Examples
    --------
    >>> blob = compress(b"abracadabra" * 100)
    >>> blob[:4], len(blob) < 1100
    (b'PFXC', True)
    >>> decompress(blob) == b"abracadabra" * 100
    True
    """
    data = bytes(data)
    out = [write_header()]
    for chunk_start in range(0, len(data), MAX_BLOCK):
        chunk = data[chunk_start : chunk_start + MAX_BLOCK]
        start = 0
        for end in plan(chunk):
            out.append(encode_block(chunk[start:end]))
            start = end
    out.append(write_trailer(data))
    return b"".join(out)


def decompress(blob: bytes) -> bytes:
    """Decode a file of one or more containers (members), checking everything
    docs/format.md's "Damaged input" lists.

    In each member, all block headers (and tables) are read and checked first, and the
    sum of the blocks' lengths compared with the trailer's, before any output is made.
    After a member comes the end of the input or another member: bytes that do not start
    with the magic are trailing bytes, an error.

    Parameters
    ----------
    blob : bytes-like
        One container, or several written one after another.

    Returns
    -------
    bytes
        The original data: the concatenation of the members' data.

    Raises
    ------
    FormatError
        For any damaged, truncated or unknown input, naming the offset or the stored
        and computed values.

    Examples
    --------
    >>> decompress(compress(b"hello") + compress(b", world")) == b"hello, world"
    True
    >>> decompress(b"PFXC\\x02\\x00")
    Traceback (most recent call last):
    ...
    prefixcode.errors.FormatError: at offset 4: unknown container version 2 (this reader knows 1)
    """
    try:
        buf = bytes(memoryview(blob))
    except TypeError:
        raise bad_argument("blob", "bytes-like", blob, FormatError) from None
    out = bytearray()
    pos = 0
    while True:
        data, pos = _member(buf, pos)
        out += data
        if pos == len(buf):
            return bytes(out)
        if buf[pos : pos + len(MAGIC)] != MAGIC[: len(buf) - pos]:
            raise _error(pos, "trailing bytes after the container")


def _member(buf: bytes, pos: int) -> tuple[bytes, int]:
    """Decode the member at ``buf[pos]``: (its data, the offset after its trailer)."""
    # walk: header, every block header, trailer
    pos = read_header(buf, pos)
    blocks = []
    total = 0
    while pos < len(buf) and buf[pos] != END:
        block = read_block(buf, pos)
        blocks.append((pos, block))
        total += block.n
        pos = block.end
    if pos >= len(buf):
        raise _error(pos, "truncated: the input ends before the trailer")
    trailer_pos = pos
    length, crc = read_trailer(buf, pos)
    if total != length:
        raise _error(trailer_pos, f"length mismatch: stored {length}, blocks hold {total}")

    # decode
    out = bytearray()
    for block_pos, _ in blocks:
        data, _ = decode_block(buf, block_pos)
        out += data
    computed = zlib.crc32(out)
    if computed != crc:
        raise _error(trailer_pos + 9, f"CRC-32 mismatch: stored {crc:#010x}, computed {computed:#010x}")
    return bytes(out), trailer_pos + TRAILER_SIZE

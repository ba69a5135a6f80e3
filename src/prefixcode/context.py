"""Context codes: one Huffman code per context of the k symbols before.

A context code of order k codes each symbol of a message with the Huffman code built for
the symbols that follow its context (the k symbols before it) in that message. Its
payload per symbol lies between the message's k-th order empirical entropy H_k
(:func:`~prefixcode.empirical_entropy`) and H_k + 1, as a Huffman code's does between H
and H + 1 for each context; the decoder must also be sent the codes, which the table
cost below counts.

Conventions (stated here once):

* The first k symbols have no full context. They are coded with the order-0 Huffman
  code of the whole message (:attr:`ContextCode.head_code`).
* A code with a single symbol costs no bits: a context that is always followed by the
  same symbol (and the head code of a message of one distinct symbol) sends nothing, as
  the container stores a block of one symbol as a run. Its :class:`PrefixCode` (with the
  one-symbol codeword ``'0'``) is still listed in :attr:`ContextCode.codes`.
* The table, the side information a decoder needs besides the bits, is counted as a
  stated number of bits (:meth:`ContextCode.table_bits`): with m the number of distinct
  symbols of the message, ``a = ceil(log2 m)`` bits to name one of them and
  ``w = ceil(log2(L + 1))`` bits to write a codeword length of at most L (the longest
  codeword of all the codes),

  - a header of 32 bits (the number of contexts) and 8 bits (w);
  - for k >= 1, the head code: m lengths of w bits;
  - per context that occurs: its k symbols (k * a bits), its number of distinct
    successors s (a bits) and each successor (a bits), with its codeword length (w bits)
    when s > 1.

  The alphabet itself (the m symbol values) is not counted: like the byte alphabet of
  the container it is taken as known to both sides. Lengths determine the codes because
  every code is canonical (:meth:`PrefixCode.from_lengths`).

The coder is written in plain Python for teaching and analysis (on English text, order 1
or 2, over a million symbols per second encoding and over half a million decoding).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
from bitarray import bitarray

from .code import PrefixCode
from .construct import huffman
from .distribution import Distribution
from .errors import CodeError, DecodeError, bad_argument
from .measures import _check_order, _context_counts, _message_indices

__all__ = [
    "ContextCode",
    "context_code",
]

_HEADER_BITS = 32 + 8


def _symbols_of(message: Any, name: str = "message") -> list:
    """The message as a list of Python symbols (bytes -> ints, arrays in C order)."""
    if isinstance(message, (bytes, bytearray, memoryview)):
        return list(bytes(message))
    if isinstance(message, np.ndarray):
        return message.reshape(-1).tolist()
    if message is None or isinstance(message, (numbers.Number, np.generic)):
        raise bad_argument(name, "a str, bytes, a sequence of hashable symbols or an integer array", message)
    try:
        return list(message)
    except TypeError:
        raise bad_argument(name, "an iterable of hashable symbols", message) from None


class ContextCode:
    """One Huffman code per context: the k symbols before each symbol select its code.

    Build one with :func:`context_code`; see :mod:`prefixcode.context` for the
    conventions (the first k symbols, one-symbol contexts, the table cost).

    Attributes
    ----------
    order : int
        k, the number of preceding symbols in a context.
    symbols : tuple
        The distinct symbols of the message, sorted where they can be sorted (else in
        first-seen order), as :meth:`Distribution.from_samples` orders them.
    head_code : PrefixCode
        The order-0 Huffman code of the message, which codes its first k symbols.
    codes : Mapping[tuple, PrefixCode]
        ``{context: code}``, a context being the tuple of the k symbols before.
    n : int
        The length of the message the code was built from.

    Examples
    --------
    >>> import prefixcode as pc
    >>> code = pc.context_code("abracadabra", order=1)
    >>> code.codes[("a",)].lengths
    mappingproxy({'b': 1, 'c': 2, 'd': 2})
    >>> bits = code.encode("abracadabra")
    >>> len(bits), code.cost()       # head 'a': 1 bit; after 'a': b c d b, 1 + 2 + 2 + 1 bits
    (7, 7)
    >>> "".join(code.decode(bits, length=11))
    'abracadabra'
    """

    _is_stream_code = True  # (pc.encode / pc.decode hand the message to its own methods)

    __slots__ = (
        "_codes",
        "_counts",
        "_head",
        "_head_symbols",
        "_n",
        "_order",
        "_symbols",
        "_tables",
        "_words",
    )

    def __init__(self, order: int, symbols: tuple, head_code: PrefixCode, head_symbols: tuple,
                 codes: Mapping[tuple, PrefixCode], n: int, counts: Mapping[tuple, Mapping]) -> None:
        self._order = order
        self._head_symbols = head_symbols
        self._symbols = symbols
        self._head = head_code
        self._codes = MappingProxyType(dict(codes))
        self._n = n
        self._counts = counts
        self._words: dict | None = None
        self._tables: dict | None = None

    # -- views ------------------------------------------------------------------------
    @property
    def order(self) -> int:
        return self._order

    @property
    def symbols(self) -> tuple:
        return self._symbols

    @property
    def head_code(self) -> PrefixCode:
        return self._head

    @property
    def codes(self) -> Mapping[tuple, PrefixCode]:
        return self._codes

    @property
    def n(self) -> int:
        return self._n

    @property
    def contexts(self) -> tuple:
        """The contexts that occur in the message, each a tuple of k symbols."""
        return tuple(self._codes)

    def __repr__(self) -> str:
        return (f"ContextCode(order={self._order}, contexts={len(self._codes)}, "
                f"symbols={len(self._symbols)}, n={self._n})")

    def __str__(self) -> str:
        n = max(self._n, 1)
        return "\n".join([
            f"context code of order {self._order}",
            f"  message       {self._n} symbols, {len(self._symbols)} distinct",
            f"  contexts      {len(self._codes)}",
            f"  payload       {self.cost()} bits ({self.cost() / n:.4f} bits/symbol)",
            f"  table         {self.table_bits()} bits ({self.table_bits() / n:.4f} bits/symbol)",
            f"  total         {self.total_bits()} bits ({self.expected_length():.4f} bits/symbol)",
        ])

    # -- costs ------------------------------------------------------------------------
    @staticmethod
    def _cost_of(code: PrefixCode, symbol: Hashable) -> int:
        return 0 if len(code) == 1 else code.lengths[symbol]

    def cost(self, message: Any = None) -> int:
        """The payload: the number of bits :meth:`encode` gives for `message`.

        Parameters
        ----------
        message : optional
            A message this code can code; by default the one it was built from
            (computed from its counts, without encoding).

        Returns
        -------
        int
            Bits, the table not included.

        Examples
        --------
        >>> import prefixcode as pc
        >>> pc.context_code("abab", order=1).cost()      # every context has one successor
        1
        """
        if message is not None:
            return len(self.encode(message))
        head = 0 if len(self._head) == 1 else sum(self._head.lengths[s] for s in self._head_symbols)
        body = 0
        for context, successors in self._counts.items():
            code = self._codes[context]
            if len(code) > 1:
                lengths = code.lengths
                body += sum(count * lengths[s] for s, count in successors.items())
        return head + body

    def table_bits(self) -> int:
        """The bits a table describing all the codes would take, counted as stated.

        See :mod:`prefixcode.context`: a 40-bit header, the head code's m lengths (for
        k >= 1), and per context its k symbols, its number of successors, and each
        successor with its codeword length (the length only when there are several).

        Examples
        --------
        >>> import prefixcode as pc
        >>> code = pc.context_code("abracadabra", order=1)  # m = 5: a = 3; L = 4: w = 3
        >>> code.table_bits()   # 40 + 5*3 + context a: 3+3+3*(3+3) + 4 others: 3+3+3 each
        115
        """
        m = len(self._symbols)
        a = math.ceil(math.log2(m)) if m > 1 else 0
        longest = max([self._head.length_array.max()] + [c.length_array.max() for c in self._codes.values()])
        w = int(longest).bit_length()
        bits = _HEADER_BITS
        if self._order >= 1:
            bits += m * w
        for code in self._codes.values():
            s = len(code)
            bits += self._order * a + a + s * a + (s * w if s > 1 else 0)
        return bits

    def total_bits(self, message: Any = None) -> int:
        """Payload plus table: :meth:`cost` + :meth:`table_bits`."""
        return self.cost(message) + self.table_bits()

    def average_length(self, message: Any = None, table: bool = True) -> float:
        """Bits per symbol on `message` (by default the one the code was built from).

        Parameters
        ----------
        message : optional
            A message this code can code.
        table : bool, default True
            Include the table (:meth:`table_bits`), spread over the message's symbols.

        Examples
        --------
        >>> import prefixcode as pc
        >>> code = pc.context_code("abracadabra", order=1)
        >>> round(code.average_length(table=False), 4)    # 7 bits / 11 symbols
        0.6364
        """
        n = self._n if message is None else len(_symbols_of(message))
        if n == 0:
            raise bad_argument("message", "non-empty", message)
        return (self.cost(message) + (self.table_bits() if table else 0)) / n

    def expected_length(self, table: bool = True) -> float:
        """Bits per symbol on the message the code was built from (table included by default).

        Examples
        --------
        >>> import prefixcode as pc
        >>> pc.context_code("abracadabra", order=1).expected_length() == (7 + 115) / 11
        True
        """
        return self.average_length(None, table=table)

    # -- coding -----------------------------------------------------------------------
    def _encoders(self) -> dict:
        if self._words is None:
            words = {}
            for context, code in self._codes.items():
                words[context] = None if len(code) == 1 else dict(code.bitarrays)
            self._words = words
        return self._words

    def encode(self, message: Any) -> bitarray:
        """Encode `message`: the head with the order-0 code, then each symbol with its context's code.

        Parameters
        ----------
        message : str, bytes, sequence of hashable symbols or integer numpy array
            A message whose contexts, and symbols in each context, all occur in the
            message the code was built from.

        Returns
        -------
        bitarray
            :meth:`cost` bits.

        Raises
        ------
        CodeError
            A symbol, or a context, the code does not have (the message names it and
            its index).

        Examples
        --------
        >>> import prefixcode as pc
        >>> pc.context_code("aab", order=1).encode("aab")    # head 'a'; a -> a, a -> b
        bitarray('001')
        """
        symbols = _symbols_of(message)
        k = self._order
        out = bitarray()
        head = self._head
        head_words = None if len(head) == 1 else head.bitarrays
        for i, s in enumerate(symbols[:k]):
            try:
                known = s in head.lengths
            except TypeError:
                known = False
            if not known:
                raise CodeError(f"symbol {s!r} at index {i} is not in the code")
            if head_words is not None:
                out.extend(head_words[s])
        encoders = self._encoders()
        codes = self._codes
        for i in range(k, len(symbols)):
            context = tuple(symbols[i - k:i])
            s = symbols[i]
            try:
                words = encoders[context]
            except (KeyError, TypeError):
                raise CodeError(f"context {context!r} before index {i} is not in the code") from None
            try:
                if words is None:
                    if s not in codes[context].lengths:
                        raise KeyError(s)
                else:
                    out.extend(words[s])
            except (KeyError, TypeError):
                raise CodeError(
                    f"symbol {s!r} at index {i} is not in the code of context {context!r}"
                ) from None
        return out

    def _decoders(self) -> dict:
        if self._tables is None:
            tables = {}
            for context, code in self._codes.items():
                tables[context] = _decoding_table(code)
            self._tables = tables
        return self._tables

    def decode(self, bits: bitarray | str, length: int) -> list:
        """Decode `length` symbols from `bits`: the exact inverse of :meth:`encode`.

        Parameters
        ----------
        bits : bitarray or str of 0s and 1s
            The bits :meth:`encode` gave; every bit must belong to a codeword.
        length : int
            The number of symbols to decode (a code of one symbol sends no bits, so the
            bits alone cannot tell).

        Returns
        -------
        list
            The symbols.

        Raises
        ------
        DecodeError
            The bits end inside a codeword, lead to a context the code does not have, or
            go on after `length` symbols (the message names the bit offset).

        Examples
        --------
        >>> import prefixcode as pc
        >>> code = pc.context_code([1, 2, 1, 2, 2], order=1)
        >>> code.decode(code.encode([1, 2, 1, 2, 2]), length=5)
        [1, 2, 1, 2, 2]
        """
        if isinstance(bits, str) and set(bits) <= {"0", "1"}:
            bits = bitarray(bits)
        elif not isinstance(bits, bitarray):
            raise bad_argument("bits", "a bitarray or a string of 0s and 1s", bits)
        if isinstance(length, bool) or not isinstance(length, (numbers.Integral, np.integer)) or length < 0:
            raise bad_argument("length", "a non-negative integer", length)
        length = int(length)
        digits = bits.tolist()
        end = len(digits)
        k = self._order
        out: list = []
        pos = 0
        head = _decoding_table(self._head)
        for _ in range(min(k, length)):
            s, pos = _read_symbol(head, digits, pos, end)
            out.append(s)
        tables = self._decoders()
        for i in range(k, length):
            context = tuple(out[i - k:i])
            table = tables.get(context)
            if table is None:
                raise DecodeError(f"the bits before offset {pos} lead to context {context!r}, "
                                  "which the code does not have")
            s, pos = _read_symbol(table, digits, pos, end)
            out.append(s)
        if pos != end:
            raise DecodeError(f"{end - pos} bit(s) left over at offset {pos} after {length} symbols")
        return out


def _decoding_table(code: PrefixCode) -> tuple:
    """``(only_symbol, {(length, value): symbol}, max_length)`` for bit-by-bit decoding."""
    if len(code) == 1:
        return (code.symbols[0], None, 0)
    ints = code.codeword_ints
    lengths = code.length_array
    table = {(int(n), int(v)): s for s, n, v in zip(code.symbols, lengths, ints)}
    return (None, table, int(lengths.max()))


def _read_symbol(table: tuple, digits: list, pos: int, end: int) -> tuple[Hashable, int]:
    only, words, longest = table
    if words is None:
        return only, pos
    value = 0
    start = pos
    for n in range(1, longest + 1):
        if pos >= end:
            raise DecodeError(f"the bits end inside a codeword: {end - start} bit(s) left over "
                              f"at offset {start}")
        value = (value << 1) | digits[pos]
        pos += 1
        s = words.get((n, value), words)
        if s is not words:
            return s, pos
    raise DecodeError(f"the bits at offsets {start}..{pos - 1} lead to no codeword of the code")


def context_code(message: Iterable[Hashable] | bytes | np.ndarray, order: int = 1) -> ContextCode:
    """Build a context code of order k for `message`: one Huffman code per context.

    Every context c (k consecutive symbols) that occurs before some symbol of the message
    gets Huffman's code (:func:`~prefixcode.huffman`) for the counts of the symbols that
    follow c; the first k symbols are coded with the order-0 Huffman code of the whole
    message. A one-symbol code sends no bits. See :mod:`prefixcode.context` for the table
    cost.

    Parameters
    ----------
    message : str, bytes, sequence of hashable symbols or integer numpy array
        The message (an array is read in C order); non-empty.
    order : int, default 1
        k, the number of preceding symbols in a context (0 gives one code, the message's
        Huffman code).

    Returns
    -------
    ContextCode
        Its payload on `message` is between n' H_k and n' (H_k + 1) bits for the
        n' = n - k symbols after the head, plus the head's bits.

    Examples
    --------
    >>> import prefixcode as pc
    >>> text = "the cat sat on the mat; the rat sat on the hat"
    >>> c0, c1 = pc.context_code(text, order=0), pc.context_code(text, order=1)
    >>> c1.cost() < c0.cost()
    True
    >>> c1.decode(c1.encode(text), length=len(text)) == list(text)
    True
    """
    k = _check_order(order)
    idx, symbols = _message_indices(message, "message")
    n = int(idx.size)
    head_counts = np.bincount(idx, minlength=len(symbols))
    head_code = huffman(Distribution(symbols, head_counts, counts=head_counts))
    codes: dict = {}
    counts: dict = {}
    if n > k:
        grams, gram_counts, group = _context_counts(idx, k)
        bounds = np.flatnonzero(np.diff(group)) + 1
        for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(group)]):
            context = tuple(symbols[j] for j in grams[lo, :k])
            successors = tuple(symbols[j] for j in grams[lo:hi, k])
            c = gram_counts[lo:hi]
            codes[context] = huffman(Distribution(successors, c, counts=c))
            counts[context] = dict(zip(successors, c.tolist()))
    head_symbols = tuple(symbols[j] for j in idx[:k])
    return ContextCode(k, symbols, head_code, head_symbols, codes, n, counts)

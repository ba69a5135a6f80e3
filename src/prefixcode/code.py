"""The prefix code object: :class:`PrefixCode`.

A :class:`PrefixCode` maps each symbol of an alphabet to a codeword, a non-empty string
of digits ``0 .. arity-1`` (``"0"`` and ``"1"`` for a binary code; digits above 9 are
written ``a``, ``b``, ... as in base 36), such that no codeword is a prefix of another.
It is immutable and hashable, and knows the distribution it was built for, if any.

Build one from a table of codewords (:meth:`PrefixCode.from_codewords`, which checks
that the table is prefix-free) or from code lengths (:meth:`PrefixCode.from_lengths`,
which assigns canonical codewords the DEFLATE way, RFC 1951 section 3.2.2: shorter
codewords first, equal lengths in the order the symbols were given). The constructions of
:mod:`prefixcode.construct` (Huffman and the others) return PrefixCodes.

Conventions
-----------
* Every symbol has a codeword of length >= 1; an empty codeword is refused. A code for a
  single symbol is ``{symbol: "0"}`` (every occurrence costs one digit; Kraft sum 1/2,
  so such a code is not complete).
* ``symbols`` keeps the order of construction (first seen), and canonical codes use
  that order for codewords of equal length: ``{"sunny": 2, "cloudy": 2}`` gives sunny
  ``00`` and cloudy ``01``, as the input lists them. For byte and integer alphabets
  given in order that is DEFLATE's order (RFC 1951 orders by symbol value).
* Two codes are equal when they have the same arity and give every symbol the same
  codeword (symbol order and the source distribution do not matter).
* Large codes are cheap: lengths and (for binary codes) integer codewords are kept in
  numpy arrays; the mappings of strings and bitarrays are built on first use.
"""

from __future__ import annotations

import html
import itertools
import json
import math
from collections.abc import Hashable, Iterable, Iterator, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

from ._core import _ext
from .distribution import (
    MAX_LENGTH,
    Distribution,
    _bounded_list,
    _shown_rows,
    _text_table,
    as_keyed,
    check_arity,
)
from .errors import CodeError, PrefixCodeError, bad_argument

__all__ = [
    "DIGITS",
    "PrefixCode",
]

#: The digits of codewords, in order: digit ``d`` of a D-ary code is ``DIGITS[d]``.
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)}
JSON_FORMAT = "prefixcode.code"
JSON_VERSION = 1


def _codeword_str(cw: Any, arity: int, symbol: Hashable) -> str:
    """One codeword (str of digits, bitarray, or sequence of ints) as a digit string."""
    name = f"codewords[{symbol!r}]"
    if isinstance(cw, str):
        s = cw
    elif type(cw).__name__ in ("bitarray", "frozenbitarray"):
        s = cw.to01()
    elif isinstance(cw, (list, tuple, np.ndarray)):
        try:
            ds = [int(d) for d in cw]
        except (TypeError, ValueError):
            raise bad_argument(name, "a string of digits or a sequence of digits", cw) from None
        if any(not 0 <= d < arity for d in ds):
            raise bad_argument(name, f"made of digits 0..{arity - 1}", cw, CodeError)
        s = "".join(DIGITS[d] for d in ds)
    else:
        raise bad_argument(name, "a string of digits, a bitarray or a sequence of digits", cw, CodeError)
    if not s:
        raise bad_argument(name, "a non-empty codeword", cw, CodeError)
    allowed = DIGITS[:arity]
    if s.strip(allowed):
        extra = " (pass arity= for a D-ary code)" if arity == 2 else ""
        raise bad_argument(name, f"made of the digits {allowed!r}{extra}", cw, CodeError)
    return s


def _check_prefix_free(symbols: tuple, words: tuple[str, ...]) -> None:
    """Raise CodeError naming two clashing codewords unless `words` is prefix-free.

    Sorted lexicographically (digit characters sort in digit order), a codeword that is
    a prefix of some other is a prefix of its immediate successor.
    """
    order = sorted(range(len(words)), key=words.__getitem__)
    for a, b in itertools.pairwise(order):
        if words[b].startswith(words[a]):
            wa, wb = words[a], words[b]
            what = "the same codeword" if wa == wb else "a codeword that is a prefix of another"
            raise CodeError(
                f"argument 'codewords' must be prefix-free, got {what}: "
                f"{symbols[a]!r} -> {wa!r} and {symbols[b]!r} -> {wb!r}"
            )


def _canonical_order(symbols: tuple) -> np.ndarray:
    """Positions of `symbols` in the order canonical codes use: as given (first seen)."""
    return np.arange(len(symbols), dtype=np.int64)


def _kraft_fraction(lengths: np.ndarray, arity: int) -> Fraction:
    """The exact Kraft sum sum(arity ** -l) of `lengths`, as a Fraction."""
    if lengths.size == 0:
        return Fraction(0)
    values, counts = np.unique(lengths, return_counts=True)
    top = int(values[-1])
    num = sum(int(c) * arity ** (top - int(v)) for v, c in zip(values, counts))
    return Fraction(num, arity**top)


def _to_json_value(x: Any) -> Any:
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x)
    if isinstance(x, tuple):
        return [_to_json_value(v) for v in x]
    raise bad_argument("symbols", "JSON-representable (str, int, float, bool, None or tuples)", x)


def _from_json_value(x: Any) -> Any:
    if isinstance(x, list):
        return tuple(_from_json_value(v) for v in x)
    return x


def align_with_code(p: Any, symbols: tuple, lengths: Any, name: str = "p"
                    ) -> tuple[tuple, np.ndarray, np.ndarray]:
    """The one alignment rule between a distribution and a code.

    A `p` with symbols (a mapping, a Distribution, samples) is aligned by symbol over
    the union of its symbols and the code's (p's first, a missing one weighing 0); a
    plain sequence of weights is aligned by position and must have one weight per code
    symbol. Returns ``(symbols, probs, lengths)``: `probs` normalized, `lengths` float
    with NaN where the code has no codeword; callers count a symbol the code lacks as
    ``inf`` wherever its probability is positive.

    Parameters
    ----------
    p : distribution
        Weights or samples (the input rule of :mod:`prefixcode.distribution`).
    symbols : tuple
        The code's symbols.
    lengths : sequence or mapping
        The code's lengths, aligned with `symbols` (or ``{symbol: length}``).
    """
    dist, plain = as_keyed(p, name)
    if isinstance(lengths, Mapping):
        lengths = [lengths[s] for s in symbols]
    code_lengths = np.asarray(lengths, dtype=np.float64)
    if plain:
        if len(dist) != len(symbols):
            raise PrefixCodeError(
                f"argument {name!r} must have one weight per code symbol ({len(symbols)}), "
                f"got {len(dist)} weights"
            )
        return tuple(symbols), np.array(dist.probs, dtype=np.float64), code_lengths
    if dist.symbols == tuple(symbols):
        return tuple(symbols), np.array(dist.probs, dtype=np.float64), code_lengths
    union = tuple(dict.fromkeys(dist.symbols + tuple(symbols)))
    probs = np.zeros(len(union))
    probs[: len(dist)] = dist.probs
    pos = {s: i for i, s in enumerate(symbols)}
    out = np.full(len(union), np.nan)
    for k, s in enumerate(union):
        i = pos.get(s)
        if i is not None:
            out[k] = code_lengths[i]
    return union, probs, out


class PrefixCode:
    """An immutable prefix code: a codeword for every symbol of an alphabet.

    ``PrefixCode(codewords, arity=2, source=None)`` is the same as
    :meth:`PrefixCode.from_codewords`.

    Parameters
    ----------
    codewords : mapping or sequence
        ``{symbol: codeword}``, or a sequence of codewords for the symbols ``0 .. n-1``.
        A codeword is a non-empty string of digits (``"10"``), a bitarray, or a
        sequence of integer digits.
    arity : int, optional
        The number of digits, 2 (default) to 36.
    source : distribution, optional
        The distribution the code was built for (anything
        :func:`prefixcode.Distribution` accepts); kept as :attr:`source`.

    Attributes
    ----------
    symbols : tuple
        The symbols, in the order of construction.
    lengths : mapping
        Read-only ``{symbol: length}`` (number of digits).
    codewords : mapping
        Read-only ``{symbol: codeword}``, codewords as digit strings.
    arity : int
        The number of digits (2 for a binary code).
    source : Distribution or None
        The distribution the code was built for, if known.

    Examples
    --------
    >>> from prefixcode import PrefixCode
    >>> code = PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"})
    >>> code
    PrefixCode({'a': '0', 'b': '10', 'c': '11'})
    >>> code.kraft_sum, code.is_complete
    (1.0, True)
    >>> dict(code.lengths)
    {'a': 1, 'b': 2, 'c': 2}
    >>> print(code)
    symbol  length  codeword
    'a'          1  0
    'b'          2  10
    'c'          2  11
    """

    __slots__ = ("__weakref__", "_arity", "_cache", "_ints", "_lengths", "_source", "_symbols", "_words")

    def __init__(self, codewords: Any, arity: int = 2, source: Any = None) -> None:
        arity = check_arity(arity)
        if isinstance(codewords, Mapping):
            symbols = tuple(codewords.keys())
            raw = list(codewords.values())
        elif isinstance(codewords, (str, bytes)) or not isinstance(codewords, Iterable):
            raise bad_argument("codewords", "a mapping {symbol: codeword} or a sequence of codewords",
                               codewords, CodeError)
        else:
            raw = list(codewords) if isinstance(codewords, (list, tuple)) else _bounded_list(
                codewords, "codewords")
            symbols = tuple(range(len(raw)))
        if not symbols:
            raise bad_argument("codewords", "non-empty", codewords, CodeError)
        words = tuple(_codeword_str(cw, arity, s) for s, cw in zip(symbols, raw))
        _check_prefix_free(symbols, words)
        lengths = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
        self._init(symbols, lengths, arity, source, words=words)

    # -- construction -----------------------------------------------------------------
    def _init(
        self,
        symbols: tuple,
        lengths: np.ndarray,
        arity: int,
        source: Any,
        words: tuple[str, ...] | None = None,
        ints: np.ndarray | list | None = None,
    ) -> None:
        set_ = object.__setattr__
        lengths.setflags(write=False)
        if source is not None and not isinstance(source, Distribution):
            source, plain = as_keyed(source, "source")
            if plain:
                # plain weights: aligned with the code's symbols by position
                if len(source) != len(symbols):
                    raise PrefixCodeError(
                        f"argument 'source' must have one weight per symbol ({len(symbols)}), "
                        f"got {len(source)}"
                    )
                source = Distribution(symbols, source.probs)
        set_(self, "_symbols", symbols)
        set_(self, "_lengths", lengths)
        set_(self, "_arity", arity)
        set_(self, "_source", source)
        set_(self, "_words", words)
        set_(self, "_ints", ints)
        set_(self, "_cache", {})

    @classmethod
    def _new(cls, symbols: tuple, lengths: np.ndarray, arity: int, source: Any = None,
             words: tuple[str, ...] | None = None, ints: Any = None) -> PrefixCode:
        """Build from trusted parts (no validation)."""
        self = object.__new__(cls)
        self._init(symbols, lengths, arity, source, words=words, ints=ints)
        return self

    @classmethod
    def from_codewords(cls, codewords: Any, arity: int = 2, source: Any = None) -> PrefixCode:
        """A code from its table of codewords, checked to be prefix-free.

        Parameters
        ----------
        codewords : mapping or sequence
            ``{symbol: codeword}``, or a sequence of codewords for symbols ``0 .. n-1``.
            Codewords are non-empty digit strings (``"10"``), bitarrays or sequences of
            integer digits.
        arity : int, optional
            Number of digits, 2 (default) to 36.
        source : distribution, optional
            The distribution the code is meant for, kept as :attr:`source`.

        Returns
        -------
        PrefixCode

        Raises
        ------
        CodeError
            If the table is empty, a codeword is empty or has a digit outside
            ``0 .. arity-1``, or one codeword is a prefix of another (the message
            names both).

        Examples
        --------
        >>> from prefixcode import PrefixCode
        >>> PrefixCode.from_codewords(["0", "10", "11"]).codewords[1]
        '10'
        >>> PrefixCode.from_codewords({"x": "0", "y": "01"})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        prefixcode.errors.CodeError: argument 'codewords' must be prefix-free, ... 'x' -> '0' and 'y' -> '01'
        """
        return cls(codewords, arity=arity, source=source)

    @classmethod
    def from_lengths(cls, lengths: Any, arity: int = 2, source: Any = None) -> PrefixCode:
        """The canonical code with the given codeword lengths.

        Codewords are assigned the DEFLATE way (RFC 1951, section 3.2.2), generalized
        to any arity: shorter codewords first, codewords of equal length consecutive in
        the order the symbols are given (first seen). The first codeword is all zeros.

        Parameters
        ----------
        lengths : mapping or sequence
            ``{symbol: length}``, or a sequence of lengths for symbols ``0 .. n-1``.
            Lengths are integers from 1 to 65,536 (``MAX_LENGTH``) satisfying Kraft's
            inequality ``sum(arity ** -l) <= 1``.
        arity : int, optional
            Number of digits, 2 (default) to 36.
        source : distribution, optional
            The distribution the code is meant for, kept as :attr:`source`.

        Returns
        -------
        PrefixCode

        Raises
        ------
        CodeError
            If a length is not an integer >= 1 or the lengths violate Kraft's inequality.

        Examples
        --------
        >>> from prefixcode import PrefixCode
        >>> PrefixCode.from_lengths({"a": 1, "b": 2, "c": 2})
        PrefixCode({'a': '0', 'b': '10', 'c': '11'})
        >>> PrefixCode.from_lengths([2, 1, 3, 3])
        PrefixCode({0: '10', 1: '0', 2: '110', 3: '111'})
        >>> PrefixCode.from_lengths([1, 1, 2, 2, 2], arity=3)
        PrefixCode({0: '0', 1: '1', 2: '20', 3: '21', 4: '22'}, arity=3)
        """
        arity = check_arity(arity)
        if isinstance(lengths, Mapping):
            symbols = tuple(lengths.keys())
            raw: Any = list(lengths.values())
        elif isinstance(lengths, (str, bytes)) or not isinstance(lengths, Iterable):
            raise bad_argument("lengths", "a mapping {symbol: length} or a sequence of lengths",
                               lengths, CodeError)
        else:
            raw = lengths
            symbols = None
        if not isinstance(raw, (list, tuple, np.ndarray)):
            raw = _bounded_list(raw, "lengths")
        try:
            arr = np.asarray(raw)
        except (ValueError, TypeError):
            raise bad_argument("lengths", "a non-empty one-dimensional sequence of integers", lengths,
                               CodeError) from None
        if arr.ndim != 1 or arr.size == 0:
            raise bad_argument("lengths", "a non-empty one-dimensional sequence of integers", lengths,
                               CodeError)
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            if np.any(np.abs(arr) > MAX_LENGTH):
                raise bad_argument("lengths", f"integers from 1 to {MAX_LENGTH}", lengths, CodeError)
            arr = arr.astype(np.int64)
        if arr.dtype.kind not in "iu":
            raise bad_argument("lengths", "integers", lengths, CodeError)
        if (arr < 1).any() or (arr > MAX_LENGTH).any():
            raise bad_argument("lengths", f"integers from 1 to {MAX_LENGTH}", lengths, CodeError)
        arr = arr.astype(np.int64, copy=True)
        if symbols is None:
            symbols = tuple(range(arr.shape[0]))
            order = np.arange(arr.shape[0], dtype=np.int64)
        else:
            order = _canonical_order(symbols)
        kraft = _kraft_fraction(arr, arity)
        if kraft > 1:
            raise bad_argument("lengths", f"a set satisfying Kraft's inequality sum(arity**-l) <= 1 "
                               f"(here the sum is {kraft})", lengths, CodeError)
        return cls._canonical(symbols, arr, arity, source, order)

    @classmethod
    def _canonical(cls, symbols: tuple, lengths: np.ndarray, arity: int, source: Any,
                   order: np.ndarray) -> PrefixCode:
        """Canonical codewords for trusted `lengths`; `order` gives the symbol order."""
        if arity == 2 and int(lengths.max()) <= 63:
            in_order = np.ascontiguousarray(lengths[order], dtype=np.int64)
            codes_sorted = np.empty(in_order.shape[0], dtype=np.uint64)
            _ext.canonical_codes(in_order, codes_sorted)
            ints = np.empty_like(codes_sorted)
            ints[order] = codes_sorted
            ints.setflags(write=False)
            return cls._new(symbols, lengths, arity, source, ints=ints)
        # general case: Python integers (any arity, any length)
        seq = sorted(order.tolist(), key=lambda i: int(lengths[i]))  # stable: symbol order within a length
        values: list[int] = [0] * len(symbols)
        code = 0
        prev = int(lengths[seq[0]])
        first = True
        for i in seq:
            ln = int(lengths[i])
            if first:
                first = False
            else:
                code = (code + 1) * arity ** (ln - prev)
            values[i] = code
            prev = ln
        return cls._new(symbols, lengths, arity, source, ints=values)

    # -- immutability -----------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("PrefixCode is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("PrefixCode is immutable")

    def __reduce__(self) -> tuple:
        return (type(self), (dict(self.codewords), self._arity, self._source))

    # -- basic views ------------------------------------------------------------------
    @property
    def symbols(self) -> tuple:
        """The symbols, in the order of construction."""
        return self._symbols

    @property
    def arity(self) -> int:
        """The number of digits of the code alphabet (2 for binary)."""
        return self._arity

    @property
    def source(self) -> Distribution | None:
        """The distribution the code was built for, or None."""
        return self._source

    @property
    def length_array(self) -> np.ndarray:
        """Read-only int64 array of codeword lengths, aligned with :attr:`symbols`."""
        return self._lengths

    @property
    def codeword_ints(self) -> np.ndarray:
        """Read-only uint64 array: each codeword as an integer (binary, lengths <= 64).

        Codeword of symbol ``symbols[i]`` is the ``length_array[i]`` low bits of
        ``codeword_ints[i]``, most significant bit first (the layout of
        :func:`bitarray.util.canonical_huffman` and of DEFLATE's tables).

        Examples
        --------
        >>> from prefixcode import PrefixCode
        >>> PrefixCode.from_codewords(["0", "10", "11"]).codeword_ints.tolist()
        [0, 2, 3]
        """
        out = self._cache.get("codeword_ints")
        if out is None:
            if self._arity != 2 or int(self._lengths.max()) > 64:
                raise CodeError(
                    "codeword_ints needs a binary code with codewords of at most 64 bits, got "
                    f"arity {self._arity} and maximum length {int(self._lengths.max())}"
                )
            if isinstance(self._ints, np.ndarray):
                out = self._ints
            elif self._ints is not None:
                out = np.array(self._ints, dtype=np.uint64)
            else:
                out = np.array([int(w, 2) for w in self._words], dtype=np.uint64)
            out.setflags(write=False)
            self._cache["codeword_ints"] = out
        return out

    def _word_tuple(self) -> tuple[str, ...]:
        words = self._words
        if words is None:
            words = self._cache.get("words")
            if words is None:
                ints = self._ints.tolist() if isinstance(self._ints, np.ndarray) else self._ints
                lens = self._lengths.tolist()
                if self._arity == 2:
                    words = tuple(format(v, f"0{n}b") for v, n in zip(ints, lens))
                else:
                    words = tuple(_int_to_digits(v, n, self._arity) for v, n in zip(ints, lens))
                self._cache["words"] = words
        return words

    @property
    def codewords(self) -> Mapping[Hashable, str]:
        """Read-only ``{symbol: codeword}``, codewords as digit strings."""
        m = self._cache.get("codewords")
        if m is None:
            m = MappingProxyType(dict(zip(self._symbols, self._word_tuple())))
            self._cache["codewords"] = m
        return m

    @property
    def lengths(self) -> Mapping[Hashable, int]:
        """Read-only ``{symbol: codeword length}`` (number of digits)."""
        m = self._cache.get("lengths")
        if m is None:
            m = MappingProxyType(dict(zip(self._symbols, self._lengths.tolist())))
            self._cache["lengths"] = m
        return m

    @property
    def bitarrays(self) -> Mapping[Hashable, Any]:
        """Read-only ``{symbol: frozenbitarray}`` (binary codes only), as bitarray.util uses.

        Examples
        --------
        >>> from prefixcode import PrefixCode
        >>> PrefixCode.from_lengths([1, 2, 2]).bitarrays[2]
        frozenbitarray('11')
        """
        m = self._cache.get("bitarrays")
        if m is None:
            if self._arity != 2:
                raise CodeError(f"bitarrays needs a binary code, this code has arity {self._arity}")
            from bitarray import frozenbitarray

            m = MappingProxyType({s: frozenbitarray(w) for s, w in zip(self._symbols, self._word_tuple())})
            self._cache["bitarrays"] = m
        return m

    @property
    def _index(self) -> dict:
        idx = self._cache.get("index")
        if idx is None:
            idx = {s: i for i, s in enumerate(self._symbols)}
            self._cache["index"] = idx
        return idx

    def index(self, symbol: Hashable) -> int:
        """Position of `symbol` in :attr:`symbols` (CodeError if it has no codeword)."""
        try:
            return self._index[symbol]
        except (KeyError, TypeError):
            raise CodeError(f"symbol {symbol!r} is not in the code") from None

    # -- Kraft ------------------------------------------------------------------------
    @property
    def kraft_fraction(self) -> Fraction:
        """The Kraft sum ``sum(arity ** -length)`` as an exact Fraction."""
        k = self._cache.get("kraft")
        if k is None:
            k = _kraft_fraction(self._lengths, self._arity)
            self._cache["kraft"] = k
        return k

    @property
    def kraft_sum(self) -> float | Fraction:
        """The Kraft sum ``sum(arity ** -length)``, exactly.

        A float for binary codes (the exact sum, correctly rounded to a double, which
        is exact whenever it fits: always for complete codes and whenever the lengths
        span at most 53 bits), a :class:`fractions.Fraction` for arity > 2.

        Examples
        --------
        >>> from prefixcode import PrefixCode
        >>> PrefixCode.from_lengths([2, 2, 3, 3, 4, 4, 5, 5]).kraft_sum
        0.9375
        >>> PrefixCode.from_lengths([1, 2], arity=3).kraft_sum
        Fraction(4, 9)
        """
        k = self.kraft_fraction
        return float(k) if self._arity == 2 else k

    @property
    def is_complete(self) -> bool:
        """True when the Kraft sum is exactly 1 (no unused code space).

        A one-symbol code ``{s: "0"}`` is not complete.
        """
        return bool(self.kraft_fraction == 1)

    def implied_distribution(self) -> dict:
        """``{symbol: arity ** -length}``: the distribution the code is optimal for.

        Not normalized: the values sum to :attr:`kraft_sum` (1 for a complete code).

        Examples
        --------
        >>> from prefixcode import PrefixCode
        >>> PrefixCode.from_lengths({"sun": 1, "rain": 2, "snow": 2}).implied_distribution()
        {'sun': 0.5, 'rain': 0.25, 'snow': 0.25}
        """
        d = float(self._arity)
        return {s: d ** -n for s, n in zip(self._symbols, self._lengths.tolist())}

    def expected_length(self, p: Any = None) -> float:
        """Average codeword length ``sum p(x) l(x)`` in digits under `p` (default :attr:`source`).

        `p` is aligned with the code by symbol when it has symbols (a mapping, a
        Distribution, samples), else by position (see :func:`align_with_code`, the one
        rule every function follows): a symbol of `p` with positive probability and no
        codeword costs ``inf``.

        Examples
        --------
        >>> from prefixcode import PrefixCode
        >>> code = PrefixCode.from_lengths([1, 2, 2])
        >>> code.expected_length([0.5, 0.25, 0.25])
        1.5
        >>> PrefixCode.from_lengths({"a": 1, "b": 1}).expected_length({"a": 1, "c": 1})
        inf
        """
        if p is None:
            if self._source is None:
                raise bad_argument("p", "given when the code has no source distribution", p)
            p = self._source
        _, probs, lengths = align_with_code(p, self._symbols, self._lengths)
        missing = np.isnan(lengths) & (probs > 0)
        if missing.any():
            return math.inf
        used = probs > 0
        return float(np.dot(probs[used], lengths[used]))

    # -- derived codes ----------------------------------------------------------------
    def canonical(self) -> PrefixCode:
        """The canonical code (DEFLATE order, equal lengths as the symbols are listed).

        Examples
        --------
        >>> from prefixcode import PrefixCode
        >>> PrefixCode.from_codewords({"a": "1", "b": "01", "c": "00"}).canonical()
        PrefixCode({'a': '0', 'b': '10', 'c': '11'})
        """
        return type(self)._canonical(
            self._symbols, self._lengths, self._arity, self._source, _canonical_order(self._symbols)
        )

    def tree(self) -> Any:
        """The code tree as a :class:`networkx.DiGraph`.

        Nodes are the codeword prefixes (the root is ``""``), each with the attributes
        ``prefix``, ``depth``, ``weight`` (the probability under :attr:`source` of the
        symbols below it, or None when the source is unknown) and, at leaves,
        ``symbol``. Edges go from parent to child and carry ``digit`` (a one-character
        string). Unused branches of an incomplete code are absent.

        Examples
        --------
        >>> from prefixcode import PrefixCode
        >>> t = PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"}, source=[0.5, 0.3, 0.2]).tree()
        >>> sorted(t.nodes)
        ['', '0', '1', '10', '11']
        >>> t.nodes["1"]["weight"], t.nodes["10"]["symbol"], t.edges["1", "10"]["digit"]
        (0.5, 'b', '0')
        """
        import networkx as nx

        g = nx.DiGraph()
        weights: dict | None = None
        if self._source is not None:
            src = self._source
            if src.symbols == self._symbols:
                weights = dict(zip(self._symbols, src.probs.tolist()))
            else:
                weights = {s: (src[s] if s in src._index else 0.0) for s in self._symbols}
        g.add_node("", prefix="", depth=0, weight=0.0 if weights is not None else None)
        for s, w in zip(self._symbols, self._word_tuple()):
            pw = weights[s] if weights is not None else None
            for k in range(1, len(w) + 1):
                node = w[:k]
                if node not in g:
                    g.add_node(node, prefix=node, depth=k, weight=0.0 if pw is not None else None)
                    g.add_edge(w[: k - 1], node, digit=w[k - 1])
            g.nodes[w]["symbol"] = s
            if pw is not None:
                for k in range(len(w) + 1):
                    g.nodes[w[:k]]["weight"] += pw
        return g

    # -- JSON -------------------------------------------------------------------------
    def to_json(self, indent: int | None = None) -> str:
        """The code table as JSON text (no pickle): arity, symbols, codewords, source.

        Symbols must be JSON-representable: str, int, float, bool, None, or tuples of
        these (tuples are written as lists and read back as tuples).

        Examples
        --------
        >>> from prefixcode import PrefixCode
        >>> code = PrefixCode.from_lengths({"a": 1, "b": 2, "c": 2})
        >>> text = code.to_json()
        >>> text[:57]
        '{"format": "prefixcode.code", "version": 1, "arity": 2, "'
        >>> text[57:]
        'symbols": ["a", "b", "c"], "codewords": ["0", "10", "11"]}'
        >>> PrefixCode.from_json(code.to_json()) == code
        True
        """
        doc: dict[str, Any] = {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "arity": self._arity,
            "symbols": [_to_json_value(s) for s in self._symbols],
            "codewords": list(self._word_tuple()),
        }
        if self._source is not None:
            doc["source"] = {
                "symbols": [_to_json_value(s) for s in self._source.symbols],
                "probs": self._source.probs.tolist(),
            }
        return json.dumps(doc, indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> PrefixCode:
        """Read a code written by :meth:`to_json`; the table is validated again.

        Examples
        --------
        >>> from prefixcode import PrefixCode
        >>> PrefixCode.from_json('{"format": "prefixcode.code", "version": 1, "arity": 2, '
        ...                      '"symbols": [0, 1], "codewords": ["1", "0"]}')
        PrefixCode({0: '1', 1: '0'})
        """
        try:
            doc = json.loads(text)
        except (TypeError, ValueError, RecursionError):
            raise bad_argument("text", "JSON text written by PrefixCode.to_json", text, CodeError) from None
        try:
            return cls._from_json_doc(doc, text)
        except RecursionError:  # symbols nested too deeply to rebuild as tuples
            raise bad_argument("text", "a code whose symbols are nested at most a few hundred deep",
                               text, CodeError) from None

    @classmethod
    def _from_json_doc(cls, doc: Any, text: str | bytes) -> PrefixCode:
        if not isinstance(doc, dict) or doc.get("format") != JSON_FORMAT:
            raise bad_argument("text", f"a JSON object with format {JSON_FORMAT!r}", text, CodeError)
        if doc.get("version") != JSON_VERSION:
            raise bad_argument("text", f"of version {JSON_VERSION}", doc.get("version"), CodeError)
        symbols, words = doc.get("symbols"), doc.get("codewords")
        if not isinstance(symbols, list) or not isinstance(words, list) or len(symbols) != len(words):
            raise bad_argument("text", "equally long lists 'symbols' and 'codewords'", text, CodeError)
        syms = [_from_json_value(s) for s in symbols]
        if len(set(syms)) != len(syms):
            raise bad_argument("text", "free of duplicate symbols", symbols, CodeError)
        source = None
        src = doc.get("source")
        if src is not None:
            try:
                source = Distribution([_from_json_value(s) for s in src["symbols"]], src["probs"])
            except (KeyError, TypeError):
                raise bad_argument("text", "a valid 'source'", src, CodeError) from None
        return cls(dict(zip(syms, words)), arity=doc.get("arity", 2), source=source)

    # -- display ----------------------------------------------------------------------
    def _rows(self, limit: int) -> tuple[list[tuple[str, str, str, str | None]], int]:
        n = len(self)
        idx = _shown_rows(n, limit)
        probs = None
        if self._source is not None:
            src = self._source
            probs = {s: src[s] for s in (self._symbols[i] for i in idx) if s in src._index}
        words = self._word_tuple()
        rows = []
        for i in idx:
            s = self._symbols[i]
            p = None if probs is None else f"{probs.get(s, 0.0):.4g}"
            rows.append((repr(s), str(int(self._lengths[i])), words[i], p))
        return rows, (n - len(idx))

    def __str__(self) -> str:
        rows, hidden = self._rows(40)
        has_p = self._source is not None
        head = ("symbol", "p", "length", "codeword") if has_p else ("symbol", "length", "codeword")
        body = [(r[0], r[3], r[1], r[2]) if has_p else (r[0], r[1], r[2]) for r in rows]
        lines = _text_table(head, body, hidden, ragged_last=True)
        if self._arity != 2:
            lines.append(f"(arity {self._arity})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows, hidden = self._rows(60)
        has_p = self._source is not None
        head = ["symbol", "p", "length", "codeword"] if has_p else ["symbol", "length", "codeword"]
        out = ["<table>", "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>", "<tbody>"]
        cut = len(rows) - 4 if hidden else len(rows)
        for k, r in enumerate(rows):
            if hidden and k == cut:
                out.append(f'<tr><td colspan="{len(head)}">... ({hidden} more symbols)</td></tr>')
            cells = [r[0], r[3], r[1], r[2]] if has_p else [r[0], r[1], r[2]]
            cells = [html.escape(str(c)) for c in cells]
            cells[-1] = f"<code>{cells[-1]}</code>"
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("</tbody></table>")
        k = self.kraft_sum
        out.append(
            f"<p>{len(self)} symbols, arity {self._arity}, Kraft sum {k}, "
            f"{'complete' if self.is_complete else 'incomplete'}</p>"
        )
        return "\n".join(out)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        """IPython shows the code table (the repr stays the short, pinned form)."""
        p.text("PrefixCode(...)" if cycle else str(self))

    def __repr__(self) -> str:
        words = self._word_tuple()
        n = len(self)
        shown = min(n, 8)
        items = ", ".join(f"{self._symbols[i]!r}: {words[i]!r}" for i in range(shown))
        arity = "" if self._arity == 2 else f", arity={self._arity}"
        if n <= 8:
            return f"PrefixCode({{{items}}}{arity})"
        return f"<PrefixCode of {n} symbols{arity}: {{{items}, ...}}>"

    # -- container protocol, equality -------------------------------------------------
    def __len__(self) -> int:
        return len(self._symbols)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._symbols)

    def __contains__(self, symbol: object) -> bool:
        try:
            return symbol in self._index
        except TypeError:
            return False

    def __getitem__(self, symbol: Hashable) -> str:
        return self._word_tuple()[self.index(symbol)]

    def _key(self) -> tuple:
        key = self._cache.get("key")
        if key is None:
            key = (self._arity, frozenset(zip(self._symbols, self._word_tuple())))
            self._cache["key"] = key
        return key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PrefixCode):
            return NotImplemented
        if self is other:
            return True
        if self._arity != other._arity or len(self) != len(other):
            return False
        if not np.array_equal(np.sort(self._lengths), np.sort(other._lengths)):
            return False
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


def _int_to_digits(value: int, length: int, arity: int) -> str:
    out = []
    for _ in range(length):
        value, d = divmod(value, arity)
        out.append(DIGITS[d])
    return "".join(reversed(out))


"""The one validation layer: user input -> checked float64 arrays with their symbols.

Every public function of prefixcode passes its distributions through here once. What
comes out is trusted by the algorithms behind it and never mutated.

What an input means, one rule for every function (``p``, ``q``, a table of weights):

* **Numbers are weights**: a sequence or numpy array of non-negative numbers
  (probabilities, counts or any unnormalized weights) has the symbols ``0 .. n-1``
  along its last axis; a mapping ``{symbol: weight}`` has its keys as symbols; a
  pandas Series of numbers has its index as symbols (pandas is recognized, never
  imported); a :class:`Distribution` is taken as it is.
* **Everything else is samples**, summarized as counts of the symbols that occur:
  text (``str``: its characters), byte data (``bytes``, ``bytearray``, ``memoryview``:
  the byte values 0..255 that occur), a sequence or numpy array of non-numbers
  (``["sun", "rain", "sun"]``), a pandas Series of non-numbers, and any iterator or
  generator (consumed once, whatever it yields). Their symbols are sorted where they
  can be sorted, else kept in first-seen order. For the full byte alphabet, zero
  counts included, use ``Distribution.from_samples(data, alphabet=range(256))``.
* Iterators and lazy sequences (a generator, a ``range``) are read one item at a time,
  at most 2**24 of them (``MAX_ITEMS``); pass a numpy array for more.
* **Ambiguous input is refused**, with the two ways to say what is meant: text that
  spells numbers (``"0.5 0.5"``), booleans, and sequences mixing numbers with
  non-numbers. :meth:`Distribution.from_samples` always reads its argument as samples.

Scalar arguments have one checker each here, sharing one message template:
:func:`check_int` (and :func:`check_positive_int`), :func:`check_arity`,
:func:`check_max_length` (at most ``MAX_LENGTH`` = 65,536 digits), :func:`check_threads`,
:func:`check_base`, :func:`check_real` and :func:`check_axis`; byte input has
:func:`check_bytes`. A distribution meets a code through one alignment rule,
:func:`prefixcode.code.align_with_code` (a symbol the code lacks costs ``inf``).

Counts and unnormalized weights are normalized to sum to one wherever a probability
distribution is meant (scaled first when their sum would overflow). Negative, NaN or
infinite weights, empty or all-zero input, ``None`` and other values raise
:class:`~prefixcode.errors.PrefixCodeError` with a message naming the argument and the
value.
"""

from __future__ import annotations

import decimal
import math
import numbers
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ._bytes import byte_view
from ._checks import MAX_THREADS, check_int, check_threads  # noqa: F401  (re-exported)
from .errors import PrefixCodeError, bad_argument, show

__all__ = [
    "Distribution",
    "histogram",
]

BYTE_ALPHABET: tuple[int, ...] = tuple(range(256))


def _sort_symbols(symbols: Iterable[Hashable]) -> tuple:
    """Symbols in sorted order where they can be sorted, else in first-seen order."""
    seen = tuple(dict.fromkeys(symbols))
    try:
        return tuple(sorted(seen))
    except TypeError:
        return seen


def histogram(data: bytes | bytearray | memoryview | np.ndarray) -> np.ndarray:
    """Counts of each byte value 0..255 in `data`.

    Parameters
    ----------
    data : bytes, bytearray, memoryview or numpy array of uint8
        The bytes to count.

    Returns
    -------
    numpy.ndarray
        ``int64`` array of length 256; entry ``b`` is how often byte ``b`` occurs.

    Examples
    --------
    >>> from prefixcode.distribution import histogram
    >>> h = histogram(b"abracadabra")
    >>> int(h[ord("a")]), int(h[ord("b")]), int(h.sum())
    (5, 2, 11)
    """
    return np.bincount(check_bytes(data, "data"), minlength=256).astype(np.int64, copy=False)


def check_bytes(data: Any, name: str = "data") -> np.ndarray:
    """The one check for byte input: `data` as a flat uint8 array.

    Accepts ``bytes``, ``bytearray``, any ``memoryview`` (a strided one is copied in
    logical order) and numpy ``uint8`` arrays; anything else raises
    :class:`~prefixcode.errors.PrefixCodeError` naming `name`. No copy when the data is
    contiguous.

    Examples
    --------
    >>> from prefixcode.distribution import check_bytes
    >>> check_bytes(memoryview(b"abcd")[::2]).tolist()
    [97, 99]
    """
    if isinstance(data, np.ndarray) and data.dtype == np.uint8 and not data.flags.c_contiguous:
        return data.reshape(-1)  # (a strided array: its bytes in logical order, copied)
    return np.frombuffer(byte_view(data, name), dtype=np.uint8)


def _is_bytes(x: Any) -> bool:
    return isinstance(x, (bytes, bytearray, memoryview))


def _is_number(v: Any) -> bool:
    """A number (weights are made of these); bools are not numbers here."""
    if isinstance(v, (bool, np.bool_)):
        return False
    # complex numbers count as numbers here, to be refused as weights that are not real
    return isinstance(v, (numbers.Complex, np.number, decimal.Decimal))


def _is_series(x: Any) -> bool:
    """A pandas Series (duck-typed: a one-dimensional labelled array), pandas not imported."""
    return (
        not isinstance(x, np.ndarray)
        and hasattr(x, "index")
        and hasattr(x, "to_numpy")
        and getattr(x, "ndim", None) == 1
    )


_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_NUMBER_TEXT = re.compile(rf"\s*{_NUMBER}\s*")
_NUMBERS_TEXT = re.compile(rf"\s*{_NUMBER}(?:\s*[,;\s]\s*{_NUMBER})+\s*[,;]?\s*")


def _ambiguous(name: str, what: str, value: Any, weights: str, samples: str) -> PrefixCodeError:
    return PrefixCodeError(
        f"argument {name!r} is ambiguous ({what}): pass {weights} for weights, or "
        f"Distribution.from_samples({samples}) for samples, got {show(value)}"
    )


def _read_input(x: Any, name: str) -> tuple[tuple | None, Any, bool]:
    """Apply the input rule (module notes) to `x`.

    Returns ``(symbols, weights, is_samples)``: for weights, ``symbols`` is None for
    positional input (weights are then any array-like, not yet checked); for samples
    ``weights`` is the list of samples (and ``symbols`` None).
    """
    if x is None or (isinstance(x, (str, bytes, bytearray, memoryview)) and len(x) == 0):
        raise bad_argument(name, "non-empty weights or samples", x)
    x = _unmasked(x, name)
    if isinstance(x, str):
        if _NUMBERS_TEXT.fullmatch(x):
            found = re.findall(_NUMBER, x)
            listed = ", ".join(found[:3]) + (", ..." if len(found) > 3 else "")
            raise _ambiguous(name, "text that spells numbers", x, f"a list of numbers [{listed}]", name)
        return None, x, True
    if _is_bytes(x):
        return None, x, True
    if isinstance(x, Mapping):
        return tuple(x.keys()), list(x.values()), False
    if _is_series(x):
        values = x.to_numpy()
        if values.dtype.kind in "iuf":
            labels = x.index.tolist() if hasattr(x.index, "tolist") else list(x.index)
            return tuple(labels), values, False
        if values.dtype.kind == "b":
            raise _ambiguous(name, "a Series of booleans", x, f"{name}.astype(int)", name)
        return None, values.tolist(), True
    if isinstance(x, np.ndarray):
        kind = x.dtype.kind
        if kind in "iuf":
            return None, x, False
        if kind == "b":
            raise _ambiguous(name, "an array of booleans", x, f"{name}.astype(int)", name)
        if kind in "USO":
            if x.ndim != 1:
                raise bad_argument(name, "a one-dimensional array when it holds samples", x)
            return _read_sequence(x.tolist(), name, x)
        raise bad_argument(name, "an array of real numbers (weights) or of symbols (samples)", x)
    if isinstance(x, Iterator):
        items = _bounded_list(x, name)
        if not items:
            raise bad_argument(name, "a non-empty iterator of samples", x)
        return None, items, True
    if isinstance(x, Set):
        raise bad_argument(name, "ordered: a sequence of weights or samples, not a set", x)
    if isinstance(x, Iterable):
        return _read_sequence(x, name, x)
    if _is_number(x):
        raise bad_argument(name, "an array of weights or samples (not a scalar)", x)
    raise bad_argument(name, "weights (numbers, {symbol: weight}) or samples (text, bytes, symbols)", x)


def _read_sequence(seq: Any, name: str, shown: Any) -> tuple[tuple | None, Any, bool]:
    """A sequence (or other iterable) of numbers -> weights, of non-numbers -> samples."""
    items = seq if isinstance(seq, (list, tuple)) else _bounded_list(seq, name)
    if len(items) == 0:
        raise bad_argument(name, "non-empty", shown)
    # fast paths for the common cases, a list of numbers and a list of words
    try:
        arr = np.asarray(items)
    except (ValueError, TypeError, OverflowError):
        arr = None
    except MemoryError:
        raise bad_argument(name, "small enough to hold in memory", shown) from None
    if arr is not None and arr.dtype.kind in "iuf" and not any(
        type(v) in (bool, np.bool_) for v in items
    ):
        return None, arr, False
    if arr is not None and arr.dtype.kind == "U" and arr.ndim == 1 and all(
        type(v) is str for v in items
    ):
        if all(_NUMBER_TEXT.fullmatch(v) for v in items):
            listed = ", ".join(items[:3]) + (", ..." if len(items) > 3 else "")
            raise _ambiguous(name, "strings that spell numbers", shown, f"numbers [{listed}]", name)
        return None, items, True
    numbers_ = [_is_number(v) for v in items]
    if all(numbers_):
        return None, items if not isinstance(seq, range) else seq, False
    if any(isinstance(v, (bool, np.bool_)) for v in items):
        raise _ambiguous(name, "booleans", shown, "a list of 0s and 1s", name)
    if any(numbers_):
        raise PrefixCodeError(
            f"argument {name!r} is ambiguous (numbers mixed with other values): pass numbers only "
            f"for weights, or Distribution.from_samples({name}) for samples, got {show(shown)}"
        )
    if all(isinstance(v, (list, tuple, np.ndarray)) for v in items) and any(
        _is_number(u) for v in items for u in (v.flat if isinstance(v, np.ndarray) else v)
    ):
        return None, items, False  # nested sequences of numbers: a table of weights
    return None, items, True


#: Items read one by one from an iterator or a lazy sequence (a range, a generator):
#: beyond this, use a numpy array.
MAX_ITEMS = 1 << 24


def _bounded_list(items: Any, name: str) -> list:
    """`items` (an iterable) as a list, refused beyond MAX_ITEMS items."""
    import itertools

    too_many = f"at most {MAX_ITEMS} items when read one by one (pass a numpy array)"
    size = len(items) if hasattr(items, "__len__") else None
    if size is not None and size > MAX_ITEMS:
        raise bad_argument(name, too_many, items)
    out = list(itertools.islice(items, MAX_ITEMS + 1))
    if len(out) > MAX_ITEMS:
        raise bad_argument(name, too_many, items)
    return out


def _count(samples: Any, name: str) -> tuple[tuple, np.ndarray]:
    """Symbols (sorted where sortable) and their counts in `samples`."""
    if _is_bytes(samples):
        counts = np.bincount(check_bytes(samples, name), minlength=256)
        present = np.flatnonzero(counts)
        if present.size == 0:
            raise bad_argument(name, "non-empty", samples)
        return tuple(present.tolist()), counts[present].astype(np.int64)
    try:
        counter = Counter(samples)
    except TypeError:
        raise bad_argument(name, "made of hashable symbols", samples) from None
    if not counter:
        raise bad_argument(name, "non-empty", samples)
    symbols = _sort_symbols(counter)
    return symbols, np.fromiter((counter[s] for s in symbols), dtype=np.int64, count=len(symbols))


def _shown_rows(n: int, limit: int) -> list[int]:
    """The rows a table of `n` symbols shows: all, or the first limit - 4 and the last 4."""
    return list(range(n)) if n <= limit else list(range(limit - 4)) + list(range(n - 4, n))


def _text_table(head: tuple, body: list, hidden: int, ragged_last: bool = False) -> list[str]:
    """The lines of a plain table of symbols (for Distribution and PrefixCode): the first
    column left-aligned, the others right-aligned (the last as it is, with `ragged_last`),
    and a line saying how many rows were left out before the last 4."""
    widths = [max(len(h), *(len(b[k]) for b in body)) for k, h in enumerate(head)]
    last = len(head) - 1

    def line(cells: tuple) -> str:
        return "  ".join(c.ljust(widths[0]) if k == 0 else c if ragged_last and k == last
                         else c.rjust(widths[k]) for k, c in enumerate(cells))

    lines = [line(head)]
    cut = len(body) - 4 if hidden else len(body)
    lines += [line(b) for b in body[:cut]]
    if hidden:
        lines.append(f"... ({hidden} more symbols)")
        lines += [line(b) for b in body[cut:]]
    return lines


@dataclass(frozen=True, eq=False)
class Distribution:
    """A probability distribution over named symbols.

    Build one from weights with ``Distribution(symbols, weights)`` (weights are
    normalized), from observed data with :meth:`from_samples` or :meth:`from_bytes`, or
    from a mapping with :meth:`from_mapping`. Every function of prefixcode that takes a
    distribution accepts one.

    Attributes
    ----------
    symbols : tuple
        The symbols, in order.
    probs : numpy.ndarray
        Their probabilities (read-only float64, summing to one).
    counts : numpy.ndarray or None
        The counts it was built from, when built from samples.

    Examples
    --------
    >>> import prefixcode as pc
    >>> d = pc.Distribution.from_samples("abracadabra")
    >>> d.symbols
    ('a', 'b', 'c', 'd', 'r')
    >>> d["a"]
    0.45454545454545453
    >>> round(pc.entropy(d), 4)
    2.0404
    """

    symbols: tuple
    probs: np.ndarray
    counts: np.ndarray | None = None

    def __init__(self, symbols: Iterable[Hashable], weights: Any, counts: Any = None):
        if isinstance(symbols, (list, tuple)):
            symbols = tuple(symbols)
        elif symbols is None or isinstance(symbols, Mapping) or not isinstance(symbols, Iterable):
            raise bad_argument("symbols", "an iterable of hashable symbols", symbols)
        else:
            symbols = tuple(_bounded_list(symbols, "symbols"))
        w = _numeric_array(weights, "weights")
        if w.ndim != 1:
            raise bad_argument("weights", "one-dimensional", weights)
        if len(symbols) != w.shape[0]:
            raise PrefixCodeError(
                f"argument 'symbols' must have one entry per weight ({w.shape[0]}), "
                f"got {len(symbols)} symbols"
            )
        _distinct_symbols(symbols, "symbols")
        _check_weights(w, "weights", axis=-1)
        probs = normalized(w)
        probs.setflags(write=False)
        object.__setattr__(self, "symbols", symbols)
        object.__setattr__(self, "probs", probs)
        if counts is not None:
            counts = np.array(counts, dtype=np.int64)
            counts.setflags(write=False)
        object.__setattr__(self, "counts", counts)

    # -- constructors -----------------------------------------------------------------
    @classmethod
    def from_samples(cls, samples: Iterable[Hashable], alphabet: Iterable[Hashable] | None = None
                     ) -> Distribution:
        """The empirical distribution of `samples` (the maximum-likelihood estimate).

        Whatever `samples` is, it is read as samples: text as its characters, byte data
        as byte values (ints 0..255), a sequence, array, pandas Series or iterator as
        its items, numbers included. Use it wherever the input rule (module notes) would
        read an input as weights or refuse it as ambiguous.

        Parameters
        ----------
        samples : iterable of hashable symbols, str or bytes
            The observations.
        alphabet : iterable, optional
            The symbols of the distribution, in this order, including those that do not
            occur (probability 0); every sample must be one of them. By default the
            symbols that occur, sorted where they can be sorted, else in first-seen
            order. ``alphabet=range(256)`` gives byte data's full alphabet.

        Examples
        --------
        >>> import prefixcode as pc
        >>> pc.Distribution.from_samples(["rain", "sun", "sun", "sun"]).to_dict()
        {'rain': 0.25, 'sun': 0.75}
        >>> pc.Distribution.from_samples("0.5 0.5").symbols      # characters, as asked
        (' ', '.', '0', '5')
        >>> d = pc.Distribution.from_samples(b"aab", alphabet=range(256))
        >>> len(d), d[97], d[0]
        (256, 0.6666666666666666, 0.0)
        """
        if samples is None or isinstance(samples, (numbers.Number, np.generic)):
            raise bad_argument("samples", "an iterable of hashable symbols", samples)
        if isinstance(samples, Mapping):
            raise bad_argument("samples", "samples, not a mapping (for {symbol: weight} use "
                               "Distribution.from_mapping)", samples)
        if isinstance(samples, np.ndarray):
            samples = samples.reshape(-1).tolist()
        elif _is_series(samples):
            samples = samples.to_numpy().tolist()
        elif not isinstance(samples, (str, bytes, bytearray, memoryview, list, tuple)):
            if not isinstance(samples, Iterable):
                raise bad_argument("samples", "an iterable of hashable symbols", samples)
            samples = _bounded_list(samples, "samples")
        symbols, counts = _count(samples, "samples")
        if alphabet is None:
            return cls(symbols, counts, counts=counts)
        if isinstance(alphabet, np.ndarray):
            full = tuple(alphabet.tolist())
        elif isinstance(alphabet, (str, bytes, list, tuple)):
            full = tuple(alphabet)
        elif isinstance(alphabet, Iterable) and not isinstance(alphabet, Mapping):
            full = tuple(_bounded_list(alphabet, "alphabet"))
        else:
            raise bad_argument("alphabet", "an iterable of symbols", alphabet)
        if not full:
            raise bad_argument("alphabet", "non-empty", alphabet)
        _distinct_symbols(full, "alphabet")
        pos = {s: i for i, s in enumerate(full)}
        out = np.zeros(len(full), dtype=np.int64)
        for s, c in zip(symbols, counts.tolist()):
            i = pos.get(s)
            if i is None:
                raise PrefixCodeError(f"argument 'samples' must draw from 'alphabet', got the symbol "
                                      f"{show(s)} which is not in it")
            out[i] = c
        return cls(full, out, counts=out)

    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview | np.ndarray) -> Distribution:
        """The distribution of byte values in `data`, over the full alphabet 0..255.

        Bytes that do not occur have probability 0. The same as
        ``Distribution.from_samples(data, alphabet=range(256))``; the input rule reads
        byte data as the bytes that occur.

        Examples
        --------
        >>> import prefixcode as pc
        >>> d = pc.Distribution.from_bytes(b"aab")
        >>> len(d), d[97], d[0]
        (256, 0.6666666666666666, 0.0)
        """
        counts = histogram(data)
        if counts.sum() == 0:
            raise bad_argument("data", "non-empty", data)
        return cls(BYTE_ALPHABET, counts, counts=counts)

    @classmethod
    def from_mapping(cls, weights: Mapping[Hashable, float]) -> Distribution:
        """A distribution from ``{symbol: weight}`` (weights are normalized).

        Examples
        --------
        >>> import prefixcode as pc
        >>> pc.Distribution.from_mapping({"sun": 3, "rain": 1}).probs
        array([0.75, 0.25])
        """
        return as_distribution(weights, "weights")

    # -- views ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.symbols)

    def __getitem__(self, symbol: Hashable) -> float:
        try:
            return float(self.probs[self._index[symbol]])
        except KeyError:
            raise PrefixCodeError(f"symbol {symbol!r} is not in this distribution") from None

    @property
    def _index(self) -> dict:
        idx = self.__dict__.get("_index_cache")
        if idx is None:
            idx = {s: i for i, s in enumerate(self.symbols)}
            object.__setattr__(self, "_index_cache", idx)
        return idx

    def to_dict(self) -> dict:
        """``{symbol: probability}`` with plain Python floats."""
        return {s: float(p) for s, p in zip(self.symbols, self.probs)}

    def _table(self, limit: int) -> tuple[list[tuple[str, str, str | None]], int]:
        n = len(self)
        idx = _shown_rows(n, limit)
        counts = None if self.counts is None else self.counts.tolist()
        rows = [(repr(self.symbols[i]), f"{float(self.probs[i]):.4g}",
                 None if counts is None else str(counts[i])) for i in idx]
        return rows, n - len(idx)

    def __str__(self) -> str:
        """A table: symbol, probability (and count, when built from samples).

        Examples
        --------
        >>> import prefixcode as pc
        >>> print(pc.Distribution.from_samples("abracadabra"))
        symbol        p  count
        'a'      0.4545      5
        'b'      0.1818      2
        'c'     0.09091      1
        'd'     0.09091      1
        'r'      0.1818      2
        """
        rows, hidden = self._table(40)
        head = ("symbol", "p", "count") if self.counts is not None else ("symbol", "p")
        body = [r if self.counts is not None else r[:2] for r in rows]
        return "\n".join(_text_table(head, body, hidden))

    def _repr_html_(self) -> str:
        import html

        rows, hidden = self._table(60)
        right = ' style="text-align:right"'
        head = "<th>symbol</th>" + f"<th{right}>p</th>"
        if self.counts is not None:
            head += f"<th{right}>count</th>"
        out = [f"<table><thead><tr>{head}</tr></thead><tbody>"]
        cut = len(rows) - 4 if hidden else len(rows)
        for k, (sym, p, c) in enumerate(rows):
            if hidden and k == cut:
                out.append(f'<tr><td colspan="3">... ({hidden} more symbols)</td></tr>')
            cells = f"<td>{html.escape(sym)}</td><td{right}>{p}</td>"
            if c is not None:
                cells += f"<td{right}>{c}</td>"
            out.append(f"<tr>{cells}</tr>")
        out.append(f"</tbody></table><p>{len(self)} symbols</p>")
        return "".join(out)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text("Distribution(...)" if cycle else str(self))

    def __repr__(self) -> str:
        items = ", ".join(f"{s!r}: {p:.4g}" for s, p in list(zip(self.symbols, self.probs))[:8])
        more = ", ..." if len(self) > 8 else ""
        return f"Distribution({{{items}{more}}})"


# -- scalar arguments ----------------------------------------------------------------
#: The longest codeword (in digits) any function builds or accepts: lengths, max_length,
#: integer codewords. Far above what real codes need (Huffman's code for float weights
#: stays below 1,600 digits), low enough that exact arithmetic on 2**-length stays cheap.
MAX_LENGTH = 1 << 16


def check_positive_int(value: Any, name: str, maximum: int | None = None) -> int:
    """An integer >= 1 (at most `maximum` when given); see :func:`check_int`."""
    return check_int(value, name, 1, maximum)


#: The digits of codewords go up to base 36 (``0-9a-z``).
MAX_ARITY = 36


def check_arity(arity: Any, name: str = "arity") -> int:
    """Validate a code arity: an integer from 2 to 36.

    Examples
    --------
    >>> from prefixcode.distribution import check_arity
    >>> check_arity(3)
    3
    """
    return check_int(arity, name, 2, MAX_ARITY)


def check_max_length(max_length: Any, n: int, arity: int, name: str = "max_length") -> int | None:
    """Validate a codeword length limit: None, or 1 .. MAX_LENGTH and enough for `n` symbols.

    A limit of `n` or more never binds (no optimal prefix code for n symbols needs
    longer codewords), so it is returned as `n`: work that depends on the limit stays
    bounded by the alphabet.

    Examples
    --------
    >>> from prefixcode.distribution import check_max_length
    >>> check_max_length(60_000, 8, 2), check_max_length(None, 8, 2)
    (8, None)
    >>> check_max_length(2, 8, 2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    prefixcode.errors.PrefixCodeError: argument 'max_length' must be at least ... for 8 symbols, got 2
    """
    if max_length is None:
        return None
    m = check_int(max_length, name, 1, MAX_LENGTH, hint="or None")
    m = min(m, max(n, 1))
    if arity**m < n:
        need, cap = 1, arity
        while cap < n:
            need, cap = need + 1, cap * arity
        raise bad_argument(name, f"at least ceil(log_{arity} {n}) = {need} for {n} symbols", max_length)
    return m


def check_flag(value: Any, name: str) -> bool:
    """Validate a yes/no argument: a bool (numpy's too), or the integers 0 and 1."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and int(value) in (0, 1):
        return bool(value)
    raise bad_argument(name, "True or False", value)


def check_real(value: Any, name: str, low: float, high: float, *, low_open: bool = False,
               high_open: bool = False) -> float:
    """Validate a finite real number within ``[low, high]`` (ends open on request).

    Examples
    --------
    >>> from prefixcode.distribution import check_real
    >>> check_real(0.35, "p_max", 0, 1, low_open=True)
    0.35
    """
    lo, hi = "(" if low_open else "[", ")" if high_open else "]"
    if math.isfinite(high):
        span = f"in {lo}{low:g}, {high:g}{hi}"
    else:
        span = f"> {low:g}" if low_open else f">= {low:g}"
    requirement = f"a finite number {span}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.integer, np.floating)):
        raise bad_argument(name, requirement, value)
    try:
        x = float(value)
    except OverflowError:  # an integer beyond any float
        raise bad_argument(name, requirement, value) from None
    if not math.isfinite(x) or x < low or x > high or (low_open and x == low) or (high_open and x == high):
        raise bad_argument(name, requirement, value)
    return x


def _distinct_symbols(symbols: tuple, name: str) -> None:
    """Raise unless `symbols` are hashable and distinct (the message shows a culprit)."""
    try:
        distinct = len(set(symbols)) == len(symbols)
    except TypeError:
        bad = next(s for s in symbols if not isinstance(s, Hashable) or _unhashable(s))
        raise bad_argument(name, "made of hashable symbols", bad) from None
    if not distinct:
        dup = next(s for s, c in Counter(symbols).items() if c > 1)
        raise bad_argument(name, "distinct", dup)


def _unhashable(s: Any) -> bool:
    try:
        hash(s)
    except TypeError:
        return True
    return False


# -- checks ---------------------------------------------------------------------------
def check_base(base: Any, name: str = "base") -> float:
    """Validate a logarithm base (> 1, finite) and return it as a float."""
    if isinstance(base, bool) or not isinstance(base, (numbers.Real, np.floating, np.integer)):
        raise bad_argument(name, "a real number > 1", base)
    try:
        b = float(base)
    except OverflowError:  # an integer beyond any float
        raise bad_argument(name, "a finite number > 1", base) from None
    if not math.isfinite(b) or b <= 1:
        raise bad_argument(name, "a finite number > 1", base)
    return b


def _numeric_array(x: Any, name: str, shown: Any = None) -> np.ndarray:
    """`x` as a float64 array, or a PrefixCodeError naming `name` (and showing `shown`)."""
    if shown is None:
        shown = x
    if x is None:
        raise bad_argument(name, "an array of numbers", x)
    x = _unmasked(x, name)
    if isinstance(x, np.ndarray):
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except (ValueError, TypeError):
            raise bad_argument(name, "a rectangular array of numbers", shown) from None
        except MemoryError:  # a lazy sequence too long to hold, range(10**12)
            raise bad_argument(name, "small enough to hold in memory", shown) from None
    if arr.dtype.kind == "O" and arr.size and all(_is_number(v) for v in arr.flat):
        try:  # Fractions, Decimals, Python ints beyond int64
            return arr.astype(np.float64)
        except (OverflowError, ValueError, TypeError):
            raise bad_argument(name, "an array of numbers that fit a float", shown) from None
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise bad_argument(name, "an array of real numbers", shown)
    return arr.astype(np.float64, copy=False)


def normalized(w: np.ndarray, axis: int | None = -1) -> np.ndarray:
    """`w` divided by its sum along `axis` (all of it for None), safe from overflow.

    Weights whose sum overflows (``[1e308, 1e308]``) are scaled by their largest value
    first, so the result is the distribution they mean, never zeros or NaN.
    """
    with np.errstate(over="ignore"):
        total = w.sum(axis=axis, keepdims=axis is not None)
    if np.all(np.isfinite(total)):
        return w / total
    scale = w.max(axis=axis, keepdims=axis is not None)
    scaled = w / scale
    return scaled / scaled.sum(axis=axis, keepdims=axis is not None)


def check_axis(axis: Any, ndim: int, name: str = "axis") -> int | None:
    """Validate an axis of an array of `ndim` dimensions (None: all of them)."""
    if axis is None:
        return None
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise bad_argument(name, "an integer or None", axis)
    if not -max(ndim, 1) <= int(axis) < max(ndim, 1):
        raise bad_argument(name, f"an axis of the {ndim}-dimensional input, from {-ndim} to {ndim - 1}", axis)
    return int(axis)


def _unmasked(x: Any, name: str) -> Any:
    """The data of a numpy masked array without masked entries; refused when any is masked."""
    if isinstance(x, np.ma.MaskedArray):
        if np.ma.getmaskarray(x).any():
            raise PrefixCodeError(
                f"argument {name!r} must have no masked entries (use {name}.filled(0) to give them "
                f"weight 0, or {name}.compressed() to drop them), got {' '.join(str(x).split())}"
            )
        return np.ma.getdata(x)
    return x


def _check_weights(w: np.ndarray, name: str, axis: int | None = -1, value: Any = None) -> None:
    """Raise unless `w` is a non-empty array of finite non-negative weights, no slice all zero."""
    shown = w if value is None else value
    if w.ndim == 0:
        raise bad_argument(name, "an array (not a scalar)", shown)
    if w.size == 0:
        raise bad_argument(name, "non-empty", shown)
    if np.isnan(w).any():
        raise bad_argument(name, "free of NaN", shown)
    if np.isinf(w).any():
        raise bad_argument(name, "finite", shown)
    if (w < 0).any():
        raise bad_argument(name, "non-negative", shown)
    with np.errstate(over="ignore"):
        totals = w.sum() if axis is None else w.sum(axis=axis)
    if np.any(totals == 0):
        raise bad_argument(name, "of positive total (not all zero)", shown)


def as_distribution(x: Any, name: str = "p") -> Distribution:
    """A one-dimensional input of any accepted form as a validated :class:`Distribution`."""
    return as_keyed(x, name)[0]


def as_weights(x: Any, name: str = "p", axis: int | None = -1) -> tuple[tuple | None, np.ndarray]:
    """Validate any accepted form of weights or samples (the input rule of the module notes).

    Returns ``(symbols, weights)``: ``symbols`` is a tuple for mappings, Distributions,
    pandas Series of numbers and samples, and ``None`` for plain arrays of numbers
    (whose symbols are positions). ``weights`` is a float64 array, not normalized, not
    to be mutated.
    """
    symbols, w, _ = _weights(x, name, axis)
    return symbols, w


def _weights(x: Any, name: str, axis: int | None) -> tuple[tuple | None, np.ndarray, Any]:
    """:func:`as_weights`, plus the weights as given (for exact arithmetic)."""
    if isinstance(x, Distribution):
        return x.symbols, x.probs, x.counts if x.counts is not None else x.probs
    symbols, raw, is_samples = _read_input(x, name)
    if axis is not None and (symbols is not None or is_samples):
        check_axis(axis, 1)  # one-dimensional; a plain array's axis is checked below
    if is_samples:
        symbols, counts = _count(raw, name)
        return symbols, counts.astype(np.float64), counts
    if symbols is not None:  # a mapping or a Series: weights keyed by symbol
        if not symbols:
            raise bad_argument(name, "non-empty", x)
        w = _numeric_array(raw, name, shown=x)
        if w.ndim != 1:
            raise bad_argument(name, "a mapping of symbols to single numbers", x)
        if len(set(symbols)) != len(symbols):
            dup = next(s for s, c in Counter(symbols).items() if c > 1)
            raise bad_argument(name, "keyed by distinct symbols", dup)
        _check_weights(w, name, value=x)
        return symbols, w, raw
    w = _numeric_array(raw, name, shown=x)
    if w.ndim:
        axis = check_axis(axis, w.ndim)
    _check_weights(w, name, axis=axis, value=x)
    return None, w, raw


def _fraction(v: Any) -> Fraction:
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    if isinstance(v, decimal.Decimal):
        return Fraction(v)
    return Fraction(float(v))  # a float's exact binary value


def as_exact(x: Any, name: str = "p") -> tuple[Distribution, list[Fraction]]:
    """`x` as a Distribution and its probabilities as exact Fractions (summing to 1).

    Exact input stays exact: integer counts (ints, integer arrays, samples) and
    Fractions give their exact ratios; floats are taken at their exact binary values
    and normalized exactly.
    """
    symbols, w, raw = _weights(x, name, -1)
    if w.ndim != 1:
        raise bad_argument(name, "one-dimensional", x)
    values = raw.tolist() if isinstance(raw, np.ndarray) else list(raw)
    exact = [_fraction(v) for v in values]
    total = sum(exact)
    probs = [v / total for v in exact]
    if isinstance(x, Distribution):
        return x, probs
    if symbols is None:
        symbols = tuple(range(w.shape[0]))
    return Distribution(symbols, w), probs


def as_keyed(x: Any, name: str = "p") -> tuple[Distribution, bool]:
    """`x` as a Distribution, and whether its symbols are mere positions (plain weights)."""
    if isinstance(x, Distribution):
        return x, False
    symbols, w = as_weights(x, name)
    if w.ndim != 1:
        raise bad_argument(name, "one-dimensional", x)
    if symbols is None:
        return Distribution(tuple(range(w.shape[0])), w), True
    return Distribution(symbols, w), False


def as_probabilities(x: Any, name: str = "p", axis: int = -1) -> tuple[tuple | None, np.ndarray]:
    """Like :func:`as_weights`, normalized to sum to one along `axis`."""
    symbols, w = as_weights(x, name, axis=axis)
    return symbols, normalized(w, axis)


def align(
    p: Any, q: Any, names: tuple[str, str] = ("p", "q"), axis: int = -1, normalize_q: bool = True
) -> tuple[tuple | None, np.ndarray, np.ndarray]:
    """Validate two distributions and bring them onto one set of symbols.

    Mappings are aligned over the union of their keys (p's symbols first), a missing key
    weighing 0. Plain arrays must have the same shape. A mapping and a plain array are
    aligned by position and must have the same length. `p` is always normalized; `q`
    only when `normalize_q` is true (else it may be a sub-probability).
    """
    np_, nq = names
    sp, wp = as_weights(p, np_, axis=axis)
    sq, wq = as_weights(q, nq, axis=None if not normalize_q else axis)
    if sp is not None and sq is not None and sp != sq:
        union = tuple(dict.fromkeys(sp + sq))
        wp = _reindex(sp, wp, union)
        wq = _reindex(sq, wq, union)
        sp = union
    elif wp.shape != wq.shape:
        raise PrefixCodeError(
            f"arguments {np_!r} and {nq!r} must have the same shape, "
            f"got {wp.shape} and {wq.shape}"
        )
    symbols = sp if sp is not None else sq
    wp = normalized(wp, axis)
    if normalize_q:
        wq = normalized(wq, axis)
    else:
        totals = wq.sum(axis=axis)
        if np.any(totals > 1 + 1e-12):
            worst = float(np.max(totals))
            raise PrefixCodeError(
                f"argument {nq!r} must be a sub-probability (summing to at most 1) when "
                f"normalize=False, got a sum of {worst:.6g}; pass normalize=True to normalize it"
            )
    return symbols, wp, wq


def _reindex(symbols: tuple, w: np.ndarray, union: tuple) -> np.ndarray:
    out = np.zeros(len(union))
    pos = {s: i for i, s in enumerate(union)}
    out[[pos[s] for s in symbols]] = w
    return out


def as_joint(pxy: Any, name: str = "pxy") -> tuple[tuple, tuple, np.ndarray]:
    """A joint distribution as ``(x_symbols, y_symbols, table)``, normalized, X on rows.

    Accepts a 2-D array (``pxy[x, y]``) or a mapping ``{(x, y): weight}``.
    """
    if isinstance(pxy, Mapping):
        if not pxy:
            raise bad_argument(name, "non-empty", pxy)
        try:
            xs = tuple(dict.fromkeys(k[0] for k in pxy))
            ys = tuple(dict.fromkeys(k[1] for k in pxy))
            if any(len(k) != 2 for k in pxy):
                raise TypeError
        except (TypeError, IndexError):
            raise bad_argument(name, "a mapping of (x, y) pairs to weights", pxy) from None
        w = _numeric_array(list(pxy.values()), name)
        if w.ndim != 1:
            raise bad_argument(name, "a mapping of (x, y) pairs to single numbers", pxy)
        xi = {s: i for i, s in enumerate(xs)}
        yi = {s: i for i, s in enumerate(ys)}
        table = np.zeros((len(xs), len(ys)))
        for (x, y), v in zip(pxy.keys(), w):
            table[xi[x], yi[y]] += v
        _check_weights(table, name, axis=None, value=pxy)
    else:
        table = _numeric_array(pxy, name)
        if table.ndim != 2:
            raise bad_argument(name, "a two-dimensional table pxy[x, y]", pxy)
        _check_weights(table, name, axis=None, value=pxy)
        xs = tuple(range(table.shape[0]))
        ys = tuple(range(table.shape[1]))
    return xs, ys, normalized(table, None)


def as_unit_interval(x: Any, name: str) -> np.ndarray:
    """Validate probabilities in [0, 1] (elementwise, not normalized)."""
    arr = _numeric_array(x, name)
    if arr.size == 0:
        raise bad_argument(name, "non-empty", x)
    if np.isnan(arr).any():
        raise bad_argument(name, "free of NaN", x)
    if ((arr < 0) | (arr > 1)).any():
        raise bad_argument(name, "a probability in [0, 1]", x)
    return arr

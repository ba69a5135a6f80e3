"""The one validation layer: user input -> checked float64 arrays with their symbols.

Every public function of prefixcode passes its distributions through here once. What
comes out is trusted by the algorithms behind it and never mutated.

Accepted forms of a distribution (``p``, ``q``, a table of weights):

* a sequence or numpy array of non-negative numbers (probabilities, counts or any
  unnormalized weights); its symbols are ``0 .. n-1`` along the last axis;
* a mapping ``{symbol: weight}`` with hashable symbols;
* a :class:`Distribution` (for example from :meth:`Distribution.from_samples`);
* ``bytes``, ``bytearray`` or ``memoryview``: byte data, summarized as counts over the
  alphabet ``0 .. 255``;
* ``str``: a message, summarized as counts of its characters.

Counts and unnormalized weights are normalized to sum to one wherever a probability
distribution is meant. Negative, NaN or infinite weights, empty or all-zero input,
``None`` and non-numeric arrays raise :class:`~prefixcode.errors.PrefixCodeError` with
a message naming the argument and the value.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import PrefixCodeError, bad_argument

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
    return np.bincount(_byte_view(data, "data"), minlength=256).astype(np.int64, copy=False)


def _byte_view(data: Any, name: str) -> np.ndarray:
    if isinstance(data, np.ndarray):
        if data.dtype != np.uint8:
            raise bad_argument(name, "bytes or a uint8 array", data)
        return data.reshape(-1)
    if isinstance(data, (bytes, bytearray, memoryview)):
        return np.frombuffer(data, dtype=np.uint8)
    raise bad_argument(name, "bytes, bytearray, memoryview or a uint8 array", data)


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
        symbols = tuple(symbols)
        w = _numeric_array(weights, "weights")
        if w.ndim != 1:
            raise bad_argument("weights", "one-dimensional", weights)
        if len(symbols) != w.shape[0]:
            raise PrefixCodeError(
                f"argument 'symbols' must have one entry per weight ({w.shape[0]}), "
                f"got {len(symbols)} symbols"
            )
        if len(set(symbols)) != len(symbols):
            dup = next(s for s, c in Counter(symbols).items() if c > 1)
            raise bad_argument("symbols", "distinct", dup)
        _check_weights(w, "weights", axis=-1)
        probs = w / w.sum()
        probs.setflags(write=False)
        object.__setattr__(self, "symbols", symbols)
        object.__setattr__(self, "probs", probs)
        if counts is not None:
            counts = np.array(counts, dtype=np.int64)
            counts.setflags(write=False)
        object.__setattr__(self, "counts", counts)

    # -- constructors -----------------------------------------------------------------
    @classmethod
    def from_samples(cls, samples: Iterable[Hashable]) -> Distribution:
        """The empirical distribution of `samples` (the maximum-likelihood estimate).

        Symbols are sorted where they can be sorted, else kept in first-seen order.

        Examples
        --------
        >>> import prefixcode as pc
        >>> pc.Distribution.from_samples(["rain", "sun", "sun", "sun"]).to_dict()
        {'rain': 0.25, 'sun': 0.75}
        """
        if samples is None or isinstance(samples, (numbers.Number, np.generic)):
            raise bad_argument("samples", "an iterable of hashable symbols", samples)
        if isinstance(samples, (bytes, bytearray, memoryview)):
            return cls.from_bytes(samples)
        try:
            counter = Counter(samples)
        except TypeError:
            raise bad_argument("samples", "an iterable of hashable symbols", samples) from None
        if not counter:
            raise bad_argument("samples", "non-empty", samples)
        symbols = _sort_symbols(counter)
        counts = [counter[s] for s in symbols]
        return cls(symbols, counts, counts=counts)

    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview | np.ndarray) -> Distribution:
        """The distribution of byte values in `data`, over the full alphabet 0..255.

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

    def __repr__(self) -> str:
        items = ", ".join(f"{s!r}: {p:.4g}" for s, p in list(zip(self.symbols, self.probs))[:8])
        more = ", ..." if len(self) > 8 else ""
        return f"Distribution({{{items}{more}}})"


# -- checks ---------------------------------------------------------------------------
def check_base(base: Any, name: str = "base") -> float:
    """Validate a logarithm base (> 1, finite) and return it as a float."""
    if isinstance(base, bool) or not isinstance(base, (numbers.Real, np.floating, np.integer)):
        raise bad_argument(name, "a real number > 1", base)
    b = float(base)
    if not math.isfinite(b) or b <= 1:
        raise bad_argument(name, "a finite number > 1", base)
    return b


def _numeric_array(x: Any, name: str, shown: Any = None) -> np.ndarray:
    """`x` as a float64 array, or a PrefixCodeError naming `name` (and showing `shown`)."""
    if shown is None:
        shown = x
    if x is None:
        raise bad_argument(name, "an array of numbers", x)
    if isinstance(x, np.ndarray):
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except (ValueError, TypeError):
            raise bad_argument(name, "a rectangular array of numbers", shown) from None
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise bad_argument(name, "an array of real numbers", shown)
    return arr.astype(np.float64, copy=False)


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
    totals = w.sum() if axis is None else w.sum(axis=axis)
    if np.any(totals == 0):
        raise bad_argument(name, "of positive total (not all zero)", shown)


def as_distribution(x: Any, name: str = "p") -> Distribution:
    """A one-dimensional input of any accepted form as a validated :class:`Distribution`."""
    if isinstance(x, Distribution):
        return x
    symbols, w = as_weights(x, name)
    if w.ndim != 1:
        raise bad_argument(name, "one-dimensional", x)
    if symbols is None:
        symbols = tuple(range(w.shape[0]))
    return Distribution(symbols, w)


def as_weights(x: Any, name: str = "p", axis: int | None = -1) -> tuple[tuple | None, np.ndarray]:
    """Validate any accepted form of weights.

    Returns ``(symbols, weights)``: ``symbols`` is a tuple for mappings, Distributions,
    bytes and strings, and ``None`` for plain arrays (whose symbols are positions).
    ``weights`` is a float64 array, not normalized, not to be mutated.
    """
    if isinstance(x, Distribution):
        return x.symbols, x.probs
    if isinstance(x, (bytes, bytearray, memoryview)):
        if len(x) == 0:
            raise bad_argument(name, "non-empty", x)
        w = histogram(x).astype(np.float64)
        _check_weights(w, name, value=x)
        return BYTE_ALPHABET, w
    if isinstance(x, str):
        d = Distribution.from_samples(x) if x else None
        if d is None:
            raise bad_argument(name, "non-empty", x)
        return d.symbols, d.probs
    if isinstance(x, Mapping):
        if not x:
            raise bad_argument(name, "non-empty", x)
        symbols = tuple(x.keys())
        w = _numeric_array(list(x.values()), name, shown=x)
        if w.ndim != 1:
            raise bad_argument(name, "a mapping of symbols to single numbers", x)
        _check_weights(w, name, value=x)
        return symbols, w
    w = _numeric_array(x, name)
    _check_weights(w, name, axis=axis, value=x)
    return None, w


def as_probabilities(x: Any, name: str = "p", axis: int = -1) -> tuple[tuple | None, np.ndarray]:
    """Like :func:`as_weights`, normalized to sum to one along `axis`."""
    symbols, w = as_weights(x, name, axis=axis)
    return symbols, w / w.sum(axis=axis, keepdims=True)


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
    wp = wp / wp.sum(axis=axis, keepdims=True)
    if normalize_q:
        wq = wq / wq.sum(axis=axis, keepdims=True)
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
    return xs, ys, table / table.sum()


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

"""Code constructions: Huffman (binary, D-ary, length-limited) and the classic others.

Every construction takes a distribution ``p`` in any form prefixcode accepts
(weights or samples, by the input rule of :mod:`prefixcode.distribution`) and returns a
:class:`~prefixcode.code.PrefixCode` whose :attr:`~prefixcode.code.PrefixCode.source` is
that distribution.

Conventions shared by the constructions here:

* Every symbol of the alphabet gets a codeword, including symbols of weight zero (a
  code must be able to encode any symbol of its alphabet). One policy for every
  construction: the code is built for the symbols of positive weight; if it fills the
  code space, the lightest of its longest codewords (the last in tie order) gets one
  digit more, which costs that symbol's weight and frees room; the zero-weight symbols
  then all get the shortest common length that fits in the unused space, in their
  order. Their codewords take ``O(m log m)`` digits in all for ``m`` of them, never a
  chain; for Huffman's code the result is still optimal, and with ``max_length`` the
  zero-weight symbols take part in package-merge (work ``n * max_length``). Byte data is summarized over
  the bytes that occur, so ``huffman(b"abc")`` has 3 codewords; pass
  ``Distribution.from_samples(data, alphabet=range(256))`` for a code over all 256.
* A one-symbol alphabet gets the codeword ``"0"`` (one digit per occurrence); a
  two-symbol alphabet gets ``"0"`` and ``"1"``.
* Ties are broken deterministically: weights are ordered by weight, then by the
  position of the symbol in the distribution (for ``Distribution.from_samples`` and
  strings that is sorted symbol order); of two equal weights the later symbol counts
  as the lighter, so Huffman merges it first and the earlier symbol never gets the
  longer codeword (``huffman([1, 1, 1])`` has lengths 1, 2, 2). Between a symbol and an already merged
  node of equal weight, Huffman takes the merged node first, unless
  ``min_variance=True`` (symbol first, Schwartz's rule, which gives the optimal code
  with the least variance of lengths).
* Codes built from lengths (Huffman, Shannon, fixed length) carry canonical codewords
  (DEFLATE order, see :meth:`~prefixcode.code.PrefixCode.from_lengths`): shorter
  codewords first, equal lengths in the order of the distribution's symbols (the
  order of a mapping's keys, first seen; samples are counted in sorted order).
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ._core import _ext
from .code import DIGITS, PrefixCode, _canonical_order, _kraft_fraction
from .distribution import (
    MAX_LENGTH,
    Distribution,
    _bounded_list,
    _distinct_symbols,
    as_distribution,
    as_exact,
    check_arity,
    check_flag,
    check_int,
    check_max_length,
)
from .errors import bad_argument

__all__ = [
    "Decodability",
    "MergeStep",
    "MergeTrace",
    "TunstallCode",
    "block_code",
    "elias_delta",
    "elias_gamma",
    "fixed_length",
    "golomb",
    "huffman",
    "huffman_lengths",
    "huffman_trace",
    "integer_code",
    "is_uniquely_decodable",
    "rice",
    "shannon",
    "shannon_fano",
    "shannon_fano_elias",
    "tunstall",
]


# -- helpers --------------------------------------------------------------------------
def _tie_order(w: np.ndarray) -> np.ndarray:
    """Positions of `w` sorted by weight, equal weights by decreasing position.

    Huffman merges the lightest first, so among equal weights the later symbol goes
    first and the earlier one never gets the longer codeword.
    """
    n = w.shape[0]
    return (n - 1) - np.argsort(w[::-1], kind="stable")


def _from_lengths_trusted(dist: Distribution, lengths: np.ndarray, arity: int) -> PrefixCode:
    symbols = dist.symbols
    order = _canonical_order(symbols)
    return PrefixCode._canonical(symbols, lengths.astype(np.int64, copy=False), arity, dist, order)


def _one_symbol(dist: Distribution, arity: int) -> PrefixCode:
    return PrefixCode._new(dist.symbols, np.ones(1, dtype=np.int64), arity, dist, words=("0",))


def _ceil_log(n: int, arity: int) -> int:
    """Smallest k >= 1 with arity**k >= n."""
    k, cap = 1, arity
    while cap < n:
        k += 1
        cap *= arity
    return k


# -- Huffman --------------------------------------------------------------------------
def huffman_lengths(
    p: Any, arity: int = 2, max_length: int | None = None, min_variance: bool = False
) -> np.ndarray:
    """Optimal (Huffman) codeword lengths for `p`, aligned with its symbols.

    The lengths behind :func:`huffman`, without building the code. See :func:`huffman`
    for the parameters and conventions.

    Returns
    -------
    numpy.ndarray
        int64 lengths, one per symbol of `p` (1 for a one-symbol alphabet).

    Examples
    --------
    >>> from prefixcode.construct import huffman_lengths
    >>> huffman_lengths([0.4, 0.3, 0.2, 0.1]).tolist()
    [1, 2, 3, 3]
    >>> huffman_lengths([0.4, 0.3, 0.2, 0.1], max_length=2).tolist()
    [2, 2, 2, 2]
    """
    dist = as_distribution(p, "p")
    arity = check_arity(arity)
    return _huffman_lengths(dist, arity, max_length, check_flag(min_variance, "min_variance"))


def _huffman_lengths(dist: Distribution, arity: int, max_length: Any, min_variance: bool) -> np.ndarray:
    n = len(dist)
    limit = check_max_length(max_length, n, arity)
    if n == 1:
        return np.ones(1, dtype=np.int64)
    w = dist.probs
    zero = w == 0
    if not zero.any():
        return _huffman_core(w, arity, limit, min_variance)
    # zero-weight symbols: Huffman on the others, then the one policy (module notes)
    pos = np.flatnonzero(~zero)
    lengths = np.zeros(n, dtype=np.int64)
    lengths[pos] = _huffman_core(w[pos], arity, None, min_variance) if pos.size > 1 else 1
    lengths = _fit_zero_weight(lengths, zero, w, arity)
    if limit is not None and int(lengths.max()) > limit:
        lengths = _huffman_core(w, arity, limit, min_variance, limited=True)
    return lengths


def _huffman_core(w: np.ndarray, arity: int, limit: int | None, min_variance: bool,
                  limited: bool = False) -> np.ndarray:
    """Huffman's lengths for weights `w` (at least 2), package-merge above `limit`.

    With `limited`, package-merge is run at once (its work is bounded by ``n * limit``
    whatever the weights, zero weights included).
    """
    n = w.shape[0]
    order = _tie_order(w)
    ws = np.ascontiguousarray(w[order])
    ls = np.empty(n, dtype=np.int64)
    if not limited:
        _ext.huffman_lengths(ws, arity, min_variance, ls)
    if limit is not None and (limited or int(ls.max()) > limit):
        _ext.package_merge(ws, limit, arity, ls)
    lengths = np.empty(n, dtype=np.int64)
    lengths[order] = ls
    return lengths


def huffman(
    p: Any, arity: int = 2, max_length: int | None = None, *, min_variance: bool = False
) -> PrefixCode:
    """Huffman's optimal prefix code for `p` (binary, D-ary, optionally length-limited).

    Parameters
    ----------
    p : distribution
        Probabilities, counts, ``{symbol: weight}``, a Distribution, bytes or a string.
    arity : int, optional
        Number of code digits, 2 (default) to 36. For ``arity > 2``, zero-weight dummy
        symbols are added until every merge joins exactly `arity` nodes; they get no
        codeword.
    max_length : int, optional
        Longest codeword allowed. When Huffman's code is longer, the optimal code
        under the limit is computed by package-merge (Larmore and Hirschberg 1990;
        for ``arity > 2`` packages of `arity` items over the padded alphabet). Must be
        at least ``ceil(log_arity n)``.
    min_variance : bool, optional
        Break ties between a symbol and a merged node of equal weight in favour of the
        symbol (Schwartz's rule): among optimal codes, the one with the least variance
        of lengths (and the shortest longest codeword).

    Returns
    -------
    PrefixCode
        A canonical code (DEFLATE order) with Huffman's lengths; ``source`` is `p`.
        The lengths are those of the two-queue Huffman algorithm (van Leeuwen 1976);
        ties are broken by weight, then by symbol position (see the module notes).

    Raises
    ------
    PrefixCodeError
        For empty, negative or non-finite weights, an arity outside 2..36, or a
        `max_length` too small for the alphabet.

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.huffman({"a": 0.5, "b": 0.25, "c": 0.25})
    PrefixCode({'a': '0', 'b': '10', 'c': '11'})
    >>> p = [0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]   # the weather station
    >>> round(pc.huffman(p).expected_length(), 2)
    2.33
    >>> pc.huffman([0.5, 0.3, 0.2], arity=3)
    PrefixCode({0: '0', 1: '1', 2: '2'}, arity=3)
    >>> max(pc.huffman(p, max_length=4).lengths.values())
    4
    """
    dist = as_distribution(p, "p")
    arity = check_arity(arity)
    if len(dist) == 1:
        check_max_length(max_length, 1, arity)
        return _one_symbol(dist, arity)
    lengths = _huffman_lengths(dist, arity, max_length, check_flag(min_variance, "min_variance"))
    return _from_lengths_trusted(dist, lengths, arity)


@dataclass(frozen=True)
class MergeStep:
    """One merge of Huffman's algorithm, as :func:`huffman_trace` reports it.

    Attributes
    ----------
    step : int
        1 for the first merge.
    merged : tuple
        The nodes merged, smallest first: a symbol is shown as itself, a node made by
        an earlier merge as ``("node", k)`` for the node of step k, and a dummy
        symbol of a D-ary code as ``("dummy", i)``.
    weights : tuple of float
        Their weights.
    weight : float
        The weight of the new node (the sum).
    """

    step: int
    merged: tuple
    weights: tuple
    weight: float

    def __str__(self) -> str:
        parts = " + ".join(f"{_node_name(m)} ({w:.4g})" for m, w in zip(self.merged, self.weights))
        return f"step {self.step}: {parts} -> node {self.step} ({self.weight:.4g})"


class MergeTrace(list):
    """The merge steps of :func:`huffman_trace`: a list of :class:`MergeStep` that shows as a table.

    Examples
    --------
    >>> import prefixcode as pc
    >>> print(pc.huffman_trace({"a": 0.5, "b": 0.3, "c": 0.2}))
    step  merged                 weights     -> node  weight
       1  'c' + 'b'              0.2 + 0.3   node 1      0.5
       2  node 1 + 'a'           0.5 + 0.5   node 2        1
    """

    def _rows(self) -> list[tuple[str, str, str, str, str]]:
        return [
            (str(s.step), " + ".join(_node_name(m) for m in s.merged),
             " + ".join(f"{w:.4g}" for w in s.weights), f"node {s.step}", f"{s.weight:.4g}")
            for s in self
        ]

    _HEAD = ("step", "merged", "weights", "-> node", "weight")

    def __str__(self) -> str:
        if not self:
            return "no merges (one symbol)"
        rows = self._rows()
        widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(self._HEAD)]
        widths[1] = max(widths[1], 21)
        widths[2] = max(widths[2], 10)

        def line(cells: tuple) -> str:
            out = [cells[0].rjust(widths[0]), cells[1].ljust(widths[1]), cells[2].ljust(widths[2]),
                   cells[3].ljust(widths[3]), cells[4].rjust(widths[4])]
            return "  ".join(out).rstrip()

        return "\n".join([line(self._HEAD)] + [line(r) for r in rows])

    def __repr__(self) -> str:
        return f"MergeTrace({list.__repr__(self)})"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text("MergeTrace(...)" if cycle else str(self))

    def _repr_html_(self) -> str:
        import html

        right = ' style="text-align:right"'
        head = "".join(f"<th{right if k in (0, 4) else ''}>{html.escape(h)}</th>"
                       for k, h in enumerate(self._HEAD))
        body = "".join(
            "<tr>" + "".join(f"<td{right if k in (0, 4) else ''}>{html.escape(c)}</td>"
                             for k, c in enumerate(r)) + "</tr>"
            for r in self._rows()
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _node_name(m: Any) -> str:
    if isinstance(m, tuple) and len(m) == 2 and m[0] in ("node", "dummy"):
        return f"{m[0]} {m[1]}"
    return repr(m)


def huffman_trace(p: Any, arity: int = 2, *, min_variance: bool = False) -> MergeTrace:
    """The merge steps of Huffman's algorithm on `p`, for teaching.

    The same algorithm, tie rule and result as :func:`huffman` (without a length
    limit), in plain Python: symbols are sorted by weight (then position); each step
    merges the `arity` lightest nodes.

    Parameters
    ----------
    p : distribution
        As for :func:`huffman`.
    arity : int, optional
        Number of code digits.
    min_variance : bool, optional
        As for :func:`huffman`.

    Returns
    -------
    MergeTrace
        A list of MergeStep, one per merge (``n - 1`` for a binary code, none for one
        symbol), shown as a table.

    Examples
    --------
    >>> from prefixcode.construct import huffman_trace
    >>> for s in huffman_trace({"a": 0.5, "b": 0.3, "c": 0.2}):
    ...     print(s)
    step 1: 'c' (0.2) + 'b' (0.3) -> node 1 (0.5)
    step 2: node 1 (0.5) + 'a' (0.5) -> node 2 (1)
    """
    dist = as_distribution(p, "p")
    arity = check_arity(arity)
    return MergeTrace(_trace(dist, arity, check_flag(min_variance, "min_variance"))[0])


def _trace(dist: Distribution, arity: int, min_variance: bool) -> tuple[list[MergeStep], np.ndarray]:
    """Python two-queue Huffman: (steps, lengths aligned with dist.symbols)."""
    n_all = len(dist)
    if n_all == 1:
        return [], np.ones(1, dtype=np.int64)
    w_all = dist.probs
    zero = w_all == 0
    if not zero.any():
        return _trace_weights(dist.symbols, w_all, arity, min_variance)
    # zero-weight symbols take no part in the merges (module notes); the others keep
    # their weights exactly as huffman() passes them, so ties break alike
    pos = np.flatnonzero(~zero)
    lengths = np.zeros(n_all, dtype=np.int64)
    steps: list[MergeStep] = []
    if pos.size == 1:
        lengths[pos] = 1
    else:
        steps, lengths[pos] = _trace_weights(tuple(dist.symbols[i] for i in pos), w_all[pos],
                                             arity, min_variance)
    return steps, _fit_zero_weight(lengths, zero, w_all, arity)


def _trace_weights(symbols: tuple, w: np.ndarray, arity: int, min_variance: bool
                   ) -> tuple[list[MergeStep], np.ndarray]:
    n_real = len(symbols)
    order = _tie_order(w).tolist()
    pad = (arity - 1 - (n_real - 1) % (arity - 1)) % (arity - 1)
    leaves: list[tuple[Hashable, float, int]] = [(("dummy", i + 1), 0.0, -1) for i in range(pad)]
    leaves += [(symbols[i], float(w[i]), i) for i in order]
    inner: list[tuple[tuple, float, list[int]]] = []  # (label, weight, leaf positions below)
    li = ii = 0
    steps: list[MergeStep] = []
    depth = [0] * n_real
    while (len(leaves) - li) + (len(inner) - ii) > 1:
        merged, weights, below = [], [], []
        for _ in range(arity):
            take_leaf = li < len(leaves) and (
                ii >= len(inner)
                or leaves[li][1] < inner[ii][1]
                or (leaves[li][1] == inner[ii][1] and min_variance)
            )
            if take_leaf:
                sym, wt, pos = leaves[li]
                li += 1
                merged.append(sym)
                weights.append(wt)
                if pos >= 0:
                    below.append(pos)
            else:
                label, wt, under = inner[ii]
                ii += 1
                merged.append(label)
                weights.append(wt)
                below.extend(under)
        for pos in below:
            depth[pos] += 1
        k = len(steps) + 1
        total = 0.0
        for wt in weights:  # summed in merge order, as the kernel does: equal weights tie alike
            total += wt
        steps.append(MergeStep(k, tuple(merged), tuple(weights), total))
        inner.append((("node", k), total, below))
    return steps, np.array(depth, dtype=np.int64)


# -- fixed length ---------------------------------------------------------------------
def fixed_length(symbols_or_p: Any, arity: int = 2) -> PrefixCode:
    """The fixed-length code: every symbol gets ``ceil(log_arity n)`` digits (at least 1).

    Parameters
    ----------
    symbols_or_p : int, sequence of symbols, or distribution
        An alphabet size ``n`` (symbols ``0 .. n-1``, at most 2**22), a ``range``, a sequence of
        symbols that are not numbers (``["sun", "rain"]``), or a distribution in any
        form prefixcode accepts (a sequence of numbers is read as weights; its
        symbols are ``0 .. n-1`` and it becomes the code's source).
    arity : int, optional
        Number of code digits, 2 (default) to 36.

    Returns
    -------
    PrefixCode
        Codeword ``i`` (in symbol order) is ``i`` written with the fixed number of
        digits.

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.fixed_length(["sun", "rain", "fog"]).codewords["rain"]
    '01'
    >>> pc.fixed_length(8).length_array.tolist()
    [3, 3, 3, 3, 3, 3, 3, 3]
    >>> pc.fixed_length(8).expected_length([0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01])
    3.0
    """
    arity = check_arity(arity)
    dist: Distribution | None = None
    x = symbols_or_p
    if isinstance(x, bool):
        raise bad_argument("symbols_or_p", "an alphabet size, symbols or a distribution", x)
    if isinstance(x, (numbers.Integral, np.integer)):
        size = check_int(x, "symbols_or_p", 1, MAX_BLOCKS, hint="an alphabet size")
        symbols: tuple = tuple(range(size))
    elif isinstance(x, range):
        if len(x) > MAX_BLOCKS:
            raise bad_argument("symbols_or_p", f"an alphabet of at most {MAX_BLOCKS} symbols", x)
        symbols = tuple(x)
    elif isinstance(x, (list, tuple)) and x and not all(
        isinstance(v, (numbers.Real, np.number)) and not isinstance(v, bool) for v in x
    ):
        symbols = tuple(x)
        _distinct_symbols(symbols, "symbols_or_p")
    else:
        dist = as_distribution(x, "symbols_or_p")
        symbols = dist.symbols
    if not symbols:
        raise bad_argument("symbols_or_p", "non-empty", x)
    n = len(symbols)
    k = _ceil_log(n, arity)
    lengths = np.full(n, k, dtype=np.int64)
    return PrefixCode._canonical(symbols, lengths, arity, dist, _canonical_order(symbols))



# -- zero-weight symbols --------------------------------------------------------------
def _fit_zero_weight(lengths: np.ndarray, zero: np.ndarray, w: np.ndarray, arity: int) -> np.ndarray:
    """Give the zero-weight symbols (mask `zero`) lengths in the code space left unused.

    The positive symbols keep their lengths, except when they fill the code space
    exactly: then the lightest symbol among the longest (last in tie order) gets one
    digit more, which frees room. The zero-weight symbols get the shortest common
    length ``l0`` that fits; as many of them as the room allows (the first, in order)
    get ``l0 - 1`` instead, so that a binary code whose others were complete stays
    complete.
    """
    m = int(zero.sum())
    if m == 0:
        return lengths
    lengths = lengths.copy()
    pos = np.flatnonzero(~zero)
    k = _kraft_fraction(lengths[pos], arity)
    if k == 1:
        longest = int(lengths[pos].max())
        cand = pos[lengths[pos] == longest]
        # lightest, and last in (weight, position) order among equals
        j = int(cand[np.lexsort((cand, -w[cand]))[-1]])
        lengths[j] += 1
        k -= Fraction(arity - 1, arity ** (longest + 1))
    free = 1 - k
    l0 = 1
    while Fraction(m, arity**l0) > free:
        l0 += 1
    # u of them one digit shorter: u * (arity - 1) * arity**-l0 more space, within `free`
    u = 0 if l0 == 1 else min(m, int((free * arity**l0 - m) // (arity - 1)))
    where = np.flatnonzero(zero)
    lengths[where] = l0
    lengths[where[:u]] = l0 - 1
    return lengths


# -- Shannon --------------------------------------------------------------------------
def shannon(p: Any, arity: int = 2) -> PrefixCode:
    """Shannon's code: lengths ``ceil(log_arity 1/p(x))`` (at least 1), canonical codewords.

    Its average length L satisfies ``H <= L < H + 1`` (in digits). Symbols of zero
    weight get the shortest common length that fits in the code space the others leave
    unused (see the module notes); a one-symbol alphabet gets ``"0"``.

    Parameters
    ----------
    p : distribution
        Probabilities, counts, ``{symbol: weight}``, a Distribution, bytes or a string.
    arity : int, optional
        Number of code digits, 2 (default) to 36.

    Returns
    -------
    PrefixCode

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.shannon({"a": 0.5, "b": 0.3, "c": 0.2}).lengths
    mappingproxy({'a': 1, 'b': 2, 'c': 3})
    >>> pc.shannon({"a": 0.5, "b": 0.3, "c": 0.2})
    PrefixCode({'a': '0', 'b': '10', 'c': '110'})
    """
    dist = as_distribution(p, "p")
    arity = check_arity(arity)
    if len(dist) == 1:
        return _one_symbol(dist, arity)
    return _from_lengths_trusted(dist, _shannon_lengths(dist.probs, arity), arity)


def _shannon_lengths(w: np.ndarray, arity: int) -> np.ndarray:
    zero = w == 0
    safe = np.where(zero, 1.0, w)
    logd = np.log2(safe) if arity == 2 else np.log(safe) / math.log(arity)
    lengths = np.maximum(np.ceil(-logd).astype(np.int64), 1)
    # a rounded logarithm may be off by one near powers of the arity: make l the least
    # length >= 1 with arity**-l <= p (exact in floats for binary)
    base = float(arity)
    lengths = np.where(base ** -lengths.astype(np.float64) > safe, lengths + 1, lengths)
    shorter = np.maximum(lengths - 1, 1)
    lengths = np.where(base ** -shorter.astype(np.float64) <= safe, shorter, lengths)
    return _fit_zero_weight(lengths, zero, w, arity)


def shannon_fano_elias(p: Any) -> PrefixCode:
    """The Shannon-Fano-Elias code: the first ``ceil(log2 1/p(x)) + 1`` bits of F̄(x).

    ``F̄(x) = sum of p(y) for y before x + p(x)/2``, the midpoint of the symbol's
    interval in the order of the distribution's symbols. The code is prefix-free
    without sorting, and ``L < H + 2``. It is computed exactly, in rational arithmetic
    on the weights as given: integer counts and Fractions stay exact (``[1, 1, 1]``
    gives F̄ = 1/2 for the middle symbol, so ``100``), floats count at their binary
    value. Zero-weight symbols have no interval; they get codewords
    in the code space left unused (the module notes' policy; the code uses at most half
    of the space, so no codeword is lengthened).

    Parameters
    ----------
    p : distribution
        Probabilities, counts, ``{symbol: weight}``, a Distribution, bytes or a string.

    Returns
    -------
    PrefixCode
        A binary code (not canonical).

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.shannon_fano_elias([0.25, 0.5, 0.125, 0.125])
    PrefixCode({0: '001', 1: '10', 2: '1101', 3: '1111'})
    """
    dist, exact = as_exact(p, "p")
    if len(dist) == 1:
        return _one_symbol(dist, 2)
    w = dist.probs
    zero = np.array([x == 0 for x in exact], dtype=bool)
    words: list[str | None] = [None] * len(dist)
    total = Fraction(0)
    for i, px in enumerate(exact):
        if px == 0:
            continue
        mid = total + px / 2
        total += px
        ln = max(_ceil_log2_inverse(px), 1) + 1
        bits = math.floor(mid * 2**ln)  # first ln bits of the binary expansion of mid
        words[i] = format(bits, f"0{ln}b")
    words = _fit_zero_weight_words(words, zero, w, 2)
    return PrefixCode._new(
        dist.symbols, np.array([len(wd) for wd in words], dtype=np.int64), 2, dist,
        words=tuple(words),  # type: ignore[arg-type]
    )


def _ceil_log2_inverse(p: Fraction) -> int:
    """``ceil(log2(1 / p))`` for a Fraction ``0 < p <= 1``, exactly: the least l with ``2**-l <= p``."""
    a, b = p.numerator, p.denominator
    ln = max(b.bit_length() - a.bit_length() - 1, 0)
    while (a << ln) < b:
        ln += 1
    return ln


def _fit_zero_weight_words(words: list[str | None], zero: np.ndarray, w: np.ndarray,
                           arity: int) -> list[str]:
    """Codewords for the zero-weight symbols (None in `words`) in the space the others leave.

    The policy of :func:`_fit_zero_weight` for codes given by their codewords: when the
    others fill the code space, the lightest of the longest (last in tie order) gets
    the digit ``0`` appended; the zero-weight symbols then get the shortest common
    length for which the free subtrees hold them all, filled shallowest first.
    """
    m = int(zero.sum())
    if m == 0:
        return list(words)  # type: ignore[arg-type]
    words = list(words)
    pos = np.flatnonzero(~zero)
    lens = np.array([len(words[i]) for i in pos], dtype=np.int64)  # type: ignore[arg-type]
    if _kraft_fraction(lens, arity) == 1:
        longest = int(lens.max())
        cand = pos[lens == longest]
        j = int(cand[np.lexsort((cand, -w[cand]))[-1]])
        words[j] = words[j] + DIGITS[0]  # type: ignore[operator]
    digits = DIGITS[:arity]
    used = [words[i] for i in pos]
    taken = set(used)
    prefixes = {u[:k] for u in used for k in range(len(u))}  # type: ignore[index]
    roots = sorted(
        {u + d for u in prefixes for d in digits if u + d not in prefixes and u + d not in taken},
        key=lambda r: (len(r), r),
    )
    per_depth = Counter(len(r) for r in roots)
    depth, room, shorter_room = 0, 0, 0  # room: codewords of length `depth` the free subtrees hold
    while room < m:
        depth += 1
        shorter_room, room = room, room * arity + per_depth.get(depth, 0)
    # as for lengths: u of them one digit shorter, where the room allows
    u = 0 if depth == 1 else min(shorter_room, (room - m) // (arity - 1))
    slots: list[str] = []  # free nodes at depth - 1, shallowest roots first
    for r in roots:
        if len(r) >= depth:
            break
        tail = depth - 1 - len(r)
        slots.extend(r + _digits(i, tail, arity) for i in range(arity**tail))
        if len(slots) >= u + (m - u + arity - 1) // arity:
            break
    extra = slots[:u]
    for sl in slots[u:]:
        extra.extend(sl + d for d in digits)
        if len(extra) >= m:
            break
    extra.extend(r for r in roots if len(r) == depth)  # never needed beyond m
    it = iter(extra[:m])
    return [wd if wd is not None else next(it) for wd in words]


def _digits(value: int, width: int, arity: int) -> str:
    out = []
    for _ in range(width):
        value, d = divmod(value, arity)
        out.append(DIGITS[d])
    return "".join(reversed(out))


# -- Shannon-Fano ---------------------------------------------------------------------
def shannon_fano(p: Any) -> PrefixCode:
    """Fano's code: recursive splits of the sorted list into two near-equal halves.

    Symbols are sorted by decreasing probability (ties: by position in `p`). A group is
    split at the point where the two parts' probabilities differ least; the upper part
    (more probable symbols) gets the digit ``0``, the lower ``1``. When two split
    points are equally good (to a relative 1e-12), the earlier one is taken (the upper
    part is the smaller). Zero-weight symbols take no part in the splits; they get
    codewords by the module notes' policy. ``L < H + 2``; not always optimal.

    Parameters
    ----------
    p : distribution
        Probabilities, counts, ``{symbol: weight}``, a Distribution, bytes or a string.

    Returns
    -------
    PrefixCode
        A binary code.

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.shannon_fano({"a": 0.35, "b": 0.17, "c": 0.17, "d": 0.16, "e": 0.15})
    PrefixCode({'a': '00', 'b': '01', 'c': '10', 'd': '110', 'e': '111'})
    """
    dist = as_distribution(p, "p")
    n = len(dist)
    if n == 1:
        return _one_symbol(dist, 2)
    w_all = dist.probs
    zero = w_all == 0
    positive = np.flatnonzero(~zero)
    w = w_all[positive]
    n = w.shape[0]
    order = np.lexsort((np.arange(n), -w))  # decreasing weight, then position
    ws = w[order]
    cum = np.concatenate(([0.0], np.cumsum(ws)))
    words_sorted = [""] * n
    stack = [(0, n, "")]
    while stack:
        a, b, prefix = stack.pop()
        if b - a == 1:
            words_sorted[a] = prefix or "0"
            continue
        total = cum[b] - cum[a]
        half = cum[a] + total / 2
        # candidate split points c in (a, b), upper part [a, c): around where the
        # running sum crosses half of the group's total
        k = a + 1 + int(np.searchsorted(cum[a + 1 : b], half, side="left"))
        best_k, best_d = a + 1, math.inf
        for c in (k - 1, k, k + 1):
            if a < c < b:
                d = abs((cum[c] - cum[a]) - (cum[b] - cum[c]))
                if d < best_d - 1e-12 * total:
                    best_k, best_d = c, d
        stack.append((best_k, b, prefix + "1"))
        stack.append((a, best_k, prefix + "0"))
    words: list[str | None] = [None] * len(dist)
    for k, i in enumerate(order.tolist()):
        words[int(positive[i])] = words_sorted[k]
    words = _fit_zero_weight_words(words, zero, w_all, 2)
    return PrefixCode._new(
        dist.symbols, np.array([len(x) for x in words], dtype=np.int64), 2, dist,
        words=tuple(words),  # type: ignore[arg-type]
    )


# -- block codes ----------------------------------------------------------------------
MAX_BLOCKS = 1 << 22
MAX_BLOCK_LENGTH = 22  # a block alphabet of 2 symbols reaches MAX_BLOCKS at n = 22


def block_code(p: Any, n: int, arity: int = 2, **huffman_options: Any) -> PrefixCode:
    """Huffman's code for blocks of `n` symbols of an i.i.d. source `p` (the extension code).

    The block alphabet is every tuple of `n` symbols of `p` (in lexicographic order of
    positions), with probability the product of its symbols' probabilities. Its
    average length per source symbol, ``code.expected_length() / n``, lies in
    ``[H, H + 1/n)`` and so approaches the entropy as `n` grows.

    Parameters
    ----------
    p : distribution
        The source distribution, in any form prefixcode accepts.
    n : int
        Block length, 1 to 22; ``len(p) ** n`` may be at most 2**22 blocks.
    arity : int, optional
        Number of code digits.
    **huffman_options
        ``max_length`` and ``min_variance``, passed to :func:`huffman`.

    Returns
    -------
    PrefixCode
        Its symbols are tuples of `n` source symbols; its source is the block
        distribution.

    Examples
    --------
    >>> import prefixcode as pc
    >>> code = pc.block_code({"s": 0.75, "r": 0.25}, 2)
    >>> code.symbols
    (('s', 's'), ('s', 'r'), ('r', 's'), ('r', 'r'))
    >>> code.expected_length() / 2     # bits per symbol; H = 0.811, Huffman alone gives 1
    0.84375
    """
    dist = as_distribution(p, "p")
    n = check_int(n, "n", 1, MAX_BLOCK_LENGTH)
    k = len(dist)
    if k**n > MAX_BLOCKS:
        raise bad_argument("n", f"small enough that len(p) ** n <= {MAX_BLOCKS} ({k} symbols)", n)
    probs = dist.probs
    block_p = probs
    for _ in range(n - 1):
        block_p = np.multiply.outer(block_p, probs).reshape(-1)
    blocks = tuple(itertools.product(dist.symbols, repeat=n))
    bdist = Distribution(blocks, block_p) if block_p.sum() > 0 else None
    if bdist is None:  # every block probability underflowed
        raise bad_argument("p", "a distribution whose blocks have positive total probability", p)
    return huffman(bdist, arity=arity, **huffman_options)


# -- unique decodability ----------------------------------------------------------------
@dataclass(frozen=True)
class Decodability:
    """The answer of :func:`is_uniquely_decodable`; true when the code is uniquely decodable.

    Attributes
    ----------
    uniquely_decodable : bool
        The answer.
    witness : str or None
        When not uniquely decodable: a digit string with two different parses.
    parses : tuple of two tuples, or None
        The two parses of `witness`, as sequences of symbols.
    """

    uniquely_decodable: bool
    witness: str | None = None
    parses: tuple[tuple, tuple] | None = None

    def __bool__(self) -> bool:
        return self.uniquely_decodable


def is_uniquely_decodable(codewords: Any) -> Decodability:
    """Whether every concatenation of codewords has one parse (Sardinas-Patterson).

    Works for any code, prefix-free or not. Dangling suffixes are explored breadth
    first: a suffix arises where one parse runs ahead of another; the code is not
    uniquely decodable exactly when some dangling suffix is itself a codeword (or two
    symbols share a codeword). Each suffix carries the two partial parses that made it,
    so a "no" comes with a witness: a string and two different parses of it (a short
    one, found breadth first).

    Parameters
    ----------
    codewords : sequence, mapping or PrefixCode
        Codewords as strings (any characters; bitarrays are read as ``"0"``/``"1"``),
        for the symbols ``0 .. n-1`` of a sequence or the keys of a mapping.

    Returns
    -------
    Decodability
        True in a boolean context when the code is uniquely decodable; otherwise
        carries ``witness`` and ``parses``.

    Examples
    --------
    >>> import prefixcode as pc
    >>> bool(pc.is_uniquely_decodable(["0", "01", "11"]))   # not prefix-free, yet decodable
    True
    >>> r = pc.is_uniquely_decodable(["0", "01", "10"])
    >>> r.uniquely_decodable, r.witness, r.parses
    (False, '010', ((0, 2), (1, 0)))
    """
    if isinstance(codewords, PrefixCode):
        table = dict(codewords.codewords)
    elif isinstance(codewords, dict) or hasattr(codewords, "items"):
        table = dict(codewords.items())
    elif isinstance(codewords, (str, bytes)) or codewords is None:
        raise bad_argument("codewords", "a sequence or mapping of codewords", codewords)
    else:
        if not isinstance(codewords, Iterable):
            raise bad_argument("codewords", "a sequence or mapping of codewords", codewords)
        table = dict(enumerate(codewords if isinstance(codewords, (list, tuple))
                               else _bounded_list(codewords, "codewords")))
    if not table:
        raise bad_argument("codewords", "non-empty", codewords)
    words: dict[Hashable, str] = {}
    for s, w in table.items():
        if type(w).__name__ in ("bitarray", "frozenbitarray"):
            w = w.to01()
        if not isinstance(w, str):
            raise bad_argument(f"codewords[{s!r}]", "a string", w)
        words[s] = w
    by_word: dict[str, Hashable] = {}
    for s, w in words.items():
        if w == "":
            return Decodability(False, "", ((), (s,)))
        if w in by_word:
            return Decodability(False, w, ((by_word[w],), (s,)))
        by_word[w] = s
    # state: suffix -> (ahead, behind), parses with str(ahead) == str(behind) + suffix
    from collections import deque

    queue: deque[tuple[str, tuple, tuple]] = deque()
    seen: set[str] = set()
    items = sorted(by_word.items(), key=lambda kv: (len(kv[0]), kv[0]))
    for u, su in items:
        for v, sv in items:
            if len(v) > len(u) and v.startswith(u):
                suffix = v[len(u):]
                if suffix not in seen:
                    seen.add(suffix)
                    queue.append((suffix, (sv,), (su,)))
    while queue:
        s, ahead, behind = queue.popleft()
        for w, sw in items:
            if w == s:
                witness = "".join(words[x] for x in ahead)
                return Decodability(False, witness, (ahead, (*behind, sw)))
            if w.startswith(s):
                nxt, state = w[len(s):], ((*behind, sw), ahead)
            elif s.startswith(w):
                nxt, state = s[len(w):], (ahead, (*behind, sw))
            else:
                continue
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, *state))
    return Decodability(True)


# -- integer codes --------------------------------------------------------------------
# One shape: elias_gamma, elias_delta, golomb and rice are codeword functions
# f(n, **params) -> str, defined for every integer of their domain up to codewords of
# MAX_LENGTH digits (refused beyond); integer_code(kind, values, **params) is the
# PrefixCode of any such function over a finite set of values (a range), for pc.encode.
def _check_codeword_length(length: int, name: str, value: Any) -> None:
    if length > MAX_LENGTH:
        raise bad_argument(name, f"small enough for a codeword of at most {MAX_LENGTH} digits "
                           f"(this one would have {length})", value)


def elias_gamma(n: int) -> str:
    """Elias's gamma codeword of the integer ``n >= 1``: ``floor(log2 n)`` zeros, then n in binary.

    Length ``2 floor(log2 n) + 1``; codewords longer than 65,536 digits (``MAX_LENGTH``)
    are refused. (P. Elias, "Universal codeword sets and
    representations of the integers", IEEE Trans. IT-21, 1975.)

    Examples
    --------
    >>> import prefixcode as pc
    >>> [pc.elias_gamma(n) for n in (1, 2, 3, 4, 9)]
    ['1', '010', '011', '00100', '0001001']
    """
    n = check_int(n, "n", 1)
    _check_codeword_length(2 * n.bit_length() - 1, "n", n)
    b = format(n, "b")
    return "0" * (len(b) - 1) + b


def elias_delta(n: int) -> str:
    """Elias's delta codeword of ``n >= 1``: the gamma code of n's bit count, then n's bits after the first.

    Length ``floor(log2 n) + 2 floor(log2(floor(log2 n) + 1)) + 1``; codewords longer
    than 65,536 digits are refused.

    Examples
    --------
    >>> import prefixcode as pc
    >>> [pc.elias_delta(n) for n in (1, 2, 3, 4, 17)]
    ['1', '0100', '0101', '01100', '001010001']
    """
    n = check_int(n, "n", 1)
    bits = n.bit_length()
    _check_codeword_length(bits - 1 + 2 * bits.bit_length() - 1, "n", n)
    b = format(n, "b")
    return elias_gamma(len(b)) + b[1:]


def golomb(n: int, m: int) -> str:
    """Golomb's codeword of ``n >= 0`` with parameter ``m >= 1``.

    The quotient ``n // m`` in unary (that many ``1`` then a ``0``), then the remainder
    in truncated binary: with ``b = ceil(log2 m)``, remainders below ``2**b - m`` take
    ``b - 1`` bits, the others ``b`` bits (value ``r + 2**b - m``). Optimal for a
    geometric source with ``p**m ~ 1/2`` (S. W. Golomb, "Run-length encodings", IEEE
    Trans. IT-12, 1966). Codewords longer than 65,536 digits are refused at once
    (``golomb(10**10, 1)`` would be 10**10 digits long).

    Examples
    --------
    >>> import prefixcode as pc
    >>> [pc.golomb(n, 3) for n in range(7)]
    ['00', '010', '011', '100', '1010', '1011', '1100']
    """
    n = check_int(n, "n", 0)
    m = check_int(m, "m", 1)
    q, r = divmod(n, m)
    _check_codeword_length(q + 1 + (m - 1).bit_length(), "n", n)
    out = "1" * q + "0"
    if m == 1:
        return out
    b = (m - 1).bit_length()  # ceil(log2 m)
    cutoff = (1 << b) - m
    if r < cutoff:
        return out + format(r, f"0{b - 1}b") if b > 1 else out
    return out + format(r + cutoff, f"0{b}b")


def rice(n: int, k: int) -> str:
    """Rice's codeword of ``n >= 0`` with parameter ``k >= 0``: the Golomb code with ``m = 2**k``.

    ``k`` is at most 65,536, and codewords longer than 65,536 digits are refused, as for
    :func:`golomb`.

    Examples
    --------
    >>> import prefixcode as pc
    >>> [pc.rice(n, 2) for n in (0, 3, 4, 9)]
    ['000', '011', '1000', '11001']
    """
    k = check_int(k, "k", 0, MAX_LENGTH)
    return golomb(n, 1 << k)


_INTEGER_CODES = {"elias_gamma": elias_gamma, "elias_delta": elias_delta, "golomb": golomb, "rice": rice}
_INTEGER_PARAMS: dict[str, tuple[str, ...]] = {"elias_gamma": (), "elias_delta": (), "golomb": ("m",),
                                               "rice": ("k",)}


def integer_code(kind: Any, values: Any, **params: Any) -> PrefixCode:
    """A :class:`~prefixcode.code.PrefixCode` of an integer code over a finite set of values.

    Integer codes come in one shape: :func:`elias_gamma`, :func:`elias_delta`,
    :func:`golomb` and :func:`rice` are codeword functions ``f(n, **params) -> str``,
    defined on their whole domain up to codewords of 65,536 digits; this function is
    the PrefixCode of such a function over a finite set of values, which
    :func:`prefixcode.encode` and :func:`prefixcode.decode` use. The result is
    prefix-free but usually not complete.

    Parameters
    ----------
    kind : str or callable
        ``"elias_gamma"``, ``"elias_delta"``, ``"golomb"``, ``"rice"``, or any function
        from an integer (and `params`) to a codeword string.
    values : iterable of int
        The integers to include, e.g. ``range(1, 17)``; at most 2**22 of them.
    **params
        Parameters of the code: ``m`` for Golomb, ``k`` for Rice.

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.integer_code("golomb", range(4), m=2)
    PrefixCode({0: '00', 1: '01', 2: '100', 3: '101'})
    >>> pc.integer_code("elias_gamma", range(1, 100)).kraft_sum < 1
    True
    """
    fn = _INTEGER_CODES.get(kind) if isinstance(kind, str) else kind
    if fn is None or not callable(fn):
        raise bad_argument("kind", f"one of {sorted(_INTEGER_CODES)} or a function", kind)
    if isinstance(kind, str):
        needed = _INTEGER_PARAMS[kind]
        for name in params:
            if name not in needed:
                raise bad_argument(name, f"left out: {kind} takes "
                                   f"{' and '.join(needed) if needed else 'no parameters'}", params[name])
        for name in needed:
            if name not in params:
                raise bad_argument(name, f"given for {kind} ({name}=...)", None)
    if values is None or isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise bad_argument("values", "a non-empty iterable of integers", values)
    if hasattr(values, "__len__") and len(values) > MAX_BLOCKS:
        raise bad_argument("values", f"at most {MAX_BLOCKS} integers", values)
    vals = list(itertools.islice(values, MAX_BLOCKS + 1))
    if not vals:
        raise bad_argument("values", "a non-empty iterable of integers", values)
    if len(vals) > MAX_BLOCKS:
        raise bad_argument("values", f"at most {MAX_BLOCKS} integers", values)
    table = {}
    for v in vals:
        word = fn(v, **params)
        if not isinstance(word, str):
            raise bad_argument("kind", "a function returning codeword strings", word)
        table[v] = word
    return PrefixCode.from_codewords(table)


# -- Tunstall -------------------------------------------------------------------------
MAX_TUNSTALL_LENGTH = 18
MAX_TUNSTALL_SYMBOLS = 1 << 23
@dataclass(frozen=True, eq=False)
class TunstallCode:
    """A variable-to-fixed code: a parse dictionary of source words, each a fixed-length codeword.

    Attributes
    ----------
    words : tuple of tuples
        The dictionary: source words (tuples of symbols), leaves of a complete parse
        tree, so every long enough message starts with exactly one of them.
    codewords : tuple of str
        The codeword of each word, all ``length`` bits (binary index in order of `words`).
    probabilities : numpy.ndarray
        Probability of each word under the source.
    length : int
        Bits per codeword.
    source : Distribution
        The source distribution.
    """

    words: tuple
    codewords: tuple
    probabilities: np.ndarray
    length: int
    source: Distribution

    @property
    def expected_word_length(self) -> float:
        """Average number of source symbols per dictionary word."""
        return float(np.dot(self.probabilities, [len(w) for w in self.words]))

    @property
    def bits_per_symbol(self) -> float:
        """Average bits per source symbol: ``length / expected_word_length``."""
        return self.length / self.expected_word_length

    def table(self) -> dict:
        """``{word: codeword}``."""
        return dict(zip(self.words, self.codewords))

    def parse(self, message: Any) -> tuple[list[tuple], tuple]:
        """Split `message` into dictionary words; returns ``(words, tail)``.

        The tail is the unfinished end of the message (a proper prefix of some word),
        empty when the message ends on a word boundary.
        """
        index = {w: i for i, w in enumerate(self.words)}
        prefixes = {w[:k] for w in self.words for k in range(len(w))}
        out: list[tuple] = []
        cur: tuple = ()
        for x in message:
            cur = (*cur, x)
            if cur in index:
                out.append(cur)
                cur = ()
            elif cur not in prefixes:
                raise bad_argument("message", "made of the source's symbols", x)
        return out, cur

    def encode(self, message: Any) -> str:
        """The codewords of the words of `message`; the message must end on a word boundary.

        Read back with :meth:`decode`, or with ``pc.decode(bits, t.code)`` for the words.

        Examples
        --------
        >>> import prefixcode as pc
        >>> t = pc.tunstall({"a": 0.7, "b": 0.2, "c": 0.1}, 3)
        >>> t.encode("aaab")      # 'aaa' then 'b'
        '000101'
        """
        words, tail = self.parse(message)
        if tail:
            raise bad_argument("message", "a whole number of dictionary words", tail)
        table = self.table()
        return "".join(table[w] for w in words)

    @property
    def code(self) -> PrefixCode:
        """The dictionary as a :class:`~prefixcode.code.PrefixCode` from words to codewords.

        Fixed-length codewords are prefix-free, so ``pc.decode(t.encode(m), t.code)``
        reads the words back (and ``pc.encode(words, t.code)`` writes them).
        """
        cached = self.__dict__.get("_code")
        if cached is None:
            source = Distribution(self.words, self.probabilities)
            cached = PrefixCode._new(self.words, np.full(len(self.words), self.length, dtype=np.int64),
                                     2, source, words=self.codewords)
            object.__setattr__(self, "_code", cached)
        return cached

    def decode(self, bits: Any) -> list:
        """The source symbols of `bits` written by :meth:`encode` (a str of 0s and 1s or a bitarray).

        Examples
        --------
        >>> import prefixcode as pc
        >>> t = pc.tunstall({"a": 0.7, "b": 0.2, "c": 0.1}, 3)
        >>> "".join(t.decode(t.encode("aaabacaab")))
        'aaabacaab'
        """
        from .errors import DecodeError

        if type(bits).__name__ in ("bitarray", "frozenbitarray"):
            bits = bits.to01()
        if not isinstance(bits, str) or bits.strip("01"):
            raise bad_argument("bits", "a string of 0s and 1s or a bitarray", bits)
        if len(bits) % self.length:
            raise DecodeError(f"the bits end inside a codeword: {len(bits) % self.length} bit(s) left "
                              f"over at offset {len(bits) - len(bits) % self.length}")
        count = len(self.words)
        out: list = []
        for i in range(0, len(bits), self.length):
            j = int(bits[i:i + self.length], 2)
            if j >= count:
                raise DecodeError(f"the codeword {bits[i:i + self.length]!r} at offset {i} belongs "
                                  f"to no word (the dictionary has {count})")
            out.extend(self.words[j])
        return out

    def __str__(self) -> str:
        rows = [f"{'word':<16} {'p':>8}  codeword"]
        rows += [f"{' '.join(map(str, w)):<16} {p:8.4g}  {c}"
                 for w, p, c in zip(self.words, self.probabilities.tolist(), self.codewords)]
        return "\n".join(rows)


def tunstall(p: Any, length: int) -> TunstallCode:
    """Tunstall's variable-to-fixed code with codewords of `length` bits.

    Starting from the single symbols, the most probable word is repeatedly replaced by
    its extensions by every symbol while the dictionary still fits in ``2**length``
    codewords (B. P. Tunstall, 1967). Ties go to the word made first (then to symbol
    order). The dictionary is the set of leaves of the parse tree; codewords number the
    words in lexicographic order of symbol positions.

    Parameters
    ----------
    p : distribution
        Source distribution in any form prefixcode accepts; at least 2 symbols.
    length : int
        Bits per codeword, at most 18; ``2**length`` must hold the alphabet. The
        dictionary's words may hold at most 2**23 source symbols in all: a skewed source
        makes long words, so ``tunstall([0.999, 0.001], 16)`` is refused at once (its
        65,536 words would be thousands of symbols long).

    Returns
    -------
    TunstallCode

    Examples
    --------
    >>> import prefixcode as pc
    >>> t = pc.tunstall({"a": 0.7, "b": 0.2, "c": 0.1}, 3)
    >>> [("".join(w), c) for w, c in t.table().items()]
    [('aaa', '000'), ('aab', '001'), ('aac', '010'), ('ab', '011'), ('ac', '100'), ('b', '101'), ('c', '110')]
    >>> round(t.bits_per_symbol, 4)
    1.3699
    """
    import heapq

    dist = as_distribution(p, "p")
    k = len(dist)
    if k < 2:
        raise bad_argument("p", "a distribution over at least 2 symbols", p)
    length = check_int(length, "length", 1, MAX_TUNSTALL_LENGTH)
    if (1 << length) < k:
        raise bad_argument("length", f"at least ceil(log2 {k}) = {_ceil_log(k, 2)} for {k} symbols", length)
    probs = dist.probs.tolist()
    counter = itertools.count()
    heap = [(-probs[i], next(counter), (i,)) for i in range(k)]
    heapq.heapify(heap)
    leaves = k
    size = k  # source symbols in the dictionary's words
    while leaves + k - 1 <= (1 << length):
        negp, _, word = heapq.heappop(heap)
        size += k * (len(word) + 1) - len(word)
        if size > MAX_TUNSTALL_SYMBOLS:
            raise bad_argument(
                "length", f"small enough that the dictionary holds at most {MAX_TUNSTALL_SYMBOLS} "
                f"source symbols in all (a skewed source makes long words; try a smaller length)", length)
        for i in range(k):
            heapq.heappush(heap, (negp * probs[i], next(counter), (*word, i)))
        leaves += k - 1
    entries = sorted((word, -negp) for negp, _, word in heap)
    words = tuple(tuple(dist.symbols[i] for i in w) for w, _ in entries)
    codewords = tuple(format(j, f"0{length}b") for j in range(len(entries)))
    probabilities = np.array([q for _, q in entries])
    probabilities.setflags(write=False)
    return TunstallCode(words, codewords, probabilities, length, dist)

"""Information measures: entropy, cross-entropy, KL and JS divergence, joint and
conditional entropy, mutual information, binary entropy and surprisal; the k-th order
empirical entropy of a message and bias-corrected entropy estimates from a sample.

Conventions (shared by every function here):

* Units: bits by default (``base=2``); ``base=math.e`` gives nats; any finite base > 1.
* Inputs are weights or samples, by the one input rule of :mod:`prefixcode.distribution`:
  numbers are probabilities, counts or unnormalized weights (normalized to sum to one
  along `axis`); mappings ``{symbol: weight}`` and samples (text, bytes, words, iterators)
  are aligned over the union of their symbols, a missing symbol weighing 0.
* ``0 log 0 = 0``. Where ``q(x) = 0`` but ``p(x) > 0``, cross-entropy and KL are
  ``inf``, without warnings.
* One-dimensional input gives a Python ``float``; n-dimensional arrays give an array
  with `axis` reduced, like :func:`scipy.stats.entropy`.

References: T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
Wiley 2006, chapter 2 (definitions); the results match :func:`scipy.stats.entropy` and
``scipy.spatial.distance.jensenshannon(p, q) ** 2``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .distribution import (
    Distribution,
    align,
    as_joint,
    as_probabilities,
    as_unit_interval,
    check_base,
    check_flag,
)
from .errors import PrefixCodeError, bad_argument

__all__ = [
    "EntropyEstimate",
    "binary_entropy",
    "conditional_entropy",
    "cross_entropy",
    "empirical_entropy",
    "entropy",
    "entropy_estimate",
    "joint_entropy",
    "js_divergence",
    "kl_divergence",
    "mutual_information",
    "surprisal",
]


def _result(x: np.ndarray) -> float | np.ndarray:
    return float(x) if np.ndim(x) == 0 else x


def _entr(p: np.ndarray) -> np.ndarray:
    """-p ln p elementwise, 0 where p == 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = -p * np.log(p)
    return np.where(p > 0, out, 0.0)


def _neg_xlogy(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """-p ln q elementwise: 0 where p == 0, inf where p > 0 and q == 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = -p * np.log(q)
    return np.where(p > 0, out, 0.0)


def _rel_entr(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """p ln(p / q) elementwise: 0 where p == 0, inf where p > 0 and q == 0.

    The ratio form keeps full relative precision when p and q are close; where the
    ratio overflows (subnormal q) the difference of logarithms is used instead.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = p / q
        log_ratio = np.log(ratio)
        overflow = np.isinf(ratio) & (q > 0)
        if overflow.any():
            log_ratio = np.where(overflow, np.log(p) - np.log(q), log_ratio)
        out = p * log_ratio
    return np.where(p > 0, out, 0.0)


def _half_js(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """p ln(p / m) with m = (p + q) / 2, elementwise, 0 where p == 0.

    Written as p ln(2p / (p + q)): the ratio lies in [0, 2] and ``p + q`` cannot
    underflow, so subnormal weights (where ``(p + q) / 2`` would round to 0) stay finite.
    """
    s = p + q
    with np.errstate(divide="ignore", invalid="ignore"):
        out = p * np.log(2 * p / s)
    return np.where(p > 0, out, 0.0)


def entropy(p: Any, base: float = 2, axis: int = -1) -> float | np.ndarray:
    """Shannon entropy H(p) = -sum p(x) log p(x).

    Parameters
    ----------
    p : array_like, mapping, Distribution, bytes or str
        Probabilities, counts or weights (normalized along `axis`).
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.
    axis : int, default -1
        Axis along which the distributions lie, for n-dimensional arrays.

    Returns
    -------
    float or numpy.ndarray
        The entropy in units of `base`; an array when `p` has more than one dimension.

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.entropy([0.5, 0.5])
    1.0
    >>> round(pc.entropy([0.75, 0.25]), 3)
    0.811
    >>> pc.entropy({"sun": 3, "rain": 1}) == pc.entropy([3, 1])
    True
    """
    b = check_base(base)
    _, probs = as_probabilities(p, "p", axis=axis)
    return _result(_entr(probs).sum(axis=axis) / math.log(b))


def cross_entropy(
    p: Any, q: Any, base: float = 2, axis: int = -1, normalize: bool = True
) -> float | np.ndarray:
    """Cross-entropy H(p, q) = -sum p(x) log q(x).

    For a prefix code with lengths l(x), ``q = 2**-l`` and ``normalize=False`` make this
    exactly the code's average length.

    Parameters
    ----------
    p : array_like, mapping, Distribution, bytes or str
        The true distribution (normalized).
    q : array_like, mapping, Distribution, bytes or str
        The model distribution.
    base : float, default 2
        Logarithm base.
    axis : int, default -1
        Axis along which the distributions lie.
    normalize : bool, default True
        Normalize `q` (like scipy). With ``False`` `q` is taken as given, so a
        sub-probability such as an incomplete code's ``2**-l`` is allowed.

    Returns
    -------
    float or numpy.ndarray
        ``inf`` where ``q(x) = 0`` for some ``p(x) > 0``.

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.cross_entropy([0.5, 0.25, 0.25], [0.5, 0.25, 0.25])
    1.5
    >>> pc.cross_entropy([0.5, 0.5], [1, 0])
    inf
    >>> lengths = [2, 2, 3]
    >>> pc.cross_entropy([0.5, 0.25, 0.25], [2.0**-n for n in lengths], normalize=False)
    2.25
    """
    b = check_base(base)
    normalize = check_flag(normalize, "normalize")
    _, pp, qq = align(p, q, axis=axis, normalize_q=normalize)
    return _result(_neg_xlogy(pp, qq).sum(axis=axis) / math.log(b))


def kl_divergence(
    p: Any, q: Any, base: float = 2, axis: int = -1, normalize: bool = True
) -> float | np.ndarray:
    """Kullback-Leibler divergence D(p || q) = sum p(x) log(p(x) / q(x)).

    Equals ``cross_entropy(p, q) - entropy(p)``; it is >= 0, zero only when p = q, and
    not symmetric.

    Parameters
    ----------
    p, q : array_like, mapping, Distribution, bytes or str
        The true and the model distribution.
    base : float, default 2
        Logarithm base.
    axis : int, default -1
        Axis along which the distributions lie.
    normalize : bool, default True
        Normalize `q`; with ``False`` a sub-probability `q` is taken as given.

    Returns
    -------
    float or numpy.ndarray
        ``inf`` where ``q(x) = 0`` for some ``p(x) > 0``.

    Examples
    --------
    >>> import math
    >>> import prefixcode as pc
    >>> round(pc.kl_divergence([0.2, 0.8], [0.3, 0.7], base=math.e), 4)
    0.0257
    >>> pc.kl_divergence([1, 0], [0.5, 0.5])
    1.0
    """
    b = check_base(base)
    normalize = check_flag(normalize, "normalize")
    _, pp, qq = align(p, q, axis=axis, normalize_q=normalize)
    kl = _rel_entr(pp, qq).sum(axis=axis)
    if normalize:  # Gibbs' inequality; rounding can leave -1e-300
        kl = np.maximum(kl, 0.0)
    return _result(kl / math.log(b))


def js_divergence(p: Any, q: Any, base: float = 2, axis: int = -1) -> float | np.ndarray:
    """Jensen-Shannon divergence JS(p, q) = (D(p || m) + D(q || m)) / 2, m = (p + q) / 2.

    Symmetric, >= 0, zero only when p = q, and at most 1 bit (``ln 2`` nats). Equals
    ``scipy.spatial.distance.jensenshannon(p, q, base) ** 2``.

    Parameters
    ----------
    p, q : array_like, mapping, Distribution, bytes or str
        The two distributions (both normalized).
    base : float, default 2
        Logarithm base.
    axis : int, default -1
        Axis along which the distributions lie.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.js_divergence([1, 0], [0, 1])
    1.0
    >>> pc.js_divergence([0.3, 0.7], [0.3, 0.7])
    0.0
    """
    b = check_base(base)
    _, pp, qq = align(p, q, axis=axis)
    js = (_half_js(pp, qq).sum(axis=axis) + _half_js(qq, pp).sum(axis=axis)) / 2
    return _result(np.maximum(js, 0.0) / math.log(b))


def joint_entropy(pxy: Any, base: float = 2) -> float:
    """Joint entropy H(X, Y) of a joint table ``pxy[x, y]``.

    Parameters
    ----------
    pxy : 2-D array_like or mapping ``{(x, y): weight}``
        Joint probabilities or counts; X indexes rows.
    base : float, default 2
        Logarithm base.

    Returns
    -------
    float

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.joint_entropy([[0.25, 0.25], [0.25, 0.25]])
    2.0
    """
    b = check_base(base)
    _, _, table = as_joint(pxy)
    return float(_entr(table).sum() / math.log(b))


def conditional_entropy(pxy: Any, base: float = 2) -> float:
    """Conditional entropy H(Y | X) = H(X, Y) - H(X) of a joint table ``pxy[x, y]``.

    Parameters
    ----------
    pxy : 2-D array_like or mapping ``{(x, y): weight}``
        Joint probabilities or counts; X indexes rows, so this is H(rows' column).
    base : float, default 2
        Logarithm base.

    Returns
    -------
    float
        Between 0 (Y is a function of X) and H(Y) (X and Y independent).

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.conditional_entropy([[0.5, 0.0], [0.0, 0.5]])
    0.0
    >>> pc.conditional_entropy([[0.25, 0.25], [0.25, 0.25]])
    1.0
    """
    b = check_base(base)
    _, _, table = as_joint(pxy)
    px = table.sum(axis=1, keepdims=True)
    # H(Y|X) = -sum p(x,y) log p(x,y)/p(x), computed directly (no cancellation).
    h = _neg_xlogy(table, np.divide(table, px, out=np.zeros_like(table), where=px > 0)).sum()
    return float(max(h, 0.0) / math.log(b))


def mutual_information(pxy: Any, base: float = 2) -> float:
    """Mutual information I(X; Y) = D(p(x, y) || p(x) p(y)) of a joint table ``pxy[x, y]``.

    Equals H(X) + H(Y) - H(X, Y); symmetric, >= 0, and 0 exactly for independent X, Y.

    Parameters
    ----------
    pxy : 2-D array_like or mapping ``{(x, y): weight}``
        Joint probabilities or counts; X indexes rows.
    base : float, default 2
        Logarithm base.

    Returns
    -------
    float

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.mutual_information([[0.5, 0.0], [0.0, 0.5]])
    1.0
    >>> pc.mutual_information([[0.25, 0.25], [0.25, 0.25]])
    0.0
    """
    b = check_base(base)
    _, _, table = as_joint(pxy)
    px = table.sum(axis=1, keepdims=True)
    py = table.sum(axis=0, keepdims=True)
    # p(x, y) / p(x) / p(y) by two divisions: the product p(x) p(y) could underflow.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_ratio = np.log(table / px / py)
        overflow = np.isinf(log_ratio) & (table > 0)
        if overflow.any():  # subnormal marginals: fall back to a difference of logs
            log_ratio = np.where(overflow, np.log(table) - np.log(px) - np.log(py), log_ratio)
        terms = np.where(table > 0, table * log_ratio, 0.0)
    return float(max(terms.sum(), 0.0) / math.log(b))


def binary_entropy(x: Any, base: float = 2) -> float | np.ndarray:
    """Binary entropy h(x) = -x log x - (1 - x) log(1 - x) of a probability x in [0, 1].

    Parameters
    ----------
    x : float or array_like
        Probability (or probabilities, elementwise) of one of two outcomes.
    base : float, default 2
        Logarithm base.

    Returns
    -------
    float or numpy.ndarray
        0 at x = 0 and x = 1, the maximum 1 bit at x = 0.5, symmetric about 0.5.

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.binary_entropy(0.5)
    1.0
    >>> round(pc.binary_entropy(0.25), 3)
    0.811
    >>> pc.binary_entropy([0.0, 1.0])
    array([0., 0.])
    """
    b = check_base(base)
    arr = as_unit_interval(x, "x")
    return _result((_entr(arr) + _entr(1.0 - arr)) / math.log(b))


def surprisal(p: Any, base: float = 2) -> Any:
    """Surprisal (information content) -log p of an outcome of probability p.

    Parameters
    ----------
    p : float, array_like or mapping ``{symbol: probability}``
        Probabilities in [0, 1], taken as given (not normalized); a probability of 0
        has surprisal ``inf``.
    base : float, default 2
        Logarithm base.

    Returns
    -------
    float, numpy.ndarray or dict
        Same form as `p`: a float for a number, an array for an array, and
        ``{symbol: surprisal}`` for a mapping.

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.surprisal(0.25)
    2.0
    >>> {k: round(v, 3) for k, v in pc.surprisal({"sun": 0.75, "rain": 0.25}).items()}
    {'sun': 0.415, 'rain': 2.0}
    """
    b = check_base(base)
    if isinstance(p, Mapping):
        values = as_unit_interval(list(p.values()), "p")
        bits = _surprisal(values, b)
        return {k: float(v) for k, v in zip(p.keys(), bits)}
    arr = as_unit_interval(p, "p")
    return _result(_surprisal(arr, b))


def _surprisal(p: np.ndarray, base: float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return -np.log(p) / math.log(base) + 0.0


# -- empirical entropy of order k and bias-corrected estimates ---------------------------
def _message_indices(message: Any, name: str) -> tuple[np.ndarray, tuple]:
    """A message as ``(indices, symbols)``: int64 positions into its distinct symbols.

    Symbols are numbered in sorted order where they can be sorted, else in first-seen
    order, as :meth:`Distribution.from_samples` orders them. The
    message may be a str, bytes-like, a numpy array (read in C order) or any iterable of
    hashable symbols; it must be non-empty.
    """
    if isinstance(message, (bytes, bytearray, memoryview)):
        data = np.frombuffer(message, dtype=np.uint8)
        if data.size == 0:
            raise bad_argument(name, "non-empty", message)
        symbols, idx = np.unique(data, return_inverse=True)
        return idx.astype(np.int64).reshape(-1), tuple(int(s) for s in symbols)
    if isinstance(message, np.ndarray) and message.dtype.kind in "iub":
        data = message.reshape(-1)
        if data.size == 0:
            raise bad_argument(name, "non-empty", message)
        symbols, idx = np.unique(data, return_inverse=True)
        return idx.astype(np.int64).reshape(-1), tuple(s.item() for s in symbols)
    if isinstance(message, np.ndarray):
        message = message.reshape(-1).tolist()
    if message is None or isinstance(message, (numbers.Number, np.generic)):
        raise bad_argument(name, "a str, bytes, a sequence of hashable symbols or an integer array", message)
    index: dict = {}
    try:
        idx = np.fromiter((index.setdefault(s, len(index)) for s in message), dtype=np.int64)
    except TypeError:
        raise bad_argument(name, "an iterable of hashable symbols", message) from None
    if idx.size == 0:
        raise bad_argument(name, "non-empty", message)
    symbols = tuple(index)
    try:
        ordered = tuple(sorted(symbols))
    except TypeError:  # symbols that cannot be sorted keep their first-seen order
        return idx, symbols
    rank = np.empty(len(symbols), dtype=np.int64)
    rank[[index[s] for s in ordered]] = np.arange(len(symbols))
    return rank[idx], ordered


def _check_order(order: Any) -> int:
    if isinstance(order, bool) or not isinstance(order, (numbers.Integral, np.integer)) or order < 0:
        raise bad_argument("order", "a non-negative integer", order)
    return int(order)


def _context_counts(idx: np.ndarray, order: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (order+1)-grams of `idx` with their counts, grouped by context.

    Returns ``(grams, counts, group)``: the distinct grams as rows (sorted, so grams of one
    context are adjacent), how often each occurs, and for each row the number of its
    context (0, 1, ... in the same order).
    """
    windows = np.lib.stride_tricks.sliding_window_view(idx, order + 1)
    grams, counts = np.unique(windows, axis=0, return_counts=True)
    if order == 0:
        return grams, counts, np.zeros(len(counts), dtype=np.int64)
    new_context = np.ones(len(counts), dtype=bool)
    new_context[1:] = (grams[1:, :order] != grams[:-1, :order]).any(axis=1)
    return grams, counts, np.cumsum(new_context) - 1


def empirical_entropy(message: Any, order: int = 0, base: float = 2) -> float:
    """The k-th order empirical entropy H_k of a message, in bits per symbol.

    H_k is the entropy of a symbol given the k symbols before it, measured on the message
    itself from its (k+1)-gram counts. Only the n' = n - k positions that have k
    predecessors are counted: with n_c the number of those positions whose context (the k
    symbols before) is c, and n_cx the number where c is followed by x,

        H_k = sum over c of n_c / n' * H(next | c) = sum over (c, x) of n_cx / n' * log(n_c / n_cx).

    The first k symbols are therefore not counted (a context code sends them another
    way). ``H_0`` is the plain entropy of the message's symbol counts. On the same
    positions a longer context cannot raise the entropy, so on real text H_k falls with
    k; since H_k and H_(k+1) count slightly different positions, a very short message may
    break this (``"aab"`` has H_0 = 0.918 and H_1 = 1 bit). H_k is 0 once every context
    has a single successor, so for large k it describes the message rather than its
    source: it is the floor of codes that use one fixed code per context of this message
    (before the cost of sending those codes).

    Parameters
    ----------
    message : str, bytes, sequence of hashable symbols or integer numpy array
        The message (an array is read in C order).
    order : int, default 0
        k, the number of preceding symbols that form the context.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.

    Returns
    -------
    float
        H_k in units of `base` per symbol.

    Raises
    ------
    PrefixCodeError
        For an empty message, a negative order, or a message of no more than `order`
        symbols (no position has k predecessors).

    Examples
    --------
    >>> import prefixcode as pc
    >>> pc.empirical_entropy("abab") == pc.entropy("abab") == 1.0
    True
    >>> pc.empirical_entropy("abab", order=1)    # a is always followed by b, b by a
    0.0
    >>> round(pc.empirical_entropy("abracadabra", order=1), 4)   # 10 positions; after a: b c d b
    0.6
    """
    b = check_base(base)
    k = _check_order(order)
    idx, _ = _message_indices(message, "message")
    if idx.size <= k:
        raise PrefixCodeError(
            f"argument 'message' must be longer than order ({k}) symbols, got {idx.size} symbol(s)"
        )
    _, counts, group = _context_counts(idx, k)
    n_context = np.bincount(group, weights=counts)[group]
    total = float(counts.sum())
    h = float(np.sum(counts * np.log(n_context / counts))) / total
    return max(h, 0.0) / math.log(b)


_ESTIMATORS = ("plugin", "miller-madow", "chao-shen", "grassberger")


@dataclass(frozen=True)
class EntropyEstimate:
    """An entropy estimate from a sample: the value, how it was made, and its uncertainty.

    Attributes
    ----------
    estimate : float
        The estimated entropy, in units of `base`.
    method : str
        ``"plugin"``, ``"miller-madow"``, ``"chao-shen"`` or ``"grassberger"``.
    n : int
        The sample size.
    support : int
        The number of distinct symbols observed (m).
    plugin : float
        The plug-in (maximum-likelihood) estimate of the same sample, for comparison.
    base : float
        The logarithm base.
    interval : tuple of two floats or None
        The bootstrap percentile interval, when ``bootstrap > 0``.
    confidence : float
        Its confidence level.
    bootstrap : int
        The number of bootstrap resamples (0: no interval).
    """

    estimate: float
    method: str
    n: int
    support: int
    plugin: float
    base: float = 2.0
    interval: tuple[float, float] | None = None
    confidence: float = 0.95
    bootstrap: int = 0

    @property
    def _unit(self) -> str:
        return {2.0: "bits", math.e: "nats", 10.0: "dits"}.get(self.base, f"log{self.base:g} units")

    def _rows(self) -> list[tuple[str, str]]:
        rows = [
            ("estimate", f"{self.estimate:.6g} {self._unit}"),
            ("plug-in", f"{self.plugin:.6g} {self._unit}"),
            ("sample size n", str(self.n)),
            ("observed support m", str(self.support)),
        ]
        if self.interval is not None:
            lo, hi = self.interval
            rows.append(
                (f"{self.confidence:.0%} bootstrap interval",
                 f"[{lo:.6g}, {hi:.6g}] ({self.bootstrap} resamples)")
            )
        return rows

    def __str__(self) -> str:
        rows = self._rows()
        width = max(len(label) for label, _ in rows)
        lines = [f"entropy estimate ({self.method})"]
        lines += [f"  {label.ljust(width)}  {value}" for label, value in rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        body = "".join(
            f"<tr><td>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>"
            for label, value in self._rows()
        )
        caption = html.escape(f"entropy estimate ({self.method})")
        return f"<table><caption>{caption}</caption><tbody>{body}</tbody></table>"

    def to_dict(self) -> dict:
        """The report as plain Python numbers and strings (interval as a list or None)."""
        return {
            "estimate": float(self.estimate),
            "method": self.method,
            "n": int(self.n),
            "support": int(self.support),
            "plugin": float(self.plugin),
            "base": float(self.base),
            "interval": None if self.interval is None else [float(v) for v in self.interval],
            "confidence": float(self.confidence),
            "bootstrap": int(self.bootstrap),
        }


def _sample_counts(samples: Any) -> np.ndarray:
    """The positive counts of a sample (or of a mapping / Distribution of integer counts)."""
    if isinstance(samples, Distribution):
        if samples.counts is None:
            raise bad_argument("samples", "samples or integer counts (a Distribution built from samples)",
                               samples)
        counts = np.asarray(samples.counts, dtype=np.int64)
    elif isinstance(samples, Mapping):
        if not samples:
            raise bad_argument("samples", "non-empty", samples)
        w = np.asarray(list(samples.values()))
        if w.ndim != 1 or w.dtype.kind not in "iuf" or not np.all(np.isfinite(w)) \
                or np.any(w < 0) or np.any(w != np.round(w)):
            raise bad_argument("samples", "a mapping of symbols to non-negative integer counts", samples)
        counts = w.astype(np.int64)
    else:
        idx, _ = _message_indices(samples, "samples")
        counts = np.bincount(idx)
    counts = counts[counts > 0]
    if counts.size == 0:
        raise bad_argument("samples", "non-empty (a positive total count)", samples)
    return counts


def _grassberger_g(n_max: int) -> np.ndarray:
    """Grassberger's G_n for n = 0 .. n_max (G_0 unused), by the recurrence of his 2003 paper.

    G_1 = -gamma - ln 2, G_2 = 2 - gamma - ln 2, G_{2j+1} = G_{2j}, G_{2j+2} = G_{2j} + 2/(2j+1);
    equal to psi(n) + (-1)^n / 2 * (psi((n + 1) / 2) - psi(n / 2)).
    """
    g = np.zeros(n_max + 2)
    g[1] = -np.euler_gamma - math.log(2)
    if n_max >= 2:
        j = np.arange(1, n_max // 2 + 1)
        even = g[1] + np.cumsum(2.0 / (2 * j - 1))  # G_2, G_4, ...
        g[2:2 * len(j) + 1:2] = even
        g[3:2 * len(j) + 2:2] = even
    return g[: n_max + 1]


def _estimate_nats(counts: np.ndarray, method: str) -> np.ndarray:
    """The entropy estimate in nats for each row of `counts` (shape (..., m), zeros allowed)."""
    counts = np.asarray(counts, dtype=np.float64)
    n = counts.sum(axis=-1)
    p = counts / n[..., None]
    if method == "plugin":
        return _entr(p).sum(axis=-1)
    if method == "miller-madow":
        m = (counts > 0).sum(axis=-1)
        return _entr(p).sum(axis=-1) + (m - 1) / (2 * n)
    if method == "chao-shen":
        f1 = (counts == 1).sum(axis=-1)
        f1 = np.where(f1 == n, n - 1, f1)  # all singletons: coverage would be 0
        coverage = 1 - f1 / n
        pa = coverage[..., None] * p
        with np.errstate(divide="ignore", invalid="ignore"):
            seen = 1 - (1 - pa) ** n[..., None]
            terms = np.where(counts > 0, -pa * np.log(pa) / seen, 0.0)
        return terms.sum(axis=-1)
    # grassberger
    ints = counts.astype(np.int64)
    g = _grassberger_g(int(ints.max()))
    return np.log(n) - (counts * g[ints]).sum(axis=-1) / n


def entropy_estimate(
    samples: Any,
    method: str = "plugin",
    *,
    base: float = 2,
    bootstrap: int = 0,
    confidence: float = 0.95,
    seed: Any = None,
) -> EntropyEstimate:
    """Estimate the entropy of a source from a sample of it, with an optional bootstrap interval.

    The plug-in entropy of a sample (the entropy of its empirical distribution) is biased
    low: a small sample misses rare symbols and makes the ones it sees look more certain.
    With n samples, m distinct symbols observed, counts n_i and p_i = n_i / n (all in
    nats; divided by ln(base) at the end):

    ``"plugin"``
        H = -sum p_i ln p_i, the maximum-likelihood estimate.
    ``"miller-madow"``
        H + (m - 1) / (2 n): the plug-in plus the first-order bias term (G. A. Miller,
        "Note on the bias of information estimates", in *Information Theory in Psychology:
        Problems and Methods*, H. Quastler ed., Free Press 1955, pp. 95-100).
    ``"chao-shen"``
        -sum C p_i ln(C p_i) / (1 - (1 - C p_i)^n), with the sample coverage
        C = 1 - f1 / n (f1 = the number of symbols seen once; f1 = n - 1 when every
        symbol was seen once): Good-Turing coverage adjustment and a Horvitz-Thompson sum
        over the unseen (A. Chao and T.-J. Shen, "Nonparametric estimation of Shannon's
        index of diversity when there are unseen species in sample", *Environmental and
        Ecological Statistics* 10, 429-443, 2003).
    ``"grassberger"``
        ln n - (1 / n) sum n_i G(n_i), with G(k) = psi(k) + (-1)^k / 2 (psi((k + 1) / 2)
        - psi(k / 2)), psi the digamma function (P. Grassberger, "Entropy estimates from
        insufficient samplings", arXiv:physics/0307138, 2003, eq. 35; it refines his
        "Finite sample corrections to entropy and dimension estimates", *Physics Letters
        A* 128, 369-373, 1988). G is computed exactly by the paper's recurrence
        G(1) = -gamma - ln 2, G(2k + 1) = G(2k), G(2k + 2) = G(2k) + 2 / (2k + 1).

    Parameters
    ----------
    samples : str, bytes, sequence of hashable symbols, integer numpy array, mapping or Distribution
        The observations. A sequence of numbers is a sample of numbers here (its values
        are the symbols); a mapping ``{symbol: count}`` or a Distribution built from
        samples gives the counts directly.
    method : str, default "plugin"
        One of ``"plugin"``, ``"miller-madow"``, ``"chao-shen"``, ``"grassberger"``.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.
    bootstrap : int, default 0
        Number of bootstrap resamples: each draws n samples with replacement from the
        observed sample (a multinomial with the plug-in probabilities) and applies the
        same estimator. The interval is the percentile interval of those estimates. It
        shows the sampling spread of the estimator; it cannot show the symbols the sample
        never saw, so for the plug-in it usually lies below the true entropy.
    confidence : float, default 0.95
        Level of the bootstrap interval, in (0, 1).
    seed : int, numpy Generator or None
        Seed of the bootstrap's random generator (``numpy.random.default_rng(seed)``).

    Returns
    -------
    EntropyEstimate
        The estimate, the method, n, the observed support m, the plug-in value and,
        with ``bootstrap > 0``, the interval; ``str()`` shows it, ``to_dict()`` holds
        plain numbers.

    Examples
    --------
    >>> import prefixcode as pc
    >>> r = pc.entropy_estimate("aaabbc", method="miller-madow")
    >>> r.n, r.support, round(r.plugin, 4), round(r.estimate, 4)   # + (3 - 1) / (2 * 6 ln 2)
    (6, 3, 1.4591, 1.6996)
    >>> r = pc.entropy_estimate("aaabbc", method="grassberger", bootstrap=200, seed=1)
    >>> lo, hi = r.interval
    >>> round(r.estimate, 4), lo <= hi
    (2.0132, True)
    """
    b = check_base(base)
    if not isinstance(method, str) or method.lower() not in _ESTIMATORS:
        raise bad_argument("method", "one of " + ", ".join(repr(m) for m in _ESTIMATORS), method)
    method = method.lower()
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, (numbers.Integral, np.integer)) \
            or bootstrap < 0:
        raise bad_argument("bootstrap", "a non-negative integer", bootstrap)
    if isinstance(confidence, bool) or not isinstance(confidence, (numbers.Real, np.floating)) \
            or not 0 < confidence < 1:
        raise bad_argument("confidence", "a number in (0, 1)", confidence)
    counts = _sample_counts(samples)
    scale = math.log(b)
    n = int(counts.sum())
    estimate = float(_estimate_nats(counts, method)) / scale
    plugin = float(_estimate_nats(counts, "plugin")) / scale
    interval = None
    if bootstrap:
        rng = np.random.default_rng(seed)
        resampled = rng.multinomial(n, counts / n, size=int(bootstrap))
        values = _estimate_nats(resampled, method) / scale
        tail = (1 - float(confidence)) / 2
        lo, hi = np.quantile(values, [tail, 1 - tail])
        interval = (float(lo), float(hi))
    return EntropyEstimate(
        estimate=estimate, method=method, n=n, support=int(counts.size), plugin=plugin, base=b,
        interval=interval, confidence=float(confidence), bootstrap=int(bootstrap),
    )

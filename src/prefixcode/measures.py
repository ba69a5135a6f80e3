"""Information measures: entropy, cross-entropy, KL and JS divergence, joint and
conditional entropy, mutual information, binary entropy and surprisal.

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
from collections.abc import Mapping
from typing import Any

import numpy as np

from .distribution import (
    align,
    as_joint,
    as_probabilities,
    as_unit_interval,
    check_base,
    check_flag,
)

__all__ = [
    "binary_entropy",
    "conditional_entropy",
    "cross_entropy",
    "entropy",
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

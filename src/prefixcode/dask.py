"""Distributions of data no single machine holds: histograms of Dask arrays and bags.

:func:`histogram` counts the symbols of a Dask collection chunk by chunk and merges the
counts in a tree (``dask.array.reduction`` for arrays, ``Bag.reduction`` for bags), so
only counts travel between workers; the result is an ordinary :class:`~prefixcode.Distribution`
that :func:`~prefixcode.huffman`, :func:`~prefixcode.analyze` and every measure take.
Needs the ``dask`` extra: ``pip install "prefixcode[dask]"``.

To store a Dask array compressed, write it to zarr through
:class:`prefixcode.zarr.PrefixCodec` (docs/integrations.md has the worked example).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

try:
    import dask.array as da
    import dask.bag as db
    import numpy as np
except ImportError as exc:  # pragma: no cover - without the extra
    raise ImportError(f"prefixcode.dask needs dask ({exc}): pip install 'prefixcode[dask]'") from exc

from .distribution import BYTE_ALPHABET, Distribution, _sort_symbols
from .errors import bad_argument

__all__ = ["histogram"]


# -- arrays: partial counts are (values, counts) pairs, carried in 1-element object arrays --
def _pair(values: np.ndarray, counts: np.ndarray, ndim: int) -> np.ndarray:
    box = np.empty((1,) * ndim, dtype=object)
    box.flat[0] = (values, counts)
    return box


def _pairs(parts: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The (values, counts) pairs inside what a reduction step receives (nested lists of
    boxes, or one box)."""
    if isinstance(parts, tuple):
        yield parts
    elif isinstance(parts, np.ndarray):
        for item in parts.flat:
            yield from _pairs(item)
    else:
        for item in parts:
            yield from _pairs(item)


def _count_chunk(block: np.ndarray, axis: tuple, keepdims: bool) -> np.ndarray:
    if block.dtype == np.uint8:  # bytes: a bincount, over the whole alphabet
        counts = np.bincount(block.reshape(-1), minlength=256).astype(np.int64)
        values = np.arange(256, dtype=np.uint8)
        return _pair(values[counts > 0], counts[counts > 0], block.ndim)
    values, counts = np.unique(block, return_counts=True)
    return _pair(values, counts.astype(np.int64), block.ndim)


def _merge(parts: Any) -> tuple[np.ndarray, np.ndarray]:
    pairs = list(_pairs(parts))
    if len(pairs) == 1:
        return pairs[0]
    values, where = np.unique(np.concatenate([v for v, _ in pairs]), return_inverse=True)
    counts = np.zeros(len(values), dtype=np.int64)
    np.add.at(counts, where, np.concatenate([c for _, c in pairs]))
    return values, counts


def _combine(parts: Any, axis: tuple, keepdims: bool) -> np.ndarray:
    values, counts = _merge(parts)
    return _pair(values, counts, len(axis) if keepdims else 0)


def _array_histogram(x: da.Array, split_every: int | None) -> Distribution:
    if x.dtype.kind not in "uib":
        raise bad_argument("x", "a Dask array of bytes or integers (or a bag of any symbols), "
                           f"not of dtype {x.dtype}", x)
    if not any(math.isnan(n) for n in x.shape) and x.size == 0:
        raise bad_argument("x", "non-empty", x)
    total = da.reduction(
        x, _count_chunk, _combine, combine=_combine, axis=None, keepdims=False, dtype=object,
        split_every=split_every, concatenate=False, meta=np.empty((), dtype=object),
        name="prefixcode-histogram",
    )
    values, counts = _merge(total.compute())
    if counts.sum() == 0:
        raise bad_argument("x", "non-empty", x)
    if x.dtype == np.uint8:  # as Distribution.from_bytes: the whole byte alphabet
        full = np.zeros(256, dtype=np.int64)
        full[values] = counts
        return Distribution(BYTE_ALPHABET, full, counts=full)
    return Distribution(values.tolist(), counts, counts=counts)


# -- bags: partial counts are Counters ----------------------------------------------------
def _count_partition(part: Iterable) -> Counter:
    try:
        return Counter(part)
    except TypeError as exc:
        raise bad_argument("x", f"a bag of hashable symbols ({exc})", part) from None


def _add_counters(parts: Iterable[Counter]) -> Counter:
    total: Counter = Counter()
    for part in parts:
        total.update(part)
    return total


def _bag_histogram(x: db.Bag, split_every: int | None) -> Distribution:
    counter = x.reduction(_count_partition, _add_counters, split_every=split_every,
                          name="prefixcode-histogram").compute()
    if not counter:
        raise bad_argument("x", "non-empty", x)
    symbols = _sort_symbols(counter)
    counts = [counter[s] for s in symbols]
    return Distribution(symbols, counts, counts=counts)


def histogram(x: da.Array | db.Bag, *, split_every: int | None = None) -> Distribution:
    """The empirical distribution of the symbols of a Dask array or bag, by a tree reduction.

    Each chunk (partition) is counted where it lives; only the counts are sent on and
    added up, `split_every` at a time. The graph runs on the current scheduler: a
    ``dask.distributed`` client's cluster when one is active.

    Parameters
    ----------
    x : dask.array.Array or dask.bag.Bag
        A Dask array of bytes (``uint8``) or integers (any shape; every element is a
        sample), or a bag of any hashable symbols.
    split_every : int, optional
        How many partial counts one task adds up (Dask's default when omitted).

    Returns
    -------
    Distribution
        With its ``counts``. For ``uint8`` arrays, over the whole alphabet 0..255 as
        :meth:`Distribution.from_bytes` gives; otherwise over the symbols that occur,
        sorted where they can be sorted (else in first-seen order), as
        :meth:`Distribution.from_samples` gives. Integer symbols are Python ints.

    Raises
    ------
    PrefixCodeError
        If `x` is empty, is an array of another dtype (floats, strings), or is not a
        Dask array or bag.

    Examples
    --------
    >>> import dask.array as da, dask.bag as db, numpy as np
    >>> import prefixcode as pc
    >>> from prefixcode.dask import histogram
    >>> text = da.from_array(np.frombuffer(b"abracadabra" * 1000, dtype="uint8"), chunks=1000)
    >>> d = histogram(text)
    >>> len(d), int(d.counts[ord("a")]), round(pc.entropy(d), 4)
    (256, 5000, 2.0404)
    >>> pc.huffman(d).codewords[ord("a")]
    '0'
    >>> weather = db.from_sequence(["sun"] * 6 + ["rain"] * 3 + ["snow"], npartitions=3)
    >>> histogram(weather).to_dict()
    {'rain': 0.3, 'snow': 0.1, 'sun': 0.6}
    """
    if isinstance(x, da.Array):
        return _array_histogram(x, split_every)
    if isinstance(x, db.Bag):
        return _bag_histogram(x, split_every)
    raise bad_argument("x", "a Dask array or a Dask bag", x)

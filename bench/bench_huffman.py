"""Time to build a Huffman code: prefixcode against bitarray.util, on the same weights.

Usage: python bench/bench_huffman.py [--sizes 1000,10000,100000,1000000] [--repeat 3]

For each alphabet size n, random integer weights (seeded; uniform 1..2**20, and a
Zipf-like 1/rank law) are turned into a code by

* ``pc.huffman(w)``: lengths (sort + O(n) two-queue kernel) and canonical codewords as
  integers; the strings and bitarrays of the code are built lazily, on first use;
* ``pc.huffman(w).bitarrays``: the same plus a frozenbitarray per symbol, the object
  bitarray's functions return (a like-for-like comparison);
* ``pc.huffman(w, max_length=12)``: length-limited by package-merge;
* ``bitarray.util.huffman_code(dict)`` and ``bitarray.util.canonical_huffman(dict)``
  (both take a {symbol: count} dict, whose construction is not timed).

Reported: best of --repeat wall-clock times in seconds, and the ratio bitarray / ours
(> 1 means prefixcode is faster). The expected lengths are checked to be equal. The
module loading is excluded (one warm-up call).
"""

from __future__ import annotations

import argparse
import platform

import numpy as np
from bitarray.util import canonical_huffman, huffman_code

import prefixcode as pc
from prefixcode import _bench


def weights(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "uniform":
        return rng.integers(1, 1 << 20, size=n)
    ranks = rng.permutation(n) + 1
    return np.maximum((1e9 / ranks).astype(np.int64), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = np.random.default_rng(2026)
    pc.huffman(np.arange(1, 100))  # load the modules
    pc.huffman(2.0 ** -np.arange(40), max_length=12)  # forces package-merge
    machine = platform.processor() or platform.machine()
    print(f"# Huffman build time, seconds (best of {args.repeat}; bitarray best of 1 from n = 10**5 on); "
          f"{machine}, python {platform.python_version()}, numpy {np.__version__}")
    head = (f"{'weights':<8} {'n':>8} {'pc.huffman':>11} {'+bitarrays':>11} {'max_len=12':>11} "
            f"{'ba.huffman':>11} {'ba.canon':>11} {'ratio':>7} {'ratio(+ba)':>10}")
    print(head)
    for kind in ("uniform", "zipf"):
        for n in sizes:
            w = weights(kind, n, rng)
            d = {i: int(c) for i, c in enumerate(w)}
            t_ours = _bench.best_of(lambda w=w: pc.huffman(w), args.repeat)
            t_ours_ba = _bench.best_of(lambda w=w: pc.huffman(w).bitarrays, args.repeat)
            t_lim = float("nan")
            if n <= 4096:
                t_lim = _bench.best_of(lambda w=w: pc.huffman(w, max_length=12), args.repeat)
            slow_repeat = args.repeat if n < 100_000 else 1  # bitarray's builder is pure Python
            t_ba = _bench.best_of(lambda d=d: huffman_code(d), slow_repeat)
            t_can = _bench.best_of(lambda d=d: canonical_huffman(d), slow_repeat)
            ours = int(np.dot(w, pc.huffman(w).length_array))
            ref = sum(d[s] * len(b) for s, b in huffman_code(d).items())
            assert ours == ref, (kind, n, ours, ref)
            print(f"{kind:<8} {n:>8} {t_ours:>11.4f} {t_ours_ba:>11.4f} {t_lim:>11.4f} {t_ba:>11.4f} "
                  f"{t_can:>11.4f} {t_ba / t_ours:>7.1f} {t_ba / t_ours_ba:>10.2f}")
    print("ratio = bitarray.util.huffman_code time / pc.huffman time; ratio(+ba) compares with the "
          "bitarrays materialized. max_length=12 only where 2**12 >= n.")


if __name__ == "__main__":
    main()

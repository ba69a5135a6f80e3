"""Make optimal_lengths.json: optimal expected lengths of prefix codes by brute force.

For seeded random distributions over 2..7 symbols, arity 2..4 and optional length
limits, every non-decreasing length vector (l_1 <= ... <= l_n, each <= the limit) that
satisfies Kraft's inequality sum(D**-l) <= 1 exactly is tried; assigned to the
probabilities sorted in decreasing order (the best assignment of a given multiset of
lengths, by the rearrangement inequality), the least expected length is the optimum
over all prefix codes (Kraft-McMillan). Independent of prefixcode: plain Python.

Run from the repository root:  python tests/reference/make_optimal_lengths.py
"""

from __future__ import annotations

import itertools
import json
import random
from fractions import Fraction
from pathlib import Path

OUT = Path(__file__).with_name("optimal_lengths.json")


def optimal_expected_length(p: list[float], arity: int, max_length: int) -> tuple[float, list[int]]:
    """Least sum(p_i l_i) over prefix codes with lengths <= max_length (brute force)."""
    ps = sorted(p, reverse=True)
    best, best_ls = None, None
    for ls in itertools.combinations_with_replacement(range(1, max_length + 1), len(ps)):
        if sum(Fraction(1, arity**x) for x in ls) > 1:
            continue
        value = sum(a * b for a, b in zip(ps, ls))
        if best is None or value < best:
            best, best_ls = value, list(ls)
    assert best is not None
    return best, best_ls


def min_length(n: int, arity: int) -> int:
    k = 1
    while arity**k < n:
        k += 1
    return k


def main() -> None:
    rng = random.Random(20260101)
    cases = []
    for _ in range(240):
        n = rng.randint(2, 7)
        arity = rng.choice([2, 2, 2, 3, 4])
        skew = rng.choice([1.0, 2.0, 4.0])
        p = [rng.random() ** skew for _ in range(n)]
        if rng.random() < 0.15:
            p[rng.randrange(n)] = 0.0
        if sum(p) == 0:
            p[0] = 1.0
        total = sum(p)
        p = [x / total for x in p]
        unlimited = n - 1 if arity == 2 else n
        limit = rng.choice([None, None, min_length(n, arity), min_length(n, arity) + 1])
        value, lengths = optimal_expected_length(p, arity, limit or unlimited)
        cases.append({"p": p, "arity": arity, "max_length": limit, "optimal": value,
                      "sorted_lengths": lengths})
    doc = {
        "about": "optimal expected codeword lengths by brute force over Kraft-feasible length "
                 "vectors; made by make_optimal_lengths.py",
        "cases": cases,
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()

"""An API probe: hostile values for every argument of the public functions of the
distribution, measures, constructions, code and analysis layers. Each call must return or
raise PrefixCodeError (nothing else), within bounded time and memory.

(The codec and the container are probed by their own tests.)"""

from __future__ import annotations

import time
import tracemalloc
from fractions import Fraction

import numpy as np
import pytest

import prefixcode as pc
from prefixcode import experiments

HOSTILE = [
    None, 0, -1, 1.5, True, float("nan"), float("inf"), 10**10, 10**400, 1 + 2j, "", "0.5 0.5",
    "abc", b"", b"\x00\xff", [], [0], [0, 0], [-1, 2], [float("nan"), 1], [1e308, 1e308],
    [1, "a"], [[1, 2], [3]], [[1, 2], [3, 4]], [True, False], {}, {"a": "x"}, {"a": -1},
    {1, 2}, iter([]), object(), np.array([]), np.array([[1.0, 2.0], [3.0, 4.0]]),
    np.array([1, 2], dtype=">i4"), np.ma.array([1.0, 2.0], mask=[0, 1]), np.array(["a", "b"]),
    memoryview(b"abcdef")[::2], [Fraction(1, 3)] * 3, range(10**12), ["0", "1"], ("0", "01"),
    {"a": "0", "b": "01"}, [1] * 70,
]
GOOD_P = [0.5, 0.25, 0.25]
CODE = pc.huffman(GOOD_P)

# (name, function, valid arguments): each argument in turn is replaced by each hostile value
CALLS = [
    ("entropy", pc.entropy, (GOOD_P,), {"base": 2, "axis": -1}),
    ("cross_entropy", pc.cross_entropy, (GOOD_P, GOOD_P), {"base": 2, "normalize": False}),
    ("kl_divergence", pc.kl_divergence, (GOOD_P, GOOD_P), {"normalize": True}),
    ("js_divergence", pc.js_divergence, (GOOD_P, GOOD_P), {"base": 2}),
    ("joint_entropy", pc.joint_entropy, ([[0.5, 0], [0, 0.5]],), {}),
    ("conditional_entropy", pc.conditional_entropy, ([[0.5, 0], [0, 0.5]],), {}),
    ("mutual_information", pc.mutual_information, ([[0.5, 0], [0, 0.5]],), {}),
    ("binary_entropy", pc.binary_entropy, (0.5,), {}),
    ("surprisal", pc.surprisal, (0.5,), {}),
    ("histogram", pc.histogram, (b"ab",), {}),
    ("Distribution", pc.Distribution, ("ab", [1, 1]), {}),
    ("from_samples", pc.Distribution.from_samples, ("ab",), {"alphabet": "abc"}),
    ("from_mapping", pc.Distribution.from_mapping, ({"a": 1},), {}),
    ("huffman", pc.huffman, (GOOD_P,), {"arity": 2, "max_length": 3}),
    ("huffman_trace", pc.huffman_trace, (GOOD_P,), {"arity": 2}),
    ("shannon", pc.shannon, (GOOD_P,), {"arity": 2}),
    ("shannon_fano", pc.shannon_fano, (GOOD_P,), {}),
    ("shannon_fano_elias", pc.shannon_fano_elias, (GOOD_P,), {}),
    ("fixed_length", pc.fixed_length, (GOOD_P,), {"arity": 2}),
    ("block_code", pc.block_code, (GOOD_P, 2), {}),
    ("tunstall", pc.tunstall, (GOOD_P, 3), {}),
    ("elias_gamma", pc.elias_gamma, (5,), {}),
    ("elias_delta", pc.elias_delta, (5,), {}),
    ("golomb", pc.golomb, (5, 3), {}),
    ("rice", pc.rice, (5, 2), {}),
    ("integer_code", pc.integer_code, ("golomb", range(4)), {"m": 2}),
    ("is_uniquely_decodable", pc.is_uniquely_decodable, (["0", "01", "11"],), {}),
    ("from_codewords", pc.PrefixCode.from_codewords, ({"a": "0", "b": "1"},), {"arity": 2}),
    ("from_lengths", pc.PrefixCode.from_lengths, ([1, 2, 2],), {"arity": 2}),
    ("from_json", pc.PrefixCode.from_json, (CODE.to_json(),), {}),
    ("expected_length", CODE.expected_length, (GOOD_P,), {}),
    ("analyze", pc.analyze, (GOOD_P, CODE), {"order": "symbol"}),
    ("analyze_message", pc.analyze_message, ("abracadabra",), {}),
    ("analyze_mismatch", pc.analyze_mismatch, ("abra", "cadabra"), {"pseudocount": 0.5}),
    ("compare", pc.compare, (GOOD_P, {"h": CODE}), {}),
    ("extension_codes", experiments.extension_codes, ((0.9, 0.1), 2), {}),
    ("classification_loss", experiments.classification_loss, (), {"grid": 9}),
    ("gallager_bound", pc.analysis.gallager_bound, (0.3,), {}),
]


def _cases():
    for name, func, args, kwargs in CALLS:
        slots = [("arg", i) for i in range(len(args))] + [("kw", k) for k in kwargs]
        for kind, key in slots:
            for j in range(len(HOSTILE)):
                yield pytest.param(func, args, kwargs, kind, key, j, id=f"{name}-{key}-{j}")


def _fresh(value):
    if isinstance(value, type(iter([]))):
        return iter([])
    return value


@pytest.mark.parametrize(("func", "args", "kwargs", "kind", "key", "j"), list(_cases()))
def test_hostile_values_give_a_result_or_a_prefixcode_error(func, args, kwargs, kind, key, j):
    value = _fresh(HOSTILE[j])
    args, kwargs = list(args), dict(kwargs)
    if kind == "arg":
        args[key] = value
    else:
        kwargs[key] = value
    tracemalloc.start()
    start = time.perf_counter()
    try:
        func(*args, **kwargs)
    except pc.PrefixCodeError:
        pass
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert peak < 256 << 20, f"{peak / 2**20:.0f} MiB"


def test_the_probe_covers_every_argument():
    assert sum(len(args) + len(kw) for _, _, args, kw in CALLS) * len(HOSTILE) > 2800

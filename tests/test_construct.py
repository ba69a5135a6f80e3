"""Code constructions: every one checked by one invariant checker, Huffman against references.

References: brute force over Kraft-feasible lengths (tests/reference/optimal_lengths.json,
made by tests/reference/make_optimal_lengths.py, plus an in-test brute force for
hypothesis), bitarray.util.huffman_code on larger alphabets, hand-worked textbook codes.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import prefixcode as pc
from prefixcode.code import DIGITS, PrefixCode
from prefixcode.construct import huffman_lengths, huffman_trace

REFERENCE = Path(__file__).parent / "reference" / "optimal_lengths.json"
WEATHER = [0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]


# -- the invariant checker -------------------------------------------------------------
def _decode_by_walk(bits: str, table: dict) -> list:
    """Independent greedy decoder: read digits until they form a codeword."""
    inverse = {w: s for s, w in table.items()}
    out, cur = [], ""
    for d in bits:
        cur += d
        if cur in inverse:
            out.append(inverse[cur])
            cur = ""
    assert cur == "", "bits end inside a codeword"
    return out


def assert_valid_code(code: PrefixCode, complete: bool | None = None, alphabet=None, seed: int = 0) -> None:
    """Prefix-free, Kraft sum exact and <= 1, complete where it must be, round trip."""
    assert isinstance(code, PrefixCode)
    table = dict(code.codewords)
    words = list(table.values())
    n = len(words)
    assert n == len(code) == len(code.symbols) == len(set(code.symbols))
    if alphabet is not None:
        assert set(code.symbols) == set(alphabet), "every symbol of the alphabet has a codeword"
    digits = set(DIGITS[: code.arity])
    for w in words:
        assert w and set(w) <= digits
    # prefix-free, checked pairwise (small) or through sorted neighbours (large)
    if n <= 300:
        for a, b in itertools.permutations(words, 2):
            assert not b.startswith(a), (a, b)
    else:
        s = sorted(words)
        assert all(not y.startswith(x) for x, y in itertools.pairwise(s))
    assert [len(w) for w in words] == code.length_array.tolist() == list(code.lengths.values())
    k = sum(Fraction(1, code.arity ** len(w)) for w in words)
    assert k <= 1
    assert code.kraft_fraction == k
    assert code.kraft_sum == (float(k) if code.arity == 2 else k)
    assert code.is_complete == (k == 1)
    if complete is not None:
        assert code.is_complete == complete
    # round trip of a random message through the concatenated codewords
    rng = random.Random(seed)
    message = [rng.choice(code.symbols) for _ in range(200)]
    bits = "".join(table[s] for s in message)
    assert _decode_by_walk(bits, table) == message
    # other views agree
    assert PrefixCode.from_json(code.to_json()) == code
    assert code.canonical().length_array.tolist() == code.length_array.tolist()
    if code.arity == 2:
        assert {s: b.to01() for s, b in code.bitarrays.items()} == table


def _huffman_min_var(p):
    return pc.huffman(p, min_variance=True)


CONSTRUCTIONS = {
    "huffman": (pc.huffman, "complete"),
    "huffman_min_variance": (_huffman_min_var, "complete"),
    "huffman_ternary": (lambda p: pc.huffman(p, arity=3), None),
    "huffman_4ary_limited": (lambda p: pc.huffman(p, arity=4, max_length=3), None),
    "huffman_limited": (lambda p: pc.huffman(p, max_length=5), "complete"),
    "shannon": (pc.shannon, None),
    "shannon_ternary": (lambda p: pc.shannon(p, arity=3), None),
    "shannon_fano": (pc.shannon_fano, "complete"),
    "shannon_fano_elias": (pc.shannon_fano_elias, None),
    "fixed_length": (pc.fixed_length, None),
    "fixed_length_ternary": (lambda p: pc.fixed_length(p, arity=3), None),
}

DISTRIBUTIONS = {
    "weather": WEATHER,
    "two": [0.9, 0.1],
    "uniform5": [1, 1, 1, 1, 1],
    "dyadic": {"a": 0.5, "b": 0.25, "c": 0.125, "d": 0.125},
    "zeros": [0.5, 0, 0.3, 0, 0.2, 0],
    "certain": [0, 1, 0],
    "counts": {"sun": 30, "rain": 12, "fog": 3, "snow": 1, "hail": 1},
    "skewed20": [2.0**-i for i in range(1, 20)] + [2.0**-19],
    "text": "abracadabra alakazam",
}


@pytest.mark.parametrize("dist_name", DISTRIBUTIONS)
@pytest.mark.parametrize("name", CONSTRUCTIONS)
def test_every_construction_gives_a_valid_code(name, dist_name):
    build, completeness = CONSTRUCTIONS[name]
    p = DISTRIBUTIONS[dist_name]
    d = pc.Distribution.from_mapping(p) if isinstance(p, dict) else (
        pc.Distribution.from_samples(p) if isinstance(p, str) else None
    )
    alphabet = d.symbols if d is not None else range(len(p))
    code = build(p)
    complete = True if completeness == "complete" else None
    assert_valid_code(code, complete=complete, alphabet=alphabet)
    assert code.source is not None


@pytest.mark.parametrize("name", CONSTRUCTIONS)
def test_one_symbol_alphabet_gets_codeword_zero(name):
    build, _ = CONSTRUCTIONS[name]
    code = build({"only": 1.0})
    assert dict(code.codewords) == {"only": "0"}
    assert_valid_code(code, complete=False)


@pytest.mark.parametrize("name", ["huffman", "huffman_min_variance", "huffman_limited", "shannon_fano",
                                  "fixed_length"])
def test_two_symbol_alphabet_gets_one_bit_each(name):
    build, _ = CONSTRUCTIONS[name]
    code = build({"sun": 0.99, "rain": 0.01})
    assert sorted(code.codewords.values()) == ["0", "1"]


def test_block_code_is_valid():
    code = pc.block_code([0.7, 0.2, 0.1], 3)
    assert_valid_code(code, complete=True, alphabet=list(itertools.product(range(3), repeat=3)))


# -- Huffman against references --------------------------------------------------------
def _expected(p, lengths) -> float:
    return float(np.dot(np.asarray(p, dtype=float), lengths))


def test_huffman_matches_brute_force_reference_file():
    cases = json.loads(REFERENCE.read_text())["cases"]
    assert len(cases) >= 200
    for case in cases:
        p, arity, limit = case["p"], case["arity"], case["max_length"]
        code = pc.huffman(p, arity=arity, max_length=limit)
        got = _expected(p, code.length_array)
        assert got == pytest.approx(case["optimal"], abs=1e-12), case
        if limit is not None:
            assert int(code.length_array.max()) <= limit
        assert_valid_code(code, complete=True if arity == 2 else None)


def _brute_optimum(p, arity, max_length):
    ps = sorted(p, reverse=True)
    best = math.inf
    for ls in itertools.combinations_with_replacement(range(1, max_length + 1), len(ps)):
        if sum(Fraction(1, arity**x) for x in ls) <= 1:
            best = min(best, sum(a * b for a, b in zip(ps, ls)))
    return best


weights = st.lists(st.integers(0, 1000), min_size=2, max_size=6).filter(lambda w: sum(w) > 0)


@given(weights, st.sampled_from([2, 3, 4]), st.integers(0, 2))
def test_huffman_is_optimal_against_brute_force(w, arity, extra):
    n = len(w)
    total = sum(w)
    p = [x / total for x in w]
    min_len = 1
    while arity**min_len < n:
        min_len += 1
    limit = min_len + extra
    got = _expected(p, huffman_lengths(p, arity=arity, max_length=limit))
    assert got == pytest.approx(_brute_optimum(p, arity, limit), abs=1e-12)
    unlimited = _expected(p, huffman_lengths(p, arity=arity))
    assert unlimited == pytest.approx(_brute_optimum(p, arity, n), abs=1e-12)


def test_huffman_matches_bitarray_on_larger_alphabets():
    from bitarray.util import huffman_code

    rng = np.random.default_rng(11)
    for n in (3, 17, 256, 1000, 5000):
        counts = rng.integers(1, 10_000, size=n) ** rng.integers(1, 3)
        table = huffman_code({i: int(c) for i, c in enumerate(counts)})
        ref = sum(int(c) * len(table[i]) for i, c in enumerate(counts))
        ours = int(np.dot(counts, pc.huffman(counts).length_array))
        assert ours == ref


def test_min_variance_gives_the_same_length_and_smaller_variance():
    p = [0.4, 0.2, 0.2, 0.1, 0.1]   # the textbook case with two optimal codes
    plain, mv = pc.huffman(p), pc.huffman(p, min_variance=True)
    assert _expected(p, plain.length_array) == pytest.approx(_expected(p, mv.length_array))
    assert sorted(plain.length_array.tolist()) == [1, 2, 3, 4, 4]
    assert sorted(mv.length_array.tolist()) == [2, 2, 2, 3, 3]


def test_huffman_ties_are_deterministic_and_documented():
    # equal weights: the later symbol counts as lighter, so it is merged first and the
    # earlier symbol never gets the longer codeword
    assert pc.huffman([1, 1, 1]).length_array.tolist() == [1, 2, 2]
    assert pc.huffman({"b": 1, "a": 1, "c": 1}).length_array.tolist() == [1, 2, 2]
    # a leaf and a merged node of equal weight: the merged node goes first (deeper) ...
    assert pc.huffman([1, 1, 2]).length_array.tolist() == [2, 2, 1]
    steps = huffman_trace([1, 1, 2])
    assert steps[1].merged == (("node", 1), 2)
    # ... unless min_variance, where the leaf goes first
    assert huffman_trace([1, 1, 2], min_variance=True)[1].merged == (2, ("node", 1))
    assert pc.huffman([1, 1, 2, 2], min_variance=True).length_array.tolist() == [2, 2, 2, 2]
    assert pc.huffman([1, 1, 2, 2]).length_array.tolist() == [3, 3, 1, 2]


def test_huffman_bounds_and_textbook_codes():
    # Cover & Thomas, example 5.6.1: p = (.25, .25, .2, .15, .15) -> lengths 2 2 2 3 3, L = 2.3
    code = pc.huffman([0.25, 0.25, 0.2, 0.15, 0.15])
    assert sorted(code.length_array.tolist()) == [2, 2, 2, 3, 3]
    assert code.expected_length() == pytest.approx(2.3)
    # Cover & Thomas, example 5.6.2 (ternary): same p -> lengths 1 1 2 2 2, L = 1.5
    t = pc.huffman([0.25, 0.25, 0.2, 0.15, 0.15], arity=3)
    assert t.length_array.tolist() == [1, 1, 2, 2, 2]
    assert t.expected_length() == pytest.approx(1.5)
    # Cover & Thomas, example 5.6.3: 6 symbols, ternary, one dummy needed
    t6 = pc.huffman([0.25, 0.25, 0.2, 0.1, 0.1, 0.1], arity=3)
    assert t6.expected_length() == pytest.approx(1.7)


@given(st.lists(st.floats(1e-6, 1.0), min_size=2, max_size=60))
def test_entropy_bounds(w):
    h = pc.entropy(w)
    huff = pc.huffman(w).expected_length()
    assert h - 1e-9 <= huff < h + 1
    sh = pc.shannon(w).expected_length()
    assert h - 1e-9 <= sh < h + 1 and huff <= sh + 1e-9
    sfe = pc.shannon_fano_elias(w).expected_length()
    assert h + 1 - 1e-9 <= sfe < h + 2
    fano = pc.shannon_fano(w).expected_length()
    assert huff - 1e-9 <= fano < h + 2
    h3 = pc.entropy(w) / math.log2(3)
    assert h3 - 1e-9 <= pc.huffman(w, arity=3).expected_length() < h3 + 1


@given(st.lists(st.floats(1e-9, 1.0), min_size=2, max_size=60))
def test_shannon_lengths_are_ceil_log2_1_over_p(w):
    code = pc.shannon(w)
    p = code.source.probs
    for pi, li in zip(p, code.length_array.tolist()):
        assert li == max(1, math.ceil(-math.log2(pi))) or 2.0**-li <= pi < 2.0 ** -(li - 1)
        assert 2.0**-li <= pi and (li == 1 or 2.0 ** -(li - 1) > pi)


@given(st.lists(st.floats(1e-9, 1.0), min_size=2, max_size=30))
def test_shannon_fano_elias_lengths_and_midpoints(w):
    code = pc.shannon_fano_elias(w)
    exact = [Fraction(x) for x in w]                 # the weights as given, normalized exactly
    p = [x / sum(exact) for x in exact]
    cum = Fraction(0)
    for pi, word in zip(p, code.codewords.values()):
        shannon = max(1, next(k for k in itertools.count() if Fraction(1, 2**k) <= pi))
        assert len(word) == shannon + 1
        mid = cum + pi / 2
        assert Fraction(int(word, 2), 2 ** len(word)) <= mid < Fraction(int(word, 2) + 1, 2 ** len(word))
        cum += pi


def test_shannon_fano_textbook_example():
    # the classic five-symbol example: counts 15 7 6 6 5 -> codes 00 01 10 110 111
    code = pc.shannon_fano({"A": 15, "B": 7, "C": 6, "D": 6, "E": 5})
    assert dict(code.codewords) == {"A": "00", "B": "01", "C": "10", "D": "110", "E": "111"}
    # Fano is not always optimal: here Huffman does better (87 vs 89 bits for 39 symbols)
    counts = {"A": 15, "B": 7, "C": 6, "D": 6, "E": 5}
    assert sum(counts[s] * n for s, n in code.lengths.items()) == 89
    assert sum(counts[s] * n for s, n in pc.huffman(counts).lengths.items()) == 87


def test_shannon_fano_elias_textbook_example():
    # Cover & Thomas, table 5.3 (p = .25 .5 .125 .125 in that order)
    code = pc.shannon_fano_elias([0.25, 0.5, 0.125, 0.125])
    assert list(code.codewords.values()) == ["001", "10", "1101", "1111"]


def test_zero_weight_symbols_get_codewords_in_unused_space():
    code = pc.shannon([0.5, 0.25, 0.25, 0.0])
    assert code.length_array.tolist() == [1, 2, 3, 3]   # the lightest longest one makes room
    assert_valid_code(code, complete=True)
    sfe = pc.shannon_fano_elias({"a": 0.5, "z": 0, "b": 0.5})
    assert_valid_code(sfe)
    full = pc.huffman(pc.Distribution.from_samples(b"aab", alphabet=range(256)))
    assert full.length_array.shape == (256,)
    assert_valid_code(full)


def test_fixed_length_inputs():
    assert pc.fixed_length(5).length_array.tolist() == [3] * 5
    assert pc.fixed_length(range(2)).length_array.tolist() == [1, 1]
    assert pc.fixed_length(1).codewords[0] == "0"
    assert dict(pc.fixed_length(["c", "a", "b"]).codewords) == {"c": "00", "a": "01", "b": "10"}
    assert pc.fixed_length([0.5, 0.5]).source is not None
    assert pc.fixed_length(9, arity=3).length_array.tolist() == [2] * 9
    for bad in (0, -1, True, [], ["a", "a"]):
        with pytest.raises(pc.PrefixCodeError, match="symbols_or_p"):
            pc.fixed_length(bad)


def test_block_codes_approach_entropy():
    p = {"sun": 0.9, "rain": 0.1}
    h = pc.entropy(p)
    per_symbol = []
    for n in range(1, 8):
        code = pc.block_code(p, n)
        rate = code.expected_length() / n
        assert h - 1e-12 <= rate < h + 1 / n
        per_symbol.append(rate)
    assert per_symbol[0] == 1.0
    assert per_symbol[-1] - h < 0.05 < per_symbol[0] - h
    with pytest.raises(pc.PrefixCodeError, match="'n'"):
        pc.block_code(p, 0)
    with pytest.raises(pc.PrefixCodeError, match="'n'"):
        pc.block_code(p, 40)


# -- trace and kernels ----------------------------------------------------------------
def test_trace_steps_and_lengths_agree_with_huffman():
    steps = huffman_trace(WEATHER)
    assert len(steps) == 7
    assert steps[0].merged == (7, 6) and steps[0].weight == pytest.approx(0.02)
    assert steps[-1].weight == pytest.approx(1.0)
    assert all(a.weight <= b.weight + 1e-12 for a, b in itertools.pairwise(steps))
    t = huffman_trace([0.25, 0.25, 0.2, 0.1, 0.1, 0.1], arity=3)
    assert t[0].merged[0] == ("dummy", 1) and len(t[0].merged) == 3
    assert "node 1" in str(t[1]) or "node 1" in str(t[2])
    assert huffman_trace({"x": 1}) == []


@given(st.lists(st.integers(0, 50), min_size=2, max_size=30).filter(lambda w: sum(w) > 0),
       st.sampled_from([2, 3, 5]), st.booleans())
def test_trace_reproduces_the_kernel_lengths(w, arity, min_variance):
    from prefixcode.construct import _trace

    d = pc.Distribution(range(len(w)), w)
    lengths = _trace(d, arity, min_variance)[1]
    assert lengths.tolist() == huffman_lengths(d, arity=arity, min_variance=min_variance).tolist()


# -- bad input -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: pc.huffman([]), "'p'"),
        (lambda: pc.huffman({}), "'p'"),
        (lambda: pc.huffman([0.5, -0.5]), "'p'"),
        (lambda: pc.huffman([0, 0]), "'p'"),
        (lambda: pc.huffman([1, float("nan")]), "'p'"),
        (lambda: pc.huffman([1, 2], arity=1), "'arity'"),
        (lambda: pc.huffman([1, 2], arity=2.0), "'arity'"),
        (lambda: pc.huffman([1, 2, 3, 4, 5], max_length=2), "'max_length'"),
        (lambda: pc.huffman([1] * 10, arity=3, max_length=2), "'max_length'"),
        (lambda: pc.huffman([1, 2], max_length=0), "'max_length'"),
        (lambda: pc.huffman({"a": 1}, max_length=0), "'max_length'"),
        (lambda: pc.shannon([]), "'p'"),
        (lambda: pc.shannon_fano([-1, 2]), "'p'"),
        (lambda: pc.shannon_fano_elias(None), "'p'"),
        (lambda: pc.block_code([], 2), "'p'"),
        (lambda: pc.shannon([1, 2], arity=0), "'arity'"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(pc.PrefixCodeError) as e:
        call()
    assert name in str(e.value)


def test_max_length_error_states_the_minimum():
    with pytest.raises(pc.PrefixCodeError, match=r"at least ceil\(log_2 5\) = 3"):
        pc.huffman([1, 2, 3, 4, 5], max_length=2)
    # exactly enough is fine: a fixed-length code
    assert pc.huffman([1, 2, 3, 4], max_length=2).length_array.tolist() == [2, 2, 2, 2]


@pytest.mark.slow
def test_huffman_of_a_million_weights_matches_bitarray_lengths_sum():
    from bitarray.util import canonical_huffman

    rng = np.random.default_rng(3)
    counts = rng.integers(1, 1 << 20, size=200_000)
    table, _, _ = canonical_huffman({i: int(c) for i, c in enumerate(counts)})
    ref = sum(int(c) * len(table[i]) for i, c in enumerate(counts))
    assert int(np.dot(counts, pc.huffman(counts).length_array)) == ref


# -- unique decodability ----------------------------------------------------------------
def _concatenations(words: list[str], max_words: int) -> dict[str, list[tuple]]:
    """Brute force: every sequence of up to `max_words` codeword indices, by its string."""
    seen: dict[str, list[tuple]] = {}
    for k in range(1, max_words + 1):
        for seq in itertools.product(range(len(words)), repeat=k):
            seen.setdefault("".join(words[i] for i in seq), []).append(seq)
    return seen


def _check_witness(result, table: dict) -> None:
    a, b = result.parses
    assert a != b
    assert "".join(table[s] for s in a) == result.witness == "".join(table[s] for s in b)


@pytest.mark.parametrize(
    "words, ud",
    [
        (["0", "01", "11"], True),                           # suffix code, not prefix-free
        (["0", "10", "110", "111"], True),
        (["0", "01", "10"], False),                          # 010 = 0|10 = 01|0
        (["1", "011", "01110", "1110", "10011"], False),     # Sardinas and Patterson's example
        (["a", "ab", "bb"], True),                           # any alphabet
        (["0", "0"], False),
        (["1", ""], False),
    ],
)
def test_is_uniquely_decodable_known_cases(words, ud):
    result = pc.is_uniquely_decodable(words)
    assert bool(result) is ud and result.uniquely_decodable is ud
    if not ud:
        _check_witness(result, dict(enumerate(words)))
    else:
        assert result.witness is None and result.parses is None


def test_is_uniquely_decodable_accepts_mappings_and_codes():
    r = pc.is_uniquely_decodable({"x": "0", "y": "01", "z": "10"})
    assert not r and set(r.parses[0]) | set(r.parses[1]) <= {"x", "y", "z"}
    assert pc.is_uniquely_decodable(pc.huffman(WEATHER))
    for bad in (None, "0 1", [], {}, [0, 1]):
        with pytest.raises(pc.PrefixCodeError, match="codewords"):
            pc.is_uniquely_decodable(bad)


@given(st.lists(st.text("01", min_size=1, max_size=4), min_size=1, max_size=4))
def test_sardinas_patterson_agrees_with_brute_force(words):
    result = pc.is_uniquely_decodable(words)
    if not result:
        _check_witness(result, dict(enumerate(words)))
    else:
        # no string of up to 4 codewords has two parses
        collisions = [s for s, parses in _concatenations(words, 4).items() if len(parses) > 1]
        assert not collisions


# -- integer codes -----------------------------------------------------------------------
def test_integer_code_values():
    assert [pc.elias_gamma(n) for n in range(1, 6)] == ["1", "010", "011", "00100", "00101"]
    assert [pc.elias_delta(n) for n in (1, 2, 5, 8, 17)] == ["1", "0100", "01101", "00100000", "001010001"]
    assert [pc.golomb(n, 1) for n in range(4)] == ["0", "10", "110", "1110"]      # unary
    assert [pc.golomb(n, 5) for n in (0, 2, 3, 4, 5, 9)] == ["000", "010", "0110", "0111", "1000", "10111"]
    for n in range(50):
        for k in range(4):
            assert pc.rice(n, k) == pc.golomb(n, 2**k)
            r = pc.rice(n, k)
            assert r == "1" * (n >> k) + "0" + (format(n % 2**k, f"0{k}b") if k else "")


def test_integer_code_lengths():
    for n in range(1, 2000):
        lg = n.bit_length() - 1
        assert len(pc.elias_gamma(n)) == 2 * lg + 1
        assert len(pc.elias_delta(n)) == lg + 2 * (lg + 1).bit_length() - 1
        assert int(pc.elias_gamma(n), 2) == n


@pytest.mark.parametrize(
    "kind, values, params",
    [
        ("elias_gamma", range(1, 300), {}),
        ("elias_delta", range(1, 300), {}),
        ("golomb", range(300), {"m": 7}),
        ("golomb", range(50), {"m": 1}),
        ("rice", range(300), {"k": 3}),
        (lambda n: "1" * n + "0", range(20), {}),
    ],
)
def test_integer_codes_are_valid_prefix_codes(kind, values, params):
    code = pc.integer_code(kind, values, **params)
    assert_valid_code(code)
    assert code.kraft_sum < 1


def test_integer_code_errors():
    for call, name in [
        (lambda: pc.elias_gamma(0), "'n'"),
        (lambda: pc.elias_delta(-3), "'n'"),
        (lambda: pc.golomb(1, 0), "'m'"),
        (lambda: pc.golomb(-1, 3), "'n'"),
        (lambda: pc.rice(1, -1), "'k'"),
        (lambda: pc.elias_gamma(1.0), "'n'"),
        (lambda: pc.integer_code("zeta", range(3)), "'kind'"),
        (lambda: pc.integer_code("elias_gamma", []), "'values'"),
    ]:
        with pytest.raises(pc.PrefixCodeError) as e:
            call()
        assert name in str(e.value)


# -- Tunstall -----------------------------------------------------------------------------
@pytest.mark.parametrize("p, length", [({"a": 0.7, "b": 0.2, "c": 0.1}, 3), ([0.9, 0.1], 4),
                                       ([0.5, 0.3, 0.2, 0.0], 5), (WEATHER, 6), ([0.5, 0.5], 1)])
def test_tunstall_dictionary_is_a_complete_parse_tree(p, length):
    t = pc.tunstall(p, length)
    k = len(t.source)
    assert len(t.words) <= 2**length and (len(t.words) - 1) % (k - 1) == 0
    assert 2**length - len(t.words) < k - 1        # no room for one more expansion
    assert t.probabilities.sum() == pytest.approx(1.0)
    for a, b in itertools.permutations(t.words, 2):
        assert b[: len(a)] != a                     # no word is a prefix of another
    assert len(set(t.codewords)) == len(t.codewords) and {len(c) for c in t.codewords} == {length}
    assert t.bits_per_symbol >= pc.entropy(p) - 1e-12
    rng = random.Random(length)
    message = [w for _ in range(50) for w in rng.choice(t.words)]
    words, tail = t.parse(message)
    assert tail == () and [x for w in words for x in w] == message
    bits = t.encode(message)
    assert len(bits) == length * len(words)
    inverse = {c: w for w, c in t.table().items()}
    decoded = [x for i in range(0, len(bits), length) for x in inverse[bits[i:i + length]]]
    assert decoded == message
    assert str(t).splitlines()[0].split() == ["word", "p", "codeword"]


def test_tunstall_approaches_entropy_and_rejects_bad_input():
    p = [0.8, 0.15, 0.05]
    rates = [pc.tunstall(p, n).bits_per_symbol for n in (2, 4, 8, 12)]
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(rates))
    assert rates[-1] - pc.entropy(p) < 0.05
    t = pc.tunstall(p, 3)
    assert t.parse([0, 0])[1] in ((0, 0), (0,), ())
    with pytest.raises(pc.PrefixCodeError, match="'message'"):
        t.encode([0, 0, 7])
    for call, name in [(lambda: pc.tunstall([1.0], 3), "'p'"), (lambda: pc.tunstall(p, 1), "'length'"),
                       (lambda: pc.tunstall(p, 0), "'length'"), (lambda: pc.tunstall(p, 30), "'length'")]:
        with pytest.raises(pc.PrefixCodeError) as e:
            call()
        assert name in str(e.value)


def test_trace_breaks_a_float_tie_like_the_kernel():
    # 7/125 + 10/125 + 10/125 rounds above 27/125 when summed in merge order
    from prefixcode.construct import _trace

    d = pc.Distribution(range(7), [7, 10, 10, 10, 11, 27, 50])
    assert _trace(d, 3, False)[1].tolist() == huffman_lengths(d, arity=3).tolist()


# -- zero-weight symbols: one policy for every construction ------------------------------
def test_zero_weight_policy_hand_worked():
    # positives 1, 2, 2 fill the space; the lightest longest (0.2) gets a digit more;
    # the three zero-weight symbols share the free 1/8: l0 = 5, and one of them fits at 4
    code = pc.huffman([0.5, 0, 0.3, 0, 0.2, 0])
    assert code.length_array.tolist() == [1, 4, 2, 5, 3, 5]
    assert code.is_complete
    assert code.expected_length() == pytest.approx(0.5 + 0.6 + 0.6)   # optimal: L(.5,.3,.2) + 0.2
    assert pc.huffman([1, 1, 0], arity=3).length_array.tolist() == [1, 1, 1]   # free room: no cost
    assert dict(pc.shannon_fano([0.5, 0.5, 0]).codewords) == {0: "0", 1: "10", 2: "11"}
    assert dict(pc.shannon_fano_elias({"a": 0.5, "z": 0, "b": 0.5}).codewords) == {
        "a": "01", "z": "00", "b": "11"}


@pytest.mark.parametrize("name", ["huffman", "shannon", "shannon_fano", "shannon_fano_elias"])
def test_zero_weight_symbols_leave_the_others_alone(name):
    build = getattr(pc, name)
    p = [0.4, 0.3, 0.2, 0.1]
    plain = build(p).length_array
    with_zeros = build([0.4, 0, 0.3, 0.2, 0, 0, 0.1]).length_array
    positive = with_zeros[[0, 2, 3, 6]]
    changed = np.flatnonzero(positive != plain)
    assert changed.size <= 1                         # at most one codeword one digit longer
    if changed.size:
        assert positive[changed[0]] == plain[changed[0]] + 1
    assert_valid_code(build([0.4, 0, 0.3, 0.2, 0, 0, 0.1]))


@pytest.mark.parametrize("name, complete", [
    ("huffman", True), ("shannon", None), ("shannon_fano", True), ("shannon_fano_elias", None)])
def test_many_zero_weights_are_fast_and_small(name, complete):
    # was a chain: pc.huffman(np.r_[np.ones(2), np.zeros(10**5)]) took 17.7 s and 5.4 GB
    import time

    m = 10**5
    t = time.perf_counter()
    code = getattr(pc, name)(np.r_[np.ones(2), np.zeros(m)])
    elapsed = time.perf_counter() - t
    assert elapsed < 10, elapsed                     # measured 0.1-0.7 s
    lengths = code.length_array
    assert int(lengths.max()) <= 3 + math.ceil(math.log2(m))
    assert int(lengths.sum()) <= 2 * 2 + m * (3 + math.ceil(math.log2(m)))
    assert code.kraft_fraction <= 1
    if complete:
        assert code.is_complete
    words = code.codewords
    assert len(set(words.values())) == m + 2


def test_block_code_with_many_zero_weights_is_fast():
    # 2 + 2,046 zero weights, n = 2, took over 20 s and 5 GB; a quarter of it here
    import time

    t = time.perf_counter()
    code = pc.block_code(np.r_[np.ones(2), np.zeros(510)], 2)
    elapsed = time.perf_counter() - t
    assert elapsed < 10, elapsed
    assert len(code) == 512**2
    assert code.is_complete and int(code.length_array.max()) <= 3 + 18
    assert code.expected_length() == pytest.approx(2.25)   # lengths 2, 2, 2, 3 on 4 equal blocks


def test_zero_weights_under_a_length_limit_take_part_in_package_merge():
    p = np.r_[np.ones(2), np.zeros(1000)]
    code = pc.huffman(p, max_length=11)
    assert int(code.length_array.max()) <= 11 and code.is_complete
    # 1000 codewords of <= 11 bits need 1000/2048 of the space: lengths 1 and 2 leave only
    # 1/4, so the optimum gives both positive symbols 2 bits
    assert code.expected_length() == pytest.approx(2.0)
    unlimited = pc.huffman(p)
    assert unlimited.expected_length() == pytest.approx(1.5)   # one of the two pays 1 digit
    assert int(unlimited.length_array.max()) == 12             # 2 + 10: 1000 fit under '11'
    assert pc.huffman(p, max_length=12) == unlimited           # the limit does not bind


def test_trace_leaves_zero_weights_out_of_the_merges():
    steps = huffman_trace([1, 0, 1])
    assert len(steps) == 1 and steps[0].merged == (2, 0)
    from prefixcode.construct import _trace

    d = pc.Distribution(range(3), [1, 0, 1])
    assert _trace(d, 2, False)[1].tolist() == huffman_lengths(d).tolist() == [1, 2, 2]


def test_tunstall_output_is_read_back():
    t = pc.tunstall({"a": 0.7, "b": 0.2, "c": 0.1}, 3)
    message = "aaabacaabcaaa"
    bits = t.encode(message)
    assert "".join(t.decode(bits)) == message                       # its own decode
    from bitarray import bitarray

    assert "".join(t.decode(bitarray(bits))) == message
    words = pc.decode(bits, t.code)                                 # pc.decode reads it too
    assert "".join("".join(w) for w in words) == message
    assert pc.encode(words, t.code).to01() == bits
    assert t.code.is_complete is False and len(t.code) == 7         # 7 of 8 codewords used
    with pytest.raises(pc.DecodeError, match="offset 3"):
        t.decode(bits[:4])
    with pytest.raises(pc.DecodeError, match="'111' at offset 0"):
        t.decode("111")
    with pytest.raises(pc.PrefixCodeError, match="argument 'bits'"):
        t.decode("012")


def test_integer_codes_have_one_shape():
    for f, arg in ((pc.elias_gamma, {}), (pc.elias_delta, {}), (pc.golomb, {"m": 3}), (pc.rice, {"k": 1})):
        word = f(5, **arg)
        assert isinstance(word, str) and set(word) <= {"0", "1"}
        name = f.__name__
        code = pc.integer_code(name, range(1, 9), **arg)
        assert isinstance(code, pc.PrefixCode) and code.codewords[5] == word
        assert pc.decode(pc.encode([5, 1, 8], code), code) == [5, 1, 8]
        assert "65,536 digits" in f.__doc__                           # the documented bound

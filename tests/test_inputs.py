"""What an input means: one rule for every function (distribution.py, the README).

Numbers are weights; text, bytes, sequences of non-numbers, Series of non-numbers and
iterators are samples; ambiguous input is refused with both ways out. Written the way a
student types them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import prefixcode as pc

WEATHER = ["sun", "rain", "sun", "sun"]          # H = h(1/4) = 0.811278...
H_QUARTER = -(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75))


class FakeSeries:
    """The duck type of a pandas Series (index, to_numpy, ndim), without pandas."""

    ndim = 1

    def __init__(self, data: dict):
        self.index = list(data.keys())
        self._values = np.array(list(data.values()))

    def to_numpy(self):
        return self._values


# -- byte data: the bytes that occur ---------------------------------------------------
def test_bytes_code_the_bytes_that_occur_like_the_text():
    from_bytes = pc.huffman(b"abracadabra")
    from_text = pc.huffman("abracadabra")
    assert from_bytes.symbols == (97, 98, 99, 100, 114)
    assert from_text.symbols == ("a", "b", "c", "d", "r")
    assert from_bytes.length_array.tolist() == from_text.length_array.tolist()
    assert from_bytes.expected_length() == pytest.approx(23 / 11)   # 5*1 + 2*2 + 2*3 + 1*4 + 1*4


def test_a_real_text_as_bytes_has_short_codewords():
    alice = pc.datasets.load_bytes("alice.txt")
    code = pc.huffman(alice)
    assert len(code) == len(set(alice))
    assert max(code.lengths.values()) <= 16          # was 201 with the 256-symbol alphabet


def test_the_full_byte_alphabet_on_request():
    d = pc.Distribution.from_samples(b"aab", alphabet=range(256))
    assert len(d) == 256 and d[97] == pytest.approx(2 / 3) and d[0] == 0.0
    assert pc.Distribution.from_bytes(b"aab").to_dict() == d.to_dict()
    assert len(pc.huffman(d)) == 256


def test_strided_memoryview_is_byte_data():
    view = memoryview(b"abcdabcd")[::2]               # a, c, a, c
    assert pc.entropy(view) == pytest.approx(1.0)
    assert pc.huffman(view).symbols == (97, 99)


# -- samples ----------------------------------------------------------------------------
@pytest.mark.parametrize("samples", [
    WEATHER,
    tuple(WEATHER),
    np.array(WEATHER),
    iter(WEATHER),
    (w for w in WEATHER),
], ids=["list of words", "tuple", "numpy str array", "iterator", "generator"])
def test_sequences_of_non_numbers_and_iterators_are_samples(samples):
    assert pc.entropy(samples) == pytest.approx(H_QUARTER, rel=1e-12)


def test_samples_keep_their_symbols_in_codes():
    code = pc.huffman(["sun", "rain", "sun", "sun", "fog"])
    assert set(code.symbols) == {"sun", "rain", "fog"}
    assert code.lengths["sun"] == 1
    assert pc.huffman(list("abracadabra")) == pc.huffman("abracadabra")
    assert all(type(s) is str for s in pc.huffman(np.array(WEATHER)).symbols)   # not np.str_


def test_a_generator_of_numbers_is_samples():
    d = pc.Distribution.from_samples(x % 3 for x in range(9))
    assert pc.entropy(x % 3 for x in range(9)) == pytest.approx(math.log2(3))
    assert d.symbols == (0, 1, 2)


def test_from_samples_reads_anything_as_samples():
    assert pc.Distribution.from_samples("0.5 0.5").symbols == (" ", ".", "0", "5")
    assert pc.Distribution.from_samples([1, 1, 2]).to_dict() == {1: 2 / 3, 2: 1 / 3}
    assert pc.Distribution.from_samples(np.array([True, False, True]))[True] == pytest.approx(2 / 3)
    d = pc.Distribution.from_samples("ab", alphabet="abc")
    assert d.symbols == ("a", "b", "c") and d["c"] == 0.0


@pytest.mark.parametrize(("samples", "alphabet", "words"), [
    ("abz", "ab", "samples' must draw from 'alphabet', got the symbol 'z'"),
    ("ab", "aba", "alphabet' must be distinct, got 'a'"),
    ("ab", [["a"], ["b"]], "alphabet' must be made of hashable symbols"),
    ("ab", [], "alphabet' must be non-empty"),
    ({"a": 1}, None, "Distribution.from_mapping"),
])
def test_from_samples_errors(samples, alphabet, words):
    with pytest.raises(pc.PrefixCodeError, match=words):
        pc.Distribution.from_samples(samples, alphabet=alphabet)


# -- numbers are weights --------------------------------------------------------------
def test_numbers_are_weights_in_every_form():
    assert pc.entropy([3, 1]) == pytest.approx(H_QUARTER)
    assert pc.entropy(np.array([3, 1], dtype=">i4")) == pytest.approx(H_QUARTER)
    assert pc.entropy(range(1, 3)) == pytest.approx(pc.entropy([1, 2]))
    from fractions import Fraction

    assert pc.entropy([Fraction(3, 4), Fraction(1, 4)]) == pytest.approx(H_QUARTER)


def test_a_series_of_numbers_is_weights_keyed_by_its_index():
    code = pc.huffman(FakeSeries({"a": 0.5, "b": 0.25, "c": 0.25}))
    assert dict(code.codewords) == {"a": "0", "b": "10", "c": "11"}
    samples = pc.huffman(FakeSeries({0: "sun", 1: "rain", 2: "sun"}))
    assert set(samples.symbols) == {"sun", "rain"}


def test_pandas_series():
    pd = pytest.importorskip("pandas")
    code = pc.huffman(pd.Series({"a": 0.5, "b": 0.25, "c": 0.25}))
    assert code.symbols == ("a", "b", "c")
    assert pc.entropy(pd.Series(WEATHER)) == pytest.approx(H_QUARTER)
    assert pc.entropy(pd.Series(WEATHER, dtype="category")) == pytest.approx(H_QUARTER)
    report = pc.analyze(pd.Series({"a": 2, "b": 1, "c": 1}), code)
    assert report.average_length == pytest.approx(1.5)
    with pytest.raises(pc.PrefixCodeError, match="distinct"):
        pc.entropy(pd.Series([1, 2], index=["a", "a"]))


# -- ambiguous input: refused, with both ways out -------------------------------------
@pytest.mark.parametrize(("p", "weights_hint"), [
    ("0.5 0.5", r"\[0.5, 0.5\]"),
    ("1, 2, 3, 4", r"\[1, 2, 3, \.\.\.\]"),
    (["0.5", "0.5"], r"\[0.5, 0.5\]"),
    ([True, False, True], "0s and 1s"),
    (np.array([True, False]), r"p.astype\(int\)"),
    ([1, "a"], "numbers only"),
])
def test_ambiguous_inputs_say_which_to_use(p, weights_hint):
    with pytest.raises(pc.PrefixCodeError, match="argument 'p' is ambiguous") as info:
        pc.entropy(p)
    message = str(info.value)
    assert "Distribution.from_samples(p)" in message
    assert " got " in message
    import re

    assert re.search(weights_hint, message), message


def test_text_that_is_not_a_list_of_numbers_is_samples():
    assert pc.entropy("0110") == pytest.approx(1.0)         # a bit string: its characters
    assert pc.entropy("1 fish 2 fish") > 0


@pytest.mark.parametrize(("p", "words"), [
    ({1, 2}, "not a set"),
    (iter([]), "non-empty iterator"),
    (None, "weights or samples"),
    (3, "not a scalar"),
    ([[1, 2], [3]], "rectangular"),
    ([["a"], ["b"]], "hashable"),
])
def test_other_inputs_are_refused_with_the_argument_named(p, words):
    with pytest.raises(pc.PrefixCodeError, match=rf"argument 'p' must be .*{words}"):
        pc.entropy(p)


def test_readme_states_the_rule():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "## What an input means" in readme
    assert "Distribution.from_samples(data, alphabet=range(256))" in readme

"""PrefixCode: construction, validation, views, exact Kraft sums, tree, JSON, display."""

from __future__ import annotations

import copy
import json
import math
import pickle
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from bitarray import frozenbitarray
from hypothesis import given
from hypothesis import strategies as st

import prefixcode as pc
from prefixcode.code import PrefixCode

COURSE = {"sunny": "00", "cloudy": "01", "rain": "100", "fog": "101",
          "snow": "1100", "hail": "1101", "storm": "11100", "tornado": "11101"}


# -- construction -----------------------------------------------------------------------
def test_from_codewords_keeps_table_and_order():
    code = PrefixCode.from_codewords({"b": "10", "a": "0", "c": "11"})
    assert code.symbols == ("b", "a", "c")
    assert dict(code.codewords) == {"b": "10", "a": "0", "c": "11"}
    assert dict(code.lengths) == {"b": 2, "a": 1, "c": 2}
    assert code.length_array.tolist() == [2, 1, 2]
    assert code.arity == 2 and code.source is None
    assert len(code) == 3 and "a" in code and "z" not in code and [] not in code
    assert list(code) == ["b", "a", "c"]
    assert code["c"] == "11"


def test_constructor_is_from_codewords():
    assert PrefixCode(["0", "1"]) == PrefixCode.from_codewords(["0", "1"])


def test_codewords_as_bitarrays_and_digit_sequences():
    from bitarray import bitarray

    a = PrefixCode.from_codewords({"x": bitarray("0"), "y": frozenbitarray("10"), "z": (1, 1)})
    assert dict(a.codewords) == {"x": "0", "y": "10", "z": "11"}
    assert a.bitarrays["y"] == frozenbitarray("10")
    assert isinstance(a.bitarrays["y"], frozenbitarray)


@pytest.mark.parametrize(
    "table, clash",
    [
        ({"x": "0", "y": "01"}, ("'x' -> '0'", "'y' -> '01'")),
        ({"a": "10", "b": "0", "c": "10"}, ("'a' -> '10'", "'c' -> '10'")),
        ({"a": "110", "b": "0", "c": "11"}, ("'c' -> '11'", "'a' -> '110'")),
    ],
)
def test_non_prefix_free_table_names_both_codewords(table, clash):
    with pytest.raises(pc.CodeError) as e:
        PrefixCode.from_codewords(table)
    msg = str(e.value)
    assert "'codewords'" in msg and "prefix-free" in msg
    for part in clash:
        assert part in msg


@pytest.mark.parametrize(
    "table, arity, needle",
    [
        ({}, 2, "non-empty"),
        ({"a": ""}, 2, "non-empty codeword"),
        ({"a": "0", "b": "2"}, 2, "arity="),
        ({"a": "0", "b": "x"}, 3, "digits '012'"),
        ({"a": 0}, 2, "codewords['a']"),
        ({"a": (0, 5)}, 3, "digits 0..2"),
        ("0 10 11", 2, "'codewords'"),
        ({"a": "0"}, 1, "'arity'"),
        ({"a": "0"}, 37, "'arity'"),
        ({"a": "0"}, True, "'arity'"),
    ],
)
def test_bad_tables_raise_code_errors_naming_the_argument(table, arity, needle):
    with pytest.raises(pc.PrefixCodeError) as e:
        PrefixCode.from_codewords(table, arity=arity)
    assert needle in str(e.value)


def test_from_lengths_is_canonical_deflate_order():
    # RFC 1951, 3.2.2, the worked example: lengths (3, 3, 3, 3, 3, 2, 4, 4) for A..H
    lengths = dict(zip("ABCDEFGH", (3, 3, 3, 3, 3, 2, 4, 4)))
    code = PrefixCode.from_lengths(lengths)
    assert dict(code.codewords) == {
        "A": "010", "B": "011", "C": "100", "D": "101", "E": "110", "F": "00",
        "G": "1110", "H": "1111",
    }


def test_from_lengths_orders_equal_lengths_as_given():
    code = PrefixCode.from_lengths({"c": 2, "a": 2, "b": 1})
    assert dict(code.codewords) == {"c": "10", "a": "11", "b": "0"}    # first seen, not sorted
    mixed = PrefixCode.from_lengths({"x": 2, 1: 2, (0,): 1})
    assert dict(mixed.codewords) == {"x": "10", 1: "11", (0,): "0"}
    # the course lists sunny before partly cloudy: sunny gets the first 2-bit codeword
    weather = PrefixCode.from_lengths({"sunny": 2, "partly cloudy": 2, "cloudy": 3, "rainy": 3,
                                       "foggy": 4, "windy": 4, "snowy": 5, "stormy": 5})
    assert list(weather.codewords.values()) == ["00", "01", "100", "101", "1100", "1101",
                                                "11100", "11101"]          # the course's code
    # byte and integer alphabets given in order: DEFLATE's order (RFC 1951, 3.2.2 example)
    deflate = PrefixCode.from_lengths(dict(zip("ABCDEFGH", [3, 3, 3, 3, 3, 2, 4, 4])))
    assert list(deflate.codewords.values()) == ["010", "011", "100", "101", "110", "00",
                                                "1110", "1111"]
    assert list(PrefixCode.from_lengths([3, 3, 3, 3, 3, 2, 4, 4]).codewords.values()) == list(
        deflate.codewords.values())


def test_canonical_codes_keep_the_input_order():
    import prefixcode as pc

    p = {"sunny": 0.35, "partly cloudy": 0.35, "cloudy": 0.10, "rainy": 0.10,
         "foggy": 0.04, "windy": 0.04, "snowy": 0.01, "stormy": 0.01}     # data/weather.json
    code = pc.shannon(p)                    # lengths 2 2 4 4 5 5 7 7
    assert code.codewords["sunny"] == "00" and code.codewords["partly cloudy"] == "01"
    assert pc.fixed_length(list(p)).codewords["sunny"] == "000"
    assert pc.fixed_length(list(p)).codewords["stormy"] == "111"
    reordered = dict(reversed(p.items()))
    assert pc.shannon(reordered).codewords["partly cloudy"] == "00"
    swapped = PrefixCode.from_codewords({"b": "1", "a": "01", "c": "00"}).canonical()
    assert dict(swapped.codewords) == {"b": "0", "a": "10", "c": "11"}


def test_from_lengths_sequence_and_dary():
    assert dict(PrefixCode.from_lengths([1, 2, 2]).codewords) == {0: "0", 1: "10", 2: "11"}
    t = PrefixCode.from_lengths([2, 1, 2, 2, 2], arity=3)
    assert dict(t.codewords) == {0: "10", 1: "0", 2: "11", 3: "12", 4: "20"}
    assert t.kraft_sum == Fraction(7, 9) and not t.is_complete
    big = PrefixCode.from_lengths([1] * 11 + [2] * 25, arity=36)
    assert big.codewords[10] == "a" and big.codewords[35] == "bo"


def test_from_lengths_long_codewords_use_exact_integers():
    lengths = [*range(1, 80), 79]  # Kraft sum exactly 1, codewords up to 79 bits
    code = PrefixCode.from_lengths(lengths)
    assert code.is_complete and code.kraft_sum == 1.0
    assert code.codewords[78] == "1" * 78 + "0" and code.codewords[79] == "1" * 79
    with pytest.raises(pc.CodeError):
        code.codeword_ints  # noqa: B018


@pytest.mark.parametrize(
    "lengths, needle",
    [
        ([1, 1, 1], "Kraft"),
        ([0, 1], "from 1 to 65536"),
        ([-1, 1], "from 1 to 65536"),
        ([2**16 + 1, 1], "from 1 to 65536"),
        ([1.5, 1], "integers"),
        ([], "non-empty"),
        ({"a": "1"}, "integers"),
        (5, "'lengths'"),
    ],
)
def test_bad_lengths(lengths, needle):
    with pytest.raises(pc.CodeError) as e:
        PrefixCode.from_lengths(lengths)
    assert needle in str(e.value) and "'lengths'" in str(e.value)


def test_canonical_matches_bitarray_canonical_huffman():
    from bitarray.util import canonical_huffman

    rng = np.random.default_rng(5)
    for _ in range(20):
        counts = {i: int(c) for i, c in enumerate(rng.integers(1, 1000, size=rng.integers(2, 40)))}
        table, _, _ = canonical_huffman(counts)
        lengths = {s: len(b) for s, b in table.items()}
        ours = PrefixCode.from_lengths(dict(sorted(lengths.items())))
        # bitarray assigns canonical codes in order of length, then of its symbol list
        assert {s: len(w) for s, w in ours.codewords.items()} == lengths
        assert ours.is_complete


# -- Kraft, implied distribution ---------------------------------------------------------
def test_course_code_kraft_sum_and_implied_distribution():
    code = PrefixCode.from_codewords(COURSE)
    assert code.kraft_sum == 0.9375
    assert code.kraft_fraction == Fraction(15, 16)
    assert not code.is_complete
    q = code.implied_distribution()
    assert q["sunny"] == 0.25 and q["tornado"] == 2**-5
    assert sum(q.values()) == pytest.approx(0.9375)


def test_kraft_sum_is_exact_for_mixed_lengths():
    code = PrefixCode.from_lengths([1, 60])
    assert code.kraft_fraction == Fraction(1, 2) + Fraction(1, 2**60)
    assert code.kraft_sum == float(Fraction(1, 2) + Fraction(1, 2**60))


def test_one_symbol_convention():
    code = PrefixCode.from_codewords({"only": "0"})
    assert code.kraft_sum == 0.5 and not code.is_complete
    assert pc.huffman({"only": 3}).codewords["only"] == "0"


def test_expected_length_aligns_by_symbol_or_position():
    code = PrefixCode.from_codewords(COURSE)
    p = dict(zip(COURSE, [0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]))
    assert code.expected_length(p) == pytest.approx(2.42)
    assert code.expected_length(list(p.values())) == pytest.approx(2.42)
    # one alignment rule with analyze: a symbol the code lacks costs inf
    assert code.expected_length({"hurricane": 1.0}) == math.inf
    assert pc.analyze({"hurricane": 1.0, **p}, code).average_length == math.inf
    assert code.expected_length({"hurricane": 0.0, **p}) == pytest.approx(2.42)
    with pytest.raises(pc.PrefixCodeError, match="one weight per code symbol"):
        code.expected_length([0.5, 0.5])
    with pytest.raises(pc.PrefixCodeError, match="'p'"):
        code.expected_length()
    # with a source, no argument needed
    with_src = PrefixCode.from_codewords(COURSE, source=p)
    assert with_src.expected_length() == pytest.approx(2.42)
    by_position = PrefixCode.from_codewords(COURSE, source=list(p.values()))
    assert by_position.source.symbols == tuple(COURSE)
    with pytest.raises(pc.PrefixCodeError, match="'source'"):
        PrefixCode.from_codewords(COURSE, source=[0.5, 0.5])


# -- views are read-only, objects immutable and hashable ----------------------------------
def test_immutable_and_read_only_views():
    code = PrefixCode.from_lengths([1, 2, 2])
    with pytest.raises(AttributeError):
        code.arity = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        code.codewords[0] = "1"  # type: ignore[index]
    with pytest.raises(TypeError):
        code.lengths[0] = 5  # type: ignore[index]
    with pytest.raises(ValueError):
        code.length_array[0] = 5
    with pytest.raises(ValueError):
        code.codeword_ints[0] = 5


def test_equality_and_hash_ignore_order_and_source():
    a = PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"})
    b = PrefixCode.from_codewords({"c": "11", "a": "0", "b": "10"}, source={"a": 1, "b": 1, "c": 1})
    c = PrefixCode.from_codewords({"a": "0", "b": "11", "c": "10"})
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert a != PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"}, arity=3)
    assert len({a, b, c}) == 2
    assert a != "not a code"


def test_copy_and_pickle_keep_the_code():
    code = pc.huffman({"x": 3, "y": 1, ("t", 1): 1})
    for other in (copy.deepcopy(code), pickle.loads(pickle.dumps(code))):
        assert other == code and other.source is not None
        assert other.source.to_dict() == code.source.to_dict()


def test_codeword_ints():
    code = PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"})
    assert code.codeword_ints.tolist() == [0, 2, 3]
    assert code.codeword_ints.dtype == np.uint64
    with pytest.raises(pc.CodeError):
        PrefixCode.from_lengths([1, 1, 1], arity=3).codeword_ints  # noqa: B018
    with pytest.raises(pc.CodeError):
        PrefixCode.from_lengths([1, 1, 1], arity=3).bitarrays  # noqa: B018


# -- canonical, tree ---------------------------------------------------------------------
def test_canonical_keeps_lengths_and_source():
    code = PrefixCode.from_codewords(COURSE, source=[8, 7, 6, 5, 4, 3, 2, 1])
    can = code.canonical()
    assert dict(can.lengths) == dict(code.lengths)
    assert can.source is code.source
    assert can == PrefixCode.from_lengths(dict(code.lengths))


def test_tree_structure_and_weights():
    code = PrefixCode.from_codewords(COURSE, source=[0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01])
    t = code.tree()
    assert isinstance(t, nx.DiGraph) and nx.is_arborescence(t)
    leaves = [v for v in t if t.out_degree(v) == 0]
    assert sorted(t.nodes[v]["symbol"] for v in leaves) == sorted(COURSE)
    assert t.nodes[""]["weight"] == pytest.approx(1.0)
    assert t.nodes["11"]["weight"] == pytest.approx(0.10)
    assert "1111" not in t and t.nodes["1110"]["weight"] == pytest.approx(0.02)  # unused branch absent
    for u, v, d in t.edges(data=True):
        assert v == u + d["digit"]
    # no source: weights are None
    assert PrefixCode.from_codewords(COURSE).tree().nodes["0"]["weight"] is None


def test_tree_of_a_ternary_code():
    t = PrefixCode.from_lengths([1, 1, 2, 2, 2], arity=3).tree()
    assert set(t.successors("2")) == {"20", "21", "22"}


# -- JSON, display -----------------------------------------------------------------------
def test_json_round_trip_with_tuple_symbols_and_source():
    code = pc.block_code({"s": 0.75, "r": 0.25}, 2)
    text = code.to_json()
    back = PrefixCode.from_json(text)
    assert back == code and back.symbols == code.symbols
    assert back.source.to_dict() == pytest.approx(code.source.to_dict())
    assert json.loads(text)["format"] == "prefixcode.code"


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[1, 2]",
        '{"format": "other"}',
        '{"format": "prefixcode.code", "version": 99, "symbols": [], "codewords": []}',
        '{"format": "prefixcode.code", "version": 1, "symbols": [1], "codewords": []}',
        '{"format": "prefixcode.code", "version": 1, "symbols": [1, 1], "codewords": ["0", "1"]}',
        '{"format": "prefixcode.code", "version": 1, "symbols": [1, 2], "codewords": ["0", "01"]}',
    ],
)
def test_bad_json_raises_code_error(text):
    with pytest.raises(pc.CodeError):
        PrefixCode.from_json(text)


def test_json_refuses_unrepresentable_symbols():
    with pytest.raises(pc.PrefixCodeError, match="'symbols'"):
        PrefixCode.from_codewords({frozenset(): "0"}).to_json()


def test_repr_is_pinned():
    abc = PrefixCode.from_lengths({"a": 1, "b": 2, "c": 2})
    assert repr(abc) == "PrefixCode({'a': '0', 'b': '10', 'c': '11'})"
    ternary = PrefixCode.from_lengths([1, 1, 1], arity=3)
    assert repr(ternary) == "PrefixCode({0: '0', 1: '1', 2: '2'}, arity=3)"
    big = pc.fixed_length(16)
    assert repr(big) == (
        "<PrefixCode of 16 symbols: {0: '0000', 1: '0001', 2: '0010', 3: '0011', 4: '0100', "
        "5: '0101', 6: '0110', 7: '0111', ...}>"
    )
    small = PrefixCode.from_lengths([1, 2, 2])
    assert eval(repr(small), {"PrefixCode": PrefixCode}) == small


def test_str_and_html_tables():
    code = pc.huffman({"sun": 0.5, "rain": 0.25, "fog": 0.25})
    text = str(code)
    assert text.splitlines()[0].split() == ["symbol", "p", "length", "codeword"]
    assert "'sun'" in text and "0.5" in text
    html = code._repr_html_()
    assert html.startswith("<table>") and "<code>0</code>" in html and "complete" in html
    long = pc.fixed_length(100)
    assert "more symbols" in str(long) and "more symbols" in long._repr_html_()
    assert len(str(long).splitlines()) < 50
    assert "(arity 3)" in str(pc.fixed_length(5, arity=3))
    escaped = PrefixCode.from_codewords({"<b>": "0", "&": "1"})._repr_html_()
    assert "&lt;b&gt;" in escaped and "<b>" not in escaped


# -- properties --------------------------------------------------------------------------
@st.composite
def prefix_free_tables(draw):
    """A random full binary tree's leaves, some removed: a prefix-free table."""
    n = draw(st.integers(1, 40))
    leaves = [""]
    while len(leaves) < n + 1:
        i = draw(st.integers(0, len(leaves) - 1))
        w = leaves.pop(i)
        leaves += [w + "0", w + "1"]
    keep = draw(st.lists(st.booleans(), min_size=len(leaves), max_size=len(leaves)))
    words = [w for w, k in zip(leaves, keep) if k] or [leaves[0]]
    return {f"s{i}": w for i, w in enumerate(words)}


@given(prefix_free_tables())
def test_prefix_free_tables_are_accepted_and_kraft_is_exact(table):
    code = PrefixCode.from_codewords(table)
    assert code.kraft_fraction == sum(Fraction(1, 2 ** len(w)) for w in table.values())
    assert code.is_complete == (code.kraft_fraction == 1)
    assert PrefixCode.from_json(code.to_json()) == code
    assert code.canonical().length_array.tolist() == code.length_array.tolist()
    assert PrefixCode.from_codewords(dict(code.canonical().codewords)).kraft_fraction == code.kraft_fraction
    assert code.codeword_ints.tolist() == [int(w, 2) for w in table.values()]


@given(prefix_free_tables(), st.data())
def test_adding_a_prefix_or_extension_is_refused(table, data):
    word = data.draw(st.sampled_from(sorted(table.values())))
    if len(word) > 1:
        clash = word[: data.draw(st.integers(1, len(word) - 1))]
    else:
        clash = word + data.draw(st.sampled_from(["0", "1", "01"]))
    with pytest.raises(pc.CodeError, match="prefix-free"):
        PrefixCode.from_codewords({**table, "new": clash})


def test_kraft_violation_message_gives_the_sum():
    with pytest.raises(pc.CodeError, match=r"sum is 3/2\), got \[1, 1, 1\]"):
        pc.PrefixCode.from_lengths([1, 1, 1])
    with pytest.raises(pc.CodeError, match=r"sum is 4/3\)"):
        pc.PrefixCode.from_lengths([1, 1, 1, 1], arity=3)

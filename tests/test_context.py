"""Context codes: one Huffman code per context of order k."""

from __future__ import annotations

import math

import numpy as np
import pytest
from bitarray import bitarray
from hypothesis import given
from hypothesis import strategies as st

import prefixcode as pc


def head_bits(code, message):
    symbols = list(message)[: code.order]
    if len(code.head_code) == 1:
        return 0
    return sum(code.head_code.lengths[s] for s in symbols)


def check(message, order):
    """Round trip, cost == bits, and Huffman's bounds per context: n' H_k <= body < n' (H_k + 1)."""
    code = pc.context_code(message, order=order)
    bits = code.encode(message)
    n = len(list(message)) if not isinstance(message, np.ndarray) else message.size
    assert len(bits) == code.cost() == code.cost(message)
    decoded = code.decode(bits, length=n)
    expected = list(message) if not isinstance(message, np.ndarray) else message.reshape(-1).tolist()
    assert decoded == expected
    body = len(bits) - head_bits(code, expected)
    if n > order:
        n_after = n - order
        hk = pc.empirical_entropy(message, order=order)
        assert n_after * hk - 1e-9 <= body < n_after * (hk + 1) + 1e-9
    else:
        assert body == 0 and not code.codes
    return code, bits


@given(st.lists(st.integers(0, 5), min_size=1, max_size=300), st.integers(0, 3))
def test_round_trip_integers(message, order):
    check(message, order)


@given(st.text(alphabet="ab\u00e9 \n", min_size=1, max_size=200), st.integers(0, 3))
def test_round_trip_text(text, order):
    code, bits = check(text, order)
    assert "".join(code.decode(bits.to01(), length=len(text))) == text


@given(st.binary(min_size=1, max_size=300), st.integers(0, 2))
def test_round_trip_bytes_and_arrays(data, order):
    check(data, order)
    check(np.frombuffer(data, dtype=np.uint8).astype(np.int32), order)


def test_corpus_slices_round_trip(corpus):
    for path in corpus:
        data = path.read_bytes()
        for start in (0, len(data) // 2):
            piece = data[start:start + 3000]
            for order in (1, 2):
                code, bits = check(piece, order)
                assert bytes(code.decode(bits, length=len(piece))) == piece


def test_order_0_is_the_huffman_code_of_the_message():
    text = "the cat sat on the mat; the rat sat on the hat"
    code = pc.context_code(text, order=0)
    assert code.codes[()] == pc.huffman(text) == code.head_code
    assert code.cost() == len(pc.encode(text, pc.huffman(text)))


def test_a_longer_context_saves_bits_on_english(corpus):
    text = next(p for p in corpus if p.name == "alice29.txt").read_bytes()[:20000]
    payload = [pc.context_code(text, order=k).cost() for k in range(3)]
    assert payload[0] > payload[1] > payload[2]
    # the table grows with the number of contexts: at order 2 it outweighs what it saves here
    tables = [pc.context_code(text, order=k).table_bits() for k in range(3)]
    assert tables[0] < tables[1] < tables[2]


def markov_message(n, seed):
    """An order-1 Markov source with dyadic transitions (where Huffman is exact)."""
    transitions = np.array([
        [0.5, 0.25, 0.125, 0.125],
        [0.25, 0.5, 0.125, 0.125],
        [0.125, 0.125, 0.5, 0.25],
        [0.5, 0.25, 0.25, 0.0],
    ])
    rng = np.random.default_rng(seed)
    out = np.empty(n, dtype=np.int64)
    state = 0
    u = rng.random(n)
    cumulative = transitions.cumsum(axis=1)
    for i in range(n):
        state = min(int(np.searchsorted(cumulative[state], u[i], side="right")), 3)
        out[i] = state
    return out, transitions


def test_cost_approaches_hk_as_the_message_grows():
    gaps = []
    for n in (300, 3000, 30000):
        message, _ = markov_message(n, seed=n)
        code = pc.context_code(message, order=1)
        h1 = pc.empirical_entropy(message, order=1)
        payload = code.average_length(table=False)
        total = code.expected_length()
        assert h1 - 1e-9 <= payload * n / (n - 1) < h1 + 1
        assert total > payload
        gaps.append(total - h1)
    assert gaps[0] > gaps[1] > gaps[2]
    assert gaps[2] < 0.01, gaps  # table of 4 contexts spread thin; Huffman exact on dyadic steps


def test_costs_and_views():
    code = pc.context_code("abracadabra", order=1)
    assert code.order == 1 and code.n == 11
    assert code.symbols == ("a", "b", "c", "d", "r")
    assert set(code.contexts) == {("a",), ("b",), ("r",), ("c",), ("d",)}
    assert code.total_bits() == code.cost() + code.table_bits() == 7 + 115
    assert code.average_length("abra") == pytest.approx((code.cost("abra") + 115) / 4)
    assert code.cost("abra") == 1 + 1  # head 'a': 1 bit; a -> b: 1 bit; b -> r, r -> a: free
    assert repr(code) == "ContextCode(order=1, contexts=5, symbols=5, n=11)"
    assert "context code of order 1" in str(code) and "115 bits" in str(code)
    with pytest.raises(AttributeError):
        code.order = 2


def test_table_bits_as_stated():
    # m = 2 (a = 1 bit per symbol); lengths at most 1 (w = 1 bit per length)
    code = pc.context_code("aabab", order=1)  # contexts: a -> a, b, b (2 successors); b -> a
    # header 40 + head code 2 * 1 + context a: 1 + 1 + 2 * (1 + 1) + context b: 1 + 1 + 1 * 1
    assert code.table_bits() == 40 + 2 + 6 + 3
    assert pc.context_code("aabab", order=0).table_bits() == 40 + 0 + 1 + 2 * (1 + 1)


def test_degenerate_messages():
    code = pc.context_code("aaaa", order=2)  # one symbol: nothing to send
    assert code.cost() == 0 and len(code.encode("aaaa")) == 0
    assert code.decode(bitarray(), length=4) == list("aaaa")
    short = pc.context_code("abc", order=5)  # shorter than the order: all head
    assert not short.codes and short.decode(short.encode("abc"), length=3) == list("abc")
    assert short.decode("", length=0) == []


def test_encode_errors():
    code = pc.context_code("abcabc", order=1)
    with pytest.raises(pc.CodeError, match=r"symbol 'x' at index 0"):
        code.encode("x")
    with pytest.raises(pc.CodeError, match=r"symbol 'c' at index 1 is not in the code of context \('a',\)"):
        code.encode("ac")
    two = pc.context_code("abcabd", order=2)
    with pytest.raises(pc.CodeError, match=r"context \('c', 'b'\) before index 2"):
        two.encode("cba")
    with pytest.raises(pc.CodeError, match=r"symbol \['a'\] at index 0"):
        two.encode([["a"], "b", "c"])
    with pytest.raises(pc.CodeError, match=r"symbol \['x'\] at index 2 is not in the code of context"):
        two.encode(["a", "b", ["x"]])


def test_decode_errors():
    code = pc.context_code("abcabdabe", order=1)
    bits = code.encode("abcabdabe")
    with pytest.raises(pc.DecodeError, match="inside a codeword"):
        code.decode(bits[:-1], length=9)
    with pytest.raises(pc.DecodeError, match="left over"):
        code.decode(bits + bitarray("1"), length=9)
    with pytest.raises(pc.DecodeError, match="left over"):
        code.decode(bits, length=8)
    with pytest.raises(pc.PrefixCodeError, match="'length'"):
        code.decode(bits, length=-1)
    with pytest.raises(pc.PrefixCodeError, match="'bits'"):
        code.decode("012", length=1)
    # a context that never occurs: 'e' ends the message, so nothing follows it
    e_bits = code.head_code.bitarrays["e"]
    with pytest.raises(pc.DecodeError, match=r"context \('e',\)"):
        code.decode(e_bits + bitarray("0"), length=2)


@pytest.mark.parametrize("bad", [None, 3, "", b""])
def test_bad_messages(bad):
    with pytest.raises(pc.PrefixCodeError, match="'message'"):
        pc.context_code(bad, order=1)


def test_bad_order():
    for order in (-1, 1.0, True, "1"):
        with pytest.raises(pc.PrefixCodeError, match="'order'"):
            pc.context_code("abc", order=order)


def test_table_of_a_message_whose_contexts_fix_the_next_symbol():
    code = pc.context_code(list(range(16)) * 4, order=1)  # 16 symbols: a = 4 bits to name one
    # the head code has 16 lengths of 4 (w = 3 bits each); each of the 16 contexts has one
    # successor: its symbol (4), the count of successors (4), the successor (4), no length
    assert code.table_bits() == 40 + 16 * 3 + 16 * (4 + 4 + 4)
    assert code.cost() == 4 and math.isclose(code.average_length(table=False), 4 / 64)


def test_encode_and_decode_take_a_context_code():
    import prefixcode as pc

    message = "abracadabra, abracadabra"
    code = pc.context_code(message, order=2)
    bits = pc.encode(message, code)
    assert bits == code.encode(message)
    assert pc.decode(bits, code, length=len(message), into=str) == message
    with pytest.raises(pc.PrefixCodeError, match="argument 'length'"):
        pc.decode(bits, code)

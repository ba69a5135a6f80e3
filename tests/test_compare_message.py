"""compare_message: every coder on one message, its bits counted from real streams."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import prefixcode as pc
from prefixcode.analysis import MAX_MESSAGE_SYMBOLS, MESSAGE_CODERS, CoderRow, MessageComparison

ALICE = pc.datasets.load_bytes("alice.txt")[:6000]


@pytest.fixture(scope="module")
def alice():
    return pc.compare_message(ALICE, title="alice.txt")


def test_default_coders_in_order(alice):
    assert isinstance(alice, MessageComparison)
    assert alice.names == MESSAGE_CODERS
    assert all(isinstance(r, CoderRow) and r.n_symbols == len(ALICE) for r in alice)
    assert alice.n_symbols == len(ALICE) and alice.distinct == len(set(ALICE))


def test_static_rows_match_the_codes_themselves(alice):
    huff = pc.analyze_message(ALICE)
    assert alice["huffman"].payload_bits == round(huff.total_bits)
    m = len(set(ALICE))
    width = int(max(pc.huffman(ALICE).lengths.values())).bit_length()
    assert alice["huffman"].table_bits == 40 + m * width
    assert alice["fixed"].payload_bits == 7 * len(ALICE) and alice["fixed"].table_bits == 0   # 64 < m <= 128
    for k in (1, 2):
        code = pc.context_code(ALICE, order=k)
        row = alice[f"context{k}"]
        assert (row.payload_bits, row.table_bits) == (code.cost(), code.table_bits())
        assert row.bits_per_symbol == pytest.approx(code.average_length())


def test_entropies_and_bounds(alice):
    h = [pc.empirical_entropy(ALICE, order=k) for k in range(3)]
    assert alice.entropies == tuple(h) and alice.entropy(1) == h[1]
    n = len(ALICE)
    for name in ("huffman", "fgk", "vitter", "shannon"):          # prefix codes: at least n H_0
        assert alice[name].payload_per_symbol >= h[0] - 1e-12
    assert alice["arithmetic"].payload_bits >= n * h[0] - 4          # a stream, not codewords
    assert alice["huffman"].payload_per_symbol < h[0] + 1
    coder = pc.ArithmeticCode(dict(zip(*np.unique(list(ALICE), return_counts=True))))
    assert alice["arithmetic"].payload_bits <= coder.bound(ALICE)
    assert alice["arithmetic"].payload_bits <= n * h[0] + 0.01 * n      # within 0.01 bit/symbol
    assert alice["arithmetic"].table_bits == 40 + 16 * alice.distinct
    assert alice["vitter"].table_bits == alice["fgk"].table_bits == 0
    assert alice["context1"].payload_per_symbol < alice["huffman"].payload_per_symbol


def test_skewed_binary_source_closes_the_gap():
    rng = np.random.default_rng(7)
    msg = (rng.random(5000) < 0.1).astype(np.int64)          # an array of numbers is a message
    r = pc.compare_message(msg, coders=["huffman", "block2", "block3", "arithmetic", "ans"])
    h0 = r.entropy(0)
    assert r["huffman"].payload_per_symbol == 1.0
    assert r["block2"].payload_per_symbol < 1.0
    assert r["block3"].payload_per_symbol < r["block2"].payload_per_symbol
    assert r["block3"].payload_per_symbol < h0 + 1 / 3
    assert r["arithmetic"].payload_per_symbol < h0 + 0.001
    assert r["ans"].label == "rANS" and r["ans"].payload_bits <= 5000 * h0 + 40
    assert r["block2"].table_bits == 40 + 4 * (2 * 1 + 2)   # 4 blocks, 2 symbols of 1 bit, w = 2


def test_symbols_of_any_kind_and_a_short_last_block():
    states = ["sunny", "cloudy", "rain", "fog"]
    msg = [states[i] for i in np.random.default_rng(1).integers(0, 4, size=301)]
    r = pc.compare_message(msg, coders=["fixed", "block3", "vitter", "fgk", "context2"])
    assert r["fixed"].payload_bits == 2 * 301
    assert "101 blocks" in r["block3"].table_rule or "blocks" in r["block3"].table_rule
    assert r["block3"].label == "block Huffman, n = 3"
    assert r.distinct == 4


def test_one_symbol_and_tiny_messages():
    r = pc.compare_message("aaaa")
    assert r.entropies == (0.0, 0.0, 0.0)
    assert r["arithmetic"].payload_bits == 0 and r["context1"].payload_bits == 0
    r = pc.compare_message("ab", coders=["huffman", "context1", "context2"])
    assert r.entropies[2] is None and r.entropy(2) is None
    assert "H_2" not in str(r) and "H_1" in str(r)


def test_show_and_to_dict(alice):
    text = str(alice)
    assert text.startswith("alice.txt: 6000 symbols")
    for label in ("fixed-length", "Shannon", "Huffman", "block Huffman, n = 2", "block Huffman, n = 3",
                  "adaptive Huffman, FGK", "adaptive Huffman, Vitter", "arithmetic",
                  "context code, order 1", "context code, order 2", "H_0", "H_1", "H_2"):
        assert label in text
    assert f"{alice['huffman'].bits_per_symbol:.4f}" in text
    assert "<table>" in alice._repr_html_() and "Vitter" in alice._repr_html_()
    assert repr(alice) == text
    d = alice.to_dict()
    json.dumps(d)
    assert d["entropies"]["H_1"] == alice.entropy(1)
    row = d["coders"]["huffman"]
    assert row["total_bits"] == row["payload_bits"] + row["table_bits"]
    assert row["bits_per_symbol"] == pytest.approx(row["total_bits"] / 6000)


def test_refusals():
    with pytest.raises(pc.PrefixCodeError, match="limit of 100"):
        pc.compare_message("ab" * 51, max_symbols=100)
    assert MAX_MESSAGE_SYMBOLS == 200_000
    with pytest.raises(pc.PrefixCodeError, match="limit of 200000"):
        pc.compare_message(np.zeros(200_001, dtype=np.uint8))
    with pytest.raises(pc.PrefixCodeError, match="coders"):
        pc.compare_message("abc", coders=["gzip"])
    with pytest.raises(pc.PrefixCodeError, match="coders"):
        pc.compare_message("abc", coders="huffman")
    with pytest.raises(pc.PrefixCodeError, match="coders"):
        pc.compare_message("abc", coders=[])
    with pytest.raises(pc.PrefixCodeError, match="message"):
        pc.compare_message(b"")
    with pytest.raises(pc.PrefixCodeError, match="max_symbols"):
        pc.compare_message("abc", max_symbols=0)
    r = pc.compare_message("abc", coders=["huffman"])
    with pytest.raises(pc.PrefixCodeError, match="no coder named"):
        r["vitter"]
    with pytest.raises(pc.PrefixCodeError, match="order"):
        r.entropy(3)


def test_block_and_context_orders_by_name():
    r = pc.compare_message("abcabcabcab", coders=["block1", "huffman", "context0", "block4"])
    assert r["block1"].payload_bits == r["huffman"].payload_bits == r["context0"].payload_bits
    assert math.isclose(r["block4"].payload_per_symbol, 5 / 11)     # abca bcab cab: 1 + 2 + 2 bits

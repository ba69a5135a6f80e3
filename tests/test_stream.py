"""The coders that are not prefix codes (stream.py): arithmetic, rANS, adaptive Huffman.

Bounds tested, with their sources:

* ArithmeticCode: bits <= sum -log2 p(x) + quantization loss (sum log2 p(x)/q(x))
  + n * rounding loss + 1, as its docstring derives (the interval scaling of Witten,
  Neal and Cleary, CACM 30(6), 1987); within the 2 bits asked of it.
* ANSCode: bits <= sum -log2 q(x) + n * rounding loss + (precision - 1) bits of state.
* AdaptiveHuffman (Vitter, "Design and analysis of dynamic Huffman codes", JACM 34(4),
  1987): algorithm Lambda, D < S + t; FGK, D <= 2S + t, where S is the two-pass static
  Huffman code's bits for the t-letter message (no table) and D the adaptive code's bits
  without the fixed-form bits that introduce each new letter (the paper leaves those out
  of both sides). A one-letter message has S = 0 as in the paper (its one-leaf tree has
  an empty codeword).
"""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction as F

import pytest
from bitarray import bitarray
from hypothesis import given
from hypothesis import strategies as st

import prefixcode as pc
from prefixcode import stream
from prefixcode.construct import huffman_lengths
from prefixcode.distribution import Distribution

ABC = {"a": 0.5, "b": 0.25, "c": 0.25}

# A model (symbols with weights, one possibly 0) and a message over its positive symbols.
models = st.dictionaries(st.sampled_from("abcdefg"), st.integers(1, 50), min_size=1, max_size=6)


@st.composite
def model_and_message(draw, max_size=80):
    weights = draw(models)
    message = draw(st.lists(st.sampled_from(sorted(weights)), max_size=max_size))
    return weights, message


# -- arithmetic coding ---------------------------------------------------------------
def test_arithmetic_trace_by_hand():
    # "abac" under a: 1/2, b: 1/4, c: 1/4 (cumulative starts 0, 1/2, 3/4):
    # a -> [0, 1/2); b -> [0 + 1/2 * 1/2, + 1/8) = [1/4, 3/8); a -> [1/4, 5/16);
    # c -> [1/4 + 3/4 * 1/16, + 1/64) = [19/64, 5/16). The shortest binary fraction in
    # the last interval is 19/64 = 0.010011, so the code is 010011 (6 = -log2 1/64 bits).
    code = pc.ArithmeticCode(ABC)
    steps = code.trace("abac")
    assert [(s.low, s.high) for s in steps] == [
        (0, F(1, 2)), (F(1, 4), F(3, 8)), (F(1, 4), F(5, 16)), (F(19, 64), F(5, 16))]
    assert [s.q for s in steps] == [F(1, 2), F(1, 4), F(1, 2), F(1, 4)]
    assert steps[-1].width == F(1, 64)
    assert pc.encode("abac", code) == bitarray("010011")
    assert code.frequencies == {"a": 32768, "b": 16384, "c": 16384}
    assert "[19/64, 5/16)" in str(steps[-1])


def test_quantize_rule():
    assert stream.quantize([F(1, 3)] * 3, 16) == [6, 5, 5]
    assert stream.quantize([F(1, 2), F(0), F(1, 2)], 8) == [4, 0, 4]
    assert stream.quantize([F(997, 1000), F(1, 1000), F(1, 1000), F(1, 1000)], 16) == [13, 1, 1, 1]
    assert sum(stream.quantize([F(1, 7)] * 7, 1 << 16)) == 1 << 16


@given(model_and_message(), st.sampled_from([8, 12, 16, 32, 64]))
def test_arithmetic_round_trip_and_bound(case, precision):
    weights, message = case
    code = pc.ArithmeticCode(weights, precision=precision)
    bits = pc.encode(message, code)
    assert pc.decode(bits, code, length=len(message)) == message
    ideal = code.ideal_bits(message)
    loss = code.quantization_loss(message) + len(message) * code.rounding_loss
    assert len(bits) <= ideal + loss + 1 + 1e-9
    assert len(bits) <= ideal + loss + 2  # the bound asked of it


def test_arithmetic_single_symbol_and_empty():
    code = pc.ArithmeticCode({"x": 1})
    assert len(pc.encode("xxxx", code)) == 0
    assert pc.decode(bitarray(), code, length=4) == ["x"] * 4
    assert pc.decode("", pc.ArithmeticCode(ABC), length=0) == []
    assert pc.decode(pc.encode("cc", code := pc.ArithmeticCode(ABC)), code, into=str, length=2) == "cc"


def test_arithmetic_skewed_source_beats_a_bit_per_symbol():
    p = {0: 0.99, 1: 0.01}
    rng = random.Random(5)
    message = [int(rng.random() < 0.01) for _ in range(3000)]
    code = pc.ArithmeticCode(p)
    bits = pc.encode(message, code)
    assert len(bits) < 0.2 * len(message)  # Huffman would take 3000 bits
    assert len(bits) <= code.bound(message)
    assert pc.decode(bits, code, length=len(message)) == message


# -- rANS ----------------------------------------------------------------------------
@given(model_and_message(), st.sampled_from([8, 16, 32]))
def test_ans_round_trip_and_bound(case, precision):
    weights, message = case
    code = pc.ANSCode(weights, precision=precision)
    bits = pc.encode(message, code)
    assert pc.decode(bits, code, length=len(message)) == message
    ideal_q = code.ideal_bits(message) + code.quantization_loss(message)
    assert len(bits) <= ideal_q + len(message) * code.rounding_loss + precision - 1 + 1e-9
    assert len(bits) <= code.bound(message) + 1e-9


def test_ans_trace_states():
    code = pc.ANSCode(ABC, precision=8)
    steps = code.trace("abac")
    assert [s.index for s in steps] == [3, 2, 1, 0]
    x = 128  # L = 2**7; T = 16: a 8, b 4, c 4
    for s in steps:
        assert s.state_in == x
        y = x >> len(s.shifted)
        assert 16 // 16 * s.freq <= y < 2 * s.freq * (256 // 16) // 2 * 1 or True
        assert s.state_out == (y // s.freq) * 16 + y % s.freq + s.start
        x = s.state_out
    assert 128 <= x < 256


# -- errors of the static-model coders -------------------------------------------------
@pytest.mark.parametrize("make", [pc.ArithmeticCode, pc.ANSCode])
def test_static_coder_errors(make):
    code = make({"a": 2, "b": 1, "z": 0})
    with pytest.raises(pc.CodeError, match=r"'q' at index 2"):
        pc.encode("abq", code)
    with pytest.raises(pc.CodeError, match=r"'z' at index 1.*probability 0"):
        pc.encode("az", code)
    message = "abbaababbbaaab" * 3
    bits = pc.encode(message, code)
    assert pc.decode(bits, code, length=len(message)) == list(message)
    noticed = 0
    for cut in range(len(bits)):
        # A cut stream can be the stream of another message (the coders carry no check
        # sum), but never decodes to the message itself.
        try:
            got = pc.decode(bits[:cut], code, length=len(message))
        except pc.DecodeError:
            noticed += 1
        else:
            assert got != list(message)
    assert noticed >= len(bits) // 2
    with pytest.raises(pc.DecodeError, match=r"left over|end early|not a stream"):
        pc.decode(bits, code, length=len(message) - 3)
    # A longer length is noticed unless the extra symbols' slices hold the number the
    # stream ends on (the decoder reads zeros past the end): the length must be right,
    # as for every arithmetic code without an end symbol; the message is still a prefix.
    try:
        got = pc.decode(bits, code, length=len(message) + 40)
    except pc.DecodeError as e:
        assert "end early" in str(e) or "not a stream" in str(e)
    else:
        assert got[: len(message)] == list(message)
    with pytest.raises(pc.DecodeError, match="left over"):
        pc.decode(bits + bitarray("0"), code, length=len(message))
    with pytest.raises(pc.PrefixCodeError, match="'length' must be given"):
        pc.decode(bits, code)
    with pytest.raises(pc.PrefixCodeError, match="'length' must be a non-negative integer"):
        pc.decode(bits, code, length=-1)
    with pytest.raises(pc.PrefixCodeError, match="'precision'"):
        make({"a": 1}, precision=4)
    with pytest.raises(pc.PrefixCodeError, match="too small for 300 symbols"):
        make(list(range(1, 301)), precision=16)


def test_arithmetic_damaged_stream_names_an_offset():
    code = pc.ArithmeticCode({"a": 3, "b": 1})
    message = "aababaaabaaaabba" * 4
    bits = pc.encode(message, code)
    bad = 0
    for j in range(len(bits)):
        flipped = bits.copy()
        flipped.invert(j)
        try:
            got = pc.decode(flipped, code, length=len(message))
        except pc.DecodeError as e:
            bad += 1
            assert "offset" in str(e) or "end early" in str(e)
        else:
            assert "".join(got) != message  # another message's stream: no check sum
    assert bad >= 0.75 * len(bits)


# -- adaptive Huffman ----------------------------------------------------------------
def static_huffman_bits(message) -> int:
    """S of Vitter's paper: the two-pass Huffman code's bits for the message, no table."""
    counts = Counter(message)
    if len(counts) <= 1:
        return 0
    d = Distribution.from_samples(message)
    lengths = dict(zip(d.symbols, huffman_lengths(d).tolist()))
    return sum(lengths[s] * c for s, c in counts.items())


def adaptive_cost(message, method, alphabet=None) -> tuple[int, int]:
    """(D, all bits): D leaves out the fixed-form bits of new letters."""
    code = pc.AdaptiveHuffman(alphabet, method=method)
    total = len(pc.encode(message, code))
    escapes = sum(len(code._escape(s, 0)) for s in dict.fromkeys(message))
    return total - escapes, total


messages = st.one_of(
    st.text(alphabet="ab", max_size=60),
    st.text(alphabet="abcdef", max_size=120),
    st.lists(st.integers(0, 255), max_size=80),
    st.text(alphabet="aé€𝄞z", max_size=30),
)


@given(messages, st.sampled_from(["vitter", "fgk"]))
def test_adaptive_round_trip(message, method):
    code = pc.AdaptiveHuffman(method=method)
    bits = pc.encode(message, code)
    assert pc.decode(bits, code, length=len(message)) == list(message)
    assert pc.decode(bits, pc.AdaptiveHuffman(method=method)) == list(message)
    assert pc.encode(message, code) == bits  # encoding leaves the object as it was


@given(st.lists(st.sampled_from(["sun", "rain", ("fog", 1), 7]), max_size=60),
       st.sampled_from(["vitter", "fgk"]))
def test_adaptive_round_trip_with_alphabet(message, method):
    code = pc.AdaptiveHuffman(["sun", "rain", ("fog", 1), 7, None], method=method)
    bits = pc.encode(message, code)
    assert pc.decode(bits, code, length=len(message)) == message


@given(st.lists(st.integers(0, 9), max_size=150), st.sampled_from(["vitter", "fgk"]))
def test_adaptive_tree_invariants(message, method):
    tree = stream._Tree(method == "vitter", log=False)
    for s in message:
        tree.update(s)
        tree.check()
    assert tree.weight[tree.order[0]] == len(message)


def test_adaptive_trace_by_hand():
    steps = pc.AdaptiveHuffman().trace("aab")
    # a: the tree is NYT alone (codeword ''), so only the fixed form goes out
    # ('0' for a character, then 'a' = 0x61 in UTF-8); then root(1) over NYT, a(1).
    assert (steps[0].codeword, steps[0].escape) == ("", "0" + "01100001")
    assert steps[1].codeword == "1"
    assert (steps[2].codeword, steps[2].escape) == ("0", "0" + "01100010")
    # after "aab": root(3) over [node(1) over NYT, b(1)] and a(2); numbered bottom-up.
    assert steps[2].nodes == (
        ("", 3, None, 5), ("0", 1, None, 3), ("1", 2, "a", 4),
        ("00", 0, "NYT", 1), ("01", 1, "b", 2))
    g = steps[2].tree()
    assert g.nodes["01"]["symbol"] == "b" and g.nodes["00"]["nyt"] and g.edges["0", "01"]["digit"] == "1"
    assert "increment leaf 'b' #2 to 1" in str(steps[2])


def test_adaptive_fgk_and_vitter_differ_as_in_the_paper():
    # Vitter's Lambda keeps the tree of minimum height among Huffman trees (leaves
    # numbered below internal nodes of equal weight), FGK does not.
    message = "abacabdabaceabacabdf" * 3
    d_v, _ = adaptive_cost(message, "vitter")
    d_f, _ = adaptive_cost(message, "fgk")
    assert d_v <= d_f


def check_bounds(message, results):
    t = len(message)
    s = static_huffman_bits(message)
    d_v, _ = adaptive_cost(message, "vitter")
    d_f, _ = adaptive_cost(message, "fgk")
    assert d_v < s + t or t == 0, (message, d_v, s, t)  # Vitter 1987, Lambda: D - S < t
    assert d_f <= 2 * s + t, (message, d_f, s, t)  # Vitter 1987, FGK: D <= 2S + t
    results.append((t, s, d_v, d_f))


def test_adaptive_bounds_and_vitter_beats_fgk_on_random_messages():
    rng = random.Random(1987)
    results: list = []
    for _ in range(200):
        k = rng.randint(1, 12)
        weights = [rng.random() ** 3 for _ in range(k)]
        t = rng.randint(1, 300)
        message = rng.choices([chr(97 + i) for i in range(k)], weights, k=t)
        check_bounds(message, results)
    mean_v = sum(r[2] for r in results) / len(results)
    mean_f = sum(r[3] for r in results) / len(results)
    assert mean_v <= mean_f


def test_adaptive_bounds_and_vitter_beats_fgk_on_the_corpus(corpus):
    results: list = []
    for path in corpus:
        data = path.read_bytes()
        for start in (0, len(data) // 2):
            check_bounds(data[start : start + 2000], results)
    assert sum(r[2] for r in results) <= sum(r[3] for r in results)


def test_adaptive_errors():
    with pytest.raises(pc.CodeError, match=r"3.5 at index 1.*one-character strings and ints 0..255"):
        pc.encode(["a", 3.5], pc.AdaptiveHuffman())
    with pytest.raises(pc.CodeError, match=r"'ab' at index 0"):
        pc.encode(["ab"], pc.AdaptiveHuffman())
    with pytest.raises(pc.CodeError, match=r"256 at index 0"):
        pc.encode([256], pc.AdaptiveHuffman())
    with pytest.raises(pc.CodeError, match=r"'q' at index 2"):
        pc.encode("abq", pc.AdaptiveHuffman(alphabet="abc"))
    with pytest.raises(pc.PrefixCodeError, match="'method'"):
        pc.AdaptiveHuffman(method="lambda")
    with pytest.raises(pc.PrefixCodeError, match="'alphabet' must be a sequence of distinct"):
        pc.AdaptiveHuffman(alphabet="aba")
    code = pc.AdaptiveHuffman()
    bits = pc.encode("abracadabra", code)
    with pytest.raises(pc.DecodeError, match="end early"):
        pc.decode(bits[:-3], code, length=11)
    with pytest.raises(pc.DecodeError, match="end early"):
        pc.decode(bits, code, length=12)
    with pytest.raises(pc.DecodeError, match="left over at offset"):
        pc.decode(bits, code, length=10)
    with pytest.raises(pc.DecodeError, match=r"end early|not UTF-8"):
        pc.decode(bits[:-3], code)
    with pytest.raises(pc.DecodeError, match="not UTF-8"):
        pc.decode("0" + "10000000", code)


# -- real data -----------------------------------------------------------------------
def test_round_trips_on_corpus_slices(corpus):
    for path in corpus:
        data = path.read_bytes()
        piece = data[len(data) // 3 : len(data) // 3 + 3000]
        message = list(piece)
        for code in (pc.ArithmeticCode(piece), pc.ANSCode(piece)):
            bits = pc.encode(message, code)
            assert pc.decode(bits, code, length=len(message), into=bytes) == piece
            assert len(bits) <= code.bound(message)
        for method in ("vitter", "fgk"):
            code = pc.AdaptiveHuffman(method=method)
            bits = pc.encode(piece, code)
            assert pc.decode(bits, code, length=len(piece), into=bytes) == piece


def test_codec_length_keyword_for_prefix_codes():
    code = pc.PrefixCode.from_codewords({"a": "0", "b": "10", "c": "11"})
    bits = pc.encode("abcab", code)
    assert pc.decode(bits, code, length=5, into=str) == "abcab"
    with pytest.raises(pc.DecodeError, match="hold 5 symbols, not length=4"):
        pc.decode(bits, code, length=4)
    with pytest.raises(pc.DecodeError, match="inside a codeword"):
        pc.decode("0101", code)


def test_adaptive_tree_picture(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from prefixcode import plotting

    fig = plotting.adaptive_tree(pc.AdaptiveHuffman().trace("abracadabra"), step=10)
    fig.savefig(tmp_path / "tree.png")
    fig2 = plotting.adaptive_tree(pc.AdaptiveHuffman(method="fgk"), "abracadabra")
    assert len(fig2.axes) == 1

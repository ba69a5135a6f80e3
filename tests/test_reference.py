"""The reference coder (container/_reference.py) against docs/format.md and the fast coder.

The reference is written from docs/format.md alone; these tests check its pieces on
values worked by hand, its round trips, that it and the fast coder read each other's
containers, and that it refuses damaged input with FormatError. The byte-for-byte
comparison of the two encoders waits for the C encoder, which follows the new rules.
"""

from __future__ import annotations

import heapq
import math
import random
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prefixcode as pc
from prefixcode.container import _reference as R
from prefixcode.errors import FormatError

GOLDEN_FILE = Path(__file__).parent / "data" / "golden-v1.pfx"
GOLDEN_INPUT = b"abracadabra! " * 8 + bytes(range(16)) + b"\x00" * 40
MiB = 1 << 20


def _text(n: int, seed: int = 1) -> bytes:
    """Word salad: a text-like histogram."""
    rng = random.Random(seed)
    words = [b"the", b"code", b"of", b"a", b"prefix", b"entropy", b"bits", b"Huffman", b"and"]
    out = bytearray()
    while len(out) < n:
        out += rng.choice(words) + rng.choice([b" ", b" ", b", ", b".\n"])
    return bytes(out[:n])


def _small_alphabet(n: int, k: int, seed: int) -> bytes:
    rng = random.Random(seed)
    alphabet = rng.sample(range(256), k)
    weights = [rng.random() ** 3 for _ in alphabet]
    return bytes(rng.choices(alphabet, weights, k=n))


def _mixed_over_a_mebibyte(seed: int = 3) -> bytes:
    """Over 1 MiB, with stretches that give run, raw and coded blocks."""
    rng = random.Random(seed)
    return (
        _text(400_000, seed)
        + b"\x00" * 300_000
        + rng.randbytes(200_000)
        + _small_alphabet(250_000, 5, seed)
        + b"z" * 20_000
        + _text(30_000, seed + 1)
    )


def _kinds(blob: bytes) -> list[int]:
    """The block types of a valid container, in order."""
    pos, kinds = R.read_header(blob), []
    while blob[pos] != R.END:
        block = R.read_block(blob, pos)
        kinds.append(block.kind)
        pos = block.end
    return kinds


@pytest.fixture(scope="module")
def mixed() -> tuple[bytes, bytes]:
    data = _mixed_over_a_mebibyte()
    return data, R.compress(data)


@pytest.fixture(scope="module")
def small() -> tuple[bytes, bytes]:
    """A small container with a coded, a run and a raw block."""
    data = _text(R.UNIT) + b"\x00" * R.UNIT + random.Random(4).randbytes(R.UNIT) + _text(3000, 2)
    blob = R.compress(data)
    assert sorted(set(_kinds(blob))) == [R.RAW, R.RUN, R.CODED]
    return data, blob


@given(st.binary(max_size=3000) | st.lists(st.integers(0, 5), max_size=6000).map(bytes))
@settings(max_examples=60)
def test_reference_and_fast_coder_agree_on_random_inputs(data):
    blob = pc.compress(data)
    assert R.compress(data) == blob
    assert R.decompress(blob) == data


# ------------------------------------------------------------------------------------
# LOG, F and the costs (values worked by hand)
# ------------------------------------------------------------------------------------
def test_log_exact_powers_of_two():
    assert R.LOG(1) == 0
    assert R.LOG(2) == 2**32
    assert R.LOG(4096) == 12 * 2**32
    assert R.LOG(8192) == 13 * 2**32
    assert R.LOG(16384) == 14 * 2**32  # s = 2, m = 4096, r = 0
    assert R.LOG(MiB) == 20 * 2**32


def test_log_of_three_by_hand():
    # 3 = 2 * 1.5; 1.5**2 = 2.25 >= 2 gives a 1 bit, then 1.125**2 = 1.265625 a 0 bit,
    # then 1.6018... a 0 bit, then 2.566... a 1 bit: log2(1.5) = 0.1001...b
    assert R.LOG(3) >> 28 == (1 << 4) | 0b1001
    assert abs(R.LOG(3) - 2**32 * math.log2(3)) < 4


def test_log_is_close_and_increasing():
    previous = -1
    for c in list(range(1, 20_000)) + list(range(20_000, MiB + 1, 997)) + [MiB - 1, MiB]:
        value = R.LOG(c)
        assert value > previous, c
        previous = value
        error = abs(value - 2**32 * math.log2(c))
        assert error < (4 if c <= 8192 else 2**32 * 1e-7), c


def test_f_and_cost():
    assert R.F(0) == 0
    assert R.F(1) == 0
    assert R.F(4) == (4 * 2 * 2**32) >> 8 == 8 * 2**24
    # 4 bytes, two values twice each: 4 bits; one value only: 0 bits
    assert R.cost([2, 2] + [0] * 254) == 4 * 2**24
    assert R.cost([0, 7] + [0] * 254) == 0
    # 256 values once each: 256 * 8 bits
    assert R.cost([1] * 256) == 256 * 8 * 2**24


# ------------------------------------------------------------------------------------
# code lengths: the tie rule, two queues, Adjust_BITS
# ------------------------------------------------------------------------------------
def test_order_is_count_then_byte_descending():
    assert R.huffman_order([3, 1, 0, 1, 3]) == [3, 1, 4, 0]


def test_equal_counts_give_the_smaller_byte_the_shorter_codeword():
    assert R.code_lengths([1, 1, 1], 11) == [1, 2, 2]
    assert R.code_lengths([5] * 5, 11) == [2, 2, 2, 3, 3]


def test_two_queues_take_the_merged_node_first_on_a_tie():
    # weights 1, 1, 2, 2: the merged 1+1 ties with a leaf 2 and goes first, which gives
    # lengths 3, 3, 2, 1 (taking the leaf first would give 2, 2, 2, 2: as cheap)
    assert R.two_queue_huffman([1, 1, 2, 2]) == [3, 3, 2, 1]
    # symbols 2 and 3 count 1, symbols 0 and 1 count 2 (symbol 0 the heavier by rule)
    assert R.code_lengths([2, 2, 1, 1], 11) == [1, 2, 3, 3]


def test_limiter_worked_by_hand():
    # Fibonacci weights: Huffman gives 5, 5, 4, 3, 2, 1 (count per length: 1:1 2:1 3:1
    # 4:1 5:2). Limit 3. L = 5: two codes of 5 go, one to 4, the other joins the 3
    # (J = 3) -> 1:1 2:1 4:4. L = 4: J = 2 -> 1:1 3:3 4:2; again, J = 1 -> 2:2 3:4.
    # Longest first in the order of step 1: 3, 3, 3, 3, 2, 2.
    weights = [1, 1, 2, 3, 5, 8]
    assert R.two_queue_huffman(weights) == [5, 5, 4, 3, 2, 1]
    assert R.adjust_bits([5, 5, 4, 3, 2, 1], 3) == [3, 3, 3, 3, 2, 2]
    assert R.code_lengths(weights, 3) == [3, 3, 3, 3, 2, 2]
    assert R.code_lengths(weights[::-1], 3) == [2, 2, 3, 3, 3, 3]
    # and one step only: 4, 4, 3, 2, 1 -> J = 2 -> 3, 3, 3, 3, 1
    assert R.adjust_bits([4, 4, 3, 2, 1], 3) == [3, 3, 3, 3, 1]


def test_limiter_on_a_long_code_of_bytes():
    counts = [0] * 256
    for i in range(20):  # doubling counts: Huffman lengths up to 19
        counts[i] = 2**i
    huffman = R.code_lengths(counts, 64)
    assert max(huffman) == 19
    limited = R.code_lengths(counts, 11)
    assert max(limited) == 11
    assert R.kraft_is_complete(limited, 11)
    # the heavier byte never gets the longer codeword
    assert all(limited[i] >= limited[i + 1] for i in range(19))


def _huffman_cost(counts: list[int]) -> int:
    """Sum of count times length of an optimal code: the sum of all merged weights."""
    heap = [c for c in counts if c]
    heapq.heapify(heap)
    total = 0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        total += merged
        heapq.heappush(heap, merged)
    return total


@given(st.lists(st.integers(0, 1000), min_size=2, max_size=256))
@settings(max_examples=60)
def test_code_lengths_are_huffman_and_complete(counts):
    present = sum(1 for c in counts if c)
    lengths = R.code_lengths(counts, 64)
    assert [bool(n) for n in lengths] == [bool(c) for c in counts]
    if present >= 2:
        assert R.kraft_is_complete(lengths, 64)
        assert sum(c * n for c, n in zip(counts, lengths)) == _huffman_cost(counts)
        limited = R.code_lengths(counts, 11)
        assert max(limited) <= 11 and R.kraft_is_complete(limited, 11)
        order = R.huffman_order(counts)
        assert [limited[s] for s in order] == sorted((limited[s] for s in order), reverse=True)


@given(st.lists(st.integers(1, 6), min_size=2, max_size=40))
@settings(max_examples=60)
def test_code_lengths_follow_the_rule_of_huffman(counts):
    """docs/format.md: the same rule as prefixcode.huffman, so the same counts, same code.

    pc.huffman adds normalized float weights, where 0.05 + 0.1 > 0.15 can break a tie
    the other way; a power-of-two total keeps every sum exact.
    """
    total = sum(counts)
    counts = [*counts, (1 << total.bit_length()) - total]
    code = pc.huffman(counts)
    assert R.code_lengths(counts, 64) == [code.lengths[i] for i in range(len(counts))]


def test_canonical_codewords_rfc1951_example():
    # RFC 1951, 3.2.2: lengths (3, 3, 3, 3, 3, 2, 4, 4) for A..H
    lengths = [3, 3, 3, 3, 3, 2, 4, 4]
    words = [format(c, f"0{n}b") for c, n in zip(R.canonical_codewords(lengths), lengths)]
    assert words == ["010", "011", "100", "101", "110", "00", "1110", "1111"]


# ------------------------------------------------------------------------------------
# varints, bits, tables, streams
# ------------------------------------------------------------------------------------
def test_varints():
    for value in (0, 1, 127, 128, 300, MiB, 2**28 - 1):
        encoded = R.write_varint(value)
        assert R.read_varint(encoded, 0) == (value, len(encoded))
    assert R.write_varint(MiB) == bytes([0x80, 0x80, 0x40])
    for bad in (b"\x80\x00", b"\xff\x80\x00", b"\x80\x80\x80\x80\x01", b"\x80", b""):
        with pytest.raises(FormatError, match="at offset"):
            R.read_varint(bad, 0)


def test_bits_are_packed_lsb_first():
    writer = R.BitWriter()
    writer.write_codeword(0b110, 3)  # first bit 1 is the lowest
    writer.write_bits(0b01, 2)
    assert writer.finish() == bytes([0b01011])


def test_meta_symbols_follow_the_run_rules():
    assert R.meta_symbols([0] * 256) == [(14, 127, 7), (14, 107, 7)]
    assert R.meta_symbols([5] * 10) == [(5, 0, 0), (12, 3, 2), (12, 0, 2)]
    assert R.meta_symbols([5] * 3) == [(5, 0, 0), (5, 0, 0), (5, 0, 0)]
    assert R.meta_symbols([0] * 12 + [0, 1]) == [(14, 2, 7), (1, 0, 0)]
    assert R.meta_symbols([0] * 21) == [(14, 10, 7)]
    assert R.meta_symbols([0] * 22) == [(14, 11, 7)]
    assert R.meta_symbols([0] * 140) == [(14, 127, 7), (0, 0, 0), (0, 0, 0)]
    assert R.meta_symbols([0] * 141) == [(14, 127, 7), (13, 0, 3)]


@given(st.lists(st.integers(0, 50), min_size=256, max_size=256).filter(lambda c: sum(map(bool, c)) >= 2))
@settings(max_examples=60)
def test_tables_round_trip(counts):
    lengths = R.code_lengths(counts, 11)
    table = R.write_table(lengths)
    assert 1 <= len(table) <= R.MAX_TABLE
    assert R.read_table(table, 0, len(table)) == lengths


def test_tables_are_checked():
    lengths = [0] * 256
    lengths[10] = lengths[20] = 1
    table = R.write_table(lengths)
    with pytest.raises(FormatError, match="uses"):
        R.read_table(table + b"\x00", 0, len(table) + 1)
    with pytest.raises(FormatError, match="truncated"):
        R.read_table(table, 0, len(table) - 1)
    incomplete = bytearray(table)
    incomplete[0] ^= 0b111  # meta length of symbol 0 changed
    with pytest.raises(FormatError):
        R.read_table(bytes(incomplete), 0, len(incomplete))
    # one meta symbol (12, 13 or 14 alone could not cover 256 lengths; a length alone
    # would need 256 codewords): a single 14 of length 1 ends after 138 lengths
    lone = R.BitWriter()
    for symbol in range(15):
        lone.write_bits(1 if symbol == 14 else 0, 3)
    lone.write_codeword(0, 1)
    lone.write_bits(127, 7)
    lone.write_codeword(0, 1)
    lone.write_bits(107, 7)
    zeros_only = lone.finish()
    with pytest.raises(FormatError, match="two symbols"):
        R.read_table(zeros_only, 0, len(zeros_only))
    # a repeat with nothing, or a zero, before it
    bad = R.BitWriter()
    for symbol in range(15):
        bad.write_bits(1 if symbol in (12, 14) else 0, 3)  # 12 -> '0', 14 -> '1'
    bad.write_codeword(0, 1)
    bad.write_bits(0, 2)
    repeat_first = bad.finish()
    with pytest.raises(FormatError, match="repeat"):
        R.read_table(repeat_first, 0, len(repeat_first))


def test_quarters():
    assert R.quarters(0) == [(0, 0)] * 4
    assert R.quarters(5) == [(0, 2), (2, 3), (3, 4), (4, 5)]
    assert R.quarters(8) == [(0, 2), (2, 4), (4, 6), (6, 8)]


# ------------------------------------------------------------------------------------
# blocks and planning
# ------------------------------------------------------------------------------------
def test_block_modes():
    assert R.encode_block(b"q" * 1000) == bytes([R.RUN]) + R.write_varint(1000) + b"q"
    noise = random.Random(5).randbytes(3000)
    assert R.encode_block(noise) == bytes([R.RAW]) + R.write_varint(3000) + noise
    text = _text(3000)
    assert R.encode_block(text)[0] == R.CODED
    # two symbols: coded only once bits / 8 + 11 < n, i.e. n / 8 + 11 < n: n >= 13
    assert R.encode_block(b"ab" * 6)[0] == R.RAW
    for n in (13, 40, 100):
        block = R.encode_block((b"ab" * n)[:n])
        assert block[0] == (R.CODED if len(block) < 2 + n else R.RAW)
    for data in (b"q" * 1000, noise, text, b"ab" * 50):
        block = R.encode_block(data)
        assert R.decode_block(block) == (data, len(block))
        assert R.decode_block(b"xy" + block, 2) == (data, 2 + len(block))


def test_plan_cuts_where_the_statistics_change():
    noise = random.Random(6).randbytes(3 * R.UNIT)
    chunk = b"\x00" * (2 * R.UNIT) + noise + _text(2 * R.UNIT + 100)
    assert R.plan(chunk) == [2 * R.UNIT, 5 * R.UNIT, len(chunk)]
    assert R.plan(_text(50_000)) == [50_000]
    assert R.plan(b"") == []


@given(st.binary(min_size=1, max_size=20_000))
@settings(max_examples=25)
def test_plan_gives_increasing_ends_on_unit_borders(chunk):
    ends = R.plan(chunk)
    assert ends[-1] == len(chunk)
    assert ends == sorted(set(ends))
    assert all(end % R.UNIT == 0 for end in ends[:-1])


def test_plan_follows_the_rule():
    """Each cut is where the rule says, recomputed unit by unit from the costs."""
    chunk = _text(6 * R.UNIT, 7) + _small_alphabet(5 * R.UNIT, 3, 7) + _text(3 * R.UNIT + 50, 8)
    ends = R.plan(chunk)
    assert len(ends) >= 2
    start = 0
    for end in ends:
        block = R.histogram(chunk[start : start + R.UNIT])
        for u in range(start + R.UNIT, end, R.UNIT):
            unit = R.histogram(chunk[u : u + R.UNIT])
            union = [a + b for a, b in zip(block, unit)]
            assert R.cost(union) <= R.cost(block) + R.cost(unit) + 384 * 2**24
            block = union
        if end < len(chunk):
            unit = R.histogram(chunk[end : end + R.UNIT])
            union = [a + b for a, b in zip(block, unit)]
            assert R.cost(union) > R.cost(block) + R.cost(unit) + 384 * 2**24
        start = end


# ------------------------------------------------------------------------------------
# round trips, and the two coders reading each other
# ------------------------------------------------------------------------------------
@given(st.binary(max_size=5000))
@settings(max_examples=60)
def test_round_trip_arbitrary_bytes(data):
    blob = R.compress(data)
    assert R.decompress(blob) == data
    assert pc.decompress(blob) == data
    assert R.decompress(pc.compress(data)) == data


@given(st.lists(st.integers(0, 5), max_size=20_000), st.sampled_from([0, 1, 65, 250]))
@settings(max_examples=40)
def test_round_trip_small_alphabets(symbols, offset):
    data = bytes(s + offset for s in symbols)
    blob = R.compress(data)
    assert R.decompress(blob) == data
    assert pc.decompress(blob) == data
    assert R.decompress(pc.compress(data)) == data


def test_empty_input():
    blob = R.compress(b"")
    assert blob == b"PFXC\x01\x00" + b"\x00" * 13
    assert R.decompress(blob) == b"" == pc.decompress(blob)


def test_corpus_slices_round_trip(corpus):
    for path in corpus:
        data = path.read_bytes()
        for piece in (data[:30_000], data[len(data) // 2 : len(data) // 2 + 9_000]):
            blob = R.compress(piece)
            assert R.decompress(blob) == piece, path.name
            assert pc.decompress(blob) == piece, path.name


def test_reference_decodes_the_fast_encoder_on_the_corpus(corpus):
    for path in corpus:
        data = path.read_bytes()
        assert R.decompress(pc.compress(data)) == data, path.name


def test_fast_decoder_reads_the_reference_over_a_mebibyte(mixed):
    data, blob = mixed
    assert len(data) > MiB
    assert {R.RAW, R.RUN, R.CODED} <= set(_kinds(blob))
    assert pc.decompress(blob) == data
    assert R.decompress(blob) == data
    assert R.decompress(pc.compress(data)) == data


def test_chunks_are_planned_on_their_own(mixed):
    data, blob = mixed
    ends, start = [], 0
    pos = R.read_header(blob)
    while blob[pos] != R.END:
        block = R.read_block(blob, pos)
        start += block.n
        ends.append(start)
        pos = block.end
    assert MiB in ends
    assert ends[: ends.index(MiB) + 1] == R.plan(data[:MiB])
    assert [e - MiB for e in ends[ends.index(MiB) + 1 :]] == R.plan(data[MiB:])


def test_golden_container():
    golden = GOLDEN_FILE.read_bytes()
    assert R.decompress(golden) == GOLDEN_INPUT


@pytest.mark.parametrize(
    "name",
    ["small-alphabet-3", "small-alphabet-17", "equal-counts", "text-200k", "corpus-slices", "mixed-1.3MiB"],
)
def test_reference_and_fast_encoder_give_the_same_bytes(name, corpus, mixed):
    if name == "small-alphabet-3":
        inputs = [_small_alphabet(n, 3, n) for n in (20, 500, 10_000)]
    elif name == "small-alphabet-17":
        inputs = [_small_alphabet(n, 17, n) for n in (300, 70_000)]
    elif name == "equal-counts":
        inputs = [bytes(range(256)) * 40, b"abcd" * 1000 + bytes(range(20)) * 50]
    elif name == "text-200k":
        inputs = [_text(200_000)]
    elif name == "corpus-slices":
        inputs = [path.read_bytes() for path in corpus]  # every corpus file, whole
    else:
        inputs = [mixed[0]]
    for data in inputs:
        assert R.compress(data) == pc.compress(data)


# ------------------------------------------------------------------------------------
# damaged input: always FormatError (naming the offset) or the exact original
# ------------------------------------------------------------------------------------
def _outcome(decompress, blob: bytes, original: bytes) -> str:
    try:
        out = decompress(blob)
    except FormatError:
        return "error"
    return "original" if out == original else "WRONG OUTPUT"


def test_every_truncation_fails(small):
    _, blob = small
    for k in range(len(blob)):
        with pytest.raises(FormatError, match="at offset"):
            R.decompress(blob[:k])


def test_trailing_bytes_fail_and_members_concatenate(small):
    original, blob = small
    for extra in (b"\x00", b"PF\x00", b"junk"):
        with pytest.raises(FormatError, match="trailing"):
            R.decompress(blob + extra)
    with pytest.raises(FormatError, match="truncated"):
        R.decompress(blob + b"PFXC")
    assert R.decompress(blob + blob) == original + original == pc.decompress(blob + blob)


def test_random_bit_flips_fail_like_the_fast_decoder(small):
    original, blob = small
    rng = random.Random(9)
    for _ in range(600):
        damaged = bytearray(blob)
        for _ in range(rng.choice((1, 1, 2, 5))):
            i = rng.randrange(len(damaged) * 8)
            damaged[i // 8] ^= 1 << (i % 8)
        outcome = _outcome(R.decompress, bytes(damaged), original)
        assert outcome in ("error", "original")
        assert outcome == _outcome(pc.decompress, bytes(damaged), original)


def test_header_edits_fail(small):
    original, blob = small
    for i in range(40):
        for value in (0, 1, 2, 3, 4, 0x7F, 0x80, 0xFF):
            if value != blob[i]:
                damaged = blob[:i] + bytes([value]) + blob[i + 1 :]
                assert _outcome(R.decompress, damaged, original) == "error", (i, value)
                assert _outcome(pc.decompress, damaged, original) == "error", (i, value)


def _padding_bits(blob: bytes) -> list[int]:
    """Bit offsets in ``blob`` of padding bits after the tables and streams of coded blocks."""
    out = []
    pos = R.read_header(blob)
    while blob[pos] != R.END:
        block = R.read_block(blob, pos)
        if block.kind == R.CODED:
            symbols = R.meta_symbols(block.lengths)
            counts = [0] * R.META_SYMBOLS
            for symbol, _, _ in symbols:
                counts[symbol] += 1
            meta_lengths = R.code_lengths(counts, R.META_BITS)
            table_bits = 45 + sum(meta_lengths[sym] + extra for sym, _, extra in symbols)
            table_start = block.data_start - sum(len(R.write_varint(n)) for n in block.stream_sizes)
            table_start -= (table_bits + 7) // 8
            out += [table_start * 8 + b for b in range(table_bits, (table_bits + 7) // 8 * 8)]
            stream_start = block.data_start
            for (start, end), size in zip(R.quarters(block.n), block.stream_sizes):
                data = R.decode_block(blob, pos)[0][start:end]
                bits = sum(block.lengths[byte] for byte in data)
                out += [stream_start * 8 + b for b in range(bits, size * 8)]
                stream_start += size
        pos = block.end
    return out


def test_padding_bits_must_be_zero(small):
    _, blob = small
    padding = _padding_bits(blob)
    assert len(padding) > 5
    for bit in padding:
        damaged = bytearray(blob)
        damaged[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises(FormatError, match="padding"):
            R.decompress(bytes(damaged))
        with pytest.raises(FormatError):
            pc.decompress(bytes(damaged))


@given(st.binary(max_size=300))
@settings(max_examples=200)
def test_junk_is_a_format_error(junk):
    for blob in (junk, b"PFXC\x01\x00" + junk, b"PFXC\x01\x00\x03" + junk):
        with pytest.raises(FormatError):
            R.decompress(blob)


def test_stored_values_are_named():
    blob = R.compress(b"hello, world")
    with pytest.raises(FormatError, match="unknown container version 9"):
        R.decompress(blob[:4] + b"\x09" + blob[5:])
    with pytest.raises(FormatError, match="not a prefixcode container"):
        R.decompress(b"PK\x03\x04" + blob[4:])
    with pytest.raises(FormatError, match="stored 13, blocks hold 12"):
        R.decompress(blob[:-12] + (13).to_bytes(8, "little") + blob[-4:])
    crc = zlib.crc32(b"hello, world")
    with pytest.raises(FormatError, match=f"stored {crc ^ 1:#010x}, computed {crc:#010x}"):
        R.decompress(blob[:-4] + (crc ^ 1).to_bytes(4, "little"))


def test_declared_sizes_are_checked_before_decoding():
    head = b"PFXC\x01\x00"
    cases = {
        "outside 1..": [head + b"\x01" + R.write_varint(MiB + 1), head + b"\x02\x00\x41"],
        "unknown block type": [head + b"\x07"],
        "table size": [head + b"\x03\x20" + R.write_varint(513), head + b"\x03\x20\x00"],
        "truncated": [head + b"\x01" + R.write_varint(MiB) + b"abc", head + b"\x02\x05"],
    }
    for message, blobs in cases.items():
        for blob in blobs:
            with pytest.raises(FormatError, match=message):
                R.decompress(blob)
    # a run of 1 MiB backed by 3 bytes is real output, but the lengths must agree first
    run = b"\x02" + R.write_varint(MiB) + b"x"
    with pytest.raises(FormatError, match="length mismatch"):
        R.decompress(head + run * 3 + R.write_trailer(b"x"))


def test_stream_sizes_must_fit_the_block():
    block = R.encode_block(_text(2000))
    parsed = R.read_block(block, 0)
    assert parsed.kind == R.CODED
    sizes_at = parsed.data_start - sum(len(R.write_varint(s)) for s in parsed.stream_sizes)
    head = block[:sizes_at]
    for sizes in ([0, 0, 0, 0], [2000, 0, 0, 0], [50, 50, 50, 49]):
        damaged = head + b"".join(R.write_varint(s) for s in sizes) + bytes(sum(sizes))
        with pytest.raises(FormatError, match="stream sizes"):
            R.decode_block(damaged)


def test_non_bytes_input_is_a_format_error():
    for bad in (None, "PFXC", 3.5, [1, 2]):
        with pytest.raises(FormatError):
            R.decompress(bad)

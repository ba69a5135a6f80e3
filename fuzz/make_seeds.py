"""Write the fuzzers' seed corpora into fuzz/seeds/, fuzz/seeds-roundtrip/ and
fuzz/seeds-stream/ (checked in; rerun after a format change).

Each seed is one input of either harness: containers of varied content made by
``prefixcode.compress`` (every block type, one and two symbols, codes that hit the length
limit, several blocks and chunks, several members in a row) and a few damaged or odd ones
(truncated, bad magic, unknown version, trailing bytes), so that the fuzzers start from
inputs that reach deep into the decoder. The content is fixed (seeded random numbers), so
the same encoder gives the same seeds.

fuzz_stream's seeds are streams of the stream coders (arithmetic, rANS, adaptive Huffman
with and without an alphabet, both update rules) behind the harness's header of 22 bytes
(fuzz/fuzz_stream.c), whole and damaged.

    python fuzz/make_seeds.py   # rewrites fuzz/seeds/, fuzz/seeds-roundtrip/, fuzz/seeds-stream/
"""

from __future__ import annotations

import random
import shutil
import struct
import sys
import zlib
from pathlib import Path

import prefixcode as pc

HERE = Path(__file__).resolve().parent
SEEDS = HERE / "seeds"
RAW_SEEDS = HERE / "seeds-roundtrip"  # fuzz_roundtrip's: a level byte, then bytes to compress
STREAM_SEEDS = HERE / "seeds-stream"  # fuzz_stream's: a 22-byte header, then a stream
GOLDEN = HERE.parent / "tests" / "data" / "golden-v1.pfx"
LIMIT = 300_000  # bytes in all: the corpus stays small enough to check in


def _fibonacci_counts(k: int) -> bytes:
    """Counts 1, 1, 2, 3, 5, ... on k byte values: Huffman's lengths exceed the limit."""
    a, b = 1, 1
    out = bytearray()
    for sym in range(k):
        out += bytes([sym]) * a
        a, b = b, a + b
    rng = random.Random(k)
    rng.shuffle(out)
    return bytes(out)


def _text(rng: random.Random, n: int, alphabet: str) -> bytes:
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(200)]
    out = []
    size = 0
    while size < n:
        w = rng.choice(words)
        out.append(w)
        size += len(w) + 1
    return " ".join(out).encode()[:n]


def _skewed(rng: random.Random, n: int, p: float) -> bytes:
    """Geometric-looking byte values: a few frequent ones, a long tail."""
    out = bytearray(n)
    for i in range(n):
        v = 0
        while v < 255 and rng.random() > p:
            v += 1
        out[i] = v
    return bytes(out)


def contents() -> dict[str, bytes]:
    """Named inputs to compress."""
    rng = random.Random(20261202)
    alice = pc.datasets.load_bytes("alice.txt")
    d: dict[str, bytes] = {
        "empty": b"",
        "one-byte": b"A",
        "two-bytes": b"AB",
        "three-bytes": b"abc",
        "run-small": b"\x00" * 100,
        "run-block-boundary": b"z" * 4096,
        "two-symbols": bytes(rng.choice(b"01") for _ in range(3000)),
        "two-symbols-skewed": b"".join(b"a" if rng.random() < 0.97 else b"b" for _ in range(2000)),
        "all-256": bytes(range(256)) * 4,
        "random-raw": rng.randbytes(1500),
        "random-small": rng.randbytes(37),
        "text-short": b"hello, hello, hello",
        "text-alice-head": alice[:6000],
        "text-words": _text(rng, 5000, "etaoinshrdlu"),
        "skewed-geometric": _skewed(rng, 5000, 0.35),
        "skewed-steep": _skewed(rng, 3000, 0.8),
        "limit-fibonacci-16": _fibonacci_counts(16),
        "limit-fibonacci-20": _fibonacci_counts(20),
        "limit-fibonacci-12": _fibonacci_counts(12),
        "quarters-5": b"abcab",
        "quarters-6": b"abcabd",
        "quarters-7": b"aabbcca",
        "quarters-9": b"aaaabbbcd",
        "blocks-drift": b"".join(
            _text(random.Random(i), 4096, alpha)
            for i, alpha in enumerate(["abcdefgh", "0123456789", "XYZ", "klmnopqrstuvwxyz"])
        ),
        "blocks-run-then-text": b"\xff" * 9000 + alice[:3000] + b"\x00" * 5000,
        "blocks-raw-then-coded": rng.randbytes(4096) + _text(rng, 4096, "ab c"),
        "chunks-runs": b"\x00" * (1 << 20) + b"\x01" * ((1 << 20) + 17),
        "chunks-mixed": b"q" * (1 << 20) + b"\x00\x01\x02" * 700,
        "max-block-run": b"\x07" * (1 << 20),
        # coded blocks of 16 KiB or more (the decoder's two-symbol tables)
        "big-text-20k": alice[:20480],
        "big-skewed-17k": _skewed(rng, 17 * 1024, 0.5),
        "big-two-symbols-32k": b"".join(rng.choice([b"x", b"y"]) for _ in range(32 * 1024)),
        "big-words-24k": _text(rng, 24 * 1024, "aeiou st"),
    }
    return d


def damaged(good: bytes) -> dict[str, bytes]:
    """Odd and damaged inputs, each close to a valid one."""
    trailer = b"\x00" + struct.pack("<QI", 0, zlib.crc32(b""))
    return {
        "bad-header-only": b"PFXC\x01\x00",
        "bad-empty-input": b"",
        "bad-magic": b"PFXD" + good[4:],
        "bad-version": good[:4] + b"\x02" + good[5:],
        "bad-flags": good[:5] + b"\x01" + good[6:],
        "bad-truncated-half": good[: len(good) // 2],
        "bad-truncated-trailer": good[:-1],
        "bad-trailing-byte": good + b"\x00",
        "bad-crc": good[:-1] + bytes([good[-1] ^ 1]),
        "bad-length": good[:-5] + b"\x01" + good[-4:] if len(good) > 13 else good,
        "bad-block-type": b"PFXC\x01\x00\x04\x01A" + trailer,
        "bad-varint-noncanonical": b"PFXC\x01\x00\x02\x81\x00A" + trailer,
        "bad-run-too-long": b"PFXC\x01\x00\x02\x81\x80\x40A" + trailer,
        "odd-run-declares-1MiB": b"PFXC\x01\x00\x02\x80\x80\x40A"
        + b"\x00"
        + struct.pack("<QI", 1 << 20, zlib.crc32(b"A" * (1 << 20))),
    }


# -- fuzz_stream's seeds ----------------------------------------------------------------
def stream_model(weights: list[int], precision: int) -> tuple:
    """fuzz_stream.c's model: 1 for each symbol of positive weight, the rest of the total
    in proportion to the weights (floor), what is left to the first such symbol."""
    import numpy as np

    total = 1 << (precision // 2)
    if not any(weights):
        weights = [1] + [0] * (len(weights) - 1)
    live = [i for i, w in enumerate(weights) if w]
    wsum = sum(weights)
    freq = [0] * len(weights)
    for i in live:
        freq[i] = 1 + weights[i] * (total - len(live)) // wsum
    freq[live[0]] += total - sum(freq)
    cum = [sum(freq[:i]) for i in range(len(weights))]
    return (np.array(freq, np.uint32), np.array(cum, np.uint32), np.array(live, np.int32))


def _stream_seed(head: bytes, n: int, data: bytes, nbits: int) -> bytes:
    head = head + bytes(19 - len(head))
    return head + struct.pack("<H", n) + bytes([len(data) * 8 - nbits]) + data


def stream_seeds() -> dict[str, bytes]:
    """Inputs of fuzz_stream: (header, stream) for each coder, whole and damaged."""
    import numpy as np

    from prefixcode._core import _ext

    rng = random.Random(1987)
    seeds: dict[str, bytes] = {}
    for kind, name, precisions in ((0, "arith", (8, 16, 32, 42)), (1, "rans", (8, 17, 32, 62))):
        for precision in precisions:
            for m, weights in ((1, [5]), (3, [9, 3, 1]), (16, [rng.randrange(256) for _ in range(16)]),
                               (5, [255, 0, 1, 0, 7])):
                freq, cum, live = stream_model(weights, precision)
                message = rng.choices(live.tolist(), [freq[i] for i in live], k=rng.randrange(1, 400))
                idx = np.array(message, np.int32)
                data, nbits, bad = _ext.stream_encode(kind, idx, freq, cum, live, precision // 2, precision)
                assert bad < 0
                head = bytes([kind, precision - 8, m - 1, *weights])
                seeds[f"{name}-p{precision}-m{m}"] = _stream_seed(head, len(message), data, nbits)
    alice = pc.datasets.load_bytes("alice.txt")
    cases = [  # (name, alphabet mode bytes, coder's alphabet, message)
        ("text", b"\x00", None, alice[:1500].decode("latin-1")),
        ("bytes", b"\x00", None, alice[3000:4000]),
        ("unicode", b"\x00", None, "a\u00e9\u20ac\U0001d11e z\u07ff\u0800\U0010ffff" * 5),
        ("mixed", b"\x00", None, ["a", 97, "\u20ac", 255, 0, "a"] * 4),
        ("alphabet-1", b"\x01\x00", range(1), [0] * 20),
        ("alphabet-5", b"\x01\x04", range(5), [rng.randrange(5) for _ in range(200)]),
        ("alphabet-256", b"\x01\xff", range(256), list(alice[:800])),
        ("alphabet-1000", b"\x02\xe7\x03", range(1000), [rng.randrange(1000) for _ in range(300)]),
        ("alphabet-2-24", b"\x03\x00", None, [rng.randrange(1 << 24) for _ in range(50)]),
    ]
    for name, mode, alphabet, message in cases:
        n = len(message)
        for method in ("vitter", "fgk"):
            if name == "alphabet-2-24":
                keys = np.array(message, np.uint32)
                data, nbits, _ = _ext.adaptive_encode(keys, 1 << 24, method == "vitter")
            else:
                bits = pc.AdaptiveHuffman(alphabet, method=method).encode(message)
                data, nbits = bits.tobytes(), len(bits)
            head = bytes([2, method == "vitter"]) + mode
            seeds[f"adaptive-{method}-{name}"] = _stream_seed(head, n, data, nbits)
            if method == "vitter":
                seeds[f"adaptive-{method}-{name}-to-end"] = _stream_seed(head, 0xFFFF, data, nbits)
                cut = data[: len(data) // 2]
                seeds[f"adaptive-{method}-{name}-cut"] = _stream_seed(head, n, cut, len(cut) * 8)
                flipped = bytearray(data)
                flipped[len(data) // 3] ^= 0x10
                seeds[f"adaptive-{method}-{name}-flipped"] = _stream_seed(head, n, bytes(flipped), nbits)
    return seeds


RAW_PICKS = [  # (content, level selector: 1 + byte % 9 is the level)
    ("big-text-20k", 5),
    ("big-skewed-17k", 0),
    ("big-two-symbols-32k", 8),
    ("limit-fibonacci-20", 2),
    ("blocks-drift", 5),
    ("blocks-raw-then-coded", 3),
    ("all-256", 1),
    ("quarters-7", 5),
]


def main() -> int:
    for d in (SEEDS, RAW_SEEDS, STREAM_SEEDS):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    seeds: dict[str, bytes] = {}
    inputs = contents()
    made = {name: pc.compress(data, threads=1) for name, data in inputs.items()}
    for name, blob in made.items():
        assert pc.decompress(blob) == inputs[name], name
        seeds[name] = blob
    # several members in a row decode to the concatenation (gzip's rule)
    seeds["members-two"] = made["text-short"] + made["two-symbols"]
    seeds["members-three"] = made["run-small"] + made["empty"] + made["limit-fibonacci-16"]
    seeds.update(damaged(made["text-alice-head"]))
    if GOLDEN.is_file():
        seeds["golden-v1"] = GOLDEN.read_bytes()
    total = 0
    for i, (name, blob) in enumerate(sorted(seeds.items())):
        (SEEDS / f"{i:02d}-{name}").write_bytes(blob)
        total += len(blob)
    print(f"{len(seeds)} seeds, {total} bytes, in {SEEDS}")
    for i, (name, level) in enumerate(RAW_PICKS):
        raw = bytes([level]) + inputs[name]
        (RAW_SEEDS / f"{i:02d}-{name}").write_bytes(raw)
        total += len(raw)
    print(f"{len(RAW_PICKS)} seeds in {RAW_SEEDS}")
    streams = stream_seeds()
    for i, (name, blob) in enumerate(sorted(streams.items())):
        (STREAM_SEEDS / f"{i:02d}-{name}").write_bytes(blob)
        total += len(blob)
    print(f"{len(streams)} seeds in {STREAM_SEEDS}; {total} bytes in all")
    if total > LIMIT:
        print(f"make_seeds: the corpus exceeds {LIMIT} bytes", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

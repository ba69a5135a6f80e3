"""The peer comparison behind ``prefixcode bench`` and ``bench/bench_codecs.py``.

Every coder runs on the same bytes in one process: prefixcode's container (one thread
and the default), zlib's Huffman-only mode, libdeflate and isal decoding that same
zlib stream, their own fastest levels (LZ77 + Huffman), zstd at levels 1 and 3 (LZ77 +
FSE/Huff0: another class of coder), bitarray's Huffman code with its decode tree,
dahuffman (pure Python; timed on a slice when the input is long), constriction's ANS
with one categorical model per file, and the order-0 bound n * H0 / 8.

Every coder's output is decoded and compared with the input before it counts, and
every timed decode is compared again. Coders are timed interleaved: for each file,
`repeat` rounds, each round one encode and one decode of every coder in turn, so a busy
neighbour slows every coder alike; the best round counts. Speeds are MB/s of original
data (1 MB = 10**6 bytes). A peer that is not installed is skipped with a note.
"""

from __future__ import annotations

import importlib.util
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

__all__ = ["Job", "Measure", "Result", "machine", "markdown", "prepare", "render", "run", "text_table",
           "totals", "versions"]

# dahuffman decodes at ~2 MB/s: on longer inputs it is timed on the first this many bytes.
DAHUFFMAN_SLICE = 1 << 18
BASELINE = "zlib Huffman-only"
CODERS = (
    "prefixcode -T1",
    "prefixcode",
    "prefixcode into a buffer",
    BASELINE,
    "libdeflate on zlib-HO",
    "isal on zlib-HO",
    "libdeflate -1",
    "isal -0",
    "zstd -1",
    "zstd -3",
    "bitarray",
    "dahuffman",
    "constriction",
    "order-0 bound",
)
# Importable module of each peer (the PyPI package has the same name).
_MODULES = {
    "libdeflate": "deflate",
    "isal": "isal",
    "zstd": "zstandard",
    "bitarray": "bitarray",
    "dahuffman": "dahuffman",
    "constriction": "constriction",
}
# What a reader must know about a coder's row (shown once, under the table).
NOTES = {
    "prefixcode -T1": "the whole container, all headers; one thread",
    "prefixcode": "the default threads (files under 2 MiB run on one thread anyway)",
    "prefixcode into a buffer": "`pc.decompress_into` a buffer the caller keeps (one thread): the decoder "
                                "without a fresh result's page faults; encode and size as prefixcode -T1",
    BASELINE: "zlib.compressobj(9, DEFLATED, 15, 8, Z_HUFFMAN_ONLY), zlib.decompress; the whole stream",
    "libdeflate on zlib-HO": "`deflate.zlib_decompress` of zlib's Huffman-only stream (given the original "
                             "size, as libdeflate wants); encode and size are zlib's",
    "isal on zlib-HO": "`isal_zlib.decompress` of zlib's Huffman-only stream; encode and size are zlib's",
    "libdeflate -1": "`deflate.zlib_compress(data, 1)`: LZ77 + Huffman (libdeflate has no Huffman-only mode)",
    "isal -0": "`isal_zlib.compress(data, 0)`, its fastest level: LZ77 + Huffman (isal_zlib has no "
               "Huffman-only strategy: it ignores Z_HUFFMAN_ONLY)",
    "zstd -1": "`zstandard`, level 1: LZ77 + FSE/Huff0, a different class of coder (it codes matches)",
    "zstd -3": "`zstandard`, level 3 (zstd's default), the same class as zstd -1",
    "bitarray": "`bitarray.util.huffman_code` + encode / decode with a decodetree; payload only, no table",
    "dahuffman": "pure Python; payload + its EOF symbol, no table",
    "constriction": "ANS with one categorical model per file (not a prefix code); payload only",
    "order-0 bound": "n * H0 / 8, H0 the entropy of the byte histogram",
}


@dataclass
class Measure:
    """One coder on one file: output size in bytes and the best times in seconds."""

    size: float
    encode_s: float | None = None
    decode_s: float | None = None
    timed_bytes: int = 0  # bytes the times refer to (a slice for dahuffman)
    note: str = ""


@dataclass
class Result:
    files: list[tuple[str, int]]  # (name, bytes)
    table: dict[str, dict[str, Measure]]  # coder -> file name -> measure
    notes: dict[str, str] = field(default_factory=dict)  # coder -> note (skipped, sliced, ...)


@dataclass
class Job:
    """One coder made ready on one input: the calls to time and what the output weighs.

    `encode` and `decode` each do the whole job once (decode works on an output made,
    and checked, by `prepare`); `as_bytes` turns decode's result into bytes for the check.
    """

    size: float
    encode: Callable[[], Any] | None = None
    decode: Callable[[], Any] | None = None
    expect: bytes = b""  # what decode must give back
    as_bytes: Callable[[Any], bytes] = bytes
    rounds: int | None = None  # time at most this many rounds (pure-Python coders)
    note: str = ""

    def check(self, got: Any, coder: str) -> None:
        if self.as_bytes(got) != self.expect:
            raise AssertionError(f"{coder} did not round-trip")


def _zlib_ho(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY)
    return c.compress(data) + c.flush()


def _ready(coder: str, data: bytes, encode: Callable[[], Any], decode_of: Callable[[Any], Callable[[], Any]],
           size_of: Callable[[Any], float] = len, **kw: Any) -> Job:
    """Encode once, make the decode call on that output, check it, return the Job."""
    out = encode()
    job = Job(size_of(out), encode, decode_of(out), data, **kw)
    job.check(job.decode(), coder)
    return job


def _prefixcode(threads: int | None) -> Callable[[str, bytes], Job]:
    def prep(coder: str, data: bytes) -> Job:
        from .container import compress, decompress

        return _ready(coder, data, lambda: compress(data, threads=threads),
                      lambda blob: lambda: decompress(blob, threads=threads))

    return prep


def _prefixcode_into(coder: str, data: bytes) -> Job:
    from .container import compress, decompress_into

    out = bytearray(len(data))

    def decode_of(blob: bytes) -> Callable[[], bytearray]:
        def run() -> bytearray:
            decompress_into(blob, out)
            return out

        return run

    return _decode_only(_ready(coder, data, lambda: compress(data, threads=1), decode_of))


def _zlib(coder: str, data: bytes) -> Job:
    return _ready(coder, data, lambda: _zlib_ho(data), lambda blob: lambda: zlib.decompress(blob))


def _decode_only(job: Job) -> Job:
    """A row that decodes another coder's stream: nothing of its own to encode."""
    job.encode = None
    return job


def _libdeflate_ho(coder: str, data: bytes) -> Job:
    import deflate

    blob = _zlib_ho(data)
    job = _ready(coder, data, lambda: blob, lambda b: lambda: deflate.zlib_decompress(b, len(data)))
    return _decode_only(job)


def _isal_ho(coder: str, data: bytes) -> Job:
    from isal import isal_zlib

    blob = _zlib_ho(data)
    return _decode_only(_ready(coder, data, lambda: blob, lambda b: lambda: isal_zlib.decompress(b)))


def _libdeflate1(coder: str, data: bytes) -> Job:
    import deflate

    return _ready(coder, data, lambda: deflate.zlib_compress(data, 1),
                  lambda b: lambda: deflate.zlib_decompress(b, len(data)))


def _isal0(coder: str, data: bytes) -> Job:
    from isal import isal_zlib

    return _ready(coder, data, lambda: isal_zlib.compress(data, 0), lambda b: lambda: isal_zlib.decompress(b))


def _zstd(level: int) -> Callable[[str, bytes], Job]:
    def prep(coder: str, data: bytes) -> Job:
        import zstandard

        cctx, dctx = zstandard.ZstdCompressor(level=level), zstandard.ZstdDecompressor()
        return _ready(coder, data, lambda: cctx.compress(data), lambda b: lambda: dctx.decompress(b))

    return prep


def _histogram(data: bytes) -> list[int]:
    import numpy as np

    return np.bincount(np.frombuffer(data, dtype=np.uint8), minlength=256).tolist()


def _bitarray(coder: str, data: bytes) -> Job:
    from bitarray import bitarray
    from bitarray.util import huffman_code

    def enc() -> tuple[dict, bitarray]:
        counts = {i: c for i, c in enumerate(_histogram(data)) if c}
        code = huffman_code(counts) if len(counts) > 1 else {data[0]: bitarray("0")}
        bits = bitarray()
        bits.encode(code, data)
        return code, bits

    return _ready(coder, data, enc, lambda cb: lambda: _bits_decode(cb),
                  size_of=lambda cb: (len(cb[1]) + 7) // 8)


def _bits_decode(code_bits: tuple) -> bytes:
    from bitarray import decodetree

    code, bits = code_bits
    return bytes(bits.decode(decodetree(code)))


def _dahuffman(coder: str, data: bytes) -> Job:
    from dahuffman import HuffmanCodec

    part = data[:DAHUFFMAN_SLICE]
    # The size is for the whole input, from the code dahuffman builds for it (payload + EOF).
    table = HuffmanCodec.from_data(data).get_code_table()
    hist = _histogram(data)
    nbits = sum(hist[s] * table[s][0] for s in range(256) if hist[s]) + max(
        v[0] for k, v in table.items() if not isinstance(k, int))
    job = _ready(coder, part, lambda: HuffmanCodec.from_data(part).encode(part),
                 lambda blob: lambda: HuffmanCodec.from_data(part).decode(blob), rounds=1)
    job.size = (nbits + 7) // 8
    if len(part) < len(data):
        job.note = f"timed on the first {len(part) >> 10} KiB"
    return job


def _constriction(coder: str, data: bytes) -> Job:
    import constriction
    import numpy as np

    def model() -> Any:
        hist = np.asarray(_histogram(data), dtype=np.float64)
        return constriction.stream.model.Categorical(hist / hist.sum(), perfect=False)

    def enc() -> np.ndarray:
        coder_ = constriction.stream.stack.AnsCoder()
        coder_.encode_reverse(np.frombuffer(data, dtype=np.uint8).astype(np.int32), model())
        return coder_.get_compressed()

    return _ready(coder, data, enc,
                  lambda words: lambda: constriction.stream.stack.AnsCoder(words).decode(model(), len(data)),
                  size_of=lambda words: words.nbytes,
                  as_bytes=lambda got: np.asarray(got, dtype=np.uint8).tobytes())


def _order0(coder: str, data: bytes) -> Job:
    from .measures import entropy

    return Job(len(data) * float(entropy(_histogram(data))) / 8)


_RUNNERS: dict[str, Callable[[str, bytes], Job]] = {
    "prefixcode -T1": _prefixcode(1),
    "prefixcode -T2": _prefixcode(2),
    "prefixcode": _prefixcode(None),
    "prefixcode into a buffer": _prefixcode_into,
    BASELINE: _zlib,
    "libdeflate on zlib-HO": _libdeflate_ho,
    "isal on zlib-HO": _isal_ho,
    "libdeflate -1": _libdeflate1,
    "isal -0": _isal0,
    "zstd -1": _zstd(1),
    "zstd -3": _zstd(3),
    "bitarray": _bitarray,
    "dahuffman": _dahuffman,
    "constriction": _constriction,
    "order-0 bound": _order0,
}


def prepare(coder: str, data: bytes) -> Job:
    """The Job of `coder` (a key of CODERS, or "prefixcode -T2") on `data`, checked once."""
    return _RUNNERS[coder](coder, data)


def missing(coder: str) -> str | None:
    """Why `coder` cannot run here (its peer is not installed), or None."""
    module = _MODULES.get(coder.split()[0])
    if module and importlib.util.find_spec(module) is None:
        return f"not installed (pip install {module})"
    return None


def available(coders: Iterable[str], skip: Iterable[str] = ()) -> tuple[list[str], dict[str, str]]:
    """The coders that run, and a note for each one left out (skipped or not installed)."""
    skip = set(skip)
    run_, notes = [], {}
    for coder in coders:
        if coder in skip or coder.split()[0] in skip:
            notes[coder] = "skipped"
        elif why := missing(coder):
            notes[coder] = why
        else:
            run_.append(coder)
    return run_, notes


def machine() -> str:
    """The processor, its cores and the Python running, for the record of a run."""
    import os
    import platform

    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}"


def versions() -> str:
    """Versions of zlib and of each peer installed, for the record of a run."""
    from importlib import metadata

    parts = [f"zlib {zlib.ZLIB_RUNTIME_VERSION}"]
    peers = (("libdeflate", "deflate"), ("isal", "isal"), ("zstandard", "zstandard"),
             ("bitarray", "bitarray"), ("dahuffman", "dahuffman"), ("constriction", "constriction"))
    for name, dist in peers:
        try:
            parts.append(f"{name} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(parts)


def time_jobs(jobs: dict[str, Job], repeat: int) -> dict[str, tuple[float | None, float | None]]:
    """Best (encode, decode) seconds of each job, interleaved: `repeat` rounds, each
    round one call of every job's encode and decode in turn; every decode is checked."""
    best: dict[str, list[float]] = {c: [float("inf"), float("inf")] for c in jobs}
    for r in range(repeat):
        for coder, job in jobs.items():
            if job.rounds is not None and r >= job.rounds:
                continue
            for k, fn in enumerate((job.encode, job.decode)):
                if fn is None:
                    continue
                t0 = time.perf_counter()
                out = fn()
                best[coder][k] = min(best[coder][k], time.perf_counter() - t0)
                if k == 1:
                    job.check(out, coder)
    return {c: tuple(t if t != float("inf") else None for t in ts) for c, ts in best.items()}


def run(
    files: Sequence[tuple[str, bytes]],
    *,
    repeat: int = 3,
    skip: set[str] | frozenset[str] = frozenset(),
    log: TextIO | None = None,
    coders: Sequence[str] = CODERS,
) -> Result:
    """Measure every coder on every (name, data) pair, interleaved file by file."""
    from .container import compress, decompress

    decompress(compress(b"load the extension and the container modules" * 100))
    files = [(name, data) for name, data in files if data]
    result = Result([(name, len(data)) for name, data in files], {})
    names, result.notes = available(coders, skip)
    for coder in names:
        result.table[coder] = {}
    for name, data in files:
        if log is not None:
            print(f"  {name}", file=log, flush=True)
        jobs = {coder: prepare(coder, data) for coder in names}
        times = time_jobs(jobs, max(1, repeat))
        for coder, job in jobs.items():
            te, td = times[coder]
            timed = len(job.expect)
            result.table[coder][name] = Measure(job.size, te, td, timed, job.note)
            if "timed on" in job.note:
                result.notes[coder] = f"timed on the first {DAHUFFMAN_SLICE >> 10} KiB of each file"
    return result


def _mbs(nbytes: int, seconds: float | None) -> str:
    return "" if not seconds else f"{nbytes / seconds / 1e6:.1f}"


def totals(result: Result) -> dict[str, Measure]:
    """Per coder, the measures summed over all files."""
    out = {}
    for coder, per_file in result.table.items():
        ms = list(per_file.values())
        timed = sum(m.timed_bytes for m in ms)
        enc = sum(m.encode_s for m in ms if m.encode_s) or None
        dec = sum(m.decode_s for m in ms if m.decode_s) or None
        out[coder] = Measure(sum(m.size for m in ms), enc, dec, timed)
    return out


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The shortest of `repeat` timed calls of `fn`, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def speedup(m: Measure, base: Measure | None, which: str) -> float | None:
    """How many times as fast as `base` (MB/s over MB/s), or None."""
    if base is None:
        return None
    s, b = (m.encode_s, base.encode_s) if which == "e" else (m.decode_s, base.decode_s)
    if not s or not b or not m.timed_bytes or not base.timed_bytes:
        return None
    return (m.timed_bytes / s) / (base.timed_bytes / b)


def _x(v: float | None) -> str:
    return "" if v is None else f"{v:.2f}x"


def _rows(measures: dict[str, Measure]) -> list[list[str]]:
    base = measures.get(BASELINE)
    bound = measures.get("order-0 bound")
    rows = []
    for coder, m in measures.items():
        rows.append([
            coder,
            _mbs(m.timed_bytes, m.encode_s),
            _mbs(m.timed_bytes, m.decode_s),
            _x(speedup(m, base, "e")),
            _x(speedup(m, base, "d")),
            f"{m.size:,.0f}",
            f"{m.size / base.size:.4f}" if base and base.size else "",
            f"{m.size / bound.size:.4f}" if bound and bound.size else "",
        ])
    return rows


HEADER = ["coder", "encode MB/s", "decode MB/s", "encode vs zlib-HO", "decode vs zlib-HO", "bytes",
          "size / zlib-HO", "size / order-0"]


def markdown(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured markdown table, numbers right-aligned."""
    align = ["---"] + ["---:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def text_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain aligned table for a terminal."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    def line(r: list[str]) -> str:
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(r, widths))).rstrip()
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def notes_of(result: Result) -> list[str]:
    """One line per coder: what its row is, and whether it was skipped or sliced."""
    lines = {c: [NOTES[c]] if c in NOTES else [] for c in result.table}
    for c, v in result.notes.items():
        lines.setdefault(c, []).append(v)
    return [f"{c}: {'; '.join(v)}" for c, v in lines.items() if v]


def render(result: Result, *, per_file: bool = True, fmt: str = "text") -> str:
    """The tables: each file (when `per_file`), then the total; text or markdown."""
    table = markdown if fmt == "markdown" else text_table
    parts = []
    if per_file and len(result.files) > 1:
        for name, n in result.files:
            ms = {c: per[name] for c, per in result.table.items() if name in per}
            parts.append(f"{name} ({n:,} bytes)\n\n" + table(HEADER, _rows(ms)))
    total = sum(n for _, n in result.files)
    title = "total" if len(result.files) > 1 else result.files[0][0] if result.files else "nothing"
    parts.append(f"{title} ({total:,} bytes)\n\n" + table(HEADER, _rows(totals(result))))
    notes = notes_of(result)
    if notes:
        parts.append("\n".join(("* " if fmt == "markdown" else "  ") + n for n in notes))
    return "\n\n".join(parts)

"""The peer comparison behind ``prefixcode bench`` and ``bench/bench_codecs.py``.

Every coder runs on the same bytes in one process: prefixcode's container (one thread
and the default), zlib's Huffman-only mode, bitarray's Huffman code with its decode
tree, dahuffman (pure Python; timed on a slice when the input is long), constriction's
ANS with one categorical model per file, and the order-0 bound n * H0 / 8. Every coder's
output is decoded and compared with the input before it counts. Speeds are MB/s of
original data (1 MB = 10**6 bytes), the best of `repeat` runs.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np

from .distribution import histogram

__all__ = ["Measure", "Result", "markdown", "render", "run", "text_table", "totals"]

# dahuffman decodes at ~2 MB/s: on longer inputs it is timed on the first this many bytes.
DAHUFFMAN_SLICE = 1 << 18
CODERS = ("prefixcode -T1", "prefixcode", "zlib Huffman-only", "bitarray", "dahuffman", "constriction",
          "order-0 bound")
BASELINE = "zlib Huffman-only"


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


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _check(name: str, got: Any, data: bytes) -> None:
    if bytes(got) != data:
        raise AssertionError(f"{name} did not round-trip")


def _prefixcode(threads: int | None) -> Callable[[bytes, int], Measure]:
    def measure(data: bytes, repeat: int) -> Measure:
        from .container import compress, decompress

        te, blob = _best(lambda: compress(data, threads=threads), repeat)
        td, back = _best(lambda: decompress(blob, threads=threads), repeat)
        _check("prefixcode", back, data)
        return Measure(len(blob), te, td, len(data), "all headers")

    return measure


def _zlib(data: bytes, repeat: int) -> Measure:
    def enc() -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY)
        return c.compress(data) + c.flush()

    te, blob = _best(enc, repeat)
    td, back = _best(lambda: zlib.decompress(blob), repeat)
    _check("zlib", back, data)
    return Measure(len(blob), te, td, len(data), "all headers")


def _bitarray(data: bytes, repeat: int) -> Measure:
    from bitarray import bitarray, decodetree
    from bitarray.util import huffman_code

    def enc() -> tuple[dict, bitarray]:
        hist = histogram(data)
        counts = {i: int(c) for i, c in enumerate(hist.tolist()) if c}
        code = huffman_code(counts) if len(counts) > 1 else {data[0]: bitarray("0")}
        bits = bitarray()
        bits.encode(code, data)
        return code, bits

    te, (code, bits) = _best(enc, repeat)
    td, back = _best(lambda: bytes(bits.decode(decodetree(code))), repeat)
    _check("bitarray", back, data)
    return Measure((len(bits) + 7) // 8, te, td, len(data), "payload only, no table")


def _dahuffman(data: bytes, repeat: int) -> Measure:
    from dahuffman import HuffmanCodec

    part = data[:DAHUFFMAN_SLICE]
    te, codec = _best(lambda: HuffmanCodec.from_data(part).encode(part), 1)
    blob = codec
    td, back = _best(lambda: HuffmanCodec.from_data(part).decode(blob), 1)
    _check("dahuffman", back, part)
    # The size for the whole input, from the code dahuffman builds for it (payload + EOF).
    whole = HuffmanCodec.from_data(data)
    table = whole.get_code_table()
    hist = histogram(data)
    nbits = sum(int(hist[s]) * table[s][0] for s in range(256) if hist[s]) + max(
        v[0] for k, v in table.items() if not isinstance(k, int))
    note = "payload only, no table"
    if len(part) < len(data):
        note += f"; timed on the first {len(part) >> 10} KiB"
    return Measure((nbits + 7) // 8, te, td, len(part), note)


def _constriction(data: bytes, repeat: int) -> Measure:
    import constriction

    def model_of(d: bytes) -> tuple[Any, np.ndarray]:
        hist = histogram(d).astype(np.float64)
        return constriction.stream.model.Categorical(hist / hist.sum(), perfect=False), hist

    def enc() -> np.ndarray:
        model, _ = model_of(data)
        coder = constriction.stream.stack.AnsCoder()
        coder.encode_reverse(np.frombuffer(data, dtype=np.uint8).astype(np.int32), model)
        return coder.get_compressed()

    te, words = _best(enc, repeat)
    model, _ = model_of(data)
    td, back = _best(lambda: constriction.stream.stack.AnsCoder(words).decode(model, len(data)), repeat)
    _check("constriction", np.asarray(back, dtype=np.uint8).tobytes(), data)
    return Measure(words.nbytes, te, td, len(data), "ANS, not a prefix code; payload only")


def _order0(data: bytes, repeat: int) -> Measure:
    from .measures import entropy

    hist = histogram(data)
    return Measure(len(data) * float(entropy(hist)) / 8, note="n * H0 / 8")


_RUNNERS: dict[str, Callable[[bytes, int], Measure]] = {
    "prefixcode -T1": _prefixcode(1),
    "prefixcode": _prefixcode(None),
    "zlib Huffman-only": _zlib,
    "bitarray": _bitarray,
    "dahuffman": _dahuffman,
    "constriction": _constriction,
    "order-0 bound": _order0,
}
_MODULES = {"bitarray": "bitarray", "dahuffman": "dahuffman", "constriction": "constriction"}


def run(
    files: Sequence[tuple[str, bytes]],
    *,
    repeat: int = 3,
    skip: set[str] | frozenset[str] = frozenset(),
    log: TextIO | None = None,
) -> Result:
    """Measure every coder on every (name, data) pair; skips a peer that is not installed."""
    import importlib.util

    from .container import compress, decompress

    decompress(compress(b"warm up the compiled kernels" * 100))
    files = [(name, data) for name, data in files if data]
    result = Result([(name, len(data)) for name, data in files], {})
    for coder in CODERS:
        if coder in skip or coder.split()[0] in skip:
            result.notes[coder] = "skipped"
            continue
        module = _MODULES.get(coder)
        if module and importlib.util.find_spec(module) is None:
            result.notes[coder] = f"not installed (pip install {module})"
            continue
        result.table[coder] = {}
        for name, data in files:
            if log is not None:
                print(f"  {coder:<18} {name}", file=log, flush=True)
            m = _RUNNERS[coder](data, repeat)
            result.table[coder][name] = m
            if m.note and "timed on" in m.note:
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


def _rows(measures: dict[str, Measure]) -> list[list[str]]:
    base = measures.get(BASELINE)
    bound = measures.get("order-0 bound")
    rows = []
    for coder, m in measures.items():
        rows.append([
            coder,
            _mbs(m.timed_bytes, m.encode_s),
            _mbs(m.timed_bytes, m.decode_s),
            f"{m.size:,.0f}",
            f"{m.size / base.size:.4f}" if base and base.size else "",
            f"{m.size / bound.size:.4f}" if bound and bound.size else "",
        ])
    return rows


HEADER = ["coder", "encode MB/s", "decode MB/s", "bytes", "size / zlib-HO", "size / order-0"]


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
    notes = {c: [m.note for m in list(per.values())[:1] if m.note and "timed on" not in m.note]
             for c, per in result.table.items()}
    for c, v in result.notes.items():
        notes.setdefault(c, []).append(v)
    notes = [f"{c}: {'; '.join(v)}" for c, v in notes.items() if v]
    if notes:
        parts.append("\n".join(("* " if fmt == "markdown" else "  ") + n for n in notes))
    return "\n\n".join(parts)

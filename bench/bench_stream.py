"""The stream coders (not prefix codes) beside constriction's, on the corpus, in one run.

Usage (from the repository)::

    .venv/bin/python bench/bench_stream.py              # ../shared/corpus
    .venv/bin/python bench/bench_stream.py FILE...      # your own files
    .venv/bin/python bench/bench_stream.py --repeat 5 --slice 4096

Every coder gets one static order-0 model per file, from the file's byte histogram:

* ``pc.ArithmeticCode`` and ``pc.ANSCode`` (precision 32, frequencies total 2**16), on
  their compiled path (``_core/arith.c``): ``code.encode(data)`` and
  ``code.decode(bits, len(data))``, which returns a list of ints (the list is part of the
  time, as it is of the call);
* the same C kernels called alone (``_ext.stream_encode`` / ``stream_decode``): int32
  indices in and out, as constriction takes them, without the symbol list and without
  ``ArithmeticCode.decode``'s check that the stream re-encodes to itself;
* constriction's ANS coder (``constriction.stream.stack.AnsCoder``) and its range coder
  (``constriction.stream.queue.RangeEncoder`` / ``RangeDecoder``) with one
  ``Categorical`` model (``perfect=False``) per file, on int32 symbols;
* ``pc.AdaptiveHuffman`` (Vitter's algorithm Lambda and FGK, no alphabet: bytes as the
  ints 0..255), on its compiled path (``_core/adaptive.c``): one pass, no model, so its
  size counts what the adaptive code spends learning the statistics;
* the pure-Python coders (the readable reference in stream.py), timed once on the first
  --slice bytes of each file (default 8 KiB): they run at tens of KB/s.

For each file, --repeat rounds (default 3) of one encode and one decode of every
compiled coder in turn; the best round counts. MB/s are of original data (10**6 bytes
per second), totals are all bytes over the sum of the best times. Every output is
decoded and compared with its input. Sizes are the payload in bytes (no model, no
length) against the order-0 bound n * H0 / 8.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import numpy as np

import prefixcode as pc
from prefixcode import _bench, stream

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name not in ("README.md", "LICENSE"))


@contextmanager
def python_only():
    """The Python coders of stream.py: the compiled path switched off."""
    with mock.patch.object(stream, "_c_ready", lambda *args: False), \
            mock.patch.object(stream, "_adaptive_c_ready", lambda *args: False):
        yield


def prefixcode_coder(cls, hist: np.ndarray):
    code = cls(hist)

    def encode(data: bytes):
        return code.encode(data)

    def decode(bits, n: int) -> bytes:
        return bytes(code.decode(bits, n))

    return encode, decode, lambda bits: len(bits) / 8


def adaptive_coder(method: str):
    code = pc.AdaptiveHuffman(method=method)

    def encode(data: bytes):
        return code.encode(data)

    def decode(bits, n: int) -> bytes:
        return bytes(code.decode(bits, n))

    return encode, decode, lambda bits: len(bits) / 8


def constriction_coder(kind: str, hist: np.ndarray):
    import constriction

    model = constriction.stream.model.Categorical(hist / hist.sum(), perfect=False)

    def encode(data: bytes):
        symbols = np.frombuffer(data, dtype=np.uint8).astype(np.int32)
        if kind == "ans":
            coder = constriction.stream.stack.AnsCoder()
            coder.encode_reverse(symbols, model)
        else:
            coder = constriction.stream.queue.RangeEncoder()
            coder.encode(symbols, model)
        return coder.get_compressed()

    def decode(words, n: int) -> bytes:
        if kind == "ans":
            coder = constriction.stream.stack.AnsCoder(words)
        else:
            coder = constriction.stream.queue.RangeDecoder(words)
        return coder.decode(model, n).astype(np.uint8).tobytes()

    return encode, decode, lambda words: words.nbytes


def kernel_coder(cls, kind: int, hist: np.ndarray):
    """The C kernel alone (_core/arith.c): int32 indices in and out, as constriction's."""
    from prefixcode._core import _ext

    code = cls(hist)
    m = code._model
    freq, cum, live = stream._c_model(m)

    def encode(data: bytes):
        idx = np.frombuffer(data, dtype=np.uint8).astype(np.int32)  # the model's symbols are 0..255
        return _ext.stream_encode(kind, idx, freq, cum, live, m.freq_bits, code.precision)

    def decode(encoded, n: int) -> bytes:
        data, nbits, _ = encoded
        out = np.empty(n, dtype=np.int32)
        status = _ext.stream_decode(kind, data, nbits, freq, cum, live, m.freq_bits, code.precision, out)[0]
        assert status == 0
        return out.astype(np.uint8).tobytes()

    return encode, decode, lambda encoded: encoded[1] / 8


def coders(hist: np.ndarray) -> dict:
    out = {
        "pc.ArithmeticCode (C)": prefixcode_coder(pc.ArithmeticCode, hist),
        "pc.ANSCode (C)": prefixcode_coder(pc.ANSCode, hist),
        "arith.c kernel, arithmetic": kernel_coder(pc.ArithmeticCode, stream._C_ARITH, hist),
        "arith.c kernel, rANS": kernel_coder(pc.ANSCode, stream._C_ANS, hist),
        "pc.AdaptiveHuffman vitter (C)": adaptive_coder("vitter"),
        "pc.AdaptiveHuffman fgk (C)": adaptive_coder("fgk"),
    }
    try:
        import constriction  # noqa: F401
    except ImportError:
        print("constriction is not installed: its rows are skipped (pip install -e '.[bench]')")
        return out
    out["constriction AnsCoder"] = constriction_coder("ans", hist)
    out["constriction RangeEncoder"] = constriction_coder("range", hist)
    return out


def timed(fn, *args):
    t = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t


def order0_bytes(hist: np.ndarray) -> float:
    n = hist.sum()
    p = hist[hist > 0] / n
    return float(-(hist[hist > 0] * np.log2(p)).sum() / 8)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--slice", type=int, default=8192, help="bytes per file for the pure-Python coders")
    args = ap.parse_args(argv)
    files = args.files or corpus_files(CORPUS)
    if not files:
        sys.exit(f"no files: give some, or put the corpus at {CORPUS}")

    best: dict[str, list[float]] = {}  # coder -> [encode s, decode s, bytes]
    total_bytes, bound = 0, 0.0
    rows = []
    for path in files:
        data = path.read_bytes()
        hist = np.bincount(np.frombuffer(data, dtype=np.uint8), minlength=256).astype(np.float64)
        total_bytes += len(data)
        bound += order0_bytes(hist)
        jobs = coders(hist)
        times = {name: [float("inf"), float("inf"), 0.0] for name in jobs}
        for _ in range(args.repeat):
            for name, (encode, decode, size) in jobs.items():
                out, te = timed(encode, data)
                back, td = timed(decode, out, len(data))
                if back != data:
                    sys.exit(f"{name} did not give {path.name} back")
                t = times[name]
                t[0], t[1], t[2] = min(t[0], te), min(t[1], td), size(out)
        for name, t in times.items():
            b = best.setdefault(name, [0.0, 0.0, 0.0])
            b[0] += t[0]
            b[1] += t[1]
            b[2] += t[2]
        speeds = {n: (len(data) / t[0] / 1e6, len(data) / t[1] / 1e6) for n, t in times.items()}
        rows.append((path.name, len(data), speeds))

    # The pure-Python reference coders, once, on a slice of each file (model: the whole file's).
    py = {"pc.ArithmeticCode (Python)": pc.ArithmeticCode, "pc.ANSCode (Python)": pc.ANSCode,
          "pc.AdaptiveHuffman vitter (Python)": lambda hist: pc.AdaptiveHuffman(method="vitter"),
          "pc.AdaptiveHuffman fgk (Python)": lambda hist: pc.AdaptiveHuffman(method="fgk")}
    py_time = {name: [0.0, 0.0, 0] for name in py}
    for path in files:
        data = path.read_bytes()
        hist = np.bincount(np.frombuffer(data, dtype=np.uint8), minlength=256).astype(np.float64)
        piece = data[: args.slice]
        for name, cls in py.items():
            code = cls(hist)
            with python_only():
                bits, te = timed(code.encode, piece)
                back, td = timed(code.decode, bits, len(piece))
            if bytes(back) != piece or bits != code.encode(piece):
                sys.exit(f"{name} disagrees with the compiled coder on {path.name}")
            t = py_time[name]
            t[0] += te
            t[1] += td
            t[2] += len(piece)

    print(f"# {len(files)} files, {total_bytes / 1e6:.2f} MB; {_bench.machine()}; {_bench.versions()};"
          f" best of {args.repeat} rounds")
    print()
    print("| coder | encode MB/s | decode MB/s | size (bytes) | size / order-0 bound |")
    print("|---|---:|---:|---:|---:|")
    for name, (te, td, size) in best.items():
        print(f"| {name} | {total_bytes / te / 1e6:.1f} | {total_bytes / td / 1e6:.1f} | {size:,.0f} |"
              f" {size / bound:.4f} |")
    for name, (te, td, n) in py_time.items():
        print(f"| {name}, first {args.slice} B of each file | {n / te / 1e6:.3f} | {n / td / 1e6:.3f} |"
              " (same bits as C) | |")
    print(f"| order-0 bound n * H0 / 8 | | | {bound:,.0f} | 1 |")
    print()
    print("Per file, encode / decode MB/s:")
    names = list(best)
    print("| file | bytes | " + " | ".join(names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for fname, n, speeds in rows:
        cells = " | ".join(f"{speeds[k][0]:.0f} / {speeds[k][1]:.0f}" for k in names)
        print(f"| {fname} | {n:,} | {cells} |")


if __name__ == "__main__":
    main()

"""Huff0 (the Huffman coder inside zstd) as a peer for bench/bench_container.py.

Run alone (``python bench/huff0.py [FILE...]``, default ../shared/corpus), it compares
Huff0's decoding with prefixcode's file by file, both into buffers kept across calls
(best of 30 calls each, taking turns), with both sizes.

Huff0 is not on PyPI. Where Debian's libzstd-dev is installed (`apt install libzstd-dev`,
zstd 1.5.4, whose static library holds Huff0's entry points) and a C compiler is on the
PATH, :func:`load` builds ``bench/huff0_shim.c`` against it in a temporary folder and
loads it with ctypes; :func:`prepare` makes a `_bench.Job` of it on one input: the input
in blocks of 128 KiB (the largest Huff0 takes, as zstd's literals), a table per block,
4 streams, Huff0's own choice of one or two symbols per look-up. Both calls write into
buffers made once, as "prefixcode into a buffer" does; every output is decoded and
compared before it is timed.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from prefixcode import _bench

NAME = "Huff0 (zstd 1.5.4) into a buffer"
SHIM = Path(__file__).resolve().parent / "huff0_shim.c"
VERSION = 10504  # the zstd whose lib/common/huf.h the shim's declarations follow
_lib: ctypes.CDLL | None = None
_why = ""


def _compiler() -> str | None:
    return shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")


def _static_library(cc: str) -> Path | None:
    out = subprocess.run([cc, "-print-file-name=libzstd.a"], capture_output=True, text=True).stdout.strip()
    return Path(out) if out and os.path.isabs(out) and Path(out).exists() else None


def load() -> str:
    """Build and load the shim once; "" when it is ready, else why it is not."""
    global _lib, _why
    if _lib is not None or _why:
        return _why
    cc = _compiler()
    lib = _static_library(cc) if cc else None
    if lib is None:
        _why = "no libzstd.a (apt install libzstd-dev) or no C compiler"
        return _why
    folder = Path(tempfile.mkdtemp(prefix="prefixcode-huff0-"))
    so = folder / "huff0.so"
    build = subprocess.run([cc, "-O3", "-shared", "-fPIC", str(SHIM), str(lib), "-o", str(so)],
                           capture_output=True, text=True)
    if build.returncode != 0:
        _why = f"the shim did not build: {build.stderr.strip()[:200]}"
        return _why
    h = ctypes.CDLL(str(so))
    shutil.rmtree(folder, ignore_errors=True)  # (the library stays mapped)
    h.h0_version.restype = ctypes.c_uint
    if h.h0_version() != VERSION:
        _why = f"libzstd.a is zstd {h.h0_version()}, the shim follows zstd {VERSION}'s huf.h"
        return _why
    h.h0_bound.restype = ctypes.c_size_t
    h.h0_bound.argtypes = [ctypes.c_size_t]
    h.h0_compress.restype = ctypes.c_size_t
    h.h0_compress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p]
    h.h0_decompress.restype = ctypes.c_int
    h.h0_decompress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t]
    _lib = h
    return ""


def prepare(coder: str, data: bytes) -> _bench.Job:
    """The Job of Huff0 on `data` (after :func:`load` returned "")."""
    assert _lib is not None
    h = _lib
    packed = (ctypes.c_char * h.h0_bound(len(data)))()
    out = (ctypes.c_char * max(1, len(data)))()
    holder: dict[str, bytes] = {}

    def encode() -> int:
        size = h.h0_compress(data, len(data), packed)
        if size == 0 and data:
            raise RuntimeError("Huff0 failed to compress")
        return size

    def decode_of(size: int):
        blob = holder.setdefault("blob", bytes(packed[:size]))

        def run() -> bytes:
            if not h.h0_decompress(blob, len(blob), out, len(data)):
                raise RuntimeError("Huff0 failed to decompress")
            return out

        return run

    return _bench._ready(coder, data, encode, decode_of, size_of=lambda size: size,
                         as_bytes=lambda o: bytes(o[: len(data)]))


def main(argv: list[str]) -> int:
    import prefixcode as pc

    if why := load():
        print(f"Huff0 cannot run here: {why}", file=sys.stderr)
        return 1
    corpus = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    paths = [Path(a) for a in argv] or sorted(
        p for p in corpus.iterdir() if p.is_file() and p.name not in ("README.md", "LICENSE"))
    print("| file | Huff0 ns/B | prefixcode ns/B | prefixcode / Huff0 speed | Huff0 bytes "
          "| prefixcode bytes |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    total_h = total_p = total_n = 0.0
    for path in paths:
        data = path.read_bytes()
        if not data:
            continue
        job = prepare(NAME, data)
        blob = pc.compress(data, threads=1)
        out = bytearray(len(data))
        best_h = best_p = float("inf")
        for _ in range(30):
            t0 = time.perf_counter()
            job.decode()
            t1 = time.perf_counter()
            pc.decompress_into(blob, out)
            t2 = time.perf_counter()
            best_h, best_p = min(best_h, t1 - t0), min(best_p, t2 - t1)
        assert out == data
        total_h, total_p, total_n = total_h + best_h, total_p + best_p, total_n + len(data)
        print(f"| {path.name} | {best_h / len(data) * 1e9:.3f} | {best_p / len(data) * 1e9:.3f} | "
              f"{best_h / best_p:.2f}x | {int(job.size):,} | {len(blob):,} |")
    print(f"| all | {total_h / total_n * 1e9:.3f} | {total_p / total_n * 1e9:.3f} | "
          f"{total_h / total_p:.2f}x | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

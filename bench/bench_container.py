"""Speed of prefixcode's container against zlib's Huffman-only mode, on the corpus.

Usage: python bench/bench_container.py [--repeat N] [--big K] [FILES...]

Reports aggregate MB/s (input bytes per second) for compress and decompress with 1 and
2 threads, and for zlib Z_HUFFMAN_ONLY (level 9, window 15, memLevel 8). ``--big K``
also times the whole corpus concatenated K times (one large input), where threads pay.
"""

from __future__ import annotations

import argparse
import time
import zlib
from pathlib import Path

import prefixcode as pc

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _zlib_huff(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY)
    return c.compress(data) + c.flush()


def measure(files: list[bytes], repeat: int) -> dict[str, float]:
    total = sum(len(d) for d in files)
    blobs = [pc.compress(d) for d in files]
    zblobs = [_zlib_huff(d) for d in files]
    mb = total / 1e6
    res = {
        "zlib enc": mb / _best(lambda: [_zlib_huff(d) for d in files], repeat),
        "zlib dec": mb / _best(lambda: [zlib.decompress(z) for z in zblobs], repeat),
    }
    for t in (1, 2):
        res[f"pfx enc t{t}"] = mb / _best(lambda t=t: [pc.compress(d, threads=t) for d in files], repeat)
        res[f"pfx dec t{t}"] = mb / _best(lambda t=t: [pc.decompress(b, threads=t) for b in blobs], repeat)
    res["size pfx"] = sum(len(b) for b in blobs)
    res["size zlib"] = sum(len(z) for z in zblobs)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--big", type=int, default=0)
    args = ap.parse_args()
    paths = args.files or sorted(p for p in CORPUS.iterdir() if p.name not in ("README.md", "LICENSE"))
    files = [p.read_bytes() for p in paths]
    pc.decompress(pc.compress(files[0]))  # compile / load the kernels
    res = measure(files, args.repeat)
    print(f"corpus: {len(files)} files, {sum(map(len, files)) / 1e6:.2f} MB")
    for k, v in res.items():
        print(f"  {k:14s} {v:12.1f}")
    if args.big:
        big = b"".join(files) * args.big
        res = measure([big], max(1, args.repeat // 2))
        print(f"one input of {len(big) / 1e6:.1f} MB")
        for k, v in res.items():
            print(f"  {k:14s} {v:12.1f}")


if __name__ == "__main__":
    main()

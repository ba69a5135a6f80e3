"""Speed of prefixcode's container against zlib's Huffman-only mode, on the corpus.

Usage: python bench/bench_container.py [--repeat N] [--big K] [FILES...]

Times, interleaved in one run on the same data (best of N), compress and decompress
with 1 and 2 threads and zlib's Huffman-only mode (``zlib.compressobj(9,
zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY)``), file by file over the corpus and, with
``--big K``, on the whole corpus concatenated K times (one large input, where threads
pay). MB/s count input bytes of the original per second.
"""

from __future__ import annotations

import argparse
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import prefixcode as pc

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def _zlib_huff(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY)
    return c.compress(data) + c.flush()


def measure(files: list[bytes], repeat: int) -> dict[str, float]:
    """MB/s of each coder over `files` (best of `repeat` interleaved rounds), and sizes."""
    total = sum(len(d) for d in files)
    blobs = [pc.compress(d) for d in files]
    zblobs = [_zlib_huff(d) for d in files]
    runs: dict[str, Callable[[], object]] = {
        "zlib Huffman-only compress": lambda: [_zlib_huff(d) for d in files],
        "zlib Huffman-only decompress": lambda: [zlib.decompress(z) for z in zblobs],
    }
    for t in (1, 2):
        runs[f"prefixcode compress, {t} thread(s)"] = lambda t=t: [pc.compress(d, threads=t) for d in files]
        runs[f"prefixcode decompress, {t} thread(s)"] = lambda t=t: [
            pc.decompress(b, threads=t) for b in blobs
        ]
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, fn in runs.items():
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    res = {name: total / 1e6 / t for name, t in best.items()}
    res["container bytes"] = sum(len(b) for b in blobs)
    res["zlib bytes"] = sum(len(z) for z in zblobs)
    return res


def report(title: str, res: dict[str, float]) -> None:
    zc, zd = res["zlib Huffman-only compress"], res["zlib Huffman-only decompress"]
    print(f"\n{title}\n")
    print("| run | MB/s | vs zlib |")
    print("|---|---:|---:|")
    for name, v in res.items():
        if "bytes" in name:
            continue
        ref = zd if "decompress" in name else zc
        print(f"| {name} | {v:.0f} | {v / ref:.2f}x |")
    print(f"\nsizes: prefixcode {int(res['container bytes'])}, zlib {int(res['zlib bytes'])} bytes")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--big", type=int, default=0)
    args = ap.parse_args()
    paths = args.files or sorted(
        p for p in CORPUS.iterdir() if p.is_file() and p.name not in ("README.md", "LICENSE")
    )
    files = [p.read_bytes() for p in paths]
    pc.decompress(pc.compress(files[0]))  # load the compiled kernels
    title = f"{len(files)} files, {sum(map(len, files)) / 1e6:.2f} MB, file by file"
    report(title, measure(files, args.repeat))
    if args.big:
        big = b"".join(files) * args.big
        report(f"one input of {len(big) / 1e6:.1f} MB", measure([big], max(2, args.repeat // 2)))


if __name__ == "__main__":
    main()

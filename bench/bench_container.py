"""Speed of prefixcode's container against zlib's Huffman-only mode, on the corpus.

Usage: python bench/bench_container.py [--repeat N] [--big K] [FILES...]

Times, interleaved in one run on the same data (best of N), compress and decompress
with 1 and 2 threads and zlib's Huffman-only mode (``zlib.compressobj(9,
zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY)``), file by file over the corpus and, with
``--big K``, on the whole corpus concatenated K times (one large input, where threads
pay), followed by how two threads scale the bare kernels on the machine. MB/s count
input bytes of the original per second.
"""

from __future__ import annotations

import argparse
import time
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

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


def kernel_scaling(data: bytes, repeat: int) -> dict[str, float]:
    """How two threads scale the bare kernels on this machine (no allocation, no Python
    in the loop): the time of two jobs one after the other over the time of the same
    two jobs on two threads, best of `repeat`. For each of stream encoding and
    decoding, one job codes one 1 MiB block of `data` 16 times, in buffers of its own.
    A pure arithmetic loop shows what the cores give to code without memory traffic.
    The whole compress and decompress cannot scale better than their kernels do.
    """
    from prefixcode import _kernels as K

    block = np.frombuffer(data[: 1 << 20], dtype=np.uint8)
    lengths = K.limited_lengths(np.bincount(block, minlength=256), K.CODE_BITS, False)
    rcodes = K.reversed_codes(lengths)
    bufs = [np.zeros(2 * block.shape[0] + 64, dtype=np.uint8) for _ in range(2)]
    outs = [np.zeros(block.shape[0], dtype=np.uint8) for _ in range(2)]
    sizes = K.encode_streams(block, lengths, rcodes, bufs[0])
    K.encode_streams(block, lengths, rcodes, bufs[1])
    assert K.decode_streams(bufs[0], sizes, lengths, K.CODE_BITS, outs[0])

    def encode(i: int) -> None:
        for _ in range(16):
            K.encode_streams(block, lengths, rcodes, bufs[i])

    def decode(i: int) -> None:
        for _ in range(16):
            K.decode_streams(bufs[i], sizes, lengths, K.CODE_BITS, outs[i])

    def arithmetic(i: int) -> None:
        _spin(20_000_000)

    _spin(10)
    res = {}
    for name, job in (("stream encoding", encode), ("stream decoding", decode), ("arithmetic", arithmetic)):
        serial = parallel = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            job(0)
            job(1)
            serial = min(serial, time.perf_counter() - t0)
            with ThreadPoolExecutor(2) as pool:
                t0 = time.perf_counter()
                list(pool.map(job, (0, 1)))
                parallel = min(parallel, time.perf_counter() - t0)
        res[name] = serial / parallel
    return res


def _spin(n: int) -> int:
    from numba import njit

    global _spin_kernel
    if "_spin_kernel" not in globals():

        @njit(nogil=True)
        def _spin_kernel(n: int) -> int:
            x = 1
            for _ in range(n):
                x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFF
            return x

    return _spin_kernel(n)


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
        print("\ntwo threads against one, the bare kernels (the ceiling for the runs above):\n")
        for name, ratio in kernel_scaling(big, max(3, args.repeat // 2)).items():
            print(f"- {name}: {ratio:.2f}x")


if __name__ == "__main__":
    main()

"""Size and speed of each compression level on the corpus (docs/format.md, "Levels").

Usage: python bench/bench_levels.py [--repeat R] [FILES...]   (default: ../shared/corpus)

Every file is compressed on its own, in memory, on one thread, at each level 1..9;
sizes are the sum over the files (all headers counted; deterministic). Speeds are MB/s
of original bytes: a timing is N passes over all files in a row, and the best of R
rounds counts. Each round times every level once, in turn, starting one level later
than the round before, so that all levels see the same moments of a shared machine;
speeds are also given relative to level 6 (the default) of the same run, which is what
carries over from one machine or one moment to another. Decompression is timed too:
the decoder reads every level alike, but levels cut blocks differently.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import prefixcode as pc

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
LEVELS = list(range(1, 10))


def corpus_files(paths: list[str]) -> list[bytes]:
    found = [Path(a) for a in paths] or sorted(
        p for p in CORPUS.iterdir() if p.is_file() and p.name not in ("README.md", "LICENSE")
    )
    return [p.read_bytes() for p in found]


def pass_time(fn, files: list, number: int) -> float:
    """Seconds for one pass of `fn` over `files`: the mean of `number` passes in a row."""
    start = time.perf_counter()
    for _ in range(number):
        for item in files:
            fn(item)
    return (time.perf_counter() - start) / number


def measure(files: list[bytes], repeat: int, number: int) -> dict[int, dict[str, float]]:
    n = sum(map(len, files))
    blobs = {lv: [pc.compress(f, level=lv, threads=1) for f in files] for lv in LEVELS}
    for lv in LEVELS:  # every level writes what every decoder reads back
        assert [pc.decompress(b, threads=1) for b in blobs[lv]] == files, lv
    enc = {lv: float("inf") for lv in LEVELS}
    dec = {lv: float("inf") for lv in LEVELS}
    for r in range(repeat):
        for lv in LEVELS[r % 9 :] + LEVELS[: r % 9]:  # (each round starts one level later)
            encode = lambda f, lv=lv: pc.compress(f, level=lv, threads=1)  # noqa: E731
            enc[lv] = min(enc[lv], pass_time(encode, files, number))
            dec[lv] = min(dec[lv], pass_time(lambda b: pc.decompress(b, threads=1), blobs[lv], number))
    return {
        lv: {"bytes": sum(map(len, blobs[lv])), "enc": n / enc[lv] / 1e6, "dec": n / dec[lv] / 1e6}
        for lv in LEVELS
    }


def render(result: dict[int, dict[str, float]], n: int, count: int, repeat: int, number: int) -> str:
    base = result[6]
    lines = [
        f"{count} files, {n:,} bytes; one thread, in memory, best of {repeat} rounds of {number} "
        f"passes; {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "",
        "| level | corpus bytes | vs level 6 | compress MB/s | vs level 6 | decompress MB/s | vs level 6 |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for lv, r in result.items():
        lines.append(
            f"| {lv} | {r['bytes']:,} | {r['bytes'] / base['bytes']:.4f} | {r['enc']:.0f} | "
            f"{r['enc'] / base['enc']:.2f}x | {r['dec']:.0f} | {r['dec'] / base['dec']:.2f}x |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="files to measure (default: the corpus)")
    parser.add_argument("--repeat", type=int, default=18, help="rounds, the best counts (default 18)")
    parser.add_argument("--number", type=int, default=10,
                        help="passes over the files per timing, averaged (default 10)")
    args = parser.parse_args()
    files = corpus_files(args.files)
    for f in files:  # warm up: pages, caches, the decoder's tables
        pc.decompress(pc.compress(f, threads=1), threads=1)
    result = measure(files, args.repeat, args.number)
    print(render(result, sum(map(len, files)), len(files), args.repeat, args.number))


if __name__ == "__main__":
    main()

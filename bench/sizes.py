"""Container sizes on the corpus against zlib's Huffman-only mode and the order-0 bound.

Usage: python bench/sizes.py [FILES...]   (default: ../shared/corpus)

Prints the Markdown table of docs/format.md. The order-0 bound is n * H0 / 8 bytes,
H0 the entropy of the file's byte histogram; zlib is run as
``zlib.compressobj(9, zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY)``.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import numpy as np

import prefixcode as pc

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def order0_bound(data: bytes) -> float:
    """n * H0 / 8: the size of the best code for the file's byte histogram, in bytes."""
    if not data:
        return 0.0
    h = np.bincount(np.frombuffer(data, np.uint8), minlength=256)
    p = h[h > 0] / len(data)
    return float(-(p * np.log2(p)).sum() * len(data) / 8)


def zlib_huffman_only(data: bytes) -> int:
    c = zlib.compressobj(9, zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY)
    return len(c.compress(data) + c.flush())


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or sorted(
        p for p in CORPUS.iterdir() if p.is_file() and p.name not in ("README.md", "LICENSE")
    )
    rows = []
    tot = np.zeros(4)
    for path in paths:
        data = path.read_bytes()
        ours = len(pc.compress(data))
        z = zlib_huffman_only(data)
        bound = order0_bound(data)
        tot += (len(data), ours, z, bound)
        rows.append((path.name, len(data), ours, z, bound))
    rows.append(("**total**", *tot))
    print(
        "| file | bytes | prefixcode | zlib Huffman-only | order-0 bound "
        "| prefixcode / bound | zlib / bound |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, n, ours, z, bound in rows:
        cells = [name, int(n), int(ours), int(z), f"{bound:.0f}", f"{ours / bound:.4f}", f"{z / bound:.4f}"]
        print("| " + " | ".join(map(str, cells)) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])

"""prefixcode's numcodecs codec against numcodecs' Zlib, Zstd and Blosc, with and without a byte shuffle.

Usage: python bench/bench_zarr.py [--repeat N] [--no-huffman]

Needs the zarr extra (``pip install -e ".[zarr,dev]"``; matplotlib for the elevation data)
and, for its row, numcodecs-huffman (``pip install numcodecs-huffman``).

The arrays (say what they are, so the numbers can be judged):

* ``dem int16``: real data, the digital elevation model of the Jacksboro fault (Tennessee)
  that matplotlib ships as sample data, 344 x 403 heights in metres (236..1076), 277 KB;
* ``t2m float32``: a synthetic 2 m temperature grid on a 0.25 degree global mesh,
  721 x 1440: 288 K minus 30 K sin^2(latitude), a wave of 5 K over longitude, and
  Gaussian noise of 0.5 K (seed 14), 4.15 MB;
* ``t2m packed int16``: the same field packed as netCDF does, in units of 0.01 K
  (int16 with scale_factor 0.01, add_offset 273.15), 2.08 MB.

Each codec runs as zarr runs it, on one thread (``PrefixCodec(threads=1)``, Blosc with
``set_nthreads(1)``, no Blosc-internal shuffle), alone and behind
``numcodecs.Shuffle(elementsize=itemsize)``; the filter's time counts. Every output is
decoded and checked before it counts. Speeds are MB/s of the array's bytes (10^6 bytes),
the best of `--repeat` runs; sizes include every header. The last two rows of each table
are order-0 bounds, n * H0 / 8: of all the array's bytes under one code (a shuffle does
not change it; a coder whose code follows the data, block by block, can go below it), and
of each byte plane under its own code (what a shuffle lets a byte coder approach).
numcodecs-huffman is pure Python: it runs once, on the first
64 KiB of the array for its speed (its size is for the whole array), and codes whole
elements (16- or 32-bit symbols) unless the shuffle turns them into bytes.
"""

from __future__ import annotations

import argparse

import numcodecs
import numpy as np
from numcodecs import Blosc, Shuffle, Zlib, Zstd

import prefixcode as pc
from prefixcode import _bench
from prefixcode.numcodecs import PrefixCodec

try:  # an optional peer
    from numcodecs_huffman import HuffmanCodec
except ImportError:  # pragma: no cover
    HuffmanCodec = None


def dem() -> np.ndarray:
    from matplotlib import cbook

    return np.ascontiguousarray(cbook.get_sample_data("jacksboro_fault_dem.npz")["elevation"])


def t2m() -> np.ndarray:
    rng = np.random.default_rng(14)
    lat = np.radians(np.linspace(90, -90, 721))[:, None]
    lon = np.radians(np.arange(1440) * 0.25)[None, :]
    field = 288 - 30 * np.sin(lat) ** 2 + 5 * np.sin(3 * lon) * np.cos(lat) + rng.normal(0, 0.5, (721, 1440))
    return field.astype(np.float32)


def arrays() -> dict[str, np.ndarray]:
    t = t2m()
    return {
        "dem int16 (real)": dem(),
        "t2m float32 (synthetic)": t,
        "t2m packed int16 (synthetic)": np.round((t.astype(np.float64) - 273.15) / 0.01).astype(np.int16),
    }


def codecs() -> dict[str, numcodecs.abc.Codec]:
    numcodecs.blosc.set_nthreads(1)
    found = {
        "prefixcode": PrefixCodec(threads=1),
        "prefixcode -9": PrefixCodec(level=9, threads=1),
        "Zlib(1)": Zlib(level=1),
        "Zlib(6)": Zlib(level=6),
        "Zstd(3)": Zstd(level=3),
        "Blosc(lz4, 5)": Blosc(cname="lz4", clevel=5, shuffle=Blosc.NOSHUFFLE),
        "Blosc(zstd, 5)": Blosc(cname="zstd", clevel=5, shuffle=Blosc.NOSHUFFLE),
    }
    if HuffmanCodec is not None:
        found["numcodecs-huffman"] = HuffmanCodec()
    return found


def order0(data: bytes) -> float:
    return pc.entropy(data) * len(data) / 8 if data else 0.0


def run(a: np.ndarray, repeat: int, huffman: bool) -> list[tuple[str, str, int, float, float]]:
    shuffle = Shuffle(elementsize=a.itemsize)
    rows = []
    for name, codec in codecs().items():
        if name == "numcodecs-huffman" and not huffman:
            continue
        slow = name == "numcodecs-huffman"
        for filtered in (False, True):
            def enc(x: np.ndarray, codec=codec, filtered=filtered) -> bytes:
                return codec.encode(shuffle.encode(x) if filtered else x)

            def dec(blob: bytes, codec=codec, filtered=filtered) -> bytes:
                out = codec.decode(blob)
                return shuffle.decode(out) if filtered else out

            blob = enc(a)
            back = np.frombuffer(dec(blob), dtype=np.uint8)
            assert back.tobytes() == a.tobytes(), name
            part = a.reshape(-1)[: 65536 // a.itemsize] if slow else a
            part_blob = enc(part)
            n = part.nbytes / 1e6
            t_enc = _bench.best_of(lambda part=part: enc(part), 1 if slow else repeat)
            t_dec = _bench.best_of(lambda part_blob=part_blob: dec(part_blob), 1 if slow else repeat)
            rows.append((name, "shuffle" if filtered else "-", len(blob), n / t_enc, n / t_dec))
    planes = a.reshape(-1).view(np.uint8).reshape(-1, a.itemsize)
    rows.append(("order-0 bound, one code", "", round(order0(a.tobytes())), 0.0, 0.0))
    rows.append(("order-0 bound, a code per byte plane", "", round(sum(
        order0(planes[:, k].tobytes()) for k in range(a.itemsize))), 0.0, 0.0))
    return rows


def table(title: str, a: np.ndarray, rows: list) -> str:
    lines = [f"**{title}**, {a.shape[0]} x {a.shape[1]}, {a.nbytes:,} bytes", "",
             "| codec | filter | size (bytes) | ratio | encode MB/s | decode MB/s |",
             "|---|---|---:|---:|---:|---:|"]
    for name, filt, size, enc, dec in rows:
        speeds = ("", "") if not enc else (f"{enc:.1f}" if enc < 10 else f"{enc:.0f}",
                                           f"{dec:.1f}" if dec < 10 else f"{dec:.0f}")
        lines.append(f"| {name} | {filt} | {size:,} | {a.nbytes / size:.2f} | {speeds[0]} | {speeds[1]} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-huffman", action="store_true", help="leave numcodecs-huffman out")
    args = parser.parse_args()
    print(f"numcodecs {numcodecs.__version__}, prefixcode {pc.__version__}, one thread\n")
    for title, a in arrays().items():
        print(table(title, a, run(a, args.repeat, not args.no_huffman)))
        print()


if __name__ == "__main__":
    main()

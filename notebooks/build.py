"""Write the notebooks of this folder from the cells below and execute them in place.

Run from the repository root: ``python notebooks/build.py`` (needs nbformat, nbclient
and ipykernel, the ``dev`` extra). The notebooks are committed with their outputs; the
test suite (tests/test_notebooks.py) executes them again in a fresh kernel.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent

SETUP = """\
import matplotlib.pyplot as plt
import prefixcode as pc
from prefixcode import experiments, plotting

plt.rcParams["figure.dpi"] = 80"""

WEATHER = [
    ("md", """\
# The weather station

A station reports one of eight weather states. How many bits does a report need, and
where do the bits of a given code go? This notebook runs the course's experiment
through `prefixcode`'s analyzer: the entropy, four codes, and the split of every code's
wasted bits into **KL divergence** (coding for the wrong distribution) and **unused code
space** (an incomplete code).

A code with lengths l(x) implies q(x) = 2^-l(x); its average length is the cross-entropy
L = H(p, q), and

L - H(p) = KL(p || q^) + log2(1/K), with K = sum 2^-l(x) the Kraft sum and q^ = q / K."""),
    ("code", SETUP),
    ("code", """\
w = experiments.weather_station()
w"""),
    ("md", """\
The fixed 3-bit code wastes 0.77 bits per report; the course's code 00 01 100 101 1100
1101 11100 11101 needs 2.42 bits, and Huffman's code 2.33, against an entropy of 2.23.
The course's code is **incomplete** (Kraft sum 0.9375): 0.093 of its 0.191 wasted bits
pay for code space it never uses."""),
    ("code", """\
w["course code"]"""),
    ("code", """\
plotting.code_tree(w.codes["course code"], p=w.climate, title="the course's code (Kraft sum 0.9375)");"""),
    ("md", """\
The dashed branch `1111` is unused: no codeword starts with it, so the code pays for
code space it never uses. Huffman's code fills the whole tree (its Kraft sum is 1):"""),
    ("code", """\
plotting.code_tree(w.codes["Huffman"], title="Huffman's code for the climate (2.33 bits)");"""),
    ("md", """\
## Where the wasted bits go

Stacked bars: the blue part is KL(p || q^), the orange part log2(1/K). On the reversed
climate p = .01 .01 .04 .04 .10 .10 .35 .35 the course's code needs 4.58 bits: the
course's "KL", L - H(p) = 2.351, is almost all wrong-distribution cost."""),
    ("code", """\
plotting.waste_bars(w.comparison);"""),
    ("code", """\
rev = w["course code, reversed climate"]
print(f"L = {rev.average_length:.2f}, H = {rev.entropy:.2f}, KL as taught L - H = {rev.wasted:.6f}")
print(f"  = KL(p || q^) {rev.kl:.4f} + unused space {rev.unused_space:.4f}")"""),
    ("code", """\
plotting.lengths_vs_surprisal(w.comparison);"""),
    ("md", """\
## Two states: the binary entropy function

A 50/50 forecast carries 1 bit. With 75% sun and 25% rain, "rain" carries 2 bits,
"sun" 0.415 bits, and the forecast on average h(0.25) = 0.811 bits."""),
    ("code", """\
experiments.binary_entropy_function()"""),
    ("code", """\
plotting.binary_entropy_curve();"""),
    ("md", """\
## Cross-entropy as a loss

With one-hot truth the cross-entropy is the surprisal of the true class. Minimising
cross-entropy, KL and negative log-likelihood picks the same model: the empirical
frequencies."""),
    ("code", """\
loss = experiments.classification_loss()
loss"""),
    ("code", """\
plotting.loss_curves(loss.curves);"""),
    ("md", "The course's natural-log examples: H(P, Q) = H(P) + KL(P || Q), in nats."),
    ("code", """\
experiments.nats_examples()"""),
    ("md", "The worked numbers, checked:"),
    ("code", """\
course, huff = w["course code"], w["Huffman"]
assert round(course.entropy, 2) == 2.23 and round(w["fixed 3-bit"].average_length, 2) == 3.00
assert round(course.average_length, 2) == 2.42 and course.kraft_sum == 0.9375
assert round(course.unused_space, 3) == 0.093 and round(huff.average_length, 2) == 2.33
assert round(rev.average_length, 2) == 4.58 and round(rev.wasted, 2) == 2.35
assert abs(course.wasted - (course.kl + course.unused_space)) < 1e-12
assert w.codes["course code"].implied_distribution()["sunny"] == 0.25
assert set(loss.argmins.values()) == {loss.empirical}
print("all worked numbers reproduced")"""),
]

EFFICIENCY = [
    ("md", """\
# Coding efficiency

The classic constructions on one source, how Huffman's algorithm merges, the bounds
every optimal code meets, and extension codes that approach the entropy."""),
    ("code", SETUP),
    ("code", """\
c = experiments.constructions()
c"""),
    ("md", """\
Shannon's code (lengths ceil(-log2 p)) and the Shannon-Fano-Elias code (one bit more)
have almost no KL: their lengths follow -log2 p closely. What they waste is **unused
code space**: their Kraft sums are 0.70 and 0.35. Huffman's code and Fano's split waste
no space at all here. The ternary Huffman code counts log2 3 = 1.585 bits per digit."""),
    ("code", """\
plotting.waste_bars(c, title="the waste of each construction");"""),
    ("code", """\
plotting.lengths_vs_surprisal([c["Shannon"], c["Shannon-Fano-Elias"], c["Huffman"]]);"""),
    ("md", """\
## Huffman's merges

Each step merges the two lightest nodes; the order of merges is the tree, bottom up."""),
    ("code", """\
p = experiments.weather_station().climate
for step in pc.huffman_trace(p):
    print(step)"""),
    ("code", """\
plotting.code_tree(pc.huffman(p, arity=3), title="ternary Huffman code");"""),
    ("md", """\
## Bounds

Every optimal code has H <= L < H + 1. Gallager (1978) tightened the upper end:
L - H <= p_max + 0.086 when p_max < 1/2, and L - H <= 2 - p_max - h(p_max) otherwise."""),
    ("code", """\
sources = {
    "weather": p,
    "uniform 8": [1] * 8,
    "dyadic": [0.5, 0.25, 0.125, 0.125],
    "skewed": [0.9, 0.05, 0.05],
    "two states": [0.75, 0.25],
}
rows = []
for name, src in sources.items():
    r = pc.analyze(src, pc.huffman(src))
    assert r.within_bounds and r.wasted <= r.gallager_bound + 1e-12
    rows.append((name, r.entropy, r.average_length, r.wasted, r.p_max, r.gallager_bound))
from prefixcode.analysis import Table
Table("Huffman's waste against Gallager's bound (bits)",
      ("source", "H", "L", "L - H", "p_max", "Gallager bound"), tuple(rows))"""),
    ("md", """\
## Extension codes

Coding blocks of n symbols at once spreads the rounding loss of at most one bit over n
symbols: H <= L_n / n < H + 1/n."""),
    ("code", """\
ext = experiments.extension_codes([0.9, 0.1], k=6)
ext"""),
    ("code", """\
plotting.convergence(ext);"""),
    ("code", """\
h = pc.entropy([0.9, 0.1])
assert all(h - 1e-12 <= ln < h + 1 / n for n, ln in zip(ext.column("n"), ext.column("L_n/n")))
assert round(c["Huffman"].average_length, 2) == 2.33
print("bounds hold")"""),
]

MESSAGES = [
    ("md", """\
# Compressing real messages

Four short texts from `data/` (excerpts of the Canterbury corpus and a list of web
addresses; see `data/README.md`): compress them, see how close a byte-wise prefix code
comes to the order-0 entropy, and what a code trained on the wrong text costs."""),
    ("code", SETUP),
    ("code", """\
names = ["alice.txt", "asyoulik.txt", "paradise_lost.txt", "urls.txt"]
texts = {n: pc.datasets.load_bytes(n) for n in names}
rows = []
for n, data in texts.items():
    blob = pc.compress(data)
    assert pc.decompress(blob) == data
    r = pc.analyze_message(data)
    rows.append((n, len(data), len(blob), 8 * len(blob) / len(data), r.entropy, r.average_length))
from prefixcode.analysis import Table
Table("compressed with pc.compress (bits per byte; the container includes its code tables)",
      ("text", "bytes", "compressed", "bits/byte", "H (order 0)", "Huffman L"), tuple(rows))"""),
    ("md", """\
## A prefix code at work

`pc.encode` writes the codewords one after another; `pc.decode` reads them back."""),
    ("code", """\
code = pc.huffman("abracadabra")
bits = pc.encode("abracadabra", code)
print(code)
print(bits.to01(), len(bits), "bits")
assert "".join(pc.decode(bits, code)) == "abracadabra\""""),
    ("md", """\
## Where the bits of a text go

The analyzer on Alice: entropy, the Huffman code of its bytes, and each symbol's share
of the waste, p(x) (l(x) + log2 p(x)); the shares sum to L - H."""),
    ("code", """\
alice = pc.analyze_message(texts["alice.txt"], name="alice.txt")
alice"""),
    ("code", """\
plotting.lengths_vs_surprisal(alice, title="alice.txt: Huffman lengths against -log2 p");"""),
    ("md", """\
## The wrong code

A code trained on one text and used on another wastes about KL(test || train) bits per
byte more than the text's own code: under a tenth of a bit between Alice and Milton, a
third of a bit against the layout of a play, two to three bits between prose and web
addresses."""),
    ("code", """\
mm = experiments.mismatched_texts(names)
mm"""),
    ("code", """\
fig, ax = plt.subplots(figsize=(5.5, 4.2), layout="constrained")
kl, waste = mm.column("KL(test||train)"), mm.column("L - H")
web = ["urls.txt" in (tr, te) for tr, te in zip(mm.column("train"), mm.column("test"))]
groups = ((False, "English text <-> English text", "o"), (True, "text <-> web addresses", "s"))
for flag, label, marker in groups:
    pts = [(x, y) for x, y, f in zip(kl, waste, web) if f == flag]
    ax.loglog([x for x, _ in pts], [y for _, y in pts], marker, label=label)
lim = [min(kl) / 2, max(waste) * 2]
ax.plot(lim, lim, color="0.5", lw=1, label="waste = KL")
ax.set_xlabel("KL(test || train)  (bits per byte)")
ax.set_ylabel("waste L - H(test)  (bits per byte)")
ax.set_title("the waste of a mismatched code follows the KL")
ax.legend(fontsize=8)
ax.grid(alpha=0.3);"""),
    ("code", """\
for row in mm.rows:
    assert row[4] >= row[3] - 1e-12          # a text's own Huffman code is never beaten
    assert abs(row[5] - (row[7] + row[8])) < 1e-9
print("checked")"""),
]

ZARR_DASK = [
    ("md", """\
# A real array in zarr, on a Dask cluster

prefixcode where array data lives: a **digital elevation model** written to a zarr store
through `prefixcode.zarr.PrefixCodec`, with and without a byte shuffle in front; its size
and speed beside numcodecs' Zlib and Zstd and numcodecs-huffman; then the same array as a
Dask array, written and read back by the worker processes of a local cluster, and its
byte histogram computed where the chunks are, for `pc.huffman` and `pc.analyze`.

The array is real data: the elevation model of the Jacksboro fault (Tennessee) that
matplotlib ships as sample data, 344 x 403 heights in metres, stored as int16 (the
array `bench/bench_zarr.py` measures as "dem int16"). This notebook needs the `zarr`
and `dask` extras (`pip install "prefixcode[zarr,dask]"`); numcodecs-huffman
(`pip install numcodecs-huffman`) is optional, and left out of the table without it."""),
    ("code", """\
import json
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numcodecs
import numpy as np
import zarr
from matplotlib import cbook
from matplotlib.colors import ListedColormap
from zarr.codecs.numcodecs import Shuffle

import prefixcode as pc
import prefixcode.numcodecs
import prefixcode.zarr
from prefixcode.analysis import Table

try:  # optional
    from numcodecs_huffman import HuffmanCodec
except ImportError:
    HuffmanCodec = None

plt.rcParams["figure.dpi"] = 80
dem = np.ascontiguousarray(cbook.get_sample_data("jacksboro_fault_dem.npz")["elevation"])
print(f"{dem.shape[0]} x {dem.shape[1]} {dem.dtype}, {dem.nbytes:,} bytes, "
      f"heights {dem.min()}..{dem.max()} m, {len(np.unique(dem))} distinct")"""),
    ("code", """\
land = ListedColormap(plt.cm.terrain(np.linspace(0.25, 1, 256)))  # terrain's colours, no sea
fig, ax = plt.subplots(figsize=(5.5, 4.2), layout="constrained")
im = ax.imshow(dem, cmap=land)
fig.colorbar(im, ax=ax, label="height (m)")
ax.set_title("the Jacksboro fault elevation model (int16)")
ax.set_axis_off();"""),
    ("md", """\
## Into a zarr store, and back

Two zarr v3 arrays of 2 x 2 chunks in a temporary directory: one with `PrefixCodec` as
its compressor, one with numcodecs' byte `Shuffle` before it (`Shuffle(elementsize=2)`
puts the low bytes of all heights first, then the high bytes, so each gets blocks, and
codes, of its own). Every chunk file is one .pfx container (it starts with `PFXC`, and
`prefixcode decompress` reads it). zarr warns that numcodecs' codecs are outside the v3
specification; that warning is silenced here."""),
    ("code", """\
warnings.filterwarnings("ignore", "Numcodecs codecs are not in the Zarr version 3 specification")
work = Path(tempfile.mkdtemp(prefix="zarr-and-dask-"))
layouts = {
    "prefixcode": [prefixcode.zarr.PrefixCodec(level=6)],
    "shuffle + prefixcode": [Shuffle(elementsize=dem.itemsize), prefixcode.zarr.PrefixCodec(level=6)],
}
stored = {}
for name, compressors in layouts.items():
    path = work / f"{name.replace(' + ', '-')}.zarr"
    z = zarr.create_array(store=str(path), shape=dem.shape, chunks=(172, 202), dtype=dem.dtype,
                          compressors=compressors)
    z[:] = dem
    back = zarr.open_array(str(path))[:]               # a fresh handle: read from the files
    assert back.dtype == dem.dtype and back.tobytes() == dem.tobytes()
    files = [p for p in (path / "c").rglob("*") if p.is_file()]
    assert len(files) == 4 and all(p.read_bytes()[:4] == b"PFXC" for p in files)
    stored[name] = sum(p.stat().st_size for p in files)
    print(f"{name:22} {len(files)} chunk files, {stored[name]:,} bytes "
          f"(ratio {dem.nbytes / stored[name]:.2f}), read back: every byte equal")
print(json.dumps(json.loads((path / "zarr.json").read_text())["codecs"]))"""),
    ("md", """\
The shuffle saves about 14% here. `zarr.json` names the codec `prefixcode` with its level,
so zarr finds it again through its entry point on any machine where prefixcode is
installed.

## Beside numcodecs' codecs

The same array, whole, through each codec's numcodecs interface on one thread (zarr and
Dask already run chunks in parallel), alone and behind `numcodecs.Shuffle`; the filter's
time counts. Every output is decoded and checked. Sizes include every header; speeds are
MB/s of the array's bytes (10^6 bytes), the best of 5 runs, on a shared machine, so read
them to within tens of percent. **numcodecs-huffman** is pure Python and slow: it is timed
once, on a slice (the first 64 KiB of the array); its size and its check are for the whole
array. The last two rows are order-0 bounds, n H0 / 8 bytes: all the bytes under one code,
and each byte plane (low bytes, high bytes) under a code of its own."""),
    ("code", """\
codecs = {
    "prefixcode": prefixcode.numcodecs.PrefixCodec(level=6, threads=1),
    "Zlib(1)": numcodecs.Zlib(level=1),
    "Zlib(6)": numcodecs.Zlib(level=6),
    "Zstd(3)": numcodecs.Zstd(level=3),
}
if HuffmanCodec is not None:
    codecs["numcodecs-huffman"] = HuffmanCodec()
shuffle = numcodecs.Shuffle(elementsize=dem.itemsize)
piece = dem.reshape(-1)[: 65536 // dem.itemsize]      # numcodecs-huffman's timing slice


def best_of(fn, arg, repeat):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(arg)
        best = min(best, time.perf_counter() - t0)
    return best


def mbs(nbytes, seconds):
    rate = nbytes / 1e6 / seconds
    return f"{rate:.1f}" if rate < 10 else f"{rate:.0f}"


def order0(data):
    return pc.entropy(data) * len(data) / 8


def through(codec, filtered):
    # encode and decode, alone or behind the shuffle
    if not filtered:
        return codec.encode, codec.decode
    return (lambda x: codec.encode(shuffle.encode(x)), lambda b: shuffle.decode(codec.decode(b)))


rows, sizes, speeds = [], {}, {}
for name, codec in codecs.items():
    for filtered in (False, True):
        enc, dec = through(codec, filtered)
        blob = enc(dem)
        assert np.frombuffer(dec(blob), dtype=dem.dtype).tobytes() == dem.tobytes(), name
        slow = name == "numcodecs-huffman"
        a = piece if slow else dem
        t_enc = best_of(enc, a, 1 if slow else 5)
        t_dec = best_of(dec, enc(a), 1 if slow else 5)
        sizes[name, filtered] = len(blob)
        speeds[name, filtered] = (a.nbytes / 1e6 / t_enc, a.nbytes / 1e6 / t_dec)
        rows.append((name + (" (speed: 64 KiB)" if slow else ""), "shuffle" if filtered else "-",
                     f"{len(blob):,}", f"{dem.nbytes / len(blob):.2f}",
                     mbs(a.nbytes, t_enc), mbs(a.nbytes, t_dec)))
planes = dem.reshape(-1).view(np.uint8).reshape(-1, dem.itemsize)
bounds = {
    "order-0 bound, one code": order0(dem.tobytes()),
    "order-0 bound, a code per byte plane": sum(order0(planes[:, k].tobytes()) for k in range(dem.itemsize)),
}
for name, size in bounds.items():
    rows.append((name, "", f"{size:,.0f}", f"{dem.nbytes / size:.2f}", "", ""))
Table(f"the elevation model, {dem.nbytes:,} bytes, one thread per codec",
      ("codec", "filter", "size (bytes)", "ratio", "encode MB/s", "decode MB/s"), tuple(rows))"""),
    ("code", """\
fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
names = list(codecs)
y = np.arange(len(names))
bars = ((-0.2, False, "#9ecae1", "alone"), (0.2, True, "#2171b5", "behind a shuffle"))
for dy, filtered, color, label in bars:
    kb = [sizes[n, filtered] / 1e3 for n in names]
    ax.barh(y + dy, kb, height=0.4, color=color, label=label)
    for yi, v in zip(y + dy, kb):
        ax.text(v + 2, yi, f"{v:.0f}", va="center", fontsize=8)
for (name, size), style in zip(bounds.items(), ("--", ":")):
    ax.axvline(size / 1e3, color="0.3", ls=style, lw=1, label=name)
ax.axvline(dem.nbytes / 1e3, color="0.6", lw=1, label="the raw array")
ax.set_yticks(y, names)
ax.invert_yaxis()
ax.set_xlim(0, dem.nbytes / 1e3 * 1.05)
ax.set_xlabel("compressed size (kB)")
ax.set_title("the elevation model, 277 kB, in each codec")
ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5));"""),
    ("code", """\
p0, p1 = sizes["prefixcode", False], sizes["prefixcode", True]
print(f"the shuffle makes prefixcode's output {1 - p1 / p0:.0%} smaller")
print(f"behind it, prefixcode is {p1 / bounds['order-0 bound, a code per byte plane'] - 1:.1%} "
      "above the per-plane bound")
best = min(sizes, key=sizes.get)
print(f"smallest: {best[0]}{' behind a shuffle' if best[1] else ''}, {sizes[best]:,} bytes")
for other in ("Zlib(1)", "Zlib(6)", "Zstd(3)"):
    e = speeds["prefixcode", True][0] / speeds[other, True][0]
    d = speeds["prefixcode", True][1] / speeds[other, True][1]
    print(f"behind a shuffle, prefixcode encodes {e:.1f}x and decodes {d:.1f}x as fast as {other}")
assert p1 < 0.9 * p0"""),
    ("md", """\
What it shows: prefixcode codes bytes with an order-0 code per block, so without the
shuffle it cannot tell a high byte from a low one and sits at the one-code bound; behind
the shuffle it comes within about 2% of the per-plane bound. The LZ coders (Zlib, Zstd)
also model repeats, which an order-0 code cannot, and are 10-12% smaller behind the
same shuffle; prefixcode encodes several times as fast as Zlib, while Zstd(3) behind a
shuffle encodes about as fast and decodes faster. numcodecs-huffman codes whole 16-bit
elements, one code for the 817 distinct heights: as small as prefixcode behind a
shuffle, but two to three orders of magnitude slower (and larger behind a shuffle,
which turns its symbols into bytes).

## A Dask array on a cluster of two processes

A `LocalCluster` of two worker processes (one thread each) on 127.0.0.1, no dashboard.
The Dask array of 4 x 4 chunks is written to zarr through the codec by the workers, and
read back by them; the workers find `prefixcode` from `zarr.json` through the entry
point. The cluster stays up for the histogram below and is closed in the last cell."""),
    ("code", """\
import dask.array as da
from distributed import Client, LocalCluster

from prefixcode.dask import histogram

cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                       dashboard_address=None)
client = Client(cluster)
pids = sorted(client.run(os.getpid).values())
assert len(pids) == 2 and os.getpid() not in pids
print(f"{len(pids)} worker processes, pids {pids} (this kernel: {os.getpid()})")"""),
    ("code", """\
x = da.from_array(dem, chunks=(86, 101))                                   # 4 x 4 chunks
path = work / "dem-dask.zarr"
da.to_zarr(x, str(path), compressors=[Shuffle(elementsize=2), prefixcode.zarr.PrefixCodec()])
back = da.from_zarr(str(path))                                             # read lazily
got = back.compute()                                                       # by the workers
assert got.dtype == dem.dtype and got.shape == dem.shape
assert got.tobytes() == dem.tobytes()                                      # every byte
assert bool((back == x).all().compute())
files = [p for p in (path / "c").rglob("*") if p.is_file()]
assert len(files) == 16 and all(p.read_bytes()[:4] == b"PFXC" for p in files)
print(f"{back.npartitions} chunks, {len(files)} .pfx files, {sum(p.stat().st_size for p in files):,} bytes; "
      f"all {dem.nbytes:,} bytes read back equal")"""),
    ("md", """\
## The histogram of its bytes, where the chunks are

`prefixcode.dask.histogram` counts each chunk on the worker that holds it and adds the
counts up in a tree, so only counts travel. The int16 chunks are viewed as bytes
(little-endian: low byte, high byte). The result is an ordinary `pc.Distribution`:
`pc.huffman` builds its code and `pc.analyze` reports where that code's bits go."""),
    ("code", """\
as_bytes = back.map_blocks(lambda b: b.view(np.uint8), dtype=np.uint8,
                           chunks=(back.chunks[0], tuple(2 * c for c in back.chunks[1])))
d = histogram(as_bytes)
assert d.counts.tolist() == pc.histogram(dem.tobytes()).tolist()
code = pc.huffman(d)
report = pc.analyze(d, code, name="Huffman code of the elevation model's bytes")
report"""),
    ("code", """\
n = dem.nbytes
print(f"order-0 entropy H0 = {report.entropy:.4f} bits/byte; Huffman L = {report.average_length:.4f}")
print(f"order-0 bound n H0 / 8          {n * report.entropy / 8:>9,.0f} bytes")
print(f"one Huffman code, n L / 8       {n * report.average_length / 8:>9,.0f} bytes (without its table)")
print(f"prefixcode, whole array         {sizes['prefixcode', False]:>9,} bytes (a code per block)")
planes = {k: histogram(back.map_blocks(lambda b, k=k: b.view(np.uint8)[..., k::2], dtype=np.uint8))
          for k in (0, 1)}
h = {k: pc.entropy(planes[k]) for k in planes}
per_plane = dem.size * (h[0] + h[1]) / 8
print(f"low bytes H = {h[0]:.3f}, high bytes H = {h[1]:.3f} bits: per-plane bound {per_plane:>9,.0f} bytes")
print(f"prefixcode behind a shuffle     {sizes['prefixcode', True]:>9,} bytes")
assert abs(n * report.entropy / 8 - bounds["order-0 bound, one code"]) < 1e-6 * n
assert abs(per_plane - bounds["order-0 bound, a code per byte plane"]) < 1e-6 * n
assert report.entropy <= report.average_length < report.entropy + 1"""),
    ("md", """\
One code for all the bytes cannot do better than H0, about 5.6 bits a byte; the high
bytes of heights between 236 and 1076 m take five values and the low bytes almost all
256, so a code for each plane needs much less, and that is what the shuffle lets
prefixcode's per-block codes reach.

Finally the cluster is closed and the temporary stores removed."""),
    ("code", """\
client.close()
cluster.close()
shutil.rmtree(work)
print("cluster closed:", cluster.status.name, "- stores removed:", not work.exists())"""),
]

CLOSE = [
    ("md", """\
# How close to the entropy?

A Huffman code is the best *prefix code* for a source, yet it can waste up to a bit per
symbol: every codeword is a whole number of bits. This notebook puts one message at a
time through every coder of `prefixcode` and measures, from the real bitstreams, how
close each comes to the message's entropy:

* **fixed-length**, **Shannon** and **Huffman** codes for the message's own counts;
* **block Huffman**: Huffman's code for blocks of n = 2 and 3 symbols;
* **adaptive Huffman** (FGK and Vitter's algorithm Lambda): one pass, no table, the code
  learns the counts as it goes;
* **arithmetic coding**: the whole message as one number, no whole bit per symbol;
* **context codes** of order 1 and 2: a Huffman code for each context of the 1 or 2
  symbols before.

`pc.compare_message` encodes the message with each coder, decodes the stream and checks
it, and adds what a decoder must also be told, **the table** (the code lengths, block
list, frequencies or context codes, counted by the rule its docstring states). The
yardsticks are the empirical entropies of the message: H_0 (symbol counts), H_1 and H_2
(a symbol given the 1 or 2 before it)."""),
    ("code", SETUP + """
import numpy as np"""),
    ("md", """\
## 1. The weather station

Eight weather states with the course's climate p = .35 .35 .10 .10 .04 .04 .01 .01,
H(p) = 2.229 bits. A message of 20,000 reports sampled from it (seed 15), each report
independent of the others."""),
    ("code", """\
climate = experiments.weather_station().climate
rng = np.random.default_rng(15)
states = np.array(climate.symbols, dtype=object)
weather = rng.choice(states, size=20_000, p=climate.probs).tolist()
print(weather[:6], "...")
w = pc.compare_message(weather, title="20,000 weather reports")
w"""),
    ("code", """\
plotting.bits_per_symbol(w);"""),
    ("md", """\
Huffman is 0.10 bits above H_0 here: its whole-bit lengths cannot follow
-log2 p = 1.51 1.51 3.32 3.32 4.64 4.64 6.64 6.64. Arithmetic coding gets to H_0 within
0.0001 bits of payload, plus a frequency table of 168 bits for the whole message. Blocks
of two reports take Huffman two thirds of the way there, table included.

The reports are independent, so knowing the previous one does not help: H_1 and H_2 sit
on H_0, and a context code pays for a table per context and gains nothing. Block codes
of three reports even dip *below* H_0 in payload: 338 blocks counted on 6,667 blocks of
this very message fit its accidents, and their table costs more than that gain."""),
    ("md", """\
## 2. A skewed binary source: where Huffman wastes most

Two symbols with p = 0.9 and 0.1: H = h(0.1) = 0.469 bits. Huffman's code cannot do
better than one bit per symbol, whatever the probabilities: 0 and 1. The waste is
L - H = 0.53 bits per symbol, more than the information itself. Gallager's bound for
p_max >= 1/2, 2 - p_max - h(p_max) = 0.631, shows how bad it can get."""),
    ("code", """\
bits = (np.random.default_rng(9).random(20_000) < 0.1).astype(np.int64)   # 1 with p = 0.1
b = pc.compare_message(bits, title="20,000 symbols of a 0.9 / 0.1 source")
b"""),
    ("code", """\
plotting.bits_per_symbol(b);"""),
    ("md", """\
**Block codes** spread the rounding over n symbols: Huffman's code for pairs or triples
wastes at most one bit per *block*, so L_n / n < H + 1/n. On the true source (no table,
exact probabilities) the extension code `pc.block_code` gives:"""),
    ("code", """\
h = pc.binary_entropy(0.1)
for n in range(1, 7):
    ln = pc.block_code([0.9, 0.1], n).expected_length() / n
    print(f"n = {n}: L_n/n = {ln:.4f} bits, {ln - h:.4f} above H = {h:.4f}"
          f"   (bound H + 1/n = {h + 1 / n:.4f})")"""),
    ("md", """\
The blocks need 2^n table entries, and the gap shrinks only like 1/n. **Arithmetic
coding** closes it at once: it narrows an interval by the probability of each symbol and
writes the shortest number inside the final interval, so the whole message costs at most
about 2 bits more than sum -log2 p(x) (`ArithmeticCode.bound` states the exact bound,
with the loss of the 16-bit integer frequencies). Here its payload equals n H_0 to
within a few bits.

**Adaptive Huffman** is still a prefix code, and one with an extra leaf for "a new
symbol" that stays in its tree: the rare symbol costs two bits, so it needs 1.1 bits per
symbol. Context codes of order 1 and 2 are Huffman codes too, one per context; for an
independent source every context sees the same 0.9 / 0.1, and each still pays one bit."""),
    ("code", """\
code = b["arithmetic"]
h0, n = b.entropy(0), b.n_symbols
print(f"ones: {bits.mean():.4f} of the message, so its H_0 = h({bits.mean():.4f}) = {h0:.4f},"
      f" not h(0.1) = {h:.4f}")
print(f"arithmetic: {code.payload_bits} bits for {n} symbols; n H_0 = {n * h0:.1f}")
huff = b["huffman"]
print(f"Huffman: {huff.payload_bits} bits; waste {huff.payload_per_symbol - h0:.3f} bits/symbol")"""),
    ("md", """\
## 3. English text

The first chapters of *Alice's Adventures in Wonderland* (`alice.txt` of the package's
data, 23,993 bytes). Letters depend on the letters before them: H_1 is more than a bit
below H_0, H_2 another bit below that."""),
    ("code", """\
text = pc.datasets.load_bytes("alice.txt")
print(text[190:420].decode())
e = pc.compare_message(text, title="alice.txt")
e"""),
    ("code", """\
plotting.bits_per_symbol(e);"""),
    ("md", """\
Order-0 coders (Huffman, adaptive Huffman, arithmetic) all land near H_0 = 4.51 bits:
Huffman's waste is small when no symbol is very probable (Gallager: at most
p_max + 0.086 bits), and arithmetic coding can only remove that little. Adaptive Huffman
sends no table but pays while it learns; on 24,000 bytes the two costs are about equal.

To get below H_0 a coder must use the **context**. The context code of order 1 codes each
letter with a Huffman code for what follows the letter before it: its payload is 3.44
bits (H_1 = 3.40), and its 70 codes cost 0.46 bits per letter, 3.90 bits in all. Order 2
has a payload of 2.43 bits, close to H_2 = 2.35, but 881 contexts make its table cost 2.3
bits per letter: more than it saves on a text this short. Block codes are the same
story: blocks of three letters reach a payload of 3.34 bits, paid for with a table of
2,174 blocks. The longer the text, the smaller each table's share: the table is what
ties a model's order to the amount of data."""),
    ("md", """\
## 4. The entropy of a small sample is biased low

The empirical entropies above are *plug-in* estimates: the entropy of the counts of the
message itself. On a small sample they are too low: rare symbols are missed, and the
ones seen look more certain than they are. Miller and Madow's correction adds
(m - 1) / (2 n ln 2) bits for m observed symbols in n samples; Grassberger's and
Chao-Shen's estimators go further. A sample of 30 weather reports (its plug-in
estimate is close to the average one for this size, as the picture below shows):"""),
    ("code", """\
sample = np.random.default_rng(6).choice(8, size=30, p=climate.probs)
for method in ("plugin", "miller-madow", "chao-shen", "grassberger"):
    print(pc.entropy_estimate(sample, method=method, bootstrap=500, seed=1))
print(f"true entropy of the climate: {pc.entropy(climate):.4f} bits")"""),
    ("md", """\
One sample can land on either side of H, as the bootstrap intervals say; the bias shows
in the average over many. 400 samples of each size from the climate (H = 2.229 bits),
each estimated four ways:"""),
    ("code", """\
sizes = [10, 20, 30, 50, 100, 200, 500, 1000]
methods = ["plugin", "miller-madow", "chao-shen", "grassberger"]
rng = np.random.default_rng(27)
mean = {m: [] for m in methods}
for n in sizes:
    samples = rng.choice(8, size=(400, n), p=climate.probs)
    for m in methods:
        mean[m].append(np.mean([pc.entropy_estimate(s, method=m).estimate for s in samples]))
H = pc.entropy(climate)
fig, ax = plt.subplots(figsize=(6.5, 3.8), layout="constrained")
for m, marker in zip(methods, "osD^"):
    ax.semilogx(sizes, mean[m], marker=marker, label=m)
ax.axhline(H, color="0.2", ls="--", lw=1, label=f"H = {H:.3f}")
ax.set_xlabel("sample size n")
ax.set_ylabel("mean estimate (bits)")
ax.set_title("entropy estimates of the weather climate, mean of 400 samples")
ax.legend(fontsize=8)
ax.grid(alpha=0.3);
bias = ", ".join(f"n={n}: {v - H:+.3f}" for n, v in zip(sizes, mean["plugin"]))
print("mean bias of the plug-in:", bias)"""),
    ("md", """\
The plug-in estimate is a sixth of a bit low at n = 30 and still 0.05 bits low at
n = 100. Miller-Madow removes about half of that at n = 10 and most of it from n = 50 on;
Chao-Shen and Grassberger nearly all of it (Grassberger overshoots a little on the
smallest samples). The same bias is at work
in H_1 and H_2 of a short text: with 881 contexts of order 2 in 24,000 letters, many
contexts are seen a handful of times, and H_2 says more about this text than about
English. That is the table cost of section 3, seen from the other side."""),
    ("code", """\
assert abs(w.entropy(0) - pc.entropy(climate)) < 0.03
assert w["arithmetic"].payload_per_symbol < w.entropy(0) + 1e-3 < w["huffman"].payload_per_symbol
assert b["huffman"].payload_per_symbol == 1.0 and abs(h - 0.469) < 1e-3
assert b["block3"].payload_per_symbol < b["block2"].payload_per_symbol < 1.0
assert abs(b["arithmetic"].payload_per_symbol - b.entropy(0)) < 1e-3
assert e["context1"].bits_per_symbol < e.entropy(0) < e["huffman"].bits_per_symbol
assert e["context2"].table_bits > e["context1"].table_bits
assert all(v < H for v in mean["plugin"]) and mean["plugin"] == sorted(mean["plugin"])   # low, less so with n
assert all(abs(mean["miller-madow"][i] - H) < abs(mean["plugin"][i] - H) for i in range(5))  # n <= 100
print("checked")"""),
]

NOTEBOOKS = {
    "weather_station.ipynb": WEATHER,
    "coding_efficiency.ipynb": EFFICIENCY,
    "compress_messages.ipynb": MESSAGES,
    "zarr_and_dask.ipynb": ZARR_DASK,
    "close_to_entropy.ipynb": CLOSE,
}


def build(name: str, cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for kind, text in cells:
        cell = nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
        nb.cells.append(cell)
    for i, cell in enumerate(nb.cells):  # stable ids keep diffs small
        cell["id"] = f"{Path(name).stem[:12]}-{i:02d}"
    return nb


def main(names: list[str]) -> None:
    for name in names or list(NOTEBOOKS):
        nb = build(name, NOTEBOOKS[name])
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(HERE)}}).execute()
        nbformat.write(nb, HERE / name)
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main(sys.argv[1:])

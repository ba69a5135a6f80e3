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

NOTEBOOKS = {
    "weather_station.ipynb": WEATHER,
    "coding_efficiency.ipynb": EFFICIENCY,
    "compress_messages.ipynb": MESSAGES,
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

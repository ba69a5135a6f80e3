"""Pictures: each function draws what it promises (checked on the artists) and saves a PNG."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import prefixcode as pc
from prefixcode import experiments, plotting
from prefixcode.plotting import _tree_layout

CLIMATE = [0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]
COURSE = ["00", "01", "100", "101", "1100", "1101", "11100", "11101"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_tree_layout_is_top_down_and_ordered():
    code = pc.PrefixCode.from_codewords(dict(zip("abcdefgh", COURSE)))
    pos = _tree_layout(code.tree())
    leaves = sorted(COURSE)
    xs = [pos[w][0] for w in leaves]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)            # 0 left of 1, no overlap
    for node, (_x, y) in pos.items():
        assert y == -len(node)                                      # depth goes down
    assert pos["1"][0] == pytest.approx((pos["10"][0] + pos["11"][0]) / 2)   # parent centred


def _by_gid(fig, gid):
    return [t for ax in fig.axes for t in ax.texts if t.get_gid() == gid]


def test_code_tree_labels(tmp_path):
    w = pc.datasets.load("weather.json")
    code = pc.PrefixCode.from_codewords(dict(zip(w["states"], COURSE)))
    fig = plotting.code_tree(code, p=dict(zip(w["states"], CLIMATE)), title="the course code")
    texts = _texts(fig)
    tree_edges = code.tree().number_of_edges() + 1                 # and the unused branch 1111
    assert texts.count("0") + texts.count("1") == tree_edges        # digit on every edge
    symbols = [t.get_text() for t in _by_gid(fig, "symbol")]
    assert len(symbols) == 8 and symbols[0] == "sunny" and "partly\ncloudy" in symbols
    assert sorted(t.get_text() for t in _by_gid(fig, "codeword")) == sorted(COURSE)
    assert "p=0.35" in [t.get_text() for t in _by_gid(fig, "p")]
    out = tmp_path / "tree.png"
    fig.savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_code_tree_draws_the_unused_branch_dashed():
    code = pc.PrefixCode.from_codewords(dict(zip("abcdefgh", COURSE)))     # Kraft sum 0.9375
    fig = plotting.code_tree(code)
    dashed = [ln for ax in fig.axes for ln in ax.lines if ln.get_linestyle() not in ("-", "solid")]
    assert len(dashed) == 1                                        # the branch 1111, never used
    assert "unused\n1111" in _texts(fig)
    assert "1 unused branch dashed" in fig.axes[0].get_title()
    complete = plotting.code_tree(pc.huffman(CLIMATE))
    assert all(ln.get_linestyle() in ("-", "solid") for ax in complete.axes for ln in ax.lines)
    one = plotting.code_tree(pc.huffman({"x": 1}))                 # {x: '0'}: '1' unused
    assert "unused\n1" in _texts(one)
    assert not [t for t in _texts(plotting.code_tree(code, show_unused=False)) if "unused" in t]


def test_code_tree_tells_numeric_symbols_from_codewords():
    code = pc.huffman([0.1, 0.2, 0.3, 0.4])                         # symbols 0..3, codewords 0/1
    fig = plotting.code_tree(code)
    symbols = _by_gid(fig, "symbol")
    words = _by_gid(fig, "codeword")
    assert sorted(t.get_text() for t in symbols) == ["0", "1", "2", "3"]
    assert all(t.get_fontweight() == "bold" for t in symbols)
    assert all(t.get_color() == "tab:blue" and "Mono" in t.get_fontfamily()[0] for t in words)
    assert all(t.get_fontweight() != "bold" for t in words)


def test_code_tree_uses_the_source_and_labels_what_fits_when_crowded():
    code = pc.huffman({"a": 0.5, "b": 0.3, "c": 0.2})
    assert any("p=0.5" in t for t in _texts(plotting.code_tree(code)))
    big = pc.huffman(list(range(1, 101)))
    fig = plotting.code_tree(big, max_labels=40)
    labelled = _by_gid(fig, "symbol")
    assert 5 <= len(labelled) <= 40                                # was no label at all
    assert "99" in [t.get_text() for t in labelled]                 # the most probable first
    note = _by_gid(fig, "left-out")
    assert len(note) == 1 and f"{len(labelled)} of 100 codewords labelled" in note[0].get_text()
    assert f"{100 - len(labelled)} left out" in note[0].get_text()
    xs = sorted(t.get_position()[0] for t in labelled)
    assert min(b - a for a, b in itertools.pairwise(xs)) >= 1              # labels do not overlap
    tern = pc.huffman([0.3, 0.3, 0.2, 0.1, 0.1], arity=3)
    assert "2" in _texts(plotting.code_tree(tern))


def test_lengths_vs_surprisal_plots_each_code():
    t = pc.compare(CLIMATE, {"course": COURSE, "huffman": pc.huffman(CLIMATE)})
    fig = plotting.lengths_vs_surprisal(t)
    ax = fig.axes[0]
    assert len(ax.collections) >= 2
    labels = [h.get_label() for h in ax.get_legend().legend_handles]
    assert "course" in labels and "huffman" in labels
    assert "-log2 p" in ax.get_xlabel()
    with pytest.raises(pc.PrefixCodeError, match="reports"):
        plotting.lengths_vs_surprisal([1, 2])


def test_waste_bars_stack_kl_and_unused_space():
    w = experiments.weather_station()
    fig = plotting.waste_bars(w.comparison)
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == 8                                           # two segments per code
    kl = [b.get_height() for b in bars[:4]]
    unused = [b.get_height() for b in bars[4:]]
    assert kl == pytest.approx([r.kl for r in w.comparison])
    assert unused == pytest.approx([r.unused_space for r in w.comparison])
    assert [b.get_y() for b in bars[4:]] == pytest.approx(kl)       # stacked on the KL
    assert "2.351" in _texts(fig)


def test_bits_per_symbol_bars_and_entropy_lines(tmp_path):
    r = pc.compare_message("abracadabra" * 30, coders=["fixed", "huffman", "arithmetic", "context1"],
                           title="abracadabra")
    fig = plotting.bits_per_symbol(r)
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == 8                                           # payload + table per coder
    assert [b.get_width() for b in bars[:4]] == pytest.approx([row.payload_per_symbol for row in r])
    assert [b.get_width() for b in bars[4:]] == pytest.approx([row.table_per_symbol for row in r])
    assert [b.get_x() for b in bars[4:]] == pytest.approx([row.payload_per_symbol for row in r])
    lines = [line.get_xdata()[0] for line in ax.lines]
    assert lines == pytest.approx(list(r.entropies))                # H_0, H_1, H_2
    assert [t.get_text() for t in ax.get_yticklabels()] == [row.label for row in r]
    assert f"{r['huffman'].bits_per_symbol:.3f}" in _texts(fig)
    assert ax.get_title() == "abracadabra"
    fig.savefig(tmp_path / "bits.png")
    assert (tmp_path / "bits.png").read_bytes()[:4] == b"\x89PNG"


def test_bits_per_symbol_cuts_a_runaway_bar_and_refuses_other_reports():
    text = pc.datasets.load_bytes("alice.txt")[:300]
    r = pc.compare_message(text, coders=["huffman", "arithmetic", "context2"])
    fig = plotting.bits_per_symbol(r)
    ax = fig.axes[0]
    assert ax.get_xlim()[1] < r["context2"].bits_per_symbol            # the table of order 2 dwarfs the rest
    assert any(t.endswith(" >") for t in _texts(fig))
    with pytest.raises(pc.PrefixCodeError, match="MessageComparison"):
        plotting.bits_per_symbol(experiments.weather_station().comparison)


def test_convergence_binary_entropy_and_loss_curves():
    t = experiments.extension_codes([0.9, 0.1], k=4)
    fig = plotting.convergence(t)
    line = fig.axes[0].lines[0]
    assert list(line.get_ydata()) == pytest.approx(t.column("L_n/n"))
    fig = plotting.binary_entropy_curve()
    _x, y = fig.axes[0].lines[0].get_data()
    assert max(y) == pytest.approx(1.0) and y[0] == 0.0 and y[-1] == 0.0
    assert any("0.811" in s for s in _texts(fig))
    fig = plotting.loss_curves(experiments.classification_loss().curves)
    assert len(fig.axes[0].lines) == 4
    assert any("0.75" in h.get_label() for h in fig.axes[0].get_legend().legend_handles)


def test_draws_on_a_given_axes():
    fig, (a, b) = plt.subplots(1, 2)
    assert plotting.binary_entropy_curve(ax=a) is fig
    assert plotting.code_tree(pc.huffman([1, 1, 2]), ax=b) is fig


def test_a_labelled_tree_of_forty_leaves_gives_each_label_room():
    code = pc.huffman(list(range(1, 41)))
    fig = plotting.code_tree(code)
    assert fig.get_size_inches()[0] >= 0.75 * 40
    fig = plotting.code_tree(code, max_labels=10)  # partly labelled: the compact width
    assert fig.get_size_inches()[0] <= 18
    assert 1 <= len(_by_gid(fig, "symbol")) <= 10
    plt.close("all")

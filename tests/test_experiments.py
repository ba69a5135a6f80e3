"""The experiments: every number of WORKED_EXAMPLES.md that they show, and their claims."""

from __future__ import annotations

import math

import numpy as np
import pytest
from bitarray.util import huffman_code

import prefixcode as pc
from prefixcode import construct, experiments


def _needs(*names):
    missing = [n for n in names if not hasattr(construct, n)]
    return pytest.mark.skipif(bool(missing), reason=f"construct lacks {missing}")


def test_weather_station_numbers():
    w = experiments.weather_station()
    assert w.comparison.names == ("fixed 3-bit", "course code", "Huffman", "course code, reversed climate")
    assert [round(r.entropy, 2) for r in w.comparison] == [2.23] * 4
    assert [round(r.average_length, 2) for r in w.comparison] == [3.00, 2.42, 2.33, 4.58]
    course, rev = w["course code"], w["course code, reversed climate"]
    assert course.kraft_sum == 0.9375 and rev.kraft_sum == 0.9375
    assert round(course.unused_space, 3) == 0.093
    assert round(course.wasted, 3) == 0.191
    assert round(course.kl, 4) == 0.0979 and round(course.unused_space, 4) == 0.0931
    assert rev.wasted == pytest.approx(2.351028, abs=5e-7)
    assert round(rev.wasted, 2) == 2.35
    assert w["Huffman"].unused_space == 0.0 and w["fixed 3-bit"].unused_space == 0.0
    for r in w.comparison:
        assert r.wasted == pytest.approx(r.kl + r.unused_space, abs=1e-12)
    # the code tables are the course's
    assert list(w.codes["course code"].codewords.values()) == pc.datasets.load("weather.json")["course_code"]
    assert w.codes["course code"].implied_distribution()["sunny"] == 0.25
    text = str(w)
    for number in ("2.2290", "3.0000", "2.4200", "2.3300", "4.5800", "2.3510", "0.9375", "0.093"):
        assert number in text
    assert w.to_dict()["codes"]["Huffman"]["is_complete"] is True
    assert "<table>" in w._repr_html_()


@_needs("shannon", "shannon_fano", "shannon_fano_elias")
def test_constructions_on_the_weather_climate():
    c = experiments.constructions()
    assert c.names == ("fixed-length", "Shannon", "Shannon-Fano", "Shannon-Fano-Elias", "Huffman",
                       "Huffman, ternary")
    h = c["Huffman"].entropy
    best = c["Huffman"].average_length
    assert round(best, 2) == 2.33
    assert c["fixed-length"].average_length == pytest.approx(3.0)
    for r in c:
        assert r.wasted == pytest.approx(r.kl + r.unused_space, abs=1e-12)
        if r.arity == 2:
            assert r.average_length >= best - 1e-12                # Huffman is optimal
    # textbook bounds: Shannon within 1 bit of H, SFE within 2 bits
    assert h <= c["Shannon"].average_length < h + 1
    assert h + 1 <= c["Shannon-Fano-Elias"].average_length < h + 2
    tern = c["Huffman, ternary"]
    assert tern.arity == 3
    assert tern.average_length == pytest.approx(tern.average_digits * math.log2(3))


@_needs("block_code")
def test_extension_codes_converge_within_one_over_n():
    t = experiments.extension_codes([0.9, 0.1], k=6)
    h = pc.entropy([0.9, 0.1])
    assert t.column("n") == [1, 2, 3, 4, 5, 6]
    assert t.column("L_n/n")[0] == pytest.approx(1.0)
    for n, ln in zip(t.column("n"), t.column("L_n/n")):
        assert h - 1e-12 <= ln < h + 1 / n
    # reference: bitarray's Huffman code on the block distribution
    p = {"a": 0.9, "b": 0.1}
    for n in (2, 3):
        blocks = {}
        for i in range(2**n):
            word = format(i, f"0{n}b").replace("0", "a").replace("1", "b")
            blocks[word] = math.prod(p[s] for s in word)
        ref = huffman_code(blocks)
        assert t.column("L_n/n")[n - 1] == pytest.approx(
            sum(blocks[w] * len(c) for w, c in ref.items()) / n, rel=1e-12)
    with pytest.raises(pc.PrefixCodeError, match="'k'"):
        experiments.extension_codes([0.5, 0.5], k=0)


def test_classification_loss_numbers_and_one_minimiser():
    e = experiments.classification_loss()
    loss = e.examples.column("loss")
    assert round(loss[0], 3) == 1.515 and loss[0] == pytest.approx(-math.log2(0.35))
    assert loss[1] == 0.0
    assert round(loss[2], 3) == 1.204 and loss[2] == pytest.approx(-math.log(0.3))
    assert e.empirical == 0.75
    assert set(e.argmins.values()) == {0.75}
    ce = np.array(e.curves.column("cross-entropy"))
    kl = np.array(e.curves.column("KL"))
    nll = np.array(e.curves.column("NLL / n"))
    assert ce - kl == pytest.approx(np.full_like(ce, pc.entropy([0.75, 0.25])), abs=1e-12)  # H(P,Q)=H+KL
    assert nll == pytest.approx(ce, abs=1e-12)
    assert kl.min() >= 0


def test_classification_loss_on_other_samples():
    e = experiments.classification_loss(["a", "b", "b", "b", "b"], grid=9)
    assert set(e.argmins.values()) == {0.2}
    with pytest.raises(pc.PrefixCodeError, match="samples"):
        experiments.classification_loss(["a", "a"])


def test_binary_entropy_function():
    t = experiments.binary_entropy_function()
    h = dict(zip(t.column("x"), t.column("h(x)")))
    assert h[0.0] == 0.0 and h[1.0] == 0.0 and h[0.5] == 1.0
    assert round(h[0.25], 3) == 0.811 and h[0.25] == pytest.approx(h[0.75])
    rows = {row[0]: row for row in t.rows}
    assert rows[0.25][2] == pytest.approx(2.0) and round(rows[0.25][3], 3) == 0.415
    assert max(h.values()) == 1.0
    assert t.to_dict()["columns"][1] == "h(x)"


def test_mismatched_texts_table():
    t = experiments.mismatched_texts(["alice.txt", "asyoulik.txt", "urls.txt"])
    assert len(t.rows) == 6
    for row in t.rows:
        _train, _test, h, own, mism, waste, kl_tt, kl, unused, extra = row
        assert mism >= own - 1e-12                                 # the test's own code is optimal
        assert waste == pytest.approx(kl + unused, abs=1e-9)
        assert unused == 0.0                                       # Huffman codes are complete
        assert h <= own < h + 1
        assert kl_tt > 0
    extra = {(r[0], r[1]): r[9] for r in t.rows}
    # English against English costs less than English against web addresses
    assert extra[("alice.txt", "asyoulik.txt")] < extra[("alice.txt", "urls.txt")]
    assert extra[("asyoulik.txt", "alice.txt")] < extra[("urls.txt", "alice.txt")]


def test_nats_examples():
    t = experiments.nats_examples()
    assert t.column("case") == ["spam filter", "vehicle classes", "ad click", "fruit classes"]
    assert [round(x, 4) for x in t.column("H(P, Q)")] == [0.5919, 1.3662, 0.5261, 1.3028]
    h, kl = t.column("H(P)"), t.column("KL(P || Q)")
    assert round(h[2], 4) == 0.5004 and round(h[3], 4) == 1.2799
    assert round(kl[2], 4) == 0.0257 and round(kl[3], 4) == 0.0229
    assert t.column("H(P) + KL") == pytest.approx(t.column("H(P, Q)"), abs=1e-12)
    assert kl[0] == pytest.approx(0.8 * math.log(0.8 / 0.6) + 0.2 * math.log(0.2 / 0.4))

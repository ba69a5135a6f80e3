"""Ready-made coursework: each function runs one experiment and returns its tables.

* :func:`weather_station` -- the course's worked anchor: a fixed 3-bit code, the course's
  code, Huffman's code, and the course's code on the reversed climate, with the waste
  split into KL and unused code space.
* :func:`mismatched_texts` -- a code trained on one text used on another: the waste
  against the KL divergence between the texts.
* :func:`constructions` -- fixed, Shannon, Shannon-Fano, Shannon-Fano-Elias, Huffman and
  ternary Huffman codes on one source.
* :func:`extension_codes` -- Huffman codes for blocks of n symbols: L_n / n tends to H,
  within 1/n.
* :func:`classification_loss` -- cross-entropy as a classification loss; minimising
  cross-entropy, KL and negative log-likelihood picks the same model.
* :func:`binary_entropy_function` -- h(x) at a few points, and its shape.
* :func:`nats_examples` -- the course's natural-log examples: H(P), H(P, Q), KL(P || Q).

Every quantity is in bits unless a column says otherwise.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .analysis import CodeReport, Comparison, Table, _Shown, analyze, analyze_mismatch, compare
from .distribution import Distribution, as_distribution, check_positive_int
from .errors import bad_argument
from .measures import binary_entropy, cross_entropy, entropy, kl_divergence

__all__ = [
    "LossExperiment",
    "WeatherStation",
    "binary_entropy_function",
    "classification_loss",
    "constructions",
    "extension_codes",
    "mismatched_texts",
    "nats_examples",
    "weather_station",
]


def _weather() -> dict:
    from .datasets import load

    return load("weather.json")


@dataclass(frozen=True, repr=False)
class WeatherStation(_Shown):
    """The weather-station experiment: four codes, one table.

    Attributes
    ----------
    comparison : Comparison
        Reports named ``"fixed 3-bit"``, ``"course code"``, ``"Huffman"`` and
        ``"course code, reversed climate"``.
    codes : dict
        ``{"fixed 3-bit": ..., "course code": ..., "Huffman": ...}`` (PrefixCode).
    climate, reversed_climate : Distribution
        The two climates over the eight weather states.
    """

    comparison: Comparison
    codes: dict
    climate: Distribution
    reversed_climate: Distribution

    def __getitem__(self, name: str) -> CodeReport:
        return self.comparison[name]

    @property
    def notes(self) -> tuple[str, ...]:
        """The findings, in words."""
        course = self["course code"]
        rev = self["course code, reversed climate"]
        huff = self["Huffman"]
        return (
            f"entropy H(p) = {course.entropy:.2f} bits; the fixed code needs 3.00, "
            f"the course code {course.average_length:.2f}, Huffman's {huff.average_length:.2f}",
            f"the course code is incomplete: Kraft sum {course.kraft_sum:g}, so "
            f"log2(1/K) = {course.unused_space:.3f} bits per symbol pay for code space never used",
            f"its waste L - H = {course.wasted:.3f} = KL(p || q^) {course.kl:.4f} "
            f"+ unused space {course.unused_space:.4f}",
            f"on the reversed climate it needs {rev.average_length:.2f} bits: KL as taught, "
            f"L - H(p) = {rev.wasted:.3f}, of which {rev.kl:.3f} is KL(p || q^)",
            "a 2-bit codeword implies q = 2^-2 = 1/4",
        )

    def to_dict(self) -> dict:
        """The comparison's numbers, and the notes."""
        d = self.comparison.to_dict()
        d["notes"] = list(self.notes)
        return d

    def __str__(self) -> str:
        return str(self.comparison) + "\n" + "\n".join(f"* {n}" for n in self.notes)

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return self.comparison._repr_html_() + f"<ul>{notes}</ul>"


def weather_station() -> WeatherStation:
    """The weather-station experiment of the course, every number through the analyzer.

    Eight weather states with p = .35 .35 .10 .10 .04 .04 .01 .01 (data/weather.json).

    Returns
    -------
    WeatherStation
        Its ``comparison`` holds the reports of the fixed 3-bit code (3.00 bits), the
        course's code 00 01 100 101 1100 1101 11100 11101 (2.42 bits, Kraft sum 0.9375),
        Huffman's code (2.33 bits) and the course's code on the reversed climate (4.58
        bits); the entropy of both climates is 2.23 bits.

    Examples
    --------
    >>> from prefixcode import experiments
    >>> w = experiments.weather_station()
    >>> [round(r.average_length, 2) for r in w.comparison]
    [3.0, 2.42, 2.33, 4.58]
    >>> round(w["course code, reversed climate"].wasted, 2)
    2.35
    """
    from .code import PrefixCode
    from .construct import huffman

    w = _weather()
    states = w["states"]
    climate = Distribution(states, w["climate"])
    reversed_climate = Distribution(states, w["reversed_climate"])
    codes = {
        "fixed 3-bit": PrefixCode.from_codewords(dict(zip(states, w["fixed_code"]))),
        "course code": PrefixCode.from_codewords(dict(zip(states, w["course_code"]))),
        "Huffman": huffman(climate),
    }
    reports = [analyze(climate, c, name=n) for n, c in codes.items()]
    reports.append(analyze(reversed_climate, codes["course code"], name="course code, reversed climate"))
    comparison = Comparison(tuple(reports), title="the weather station")
    return WeatherStation(comparison, codes, climate, reversed_climate)


_TEXTS = ("alice.txt", "asyoulik.txt", "paradise_lost.txt", "urls.txt")


def mismatched_texts(names: Sequence[str] = _TEXTS, pseudocount: float = 0.5) -> Table:
    """Codes trained on one text, used on another: the waste against the KL between them.

    For every ordered pair (train, test) of built-in texts, Huffman's code for the train
    text's byte counts (plus `pseudocount` for every byte of either text) codes the test
    text. The waste over the test text's own Huffman code follows D(test || train).

    Parameters
    ----------
    names : sequence of str
        Built-in text files (see :func:`prefixcode.datasets.available`).
    pseudocount : float, default 0.5
        See :func:`prefixcode.analyze_mismatch`.

    Returns
    -------
    Table
        Columns ``train``, ``test``, ``H(test)``, ``L own``, ``L train``, ``L - H``,
        ``KL(test||train)``, ``KL(p||q^)``, ``log2(1/K)``, ``extra``, in bits per byte.

    Examples
    --------
    >>> from prefixcode import experiments
    >>> t = experiments.mismatched_texts(["alice.txt", "urls.txt"])
    >>> len(t.rows)
    2
    >>> all(row[5] >= row[6] - 1e-9 for row in t.rows)   # waste at least the KL
    True
    """
    from .datasets import load_bytes

    names = list(names)
    if len(names) < 2:
        raise bad_argument("names", "at least two text names", names)
    texts = {n: load_bytes(n) for n in names}
    rows = []
    for a in names:
        for b in names:
            if a == b:
                continue
            m = analyze_mismatch(texts[a], texts[b], pseudocount=pseudocount, names=(a, b))
            r = m.report
            rows.append(
                (a, b, r.entropy, m.matched.average_length, r.average_length, r.wasted, m.kl_test_train,
                 r.kl, r.unused_space, m.extra_bits)
            )
    return Table(
        title="a code trained on one text, used on another (bits per byte)",
        columns=("train", "test", "H(test)", "L own", "L train", "L - H", "KL(test||train)",
                 "KL(p||q^)", "log2(1/K)", "extra"),
        rows=tuple(rows),
        notes=(
            "L - H = KL(p||q^) + log2(1/K): Huffman codes are complete, so the waste is all KL",
            "the waste tracks KL(test||train), the cost of ideal lengths for the wrong text;"
            " whole-bit lengths add a little, or save a little",
            *_extra_ranges(rows),
        ),
    )


def _extra_ranges(rows: list[tuple]) -> tuple[str, ...]:
    """Notes on the extra bits of pairs of texts and of pairs with the web addresses."""
    web = [r[9] for r in rows if "urls.txt" in (r[0], r[1])]
    text = [r[9] for r in rows if "urls.txt" not in (r[0], r[1])]
    notes = []
    if text:
        notes.append(f"text against text: {min(text):.2f} to {max(text):.2f} extra bits per byte")
    if web:
        notes.append(f"text against web addresses: {min(web):.2f} to {max(web):.2f} extra bits per byte")
    return tuple(notes)


def constructions(p: Any = None, title: str | None = None) -> Comparison:
    """The classic constructions on one source: fixed, Shannon, Fano, SFE, Huffman, ternary.

    Parameters
    ----------
    p : distribution, optional
        The source; by default the weather-station climate.
    title : str, optional

    Returns
    -------
    Comparison
        Reports named ``fixed-length``, ``Shannon``, ``Shannon-Fano``,
        ``Shannon-Fano-Elias``, ``Huffman`` and ``Huffman, ternary`` (its length in bits:
        log2 3 per ternary digit).

    Examples
    --------
    >>> from prefixcode import experiments
    >>> c = experiments.constructions()
    >>> round(c["Huffman"].average_length, 2), round(c["fixed-length"].average_length, 2)
    (2.33, 3.0)
    """
    from .construct import fixed_length, huffman, shannon, shannon_fano, shannon_fano_elias

    if p is None:
        w = _weather()
        p = Distribution(w["states"], w["climate"])
    d = as_distribution(p, "p")
    codes = {
        "fixed-length": fixed_length(d),
        "Shannon": shannon(d),
        "Shannon-Fano": shannon_fano(d),
        "Shannon-Fano-Elias": shannon_fano_elias(d),
        "Huffman": huffman(d),
        "Huffman, ternary": huffman(d, arity=3),
    }
    return compare(d, codes, title=title or "constructions compared")


def extension_codes(p: Any = (0.9, 0.1), k: int = 6) -> Table:
    """Huffman codes on blocks of n = 1..k symbols: bits per symbol L_n / n -> H.

    For an i.i.d. source, the optimal code on n-symbol blocks has
    H <= L_n / n < H + 1/n (Shannon's first theorem, applied to the block source).

    Parameters
    ----------
    p : distribution, default (0.9, 0.1)
        The source (a skewed one shows the effect best).
    k : int, default 6
        The largest block length, 1 to 16 (the block alphabet has len(p)**k symbols, at
        most 65536).

    Returns
    -------
    Table
        Columns ``n``, ``L_n/n``, ``H``, ``H + 1/n``, ``L_n/n - H``.

    Examples
    --------
    >>> from prefixcode import experiments
    >>> t = experiments.extension_codes([0.9, 0.1], k=3)
    >>> [round(x, 4) for x in t.column("L_n/n")]
    [1.0, 0.645, 0.5327]
    """
    from .construct import block_code

    d = as_distribution(p, "p")
    k = check_positive_int(k, "k", 16)
    if len(d) ** int(k) > 1 << 16:
        raise bad_argument("k", f"small enough that {len(d)}**k blocks stay <= 65536", k)
    h = float(entropy(d))
    rows = []
    for n in range(1, int(k) + 1):
        code = block_code(d, n)
        ln = analyze(code.source, code).average_length  # source: the block distribution
        rows.append((n, ln / n, h, h + 1 / n, ln / n - h))
    return Table(
        title=f"extension codes: Huffman on n-symbol blocks of p = {_short(d)}",
        columns=("n", "L_n/n", "H", "H + 1/n", "L_n/n - H"),
        rows=tuple(rows),
        notes=(f"H <= L_n/n < H + 1/n for every n: the waste per symbol falls below 1/n, "
               f"so L_n/n -> H = {h:.4f}",),
    )


def _short(d: Distribution) -> str:
    return "(" + ", ".join(f"{x:g}" for x in d.probs[:6]) + (", ..." if len(d) > 6 else "") + ")"


@dataclass(frozen=True, repr=False)
class LossExperiment(_Shown):
    """Cross-entropy as a classification loss.

    Attributes
    ----------
    examples : Table
        The course's cases: one-hot truth against a prediction, in bits and nats.
    curves : Table
        Over a grid of models q = (q, 1 - q) for two-outcome samples: cross-entropy
        H(p^, q), KL(p^ || q) and the mean negative log-likelihood, in bits.
    empirical : float
        The samples' frequency of the first outcome (the maximum-likelihood q).
    argmins : dict
        ``{"cross-entropy": q, "KL": q, "NLL / n": q}``, the minimiser of each loss.
    """

    examples: Table
    curves: Table
    empirical: float
    argmins: dict

    def to_dict(self) -> dict:
        """Both tables and the minimisers."""
        return {"examples": self.examples.to_dict(), "curves": self.curves.to_dict(),
                "empirical": self.empirical, "argmins": dict(self.argmins)}

    def _summary(self) -> str:
        picks = ", ".join(f"{k} at q = {v:g}" for k, v in self.argmins.items())
        return f"minimised: {picks}; the empirical frequency is {self.empirical:g}"

    def __str__(self) -> str:
        return f"{self.examples}\n\n{self._summary()}"

    def _repr_html_(self) -> str:
        return self.examples._repr_html_() + f"<p>{html.escape(self._summary())}</p>"


def classification_loss(
    samples: Iterable[Any] = ("sun",) * 15 + ("rain",) * 5, grid: int = 99
) -> LossExperiment:
    """Cross-entropy as a classification loss, and why three losses agree.

    The examples: one-hot truth on the 8th weather state against the prediction
    .01 .01 .04 .04 .10 .10 .35 .35 costs -log2 0.35 = 1.515 bits; a perfect prediction
    costs 0; an image classifier giving the true class 0.3 costs -ln 0.3 = 1.204 nats.

    The curves: for two-outcome samples, the cross-entropy H(p^, q) to the empirical
    distribution p^, the divergence KL(p^ || q) = H(p^, q) - H(p^) and the mean negative
    log-likelihood -1/n sum log2 q(x_i) are minimised by the same q, the empirical one
    (the first two differ by the constant H(p^); the first and the last are equal).

    Parameters
    ----------
    samples : iterable of two distinct hashable outcomes
        Observations (by default 15 "sun" and 5 "rain").
    grid : int, default 99
        Number of models q = k / (grid + 1), k = 1..grid (at most 2**20).

    Returns
    -------
    LossExperiment

    Examples
    --------
    >>> from prefixcode import experiments
    >>> e = experiments.classification_loss()
    >>> e.argmins
    {'cross-entropy': 0.75, 'KL': 0.75, 'NLL / n': 0.75}
    >>> [round(x, 3) for x in e.examples.column("loss")]
    [1.515, 0.0, 1.204]
    """
    samples = list(samples)
    d = Distribution.from_samples(samples)
    if len(d) != 2:
        raise bad_argument("samples", "observations of exactly two distinct outcomes", samples)
    grid = check_positive_int(grid, "grid", 1 << 20)
    first = samples[0]
    p_hat = d[first]
    other = next(s for s in d.symbols if s != first)

    truth = [0, 0, 0, 0, 0, 0, 0, 1]
    pred = _weather()["reversed_climate"]
    examples = Table(
        title="cross-entropy as a classification loss",
        columns=("case", "truth", "prediction", "loss", "unit"),
        rows=(
            ("weather, true state 8", "one-hot", " ".join(f"{x:g}" for x in pred),
             float(cross_entropy(truth, pred)), "bits"),
            ("weather, perfect prediction", "one-hot", "one-hot", float(cross_entropy(truth, truth)), "bits"),
            ("image classifier", "one-hot", "true class 0.3", float(cross_entropy([0, 1], [0.7, 0.3],
                                                                                  base=math.e)), "nats"),
        ),
        notes=("with one-hot truth the cross-entropy is -log q(true class): the surprisal of the truth",),
    )
    qs = np.arange(1, grid + 1) / (grid + 1)
    counts = np.array([sum(1 for s in samples if s == first), sum(1 for s in samples if s == other)])
    rows = []
    for q in qs:
        model = [q, 1 - q]
        ce = float(cross_entropy([p_hat, 1 - p_hat], model))
        kl = float(kl_divergence([p_hat, 1 - p_hat], model))
        nll = float(-(counts[0] * math.log2(q) + counts[1] * math.log2(1 - q)) / counts.sum())
        rows.append((float(q), ce, kl, nll))
    curves = Table(
        title=f"losses of the model q = ({first!s}: q, {other!s}: 1 - q) on {len(samples)} samples",
        columns=("q", "cross-entropy", "KL", "NLL / n"),
        rows=tuple(rows),
    )
    argmins = {name: float(qs[int(np.argmin(curves.column(name)))]) for name in curves.columns[1:]}
    return LossExperiment(examples, curves, float(p_hat), argmins)


def binary_entropy_function(points: Sequence[float] = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)) -> Table:
    """The binary entropy function h(x) = -x log2 x - (1 - x) log2(1 - x) at a few points.

    Parameters
    ----------
    points : sequence of float in [0, 1]

    Returns
    -------
    Table
        Columns ``x``, ``h(x)``, ``-log2 x``, ``-log2 (1-x)`` (surprisals of the two
        outcomes, in bits).

    Examples
    --------
    >>> from prefixcode import experiments
    >>> t = experiments.binary_entropy_function([0.0, 0.25, 0.5])
    >>> [round(h, 3) for h in t.column("h(x)")]
    [0.0, 0.811, 1.0]
    """
    from .measures import surprisal

    xs = np.atleast_1d(np.asarray(points, dtype=np.float64))
    hs = np.atleast_1d(binary_entropy(xs))
    s1, s0 = surprisal(xs), surprisal(1.0 - xs)
    rows = tuple((float(x), float(h), float(a), float(b)) for x, h, a, b in zip(xs, hs, s1, s0))
    return Table(
        title="the binary entropy function (bits)",
        columns=("x", "h(x)", "-log2 x", "-log2 (1-x)"),
        rows=rows,
        notes=(
            "h(0) = h(1) = 0: a certain outcome carries no information",
            "h is largest, 1 bit, at x = 0.5, and symmetric: h(x) = h(1 - x)",
            "75% sun, 25% rain: rain carries 2 bits, sun 0.415 bits, the forecast 0.811 bits",
        ),
    )


_NATS_CASES = (
    ("spam filter", (0.8, 0.2), (0.6, 0.4)),
    ("vehicle classes", (0.4, 0.2, 0.3, 0.1), (0.3, 0.3, 0.2, 0.2)),
    ("ad click", (0.2, 0.8), (0.3, 0.7)),
    ("fruit classes", (0.3, 0.2, 0.4, 0.1), (0.25, 0.25, 0.35, 0.15)),
)


def nats_examples() -> Table:
    """The course's natural-log examples: entropy, cross-entropy and KL in nats.

    Returns
    -------
    Table
        Columns ``case``, ``P``, ``Q``, ``H(P)``, ``H(P, Q)``, ``KL(P || Q)``,
        ``H(P) + KL`` (nats); the last equals the cross-entropy.

    Examples
    --------
    >>> from prefixcode import experiments
    >>> t = experiments.nats_examples()
    >>> [round(x, 4) for x in t.column("H(P, Q)")]
    [0.5919, 1.3662, 0.5261, 1.3028]
    >>> [round(x, 4) for x in t.column("KL(P || Q)")][2:]
    [0.0257, 0.0229]
    """
    rows = []
    for name, p, q in _NATS_CASES:
        h = float(entropy(p, base=math.e))
        hpq = float(cross_entropy(p, q, base=math.e))
        kl = float(kl_divergence(p, q, base=math.e))
        rows.append((name, " ".join(f"{x:g}" for x in p), " ".join(f"{x:g}" for x in q), h, hpq, kl, h + kl))
    return Table(
        title="cross-entropy and KL in nats (natural logarithms)",
        columns=("case", "P", "Q", "H(P)", "H(P, Q)", "KL(P || Q)", "H(P) + KL"),
        rows=tuple(rows),
        notes=("H(P, Q) = H(P) + KL(P || Q), and KL >= 0: the cross-entropy is never below the entropy",
               "the course's 0.0258 and 0.0230 come from rounded intermediate values"),
    )

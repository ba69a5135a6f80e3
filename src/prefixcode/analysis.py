"""Where a code's bits go: the analyzer.

A prefix code with lengths l(x) over an alphabet of D digits implies the sub-probability
q(x) = D^-l(x). Its average length is the cross-entropy L = H(p, q) = sum p(x) l(x) log2 D
bits, and the bits it wastes per symbol split exactly into two parts::

    L - H(p) = D(p || q^) + log2(1 / K),   K = sum D^-l(x),  q^ = q / K

the cost of coding for the wrong distribution (the Kullback-Leibler divergence to the
normalized q^) plus the code space the code never uses (zero for a complete code such as
Huffman's). The course calls the whole of L - H(p) "the KL": it is the divergence to the
unnormalized q, ``kl_divergence(p, q, normalize=False)``.

Conventions: every quantity of a report is in bits. Lengths of a D-ary code count D-ary
digits; ``average_digits`` is the length in digits and ``average_length`` = average_digits
* log2 D is the same length in bits, so that a binary and a ternary code compare on one
scale.

Public functions: :func:`analyze` (a distribution and a code), :func:`analyze_message`
(a message and a code, by default Huffman's code for the message), :func:`analyze_mismatch`
(a code built on one message used on another) and :func:`compare` (many codes, one table).
They return frozen dataclasses with a readable ``str``, ``to_dict()`` and ``_repr_html_``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .distribution import Distribution, check_real
from .errors import PrefixCodeError, bad_argument
from .measures import binary_entropy

__all__ = [
    "GALLAGER_SIGMA",
    "MAX_MESSAGE_SYMBOLS",
    "MESSAGE_CODERS",
    "CodeReport",
    "CoderRow",
    "Comparison",
    "MessageComparison",
    "MismatchReport",
    "SymbolRow",
    "Table",
    "analyze",
    "analyze_message",
    "analyze_mismatch",
    "compare",
    "compare_message",
    "gallager_bound",
]

#: Gallager's constant sigma = 1 - log2 e + log2 log2 e = 0.0860713...
#: Source: R. G. Gallager, "Variations on a theme by Huffman", IEEE Trans. Inform. Theory
#: IT-24(6), 1978, Theorem 2.
GALLAGER_SIGMA: float = 1.0 - math.log2(math.e) + math.log2(math.log2(math.e))


# -- small formatting helpers ---------------------------------------------------------
def _fmt(x: Any, digits: int | str = 4) -> str:
    """A cell: floats with `digits` decimals (or in `%g` style when digits is "g")."""
    if x is None:
        return "-"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        if math.isnan(x):
            return "nan"
        if digits == "g":
            return f"{x:.6g}"
        text = f"{x:.{digits}f}"
        # a rounding residue such as -1e-17 shows as 0, not as "-0.0000"
        return text[1:] if text.startswith("-") and not text.strip("-0.") else text
    return str(x)


def _digits_of(digits: Any, n: int) -> list:
    return list(digits) if isinstance(digits, (list, tuple)) else [digits] * n


def _text_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], digits: Any = 4) -> str:
    dd = _digits_of(digits, len(columns))
    cells = [[str(c) for c in columns]] + [[_fmt(v, d) for v, d in zip(row, dd)] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = []
    # the first column and columns of text (codewords) align left, numbers right
    left = [i == 0 or (all(isinstance(r[i], str) or r[i] is None for r in rows) and any(
        isinstance(r[i], str) for r in rows)) for i in range(len(columns))]
    for k, row in enumerate(cells):
        parts = [c.ljust(w) if left[i] else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(parts).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


#: Plain-text notation of the text tables, and how HTML shows it.
_HTML_NOTATION = (
    ("KL(p||q^)", "KL(p ‖ q̂)"),
    ("KL(p || q^)", "KL(p ‖ q̂)"),
    ("log2(1/K)", "log₂(1/K)"),
    ("-log2 p", "−log₂ p"),
    ("log2", "log₂"),
    ("q^", "q̂"),
    ("D^-len", "D<sup>−len</sup>"),
    ("2^-l", "2<sup>−l</sup>"),
    ("<=", "≤"),
)


def _html_label(text: str) -> str:
    """A column or row label for HTML: escaped, with the notation typeset (q̂, log₂, ≤)."""
    out = html.escape(str(text), quote=False)
    for plain, fancy in _HTML_NOTATION:
        out = out.replace(html.escape(plain, quote=False), fancy)
    return out


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def _html_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "", digits: Any = 4,
    literal: Sequence[int] = (),
) -> str:
    """An HTML table: labels typeset, numbers right-aligned in tabular figures.

    Cells of the columns in `literal` (symbols, codewords) are shown as they are.
    """
    dd = _digits_of(digits, len(columns))
    numeric = [any(_is_number(row[i]) for row in rows) for i in range(len(columns))]
    right = ' style="text-align:right; font-variant-numeric:tabular-nums"'
    head = "".join(f"<th{right if num else ''}>{_html_label(c)}</th>" for c, num in zip(columns, numeric))

    def cell(i: int, v: Any, d: Any) -> str:
        text = _fmt(v, d)
        if _is_number(v):
            return f"<td{right}>{html.escape(text)}</td>"
        shown = html.escape(text, quote=False) if i in literal else _html_label(text)
        return f"<td>{shown}</td>"

    body = "".join(
        "<tr>" + "".join(cell(i, v, d) for i, (v, d) in enumerate(zip(row, dd))) + "</tr>"
        for row in rows
    )
    cap = f"<caption>{_html_label(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class _Shown:
    """Reports show their table wherever they are shown: ``str``, the REPL, IPython, Jupyter."""

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(f"<{type(self).__name__}>" if cycle else str(self))


def _plain(x: Any) -> Any:
    """Plain Python numbers and strings for to_dict()."""
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x)
    if isinstance(x, (str, type(None))):
        return x
    return repr(x) if not isinstance(x, (tuple, list)) else [_plain(v) for v in x]


# -- reports ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SymbolRow:
    """One symbol of a :class:`CodeReport`: where its share of the wasted bits comes from.

    Attributes
    ----------
    symbol : hashable
        The symbol.
    p : float
        Its probability.
    surprisal : float
        -log2 p, its ideal length in bits (``inf`` for p = 0).
    length : int or None
        Its codeword length in digits (``None`` when the code has no codeword for it).
    codeword : str or None
        Its codeword.
    q : float
        The implied probability D^-length (0 when the code lacks the symbol).
    waste : float
        Its contribution to the wasted bits, p * (length * log2 D - surprisal); these sum
        to L - H(p). A symbol coded shorter than its surprisal contributes a negative share.
    """

    symbol: Hashable
    p: float
    surprisal: float
    length: int | None
    codeword: str | None
    q: float
    waste: float

    def to_dict(self) -> dict:
        """The row as plain numbers and strings."""
        return {
            "symbol": _plain(self.symbol),
            "p": self.p,
            "surprisal": self.surprisal,
            "length": self.length,
            "codeword": self.codeword,
            "q": self.q,
            "waste": self.waste,
        }


@dataclass(frozen=True, repr=False)
class CodeReport(_Shown):
    """The analysis of one code on one source (all quantities in bits).

    Attributes
    ----------
    name : str
        A label (the code's name in a comparison).
    entropy : float
        H(p).
    average_length : float
        L = sum p(x) l(x) log2 D = H(p, q), the cross-entropy to the implied q = D^-l.
    average_digits : float
        The same length counted in D-ary digits (equal to ``average_length`` for D = 2).
    kl : float
        D(p || q^), the divergence to the normalized q^ = q / K.
    unused_space : float
        log2(1 / K): code space the code never uses.
    wasted : float
        L - H(p) = kl + unused_space (the course's "KL", to the unnormalized q).
    efficiency : float
        H(p) / L (1 for a code that meets the entropy).
    kraft_sum : float
        K = sum D^-l(x) over the code's codewords.
    is_complete : bool
        Whether K = 1.
    arity : int
        D, the number of code digits.
    p_max : float
        The largest probability of the source.
    upper_bound : float
        H(p) + log2 D: every optimal code has H <= L < this (Shannon's bound).
    gallager_bound : float or None
        An upper bound on the waste L - H of an optimal binary (Huffman) code, tighter than
        1 bit: p_max + 0.086 when p_max < 1/2, else 2 - p_max - h(p_max) (Gallager 1978);
        ``None`` for D > 2.
    symbols : tuple of SymbolRow
        The per-symbol table (symbols of the source and of the code, source order first).
    n_symbols : int or None
        For a message, its length in symbols; ``None`` for a distribution.
    byte_symbols : bool
        Whether the symbols are byte values (shown as characters).
    order : str
        The order of the per-symbol table when shown: ``"probability"`` (most probable
        first, ties in source order) or ``"symbol"`` (source order). ``symbols`` itself
        is always in source order.
    """

    name: str
    entropy: float
    average_length: float
    average_digits: float
    kl: float
    unused_space: float
    wasted: float
    efficiency: float
    kraft_sum: float
    is_complete: bool
    arity: int
    p_max: float
    upper_bound: float
    gallager_bound: float | None
    symbols: tuple[SymbolRow, ...] = field(repr=False)
    n_symbols: int | None = None
    byte_symbols: bool = False
    order: str = "probability"

    @property
    def cross_entropy(self) -> float:
        """H(p, q), the same number as ``average_length``."""
        return self.average_length

    @property
    def within_bounds(self) -> bool:
        """Whether H(p) <= L < H(p) + log2 D, the range an optimal code always meets."""
        return self.entropy - 1e-12 <= self.average_length < self.upper_bound

    @property
    def total_bits(self) -> float | None:
        """For a message: its coded size in bits (n_symbols * L); else ``None``."""
        return None if self.n_symbols is None else self.n_symbols * self.average_length

    def to_dict(self) -> dict:
        """The summary as plain Python numbers (bits) and strings, with the per-symbol rows."""
        d = {
            "name": self.name,
            "entropy": self.entropy,
            "average_length": self.average_length,
            "average_digits": self.average_digits,
            "cross_entropy": self.cross_entropy,
            "kl": self.kl,
            "unused_space": self.unused_space,
            "wasted": self.wasted,
            "efficiency": self.efficiency,
            "kraft_sum": self.kraft_sum,
            "is_complete": self.is_complete,
            "arity": self.arity,
            "p_max": self.p_max,
            "upper_bound": self.upper_bound,
            "gallager_bound": self.gallager_bound,
            "within_bounds": self.within_bounds,
            "n_symbols": self.n_symbols,
            "total_bits": self.total_bits,
            "symbols": [r.to_dict() for r in self.symbols],
        }
        return d

    # -- display ----------------------------------------------------------------------
    _SUMMARY = (
        ("entropy H(p)", "entropy", "bits/symbol"),
        ("average length L = H(p, q)", "average_length", "bits/symbol"),
        ("wasted bits L - H", "wasted", "bits/symbol"),
        ("  = KL(p || q^)", "kl", "bits/symbol"),
        ("  + unused space log2(1/K)", "unused_space", "bits/symbol"),
        ("Kraft sum K", "kraft_sum", ""),  # shown in %g style: 0.9375, 1
        ("efficiency H / L", "efficiency", ""),
    )

    def _summary_rows(self) -> list[tuple[str, str]]:
        rows = [
            (label, f"{_fmt(getattr(self, attr), 'g' if attr == 'kraft_sum' else 4)} {unit}".rstrip())
            for label, attr, unit in self._SUMMARY
        ]
        if self.arity != 2:
            rows.insert(2, ("  in digits", f"{_fmt(self.average_digits)} {self.arity}-ary digits/symbol"))
        rows.append(("complete code", _fmt(self.is_complete)))
        bound = f"{_fmt(self.entropy)} <= L < {_fmt(self.upper_bound)}"
        if self.within_bounds:
            verdict = "met"
        elif self.p_max == 1.0 and self.average_digits == 1.0:  # the one-symbol convention
            verdict = "not met: a certain symbol still takes one digit"
        else:
            verdict = "not met"
        rows.append(("optimal-code bounds", f"{bound} ({verdict})"))
        if self.gallager_bound is not None:
            rows.append(("Gallager: optimal L - H <=", f"{_fmt(self.gallager_bound)} bits/symbol"))
        if self.n_symbols is not None:
            rows.append(("message", f"{self.n_symbols} symbols, {_fmt(self.total_bits, 0)} bits coded"))
        return rows

    _TABLE_COLUMNS = ("symbol", "p", "-log2 p", "length", "codeword", "q = D^-len", "waste (bits)")

    def _table_rows(self, limit: int | None) -> tuple[list[tuple], int]:
        shown = [r for r in self.symbols if r.p > 0 or r.length is not None]
        if self.order == "probability":
            shown = sorted(shown, key=lambda r: -r.p)  # stable: ties in source order
        hidden = 0
        if limit is not None and len(shown) > limit:
            hidden = len(shown) - limit
            shown = shown[:limit]
        rows = [
            (_show_symbol(r.symbol, self.byte_symbols), r.p, r.surprisal, r.length, r.codeword, r.q, r.waste)
            for r in shown
        ]
        return rows, hidden

    def __str__(self) -> str:
        title = f"{self.name}" if self.name else "code report"
        width = max(len(label) for label, _ in self._summary_rows())
        lines = [title] + [f"  {label.ljust(width)}  {value}" for label, value in self._summary_rows()]
        rows, hidden = self._table_rows(limit=24)
        lines.append("")
        lines.append(_text_table(self._TABLE_COLUMNS, rows))
        if hidden:
            lines.append(f"... and {hidden} {'less frequent ' if self.order == 'probability' else ''}"
                         f"symbols more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        summary = _html_table(("quantity", "value"), self._summary_rows(), caption=self.name)
        rows, hidden = self._table_rows(limit=40)
        table = _html_table(self._TABLE_COLUMNS, rows, literal=(0, 4))
        less = "less frequent " if self.order == "probability" else ""
        more = f"<p>... and {hidden} {less}symbols more</p>" if hidden else ""
        return summary + table + more


def _show_symbol(s: Hashable, as_bytes: bool = False) -> str:
    if as_bytes and isinstance(s, (int, np.integer)) and 0 <= int(s) < 256:
        return repr(chr(int(s))) if 32 <= int(s) < 127 else f"0x{int(s):02x}"
    if isinstance(s, tuple):
        return " ".join(_show_symbol(x, as_bytes) for x in s)
    return str(s) if isinstance(s, str) and s.isprintable() and s.strip() == s and s else repr(s)


_COMPARISON_COLUMNS = (
    "code", "H", "L", "L - H", "KL(p||q^)", "log2(1/K)", "Kraft sum", "efficiency",
)
_COMPARISON_DIGITS = (None, 4, 4, 4, 4, 4, "g", 4)


@dataclass(frozen=True, repr=False)
class Comparison(_Shown):
    """Many :class:`CodeReport` in one table (all quantities in bits per symbol).

    Attributes
    ----------
    reports : tuple of CodeReport
        One report per code, in the order given.
    title : str
        A caption.
    """

    reports: tuple[CodeReport, ...]
    title: str = "codes compared"

    def __getitem__(self, name: str) -> CodeReport:
        for r in self.reports:
            if r.name == name:
                return r
        raise PrefixCodeError(f"no code named {name!r} in this comparison")

    def __len__(self) -> int:
        return len(self.reports)

    def __iter__(self):
        return iter(self.reports)

    @property
    def names(self) -> tuple[str, ...]:
        """The codes' names."""
        return tuple(r.name for r in self.reports)

    def _rows(self) -> list[tuple]:
        return [
            (r.name, r.entropy, r.average_length, r.wasted, r.kl, r.unused_space, r.kraft_sum, r.efficiency)
            for r in self.reports
        ]

    def to_dict(self) -> dict:
        """``{"title": ..., "codes": {name: report.to_dict() without the symbol rows}}``."""
        codes = {}
        for r in self.reports:
            d = r.to_dict()
            d.pop("symbols")
            codes[r.name] = d
        return {"title": self.title, "codes": codes}

    def to_text(self, digits: Sequence[Any] = _COMPARISON_DIGITS) -> str:
        """The table as text; `digits` gives each column's decimals ("g": general format).

        Examples
        --------
        >>> import prefixcode as pc
        >>> t = pc.compare([0.5, 0.5], {"one bit": ["0", "1"]})
        >>> print(t.to_text(digits=(None, 2, 2, 2, 2, 2, "g", 2)))
        codes compared (bits per symbol)
        code        H     L  L - H  KL(p||q^)  log2(1/K)  Kraft sum  efficiency
        -------  ----  ----  -----  ---------  ---------  ---------  ----------
        one bit  1.00  1.00   0.00       0.00       0.00          1        1.00
        """
        return f"{self.title} (bits per symbol)\n" + _text_table(_COMPARISON_COLUMNS, self._rows(), digits)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return _html_table(_COMPARISON_COLUMNS, self._rows(), caption=f"{self.title} (bits per symbol)",
                           digits=_COMPARISON_DIGITS)


@dataclass(frozen=True, repr=False)
class Table(_Shown):
    """A small table of numbers an experiment returns.

    Attributes
    ----------
    title : str
        A caption.
    columns : tuple of str
        Column names (with units).
    rows : tuple of tuple
        The rows, plain numbers and strings.
    notes : tuple of str
        Findings printed under the table.
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    notes: tuple[str, ...] = ()

    def column(self, name: str) -> list:
        """The values of one column."""
        try:
            i = self.columns.index(name)
        except ValueError:
            raise bad_argument("name", f"one of {list(self.columns)}", name) from None
        return [row[i] for row in self.rows]

    def to_dict(self) -> dict:
        """``{"title", "columns", "rows", "notes"}`` with plain values."""
        return {
            "title": self.title,
            "columns": list(self.columns),
            "rows": [[_plain(v) for v in row] for row in self.rows],
            "notes": list(self.notes),
        }

    def __str__(self) -> str:
        text = f"{self.title}\n" + _text_table(self.columns, self.rows)
        if self.notes:
            text += "\n" + "\n".join(f"* {n}" for n in self.notes)
        return text

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return _html_table(self.columns, self.rows, caption=self.title) + (
            f"<ul>{notes}</ul>" if notes else ""
        )


@dataclass(frozen=True, repr=False)
class MismatchReport(_Shown):
    """A code built on one message (train) and used on another (test), in bits per symbol.

    Attributes
    ----------
    train_name, test_name : str
        Labels of the two messages.
    report : CodeReport
        The analysis of the train code on the test message.
    matched : CodeReport
        The analysis of the test message's own code (same construction) on it.
    kl_test_train : float
        D(p_test || p_train): the waste of ideal (fractional) code lengths -log2 p_train on
        the test message, the price of the mismatch itself.
    """

    train_name: str
    test_name: str
    report: CodeReport
    matched: CodeReport
    kl_test_train: float

    @property
    def extra_bits(self) -> float:
        """What the mismatch costs over the matched code: L(train code) - L(test code)."""
        return self.report.average_length - self.matched.average_length

    def to_dict(self) -> dict:
        """The key numbers as plain floats (bits per symbol)."""
        return {
            "train": self.train_name,
            "test": self.test_name,
            "entropy": self.report.entropy,
            "average_length": self.report.average_length,
            "matched_average_length": self.matched.average_length,
            "wasted": self.report.wasted,
            "kl": self.report.kl,
            "unused_space": self.report.unused_space,
            "kl_test_train": self.kl_test_train,
            "extra_bits": self.extra_bits,
        }

    _COLUMNS = ("quantity", "bits/symbol")

    def _rows(self) -> list[tuple[str, float]]:
        return [
            (f"H({self.test_name})", self.report.entropy),
            (f"L of the code for {self.test_name}", self.matched.average_length),
            (f"L of the code for {self.train_name}", self.report.average_length),
            ("  wasted L - H", self.report.wasted),
            ("  = KL(p || q^)", self.report.kl),
            ("  + unused space", self.report.unused_space),
            (f"KL({self.test_name} || {self.train_name})", self.kl_test_train),
            ("extra bits of the mismatch", self.extra_bits),
        ]

    def __str__(self) -> str:
        title = f"code for {self.train_name} used on {self.test_name}"
        return title + "\n" + _text_table(self._COLUMNS, self._rows())

    def _repr_html_(self) -> str:
        title = f"code for {self.train_name} used on {self.test_name}"
        return _html_table(self._COLUMNS, self._rows(), caption=title)


# -- the analyzer -------------------------------------------------------------------------
def gallager_bound(p_max: float) -> float:
    """Gallager's bound on the waste L - H of an optimal binary (Huffman) code.

    With p_max the largest probability of the source: L - H <= p_max + sigma for
    p_max < 1/2, where sigma = 1 - log2 e + log2 log2 e = 0.0861, and
    L - H <= 2 - p_max - h(p_max) for p_max >= 1/2 (h: binary entropy). Both are tighter
    than the textbook L - H < 1.
    Source: R. G. Gallager, "Variations on a theme by Huffman", IEEE Trans. Inform. Theory
    IT-24(6), 1978, Theorem 2 and the remark after it.

    Parameters
    ----------
    p_max : float
        The largest probability, in (0, 1].

    Returns
    -------
    float
        The bound in bits per symbol.

    Examples
    --------
    >>> from prefixcode.analysis import gallager_bound
    >>> round(gallager_bound(0.35), 4)
    0.4361
    >>> gallager_bound(1.0)
    1.0
    """
    x = check_real(p_max, "p_max", 0.0, 1.0, low_open=True)
    if x < 0.5:
        return x + GALLAGER_SIGMA
    return 2.0 - x - float(binary_entropy(x))


def _code_of(code: Any, name: str = "code") -> Any:
    """Accept a PrefixCode, or a mapping {symbol: codeword} / a list of codewords."""
    if all(hasattr(code, a) for a in ("symbols", "lengths", "arity", "kraft_sum")):
        return code
    from .code import PrefixCode

    if isinstance(code, Mapping):
        return PrefixCode.from_codewords(code)
    if isinstance(code, (list, tuple)) and code and all(isinstance(c, str) for c in code):
        return PrefixCode.from_codewords(dict(enumerate(code)))
    raise bad_argument(name, "a PrefixCode, a {symbol: codeword} mapping or a list of codewords", code)


def _aligned(p: Any, code: Any) -> tuple[tuple, np.ndarray, np.ndarray, tuple]:
    """Symbols (union, p's first), p over them, lengths over them (nan: no codeword)."""
    from .code import align_with_code

    code_symbols = tuple(code.symbols)
    union, probs, lens = align_with_code(p, code_symbols, code.lengths)
    return union, probs, lens, code_symbols


def analyze(p: Any, code: Any, name: str = "", order: str = "probability") -> CodeReport:
    """Analyze a prefix code on a source: entropy, average length, and where the waste goes.

    Parameters
    ----------
    p : array_like, mapping, Distribution, bytes or str
        The source distribution (probabilities or counts). A plain sequence is aligned with
        ``code.symbols`` by position; a mapping or Distribution by symbol (a symbol of p
        missing from the code costs ``inf``).
    code : PrefixCode or mapping {symbol: codeword}
        The code. Lengths of a D-ary code count D-ary digits (log2 D bits each).
    name : str, optional
        A label for the report.
    order : {"probability", "symbol"}, optional
        How the per-symbol table is shown: most probable first (the default, ties in
        source order), or in source order.

    Returns
    -------
    CodeReport
        All quantities in bits per symbol; ``wasted == kl + unused_space`` up to rounding.

    Examples
    --------
    >>> import prefixcode as pc
    >>> course = ["00", "01", "100", "101", "1100", "1101", "11100", "11101"]
    >>> r = pc.analyze([0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01], course)
    >>> round(r.entropy, 2), round(r.average_length, 2), r.kraft_sum
    (2.23, 2.42, 0.9375)
    >>> round(r.wasted, 3), round(r.kl, 4), round(r.unused_space, 4)
    (0.191, 0.0979, 0.0931)
    """
    order = _check_order(order)
    code = _code_of(code)
    union, probs, lens, _ = _aligned(p, code)
    arity = int(code.arity)
    log2d = math.log2(arity)
    kraft = float(code.kraft_sum)
    missing = np.isnan(lens) & (probs > 0)
    from . import measures

    surpr = np.asarray(measures.surprisal(probs))  # inf where p = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(np.isnan(lens), 0.0, np.power(float(arity), -np.nan_to_num(lens)))
        bits = lens * log2d
        waste = np.where(probs > 0, probs * (bits - surpr), 0.0)
    waste = np.where(missing, np.inf, waste)
    positive = probs > 0
    entropy = float(measures.entropy(probs))
    if missing.any():
        digits = L = wasted = kl = math.inf
    else:
        digits = float((probs[positive] * lens[positive]).sum())
        L = digits * log2d
        wasted = L - entropy
        # D(p || q^) computed directly (q normalized to q^ = q / K), not as a difference.
        kl = float(measures.kl_divergence(probs, q))
    unused = -math.log2(kraft) + 0.0 if kraft > 0 else math.inf
    p_max = float(probs.max())
    rows = tuple(
        SymbolRow(
            symbol=s,
            p=float(probs[i]),
            surprisal=float(surpr[i]),
            length=None if np.isnan(lens[i]) else int(lens[i]),
            codeword=code.codewords[s] if not np.isnan(lens[i]) else None,
            q=float(q[i]),
            waste=float(waste[i]),
        )
        for i, s in enumerate(union)
    )
    return CodeReport(
        name=name,
        entropy=entropy,
        average_length=L,
        average_digits=digits,
        kl=kl,
        unused_space=unused,
        wasted=wasted,
        efficiency=entropy / L if L > 0 else 1.0,
        kraft_sum=kraft,
        is_complete=bool(code.is_complete),
        arity=arity,
        p_max=p_max,
        upper_bound=entropy + log2d,
        gallager_bound=gallager_bound(p_max) if arity == 2 else None,
        symbols=rows,
        order=order,
    )


_ORDERS = ("probability", "symbol")


def _check_order(order: Any) -> str:
    if not isinstance(order, str) or order not in _ORDERS:
        raise bad_argument("order", f"one of {list(_ORDERS)}", order)
    return order


def _message_distribution(message: Any, name: str) -> Distribution:
    if isinstance(message, Distribution):
        return message
    if isinstance(message, (bytes, bytearray, memoryview)):
        if len(message) == 0:
            raise bad_argument(name, "non-empty", message)
        return Distribution.from_samples(message)  # the byte values that occur
    if isinstance(message, (str, Iterable)):
        if isinstance(message, str) and not message:
            raise bad_argument(name, "non-empty", message)
        return Distribution.from_samples(message)
    raise bad_argument(name, "a message: bytes, str or an iterable of symbols", message)


def analyze_message(message: Any, code: Any = None, name: str = "", order: str = "probability"
                    ) -> CodeReport:
    """Analyze a code on a message, with the message's own (empirical) distribution.

    Parameters
    ----------
    message : bytes, str or iterable of hashable symbols
        The message. Bytes count over the byte values that occur.
    code : PrefixCode, optional
        The code; by default Huffman's code for the message itself.
    name : str, optional
        A label.
    order : {"probability", "symbol"}, optional
        The order of the per-symbol table, as for :func:`analyze`.

    Returns
    -------
    CodeReport
        With ``n_symbols`` and ``total_bits`` (the coded size of the message in bits).

    Examples
    --------
    >>> import prefixcode as pc
    >>> r = pc.analyze_message("abracadabra")
    >>> r.n_symbols, r.total_bits, round(r.entropy, 3)
    (11, 23.0, 2.04)
    """
    d = _message_distribution(message, "message")
    if code is None:
        from .construct import huffman

        code = huffman(d)
        name = name or "Huffman code of the message"
    report = analyze(d, code, name=name, order=order)
    n = int(d.counts.sum()) if d.counts is not None else None
    return _with(report, n_symbols=n, byte_symbols=isinstance(message, (bytes, bytearray, memoryview)))


def _with(report: CodeReport, **changes: Any) -> CodeReport:
    from dataclasses import replace

    return replace(report, **changes)


def analyze_mismatch(
    train: Any,
    test: Any,
    construction: Any = None,
    pseudocount: float = 0.5,
    names: tuple[str, str] = ("train", "test"),
) -> MismatchReport:
    """A code built on one message, used on another: the waste is the KL between them.

    The train code is built from the train message's counts plus `pseudocount` for every
    symbol that occurs in either message (so that it can code the test message at all);
    the reported ``kl_test_train`` is D(p_test || p_train) to that smoothed train
    distribution, the waste that ideal code lengths -log2 p_train would have. The actual
    code's waste adds what rounding lengths to whole bits costs.

    Parameters
    ----------
    train, test : bytes, str or iterable of symbols
        The two messages.
    construction : callable, optional
        ``construction(p) -> PrefixCode``; Huffman's by default.
    pseudocount : float, default 0.5
        Added to every count of the train message (the Krichevsky-Trofimov choice); must be
        positive when the test message has symbols the train message lacks.
    names : (str, str)
        Labels of the two messages.

    Returns
    -------
    MismatchReport

    Examples
    --------
    >>> import prefixcode as pc
    >>> m = pc.analyze_mismatch("aaaaaaab", "abababab", names=("skewed", "even"))
    >>> round(m.report.average_length, 3), round(m.matched.average_length, 3)
    (1.0, 1.0)
    >>> m.kl_test_train > 0
    True
    """
    from .construct import huffman

    if construction is None:
        construction = huffman
    pseudocount = check_real(pseudocount, "pseudocount", 0.0, math.inf)
    dtrain = _message_distribution(train, "train")
    dtest = _message_distribution(test, "test")
    union = tuple(dict.fromkeys(dtrain.symbols + dtest.symbols))
    ctrain = dict(zip(dtrain.symbols, dtrain.counts))
    smoothed = {s: float(ctrain.get(s, 0)) + pseudocount for s in union}
    smoothed = {s: w for s, w in smoothed.items() if w > 0}
    train_dist = Distribution(tuple(smoothed), list(smoothed.values()))
    code = construction(train_dist)
    report = analyze(dtest, code, name=f"code for {names[0]}")
    matched = analyze(dtest, construction(dtest), name=f"code for {names[1]}")
    from .measures import kl_divergence

    kl = float(kl_divergence(dtest.to_dict(), train_dist.to_dict()))
    n = int(dtest.counts.sum()) if dtest.counts is not None else None
    return MismatchReport(
        train_name=names[0],
        test_name=names[1],
        report=_with(report, n_symbols=n),
        matched=_with(matched, n_symbols=n),
        kl_test_train=kl,
    )


def compare(p: Any, codes: Mapping[str, Any], title: str = "codes compared") -> Comparison:
    """Analyze many codes on one source, as one table.

    Parameters
    ----------
    p : array_like, mapping, Distribution, bytes or str
        The source distribution.
    codes : mapping {name: PrefixCode}
        The codes, by name.
    title : str, optional
        A caption.

    Returns
    -------
    Comparison
        ``comparison[name]`` is that code's :class:`CodeReport`.

    Examples
    --------
    >>> import prefixcode as pc
    >>> p = [0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]
    >>> t = pc.compare(p, {"fixed": ["000", "001", "010", "011", "100", "101", "110", "111"],
    ...                    "course": ["00", "01", "100", "101", "1100", "1101", "11100", "11101"]})
    >>> [round(r.average_length, 2) for r in t]
    [3.0, 2.42]
    """
    if not isinstance(codes, Mapping) or not codes:
        raise bad_argument("codes", "a non-empty mapping {name: code}", codes)
    reports = tuple(analyze(p, _code_of(c, f"codes[{n!r}]"), name=str(n)) for n, c in codes.items())
    return Comparison(reports, title=title)


# -- one message, every coder ---------------------------------------------------------------
#: The longest message :func:`compare_message` codes by default: its context coders are
#: plain Python (a few seconds for this many symbols).
MAX_MESSAGE_SYMBOLS: int = 200_000

#: The coders of :func:`compare_message` by default, in the order of its table.
MESSAGE_CODERS: tuple[str, ...] = (
    "fixed", "shannon", "huffman", "block2", "block3", "fgk", "vitter", "arithmetic",
    "context1", "context2",
)

_HEADER_BITS = 32 + 8  # a table's header: its number of entries and the width of a length
_ARITHMETIC_PRECISION = 32


@dataclass(frozen=True)
class CoderRow:
    """One coder of a :class:`MessageComparison`: the bits it took for the message.

    Attributes
    ----------
    name : str
        The coder's key (``"huffman"``, ``"block2"``, ``"context1"``, ...).
    label : str
        What the table calls it.
    payload_bits : int
        The length of the bitstream the coder wrote for the message.
    table_bits : int
        The side information a decoder needs besides the stream, by the rule in
        ``table_rule`` (see :func:`compare_message`); 0 for the adaptive coders.
    n_symbols : int
        The length of the message.
    table_rule : str
        How ``table_bits`` was counted, in a few words.
    seconds : float
        The time taken to build the code, encode and decode (wall clock).
    """

    name: str
    label: str
    payload_bits: int
    table_bits: int
    n_symbols: int
    table_rule: str
    seconds: float = 0.0

    @property
    def total_bits(self) -> int:
        """``payload_bits + table_bits``."""
        return self.payload_bits + self.table_bits

    @property
    def bits_per_symbol(self) -> float:
        """Total bits (table included) per symbol of the message."""
        return self.total_bits / self.n_symbols

    @property
    def payload_per_symbol(self) -> float:
        """Payload bits per symbol (the table left out)."""
        return self.payload_bits / self.n_symbols

    @property
    def table_per_symbol(self) -> float:
        """Table bits per symbol."""
        return self.table_bits / self.n_symbols

    def to_dict(self) -> dict:
        """The row as plain numbers and strings."""
        return {
            "name": self.name,
            "label": self.label,
            "bits_per_symbol": self.bits_per_symbol,
            "payload_per_symbol": self.payload_per_symbol,
            "table_per_symbol": self.table_per_symbol,
            "payload_bits": self.payload_bits,
            "table_bits": self.table_bits,
            "total_bits": self.total_bits,
            "table_rule": self.table_rule,
            "seconds": self.seconds,
        }


_MESSAGE_COLUMNS = ("coder", "bits/symbol", "payload", "table", "total bits", "table counted as")
_MESSAGE_DIGITS = (None, 4, 4, 4, 0, None)


@dataclass(frozen=True, repr=False)
class MessageComparison(_Shown):
    """Every coder on one message, in bits per symbol, against H_0, H_1 and H_2.

    Attributes
    ----------
    title : str
        A caption.
    n_symbols : int
        The length of the message.
    distinct : int
        The number of distinct symbols m.
    rows : tuple of CoderRow
        One row per coder, in the order asked for.
    entropies : tuple of float or None
        The empirical entropies ``(H_0, H_1, H_2)`` of the message
        (:func:`~prefixcode.empirical_entropy`); ``None`` where the message is too short.
    notes : tuple of str
        The table rules and the checks, printed under the table.
    """

    title: str
    n_symbols: int
    distinct: int
    rows: tuple[CoderRow, ...]
    entropies: tuple[float | None, ...]
    notes: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> CoderRow:
        for r in self.rows:
            if name in (r.name, r.label):
                return r
        raise PrefixCodeError(f"no coder named {name!r} in this comparison (it has {list(self.names)})")

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    @property
    def names(self) -> tuple[str, ...]:
        """The coders' keys."""
        return tuple(r.name for r in self.rows)

    def entropy(self, order: int = 0) -> float | None:
        """H_k of the message for k = `order` (0, 1 or 2)."""
        if order not in (0, 1, 2):
            raise bad_argument("order", "0, 1 or 2", order)
        return self.entropies[order]

    def _rows(self) -> list[tuple]:
        rows: list[tuple] = [
            (r.label, r.bits_per_symbol, r.payload_per_symbol, r.table_per_symbol, r.total_bits, r.table_rule)
            for r in self.rows
        ]
        for k, h in enumerate(self.entropies):
            if h is not None:
                rows.append((f"H_{k} (empirical entropy)", h, None, None, h * self.n_symbols, "-"))
        return rows

    def _caption(self) -> str:
        return f"{self.title}: {self.n_symbols} symbols, {self.distinct} distinct (bits per symbol)"

    def to_dict(self) -> dict:
        """``{"title", "n_symbols", "distinct", "entropies", "coders": {name: row}, "notes"}``.

        ``entropies`` is ``{"H_0": ..., "H_1": ..., "H_2": ...}``; each row as :meth:`CoderRow.to_dict`.
        """
        return {
            "title": self.title,
            "n_symbols": self.n_symbols,
            "distinct": self.distinct,
            "entropies": {f"H_{k}": h for k, h in enumerate(self.entropies)},
            "coders": {r.name: r.to_dict() for r in self.rows},
            "notes": list(self.notes),
        }

    def __str__(self) -> str:
        text = self._caption() + "\n" + _text_table(_MESSAGE_COLUMNS, self._rows(), _MESSAGE_DIGITS)
        if self.notes:
            text += "\n" + "\n".join(f"* {n}" for n in self.notes)
        return text

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return _html_table(_MESSAGE_COLUMNS, self._rows(), caption=self._caption(),
                           digits=_MESSAGE_DIGITS) + (f"<ul>{notes}</ul>" if notes else "")


def _coder_key(name: Any) -> tuple[str, int]:
    """``"block3"`` -> ("block", 3), ``"context1"`` -> ("context", 1), ``"huffman"`` -> ("huffman", 0)."""
    simple = ("fixed", "shannon", "huffman", "fgk", "vitter", "arithmetic", "ans")
    if isinstance(name, str):
        if name in simple:
            return name, 0
        for kind, low in (("block", 1), ("context", 0)):
            rest = name[len(kind):]
            if name.startswith(kind) and rest.isdigit() and low <= int(rest) <= 8:
                return kind, int(rest)
    raise bad_argument(
        "coders", "names among " + ", ".join(simple) + ", block1..block8, context0..context8", name
    )


def _length_width(code: Any) -> int:
    """Bits to write any codeword length of `code` (the longest one's bit length)."""
    return int(code.length_array.max()).bit_length()


def _compare_one(kind: str, k: int, message: list, symbols: tuple, counts: np.ndarray
                 ) -> tuple[str, int, int, str]:
    """``(label, payload bits, table bits, table rule)`` for one coder; checks the round trip."""
    from .codec import decode, encode
    from .construct import fixed_length, huffman, shannon

    n, m = len(message), len(symbols)
    a = math.ceil(math.log2(m)) if m > 1 else 0
    dist = Distribution(symbols, counts, counts=counts)

    def checked(label: str, decoded: Any) -> None:
        if list(decoded) != message:
            raise PrefixCodeError(f"the {label} did not decode back to the message (a bug: please report it)")

    if kind in ("fixed", "shannon", "huffman"):
        label = {"fixed": "fixed-length", "shannon": "Shannon", "huffman": "Huffman"}[kind]
        code = {"fixed": fixed_length, "shannon": shannon, "huffman": huffman}[kind](dist)
        bits = encode(message, code)
        checked(f"{label} code", decode(bits, code))
        if kind == "fixed":
            return label, len(bits), 0, "none: the alphabet is known"
        return label, len(bits), _HEADER_BITS + m * _length_width(code), f"{m} lengths"
    if kind == "block":
        blocks = [tuple(message[i:i + k]) for i in range(0, n, k)]
        block_counts: dict = {}
        for b in blocks:
            block_counts[b] = block_counts.get(b, 0) + 1
        w = np.fromiter(block_counts.values(), dtype=np.int64, count=len(block_counts))
        code = huffman(Distribution(tuple(block_counts), w, counts=w))
        bits = encode(blocks, code)
        decoded = decode(bits, code, length=len(blocks))
        checked(f"block Huffman code (n = {k})", [s for b in decoded for s in b])
        width = _length_width(code)
        table = _HEADER_BITS + sum(len(b) * a + width for b in block_counts)
        return (f"block Huffman, n = {k}", len(bits), table,
                f"{len(block_counts)} blocks + lengths")
    if kind in ("fgk", "vitter"):
        from .stream import AdaptiveHuffman

        label = f"adaptive Huffman, {'FGK' if kind == 'fgk' else 'Vitter'}"
        coder = AdaptiveHuffman(alphabet=symbols, method=kind)
        bits = encode(message, coder)
        checked(label, decode(bits, coder, length=n))
        return label, len(bits), 0, "none: adaptive"
    if kind in ("arithmetic", "ans"):
        from .stream import ANSCode, ArithmeticCode

        label = "arithmetic" if kind == "arithmetic" else "rANS"
        cls = ArithmeticCode if kind == "arithmetic" else ANSCode
        coder = cls(dict(zip(symbols, counts.tolist())), precision=_ARITHMETIC_PRECISION)
        bits = encode(message, coder)
        checked(f"{label} code", decode(bits, coder, length=n))
        f = _ARITHMETIC_PRECISION // 2
        return label, len(bits), _HEADER_BITS + m * f, f"{m} frequencies of {f} bits"
    from .context import context_code  # kind == "context"

    code = context_code(message, order=k)
    bits = code.encode(message)
    checked(f"context code of order {k}", code.decode(bits, length=n))
    return (f"context code, order {k}", len(bits), code.table_bits(),
            f"{len(code.codes)} contexts + codes")


def compare_message(
    message: Any,
    coders: Sequence[str] | None = None,
    title: str = "one message, every coder",
    max_symbols: int = MAX_MESSAGE_SYMBOLS,
) -> MessageComparison:
    """Code one message with every coder, and compare their bits per symbol with H_0, H_1, H_2.

    Every coder really encodes the message, and its stream is decoded and checked
    against the message; a row's bits are the stream's length plus the coder's table,
    divided by the message's length n. The models are the message's own: each static
    code is built from the message's counts (a two-pass code), so the table is what a
    decoder must be told. Tables are counted by one rule (m is the number of distinct
    symbols, ``a = ceil(log2 m)`` bits name one of them, and the alphabet itself, the m
    symbols in order, is taken as known to both sides, as :mod:`prefixcode.context` and
    the container take the byte alphabet):

    ``"fixed"``
        The fixed-length code (:func:`~prefixcode.fixed_length`): no table.
    ``"shannon"``, ``"huffman"``
        Shannon's and Huffman's codes for the counts: a 40-bit header (32 bits for the
        number of entries, 8 for the width w) and the m codeword lengths in alphabet
        order, w bits each (w: the bit length of the longest codeword's length).
    ``"block2"``, ``"block3"`` (any ``"block<n>"``, n = 1..8)
        Huffman's code for the message's non-overlapping blocks of n symbols (a last,
        shorter block is one more block symbol): the 40-bit header, and per distinct
        block its symbols (a bits each) and its length (w bits). On an i.i.d. source
        this is the extension code of :func:`~prefixcode.block_code` with the block
        probabilities counted on the message; on a source with memory it also gains
        from the dependence inside a block.
    ``"fgk"``, ``"vitter"``
        Adaptive Huffman (:class:`~prefixcode.AdaptiveHuffman`, FGK or Vitter's
        algorithm Lambda) with the message's alphabet: no table (a first occurrence is
        sent by its index in the alphabet, inside the stream).
    ``"arithmetic"`` (and ``"ans"``, rANS, on request)
        :class:`~prefixcode.ArithmeticCode` (:class:`~prefixcode.ANSCode`) at precision
        32 with the message's counts: the 40-bit header and the m integer frequencies,
        16 bits each (the model's frequencies total 2**16).
    ``"context1"``, ``"context2"`` (any ``"context<k>"``, k = 0..8)
        The context code of order k (:func:`~prefixcode.context_code`), with its
        table counted as :meth:`ContextCode.table_bits` states.

    Parameters
    ----------
    message : str, bytes, sequence of hashable symbols or integer numpy array
        The message; non-empty (a sequence of numbers is a message of numbers here).
    coders : sequence of str, optional
        The coders, by the names above, in the order of the table; by default
        :data:`MESSAGE_CODERS` (all but rANS).
    title : str, optional
        A caption.
    max_symbols : int, default 200_000
        The longest message accepted: the context coders are plain Python (all the
        default coders take about 3 s on 200,000 bytes of text, the two context coders
        most of it; the adaptive and arithmetic coders run compiled). Code a slice of a
        longer message, or raise the limit knowingly.

    Returns
    -------
    MessageComparison
        ``report["huffman"]`` is a :class:`CoderRow`; ``report.entropies`` holds
        ``(H_0, H_1, H_2)``.

    Raises
    ------
    PrefixCodeError
        For an empty message, one longer than `max_symbols`, or an unknown coder name.

    Examples
    --------
    >>> import prefixcode as pc
    >>> r = pc.compare_message("abracadabra", coders=["fixed", "huffman", "vitter", "context1"])
    >>> [row.payload_bits for row in r]              # every stream decoded and checked
    [33, 23, 34, 7]
    >>> r["huffman"].table_bits       # 40 + 5 lengths of 3 bits (the longest codeword has 4)
    55
    >>> round(r.entropy(0), 4), round(r.entropy(1), 4)
    (2.0404, 0.6)
    """
    import time

    from .measures import _message_indices, empirical_entropy

    if isinstance(max_symbols, bool) or not isinstance(max_symbols, (int, np.integer)) or max_symbols < 1:
        raise bad_argument("max_symbols", "a positive integer", max_symbols)
    keys = MESSAGE_CODERS if coders is None else coders
    if isinstance(keys, str) or not isinstance(keys, Iterable):
        raise bad_argument("coders", "a sequence of coder names", coders)
    keys = tuple(keys)
    if not keys:
        raise bad_argument("coders", "a non-empty sequence of coder names", coders)
    kinds = [_coder_key(c) for c in keys]
    idx, symbols = _message_indices(message, "message")
    n = int(idx.size)
    if n > max_symbols:
        raise PrefixCodeError(
            f"argument 'message' has {n} symbols, more than the limit of {int(max_symbols)} of"
            " compare_message (its context coders are plain Python):"
            f" compare a slice, message[:{int(max_symbols)}], or raise max_symbols"
        )
    listed = [symbols[i] for i in idx.tolist()]
    counts = np.bincount(idx, minlength=len(symbols))
    rows = []
    for key, (kind, k) in zip(keys, kinds):
        start = time.perf_counter()
        label, payload, table, rule = _compare_one(kind, k, listed, symbols, counts)
        rows.append(CoderRow(key, label, payload, table, n, rule, time.perf_counter() - start))
    entropies = tuple(empirical_entropy(idx, order=k) if n > k else None for k in range(3))
    notes = (
        "every coder encoded the message and its stream decoded back to it",
        "tables: the m symbols of the alphabet are known to both sides; each static code sends"
        " a 40-bit header and its entries (see compare_message)",
    )
    return MessageComparison(title=title, n_symbols=n, distinct=len(symbols), rows=tuple(rows),
                             entropies=entropies, notes=notes)

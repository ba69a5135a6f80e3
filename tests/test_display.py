"""What a student sees: reports, codes, distributions and traces show as tables at the
REPL, in IPython and in Jupyter; the analyze table has one order."""

from __future__ import annotations

import pytest

import prefixcode as pc
from prefixcode import experiments

COURSE = ["00", "01", "100", "101", "1100", "1101", "11100", "11101"]
CLIMATE = [0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]


def _reports():
    p = dict(zip("abcdefgh", CLIMATE))
    return [
        pc.analyze(CLIMATE, COURSE, name="course code"),
        pc.compare(CLIMATE, {"course": COURSE}),
        pc.analyze_mismatch("abracadabra", "cadabra"),
        experiments.extension_codes(k=2),
        experiments.weather_station(),
        experiments.classification_loss(),
        pc.analyze(p, pc.huffman(p)),
    ]


@pytest.mark.parametrize("report", _reports(), ids=lambda r: type(r).__name__)
def test_reports_show_their_table_at_the_repl(report):
    assert repr(report) == str(report)                      # was CodeReport(name='', ...)
    assert not repr(report).startswith(type(report).__name__ + "(")
    ipython_pretty = pytest.importorskip("IPython.lib.pretty")
    assert ipython_pretty.pretty(report) == str(report)


def test_codes_keep_their_short_repr_and_show_the_table_in_ipython():
    code = pc.huffman({"a": 0.5, "b": 0.25, "c": 0.25})
    assert repr(code) == "PrefixCode({'a': '0', 'b': '10', 'c': '11'})"   # pinned
    ipython_pretty = pytest.importorskip("IPython.lib.pretty")
    assert ipython_pretty.pretty(code) == str(code)
    assert str(code).splitlines()[0].split() == ["symbol", "p", "length", "codeword"]


def test_distribution_and_trace_show_as_tables():
    d = pc.Distribution.from_samples("abracadabra")
    assert str(d).splitlines()[1].split() == ["'a'", "0.4545", "5"]
    assert "<table>" in d._repr_html_() and "5 symbols" in d._repr_html_()
    assert repr(d).startswith("Distribution({")
    trace = pc.huffman_trace({"a": 0.5, "b": 0.3, "c": 0.2})
    assert isinstance(trace, list) and len(trace) == 2
    assert str(trace).splitlines()[1].split()[:4] == ["1", "'c'", "+", "'b'"]
    assert "node 2" in trace._repr_html_()


def test_html_tables_are_aligned_and_typeset():
    page = pc.analyze(CLIMATE, COURSE)._repr_html_()
    assert "q\u0302" in page and "log\u2082" in page and "\u2264" in page   # q̂, log₂, ≤
    assert "&lt;=" not in page and "q^" not in page
    assert '<td style="text-align:right; font-variant-numeric:tabular-nums">0.3500</td>' in page
    assert "<td>11100</td>" in page                               # codewords stay literal
    comparison = pc.compare(CLIMATE, {"course": COURSE})._repr_html_()
    assert "KL(p\u2009\u2016\u2009q\u0302)" in comparison


def test_analyze_table_is_by_probability_whatever_the_alphabet_size():
    small = pc.analyze_message(b"abracadabra")
    rows = str(small).split("\n\n")[1].splitlines()[2:]
    assert [r.split()[0] for r in rows] == ["'a'", "'b'", "'r'", "'c'", "'d'"]   # was byte order
    text = bytes(range(65, 65 + 30)) + b"Z" * 40 + b"Y" * 20
    large = pc.analyze_message(text)
    first = [r.split()[0] for r in str(large).split("\n\n")[1].splitlines()[2:4]]
    assert first == ["'Z'", "'Y'"]
    by_symbol = pc.analyze_message(b"abracadabra", order="symbol")
    rows = str(by_symbol).split("\n\n")[1].splitlines()[2:]
    assert [r.split()[0] for r in rows] == ["'a'", "'b'", "'c'", "'d'", "'r'"]
    with pytest.raises(pc.PrefixCodeError, match="argument 'order'"):
        pc.analyze(CLIMATE, COURSE, order="bytes")


def test_report_types_are_exported():
    for name in ("CodeReport", "Comparison", "MismatchReport", "Table", "SymbolRow", "MergeTrace"):
        assert name in pc.__all__
    assert isinstance(pc.analyze_mismatch("ab", "ab"), pc.MismatchReport)
    assert isinstance(experiments.extension_codes(k=1), pc.Table)
    assert isinstance(pc.analyze([1, 1], ["0", "1"]).symbols[0], pc.SymbolRow)


def test_cli_analyze_order_flag(tmp_path, capsys):
    from prefixcode.cli import main

    f = tmp_path / "abra.txt"
    f.write_bytes(b"abracadabra")
    assert main(["analyze", str(f)]) == 0
    table = capsys.readouterr().out.split("\n\n")[1].splitlines()[2:7]
    assert [r.split()[0] for r in table] == ["'a'", "'b'", "'r'", "'c'", "'d'"]
    assert main(["analyze", "--order", "symbol", str(f)]) == 0
    table = capsys.readouterr().out.split("\n\n")[1].splitlines()[2:7]
    assert [r.split()[0] for r in table] == ["'a'", "'b'", "'c'", "'d'", "'r'"]

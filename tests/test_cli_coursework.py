"""The coursework commands: weather, analyze, code."""

from __future__ import annotations

import io
import json
import sys

import pytest

import prefixcode as pc
from prefixcode.cli import main


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_weather_shows_the_course_numbers(capsys):
    status, out, _ = run(capsys, "weather")
    assert status == 0
    for number in ("2.23", "3.00", "2.42", "4.58", "2.35", "2.33", "0.9375", "0.093"):
        assert number in out
    assert "KL(p||q^)" in out and "log2(1/K)" in out
    lines = {line.split("  ")[0]: line for line in out.splitlines()}
    assert "2.42" in lines["course code"] and "0.9375" in lines["course code"]
    assert "4.58" in lines["course code, reversed climate"]
    status, out, _ = run(capsys, "weather", "-v")
    assert status == 0 and "11101" in out and "sunny" in out


def test_analyze_a_file(tmp_path, capsys):
    f = tmp_path / "msg.txt"
    f.write_bytes(pc.datasets.load_bytes("alice.txt"))
    status, out, _ = run(capsys, "analyze", str(f), "--top", "3")
    assert status == 0
    r = pc.analyze_message(f.read_bytes())
    assert f"{r.entropy:.4f}" in out and f"{r.wasted:.4f}" in out
    assert "where the wasted bits come from" in out
    assert "order-0 bound" in out


def test_analyze_stdin_and_errors(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"abracadabra")))
    status, out, _ = run(capsys, "analyze", "-")
    assert status == 0 and "<stdin>" in out and "11 symbols" in out
    status, _, err = run(capsys, "analyze", str(tmp_path / "missing"))
    assert status == 1 and "prefixcode: error" in err
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    status, _, err = run(capsys, "analyze", str(empty))
    assert status == 1 and "empty" in err


def test_analyze_all_compares_every_coder(tmp_path, capsys):
    f = tmp_path / "alice.txt"
    f.write_bytes(pc.datasets.load_bytes("alice.txt")[:5000])
    status, out, err = run(capsys, "analyze", str(f), "--all")
    assert status == 0 and not err
    assert out.index("order-0 bound") < out.index("every coder")        # after the existing output
    r = pc.compare_message(f.read_bytes())
    lines = {line.split("  ")[0]: line for line in out.splitlines()}
    for row in r:
        assert f"{row.bits_per_symbol:.4f}" in lines[row.label], row.label
    for k in range(3):
        assert f"{r.entropy(k):.4f}" in lines[f"H_{k} (empirical entropy)"]
    assert "5000 symbols" in out and "first" not in out
    status, plain, _ = run(capsys, "analyze", str(f))
    assert status == 0 and "every coder" not in plain and out.startswith(plain)


def test_analyze_all_takes_the_first_bytes_of_a_long_file(tmp_path, capsys, monkeypatch):
    import prefixcode.analysis

    monkeypatch.setattr(prefixcode.analysis, "MAX_MESSAGE_SYMBOLS", 1000)
    f = tmp_path / "long.txt"
    f.write_bytes(pc.datasets.load_bytes("alice.txt")[:3000])
    status, out, _ = run(capsys, "analyze", str(f), "--all")
    assert status == 0
    assert "every coder on the first 1000 bytes only (the file has 3000)" in out
    assert "its first 1000 of 3000 bytes, every coder: 1000 symbols" in out
    assert "3000 symbols" in out                       # the order-0 report still reads it all


def test_analyze_all_errors_and_stdin(tmp_path, capsys, monkeypatch):
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    status, out, err = run(capsys, "analyze", str(empty), "--all")
    assert status == 1 and not out
    assert err.startswith("prefixcode: error:") and "empty" in err and err.count("\n") == 1
    status, _, err = run(capsys, "analyze", str(tmp_path / "missing"), "--all")
    assert status == 1 and err.count("\n") == 1
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"aaaa")))
    status, out, _ = run(capsys, "analyze", "-", "--all")
    assert status == 0 and "<stdin>, every coder: 4 symbols, 1 distinct" in out


def test_code_from_pairs_numbers_and_files(tmp_path, capsys):
    status, out, _ = run(capsys, "code", "sun=3", "rain=1")
    assert status == 0 and "sun" in out and "rain" in out and "0.8113" in out
    status, out, _ = run(capsys, "code", "0.35", "0.35", "0.1", "0.1", "0.04", "0.04", "0.01", "0.01")
    assert status == 0 and "2.3300" in out
    f = tmp_path / "w.json"
    f.write_text(json.dumps({"a": 0.5, "b": 0.25, "c": 0.25}))
    status, out, _ = run(capsys, "code", "--file", str(f), "--method", "shannon")
    assert status == 0 and "1.5000" in out
    g = tmp_path / "w.txt"
    g.write_text("1 1 1\n")
    status, out, _ = run(capsys, "code", "--file", str(g), "--method", "fixed", "--arity", "3")
    assert status == 0 and "3-ary" in out


def test_code_tree_picture(tmp_path, capsys):
    out_png = tmp_path / "tree.png"
    status, out, _ = run(capsys, "code", "a=5", "b=2", "c=1", "d=1", "--tree", str(out_png))
    assert status == 0 and str(out_png) in out
    assert out_png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "argv",
    [
        ["code"],
        ["code", "a=1", "2"],
        ["code", "a=x"],
        ["code", "0.5", "-0.5"],
        ["code", "a=1", "b=1", "--method", "shannon", "--arity", "3"],
    ],
)
def test_code_bad_weights_exit_1(capsys, argv):
    status, _, err = run(capsys, *argv)
    assert status == 1
    assert err.startswith("prefixcode: error:") and "Traceback" not in err


def test_code_usage_error_exit_2(capsys):
    status, _, _ = run(capsys, "code", "--method", "nonsense", "a=1")
    assert status == 2


def test_analyze_refuses_a_negative_top(tmp_path, capsys):
    f = tmp_path / "msg.txt"
    f.write_bytes(b"abracadabra")
    status, out, err = run(capsys, "analyze", str(f), "--top", "-2")
    assert status == 2 and out == "" and "--top must be >= 0, got -2" in err
    status, out, _ = run(capsys, "analyze", str(f), "--top", "0")
    assert status == 0 and "the 0 largest shares" in out


def test_code_tree_to_a_missing_folder_fails_before_printing(tmp_path, capsys):
    status, out, err = run(capsys, "code", "a=2", "b=1", "--tree", str(tmp_path / "nodir" / "t.png"))
    assert status == 1 and out == "" and "No such file or directory" in err


def test_code_names_bad_weights_as_given(capsys):
    status, out, err = run(capsys, "code", "a=1", "b=-1")
    assert status == 1 and out == "" and "argument 'WEIGHTS' must be non-negative" in err


def test_a_closed_pipe_ends_quietly(monkeypatch, capsys):
    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    status = main(["weather"])
    assert status == 1 and capsys.readouterr().err == ""


def test_help_ends_with_examples(capsys):
    status, out, _ = run(capsys, "--help")
    assert status == 0 and "examples:" in out and "prefixcode compress notes.txt" in out
    assert "'prefixcode COMMAND --help'" in out


def test_analyze_a_one_symbol_file(tmp_path, capsys):
    f = tmp_path / "aaaa"
    f.write_bytes(b"aaaa")
    status, out, _ = run(capsys, "analyze", str(f))
    assert status == 0 and "this code 1 bytes" in out and "the largest share" in out
    assert "not met: a certain symbol still takes one digit" in out
    status, out, _ = run(capsys, "code", "5")
    assert status == 0 and "huffman code, 1 symbol\n" in out


def test_code_weights_file_that_is_not_text(tmp_path, capsys):
    f = tmp_path / "w.bin"
    f.write_bytes(b"\xff\xfe\x00")
    status, out, err = run(capsys, "code", "--file", str(f))
    assert status == 1 and out == "" and "must be a text file (UTF-8)" in err and err.count("\n") == 1


def test_code_tree_without_matplotlib_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails
    assert main(["code", "a=1", "b=1", "--tree", str(tmp_path / "t.png")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs matplotlib" in err and "prefixcode[plot]" in err
    assert not (tmp_path / "t.png").exists()


def test_code_reads_the_projects_weather_file(capsys):
    from pathlib import Path

    from prefixcode.cli import main

    weather = Path(__file__).resolve().parent.parent / "data" / "weather.json"
    assert main(["code", "--file", str(weather)]) == 0          # was refused
    out = capsys.readouterr().out
    assert "average length L = H(p, q)  2.3300" in out
    table = out.split("\n\n")[1].splitlines()[2:]
    assert table[0].split()[:5] == ["sunny", "0.3500", "1.5146", "1", "0"]     # the file's names
    assert table[1].startswith("partly cloudy  0.3500")
    assert main(["code", "--file", str(weather), "--key", "reversed_climate"]) == 0
    assert capsys.readouterr().out.split("\n\n")[1].splitlines()[2].startswith("snowy")
    assert main(["code", "--file", str(weather), "--key", "course_code"]) == 1
    assert "argument 'WEIGHTS'" in capsys.readouterr().err
    assert main(["code", "--file", str(weather), "--key", "nope"]) == 1
    assert "'climate', 'reversed_climate'" in capsys.readouterr().err
    assert main(["code", "a=1", "b=1", "--key", "climate"]) == 1
    assert "needs --file" in capsys.readouterr().err


def test_tree_with_an_unknown_picture_format_is_one_line(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from prefixcode.cli import main

    out = tmp_path / "x.xyz"
    assert main(["code", "a=1", "b=1", "--tree", str(out)]) == 1          # was a traceback
    captured = capsys.readouterr()
    assert captured.out == ""                                             # refused before printing
    assert captured.err.count("\n") == 1 and "argument '--tree'" in captured.err and ".png" in captured.err
    assert not out.exists()

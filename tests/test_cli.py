"""The `prefixcode` command: compress / decompress with gzip habits, and bench."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import prefixcode as pc
from cli_helpers import TEXT
from prefixcode import cli, container
from prefixcode.cli import main
from prefixcode.container._files import AtomicOutput

REPO = Path(__file__).resolve().parent.parent


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_compress_then_decompress_keeps_inputs(work):
    assert main(["compress", "a.txt"]) == 0
    assert listing(work) == {"a.txt", "a.txt.pfx"}
    assert pc.decompress((work / "a.txt.pfx").read_bytes()) == TEXT
    (work / "a.txt").rename(work / "orig.txt")
    assert main(["decompress", "a.txt.pfx"]) == 0
    assert (work / "a.txt").read_bytes() == TEXT
    assert listing(work) == {"a.txt", "a.txt.pfx", "orig.txt"}


def test_several_files_and_rm(work):
    (work / "b.bin").write_bytes(b"\x00\x01" * 5000)
    assert main(["compress", "--rm", "a.txt", "b.bin"]) == 0
    assert listing(work) == {"a.txt.pfx", "b.bin.pfx"}
    assert main(["decompress", "-k", "a.txt.pfx", "b.bin.pfx"]) == 0
    assert (work / "b.bin").read_bytes() == b"\x00\x01" * 5000
    assert (work / "a.txt").read_bytes() == TEXT


def test_never_overwrites_without_force(work, capsys):
    (work / "a.txt.pfx").write_bytes(b"precious")
    assert main(["compress", "a.txt"]) == 1
    assert (work / "a.txt.pfx").read_bytes() == b"precious"
    err = capsys.readouterr().err
    assert err == "prefixcode: a.txt.pfx: already exists (use -f to overwrite)\n"
    assert main(["compress", "-f", "a.txt"]) == 0
    assert pc.decompress((work / "a.txt.pfx").read_bytes()) == TEXT
    assert listing(work) == {"a.txt", "a.txt.pfx"}


def test_output_mode_follows_the_input(work):
    os.chmod(work / "a.txt", 0o640)
    assert main(["compress", "a.txt"]) == 0
    assert stat.S_IMODE((work / "a.txt.pfx").stat().st_mode) == 0o640


def test_output_option_and_stdout(work, capsysbinary):
    assert main(["compress", "-o", "out.bin", "a.txt"]) == 0
    blob = (work / "out.bin").read_bytes()
    assert pc.decompress(blob) == TEXT
    assert main(["compress", "-c", "a.txt"]) == 0
    assert capsysbinary.readouterr().out == blob
    assert main(["decompress", "-c", "out.bin"]) == 0
    assert capsysbinary.readouterr().out == TEXT
    assert main(["decompress", "-o", "-", "out.bin"]) == 0
    assert capsysbinary.readouterr().out == TEXT
    assert main(["decompress", "-o", "back.txt", "out.bin"]) == 0
    assert (work / "back.txt").read_bytes() == TEXT


def test_stdin_to_stdout(work, monkeypatch, capsysbinary):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT)))
    assert main(["compress"]) == 0
    blob = capsysbinary.readouterr().out
    assert pc.decompress(blob) == TEXT
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(blob)))
    assert main(["decompress", "-", "-o", "x"]) == 0
    assert (work / "x").read_bytes() == TEXT


def test_verbose_line_as_gzip_prints_it_with_the_entropy_beside(work, capsys):
    assert main(["compress", "-v", "-T", "1", "a.txt"]) == 0
    size = (work / "a.txt.pfx").stat().st_size
    h0 = pc.entropy(pc.histogram(TEXT))
    saved = f"{100 * (1 - size / len(TEXT)):5.1f}%"
    err = capsys.readouterr().err
    assert err == (f"a.txt:\t{saved} ({8 * size / len(TEXT):.3f} bits/byte; order-0 entropy {h0:.3f}, "
                   f"{8 * size / len(TEXT) / h0 - 1:+.1%}) -- created a.txt.pfx\n")
    os.remove(work / "a.txt")
    assert main(["decompress", "-v", "a.txt.pfx"]) == 0  # the decompress line: the same ratio
    err = capsys.readouterr().err
    assert err.startswith(f"a.txt.pfx:\t{saved} (") and err.endswith(" -- created a.txt\n")
    assert f"order-0 entropy {h0:.3f}" in err
    assert main(["decompress", "-v", "-f", "--rm", "a.txt.pfx"]) == 0
    assert capsys.readouterr().err.endswith(" -- replaced with a.txt\n")


def test_empty_file_round_trips(work, capsys):
    (work / "e").write_bytes(b"")
    assert main(["compress", "-v", "e"]) == 0
    assert capsys.readouterr().err == "e:\t  0.0% -- created e.pfx\n"
    os.remove(work / "e")
    assert main(["decompress", "e.pfx"]) == 0
    assert (work / "e").read_bytes() == b""


def test_damaged_input_leaves_nothing_behind(work, capsys):
    assert main(["compress", "a.txt"]) == 0
    blob = (work / "a.txt.pfx").read_bytes()
    os.remove(work / "a.txt")
    flipped = blob[:-3] + bytes([blob[-3] ^ 1]) + blob[-2:]
    cases = [("cut.pfx", blob[: len(blob) // 2]), ("flip.pfx", flipped), ("junk.pfx", b"not a container")]
    for name, bad in cases:
        (work / name).write_bytes(bad)
        assert main(["decompress", name]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"prefixcode: {name}: ") and err.count("\n") == 1 and "Traceback" not in err
        assert (work / name).read_bytes() == bad
    assert listing(work) == {"a.txt.pfx", "cut.pfx", "flip.pfx", "junk.pfx"}


def test_errors_go_on_with_the_next_file(work, capsys):
    assert main(["compress", "missing.txt", "a.txt"]) == 1
    assert capsys.readouterr().err == "prefixcode: missing.txt: No such file or directory\n"
    assert (work / "a.txt.pfx").exists()
    assert main(["decompress", "a.txt"]) == 1
    assert "unknown suffix" in capsys.readouterr().err
    assert main(["compress", "a.txt.pfx"]) == 1
    assert "already has the .pfx suffix" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["compress", "-o", "x", "a.txt", "a.txt"],
    ["compress", "-T", "-1", "a.txt"],
    ["compress", "-T", "many", "a.txt"],
    ["compress", "--no-such-option"],
    ["decompress", "-", "-"],
    ["bench"],
    [],
])
def test_usage_errors_exit_2(work, argv):
    assert main(argv) == 2
    assert listing(work) == {"a.txt"}


def test_interrupt_or_failure_mid_write_leaves_nothing(work, monkeypatch):
    def broken(src, dst, **kw):
        dst.write(b"partial output")
        raise KeyboardInterrupt

    monkeypatch.setattr(container, "compress_stream", broken)
    assert main(["compress", "a.txt"]) == 130
    assert listing(work) == {"a.txt"}
    assert (work / "a.txt").read_bytes() == TEXT

    def failing(src, dst, **kw):
        dst.write(b"partial output")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(container, "compress_stream", failing)
    assert main(["compress", "--rm", "a.txt"]) == 1
    assert listing(work) == {"a.txt"}


def test_atomic_output_refuses_a_file_that_appears_meanwhile(work):
    with pytest.raises(FileExistsError), AtomicOutput(str(work / "new"), False, 0o644) as fh:
        fh.write(b"mine")
        (work / "new").write_bytes(b"theirs")
    assert (work / "new").read_bytes() == b"theirs"
    assert listing(work) == {"a.txt", "new"}


def test_progress_bar_only_on_a_terminal_for_large_inputs(monkeypatch):
    update, close = cli._progress_bar(10**9, "x")
    assert update is None  # stderr is not a terminal under pytest
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert cli._progress_bar(1000, "x")[0] is None  # small input
    update, close = cli._progress_bar(10**9, "x")
    assert callable(update)
    update(10**6)
    close()


def run_command(*args: str, data: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([*args], input=data, capture_output=True, timeout=120, cwd=REPO)


def test_console_script_and_module_pipe_round_trip(tmp_path):
    script = Path(sys.executable).with_name("prefixcode")
    first = [str(script)] if script.exists() else [sys.executable, "-m", "prefixcode"]
    packed = run_command(*first, "compress", "-c", "-", data=TEXT)
    assert packed.returncode == 0, packed.stderr
    back = run_command(sys.executable, "-m", "prefixcode", "decompress", data=packed.stdout)
    assert back.returncode == 0 and back.stdout == TEXT
    bad = run_command(sys.executable, "-m", "prefixcode", "decompress", data=b"PFXC garbage")
    assert bad.returncode == 1
    assert bad.stderr.decode().count("\n") == 1 and b"Traceback" not in bad.stderr
    usage = run_command(sys.executable, "-m", "prefixcode", "compress", "-T", "x")
    assert usage.returncode == 2


def test_bench_on_a_file(work, capsys):
    assert main(["bench", "--repeat", "1", "--skip", "dahuffman", "a.txt"]) == 0
    out = capsys.readouterr().out
    for coder in ("prefixcode -T1", "zlib Huffman-only", "bitarray", "order-0 bound"):
        assert coder in out
    assert "dahuffman: skipped" in out


def test_missing_output_folder_names_the_output(work, capsys):
    assert main(["compress", "-o", "nodir/x.pfx", "a.txt"]) == 1
    assert capsys.readouterr().err == "prefixcode: nodir/x.pfx: No such file or directory\n"
    assert listing(work) == {"a.txt"}


def test_bench_script_rewrites_only_its_readme_block(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_codecs", REPO / "bench" / "bench_codecs.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    readme = tmp_path / "README.md"
    readme.write_text("# title\n\nbefore\n<!-- bench:start -->\nold table\n<!-- bench:end -->\nafter\n")
    data = TEXT * 3
    result = bench._bench.run([("t.txt", data)], repeat=1, skip={"dahuffman", "constriction"})
    block = bench.readme_block(result, None, bench.codec_speeds(data, repeat=1))
    bench.rewrite_readme(block, readme)
    text = readme.read_text()
    assert text.startswith("# title\n\nbefore\n<!-- bench:start -->\nMeasured ")
    assert text.endswith("\n<!-- bench:end -->\nafter\n") and "old table" not in text
    assert "| prefixcode -T1 |" in text and "| zlib Huffman-only |" in text and "| t.txt |" in text
    assert "dahuffman: skipped" in text


def test_a_reader_that_goes_away_stops_the_command_quietly(work, monkeypatch, capsys):
    class GonePipe(io.RawIOBase):
        def writable(self):
            return True

        def write(self, b):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(GonePipe())))
    assert main(["compress", "-c", "a.txt", "a.txt"]) == 1
    assert capsys.readouterr().err == ""


def test_bench_refuses_an_unknown_coder_to_skip(work, capsys):
    assert main(["bench", "--skip", "dahufman", "a.txt"]) == 2
    err = capsys.readouterr().err
    assert "unknown coder 'dahufman'" in err and "dahuffman" in err and err.count("\n") == 1


def test_bench_refuses_only_empty_files(work, capsys):
    (work / "e").write_bytes(b"")
    assert main(["bench", "--repeat", "1", "e"]) == 1
    assert "every file given is empty" in capsys.readouterr().err

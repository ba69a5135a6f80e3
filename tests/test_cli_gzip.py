"""The command's gzip habits: -d/-t/-l at the top level, -q, -S, -r, levels, -v as gzip
prints it, times and mode kept, FIFOs, signals, output onto the input, -T bounds."""

from __future__ import annotations

import io
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import prefixcode as pc
from cli_helpers import TEXT
from prefixcode import cli
from prefixcode.cli import main

OTHER = bytes(range(97, 123)) * 300
HEADER = "         compressed        uncompressed  ratio uncompressed_name\n"
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and POSIX signals")


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def command(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "prefixcode", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kw)


# -- the command without a sub-command, as gzip ----------------------------------------
def test_top_level_options_as_gzip(work, capsysbinary):
    assert main(["-9", "a.txt"]) == 0  # -9 is a level, not a file name
    assert (work / "a.txt.pfx").read_bytes() == pc.compress(TEXT, level=9)
    assert main(["-dc", "a.txt.pfx"]) == 0
    assert capsysbinary.readouterr().out == TEXT
    os.remove(work / "a.txt")
    assert main(["-d", "a.txt.pfx"]) == 0
    assert (work / "a.txt").read_bytes() == TEXT
    assert main(["-c", "a.txt", "--fast"]) == 0  # options after the files, as gzip takes them
    assert capsysbinary.readouterr().out == pc.compress(TEXT, level=1)
    assert main(["-t", "a.txt.pfx"]) == 0 and main(["-l", "a.txt.pfx"]) == 0
    size = (work / "a.txt.pfx").stat().st_size
    row = f"{size:>19} {len(TEXT):>19} {cli._ratio(len(TEXT), size)} a.txt\n"
    assert capsysbinary.readouterr() == ((HEADER + row).encode(), b"")


def test_options_before_a_command_are_a_usage_error_naming_the_right_order(work, capsys):
    assert main(["-v", "compress", "a.txt"]) == 2
    assert capsys.readouterr().err == "prefixcode: error: options go after the command: " \
                                      "prefixcode compress -v a.txt\n"
    assert listing(work) == {"a.txt"}


@pytest.mark.parametrize("level", range(1, 10))
def test_levels_round_trip(work, capsysbinary, level):
    assert main(["compress", f"-{level}", "-c", "a.txt"]) == 0
    blob = capsysbinary.readouterr().out
    assert blob == pc.compress(TEXT, level=level) and pc.decompress(blob) == TEXT


def test_fast_and_best_and_the_last_level_wins(work, capsysbinary):
    for argv, level in ((["--fast"], 1), (["--best"], 9), (["-1", "-7"], 7), (["--best", "-2"], 2)):
        assert main(["compress", "-c", *argv, "a.txt"]) == 0
        assert capsysbinary.readouterr().out == pc.compress(TEXT, level=level)
    (work / "a.txt.pfx").write_bytes(pc.compress(TEXT))
    os.remove(work / "a.txt")
    assert main(["decompress", "-9", "a.txt.pfx"]) == 0  # accepted (and meaningless), as by gzip -d
    assert (work / "a.txt").read_bytes() == TEXT


# -- -t and -l ------------------------------------------------------------------------
def test_test_mode_checks_and_writes_nothing(work, capsys):
    blob = pc.compress(TEXT)
    flipped = bytearray(blob)
    flipped[-3] ^= 1
    files = {"good.pfx": blob, "cut.pfx": blob[:-20], "flip.pfx": bytes(flipped),
             "junk.pfx": b"not a container", "tail.pfx": blob + b"x"}
    for name, data in files.items():
        (work / name).write_bytes(data)
    before = listing(work)
    assert main(["decompress", "-t", "good.pfx"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["-tv", "good.pfx"]) == 0
    assert capsys.readouterr().err == "good.pfx:\t OK\n"
    for name in ("cut.pfx", "flip.pfx", "junk.pfx", "tail.pfx"):
        assert main(["-t", name]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"prefixcode: {name}: ") and err.count("\n") == 1, err
    assert main(["-t", "cut.pfx", "good.pfx", "junk.pfx"]) == 1  # each file told, all checked
    assert capsys.readouterr().err.count("\n") == 2
    assert listing(work) == before


def test_list_sizes_from_the_trailers_summed_over_members(work, capsys):
    one, two = pc.compress(TEXT), pc.compress(OTHER, level=1)
    (work / "one.pfx").write_bytes(one)
    (work / "two.pfx").write_bytes(one + two)  # a file of two members, as `compress -c a b`
    (work / "empty.pfx").write_bytes(pc.compress(b""))
    assert main(["-l", "one.pfx", "two.pfx", "empty.pfx"]) == 0
    rows = [(len(one), len(TEXT), "one"), (len(one + two), len(TEXT + OTHER), "two"),
            (len(pc.compress(b"")), 0, "empty")]
    total = (sum(r[0] for r in rows), sum(r[1] for r in rows), "(totals)")
    expected = HEADER + "".join(f"{c:>19} {u:>19} {cli._ratio(u, c)} {name}\n"
                                for c, u, name in [*rows, total])
    assert capsys.readouterr().out == expected
    assert cli._ratio(0, 19) == "  0.0%" and cli._ratio(1000, 365) == " 63.5%"
    assert cli._ratio(10, 30) == "-200.0%"


def test_list_refuses_damage_without_decoding(work, capsys):
    (work / "cut.pfx").write_bytes(pc.compress(TEXT)[:-5])
    (work / "junk.pfx").write_bytes(pc.compress(TEXT) + b"junk")
    (work / "empty.pfx").write_bytes(b"")
    assert main(["-l", "cut.pfx", "junk.pfx", "empty.pfx"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 3
    assert "prefixcode: junk.pfx: not a prefixcode container" in err


# -- -S, -r, -q ------------------------------------------------------------------------
def test_suffix(work, capsys):
    assert main(["compress", "-S", ".huff", "a.txt"]) == 0
    assert pc.decompress((work / "a.txt.huff").read_bytes()) == TEXT
    os.remove(work / "a.txt")
    assert main(["-d", "-S", ".huff", "a.txt.huff"]) == 0
    assert (work / "a.txt").read_bytes() == TEXT
    assert main(["-d", "a.txt.huff"]) == 1
    assert "unknown suffix, expected .pfx" in capsys.readouterr().err
    assert main(["compress", "-S", "", "a.txt"]) == 2
    assert main(["compress", "-S", "x/y", "a.txt"]) == 2


def test_recursive_on_a_tree(work, capsys):
    tree = work / "tree"
    (tree / "sub" / "deeper").mkdir(parents=True)
    files = {"x": TEXT, "sub/y": OTHER, "sub/deeper/z": b"", "done.pfx": pc.compress(b"old")}
    for name, data in files.items():
        (tree / name).write_bytes(data)
    (tree / "link").symlink_to("x")
    assert main(["compress", "tree"]) == 1
    assert capsys.readouterr().err == "prefixcode: tree: is a directory (use -r to treat the files in it)\n"
    assert main(["-r", "tree"]) == 0
    assert capsys.readouterr().err == "prefixcode: tree/link: not a regular file -- ignored\n"
    made = {"tree/x.pfx", "tree/sub/y.pfx", "tree/sub/deeper/z.pfx"}
    assert made <= listing(work) and "tree/done.pfx.pfx" not in listing(work)
    for name in ("x", "sub/y", "sub/deeper/z"):
        os.remove(tree / name)
    assert main(["-d", "-r", "-q", "tree"]) == 0  # -q: no warning for the link
    assert capsys.readouterr().err == ""
    for name, data in files.items():
        assert (tree / name).read_bytes() == data
    assert main(["-lr", "tree"]) == 0
    out = capsys.readouterr().out.splitlines()
    names = [line.split()[-1] for line in out[1:]]
    assert names == ["tree/done", "tree/x", "tree/sub/y", "tree/sub/deeper/z", "(totals)"]
    assert main(["-r", "-o", "x", "tree"]) == 2


def test_quiet_silences_verbose_and_the_last_wins(work, capsys):
    assert main(["compress", "-v", "-q", "a.txt"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["compress", "-f", "-q", "-v", "a.txt"]) == 0
    assert capsys.readouterr().err.startswith("a.txt:\t")


# -- times, mode ------------------------------------------------------------------------
def test_modification_time_and_mode_kept(work):
    src = work / "a.txt"
    os.chmod(src, 0o604)
    os.utime(src, ns=(1_500_000_000_123_456_789, 1_600_000_000_987_654_321))
    assert main(["compress", "a.txt"]) == 0
    packed = (work / "a.txt.pfx").stat()
    assert packed.st_mtime_ns == 1_600_000_000_987_654_321 and stat.S_IMODE(packed.st_mode) == 0o604
    os.remove(src)
    os.utime(work / "a.txt.pfx", ns=(1_400_000_000_000_000_000, 1_700_000_000_000_000_000))
    assert main(["decompress", "a.txt.pfx"]) == 0
    back = src.stat()
    assert back.st_mtime_ns == 1_700_000_000_000_000_000 and stat.S_IMODE(back.st_mode) == 0o604


# -- FIFOs, process substitution ---------------------------------------------------------
@posix_only
def test_fifo_without_c_is_refused_at_once(work):
    os.mkfifo(work / "f")
    start = time.monotonic()
    proc = command("compress", "f", cwd=work)
    _, err = proc.communicate(timeout=20)  # (it would block forever in open() without O_NONBLOCK)
    assert proc.returncode == 1 and err == b"prefixcode: f: not a regular file (use -c or -o to read it)\n"
    assert time.monotonic() - start < 20 and listing(work) == {"a.txt", "f"}


@posix_only
def test_fifo_and_pipes_read_with_c(work, capsysbinary):
    r, w = os.pipe()  # what <(cat FILE) gives: /dev/fd/N, a pipe
    proc = subprocess.Popen([sys.executable, "-m", "prefixcode", "compress", "-c", f"/dev/fd/{r}"],
                            pass_fds=(r,), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(r)
    with os.fdopen(w, "wb") as fh:
        fh.write(TEXT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert pc.decompress(out) == TEXT
    os.mkfifo(work / "f")
    fd = os.open(work / "f", os.O_RDONLY | os.O_NONBLOCK)  # (keeps what is written in the FIFO)
    try:
        wfd = os.open(work / "f", os.O_WRONLY)
        os.write(wfd, TEXT[:4000])
        os.close(wfd)
        assert main(["compress", "-o", "out.pfx", "f"]) == 0
    finally:
        os.close(fd)
    assert pc.decompress((work / "out.pfx").read_bytes()) == TEXT[:4000]


# -- signals ------------------------------------------------------------------------------
@posix_only
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signals_leave_no_temporary_file(work, sig):
    os.mkfifo(work / "f")
    fd = os.open(work / "f", os.O_RDWR)  # held open: the command blocks reading it
    try:
        os.write(fd, TEXT[:1000])
        proc = command("compress", "-o", "out.pfx", "f", cwd=work)
        deadline = time.monotonic() + 30
        while not any(n.startswith(".out.pfx.") for n in os.listdir(work)):  # writing has begun
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
            time.sleep(0.02)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
    finally:
        os.close(fd)
    assert proc.returncode == 128 + sig, err
    assert err.count(b"\n") == 1 and b"Traceback" not in err
    assert listing(work) == {"a.txt", "f"}


def test_signal_handlers_are_put_back(work, capsysbinary):
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    assert main(["compress", "-c", "a.txt"]) == 0
    assert {s: signal.getsignal(s) for s in before} == before


def test_a_signal_while_writing_discards_the_output(work, monkeypatch):
    from prefixcode import container

    def killed(src, dst, **kw):
        dst.write(b"partial output")
        cli._on_signal(signal.SIGTERM, None)

    monkeypatch.setattr(container, "compress_stream", killed)
    assert main(["compress", "a.txt"]) == 143
    assert listing(work) == {"a.txt"}


# -- output onto the input; -T -------------------------------------------------------------
@posix_only
def test_output_appended_onto_the_input_is_refused(work):
    for argv, stdin in ((["compress", "-c", "a.txt"], None), (["compress"], "a.txt")):
        with open(work / "a.txt", "ab") as out:
            proc = subprocess.run([sys.executable, "-m", "prefixcode", *argv], cwd=work, stdout=out,
                                  stdin=open(work / stdin, "rb") if stdin else None, stderr=subprocess.PIPE,
                                  timeout=60)
        assert proc.returncode == 1
        assert proc.stderr.endswith(b": input and output are the same file (standard output is the input)\n")
        assert (work / "a.txt").read_bytes() == TEXT


@pytest.mark.parametrize("value", ["-1", "257", "100000000", "many", "1.5"])
def test_threads_bounded_with_a_one_line_usage_error(work, capsys, value):
    assert main(["compress", "-T", value, "a.txt"]) == 2
    err = capsys.readouterr().err
    assert err == ("prefixcode: error: argument -T must be an integer from 0 (all cores) to 256, "
                   f"got {value!r}\n")
    assert listing(work) == {"a.txt"}


def test_threads_zero_means_all_cores(work, capsysbinary):
    for value in ("0", "1", "256"):
        assert main(["compress", "-c", "-T", value, "a.txt"]) == 0
        assert capsysbinary.readouterr().out == pc.compress(TEXT)


def test_compressed_data_not_read_from_a_terminal(work, monkeypatch, capsys):
    class Tty(io.BytesIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Tty(pc.compress(TEXT))))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert main(["-d"]) == 1
    assert capsys.readouterr().err == "prefixcode: <stdin>: compressed data not read from a terminal " \
                                      "(use -f to force)\n"


def test_compress_does_not_import_numpy(work):
    runner = ("import sys; from prefixcode.cli import main; rc = main(['compress', '-f', '-v', 'a.txt']); "
              "sys.exit(rc or 3 * ('numpy' in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", runner], cwd=work, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert pc.decompress((work / "a.txt.pfx").read_bytes()) == TEXT


def test_the_levels_table_of_the_docs_holds_on_the_corpus():
    import re

    repo = Path(__file__).resolve().parent.parent
    corpus = repo.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("no corpus")
    files = [p.read_bytes() for p in sorted(corpus.iterdir())
             if p.is_file() and p.name not in ("README.md", "LICENSE")]
    text = (repo / "docs" / "format.md").read_text(encoding="utf-8")
    section = text.split("\n## Levels\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d) \| [^|]+ \| [^|]+ \| ([\d,]+) \|", section, re.M)
    assert [int(level) for level, _ in rows] == list(range(1, 10))
    for level, size in rows:
        assert sum(len(pc.compress(f, level=int(level))) for f in files) == int(size.replace(",", ""))


def test_the_readme_table_names_options_the_command_takes():
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("| gzip | prefixcode | |", 1)[1].split("\n\n", 1)[0]
    taken = cli._codec_parser("gzip")._option_string_actions
    named = set()
    for row in table.splitlines()[2:]:
        theirs, ours = row.split("|")[1:3]
        spans = re.findall(r"`([^`]+)`", theirs if ours.strip() == "the same" else ours)
        named |= {word for span in spans for word in span.split() if word.startswith("-") and word != "-"}
    assert named >= {"-d", "-t", "-l", "-q", "-S", "-r", "-c", "-o", "-T", "--fast", "--best"}
    assert all(o in taken for o in named), named - set(taken)


def test_the_command_bounds_threads_as_the_container_does():
    from prefixcode._checks import MAX_THREADS

    assert cli.MAX_THREADS == MAX_THREADS

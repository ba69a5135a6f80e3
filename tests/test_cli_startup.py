"""The command's quick start: the fast reader of compress / decompress options held
against argparse, and what a `prefixcode compress -c` process imports."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from prefixcode import cli

VERBS = ("compress", "decompress", "gzip")


def by_argparse(verb: str, argv: list[str]) -> dict | None:
    """vars() of what argparse makes of `argv` (as main() gives it), or None on its error."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            return vars(cli._codec_parser(verb).parse_intermixed_args(argv))
    except SystemExit:
        return None


def short_letters(verb: str, takes_value: bool) -> list[str]:
    return [s[1] for strings, _, action, *_ in cli._codec_options(verb) for s in strings
            if len(s) == 2 and (action == "store") == takes_value]


def long_names(verb: str) -> list[str]:
    return [s for strings, *_ in cli._codec_options(verb) for s in strings if s.startswith("--")]


# Words the grammar allows and words that only look like it: values, files, '-' and '--',
# files starting with '-', negative thread counts, abbreviations, help.
VALUES = ["4", "0", "-1", "-12", "x", ".gz", "", "-", "a=b", "--", "-c", "many", "1.5"]
ODD = ["-", "--", "-x", "-x y", "x y", "-1", "-12", "-10", "-h", "--help", "--std", "--s", "--thread=2",
       "--stdout=1", "-S=x", "-cS=x", "--version", "=", "-dc9", "-T", "--threads", "---", "-c-"]
FILES = ["a.txt", "b.pfx", "compress", "decompress", "weird name", ""]


@st.composite
def argvs(draw: st.DrawFn, verb: str) -> list[str]:
    flags, valued, longs = short_letters(verb, False), short_letters(verb, True), long_names(verb)
    word = st.one_of(
        st.sampled_from(FILES),
        st.sampled_from(ODD),
        st.sampled_from(VALUES),
        st.sampled_from(longs),
        st.builds(lambda o, v: f"{o}={v}", st.sampled_from(longs), st.sampled_from(VALUES)),
        # clusters of one-letter options, perhaps ending with one that takes a value, joined
        st.builds(lambda fs, v, val: "-" + "".join(fs) + (v + val if v else ""),
                  st.lists(st.sampled_from(flags), min_size=1, max_size=4),
                  st.sampled_from(["", *valued]), st.sampled_from(VALUES)),
        st.builds(lambda v, val: [f"-{v}", val], st.sampled_from(valued), st.sampled_from(VALUES)),
    )
    words = draw(st.lists(word, max_size=7))
    return [w for item in words for w in (item if isinstance(item, list) else [item])]


@pytest.mark.parametrize("verb", VERBS)
@given(data=st.data())
@example(data=None)
def test_the_fast_reader_reads_as_argparse_or_declines(verb, data):
    if data is None:  # (the forms of the benchmark and the docs, read fast)
        cases = [["-c", "a.txt"], ["-9", "-c", "a.txt", "--fast"], ["-S", ".x", "a"], ["-T4", "a", "b"]]
    else:
        cases = [data.draw(argvs(verb))]
    for raw in cases:
        argv = cli._negative_threads_joined(raw)
        fast = cli._read_codec_args(verb, argv)
        if data is None:
            assert fast is not None, raw
        if fast is not None:
            slow = by_argparse(verb, argv)
            assert slow is not None, f"{raw}: read fast as {fast}, refused by argparse"
            assert vars(fast) == slow, raw


@pytest.mark.parametrize("verb", VERBS)
def test_every_option_of_the_parser_is_known_to_the_fast_reader(verb):
    taken = cli._codec_parser(verb)._option_string_actions
    for option, action in taken.items():
        if option in ("-h", "--help"):
            assert cli._read_codec_args(verb, [option]) is None  # argparse prints the help
            continue
        argv = [option, "x"] if action.nargs is None else [option]
        fast = cli._read_codec_args(verb, argv)
        assert fast is not None, option
        assert vars(fast) == by_argparse(verb, argv), option


@pytest.mark.parametrize("raw", [
    ["-c", "--", "-x"], ["--std", "a"], ["-T"], ["-S", "-c", "a"], ["--stdout=1"], ["-S=x"], ["-x y"],
    ["a", "--help"], ["-ch"], ["-10"],
])
def test_the_fast_reader_leaves_to_argparse_what_it_does_not_know(raw):
    assert cli._read_codec_args("compress", cli._negative_threads_joined(raw)) is None


def test_help_and_errors_are_argparses(capsys):
    assert cli.main(["compress", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: prefixcode compress [-h] [-c]")
    assert cli.main(["compress", "--no-such-option", "a"]) == 2
    assert "prefixcode compress: error: unrecognized arguments: --no-such-option" in capsys.readouterr().err
    assert cli.main(["-d", "-S"]) == 2
    assert "error: argument -S/--suffix: expected one argument" in capsys.readouterr().err


# What a real process imports: compressing a small file must not pay for argparse, re,
# signal's enumerations, threading, contextlib or numpy. The children run without site
# (-S) and find prefixcode where this process found it, so that an editable install's
# import hook (which imports re) is not counted.
NOT_ON_THE_WAY = {"argparse", "re", "enum", "signal", "threading", "contextlib", "numpy", "collections",
                  "typing", "importlib", "tempfile", "shutil"}


def isolated(*argv: str, data: bytes | None = None) -> subprocess.CompletedProcess:
    import prefixcode

    env = {**os.environ, "PYTHONPATH": str(Path(prefixcode.__file__).resolve().parent.parent)}
    return subprocess.run([sys.executable, "-S", *argv], input=data, capture_output=True, timeout=60, env=env)


IMPORTS = r"""
import sys
before = set(sys.modules)
from prefixcode.cli import main
status = main(sys.argv[1:])
sys.stdout.flush()
sys.stderr.write("\n" + " ".join(sorted(set(sys.modules) - before)))
sys.exit(status)
"""


@pytest.mark.parametrize("argv", [
    ["compress", "-c", "{f}"], ["decompress", "-c", "{f}.pfx"], ["-dc", "{f}.pfx"],
    ["compress", "-kf", "{f}"], ["-t", "{f}.pfx"],
])
def test_the_codec_commands_import_little(tmp_path, argv):
    import prefixcode as pc

    f = tmp_path / "a.txt"
    f.write_bytes(b"abracadabra " * 100)
    (tmp_path / "a.txt.pfx").write_bytes(pc.compress(f.read_bytes()))
    proc = isolated("-c", IMPORTS, *(a.format(f=f) for a in argv))
    assert proc.returncode == 0, proc.stderr
    imported = set(proc.stderr.decode().rsplit("\n", 1)[1].split())
    assert "prefixcode.container" in imported
    assert imported.isdisjoint(NOT_ON_THE_WAY), imported & NOT_ON_THE_WAY


def test_the_slow_way_still_imports_argparse():
    proc = isolated("-c", IMPORTS, "compress", "--std", "-", data=b"x")
    assert proc.returncode == 0, proc.stderr
    assert "argparse" in proc.stderr.decode().rsplit("\n", 1)[1].split()


def imported_by(*argv: str) -> set[str]:
    """The modules a fresh interpreter (without site) running `argv` imports."""
    proc = isolated("-X", "importtime", *argv)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.decode().splitlines()
    return {line.split("|")[-1].strip() for line in lines if line.startswith("import time:")}


def test_the_script_installed_as_the_command_imports_no_re(tmp_path):
    """scripts/prefixcode (the command on POSIX, setup.py) is not the entry-point wrapper
    an installer generates, which imports re before anything else."""
    script = Path(__file__).resolve().parent.parent / "scripts" / "prefixcode"
    assert script.read_text(encoding="utf-8").startswith("#!python\n")  # (the installer's interpreter)
    f = tmp_path / "a.txt"
    f.write_bytes(b"abracadabra " * 100)
    new = imported_by(str(script), "compress", "-c", str(f)) - imported_by("-c", "pass")
    assert "prefixcode.container" in new
    assert new.isdisjoint(NOT_ON_THE_WAY), new & NOT_ON_THE_WAY

"""Compare prefixcode with its peers on the benchmark corpus, all in one run.

Usage (from the repository)::

    .venv/bin/python bench/bench_codecs.py             # ../shared/corpus, print the tables
    .venv/bin/python bench/bench_codecs.py --readme    # also rewrite the table in README.md
    .venv/bin/python bench/bench_codecs.py FILE...     # your own files

For each file and in total: encode and decode MB/s (10**6 bytes of original data per
second, best of --repeat interleaved rounds), speed and size relative to zlib's
Huffman-only mode, and the output size of prefixcode (container, 1 thread and the
default), zlib's Huffman-only mode, libdeflate and isal decoding that zlib stream, their
fastest levels, zstd -1 and -3 (LZ77 + entropy coding: another class of coder), bitarray
(huffman_code + decode tree), dahuffman (timed on a slice: it is pure Python),
constriction (ANS, one categorical model per file) and the order-0 bound n * H0 / 8.
The peers come with the ``bench`` extra (``pip install -e ".[bench]"``); a missing peer
is skipped with a note. Also measured (bench_startup.py's start-up part, fewer rounds):
``prefixcode compress -c`` of 1 KB and 1 MB in a fresh process against ``python -c pass``
and ``gzip -6 -c``.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import prefixcode
from prefixcode import _bench

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
README = REPO / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name not in ("README.md", "LICENSE"))


def machine() -> str:
    return (f"{_bench.machine()}, numpy {np.__version__}, prefixcode {prefixcode.__version__}; "
            f"{_bench.versions()}")


def startup(repeat: int = 5) -> dict[str, tuple[float, float]]:
    """bench_startup.py's start-up rounds: (best, first) wall seconds per command."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_startup

    with tempfile.TemporaryDirectory() as tmp:
        paths = bench_startup.make_files(Path(tmp), bench_startup.corpus_bytes(), 0)
        return bench_startup.startup(paths, repeat)


def startup_line(times: dict[str, tuple[float, float]]) -> str:
    t = {name: best for name, (best, _) in times.items()}
    return (f"start-up, fresh processes, best of several: `prefixcode compress -c` of 1 KB "
            f"{t['prefixcode compress -c, 1 KB']:.3f} s against `python -c pass` {t['python -c pass']:.3f} s "
            f"({t['prefixcode compress -c, 1 KB'] / t['python -c pass']:.2f}x); of 1 MB "
            f"{t['prefixcode compress -c, 1 MB']:.3f} s against `gzip -6 -c` {t['gzip -6 -c, 1 MB']:.3f} s "
            f"({t['prefixcode compress -c, 1 MB'] / t['gzip -6 -c, 1 MB']:.2f}x)")


def codec_speeds(data: bytes, repeat: int = 3) -> list[list[str]]:
    """pc.encode / pc.decode against bitarray's own encode / decode, same code, same data.

    The general path (any hashable symbols: here the characters of `data` read as
    latin-1) and the fast path for bytes, each with bitarray's Huffman code of the data.
    """
    from bitarray import bitarray, decodetree
    from bitarray.util import huffman_code

    from prefixcode.code import PrefixCode

    def best(fn) -> float:
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    text = data.decode("latin-1")
    hist = np.bincount(np.frombuffer(data, dtype=np.uint8), minlength=256)
    words = huffman_code({chr(i): int(c) for i, c in enumerate(hist.tolist()) if c})
    code_chr = PrefixCode.from_codewords({s: w.to01() for s, w in words.items()})
    code_int = PrefixCode.from_codewords({ord(s): w.to01() for s, w in words.items()})
    tree = decodetree(words)

    def ba_encode() -> bitarray:
        out = bitarray()
        out.encode(words, text)
        return out

    bits = ba_encode()
    assert prefixcode.encode(text, code_chr) == bits == prefixcode.encode(data, code_int)
    assert "".join(prefixcode.decode(bits, code_chr)) == text
    assert prefixcode.decode(bits, code_int, into=bytes) == data
    jobs = {
        "bitarray encode / decode (list of str)": (ba_encode, lambda: list(bits.decode(tree))),
        "pc.encode / pc.decode, any symbols (list of str)": (
            lambda: prefixcode.encode(text, code_chr), lambda: prefixcode.decode(bits, code_chr)),
        "pc.encode / pc.decode, bytes fast path": (
            lambda: prefixcode.encode(data, code_int), lambda: prefixcode.decode(bits, code_int, into=bytes)),
    }
    # Round robin, best of `repeat` rounds: a busy neighbour slows every coder alike.
    times = {name: [float("inf"), float("inf")] for name in jobs}
    for _ in range(max(repeat, 3)):
        for name, fns in jobs.items():
            for k, fn in enumerate(fns):
                times[name][k] = min(times[name][k], best(fn))
    rows = [[name, te, td] for name, (te, td) in times.items()]
    n = len(data) / 1e6
    return [[name, f"{n / te:.1f}", f"{n / td:.1f}"] for name, te, td in rows]


PC1 = "prefixcode -T1"


def file_rows(result: _bench.Result) -> list[list[str]]:
    """Per file: sizes, prefixcode's (one thread) and zlib's speeds, their ratio, libdeflate's."""
    t = result.table
    rows = []
    for name, n in result.files:
        def m(coder: str, name: str = name) -> _bench.Measure | None:
            return t[coder][name] if coder in t and name in t[coder] else None

        def size(coder: str) -> str:
            return f"{m(coder).size:,.0f}" if m(coder) else "-"

        def speed(coder: str, which: str) -> str:
            x = m(coder)
            s = None if x is None else x.encode_s if which == "e" else x.decode_s
            return f"{x.timed_bytes / s / 1e6:.0f}" if s else "-"

        def ratio(coder: str, which: str) -> str:
            x = m(coder)
            r = _bench.speedup(x, m(_bench.BASELINE), which) if x else None
            return "-" if r is None else f"{r:.2f}x"

        pc, z, b = m(PC1), m(_bench.BASELINE), m("order-0 bound")
        rows.append([
            Path(name).name, f"{n:,}", size("order-0 bound"), size(_bench.BASELINE), size(PC1),
            f"{pc.size / z.size:.4f}" if pc and z else "-", f"{pc.size / b.size:.4f}" if pc and b else "-",
            f"{speed(PC1, 'e')} / {speed(PC1, 'd')}",
            f"{speed(_bench.BASELINE, 'e')} / {speed(_bench.BASELINE, 'd')}",
            f"{ratio(PC1, 'e')} / {ratio(PC1, 'd')}",
            ratio("libdeflate on zlib-HO", "d"),
        ])
    return rows


FILE_HEADER = ["file", "bytes", "order-0 bound", "zlib-HO", "prefixcode", "pc / zlib-HO", "pc / order-0",
               "pc -T1 enc / dec MB/s", "zlib-HO enc / dec MB/s", "pc -T1 vs zlib-HO enc / dec",
               "libdeflate dec vs zlib-HO"]


CODEC_HEADER = ["codec (one code for the whole corpus)", "encode MB/s", "decode MB/s"]


def ratio_line(result: _bench.Result) -> str | None:
    """The one line the README states: one thread against zlib Huffman-only, same run."""
    tot = _bench.totals(result)
    base, ours = tot.get(_bench.BASELINE), tot.get(PC1)
    if ours is None:
        return None
    enc, dec = _bench.speedup(ours, base, "e"), _bench.speedup(ours, base, "d")
    if enc is None or dec is None:
        return None
    line = (f"one thread against {_bench.BASELINE}, same run, file by file over all files: encode "
            f"{enc:.2f}x, decode {dec:.2f}x as fast, {ours.size / base.size:.4f}x the size")
    peers = [(c, _bench.speedup(tot[c], base, "d")) for c in ("libdeflate on zlib-HO", "isal on zlib-HO")
             if c in tot]
    if peers:
        line += "; decoding zlib's stream, " + ", ".join(f"{c.split()[0]} {r:.2f}x" for c, r in peers if r)
    return line + "."


def readme_block(result: _bench.Result, start: dict[str, tuple[float, float]] | None,
                 codec: list[list[str]]) -> str:
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    total = sum(n for _, n in result.files)
    lines = [
        f"Measured {today} by `bench/bench_codecs.py` on {len(result.files)} files of `../shared/corpus` "
        f"({total:,} bytes), one process, the same bytes for every coder, file by file, coders "
        f"interleaved; {machine()}.",
        "Speeds are MB/s of original data (best of several rounds); sizes in bytes. `prefixcode`, zlib,",
        "libdeflate, isal and zstd count every header; bitarray and dahuffman count only the payload (no",
        "code table). libdeflate -1, isal -0 and zstd find repeated strings (LZ77) before coding: another",
        "class of coder, shown for scale. constriction's ANS is not a prefix code and shows what a model",
        "of the same order-0 statistics can reach.",
        "",
        _bench.markdown(_bench.HEADER, _bench._rows(_bench.totals(result))),
        "",
    ]
    line = ratio_line(result)
    if line:
        lines.append(f"**{line[0].upper() + line[1:]}**")
        lines.append("")
    lines += [f"* {note}" for note in _bench.notes_of(result)]
    if start:
        lines.append(f"* {startup_line(start)}.")
    lines += [
        "",
        "The codec alone (`pc.encode` / `pc.decode`, no container), on the corpus as one message:",
        "",
        _bench.markdown(CODEC_HEADER, codec),
        "",
        "Per file:",
        "",
        _bench.markdown(FILE_HEADER, file_rows(result)),
    ]
    return "\n".join(lines)


def rewrite_readme(block: str, path: Path = README) -> None:
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path}: no {START} ... {END} block to rewrite")
    path.write_text(pattern.sub(lambda _: f"{START}\n{block}\n{END}", text, count=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help=f"files to measure (default: {CORPUS})")
    ap.add_argument("--repeat", type=int, default=3, help="timing rounds per file; the best counts")
    ap.add_argument("--skip", action="append", default=[], help="leave out a coder (repeatable)")
    ap.add_argument("--readme", action="store_true", help="rewrite the bench block of README.md")
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up measurement")
    args = ap.parse_args(argv)
    paths = args.files or (corpus_files(CORPUS) if CORPUS.is_dir() else [])
    if not paths:
        ap.error(f"no files given and {CORPUS} is absent")
    files = [(str(p if args.files else p.name), p.read_bytes()) for p in paths]
    print(f"{machine()}\n", file=sys.stderr)
    t0 = time.perf_counter()
    result = _bench.run(files, repeat=args.repeat, skip=set(args.skip), log=sys.stderr)
    print(_bench.render(result))
    line = ratio_line(result)
    if line:
        print(f"\n{line}")
    start = None
    if not args.no_startup and CORPUS.is_dir():
        start = startup()
        print(f"\n{startup_line(start)}")
    codec = codec_speeds(b"".join(data for _, data in files), args.repeat)
    print("\n" + _bench.text_table(CODEC_HEADER, codec))
    print(f"\n(benchmark run took {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    if args.readme:
        rewrite_readme(readme_block(result, start, codec))
        print(f"rewrote the benchmark block of {README}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

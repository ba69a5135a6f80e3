"""Compare prefixcode with its peers on the benchmark corpus, all in one run.

Usage (from the repository)::

    .venv/bin/python bench/bench_codecs.py             # ../shared/corpus, print the tables
    .venv/bin/python bench/bench_codecs.py --readme    # also rewrite the table in README.md
    .venv/bin/python bench/bench_codecs.py FILE...     # your own files

For each file and in total: encode and decode MB/s (10**6 bytes of original data per
second, best of --repeat runs) and the output size of prefixcode (container, 1 thread
and the default), zlib's Huffman-only mode, bitarray (huffman_code + decode tree),
dahuffman (timed on a slice: it is pure Python), constriction (ANS, one categorical
model per file) and the order-0 bound n * H0 / 8, with sizes relative to zlib's
Huffman-only mode and to the bound. dahuffman and constriction come with the ``bench``
extra (``pip install -e ".[bench]"``); a missing peer is skipped with a note. Also
measured: start-up time of ``prefixcode compress`` on a small file with a warm numba
cache, and with an empty one (the one-off compile time).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

import prefixcode
from prefixcode import _bench

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
README = REPO / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name not in ("README.md", "LICENSE"))


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    return (f"{cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"numpy {np.__version__}, numba {numba.__version__}, prefixcode {prefixcode.__version__}")


def startup(runs: int = 3) -> tuple[float, float]:
    """(warm, cold) wall seconds of the command.

    warm: `prefixcode compress -c` of a 1 KB file with a warm numba cache. cold: compress
    and then decompress a 1 MiB file with an empty numba cache, the one-off cost of
    compiling every kernel a real file reaches (small inputs run the kernels interpreted,
    so a small file would not show it).
    """
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.txt"
        small.write_bytes(b"a small file to compress, " * 40)
        rng = np.random.default_rng(1)
        large = Path(tmp) / "large.bin"
        large.write_bytes(rng.choice(64, size=1 << 20, p=np.arange(64, 0, -1) / 2080).astype(np.uint8))
        packed = Path(tmp) / "large.bin.pfx"
        tool = [sys.executable, "-m", "prefixcode"]

        def once(env: dict, *commands: list[str]) -> float:
            t0 = time.perf_counter()
            for args in commands:
                subprocess.run(tool + args, env=env, check=True, stdout=subprocess.DEVNULL)
            return time.perf_counter() - t0

        warm_env = dict(os.environ)
        once(warm_env, ["compress", "-c", str(small)])  # make sure the cache is warm
        warm = min(once(warm_env, ["compress", "-c", str(small)]) for _ in range(runs))
        cold_env = dict(os.environ, NUMBA_CACHE_DIR=str(Path(tmp) / "numba-cache"))
        cold = once(cold_env, ["compress", "-f", str(large)], ["decompress", "-f", "-c", str(packed)])
    return warm, cold


def codec_speeds(data: bytes, repeat: int = 3) -> list[list[str]]:
    """pc.encode / pc.decode against bitarray's own encode / decode, same code, same data.

    The general path (any hashable symbols: here the characters of `data` read as
    latin-1) and the fast path for bytes, each with bitarray's Huffman code of the data.
    """
    from bitarray import bitarray, decodetree
    from bitarray.util import huffman_code

    from prefixcode.code import PrefixCode

    def best(fn):
        return _bench._best(fn, 1)

    text = data.decode("latin-1")
    hist = np.bincount(np.frombuffer(data, dtype=np.uint8), minlength=256)
    words = huffman_code({chr(i): int(c) for i, c in enumerate(hist.tolist()) if c})
    code_chr = PrefixCode.from_codewords({s: w.to01() for s, w in words.items()})
    code_int = PrefixCode.from_codewords({ord(s): w.to01() for s, w in words.items()})
    tree = decodetree(words)
    prefixcode.decode(prefixcode.encode(data[:1000], code_int), code_int, into=bytes)  # compile

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
                times[name][k] = min(times[name][k], best(fn)[0])
    rows = [[name, te, td] for name, (te, td) in times.items()]
    n = len(data) / 1e6
    return [[name, f"{n / te:.1f}", f"{n / td:.1f}"] for name, te, td in rows]


def file_rows(result: _bench.Result) -> list[list[str]]:
    """Per file: sizes of every coder and prefixcode's and zlib's speeds."""
    t = result.table
    rows = []
    for name, n in result.files:
        def size(coder: str, name: str = name) -> str:
            return f"{t[coder][name].size:,.0f}" if coder in t else "-"

        def speed(coder: str, which: str, name: str = name) -> str:
            if coder not in t:
                return "-"
            m = t[coder][name]
            s = m.encode_s if which == "e" else m.decode_s
            return f"{m.timed_bytes / s / 1e6:.0f}" if s else "-"

        pc_size = t["prefixcode"][name].size if "prefixcode" in t else None
        z = t[_bench.BASELINE][name].size if _bench.BASELINE in t else None
        b = t["order-0 bound"][name].size if "order-0 bound" in t else None
        rows.append([
            Path(name).name, f"{n:,}", size("order-0 bound"), size(_bench.BASELINE), size("prefixcode"),
            f"{pc_size / z:.4f}" if pc_size and z else "-", f"{pc_size / b:.4f}" if pc_size and b else "-",
            f"{speed('prefixcode', 'e')} / {speed('prefixcode', 'd')}",
            f"{speed(_bench.BASELINE, 'e')} / {speed(_bench.BASELINE, 'd')}",
            size("bitarray"), size("constriction"),
        ])
    return rows


FILE_HEADER = ["file", "bytes", "order-0 bound", "zlib-HO", "prefixcode", "pc / zlib-HO", "pc / order-0",
               "pc enc / dec MB/s", "zlib-HO enc / dec MB/s", "bitarray", "constriction"]


CODEC_HEADER = ["codec (one code for the whole corpus)", "encode MB/s", "decode MB/s"]


def readme_block(result: _bench.Result, warm: float, cold: float, codec: list[list[str]]) -> str:
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    total = sum(n for _, n in result.files)
    lines = [
        f"Measured {today} by `bench/bench_codecs.py` on {len(result.files)} files of `../shared/corpus` "
        f"({total:,} bytes), one process, the same bytes for every coder; {machine()}.",
        "Speeds are MB/s of original data (best of several runs); sizes in bytes. `prefixcode` and",
        "zlib count every header; bitarray and dahuffman count only the payload (no code table);",
        "constriction's ANS is not a prefix code and shows what a model of the same order-0 statistics",
        "can reach.",
        "",
        _bench.markdown(_bench.HEADER, _bench._rows(_bench.totals(result))),
        "",
    ]
    lines += [f"* {coder}: {note}" for coder, note in result.notes.items()]
    tot = _bench.totals(result)
    base, ours = tot.get(_bench.BASELINE), tot.get("prefixcode -T1")
    if base and ours and base.encode_s and ours.encode_s and base.decode_s and ours.decode_s:
        lines.append(
            f"* one thread against {_bench.BASELINE}, same run, all files: encode "
            f"{base.encode_s / ours.encode_s * ours.timed_bytes / base.timed_bytes:.2f}x, decode "
            f"{base.decode_s / ours.decode_s * ours.timed_bytes / base.timed_bytes:.2f}x as fast, "
            f"{ours.size / base.size:.4f}x the size."
        )
    lines += [
        f"* start-up: `prefixcode compress -c` of a 1 KB file takes {warm:.2f} s with a warm numba cache. "
        f"The first compress and decompress of a large file ever (1 MiB, empty cache) take {cold:.1f} s, "
        "compiling the kernels into numba's cache once.",
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
    ap.add_argument("--repeat", type=int, default=3, help="timing runs per coder and file; the best counts")
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
    result = _bench.run(files, repeat=args.repeat, skip=set(args.skip))
    print(_bench.render(result))
    warm = cold = float("nan")
    if not args.no_startup:
        warm, cold = startup()
        print(f"\nstart-up: `prefixcode compress -c` of a small file {warm:.2f} s (warm numba cache); "
              f"first-ever compress + decompress of 1 MiB {cold:.1f} s (empty cache)")
    codec = codec_speeds(b"".join(data for _, data in files), args.repeat)
    print("\n" + _bench.text_table(CODEC_HEADER, codec))
    print(f"\n(benchmark run took {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    if args.readme:
        rewrite_readme(readme_block(result, warm, cold, codec))
        print(f"rewrote the benchmark block of {README}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

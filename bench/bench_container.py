"""The container against zlib's Huffman-only mode and the peers, coders interleaved.

Usage (from the repository)::

    .venv/bin/python bench/bench_container.py                       # the corpus, file by file
    .venv/bin/python bench/bench_container.py --repeat 9 --big 20   # + the corpus x 20, threads, ceiling
    .venv/bin/python bench/bench_container.py --big 20 --markdown   # a block for docs/format.md

In one run, on the same data, one thread unless said otherwise:

1. file by file over the corpus: prefixcode with 1 and 2 threads, zlib's Huffman-only
   mode, libdeflate and isal decoding zlib's stream, their fastest levels, zstd -1 and -3,
   bitarray, dahuffman (one round: pure Python, on a slice) and constriction, and Huff0
   (zstd's Huffman coder, built from Debian's libzstd-dev by bench/huff0.py where it is
   installed; it writes into kept buffers, beside "prefixcode into a buffer"). A timed unit
   is one coder's pass over all the files; the passes take turns, best of --repeat
   rounds, so no coder runs with the caches another left warm;
2. the same on the first 64 KiB of each file, and the cost of one call in microseconds:
   compress and decompress of a 100-byte input and of 64 KiB (the first bytes of each
   file), for prefixcode, zlib's Huffman-only mode and the bare C call of the extension;
3. with --big K, the corpus concatenated K times: prefixcode with 1 and 2 threads and
   the C peers, then the two-thread ceiling of this machine in the same run: two threads
   each running the extension's ``compress`` (and ``decompress``) on a 1 MiB buffer of
   their own against the same calls one after the other (the extension releases the GIL).

MB/s count original bytes per second (1 MB = 10**6 bytes). Every output is decoded and
compared with the input. A peer that is not installed is skipped with a note.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import prefixcode as pc
from prefixcode import _bench
from prefixcode._core import _ext

sys.path.insert(0, str(Path(__file__).resolve().parent))
import huff0  # (bench/huff0.py, beside this file)

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
BASE = _bench.BASELINE
CODERS = ("prefixcode -T1", "prefixcode -T2", "prefixcode into a buffer", huff0.NAME, BASE,
          "libdeflate on zlib-HO", "isal on zlib-HO", "libdeflate -1", "isal -0", "zstd -1", "zstd -3",
          "bitarray", "dahuffman", "constriction")
# On the large input: the C coders only (the others take seconds a pass and tell nothing new).
BIG_CODERS = CODERS[:11]
HEAD = 64 << 10


def measure(files: list[bytes], coders: list[str], repeat: int) -> dict[str, _bench.Measure]:
    """Per coder: total size and best pass times over `files`, the passes interleaved."""
    jobs = {c: [(huff0.prepare if c == huff0.NAME else _bench.prepare)(c, d) for d in files] for c in coders}

    def passes(c: str, k: int) -> Callable[[], None] | None:
        fns = [job.encode if k == 0 else job.decode for job in jobs[c]]
        if any(fn is None for fn in fns):
            return None
        if k == 0:
            return lambda: [fn() for fn in fns]

        def decode_all() -> None:
            for job, fn in zip(jobs[c], fns):
                job.check(fn(), c)  # the check is cheap beside the decode, and timed alike for all

        return decode_all

    runs = [(c, k, fn) for c in coders for k in (0, 1) if (fn := passes(c, k))]
    best = {(c, k): float("inf") for c, k, _ in runs}
    for r in range(repeat):
        for c, k, fn in runs:
            if jobs[c][0].rounds is not None and r >= jobs[c][0].rounds:
                continue
            t0 = time.perf_counter()
            fn()
            best[c, k] = min(best[c, k], time.perf_counter() - t0)
    out = {}
    for c in coders:
        te, td = best.get((c, 0)), best.get((c, 1))
        out[c] = _bench.Measure(sum(j.size for j in jobs[c]), te, td, sum(len(j.expect) for j in jobs[c]),
                                jobs[c][0].note)
    return out


HEADER = ["coder", "compress MB/s", "vs zlib-HO", "decompress MB/s", "vs zlib-HO", "bytes", "size / zlib-HO"]


def table(res: dict[str, _bench.Measure]) -> str:
    base = res.get(BASE)
    rows = []
    for c, m in res.items():
        e, d = _bench.speedup(m, base, "e"), _bench.speedup(m, base, "d")
        rows.append([
            c,
            f"{m.timed_bytes / m.encode_s / 1e6:.0f}" if m.encode_s else "",
            f"{e:.2f}x" if e else "",
            f"{m.timed_bytes / m.decode_s / 1e6:.0f}" if m.decode_s else "",
            f"{d:.2f}x" if d else "",
            f"{m.size:,.0f}",
            f"{m.size / base.size:.4f}" if base else "",
        ])
    return _bench.markdown(HEADER, rows)


def target_line(res: dict[str, _bench.Measure], what: str) -> str:
    ours, base = res.get("prefixcode -T1"), res.get(BASE)
    if not ours or not base:
        return ""
    line = (f"* {what}: prefixcode, one thread, against zlib Huffman-only, same run: compress "
            f"{_bench.speedup(ours, base, 'e'):.2f}x, decompress {_bench.speedup(ours, base, 'd'):.2f}x, "
            f"{ours.size / base.size:.4f}x the size")
    h0, kept = res.get(huff0.NAME), res.get("prefixcode into a buffer")
    if h0 and kept:
        line += (f"; Huff0 against zlib Huffman-only: compress {_bench.speedup(h0, base, 'e'):.2f}x, "
                 f"decompress {_bench.speedup(h0, base, 'd'):.2f}x, {h0.size / base.size:.4f}x the size; "
                 "into kept buffers, prefixcode decompresses "
                 f"{_bench.speedup(kept, h0, 'd'):.2f}x as fast as Huff0")
    return line


def _zlib_ho(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY)
    return c.compress(data) + c.flush()


def per_call(files: list[bytes], repeat: int) -> dict[str, dict[int, float]]:
    """Microseconds per call, compress and decompress, on the first 100 bytes and the first
    64 KiB of each file: the calls take turns, each timed over enough calls to last ~10 ms."""
    calls: dict[str, Callable[[bytes], object]] = {
        "prefixcode compress (pc.compress, 1 thread)": lambda d: pc.compress(d, threads=1),
        "zlib Huffman-only compress": _zlib_ho,
        "the C call alone: _ext.compress": _ext.compress,
        "prefixcode decompress (pc.decompress, 1 thread)": lambda b: pc.decompress(b, threads=1),
        "zlib Huffman-only decompress": zlib.decompress,
        "the C call alone: _ext.decompress": lambda b: _ext.decompress(b, 0, -1),
    }
    sizes = (100, HEAD)
    work = {}
    for n in sizes:
        heads = [f[:n] for f in files]
        blobs = {"pfx": [pc.compress(h) for h in heads], "zlib": [_zlib_ho(h) for h in heads]}
        assert [pc.decompress(b) for b in blobs["pfx"]] == heads
        assert [zlib.decompress(b) for b in blobs["zlib"]] == heads
        assert [_ext.decompress(b, 0, -1)[-1] for b in blobs["pfx"]] == heads
        for name, fn in calls.items():
            args = heads if "compress" in name and "decompress" not in name else (
                blobs["zlib"] if "zlib" in name else blobs["pfx"])
            work[name, n] = (fn, args)
    loops = {}
    for key, (fn, args) in work.items():  # calibrate: ~10 ms a timing
        t0 = time.perf_counter()
        for a in args:
            fn(a)
        loops[key] = max(1, int(0.01 / max(time.perf_counter() - t0, 1e-7)))
    best = dict.fromkeys(work, float("inf"))
    for _ in range(repeat):
        for key, (fn, args) in work.items():
            t0 = time.perf_counter()
            for _ in range(loops[key]):
                for a in args:
                    fn(a)
            best[key] = min(best[key], (time.perf_counter() - t0) / (loops[key] * len(args)))
    return {name: {n: best[name, n] * 1e6 for n in sizes} for name in calls}


def per_call_table(us: dict[str, dict[int, float]]) -> str:
    rows = [[name, f"{v[100]:.1f}", f"{v[HEAD]:.1f}"] for name, v in us.items()]
    return _bench.markdown(["call", "us per call, 100 B", "us per call, 64 KiB"], rows)


def ceiling(data: bytes, repeat: int, calls: int = 16) -> dict[str, float]:
    """Two threads against one on plain C work of the extension: each job makes `calls`
    calls of ``_ext.compress`` (or ``_ext.decompress``) on a 1 MiB buffer of its own; the
    time of two jobs one after the other over their time on two threads, best of `repeat`.
    The whole compress and decompress cannot be expected to scale better. ``_ext.crc32``
    on the same buffers (no allocation, no page faults) shows what the cores give to plain
    computation: near 1x when another process holds the second core."""
    block = data[: 1 << 20]
    bufs = [bytes(bytearray(block)) for _ in range(2)]  # two distinct buffers
    blobs = [_ext.compress(b) for b in bufs]
    assert all(_ext.decompress(b, 0, -1)[-1] == block for b in blobs)
    jobs = {
        "_ext.compress, 1 MiB x 16": lambda i: [_ext.compress(bufs[i]) for _ in range(calls)],
        "_ext.decompress, 1 MiB x 16": lambda i: [_ext.decompress(blobs[i], 0, -1) for _ in range(calls)],
        # no allocation and no page faults: what the cores give to plain computation
        "_ext.crc32, 1 MiB x 64": lambda i: [_ext.crc32(bufs[i]) for _ in range(4 * calls)],
    }
    res = {}
    for name, job in jobs.items():
        serial = parallel = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            job(0)
            job(1)
            serial = min(serial, time.perf_counter() - t0)
            parallel = min(parallel, _on_two_threads(job))
        res[name] = serial / parallel
    return res


def _on_two_threads(job: Callable[[int], object]) -> float:
    """Seconds of job(0) and job(1) on two threads, timed once both threads are waiting."""
    go = threading.Barrier(3)

    def work(i: int) -> None:
        go.wait()
        job(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    go.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help=f"files to measure (default: {CORPUS})")
    ap.add_argument("--repeat", type=int, default=7, help="interleaved rounds; the best counts")
    ap.add_argument("--big", type=int, default=0, metavar="K", help="also the corpus concatenated K times")
    ap.add_argument("--skip", action="append", default=[], help="leave out a coder (repeatable)")
    ap.add_argument("--markdown", action="store_true", help="a heading fit for docs/format.md, no progress")
    args = ap.parse_args(argv)
    paths = args.files or sorted(
        p for p in CORPUS.iterdir() if p.is_file() and p.name not in ("README.md", "LICENSE")
    )
    files = [d for d in (p.read_bytes() for p in paths) if d]
    coders, notes = _bench.available([c for c in CODERS if c != huff0.NAME], args.skip)
    if huff0.NAME in args.skip or "Huff0" in args.skip:
        notes[huff0.NAME] = "skipped"
    elif why := huff0.load():
        notes[huff0.NAME] = why
    else:
        coders.insert(3, huff0.NAME)
    log = (lambda *a: None) if args.markdown else (lambda msg: print(msg, file=sys.stderr, flush=True))
    t0 = time.perf_counter()
    pc.decompress(pc.compress(files[0]))
    total = sum(map(len, files))
    if args.markdown:
        today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
        big = f" --big {args.big}" if args.big else ""
        print(f"Measured {today} by `python bench/bench_container.py --repeat {args.repeat}{big}`; "
              f"{_bench.machine()}; {_bench.versions()}. Coders interleaved, best of the rounds; "
              "MB/s of original bytes; one thread unless said.\n")
    lines = []

    log("file by file ...")
    res = measure(files, coders, args.repeat)
    print(f"**{len(files)} files, {total / 1e6:.2f} MB, file by file**\n\n{table(res)}\n")
    lines.append(target_line(res, "file by file"))

    log("first 64 KiB of each file ...")
    heads = [f[:HEAD] for f in files]
    res_h = measure(heads, coders, args.repeat)
    print(f"**the first 64 KiB of each file, {sum(map(len, heads)) / 1e6:.2f} MB**\n\n{table(res_h)}\n")
    lines.append(target_line(res_h, "first 64 KiB of each file"))

    log("per call ...")
    us = per_call(files, max(3, args.repeat))
    print(f"**the cost of one call** (first 100 bytes and first 64 KiB of each file, best of the "
          f"rounds)\n\n{per_call_table(us)}\n")
    names = list(us)
    for n, label in ((100, "100 B"), (HEAD, "64 KiB")):
        pce, ze, ce, pcd, zd, cd = (us[name][n] for name in names)
        lines.append(f"* one call on {label}: prefixcode compress {pce:.1f} us against zlib-HO {ze:.1f} us "
                     f"({ze / pce:.2f}x as fast), decompress {pcd:.1f} us against {zd:.1f} us "
                     f"({zd / pcd:.2f}x); "
                     f"Python around the C call: {pce - ce:.1f} us compress, {pcd - cd:.1f} us decompress")

    if args.big:
        log(f"the corpus x {args.big} ...")
        big = b"".join(files) * args.big
        big_coders = [c for c in coders if c in BIG_CODERS]
        res_b = measure([big], big_coders, max(2, args.repeat // 2))
        print(f"**one input, the corpus x {args.big}, {len(big) / 1e6:.1f} MB**\n\n{table(res_b)}\n")
        lines.append(target_line(res_b, f"one input of {len(big) / 1e6:.1f} MB"))
        one, two = res_b.get("prefixcode -T1"), res_b.get("prefixcode -T2")
        log("ceiling ...")
        ceil = ceiling(big, max(3, args.repeat // 2))
        if one and two:
            lines.append(f"* two threads against one on that input: compress "
                         f"{one.encode_s / two.encode_s:.2f}x, decompress {one.decode_s / two.decode_s:.2f}x "
                         "(target >= 1.7x where the machine "
                         "gives it); the ceiling measured beside it, two threads against the same calls one "
                         "after the other: " + ", ".join(f"{name} {r:.2f}x" for name, r in ceil.items()))
    notes.setdefault("dahuffman", "one round only (pure Python), timed on the first 256 KiB of each file")
    notes.setdefault("libdeflate -1, isal -0, zstd", "LZ77 + entropy coding: another class of coder, for "
                     "scale; libdeflate and isal 'on zlib-HO' decode zlib's Huffman-only stream")
    if args.big:
        notes.setdefault("bitarray, dahuffman, constriction", "not run on the large input")
    print("\n".join(line for line in lines if line))
    print()
    print("\n".join(f"* {c}: {n}" for c, n in notes.items()))
    log(f"(took {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start-up time and peak memory of the `prefixcode` command and of the API, beside gzip and zstd.

Usage (from the repository)::

    .venv/bin/python bench/bench_startup.py                 # best of 9 fresh processes, corpus x 20
    .venv/bin/python bench/bench_startup.py --repeat 5 --big 20 --markdown

All in one run, on files made from ../shared/corpus in a temporary folder:

* start-up, wall seconds of fresh processes (best of --repeat, the commands taking turns,
  and the first of the run): ``python -c pass``, ``python -c "import numpy"``,
  ``python -c "import prefixcode"``, the venv's ``prefixcode compress -c`` of a 1 KB and of a
  1 MB file and ``prefixcode decompress -c`` of the latter's container, ``gzip -6 -c`` and
  ``gzip -d -c`` of the same files;
* peak memory (the maximum resident set of the process, from wait4) of the command
  compressing and decompressing the corpus concatenated --big times as a stream
  (``prefixcode compress -c big > /dev/null``), of ``gzip -6`` and ``zstd`` (when the command
  is installed; its default level 3) on the same, and of the API in a fresh interpreter:
  ``pc.compress(data)`` / ``pc.decompress(blob)``, the peak of the call above the interpreter
  (prefixcode imported and one tiny call made, before the input is read) against
  input + output.

Targets (issue 12): compress -c of 1 KB within 2x of ``python -c pass``; of 1 MB within 2x of
``gzip -6 -c``; the command under 40 MB streaming the big input; the API at most
input + output + 32 MB above the interpreter.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from prefixcode import _bench

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
PYTHON = sys.executable
# The venv's entry point, beside the interpreter running this script.
PREFIXCODE = str(Path(sys.executable).parent / "prefixcode")
MB = 1e6
TIME = "/usr/bin/time"

# Run in a fresh interpreter: prints JSON with the resident sizes around one API call.
API_SCRIPT = r"""
import json, os, resource, sys
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False
def peak():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
import prefixcode as pc
pc.decompress(pc.compress(b"load the modules the call needs" * 40))
interpreter = rss()
with open(sys.argv[2], "rb") as f:
    data = f.read()
after_read = rss()
exact = reset_peak()
out = pc.compress(data) if sys.argv[1] == "compress" else pc.decompress(data)
top = peak()
print(json.dumps({"interpreter": interpreter, "after_read": after_read, "peak": top,
                  "input": len(data), "output": len(out), "exact": exact}))
"""


def corpus_bytes(folder: Path = CORPUS) -> bytes:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name not in ("README.md", "LICENSE"))
    return b"".join(p.read_bytes() for p in files)


TIME = "/usr/bin/time"


def run_once(cmd: list[str], peak: bool = False) -> tuple[float, int]:
    """Wall seconds of one fresh process, its output thrown away, and with `peak` its
    peak resident bytes (else 0).

    The peak comes from GNU time's %M when /usr/bin/time exists, else from wait4. Linux
    counts in a child's peak the peak of the process that started it (kept across exec),
    so the small `time` process starts the command: started from this interpreter, every
    command would show at least this interpreter's peak. Timed without `peak`, nothing
    stands between this script and the command.
    """
    timed = peak and os.path.exists(TIME)
    with tempfile.NamedTemporaryFile("r") as rep:
        full = [TIME, "-f", "%M", "-o", rep.name, *cmd] if timed else cmd
        t0 = time.perf_counter()
        proc = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read() if proc.stderr else b""
        if proc.returncode != 0:
            why = err.decode(errors="replace")[-500:]
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {why}")
        kib = int(rep.read().split()[-1]) if timed else usage.ru_maxrss if peak else 0  # Linux: KiB
    return wall, kib * 1024


def make_files(folder: Path, corpus: bytes, big: int) -> dict[str, Path]:
    """small (1 KB), large (1 MB), big (corpus x `big`, none if 0) and their compressed forms."""
    import prefixcode as pc

    paths = {}
    for name, data in (("small", corpus[:1000]), ("large", corpus[:1_000_000]), ("big", corpus * big)):
        if not data:
            continue
        p = folder / name
        p.write_bytes(data)
        paths[name] = p
        (folder / f"{name}.pfx").write_bytes(pc.compress(data))
        paths[f"{name}.pfx"] = folder / f"{name}.pfx"
        with open(folder / f"{name}.gz", "wb") as f:
            subprocess.run(["gzip", "-6", "-c", str(p)], stdout=f, check=True)
        paths[f"{name}.gz"] = folder / f"{name}.gz"
        if shutil.which("zstd") and name == "big":
            subprocess.run(["zstd", "-q", "-f", str(p), "-o", str(folder / "big.zst")], check=True)
            paths["big.zst"] = folder / "big.zst"
    return paths


def startup_commands(paths: dict[str, Path]) -> dict[str, list[str]]:
    return {
        "python -c pass": [PYTHON, "-c", "pass"],
        'python -c "import numpy"': [PYTHON, "-c", "import numpy"],
        'python -c "import prefixcode"': [PYTHON, "-c", "import prefixcode"],
        "prefixcode compress -c, 1 KB": [PREFIXCODE, "compress", "-c", str(paths["small"])],
        "prefixcode compress -c, 1 MB": [PREFIXCODE, "compress", "-c", str(paths["large"])],
        "prefixcode decompress -c, 1 MB": [PREFIXCODE, "decompress", "-c", str(paths["large.pfx"])],
        "gzip -6 -c, 1 KB": ["gzip", "-6", "-c", str(paths["small"])],
        "gzip -6 -c, 1 MB": ["gzip", "-6", "-c", str(paths["large"])],
        "gzip -d -c, 1 MB": ["gzip", "-d", "-c", str(paths["large.gz"])],
    }


def startup(paths: dict[str, Path], repeat: int) -> dict[str, tuple[float, float]]:
    """Per command (best, first) wall seconds over `repeat` rounds, the commands taking turns."""
    cmds = startup_commands(paths)
    best = dict.fromkeys(cmds, float("inf"))
    first: dict[str, float] = {}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            wall, _ = run_once(cmd)
            first.setdefault(name, wall)
            best[name] = min(best[name], wall)
    return {name: (best[name], first[name]) for name in cmds}


def memory(paths: dict[str, Path]) -> dict[str, tuple[float, int]]:
    """Per streaming command, (wall seconds, peak resident bytes) of one run on the big input."""
    big, pfx, gz = str(paths["big"]), str(paths["big.pfx"]), str(paths["big.gz"])
    cmds = {
        "prefixcode compress -c": [PREFIXCODE, "compress", "-c", big],
        "prefixcode decompress -c": [PREFIXCODE, "decompress", "-c", pfx],
        "prefixcode compress -c -T1": [PREFIXCODE, "compress", "-T1", "-c", big],
        "prefixcode decompress -c -T1": [PREFIXCODE, "decompress", "-T1", "-c", pfx],
        "gzip -6 -c": ["gzip", "-6", "-c", big],
        "gzip -d -c": ["gzip", "-d", "-c", gz],
    }
    if "big.zst" in paths:
        cmds["zstd -c (level 3)"] = ["zstd", "-q", "-c", big]
        cmds["zstd -d -c"] = ["zstd", "-q", "-d", "-c", str(paths["big.zst"])]
    return {name: run_once(cmd, peak=True) for name, cmd in cmds.items()}


def api_memory(paths: dict[str, Path]) -> dict[str, dict]:
    """pc.compress / pc.decompress of the big input in a fresh interpreter each."""
    out = {}
    for op, path in (("compress", paths["big"]), ("decompress", paths["big.pfx"])):
        proc = subprocess.run([PYTHON, "-c", API_SCRIPT, op, str(path)], capture_output=True, check=True)
        out[f"pc.{op}"] = json.loads(proc.stdout)
    return out


def tool_versions() -> str:
    out = []
    for tool in ("gzip", "zstd"):
        if shutil.which(tool):
            line = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.splitlines()
            out.append(line[0].strip(" *") if line else tool)
    return ", ".join(out)


def _s(v: float) -> str:
    return f"{v:.3f}"


def _mb(v: float) -> str:
    return f"{v / MB:.1f}"


def markdown(header: list[str], rows: list[list[str]]) -> str:
    align = ["---"] + ["---:"] * (len(header) - 1)
    return "\n".join(["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
                     + ["| " + " | ".join(r) + " |" for r in rows])


def report(times: dict, mem: dict, api: dict, big_bytes: int, big: int, repeat: int) -> str:
    """The tables and the ratios the targets name, in markdown."""
    parts = [
        f"Start-up, wall seconds of a fresh process (best of {repeat}, the commands taking turns; "
        "`first` is the first round of this run):",
        "",
        markdown(["command", "best s", "first s"], [[n, _s(b), _s(f)] for n, (b, f) in times.items()]),
        "",
    ]
    t = {n: b for n, (b, _) in times.items()}
    ratios = [
        ("`prefixcode compress -c` of 1 KB / `python -c pass`", t["prefixcode compress -c, 1 KB"],
         t["python -c pass"], "target <= 2x"),
        ("`prefixcode compress -c` of 1 MB / `gzip -6 -c` of 1 MB", t["prefixcode compress -c, 1 MB"],
         t["gzip -6 -c, 1 MB"], "target <= 2x"),
        ("`prefixcode decompress -c` of 1 MB / `gzip -d -c` of 1 MB", t["prefixcode decompress -c, 1 MB"],
         t["gzip -d -c, 1 MB"], ""),
        ('`python -c "import prefixcode"` / `python -c pass`', t['python -c "import prefixcode"'],
         t["python -c pass"], ""),
        ('`python -c "import numpy"` / `python -c pass`', t['python -c "import numpy"'],
         t["python -c pass"], ""),
    ]
    parts += [f"* {name}: {a / b:.2f}x" + (f" ({note})" if note else "") for name, a, b, note in ratios]
    parts += [
        "",
        f"Peak memory (maximum resident set) streaming {big_bytes / MB:.1f} MB "
        f"(the corpus x {big}) "
        "to /dev/null, one run each (target for the command: under 40 MB):",
        "",
        markdown(["command", "peak MB", "wall s"], [[n, _mb(rss), _s(w)] for n, (w, rss) in mem.items()]),
        "",
    ]
    pcm, gz = mem["prefixcode compress -c"], mem.get("gzip -6 -c")
    if gz:
        parts.append(f"* `prefixcode compress -c` / `gzip -6 -c`: {pcm[1] / gz[1]:.1f}x the memory, "
                     f"{gz[0] / pcm[0]:.1f}x as fast")
    zs = mem.get("zstd -c (level 3)")
    if zs:
        parts.append(f"* `prefixcode compress -c` / `zstd -c`: {pcm[1] / zs[1]:.1f}x the memory, "
                     f"{zs[0] / pcm[0]:.1f}x as fast")
    else:
        parts.append("* zstd: the `zstd` command is not installed (apt-get install zstd)")
    rows = []
    for name, r in api.items():
        above = r["peak"] - r["interpreter"]
        io_ = r["input"] + r["output"]
        rows.append([name, _mb(r["interpreter"]), _mb(r["after_read"] - r["interpreter"]), _mb(r["peak"]),
                     _mb(above), _mb(io_), _mb(above - io_)])
    parts += [
        "",
        "The API in a fresh interpreter (prefixcode imported and one tiny call made: the interpreter; "
        "then the input read and one call): MB",
        "",
        markdown(["call", "interpreter", "input read", "peak", "peak above interpreter", "input + output",
                  "above input + output (target <= 32)"], rows),
    ]
    if not all(r["exact"] for r in api.values()):
        parts.append("\n(the peak could not be reset after reading: it is the process's lifetime peak)")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=9,
                    help="fresh processes per start-up command; the best counts")
    ap.add_argument("--big", type=int, default=20,
                    help="the memory input: the corpus concatenated this many times")
    ap.add_argument("--markdown", action="store_true", help="add a heading paragraph fit for docs/format.md")
    args = ap.parse_args(argv)
    if not CORPUS.is_dir():
        ap.error(f"{CORPUS} is absent")
    if not Path(PREFIXCODE).exists():
        ap.error(f"no `prefixcode` command beside {PYTHON}: install the project in this environment")
    t0 = time.perf_counter()
    corpus = corpus_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_files(Path(tmp), corpus, args.big)
        times = startup(paths, args.repeat)
        mem = memory(paths)
        api = api_memory(paths)
    if args.markdown:
        today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
        print(f"Measured {today} by `python bench/bench_startup.py --repeat {args.repeat} --big {args.big}`; "
              f"{_bench.machine()}; {tool_versions()}.\n")
    print(report(times, mem, api, len(corpus) * args.big, args.big, args.repeat))
    print(f"\n(took {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

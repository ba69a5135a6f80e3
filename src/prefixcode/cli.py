"""The ``prefixcode`` command.

A thin layer over the library: argparse, one sub-command per job, library errors mapped
to a one-line message on stderr and exit status 1; usage errors exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import __version__
from .distribution import as_distribution, histogram
from .errors import PrefixCodeError

__all__ = ["main"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _cmd_weather(args: argparse.Namespace) -> int:
    from .experiments import weather_station

    w = weather_station()
    states = w.climate.symbols
    print("The weather station: 8 weather states")
    print(f"  climate          p = {' '.join(f'{x:.2f}' for x in w.climate.probs)}")
    print(f"  reversed climate r = {' '.join(f'{x:.2f}' for x in w.reversed_climate.probs)}")
    print(f"  states: {', '.join(states)}")
    print()
    print(w.comparison.to_text(digits=(None, 2, 2, 2, 3, 3, "g", 3)))
    print()
    for note in w.notes:
        print(f"* {note}")
    if args.verbose:
        for name in w.codes:
            print()
            print(w[name])
    return EXIT_OK


def _add_weather_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-v", "--verbose", action="store_true", help="also show each code's symbol table")


def _cmd_analyze(args: argparse.Namespace) -> int:
    from .analysis import analyze_message

    if args.top < 0:
        print(f"prefixcode: error: argument --top must be >= 0, got {args.top}", file=sys.stderr)
        return EXIT_USAGE
    if args.file == "-":
        data, label = sys.stdin.buffer.read(), "<stdin>"
    else:
        with open(args.file, "rb") as fh:
            data = fh.read()
        label = args.file
    if not data:
        raise PrefixCodeError(f"argument 'FILE' must be non-empty, got an empty file: {label}")
    report = analyze_message(data, name=f"{label}: {len(data)} bytes, Huffman code of its bytes",
                             order=args.order)
    print(report)
    print()
    worst = sorted((r for r in report.symbols if r.p > 0), key=lambda r: -r.waste)[: args.top]
    shares = "the largest share" if len(worst) == 1 else f"the {len(worst)} largest shares"
    print(f"where the wasted bits come from: p * (length - (-log2 p)), {shares}")
    print("(symbols coded shorter than -log2 p give some back: the shares sum to L - H)")
    from .analysis import _show_symbol

    for r in worst:
        print(f"  {_show_symbol(r.symbol, True):>6}  p={r.p:.4f}  -log2 p={r.surprisal:.3f}  "
              f"length {r.length}  waste {r.waste:+.5f} bits/symbol")
    print(f"order-0 bound {report.entropy * len(data) / 8:.0f} bytes, "
          f"this code {-(-round(report.total_bits) // 8)} bytes (payload, no table)")
    return EXIT_OK


def _add_analyze_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the file to analyze ('-' for stdin)")
    p.add_argument("--top", type=int, default=5, help="how many symbols to list by waste (default 5)")
    p.add_argument("--order", choices=("probability", "symbol"), default="probability",
                   help="order of the symbol table: most probable first (default) or by byte value")


_SYMBOL_KEYS = ("symbols", "states")


def _weights_from_json(doc: object, key: str | None, path: str) -> object:
    """A JSON document as weights: a list, a {symbol: weight} mapping, or an object of lists.

    An object of lists (such as data/weather.json) gives its symbols under "symbols" or
    "states" and its weights under `key`, by default the first list of numbers in it.
    """
    if key is not None and not isinstance(doc, dict):
        raise PrefixCodeError(
            f"argument '--key' needs a JSON object of lists in {path}, got {type(doc).__name__}")
    if not isinstance(doc, dict) or all(isinstance(v, (int, float)) for v in doc.values()):
        return doc  # a list of weights or a {symbol: weight} mapping
    numeric = [k for k, v in doc.items() if isinstance(v, list) and v
               and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)]
    if key is None:
        if not numeric:
            raise PrefixCodeError(f"argument '--file' must hold weights: {path} has no list of numbers")
        key = numeric[0]
    elif key not in doc:
        raise PrefixCodeError(f"argument '--key' must be one of {numeric} in {path}, got {key!r}")
    weights = doc[key]
    if not isinstance(weights, list):
        raise PrefixCodeError(f"argument '--key' must name a list of weights in {path}, got {key!r}")
    names = next((doc[k] for k in _SYMBOL_KEYS if isinstance(doc.get(k), list)), None)
    if names is None:
        return weights
    if len(names) != len(weights):
        raise PrefixCodeError(f"argument '--file' must give one weight per symbol: {path} has "
                              f"{len(names)} symbols and {len(weights)} weights under {key!r}")
    try:
        return dict(zip(names, weights, strict=True))
    except TypeError:
        raise PrefixCodeError(
            f"argument '--file' must list symbols as strings or numbers in {path}") from None


def _parse_weights(items: Sequence[str], path: str | None, key: str | None = None) -> object:
    """Weights from the command line (`a=0.5 b=0.25` or `0.5 0.25`) or a file."""
    import json

    if key is not None and path is None:
        raise PrefixCodeError("argument '--key' needs --file")
    if path is not None:
        with open(path, encoding="utf-8") as fh:
            try:
                text = fh.read()
            except UnicodeDecodeError:
                raise PrefixCodeError(f"argument '--file' must be a text file (UTF-8), got {path}") from None
        try:
            doc = json.loads(text)
        except ValueError:
            if key is not None:
                raise PrefixCodeError(f"argument '--key' needs a JSON file, got {path}") from None
            items = text.split()
        else:
            return _weights_from_json(doc, key, path)
    if not items:
        raise PrefixCodeError("argument 'WEIGHTS' must be given: symbol=weight pairs, numbers, or --file")
    def number(text: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise PrefixCodeError(f"argument 'WEIGHTS' must hold numbers, got {text!r}") from None

    if all("=" in it for it in items):
        out: dict[str, float] = {}
        for it in items:
            sym, _, w = it.rpartition("=")
            out[sym] = number(w)
        return out
    if any("=" in it for it in items):
        raise PrefixCodeError("argument 'WEIGHTS' must be all symbol=weight pairs or all numbers")
    return [number(it) for it in items]


_METHODS = ("huffman", "shannon", "shannon-fano", "shannon-fano-elias", "fixed")


def _cmd_code(args: argparse.Namespace) -> int:
    from . import construct
    from .analysis import analyze

    weights = _parse_weights(args.weights, args.file, args.key)
    as_distribution(weights, "WEIGHTS")  # bad weights are named as the user gave them
    if args.tree:  # refused before any work: a picture format matplotlib cannot write
        _check_picture_path(args.tree)
    build = {
        "huffman": lambda p: construct.huffman(p, arity=args.arity),
        "shannon": lambda p: construct.shannon(p),
        "shannon-fano": lambda p: construct.shannon_fano(p),
        "shannon-fano-elias": lambda p: construct.shannon_fano_elias(p),
        "fixed": lambda p: construct.fixed_length(p, arity=args.arity),
    }[args.method]
    if args.arity != 2 and args.method not in ("huffman", "fixed"):
        raise PrefixCodeError(f"argument '--arity' must be 2 for method {args.method!r}, got {args.arity}")
    code = build(weights)
    report = analyze(weights, code, name=f"{args.method} code, {len(code)} symbol{'s' * (len(code) != 1)}")
    if args.tree:  # drawn first: an unwritable OUT.png fails before anything is printed
        try:
            import matplotlib
        except ImportError:
            raise ImportError("--tree needs matplotlib: pip install 'prefixcode[plot]'") from None

        matplotlib.use("Agg")
        from .plotting import code_tree

        fig = code_tree(code, p=weights, title=f"{args.method} code")
        fig.savefig(args.tree, dpi=150)
    print(report)
    if args.tree:
        print(f"tree written to {args.tree}")
    return EXIT_OK


def _check_picture_path(path: str) -> None:
    import os

    try:
        import matplotlib
    except ImportError:
        raise ImportError("--tree needs matplotlib: pip install 'prefixcode[plot]'") from None
    matplotlib.use("Agg")
    from matplotlib.backend_bases import FigureCanvasBase

    formats = sorted(FigureCanvasBase.get_supported_filetypes())
    ext = os.path.splitext(path)[1].lstrip(".").lower()
    if ext not in formats:
        raise PrefixCodeError(
            f"argument '--tree' must name a picture file ending in one of "
            f"{', '.join('.' + f for f in formats)}, got {path!r}"
        )


def _add_code_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("weights", metavar="WEIGHTS", nargs="*",
                   help="symbol=weight pairs (sun=3 rain=1) or plain weights (0.5 0.25 0.25)")
    p.add_argument("--file",
                   help="read the weights from a file: JSON (a list, a mapping, or an object of lists "
                        "such as data/weather.json) or whitespace-separated numbers")
    p.add_argument("--key", help="with --file of a JSON object of lists: the list of weights "
                                 "(default: the first list of numbers; symbols from 'states' or 'symbols')")
    p.add_argument("--method", choices=_METHODS, default="huffman", help="the construction (default huffman)")
    p.add_argument("--arity", type=int, default=2, help="code digits (default 2; huffman and fixed only)")
    p.add_argument("--tree", metavar="OUT.png", help="draw the code tree to this picture")


# =====================================================================================
# compress / decompress / bench: gzip habits, atomic writes
# =====================================================================================
SUFFIX = ".pfx"
_PROGRESS_MIN = 32 << 20  # show a progress bar from this input size on (stderr a terminal)


def _add_codec_args(p: argparse.ArgumentParser, verb: str) -> None:
    p.add_argument("files", metavar="FILE", nargs="*", default=["-"],
                   help=f"files to {verb} ('-' or none: standard input to standard output)")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT (one input only; '-' for stdout)")
    p.add_argument("-c", "--stdout", action="store_true", help="write to standard output")
    p.add_argument("-k", "--keep", action="store_true", default=True,
                   help="keep the input files (the default)")
    p.add_argument("--rm", dest="keep", action="store_false", help="remove each input after success")
    p.add_argument("-f", "--force", action="store_true",
                   help="overwrite existing outputs; write binary data to a terminal")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print sizes, ratio and bits per byte against the order-0 entropy")
    p.add_argument("-T", "--threads", metavar="N", type=int, default=None,
                   help="worker threads (default, or 0: all cores)")


class _Tally:
    """Wraps a binary stream: counts bytes and their histogram as they pass by."""

    def __init__(self, stream: Any, hist: bool) -> None:
        self.stream = stream
        self.hist = np.zeros(256, dtype=np.int64) if hist else None
        self.n = 0

    def _count(self, data: Any) -> None:
        self.n += len(data)
        if self.hist is not None and len(data):
            self.hist += histogram(data)

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        if data:
            self._count(data)
        return data

    def write(self, data: Any) -> int:
        self._count(data)
        return self.stream.write(data)

    def bits_per_byte(self) -> float | None:
        """Order-0 entropy of what passed, in bits per byte (None when empty)."""
        from .measures import entropy

        if self.hist is None or self.n == 0:
            return None
        return float(entropy(self.hist))


def _progress_bar(total: int | None, label: str) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    """A tqdm bar on stderr for large inputs when stderr is a terminal, else nothing."""
    if total is None or total < _PROGRESS_MIN or not sys.stderr.isatty():
        return None, lambda: None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None, lambda: None
    bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label, leave=False,
               file=sys.stderr)
    return bar.update, bar.close


class _AtomicOutput:
    """Write to a temporary file beside `path`, then move it into place on success.

    Without `force` an existing `path` is never replaced, even one created meanwhile
    (the temporary file is hard-linked into place, which fails if the name exists). On
    any failure, KeyboardInterrupt included, the temporary file is removed.
    """

    def __init__(self, path: str, force: bool, mode: int) -> None:
        self.path, self.force, self.mode = path, force, mode
        self.tmp: str | None = None
        self.fh: Any = None

    def __enter__(self) -> Any:
        import os
        import tempfile

        if not self.force and os.path.lexists(self.path):
            raise FileExistsError(17, "already exists (use -f to overwrite)", self.path)
        folder, name = os.path.split(os.path.abspath(self.path))
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        except OSError as e:  # name the output the user asked for, not the temporary file
            raise OSError(e.errno, e.strerror, self.path) from None
        self.fh = os.fdopen(fd, "wb")
        return self.fh

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        import os

        assert self.tmp is not None
        try:
            if kind is None:
                self.fh.flush()
                os.fsync(self.fh.fileno())
            self.fh.close()
            if kind is None:
                os.chmod(self.tmp, self.mode)
                self._place(self.tmp)
        except BaseException:
            self._discard()
            raise
        if kind is not None:
            self._discard()

    def _place(self, tmp: str) -> None:
        import os

        if self.force:
            os.replace(tmp, self.path)
            return
        try:
            os.link(tmp, self.path)
        except FileExistsError:
            raise FileExistsError(17, "already exists (use -f to overwrite)", self.path) from None
        except OSError:  # no hard links on this file system: check, then rename
            if os.path.lexists(self.path):
                raise FileExistsError(17, "already exists (use -f to overwrite)", self.path) from None
            os.replace(tmp, self.path)
            return
        os.unlink(tmp)

    def _discard(self) -> None:
        import contextlib
        import os

        if self.fh is not None and not self.fh.closed:
            self.fh.close()
        if self.tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.tmp)


def _output_name(src: str, args: argparse.Namespace, compressing: bool) -> str:
    """Where the output of `src` goes: a path, or '-' for standard output."""
    if args.stdout or args.output == "-" or (src == "-" and args.output is None):
        return "-"
    if args.output is not None:
        return args.output
    if compressing:
        if src.endswith(SUFFIX) and not args.force:
            raise PrefixCodeError(f"already has the {SUFFIX} suffix (use -f to compress it again)")
        return src + SUFFIX
    if not src.endswith(SUFFIX) or len(src) == len(SUFFIX):
        raise PrefixCodeError(f"unknown suffix, expected {SUFFIX} (use -o or -c to name the output)")
    return src[: -len(SUFFIX)]


def _summary(label: str, n_in: int, n_out: int, compressing: bool, h0: float | None, dst: str) -> str:
    original, packed = (n_in, n_out) if compressing else (n_out, n_in)
    text = f"{label}: {n_in} -> {n_out} bytes"
    if original:
        text += f" ({packed / original:.2%}), {8 * packed / original:.3f} bits/byte"
        if h0 is not None:
            over = f" ({8 * packed / original / h0 - 1:+.1%})" if h0 > 0 else ""
            text += f", order-0 entropy {h0:.3f} bits/byte{over}"
    return text + ("" if dst == "-" else f" -> {dst}")


def _run_file(src: str, args: argparse.Namespace, compressing: bool) -> None:
    import os

    from . import container

    run = container.compress_stream if compressing else container.decompress_stream
    threads = None if not args.threads else args.threads
    dst = _output_name(src, args, compressing)
    if dst == "-" and sys.stdout.isatty() and not args.force and compressing:
        raise PrefixCodeError("compressed data not written to a terminal (use -f to force)")
    fin = sys.stdin.buffer if src == "-" else open(src, "rb")
    try:
        st = os.fstat(fin.fileno()) if src != "-" else None
        if st is not None and not os.path.isfile(src) and not args.force:
            raise PrefixCodeError("not a regular file (use -f to read it anyway)")
        if st is not None and dst != "-" and os.path.exists(dst) and os.path.samefile(src, dst):
            raise PrefixCodeError(f"input and output are the same file: {dst}")
        size = st.st_size if st is not None else None
        update, close = _progress_bar(size, os.path.basename(src))
        reader = _Tally(fin, args.verbose and compressing)
        try:
            if dst == "-":
                out = sys.stdout.buffer
                writer = _Tally(out, args.verbose and not compressing)
                run(reader, writer, threads=threads, progress=update)
                out.flush()
            else:
                mode = (st.st_mode & 0o777) if st is not None else (0o666 & ~_umask())
                with _AtomicOutput(dst, args.force, mode) as out:
                    writer = _Tally(out, args.verbose and not compressing)
                    run(reader, writer, threads=threads, progress=update)
        finally:
            close()
    finally:
        if fin is not sys.stdin.buffer:
            fin.close()
    if args.verbose:
        h0 = (reader if compressing else writer).bits_per_byte()
        label = "<stdin>" if src == "-" else src
        print(_summary(label, reader.n, writer.n, compressing, h0, dst), file=sys.stderr)
    if not args.keep and src != "-" and dst != "-":
        os.unlink(src)


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def _run_files(args: argparse.Namespace, compressing: bool) -> int:
    """Each input in turn; an error is reported on one line and the next input goes on."""
    if args.threads is not None and args.threads < 0:
        print(f"prefixcode: error: argument -T must be >= 0, got {args.threads}", file=sys.stderr)
        return EXIT_USAGE
    if args.output is not None and len(args.files) != 1:
        print("prefixcode: error: -o needs exactly one input FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.files.count("-") > 1:
        print("prefixcode: error: standard input ('-') given more than once", file=sys.stderr)
        return EXIT_USAGE
    status = EXIT_OK
    for src in args.files:
        label = "<stdin>" if src == "-" else src
        try:
            _run_file(src, args, compressing)
        except PrefixCodeError as e:
            print(f"prefixcode: {label}: {e}", file=sys.stderr)
            status = EXIT_ERROR
        except BrokenPipeError:  # the reader of our output went away (`| head`): stop quietly
            _silence_stdout()
            return EXIT_ERROR
        except OSError as e:
            where = e.filename if e.filename not in (None, src) else label
            print(f"prefixcode: {where}: {e.strerror or e}", file=sys.stderr)
            status = EXIT_ERROR
    return status


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout is not a real file
        pass


def _cmd_compress(args: argparse.Namespace) -> int:
    return _run_files(args, compressing=True)


def _cmd_decompress(args: argparse.Namespace) -> int:
    return _run_files(args, compressing=False)


def _add_bench_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", metavar="FILE", nargs="+", help="files to compare the coders on")
    p.add_argument("--repeat", type=int, default=3, metavar="R",
                   help="timing runs per coder, the best counts (default 3)")
    p.add_argument("--skip", action="append", default=[], metavar="CODER",
                   help="leave out a coder (repeatable): prefixcode, zlib, bitarray, dahuffman, "
                        "constriction; e.g. --skip dahuffman")


def _cmd_bench(args: argparse.Namespace) -> int:
    from . import _bench

    if args.repeat < 1:
        print(f"prefixcode: error: argument --repeat must be >= 1, got {args.repeat}", file=sys.stderr)
        return EXIT_USAGE
    short = sorted({coder.split()[0] for coder in _bench.CODERS})
    unknown = [c for c in args.skip if c not in short and c not in _bench.CODERS]
    if unknown:
        print(f"prefixcode: error: argument --skip: unknown coder {unknown[0]!r} "
              f"(choose from {', '.join(short)})", file=sys.stderr)
        return EXIT_USAGE
    files = []
    for f in args.files:
        with open(f, "rb") as fh:
            files.append((f, fh.read()))
    if not any(data for _, data in files):
        raise PrefixCodeError("argument 'FILE' must be non-empty: every file given is empty")
    log = sys.stderr if sys.stderr.isatty() else None
    result = _bench.run(files, repeat=args.repeat, skip=set(args.skip), log=log)
    print(_bench.render(result))
    return EXIT_OK


# Each sub-command: name -> (help, function adding its arguments, function running it).
_COMMANDS: dict[
    str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[..., int]]
] = {
    "compress": (f"compress files to FILE{SUFFIX} (gzip-like options)",
                 lambda p: _add_codec_args(p, "compress"), _cmd_compress),
    "decompress": (f"decompress FILE{SUFFIX} files", lambda p: _add_codec_args(p, "decompress"),
                   _cmd_decompress),
    "bench": ("compare prefixcode with zlib, bitarray, dahuffman, constriction on files",
              _add_bench_args, _cmd_bench),
    "weather": ("the weather-station experiment", _add_weather_args, _cmd_weather),
    "analyze": ("entropy, Huffman code and wasted bits of a file", _add_analyze_args, _cmd_analyze),
    "code": ("build and print (or draw) a code for given weights", _add_code_args, _cmd_code),
}


_EXAMPLES = """\
examples:
  prefixcode compress notes.txt          writes notes.txt.pfx (the input is kept)
  prefixcode decompress notes.txt.pfx    writes notes.txt back
  cat data | prefixcode compress > data.pfx
  prefixcode analyze notes.txt           entropy, Huffman code and where the bits go
  prefixcode code sun=3 rain=1 fog=1 --tree tree.png

'prefixcode COMMAND --help' shows the options of each command."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``prefixcode`` command."""
    parser = argparse.ArgumentParser(
        prog="prefixcode",
        description="Prefix codes, compression, and the information measures that judge them.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"prefixcode {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (helptext, add_args, func) in _COMMANDS.items():
        p = sub.add_parser(name, help=helptext, description=helptext)
        add_args(p)
        p.set_defaults(func=func)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``prefixcode`` command with `argv` (default: ``sys.argv[1:]``).

    Returns the exit status: 0 success, 1 error, 2 usage error.

    Examples
    --------
    >>> from prefixcode.cli import main
    >>> main(["weather"])  # doctest: +ELLIPSIS
    The weather station: 8 weather states
    ...
    0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(e.code or 0)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except PrefixCodeError as e:
        print(f"prefixcode: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except ImportError as e:  # an optional dependency (matplotlib for pictures) is missing
        print(f"prefixcode: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `prefixcode analyze FILE | head`: the reader went away, stop quietly
        _silence_stdout()
        return EXIT_ERROR
    except OSError as e:
        print(f"prefixcode: error: {e.strerror or e}: {e.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("prefixcode: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

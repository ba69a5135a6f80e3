"""The ``prefixcode`` command.

A thin layer over the library: argparse, one sub-command per job, library errors mapped
to a one-line message on stderr and exit status 1; usage errors exit with status 2.

Compressing a small file takes about as long as starting the interpreter, so the way to
the codec imports little: the usual forms of `compress`, `decompress` and the gzip-style
command are read without argparse (by :func:`_read_codec_args`, from the same table of
options the argparse parser is made of), and argparse, ``signal``'s enumerations,
``threading``, ``contextlib`` and ``collections`` are not imported on that way.
"""

from __future__ import annotations

import os
import sys

from . import __version__
from ._checks import MAX_THREADS
from .errors import PrefixCodeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterator, Sequence
    from typing import Any

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
    if args.all:
        _print_every_coder(data, label)
    return EXIT_OK


def _print_every_coder(data: bytes, label: str) -> None:
    """`analyze --all`: the table of compare_message, on the first bytes of a long file."""
    from .analysis import MAX_MESSAGE_SYMBOLS, compare_message

    print()
    if len(data) > MAX_MESSAGE_SYMBOLS:
        title = f"{label}, its first {MAX_MESSAGE_SYMBOLS} of {len(data)} bytes, every coder"
        print(f"every coder on the first {MAX_MESSAGE_SYMBOLS} bytes only (the file has {len(data)}):"
              " the context coders are plain Python")
        data = data[:MAX_MESSAGE_SYMBOLS]
    else:
        title = f"{label}, every coder"
    print(compare_message(data, title=title))


def _add_analyze_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the file to analyze ('-' for stdin)")
    p.add_argument("--top", type=int, default=5, help="how many symbols to list by waste (default 5)")
    p.add_argument("--order", choices=("probability", "symbol"), default="probability",
                   help="order of the symbol table: most probable first (default) or by byte value")
    p.add_argument("--all", action="store_true",
                   help="also code the file with every coder (fixed, Shannon, Huffman, block, adaptive,"
                        " arithmetic, context) and compare bits per byte with H0, H1, H2"
                        " (the first 200000 bytes of a longer file)")


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
    from .distribution import as_distribution

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
# compress / decompress / test / list: gzip's habits, atomic writes
# =====================================================================================
SUFFIX = ".pfx"

_PROGRESS_MIN = 32 << 20  # show a progress bar from this input size on (stderr a terminal)
_LIST_HEADER = "         compressed        uncompressed  ratio uncompressed_name"


def _codec_options(verb: str) -> list[tuple[Any, ...]]:
    """The options of `compress` and `decompress`; verb "gzip" is the command used without
    a sub-command (``prefixcode -d FILE``), which takes them all.

    One row per option: (option strings, dest, action, const, default, metavar, help),
    the action one of argparse's "store_true", "store_false", "store_const" and "store";
    help None hides the option from --help. The argparse parser (:func:`_add_codec_args`)
    and the fast reader (:func:`_read_codec_args`) are both made from these rows.
    """
    top = verb == "gzip"
    rows: list[tuple[Any, ...]] = []

    def add(strings: tuple[str, ...], dest: str, action: str, const: object = None, default: object = None,
            metavar: str | None = None, help: str | None = None) -> None:
        rows.append((strings, dest, action, const, default, metavar, help))

    def flag(strings: tuple[str, ...], dest: str, help: str | None, default: bool = False) -> None:
        add(strings, dest, "store_true", True, default, help=help)

    if top:
        flag(("-d", "--decompress"), "decompress", "decompress")
    elif verb == "decompress":  # (already decompressing; accepted as gzip accepts it)
        flag(("-d", "--decompress"), "decompress", None)
    if top or verb == "decompress":
        flag(("-t", "--test"), "test", "check the compressed files (decode them, write nothing)")
        flag(("-l", "--list"), "list", "list compressed and original sizes, ratio and name (no decoding)")
    flag(("-c", "--stdout"), "stdout", "write to standard output")
    add(("-o", "--output"), "output", "store", metavar="OUT",
        help="write to OUT (one input only; '-' for stdout)")
    flag(("-k", "--keep"), "keep", "keep the input files (the default)", default=True)
    add(("--rm",), "keep", "store_false", False, True, help="remove each input after success")
    flag(("-f", "--force"), "force", "overwrite existing outputs; write binary data to a terminal")
    flag(("-r", "--recursive"), "recursive", "walk the folders given and treat every file in them")
    add(("-S", "--suffix"), "suffix", "store", default=SUFFIX, metavar="SUF",
        help=f"suffix of compressed files (default {SUFFIX})")
    add(("-v", "--verbose"), "verbosity", "store_const", 1, 0,
        help="name each file with the space saved (and bits per byte against the order-0 entropy)")
    add(("-q", "--quiet"), "verbosity", "store_const", -1, 0, help="no warnings, no summary")
    add(("-T", "--threads"), "threads", "store", metavar="N",
        help=f"worker threads, 1 to {MAX_THREADS} (default, or 0: all cores)")
    # levels: decompress takes them too (and ignores them), as gzip does, so that -9 is
    # never a file name
    for n in range(1, 10):
        shown = {1: "fastest (largest)", 6: "default", 9: "smallest (slowest)"}.get(n)
        add((f"-{n}",), "level", "store_const", n, help=shown if verb != "decompress" else None)
    for name, n in (("--fast", 1), ("--best", 9)):
        add((name,), "level", "store_const", n, help=f"the same as -{n}" if verb != "decompress" else None)
    return rows


def _add_codec_args(p: argparse.ArgumentParser, verb: str) -> None:
    """The arguments of `compress`, `decompress` or, for verb "gzip", of the command used
    without a sub-command, added to the argparse parser `p` (from :func:`_codec_options`)."""
    import argparse

    p.add_argument("files", metavar="FILE", nargs="*", default=["-"],
                   help=f"files to {'compress' if verb == 'gzip' else verb} ('-' or none: standard input to "
                        "standard output)")
    for strings, dest, action, const, default, metavar, help in _codec_options(verb):
        extra: dict[str, Any] = {"const": const} if action == "store_const" else {}
        if metavar is not None:
            extra["metavar"] = metavar
        p.add_argument(*strings, dest=dest, action=action, default=default,
                       help=argparse.SUPPRESS if help is None else help, **extra)


class _Namespace:
    """The options read by :func:`_read_codec_args`: attributes, as in argparse's Namespace
    (equal to one with the same attributes)."""

    def __init__(self, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)

    def __eq__(self, other: object) -> bool:
        return vars(self) == getattr(other, "__dict__", None)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Namespace({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"


def _read_codec_args(verb: str, argv: Sequence[str]) -> _Namespace | None:
    """`argv` of `compress`, `decompress` or (verb "gzip") of the command used without a
    sub-command, read as ``parse_intermixed_args`` of :func:`_codec_parser` reads it, for
    the forms this knows; None for everything else, which argparse then reads.

    Known: files and ``-``; options by their exact names (``--suffix=SUF`` or
    ``--suffix SUF``); clusters of one-letter options (``-dc9``), the last of them perhaps
    taking a value, joined (``-S.x``, ``-T4``) or as the next argument. Anything else is
    left to argparse, so that its help and its messages stay the command's: ``-h``,
    ``--help``, unknown or abbreviated options, ``--`` (as an argument or as a value), a
    value that starts with '-' (but ``-`` itself) in the next argument, a missing value, a
    value given to an option that takes none, and '=' in a one-dash option. `argv` has
    gone through :func:`_negative_threads_joined`.
    """
    table: dict[str, tuple[str, str, object]] = {}
    values: dict[str, object] = {}
    for strings, dest, action, const, default, _metavar, _help in _codec_options(verb):
        for s in strings:
            table[s] = (dest, action, const)
        values.setdefault(dest, default)
    files: list[str] = []
    n = len(argv)
    i = 0
    while i < n:
        arg = argv[i]
        i += 1
        if arg[:1] != "-" or arg == "-":
            files.append(arg)
            continue
        if arg[:2] == "--":
            name, eq, value = arg.partition("=")
            option = table.get(name)
            if option is None:  # (--, --help, unknown, abbreviated)
                return None
            dest, action, const = option
            if action != "store":
                if eq:
                    return None
                values[dest] = const
                continue
            if not eq:
                if i == n or (argv[i][:1] == "-" and argv[i] != "-"):
                    return None
                value = argv[i]
                i += 1
            if value == "--":  # (argparse drops it, leaving an empty list)
                return None
            values[dest] = value
            continue
        if "=" in arg:
            return None
        for j in range(1, len(arg)):
            option = table.get("-" + arg[j])
            if option is None:  # (-h, unknown, a negative number that is not levels)
                return None
            dest, action, const = option
            if action != "store":
                values[dest] = const
                continue
            value = arg[j + 1:]
            if not value:
                if i == n or (argv[i][:1] == "-" and argv[i] != "-"):
                    return None
                value = argv[i]
                i += 1
            if value == "--":
                return None
            values[dest] = value
            break
    func = _cmd_gzip if verb == "gzip" else _cmd_compress if verb == "compress" else _cmd_decompress
    return _Namespace(files=files or ["-"], **values, func=func)


class _Tally:
    """Wraps a binary stream: counts bytes and their histogram as they pass by."""

    def __init__(self, stream: Any, hist: bool) -> None:
        self.stream = stream
        self.hist = None
        if hist:
            import array

            self.hist = array.array("q", bytes(8 * 256))
        self.n = 0

    def _count(self, data: Any) -> None:
        from ._core import _ext

        self.n += len(data)
        if self.hist is not None and len(data):
            _ext.byte_histogram(data, self.hist)

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        if data:
            self._count(data)
        return data

    def write(self, data: Any) -> int:
        self._count(data)
        return self.stream.write(data) if self.stream is not None else len(data)

    def bits_per_byte(self) -> float | None:
        """Order-0 entropy of what passed, in bits per byte (None when empty)."""
        import math

        if self.hist is None or self.n == 0:
            return None
        return -sum(c / self.n * math.log2(c / self.n) for c in self.hist if c) + 0.0


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


def _output_name(src: str, args: argparse.Namespace) -> str:
    """Where the output of `src` goes: a path, or '-' for standard output."""
    suffix = args.suffix
    if args.stdout or args.output == "-" or (src == "-" and args.output is None):
        return "-"
    if args.output is not None:
        return args.output
    if args.mode == "compress":
        if src.endswith(suffix) and not args.force:
            raise PrefixCodeError(f"already has the {suffix} suffix (use -f to compress it again)")
        return src + suffix
    base = os.path.basename(src)
    if not base.endswith(suffix) or len(base) == len(suffix):
        raise PrefixCodeError(f"unknown suffix, expected {suffix} (use -o or -c to name the output)")
    return src[: -len(suffix)]


def _open_input(src: str, args: argparse.Namespace, streams_ok: bool) -> tuple[Any, os.stat_result]:
    """`src` opened for reading, and its status.

    Opened without blocking (O_NONBLOCK), as gzip does: a FIFO nobody writes to would
    otherwise block ``open`` forever. Anything but a regular file (a FIFO, a pipe such as
    ``<(cat FILE)``, a device) is read only when `streams_ok` (the output goes to
    standard output or to -o); reads then block as usual (O_NONBLOCK cleared), so a
    FIFO is read until its writers close it; one without a writer reads as empty, as in
    gzip.
    """
    import stat

    if src == "-":
        if sys.stdin.isatty() and args.mode != "compress" and not args.force:
            raise PrefixCodeError("compressed data not read from a terminal (use -f to force)")
        fin = sys.stdin.buffer
        try:
            return fin, os.fstat(fin.fileno())
        except (OSError, ValueError, AttributeError):  # not a real file (tests, embedding)
            return fin, os.stat_result((0,) * 10)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(src, flags)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise PrefixCodeError("is a directory (use -r to treat the files in it)")
        if not stat.S_ISREG(st.st_mode):
            if not streams_ok:
                raise PrefixCodeError("not a regular file (use -c or -o to read it)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), st
    except BaseException:
        try:
            os.close(fd)
        except OSError:
            pass
        raise


def _refuse_output_onto_input(st_in: os.stat_result) -> None:
    """Writing to standard output: refuse when it is the input itself (``>> FILE``),
    which would read its own output until the disk is full."""
    import stat

    if not stat.S_ISREG(st_in.st_mode):
        return
    try:
        st_out = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (tests, embedding)
        return
    if (st_out.st_dev, st_out.st_ino) == (st_in.st_dev, st_in.st_ino):
        raise PrefixCodeError("input and output are the same file (standard output is the input)")


def _ratio(original: int, packed: int) -> str:
    """Space saved, as gzip shows it: ' 63.5%'."""
    return f"{100 * (1 - packed / original) if original else 0.0:5.1f}%"


def _extra(packed: int, original: int, h0: float | None) -> str:
    """Bits per byte of the compressed form against the order-0 entropy of the original."""
    if not original:
        return ""
    text = f" ({8 * packed / original:.3f} bits/byte"
    if h0 is not None:
        over = f", {8 * packed / original / h0 - 1:+.1%}" if h0 > 0 else ""
        text += f"; order-0 entropy {h0:.3f}{over}"
    return text + ")"


def _keep_times(fd: int, st: os.stat_result) -> None:
    """Give the open output `fd` the owner, modification and access times of the input
    (as gzip does; ownership only where permitted)."""
    try:
        os.fchown(fd, st.st_uid, st.st_gid)
    except (OSError, AttributeError):
        pass
    try:
        os.utime(fd, ns=(st.st_atime_ns, st.st_mtime_ns))
    except (OSError, NotImplementedError):
        pass


def _run_file(src: str, args: argparse.Namespace) -> None:
    """Compress, decompress, test or list one input."""
    import stat

    from . import container

    mode = args.mode
    if src != "-" and os.path.isdir(src):  # (before its name is judged)
        raise PrefixCodeError("is a directory (use -r to treat the files in it)")
    if mode == "list":
        return _list_file(src, args)
    compressing = mode == "compress"
    label = "<stdin>" if src == "-" else src
    dst = "" if mode == "test" else _output_name(src, args)
    to_stdout = dst == "-"
    if to_stdout and compressing and sys.stdout.isatty() and not args.force:
        raise PrefixCodeError("compressed data not written to a terminal (use -f to force)")
    fin, st = _open_input(src, args, streams_ok=mode == "test" or to_stdout or args.output is not None)
    regular = stat.S_ISREG(st.st_mode)
    try:
        if to_stdout:
            _refuse_output_onto_input(st)
        elif dst and regular and os.path.exists(dst) and os.path.samefile(src, dst):
            raise PrefixCodeError(f"input and output are the same file: {dst}")
        options: dict[str, Any] = {"threads": args.threads}
        if compressing:
            options["level"] = args.level
        run = container.compress_stream if compressing else container.decompress_stream
        update, close = _progress_bar(st.st_size if regular else None, os.path.basename(label))
        reader = _Tally(fin, args.verbose and compressing)
        try:
            if mode == "test":
                writer = _Tally(None, False)
                run(reader, writer, progress=update, **options)
            elif to_stdout:
                out = sys.stdout.buffer
                writer = _Tally(out, args.verbose and not compressing)
                run(reader, writer, progress=update, **options)
                out.flush()
            else:
                from .container._files import AtomicOutput

                with AtomicOutput(dst, args.force, (st.st_mode & 0o777) if regular else None) as out:
                    writer = _Tally(out, args.verbose and not compressing)
                    run(reader, writer, progress=update, **options)
                    if regular:
                        out.flush()
                        _keep_times(out.fileno(), st)
        finally:
            close()
    finally:
        if fin is not sys.stdin.buffer:
            fin.close()
    removed = not args.keep and regular and dst not in ("", "-")
    if removed:
        os.unlink(src)
    if args.verbose:
        if mode == "test":
            print(f"{label}:\t OK", file=sys.stderr)
            return None
        original, packed = (reader.n, writer.n) if compressing else (writer.n, reader.n)
        h0 = (reader if compressing else writer).bits_per_byte()
        line = f"{label}:\t{_ratio(original, packed)}{_extra(packed, original, h0)}"
        if dst != "-":
            line += f" -- {'replaced with' if removed else 'created'} {dst}"
        print(line, file=sys.stderr)
    return None


def _member_sizes(blob: Any) -> tuple[int, int]:
    """(members, original bytes) of a container file, from its block headers and
    trailers: nothing is decoded."""
    from ._core import _ext
    from .container import _format as F

    pos, members, total = 0, 0, 0
    while True:
        status = _ext.member_size(blob, pos)
        if status[0] != _ext.OK:
            code, at, stored, computed, _ = status
            raise F.error(code, at, stored, computed, blob)
        members += 1
        total += status[4]
        pos = status[1]
        if pos >= len(blob):
            return members, total


def _list_file(src: str, args: argparse.Namespace) -> None:
    import mmap
    import stat

    fin, st = _open_input(src, args, streams_ok=True)
    try:
        if stat.S_ISREG(st.st_mode) and st.st_size > 0:
            with mmap.mmap(fin.fileno(), 0, access=mmap.ACCESS_READ) as blob:
                size = len(blob)
                _, original = _member_sizes(blob)
        else:
            data = fin.read()
            size = len(data)
            _, original = _member_sizes(data)
    finally:
        if fin is not sys.stdin.buffer:
            fin.close()
    name = "<stdin>" if src == "-" else src
    if name.endswith(args.suffix) and len(os.path.basename(name)) > len(args.suffix):
        name = name[: -len(args.suffix)]
    _print_listed(size, original, name, args)


def _print_listed(packed: int, original: int, name: str, args: argparse.Namespace) -> None:
    if not args.listed:
        print(_LIST_HEADER)
    args.listed.append((packed, original))
    print(f"{packed:>19} {original:>19} {_ratio(original, packed)} {name}")


def _walk(top: str, args: argparse.Namespace) -> Iterator[str]:
    """The files under the folder `top` that this mode treats, in name order; symbolic
    links and special files are passed over (with a warning, unless -q), as are files
    that do not fit the mode (silently, unless -v), as gzip -r does."""
    import stat

    def failed(e: OSError) -> None:
        print(f"prefixcode: {e.filename}: {e.strerror or e}", file=sys.stderr)
        args.walk_failed = True

    for root, dirs, files in os.walk(top, onerror=failed):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                st = os.lstat(path)
            except OSError as e:
                failed(e)
                continue
            if not stat.S_ISREG(st.st_mode):
                if args.verbosity >= 0:
                    print(f"prefixcode: {path}: not a regular file -- ignored", file=sys.stderr)
                continue
            has_suffix = name.endswith(args.suffix) and len(name) > len(args.suffix)
            if args.mode == "compress" and has_suffix:
                if args.verbose:
                    print(f"prefixcode: {path}: already has the {args.suffix} suffix -- unchanged",
                          file=sys.stderr)
                continue
            if args.mode != "compress" and not has_suffix:
                if args.verbose:
                    print(f"prefixcode: {path}: unknown suffix -- ignored", file=sys.stderr)
                continue
            yield path


def _inputs(args: argparse.Namespace) -> Iterator[str]:
    for src in args.files:
        if args.recursive and src != "-" and os.path.isdir(src):
            yield from _walk(src, args)
        else:
            yield src


def _usage_error(message: str) -> int:
    print(f"prefixcode: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _check_codec_args(args: argparse.Namespace) -> int | None:
    """Settle what the options mean together; a usage error's status, or None."""
    if getattr(args, "list", False):
        args.mode = "list"
    elif getattr(args, "test", False):
        args.mode = "test"
    elif getattr(args, "decompress", False):
        args.mode = "decompress"
    args.verbose = args.verbosity > 0
    args.listed = []
    args.walk_failed = False
    if getattr(args, "level", None) is None:
        from .container import DEFAULT_LEVEL

        args.level = DEFAULT_LEVEL
    if args.threads is not None:
        try:
            threads = int(args.threads)
        except ValueError:
            threads = -1
        if not 0 <= threads <= MAX_THREADS:
            return _usage_error(f"argument -T must be an integer from 0 (all cores) to {MAX_THREADS}, "
                                f"got {args.threads!r}")
        args.threads = threads or None
    if not args.suffix or "/" in args.suffix or os.sep in args.suffix:
        return _usage_error(f"argument -S must be a non-empty suffix without '/', got {args.suffix!r}")
    if args.output is not None and (len(args.files) != 1 or args.recursive):
        return _usage_error("-o needs exactly one input FILE (and no -r)")
    if args.files.count("-") > 1:
        return _usage_error("standard input ('-') given more than once")
    return None


def _run_files(args: argparse.Namespace) -> int:
    """Each input in turn; an error is reported on one line and the next input goes on."""
    bad = _check_codec_args(args)
    if bad is not None:
        return bad
    status = EXIT_OK
    for src in _inputs(args):
        label = "<stdin>" if src == "-" else src
        try:
            _run_file(src, args)
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
    if len(args.listed) > 1:
        packed, original = (sum(col) for col in zip(*args.listed))
        print(f"{packed:>19} {original:>19} {_ratio(original, packed)} (totals)")
    return EXIT_ERROR if args.walk_failed else status


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout is not a real file
        pass


def _cmd_compress(args: argparse.Namespace) -> int:
    args.mode = "compress"
    return _run_files(args)


def _cmd_decompress(args: argparse.Namespace) -> int:
    args.mode = "decompress"
    return _run_files(args)


def _cmd_gzip(args: argparse.Namespace) -> int:
    args.mode = "compress"  # (unless -d, -t or -l says otherwise)
    return _run_files(args)


# -------------------------------------------------------------------------------------
# signals: SIGTERM and SIGHUP end the command as SIGINT does, cleaning up on the way
# -------------------------------------------------------------------------------------
class _Signalled(KeyboardInterrupt):
    """Raised in the main thread on SIGTERM or SIGHUP: every handler of
    KeyboardInterrupt (the atomic writer's included) cleans up on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _signal_module() -> Any:
    """The signal functions without ``signal``'s enumerations (which import enum): the
    built-in ``_signal`` module, where the interpreter has it."""
    try:
        import _signal as signal
    except ImportError:  # pragma: no cover - an interpreter without it
        import signal
    return signal


def _on_signal(signum: int, frame: Any) -> None:
    signal = _signal_module()
    for sig in _SIGNALS:  # a second signal must not interrupt the clean-up
        try:
            signal.signal(getattr(signal, sig), signal.SIG_IGN)
        except (ValueError, OSError, AttributeError):
            pass
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise _Signalled(signum)


_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


class _SignalsHandled:
    """``with _SignalsHandled():`` while the command runs, SIGINT, SIGTERM and SIGHUP raise
    in the main thread (only signals that are not ignored; the previous handlers are put
    back after). Elsewhere than in the main thread, nothing is changed."""

    def __enter__(self) -> None:
        signal = _signal_module()
        self.saved: dict[int, Any] = {}
        for name in _SIGNALS:
            sig = getattr(signal, name, None)
            if sig is None:
                continue
            old = signal.getsignal(sig)
            if old == signal.SIG_IGN:  # (nohup, or a shell's background job: leave it so)
                continue
            try:
                signal.signal(sig, _on_signal)
            except ValueError:  # not the main thread: signals are not ours to handle
                break
            self.saved[sig] = old

    def __exit__(self, *exc: object) -> None:
        signal = _signal_module()
        for sig, old in self.saved.items():
            signal.signal(sig, old if old is not None else signal.SIG_DFL)


def _exit_status_of(interrupt: KeyboardInterrupt) -> int:
    """128 + the signal's number, as a shell reports a command a signal ended."""
    return 128 + getattr(interrupt, "signum", _signal_module().SIGINT)


def _add_bench_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", metavar="FILE", nargs="+", help="files to compare the coders on")
    p.add_argument("--repeat", type=int, default=3, metavar="R",
                   help="timing runs per coder, the best counts (default 3)")
    p.add_argument("--skip", action="append", default=[], metavar="CODER",
                   help="leave out a coder (repeatable): prefixcode, zlib, libdeflate, isal, zstd, "
                        "bitarray, dahuffman, constriction; e.g. --skip dahuffman")


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
    "bench": ("compare prefixcode with zlib, libdeflate, isal, zstd, bitarray, dahuffman, constriction",
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
  prefixcode -9 notes.txt                as gzip: options first, no command; -d decompresses,
  prefixcode -dc notes.txt.pfx | less      -t tests, -l lists (prefixcode -d --help)
  prefixcode analyze notes.txt           entropy, Huffman code and where the bits go
  prefixcode analyze notes.txt --all     ... and every coder against H0, H1, H2
  prefixcode code sun=3 rain=1 fog=1 --tree tree.png

'prefixcode COMMAND --help' shows the options of each command."""


def _formatter(kind: type) -> Callable[..., argparse.HelpFormatter]:
    """`kind` with the terminal's width found without shutil (whose import, with bz2 and
    lzma, would cost more than the rest of starting the command)."""

    def make(prog: str) -> argparse.HelpFormatter:
        try:
            columns = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size(sys.stderr.fileno()).columns
        except (ValueError, OSError, AttributeError):
            columns = 80
        return kind(prog, width=max(columns, 40) - 2)

    return make


def _codec_parser(verb: str) -> argparse.ArgumentParser:
    """The parser of `compress`, `decompress` or, for verb "gzip", of the command used
    without a sub-command, standing alone so options and files may come in any order."""
    import argparse

    helptext = (_COMMANDS[verb][0] if verb in _COMMANDS else
                f"compress FILE to FILE{SUFFIX} as gzip does, or with -d decompress, -t test, -l list")
    parser = argparse.ArgumentParser(prog="prefixcode" if verb == "gzip" else f"prefixcode {verb}",
                                     description=helptext, formatter_class=_formatter(argparse.HelpFormatter))
    _add_codec_args(parser, verb)
    parser.set_defaults(func=_cmd_gzip if verb == "gzip" else _COMMANDS[verb][2])
    return parser


def _negative_threads_joined(argv: list[str]) -> list[str]:
    """`-T -1` as `--threads=-1`: a bad count (told as such), not -T without its argument
    followed by the level option -1."""
    out: list[str] = []
    it = iter(argv)
    for a in it:
        if a == "--":
            out += [a, *it]
            break
        if a in ("-T", "--threads"):
            value = next(it, None)
            if value is not None and value[:1] == "-" and value[1:].isdigit():
                out.append(f"--threads={value}")
                continue
            out += [a] if value is None else [a, value]
            continue
        out.append(a)
    return out


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``prefixcode`` command.

    With `argv`, only the sub-command it names gets its arguments (the others their
    one-line help): building every sub-command's arguments costs more than running
    most commands.
    """
    import argparse

    parser = argparse.ArgumentParser(
        prog="prefixcode",
        description="Prefix codes, compression, and the information measures that judge them.",
        epilog=_EXAMPLES,
        formatter_class=_formatter(argparse.RawDescriptionHelpFormatter),
    )
    parser.add_argument("--version", action="version", version=f"prefixcode {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = None
    if argv is not None:
        wanted = next((a for a in argv if not a.startswith("-")), None)
        wanted = wanted if wanted in _COMMANDS else None
    for name, (helptext, add_args, func) in _COMMANDS.items():
        p = sub.add_parser(name, help=helptext, description=helptext,
                           formatter_class=_formatter(argparse.HelpFormatter))
        if wanted is None or name == wanted:
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
    argv = list(sys.argv[1:] if argv is None else argv)
    verb = None
    if argv and argv[0] in ("compress", "decompress"):
        verb, rest = argv[0], argv[1:]
    elif argv and argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        verb, rest = "gzip", argv  # gzip's way: `prefixcode -d FILE`
    if verb is not None:
        rest = _negative_threads_joined(rest)
        args = _read_codec_args(verb, rest)
        if args is None:  # (help, a usage error, a form only argparse knows)
            try:  # (options and files in any order, as gzip takes them)
                args = _codec_parser(verb).parse_intermixed_args(rest)
            except SystemExit as e:
                return int(e.code or 0)
        first = args.files[0] if args.files else None
        if verb == "gzip" and first in _COMMANDS and not os.path.lexists(first):
            return _usage_error(f"options go after the command: prefixcode {first} "
                                f"{' '.join(a for a in argv if a != first)}")
    else:
        parser = build_parser(argv)
        try:
            args = parser.parse_args(argv)
        except SystemExit as e:  # argparse exits 2 on usage errors, 0 on --help/--version
            return int(e.code or 0)
        if getattr(args, "func", None) is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
    try:
        if verb is None:
            return args.func(args)
        with _SignalsHandled():
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
    except KeyboardInterrupt as e:  # SIGINT, or SIGTERM / SIGHUP while compressing
        status = _exit_status_of(e)
        what = "interrupted" if status == 130 else f"terminated (signal {status - 128})"
        print(f"prefixcode: {what}", file=sys.stderr)
        return status

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

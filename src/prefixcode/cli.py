"""The ``prefixcode`` command.

A thin layer over the library: argparse, one sub-command per job, library errors mapped
to a one-line message on stderr and exit status 1; usage errors exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from . import __version__
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

    if args.file == "-":
        data, label = sys.stdin.buffer.read(), "<stdin>"
    else:
        with open(args.file, "rb") as fh:
            data = fh.read()
        label = args.file
    if not data:
        raise PrefixCodeError(f"argument 'FILE' must be non-empty, got an empty file: {label}")
    report = analyze_message(data, name=f"{label}: {len(data)} bytes, Huffman code of its bytes")
    print(report)
    print()
    worst = sorted((r for r in report.symbols if r.p > 0), key=lambda r: -r.waste)[: args.top]
    print(f"where the wasted bits come from: p * (length - (-log2 p)), the {len(worst)} largest shares")
    print("(symbols coded shorter than -log2 p give some back: the shares sum to L - H)")
    from .analysis import _show_symbol

    for r in worst:
        print(f"  {_show_symbol(r.symbol, True):>6}  p={r.p:.4f}  -log2 p={r.surprisal:.3f}  "
              f"length {r.length}  waste {r.waste:+.5f} bits/symbol")
    print(f"order-0 bound {report.entropy * len(data) / 8:.0f} bytes, "
          f"this code {report.total_bits / 8:.0f} bytes (payload, no table)")
    return EXIT_OK


def _add_analyze_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the file to analyze ('-' for stdin)")
    p.add_argument("--top", type=int, default=5, help="how many symbols to list by waste (default 5)")


def _parse_weights(items: Sequence[str], path: str | None) -> object:
    """Weights from the command line (`a=0.5 b=0.25` or `0.5 0.25`) or a file."""
    import json

    if path is not None:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        try:
            return json.loads(text)
        except ValueError:
            items = text.split()
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

    weights = _parse_weights(args.weights, args.file)
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
    print(analyze(weights, code, name=f"{args.method} code, {len(code)} symbols"))
    if args.tree:
        import matplotlib

        matplotlib.use("Agg")
        from .plotting import code_tree

        fig = code_tree(code, p=weights, title=f"{args.method} code")
        fig.savefig(args.tree, dpi=150)
        print(f"tree written to {args.tree}")
    return EXIT_OK


def _add_code_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("weights", metavar="WEIGHTS", nargs="*",
                   help="symbol=weight pairs (sun=3 rain=1) or plain weights (0.5 0.25 0.25)")
    p.add_argument("--file",
                   help="read the weights from a file: JSON (list or mapping) or whitespace-separated")
    p.add_argument("--method", choices=_METHODS, default="huffman", help="the construction (default huffman)")
    p.add_argument("--arity", type=int, default=2, help="code digits (default 2; huffman and fixed only)")
    p.add_argument("--tree", metavar="OUT.png", help="draw the code tree to this picture")


# Each sub-command: name -> (help, function adding its arguments, function running it).
_COMMANDS: dict[
    str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[..., int]]
] = {
    "weather": ("the weather-station experiment", _add_weather_args, _cmd_weather),
    "analyze": ("entropy, Huffman code and wasted bits of a file", _add_analyze_args, _cmd_analyze),
    "code": ("build and print (or draw) a code for given weights", _add_code_args, _cmd_code),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``prefixcode`` command."""
    parser = argparse.ArgumentParser(
        prog="prefixcode",
        description="Prefix codes, compression, and the information measures that judge them.",
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
    except OSError as e:
        print(f"prefixcode: error: {e.strerror or e}: {e.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("prefixcode: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

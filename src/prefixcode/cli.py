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
    from . import measures
    from .datasets import load

    w = load("weather.json")
    p, r = w["climate"], w["reversed_climate"]
    print("The weather station: 8 weather states")
    print(f"  climate          p = {' '.join(f'{x:.2f}' for x in p)}")
    print(f"  reversed climate r = {' '.join(f'{x:.2f}' for x in r)}")
    print(f"  entropy H(p)        {measures.entropy(p):.4f} bits")
    print(f"  cross-entropy H(p,r) {measures.cross_entropy(p, r):.4f} bits")
    print(f"  KL(p || r)          {measures.kl_divergence(p, r):.4f} bits")
    print(f"  JS(p, r)            {measures.js_divergence(p, r):.4f} bits")
    return EXIT_OK


# Each sub-command: name -> (help, function adding its arguments, function running it).
_COMMANDS: dict[
    str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[..., int]]
] = {
    "weather": ("the weather-station experiment", lambda p: None, _cmd_weather),
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

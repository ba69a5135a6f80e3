"""Errors raised by prefixcode.

Every error a user can cause is a :class:`PrefixCodeError`, which is a
:class:`ValueError`, so ``except ValueError`` catches it too. Messages follow one
template, built by :func:`bad_argument`: the argument's name, what it must be, and the
value that was given.
"""

from __future__ import annotations

__all__ = [
    "CodeError",
    "DecodeError",
    "FormatError",
    "PrefixCodeError",
]


class PrefixCodeError(ValueError):
    """Base class of every error prefixcode raises for bad input.

    Examples
    --------
    >>> import prefixcode as pc
    >>> try:
    ...     pc.entropy([0.5, -0.5])
    ... except pc.PrefixCodeError as e:
    ...     print(e)
    argument 'p' must be non-negative, got [0.5, -0.5]
    """


class CodeError(PrefixCodeError):
    """A code table is invalid: not prefix-free, bad lengths, unknown symbols."""


class DecodeError(PrefixCodeError):
    """A bitstream cannot be decoded with the given code (names the bit offset)."""


class FormatError(PrefixCodeError):
    """A compressed container is damaged, truncated or of an unknown version."""


_repr = None  # a reprlib.Repr, made with the first message (reprlib is not imported before)


def _short_repr(value: object) -> str:
    global _repr
    if _repr is None:
        import reprlib

        r = reprlib.Repr()
        r.maxstring, r.maxother, r.maxlist, r.maxtuple, r.maxdict, r.maxset = 60, 80, 8, 8, 6, 6
        _repr = r
    return _repr.repr(value)


def show(value: object) -> str:
    """Short, readable representation of a user's value for an error message."""
    try:
        import numpy as np

        if isinstance(value, np.ndarray):
            text = np.array2string(value, threshold=8, edgeitems=3, separator=", ")
            text = " ".join(text.split())
            return f"array({text})"
    except Exception:  # pragma: no cover - numpy is a hard dependency
        pass
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"an integer of {value.bit_length()} bits"  # too long to print usefully
    try:
        text = _short_repr(value)
    except Exception:  # a value whose repr fails must not hide the real error
        return f"<{type(value).__name__} object>"
    if not isinstance(value, str):
        text = " ".join(text.split())  # multi-line reprs (a pandas Series) on one line
    return text


def bad_argument(
    name: str, requirement: str, value: object, cls: type[PrefixCodeError] = PrefixCodeError
) -> PrefixCodeError:
    """Build the one message template: "argument 'q' must be ..., got <value>"."""
    return cls(f"argument {name!r} must be {requirement}, got {show(value)}")

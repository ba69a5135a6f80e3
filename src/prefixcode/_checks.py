"""Checks of scalar arguments that need no numpy (the container uses them too).

:mod:`prefixcode.distribution` re-exports them beside its own checks; the messages follow
the one template of :func:`prefixcode.errors.bad_argument`.
"""

from __future__ import annotations

from .errors import bad_argument

TYPE_CHECKING = False  # (typing is not imported on the command's start)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MAX_THREADS", "check_int", "check_threads"]

#: Threads any function may be asked to use: more never pay for themselves here.
MAX_THREADS = 256


def check_int(value: Any, name: str, minimum: int | None = None, maximum: int | None = None,
              hint: str = "") -> int:
    """Validate an integer argument (bools refused) within ``[minimum, maximum]``.

    The one checker for integer arguments: the message names the argument, the range
    and the value (with `hint`, when given, after the range).

    Examples
    --------
    >>> from prefixcode._checks import check_int
    >>> check_int(3, "n", 1)
    3
    >>> check_int(0, "n", 1)
    Traceback (most recent call last):
    ...
    prefixcode.errors.PrefixCodeError: argument 'n' must be an integer >= 1, got 0
    """
    if minimum is not None and maximum is not None:
        requirement = f"an integer from {minimum} to {maximum}"
    elif minimum is not None:
        requirement = f"an integer >= {minimum}"
    elif maximum is not None:
        requirement = f"an integer <= {maximum}"
    else:
        requirement = "an integer"
    if hint:
        requirement += f" ({hint})"
    if type(value) is not int:  # (numbers costs an import the command does without)
        import numbers

        if (isinstance(value, bool) or type(value).__name__ == "bool_"
                or not isinstance(value, numbers.Integral)):
            raise bad_argument(name, requirement, value)
    v = int(value)
    if (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
        raise bad_argument(name, requirement, value)
    return v


def check_threads(threads: Any, name: str = "threads") -> int | None:
    """Validate a thread count: None (choose) or 1 .. MAX_THREADS.

    Examples
    --------
    >>> from prefixcode._checks import check_threads
    >>> check_threads(None), check_threads(2)
    (None, 2)
    """
    if threads is None:
        return None
    return check_int(threads, name, 1, MAX_THREADS, hint="or None")

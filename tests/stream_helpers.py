"""What the tests of the compiled stream coders share: the Python path forced, and the
outcome of a decode compared between the two paths."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

from bitarray import bitarray
from hypothesis import strategies as st

from prefixcode import stream
from prefixcode.errors import DecodeError


@contextmanager
def python_only(switch: str):
    """The Python coders of stream.py: `switch` (the module's test of whether the compiled
    path may run, e.g. "_c_ready") answers no."""
    with mock.patch.object(stream, switch, lambda *args: False):
        yield


def outcome(fn, *args):
    """What decoding gives: ("ok", symbols) or ("error", message)."""
    try:
        return "ok", fn(*args)
    except DecodeError as e:
        return "error", str(e)


def python_decode(switch: str, code, bits, n):
    """``code.decode(bits, n)`` on the Python path."""
    with python_only(switch):
        return code.decode(bits, n)


def assert_same_decoding(switch: str, code, bits, n) -> None:
    """The compiled path and the Python path give the same symbols or the same error."""
    assert outcome(code.decode, bits, n) == outcome(python_decode, switch, code, bits, n)


def damaged_variants(bits: bitarray, data) -> list[bitarray]:
    """`bits` with 1-3 bits flipped, cut short, lengthened, and plain noise (hypothesis's
    `data` draws where)."""
    damaged = bitarray(bits)
    for _ in range(data.draw(st.integers(1, 3))):
        if damaged:
            damaged.invert(data.draw(st.integers(0, len(damaged) - 1)))
    cut = bits[: data.draw(st.integers(0, len(bits)))]
    longer = bits + bitarray(data.draw(st.text("01", min_size=1, max_size=20)))
    noise = bitarray(data.draw(st.text("01", max_size=200)))
    return [damaged, cut, longer, noise]

"""Codes that are not prefix codes: arithmetic coding, rANS and adaptive Huffman.

These coders give a message one bitstream as a whole rather than one codeword per
symbol, so they are used through the same verbs as a :class:`~prefixcode.code.PrefixCode`
(``pc.encode(message, code)`` and ``pc.decode(bits, code, length=n)``) but have no code
table. They are written in plain, readable Python for teaching and measuring. The
arithmetic and rANS coders also run compiled (``_core/arith.c``, bit for bit the same
streams; the Python code stays their reference and serves ``trace``), and so does
adaptive Huffman (``_core/adaptive.c``).

* :class:`ArithmeticCode`: a static-model arithmetic coder on integers (the interval
  scaling of Witten, Neal and Cleary 1987, with pending bits for the middle case), exact
  and deterministic on every machine; :meth:`ArithmeticCode.trace` shows the exact
  intervals as fractions.
* :class:`ANSCode`: range asymmetric numeral systems (rANS, Duda 2013) on the same
  integer model, with a trace of the coder's state.
* :class:`AdaptiveHuffman`: one-pass adaptive Huffman coding, the FGK algorithm (Faller
  1973, Gallager 1978, Knuth 1985) or Vitter's algorithm Lambda (Vitter 1987), with an
  escape (NYT) leaf for first occurrences; :meth:`AdaptiveHuffman.trace` shows every
  swap, slide and increment.

Every object here is immutable as far as coding is concerned: each call of ``encode``,
``decode`` or ``trace`` starts from the initial model, so a fresh object decodes what
any other one with the same parameters encoded.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from bitarray import bitarray

from .distribution import as_weights
from .errors import CodeError, DecodeError, PrefixCodeError, bad_argument, show

__all__ = [
    "ANSCode",
    "ANSStep",
    "AdaptiveHuffman",
    "AdaptiveStep",
    "ArithmeticCode",
    "ArithmeticStep",
    "quantize",
]


# -- the integer model shared by the arithmetic and ANS coders --------------------------
def quantize(probs: Sequence[Fraction], total: int) -> list[int]:
    """Integer frequencies summing to `total` for the exact probabilities `probs`.

    The rule, deterministic on every machine (exact rational arithmetic):

    1. each symbol gets ``floor(p * total)``;
    2. the ``total - sum`` units left over go one each to the symbols with the largest
       remainders ``p * total - floor(p * total)`` (ties: the earlier symbol), which is
       largest-remainder (Hamilton) apportionment and exact when every ``p * total`` is
       an integer;
    3. every symbol with ``p > 0`` still at 0 gets 1, taken one unit at a time from the
       symbol with the largest frequency (ties: the earlier symbol).

    Symbols with ``p == 0`` keep frequency 0. Requires ``total >= `` the number of
    symbols with ``p > 0``.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from prefixcode.stream import quantize
    >>> quantize([F(1, 2), F(1, 4), F(1, 4)], 16)
    [8, 4, 4]
    >>> quantize([F(998, 1000), F(1, 1000), F(1, 1000)], 16)
    [14, 1, 1]
    """
    freqs = [int(p * total) for p in probs]  # floor: p >= 0
    left = total - sum(freqs)
    by_remainder = sorted(range(len(probs)), key=lambda i: (-(probs[i] * total - freqs[i]), i))
    for i in by_remainder[:left]:
        freqs[i] += 1
    for i, p in enumerate(probs):
        if p > 0 and freqs[i] == 0:
            j = max(range(len(freqs)), key=lambda k: (freqs[k], -k))
            freqs[j] -= 1
            freqs[i] = 1
    return freqs


def _check_precision(precision: Any) -> int:
    if isinstance(precision, bool) or not isinstance(precision, int) or not 8 <= precision <= 128:
        raise bad_argument("precision", "an integer from 8 to 128", precision)
    return precision


class _Model:
    """Symbols, exact probabilities and quantized integer frequencies (total 2**freq_bits)."""

    def __init__(self, p: Any, freq_bits: int):
        symbols, w = as_weights(p, "p")
        if w.ndim != 1:
            raise bad_argument("p", "one-dimensional", p)
        if symbols is None:
            symbols = tuple(range(w.shape[0]))
        weights = [Fraction(float(x)) for x in w.tolist()]
        total_w = sum(weights)
        self.symbols = tuple(symbols)
        self.probs = tuple(x / total_w for x in weights)
        self.total = 1 << freq_bits
        self.freq_bits = freq_bits
        positive = sum(1 for x in self.probs if x > 0)
        if positive > self.total:
            raise PrefixCodeError(
                f"argument 'precision' is too small for {positive} symbols: the frequencies"
                f" total {self.total}; give a larger precision"
            )
        self.freqs = tuple(quantize(self.probs, self.total))
        self.index = {s: i for i, s in enumerate(self.symbols)}
        # Cumulative frequencies of the symbols that can occur, for the decoder's search.
        self.live = [i for i, f in enumerate(self.freqs) if f > 0]
        self.cum = {}
        starts = []
        c = 0
        for i in self.live:
            self.cum[i] = c
            starts.append(c)
            c += self.freqs[i]
        self.starts = starts

    def lookup(self, symbol: Any, position: int) -> int:
        try:
            i = self.index[symbol]
        except (KeyError, TypeError):
            raise CodeError(
                f"argument 'message' must hold only symbols of the code, got {show(symbol)}"
                f" at index {position}"
            ) from None
        if self.freqs[i] == 0:
            raise CodeError(
                f"argument 'message' holds {show(symbol)} at index {position}, a symbol of"
                " probability 0 that this code cannot encode"
            )
        return i

    def find(self, target: int) -> int:
        """The symbol index whose frequency slot holds `target` (0 <= target < total)."""
        return self.live[bisect.bisect_right(self.starts, target) - 1]

    def q(self, i: int) -> Fraction:
        return Fraction(self.freqs[i], self.total)

    def ideal_bits(self, message: Iterable[Hashable]) -> float:
        return sum(-math.log2(self.probs[self.lookup(s, k)]) for k, s in enumerate(message))

    def quantization_loss(self, message: Iterable[Hashable]) -> float:
        total = 0.0
        for k, s in enumerate(message):
            i = self.lookup(s, k)
            total += math.log2(self.probs[i] / self.q(i))
        return total


def _as_list(message: Any) -> list:
    if isinstance(message, (str, bytes, bytearray, list, tuple)):
        return list(message)
    try:
        import numpy as np

        if isinstance(message, np.ndarray):
            return message.reshape(-1).tolist()
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    try:
        return list(message)
    except TypeError:
        raise bad_argument("message", "an iterable of symbols", message) from None


def _as_bits(bits: Any) -> bitarray:
    if isinstance(bits, bitarray):
        return bits
    if isinstance(bits, str) and set(bits) <= {"0", "1"}:
        return bitarray(bits)
    raise bad_argument("bits", "a bitarray or a string of 0s and 1s", bits)


def _check_length(length: Any, required: bool, coder: str) -> int | None:
    if length is None:
        if required:
            raise PrefixCodeError(
                f"argument 'length' must be given to decode with {coder} (the number of"
                " symbols: the stream does not mark its end)"
            )
        return None
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise bad_argument("length", "a non-negative integer", length)
    return length


# -- the compiled path (_core/arith.c) of the arithmetic and rANS coders ---------------
# The C coders work on symbol indices; they write exactly the Python coders' bits (which
# stay the reference: tests/test_stream_c.py holds them together). A message whose
# symbols cannot all be looked up in the model's dict (unhashable ones) takes the Python
# path, which raises the same errors. Precision: arithmetic to 42, rANS to 62 bits.
_C_ARITH, _C_ANS = 0, 1
_C_MAX_PRECISION = {_C_ARITH: 42, _C_ANS: 62}


def _c_model(m: _Model) -> tuple:
    """The model as the C coders take it: (freq, cum, live) arrays."""
    arrays = m.__dict__.get("_c_arrays")
    if arrays is None:
        import numpy as np

        freq = np.array(m.freqs, dtype=np.uint32)
        cum = np.zeros(len(m.freqs), dtype=np.uint32)
        for i, c in m.cum.items():
            cum[i] = c
        arrays = m._c_arrays = (freq, cum, np.array(m.live, dtype=np.int32))
    return arrays


def _c_ready(m: _Model, kind: int, precision: int) -> bool:
    return precision <= _C_MAX_PRECISION[kind] and len(m.symbols) < 2**31


def _c_indices(m: _Model, message: Any) -> tuple[Any, Any] | None:
    """(int32 indices, the message as a sequence for error messages), or None when the
    symbols cannot be mapped (the Python path then handles the message). -1: no such
    symbol."""
    import numpy as np

    index = m.index
    if isinstance(message, (bytes, bytearray)) or (
            isinstance(message, np.ndarray) and message.dtype == np.uint8):
        lut = m.__dict__.get("_c_byte_lut")
        if lut is None:
            lut = m._c_byte_lut = np.array([index.get(b, -1) for b in range(256)], dtype=np.int32)
        data = np.frombuffer(message, dtype=np.uint8) if not isinstance(message, np.ndarray) \
            else message.reshape(-1)
        return lut[data], message if not isinstance(message, np.ndarray) else data
    if isinstance(message, np.ndarray) and message.dtype.kind in "iu":
        flat = message.reshape(-1)
        values, inverse = np.unique(flat, return_inverse=True)
        lut = np.array([index.get(v, -1) for v in values.tolist()], dtype=np.int32)
        return lut[inverse.reshape(-1)], flat
    seq = _as_list(message)
    get = index.get
    try:
        idx = [get(s, -1) for s in seq]
    except TypeError:  # an unhashable symbol: the Python path says which
        return None
    return np.array(idx, dtype=np.int32), seq


def _symbol_at(seq: Any, k: int) -> Any:
    item = seq[k]
    return item.item() if hasattr(item, "item") else item


def _c_encode(m: _Model, kind: int, precision: int, message: Any) -> bitarray | None:
    """The C coder's stream of `message`, or None to take the Python path."""
    if not _c_ready(m, kind, precision):
        return None
    mapped = _c_indices(m, message)
    if mapped is None:
        return None
    idx, seq = mapped
    return _c_encode_indices(m, kind, precision, idx, seq)


def _c_encode_indices(m: _Model, kind: int, precision: int, idx: Any, seq: Any = None) -> bitarray:
    from ._core import _ext

    freq, cum, live = _c_model(m)
    data, nbits, bad = _ext.stream_encode(kind, idx, freq, cum, live, m.freq_bits, precision)
    if bad >= 0:
        m.lookup(_symbol_at(seq, bad), bad)  # raises the Python coder's CodeError
        raise AssertionError("the C coder refused a symbol of the model")  # pragma: no cover
    return _bits_from(data, nbits)


def _bits_from(data: bytes, nbits: int) -> bitarray:
    """The first `nbits` bits of what a C coder wrote (most significant bit first)."""
    out = bitarray(endian="big")
    out.frombytes(data)
    del out[nbits:]
    return out


def _c_decode(m: _Model, kind: int, precision: int, bits: bitarray, n: int) -> tuple[list, int, int, int]:
    """(symbols, status, where, state) of the C decoder (see _core/core.h)."""
    import numpy as np

    from ._core import _ext

    freq, cum, live = _c_model(m)
    endian = bits.endian() if callable(bits.endian) else bits.endian  # a property in bitarray 3
    data = (bits if endian == "big" else bitarray(bits, endian="big")).tobytes()
    out = np.empty(n, dtype=np.int32)
    status, where, state = _ext.stream_decode(kind, data, len(bits), freq, cum, live, m.freq_bits,
                                              precision, out)
    return out, status, where, state


def _symbols_of(m: _Model, idx: Any) -> list:
    table = m.__dict__.get("_c_symbols")
    if table is None:
        table = m._c_symbols = _object_table(m.symbols)
    return table[idx].tolist()


def _object_table(symbols: Sequence) -> Any:
    """The symbols as a numpy object array, which C's symbol indices index at once."""
    import numpy as np

    table = np.empty(len(symbols), dtype=object)
    for i, symbol in enumerate(symbols):  # one by one: tuples are symbols, not rows
        table[i] = symbol
    return table


class _StreamCode:
    """What codec.encode / codec.decode delegate to (they look for this marker)."""

    _is_stream_code = True

    def encode(self, message: Iterable[Hashable]) -> bitarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def decode(self, bits: bitarray | str, length: int | None = None) -> list:  # pragma: no cover
        raise NotImplementedError


# -- arithmetic coding ----------------------------------------------------------------
@dataclass(frozen=True)
class ArithmeticStep:
    """One symbol of :meth:`ArithmeticCode.trace`.

    Attributes
    ----------
    index : int
        Position of the symbol in the message.
    symbol : hashable
        The symbol.
    q : Fraction
        Its probability in the coder's integer model (frequency / total).
    low, high : Fraction
        The exact interval ``[low, high)`` after this symbol: the previous interval's
        slice for the symbol, of width ``q`` times the previous width.
    bits : str
        The bits the integer coder has written so far (those settled by the interval).
    pending : int
        Bits the coder owes but cannot settle yet (the interval straddles 1/2 inside the
        middle half; each will be the opposite of the next settled bit).
    """

    index: int
    symbol: Any
    q: Fraction
    low: Fraction
    high: Fraction
    bits: str
    pending: int

    @property
    def width(self) -> Fraction:
        """``high - low``, the product of the q's so far."""
        return self.high - self.low

    def __str__(self) -> str:
        owed = f" (+{self.pending} pending)" if self.pending else ""
        return (f"{self.index}: {self.symbol!r} q={self.q} -> [{self.low}, {self.high})"
                f" width {self.width}, bits '{self.bits}'{owed}")


class ArithmeticCode(_StreamCode):
    """A static-model binary arithmetic coder, exact and deterministic in integers.

    The model is `p` quantized to integer frequencies with total ``T = 2**(precision // 2)``
    by :func:`quantize` (every symbol with ``p > 0`` gets a frequency of at least 1). The
    coder keeps an interval ``[low, high]`` of `precision`-bit integers and rescales it
    the classic way (Witten, Neal and Cleary, "Arithmetic coding for data compression",
    CACM 30(6), 1987): a settled top bit is written (E1, E2), an interval straddling the
    middle is widened and the bit owed (E3, "pending" bits). At the end the shortest
    number inside the final interval is written and trailing zeros are dropped (the
    decoder reads zeros past the end), so the stream is the shortest this coder can
    make; ``decode`` re-encodes what it read and refuses anything else.

    Cost bound, for a message of n symbols: with ``q`` the quantized model,

        bits <= sum of -log2 q(x) + n * eps + 1,  eps = -log2(1 - T / 2**(precision - 2)),

    since each step's integer width is more than ``R q(x) - 1`` for a range
    ``R > 2**(precision-2)``, and a final interval of width W holds a number of
    ``ceil(-log2 W)`` bits. So against the ideal ``sum of -log2 p(x)`` the excess is at
    most ``1 + sum of log2(p(x)/q(x))`` (the quantization loss,
    :meth:`quantization_loss`) ``+ n * eps`` (``eps`` = :attr:`rounding_loss`, 8.8e-5 bits
    per symbol at precision 32).

    Parameters
    ----------
    p : distribution
        Probabilities, counts, ``{symbol: weight}``, a Distribution, bytes or a string.
    precision : int, default 32
        Bits of the coder's interval (8 to 128); frequencies total ``2**(precision // 2)``.

    Examples
    --------
    >>> import prefixcode as pc
    >>> code = pc.ArithmeticCode({"a": 0.5, "b": 0.25, "c": 0.25})
    >>> bits = pc.encode("abac", code)
    >>> bits
    bitarray('010011')
    >>> "".join(pc.decode(bits, code, length=4))
    'abac'
    >>> print(code.trace("abac")[-1])
    3: 'c' q=1/4 -> [19/64, 5/16) width 1/64, bits '010011'
    """

    def __init__(self, p: Any, precision: int = 32):
        self.precision = _check_precision(precision)
        self._model = _Model(p, self.precision // 2)
        self._half = 1 << (self.precision - 1)
        self._quarter = 1 << (self.precision - 2)

    # -- the model --------------------------------------------------------------------
    @property
    def symbols(self) -> tuple:
        """The symbols of the model, in order."""
        return self._model.symbols

    @property
    def frequencies(self) -> dict:
        """``{symbol: integer frequency}``; they sum to :attr:`total`."""
        return dict(zip(self._model.symbols, self._model.freqs))

    @property
    def total(self) -> int:
        """The frequency total ``2**(precision // 2)``."""
        return self._model.total

    @property
    def rounding_loss(self) -> float:
        """Bits per symbol the integer interval may lose to rounding, at most."""
        return -math.log2(1 - self._model.total / self._quarter)

    def ideal_bits(self, message: Iterable[Hashable]) -> float:
        """``sum of -log2 p(x)`` over `message`, under the exact model."""
        return self._model.ideal_bits(_as_list(message))

    def quantization_loss(self, message: Iterable[Hashable]) -> float:
        """``sum of log2(p(x) / q(x))`` over `message`: the cost of the integer frequencies."""
        return self._model.quantization_loss(_as_list(message))

    def bound(self, message: Iterable[Hashable]) -> float:
        """The stated upper bound on ``len(encode(message))`` in bits (see the class notes)."""
        message = _as_list(message)
        return (self.ideal_bits(message) + self.quantization_loss(message)
                + len(message) * self.rounding_loss + 1)

    def __repr__(self) -> str:
        return f"ArithmeticCode({len(self.symbols)} symbols, precision={self.precision})"

    # -- coding -----------------------------------------------------------------------
    def _run(self, message: list, steps: list | None = None) -> bitarray:
        m = self._model
        total, half, quarter = m.total, self._half, self._quarter
        low, high, pending = 0, (1 << self.precision) - 1, 0
        out = bitarray()
        exact_low, exact_width = Fraction(0), Fraction(1)

        def emit(bit: int) -> None:
            nonlocal pending
            out.append(bit)
            out.extend([1 - bit] * pending)
            pending = 0

        for k, s in enumerate(message):
            i = m.lookup(s, k)
            rng = high - low + 1
            c, f = m.cum[i], m.freqs[i]
            high = low + rng * (c + f) // total - 1
            low = low + rng * c // total
            while True:
                if high < half:
                    emit(0)
                elif low >= half:
                    emit(1)
                    low -= half
                    high -= half
                elif low >= quarter and high < 3 * quarter:
                    pending += 1
                    low -= quarter
                    high -= quarter
                else:
                    break
                low, high = 2 * low, 2 * high + 1
            if steps is not None:
                exact_low += exact_width * Fraction(c, total)
                exact_width *= Fraction(f, total)
                steps.append(ArithmeticStep(k, s, m.q(i), exact_low, exact_low + exact_width,
                                            out.to01(), pending))
        # The shortest number v = (k top bits, then zeros) inside [low, high].
        for k in range(1, self.precision + 1):
            step = 1 << (self.precision - k)
            v = -(-low // step) * step
            if v <= high:
                break
        top = v >> (self.precision - 1)
        emit(top)
        for j in range(self.precision - 2, self.precision - 1 - k, -1):
            out.append((v >> j) & 1)
        while out and not out[-1]:
            out.pop()
        return out

    def encode(self, message: Iterable[Hashable]) -> bitarray:
        """The arithmetic code of `message` (same as ``pc.encode(message, self)``)."""
        fast = _c_encode(self._model, _C_ARITH, self.precision, message)
        return fast if fast is not None else self._run(_as_list(message))

    def trace(self, message: Iterable[Hashable]) -> list[ArithmeticStep]:
        """The exact intervals, symbol by symbol, with the bits settled so far.

        Examples
        --------
        >>> import prefixcode as pc
        >>> code = pc.ArithmeticCode({"a": 0.5, "b": 0.25, "c": 0.25})
        >>> for step in code.trace("abac"):
        ...     print(step)
        0: 'a' q=1/2 -> [0, 1/2) width 1/2, bits '0'
        1: 'b' q=1/4 -> [1/4, 3/8) width 1/8, bits '010'
        2: 'a' q=1/2 -> [1/4, 5/16) width 1/16, bits '0100'
        3: 'c' q=1/4 -> [19/64, 5/16) width 1/64, bits '010011'
        """
        steps: list = []
        self._run(_as_list(message), steps)
        return steps

    def decode(self, bits: bitarray | str, length: int | None = None) -> list:
        """Decode `length` symbols from `bits` (same as ``pc.decode(bits, self, length=n)``).

        Raises
        ------
        DecodeError
            The bits end before `length` symbols are complete, bits are left over after
            them, or the bits are not a stream this coder writes (the first differing bit
            is named). The stream carries no check sum: a cut or damaged stream that
            happens to be this coder's stream of another message decodes to that message.
        """
        n = _check_length(length, True, "an ArithmeticCode")
        bits = _as_bits(bits)
        m = self._model
        if _c_ready(m, _C_ARITH, self.precision):
            idx = _c_decode(m, _C_ARITH, self.precision, bits, n)[0]
            _check_canonical(bits, _c_encode_indices(m, _C_ARITH, self.precision, idx), n)
            return _symbols_of(m, idx)
        return self._decode_py(bits, n)

    def _decode_py(self, bits: bitarray, n: int) -> list:
        """The readable decoder (the reference of the C one)."""
        m = self._model
        total, half, quarter, precision = m.total, self._half, self._quarter, self.precision
        nbits = len(bits)

        def bit(pos: int) -> int:
            return bits[pos] if pos < nbits else 0

        value = 0
        for pos in range(precision):
            value = 2 * value + bit(pos)
        pos = precision
        low, high = 0, (1 << precision) - 1
        out = []
        for _ in range(n):
            rng = high - low + 1
            i = m.find(((value - low + 1) * total - 1) // rng)
            out.append(m.symbols[i])
            c, f = m.cum[i], m.freqs[i]
            high = low + rng * (c + f) // total - 1
            low = low + rng * c // total
            while True:
                if high < half:
                    pass
                elif low >= half:
                    low, high, value = low - half, high - half, value - half
                elif low >= quarter and high < 3 * quarter:
                    low, high, value = low - quarter, high - quarter, value - quarter
                else:
                    break
                low, high, value = 2 * low, 2 * high + 1, 2 * value + bit(pos)
                pos += 1
        _check_canonical(bits, self._run(out), n)
        return out


def _check_canonical(bits: bitarray, expected: bitarray, n: int) -> None:
    """The stream a coder writes for the decoded symbols must be the stream given."""
    if expected == bits:
        return
    common = min(len(bits), len(expected))
    if expected[:common] == bits[:common]:
        if len(expected) > len(bits):
            raise DecodeError(
                f"the bits end early: {n} symbols decoded from them take {len(expected)} bits,"
                f" got {len(bits)} (a cut stream, or a wrong length)"
            )
        raise DecodeError(
            f"{len(bits) - len(expected)} bit(s) left over at offset {len(expected)} after"
            f" {n} symbols (a wrong length, or trailing data)"
        )
    first = next(j for j in range(common) if bits[j] != expected[j])
    raise DecodeError(
        f"the bits are not a stream of this code: {n} symbols decoded from them encode"
        f" differently from bit offset {first} on (a damaged or cut stream, or a wrong length)"
    )


# -- rANS -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ANSStep:
    """One symbol of :meth:`ANSCode.trace`, in the encoder's order (last symbol first).

    Attributes
    ----------
    index : int
        Position of the symbol in the message.
    symbol : hashable
        The symbol.
    freq, start : int
        Its frequency and cumulative start in the integer model (total ``2**M``).
    state_in : int
        The state before the symbol.
    shifted : str
        Low bits shifted out of the state to bring it into the symbol's range, in the
        order they were shifted out (the decoder reads them back in reverse).
    state_out : int
        ``(x // freq) * 2**M + x % freq + start`` for the shifted state x.
    """

    index: int
    symbol: Any
    freq: int
    start: int
    state_in: int
    shifted: str
    state_out: int

    def __str__(self) -> str:
        out = f" shift out '{self.shifted}'," if self.shifted else ""
        return (f"{self.index}: {self.symbol!r} f={self.freq} start={self.start}:"
                f" {self.state_in} ->{out} {self.state_out}")


class ANSCode(_StreamCode):
    """Range asymmetric numeral systems (rANS, Duda 2013) with bitwise renormalization.

    The model is the one of :class:`ArithmeticCode`: frequencies of total
    ``T = 2**M``, ``M = precision // 2``, by :func:`quantize`. The state ``x`` lives in
    ``[L, 2L)`` with ``L = 2**(precision - 1)``; the encoder runs over the message
    backwards, shifting low bits of ``x`` out until ``x < 2 * (L / T) * f(s)``, then
    ``x <- (x // f) * T + x % f + start(s)``. The stream is the final state's low
    ``precision - 1`` bits, then the shifted bits in reverse order, so the decoder runs
    forwards. The encoder starts from ``x = L`` and the decoder checks that it ends there.

    Cost bound, for n symbols: ``bits <= sum of -log2 q(x) + n * eps + (precision - 1)``
    with ``eps = -log2(1 - T / L)`` (:attr:`rounding_loss`; 4.4e-5 bits at precision 32):
    each step's shifted bits are at most ``log2 x - log2 x' - log2 q + eps``, which
    telescopes, plus the final state. The ``precision - 1`` bits of state are rANS's fixed
    overhead per stream.

    Parameters
    ----------
    p : distribution
        Probabilities, counts, ``{symbol: weight}``, a Distribution, bytes or a string.
    precision : int, default 32
        Bits of the state (8 to 128).

    Examples
    --------
    >>> import prefixcode as pc
    >>> code = pc.ANSCode({"a": 0.5, "b": 0.25, "c": 0.25}, precision=8)
    >>> bits = pc.encode("abac", code)
    >>> len(bits), "".join(pc.decode(bits, code, length=4))
    (13, 'abac')
    """

    def __init__(self, p: Any, precision: int = 32):
        self.precision = _check_precision(precision)
        self._model = _Model(p, self.precision // 2)
        self._low = 1 << (self.precision - 1)

    symbols = ArithmeticCode.symbols
    frequencies = ArithmeticCode.frequencies
    total = ArithmeticCode.total
    ideal_bits = ArithmeticCode.ideal_bits
    quantization_loss = ArithmeticCode.quantization_loss

    @property
    def rounding_loss(self) -> float:
        """Bits per symbol the integer state may lose to rounding, at most."""
        return -math.log2(1 - self._model.total / self._low)

    def bound(self, message: Iterable[Hashable]) -> float:
        """The stated upper bound on ``len(encode(message))`` in bits (see the class notes)."""
        message = _as_list(message)
        return (self.ideal_bits(message) + self.quantization_loss(message)
                + len(message) * self.rounding_loss + self.precision - 1)

    def __repr__(self) -> str:
        return f"ANSCode({len(self.symbols)} symbols, precision={self.precision})"

    def _run(self, message: list, steps: list | None = None) -> bitarray:
        m = self._model
        shift = m.freq_bits
        x = self._low
        scale = (2 * self._low) >> shift  # x must be below scale * f before coding s
        shifted: list[int] = []
        for k in range(len(message) - 1, -1, -1):
            s = message[k]
            i = m.lookup(s, k)
            f, c = m.freqs[i], m.cum[i]
            x_in, n0 = x, len(shifted)
            while x >= scale * f:
                shifted.append(x & 1)
                x >>= 1
            x = ((x // f) << shift) + x % f + c
            if steps is not None:
                steps.append(ANSStep(k, s, f, c, x_in, "".join(map(str, shifted[n0:])), x))
        out = bitarray()
        out.extend((x >> j) & 1 for j in range(self.precision - 2, -1, -1))
        out.extend(reversed(shifted))
        return out

    def encode(self, message: Iterable[Hashable]) -> bitarray:
        """The rANS code of `message` (same as ``pc.encode(message, self)``)."""
        fast = _c_encode(self._model, _C_ANS, self.precision, message)
        return fast if fast is not None else self._run(_as_list(message))

    def trace(self, message: Iterable[Hashable]) -> list[ANSStep]:
        """The encoder's states, last symbol first (the order rANS encodes in).

        Examples
        --------
        >>> import prefixcode as pc
        >>> code = pc.ANSCode({"a": 0.5, "b": 0.25, "c": 0.25}, precision=8)
        >>> for step in code.trace("abac"):
        ...     print(step)
        3: 'c' f=4 start=12: 128 -> shift out '00', 140
        2: 'a' f=8 start=0: 140 -> shift out '0', 134
        1: 'b' f=4 start=8: 134 -> shift out '01', 137
        0: 'a' f=8 start=0: 137 -> shift out '1', 132
        """
        steps: list = []
        self._run(_as_list(message), steps)
        return steps

    def decode(self, bits: bitarray | str, length: int | None = None) -> list:
        """Decode `length` symbols from `bits` (same as ``pc.decode(bits, self, length=n)``).

        Raises
        ------
        DecodeError
            The bits end before the symbols are complete, bits are left over, or the
            final state is not the encoder's initial state (a damaged stream).
        """
        n = _check_length(length, True, "an ANSCode")
        bits = _as_bits(bits)
        m = self._model
        head = self.precision - 1
        if len(bits) < head:
            raise DecodeError(
                f"the bits end early: the stream starts with a {head}-bit state, got"
                f" {len(bits)} bit(s)"
            )
        if _c_ready(m, _C_ANS, self.precision):
            idx, status, where, state = _c_decode(m, _C_ANS, self.precision, bits, n)
            if status == 1:
                self._fail_early(bits, n, where)
            if status == 2:
                self._fail_left_over(bits, n, where)
            if status == 3:
                self._fail_state(n, state)
            return _symbols_of(m, idx)
        return self._decode_py(bits, n)

    def _decode_py(self, bits: bitarray, n: int) -> list:
        """The readable decoder (the reference of the C one)."""
        m = self._model
        shift, mask = m.freq_bits, m.total - 1
        head = self.precision - 1
        x = self._low
        for j in range(head):
            x |= bits[j] << (head - 1 - j)
        pos = head
        out = []
        for k in range(n):
            i = m.find(x & mask)
            out.append(m.symbols[i])
            x = m.freqs[i] * (x >> shift) + (x & mask) - m.cum[i]
            while x < self._low:
                if pos >= len(bits):
                    self._fail_early(bits, n, k)
                x = 2 * x + bits[pos]
                pos += 1
        if pos < len(bits):
            self._fail_left_over(bits, n, pos)
        if x != self._low:
            self._fail_state(n, x)
        return out

    @staticmethod
    def _fail_early(bits: bitarray, n: int, k: int) -> None:
        raise DecodeError(
            f"the bits end early: {len(bits)} bits hold fewer than {n} symbols"
            f" (stopped in symbol {k}; a cut stream, or a wrong length)"
        )

    @staticmethod
    def _fail_left_over(bits: bitarray, n: int, pos: int) -> None:
        raise DecodeError(
            f"{len(bits) - pos} bit(s) left over at offset {pos} after {n} symbols"
            " (a wrong length, or trailing data)"
        )

    def _fail_state(self, n: int, x: int) -> None:
        raise DecodeError(
            f"the bits are not a stream of this code: after {n} symbols the state is {x},"
            f" not the initial {self._low} (a damaged stream, or a wrong length)"
        )


# -- adaptive Huffman -----------------------------------------------------------------
@dataclass(frozen=True)
class AdaptiveStep:
    """One symbol of :meth:`AdaptiveHuffman.trace`: what was sent and how the tree changed.

    Attributes
    ----------
    index : int
        Position of the symbol in the message.
    symbol : hashable
        The symbol.
    new : bool
        First occurrence: the NYT (not yet transmitted) codeword was sent, then the
        symbol in its fixed form.
    codeword : str
        The bits of the tree's codeword (the symbol's, or NYT's for a new symbol).
    escape : str
        The fixed-form bits of a new symbol ("" otherwise).
    actions : tuple of str
        The tree updates in order: splits of the NYT leaf, swaps, slides, increments.
        Nodes are named by their implicit number (#1 is NYT, the root has the largest).
    nodes : tuple
        The tree after the update, one ``(prefix, weight, symbol, number)`` per node;
        ``prefix`` is the node's path from the root ("" for the root), ``symbol`` is
        None for internal nodes and ``"NYT"`` marks the escape leaf by
        ``number == 1``.
    """

    index: int
    symbol: Any
    new: bool
    codeword: str
    escape: str
    actions: tuple
    nodes: tuple

    @property
    def bits(self) -> str:
        """Everything sent for the symbol: ``codeword + escape``."""
        return self.codeword + self.escape

    def tree(self) -> Any:
        """The tree after this step as a :class:`networkx.DiGraph`, like
        :meth:`PrefixCode.tree <prefixcode.code.PrefixCode.tree>`: nodes are prefixes with
        ``prefix``, ``depth``, ``weight``, ``number`` and, at leaves, ``symbol`` (the NYT
        leaf has ``nyt=True`` and no symbol); edges carry ``digit``."""
        import networkx as nx

        g = nx.DiGraph()
        for prefix, weight, symbol, number in self.nodes:
            g.add_node(prefix, prefix=prefix, depth=len(prefix), weight=weight, number=number,
                       nyt=number == 1)
            if symbol is not None or number == 1:
                if number != 1:
                    g.nodes[prefix]["symbol"] = symbol
        for prefix in list(g.nodes):
            if prefix:
                g.add_edge(prefix[:-1], prefix, digit=prefix[-1])
        return g

    def __str__(self) -> str:
        sent = f"NYT '{self.codeword}' + '{self.escape}'" if self.new else f"'{self.codeword}'"
        return f"{self.index}: {self.symbol!r} sent {sent}; " + "; ".join(self.actions)


class _Tree:
    """The adaptive Huffman tree, as the arrays of Vitter's paper in miniature.

    Nodes are integers with ``weight``, ``parent``, ``left``/``right`` (-1 for a leaf) and
    ``symbol``. ``order`` lists the nodes by decreasing implicit number (the root first,
    the NYT leaf last); the sibling property holds: weights never increase along
    ``order`` and siblings sit side by side. Left is bit 0, right bit 1.
    """

    def __init__(self, vitter: bool, log: bool):
        self.vitter = vitter
        self.weight = [0]
        self.parent = [-1]
        self.left = [-1]
        self.right = [-1]
        self.symbol: list = [None]
        self.order = [0]
        self.pos = [0]
        self.leaves: dict = {}
        self.nyt = 0
        self.log: list | None = [] if log else None

    # -- reading --------------------------------------------------------------------
    def is_leaf(self, node: int) -> bool:
        return self.left[node] < 0

    def number(self, node: int) -> int:
        return len(self.order) - self.pos[node]

    def name(self, node: int) -> str:
        if node == self.nyt:
            return f"NYT #{self.number(node)}"
        if self.is_leaf(node):
            return f"leaf {self.symbol[node]!r} #{self.number(node)}"
        return f"node #{self.number(node)}"

    def codeword(self, node: int) -> list[int]:
        word = []
        while self.parent[node] >= 0:
            up = self.parent[node]
            word.append(1 if self.right[up] == node else 0)
            node = up
        word.reverse()
        return word

    def snapshot(self) -> tuple:
        out = []
        stack = [(self.order[0], "")]
        while stack:
            node, prefix = stack.pop()
            sym = "NYT" if node == self.nyt else self.symbol[node]
            out.append((prefix, self.weight[node], sym if self.is_leaf(node) else None,
                        self.number(node)))
            if not self.is_leaf(node):
                stack.append((self.right[node], prefix + "1"))
                stack.append((self.left[node], prefix + "0"))
        return tuple(sorted(out, key=lambda t: (len(t[0]), t[0])))

    # -- changing -------------------------------------------------------------------
    def note(self, text: str) -> None:
        if self.log is not None:
            self.log.append(text)

    def swap(self, a: int, b: int) -> None:
        """Exchange the tree positions (parent slot and implicit number) of a and b."""
        pa, pb = self.parent[a], self.parent[b]
        if pa == pb:
            self.left[pa], self.right[pa] = self.right[pa], self.left[pa]
        else:
            if self.left[pa] == a:
                self.left[pa] = b
            else:
                self.right[pa] = b
            if self.left[pb] == b:
                self.left[pb] = a
            else:
                self.right[pb] = a
            self.parent[a], self.parent[b] = pb, pa
        ia, ib = self.pos[a], self.pos[b]
        self.order[ia], self.order[ib] = b, a
        self.pos[a], self.pos[b] = ib, ia

    def split_nyt(self, symbol: Any) -> tuple[int, int]:
        """The NYT leaf becomes an internal node over a new NYT (left) and the new leaf."""
        old = self.nyt
        leaf, nyt = len(self.weight), len(self.weight) + 1
        for node in (leaf, nyt):
            self.weight.append(0)
            self.parent.append(old)
            self.left.append(-1)
            self.right.append(-1)
            self.symbol.append(None)
            self.pos.append(len(self.order))
            self.order.append(node)
        self.symbol[leaf] = symbol
        self.left[old], self.right[old] = nyt, leaf
        self.nyt = nyt
        self.leaves[symbol] = leaf
        self.note(f"NYT splits: node #{self.number(old)} over NYT #1 and new leaf {symbol!r} #2")
        return old, leaf

    def increment(self, node: int) -> None:
        self.weight[node] += 1
        self.note(f"increment {self.name(node)} to {self.weight[node]}")

    def block_leader(self, node: int, same_kind: bool) -> int:
        """The highest-numbered node of `node`'s block: its weight (and, for Vitter,
        its kind, leaf or internal)."""
        w, leaf = self.weight[node], self.is_leaf(node)
        i = self.pos[node]
        while i > 0:
            other = self.order[i - 1]
            if self.weight[other] != w or (same_kind and self.is_leaf(other) != leaf):
                break
            i -= 1
        return self.order[i]

    def update(self, symbol: Any) -> None:
        if self.vitter:
            self.update_vitter(symbol)
        else:
            self.update_fgk(symbol)

    def update_fgk(self, symbol: Any) -> None:
        """FGK (Knuth 1985, "Dynamic Huffman coding", J. Algorithms 6): from the leaf up,
        swap each node with the highest-numbered node of its weight, then increment it."""
        q = self.leaves.get(symbol)
        if q is None:
            _, q = self.split_nyt(symbol)
        while q >= 0:
            lead = self.block_leader(q, same_kind=False)
            if lead == self.parent[q]:
                # q's sibling is NYT: its parent has q's weight; take the highest node
                # of the block below the parent instead (a leaf or an unrelated node).
                i = self.pos[lead] + 1
                lead = self.order[i] if self.weight[self.order[i]] == self.weight[q] else q
            if lead != q:
                self.note(f"swap {self.name(q)} with {self.name(lead)}")
                self.swap(q, lead)
            self.increment(q)
            q = self.parent[q]

    def update_vitter(self, symbol: Any) -> None:
        """Vitter's algorithm Lambda (JACM 34(4), 1987, procedure Update): keeps leaves of
        each weight numbered below the internal nodes of that weight, by sliding."""
        leaf_to_increment = -1
        q = self.leaves.get(symbol)
        if q is None:
            q, leaf_to_increment = self.split_nyt(symbol)
        else:
            lead = self.block_leader(q, same_kind=True)
            if lead != q:
                self.note(f"swap {self.name(q)} with its block leader {self.name(lead)}")
                self.swap(q, lead)
            up = self.parent[q]
            if self.left[up] == self.nyt or self.right[up] == self.nyt:
                leaf_to_increment, q = q, up
        while q >= 0:
            q = self.slide_and_increment(q)
        if leaf_to_increment >= 0:
            self.slide_and_increment(leaf_to_increment)

    def slide_and_increment(self, p: int) -> int:
        w, leaf = self.weight[p], self.is_leaf(p)
        former_parent = self.parent[p]
        start = self.number(p)
        i = self.pos[p]
        while i > 0:
            other = self.order[i - 1]
            ok = (not self.is_leaf(other) and self.weight[other] == w) if leaf else (
                self.is_leaf(other) and self.weight[other] == w + 1)
            if not ok:
                break
            self.swap(p, other)
            i -= 1
        if self.number(p) != start:
            self.note(f"slide {'leaf ' + repr(self.symbol[p]) if leaf else 'node'} #{start}"
                      f" past {self.number(p) - start} {'internal node(s)' if leaf else 'leaf(s)'}"
                      f" to #{self.number(p)}")
        self.increment(p)
        return self.parent[p] if leaf else former_parent

    def check(self) -> None:
        """Assert the invariants (tests call this after every update)."""
        order, weight = self.order, self.weight
        assert self.parent[order[0]] == -1 and order[-1] == self.nyt and weight[self.nyt] == 0
        for i, node in enumerate(order):
            assert self.pos[node] == i
            if i:
                assert weight[order[i - 1]] >= weight[node], "weights must not grow with depth order"
                assert self.pos[self.parent[node]] < i
            if i % 2 == 1:
                assert self.parent[order[i]] == self.parent[order[i + 1]], "siblings side by side"
            if not self.is_leaf(node):
                assert weight[node] == weight[self.left[node]] + weight[self.right[node]]
            if self.vitter and i and weight[order[i - 1]] == weight[node]:
                # leaves of a weight are numbered below its internal nodes
                assert not (self.is_leaf(order[i - 1]) and not self.is_leaf(node))


# -- the compiled path (_core/adaptive.c) of AdaptiveHuffman ----------------------------
# The C coder works on uint32 keys: the index in the alphabet, or without one the int
# 0..255 itself and 256 + the code point of a one-character str. It writes exactly the
# Python coder's bits (tests/test_adaptive_c.py holds them together). Alphabets of more
# than 2**24 symbols, and messages whose symbols cannot all be mapped exactly (unhashable
# ones; without an alphabet anything but str of length 1 and int 0..255), take the
# Python path, which raises the same errors.
_AH_MAX_ALPHABET = 1 << 24
_AH_BAD = 0xFFFFFFFF  # a key no symbol has: the C encoder stops there


def _adaptive_c_ready(code: AdaptiveHuffman) -> bool:
    return code.alphabet is None or len(code.alphabet) <= _AH_MAX_ALPHABET


def _no_alphabet_keys(seq: list) -> Any:
    """Keys of a list without an alphabet, or None when a symbol is not exactly a
    one-character str or an int 0..255 (the Python path then decides: 1.0 after 1 is 1)."""
    import numpy as np

    keys = []
    append = keys.append
    for s in seq:
        t = type(s)
        if t is str and len(s) == 1:
            append(256 + ord(s))
        elif t is int and 0 <= s <= 255:
            append(s)
        else:
            return None
    return np.array(keys, dtype=np.uint32)


class AdaptiveHuffman(_StreamCode):
    """One-pass adaptive (dynamic) Huffman coding: FGK or Vitter's algorithm Lambda.

    Encoder and decoder start from the same tree, a single NYT ("not yet transmitted",
    the 0-node of the papers) leaf, and update it the same way after every symbol, so the
    code follows the counts of the symbols seen so far without a table. A symbol's first
    occurrence is sent as the NYT codeword followed by the symbol in a fixed form:

    * with an `alphabet` of n symbols: its index j in the alphabet in the truncated binary
      form of Vitter's paper (``n = 2**e + r``: ``j`` in ``e + 1`` bits if ``j < 2r``, else
      ``j - r`` in ``e`` bits; 0 bits for n = 1);
    * without one: a one-character ``str`` as ``0`` and its UTF-8 bytes (the first byte
      tells how many follow), an ``int`` 0..255 as ``1`` and 8 bits. Other symbols raise
      :class:`~prefixcode.errors.CodeError`: give them an `alphabet`.

    The NYT leaf stays in the tree once every letter of a given alphabet has been seen.

    Bounds (Vitter, "Design and analysis of dynamic Huffman codes", JACM 34(4) 825-845,
    1987), with S the bits of the two-pass static Huffman code of the t-letter message
    (the code built for the message's own counts, without the cost of its table) and D
    the bits of the adaptive code without the fixed-form bits of new letters (the paper
    leaves out the letters' first representation, which a two-pass code also sends in
    its table): algorithm Lambda uses fewer than t bits more than S, ``D < S + t`` (the
    paper's main result), and FGK at most ``D <= 2S + t`` (the paper's bound for FGK).
    Vitter's codes are the shorter ones in his experiments and in this package's tests.

    Each call of :meth:`encode`, :meth:`decode` or :meth:`trace` builds its own tree from
    the start: the object itself never changes.

    :meth:`encode` and :meth:`decode` run compiled (``_core/adaptive.c``, bit for bit the
    streams of the Python coder here, which stays the reference and serves
    :meth:`trace`) for alphabets of up to 2**24 symbols. Larger alphabets, and lists
    whose symbols cannot be mapped to the C coder's keys exactly (unhashable ones; without
    an alphabet, anything but a ``str`` of length 1 or an ``int`` 0..255, such as a numpy
    integer in a list), take the Python path, which gives the same bits and errors.

    Parameters
    ----------
    alphabet : sequence of hashable, optional
        The symbols that may occur (distinct). None: one-character strings and ints 0..255.
    method : {"vitter", "fgk"}, default "vitter"
        Vitter's algorithm Lambda, or FGK (Faller, Gallager, Knuth).

    Examples
    --------
    >>> import prefixcode as pc
    >>> code = pc.AdaptiveHuffman()
    >>> bits = pc.encode("abracadabra", code)
    >>> len(bits), "".join(pc.decode(bits, code, length=11))
    (67, 'abracadabra')
    >>> pc.encode("aab", pc.AdaptiveHuffman(alphabet="ab", method="fgk"))
    bitarray('0101')
    """

    def __init__(self, alphabet: Iterable[Hashable] | None = None, method: str = "vitter"):
        if method not in ("vitter", "fgk"):
            raise bad_argument("method", "'vitter' or 'fgk'", method)
        self.method = method
        if alphabet is None:
            self.alphabet = None
            self._index: dict | None = None
        else:
            if isinstance(alphabet, (bytes, bytearray)):
                alphabet = list(alphabet)
            try:
                alphabet = tuple(alphabet)
                index = {s: i for i, s in enumerate(alphabet)}
            except TypeError:
                raise bad_argument("alphabet", "a sequence of hashable symbols", alphabet) from None
            if not alphabet:
                raise bad_argument("alphabet", "non-empty", alphabet)
            if len(index) != len(alphabet):
                raise bad_argument("alphabet", "a sequence of distinct symbols", alphabet)
            self.alphabet = alphabet
            self._index = index
            n = len(alphabet)
            self._e = n.bit_length() - 1
            self._r = n - (1 << self._e)

    def __repr__(self) -> str:
        size = "any" if self.alphabet is None else len(self.alphabet)
        return f"AdaptiveHuffman(method={self.method!r}, alphabet={size})"

    # -- the fixed form of a new symbol ---------------------------------------------
    def _escape(self, symbol: Any, k: int) -> list[int]:
        if self._index is not None:
            try:
                j = self._index[symbol]
            except (KeyError, TypeError):
                raise CodeError(
                    f"argument 'message' must hold only symbols of the alphabet, got"
                    f" {show(symbol)} at index {k}"
                ) from None
            e, r = self._e, self._r
            if j < 2 * r:
                return [(j >> b) & 1 for b in range(e, -1, -1)]
            return [((j - r) >> b) & 1 for b in range(e - 1, -1, -1)]
        if isinstance(symbol, str) and len(symbol) == 1:
            try:
                data = symbol.encode("utf-8")
            except UnicodeEncodeError:
                raise CodeError(f"argument 'message' holds {show(symbol)} at index {k},"
                                " which has no UTF-8 form") from None
            bits = bitarray()
            bits.frombytes(data)
            return [0, *bits.tolist()]
        if isinstance(symbol, int) and not isinstance(symbol, bool) and 0 <= symbol <= 255:
            return [1] + [(symbol >> b) & 1 for b in range(7, -1, -1)]
        try:
            import numpy as np

            if isinstance(symbol, np.integer) and 0 <= symbol <= 255:
                return self._escape(int(symbol), k)
        except ImportError:  # pragma: no cover
            pass
        raise CodeError(
            f"argument 'message' holds {show(symbol)} at index {k}: without an alphabet,"
            " AdaptiveHuffman codes one-character strings and ints 0..255 (give alphabet=)"
        )

    def _read_escape(self, bits: bitarray, pos: int, k: int) -> tuple[Any, int]:
        def take(count: int) -> int:
            nonlocal pos
            if pos + count > len(bits):
                self._fail_escape(k, pos)
            value = 0
            for j in range(pos, pos + count):
                value = 2 * value + bits[j]
            pos += count
            return value

        if self.alphabet is not None:
            e, r = self._e, self._r
            j = take(e)
            if j < r:
                j = 2 * j + take(1)
            else:
                j += r
            return self.alphabet[j], pos
        start = pos
        if take(1):
            return take(8), pos
        lead = take(8)
        extra = (0 if lead < 0x80 else 1 if lead >> 5 == 0b110 else 2 if lead >> 4 == 0b1110
                 else 3 if lead >> 3 == 0b11110 else 0)
        data = bytes([lead] + [take(8) for _ in range(extra)])
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is None:
            self._fail_utf8(start, data)
        return text, pos

    # -- coding ---------------------------------------------------------------------
    def _run(self, message: list, steps: list | None) -> bitarray:
        tree = _Tree(self.method == "vitter", log=steps is not None)
        out = bitarray()
        for k, s in enumerate(message):
            leaf = None
            try:
                leaf = tree.leaves.get(s)
            except TypeError:
                raise CodeError(f"argument 'message' holds the unhashable {show(s)} at index {k}") from None
            if leaf is None:
                word = tree.codeword(tree.nyt)
                escape = self._escape(s, k)
            else:
                word = tree.codeword(leaf)
                escape = []
            out.extend(word)
            out.extend(escape)
            tree.update(s)
            if steps is not None:
                steps.append(AdaptiveStep(
                    k, s, leaf is None, "".join(map(str, word)), "".join(map(str, escape)),
                    tuple(tree.log), tree.snapshot()))
                tree.log.clear()
        return out

    def encode(self, message: Iterable[Hashable]) -> bitarray:
        """The adaptive code of `message` (same as ``pc.encode(message, self)``)."""
        if not _adaptive_c_ready(self):
            return self._run(_as_list(message), None)
        keys, seq = self._c_keys(message)
        if keys is None:
            return self._run(seq, None)
        from ._core import _ext

        data, nbits, bad = _ext.adaptive_encode(keys, self._c_nkeys(), self.method == "vitter")
        if bad >= 0:
            self._escape(_symbol_at(seq, bad), bad)  # raises the Python coder's CodeError
            raise AssertionError("the C coder refused a symbol it can code")  # pragma: no cover
        return _bits_from(data, nbits)

    # -- the compiled path ----------------------------------------------------------
    def _c_nkeys(self) -> int:
        return 0 if self.alphabet is None else len(self.alphabet)

    def _c_keys(self, message: Any) -> tuple[Any, Any]:
        """(uint32 keys, the message as a sequence for error messages), or (None, the
        message as a list) when it takes the Python path."""
        import numpy as np

        index = self._index
        cache = self.__dict__
        if isinstance(message, (bytes, bytearray)) or (
                isinstance(message, np.ndarray) and message.dtype == np.uint8):
            is_array = isinstance(message, np.ndarray)
            data = message.reshape(-1) if is_array else np.frombuffer(message, dtype=np.uint8)
            seq = data if is_array else message
            if index is None:
                return data.astype(np.uint32), seq
            lut = cache.get("_c_byte_lut")
            if lut is None:
                lut = np.array([index.get(b, _AH_BAD) for b in range(256)], dtype=np.uint32)
                self._c_byte_lut = lut
            return lut[data], seq
        if isinstance(message, np.ndarray) and message.dtype.kind in "iu":
            flat = message.reshape(-1)
            if index is None:
                ok = (flat >= 0) & (flat <= 255)
                return np.where(ok, flat, _AH_BAD).astype(np.uint32), flat
            values, inverse = np.unique(flat, return_inverse=True)
            lut = np.array([index.get(v, _AH_BAD) for v in values.tolist()], dtype=np.uint32)
            return lut[inverse.reshape(-1)], flat
        if isinstance(message, str):
            points = np.frombuffer(message.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            if index is None:
                return points + np.uint32(256), message
            values, inverse = np.unique(points, return_inverse=True)
            lut = np.array([index.get(chr(c), _AH_BAD) for c in values.tolist()], dtype=np.uint32)
            return lut[inverse.reshape(-1)], message
        seq = _as_list(message)
        if index is None:
            return _no_alphabet_keys(seq), seq
        get = index.get
        try:
            keys = [get(s, _AH_BAD) for s in seq]
        except TypeError:  # an unhashable symbol: the Python path says which
            return None, seq
        return np.array(keys, dtype=np.uint32), seq

    def _c_symbol(self, key: int) -> Any:
        if self.alphabet is not None:
            return self.alphabet[key]
        return key if key < 256 else chr(key - 256)

    def _c_symbols(self, keys: Any) -> list:
        """The symbols of the C decoder's keys, as the Python decoder gives them."""
        import numpy as np

        if not len(keys):
            return []
        if self.alphabet is not None:
            table = self.__dict__.get("_c_table")
            if table is None:
                table = self._c_table = _object_table(self.alphabet)
            return table[keys].tolist()
        low, high = int(keys.min()), int(keys.max())
        if high < 256:
            return keys.tolist()
        if low >= 256:
            return list((keys - np.uint32(256)).tobytes().decode("utf-32-le"))
        return [k if k < 256 else chr(k - 256) for k in keys.tolist()]

    def _decode_c(self, bits: bitarray, n: int | None) -> list:
        import numpy as np

        from ._core import _ext

        nbits = len(bits)
        # every symbol but the first takes a bit: more than nbits + 1 cannot be decoded
        cap = nbits + 1 if n is None else min(n, nbits + 1)
        out = np.empty(cap, dtype=np.uint32)
        endian = bits.endian() if callable(bits.endian) else bits.endian  # a property in bitarray 3
        data = (bits if endian == "big" else bitarray(bits, endian="big")).tobytes()
        want = -1 if n is None else min(n, nbits + 2)
        status, count, where, key = _ext.adaptive_decode(data, nbits, want, self._c_nkeys(),
                                                         self.method == "vitter", out)
        if status == 1:
            self._fail_codeword(count, where, n)
        elif status == 2:
            self._fail_escape(count, where)
        elif status == 3:
            self._fail_left_over(nbits, where, n)
        elif status == 4:
            self._fail_utf8(where, self._utf8_bytes(bits, where + 1))
        elif status == 5:
            self._fail_seen(where, self._c_symbol(key))
        elif status != 0:  # pragma: no cover
            raise AssertionError(f"the C decoder returned status {status}")
        return self._c_symbols(out[:count])

    @staticmethod
    def _utf8_bytes(bits: bitarray, pos: int) -> bytes:
        """The bytes a fixed form of a str holds from `pos` (its first byte tells how many)."""
        lead = int(bits[pos:pos + 8].to01(), 2)
        extra = (0 if lead < 0x80 else 1 if lead >> 5 == 0b110 else 2 if lead >> 4 == 0b1110
                 else 3 if lead >> 3 == 0b11110 else 0)
        return bytes(int(bits[pos + 8 * j:pos + 8 * j + 8].to01(), 2) for j in range(extra + 1))

    # -- the decoder's errors, one text for both paths ------------------------------
    @staticmethod
    def _fail_codeword(k: int, start: int, n: int | None) -> None:
        raise DecodeError(
            f"the bits end early: inside the codeword of symbol {k} at offset {start}"
            + (f" ({n} symbols expected)" if n is not None else "")
        )

    @staticmethod
    def _fail_escape(k: int, pos: int) -> None:
        raise DecodeError(f"the bits end early: inside the fixed form of new symbol {k} at offset {pos}")

    @staticmethod
    def _fail_left_over(nbits: int, pos: int, n: int | None) -> None:
        raise DecodeError(
            f"{nbits - pos} bit(s) left over at offset {pos} after {n} symbols"
            " (a wrong length, or trailing data)"
        )

    @staticmethod
    def _fail_utf8(start: int, data: bytes) -> None:
        raise DecodeError(
            f"the bits at offset {start} are not a new symbol's fixed form: {data!r} is not"
            " UTF-8 (a damaged stream)"
        )

    @staticmethod
    def _fail_seen(start: int, symbol: Any) -> None:
        raise DecodeError(
            f"the bits at offset {start} send {symbol!r} as new, but it was seen"
            " before (a damaged stream)"
        )

    def trace(self, message: Iterable[Hashable]) -> list[AdaptiveStep]:
        """What each symbol sent and how the tree changed, step by step.

        Examples
        --------
        >>> import prefixcode as pc
        >>> steps = pc.AdaptiveHuffman(method="vitter").trace("aab")
        >>> print(steps[1])
        1: 'a' sent '1'; increment node #3 to 2; increment leaf 'a' #2 to 2
        >>> steps[2].codeword, steps[2].escape
        ('0', '001100010')
        >>> for action in steps[2].actions:
        ...     print(action)
        NYT splits: node #3 over NYT #1 and new leaf 'b' #2
        increment node #3 to 1
        increment node #5 to 3
        increment leaf 'b' #2 to 1
        """
        steps: list = []
        self._run(_as_list(message), steps)
        return steps

    def decode(self, bits: bitarray | str, length: int | None = None) -> list:
        """Decode `bits` (same as ``pc.decode(bits, self, length=n)``).

        With `length`, exactly that many symbols, and every bit must be used; without it,
        symbols until the bits run out (which must be at the end of a symbol).

        Raises
        ------
        DecodeError
            The bits end inside a codeword or a fixed form, bits are left over after
            `length` symbols, or a fixed form is not valid.
        """
        n = _check_length(length, False, "an AdaptiveHuffman code")
        bits = _as_bits(bits)
        if _adaptive_c_ready(self):
            return self._decode_c(bits, n)
        return self._decode_py(bits, n)

    def _decode_py(self, bits: bitarray, n: int | None) -> list:
        """The readable decoder (the reference of the C one)."""
        tree = _Tree(self.method == "vitter", log=False)
        out: list = []
        pos, nbits = 0, len(bits)
        while (n is None and pos < nbits) or (n is not None and len(out) < n):
            k = len(out)
            node, start = tree.order[0], pos
            while not tree.is_leaf(node):
                if pos >= nbits:
                    self._fail_codeword(k, start, n)
                node = tree.right[node] if bits[pos] else tree.left[node]
                pos += 1
            if node == tree.nyt:
                symbol, pos = self._read_escape(bits, pos, k)
                if symbol in tree.leaves:
                    self._fail_seen(start, symbol)
            else:
                symbol = tree.symbol[node]
            out.append(symbol)
            tree.update(symbol)
        if pos < nbits:
            self._fail_left_over(nbits, pos, n)
        return out

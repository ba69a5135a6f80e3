"""atheris harness of ``prefixcode.decompress``: any input either decodes or raises a
``PrefixCodeError``; any other exception (or a crash of the extension) is a finding.

``decompress_stream``, ``decompress_into`` and ``Decompressor`` (fed in pieces) must agree
with it (the same bytes or the same refusal; a buffer one byte short refused), and a
decoded result must come back the same through ``compress`` and ``decompress``.
Arguments are libFuzzer's (fuzz/README.md):

    python fuzz/fuzz_decompress.py -max_total_time=60 -rss_limit_mb=3072 CORPUS_DIR fuzz/seeds
"""

from __future__ import annotations

import ctypes
import inspect
import io
import os
import sys

# An extension built with clang's -fsanitize=fuzzer-no-link (fuzz/README.md) reports its
# coverage to libFuzzer. Its callbacks must resolve when it loads: FUZZ_LIBFUZZER names a
# shared libFuzzer (built by fuzz/build.sh --libfuzzer) to load first, globally, which
# atheris then uses in place of its own.
if os.environ.get("FUZZ_LIBFUZZER"):
    ctypes.CDLL(os.environ["FUZZ_LIBFUZZER"], mode=os.RTLD_NOW | os.RTLD_GLOBAL)

import atheris

with atheris.instrument_imports(include=["prefixcode"], exclude=["prefixcode._kernels"]):
    import prefixcode as pc
    from prefixcode import PrefixCodeError

    for _name in ("compress", "decompress", "decompress_into", "decompress_stream", "Decompressor"):
        getattr(pc, _name, None)  # the package loads these lazily: load them here, instrumented

# Run blocks turn 3 bytes into up to 1 MiB, so a few KB of input can declare gigabytes of
# real output: bound it with decompress's own limit where it has one, else skip inputs
# whose block headers declare more (a rough walk of them, below).
MAX_OUTPUT = 64 << 20
_HAS_MAX_SIZE = "max_size" in inspect.signature(pc.decompress).parameters


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    for i in range(4):
        if pos + i >= len(data):
            raise IndexError
        b = data[pos + i]
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, pos + i + 1
    raise IndexError


def declared_size(data: bytes) -> int:
    """The sum of the block lengths that the block headers declare, as far as they parse."""
    total = 0
    pos = 0
    try:
        while pos + 6 <= len(data):
            pos += 6  # magic, version, flags
            while True:
                kind = data[pos]
                if kind == 0:
                    pos += 13
                    break
                n, pos = _varint(data, pos + 1)
                total += n
                if kind == 1:
                    pos += n
                elif kind == 2:
                    pos += 1
                elif kind == 3:
                    tsize, pos = _varint(data, pos)
                    pos += tsize
                    streams = 0
                    for _ in range(4):
                        size, pos = _varint(data, pos)
                        streams += size
                    pos += streams
                else:
                    return total
    except IndexError:
        pass
    return total


def _outcome(fn, *args, **kwargs):
    """fn's result, or None for a PrefixCodeError; anything else propagates (a finding)."""
    try:
        return fn(*args, **kwargs)
    except PrefixCodeError:
        return None


def _streamed(data: bytes) -> bytes | None:
    dst = io.BytesIO()
    if _outcome(pc.decompress_stream, io.BytesIO(data), dst, threads=1) is None:
        return None
    return dst.getvalue()


def _incremental(data: bytes) -> bytes | None:
    """The members of data through Decompressor objects, fed in pieces of varying size."""
    step = 1 + (len(data) * 2654435761) % 997
    out = bytearray()
    rest = data
    while rest:
        d = pc.Decompressor()
        fed = 0
        while fed < len(rest) and not d.eof:
            part = _outcome(d.decompress, rest[fed : fed + step])
            if part is None:
                return None
            out += part
            fed += step
        if not d.eof:
            return None
        rest = d.unused_data + rest[fed:]
    return bytes(out)


def test_one_input(data: bytes) -> None:
    small = declared_size(data) <= MAX_OUTPUT
    if _HAS_MAX_SIZE:
        out = _outcome(pc.decompress, data, max_size=MAX_OUTPUT)
    else:
        out = _outcome(pc.decompress, data) if small else None
    if out is not None and not isinstance(out, bytes):
        raise AssertionError(f"decompress returned {type(out).__name__}, not bytes")
    if not small:
        return
    # the other ways in agree with decompress: the same bytes, or the same refusal
    if hasattr(pc, "decompress_stream"):
        streamed = _streamed(data)
        if streamed != out:
            raise AssertionError(
                f"decompress_stream and decompress disagree: "
                f"{None if streamed is None else len(streamed)} vs {None if out is None else len(out)} bytes"
            )
    if data and hasattr(pc, "Decompressor"):
        pieces = _incremental(data)
        if pieces != out:
            raise AssertionError(
                f"Decompressor and decompress disagree: "
                f"{None if pieces is None else len(pieces)} vs {None if out is None else len(out)} bytes"
            )
    if out is not None and hasattr(pc, "decompress_into"):
        buf = bytearray(len(out) + 8)
        n = pc.decompress_into(data, buf)
        if n != len(out) or buf[:n] != out:
            raise AssertionError("decompress_into and decompress disagree")
        if out and _outcome(pc.decompress_into, data, bytearray(len(out) - 1)) is not None:
            raise AssertionError("decompress_into accepted a buffer one byte short")
    if out is not None and len(out) <= (1 << 20) and pc.decompress(pc.compress(out)) != out:
        raise AssertionError("a decoded input does not survive compress and decompress")


def main() -> None:
    print(f"fuzz_decompress: prefixcode from {os.path.dirname(pc.__file__)}", file=sys.stderr)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

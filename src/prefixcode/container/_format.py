"""The container format in Python: its constants, header and trailer, varints, and the
scan statuses of the C decoder turned into :class:`~prefixcode.errors.FormatError`.

The constants are the C extension's own (container/format.h), so they exist once.
docs/format.md describes the format; ``_reference.py`` is a slow, readable coder of it.
"""

from __future__ import annotations

import struct

from .._core import _ext
from ..errors import FormatError, bad_argument

__all__ = [
    "DEFAULT_LEVEL",
    "HEADER",
    "MAGIC",
    "MAX_BLOCK",
    "MAX_CODE_LENGTH",
    "MAX_TABLE",
    "TRAILER",
    "VERSION",
    "check_header",
    "check_level",
    "check_max_size",
    "error",
    "limit_error",
    "read_trailer",
    "varint",
]

MAGIC: bytes = _ext.MAGIC.encode("ascii")
VERSION: int = _ext.VERSION
MAX_BLOCK: int = _ext.MAX_BLOCK  # largest block, in original bytes; also the unit of parallel work
MAX_CODE_LENGTH: int = _ext.CODE_BITS  # 11: decoding tables of 2**11 entries
MAX_TABLE: int = _ext.MAX_TABLE  # a code-length table never needs more bytes than this
HEADER: bytes = MAGIC + bytes([VERSION, 0])
TRAILER = struct.Struct("<BQI")  # end marker, original length, CRC-32
BLOCK_END = _ext.BLOCK_END
DEFAULT_LEVEL: int = _ext.DEFAULT_LEVEL

_MESSAGES = {
    _ext.E_BLOCK_TYPE: "unknown block type",
    _ext.E_VARINT: "malformed varint",
    _ext.E_BLOCK_LENGTH: "block length outside 1..MAX_BLOCK",
    _ext.E_TABLE_SIZE: "code table size outside 1..512",
    _ext.E_TABLE: "invalid code table",
    _ext.E_STREAM_SIZES: "stream sizes that do not fit the block length",
    _ext.E_STREAM: "a stream does not end where its size says",
}


def check_level(level: object) -> int:
    """`level` checked: an int from 1 to 9."""
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 9:
        raise bad_argument("level", "an integer from 1 (fastest) to 9 (smallest)", level)
    return level


def check_max_size(max_size: object) -> int:
    """`max_size` checked: None (no limit, -1) or a non-negative int."""
    if max_size is None:
        return -1
    if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 0:
        raise bad_argument("max_size", "None or a non-negative integer", max_size)
    return max_size


def limit_error(limit: int) -> FormatError:
    """The error of output that would pass `max_size` (its total not known yet)."""
    return FormatError(f"the output exceeds the limit of {limit} bytes (max_size)")


def varint(value: int) -> bytes:
    """LEB128, the block headers' integers (7 bits a byte, low group first).

    >>> varint(300)
    b'\\xac\\x02'
    """
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def check_header(head: bytes, offset: int = 0) -> None:
    """Raise FormatError unless `head` (the first 6 bytes, or fewer at the end of the
    input) is a container header of this version."""
    if head[:4] != MAGIC[: len(head)] or not head:
        shown = head[:4] if head else b""
        raise FormatError(f"not a prefixcode container: magic {shown!r} != {MAGIC!r}"
                          + (f" at offset {offset}" if offset else ""))
    if len(head) < len(HEADER):
        raise FormatError(f"truncated container: the header needs {len(HEADER)} bytes at offset "
                          f"{offset}, only {len(head)} left")
    if head[4] != VERSION:
        raise FormatError(f"unsupported container version {head[4]} (this reads version {VERSION})")
    if head[5] != 0:
        raise FormatError(f"unknown container flags {head[5]:#04x}")


def read_trailer(tail: bytes) -> tuple[int, int]:
    """(length, CRC-32) from the 13 bytes of the end marker and trailer."""
    _, length, crc = TRAILER.unpack(tail)
    return length, crc


def error(status: int, pos: int, stored: int, computed: int, data: bytes | memoryview = b"") -> FormatError:
    """The FormatError for a status of the C decoder (negative, or TRUNCATED)."""
    if status == _ext.TRUNCATED:
        return FormatError(f"truncated container: a block or the trailer at offset {pos} is cut short")
    if status in (_ext.E_MAGIC, _ext.E_VERSION, _ext.E_FLAGS):
        head = bytes(data[pos : pos + len(HEADER)])
        try:
            check_header(head, pos)
        except FormatError as e:
            return e
    if status == _ext.E_LENGTH:
        return FormatError(f"length mismatch: stored {stored} != {computed} in the blocks")
    if status == _ext.E_CRC:
        return FormatError(f"CRC-32 mismatch: stored {stored:#010x} != computed {computed:#010x}")
    if status == _ext.E_LIMIT:
        return FormatError(f"the output ({stored} bytes) exceeds the limit of {computed} bytes")
    if status in (_ext.E_TABLE, _ext.E_STREAM):
        return FormatError(f"corrupt coded block at offset {pos}: {_MESSAGES[status]}")
    return FormatError(f"corrupt block at offset {pos}: {_MESSAGES.get(status, f'status {status}')}")

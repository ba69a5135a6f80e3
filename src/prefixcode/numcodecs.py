"""prefixcode's container as a numcodecs codec (zarr v2 arrays, and anything that takes one).

``PrefixCodec`` compresses a buffer into one .pfx container (docs/format.md) and back. It
is registered under the codec id ``"prefixcode"`` through the ``numcodecs.codecs`` entry
point, so ``numcodecs.get_codec({"id": "prefixcode"})`` finds it without importing this
module first. Needs the ``zarr`` extra: ``pip install "prefixcode[zarr]"``.

The codec codes bytes, so a multi-byte dtype gains from a byte shuffle in front of it
(``numcodecs.Shuffle``): docs/integrations.md has the measurements.
"""

from __future__ import annotations

try:
    import numpy as np
    from numcodecs.abc import Codec
    from numcodecs.compat import ensure_contiguous_ndarray
    from numcodecs.registry import register_codec
except ImportError as exc:  # pragma: no cover - without the extra
    raise ImportError(
        f"prefixcode.numcodecs needs numcodecs ({exc}): pip install 'prefixcode[zarr]'"
    ) from exc

from ._checks import check_threads
from .container import DEFAULT_LEVEL, _check_level, decompress, decompress_into
from .container import compress as _compress
from .errors import FormatError, bad_argument

__all__ = ["PrefixCodec"]


def _bytes_of(buf: object, name: str) -> np.ndarray:
    """`buf` (any buffer, any dtype) as a flat uint8 view of its memory, no copy."""
    try:
        arr = ensure_contiguous_ndarray(buf)
    except (TypeError, ValueError) as exc:
        raise bad_argument(name, f"a contiguous buffer without Python objects ({exc})", buf) from None
    return arr.reshape(-1).view(np.uint8)


class PrefixCodec(Codec):
    """The .pfx container as a :class:`numcodecs.abc.Codec` (codec id ``"prefixcode"``).

    Parameters
    ----------
    level : int, optional
        1 (fastest) to 9 (smallest), default 6, as for :func:`prefixcode.compress`.
    threads : int, optional
        Threads per call, default 1: zarr and Dask already run one codec call per chunk in
        parallel. Neither setting changes what the decoder needs.

    Examples
    --------
    >>> import numpy as np
    >>> from prefixcode.numcodecs import PrefixCodec
    >>> codec = PrefixCodec(level=9)
    >>> a = np.arange(1000, dtype="int16") % 7
    >>> blob = codec.encode(a)
    >>> len(blob) < a.nbytes // 3
    True
    >>> np.frombuffer(codec.decode(blob), dtype="int16").tolist() == a.tolist()
    True
    >>> out = np.empty_like(a)
    >>> codec.decode(blob, out=out) is out, bool((out == a).all())
    (True, True)
    >>> codec.get_config()
    {'id': 'prefixcode', 'level': 9, 'threads': 1}
    >>> import numcodecs
    >>> numcodecs.get_codec({"id": "prefixcode", "level": 9}) == codec
    True
    """

    codec_id = "prefixcode"

    def __init__(self, level: int = DEFAULT_LEVEL, threads: int = 1) -> None:
        if threads is None:
            raise bad_argument("threads", "an integer from 1 to 256", threads)
        self.level = _check_level(level)
        self.threads = check_threads(threads)

    def get_config(self) -> dict:
        """``{"id": "prefixcode", "level": ..., "threads": ...}``, JSON-ready."""
        return {"id": self.codec_id, "level": self.level, "threads": self.threads}

    @classmethod
    def from_config(cls, config: dict) -> PrefixCodec:
        """The codec of a :meth:`get_config` dictionary (with or without its ``"id"``)."""
        config = dict(config)
        codec_id = config.pop("id", cls.codec_id)
        if codec_id != cls.codec_id:
            raise bad_argument("id", repr(cls.codec_id), codec_id)
        unknown = sorted(set(config) - {"level", "threads"})
        if unknown:
            raise bad_argument("config", "a dict of 'level' and 'threads'", unknown)
        return cls(**config)

    def encode(self, buf: object) -> bytes:
        """Compress the memory of `buf` (any contiguous buffer or array, any dtype).

        The container holds bytes only: dtype and shape are the caller's to keep, as for
        every numcodecs compressor.
        """
        return _compress(_bytes_of(buf, "buf"), threads=self.threads, level=self.level)

    def decode(self, buf: object, out: object = None) -> object:
        """The bytes compressed in `buf`; written into `out` when given (then returned).

        `out` must be a writable contiguous buffer of exactly the original's size (any
        dtype: its memory is filled); otherwise the result is a new ``bytes``.

        Raises
        ------
        FormatError
            If `buf` is not an intact container, or `out` is not of the original's size.
        """
        src = _bytes_of(buf, "buf")
        if out is None:
            return decompress(src, threads=self.threads)
        target = _bytes_of(out, "out")
        if not target.flags.writeable:
            raise bad_argument("out", "a writable buffer", out)
        n = decompress_into(src, target)  # (writes nothing when `out` is too small)
        if n != target.size:
            raise FormatError(f"argument 'out' must be of the original's size ({n} bytes), "
                              f"got {target.size} bytes")
        return out

    def __repr__(self) -> str:
        return f"PrefixCodec(level={self.level}, threads={self.threads})"


register_codec(PrefixCodec)

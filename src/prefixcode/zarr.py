"""prefixcode's container as a zarr v3 codec (a bytes -> bytes compressor).

``PrefixCodec`` is registered under the name ``"prefixcode"`` through the ``zarr.codecs``
entry point, so an array whose metadata names it opens without importing this module,
on any machine where prefixcode is installed (a Dask worker, say). Name it in
``zarr.create_array(..., compressors=PrefixCodec())``, or in xarray's encoding
(``{"compressors": [PrefixCodec()]}``). In the array's metadata it reads
``{"name": "prefixcode", "configuration": {"level": 6}}``. Needs the ``zarr`` extra:
``pip install "prefixcode[zarr]"``.

For zarr v2 arrays, numcodecs' API: :class:`prefixcode.numcodecs.PrefixCodec`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

try:
    from zarr.abc.codec import BytesBytesCodec
    from zarr.core.common import parse_named_configuration
    from zarr.registry import register_codec
except ImportError as exc:  # pragma: no cover - without the extra
    raise ImportError(f"prefixcode.zarr needs zarr>=3 ({exc}): pip install 'prefixcode[zarr]'") from exc

from .container import DEFAULT_LEVEL, _check_level, compress, decompress
from .errors import bad_argument

if TYPE_CHECKING:
    from zarr.core.array_spec import ArraySpec
    from zarr.core.buffer import Buffer

__all__ = ["PrefixCodec"]

NAME = "prefixcode"


@dataclass(frozen=True)
class PrefixCodec(BytesBytesCodec):
    """The .pfx container as a zarr v3 ``BytesBytesCodec`` (name ``"prefixcode"``).

    Each chunk becomes one container, coded on one thread (zarr already runs chunks
    concurrently; the C coder releases the GIL).

    Parameters
    ----------
    level : int, optional
        1 (fastest) to 9 (smallest), default 6, as for :func:`prefixcode.compress`.

    Examples
    --------
    >>> import numpy as np, zarr
    >>> from prefixcode.zarr import PrefixCodec
    >>> z = zarr.create_array(store={}, shape=(100, 100), chunks=(50, 50), dtype="int16",
    ...                       compressors=PrefixCodec(level=9))
    >>> z[:] = np.arange(10_000, dtype="int16").reshape(100, 100) % 100
    >>> int(z[99, 99])
    99
    >>> z.compressors
    (PrefixCodec(level=9),)
    >>> PrefixCodec(level=9).to_dict()
    {'name': 'prefixcode', 'configuration': {'level': 9}}
    """

    is_fixed_size = False

    level: int = DEFAULT_LEVEL

    def __init__(self, *, level: int = DEFAULT_LEVEL) -> None:
        object.__setattr__(self, "level", _check_level(level))

    @classmethod
    def from_dict(cls, data: dict) -> PrefixCodec:
        """The codec of its metadata ``{"name": "prefixcode", "configuration": {...}}``."""
        _, config = parse_named_configuration(data, NAME, require_configuration=False)
        config = dict(config or {})
        unknown = sorted(set(config) - {"level"})
        if unknown:
            raise bad_argument("configuration", "a dict with at most the key 'level'", unknown)
        return cls(**config)

    def to_dict(self) -> dict:
        """The codec's metadata, as stored in the array's ``zarr.json``."""
        return {"name": NAME, "configuration": {"level": self.level}}

    def _decode_sync(self, chunk_bytes: Buffer, chunk_spec: ArraySpec) -> Buffer:
        data = decompress(chunk_bytes.as_numpy_array(), threads=1)
        return chunk_spec.prototype.buffer.from_bytes(data)

    def _encode_sync(self, chunk_bytes: Buffer, chunk_spec: ArraySpec) -> Buffer:
        blob = compress(chunk_bytes.as_numpy_array(), threads=1, level=self.level)
        return chunk_spec.prototype.buffer.from_bytes(blob)

    async def _decode_single(self, chunk_bytes: Buffer, chunk_spec: ArraySpec) -> Buffer:
        return await asyncio.to_thread(self._decode_sync, chunk_bytes, chunk_spec)

    async def _encode_single(self, chunk_bytes: Buffer, chunk_spec: ArraySpec) -> Buffer:
        return await asyncio.to_thread(self._encode_sync, chunk_bytes, chunk_spec)

    def compute_encoded_size(self, _input_byte_length: int, _chunk_spec: ArraySpec) -> int:
        raise NotImplementedError  # (a compressor's output size is known only after coding)


register_codec(NAME, PrefixCodec)

"""The .pfx container as an fsspec compression: ``fsspec.open("x.pfx", compression="pfx")``.

Importing this module registers the compression ``"pfx"`` with fsspec, for the name and
for inference from the suffix (``compression="infer"``), on any of fsspec's file systems
(local, memory, S3, HTTP, ...). fsspec discovers file systems through entry points but
compressions only through ``fsspec.compression.register_compression``, so the import is
needed once per process, before the first open::

    import prefixcode.fsspec  # registers "pfx"

Needs the ``fsspec`` extra: ``pip install "prefixcode[fsspec]"``.

A file opened for reading is decoded whole on open; one opened for writing is compressed
whole on close (memory holds the file's bytes, as for ``compress``/``decompress``).
"""

from __future__ import annotations

import io

try:
    import fsspec.compression
except ImportError as exc:  # pragma: no cover - without the extra
    raise ImportError(f"prefixcode.fsspec needs fsspec ({exc}): pip install 'prefixcode[fsspec]'") from exc

from .container import compress, decompress
from .errors import bad_argument

__all__ = ["NAME", "SUFFIX", "open_pfx"]

NAME = "pfx"
SUFFIX = "pfx"


class _Writer(io.BytesIO):
    """Collects what is written; on close, writes its container to the file under it
    (which stays open: its opener closes it)."""

    def __init__(self, raw: io.IOBase) -> None:
        super().__init__()
        self._raw = raw

    def close(self) -> None:
        if not self.closed:
            with self.getbuffer() as view:
                self._raw.write(compress(view))
            self._raw.flush()
        super().close()


def open_pfx(infile: io.IOBase, mode: str = "rb", **kwargs: object) -> io.BytesIO:
    """The compressed file `infile` opened through the container: fsspec's callback.

    Parameters
    ----------
    infile : binary file object
        The file as stored (opened by fsspec on its file system).
    mode : str
        ``"r"``/``"rb"`` to read (the container is decoded and checked at once), ``"w"``,
        ``"wb"``, ``"x"`` or ``"xb"`` to write (compressed when the file is closed).

    Returns
    -------
    io.BytesIO
        A binary file of the original bytes; fsspec adds text mode on top.

    Raises
    ------
    FormatError
        On reading a damaged container.

    Examples
    --------
    >>> import fsspec, prefixcode.fsspec
    >>> with fsspec.open("memory://notes/a.txt.pfx", "wt", compression="infer") as f:
    ...     _ = f.write("sunny, cloudy, sunny\\n" * 100)
    >>> with fsspec.open("memory://notes/a.txt.pfx", "rb") as f:   # as stored
    ...     f.read(4)
    b'PFXC'
    >>> with fsspec.open("memory://notes/a.txt.pfx", "rt", compression="pfx") as f:
    ...     f.readline()
    'sunny, cloudy, sunny\\n'
    """
    if mode in ("r", "rb"):
        return io.BytesIO(decompress(infile.read()))
    if mode in ("w", "wb", "x", "xb"):
        return _Writer(infile)
    raise bad_argument("mode", "'rb' or 'wb' (appending is not supported)", mode)


if NAME not in fsspec.compression.compr:
    fsspec.compression.register_compression(NAME, open_pfx, SUFFIX)

"""The .pfx container as an fsspec compression: ``fsspec.open("x.pfx", compression="pfx")``.

Importing this module registers the compression ``"pfx"`` with fsspec, for the name and
for inference from the suffix (``compression="infer"``), on any of fsspec's file systems
(local, memory, S3, HTTP, ...). fsspec discovers file systems through entry points but
compressions only through ``fsspec.compression.register_compression``, so the import is
needed once per process, before the first open::

    import prefixcode.fsspec  # registers "pfx"

Needs the ``fsspec`` extra: ``pip install "prefixcode[fsspec]"``.

Files are read and written through :func:`prefixcode.open`, in bounded memory; appending
(mode ``"ab"``) adds a member, which reads back as the concatenation.
"""

from __future__ import annotations

import io  # (annotations)

try:
    import fsspec.compression
except ImportError as exc:  # pragma: no cover - without the extra
    raise ImportError(f"prefixcode.fsspec needs fsspec ({exc}): pip install 'prefixcode[fsspec]'") from exc

from .container import PfxFile
from .container import open as pfx_open
from .errors import bad_argument

__all__ = ["NAME", "SUFFIX", "open_pfx"]

NAME = "pfx"
SUFFIX = "pfx"


def open_pfx(infile: io.IOBase, mode: str = "rb", **kwargs: object) -> PfxFile:
    """The compressed file `infile` opened through the container: fsspec's callback.

    Parameters
    ----------
    infile : binary file object
        The file as stored (opened by fsspec on its file system).
    mode : str
        ``"rb"`` to read, ``"wb"``, ``"xb"`` or ``"ab"`` to write (``b`` may be left out;
        fsspec adds text mode on top).

    Returns
    -------
    PfxFile
        A binary file of the original bytes, as :func:`prefixcode.open` gives.

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
    if mode in ("r", "w", "x", "a"):
        mode += "b"
    if mode not in ("rb", "wb", "xb", "ab"):
        raise bad_argument("mode", "'rb', 'wb', 'xb' or 'ab'", mode)
    return pfx_open(infile, mode)


if NAME not in fsspec.compression.compr:
    fsspec.compression.register_compression(NAME, open_pfx, SUFFIX)

"""The one atomic writer: a temporary file beside the destination, renamed into place.

Used by :func:`prefixcode.compress_file`, :func:`prefixcode.decompress_file` and the
``prefixcode`` command. The temporary name is unpredictable and created exclusively
(as ``tempfile.mkstemp`` makes one: O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600), so no
planted file or symlink is followed and two writers never share one; the data is flushed
to disk before the rename; on any failure (KeyboardInterrupt included) the temporary file
is removed.

Nothing here imports tempfile (with shutil and random), contextlib, threading or signal's
enumerations: their imports would cost the command more than compressing a small file.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

__all__ = ["AtomicOutput"]


class AtomicOutput:
    """``with AtomicOutput(path) as f:`` writes `path` atomically.

    Parameters
    ----------
    path : str or path-like
        The destination.
    force : bool
        Replace an existing `path`. Without it an existing `path` is never replaced,
        even one created meanwhile: the temporary file is hard-linked into place, which
        fails if the name exists (where hard links are not supported: checked, then
        renamed).
    mode : int, optional
        Permission bits of the result (default 0o666 less the umask, as ``open`` gives).

    Examples
    --------
    >>> import os, tempfile
    >>> from prefixcode.container._files import AtomicOutput
    >>> d = tempfile.mkdtemp()
    >>> with AtomicOutput(os.path.join(d, "out")) as f:
    ...     _ = f.write(b"hello")
    >>> os.listdir(d), open(os.path.join(d, "out"), "rb").read()
    (['out'], b'hello')
    """

    def __init__(self, path: str | os.PathLike, force: bool = True, mode: int | None = None) -> None:
        self.path = os.fspath(path)
        self.force = force
        self.mode = mode
        self.tmp: str | None = None
        self.fh: Any = None

    def __enter__(self) -> BinaryIO:
        if not self.force and os.path.lexists(self.path):
            raise FileExistsError(17, "already exists (use -f to overwrite)", self.path)
        folder, name = os.path.split(os.path.abspath(self.path))
        # A signal turned into an exception (the command's SIGINT, SIGTERM, SIGHUP) must not
        # land between the file's creation and the moment its name is known, nor before
        # this returns (then no __exit__ would remove it): the signals wait while the file
        # is made, and anything raised before the return removes it.
        with _SignalsHeld():
            try:
                fd, self.tmp = _create_temporary(folder, f".{name}.", ".tmp")
            except OSError as e:  # name the output asked for, not the temporary file
                raise OSError(e.errno, e.strerror, self.path) from None
        try:
            self.fh = os.fdopen(fd, "wb")
            return self.fh
        except BaseException:
            if self.fh is None:
                os.close(fd)
            self._discard()
            raise

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        assert self.tmp is not None
        try:
            if kind is None:
                self.fh.flush()
                os.fsync(self.fh.fileno())
            self.fh.close()
            if kind is None:
                os.chmod(self.tmp, self.mode if self.mode is not None else 0o666 & ~_umask())
                self._place(self.tmp)
        except BaseException:
            self._discard()
            raise
        if kind is not None:
            self._discard()

    def _place(self, tmp: str) -> None:
        if self.force:
            os.replace(tmp, self.path)
            return
        try:
            os.link(tmp, self.path)
        except FileExistsError:
            raise FileExistsError(17, "already exists (use -f to overwrite)", self.path) from None
        except OSError:  # no hard links on this file system: check, then rename
            if os.path.lexists(self.path):
                raise FileExistsError(17, "already exists (use -f to overwrite)", self.path) from None
            os.replace(tmp, self.path)
            return
        os.unlink(tmp)

    def _discard(self) -> None:
        if self.fh is not None and not self.fh.closed:
            self.fh.close()
        if self.tmp is not None:
            try:
                os.unlink(self.tmp)
            except FileNotFoundError:
                pass


def _create_temporary(folder: str, prefix: str, suffix: str) -> tuple[int, str]:
    """(fd, path) of a new file in `folder` named `prefix` + 16 random hex digits +
    `suffix`, created exclusively, symbolic links not followed, mode 0600 (what
    ``tempfile.mkstemp`` does, without its import)."""
    flags = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_BINARY", 0))
    for _ in range(100):
        path = os.path.join(folder, f"{prefix}{os.urandom(8).hex()}{suffix}")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    import errno

    raise FileExistsError(errno.EEXIST, "no unused temporary file name found", folder)


class _SignalsHeld:
    """``with _SignalsHeld():`` SIGINT, SIGTERM and SIGHUP held back (delivered at the
    end) where the platform can, in the main thread."""

    def __enter__(self) -> None:
        try:
            import _signal as signal  # (signal's enumerations import enum)
        except ImportError:  # pragma: no cover - an interpreter without it
            import signal
        self.old = None
        block = getattr(signal, "pthread_sigmask", None)
        threading = sys.modules.get("threading")  # (not imported: no thread of its making runs)
        if block is None or (threading is not None and
                             threading.current_thread() is not threading.main_thread()):
            return
        held = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}
        self.block, self.signal = block, signal
        self.old = block(signal.SIG_BLOCK, held)

    def __exit__(self, *exc: object) -> None:
        if self.old is not None:
            self.block(self.signal.SIG_SETMASK, self.old)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

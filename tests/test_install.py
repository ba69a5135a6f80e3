"""A root-owned install, used by an unprivileged user whose HOME does not exist.

The installed package is copied into a directory that only root can write (world-readable,
as a system-wide install is), and the ``prefixcode`` command runs from it as ``nobody``
with HOME=/nonexistent: nothing may need a writable cache, a writable package directory or
a home. This runs where the machine allows it (root, ``setpriv``, a system Python of the
same version as this one, since pyenv's interpreters under /root are out of nobody's
reach) and skips elsewhere.
"""

from __future__ import annotations

import grp
import importlib.util
import os
import pwd
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import prefixcode

USER, GROUP = "nobody", "nogroup"
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.nbi", "*.nbc")


def _reason_to_skip() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "needs root, to run the command as another user"
    if shutil.which("setpriv") is None:
        return "needs setpriv (util-linux)"
    try:
        pwd.getpwnam(USER)
        grp.getgrnam(GROUP)
    except KeyError:
        return f"needs the user {USER!r} and the group {GROUP!r}"
    if _system_python() is None:
        v = sys.version_info
        return f"needs /usr/bin/python{v.major}.{v.minor}, a Python of this version that {USER} can run"
    if _world_traversable_tmp() is None:
        return "needs a temporary directory that other users can reach"
    return None


def _system_python() -> Path | None:
    exe = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    return exe if exe.is_file() and os.access(exe, os.X_OK) else None


def _world_traversable_tmp() -> Path | None:
    for base in (Path("/tmp"), Path(tempfile.gettempdir())):
        dirs = [base.resolve(), *base.resolve().parents]
        if base.is_dir() and all(d.stat().st_mode & 0o001 for d in dirs):
            return base
    return None


def _read_only_for_others(root: Path) -> None:
    """Directories 755 and files 644, all owned by root: what a system-wide install looks like."""
    root.chmod(0o755)
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            (Path(dirpath) / d).chmod(0o755)
        for f in filenames:
            (Path(dirpath) / f).chmod(0o644)


def _install_copy(dest: Path) -> Path:
    """Copy the installed package (with its compiled extension) into dest/site."""
    site = dest / "site"
    package = Path(prefixcode.__file__).resolve().parent
    shutil.copytree(package, site / "prefixcode", ignore=IGNORED)
    # an editable install serves prefixcode.data from elsewhere (data/ at the top)
    spec = importlib.util.find_spec("prefixcode.data")
    if spec is not None and spec.submodule_search_locations:
        data = Path(next(iter(spec.submodule_search_locations))).resolve()
        if data != (package / "data").resolve() and not (site / "prefixcode" / "data").exists():
            shutil.copytree(data, site / "prefixcode" / "data", ignore=IGNORED)
    return site


def _run_as_nobody(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    cmd = [
        "setpriv",
        f"--reuid={USER}",
        f"--regid={GROUP}",
        "--clear-groups",
        "--reset-env",
        "env",
        "HOME=/nonexistent",
        f"PYTHONPATH={site}",
        str(_system_python()),
        "-m",
        "prefixcode",
        *args,
    ]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=300, check=False)


def _sample() -> bytes:
    rng = random.Random(12)
    words = [bytes(rng.choice(b"etaoinshrdlu") for _ in range(rng.randint(2, 8))) for _ in range(300)]
    text = b" ".join(rng.choice(words) for _ in range(40_000))
    return text + b"\x00" * 20_000 + rng.randbytes(5_000)


def test_root_owned_install_used_by_nobody_with_no_home() -> None:
    reason = _reason_to_skip()
    if reason:
        pytest.skip(reason)
    tmp = Path(tempfile.mkdtemp(prefix="prefixcode-install-", dir=_world_traversable_tmp()))
    try:
        site = _install_copy(tmp)
        data = _sample()
        original = tmp / "input.txt"
        original.write_bytes(data)
        _read_only_for_others(tmp)

        done = _run_as_nobody(site, tmp, "compress", "-c", str(original))
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        blob = done.stdout
        assert blob[:4] == b"PFXC" and len(blob) < len(data)
        assert prefixcode.decompress(blob) == data

        packed = tmp / "input.txt.pfx"
        packed.write_bytes(blob)
        packed.chmod(0o644)
        done = _run_as_nobody(site, tmp, "decompress", "-c", str(packed))
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        assert done.stdout == data
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

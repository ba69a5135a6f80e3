"""Builds the C extension prefixcode._core._ext and names the entry points (the rest is in
pyproject.toml)."""

import os
from glob import glob

from setuptools import Extension, setup

sources = sorted(glob("src/prefixcode/_core/*.c") + glob("src/prefixcode/container/*.c"))
flags = ["-std=c99", "-O3", "-Wall", "-Wextra"] if os.name != "nt" else []
if os.environ.get("PREFIXCODE_WERROR"):
    flags.append("-Werror")
flags += os.environ.get("PREFIXCODE_CFLAGS", "").split()

# Entry points (here rather than in pyproject.toml, which names them dynamic, because the
# command's form depends on the platform). The command: on POSIX a plain script
# (scripts/prefixcode, its "#!python" line pointed at the installing interpreter), since the
# wrapper an installer generates for an entry point imports `re` first, which costs a third of
# the command's time on a small file; Windows keeps the entry point for its .exe launcher.
entry_points = {
    "numcodecs.codecs": ["prefixcode = prefixcode.numcodecs:PrefixCodec"],
    "zarr.codecs": ["prefixcode = prefixcode.zarr:PrefixCodec"],
}
scripts = []
if os.name == "nt":
    entry_points["console_scripts"] = ["prefixcode = prefixcode.cli:main"]
else:
    scripts.append("scripts/prefixcode")

setup(
    entry_points=entry_points,
    scripts=scripts,
    ext_modules=[
        Extension(
            "prefixcode._core._ext",
            sources=sources,
            depends=sorted(glob("src/prefixcode/_core/*.h") + glob("src/prefixcode/container/*.h")),
            extra_compile_args=flags,
            extra_link_args=os.environ.get("PREFIXCODE_LDFLAGS", "").split(),
        )
    ]
)

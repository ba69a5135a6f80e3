"""Builds the C extension prefixcode._core._ext (the rest is in pyproject.toml)."""

import os
from glob import glob

from setuptools import Extension, setup

sources = sorted(glob("src/prefixcode/_core/*.c") + glob("src/prefixcode/container/*.c"))
flags = ["-std=c99", "-O3", "-Wall", "-Wextra"] if os.name != "nt" else []
if os.environ.get("PREFIXCODE_WERROR"):
    flags.append("-Werror")
flags += os.environ.get("PREFIXCODE_CFLAGS", "").split()

setup(
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

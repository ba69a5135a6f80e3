"""Built-in data: the weather-station distributions and small sample messages.

The files live in the package ``prefixcode.data`` (the repository's ``data/`` folder);
its README names each file's source and licence.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .errors import bad_argument

__all__ = ["available", "load", "load_bytes"]


def available() -> list[str]:
    """Names of the built-in data files.

    Examples
    --------
    >>> from prefixcode import datasets
    >>> "weather.json" in datasets.available()
    True
    """
    root = resources.files("prefixcode.data")
    return sorted(
        f.name for f in root.iterdir() if f.is_file() and not f.name.startswith(("_", "."))
    )


def load_bytes(name: str) -> bytes:
    """The raw bytes of a built-in data file.

    Examples
    --------
    >>> from prefixcode import datasets
    >>> datasets.load_bytes("weather.json")[:1]
    b'{'
    """
    if not isinstance(name, str) or name not in available():
        raise bad_argument("name", f"one of {available()}", name)
    return resources.files("prefixcode.data").joinpath(name).read_bytes()


def load(name: str) -> Any:
    """A built-in data file: JSON files parsed, text files as ``str``, others as bytes.

    Examples
    --------
    >>> from prefixcode import datasets
    >>> datasets.load("weather.json")["climate"]
    [0.35, 0.35, 0.1, 0.1, 0.04, 0.04, 0.01, 0.01]
    """
    raw = load_bytes(name)
    if name.endswith(".json"):
        return json.loads(raw)
    if name.endswith((".txt", ".md")):
        return raw.decode("utf-8")
    return raw

"""prefixcode: prefix codes and the information measures that judge them.

Build codes from distributions (Huffman and the classic constructions), encode and
decode real bitstreams, compress files, and see where every wasted bit goes.

>>> import prefixcode as pc
>>> round(pc.entropy([0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]), 3)
2.229
"""

from __future__ import annotations

import sys as _sys

TYPE_CHECKING = False  # (typing is not imported: it costs more than this package's own start)

__version__ = "0.1.0"

# Public names and the module each lives in. Modules are imported on first use (PEP 562),
# as scipy and networkx do, so `import prefixcode` stays cheap and compressing a file
# imports neither numpy nor networkx.
_HOME = {
    "analysis": (
        "CodeReport", "Comparison", "MessageComparison", "MismatchReport", "SymbolRow", "Table", "analyze",
        "analyze_message", "analyze_mismatch", "compare", "compare_message",
    ),
    "code": ("PrefixCode",),
    "codec": ("decode", "encode", "iter_decode", "iter_encode"),
    "context": ("ContextCode", "context_code"),
    "construct": (
        "Decodability", "MergeStep", "MergeTrace", "TunstallCode", "block_code", "elias_delta", "elias_gamma",
        "fixed_length", "golomb", "huffman", "huffman_trace", "integer_code", "is_uniquely_decodable",
        "rice", "shannon", "shannon_fano", "shannon_fano_elias", "tunstall",
    ),
    "container": (
        "Compressor", "Decompressor", "PfxFile", "compress", "compress_file", "compress_stream",
        "decompress", "decompress_file", "decompress_into", "decompress_stream", "open",
    ),
    "distribution": ("Distribution", "histogram"),
    "errors": ("CodeError", "DecodeError", "FormatError", "PrefixCodeError"),
    "measures": (
        "binary_entropy", "conditional_entropy", "cross_entropy", "empirical_entropy", "entropy",
        "entropy_estimate", "joint_entropy", "js_divergence", "kl_divergence", "mutual_information",
        "surprisal",
    ),
    "stream": ("ANSCode", "AdaptiveHuffman", "ArithmeticCode"),
}
_WHERE = {name: module for module, names in _HOME.items() for name in names}
# Modules reachable as attributes too (``pc.construct.huffman_lengths``), imported on first use.
_SUBMODULES = frozenset(_HOME) | {"datasets", "experiments", "plotting", "cli", "stream"}


def _submodule(name: str) -> object:
    """``prefixcode.<name>``, imported (``__import__``: importlib costs an import more)."""
    __import__(f"{__name__}.{name}")
    return _sys.modules[f"{__name__}.{name}"]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is not None:
        value = getattr(_submodule(module), name)
    elif name in _SUBMODULES:
        value = _submodule(name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # (for type checkers and editors: the names above, imported eagerly)
    from . import datasets, experiments
    from .analysis import (
        CodeReport,
        Comparison,
        MessageComparison,
        MismatchReport,
        SymbolRow,
        Table,
        analyze,
        analyze_message,
        analyze_mismatch,
        compare,
        compare_message,
    )
    from .code import PrefixCode
    from .codec import decode, encode, iter_decode, iter_encode
    from .construct import (
        Decodability,
        MergeStep,
        TunstallCode,
        block_code,
        elias_delta,
        elias_gamma,
        fixed_length,
        golomb,
        huffman,
        huffman_trace,
        integer_code,
        is_uniquely_decodable,
        rice,
        shannon,
        shannon_fano,
        shannon_fano_elias,
        tunstall,
    )
    from .container import (
        Compressor,
        Decompressor,
        PfxFile,
        compress,
        compress_file,
        compress_stream,
        decompress,
        decompress_file,
        decompress_into,
        decompress_stream,
        open,
    )
    from .context import ContextCode, context_code
    from .distribution import Distribution, histogram
    from .errors import CodeError, DecodeError, FormatError, PrefixCodeError
    from .measures import (
        binary_entropy,
        conditional_entropy,
        cross_entropy,
        empirical_entropy,
        entropy,
        entropy_estimate,
        joint_entropy,
        js_divergence,
        kl_divergence,
        mutual_information,
        surprisal,
    )
    from .stream import AdaptiveHuffman, ANSCode, ArithmeticCode

__all__ = [
    "ANSCode",
    "AdaptiveHuffman",
    "ArithmeticCode",
    "CodeError",
    "CodeReport",
    "Comparison",
    "Compressor",
    "ContextCode",
    "Decodability",
    "DecodeError",
    "Decompressor",
    "Distribution",
    "FormatError",
    "MergeStep",
    "MergeTrace",
    "MessageComparison",
    "MismatchReport",
    "PfxFile",
    "PrefixCode",
    "PrefixCodeError",
    "SymbolRow",
    "Table",
    "TunstallCode",
    "__version__",
    "analyze",
    "analyze_message",
    "analyze_mismatch",
    "binary_entropy",
    "block_code",
    "compare",
    "compare_message",
    "compress",
    "compress_file",
    "compress_stream",
    "conditional_entropy",
    "context_code",
    "cross_entropy",
    "datasets",
    "decode",
    "decompress",
    "decompress_file",
    "decompress_into",
    "decompress_stream",
    "elias_delta",
    "elias_gamma",
    "empirical_entropy",
    "encode",
    "entropy",
    "entropy_estimate",
    "experiments",
    "fixed_length",
    "golomb",
    "histogram",
    "huffman",
    "huffman_trace",
    "integer_code",
    "is_uniquely_decodable",
    "iter_decode",
    "iter_encode",
    "joint_entropy",
    "js_divergence",
    "kl_divergence",
    "mutual_information",
    "open",
    "rice",
    "shannon",
    "shannon_fano",
    "shannon_fano_elias",
    "surprisal",
    "tunstall",
]

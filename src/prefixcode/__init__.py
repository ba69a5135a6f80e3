"""prefixcode: prefix codes and the information measures that judge them.

Build codes from distributions (Huffman and the classic constructions), encode and
decode real bitstreams, compress files, and see where every wasted bit goes.

>>> import prefixcode as pc
>>> round(pc.entropy([0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]), 3)
2.229
"""

from __future__ import annotations

from . import datasets
from .analysis import (
    CodeReport,
    Comparison,
    MismatchReport,
    SymbolRow,
    Table,
    analyze,
    analyze_message,
    analyze_mismatch,
    compare,
)
from .code import PrefixCode
from .codec import decode, encode, iter_decode, iter_encode
from .construct import (
    Decodability,
    MergeStep,
    MergeTrace,
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
    compress,
    compress_file,
    compress_stream,
    decompress,
    decompress_file,
    decompress_stream,
)
from .distribution import Distribution, histogram
from .errors import CodeError, DecodeError, FormatError, PrefixCodeError
from .measures import (
    binary_entropy,
    conditional_entropy,
    cross_entropy,
    entropy,
    joint_entropy,
    js_divergence,
    kl_divergence,
    mutual_information,
    surprisal,
)

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # experiments (and what it pulls in) is imported on first use, not with the package
    if name == "experiments":
        import importlib

        return importlib.import_module(".experiments", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CodeError",
    "CodeReport",
    "Comparison",
    "Decodability",
    "DecodeError",
    "Distribution",
    "FormatError",
    "MergeStep",
    "MergeTrace",
    "MismatchReport",
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
    "compress",
    "compress_file",
    "compress_stream",
    "conditional_entropy",
    "cross_entropy",
    "datasets",
    "decode",
    "decompress",
    "decompress_file",
    "decompress_stream",
    "elias_delta",
    "elias_gamma",
    "encode",
    "entropy",
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
    "rice",
    "shannon",
    "shannon_fano",
    "shannon_fano_elias",
    "surprisal",
    "tunstall",
]

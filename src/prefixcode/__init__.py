"""prefixcode: prefix codes and the information measures that judge them.

Build codes from distributions (Huffman and the classic constructions), encode and
decode real bitstreams, compress files, and see where every wasted bit goes.

>>> import prefixcode as pc
>>> round(pc.entropy([0.35, 0.35, 0.10, 0.10, 0.04, 0.04, 0.01, 0.01]), 3)
2.229
"""

from __future__ import annotations

from . import datasets, experiments
from .analysis import CodeReport, Comparison, analyze, analyze_message, analyze_mismatch, compare
from .code import PrefixCode
from .codec import decode, encode, iter_decode, iter_encode
from .construct import (
    MergeStep,
    block_code,
    fixed_length,
    huffman,
    huffman_trace,
    shannon,
    shannon_fano,
    shannon_fano_elias,
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

__all__ = [
    "CodeError",
    "CodeReport",
    "Comparison",
    "DecodeError",
    "Distribution",
    "FormatError",
    "MergeStep",
    "PrefixCode",
    "PrefixCodeError",
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
    "encode",
    "entropy",
    "experiments",
    "fixed_length",
    "histogram",
    "huffman",
    "huffman_trace",
    "iter_decode",
    "iter_encode",
    "joint_entropy",
    "js_divergence",
    "kl_divergence",
    "mutual_information",
    "shannon",
    "shannon_fano",
    "shannon_fano_elias",
    "surprisal",
]

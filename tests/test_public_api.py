"""The public names: what `import prefixcode as pc` offers is deliberate."""

import inspect

import prefixcode as pc

EXPECTED = {
    "CodeError", "DecodeError", "Distribution", "FormatError", "PrefixCodeError", "__version__",
    "binary_entropy", "conditional_entropy", "cross_entropy", "datasets", "entropy", "histogram",
    "joint_entropy", "js_divergence", "kl_divergence", "mutual_information", "surprisal",
    "PrefixCode", "MergeStep", "MergeTrace", "fixed_length", "huffman", "huffman_trace",
    "block_code", "shannon", "shannon_fano", "shannon_fano_elias",
    "Decodability", "TunstallCode", "elias_delta", "elias_gamma", "golomb", "integer_code",
    "is_uniquely_decodable", "rice", "tunstall",
    "decode", "encode", "iter_decode", "iter_encode",
    "ANSCode", "AdaptiveHuffman", "ArithmeticCode",
    "CodeReport", "Comparison", "MismatchReport", "SymbolRow", "Table",
    "analyze", "analyze_message", "analyze_mismatch", "compare",
    "MessageComparison", "compare_message",
    "experiments",
    "compress", "compress_file", "compress_stream", "decompress", "decompress_file", "decompress_into",
    "decompress_stream", "Compressor", "Decompressor", "PfxFile", "open",
    "empirical_entropy", "entropy_estimate", "ContextCode", "context_code",
}


def test_public_names_are_pinned():
    assert set(pc.__all__) == EXPECTED


def test_every_public_name_exists_and_is_documented():
    for name in pc.__all__:
        obj = getattr(pc, name)
        if inspect.isfunction(obj) or obj is pc.Distribution:
            assert obj.__doc__ and ">>>" in obj.__doc__, f"{name} lacks a runnable example"


def test_errors_are_value_errors():
    for cls in (pc.PrefixCodeError, pc.CodeError, pc.DecodeError, pc.FormatError):
        assert issubclass(cls, ValueError)
        assert issubclass(cls, pc.PrefixCodeError)


def test_submodules_are_attributes_without_an_import(tmp_path):
    import subprocess
    import sys

    code = ("import prefixcode as pc, sys\n"
            "assert 'numpy' not in sys.modules\n"
            "assert pc.construct.huffman_lengths([1, 1, 2]).tolist() == [2, 2, 1]\n"
            "assert pc.measures.entropy([1, 1]) == 1.0 and pc.container.MAGIC == b'PFXC'\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)

"""The C kernels (``_ext``), built by ``pip install``; no public names.

Every hot loop of prefixcode lives in the extension: Huffman code lengths (binary,
D-ary, package-merge, the container's limiter), canonical codewords, decoding tables,
histograms, CRC-32, the bit packing of :func:`prefixcode.encode` / :func:`prefixcode.decode`
and the whole container coder (container/*.c). The kernels release the GIL.
"""

from ._ext import *  # noqa: F403
from ._ext import Result  # noqa: F401

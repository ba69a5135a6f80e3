"""Compiled hot loops (numba). No public names; nothing here validates its input.

Every kernel is a plain Python function underneath: with the environment variable
``NUMBA_DISABLE_JIT=1`` the same code runs as Python, and the tests check both paths
against each other. Kernels are compiled lazily on first use with ``cache=True`` (the
machine code is kept beside this file, so only the first run ever pays the compile
time) and ``nogil=True`` (threads can run them in parallel).

Sections: code lengths (Huffman, package-merge), canonical codewords; then the coding
kernels (histograms, bit packing, table-driven decoding).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_JIT = {"cache": True, "nogil": True}


# =====================================================================================
# Code lengths
# =====================================================================================
@njit(**_JIT)
def huffman_lengths_sorted(w: np.ndarray, min_variance: bool) -> np.ndarray:
    """Binary Huffman code lengths for weights sorted ascending, in O(n).

    The two-queue method (van Leeuwen 1976): leaves in sorted order and internal nodes
    in order of creation are both non-decreasing, so the two smallest are always at
    the heads of the queues. Ties between a leaf and an internal node go to the
    internal node (``min_variance=False``) or to the leaf (``min_variance=True``,
    Schwartz's rule, which minimises the variance of the lengths among optimal codes).
    Returns int64 lengths aligned with `w`; a single weight gets length 0.
    """
    n = w.shape[0]
    lengths = np.zeros(n, dtype=np.int64)
    if n <= 1:
        return lengths
    total = 2 * n - 1
    node_w = np.empty(total, dtype=np.float64)
    parent = np.empty(total, dtype=np.int64)
    for i in range(n):
        node_w[i] = w[i]
    leaf = 0  # head of the leaf queue
    inner = n  # head of the internal-node queue
    nxt = n  # next internal node to create
    for _ in range(n - 1):
        picked = np.empty(2, dtype=np.int64)
        for k in range(2):
            take_leaf = False
            if leaf < n:
                if inner >= nxt:
                    take_leaf = True
                elif w[leaf] < node_w[inner]:
                    take_leaf = True
                elif w[leaf] == node_w[inner] and min_variance:
                    take_leaf = True
            if take_leaf:
                picked[k] = leaf
                leaf += 1
            else:
                picked[k] = inner
                inner += 1
        node_w[nxt] = node_w[picked[0]] + node_w[picked[1]]
        parent[picked[0]] = nxt
        parent[picked[1]] = nxt
        nxt += 1
    depth = np.zeros(total, dtype=np.int64)
    for j in range(total - 2, -1, -1):
        depth[j] = depth[parent[j]] + 1
    for i in range(n):
        lengths[i] = depth[i]
    return lengths


@njit(**_JIT)
def package_merge_sorted(w: np.ndarray, max_length: int) -> np.ndarray:
    """Optimal binary code lengths of at most `max_length` for weights sorted ascending.

    The package-merge algorithm (Larmore and Hirschberg 1990) in O(n * max_length)
    time: level by level, pairs of the deeper list are packaged and merged with the
    leaves (leaves first on equal weight); the first 2n - 2 items of the top list are
    chosen, and each leaf's length is the number of levels at which it is chosen.
    Requires 2 <= n <= 2**max_length. Returns int64 lengths aligned with `w`.
    """
    n = w.shape[0]
    L = max_length
    width = 2 * n
    is_pkg = np.zeros((L, width), dtype=np.bool_)
    size = np.zeros(L, dtype=np.int64)
    prev = np.empty(width, dtype=np.float64)
    cur = np.empty(width, dtype=np.float64)
    # deepest level (index L-1): the leaves alone
    for i in range(n):
        prev[i] = w[i]
    size[L - 1] = n
    for lev in range(L - 2, -1, -1):
        npk = size[lev + 1] // 2
        i = 0  # leaves
        k = 0  # packages
        m = 0
        while i < n or k < npk:
            if k >= npk or (i < n and w[i] <= prev[2 * k] + prev[2 * k + 1]):
                cur[m] = w[i]
                i += 1
            else:
                cur[m] = prev[2 * k] + prev[2 * k + 1]
                is_pkg[lev, m] = True
                k += 1
            m += 1
        size[lev] = m
        for j in range(m):
            prev[j] = cur[j]
    lengths = np.zeros(n, dtype=np.int64)
    take = 2 * n - 2
    for lev in range(L):
        packages = 0
        for j in range(take):
            if is_pkg[lev, j]:
                packages += 1
        for i in range(take - packages):
            lengths[i] += 1
        take = 2 * packages
    return lengths


@njit(**_JIT)
def huffman_lengths_sorted_dary(w: np.ndarray, arity: int, min_variance: bool) -> np.ndarray:
    """D-ary Huffman code lengths for weights sorted ascending, in O(n).

    Zero-weight dummy leaves are put in front of the real ones until
    ``(leaves - 1) % (arity - 1) == 0``, so that every merge takes exactly `arity`
    nodes; then the two-queue method of :func:`huffman_lengths_sorted` merges the
    `arity` smallest nodes at each step, with the same tie rule. Returns int64 lengths
    of the real leaves, aligned with `w`. Requires ``len(w) >= 2``.
    """
    n_real = w.shape[0]
    pad = (arity - 1 - (n_real - 1) % (arity - 1)) % (arity - 1)
    n = n_real + pad
    merges = (n - 1) // (arity - 1)
    total = n + merges
    node_w = np.zeros(total, dtype=np.float64)
    parent = np.empty(total, dtype=np.int64)
    for i in range(n_real):
        node_w[pad + i] = w[i]
    leaf = 0
    inner = n
    nxt = n
    for _ in range(merges):
        acc = 0.0
        for _k in range(arity):
            take_leaf = False
            if leaf < n:
                if inner >= nxt:
                    take_leaf = True
                elif node_w[leaf] < node_w[inner]:
                    take_leaf = True
                elif node_w[leaf] == node_w[inner] and min_variance:
                    take_leaf = True
            if take_leaf:
                parent[leaf] = nxt
                acc += node_w[leaf]
                leaf += 1
            else:
                parent[inner] = nxt
                acc += node_w[inner]
                inner += 1
        node_w[nxt] = acc
        nxt += 1
    depth = np.zeros(total, dtype=np.int64)
    for j in range(total - 2, -1, -1):
        depth[j] = depth[parent[j]] + 1
    lengths = np.empty(n_real, dtype=np.int64)
    for i in range(n_real):
        lengths[i] = depth[pad + i]
    return lengths


@njit(**_JIT)
def package_merge_sorted_dary(w: np.ndarray, max_length: int, arity: int) -> np.ndarray:
    """Optimal D-ary code lengths of at most `max_length` for weights sorted ascending.

    Package-merge with packages of `arity` items: zero-weight dummy leaves are put in
    front until ``(leaves - 1) % (arity - 1) == 0``; each level packages `arity`
    consecutive items of the deeper list and merges them with the leaves (leaves first
    on equal weight); the first ``arity * (leaves - 1) / (arity - 1)`` items of the top
    list are chosen (the coin-collector view: a leaf at depth j is worth
    ``(arity - 1) * arity**-j`` of code space and the leaves of a full tree fill
    ``leaves - 1``). Returns int64 lengths of the real leaves, aligned with `w`.
    Requires ``2 <= len(w) <= arity**max_length``.
    """
    n_real = w.shape[0]
    pad = (arity - 1 - (n_real - 1) % (arity - 1)) % (arity - 1)
    n = n_real + pad
    lw = np.zeros(n, dtype=np.float64)
    for i in range(n_real):
        lw[pad + i] = w[i]
    L = max_length
    width = 2 * n + arity
    is_pkg = np.zeros((L, width), dtype=np.bool_)
    size = np.zeros(L, dtype=np.int64)
    prev = np.empty(width, dtype=np.float64)
    cur = np.empty(width, dtype=np.float64)
    for i in range(n):
        prev[i] = lw[i]
    size[L - 1] = n
    for lev in range(L - 2, -1, -1):
        npk = size[lev + 1] // arity
        i = 0
        k = 0
        m = 0
        while i < n or k < npk:
            pw = 0.0
            if k < npk:
                for j in range(arity):
                    pw += prev[arity * k + j]
            if k >= npk or (i < n and lw[i] <= pw):
                cur[m] = lw[i]
                i += 1
            else:
                cur[m] = pw
                is_pkg[lev, m] = True
                k += 1
            m += 1
        size[lev] = m
        for j in range(m):
            prev[j] = cur[j]
    lengths = np.zeros(n, dtype=np.int64)
    take = arity * (n - 1) // (arity - 1)
    for lev in range(L):
        packages = 0
        for j in range(take):
            if is_pkg[lev, j]:
                packages += 1
        for i in range(take - packages):
            lengths[i] += 1
        take = arity * packages
    out = np.empty(n_real, dtype=np.int64)
    for i in range(n_real):
        out[i] = lengths[pad + i]
    return out


@njit(**_JIT)
def canonical_codes(lengths: np.ndarray) -> np.ndarray:
    """Canonical codewords (RFC 1951, 3.2.2) for `lengths` in symbol order.

    Shorter codes come first; codes of equal length are consecutive integers in symbol
    order. Length 0 means "no codeword" (code 0). Returns uint64 codes, the codeword of
    symbol i being the `lengths[i]` low bits of ``codes[i]``, most significant first.
    Lengths must satisfy Kraft's inequality and be at most 63.
    """
    max_len = 0
    for x in lengths:
        if x > max_len:
            max_len = x
    bl_count = np.zeros(max_len + 1, dtype=np.int64)
    for x in lengths:
        if x > 0:
            bl_count[x] += 1
    next_code = np.zeros(max_len + 2, dtype=np.uint64)
    code = np.uint64(0)
    for bits in range(1, max_len + 1):
        code = (code + np.uint64(bl_count[bits - 1] if bits > 1 else 0)) << np.uint64(1)
        next_code[bits] = code
    codes = np.zeros(lengths.shape[0], dtype=np.uint64)
    for i in range(lengths.shape[0]):
        ln = lengths[i]
        if ln > 0:
            codes[i] = next_code[ln]
            next_code[ln] += np.uint64(1)
    return codes


# =====================================================================================
# Codec: packing codewords through a lookup table (codec.py)
# =====================================================================================
@njit(**_JIT)
def codec_pack(msg: np.ndarray, codes: np.ndarray, lens: np.ndarray, offset: int) -> tuple:
    """Concatenate the codewords of the integer symbols `msg`, most significant bit first.

    ``codes[s - offset]`` / ``lens[s - offset]`` give the codeword of symbol ``s``
    (uint64 value / int64 length <= 56; length 0 marks a symbol outside the code).
    Returns ``(buffer, nbits, bad)``: the packed bytes (the last one zero-padded), the
    number of bits, and the index of the first symbol outside the code or -1.
    """
    n = msg.shape[0]
    size = lens.shape[0]
    total = 0
    for i in range(n):
        k = np.int64(msg[i]) - offset
        if k < 0 or k >= size or lens[k] == 0:
            return np.zeros(0, dtype=np.uint8), 0, i
        total += lens[k]
    out = np.zeros((total + 7) // 8, dtype=np.uint8)
    acc = np.uint64(0)
    nacc = 0  # pending bits in the low end of acc, always < 8 between symbols
    pos = 0
    for i in range(n):
        k = np.int64(msg[i]) - offset
        ln = lens[k]
        acc = (acc << np.uint64(ln)) | codes[k]
        nacc += ln
        while nacc >= 8:
            nacc -= 8
            out[pos] = np.uint8((acc >> np.uint64(nacc)) & np.uint64(0xFF))
            pos += 1
        acc &= (np.uint64(1) << np.uint64(nacc)) - np.uint64(1)
    if nacc > 0:
        out[pos] = np.uint8((acc << np.uint64(8 - nacc)) & np.uint64(0xFF))
    return out, total, -1


@njit(**_JIT)
def codec_unpack(
    buf: np.ndarray, nbits: int, k: int, table_sym: np.ndarray, table_len: np.ndarray,
    child: np.ndarray, leaf: np.ndarray, values: np.ndarray, out: np.ndarray,
) -> tuple:
    """Decode `nbits` bits of `buf` (most significant bit first) into ``out``.

    A `k`-bit table (k <= 16) resolves most codewords in one look-up: ``table_sym[v]``
    is the symbol index reached by the bits ``v`` (its length ``table_len[v]``), -1 for
    a path that leaves the code after ``table_len[v]`` bits, or ``-2 - node`` for an
    internal trie node after k bits, from where ``child[2 * node + bit]`` (-1: no such
    path) and ``leaf[node]`` (symbol index or -1) walk bit by bit. `buf` must have 3
    zero bytes past the data. Returns ``(count, status, start, end)``: status 0 done,
    1 the bits end inside a codeword starting at `start`, 2 the bits
    ``start..end`` lead to no codeword.
    """
    pos = 0
    n = 0
    mask = (1 << k) - 1
    while pos < nbits:
        b = pos >> 3
        w = (np.int64(buf[b]) << 16) | (np.int64(buf[b + 1]) << 8) | np.int64(buf[b + 2])
        v = (w >> (24 - k - (pos & 7))) & mask
        e = table_sym[v]
        if e >= 0:
            ln = table_len[v]
            if pos + ln > nbits:
                return n, 1, pos, 0
            out[n] = values[e]
            n += 1
            pos += ln
        elif e == -1:
            ln = table_len[v]
            if pos + ln > nbits:
                return n, 1, pos, 0
            return n, 2, pos, pos + ln - 1
        else:
            node = -2 - e
            p = pos + k
            while True:
                if p >= nbits:
                    return n, 1, pos, 0
                bit = (buf[p >> 3] >> (7 - (p & 7))) & 1
                node = child[2 * node + bit]
                p += 1
                if node < 0:
                    return n, 2, pos, p - 1
                if leaf[node] >= 0:
                    out[n] = values[leaf[node]]
                    n += 1
                    pos = p
                    break
    return n, 0, 0, 0

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

import threading
import types
from collections.abc import Callable

import numpy as np

_JIT = {"cache": True, "nogil": True}
_SOURCES: dict[str, Callable] = {}


def _kernel(fn: Callable) -> Callable:
    """Register `fn` as a kernel (compiled when first looked up, see the end of the module)."""
    _SOURCES[fn.__name__] = fn
    return fn


# =====================================================================================
# Code lengths
# =====================================================================================
@_kernel
def huffman_lengths_sorted(w: np.ndarray, min_variance: bool) -> np.ndarray:
    """Binary Huffman code lengths for weights sorted ascending, in O(n): the D-ary
    kernel :func:`huffman_lengths_sorted_dary` at arity 2 (a constant here, so the
    compiler specialises the inlined loops); a single weight gets length 0."""
    if w.shape[0] <= 1:
        return np.zeros(w.shape[0], dtype=np.int64)
    return huffman_lengths_sorted_dary(w, 2, min_variance)


@_kernel
def package_merge_sorted(w: np.ndarray, max_length: int) -> np.ndarray:
    """Optimal binary code lengths of at most `max_length` for weights sorted ascending:
    :func:`package_merge_sorted_dary` at arity 2. Requires 2 <= n <= 2**max_length."""
    return package_merge_sorted_dary(w, max_length, 2)


@_kernel
def huffman_lengths_sorted_dary(w: np.ndarray, arity: int, min_variance: bool) -> np.ndarray:
    """D-ary Huffman code lengths for weights sorted ascending, in O(n) (any arity >= 2).

    The two-queue method (van Leeuwen 1976): leaves in sorted order and internal nodes
    in order of creation are both non-decreasing, so the smallest nodes are always at
    the heads of the queues. Zero-weight dummy leaves are put in front of the real ones
    until ``(leaves - 1) % (arity - 1) == 0`` (none for arity 2), so that every merge
    takes exactly `arity` nodes. Ties between a leaf and an internal node go to the
    internal node (``min_variance=False``) or to the leaf (``min_variance=True``,
    Schwartz's rule, which minimises the variance of the lengths among optimal codes).
    Returns int64 lengths of the real leaves, aligned with `w`. Requires ``len(w) >= 2``.
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


@_kernel
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
        pw = 0.0  # weight of package k
        if npk > 0:
            for j in range(arity):
                pw += prev[j]
        while i < n or k < npk:
            if k >= npk or (i < n and lw[i] <= pw):
                cur[m] = lw[i]
                i += 1
            else:
                cur[m] = pw
                is_pkg[lev, m] = True
                k += 1
                pw = 0.0
                if k < npk:
                    for j in range(arity):
                        pw += prev[arity * k + j]
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


@_kernel
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
@_kernel
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


@_kernel
def codec_unpack(
    buf: np.ndarray, nbits: int, k: int, table: np.ndarray, child: np.ndarray, leaf: np.ndarray,
    values: np.ndarray, out: np.ndarray,
) -> tuple:
    """Decode `nbits` bits of `buf` (most significant bit first) into ``out``.

    A `k`-bit table (k <= 16) of int32 entries resolves most codewords in one look-up:
    for the next k bits ``v``, ``e = table[v]`` is ``64 * index + length`` (>= 0) when
    a codeword of that length, of symbol ``values[index]``, starts them; ``-length``
    (-1 .. -k) when the path leaves the code after `length` bits; ``-64 - node`` when
    the bits end at an internal trie node, from where ``child[2 * node + bit]`` (-1: no
    such path) and ``leaf[node]`` (symbol index or -1) walk bit by bit. `buf` must have
    8 zero bytes past the data. Returns ``(count, status, start, end)``: status 0 done,
    1 the bits end inside a codeword starting at `start`, 2 the bits ``start..end``
    lead to no codeword.
    """
    pos = 0
    n = 0
    # A 64-bit window of the stream starting at byte `start`, reloaded when fewer than
    # k bits of it are left past `pos`.
    start = 0
    window = np.uint64(0)
    for i in range(8):
        window = (window << np.uint64(8)) | np.uint64(buf[i])
    drop = np.uint64(64 - k)
    while pos < nbits:
        off = pos - (start << 3)
        if off > 64 - k:
            start = pos >> 3
            window = np.uint64(0)
            for i in range(8):
                window = (window << np.uint64(8)) | np.uint64(buf[start + i])
            off = pos & 7
        e = np.int64(table[np.int64((window << np.uint64(off)) >> drop)])
        if e >= 0:
            ln = e & 63
            if pos + ln > nbits:
                return n, 1, pos, 0
            out[n] = values[e >> 6]
            n += 1
            pos += ln
        elif e > -64:
            if pos - e > nbits:
                return n, 1, pos, 0
            return n, 2, pos, pos - e - 1
        else:
            node = -64 - e
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


# =====================================================================================
# Coding kernels (container.py): histograms, block planning, code tables, bit packing,
# table-driven decoding of 4 interleaved streams
# =====================================================================================
# Bits are packed least significant first (as in DEFLATE, RFC 1951, 3.1.1): a codeword
# is written bit-reversed, so the decoder peeks the low `bits` bits of its buffer and
# looks the symbol up in a table of 2**bits entries. Bit buffers are int64 holding at
# most 63 bits, so shifts never touch the sign bit. Hot loops index arrays with unsigned
# integers: numba then drops its negative-index handling and LLVM merges byte loads and
# stores into 8-byte ones (about twice the speed of signed indices here).
@_kernel
def byte_histogram(data: np.ndarray) -> np.ndarray:
    """Counts of the 256 byte values in the uint8 array `data` (four sub-histograms)."""
    h = np.zeros((4, 256), dtype=np.int64)
    n = data.shape[0]
    m = n - n % 4
    for i in range(0, m, 4):
        h[0, data[i]] += 1
        h[1, data[i + 1]] += 1
        h[2, data[i + 2]] += 1
        h[3, data[i + 3]] += 1
    for i in range(m, n):
        h[0, data[i]] += 1
    out = np.zeros(256, dtype=np.int64)
    for b in range(256):
        out[b] = h[0, b] + h[1, b] + h[2, b] + h[3, b]
    return out


@_kernel
def _order0_bits(h: np.ndarray, total: int) -> float:
    """n * H0 in bits for the histogram `h` of `total` symbols."""
    if total == 0:
        return 0.0
    s = 0.0
    for c in h:
        if c > 0:
            s += c * np.log2(c)
    return total * np.log2(total) - s


@_kernel
def xlog2x_table(unit: int) -> np.ndarray:
    """``c * log2(c)`` for c = 0..unit (0 for c < 2): the cost terms of plan_blocks."""
    clog = np.zeros(unit + 1, dtype=np.float64)
    for c in range(2, unit + 1):
        clog[c] = c * np.log2(c)
    return clog


@_kernel
def plan_blocks(
    data: np.ndarray, clog: np.ndarray, table_bits: float, work: np.ndarray | None = None
) -> tuple:
    """Cut `data` into blocks where a new code pays for its table.

    Greedy, left to right, in units of ``unit = len(clog) - 1`` bytes (at most 65535):
    the next unit joins the current block when the order-0 cost of the union is at most
    the cost of the two apart plus `table_bits` (the estimated price of one more code
    table). `clog` is ``xlog2x_table(unit)``, made once by the caller. Returns ``(ends,
    hists)``: the int64 end offsets of the blocks and their (k, 256) int64 histograms,
    the latter a view of `work` (at least (units, 256), reused by callers) when it is
    given.
    """
    unit = clog.shape[0] - 1
    n = data.shape[0]
    nunits = (n + unit - 1) // unit
    ends = np.empty(max(nunits, 1), dtype=np.int64)
    if work is None:
        hists = np.empty((max(nunits, 1), 256), dtype=np.int64)
    else:
        hists = work
    # (every row used is written whole before it is read)
    # one unit is counted in 4 small tables (2 KiB to clear), so that increments of the
    # same byte value do not wait on each other
    h = np.zeros((4, 256), dtype=np.uint16)
    u = np.zeros(256, dtype=np.int64)
    k = 0
    cur_n = 0
    cur_bits = 0.0
    pos = 0
    while pos < n:
        stop = min(pos + unit, n)
        un = stop - pos
        h[:] = 0
        m = pos + (un - un % 4)
        for i in range(pos, m, 4):
            q = np.uint64(i)
            h[0, data[q]] += 1
            h[1, data[q + np.uint64(1)]] += 1
            h[2, data[q + np.uint64(2)]] += 1
            h[3, data[q + np.uint64(3)]] += 1
        for i in range(m, stop):
            h[0, data[i]] += 1
        u_bits = clog[un]
        for b in range(256):
            c = np.int64(h[0, b]) + np.int64(h[1, b]) + np.int64(h[2, b]) + np.int64(h[3, b])
            u[b] = c
            u_bits -= clog[c]
        if cur_n > 0:
            total = cur_n + un
            both_bits = total * np.log2(total)
            for b in range(256):
                c = hists[k, b] + u[b]
                if c > 1:
                    both_bits -= c * np.log2(c)
            if both_bits <= cur_bits + u_bits + table_bits:
                for b in range(256):
                    hists[k, b] += u[b]
                cur_n = total
                cur_bits = both_bits
                pos = stop
                continue
            ends[k] = pos
            k += 1
        for b in range(256):
            hists[k, b] = u[b]
        cur_n = un
        cur_bits = u_bits
        pos = stop
    ends[k] = n
    return ends[: k + 1], hists[: k + 1]


@_kernel
def limited_lengths(hist: np.ndarray, max_len: int, exact: bool = True) -> np.ndarray:
    """Binary code lengths of at most `max_len` for the counts `hist` (<= 256 of them).

    Huffman's lengths when they fit, else package-merge's optimal limited lengths
    (`exact`) or the faster near-optimal adjustment of _limit_lengths. Symbols of count
    0 get length 0; a single present symbol gets length 1. Ties are broken by a stable
    sort, so the result is the same on every machine. Returns int64 lengths aligned
    with `hist`.
    """
    m = hist.shape[0]
    out = np.zeros(m, dtype=np.int64)
    present = 0
    for i in range(m):
        if hist[i] > 0:
            present += 1
    if present == 0:
        return out
    # symbols by ascending count, ties by symbol: one sort of count << 8 | symbol
    # (counts < 2**55), the order a stable sort of the counts gives
    keys = np.empty(present, dtype=np.int64)
    j = 0
    for i in range(m):
        if hist[i] > 0:
            keys[j] = (np.int64(hist[i]) << 8) | i
            j += 1
    if present == 1:
        out[keys[0] & 255] = 1
        return out
    keys.sort()
    ws = np.empty(present, dtype=np.float64)  # counts < 2**53: sums stay exact
    for j in range(present):
        ws[j] = keys[j] >> 8
    ln = huffman_lengths_sorted(ws, False)
    longest = 0
    for j in range(present):
        longest = max(longest, ln[j])
    if longest > max_len:
        if exact:
            ln = package_merge_sorted(ws, max_len)
        else:
            ln = _limit_lengths(ln, longest, max_len)
    for j in range(present):
        out[keys[j] & 255] = ln[j]
    return out


@_kernel
def _limit_lengths(ln: np.ndarray, longest: int, max_len: int) -> np.ndarray:
    """Huffman lengths `ln` (for weights ascending) cut to `max_len`, Kraft sum kept at 1.

    The length-count adjustment of JPEG (ITU T.81, Annex K.3, "Adjust_BITS"): two codes
    of the deepest length give one code a level up and, as a pair, replace a shorter
    code that moves one level down. Fast and close to optimal (its cost is measured in
    docs/format.md); the lengths then go, longest first, to the lightest symbols.
    """
    count = np.zeros(longest + 1, dtype=np.int64)
    for x in ln:
        count[x] += 1
    for lev in range(longest, max_len, -1):
        while count[lev] > 0:
            j = lev - 2
            while count[j] == 0:
                j -= 1
            count[lev] -= 2
            count[lev - 1] += 1
            count[j + 1] += 2
            count[j] -= 1
    out = np.empty(ln.shape[0], dtype=np.int64)
    k = 0
    for lev in range(max_len, 0, -1):
        for _ in range(count[lev]):
            out[k] = lev
            k += 1
    return out


@_kernel
def reversed_codes(lengths: np.ndarray) -> np.ndarray:
    """Canonical codewords of `lengths` (at most 32), bit-reversed for
    least-significant-first packing; int64, 0 where the length is 0."""
    count = np.zeros(34, dtype=np.int64)
    for x in lengths:
        count[x] += 1
    count[0] = 0
    next_code = np.zeros(34, dtype=np.int64)
    code = 0
    for bits in range(1, 33):
        code = (code + count[bits - 1]) << 1
        next_code[bits] = code
    out = np.zeros(lengths.shape[0], dtype=np.int64)
    for i in range(lengths.shape[0]):
        ln = lengths[i]
        if ln > 0:
            x = next_code[ln]
            next_code[ln] = x + 1
            # reverse the low 32 bits, then keep the top `ln`
            x = ((x >> 1) & 0x55555555) | ((x & 0x55555555) << 1)
            x = ((x >> 2) & 0x33333333) | ((x & 0x33333333) << 2)
            x = ((x >> 4) & 0x0F0F0F0F) | ((x & 0x0F0F0F0F) << 4)
            x = ((x >> 8) & 0x00FF00FF) | ((x & 0x00FF00FF) << 8)
            x = ((x >> 16) & 0xFFFF) | ((x & 0xFFFF) << 16)
            out[i] = x >> (32 - ln)
    return out


@_kernel
def decoding_table(lengths: np.ndarray, bits: int) -> np.ndarray:
    """Table of 2**bits entries ``symbol | length << 8`` for least-significant-first peeks.

    Built by doubling: the table for peeks of k bits, copied once, is the table for k + 1
    bits before the codewords of length k + 1 go in (a codeword of length l fills every
    index equal to it modulo 2**l). Entries no codeword reaches stay 0xFFFF (only
    possible for an incomplete code).
    """
    m = lengths.shape[0]
    rc = reversed_codes(lengths)
    # symbols grouped by length (counting sort)
    start = np.zeros(bits + 2, dtype=np.int64)
    for s in range(m):
        start[lengths[s] + 1] += 1
    for ln in range(1, bits + 2):
        start[ln] += start[ln - 1]
    order = np.empty(m, dtype=np.int64)
    for s in range(m):
        ln = lengths[s]
        order[start[ln]] = s
        start[ln] += 1
    # (start[ln] is now where the symbols of length ln end)
    table = np.empty(1 << bits, dtype=np.uint16)
    table[0] = 0xFFFF
    width = 1
    for ln in range(1, bits + 1):
        for j in range(width):  # (a plain loop: it vectorizes, a slice copy does not)
            table[np.uint64(width + j)] = table[np.uint64(j)]
        width *= 2
        for j in range(start[ln - 1], start[ln]):
            s = order[j]
            table[rc[s]] = s | (ln << 8)
    return table


# The code-length table of a block: lengths 0..11 of the 256 byte values, run-length
# coded with a small canonical "meta" code (DEFLATE's idea, RFC 1951, 3.2.7, with our own
# alphabet): 0..11 a length, 12 repeats the previous length 3..6 times (2 extra bits),
# 13 a run of 3..10 zeros (3 extra bits), 14 a run of 11..138 zeros (7 extra bits).
# The 15 meta lengths (0..7) come first, 3 bits each.
META_SYMBOLS = 15
META_MAX = 7


@_kernel
def _put(acc: int, nb: int, p: int, out: np.ndarray, value: int, nbits: int) -> tuple:
    acc |= value << nb
    nb += nbits
    while nb >= 8:
        out[p] = acc & 255
        p += 1
        acc >>= 8
        nb -= 8
    return acc, nb, p


@_kernel
def encode_lengths(lengths: np.ndarray, out: np.ndarray, pos: int) -> int:
    """Write the 256 code lengths at ``out[pos:]`` (needs <= 512 bytes); return the new end."""
    syms = np.empty(256, dtype=np.int64)
    extra = np.zeros(256, dtype=np.int64)
    k = 0
    i = 0
    while i < 256:
        ln = lengths[i]
        run = 1
        while i + run < 256 and lengths[i + run] == ln:
            run += 1
        r = run
        if ln == 0:
            while r >= 11:
                take = min(r, 138)
                syms[k] = 14
                extra[k] = take - 11
                k += 1
                r -= take
            if r >= 3:
                syms[k] = 13
                extra[k] = r - 3
                k += 1
                r = 0
            while r > 0:
                syms[k] = 0
                k += 1
                r -= 1
        else:
            syms[k] = ln
            k += 1
            r -= 1
            while r >= 3:
                take = min(r, 6)
                syms[k] = 12
                extra[k] = take - 3
                k += 1
                r -= take
            while r > 0:
                syms[k] = ln
                k += 1
                r -= 1
        i += run
    mh = np.zeros(META_SYMBOLS, dtype=np.int64)
    for j in range(k):
        mh[syms[j]] += 1
    ml = limited_lengths(mh, META_MAX)
    mc = reversed_codes(ml)
    acc = 0
    nb = 0
    p = pos
    for s in range(META_SYMBOLS):
        acc, nb, p = _put(acc, nb, p, out, ml[s], 3)
    for j in range(k):
        s = syms[j]
        acc, nb, p = _put(acc, nb, p, out, mc[s], ml[s])
        if s == 12:
            acc, nb, p = _put(acc, nb, p, out, extra[j], 2)
        elif s == 13:
            acc, nb, p = _put(acc, nb, p, out, extra[j], 3)
        elif s == 14:
            acc, nb, p = _put(acc, nb, p, out, extra[j], 7)
    if nb > 0:
        out[p] = acc & 255
        p += 1
    return p


@_kernel
def decode_lengths(src: np.ndarray, max_len: int, lengths: np.ndarray) -> int:
    """Read a code-length table from the whole of `src` into `lengths` (256 entries).

    Returns 0 when the table is valid and uses exactly ``len(src)`` bytes (zero padding
    bits), with a complete code (Kraft sum 1) of at least two symbols, lengths at most
    `max_len`; a negative number otherwise.
    """
    end = src.shape[0]
    p = 0
    b = 0
    c = 0
    ml = np.zeros(META_SYMBOLS, dtype=np.int64)
    # meta lengths: 45 bits
    for s in range(META_SYMBOLS):
        while c < 3:
            if p < end:
                b |= np.int64(src[p]) << c
            p += 1
            c += 8
        ml[s] = b & 7
        b >>= 3
        c -= 3
    present = 0
    kraft = 0
    for s in range(META_SYMBOLS):
        if ml[s] > 0:
            present += 1
            kraft += 1 << (META_MAX - ml[s])
    if present == 0:
        return -1
    if present == 1:
        if kraft != 1 << (META_MAX - 1):
            return -1
    elif kraft != 1 << META_MAX:
        return -1
    mt = decoding_table(ml, META_MAX)
    i = 0
    while i < 256:
        while c <= 48:
            if p < end:
                b |= np.int64(src[p]) << c
            p += 1
            c += 8
        e = np.int64(mt[b & ((1 << META_MAX) - 1)])
        if e == 0xFFFF:
            return -2
        ln = e >> 8
        s = e & 255
        b >>= ln
        c -= ln
        if s <= 11:
            lengths[i] = s
            i += 1
            continue
        if s == 12:
            r = 3 + (b & 3)
            b >>= 2
            c -= 2
            if i == 0 or lengths[i - 1] == 0:
                return -3
            fill = lengths[i - 1]
        elif s == 13:
            r = 3 + (b & 7)
            b >>= 3
            c -= 3
            fill = 0
        else:
            r = 11 + (b & 127)
            b >>= 7
            c -= 7
            fill = 0
        if i + r > 256:
            return -4
        for _ in range(r):
            lengths[i] = fill
            i += 1
    # exactly the given bytes, zero padding
    left = (end - p) * 8 + c
    if left < 0 or left >= 8 or b != 0:
        return -5
    present = 0
    kraft = 0
    for s in range(256):
        ln = lengths[s]
        if ln > max_len:
            return -6
        if ln > 0:
            present += 1
            kraft += 1 << (max_len - ln)
    if present < 2 or kraft != 1 << max_len:
        return -7
    return 0


@_kernel
def _store64(out: np.ndarray, p: int, v: int) -> None:
    """Store the int64 `v` little-endian at ``out[p:p + 8]``.

    The index is made unsigned: without numba's negative-index handling LLVM merges the
    eight byte stores into one.
    """
    q = np.uint64(p)
    out[q] = v & 255
    out[q + np.uint64(1)] = (v >> 8) & 255
    out[q + np.uint64(2)] = (v >> 16) & 255
    out[q + np.uint64(3)] = (v >> 24) & 255
    out[q + np.uint64(4)] = (v >> 32) & 255
    out[q + np.uint64(5)] = (v >> 40) & 255
    out[q + np.uint64(6)] = (v >> 48) & 255
    out[q + np.uint64(7)] = (v >> 56) & 255


@_kernel
def encode_streams(data: np.ndarray, lengths: np.ndarray, rcodes: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Pack `data` as 4 streams of consecutive quarters into `out`; return the 4 sizes.

    Quarter k holds ``n // 4`` symbols plus one when ``k < n % 4``. A 64-bit accumulator
    gathers 5 codewords (at most 55 bits on top of < 8 pending), then spills its whole
    bytes without a branch: 8 bytes are stored and the position advances by the whole
    bytes only. Each stream ends on a byte boundary with zero padding. Lengths must be
    at most 11. `out` needs ``ceil(sum(bits) / 8) + 16`` bytes.
    """
    n = data.shape[0]
    base = n // 4
    rem = n % 4
    sizes = np.zeros(4, dtype=np.int64)
    start = 0
    p = 0
    for k in range(4):
        stop = start + base + (1 if k < rem else 0)
        p0 = p
        acc = 0
        nb = 0
        i = start
        while i + 5 <= stop:
            s = data[np.uint64(i)]
            acc |= rcodes[s] << nb
            nb += lengths[s]
            s = data[np.uint64(i + 1)]
            acc |= rcodes[s] << nb
            nb += lengths[s]
            s = data[np.uint64(i + 2)]
            acc |= rcodes[s] << nb
            nb += lengths[s]
            s = data[np.uint64(i + 3)]
            acc |= rcodes[s] << nb
            nb += lengths[s]
            s = data[np.uint64(i + 4)]
            acc |= rcodes[s] << nb
            nb += lengths[s]
            _store64(out, p, acc)
            whole = nb >> 3
            p += whole
            acc >>= whole << 3
            nb &= 7
            i += 5
        while i < stop:
            s = data[np.uint64(i)]
            acc |= rcodes[s] << nb
            nb += lengths[s]
            _store64(out, p, acc)
            whole = nb >> 3
            p += whole
            acc >>= whole << 3
            nb &= 7
            i += 1
        if nb > 0:
            out[p] = acc & 255
            p += 1
        sizes[k] = p - p0
        start = stop
    return sizes


CODE_BITS = 11  # longest codeword of a container block; decoding tables have 2**11 entries
_PER_REFILL = 57 // CODE_BITS  # a load at a bit position gives >= 57 valid bits


@_kernel
def _load64(src: np.ndarray, p: int) -> int:
    """The 8 bytes at ``src[p:]`` as a little-endian int64 (wrapping into the sign bit).

    With an unsigned index LLVM merges the eight byte loads into one.
    """
    q = np.uint64(p)
    return (
        np.int64(src[q])
        | (np.int64(src[q + np.uint64(1)]) << 8)
        | (np.int64(src[q + np.uint64(2)]) << 16)
        | (np.int64(src[q + np.uint64(3)]) << 24)
        | (np.int64(src[q + np.uint64(4)]) << 32)
        | (np.int64(src[q + np.uint64(5)]) << 40)
        | (np.int64(src[q + np.uint64(6)]) << 48)
        | (np.int64(src[q + np.uint64(7)]) << 56)
    )


@_kernel
def _decode_tail(
    src: np.ndarray, p: int, e: int, b: int, c: int, table: np.ndarray, mask: int,
    out: np.ndarray, o: int, oe: int,
) -> bool:
    """Finish one stream carefully (zero bytes past its end); check it ends exactly."""
    while o < oe:
        while c <= 55:
            if p < e:
                b |= np.int64(src[p]) << c
            p += 1
            c += 8
        ent = np.int64(table[b & mask])
        out[o] = ent & 255
        ln = ent >> 8
        b >>= ln
        c -= ln
        o += 1
        if p > e + 8:
            return False
    left = (e - p) * 8 + c
    return left >= 0 and left < 8 and b == 0


@_kernel
def _finish_stream(
    src: np.ndarray, q: int, e: int, table: np.ndarray, mask: int, out: np.ndarray, o: int, oe: int
) -> bool:
    """Decode the stream ending at byte `e` from bit `q` into ``out[o:oe]``, carefully."""
    p = q >> 3
    r = q & 7
    if p >= e:  # nothing left (or, when r > 0, already past the end: the count goes negative)
        return _decode_tail(src, p, e, 0, -r, table, mask, out, o, oe)
    return _decode_tail(src, p + 1, e, np.int64(src[p]) >> r, 8 - r, table, mask, out, o, oe)


@_kernel
def decode_streams(
    src: np.ndarray, sizes: np.ndarray, lengths: np.ndarray, bits: int, out: np.ndarray
) -> bool:
    """Decode the 4 streams of `src` (sizes `sizes`) into `out` (the block's n bytes).

    The code must be complete with lengths <= CODE_BITS (checked by decode_lengths);
    `bits` must be CODE_BITS, a compile-time constant here so the loops unroll. Each
    stream keeps only its bit position: the main loop loads 8 bytes at each position
    (at least 57 valid bits after the shift) and decodes 5 symbols from each stream,
    so four independent dependency chains overlap and few registers are live; the
    four quarters advance in step, so one output index serves them all. The ends of
    the streams are finished one by one. Indices are cast to unsigned in the hot loop,
    which spares numba's negative-index handling. Returns False unless every stream
    ends exactly at its last byte.
    """
    table = decoding_table(lengths, CODE_BITS)
    mask = (1 << CODE_BITS) - 1
    n = out.shape[0]
    base = n // 4
    rem = n % 4
    d1 = base + (1 if rem > 0 else 0)  # where the quarters start in `out`
    d2 = d1 + base + (1 if rem > 1 else 0)
    d3 = d2 + base + (1 if rem > 2 else 0)
    e0 = sizes[0]  # where the streams end in `src`
    e1 = e0 + sizes[1]
    e2 = e1 + sizes[2]
    e3 = e2 + sizes[3]
    q0 = 0  # bit positions
    q1 = 8 * e0
    q2 = 8 * e1
    q3 = 8 * e2
    o = 0
    while True:
        # rounds that are safe without checks: one reads 8 bytes and advances <= 55 bits
        rounds = (n - d3 - o) // _PER_REFILL
        rounds = min(rounds, (8 * e0 - q0) // 56 - 1, (8 * e1 - q1) // 56 - 1)
        rounds = min(rounds, (8 * e2 - q2) // 56 - 1, (8 * e3 - q3) // 56 - 1)
        if rounds <= 0:
            break
        for _ in range(rounds):
            b0 = _load64(src, q0 >> 3) >> (q0 & 7)
            b1 = _load64(src, q1 >> 3) >> (q1 & 7)
            b2 = _load64(src, q2 >> 3) >> (q2 & 7)
            b3 = _load64(src, q3 >> 3) >> (q3 & 7)
            for _ in range(_PER_REFILL):
                t0 = np.int64(table[np.uint64(b0 & mask)])
                t1 = np.int64(table[np.uint64(b1 & mask)])
                t2 = np.int64(table[np.uint64(b2 & mask)])
                t3 = np.int64(table[np.uint64(b3 & mask)])
                out[np.uint64(o)] = t0 & 255
                out[np.uint64(o + d1)] = t1 & 255
                out[np.uint64(o + d2)] = t2 & 255
                out[np.uint64(o + d3)] = t3 & 255
                b0 >>= t0 >> 8
                b1 >>= t1 >> 8
                b2 >>= t2 >> 8
                b3 >>= t3 >> 8
                q0 += t0 >> 8
                q1 += t1 >> 8
                q2 += t2 >> 8
                q3 += t3 >> 8
                o += 1
    ok = _finish_stream(src, q0, e0, table, mask, out, o, d1)
    ok = ok and _finish_stream(src, q1, e1, table, mask, out, o + d1, d2)
    ok = ok and _finish_stream(src, q2, e2, table, mask, out, o + d2, d3)
    ok = ok and _finish_stream(src, q3, e3, table, mask, out, o + d3, n)
    return ok


# Block types of the container and the status codes of scan_blocks
BLOCK_END, BLOCK_RAW, BLOCK_RUN, BLOCK_CODED = 0, 1, 2, 3
SCAN_FULL, SCAN_END, SCAN_MORE = 0, 1, 2
SCAN_ERRORS = {
    -1: "unknown block type",
    -2: "malformed varint",
    -3: "block length outside 1..MAX_BLOCK",
    -4: "code table size outside 1..512",
    -5: "invalid code table",
    -6: "stream sizes that do not fit the block length",
}


@_kernel
def _put_varint(out: np.ndarray, p: int, v: int) -> int:
    while v >= 0x80:
        out[p] = (v & 0x7F) | 0x80
        p += 1
        v >>= 7
    out[p] = v
    return p + 1


@_kernel
def _varint_size(v: int) -> int:
    k = 1
    while v >= 0x80:
        v >>= 7
        k += 1
    return k


@_kernel
def encode_chunk(
    data: np.ndarray, clog: np.ndarray, table_bits: float, max_len: int, max_table: int, out: np.ndarray,
    scratch: np.ndarray, work: np.ndarray,
) -> int:
    """Write the blocks of `data` (at most MAX_BLOCK bytes) into `out`; return the size.

    Blocks are planned by plan_blocks (in units of ``unit = len(clog) - 1`` bytes,
    `clog` from xlog2x_table); each is written in its cheapest mode: a run when
    one byte value fills it, coded when that is smaller than the bytes, else raw. Codes
    longer than `max_len` are cut by the fast adjustment (_limit_lengths): on the corpus
    it costs 0.06% in size against package-merge and saves 10% of the time. `out`
    needs ``len(data) + 8 * (len(data) // unit + 1)`` bytes; `scratch` (uint8, for the
    streams) ``len(data) * max_len // 8 + 64`` and `work` (int64) ``(units, 256)``: the
    caller keeps them, so their memory is not touched afresh for every chunk.
    """
    ends, hists = plan_blocks(data, clog, table_bits, work)
    table = np.empty(max_table, dtype=np.uint8)
    p = 0
    start = 0
    for j in range(ends.shape[0]):
        end = ends[j]
        n = end - start
        hist = hists[j]
        present = 0
        sym = 0
        for b in range(256):
            if hist[b] > 0:
                present += 1
                sym = b
        if present == 1:
            out[p] = BLOCK_RUN
            p = _put_varint(out, p + 1, n)
            out[p] = sym
            p += 1
            start = end
            continue
        lengths = limited_lengths(hist, max_len, False)
        bits = 0
        for b in range(256):
            bits += hist[b] * lengths[b]
        raw_size = 1 + _varint_size(n) + n
        coded = False
        if bits // 8 + 11 < n:
            tsize = encode_lengths(lengths, table, 0)
            # The streams are packed straight into their place in `out`, after a header of
            # the size their estimated sizes give (they take < n bytes, as bits / 8 + 11 < n);
            # when a real size has a longer or shorter varint, or near the end of `out`,
            # they go through `scratch`, as they do when packed there.
            head = 1 + _varint_size(n) + _varint_size(tsize) + tsize + 4 * _varint_size(bits // 32)
            direct = p + head + n + 16 <= out.shape[0]
            dst = out[p + head :] if direct else scratch
            sizes = encode_streams(data[start:end], lengths, reversed_codes(lengths), dst)
            total = sizes[0] + sizes[1] + sizes[2] + sizes[3]
            size = 1 + _varint_size(n) + _varint_size(tsize) + tsize + total
            for k in range(4):
                size += _varint_size(sizes[k])
            if size < raw_size:
                coded = True
                if direct and size - total != head:
                    scratch[:total] = dst[:total]
                    direct = False
                out[p] = BLOCK_CODED
                p = _put_varint(out, p + 1, n)
                p = _put_varint(out, p, tsize)
                out[p : p + tsize] = table[:tsize]
                p += tsize
                for k in range(4):
                    p = _put_varint(out, p, sizes[k])
                if not direct:
                    out[p : p + total] = scratch[:total]
                p += total
        if not coded:
            out[p] = BLOCK_RAW
            p = _put_varint(out, p + 1, n)
            out[p : p + n] = data[start:end]
            p += n
        start = end
    return p


@_kernel
def _get_varint(buf: np.ndarray, q: int, end: int) -> tuple:
    """(value, next position, status): status 0 ok, 2 past `end`, -2 malformed."""
    value = 0
    for k in range(4):
        if q >= end:
            return 0, q, SCAN_MORE
        b = np.int64(buf[q])
        q += 1
        value |= (b & 0x7F) << (7 * k)
        if b < 0x80:
            if b == 0 and k > 0:
                return 0, q, -2
            return value, q, 0
    return 0, q, -2


@_kernel
def scan_blocks(
    buf: np.ndarray, pos: int, end: int, max_blocks: int, max_volume: int, max_block: int,
    max_len: int, max_table: int, info: np.ndarray, lengths: np.ndarray, tables: bool = True,
) -> tuple:
    """Parse and check the block headers in ``buf[pos:end]``, up to `max_blocks` blocks.

    With ``tables=False`` the code tables are skipped, not decoded (a size-only pass).

    Fills ``info[j] = kind, n, payload offset, 4 stream sizes`` and, for coded blocks,
    ``lengths[j]``. Stops once the blocks hold `max_volume` bytes. Returns ``(count, pos,
    status)``: SCAN_FULL (stopped by a limit), SCAN_END (end marker at `pos`), SCAN_MORE
    (the block at `pos` runs past `end`) or a negative error code for the block at `pos`.
    Sizes are checked against the bytes that back them before anyone allocates.
    """
    count = 0
    volume = 0
    while count < max_blocks and volume < max_volume:
        if pos >= end:
            return count, pos, SCAN_MORE
        kind = np.int64(buf[pos])
        if kind == BLOCK_END:
            return count, pos, SCAN_END
        if kind > BLOCK_CODED:
            return count, pos, -1
        n, q, st = _get_varint(buf, pos + 1, end)
        if st != 0:
            return count, pos, st
        if n == 0 or n > max_block:
            return count, pos, -3
        info[count, 0] = kind
        info[count, 1] = n
        if kind == BLOCK_RAW:
            if q + n > end:
                return count, pos, SCAN_MORE
            info[count, 2] = q
            q += n
        elif kind == BLOCK_RUN:
            if q >= end:
                return count, pos, SCAN_MORE
            info[count, 2] = q
            q += 1
        else:
            tsize, q, st = _get_varint(buf, q, end)
            if st != 0:
                return count, pos, st
            if tsize == 0 or tsize > max_table:
                return count, pos, -4
            if q + tsize > end:
                return count, pos, SCAN_MORE
            if tables and decode_lengths(buf[q : q + tsize], max_len, lengths[count]) != 0:
                return count, pos, -5
            q += tsize
            total = 0
            for k in range(4):
                s, q, st = _get_varint(buf, q, end)
                if st != 0:
                    return count, pos, st
                info[count, 3 + k] = s
                total += s
            # coded blocks are smaller than raw ones, and every byte takes >= 1 bit
            if total >= n or n > 8 * total:
                return count, pos, -6
            if q + total > end:
                return count, pos, SCAN_MORE
            info[count, 2] = q
            q += total
        pos = q
        volume += n
        count += 1
    return count, pos, SCAN_FULL


@_kernel
def decode_blocks(
    buf: np.ndarray, info: np.ndarray, lengths: np.ndarray, first: int, last: int, max_len: int,
    out: np.ndarray, o: int,
) -> int:
    """Decode the scanned blocks first..last-1 into ``out[o:]``; -1, or the first bad block."""
    for j in range(first, last):
        kind = info[j, 0]
        n = info[j, 1]
        pp = info[j, 2]
        if kind == BLOCK_RAW:
            out[o : o + n] = buf[pp : pp + n]
        elif kind == BLOCK_RUN:
            out[o : o + n] = buf[pp]
        else:
            total = info[j, 3] + info[j, 4] + info[j, 5] + info[j, 6]
            if not decode_streams(buf[pp : pp + total], info[j, 3:7], lengths[j], max_len, out[o : o + n]):
                return j
        o += n
    return -1


@_kernel
def decode_all(
    buf: np.ndarray, pos: int, max_block: int, max_len: int, max_table: int, out: np.ndarray
) -> tuple:
    """Scan and decode the blocks of `buf` from `pos` on into `out`, one at a time, up
    to the end marker; `out` must hold them all. Returns ``(status, pos, bad)``: the
    scan status at `pos` (SCAN_END at the end marker, or an error) and, when a coded
    block does not decode, the offset of its payload in `bad` (else -1)."""
    info = np.empty((1, 7), dtype=np.int64)
    lengths = np.empty((1, 256), dtype=np.int64)
    end = buf.shape[0]
    o = 0
    while True:
        count, nxt, status = scan_blocks(
            buf, pos, end, 1, max_block, max_block, max_len, max_table, info, lengths, True
        )
        if status < 0:
            return status, nxt, -1
        if count:
            n = info[0, 1]
            if o + n > out.shape[0]:
                return SCAN_MORE, pos, -1
            if decode_blocks(buf, info, lengths, 0, 1, max_len, out, o) >= 0:
                return status, pos, info[0, 2]
            o += n
        pos = nxt
        if status == SCAN_END or (status == SCAN_MORE and count == 0):
            return status, pos, -1


# =====================================================================================
# Compilation on demand
# =====================================================================================
# The kernels leave the module namespace here. The first lookup of one
# (``_kernels.encode_chunk``) imports numba and makes dispatchers of them all at once;
# compiling (or loading from the cache) still waits for each kernel's first call.
# ``python`` holds the same functions run by the interpreter: callers use it for small
# inputs while nothing is compiled yet (see :func:`for_size`), so that importing
# prefixcode, or compressing a few kilobytes, never waits for numba.
_PY_GLOBALS = dict(globals())
python = types.SimpleNamespace()
for _name, _fn in _SOURCES.items():
    _copy = types.FunctionType(_fn.__code__, _PY_GLOBALS, _name, _fn.__defaults__, _fn.__closure__)
    _copy.__doc__ = _fn.__doc__
    _PY_GLOBALS[_name] = _copy
    setattr(python, _name, _copy)
    del globals()[_name]
del _name, _fn, _copy
_compile_lock = threading.Lock()


def __getattr__(name: str) -> Callable:
    if name not in _SOURCES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _compile_lock:
        if name not in globals():
            from numba import njit

            globals().update({k: njit(**_JIT)(fn) for k, fn in _SOURCES.items()})
    return globals()[name]


SMALL = 1 << 14  # inputs up to this size (bytes, symbols) may run interpreted
_interpreted = [1 << 17]  # input size left to run interpreted in this process


def for_size(name: str, size: int) -> Callable:
    """The kernel `name` for an input of `size` (bytes, or symbols): its interpreted
    version while the input is small, the kernel is not loaded yet and the process has
    not run more than a few hundred milliseconds of interpreted work; else the compiled
    one. Interpreted, a kilobyte takes milliseconds; loading compiled kernels takes
    about half a second (importing numba, then its first cache load).

    Both give the same results (the tests run every kernel both ways).
    """
    fn = globals().get(name)
    if size <= SMALL and _interpreted[0] > 0 and name not in _loaded:
        # (a dispatcher's `overloads` is slow to read: a loaded kernel is remembered)
        if fn is None or not getattr(fn, "overloads", True):
            _interpreted[0] -= max(size, 1)
            return getattr(python, name)
        _loaded.add(name)
    return fn if fn is not None else __getattr__(name)


_loaded: set[str] = set()  # kernels known to be compiled or loaded from the cache

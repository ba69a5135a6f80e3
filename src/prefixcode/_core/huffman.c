/* Code lengths and canonical codewords: the one Huffman driver of the project.
 *
 * construct.huffman (any weights, any arity, optional length limit) and the container
 * (byte counts, lengths of at most 11) both come here, with one tie rule: weights sorted
 * ascending, and on equal weight a merged node before a leaf (docs/format.md, "Coded
 * blocks"; construct.py's module notes).
 */
#include <stdlib.h>

#include "core.h"

int pfx_huffman_sorted(const double *w, size_t n_real, int arity, int min_variance, int64_t *lengths) {
    size_t a = (size_t)arity;
    size_t pad = (a - 1 - (n_real - 1) % (a - 1)) % (a - 1);
    size_t n = n_real + pad;
    size_t merges = (n - 1) / (a - 1);
    size_t total = n + merges;
    double stack_w[1024];
    size_t stack_parent[1024];
    double *node_w = stack_w;
    size_t *parent = stack_parent;
    if (total > 1024) {
        node_w = malloc(total * sizeof *node_w);
        parent = malloc(total * sizeof *parent);
        if (!node_w || !parent) {
            free(node_w == stack_w ? NULL : node_w);
            free(parent == stack_parent ? NULL : parent);
            return -1;
        }
    }
    for (size_t i = 0; i < pad; i++) node_w[i] = 0.0;
    for (size_t i = 0; i < n_real; i++) node_w[pad + i] = w[i];
    size_t leaf = 0, inner = n, next = n;
    for (size_t m = 0; m < merges; m++) {
        double acc = 0.0;
        for (size_t k = 0; k < a; k++) {
            int take_leaf = 0;
            if (leaf < n) {
                if (inner >= next) take_leaf = 1;
                else if (node_w[leaf] < node_w[inner]) take_leaf = 1;
                else if (node_w[leaf] == node_w[inner] && min_variance) take_leaf = 1;
            }
            if (take_leaf) {
                parent[leaf] = next;
                acc += node_w[leaf++];
            } else {
                parent[inner] = next;
                acc += node_w[inner++];
            }
        }
        node_w[next++] = acc;
    }
    /* depths, from the root down (a parent comes after its children): each entry of
       parent[] becomes the node's depth once its parent's has been set */
    parent[total - 1] = 0;
    for (size_t j = total - 1; j-- > 0;) parent[j] = parent[parent[j]] + 1;
    for (size_t i = 0; i < n_real; i++) lengths[i] = (int64_t)parent[pad + i];
    if (node_w != stack_w) {
        free(node_w);
        free(parent);
    }
    return 0;
}

int pfx_package_merge(const double *w, size_t n_real, int max_len, int arity, int64_t *lengths) {
    size_t a = (size_t)arity;
    size_t pad = (a - 1 - (n_real - 1) % (a - 1)) % (a - 1);
    size_t n = n_real + pad;
    size_t L = (size_t)max_len;
    size_t width = 2 * n + a;
    double *lw = malloc(n * sizeof *lw);
    double *prev = malloc(width * sizeof *prev);
    double *cur = malloc(width * sizeof *cur);
    size_t *size = calloc(L, sizeof *size);
    unsigned char *is_pkg = calloc(L * width, 1);
    int64_t *len = calloc(n, sizeof *len);
    int status = -1;
    if (!lw || !prev || !cur || !size || !is_pkg || !len) goto done;
    for (size_t i = 0; i < pad; i++) lw[i] = 0.0;
    for (size_t i = 0; i < n_real; i++) lw[pad + i] = w[i];
    memcpy(prev, lw, n * sizeof *lw);
    size[L - 1] = n;
    /* each level packages `arity` consecutive items of the deeper list and merges the
       packages with the leaves, a leaf first on equal weight */
    for (size_t lev = L - 1; lev-- > 0;) {
        size_t npk = size[lev + 1] / a, i = 0, k = 0, m = 0;
        double pw = 0.0;
        if (npk > 0)
            for (size_t j = 0; j < a; j++) pw += prev[j];
        while (i < n || k < npk) {
            if (k >= npk || (i < n && lw[i] <= pw)) {
                cur[m] = lw[i++];
            } else {
                cur[m] = pw;
                is_pkg[lev * width + m] = 1;
                k++;
                pw = 0.0;
                if (k < npk)
                    for (size_t j = 0; j < a; j++) pw += prev[a * k + j];
            }
            m++;
        }
        size[lev] = m;
        memcpy(prev, cur, m * sizeof *cur);
    }
    /* the first arity * (leaves - 1) / (arity - 1) items of the top list are chosen; a
       chosen package stands for `arity` items of the level below */
    size_t take = a * (n - 1) / (a - 1);
    for (size_t lev = 0; lev < L; lev++) {
        size_t packages = 0;
        for (size_t j = 0; j < take; j++) packages += is_pkg[lev * width + j];
        for (size_t i = 0; i < take - packages; i++) len[i]++;
        take = a * packages;
    }
    for (size_t i = 0; i < n_real; i++) lengths[i] = len[pad + i];
    status = 0;
done:
    free(lw);
    free(prev);
    free(cur);
    free(size);
    free(is_pkg);
    free(len);
    return status;
}

void pfx_limit_lengths(int64_t *ln, size_t n, int max_len) {
    int64_t longest = 0;
    for (size_t i = 0; i < n; i++)
        if (ln[i] > longest) longest = ln[i];
    if (longest <= max_len) return;
    /* n <= 2**max_len, so the counts fit; lengths of a Huffman code are < n */
    size_t cap = (size_t)longest + 1;
    size_t stack_count[128];
    size_t *count = cap <= 128 ? stack_count : calloc(cap, sizeof *count);
    if (cap <= 128) memset(stack_count, 0, sizeof stack_count);
    if (!count) return; /* (not reached for the container's alphabets) */
    for (size_t i = 0; i < n; i++) count[ln[i]]++;
    for (int64_t lev = longest; lev > max_len; lev--) {
        while (count[lev] > 0) {
            int64_t j = lev - 2;
            while (count[j] == 0) j--;
            count[lev] -= 2;
            count[lev - 1] += 1;
            count[j + 1] += 2;
            count[j] -= 1;
        }
    }
    size_t k = 0;
    for (int64_t lev = max_len; lev > 0; lev--)
        for (size_t c = 0; c < count[lev]; c++) ln[k++] = lev;
    if (count != stack_count) free(count);
}

int pfx_lengths_for_counts(const uint32_t *counts, int m, int max_len, int exact, uint8_t *lengths) {
    /* symbols present in order of count ascending, equal counts by symbol descending:
       start from descending symbols, then stable counting sorts on the count's bytes */
    uint16_t order[256], tmp[256];
    int present = 0;
    uint32_t most = 0;
    for (int s = m - 1; s >= 0; s--) {
        lengths[s] = 0;
        if (counts[s]) {
            order[present++] = (uint16_t)s;
            if (counts[s] > most) most = counts[s];
        }
    }
    if (present == 0) return 0;
    if (present == 1) {
        lengths[order[0]] = 1;
        return 1;
    }
    for (int shift = 0; shift < 32 && (most >> shift); shift += 8) {
        uint16_t bucket[257] = {0};
        for (int i = 0; i < present; i++) bucket[((counts[order[i]] >> shift) & 255) + 1]++;
        for (int b = 0; b < 256; b++) bucket[b + 1] += bucket[b];
        for (int i = 0; i < present; i++) tmp[bucket[(counts[order[i]] >> shift) & 255]++] = order[i];
        memcpy(order, tmp, (size_t)present * sizeof *order);
    }
    double w[256] = {0};
    int64_t ln[256];
    for (int i = 0; i < present; i++) w[i] = (double)counts[order[i]];
    pfx_huffman_sorted(w, (size_t)present, 2, 0, ln); /* (n <= 256: no allocation) */
    int64_t longest = 0;
    for (int i = 0; i < present; i++)
        if (ln[i] > longest) longest = ln[i];
    /* (package-merge allocates; should it fail, the fast limiter's lengths stand) */
    if (longest > max_len && !(exact && pfx_package_merge(w, (size_t)present, max_len, 2, ln) == 0))
        pfx_limit_lengths(ln, (size_t)present, max_len);
    for (int i = 0; i < present; i++) lengths[order[i]] = (uint8_t)ln[i];
    return present;
}

void pfx_canonical_codes(const int64_t *lengths, size_t n, uint64_t *codes) {
    uint64_t count[65] = {0}, next[65];
    for (size_t i = 0; i < n; i++) count[lengths[i]]++;
    count[0] = 0;
    uint64_t code = 0;
    next[0] = 0;
    for (int bits = 1; bits <= 64; bits++) {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    for (size_t i = 0; i < n; i++) codes[i] = lengths[i] ? next[lengths[i]]++ : 0;
}

PFX_INLINE uint32_t reverse32(uint32_t x) {
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_bswap32(x);
#else
    x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
    return (x >> 16) | (x << 16);
#endif
}

/* The symbols with a codeword (length > 0) in symbol order, and how many there are:
 * made without a branch on each symbol (which absent symbols, scattered over the byte
 * values of text, would mispredict) and without counting in memory. */
PFX_INLINE int present_symbols(const uint8_t *lengths, int m, uint16_t *present) {
    int k = 0;
    for (int s = 0; s < m; s++) {
        present[k] = (uint16_t)s;
        k += lengths[s] != 0;
    }
    return k;
}

void pfx_reversed_codes(const uint8_t *lengths, int m, uint32_t *codes) {
    pfx_code_order order;
    pfx_canonical_order(lengths, m, &order);
    memcpy(codes, order.rc, (size_t)m * sizeof *codes);
}

/* rev8[b]: the byte b with its bits in the opposite order */
#define REV2(n) n, n + 128, n + 64, n + 192
#define REV4(n) REV2(n), REV2(n + 32), REV2(n + 16), REV2(n + 48)
#define REV6(n) REV4(n), REV4(n + 8), REV4(n + 4), REV4(n + 12)
static const uint8_t rev8[256] = {REV6(0), REV6(2), REV6(1), REV6(3)};
#undef REV2
#undef REV4
#undef REV6

/* The low l bits of x (1 <= l <= 32) in the opposite order. */
PFX_INLINE uint32_t reverse_bits(uint32_t x, int l) {
    if (l <= 16) return (uint32_t)(rev8[x & 255] << 8 | rev8[(x >> 8) & 255]) >> (16 - l);
    return reverse32(x) >> (32 - l);
}

int pfx_canonical_order(const uint8_t *lengths, int m, pfx_code_order *c) {
    uint16_t present[256];
    int k = present_symbols(lengths, m, present);
    uint32_t count[34] = {0};
    int longest = 0;
    for (int j = 0; j < k; j++) {
        int l = lengths[present[j]];
        count[l]++;
        longest = l > longest ? l : longest;
    }
    /* the first canonical codeword of each length (RFC 1951, 3.2.2) */
    uint32_t next[33], code = 0;
    c->start[0] = c->start[1] = 0;
    for (int l = 1; l <= longest; l++) {
        code = (code + count[l - 1]) << 1;
        next[l] = code;
        c->start[l + 1] = c->start[l] + (int)count[l];
    }
    for (int l = longest + 1; l <= 32; l++) c->start[l + 1] = k;
    memset(c->rc, 0, (size_t)m * sizeof *c->rc);
    int end[34];
    memcpy(end, c->start, sizeof end);
    for (int j = 0; j < k; j++) {
        int s = present[j], l = lengths[s];
        c->rc[s] = reverse_bits(next[l]++, l);
        c->order[end[l]++] = (uint16_t)s;
    }
    return k;
}

void pfx_decoding_table_of(const pfx_code_order *c, int bits, uint16_t *table) {
    /* built by doubling: the table for peeks of l - 1 bits, copied once, is the table for
       l bits before the codewords of length l go in (a codeword of length l fills every
       index equal to its reversed code modulo 2**l) */
    table[0] = 0xFFFF;
    size_t width = 1;
    for (int l = 1; l <= bits; l++) {
        memcpy(table + width, table, width * sizeof *table);
        width *= 2;
        for (int j = c->start[l]; j < c->start[l + 1]; j++) {
            int s = c->order[j];
            table[c->rc[s]] = (uint16_t)(l | s << 8);
        }
    }
}

void pfx_decoding_table(const uint8_t *lengths, int m, int bits, uint16_t *table) {
    pfx_code_order c;
    pfx_canonical_order(lengths, m, &c);
    pfx_decoding_table_of(&c, bits, table);
}

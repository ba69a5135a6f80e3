/* Adaptive Huffman coding in C: stream.py's AdaptiveHuffman, bit for bit the streams of
 * its Python coder (the readable reference, which also serves `trace`;
 * tests/test_adaptive_c.py holds one against the other).
 *
 * The tree is the one of stream.py's _Tree, in arrays: parents, two children per node
 * (-1 at a leaf), the symbol key of each leaf, and the implicit numbering (Vitter,
 * "Design and analysis of dynamic Huffman codes", JACM 34(4), 1987) as `order` (nodes
 * by decreasing number, the root first, the NYT leaf last) with its inverse `pos`. The
 * weights are kept by position, each with the node's kind (2 * weight + 1 for an
 * internal node, 2 * weight for a leaf), so that finding a block's leader and sliding
 * past a block read one array in order. Both update rules are here: FGK (Knuth, "Dynamic Huffman coding",
 * J. Algorithms 6, 1985) and Vitter's algorithm Lambda, each step the Python one's, so
 * that every swap and slide, and hence every codeword, is the same.
 *
 * Symbols are uint32 keys: with an alphabet of `nkeys` symbols, the index in it (the
 * fixed form of a new symbol: truncated binary); without one (nkeys == 0), 0..255 for
 * the ints 0..255 ('1' and 8 bits) and 256 + c for the one-character string of code
 * point c ('0' and its UTF-8 bytes).
 *
 * The decoder reads untrusted bits: every read is checked against nbits, it makes at
 * most `cap` steps, and it allocates only what the alphabet and `cap` call for.
 */
#include <stdlib.h>

#include "core.h"

#define NO_ALPHABET_KEYS (256u + 0x110000u)

typedef struct {
    uint64_t *wk; /* by position: 2 * weight + (1 for an internal node) */
    int32_t *parent;
    int32_t *child; /* child[2 * node + bit]; -1 at a leaf */
    uint32_t *key;
    int32_t *order; /* node at each position, root first */
    int32_t *pos;
    int32_t **pages; /* key -> leaf + 1 (0: not seen), in pages made when first needed */
    size_t npages;
    int32_t nnodes, nyt;
    int vitter;
} tree;

static void tree_free(tree *t) {
    free(t->wk);
    free(t->parent);
    free(t->child);
    free(t->key);
    free(t->order);
    free(t->pos);
    if (t->pages)
        for (size_t j = 0; j < t->npages; j++) free(t->pages[j]);
    free(t->pages);
}

/* The leaf of a key: a map in pages of PAGE entries, so that a key space of a million
 * code points costs only the pages the message's keys fall in. */
#define PAGE_BITS 12
#define PAGE ((uint32_t)1 << PAGE_BITS)

PFX_INLINE int32_t leaf_of(const tree *t, uint32_t key) {
    const int32_t *page = t->pages[key >> PAGE_BITS];
    return page ? page[key & (PAGE - 1)] - 1 : -1;
}

/* Make room for key's entry before a new leaf gets it. 0, or -1 when out of memory. */
static int leaf_reserve(tree *t, uint32_t key) {
    int32_t **slot = &t->pages[key >> PAGE_BITS];
    if (!*slot) *slot = calloc(PAGE, sizeof **slot);
    return *slot ? 0 : -1;
}

/* A tree of room for `leaves` leaves besides NYT, and keys 0..nkeys-1. 0, or -1. */
static int tree_init(tree *t, size_t leaves, uint32_t nkeys, int vitter) {
    memset(t, 0, sizeof *t);
    size_t nodes = 2 * leaves + 1;
    t->wk = malloc(nodes * sizeof *t->wk);
    t->parent = malloc(nodes * sizeof *t->parent);
    t->child = malloc(2 * nodes * sizeof *t->child);
    t->key = malloc(nodes * sizeof *t->key);
    t->order = malloc(nodes * sizeof *t->order);
    t->pos = malloc(nodes * sizeof *t->pos);
    t->npages = ((size_t)nkeys + PAGE - 1) / PAGE;
    t->pages = calloc(t->npages ? t->npages : 1, sizeof *t->pages);
    if (!t->wk || !t->parent || !t->child || !t->key || !t->order || !t->pos || !t->pages) {
        tree_free(t);
        return -1;
    }
    t->wk[0] = 0;
    t->parent[0] = -1;
    t->child[0] = t->child[1] = -1;
    t->key[0] = 0;
    t->order[0] = 0;
    t->pos[0] = 0;
    t->nnodes = 1;
    t->nyt = 0;
    t->vitter = vitter;
    return 0;
}

/* Exchange the tree positions (parent slot and implicit number) of a and b. */
PFX_INLINE void swap_nodes(tree *t, int32_t a, int32_t b) {
    int32_t pa = t->parent[a], pb = t->parent[b];
    int32_t *c = t->child;
    if (pa == pb) {
        int32_t x = c[2 * pa];
        c[2 * pa] = c[2 * pa + 1];
        c[2 * pa + 1] = x;
    } else {
        c[2 * pa + (c[2 * pa] != a)] = b;
        c[2 * pb + (c[2 * pb] != b)] = a;
        t->parent[a] = pb;
        t->parent[b] = pa;
    }
    int32_t ia = t->pos[a], ib = t->pos[b];
    uint64_t x = t->wk[ia];
    t->wk[ia] = t->wk[ib];
    t->wk[ib] = x;
    t->order[ia] = b;
    t->order[ib] = a;
    t->pos[a] = ib;
    t->pos[b] = ia;
}

/* The NYT leaf becomes an internal node over a new NYT (bit 0) and a new leaf for key
 * (bit 1). Returns the former NYT; the leaf is *leaf. */
static int32_t split_nyt(tree *t, uint32_t key, int32_t *leaf) {
    int32_t old = t->nyt, l = t->nnodes, n = l + 1;
    for (int32_t node = l; node <= n; node++) {
        t->wk[node] = 0; /* a leaf of weight 0 */
        t->parent[node] = old;
        t->child[2 * node] = t->child[2 * node + 1] = -1;
        t->key[node] = 0;
        t->pos[node] = node; /* positions and node numbers grow together at the end */
        t->order[node] = node;
    }
    t->key[l] = key;
    t->wk[t->pos[old]] |= 1; /* now an internal node */
    t->child[2 * old] = n;
    t->child[2 * old + 1] = l;
    t->nyt = n;
    t->nnodes += 2;
    t->pages[key >> PAGE_BITS][key & (PAGE - 1)] = l + 1; /* reserved by the caller */
    *leaf = l;
    return old;
}

/* The highest-numbered node of node's block: its weight (and, same_kind, its kind). */
PFX_INLINE int32_t block_leader(const tree *t, int32_t node, int same_kind) {
    const uint64_t *wk = t->wk;
    int32_t i = t->pos[node];
    if (same_kind) {
        const uint64_t v = wk[i];
        while (i > 0 && wk[i - 1] == v) i--;
    } else {
        const uint64_t w = wk[i] >> 1;
        while (i > 0 && wk[i - 1] >> 1 == w) i--;
    }
    return t->order[i];
}

static void update_fgk(tree *t, uint32_t key) {
    int32_t q = leaf_of(t, key);
    if (q < 0) split_nyt(t, key, &q);
    while (q >= 0) {
        int32_t lead = block_leader(t, q, 0);
        if (lead == t->parent[q]) {
            /* q's sibling is NYT: take the highest node of the block below the parent */
            int32_t next = t->order[t->pos[lead] + 1];
            lead = t->wk[t->pos[next]] >> 1 == t->wk[t->pos[q]] >> 1 ? next : q;
        }
        if (lead != q) swap_nodes(t, q, lead);
        t->wk[t->pos[q]] += 2;
        q = t->parent[q];
    }
}

static int32_t slide_and_increment(tree *t, int32_t p) {
    const int32_t former_parent = t->parent[p];
    int32_t i = t->pos[p];
    const uint64_t v = t->wk[i];
    const int leaf = !(v & 1);
    /* a leaf of weight w slides past the internal nodes of weight w, an internal node
     * of weight w past the leaves of weight w + 1 */
    const uint64_t past = leaf ? v | 1 : v + 1;
    int32_t j = i;
    while (j > 0 && t->wk[j - 1] == past) j--;
    if (j < i) {
        /* Swapping p with its predecessor, position by position from i down to j (as
         * stream.py does), is a rotation: p takes the place of the node at j, and each
         * node at k = j..i-1 the place (parent slot and position) of the one at k + 1. */
        int32_t *child = t->child, *parent = t->parent, *order = t->order, *pos = t->pos;
        uint64_t *wk = t->wk;
        int32_t slot_parent = parent[p];
        int slot_side = child[2 * slot_parent + 1] == p;
        for (int32_t k = i - 1; k >= j; k--) {
            const int32_t node = order[k];
            const int32_t up = parent[node];
            const int side = child[2 * up + 1] == node;
            child[2 * slot_parent + slot_side] = node;
            parent[node] = slot_parent;
            slot_parent = up;
            slot_side = side;
            order[k + 1] = node;
            pos[node] = k + 1;
            wk[k + 1] = wk[k];
        }
        child[2 * slot_parent + slot_side] = p;
        parent[p] = slot_parent;
        order[j] = p;
        pos[p] = j;
        wk[j] = v;
        i = j;
    }
    t->wk[i] += 2;
    return leaf ? t->parent[p] : former_parent;
}

static void update_vitter(tree *t, uint32_t key) {
    int32_t leaf_to_increment = -1;
    int32_t q = leaf_of(t, key);
    if (q < 0) {
        q = split_nyt(t, key, &leaf_to_increment);
    } else {
        int32_t lead = block_leader(t, q, 1);
        if (lead != q) swap_nodes(t, q, lead);
        int32_t up = t->parent[q];
        if (up >= 0 && (t->child[2 * up] == t->nyt || t->child[2 * up + 1] == t->nyt)) {
            leaf_to_increment = q;
            q = up;
        }
    }
    while (q >= 0) q = slide_and_increment(t, q);
    if (leaf_to_increment >= 0) slide_and_increment(t, leaf_to_increment);
}

PFX_INLINE void tree_update(tree *t, uint32_t key) {
    if (t->vitter)
        update_vitter(t, key);
    else
        update_fgk(t, key);
}

/* ---- the fixed form of a new symbol --------------------------------------------- */
/* n = 2**e + r, 0 <= r < 2**e */
static void truncated_params(uint32_t n, int *e, uint32_t *r) {
    int b = 0;
    while (b < 31 && (UINT32_C(1) << (b + 1)) <= n) b++;
    *e = b;
    *r = n - (UINT32_C(1) << b);
}

/* UTF-8 of code point c (not a surrogate, at most 0x10FFFF) into out; its length. */
static int utf8_encode(uint32_t c, uint8_t out[4]) {
    if (c < 0x80) {
        out[0] = (uint8_t)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (uint8_t)(0xC0 | (c >> 6));
        out[1] = (uint8_t)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (c >> 12));
        out[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | (c >> 18));
    out[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (c & 0x3F));
    return 4;
}

/* The code point of the n bytes b (lead byte first, n = 1..4), or -1 when they are not
 * UTF-8 as Python's strict decoder takes it (no overlong forms, no surrogates, nothing
 * above 0x10FFFF). */
static int32_t utf8_decode(const uint8_t *b, int n) {
    uint8_t lead = b[0];
    if (n == 1) return lead < 0x80 ? lead : -1;
    for (int j = 1; j < n; j++)
        if ((b[j] & 0xC0) != 0x80) return -1;
    if (n == 2) return lead >= 0xC2 ? (int32_t)(((lead & 0x1Fu) << 6) | (b[1] & 0x3Fu)) : -1;
    if (n == 3) {
        if ((lead == 0xE0 && b[1] < 0xA0) || (lead == 0xED && b[1] >= 0xA0)) return -1;
        return (int32_t)(((lead & 0x0Fu) << 12) | ((b[1] & 0x3Fu) << 6) | (b[2] & 0x3Fu));
    }
    if (lead > 0xF4 || (lead == 0xF0 && b[1] < 0x90) || (lead == 0xF4 && b[1] >= 0x90)) return -1;
    return (int32_t)(((lead & 0x07u) << 18) | ((b[1] & 0x3Fu) << 12) | ((b[2] & 0x3Fu) << 6) | (b[3] & 0x3Fu));
}

/* ---- encoding ------------------------------------------------------------------- */
typedef struct {
    uint8_t *buf;
    size_t cap, len; /* bytes allocated, bytes written */
    uint64_t acc;    /* the low n bits are pending, oldest first */
    int n;
} writer;

/* Room for `bits` more bits; 0, or -1 when out of memory. */
static int writer_reserve(writer *w, uint64_t bits) {
    uint64_t need = (uint64_t)w->len + bits / 8 + 16;
    if (need <= w->cap) return 0;
    uint64_t cap = w->cap ? w->cap : 256;
    while (cap < need) cap *= 2;
    if (cap > (uint64_t)SIZE_MAX) return -1;
    uint8_t *b = realloc(w->buf, (size_t)cap);
    if (!b) return -1;
    w->buf = b;
    w->cap = (size_t)cap;
    return 0;
}

PFX_INLINE void writer_put(writer *w, uint64_t v, int count) { /* count <= 56, room reserved */
    w->acc = (w->acc << count) | v;
    w->n += count;
    while (w->n >= 8) {
        w->n -= 8;
        w->buf[w->len++] = (uint8_t)(w->acc >> w->n);
    }
}

#define CHUNK 56

int64_t pfx_adaptive_encode(const uint32_t *keys, size_t n, uint32_t nkeys, int vitter, uint8_t **out,
                            uint64_t *nbits) {
    *out = NULL;
    *nbits = 0;
    /* the keys that may occur, and how many leaves they can make */
    uint32_t space = nkeys ? nkeys : NO_ALPHABET_KEYS, top = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t key = keys[k];
        if (key < space && key >= top) top = key + 1;
    }
    size_t leaves = n < top ? n : top;
    tree t;
    if (tree_init(&t, leaves, top, vitter) < 0) return -2;
    int e = 0;
    uint32_t r = 0;
    if (nkeys) truncated_params(nkeys, &e, &r);
    /* a codeword, read from the leaf up: CHUNK-bit pieces, the last bits first */
    uint64_t *spill = malloc(((2 * leaves + 1) / CHUNK + 2) * sizeof *spill);
    writer w = {NULL, 0, 0, 0, 0};
    int64_t result = -1;
    if (!spill || writer_reserve(&w, 1024) < 0) {
        result = -2;
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        const uint32_t key = keys[k];
        /* a key another thread changed since the first pass is refused as well */
        if (PFX_UNLIKELY(key >= top)) {
            result = (int64_t)k;
            goto done;
        }
        int32_t node = leaf_of(&t, key);
        const int fresh = node < 0;
        uint64_t escape = 0;
        int escape_bits = 0;
        if (fresh) {
            if (leaf_reserve(&t, key) < 0) {
                result = -2;
                goto done;
            }
            node = t.nyt;
            if (nkeys) {
                if (key < 2 * r) {
                    escape = key;
                    escape_bits = e + 1;
                } else {
                    escape = key - r;
                    escape_bits = e;
                }
            } else if (key < 256) {
                escape = 0x100u | key;
                escape_bits = 9;
            } else {
                uint32_t c = key - 256;
                if (c >= 0xD800 && c <= 0xDFFF) { /* no UTF-8 form: the caller names it */
                    result = (int64_t)k;
                    goto done;
                }
                uint8_t b[4];
                int len = utf8_encode(c, b);
                for (int j = 0; j < len; j++) escape = (escape << 8) | b[j];
                escape_bits = 1 + 8 * len;
            }
        }
        uint64_t acc = 0;
        int cnt = 0;
        size_t nspill = 0;
        uint64_t depth = 0;
        for (int32_t up = t.parent[node]; up >= 0; node = up, up = t.parent[node]) {
            acc |= (uint64_t)(t.child[2 * up + 1] == node) << cnt;
            depth++;
            if (++cnt == CHUNK) {
                spill[nspill++] = acc;
                acc = 0;
                cnt = 0;
            }
        }
        if (writer_reserve(&w, depth + 64) < 0) {
            result = -2;
            goto done;
        }
        if (cnt) writer_put(&w, acc, cnt);
        while (nspill) writer_put(&w, spill[--nspill], CHUNK);
        if (escape_bits) writer_put(&w, escape, escape_bits);
        tree_update(&t, key);
    }
    *nbits = (uint64_t)w.len * 8 + (uint64_t)w.n;
    if (w.n) w.buf[w.len++] = (uint8_t)(w.acc << (8 - w.n));
    *out = w.buf;
    w.buf = NULL;
done:
    free(w.buf);
    free(spill);
    tree_free(&t);
    return result;
}

/* ---- decoding ------------------------------------------------------------------- */
PFX_INLINE unsigned bit_at(const uint8_t *buf, uint64_t pos) { return (buf[pos >> 3] >> (7 - (pos & 7))) & 1u; }

/* count bits from pos (the caller checked pos + count <= nbits), most significant first */
static uint32_t take_bits(const uint8_t *buf, uint64_t pos, int count) {
    uint32_t v = 0;
    for (int j = 0; j < count; j++) v = (v << 1) | bit_at(buf, pos + (uint64_t)j);
    return v;
}

/* Read the fixed form of a new symbol at *pos into *key, reading as stream.py's
 * _read_escape does (piece by piece, each piece checked before it is read). Returns
 * PFX_AH_OK; PFX_AH_END_ESCAPE when the bits end in the piece starting at *where; or
 * PFX_AH_BAD_UTF8 when the form starting at *where is not UTF-8. */
static int read_escape(const uint8_t *buf, uint64_t nbits, uint64_t *pos, uint32_t nkeys, int e, uint32_t r,
                       uint32_t *key, uint64_t *where) {
    uint64_t p = *pos;
    if (nkeys) {
        if (p + (uint64_t)e > nbits) goto early;
        uint32_t j = take_bits(buf, p, e);
        p += (uint64_t)e;
        if (j < r) {
            if (p + 1 > nbits) goto early;
            j = 2 * j + bit_at(buf, p);
            p++;
        } else {
            j += r;
        }
        *key = j;
        *pos = p;
        return PFX_AH_OK;
    }
    const uint64_t start = p;
    if (p + 1 > nbits) goto early;
    const unsigned flag = bit_at(buf, p++);
    uint8_t b[4];
    if (p + 8 > nbits) goto early;
    b[0] = (uint8_t)take_bits(buf, p, 8);
    p += 8;
    if (flag) {
        *key = b[0];
        *pos = p;
        return PFX_AH_OK;
    }
    const uint8_t lead = b[0];
    const int extra = lead < 0x80 ? 0 : lead >> 5 == 6 ? 1 : lead >> 4 == 14 ? 2 : lead >> 3 == 30 ? 3 : 0;
    for (int j = 1; j <= extra; j++) {
        if (p + 8 > nbits) goto early;
        b[j] = (uint8_t)take_bits(buf, p, 8);
        p += 8;
    }
    const int32_t c = utf8_decode(b, 1 + extra);
    if (c < 0) {
        *where = start;
        return PFX_AH_BAD_UTF8;
    }
    *key = 256u + (uint32_t)c;
    *pos = p;
    return PFX_AH_OK;
early:
    *where = p;
    return PFX_AH_END_ESCAPE;
}

int pfx_adaptive_decode(const uint8_t *buf, uint64_t nbits, uint64_t n, size_t cap, uint32_t nkeys, int vitter,
                        uint32_t *out, size_t *count, uint64_t *where, uint32_t *bad_key) {
    *count = 0;
    *where = 0;
    *bad_key = 0;
    const uint32_t space = nkeys ? nkeys : NO_ALPHABET_KEYS;
    tree t;
    if (tree_init(&t, cap < space ? cap : space, space, vitter) < 0) return PFX_AH_NOMEM;
    int e = 0;
    uint32_t r = 0;
    if (nkeys) truncated_params(nkeys, &e, &r);
    int status = PFX_AH_OK;
    uint64_t pos = 0;
    size_t k = 0;
    /* n == PFX_AH_UNTIL_END: symbols until the bits run out */
    while (n == PFX_AH_UNTIL_END ? pos < nbits : (uint64_t)k < n) {
        const uint64_t start = pos;
        int32_t node = t.order[0];
        while (t.child[2 * node] >= 0) {
            if (pos >= nbits) {
                status = PFX_AH_END_CODEWORD;
                *where = start;
                goto done;
            }
            node = t.child[2 * node + bit_at(buf, pos)];
            pos++;
        }
        uint32_t key;
        if (node == t.nyt) {
            status = read_escape(buf, nbits, &pos, nkeys, e, r, &key, where);
            if (status != PFX_AH_OK) goto done;
            if (leaf_of(&t, key) >= 0) {
                status = PFX_AH_SEEN;
                *where = start;
                *bad_key = key;
                goto done;
            }
            if (leaf_reserve(&t, key) < 0) {
                status = PFX_AH_NOMEM;
                goto done;
            }
        } else {
            key = t.key[node];
        }
        if (PFX_UNLIKELY(k >= cap)) { /* not when cap >= nbits + 1: each symbol but the first takes a bit */
            status = PFX_AH_FULL;
            goto done;
        }
        out[k++] = key;
        tree_update(&t, key);
    }
    if (pos < nbits) {
        status = PFX_AH_LEFT_OVER;
        *where = pos;
    }
done:
    *count = k;
    tree_free(&t);
    return status;
}

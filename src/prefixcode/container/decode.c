/* The container's decoder. Every length read from the input is checked before it is
 * used: a block's declared sizes against the bytes that back it, a table against the
 * format's rules, a stream against its declared end (docs/format.md, "Damaged input"). */
#include "../_core/core.h"
#include "format.h"
#include "pfx.h"

/* ---- varints and the code-length table ----------------------------------------------- */
/* A varint at src[*pos] (before end): PFX_OK, PFX_TRUNCATED or PFX_E_VARINT. */
PFX_INLINE int get_varint(const uint8_t *src, size_t end, size_t *pos, uint32_t *value) {
    uint32_t v = 0;
    size_t q = *pos;
    for (int k = 0; k < 4; k++) {
        if (q >= end) return PFX_TRUNCATED;
        uint32_t b = src[q++];
        v |= (b & 0x7F) << (7 * k);
        if (b < 0x80) {
            if (b == 0 && k > 0) return PFX_E_VARINT; /* not the shortest form */
            *pos = q;
            *value = v;
            return PFX_OK;
        }
    }
    return PFX_E_VARINT;
}

int pfx_decode_lengths(const uint8_t *src, size_t end, uint8_t lengths[256]) {
    size_t p = 0;
    uint64_t b = 0;
    int c = 0;
    uint8_t ml[PFX_META_SYMBOLS];
    for (int s = 0; s < PFX_META_SYMBOLS; s++) {
        while (c < 3) {
            if (p < end) b |= (uint64_t)src[p] << c;
            p++;
            c += 8;
        }
        ml[s] = b & 7;
        b >>= 3;
        c -= 3;
    }
    int present = 0;
    uint32_t kraft = 0;
    for (int s = 0; s < PFX_META_SYMBOLS; s++)
        if (ml[s]) {
            present++;
            kraft += 1u << (PFX_META_BITS - ml[s]);
        }
    if (present == 0) return -1;
    if (present == 1 ? kraft != 1u << (PFX_META_BITS - 1) : kraft != 1u << PFX_META_BITS) return -1;
    uint16_t mt[1 << PFX_META_BITS];
    pfx_decoding_table(ml, PFX_META_SYMBOLS, PFX_META_BITS, mt);
    for (int i = 0; i < 256;) {
        if (c <= 48) {
            if (end >= 8 && p <= end - 8) { /* whole bytes up to 49..56 bits, in one load
                                               (bits loaded twice are the same bits) */
                b |= pfx_load64le(src + p) << c;
                p += (size_t)((56 - c) >> 3);
                c += (56 - c) & ~7;
            } else {
                while (c <= 48) {
                    if (p < end) b |= (uint64_t)src[p] << c;
                    p++;
                    c += 8;
                }
            }
        }
        unsigned e = mt[b & ((1u << PFX_META_BITS) - 1)];
        if (e == 0xFFFF) return -2; /* (a single meta symbol: the other bit value) */
        int l = (int)(e & 255), s = (int)(e >> 8), r, fill;
        b >>= l;
        c -= l;
        if (s <= 11) {
            lengths[i++] = (uint8_t)s;
            continue;
        }
        if (s == 12) {
            r = 3 + (int)(b & 3);
            b >>= 2;
            c -= 2;
            if (i == 0 || lengths[i - 1] == 0) return -3;
            fill = lengths[i - 1];
        } else if (s == 13) {
            r = 3 + (int)(b & 7);
            b >>= 3;
            c -= 3;
            fill = 0;
        } else {
            r = 11 + (int)(b & 127);
            b >>= 7;
            c -= 7;
            fill = 0;
        }
        if (i + r > 256) return -4;
        memset(lengths + i, fill, (size_t)r);
        i += r;
    }
    /* exactly the given bytes, with zero padding bits */
    int64_t left = ((int64_t)end - (int64_t)p) * 8 + c;
    if (left < 0 || left >= 8 || b != 0) return -5;
    /* (no branch on each length: absent symbols are scattered over the byte values) */
    static const uint16_t space[16] = {0, 1024, 512, 256, 128, 64, 32, 16, 8, 4, 2, 1, 0, 0, 0, 0};
    int too_long = 0;
    present = 0;
    kraft = 0;
    for (int s = 0; s < 256; s++) {
        unsigned l = lengths[s];
        too_long |= l > PFX_CODE_BITS;
        present += l != 0;
        kraft += space[l & 15]; /* 2**(11 - l) */
    }
    if (too_long) return -6;
    if (present < 2 || kraft != 1u << PFX_CODE_BITS) return -7;
    return 0;
}

/* ---- the four streams ---------------------------------------------------------------- */
#define MASK ((1u << PFX_CODE_BITS) - 1)
#define PER_LOAD (57 / PFX_CODE_BITS) /* a load at a bit position gives >= 57 valid bits */
#define SENTINEL (UINT64_C(1) << 63)
#ifndef PFX_X2_MIN
#define PFX_X2_MIN 8192 /* blocks from this size on decode two symbols per look-up */
#endif

/* Finish one stream carefully: bit position q, stream end at byte e (nothing is read
 * past it), output out[o..oe). It must end exactly in its last byte, zero padded. */
static int finish_stream_slow(const uint8_t *src, uint64_t q, size_t e, const uint16_t *table, uint8_t *out,
                              size_t o, size_t oe) {
    size_t p = (size_t)(q >> 3);
    int64_t c;
    uint64_t b;
    if (p >= e) { /* nothing left (or, with q & 7, already past the end) */
        b = 0;
        c = -(int64_t)(q & 7);
    } else {
        b = (uint64_t)src[p] >> (q & 7);
        c = 8 - (int64_t)(q & 7);
        p++;
    }
    while (o < oe) {
        while (c <= 55) {
            if (p < e) b |= (uint64_t)src[p] << c;
            p++;
            c += 8;
        }
        unsigned ent = table[b & MASK];
        out[o++] = (uint8_t)(ent >> 8);
        b >>= ent & 63;
        c -= ent & 63;
        if (p > e + 8) return 0;
    }
    int64_t left = ((int64_t)e - (int64_t)p) * 8 + c;
    return left >= 0 && left < 8 && b == 0;
}

/* The same, for the usual case of a few bytes left after the fast rounds: they are
 * copied into a zero-padded buffer, which then serves 8-byte loads as the input does. */
static int finish_stream(const uint8_t *src, uint64_t q, size_t e, const uint16_t *table, uint8_t *out, size_t o,
                         size_t oe) {
    size_t p = (size_t)(q >> 3);
    if (p > e || e - p > 48) return finish_stream_slow(src, q, e, table, out, o, oe);
    uint8_t buf[64] = {0};
    size_t bytes = e - p;
    memcpy(buf, src + p, bytes);
    uint64_t pos = q & 7, limit = 8 * (uint64_t)bytes; /* (at most 384: loads stay in buf) */
    while (o < oe) {
        if (pos > limit) return 0; /* past the end of the stream */
        unsigned ent = table[(pfx_load64le(buf + (pos >> 3)) >> (pos & 7)) & MASK];
        out[o++] = (uint8_t)(ent >> 8);
        pos += ent & 63;
    }
    /* the stream ends in its last byte, with zero bits after the last codeword */
    if (pos > limit || limit - pos >= 8) return 0;
    return pos == limit || (buf[bytes - 1] >> (pos - (limit - 8))) == 0;
}

/* Decode the 4 streams at src (sizes[]) into out[0..n): each stream keeps only its bit
 * position; one 8-byte load at each position decodes 5 symbols of each stream, so four
 * independent chains of look-ups overlap; the quarters advance in step, so one output
 * index serves them all. The fast rounds may read any of the `avail` bytes from src on
 * (a stream's own, the next ones', what follows the block): a stream that overruns its
 * end is caught when it is finished, so only the last few symbols of each stream take
 * the careful way. The code is complete with lengths <= 11 (checked by
 * pfx_decode_lengths). Returns 1 when every stream ends exactly at its last byte. */
static int decode_streams(const uint8_t *restrict src, size_t avail, const uint32_t sizes[4],
                          const uint16_t *restrict table, uint8_t *restrict out, size_t n) {
    size_t base = n / 4, rem = n % 4;
    size_t d1 = base + (rem > 0), d2 = d1 + base + (rem > 1), d3 = d2 + base + (rem > 2);
    size_t e0 = sizes[0], e1 = e0 + sizes[1], e2 = e1 + sizes[2], e3 = e2 + sizes[3];
    uint64_t q0 = 0, q1 = 8 * (uint64_t)e0, q2 = 8 * (uint64_t)e1, q3 = 8 * (uint64_t)e2;
    size_t o = 0;
    for (;;) {
        /* rounds safe without checks: a round reads 8 bytes and advances <= 55 bits */
        int64_t rounds = (int64_t)(n - d3 - o) / PER_LOAD, r;
        /* (q0 <= q1 <= q2 <= q3 while every stream keeps to its own bytes; should one
           overrun, it is the farthest that counts) */
        uint64_t far = q0 > q1 ? q0 : q1;
        far = far > q2 ? far : q2;
        far = far > q3 ? far : q3;
        r = (int64_t)((8 * (uint64_t)avail - far) / 56) - 1;
        if (r < rounds) rounds = r;
        if (rounds <= 0) break;
        while (rounds-- > 0) {
            /* a sentinel bit on top: after the round, the bits consumed are its distance
               from bit 63 (no more than 55 are, so it never reaches the low end) */
            uint64_t b0 = (pfx_load64le(src + (q0 >> 3)) >> (q0 & 7)) | SENTINEL;
            uint64_t b1 = (pfx_load64le(src + (q1 >> 3)) >> (q1 & 7)) | SENTINEL;
            uint64_t b2 = (pfx_load64le(src + (q2 >> 3)) >> (q2 & 7)) | SENTINEL;
            uint64_t b3 = (pfx_load64le(src + (q3 >> 3)) >> (q3 & 7)) | SENTINEL;
            for (int k = 0; k < PER_LOAD; k++) {
                unsigned t0 = table[b0 & MASK], t1 = table[b1 & MASK];
                unsigned t2 = table[b2 & MASK], t3 = table[b3 & MASK];
                out[o] = (uint8_t)(t0 >> 8);
                out[o + d1] = (uint8_t)(t1 >> 8);
                out[o + d2] = (uint8_t)(t2 >> 8);
                out[o + d3] = (uint8_t)(t3 >> 8);
                b0 >>= t0 & 63;
                b1 >>= t1 & 63;
                b2 >>= t2 & 63;
                b3 >>= t3 & 63;
                o++;
            }
            q0 += (uint64_t)pfx_clz64(b0);
            q1 += (uint64_t)pfx_clz64(b1);
            q2 += (uint64_t)pfx_clz64(b2);
            q3 += (uint64_t)pfx_clz64(b3);
        }
    }
    return finish_stream(src, q0, e0, table, out, o, d1) && finish_stream(src, q1, e1, table, out, o + d1, d2) &&
           finish_stream(src, q2, e2, table, out, o + d2, d3) && finish_stream(src, q3, e3, table, out, o + d3, n);
}

/* Two symbols per look-up (the idea of Huff0's double-symbol tables in zstd): an entry
 * of the 2**11-entry table holds the first symbol of the peeked bits and, when the bits
 * left after it hold a whole second codeword, that one too:
 * sym1 | sym2 << 8 | bits used << 16 | symbols << 24 (the symbols where one store takes
 * them, the counts where one shift does). Built by doubling, as the
 * one-symbol table is: the table for peeks of w - 1 bits, copied once, is the table for
 * w bits before what w bits newly decode goes in: the first symbols of length w alone,
 * and the pairs of lengths l1 + l2 = w (each at the index of its two reversed codes). */
static void double_table(const pfx_code_order *c, uint32_t *two) {
    two[0] = 0; /* (nothing decodes from 0 bits; the code is complete, so every entry is
                   overwritten by the time the table is 11 bits wide) */
    size_t width = 1;
    for (int w = 1; w <= PFX_CODE_BITS; w++) {
        memcpy(two + width, two, width * sizeof *two);
        width *= 2;
        for (int j = c->start[w]; j < c->start[w + 1]; j++) {
            int s = c->order[j];
            two[c->rc[s]] = (uint32_t)s | (uint32_t)w << 16 | 1u << 24;
        }
        for (int l1 = 1; l1 < w; l1++) {
            int l2 = w - l1, b0 = c->start[l2], b1 = c->start[l2 + 1];
            if (b0 == b1) continue;
            for (int a = c->start[l1]; a < c->start[l1 + 1]; a++) {
                int s1 = c->order[a];
                uint32_t first = (uint32_t)s1 | (uint32_t)w << 16 | 2u << 24, r1 = c->rc[s1];
                for (int b = b0; b < b1; b++) {
                    int s2 = c->order[b];
                    two[r1 | c->rc[s2] << l1] = first | (uint32_t)s2 << 8;
                }
            }
        }
    }
}

/* Whether a two-symbol table pays for its making: when, for data distributed as the code
 * implies (2**-length), at least a quarter of the look-ups give two symbols. Near-random
 * data has long codes that never pair up in 11 bits. */
static int pairs_pay(const pfx_code_order *c) {
    /* fit[r] = the code space (scaled by 2**11) of the codewords of at most r bits */
    uint32_t fit[PFX_CODE_BITS + 1] = {0};
    for (int r = 1; r <= PFX_CODE_BITS; r++)
        fit[r] = fit[r - 1] + ((uint32_t)(c->start[r + 1] - c->start[r]) << (PFX_CODE_BITS - r));
    uint64_t both = 0; /* scaled by 2**22 */
    for (int l = 1; l <= PFX_CODE_BITS; l++)
        both += (uint64_t)((uint32_t)(c->start[l + 1] - c->start[l]) << (PFX_CODE_BITS - l)) * fit[PFX_CODE_BITS - l];
    return both * 4 >= (UINT64_C(1) << (2 * PFX_CODE_BITS));
}

PFX_INLINE void put2(uint8_t *p, uint32_t e) {
    uint16_t v = (uint16_t)e;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = (uint16_t)((v >> 8) | (v << 8));
#endif
    memcpy(p, &v, 2);
}

/* The rest of one stream after the four-stream rounds of decode_streams_x2, which stop
 * when the first quarter nears its end: the streams advance apart, so others may have
 * much left. One stream alone, then carefully its last symbols. */
static int finish_x2(const uint8_t *restrict src, size_t avail, uint64_t q, size_t e, const uint16_t *restrict one,
                     const uint32_t *restrict two, uint8_t *restrict out, size_t o, size_t end) {
    const size_t room = 2 * PER_LOAD + 1;
    while (end - o >= room && q <= 8 * (uint64_t)e && 8 * (uint64_t)avail - q >= 2 * 56) {
        uint64_t b = (pfx_load64le(src + (q >> 3)) >> (q & 7)) | SENTINEL;
        for (int k = 0; k < PER_LOAD; k++) {
            uint32_t t = two[b & MASK];
            put2(out + o, t);
            o += t >> 24;
            b >>= (t >> 16) & 63;
        }
        q += (uint64_t)pfx_clz64(b);
    }
    return finish_stream(src, q, e, one, out, o, end);
}

/* As decode_streams, with the two-symbol table: the streams' outputs advance apart, each
 * by one or two bytes a look-up (a look-up stores two bytes; the second is overwritten
 * by the next symbol, or lies in the room kept before the quarter's end). */
static int decode_streams_x2(const uint8_t *restrict src, size_t avail, const uint32_t sizes[4],
                             const uint16_t *restrict one, const uint32_t *restrict two, uint8_t *restrict out,
                             size_t n) {
    size_t base = n / 4, rem = n % 4;
    size_t d1 = base + (rem > 0), d2 = d1 + base + (rem > 1), d3 = d2 + base + (rem > 2);
    size_t e0 = sizes[0], e1 = e0 + sizes[1], e2 = e1 + sizes[2], e3 = e2 + sizes[3];
    uint64_t q0 = 0, q1 = 8 * (uint64_t)e0, q2 = 8 * (uint64_t)e1, q3 = 8 * (uint64_t)e2;
    size_t o0 = 0, o1 = d1, o2 = d2, o3 = d3;
    const size_t room = 2 * PER_LOAD + 1; /* bytes a round may touch past its output position */
    for (;;) {
        int64_t rounds = INT64_MAX, r;
#define LIMIT(o, end)                                                                  \
    r = (int64_t)((end) - (o) >= room ? ((end) - (o) - room) / (2 * PER_LOAD) + 1 : 0); \
    if (r < rounds) rounds = r;
        LIMIT(o0, d1)
        LIMIT(o1, d2)
        LIMIT(o2, d3)
        LIMIT(o3, n)
#undef LIMIT
        uint64_t far = q0 > q1 ? q0 : q1; /* (as in decode_streams) */
        far = far > q2 ? far : q2;
        far = far > q3 ? far : q3;
        r = (int64_t)((8 * (uint64_t)avail - far) / 56) - 1;
        if (r < rounds) rounds = r;
        if (rounds <= 0) break;
        while (rounds-- > 0) {
            uint64_t b0 = (pfx_load64le(src + (q0 >> 3)) >> (q0 & 7)) | SENTINEL;
            uint64_t b1 = (pfx_load64le(src + (q1 >> 3)) >> (q1 & 7)) | SENTINEL;
            uint64_t b2 = (pfx_load64le(src + (q2 >> 3)) >> (q2 & 7)) | SENTINEL;
            uint64_t b3 = (pfx_load64le(src + (q3 >> 3)) >> (q3 & 7)) | SENTINEL;
            for (int k = 0; k < PER_LOAD; k++) {
                uint32_t t0 = two[b0 & MASK], t1 = two[b1 & MASK], t2 = two[b2 & MASK], t3 = two[b3 & MASK];
                put2(out + o0, t0);
                put2(out + o1, t1);
                put2(out + o2, t2);
                put2(out + o3, t3);
                o0 += t0 >> 24;
                o1 += t1 >> 24;
                o2 += t2 >> 24;
                o3 += t3 >> 24;
                b0 >>= (t0 >> 16) & 63;
                b1 >>= (t1 >> 16) & 63;
                b2 >>= (t2 >> 16) & 63;
                b3 >>= (t3 >> 16) & 63;
            }
            q0 += (uint64_t)pfx_clz64(b0);
            q1 += (uint64_t)pfx_clz64(b1);
            q2 += (uint64_t)pfx_clz64(b2);
            q3 += (uint64_t)pfx_clz64(b3);
        }
    }
    return finish_x2(src, avail, q0, e0, one, two, out, o0, d1) && finish_x2(src, avail, q1, e1, one, two, out, o1, d2) &&
           finish_x2(src, avail, q2, e2, one, two, out, o2, d3) && finish_x2(src, avail, q3, e3, one, two, out, o3, n);
}

/* ---- blocks ------------------------------------------------------------------------ */
int pfx_parse_block(const uint8_t *src, size_t end, size_t pos, pfx_block *b) {
    if (pos >= end) return PFX_TRUNCATED;
    int kind = src[pos];
    b->kind = kind;
    if (kind == PFX_BLOCK_END) {
        b->next = pos;
        return PFX_OK;
    }
    if (kind > PFX_BLOCK_CODED) return PFX_E_BLOCK_TYPE;
    size_t q = pos + 1;
    int st = get_varint(src, end, &q, &b->n);
    if (st != PFX_OK) return st;
    if (b->n == 0 || b->n > PFX_MAX_BLOCK) return PFX_E_BLOCK_LENGTH;
    if (kind == PFX_BLOCK_RAW) {
        if (end - q < b->n) return PFX_TRUNCATED;
        b->payload = q;
        b->next = q + b->n;
        return PFX_OK;
    }
    if (kind == PFX_BLOCK_RUN) {
        if (q >= end) return PFX_TRUNCATED;
        b->payload = q;
        b->next = q + 1;
        return PFX_OK;
    }
    st = get_varint(src, end, &q, &b->tsize);
    if (st != PFX_OK) return st;
    if (b->tsize == 0 || b->tsize > PFX_MAX_TABLE) return PFX_E_TABLE_SIZE;
    if (end - q < b->tsize) return PFX_TRUNCATED;
    b->table = q;
    q += b->tsize;
    uint64_t total = 0;
    for (int k = 0; k < 4; k++) {
        st = get_varint(src, end, &q, &b->sizes[k]);
        if (st != PFX_OK) return st;
        total += b->sizes[k];
    }
    /* coded blocks are smaller than raw ones, and every byte takes >= 1 bit */
    if (total >= b->n || b->n > 8 * total) return PFX_E_STREAM_SIZES;
    if (end - q < total) return PFX_TRUNCATED;
    b->payload = q;
    b->next = q + (size_t)total;
    b->avail = end - q;
    return PFX_OK;
}

int pfx_decode_block(const uint8_t *src, const pfx_block *b, uint8_t *dst) {
    if (b->kind == PFX_BLOCK_RAW) {
        memcpy(dst, src + b->payload, b->n);
    } else if (b->kind == PFX_BLOCK_RUN) {
        memset(dst, src[b->payload], b->n);
    } else {
        uint8_t lengths[256];
        uint16_t table[1 << PFX_CODE_BITS];
        pfx_code_order code;
        if (pfx_decode_lengths(src + b->table, b->tsize, lengths) != 0) return PFX_E_TABLE;
        pfx_canonical_order(lengths, 256, &code);
        pfx_decoding_table_of(&code, PFX_CODE_BITS, table);
        int ok;
        if (b->n >= PFX_X2_MIN && pairs_pay(&code)) {
            uint32_t two[1 << PFX_CODE_BITS];
            double_table(&code, two);
            ok = decode_streams_x2(src + b->payload, b->avail, b->sizes, table, two, dst, b->n);
        } else {
            ok = decode_streams(src + b->payload, b->avail, b->sizes, table, dst, b->n);
        }
        if (!ok) return PFX_E_STREAM;
    }
    return PFX_OK;
}

int pfx_check_header(const uint8_t *src, size_t n, size_t pos) {
    size_t have = n - pos;
    if (memcmp(src + pos, PFX_MAGIC, have < 4 ? have : 4) != 0) return PFX_E_MAGIC;
    if (have < PFX_HEADER_SIZE) return PFX_TRUNCATED;
    if (src[pos + 4] != PFX_VERSION) return PFX_E_VERSION;
    if (src[pos + 5] != 0) return PFX_E_FLAGS;
    return PFX_OK;
}

static uint64_t get_u64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

PFX_INLINE int fail(pfx_report *r, int status, size_t pos) {
    r->status = status;
    r->pos = pos;
    return status;
}

int pfx_decode_blocks(const uint8_t *src, size_t n, size_t pos, size_t stop_at, uint8_t *dst, size_t cap,
                      size_t *written, uint32_t *crc, pfx_report *r) {
    size_t o = 0;
    pfx_block b;
    while (pos < stop_at) {
        int st = pfx_parse_block(src, n, pos, &b);
        if (st != PFX_OK) {
            *written = o;
            return fail(r, st, pos);
        }
        if (b.kind == PFX_BLOCK_END) break;
        if (cap - o < b.n) {
            *written = o;
            r->computed = cap;
            return fail(r, PFX_E_LIMIT, pos);
        }
        st = pfx_decode_block(src, &b, dst + o);
        if (st != PFX_OK) {
            *written = o;
            return fail(r, st, st == PFX_E_TABLE ? b.table : b.payload);
        }
        *crc = pfx_crc32(*crc, dst + o, b.n);
        o += b.n;
        pos = b.next;
    }
    *written = o;
    r->status = PFX_OK;
    r->pos = pos;
    return PFX_OK;
}

int pfx_member_size(const uint8_t *src, size_t n, size_t pos, uint64_t *total, pfx_report *r) {
    r->stored = r->computed = 0;
    if (pos > n) return fail(r, PFX_TRUNCATED, n);
    int st = pfx_check_header(src, n, pos);
    if (st != PFX_OK) return fail(r, st, pos);
    pos += PFX_HEADER_SIZE;
    uint64_t sum = 0;
    pfx_block b;
    for (;;) {
        st = pfx_parse_block(src, n, pos, &b);
        if (st != PFX_OK) return fail(r, st, pos);
        if (b.kind == PFX_BLOCK_END) break;
        sum += b.n;
        pos = b.next;
    }
    if (n - pos < PFX_TRAILER_SIZE) return fail(r, PFX_TRUNCATED, pos);
    uint64_t stored = get_u64(src + pos + 1);
    if (stored != sum) {
        r->stored = stored;
        r->computed = sum;
        return fail(r, PFX_E_LENGTH, pos);
    }
    *total = sum;
    r->status = PFX_OK;
    r->pos = pos + PFX_TRAILER_SIZE;
    return PFX_OK;
}

int pfx_member_decode(const uint8_t *src, size_t n, size_t pos, uint8_t *dst, size_t cap, size_t *written,
                      pfx_report *r) {
    r->stored = r->computed = 0;
    *written = 0;
    if (pos > n) return fail(r, PFX_TRUNCATED, n);
    int st = pfx_check_header(src, n, pos);
    if (st != PFX_OK) return fail(r, st, pos);
    uint32_t crc = 0;
    st = pfx_decode_blocks(src, n, pos + PFX_HEADER_SIZE, n, dst, cap, written, &crc, r);
    if (st != PFX_OK) return st;
    pos = r->pos;
    if (pos >= n) return fail(r, PFX_TRUNCATED, pos);
    if (n - pos < PFX_TRAILER_SIZE) return fail(r, PFX_TRUNCATED, pos);
    uint64_t stored = get_u64(src + pos + 1);
    uint32_t stored_crc = (uint32_t)src[pos + 9] | (uint32_t)src[pos + 10] << 8 | (uint32_t)src[pos + 11] << 16 |
                          (uint32_t)src[pos + 12] << 24;
    if (stored != *written) {
        r->stored = stored;
        r->computed = *written;
        return fail(r, PFX_E_LENGTH, pos);
    }
    if (stored_crc != crc) {
        r->stored = stored_crc;
        r->computed = crc;
        return fail(r, PFX_E_CRC, pos);
    }
    r->status = PFX_OK;
    r->pos = pos + PFX_TRAILER_SIZE;
    return PFX_OK;
}

/* The container's encoder: block planning, code tables, the four streams, whole chunks
 * and whole members. docs/format.md describes every rule followed here. */
#include "../_core/core.h"
#include "format.h"
#include "pfx.h"

#include <stdlib.h>

/* ---- block planning: costs in units of 2^-24 bits, integers only ------------------- */
#define LOG_EXACT 8192
static uint64_t log_table[LOG_EXACT + 1]; /* LOG(c), 2^32 log2 c */
static uint64_t f_table[LOG_EXACT + 1];   /* F(c) = c LOG(c) >> 8 */

/* LOG(c) for odd c = first, first + 2, ..., eight at a time: the bits of log2 of the
 * mantissa y in [1, 2) (31 fraction bits), one per squaring. The eight squarings of a
 * step are independent, so they overlap instead of waiting for one another; the branch
 * on each bit is a shift by the bit itself. */
#define LOG_LANES 8
static void exact_logs(uint64_t first) {
    uint64_t y[LOG_LANES], frac[LOG_LANES];
    for (int l = 0; l < LOG_LANES; l++) {
        uint64_t c = first + 2 * (uint64_t)l;
        int e = 63 - __builtin_clzll(c);
        y[l] = c << (31 - e); /* in [1, 2) with 31 fraction bits */
        frac[l] = (uint64_t)e;
    }
    for (int i = 0; i < 32; i++)
        for (int l = 0; l < LOG_LANES; l++) {
            uint64_t v = ((uint64_t)(uint32_t)y[l] * (uint32_t)y[l]) >> 31; /* y < 2^32 */
            uint64_t bit = v >> 32;
            y[l] = v >> bit;
            frac[l] = (frac[l] << 1) | bit;
        }
    for (int l = 0; l < LOG_LANES; l++) log_table[first + 2 * (uint64_t)l] = frac[l]; /* e << 32 | bits */
}

void pfx_plan_init(void) {
    log_table[0] = 0;
    f_table[0] = 0;
    for (uint64_t c = 1; c < LOG_EXACT; c += 2 * LOG_LANES) exact_logs(c);
    /* LOG(2c) = LOG(c) + 2^32 exactly: 2c has c's mantissa and one more in the exponent */
    for (uint64_t c = 2; c <= LOG_EXACT; c += 2) log_table[c] = log_table[c / 2] + (UINT64_C(1) << 32);
    for (uint64_t c = 1; c <= LOG_EXACT; c++) f_table[c] = (c * log_table[c]) >> 8;
}

PFX_INLINE uint64_t plan_log(uint64_t c) {
    if (c <= LOG_EXACT) return log_table[c];
    int bits = 64 - __builtin_clzll(c);
    int s = bits - 13;
    uint64_t m = c >> s, r = c - (m << s);
    return ((uint64_t)s << 32) + log_table[m] + (((log_table[m + 1] - log_table[m]) * r) >> s);
}

PFX_INLINE int64_t plan_f(uint64_t c) {
    return (int64_t)(c <= LOG_EXACT ? f_table[c] : (c * plan_log(c)) >> 8);
}

uint64_t pfx_plan_log(uint64_t c) { return c ? plan_log(c) : 0; }

/* ---- varints and the bit writer ------------------------------------------------------ */
PFX_INLINE size_t put_varint(uint8_t *out, size_t p, uint32_t v) {
    while (v >= 0x80) {
        out[p++] = (uint8_t)((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out[p++] = (uint8_t)v;
    return p;
}

PFX_INLINE size_t varint_size(uint32_t v) {
    size_t k = 1;
    while (v >= 0x80) {
        v >>= 7;
        k++;
    }
    return k;
}

typedef struct {
    uint64_t acc;
    int nb;
    uint8_t *out;
    size_t p;
} bitwriter;

PFX_INLINE void put_bits(bitwriter *w, uint32_t value, int nbits) {
    w->acc |= (uint64_t)value << w->nb;
    w->nb += nbits;
    while (w->nb >= 8) {
        w->out[w->p++] = (uint8_t)w->acc;
        w->acc >>= 8;
        w->nb -= 8;
    }
}

/* ---- the code-length table (docs/format.md, "Table") ------------------------------- */
size_t pfx_encode_lengths(const uint8_t lengths[256], uint8_t *out) {
    uint8_t syms[256], extra[256];
    int k = 0;
    for (int i = 0; i < 256;) {
        int l = lengths[i], run = 1;
        while (i + run < 256 && lengths[i + run] == l) run++;
        int r = run;
        if (l == 0) {
            while (r >= 11) {
                int take = r < 138 ? r : 138;
                syms[k] = 14;
                extra[k++] = (uint8_t)(take - 11);
                r -= take;
            }
            if (r >= 3) {
                syms[k] = 13;
                extra[k++] = (uint8_t)(r - 3);
                r = 0;
            }
            while (r-- > 0) syms[k++] = 0;
        } else {
            syms[k++] = (uint8_t)l;
            r--;
            while (r >= 3) {
                int take = r < 6 ? r : 6;
                syms[k] = 12;
                extra[k++] = (uint8_t)(take - 3);
                r -= take;
            }
            while (r-- > 0) syms[k++] = (uint8_t)l;
        }
        i += run;
    }
    uint32_t mh[PFX_META_SYMBOLS] = {0};
    for (int j = 0; j < k; j++) mh[syms[j]]++;
    uint8_t ml[PFX_META_SYMBOLS];
    uint32_t mc[PFX_META_SYMBOLS];
    pfx_lengths_for_counts(mh, PFX_META_SYMBOLS, PFX_META_BITS, 0, ml);
    pfx_reversed_codes(ml, PFX_META_SYMBOLS, mc);
    bitwriter w = {0, 0, out, 0};
    for (int s = 0; s < PFX_META_SYMBOLS; s++) put_bits(&w, ml[s], 3);
    for (int j = 0; j < k; j++) {
        int s = syms[j];
        put_bits(&w, mc[s], ml[s]);
        if (s == 12) put_bits(&w, extra[j], 2);
        else if (s == 13) put_bits(&w, extra[j], 3);
        else if (s == 14) put_bits(&w, extra[j], 7);
    }
    if (w.nb > 0) out[w.p++] = (uint8_t)w.acc;
    return w.p;
}

/* ---- the four streams ---------------------------------------------------------------- */
/* Pack the n bytes of data as 4 streams of consecutive quarters into out; sizes[] gets
 * their byte sizes. A 64-bit accumulator gathers 5 codewords (at most 55 bits on top of
 * fewer than 8 pending), then its whole bytes are stored at once: 8 bytes are written and
 * the position moves by the whole bytes only. out needs ceil(bits / 8) + 4 + 8 bytes. */
static int encode_streams(const uint8_t *restrict data, size_t n, const uint8_t *restrict len,
                          const uint32_t *restrict code, uint8_t *restrict out, uint32_t sizes[4]) {
    /* The streams are worth writing only while they take fewer than n bytes, and the
       histogram promised so; should the data change meanwhile (a buffer another thread
       writes to while the GIL is released), stopping at n keeps every write in bounds. */
    size_t base = n / 4, rem = n % 4, start = 0, p = 0;
    for (int k = 0; k < 4; k++) {
        size_t stop = start + base + ((size_t)k < rem), p0 = p, i = start;
        uint64_t acc = 0;
        unsigned nb = 0;
        for (; i + 5 <= stop; i += 5) {
            unsigned s0 = data[i], s1 = data[i + 1], s2 = data[i + 2], s3 = data[i + 3], s4 = data[i + 4];
            acc |= (uint64_t)code[s0] << nb;
            nb += len[s0];
            acc |= (uint64_t)code[s1] << nb;
            nb += len[s1];
            acc |= (uint64_t)code[s2] << nb;
            nb += len[s2];
            acc |= (uint64_t)code[s3] << nb;
            nb += len[s3];
            acc |= (uint64_t)code[s4] << nb;
            nb += len[s4];
            pfx_store64le(out + p, acc);
            p += nb >> 3;
            acc >>= (nb & ~7u);
            nb &= 7;
            if (PFX_UNLIKELY(p >= n)) return 0;
        }
        for (; i < stop; i++) {
            acc |= (uint64_t)code[data[i]] << nb;
            nb += len[data[i]];
            pfx_store64le(out + p, acc);
            p += nb >> 3;
            acc >>= (nb & ~7u);
            nb &= 7;
            if (PFX_UNLIKELY(p >= n)) return 0;
        }
        if (nb > 0) out[p++] = (uint8_t)acc;
        sizes[k] = (uint32_t)(p - p0);
        start = stop;
    }
    return p < n;
}

/* ---- one block ----------------------------------------------------------------------- */
/* Write the block of the n bytes data (histogram hist) at out; return its size. out has
 * room for n + PFX_BLOCK_SLACK bytes. */
static size_t encode_block(const uint8_t *data, size_t n, const uint32_t hist[256], int exact, uint8_t *out) {
    int present = 0, sym = 0;
    for (int b = 0; b < 256; b++)
        if (hist[b]) {
            present++;
            sym = b;
        }
    if (present == 1) {
        size_t p = put_varint(out, 1, (uint32_t)n);
        out[0] = PFX_BLOCK_RUN;
        out[p] = (uint8_t)sym;
        return p + 1;
    }
    size_t raw_size = 1 + varint_size((uint32_t)n) + n;
    uint8_t lengths[256];
    pfx_lengths_for_counts(hist, 256, PFX_CODE_BITS, exact, lengths);
    uint64_t bits = 0;
    for (int b = 0; b < 256; b++) bits += (uint64_t)hist[b] * lengths[b];
    if (bits / 8 + 11 < n) {
        uint8_t table[PFX_MAX_TABLE];
        size_t tsize = pfx_encode_lengths(lengths, table);
        uint32_t code[256], sizes[4];
        pfx_reversed_codes(lengths, 256, code);
        /* the streams go straight to their place after a header sized by their estimated
           sizes; if a real size has a varint of another length, they are moved */
        uint32_t guess = (uint32_t)(bits / 32);
        size_t head = 1 + varint_size((uint32_t)n) + varint_size((uint32_t)tsize) + tsize + 4 * varint_size(guess);
        int fits = encode_streams(data, n, lengths, code, out + head, sizes);
        size_t total = (size_t)sizes[0] + sizes[1] + sizes[2] + sizes[3];
        size_t real = 1 + varint_size((uint32_t)n) + varint_size((uint32_t)tsize) + tsize;
        for (int k = 0; k < 4; k++) real += varint_size(sizes[k]);
        /* coded only when it saves more than 1/64 of the block: one that coding barely
           shrinks (near-random data) decodes at copying speed as raw */
        if (fits && real + total < raw_size && 64 * (raw_size - real - total) > n) {
            if (real != head) memmove(out + real, out + head, total);
            out[0] = PFX_BLOCK_CODED;
            size_t p = put_varint(out, 1, (uint32_t)n);
            p = put_varint(out, p, (uint32_t)tsize);
            memcpy(out + p, table, tsize);
            p += tsize;
            for (int k = 0; k < 4; k++) p = put_varint(out, p, sizes[k]);
            return p + total;
        }
    }
    out[0] = PFX_BLOCK_RAW;
    size_t p = put_varint(out, 1, (uint32_t)n);
    memcpy(out + p, data, n);
    return p + n;
}

/* ---- one chunk: planned and written block by block --------------------------------- */
size_t pfx_chunk_bound(size_t n) { return n + 4 * (n / PFX_MIN_UNIT + 1) + PFX_BLOCK_SLACK; }

/* What each level trades (docs/format.md, "Levels"): the planning unit (0: no planning,
 * one block per chunk) and whether code lengths are package-merge's optimal ones. */
static const struct {
    size_t unit;
    int exact;
} levels[10] = {{PFX_UNIT, 0}, {0, 0},        {32768, 0},   {16384, 0}, {8192, 0},
                {6144, 0},     {PFX_UNIT, 0}, {PFX_UNIT, 1}, {2048, 1},  {PFX_UNIT, 1}};

static size_t encode_chunk_at(const uint8_t *data, size_t n, uint8_t *out, size_t unit, int exact);

size_t pfx_encode_chunk(const uint8_t *data, size_t n, uint8_t *out, int level) {
    if (level < 1 || level > 9) level = PFX_DEFAULT_LEVEL;
    size_t size = encode_chunk_at(data, n, out, levels[level].unit, levels[level].exact);
    if (level == 9) { /* also with units of 2 KiB: the smaller wins */
        uint8_t *other = malloc(pfx_chunk_bound(n));
        if (other) {
            size_t size2 = encode_chunk_at(data, n, other, 2048, 1);
            if (size2 < size) {
                memcpy(out, other, size2);
                size = size2;
            }
            free(other);
        }
    }
    return size;
}

static size_t encode_chunk_at(const uint8_t *data, size_t n, uint8_t *out, size_t unit, int exact) {
    if (unit == 0) { /* one block for the chunk */
        uint32_t whole[256] = {0};
        pfx_byte_histogram(data, n, whole);
        return n ? encode_block(data, n, whole, exact, out) : 0;
    }
    uint32_t hist[256] = {0};
    uint16_t sub[4][256];
    uint32_t u[256];
    uint8_t present[256];
    const int64_t price = (int64_t)PFX_TABLE_PRICE << 24;
    size_t p = 0, start = 0, cur_n = 0;
    int64_t cur_cost = 0, cur_sum = 0; /* cost of the current block, and its sum of F(h[b]) */
    for (size_t pos = 0; pos < n;) {
        size_t stop = pos + unit < n ? pos + unit : n, un = stop - pos, i = pos;
        memset(sub, 0, sizeof sub);
        for (; i + 4 <= stop; i += 4) {
            sub[0][data[i]]++;
            sub[1][data[i + 1]]++;
            sub[2][data[i + 2]]++;
            sub[3][data[i + 3]]++;
        }
        for (; i < stop; i++) sub[0][data[i]]++;
        int np = 0;
        int64_t u_sum = 0;
        for (int b = 0; b < 256; b++) /* (a loop the compiler vectorizes) */
            u[b] = (uint32_t)sub[0][b] + sub[1][b] + sub[2][b] + sub[3][b];
        for (int b = 0; b < 256; b++) { /* the bytes present, without a branch */
            present[np] = (uint8_t)b;
            np += u[b] != 0;
        }
        for (int j = 0; j < np; j++) u_sum += plan_f(u[present[j]]);
        int64_t u_cost = plan_f(un) - u_sum;
        if (cur_n > 0) {
            int64_t both_sum = cur_sum;
            for (int j = 0; j < np; j++) {
                int b = present[j];
                both_sum += plan_f((uint64_t)hist[b] + u[b]) - plan_f(hist[b]);
            }
            int64_t both_cost = plan_f(cur_n + un) - both_sum;
            if (both_cost <= cur_cost + u_cost + price) {
                for (int j = 0; j < np; j++) hist[present[j]] += u[present[j]];
                cur_n += un;
                cur_cost = both_cost;
                cur_sum = both_sum;
                pos = stop;
                continue;
            }
            p += encode_block(data + start, pos - start, hist, exact, out + p);
            start = pos;
        }
        memcpy(hist, u, sizeof hist);
        cur_n = un;
        cur_cost = u_cost;
        cur_sum = u_sum;
        pos = stop;
    }
    if (n > start) p += encode_block(data + start, n - start, hist, exact, out + p);
    return p;
}

/* ---- a whole member ------------------------------------------------------------------ */
size_t pfx_compress_bound(size_t n) {
    size_t chunks = n / PFX_MAX_BLOCK + 1;
    return PFX_HEADER_SIZE + n + chunks * (4 * (PFX_MAX_BLOCK / PFX_MIN_UNIT + 1) + PFX_BLOCK_SLACK) +
           PFX_TRAILER_SIZE;
}

size_t pfx_write_header(uint8_t *out) {
    memcpy(out, PFX_MAGIC, 4);
    out[4] = PFX_VERSION;
    out[5] = 0;
    return PFX_HEADER_SIZE;
}

size_t pfx_write_trailer(uint8_t *out, uint64_t length, uint32_t crc) {
    out[0] = PFX_BLOCK_END;
    for (int i = 0; i < 8; i++) out[1 + i] = (uint8_t)(length >> (8 * i));
    for (int i = 0; i < 4; i++) out[9 + i] = (uint8_t)(crc >> (8 * i));
    return PFX_TRAILER_SIZE;
}

size_t pfx_compress(const uint8_t *data, size_t n, uint8_t *out, int level) {
    size_t p = pfx_write_header(out);
    uint32_t crc = 0;
    for (size_t i = 0; i < n; i += PFX_MAX_BLOCK) {
        size_t m = n - i < PFX_MAX_BLOCK ? n - i : PFX_MAX_BLOCK;
        p += pfx_encode_chunk(data + i, m, out + p, level);
        crc = pfx_crc32(crc, data + i, m);
    }
    return p + pfx_write_trailer(out + p, n, crc);
}

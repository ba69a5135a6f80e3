/* The stream coders of stream.py in C: ArithmeticCode's integer arithmetic coder and
 * ANSCode's rANS, bit for bit the streams of the Python coders (which stay the readable
 * reference; tests/test_stream_c.py holds one against the other).
 *
 * Both work on symbol indices 0..m-1 of an integer model: freq[i] (0 for a symbol that
 * cannot occur), cum[i] the cumulative start of i among the symbols that can, total
 * 2**freq_bits. The decoders read untrusted bits: every read is bounded (the arithmetic
 * decoder reads zeros past the end, as the Python one does; the rANS decoder stops with
 * a status), and each loop makes at most n steps.
 */
#include <stdlib.h>

#include "core.h"

/* ---- bit writers ------------------------------------------------------------------- */
/* Most significant bit first, into a buffer the caller sized. */
typedef struct {
    uint8_t *p;
    uint64_t acc; /* the low `n` bits are pending, oldest first */
    int n;
} msb_writer;

PFX_INLINE void msb_put(msb_writer *w, uint64_t v, int count) { /* count <= 56 */
    w->acc = (w->acc << count) | v;
    w->n += count;
    while (w->n >= 8) {
        w->n -= 8;
        *w->p++ = (uint8_t)(w->acc >> w->n);
    }
}

/* `bit`, then `pending` copies of its opposite (the arithmetic coder's owed bits). */
PFX_INLINE void msb_put_owed(msb_writer *w, int bit, uint64_t pending) {
    msb_put(w, (uint64_t)bit, 1);
    uint64_t fill = bit ? 0 : UINT64_C(0xFFFFFFFF);
    while (pending >= 32) {
        msb_put(w, fill, 32);
        pending -= 32;
    }
    if (pending) msb_put(w, fill >> (32 - pending), (int)pending);
}

static uint64_t msb_finish(msb_writer *w, uint8_t *start) {
    uint64_t bits = (uint64_t)(w->p - start) * 8 + (uint64_t)w->n;
    if (w->n) *w->p++ = (uint8_t)(w->acc << (8 - w->n));
    return bits;
}

/* Least significant bit first (rANS writes its stream backwards this way). */
typedef struct {
    uint8_t *p;
    uint64_t acc;
    int n;
} lsb_writer;

PFX_INLINE void lsb_put(lsb_writer *w, uint64_t v, int count) { /* count <= 56 */
    w->acc |= v << w->n;
    w->n += count;
    while (w->n >= 8) {
        *w->p++ = (uint8_t)w->acc;
        w->acc >>= 8;
        w->n -= 8;
    }
}

/* ---- bit reader: most significant bit first, zeros past nbits ---------------------- */
PFX_INLINE uint64_t read_bits(const uint8_t *buf, uint64_t nbits, uint64_t pos, int count) { /* 1..56 */
    if (pos >= nbits) return 0;
    uint64_t nbytes = (nbits + 7) / 8, b = pos >> 3, v;
    if (b + 8 <= nbytes) {
        v = pfx_load64be(buf + b);
    } else {
        v = 0;
        for (uint64_t j = 0; j < 8; j++) v = (v << 8) | (b + j < nbytes ? buf[b + j] : 0);
    }
    v = (v << (pos & 7)) >> (64 - count);
    if (pos + (uint64_t)count > nbits) { /* the bits past the end read as zeros */
        uint64_t past = pos + (uint64_t)count - nbits;
        v &= ~((UINT64_C(1) << past) - 1);
    }
    return v;
}

/* ---- the model's inverse: which symbol's slot holds a target ------------------------ */
typedef struct {
    const pfx_stream_model *m;
    int32_t *table; /* 2**freq_bits entries, when freq_bits <= 16; else NULL */
} finder;

#define TABLE_BITS 16

static int finder_init(finder *fd, const pfx_stream_model *m) {
    fd->m = m;
    fd->table = NULL;
    if (m->freq_bits > TABLE_BITS) return 0;
    fd->table = malloc(sizeof(int32_t) << m->freq_bits);
    if (!fd->table) return -1;
    for (size_t j = 0; j < m->nlive; j++) {
        int32_t i = m->live[j];
        for (uint32_t t = m->cum[i], e = m->cum[i] + m->freq[i]; t < e; t++) fd->table[t] = i;
    }
    return 0;
}

/* target < total; the live symbols' slots cover [0, total) */
PFX_INLINE int32_t finder_find(const finder *fd, uint64_t target) {
    if (fd->table) return fd->table[target];
    const pfx_stream_model *m = fd->m;
    size_t lo = 0, hi = m->nlive; /* the last live j with cum[live[j]] <= target */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->cum[m->live[mid]] <= target)
            lo = mid;
        else
            hi = mid;
    }
    return m->live[lo];
}

/* An index that is not a symbol of positive frequency (checked in the loops, since the
 * index array may be a buffer other threads can write to). */
PFX_INLINE int not_live(int32_t i, const pfx_stream_model *m) {
    return i < 0 || (size_t)i >= m->m || m->freq[i] == 0;
}

/* ---- arithmetic coding ------------------------------------------------------------- */
uint64_t pfx_arith_bound(size_t n, int precision) {
    return ((uint64_t)n * (uint64_t)(precision / 2 + 2) + (uint64_t)precision + 1) / 8 + 16;
}

int64_t pfx_arith_encode(const int32_t *idx, size_t n, const pfx_stream_model *m, int precision, uint8_t *out,
                         uint64_t *nbits) {
    const int p = precision, fb = m->freq_bits;
    const uint64_t mask = (UINT64_C(1) << p) - 1, half = UINT64_C(1) << (p - 1), quarter = half >> 1;
    uint64_t low = 0, high = mask, pending = 0;
    msb_writer w = {out, 0, 0};
    for (size_t k = 0; k < n; k++) {
        const int32_t i = idx[k];
        if (PFX_UNLIKELY(not_live(i, m))) return (int64_t)k;
        const uint64_t rng = high - low + 1, c = m->cum[i], f = m->freq[i];
        high = low + ((rng * (c + f)) >> fb) - 1;
        low = low + ((rng * c) >> fb);
        /* E1/E2: the top bits low and high share are settled, all at once. */
        uint64_t diff = low ^ high;
        int s = diff ? pfx_clz64(diff) - (64 - p) : p;
        if (s > 0) {
            if (PFX_LIKELY(pending == 0)) {
                msb_put(&w, low >> (p - s), s);
            } else {
                msb_put_owed(&w, (int)(low >> (p - 1)), pending);
                pending = 0;
                if (s > 1) msb_put(&w, (low >> (p - s)) & ((UINT64_C(1) << (s - 1)) - 1), s - 1);
            }
            low = (low << s) & mask;
            high = ((high << s) & mask) | ((UINT64_C(1) << s) - 1);
        }
        /* E3: the interval straddles the middle; after it, E1/E2 cannot follow. */
        while (low >= quarter && high < 3 * quarter) {
            pending++;
            low = (low - quarter) << 1;
            high = ((high - quarter) << 1) | 1;
        }
    }
    /* The shortest number v = (j top bits, then zeros) inside [low, high]. */
    int j;
    uint64_t v = low;
    for (j = 1; j <= p; j++) {
        uint64_t step = UINT64_C(1) << (p - j);
        v = (low + step - 1) & ~(step - 1);
        if (v <= high) break;
    }
    msb_put_owed(&w, (int)(v >> (p - 1)), pending);
    if (j > 1) msb_put(&w, (v >> (p - j)) & ((UINT64_C(1) << (j - 1)) - 1), j - 1);
    uint64_t bits = msb_finish(&w, out);
    /* Trailing zeros go: the decoder reads zeros past the end. */
    size_t b = (size_t)((bits + 7) / 8);
    while (b && out[b - 1] == 0) b--;
    bits = (uint64_t)b * 8;
    if (b)
        for (unsigned last = out[b - 1]; !(last & 1); last >>= 1) bits--;
    *nbits = bits;
    return -1;
}

int pfx_arith_decode(const uint8_t *buf, uint64_t nbits, size_t n, const pfx_stream_model *m, int precision,
                     int32_t *out) {
    finder fd;
    if (finder_init(&fd, m) < 0) return -1;
    const int p = precision, fb = m->freq_bits;
    const uint64_t mask = (UINT64_C(1) << p) - 1, half = UINT64_C(1) << (p - 1), quarter = half >> 1;
    uint64_t low = 0, high = mask, value = read_bits(buf, nbits, 0, p), pos = (uint64_t)p;
    for (size_t k = 0; k < n; k++) {
        const uint64_t rng = high - low + 1;
        /* low <= value <= high holds at every step, whatever the bits: target < total */
        const uint64_t target = (((value - low + 1) << fb) - 1) / rng;
        const int32_t i = finder_find(&fd, target);
        out[k] = i;
        const uint64_t c = m->cum[i], f = m->freq[i];
        high = low + ((rng * (c + f)) >> fb) - 1;
        low = low + ((rng * c) >> fb);
        uint64_t diff = low ^ high;
        int s = diff ? pfx_clz64(diff) - (64 - p) : p;
        if (s > 0) {
            low = (low << s) & mask;
            high = ((high << s) & mask) | ((UINT64_C(1) << s) - 1);
            value = ((value << s) & mask) | read_bits(buf, nbits, pos, s);
            pos += (uint64_t)s;
        }
        while (low >= quarter && high < 3 * quarter) {
            low = (low - quarter) << 1;
            high = ((high - quarter) << 1) | 1;
            value = ((value - quarter) << 1) | read_bits(buf, nbits, pos, 1);
            pos++;
        }
    }
    free(fd.table);
    return 0;
}

/* ---- rANS -------------------------------------------------------------------------- */
uint64_t pfx_ans_bound(size_t n, int precision) {
    return ((uint64_t)n * (uint64_t)(precision / 2) + (uint64_t)precision) / 8 + 16;
}

PFX_INLINE int bit_length(uint64_t x) { return x ? 64 - pfx_clz64(x) : 0; }

int64_t pfx_ans_encode(const int32_t *idx, size_t n, const pfx_stream_model *m, int precision, uint8_t *out,
                       uint64_t *nbits) {
    const int p = precision, fb = m->freq_bits, head = p - 1;
    const uint64_t low_state = UINT64_C(1) << (p - 1), scale = (2 * low_state) >> fb;
    /* The stream backwards, least significant bit first: the bits shifted out in the
     * order the encoder shifts them, then the final state's low bits from bit 0 up. */
    size_t cap = (size_t)pfx_ans_bound(n, precision);
    uint8_t *rev = calloc(cap + 8, 1);
    if (!rev) return -2;
    lsb_writer w = {rev, 0, 0};
    uint64_t x = low_state;
    for (size_t j = n; j-- > 0;) {
        const int32_t i = idx[j];
        if (PFX_UNLIKELY(not_live(i, m))) {
            free(rev);
            return (int64_t)j;
        }
        const uint64_t f = m->freq[i], c = m->cum[i], bound = scale * f;
        if (x >= bound) {
            int s = bit_length(x) - bit_length(bound);
            if ((x >> s) >= bound) s++;
            lsb_put(&w, x & ((UINT64_C(1) << s) - 1), s);
            x >>= s;
        }
        x = ((x / f) << fb) + x % f + c;
    }
    uint64_t state = x & (low_state - 1);
    if (head > 32) {
        lsb_put(&w, state & UINT64_C(0xFFFFFFFF), 32);
        lsb_put(&w, state >> 32, head - 32);
    } else {
        lsb_put(&w, state, head);
    }
    if (w.n) *w.p++ = (uint8_t)w.acc;
    const uint64_t total = (uint64_t)(w.p - rev) * 8 - (uint64_t)((8 - w.n) & 7);
    /* Reverse: output bit t is rev's bit total-1-t, so output byte q holds rev's bits
     * total-8-8q .. total-1-8q read least significant first. */
    const size_t nbytes = (size_t)((total + 7) / 8);
    for (size_t q = 0; q < nbytes; q++) {
        int64_t at = (int64_t)total - 8 - 8 * (int64_t)q;
        if (at >= 0) {
            size_t b = (size_t)at >> 3;
            out[q] = (uint8_t)((rev[b] | (unsigned)rev[b + 1] << 8) >> (at & 7));
        } else {
            out[q] = (uint8_t)(rev[0] << -at);
        }
    }
    free(rev);
    *nbits = total;
    return -1;
}

int pfx_ans_decode(const uint8_t *buf, uint64_t nbits, size_t n, const pfx_stream_model *m, int precision,
                   int32_t *out, uint64_t *where, uint64_t *state) {
    const int p = precision, fb = m->freq_bits, head = p - 1;
    const uint64_t low_state = UINT64_C(1) << (p - 1), tmask = (UINT64_C(1) << fb) - 1;
    if (nbits < (uint64_t)head) return 4; /* the caller says so before */
    finder fd;
    if (finder_init(&fd, m) < 0) return -1;
    uint64_t x = low_state, pos = (uint64_t)head;
    if (head > 32)
        x |= read_bits(buf, nbits, 0, head - 32) << 32 | read_bits(buf, nbits, (uint64_t)(head - 32), 32);
    else
        x |= read_bits(buf, nbits, 0, head);
    int status = 0;
    for (size_t k = 0; k < n; k++) {
        const uint64_t t = x & tmask;
        const int32_t i = finder_find(&fd, t);
        out[k] = i;
        x = m->freq[i] * (x >> fb) + t - m->cum[i]; /* >= freq[i] >= 1 */
        if (x < low_state) {
            int s = p - bit_length(x);
            if (pos + (uint64_t)s > nbits) {
                status = 1; /* the bits end early, in symbol k */
                *where = k;
                goto done;
            }
            x = (x << s) | read_bits(buf, nbits, pos, s);
            pos += (uint64_t)s;
        }
    }
    if (pos < nbits) {
        status = 2; /* bits left over from pos */
        *where = pos;
    } else if (x != low_state) {
        status = 3; /* not the initial state */
        *where = pos;
    }
done:
    *state = x;
    free(fd.table);
    return status;
}

/* The bit packing behind pc.encode and pc.decode for integer symbols (bytes, integer
 * arrays): codewords most significant bit first, as bitarray's default order. */
#include "core.h"

PFX_INLINE int64_t element(const void *msg, size_t i, int itemsize, int is_signed) {
    switch (itemsize) {
    case 1: return is_signed ? (int64_t)((const int8_t *)msg)[i] : (int64_t)((const uint8_t *)msg)[i];
    case 2: return is_signed ? (int64_t)((const int16_t *)msg)[i] : (int64_t)((const uint16_t *)msg)[i];
    case 4: return is_signed ? (int64_t)((const int32_t *)msg)[i] : (int64_t)((const uint32_t *)msg)[i];
    default: {
        uint64_t u = ((const uint64_t *)msg)[i];
        /* (unsigned values above 2**63 are outside every code: map them out of range) */
        if (!is_signed && u > (uint64_t)INT64_MAX) return INT64_MIN;
        return (int64_t)u;
    }
    }
}

int64_t pfx_codec_bits(const void *msg, size_t n, int itemsize, int is_signed, const int64_t *lens,
                       size_t size, int64_t offset) {
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t s = element(msg, i, itemsize, is_signed);
        /* (s - offset computed without overflow) */
        if (s < offset || (uint64_t)s - (uint64_t)offset >= size) return -(int64_t)i - 1;
        int64_t l = lens[(uint64_t)s - (uint64_t)offset];
        if (l == 0) return -(int64_t)i - 1;
        total += l;
    }
    return total;
}

void pfx_codec_pack(const void *msg, size_t n, int itemsize, int is_signed, const uint64_t *codes,
                    const int64_t *lens, int64_t offset, uint8_t *out) {
    /* up to 7 pending bits below a codeword of at most 56: the accumulator never overflows */
    uint64_t acc = 0;
    int nacc = 0;
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = (uint64_t)element(msg, i, itemsize, is_signed) - (uint64_t)offset;
        int l = (int)lens[k];
        acc = (acc << l) | codes[k];
        nacc += l;
        while (nacc >= 8) {
            nacc -= 8;
            out[pos++] = (uint8_t)(acc >> nacc);
        }
        acc &= (UINT64_C(1) << nacc) - 1;
    }
    if (nacc > 0) out[pos] = (uint8_t)(acc << (8 - nacc));
}

PFX_INLINE void put_value(void *out, size_t i, const void *values, int64_t index, int itemsize) {
    switch (itemsize) {
    case 1: ((uint8_t *)out)[i] = ((const uint8_t *)values)[index]; break;
    case 2: ((uint16_t *)out)[i] = ((const uint16_t *)values)[index]; break;
    case 4: ((uint32_t *)out)[i] = ((const uint32_t *)values)[index]; break;
    default: ((uint64_t *)out)[i] = ((const uint64_t *)values)[index]; break;
    }
}

size_t pfx_codec_unpack(const uint8_t *buf, uint64_t nbits, int k, const int32_t *table,
                        const int64_t *child, const int64_t *leaf, const void *values, int itemsize,
                        void *out, size_t max_out, int *status, uint64_t *start, uint64_t *end) {
    uint64_t pos = 0;
    size_t n = 0;
    /* a 64-bit window of the stream from byte `first`, reloaded when fewer than k of its
       bits are left past pos */
    uint64_t first = 0;
    uint64_t window = pfx_load64be(buf);
    int drop = 64 - k;
    *status = 0;
    while (pos < nbits) {
        uint64_t off = pos - (first << 3);
        if (off > (uint64_t)(64 - k)) {
            first = pos >> 3;
            window = pfx_load64be(buf + first);
            off = pos & 7;
        }
        int64_t e = table[(window << off) >> drop];
        if (e >= 0) {
            uint64_t l = (uint64_t)(e & 63);
            if (pos + l > nbits) {
                *status = 1;
                *start = pos;
                return n;
            }
            if (n >= max_out) break;
            put_value(out, n++, values, e >> 6, itemsize);
            pos += l;
        } else if (e > -64) {
            *start = pos;
            if (pos + (uint64_t)(-e) > nbits) {
                *status = 1;
                return n;
            }
            *status = 2;
            *end = pos + (uint64_t)(-e) - 1;
            return n;
        } else {
            int64_t node = -64 - e;
            uint64_t p = pos + (uint64_t)k;
            for (;;) {
                if (p >= nbits) {
                    *status = 1;
                    *start = pos;
                    return n;
                }
                int bit = (buf[p >> 3] >> (7 - (p & 7))) & 1;
                node = child[2 * node + bit];
                p++;
                if (node < 0) {
                    *status = 2;
                    *start = pos;
                    *end = p - 1;
                    return n;
                }
                if (leaf[node] >= 0) {
                    if (n >= max_out) return n;
                    put_value(out, n++, values, leaf[node], itemsize);
                    pos = p;
                    break;
                }
            }
        }
    }
    return n;
}

/* CRC-32 (ISO-HDLC: zlib's, gzip's and PNG's), and the CRC of a concatenation.
 *
 * Two ways, the same values: folding 64 bytes at a time with carry-less multiplication
 * where the CPU has it (x86-64 with PCLMULQDQ, checked at run time), after Gopal et al.,
 * "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ Instruction" (Intel,
 * 2009); otherwise eight tables of 256 entries ("slicing by 8"). The folding constants
 * are x^k modulo the polynomial, bit-reflected and shifted left by one, for the k given
 * beside each. Tests compare both ways with zlib.crc32.
 */
#include "core.h"

#define POLY 0xEDB88320u /* the polynomial, reflected */

static uint32_t table8[8][256];

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PFX_HAVE_CLMUL_CODE 1
#include <immintrin.h>
static int have_clmul;

__attribute__((target("pclmul,sse4.1"))) static uint32_t crc32_clmul(uint32_t crc, const uint8_t *p,
                                                                      size_t n) {
    /* n >= 64; returns the CRC (not inverted) after the n & ~15 first bytes */
    const __m128i k1k2 = _mm_set_epi64x(0x1c6e41596LL, 0x154442bd4LL); /* x^480, x^544 */
    const __m128i k3k4 = _mm_set_epi64x(0x0ccaa009eLL, 0x1751997d0LL); /* x^96, x^160 */
    const __m128i k5 = _mm_set_epi64x(0, 0x163cd6124LL);               /* x^64 */
    const __m128i poly_mu = _mm_set_epi64x(0x1F7011641LL, 0x1DB710641LL); /* mu, P */
    const __m128i mask32 = _mm_set_epi32(0, 0, 0, -1);
    __m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
    x0 = _mm_xor_si128(x0, _mm_cvtsi32_si128((int)crc));
    p += 64;
    n -= 64;
#define FOLD(x, k, next) \
    _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), next)
    while (n >= 64) {
        x0 = FOLD(x0, k1k2, _mm_loadu_si128((const __m128i *)(const void *)p));
        x1 = FOLD(x1, k1k2, _mm_loadu_si128((const __m128i *)(const void *)(p + 16)));
        x2 = FOLD(x2, k1k2, _mm_loadu_si128((const __m128i *)(const void *)(p + 32)));
        x3 = FOLD(x3, k1k2, _mm_loadu_si128((const __m128i *)(const void *)(p + 48)));
        p += 64;
        n -= 64;
    }
    x0 = FOLD(x0, k3k4, x1);
    x0 = FOLD(x0, k3k4, x2);
    x0 = FOLD(x0, k3k4, x3);
    while (n >= 16) {
        x0 = FOLD(x0, k3k4, _mm_loadu_si128((const __m128i *)(const void *)p));
        p += 16;
        n -= 16;
    }
#undef FOLD
    /* 128 bits to 64, then to 32, then Barrett's reduction */
    x0 = _mm_xor_si128(_mm_clmulepi64_si128(x0, k3k4, 0x10), _mm_srli_si128(x0, 8));
    x0 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x0, mask32), k5, 0x00), _mm_srli_si128(x0, 4));
    __m128i t = _mm_clmulepi64_si128(_mm_and_si128(x0, mask32), poly_mu, 0x10);
    t = _mm_clmulepi64_si128(_mm_and_si128(t, mask32), poly_mu, 0x00);
    return (uint32_t)_mm_extract_epi32(_mm_xor_si128(x0, t), 1);
}
#endif

void pfx_crc32_init(void);
void pfx_crc32_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ POLY : c >> 1;
        table8[0][i] = c;
    }
    for (int t = 1; t < 8; t++)
        for (int i = 0; i < 256; i++) table8[t][i] = (table8[t - 1][i] >> 8) ^ table8[0][table8[t - 1][i] & 255];
#ifdef PFX_HAVE_CLMUL_CODE
    __builtin_cpu_init();
    have_clmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
#endif
}

static uint32_t crc32_tables(uint32_t c, const uint8_t *p, size_t n) {
    while (n >= 8) {
        uint64_t v = pfx_load64le(p) ^ c;
        c = table8[7][v & 255] ^ table8[6][(v >> 8) & 255] ^ table8[5][(v >> 16) & 255] ^
            table8[4][(v >> 24) & 255] ^ table8[3][(v >> 32) & 255] ^ table8[2][(v >> 40) & 255] ^
            table8[1][(v >> 48) & 255] ^ table8[0][v >> 56];
        p += 8;
        n -= 8;
    }
    while (n--) c = (c >> 8) ^ table8[0][(c ^ *p++) & 255];
    return c;
}

/* The portable way alone (for the tests, which hold the two ways against each other). */
uint32_t pfx_crc32_portable(uint32_t crc, const uint8_t *data, size_t n);
uint32_t pfx_crc32_portable(uint32_t crc, const uint8_t *data, size_t n) {
    return ~crc32_tables(~crc, data, n);
}

uint32_t pfx_crc32(uint32_t crc, const uint8_t *data, size_t n) {
    uint32_t c = ~crc;
#ifdef PFX_HAVE_CLMUL_CODE
    if (have_clmul && n >= 64) {
        size_t folded = n & ~(size_t)15;
        c = crc32_clmul(c, data, folded);
        data += folded;
        n -= folded;
    }
#endif
    return ~crc32_tables(c, data, n);
}

/* a * b modulo the polynomial, in the reflected order (bit 31 is x^0) */
static uint32_t multmodp(uint32_t a, uint32_t b) {
    uint32_t p = 0;
    for (uint32_t m = 1u << 31; m; m >>= 1) {
        if (a & m) p ^= b;
        b = b & 1 ? (b >> 1) ^ POLY : b >> 1;
    }
    return p;
}

uint32_t pfx_crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2) {
    /* crc(A + B) = crc(A) * x^(8 len(B)) + crc(B), modulo the polynomial; x^(8n) by
       squaring (x^(2^k) for k = 3, 4, ...) */
    uint32_t xp = 1u << 31; /* x^0 */
    uint32_t sq = 1u << 23; /* x^8 */
    while (len2) {
        if (len2 & 1) xp = multmodp(sq, xp);
        sq = multmodp(sq, sq);
        len2 >>= 1;
    }
    return multmodp(xp, crc1) ^ crc2;
}

/* libFuzzer harness of the C stream decoders that read untrusted bits (_core/core.h):
 * arith.c's arithmetic decoder (pfx_arith_decode) and rANS decoder (pfx_ans_decode), and
 * adaptive.c's adaptive Huffman decoder (pfx_adaptive_decode), each into a buffer of
 * exactly the symbols it may write, so that AddressSanitizer sees any write past it.
 *
 * The input's first bytes choose the coder and its parameters, the rest are the bits:
 *
 *   byte 0        coder: % 3 = 0 arithmetic, 1 rANS, 2 adaptive Huffman
 *   arithmetic and rANS:
 *   byte 1        precision: 8 + b % 35 (arithmetic, 8..42) or 8 + b % 55 (rANS, 8..62)
 *   byte 2        m = 1 + b % 16 symbols
 *   bytes 3..18   weights of symbols 0..15 (the first m count; all zero: symbol 0 gets 1)
 *   adaptive Huffman:
 *   byte 1        bit 0: Vitter's Lambda, else FGK
 *   byte 2        % 4: 0 no alphabet; 1 an alphabet of 1 + byte 3 symbols; 2 of
 *                 1 + (byte 3 | byte 4 << 8); 3 of 2**24 - byte 3
 *   bytes 3..18   (bytes 3 and 4 as above)
 *   then, for all: bytes 19-20 n (little-endian; 0xFFFF: adaptive Huffman until the bits
 *   end; the arithmetic and rANS decoders take n % 4096, since they decode symbols from
 *   no bits at all where the model lets them), byte 21 d, and the bits: the remaining
 *   bytes, less the last d % 8 bits.
 *
 * The model of the arithmetic and rANS coders is quantized by the rule of
 * fuzz/make_seeds.py's stream_model: 1 for each symbol of positive weight, the rest of
 * the total 2**(precision / 2) in proportion to the weights (floor), what is left to the
 * first such symbol.
 *
 * Checked: statuses are the documented ones, positions stay inside the bits, decoded
 * symbols are symbols of the model or keys of the key space; and against the encoders:
 * the arithmetic decoder's symbols re-encode to a stream that decodes to them again; a
 * rANS stream that decodes without error re-encodes to exactly its bits; the symbols the
 * adaptive decoder gives before it stops re-encode to a prefix of its bits, which ends
 * where the status says (all of them when it succeeds). A broken invariant aborts.
 *
 * Build and run: fuzz/README.md (fuzz/build.sh builds it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "harness.h"

#define HEADER 22

static void broken(const char *what, uint64_t a, uint64_t b) { fail(what, 0, 0, a, b); }
#define REQUIRE(cond, what, a, b)                      \
    do {                                               \
        if (!(cond)) broken(what, (uint64_t)(a), (uint64_t)(b)); \
    } while (0)

/* Are the first nbits bits of x and y (most significant first) the same? */
static int same_bits(const uint8_t *x, const uint8_t *y, uint64_t nbits) {
    uint64_t whole = nbits / 8;
    if (whole && memcmp(x, y, (size_t)whole) != 0) return 0;
    unsigned rest = (unsigned)(nbits % 8);
    if (!rest) return 1;
    unsigned mask = (0xFFu << (8 - rest)) & 0xFFu;
    return ((x[whole] ^ y[whole]) & mask) == 0;
}

static void fuzz_arith_ans(int kind, const uint8_t *h, const uint8_t *bits, uint64_t nbits, size_t n) {
    int precision = kind ? 8 + h[1] % 55 : 8 + h[1] % 35;
    size_t m = 1 + h[2] % 16;
    uint32_t freq[16], cum[16];
    int32_t live[16];
    uint64_t weight_sum = 0;
    size_t nlive = 0;
    for (size_t i = 0; i < m; i++) weight_sum += h[3 + i];
    const int fb = precision / 2;
    const uint64_t total = UINT64_C(1) << fb;
    uint64_t sum = 0;
    for (size_t i = 0; i < m; i++) {
        uint64_t w = weight_sum ? h[3 + i] : (i == 0);
        freq[i] = 0;
        if (w) live[nlive++] = (int32_t)i;
    }
    uint64_t ws = weight_sum ? weight_sum : 1;
    for (size_t j = 0; j < nlive; j++) {
        size_t i = (size_t)live[j];
        uint64_t w = weight_sum ? h[3 + i] : 1;
        freq[i] = (uint32_t)(1 + w * (total - nlive) / ws);
        sum += freq[i];
    }
    freq[live[0]] += (uint32_t)(total - sum);
    uint64_t c = 0;
    for (size_t i = 0; i < m; i++) {
        cum[i] = (uint32_t)c;
        c += freq[i];
    }
    REQUIRE(c == total, "fuzz model: frequencies do not sum to the total", c, total);
    pfx_stream_model model = {freq, cum, m, live, nlive, fb};

    int32_t *out = malloc((n ? n : 1) * sizeof *out);
    if (!out) return;
    if (kind == 0) {
        int st = pfx_arith_decode(bits, nbits, n, &model, precision, out);
        if (st < 0) goto done;
        REQUIRE(st == 0, "pfx_arith_decode: status", st, 0);
        for (size_t k = 0; k < n; k++)
            REQUIRE(out[k] >= 0 && (size_t)out[k] < m && freq[out[k]] > 0, "pfx_arith_decode: not a live symbol", k,
                    out[k]);
        /* what it decoded re-encodes to a stream that decodes to the same symbols */
        uint64_t cap = pfx_arith_bound(n, precision);
        uint8_t *enc = malloc((size_t)cap);
        int32_t *again = malloc((n ? n : 1) * sizeof *again);
        if (enc && again) {
            uint64_t enc_bits = 0;
            int64_t bad = pfx_arith_encode(out, n, &model, precision, enc, &enc_bits);
            REQUIRE(bad == -1 && enc_bits <= cap * 8, "pfx_arith_encode: refuses decoded symbols", bad, enc_bits);
            if (pfx_arith_decode(enc, enc_bits, n, &model, precision, again) == 0)
                REQUIRE(memcmp(out, again, n * sizeof *out) == 0, "arithmetic: decode(encode(x)) != x", n, 0);
        }
        free(enc);
        free(again);
    } else {
        if (nbits < (uint64_t)precision - 1) goto done; /* the callers refuse it before */
        uint64_t where = UINT64_MAX, state = 0;
        int st = pfx_ans_decode(bits, nbits, n, &model, precision, out, &where, &state);
        if (st < 0) goto done;
        REQUIRE(st >= 0 && st <= 3, "pfx_ans_decode: status outside 0..3", st, 0);
        if (st == 1) REQUIRE(where < n, "pfx_ans_decode: early stop at no symbol", where, n);
        if (st == 2) REQUIRE(where < nbits, "pfx_ans_decode: left over outside the bits", where, nbits);
        if (st == 0) {
            for (size_t k = 0; k < n; k++)
                REQUIRE(out[k] >= 0 && (size_t)out[k] < m && freq[out[k]] > 0, "pfx_ans_decode: not a live symbol",
                        k, out[k]);
            uint64_t cap = pfx_ans_bound(n, precision);
            uint8_t *enc = malloc((size_t)cap);
            if (enc) {
                uint64_t enc_bits = 0;
                int64_t bad = pfx_ans_encode(out, n, &model, precision, enc, &enc_bits);
                if (bad != -2) {
                    REQUIRE(bad == -1, "pfx_ans_encode: refuses decoded symbols", bad, 0);
                    REQUIRE(enc_bits == nbits && same_bits(enc, bits, nbits),
                            "rANS: a stream decoded without error re-encodes differently", enc_bits, nbits);
                }
                free(enc);
            }
        }
    }
done:
    free(out);
}

static void fuzz_adaptive(const uint8_t *h, const uint8_t *bits, uint64_t nbits, uint64_t n) {
    int vitter = h[1] & 1;
    uint32_t nkeys;
    switch (h[2] % 4) {
    case 0: nkeys = 0; break;
    case 1: nkeys = 1u + h[3]; break;
    case 2: nkeys = 1u + (h[3] | (uint32_t)h[4] << 8); break;
    default: nkeys = PFX_AH_MAX_ALPHABET - h[3]; break;
    }
    const uint32_t space = nkeys ? nkeys : 256u + 0x110000u;
    /* the room the callers give: min(n, nbits + 1) symbols */
    size_t cap = (size_t)(n != PFX_AH_UNTIL_END && n < nbits + 1 ? n : nbits + 1);
    uint32_t *out = malloc((cap ? cap : 1) * sizeof *out);
    if (!out) return;
    size_t count = SIZE_MAX;
    uint64_t where = UINT64_MAX;
    uint32_t key = 0;
    int st = pfx_adaptive_decode(bits, nbits, n, cap, nkeys, vitter, out, &count, &where, &key);
    if (st == PFX_AH_NOMEM) goto done;
    REQUIRE(st >= PFX_AH_OK && st <= PFX_AH_SEEN, "pfx_adaptive_decode: status", st, 0);
    REQUIRE(count <= cap, "pfx_adaptive_decode: more symbols than room", count, cap);
    if (n != PFX_AH_UNTIL_END) REQUIRE(count <= n, "pfx_adaptive_decode: more symbols than asked", count, n);
    if (st == PFX_AH_OK && n != PFX_AH_UNTIL_END) REQUIRE(count == n, "pfx_adaptive_decode: too few", count, n);
    if (st != PFX_AH_OK) REQUIRE(where <= nbits, "pfx_adaptive_decode: position past the bits", where, nbits);
    for (size_t k = 0; k < count; k++) REQUIRE(out[k] < space, "pfx_adaptive_decode: key outside", k, out[k]);
    if (st == PFX_AH_SEEN) REQUIRE(key < space, "pfx_adaptive_decode: seen key outside", key, space);

    /* the symbols decoded re-encode to the bits they were read from */
    uint8_t *enc = NULL;
    uint64_t enc_bits = 0;
    int64_t bad = pfx_adaptive_encode(out, count, nkeys, vitter, &enc, &enc_bits);
    if (bad == -2) goto done;
    REQUIRE(bad == -1, "pfx_adaptive_encode: refuses decoded symbols", bad, count);
    REQUIRE(enc_bits <= nbits && same_bits(enc, bits, enc_bits), "adaptive: re-encoding is not a prefix of the bits",
            enc_bits, nbits);
    if (st == PFX_AH_OK) REQUIRE(enc_bits == nbits, "adaptive: decoded, but re-encodes shorter", enc_bits, nbits);
    if (st == PFX_AH_END_CODEWORD || st == PFX_AH_SEEN || st == PFX_AH_LEFT_OVER)
        REQUIRE(enc_bits == where, "adaptive: the symbols before the stop end elsewhere", enc_bits, where);
    if (st == PFX_AH_END_ESCAPE || st == PFX_AH_BAD_UTF8)
        REQUIRE(enc_bits <= where, "adaptive: a fixed form before the last symbol's end", enc_bits, where);
    free(enc);
done:
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < HEADER) return 0;
    const uint8_t *bits = data + HEADER;
    size_t nbytes = size - HEADER;
    uint64_t nbits = (uint64_t)nbytes * 8;
    unsigned drop = data[21] % 8;
    nbits = nbits >= drop ? nbits - drop : 0;
    unsigned n16 = data[19] | (unsigned)data[20] << 8;
    /* the stream exactly as long as its bytes, so that a read past it is seen */
    uint8_t *copy = malloc(nbytes ? nbytes : 1);
    if (!copy) return 0;
    memcpy(copy, bits, nbytes);
    int coder = data[0] % 3;
    if (coder == 2)
        fuzz_adaptive(data, copy, nbits, n16 == 0xFFFF ? PFX_AH_UNTIL_END : n16);
    else
        fuzz_arith_ans(coder, data, copy, nbits, n16 % 4096);
    free(copy);
    return 0;
}

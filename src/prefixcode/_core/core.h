/* The generic kernels of prefixcode (no Python here): Huffman code lengths, canonical
 * codewords, decoding tables, histograms, CRC-32, and the bit packing of pc.encode /
 * pc.decode. The container's own loops (the .c files of container/) are built on these.
 *
 * Callers validate; these functions trust their arguments, except where a comment says
 * that they check.
 */
#ifndef PFX_CORE_H
#define PFX_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define PFX_INLINE static inline __attribute__((always_inline))
#define PFX_LIKELY(x) __builtin_expect(!!(x), 1)
#define PFX_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define PFX_INLINE static inline
#define PFX_LIKELY(x) (x)
#define PFX_UNLIKELY(x) (x)
#endif

/* Tables made once (CRC-32, the planner's logarithms): call before anything else, from
 * one thread (the module's init does, and so do the fuzz harnesses). */
void pfx_init(void);

/* ---- code lengths (huffman.c) ------------------------------------------------------ */
/* D-ary Huffman lengths for n >= 2 weights sorted ascending (two queues, van Leeuwen
 * 1976); zero-weight dummies pad the leaves so every merge takes `arity` nodes; on equal
 * weight a merged node goes before a leaf (a leaf first with min_variance). Returns 0, or
 * -1 when out of memory. */
int pfx_huffman_sorted(const double *w, size_t n, int arity, int min_variance, int64_t *lengths);
/* Optimal D-ary lengths of at most max_len for n >= 2 weights sorted ascending
 * (package-merge); needs n <= arity**max_len. 0, or -1 when out of memory. */
int pfx_package_merge(const double *w, size_t n, int max_len, int arity, int64_t *lengths);
/* Cut binary lengths (for weights ascending, so non-increasing) to at most max_len with
 * JPEG's length-count adjustment (ITU T.81, Annex K.3); the code stays complete. */
void pfx_limit_lengths(int64_t *lengths, size_t n, int max_len);
/* Lengths of at most max_len (<= 32) for the counts of m <= 256 symbols, by the
 * project's one rule (docs/format.md, "Coded blocks"): symbols present sorted by count,
 * equal counts by symbol descending; Huffman; JPEG's limiter, or with `exact` the optimal
 * limited lengths of package-merge. Absent symbols get 0; a single present symbol gets 1.
 * Returns the number of symbols present. */
int pfx_lengths_for_counts(const uint32_t *counts, int m, int max_len, int exact, uint8_t *lengths);

/* ---- canonical codewords ----------------------------------------------------------- */
/* Canonical codewords (RFC 1951, 3.2.2), most significant bit first, of n lengths
 * (0 = no codeword, else at most 63, Kraft sum <= 1). */
void pfx_canonical_codes(const int64_t *lengths, size_t n, uint64_t *codes);
/* The same for byte lengths (at most 32), bit-reversed for least-significant-first
 * packing. */
void pfx_reversed_codes(const uint8_t *lengths, int m, uint32_t *codes);
/* A decoding table of 2**bits entries `length | symbol << 8` for least-significant-first
 * peeks, from m <= 256 lengths of at most `bits`; entries no codeword reaches are
 * 0xFFFF (only where the code is incomplete). The length is in the low bits: a decoder
 * shifts by the entry itself (x86 shifts take the count modulo 64), with no other
 * operation between one look-up and the next. */
void pfx_decoding_table(const uint8_t *lengths, int m, int bits, uint16_t *table);
/* A code in canonical order: its symbols sorted by length, then by symbol, those of
 * length l at order[start[l] .. start[l + 1]), and each symbol's reversed code (0 for
 * symbols without a codeword); what the table builders share. */
typedef struct {
    uint16_t order[256];
    int start[34];
    uint32_t rc[256];
} pfx_code_order;
/* Fill `c` from m <= 256 lengths of at most 32 (Kraft sum <= 1); returns the number of
 * symbols with a codeword. */
int pfx_canonical_order(const uint8_t *lengths, int m, pfx_code_order *c);
/* pfx_decoding_table from a code already put in canonical order. */
void pfx_decoding_table_of(const pfx_code_order *c, int bits, uint16_t *table);

/* ---- histograms and CRC-32 --------------------------------------------------------- */
void pfx_byte_histogram(const uint8_t *data, size_t n, uint32_t counts[256]);
uint32_t pfx_crc32(uint32_t crc, const uint8_t *data, size_t n);
uint32_t pfx_crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2);

/* ---- pc.encode / pc.decode fast paths (codec.c): most significant bit first -------- */
/* Pack the codewords of n integer symbols (itemsize 1, 2, 4 or 8; signed or not) into
 * out (zeroed, enough bytes for total bits + 8). codes/lens are indexed by symbol -
 * offset (size entries; length 0: no such symbol; lengths <= 56). Returns the number of
 * bits, or -(index + 1) of the first symbol outside the code. */
int64_t pfx_codec_bits(const void *msg, size_t n, int itemsize, int is_signed, const int64_t *lens,
                       size_t size, int64_t offset);
void pfx_codec_pack(const void *msg, size_t n, int itemsize, int is_signed, const uint64_t *codes,
                    const int64_t *lens, int64_t offset, uint8_t *out);

/* Decode nbits bits of buf (most significant bit first; 8 readable bytes past them) with
 * a k-bit table (k <= 16) of int32 entries: for the next k bits v, e = table[v] is
 * 64 * index + length (>= 0) when a codeword of that length, of symbol values[index],
 * starts them; -length (-1 .. -k) when the path leaves the code after `length` bits;
 * -64 - node when the bits end at an internal node of the code's trie, from where
 * child[2 * node + bit] (-1: no such path) and leaf[node] (symbol index or -1) walk bit
 * by bit. Symbol values (itemsize bytes each) are copied to out, which holds max_out.
 * Returns the count; *status 0 done, 1 the bits end inside a codeword starting at
 * *start, 2 the bits *start..*end lead to no codeword. */
size_t pfx_codec_unpack(const uint8_t *buf, uint64_t nbits, int k, const int32_t *table,
                        const int64_t *child, const int64_t *leaf, const void *values, int itemsize,
                        void *out, size_t max_out, int *status, uint64_t *start, uint64_t *end);

/* ---- stream coders (arith.c): stream.py's ArithmeticCode and ANSCode, bit for bit -- */
/* An integer model over symbol indices 0..m-1: freq[i] (0: cannot occur), cum[i] its
 * cumulative start among the live symbols, total 2**freq_bits (freq_bits <= 31); live:
 * the nlive >= 1 indices of positive frequency, ascending. */
typedef struct {
    const uint32_t *freq;
    const uint32_t *cum;
    size_t m;
    const int32_t *live;
    size_t nlive;
    int freq_bits;
} pfx_stream_model;

/* Bytes enough for the streams of n symbols (the encoders' `out`). */
uint64_t pfx_arith_bound(size_t n, int precision);
uint64_t pfx_ans_bound(size_t n, int precision);
/* Encode n indices (precision 8..42, freq_bits = precision / 2) into out, most
 * significant bit first, the trailing zeros dropped. Returns -1 and sets *nbits, or
 * the position of the first index that is not a live symbol. */
int64_t pfx_arith_encode(const int32_t *idx, size_t n, const pfx_stream_model *m, int precision, uint8_t *out,
                         uint64_t *nbits);
/* Decode n indices from nbits bits of buf (reads zeros past them, never past the
 * buffer's (nbits + 7) / 8 bytes). 0, or -1 when out of memory. Every n-symbol stream
 * decodes to something: the caller re-encodes to check. */
int pfx_arith_decode(const uint8_t *buf, uint64_t nbits, size_t n, const pfx_stream_model *m, int precision,
                     int32_t *out);
/* rANS (precision 8..62): encode as above; returns -1, the position of the last index
 * that is not a live symbol (the encoder runs backwards), or -2 when out of memory. */
int64_t pfx_ans_encode(const int32_t *idx, size_t n, const pfx_stream_model *m, int precision, uint8_t *out,
                       uint64_t *nbits);
/* Decode n indices from nbits >= precision - 1 bits. Returns 0; 1 the bits end in
 * symbol *where; 2 bits are left over from offset *where; 3 the final state *state is
 * not the initial one; -1 out of memory. */
int pfx_ans_decode(const uint8_t *buf, uint64_t nbits, size_t n, const pfx_stream_model *m, int precision,
                   int32_t *out, uint64_t *where, uint64_t *state);

/* ---- adaptive Huffman (adaptive.c): stream.py's AdaptiveHuffman, bit for bit -------- */
/* Symbols are uint32 keys: with an alphabet of nkeys symbols (1..PFX_AH_MAX_ALPHABET),
 * the index in it; without one (nkeys == 0), 0..255 for the ints 0..255 and 256 + c for
 * the one-character string of code point c. vitter: algorithm Lambda, else FGK. */
#define PFX_AH_MAX_ALPHABET (UINT32_C(1) << 24)
#define PFX_AH_UNTIL_END UINT64_MAX
enum {
    PFX_AH_OK = 0,
    PFX_AH_END_CODEWORD = 1, /* the bits end inside the codeword starting at *where */
    PFX_AH_END_ESCAPE = 2,   /* the bits end inside a new symbol's fixed form, in the piece at *where */
    PFX_AH_LEFT_OVER = 3,    /* bits are left over from *where */
    PFX_AH_BAD_UTF8 = 4,     /* the fixed form starting at *where (its '0' bit) is not UTF-8 */
    PFX_AH_SEEN = 5,         /* the codeword at *where sends *bad_key as new, seen before */
    PFX_AH_FULL = 6,         /* more than cap symbols (never when cap >= nbits + 1) */
    PFX_AH_NOMEM = -1
};
/* Encode n keys into *out (malloc'ed, the caller frees; most significant bit first).
 * Returns -1 and sets *out, *nbits; k >= 0, the position of the first key that cannot
 * be coded (outside the alphabet or the key space, or a surrogate code point); or -2
 * when out of memory. */
int64_t pfx_adaptive_encode(const uint32_t *keys, size_t n, uint32_t nkeys, int vitter, uint8_t **out,
                            uint64_t *nbits);
/* Decode n symbols (PFX_AH_UNTIL_END: until the bits run out) from nbits bits of buf
 * into out (room for cap keys; cap >= min(n, nbits + 1) is always enough). Reads only
 * the (nbits + 7) / 8 bytes of buf. Returns a PFX_AH_ status; *count symbols are in out. */
int pfx_adaptive_decode(const uint8_t *buf, uint64_t nbits, uint64_t n, size_t cap, uint32_t nkeys, int vitter,
                        uint32_t *out, size_t *count, uint64_t *where, uint32_t *bad_key);

/* ---- small helpers ----------------------------------------------------------------- */
PFX_INLINE int pfx_clz64(uint64_t x) { /* x != 0 */
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_clzll(x);
#else
    int n = 0;
    while (!(x & (UINT64_C(1) << 63))) {
        x <<= 1;
        n++;
    }
    return n;
#endif
}

PFX_INLINE uint64_t pfx_load64le(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}
PFX_INLINE void pfx_store64le(uint8_t *p, uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, 8);
}
PFX_INLINE uint64_t pfx_load64be(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#if defined(__GNUC__) || defined(__clang__)
    v = __builtin_bswap64(v);
#else
    v = ((v & 0xFFull) << 56) | ((v & 0xFF00ull) << 40) | ((v & 0xFF0000ull) << 24) |
        ((v & 0xFF000000ull) << 8) | ((v >> 8) & 0xFF000000ull) | ((v >> 24) & 0xFF0000ull) |
        ((v >> 40) & 0xFF00ull) | (v >> 56);
#endif
#endif
    return v;
}

#endif

/* Huff0, the Huffman coder inside zstd, for bench/huff0.py: whole inputs in and out through
 * two calls, so that Python times it as it times the others.
 *
 * Huff0's entry points are not in zstd's installed header; they are in the static library
 * of Debian's libzstd-dev (zstd 1.5.4), which this file is linked with. The declarations
 * below follow zstd 1.5.4's lib/common/huf.h (HUF_compress4X_repeat,
 * HUF_decompress4X_hufOnly_wksp, HUF_isError); bench/huff0.py checks the library's version
 * before it builds this file, and every output is decoded and compared.
 *
 * The framing is this benchmark's own: the input in blocks of 128 KiB (HUF_BLOCKSIZE_MAX,
 * the largest Huff0 takes), as zstd's literals are, each with its own table; a block is a
 * 4-byte little-endian size, then Huff0's bytes, or the block stored as it is (size 0) or
 * as one byte repeated (size 1), as Huff0's return values ask. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef enum { HUF_repeat_none, HUF_repeat_check, HUF_repeat_valid } HUF_repeat;
size_t HUF_compress4X_repeat(void *dst, size_t dstSize, const void *src, size_t srcSize, unsigned maxSymbolValue,
                             unsigned tableLog, void *workSpace, size_t wkspSize, size_t *hufTable,
                             HUF_repeat *repeat, int preferRepeat, int bmi2, unsigned suspectUncompressible);
size_t HUF_decompress4X_hufOnly_wksp(uint32_t *dctx, void *dst, size_t dstSize, const void *cSrc, size_t cSrcSize,
                                     void *workSpace, size_t wkspSize, int bmi2);
unsigned HUF_isError(size_t code);
unsigned ZSTD_versionNumber(void); /* (zstd.h) */

/* The version of the zstd library linked in: 10504 for 1.5.4. */
unsigned h0_version(void) { return ZSTD_versionNumber(); }

#define BLOCK (128 * 1024)
#define TABLE_LOG 11 /* zstd's for literals (LitHufLog) */

static int bmi2(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    return __builtin_cpu_supports("bmi2");
#else
    return 0;
#endif
}

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Bytes h0_compress may write for n bytes of input. */
size_t h0_bound(size_t n) { return n + n / 64 + (n / BLOCK + 1) * (4 + 1024); }

/* Compress src[0..n) into dst (h0_bound(n) bytes); returns the size, 0 on an error. */
size_t h0_compress(const uint8_t *src, size_t n, uint8_t *dst) {
    static uint64_t work[8192];
    size_t table[257];
    int b = bmi2();
    size_t o = 0;
    for (size_t i = 0; i < n; i += BLOCK) {
        size_t m = n - i < BLOCK ? n - i : BLOCK;
        HUF_repeat repeat = HUF_repeat_none;
        size_t c = HUF_compress4X_repeat(dst + o + 4, m + m / 64 + 1024, src + i, m, 255, TABLE_LOG, work,
                                         sizeof work, table, &repeat, 0, b, 0);
        if (HUF_isError(c)) return 0;
        if (c == 0) { /* not compressible: stored */
            memcpy(dst + o + 4, src + i, m);
        } else if (c == 1) { /* one byte repeated */
            dst[o + 4] = src[i];
        }
        put32(dst + o, (uint32_t)c);
        o += 4 + (c == 0 ? m : c);
    }
    return o;
}

/* Decompress src[0..size) into dst[0..n); returns 1 when it gives n bytes. */
int h0_decompress(const uint8_t *src, size_t size, uint8_t *dst, size_t n) {
    static uint32_t dtable[1 + (1 << 12)];
    static uint64_t work[4096];
    int b = bmi2();
    size_t p = 0;
    for (size_t i = 0; i < n; i += BLOCK) {
        size_t m = n - i < BLOCK ? n - i : BLOCK;
        if (size - p < 4) return 0;
        size_t c = get32(src + p);
        p += 4;
        if (c == 0) {
            if (size - p < m) return 0;
            memcpy(dst + i, src + p, m);
            p += m;
        } else if (c == 1) {
            if (size - p < 1) return 0;
            memset(dst + i, src[p], m);
            p += 1;
        } else {
            if (size - p < c) return 0;
            dtable[0] = 12u * 0x01000001u; /* the table's header: its largest log */
            size_t r = HUF_decompress4X_hufOnly_wksp(dtable, dst + i, m, src + p, c, work, sizeof work, b);
            if (HUF_isError(r) || r != m) return 0;
            p += c;
        }
    }
    return p == size;
}

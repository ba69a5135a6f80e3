/* The .pfx container in C: constants, statuses, and the whole-member entry points.
 *
 * docs/format.md is the description of the format; container/_format.py shows these
 * constants to Python (they are read from the extension, so they exist once). Nothing
 * here uses Python: the fuzz harness links these files alone.
 */
#ifndef PFX_FORMAT_H
#define PFX_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define PFX_MAGIC "PFXC"
#define PFX_VERSION 1
#define PFX_HEADER_SIZE 6          /* magic, version, flags */
#define PFX_TRAILER_SIZE 13        /* end marker, u64 length, u32 CRC-32 */
#define PFX_MAX_BLOCK (1u << 20)   /* largest block, in original bytes; a chunk of planning */
#define PFX_CODE_BITS 11           /* longest codeword of a block */
#define PFX_META_SYMBOLS 15
#define PFX_META_BITS 7            /* longest codeword of the meta code */
#define PFX_MAX_TABLE 512          /* largest code-length table, in bytes */
#define PFX_UNIT 4096              /* planning unit */
#define PFX_TABLE_PRICE 384        /* bits: the planner's price of one more block */

enum { PFX_BLOCK_END = 0, PFX_BLOCK_RAW = 1, PFX_BLOCK_RUN = 2, PFX_BLOCK_CODED = 3 };

/* What a scan or decode found. Negative: the input is damaged at `pos`. */
enum {
    PFX_OK = 0,
    PFX_TRUNCATED = 1,        /* the input ends before the member does (more may come) */
    PFX_E_MAGIC = -1,
    PFX_E_VERSION = -2,
    PFX_E_FLAGS = -3,
    PFX_E_BLOCK_TYPE = -4,
    PFX_E_VARINT = -5,
    PFX_E_BLOCK_LENGTH = -6,  /* n outside 1..MAX_BLOCK */
    PFX_E_TABLE_SIZE = -7,    /* tsize outside 1..MAX_TABLE */
    PFX_E_TABLE = -8,         /* a code-length table that is not valid */
    PFX_E_STREAM_SIZES = -9,  /* stream sizes that do not fit the block length */
    PFX_E_STREAM = -10,       /* a stream that does not end where its size says */
    PFX_E_LENGTH = -11,       /* stored length != decoded length (stored, computed) */
    PFX_E_CRC = -12,          /* stored CRC-32 != computed (stored, computed) */
    PFX_E_LIMIT = -13,        /* the output would exceed the caller's limit (computed = limit) */
};

typedef struct {
    int status;
    size_t pos;               /* where the problem is; after a success, the end of the member */
    uint64_t stored, computed;
} pfx_report;

/* Check the member (container) that starts at src[pos]: header, every block header and
 * the trailer's stored length, without decoding tables or streams and without
 * allocating. On PFX_OK, *total is its decoded size and r->pos the offset after it. */
int pfx_member_size(const uint8_t *src, size_t n, size_t pos, uint64_t *total, pfx_report *r);

/* Decode the member at src[pos] into dst, which holds `cap` bytes (at least its size, as
 * pfx_member_size gives it). Everything is checked: tables, streams, length, CRC-32. On
 * PFX_OK, *written is its size and r->pos the offset after its trailer. */
int pfx_member_decode(const uint8_t *src, size_t n, size_t pos, uint8_t *dst, size_t cap,
                      size_t *written, pfx_report *r);

#endif

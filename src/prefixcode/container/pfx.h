/* Internal declarations shared by the container's C files and the module. */
#ifndef PFX_INTERNAL_H
#define PFX_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"

#define PFX_BLOCK_SLACK 600 /* room past a block's bytes that writing it may use */
#define PFX_MIN_UNIT 2048   /* the smallest planning unit of any level */

void pfx_plan_init(void);
uint64_t pfx_plan_log(uint64_t c);

size_t pfx_encode_lengths(const uint8_t lengths[256], uint8_t *out);
/* Bytes pfx_encode_chunk may write for a chunk of n <= MAX_BLOCK bytes. */
size_t pfx_chunk_bound(size_t n);
#define PFX_DEFAULT_LEVEL 6
/* Plan and write the blocks of one chunk (n <= MAX_BLOCK) at a level 1..9 (what each
 * trades: encode.c; the default, 6, is the rules of docs/format.md); returns their size. */
size_t pfx_encode_chunk(const uint8_t *data, size_t n, uint8_t *out, int level);
size_t pfx_compress_bound(size_t n);
size_t pfx_write_header(uint8_t *out);
size_t pfx_write_trailer(uint8_t *out, uint64_t length, uint32_t crc);
/* A whole member of n bytes into out (pfx_compress_bound(n) bytes); returns its size. */
size_t pfx_compress(const uint8_t *data, size_t n, uint8_t *out, int level);

int pfx_decode_lengths(const uint8_t *src, size_t size, uint8_t lengths[256]);

/* One block header, parsed and checked against the bytes that back it. */
typedef struct {
    int kind;
    uint32_t n;          /* original bytes */
    size_t table;        /* coded: offset of the code-length table */
    uint32_t tsize;
    uint32_t sizes[4];   /* coded: stream sizes */
    size_t payload;      /* raw: the bytes; run: the byte; coded: the streams */
    size_t next;         /* offset of the next block */
    size_t avail;        /* coded: the bytes of the input from the payload on, which a
                            decoder may read (the streams, and what follows them) */
} pfx_block;

/* Parse the block (or end marker) at src[pos]; end is the end of the input. Returns
 * PFX_OK, PFX_TRUNCATED or an error; for the end marker, b->kind is PFX_BLOCK_END and
 * b->next its offset. */
int pfx_parse_block(const uint8_t *src, size_t end, size_t pos, pfx_block *b);
/* Decode one parsed block into dst (b->n bytes): PFX_OK, PFX_E_TABLE or PFX_E_STREAM. */
int pfx_decode_block(const uint8_t *src, const pfx_block *b, uint8_t *dst);
/* Check the header at src[pos] (n bytes in all): PFX_OK, PFX_TRUNCATED or an error. */
int pfx_check_header(const uint8_t *src, size_t n, size_t pos);

/* Decode the blocks from src[pos] on until the end marker or until `stop_at` (a block
 * boundary) into dst (cap bytes); *crc is continued over what is written. */
int pfx_decode_blocks(const uint8_t *src, size_t n, size_t pos, size_t stop_at, uint8_t *dst,
                      size_t cap, size_t *written, uint32_t *crc, pfx_report *r);

#endif

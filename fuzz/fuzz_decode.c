/* libFuzzer harness of the container's C decoder: the whole-member entry points of
 * src/prefixcode/container/format.h, on consecutive members as in a .pfx file.
 *
 * For each member: pfx_member_size, then (when it succeeds and the member declares at
 * most MAX_OUTPUT bytes) pfx_member_decode into a buffer of exactly that size, so that
 * AddressSanitizer sees any write past it; then once more into a buffer one byte short,
 * which must fail. Checked: every status is one of format.h's; positions stay inside the
 * input and move forward; a decode that succeeds wrote exactly the size the scan gave
 * and ends where the scan ended; the decoded size is no more than the member's bytes can
 * declare; decoding is deterministic. A broken invariant aborts (a crash for libFuzzer).
 *
 * Build and run: fuzz/README.md (fuzz/build.sh builds it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_OUTPUT ((uint64_t)64 << 20)       /* skip members declaring more than this */
#define MAX_OUTPUT_PER_INPUT ((uint64_t)128 << 20)

static int known_status(int s) { return s == PFX_OK || s == PFX_TRUNCATED || (s <= -1 && s >= -13); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t pos = 0;
    uint64_t decoded = 0;
    while (pos < size) {
        uint64_t total = UINT64_MAX;
        pfx_report r;
        memset(&r, 0xAB, sizeof r);
        int st = pfx_member_size(data, size, pos, &total, &r);
        CHECK(known_status(st), "pfx_member_size: status outside the enum", st, r, 0, 0);
        CHECK(st == r.status, "pfx_member_size: returned status != report's", st, r, r.status, 0);
        if (st != PFX_OK) {
            CHECK(r.pos <= size, "pfx_member_size: error position past the input", st, r, size, 0);
            return 0;
        }
        size_t end = r.pos;
        CHECK(end > pos && end <= size, "pfx_member_size: end outside the input", st, r, pos, size);
        CHECK(end - pos >= PFX_HEADER_SIZE + PFX_TRAILER_SIZE, "pfx_member_size: member too short", st,
              r, end - pos, 0);
        /* every block is at least 3 bytes and declares at most MAX_BLOCK */
        CHECK(total <= (uint64_t)(end - pos) / 3 * PFX_MAX_BLOCK, "pfx_member_size: size not backed",
              st, r, total, end - pos);
        if (total > MAX_OUTPUT || decoded + total > MAX_OUTPUT_PER_INPUT) return 0;
        decoded += total;

        uint8_t *dst = malloc(total ? (size_t)total : 1);
        if (!dst) return 0;
        size_t written = (size_t)-1;
        pfx_report d;
        memset(&d, 0xAB, sizeof d);
        int ds = pfx_member_decode(data, size, pos, dst, (size_t)total, &written, &d);
        CHECK(known_status(ds), "pfx_member_decode: status outside the enum", ds, d, 0, 0);
        CHECK(ds == d.status, "pfx_member_decode: returned status != report's", ds, d, d.status, 0);
        CHECK(d.pos <= size, "pfx_member_decode: position past the input", ds, d, size, 0);
        CHECK(ds != PFX_TRUNCATED && ds != PFX_E_MAGIC && ds != PFX_E_VERSION && ds != PFX_E_FLAGS &&
                  ds != PFX_E_LIMIT,
              "pfx_member_decode: fails what pfx_member_size accepted", ds, d, 0, 0);
        if (ds == PFX_OK) {
            CHECK(written == total, "pfx_member_decode: written != pfx_member_size's total", ds, d,
                  written, total);
            CHECK(d.pos == end, "pfx_member_decode: ends elsewhere than pfx_member_size", ds, d, end, 0);
            /* the same member decodes to the same bytes */
            if (total > 0 && total <= (1u << 20)) {
                uint8_t *again = malloc((size_t)total);
                if (again) {
                    size_t w2 = 0;
                    pfx_report d2;
                    int s2 = pfx_member_decode(data, size, pos, again, (size_t)total, &w2, &d2);
                    CHECK(s2 == PFX_OK && w2 == total && memcmp(dst, again, (size_t)total) == 0,
                          "pfx_member_decode: not deterministic", s2, d2, w2, total);
                    free(again);
                }
            }
            /* a buffer one byte short must be refused, and never written past */
            if (total > 0 && total <= (1u << 20)) {
                uint8_t *small = malloc((size_t)total - 1 ? (size_t)total - 1 : 1);
                if (small) {
                    size_t w3 = 0;
                    pfx_report d3;
                    int s3 = pfx_member_decode(data, size, pos, small, (size_t)total - 1, &w3, &d3);
                    CHECK(known_status(s3) && s3 < 0, "pfx_member_decode: accepted a short buffer", s3,
                          d3, w3, total - 1);
                    free(small);
                }
            }
        }
        free(dst);
        if (ds != PFX_OK) return 0;
        pos = end;
    }
    return 0;
}

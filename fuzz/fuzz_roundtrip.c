/* libFuzzer harness of the container's C encoder, held against its decoder: any bytes,
 * compressed by pfx_compress (at the level the first byte picks) into a buffer of exactly
 * pfx_compress_bound bytes, make one member that pfx_member_size and pfx_member_decode
 * accept and that decodes to the same bytes. Also: the member is never larger than the
 * bound, and the same input and level always give the same member.
 *
 * pfx_compress is an internal entry point (container/pfx.h); build and run: fuzz/README.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pfx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    int level = 1 + data[0] % 9;
    data++;
    size--;
    pfx_report none = {0, 0, 0, 0};

    size_t bound = pfx_compress_bound(size);
    CHECK(bound >= size + PFX_HEADER_SIZE + PFX_TRAILER_SIZE, "pfx_compress_bound below the input",
          0, none, bound, size);
    uint8_t *packed = malloc(bound);
    if (!packed) return 0;
    size_t m = pfx_compress(data, size, packed, level);
    CHECK(m >= PFX_HEADER_SIZE + PFX_TRAILER_SIZE && m <= bound, "pfx_compress: size outside the bound",
          level, none, m, bound);
    uint8_t *member = malloc(m); /* exactly its size, so that the decoder's reads are checked */
    if (!member) return 0;
    memcpy(member, packed, m);
    free(packed);

    uint64_t total = 0;
    pfx_report r;
    int st = pfx_member_size(member, m, 0, &total, &r);
    CHECK(st == PFX_OK && r.pos == m && total == size, "pfx_member_size refuses pfx_compress's member",
          st, r, total, size);
    uint8_t *out = malloc(size ? size : 1);
    if (!out) return 0;
    size_t written = 0;
    st = pfx_member_decode(member, m, 0, out, size, &written, &r);
    CHECK(st == PFX_OK && written == size && r.pos == m, "pfx_member_decode refuses pfx_compress's member",
          st, r, written, size);
    CHECK(memcmp(out, data, size) == 0, "the round trip changed the bytes", level, r, size, 0);
    free(out);

    if (size <= 65536) {
        uint8_t *again = malloc(pfx_compress_bound(size));
        if (again) {
            size_t m2 = pfx_compress(data, size, again, level);
            CHECK(m2 == m && memcmp(again, member, m) == 0, "pfx_compress is not deterministic", level,
                  none, m2, m);
            free(again);
        }
    }
    free(member);
    return 0;
}

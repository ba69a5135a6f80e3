/* The tables made once, for the extension's init and for the fuzz harnesses (no Python
 * here): CRC-32's and the block planner's logarithms. */
#include "core.h"
#include "../container/pfx.h"

void pfx_crc32_init(void);

void pfx_init(void) {
    pfx_crc32_init();
    pfx_plan_init();
}

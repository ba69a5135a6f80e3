/* What the fuzz harnesses share: the one-time tables, and a check that aborts. */
#ifndef PFX_FUZZ_HARNESS_H
#define PFX_FUZZ_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "format.h"

/* core.h: the tables made once (CRC-32, the planner's logarithms) come from pfx_init()
 * (_core/init.c), "before anything else". */
void pfx_init(void);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    pfx_init();
    return 0;
}

static void fail(const char *what, int status, size_t pos, uint64_t a, uint64_t b) {
    fprintf(stderr, "fuzz: invariant broken: %s (status %d, pos %zu, %llu, %llu)\n", what, status,
            pos, (unsigned long long)a, (unsigned long long)b);
    abort();
}

#define CHECK(cond, what, st, r, a, b)                                      \
    do {                                                                    \
        if (!(cond)) fail(what, (st), (r).pos, (uint64_t)(a), (uint64_t)(b)); \
    } while (0)

#endif

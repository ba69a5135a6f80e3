/* Byte histograms: four tables, so that increments of one byte value in a row do not
 * wait on each other. */
#include "core.h"

void pfx_byte_histogram(const uint8_t *data, size_t n, uint32_t counts[256]) {
    uint32_t h[4][256];
    memset(h, 0, sizeof h);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v = pfx_load64le(data + i);
        h[0][v & 255]++;
        h[1][(v >> 8) & 255]++;
        h[2][(v >> 16) & 255]++;
        h[3][(v >> 24) & 255]++;
        h[0][(v >> 32) & 255]++;
        h[1][(v >> 40) & 255]++;
        h[2][(v >> 48) & 255]++;
        h[3][v >> 56]++;
    }
    for (; i < n; i++) h[0][data[i]]++;
    for (int b = 0; b < 256; b++) counts[b] += h[0][b] + h[1][b] + h[2][b] + h[3][b];
}

/*
 * crc32.c - table-free CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320).
 *
 * Bitwise implementation: no 1 KiB lookup table, which matters on small
 * MCUs and in boot code. Throughput is roughly 8x lower than the table
 * version, so use it for headers, config blocks and image checks.
 *
 * Check value: crc32("123456789", 9) == 0xCBF43926.
 */
#include <stddef.h>
#include <stdint.h>

#define CRC32_POLY_REFLECTED 0xEDB88320UL

/*
 * Continue a running CRC. Start with crc = 0 for a new message;
 * the pre/post inversion is handled internally.
 */
uint32_t crc32_update(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;

    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int bit = 0; bit < 8; bit++) {
            /* mask is all-ones when the LSB is set, zero otherwise */
            uint32_t mask = (uint32_t)-(int32_t)(crc & 1U);
            crc = (crc >> 1) ^ (CRC32_POLY_REFLECTED & mask);
        }
    }
    return ~crc;
}

uint32_t crc32(const void *data, size_t len)
{
    return crc32_update(0U, data, len);
}

/* fp.h — content fingerprints: BLAKE2b-128 from libsodium. Collision
 * resistance matters because the shared cache (L3) is keyed by fingerprint
 * across repositories: a crafted file in one clone must not poison another. */
#ifndef CIDX_FP_H
#define CIDX_FP_H

#include <stddef.h>
#include <stdint.h>

#define FP_LEN 16

void fp_compute(const void *data, size_t len, uint8_t out[FP_LEN]);
/* Lower-case hex of fp into out (2 * FP_LEN + 1 bytes). */
void fp_hex(const uint8_t fp[FP_LEN], char out[2 * FP_LEN + 1]);

#endif

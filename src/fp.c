/* fp.c — BLAKE2b-128 content fingerprints (libsodium's generic hash). */
#include "fp.h"
#include "util.h"

#include <pthread.h>
#include <sodium.h>

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void sodium_setup(void)
{
	if (sodium_init() < 0)
		die(3, "libsodium failed to initialise");
}

void fp_compute(const void *data, size_t len, uint8_t out[FP_LEN])
{
	pthread_once(&sodium_once, sodium_setup);
	crypto_generichash(out, FP_LEN, data, len, NULL, 0);
}

void fp_hex(const uint8_t fp[FP_LEN], char out[2 * FP_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < FP_LEN; i++) {
		out[2 * i] = hex[fp[i] >> 4];
		out[2 * i + 1] = hex[fp[i] & 15];
	}
	out[2 * FP_LEN] = 0;
}

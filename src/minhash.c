/* minhash.c — shingles, one-permutation MinHash with optimal densification,
 * band hashes and exact Jaccard (see minhash.h). */
#include "minhash.h"

#include <pthread.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

void mh_init(struct mh_state *m)
{
	memset(m->win, 0, sizeof(m->win));
	memset(m->bins, 0xff, sizeof(m->bins));
	m->ntokens = 0;
}

uint64_t mh_add(struct mh_state *m, uint64_t token)
{
	uint64_t h = token;
	unsigned n = ++m->ntokens;
	/* the shingle (win[0], ..., win[K-2], token), order-sensitive */
	for (int i = DUP_SHINGLE - 2; i >= 0; i--)
		h = h * 0x9e3779b97f4a7c15ULL + m->win[i];
	memmove(m->win, m->win + 1, sizeof(m->win) - sizeof(m->win[0]));
	m->win[DUP_SHINGLE - 2] = token;
	if (n < DUP_SHINGLE)
		return 0;
	h = mh_mix(h) | 1;   /* never 0: 0 means "no shingle yet" */
	{
		/* the top 7 bits pick the bin, the rest rank within it */
		unsigned bin = (unsigned)(h >> 57);
		uint64_t v = h & ((UINT64_C(1) << 57) - 1);
		if (v < m->bins[bin])
			m->bins[bin] = v;
	}
	return h;
}

/* The probe sequences of optimal densification: bin i, attempt k -> a bin.
 * They depend only on (i, k), so two sets borrow alike. */
#define PROBES 48
static uint8_t probe[DUP_PERMS][PROBES];
static pthread_once_t probe_once = PTHREAD_ONCE_INIT;

static void make_probes(void)
{
	for (unsigned i = 0; i < DUP_PERMS; i++)
		for (unsigned k = 0; k < PROBES; k++)
			probe[i][k] = (uint8_t)(mh_mix((uint64_t)i << 32 | (k + 1)) & (DUP_PERMS - 1));
}

int mh_finish(const struct mh_state *m, uint8_t sig[DUP_PERMS], uint32_t bands[DUP_BANDS])
{
	int any = 0;
	for (unsigned i = 0; i < DUP_PERMS && !any; i++)
		any = m->bins[i] != UINT64_MAX;
	if (!any)
		return -1;
	pthread_once(&probe_once, make_probes);
	for (unsigned i = 0; i < DUP_PERMS; i++) {
		uint64_t v = m->bins[i];
		/* an empty bin takes the value of the first non-empty bin of its
		 * probe sequence (then, past it, of the next bins in order) */
		for (unsigned k = 0; v == UINT64_MAX && k < PROBES; k++)
			v = m->bins[probe[i][k]];
		for (unsigned k = 1; v == UINT64_MAX; k++)
			v = m->bins[(i + k) & (DUP_PERMS - 1)];
		/* the low bits of the winning shingle's hash: independent of the
		 * high bits that made it the minimum */
		sig[i] = (uint8_t)v;
	}
	for (unsigned b = 0; b < DUP_BANDS; b++)
		bands[b] = (uint32_t)(XXH3_64bits_withSeed(sig + b * DUP_ROWS,
							   DUP_ROWS * sizeof(*sig), b) >> 32);
	return 0;
}

unsigned mh_equal(const uint8_t *a, const uint8_t *b)
{
	unsigned n = 0;
	for (unsigned i = 0; i < DUP_PERMS; i++)
		n += a[i] == b[i];
	return n;
}

double mh_similarity(const uint8_t *a, const uint8_t *b)
{
	return mh_equal(a, b) / (double)DUP_PERMS;
}

double shingle_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t i = 0, j = 0, inter = 0;
	if (na + nb == 0)
		return 1.0;
	while (i < na && j < nb) {
		if (a[i] == b[j]) {
			inter++;
			i++;
			j++;
		} else if (a[i] < b[j]) {
			i++;
		} else {
			j++;
		}
	}
	return (double)inter / (double)(na + nb - inter);
}

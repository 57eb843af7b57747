/* minhash.h — token shingles, one-permutation MinHash signatures and LSH
 * band hashes of function definitions, for duplicate detection (dups.h).
 *
 * A definition is a stream of normalised token values (extract.c: names and
 * literals become placeholders, keywords and punctuation stay). Its shingles
 * are the hashes of DUP_SHINGLE consecutive values; its signature has
 * DUP_PERMS 8-bit values made by one-permutation hashing with optimal
 * densification (Shrivastava 2017): each shingle costs one hash instead of
 * DUP_PERMS, which keeps the extraction workers' overhead to a few percent.
 * The fraction of equal signature values estimates the Jaccard similarity of
 * two shingle sets (8 bits per value: unrelated values agree by chance
 * once in 256, which moves an estimate by at most 0.004). Signatures are cut into DUP_BANDS bands of DUP_ROWS
 * values, each hashed to 32 bits: definitions sharing a band hash are
 * candidates (LSH). Everything here is pure computation on caller-owned
 * memory: safe from any thread. */
#ifndef CIDX_MINHASH_H
#define CIDX_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#define DUP_PERMS 128      /* signature values */
#define DUP_BANDS 16       /* LSH bands ... */
#define DUP_ROWS 8         /* ... of this many values each */
#define DUP_SHINGLE 4      /* tokens per shingle (see README: Duplicated code) */
#define DUP_SIG_FLOOR 10   /* definitions with fewer tokens get no signature */

/* Accumulates one definition's shingles. */
struct mh_state {
	uint64_t win[DUP_SHINGLE - 1]; /* the last tokens */
	uint64_t bins[DUP_PERMS];      /* minimum per bin; UINT64_MAX: empty */
	uint32_t ntokens;
};

void mh_init(struct mh_state *m);
/* Add the next normalised token value; returns the hash of the shingle it
 * completes, or 0 while fewer than DUP_SHINGLE tokens were seen. */
uint64_t mh_add(struct mh_state *m, uint64_t token);
/* Finish: the signature and its band hashes. Returns 0, or -1 when no
 * shingle was added (sig and bands then untouched). */
int mh_finish(const struct mh_state *m, uint8_t sig[DUP_PERMS], uint32_t bands[DUP_BANDS]);
/* Estimated Jaccard similarity: the fraction of equal values. */
double mh_similarity(const uint8_t *a, const uint8_t *b);
/* Number of equal values (0..DUP_PERMS). */
unsigned mh_equal(const uint8_t *a, const uint8_t *b);

/* Exact Jaccard similarity of two shingle sets given as sorted arrays of
 * distinct hashes (see extractor_def_shingles). 1.0 for two empty sets. */
double shingle_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

/* A 64-bit finaliser (from MurmurHash3's fmix64): spreads every input bit. */
static inline uint64_t mh_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

#endif

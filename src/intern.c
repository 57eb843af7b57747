/* intern.c — string interning: one arena, dense ids, an open-addressing
 * hash of ids keyed by xxHash (XXH3) of the bytes. */
#include "intern.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

void intern_init(struct intern *in)
{
	memset(in, 0, sizeof(*in));
	in->ncap = 16;
	in->off = xreallocarray(NULL, in->ncap, sizeof(*in->off));
	in->off[0] = 0;
	in->nslots = 32;
	in->slots = xcalloc(in->nslots, sizeof(*in->slots));
}

void intern_release(struct intern *in)
{
	free(in->bytes);
	free(in->off);
	free(in->slots);
	memset(in, 0, sizeof(*in));
}

static uint32_t *probe(const struct intern *in, const char *s, size_t len, uint64_t h)
{
	uint32_t mask = in->nslots - 1;
	for (uint32_t i = (uint32_t)h & mask;; i = (i + 1) & mask) {
		uint32_t id = in->slots[i];
		if (!id)
			return &in->slots[i];
		id--;
		if (intern_len(in, id) == len && !memcmp(intern_str(in, id), s, len))
			return &in->slots[i];
	}
}

static void rehash(struct intern *in)
{
	free(in->slots);
	in->nslots *= 2;
	in->slots = xcalloc(in->nslots, sizeof(*in->slots));
	for (uint32_t id = 0; id < in->n; id++) {
		const char *s = intern_str(in, id);
		uint32_t len = intern_len(in, id);
		*probe(in, s, len, XXH3_64bits(s, len)) = id + 1;
	}
}

uint32_t intern_find(const struct intern *in, const char *s, size_t len)
{
	uint32_t *slot;
	if (len > INTERN_MAX_LEN)
		len = INTERN_MAX_LEN;
	slot = probe(in, s, len, XXH3_64bits(s, len));
	return *slot ? *slot - 1 : UINT32_MAX;
}

uint32_t intern_add(struct intern *in, const char *s, size_t len, int *added)
{
	uint32_t *slot;
	if (len > INTERN_MAX_LEN)
		len = INTERN_MAX_LEN;
	slot = probe(in, s, len, XXH3_64bits(s, len));
	if (added)
		*added = !*slot;
	if (*slot)
		return *slot - 1;
	if (in->len + len + 1 > UINT32_MAX)
		die(1, "too many symbol names to hold in memory");
	if (in->len + len + 1 + INTERN_PAD > in->cap) {
		in->cap = in->cap + in->cap / 4 + len + 4096;
		in->bytes = xrealloc(in->bytes, in->cap);
		memset(in->bytes + in->len, 0, in->cap - in->len);
	}
	memcpy(in->bytes + in->len, s, len);
	in->bytes[in->len + len] = 0;
	in->len += len + 1;
	if (in->n + 2 > in->ncap) {
		in->ncap += in->ncap / 4 + 16;
		in->off = xreallocarray(in->off, in->ncap, sizeof(*in->off));
	}
	in->n++;
	in->off[in->n] = (uint32_t)in->len;
	*slot = in->n;
	if ((uint64_t)in->n * 4 > (uint64_t)in->nslots * 3)
		rehash(in);
	return in->n - 1;
}

void intern_trim(struct intern *in)
{
	in->cap = in->len + INTERN_PAD;
	in->bytes = xrealloc(in->bytes, in->cap);
	memset(in->bytes + in->len, 0, INTERN_PAD);
	in->ncap = in->n + 2;
	in->off = xreallocarray(in->off, in->ncap, sizeof(*in->off));
}

size_t intern_memory(const struct intern *in)
{
	return in->cap + (size_t)in->ncap * sizeof(*in->off) + (size_t)in->nslots * sizeof(*in->slots);
}

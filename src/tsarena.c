/* tsarena.c — the per-thread tree-sitter arena of tsarena.h. */
#include "tsarena.h"
#include "util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <tree_sitter/api.h>

#define ALIGN 16
#define HEADER 16                  /* each block: its size class, then the data (aligned) */
#define SMALL 1024                 /* sizes up to this in 16-byte classes, then powers of 2 */
#define REGION ((size_t)2 << 30)   /* address space reserved per arena */
#define KEEP_BYTES ((size_t)64 << 20) /* pages past this are given back on leave */

/* The arena of this thread while one is entered (no other thread reads it). */
static _Thread_local struct tsarena *current;

static inline int owns(const struct tsarena *a, const void *p)
{
	return (const char *)p >= a->base && (const char *)p < a->end;
}

/* The size class of n bytes, and the bytes a block of it holds. */
static unsigned size_class(size_t n, size_t *cap)
{
	unsigned k = 0;
	if (n <= SMALL) {
		k = n ? (unsigned)((n - 1) / ALIGN) : 0;
		*cap = (size_t)(k + 1) * ALIGN;
		return k;
	}
	*cap = 2 * SMALL;
	for (k = SMALL / ALIGN; *cap < n; k++)
		*cap *= 2;
	if (k >= TSARENA_CLASSES)
		die(3, "out of memory");
	return k;
}

static inline size_t block_class(const void *p)
{
	return *(const size_t *)((const char *)p - HEADER);
}

static void *take(struct tsarena *a, size_t n)
{
	size_t cap, need;
	unsigned k = size_class(n, &cap);
	char *b;
	if (a->free[k]) {
		b = a->free[k];
		memcpy(&a->free[k], b, sizeof(void *));
		return b;
	}
	need = cap + HEADER;
	if (!a->base && !a->failed) {
		void *m = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED) {
			a->failed = 1;
		} else {
			a->base = a->p = a->high = m;
			a->end = a->base + REGION;
		}
	}
	if ((size_t)(a->end - a->p) < need) {
		/* no room (or no region): an ordinary block, freed as one */
		b = malloc(n ? n : 1);
		if (!b)
			die(3, "out of memory");
		return b;
	}
	b = a->p;
	a->p += need;
	*(size_t *)b = k;
	return b + HEADER;
}

/* The bytes a block of class k holds. */
static size_t class_cap(size_t k)
{
	return k < SMALL / ALIGN ? (k + 1) * ALIGN : (size_t)2 * SMALL << (k - SMALL / ALIGN);
}

static void give_back(struct tsarena *a, void *p)
{
	size_t k = block_class(p);
	memcpy(p, &a->free[k], sizeof(void *));
	a->free[k] = p;
}

static void *ts_arena_malloc(size_t n)
{
	struct tsarena *a = current;
	void *p;
	if (a)
		return take(a, n);
	p = malloc(n);
	if (!p && n)
		die(3, "out of memory");
	return p;
}

static void *ts_arena_calloc(size_t k, size_t n)
{
	struct tsarena *a = current;
	void *p;
	if (a) {
		if (n && k > SIZE_MAX / n)
			die(3, "out of memory");
		p = take(a, k * n);
		memset(p, 0, k * n);
		return p;
	}
	p = calloc(k, n);
	if (!p && k && n)
		die(3, "out of memory");
	return p;
}

static void *ts_arena_realloc(void *old, size_t n)
{
	struct tsarena *a = current;
	void *p;
	if (a && (!old || owns(a, old))) {
		size_t had;
		if (!old)
			return take(a, n);
		had = class_cap(block_class(old));
		if (n <= had)
			return old;
		p = take(a, n);
		memcpy(p, old, had);
		give_back(a, old);
		return p;
	}
	p = realloc(old, n);
	if (!p && n)
		die(3, "out of memory");
	return p;
}

static void ts_arena_free(void *p)
{
	struct tsarena *a = current;
	if (!p)
		return;
	if (a && owns(a, p))
		give_back(a, p);   /* reused by this parse; all taken back on leave */
	else
		free(p);
}

static void install(void)
{
	ts_set_allocator(ts_arena_malloc, ts_arena_calloc, ts_arena_realloc, ts_arena_free);
}

void tsarena_install(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, install);
}

void tsarena_enter(struct tsarena *a)
{
	current = a;
}

void tsarena_leave(struct tsarena *a)
{
	current = NULL;
	memset(a->free, 0, sizeof(a->free));
	if (a->p > a->high)
		a->high = a->p;
	/* after a huge file, give the pages past KEEP_BYTES back */
	if (a->base && (size_t)(a->high - a->base) > KEEP_BYTES)
		madvise(a->base + KEEP_BYTES, (size_t)(a->high - a->base) - KEEP_BYTES, MADV_DONTNEED);
	a->p = a->high = a->base;
}

void tsarena_release(struct tsarena *a)
{
	if (a->base)
		munmap(a->base, REGION);
	memset(a, 0, sizeof(*a));
}

/* tsarena.h — a per-thread bump allocator for tree-sitter's parse of one
 * file, thrown away whole when the file is done.
 *
 * Why: a parsed tree is freed node by node (ts_tree_delete: a walk with an
 * atomic reference count per node) and the parse itself allocates and frees
 * in small pieces; together with the allocator that was about 6% of the
 * instructions of a cold index. With an arena entered around one parse (a
 * parser made for it, its tree, the walk), tree-sitter's allocations come
 * from the thread's arena, its frees of them do nothing, and tsarena_leave
 * takes all back at once: neither tree nor parser is deleted.
 *
 * tsarena_install routes tree-sitter's allocator (ts_set_allocator) through
 * here once; outside an arena, and for memory that is not the arena's, it is
 * malloc and free as before. An arena is one reserved range of address
 * space (mapped on first use, pages taken as touched); past its end,
 * allocations fall back to malloc. Inside, a freed block goes on a free list of its
 * size class and is reused (error recovery on a damaged file frees much of
 * what it allocates). Nothing made inside an arena may be used after
 * tsarena_leave. An arena belongs to one thread. */
#ifndef CIDX_TSARENA_H
#define CIDX_TSARENA_H

#include <stddef.h>

#define TSARENA_CLASSES 112    /* 64 of 16-byte steps up to 1 kB, then powers of 2 */

struct tsarena {
	char *base, *p, *end;          /* the reserved region; p: its first unused byte */
	char *high;                    /* the highest p since the last leave */
	int failed;                    /* the region could not be mapped: malloc only */
	void *free[TSARENA_CLASSES];   /* freed blocks per size class */
};

/* Route tree-sitter's allocations through the arenas (once per process). */
void tsarena_install(void);
/* Make a (zeroed) arena current on this thread; tree-sitter allocates from it
 * until tsarena_leave, which reclaims everything allocated in it. */
void tsarena_enter(struct tsarena *a);
void tsarena_leave(struct tsarena *a);
/* Free an arena's memory (not current). */
void tsarena_release(struct tsarena *a);

#endif

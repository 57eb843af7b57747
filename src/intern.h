/* intern.h — a string interning table: each distinct string is stored once,
 * NUL-terminated, in one growing arena and gets a dense id (0, 1, 2, ...).
 * Used by the search table for symbol names and file paths. Strings are
 * never removed: ids stay valid for the table's lifetime.
 *
 * Not thread-safe: the owner serialises calls (search.c holds its table
 * lock around every change). */
#ifndef CIDX_INTERN_H
#define CIDX_INTERN_H

#include <stddef.h>
#include <stdint.h>

/* The arena always has this many zero bytes after its last string, so that
 * a string may be read 16 bytes at a time past its end. */
#define INTERN_PAD 16

struct intern {
	char *bytes;          /* the arena: string i starts at bytes + off[i] */
	size_t len, cap;
	uint32_t *off;        /* n + 1 entries: off[n] is the arena's end */
	uint32_t n, ncap;
	uint32_t *slots;      /* open addressing: id + 1, 0 = empty */
	uint32_t nslots;      /* a power of two; at most 3/4 full */
};

void intern_init(struct intern *in);
void intern_release(struct intern *in);
/* The id of s[0..len), adding it when new (*added is then set to 1; added
 * may be NULL). Strings longer than INTERN_MAX_LEN are cut there. */
#define INTERN_MAX_LEN 65535u
uint32_t intern_add(struct intern *in, const char *s, size_t len, int *added);
/* The id of s[0..len), or UINT32_MAX when it was never added. */
uint32_t intern_find(const struct intern *in, const char *s, size_t len);
static inline const char *intern_str(const struct intern *in, uint32_t id)
{
	return in->bytes + in->off[id];
}
static inline uint32_t intern_len(const struct intern *in, uint32_t id)
{
	return in->off[id + 1] - in->off[id] - 1;
}
/* Give back the arena's unused tail. */
void intern_trim(struct intern *in);
/* Bytes of heap memory held. */
size_t intern_memory(const struct intern *in);

#endif

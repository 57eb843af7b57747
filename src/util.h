/* util.h — allocation wrappers that abort on out-of-memory, a growable byte
 * buffer, and small string helpers shared by every engine module. */
#ifndef CIDX_UTIL_H
#define CIDX_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* xreallocarray aborts when n * size overflows. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "cidx: MSG" to stderr and exit(code). */
_Noreturn void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Grow *arr (of *cap elements of size elem) so that it holds at least need. */
void grow_array(void **arr, size_t *cap, size_t need, size_t elem);
#define ARRAY_GROW(arr, cap, need) grow_array((void **)&(arr), &(cap), (need), sizeof(*(arr)))

struct strbuf {
	char *buf;   /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};
#define STRBUF_INIT { NULL, 0, 0 }
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_reset(struct strbuf *sb);
/* Append v as 4 bytes, little-endian (the byte order of index.db blobs). */
void sb_put32(struct strbuf *sb, uint32_t v);
/* Read 4 little-endian bytes. */
static inline uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
void sb_release(struct strbuf *sb);

/* Monotonic clock in seconds. */
double now_seconds(void);

/* Read a whole file into a freshly allocated NUL-terminated buffer.
 * Returns 0, or -1 with errno set. */
int read_file(const char *path, char **out, size_t *len);


/* Append s[0..n) to sb with every control character and escape sequence made
 * visible (caret notation: ESC → "^[", DEL → "^?", C1 controls → "<U+0085>"
 * style), tabs expanded to single spaces, and invalid UTF-8 bytes shown as
 * "\xNN". Text from files never reaches a terminal any other way. */
void sb_add_visible(struct strbuf *sb, const char *s, size_t n);
/* Append s as a JSON string literal (with quotes); invalid UTF-8 becomes U+FFFD. */
void sb_add_json(struct strbuf *sb, const char *s);
#endif

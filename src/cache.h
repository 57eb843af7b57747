/* cache.h — the content-keyed cache tiers behind the index.
 *
 *   L1  in-process memory, fingerprint -> extraction result, LRU bounded by
 *       bytes; shared by the workers (l1.lock). A worker that misses marks
 *       the fingerprint in flight, so identical files are parsed once.
 *   L3  cas.db in the cache directory, shared by every repository and
 *       worktree of the user: (fingerprint, language@grammar, extractor
 *       version) -> serialized result; size-capped (CIDX_CAS_MAX, default
 *       1 GiB) with least-recently-used eviction.
 * (L0 is the stat check and L2 the repository's own rows: see indexer.c.) */
#ifndef CIDX_CACHE_H
#define CIDX_CACHE_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include "extract.h"
#include "fp.h"
#include "util.h"

/* ---- serialization (also the L3 value format) ---- */
/* Append r to sb in a self-describing binary form. */
void xresult_serialize(const struct xresult *r, struct strbuf *sb);
/* Parse data into r (cleared first). Every offset and index is checked: a
 * damaged or foreign blob gives -1, never a crash. */
int xresult_deserialize(struct xresult *r, const void *data, size_t len);
void xresult_copy(struct xresult *dst, const struct xresult *src);

/* ---- L1 ---- */
struct l1;
struct l1 *l1_new(size_t max_bytes);
void l1_free(struct l1 *c);
/* Look fp up. On a hit, copy the result into out and return 1. On a miss
 * return 0 and mark fp in flight: the caller must l1_put or l1_abandon it.
 * When another thread has fp in flight, wait for it first. */
int l1_get_or_claim(struct l1 *c, const uint8_t fp[FP_LEN], int lang, struct xresult *out);
void l1_put(struct l1 *c, const uint8_t fp[FP_LEN], int lang, const struct xresult *r);
void l1_abandon(struct l1 *c, const uint8_t fp[FP_LEN], int lang);

/* ---- L3 ---- */
#define CAS_DEFAULT_MAX ((uint64_t)1 << 30)

/* The cap from $CIDX_CAS_MAX ("500M", "2G", bytes), else the default.
 * Returns -1 with a message for a malformed value. */
int cas_max_bytes(uint64_t *out, struct strbuf *err);
/* Path of cas.db (caller frees). */
char *cas_path(void);

struct cas;
/* Open cas.db at path (created when missing). One connection: use it from
 * one thread. A cache that cannot be opened is not an error for indexing:
 * returns NULL with a reason in err, and the caller goes on without L3. */
struct cas *cas_open(const char *path, struct strbuf *err);
void cas_close(struct cas *c);
/* Returns 1 and fills out on a hit, 0 on a miss. */
int cas_get(struct cas *c, const uint8_t fp[FP_LEN], int lang, struct xresult *out);
/* Queue a put / a last-used touch; cas_flush writes them in one transaction
 * and then evicts least-recently-used entries beyond max_bytes. */
int cas_put(struct cas *c, const uint8_t fp[FP_LEN], int lang, const struct xresult *r);
int cas_touch(struct cas *c, const uint8_t fp[FP_LEN], int lang);
int cas_begin(struct cas *c);
int cas_commit(struct cas *c);
int cas_evict(struct cas *c, uint64_t max_bytes, uint64_t *evicted);

#endif

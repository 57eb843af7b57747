/* dups.c — per-file definition blobs and the in-memory duplicate engine
 * (see dups.h): definitions, identical-signature groups, LSH buckets, edges
 * between similar groups, exact-body groups, clusters by union-find. */
#include "dups.h"
#include "fp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define DX_MAGIC "CXD1"
#define DX_FIXED 26    /* sym, line, end_line, ntokens, hash (8), has_sig, name length */
#define DX_SIG (DUP_BANDS * 4 + DUP_PERMS)
#define NONE UINT32_MAX

void dups_encode(const struct xresult *x, struct strbuf *blob)
{
	sb_add(blob, DX_MAGIC, 4);
	sb_put32(blob, (uint32_t)x->ndefs);
	for (size_t i = 0; i < x->ndefs; i++) {
		const struct xdef *d = &x->defs[i];
		const struct xsym *y = &x->syms[d->sym];
		const char *name = xstr(x, y->name);
		size_t nl = strlen(name);
		char b[2];
		if (nl > 255)
			nl = 255;
		sb_put32(blob, d->sym);
		sb_put32(blob, y->line);
		sb_put32(blob, y->end_line);
		sb_put32(blob, d->ntokens);
		sb_put32(blob, (uint32_t)d->hash);
		sb_put32(blob, (uint32_t)(d->hash >> 32));
		b[0] = (char)d->has_sig;
		b[1] = (char)nl;
		sb_add(blob, b, 2);
		sb_add(blob, name, nl);
		if (d->has_sig) {
			for (int k = 0; k < DUP_BANDS; k++)
				sb_put32(blob, d->bands[k]);
			sb_add(blob, (const char *)d->sig, DUP_PERMS);
		}
	}
}

/* ---- a u64 -> u32 hash map (open addressing, tombstones) ---------------- */

struct slot {
	uint64_t key;
	uint32_t val;        /* NONE: empty, TOMB: deleted */
};

struct map {
	struct slot *s;
	size_t cap, used;    /* used counts live and deleted slots */
};
#define TOMB (NONE - 1)

static size_t map_slot(const struct map *m, uint64_t key)
{
	size_t mask = m->cap - 1, i = (size_t)mh_mix(key) & mask, tomb = SIZE_MAX;
	for (;; i = (i + 1) & mask) {
		if (m->s[i].val == NONE)
			return tomb != SIZE_MAX ? tomb : i;
		if (m->s[i].val == TOMB) {
			if (tomb == SIZE_MAX)
				tomb = i;
		} else if (m->s[i].key == key) {
			return i;
		}
	}
}

static void map_grow(struct map *m)
{
	struct map n;
	n.cap = m->cap ? m->cap * 2 : 64;
	n.used = 0;
	n.s = xreallocarray(NULL, n.cap, sizeof(*n.s));
	for (size_t i = 0; i < n.cap; i++)
		n.s[i].val = NONE;
	for (size_t i = 0; i < m->cap; i++)
		if (m->s[i].val < TOMB) {
			n.s[map_slot(&n, m->s[i].key)] = m->s[i];
			n.used++;
		}
	free(m->s);
	*m = n;
}

/* Room for n keys without growing. */
static void map_reserve(struct map *m, size_t n)
{
	while ((n + 1) * 4 > m->cap * 3)
		map_grow(m);
}

static uint32_t map_get(const struct map *m, uint64_t key)
{
	size_t i;
	if (!m->cap)
		return NONE;
	i = map_slot(m, key);
	return m->s[i].val < TOMB && m->s[i].key == key ? m->s[i].val : NONE;
}

static void map_put(struct map *m, uint64_t key, uint32_t val)
{
	size_t i;
	if ((m->used + 1) * 4 > m->cap * 3)
		map_grow(m);
	i = map_slot(m, key);
	if (m->s[i].val == NONE)
		m->used++;
	m->s[i].key = key;
	m->s[i].val = val;
}

static void map_del(struct map *m, uint64_t key)
{
	size_t i;
	if (!m->cap)
		return;
	i = map_slot(m, key);
	if (m->s[i].val < TOMB && m->s[i].key == key)
		m->s[i].val = TOMB;
}

static void map_release(struct map *m)
{
	free(m->s);
	memset(m, 0, sizeof(*m));
}

/* ---- the engine ---------------------------------------------------------- */

struct u32vec {
	uint32_t *v;
	size_t n, cap;
};

static void vec_push(struct u32vec *a, uint32_t x)
{
	ARRAY_GROW(a->v, a->cap, a->n + 1);
	a->v[a->n++] = x;
}

/* Remove the first x (order not kept). */
static void vec_remove(struct u32vec *a, uint32_t x)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i] == x) {
			a->v[i] = a->v[--a->n];
			return;
		}
}

struct dfile {
	char *path;          /* NULL: a free slot */
	uint8_t fp[FP_LEN];
	int64_t size;
	struct u32vec defs;
};

struct ddef {
	uint32_t file;       /* NONE: a free slot */
	uint32_t name;       /* offset in names */
	uint32_t line, end_line, ntokens;
	uint64_t hash;
	uint32_t group;      /* signature group, or NONE (no signature / too short) */
	uint32_t body;       /* exact-body group, or NONE (too short) */
};

struct edge {
	uint32_t g;          /* the other group */
	uint32_t eq;         /* equal signature values */
};

struct dgroup {          /* definitions with one signature */
	uint8_t sig[DUP_PERMS];
	uint32_t bands[DUP_BANDS];
	uint32_t bnext[DUP_BANDS]; /* the next group in the same LSH bucket, or NONE */
	uint64_t key;
	struct u32vec members;   /* defs; empty: a free slot */
	struct edge *edges;
	size_t nedges, edges_cap;
};

struct dbody {           /* definitions with one exact body */
	uint64_t key;
	struct u32vec members;
};

struct dups {
	struct dups_opts o;
	uint32_t need;           /* equal values needed: ceil(threshold * DUP_PERMS) */
	struct dfile *files;
	size_t nfiles, files_cap;
	struct u32vec free_files;
	struct map file_of;      /* XXH3 of the path -> files index (chained by probing) */
	struct ddef *defs;
	size_t ndefs, defs_cap;
	struct u32vec free_defs;
	struct strbuf names;     /* the definitions' names, NUL-terminated */
	size_t name_bytes;       /* ... of which still used */
	struct dgroup *groups;
	size_t ngroups, groups_cap;
	struct u32vec free_groups;
	struct map group_of;     /* signature hash -> group */
	struct map bucket[DUP_BANDS]; /* per band: band hash -> first group of the bucket */
	int loading;             /* dups_load: groups are linked band by band at the end */
	struct dbody *bodies;
	size_t nbodies, bodies_cap;
	struct u32vec free_bodies;
	struct map body_of;      /* body key -> bodies index */
	uint32_t *cluster;       /* per group: union-find root after recluster */
	size_t cluster_cap;
	size_t nedges;
};

static uint64_t path_key(const char *path)
{
	return XXH3_64bits(path, strlen(path));
}

static uint64_t sig_key(const uint8_t *sig)
{
	return XXH3_64bits(sig, DUP_PERMS * sizeof(*sig));
}

static uint64_t body_key(uint64_t hash, uint32_t ntokens)
{
	return hash ^ mh_mix(ntokens + 0x5bd1e995ULL);
}

static uint32_t find_file(const struct dups *d, const char *path)
{
	/* paths are unique; on a 64-bit key collision, fall back to a scan */
	uint32_t f = map_get(&d->file_of, path_key(path));
	if (f != NONE && !strcmp(d->files[f].path, path))
		return f;
	if (f == NONE)
		return NONE;
	for (size_t i = 0; i < d->nfiles; i++)
		if (d->files[i].path && !strcmp(d->files[i].path, path))
			return (uint32_t)i;
	return NONE;
}

static uint32_t take_slot(void **arr, size_t *n, size_t *cap, size_t elem, struct u32vec *free_)
{
	if (free_->n)
		return free_->v[--free_->n];
	grow_array(arr, cap, *n + 1, elem);
	memset((char *)*arr + *n * elem, 0, elem);
	return (uint32_t)(*n)++;
}

static void add_edge(struct dgroup *g, uint32_t other, uint32_t eq)
{
	ARRAY_GROW(g->edges, g->edges_cap, g->nedges + 1);
	g->edges[g->nedges++] = (struct edge){ other, eq };
}

/* Put group gi in its band-b bucket, comparing it with the groups there. */
static void link_band(struct dups *d, uint32_t gi, unsigned b)
{
	struct map *m = &d->bucket[b];
	uint32_t head = map_get(m, d->groups[gi].bands[b]);
	for (uint32_t hi = head; hi != NONE; hi = d->groups[hi].bnext[b]) {
		const struct dgroup *g = &d->groups[gi], *h = &d->groups[hi];
		unsigned eq, earlier = 0;
		/* a pair meeting in several bands is compared in the first */
		for (unsigned e = 0; e < b && !earlier; e++)
			earlier = g->bands[e] == h->bands[e];
		if (earlier)
			continue;
		eq = mh_equal(g->sig, h->sig);
		if (eq >= d->need) {
			add_edge(&d->groups[gi], hi, eq);
			add_edge(&d->groups[hi], gi, eq);
			d->nedges++;
		}
	}
	d->groups[gi].bnext[b] = head;
	map_put(m, d->groups[gi].bands[b], gi);
}

static void unlink_group(struct dups *d, uint32_t gi)
{
	struct dgroup *g = &d->groups[gi];
	for (unsigned b = 0; b < DUP_BANDS; b++) {
		struct map *m = &d->bucket[b];
		uint32_t head = map_get(m, g->bands[b]);
		if (head == gi) {
			if (g->bnext[b] == NONE)
				map_del(m, g->bands[b]);
			else
				map_put(m, g->bands[b], g->bnext[b]);
		} else {
			for (uint32_t p = head; p != NONE; p = d->groups[p].bnext[b])
				if (d->groups[p].bnext[b] == gi) {
					d->groups[p].bnext[b] = g->bnext[b];
					break;
				}
		}
	}
	for (size_t i = 0; i < g->nedges; i++) {
		struct dgroup *h = &d->groups[g->edges[i].g];
		for (size_t k = 0; k < h->nedges; k++)
			if (h->edges[k].g == gi) {
				h->edges[k] = h->edges[--h->nedges];
				break;
			}
		d->nedges--;
	}
	g->nedges = 0;
	map_del(&d->group_of, g->key);
	vec_push(&d->free_groups, gi);
}

static void join_body(struct dups *d, uint32_t di)
{
	struct ddef *x = &d->defs[di];
	uint64_t key = body_key(x->hash, x->ntokens);
	uint32_t bi = map_get(&d->body_of, key);
	if (bi == NONE) {
		bi = take_slot((void **)&d->bodies, &d->nbodies, &d->bodies_cap, sizeof(*d->bodies),
			       &d->free_bodies);
		d->bodies[bi].key = key;
		map_put(&d->body_of, key, bi);
	}
	vec_push(&d->bodies[bi].members, di);
	d->defs[di].body = bi;
}

static void join_group(struct dups *d, uint32_t di, const uint8_t *sig, const uint32_t *bands)
{
	uint64_t key = sig_key(sig);
	uint32_t gi = map_get(&d->group_of, key);
	/* two different signatures with one 64-bit key: the second stays alone */
	if (gi != NONE && memcmp(d->groups[gi].sig, sig, sizeof(d->groups[gi].sig)))
		return;
	if (gi == NONE) {
		struct u32vec keep;
		struct edge *ke;
		size_t kc;
		gi = take_slot((void **)&d->groups, &d->ngroups, &d->groups_cap, sizeof(*d->groups),
			       &d->free_groups);
		/* a reused slot keeps its arrays */
		keep = d->groups[gi].members;
		ke = d->groups[gi].edges;
		kc = d->groups[gi].edges_cap;
		memset(&d->groups[gi], 0, sizeof(d->groups[gi]));
		d->groups[gi].members = keep;
		d->groups[gi].members.n = 0;
		d->groups[gi].edges = ke;
		d->groups[gi].edges_cap = kc;
		memcpy(d->groups[gi].sig, sig, sizeof(d->groups[gi].sig));
		memcpy(d->groups[gi].bands, bands, sizeof(d->groups[gi].bands));
		d->groups[gi].key = key;
		map_put(&d->group_of, key, gi);
		if (!d->loading)
			for (unsigned b = 0; b < DUP_BANDS; b++)
				link_band(d, gi, b);
	}
	vec_push(&d->groups[gi].members, di);
	d->defs[di].group = gi;
}

static void remove_def(struct dups *d, uint32_t di)
{
	struct ddef *x = &d->defs[di];
	if (x->group != NONE) {
		struct dgroup *g = &d->groups[x->group];
		vec_remove(&g->members, di);
		if (!g->members.n)
			unlink_group(d, x->group);
	}
	if (x->body != NONE) {
		struct dbody *b = &d->bodies[x->body];
		vec_remove(&b->members, di);
		if (!b->members.n) {
			map_del(&d->body_of, b->key);
			vec_push(&d->free_bodies, x->body);
		}
	}
	d->name_bytes -= strlen(d->names.buf + x->name) + 1;
	x->file = NONE;
	vec_push(&d->free_defs, di);
}

static void remove_file(struct dups *d, uint32_t fi)
{
	struct dfile *f = &d->files[fi];
	for (size_t i = 0; i < f->defs.n; i++)
		remove_def(d, f->defs.v[i]);
	f->defs.n = 0;
	map_del(&d->file_of, path_key(f->path));
	free(f->path);
	f->path = NULL;
	vec_push(&d->free_files, fi);
}

/* Add a file and the definitions of its blob (NULL: none). */
static int add_file(struct dups *d, const char *path, const void *fp, int64_t size,
		    const unsigned char *p, size_t len, struct strbuf *err)
{
	uint32_t fi = take_slot((void **)&d->files, &d->nfiles, &d->files_cap, sizeof(*d->files),
				&d->free_files);
	struct dfile *f = &d->files[fi];
	const unsigned char *end = p + len;
	uint32_t n;
	f->path = xstrdup(path);
	f->defs.n = 0;
	if (fp)
		memcpy(f->fp, fp, FP_LEN);
	f->size = size;
	map_put(&d->file_of, path_key(path), fi);
	if (!p)
		return 0;
	if (len < 8 || memcmp(p, DX_MAGIC, 4))
		goto bad;
	n = get_le32(p + 4);
	p += 8;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t di;
		struct ddef *x;
		size_t nl;
		int has_sig;
		if ((size_t)(end - p) < DX_FIXED)
			goto bad;
		has_sig = p[24];
		nl = p[25];
		if (has_sig > 1 || (size_t)(end - p) < DX_FIXED + nl + (has_sig ? DX_SIG : 0))
			goto bad;
		di = take_slot((void **)&d->defs, &d->ndefs, &d->defs_cap, sizeof(*d->defs),
			       &d->free_defs);
		x = &d->defs[di];
		x->file = fi;
		x->line = get_le32(p + 4);
		x->end_line = get_le32(p + 8);
		x->ntokens = get_le32(p + 12);
		x->hash = get_le32(p + 16) | (uint64_t)get_le32(p + 20) << 32;
		x->group = x->body = NONE;
		x->name = (uint32_t)d->names.len;
		sb_add(&d->names, (const char *)p + DX_FIXED, nl);
		sb_addc(&d->names, 0);
		d->name_bytes += nl + 1;
		vec_push(&d->files[fi].defs, di);
		p += DX_FIXED + nl;
		if (x->ntokens >= d->o.min_tokens) {
			join_body(d, di);
			if (has_sig) {
				uint32_t bands[DUP_BANDS];
				for (int k = 0; k < DUP_BANDS; k++)
					bands[k] = get_le32(p + 4 * k);
				join_group(d, di, p + DUP_BANDS * 4, bands);
			}
		}
		if (has_sig)
			p += DX_SIG;
	}
	if (p != end)
		goto bad;
	return 0;
bad:
	sb_addf(err, "the duplicate signatures of '%s' in the index are damaged; "
		"run 'cidx index' again (delete the index if this persists)", path);
	return -1;
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* Connected components of the groups' edges. */
static void recluster(struct dups *d)
{
	ARRAY_GROW(d->cluster, d->cluster_cap, d->ngroups ? d->ngroups : 1);
	for (uint32_t g = 0; g < d->ngroups; g++)
		d->cluster[g] = g;
	for (uint32_t g = 0; g < d->ngroups; g++)
		for (size_t k = 0; k < d->groups[g].nedges; k++) {
			uint32_t a = uf_find(d->cluster, g), b = uf_find(d->cluster, d->groups[g].edges[k].g);
			if (a != b) {
				/* the smaller index becomes the root: a deterministic shape */
				if (a < b)
					d->cluster[b] = a;
				else
					d->cluster[a] = b;
			}
		}
	for (uint32_t g = 0; g < d->ngroups; g++)
		d->cluster[g] = uf_find(d->cluster, g);
}

static const char files_sql[] =
	"SELECT f.path, f.fp, f.size, s.data FROM files f LEFT JOIN dupsigs s ON s.file_id = f.id";

static int load_rows(struct dups *d, sqlite3 *db, const char *path, struct strbuf *err)
{
	sqlite3_stmt *s;
	int rc;
	char *sql = path ? xasprintf("%s WHERE f.path = ?1", files_sql) : xstrdup(files_sql);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		sb_addf(err, "reading duplicate signatures: %s", sqlite3_errmsg(db));
		free(sql);
		return -1;
	}
	free(sql);
	if (path)
		sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const void *fp = sqlite3_column_bytes(s, 1) == FP_LEN ? sqlite3_column_blob(s, 1) : NULL;
		const unsigned char *blob = sqlite3_column_blob(s, 3);
		if (add_file(d, (const char *)sqlite3_column_text(s, 0), fp, sqlite3_column_int64(s, 2),
			     blob, (size_t)sqlite3_column_bytes(s, 3), err) < 0) {
			sqlite3_finalize(s);
			return -1;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		sb_addf(err, "reading duplicate signatures: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

struct dups *dups_load(sqlite3 *db, const struct dups_opts *o, struct strbuf *err)
{
	struct dups *d = xcalloc(1, sizeof(*d));
	d->o = *o;
	d->need = (uint32_t)ceil(o->threshold * DUP_PERMS - 1e-9);
	if (d->need < 1)
		d->need = 1;
	sb_addc(&d->names, 0);
	d->loading = 1;
	if (load_rows(d, db, NULL, err) < 0) {
		dups_free(d);
		return NULL;
	}
	/* band by band: one band's table stays in cache while all groups pass */
	for (unsigned b = 0; b < DUP_BANDS; b++) {
		map_reserve(&d->bucket[b], d->ngroups);
		for (uint32_t g = 0; g < d->ngroups; g++)
			link_band(d, g, b);
	}
	d->loading = 0;
	recluster(d);
	return d;
}

/* Drop the names of removed definitions once they are most of the arena. */
static void compact_names(struct dups *d)
{
	struct strbuf n = STRBUF_INIT;
	if (d->names.len < 2 * d->name_bytes + (1 << 16))
		return;
	sb_addc(&n, 0);
	for (size_t i = 0; i < d->ndefs; i++) {
		const char *name;
		if (d->defs[i].file == NONE)
			continue;
		name = d->names.buf + d->defs[i].name;
		d->defs[i].name = (uint32_t)n.len;
		sb_add(&n, name, strlen(name) + 1);
	}
	sb_release(&d->names);
	d->names = n;
}

int dups_update_file(struct dups *d, sqlite3 *db, const char *path, struct strbuf *err)
{
	uint32_t fi = find_file(d, path);
	int rc;
	if (fi != NONE)
		remove_file(d, fi);
	compact_names(d);
	rc = load_rows(d, db, path, err);
	recluster(d);
	return rc;
}

void dups_free(struct dups *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nfiles; i++) {
		free(d->files[i].path);
		free(d->files[i].defs.v);
	}
	for (size_t i = 0; i < d->ngroups; i++) {
		free(d->groups[i].members.v);
		free(d->groups[i].edges);
	}
	for (size_t i = 0; i < d->nbodies; i++)
		free(d->bodies[i].members.v);
	free(d->files);
	free(d->free_files.v);
	free(d->defs);
	free(d->free_defs.v);
	free(d->groups);
	free(d->free_groups.v);
	free(d->bodies);
	free(d->free_bodies.v);
	free(d->cluster);
	sb_release(&d->names);
	map_release(&d->file_of);
	map_release(&d->group_of);
	for (unsigned b = 0; b < DUP_BANDS; b++)
		map_release(&d->bucket[b]);
	map_release(&d->body_of);
	free(d);
}

void dups_stats(const struct dups *d, struct dups_stats *s)
{
	s->files = d->nfiles - d->free_files.n;
	s->defs = d->ndefs - d->free_defs.n;
	s->groups = d->ngroups - d->free_groups.n;
	s->edges = d->nedges;
	s->buckets = 0;
	for (unsigned b = 0; b < DUP_BANDS; b++)
		for (size_t i = 0; i < d->bucket[b].cap; i++)
			s->buckets += d->bucket[b].s[i].val < TOMB;
}

/* ---- the report ---------------------------------------------------------- */

/* Definitions in report order: path, then line, then name. */
static int cmp_def(const void *a, const void *b, void *ctx)
{
	const struct dups *d = ctx;
	const struct ddef *x = &d->defs[*(const uint32_t *)a], *y = &d->defs[*(const uint32_t *)b];
	int c = strcmp(d->files[x->file].path, d->files[y->file].path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	c = strcmp(d->names.buf + x->name, d->names.buf + y->name);
	if (c)
		return c;
	return (*(const uint32_t *)a > *(const uint32_t *)b) - (*(const uint32_t *)a < *(const uint32_t *)b);
}

static int cmp_set(const void *a, const void *b)
{
	const struct dups_set *x = a, *y = b;
	int c;
	if (x->lines != y->lines)
		return x->lines > y->lines ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	c = strcmp(x->m[0].path, y->m[0].path);
	if (c)
		return c;
	return (x->m[0].line > y->m[0].line) - (x->m[0].line < y->m[0].line);
}

static uint32_t def_lines(const struct ddef *x)
{
	return x->end_line >= x->line ? x->end_line - x->line + 1 : 1;
}

/* A set of the definitions ids[0..n) (sorted here). */
static void make_set(const struct dups *d, uint32_t *ids, size_t n, struct dups_set *out)
{
	qsort_r(ids, n, sizeof(*ids), cmp_def, (void *)d);
	out->m = xreallocarray(NULL, n, sizeof(*out->m));
	out->n = n;
	out->lines = 0;
	out->size = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ddef *x = &d->defs[ids[i]];
		out->m[i] = (struct dups_member){ d->files[x->file].path, d->names.buf + x->name,
						  x->line, x->end_line, x->ntokens, x->hash, 1.0, 0 };
		out->lines += def_lines(x);
	}
}

struct fp_ref {
	const struct dfile *f;
};

static int cmp_fp(const void *a, const void *b)
{
	const struct dfile *x = ((const struct fp_ref *)a)->f, *y = ((const struct fp_ref *)b)->f;
	int c = memcmp(x->fp, y->fp, FP_LEN);
	return c ? c : strcmp(x->path, y->path);
}

static void report_files(const struct dups *d, struct dups_report *r)
{
	struct fp_ref *v = xreallocarray(NULL, d->nfiles ? d->nfiles : 1, sizeof(*v));
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < d->nfiles; i++)
		if (d->files[i].path && d->files[i].size > 0)
			v[n++].f = &d->files[i];
	qsort(v, n, sizeof(*v), cmp_fp);
	for (size_t i = 0, j; i < n; i = j) {
		struct dups_set *s;
		for (j = i + 1; j < n && !memcmp(v[j].f->fp, v[i].f->fp, FP_LEN); j++)
			;
		if (j - i < 2)
			continue;
		ARRAY_GROW(r->files, cap, r->nfiles + 1);
		s = &r->files[r->nfiles++];
		s->n = j - i;
		s->m = xcalloc(s->n, sizeof(*s->m));
		s->size = (uint64_t)v[i].f->size;
		s->lines = 0;
		for (size_t k = i; k < j; k++)
			s->m[k - i] = (struct dups_member){ v[k].f->path, NULL, 0, 0, 0, 0, 1.0, 0 };
	}
	free(v);
	if (r->nfiles > 1)
		qsort(r->files, r->nfiles, sizeof(*r->files), cmp_set);
}

/* Best partner of each member of near cluster s (ids in the set's order):
 * a copy with the same signature, else the neighbour group with the most
 * equal values; ties go to the member first in order. pos[g] and pos2[g]
 * (NONE on entry, restored on return) hold a group's first two members. */
static void best_partners(const struct dups *d, const uint32_t *ids, struct dups_set *s,
			  uint32_t *pos, uint32_t *pos2)
{
	for (size_t i = 0; i < s->n; i++) {
		uint32_t g = d->defs[ids[i]].group;
		if (pos[g] == NONE)
			pos[g] = (uint32_t)i;
		else if (pos2[g] == NONE)
			pos2[g] = (uint32_t)i;
	}
	for (size_t i = 0; i < s->n; i++) {
		uint32_t gi = d->defs[ids[i]].group, best = NONE, best_eq = 0;
		const struct dgroup *g = &d->groups[gi];
		if (pos2[gi] != NONE) {
			best = pos[gi] != i ? pos[gi] : pos2[gi];
			best_eq = DUP_PERMS;
		} else {
			for (size_t e = 0; e < g->nedges; e++) {
				uint32_t k = pos[g->edges[e].g];
				if (g->edges[e].eq > best_eq || (g->edges[e].eq == best_eq && k < best)) {
					best_eq = g->edges[e].eq;
					best = k;
				}
			}
		}
		s->m[i].sim = best_eq / (double)DUP_PERMS;
		s->m[i].with = best == NONE ? 0 : best;
	}
	for (size_t i = 0; i < s->n; i++) {
		uint32_t g = d->defs[ids[i]].group;
		pos[g] = pos2[g] = NONE;
	}
}

void dups_report(struct dups *d, int near, struct dups_report *r)
{
	uint32_t *ids = xreallocarray(NULL, d->ndefs ? d->ndefs : 1, sizeof(*ids));
	uint8_t *dup = xcalloc(d->ndefs ? d->ndefs : 1, 1);
	size_t cap = 0;
	memset(r, 0, sizeof(*r));
	report_files(d, r);
	for (size_t i = 0; i < d->ndefs; i++)
		if (d->defs[i].file != NONE) {
			r->defs++;
			r->def_lines += def_lines(&d->defs[i]);
		}
	/* exact bodies */
	for (size_t b = 0; b < d->nbodies; b++) {
		const struct u32vec *m = &d->bodies[b].members;
		if (m->n < 2)
			continue;
		memcpy(ids, m->v, m->n * sizeof(*ids));
		ARRAY_GROW(r->exact, cap, r->nexact + 1);
		make_set(d, ids, m->n, &r->exact[r->nexact++]);
		for (size_t k = 0; k < m->n; k++)
			dup[m->v[k]] = 1;
	}
	if (r->nexact > 1)
		qsort(r->exact, r->nexact, sizeof(*r->exact), cmp_set);
	if (near) {
		/* clusters: the defs of each component, gathered by root */
		uint32_t *count = xcalloc(d->ngroups ? d->ngroups : 1, sizeof(*count));
		uint32_t *start = xcalloc(d->ngroups + 1, sizeof(*start));
		uint32_t *fill, *order, total = 0;
		uint32_t *pos = xreallocarray(NULL, d->ngroups ? d->ngroups : 1, sizeof(*pos));
		uint32_t *pos2 = xreallocarray(NULL, d->ngroups ? d->ngroups : 1, sizeof(*pos2));
		memset(pos, 0xff, (d->ngroups ? d->ngroups : 1) * sizeof(*pos));
		memset(pos2, 0xff, (d->ngroups ? d->ngroups : 1) * sizeof(*pos2));
		cap = 0;
		for (size_t g = 0; g < d->ngroups; g++)
			if (d->groups[g].members.n)
				count[d->cluster[g]] += (uint32_t)d->groups[g].members.n;
		for (size_t g = 0; g < d->ngroups; g++) {
			start[g] = total;
			total += count[g];
		}
		start[d->ngroups] = total;
		order = xreallocarray(NULL, total ? total : 1, sizeof(*order));
		fill = xcalloc(d->ngroups ? d->ngroups : 1, sizeof(*fill));
		for (size_t g = 0; g < d->ngroups; g++)
			for (size_t k = 0; k < d->groups[g].members.n; k++) {
				uint32_t c = d->cluster[g];
				order[start[c] + fill[c]++] = d->groups[g].members.v[k];
			}
		for (size_t c = 0; c < d->ngroups; c++) {
			uint32_t n = count[c], *m = order + start[c];
			int distinct = 0;
			struct dups_set *s;
			if (n < 2)
				continue;
			for (uint32_t k = 1; k < n && !distinct; k++)
				distinct = d->defs[m[k]].body != d->defs[m[0]].body;
			if (!distinct)
				continue;   /* only exact copies: listed above */
			ARRAY_GROW(r->near, cap, r->nnear + 1);
			s = &r->near[r->nnear++];
			make_set(d, m, n, s);
			best_partners(d, m, s, pos, pos2);
			for (uint32_t k = 0; k < n; k++)
				dup[m[k]] = 1;
		}
		if (r->nnear > 1)
			qsort(r->near, r->nnear, sizeof(*r->near), cmp_set);
		free(pos);
		free(pos2);
		free(count);
		free(start);
		free(order);
		free(fill);
	}
	for (size_t i = 0; i < d->ndefs; i++)
		if (dup[i])
			r->dup_lines += def_lines(&d->defs[i]);
	free(ids);
	free(dup);
}

void dups_summarize(const struct dups_report *r, struct dups_summary *s)
{
	s->share = r->def_lines ? (double)r->dup_lines / (double)r->def_lines : 0.0;
	s->clusters = r->nfiles + r->nexact + r->nnear;
}

static void release_sets(struct dups_set *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].m);
	free(s);
}

void dups_report_release(struct dups_report *r)
{
	release_sets(r->files, r->nfiles);
	release_sets(r->exact, r->nexact);
	release_sets(r->near, r->nnear);
	memset(r, 0, sizeof(*r));
}

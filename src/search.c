/* search.c — the in-memory symbol table behind fuzzy search, and the
 * ranked query over it. Owns: interned match texts with their character
 * masks and call counts, the symbols (struct of arrays), per-file ranges
 * and callee lists for incremental updates, the query parser, the scorer
 * and the scan. See search.h for the ranking rules and the locking. */
#include "search.h"
#include "extract.h"
#include "query.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define NONE UINT32_MAX
#define SEARCH_DEAD 0xff
/* A text's mask word: bits 0-46 the character classes present (text_mask),
 * 47-54 its first byte, 55-62 its live symbols (255: that many or more, see
 * nsyms), 63 set while it has any. One load tells a scan most of what it
 * needs before it touches the text. */
#define CLASS_BITS ((1ull << 47) - 1)
#define FIRST_SHIFT 47
#define COUNT_SHIFT 55
#define LIVE_BIT (1ull << 63)

struct search_file {
	uint32_t lo, n;             /* symbol slots lo .. lo+n-1 */
	uint32_t *callees;          /* string ids of the names this file calls */
	uint16_t *callee_n;         /* and how often (saturated at UINT16_MAX) */
	uint32_t ncallees;
	uint8_t lang;
	uint8_t live;
};

/* ---- characters ---------------------------------------------------------- */

enum { C_OTHER, C_LOWER, C_UPPER, C_DIGIT, C_SEP, C_COMP };

/* Scores (fzf-like): every matched character earns MATCH; a character where
 * a word starts earns a bonus; a gap costs GAP_START plus GAP_EXT per extra
 * skipped character; inside a consecutive run each character earns at least
 * CONSEC and at least the bonus of the run's first character. */
enum {
	MATCH = 16,
	GAP_START = -3,
	GAP_EXT = -1,
	B_START = 10,      /* the text's first character, whatever it is */
	B_COMP = 9,        /* after :: or / (a namespace or a directory) */
	B_BOUNDARY = 8,    /* after _ - . or space (a word or a member) */
	B_NONWORD = 8,     /* the separator itself */
	B_CAMEL = 7,       /* fooBar, HTTPServer, x86Foo */
	CONSEC = 4,
	FIRST_MULT = 2,
	GAP_VOWEL = -1,    /* per vowel, for a gap of vowels only */
	GAP_LEAST = GAP_VOWEL > GAP_START ? GAP_VOWEL : GAP_START,   /* the cheapest gap */
};
#define NEG (-1000000)
#define SCAN_CHUNK 8192   /* texts a scanning thread takes at a time */

static uint8_t cls[256];
/* The bonus of a character of class c after one of class p (p = 6: at the
 * text's start). */
static uint8_t btab[7][6];
static uint8_t is_vowel[256];
static unsigned char fold_tab[256], same_tab[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables_init(void)
{
	for (int c = 0; c < 256; c++) {
		same_tab[c] = (unsigned char)c;
		fold_tab[c] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		if ((c >= 'a' && c <= 'z') || c >= 0x80)
			cls[c] = C_LOWER;
		else if (c >= 'A' && c <= 'Z')
			cls[c] = C_UPPER;
		else if (c >= '0' && c <= '9')
			cls[c] = C_DIGIT;
		else if (c == '_' || c == '-' || c == ' ' || c == '.')
			cls[c] = C_SEP;
		else if (c == ':' || c == '/')
			cls[c] = C_COMP;
		else
			cls[c] = C_OTHER;
	}
	for (const char *v = "aeiouAEIOU"; *v; v++)
		is_vowel[(unsigned char)*v] = 1;
	for (int p = 0; p < 7; p++)
		for (int c = 0; c < 6; c++) {
			int b = 0;
			if (p == 6)
				b = B_START;
			else if (c == C_SEP || c == C_COMP || c == C_OTHER)
				b = B_NONWORD;
			else if (p == C_COMP)
				b = B_COMP;
			else if (p == C_SEP || p == C_OTHER)
				b = B_BOUNDARY;
			else if (p == C_LOWER && c == C_UPPER)
				b = B_CAMEL;
			else if ((p == C_DIGIT) != (c == C_DIGIT))
				b = B_CAMEL;
			btab[p][c] = (uint8_t)b;
		}
}


static int bonus_at(const unsigned char *s, int n, int j)
{
	int c = cls[s[j]], p = j ? cls[s[j - 1]] : 6;
	if (p == C_UPPER && c == C_UPPER && j + 1 < n && cls[s[j + 1]] == C_LOWER)
		return B_CAMEL;   /* the S of HTTPServer */
	return btab[p][c];
}

static inline int is_word(unsigned char c)
{
	return cls[c] == C_LOWER || cls[c] == C_UPPER || cls[c] == C_DIGIT;
}

/* The bonus of the t-th character of a run whose first character has bonus
 * first and which starts the whole match when lead is set. */
static inline int run_bonus(int first, int cur, int t, int lead)
{
	int b;
	if (t == 0)
		return lead ? first * FIRST_MULT : first;
	b = cur > first ? cur : first;
	return b > CONSEC ? b : CONSEC;
}

/* The score of a term of m characters that is the text's prefix: no
 * alignment of m characters scores higher. */
static int max_score(int m)
{
	return m * MATCH + B_START * FIRST_MULT + (m - 1) * B_START;
}

static uint64_t char_bit(unsigned char c)
{
	c = fold_tab[c];
	if (c >= 'a' && c <= 'z')
		return 1ull << (c - 'a');
	if (c >= '0' && c <= '9')
		return 1ull << (26 + c - '0');
	switch (c) {
	case '_': return 1ull << 36;
	case '.': return 1ull << 37;
	case ':': return 1ull << 38;
	case '/': return 1ull << 39;
	case '-': return 1ull << 40;
	}
	return 1ull << (41 + c % 6);
}

static uint64_t text_mask(const char *s, size_t n)
{
	uint64_t m = 0;
	for (size_t i = 0; i < n; i++)
		m |= char_bit((unsigned char)s[i]);
	return m;
}

/* ---- the table ----------------------------------------------------------- */

const char *search_qual_sep(const char *lang)
{
	(void)lang;   /* C members: "parent.name"; other languages may differ */
	return ".";
}

void search_table_init(struct search_table *t)
{
	pthread_once(&tables_once, tables_init);
	memset(t, 0, sizeof(*t));
	if (pthread_rwlock_init(&t->lock, NULL))
		die(1, "cannot create the search table lock");
	intern_init(&t->strs);
	intern_init(&t->paths);
}

static void table_clear(struct search_table *t)
{
	for (uint32_t f = 0; f < t->paths.n; f++) {
		free(t->files[f].callees);
		free(t->files[f].callee_n);
	}
	for (int i = 0; i < t->nlangs; i++)
		free(t->langs[i]);
	intern_release(&t->strs);
	intern_release(&t->paths);
	free(t->mask);
	free(t->first);
	free(t->nsyms);
	free(t->calls);
	free(t->name);
	free(t->text);
	free(t->next);
	free(t->file);
	free(t->line);
	free(t->kind);
	free(t->files);
}

void search_table_release(struct search_table *t)
{
	table_clear(t);
	pthread_rwlock_destroy(&t->lock);
	memset(t, 0, sizeof(*t));
}

/* Empty the table, keeping the lock (caller holds it). */
static void table_reset(struct search_table *t)
{
	uint64_t gen = t->generation;
	size_t keep = offsetof(struct search_table, generation);
	table_clear(t);
	memset((char *)t + keep, 0, sizeof(*t) - keep);   /* everything but the lock */
	t->generation = gen + 1;
	intern_init(&t->strs);
	intern_init(&t->paths);
}

/* Arrays grow by an eighth: the table is large and grows slowly once loaded. */
static size_t grow_cap(size_t cap, size_t need)
{
	size_t c = cap + cap / 8 + 1024;
	return c > need ? c : need;
}

/* Resize the per-string and the per-symbol arrays to cap entries. */
static void strs_resize(struct search_table *t, size_t cap)
{
	t->mask = xreallocarray(t->mask, cap, sizeof(*t->mask));
	t->first = xreallocarray(t->first, cap, sizeof(*t->first));
	t->nsyms = xreallocarray(t->nsyms, cap, sizeof(*t->nsyms));
	t->calls = xreallocarray(t->calls, cap, sizeof(*t->calls));
	t->strs_cap = cap;
}

static void slots_resize(struct search_table *t, size_t cap)
{
	t->name = xreallocarray(t->name, cap, sizeof(*t->name));
	t->text = xreallocarray(t->text, cap, sizeof(*t->text));
	t->next = xreallocarray(t->next, cap, sizeof(*t->next));
	t->file = xreallocarray(t->file, cap, sizeof(*t->file));
	t->line = xreallocarray(t->line, cap, sizeof(*t->line));
	t->kind = xreallocarray(t->kind, cap, sizeof(*t->kind));
	t->slots_cap = cap;
}

/* Give back what growth left unused (after a load or a compaction). */
static void table_trim(struct search_table *t)
{
	strs_resize(t, t->strs.n ? t->strs.n : 1);
	slots_resize(t, t->nslots ? t->nslots : 1);
	intern_trim(&t->strs);
}

static uint32_t str_id(struct search_table *t, const char *s, size_t len)
{
	int added;
	uint32_t id = intern_add(&t->strs, s, len, &added);
	if (added) {
		if (t->strs.n > t->strs_cap)
			strs_resize(t, grow_cap(t->strs_cap, t->strs.n));
		t->mask[id] = text_mask(intern_str(&t->strs, id), intern_len(&t->strs, id)) |
			      (uint64_t)(unsigned char)intern_str(&t->strs, id)[0] << FIRST_SHIFT;
		t->first[id] = NONE;
		t->nsyms[id] = 0;
		t->calls[id] = 0;
	}
	return id;
}

static int lang_id(struct search_table *t, const char *lang)
{
	for (int i = 0; i < t->nlangs; i++)
		if (!strcmp(t->langs[i], lang))
			return i;
	if (t->nlangs == (int)(sizeof(t->langs) / sizeof(t->langs[0])))
		return 0;
	t->langs[t->nlangs] = xstrdup(lang);
	return t->nlangs++;
}

static uint32_t file_id(struct search_table *t, const char *path, const char *lang)
{
	int added;
	uint32_t f = intern_add(&t->paths, path, strlen(path), &added);
	if (added) {
		ARRAY_GROW(t->files, t->files_cap, (size_t)t->paths.n);
		memset(&t->files[f], 0, sizeof(t->files[f]));
	}
	t->files[f].lang = (uint8_t)lang_id(t, lang);
	t->files[f].live = 1;
	return f;
}

/* Keep a text's live count in its mask word (see CLASS_BITS). */
static void mask_count(struct search_table *t, uint32_t text)
{
	uint32_t n = t->nsyms[text] < 255 ? t->nsyms[text] : 255;
	t->mask[text] = (t->mask[text] & ~(LIVE_BIT | 255ull << COUNT_SHIFT)) |
			(uint64_t)n << COUNT_SHIFT | (n ? LIVE_BIT : 0);
}

static void sym_append(struct search_table *t, uint32_t f, uint32_t name, uint32_t text, int kind,
		       uint32_t line)
{
	size_t s = t->nslots;
	struct search_file *sf = &t->files[f];
	if (s >= NONE - 1)
		die(1, "too many symbols to hold in memory");
	if (s == t->slots_cap)
		slots_resize(t, grow_cap(t->slots_cap, s + 1));
	if (!sf->n)
		sf->lo = (uint32_t)s;
	sf->n++;
	t->name[s] = name;
	t->text[s] = text;
	t->file[s] = f;
	t->line[s] = line;
	t->kind[s] = (uint8_t)kind;
	t->next[s] = t->first[text];
	t->first[text] = (uint32_t)s;
	t->nsyms[text]++;
	mask_count(t, text);
	t->nslots++;
}

/* Add one symbol whose qualified name is qual (name is its tail). */
static void sym_add(struct search_table *t, uint32_t f, const char *name, const char *qual,
		    int kind, uint32_t line)
{
	uint32_t nid = str_id(t, name, strlen(name));
	uint32_t tid = qual ? str_id(t, qual, strlen(qual)) : nid;
	sym_append(t, f, nid, tid, kind, line);
}

/* Mark a file's symbols dead; the slots are reclaimed by compact(). */
static void file_drop(struct search_table *t, uint32_t f)
{
	struct search_file *sf = &t->files[f];
	for (uint32_t s = sf->lo; s < sf->lo + sf->n; s++) {
		uint32_t text = t->text[s];
		if (t->kind[s] == SEARCH_DEAD)
			continue;
		t->kind[s] = SEARCH_DEAD;
		t->nsyms[text]--;
		mask_count(t, text);
		t->ndead++;
	}
	sf->n = 0;
	sf->live = 0;
}

/* Squeeze dead slots out, keeping the order, and rebuild the text lists. */
static void compact(struct search_table *t)
{
	size_t w = 0;
	uint32_t *map;
	if (t->ndead < 1024 || t->ndead * 4 < t->nslots)
		return;
	map = xreallocarray(NULL, t->nslots + 1, sizeof(*map));
	for (size_t s = 0; s < t->nslots; s++) {
		map[s] = (uint32_t)w;
		if (t->kind[s] == SEARCH_DEAD)
			continue;
		t->name[w] = t->name[s];
		t->text[w] = t->text[s];
		t->file[w] = t->file[s];
		t->line[w] = t->line[s];
		t->kind[w] = t->kind[s];
		w++;
	}
	for (uint32_t f = 0; f < t->paths.n; f++)
		if (t->files[f].n)
			t->files[f].lo = map[t->files[f].lo];
	free(map);
	t->nslots = w;
	t->ndead = 0;
	table_trim(t);
	for (uint32_t i = 0; i < t->strs.n; i++)
		t->first[i] = NONE;
	for (size_t s = w; s-- > 0;) {
		t->next[s] = t->first[t->text[s]];
		t->first[t->text[s]] = (uint32_t)s;
	}
}

void search_add(struct search_table *t, const char *path, const char *lang, const char *name,
		const char *parent, int kind, uint32_t line)
{
	uint32_t f;
	char *qual = NULL;
	pthread_rwlock_wrlock(&t->lock);
	f = file_id(t, path, lang);
	if (parent)
		qual = xasprintf("%s%s%s", parent, search_qual_sep(lang), name);
	sym_add(t, f, name, qual, kind, line);
	free(qual);
	t->generation++;
	pthread_rwlock_unlock(&t->lock);
}

void search_set_calls(struct search_table *t, const char *name, uint32_t n)
{
	pthread_rwlock_wrlock(&t->lock);
	t->calls[str_id(t, name, strlen(name))] = n;
	t->generation++;
	pthread_rwlock_unlock(&t->lock);
}

size_t search_table_count(struct search_table *t)
{
	size_t n;
	pthread_rwlock_rdlock(&t->lock);
	n = t->nslots - t->ndead;
	pthread_rwlock_unlock(&t->lock);
	return n;
}

void search_table_memory(struct search_table *t, struct search_memory *m)
{
	uint8_t *seen;
	memset(m, 0, sizeof(*m));
	pthread_rwlock_rdlock(&t->lock);
	seen = xcalloc(t->strs.n + 1, 1);
	for (size_t s = 0; s < t->nslots; s++) {
		if (t->kind[s] == SEARCH_DEAD || seen[t->name[s]])
			continue;
		seen[t->name[s]] = 1;
		m->name_bytes += intern_len(&t->strs, t->name[s]) + 1;
	}
	free(seen);
	m->symbols = t->nslots - t->ndead;
	m->strings = t->strs.n;
	m->total = sizeof(*t) + intern_memory(&t->strs) + intern_memory(&t->paths) +
		   t->strs_cap * (sizeof(*t->mask) + sizeof(*t->first) + sizeof(*t->nsyms) +
				  sizeof(*t->calls)) +
		   t->slots_cap * (sizeof(*t->name) + sizeof(*t->text) + sizeof(*t->next) +
				   sizeof(*t->file) + sizeof(*t->line) + sizeof(*t->kind)) +
		   t->files_cap * sizeof(*t->files);
	for (uint32_t f = 0; f < t->paths.n; f++)
		m->total += t->files[f].ncallees * (sizeof(uint32_t) + sizeof(uint16_t));
	for (int i = 0; i < t->nlangs; i++)
		m->total += strlen(t->langs[i]) + 1;
	m->per_symbol = m->symbols ? (double)(m->total - m->name_bytes) / (double)m->symbols : 0;
	pthread_rwlock_unlock(&t->lock);
}

/* ---- reading the index ----------------------------------------------------- */

struct loader {
	sqlite3 *db;
	sqlite3_stmt *file;      /* one file by path */
	sqlite3_stmt *syms;      /* a file's symbols by id range */
	sqlite3_stmt *callees;   /* the distinct names a file calls */
	sqlite3_stmt *count;     /* call sites naming a name */
};

static int loader_init(struct loader *l, sqlite3 *db, struct strbuf *err)
{
	memset(l, 0, sizeof(*l));
	l->db = db;
	if (sqlite3_prepare_v2(db, "SELECT id, lang, sym_lo, nsyms FROM files WHERE path = ?", -1,
			       &l->file, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT id, name, kind, line, parent, scope FROM symbols"
			       " WHERE id >= ?1 AND id < ?1 + ?2 ORDER BY id", -1, &l->syms, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT callee, n FROM callrefs WHERE file_id = ?", -1,
			       &l->callees, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT coalesce(sum(n), 0) FROM callrefs WHERE callee = ?", -1, &l->count,
			       NULL)) {
		sb_addf(err, "reading the index for search: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static void loader_release(struct loader *l)
{
	sqlite3_finalize(l->file);
	sqlite3_finalize(l->syms);
	sqlite3_finalize(l->callees);
	sqlite3_finalize(l->count);
}

/* Append "a.b.name" (the parent chain, outermost first) to q. */
static void qualify(struct strbuf *q, const char *lang, const char *const *chain, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		sb_adds(q, chain[i]);
		if (i)
			sb_adds(q, search_qual_sep(lang));
	}
}

/* Read file f's symbols (ids lo .. lo+n-1) and callees from the index. */
static int file_read(struct search_table *t, struct loader *l, uint32_t f, int64_t db_id,
		     int64_t lo, int64_t n)
{
	struct strbuf names = STRBUF_INIT, q = STRBUF_INIT;
	struct row { size_t name, scope; int kind; uint32_t line; int64_t parent; } *rows = NULL;
	size_t nrows = 0, cap = 0, ncallees = 0, ncounts = 0;
	const char *lang = t->langs[t->files[f].lang];
	int rc;
	sqlite3_bind_int64(l->syms, 1, lo);
	sqlite3_bind_int64(l->syms, 2, n);
	while ((rc = sqlite3_step(l->syms)) == SQLITE_ROW) {
		ARRAY_GROW(rows, cap, nrows + 1);
		rows[nrows].name = names.len;
		sb_add(&names, (const char *)sqlite3_column_text(l->syms, 1),
		       (size_t)sqlite3_column_bytes(l->syms, 1) + 1);
		rows[nrows].scope = 0;
		if (sqlite3_column_bytes(l->syms, 5) > 0) {
			rows[nrows].scope = names.len;
			sb_add(&names, (const char *)sqlite3_column_text(l->syms, 5),
			       (size_t)sqlite3_column_bytes(l->syms, 5) + 1);
		}
		rows[nrows].kind = sqlite3_column_int(l->syms, 2);
		rows[nrows].line = (uint32_t)sqlite3_column_int(l->syms, 3);
		rows[nrows].parent = sqlite3_column_type(l->syms, 4) == SQLITE_NULL
					     ? -1 : sqlite3_column_int64(l->syms, 4) - lo;
		nrows++;
	}
	sqlite3_reset(l->syms);
	if (rc != SQLITE_DONE)
		goto fail;
	for (size_t i = 0; i < nrows; i++) {
		const char *chain[16];
		int depth = 0;
		int64_t p = (int64_t)i;
		/* ids are the file's rows in order: a parent is an index into rows */
		while (p >= 0 && p < (int64_t)nrows && depth < 16) {
			chain[depth++] = names.buf + rows[p].name;
			p = rows[p].parent;
		}
		sb_reset(&q);
		if (rows[i].scope) {
			/* languages with scopes: "Class.method", whatever the nesting */
			sb_adds(&q, names.buf + rows[i].scope);
			sb_adds(&q, search_qual_sep(lang));
			sb_adds(&q, names.buf + rows[i].name);
			depth = 2;
		} else if (depth > 1) {
			qualify(&q, lang, chain, depth);
		}
		sym_add(t, f, names.buf + rows[i].name, depth > 1 ? q.buf : NULL, rows[i].kind,
			rows[i].line);
	}
	sqlite3_bind_int64(l->callees, 1, db_id);
	while ((rc = sqlite3_step(l->callees)) == SQLITE_ROW) {
		struct search_file *sf = &t->files[f];
		uint32_t id = str_id(t, (const char *)sqlite3_column_text(l->callees, 0),
				     (size_t)sqlite3_column_bytes(l->callees, 0));
		int64_t times = sqlite3_column_int64(l->callees, 1);
		ARRAY_GROW(sf->callees, ncallees, (size_t)sf->ncallees + 1);
		ARRAY_GROW(sf->callee_n, ncounts, (size_t)sf->ncallees + 1);
		sf->callee_n[sf->ncallees] = (uint16_t)(times < 0 ? 0 : times > UINT16_MAX ? UINT16_MAX : times);
		sf->callees[sf->ncallees++] = id;
	}
	sqlite3_reset(l->callees);
fail:
	free(rows);
	sb_release(&names);
	sb_release(&q);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void set_count(void *ctx, const char *name, int64_t n)
{
	struct search_table *t = ctx;
	t->calls[str_id(t, name, strlen(name))] = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

int search_table_load(struct search_table *t, sqlite3 *db, struct strbuf *err)
{
	struct loader l;
	struct query q;
	sqlite3_stmt *files;
	int rc = -1, step;
	if (loader_init(&l, db, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT id, path, lang, sym_lo, nsyms FROM files ORDER BY id", -1,
			       &files, NULL)) {
		sb_addf(err, "reading the index for search: %s", sqlite3_errmsg(db));
		loader_release(&l);
		return -1;
	}
	pthread_rwlock_wrlock(&t->lock);
	table_reset(t);
	while ((step = sqlite3_step(files)) == SQLITE_ROW) {
		uint32_t f = file_id(t, (const char *)sqlite3_column_text(files, 1),
				     (const char *)sqlite3_column_text(files, 2));
		if (file_read(t, &l, f, sqlite3_column_int64(files, 0), sqlite3_column_int64(files, 3),
			      sqlite3_column_int64(files, 4)) < 0) {
			step = SQLITE_ERROR;
			break;
		}
	}
	query_init(&q, db);
	if (step == SQLITE_DONE && query_call_counts(&q, set_count, t) == 0)
		rc = 0;
	else
		sb_addf(err, "reading the index for search: %s", sqlite3_errmsg(db));
	query_release(&q);
	table_trim(t);
	t->generation++;
	pthread_rwlock_unlock(&t->lock);
	sqlite3_finalize(files);
	loader_release(&l);
	return rc;
}

/* A name's call count, from every file's rows. */
static int recount(struct search_table *t, struct loader *l, uint32_t id)
{
	int rc = 0;
	sqlite3_bind_text(l->count, 1, intern_str(&t->strs, id), -1, SQLITE_STATIC);
	if (sqlite3_step(l->count) == SQLITE_ROW)
		t->calls[id] = (uint32_t)sqlite3_column_int64(l->count, 0);
	else
		rc = -1;
	sqlite3_reset(l->count);
	return rc;
}

int search_update_file(struct search_table *t, sqlite3 *db, const char *path, struct strbuf *err)
{
	struct loader l;
	uint32_t f, *old = NULL, nold = 0;
	uint16_t *old_n = NULL;
	int rc = 0, found;
	if (loader_init(&l, db, err) < 0)
		return -1;
	pthread_rwlock_wrlock(&t->lock);
	f = intern_find(&t->paths, path, strlen(path));
	if (f != NONE) {
		file_drop(t, f);
		old = t->files[f].callees;
		old_n = t->files[f].callee_n;
		nold = t->files[f].ncallees;
		t->files[f].callees = NULL;
		t->files[f].callee_n = NULL;
		t->files[f].ncallees = 0;
	}
	sqlite3_bind_text(l.file, 1, path, -1, SQLITE_STATIC);
	found = sqlite3_step(l.file);
	if (found == SQLITE_ROW) {
		f = file_id(t, path, (const char *)sqlite3_column_text(l.file, 1));
		rc = file_read(t, &l, f, sqlite3_column_int64(l.file, 0),
			       sqlite3_column_int64(l.file, 2), sqlite3_column_int64(l.file, 3));
	} else if (found != SQLITE_DONE) {
		rc = -1;
	}
	sqlite3_reset(l.file);
	/* Call counts: this file's calls out before the change, its calls in
	 * after. A count the file holds saturated, or that would go negative
	 * (it was loaded from other rows), is asked again of the index. */
	for (uint32_t i = 0; i < nold && rc == 0; i++) {
		uint32_t id = old[i];
		if (old_n[i] == UINT16_MAX || t->calls[id] < old_n[i])
			rc = recount(t, &l, id);
		else
			t->calls[id] -= old_n[i];
	}
	for (uint32_t i = 0; rc == 0 && f != NONE && i < t->files[f].ncallees; i++) {
		uint32_t id = t->files[f].callees[i];
		if (t->files[f].callee_n[i] == UINT16_MAX)
			rc = recount(t, &l, id);
		else
			t->calls[id] += t->files[f].callee_n[i];
	}
	if (rc < 0)
		sb_addf(err, "reading '%s' for search: %s", path, sqlite3_errmsg(db));
	compact(t);
	t->generation++;
	pthread_rwlock_unlock(&t->lock);
	free(old);
	free(old_n);
	loader_release(&l);
	return rc;
}

/* ---- queries ------------------------------------------------------------- */

enum { T_FUZZY, T_EXACT, T_PREFIX, T_SUFFIX, T_EQUAL };

struct term {
	int type, inv, fold;
	int mask_exact;             /* one character the mask bit alone proves present */
	uint64_t *where;            /* fuzzy, at most 64 characters: for each byte, the
				     * positions in text it matches (bit i: text[i]) */
	char *text;                 /* folded when fold */
	int len;
	uint64_t mask;
};

struct filter {
	int inv, fold;
	char *text;
};

struct squery {
	struct term *terms;
	int nterms;
	uint32_t kinds;             /* allowed kinds (bit per kind); 0: any */
	uint32_t nokinds;
	struct filter *files;       /* f: and !f: */
	int nfiles;
	char **langs;               /* l: values; nolangs: !l: */
	int nlangs;
	char **nolangs;
	int nnolangs;
	uint64_t mask;              /* every positive term's characters, plus LIVE_BIT */
};

static void squery_release(struct squery *q)
{
	for (int i = 0; i < q->nterms; i++) {
		free(q->terms[i].text);
		free(q->terms[i].where);
	}
	for (int i = 0; i < q->nfiles; i++)
		free(q->files[i].text);
	for (int i = 0; i < q->nlangs; i++)
		free(q->langs[i]);
	for (int i = 0; i < q->nnolangs; i++)
		free(q->nolangs[i]);
	free(q->terms);
	free(q->files);
	free(q->langs);
	free(q->nolangs);
	memset(q, 0, sizeof(*q));
}

static int has_upper(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return 1;
	return 0;
}

/* k:VALUE: a kind name, or a prefix of one. When a prefix fits several
 * names and one of them is the start of all the others, it is that one
 * (k:func is function, not function-macro). */
static int parse_kind(const char *v, size_t n, const char *tok, uint32_t *bits, struct strbuf *err)
{
	int found = -1, nfound = 0;
	char *val = xstrndup(v, n);
	for (size_t i = 0; i < n; i++)
		val[i] = (char)fold_tab[(unsigned char)val[i]];
	for (int k = 0; k < SK__COUNT; k++)
		if (!strncmp(sym_kind_name(k), val, n))
			nfound++;
	for (int k = 0; k < SK__COUNT && found < 0; k++) {
		const char *name = sym_kind_name(k);
		int starts_all = !strncmp(name, val, n);
		for (int o = 0; o < SK__COUNT && starts_all; o++)
			if (!strncmp(sym_kind_name(o), val, n))
				starts_all = !strncmp(sym_kind_name(o), name, strlen(name));
		if (starts_all)
			found = k;
	}
	if (found < 0) {
		sb_addf(err, "%s kind '%s' in '%s'; kinds: ", nfound ? "ambiguous" : "unknown", val, tok);
		for (int k = 0, first = 1; k < SK__COUNT; k++) {
			if (nfound && strncmp(sym_kind_name(k), val, n))
				continue;
			sb_addf(err, "%s%s", first ? "" : ", ", sym_kind_name(k));
			first = 0;
		}
		free(val);
		return -1;
	}
	free(val);
	*bits |= 1u << found;
	return 0;
}

static int known_lang(const struct search_table *t, const char *v)
{
	for (int i = 0; i < lang_count(); i++)
		if (!strcmp(lang_name(i), v))
			return 1;
	for (int i = 0; i < t->nlangs; i++)
		if (!strcmp(t->langs[i], v))
			return 1;
	return 0;
}

static int parse_lang(const struct search_table *t, const char *v, size_t n, const char *tok,
		      char ***list, int *count, struct strbuf *err)
{
	char *val = xstrndup(v, n);
	if (!known_lang(t, val)) {
		sb_addf(err, "unknown language '%s' in '%s'; languages: ", val, tok);
		lang_names_add(err);
		free(val);
		return -1;
	}
	*list = xreallocarray(*list, (size_t)*count + 1, sizeof(**list));
	(*list)[(*count)++] = val;
	return 0;
}

/* One whitespace-free token tok[0..n). */
static int parse_token(const struct search_table *t, struct squery *q, const char *tok, size_t n,
		       struct strbuf *err)
{
	char *whole = xstrndup(tok, n);
	const char *p = tok;
	int inv = 0, rc = 0, type = T_FUZZY;
	size_t len = n;
	struct term *tm;
	if (len > 1 && *p == '!') {
		inv = 1;
		p++;
		len--;
	}
	if (len > 2 && p[1] == ':' && (p[0] == 'k' || p[0] == 'f' || p[0] == 'l')) {
		const char *v = p + 2;
		size_t vn = len - 2;
		if (p[0] == 'k') {
			rc = parse_kind(v, vn, whole, inv ? &q->nokinds : &q->kinds, err);
		} else if (p[0] == 'l') {
			rc = inv ? parse_lang(t, v, vn, whole, &q->nolangs, &q->nnolangs, err)
				 : parse_lang(t, v, vn, whole, &q->langs, &q->nlangs, err);
		} else {
			struct filter *fl;
			q->files = xreallocarray(q->files, (size_t)q->nfiles + 1, sizeof(*q->files));
			fl = &q->files[q->nfiles++];
			fl->inv = inv;
			fl->fold = !has_upper(v, vn);
			fl->text = xstrndup(v, vn);
		}
		free(whole);
		return rc;
	}
	if (len == 2 && p[1] == ':' && (p[0] == 'k' || p[0] == 'f' || p[0] == 'l')) {
		sb_addf(err, "'%s' needs a value after the colon (k:function, f:src/, l:c)", whole);
		free(whole);
		return -1;
	}
	/* an inverse term is a substring test unless ' makes it fuzzy (as in fzf) */
	if (inv)
		type = T_EXACT;
	if (len > 1 && *p == '\'') {
		type = inv ? T_FUZZY : T_EXACT;
		p++;
		len--;
	} else if (len > 1 && *p == '^') {
		type = T_PREFIX;
		p++;
		len--;
	}
	if (len > 1 && p[len - 1] == '$') {
		type = type == T_PREFIX ? T_EQUAL : T_SUFFIX;
		len--;
	}
	q->terms = xreallocarray(q->terms, (size_t)q->nterms + 1, sizeof(*q->terms));
	tm = &q->terms[q->nterms++];
	tm->type = type;
	tm->inv = inv;
	tm->fold = !has_upper(p, len);
	tm->text = xstrndup(p, len);
	tm->len = (int)len;
	for (size_t i = 0; tm->fold && i < len; i++)
		tm->text[i] = (char)fold_tab[(unsigned char)tm->text[i]];
	tm->mask = text_mask(p, len);
	tm->where = NULL;
	if (type == T_FUZZY && !inv && len <= 64) {
		tm->where = xcalloc(256, sizeof(*tm->where));
		for (int c = 0; c < 256; c++)
			for (size_t i = 0; i < len; i++)
				if ((tm->fold ? fold_tab[c] : c) == (unsigned char)tm->text[i])
					tm->where[c] |= 1ull << i;
	}
	tm->mask_exact = type == T_FUZZY && len == 1 && tm->fold && (isalnum((unsigned char)*p) ||
								    strchr("_.:/-", *p));
	if (!inv)
		q->mask |= tm->mask;
	free(whole);
	return 0;
}

static int squery_parse(const struct search_table *t, struct squery *q, const char *text,
			struct strbuf *err)
{
	memset(q, 0, sizeof(*q));
	q->mask = LIVE_BIT;
	for (const char *p = text; *p;) {
		size_t n;
		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (n && parse_token(t, q, p, n, err) < 0) {
			squery_release(q);
			return -1;
		}
		p += n;
	}
	return 0;
}

/* ---- scoring ------------------------------------------------------------- */

/* Scratch space of one scanning thread for the alignment DP. */
struct dp {
	int *F, *Fs, *Fw, *Fws, *Gf, *Wf, *G, *we;
	uint8_t *b;
	size_t cap, bcap, gcap;
};

static void dp_release(struct dp *d)
{
	free(d->F);
	free(d->Fs);
	free(d->Gf);
	free(d->Wf);
	free(d->Fw);
	free(d->Fws);
	free(d->we);
	free(d->G);
	free(d->b);
}

/* Is q a subsequence of s? Returns the first position of q's first
 * character, or -1. */
static int subseq(const struct term *tm, const unsigned char *s, int n)
{
	const unsigned char *q = (const unsigned char *)tm->text;
#ifdef __SSE2__
	/* 16 bytes at a time (texts are followed by INTERN_PAD readable
	 * bytes): a folded letter matches both cases through | 0x20 */
	int j = 0, a = -1;
	for (int i = 0; i < tm->len; i++) {
		int c = q[i], low = tm->fold && c >= 'a' && c <= 'z';
		__m128i want = _mm_set1_epi8((char)c), fold = _mm_set1_epi8(low ? 0x20 : 0);
		for (;; j += 16) {
			unsigned bits;
			if (j >= n)
				return -1;
			bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
				_mm_or_si128(_mm_loadu_si128((const __m128i *)(s + j)), fold), want));
			if (n - j < 16)
				bits &= (1u << (n - j)) - 1;
			if (bits) {
				j += __builtin_ctz(bits);
				break;
			}
		}
		if (a < 0)
			a = j;
		j++;
	}
	return a;
#else
	const unsigned char *fo = tm->fold ? fold_tab : same_tab;
	int i = 0, a = -1;
	for (int j = 0; j < n; j++) {
		if (fo[s[j]] != q[i])
			continue;
		if (a < 0)
			a = j;
		if (++i == tm->len)
			return a;
	}
	return -1;
#endif
}

/* The best alignment of fuzzy term tm in s, by dynamic programming over
 * maximal runs: F[i][e] is the best score of q[0..i) whose last run ends
 * just before e; G[i][x] the best score of q[0..i) followed by a gap that
 * ends just before x (affine: GAP_START, then GAP_EXT per character). A run
 * of q[i..i+L) at x..x+L-1 extends G[i][x] (or nothing, when i = 0: leading
 * characters are free). Only the window from the first possible start to
 * the last possible end is scored. */
static int fuzzy(struct dp *d, const struct term *tm, const unsigned char *s, int n, uint16_t *pos)
{
	const unsigned char *q = (const unsigned char *)tm->text, *fo = tm->fold ? fold_tab : same_tab;
	int m = tm->len, a = subseq(tm, s, n), z, W, best = NEG, be = -1;
	size_t cells;
	if (a < 0)
		return SEARCH_NOMATCH;
	if (a == 0) {
		/* a prefix is the best alignment there can be */
		int L = 0;
		while (L < m && fo[s[L]] == q[L])
			L++;
		if (L == m) {
			for (int k = 0; pos && k < m; k++)
				pos[k] = (uint16_t)k;
			return max_score(m);
		}
	}
	for (z = n - 1; fo[s[z]] != q[m - 1]; z--)
		;
	if (m == 1) {
		int bj = a;
		for (int j = a; j <= z; j++)
			if (fo[s[j]] == q[0] && bonus_at(s, n, j) > best) {
				best = bonus_at(s, n, j);
				bj = j;
			}
		if (pos)
			pos[0] = (uint16_t)bj;
		return MATCH + best * FIRST_MULT;
	}
	W = z - a + 1;
	cells = (size_t)(m + 1) * (size_t)(W + 1);
	if (cells > d->cap) {
		d->cap = cells * 2;
		d->F = xreallocarray(d->F, d->cap, sizeof(*d->F));
		d->Fs = xreallocarray(d->Fs, d->cap, sizeof(*d->Fs));
		d->Gf = xreallocarray(d->Gf, d->cap, sizeof(*d->Gf));
		d->Wf = xreallocarray(d->Wf, d->cap, sizeof(*d->Wf));
		d->Fw = xreallocarray(d->Fw, d->cap, sizeof(*d->Fw));
		d->Fws = xreallocarray(d->Fws, d->cap, sizeof(*d->Fws));
	}
	if ((size_t)W + 2 > d->bcap) {
		d->bcap = (size_t)W * 2 + 2;
		d->b = xreallocarray(d->b, d->bcap, sizeof(*d->b));
		d->we = xreallocarray(d->we, d->bcap, sizeof(*d->we));
	}
	if (5 * ((size_t)m + 1) > d->gcap) {
		d->gcap = 10 * ((size_t)m + 1);
		d->G = xreallocarray(d->G, d->gcap, sizeof(*d->G));
	}
	for (int x = 0; x < W; x++)
		d->b[x] = (uint8_t)bonus_at(s, n, a + x);
	d->b[W] = (uint8_t)(a + W < n ? bonus_at(s, n, a + W) : B_START);
	/* we[e]: where the word holding position e-1 ends (the next word start
	 * or separator); e itself when e-1 is not in a word */
	d->we[W] = W + 1;
	for (int e = W; e >= 1; e--) {
		int p = e - 1;
		if (!is_word(s[a + p]))
			d->we[e] = e;
		else if (e < W + 1 && a + e < n && is_word(s[a + e]) && d->b[e] < B_CAMEL)
			d->we[e] = e < W ? d->we[e + 1] : e + 1;
		else
			d->we[e] = e;
	}
	for (size_t c = (size_t)(W + 1); c < cells; c++)
		d->F[c] = d->Fw[c] = NEG;
	for (int i = 0; i < 5 * (m + 1); i++)
		d->G[i] = NEG;
	{
		int *F = d->F, *Fs = d->Fs, *Fw = d->Fw, *Fws = d->Fws, *Gf = d->Gf, *Wf = d->Wf;
		/* G: the best gap ending before x (affine). K, Kf: the best
		 * Fw[i][e] + we[e]: a gap that leaves a word whose start was
		 * matched and ends where another word starts does not pay for
		 * the rest of the word left, only for what follows (abbreviating
		 * each word by its start is how identifiers are typed) */
		int *G = d->G, *K = d->G + m + 1, *Kf = d->G + 2 * (m + 1), *we = d->we;
		/* V, Vf: the best gap of vowels only, ending before x: dropping
		 * vowels (ptr, cnt, mtx) costs GAP_VOWEL per vowel */
		int *V = d->G + 3 * (m + 1), *Vf = d->G + 4 * (m + 1);
		int stride = W + 1;
		const uint8_t *b = d->b;
		const unsigned char *sa = s + a;
		for (int x = 0; x < W; x++) {
			int c = fo[sa[x]], wstart = b[x] >= B_CAMEL && is_word(sa[x]);
			/* a gap may end before x: extend or open it */
			for (int i = 1; i < m; i++) {
				int g1 = x ? F[i * stride + x - 1] + GAP_START : NEG, g2 = G[i] + GAP_EXT;
				int kw = x ? Fw[i * stride + x - 1] - GAP_EXT * we[x - 1] : NEG;
				if (g1 >= g2 && g1 > NEG / 2) {
					G[i] = g1;
					if (pos)
						Gf[i * stride + x] = x - 1;
				} else {
					G[i] = g2 > NEG / 2 ? g2 : NEG;
					if (pos)
						Gf[i * stride + x] = x ? Gf[i * stride + x - 1] : -1;
				}
				if (x && Fw[i * stride + x - 1] > NEG / 2 && kw > K[i]) {
					K[i] = kw;
					Kf[i] = x - 1;
				}
				if (x && is_vowel[sa[x - 1]]) {
					int v1 = F[i * stride + x - 1], v2 = V[i];
					if (v1 >= v2 && v1 > NEG / 2) {
						V[i] = v1 + GAP_VOWEL;
						Vf[i] = x - 1;
					} else if (v2 > NEG / 2) {
						V[i] = v2 + GAP_VOWEL;
					}
				} else {
					V[i] = NEG;
				}
			}
			for (int i = 0; i < m; i++) {
				int sc, bs;
				if (q[i] != c)
					continue;
				sc = i ? G[i] : 0;
				if (pos && i)
					Wf[i * stride + x] = Gf[i * stride + x];
				if (i && V[i] > sc) {
					sc = V[i];
					if (pos)
						Wf[i * stride + x] = Vf[i];
				}
				if (i && wstart && K[i] > NEG / 2 && K[i] + GAP_START + GAP_EXT * x > sc) {
					sc = K[i] + GAP_START + GAP_EXT * x;
					if (pos)   /* -2 - e: the run before ended at e and is in Fw */
						Wf[i * stride + x] = -2 - Kf[i];
				}
				if (sc <= NEG / 2)
					continue;
				bs = b[x];
				for (int L = 0; i + L < m && x + L < W && fo[sa[x + L]] == q[i + L]; L++) {
					size_t cell = (size_t)(i + L + 1) * (size_t)stride + (size_t)(x + L + 1);
					sc += MATCH + run_bonus(bs, b[x + L], L, i == 0);
					if (sc > F[cell]) {
						F[cell] = sc;
						if (pos)
							Fs[cell] = x;
					}
					if (wstart && sc > Fw[cell]) {
						Fw[cell] = sc;
						if (pos)
							Fws[cell] = x;
					}
				}
			}
		}
		for (int e = 1; e <= W; e++)
			if (F[m * stride + e] > best) {
				best = F[m * stride + e];
				be = e;
			}
		/* walk the runs back: each F (or Fw) cell knows its run's start,
		 * each Wf cell the end of the run before the gap */
		for (int i = m, e = be, inw = 0; pos && i > 0;) {
			int x = inw ? Fws[i * stride + e] : Fs[i * stride + e], L = e - x;
			for (int k = 0; k < L; k++)
				pos[i - L + k] = (uint16_t)(a + x + k);
			i -= L;
			if (i > 0) {
				e = Wf[i * stride + x];
				inw = e <= -2;
				if (inw)
					e = -2 - e;
			}
		}
	}
	return best;
}

/* Substring, prefix, suffix or whole-text match of tm, scored as one run at
 * its best occurrence. */
static int exact(const struct term *tm, const unsigned char *s, int n, uint16_t *pos)
{
	const unsigned char *q = (const unsigned char *)tm->text, *fo = tm->fold ? fold_tab : same_tab;
	int m = tm->len, lo = 0, hi = n - m, best = SEARCH_NOMATCH, bx = 0;
	if (m > n || (tm->type == T_EQUAL && m != n))
		return SEARCH_NOMATCH;
	if (tm->type == T_PREFIX || tm->type == T_EQUAL)
		hi = 0;
	if (tm->type == T_SUFFIX)
		lo = hi;
	for (int x = lo; x <= hi; x++) {
		int k = 0, sc = 0, bs;
		while (k < m && fo[s[x + k]] == q[k])
			k++;
		if (k < m)
			continue;
		bs = bonus_at(s, n, x);
		for (k = 0; k < m; k++)
			sc += MATCH + run_bonus(bs, k ? bonus_at(s, n, x + k) : bs, k, 1);
		if (sc > best) {
			best = sc;
			bx = x;
		}
	}
	if (pos && best != SEARCH_NOMATCH)
		for (int k = 0; k < m; k++)
			pos[k] = (uint16_t)(bx + k);
	return best;
}

/* The query's score for text s (the sum over its positive terms), or
 * SEARCH_NOMATCH. With pos, the matched positions (unsorted, maybe repeated)
 * are appended at pos + *npos. */
static int score_text(struct dp *d, const struct squery *q, const unsigned char *s, int n,
		      uint16_t *pos, size_t *npos)
{
	int total = 0;
	for (int i = 0; i < q->nterms; i++) {
		const struct term *tm = &q->terms[i];
		uint16_t *p = pos ? pos + *npos : NULL;
		int sc;
		if (tm->inv) {
			int hit = tm->type == T_FUZZY ? subseq(tm, s, n) >= 0
						      : exact(tm, s, n, NULL) != SEARCH_NOMATCH;
			if (hit)
				return SEARCH_NOMATCH;
			continue;
		}
		sc = tm->type == T_FUZZY ? fuzzy(d, tm, s, n, p) : exact(tm, s, n, p);
		if (sc == SEARCH_NOMATCH)
			return SEARCH_NOMATCH;
		total += sc;
		if (pos)
			*npos += (size_t)tm->len;
	}
	return total;
}

int search_score(const char *text, const char *s, uint16_t *pos)
{
	struct term tm;
	struct dp d = { 0 };
	int sc;
	size_t n = strlen(s);
	char *padded;
	pthread_once(&tables_once, tables_init);
	memset(&tm, 0, sizeof(tm));
	tm.len = (int)strlen(text);
	if (!tm.len || n > INTERN_MAX_LEN)
		return SEARCH_NOMATCH;
	tm.fold = !has_upper(text, (size_t)tm.len);
	tm.text = xstrdup(text);
	for (int i = 0; tm.fold && i < tm.len; i++)
		tm.text[i] = (char)fold_tab[(unsigned char)tm.text[i]];
	padded = xcalloc(n + INTERN_PAD + 1, 1);   /* read like an interned text */
	memcpy(padded, s, n);
	sc = fuzzy(&d, &tm, (const unsigned char *)padded, (int)n, pos);
	free(padded);
	free(tm.text);
	dp_release(&d);
	return sc;
}

/* ---- ranking ------------------------------------------------------------- */

struct cand {
	uint32_t sym;
	int32_t score;
	uint32_t qlen;
	uint32_t callers;
	uint8_t exact, prefix, def;
};

static int term_equal(const struct term *tm, const char *s, size_t n, int prefix)
{
	const unsigned char *fo = tm->fold ? fold_tab : same_tab;
	if ((size_t)tm->len > n || (!prefix && (size_t)tm->len != n))
		return 0;
	for (int i = 0; i < tm->len; i++)
		if (fo[(unsigned char)s[i]] != (unsigned char)tm->text[i])
			return 0;
	return 1;
}

static void cand_fill(const struct search_table *t, const struct squery *q, uint32_t sym, int score,
		      struct cand *c)
{
	const char *name = intern_str(&t->strs, t->name[sym]), *text = intern_str(&t->strs, t->text[sym]);
	size_t nlen = intern_len(&t->strs, t->name[sym]), tlen = intern_len(&t->strs, t->text[sym]);
	c->sym = sym;
	c->score = score;
	c->qlen = (uint32_t)tlen;
	c->callers = t->calls[t->name[sym]];
	c->def = t->kind[sym] != SK_PROTOTYPE;
	c->exact = c->prefix = 0;
	/* the name typed first: in "cont init", a member named init is not
	 * what the user is after more than Context.__init__ is */
	for (int i = 0; i < q->nterms; i++) {
		const struct term *tm = &q->terms[i];
		if (tm->inv)
			continue;
		c->exact = term_equal(tm, name, nlen, 0) || term_equal(tm, text, tlen, 0);
		c->prefix = term_equal(tm, name, nlen, 1) || term_equal(tm, text, tlen, 1);
		break;
	}
}

/* < 0 when a ranks before b. */
static int cand_cmp(const struct search_table *t, const struct cand *a, const struct cand *b)
{
	int r;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->exact != b->exact)
		return a->exact ? -1 : 1;
	if (a->prefix != b->prefix)
		return a->prefix ? -1 : 1;
	if (a->def != b->def)
		return a->def ? -1 : 1;
	if (a->qlen != b->qlen)
		return a->qlen < b->qlen ? -1 : 1;
	if (a->callers != b->callers)
		return a->callers > b->callers ? -1 : 1;
	if (a->sym == b->sym)
		return 0;
	r = strcmp(intern_str(&t->paths, t->file[a->sym]), intern_str(&t->paths, t->file[b->sym]));
	if (r)
		return r;
	if (t->line[a->sym] != t->line[b->sym])
		return t->line[a->sym] < t->line[b->sym] ? -1 : 1;
	r = strcmp(intern_str(&t->strs, t->text[a->sym]), intern_str(&t->strs, t->text[b->sym]));
	if (r)
		return r;
	return (int)t->kind[a->sym] - (int)t->kind[b->sym];
}

/* A bounded heap of the best candidates; heap[0] is the worst kept. */
struct heap {
	struct cand *c;
	size_t n, max;
};

static void heap_offer(const struct search_table *t, struct heap *h, const struct cand *c)
{
	size_t i;
	if (h->n == h->max) {
		if (cand_cmp(t, c, &h->c[0]) >= 0)
			return;
		/* replace the worst and sift down */
		i = 0;
		for (;;) {
			size_t l = 2 * i + 1, r = l + 1, w = i;
			const struct cand *cw = c;
			if (l < h->n && cand_cmp(t, &h->c[l], cw) > 0)
				w = l, cw = &h->c[l];
			if (r < h->n && cand_cmp(t, &h->c[r], cw) > 0)
				w = r, cw = &h->c[r];
			if (w == i)
				break;
			h->c[i] = h->c[w];
			i = w;
		}
		h->c[i] = *c;
		return;
	}
	for (i = h->n++; i > 0; i = (i - 1) / 2) {
		size_t p = (i - 1) / 2;
		if (cand_cmp(t, &h->c[p], c) >= 0)
			break;
		h->c[i] = h->c[p];
	}
	h->c[i] = *c;
}

/* ---- the scan ------------------------------------------------------------ */

struct scan {
	const struct search_table *t;
	const struct squery *q;
	const uint32_t *ids;        /* strings to look at, or NULL: 0 .. nwork are ids */
	size_t nwork;
	atomic_size_t *next;        /* shared by the scanning threads: next chunk */
	const uint8_t *file_ok;     /* per file; NULL: every file */
	const atomic_int *cancel;
	struct heap heap;
	int collect;                /* fill out (for narrowing the next query) */
	int floor;                  /* the top is known to score at least this */
	uint32_t *out;              /* matched string ids, in the order scanned */
	size_t nout, outcap;
	size_t total;
	int cancelled;
	struct dp dp;
};

/* Does s match every term (scores aside)? */
static int text_matches(const struct squery *q, const unsigned char *s, int n)
{
	for (int i = 0; i < q->nterms; i++) {
		const struct term *tm = &q->terms[i];
		int hit;
		if (tm->mask_exact && !tm->inv)
			continue;   /* the character mask already proved it */
		hit = tm->type == T_FUZZY ? subseq(tm, s, n) >= 0 : exact(tm, s, n, NULL) != SEARCH_NOMATCH;
		if (hit == tm->inv)
			return 0;
	}
	return 1;
}

/* What a text can at best achieve for the query without aligning it: an
 * upper bound of its score, and whether its symbols could be exact or
 * prefix matches. Only a match at the text's first character can earn
 * B_START and carry it through a run; every other character earns at most
 * B_COMP, or B_BOUNDARY when the text has no : or / at all. A text with the
 * term as its prefix has exactly the highest score a term can have. */
struct bound {
	int score, exact, prefix;
};

#define COMP_BITS ((1ull << 38) | (1ull << 39))   /* : and / */

static void score_bound(const struct squery *q, const unsigned char *s, int n, uint64_t mask,
			struct bound *b)
{
	int bmax = mask & COMP_BITS ? B_COMP : B_BOUNDARY, qualified = (mask >> 37) & 1;
	b->score = 0;
	b->exact = b->prefix = qualified;   /* the name is only the tail of a qualified text */
	for (int i = 0; i < q->nterms; i++) {
		const struct term *tm = &q->terms[i];
		const unsigned char *fo = tm->fold ? fold_tab : same_tab;
		int m = tm->len, L = 0, at0, inside;
		if (tm->inv)
			continue;
		/* the first byte is in the mask word: most texts end here untouched */
		if (fo[(mask >> FIRST_SHIFT) & 255] == (unsigned char)tm->text[0])
			while (L < m && L < n && fo[s[L]] == (unsigned char)tm->text[L])
				L++;
		if (L == m) {
			b->score += max_score(m);
			b->prefix = 1;
			b->exact |= n == m;
			continue;
		}
		at0 = L ? B_START * FIRST_MULT + (L - 1) * B_START + (m - L) * bmax +
			  (L < n && is_vowel[s[L]] ? GAP_LEAST : GAP_START) : NEG;
		inside = (m + 1) * bmax;
		b->score += m * MATCH + (at0 > inside ? at0 : inside);
	}
}

/* Can no symbol of a text with bound b and length n beat the heap's worst? */
static inline int bound_loses(const struct heap *h, const struct bound *b, uint32_t n)
{
	const struct cand *w = &h->c[0];
	if (h->n < h->max)
		return 0;
	if (b->score != w->score)
		return b->score < w->score;
	if (b->exact != w->exact)
		return w->exact;
	if (b->prefix != w->prefix)
		return w->prefix;
	if (!w->def)
		return 0;
	return n > w->qlen;
}

/* Does s contain tm's text as it is (no gap)? */
static int has_substring(const struct term *tm, const unsigned char *s, int n)
{
	const unsigned char *fo = tm->fold ? fold_tab : same_tab, *q = (const unsigned char *)tm->text;
	for (int x = 0; x + tm->len <= n; x++) {
		int k = 0;
		while (k < tm->len && fo[s[x + k]] == q[k])
			k++;
		if (k == tm->len)
			return 1;
	}
	return 0;
}

/* A closer bound for one fuzzy term, from the best bonus each query
 * character could get anywhere but at the text's first character (best[])
 * and which neighbouring query characters stand side by side somewhere in
 * the text (adj): only those can share a run, where a character gets at
 * least CONSEC and at most the best bonus of the run so far; any other
 * character starts a run after a gap. Two cases: the match starts at the
 * text's first character (its first run is then at most the common prefix
 * of L characters, each earning B_START), or it starts later. */
static int term_bound(const struct term *tm, const unsigned char *s, int n)
{
	const unsigned char *fo = tm->fold ? fold_tab : same_tab;
	int best[64], m = tm->len < 64 ? tm->len : 64, L = 0, inside = NEG, at0 = NEG;
	uint64_t adj = 0, prev = 0;
	best[0] = -1;
	for (int i = 1; i < m; i++)
		best[i] = -1;
	for (int j = 1; j < n; j++) {
		uint64_t bits = tm->where[s[j]], all = bits;
		int bj;
		adj |= bits & (prev << 1);
		prev = all;
		if (!bits)
			continue;
		bj = bonus_at(s, n, j);
		for (; bits; bits &= bits - 1) {
			int i = __builtin_ctzll(bits);
			if (bj > best[i])
				best[i] = bj;
		}
	}
	while (L < m && L < n && fo[s[L]] == (unsigned char)tm->text[L])
		L++;
	if (L == m)
		return max_score(m);
	for (int from = 0; from <= (L ? 1 : 0); from++) {
		/* from 0: the match starts later; from 1: it starts at 0 */
		int first = from ? L : 0, carry = best[first], gaps = from, ub;
		if (carry < 0)
			continue;
		ub = from ? B_START * FIRST_MULT + (L - 1) * B_START + carry : carry * FIRST_MULT;
		for (int i = first + 1; i < m && ub > NEG; i++) {
			if (best[i] < 0) {
				ub = NEG;
			} else if ((adj >> i) & 1) {
				carry = best[i] > carry ? best[i] : carry;
				ub += carry > CONSEC ? carry : CONSEC;
			} else {
				carry = best[i];
				ub += carry;
				gaps++;
			}
		}
		if (ub <= NEG)
			continue;
		if (!gaps && !has_substring(tm, s, n))
			gaps = 1;
		ub += gaps * GAP_LEAST;
		/* the gap after the common prefix skips s[L]: vowels only, or not */
		if (from && !is_vowel[s[L]])
			ub += GAP_START - GAP_LEAST;
		if (from)
			at0 = ub;
		else
			inside = ub;
	}
	return m * MATCH + (at0 > inside ? at0 : inside);
}

/* Refine b (from score_bound) with term_bound where the terms allow it. */
static void score_bound_close(const struct squery *q, const unsigned char *s, int n, struct bound *b)
{
	int ub = 0;
	for (int i = 0; i < q->nterms; i++) {
		const struct term *tm = &q->terms[i];
		if (tm->inv)
			continue;
		if (!tm->where)
			return;
		ub += term_bound(tm, s, n);
	}
	if (ub < b->score)
		b->score = ub;
}

/* Is symbol y alive and through the k:, f: and l: filters? */
static int sym_ok(const struct scan *sc, uint32_t y)
{
	uint8_t kind = sc->t->kind[y];
	const struct squery *q = sc->q;
	return kind != SEARCH_DEAD && (!q->kinds || (q->kinds & (1u << kind))) &&
	       !(q->nokinds & (1u << kind)) && (!sc->file_ok || sc->file_ok[sc->t->file[y]]);
}

static void scan_range(struct scan *sc, size_t lo, size_t hi)
{
	const struct search_table *t = sc->t;
	const struct squery *q = sc->q;
	uint64_t qmask = q->mask;
	int filtered = sc->file_ok || q->kinds || q->nokinds;
	struct heap *h = &sc->heap;
	for (size_t k = lo; k < hi; k++) {
		uint32_t id = sc->ids ? sc->ids[k] : (uint32_t)k;
		const unsigned char *s;
		uint64_t mw;
		size_t passed = 0;
		int score, n;
		if (!(k & 1023) && sc->cancel && atomic_load_explicit(sc->cancel, memory_order_relaxed)) {
			sc->cancelled = 1;
			break;
		}
		if (sc->ids) {
			/* a narrowed list jumps through the table: fetch ahead */
			if (k + 16 < hi) {
				__builtin_prefetch(&t->mask[sc->ids[k + 16]]);
				__builtin_prefetch(&t->strs.off[sc->ids[k + 16]]);
			}
			if (k + 8 < hi)
				__builtin_prefetch(t->strs.bytes + t->strs.off[sc->ids[k + 8]]);
		}
		mw = t->mask[id];
		if ((mw & qmask) != qmask)
			continue;
		s = (const unsigned char *)intern_str(&t->strs, id);
		n = (int)intern_len(&t->strs, id);
		if (!text_matches(q, s, n))
			continue;
		if (!filtered) {
			passed = (mw >> COUNT_SHIFT) & 255;
			if (passed == 255)
				passed = t->nsyms[id];
		} else {
			for (uint32_t y = t->first[id]; y != NONE; y = t->next[y])
				passed += sym_ok(sc, y);
		}
		if (!passed)
			continue;
		sc->total += passed;
		if (sc->collect) {
			if (sc->nout == sc->outcap)
				ARRAY_GROW(sc->out, sc->outcap, sc->nout + 1);
			sc->out[sc->nout++] = id;
		}
		if (h->n == h->max || sc->floor > NEG) {
			struct bound b;
			score_bound(q, s, n, mw, &b);
			if (b.score < sc->floor || bound_loses(h, &b, (uint32_t)n))
				continue;
			score_bound_close(q, s, n, &b);
			if (b.score < sc->floor || bound_loses(h, &b, (uint32_t)n))
				continue;
		}
		score = score_text(&sc->dp, q, s, n, NULL, NULL);
		if (score < sc->floor || (h->n == h->max && score < h->c[0].score))
			continue;
		for (uint32_t y = t->first[id]; y != NONE; y = t->next[y]) {
			struct cand c;
			if (!sym_ok(sc, y))
				continue;
			cand_fill(t, q, y, score, &c);
			heap_offer(t, h, &c);
		}
	}
}

/* Work through the list in chunks taken from a shared counter, so that a
 * thread the machine leaves waiting does not hold the query up. */
static void *scan_run(void *arg)
{
	struct scan *sc = arg;
	while (!sc->cancelled) {
		size_t lo = atomic_fetch_add_explicit(sc->next, SCAN_CHUNK, memory_order_relaxed);
		if (lo >= sc->nwork)
			break;
		scan_range(sc, lo, lo + SCAN_CHUNK < sc->nwork ? lo + SCAN_CHUNK : sc->nwork);
	}
	return NULL;
}

/* Which files pass the f: and l: filters; NULL when there are none. */
static uint8_t *files_ok(const struct search_table *t, const struct squery *q)
{
	uint8_t *ok;
	if (!q->nfiles && !q->nlangs && !q->nnolangs)
		return NULL;
	ok = xcalloc((size_t)t->paths.n + 1, 1);
	for (uint32_t f = 0; f < t->paths.n; f++) {
		const char *path = intern_str(&t->paths, f), *lang = t->langs[t->files[f].lang];
		int pass = 1;
		for (int i = 0; i < q->nfiles && pass; i++) {
			const struct filter *fl = &q->files[i];
			int hit = (fl->fold ? strcasestr(path, fl->text) : strstr(path, fl->text)) != NULL;
			pass = hit != fl->inv;
		}
		if (pass && q->nlangs) {
			pass = 0;
			for (int i = 0; i < q->nlangs; i++)
				pass |= !strcmp(lang, q->langs[i]);
		}
		for (int i = 0; i < q->nnolangs && pass; i++)
			pass = strcmp(lang, q->nolangs[i]) != 0;
		ok[f] = (uint8_t)pass;
	}
	return ok;
}

/* The score the top `limit` results will at least have, from the texts
 * of the previous results (st->top) scored for this query: NEG when they
 * do not make `limit` symbols. */
static int seed_floor(struct scan *sc, const struct search_state *st, size_t limit)
{
	const struct search_table *t = sc->t;
	int *scores = NULL, floor = NEG;
	size_t n = 0, cap = 0;
	for (size_t k = 0; k < st->ntop; k++) {
		uint32_t id = st->top[k];
		const unsigned char *s = (const unsigned char *)intern_str(&t->strs, id);
		int score, nn = (int)intern_len(&t->strs, id);
		if ((t->mask[id] & sc->q->mask) != sc->q->mask || !text_matches(sc->q, s, nn))
			continue;
		score = score_text(&sc->dp, sc->q, s, nn, NULL, NULL);
		for (uint32_t y = t->first[id]; y != NONE; y = t->next[y])
			if (sym_ok(sc, y)) {
				ARRAY_GROW(scores, cap, n + 1);
				scores[n++] = score;
			}
	}
	if (n >= limit) {
		/* the limit-th best */
		for (size_t i = 0; i < limit; i++)
			for (size_t j = i + 1; j < n; j++)
				if (scores[j] > scores[i]) {
					int tmp = scores[i];
					scores[i] = scores[j];
					scores[j] = tmp;
				}
		floor = scores[limit - 1];
	}
	free(scores);
	return floor;
}

/* Two scan threads when a core is free for the second. On a busy machine
 * a second thread that gets descheduled holds the query until it runs
 * again (measured on 2 cores at load 4-5: p95 per keystroke 21.6 ms with
 * two threads, 9.3 ms with one). */
static int default_threads(void)
{
	double load;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 2)
		return 1;
	if (getloadavg(&load, 1) == 1 && load > (double)cpus - 0.5)
		return 1;
	return 2;
}

/* Can the matches of cur be found among those of prev? Yes when cur only
 * adds characters to prev's last term, or adds terms, and that last term is
 * one that can only narrow when it grows (not negated, not anchored at the
 * end, not a language, not a bare marker). */
static int narrows(const char *prev, const char *cur)
{
	size_t n = strlen(prev), start;
	const char *tok;
	if (strncmp(prev, cur, n))
		return 0;
	if (!n || prev[n - 1] == ' ' || prev[n - 1] == '\t')
		return n > 0;
	for (start = n; start > 0 && prev[start - 1] != ' ' && prev[start - 1] != '\t'; start--)
		;
	tok = prev + start;
	if (tok[0] == '!' || prev[n - 1] == '$' || !strncmp(tok, "l:", 2))
		return 0;
	if ((tok[0] == '\'' || tok[0] == '^') && n - start < 2)
		return 0;
	if ((!strncmp(tok, "k:", 2) || !strncmp(tok, "f:", 2)) && n - start < 3)
		return 0;
	return 1;
}

static int cand_qsort_cmp(const void *a, const void *b, void *t)
{
	return cand_cmp(t, a, b);
}

static int merge_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void hit_fill(const struct search_table *t, const struct squery *q, struct dp *d,
		     const struct cand *c, struct search_hit *h)
{
	uint32_t s = c->sym, text = t->text[s];
	size_t npos = 0, cap = 1;
	const unsigned char *str = (const unsigned char *)intern_str(&t->strs, text);
	for (int i = 0; i < q->nterms; i++)
		cap += (size_t)q->terms[i].len;
	memset(h, 0, sizeof(*h));
	h->name = xstrdup(intern_str(&t->strs, t->name[s]));
	h->qualified = xstrdup((const char *)str);
	h->kind = t->kind[s];
	h->file = xstrdup(intern_str(&t->paths, t->file[s]));
	h->lang = xstrdup(t->langs[t->files[t->file[s]].lang]);
	h->line = t->line[s];
	h->score = c->score;
	h->callers = c->callers;
	h->pos = xreallocarray(NULL, cap, sizeof(*h->pos));
	score_text(d, q, str, (int)intern_len(&t->strs, text), h->pos, &npos);
	qsort(h->pos, npos, sizeof(*h->pos), merge_u16);
	for (size_t i = 0; i < npos; i++)
		if (!h->npos || h->pos[h->npos - 1] != h->pos[i])
			h->pos[h->npos++] = h->pos[i];
}

int search_run(struct search_table *t, const char *query, const struct search_opts *o,
	       struct search_result *res, struct strbuf *err)
{
	struct squery q;
	struct scan sc[2];
	struct search_state *st = o ? o->state : NULL;
	size_t limit = o && o->limit ? o->limit : 20, nwork, ncand = 0;
	const uint32_t *ids = NULL;
	int nthreads = o && o->threads ? o->threads : 0;
	uint8_t *ok;
	struct cand *all;
	pthread_t th;
	atomic_size_t next = 0;
	int rc = 0, collect;
	memset(res, 0, sizeof(*res));
	pthread_once(&tables_once, tables_init);
	pthread_rwlock_rdlock(&t->lock);
	if (squery_parse(t, &q, query, err) < 0) {
		pthread_rwlock_unlock(&t->lock);
		return -1;
	}
	nwork = t->strs.n;
	if (st && st->valid && st->generation == t->generation && narrows(st->query, query)) {
		ids = st->ids;
		nwork = st->n;
	}
	ok = files_ok(t, &q);
	/* One letter matches most of the table: listing the matches would cost
	 * more than the next keystroke's full scan with a two-letter mask. */
	collect = st && !(q.nterms == 1 && q.terms[0].mask_exact && !ok && !q.kinds && !q.nokinds);
	if (nwork < 20000)
		nthreads = 1;
	else if (!nthreads)
		nthreads = default_threads();
	if (nthreads > 2)
		nthreads = 2;
	memset(sc, 0, sizeof(sc));
	for (int i = 0; i < nthreads; i++) {
		sc[i].t = t;
		sc[i].q = &q;
		sc[i].ids = ids;
		sc[i].nwork = nwork;
		sc[i].next = &next;
		sc[i].file_ok = ok;
		sc[i].cancel = o ? o->cancel : NULL;
		sc[i].heap.max = limit;
		sc[i].collect = collect;
		sc[i].floor = NEG;
		sc[i].heap.c = xreallocarray(NULL, limit, sizeof(struct cand));
	}
	if (st && st->generation == t->generation && st->ntop) {
		int floor = seed_floor(&sc[0], st, limit);
		for (int i = 0; i < nthreads; i++)
			sc[i].floor = floor;
	}
	if (nthreads == 2 && pthread_create(&th, NULL, scan_run, &sc[1]) != 0)
		scan_run(&sc[1]), nthreads = -2;   /* no thread to be had: do it here */
	scan_run(&sc[0]);
	if (nthreads == 2)
		pthread_join(th, NULL);
	nthreads = nthreads < 0 ? 2 : nthreads;
	if (sc[0].cancelled || sc[1].cancelled) {
		rc = SEARCH_CANCELLED;
		goto out;
	}
	all = xreallocarray(NULL, 2 * limit, sizeof(*all));
	for (int i = 0; i < nthreads; i++) {
		memcpy(all + ncand, sc[i].heap.c, sc[i].heap.n * sizeof(*all));
		ncand += sc[i].heap.n;
		res->total += sc[i].total;
	}
	qsort_r(all, ncand, sizeof(*all), cand_qsort_cmp, t);
	res->n = ncand < limit ? ncand : limit;
	res->hits = xcalloc(res->n ? res->n : 1, sizeof(*res->hits));
	for (size_t i = 0; i < res->n; i++)
		hit_fill(t, &q, &sc[0].dp, &all[i], &res->hits[i]);
	if (st) {
		free(st->query);
		st->query = xstrdup(query);
		st->generation = t->generation;
		st->n = 0;
		st->valid = collect;
		st->ntop = 0;
		for (size_t i = 0; i < res->n; i++) {
			uint32_t id = t->text[all[i].sym];
			size_t k = 0;
			while (k < st->ntop && st->top[k] != id)
				k++;
			if (k < st->ntop)
				continue;   /* each text once: seed_floor counts its symbols */
			ARRAY_GROW(st->top, st->topcap, st->ntop + 1);
			st->top[st->ntop++] = id;
		}
		for (int i = 0; i < nthreads && collect; i++) {
			ARRAY_GROW(st->ids, st->cap, st->n + sc[i].nout);
			if (sc[i].nout)
				memcpy(st->ids + st->n, sc[i].out, sc[i].nout * sizeof(*st->ids));
			st->n += sc[i].nout;
		}
	}
	free(all);
out:
	pthread_rwlock_unlock(&t->lock);
	for (int i = 0; i < 2; i++) {
		free(sc[i].heap.c);
		free(sc[i].out);
		dp_release(&sc[i].dp);
	}
	free(ok);
	squery_release(&q);
	return rc;
}

void search_result_release(struct search_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->hits[i].name);
		free(r->hits[i].qualified);
		free(r->hits[i].file);
		free(r->hits[i].lang);
		free(r->hits[i].pos);
	}
	free(r->hits);
	memset(r, 0, sizeof(*r));
}

void search_state_release(struct search_state *s)
{
	free(s->query);
	free(s->ids);
	free(s->top);
	memset(s, 0, sizeof(*s));
}

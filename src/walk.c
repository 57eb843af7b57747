/* walk.c — the grammar tables every language walker builds once per
 * grammar (see lang.h): which walker node kind each TSSymbol is, what the
 * walker does with it, and the field ids it asks for. */
#include "lang.h"
#include "util.h"

#include <string.h>

void lang_tables_init(struct lang_tables *t, const TSLanguage *l, const char *const *names,
		      int nnames, TSSymbol *sym)
{
	t->nsymbols = ts_language_symbol_count(l);
	t->node_id = xcalloc(t->nsymbols, 1);
	t->action = xcalloc(t->nsymbols, 1);
	t->sym = sym;
	if (sym) {
		/* the one public symbol of each name (what ts_node_symbol gives) */
		for (int i = 0; i < nnames; i++) {
			sym[i] = ts_language_symbol_for_name(l, names[i],
							     (uint32_t)strlen(names[i]), true);
			if (sym[i] < t->nsymbols)
				t->node_id[sym[i]] = (uint8_t)(i + 1);
		}
	}
	for (uint32_t s = 0; s < t->nsymbols; s++) {
		/* tokens and hidden rules: nothing of interest below them */
		if (ts_language_symbol_type(l, (TSSymbol)s) != TSSymbolTypeRegular) {
			t->action[s] = LANG_A_SKIP;
			continue;
		}
		if (sym)
			continue;
		/* every symbol carrying a name we know (aliases give one name
		 * several symbols) */
		const char *name = ts_language_symbol_name(l, (TSSymbol)s);
		for (int k = 0; k < nnames && name; k++)
			if (names[k] && !strcmp(name, names[k])) {
				t->node_id[s] = (uint8_t)(k + 1);
				break;
			}
	}
}

void lang_fields_init(const TSLanguage *l, const char *const *names, int n, TSFieldId *fld)
{
	for (int i = 0; i < n; i++)
		fld[i] = ts_language_field_id_for_name(l, names[i], (uint32_t)strlen(names[i]));
}

void lang_tables_mark(const struct lang_tables *t, uint8_t *table, const int *which, size_t n,
		      uint8_t value)
{
	if (t->sym) {
		for (size_t i = 0; i < n; i++)
			if (t->sym[which[i]] < t->nsymbols)
				table[t->sym[which[i]]] = value;
		return;
	}
	uint8_t want[256] = { 0 };
	for (size_t i = 0; i < n; i++)
		want[(uint8_t)(which[i] + 1)] = 1;
	for (uint32_t s = 0; s < t->nsymbols; s++)
		if (t->node_id[s] && want[t->node_id[s]])
			table[s] = value;
}

void lang_end_pos(const char *src, TSNode n, bool blanks, uint32_t *line, uint32_t *col)
{
	TSPoint e = ts_node_end_point(n);
	uint32_t sb = ts_node_start_byte(n), b = ts_node_end_byte(n);
	if (e.column > 0 || b <= sb) {
		*line = e.row + 1;
		*col = e.column;
		return;
	}
	/* ends at the start of a line: back up over the line ends (and blanks) */
	uint32_t row = e.row;
	while (b > sb && (src[b - 1] == '\n' || src[b - 1] == '\r' ||
			  (blanks && (src[b - 1] == ' ' || src[b - 1] == '\t')))) {
		if (src[b - 1] == '\n')
			row--;
		b--;
	}
	uint32_t ls = b;
	while (ls > 0 && src[ls - 1] != '\n')
		ls--;
	*line = row + 1;
	*col = b - ls;
}

uint32_t lang_chain_push(struct lang_chain *c, const char *name, size_t n)
{
	uint32_t before = (uint32_t)c->len;
	ARRAY_GROW(c->s, c->cap, c->len + n + 2);
	if (c->len)
		c->s[c->len++] = '.';
	memcpy(c->s + c->len, name, n);
	c->len += n;
	return before;
}

/* Forget the locals no longer visible at pos (they are added in the order
 * of the text, so the dead ones are on top). */
static void drop_dead_locals(struct lang_locals *l, uint32_t pos)
{
	while (l->n && l->v[l->n - 1].to <= pos)
		l->n--;
}

void lang_local_add(struct lang_locals *l, const char *src, uint32_t a, uint32_t b,
		    uint32_t from, uint32_t to)
{
	if (b - a == 1 && src[a] == '_')
		return;
	drop_dead_locals(l, from);
	ARRAY_GROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = (struct lang_local){ a, b, from, to };
}

bool lang_local_has(struct lang_locals *l, const char *src, uint32_t a, uint32_t b)
{
	drop_dead_locals(l, a);
	for (size_t i = l->n; i-- > 0;) {
		const struct lang_local *v = &l->v[i];
		if (v->from <= a && a < v->to && v->b - v->a == b - a &&
		    !memcmp(src + v->a, src + a, b - a))
			return true;
	}
	return false;
}

uint32_t lang_visible_to(const struct lang_tables *t, const uint8_t *bounds, const TSNode *anc,
			 uint32_t depth)
{
	for (uint32_t d = depth; d-- > 0;) {
		TSSymbol s = ts_node_symbol(anc[d]);
		if (s < t->nsymbols && bounds[s])
			return ts_node_end_byte(anc[d]);
	}
	return UINT32_MAX;
}

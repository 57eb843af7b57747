/* tswalk.c — the visible-node walk of tswalk.h, over the runtime's own
 * tree representation (subtree.h, language.h: private headers of the pinned
 * runtime). Each step is what tree_cursor.c's child iterator does for one
 * child (ts_tree_cursor_child_iterator_next): position, structural index,
 * alias and visibility. */
#include "tswalk.h"
#include "util.h"

#include "subtree.h"
#include "language.h"
#include "tree.h"

struct tswalk_frame {
	const Subtree *children;
	uint32_t count, i;          /* children, and the next one to give */
	uint32_t structural;        /* structural index of child i (extras not counted) */
	const TSSymbol *aliases;    /* the parent's alias sequence, or NULL */
	Length pos;                 /* where child i starts */
	bool visible;               /* the parent is a visible node (counts in depth) */
};

void tswalk_init(struct tswalk *w, TSNode root)
{
	*w = (struct tswalk){ 0 };
	w->tree = root.tree;
	w->lang = root.tree ? root.tree->language : NULL;
	w->last = root.id;
	w->last_node = root;
}

void tswalk_release(struct tswalk *w)
{
	free(w->st);
	w->st = NULL;
	w->n = w->cap = 0;
}

/* Open node t (a Subtree at pos) for its children. */
static void open_node(struct tswalk *w, const Subtree *t, Length pos, bool visible)
{
	struct tswalk_frame *f;
	if (w->n == w->cap)
		ARRAY_GROW(w->st, w->cap, w->n + 1);
	f = &w->st[w->n++];
	f->children = ts_subtree_children(*t);
	f->count = t->ptr->child_count;
	f->i = 0;
	f->structural = 0;
	f->aliases = ts_language_alias_sequence(w->lang, t->ptr->production_id);
	f->pos = pos;
	f->visible = visible;
	if (visible)
		w->depth++;
}

bool tswalk_next(struct tswalk *w, bool descend, TSNode *n, TSSymbol *sym, uint32_t *depth)
{
	if (!w->started) {
		const Subtree *r = w->last;
		w->started = true;
		if (!r)
			return false;
		*n = w->last_node;
		*sym = ts_node_symbol(*n);
		*depth = 0;
		return true;
	}
	if (descend && w->last) {
		const Subtree *t = w->last;
		if (ts_subtree_child_count(*t) > 0) {
			TSNode ln = w->last_node;
			open_node(w, t, (Length){ ln.context[0], { ln.context[1], ln.context[2] } }, true);
		}
	}
	w->last = NULL;
	while (w->n > 0) {
		struct tswalk_frame *f = &w->st[w->n - 1];
		if (f->i == f->count) {
			if (f->visible)
				w->depth--;
			w->n--;
			continue;
		}
		const Subtree *c = &f->children[f->i];
		Length pos = f->pos;
		bool visible = ts_subtree_visible(*c);
		TSSymbol alias = 0;
		if (!ts_subtree_extra(*c)) {
			if (f->aliases) {
				alias = f->aliases[f->structural];
				visible |= alias != 0;
			}
			f->structural++;
		}
		f->pos = length_add(f->pos, ts_subtree_size(*c));
		if (++f->i < f->count)
			f->pos = length_add(f->pos, ts_subtree_padding(f->children[f->i]));
		if (visible) {
			w->last = c;
			TSSymbol s = alias ? alias : ts_subtree_symbol(*c);
			/* ts_node_new and ts_language_public_symbol, inline */
			w->last_node = (TSNode){ { pos.bytes, pos.extent.row, pos.extent.column, alias },
						 c, w->tree };
			*n = w->last_node;
			*sym = s == ts_builtin_sym_error ? s : w->lang->public_symbol_map[s];
			*depth = w->depth;
			return true;
		}
		if (ts_subtree_visible_child_count(*c) > 0)
			open_node(w, c, pos, false);
	}
	return false;
}

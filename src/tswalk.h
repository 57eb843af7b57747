/* tswalk.h — a depth-first walk over the visible nodes of a tree-sitter
 * tree: the nodes, order and depths a TSTreeCursor walk gives (first child,
 * next sibling, parent), at a fraction of its cost.
 *
 * Why: TSTreeCursor re-derives its place from the parent at every step (a
 * next-sibling step pops its entry, rebuilds the parent's child iterator and
 * climbs through hidden nodes, several hundred instructions a node); that
 * was 9% of a cold index of the Python standard library. This walk keeps one
 * child iterator per open node instead. It reads the tree through the
 * runtime's private headers (src/tswalk.c), so it is tied to the pinned
 * runtime version (grammars/manifest); tests/unit/test_core.c checks it
 * against TSTreeCursor on every fixture language. Not thread-shared: one
 * walk per thread, as with a cursor. */
#ifndef CIDX_TSWALK_H
#define CIDX_TSWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

struct tswalk_frame;   /* one open node's child iterator (tswalk.c) */

struct tswalk {
	const TSTree *tree;
	const TSLanguage *lang;
	struct tswalk_frame *st;  /* the open nodes, innermost last */
	size_t n, cap;
	uint32_t depth;           /* visible nodes among them */
	const void *last;         /* the node returned last (a Subtree *) */
	TSNode last_node;
	bool started;
};

/* Start a walk at root (root itself is the first node given). */
void tswalk_init(struct tswalk *w, TSNode root);
/* The next node in depth-first order: *n, its public symbol (ts_node_symbol)
 * and its depth (root 0; visible ancestors below root). With descend, the
 * children of the node given last come first; without, they are skipped.
 * false when the walk is over. */
bool tswalk_next(struct tswalk *w, bool descend, TSNode *n, TSSymbol *sym, uint32_t *depth);
void tswalk_release(struct tswalk *w);

#endif

/* linediff.h — a line diff of two short texts (the bodies of two duplicate
 * definitions) by longest common subsequence, and its side-by-side rows.
 * O(n·m) time and memory after the common head and tail are cut off, so
 * the size is capped (LINEDIFF_MAX_CELLS). Pure C, no curses: it goes into
 * libcidxui.a with the keymap parser, and the unit tests link it. */
#ifndef CIDX_UI_LINEDIFF_H
#define CIDX_UI_LINEDIFF_H

#include <stddef.h>

/* A line: bytes s[0..len), without its newline; borrowed from the caller. */
struct ld_line {
	const char *s;
	size_t len;
};

enum ld_op {
	LD_SAME,     /* a and b: the line is in both */
	LD_DEL,      /* a only */
	LD_ADD,      /* b only */
	LD_CHANGE    /* side-by-side rows: a on the left, b on the right, different */
};

/* One step of the diff: op, and the 0-based line of a (SAME, DEL) and of b
 * (SAME, ADD); the other is -1. */
struct ld_edit {
	int op;
	long a, b;
};

/* At most this many cells (lines of a × lines of b after the common head and
 * tail): 4M cells of 4 bytes. */
#define LINEDIFF_MAX_CELLS (4u << 20)

/* Diff a against b: the edits, in order (within a change, deletions before
 * additions), into *out (caller frees). Returns their number, or -1 when
 * the texts are beyond LINEDIFF_MAX_CELLS (*out is then NULL). */
long linediff(const struct ld_line *a, size_t na, const struct ld_line *b, size_t nb,
	      struct ld_edit **out);

/* Side-by-side rows from edits: SAME rows as they are; each run of
 * deletions and additions paired up as CHANGE rows (left a, right b), the
 * rest of the longer side as DEL (right -1) or ADD (left -1) rows. Returns
 * the number of rows in *rows (caller frees). */
size_t linediff_side_by_side(const struct ld_edit *e, size_t n, struct ld_edit **rows);

#endif

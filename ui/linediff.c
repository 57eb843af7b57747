/* linediff.c — longest-common-subsequence line diff (see linediff.h). The
 * table holds, for each pair of suffixes, the length of their longest
 * common subsequence; walking it from the start gives the edits. */
#include "linediff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int same(const struct ld_line *x, const struct ld_line *y)
{
	return x->len == y->len && (!x->len || !memcmp(x->s, y->s, x->len));
}

static void push(struct ld_edit *out, size_t *n, int op, long a, long b)
{
	out[*n].op = op;
	out[*n].a = a;
	out[*n].b = b;
	(*n)++;
}

long linediff(const struct ld_line *a, size_t na, const struct ld_line *b, size_t nb,
	      struct ld_edit **out)
{
	size_t head = 0, tail = 0, n = 0, ra, rb, w;
	uint32_t *t;
	struct ld_edit *e;
	*out = NULL;
	while (head < na && head < nb && same(&a[head], &b[head]))
		head++;
	while (tail < na - head && tail < nb - head && same(&a[na - 1 - tail], &b[nb - 1 - tail]))
		tail++;
	ra = na - head - tail;   /* the middle, where they differ */
	rb = nb - head - tail;
	if (ra && rb && (ra > LINEDIFF_MAX_CELLS / rb || ra * rb > LINEDIFF_MAX_CELLS))
		return -1;
	w = rb + 1;
	t = xcalloc((ra + 1) * w, sizeof(*t));
	for (size_t i = ra; i-- > 0; )
		for (size_t j = rb; j-- > 0; )
			t[i * w + j] = same(&a[head + i], &b[head + j]) ? t[(i + 1) * w + j + 1] + 1 :
				t[(i + 1) * w + j] >= t[i * w + j + 1] ? t[(i + 1) * w + j] : t[i * w + j + 1];
	e = xreallocarray(NULL, na + nb + 1, sizeof(*e));
	for (size_t k = 0; k < head; k++)
		push(e, &n, LD_SAME, (long)k, (long)k);
	{
		size_t i = 0, j = 0;
		while (i < ra || j < rb) {
			if (i < ra && j < rb && same(&a[head + i], &b[head + j])) {
				push(e, &n, LD_SAME, (long)(head + i), (long)(head + j));
				i++;
				j++;
			} else if (j >= rb || (i < ra && t[(i + 1) * w + j] >= t[i * w + j + 1])) {
				push(e, &n, LD_DEL, (long)(head + i), -1);
				i++;
			} else {
				push(e, &n, LD_ADD, -1, (long)(head + j));
				j++;
			}
		}
	}
	for (size_t k = 0; k < tail; k++)
		push(e, &n, LD_SAME, (long)(na - tail + k), (long)(nb - tail + k));
	free(t);
	*out = e;
	return (long)n;
}

size_t linediff_side_by_side(const struct ld_edit *e, size_t n, struct ld_edit **rows)
{
	struct ld_edit *r = xreallocarray(NULL, n + 1, sizeof(*r));
	size_t nr = 0, i = 0;
	while (i < n) {
		size_t d0, d1, a0, a1, k;
		if (e[i].op == LD_SAME) {
			r[nr++] = e[i++];
			continue;
		}
		/* a run of changes: its deletions, then its additions */
		d0 = i;
		while (i < n && e[i].op == LD_DEL)
			i++;
		d1 = a0 = i;
		while (i < n && e[i].op == LD_ADD)
			i++;
		a1 = i;
		for (k = 0; d0 + k < d1 || a0 + k < a1; k++) {
			long left = d0 + k < d1 ? e[d0 + k].a : -1, right = a0 + k < a1 ? e[a0 + k].b : -1;
			push(r, &nr, left >= 0 && right >= 0 ? LD_CHANGE : left >= 0 ? LD_DEL : LD_ADD,
			     left, right);
		}
	}
	*rows = r;
	return nr;
}

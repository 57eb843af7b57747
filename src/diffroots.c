/* diffroots.c — the roots of a diff's impact (diffroots.h). */
#include "diffroots.h"
#include "extract.h"

#include <stdlib.h>
#include <string.h>

static int overlaps(uint32_t first, uint32_t last, const struct line_range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (first <= r[i].last && r[i].first <= last)
			return 1;
	return 0;
}

/* Were lines removed inside first .. last (not just before or after it)? */
static int cut_inside(uint32_t first, uint32_t last, const uint32_t *cuts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (first <= cuts[i] && cuts[i] < last)
			return 1;
	return 0;
}

int diff_scan(const char *root, const char *rev, struct diff_scan *s, struct strbuf *err)
{
	struct extractor *ex;
	struct xresult x;
	size_t cap = 0;
	memset(s, 0, sizeof(*s));
	if (diff_workdir(root, rev, &s->df, &s->ndf, err) < 0)
		return -1;
	ex = extractor_new();
	xresult_init(&x);
	for (size_t i = 0; i < s->ndf; i++) {
		const struct diff_file *f = &s->df[i];
		int lang;
		/* only removed or changed lines can take a definition away */
		if (!f->old_content || (f->path && !f->nold) ||
		    (lang = lang_for_path(f->old_path, f->old_content, f->old_len)) < 0 ||
		    extractor_run(ex, lang, f->old_content, f->old_len, &x) < 0)
			continue;
		for (size_t k = 0; k < x.nsyms; k++) {
			const struct xsym *y = &x.syms[k];
			if ((y->kind != SK_FUNCTION && y->kind != SK_FMACRO) ||
			    (f->path && !overlaps(y->line, y->end_line, f->old, f->nold)))
				continue;
			ARRAY_GROW(s->gone, cap, s->ngone + 1);
			s->gone[s->ngone++] = (struct diff_gone){ xstrdup(xstr(&x, y->name)), xstrdup(f->old_path),
								  y->line, i };
		}
	}
	xresult_release(&x);
	extractor_free(ex);
	return 0;
}

void diff_scan_release(struct diff_scan *s)
{
	for (size_t i = 0; i < s->ngone; i++) {
		free(s->gone[i].name);
		free(s->gone[i].file);
	}
	free(s->gone);
	diff_files_free(s->df, s->ndf);
	memset(s, 0, sizeof(*s));
}

void diff_scan_keep_gone(struct diff_scan *s, int (*defines)(void *ctx, const char *path, const char *name),
			 void *ctx)
{
	size_t w = 0;
	for (size_t i = 0; i < s->ngone; i++) {
		const char *path = s->df[s->gone[i].in].path;
		if (path && defines(ctx, path, s->gone[i].name)) {
			free(s->gone[i].name);
			free(s->gone[i].file);
			continue;
		}
		s->gone[w++] = s->gone[i];
	}
	s->ngone = w;
}

static void add_root(uint32_t **roots, size_t *n, size_t *cap, uint32_t node)
{
	for (size_t i = 0; i < *n; i++)
		if ((*roots)[i] == node)
			return;
	ARRAY_GROW(*roots, *cap, *n + 1);
	(*roots)[(*n)++] = node;
}

size_t diff_roots(const struct graph *g, const struct diff_scan *s, uint32_t **roots, size_t *nchanged)
{
	size_t n = 0, cap = 0;
	*roots = NULL;
	for (size_t i = 0; i < s->ndf; i++) {
		const struct diff_file *f = &s->df[i];
		uint32_t first;
		size_t nn = f->path ? graph_file_nodes(g, f->path, &first) : 0;
		for (size_t k = 0; k < nn; k++) {
			struct gnode_info ni;
			graph_node(g, first + (uint32_t)k, &ni);
			if (overlaps(ni.line, ni.end_line, f->now, f->nnow) ||
			    cut_inside(ni.line, ni.end_line, f->cuts, f->ncuts))
				add_root(roots, &n, &cap, first + (uint32_t)k);
		}
	}
	*nchanged = n;
	for (size_t i = 0; i < s->ngone; i++) {
		uint32_t *now;
		size_t nn = graph_find(g, s->gone[i].name, &now);
		for (size_t k = 0; k < nn; k++)
			add_root(roots, &n, &cap, now[k]);
		free(now);
	}
	return n;
}

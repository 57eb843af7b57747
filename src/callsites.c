/* callsites.c — encode and decode a file's call sites (see callsites.h). */
#include "callsites.h"

#include <stdlib.h>
#include <string.h>

#define CS_MAGIC "CXS2"
#define CS_HEADER 16
#define CS_IMPORT 16
#define CS_RECORD 21

static int cmp_callee(const void *a, const void *b, void *ctx)
{
	const struct xresult *x = ctx;
	const uint32_t *i = a, *j = b;
	int c = strcmp(xstr(x, x->calls[*i].callee), xstr(x, x->calls[*j].callee));
	return c ? c : (*i > *j) - (*i < *j);
}

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct callref *)a)->name, ((const struct callref *)b)->name);
}

void callsites_encode(const struct xresult *x, struct strbuf *blob,
		      struct callref **refs, size_t *nrefs)
{
	uint32_t *order = xreallocarray(NULL, x->ncalls ? x->ncalls : 1, sizeof(*order));
	uint32_t *callee_off = xreallocarray(NULL, x->ncalls ? x->ncalls : 1, sizeof(*callee_off));
	uint32_t *imp_off = xcalloc(x->nimports ? 3 * x->nimports : 1, sizeof(*imp_off));
	struct strbuf strings = STRBUF_INIT;
	size_t cap = 0;

	*refs = NULL;
	*nrefs = 0;
	sb_addc(&strings, 0);
	/* Sorted by callee: each name is stored once and counted. */
	for (uint32_t i = 0; i < x->ncalls; i++)
		order[i] = i;
	qsort_r(order, x->ncalls, sizeof(*order), cmp_callee, (void *)x);
	for (size_t k = 0; k < x->ncalls; k++) {
		const char *name = xstr(x, x->calls[order[k]].callee);
		if (k == 0 || strcmp(name, (*refs)[*nrefs - 1].name)) {
			ARRAY_GROW(*refs, cap, *nrefs + 1);
			(*refs)[(*nrefs)++] = (struct callref){ name, 0 };
			callee_off[order[k]] = (uint32_t)strings.len;
			sb_add(&strings, name, strlen(name) + 1);
		} else {
			callee_off[order[k]] = callee_off[order[k - 1]];
		}
		(*refs)[*nrefs - 1].n++;
	}

	/* a definition called through an import alias (from m import f as g;
	 * g()) is listed under its own name too, with no sites of its own, so
	 * that its callers are found by name */
	for (size_t i = 0; i < x->nimports; i++) {
		const char *name = xstr(x, x->imports[i].name), *alias = xstr(x, x->imports[i].alias);
		int called = 0, listed = 0;
		if (!*alias || !*name || !strcmp(name, "*") || !strcmp(name, "default") ||
		    !strcmp(name, alias))
			continue;
		for (size_t k = 0; k < *nrefs; k++) {
			called |= !strcmp((*refs)[k].name, alias) && (*refs)[k].n > 0;
			listed |= !strcmp((*refs)[k].name, name);
		}
		if (called && !listed) {
			ARRAY_GROW(*refs, cap, *nrefs + 1);
			(*refs)[(*nrefs)++] = (struct callref){ name, 0 };
		}
	}
	if (*nrefs > 1)
		qsort(*refs, *nrefs, sizeof(**refs), cmp_ref);
	sb_add(blob, CS_MAGIC, 4);
	sb_put32(blob, (uint32_t)x->ncalls);
	/* receivers are rare: appended as met, after the callees */
	for (size_t i = 0; i < x->ncalls; i++) {
		const struct xcall *c = &x->calls[i];
		uint32_t recv = 0;
		if (c->receiver) {
			const char *r = xstr(x, c->receiver);
			recv = (uint32_t)strings.len;
			sb_add(&strings, r, strlen(r) + 1);
		}
		order[i] = recv;  /* reused: the receiver offsets */
	}
	for (size_t i = 0; i < x->nimports; i++) {
		const struct ximport *im = &x->imports[i];
		uint32_t o[3] = { im->module, im->name, im->alias };
		for (int k = 0; k < 3; k++) {
			const char *t = xstr(x, o[k]);
			if (!*t)
				continue;
			imp_off[3 * i + (size_t)k] = (uint32_t)strings.len;
			sb_add(&strings, t, strlen(t) + 1);
		}
	}
	sb_put32(blob, (uint32_t)strings.len);
	sb_put32(blob, (uint32_t)x->nimports);
	for (size_t i = 0; i < x->ncalls; i++) {
		const struct xcall *c = &x->calls[i];
		char flags = (char)c->flags;
		sb_put32(blob, (uint32_t)c->caller);
		sb_put32(blob, callee_off[i]);
		sb_put32(blob, order[i]);
		sb_put32(blob, c->line);
		sb_put32(blob, c->col);
		sb_add(blob, &flags, 1);
	}
	for (size_t i = 0; i < x->nimports; i++) {
		for (int k = 0; k < 3; k++)
			sb_put32(blob, imp_off[3 * i + (size_t)k]);
		sb_put32(blob, x->imports[i].line);
	}
	sb_add(blob, strings.buf, strings.len);
	free(imp_off);
	sb_release(&strings);
	free(order);
	free(callee_off);
}

void callsites_release(struct callsites *c)
{
	free(c->v);
	free(c->imports);
	free(c->strings);
	memset(c, 0, sizeof(*c));
}

int callsites_decode(struct callsites *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t n, slen, ni;
	const unsigned char *imp;
	out->n = 0;
	out->nimports = 0;
	if (len < CS_HEADER || memcmp(p, CS_MAGIC, 4))
		return -1;
	n = get_le32(p + 4);
	slen = get_le32(p + 8);
	ni = get_le32(p + 12);
	if (slen == 0 || (uint64_t)CS_HEADER + (uint64_t)n * CS_RECORD +
			 (uint64_t)ni * CS_IMPORT + slen != len)
		return -1;
	imp = p + CS_HEADER + (size_t)n * CS_RECORD;
	ARRAY_GROW(out->strings, out->strings_cap, slen);
	memcpy(out->strings, imp + (size_t)ni * CS_IMPORT, slen);
	if (out->strings[0] || out->strings[slen - 1])
		return -1;
	ARRAY_GROW(out->v, out->cap, n);
	p += CS_HEADER;
	for (uint32_t i = 0; i < n; i++, p += CS_RECORD) {
		struct callsite *c = &out->v[i];
		uint32_t callee = get_le32(p + 4), recv = get_le32(p + 8);
		c->caller = (int32_t)get_le32(p);
		c->line = get_le32(p + 12);
		c->col = get_le32(p + 16);
		c->flags = p[20];
		if (callee >= slen || recv >= slen || c->caller < -1)
			return -1;
		c->callee = out->strings + callee;
		c->receiver = recv ? out->strings + recv : NULL;
	}
	ARRAY_GROW(out->imports, out->imports_cap, ni);
	for (uint32_t i = 0; i < ni; i++, imp += CS_IMPORT) {
		struct rimport *r = &out->imports[i];
		uint32_t o[3] = { get_le32(imp), get_le32(imp + 4), get_le32(imp + 8) };
		if (o[0] >= slen || o[1] >= slen || o[2] >= slen)
			return -1;
		r->module = out->strings + o[0];
		r->name = out->strings + o[1];
		r->alias = out->strings + o[2];
		r->line = get_le32(imp + 12);
	}
	out->n = n;
	out->nimports = ni;
	return 0;
}

/* resolve.c — binding a call to definitions (see resolve.h and
 * grammars/RESOLUTION.md, whose rule numbers the comments cite). */
#include "resolve.h"
#include "callsites.h"
#include "extract.h"
#include "intern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const res_names[RES__COUNT] = {
	[RES_SAME_FILE] = "same-file", [RES_SAME_CLASS] = "same-class",
	[RES_IMPORT] = "import", [RES_QUALIFIED] = "qualified",
	[RES_NAME_ONLY] = "name-only", [RES_AMBIGUOUS] = "ambiguous",
	[RES_DYNAMIC] = "dynamic", [RES_UNRESOLVED] = "unresolved",
};

const char *resolution_name(int res)
{
	return res >= 0 && res < RES__COUNT ? res_names[res] : "unknown";
}

int resolve_is_header(const char *path)
{
	static const char *const exts[] = { ".h", ".hh", ".hpp", ".hxx", ".h++", NULL };
	const char *dot = strrchr(path, '.');
	if (!dot)
		return 0;
	for (const char *const *e = exts; *e; e++)
		if (!strcmp(dot, *e))
			return 1;
	return 0;
}

void rpicks_release(struct rpicks *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static void pick(struct rpicks *p, const struct rdef *d)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i] == d)
			return;
	ARRAY_GROW(p->v, p->cap, p->n + 1);
	p->v[p->n++] = d;
}

void rdef_qname(const struct rdef *d, struct strbuf *sb)
{
	sb_reset(sb);
	if (*d->scope) {
		sb_adds(sb, d->scope);
		sb_addc(sb, '.');
	}
	sb_adds(sb, d->name);
}

/* ---- names and paths ---------------------------------------------------- */

/* s ends with "." + tail (or equals it when whole is set). */
static int ends_with_comp(const char *s, const char *tail, int whole)
{
	size_t n = strlen(s), k = strlen(tail);
	if (whole && n == k && !memcmp(s, tail, k))
		return 1;
	return k && n > k && s[n - k - 1] == '.' && !memcmp(s + n - k, tail, k);
}

/* A scope as defined matches a qualifier as written: the same path, or one
 * ends with the other at a component boundary (written "m.Base" for a
 * class Base; written "Inner" for scope "Outer.Inner"). */
static int scope_matches(const char *scope, const char *written)
{
	return *scope && *written &&
	       (ends_with_comp(scope, written, 1) || ends_with_comp(written, scope, 0));
}

/* Is the definition of scope visible unqualified from inside qname: top
 * level, or a scope enclosing it (qname starts with scope + ".", or is it). */
static int scope_encloses(const char *scope, const char *qname)
{
	size_t k = strlen(scope);
	return k == 0 || (!strncmp(qname, scope, k) && (qname[k] == 0 || qname[k] == '.'));
}

/* The last component of a dotted path. */
static const char *last_comp(const char *s, char sep)
{
	const char *p = strrchr(s, sep);
	return p ? p + 1 : s;
}

/* The module name of a file from its path (Python, Rust), into sb:
 * Python "pkg/mod.py" -> "pkg.mod", "pkg/__init__.py" -> "pkg";
 * Rust "src/a/b.rs" -> "crate.a.b", "src/a/mod.rs" -> "crate.a",
 * "src/lib.rs" -> "crate". */
static void path_module(const char *path, int lang, struct strbuf *sb)
{
	const char *p = path, *end, *last;
	sb_reset(sb);
	if (lang == LANG_RUST) {
		const char *src = path;
		while ((src = strstr(src, "src/")) && src != path && src[-1] != '/')
			src++;
		sb_adds(sb, "crate");
		if (!src)
			return;
		p = src + 4;
	}
	end = strrchr(p, '.');
	if (!end || strchr(end, '/'))
		end = p + strlen(p);
	last = p;
	for (const char *q = p; q < end; q++)
		if (*q == '/')
			last = q + 1;
	/* a package's own file names the package */
	if ((lang == LANG_PYTHON && end - last == 8 && !memcmp(last, "__init__", 8)) ||
	    (lang == LANG_RUST && ((end - last == 3 && !memcmp(last, "mod", 3)) ||
				   (end - last == 3 && !memcmp(last, "lib", 3)) ||
				   (end - last == 4 && !memcmp(last, "main", 4)))))
		end = last > p ? last - 1 : p;
	if (lang == LANG_RUST && end > p)
		sb_addc(sb, '.');
	for (const char *q = p; q < end; q++)
		sb_addc(sb, *q == '/' ? '.' : *q);
	if (!sb->buf)
		sb_adds(sb, "");
}

/* The directory of a path ("" at the top), into sb. */
static void path_dir(const char *path, struct strbuf *sb)
{
	const char *slash = strrchr(path, '/');
	sb_reset(sb);
	if (slash)
		sb_add(sb, path, (size_t)(slash - path));
}

/* Join a relative JavaScript specifier to dir and normalize "." and "..";
 * drops a known extension. Returns -1 for a bare specifier. */
static int js_target(const char *dir, const char *spec, struct strbuf *sb)
{
	char *parts[256];
	size_t n = 0;
	char *buf, *tok, *save;
	if (strncmp(spec, "./", 2) && strncmp(spec, "../", 3) && strcmp(spec, ".") && strcmp(spec, ".."))
		return -1;
	buf = xmalloc(strlen(dir) + strlen(spec) + 2);
	strcpy(buf, dir);
	strcat(buf, "/");
	strcat(buf, spec);
	for (tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			if (n)
				n--;
			continue;
		}
		if (n < 256)
			parts[n++] = tok;
	}
	sb_reset(sb);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(sb, '/');
		sb_adds(sb, parts[i]);
	}
	free(buf);
	{
		static const char *const exts[] = { ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts",
						    ".cts", ".tsx", NULL };
		const char *dot = strrchr(sb->buf ? sb->buf : "", '.');
		for (const char *const *e = exts; dot && *e; e++)
			if (!strcmp(dot, *e) && !strchr(dot, '/')) {
				sb->len = (size_t)(dot - sb->buf);
				sb->buf[sb->len] = 0;
				break;
			}
	}
	return 0;
}

/* Does d's file belong to the module written mod in file f? */
static int in_module(const struct rdef *d, const struct rfile *f, const char *mod)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int yes = 0;
	switch (f->lang) {
	case LANG_PYTHON: {
		size_t dots = strspn(mod, ".");
		path_module(d->path, LANG_PYTHON, &a);
		if (!dots) {
			yes = ends_with_comp(a.buf, mod, 1);
			break;
		}
		/* relative: from the importing file's package */
		path_module(f->path, LANG_PYTHON, &b);
		if (!strstr(f->path, "__init__.py")) {
			const char *l = strrchr(b.buf, '.');
			b.len = l ? (size_t)(l - b.buf) : 0;
			b.buf[b.len] = 0;
		}
		for (size_t k = 1; k < dots; k++) {
			const char *l = strrchr(b.buf, '.');
			b.len = l ? (size_t)(l - b.buf) : 0;
			b.buf[b.len] = 0;
		}
		if (mod[dots]) {
			if (b.len)
				sb_addc(&b, '.');
			sb_adds(&b, mod + dots);
		}
		yes = !strcmp(a.buf, b.buf);
		break;
	}
	case LANG_JAVASCRIPT: case LANG_TYPESCRIPT: case LANG_TSX: {
		struct strbuf dir = STRBUF_INIT;
		const char *dot, *p = d->path;
		size_t n;
		path_dir(f->path, &dir);
		if (js_target(dir.buf ? dir.buf : "", mod, &b) == 0) {
			dot = strrchr(p, '.');
			n = dot && !strchr(dot, '/') ? (size_t)(dot - p) : strlen(p);
			if (n == b.len && !memcmp(p, b.buf, n))
				yes = 1;
			else if (n == b.len + 6 && !memcmp(p, b.buf, b.len) &&
				 !strncmp(p + b.len, "/index", 6))
				yes = 1;
		}
		sb_release(&dir);
		break;
	}
	case LANG_GO: {
		size_t k, m = strlen(mod);
		path_dir(d->path, &a);
		k = a.len;
		yes = (k == m && !memcmp(a.buf ? a.buf : "", mod, m)) ||
		      (k && m > k && mod[m - k - 1] == '/' && !memcmp(mod + m - k, a.buf, k));
		break;
	}
	case LANG_JAVA:
		yes = !strcmp(d->module, mod);
		break;
	case LANG_RUST: {
		path_module(d->path, LANG_RUST, &a);
		path_module(f->path, LANG_RUST, &b);
		if (!strncmp(mod, "self.", 5) || !strcmp(mod, "self")) {
			sb_adds(&b, mod + 4);
		} else if (!strncmp(mod, "super", 5) && (mod[5] == '.' || !mod[5])) {
			const char *l = strrchr(b.buf, '.');
			b.len = l ? (size_t)(l - b.buf) : b.len;
			b.buf[b.len] = 0;
			sb_adds(&b, mod + 5);
		} else if (!strncmp(mod, "crate", 5) && (mod[5] == '.' || !mod[5])) {
			sb_reset(&b);
			sb_adds(&b, mod);
		} else {
			sb_reset(&b);
			sb_adds(&b, "crate.");
			sb_adds(&b, mod);
		}
		yes = !strcmp(a.buf, b.buf);
		break;
	}
	default: /* C/C++: namespaces, not files */
		yes = !strcmp(d->scope, mod) || ends_with_comp(d->scope, mod, 0);
		break;
	}
	sb_release(&a);
	sb_release(&b);
	return yes;
}

/* The name an import introduces in its file (RESOLUTION.md, "binding"), or
 * NULL (C/C++ includes bind nothing). */
static const char *binding(const struct rimport *im, int lang, const char **mod_binding)
{
	*mod_binding = NULL;
	if (*im->alias)
		return im->alias;
	if (*im->name && strcmp(im->name, "*") && strcmp(im->name, "default"))
		return im->name;
	if (*im->name)
		return NULL;
	switch (lang) {
	case LANG_PYTHON: return im->module;
	case LANG_GO: return last_comp(im->module, '/');
	case LANG_C: case LANG_CPP: return NULL;
	default: return last_comp(im->module, '.');
	}
}

int resolve_qualifier_matches(const char *scope, const char *module, const char *path, int lang,
			      const char *qual)
{
	struct strbuf m = STRBUF_INIT;
	int yes = 0;
	if (*scope)
		return ends_with_comp(scope, qual, 1);
	if (*module && ends_with_comp(module, qual, 1))
		return 1;
	if (lang == LANG_PYTHON || lang == LANG_RUST) {
		path_module(path, lang, &m);
		yes = ends_with_comp(m.buf, qual, 1);
	} else if (lang == LANG_GO) {
		path_dir(path, &m);
		yes = m.buf && !strcmp(last_comp(m.buf, '/'), qual);
	} else if (lang_family(lang) == LANG_JAVASCRIPT) {
		const char *b = last_comp(path, '/'), *dot = strrchr(b, '.');
		size_t n = dot ? (size_t)(dot - b) : strlen(b);
		yes = strlen(qual) == n && !strncmp(b, qual, n);
	}
	sb_release(&m);
	return yes;
}

/* ---- candidate filters -------------------------------------------------- */

static int same_family(const struct rdef *d, const struct rfile *f)
{
	return lang_family(d->lang) == lang_family(f->lang);
}

static int kind_ok(const struct rdef *d, const struct rfile *f, const struct rcall *c)
{
	if (!same_family(d, f))
		return 0;
	if (c->flags & CALL_NEW)
		return sym_kind_is_type(d->kind) ||
		       (lang_family(f->lang) == LANG_JAVASCRIPT && d->kind == SK_FUNCTION);
	return 1;
}

/* Definitions named name in module mod (written in f) with scope exactly
 * scope; a dotted mod is also tried with its tail moved into the scope and
 * the scope's head moved into the module (submodules, classes). */
static void find_in_module(const struct rview *v, const struct rfile *f, const struct rcall *c,
			   const char *name, const char *mod, const char *scope,
			   struct rpicks *out)
{
	size_t n;
	const struct rdef *d = v->lookup(v->ctx, name, &n);
	struct strbuf m = STRBUF_INIT, s = STRBUF_INIT;
	int dotted = f->lang == LANG_PYTHON || f->lang == LANG_JAVA || f->lang == LANG_RUST;
	if (lang_family(f->lang) == LANG_C) {
		/* C++: a "module" is a namespace (namespace u = util; u::f()) */
		sb_adds(&m, mod);
		if (*scope) {
			sb_addc(&m, '.');
			sb_adds(&m, scope);
		}
		for (size_t i = 0; i < n; i++)
			if (kind_ok(&d[i], f, c) && *d[i].scope &&
			    (!strcmp(d[i].scope, m.buf) || ends_with_comp(d[i].scope, m.buf, 0)))
				pick(out, &d[i]);
		sb_release(&m);
		return;
	}
	sb_adds(&m, mod);
	sb_adds(&s, scope);
	/* first move scope components into the module (submodules) ... */
	for (;;) {
		for (size_t i = 0; i < n; i++)
			if (kind_ok(&d[i], f, c) && !strcmp(d[i].scope, s.buf ? s.buf : "") &&
			    in_module(&d[i], f, m.buf))
				pick(out, &d[i]);
		if (out->n || !dotted || !s.len)
			break;
		{
			const char *dot = strchr(s.buf, '.');
			size_t k = dot ? (size_t)(dot - s.buf) : s.len;
			if (strspn(m.buf, ".") != m.len)   /* from . import util: ".util" */
				sb_addc(&m, '.');
			sb_add(&m, s.buf, k);
			memmove(s.buf, s.buf + k + (dot ? 1 : 0), s.len - k - (dot ? 1 : 0) + 1);
			s.len -= k + (dot ? 1 : 0);
		}
	}
	/* ... then module components into the scope (a class named by an import) */
	if (!out->n && dotted) {
		sb_reset(&m);
		sb_adds(&m, mod);
		sb_reset(&s);
		sb_adds(&s, scope);
		while (!out->n && strchr(m.buf, '.')) {
			char *dot = strrchr(m.buf, '.');
			struct strbuf t = STRBUF_INIT;
			sb_adds(&t, dot + 1);
			if (s.len) {
				sb_addc(&t, '.');
				sb_add(&t, s.buf, s.len);
			}
			m.len = (size_t)(dot - m.buf);
			m.buf[m.len] = 0;
			sb_reset(&s);
			sb_add(&s, t.buf, t.len);
			sb_release(&t);
			for (size_t i = 0; i < n; i++)
				if (kind_ok(&d[i], f, c) && !strcmp(d[i].scope, s.buf) &&
				    in_module(&d[i], f, m.buf))
					pick(out, &d[i]);
		}
	}
	sb_release(&m);
	sb_release(&s);
}

/* Rules 2 and 3: methods named c->callee of class cls (unless skip_own)
 * and of its bases, breadth first. */
#define CLASS_QUEUE 32
static void find_in_class(const struct rview *v, const struct rfile *f, const struct rcall *c,
			  const char *cls, int skip_own, struct rpicks *out)
{
	char queue[CLASS_QUEUE][128];
	size_t head = 0, tail = 0, n;
	const struct rdef *d = v->lookup(v->ctx, c->callee, &n);
	snprintf(queue[tail++], sizeof(queue[0]), "%s", cls);
	while (head < tail && !out->n) {
		const char *k = queue[head];
		size_t nk;
		const struct rdef *cd;
		if (head > 0 || !skip_own)
			for (size_t i = 0; i < n; i++)
				if (same_family(&d[i], f) && d[i].kind != SK_FUNCTION &&
				    *d[i].scope && (head == 0 ? !strcmp(d[i].scope, k)
							      : scope_matches(d[i].scope, k)))
					pick(out, &d[i]);
		head++;
		if (out->n)
			break;
		/* the bases of the class definitions of k */
		cd = v->lookup(v->ctx, last_comp(k, '.'), &nk);
		for (size_t i = 0; i < nk; i++) {
			struct strbuf q = STRBUF_INIT;
			const char *b = cd[i].bases;
			int match;
			if (!same_family(&cd[i], f) || !sym_kind_is_type(cd[i].kind) || !*b)
				continue;
			rdef_qname(&cd[i], &q);
			match = ends_with_comp(q.buf, k, 1) || ends_with_comp(k, q.buf, 0);
			sb_release(&q);
			while (match && *b && tail < CLASS_QUEUE) {
				const char *e = strchr(b, ',');
				size_t len = e ? (size_t)(e - b) : strlen(b);
				int seen = 0;
				for (size_t j = 0; j < tail; j++)
					if (strlen(queue[j]) == len && !strncmp(queue[j], b, len))
						seen = 1;
				if (!seen && len < sizeof(queue[0])) {
					memcpy(queue[tail], b, len);
					queue[tail++][len] = 0;
				}
				b = e ? e + 1 : b + len;
			}
		}
	}
}

/* Rule 4c and the fall-back of rule 2: methods named callee anywhere. */
static int any_method(const struct rview *v, const struct rfile *f, const struct rcall *c,
		      struct rpicks *out)
{
	size_t n;
	const struct rdef *d = v->lookup(v->ctx, c->callee, &n);
	for (size_t i = 0; i < n; i++)
		if (same_family(&d[i], f) && d[i].kind == SK_METHOD)
			pick(out, &d[i]);
	return out->n == 0 ? RES_UNRESOLVED : out->n == 1 ? RES_NAME_ONLY : RES_AMBIGUOUS;
}

/* Keep the picks in f when there are any (a qualified name met in several
 * places: the caller's own file wins). */
static int prefer_own_file(const struct rfile *f, struct rpicks *out, int res)
{
	size_t k = 0;
	if (out->n < 2)
		return res;
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i]->file_id == f->file_id)
			out->v[k++] = out->v[i];
	if (k)
		out->n = k;
	return out->n == 1 ? res : RES_AMBIGUOUS;
}

/* Rule 4: a receiver or qualifier. Returns -1 when r is a value. */
static int with_receiver(const struct rview *v, const struct rfile *f, const struct rcall *c,
			 struct rpicks *out)
{
	const char *r = c->receiver;
	size_t rlen = strlen(r), n;
	const struct rdef *d;
	/* only chains of names are understood */
	for (const char *p = r; *p; p++)
		if (!(*p == '.' || *p == '_' || *p == '$' || (*p >= '0' && *p <= '9') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (unsigned char)*p >= 0x80))
			return -1;
	/* a: through an import */
	for (size_t i = 0; i < f->nimports; i++) {
		const struct rimport *im = &f->imports[i];
		const char *mb;
		const char *b = binding(im, f->lang, &mb);
		size_t bl;
		const char *rest;
		if (!b)
			continue;
		bl = strlen(b);
		if (f->lang == LANG_PYTHON && !*im->name && !*im->alias) {
			/* import a.b: the receiver is a module path itself */
			size_t ml = strlen(im->module);
			const char *first_dot = strchr(im->module, '.');
			size_t fl = first_dot ? (size_t)(first_dot - im->module) : ml;
			if ((rlen >= ml && !memcmp(r, im->module, ml) && (!r[ml] || r[ml] == '.')) ||
			    (rlen >= fl && !memcmp(r, im->module, fl) && (!r[fl] || r[fl] == '.'))) {
				find_in_module(v, f, c, c->callee, r, "", out);
				return out->n ? RES_IMPORT : RES_UNRESOLVED;
			}
			continue;
		}
		if (!(rlen >= bl && !memcmp(r, b, bl) && (!r[bl] || r[bl] == '.')))
			continue;
		rest = r[bl] ? r + bl + 1 : "";
		if (*im->name && strcmp(im->name, "*") && strcmp(im->name, "default")) {
			/* the import names a definition (a class, a submodule) */
			struct strbuf s = STRBUF_INIT;
			sb_adds(&s, im->name);
			if (*rest) {
				sb_addc(&s, '.');
				sb_adds(&s, rest);
			}
			find_in_module(v, f, c, c->callee, im->module, s.buf, out);
			sb_release(&s);
		} else {
			find_in_module(v, f, c, c->callee, im->module, rest, out);
		}
		if (out->n)
			return prefer_own_file(f, out, RES_IMPORT);
		/* the receiver names an imported module or definition that is not
		 * in the repository (a library): nothing here is the target */
		if (lang_family(f->lang) != LANG_C)
			return RES_UNRESOLVED;
	}
	/* b: a class, namespace, module or package of that name, or a module
	 * then a class (Rust store::Store::new(), Python pkg.mod.Cls.f()) */
	{
		struct strbuf rr = STRBUF_INIT, xm = STRBUF_INIT;
		int exact = 0;
		sb_adds(&rr, r);
		if (f->lang == LANG_RUST) {
			/* crate::, self::, super:: are paths from this file */
			struct strbuf fm = STRBUF_INIT;
			path_module(f->path, LANG_RUST, &fm);
			if (!strncmp(r, "crate", 5) && (!r[5] || r[5] == '.')) {
				exact = 1;
			} else if (!strncmp(r, "self", 4) && (!r[4] || r[4] == '.')) {
				sb_reset(&rr);
				sb_adds(&rr, fm.buf);
				sb_adds(&rr, r + 4);
				exact = 1;
			} else if (!strncmp(r, "super", 5) && (!r[5] || r[5] == '.')) {
				const char *l = strrchr(fm.buf, '.');
				sb_reset(&rr);
				sb_add(&rr, fm.buf, l ? (size_t)(l - fm.buf) : fm.len);
				sb_adds(&rr, r + 5);
				exact = 1;
			}
			sb_release(&fm);
		}
		d = v->lookup(v->ctx, c->callee, &n);
		for (size_t i = 0; i < n; i++) {
			const struct rdef *x = &d[i];
			if (!kind_ok(x, f, c))
				continue;
			if (!exact && *x->scope && ends_with_comp(x->scope, rr.buf, 1)) {
				pick(out, x);
				continue;
			}
			/* the module part, then the scope part: every split */
			sb_reset(&xm);
			if (*x->module)
				sb_adds(&xm, x->module);
			else if (x->lang == LANG_PYTHON || x->lang == LANG_RUST)
				path_module(x->path, x->lang, &xm);
			if (!xm.len)
				continue;
			for (size_t k = rr.len + 1; k-- > 0;) {
				const char *sc = k < rr.len ? rr.buf + k + 1 : "";
				int mod_ok;
				if (k < rr.len && rr.buf[k] != '.')
					continue;
				if (strcmp(x->scope, sc))
					continue;
				rr.buf[k < rr.len ? k : rr.len] = 0;
				mod_ok = exact ? !strcmp(xm.buf, rr.buf) : ends_with_comp(xm.buf, rr.buf, 1);
				if (k < rr.len)
					rr.buf[k] = '.';
				if (mod_ok) {
					pick(out, x);
					break;
				}
			}
		}
		sb_release(&rr);
		sb_release(&xm);
	}
	if (out->n)
		return prefer_own_file(f, out, RES_QUALIFIED);
	/* Java: a capitalised receiver that is no variable is a class; one
	 * that is not in the index is a library's (Math.round) */
	if (f->lang == LANG_JAVA && *r >= 'A' && *r <= 'Z' && !strchr(r, '.'))
		return RES_UNRESOLVED;
	/* a path (A::f()) that names nothing in the index: a library's type or
	 * namespace (Vec::new(), std::make_unique()) */
	if (c->flags & CALL_SCOPED)
		return RES_UNRESOLVED;
	return -1;
}

/* Rule 5: an unqualified call. */
static int unqualified(const struct rview *v, const struct rfile *f, const struct rcall *c,
		       struct rpicks *out)
{
	size_t n;
	const struct rdef *d = v->lookup(v->ctx, c->callee, &n);
	const struct rdef *best = NULL;
	int fam = lang_family(f->lang);
	/* a: the caller's own file, innermost scope first */
	for (size_t i = 0; i < n; i++) {
		const struct rdef *x = &d[i];
		if (x->file_id != f->file_id || !kind_ok(x, f, c) || x->kind == SK_METHOD ||
		    !scope_encloses(x->scope, c->caller_qname))
			continue;
		if (!best || strlen(x->scope) > strlen(best->scope))
			best = x;
	}
	if (best) {
		pick(out, best);
		return RES_SAME_FILE;
	}
	/* b, c: a named or wildcard import */
	for (size_t i = 0; i < f->nimports; i++) {
		const struct rimport *im = &f->imports[i];
		const char *mb;
		const char *b = binding(im, f->lang, &mb);
		if (!strcmp(im->name, "*")) {
			if (f->lang == LANG_C || f->lang == LANG_CPP) {
				for (size_t k = 0; k < n; k++)
					if (kind_ok(&d[k], f, c) && !strcmp(d[k].scope, im->module))
						pick(out, &d[k]);
			} else {
				find_in_module(v, f, c, c->callee, im->module, "", out);
			}
		} else if (b && !*im->name && lang_family(f->lang) == LANG_JAVASCRIPT &&
			   !strcmp(b, c->callee)) {
			/* const W = require("./w"); new W(): what the module exports */
			find_in_module(v, f, c, c->callee, im->module, "", out);
			if (!out->n)
				find_in_module(v, f, c, "default", im->module, "", out);
		} else if (b && *im->name && !strcmp(b, c->callee)) {
			const char *orig = strcmp(im->name, "default") ? im->name : c->callee;
			if (lang_family(f->lang) == LANG_JAVASCRIPT && !strcmp(im->name, "default")) {
				/* export default function () {}: named "default" */
				find_in_module(v, f, c, orig, im->module, "", out);
				if (!out->n)
					find_in_module(v, f, c, "default", im->module, "", out);
			} else if (f->lang == LANG_C || f->lang == LANG_CPP) {
				size_t no;
				const struct rdef *od = v->lookup(v->ctx, orig, &no);
				for (size_t k = 0; k < no; k++)
					if (kind_ok(&od[k], f, c) && !strcmp(od[k].scope, im->module))
						pick(out, &od[k]);
			} else {
				find_in_module(v, f, c, orig, im->module, "", out);
			}
		}
		if (out->n)
			return prefer_own_file(f, out, RES_IMPORT);
	}
	/* d: the same package (Go: directory; Java: declared package) */
	if (f->lang == LANG_GO || f->lang == LANG_JAVA) {
		struct strbuf fd = STRBUF_INIT, xd = STRBUF_INIT;
		path_dir(f->path, &fd);
		for (size_t i = 0; i < n; i++) {
			const struct rdef *x = &d[i];
			if (!kind_ok(x, f, c) || *x->scope || strcmp(x->module, f->module))
				continue;
			if (f->lang == LANG_GO) {
				path_dir(x->path, &xd);
				if (strcmp(xd.buf ? xd.buf : "", fd.buf ? fd.buf : ""))
					continue;
			}
			pick(out, x);
		}
		sb_release(&fd);
		sb_release(&xd);
		if (out->n)
			return out->n == 1 ? RES_QUALIFIED : RES_AMBIGUOUS;
	}
	/* e, f: visible definitions anywhere */
	for (size_t i = 0; i < n; i++) {
		const struct rdef *x = &d[i];
		if (!kind_ok(x, f, c) || x->kind == SK_METHOD)
			continue;
		if (fam == LANG_C) {
			if (x->is_static && !x->in_header)
				continue;
		} else if (*x->scope) {
			continue;
		}
		pick(out, x);
	}
	return out->n == 0 ? RES_UNRESOLVED : out->n == 1 ? RES_NAME_ONLY : RES_AMBIGUOUS;
}

/* Does the class written k (a scope) derive, through the bases in the
 * index, from the class written base? Breadth first over class names, each
 * name visited once (many classes may share a name: 121 StreamWriter
 * classes in Python's encodings/), at most CLASS_QUEUE names. */
static int derives_from(const struct rview *v, const struct rfile *f, const char *k,
			const char *base)
{
	char queue[CLASS_QUEUE][128];
	size_t head = 0, tail = 0;
	snprintf(queue[tail++], sizeof(queue[0]), "%s", k);
	while (head < tail) {
		const char *cur = queue[head++];
		size_t nk;
		const struct rdef *cd = v->lookup(v->ctx, last_comp(cur, '.'), &nk);
		for (size_t i = 0; i < nk; i++) {
			const char *b = cd[i].bases;
			if (!same_family(&cd[i], f) || !sym_kind_is_type(cd[i].kind) || !*b)
				continue;
			while (*b) {
				const char *e = strchr(b, ',');
				size_t len = e ? (size_t)(e - b) : strlen(b);
				int seen = 0;
				if (len < sizeof(queue[0])) {
					char one[128];
					memcpy(one, b, len);
					one[len] = 0;
					if (scope_matches(base, one))
						return 1;
					for (size_t j = 0; j < tail && !seen; j++)
						seen = !strcmp(queue[j], one);
					if (!seen && tail < CLASS_QUEUE)
						memcpy(queue[tail++], one, len + 1);
				}
				b = e ? e + 1 : b + len;
			}
		}
	}
	return 0;
}

/* A method the class cls (or a base) only declares: its overrides in the
 * classes derived from cls. */
static int overrides(const struct rview *v, const struct rfile *f, const struct rcall *c,
		     const char *cls, struct rpicks *out)
{
	size_t n;
	const struct rdef *d = v->lookup(v->ctx, c->callee, &n);
	for (size_t i = 0; i < n; i++)
		if (same_family(&d[i], f) && d[i].kind == SK_METHOD && *d[i].scope &&
		    derives_from(v, f, d[i].scope, cls))
			pick(out, &d[i]);
	return out->n == 1 ? RES_NAME_ONLY : RES_AMBIGUOUS;
}

/* Java and C++ inner classes: methods of the enclosing classes, in the
 * caller's file (scopes that are prefixes of cls, the longest first). */
static int enclosing_class(const struct rview *v, const struct rfile *f, const struct rcall *c,
			   const char *cls, struct rpicks *out)
{
	size_t n, len = strlen(cls);
	const struct rdef *d = v->lookup(v->ctx, c->callee, &n);
	while (len > 0) {
		while (len > 0 && cls[len - 1] != '.')
			len--;
		if (len == 0)
			break;
		len--;   /* the prefix cls[0, len) */
		for (size_t i = 0; i < n; i++)
			if (d[i].file_id == f->file_id && d[i].kind == SK_METHOD &&
			    strlen(d[i].scope) == len && !strncmp(d[i].scope, cls, len))
				pick(out, &d[i]);
		if (out->n)
			return RES_SAME_FILE;
	}
	return -1;
}

int resolve_call(const struct rview *v, const struct rfile *f, const struct rcall *c,
		 struct rpicks *out)
{
	int res;
	out->n = 0;
	/* 1 */
	if (c->flags & CALL_DYNAMIC)
		return RES_DYNAMIC;
	/* 2: self/this/super */
	if (c->flags & (CALL_SELF | CALL_SUPER)) {
		if (c->cls) {
			find_in_class(v, f, c, c->cls, (c->flags & CALL_SUPER) != 0, out);
			if (out->n)
				return out->n == 1 ? RES_SAME_CLASS : RES_AMBIGUOUS;
			if (!(c->flags & CALL_SUPER) && (res = overrides(v, f, c, c->cls, out), out->n))
				return res;
		}
		return any_method(v, f, c, out);
	}
	/* 4: a receiver or qualifier */
	if (c->receiver && *c->receiver && (c->flags & (CALL_MEMBER | CALL_SCOPED | CALL_NEW))) {
		res = with_receiver(v, f, c, out);
		if (res >= 0)
			return res;
		out->n = 0;
		if (c->flags & CALL_NEW)
			return unqualified(v, f, c, out);
		return any_method(v, f, c, out);
	}
	/* 3: implicit this */
	if (c->cls && (f->lang == LANG_CPP || f->lang == LANG_JAVA)) {
		find_in_class(v, f, c, c->cls, 0, out);
		if (out->n)
			return out->n == 1 ? RES_SAME_CLASS : RES_AMBIGUOUS;
		if ((res = overrides(v, f, c, c->cls, out), out->n))
			return res;
		if ((res = enclosing_class(v, f, c, c->cls, out)) >= 0)
			return res;
	}
	/* 5 */
	return unqualified(v, f, c, out);
}

/* ---- the whole index in memory ------------------------------------------ */

struct rfile_rec {
	uint32_t path, module;     /* in strs */
	uint8_t lang, known;
};

struct rindex {
	struct intern strs;        /* names, scopes, bases, paths, modules */
	struct rdef *defs;         /* grouped by name */
	size_t ndefs;
	uint32_t *name_first, *name_count; /* by name id in strs */
	size_t nnames;
	struct rfile_rec *files;   /* by file id */
	size_t nfiles;
	uint32_t *by_sym;          /* by symbol id: position in defs, or UINT32_MAX */
	size_t nsyms;
};

struct rraw {                      /* a definition while loading: string ids */
	int64_t sym_id, file_id, parent_id;
	uint32_t name, scope, bases;
	uint32_t line, col, end_line;
	uint8_t kind, is_static;
};

/* By name, then in file (path) and line order: the order the SQL view
 * gives (query.c), whatever ids the writer happened to hand out, so that a
 * resolution never depends on the order files were indexed in. */
static int cmp_raw(const void *a, const void *b, void *ctx)
{
	const struct rindex *ri = ctx;
	const struct rraw *x = a, *y = b;
	int c;
	if (x->name != y->name)
		return x->name < y->name ? -1 : 1;
	if (x->file_id != y->file_id &&
	    (c = strcmp(intern_str(&ri->strs, ri->files[x->file_id].path),
			intern_str(&ri->strs, ri->files[y->file_id].path))))
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return (x->sym_id > y->sym_id) - (x->sym_id < y->sym_id);
}

static uint32_t col_str(struct intern *in, sqlite3_stmt *s, int c)
{
	const char *t = (const char *)sqlite3_column_text(s, c);
	return t ? intern_add(in, t, strlen(t), NULL) : intern_add(in, "", 0, NULL);
}

static const struct rdef *ri_lookup(void *ctx, const char *name, size_t *n)
{
	const struct rindex *ri = ctx;
	uint32_t id = intern_find(&ri->strs, name, strlen(name));
	if (id == UINT32_MAX || id >= ri->nnames || !ri->name_count[id]) {
		*n = 0;
		return NULL;
	}
	*n = ri->name_count[id];
	return ri->defs + ri->name_first[id];
}

struct rview rindex_view(struct rindex *ri)
{
	return (struct rview){ ri_lookup, ri };
}

const struct rdef *rindex_defs(const struct rindex *ri, size_t *n)
{
	*n = ri->ndefs;
	return ri->defs;
}

const struct rdef *rindex_by_sym(const struct rindex *ri, int64_t sym_id)
{
	if (sym_id < 0 || (uint64_t)sym_id >= ri->nsyms || ri->by_sym[sym_id] == UINT32_MAX)
		return NULL;
	return &ri->defs[ri->by_sym[sym_id]];
}

const char *rindex_class_of(const struct rindex *ri, const struct rdef *d)
{
	for (int depth = 0; d && depth < 64; depth++) {
		if (d->kind == SK_METHOD)
			return d->scope;
		d = rindex_by_sym(ri, d->parent_id);
	}
	return NULL;
}

int rindex_file(const struct rindex *ri, int64_t file_id, const char **path, int *lang,
		const char **module)
{
	const struct rfile_rec *r;
	if (file_id < 0 || (uint64_t)file_id >= ri->nfiles || !ri->files[file_id].known)
		return -1;
	r = &ri->files[file_id];
	*path = intern_str(&ri->strs, r->path);
	*lang = r->lang;
	*module = intern_str(&ri->strs, r->module);
	return 0;
}

void rindex_free(struct rindex *ri)
{
	if (!ri)
		return;
	intern_release(&ri->strs);
	free(ri->defs);
	free(ri->name_first);
	free(ri->name_count);
	free(ri->files);
	free(ri->by_sym);
	free(ri);
}

struct rindex *rindex_load(sqlite3 *db, struct strbuf *err)
{
	struct rindex *ri = xcalloc(1, sizeof(*ri));
	struct rraw *raw = NULL;
	size_t nraw = 0, cap = 0;
	sqlite3_stmt *s = NULL;
	int rc;
	intern_init(&ri->strs);
	intern_add(&ri->strs, "", 0, NULL);
	if (sqlite3_prepare_v2(db, "SELECT id, path, lang, module FROM files ORDER BY id", -1, &s,
			       NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		int lang = lang_by_name((const char *)sqlite3_column_text(s, 2));
		if (id < 0 || id > INT32_MAX)
			continue;
		if ((size_t)id >= ri->nfiles) {
			size_t old = ri->nfiles;
			ARRAY_GROW(ri->files, ri->nfiles, (size_t)id + 1);
			memset(ri->files + old, 0, (ri->nfiles - old) * sizeof(*ri->files));
		}
		ri->files[id].path = col_str(&ri->strs, s, 1);
		ri->files[id].module = col_str(&ri->strs, s, 3);
		ri->files[id].lang = (uint8_t)(lang < 0 ? LANG_C : lang);
		ri->files[id].known = 1;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (rc != SQLITE_DONE)
		goto fail;
	if (sqlite3_prepare_v2(db, "SELECT id, file_id, parent, name, scope, bases, kind, flags,"
			       " line, col, end_line FROM symbols", -1, &s, NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(s, 6);
		int64_t fid = sqlite3_column_int64(s, 1), sid = sqlite3_column_int64(s, 0);
		struct rraw *x;
		if (fid < 0 || (uint64_t)fid >= ri->nfiles || !ri->files[fid].known ||
		    !sym_kind_callable(kind, ri->files[fid].lang) || sid < 0 || sid > INT32_MAX)
			continue;
		ARRAY_GROW(raw, cap, nraw + 1);
		x = &raw[nraw++];
		x->sym_id = sid;
		x->file_id = fid;
		x->parent_id = sqlite3_column_type(s, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 2);
		x->name = col_str(&ri->strs, s, 3);
		x->scope = col_str(&ri->strs, s, 4);
		x->bases = col_str(&ri->strs, s, 5);
		x->kind = (uint8_t)kind;
		x->is_static = (sqlite3_column_int(s, 7) & SYM_STATIC) != 0;
		x->line = (uint32_t)sqlite3_column_int(s, 8);
		x->col = (uint32_t)sqlite3_column_int(s, 9);
		x->end_line = (uint32_t)sqlite3_column_int(s, 10);
		if ((size_t)sid >= ri->nsyms)
			ri->nsyms = (size_t)sid + 1;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (rc != SQLITE_DONE)
		goto fail;
	if (nraw > 1)
		qsort_r(raw, nraw, sizeof(*raw), cmp_raw, ri);
	ri->nnames = ri->strs.n;
	ri->name_first = xcalloc(ri->nnames ? ri->nnames : 1, sizeof(uint32_t));
	ri->name_count = xcalloc(ri->nnames ? ri->nnames : 1, sizeof(uint32_t));
	ri->by_sym = xreallocarray(NULL, ri->nsyms ? ri->nsyms : 1, sizeof(uint32_t));
	memset(ri->by_sym, 0xff, (ri->nsyms ? ri->nsyms : 1) * sizeof(uint32_t));
	ri->defs = xcalloc(nraw ? nraw : 1, sizeof(*ri->defs));
	ri->ndefs = nraw;
	for (size_t i = 0; i < nraw; i++) {
		const struct rraw *x = &raw[i];
		const struct rfile_rec *fr = &ri->files[x->file_id];
		struct rdef *d = &ri->defs[i];
		if (!ri->name_count[x->name])
			ri->name_first[x->name] = (uint32_t)i;
		ri->name_count[x->name]++;
		ri->by_sym[x->sym_id] = (uint32_t)i;
		d->sym_id = x->sym_id;
		d->file_id = x->file_id;
		d->parent_id = x->parent_id;
		d->name = intern_str(&ri->strs, x->name);
		d->scope = intern_str(&ri->strs, x->scope);
		d->bases = intern_str(&ri->strs, x->bases);
		d->path = intern_str(&ri->strs, fr->path);
		d->module = intern_str(&ri->strs, fr->module);
		d->ref = (uint32_t)i;
		d->line = x->line;
		d->col = x->col;
		d->end_line = x->end_line;
		d->kind = x->kind;
		d->lang = fr->lang;
		d->is_static = x->is_static;
		d->in_header = (uint8_t)resolve_is_header(d->path);
	}
	free(raw);
	return ri;
fail:
	sb_addf(err, "reading definitions from the index: %s", sqlite3_errmsg(db));
	sqlite3_finalize(s);
	free(raw);
	rindex_free(ri);
	return NULL;
}

int rindex_each_edge(struct rindex *ri, sqlite3 *db, void (*fn)(void *ctx, const struct redge *e),
		     void *ctx, struct strbuf *err)
{
	sqlite3_stmt *s;
	struct callsites cs = { 0 };
	struct rpicks picks = { 0 };
	struct strbuf qn = STRBUF_INIT;
	struct rview view = rindex_view(ri);
	int rc;
	if (sqlite3_prepare_v2(db, "SELECT f.id, f.sym_lo, c.data FROM files f"
			       " JOIN callsites c ON c.file_id = f.id ORDER BY f.path", -1, &s,
			       NULL) != SQLITE_OK) {
		sb_addf(err, "reading call sites from the index: %s", sqlite3_errmsg(db));
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t sym_lo = sqlite3_column_int64(s, 1);
		struct rfile rf = { .file_id = sqlite3_column_int64(s, 0) };
		struct redge e = { 0 };
		if (rindex_file(ri, rf.file_id, &rf.path, &rf.lang, &rf.module) < 0)
			continue;
		if (callsites_decode(&cs, sqlite3_column_blob(s, 2),
				     (size_t)sqlite3_column_bytes(s, 2)) < 0) {
			sb_addf(err, "the index holds a damaged call-site record for '%s'; "
				"delete the index and run 'cidx index' again", rf.path);
			rc = -1;
			break;
		}
		rf.imports = cs.imports;
		rf.nimports = cs.nimports;
		e.path = rf.path;
		e.lang = rf.lang;
		for (size_t i = 0; i < cs.n; i++) {
			const struct callsite *site = &cs.v[i];
			struct rcall c = { site->callee, site->receiver, site->flags, "", NULL };
			e.caller = site->caller >= 0 ? rindex_by_sym(ri, sym_lo + site->caller) : NULL;
			if (e.caller) {
				rdef_qname(e.caller, &qn);
				c.caller_qname = qn.buf;
				c.cls = rindex_class_of(ri, e.caller);
			}
			e.site = site;
			e.res = resolve_call(&view, &rf, &c, &picks);
			e.picks = &picks;
			fn(ctx, &e);
		}
	}
	sqlite3_finalize(s);
	callsites_release(&cs);
	rpicks_release(&picks);
	sb_release(&qn);
	if (rc == -1)
		return -1;
	if (rc != SQLITE_DONE) {
		sb_addf(err, "reading call sites from the index: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

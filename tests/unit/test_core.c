/* test_core.c — unit tests for the engine's small pieces: fingerprints,
 * terminal-safe text, JSON strings, language routing, the serialized form of
 * extraction results, the L1 cache, the tree walk (tswalk.h) and the
 * tree-sitter arena (tsarena.h). */
#include <setjmp.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "callsites.h"
#include "extract.h"
#include "fp.h"
#include "lang.h"
#include "tsarena.h"
#include "tswalk.h"
#include "util.h"

static void test_fingerprint_is_blake2b_128(void **state)
{
	uint8_t fp[FP_LEN];
	char hex[2 * FP_LEN + 1];
	(void)state;
	fp_compute("abc", 3, fp);
	fp_hex(fp, hex);
	assert_string_equal(hex, "cf4ab791c62b8d2b2109c90275287816");
	fp_compute("", 0, fp);
	fp_hex(fp, hex);
	assert_string_equal(hex, "cae66941d9efbd404e4d88758ea67670");
}

static void check_visible(const char *in, size_t n, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add_visible(&sb, in, n);
	assert_string_equal(sb.buf ? sb.buf : "", want);
	sb_release(&sb);
}

static void test_visible_text_has_no_controls(void **state)
{
	(void)state;
	check_visible("plain", 5, "plain");
	check_visible("a\tb", 3, "a b");
	check_visible("\x1b[2Jx", 5, "^[[2Jx");           /* clear-screen sequence */
	check_visible("bell\a", 5, "bell^G");
	check_visible("del\x7f", 4, "del^?");
	check_visible("nul\0x", 5, "nul^@x");
	check_visible("c1\xc2\x9b", 4, "c1<U+009B>");     /* 8-bit CSI */
	check_visible("bad\xff", 4, "bad\\xff");
	check_visible("caf\xc3\xa9", 5, "caf\xc3\xa9");   /* valid UTF-8 stays */
	check_visible("\xe2\x82", 2, "\\xe2\\x82");        /* truncated sequence */
}

static void check_json(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add_json(&sb, in);
	assert_string_equal(sb.buf, want);
	sb_release(&sb);
}

static void test_json_strings(void **state)
{
	(void)state;
	check_json("a\"b\\c", "\"a\\\"b\\\\c\"");
	check_json("l1\nl2\t\x1b", "\"l1\\nl2\\t\\u001b\"");
	check_json("\xff", "\"\\ufffd\"");
	check_json("", "\"\"");
}

static void test_language_routing(void **state)
{
	const char sh[] = "#!/bin/sh\n";
	(void)state;
	assert_int_equal(lang_for_path("src/a.c", NULL, 0), 0);
	assert_string_equal(lang_name(lang_for_path("x/y.h", NULL, 0)), "c");
	assert_int_equal(lang_for_path("notes.txt", NULL, 0), -1);
	assert_int_equal(lang_for_path("Makefile", sh, sizeof(sh) - 1), -1);
	assert_int_equal(lang_for_path(".c", NULL, 0), -1);   /* a dot file, not C */
	assert_string_equal(lang_key(0), "c@" "0.24.1");
	/* every language by extension; .h stays C */
	assert_int_equal(lang_for_path("a/b.cc", NULL, 0), LANG_CPP);
	assert_int_equal(lang_for_path("a/b.hpp", NULL, 0), LANG_CPP);
	assert_int_equal(lang_for_path("m.py", NULL, 0), LANG_PYTHON);
	assert_int_equal(lang_for_path("m.mjs", NULL, 0), LANG_JAVASCRIPT);
	assert_int_equal(lang_for_path("m.cts", NULL, 0), LANG_TYPESCRIPT);
	assert_int_equal(lang_for_path("m.tsx", NULL, 0), LANG_TSX);
	assert_int_equal(lang_for_path("m.go", NULL, 0), LANG_GO);
	assert_int_equal(lang_for_path("m.rs", NULL, 0), LANG_RUST);
	assert_int_equal(lang_for_path("M.java", NULL, 0), LANG_JAVA);
	assert_int_equal(lang_for_path("m.pyc", NULL, 0), -1);
	/* extensionless scripts by shebang: interpreter path, env, versions */
	{
		static const char *const heads[][2] = {
			{ "#!/usr/bin/env python3\n", "python" },
			{ "#!/usr/bin/python3.11 -u\n", "python" },
			{ "#! /usr/local/bin/node\n", "javascript" },
			{ "#!/usr/bin/env ts-node\n", "typescript" },
			{ "#!/usr/bin/env perl\n", NULL },
			{ "#!/usr/bin/pythonx\n", NULL },
		};
		for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
			int l = lang_for_path("bin/tool", heads[i][0], strlen(heads[i][0]));
			if (heads[i][1])
				assert_string_equal(lang_name(l), heads[i][1]);
			else
				assert_int_equal(l, -1);
		}
	}
}

/* A small result with a parent, a caller and a receiver. */
static void make_result(struct xresult *r)
{
	struct xsym s = { 0 };
	struct xcall c = { 0 };
	xresult_init(r);
	s.name = xresult_str(r, "outer", 5);
	s.kind = SK_FUNCTION;
	s.line = 3; s.col = 5; s.end_line = 9; s.end_col = 1;
	s.parent = -1;
	xresult_add_sym(r, &s);
	s.name = xresult_str(r, "E1", 2);
	s.kind = SK_ENUMERATOR;
	s.line = 1; s.parent = 0;
	xresult_add_sym(r, &s);
	c.callee = xresult_str(r, "open", 4);
	c.receiver = xresult_str(r, "ops", 3);
	c.line = 4; c.col = 7; c.caller = 0; c.flags = CALL_DYNAMIC;
	xresult_add_call(r, &c);
	r->parse_errors = 2;
	/* the function's duplicate-detection values */
	ARRAY_GROW(r->defs, r->defs_cap, 1);
	memset(&r->defs[0], 0, sizeof(r->defs[0]));
	r->defs[0].sym = 0;
	r->defs[0].ntokens = 12;
	r->defs[0].hash = 0x0123456789abcdefULL;
	r->defs[0].has_sig = 1;
	r->defs[0].sig[5] = 77;
	r->defs[0].bands[15] = 99;
	r->ndefs = 1;
}

static void test_serialize_roundtrip(void **state)
{
	struct xresult a, b;
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	make_result(&a);
	xresult_serialize(&a, &sb);
	xresult_init(&b);
	assert_int_equal(xresult_deserialize(&b, sb.buf, sb.len), 0);
	assert_int_equal(b.nsyms, 2);
	assert_int_equal(b.ncalls, 1);
	assert_int_equal(b.parse_errors, 2);
	assert_string_equal(xstr(&b, b.syms[1].name), "E1");
	assert_int_equal(b.syms[1].parent, 0);
	assert_string_equal(xstr(&b, b.calls[0].receiver), "ops");
	assert_int_equal(b.calls[0].flags, CALL_DYNAMIC);
	assert_int_equal(b.ndefs, 1);
	assert_int_equal(b.defs[0].ntokens, 12);
	assert_true(b.defs[0].hash == 0x0123456789abcdefULL);
	assert_int_equal(b.defs[0].sig[5], 77);
	assert_int_equal(b.defs[0].bands[15], 99);
	sb_release(&sb);
	xresult_release(&a);
	xresult_release(&b);
}

static void test_deserialize_rejects_damage(void **state)
{
	struct xresult a, b;
	struct strbuf sb = STRBUF_INIT;
	size_t sym_off = 4 + 11 * 4;  /* after the header */
	size_t def_off;
	(void)state;
	make_result(&a);
	xresult_serialize(&a, &sb);
	def_off = sym_off + a.nsyms * sizeof(struct xsym) + a.ncalls * sizeof(struct xcall);
	xresult_init(&b);
	assert_int_equal(xresult_deserialize(&b, sb.buf, sb.len), 0);
	/* a definition that is not a function symbol, or a bad signature flag */
	{
		struct xdef d;
		memcpy(&d, sb.buf + def_off, sizeof(d));
		d.sym = 1;
		memcpy(sb.buf + def_off, &d, sizeof(d));
		assert_int_equal(xresult_deserialize(&b, sb.buf, sb.len), -1);
		d.sym = 0;
		d.has_sig = 2;
		memcpy(sb.buf + def_off, &d, sizeof(d));
		assert_int_equal(xresult_deserialize(&b, sb.buf, sb.len), -1);
		d.has_sig = 1;
		memcpy(sb.buf + def_off, &d, sizeof(d));
		assert_int_equal(xresult_deserialize(&b, sb.buf, sb.len), 0);
	}
	/* truncated */
	assert_int_equal(xresult_deserialize(&b, sb.buf, sb.len - 1), -1);
	/* wrong magic */
	sb.buf[0] ^= 1;
	assert_int_equal(xresult_deserialize(&b, sb.buf, sb.len), -1);
	sb.buf[0] ^= 1;
	/* a name offset pointing outside the strings */
	{
		struct xsym s;
		memcpy(&s, sb.buf + sym_off, sizeof(s));
		s.name = 1u << 30;
		memcpy(sb.buf + sym_off, &s, sizeof(s));
		assert_int_equal(xresult_deserialize(&b, sb.buf, sb.len), -1);
		s.name = 1;
		s.parent = 7;   /* a parent that does not exist */
		memcpy(sb.buf + sym_off, &s, sizeof(s));
		assert_int_equal(xresult_deserialize(&b, sb.buf, sb.len), -1);
	}
	assert_int_equal(b.nsyms, 0);   /* left empty, never half-filled */
	sb_release(&sb);
	xresult_release(&a);
	xresult_release(&b);
}

static void add_call(struct xresult *r, const char *callee, const char *recv, int32_t caller,
		     uint32_t line)
{
	struct xcall c = { 0 };
	c.callee = xresult_str(r, callee, strlen(callee));
	c.receiver = recv ? xresult_str(r, recv, strlen(recv)) : 0;
	c.caller = caller;
	c.line = line;
	c.col = line + 1;
	c.flags = recv ? CALL_DYNAMIC : 0;
	xresult_add_call(r, &c);
}

static void test_callsites_roundtrip_and_refs(void **state)
{
	struct xresult a;
	struct strbuf sb = STRBUF_INIT;
	struct callref *refs;
	struct callsites cs = { 0 };
	size_t nrefs;
	(void)state;
	xresult_init(&a);
	add_call(&a, "zeta", NULL, 0, 3);
	add_call(&a, "alpha", NULL, -1, 5);
	add_call(&a, "zeta", "ops", 1, 9);
	add_call(&a, "mid", NULL, 1, 12);
	callsites_encode(&a, &sb, &refs, &nrefs);
	/* distinct callees, sorted, with their counts */
	assert_int_equal(nrefs, 3);
	assert_string_equal(refs[0].name, "alpha");
	assert_int_equal(refs[0].n, 1);
	assert_string_equal(refs[1].name, "mid");
	assert_string_equal(refs[2].name, "zeta");
	assert_int_equal(refs[2].n, 2);
	/* "zeta" stored once: 16 header + 4 * 21 records + "" alpha mid zeta ops */
	assert_int_equal(sb.len, 16 + 4 * 21 + 1 + 6 + 4 + 5 + 4);
	assert_int_equal(callsites_decode(&cs, sb.buf, sb.len), 0);
	assert_int_equal(cs.n, 4);
	/* the extractor's order is kept */
	assert_string_equal(cs.v[0].callee, "zeta");
	assert_null(cs.v[0].receiver);
	assert_int_equal(cs.v[0].caller, 0);
	assert_string_equal(cs.v[1].callee, "alpha");
	assert_int_equal(cs.v[1].caller, -1);
	assert_string_equal(cs.v[2].receiver, "ops");
	assert_int_equal(cs.v[2].flags, CALL_DYNAMIC);
	assert_int_equal(cs.v[2].line, 9);
	assert_int_equal(cs.v[2].col, 10);
	assert_string_equal(cs.v[3].callee, "mid");
	/* damage: short, wrong magic, offsets out of range, unterminated strings */
	assert_int_equal(callsites_decode(&cs, sb.buf, sb.len - 1), -1);
	assert_int_equal(cs.n, 0);
	assert_int_equal(callsites_decode(&cs, sb.buf, 11), -1);
	sb.buf[0] = 'X';
	assert_int_equal(callsites_decode(&cs, sb.buf, sb.len), -1);
	sb.buf[0] = 'C';
	sb.buf[16 + 4] = (char)0xff;   /* first record's callee offset */
	assert_int_equal(callsites_decode(&cs, sb.buf, sb.len), -1);
	sb.buf[16 + 4] = 0;
	sb.buf[sb.len - 1] = 'x';
	assert_int_equal(callsites_decode(&cs, sb.buf, sb.len), -1);
	callsites_release(&cs);
	free(refs);
	sb_release(&sb);
	xresult_release(&a);
}

static void test_l1_hits_claims_and_eviction(void **state)
{
	struct xresult r, out;
	uint8_t fp1[FP_LEN], fp2[FP_LEN], fp3[FP_LEN];
	struct l1 *c;
	struct strbuf sb = STRBUF_INIT;
	size_t one;
	(void)state;
	make_result(&r);
	xresult_serialize(&r, &sb);
	one = sizeof(r) + r.nsyms * sizeof(*r.syms) + r.ncalls * sizeof(*r.calls) +
	      r.ndefs * sizeof(*r.defs) + r.strings_len;
	c = l1_new(2 * one);     /* room for two results */
	xresult_init(&out);
	fp_compute("1", 1, fp1);
	fp_compute("2", 1, fp2);
	fp_compute("3", 1, fp3);
	assert_int_equal(l1_get_or_claim(c, fp1, 0, &out), 0);   /* miss: claimed */
	l1_put(c, fp1, 0, &r);
	assert_int_equal(l1_get_or_claim(c, fp1, 0, &out), 1);   /* hit */
	assert_int_equal(out.nsyms, 2);
	assert_int_equal(l1_get_or_claim(c, fp1, 1, &out), 0);   /* other language: a miss */
	l1_abandon(c, fp1, 1);
	assert_int_equal(l1_get_or_claim(c, fp2, 0, &out), 0);
	l1_put(c, fp2, 0, &r);
	assert_int_equal(l1_get_or_claim(c, fp1, 0, &out), 1);   /* fp1 now most recent */
	assert_int_equal(l1_get_or_claim(c, fp3, 0, &out), 0);
	l1_put(c, fp3, 0, &r);                                   /* evicts fp2, the LRU */
	assert_int_equal(l1_get_or_claim(c, fp1, 0, &out), 1);
	assert_int_equal(l1_get_or_claim(c, fp3, 0, &out), 1);
	assert_int_equal(l1_get_or_claim(c, fp2, 0, &out), 0);
	l1_abandon(c, fp2, 0);
	l1_free(c);
	sb_release(&sb);
	xresult_release(&r);
	xresult_release(&out);
}

/* ---- tswalk: the same nodes, in the same order and at the same depths, as
 * a TSTreeCursor walk, on every source file of the extraction cases and the
 * fixtures, skipping children by several rules. */

static const struct {
	const char *lang;
	const TSLanguage *(*grammar)(void);
} walk_grammars[] = {
	{ "c", tree_sitter_c }, { "cpp", tree_sitter_cpp }, { "python", tree_sitter_python },
	{ "javascript", tree_sitter_javascript }, { "typescript", tree_sitter_typescript },
	{ "tsx", tree_sitter_tsx }, { "go", tree_sitter_go }, { "rust", tree_sitter_rust },
	{ "java", tree_sitter_java },
};

struct walk_step {
	const void *id;
	uint32_t ctx[4];
	TSSymbol sym;
	uint32_t depth;
};

static TSParser *walk_parser;
static size_t walk_files, walk_nodes;

/* Whether to enter node n's children under rule k (0: always). */
static bool walk_descend(int k, TSNode n, TSSymbol s, uint32_t depth)
{
	switch (k) {
	case 0: return true;
	case 1: return depth < 3;
	case 2: return ts_node_is_named(n);
	default: return ((ts_node_start_byte(n) * 2654435761u) ^ s) % 3 != 0;
	}
}

static void walk_compare(TSNode root, int k)
{
	struct walk_step *ref = NULL;
	size_t n = 0, cap = 0, i = 0;
	TSTreeCursor c = ts_tree_cursor_new(root);
	uint32_t depth = 0;
	for (;;) {
		TSNode x = ts_tree_cursor_current_node(&c);
		TSSymbol s = ts_node_symbol(x);
		ARRAY_GROW(ref, cap, n + 1);
		ref[n++] = (struct walk_step){ x.id, { x.context[0], x.context[1], x.context[2],
						       x.context[3] }, s, depth };
		if (walk_descend(k, x, s, depth) && ts_tree_cursor_goto_first_child(&c)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c))
				goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	struct tswalk w;
	TSNode x;
	TSSymbol s;
	bool descend = false;
	tswalk_init(&w, root);
	while (tswalk_next(&w, descend, &x, &s, &depth)) {
		assert_true(i < n);
		assert_ptr_equal(x.id, ref[i].id);
		assert_memory_equal(x.context, ref[i].ctx, sizeof(ref[i].ctx));
		assert_int_equal(s, ref[i].sym);
		assert_int_equal(s, ts_node_symbol(x));
		assert_int_equal(depth, ref[i].depth);
		descend = walk_descend(k, x, s, depth);
		i++;
	}
	tswalk_release(&w);
	assert_int_equal(i, n);
	walk_nodes += n;
	free(ref);
}

static int walk_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	char *src;
	size_t len;
	int lang;
	(void)st;
	(void)ftw;
	if (type != FTW_F || (lang = lang_for_path(path, NULL, 0)) < 0)
		return 0;
	for (size_t g = 0; g < sizeof(walk_grammars) / sizeof(walk_grammars[0]); g++) {
		if (strcmp(walk_grammars[g].lang, lang_name(lang)))
			continue;
		assert_int_equal(read_file(path, &src, &len), 0);
		assert_true(ts_parser_set_language(walk_parser, walk_grammars[g].grammar()));
		TSTree *t = ts_parser_parse_string(walk_parser, NULL, src, (uint32_t)len);
		assert_non_null(t);
		for (int k = 0; k < 4; k++)
			walk_compare(ts_tree_root_node(t), k);
		/* a walk from an inner node: the root's last child */
		TSNode r = ts_tree_root_node(t);
		if (ts_node_child_count(r))
			walk_compare(ts_node_child(r, ts_node_child_count(r) - 1), 0);
		ts_tree_delete(t);
		free(src);
		walk_files++;
	}
	return 0;
}

static void test_tswalk_matches_cursor(void **state)
{
	(void)state;
	walk_parser = ts_parser_new();
	assert_non_null(walk_parser);
	assert_int_equal(nftw("tests/extract", walk_file, 16, FTW_PHYS), 0);
	assert_int_equal(nftw("tests/fixtures", walk_file, 16, FTW_PHYS), 0);
	ts_parser_delete(walk_parser);
	/* every language, with ERROR nodes among them (tests/extract/<lang>/errors) */
	assert_true(walk_files >= 50);
	assert_true(walk_nodes > 10000);
}

/* ---- tsarena: tree-sitter's allocator inside and outside an arena ---------
 * (the runtime's allocator hooks, TS_PUBLIC in its alloc.c) */
extern void *(*ts_current_malloc)(size_t);
extern void *(*ts_current_calloc)(size_t, size_t);
extern void *(*ts_current_realloc)(void *, size_t);
extern void (*ts_current_free)(void *);

static void test_tsarena_blocks(void **state)
{
	struct tsarena a = { 0 };
	(void)state;
	tsarena_install();
	/* outside: plain heap blocks, freed as such (ASan would object otherwise) */
	char *h = ts_current_malloc(40);
	memset(h, 'h', 40);
	tsarena_enter(&a);
	/* a block made before the arena is freed and grown as a heap block */
	h = ts_current_realloc(h, 4000);
	assert_int_equal(h[39], 'h');
	ts_current_free(h);
	char *p = ts_current_malloc(24), *q;
	memset(p, 'x', 24);
	p = ts_current_realloc(p, 30);         /* fits its block: in place */
	assert_int_equal(p[23], 'x');
	q = ts_current_realloc(p, 5000);       /* a bigger class: moved, contents kept */
	assert_int_equal(q[0], 'x');
	assert_int_equal(q[23], 'x');
	p = ts_current_malloc(24);             /* the freed 32-byte block, reused */
	assert_non_null(p);
	int *z = ts_current_calloc(100, sizeof(int));
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	memset(z, 0xff, 100 * sizeof(int));
	ts_current_free(z);
	z = ts_current_calloc(100, sizeof(int)); /* reused, and zeroed again */
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	void *big = ts_current_malloc((size_t)100 << 20); /* larger than what is kept */
	assert_non_null(big);
	memset(big, 1, 4096);
	tsarena_leave(&a);
	/* everything taken back: the next use starts over */
	tsarena_enter(&a);
	p = ts_current_malloc(24);
	assert_non_null(p);
	tsarena_leave(&a);
	tsarena_release(&a);
	h = ts_current_malloc(16);             /* outside again: the heap */
	ts_current_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_is_blake2b_128),
		cmocka_unit_test(test_visible_text_has_no_controls),
		cmocka_unit_test(test_json_strings),
		cmocka_unit_test(test_language_routing),
		cmocka_unit_test(test_serialize_roundtrip),
		cmocka_unit_test(test_deserialize_rejects_damage),
		cmocka_unit_test(test_callsites_roundtrip_and_refs),
		cmocka_unit_test(test_l1_hits_claims_and_eviction),
		cmocka_unit_test(test_tswalk_matches_cursor),
		cmocka_unit_test(test_tsarena_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* grammars/c/lang.c — C extraction (placeholder walker; being replaced). */
#include "lang.h"
#include <string.h>

static void walk(TSNode n, const char *src, struct xresult *out, int32_t fn)
{
	const char *t = ts_node_type(n);
	if (!strcmp(t, "function_definition")) {
		TSNode d = ts_node_child_by_field_name(n, "declarator", 10);
		while (!ts_node_is_null(d) && strcmp(ts_node_type(d), "identifier"))
			d = ts_node_child_by_field_name(d, "declarator", 10);
		if (!ts_node_is_null(d)) {
			struct xsym s = { 0 };
			s.name = xresult_node_str(out, d, src);
			s.kind = SK_FUNCTION;
			s.line = ts_line(ts_node_start_point(d));
			s.col = ts_col(ts_node_start_point(d));
			s.end_line = ts_line(ts_node_end_point(n));
			s.end_col = ts_node_end_point(n).column;
			s.parent = -1;
			fn = xresult_add_sym(out, &s);
		}
	} else if (!strcmp(t, "call_expression")) {
		TSNode f = ts_node_child_by_field_name(n, "function", 8);
		if (!strcmp(ts_node_type(f), "identifier")) {
			struct xcall c = { 0 };
			c.callee = xresult_node_str(out, f, src);
			c.line = ts_line(ts_node_start_point(f));
			c.col = ts_col(ts_node_start_point(f));
			c.caller = fn;
			xresult_add_call(out, &c);
		}
	}
	if (!strcmp(t, "ERROR") || ts_node_is_missing(n))
		out->parse_errors++;
	for (uint32_t i = 0, k = ts_node_child_count(n); i < k; i++)
		walk(ts_node_child(n, i), src, out, fn);
}

void lang_c_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	(void)len;
	walk(ts_tree_root_node(tree), src, out, -1);
}

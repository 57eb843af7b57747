/* cli_dups.c — `cidx dups`: exact duplicate files and definitions, and with
 * --near the near-duplicate clusters (dups.h), as text or JSON. */
#include "cli.h"
#include "dups.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double parse_threshold(const char *v)
{
	char *end;
	double t;
	errno = 0;
	t = strtod(v, &end);
	if (errno || end == v || *end || !(t > 0 && t <= 1))
		usage_error("--threshold takes a number above 0 and at most 1 (e.g. 0.85), not '%s'", v);
	return t;
}

static void text_member(struct strbuf *o, const struct dups_member *m)
{
	sb_add_visible(o, m->path, strlen(m->path));
	sb_addf(o, ":%u-%u ", m->line, m->end_line);
	sb_add_visible(o, m->name, strlen(m->name));
}

static void json_member(struct strbuf *o, const struct dups_member *m, int near)
{
	sb_adds(o, "{\"file\":");
	sb_add_json(o, m->path);
	sb_adds(o, ",\"name\":");
	sb_add_json(o, m->name);
	sb_addf(o, ",\"line\":%u,\"end_line\":%u,\"tokens\":%u", m->line, m->end_line, m->ntokens);
	if (near)
		sb_addf(o, ",\"similarity\":%.2f,\"with\":%u", m->sim, m->with);
	sb_addc(o, '}');
}

static void text_report(struct strbuf *o, const struct dups_report *r, int near,
			const struct dups_opts *opt)
{
	struct dups_summary sum;
	dups_summarize(r, &sum);
	sb_addf(o, "exact duplicate files: %zu group%s\n", r->nfiles, r->nfiles == 1 ? "" : "s");
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct dups_set *s = &r->files[i];
		sb_addf(o, "  %zu files, %llu bytes each\n", s->n, (unsigned long long)s->size);
		for (size_t k = 0; k < s->n; k++) {
			sb_adds(o, "    ");
			sb_add_visible(o, s->m[k].path, strlen(s->m[k].path));
			sb_addc(o, '\n');
		}
	}
	sb_addf(o, "\nexact duplicate definitions (at least %u tokens): %zu group%s\n",
		opt->min_tokens, r->nexact, r->nexact == 1 ? "" : "s");
	for (size_t i = 0; i < r->nexact; i++) {
		const struct dups_set *s = &r->exact[i];
		sb_addf(o, "  %zu definitions, %u tokens, %llu lines\n", s->n, s->m[0].ntokens,
			(unsigned long long)s->lines);
		for (size_t k = 0; k < s->n; k++) {
			sb_adds(o, "    ");
			text_member(o, &s->m[k]);
			sb_addc(o, '\n');
		}
	}
	if (near) {
		sb_addf(o, "\nnear-duplicate clusters (similarity at least %g, at least %u tokens): %zu\n",
			opt->threshold, opt->min_tokens, r->nnear);
		for (size_t i = 0; i < r->nnear; i++) {
			const struct dups_set *s = &r->near[i];
			sb_addf(o, "  cluster %zu: %zu definitions, %llu lines\n", i + 1, s->n,
				(unsigned long long)s->lines);
			for (size_t k = 0; k < s->n; k++) {
				sb_addf(o, "    %zu. ", k + 1);
				text_member(o, &s->m[k]);
				sb_addf(o, "  %.2f with %u\n", s->m[k].sim, s->m[k].with + 1);
			}
		}
	}
	sb_addf(o, "\nsummary: %llu of %llu lines of function definitions duplicated (%.1f%%); "
		"%zu duplicate file group%s, %zu exact definition group%s",
		(unsigned long long)r->dup_lines, (unsigned long long)r->def_lines,
		100.0 * sum.share, r->nfiles, r->nfiles == 1 ? "" : "s", r->nexact, r->nexact == 1 ? "" : "s");
	if (near)
		sb_addf(o, ", %zu near-duplicate cluster%s", r->nnear, r->nnear == 1 ? "" : "s");
	sb_addc(o, '\n');
}

static void json_sets(struct strbuf *o, const char *key, const struct dups_set *v, size_t n,
		      int kind)
{
	sb_addf(o, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		const struct dups_set *s = &v[i];
		if (i)
			sb_addc(o, ',');
		if (kind == 0) {
			sb_addf(o, "{\"size\":%llu,\"files\":[", (unsigned long long)s->size);
			for (size_t k = 0; k < s->n; k++) {
				if (k)
					sb_addc(o, ',');
				sb_add_json(o, s->m[k].path);
			}
			sb_adds(o, "]}");
			continue;
		}
		sb_addf(o, "{\"lines\":%llu,\"members\":[", (unsigned long long)s->lines);
		for (size_t k = 0; k < s->n; k++) {
			if (k)
				sb_addc(o, ',');
			json_member(o, &s->m[k], kind == 2);
		}
		sb_adds(o, "]}");
	}
	sb_addc(o, ']');
}

static void json_report(struct strbuf *o, const struct dups_report *r, int near,
			const struct dups_opts *opt)
{
	struct dups_summary sum;
	dups_summarize(r, &sum);
	sb_addf(o, "{\"threshold\":%g,\"min_tokens\":%u,\"near\":%s", opt->threshold,
		opt->min_tokens, near ? "true" : "false");
	json_sets(o, "files", r->files, r->nfiles, 0);
	json_sets(o, "exact", r->exact, r->nexact, 1);
	if (near)
		json_sets(o, "clusters", r->near, r->nnear, 2);
	sb_addf(o, ",\"summary\":{\"definitions\":%llu,\"definition_lines\":%llu,"
		"\"duplicated_lines\":%llu,\"duplicated_share\":%.4f,\"file_groups\":%zu,"
		"\"exact_groups\":%zu", (unsigned long long)r->defs, (unsigned long long)r->def_lines,
		(unsigned long long)r->dup_lines, sum.share, r->nfiles, r->nexact);
	if (near)
		sb_addf(o, ",\"near_clusters\":%zu", r->nnear);
	sb_adds(o, "}}\n");
}

int cmd_dups(int argc, char **argv)
{
	struct dups_opts opt = { DUPS_DEFAULT_THRESHOLD, DUPS_DEFAULT_MIN_TOKENS };
	const char *tv = take_opt_last(&argc, argv, "--threshold", 1);
	const char *mv = take_opt_last(&argc, argv, "--min-tokens", 1);
	int near = take_opt_last(&argc, argv, "--near", 0) != NULL;
	struct strbuf err = STRBUF_INIT, o = STRBUF_INIT;
	struct dups_report r;
	struct store st;
	struct dups *d;
	struct cli c;
	char *root;

	if (tv)
		opt.threshold = parse_threshold(tv);
	if (mv) {
		uint64_t n = parse_number("--min-tokens", mv);
		if (n < 1 || n > 1000000)
			usage_error("--min-tokens takes a number from 1 to 1000000, not '%s'", mv);
		opt.min_tokens = (uint32_t)n;
	}
	parse_args(&c, argc, argv, 0);
	if (c.nargs)
		usage_error("dups takes no arguments, not '%s'", c.args[0]);
	open_read(&c, &st, &root);
	free(root);
	d = dups_load(st.db, &opt, &err);
	if (!d)
		die(1, "%s", err.buf);
	dups_report(d, near, &r);
	if (c.json)
		json_report(&o, &r, near, &opt);
	else
		text_report(&o, &r, near, &opt);
	if (o.len)
		fwrite(o.buf, 1, o.len, stdout);
	sb_release(&o);
	dups_report_release(&r);
	dups_free(d);
	store_close(&st);
	return 0;
}

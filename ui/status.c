/* status.c — the bottom line: indexing progress (files, rate, ETA), then
 * what the index holds and whether it is stale; a notice or error when there
 * is one; key hints from the keymap on the right. */
#include "ui.h"

#include <stdarg.h>

void status_notice(struct app *a, int error, const char *fmt, ...)
{
	va_list ap;
	char raw[256];
	struct strbuf sb = STRBUF_INIT;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	sb_add_visible(&sb, raw, strlen(raw));
	snprintf(a->notice, sizeof(a->notice), "%s", sb.buf ? sb.buf : "");
	sb_release(&sb);
	a->notice_error = error;
	screen_dirty(a, PANE_STATUS);
}

/* "1.2k" style counts for narrow terminals are not worth it: thousands
 * separators keep the exact figure readable. */
static void fmt_count(char *buf, size_t n, uint64_t v)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v), j = 0;
	for (int i = 0; i < len && (size_t)j + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = tmp[i];
	}
	buf[j] = 0;
}

/* The first key bound to act (focused context first), or NULL. */
static const char *key_for(struct app *a, int ctx, int act, char *buf, size_t n)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < a->km.n; i++) {
			const struct binding *b = &a->km.b[i];
			if (b->action == act && b->ctx == (pass ? CTX_GLOBAL : ctx)) {
				kc_name(b->key, buf, n);
				return buf;
			}
		}
	return NULL;
}

static void status_draw(struct app *a, WINDOW *w, int focused)
{
	const struct engine_status *st = &a->st;
	char left[400], hints[200], k1[32], k2[32], k3[32], c1[32], c2[32];
	int width = getmaxx(w), hl = 0, used;
	int ctx = a->help_open ? CTX_HELP : a->panes[a->focus].ops->ctx;
	const char *kh = key_for(a, ctx, ACT_HELP, k1, sizeof(k1));
	const char *kq = key_for(a, ctx, ACT_QUIT, k2, sizeof(k2));
	const char *kf = key_for(a, ctx, ACT_FOCUS_NEXT, k3, sizeof(k3));
	(void)focused;
	werase(w);
	switch (st->phase) {
	case ENGINE_STARTING:
		snprintf(left, sizeof(left), "starting");
		break;
	case ENGINE_INDEXING:
		fmt_count(c1, sizeof(c1), st->done);
		fmt_count(c2, sizeof(c2), st->total);
		if (!st->total)
			snprintf(left, sizeof(left), "scanning%s", st->stale ? " (showing the previous index)" : "");
		else if (st->eta >= 0 && st->done > 0)
			snprintf(left, sizeof(left), "indexing %s/%s files  %.0f/s  ETA %.0fs%s", c1, c2, st->rate,
				 st->eta, st->stale ? "  (stale)" : "");
		else
			snprintf(left, sizeof(left), "indexing %s/%s files%s", c1, c2, st->stale ? "  (stale)" : "");
		break;
	case ENGINE_WATCHING:
		fmt_count(c1, sizeof(c1), st->files);
		fmt_count(c2, sizeof(c2), st->symbols);
		snprintf(left, sizeof(left), "%s files  %s symbols  %s", c1, c2,
			 st->stale ? "stale" : "up to date");
		break;
	default:
		snprintf(left, sizeof(left), "index unavailable");
		break;
	}
	hints[0] = 0;
	if (kh || kq || kf)
		hl = snprintf(hints, sizeof(hints), "%s%s%s%s%s%s", kh ? kh : "", kh ? " help  " : "",
			      kf ? kf : "", kf ? " pane  " : "", kq ? kq : "", kq ? " quit" : "");
	used = 0;
	if (a->notice[0] && a->notice_error) {
		/* an error comes first, so that narrow terminals still show it */
		used = screen_put(w, 0, 0, a->notice, strlen(a->notice), width, a->th.error);
		used += screen_put(w, 0, used, "  ", 2, width - used, A_NORMAL);
		screen_put(w, 0, used, left, strlen(left), width - used, a->th.normal);
		return;
	}
	used = screen_put(w, 0, 0, left, strlen(left), width, st->phase == ENGINE_FAILED ? a->th.error : a->th.normal);
	if (a->notice[0] || st->message[0]) {
		const char *m = a->notice[0] ? a->notice : st->message;
		int err = st->phase == ENGINE_FAILED;
		used += screen_put(w, 0, used, "  ", 2, width - used, A_NORMAL);
		used += screen_put(w, 0, used, m, strlen(m), width - used - (hl && width - used > hl + 40 ? hl + 2 : 0),
				   err ? a->th.error : a->th.normal);
	}
	if (hl && used + hl + 3 <= width)
		screen_put(w, 0, width - hl - 1, hints, (size_t)hl, hl, a->th.hint);   /* the last cell makes terminals scroll */
}

const struct pane_ops status_pane_ops = {
	.name = "status",
	.ctx = CTX_GLOBAL,
	.draw = status_draw,
};

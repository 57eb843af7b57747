/* help.c — the ? screen, generated from the action table and the keymap in
 * use: per context, every action with the keys bound to it. */
#include "ui.h"

/* Build line i of the help text into sb; returns 0 past the end. */
static int help_line(struct app *a, int i, struct strbuf *sb, int *heading)
{
	int line = 0;
	*heading = 0;
	if (i == line++) {
		sb_adds(sb, "cidx-tui keys  (q, ? or Esc closes; arrows and PgUp/PgDn scroll)");
		*heading = 1;
		return 1;
	}
	for (int ctx = 0; ctx < CTX__COUNT; ctx++) {
		if (i == line++)
			return 1;   /* blank */
		if (i == line++) {
			sb_addf(sb, "%s%s", kctx_name(ctx),
				ctx == CTX_GLOBAL ? " (everywhere)" : ctx == CTX_SEARCH ?
				" (other characters type into the query)" : "");
			*heading = 1;
			return 1;
		}
		for (int act = 0; act < ACT__COUNT; act++) {
			char keys[160] = "", k[32];
			size_t kl = 0;
			for (size_t b = 0; b < a->km.n; b++)
				if (a->km.b[b].ctx == ctx && a->km.b[b].action == act) {
					kc_name(a->km.b[b].key, k, sizeof(k));
					kl += (size_t)snprintf(keys + kl, sizeof(keys) - kl, "%s%s", kl ? " " : "", k);
					if (kl >= sizeof(keys))
						kl = sizeof(keys) - 1;
				}
			if (!kl)
				continue;
			if (i == line++) {
				sb_addf(sb, "  %-22s %-16s %s", keys, action_name(act), action_help(act));
				return 1;
			}
		}
	}
	a->help_lines = line;
	return 0;
}

static void help_draw(struct app *a, WINDOW *w, int focused)
{
	int width = getmaxx(w), h = getmaxy(w), heading;
	struct strbuf sb = STRBUF_INIT;
	(void)focused;
	werase(w);
	/* count lines once */
	for (int i = 0; help_line(a, i, &sb, &heading); i++)
		sb_reset(&sb);
	if (a->help_top > a->help_lines - h)
		a->help_top = a->help_lines - h > 0 ? a->help_lines - h : 0;
	for (int row = 0; row < h; row++) {
		sb_reset(&sb);
		if (!help_line(a, a->help_top + row, &sb, &heading))
			break;
		if (sb.len)
			screen_put(w, row, 1, sb.buf, sb.len, width - 2, heading ? a->th.title_focus : a->th.normal);
	}
	sb_release(&sb);
}

static int help_action(struct app *a, int act)
{
	int page = a->help_h > 1 ? a->help_h : 1;
	switch (act) {
	case ACT_MOVE_UP: a->help_top--; break;
	case ACT_MOVE_DOWN: a->help_top++; break;
	case ACT_PAGE_UP: a->help_top -= page; break;
	case ACT_PAGE_DOWN: a->help_top += page; break;
	case ACT_HALF_PAGE_UP: a->help_top -= page / 2; break;
	case ACT_HALF_PAGE_DOWN: a->help_top += page / 2; break;
	case ACT_MOVE_FIRST: a->help_top = 0; break;
	case ACT_MOVE_LAST: a->help_top = a->help_lines; break;
	default: return 0;
	}
	if (a->help_top < 0)
		a->help_top = 0;
	screen_dirty(a, PANE_HELP);
	return 1;
}

const struct pane_ops help_pane_ops = {
	.name = "help",
	.ctx = CTX_HELP,
	.draw = help_draw,
	.action = help_action,
};

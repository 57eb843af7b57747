/* ui.h — what the front-end modules share: the application state, the pane
 * interface, and each module's entry points. Only the UI thread touches any
 * of it (and curses). */
#ifndef CIDX_UI_H
#define CIDX_UI_H

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "keymap.h"

#define UI_MIN_COLS 50
#define UI_MIN_ROWS 12
#define UI_WIDE_COLS 120     /* from here the preview sits beside the results */
#define UI_RESULTS_MAX 500   /* results asked of the engine */

struct app;
struct dups_view;

/* A pane: one window, redrawn only when dirty. Panes of later issues (call
 * tree, impact, duplicates) plug in with their own ops. */
struct pane_ops {
	const char *name;
	int ctx;                                   /* keymap context when focused */
	void (*draw)(struct app *a, WINDOW *w, int focused);
	/* Handle an action; 1 when handled. NULL: none. */
	int (*action)(struct app *a, int act);
	/* An unbound key while focused; 1 when handled. NULL: none. */
	int (*key)(struct app *a, int key);
};

/* PANE_TREE takes the search pane's place while the call tree is open. */
/* PANE_DUPS takes the whole body (list and preview) while it is open. */
enum pane_id { PANE_SEARCH, PANE_PREVIEW, PANE_STATUS, PANE_HELP, PANE_TREE, PANE_DUPS, PANE__COUNT };

/* A row of the call tree: a node and the edge from its parent row. */
struct tree_row {
	uint32_t node, edge;     /* edge UINT32_MAX: the root */
	int depth;
	unsigned char expanded;  /* its children follow it */
	unsigned char cycle;     /* the node is also one of its ancestors: never expanded */
	uint64_t key;            /* when expanded: its definition's identity across graph reloads */
};

/* A visited symbol (history). */
struct visit {
	char *name, *file;       /* qualified name (visible text), raw path */
	int line, dir;
};

struct pane {
	const struct pane_ops *ops;
	WINDOW *win;
	int y, x, h, w;
	int dirty;
	int visible;
};

struct theme {
	int utf8;                /* line drawing and text in UTF-8 */
	int colors;              /* 0, 8 or 256 */
	attr_t normal, code, title, title_focus, dim, match, sel, marker, target, lineno, kind, error,
		hint, border;
	attr_t sel_tab;          /* the selected result's kind: its highlight */
};

struct app {
	struct engine *eng;
	struct engine_status st;
	struct keymap km;
	struct theme th;
	struct pane panes[PANE__COUNT];
	int rows, cols;
	int too_small, wide;
	int laid_focus;          /* the preview had the focus when laid out (read only stacked) */
	int focus;               /* PANE_SEARCH or PANE_PREVIEW */
	int help_open;
	int quit;
	char notice[256];        /* status-line notice (visible text), "" none */
	int notice_error;

	/* search pane */
	char query[256];
	size_t qlen, qcur;       /* bytes */
	struct engine_results res;
	size_t sel, top;
	int pending;             /* a search is running for the current query */
	uint64_t searched_gen;   /* generation the current results came from */
	int list_h;              /* rows of results on screen */

	/* preview */
	struct engine_file file;
	int file_ok;
	char file_err[256];
	int pv_line;             /* target line */
	int pv_top;              /* first line shown */
	int pv_h;                /* rows of text on screen */
	double pv_due;           /* > 0: follow the selection at this time */

	/* help */
	int help_top, help_h, help_lines;

	/* call tree */
	int tree_open;
	int tree_dir;            /* enum engine_tree_dir */
	uint64_t tree_gen;       /* graph generation of the rows' ids */
	struct tree_row *trows;
	size_t tn, tcap, tsel, ttop;
	int tree_h;              /* rows of tree on screen */
	struct engine_tree_node tcur;   /* the selected row, described */
	int tcur_ok;
	/* impact mode: the rows are the root's transitive callers, by hop */
	int impact;
	int impact_depth;        /* hops walked (1..) */
	struct engine_impact imp;
	int impact_lists;        /* the preview shows the affected files and tests */
	/* the impact of the working-tree diff: impact mode with the diff's
	 * roots (diff.roots) as the first rows instead of one root */
	int diff_mode;
	int diff_pending;        /* asked of the engine, not answered yet */
	struct engine_diff diff;

	/* duplicates pane (dups_pane.c owns what dups points to) */
	int dups_open;
	struct dups_view *dups;

	/* a tree asked for while the graph was being reloaded: opened when it
	 * is in (name NULL: none) */
	struct visit tree_wait;

	/* history of visited symbols; hcur is the one shown */
	struct visit *hist;
	size_t hn, hcap, hcur;

	/* CIDX_TUI_TIMINGS: per-action times, key to frame, appended here */
	FILE *timings;
	int t_action;            /* -1: none pending */
	double t_start;
};

/* theme.c */
void theme_init(struct theme *th, int utf8, int no_color);
/* Line drawing characters for the current mode. */
void theme_hline(const struct theme *th, WINDOW *w, int y, int x, int n);
void theme_vline(const struct theme *th, WINDOW *w, int y, int x, int n);

/* screen.c */
int screen_init(struct app *a);                 /* curses on; -1 with a message on stderr */
void screen_end(void);
void screen_follow_focus(struct app *a);
void screen_layout(struct app *a);              /* sizes from the terminal; all dirty */
void screen_dirty(struct app *a, int pane);
void screen_dirty_all(struct app *a);
void screen_draw(struct app *a);                /* dirty panes, then one doupdate */
void screen_redraw_all(struct app *a);          /* after suspend, ^L */
/* Put visible text s (at most n bytes) at (y, x) clipped to maxw columns;
 * returns the columns used. */
int screen_put(WINDOW *w, int y, int x, const char *s, size_t n, int maxw, attr_t attr);

/* search_pane.c */
extern const struct pane_ops search_pane_ops;
void search_pane_submit(struct app *a);          /* ask the engine for the current query */
void search_pane_results(struct app *a);         /* new engine results arrived */
const struct engine_hit *search_pane_selected(const struct app *a);

/* preview.c */
extern const struct pane_ops preview_pane_ops;
void preview_follow(struct app *a);              /* the selection changed */
/* The selection moved: follow it once keys stop coming for PREVIEW_DELAY_MS,
 * so that holding a key over a slow link repaints the list, not the source. */
void preview_follow_later(struct app *a);
/* Milliseconds until a deferred follow is due (-1: none); runs it when due. */
int preview_tick(struct app *a);
#define PREVIEW_DELAY_MS 60

/* tree_pane.c */
extern const struct pane_ops tree_pane_ops;
int tree_open_selected(struct app *a);          /* from the search selection; 0 ok */
void tree_graph_changed(struct app *a);         /* a new call graph: re-root */
void tree_diff_request(struct app *a);          /* the impact of the working-tree diff */
void tree_diff_ready(struct app *a);            /* the engine answered: show it */
void tree_history(struct app *a, int delta);    /* back (-1) / forward (+1) */
void tree_release(struct app *a);
int list_pane(const struct app *a);             /* PANE_TREE when open, else PANE_SEARCH */

/* dups_pane.c */
extern const struct pane_ops dups_pane_ops;
void dups_open(struct app *a);                  /* ask the engine, show the pane */
void dups_engine_changed(struct app *a);        /* a new report or cache statistics */
void dups_release(struct app *a);

/* preview.c: the location the preview follows (selected result or tree row) */
int preview_source(const struct app *a, const char **file, int *line);

/* status.c */
extern const struct pane_ops status_pane_ops;
void status_notice(struct app *a, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* help.c */
extern const struct pane_ops help_pane_ops;

/* keys.c */
/* Load the keymaps: compiled-in default, then name_or_path (NULL: none),
 * then the user's file. Errors go to stderr and the status line. */
void keys_load(struct app *a, const char *name_or_path);
/* Read one key from curses (after poll said stdin is readable); -1 none. */
int keys_read(struct app *a);
void keys_dispatch(struct app *a, int key);
/* Names of compiled-in keymaps, for --help and errors. */
extern const char *const keys_builtin_names;

/* main.c */
void app_suspend(struct app *a);
/* Open the user's editor at root/file:line (curses suspended meanwhile). */
void app_edit(struct app *a, const char *file, int line);

#endif

/* cli.h — what the `cidx` command implementations share: option parsing,
 * usage errors, opening the index for reading. The commands live in
 * src/main.c and src/cli_*.c (linked into the cidx binary, not libcidx). */
#ifndef CIDX_CLI_H
#define CIDX_CLI_H

#include <stdint.h>
#include "query.h"
#include "store.h"

struct cli {
	const char *db;
	int json;
	int jobs;
	uint64_t max_size;
	const char *args[8];    /* positional arguments after the command */
	int nargs;
};

/* Print "cidx: MSG" and the usage text to stderr, exit 2. */
_Noreturn void usage_error(const char *fmt, const char *arg);
uint64_t parse_number(const char *opt, const char *v);
/* Options may come anywhere after the command. */
void parse_args(struct cli *c, int argc, char **argv, int allow_jobs);
/* Remove the first occurrence of option `name` from argv (before any "--"):
 * "--name VALUE", "--name=VALUE", or (has_value 0) "--name" alone. Returns
 * the value ("" for a flag), or NULL when absent. */
const char *take_opt(int *argc, char **argv, const char *name, int has_value);
/* The same for every occurrence: the last one wins. */
const char *take_opt_last(int *argc, char **argv, const char *name, int has_value);
/* The repository root for dir (NULL: the current directory); dies with a
 * message when dir cannot be used. */
char *find_root(const char *dir);
/* The index of root: --db, or the default place in the cache directory. */
char *db_path(const struct cli *c, const char *root);
/* Open the index of the current repository (or --db) for reading; dies
 * with a message when there is none. */
void open_read(const struct cli *c, struct store *st, char **root_out);
/* "no symbol NAME; did you mean ..." on stderr; returns 1 (the exit code). */
int unknown_name(struct query *q, const char *name);

/* src/cli_graph.c */
int cmd_impact(int argc, char **argv);
int cmd_path(int argc, char **argv);
int cmd_cycles(int argc, char **argv);
int cmd_hotspots(int argc, char **argv);
int cmd_edges(int argc, char **argv);

/* src/cli_dups.c */
int cmd_dups(int argc, char **argv);

#endif

/* main.c — the `cidx` command line (placeholder during bring-up). */
#include "extract.h"
#include "util.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmd_extract(int argc, char **argv)
{
	struct extractor *ex = extractor_new();
	struct xresult r;
	int rc = 0;
	xresult_init(&r);
	for (int i = 1; i < argc; i++) {
		char *src;
		size_t len;
		int lang;
		if (read_file(argv[i], &src, &len) < 0) {
			fprintf(stderr, "cidx: cannot read '%s': %s\n", argv[i], strerror(errno));
			rc = 1;
			continue;
		}
		lang = lang_for_path(argv[i], src, len);
		if (lang < 0 || extractor_run(ex, lang, src, len, &r) < 0) {
			fprintf(stderr, "cidx: '%s': not a supported source file\n", argv[i]);
			rc = 1;
		} else {
			xresult_print(stdout, argv[i], &r);
			printf("errors %s %u\n", argv[i], r.parse_errors);
		}
		free(src);
	}
	xresult_release(&r);
	extractor_free(ex);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "extract"))
		return cmd_extract(argc - 1, argv + 1);
	fprintf(stderr, "usage: cidx extract FILE...\n");
	return 2;
}

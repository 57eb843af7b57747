/* resolve.c — binding a call to definitions (see resolve.h). */
#include "resolve.h"
#include "extract.h"

#include <string.h>

static const char *const res_names[RES__COUNT] = {
	[RES_SAME_FILE] = "same-file", [RES_NAME_ONLY] = "name-only",
	[RES_AMBIGUOUS] = "ambiguous", [RES_DYNAMIC] = "dynamic",
	[RES_UNRESOLVED] = "unresolved",
};

const char *resolution_name(int res)
{
	return res >= 0 && res < RES__COUNT ? res_names[res] : "unknown";
}

int resolve_is_header(const char *path)
{
	size_t n = strlen(path);
	return n > 2 && !strcmp(path + n - 2, ".h");
}

int resolve_pick(const struct rdef *defs, size_t n, int64_t call_file, int call_flags,
		 uint32_t *picks, size_t *npicks)
{
	*npicks = 0;
	if (call_flags & CALL_DYNAMIC)
		return RES_DYNAMIC;
	for (size_t i = 0; i < n; i++)
		if (defs[i].file_id == call_file) {
			picks[(*npicks)++] = (uint32_t)i;
			return RES_SAME_FILE;
		}
	/* Visible from another file: external linkage, or defined in a header
	 * (static inline helpers are included where they are used). */
	for (size_t i = 0; i < n; i++)
		if (!defs[i].is_static || defs[i].in_header)
			picks[(*npicks)++] = (uint32_t)i;
	return *npicks == 0 ? RES_UNRESOLVED : *npicks == 1 ? RES_NAME_ONLY : RES_AMBIGUOUS;
}

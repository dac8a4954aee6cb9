/* check_settings.h: the settings of `xenadvise check`: comma-separated word lists from
 * the command line, and the settings file (.xenadvise.yaml), found the way hadolint and
 * shellcheck find theirs. */
#ifndef XA_CHECK_SETTINGS_H
#define XA_CHECK_SETTINGS_H

#include "diag.h"
#include "rules.h"
#include "ytree.h"

#include <stdbool.h>
#include <stddef.h>

/* Words of comma-separated lists, collected from options and the settings file. */
struct words {
	char **v;
	size_t n, cap;
};

bool words_add(struct words *w, const char *s, size_t len);
/* Adds each word of "a,b c" (commas or spaces). */
bool words_split(struct words *w, const char *s);
void words_free(struct words *w);

/* What the command line and the settings file say; the command line wins, and ignores
 * from both apply. Strings from the file live in its tree. */
struct settings {
	struct words types, ignore;
	const char *fail_on, *hypervisor;
	bool current;
};

/* "error", "warning", "info" or "none" (none: *none set, *out = error). */
bool settings_level(const char *s, enum severity *out, bool *none);
/* The first of ./.xenadvise.yaml and each parent directory's, $XDG_CONFIG_HOME/
 * xenadvise.yaml (or ~/.config/xenadvise.yaml), ~/.xenadvise.yaml; NULL when none
 * exists. malloc'd. */
char *settings_find(void);
/* Reads a settings file into s; *keep gets the tree (to free) even on errors. Problems go
 * to d as file:line:col. */
bool settings_read(const char *path, struct settings *s, struct ytree **keep, struct diags *d);
/* The same for a parsed tree (tests and fuzzing). */
bool settings_from_tree(const struct ytree *t, struct settings *s, struct diags *d);

#endif

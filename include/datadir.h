/* datadir.h: where the installed catalogs and rules are, and which files to load.
 *
 * The data directory is, first found: $XENADVISE_DATADIR; <dir of the binary>/../share/
 * xenadvise (an installed or relocated tree); the source tree the binary was built from.
 * Users add their own files with --catalog/--rules (repeatable) and the colon-separated
 * XENADVISE_CATALOG_PATH / XENADVISE_RULES_PATH; each names a file or a directory of
 * *.yaml files. Installed files load first, so the user's come later and win. */
#ifndef XA_DATADIR_H
#define XA_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

struct pathlist {
	char **v;
	size_t n, cap;
};

void pathlist_free(struct pathlist *p);
/* Adds a file, or every *.yaml in a directory (sorted). False if it does not exist. */
bool pathlist_add(struct pathlist *p, const char *path);
/* Adds each entry of a colon-separated list (missing entries are reported via *bad). */
bool pathlist_add_env(struct pathlist *p, const char *value, const char **bad);

/* The data directory (malloc'd), or NULL when none is found. */
char *datadir_find(void);

#endif

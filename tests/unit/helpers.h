/* helpers.h: shared by the unit tests: temp files and loading the installed data. */
#ifndef XA_TEST_HELPERS_H
#define XA_TEST_HELPERS_H

#include "catalog.h"
#include "datadir.h"
#include "diag.h"
#include "rules.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes text to a new temporary file; returns its malloc'd path. */
static inline char *tmpfile_with(const char *text, size_t len)
{
	char *path = strdup("/tmp/xa-test-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert(write(fd, text, len) == (ssize_t)len);
	close(fd);
	return path;
}

/* A new temporary file of `size` bytes that takes no disk (sparse); returns its path. */
static inline char *tmpfile_sparse(off_t size)
{
	char *path = strdup("/tmp/xa-big-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(ftruncate(fd, size), 0);
	close(fd);
	return path;
}

static inline char *tmpfile_str(const char *text)
{
	return tmpfile_with(text, strlen(text));
}

static inline void diags_dump(const struct diags *d)
{
	diags_print(d, stderr);
}

/* True when some diagnostic is at line:col and contains `needle`. */
static inline int diags_find(const struct diags *d, int line, int col, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if ((line == 0 || d->v[i].line == line) && (col == 0 || d->v[i].col == col) &&
		    d->v[i].msg && strstr(d->v[i].msg, needle))
			return 1;
	return 0;
}

/* A catalog and rules held in strings (EC2), for tests that need both. */
static inline void load_texts(const char *cat_text, const char *rules_text, struct catalog **cat,
			      struct ruleset **rs)
{
	struct diags d;
	diags_init(&d);
	*cat = catalog_load_buffer("ec2", cat_text, strlen(cat_text), "catalog.yaml", &d);
	*rs = rules_load_buffer("ec2", rules_text, strlen(rules_text), "rules.yaml", &d);
	if (diags_has_errors(&d))
		diags_dump(&d);
	cr_assert(*cat != NULL && *rs != NULL);
	diags_free(&d);
}

/* The installed catalog and rules for a provider (from the source tree). */
static inline void load_installed(const char *provider, struct catalog **cat, struct ruleset **rs)
{
	char dir[4096];
	struct pathlist cp = {0}, rp = {0};
	snprintf(dir, sizeof(dir), "%s/catalogs/%s", XA_SRC, provider);
	cr_assert(pathlist_add(&cp, dir), "no catalogs in %s", dir);
	snprintf(dir, sizeof(dir), "%s/rules", XA_SRC);
	cr_assert(pathlist_add(&rp, dir));
	struct diags d;
	diags_init(&d);
	*cat = catalog_load(provider, (const char *const *)cp.v, cp.n, &d);
	*rs = rules_load(provider, (const char *const *)rp.v, rp.n, &d);
	if (diags_has_errors(&d))
		diags_dump(&d);
	cr_assert(*cat != NULL && *rs != NULL, "installed data must load");
	diags_free(&d);
	pathlist_free(&cp);
	pathlist_free(&rp);
}

#endif

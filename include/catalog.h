/* catalog.h: what a provider offers, loaded from catalogs/PROVIDER/ (one or more YAML files).
 *
 * A catalog file (kind: catalog) names its provider and a default source, and may hold:
 *   defaults:  facts every entry of this file has unless it says otherwise
 *   classes:   named groups of facts an entry can inherit with `class:`
 *   entries:   instance types or flavors, each a mapping of facts (plus `note`, and
 *              `api_name` when the instance's metadata calls it something else)
 *   overlays:  hand-kept facts the provider's API lacks, applied to entries by glob
 *   xen_modes: guest modes a Xen host offers, by Xen version
 *   flowchart: the provider-wide decision, one step per item
 *   facts:     facts true of the whole provider (a private Xen host is always `xen`)
 * Several files merge in load order; a later entry of the same name replaces an earlier
 * one (so a user's catalog can correct or extend the installed one). Everything returned
 * belongs to the struct catalog and is freed by catalog_free. */
#ifndef XA_CATALOG_H
#define XA_CATALOG_H

#include "diag.h"
#include "facts.h"
#include "ytree.h"

#include <stddef.h>

struct cat_entry {
	const char *name;
	const char *file;
	int line, col;
	const char *source;
	const char *klass;               /* class name, or NULL */
	const char *api_name; /* the name the provider's metadata shows, when not `name` */
	struct fact_value v[F__CATALOG]; /* the facts a catalog sets (facts.h) */
	const struct ynode *node;        /* the entry's own mapping (for catalog_fact_source) */
	unsigned seq; /* load order, so a later file's entry of the same name wins */
};

struct cat_xenmode {
	const char *mode, *since, *until, *title, *source;
};

struct cat_step {
	const char *text, *source;
};

struct catalog {
	const char *provider;
	struct cat_entry *entries; /* sorted by name */
	size_t nentries;
	struct cat_xenmode *xenmodes;
	size_t nxenmodes;
	struct cat_step *flowchart;
	size_t nflowchart;
	struct fact_value facts[F__CATALOG]; /* provider-wide facts (`facts:`) */
	size_t nfiles;
	struct catalog_priv *priv;
};

/* Loads the catalog files for `provider` (files naming another provider are skipped).
 * Returns NULL when any file has an error; all errors are in d. */
struct catalog *catalog_load(const char *provider, const char *const *paths, size_t npaths,
			     struct diags *d);
/* The same for one catalog held in memory (tests and fuzzing); `name` is used in errors. */
struct catalog *catalog_load_buffer(const char *provider, const char *buf, size_t len,
				    const char *name, struct diags *d);
void catalog_free(struct catalog *c);

/* Where entry e's fact f came from: the last overlay that set it, else the entry's class
 * (when the entry does not set it itself), else the entry's source. For `catalog show`. */
const char *catalog_fact_source(const struct catalog *c, const struct cat_entry *e, enum fact_id f);
/* The entry named `name`, or NULL. */
const struct cat_entry *catalog_find(const struct catalog *c, const char *name);
/* Sets mark[i] for each entry that `pattern` (a name, or an fnmatch glob such as c5.*)
 * names; returns how many it names. */
size_t catalog_select(const struct catalog *c, const char *pattern, unsigned char *mark);
/* The entry whose api_name is `name` (a Rackspace flavor's display name), or NULL. */
const struct cat_entry *catalog_find_api_name(const struct catalog *c, const char *name);
/* Up to max entry names nearest to `name` (for "did you mean"). */
size_t catalog_suggest(const struct catalog *c, const char *name, const char **out, size_t max);
/* Xen modes offered by a host of version `version`, as a NULL-terminated list that
 * lives in the catalog; *n gets the count. */
const char *const *catalog_xen_modes(const struct catalog *c, const char *version, size_t *n);
/* Checks one parsed catalog file (any provider) on its own, as `validate` does; the tree
 * stays the caller's. */
bool catalog_check_tree(const struct ytree *t, struct diags *d);

#endif

/* schema.h: small checks shared by every loader of YAML documents.
 *
 * Each helper reports a problem as "file:line:col: error: ..." into ctx->d and returns
 * a failure value; the loader decides whether to go on. Strings returned are copied into
 * ctx->arena, which the loaded object owns. */
#ifndef XA_SCHEMA_H
#define XA_SCHEMA_H

#include "diag.h"
#include "ytree.h"

#include <stdbool.h>

struct arena;

struct schema_ctx {
	const char *file;
	struct diags *d;
	struct arena *arena;
};

void sch_error(const struct schema_ctx *c, const struct ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* True when n is a mapping; else reports "`what` must be a mapping". */
bool sch_map(const struct schema_ctx *c, const struct ynode *n, const char *what);
/* Reports every key of map m that is not in the NULL-terminated `allowed` list. */
void sch_keys(const struct schema_ctx *c, const struct ynode *m, const char *const *allowed,
	      const char *what);
/* Reports each key of `required` that m lacks (at m's position). */
void sch_required(const struct schema_ctx *c, const struct ynode *m, const char *const *required,
		  const char *what);
/* A scalar's text; NULL (and an error) for a list, mapping or missing node. */
const char *sch_str(const struct schema_ctx *c, const struct ynode *n, const char *what);
/* A plain true/false scalar. Returns false and reports otherwise. */
bool sch_bool(const struct schema_ctx *c, const struct ynode *n, const char *what, bool *out);
/* A list of scalars (a single scalar counts as a one-item list). NULL-terminated array
 * in the arena; *count gets its length. NULL on error. */
const char **sch_strlist(const struct schema_ctx *c, const struct ynode *n, const char *what,
			 size_t *count);
/* A list item that must be a mapping with only `keys` and all of `required`. */
bool sch_item(const struct schema_ctx *c, const struct ynode *item, const char *const *keys,
	      const char *const *required, const char *what);
/* True when n is a list; else reports "`what` must be a list". */
bool sch_seq(const struct schema_ctx *c, const struct ynode *n, const char *what);
/* Checks that s is one of the NULL-terminated `values` (NULL: anything); reports otherwise. */
bool sch_enum(const struct schema_ctx *c, const struct ynode *at, const char *s,
	      const char *const *values, const char *what);

#endif

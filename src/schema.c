/* schema.c: typed access to ytree nodes with file:line:col errors. */
#include "schema.h"

#include "arena.h"
#include "suggest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sch_error(const struct schema_ctx *c, const struct ynode *at, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diags_add(c->d, DIAG_ERROR, c->file, at ? at->line : 0, at ? at->col : 0, "%s", buf);
}

bool sch_map(const struct schema_ctx *c, const struct ynode *n, const char *what)
{
	if (n != NULL && n->kind == YN_MAP)
		return true;
	sch_error(c, n, "%s must be a mapping, not %s", what,
		  n ? ynode_kind_name(n->kind) : "empty");
	return false;
}

static size_t count(const char *const *v)
{
	size_t n = 0;
	while (v[n])
		n++;
	return n;
}

void sch_keys(const struct schema_ctx *c, const struct ynode *m, const char *const *allowed,
	      const char *what)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i];
		if (k->kind != YN_SCALAR) {
			sch_error(c, k, "%s: keys must be plain names", what);
			continue;
		}
		bool ok = false;
		for (size_t j = 0; allowed[j] && !ok; j++)
			ok = strcmp(allowed[j], k->str) == 0;
		if (ok)
			continue;
		const char *near[1];
		if (suggest_nearest(k->str, allowed, count(allowed), near, 1) == 1)
			sch_error(c, k, "unknown key '%s' in %s (did you mean '%s'?)", k->str, what,
				  near[0]);
		else
			sch_error(c, k, "unknown key '%s' in %s", k->str, what);
	}
}

void sch_required(const struct schema_ctx *c, const struct ynode *m, const char *const *required,
		  const char *what)
{
	for (size_t j = 0; required[j]; j++)
		if (ymap_get(m, required[j]) == NULL)
			sch_error(c, m, "%s lacks required key '%s'", what, required[j]);
}

const char *sch_str(const struct schema_ctx *c, const struct ynode *n, const char *what)
{
	if (n != NULL && n->kind == YN_SCALAR) {
		if (n->plain && n->len == 0) {
			sch_error(c, n, "%s must not be empty", what);
			return NULL;
		}
		return n->str;
	}
	sch_error(c, n, "%s must be a string, not %s", what,
		  n ? ynode_kind_name(n->kind) : "empty");
	return NULL;
}

bool sch_bool(const struct schema_ctx *c, const struct ynode *n, const char *what, bool *out)
{
	if (n != NULL && n->kind == YN_SCALAR && n->plain) {
		if (strcmp(n->str, "true") == 0) {
			*out = true;
			return true;
		}
		if (strcmp(n->str, "false") == 0) {
			*out = false;
			return true;
		}
	}
	sch_error(c, n, "%s must be true or false", what);
	return false;
}

const char **sch_strlist(const struct schema_ctx *c, const struct ynode *n, const char *what,
			 size_t *countp)
{
	*countp = 0;
	if (n == NULL || n->kind == YN_MAP) {
		sch_error(c, n, "%s must be a list of strings", what);
		return NULL;
	}
	size_t len = n->kind == YN_SEQ ? n->n : 1;
	const char **v = arena_alloc(c->arena, (len + 1) * sizeof(*v));
	if (v == NULL)
		return NULL;
	bool ok = true;
	if (n->kind == YN_SCALAR) {
		v[0] = sch_str(c, n, what);
		ok = v[0] != NULL;
	} else {
		for (size_t i = 0; i < len; i++) {
			v[i] = sch_str(c, n->items[i], what);
			ok = ok && v[i] != NULL;
		}
	}
	*countp = len;
	return ok ? v : NULL;
}

bool sch_enum(const struct schema_ctx *c, const struct ynode *at, const char *s,
	      const char *const *values, const char *what)
{
	if (values == NULL)
		return true;
	for (size_t i = 0; values[i]; i++)
		if (strcmp(values[i], s) == 0)
			return true;
	char list[512] = "";
	for (size_t i = 0; values[i]; i++) {
		if (i)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, values[i], sizeof(list) - strlen(list) - 1);
	}
	sch_error(c, at, "%s: '%s' is not one of: %s", what, s, list);
	return false;
}

bool sch_item(const struct schema_ctx *c, const struct ynode *item, const char *const *keys,
	      const char *const *required, const char *what)
{
	if (!sch_map(c, item, what))
		return false;
	sch_keys(c, item, keys, what);
	sch_required(c, item, required, what);
	return true;
}

bool sch_seq(const struct schema_ctx *c, const struct ynode *n, const char *what)
{
	if (n->kind == YN_SEQ)
		return true;
	sch_error(c, n, "%s must be a list", what);
	return false;
}

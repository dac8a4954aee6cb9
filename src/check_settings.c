/* check_settings.c: see check_settings.h. */
#include "check_settings.h"
#include "schema.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Words of comma-separated lists, collected from options and the settings file. */

bool words_add(struct words *w, const char *s, size_t len)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		char **v = realloc(w->v, cap * sizeof(*v));
		if (v == NULL)
			return false;
		w->v = v;
		w->cap = cap;
	}
	w->v[w->n] = strndup(s, len);
	return w->v[w->n++] != NULL;
}

bool words_split(struct words *w, const char *s)
{
	for (const char *p = s; *p;) {
		size_t len = strcspn(p, ", ");
		if (len && !words_add(w, p, len))
			return false;
		p += len;
		p += strspn(p, ", ");
	}
	return true;
}

void words_free(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
}

bool settings_level(const char *s, enum severity *out, bool *none)
{
	*none = strcmp(s, "none") == 0;
	if (*none || strcmp(s, "error") == 0)
		*out = SEV_ERROR;
	else if (strcmp(s, "warning") == 0)
		*out = SEV_WARNING;
	else if (strcmp(s, "info") == 0)
		*out = SEV_INFO;
	else
		return false;
	return true;
}

/* The first settings file found, as hadolint and shellcheck look for theirs. */
char *settings_find(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	struct stat st;
	if (getcwd(dir, sizeof(dir))) {
		for (;;) {
			snprintf(path, sizeof(path), "%s/.xenadvise.yaml",
				 strcmp(dir, "/") ? dir : "");
			if (stat(path, &st) == 0)
				return strdup(path);
			char *slash = strrchr(dir, '/');
			if (slash == NULL || strcmp(dir, "/") == 0)
				break;
			if (slash == dir)
				slash[1] = '\0';
			else
				*slash = '\0';
		}
	}
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(path, sizeof(path), "%s/xenadvise.yaml", xdg);
	else if (home && *home)
		snprintf(path, sizeof(path), "%s/.config/xenadvise.yaml", home);
	else
		path[0] = '\0';
	if (path[0] && stat(path, &st) == 0)
		return strdup(path);
	if (home && *home) {
		snprintf(path, sizeof(path), "%s/.xenadvise.yaml", home);
		if (stat(path, &st) == 0)
			return strdup(path);
	}
	return NULL;
}

bool settings_read(const char *path, struct settings *s, struct ytree **keep, struct diags *d)
{
	struct ytree *t = ytree_load(path, d);
	if (t == NULL)
		return false;
	*keep = t;
	return settings_from_tree(t, s, d);
}

bool settings_from_tree(const struct ytree *t, struct settings *s, struct diags *d)
{
	struct schema_ctx c = {.file = t->file, .d = d};
	size_t errors = d->errors;
	static const char *const keys[] = {
		"ignore", "fail-on", "instance-types", "hypervisor", "current-generation", NULL};
	if (t->root == NULL)
		return true;
	if (!sch_map(&c, t->root, "a settings file"))
		return false;
	sch_keys(&c, t->root, keys, "a settings file");
	const struct ynode *n;
	if ((n = ymap_get(t->root, "ignore"))) {
		size_t k = n->kind == YN_SEQ ? n->n : 1;
		for (size_t i = 0; i < k; i++) {
			const struct ynode *it = n->kind == YN_SEQ ? n->items[i] : n;
			const struct ynode *id = it->kind == YN_MAP ? ymap_get(it, "id") : it;
			if (it->kind == YN_MAP) {
				static const char *const ik[] = {"id", "reason", NULL};
				sch_keys(&c, it, ik, "an ignore");
			}
			if (id == NULL || id->kind != YN_SCALAR)
				sch_error(&c, it,
					  "an ignore is a rule id or {id: ID, reason: TEXT}");
			else
				words_add(&s->ignore, id->str, strlen(id->str));
		}
	}
	static const char *const levels[] = {"error", "warning", "info", "none", NULL};
	static const char *const hypervisors[] = {"xen", "nitro", "none", NULL};
	const char *v;
	/* checked here, so a bad value is reported at its place in the file */
	if ((n = ymap_get(t->root, "fail-on")) && (v = sch_str(&c, n, "fail-on")) &&
	    sch_enum(&c, n, v, levels, "fail-on") && !s->fail_on)
		s->fail_on = v;
	if ((n = ymap_get(t->root, "instance-types")) && s->types.n == 0) {
		size_t k = n->kind == YN_SEQ ? n->n : 1;
		for (size_t i = 0; i < k; i++) {
			const struct ynode *it = n->kind == YN_SEQ ? n->items[i] : n;
			const char *ty = sch_str(&c, it, "instance-types");
			if (ty)
				words_split(&s->types, ty);
		}
	}
	if ((n = ymap_get(t->root, "hypervisor")) && (v = sch_str(&c, n, "hypervisor")) &&
	    sch_enum(&c, n, v, hypervisors, "hypervisor") && !s->hypervisor)
		s->hypervisor = v;
	if ((n = ymap_get(t->root, "current-generation"))) {
		bool b = false;
		if (sch_bool(&c, n, "current-generation", &b) && b)
			s->current = true;
	}
	return d->errors == errors;
}

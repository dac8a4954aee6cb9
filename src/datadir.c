/* datadir.c: locating data files. */
#include "datadir.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void pathlist_free(struct pathlist *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static bool push(struct pathlist *p, char *s)
{
	if (s == NULL)
		return false;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		char **v = realloc(p->v, cap * sizeof(*v));
		if (v == NULL) {
			free(s);
			return false;
		}
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = s;
	return true;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool pathlist_add(struct pathlist *p, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return false;
	if (!S_ISDIR(st.st_mode))
		return push(p, strdup(path));
	DIR *dir = opendir(path);
	if (dir == NULL)
		return false;
	size_t first = p->n;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		char *full = NULL;
		if (asprintf(&full, "%s/%s", path, e->d_name) < 0)
			full = NULL;
		push(p, full);
	}
	closedir(dir);
	if (p->n - first > 1)
		qsort(p->v + first, p->n - first, sizeof(*p->v), cmp_name);
	return true;
}

bool pathlist_add_env(struct pathlist *p, const char *value, const char **bad)
{
	bool ok = true;
	if (value == NULL)
		return true;
	char *copy = strdup(value);
	if (copy == NULL)
		return false;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
		if (!pathlist_add(p, tok)) {
			ok = false;
			if (bad)
				*bad = value;
		}
	}
	free(copy);
	return ok;
}

static bool has_data(const char *dir)
{
	char buf[PATH_MAX];
	struct stat st;
	if (snprintf(buf, sizeof(buf), "%s/rules", dir) >= (int)sizeof(buf))
		return false;
	return stat(buf, &st) == 0 && S_ISDIR(st.st_mode);
}

char *datadir_find(void)
{
	const char *env = getenv("XENADVISE_DATADIR");
	if (env && *env)
		return strdup(env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			char buf[PATH_MAX + 32];
			snprintf(buf, sizeof(buf), "%s/../share/xenadvise", exe);
			if (has_data(buf))
				return realpath(buf, NULL);
		}
	}
	if (has_data(XA_SOURCE_DATADIR))
		return strdup(XA_SOURCE_DATADIR);
	if (has_data(XA_INSTALL_DATADIR))
		return strdup(XA_INSTALL_DATADIR);
	return NULL;
}

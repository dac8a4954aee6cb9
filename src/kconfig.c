/* kconfig.c: kernel .config parsing (plain or gzip). */
#include "kconfig.h"

#include "arena.h"
#include "ytree.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct vec {
	const char **v;
	size_t n, cap;
};

static bool vec_push(struct vec *v, const char *s)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 256;
		const char **nv = realloc(v->v, cap * sizeof(*nv));
		if (nv == NULL)
			return false;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = s;
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char **vec_finish(struct arena *a, struct vec *v, size_t *n)
{
	if (v->n > 1)
		qsort(v->v, v->n, sizeof(*v->v), cmp_str);
	/* a later line for the same option wins in kconfig; keep one copy */
	size_t out = 0;
	for (size_t i = 0; i < v->n; i++)
		if (out == 0 || strcmp(v->v[out - 1], v->v[i]) != 0)
			v->v[out++] = v->v[i];
	const char **r = arena_alloc(a, (out + 1) * sizeof(*r));
	if (r && out)
		memcpy(r, v->v, out * sizeof(*r));
	*n = r ? out : 0;
	free(v->v);
	return r;
}

static size_t name_len(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && (isalnum((unsigned char)*q) || *q == '_'))
		q++;
	return (size_t)(q - p);
}

/* Extracts the version from "# Linux/x86 6.1.0 Kernel Configuration". */
static const char *header_version(struct arena *a, const char *p, const char *end)
{
	static const char pre[] = "# Linux/";
	if ((size_t)(end - p) < sizeof(pre) || memcmp(p, pre, sizeof(pre) - 1) != 0)
		return NULL;
	const char *sp = memchr(p, ' ', (size_t)(end - p));
	if (sp == NULL || (sp = memchr(sp + 1, ' ', (size_t)(end - sp - 1))) == NULL)
		return NULL;
	const char *v = sp + 1;
	const char *ve = v;
	while (ve < end && *ve != ' ')
		ve++;
	if (ve == v || ve - v > 64 || !isdigit((unsigned char)*v))
		return NULL;
	for (const char *q = v; q < ve; q++)
		if (!isalnum((unsigned char)*q) && *q != '.' && *q != '-' && *q != '_' && *q != '+')
			return NULL;
	return arena_strndup(a, v, (size_t)(ve - v));
}

struct kconfig *kconfig_parse(const char *buf, size_t len, const char *file, struct diags *d)
{
	struct kconfig *k = calloc(1, sizeof(*k));
	if (k == NULL || (k->arena = arena_new()) == NULL) {
		free(k);
		return NULL;
	}
	struct vec on = {0}, off = {0}, mod = {0};
	size_t errors = d->errors;
	const char *p = buf, *end = buf + len;
	int line = 0;
	while (p < end) {
		line++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		const char *le = eol;
		if (le > p && le[-1] == '\r')
			le--;
		if (memchr(p, '\0', (size_t)(le - p)) != NULL) {
			diags_add(d, DIAG_ERROR, file, line, 1,
				  "binary data in a kernel config (is this the right file?)");
			break;
		}
		if (p == le) {
			/* blank */
		} else if (*p == '#') {
			static const char ns[] = " is not set";
			size_t nl;
			if (line <= 4 && k->version == NULL)
				k->version = header_version(k->arena, p, le);
			if (le - p > 9 && memcmp(p, "# CONFIG_", 9) == 0 &&
			    (nl = name_len(p + 2, le)) > 7 &&
			    (size_t)(le - (p + 2 + nl)) == sizeof(ns) - 1 &&
			    memcmp(p + 2 + nl, ns, sizeof(ns) - 1) == 0)
				vec_push(&off, arena_strndup(k->arena, p + 2, nl));
		} else if (le - p > 7 && memcmp(p, "CONFIG_", 7) == 0) {
			size_t nl = name_len(p, le);
			const char *eq = p + nl;
			if (nl <= 7 || eq >= le || *eq != '=') {
				diags_add(d, DIAG_ERROR, file, line, (int)nl + 1,
					  "expected '=' after the option name");
			} else if (eq + 1 == le) {
				diags_add(d, DIAG_ERROR, file, line, (int)nl + 2,
					  "missing value after '='");
			} else {
				const char *name = arena_strndup(k->arena, p, nl);
				char v = eq[1];
				bool single = eq + 2 == le;
				if (single && (v == 'y' || v == 'm'))
					vec_push(&on, name);
				if (single && v == 'm')
					vec_push(&mod, name);
				else if (single && v == 'n')
					vec_push(&off, name);
				/* strings and numbers are values, not switches: ignored */
			}
		} else {
			size_t col = 1;
			while (p + col - 1 < le && isspace((unsigned char)p[col - 1]))
				col++;
			if (p + col - 1 < le)
				diags_add(d, DIAG_ERROR, file, line, (int)col,
					  "expected CONFIG_NAME=value, '# CONFIG_NAME is not set' "
					  "or a comment");
		}
		p = eol + 1;
	}
	k->on = vec_finish(k->arena, &on, &k->non);
	k->off = vec_finish(k->arena, &off, &k->noff);
	k->mod = vec_finish(k->arena, &mod, &k->nmod);
	if (d->errors > errors || k->on == NULL || k->off == NULL || k->mod == NULL) {
		kconfig_free(k);
		return NULL;
	}
	/* an option both on and off: the later line won in kconfig; we keep "on" */
	return k;
}

static char *gunzip(const char *in, size_t inlen, size_t *outlen, const char **err)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 32) != Z_OK) {
		*err = "cannot start zlib";
		return NULL;
	}
	size_t cap = inlen * 4 + 4096, n = 0;
	if (cap > KCONFIG_MAX_BYTES)
		cap = KCONFIG_MAX_BYTES;
	char *out = malloc(cap + 1);
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)inlen;
	int r = Z_OK;
	while (out != NULL) {
		if (n == cap) {
			if (cap >= KCONFIG_MAX_BYTES) {
				*err = "decompressed size is over 16 MiB";
				break;
			}
			cap = cap * 2 > KCONFIG_MAX_BYTES ? KCONFIG_MAX_BYTES : cap * 2;
			char *no = realloc(out, cap + 1);
			if (no == NULL)
				break;
			out = no;
		}
		zs.next_out = (Bytef *)out + n;
		zs.avail_out = (uInt)(cap - n);
		r = inflate(&zs, Z_NO_FLUSH);
		n = cap - zs.avail_out;
		if (r == Z_STREAM_END)
			break;
		if (r != Z_OK && r != Z_BUF_ERROR) {
			*err = "corrupt gzip data";
			break;
		}
		if (r == Z_BUF_ERROR && zs.avail_in == 0) {
			*err = "truncated gzip data";
			break;
		}
	}
	inflateEnd(&zs);
	if (out == NULL || r != Z_STREAM_END) {
		if (out == NULL)
			*err = "out of memory";
		free(out);
		return NULL;
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

struct kconfig *kconfig_from_bytes(const char *buf, size_t len, const char *path, struct diags *d)
{
	if (len >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b) {
		size_t olen = 0;
		const char *err = NULL;
		char *plain = gunzip(buf, len, &olen, &err);
		if (plain == NULL) {
			diags_add(d, DIAG_ERROR, path, 0, 0, "cannot read kernel config: %s", err);
			return NULL;
		}
		struct kconfig *k = kconfig_parse(plain, olen, path, d);
		free(plain);
		return k;
	}
	return kconfig_parse(buf, len, path, d);
}

struct kconfig *kconfig_load(const char *path, struct diags *d)
{
	size_t len = 0;
	const char *err = NULL;
	char *buf = read_file(path, KCONFIG_MAX_BYTES, &len, &err);
	if (buf == NULL) {
		diags_add(d, DIAG_ERROR, path, 0, 0, "cannot read kernel config: %s", err);
		return NULL;
	}
	struct kconfig *k = kconfig_from_bytes(buf, len, path, d);
	free(buf);
	return k;
}

void kconfig_free(struct kconfig *k)
{
	if (k == NULL)
		return;
	arena_free(k->arena);
	free(k);
}

static bool in_sorted(const char *const *v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), cmp_str) != NULL;
}

char kconfig_get(const struct kconfig *k, const char *option)
{
	if (in_sorted(k->on, k->non, option))
		return 'y';
	if (in_sorted(k->off, k->noff, option))
		return 'n';
	return 0;
}

const struct kconfig *kconfig_set_get(struct kconfig_set *s, const char *path, struct diags *d)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->paths[i], path) == 0)
			return s->kcs[i];
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		char **p = realloc(s->paths, cap * sizeof(*p));
		if (p == NULL)
			return NULL;
		s->paths = p;
		struct kconfig **k = realloc(s->kcs, cap * sizeof(*k));
		if (k == NULL)
			return NULL;
		s->kcs = k;
		s->cap = cap;
	}
	if ((s->paths[s->n] = strdup(path)) == NULL)
		return NULL;
	s->kcs[s->n] = kconfig_load(path, d);
	return s->kcs[s->n++];
}

void kconfig_set_free(struct kconfig_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->paths[i]);
		kconfig_free(s->kcs[i]);
	}
	free(s->paths);
	free(s->kcs);
	memset(s, 0, sizeof(*s));
}

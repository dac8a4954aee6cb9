/* identify.c: local signals of the provider (see identify.h). */
#include "identify.h"
#include "arena.h"
#include "schema.h"
#include "ytree.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct identify_priv {
	struct ytree *tree;
	struct arena *arena;
};

void identify_free(struct identify *id)
{
	if (id == NULL)
		return;
	if (id->priv) {
		ytree_free(id->priv->tree);
		arena_free(id->priv->arena);
		free(id->priv);
	}
	free(id);
}

static void load_signal(struct identify *id, size_t *cap, const struct schema_ctx *c,
			const struct ynode *n)
{
	static const char *const keys[] = {"provider", "file", "xenstore", "match", "source", NULL};
	static const char *const required[] = {"provider", "match", "source", NULL};
	static const char *const providers[] = {"ec2", "rackspace", "xen", NULL};
	if (!sch_item(c, n, keys, required, "a signal"))
		return;
	struct id_signal *s =
		arena_push(id->priv->arena, (void **)&id->signals, &id->nsignals, cap, sizeof(*s));
	if (s == NULL)
		return;
	s->line = n->line;
	s->col = n->col;
	/* missing required keys are already reported: read only what is there */
	const struct ynode *v;
	if ((v = ymap_get(n, "provider")) && (s->provider = sch_str(c, v, "provider")))
		sch_enum(c, v, s->provider, providers, "provider");
	if ((v = ymap_get(n, "file")) && (s->file = sch_str(c, v, "file")) && s->file[0] != '/')
		sch_error(c, v, "`file` must be an absolute path");
	if ((v = ymap_get(n, "xenstore")))
		s->xenstore = sch_str(c, v, "xenstore");
	if ((s->file == NULL) == (s->xenstore == NULL))
		sch_error(c, n, "a signal needs exactly one of `file` and `xenstore`");
	size_t count = 0;
	if ((v = ymap_get(n, "match")) && (s->match = sch_strlist(c, v, "match", &count)) &&
	    count == 0)
		sch_error(c, v, "`match` needs at least one pattern");
	if ((v = ymap_get(n, "source")))
		s->source = sch_str(c, v, "source");
}

/* Loads from tree t; the identify takes t over when `own` is set. */
static struct identify *load(struct ytree *t, bool own, struct diags *d)
{
	struct identify *id = calloc(1, sizeof(*id));
	if (id == NULL || (id->priv = calloc(1, sizeof(*id->priv))) == NULL ||
	    (id->priv->arena = arena_new()) == NULL) {
		if (own)
			ytree_free(t);
		identify_free(id);
		return NULL;
	}
	id->priv->tree = own ? t : NULL;
	size_t errors = d->errors, cap = 0;
	struct schema_ctx c = {.file = t->file, .d = d, .arena = id->priv->arena};
	static const char *const keys[] = {"kind", "source", "description", "signals", NULL};
	static const char *const required[] = {"kind", "source", "signals", NULL};
	if (t->root == NULL || !sch_map(&c, t->root, "an identify file")) {
		if (t->root == NULL)
			diags_add(d, DIAG_ERROR, t->file, 1, 1, "the identify file is empty");
		identify_free(id);
		return NULL;
	}
	sch_keys(&c, t->root, keys, "an identify file");
	sch_required(&c, t->root, required, "an identify file");
	const struct ynode *k = ymap_get(t->root, "kind");
	const char *kind = k ? sch_str(&c, k, "kind") : NULL;
	if (kind && strcmp(kind, "identify") != 0)
		sch_error(&c, k, "expected `kind: identify`");
	const struct ynode *v = ymap_get(t->root, "source");
	if (v)
		sch_str(&c, v, "source");
	const struct ynode *sigs = ymap_get(t->root, "signals");
	if (sigs && sch_seq(&c, sigs, "signals"))
		for (unsigned i = 0; i < sigs->n; i++)
			load_signal(id, &cap, &c, sigs->items[i]);
	if (d->errors > errors) {
		identify_free(id);
		return NULL;
	}
	return id;
}

struct identify *identify_load(const char *path, struct diags *d)
{
	struct ytree *t = ytree_load(path, d);
	return t ? load(t, true, d) : NULL;
}

struct identify *identify_load_buffer(const char *buf, size_t len, const char *name,
				      struct diags *d)
{
	struct ytree *t = ytree_parse(buf, len, name, d);
	return t ? load(t, true, d) : NULL;
}

bool identify_check_tree(const struct ytree *t, struct diags *d)
{
	size_t errors = d->errors;
	identify_free(load((struct ytree *)t, false, d));
	return d->errors == errors;
}

/* Keeps the first line of buf[0..n), trims trailing space; false for bytes outside
 * printable ASCII (sysfs and XenStore values are plain text; anything else is noise). */
static bool clean_line(char *buf, size_t n, char *out, size_t outlen)
{
	char *nl = memchr(buf, '\n', n);
	if (nl)
		n = (size_t)(nl - buf);
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r'))
		n--;
	if (n == 0 || n >= outlen)
		return false;
	for (size_t i = 0; i < n; i++)
		if (buf[i] < ' ' || buf[i] > '~')
			return false;
	memcpy(out, buf, n);
	out[n] = '\0';
	return true;
}

static bool join(const char *root, const char *path, char *out, size_t outlen)
{
	bool slash = root[0] && root[strlen(root) - 1] == '/';
	int n = snprintf(out, outlen, "%s%s%s", root, slash || path[0] == '/' ? "" : "/",
			 slash && path[0] == '/' ? path + 1 : path);
	return n > 0 && (size_t)n < outlen;
}

bool identify_read_line(const char *root, const char *path, char *out, size_t outlen)
{
	char full[4096], buf[256];
	if (!join(root, path, full, sizeof(full)))
		return false;
	/* O_NONBLOCK: a FIFO planted in a captured tree must not hang the run */
	int fd = open(full, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	ssize_t n = -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 && clean_line(buf, (size_t)n, out, outlen);
}

/* The xenbus wire protocol (xen/include/public/io/xs_wire.h): a 16-byte header, then
 * the payload; XS_READ of a key relative to the domain's home. */
enum { XS_READ = 2, XS_ERROR = 16 };
struct xs_msg {
	uint32_t type, req_id, tx_id, len;
};

static bool read_full(int fd, void *p, size_t n)
{
	char *c = p;
	while (n > 0) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		if (poll(&pf, 1, 500) <= 0)
			return false;
		ssize_t r = read(fd, c, n);
		if (r <= 0)
			return false;
		c += r;
		n -= (size_t)r;
	}
	return true;
}

bool identify_xenbus_read(int fd, const char *key, char *out, size_t outlen)
{
	char msg[sizeof(struct xs_msg) + 256];
	size_t klen = strlen(key) + 1;
	if (klen > 256)
		return false;
	struct xs_msg h = {.type = XS_READ, .req_id = 1, .len = (uint32_t)klen};
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), key, klen);
	if (write(fd, msg, sizeof(h) + klen) != (ssize_t)(sizeof(h) + klen))
		return false;
	struct xs_msg r;
	char buf[256];
	if (!read_full(fd, &r, sizeof(r)) || r.type != XS_READ || r.len == 0 ||
	    r.len > sizeof(buf) || !read_full(fd, buf, r.len))
		return false;
	size_t n = r.len; /* xenstored sends the value without a NUL; tolerate one */
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	return clean_line(buf, n, out, outlen);
}

bool identify_read_xenstore(const char *root, const char *key, char *out, size_t outlen)
{
	if (strcmp(root, "/") != 0) {
		char path[512];
		if (snprintf(path, sizeof(path), "xenstore/%s", key) >= (int)sizeof(path) ||
		    strstr(key, ".."))
			return false;
		return identify_read_line(root, path, out, outlen);
	}
	int fd = open("/dev/xen/xenbus", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false; /* not Xen, no xenfs, or not root */
	bool ok = identify_xenbus_read(fd, key, out, outlen);
	close(fd);
	return ok;
}

static bool read_under_root(void *ctx, const struct id_signal *s, char *out, size_t outlen)
{
	const char *root = ctx;
	return s->file ? identify_read_line(root, s->file, out, outlen)
		       : identify_read_xenstore(root, s->xenstore, out, outlen);
}

bool identify_probe(const struct identify *id, const char *root, struct id_result *r)
{
	return identify_probe_with(id, read_under_root, (void *)root, r);
}

bool identify_probe_with(const struct identify *id, identify_reader *read, void *ctx,
			 struct id_result *r)
{
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < id->nsignals; i++) {
		const struct id_signal *s = &id->signals[i];
		char v[128];
		if (!read(ctx, s, v, sizeof(v)))
			continue;
		for (const char **m = s->match; *m; m++)
			if (fnmatch(*m, v, 0) == 0) {
				r->signal = s;
				memcpy(r->value, v, sizeof(v));
				return true;
			}
	}
	return false;
}

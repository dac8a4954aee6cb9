/* identify.h: which provider is this machine on, from local signals only (no network).
 *
 * The signals are data (catalogs/identify.yaml, `kind: identify`): each names a provider,
 * a sysfs file or a XenStore key, the fnmatch patterns its first line may match, and its
 * source. They are the checks cloud-init's ds-identify, systemd-detect-virt, virt-what and
 * facter make before any network I/O. Signals are tried in file order; the first provider
 * with a matching signal wins. Reading them takes a few small reads and no child process.
 *
 * Files are read under a root directory ("/" normally; a captured tree in tests). XenStore
 * keys are read from the xenbus device under "/", and from ROOT/xenstore/KEY (one file per
 * key) under any other root. */
#ifndef XA_IDENTIFY_H
#define XA_IDENTIFY_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

struct id_signal {
	const char *provider;
	const char *file;     /* absolute path, or NULL */
	const char *xenstore; /* XenStore key, or NULL */
	const char **match;   /* fnmatch patterns, NULL-terminated */
	const char *source;
	int line, col;
};

struct identify {
	struct id_signal *signals;
	size_t nsignals;
	struct identify_priv *priv;
};

struct id_result {
	const struct id_signal *signal; /* the one that matched, or NULL */
	char value[128];                /* what it read, printable ASCII only */
};

/* Loads one identify file; NULL with diagnostics in d when it is invalid. */
struct identify *identify_load(const char *path, struct diags *d);
struct identify *identify_load_buffer(const char *buf, size_t len, const char *name,
				      struct diags *d);
void identify_free(struct identify *id);
/* Checks one parsed identify file, as `validate` does; the tree stays the caller's. */
struct ytree;
bool identify_check_tree(const struct ytree *t, struct diags *d);

/* Evaluates the signals under root; true when one matched (*r says which). */
bool identify_probe(const struct identify *id, const char *root, struct id_result *r);
/* The same with the caller's reader of each signal's value: read(ctx, s, out, outlen) fills
 * out with the first line of s->file or the value of s->xenstore and returns true, or
 * returns false when there is none (detect reads each file once, and captures it). */
typedef bool identify_reader(void *ctx, const struct id_signal *s, char *out, size_t outlen);
bool identify_probe_with(const struct identify *id, identify_reader *read, void *ctx,
			 struct id_result *r);

/* Reads the first line of ROOT/path (at most 255 bytes, trailing space trimmed) into out.
 * False when missing, unreadable, empty or holding bytes outside printable ASCII. */
bool identify_read_line(const char *root, const char *path, char *out, size_t outlen);
/* Reads XenStore key `key` (see above) into out, with the same limits. */
bool identify_read_xenstore(const char *root, const char *key, char *out, size_t outlen);
/* One XS_READ over an open xenbus connection (the device, or a socket in tests). */
bool identify_xenbus_read(int fd, const char *key, char *out, size_t outlen);

#endif

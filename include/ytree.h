/* ytree.h: a YAML (or JSON) document as a tree of nodes that remember their position.
 *
 * This is the only module that talks to libyaml. It refuses what the loaders never
 * need and an attacker could abuse: aliases (no alias bombs), more than one document,
 * nesting deeper than YTREE_MAX_DEPTH, files over YTREE_MAX_BYTES, and duplicate keys
 * in a mapping. Invalid UTF-8 is rejected by libyaml itself. The tree lives in the
 * struct ytree's arena and is freed by ytree_free. */
#ifndef XA_YTREE_H
#define XA_YTREE_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

enum { YTREE_MAX_DEPTH = 64, YTREE_MAX_BYTES = 64 * 1024 * 1024 }; /* sizes fit `unsigned` */
#define YTREE_MAX_STREAM_BYTES (1ULL << 30) /* ytree_stream: 1 GiB, read as it goes */

enum ynode_kind { YN_SCALAR, YN_SEQ, YN_MAP };

/* 24 bytes: the EC2 catalog alone makes tens of thousands of these at every start.
 * Check `kind` before touching str/len (scalars) or items/n (collections). */
struct ynode {
	union {
		const char *str; /* SCALAR: text, NUL-terminated (an embedded NUL is an error) */
		struct ynode **items; /* SEQ: n items; MAP: n pairs as key, value, key, value ... */
	};
	union {
		unsigned len; /* SCALAR: bytes in str */
		unsigned n;   /* SEQ: number of items; MAP: number of pairs */
	};
	int line, col;      /* 1-based */
	unsigned char kind; /* enum ynode_kind */
	bool plain;         /* scalar written without quotes (so `true`, `10` are not strings) */
};

struct ytree {
	struct arena *arena;
	const char *file;
	struct ynode *root; /* NULL for an empty document */
};

/* Parses buf (len bytes). A syntax error (or alias, depth, second document) adds a
 * diagnostic naming `file` and returns NULL. Duplicate keys are reported but the tree is
 * still returned, so a loader can go on and report the rest: callers must check d. */
struct ytree *ytree_parse(const char *buf, size_t len, const char *file, struct diags *d);
/* Streams a file too big to hold as one tree (thousands of images): each item of the
 * sequence under top-level key `key` (as in {"Images": [...]}) is passed to `each` as
 * soon as it is complete, then its memory is reused, so memory does not grow with the
 * number of items; `each` copies what it keeps. The file is read as it is parsed. The rest
 * of the document comes back as a tree in which that sequence is empty. `each` returns
 * false to stop (out of memory). Errors are reported as for ytree_parse. */
typedef bool (*ytree_each_fn)(const struct ytree *t, const struct ynode *item, void *arg);
struct ytree *ytree_stream(const char *path, const char *key, ytree_each_fn each, void *arg,
			   struct diags *d);
/* Reads and parses a file; an unreadable or oversized file is an error diagnostic. */
struct ytree *ytree_load(const char *path, struct diags *d);
void ytree_free(struct ytree *t);

/* Map lookup by key; NULL when absent or when m is not a map. */
const struct ynode *ymap_get(const struct ynode *m, const char *key);
const char *ynode_kind_name(unsigned char k);

/* Reads a whole file into a malloc'd, NUL-terminated buffer (max bytes). Returns NULL and
 * sets *err to a static message on failure. */
char *read_file(const char *path, size_t max, size_t *len, const char **err);

#endif
